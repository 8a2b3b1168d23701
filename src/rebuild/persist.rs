//! The activations kept in compact form beside the records (`coverage::compact` in the store's
//! `snapshot_parts`): read back at start-up instead of millions of rows when the key matches,
//! written in the background after a snapshot whose activations the store does not hold yet.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::coverage::{compact, Coverage, RawData, Snapshot};
use crate::model::Dataset;
use crate::store::{schema_version, PartsRead, RecordReader, Store};

/// The name of the activations among the stored parts.
const NAME: &str = "activations";

/// What compact activations of `raw` are made from: the encoding, the schema, the latest
/// `aktivierungen` import, and the administrations and processes their indexes point at.
pub(super) fn activations_key(raw: &RawData) -> String {
    let mut ids = Sha256::new();
    for admin in raw.admins.iter() {
        ids.update(admin.id.as_bytes());
        ids.update([0]);
    }
    ids.update([1]);
    for process in &raw.processes {
        ids.update(process.id.as_bytes());
        ids.update([0]);
    }
    let ids: String = ids.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "format {} schema {} import {} ids {ids}",
        compact::FORMAT,
        schema_version(),
        raw.import_id(Dataset::Aktivierungen.as_str()).unwrap_or(0),
    )
}

/// Fills `raw.activations` from the stored compact form if it was made from this data (same
/// key); false when it was not, or it could not be read or was refused: then the table is to be
/// read (a copy is never a reason not to start).
pub(super) async fn read_activations(reader: &mut RecordReader, raw: &mut RawData) -> bool {
    let key = activations_key(raw);
    let (admins, processes) = (raw.admins.len(), raw.processes.len());
    let activations = &mut raw.activations;
    let read = reader
        .read_parts(NAME, &key, |total, rows, bytes| {
            if activations.capacity() < total {
                activations.reserve_exact(total - activations.len());
            }
            compact::decode(bytes, rows, admins, processes, activations).map_err(|r| r.0)
        })
        .await;
    match read {
        Ok(PartsRead::Read) => return true,
        Ok(PartsRead::Absent(stored)) => {
            tracing::debug!(
                ?stored,
                wanted = key,
                "compact activations not stored for this data"
            )
        }
        Ok(PartsRead::Refused(why)) => {
            tracing::warn!(
                why,
                "stored compact activations refused: reading the table instead"
            );
            // Their key matches: left in place, no write would replace them.
            if let Err(e) = reader.forget_parts(NAME).await {
                tracing::warn!(error = %e, "refused compact activations not removed");
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "stored compact activations unreadable: reading the table")
        }
    }
    raw.activations = Vec::new();
    false
}

/// Writes `snap`'s activations in compact form in the background unless the store holds them
/// already (as far as this process knows, or as the store says).
pub(super) fn write_activations(coverage: &Coverage, store: &Store, snap: &Arc<Snapshot>) {
    if snap.raw.activations.is_empty() {
        return;
    }
    let key = activations_key(&snap.raw);
    let persisted = coverage.persisted.clone();
    persisted
        .newest
        .fetch_max(snap.generation, Ordering::SeqCst);
    let (store, snap) = (store.clone(), snap.clone());
    tokio::spawn(async move {
        let mut known = persisted.key.lock().await;
        let newer = persisted.newest.load(Ordering::SeqCst) > snap.generation;
        if newer || known.as_deref() == Some(key.as_str()) {
            return;
        }
        let written = match store.parts_key(NAME).await {
            // Another replica, or the start that read it, got there first.
            Ok(Some(stored)) if stored == key => Ok(None),
            Ok(_) => {
                let parts = compact::encode(&snap.raw.activations);
                store.replace_parts(NAME, &key, parts).await.map(Some)
            }
            Err(e) => Err(e),
        };
        match written {
            Ok(bytes) => {
                if let Some(bytes) = bytes {
                    let rows = snap.raw.activations.len();
                    tracing::debug!(bytes, rows, key, "compact activations stored");
                }
                *known = Some(key);
            }
            Err(e) => tracing::warn!(
                error = %e,
                "compact activations not stored (the next start reads the table)"
            ),
        }
    });
}
