//! The real binary under load and faults, on loopback, bounded in time and size.
//!
//! Not part of `cargo test --workspace` (`test = false` in Cargo.toml: minutes of CPU on two cores);
//! `cargo xtask load` and the `load` stage of `cargo xtask test` run it.
//!
//! - `concurrent_sign_ins_and_enrollments`: 200 users at once, each
//!   created, signed in with SRP, enrolled in TOTP and signed in again through SOFTWARE_TOKEN_MFA;
//!   another user's code is refused, every user sees only their own state.
//! - `acknowledged_enrollments_survive_kill_9`: three rounds (`LOAD_KILL_ROUNDS`, 1 in `cargo xtask test`) of 200
//!   concurrent enrollments with `--state`, each ended by kill -9 in the middle; after every restart
//!   every acknowledged write is still there and the state file parses.
//! - `malformed_requests_get_4xx_and_the_process_stays_up`: wrong types, 10 MiB, 100k nested `[`,
//!   invalid UTF-8, unknown and missing targets, every operation with an empty, an array and a mistyped
//!   body, a non-HTTP line.
//!
//! Each prints a `LOAD ...` summary line that `cargo xtask load` shows and the README "Hardening"
//! table quotes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{SrpClient, format_ts, pool, totp_code};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-emulator");
const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seed/test.json");
const USERS: usize = 200;
/// No single request may take longer (p99 reaches tens of seconds on two busy cores: every write
/// rewrites and fsyncs the whole state under one lock); the whole test is bounded by it.
const IO_TIMEOUT: Duration = Duration::from_secs(300);

struct Emulator {
    child: Child,
    addr: String,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Emulator {
    fn start(state: &std::path::Path) -> Self {
        let mut child = Command::new(BIN)
            .args(["--port", "0", "--seed", SEED, "--state", state.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut addr = String::new();
        loop {
            let mut line = String::new();
            assert!(reader.read_line(&mut line).unwrap() > 0, "the emulator exited before `ready`");
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("endpoint http://") {
                addr = e.trim_end_matches('/').to_owned();
            }
            if line == "ready" {
                break;
            }
        }
        Emulator { child, addr }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// kill -9: no signal handler, no flush, nothing after the last completed write.
    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// One HTTP/1.1 exchange on a fresh connection. `Err` when the connection fails (the emulator was
/// killed); the status and body otherwise.
fn raw(addr: &str, head: &str, body: &[u8]) -> std::io::Result<(u16, String, Vec<u8>)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(IO_TIMEOUT))?;
    s.set_write_timeout(Some(IO_TIMEOUT))?;
    s.write_all(head.as_bytes())?;
    // A write error must not hide an answer that was already sent: keep what was read.
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let read = s.read_to_end(&mut out);
    if out.is_empty() {
        read?;
    }
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| std::io::Error::other("no HTTP head"))?;
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let status =
        head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| std::io::Error::other("no status"))?;
    let mut payload = out[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        payload = dechunk(&payload);
    }
    Ok((status, head, payload))
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&rest[..i]).trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < i + 2 + n {
            break;
        }
        out.extend_from_slice(&rest[i + 2..i + 2 + n]);
        rest = &rest[(i + 4 + n).min(rest.len())..];
    }
    out
}

fn head(addr: &str, target: Option<&str>, len: usize) -> String {
    let target = target.map(|t| format!("X-Amz-Target: {t}\r\n")).unwrap_or_default();
    format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.1\r\n{target}Content-Length: {len}\r\nConnection: close\r\n\r\n"
    )
}

/// Latencies of every API request, for the percentiles.
#[derive(Default)]
struct Stats {
    latencies: Mutex<Vec<Duration>>,
}

impl Stats {
    fn percentile(&self, p: f64) -> Duration {
        let mut v = self.latencies.lock().unwrap().clone();
        v.sort();
        v.get(((v.len() as f64 * p) as usize).min(v.len().saturating_sub(1))).copied().unwrap_or_default()
    }
    fn count(&self) -> usize {
        self.latencies.lock().unwrap().len()
    }
}

/// A Cognito call: `Err` on a connection failure, `(status, body)` otherwise.
fn api(addr: &str, stats: &Stats, op: &str, body: &Value) -> std::io::Result<(u16, Value)> {
    let body = body.to_string();
    let t = Instant::now();
    let (status, _, payload) =
        raw(addr, &head(addr, Some(&format!("AWSCognitoIdentityProviderService.{op}")), body.len()), body.as_bytes())?;
    stats.latencies.lock().unwrap().push(t.elapsed());
    Ok((status, serde_json::from_slice(&payload).unwrap_or(Value::Null)))
}

/// A call that must succeed while the emulator is up.
fn ok(addr: &str, stats: &Stats, op: &str, body: &Value) -> std::io::Result<Value> {
    let (status, out) = api(addr, stats, op, body)?;
    if status != 200 {
        return Err(std::io::Error::other(format!("{op}: HTTP {status} {out}")));
    }
    Ok(out)
}

fn emulator_now(addr: &str) -> std::io::Result<i64> {
    let (status, _, body) =
        raw(addr, &format!("GET /_emulator/clock HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"), b"")?;
    assert_eq!(status, 200);
    Ok(serde_json::from_slice::<Value>(&body).unwrap()["now"].as_i64().unwrap())
}

fn advance_clock(addr: &str, secs: i64) {
    let body = json!({ "advanceSeconds": secs }).to_string();
    let h = format!(
        "POST /_emulator/clock HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    assert_eq!(raw(addr, &h, body.as_bytes()).unwrap().0, 200);
}

struct Pool {
    id: String,
    web: String,
}

fn optional_pool() -> Pool {
    let p = pool("optional");
    Pool { id: p.id, web: p.web }
}

fn create_user(addr: &str, stats: &Stats, p: &Pool, name: &str, pw: &str) -> std::io::Result<()> {
    ok(
        addr,
        stats,
        "AdminCreateUser",
        &json!({"UserPoolId": p.id, "Username": name, "TemporaryPassword": "Temp-Passw0rd!9", "MessageAction": "SUPPRESS"}),
    )?;
    ok(
        addr,
        stats,
        "AdminSetUserPassword",
        &json!({"UserPoolId": p.id, "Username": name, "Password": pw, "Permanent": true}),
    )?;
    Ok(())
}

/// USER_SRP_AUTH through PASSWORD_VERIFIER; returns that answer (tokens or the next challenge).
fn srp_sign_in(addr: &str, stats: &Stats, p: &Pool, name: &str, pw: &str) -> std::io::Result<Value> {
    let c = SrpClient::new(&p.id);
    let first = ok(
        addr,
        stats,
        "InitiateAuth",
        &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": name, "SRP_A": c.a_hex()}}),
    )?;
    let ts = format_ts(emulator_now(addr)?, false, 0);
    let responses = c.verifier_responses(&first["ChallengeParameters"], pw, &ts);
    ok(
        addr,
        stats,
        "RespondToAuthChallenge",
        &json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": p.web, "Session": first["Session"],
                "ChallengeResponses": responses}),
    )
}

fn password_of(name: &str) -> String {
    format!("Load-{name}-Passw0rd!")
}

/// What one user's client got back, and which writes the emulator acknowledged.
#[derive(Default, Clone)]
struct Enrollment {
    created: bool,
    access_token: Option<String>,
    secret: Option<String>,
    verified: bool,
    preferred: bool,
}

/// Create → SRP sign-in → AssociateSoftwareToken → VerifySoftwareToken → SetUserMFAPreference, recording
/// each acknowledgement as it arrives; stops at the first failure (the emulator may have been killed).
fn enroll(addr: &str, stats: &Stats, p: &Pool, name: &str, out: &Mutex<Enrollment>) -> std::io::Result<()> {
    let pw = password_of(name);
    create_user(addr, stats, p, name, &pw)?;
    out.lock().unwrap().created = true;
    let tokens = srp_sign_in(addr, stats, p, name, &pw)?;
    let access = tokens["AuthenticationResult"]["AccessToken"]
        .as_str()
        .ok_or_else(|| std::io::Error::other(format!("no tokens: {tokens}")))?
        .to_owned();
    out.lock().unwrap().access_token = Some(access.clone());
    let secret = ok(addr, stats, "AssociateSoftwareToken", &json!({"AccessToken": access}))?["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    out.lock().unwrap().secret = Some(secret.clone());
    let v = ok(
        addr,
        stats,
        "VerifySoftwareToken",
        &json!({"AccessToken": access, "UserCode": totp_code(&secret, emulator_now(addr)?), "FriendlyDeviceName": name}),
    )?;
    assert_eq!(v["Status"], "SUCCESS");
    out.lock().unwrap().verified = true;
    ok(
        addr,
        stats,
        "SetUserMFAPreference",
        &json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )?;
    out.lock().unwrap().preferred = true;
    Ok(())
}

/// Sign-in through SOFTWARE_TOKEN_MFA: first with `wrong_secret`'s code (must be refused unless the
/// codes happen to coincide), then with the user's own.
fn mfa_sign_in(addr: &str, stats: &Stats, p: &Pool, name: &str, secret: &str, wrong_secret: Option<&str>) -> Value {
    let r = srp_sign_in(addr, stats, p, name, &password_of(name)).unwrap();
    assert_eq!(r["ChallengeName"], "SOFTWARE_TOKEN_MFA", "{name}: {r}");
    let now = emulator_now(addr).unwrap();
    let code = totp_code(secret, now);
    let answer = |code: &str| {
        api(addr, stats, "RespondToAuthChallenge", &json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": p.web, "Session": r["Session"],
            "ChallengeResponses": {"USERNAME": r["ChallengeParameters"]["USER_ID_FOR_SRP"].as_str().unwrap_or(name), "SOFTWARE_TOKEN_MFA_CODE": code}}))
        .unwrap()
    };
    if let Some(other) = wrong_secret {
        let other_code = totp_code(other, now);
        if other_code != code {
            let (status, body) = answer(&other_code);
            assert_eq!(
                (status, body["__type"].as_str()),
                (400, Some("CodeMismatchException")),
                "{name} accepted another user's code: {body}"
            );
        }
    }
    let (status, body) = answer(&code);
    assert_eq!(status, 200, "{name}: own code refused: {body}");
    let access = body["AuthenticationResult"]["AccessToken"].as_str().unwrap().to_owned();
    let user = ok(addr, stats, "GetUser", &json!({"AccessToken": access})).unwrap();
    assert_eq!(user["Username"], name, "a token for {name} speaks for {}", user["Username"]);
    user
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let dir = std::env::temp_dir().join(format!("cognito-emulator-load-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Runs `f(i)` on `n` threads released together by a barrier.
fn all_at_once<T: Send + 'static>(n: usize, f: impl Fn(usize) -> T + Send + Sync + 'static) -> Vec<T> {
    let f = Arc::new(f);
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (f, barrier) = (f.clone(), barrier.clone());
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    barrier.wait();
                    f(i)
                })
                .unwrap()
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn state_users(path: &std::path::Path, pool_id: &str) -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let db: Value = serde_json::from_str(&text).expect("the state file is not valid JSON");
    let users = db.pointer(&format!("/pools/{pool_id}/users")).cloned().unwrap_or(Value::Null);
    serde_json::from_value(users).expect("pools.<id>.users is not a map")
}

#[test]
fn concurrent_sign_ins_and_enrollments() {
    let dir = temp_dir("concurrent");
    let state = dir.join("state.json");
    let emu = Emulator::start(&state);
    let addr = emu.addr.clone();
    let p = Arc::new(optional_pool());
    let stats = Arc::new(Stats::default());

    let t = Instant::now();
    let enrolled = {
        let (addr, p, stats) = (addr.clone(), p.clone(), stats.clone());
        all_at_once(USERS, move |i| {
            let name = format!("conc{i}");
            let e = Mutex::new(Enrollment::default());
            enroll(&addr, &stats, &p, &name, &e).unwrap_or_else(|err| panic!("{name}: {err}"));
            let e = e.into_inner().unwrap();
            let user = ok(&addr, &stats, "GetUser", &json!({"AccessToken": e.access_token})).unwrap();
            assert_eq!(user["Username"], name.as_str());
            assert_eq!(user["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA", "{name}: {user}");
            e.secret.unwrap()
        })
    };
    let enroll_time = t.elapsed();
    let enroll_requests = stats.count();

    // Past the window of the codes just used, so each user's next code is fresh.
    advance_clock(&addr, 60);
    let secrets = Arc::new(enrolled);
    let t = Instant::now();
    {
        let (addr, p, stats, secrets) = (addr.clone(), p.clone(), stats.clone(), secrets.clone());
        all_at_once(USERS, move |i| {
            let neighbour = &secrets[(i + 1) % USERS];
            mfa_sign_in(&addr, &stats, &p, &format!("conc{i}"), &secrets[i], Some(neighbour));
        });
    }
    let sign_in_time = t.elapsed();

    // The stored secrets are exactly the ones each client saw: nothing swapped between users.
    let users = state_users(&state, &p.id);
    for (i, secret) in secrets.iter().enumerate() {
        let u = &users[&format!("conc{i}")];
        assert_eq!(u["totp_secret"].as_str(), Some(secret.as_str()), "conc{i}: stored secret differs");
        assert_eq!(u["totp_device_name"].as_str(), Some(format!("conc{i}").as_str()));
    }
    let distinct: std::collections::BTreeSet<_> = secrets.iter().collect();
    assert_eq!(distinct.len(), USERS, "two users got the same secret");

    let total = stats.count();
    let wall = enroll_time + sign_in_time;
    println!(
        "LOAD concurrency={USERS} users={USERS} requests={total} (enroll phase {enroll_requests} in {:.1}s, MFA sign-in phase {} in {:.1}s) \
         throughput={:.0} req/s p50={}ms p99={}ms failures=0",
        enroll_time.as_secs_f64(),
        total - enroll_requests,
        sign_in_time.as_secs_f64(),
        total as f64 / wall.as_secs_f64(),
        ms(stats.percentile(0.50)),
        ms(stats.percentile(0.99)),
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn acknowledged_enrollments_survive_kill_9() {
    // `cargo xtask load` runs 3 rounds; the `cargo xtask test` stage sets LOAD_KILL_ROUNDS=1 to stay quick.
    let rounds: usize =
        std::env::var("LOAD_KILL_ROUNDS").ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(3);
    let dir = temp_dir("kill9");
    let state = dir.join("state.json");
    let p = Arc::new(optional_pool());
    let stats = Arc::new(Stats::default());
    let mut acked: BTreeMap<String, Enrollment> = BTreeMap::new();
    let mut in_flight_failures = 0usize;
    // Users, verified tokens and preferences found after the last restart.
    let mut found = [0usize; 3];

    for round in 0..rounds {
        let emu = Emulator::start(&state);
        let addr = emu.addr.clone();
        let records: Arc<Vec<Mutex<Enrollment>>> =
            Arc::new((0..USERS).map(|_| Mutex::new(Enrollment::default())).collect());
        let preferred = Arc::new(AtomicUsize::new(0));
        let runner = {
            let (addr, p, stats, records, preferred) =
                (addr.clone(), p.clone(), stats.clone(), records.clone(), preferred.clone());
            std::thread::spawn(move || {
                all_at_once(USERS, move |i| {
                    let r = enroll(&addr, &stats, &p, &format!("r{round}u{i}"), &records[i]);
                    if r.is_ok() {
                        preferred.fetch_add(1, Ordering::SeqCst);
                    }
                    r.is_err()
                })
            })
        };
        // Kill once a third of the users have finished: the rest are mid-way, with requests in flight.
        let deadline = Instant::now() + IO_TIMEOUT;
        while preferred.load(Ordering::SeqCst) < USERS / 3 {
            assert!(Instant::now() < deadline, "round {round}: no progress");
            std::thread::sleep(Duration::from_millis(5));
        }
        emu.kill9();
        let failures = runner.join().unwrap();
        in_flight_failures += failures.iter().filter(|f| **f).count();
        assert!(failures.iter().any(|f| *f), "round {round}: the kill came after all work was done");
        for (i, r) in records.iter().enumerate() {
            let e = r.lock().unwrap().clone();
            if e.created {
                acked.insert(format!("r{round}u{i}"), e);
            }
        }

        // Restart on the same file and check every acknowledgement so far, from every round.
        let mut emu = Emulator::start(&state);
        let addr = emu.addr.clone();
        let users = state_users(&state, &p.id);
        found.fill(0);
        for (name, e) in &acked {
            let stored = users.get(name).unwrap_or_else(|| panic!("{name}: acknowledged user lost"));
            let got = ok(&addr, &stats, "AdminGetUser", &json!({"UserPoolId": p.id, "Username": name})).unwrap();
            assert_eq!(got["UserStatus"], "CONFIRMED", "{name}: {got}");
            found[0] += 1;
            if e.verified {
                assert_eq!(
                    stored["totp_secret"].as_str(),
                    e.secret.as_deref(),
                    "{name}: acknowledged VerifySoftwareToken lost"
                );
                found[1] += 1;
            }
            if e.preferred {
                assert_eq!(
                    got["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA",
                    "{name}: acknowledged SetUserMFAPreference lost: {got}"
                );
                found[2] += 1;
            }
        }
        assert!(emu.alive());
        drop(emu);
    }

    // Finally prove the surviving enrollments work end to end: every verified user (preference set
    // now where the kill came first, with the access token issued before it) signs in with their TOTP.
    let emu = Emulator::start(&state);
    let addr = emu.addr.clone();
    advance_clock(&addr, 60);
    let verified: Vec<(String, Enrollment)> =
        acked.iter().filter(|(_, e)| e.verified).map(|(n, e)| (n.clone(), e.clone())).collect();
    for (name, e) in &verified {
        if !e.preferred {
            ok(&addr, &stats, "SetUserMFAPreference", &json!({"AccessToken": e.access_token, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}))
                .unwrap_or_else(|err| panic!("{name}: the verified token was lost: {err}"));
        }
    }
    let signed_in = Arc::new(AtomicUsize::new(0));
    // In waves of USERS, the same concurrency as the rest of the test.
    for wave in verified.chunks(USERS) {
        let (addr, p, stats, signed_in, wave) =
            (addr.clone(), p.clone(), stats.clone(), signed_in.clone(), Arc::new(wave.to_vec()));
        all_at_once(wave.len(), move |i| {
            let (name, e) = &wave[i];
            mfa_sign_in(&addr, &stats, &p, name, e.secret.as_deref().unwrap(), None);
            signed_in.fetch_add(1, Ordering::SeqCst);
        });
    }
    let count = |f: fn(&Enrollment) -> bool| acked.values().filter(|e| f(e)).count();
    println!(
        "LOAD kill9 rounds={rounds} kills_survived={rounds} concurrency={USERS} acknowledged/found after restart: \
         users={}/{} verified_tokens={}/{} preferences={}/{}; verified users signing in with their TOTP afterwards={}/{}; \
         clients cut off by the kills={in_flight_failures} requests={} p50={}ms p99={}ms",
        count(|e| e.created),
        found[0],
        count(|e| e.verified),
        found[1],
        count(|e| e.preferred),
        found[2],
        signed_in.load(Ordering::SeqCst),
        verified.len(),
        stats.count(),
        ms(stats.percentile(0.50)),
        ms(stats.percentile(0.99)),
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn malformed_requests_get_4xx_and_the_process_stays_up() {
    let dir = temp_dir("malformed");
    let mut emu = Emulator::start(&dir.join("state.json"));
    let addr = emu.addr.clone();
    let p = optional_pool();
    let op = |name: &str| format!("AWSCognitoIdentityProviderService.{name}");

    let huge = {
        let mut b = br#"{"AuthFlow":"USER_SRP_AUTH","ClientId":""#.to_vec();
        b.resize(10 * 1024 * 1024, b'a');
        b
    };
    let deep = "[".repeat(100_000).into_bytes();
    let deep_object = format!(r#"{{"AuthParameters":{}}}"#, "{\"a\":".repeat(50_000)).into_bytes();
    let cases: Vec<(&str, Option<String>, Vec<u8>, &str)> = vec![
        (
            "wrong type (number for a string)",
            Some(op("InitiateAuth")),
            br#"{"AuthFlow":5,"ClientId":true}"#.to_vec(),
            "SerializationException",
        ),
        (
            "wrong type (string for a map)",
            Some(op("InitiateAuth")),
            format!(r#"{{"AuthFlow":"USER_SRP_AUTH","ClientId":"{}","AuthParameters":"x"}}"#, p.web).into_bytes(),
            "SerializationException",
        ),
        ("wrong type (array body)", Some(op("GetUser")), b"[1,2,3]".to_vec(), "SerializationException"),
        ("10 MiB body", Some(op("InitiateAuth")), huge, "SerializationException"),
        ("100k nested [", Some(op("InitiateAuth")), deep, "SerializationException"),
        ("50k nested objects", Some(op("RespondToAuthChallenge")), deep_object, "SerializationException"),
        (
            "invalid UTF-8",
            Some(op("InitiateAuth")),
            b"{\"AuthFlow\":\"\xff\xfe\xc3\x28\"}".to_vec(),
            "SerializationException",
        ),
        ("truncated JSON", Some(op("InitiateAuth")), br#"{"AuthFlow":"USER_SRP_AU"#.to_vec(), "SerializationException"),
        ("NUL bytes", Some(op("GetUser")), b"\0\0\0\0".to_vec(), "SerializationException"),
        ("unknown target", Some(op("DropAllTables")), b"{}".to_vec(), "UnknownOperationException"),
        ("foreign service prefix", Some("AmazonS3.ListBuckets".into()), b"{}".to_vec(), "UnknownOperationException"),
        ("missing X-Amz-Target", None, b"{}".to_vec(), "UnknownOperationException"),
        ("missing members", Some(op("RespondToAuthChallenge")), b"{}".to_vec(), "InvalidParameterException"),
        ("garbage access token", Some(op("GetUser")), br#"{"AccessToken":"a.b.c"}"#.to_vec(), "NotAuthorizedException"),
    ];
    let mut tried = 0;
    for (what, target, body, want) in &cases {
        let (status, head, payload) =
            raw(&addr, &head(&addr, target.as_deref(), body.len()), body).unwrap_or_else(|e| panic!("{what}: {e}"));
        let json: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
        // Too large is 413 (the body is not read past 1 MiB); everything else is a plain 400.
        let want_status = if *what == "10 MiB body" { 413 } else { 400 };
        assert_eq!(status, want_status, "{what}: HTTP {status} {json}");
        assert_eq!(json["__type"], *want, "{what}: {json}");
        assert!(
            head.to_ascii_lowercase().contains(&format!("x-amzn-errortype: {}", want.to_ascii_lowercase())),
            "{what}: {head}"
        );
        assert!(emu.alive(), "{what}: the emulator died");
        tried += 1;
    }
    // Every operation, with nothing, with the wrong body type, and with members of the wrong types.
    let mistyped =
        br#"{"UserPoolId":1,"Username":[],"AccessToken":{},"ClientId":false,"GroupName":2,"UserAttributes":"x"}"#;
    for name in cognito_emulator::ops::OPERATIONS {
        for body in [&b"{}"[..], b"[]", mistyped] {
            let (status, head, payload) =
                raw(&addr, &head(&addr, Some(&op(name)), body.len()), body).unwrap_or_else(|e| panic!("{name}: {e}"));
            let json: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
            let kind = json["__type"].as_str().unwrap_or_default();
            assert_eq!(status, 400, "{name} {}: HTTP {status} {json}", String::from_utf8_lossy(body));
            assert!(!kind.is_empty() && kind != "InternalErrorException", "{name}: {json}");
            assert!(head.to_ascii_lowercase().contains(&format!("x-amzn-errortype: {}", kind.to_ascii_lowercase())));
            tried += 1;
        }
    }
    assert!(emu.alive(), "the emulator died on a malformed operation call");
    // Not HTTP at all: the connection is refused by the HTTP layer, the process carries on.
    {
        let mut s = TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        s.write_all(b"\x16\x03\x01\x02\x00 hello, not http\r\n\r\n").unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        tried += 1;
    }
    assert!(emu.alive());
    // And it still works: a full SRP sign-in.
    let stats = Stats::default();
    let pw = common::password("optional", "plain");
    let r = srp_sign_in(&addr, &stats, &p, "plain", &pw).unwrap();
    assert!(r["AuthenticationResult"]["AccessToken"].is_string(), "{r}");
    println!("LOAD malformed requests={tried} all 4xx with an AWS error type; process up; SRP sign-in afterwards OK");
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}
