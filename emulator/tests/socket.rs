//! The real binary on a real socket: the start-up lines, an SRP sign-in over TCP, SIGTERM, and
//! `--state` persistence across a restart (signing key included).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{SrpClient, format_ts, password, pool};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-emulator");

struct Running {
    child: Child,
    endpoint: String,
    lines: Vec<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Running {
    let mut child = Command::new(BIN).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "emulator exited early: {lines:?}");
        let line = line.trim_end().to_owned();
        let done = line == "ready";
        lines.push(line);
        if done {
            break;
        }
    }
    let endpoint = lines[0].strip_prefix("endpoint ").unwrap().to_owned();
    Running { child, endpoint, lines }
}

fn post(endpoint: &str, op: &str, body: &Value) -> (u16, Value) {
    let hostport = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(hostport).unwrap();
    let body = body.to_string();
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status: u16 = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let (head, payload) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.to_lowercase().contains("access-control-allow-origin"));
    // The server may answer chunked; tolerate both.
    let payload = if head.to_lowercase().contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = payload;
        while let Some((len, tail)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(len.trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            out.push_str(&tail[..n]);
            rest = &tail[n + 2..];
        }
        out
    } else {
        payload.to_owned()
    };
    (status, serde_json::from_str(&payload).unwrap_or(Value::Null))
}

fn sign_in(endpoint: &str, client_id: &str, pool_id: &str, username: &str, pw: &str) -> Value {
    let c = SrpClient::new(pool_id);
    let (st, first) = post(
        endpoint,
        "InitiateAuth",
        &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": {"USERNAME": username, "SRP_A": c.a_hex()}}),
    );
    assert_eq!(st, 200, "{first}");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let responses = c.verifier_responses(&first["ChallengeParameters"], pw, &format_ts(now, false, 0));
    let (st, second) = post(
        endpoint,
        "RespondToAuthChallenge",
        &json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id, "Session": first["Session"],
                "ChallengeResponses": responses}),
    );
    assert_eq!(st, 200, "{second}");
    second["AuthenticationResult"].clone()
}

fn temp_dir() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let dir = std::env::temp_dir().join(format!("cognito-emulator-test-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn serves_on_a_real_socket_and_persists_across_restart() {
    let dir = temp_dir();
    let state = dir.join("state.json");
    let state_arg = state.to_str().unwrap();
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/seed/test.json");
    let p = pool("optional");
    let mut emu = start(&["--port", "0", "--seed", seed, "--state", state_arg]);
    assert!(emu.endpoint.starts_with("http://127.0.0.1:") && emu.endpoint.ends_with('/'));
    assert!(emu.lines.contains(&format!("pool optional {} client web {}", p.id, p.web)));
    let (sid, secret) = p.secret_client.clone().unwrap();
    assert!(emu.lines.contains(&format!("pool optional {} client secret {sid} {secret}", p.id)));
    assert_eq!(emu.lines.last().unwrap(), "ready");

    let tokens = sign_in(&emu.endpoint, &p.web, &p.id, "plain", &password("optional", "plain"));
    let (st, _) = post(
        &emu.endpoint,
        "AdminCreateUser",
        &json!({"UserPoolId": p.id, "Username": "persisted", "TemporaryPassword": "Persist-Passw0rd!"}),
    );
    assert_eq!(st, 200);
    let (st, _) = post(
        &emu.endpoint,
        "AdminSetUserPassword",
        &json!({"UserPoolId": p.id, "Username": "persisted", "Password": "Persist-Passw0rd!", "Permanent": true}),
    );
    assert_eq!(st, 200);
    // The state file already holds the change (written before the response).
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(saved.contains("persisted"));
    assert!(!saved.contains("Persist-Passw0rd!"), "passwords are never stored");

    // SIGTERM exits cleanly.
    let status = Command::new("kill").arg("-TERM").arg(emu.child.id().to_string()).status().unwrap();
    assert!(status.success());
    let exit = emu.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");

    let emu2 = start(&["--port", "0", "--seed", seed, "--state", state_arg]);
    // Tokens minted before the restart still verify (same key), and the new user signs in.
    let (st, user) = post(&emu2.endpoint, "GetUser", &json!({"AccessToken": tokens["AccessToken"]}));
    assert_eq!(st, 200, "{user}");
    assert_eq!(user["Username"], "plain");
    sign_in(&emu2.endpoint, &p.web, &p.id, "persisted", "Persist-Passw0rd!");
    drop(emu2);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn help_documents_flags_and_remote_bind_is_refused() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in ["--port", "--host", "--seed", "--state", "--session-ttl", "--max-password-attempts", "--allow-remote"]
    {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let out = Command::new(BIN).args(["--host", "0.0.0.0", "--port", "0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-remote"));
}

#[test]
fn starts_empty_without_seed() {
    let emu = start(&["--port", "0"]);
    assert_eq!(emu.lines.len(), 2);
    let (st, body) = post(&emu.endpoint, "CreateUserPool", &json!({"PoolName": "x"}));
    assert_eq!(st, 200, "{body}");
}

fn ok(endpoint: &str, op: &str, body: &Value) -> Value {
    let (st, out) = post(endpoint, op, body);
    assert_eq!(st, 200, "{op}: {out}");
    out
}

/// A temp dir and the path of a state file in it (not created yet).
fn state_file() -> (std::path::PathBuf, String) {
    let dir = temp_dir();
    let state = dir.join("state.json").to_str().unwrap().to_owned();
    (dir, state)
}

/// The emulator on a free port with the test seed and `--state`.
fn start_on_state(state: &str) -> Running {
    start(&["--port", "0", "--seed", concat!(env!("CARGO_MANIFEST_DIR"), "/seed/test.json"), "--state", state])
}

#[test]
fn concurrent_enrollments_survive_kill_9() {
    const USERS: usize = 24;
    let (dir, state_arg) = state_file();
    let p = pool("optional");
    let mut emu = start_on_state(&state_arg);
    let endpoint = emu.endpoint.clone();
    let threads: Vec<_> = (0..USERS)
        .map(|i| {
            let (endpoint, pool_id, web) = (endpoint.clone(), p.id.clone(), p.web.clone());
            std::thread::spawn(move || {
                let name = format!("load{i}");
                let pw = format!("Load{i}-Passw0rd!");
                ok(&endpoint, "AdminCreateUser", &json!({"UserPoolId": pool_id, "Username": name, "TemporaryPassword": "Temp-Passw0rd!9", "MessageAction": "SUPPRESS"}));
                ok(&endpoint, "AdminSetUserPassword", &json!({"UserPoolId": pool_id, "Username": name, "Password": pw, "Permanent": true}));
                let tokens = sign_in(&endpoint, &web, &pool_id, &name, &pw);
                let access = tokens["AccessToken"].clone();
                let secret = ok(&endpoint, "AssociateSoftwareToken", &json!({"AccessToken": access}))["SecretCode"].as_str().unwrap().to_owned();
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
                let v = ok(&endpoint, "VerifySoftwareToken", &json!({"AccessToken": access, "UserCode": common::totp_code(&secret, now)}));
                assert_eq!(v["Status"], "SUCCESS");
                ok(&endpoint, "SetUserMFAPreference", &json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}));
                // The token speaks for this user and no other.
                assert_eq!(ok(&endpoint, "GetUser", &json!({"AccessToken": access}))["Username"], name.as_str());
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // Every acknowledged enrollment is on disk: kill -9 gives no chance to flush anything later.
    emu.child.kill().unwrap();
    emu.child.wait().unwrap();
    let emu2 = start_on_state(&state_arg);
    for i in 0..USERS {
        let user = ok(&emu2.endpoint, "AdminGetUser", &json!({"UserPoolId": p.id, "Username": format!("load{i}")}));
        assert_eq!(user["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA", "load{i}: {user}");
    }
    let c = SrpClient::new(&p.id);
    let r = ok(
        &emu2.endpoint,
        "InitiateAuth",
        &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "load3", "SRP_A": c.a_hex()}}),
    );
    assert_eq!(r["ChallengeName"], "PASSWORD_VERIFIER");
    drop(emu2);
    let _ = std::fs::remove_dir_all(dir);
}

/// A client that writes its whole 8 MiB body before reading (as urllib does) still reads the 413 and its
/// AWS error body: the emulator drains what it will not parse instead of closing mid-write (which made
/// the client's write fail with EPIPE or ECONNRESET and lose the answer).
#[test]
fn an_oversized_body_written_in_full_gets_its_413() {
    let emu = start(&["--port", "0"]);
    let hostport = emu.endpoint.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let body = vec![b'a'; 8 * 1024 * 1024];
    for _ in 0..2 {
        let mut s = TcpStream::connect(&hostport).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
        write!(
            s,
            "POST / HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .unwrap();
        s.write_all(&body).expect("the whole body is accepted before the answer");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw);
        assert!(raw.starts_with("HTTP/1.1 413 "), "{raw}");
        let (head, payload) = raw.split_once("\r\n\r\n").unwrap();
        assert!(head.to_ascii_lowercase().contains("x-amzn-errortype: serializationexception"), "{head}");
        let json: Value = serde_json::from_str(payload).unwrap();
        assert_eq!(json["__type"], "SerializationException");
    }
}

/// Groups, memberships, attributes and pool / client settings are in the state file as soon as the
/// call is answered: kill -9, restart, and they are all there, tokens included.
#[test]
fn groups_attributes_and_settings_survive_kill_9() {
    let (dir, state_arg) = state_file();
    let p = pool("optional");
    let mut emu = start_on_state(&state_arg);
    let e = emu.endpoint.clone();
    let group = json!({"UserPoolId": p.id, "GroupName": "persisted", "Precedence": 4, "Description": "kept"});
    ok(&e, "CreateGroup", &group);
    ok(&e, "AdminAddUserToGroup", &json!({"UserPoolId": p.id, "Username": "plain", "GroupName": "persisted"}));
    let attributes = json!([{"Name": "given_name", "Value": "Kept"}, {"Name": "email", "Value": "kept@example.com"}]);
    ok(
        &e,
        "AdminUpdateUserAttributes",
        &json!({"UserPoolId": p.id, "Username": "plain", "UserAttributes": attributes}),
    );
    ok(
        &e,
        "UpdateUserPoolClient",
        &json!({"UserPoolId": p.id, "ClientId": p.web, "AccessTokenValidity": 15, "TokenValidityUnits": {"AccessToken": "minutes"},
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    );
    ok(
        &e,
        "UpdateUserPool",
        &json!({"UserPoolId": p.id, "MfaConfiguration": "OPTIONAL", "Policies": {"PasswordPolicy": {"MinimumLength": 11}}}),
    );
    emu.child.kill().unwrap();
    emu.child.wait().unwrap();

    let emu2 = start_on_state(&state_arg);
    let e = emu2.endpoint.clone();
    let groups = ok(&e, "AdminListGroupsForUser", &json!({"UserPoolId": p.id, "Username": "plain"}));
    assert_eq!(groups["Groups"][0]["GroupName"], "persisted");
    assert_eq!(groups["Groups"][0]["Precedence"], 4);
    assert_eq!(groups["Groups"][0]["Description"], "kept");
    let user = ok(&e, "AdminGetUser", &json!({"UserPoolId": p.id, "Username": "plain"}));
    let attrs: Vec<(String, String)> = user["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["Name"].as_str().unwrap().to_owned(), a["Value"].as_str().unwrap().to_owned()))
        .collect();
    for want in [("given_name", "Kept"), ("email", "kept@example.com"), ("email_verified", "false")] {
        assert!(attrs.contains(&(want.0.to_owned(), want.1.to_owned())), "{want:?} in {attrs:?}");
    }
    let pool_type = ok(&e, "DescribeUserPool", &json!({"UserPoolId": p.id}));
    assert_eq!(pool_type["UserPool"]["Policies"]["PasswordPolicy"]["MinimumLength"], 11);
    let tokens = sign_in(&e, &p.web, &p.id, "plain", &password("optional", "plain"));
    assert_eq!(tokens["ExpiresIn"], 900);
    let id = common::claims(tokens["IdToken"].as_str().unwrap());
    assert_eq!(id["cognito:groups"], json!(["persisted"]));
    assert_eq!(id["given_name"], "Kept");
    drop(emu2);
    let _ = std::fs::remove_dir_all(dir);
}

/// A confirmed, remembered device is in the state file when ConfirmDevice / UpdateDeviceStatus are answered:
/// after kill -9 the device still signs in with device SRP.
#[test]
fn devices_survive_kill_9() {
    let (dir, state_arg) = state_file();
    let p = pool("devices");
    let user = "devplain";
    let mut emu = start_on_state(&state_arg);
    let e = emu.endpoint.clone();
    let tokens = sign_in(&e, &p.web, &p.id, user, &password("devices", user));
    let meta = &tokens["NewDeviceMetadata"];
    let secret =
        common::DeviceSecret::new(meta["DeviceGroupKey"].as_str().unwrap(), meta["DeviceKey"].as_str().unwrap());
    let confirm = json!({"AccessToken": tokens["AccessToken"], "DeviceKey": secret.device_key,
                         "DeviceSecretVerifierConfig": secret.verifier_config(), "DeviceName": "kept"});
    assert_eq!(ok(&e, "ConfirmDevice", &confirm), json!({"UserConfirmationNecessary": true}));
    let update = json!({"AccessToken": tokens["AccessToken"], "DeviceKey": secret.device_key,
                        "DeviceRememberedStatus": "remembered"});
    ok(&e, "UpdateDeviceStatus", &update);
    emu.child.kill().unwrap();
    emu.child.wait().unwrap();

    let emu2 = start_on_state(&state_arg);
    let e = emu2.endpoint.clone();
    let got = ok(&e, "AdminGetDevice", &json!({"UserPoolId": p.id, "Username": user, "DeviceKey": secret.device_key}));
    let attrs = got["Device"]["DeviceAttributes"].as_array().unwrap();
    assert!(attrs.contains(&json!({"Name": "dev:device_remembered_status", "Value": "remembered"})), "{got}");
    assert!(attrs.contains(&json!({"Name": "device_name", "Value": "kept"})), "{got}");
    // Password, then the device proof.
    let c = SrpClient::new(&p.id);
    let first = ok(
        &e,
        "InitiateAuth",
        &json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": user, "SRP_A": c.a_hex()}}),
    );
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let mut responses =
        c.verifier_responses(&first["ChallengeParameters"], &password("devices", user), &format_ts(now, false, 0));
    responses["DEVICE_KEY"] = json!(secret.device_key);
    let respond = |name: &str, session: &Value, responses: Value| {
        ok(
            &e,
            "RespondToAuthChallenge",
            &json!({"ChallengeName": name, "ClientId": p.web, "Session": session, "ChallengeResponses": responses}),
        )
    };
    let second = respond("PASSWORD_VERIFIER", &first["Session"], responses);
    assert_eq!(second["ChallengeName"], "DEVICE_SRP_AUTH");
    let dc = SrpClient::for_realm(&secret.group_key);
    let third = respond(
        "DEVICE_SRP_AUTH",
        &second["Session"],
        json!({"USERNAME": user, "DEVICE_KEY": secret.device_key, "SRP_A": dc.a_hex()}),
    );
    let params = &third["ChallengeParameters"];
    let block = params["SECRET_BLOCK"].as_str().unwrap();
    let ts = format_ts(now, false, 0);
    let sig = dc.signature(
        &secret.device_key,
        &secret.password,
        params["SALT"].as_str().unwrap(),
        params["SRP_B"].as_str().unwrap(),
        &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, block).unwrap(),
        &ts,
    );
    let last = respond(
        "DEVICE_PASSWORD_VERIFIER",
        &third["Session"],
        json!({"USERNAME": user, "DEVICE_KEY": secret.device_key, "PASSWORD_CLAIM_SECRET_BLOCK": block,
               "TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": sig}),
    );
    assert!(last["AuthenticationResult"]["AccessToken"].is_string(), "{last}");
    assert!(last["AuthenticationResult"].get("NewDeviceMetadata").is_none());
    drop(emu2);
    let _ = std::fs::remove_dir_all(dir);
}
