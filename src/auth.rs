//! Bearer tokens for writing endpoints. Tokens are configured as SHA-256 hashes only, each with a
//! name (recorded in the import log) and scopes: dataset names it may import, `imports:read` to
//! read the import log, or `*` for everything.
//!
//! Configuration format (file or env), one token per line (or `;`-separated), `#` starts a comment:
//! `NAME SHA256_HEX SCOPE[,SCOPE…]`, e.g. `vs-gemeindetag 9f86d0… qualifikationen`.
//! `digitalatlas token-hash` prints the hash of a token read from stdin.

use sha2::{Digest, Sha256};

use crate::format::hex;

/// The scope that allows reading the import log.
pub const READ_IMPORTS: &str = "imports:read";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub name: String,
    hash: String,
    scopes: Vec<String>,
}

impl Token {
    pub fn allows(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == "*" || s == scope)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Tokens(Vec<Token>);

#[derive(Debug, thiserror::Error)]
#[error("token configuration {source_name}, entry {entry}: {reason}")]
pub struct TokenConfigError {
    pub source_name: String,
    pub entry: usize,
    pub reason: String,
}

/// SHA-256 of a token, lower-case hex.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.trim().as_bytes()))
}

impl Tokens {
    pub fn parse(text: &str, source_name: &str) -> Result<Tokens, TokenConfigError> {
        let mut tokens = Vec::new();
        for (i, entry) in text.split(['\n', ';']).enumerate() {
            let entry = entry.split('#').next().unwrap_or("").trim();
            if entry.is_empty() {
                continue;
            }
            let err = |reason: &str| TokenConfigError {
                source_name: source_name.to_string(),
                entry: i + 1,
                reason: reason.to_string(),
            };
            let parts: Vec<&str> = entry.split_whitespace().collect();
            let [name, hash, scopes] = parts[..] else {
                return Err(err("expected `NAME SHA256_HEX SCOPE[,SCOPE…]`"));
            };
            if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err("the hash must be 64 hex digits (SHA-256)"));
            }
            tokens.push(Token {
                name: name.to_string(),
                hash: hash.to_ascii_lowercase(),
                scopes: scopes.split(',').map(|s| s.trim().to_string()).collect(),
            });
        }
        Ok(Tokens(tokens))
    }

    pub fn merge(mut self, other: Tokens) -> Tokens {
        self.0.extend(other.0);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The token whose hash matches `presented`, compared without early exit.
    pub fn verify(&self, presented: &str) -> Option<&Token> {
        let h = hash_token(presented);
        self.0.iter().find(|t| {
            t.hash
                .bytes()
                .zip(h.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_verifies() {
        let h = hash_token("geheim");
        let tokens = Tokens::parse(
            &format!(
                "# providers\nvs {h} qualifikationen ; ops {} *",
                hash_token("ops")
            ),
            "env",
        )
        .unwrap();
        let t = tokens.verify("geheim").unwrap();
        assert_eq!(t.name, "vs");
        assert!(t.allows("qualifikationen"));
        assert!(!t.allows("aktivierungen"));
        assert!(tokens.verify("ops").unwrap().allows("aktivierungen"));
        assert!(tokens.verify("falsch").is_none());
    }

    #[test]
    fn refuses_malformed_entries() {
        let e = Tokens::parse("vs nothex qualifikationen", "tokens.txt").unwrap_err();
        assert_eq!(e.entry, 1);
        assert!(Tokens::parse("only-a-name", "env").is_err());
    }
}
