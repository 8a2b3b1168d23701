//! The standard `process_*` metrics (CPU, memory, open files) read from `/proc/self` — at most
//! once a second, however often it is scraped (four files per reading, the bulk of a gzip
//! scrape's cost) — under the names Prometheus' own client libraries use, so that stock
//! dashboards and alerts work. Empty where `/proc` does not exist.

use std::sync::atomic::AtomicU64;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

/// What `/proc/self` says now.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcessStats {
    pub cpu_seconds: f64,
    pub resident_bytes: f64,
    pub virtual_bytes: f64,
    pub open_fds: f64,
    pub max_fds: f64,
    pub start_time_seconds: f64,
}

/// How long a reading serves.
const FRESH: std::time::Duration = std::time::Duration::from_secs(1);

/// The stats of this process (Linux only), read anew when the last reading is older than a
/// second.
pub fn read() -> Option<ProcessStats> {
    static LAST: std::sync::Mutex<Option<(std::time::Instant, ProcessStats)>> =
        std::sync::Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((at, stats)) = *last {
        if at.elapsed() < FRESH {
            return Some(stats);
        }
    }
    let stats = read_now()?;
    *last = Some((std::time::Instant::now(), stats));
    Some(stats)
}

/// Reads the stats of this process now.
fn read_now() -> Option<ProcessStats> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain blanks.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
    // SAFETY: sysconf only reads a configuration value.
    let (ticks, page) = unsafe {
        (
            libc::sysconf(libc::_SC_CLK_TCK) as f64,
            libc::sysconf(libc::_SC_PAGESIZE) as f64,
        )
    };
    // stat(5): utime is field 14, stime 15, starttime 22, vsize 23, rss 24 (1-based, with pid
    // and comm as fields 1 and 2, so index = field - 3 here).
    let boot = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime ")?.trim().parse::<f64>().ok())?;
    let open_fds = std::fs::read_dir("/proc/self/fd").ok()?.count() as f64;
    let max_fds = std::fs::read_to_string("/proc/self/limits")
        .ok()?
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3)?.parse::<f64>().ok())
        .unwrap_or(0.0);
    Some(ProcessStats {
        cpu_seconds: (num(11)? + num(12)?) / ticks,
        start_time_seconds: boot + num(19)? / ticks,
        virtual_bytes: num(20)?,
        resident_bytes: num(21)? * page,
        open_fds,
        max_fds,
    })
}

/// The stats as a registry of their own, encoded with the live self-metrics.
pub fn registry() -> Registry {
    let mut reg = Registry::default();
    let Some(s) = read() else { return reg };
    let gauge = |v: f64| {
        let g = Gauge::<f64, AtomicU64>::default();
        g.set(v);
        g
    };
    let cpu = Counter::<f64, AtomicU64>::default();
    cpu.inc_by(s.cpu_seconds);
    reg.register(
        "process_cpu_seconds",
        "Total user and system CPU time spent in seconds",
        cpu,
    );
    for (name, help, v) in [
        (
            "process_resident_memory_bytes",
            "Resident memory size in bytes",
            s.resident_bytes,
        ),
        (
            "process_virtual_memory_bytes",
            "Virtual memory size in bytes",
            s.virtual_bytes,
        ),
        (
            "process_open_fds",
            "Number of open file descriptors",
            s.open_fds,
        ),
        (
            "process_max_fds",
            "Maximum number of open file descriptors",
            s.max_fds,
        ),
        (
            "process_start_time_seconds",
            "Start time of the process since unix epoch in seconds",
            s.start_time_seconds,
        ),
    ] {
        reg.register(name, help, gauge(v));
    }
    reg
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_this_process() {
        let s = super::read().expect("/proc/self");
        assert!(s.resident_bytes > 1e6, "{s:?}");
        assert!(s.open_fds >= 3.0 && s.max_fds >= s.open_fds, "{s:?}");
        assert!(s.start_time_seconds > 1.6e9, "{s:?}");
    }
}
