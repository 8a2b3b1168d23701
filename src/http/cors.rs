//! CORS for the public read API, the GeoJSON layers and charts: a Grafana (or any page)
//! on another origin may fetch them from the browser. Never for the HTML pages, the web upload
//! (`/verwaltung`) or the import endpoints, which take a bearer token or a session and must not
//! be callable from other sites' pages.

use axum::http::{header, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Which origins may read: every origin (`*`, the default: the data are public aggregates), a
/// list, or none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CorsOrigins {
    #[default]
    Any,
    List(Vec<String>),
    Off,
}

impl CorsOrigins {
    /// `*`, an empty string (off), or comma-separated origins such as
    /// `https://grafana.example.org,https://intranet.example.org`.
    pub fn parse(value: &str) -> Result<CorsOrigins, String> {
        let value = value.trim();
        if value == "*" {
            return Ok(CorsOrigins::Any);
        }
        if value.is_empty() {
            return Ok(CorsOrigins::Off);
        }
        let origins: Vec<String> = value
            .split(',')
            .map(|o| o.trim().trim_end_matches('/').to_string())
            .filter(|o| !o.is_empty())
            .collect();
        for o in &origins {
            let ok = (o.starts_with("http://") || o.starts_with("https://"))
                && HeaderValue::from_str(o).is_ok();
            if !ok {
                return Err(format!(
                    "{o:?} is not an origin; use e.g. https://grafana.example.org, or * for all"
                ));
            }
        }
        Ok(CorsOrigins::List(origins))
    }

    /// The layer for the read routes (None when CORS is off).
    pub fn layer(&self) -> Option<CorsLayer> {
        let allow = match self {
            CorsOrigins::Off => return None,
            CorsOrigins::Any => AllowOrigin::any(),
            CorsOrigins::List(list) => AllowOrigin::list(
                list.iter()
                    .filter_map(|o| HeaderValue::from_str(o).ok())
                    .collect::<Vec<_>>(),
            ),
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::HEAD])
                .allow_headers([header::ACCEPT, header::IF_NONE_MATCH, header::CONTENT_TYPE])
                .expose_headers([header::ETAG, header::RETRY_AFTER])
                .max_age(std::time::Duration::from_secs(3600)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_origins() {
        assert_eq!(CorsOrigins::parse("*"), Ok(CorsOrigins::Any));
        assert_eq!(CorsOrigins::parse(""), Ok(CorsOrigins::Off));
        assert_eq!(
            CorsOrigins::parse("https://a.example/, http://b.example:3000"),
            Ok(CorsOrigins::List(vec![
                "https://a.example".into(),
                "http://b.example:3000".into()
            ]))
        );
        assert!(CorsOrigins::parse("grafana.example").is_err());
    }
}
