//! ResendConfirmationCode{ClientId, Username, SecretHash?} → CodeDeliveryDetails: a new sign-up code
//! (the old one stops working) for a user who is still UNCONFIRMED.

use super::sign_up::send_confirmation_code;
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::UserStatus;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let (pool_id, username) = auth::client_user(ctx, input)?;
    let user = ctx.pool(&pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::invalid_parameter("User is already confirmed."));
    }
    let delivery = send_confirmation_code(ctx, &pool_id, &username)?;
    Ok(json!({ "CodeDeliveryDetails": delivery }))
}
