//! Keeping the snapshot current: reading what changed from the store into the coverage engine's
//! raw data, and swapping in a new snapshot after an import. The one place that knows both
//! `store` and `coverage`; neither of them knows the other.

mod persist;

use std::sync::Arc;
use std::time::Instant;

use crate::coverage::{Coverage, RawData, Snapshot};
use crate::import::Summary;
use crate::model::clock::{today, unix_now};
use crate::model::Dataset;
use crate::registry::Registry;
use crate::store::{Store, StoreError};

impl Store {
    /// Loads and indexes all records. With the `previous` snapshot's data (same registry), its
    /// registry-derived part is shared, and every table with no import since is taken over
    /// instead of read again: after an import only that dataset's table is read.
    pub async fn load_raw(
        &self,
        registry: Arc<Registry>,
        previous: Option<&RawData>,
    ) -> Result<RawData, StoreError> {
        let previous = previous.filter(|p| Arc::ptr_eq(&p.registry, &registry));
        let mut reader = self.reader().await?;
        let mut raw = match previous {
            Some(p) => p.empty_like(),
            None => RawData::index(registry, reader.read_administrations().await?),
        };
        raw.set_last_imports(&reader.last_imports().await?);
        let unchanged = |dataset: Dataset| {
            previous
                .is_some_and(|p| p.import_id(dataset.as_str()) == raw.import_id(dataset.as_str()))
        };
        let keep_processes = unchanged(Dataset::Prozesse);
        let keep_qualifications = unchanged(Dataset::Qualifikationen);
        // Activations point at processes by index: new processes mean reading them again.
        let keep_activations = keep_processes && unchanged(Dataset::Aktivierungen);
        let keep_accounts = unchanged(Dataset::Konten);
        let keep_onlinedienste = unchanged(Dataset::Onlinedienste);

        match previous {
            Some(p) if keep_processes => {
                raw.processes = p.processes.clone();
                raw.process_idx = p.process_idx.clone();
            }
            _ => raw.set_processes(reader.read_processes().await?),
        }
        match previous {
            Some(p) if keep_qualifications => raw.qualifications = p.qualifications.clone(),
            _ => reader.read_qualifications(&mut raw.sink()).await?,
        }
        match previous {
            Some(p) if keep_activations => raw.activations = p.activations.clone(),
            _ => {
                if !persist::read_activations(&mut reader, &mut raw).await {
                    reader.read_activations(&mut raw.sink()).await?;
                }
            }
        }
        match previous {
            Some(p) if keep_accounts => raw.accounts = p.accounts.clone(),
            _ => reader.read_accounts(&mut raw.sink()).await?,
        }
        match previous {
            Some(p) if keep_onlinedienste => raw.onlinedienste = p.onlinedienste.clone(),
            _ => {
                reader.read_onlinedienste(&mut raw.sink()).await?;
                Arc::make_mut(&mut raw.onlinedienste).shrink_to_fit();
            }
        }
        raw.demo = match previous {
            Some(p) if raw.import_ids == p.import_ids => p.demo,
            _ => reader.has_demo_imports().await?,
        };
        Ok(raw)
    }
}

impl Coverage {
    /// Loads the data and builds the first snapshot.
    pub async fn load(store: &Store, registry: Arc<Registry>) -> Result<Coverage, StoreError> {
        let t = Instant::now();
        let raw = store.load_raw(registry, None).await?;
        tracing::debug!(
            ms = t.elapsed().as_secs_f64() * 1e3,
            activations = raw.activations.len(),
            "records loaded"
        );
        let mut snap = Snapshot::build(1, raw, today());
        snap.build_duration = t.elapsed();
        // Reading whole tables filled SQLite's page caches: back to the system (about a ms).
        crate::memory::trim_c_heap();
        let coverage = Coverage::from_snapshot(snap);
        persist::write_activations(&coverage, store, &coverage.snapshot());
        Ok(coverage)
    }

    /// Reloads the records and swaps in a new snapshot.
    pub async fn rebuild(&self, store: &Store) -> Result<Arc<Snapshot>, StoreError> {
        let _guard = self.lock_rebuild().await;
        reload(self, store, Instant::now()).await
    }

    /// A new snapshot after `summary`'s import. Activations, the one large table, are taken over
    /// from the import's validated records when no other import came in between (its log id
    /// follows the snapshot's latest); everything else is a reload, as in [`Coverage::rebuild`].
    pub async fn after_import(
        &self,
        store: &Store,
        summary: &Summary,
    ) -> Result<Arc<Snapshot>, StoreError> {
        let _guard = self.lock_rebuild().await;
        let t = Instant::now();
        let old = self.snapshot();
        let latest = old.raw.import_ids.iter().map(|(_, id)| *id).max();
        let follows = latest.is_some_and(|id| summary.log_id == id + 1);
        let records = match &summary.records {
            Some(r) if !summary.dry_run && summary.dataset == Dataset::Aktivierungen && follows => {
                r
            }
            _ => return reload(self, store, t).await,
        };
        let mut raw = RawData::clone(&old.raw);
        raw.upsert_activations(records);
        raw.record_import(summary.dataset.as_str(), summary.log_id, unix_now() as i64);
        // No table was read (the import trimmed SQLite's heap already).
        let snap = self.swap(&old, raw, t);
        persist::write_activations(self, store, &snap);
        Ok(snap)
    }
}

/// Reads what changed since the current snapshot; the caller holds the rebuild lock.
async fn reload(
    coverage: &Coverage,
    store: &Store,
    started: Instant,
) -> Result<Arc<Snapshot>, StoreError> {
    let old = coverage.snapshot();
    let raw = store
        .load_raw(old.raw.registry.clone(), Some(&old.raw))
        .await?;
    let snap = coverage.swap(&old, raw, started);
    // Only when something was read: a periodic refresh without new data reads next to nothing.
    if snap.data_version != old.data_version {
        crate::memory::trim_c_heap();
        persist::write_activations(coverage, store, &snap);
    }
    Ok(snap)
}
