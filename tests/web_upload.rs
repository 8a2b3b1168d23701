//! The web upload's protections over real HTTP: the sign-in needs the form token of its page
//! (CSRF), the session cookie is HttpOnly and SameSite=Strict (and Secure behind HTTPS), every
//! form needs the session's token, sessions end after the idle time, and failed sign-ins are
//! limited per client. The whole flow in a browser is in `tests/browser.rs`.

mod common;

use std::sync::Arc;
use std::time::Duration;

use digitalatlas::auth::{hash_token, Tokens};
use digitalatlas::http::AdminState;
use digitalatlas::server;

const TOKEN: &str = "gemeindetag-geheim";

async fn start(idle: Duration) -> (server::RunningServer, common::TestDb) {
    let db = common::sqlite_db();
    let mut state = server::prepare(&db.url).await.unwrap();
    digitalatlas::demo::import(&state.store, digitalatlas::demo::DEFAULT_SEED)
        .await
        .unwrap();
    state.after_import().await;
    state.tokens = Arc::new(
        Tokens::parse(
            &format!("gemeindetag {} qualifikationen", hash_token(TOKEN)),
            "test",
        )
        .unwrap(),
    );
    state.admin = Arc::new(AdminState::with_idle(idle));
    let server = server::start(state, "127.0.0.1:0".parse().unwrap(), false)
        .await
        .unwrap();
    (server, db)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of a `Set-Cookie` named `name`, with its attributes.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string()
}

/// Signs in as a browser would: the login page's form token and cookie, then the form.
async fn sign_in(
    c: &reqwest::Client,
    base: &str,
    token: &str,
    forwarded_https: bool,
) -> reqwest::Response {
    let page = c.get(format!("{base}/verwaltung")).send().await.unwrap();
    let login = set_cookie(&page, "da_login").expect("login cookie");
    let nonce = cookie_value(&login);
    let mut req = c
        .post(format!("{base}/verwaltung/anmelden"))
        .header("cookie", format!("da_login={nonce}"))
        .form(&[("token", token), ("csrf", &nonce)]);
    if forwarded_https {
        req = req.header("x-forwarded-proto", "https");
    }
    req.send().await.unwrap()
}

/// The session's form token, from the upload page.
async fn csrf_of(c: &reqwest::Client, base: &str, session: &str) -> String {
    let page = c
        .get(format!("{base}/verwaltung"))
        .header("cookie", format!("da_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("a form with the session's token")
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_needs_its_form_cookies_are_strict_and_forms_need_the_session_token() {
    let (server, _db) = start(Duration::from_secs(1800)).await;
    let base = common::base_url(&server);
    let c = client();

    // A sign-in posted from elsewhere (no form token of our page) is refused.
    let r = c
        .post(format!("{base}/verwaltung/anmelden"))
        .form(&[("token", TOKEN), ("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let r = sign_in(&c, &base, TOKEN, true).await;
    assert_eq!(r.status(), 303, "redirect to /verwaltung");
    let cookie = set_cookie(&r, "da_session").expect("session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/verwaltung", "Secure"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    let session = cookie_value(&cookie);
    assert!(session.len() >= 64, "a long random secret");
    let plain = sign_in(&c, &base, TOKEN, false).await;
    assert!(
        !set_cookie(&plain, "da_session").unwrap().contains("Secure"),
        "plain HTTP"
    );

    // Signed in: the upload form for the datasets the token may write.
    let page = c
        .get(format!("{base}/verwaltung"))
        .header("cookie", format!("da_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"qualifikationen\""));
    assert!(!page.contains("value=\"aktivierungen\""), "not its scope");
    let csrf = csrf_of(&c, &base, &session).await;

    // A form without the session's token is refused, with it accepted.
    let file = || {
        reqwest::multipart::Part::bytes(b"teilnehmer_id;verwaltung\n".to_vec()).file_name("x.csv")
    };
    let post = |csrf: String| {
        let c = c.clone();
        let base = base.clone();
        let session = session.clone();
        async move {
            let form = reqwest::multipart::Form::new()
                .text("csrf", csrf)
                .text("dataset", "qualifikationen")
                .part("datei", file());
            c.post(format!("{base}/verwaltung/pruefen"))
                .header("cookie", format!("da_session={session}"))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(post("falsch".into()).await.status(), 403);
    let r = post(csrf.clone()).await;
    assert_eq!(r.status(), 422, "checked: the columns are missing");
    let body = r.text().await.unwrap();
    assert!(body.contains("required column missing"), "{body}");

    // Signing out ends the session.
    let r = c
        .post(format!("{base}/verwaltung/abmelden"))
        .header("cookie", format!("da_session={session}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = post(csrf).await;
    assert_eq!(r.status(), 401, "the session is gone");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_and_failed_sign_ins_are_limited() {
    let (server, _db) = start(Duration::from_secs(1)).await;
    let base = common::base_url(&server);
    let c = client();
    let r = sign_in(&c, &base, TOKEN, false).await;
    let session = cookie_value(&set_cookie(&r, "da_session").unwrap());
    let page = c
        .get(format!("{base}/verwaltung"))
        .header("cookie", format!("da_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Angemeldet als"));
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = c
        .get(format!("{base}/verwaltung"))
        .header("cookie", format!("da_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Die Sitzung ist abgelaufen"), "{page}");
    assert!(page.contains("name=\"token\""), "the sign-in form again");

    // Five wrong tokens, then even the right one waits.
    for _ in 0..5 {
        let r = sign_in(&c, &base, "geraten", false).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("nicht bekannt"));
    }
    let r = sign_in(&c, &base, TOKEN, false).await;
    assert_eq!(r.status(), 429);
    server.stop().await.unwrap();
}
