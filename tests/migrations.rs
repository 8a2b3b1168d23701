//! Upgrading a database made by an earlier version keeps its data: migration 4 rebuilds the
//! activations table without its foreign keys, on SQLite and PostgreSQL. What a start reads
//! instead of the records (the compact activations) is taken only when it was made from the
//! same data by the same schema, never trusted otherwise.

mod common;

use std::borrow::Cow;

use digitalatlas::store::Store;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_3_database_keeps_its_activations_through_migration_4() {
    sqlx::any::install_default_drivers();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for db in common::all_dbs().await {
        // The schema as version 3 left it, with one activation under its foreign keys.
        let all = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
        let old = sqlx::migrate::Migrator {
            migrations: Cow::Owned(
                all.migrations
                    .iter()
                    .filter(|m| m.version <= 3)
                    .cloned()
                    .collect(),
            ),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        old.run(&pool).await.unwrap();
        for sql in [
            "INSERT INTO regions (ars, ags, level, name, name_short, kind, population, area_km2) \
             VALUES ('081110000000', '08111000', 'gemeinde', 'Stuttgart', 'Stuttgart', 'Stadt', 1, 1)",
            "INSERT INTO administrations (id, kind, region_ars, kreis) \
             VALUES ('08111000', 'gemeinde', '081110000000', '081110000000')",
            "INSERT INTO processes (process_id, name, art) VALUES ('S1', 'Prozess', 'standard')",
            "INSERT INTO activations (administration_id, process_id, activated_on, deactivated_on) \
             VALUES ('08111000', 'S1', '2024-01-01', '2024-06-30')",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        // Under version 3 the schema refuses an unknown process.
        assert!(sqlx::query(
            "INSERT INTO activations (administration_id, process_id, activated_on) \
             VALUES ('08111000', 'NEU', '2024-01-01')"
        )
        .execute(&pool)
        .await
        .is_err());
        pool.close().await;

        let store = Store::open(&db.url).await.unwrap();
        assert!(store.ready().await.unwrap(), "{}", db.name);
        let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT administration_id, process_id, activated_on, deactivated_on FROM activations",
        )
        .fetch_all(&store.pool)
        .await
        .unwrap();
        assert_eq!(
            rows,
            vec![(
                "08111000".to_string(),
                "S1".to_string(),
                "2024-01-01".to_string(),
                Some("2024-06-30".to_string())
            )],
            "{}",
            db.name
        );
        // The key and the check stay; the foreign keys are the import's to check now.
        let insert = |process: &'static str, from: &'static str, until: Option<&'static str>| {
            sqlx::query(
                "INSERT INTO activations (administration_id, process_id, activated_on, \
                 deactivated_on) VALUES ('08111000', $1, $2, $3)",
            )
            .bind(process)
            .bind(from)
            .bind(until)
            .execute(&store.pool)
        };
        assert!(
            insert("S1", "2024-01-01", None).await.is_err(),
            "primary key"
        );
        assert!(
            insert("S1", "2025-01-01", Some("2024-01-01"))
                .await
                .is_err(),
            "check"
        );
        insert("NEU", "2024-01-01", None).await.unwrap();
        store.close().await;
    }
}

/// The activations of the current snapshot, sorted, as (administration, process, from, until).
fn activations(state: &digitalatlas::http::AppState) -> Vec<(String, String, String, String)> {
    let snap = state.coverage.snapshot();
    let raw = &snap.raw;
    let mut out: Vec<_> = raw
        .activations
        .iter()
        .map(|a| {
            (
                raw.admins[a.admin as usize].id.clone(),
                raw.processes[a.process as usize].id.clone(),
                a.from.to_string(),
                a.until.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Waits until the store holds compact activations whose key `fits`.
async fn stored_key(store: &Store, fits: impl Fn(&str) -> bool) -> String {
    for _ in 0..200 {
        if let Some(key) = store.parts_key("activations").await.unwrap() {
            if fits(&key) {
                return key;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no fitting compact activations were stored");
}

/// Waits until the start of `state` knows the store holds `key` (its background write or check
/// is done), so that nothing of it runs while the test changes the stored parts.
async fn wait_known(state: &digitalatlas::http::AppState, key: &str) {
    for _ in 0..200 {
        if state.coverage.persisted.key.lock().await.as_deref() == Some(key) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the start never confirmed {key}");
}

fn of_import(id: i64) -> impl Fn(&str) -> bool {
    move |key| key.contains(&format!(" import {id} "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_takes_the_stored_compact_activations_only_when_made_from_the_same_data() {
    use digitalatlas::import::Dataset;
    for db in common::all_dbs().await {
        let first = digitalatlas::server::prepare(&db.url).await.unwrap();
        common::import_fixture(&first, Dataset::Prozesse, "prozesse.csv").await;
        let import =
            common::import_fixture(&first, Dataset::Aktivierungen, "aktivierungen-bom.csv").await;
        let key = stored_key(&first.store, of_import(import.log_id)).await;
        assert!(key.starts_with("format 1 schema 8 import "), "{key}");
        let imported = activations(&first);
        assert_eq!(imported.len(), 6, "{}", db.name);

        // Changed behind the import log's back: a start that shows the stored state read the
        // compact copy, one that shows the change read the table.
        sqlx::query(
            "UPDATE activations SET deactivated_on = '2029-12-31' WHERE deactivated_on IS NULL",
        )
        .execute(&first.store.pool)
        .await
        .unwrap();
        let changed: Vec<_> = imported
            .iter()
            .map(|(a, p, f, u)| {
                let u = if u.is_empty() { "2029-12-31" } else { u };
                (a.clone(), p.clone(), f.clone(), u.to_string())
            })
            .collect();
        let again = digitalatlas::server::prepare(&db.url).await.unwrap();
        assert_eq!(activations(&again), imported, "{}: same key", db.name);
        // Its background check is done before the key is changed below.
        wait_known(&again, &key).await;

        // Made by an older schema, or before the latest import: the table is read, and the
        // compact copy written anew from it.
        let older = [
            key.replace(" schema 8 ", " schema 7 "),
            key.replace(&format!(" import {} ", import.log_id), " import 1 "),
            key.replace("format 1 ", "format 0 "),
        ];
        for stale in older {
            sqlx::query("UPDATE snapshot_parts SET key = $1")
                .bind(&stale)
                .execute(&first.store.pool)
                .await
                .unwrap();
            let state = digitalatlas::server::prepare(&db.url).await.unwrap();
            assert_eq!(activations(&state), changed, "{}: {stale}", db.name);
            stored_key(&state.store, |k| k == key).await;
            wait_known(&state, &key).await;
        }

        // The right key on damaged bytes: refused, the table read, no panic.
        sqlx::query("UPDATE snapshot_parts SET bytes = $1")
            .bind(vec![0xffu8; 7])
            .execute(&first.store.pool)
            .await
            .unwrap();
        let state = digitalatlas::server::prepare(&db.url).await.unwrap();
        assert_eq!(activations(&state), changed, "{}: damaged", db.name);
        // Refused parts are removed and written anew from the table: the next start takes them.
        stored_key(&state.store, |k| k == key).await;
        wait_known(&state, &key).await;
        let healed = digitalatlas::server::prepare(&db.url).await.unwrap();
        assert_eq!(activations(&healed), changed, "{}: healed", db.name);
        let bytes: i64 =
            sqlx::query_scalar("SELECT CAST(SUM(LENGTH(bytes)) AS BIGINT) FROM snapshot_parts")
                .fetch_one(&first.store.pool)
                .await
                .unwrap();
        assert!(bytes > 7, "{}: rewritten, not the 7 damaged bytes", db.name);

        // A new import changes the key; the next start reads what it wrote.
        let next =
            common::import_fixture(&state, Dataset::Aktivierungen, "aktivierungen-bom.csv").await;
        stored_key(&state.store, of_import(next.log_id)).await;
        let last = digitalatlas::server::prepare(&db.url).await.unwrap();
        assert_eq!(activations(&last), activations(&state), "{}", db.name);
        for s in [first, again, state, healed, last] {
            s.store.close().await;
        }
    }
}
