//! RS256 JWTs (access and id tokens), opaque refresh tokens, and the JWKS document.

use crate::error::ApiError;
use crate::model::{Grant, Validity};
use crate::state::Ctx;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
// rsa 0.9 signs with the sha2 generation it is built on (digest 0.10), which it re-exports.
use rsa::sha2::{Digest, Sha256};
use serde_json::{Value, json};

pub const SCOPE: &str = "aws.cognito.signin.user.admin";

/// Serialises the key for the state file.
pub fn key_to_string(key: &RsaPrivateKey) -> Result<String, ApiError> {
    let der = key.to_pkcs8_der().map_err(|_| ApiError::internal("cannot encode signing key"))?;
    Ok(STANDARD.encode(der.as_bytes()))
}

pub fn key_from_string(s: &str) -> Option<RsaPrivateKey> {
    let der = STANDARD.decode(s).ok()?;
    RsaPrivateKey::from_pkcs8_der(&der).ok()
}

/// The key id: a hash of the public modulus, stable across restarts with the same key.
pub fn kid(key: &RsaPublicKey) -> String {
    let digest = Sha256::digest(key.n().to_bytes_be());
    URL_SAFE_NO_PAD.encode(&digest[..20])
}

pub fn jwks(key: &RsaPrivateKey) -> Value {
    let public = key.to_public_key();
    json!({ "keys": [{
        "alg": "RS256",
        "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        "kid": kid(&public),
        "kty": "RSA",
        "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
        "use": "sig",
    }]})
}

/// header.payload.signature, base64url without padding, PKCS#1 v1.5 SHA-256.
pub fn sign(key: &RsaPrivateKey, claims: &Value) -> String {
    let header = json!({ "kid": kid(&key.to_public_key()), "alg": "RS256" });
    let input =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// Checks the signature and returns the claims (expiry and revocation are the caller's business).
pub fn decode(key: &RsaPrivateKey, token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (h, p, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
    if header.get("alg")?.as_str()? != "RS256" {
        return None;
    }
    let signature = Signature::try_from(URL_SAFE_NO_PAD.decode(s).ok()?.as_slice()).ok()?;
    VerifyingKey::<Sha256>::new(key.to_public_key()).verify(format!("{h}.{p}").as_bytes(), &signature).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
}

/// Mints access + id tokens (and a refresh token when `new_grant`) for a finished sign-in.
pub fn issue(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    username: &str,
    refresh: Option<(String, Grant)>,
) -> Result<Value, ApiError> {
    let now = ctx.now;
    let (access_ttl, id_ttl, refresh_ttl) = lifetimes(ctx, pool_id, client_id);
    let (refresh_token, grant, new_grant) = match refresh {
        Some((token, grant)) => (token, grant, false),
        None => {
            let grant = Grant {
                pool_id: pool_id.into(),
                client_id: client_id.into(),
                username: username.into(),
                origin_jti: ctx.uuid(),
                auth_time: now,
                expires: now + refresh_ttl,
                revoked: false,
            };
            // Real refresh tokens are long opaque blobs; length matters to some clients' storage only.
            (ctx.random_token(512), grant, true)
        }
    };
    let pool = ctx.pool(pool_id)?;
    let user = pool.users.get(username).ok_or_else(ApiError::user_not_found)?;
    let iss = format!("{}/{}", ctx.config.issuer_base.trim_end_matches('/'), pool_id);
    let sub = user.sub.clone();
    let mut id_claims = serde_json::Map::new();
    for (k, v) in &user.attributes {
        let value = match k.as_str() {
            "email_verified" | "phone_number_verified" => Value::Bool(v == "true"),
            _ => Value::String(v.clone()),
        };
        id_claims.insert(k.clone(), value);
    }
    // cognito:groups in both tokens, highest priority first; the roles of those groups in the id token.
    let groups = pool.groups_of(user);
    let group_names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let roles: Vec<&str> = groups.iter().filter_map(|g| g.role_arn.as_deref()).collect();
    if !group_names.is_empty() {
        id_claims.insert("cognito:groups".into(), json!(group_names));
    }
    if let Some(preferred) = roles.first() {
        id_claims.insert("cognito:preferred_role".into(), json!(preferred));
        id_claims.insert("cognito:roles".into(), json!(roles));
    }
    let groups_claim = (!group_names.is_empty()).then(|| json!(group_names));
    let (access_jti, id_jti, event_id) = (ctx.uuid(), ctx.uuid(), ctx.uuid());
    let mut access = json!({
        "sub": sub, "iss": iss, "client_id": client_id, "origin_jti": grant.origin_jti,
        "event_id": event_id, "token_use": "access", "scope": SCOPE, "auth_time": grant.auth_time,
        "exp": now + access_ttl, "iat": now, "jti": access_jti, "username": username,
    });
    if let Some(groups) = groups_claim {
        access["cognito:groups"] = groups;
    }
    id_claims.insert("sub".into(), json!(sub));
    id_claims.insert("iss".into(), json!(iss));
    id_claims.insert("cognito:username".into(), json!(username));
    id_claims.insert("origin_jti".into(), json!(grant.origin_jti));
    id_claims.insert("aud".into(), json!(client_id));
    id_claims.insert("event_id".into(), json!(event_id));
    id_claims.insert("token_use".into(), json!("id"));
    id_claims.insert("auth_time".into(), json!(grant.auth_time));
    id_claims.insert("exp".into(), json!(now + id_ttl));
    id_claims.insert("iat".into(), json!(now));
    id_claims.insert("jti".into(), json!(id_jti));
    let access_token = sign(&ctx.inner.key, &access);
    let id_token = sign(&ctx.inner.key, &Value::Object(id_claims));
    let mut result = json!({
        "AccessToken": access_token,
        "ExpiresIn": access_ttl,
        "IdToken": id_token,
        "TokenType": "Bearer",
    });
    if new_grant {
        // Expired grants can never be used again; dropping them keeps the state (file) small.
        ctx.inner.db.grants.retain(|_, g| g.expires > now);
        result["RefreshToken"] = json!(refresh_token);
        ctx.inner.db.grants.insert(refresh_token, grant);
    }
    Ok(result)
}

/// (access, id, refresh) token lifetimes in seconds: the app client's, else the emulator's defaults.
fn lifetimes(ctx: &Ctx<'_>, pool_id: &str, client_id: &str) -> (i64, i64, i64) {
    let client = ctx.inner.db.pools.get(pool_id).and_then(|p| p.client(client_id));
    let pick = |v: Option<Validity>, default: i64| v.map_or(default, Validity::seconds);
    let access = ctx.config.access_token_ttl;
    (
        pick(client.and_then(|c| c.access_token_validity), access),
        pick(client.and_then(|c| c.id_token_validity), access),
        pick(client.and_then(|c| c.refresh_token_validity), ctx.config.refresh_token_ttl),
    )
}

/// A verified access token: which user of which pool it speaks for.
pub struct AccessClaims {
    pub pool_id: String,
    pub username: String,
    pub client_id: String,
    pub origin_jti: String,
}

/// Verifies an access token: signature, `token_use`, expiry, revocation, and that the user still exists.
pub fn verify_access(ctx: &Ctx<'_>, token: &str) -> Result<AccessClaims, ApiError> {
    let claims = decode(&ctx.inner.key, token).ok_or_else(|| ApiError::not_authorized("Invalid Access Token"))?;
    let s = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
    if s("token_use").as_deref() != Some("access") {
        return Err(ApiError::not_authorized("Invalid Access Token"));
    }
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp <= ctx.now {
        return Err(ApiError::not_authorized("Access Token has expired"));
    }
    let origin_jti = s("origin_jti").unwrap_or_default();
    if ctx.inner.db.revoked_origins.contains(&origin_jti) {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    let iss = s("iss").unwrap_or_default();
    let pool_id = iss.rsplit('/').next().unwrap_or_default().to_owned();
    let username = s("username").unwrap_or_default();
    let pool = ctx.inner.db.pools.get(&pool_id).ok_or_else(|| ApiError::not_authorized("Invalid Access Token"))?;
    let user = pool.users.get(&username).ok_or_else(ApiError::user_not_found)?;
    if s("sub").as_deref() != Some(user.sub.as_str()) {
        // Deleted and re-created under the same name: the old tokens are not this user's.
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    Ok(AccessClaims { pool_id, username, client_id: s("client_id").unwrap_or_default(), origin_jti })
}

/// Signs the user out everywhere: every refresh token and every token minted from them.
pub fn revoke_user(ctx: &mut Ctx<'_>, pool_id: &str, username: &str) {
    for t in user_grants(ctx, pool_id, username) {
        revoke_grant(ctx, &t);
    }
}

/// Revokes the access (and id) tokens issued so far, keeping the refresh tokens: each live grant gets a
/// new `origin_jti`, and the old one is revoked (AdminDisableUser).
pub fn revoke_access_tokens(ctx: &mut Ctx<'_>, pool_id: &str, username: &str) {
    for t in user_grants(ctx, pool_id, username) {
        let fresh = ctx.uuid();
        let db = &mut ctx.inner.db;
        if let Some(grant) = db.grants.get_mut(&t).filter(|g| !g.revoked) {
            let old = std::mem::replace(&mut grant.origin_jti, fresh);
            db.revoked_origins.insert(old);
        }
    }
}

fn user_grants(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> Vec<String> {
    let grants = ctx.inner.db.grants.iter();
    grants.filter(|(_, g)| g.pool_id == pool_id && g.username == username).map(|(t, _)| t.clone()).collect()
}

/// Revokes a grant and every token minted from it.
pub fn revoke_grant(ctx: &mut Ctx<'_>, refresh_token: &str) {
    if let Some(grant) = ctx.inner.db.grants.get_mut(refresh_token) {
        grant.revoked = true;
        let origin = grant.origin_jti.clone();
        ctx.inner.db.revoked_origins.insert(origin);
    }
}
