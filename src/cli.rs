//! The command line: `digitalatlas serve`, `import` and helpers.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::{DatabaseConfig, LimitsConfig, RegistryConfig, ServeConfig};
use crate::import::{self, Dataset, ImportError};

#[derive(Debug, Parser)]
#[command(
    name = "digitalatlas",
    version,
    about = "Kommunale Digitallotsen und OZG-Onlinedienste je Gemeinde: Baden-Württemberg, mit --land jedes andere Land oder ganz Deutschland"
)]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseConfig,
    #[command(flatten)]
    pub registry: RegistryConfig,
    /// Log lines as text (coloured only at a terminal) or as JSON objects, one per line.
    #[arg(long, env = "DIGITALATLAS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service.
    Serve(ServeConfig),
    /// Import a file (CSV, JSON or XLSX) into one dataset, in one transaction.
    Import(ImportArgs),
    /// Print the SHA-256 hash of a token read from stdin, for the tokens configuration.
    TokenHash,
    /// Write the synthetic demo dataset (Demodaten) as import files.
    Demo(DemoArgs),
    /// Write the page, all charts and the downloads as static files (for any web server).
    Report(ReportArgs),
    /// Print the figure catalogue: every figure's name, German header, kind, meaning and classes.
    Figures(FiguresArgs),
    /// Read an open source over HTTP into the file its import reads (or import it directly).
    #[command(subcommand)]
    Fetch(FetchCommand),
}

#[derive(Debug, Subcommand)]
pub enum FetchCommand {
    /// The Onlinedienste of a Gebietskörperschaft from the federal "Dashboard Digitale
    /// Verwaltung" (`GET {base}/v1/data/{ars}`), every page, as a JSON array.
    Onlinedienste(FetchOnlinediensteArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).multiple(true).args(["out", "import"])))]
pub struct FetchOnlinediensteArgs {
    /// 12-digit ARS: a Gemeinde, Kreis (`081150000000`), Land (`080000000000`) or the Bund.
    #[arg(long, value_parser = parse_ars)]
    pub ars: String,
    /// Also the services offered above it (Kreis, Land, Bund).
    #[arg(long)]
    pub include_above: bool,
    /// Also the services of the regions below it (a Kreis' Gemeinden); `false` for its own only.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub include_below: bool,
    /// The API, up to `/api`.
    #[arg(long, env = "DIGITALATLAS_FETCH_BASE_URL", default_value = crate::fetch::DEFAULT_BASE_URL)]
    pub base_url: String,
    /// Rows per page.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub page_size: u32,
    /// Write the rows here (a JSON array, what `import onlinedienste` reads).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Import the rows into the database (one transaction), after every page was read.
    #[arg(long)]
    pub import: bool,
    /// The Datenstand of rows without `datenstand_pvog_import` (with --import).
    #[arg(long, value_parser = parse_day)]
    pub stichtag: Option<chrono::NaiveDate>,
    /// Attempts after the first for a page that fails (429, 5xx, a broken connection or body).
    #[arg(long, default_value_t = crate::fetch::Patience::default().retries)]
    pub retries: u32,
    /// The first wait before another attempt, in milliseconds; it doubles each time (a
    /// `Retry-After` of the server wins).
    #[arg(long, default_value_t = crate::fetch::Patience::default().backoff.as_millis() as u64)]
    pub retry_wait_ms: u64,
    /// Seconds one request may take.
    #[arg(long, default_value_t = crate::fetch::Patience::default().timeout.as_secs())]
    pub timeout_seconds: u64,
    #[command(flatten)]
    pub limits: LimitsConfig,
}

fn parse_ars(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(v.to_string())
    } else {
        Err(format!("{value:?} is not a 12-digit ARS"))
    }
}

#[derive(Debug, clap::Args)]
pub struct FiguresArgs {
    /// As JSON (what `dashboards/grafana/generate.py` reads) instead of a Markdown table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Directory to write into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Figures as of this day (YYYY-MM-DD); default today.
    #[arg(long, value_parser = parse_day)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Import the demo dataset into the database first (as `serve --demo`).
    #[arg(long)]
    pub demo: bool,
}

fn parse_day(value: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("{value:?} is not a date (YYYY-MM-DD)"))
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Seed of the generator; the same seed gives the same bytes.
    #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
    pub seed: u64,
    /// Directory to write the files into.
    #[arg(long, default_value = "demo")]
    pub out: PathBuf,
    /// `bw`: the Land's demo that reproduces the published figures. `de`: a synthetic registry
    /// of Germany's size (written to OUT/registry, use it with `--registry`) and about 600
    /// processes, for benchmarks.
    #[arg(long, value_enum, default_value_t = Scale::Bw)]
    pub scale: Scale,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    Bw,
    De,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// qualifikationen, prozesse, aktivierungen, konten or onlinedienste.
    #[arg(value_parser = parse_dataset)]
    pub dataset: Dataset,
    /// The file to import.
    pub file: PathBuf,
    /// Validate and report only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Onlinedienste: the Datenstand (YYYY-MM-DD) of a delivery whose rows carry no
    /// `datenstand_pvog_import`; default the day of the import.
    #[arg(long, value_parser = parse_day)]
    pub stichtag: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub limits: LimitsConfig,
}

fn parse_dataset(value: &str) -> Result<Dataset, String> {
    Dataset::parse(value).ok_or_else(|| {
        format!(
            "unknown dataset {value:?}; use one of {}",
            Dataset::ALL.map(|d| d.as_str()).join(", ")
        )
    })
}

/// Runs the parsed command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(serve) => run_serve(&cli.database, &cli.registry, serve).await,
        Command::Import(args) => {
            let reference = cli.registry.reference()?;
            import_file(&cli.database.database_url, &reference, args).await
        }
        Command::Demo(args) => run_demo(args),
        Command::Fetch(FetchCommand::Onlinedienste(args)) => {
            fetch_onlinedienste(&cli.database.database_url, &cli.registry, args).await
        }
        Command::Report(args) => run_report(&cli.database, &cli.registry, args).await,
        Command::Figures(args) => {
            if args.json {
                let json =
                    serde_json::to_string_pretty(&crate::coverage::catalogue::catalogue_json())?;
                println!("{json}");
            } else {
                print!("{}", crate::coverage::catalogue::catalogue_markdown());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::TokenHash => {
            let mut token = String::new();
            std::io::stdin().read_to_string(&mut token)?;
            println!("{}", crate::auth::hash_token(&token));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `serve`: prepare, configure from the flags, start the background tasks, serve until a signal.
async fn run_serve(
    database: &DatabaseConfig,
    registry: &RegistryConfig,
    serve: ServeConfig,
) -> anyhow::Result<ExitCode> {
    crate::memory::return_freed_memory_at_once();
    let reference = registry.reference()?;
    let mut state = crate::server::prepare_with(&database.database_url, &reference).await?;
    state.metrics =
        std::sync::Arc::new(crate::metrics::SelfMetrics::with_ozg_per_kreis_max_series(
            serve.metrics_ozg_per_kreis_max_series,
        ));
    if serve.demo {
        let files = crate::demo::for_registry(serve.seed, &reference);
        for s in crate::demo::import_files(&state.store, &files).await? {
            tracing::info!(summary = %s, "demo data imported");
        }
        state.after_import().await;
    }
    state.tokens = std::sync::Arc::new(serve.load_tokens()?);
    state.limits = serve.limits.limits();
    state.pools = std::sync::Arc::new(crate::http::limits::Pools::new(serve.http_limits()));
    state.cors = serve.cors_allow_origins.clone();
    state.admin = std::sync::Arc::new(crate::http::AdminState::with_idle(Duration::from_secs(
        serve.session_idle_minutes.max(1) * 60,
    )));
    match crate::server::raise_open_files_limit() {
        Some(files) if files < serve.max_connections as u64 + 64 => tracing::warn!(
            open_files = files,
            max_connections = serve.max_connections,
            "the open-files limit is below --max-connections; raise it (ulimit -n)"
        ),
        _ => {}
    }
    if serve.change_poll_ms > 0 {
        crate::server::spawn_change_poll(
            state.clone(),
            Duration::from_millis(serve.change_poll_ms),
        );
    }
    if state.tokens.is_empty() {
        tracing::warn!("no import tokens configured: POST /api/v1/imports answers 401");
    }
    let refresh = crate::server::spawn_refresh(
        state.clone(),
        Duration::from_secs(serve.refresh_seconds.max(1)),
    );
    let server = crate::server::start(state, serve.listen, true).await?;
    server.wait().await?;
    refresh.abort();
    Ok(ExitCode::SUCCESS)
}

/// `demo`: write the demo files (Baden-Württemberg, or a synthetic Germany with its registry).
fn run_demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let files = match args.scale {
        Scale::Bw => crate::demo::generate(args.seed),
        Scale::De => {
            // Germany's real registry; import the files into an atlas started with `--land all`.
            let reference = crate::registry::reference::ReferenceData::for_territory(
                crate::registry::Territory::Germany,
            );
            println!("activity for Germany's registry: import with --land all");
            crate::demo::scale::activity(args.seed, &reference)
        }
    };
    crate::demo::write(&files, &args.out)?;
    for (name, _, text) in &files.files {
        println!(
            "{}: {} rows",
            args.out.join(name).display(),
            text.lines().count().saturating_sub(1)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `report`: the pages, charts and downloads as static files.
async fn run_report(
    database: &DatabaseConfig,
    registry: &RegistryConfig,
    args: ReportArgs,
) -> anyhow::Result<ExitCode> {
    let reference = registry.reference()?;
    let state = crate::server::prepare_with(&database.database_url, &reference).await?;
    if args.demo {
        let files = crate::demo::for_registry(crate::demo::DEFAULT_SEED, &reference);
        crate::demo::import_files(&state.store, &files).await?;
        state.after_import().await;
    }
    let w = crate::report::write_report(&state, &args.out, args.as_of).await?;
    println!(
        "{}: {} pages, {} charts, {} downloads, {} Excel workbooks",
        args.out.display(),
        w.pages,
        w.charts,
        w.downloads,
        w.workbooks
    );
    Ok(ExitCode::SUCCESS)
}

/// A spinner on stderr at a terminal, nothing otherwise.
fn progress_bar(template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(100));
    pb
}

/// `fetch onlinedienste`: every page into the file (and the import).
async fn fetch_onlinedienste(
    database_url: &str,
    registry: &RegistryConfig,
    args: FetchOnlinediensteArgs,
) -> anyhow::Result<ExitCode> {
    let source = crate::fetch::Source {
        base_url: args.base_url.clone(),
        ars: args.ars.clone(),
        include_above: args.include_above,
        include_below: args.include_below,
        page_size: args.page_size,
        max_rows: args.limits.max_rows as u64,
    };
    let patience = crate::fetch::Patience {
        retries: args.retries,
        backoff: Duration::from_millis(args.retry_wait_ms),
        timeout: Duration::from_secs(args.timeout_seconds.max(1)),
        ..crate::fetch::Patience::default()
    };
    let scratch = tempfile::tempdir()?;
    let file = match &args.out {
        Some(out) => out.clone(),
        None => scratch.path().join("onlinedienste.json"),
    };
    let progress = progress_bar("{spinner} Seite {pos}/{len} [{elapsed}]");
    let fetched = crate::fetch::onlinedienste(&source, patience, &file, &progress).await;
    progress.finish_and_clear();
    let fetched = match fetched {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(if e.is_retryable() { 75 } else { 2 }));
        }
    };
    if args.out.is_some() {
        println!(
            "{}: {} rows from {} page(s) of {}",
            file.display(),
            fetched.rows,
            fetched.pages,
            source.base_url
        );
    }
    if !args.import {
        return Ok(ExitCode::SUCCESS);
    }
    let import = ImportArgs {
        dataset: Dataset::Onlinedienste,
        file,
        dry_run: false,
        stichtag: args.stichtag,
        limits: args.limits,
    };
    import_file(database_url, &registry.reference()?, import).await
}

async fn import_file(
    database_url: &str,
    reference: &crate::registry::reference::ReferenceData,
    args: ImportArgs,
) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let limits = args.limits.limits();
    let size = std::fs::metadata(&args.file)
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?
        .len();
    // Checked before reading (the import reads the file in a streaming way, never whole).
    if size as usize > limits.max_bytes {
        let e = ImportError::TooLarge {
            file: name,
            size: size as usize,
            limit: limits.max_bytes,
        };
        eprintln!("{e} (--max-bytes)");
        return Ok(ExitCode::from(2));
    }
    // No snapshot here: a running server picks the import up on its next refresh.
    let store = crate::store::Store::open(database_url).await?;
    store.ensure_registry(reference).await?;
    let progress = progress_bar("{spinner} {msg} {percent:>3}% [{elapsed}]");
    let request = import::Request {
        dataset: args.dataset,
        source_name: name,
        input: import::Input::File(&args.file),
        format_hint: args.file.to_str().map(str::to_string),
        dry_run: args.dry_run,
        actor: "cli".into(),
        stichtag: args.stichtag,
    };
    let result = import::run(&store, &request, limits, &progress).await;
    progress.finish_and_clear();
    store.close().await;
    match result {
        Ok(summary) => {
            for w in &summary.warnings {
                eprintln!("warning: {w}");
            }
            println!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Invalid(report) | ImportError::Unreadable(report)) => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            eprint!("{report}");
            Ok(ExitCode::from(1))
        }
        Err(e) if e.is_retryable() => {
            eprintln!("{e}");
            Ok(ExitCode::from(75)) // EX_TEMPFAIL: try again later
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(ExitCode::from(2))
        }
    }
}
