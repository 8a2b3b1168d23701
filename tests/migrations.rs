//! Upgrading a database made by an earlier version keeps its data: migration 4 rebuilds the
//! activations table without its foreign keys, on SQLite and PostgreSQL.

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
