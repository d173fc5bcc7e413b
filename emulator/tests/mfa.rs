//! SOFTWARE_TOKEN_MFA, MFA_SETUP, SELECT_MFA_TYPE, SMS/EMAIL, NEW_PASSWORD_REQUIRED, enrollment with an
//! access token, SetUserMFAPreference and GetUser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::{Value, json};

const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

#[tokio::test]
async fn software_token_mfa_challenge_and_code_reuse() {
    let emu = emulator();
    let p = pool("optional");
    let r = emu.srp(&p.web, &p.id, "totp", &password("optional", "totp")).await;
    let b = r.ok().clone();
    assert_eq!(b["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert!(b["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"].is_string());
    assert_eq!(b["ChallengeParameters"]["USER_ID_FOR_SRP"], "totp");
    // Wrong code → CodeMismatchException, session kept for a retry.
    let wrong = if totp_code(TOTP_SECRET, emu.now()) == "000000" { "111111" } else { "000000" };
    let r = emu
        .respond(
            &p.web,
            "SOFTWARE_TOKEN_MFA",
            &b["Session"],
            json!({"USERNAME": "totp", "SOFTWARE_TOKEN_MFA_CODE": wrong}),
        )
        .await;
    r.err("CodeMismatchException");
    let code = totp_code(TOTP_SECRET, emu.now());
    let r = emu
        .respond(
            &p.web,
            "SOFTWARE_TOKEN_MFA",
            &b["Session"],
            json!({"USERNAME": "totp", "SOFTWARE_TOKEN_MFA_CODE": code}),
        )
        .await;
    assert!(r.ok()["AuthenticationResult"]["AccessToken"].is_string());
    assert!(r.body.get("Session").is_none());
    // Same code again on a new sign-in: refused while its window lasts.
    let r2 = emu.srp(&p.web, &p.id, "totp", &password("optional", "totp")).await;
    let s2 = r2.ok()["Session"].clone();
    let r = emu
        .respond(&p.web, "SOFTWARE_TOKEN_MFA", &s2, json!({"USERNAME": "totp", "SOFTWARE_TOKEN_MFA_CODE": code}))
        .await;
    r.err("CodeMismatchException");
    // The next window's code works.
    emu.advance(30);
    let next = totp_code(TOTP_SECRET, emu.now());
    emu.respond(&p.web, "SOFTWARE_TOKEN_MFA", &s2, json!({"USERNAME": "totp", "SOFTWARE_TOKEN_MFA_CODE": next}))
        .await
        .ok();
}

#[tokio::test]
async fn totp_accepts_one_step_of_skew_only() {
    let emu = emulator();
    let p = pool("optional");
    for (offset, ok) in [(-30i64, true), (30, true), (-60, false), (60, false)] {
        let emu2 = emulator();
        let r = emu2.srp(&p.web, &p.id, "totp", &password("optional", "totp")).await;
        let s = r.ok()["Session"].clone();
        let code = totp_code(TOTP_SECRET, emu2.now() + offset);
        let r = emu2
            .respond(&p.web, "SOFTWARE_TOKEN_MFA", &s, json!({"USERNAME": "totp", "SOFTWARE_TOKEN_MFA_CODE": code}))
            .await;
        if ok {
            r.ok();
        } else {
            r.err("CodeMismatchException");
        }
    }
    let _ = emu;
}

#[tokio::test]
async fn mfa_setup_through_the_session() {
    let emu = emulator();
    let p = pool("required");
    let r = emu.srp(&p.web, &p.id, "newbie1", &password("required", "newbie1")).await;
    let b = r.ok().clone();
    assert_eq!(b["ChallengeName"], "MFA_SETUP");
    let can: Vec<String> = serde_json::from_str(b["ChallengeParameters"]["MFAS_CAN_SETUP"].as_str().unwrap()).unwrap();
    assert_eq!(can, vec!["SOFTWARE_TOKEN_MFA"]);
    // Answering before enrolling does not give tokens.
    let r = emu.respond(&p.web, "MFA_SETUP", &b["Session"], json!({"USERNAME": "newbie1"})).await;
    r.err("InvalidParameterException");
    let r = emu.call("AssociateSoftwareToken", json!({"Session": b["Session"]})).await;
    let a = r.ok().clone();
    let secret = a["SecretCode"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32);
    // The first session was consumed by AssociateSoftwareToken.
    let r = emu.call("AssociateSoftwareToken", json!({"Session": b["Session"]})).await;
    assert_eq!(r.err("NotAuthorizedException"), "Invalid session for the user.");
    // Wrong code.
    let wrong = if totp_code(&secret, emu.now()) == "000000" { "111111" } else { "000000" };
    let r = emu.call("VerifySoftwareToken", json!({"Session": a["Session"], "UserCode": wrong})).await;
    assert_eq!(r.err("EnableSoftwareTokenMFAException"), "Code mismatch and fail enable Software Token MFA");
    let code = totp_code(&secret, emu.now());
    let r = emu
        .call("VerifySoftwareToken", json!({"Session": a["Session"], "UserCode": code, "FriendlyDeviceName": "phone"}))
        .await;
    let v = r.ok().clone();
    assert_eq!(v["Status"], "SUCCESS");
    let r = emu.respond(&p.web, "MFA_SETUP", &v["Session"], json!({"USERNAME": "newbie1"})).await;
    let tokens = r.ok()["AuthenticationResult"].clone();
    assert!(tokens["AccessToken"].is_string());
    // From now on the user gets SOFTWARE_TOKEN_MFA with the chosen device name.
    let r = emu.srp(&p.web, &p.id, "newbie1", &password("required", "newbie1")).await;
    assert_eq!(r.ok()["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(r.body["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"], "phone");
    // The enrolment code cannot be replayed on the challenge.
    let r = emu
        .respond(
            &p.web,
            "SOFTWARE_TOKEN_MFA",
            &r.body["Session"],
            json!({"USERNAME": "newbie1", "SOFTWARE_TOKEN_MFA_CODE": code}),
        )
        .await;
    r.err("CodeMismatchException");
    let user = emu.call("GetUser", json!({"AccessToken": tokens["AccessToken"]})).await;
    assert_eq!(user.ok()["UserMFASettingList"], json!(["SOFTWARE_TOKEN_MFA"]));
}

#[tokio::test]
async fn reused_code_refused_on_verify_software_token() {
    let emu = emulator();
    let p = pool("optional");
    let t = emu.tokens("optional", "enroll1").await;
    let access = t["AccessToken"].clone();
    let a = emu.call("AssociateSoftwareToken", json!({"AccessToken": access})).await;
    let secret = a.ok()["SecretCode"].as_str().unwrap().to_owned();
    assert!(a.body.get("Session").is_none());
    let code = totp_code(&secret, emu.now());
    let r = emu.call("VerifySoftwareToken", json!({"AccessToken": access, "UserCode": code})).await;
    assert_eq!(r.ok()["Status"], "SUCCESS");
    // Re-associate and try the same code against the new secret's window: a reused step is refused.
    let a = emu.call("AssociateSoftwareToken", json!({"AccessToken": access})).await;
    let secret2 = a.ok()["SecretCode"].as_str().unwrap().to_owned();
    let same_step = totp_code(&secret2, emu.now());
    let r = emu.call("VerifySoftwareToken", json!({"AccessToken": access, "UserCode": same_step})).await;
    r.err("EnableSoftwareTokenMFAException");
    let _ = p;
}

#[tokio::test]
async fn enroll_with_access_token_then_prefer_totp() {
    let emu = emulator();
    let p = pool("optional");
    let t = emu.tokens("optional", "enroll2").await;
    let access = t["AccessToken"].clone();
    // Preference before a verified token is refused.
    let r = emu
        .call(
            "SetUserMFAPreference",
            json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
        )
        .await;
    r.err("InvalidParameterException");
    let secret = emu.call("AssociateSoftwareToken", json!({"AccessToken": access})).await.ok()["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = totp_code(&secret, emu.now());
    emu.call("VerifySoftwareToken", json!({"AccessToken": access, "UserCode": code})).await.ok();
    // Verified but not enabled: sign-in still has no MFA in an OPTIONAL pool.
    let r = emu.srp(&p.web, &p.id, "enroll2", &password("optional", "enroll2")).await;
    assert!(r.ok()["AuthenticationResult"].is_object());
    emu.call(
        "SetUserMFAPreference",
        json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await
    .ok();
    let user = emu.call("GetUser", json!({"AccessToken": access})).await;
    let u = user.ok();
    assert_eq!(u["Username"], "enroll2");
    assert_eq!(u["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(u["UserMFASettingList"], json!(["SOFTWARE_TOKEN_MFA"]));
    assert!(u["UserAttributes"].as_array().unwrap().iter().any(|a| a["Name"] == "sub"));
    let r = emu.srp(&p.web, &p.id, "enroll2", &password("optional", "enroll2")).await;
    assert_eq!(r.ok()["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    // Disabling turns the challenge off again.
    emu.call(
        "SetUserMFAPreference",
        json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": false, "PreferredMfa": false}}),
    )
    .await
    .ok();
    let r = emu.srp(&p.web, &p.id, "enroll2", &password("optional", "enroll2")).await;
    assert!(r.ok()["AuthenticationResult"].is_object());
}

#[tokio::test]
async fn pool_without_totp_refuses_association() {
    let emu = emulator();
    let t = emu.tokens("nototp", "plain").await;
    let r = emu.call("AssociateSoftwareToken", json!({"AccessToken": t["AccessToken"]})).await;
    assert_eq!(r.err("SoftwareTokenMFANotFoundException"), "Software Token MFA has not been enabled by the userPool");
    let r = emu.call("VerifySoftwareToken", json!({"AccessToken": t["AccessToken"], "UserCode": "123456"})).await;
    r.err("SoftwareTokenMFANotFoundException");
}

#[tokio::test]
async fn associate_needs_exactly_one_of_token_or_session() {
    let emu = emulator();
    emu.call("AssociateSoftwareToken", json!({})).await.err("InvalidParameterException");
    emu.call("AssociateSoftwareToken", json!({"AccessToken": "x", "Session": "y"}))
        .await
        .err("InvalidParameterException");
    emu.call("AssociateSoftwareToken", json!({"AccessToken": "not.a.jwt"})).await.err("NotAuthorizedException");
}

async fn code_challenge(emu: &Emu, user: &str, name: &str, member: &str, channel: &str) {
    let p = pool("optional");
    let r = emu.srp(&p.web, &p.id, user, &password("optional", user)).await;
    let b = r.ok().clone();
    assert_eq!(b["ChallengeName"], name);
    assert_eq!(b["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"], channel);
    let msgs = emu.messages_for(user).await;
    let m = msgs.last().unwrap();
    assert_eq!(m["channel"], channel);
    assert_eq!(m["poolId"], p.id.as_str());
    let code = m["code"].as_str().unwrap();
    assert_eq!(code.len(), 6);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    emu.respond(&p.web, name, &b["Session"], json!({"USERNAME": user, member: wrong}))
        .await
        .err("CodeMismatchException");
    emu.respond(&p.web, name, &b["Session"], json!({"USERNAME": user, member: code})).await.ok();
}

#[tokio::test]
async fn sms_and_email_codes_via_dev_channel() {
    let emu = emulator();
    code_challenge(&emu, "sms", "SMS_MFA", "SMS_MFA_CODE", "SMS").await;
    code_challenge(&emu, "email", "EMAIL_OTP", "EMAIL_OTP_CODE", "EMAIL").await;
    let m = &emu.messages_for("sms").await[0];
    assert_eq!(m["destination"], "+15555550102");
}

#[tokio::test]
async fn select_mfa_type_when_several_enabled_and_none_preferred() {
    let emu = emulator();
    let p = pool("optional");
    let r = emu.srp(&p.web, &p.id, "both", &password("optional", "both")).await;
    let b = r.ok().clone();
    assert_eq!(b["ChallengeName"], "SELECT_MFA_TYPE");
    let choose: Vec<String> =
        serde_json::from_str(b["ChallengeParameters"]["MFAS_CAN_CHOOSE"].as_str().unwrap()).unwrap();
    assert!(choose.contains(&"SMS_MFA".to_owned()) && choose.contains(&"SOFTWARE_TOKEN_MFA".to_owned()));
    let r = emu
        .respond(&p.web, "SELECT_MFA_TYPE", &b["Session"], json!({"USERNAME": "both", "ANSWER": "SOFTWARE_TOKEN_MFA"}))
        .await;
    let c = r.ok().clone();
    assert_eq!(c["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let seed = seed_json();
    let secret =
        seed["pools"][0]["users"].as_array().unwrap().iter().find(|u| u["username"] == "both").unwrap()["totpSecret"]
            .as_str()
            .unwrap()
            .to_owned();
    let code = totp_code(&secret, emu.now());
    emu.respond(
        &p.web,
        "SOFTWARE_TOKEN_MFA",
        &c["Session"],
        json!({"USERNAME": "both", "SOFTWARE_TOKEN_MFA_CODE": code}),
    )
    .await
    .ok();
    // Choosing SMS instead sends a code.
    let r = emu.srp(&p.web, &p.id, "both", &password("optional", "both")).await;
    let r = emu
        .respond(&p.web, "SELECT_MFA_TYPE", &r.body["Session"], json!({"USERNAME": "both", "ANSWER": "SMS_MFA"}))
        .await;
    assert_eq!(r.ok()["ChallengeName"], "SMS_MFA");
    assert_eq!(emu.messages_for("both").await.len(), 1);
}

#[tokio::test]
async fn new_password_required() {
    let emu = emulator();
    let p = pool("optional");
    let r = emu.srp(&p.web, &p.id, "temp", &password("optional", "temp")).await;
    let b = r.ok().clone();
    assert_eq!(b["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let attrs: Value = serde_json::from_str(b["ChallengeParameters"]["userAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(attrs["email"], "temp@example.com");
    assert_eq!(b["ChallengeParameters"]["requiredAttributes"], "[]");
    // Weak password refused, session kept.
    let r = emu
        .respond(&p.web, "NEW_PASSWORD_REQUIRED", &b["Session"], json!({"USERNAME": "temp", "NEW_PASSWORD": "weak"}))
        .await;
    r.err("InvalidPasswordException");
    let r = emu
        .respond(
            &p.web,
            "NEW_PASSWORD_REQUIRED",
            &b["Session"],
            json!({"USERNAME": "temp", "NEW_PASSWORD": "Brand-New-Passw0rd!", "userAttributes.name": "Tem P"}),
        )
        .await;
    let id = claims(r.ok()["AuthenticationResult"]["IdToken"].as_str().unwrap());
    assert_eq!(id["name"], "Tem P");
    // Old password gone, new one works.
    emu.srp(&p.web, &p.id, "temp", &password("optional", "temp")).await.err("NotAuthorizedException");
    emu.srp(&p.web, &p.id, "temp", "Brand-New-Passw0rd!").await.ok();
}

#[tokio::test]
async fn required_pool_uses_a_token_verified_with_the_access_token() {
    // newbie2 enrolls through MFA_SETUP, then re-associates with the access token: the new secret is the
    // one challenged from then on.
    let emu = emulator();
    let p = pool("required");
    let r = emu.srp(&p.web, &p.id, "newbie2", &password("required", "newbie2")).await;
    let s = r.ok()["Session"].clone();
    let a = emu.call("AssociateSoftwareToken", json!({"Session": s})).await.ok().clone();
    let first = a["SecretCode"].as_str().unwrap().to_owned();
    let v = emu
        .call("VerifySoftwareToken", json!({"Session": a["Session"], "UserCode": totp_code(&first, emu.now())}))
        .await
        .ok()
        .clone();
    let t = emu.respond(&p.web, "MFA_SETUP", &v["Session"], json!({"USERNAME": "newbie2"})).await.ok()["AuthenticationResult"].clone();
    let second = emu.call("AssociateSoftwareToken", json!({"AccessToken": t["AccessToken"]})).await.ok()["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    emu.advance(30);
    emu.call(
        "VerifySoftwareToken",
        json!({"AccessToken": t["AccessToken"], "UserCode": totp_code(&second, emu.now())}),
    )
    .await
    .ok();
    emu.advance(30);
    let r = emu.srp(&p.web, &p.id, "newbie2", &password("required", "newbie2")).await;
    assert_eq!(r.ok()["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let s = r.body["Session"].clone();
    emu.respond(
        &p.web,
        "SOFTWARE_TOKEN_MFA",
        &s,
        json!({"USERNAME": "newbie2", "SOFTWARE_TOKEN_MFA_CODE": totp_code(&first, emu.now())}),
    )
    .await
    .err("CodeMismatchException");
    emu.respond(
        &p.web,
        "SOFTWARE_TOKEN_MFA",
        &s,
        json!({"USERNAME": "newbie2", "SOFTWARE_TOKEN_MFA_CODE": totp_code(&second, emu.now())}),
    )
    .await
    .ok();
}
