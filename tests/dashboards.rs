//! The Grafana dashboards against the real service with the demo data: every PromQL expression,
//! with its template variables filled, returns a non-empty result from a real Prometheus that
//! scraped the service, and the same result from a Prometheus that scraped two replicas (the
//! figure dashboards; the Betrieb dashboard is per instance by design); every Infinity URL answers 200 with rows that carry every field the
//! panel uses; every map layer URL answers GeoJSON. (Their schema is checked by
//! dashboards/grafana/validate.mjs in scripts/test.)

mod common;

use serde_json::Value;

fn dashboards() -> Vec<(String, Value)> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards/grafana/dashboards");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(out.len(), 4, "four dashboards");
    out
}

/// Every panel, rows' panels included.
fn panels(d: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for p in d["panels"].as_array().unwrap() {
        if p["type"] == "row" {
            out.extend(p["panels"].as_array().cloned().unwrap_or_default());
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// The variable values a test fills in: one concrete choice and Grafana's "All".
const FILLS: [[(&str, &str); 2]; 2] = [
    [("regierungsbezirk", "081"), ("kreis", "08115")],
    [("regierungsbezirk", ".*"), ("kreis", ".*")],
];

fn fill(text: &str, vars: &[(&str, &str)]) -> String {
    let mut s = text
        .replace("$__rate_interval", "1m")
        .replace("$__interval", "15s")
        .replace("$__range", "5m");
    for (k, v) in vars {
        s = s
            .replace(&format!("${{{k}}}"), v)
            .replace(&format!("${k}"), v);
    }
    assert!(!s.contains('$'), "unfilled variable in {s}");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dashboard_query_answers_with_data() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    // Traffic for the request panels, before and while Prometheus scrapes.
    for _ in 0..3 {
        common::get_text(&c, &format!("{base}/api/v1/coverage")).await;
    }

    let mut prom_checked = 0;
    let mut api_checked = 0;
    let prometheus = common::start_prometheus(
        &server.addr.to_string(),
        "sum(rate(digitalatlas_http_requests_total[1m])) > 0",
    )
    .await;
    // A second replica on the same database, and a Prometheus that scrapes both.
    let replica = common::start_server(&_db.url).await;
    let (a, b) = (server.addr.to_string(), replica.addr.to_string());
    let replicated = common::start_prometheus_scraping(
        &[&a, &b],
        "count(count_over_time(digitalatlas_demo_data[1m]) >= 2) == 2",
    )
    .await;
    let contracts: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("dashboards/grafana/contracts.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut contracts_checked = 0;
    // The figures each fill's contracts compare against, read once.
    let scopes = [
        Scope::of(&c, &base, &FILLS[0]).await,
        Scope::of(&c, &base, &FILLS[1]).await,
    ];
    let mut replica_checked = 0;
    let mut layers_checked = 0;
    for (file, d) in dashboards() {
        // Template variables: their queries must find values.
        for v in d["templating"]["list"].as_array().unwrap() {
            if v["type"] != "query" {
                continue;
            }
            let q = v["query"].as_str().unwrap();
            let inner = q
                .strip_prefix("query_result(")
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or_else(|| panic!("{file}: variable query {q}"));
            let regex = v["regex"].as_str().unwrap();
            let Some(p) = &prometheus else { continue };
            for (prom, fills) in [(p, &FILLS[0]), (p, &FILLS[1])]
                .into_iter()
                .chain(replicated.iter().map(|r| (r, &FILLS[1])))
            {
                let r = common::prom_query(&c, &prom.url, &fill(inner, fills)).await;
                let options = variable_options(&r, regex);
                assert!(
                    !options.is_empty(),
                    "{file}: variable {} finds nothing",
                    v["name"]
                );
                let keys: std::collections::BTreeSet<&String> =
                    options.iter().map(|(_, k)| k).collect();
                assert_eq!(
                    keys.len(),
                    options.len(),
                    "{file}: {} lists a key twice",
                    v["name"]
                );
                for (text, key) in &options {
                    assert!(
                        key.chars().all(|c| c.is_ascii_digit())
                            && !text.is_empty()
                            && !text.chars().all(|c| c.is_ascii_digit()),
                        "{file}: {} option {text:?} = {key:?}: want a name shown for a key",
                        v["name"]
                    );
                }
                if v["name"] == "kreis" {
                    assert!(
                        options.contains(&("Landkreis Böblingen".to_string(), "08115".to_string())),
                        "{file}: {options:?}"
                    );
                }
            }
        }
        let filtered = d["templating"]["list"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["name"] == "kreis");
        for panel in panels(&d) {
            let title = panel["title"].as_str().unwrap_or("?").to_string();
            let uid = d["uid"].as_str().unwrap();
            let contract = contracts[uid][&title]
                .as_str()
                .unwrap_or_else(|| panic!("{file} / {title}: no contract in contracts.json"))
                .to_string();
            // On a dashboard with the area filters, a panel follows them or says it shows the
            // whole Land.
            let follows = panel["targets"].as_array().unwrap().iter().any(|t| {
                [&t["expr"], &t["url"]]
                    .iter()
                    .any(|q| q.as_str().is_some_and(|q| q.contains("$kreis")))
            });
            assert!(
                !filtered || follows || title.contains("Land") || title == "Datengrundlage",
                "{file} / {title}: ignores the Kreis filter without saying so"
            );
            for t in panel["targets"].as_array().unwrap() {
                let ds = t["datasource"]["uid"].as_str().unwrap();
                match ds {
                    "digitalatlas-prometheus" => {
                        let Some(p) = &prometheus else { continue };
                        for (vars, scope) in FILLS.iter().zip(&scopes) {
                            let expr = fill(t["expr"].as_str().unwrap(), vars);
                            let r = common::prom_query(&c, &p.url, &expr).await;
                            assert!(!r.is_empty(), "{file} / {title}: empty result for {expr}");
                            let Some(two) = &replicated else { continue };
                            let r2 = common::prom_query(&c, &two.url, &expr).await;
                            // What the panel must show, with two replicas scraped.
                            check_series(
                                &contract,
                                &r2,
                                scope,
                                &format!("{file} / {title}: {expr}"),
                            );
                            contracts_checked += 1;
                            if file.contains("-ops") {
                                continue; // per instance by design
                            }
                            assert_eq!(
                                vector(&r2),
                                vector(&r),
                                "{file} / {title}: two replicas answer otherwise than one: {expr}"
                            );
                            replica_checked += 1;
                        }
                        prom_checked += 1;
                    }
                    "digitalatlas-api" => {
                        for (vars, scope) in FILLS.iter().zip(&scopes) {
                            let url = format!("{base}{}", fill(t["url"].as_str().unwrap(), vars));
                            let resp = c.get(&url).send().await.unwrap();
                            assert_eq!(resp.status(), 200, "{file} / {title}: {url}");
                            let rows: Value = resp.json().await.unwrap();
                            let rows = rows.as_array().unwrap_or_else(|| panic!("{url}: not rows"));
                            assert!(!rows.is_empty(), "{file} / {title}: no rows from {url}");
                            check_rows(&contract, rows, scope, &format!("{file} / {title}: {url}"));
                            contracts_checked += 1;
                            if title == "Kommune × Prozess" {
                                // Every column that no override names is a process column,
                                // headed by the process' name, holding 1 or 0 (shown ✓ / –).
                                let fixed: Vec<&str> = panel["fieldConfig"]["overrides"]
                                    .as_array()
                                    .unwrap()
                                    .iter()
                                    .map(|o| {
                                        assert_eq!(o["matcher"]["id"], "byName", "{title}");
                                        o["matcher"]["options"].as_str().unwrap()
                                    })
                                    .collect();
                                let names: Vec<String> =
                                    common::get_json(&c, &format!("{base}/api/v1/ozg/processes"))
                                        .await
                                        .as_array()
                                        .unwrap()
                                        .iter()
                                        .map(|p| p["name"].as_str().unwrap().to_string())
                                        .collect();
                                let row = rows[0].as_object().unwrap();
                                for f in &fixed {
                                    assert!(row.contains_key(*f), "{title}: no column {f}");
                                }
                                let procs: Vec<&String> = row
                                    .keys()
                                    .filter(|k| !fixed.contains(&k.as_str()))
                                    .collect();
                                assert_eq!(procs.len(), names.len(), "{title}: {procs:?}");
                                for k in procs {
                                    assert!(
                                        names.contains(k),
                                        "{title}: column {k} is no process name"
                                    );
                                    assert!(
                                        row[k] == 0 || row[k] == 1,
                                        "{title}: {k} = {}",
                                        row[k]
                                    );
                                }
                            }
                            if t["format"] == "timeseries" {
                                // A history panel covers the Projektstart (11/2018) to today
                                // within its own range `now-Ny/y`.
                                let from = panel["timeFrom"].as_str().unwrap_or_else(|| {
                                    panic!("{file} / {title}: history panel without timeFrom")
                                });
                                let years: i32 = from
                                    .strip_prefix("now-")
                                    .and_then(|r| r.strip_suffix("y/y"))
                                    .and_then(|n| n.parse().ok())
                                    .unwrap_or_else(|| panic!("{file} / {title}: timeFrom {from}"));
                                let this_year: i32 = digitalatlas::model::clock::now_rfc3339()[..4]
                                    .parse()
                                    .unwrap();
                                assert!(
                                    this_year - years <= 2018,
                                    "{file} / {title}: {from} starts after November 2018"
                                );
                                let first = rows[0]["date"].as_str().unwrap_or("");
                                assert!(first <= "2018-11-30", "{file} / {title}: starts {first}");
                            }
                            for col in t["columns"].as_array().unwrap() {
                                let sel = col["selector"].as_str().unwrap();
                                assert!(
                                    rows.iter().all(|r| !r[sel].is_null()),
                                    "{file} / {title}: field {sel} missing in {url}"
                                );
                            }
                        }
                        api_checked += 1;
                    }
                    other => panic!("{file} / {title}: unknown datasource uid {other}"),
                }
            }
            // Map layers that load GeoJSON from the service.
            for layer in panel["options"]["layers"].as_array().into_iter().flatten() {
                let src = layer["config"]["src"]
                    .as_str()
                    .or(layer["location"]["gazetteer"].as_str());
                if let Some(src) = src {
                    // Grafana before 12 fetches these URLs as written: no variables, absolute.
                    assert!(
                        !src.contains('$') && src.starts_with("http"),
                        "{file} / {title}: layer URL {src} must be absolute, without variables"
                    );
                    let url = src.replace("http://127.0.0.1:8080", &base);
                    // Fetched by the browser from Grafana's origin: CORS must allow it.
                    let r = c
                        .get(&url)
                        .header("origin", "https://grafana.example.org")
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.headers()["access-control-allow-origin"], "*", "{url}");
                    let g: Value = r.json().await.unwrap();
                    assert_eq!(g["type"], "FeatureCollection", "{file} / {title}: {url}");
                    let features = g["features"].as_array().unwrap();
                    assert!(!features.is_empty());
                    // Every style rule reads a property the features have, and every feature
                    // matches one of the rules (Grafana: the first matching rule wins).
                    let rules = layer["config"]["rules"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    let mut left: Vec<&Value> = features.iter().collect();
                    for rule in &rules {
                        let check = &rule["check"];
                        let prop = check["property"].as_str().unwrap();
                        assert!(
                            features.iter().all(|f| !f["properties"][prop].is_null()),
                            "{file} / {title}: property {prop} missing in {url}"
                        );
                        let matches = |v: &Value| match check["operation"].as_str().unwrap() {
                            "eq" => match v {
                                Value::String(s) => Some(s.as_str()) == check["value"].as_str(),
                                other => {
                                    Some(other.to_string().as_str()) == check["value"].as_str()
                                }
                            },
                            "gte" => v.as_f64() >= check["value"].as_f64(),
                            op => panic!("{file} / {title}: operation {op} not checked here"),
                        };
                        left.retain(|f| !matches(&f["properties"][prop]));
                    }
                    if !rules.is_empty() {
                        assert!(
                            left.is_empty(),
                            "{file} / {title}: {} features fall through every rule",
                            left.len()
                        );
                    }
                    layers_checked += 1;
                }
            }
        }
    }
    assert!(api_checked >= 8, "{api_checked} Infinity queries checked");
    assert_eq!(layers_checked, 3, "map layers checked");
    tables_as_grafana_shows_them(&c, &base).await;
    if prometheus.is_some() {
        assert!(prom_checked >= 20, "{prom_checked} PromQL queries checked");
        assert!(
            replica_checked >= 30,
            "{replica_checked} queries checked with two replicas"
        );
        assert!(
            contracts_checked >= 76,
            "{contracts_checked} panel contracts checked"
        );
    }
    replica.stop().await.unwrap();
    server.stop().await.unwrap();
}

/// An instant vector as sorted (labels without the target's, value) pairs.
fn vector(result: &[Value]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = result
        .iter()
        .map(|s| {
            let mut m = s["metric"].as_object().cloned().unwrap_or_default();
            m.remove("instance");
            m.remove("job");
            (
                serde_json::to_string(&m).unwrap(),
                s["value"][1].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The options a Grafana query variable shows for a `query_result(...)` answer: each series as
/// Grafana's Prometheus `metricFindQuery` prints it (`name{k="v",...} value ts`), then the
/// variable's regex applied with JavaScript's own engine (node), taking the named groups `text`
/// and `value` as Grafana's `metricNamesToVariableValues` does.
fn variable_options(result: &[Value], regex: &str) -> Vec<(String, String)> {
    let lines: Vec<String> = result
        .iter()
        .map(|s| {
            let m = s["metric"].as_object().unwrap();
            let name = m.get("__name__").and_then(Value::as_str).unwrap_or("");
            let labels: Vec<String> = m
                .iter()
                .filter(|(k, _)| *k != "__name__")
                .map(|(k, v)| format!("{k}=\"{}\"", v.as_str().unwrap()))
                .collect();
            let ts = s["value"][0].as_f64().unwrap() * 1000.0;
            format!(
                "{name}{{{}}} {} {ts}",
                labels.join(","),
                s["value"][1].as_str().unwrap()
            )
        })
        .collect();
    let script = "const [re, lines] = JSON.parse(process.argv[1]);\
        const m = re.match(/^\\/(.*)\\/([gimsuy]*)$/);\
        const regex = new RegExp(m[1], m[2]);\
        console.log(JSON.stringify(lines.map((l) => { const r = regex.exec(l);\
        return r && r.groups ? [r.groups.text, r.groups.value] : null; })));";
    let node = common::tool("node").expect("node (scripts/test installs it)");
    let out = std::process::Command::new(node)
        .arg("-e")
        .arg(script)
        .arg(serde_json::to_string(&(regex, &lines)).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Vec<Option<(String, String)>> = serde_json::from_slice(&out.stdout).unwrap();
    parsed
        .into_iter()
        .zip(&lines)
        .map(|(o, l)| o.unwrap_or_else(|| panic!("regex {regex} does not match {l}")))
        .collect()
}

/// The area a filled query covers, with the figures the contracts compare against.
struct Scope {
    kreise: usize,
    gemeinden: usize,
    administrations: usize,
    processes: usize,
    size_classes: usize,
    /// The `/api/v1/coverage` row of the area (the Land, or the Kreis).
    coverage: Value,
    /// The `/api/v1/coverage` rows of every Kreis and every size class.
    kreis_rows: Value,
    size_class_rows: Value,
}

impl Scope {
    async fn of(c: &reqwest::Client, base: &str, vars: &[(&str, &str)]) -> Scope {
        let kreis = vars
            .iter()
            .find(|(k, _)| *k == "kreis")
            .map(|(_, v)| v.replace(".*", ""))
            .unwrap_or_default();
        let count = |v: Value| v.as_array().map_or(0, Vec::len);
        let get = |path: String| async move { common::get_json(c, &format!("{base}{path}")).await };
        let coverage = if kreis.is_empty() {
            get("/api/v1/coverage?level=land".into()).await[0].clone()
        } else {
            let rows = get("/api/v1/coverage?level=kreis".into()).await;
            rows.as_array()
                .unwrap()
                .iter()
                .find(|r| r["key"] == kreis.as_str())
                .cloned()
                .unwrap()
        };
        Scope {
            kreise: if kreis.is_empty() {
                count(get("/api/v1/regions?level=kreis".into()).await)
            } else {
                1
            },
            gemeinden: count(get(format!("/api/v1/regions?level=gemeinde&kreis={kreis}")).await),
            administrations: coverage["administrations"].as_u64().unwrap() as usize,
            processes: count(get("/api/v1/ozg/processes".into()).await),
            size_classes: count(get("/api/v1/coverage?level=groessenklasse".into()).await),
            coverage,
            kreis_rows: get("/api/v1/coverage?level=kreis".into()).await,
            size_class_rows: get("/api/v1/coverage?level=groessenklasse".into()).await,
        }
    }
}

/// Checks a Prometheus answer against the panel's contract (see generate.py's CONTRACTS).
fn check_series(contract: &str, r: &[Value], scope: &Scope, what: &str) {
    let values: Vec<f64> = r
        .iter()
        .map(|s| s["value"][1].as_str().unwrap().parse().unwrap())
        .collect();
    // What the panel shows with the demo data (for the README's panel list).
    eprintln!(
        "panel {what}\n  -> {contract}: {} series, sum {}, first {:?}",
        r.len(),
        values.iter().sum::<f64>(),
        values.first()
    );
    let want = |n: usize| assert_eq!(r.len(), n, "{what}: {contract} wants {n} series");
    match contract {
        "one" => want(1),
        "per_art" | "per_programme" | "per_reach" | "per_replica" => want(2),
        "per_kreis" => want(scope.kreise),
        "per_process" => want(scope.processes),
        "per_size_class" => want(scope.size_classes),
        "per_dataset" => want(digitalatlas::model::Dataset::ALL.len()),
        "some" => assert!(!r.is_empty(), "{what}"),
        "histogram" => {
            assert!(r.len() <= 25, "{what}: {} bars", r.len());
            assert_eq!(
                values.iter().sum::<f64>() as usize,
                scope.gemeinden,
                "{what}"
            );
        }
        c if c.starts_with("per_kreis_equals:") || c.starts_with("per_size_class_equals:") => {
            // Each series equals its unit's `/api/v1/coverage` value (a sum of columns with `+`).
            let (spec, label, rows, n) = match c.split_once("_equals:") {
                Some(("per_kreis", spec)) => (spec, "kreis", &scope.kreis_rows, scope.kreise),
                Some((_, spec)) => (
                    spec,
                    "size_class",
                    &scope.size_class_rows,
                    scope.size_classes,
                ),
                None => unreachable!(),
            };
            want(n);
            for (series, value) in r.iter().zip(&values) {
                let key = series["metric"][label].as_str().unwrap_or_else(|| {
                    panic!("{what}: a series without the label {label}: {series}")
                });
                let row = rows
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|row| row["key"] == key)
                    .unwrap_or_else(|| panic!("{what}: no coverage row {key}"));
                let expected: f64 = spec.split('+').map(|col| row[col].as_f64().unwrap()).sum();
                assert!(
                    (value - expected).abs() < 1e-9,
                    "{what}: {label} {key}: {value} != {spec} {expected}"
                );
            }
        }
        c if c.starts_with("equals:") => {
            want(1);
            let col = &c["equals:".len()..];
            let expected = scope.coverage[col].as_f64().unwrap();
            assert!(
                (values[0] - expected).abs() < 1e-9,
                "{what}: {} != {col} {expected}",
                values[0]
            );
        }
        other => panic!("{what}: contract {other} is not for a Prometheus panel"),
    }
}

/// Checks Infinity rows against the panel's contract.
fn check_rows(contract: &str, rows: &[Value], scope: &Scope, what: &str) {
    eprintln!("panel {what}\n  -> {contract}: {} rows", rows.len());
    match contract {
        "rows" | "history" => assert!(!rows.is_empty(), "{what}"),
        "administrations" => assert_eq!(rows.len(), scope.administrations, "{what}"),
        "regierungsbezirke" => assert_eq!(rows.len(), 4, "{what}"),
        other => panic!("{what}: contract {other} is not for an Infinity panel"),
    }
    if contract == "history" {
        let first = rows[0]["date"].as_str().unwrap_or("");
        assert!(first <= "2018-11-30", "{what}: starts {first}");
    }
}

/// `generate.py --api-url URL` writes one URL everywhere a deployment needs it: the Infinity
/// datasource's URL and its `allowedHosts` (else every Infinity panel fails with "requested URL
/// not allowed") and every map layer; a trailing `/` is normalised (no `//api/…`); a URL that is
/// not http(s) is refused.
#[test]
fn generate_py_writes_the_api_url_once_for_datasource_allowed_hosts_and_maps() {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards/grafana/generate.py");
    let dir = tempfile::tempdir().unwrap();
    let (boards, prov) = (
        dir.path().join("dashboards"),
        dir.path().join("provisioning"),
    );
    let run = |api: &str| {
        std::process::Command::new("python3")
            .arg(&script)
            .args([
                "--api-url",
                api,
                "--prometheus-url",
                "http://prometheus:9090/",
            ])
            .arg("--out")
            .arg(&boards)
            .arg("--provisioning-out")
            .arg(&prov)
            .output()
            .expect("python3")
    };
    let out = run("https://atlas.example.org/");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = std::fs::read_to_string(prov.join("digitalatlas.yaml")).unwrap();
    assert!(
        yaml.contains("    url: https://atlas.example.org\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("      allowedHosts:\n        - https://atlas.example.org\n"),
        "{yaml}"
    );
    assert!(yaml.contains("    url: http://prometheus:9090\n"), "{yaml}");
    let mut layers = 0;
    for entry in std::fs::read_dir(&boards).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            !text.contains("127.0.0.1"),
            "a default URL left in a dashboard"
        );
        let d: Value = serde_json::from_str(&text).unwrap();
        for p in panels(&d) {
            for layer in p["options"]["layers"].as_array().into_iter().flatten() {
                let src = layer["config"]["src"].as_str().unwrap_or_default();
                assert!(
                    src.starts_with("https://atlas.example.org/api/v1/geo/"),
                    "{src}"
                );
                layers += 1;
            }
        }
    }
    assert!(layers >= 3, "{layers} map layers");
    let refused = run("ftp://atlas.example.org");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not an http or https base URL"));
}

/// Every Infinity table as a reader sees it, computed by Grafana's data library (@grafana/data,
/// `dashboards/grafana/render.mjs`) from the live API's rows framed the way Infinity's backend
/// frames them (fields in sorted key order): its columns come in the declared order (the
/// panel's columns, the matrix' fixed columns), not alphabetically.
async fn tables_as_grafana_shows_them(c: &reqwest::Client, base: &str) {
    let mut panels_in = Vec::new();
    let mut expected = Vec::new();
    for (_, d) in dashboards() {
        for panel in panels(&d) {
            let t = &panel["targets"][0];
            if panel["type"] != "table" || t["datasource"]["uid"] != "digitalatlas-api" {
                continue;
            }
            let url = format!("{base}{}", fill(t["url"].as_str().unwrap(), &FILLS[1]));
            let rows = common::get_json(c, &url).await;
            let declared: Vec<String> = match t["columns"].as_array().filter(|c| !c.is_empty()) {
                Some(cols) => cols
                    .iter()
                    .map(|c| c["text"].as_str().unwrap().into())
                    .collect(),
                None => vec!["name".into(), "verwaltung".into(), "art".into()],
            };
            expected.push((panel["title"].as_str().unwrap().to_string(), declared));
            panels_in.push(serde_json::json!({
                "title": panel["title"],
                "columns": t["columns"],
                "transformations": panel["transformations"],
                "rows": rows,
            }));
        }
    }
    assert!(expected.len() >= 6, "{} tables", expected.len());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards/grafana");
    let input = serde_json::to_vec(&panels_in).unwrap();
    let shown: Value = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = std::process::Command::new("node")
            .arg(dir.join("render.mjs"))
            .current_dir(&dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node (scripts/test installs it with @grafana/data)");
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "render.mjs failed");
        serde_json::from_slice(&out.stdout).unwrap()
    })
    .await
    .unwrap();
    for ((title, declared), shown) in expected.iter().zip(shown.as_array().unwrap()) {
        let fields: Vec<&str> = shown["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        eprintln!("table {title}: {fields:?}");
        assert!(
            fields.len() >= declared.len() && fields[..declared.len()] == declared[..],
            "{title}: Grafana shows the columns {fields:?}, declared {declared:?}"
        );
    }
}
