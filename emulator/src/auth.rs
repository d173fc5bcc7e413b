//! Sign-in logic shared by InitiateAuth, AdminInitiateAuth and the challenge responses: the SRP start,
//! password checks with lockout, the choice of the next challenge, and code delivery.

use crate::devices;
use crate::error::ApiError;
use crate::model::{AppClient, MfaMode, Pool, User, UserStatus};
use crate::srp;
use crate::state::{Ctx, Expect, Message};
use crate::tokens;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// A big-endian integer in hex with no leading zero nibble ("0" for zero), as Cognito sends SRP_B.
pub fn hex(n: &[u8]) -> String {
    let digits: String = n.iter().map(|b| format!("{b:02x}")).collect();
    match digits.trim_start_matches('0') {
        "" => "0".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    // from_str_radix alone would take a sign ("+f").
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    if !s.len().is_multiple_of(2) {
        return hex_bytes(&format!("0{s}"));
    }
    (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok())).collect()
}

/// A hex integer of any length (odd allowed, leading zeros ignored) as big-endian bytes without leading zeros.
pub fn parse_hex_int(s: &str) -> Option<Vec<u8>> {
    let mut bytes = hex_bytes(s).filter(|_| !s.is_empty())?;
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.drain(..zeros);
    Some(bytes)
}

/// Salt + verifier for a new password. The salt is 16 random bytes, as Cognito's.
pub fn password_record(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, password: &str) -> (String, String) {
    let salt = ctx.random_bytes(16);
    let v = srp::verifier(pool_id, username, password, &salt);
    (salt.iter().map(|b| format!("{b:02x}")).collect(), hex(&v))
}

/// Replaces a user's password (new salt and verifier) and clears the failure counter.
pub fn set_password(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, password: &str) -> Result<(), ApiError> {
    let (salt, verifier) = password_record(ctx, pool_id, username, password);
    let now = ctx.now;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    user.salt = salt;
    user.verifier = verifier;
    user.failed_attempts = 0;
    user.locked_until = 0;
    user.modified = now;
    Ok(())
}

/// Whether `password` matches the stored verifier (USER_PASSWORD_AUTH and admin password auth).
pub fn password_matches(pool_id: &str, user: &User, password: &str) -> bool {
    let (Some(salt), Some(stored)) = (hex_bytes(&user.salt), parse_hex_int(&user.verifier)) else { return false };
    let v = srp::verifier(pool_id, &user.username, password, &salt);
    bool::from(v.ct_eq(&stored))
}

/// The pool's password policy (Cognito's default: 8+ characters, upper, lower, digit, symbol).
pub fn check_policy(ctx: &Ctx<'_>, pool_id: &str, password: &str) -> Result<(), ApiError> {
    let policy = ctx.pool(pool_id)?.settings.password_policy;
    let long_enough = i64::try_from(password.chars().count()).unwrap_or(i64::MAX) >= policy.minimum_length;
    let problems = [
        (long_enough, "Password not long enough"),
        (
            !policy.require_uppercase || password.chars().any(char::is_uppercase),
            "Password must have uppercase characters",
        ),
        (
            !policy.require_lowercase || password.chars().any(char::is_lowercase),
            "Password must have lowercase characters",
        ),
        (
            !policy.require_numbers || password.chars().any(|c| c.is_ascii_digit()),
            "Password must have numeric characters",
        ),
        (
            !policy.require_symbols || password.chars().any(|c| !c.is_alphanumeric()),
            "Password must have symbol characters",
        ),
    ];
    match problems.iter().find(|(ok, _)| !ok) {
        Some((_, why)) => {
            Err(ApiError::new("InvalidPasswordException", format!("Password does not conform to policy: {why}")))
        }
        None => Ok(()),
    }
}

/// The client for an id, with the pool that owns it.
pub fn client_and_pool(ctx: &Ctx<'_>, client_id: &str) -> Result<(String, AppClient), ApiError> {
    let pool_id = ctx.inner.db.pool_id_for_client(client_id).ok_or_else(|| ApiError::client_not_found(client_id))?;
    let client = ctx.pool(&pool_id)?.client(client_id).cloned().ok_or_else(|| ApiError::client_not_found(client_id))?;
    Ok((pool_id, client))
}

/// The public, unauthenticated operations on one user (ForgotPassword, ConfirmSignUp, ...): the pool of
/// `ClientId`, the user named by `Username` (or an alias), and its SecretHash checked.
pub fn client_user(ctx: &Ctx<'_>, input: &crate::input::Input) -> Result<(String, String), ApiError> {
    let client_id = input.req_str("ClientId")?;
    let given = input.req_str("Username")?;
    let (pool_id, client) = client_and_pool(ctx, client_id)?;
    let username = ctx.pool(&pool_id)?.find_user_key(given).ok_or_else(ApiError::user_not_found)?;
    check_secret_hash(&client, &[given, username.as_str()], input.opt_str("SecretHash")?)?;
    Ok((pool_id, username))
}

/// SECRET_HASH = base64(HMAC-SHA256(client secret, username ‖ client id)); any of the candidate
/// usernames (what was typed, the real username, the sub) is accepted.
pub fn check_secret_hash(client: &AppClient, candidates: &[&str], provided: Option<&str>) -> Result<(), ApiError> {
    let Some(secret) = &client.secret else { return Ok(()) };
    let refuse = || ApiError::not_authorized(format!("Unable to verify secret hash for client {}", client.id));
    let provided = provided.ok_or_else(|| {
        ApiError::not_authorized(format!("Client {} is configured for secret but secret was not received", client.id))
    })?;
    let provided = STANDARD.decode(provided).map_err(|_| refuse())?;
    for name in candidates {
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else { continue };
        mac.update(name.as_bytes());
        mac.update(client.id.as_bytes());
        if bool::from(mac.finalize().into_bytes().as_slice().ct_eq(&provided)) {
            return Ok(());
        }
    }
    Err(refuse())
}

pub fn require_flow(client: &AppClient, flow: &str) -> Result<(), ApiError> {
    if client.allows(flow) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!("{flow} flow not enabled for this client")))
    }
}

/// Refuses while the user is locked out after too many wrong passwords.
pub fn guard_lockout(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Result<(), ApiError> {
    let user = ctx.pool(pool_id)?.users.get(username).ok_or_else(ApiError::user_not_found)?;
    if user.failed_attempts >= ctx.config.max_password_attempts && user.locked_until > ctx.now {
        return Err(ApiError::not_authorized("Password attempts exceeded"));
    }
    Ok(())
}

/// Counts a wrong password; from the threshold on, the account is locked for a growing while.
pub fn record_failure(ctx: &mut Ctx<'_>, pool_id: &str, username: &str) {
    let (now, max) = (ctx.now, ctx.config.max_password_attempts);
    if let Some(user) = ctx.inner.db.pools.get_mut(pool_id).and_then(|p| p.users.get_mut(username)) {
        user.failed_attempts = user.failed_attempts.saturating_add(1);
        if user.failed_attempts >= max {
            let extra = user.failed_attempts - max;
            user.locked_until = now + (60i64 << extra.min(4));
        }
    }
}

pub fn record_success(ctx: &mut Ctx<'_>, pool_id: &str, username: &str) {
    if let Some(user) = ctx.inner.db.pools.get_mut(pool_id).and_then(|p| p.users.get_mut(username)) {
        user.failed_attempts = 0;
        user.locked_until = 0;
    }
}

/// Whether the client hides unknown users (its own PreventUserExistenceErrors, else the pool's default).
pub fn hides_unknown_users(ctx: &Ctx<'_>, pool_id: &str, client_id: &str) -> bool {
    let Ok(pool) = ctx.pool(pool_id) else { return false };
    pool.client(client_id).and_then(|c| c.prevent_user_existence_errors).unwrap_or(pool.prevent_user_existence_errors)
}

/// Resolves what the caller typed to the real username, honouring the client's
/// PreventUserExistenceErrors (then `Ok(None)` means "pretend").
pub fn resolve_user(ctx: &Ctx<'_>, pool_id: &str, client_id: &str, typed: &str) -> Result<Option<String>, ApiError> {
    let hide = hides_unknown_users(ctx, pool_id, client_id);
    let pool = ctx.pool(pool_id)?;
    match pool.find_user_key(typed) {
        Some(name) => {
            let user = pool.users.get(&name).ok_or_else(ApiError::user_not_found)?;
            if !user.enabled {
                return Err(ApiError::not_authorized("User is disabled."));
            }
            // After AdminResetUserPassword the old password is gone: ForgotPassword is the way back.
            if user.status == UserStatus::ResetRequired {
                return Err(ApiError::new("PasswordResetRequiredException", "Password reset required for the user"));
            }
            Ok(Some(name))
        }
        None if hide => Ok(None),
        None => Err(ApiError::user_not_found()),
    }
}

/// A client's SRP_A (user or device SRP) as big-endian bytes; A ≡ 0 (mod N) is refused like a wrong password.
pub fn client_public(srp_a: &str) -> Result<Vec<u8>, ApiError> {
    let a = parse_hex_int(srp_a).ok_or_else(|| ApiError::invalid_parameter("SRP_A is not a valid hex number"))?;
    if srp::check_a(&a).is_err() {
        return Err(ApiError::bad_credentials());
    }
    Ok(a)
}

/// USER_SRP_AUTH step one: returns the PASSWORD_VERIFIER challenge.
pub fn start_srp(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    typed: &str,
    srp_a: &str,
) -> Result<Value, ApiError> {
    let a = client_public(srp_a)?;
    let resolved = resolve_user(ctx, pool_id, client_id, typed)?;
    let (username, salt_hex, v, fake) = match &resolved {
        Some(name) => {
            let user = ctx.pool(pool_id)?.users.get(name).ok_or_else(ApiError::user_not_found)?;
            let v = parse_hex_int(&user.verifier).ok_or_else(|| ApiError::internal("corrupt verifier"))?;
            (name.clone(), user.salt.clone(), v, false)
        }
        None => {
            // A made-up user whose verifier no password matches (that of a random one nobody knows), so the
            // answer looks the same.
            let salt = ctx.random_bytes(16);
            let v = srp::verifier(pool_id, typed, &hex(&ctx.random_bytes(32)), &salt);
            (typed.to_owned(), salt.iter().map(|b| format!("{b:02x}")).collect(), v, true)
        }
    };
    let b = ctx.random_bytes(256);
    let big_b = srp::server_public(&v, &b);
    let secret_block = ctx.random_bytes(724);
    let params = json!({
        "SALT": salt_hex,
        "SECRET_BLOCK": STANDARD.encode(&secret_block),
        "SRP_B": hex(&big_b),
        "USERNAME": username,
        "USER_ID_FOR_SRP": username,
    });
    // A and b are needed again at the next step; they ride in the server-side session.
    let expect = Expect::PasswordVerifier { a, b, big_b, secret_block, fake };
    let session = ctx.new_session(pool_id, client_id, &username, expect);
    Ok(json!({ "ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": params, "Session": session }))
}

/// Masks a destination the way Cognito shows it (`+*******0100`, `a***@e***`).
pub fn mask(channel: &str, dest: &str) -> String {
    if channel == "SMS" {
        let keep: String = dest.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        format!("+{}{keep}", "*".repeat(dest.chars().count().saturating_sub(5)))
    } else {
        let (local, domain) = dest.split_once('@').unwrap_or((dest, ""));
        format!("{}***@{}***", local.chars().next().unwrap_or('*'), domain.chars().next().unwrap_or('*'))
    }
}

/// "Sends" a code by putting it on the dev channel; returns the challenge parameters.
fn send_code(ctx: &mut Ctx<'_>, pool_id: &str, user: &User, channel: &'static str) -> (String, Value) {
    let attr = if channel == "SMS" { "phone_number" } else { "email" };
    let destination = user.attributes.get(attr).cloned().unwrap_or_default();
    let code = ctx.digits(6);
    tracing::debug!(pool_id, channel, "code delivered to the dev channel");
    push_message(
        ctx,
        Message {
            pool_id: pool_id.into(),
            username: user.username.clone(),
            channel,
            destination: destination.clone(),
            code: code.clone(),
            at: ctx.now,
        },
    );
    let params = json!({
        "CODE_DELIVERY_DELIVERY_MEDIUM": channel,
        "CODE_DELIVERY_DESTINATION": mask(channel, &destination),
    });
    (code, params)
}

fn challenge(name: &str, mut params: Value, username: &str, session: String) -> Value {
    params["USER_ID_FOR_SRP"] = json!(username);
    json!({ "ChallengeName": name, "ChallengeParameters": params, "Session": session })
}

/// Issues the challenge for one MFA type.
pub fn mfa_challenge(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    user: &User,
    kind: &str,
) -> Result<Value, ApiError> {
    let name = &user.username;
    match kind {
        "SOFTWARE_TOKEN_MFA" => {
            let device = user.totp_device_name.clone().unwrap_or_else(|| "TOTP device".into());
            let s = ctx.new_session(pool_id, client_id, name, Expect::SoftwareTokenMfa);
            Ok(challenge(kind, json!({ "FRIENDLY_DEVICE_NAME": device }), name, s))
        }
        "SMS_MFA" => {
            let (code, params) = send_code(ctx, pool_id, user, "SMS");
            let s = ctx.new_session(pool_id, client_id, name, Expect::SmsMfa { code });
            Ok(challenge(kind, params, name, s))
        }
        "EMAIL_OTP" => {
            let (code, params) = send_code(ctx, pool_id, user, "EMAIL");
            let s = ctx.new_session(pool_id, client_id, name, Expect::EmailOtp { code });
            Ok(challenge(kind, params, name, s))
        }
        _ => Err(ApiError::invalid_parameter(format!("Unsupported MFA type {kind}"))),
    }
}

fn mfa_setup_types(pool: &Pool) -> Vec<&'static str> {
    let mut types = Vec::new();
    if pool.sms_mfa {
        types.push("SMS_MFA");
    }
    if pool.software_token_mfa {
        types.push("SOFTWARE_TOKEN_MFA");
    }
    if pool.email_mfa {
        types.push("EMAIL_OTP");
    }
    types
}

/// After the password is proven (or a new one set): the next challenge, or tokens.
pub fn after_password(ctx: &mut Ctx<'_>, pool_id: &str, client_id: &str, username: &str) -> Result<Value, ApiError> {
    record_success(ctx, pool_id, username);
    let pool = ctx.pool(pool_id)?.clone();
    let user = pool.users.get(username).cloned().ok_or_else(ApiError::user_not_found)?;
    // Only after the password is proven, so the answer does not tell strangers who has signed up.
    if user.status == UserStatus::Unconfirmed {
        return Err(ApiError::new("UserNotConfirmedException", "User is not confirmed."));
    }
    if user.status == UserStatus::ForceChangePassword {
        let mut attrs = Map::new();
        for (k, v) in &user.attributes {
            if k != "sub" && !k.ends_with("_verified") {
                attrs.insert(k.clone(), json!(v));
            }
        }
        let params = json!({
            "userAttributes": Value::Object(attrs).to_string(),
            "requiredAttributes": "[]",
        });
        let s = ctx.new_session(pool_id, client_id, username, Expect::NewPasswordRequired);
        return Ok(challenge("NEW_PASSWORD_REQUIRED", params, username, s));
    }
    finish_after_password(ctx, &pool, client_id, &user)
}

/// The MFA decision once no password change is pending.
pub fn finish_after_password(ctx: &mut Ctx<'_>, pool: &Pool, client_id: &str, user: &User) -> Result<Value, ApiError> {
    if pool.mfa == MfaMode::Off {
        return tokens_result(ctx, &pool.id, client_id, &user.username);
    }
    let active = user.active_mfa(pool);
    // A remembered device stands in for the MFA code (its own proof follows in DEVICE_SRP_AUTH); it does not
    // stand in for setting up a first factor.
    if !active.is_empty() && devices::replaces_mfa(pool, user, ctx.flow.device_key.as_deref()) {
        return tokens_result(ctx, &pool.id, client_id, &user.username);
    }
    if let Some(kind) = user.preferred_mfa(pool) {
        return mfa_challenge(ctx, &pool.id, client_id, user, kind);
    }
    match active.as_slice() {
        [] if pool.mfa == MfaMode::On => {
            let types = mfa_setup_types(pool);
            let s = ctx.new_session(&pool.id, client_id, &user.username, Expect::MfaSetup { verified: false });
            let params = json!({ "MFAS_CAN_SETUP": json!(types).to_string() });
            Ok(challenge("MFA_SETUP", params, &user.username, s))
        }
        [] => tokens_result(ctx, &pool.id, client_id, &user.username),
        [one] => mfa_challenge(ctx, &pool.id, client_id, user, one),
        many => {
            let s = ctx.new_session(&pool.id, client_id, &user.username, Expect::SelectMfaType);
            let params = json!({ "MFAS_CAN_CHOOSE": json!(many).to_string() });
            Ok(challenge("SELECT_MFA_TYPE", params, &user.username, s))
        }
    }
}

/// The end of a sign-in's user checks. In a pool that tracks devices: a sign-in naming a confirmed device proves
/// it next (DEVICE_SRP_AUTH) unless MFA was just answered (then plain tokens); any other gets its tokens with a
/// NewDeviceMetadata, a fresh device to confirm.
/// Otherwise `{"ChallengeParameters": {}, "AuthenticationResult": {...}}`, no Session.
pub fn tokens_result(ctx: &mut Ctx<'_>, pool_id: &str, client_id: &str, username: &str) -> Result<Value, ApiError> {
    let pool = ctx.pool(pool_id)?;
    if !devices::tracking(pool) {
        return plain_tokens(ctx, pool_id, client_id, username);
    }
    if let Some(key) = ctx.flow.device_key.clone() {
        let user = pool.users.get(username).ok_or_else(ApiError::user_not_found)?;
        devices::confirmed(user, &key).ok_or_else(devices::not_found)?;
        if ctx.flow.mfa_done {
            return plain_tokens(ctx, pool_id, client_id, username);
        }
        let s = ctx.new_session(pool_id, client_id, username, Expect::DeviceSrpAuth);
        let params = json!({ "USERNAME": username, "DEVICE_KEY": key });
        return Ok(json!({ "ChallengeName": "DEVICE_SRP_AUTH", "ChallengeParameters": params, "Session": s }));
    }
    let mut result = tokens::issue(ctx, pool_id, client_id, username, None)?;
    result["NewDeviceMetadata"] = devices::new_device_metadata(ctx, pool_id, username)?;
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}

/// Tokens and nothing else (after DEVICE_PASSWORD_VERIFIER, or where devices are not tracked).
pub fn plain_tokens(ctx: &mut Ctx<'_>, pool_id: &str, client_id: &str, username: &str) -> Result<Value, ApiError> {
    let result = tokens::issue(ctx, pool_id, client_id, username, None)?;
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}

/// Creates a user (SignUp, AdminCreateUser). In pools that sign in with email/phone the name given is
/// that attribute and the username becomes a UUID, as in Cognito.
pub fn create_user(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    given: &str,
    password: &str,
    status: UserStatus,
    attributes: Vec<(String, String)>,
) -> Result<String, ApiError> {
    if given.is_empty() || given.chars().count() > 128 || given.chars().any(char::is_whitespace) {
        return Err(ApiError::invalid_parameter("Username failed to satisfy constraint"));
    }
    let pool = ctx.pool(pool_id)?;
    let alias_pool = !pool.username_attributes.is_empty();
    let mut attrs: std::collections::BTreeMap<String, String> =
        attributes.into_iter().filter(|(k, _)| k != "sub").collect();
    let username = if alias_pool {
        let attr = if given.contains('@') { "email" } else { "phone_number" };
        if !pool.username_attributes.iter().any(|a| a == attr) {
            return Err(ApiError::invalid_parameter(format!("Username should be an {attr}.")));
        }
        if pool.find_user_key(given).is_some() {
            return Err(ApiError::new("UsernameExistsException", "An account with the given email already exists."));
        }
        attrs.insert(attr.to_owned(), given.to_owned());
        ctx.uuid()
    } else {
        if pool.users.contains_key(given) {
            return Err(ApiError::new("UsernameExistsException", "User account already exists"));
        }
        given.to_owned()
    };
    let (salt, verifier) = password_record(ctx, pool_id, &username, password);
    // With email/phone as username, Cognito makes the username the sub.
    let sub = if alias_pool { username.clone() } else { ctx.uuid() };
    let now = ctx.now;
    let mut user = User::new(username.clone(), sub, status, salt, verifier, now);
    user.attributes = attrs;
    ctx.pool_mut(pool_id)?.users.insert(username.clone(), user);
    Ok(username)
}

/// Looks a user up by name or alias for the admin operations.
pub fn admin_user(ctx: &Ctx<'_>, pool_id: &str, given: &str) -> Result<String, ApiError> {
    ctx.pool(pool_id)?.find_user_key(given).ok_or_else(ApiError::user_not_found)
}

/// A user as AdminCreateUser / ListUsers show it.
pub fn user_type(user: &User) -> Value {
    json!({
        "Username": user.username,
        "Attributes": user.attribute_list(),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    })
}

/// Where the user's codes go: email when set, else the phone number, as (channel, attribute,
/// destination if the attribute is set).
pub fn contact(user: &User) -> (&'static str, &'static str, Option<String>) {
    let (channel, attr) =
        if user.attributes.contains_key("email") { ("EMAIL", "email") } else { ("SMS", "phone_number") };
    (channel, attr, user.attributes.get(attr).cloned())
}

/// Dev-channel delivery for sign-up confirmation codes.
pub fn deliver(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, channel: &'static str, destination: &str, code: &str) {
    push_message(
        ctx,
        Message {
            pool_id: pool_id.into(),
            username: username.into(),
            channel,
            destination: destination.into(),
            code: code.into(),
            at: ctx.now,
        },
    );
}

/// Appends to the bounded outbox.
pub fn push_message(ctx: &mut Ctx<'_>, message: Message) {
    if ctx.inner.messages.len() >= crate::state::MESSAGES_CAP {
        ctx.inner.messages.remove(0);
    }
    ctx.inner.messages.push(message);
}

#[cfg(test)]
mod tests {
    use super::{hex, parse_hex_int};

    #[test]
    fn hex_integers_round_trip_without_leading_zeros() {
        assert_eq!(parse_hex_int("abc"), Some(vec![0x0a, 0xbc]));
        assert_eq!(parse_hex_int("0000ff"), Some(vec![0xff]));
        assert_eq!(parse_hex_int("0"), Some(vec![]));
        for bad in ["", "+f", "-1", "xyz", "12 4"] {
            assert_eq!(parse_hex_int(bad), None, "{bad:?}");
        }
        assert_eq!(hex(&[0x00, 0x0a, 0xbc]), "abc");
        assert_eq!(hex(&[0xff, 0x00]), "ff00");
        assert_eq!(hex(&[]), "0");
        assert_eq!(hex(&[0, 0]), "0");
    }
}
