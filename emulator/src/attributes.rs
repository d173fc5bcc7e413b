//! User attributes: which names exist and who may write them, updates and deletions with their
//! verification consequences (a changed email or phone number is no longer verified), and the
//! verification codes of GetUserAttributeVerificationCode / VerifyUserAttribute.
//!
//! The emulator has no attribute schema: the standard attributes and any `custom:` name exist; `sub`
//! and the `cognito:` names are never written through these operations.

use crate::auth;
use crate::error::ApiError;
use crate::state::Ctx;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

/// Cognito's standard attributes (OpenID Connect's, as Cognito names them).
pub const STANDARD: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// How long a verification code stays good (Cognito: 24 hours).
const CODE_TTL: i64 = 86_400;

/// Who writes: an administrator (Admin* operations) or the user with an access token, who may not
/// set the `*_verified` flags.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    Admin,
    User,
}

/// The two attributes that can be verified, with their flag and delivery channel.
fn verifiable(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "email" => Some(("email_verified", "EMAIL")),
        "phone_number" => Some(("phone_number_verified", "SMS")),
        _ => None,
    }
}

/// Refuses names outside the (schema-less) pool schema and the immutable ones.
fn check_name(name: &str, writer: Writer) -> Result<(), ApiError> {
    if name == "sub" || name == "identities" || name.starts_with("cognito:") {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid user attributes: {name}: Cannot modify an immutable attribute."
        )));
    }
    let custom = name.strip_prefix("custom:").is_some_and(|n| !n.is_empty() && n.chars().count() <= 20);
    if !custom && !STANDARD.contains(&name) {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid user attributes: {name}: Attribute does not exist in the schema."
        )));
    }
    if writer == Writer::User && name.ends_with("_verified") {
        return Err(ApiError::not_authorized("A client attempted to write unauthorized attribute"));
    }
    Ok(())
}

fn check_value(name: &str, value: &str) -> Result<(), ApiError> {
    let ok = match name {
        "email" => value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !value.chars().any(char::is_whitespace)
        }),
        "phone_number" => {
            let digits = value.strip_prefix('+').unwrap_or("");
            (1..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        }
        "email_verified" | "phone_number_verified" => value == "true" || value == "false",
        _ => value.chars().count() <= 2048,
    };
    if ok {
        return Ok(());
    }
    Err(ApiError::invalid_parameter(match name {
        "email" => "Invalid email address format.".to_owned(),
        "phone_number" => "Invalid phone number format.".to_owned(),
        _ => format!("Invalid user attributes: {name}: invalid value."),
    }))
}

/// Applies `updates` to the user. A changed email or phone number loses its verified flag (unless the
/// same request sets it); if the pool auto-verifies that attribute a code goes out, and its
/// CodeDeliveryDetails are returned.
pub fn update(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    username: &str,
    updates: &[(String, String)],
    writer: Writer,
) -> Result<Vec<Value>, ApiError> {
    if updates.is_empty() {
        return Err(crate::input::missing("userAttributes"));
    }
    for (name, value) in updates {
        check_name(name, writer)?;
        check_value(name, value)?;
    }
    let pool = ctx.pool(pool_id)?;
    for (name, value) in updates {
        let taken = pool.username_attributes.iter().any(|a| a == name)
            && pool.users.values().any(|u| u.username != username && u.attributes.get(name) == Some(value));
        if taken {
            return Err(ApiError::new(
                "AliasExistsException",
                format!("An account with the given {name} already exists."),
            ));
        }
    }
    let auto_verified = pool.settings.auto_verified_attributes.clone();
    let now = ctx.now;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    let mut changed = Vec::new();
    for (name, value) in updates {
        if let Some((flag, _)) = verifiable(name)
            && user.attributes.get(name) != Some(value)
        {
            if !updates.iter().any(|(n, _)| n == flag) {
                user.attributes.insert(flag.to_owned(), "false".to_owned());
            }
            user.verification_codes.remove(name);
            changed.push(name.clone());
        }
        user.attributes.insert(name.clone(), value.clone());
    }
    user.modified = now;
    let unverified =
        |name: &String| verifiable(name).and_then(|(flag, _)| user.attributes.get(flag)).is_none_or(|v| v != "true");
    let to_send: Vec<String> = changed.into_iter().filter(|n| unverified(n) && auto_verified.contains(n)).collect();
    to_send.iter().map(|name| send_code(ctx, pool_id, username, name)).collect()
}

/// Removes attributes; an email or phone number takes its verified flag and pending code with it.
pub fn delete(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    username: &str,
    names: &[String],
    writer: Writer,
) -> Result<(), ApiError> {
    if names.is_empty() {
        return Err(crate::input::missing("userAttributeNames"));
    }
    for name in names {
        check_name(name, writer)?;
    }
    let now = ctx.now;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    for name in names {
        user.attributes.remove(name);
        if let Some((flag, _)) = verifiable(name) {
            user.attributes.remove(flag);
            user.verification_codes.remove(name);
        }
    }
    user.modified = now;
    Ok(())
}

/// Sends a verification code for `email` or `phone_number` to the dev outbox; returns its
/// CodeDeliveryDetails (destination masked, as Cognito shows it).
pub fn send_code(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, name: &str) -> Result<Value, ApiError> {
    let Some((_, channel)) = verifiable(name) else {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid attribute name {name}: only email and phone_number are verified."
        )));
    };
    let user = ctx.pool(pool_id)?.users.get(username).ok_or_else(ApiError::user_not_found)?;
    let Some(destination) = user.attributes.get(name).cloned() else {
        return Err(ApiError::invalid_parameter(format!("The user has no {name} to verify.")));
    };
    let code = ctx.digits(6);
    let expires = ctx.now + CODE_TTL;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    user.verification_codes.insert(name.to_owned(), (code.clone(), expires));
    auth::deliver(ctx, pool_id, username, channel, &destination, &code);
    Ok(json!({ "Destination": auth::mask(channel, &destination), "DeliveryMedium": channel, "AttributeName": name }))
}

/// Checks a code from [`send_code`]; on success the attribute is verified and the code spent.
pub fn verify(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, name: &str, code: &str) -> Result<(), ApiError> {
    let mismatch = || ApiError::new("CodeMismatchException", "Invalid verification code provided, please try again.");
    let Some((flag, _)) = verifiable(name) else {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid attribute name {name}: only email and phone_number are verified."
        )));
    };
    let now = ctx.now;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    let (expected, expires) = user.verification_codes.get(name).cloned().ok_or_else(mismatch)?;
    if !bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
        return Err(mismatch());
    }
    if expires <= now {
        user.verification_codes.remove(name);
        return Err(ApiError::new("ExpiredCodeException", "Invalid code provided, please request a code again."));
    }
    user.verification_codes.remove(name);
    user.attributes.insert(flag.to_owned(), "true".to_owned());
    user.modified = now;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        assert!(check_name("email", Writer::User).is_ok());
        assert!(check_name("custom:tier", Writer::User).is_ok());
        assert_eq!(check_name("sub", Writer::Admin).map_err(|e| e.kind), Err("InvalidParameterException"));
        assert_eq!(
            check_name("cognito:user_status", Writer::Admin).map_err(|e| e.kind),
            Err("InvalidParameterException")
        );
        assert_eq!(check_name("favourite_colour", Writer::Admin).map_err(|e| e.kind), Err("InvalidParameterException"));
        assert_eq!(check_name("custom:", Writer::Admin).map_err(|e| e.kind), Err("InvalidParameterException"));
        assert!(check_name("email_verified", Writer::Admin).is_ok());
        assert_eq!(check_name("email_verified", Writer::User).map_err(|e| e.kind), Err("NotAuthorizedException"));
        assert!(check_value("phone_number", "+15555550100").is_ok());
        assert!(check_value("phone_number", "5555550100").is_err());
        assert!(check_value("phone_number", "+1555-555").is_err());
        assert!(check_value("email", "a@b").is_ok());
        assert!(check_value("email", "a b@c").is_err());
        assert!(check_value("email", "@c").is_err());
        assert!(check_value("email_verified", "yes").is_err());
    }
}
