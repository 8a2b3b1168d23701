//! Helpers shared by the bench binaries (included with `mod support;`).

/// The process' peak resident set size, from /proc (Linux).
#[allow(dead_code)] // not every bench reports its own peak
pub fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// A free loopback port.
#[allow(dead_code)] // not every bench starts a server
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `kB` field of another process' `/proc/PID/status` (`VmRSS:`, `VmHWM:`), 0 if unreadable.
#[allow(dead_code)] // not every bench watches a child process
pub fn status_kb(pid: u32, field: &str) -> i64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix(field)
                    .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            })
        })
        .unwrap_or(0)
}
