//! AdminCreateUser{UserPoolId, Username, TemporaryPassword?, UserAttributes?, MessageAction?} → a
//! FORCE_CHANGE_PASSWORD user.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::UserStatus;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let given = input.req_str("Username")?;
    let attributes = input.attributes("UserAttributes")?;
    ctx.pool(pool_id)?;
    let action = input.opt_str("MessageAction")?;
    if action == Some("RESEND") {
        return Err(ApiError::new("UnsupportedOperationException", "MessageAction RESEND is not emulated"));
    }
    let (temporary, generated) = match input.opt_str("TemporaryPassword")? {
        Some(p) => {
            auth::check_policy(ctx, pool_id, p)?;
            (p.to_owned(), false)
        }
        None => {
            // Long enough for the pool's policy, with every character class.
            let min = ctx.pool(pool_id)?.settings.password_policy.minimum_length;
            let digits = usize::try_from(min.saturating_sub(6)).unwrap_or(0).max(8);
            (format!("Tmp-{}a!", ctx.digits(digits)), true)
        }
    };
    let username = auth::create_user(ctx, pool_id, given, &temporary, UserStatus::ForceChangePassword, attributes)?;
    let user = ctx.pool(pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?;
    let out = json!({ "User": auth::user_type(user) });
    // Cognito mails a generated password in the invitation; here the invitation goes to the dev outbox.
    if generated && action != Some("SUPPRESS") {
        let (channel, _, destination) = auth::contact(user);
        auth::deliver(ctx, pool_id, &username, channel, &destination.unwrap_or_default(), &temporary);
    }
    Ok(out)
}
