//! Remembered devices end to end on the router: NewDeviceMetadata, ConfirmDevice, the device operations, and
//! sign-in through DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER with the test-side SRP client (tests/common), which
//! shares no code with the server half.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{DeviceSecret, Emu, Reply, SrpClient, emulator, format_ts, password, pool, totp_code};
use serde_json::{Value, json};

const TOTP: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// USER_SRP_AUTH through PASSWORD_VERIFIER, naming `device` in ChallengeResponses (and InitiateAuth).
async fn password_step(emu: &Emu, username: &str, device: Option<&str>) -> Reply {
    let p = pool("devices");
    let client = SrpClient::new(&p.id);
    let mut params = json!({"USERNAME": username, "SRP_A": client.a_hex()});
    if let Some(d) = device {
        params["DEVICE_KEY"] = json!(d);
    }
    let first = emu
        .call("InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": params}))
        .await;
    let first = first.ok().clone();
    let ts = format_ts(emu.now(), false, 0);
    let mut responses = client.verifier_responses(&first["ChallengeParameters"], &password("devices", username), &ts);
    if let Some(d) = device {
        responses["DEVICE_KEY"] = json!(d);
    }
    emu.respond(&p.web, "PASSWORD_VERIFIER", &first["Session"], responses).await
}

/// Answers SOFTWARE_TOKEN_MFA with the current code (the clock moves a step so a code is never reused).
async fn totp_step(emu: &Emu, username: &str, challenge: &Value) -> Reply {
    assert_eq!(challenge["ChallengeName"], "SOFTWARE_TOKEN_MFA", "{challenge}");
    emu.advance(30);
    let code = totp_code(TOTP, emu.now());
    let responses = json!({"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code});
    emu.respond(&pool("devices").web, "SOFTWARE_TOKEN_MFA", &challenge["Session"], responses).await
}

enum Proof {
    Honest,
    WrongPassword,
    FlippedSignature,
}

/// DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER with the device's secret; returns the last reply.
async fn device_steps(emu: &Emu, username: &str, challenge: &Value, secret: &DeviceSecret, proof: Proof) -> Reply {
    let web = pool("devices").web;
    assert_eq!(challenge["ChallengeName"], "DEVICE_SRP_AUTH", "{challenge}");
    let client = SrpClient::for_realm(&secret.group_key);
    let srp = json!({"USERNAME": username, "DEVICE_KEY": secret.device_key, "SRP_A": client.a_hex()});
    let second = emu.respond(&web, "DEVICE_SRP_AUTH", &challenge["Session"], srp).await;
    let second = second.ok().clone();
    assert_eq!(second["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    let params = &second["ChallengeParameters"];
    assert_eq!(params["DEVICE_KEY"], secret.device_key.as_str());
    let block = params["SECRET_BLOCK"].as_str().unwrap();
    let ts = format_ts(emu.now(), false, 0);
    let pw = match proof {
        Proof::WrongPassword => "not-the-device-password".to_owned(),
        _ => secret.password.clone(),
    };
    let salt = params["SALT"].as_str().unwrap();
    let b = params["SRP_B"].as_str().unwrap();
    let mut sig = client.signature(&secret.device_key, &pw, salt, b, &STANDARD.decode(block).unwrap(), &ts);
    if matches!(proof, Proof::FlippedSignature) {
        let mut bytes = STANDARD.decode(&sig).unwrap();
        bytes[31] ^= 0x40;
        sig = STANDARD.encode(bytes);
    }
    let responses = json!({"USERNAME": username, "DEVICE_KEY": secret.device_key, "PASSWORD_CLAIM_SECRET_BLOCK": block,
                           "TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": sig});
    emu.respond(&web, "DEVICE_PASSWORD_VERIFIER", &second["Session"], responses).await
}

/// A first sign-in (password + TOTP) and ConfirmDevice: the device's secret and the tokens.
async fn confirmed_device(emu: &Emu, username: &str) -> (DeviceSecret, Value) {
    let r = password_step(emu, username, None).await;
    let r = totp_step(emu, username, r.ok()).await;
    let result = r.ok()["AuthenticationResult"].clone();
    let meta = &result["NewDeviceMetadata"];
    let secret = DeviceSecret::new(meta["DeviceGroupKey"].as_str().unwrap(), meta["DeviceKey"].as_str().unwrap());
    let confirm = json!({"AccessToken": result["AccessToken"], "DeviceKey": secret.device_key,
                         "DeviceSecretVerifierConfig": secret.verifier_config(), "DeviceName": "test browser"});
    let r = emu.call("ConfirmDevice", confirm).await;
    assert_eq!(r.ok(), &json!({"UserConfirmationNecessary": true}));
    (secret, result)
}

fn attribute<'a>(device: &'a Value, name: &str) -> Option<&'a str> {
    device["DeviceAttributes"].as_array().unwrap().iter().find(|a| a["Name"] == name).and_then(|a| a["Value"].as_str())
}

#[tokio::test]
async fn a_remembered_device_signs_in_with_device_srp_instead_of_totp() {
    let emu = emulator();
    let user = "device1";
    let (secret, tokens) = confirmed_device(&emu, user).await;
    let (region, uuid) = secret.device_key.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert!(uuid::Uuid::parse_str(uuid).is_ok(), "{uuid}");

    // Confirmed but not yet remembered (DeviceOnlyRememberedOnUserPrompt): the TOTP code is still asked, and then
    // the tokens come without a device proof (identity-js could not answer one after MFA) and without a new device.
    let r = emu.call("GetDevice", json!({"AccessToken": tokens["AccessToken"], "DeviceKey": secret.device_key})).await;
    let device = r.ok()["Device"].clone();
    assert_eq!(attribute(&device, "dev:device_remembered_status"), Some("not_remembered"));
    assert_eq!(attribute(&device, "device_name"), Some("test browser"));
    assert_eq!(attribute(&device, "device_status"), Some("valid"));
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    let r = totp_step(&emu, user, r.ok()).await;
    let result = &r.ok()["AuthenticationResult"];
    assert!(result["AccessToken"].is_string(), "{}", r.body);
    assert!(result.get("NewDeviceMetadata").is_none(), "{result}");

    // Remembered: straight from the password to the device proof, no TOTP.
    let update = json!({"AccessToken": tokens["AccessToken"], "DeviceKey": secret.device_key, "DeviceRememberedStatus": "remembered"});
    assert_eq!(emu.call("UpdateDeviceStatus", update).await.ok(), &json!({}));
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    assert_eq!(r.ok()["ChallengeName"], "DEVICE_SRP_AUTH");
    let r = device_steps(&emu, user, r.ok(), &secret, Proof::Honest).await;
    let access = r.ok()["AuthenticationResult"]["AccessToken"].clone();
    let me = emu.call("GetUser", json!({"AccessToken": access})).await;
    assert_eq!(me.ok()["Username"], user);
    let r = emu.call("GetDevice", json!({"AccessToken": access, "DeviceKey": secret.device_key})).await;
    let device = r.ok()["Device"].clone();
    assert_eq!(attribute(&device, "dev:device_remembered_status"), Some("remembered"));
    assert!(device["DeviceLastAuthenticatedDate"].as_i64().unwrap() >= device["DeviceCreateDate"].as_i64().unwrap());

    // Not remembered again: TOTP is back.
    let update =
        json!({"AccessToken": access, "DeviceKey": secret.device_key, "DeviceRememberedStatus": "not_remembered"});
    emu.call("UpdateDeviceStatus", update).await.ok();
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    assert_eq!(r.ok()["ChallengeName"], "SOFTWARE_TOKEN_MFA");
}

#[tokio::test]
async fn a_wrong_device_proof_is_refused_and_sessions_are_single_use() {
    let emu = emulator();
    let user = "device2";
    let (secret, tokens) = confirmed_device(&emu, user).await;
    let update = json!({"AccessToken": tokens["AccessToken"], "DeviceKey": secret.device_key, "DeviceRememberedStatus": "remembered"});
    emu.call("UpdateDeviceStatus", update).await.ok();
    for proof in [Proof::WrongPassword, Proof::FlippedSignature] {
        let r = password_step(&emu, user, Some(&secret.device_key)).await;
        let r = device_steps(&emu, user, r.ok(), &secret, proof).await;
        assert_eq!(r.err("NotAuthorizedException"), "Incorrect username or password.");
    }
    // A wrong device proof is not a wrong password: the account is not locked.
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    let challenge = r.ok().clone();
    let r = device_steps(&emu, user, &challenge, &secret, Proof::Honest).await;
    r.ok();
    // The DEVICE_SRP_AUTH session was used up.
    let again = json!({"USERNAME": user, "DEVICE_KEY": secret.device_key, "SRP_A": SrpClient::for_realm("x").a_hex()});
    let r = emu.respond(&pool("devices").web, "DEVICE_SRP_AUTH", &challenge["Session"], again).await;
    r.err("NotAuthorizedException");

    // A session that has expired; another device key than the one the sign-in named.
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    let challenge = r.ok().clone();
    emu.advance(181);
    let srp = json!({"USERNAME": user, "DEVICE_KEY": secret.device_key, "SRP_A": SrpClient::for_realm("x").a_hex()});
    let r = emu.respond(&pool("devices").web, "DEVICE_SRP_AUTH", &challenge["Session"], srp).await;
    assert_eq!(r.err("NotAuthorizedException"), "Invalid session for the user, session is expired.");
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    let other = json!({"USERNAME": user, "DEVICE_KEY": "us-east-1_00000000-0000-4000-8000-000000000000",
                       "SRP_A": SrpClient::for_realm("x").a_hex()});
    let r = emu.respond(&pool("devices").web, "DEVICE_SRP_AUTH", &r.ok()["Session"], other).await;
    r.err("NotAuthorizedException");
    // SRP_A ≡ 0 is refused.
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    let zero = json!({"USERNAME": user, "DEVICE_KEY": secret.device_key, "SRP_A": "0"});
    let r = emu.respond(&pool("devices").web, "DEVICE_SRP_AUTH", &r.ok()["Session"], zero).await;
    r.err("NotAuthorizedException");
}

#[tokio::test]
async fn an_unknown_or_forgotten_device_is_resource_not_found_and_the_session_survives_for_a_retry() {
    let emu = emulator();
    let user = "device3";
    let p = pool("devices");
    let unknown = "us-east-1_11111111-2222-4333-8444-555555555555";
    // Build the PASSWORD_VERIFIER answer by hand to answer the same session twice.
    let client = SrpClient::new(&p.id);
    let first = emu
        .call(
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web,
                   "AuthParameters": {"USERNAME": user, "SRP_A": client.a_hex(), "DEVICE_KEY": unknown}}),
        )
        .await;
    let first = first.ok().clone();
    let ts = format_ts(emu.now(), false, 0);
    let mut responses = client.verifier_responses(&first["ChallengeParameters"], &password("devices", user), &ts);
    responses["DEVICE_KEY"] = json!(unknown);
    let r = emu.respond(&p.web, "PASSWORD_VERIFIER", &first["Session"], responses.clone()).await;
    assert_eq!(r.err("ResourceNotFoundException"), "Device does not exist.");
    // identity-js answers again with DEVICE_KEY null: that means "no device", even though InitiateAuth named one.
    responses["DEVICE_KEY"] = Value::Null;
    let r = emu.respond(&p.web, "PASSWORD_VERIFIER", &first["Session"], responses).await;
    let r = totp_step(&emu, user, r.ok()).await;
    assert!(r.ok()["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"].is_string());

    // A wrong password with an unknown device is still just a wrong password.
    let (secret, tokens) = confirmed_device(&emu, user).await;
    emu.call("ForgetDevice", json!({"AccessToken": tokens["AccessToken"], "DeviceKey": secret.device_key})).await.ok();
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    assert_eq!(r.err("ResourceNotFoundException"), "Device does not exist.");
    let r = emu.call("GetDevice", json!({"AccessToken": tokens["AccessToken"], "DeviceKey": secret.device_key})).await;
    r.err("ResourceNotFoundException");
    let r =
        emu.call("ForgetDevice", json!({"AccessToken": tokens["AccessToken"], "DeviceKey": secret.device_key})).await;
    r.err("ResourceNotFoundException");

    // Another user's device is not this user's.
    let (other, _) = confirmed_device(&emu, "device4").await;
    let r = password_step(&emu, user, Some(&other.device_key)).await;
    r.err("ResourceNotFoundException");
}

#[tokio::test]
async fn device_operations_user_and_admin() {
    let emu = emulator();
    let user = "device5";
    let p = pool("devices");
    let (first, tokens) = confirmed_device(&emu, user).await;
    let (second, _) = confirmed_device(&emu, user).await;
    assert_eq!(first.group_key, second.group_key, "one DeviceGroupKey per user");
    assert_ne!(first.device_key, second.device_key);
    let access = tokens["AccessToken"].clone();

    // ConfirmDevice: twice, a key never handed out, malformed keys and verifiers.
    let confirm = |key: &str, config: Value| json!({"AccessToken": access, "DeviceKey": key, "DeviceSecretVerifierConfig": config});
    let r = emu.call("ConfirmDevice", confirm(&first.device_key, first.verifier_config())).await;
    r.err("DeviceKeyExistsException");
    let r = emu
        .call("ConfirmDevice", confirm("us-east-1_99999999-2222-4333-8444-555555555555", first.verifier_config()))
        .await;
    assert_eq!(r.err("ResourceNotFoundException"), "Device does not exist.");
    for bad in ["nounderscore", "us-east-1_XYZ", &"us-east-1_".repeat(6)] {
        emu.call("ConfirmDevice", confirm(bad, first.verifier_config())).await.err("InvalidParameterException");
    }
    let r = password_step(&emu, user, None).await;
    let r = totp_step(&emu, user, r.ok()).await;
    let fresh = r.ok()["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"].as_str().unwrap().to_owned();
    for config in [
        json!({"PasswordVerifier": "not base64!", "Salt": "AAEC"}),
        json!({"PasswordVerifier": "AAAA", "Salt": "AAEC"}),
        json!({"PasswordVerifier": STANDARD.encode(vec![0xff; 384]), "Salt": "AAEC"}),
        json!({"Salt": "AAEC"}),
        json!({"PasswordVerifier": 5, "Salt": "AAEC"}),
    ] {
        let r = emu.call("ConfirmDevice", confirm(&fresh, config.clone())).await;
        assert!(
            matches!(r.error_type(), "InvalidParameterException" | "SerializationException"),
            "{config}: {}",
            r.body
        );
    }
    let r = emu.call("ConfirmDevice", json!({"AccessToken": access, "DeviceKey": fresh})).await;
    r.err("InvalidParameterException");

    // ListDevices: confirmed devices only (the fresh one is not), in pages.
    let r = emu.call("ListDevices", json!({"AccessToken": access})).await;
    let keys: Vec<&str> =
        r.ok()["Devices"].as_array().unwrap().iter().map(|d| d["DeviceKey"].as_str().unwrap()).collect();
    let mut want = vec![first.device_key.as_str(), second.device_key.as_str()];
    want.sort();
    assert_eq!(keys, want);
    let page1 = emu.call("ListDevices", json!({"AccessToken": access, "Limit": 1})).await;
    let token = page1.ok()["PaginationToken"].clone();
    assert_eq!(page1.body["Devices"].as_array().unwrap().len(), 1);
    let page2 = emu.call("ListDevices", json!({"AccessToken": access, "Limit": 1, "PaginationToken": token})).await;
    assert_eq!(page2.ok()["Devices"][0]["DeviceKey"], want[1]);
    assert!(page2.body.get("PaginationToken").is_none());
    emu.call("ListDevices", json!({"AccessToken": access, "Limit": 61})).await.err("InvalidParameterException");
    emu.call("ListDevices", json!({"AccessToken": "garbage"})).await.err("NotAuthorizedException");
    emu.call("GetDevice", json!({"DeviceKey": first.device_key})).await.err("NotAuthorizedException");

    // The admin side.
    let admin = |extra: Value| {
        let mut body = json!({"UserPoolId": p.id, "Username": user});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let r = emu.call("AdminListDevices", admin(json!({}))).await;
    assert_eq!(r.ok()["Devices"].as_array().unwrap().len(), 2);
    let update = admin(json!({"DeviceKey": first.device_key, "DeviceRememberedStatus": "remembered"}));
    emu.call("AdminUpdateDeviceStatus", update).await.ok();
    let bad = admin(json!({"DeviceKey": first.device_key, "DeviceRememberedStatus": "forever"}));
    emu.call("AdminUpdateDeviceStatus", bad).await.err("InvalidParameterException");
    let r = emu.call("AdminGetDevice", admin(json!({"DeviceKey": first.device_key}))).await;
    let device = r.ok()["Device"].clone();
    assert_eq!(attribute(&device, "dev:device_remembered_status"), Some("remembered"));
    assert_eq!(attribute(&device, "dev:device_owner"), Some(format!("{user}.{}", p.id).as_str()));
    emu.call("AdminForgetDevice", admin(json!({"DeviceKey": second.device_key}))).await.ok();
    emu.call("AdminForgetDevice", admin(json!({"DeviceKey": second.device_key})))
        .await
        .err("ResourceNotFoundException");
    let r = emu.call("AdminListDevices", admin(json!({}))).await;
    assert_eq!(r.ok()["Devices"].as_array().unwrap().len(), 1);
    let nobody = json!({"UserPoolId": p.id, "Username": "nobody", "DeviceKey": first.device_key});
    emu.call("AdminGetDevice", nobody).await.err("UserNotFoundException");

    // The remembered device (set by the admin) skips TOTP.
    let r = password_step(&emu, user, Some(&first.device_key)).await;
    let r = device_steps(&emu, user, r.ok(), &first, Proof::Honest).await;
    r.ok();
}

#[tokio::test]
async fn pool_settings_decide_what_a_device_does() {
    let emu = emulator();
    let p = pool("devices");
    let user = "device6";
    // Always remember, but remembered devices do not replace MFA.
    let update = json!({"UserPoolId": p.id, "MfaConfiguration": "OPTIONAL",
                        "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": false, "DeviceOnlyRememberedOnUserPrompt": false}});
    emu.call("UpdateUserPool", update).await.ok();
    let described = emu.call("DescribeUserPool", json!({"UserPoolId": p.id})).await;
    assert_eq!(
        described.ok()["UserPool"]["DeviceConfiguration"],
        json!({"ChallengeRequiredOnNewDevice": false, "DeviceOnlyRememberedOnUserPrompt": false})
    );
    let r = password_step(&emu, user, None).await;
    let r = totp_step(&emu, user, r.ok()).await;
    let result = r.ok()["AuthenticationResult"].clone();
    let meta = &result["NewDeviceMetadata"];
    let secret = DeviceSecret::new(meta["DeviceGroupKey"].as_str().unwrap(), meta["DeviceKey"].as_str().unwrap());
    let confirm = json!({"AccessToken": result["AccessToken"], "DeviceKey": secret.device_key,
                         "DeviceSecretVerifierConfig": secret.verifier_config()});
    let r = emu.call("ConfirmDevice", confirm).await;
    assert_eq!(r.ok(), &json!({"UserConfirmationNecessary": false}));
    let r = emu.call("GetDevice", json!({"AccessToken": result["AccessToken"], "DeviceKey": secret.device_key})).await;
    assert_eq!(attribute(&r.ok()["Device"], "dev:device_remembered_status"), Some("remembered"));
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    let r = totp_step(&emu, user, r.ok()).await;
    assert!(r.ok()["AuthenticationResult"].get("NewDeviceMetadata").is_none(), "{}", r.body);

    // Tracking off (UpdateUserPool without DeviceConfiguration): no device metadata, a device key is ignored.
    emu.call("UpdateUserPool", json!({"UserPoolId": p.id, "MfaConfiguration": "OPTIONAL"})).await.ok();
    let r = password_step(&emu, user, Some(&secret.device_key)).await;
    let r = totp_step(&emu, user, r.ok()).await;
    assert!(r.ok()["AuthenticationResult"].get("NewDeviceMetadata").is_none(), "{}", r.body);
    // The pools without DeviceConfiguration never hand out devices, password flows included.
    let plain = emu.tokens("optional", "plain").await;
    assert!(plain.get("NewDeviceMetadata").is_none());
    // A user without MFA in a tracking pool: the device is proven, there is no MFA to skip.
    emu.call(
        "UpdateUserPool",
        json!({"UserPoolId": p.id, "MfaConfiguration": "OPTIONAL",
                                      "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true}}),
    )
    .await
    .ok();
    let r = password_step(&emu, "devplain", None).await;
    let meta = r.ok()["AuthenticationResult"]["NewDeviceMetadata"].clone();
    let secret = DeviceSecret::new(meta["DeviceGroupKey"].as_str().unwrap(), meta["DeviceKey"].as_str().unwrap());
    let access = r.body["AuthenticationResult"]["AccessToken"].clone();
    let confirm = json!({"AccessToken": access, "DeviceKey": secret.device_key, "DeviceSecretVerifierConfig": secret.verifier_config()});
    assert_eq!(emu.call("ConfirmDevice", confirm).await.ok(), &json!({"UserConfirmationNecessary": false}));
    let r = password_step(&emu, "devplain", Some(&secret.device_key)).await;
    device_steps(&emu, "devplain", r.ok(), &secret, Proof::Honest).await.ok();
}

#[tokio::test]
async fn device_secrets_are_redacted_in_debug_output() {
    let emu = emulator();
    let (secret, _) = confirmed_device(&emu, "devtotp").await;
    let verifier_hex = secret.verifier().to_str_radix(16);
    let mut debug = String::new();
    emu.state.with_pool_mut(&pool("devices").id, |p| debug = format!("{:?}", p.users["devtotp"].devices));
    assert!(debug.contains(&secret.device_key) && debug.contains("<redacted>"), "{debug}");
    assert!(!debug.contains(&verifier_hex[..32]) && !debug.contains(&secret.salt_hex), "{debug}");
}
