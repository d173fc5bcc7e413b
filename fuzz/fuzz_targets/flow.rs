//! The sign-in / enrollment state machine against a transport that answers every request with
//! fuzzer-chosen bytes. The input is split at 0xFF bytes (never part of UTF-8, so JSON in between
//! survives mutation): the first piece is a list of choices, each further piece one HTTP answer
//! (first byte: status / network failure, the rest: the body). The driver follows whatever step
//! comes back (or deliberately answers the wrong one) for a few rounds.
//!
//! Properties: never a panic; every call ends in a step or a typed error with a name and message;
//! at most MAX_ATTEMPTS requests per operation; the sign-in password is in no request.
#![no_main]

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use cognito_totp::core::flow::{AssociateWith, Client, Config, MfaKind, MfaPreference, Preference, Step};
use cognito_totp::core::secret::{Password, SecretString};
use cognito_totp::core::transport::{Clock, HttpRequest, HttpResponse, MAX_ATTEMPTS, Random, Transport, TransportError};
use cognito_totp::core::Error;
use libfuzzer_sys::fuzz_target;

const PASSWORD: &str = "Fuzz-Passw0rd!sign-in";
const NEW_PASSWORD: &str = "Fuzz-New-Passw0rd!";

struct Script<'a> {
    answers: RefCell<VecDeque<&'a [u8]>>,
    calls: RefCell<u32>,
    password_leaked: RefCell<bool>,
}

impl Transport for &Script<'_> {
    async fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        *self.calls.borrow_mut() += 1;
        if request.body.contains(PASSWORD) {
            *self.password_leaked.borrow_mut() = true;
        }
        let Some(answer) = self.answers.borrow_mut().pop_front() else {
            return Err(TransportError::Network("script exhausted".into()));
        };
        let Some((&kind, body)) = answer.split_first() else {
            return Err(TransportError::Timeout);
        };
        let body = String::from_utf8_lossy(body).into_owned();
        let (status, header) = match kind % 16 {
            0..=8 => (200, None),
            9 => (400, None),
            10 => (400, Some("TooManyRequestsException".to_owned())),
            11 => (500, None),
            12 => (502, None),
            13 => (u16::from(kind), None),
            14 => return Err(TransportError::Network("TypeError: Failed to fetch".into())),
            _ => return Err(TransportError::Timeout),
        };
        Ok(HttpResponse { status, error_type_header: header, body })
    }

    async fn sleep(&self, _ms: u32) {}
}

struct FixedClock;
impl Clock for FixedClock {
    fn now_unix(&self) -> u64 {
        1_748_934_306
    }
}

struct FixedRandom;
impl Random for FixedRandom {
    fn fill(&self, dest: &mut [u8]) {
        for (i, b) in dest.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(11);
        }
    }
}

/// Every answer is ready at once, so a no-op waker drives the futures to completion; a future that
/// stays pending would be a hang, reported as a crash.
fn run<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("a client future never completed");
}

struct Choices<'a> {
    bytes: &'a [u8],
    next: usize,
}

impl Choices<'_> {
    fn pick(&mut self) -> u8 {
        let b = self.bytes.get(self.next % self.bytes.len().max(1)).copied().unwrap_or(0);
        self.next += 1;
        b
    }
}

fn check_error(e: &Error) {
    assert!(!e.name().is_empty(), "error without a name: {e:?}");
    assert!(!e.message().is_empty(), "error without a message: {e:?}");
    assert!(!e.message().contains(PASSWORD), "the password in an error message");
}

/// Runs one client call, checking that it ends and sent at most `ops * MAX_ATTEMPTS` requests.
fn call<T>(script: &Script<'_>, ops: u32, f: impl Future<Output = Result<T, Error>>) -> Option<T> {
    let before = *script.calls.borrow();
    let result = run(f);
    let sent = *script.calls.borrow() - before;
    assert!(sent <= ops * MAX_ATTEMPTS, "{sent} requests for {ops} operation(s)");
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            check_error(&e);
            None
        }
    }
}

fn preference(c: u8) -> Option<Preference> {
    match c % 4 {
        0 => None,
        1 => Some(Preference::Preferred),
        2 => Some(Preference::Enabled),
        _ => Some(Preference::Disabled),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut pieces = data.split(|&b| b == 0xff);
    let choice_bytes = pieces.next().unwrap_or_default();
    let script = Script { answers: RefCell::new(pieces.collect()), calls: RefCell::new(0), password_leaked: RefCell::new(false) };
    let mut choices = Choices { bytes: choice_bytes, next: 0 };

    let with_secret = choices.pick() & 1 == 1;
    let config = Config {
        user_pool_id: "us-east-1_Fuzz01".into(),
        client_id: "fuzzclient".into(),
        endpoint: Some("http://127.0.0.1:9229/".into()),
        client_secret: with_secret.then(|| SecretString::new("fuzz-client-secret".into())),
        timeout_ms: None,
    };
    let Ok(client) = Client::new(config, &script, FixedClock, FixedRandom) else {
        panic!("a valid configuration was refused");
    };
    let password = Password::new(PASSWORD.into());
    let new_password = Password::new(NEW_PASSWORD.into());

    let mut step = call(&script, 2, client.sign_in("fuzzuser", &password));
    for _ in 0..6 {
        let Some(current) = step.take() else { break };
        let c = choices.pick();
        step = match &current {
            Step::Done(tokens) => {
                assert!(!tokens.access_token.is_empty() && !tokens.id_token.is_empty(), "Done without tokens");
                let access = tokens.access_token.as_str();
                match c % 8 {
                    0 => call(&script, 1, client.get_user(access)).map(|_| current.clone()),
                    1 => {
                        let setup = call(&script, 1, client.associate_totp(AssociateWith::AccessToken(access)));
                        if let Some(setup) = setup {
                            assert!(!setup.secret().is_empty());
                            assert!(!setup.is_sign_in());
                            let verified = call(&script, 1, client.verify_totp(&setup, " 123456 ", Some("phone")));
                            assert!(matches!(verified, None | Some(None)), "an access-token setup continued a sign-in");
                        }
                        None
                    }
                    2 => {
                        let pref = MfaPreference { totp: preference(c / 8), sms: preference(c / 32), email: preference(c / 64) };
                        call(&script, 1, client.set_mfa_preference(access, pref)).map(|()| current.clone())
                    }
                    3 => {
                        let refresh = tokens.refresh_token.clone().unwrap_or_default();
                        call(&script, 1, client.refresh(&refresh, Some("fuzzuser"))).map(Step::Done)
                    }
                    4 => call(&script, 1, client.global_sign_out(access)).map(|()| current.clone()),
                    5 => {
                        let refresh = tokens.refresh_token.clone().unwrap_or_default();
                        call(&script, 1, client.revoke_token(&refresh)).map(|()| current.clone())
                    }
                    6 => call(&script, 3, client.disable_totp("fuzzuser", &password, access)).map(|()| current.clone()),
                    _ => call(&script, 2, client.sign_in("fuzzuser", &password)),
                }
            }
            other => {
                let Some(challenge) = other.challenge() else { break };
                // One time in eight answer with a method meant for another step: refused locally or by
                // the server, never a panic.
                let wrong = c % 8 == 7;
                match (other, wrong) {
                    (Step::TotpCode { .. }, false) | (Step::MfaSetup { .. }, true) => {
                        call(&script, 1, client.confirm_totp(challenge, "123 456"))
                    }
                    (Step::SmsCode { .. } | Step::EmailCode { .. }, false) | (Step::TotpCode { .. }, true) => {
                        call(&script, 1, client.confirm_code(challenge, "654321"))
                    }
                    (Step::SelectMfa { options, .. }, false) => {
                        let kind = options.get(usize::from(c / 8) % options.len().max(1)).copied().unwrap_or(MfaKind::Totp);
                        call(&script, 1, client.select_mfa(challenge, kind))
                    }
                    (Step::NewPassword { required_attributes, .. }, false) => {
                        let attrs: BTreeMap<String, String> =
                            required_attributes.iter().map(|a| (a.clone(), format!("value of {a}"))).collect();
                        call(&script, 1, client.complete_new_password(challenge, &new_password, &attrs))
                    }
                    (Step::MfaSetup { .. }, false) | (Step::NewPassword { .. } | Step::SelectMfa { .. }, true) => {
                        match call(&script, 1, client.associate_totp(AssociateWith::Challenge(challenge))) {
                            Some(setup) => {
                                assert!(setup.is_sign_in());
                                call(&script, 2, client.verify_totp(&setup, "000000", None)).flatten()
                            }
                            None => None,
                        }
                    }
                    (_, _) => call(&script, 1, client.select_mfa(challenge, MfaKind::Email)),
                }
            }
        };
    }
    assert!(!*script.password_leaked.borrow(), "the sign-in password was sent in a request");
});
