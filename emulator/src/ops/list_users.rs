//! ListUsers{UserPoolId, Limit?, PaginationToken?, Filter?, AttributesToGet?}. Filters are AWS's:
//! `attr = "value"` or `attr ^= "prefix"` on one of the searchable attributes.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::User;
use crate::page::Page;
use crate::state::Ctx;
use serde_json::{Value, json};

/// The attributes AWS lets ListUsers filter on.
const SEARCHABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let page = Page::read(input, "PaginationToken")?;
    let filter = match input.opt_str("Filter")? {
        Some(f) if !f.trim().is_empty() => Some(Filter::parse(f)?),
        _ => None,
    };
    let wanted = input.0.contains_key("AttributesToGet").then(|| input.str_list("AttributesToGet")).transpose()?;
    let pool = ctx.pool(pool_id)?;
    let matching = pool.users.iter().filter(|(_, u)| filter.as_ref().is_none_or(|f| f.matches(u)));
    let (users, next) = page.take(matching.map(|(k, u)| (k, shown(u, wanted.as_deref()))));
    Ok(super::list_groups::with_token(json!({ "Users": users }), "PaginationToken", next))
}

/// UserType, with only the AttributesToGet when given.
fn shown(user: &User, wanted: Option<&[String]>) -> Value {
    let mut out = auth::user_type(user);
    if let (Some(wanted), Some(Value::Array(attrs))) = (wanted, out.get_mut("Attributes")) {
        attrs.retain(|a| a["Name"].as_str().is_some_and(|n| wanted.iter().any(|w| w == n)));
    }
    out
}

struct Filter {
    attr: String,
    prefix: bool,
    value: String,
}

impl Filter {
    /// `name = "value"` / `name ^= "value"`; spaces around the operator are optional and `\"` is a quote
    /// inside the value.
    fn parse(f: &str) -> Result<Self, ApiError> {
        let bad = || ApiError::invalid_parameter(format!("Error while parsing filter: {f}"));
        // The first `=` is the operator (values may hold `=` and `^=`).
        let i = f.find('=').ok_or_else(bad)?;
        let (head, rest) = (&f[..i], &f[i + 1..]);
        let (attr, prefix) = match head.strip_suffix('^') {
            Some(a) => (a.trim(), true),
            None => (head.trim(), false),
        };
        let quoted = rest.trim().strip_prefix('"').and_then(|v| v.strip_suffix('"')).ok_or_else(bad)?;
        let mut value = String::new();
        let mut chars = quoted.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => value.push(chars.next().ok_or_else(bad)?),
                '"' => return Err(bad()),
                c => value.push(c),
            }
        }
        if !SEARCHABLE.contains(&attr) {
            return Err(ApiError::invalid_parameter(format!("Invalid search attribute: {attr}")));
        }
        Ok(Self { attr: attr.to_owned(), prefix, value })
    }

    fn matches(&self, user: &User) -> bool {
        let status_value = if user.enabled { "Enabled" } else { "Disabled" };
        let (actual, case_insensitive) = match self.attr.as_str() {
            "username" => (Some(user.username.as_str()), false),
            "sub" => (Some(user.sub.as_str()), false),
            "cognito:user_status" => (Some(user.status.as_str()), true),
            "status" => (Some(status_value), false),
            other => (user.attributes.get(other).map(String::as_str), false),
        };
        let Some(actual) = actual else { return false };
        let (actual, value) = if case_insensitive {
            (actual.to_lowercase(), self.value.to_lowercase())
        } else {
            (actual.to_owned(), self.value.clone())
        };
        if self.prefix { actual.starts_with(&value) } else { actual == value }
    }
}
