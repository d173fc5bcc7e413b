//! Shared state: the persistent [`Db`], the in-memory runtime (sessions, dev-channel messages, the request
//! log, faults), and the injectable clock and RNG.

use crate::error::ApiError;
use crate::model::Db;
use rand::RngCore;
use rand::rngs::StdRng;
use rsa::RsaPrivateKey;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Where "now" comes from. Tests use [`FixedClock`].
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

/// The system clock in Unix seconds.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }
}

/// A clock that stands still unless moved.
pub struct FixedClock(pub AtomicI64);

impl FixedClock {
    pub fn new(t: i64) -> Self {
        Self(AtomicI64::new(t))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// What the next step of a sign-in must be.
#[derive(Clone)]
pub enum Expect {
    PasswordVerifier {
        a: Vec<u8>,
        b: Vec<u8>,
        big_b: Vec<u8>,
        secret_block: Vec<u8>,
        fake: bool,
    },
    SoftwareTokenMfa,
    SmsMfa {
        code: String,
    },
    EmailOtp {
        code: String,
    },
    SelectMfaType,
    /// MFA_SETUP: first AssociateSoftwareToken, then VerifySoftwareToken, then RespondToAuthChallenge.
    MfaSetup {
        verified: bool,
    },
    NewPasswordRequired,
    /// DEVICE_SRP_AUTH: the client's SRP_A for its device.
    DeviceSrpAuth,
    /// DEVICE_PASSWORD_VERIFIER: the device's half of the SRP exchange.
    DevicePasswordVerifier {
        a: Vec<u8>,
        b: Vec<u8>,
        big_b: Vec<u8>,
        secret_block: Vec<u8>,
    },
}

/// What a sign-in carries from step to step besides the next challenge: the DEVICE_KEY the client named and
/// whether MFA was answered.
#[derive(Clone, Default, Debug)]
pub struct Flow {
    pub device_key: Option<String>,
    /// An MFA code (or MFA setup) was answered in this sign-in: a named device is not asked to prove itself
    /// afterwards (identity-js answers a DEVICE_SRP_AUTH after MFA with the MFA's own, spent Session).
    pub mfa_done: bool,
}

impl Expect {
    pub fn challenge_name(&self) -> &'static str {
        match self {
            Self::PasswordVerifier { .. } => "PASSWORD_VERIFIER",
            Self::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            Self::SmsMfa { .. } => "SMS_MFA",
            Self::EmailOtp { .. } => "EMAIL_OTP",
            Self::SelectMfaType => "SELECT_MFA_TYPE",
            Self::MfaSetup { .. } => "MFA_SETUP",
            Self::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            Self::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            Self::DevicePasswordVerifier { .. } => "DEVICE_PASSWORD_VERIFIER",
        }
    }
}

/// An auth session: opaque to the client, bound to user, client and the challenge expected next.
#[derive(Clone)]
pub struct AuthSession {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub expect: Expect,
    pub expires: i64,
    pub wrong_codes: u32,
    pub flow: Flow,
}

/// A code "sent" by SMS or email, readable from `/_emulator/messages`.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub pool_id: String,
    pub username: String,
    pub channel: &'static str,
    pub destination: String,
    pub code: String,
    pub at: i64,
}

/// One logged API request. The body stays in memory for `contains` and is never exposed.
pub struct LoggedRequest {
    pub target: String,
    pub status: u16,
    pub bytes: usize,
    pub at: i64,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    Html502,
    Empty,
    Truncated,
    MissingMembers,
    Slow(u64),
    Throttle,
    Http500,
    /// The operation runs, then `SRP_B` in its PASSWORD_VERIFIER challenge is replaced: a client
    /// must refuse B ≡ 0 (mod N) before it answers.
    SrpBZero,
    SrpBEqualsN,
}

#[derive(Clone, Debug)]
pub struct Fault {
    pub target: String,
    pub kind: FaultKind,
    pub remaining: u32,
}

/// Knobs fixed at start.
#[derive(Clone)]
pub struct Config {
    pub session_ttl: i64,
    pub max_password_attempts: u32,
    /// Base of the token issuer, e.g. `http://127.0.0.1:9229` (no trailing slash).
    pub issuer_base: String,
    pub state_file: Option<PathBuf>,
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            session_ttl: 180,
            max_password_attempts: 5,
            issuer_base: "http://127.0.0.1:9229".into(),
            state_file: None,
            access_token_ttl: 3600,
            refresh_token_ttl: 30 * 86_400,
        }
    }
}

/// The request log keeps at most this many entries...
pub const REQUEST_LOG_CAP: usize = 10_000;
/// ...and at most this many body bytes in total (oldest dropped first), so a flood of large bodies
/// cannot exhaust memory. Each body is also cut at [`MAX_LOGGED_BODY`].
pub const REQUEST_LOG_BYTES: usize = 64 * 1024 * 1024;
pub const MAX_LOGGED_BODY: usize = 64 * 1024;
/// Outbox entries kept for `/_emulator/messages`.
pub const MESSAGES_CAP: usize = 10_000;

/// Everything behind the one mutex.
pub struct Inner {
    pub db: Db,
    pub key: RsaPrivateKey,
    pub sessions: BTreeMap<String, AuthSession>,
    pub messages: Vec<Message>,
    pub requests: VecDeque<LoggedRequest>,
    pub request_bytes: usize,
    pub faults: Vec<Fault>,
    pub clock_offset: i64,
    pub rng: StdRng,
    /// SHA-256 of the state file last written, to skip rewriting an unchanged state.
    pub saved_digest: Option<[u8; 32]>,
}

/// Cheap to clone; the router's state.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Mutex<Inner>>,
    pub(crate) clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
}

impl AppState {
    /// Builds a state from a database (seeded or loaded), a signing key, a clock and an RNG.
    pub fn new(db: Db, key: RsaPrivateKey, clock: Arc<dyn Clock>, rng: StdRng, config: Config) -> Self {
        let inner = Inner {
            db,
            key,
            sessions: BTreeMap::new(),
            messages: Vec::new(),
            requests: VecDeque::new(),
            request_bytes: 0,
            faults: Vec::new(),
            clock_offset: 0,
            rng,
            saved_digest: None,
        };
        Self { inner: Arc::new(Mutex::new(inner)), clock, config: Arc::new(config) }
    }

    /// Locks the state; a poisoned lock (a panic elsewhere) is recovered, as the data stays consistent
    /// per operation.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The emulator's "now": the clock plus any `/_emulator/clock` advance.
    pub fn now(&self) -> i64 {
        self.clock.now().saturating_add(self.lock().clock_offset)
    }

    /// Edits one pool in place (tests and tooling; the API goes through the operations).
    pub fn with_pool_mut(&self, pool_id: &str, f: impl FnOnce(&mut crate::model::Pool)) -> bool {
        let mut inner = self.lock();
        match inner.db.pools.get_mut(pool_id) {
            Some(pool) => {
                f(pool);
                true
            }
            None => false,
        }
    }

    /// Copies the signing key into the persistent state, so a restart with `--state` keeps it.
    pub fn store_key(&self) -> Result<(), ApiError> {
        let mut inner = self.lock();
        inner.db.signing_key = crate::tokens::key_to_string(&inner.key)?;
        Ok(())
    }

    /// Writes the state file now (at start-up, after seeding).
    pub fn save_to(&self, path: &std::path::Path) -> std::io::Result<()> {
        crate::persist::save(path, &self.lock().db)
    }

    /// The pools as `(key, pool id, [(client key, client id, secret)])`, for the start-up lines.
    pub fn pool_lines(&self) -> Vec<String> {
        let inner = self.lock();
        let mut lines = Vec::new();
        for pool in inner.db.pools.values() {
            for client in &pool.clients {
                let mut line = format!(
                    "pool {} {} client {} {}",
                    pool.key.as_deref().unwrap_or(&pool.name),
                    pool.id,
                    client.key.as_deref().unwrap_or(&client.name),
                    client.id
                );
                if let Some(secret) = &client.secret {
                    line.push(' ');
                    line.push_str(secret);
                }
                lines.push(line);
            }
        }
        lines
    }
}

/// Per-call view handed to the operations.
pub struct Ctx<'a> {
    pub inner: &'a mut Inner,
    pub now: i64,
    pub config: &'a Config,
    /// The region named by the caller's SigV4 credential scope, if it signed (new pool ids use it).
    pub region: Option<String>,
    /// The sign-in this call continues (from its session) or starts; new sessions inherit it.
    pub flow: Flow,
}

impl Ctx<'_> {
    pub fn random_bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = vec![0u8; n];
        self.inner.rng.fill_bytes(&mut v);
        v
    }

    /// An opaque URL-safe random string.
    pub fn random_token(&mut self, n: usize) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.random_bytes(n))
    }

    pub fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.inner.rng.fill_bytes(&mut b);
        uuid::Builder::from_random_bytes(b).into_uuid().to_string()
    }

    pub fn digits(&mut self, n: usize) -> String {
        use rand::Rng;
        (0..n).map(|_| char::from(b'0' + self.inner.rng.gen_range(0..10u8))).collect()
    }

    pub fn pool(&self, pool_id: &str) -> Result<&crate::model::Pool, ApiError> {
        self.inner.db.pools.get(pool_id).ok_or_else(|| ApiError::pool_not_found(pool_id))
    }

    pub fn pool_mut(&mut self, pool_id: &str) -> Result<&mut crate::model::Pool, ApiError> {
        self.inner.db.pools.get_mut(pool_id).ok_or_else(|| ApiError::pool_not_found(pool_id))
    }

    /// Stores a new auth session and returns its id.
    pub fn new_session(&mut self, pool_id: &str, client_id: &str, username: &str, expect: Expect) -> String {
        // Drop expired sessions now and then so the map stays small.
        let now = self.now;
        self.inner.sessions.retain(|_, s| s.expires + 600 > now);
        let id = self.random_token(96);
        // The app client's AuthSessionValidity (minutes) when it sets one, else --session-ttl.
        let client = self.inner.db.pools.get(pool_id).and_then(|p| p.client(client_id));
        let ttl = client.and_then(|c| c.auth_session_validity).map_or(self.config.session_ttl, |m| m * 60);
        let session = AuthSession {
            pool_id: pool_id.into(),
            client_id: client_id.into(),
            username: username.into(),
            expect,
            expires: self.now + ttl,
            wrong_codes: 0,
            flow: self.flow.clone(),
        };
        self.inner.sessions.insert(id.clone(), session);
        id
    }

    /// Looks a session up without consuming it; refuses unknown, expired and foreign-client ones.
    pub fn session(&self, id: &str, client_id: Option<&str>) -> Result<AuthSession, ApiError> {
        let s = self.inner.sessions.get(id).ok_or_else(ApiError::invalid_session)?;
        if s.expires <= self.now {
            return Err(ApiError::expired_session());
        }
        if client_id.is_some_and(|c| c != s.client_id) {
            return Err(ApiError::invalid_session());
        }
        Ok(s.clone())
    }

    pub fn consume_session(&mut self, id: &str) {
        self.inner.sessions.remove(id);
    }
}
