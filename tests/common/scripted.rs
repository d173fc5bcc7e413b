//! A scripted platform for the state machine: each POST gets the next scripted reply and is recorded; JSON is
//! serde_json's (the browser's `JSON.parse` / `JSON.stringify` in the package). Shared by tests/flow.rs and the
//! cargo-fuzz `flow` target: `#[path = "common/scripted.rs"] mod scripted;`
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use cognito_totp::core::Error;
use cognito_totp::core::transport::{Body, Clock, Random, Reply as HttpReply, Transport, TransportError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Status, `x-amzn-ErrorType` header, body text.
    Http(u16, Option<String>, String),
    /// The connection was cut or refused.
    Network,
    /// The timeout elapsed.
    Timeout,
}

pub fn ok(body: &str) -> Reply {
    Reply::Http(200, None, body.into())
}

pub fn err(status: u16, body: &str) -> Reply {
    Reply::Http(status, None, body.into())
}

pub fn err_header(status: u16, body: &str, header: &str) -> Reply {
    Reply::Http(status, Some(header.into()), body.into())
}

pub fn cognito_error(name: &str, message: &str) -> Reply {
    Reply::Http(400, None, serde_json::json!({ "__type": name, "message": message }).to_string())
}

/// What the client sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub operation: &'static str,
    pub body: String,
    pub timeout_ms: Option<u32>,
}

#[derive(Default)]
struct Log {
    replies: VecDeque<Reply>,
    requests: Vec<Sent>,
    sleeps: Vec<u32>,
}

/// The transport and the clock in one (the clock's sleeps are recorded next to the requests).
#[derive(Clone, Default)]
pub struct Scripted(Rc<RefCell<Log>>);

impl Scripted {
    pub fn new(replies: Vec<Reply>) -> Self {
        Scripted(Rc::new(RefCell::new(Log { replies: replies.into(), ..Log::default() })))
    }
    /// Replaces what is left of the script and forgets the requests so far.
    pub fn script(&self, replies: Vec<Reply>) {
        let mut log = self.0.borrow_mut();
        log.replies = replies.into();
        log.requests.clear();
        log.sleeps.clear();
    }
    pub fn requests(&self) -> Vec<Sent> {
        self.0.borrow().requests.clone()
    }
    pub fn bodies(&self) -> Vec<Value> {
        self.requests().iter().map(|r| serde_json::from_str(&r.body).unwrap()).collect()
    }
    pub fn operations(&self) -> Vec<&'static str> {
        self.requests().iter().map(|r| r.operation).collect()
    }
    pub fn sleeps(&self) -> Vec<u32> {
        self.0.borrow().sleeps.clone()
    }
    pub fn left(&self) -> usize {
        self.0.borrow().replies.len()
    }
}

/// What the browser's side does with a body's text: `JSON.parse`, kept if it is an object, else described by its
/// first non-blank character.
pub fn parse_body(text: &str) -> Body<Value> {
    let trimmed = text.trim();
    match serde_json::from_str::<Value>(trimmed) {
        Ok(v @ Value::Object(_)) => Body::Object(v),
        _ => match trimmed.chars().next() {
            None => Body::Empty,
            Some(c) => Body::Other(c),
        },
    }
}

impl Transport for Scripted {
    type Json = Value;
    type Body = String;

    fn encode<T: Serialize>(&self, request: &T) -> Result<String, Error> {
        serde_json::to_string(request).map_err(|_| Error::invalid("unencodable request"))
    }
    fn decode<T: DeserializeOwned>(&self, json: Value) -> Option<T> {
        serde_json::from_value(json).ok()
    }
    fn parse_json(&self, text: &str) -> Option<Value> {
        serde_json::from_str(text).ok()
    }
    async fn post(
        &self,
        operation: &'static str,
        body: &String,
        timeout_ms: Option<u32>,
    ) -> Result<HttpReply<Value>, TransportError> {
        let mut log = self.0.borrow_mut();
        log.requests.push(Sent { operation, body: body.clone(), timeout_ms });
        match log.replies.pop_front().unwrap_or_else(|| panic!("{operation}: more requests than scripted")) {
            Reply::Http(status, error_type, text) => Ok(HttpReply { status, error_type, body: parse_body(&text) }),
            Reply::Network => Err(TransportError::Network("TypeError: Failed to fetch".into())),
            Reply::Timeout => Err(TransportError::Timeout),
        }
    }
}

impl Clock for Scripted {
    fn now_unix(&self) -> u64 {
        // Overridden per test through FixedClock; this one is only used when the time does not matter.
        1_748_934_306
    }
    async fn sleep(&self, ms: u32) {
        self.0.borrow_mut().sleeps.push(ms);
    }
}

/// A clock at a fixed time whose sleeps are recorded in the script's log.
pub struct FixedClock {
    pub now: u64,
    pub log: Scripted,
}

impl Clock for FixedClock {
    fn now_unix(&self) -> u64 {
        self.now
    }
    async fn sleep(&self, ms: u32) {
        self.log.sleep(ms).await;
    }
}

/// The next 128-byte draws are the given `a`s (then 0x42 bytes); every other draw (retry jitter) is 0xff bytes, the
/// worst case for the backoff bound.
pub struct FixedRandom {
    pub keys: RefCell<VecDeque<[u8; 128]>>,
}

impl FixedRandom {
    pub fn new(keys: Vec<[u8; 128]>) -> Self {
        FixedRandom { keys: RefCell::new(keys.into()) }
    }
}

impl Random for FixedRandom {
    fn fill(&self, dest: &mut [u8]) {
        if dest.len() == 128 {
            dest.copy_from_slice(&self.keys.borrow_mut().pop_front().unwrap_or([0x42; 128]));
        } else {
            dest.fill(0xff);
        }
    }
}

/// The replies are ready at once, so polling to completion needs no executor.
pub fn run<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("the future did not complete");
}
