//! Starting and stopping the HTTP service: open the store, load the registry, bind, serve until a
//! shutdown signal, then drain in-flight requests.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::http::{router, AppState};
use crate::registry::reference::ReferenceData;
use crate::store::registry::RegistryLoad;
use crate::store::Store;

/// Opens the database, applies migrations and fills the embedded registry on first start.
pub async fn prepare(database_url: &str) -> anyhow::Result<AppState> {
    prepare_with(database_url, &ReferenceData::embedded()).await
}

/// As [`prepare`], with another registry (`--registry DIR`).
pub async fn prepare_with(
    database_url: &str,
    reference: &ReferenceData,
) -> anyhow::Result<AppState> {
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
    Ok(AppState {
        store,
        registry,
        coverage: Arc::new(coverage),
        metrics: Arc::new(crate::metrics::SelfMetrics::default()),
        tokens: Arc::new(crate::auth::Tokens::default()),
        limits: crate::import::Limits::default(),
        geo: Arc::default(),
        charts: Arc::default(),
    })
}

/// Rebuilds the snapshot every `every`, so that imports made by other processes (the CLI) show up
/// and the snapshot age stays a health signal.
pub fn spawn_refresh(state: AppState, every: std::time::Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            state.after_import().await;
        }
    })
}

/// A server running on a background task, as tests and `serve` use it.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting, lets in-flight requests finish, and waits for the server task.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await??;
        self.state.store.close().await;
        Ok(())
    }

    /// Waits until the server ends (after a shutdown signal).
    pub async fn wait(self) -> anyhow::Result<()> {
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
) -> anyhow::Result<RunningServer> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                if on_signal {
                    tokio::select! {
                        _ = rx => {},
                        _ = shutdown_signal() => {},
                    }
                } else {
                    let _ = rx.await;
                }
                tracing::info!("shutting down");
            })
            .await
    });
    tracing::info!(%addr, "listening");
    Ok(RunningServer {
        addr,
        state,
        shutdown: Some(tx),
        task,
    })
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
