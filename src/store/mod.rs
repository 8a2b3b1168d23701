//! Storage: one sqlx `AnyPool` over SQLite (embedded default) or PostgreSQL, the shared migrations,
//! and one module per table family. SQL lives here only, written in the portable subset both
//! backends understand (numbered `$n` parameters, `ON CONFLICT`, no autoincrement).

mod batch;
mod copy;
mod fingerprint;
pub mod imports;
mod log;
mod parts;
mod records;
mod references;
mod registry;
mod steps;

pub use parts::PartsRead;
pub use records::RecordReader;
pub use registry::RegistryLoad;
mod tables;
pub mod web;

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};

/// The default database: a file in the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://digitalatlas.db?mode=rwc";

/// The migrations, embedded so the binary needs nothing from the repository at run time.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "schema",
        include_str!("../../migrations/0001_schema.sql"),
    ),
    (
        2,
        "import safety",
        include_str!("../../migrations/0002_import_safety.sql"),
    ),
    (
        3,
        "web sessions",
        include_str!("../../migrations/0003_web_sessions.sql"),
    ),
    (
        4,
        "activation references checked by the import",
        include_str!("../../migrations/0004_activation_references.sql"),
    ),
    (
        5,
        "onlinedienste of the federal dashboard",
        include_str!("../../migrations/0005_onlinedienste.sql"),
    ),
    (
        6,
        "maturity (Reifegrad) of the processes",
        include_str!("../../migrations/0006_reifegrad.sql"),
    ),
    (
        7,
        "planning region optional (Länder other than Baden-Württemberg)",
        include_str!("../../migrations/0007_gemeinde_region_optional.sql"),
    ),
    (
        8,
        "derived data kept beside the records (compact activations)",
        include_str!("../../migrations/0008_snapshot_parts.sql"),
    ),
];

/// The schema this build reads and writes: the number of its last migration.
pub fn schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// How long the first connection may take before start-up gives up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A database URL fit for a log line: the password replaced by `***`.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite://FILE or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("cannot connect to the database at {address}: {cause}")]
    Connect { address: String, cause: String },
    #[error(
        "the database holds registry edition {present:?}, this run uses {wanted:?}; \
         use another database (or the matching --land or --registry)"
    )]
    OtherRegistry { present: String, wanted: String },
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "a record names {column} {value:?}, which is not in table {table}; nothing was written"
    )]
    MissingReference {
        column: &'static str,
        table: &'static str,
        value: String,
    },
    #[error("another import is writing to the database; waited {waited_s} s (try again later)")]
    Busy { waited_s: u64 },
}

/// The page cache of a SQLite connection that only reads (8 MiB).
pub(crate) const READ_CACHE: &str = "PRAGMA cache_size = -2048";
/// The page cache of a SQLite connection while it imports (64 MiB): bulk writes touch index pages
/// all over the tree.
pub(crate) const IMPORT_CACHE: &str = "PRAGMA cache_size = -65536";

impl StoreError {
    /// True for errors that go away by trying again: another writer holds the lock, or the
    /// database did not answer in time.
    pub fn is_retryable(&self) -> bool {
        match self {
            StoreError::Busy { .. } => true,
            StoreError::Sqlx(e) => is_busy(e) || is_unavailable(e),
            _ => false,
        }
    }
}

/// SQLite's BUSY/LOCKED (with extended codes) and PostgreSQL's lock-timeout, serialisation and
/// deadlock errors: another writer was in the way.
pub fn is_busy(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    match db.code().as_deref() {
        Some("55P03" | "40001" | "40P01") => true,
        Some(code) => code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 5 | 6)),
        None => db.message().contains("database is locked"),
    }
}

/// The database did not answer (pool timeout, I/O, closed pool).
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
    )
}

/// A connection pool plus what the code needs to know about its backend.
#[derive(Debug, Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// PostgreSQL only: a small pool of native connections for imports through `COPY`, which
    /// the `Any` driver cannot speak (opened on first use).
    copy_pool: Option<sqlx::PgPool>,
}

fn migrator() -> Migrator {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// The highest migration version this build knows.
pub fn latest_migration() -> i64 {
    MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0)
}

/// One direct connection before the pool: its error names the cause (refused, unknown host,
/// password, missing file), where the pool would only say "pool timed out".
async fn probe(url: &str, options: &AnyConnectOptions) -> Result<(), StoreError> {
    let connect = <sqlx::AnyConnection as sqlx::Connection>::connect_with(options);
    let cause = match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(Ok(conn)) => {
            let _ = sqlx::Connection::close(conn).await;
            return Ok(());
        }
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
    };
    Err(StoreError::Connect {
        address: redacted(url),
        cause,
    })
}

impl Store {
    /// Connects without touching the schema.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let options = AnyConnectOptions::from_str(url).map_err(|e| StoreError::Connect {
            address: redacted(url),
            cause: e.to_string(),
        })?;
        probe(url, &options).await?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 8,
            })
            .acquire_timeout(Duration::from_secs(15))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers go on while an import writes; the busy timeout makes a
                        // second writer wait instead of failing at once.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        // A small page cache for reading; an import raises its own (see
                        // `IMPORT_CACHE`), so that serving does not keep 64 MiB per connection.
                        conn.execute(READ_CACHE).await?;
                        conn.execute("PRAGMA temp_store = MEMORY").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let copy_pool = match backend {
            Backend::Postgres => Some(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(2)
                    .acquire_timeout(Duration::from_secs(15))
                    .connect_lazy(url)
                    .map_err(|e| StoreError::Connect {
                        address: redacted(url),
                        cause: e.to_string(),
                    })?,
            ),
            Backend::Sqlite => None,
        };
        Ok(Store {
            pool,
            backend,
            copy_pool,
        })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        migrator().run(&self.pool).await?;
        Ok(())
    }

    /// True when the database answers and every migration of this build has been applied.
    pub async fn ready(&self) -> Result<bool, StoreError> {
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await?;
        Ok(applied == Some(latest_migration()))
    }

    pub async fn close(&self) {
        if let Some(pool) = &self.copy_pool {
            pool.close().await;
        }
        self.pool.close().await;
    }
}
