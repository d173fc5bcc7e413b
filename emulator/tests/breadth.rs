//! What apps and their test suites call around sign-in: attributes and their verification, groups in
//! the tokens, admin resets, confirmations and sign-outs, pool and client updates, ListUsers filters
//! and pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::{Value, json};

fn attrs(user: &Value, member: &str) -> std::collections::BTreeMap<String, String> {
    user[member]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["Name"].as_str().unwrap().to_owned(), a["Value"].as_str().unwrap().to_owned()))
        .collect()
}

async fn admin_get(emu: &Emu, pool_id: &str, username: &str) -> std::collections::BTreeMap<String, String> {
    let r = emu.call("AdminGetUser", json!({"UserPoolId": pool_id, "Username": username})).await;
    attrs(r.ok(), "UserAttributes")
}

async fn sign_in_password(emu: &Emu, client_id: &str, username: &str, password: &str) -> common::Reply {
    emu.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": username, "PASSWORD": password}}),
    )
    .await
}

fn refresh_body(client_id: &str, token: &Value) -> Value {
    json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id, "AuthParameters": {"REFRESH_TOKEN": token}})
}

// ---- attributes ----------------------------------------------------------------------------------

#[tokio::test]
async fn admin_attribute_updates_and_their_verified_flags() {
    let emu = emulator();
    let p = pool("optional");
    let update = |attributes: Value| json!({"UserPoolId": p.id, "Username": "enroll1", "UserAttributes": attributes});
    emu.call("AdminUpdateUserAttributes", update(json!([{"Name": "given_name", "Value": "Enid"}]))).await.ok();
    let a = admin_get(&emu, &p.id, "enroll1").await;
    assert_eq!(a["given_name"], "Enid");
    // Same value: still verified. A new email: no longer verified, unless the same call says so.
    emu.call("AdminUpdateUserAttributes", update(json!([{"Name": "email", "Value": "enroll1@example.com"}])))
        .await
        .ok();
    assert_eq!(admin_get(&emu, &p.id, "enroll1").await["email_verified"], "true");
    emu.call("AdminUpdateUserAttributes", update(json!([{"Name": "email", "Value": "new1@example.com"}]))).await.ok();
    let a = admin_get(&emu, &p.id, "enroll1").await;
    assert_eq!((a["email"].as_str(), a["email_verified"].as_str()), ("new1@example.com", "false"));
    assert_eq!(a["phone_number_verified"], "true", "the other attribute keeps its flag");
    let both =
        json!([{"Name": "phone_number", "Value": "+15555550999"}, {"Name": "phone_number_verified", "Value": "true"}]);
    emu.call("AdminUpdateUserAttributes", update(both)).await.ok();
    let a = admin_get(&emu, &p.id, "enroll1").await;
    assert_eq!((a["phone_number"].as_str(), a["phone_number_verified"].as_str()), ("+15555550999", "true"));
    // The id token says so too.
    let t = emu.srp(&p.web, &p.id, "enroll1", &password("optional", "enroll1")).await;
    let id = claims(t.ok()["AuthenticationResult"]["IdToken"].as_str().unwrap());
    assert_eq!((id["email"].clone(), id["email_verified"].clone()), (json!("new1@example.com"), json!(false)));
    assert_eq!(id["given_name"], "Enid");

    for (bad, kind) in [
        (json!([{"Name": "sub", "Value": "mine"}]), "InvalidParameterException"),
        (json!([{"Name": "cognito:user_status", "Value": "CONFIRMED"}]), "InvalidParameterException"),
        (json!([{"Name": "favourite_colour", "Value": "red"}]), "InvalidParameterException"),
        (json!([{"Name": "phone_number", "Value": "555-0100"}]), "InvalidParameterException"),
        (json!([{"Name": "email", "Value": "not an email"}]), "InvalidParameterException"),
        (json!([{"Name": "email_verified", "Value": "maybe"}]), "InvalidParameterException"),
        (json!([]), "InvalidParameterException"),
        (json!([{"Value": "no name"}]), "InvalidParameterException"),
        (json!("a string"), "SerializationException"),
    ] {
        emu.call("AdminUpdateUserAttributes", update(bad.clone())).await.err(kind);
    }
    let sub_before = admin_get(&emu, &p.id, "enroll1").await["sub"].clone();
    assert_eq!(admin_get(&emu, &p.id, "enroll1").await["sub"], sub_before);
    emu.call("AdminUpdateUserAttributes", json!({"UserPoolId": p.id, "Username": "enroll1"}))
        .await
        .err("InvalidParameterException");
    emu.call(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": p.id, "Username": "nobody", "UserAttributes": [{"Name": "name", "Value": "x"}]}),
    )
    .await
    .err("UserNotFoundException");
    // custom: attributes exist without a schema.
    emu.call("AdminUpdateUserAttributes", update(json!([{"Name": "custom:tier", "Value": "gold"}]))).await.ok();
    assert_eq!(admin_get(&emu, &p.id, "enroll1").await["custom:tier"], "gold");
}

#[tokio::test]
async fn self_service_attributes_and_verification_codes() {
    let emu = emulator();
    let p = pool("optional");
    let t = emu.tokens("optional", "enroll2").await;
    let at = t["AccessToken"].clone();
    let r = emu
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": at, "UserAttributes": [{"Name": "email", "Value": "e2@example.org"}]}),
        )
        .await;
    // The seed pool does not auto-verify: no code goes out by itself.
    assert_eq!(r.ok()["CodeDeliveryDetailsList"], json!([]));
    let me = emu.call("GetUser", json!({"AccessToken": at})).await;
    let a = attrs(me.ok(), "UserAttributes");
    assert_eq!((a["email"].as_str(), a["email_verified"].as_str()), ("e2@example.org", "false"));
    // Users may not vouch for themselves.
    let r = emu
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": at, "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
        )
        .await;
    assert_eq!(r.err("NotAuthorizedException"), "A client attempted to write unauthorized attribute");

    let r = emu.call("GetUserAttributeVerificationCode", json!({"AccessToken": at, "AttributeName": "email"})).await;
    let d = &r.ok()["CodeDeliveryDetails"];
    assert_eq!((d["DeliveryMedium"].as_str(), d["AttributeName"].as_str()), (Some("EMAIL"), Some("email")));
    assert_eq!(d["Destination"], "e***@e***");
    let sent = emu.messages_for("enroll2").await;
    let m = sent.last().unwrap();
    assert_eq!((m["channel"].as_str(), m["destination"].as_str()), (Some("EMAIL"), Some("e2@example.org")));
    let code = m["code"].as_str().unwrap().to_owned();
    let verify = |code: &str| json!({"AccessToken": at, "AttributeName": "email", "Code": code});
    let wrong = if code == "000000" { "111111" } else { "000000" };
    emu.call("VerifyUserAttribute", verify(wrong)).await.err("CodeMismatchException");
    emu.call("VerifyUserAttribute", verify(&code)).await.ok();
    let me = emu.call("GetUser", json!({"AccessToken": at})).await;
    assert_eq!(attrs(me.ok(), "UserAttributes")["email_verified"], "true");
    // A code is good once.
    emu.call("VerifyUserAttribute", verify(&code)).await.err("CodeMismatchException");
    // ...and for 24 hours.
    emu.call("GetUserAttributeVerificationCode", json!({"AccessToken": at, "AttributeName": "phone_number"}))
        .await
        .ok();
    let phone_code = emu.messages_for("enroll2").await.last().unwrap()["code"].as_str().unwrap().to_owned();
    emu.advance(86_401);
    let t = emu.tokens("optional", "enroll2").await;
    let r = emu
        .call(
            "VerifyUserAttribute",
            json!({"AccessToken": t["AccessToken"], "AttributeName": "phone_number", "Code": phone_code}),
        )
        .await;
    r.err("ExpiredCodeException");
    for name in ["given_name", "sub"] {
        emu.call("GetUserAttributeVerificationCode", json!({"AccessToken": t["AccessToken"], "AttributeName": name}))
            .await
            .err("InvalidParameterException");
    }
    let _ = p;
}

#[tokio::test]
async fn an_auto_verified_pool_sends_the_code_on_update() {
    let emu = emulator();
    let p = pool("optional");
    emu.call(
        "UpdateUserPool",
        json!({"UserPoolId": p.id, "MfaConfiguration": "OPTIONAL", "AutoVerifiedAttributes": ["email"]}),
    )
    .await
    .ok();
    let t = emu.tokens("optional", "enroll3").await;
    let r = emu
        .call(
            "UpdateUserAttributes",
            json!({"AccessToken": t["AccessToken"], "UserAttributes": [{"Name": "email", "Value": "e3@example.net"}]}),
        )
        .await;
    let list = r.ok()["CodeDeliveryDetailsList"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["AttributeName"], "email");
    let m = emu.messages_for("enroll3").await.last().unwrap().clone();
    assert_eq!(m["destination"], "e3@example.net");
    let r = emu
        .call(
            "VerifyUserAttribute",
            json!({"AccessToken": t["AccessToken"], "AttributeName": "email", "Code": m["code"]}),
        )
        .await;
    r.ok();
    assert_eq!(admin_get(&emu, &p.id, "enroll3").await["email_verified"], "true");
}

#[tokio::test]
async fn deleting_attributes_takes_the_flags_along() {
    let emu = emulator();
    let p = pool("optional");
    let names = |n: Value| json!({"UserPoolId": p.id, "Username": "enroll4", "UserAttributeNames": n});
    emu.call("AdminDeleteUserAttributes", names(json!(["phone_number"]))).await.ok();
    let a = admin_get(&emu, &p.id, "enroll4").await;
    assert!(!a.contains_key("phone_number") && !a.contains_key("phone_number_verified"), "{a:?}");
    assert!(a.contains_key("email_verified"));
    emu.call("AdminDeleteUserAttributes", names(json!(["sub"]))).await.err("InvalidParameterException");
    emu.call("AdminDeleteUserAttributes", names(json!([]))).await.err("InvalidParameterException");
    let t = emu.tokens("optional", "enroll4").await;
    let r = emu
        .call("DeleteUserAttributes", json!({"AccessToken": t["AccessToken"], "UserAttributeNames": ["email"]}))
        .await;
    r.ok();
    let a = admin_get(&emu, &p.id, "enroll4").await;
    assert!(!a.contains_key("email") && !a.contains_key("email_verified"), "{a:?}");
    let r = emu
        .call(
            "DeleteUserAttributes",
            json!({"AccessToken": t["AccessToken"], "UserAttributeNames": ["email_verified"]}),
        )
        .await;
    r.err("NotAuthorizedException");
}

#[tokio::test]
async fn alias_pools_refuse_an_email_someone_else_has() {
    let emu = emulator();
    let p = pool("alias");
    let created = emu
        .call(
            "AdminCreateUser",
            json!({"UserPoolId": p.id, "Username": "second@example.com", "MessageAction": "SUPPRESS"}),
        )
        .await;
    let username = created.ok()["User"]["Username"].as_str().unwrap().to_owned();
    let r = emu
        .call(
            "AdminUpdateUserAttributes",
            json!({"UserPoolId": p.id, "Username": username, "UserAttributes": [{"Name": "email", "Value": "alias@example.com"}]}),
        )
        .await;
    r.err("AliasExistsException");
}

/// The scorecard's set-up: a phone number and both factors through the admin API alone, then the
/// next sign-in has to choose.
#[tokio::test]
async fn select_mfa_type_is_reachable_through_the_api_alone() {
    let emu = emulator();
    let p = pool("optional");
    let name = "enroll5";
    emu.call(
        "AdminDeleteUserAttributes",
        json!({"UserPoolId": p.id, "Username": name, "UserAttributeNames": ["phone_number"]}),
    )
    .await
    .ok();
    let t = emu.tokens("optional", name).await;
    let secret = emu.call("AssociateSoftwareToken", json!({"AccessToken": t["AccessToken"]})).await;
    let secret = secret.ok()["SecretCode"].as_str().unwrap().to_owned();
    let code = totp_code(&secret, emu.now());
    emu.call("VerifySoftwareToken", json!({"AccessToken": t["AccessToken"], "UserCode": code})).await.ok();
    let both = json!({"UserPoolId": p.id, "Username": name,
        "SMSMfaSettings": {"Enabled": true, "PreferredMfa": false},
        "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": false}});
    emu.call("AdminSetUserMFAPreference", both.clone()).await.ok();
    // Without a phone number SMS cannot be offered: TOTP alone.
    let r = emu.srp(&p.web, &p.id, name, &password("optional", name)).await;
    assert_eq!(r.ok()["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    emu.call(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": p.id, "Username": name, "UserAttributes": [{"Name": "phone_number", "Value": "+15555550155"}]}),
    )
    .await
    .ok();
    let r = emu.srp(&p.web, &p.id, name, &password("optional", name)).await;
    let body = r.ok();
    assert_eq!(body["ChallengeName"], "SELECT_MFA_TYPE", "{body}");
    let choices: Vec<String> =
        serde_json::from_str(body["ChallengeParameters"]["MFAS_CAN_CHOOSE"].as_str().unwrap()).unwrap();
    assert_eq!(choices, ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
    let r =
        emu.respond(&p.web, "SELECT_MFA_TYPE", &body["Session"], json!({"USERNAME": name, "ANSWER": "SMS_MFA"})).await;
    assert_eq!(r.ok()["ChallengeName"], "SMS_MFA");
    assert_eq!(emu.messages_for(name).await.last().unwrap()["destination"], "+15555550155");
}

// ---- groups --------------------------------------------------------------------------------------

#[tokio::test]
async fn groups_reach_the_tokens_in_precedence_order() {
    let emu = &emulator();
    let p = pool("optional");
    let create = |name: &str, precedence: Option<i64>, role: Option<&str>| {
        let mut body = json!({"UserPoolId": p.id, "GroupName": name, "Description": format!("the {name}s")});
        if let Some(n) = precedence {
            body["Precedence"] = json!(n);
        }
        if let Some(r) = role {
            body["RoleArn"] = json!(r);
        }
        body
    };
    let r = emu.call("CreateGroup", create("admin", Some(1), Some("arn:aws:iam::123456789012:role/admin"))).await;
    let g = r.ok()["Group"].clone();
    assert_eq!((g["GroupName"].as_str(), g["Precedence"].as_i64()), (Some("admin"), Some(1)));
    assert_eq!(g["UserPoolId"], p.id.as_str());
    emu.call("CreateGroup", create("editor", Some(5), Some("arn:aws:iam::123456789012:role/editor"))).await.ok();
    emu.call("CreateGroup", create("beta", None, None)).await.ok();
    emu.call("CreateGroup", create("admin", None, None)).await.err("GroupExistsException");
    emu.call("CreateGroup", create("has space", None, None)).await.err("InvalidParameterException");
    emu.call("CreateGroup", create("neg", Some(-1), None)).await.err("InvalidParameterException");
    emu.call("CreateGroup", create("badrole", None, Some("not-an-arn-at-all-really")))
        .await
        .err("InvalidParameterException");

    let member = |op: &'static str, user: &str, group: &str| {
        let body = json!({"UserPoolId": p.id, "Username": user, "GroupName": group});
        async move { emu.call(op, body).await }
    };
    for g in ["beta", "editor", "admin"] {
        member("AdminAddUserToGroup", "enroll6", g).await.ok();
    }
    member("AdminAddUserToGroup", "enroll6", "admin").await.ok(); // idempotent
    member("AdminAddUserToGroup", "enroll6", "ghosts").await.err("ResourceNotFoundException");
    member("AdminAddUserToGroup", "nobody", "admin").await.err("UserNotFoundException");
    member("AdminAddUserToGroup", "plain", "beta").await.ok();

    let t = emu.tokens("optional", "enroll6").await;
    let access = claims(t["AccessToken"].as_str().unwrap());
    let id = claims(t["IdToken"].as_str().unwrap());
    assert_eq!(access["cognito:groups"], json!(["admin", "editor", "beta"]));
    assert_eq!(id["cognito:groups"], json!(["admin", "editor", "beta"]));
    assert_eq!(id["cognito:preferred_role"], "arn:aws:iam::123456789012:role/admin");
    assert_eq!(
        id["cognito:roles"],
        json!(["arn:aws:iam::123456789012:role/admin", "arn:aws:iam::123456789012:role/editor"])
    );
    // A precedence change reorders the claim of the next tokens; refreshed tokens see it too.
    let r = emu.call("UpdateGroup", json!({"UserPoolId": p.id, "GroupName": "beta", "Precedence": 0})).await;
    assert_eq!(r.ok()["Group"]["Description"], "the betas", "members not given keep their values");
    let refreshed = emu.call("InitiateAuth", refresh_body(&p.web, &t["RefreshToken"])).await;
    let access = claims(refreshed.ok()["AuthenticationResult"]["AccessToken"].as_str().unwrap());
    assert_eq!(access["cognito:groups"], json!(["beta", "admin", "editor"]));

    let r = emu.call("AdminListGroupsForUser", json!({"UserPoolId": p.id, "Username": "enroll6", "Limit": 2})).await;
    let page = r.ok().clone();
    let names: Vec<&str> =
        page["Groups"].as_array().unwrap().iter().map(|g| g["GroupName"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "beta"]);
    let r = emu
        .call(
            "AdminListGroupsForUser",
            json!({"UserPoolId": p.id, "Username": "enroll6", "Limit": 2, "NextToken": page["NextToken"]}),
        )
        .await;
    let names: Vec<&str> =
        r.ok()["Groups"].as_array().unwrap().iter().map(|g| g["GroupName"].as_str().unwrap()).collect();
    assert_eq!(names, ["editor"]);
    assert!(r.body.get("NextToken").is_none());

    let r = emu.call("ListUsersInGroup", json!({"UserPoolId": p.id, "GroupName": "beta"})).await;
    let users: Vec<&str> =
        r.ok()["Users"].as_array().unwrap().iter().map(|u| u["Username"].as_str().unwrap()).collect();
    assert_eq!(users, ["enroll6", "plain"]);
    let r = emu.call("GetGroup", json!({"UserPoolId": p.id, "GroupName": "editor"})).await;
    assert_eq!(r.ok()["Group"]["RoleArn"], "arn:aws:iam::123456789012:role/editor");

    member("AdminRemoveUserFromGroup", "enroll6", "admin").await.ok();
    emu.call("DeleteGroup", json!({"UserPoolId": p.id, "GroupName": "editor"})).await.ok();
    emu.call("GetGroup", json!({"UserPoolId": p.id, "GroupName": "editor"})).await.err("ResourceNotFoundException");
    emu.call("DeleteGroup", json!({"UserPoolId": p.id, "GroupName": "editor"})).await.err("ResourceNotFoundException");
    let t = emu.tokens("optional", "enroll6").await;
    let id = claims(t["IdToken"].as_str().unwrap());
    assert_eq!(id["cognito:groups"], json!(["beta"]));
    assert!(id.get("cognito:roles").is_none() && id.get("cognito:preferred_role").is_none(), "{id}");
    let r = emu.call("ListGroups", json!({"UserPoolId": p.id})).await;
    let names: Vec<&str> =
        r.ok()["Groups"].as_array().unwrap().iter().map(|g| g["GroupName"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "beta"]);
    // No groups, no claim.
    let t = emu.tokens("optional", "enroll1").await;
    assert!(claims(t["AccessToken"].as_str().unwrap()).get("cognito:groups").is_none());
    emu.call("ListGroups", json!({"UserPoolId": p.id, "NextToken": "forged"})).await.err("InvalidParameterException");
    emu.call("ListGroups", json!({"UserPoolId": p.id, "Limit": 61})).await.err("InvalidParameterException");
}

// ---- admin resets, confirmations, sign-outs ------------------------------------------------------

#[tokio::test]
async fn admin_reset_password_then_forgot_password_flow() {
    let emu = emulator();
    let p = pool("optional");
    let name = "enroll1";
    let old = password("optional", name);
    emu.call("AdminResetUserPassword", json!({"UserPoolId": p.id, "Username": name})).await.ok();
    let r = emu.call("AdminGetUser", json!({"UserPoolId": p.id, "Username": name})).await;
    assert_eq!(r.ok()["UserStatus"], "RESET_REQUIRED");
    let reset_code = emu.messages_for(name).await.last().unwrap()["code"].as_str().unwrap().to_owned();
    emu.srp(&p.web, &p.id, name, &old).await.err("PasswordResetRequiredException");
    sign_in_password(&emu, &p.web, name, &old).await.err("PasswordResetRequiredException");
    let confirm =
        |code: &str, pw: &str| json!({"ClientId": p.web, "Username": name, "ConfirmationCode": code, "Password": pw});
    emu.call("ConfirmForgotPassword", confirm(&reset_code, "Brand-New-Passw0rd!")).await.ok();
    let r = emu.call("AdminGetUser", json!({"UserPoolId": p.id, "Username": name})).await;
    assert_eq!(r.ok()["UserStatus"], "CONFIRMED");
    emu.srp(&p.web, &p.id, name, &old).await.err("NotAuthorizedException");
    emu.srp(&p.web, &p.id, name, "Brand-New-Passw0rd!").await.ok();

    // A later ForgotPassword code does the same job.
    emu.call("AdminResetUserPassword", json!({"UserPoolId": p.id, "Username": name})).await.ok();
    emu.call("ForgotPassword", json!({"ClientId": p.web, "Username": name})).await.ok();
    let code = emu.messages_for(name).await.last().unwrap()["code"].as_str().unwrap().to_owned();
    emu.call("ConfirmForgotPassword", confirm(&code, "Second-New-Passw0rd!")).await.ok();
    sign_in_password(&emu, &p.web, name, "Second-New-Passw0rd!").await.ok();
    emu.call("AdminResetUserPassword", json!({"UserPoolId": p.id, "Username": "nobody"}))
        .await
        .err("UserNotFoundException");
}

#[tokio::test]
async fn admin_global_sign_out_revokes_every_token() {
    let emu = emulator();
    let p = pool("optional");
    let t1 = emu.tokens("optional", "enroll2").await;
    let t2 = emu.tokens("optional", "enroll2").await;
    let other = emu.tokens("optional", "enroll3").await;
    emu.call("AdminUserGlobalSignOut", json!({"UserPoolId": p.id, "Username": "enroll2"})).await.ok();
    for t in [&t1, &t2] {
        emu.call("GetUser", json!({"AccessToken": t["AccessToken"]})).await.err("NotAuthorizedException");
        emu.call("InitiateAuth", refresh_body(&p.web, &t["RefreshToken"])).await.err("NotAuthorizedException");
    }
    emu.call("GetUser", json!({"AccessToken": other["AccessToken"]})).await.ok();
    // Signing in again works.
    let t3 = emu.tokens("optional", "enroll2").await;
    emu.call("GetUser", json!({"AccessToken": t3["AccessToken"]})).await.ok();
}

#[tokio::test]
async fn disabling_revokes_access_tokens_for_good_but_not_refresh_tokens() {
    let emu = emulator();
    let p = pool("optional");
    let t = emu.tokens("optional", "enroll3").await;
    let user = json!({"UserPoolId": p.id, "Username": "enroll3"});
    emu.call("AdminDisableUser", user.clone()).await.ok();
    emu.call("GetUser", json!({"AccessToken": t["AccessToken"]})).await.err("NotAuthorizedException");
    let r = emu.call("InitiateAuth", refresh_body(&p.web, &t["RefreshToken"])).await;
    assert_eq!(r.err("NotAuthorizedException"), "User is disabled.");
    emu.srp(&p.web, &p.id, "enroll3", &password("optional", "enroll3")).await.err("NotAuthorizedException");
    emu.call("AdminEnableUser", user).await.ok();
    let r = emu.call("GetUser", json!({"AccessToken": t["AccessToken"]})).await;
    assert_eq!(r.err("NotAuthorizedException"), "Access Token has been revoked");
    let r = emu.call("InitiateAuth", refresh_body(&p.web, &t["RefreshToken"])).await;
    let fresh = r.ok()["AuthenticationResult"]["AccessToken"].clone();
    emu.call("GetUser", json!({"AccessToken": fresh})).await.ok();
    // The refresh token is still one grant: RevokeToken ends the access tokens it minted since.
    emu.call("RevokeToken", json!({"Token": t["RefreshToken"], "ClientId": p.web})).await.ok();
    emu.call("GetUser", json!({"AccessToken": fresh})).await.err("NotAuthorizedException");
}

#[tokio::test]
async fn sign_up_confirmed_by_admin_or_by_a_resent_code() {
    let emu = emulator();
    let p = pool("optional");
    let sign_up = |name: &str| {
        json!({"ClientId": p.web, "Username": name, "Password": "Sign-Up-Passw0rd!",
               "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]})
    };
    emu.call("SignUp", sign_up("adminconfirmed")).await.ok();
    emu.call("AdminConfirmSignUp", json!({"UserPoolId": p.id, "Username": "adminconfirmed"})).await.ok();
    let r = emu.call("AdminGetUser", json!({"UserPoolId": p.id, "Username": "adminconfirmed"})).await;
    assert_eq!(r.ok()["UserStatus"], "CONFIRMED");
    assert!(!attrs(&r.body, "UserAttributes").contains_key("email_verified"), "AdminConfirmSignUp verifies nothing");
    let r = emu.call("AdminConfirmSignUp", json!({"UserPoolId": p.id, "Username": "adminconfirmed"})).await;
    assert_eq!(r.err("NotAuthorizedException"), "User cannot be confirmed. Current status is CONFIRMED");
    sign_in_password(&emu, &p.web, "adminconfirmed", "Sign-Up-Passw0rd!").await.ok();

    emu.call("SignUp", sign_up("resent")).await.ok();
    let first = emu.messages_for("resent").await.last().unwrap()["code"].as_str().unwrap().to_owned();
    let r = emu.call("ResendConfirmationCode", json!({"ClientId": p.web, "Username": "resent"})).await;
    assert_eq!(r.ok()["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let second = emu.messages_for("resent").await.last().unwrap()["code"].as_str().unwrap().to_owned();
    let confirm = |code: &str| json!({"ClientId": p.web, "Username": "resent", "ConfirmationCode": code});
    if first != second {
        emu.call("ConfirmSignUp", confirm(&first)).await.err("CodeMismatchException");
    }
    emu.call("ConfirmSignUp", confirm(&second)).await.ok();
    let r = emu.call("ResendConfirmationCode", json!({"ClientId": p.web, "Username": "resent"})).await;
    assert_eq!(r.err("InvalidParameterException"), "User is already confirmed.");
    emu.call("ResendConfirmationCode", json!({"ClientId": p.web, "Username": "ghost"}))
        .await
        .err("UserNotFoundException");
    let (cid, _) = p.secret_client.clone().unwrap();
    emu.call("ResendConfirmationCode", json!({"ClientId": cid, "Username": "resent"}))
        .await
        .err("NotAuthorizedException");
}

#[tokio::test]
async fn delete_user_deletes_oneself() {
    let emu = emulator();
    let p = pool("optional");
    let t = emu.tokens("optional", "enroll4").await;
    emu.call("DeleteUser", json!({"AccessToken": t["AccessToken"]})).await.ok();
    emu.call("AdminGetUser", json!({"UserPoolId": p.id, "Username": "enroll4"})).await.err("UserNotFoundException");
    emu.call("DeleteUser", json!({"AccessToken": t["AccessToken"]})).await.err("NotAuthorizedException");
    emu.call("InitiateAuth", refresh_body(&p.web, &t["RefreshToken"])).await.err("NotAuthorizedException");
}

// ---- pool and client updates ---------------------------------------------------------------------

#[tokio::test]
async fn update_user_pool_sets_policies_and_resets_what_it_is_not_given() {
    let emu = emulator();
    let p = pool("optional");
    let r = emu
        .call(
            "UpdateUserPool",
            json!({"UserPoolId": p.id, "MfaConfiguration": "OPTIONAL",
                   "Policies": {"PasswordPolicy": {"MinimumLength": 12, "RequireNumbers": true}},
                   "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": true},
                   "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true},
                   "DeletionProtection": "ACTIVE"}),
        )
        .await;
    r.ok();
    let d = emu.call("DescribeUserPool", json!({"UserPoolId": p.id})).await;
    let pool_type = d.ok()["UserPool"].clone();
    let policy = &pool_type["Policies"]["PasswordPolicy"];
    assert_eq!((policy["MinimumLength"].as_i64(), policy["RequireSymbols"].as_bool()), (Some(12), Some(false)));
    assert_eq!(pool_type["DeviceConfiguration"]["ChallengeRequiredOnNewDevice"], true);
    assert_eq!(pool_type["DeletionProtection"], "ACTIVE");
    // The policy applies to new passwords.
    let set = |pw: &str| json!({"UserPoolId": p.id, "Username": "enroll1", "Password": pw, "Permanent": true});
    let r = emu.call("AdminSetUserPassword", set("Short1a")).await;
    assert!(r.err("InvalidPasswordException").contains("not long enough"));
    emu.call("AdminSetUserPassword", set("nosymbolsbutlong1")).await.ok();
    let r = emu
        .call("SignUp", json!({"ClientId": p.web, "Username": "newcomer", "Password": "Long-Enough-Passw0rd!"}))
        .await;
    assert_eq!(r.err("NotAuthorizedException"), "SignUp is not permitted for this user pool");
    emu.call("DeleteUserPool", json!({"UserPoolId": p.id})).await.err("InvalidParameterException");

    // Everything not given goes back to its default, MFA included.
    emu.call("UpdateUserPool", json!({"UserPoolId": p.id})).await.ok();
    let d = emu.call("DescribeUserPool", json!({"UserPoolId": p.id})).await;
    let pool_type = d.ok()["UserPool"].clone();
    assert_eq!(pool_type["MfaConfiguration"], "OFF");
    assert_eq!(pool_type["Policies"]["PasswordPolicy"]["MinimumLength"], 8);
    assert!(pool_type.get("DeviceConfiguration").is_none());
    let r = emu.srp(&p.web, &p.id, "totp", &password("optional", "totp")).await;
    assert!(r.ok()["AuthenticationResult"].is_object(), "MFA OFF: no challenge");
    emu.call("DeleteUserPool", json!({"UserPoolId": p.id})).await.ok();

    // MFA needs a factor; a fresh pool has none.
    let created = emu.call("CreateUserPool", json!({"PoolName": "bare"})).await;
    let bare = created.ok()["UserPool"]["Id"].as_str().unwrap().to_owned();
    emu.call("UpdateUserPool", json!({"UserPoolId": bare, "MfaConfiguration": "ON"}))
        .await
        .err("InvalidParameterException");
    let bad = json!({"UserPoolId": bare, "Policies": {"PasswordPolicy": {"MinimumLength": 5}}});
    emu.call("UpdateUserPool", bad).await.err("InvalidParameterException");
    emu.call("UpdateUserPool", json!({"UserPoolId": "us-east-1_Nope"})).await.err("ResourceNotFoundException");
}

#[tokio::test]
async fn update_user_pool_client_changes_flows_existence_errors_and_token_lifetimes() {
    let emu = emulator();
    let p = pool("optional");
    let r = emu
        .call(
            "UpdateUserPoolClient",
            json!({"UserPoolId": p.id, "ClientId": p.web,
                   "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                   "PreventUserExistenceErrors": "ENABLED",
                   "AccessTokenValidity": 5, "IdTokenValidity": 2, "RefreshTokenValidity": 2,
                   "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "hours"},
                   "AuthSessionValidity": 3}),
        )
        .await;
    let c = r.ok()["UserPoolClient"].clone();
    assert_eq!(
        (c["AccessTokenValidity"].as_i64(), c["TokenValidityUnits"]["AccessToken"].as_str()),
        (Some(5), Some("minutes"))
    );
    assert_eq!(c["PreventUserExistenceErrors"], "ENABLED");
    assert_eq!(c["ClientName"], "web", "the name stays when not given");

    // USER_PASSWORD_AUTH is no longer allowed; unknown users look like wrong passwords.
    sign_in_password(&emu, &p.web, "plain", &password("optional", "plain")).await.err("InvalidParameterException");
    let r = emu.srp(&p.web, &p.id, "ghost", "Whatever-Passw0rd!").await;
    assert_eq!(r.err("NotAuthorizedException"), "Incorrect username or password.");

    let r = emu.srp(&p.web, &p.id, "plain", &password("optional", "plain")).await;
    let t = r.ok()["AuthenticationResult"].clone();
    assert_eq!(t["ExpiresIn"], 300);
    let (access, id) = (claims(t["AccessToken"].as_str().unwrap()), claims(t["IdToken"].as_str().unwrap()));
    assert_eq!(access["exp"].as_i64().unwrap() - access["iat"].as_i64().unwrap(), 300);
    assert_eq!(id["exp"].as_i64().unwrap() - id["iat"].as_i64().unwrap(), 7200);
    emu.advance(301);
    emu.call("GetUser", json!({"AccessToken": t["AccessToken"]})).await.err("NotAuthorizedException");
    emu.call("InitiateAuth", refresh_body(&p.web, &t["RefreshToken"])).await.ok();
    emu.advance(7200);
    let r = emu.call("InitiateAuth", refresh_body(&p.web, &t["RefreshToken"])).await;
    assert_eq!(r.err("NotAuthorizedException"), "Refresh Token has expired");

    // Out of range, and an update that leaves everything out: the defaults again.
    let bad = json!({"UserPoolId": p.id, "ClientId": p.web, "AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}});
    emu.call("UpdateUserPoolClient", bad).await.err("InvalidParameterException");
    let r = emu.call("UpdateUserPoolClient", json!({"UserPoolId": p.id, "ClientId": p.web})).await;
    let c = r.ok()["UserPoolClient"].clone();
    assert_eq!(c["PreventUserExistenceErrors"], "LEGACY");
    assert_eq!(c["ExplicitAuthFlows"], json!([]));
    assert_eq!(
        (c["AccessTokenValidity"].as_i64(), c["TokenValidityUnits"]["AccessToken"].as_str()),
        (Some(60), Some("minutes"))
    );
    let r = emu.srp(&p.web, &p.id, "ghost", "Whatever-Passw0rd!").await;
    r.err("UserNotFoundException");
    emu.call("UpdateUserPoolClient", json!({"UserPoolId": p.id, "ClientId": "nosuchclient"}))
        .await
        .err("ResourceNotFoundException");
}

// ---- ListUsers -----------------------------------------------------------------------------------

#[tokio::test]
async fn list_users_filters_and_pages() {
    let emu = &emulator();
    let p = pool("optional");
    let list = |extra: Value| {
        let mut body = json!({"UserPoolId": p.id});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        async move { emu.call("ListUsers", body).await }
    };
    let names = |r: &common::Reply| -> Vec<String> {
        r.ok()["Users"].as_array().unwrap().iter().map(|u| u["Username"].as_str().unwrap().to_owned()).collect()
    };
    let r = list(json!({"Filter": "email = \"plain@example.com\""})).await;
    assert_eq!(names(&r), ["plain"]);
    let r = list(json!({"Filter": "username ^= \"enroll\""})).await;
    assert_eq!(names(&r).len(), 6);
    let r = list(json!({"Filter": "phone_number^=\"+1555555011\""})).await;
    assert_eq!(names(&r), ["enroll1", "enroll2", "enroll3", "enroll4", "enroll5", "enroll6"]);
    let r = list(json!({"Filter": "cognito:user_status = \"force_change_password\""})).await;
    assert_eq!(names(&r), ["temp"]);
    emu.call("AdminDisableUser", json!({"UserPoolId": p.id, "Username": "enroll2"})).await.ok();
    let r = list(json!({"Filter": "status = \"Disabled\""})).await;
    assert_eq!(names(&r), ["enroll2"]);
    emu.call(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": p.id, "Username": "enroll3", "UserAttributes": [{"Name": "name", "Value": "Say \"hi\""}]}),
    )
    .await
    .ok();
    let r = list(json!({"Filter": "name = \"Say \\\"hi\\\"\""})).await;
    assert_eq!(names(&r), ["enroll3"]);
    let r = list(json!({"Filter": "sub = \"no-such-sub\""})).await;
    assert!(names(&r).is_empty());
    for bad in ["custom:tier = \"gold\"", "email", "email = plain", "email = \"a\"b\"", "locale = \"en\""] {
        list(json!({"Filter": bad})).await.err("InvalidParameterException");
    }
    let r = list(json!({"Filter": "username = \"plain\"", "AttributesToGet": ["email"]})).await;
    let a = attrs(&r.body["Users"][0], "Attributes");
    assert_eq!(a.keys().collect::<Vec<_>>(), ["email"]);

    // Pages of 5 cover everyone exactly once.
    let all = names(&list(json!({})).await);
    let mut seen = Vec::new();
    let mut token = Value::Null;
    loop {
        let mut body = json!({"Limit": 5});
        if !token.is_null() {
            body["PaginationToken"] = token.clone();
        }
        let r = list(body).await;
        let page = names(&r);
        assert!(page.len() <= 5);
        seen.extend(page);
        match r.body.get("PaginationToken") {
            Some(t) => token = t.clone(),
            None => break,
        }
    }
    assert_eq!(seen, all);
    assert!(all.len() > 10);
    list(json!({"PaginationToken": "bogus"})).await.err("InvalidParameterException");
    list(json!({"Limit": 61})).await.err("InvalidParameterException");
}

// ---- the list of operations ----------------------------------------------------------------------

#[tokio::test]
async fn the_readme_and_the_dev_endpoint_list_every_operation() {
    let ops = cognito_emulator::ops::OPERATIONS;
    let readme = include_str!("../README.md");
    let section = readme.split("## Operations").nth(1).unwrap().split("What they do beyond").next().unwrap();
    assert!(section.contains(&format!("{} operations", ops.len())), "the README's count is stale");
    let words: std::collections::BTreeSet<&str> =
        section.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let missing: Vec<&&str> = ops.iter().filter(|op| !words.contains(**op)).collect();
    assert!(missing.is_empty(), "not in emulator/README.md: {missing:?}");
    let emu = emulator();
    let listed = emu.dev("GET", "/_emulator/operations", None).await;
    assert_eq!(listed.body, json!(ops));
    for op in ops {
        assert!(cognito_emulator::ops::lookup(op).is_some(), "{op} is listed but not dispatched");
    }
}
