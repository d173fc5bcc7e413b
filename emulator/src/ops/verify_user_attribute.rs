//! GetUserAttributeVerificationCode{AccessToken, AttributeName} → CodeDeliveryDetails (the code goes to
//! the dev outbox), and VerifyUserAttribute{AccessToken, AttributeName, Code}.

use crate::attributes;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn get_code(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    let name = input.req_str("AttributeName")?;
    let delivery = attributes::send_code(ctx, &c.pool_id, &c.username, name)?;
    Ok(json!({ "CodeDeliveryDetails": delivery }))
}

pub fn verify(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    let name = input.req_str("AttributeName")?;
    let code = input.req_str("Code")?;
    attributes::verify(ctx, &c.pool_id, &c.username, name, code)?;
    Ok(json!({}))
}
