//! GetUserPoolMfaConfig{UserPoolId}.

use crate::error::ApiError;
use crate::input::Input;
use crate::model::Pool;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    Ok(mfa_config(ctx.pool(input.req_str("UserPoolId")?)?))
}

pub fn mfa_config(pool: &Pool) -> Value {
    let mut out = json!({
        "MfaConfiguration": pool.mfa.as_str(),
        "SoftwareTokenMfaConfiguration": { "Enabled": pool.software_token_mfa },
    });
    if pool.sms_mfa {
        out["SmsMfaConfiguration"] = json!({ "SmsAuthenticationMessage": "Your code is {####}" });
    }
    if pool.email_mfa {
        out["EmailMfaConfiguration"] = json!({ "Message": "Your code is {####}", "Subject": "Your code" });
    }
    out
}
