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
    let temporary = match input.opt_str("TemporaryPassword")? {
        Some(p) => {
            auth::check_policy(p)?;
            p.to_owned()
        }
        None => {
            // Cognito mails a generated one; here it goes to the dev channel.
            format!("Tmp-{}a!", ctx.digits(8))
        }
    };
    let resend = input.opt_str("MessageAction")? == Some("RESEND");
    if resend {
        return Err(ApiError::new("UnsupportedOperationException", "MessageAction RESEND is not emulated"));
    }
    let username = auth::create_user(ctx, pool_id, given, &temporary, UserStatus::ForceChangePassword, attributes)?;
    let user = ctx.pool(pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?;
    Ok(json!({ "User": auth::user_type(user) }))
}
