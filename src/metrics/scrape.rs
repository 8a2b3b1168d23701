//! The last whole exposition per format and encoding, handed to the next scrape while nothing it
//! shows has changed: the same data version, no request to another route (which is what grows a
//! cache), no chart rendered and no import failure since, and at most [`MAX_AGE`] old (the
//! process' CPU and memory, the snapshot's age and the scrapes' own count move on their own).
//! A scraper polling faster than once a second then costs a reference count, as a static file
//! costs nginx a `sendfile`; Prometheus, scraping every 15 s or so, always gets a fresh one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Exposition;
use arc_swap::ArcSwapOption;

/// How long a whole exposition is handed out again at most.
pub(super) const MAX_AGE: Duration = Duration::from_secs(1);

/// One exposition and what it was made from.
#[derive(Debug)]
struct Rendered {
    data_version: u64,
    changes: u64,
    at: Instant,
    body: Exposition,
}

/// Expositions by [OpenMetrics, text] × [identity, gzip], and the count of changes they show.
#[derive(Debug, Default)]
pub(super) struct ScrapeCache {
    slots: [ArcSwapOption<Rendered>; 4],
    changes: AtomicU64,
}

impl ScrapeCache {
    /// Something a scrape shows has changed: the next one is rendered anew.
    pub(super) fn changed(&self) {
        self.changes.fetch_add(1, Ordering::Relaxed);
    }

    /// The kept exposition while it is current, else `render`'s, kept for the next scrape.
    pub(super) fn get_or_render(
        &self,
        data_version: u64,
        openmetrics: bool,
        gzip: bool,
        render: impl FnOnce() -> Exposition,
    ) -> Exposition {
        let slot = &self.slots[usize::from(openmetrics) * 2 + usize::from(gzip)];
        let changes = self.changes.load(Ordering::Relaxed);
        if let Some(r) = slot.load().as_ref() {
            if r.data_version == data_version && r.changes == changes && r.at.elapsed() < MAX_AGE {
                return r.body.clone();
            }
        }
        let body = render();
        slot.store(Some(Arc::new(Rendered {
            data_version,
            changes,
            at: Instant::now(),
            body: body.clone(),
        })));
        body
    }

    /// Bytes held by the kept expositions.
    pub(super) fn heap_bytes(&self) -> usize {
        self.slots
            .iter()
            .filter_map(|s| s.load().as_ref().map(|r| r.body.own_bytes()))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// The test's view: the body as text.
    struct Cache(ScrapeCache);

    impl Cache {
        fn get_or_render(
            &self,
            version: u64,
            om: bool,
            gzip: bool,
            render: impl FnOnce() -> Exposition,
        ) -> String {
            let body = self.0.get_or_render(version, om, gzip, render).to_bytes();
            String::from_utf8(body.to_vec()).unwrap()
        }

        fn changed(&self) {
            self.0.changed();
        }
    }

    #[test]
    fn hands_out_the_kept_body_until_something_changes() {
        let cache = ScrapeCache::default();
        let renders = Cell::new(0);
        let render = || {
            renders.set(renders.get() + 1);
            Exposition {
                head: format!("render {}", renders.get()).into(),
                tail: Default::default(),
                shared_head: false,
            }
        };
        let cache = Cache(cache);
        assert_eq!(cache.get_or_render(1, true, false, render), "render 1");
        assert_eq!(cache.get_or_render(1, true, false, render), "render 1");
        // Another format or encoding is its own exposition.
        assert_eq!(cache.get_or_render(1, true, true, render), "render 2");
        cache.changed();
        assert_eq!(cache.get_or_render(1, true, false, render), "render 3");
        // A new data version.
        assert_eq!(cache.get_or_render(2, true, false, render), "render 4");
        assert_eq!(cache.get_or_render(2, true, false, render), "render 4");
        std::thread::sleep(MAX_AGE);
        assert_eq!(cache.get_or_render(2, true, false, render), "render 5");
    }
}
