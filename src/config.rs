//! Configuration: one struct per concern, filled from flags and environment by clap.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::auth::Tokens;
use crate::http::limits::HttpLimits;
use crate::import::Limits;
use crate::store::DEFAULT_DATABASE_URL;

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read tokens file {path}: {source}")]
    TokensFile {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tokens(#[from] crate::auth::TokenConfigError),
}

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
    /// The atlas' territory: a Land key (`08` Baden-Württemberg, the default; `09` Bayern; …)
    /// or `all` for Germany. Its registry and boundaries ship with the binary.
    #[arg(
        long = "land",
        env = "DIGITALATLAS_LAND",
        default_value = "08",
        global = true
    )]
    pub land: crate::registry::Territory,
    /// A directory of registry files (see docs/import-formats.md) instead of the shipped ones.
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
            None => Ok(crate::registry::reference::ReferenceData::for_territory(
                self.land,
            )),
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
    /// Seconds an import waits for another one (any process, any replica) before it is
    /// refused as busy (HTTP 503 with Retry-After, CLI exit code 75).
    #[arg(long, env = "DIGITALATLAS_IMPORT_WAIT_SECONDS", default_value_t = Limits::default().wait.as_secs())]
    pub import_wait_seconds: u64,
}

impl LimitsConfig {
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            max_rows: self.max_rows,
            wait: std::time::Duration::from_secs(self.import_wait_seconds),
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
    /// Most open HTTP connections; a connection past it gets a 503 and is closed.
    #[arg(long, env = "DIGITALATLAS_MAX_CONNECTIONS", default_value_t = HttpLimits::default().max_connections)]
    pub max_connections: usize,
    /// Seconds a client has to send a request header (also: idle keep-alive connections close).
    #[arg(long, env = "DIGITALATLAS_HEADER_TIMEOUT_SECONDS", default_value_t = HttpLimits::default().header_timeout.as_secs())]
    pub header_timeout_seconds: u64,
    /// Seconds a read request may take before it is answered 503 (imports excepted).
    #[arg(long, env = "DIGITALATLAS_REQUEST_TIMEOUT_SECONDS", default_value_t = HttpLimits::default().request_timeout.as_secs())]
    pub request_timeout_seconds: u64,
    /// Chart renderings and time series computed at once (default: the number of cores).
    #[arg(long, env = "DIGITALATLAS_MAX_HEAVY_REQUESTS", default_value_t = HttpLimits::default().max_heavy)]
    pub max_heavy_requests: usize,
    /// Seconds a heavy request or an import body waits for its turn before a 503.
    #[arg(long, env = "DIGITALATLAS_QUEUE_WAIT_SECONDS", default_value_t = HttpLimits::default().queue_wait.as_secs())]
    pub queue_wait_seconds: u64,
    /// Every this many milliseconds, look for imports made by other processes or replicas (one
    /// `SELECT MAX(id)`), and rebuild the figures when there is one; 0 turns it off.
    #[arg(long, env = "DIGITALATLAS_CHANGE_POLL_MS", default_value_t = 1000)]
    pub change_poll_ms: u64,
    /// A web upload session (`/verwaltung`) ends after this many minutes without a request.
    #[arg(long, env = "DIGITALATLAS_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u64,
    /// Origins whose pages may read the public API, GeoJSON, charts and pages from a browser
    /// (CORS): `*` (default; the data are public aggregates), a comma-separated list such as
    /// `https://grafana.example.org`, or empty for none. Never for the import endpoints.
    #[arg(long, env = "DIGITALATLAS_CORS_ALLOW_ORIGINS", default_value = "*",
          value_parser = crate::http::cors::CorsOrigins::parse)]
    pub cors_allow_origins: crate::http::cors::CorsOrigins,
    /// Import the synthetic demo dataset (Demodaten) before serving.
    #[arg(long, env = "DIGITALATLAS_DEMO")]
    pub demo: bool,
    /// Seed of the demo dataset.
    #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
    pub seed: u64,
}

impl ServeConfig {
    pub fn http_limits(&self) -> HttpLimits {
        use std::time::Duration;
        HttpLimits {
            max_connections: self.max_connections.max(1),
            header_timeout: Duration::from_secs(self.header_timeout_seconds.max(1)),
            request_timeout: Duration::from_secs(self.request_timeout_seconds.max(1)),
            max_heavy: self.max_heavy_requests.max(1),
            queue_wait: Duration::from_secs(self.queue_wait_seconds),
        }
    }

    pub fn load_tokens(&self) -> Result<Tokens, ConfigError> {
        let mut tokens = Tokens::default();
        if let Some(path) = &self.tokens_file {
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::TokensFile {
                path: path.display().to_string(),
                source: e,
            })?;
            tokens = tokens.merge(Tokens::parse(&text, &path.display().to_string())?);
        }
        if let Some(text) = &self.tokens {
            tokens = tokens.merge(Tokens::parse(text, "DIGITALATLAS_TOKENS")?);
        }
        Ok(tokens)
    }
}
