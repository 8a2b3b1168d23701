//! Bearer tokens for writing endpoints. Tokens are configured as SHA-256 hashes only, each with a
//! name (recorded in the import log) and scopes: dataset names it may import, `imports:read` to
//! read the import log, or `*` for everything.
//!
//! Configuration format (file or env), one token per line (or `;`-separated), `#` starts a comment:
//! `NAME SHA256_HEX SCOPE[,SCOPE…]`, e.g. `vs-gemeindetag 9f86d0… qualifikationen`.
//! `digitalatlas token-hash` prints the hash of a token read from stdin.

use sha2::{Digest, Sha256};

use crate::format::hex;
use crate::model::Dataset;

/// The scope that allows reading the import log.
pub const READ_IMPORTS: &str = "imports:read";

/// What a token may do. Parsed when the configuration is read: a misspelt scope stops the
/// start-up instead of silently granting nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `*`: everything.
    All,
    /// A dataset name: import files of that dataset.
    Import(Dataset),
    /// `imports:read`: read the import log.
    ReadImports,
}

impl Scope {
    pub fn parse(text: &str) -> Option<Scope> {
        match text.trim() {
            "*" => Some(Scope::All),
            READ_IMPORTS => Some(Scope::ReadImports),
            other => Dataset::ALL
                .into_iter()
                .find(|d| d.as_str() == other)
                .map(Scope::Import),
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::All => f.write_str("*"),
            Scope::Import(d) => f.write_str(d.as_str()),
            Scope::ReadImports => f.write_str(READ_IMPORTS),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub name: String,
    hash: String,
    scopes: Vec<Scope>,
}

impl Token {
    /// Whether the token grants `scope` (a dataset name, `imports:read`).
    pub fn allows(&self, scope: &str) -> bool {
        Scope::parse(scope).is_some_and(|s| self.grants(s))
    }

    pub fn grants(&self, scope: Scope) -> bool {
        self.scopes.iter().any(|&s| s == Scope::All || s == scope)
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

/// A secret for a session or form: 32 random bytes from the operating system, hex.
pub fn random_secret() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(hex(&bytes))
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
            let scopes = scopes
                .split(',')
                .map(|s| {
                    Scope::parse(s).ok_or_else(|| {
                        let datasets: Vec<&str> = Dataset::ALL.iter().map(|d| d.as_str()).collect();
                        err(&format!(
                            "unknown scope {:?}: use *, {READ_IMPORTS} or a dataset ({})",
                            s.trim(),
                            datasets.join(", ")
                        ))
                    })
                })
                .collect::<Result<Vec<Scope>, TokenConfigError>>()?;
            tokens.push(Token {
                name: name.to_string(),
                hash: hash.to_ascii_lowercase(),
                scopes,
            });
        }
        Ok(Tokens(tokens))
    }

    pub fn merge(mut self, other: Tokens) -> Tokens {
        self.0.extend(other.0);
        self
    }

    /// The configured token of this name (a session keeps the name, so that removing the token
    /// from the configuration ends its sessions).
    pub fn by_name(&self, name: &str) -> Option<&Token> {
        self.0.iter().find(|t| t.name == name)
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
        // A misspelt scope is refused, naming the ones there are.
        let e = Tokens::parse(&format!("vs {} qualifikation", hash_token("x")), "env").unwrap_err();
        assert!(e.reason.contains("unknown scope \"qualifikation\""), "{e}");
        assert!(e.reason.contains("qualifikationen"), "{e}");
    }
}
