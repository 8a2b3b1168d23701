//! Memory as a user meets it: `serve --demo` in its own process (the release binary), then every
//! route of the service's route table (`digitalatlas::http::route_table`, so a new route is
//! covered without editing this file) asked once in every variant its OpenAPI entry offers
//! (each `format`, each `level`) and in each encoding a client sends (identity, gzip, br); RSS
//! from `/proc/PID/status` when ready, after each route, and 5 s after the last request
//! (steady), beside the targets of #29.
//!
//! Run: `cargo bench --bench memory` (Baden-Württemberg); `BENCH_SCALE=de cargo bench --bench
//! memory` for the atlas of Germany (`--land all`). Linux only (reads `/proc`).

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;

/// Steady-state targets (MB) of #29; the peak may be at most twice the steady figure.
const TARGET_BW_MB: u64 = 60;
const TARGET_DE_MB: u64 = 150;

const ENCODINGS: [&str; 3] = ["identity", "gzip", "br"];

/// `VmRSS` and `VmHWM` of a process, in MB.
fn rss(pid: u32) -> (u64, u64) {
    let mb = |field| u64::try_from(support::status_kb(pid, field) / 1024).unwrap_or(0);
    (mb("VmRSS:"), mb("VmHWM:"))
}

/// Stops the service when the bench ends, also on a panic.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The values a query parameter allows: its pattern `^(a|b|c)?$`, or its enum.
fn pattern_values(param: &Value) -> Vec<String> {
    let pattern = param["schema"]["pattern"].as_str().unwrap_or("");
    let alternatives: Vec<String> = pattern
        .strip_prefix("^(")
        .and_then(|p| p.strip_suffix(")?$"))
        .map(|alts| alts.split('|').map(str::to_string).collect())
        .unwrap_or_default();
    if !alternatives.is_empty() {
        return alternatives;
    }
    param["schema"]["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The query strings to ask a path with: each `format` × `level` × `properties` its OpenAPI
/// entry offers, required parameters filled in.
fn variants(openapi: &Value, template: &str) -> Vec<String> {
    let params = openapi["paths"][template]["get"]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let values = |name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .map(pattern_values)
            .unwrap_or_default()
    };
    let mut required = String::new();
    for p in params
        .iter()
        .filter(|p| p["required"] == true && p["in"] == "query")
    {
        let name = p["name"].as_str().unwrap_or("");
        let value = pattern_values(p)
            .into_iter()
            .next()
            .unwrap_or_else(|| "Stadt".into());
        required.push_str(&format!("&{name}={value}"));
    }
    // Every representation a user can ask for: each format × level × set of properties.
    let mut out = vec![required];
    for name in ["format", "level", "properties"] {
        let options = values(name);
        if options.is_empty() {
            continue;
        }
        out = out
            .iter()
            .flat_map(|q| {
                options.iter().map(move |v| match v.as_str() {
                    "" => q.clone(),
                    v => format!("{q}&{name}={v}"),
                })
            })
            .collect();
    }
    let mut out: Vec<String> = out
        .into_iter()
        .map(|q| q.strip_prefix('&').map(|q| format!("?{q}")).unwrap_or(q))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Concrete paths for a template: every chart, layer and dataset; a Land, Kreis and Gemeinde of
/// the atlas for a key.
fn paths(template: &str, examples: &BTreeMap<&str, Vec<String>>) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut previous = "";
    for segment in template.split('/').skip(1) {
        let values: Vec<String> = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
        {
            Some(param) => {
                let kind = match (param, previous) {
                    ("key", "land") => "land",
                    ("key", "kreis") => "kreis",
                    ("key", "verband") => "verband",
                    ("key" | "ags", _) => "gemeinde",
                    // `/badge/gemeinde/{file}`: a Gemeinde's badge, `{ags}.svg`.
                    ("file", "gemeinde") => "badge",
                    (other, _) => other,
                };
                examples.get(kind).cloned().unwrap_or_else(|| {
                    println!("  (no example for {{{param}}} in {template}: asked literally)");
                    vec![segment.to_string()]
                })
            }
            None => vec![segment.to_string()],
        };
        out = out
            .iter()
            .flat_map(|p| values.iter().map(move |v| format!("{p}/{v}")))
            .collect();
        previous = segment;
    }
    out.into_iter()
        .map(|p| if p.is_empty() { "/".into() } else { p })
        .collect()
}

/// A key of the level from the middle of the registry's list.
async fn a_key(c: &reqwest::Client, base: &str, level: &str) -> Vec<String> {
    // Verbände are no registry level: the coverage rows of theirs.
    let url = match level {
        "verband" => format!("{base}/api/v1/coverage?level=verband"),
        _ => format!("{base}/api/v1/regions?level={level}"),
    };
    let regions: Value = match c.get(url).send().await {
        Ok(r) => r.json().await.unwrap_or(Value::Null),
        Err(_) => Value::Null,
    };
    regions
        .as_array()
        .and_then(|a| a.get(a.len() / 2))
        .and_then(|r| r["ags"].as_str().or(r["key"].as_str()))
        .map(|k| vec![k.to_string()])
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    if !std::path::Path::new("/proc/self/status").exists() {
        println!("no /proc: the memory bench runs on Linux only");
        return;
    }
    let germany = std::env::var("BENCH_SCALE").is_ok_and(|v| v == "de");
    let (land, target) = if germany {
        ("all", TARGET_DE_MB)
    } else {
        ("08", TARGET_BW_MB)
    };
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_digitalatlas"))
        .args(["--land", land, "--database-url"])
        .arg(format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("memory.db").display()
        ))
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the digitalatlas binary");
    let service = Service(child);
    let pid = service.0.id();
    let c = reqwest::Client::builder().no_gzip().build().unwrap();
    while !c
        .get(format!("{base}/readyz"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the service did not get ready"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (ready, ready_peak) = rss(pid);
    println!(
        "serve --demo --land {land}: ready after {:.2} s at {ready} MB (peak so far {ready_peak} MB)",
        started.elapsed().as_secs_f64()
    );

    let openapi: Value = c
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut examples: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    examples.insert("land", a_key(&c, &base, "land").await);
    examples.insert("kreis", a_key(&c, &base, "kreis").await);
    examples.insert("gemeinde", a_key(&c, &base, "gemeinde").await);
    examples.insert("verband", a_key(&c, &base, "verband").await);
    let badges = examples["gemeinde"]
        .iter()
        .map(|g| format!("{g}.svg"))
        .collect();
    examples.insert("badge", badges);
    let table = digitalatlas::http::route_table();
    // The map layers are the GeoJSON layers the table serves.
    examples.insert(
        "layer",
        table
            .iter()
            .filter_map(|t| t.strip_prefix("/api/v1/geo/")?.strip_suffix(".geojson"))
            .map(str::to_string)
            .collect(),
    );
    examples.insert(
        "name",
        digitalatlas::charts::ChartId::NAMED
            .iter()
            .map(|c| c.name().to_string())
            .collect(),
    );
    examples.insert(
        "dataset",
        digitalatlas::model::Dataset::ALL
            .iter()
            .map(|d| d.as_str().to_string())
            .collect(),
    );

    println!("{} routes in the route table", table.len());
    let mut not_get = Vec::new();
    for template in &table {
        let t = Instant::now();
        let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
        let mut bytes = 0usize;
        for path in paths(template, &examples) {
            for query in variants(&openapi, template) {
                for encoding in ENCODINGS {
                    let r = c
                        .get(format!("{base}{path}{query}"))
                        .header("accept-encoding", encoding)
                        .send()
                        .await;
                    let Ok(r) = r else {
                        *statuses.entry(0).or_default() += 1;
                        continue;
                    };
                    *statuses.entry(r.status().as_u16()).or_default() += 1;
                    bytes += r.bytes().await.map_or(0, |b| b.len());
                }
            }
        }
        if statuses.keys().all(|&s| s == 405) {
            not_get.push(*template);
        }
        let (now, peak) = rss(pid);
        let requests: usize = statuses.values().sum();
        let statuses: Vec<String> = statuses.iter().map(|(s, n)| format!("{n}×{s}")).collect();
        println!(
            "  after {template:<42} {now:>4} MB (peak {peak:>4} MB; {requests} requests: {}; {:.1} MB received; {:.0} ms)",
            statuses.join(", "),
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    if !not_get.is_empty() {
        println!("  (POST only: {})", not_get.join(", "));
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (steady, peak) = rss(pid);
    let verdict = |ok: bool| if ok { "within target" } else { "ABOVE TARGET" };
    println!(
        "steady (5 s after the last request): {steady} MB, target ≤ {target} MB: {}",
        verdict(steady <= target)
    );
    println!(
        "peak (VmHWM over the run, the demo import included): {peak} MB, target ≤ 2 × steady = {} MB: {}",
        2 * steady,
        verdict(peak <= 2 * steady)
    );
    drop(service);
}
