//! DeleteUser{AccessToken}: the user deletes itself; its tokens stop working.

use super::admin_delete_user::delete;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    delete(ctx, &c.pool_id, &c.username)?;
    Ok(json!({}))
}
