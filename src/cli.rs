//! The command line: `digitalatlas serve` and friends.

use clap::{Parser, Subcommand};

use crate::config::{DatabaseConfig, ServeConfig};

#[derive(Debug, Parser)]
#[command(
    name = "digitalatlas",
    version,
    about = "Kommunale Digitallotsen und OZG-Onlinedienste in Baden-Württemberg"
)]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service.
    Serve(ServeConfig),
}

/// Runs the parsed command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(serve) => {
            let state = crate::server::prepare(&cli.database.database_url).await?;
            let server = crate::server::start(state, serve.listen, true).await?;
            server.wait().await
        }
    }
}
