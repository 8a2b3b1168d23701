//! Configuration: one struct per concern, filled from flags and environment by clap.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::auth::Tokens;
use crate::import::Limits;
use crate::store::DEFAULT_DATABASE_URL;

/// Where the data lives; shared by every command.
#[derive(Debug, Clone, Args)]
pub struct DatabaseConfig {
    /// sqlx database URL: `sqlite://FILE?mode=rwc` (embedded default) or `postgres://…`.
    #[arg(long = "database-url", env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
}

/// Which registry (regions) a database is filled with; shared by every command.
#[derive(Debug, Clone, Args)]
pub struct RegistryConfig {
    /// A directory of registry files (see docs/import-formats.md), e.g. the synthetic Germany of
    /// `demo --scale de`. Default: the embedded Baden-Württemberg registry.
    #[arg(long = "registry", env = "DIGITALATLAS_REGISTRY", global = true)]
    pub registry: Option<PathBuf>,
}

impl RegistryConfig {
    pub fn reference(
        &self,
    ) -> Result<crate::registry::reference::ReferenceData, crate::registry::reference::ReferenceError>
    {
        match &self.registry {
            Some(dir) => crate::registry::reference::ReferenceData::from_dir(dir),
            None => Ok(crate::registry::reference::ReferenceData::embedded()),
        }
    }
}

/// Size limits of imports (CLI and HTTP).
#[derive(Debug, Clone, Args)]
pub struct LimitsConfig {
    /// Largest accepted file / request body in bytes.
    #[arg(long, env = "DIGITALATLAS_IMPORT_MAX_BYTES", default_value_t = Limits::default().max_bytes)]
    pub max_bytes: usize,
    /// Most data rows accepted in one file.
    #[arg(long, env = "DIGITALATLAS_IMPORT_MAX_ROWS", default_value_t = Limits::default().max_rows)]
    pub max_rows: usize,
}

impl LimitsConfig {
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            max_rows: self.max_rows,
        }
    }
}

/// Settings of `digitalatlas serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address and port to listen on.
    #[arg(long, env = "DIGITALATLAS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// File with import tokens (`NAME SHA256_HEX SCOPES` per line; see `token-hash`).
    #[arg(long, env = "DIGITALATLAS_TOKENS_FILE")]
    pub tokens_file: Option<PathBuf>,
    /// Import tokens inline, same format, entries separated by `;`.
    #[arg(long, env = "DIGITALATLAS_TOKENS", hide_env_values = true)]
    pub tokens: Option<String>,
    #[command(flatten)]
    pub limits: LimitsConfig,
    /// Rebuild the figures from the database every this many seconds (picks up CLI imports).
    #[arg(long, env = "DIGITALATLAS_REFRESH_SECONDS", default_value_t = 60)]
    pub refresh_seconds: u64,
    /// At most this many series in `digitalatlas_ozg_gemeinden_with_process{kreis,process}`:
    /// every process while Kreise × processes fit, else the processes in the most Gemeinden.
    #[arg(long, env = "DIGITALATLAS_METRICS_OZG_PER_KREIS_MAX_SERIES",
          default_value_t = crate::metrics::families::OZG_PER_KREIS_MAX_SERIES)]
    pub metrics_ozg_per_kreis_max_series: usize,
    /// Import the synthetic demo dataset (Demodaten) before serving.
    #[arg(long, env = "DIGITALATLAS_DEMO")]
    pub demo: bool,
    /// Seed of the demo dataset.
    #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
    pub seed: u64,
}

impl ServeConfig {
    pub fn load_tokens(&self) -> anyhow::Result<Tokens> {
        let mut tokens = Tokens::default();
        if let Some(path) = &self.tokens_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read tokens file {}: {e}", path.display()))?;
            tokens = tokens.merge(Tokens::parse(&text, &path.display().to_string())?);
        }
        if let Some(text) = &self.tokens {
            tokens = tokens.merge(Tokens::parse(text, "DIGITALATLAS_TOKENS")?);
        }
        Ok(tokens)
    }
}
