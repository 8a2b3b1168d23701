//! Response headers that keep other sites from misusing the service's pages: the HTML pages
//! and the web upload may not be framed (clickjacking: `Content-Security-Policy:
//! frame-ancestors 'none'`, and for the upload also the older `X-Frame-Options: DENY`), send
//! no address of theirs to other sites (`Referrer-Policy: same-origin`), and no response is
//! read as another type than it declares (`X-Content-Type-Options: nosniff`).

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use super::AppState;

/// `X-Content-Type-Options: nosniff`, for every response.
pub(super) fn nosniff() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    )
}

/// The rules of an HTML page: not framed by any site, no referrer to other sites.
pub(super) fn page(router: Router<AppState>) -> Router<AppState> {
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// The rules of the web upload: a page's, and `X-Frame-Options: DENY` for browsers without
/// `frame-ancestors`.
pub(super) fn upload(router: Router<AppState>) -> Router<AppState> {
    page(router).layer(SetResponseHeaderLayer::if_not_present(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("DENY"),
    ))
}

/// The rule of the card and the badge a Kommune shows on its website: any site may frame them.
pub(super) fn framable(router: Router<AppState>) -> Router<AppState> {
    router.layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors *"),
    ))
}

/// Whether a proxy in front says the client came over HTTPS (`X-Forwarded-Proto`).
pub(super) fn forwarded_https(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}
