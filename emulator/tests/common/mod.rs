//! Test harness: an emulator built from seed/test.json with a fixed clock, a oneshot caller, and a
//! test-side SRP *client* written from the client equations (independent of the server code).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_emulator::{AppState, Config, FixedClock, app, seed};
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::BodyExt;
use num_bigint::BigUint;
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub const SEED: &str = include_str!("../../seed/test.json");
pub const T0: i64 = 1_748_934_306; // Tue Jun 3 07:05:06 UTC 2025

pub fn seed_json() -> Value {
    serde_json::from_str(SEED).unwrap()
}

pub struct PoolInfo {
    pub id: String,
    pub web: String,
    pub secret_client: Option<(String, String)>,
}

pub fn pool(key: &str) -> PoolInfo {
    let s = seed_json();
    let p = s["pools"].as_array().unwrap().iter().find(|p| p["key"] == key).unwrap().clone();
    let client = |k: &str| p["clients"].as_array().unwrap().iter().find(|c| c["key"] == k).cloned();
    PoolInfo {
        id: p["id"].as_str().unwrap().into(),
        web: client("web").unwrap()["id"].as_str().unwrap().into(),
        secret_client: client("secret")
            .map(|c| (c["id"].as_str().unwrap().into(), c["secret"].as_str().unwrap().into())),
    }
}

/// The seed password of a user (temporaryPassword for FORCE_CHANGE_PASSWORD users).
pub fn password(pool_key: &str, username: &str) -> String {
    let s = seed_json();
    let p = s["pools"].as_array().unwrap().iter().find(|p| p["key"] == pool_key).unwrap().clone();
    let u = p["users"].as_array().unwrap().iter().find(|u| u["username"] == username).unwrap().clone();
    u["password"].as_str().or(u["temporaryPassword"].as_str()).unwrap().to_owned()
}

fn key() -> rsa::RsaPrivateKey {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa::RsaPrivateKey::new(&mut StdRng::seed_from_u64(7), 2048).unwrap()).clone()
}

pub struct Emu {
    pub router: Router,
    pub clock: Arc<FixedClock>,
    pub state: AppState,
}

pub fn emulator() -> Emu {
    emulator_with(Config { issuer_base: "http://localhost:9229".into(), ..Config::default() })
}

pub fn emulator_with(config: Config) -> Emu {
    emulator_seeded(SEED, config)
}

pub fn emulator_seeded(seed_text: &str, config: Config) -> Emu {
    let clock = Arc::new(FixedClock::new(T0));
    let state = AppState::new(Default::default(), key(), clock.clone(), StdRng::seed_from_u64(42), config);
    seed::build(&state, &seed::parse(seed_text).unwrap()).unwrap();
    Emu { router: app(state.clone()), clock, state }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Reply {
    pub fn error_type(&self) -> &str {
        self.body["__type"].as_str().unwrap_or("")
    }
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert_eq!(self.status, StatusCode::OK, "unexpected error: {}", self.body);
        &self.body
    }
    #[track_caller]
    pub fn err(&self, kind: &str) -> &str {
        assert_eq!(self.status, StatusCode::BAD_REQUEST, "expected {kind}, got {}", self.body);
        assert_eq!(self.error_type(), kind, "body {}", self.body);
        assert_eq!(self.headers.get("x-amzn-errortype").unwrap(), kind);
        self.message()
    }
}

impl Emu {
    pub fn now(&self) -> i64 {
        self.state.now()
    }

    pub fn advance(&self, secs: i64) {
        self.clock.0.fetch_add(secs, Ordering::SeqCst);
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let mut req = req;
        req.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000))));
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let raw = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
        Reply { status, headers, body, raw }
    }

    pub async fn call(&self, op: &str, body: Value) -> Reply {
        let req = Request::post("/")
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", format!("AWSCognitoIdentityProviderService.{op}"))
            .header("origin", "http://localhost:8080")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    pub async fn dev(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json")
            .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
            .unwrap();
        self.send(req).await
    }

    /// USER_SRP_AUTH all the way through PASSWORD_VERIFIER; returns that second reply.
    pub async fn srp(&self, client_id: &str, pool_id: &str, username: &str, password: &str) -> Reply {
        self.srp_with(client_id, pool_id, username, password, None, &Tamper::None).await
    }

    pub async fn srp_with(
        &self,
        client_id: &str,
        pool_id: &str,
        username: &str,
        password: &str,
        secret: Option<&str>,
        tamper: &Tamper,
    ) -> Reply {
        let client = SrpClient::new(pool_id);
        let mut params = json!({ "USERNAME": username, "SRP_A": client.a_hex() });
        if let Some(s) = secret {
            params["SECRET_HASH"] = json!(secret_hash(s, username, client_id));
        }
        let first = self
            .call(
                "InitiateAuth",
                json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": params }),
            )
            .await;
        if first.status != StatusCode::OK {
            return first;
        }
        let ch = first.body["ChallengeParameters"].clone();
        assert_eq!(first.body["ChallengeName"], "PASSWORD_VERIFIER");
        let user_id = ch["USER_ID_FOR_SRP"].as_str().unwrap().to_owned();
        let now = self.now();
        let ts = match tamper {
            Tamper::PaddedDay => format_ts(now, true, 0),
            Tamper::WrongWeekday => format_ts(now, false, 1),
            _ => format_ts(now, false, 0),
        };
        let pw = if matches!(tamper, Tamper::WrongPassword) { "Wrong-Passw0rd!" } else { password };
        let mut block = ch["SECRET_BLOCK"].as_str().unwrap().to_owned();
        let sig = client.signature(
            &user_id,
            pw,
            ch["SALT"].as_str().unwrap(),
            ch["SRP_B"].as_str().unwrap(),
            &STANDARD.decode(&block).unwrap(),
            &ts,
        );
        let mut sig = sig;
        match tamper {
            Tamper::Signature => {
                let mut bytes = STANDARD.decode(&sig).unwrap();
                bytes[0] ^= 1;
                sig = STANDARD.encode(bytes);
            }
            Tamper::SecretBlock => {
                let mut bytes = STANDARD.decode(&block).unwrap();
                bytes[5] ^= 1;
                block = STANDARD.encode(bytes);
            }
            _ => {}
        }
        let mut responses = json!({
            "USERNAME": user_id,
            "PASSWORD_CLAIM_SECRET_BLOCK": block,
            "TIMESTAMP": ts,
            "PASSWORD_CLAIM_SIGNATURE": sig,
        });
        if let Some(s) = secret {
            responses["SECRET_HASH"] = json!(secret_hash(s, &user_id, client_id));
        }
        self.call(
            "RespondToAuthChallenge",
            json!({
                "ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
                "Session": first.body["Session"], "ChallengeResponses": responses,
            }),
        )
        .await
    }

    /// Answers a challenge.
    pub async fn respond(&self, client_id: &str, name: &str, session: &Value, responses: Value) -> Reply {
        self.call(
            "RespondToAuthChallenge",
            json!({ "ChallengeName": name, "ClientId": client_id, "Session": session, "ChallengeResponses": responses }),
        )
        .await
    }

    /// Signs a seed user with no MFA in and returns the AuthenticationResult.
    pub async fn tokens(&self, pool_key: &str, username: &str) -> Value {
        let p = pool(pool_key);
        let r = self.srp(&p.web, &p.id, username, &password(pool_key, username)).await;
        r.ok()["AuthenticationResult"].clone()
    }

    pub async fn messages_for(&self, username: &str) -> Vec<Value> {
        let r = self.dev("GET", "/_emulator/messages", None).await;
        r.body.as_array().unwrap().iter().filter(|m| m["username"] == username).cloned().collect()
    }
}

pub enum Tamper {
    None,
    WrongPassword,
    Signature,
    SecretBlock,
    PaddedDay,
    WrongWeekday,
}

pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

pub fn totp_code(secret_b32: &str, unix: i64) -> String {
    // Independent of the emulator's totp module: RFC 4648 decode + RFC 6238 here again.
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = String::new();
    for c in secret_b32.chars() {
        bits.push_str(&format!("{:05b}", alphabet.find(c).unwrap()));
    }
    let key: Vec<u8> = bits
        .as_bytes()
        .chunks(8)
        .filter(|c| c.len() == 8)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap())
        .collect();
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&((unix / 30) as u64).to_be_bytes());
    let d = mac.finalize().into_bytes();
    let o = (d[19] & 15) as usize;
    let n = u32::from_be_bytes([d[o] & 0x7f, d[o + 1], d[o + 2], d[o + 3]]);
    format!("{:06}", n % 1_000_000)
}

/// `Tue Jun 3 07:05:06 UTC 2025`; `pad_day` and `weekday_shift` produce the malformed variants.
pub fn format_ts(unix: i64, pad_day: bool, weekday_shift: usize) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    // Walk the calendar forward from 1970: slow and obviously right.
    let mut y = 1970;
    let mut d = days;
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    loop {
        let len = if leap(y) { 366 } else { 365 };
        if d < len {
            break;
        }
        d -= len;
        y += 1;
    }
    let lens = [31, if leap(y) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut m = 0;
    while d >= lens[m] {
        d -= lens[m];
        m += 1;
    }
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days as usize) + weekday_shift) % 7];
    let day = if pad_day { format!("{:02}", d + 1) } else { format!("{}", d + 1) };
    format!("{wd} {} {day} {:02}:{:02}:{:02} UTC {y}", names[m], secs / 3600, secs % 3600 / 60, secs % 60)
}

/// The SRP client side, from the client equations, with hex-string padHex as the JS SDK does it.
pub struct SrpClient {
    pool_name: String,
    n: BigUint,
    g: BigUint,
    a: BigUint,
    big_a: BigUint,
}

const N_HEX: &str = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

fn pad_hex(n: &BigUint) -> String {
    let mut h = n.to_str_radix(16);
    if h.len() % 2 == 1 {
        h = format!("0{h}");
    } else if "89abcdef".contains(&h[..1]) {
        h = format!("00{h}");
    }
    h
}

fn hex_to_bytes(h: &str) -> Vec<u8> {
    (0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap()).collect()
}

fn h_hex(h: &str) -> BigUint {
    BigUint::from_bytes_be(&Sha256::digest(hex_to_bytes(h)))
}

impl SrpClient {
    pub fn new(pool_id: &str) -> Self {
        Self::for_realm(pool_id.split('_').nth(1).unwrap())
    }

    /// The client of device SRP: the DeviceGroupKey stands where the pool name does (then `signature` takes the
    /// DeviceKey as the user and the device password as the password).
    pub fn for_realm(realm: &str) -> Self {
        let mut bytes = [0u8; 128];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self::with_a(realm, BigUint::from_bytes_be(&bytes))
    }

    pub fn with_a(realm: &str, a: BigUint) -> Self {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap();
        let g = BigUint::from(2u32);
        let big_a = g.modpow(&a, &n);
        Self { pool_name: realm.into(), n, g, a, big_a }
    }

    pub fn a_hex(&self) -> String {
        self.big_a.to_str_radix(16)
    }

    /// The PASSWORD_VERIFIER `ChallengeResponses` for an InitiateAuth answer's `ChallengeParameters`, signed at
    /// `ts` (a TIMESTAMP string).
    pub fn verifier_responses(&self, params: &Value, password: &str, ts: &str) -> Value {
        let block = params["SECRET_BLOCK"].as_str().unwrap();
        let user_id = params["USER_ID_FOR_SRP"].as_str().unwrap();
        let salt = params["SALT"].as_str().unwrap();
        let srp_b = params["SRP_B"].as_str().unwrap();
        let signature = self.signature(user_id, password, salt, srp_b, &STANDARD.decode(block).unwrap(), ts);
        json!({"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": block, "TIMESTAMP": ts,
               "PASSWORD_CLAIM_SIGNATURE": signature})
    }

    pub fn signature(&self, user_id: &str, password: &str, salt: &str, srp_b: &str, block: &[u8], ts: &str) -> String {
        let big_b = BigUint::parse_bytes(srp_b.as_bytes(), 16).unwrap();
        assert!(big_b.clone() % &self.n != BigUint::from(0u32));
        let k = h_hex(&format!("{}{}", pad_hex(&self.n), pad_hex(&self.g)));
        let u = h_hex(&format!("{}{}", pad_hex(&self.big_a), pad_hex(&big_b)));
        let inner = Sha256::digest(format!("{}{}:{}", self.pool_name, user_id, password).as_bytes());
        let salt_int = BigUint::parse_bytes(salt.as_bytes(), 16).unwrap();
        let x_hex = format!("{}{}", pad_hex(&salt_int), inner.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let x = h_hex(&x_hex);
        let gx = self.g.modpow(&x, &self.n);
        let kgx = (k * gx) % &self.n;
        let base = (big_b + &self.n - kgx) % &self.n;
        let s = base.modpow(&(&self.a + u.clone() * x), &self.n);
        let prk = {
            let mut m = Hmac::<Sha256>::new_from_slice(&hex_to_bytes(&pad_hex(&u))).unwrap();
            m.update(&hex_to_bytes(&pad_hex(&s)));
            m.finalize().into_bytes()
        };
        let key = {
            let mut m = Hmac::<Sha256>::new_from_slice(&prk).unwrap();
            m.update(b"Caldera Derived Key\x01");
            m.finalize().into_bytes()
        };
        let mut m = Hmac::<Sha256>::new_from_slice(&key[..16]).unwrap();
        m.update(self.pool_name.as_bytes());
        m.update(user_id.as_bytes());
        m.update(block);
        m.update(ts.as_bytes());
        STANDARD.encode(m.finalize().into_bytes())
    }
}

/// A device's secret as the client draws it for ConfirmDevice: the device password, the salt, and the verifier
/// v = g^x with x = H(padHex(salt) ‖ H(DeviceGroupKey ‖ DeviceKey ‖ ":" ‖ password)), written from the client
/// equations (like identity-js's generateHashDevice) with num-bigint.
pub struct DeviceSecret {
    pub group_key: String,
    pub device_key: String,
    pub password: String,
    pub salt_hex: String,
}

impl DeviceSecret {
    pub fn new(group_key: &str, device_key: &str) -> Self {
        let mut pw = [0u8; 40];
        let mut salt = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut pw);
        rand::thread_rng().fill_bytes(&mut salt);
        let salt_hex = pad_hex(&BigUint::from_bytes_be(&salt));
        Self { group_key: group_key.into(), device_key: device_key.into(), password: STANDARD.encode(pw), salt_hex }
    }

    pub fn verifier(&self) -> BigUint {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap();
        let inner = Sha256::digest(format!("{}{}:{}", self.group_key, self.device_key, self.password).as_bytes());
        let salt = BigUint::parse_bytes(self.salt_hex.as_bytes(), 16).unwrap();
        let x = h_hex(&format!("{}{}", pad_hex(&salt), inner.iter().map(|b| format!("{b:02x}")).collect::<String>()));
        BigUint::from(2u32).modpow(&x, &n)
    }

    /// ConfirmDevice's DeviceSecretVerifierConfig: base64 of the padHex bytes, as identity-js sends it.
    pub fn verifier_config(&self) -> Value {
        json!({
            "PasswordVerifier": STANDARD.encode(hex_to_bytes(&pad_hex(&self.verifier()))),
            "Salt": STANDARD.encode(hex_to_bytes(&self.salt_hex)),
        })
    }
}

/// Decodes a JWT payload without checking it (the tests check signatures through JWKS separately).
pub fn claims(jwt: &str) -> Value {
    let p = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
}
