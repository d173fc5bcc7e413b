//! Reading request members with AWS's error split: a member of the wrong JSON type is a
//! SerializationException, a missing required member an InvalidParameterException.

use crate::error::ApiError;
use serde_json::{Map, Value};

pub struct Input(pub Map<String, Value>);

fn wrong_type(name: &str, want: &str) -> ApiError {
    ApiError::serialization(format!("Value for member {name} is not a valid {want}"))
}

impl Input {
    /// Parses the body: must be a JSON object. An empty body reads as `{}` like AWS does.
    pub fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let text = std::str::from_utf8(body).map_err(|_| ApiError::serialization("Request body is not valid UTF-8"))?;
        if text.trim().is_empty() {
            return Ok(Self(Map::new()));
        }
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(ApiError::serialization("Start of structure or map found where not expected.")),
            Err(e) => Err(ApiError::serialization(format!("Could not parse request body: {}", e.classify_message()))),
        }
    }

    pub fn opt_str(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(wrong_type(name, "string")),
        }
    }

    pub fn req_str(&self, name: &str) -> Result<&str, ApiError> {
        self.opt_str(name)?.ok_or_else(|| missing(name))
    }

    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(wrong_type(name, "boolean")),
        }
    }

    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| wrong_type(name, "integer")),
            Some(_) => Err(wrong_type(name, "integer")),
        }
    }

    pub fn opt_obj(&self, name: &str) -> Result<Option<Input>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Input(m.clone()))),
            Some(_) => Err(wrong_type(name, "structure")),
        }
    }

    /// A string→string map such as AuthParameters; every value must be a string. A null value counts as
    /// absent: amazon-cognito-identity-js sends `DEVICE_KEY: null` on refresh and AWS accepts it.
    pub fn str_map(&self, name: &str) -> Result<Option<Input>, ApiError> {
        let Some(mut map) = self.opt_obj(name)? else { return Ok(None) };
        map.0.retain(|_, v| !v.is_null());
        if map.0.values().any(|v| !v.is_string()) {
            return Err(wrong_type(name, "map of strings"));
        }
        Ok(Some(map))
    }

    /// A list of {Name, Value} attribute pairs.
    pub fn attributes(&self, name: &str) -> Result<Vec<(String, String)>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    let Value::Object(m) = item else { return Err(wrong_type(name, "list of AttributeType")) };
                    let item = Input(m.clone());
                    Ok((item.req_str("Name")?.to_owned(), item.opt_str("Value")?.unwrap_or_default().to_owned()))
                })
                .collect(),
            Some(_) => Err(wrong_type(name, "list")),
        }
    }

    pub fn str_list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| wrong_type(name, "list of strings")))
                .collect(),
            Some(_) => Err(wrong_type(name, "list")),
        }
    }
}

pub fn missing(name: &str) -> ApiError {
    ApiError::invalid_parameter(format!(
        "1 validation error detected: Value at '{name}' failed to satisfy constraint: Member must not be null"
    ))
}

trait Classify {
    fn classify_message(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_message(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Eof => "unexpected end of input",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "invalid data",
            serde_json::error::Category::Io => "read error",
        }
    }
}
