//! Configuration: one struct per command, filled from flags and environment by clap.

use std::net::SocketAddr;

use clap::Args;

use crate::store::DEFAULT_DATABASE_URL;

/// Where the data lives; shared by every command.
#[derive(Debug, Clone, Args)]
pub struct DatabaseConfig {
    /// sqlx database URL: `sqlite://FILE?mode=rwc` (embedded default) or `postgres://…`.
    #[arg(long = "database-url", env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
}

/// Settings of `digitalatlas serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address and port to listen on.
    #[arg(long, env = "DIGITALATLAS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}
