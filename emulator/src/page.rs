//! Pagination for the List* operations: `Limit` (up to 60, the default) and an opaque token naming the last
//! key of the page before, so a page boundary holds even when items are added or deleted in between.

use crate::error::ApiError;
use crate::input::Input;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const PREFIX: &str = "emu1:";

/// One page request: how many, and after which key.
pub struct Page {
    pub limit: usize,
    pub after: Option<String>,
}

impl Page {
    /// Reads `Limit` and the token member (`NextToken` or `PaginationToken`).
    pub fn read(input: &Input, token_member: &str) -> Result<Self, ApiError> {
        // The model allows 0; it reads as "the default", like an absent Limit.
        let limit = input.opt_i64("Limit")?.filter(|l| *l != 0).unwrap_or(60);
        if !(1..=60).contains(&limit) {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"
            )));
        }
        let after = match input.opt_str(token_member)? {
            None => None,
            Some(t) => Some(decode(t).ok_or_else(|| ApiError::invalid_parameter("Invalid pagination token"))?),
        };
        Ok(Self { limit: usize::try_from(limit).unwrap_or(60), after })
    }

    /// The items of this page from `(key, item)` pairs in key order, and the token for the next page
    /// when there is more.
    pub fn take<'a, T: 'a>(&self, items: impl IntoIterator<Item = (&'a String, T)>) -> (Vec<T>, Option<String>) {
        let mut rest = items.into_iter().filter(|(k, _)| self.after.as_ref().is_none_or(|a| k.as_str() > a.as_str()));
        let mut out = Vec::new();
        let mut last = None;
        for (k, item) in rest.by_ref().take(self.limit) {
            last = Some(k.clone());
            out.push(item);
        }
        let next = if rest.next().is_some() { last.map(|k| encode(&k)) } else { None };
        (out, next)
    }
}

fn encode(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{PREFIX}{key}"))
}

fn decode(token: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix(PREFIX).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn page(limit: usize, after: Option<&str>) -> Page {
        Page { limit, after: after.map(str::to_owned) }
    }

    #[test]
    fn pages_follow_each_other_without_gaps_or_repeats() {
        let keys: Vec<String> = ["a", "b", "c", "d", "e"].iter().map(|s| s.to_string()).collect();
        let items = || keys.iter().map(|k| (k, k.clone()));
        let (first, next) = page(2, None).take(items());
        assert_eq!(first, ["a", "b"]);
        let after = decode(next.as_deref().unwrap()).unwrap();
        let (second, next) = page(2, Some(&after)).take(items());
        assert_eq!(second, ["c", "d"]);
        let after = decode(next.as_deref().unwrap()).unwrap();
        let (third, next) = page(2, Some(&after)).take(items());
        assert_eq!(third, ["e"]);
        assert!(next.is_none());
        // Exactly a page's worth left: no token pointing at an empty page.
        assert!(page(5, None).take(items()).1.is_none());
    }

    #[test]
    fn foreign_tokens_are_refused() {
        assert!(decode("not base64 !").is_none());
        assert!(decode(&URL_SAFE_NO_PAD.encode("other:x")).is_none());
        assert_eq!(decode(&encode("jörg")).as_deref(), Some("jörg"));
    }
}
