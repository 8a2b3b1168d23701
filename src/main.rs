use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use digitalatlas::cli::{Cli, LogFormat};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    digitalatlas::memory::use_small_pages();
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => logs.json().with_current_span(false).init(),
        // Colours only for a person at a terminal, never into a file or journal.
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
    }
    let json = cli.log_format == LogFormat::Json;
    match digitalatlas::cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            // One line with every cause, no backtrace: what an operator reads in the journal.
            if json {
                tracing::error!(error = %format!("{e:#}"), "start-up failed");
            } else {
                eprintln!("digitalatlas: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}
