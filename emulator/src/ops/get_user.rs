//! GetUser{AccessToken} → Username, UserAttributes, UserMFASettingList, PreferredMfaSetting.

use crate::error::ApiError;
use crate::input::Input;
use crate::model::User;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    let user = ctx.pool(&c.pool_id)?.users.get(&c.username).ok_or_else(ApiError::user_not_found)?;
    let mut out = json!({ "Username": user.username, "UserAttributes": user.attribute_list() });
    add_mfa(&mut out, user);
    Ok(out)
}

/// Adds the MFA members, which AWS omits when empty.
pub fn add_mfa(out: &mut Value, user: &User) {
    let list = user.mfa_setting_list();
    if !list.is_empty() {
        out["UserMFASettingList"] = json!(list);
    }
    if let Some(p) = user.preferred_setting() {
        out["PreferredMfaSetting"] = json!(p);
    }
}
