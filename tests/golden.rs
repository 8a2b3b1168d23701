//! Golden files of what users and dashboards depend on: the metric families (name, type, unit,
//! HELP and label names, from the demo data) and the OpenAPI document. A change to either shows
//! up here first; if it is intended, record it in CHANGELOG.md and write the files again with
//! `UPDATE_GOLDEN=1 cargo test --test golden`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(10)
            .map(|(i, (e, a))| format!("line {}:\n  golden: {e}\n  now:    {a}", i + 1))
            .collect();
        panic!(
            "{} differs from the service ({} vs {} lines); if intended, record it in \
             CHANGELOG.md and run UPDATE_GOLDEN=1 cargo test --test golden\n{}",
            path.display(),
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

/// One line per family: `name type unit "help" {label names}`; samples' values are left out.
fn families(openmetrics: &str) -> String {
    #[derive(Default)]
    struct Family {
        kind: String,
        unit: String,
        help: String,
        labels: BTreeSet<String>,
    }
    let mut fams: BTreeMap<String, Family> = BTreeMap::new();
    let mut names: Vec<String> = Vec::new();
    for line in openmetrics.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (what, name, text) = (parts.next(), parts.next(), parts.next());
            let (Some(what), Some(name)) = (what, name) else {
                continue;
            };
            let f = fams.entry(name.to_string()).or_default();
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
            let text = text.unwrap_or("").to_string();
            match what {
                "TYPE" => f.kind = text,
                "UNIT" => f.unit = text,
                "HELP" => f.help = text,
                _ => {}
            }
            continue;
        }
        let Some(name_end) = line.find(['{', ' ']) else {
            continue;
        };
        let sample = &line[..name_end];
        // The family a sample belongs to: the longest family name it starts with.
        let Some(family) = names
            .iter()
            .filter(|n| sample.starts_with(n.as_str()))
            .max_by_key(|n| n.len())
        else {
            continue;
        };
        if let Some(labels) = line[name_end..]
            .strip_prefix('{')
            .and_then(|l| l.split_once('}'))
            .map(|(l, _)| l)
        {
            let f = fams.get_mut(family).unwrap();
            for pair in split_labels(labels) {
                if let Some((k, _)) = pair.split_once('=') {
                    f.labels.insert(k.to_string());
                }
            }
        }
    }
    fams.into_iter()
        // The process' own metrics are the standard ones and depend on the platform.
        .filter(|(name, _)| !name.starts_with("process_"))
        .map(|(name, f)| {
            format!(
                "{name} {} {} {:?} {{{}}}\n",
                f.kind,
                if f.unit.is_empty() { "-" } else { &f.unit },
                f.help,
                f.labels.into_iter().collect::<Vec<_>>().join(",")
            )
        })
        .collect()
}

/// `a="x",b="y,z"` into `a="x"`, `b="y,z"` (commas inside quotes stay).
fn split_labels(labels: &str) -> Vec<&str> {
    let (mut out, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (i, c) in labels.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&labels[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < labels.len() {
        out.push(&labels[start..]);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metric_families_and_openapi_match_the_golden_files() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    // One request per route family first, so that the request metrics have their labels.
    for path in [
        "/healthz",
        "/api/v1/coverage?level=land",
        "/charts/progress",
    ] {
        c.get(format!("{base}{path}")).send().await.unwrap();
    }
    let om = common::get_openmetrics(&c, &base).await;
    golden("metrics.txt", &families(&om));
    let openapi: serde_json::Value =
        common::get_json(&c, &format!("{base}/api/openapi.json")).await;
    golden(
        "openapi.json",
        &(serde_json::to_string_pretty(&openapi).unwrap() + "\n"),
    );
    server.stop().await.unwrap();
}

/// The figure catalogue the Grafana generator reads (`dashboards/grafana/figures.json`) is the
/// binary's (`digitalatlas figures --json`): a figure's header, kind or classes change in one
/// place, and the dashboards follow when generate.py runs again.
#[test]
fn the_dashboards_figure_catalogue_is_the_binarys() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_digitalatlas"))
        .args(["figures", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards/grafana/figures.json");
    let actual = String::from_utf8(out.stdout).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == actual,
        "{} differs from `digitalatlas figures --json`: run UPDATE_GOLDEN=1 cargo test --test \
         golden, then python3 dashboards/grafana/generate.py",
        path.display()
    );
    // Every share has its classes, and the Kreis map's classes are the GeoJSON's.
    let catalogue: serde_json::Value = serde_json::from_str(&actual).unwrap();
    for f in catalogue["figures"].as_array().unwrap() {
        assert_eq!(f["kind"] == "share", f["bands"].is_array(), "{f}");
    }
}

/// ARCHITECTURE.md's table of unit figures is `digitalatlas figures`, and what it says is true:
/// every metric is in the metric contract, every panel has a contract, every page id is on a
/// page.
#[test]
fn the_architecture_figure_catalogue_is_generated_and_true() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_digitalatlas"))
        .arg("figures")
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let begin = doc
        .find("<!-- figures:begin")
        .expect("figures:begin marker");
    let start = begin + doc[begin..].find('\n').unwrap() + 1;
    let end = doc
        .find("<!-- figures:end -->")
        .expect("figures:end marker");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, format!("{}{table}{}", &doc[..start], &doc[end..])).unwrap();
        return;
    }
    assert!(
        doc[start..end] == table,
        "ARCHITECTURE.md's figure table differs from `digitalatlas figures`: run \
         UPDATE_GOLDEN=1 cargo test --test golden"
    );

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let metrics = std::fs::read_to_string(root.join("tests/golden/metrics.txt")).unwrap();
    let families: BTreeSet<&str> = metrics
        .lines()
        .filter_map(|l| l.split(' ').next())
        .collect();
    let contracts: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("dashboards/grafana/contracts.json")).unwrap(),
    )
    .unwrap();
    let panels: BTreeSet<&str> = contracts
        .as_object()
        .unwrap()
        .values()
        .flat_map(|board| board.as_object().unwrap().keys().map(String::as_str))
        .collect();
    // Every file of the pages (an element id is written in one of them).
    let page: String = std::fs::read_dir(root.join("src/page"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let catalogue = digitalatlas::coverage::catalogue::catalogue_json();
    for f in catalogue["figures"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        let p = &f["provenance"];
        let items = |key: &str| -> Vec<String> {
            p[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        for m in items("metrics") {
            assert!(families.contains(m.as_str()), "{name}: no metric {m}");
        }
        for panel in items("panels") {
            assert!(
                panels.contains(panel.as_str()),
                "{name}: no panel {panel:?}"
            );
        }
        for id in items("page") {
            assert!(
                page.contains(&format!("id=\\\"{id}\\\"")),
                "{name}: no element #{id} on the pages"
            );
        }
    }
}
