//! Starting and stopping the HTTP service: open the store, load the registry, bind, serve until a
//! shutdown signal, then drain in-flight requests.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use std::time::Duration;

use crate::http::limits::HttpLimits;
use crate::http::{router, AppState};
use crate::registry::reference::ReferenceData;
use crate::store::RegistryLoad;
use crate::store::{Store, StoreError};

/// Why the service could not start or stop cleanly.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the server task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Opens the database, applies migrations and fills the embedded registry on first start.
pub async fn prepare(database_url: &str) -> Result<AppState, ServerError> {
    prepare_with(database_url, &ReferenceData::embedded()).await
}

/// As [`prepare`], with another registry (`--registry DIR`).
pub async fn prepare_with(
    database_url: &str,
    reference: &ReferenceData,
) -> Result<AppState, ServerError> {
    let store = Store::open(database_url).await?;
    let load = store.ensure_registry(reference).await?;
    let registry = store.load_registry().await?;
    tracing::info!(
        backend = store.backend.name(),
        regions = registry.len(),
        loaded_now = load == RegistryLoad::Loaded,
        "registry ready"
    );
    let registry = Arc::new(registry);
    let coverage = crate::coverage::Coverage::load(&store, registry.clone()).await?;
    let snap = coverage.snapshot();
    tracing::info!(
        ms = snap.build_duration.as_secs_f64() * 1e3,
        qualifications = snap.raw.qualifications.len(),
        activations = snap.raw.activations.len(),
        "coverage snapshot built"
    );
    Ok(AppState::new(crate::http::Shared {
        store,
        registry,
        coverage: Arc::new(coverage),
        metrics: Arc::new(crate::metrics::SelfMetrics::default()),
        tokens: Arc::new(crate::auth::Tokens::default()),
        limits: crate::import::Limits::default(),
        geo: Arc::default(),
        charts: Arc::default(),
        pools: Arc::default(),
        cors: Default::default(),
        admin: Arc::default(),
    }))
}

/// Rebuilds the snapshot every `every`, so that imports made by other processes (the CLI) show up
/// and the snapshot age stays a health signal.
pub fn spawn_refresh(state: AppState, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            state.after_import().await;
        }
    })
}

/// Every `every`, asks the database for the newest import-log id (one indexed `MAX`) and
/// rebuilds the snapshot when another process or replica imported something, so that an import
/// on one replica shows on every other within about `every`, without a full refresh.
pub fn spawn_change_poll(state: AppState, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let known = state
                .coverage
                .snapshot()
                .raw
                .import_ids
                .iter()
                .map(|(_, id)| *id)
                .max()
                .unwrap_or(0);
            match state.store.latest_import_id().await {
                Ok(latest) if latest != known => state.after_import().await,
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "change poll: database unavailable"),
            }
        }
    })
}

/// A server running on a background task, as tests and `serve` use it.
#[allow(missing_debug_implementations)] // holds the server task and its shutdown channel
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting, lets in-flight requests finish, and waits for the server task.
    pub async fn stop(mut self) -> Result<(), ServerError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await??;
        self.state.store.close().await;
        Ok(())
    }

    /// Waits until the server ends (after a shutdown signal).
    pub async fn wait(self) -> Result<(), ServerError> {
        self.task.await??;
        self.state.store.close().await;
        Ok(())
    }
}

/// Binds `listen` (port 0 picks a free one) and serves on a background task until `stop` or, when
/// `on_signal` is set, SIGTERM / ctrl-c.
pub async fn start(
    state: AppState,
    listen: SocketAddr,
    on_signal: bool,
) -> Result<RunningServer, ServerError> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let app = router(state.clone());
    let limits = state.pools.limits;
    let task = tokio::spawn(serve(listener, state.clone(), app, limits, async move {
        if on_signal {
            tokio::select! {
                _ = rx => {},
                _ = shutdown_signal() => {},
            }
        } else {
            let _ = rx.await;
        }
        tracing::info!("shutting down");
    }));
    tracing::info!(%addr, max_connections = limits.max_connections, "listening");
    Ok(RunningServer {
        addr,
        state,
        shutdown: Some(tx),
        task,
    })
}

/// The accept loop: HTTP/1.1 with a header-read timeout (which also ends idle keep-alive
/// connections), at most `max_connections` open at once (a connection past that gets a 503 and
/// is closed, so that a flood of half-open connections cannot take every file descriptor), and
/// a graceful shutdown that lets in-flight requests finish. A scrape of `/metrics` is answered
/// before the router (`http::fast_scrape`).
async fn serve(
    listener: TcpListener,
    state: AppState,
    app: axum::Router,
    limits: HttpLimits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors or similar: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let (stream, peer) = stream;
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let state = state.clone();
        let service = hyper::service::service_fn(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                let fast = crate::http::fast_scrape(&state, &req);
                // Handlers that need the client's address (the sign-in limiter) read it here.
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                let app = app.clone();
                async move {
                    match fast {
                        Some(resp) => Ok(resp),
                        None => tower::ServiceExt::oneshot(app, req).await,
                    }
                }
            },
        );
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    // In-flight requests finish; idle connections close at once.
    if tokio::time::timeout(limits.request_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the request timeout; closing them");
    }
    Ok(())
}

/// Answers a connection over the limit with a 503 and closes it.
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        stream.write_all(
            b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\
              Connection: close\r\n\r\n",
        ),
    )
    .await;
}

/// Raises the soft limit of open files to the hard limit (commonly 1,024 soft against 524,288
/// hard), so that `max_connections` is not cut short by the default. Returns the new limit.
pub fn raise_open_files_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit only read and write the struct passed to them.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
                return None;
            }
            if lim.rlim_cur < lim.rlim_max {
                let wanted = libc::rlimit {
                    rlim_cur: lim.rlim_max,
                    rlim_max: lim.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &wanted) == 0 {
                    lim = wanted;
                }
            }
        }
        Some(lim.rlim_cur)
    }
    #[cfg(not(unix))]
    None
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
