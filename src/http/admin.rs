//! The web upload for people without a command line: `/verwaltung`. An import token is exchanged
//! for a server-side session (cookie HttpOnly, SameSite=Strict, Secure behind HTTPS, expiring
//! after `session_idle` without a request); every form carries the session's CSRF token; failed
//! sign-ins are limited per client address and logged. A file is first checked (the dry run's
//! report as a table), then imported on "Importieren" through the same `import::run` as the CLI
//! and the API: one transaction, the same limits, the same log.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, DefaultBodyLimit, Form, Multipart, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde::Deserialize;

use super::{AppState, Routes};
use crate::auth::{hash_token, random_secret, Scope};
use crate::import::{self, ImportError};
use crate::model::clock::unix_now;
use crate::model::Dataset;
use crate::page::admin as pages;
use crate::store::web::{PendingUpload, WebSession};

const SESSION_COOKIE: &str = "da_session";
const LOGIN_COOKIE: &str = "da_login";
/// Failed sign-ins per client address within [`FAILURE_WINDOW`] before it must wait.
const MAX_FAILURES: u32 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(300);

/// The web upload's settings and its sign-in limiter.
#[derive(Debug)]
pub struct AdminState {
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl Default for AdminState {
    fn default() -> Self {
        AdminState::with_idle(Duration::from_secs(30 * 60))
    }
}

impl AdminState {
    pub fn with_idle(session_idle: Duration) -> AdminState {
        AdminState {
            session_idle,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `ip` has failed too often lately.
    fn blocked(&self, ip: IpAddr) -> bool {
        let Ok(f) = self.failures.lock() else {
            return false;
        };
        f.get(&ip)
            .is_some_and(|(n, since)| *n >= MAX_FAILURES && since.elapsed() < FAILURE_WINDOW)
    }

    fn failed(&self, ip: IpAddr) {
        if let Ok(mut f) = self.failures.lock() {
            f.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
            let e = f.entry(ip).or_insert((0, Instant::now()));
            e.0 += 1;
        }
    }

    fn succeeded(&self, ip: IpAddr) {
        if let Ok(mut f) = self.failures.lock() {
            f.remove(&ip);
        }
    }
}

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/verwaltung", get(home))
        .route("/verwaltung/anmelden", post(sign_in))
        .route("/verwaltung/abmelden", post(sign_out))
        .route(
            "/verwaltung/pruefen",
            // The file is counted against `--max-bytes` while it is read (see `read_upload`).
            post(check).layer(DefaultBodyLimit::disable()),
        )
        .route("/verwaltung/importieren", post(confirm))
        .route("/verwaltung/importe", get(log))
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, Html(body)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: Option<u64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/verwaltung; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    // Behind a proxy that terminates HTTPS the cookies are `Secure`.
    if super::headers::forwarded_https(headers) {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The client's address as the accept loop saw it (behind a proxy: the proxy's).
struct Client(IpAddr);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(a)| a.ip()),
        ))
    }
}

/// The session of the request's cookie, moved on by the idle timeout; `None` when there is none
/// or it expired, or its token is no longer configured.
async fn session(state: &AppState, headers: &HeaderMap) -> Option<WebSession> {
    let secret = cookie(headers, SESSION_COOKIE)?;
    let now = unix_now() as i64;
    let until = now + state.admin.session_idle.as_secs() as i64;
    let s = state
        .store
        .touch_session(&hash_token(&secret), now, until)
        .await
        .ok()??;
    state.tokens.by_name(&s.actor)?;
    Some(s)
}

/// The sign-in page with a fresh form token in a cookie (double submit).
fn login_page(state: &AppState, headers: &HeaderMap, message: Option<&str>) -> Response {
    let Ok(nonce) = random_secret() else {
        return html(StatusCode::SERVICE_UNAVAILABLE, "no randomness".into());
    };
    let demo = state.coverage.snapshot().raw.demo;
    let mut r = html(StatusCode::OK, pages::login(&nonce, message, demo));
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(headers, LOGIN_COOKIE, &nonce, Some(600)),
    );
    r
}

/// The datasets `token` may import, with their German names.
fn writable(state: &AppState, actor: &str) -> Vec<(&'static str, &'static str)> {
    let Some(token) = state.tokens.by_name(actor) else {
        return Vec::new();
    };
    Dataset::ALL
        .into_iter()
        .filter(|d| token.grants(Scope::Import(*d)))
        .map(|d| {
            let label = match d {
                Dataset::Qualifikationen => "Qualifikationen (Teilnehmerlisten der Kursanbieter)",
                Dataset::Prozesse => "Prozesse (Katalog der service-bw-Prozesse)",
                Dataset::Aktivierungen => "Aktivierungen (Freischaltungen je Kommune)",
                Dataset::Konten => "Konten (service-bw-Konten je Stichtag)",
                Dataset::Onlinedienste => {
                    "Onlinedienste (Export des Dashboards Digitale Verwaltung, je ARS)"
                }
            };
            (d.as_str(), label)
        })
        .collect()
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match session(&state, &headers).await {
        Some(s) => {
            let demo = state.coverage.snapshot().raw.demo;
            let datasets = writable(&state, &s.actor);
            html(
                StatusCode::OK,
                pages::upload(&s.actor, &datasets, &s.csrf, demo),
            )
        }
        None => {
            let ended = cookie(&headers, SESSION_COOKIE).is_some();
            login_page(
                &state,
                &headers,
                ended.then_some("Die Sitzung ist abgelaufen. Bitte erneut anmelden."),
            )
        }
    }
}

#[derive(Debug, Deserialize)]
struct SignIn {
    token: String,
    csrf: String,
}

async fn sign_in(
    State(state): State<AppState>,
    Client(ip): Client,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    if state.admin.blocked(ip) {
        tracing::warn!(%ip, "web sign-in refused: too many failed attempts");
        return html(
            StatusCode::TOO_MANY_REQUESTS,
            pages::message(
                "Zu viele Versuche",
                "Zu viele fehlgeschlagene Anmeldungen. Bitte einige Minuten warten.",
                false,
            ),
        );
    }
    let expected = cookie(&headers, LOGIN_COOKIE);
    if expected.as_deref() != Some(form.csrf.as_str()) || form.csrf.is_empty() {
        tracing::warn!(%ip, "web sign-in refused: form token missing or wrong");
        return forbidden();
    }
    let Some(token) = state.tokens.verify(&form.token) else {
        state.admin.failed(ip);
        tracing::warn!(%ip, "web sign-in failed: unknown token");
        return login_page(&state, &headers, Some("Der Token ist nicht bekannt."));
    };
    state.admin.succeeded(ip);
    let (Ok(secret), Ok(csrf)) = (random_secret(), random_secret()) else {
        return html(StatusCode::SERVICE_UNAVAILABLE, "no randomness".into());
    };
    let now = unix_now() as i64;
    let session = WebSession {
        id: hash_token(&secret),
        actor: token.name.clone(),
        csrf,
        expires_at: now + state.admin.session_idle.as_secs() as i64,
    };
    if let Err(e) = state.store.create_session(&session).await {
        tracing::error!(error = %e, "web session not stored");
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            pages::message("Nicht verfügbar", "Die Datenbank antwortet nicht.", false),
        );
    }
    tracing::info!(%ip, actor = %token.name, "web sign-in");
    let mut r = Redirect::to("/verwaltung").into_response();
    let h = r.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(&headers, SESSION_COOKIE, &secret, None),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(&headers, LOGIN_COOKIE, "", Some(0)),
    );
    r
}

fn forbidden() -> Response {
    html(
        StatusCode::FORBIDDEN,
        pages::message(
            "Formular abgelehnt",
            "Das Formular ist ungültig oder veraltet (Schutz vor fremden Formularen). Bitte die \
             Seite neu laden und es erneut versuchen.",
            false,
        ),
    )
}

fn expired(state: &AppState, headers: &HeaderMap) -> Response {
    let mut r = login_page(
        state,
        headers,
        Some("Die Sitzung ist abgelaufen. Bitte erneut anmelden."),
    );
    *r.status_mut() = StatusCode::UNAUTHORIZED;
    r
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let Some(s) = session(&state, &headers).await else {
        return Redirect::to("/verwaltung").into_response();
    };
    if form.csrf != s.csrf {
        return forbidden();
    }
    let _ = state.store.end_session(&s.id, unix_now() as i64).await;
    let mut r = Redirect::to("/verwaltung").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, SESSION_COOKIE, "", Some(0)),
    );
    r
}

/// The fields of the upload form, the file counted against the size limit while it arrives.
struct Upload {
    csrf: String,
    dataset: String,
    file_name: String,
    content_type: String,
    bytes: Vec<u8>,
}

impl Upload {
    /// The file name tells CSV from XLSX or JSON where the browser sends no useful type.
    fn format_hint(&self) -> String {
        if self.content_type.is_empty() || self.content_type == "application/octet-stream" {
            self.file_name.clone()
        } else {
            self.content_type.clone()
        }
    }
}

enum UploadError {
    TooLarge,
    Malformed(String),
}

async fn read_upload(mut form: Multipart, limit: usize) -> Result<Upload, UploadError> {
    let mut u = Upload {
        csrf: String::new(),
        dataset: String::new(),
        file_name: String::new(),
        content_type: String::new(),
        bytes: Vec::new(),
    };
    let bad = |e: axum::extract::multipart::MultipartError| UploadError::Malformed(e.to_string());
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "csrf" => u.csrf = field.text().await.map_err(bad)?,
            "dataset" => u.dataset = field.text().await.map_err(bad)?,
            "datei" => {
                u.file_name = field.file_name().unwrap_or("upload").to_string();
                u.content_type = field.content_type().unwrap_or("").to_string();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if u.bytes.len() + chunk.len() > limit {
                        return Err(UploadError::TooLarge);
                    }
                    u.bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    Ok(u)
}

async fn check(State(state): State<AppState>, headers: HeaderMap, form: Multipart) -> Response {
    let Some(s) = session(&state, &headers).await else {
        return expired(&state, &headers);
    };
    let demo = state.coverage.snapshot().raw.demo;
    // One body at a time, as for the API's uploads.
    let _turn = match state.pools.upload().await {
        Ok(turn) => turn,
        Err(busy) => return busy,
    };
    let upload = match read_upload(form, state.limits.max_bytes).await {
        Ok(u) => u,
        Err(e) => return upload_refused(e, state.limits.max_bytes, demo),
    };
    if upload.csrf != s.csrf {
        return forbidden();
    }
    let dataset = match permitted_dataset(&state, &headers, &s, &upload.dataset, demo) {
        Ok(d) => d,
        Err(refusal) => return refusal,
    };
    let format_hint = upload.format_hint();
    let request = import::Request {
        dataset,
        source_name: upload.file_name.clone(),
        input: import::Input::Bytes(&upload.bytes),
        format_hint: Some(format_hint.clone()),
        dry_run: true,
        actor: s.actor.clone(),
        stichtag: None,
    };
    let result = state.import(&request).await;
    let outcome = match DryRun::of(result, demo) {
        Ok(o) => o,
        Err(refusal) => return refusal,
    };
    let mut upload_id = None;
    if outcome.counts.is_some() {
        match keep_pending(&state, &s, dataset, &upload, format_hint, demo).await {
            Ok(id) => upload_id = Some(id),
            Err(refusal) => return refusal,
        }
    }
    let page = pages::checked(
        &pages::Checked {
            file: &upload.file_name,
            dataset: dataset.as_str(),
            counts: outcome.counts,
            issues: outcome.issues,
            warnings: &outcome.warnings,
            upload: upload_id.as_deref(),
            csrf: &s.csrf,
        },
        demo,
    );
    let status = if outcome.counts.is_some() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html(status, page)
}

/// The page for an upload form that could not be read.
fn upload_refused(e: UploadError, limit: usize, demo: bool) -> Response {
    match e {
        UploadError::TooLarge => html(
            StatusCode::PAYLOAD_TOO_LARGE,
            pages::message(
                "Datei zu groß",
                &format!("Die Datei ist größer als {limit} Bytes; nichts wurde übernommen."),
                demo,
            ),
        ),
        UploadError::Malformed(m) => html(
            StatusCode::BAD_REQUEST,
            pages::message("Formular unvollständig", &m, demo),
        ),
    }
}

/// The dataset named in the form, if the session's token may write it.
// The refusal is the page itself, built once per request; boxing it gains nothing.
#[allow(clippy::result_large_err)]
fn permitted_dataset(
    state: &AppState,
    headers: &HeaderMap,
    s: &WebSession,
    name: &str,
    demo: bool,
) -> Result<Dataset, Response> {
    let Some(dataset) = Dataset::parse(name) else {
        return Err(html(
            StatusCode::BAD_REQUEST,
            pages::message("Unbekannte Datenart", name, demo),
        ));
    };
    let Some(token) = state.tokens.by_name(&s.actor) else {
        return Err(expired(state, headers));
    };
    if !token.grants(Scope::Import(dataset)) {
        return Err(html(
            StatusCode::FORBIDDEN,
            pages::message(
                "Nicht erlaubt",
                &format!("Dieser Token darf „{dataset}“ nicht einspielen."),
                demo,
            ),
        ));
    }
    Ok(dataset)
}

/// What a dry run found: the counts (total, inserted, updated, unchanged) when the file can be
/// imported, or the rows of its validation report.
struct DryRun {
    counts: Option<[i64; 4]>,
    warnings: Vec<String>,
    issues: Vec<[String; 4]>,
}

impl DryRun {
    #[allow(clippy::result_large_err)] // as for `permitted_dataset`
    fn of(result: Result<import::Summary, ImportError>, demo: bool) -> Result<DryRun, Response> {
        match result {
            Ok(summary) => {
                let c = summary.counts;
                Ok(DryRun {
                    counts: Some([c.total, c.inserted, c.updated, c.unchanged]),
                    warnings: summary.warnings,
                    issues: Vec::new(),
                })
            }
            Err(ImportError::Invalid(report) | ImportError::Unreadable(report)) => Ok(DryRun {
                counts: None,
                warnings: report.warnings.clone(),
                issues: report
                    .issues
                    .iter()
                    .map(|i| {
                        [
                            i.line.to_string(),
                            i.column.clone(),
                            i.value.clone(),
                            i.reason.clone(),
                        ]
                    })
                    .collect(),
            }),
            Err(e @ ImportError::TooLarge { .. }) => Err(html(
                StatusCode::PAYLOAD_TOO_LARGE,
                pages::message("Datei zu groß", &e.to_string(), demo),
            )),
            Err(e) => Err(html(
                StatusCode::SERVICE_UNAVAILABLE,
                pages::message("Nicht verfügbar", &e.to_string(), demo),
            )),
        }
    }
}

/// Keeps a checked file for the session until "Importieren"; returns its id.
async fn keep_pending(
    state: &AppState,
    s: &WebSession,
    dataset: Dataset,
    upload: &Upload,
    format_hint: String,
    demo: bool,
) -> Result<String, Response> {
    let Ok(id) = random_secret() else {
        return Err(html(
            StatusCode::SERVICE_UNAVAILABLE,
            "no randomness".into(),
        ));
    };
    let pending = PendingUpload {
        id: id.clone(),
        session_id: s.id.clone(),
        dataset: dataset.as_str().to_string(),
        source_name: upload.file_name.clone(),
        format_hint,
        content: base64::engine::general_purpose::STANDARD.encode(&upload.bytes),
        expires_at: s.expires_at,
    };
    match state.store.save_upload(&pending).await {
        Ok(()) => Ok(id),
        Err(e) => Err(html(
            StatusCode::SERVICE_UNAVAILABLE,
            pages::message("Nicht verfügbar", &e.to_string(), demo),
        )),
    }
}

#[derive(Debug, Deserialize)]
struct Confirm {
    csrf: String,
    upload: String,
}

async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Confirm>,
) -> Response {
    let Some(s) = session(&state, &headers).await else {
        return expired(&state, &headers);
    };
    if form.csrf != s.csrf {
        return forbidden();
    }
    let demo = state.coverage.snapshot().raw.demo;
    let pending =
        match state
            .store
            .take_upload(&form.upload, &s.id, unix_now() as i64)
            .await
        {
            Ok(Some(p)) => p,
            Ok(None) => return html(
                StatusCode::GONE,
                pages::message(
                    "Nicht mehr vorhanden",
                    "Diese Prüfung ist abgelaufen oder wurde schon importiert. Bitte die Datei \
                     erneut hochladen.",
                    demo,
                ),
            ),
            Err(e) => {
                return html(
                    StatusCode::SERVICE_UNAVAILABLE,
                    pages::message("Nicht verfügbar", &e.to_string(), demo),
                )
            }
        };
    let (Some(dataset), Ok(bytes)) = (
        Dataset::parse(&pending.dataset),
        base64::engine::general_purpose::STANDARD.decode(&pending.content),
    ) else {
        return forbidden();
    };
    let Some(token) = state.tokens.by_name(&s.actor) else {
        return expired(&state, &headers);
    };
    if !token.grants(Scope::Import(dataset)) {
        return forbidden();
    }
    let request = import::Request {
        dataset,
        source_name: pending.source_name.clone(),
        input: import::Input::Bytes(&bytes),
        format_hint: Some(pending.format_hint.clone()),
        dry_run: false,
        actor: s.actor.clone(),
        stichtag: None,
    };
    match state.import(&request).await {
        Ok(summary) => {
            state.after_import_of(&summary).await;
            Redirect::to("/verwaltung/importe").into_response()
        }
        Err(e) => {
            state.metrics.import_failed(dataset.as_str(), e.reason());
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                pages::message("Import fehlgeschlagen", &e.to_string(), demo),
            )
        }
    }
}

async fn log(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(s) = session(&state, &headers).await else {
        return expired(&state, &headers);
    };
    let demo = state.coverage.snapshot().raw.demo;
    let all = state
        .tokens
        .by_name(&s.actor)
        .is_some_and(|t| t.grants(Scope::ReadImports));
    let (imported, failed) = match tokio::try_join!(
        state.store.import_log(200),
        state.store.import_failures(200)
    ) {
        Ok(both) => both,
        Err(e) => {
            return html(
                StatusCode::SERVICE_UNAVAILABLE,
                pages::message("Nicht verfügbar", &e.to_string(), demo),
            )
        }
    };
    // Without `imports:read` a token sees its own imports only.
    let mut rows: Vec<(String, Vec<String>)> = imported
        .into_iter()
        .filter(|e| all || e.actor == s.actor)
        .map(|e| {
            (
                e.imported_at.clone(),
                vec![
                    e.imported_at,
                    e.dataset,
                    e.source_name,
                    e.actor,
                    "importiert".into(),
                    e.rows_total.to_string(),
                    e.inserted.to_string(),
                    e.updated.to_string(),
                    e.unchanged.to_string(),
                ],
            )
        })
        .chain(
            failed
                .into_iter()
                .filter(|f| all || f.actor == s.actor)
                .map(|f| {
                    (
                        f.failed_at.clone(),
                        vec![
                            f.failed_at,
                            f.dataset,
                            f.source_name,
                            f.actor,
                            format!("abgelehnt: {}", f.message),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                        ],
                    )
                }),
        )
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0));
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
    html(StatusCode::OK, pages::log(&rows, demo))
}
