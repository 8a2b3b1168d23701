//! Entity tags for responses encoded once per data change (GeoJSON, charts): a digest of the
//! bytes, so that a tag never outlives its content (not even across restarts), and the
//! `If-None-Match` check that answers 304.

use axum::http::{header, HeaderMap};
use sha2::Digest;

/// A strong entity tag for `bytes`: the first 96 bits of their SHA-256, quoted.
pub(super) fn of(bytes: &[u8]) -> String {
    let digest = sha2::Sha256::digest(bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether the request's `If-None-Match` names `etag` (or `*`); weak tags compare equal.
pub(super) fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn matches_listed_weak_and_wildcard_tags() {
        let tag = of(b"abc");
        assert_eq!(tag.len(), 26);
        assert_ne!(tag, of(b"abd"));
        let mut h = HeaderMap::new();
        assert!(!not_modified(&h, &tag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", W/{tag}")).unwrap(),
        );
        assert!(not_modified(&h, &tag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(not_modified(&h, &tag));
    }
}
