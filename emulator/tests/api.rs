//! Tokens and revocation, CORS, malformed input, dev endpoints, faults, admin operations, sign-up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use serde_json::{Value, json};

#[tokio::test]
async fn tokens_verify_against_jwks() {
    let emu = emulator();
    let p = pool("optional");
    let t = emu.tokens("optional", "plain").await;
    let jwks = emu.dev("GET", &format!("/{}/.well-known/jwks.json", p.id), None).await;
    assert_eq!(jwks.status, StatusCode::OK);
    let k = &jwks.body["keys"][0];
    assert_eq!(k["alg"], "RS256");
    assert_eq!(k["kty"], "RSA");
    let n = rsa::BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(k["n"].as_str().unwrap()).unwrap());
    let e = rsa::BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(k["e"].as_str().unwrap()).unwrap());
    let key = VerifyingKey::<rsa::sha2::Sha256>::new(rsa::RsaPublicKey::new(n, e).unwrap());
    for name in ["AccessToken", "IdToken"] {
        let jwt = t[name].as_str().unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["kid"], k["kid"]);
        let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().as_slice()).unwrap();
        key.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig).unwrap();
    }
    let oidc = emu.dev("GET", &format!("/{}/.well-known/openid-configuration", p.id), None).await;
    let issuer = claims(t["AccessToken"].as_str().unwrap())["iss"].clone();
    assert_eq!(oidc.body["issuer"], issuer);
    assert_eq!(oidc.body["jwks_uri"], format!("{}/.well-known/jwks.json", issuer.as_str().unwrap()));
    let missing = emu.dev("GET", "/us-east-1_Nope/.well-known/jwks.json", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn access_token_checks_signature_expiry_and_type() {
    let emu = emulator();
    let t = emu.tokens("optional", "plain").await;
    let access = t["AccessToken"].as_str().unwrap();
    emu.call("GetUser", json!({"AccessToken": access})).await.ok();
    // Tampered payload.
    let parts: Vec<&str> = access.split('.').collect();
    let mut c = claims(access);
    c["username"] = json!("totp");
    let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(c.to_string()), parts[2]);
    emu.call("GetUser", json!({"AccessToken": forged})).await.err("NotAuthorizedException");
    // An id token is not an access token.
    emu.call("GetUser", json!({"AccessToken": t["IdToken"]})).await.err("NotAuthorizedException");
    // Expiry.
    emu.advance(3601);
    assert_eq!(
        emu.call("GetUser", json!({"AccessToken": access})).await.err("NotAuthorizedException"),
        "Access Token has expired"
    );
}

#[tokio::test]
async fn refresh_global_sign_out_and_revoke() {
    let emu = emulator();
    let p = pool("optional");
    let t = emu.tokens("optional", "plain").await;
    let refresh = |tok: Value| {
        let p = pool("optional");
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": p.web, "AuthParameters": {"REFRESH_TOKEN": tok}})
    };
    emu.advance(10);
    let r = emu.call("InitiateAuth", refresh(t["RefreshToken"].clone())).await;
    let fresh = r.ok()["AuthenticationResult"].clone();
    assert!(fresh.get("RefreshToken").is_none());
    assert_eq!(
        claims(fresh["AccessToken"].as_str().unwrap())["origin_jti"],
        claims(t["AccessToken"].as_str().unwrap())["origin_jti"]
    );
    emu.call("InitiateAuth", refresh(json!("garbage"))).await.err("NotAuthorizedException");
    // amazon-cognito-identity-js sends DEVICE_KEY: null; AWS takes it as absent.
    let mut with_null = refresh(t["RefreshToken"].clone());
    with_null["AuthParameters"]["DEVICE_KEY"] = Value::Null;
    emu.call("InitiateAuth", with_null).await.ok();

    // A second sign-in; GlobalSignOut with the first kills both grants.
    let t2 = emu.tokens("optional", "plain").await;
    emu.call("GlobalSignOut", json!({"AccessToken": t["AccessToken"]})).await.ok();
    for tok in [&t, &t2] {
        assert_eq!(
            emu.call("GetUser", json!({"AccessToken": tok["AccessToken"]})).await.err("NotAuthorizedException"),
            "Access Token has been revoked"
        );
        emu.call("InitiateAuth", refresh(tok["RefreshToken"].clone())).await.err("NotAuthorizedException");
    }
    emu.call("GetUser", json!({"AccessToken": fresh["AccessToken"]})).await.err("NotAuthorizedException");
    // A later sign-in is unaffected.
    let t3 = emu.tokens("optional", "plain").await;
    emu.call("GetUser", json!({"AccessToken": t3["AccessToken"]})).await.ok();

    // RevokeToken: that refresh token and its access tokens only.
    let t4 = emu.tokens("optional", "plain").await;
    emu.call("RevokeToken", json!({"Token": t3["RefreshToken"], "ClientId": p.web})).await.ok();
    emu.call("GetUser", json!({"AccessToken": t3["AccessToken"]})).await.err("NotAuthorizedException");
    emu.call("InitiateAuth", refresh(t3["RefreshToken"].clone())).await.err("NotAuthorizedException");
    emu.call("GetUser", json!({"AccessToken": t4["AccessToken"]})).await.ok();
    emu.call("RevokeToken", json!({"Token": t4["RefreshToken"], "ClientId": "otherclient000000000000000"})).await;
    emu.call("GetUser", json!({"AccessToken": t4["AccessToken"]})).await.ok();
}

#[tokio::test]
async fn refresh_with_secret_client() {
    let emu = emulator();
    let p = pool("optional");
    let (cid, secret) = p.secret_client.clone().unwrap();
    let r = emu.srp_with(&cid, &p.id, "plain", &password("optional", "plain"), Some(&secret), &Tamper::None).await;
    let t = r.ok()["AuthenticationResult"].clone();
    let body = |hash: Option<String>| {
        let mut params = json!({"REFRESH_TOKEN": t["RefreshToken"]});
        if let Some(h) = hash {
            params["SECRET_HASH"] = json!(h);
        }
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid, "AuthParameters": params})
    };
    emu.call("InitiateAuth", body(None)).await.err("NotAuthorizedException");
    emu.call("InitiateAuth", body(Some(secret_hash(&secret, "plain", &cid)))).await.ok();
    emu.call("RevokeToken", json!({"Token": t["RefreshToken"], "ClientId": cid})).await.err("UnauthorizedException");
    emu.call("RevokeToken", json!({"Token": t["RefreshToken"], "ClientId": cid, "ClientSecret": secret})).await.ok();
}

#[tokio::test]
async fn cors_preflight_and_headers_on_errors() {
    let emu = emulator();
    let req = Request::builder()
        .method("OPTIONS")
        .uri("/")
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,x-amz-target,x-amz-user-agent")
        .body(Body::empty())
        .unwrap();
    let r = emu.send(req).await;
    assert!(r.status.is_success());
    assert_eq!(r.headers["access-control-allow-origin"], "http://localhost:8080");
    let methods = r.headers["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("POST") && methods.contains("GET") && methods.contains("DELETE"));
    let allowed = r.headers["access-control-allow-headers"].to_str().unwrap().to_lowercase();
    for h in [
        "content-type",
        "x-amz-target",
        "x-amz-user-agent",
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
    ] {
        assert!(allowed.contains(h), "{h} missing from {allowed}");
    }
    // Errors carry CORS and the AWS error headers.
    let r = emu.call("InitiateAuth", json!({})).await;
    r.err("InvalidParameterException");
    assert_eq!(r.headers["access-control-allow-origin"], "http://localhost:8080");
    let expose = r.headers["access-control-expose-headers"].to_str().unwrap().to_lowercase();
    assert!(expose.contains("x-amzn-requestid") && expose.contains("x-amzn-errortype"));
    assert!(r.headers.contains_key("x-amzn-requestid"));
    // No Origin → *.
    let r = emu.dev("GET", "/_emulator/clock", None).await;
    assert_eq!(r.headers["access-control-allow-origin"], "*");
}

async fn raw(emu: &Emu, target: Option<&str>, body: Vec<u8>) -> Reply {
    let mut b = Request::post("/").header("content-type", "application/x-amz-json-1.1");
    if let Some(t) = target {
        b = b.header("x-amz-target", t);
    }
    emu.send(b.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn malformed_requests_get_aws_errors_never_500() {
    let emu = emulator();
    let t = "AWSCognitoIdentityProviderService.InitiateAuth";
    raw(&emu, Some("AWSCognitoIdentityProviderService.Frobnicate"), b"{}".to_vec())
        .await
        .err("UnknownOperationException");
    raw(&emu, None, b"{}".to_vec()).await.err("UnknownOperationException");
    raw(&emu, Some(t), b"{not json".to_vec()).await.err("SerializationException");
    raw(&emu, Some(t), b"[1,2]".to_vec()).await.err("SerializationException");
    raw(&emu, Some(t), vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}']).await.err("SerializationException");
    raw(&emu, Some(t), br#"{"AuthFlow": 5, "ClientId": "x"}"#.to_vec()).await.err("SerializationException");
    raw(
        &emu,
        Some(t),
        br#"{"AuthFlow": "USER_SRP_AUTH", "ClientId": "x", "AuthParameters": {"USERNAME": 1}}"#.to_vec(),
    )
    .await
    .err("SerializationException");
    raw(&emu, Some(t), br#"{"AuthFlow": "USER_SRP_AUTH"}"#.to_vec()).await.err("InvalidParameterException");
    let p = pool("optional");
    let r = emu
        .call(
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "plain"}}),
        )
        .await;
    assert!(r.err("InvalidParameterException").contains("SRP_A"));
    emu.call("InitiateAuth", json!({"AuthFlow": "NOPE", "ClientId": p.web})).await.err("InvalidParameterException");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    raw(&emu, Some(t), deep.into_bytes()).await.err("SerializationException");
    let big = vec![b' '; cognito_emulator::MAX_BODY + 10];
    let r = raw(&emu, Some(t), big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_type(), "SerializationException");
    // Unknown path.
    assert_eq!(emu.dev("GET", "/nowhere", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn dev_endpoints_loopback_only() {
    let emu = emulator();
    let mut req = Request::get("/_emulator/messages").body(Body::empty()).unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([10, 0, 0, 5], 4000))));
    let res = tower::ServiceExt::oneshot(emu.router.clone(), req).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn request_log_and_contains() {
    let emu = emulator();
    let p = pool("optional");
    emu.tokens("optional", "plain").await;
    let r = emu.dev("GET", "/_emulator/requests", None).await;
    let list = r.body.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["target"], "InitiateAuth");
    assert_eq!(list[1]["target"], "RespondToAuthChallenge");
    assert_eq!(list[0]["status"], 200);
    assert!(list[0]["bytes"].as_u64().unwrap() > 100);
    assert!(list[0].get("body").is_none());
    let c = emu.dev("POST", "/_emulator/requests/contains", Some(json!({"needle": "plain"}))).await;
    assert_eq!(c.body, json!({"count": 2, "total": 2}));
    // The SRP flow never sends the password.
    let c =
        emu.dev("POST", "/_emulator/requests/contains", Some(json!({"needle": password("optional", "plain")}))).await;
    assert_eq!(c.body["count"], 0);
    emu.dev("DELETE", "/_emulator/requests", None).await;
    let c = emu.dev("POST", "/_emulator/requests/contains", Some(json!({"needle": "plain"}))).await;
    assert_eq!(c.body, json!({"count": 0, "total": 0}));
    let _ = p;
}

#[tokio::test]
async fn clock_endpoint_moves_session_expiry() {
    let emu = emulator();
    let r = emu.dev("GET", "/_emulator/clock", None).await;
    assert_eq!(r.body["now"], T0);
    let p = pool("optional");
    let first = emu.srp(&p.web, &p.id, "totp", &password("optional", "totp")).await;
    let r = emu.dev("POST", "/_emulator/clock", Some(json!({"advanceSeconds": 200}))).await;
    assert_eq!(r.body["now"], T0 + 200);
    let code = totp_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", emu.now());
    let r = emu
        .respond(
            &p.web,
            "SOFTWARE_TOKEN_MFA",
            &first.body["Session"],
            json!({"USERNAME": "totp", "SOFTWARE_TOKEN_MFA_CODE": code}),
        )
        .await;
    assert_eq!(r.err("NotAuthorizedException"), "Invalid session for the user, session is expired.");
    emu.dev("POST", "/_emulator/clock", Some(json!({"advanceSeconds": -5}))).await.err("InvalidParameterException");
    emu.dev("POST", "/_emulator/clock", Some(json!({"advanceSeconds": i64::MAX})))
        .await
        .err("InvalidParameterException");
    emu.dev("POST", "/_emulator/clock", Some(json!({"advanceSeconds": "10"}))).await.err("InvalidParameterException");
}

#[tokio::test]
async fn faults_fire_per_target_and_count_down() {
    let emu = emulator();
    let p = pool("optional");
    let target_call = || {
        emu.call("InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "plain", "SRP_A": "02"}}))
    };
    emu.dev("POST", "/_emulator/faults", Some(json!({"target": "InitiateAuth", "kind": "throttle", "times": 2})))
        .await
        .ok();
    // Another target is not affected.
    emu.call("GetUser", json!({"AccessToken": "x"})).await.err("NotAuthorizedException");
    assert_eq!(target_call().await.err("TooManyRequestsException"), "Rate exceeded");
    target_call().await.err("TooManyRequestsException");
    target_call().await.ok();
    for (kind, status) in
        [("html502", 502u16), ("http500", 500), ("empty", 200), ("truncated", 200), ("missingMembers", 200)]
    {
        emu.dev("POST", "/_emulator/faults", Some(json!({"target": "*", "kind": kind}))).await.ok();
        let r = target_call().await;
        assert_eq!(r.status.as_u16(), status, "{kind}");
        match kind {
            "html502" => assert!(String::from_utf8_lossy(&r.raw).contains("<html")),
            "empty" => assert!(r.raw.is_empty()),
            "truncated" => assert!(serde_json::from_slice::<Value>(&r.raw).is_err() && !r.raw.is_empty()),
            "missingMembers" => assert_eq!(r.body, json!({})),
            _ => assert_eq!(r.error_type(), "InternalErrorException"),
        }
        assert!(r.headers.contains_key("access-control-allow-origin"));
    }
    emu.dev("POST", "/_emulator/faults", Some(json!({"target": "*", "kind": "slow", "delayMs": 300}))).await.ok();
    let t = std::time::Instant::now();
    target_call().await.ok();
    assert!(t.elapsed() >= std::time::Duration::from_millis(300));
    emu.dev("POST", "/_emulator/faults", Some(json!({"target": "*", "kind": "throttle", "times": 5}))).await.ok();
    emu.dev("DELETE", "/_emulator/faults", None).await.ok();
    target_call().await.ok();
    emu.dev("POST", "/_emulator/faults", Some(json!({"kind": "bogus"}))).await.err("InvalidParameterException");
    // srpBZero / srpBEqualsN: the operation runs, then SRP_B is replaced.
    for (kind, b) in [("srpBZero", "0".to_owned()), ("srpBEqualsN", num_bigint::BigUint::parse_bytes(b"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16).unwrap().to_str_radix(16))] {
        emu.dev("POST", "/_emulator/faults", Some(json!({"target": "InitiateAuth", "kind": kind}))).await.ok();
        let r = target_call().await;
        let got = r.ok()["ChallengeParameters"]["SRP_B"].as_str().unwrap().to_lowercase();
        assert_eq!(got.trim_start_matches('0'), b.trim_start_matches('0'), "{kind}");
        assert!(r.body["Session"].is_string());
    }
}

#[tokio::test]
async fn admin_walkthrough_like_boto3() {
    let emu = emulator();
    let pool = emu.call("CreateUserPool", json!({"PoolName": "walk"})).await.ok()["UserPool"].clone();
    let pool_id = pool["Id"].as_str().unwrap().to_owned();
    assert!(pool_id.starts_with("us-east-1_"));
    let cfg = emu
        .call("SetUserPoolMfaConfig", json!({"UserPoolId": pool_id, "SoftwareTokenMfaConfiguration": {"Enabled": true}, "MfaConfiguration": "OPTIONAL"}))
        .await;
    assert_eq!(cfg.ok()["MfaConfiguration"], "OPTIONAL");
    let got = emu.call("GetUserPoolMfaConfig", json!({"UserPoolId": pool_id})).await;
    assert_eq!(got.ok()["SoftwareTokenMfaConfiguration"]["Enabled"], true);
    assert_eq!(
        emu.call("DescribeUserPool", json!({"UserPoolId": pool_id})).await.ok()["UserPool"]["MfaConfiguration"],
        "OPTIONAL"
    );
    let client = emu
        .call("CreateUserPoolClient", json!({"UserPoolId": pool_id, "ClientName": "cli", "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}))
        .await
        .ok()["UserPoolClient"]
        .clone();
    let cid = client["ClientId"].as_str().unwrap().to_owned();
    assert_eq!(cid.len(), 26);
    emu.call("DescribeUserPoolClient", json!({"UserPoolId": pool_id, "ClientId": cid})).await.ok();
    let u = emu
        .call("AdminCreateUser", json!({"UserPoolId": pool_id, "Username": "walker", "TemporaryPassword": "Temp-Passw0rd!", "UserAttributes": [{"Name": "email", "Value": "w@example.com"}], "MessageAction": "SUPPRESS"}))
        .await;
    assert_eq!(u.ok()["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
    emu.call("AdminCreateUser", json!({"UserPoolId": pool_id, "Username": "walker"}))
        .await
        .err("UsernameExistsException");
    // Without TemporaryPassword the invitation (with a generated one) lands in the outbox, and works.
    emu.call("AdminCreateUser", json!({"UserPoolId": pool_id, "Username": "invited", "UserAttributes": [{"Name": "email", "Value": "i@example.com"}]}))
        .await
        .ok();
    let invite = emu.messages_for("invited").await;
    assert_eq!(invite.len(), 1);
    assert_eq!(invite[0]["destination"], "i@example.com");
    let temp = invite[0]["code"].as_str().unwrap().to_owned();
    let r = emu
        .call("AdminInitiateAuth", json!({"UserPoolId": pool_id, "ClientId": cid, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "invited", "PASSWORD": temp}}))
        .await;
    assert_eq!(r.ok()["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    emu.call(
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "walker", "Password": "Walk-Passw0rd!", "Permanent": true}),
    )
    .await
    .ok();
    let g = emu.call("AdminGetUser", json!({"UserPoolId": pool_id, "Username": "walker"})).await;
    assert_eq!(g.ok()["UserStatus"], "CONFIRMED");
    let auth = |extra: Value| {
        let mut b = json!({"UserPoolId": pool_id, "ClientId": cid, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "walker", "PASSWORD": "Walk-Passw0rd!"}});
        if let Value::Object(m) = extra {
            for (k, v) in m {
                b[k] = v;
            }
        }
        b
    };
    let t = emu.call("AdminInitiateAuth", auth(json!({}))).await.ok()["AuthenticationResult"].clone();
    let secret = emu.call("AssociateSoftwareToken", json!({"AccessToken": t["AccessToken"]})).await.ok()["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = totp_code(&secret, emu.now());
    emu.call(
        "VerifySoftwareToken",
        json!({"AccessToken": t["AccessToken"], "UserCode": code, "FriendlyDeviceName": "cli"}),
    )
    .await
    .ok();
    emu.call("AdminSetUserMFAPreference", json!({"UserPoolId": pool_id, "Username": "walker", "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}))
        .await
        .ok();
    let ch = emu.call("AdminInitiateAuth", auth(json!({}))).await.ok().clone();
    assert_eq!(ch["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    emu.advance(30);
    let code = totp_code(&secret, emu.now());
    let r = emu
        .call("AdminRespondToAuthChallenge", json!({"UserPoolId": pool_id, "ClientId": cid, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": ch["Session"], "ChallengeResponses": {"USERNAME": "walker", "SOFTWARE_TOKEN_MFA_CODE": code}}))
        .await;
    assert!(r.ok()["AuthenticationResult"]["IdToken"].is_string());
    // The public InitiateAuth refuses the admin flow, and USER_PASSWORD_AUTH is not allowed on this client.
    emu.call("InitiateAuth", json!({"AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "ClientId": cid, "AuthParameters": {}}))
        .await
        .err("InvalidParameterException");
    let list = emu.call("ListUsers", json!({"UserPoolId": pool_id, "Filter": "email = \"w@example.com\""})).await;
    assert_eq!(list.ok()["Users"].as_array().unwrap().len(), 1);
    let list = emu.call("ListUsers", json!({"UserPoolId": pool_id, "Filter": "email = \"x@example.com\""})).await;
    assert_eq!(list.ok()["Users"].as_array().unwrap().len(), 0);
    emu.call("AdminDeleteUser", json!({"UserPoolId": pool_id, "Username": "walker"})).await.ok();
    emu.call("AdminGetUser", json!({"UserPoolId": pool_id, "Username": "walker"})).await.err("UserNotFoundException");
    emu.call("GetUser", json!({"AccessToken": t["AccessToken"]})).await.err("NotAuthorizedException");
    emu.call("DescribeUserPool", json!({"UserPoolId": "us-east-1_nope"})).await.err("ResourceNotFoundException");
    let pools = emu.call("ListUserPools", json!({"MaxResults": 60})).await;
    assert!(pools.ok()["UserPools"].as_array().unwrap().iter().any(|p| p["Id"] == pool_id.as_str()));
    emu.call("ListUserPools", json!({})).await.err("InvalidParameterException");
    let clients = emu.call("ListUserPoolClients", json!({"UserPoolId": pool_id})).await;
    assert_eq!(clients.ok()["UserPoolClients"][0]["ClientId"], cid.as_str());
    let t2 = emu.call("AdminInitiateAuth", json!({"UserPoolId": pool_id, "ClientId": cid, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "invited", "PASSWORD": "x"}})).await;
    t2.err("NotAuthorizedException");
    emu.call("DeleteUserPoolClient", json!({"UserPoolId": pool_id, "ClientId": cid})).await.ok();
    emu.call("DescribeUserPoolClient", json!({"UserPoolId": pool_id, "ClientId": cid}))
        .await
        .err("ResourceNotFoundException");
    emu.call("DeleteUserPool", json!({"UserPoolId": pool_id})).await.ok();
    emu.call("DescribeUserPool", json!({"UserPoolId": pool_id})).await.err("ResourceNotFoundException");

    // Email as username: the username is a UUID equal to the sub, and the email finds the user.
    let alias_pool = emu
        .call("CreateUserPool", json!({"PoolName": "alias", "UsernameAttributes": ["email"]}))
        .await
        .ok()["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = emu
        .call(
            "AdminCreateUser",
            json!({"UserPoolId": alias_pool, "Username": "a@example.com", "MessageAction": "SUPPRESS"}),
        )
        .await;
    let user = created.ok()["User"].clone();
    let sub = user["Attributes"].as_array().unwrap().iter().find(|a| a["Name"] == "sub").unwrap()["Value"].clone();
    assert_eq!(user["Username"], sub);
    assert_ne!(user["Username"], "a@example.com");
    let got = emu.call("AdminGetUser", json!({"UserPoolId": alias_pool, "Username": "a@example.com"})).await;
    assert_eq!(got.ok()["Username"], sub);
}

#[tokio::test]
async fn sign_up_and_confirm() {
    let emu = emulator();
    let p = pool("optional");
    let r = emu
        .call("SignUp", json!({"ClientId": p.web, "Username": "newcomer", "Password": "Newcomer-Passw0rd!", "UserAttributes": [{"Name": "email", "Value": "n@example.com"}]}))
        .await;
    assert_eq!(r.ok()["UserConfirmed"], false);
    emu.call("SignUp", json!({"ClientId": p.web, "Username": "weak", "Password": "weak"}))
        .await
        .err("InvalidPasswordException");
    emu.srp(&p.web, &p.id, "newcomer", "Newcomer-Passw0rd!").await.err("UserNotConfirmedException");
    // A wrong password says nothing about the confirmation state.
    emu.srp(&p.web, &p.id, "newcomer", "Wrong-Passw0rd!1").await.err("NotAuthorizedException");
    let code = emu.messages_for("newcomer").await[0]["code"].as_str().unwrap().to_owned();
    emu.call("ConfirmSignUp", json!({"ClientId": p.web, "Username": "newcomer", "ConfirmationCode": "000000x"}))
        .await
        .err("CodeMismatchException");
    emu.call("ConfirmSignUp", json!({"ClientId": p.web, "Username": "newcomer", "ConfirmationCode": code})).await.ok();
    emu.srp(&p.web, &p.id, "newcomer", "Newcomer-Passw0rd!").await.ok();
}

#[tokio::test]
async fn create_user_pool_takes_region_from_sigv4_scope() {
    let emu = emulator();
    let req = Request::post("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AWSCognitoIdentityProviderService.CreateUserPool")
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20250603/eu-west-2/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
        )
        .body(Body::from(json!({"PoolName": "eu"}).to_string()))
        .unwrap();
    let r = emu.send(req).await;
    let id = r.ok()["UserPool"]["Id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("eu-west-2_"), "{id}");
    assert!(r.body["UserPool"]["Arn"].as_str().unwrap().contains(":eu-west-2:"));
}

#[tokio::test]
async fn demo_seed_loads_with_its_users() {
    let emu = emulator_seeded(include_str!("../seed/demo.json"), cognito_emulator::Config::default());
    let seed: Value = serde_json::from_str(include_str!("../seed/demo.json")).unwrap();
    let opt = &seed["pools"][0];
    let web = opt["clients"][0]["id"].as_str().unwrap();
    let pool_id = opt["id"].as_str().unwrap();
    let pw = |name: &str| {
        let u = opt["users"].as_array().unwrap().iter().find(|u| u["username"] == name).unwrap();
        u["password"].as_str().or(u["temporaryPassword"].as_str()).unwrap().to_owned()
    };
    emu.srp(web, pool_id, "alice", &pw("alice")).await.ok()["AuthenticationResult"].as_object().unwrap();
    assert_eq!(emu.srp(web, pool_id, "bob", &pw("bob")).await.ok()["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(emu.srp(web, pool_id, "carol", &pw("carol")).await.ok()["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let req = &seed["pools"][1];
    let r =
        emu.srp(req["clients"][0]["id"].as_str().unwrap(), req["id"].as_str().unwrap(), "dave", "Demo-Passw0rd!").await;
    assert_eq!(r.ok()["ChallengeName"], "MFA_SETUP");
}

#[tokio::test]
async fn test_seed_matches_the_contract() {
    let seed = seed_json();
    let keys: Vec<&str> = seed["pools"].as_array().unwrap().iter().map(|p| p["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["optional", "required", "alias", "nototp", "devices"]);
    let mut passwords = std::collections::HashSet::new();
    for p in seed["pools"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let (region, name) = id.split_once('_').unwrap();
        assert!(!region.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
        for c in p["clients"].as_array().unwrap() {
            let cid = c["id"].as_str().unwrap();
            assert!(cid.len() == 26 && cid.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{cid}");
        }
        for u in p["users"].as_array().unwrap() {
            let pw = u["password"].as_str().or(u["temporaryPassword"].as_str()).unwrap();
            assert!(passwords.insert(pw.to_owned()), "password {pw} used twice");
        }
    }
    let names: Vec<&str> =
        seed["pools"][0]["users"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    for n in ["plain", "totp", "sms", "email", "both", "temp", "jörg", "enroll1", "enroll6"] {
        assert!(names.contains(&n), "{n}");
    }
}

#[tokio::test]
async fn change_and_forgot_password_and_disable() {
    let emu = emulator();
    let p = pool("optional");
    let old = password("optional", "enroll3");
    let t = emu.tokens("optional", "enroll3").await;
    emu.call("ChangePassword", json!({"AccessToken": t["AccessToken"], "PreviousPassword": "Nope-Passw0rd!", "ProposedPassword": "Changed-Passw0rd!"}))
        .await
        .err("NotAuthorizedException");
    emu.call(
        "ChangePassword",
        json!({"AccessToken": t["AccessToken"], "PreviousPassword": old, "ProposedPassword": "Changed-Passw0rd!"}),
    )
    .await
    .ok();
    emu.srp(&p.web, &p.id, "enroll3", &old).await.err("NotAuthorizedException");
    emu.srp(&p.web, &p.id, "enroll3", "Changed-Passw0rd!").await.ok();
    // Forgot password: the code arrives in the outbox.
    let r = emu.call("ForgotPassword", json!({"ClientId": p.web, "Username": "enroll3"})).await;
    assert_eq!(r.ok()["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let code = emu.messages_for("enroll3").await.last().unwrap()["code"].as_str().unwrap().to_owned();
    let confirm = |code: &str| json!({"ClientId": p.web, "Username": "enroll3", "ConfirmationCode": code, "Password": "Reset-Passw0rd!"});
    emu.call("ConfirmForgotPassword", confirm("999999x")).await.err("CodeMismatchException");
    emu.call("ConfirmForgotPassword", confirm(&code)).await.ok();
    emu.srp(&p.web, &p.id, "enroll3", "Reset-Passw0rd!").await.ok();
    // Disable: no sign-in, tokens stop working; enable again.
    let t = emu.tokens("optional", "enroll4").await;
    emu.call("AdminDisableUser", json!({"UserPoolId": p.id, "Username": "enroll4"})).await.ok();
    emu.srp(&p.web, &p.id, "enroll4", &password("optional", "enroll4")).await.err("NotAuthorizedException");
    emu.call("GetUser", json!({"AccessToken": t["AccessToken"]})).await.err("NotAuthorizedException");
    emu.call("AdminEnableUser", json!({"UserPoolId": p.id, "Username": "enroll4"})).await.ok();
    emu.srp(&p.web, &p.id, "enroll4", &password("optional", "enroll4")).await.ok();
}
