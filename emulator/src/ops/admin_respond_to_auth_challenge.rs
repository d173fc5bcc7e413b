//! AdminRespondToAuthChallenge{UserPoolId, ClientId, ChallengeName, ChallengeResponses, Session}.

use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::Value;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    ctx.pool(pool_id)?;
    super::respond_to_auth_challenge::respond(ctx, input, Some(pool_id))
}
