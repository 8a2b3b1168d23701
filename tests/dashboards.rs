//! The Grafana dashboards against the real service with the demo data: every PromQL expression,
//! with its template variables filled, returns a non-empty result from a real Prometheus that
//! scraped the service, and the same result from a Prometheus that scraped two replicas (the
//! figure dashboards; the Betrieb dashboard is per instance by design); every Infinity URL answers 200 with rows that carry every field the
//! panel uses; every map layer URL answers GeoJSON. (Their schema is checked by
//! dashboards/grafana/validate.mjs in scripts/test.)

mod common;
#[path = "dashboards/reader.rs"]
mod reader;

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
const FILLS: [[(&str, &str); 3]; 2] = [
    [
        ("regierungsbezirk", "081"),
        ("kreis", "08115"),
        ("process", "SP03"),
    ],
    [
        ("regierungsbezirk", ".*"),
        ("kreis", ".*"),
        ("process", "SP03"),
    ],
];

fn fill(text: &str, vars: &[(&str, &str)]) -> String {
    // The time picker's end, which the figures take as their Stichtag.
    let today = &digitalatlas::model::clock::now_rfc3339()[..10];
    let mut s = text
        .replace("${__to:date:YYYY-MM-DD}", today)
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
    let mut links_checked = 0;
    let mut reader_in = Vec::new();
    let mut reader_panels = Vec::new();
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
                    // Region keys are digits, process ids such as SP03.
                    let key_like = if v["name"] == "process" {
                        key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    } else {
                        key.chars().all(|c| c.is_ascii_digit())
                    };
                    assert!(
                        key_like && !text.is_empty() && text != key,
                        "{file}: {} option {text:?} = {key:?}: want a name shown for a key",
                        v["name"]
                    );
                }
                if v["name"] == "process" {
                    assert!(
                        options.iter().any(|(_, k)| k == "SP03"),
                        "{file}: {options:?}"
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
            let contract = contracts[uid][&title]["data"]
                .as_str()
                .unwrap_or_else(|| panic!("{file} / {title}: no contract in contracts.json"))
                .to_string();
            let shows = contracts[uid][&title]["shows"].clone();
            // What the panel got for "All", for render.mjs (None: a target was not asked).
            let mut data = Some(Vec::new());
            // On a dashboard with the area filters, a panel follows them or says it shows the
            // whole Land.
            let targets = panel["targets"].as_array().cloned().unwrap_or_default();
            let follows = targets.iter().any(|t| {
                [&t["expr"], &t["url"]]
                    .iter()
                    .any(|q| q.as_str().is_some_and(|q| q.contains("$kreis")))
            });
            let no_data = targets.is_empty();
            assert!(
                !filtered
                    || follows
                    || no_data
                    || title.contains("Land")
                    || title == "Datengrundlage"
                    || title == "Datenstand",
                "{file} / {title}: ignores the Kreis filter without saying so"
            );
            if contract == "text" || contract == "layers" {
                assert!(no_data, "{file} / {title}: {contract} without a query");
            }
            if shows["map"] == "legend_beside" {
                // A legend panel right of the map, on the same row.
                let all = panels(&d);
                let at = &panel["gridPos"];
                let right = at["x"].as_u64().unwrap() + at["w"].as_u64().unwrap();
                assert!(
                    all.iter().any(|p| p["type"] == "text"
                        && p["gridPos"]["y"] == at["y"]
                        && p["gridPos"]["x"].as_u64() == Some(right)),
                    "{file} / {title}: no legend beside the map"
                );
            }
            for t in &targets {
                let ds = t["datasource"]["uid"].as_str().unwrap();
                match ds {
                    "digitalatlas-prometheus" => {
                        let Some(p) = &prometheus else {
                            data = None;
                            continue;
                        };
                        for (vars, scope) in FILLS.iter().zip(&scopes) {
                            let expr = fill(t["expr"].as_str().unwrap(), vars);
                            let r = common::prom_query(&c, &p.url, &expr).await;
                            assert!(!r.is_empty(), "{file} / {title}: empty result for {expr}");
                            let all = std::ptr::eq(vars, &FILLS[1]);
                            let Some(two) = &replicated else {
                                if all {
                                    data = None;
                                }
                                continue;
                            };
                            let r2 = common::prom_query(&c, &two.url, &expr).await;
                            // What the panel must show, with two replicas scraped.
                            check_series(
                                &contract,
                                &r2,
                                scope,
                                &format!("{file} / {title}: {expr}"),
                            );
                            if all {
                                if let Some(data) = data.as_mut() {
                                    data.push(reader::prometheus_data(t, &r2));
                                }
                            }
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
                            if std::ptr::eq(vars, &FILLS[1]) {
                                if let Some(data) = data.as_mut() {
                                    data.push(reader::infinity_data(t, &Value::from(rows.clone())));
                                }
                            }
                            contracts_checked += 1;
                            if title == "Kommune × Prozess" {
                                // Every column the panel does not rename (the matrix' fixed
                                // columns, in words) is a process column, headed by the
                                // process' name, holding 1 or 0 (shown ✓ / –: the reader check).
                                let organize = panel["transformations"]
                                    .as_array()
                                    .unwrap()
                                    .iter()
                                    .find(|t| t["id"] == "organize")
                                    .expect("organize");
                                let fixed: Vec<&str> = organize["options"]["renameByName"]
                                    .as_object()
                                    .unwrap()
                                    .keys()
                                    .map(String::as_str)
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
                                // within the dashboard's time range (the picker's default).
                                assert!(panel["timeFrom"].is_null(), "{file} / {title}: timeFrom");
                                let from = d["time"]["from"].as_str().unwrap_or_default();
                                assert!(
                                    ("2018-01-01".."2018-11-30").contains(&&from[..10.min(from.len())]),
                                    "{file} / {title}: the range starts {from}, not in 2018 before November's end"
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
                    // A tooltip shows every property: the layer carries the few in German.
                    if layer["tooltip"] == true {
                        for f in features {
                            let props = f["properties"].as_object().unwrap();
                            assert!(
                                props.len() <= 8,
                                "{file} / {title}: {} properties",
                                props.len()
                            );
                            for k in props.keys() {
                                assert!(
                                    !k.contains('_') && k.starts_with(char::is_uppercase),
                                    "{file} / {title}: tooltip property {k}"
                                );
                            }
                        }
                    }
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
            let what = format!("{file} / {title}");
            links_checked += check_links(&c, &base, &panel, &what).await;
            if no_data {
                reader::check(&panel, &serde_json::json!({}), &shows, 0, &what);
            } else if let Some(data) = data {
                reader_in.push(reader::panel_input(&panel, data));
                reader_panels.push((what, panel.clone(), shows));
            }
        }
    }
    assert!(api_checked >= 8, "{api_checked} Infinity queries checked");
    assert_eq!(layers_checked, 6, "map layers checked");
    assert!(
        links_checked >= 12,
        "{links_checked} panel and data links checked"
    );
    // What a reader sees, computed by Grafana's data library from the answers for "All".
    let shown = tokio::task::spawn_blocking(move || reader::render(&reader_in))
        .await
        .unwrap();
    assert_eq!(shown.len(), reader_panels.len());
    for ((what, panel, shows), shown) in reader_panels.iter().zip(&shown) {
        reader::check(panel, shown, shows, scopes[1].gemeinden, what);
    }
    if prometheus.is_some() {
        assert!(shown.len() >= 50, "{} panels rendered", shown.len());
    }
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
    /// The `/api/v1/coverage` rows of every Kreis.
    kreis_rows: Value,
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
        }
    }
}

/// A panel's links as a reader follows them: each panel link ("Als Excel-Arbeitsmappe", with
/// the filters and Stichtag on screen) answers a workbook; each data link names a field the
/// panel shows and, filled with a real key, reaches a page. Returns how many were followed.
async fn check_links(c: &reqwest::Client, base: &str, panel: &Value, what: &str) -> usize {
    let mut n = 0;
    for link in panel["links"].as_array().into_iter().flatten() {
        let url =
            fill(link["url"].as_str().unwrap(), &FILLS[0]).replace("http://127.0.0.1:8080", base);
        let r = c.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200, "{what}: {url}");
        let kind = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(
            kind.contains("spreadsheetml"),
            "{what}: {url} answers {kind}"
        );
        n += 1;
    }
    // The fields a data link may name: the declared columns and the matrix' renamed ones.
    let mut shown: Vec<String> = Vec::new();
    for t in panel["targets"].as_array().into_iter().flatten() {
        for col in t["columns"].as_array().into_iter().flatten() {
            shown.push(col["text"].as_str().unwrap().to_string());
        }
    }
    for t in panel["transformations"].as_array().into_iter().flatten() {
        for v in t["options"]["renameByName"]
            .as_object()
            .into_iter()
            .flatten()
        {
            shown.push(v.1.as_str().unwrap().to_string());
        }
    }
    let overrides = panel["fieldConfig"]["overrides"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for prop in overrides
        .iter()
        .flat_map(|o| o["properties"].as_array().cloned().unwrap_or_default())
    {
        if prop["id"] != "links" {
            continue;
        }
        for link in prop["value"].as_array().unwrap() {
            let url = link["url"].as_str().unwrap();
            let (head, rest) = url.split_once("${__data.fields[\"").expect("a data link");
            let (field, tail) = rest.split_once("\"]}").unwrap();
            assert!(
                shown.iter().any(|s| s == field),
                "{what}: data link names {field}, not shown"
            );
            let key = if head.ends_with("/kreis/") {
                "08115"
            } else {
                "08115003"
            };
            let url = format!("{head}{key}{tail}").replace("http://127.0.0.1:8080", base);
            assert_eq!(
                c.get(&url).send().await.unwrap().status(),
                200,
                "{what}: {url}"
            );
            n += 1;
        }
    }
    n
}

/// A contract's figure spec `A+B[*F]`: the columns summed, times the factor (a share shown in
/// percent: `*100`).
fn expected(spec: &str, row: &Value, what: &str) -> f64 {
    let (cols, factor) = match spec.split_once('*') {
        Some((cols, f)) => (cols, f.parse::<f64>().unwrap()),
        None => (spec, 1.0),
    };
    let sum: f64 = cols
        .split('+')
        .map(|col| {
            row[col]
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: no column {col}"))
        })
        .sum();
    sum * factor
}

/// Checks a Prometheus answer against the panel's contract (see generate.py's contracts).
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
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
    match contract {
        "one" => want(1),
        "per_art" | "per_programme" | "per_reach" | "per_replica" => want(2),
        "per_kreis" => want(scope.kreise),
        "per_process" => want(scope.processes),
        "per_dataset" => want(digitalatlas::model::Dataset::ALL.len()),
        "gemeinden" => want(scope.gemeinden),
        "some" => assert!(!r.is_empty(), "{what}"),
        c if c.starts_with("per_kreis_equals:") => {
            // Each series equals its Kreis' `/api/v1/coverage` value.
            let spec = &c["per_kreis_equals:".len()..];
            want(scope.kreise);
            for (series, value) in r.iter().zip(&values) {
                let key = series["metric"]["kreis"].as_str().unwrap_or_else(|| {
                    panic!("{what}: a series without the label kreis: {series}")
                });
                let row = scope
                    .kreis_rows
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|row| row["key"] == key)
                    .unwrap_or_else(|| panic!("{what}: no coverage row {key}"));
                let e = expected(spec, row, what);
                assert!(
                    close(*value, e),
                    "{what}: kreis {key}: {value} != {spec} {e}"
                );
            }
        }
        c if c.starts_with("equals:") => {
            want(1);
            let spec = &c["equals:".len()..];
            let e = expected(spec, &scope.coverage, what);
            assert!(close(values[0], e), "{what}: {} != {spec} {e}", values[0]);
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
        "per_kreis_rows" => assert_eq!(rows.len(), scope.kreise, "{what}"),
        "regierungsbezirke" => assert_eq!(rows.len(), 4, "{what}"),
        "size_classes" => assert_eq!(rows.len(), scope.size_classes, "{what}"),
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
    // The version switch: German units with symbols need Grafana 12.1's `currency:financial:`;
    // for an older Grafana the shares get `percent`, and before 10.4 nothing is written.
    let units = |version: &str| {
        let out = std::process::Command::new("python3")
            .arg(&script)
            .args(["--grafana-version", version, "--out"])
            .arg(&boards)
            .arg("--provisioning-out")
            .arg(&prov)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(boards.join("digitalatlas-lotsen.json")).unwrap()
    };
    let current = units("12.1");
    assert!(current.contains("\"currency:financial: %:suffix\""));
    let older = units("11.6");
    assert!(!older.contains("currency:financial") && older.contains("\"unit\": \"percent\""));
    let out = std::process::Command::new("python3")
        .arg(&script)
        .args(["--grafana-version", "9.5", "--out"])
        .arg(&boards)
        .output()
        .unwrap();
    assert!(!out.status.success());
}
