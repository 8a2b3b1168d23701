//! digitalatlas: which Kommunen in Baden-Württemberg have trained Kommunale Digitallotsen and which
//! OZG online services they have switched on in service-bw. See ARCHITECTURE.md for the map.

// What is `pub` is the library's API for the binary, the tests, the benches and the fuzz targets;
// everything else is `pub(crate)` or private.
#![warn(unreachable_pub, missing_debug_implementations)]

pub mod auth;
mod boundaries;
pub mod charts;
pub mod cli;
pub mod clock;
pub mod config;
pub mod coverage;
pub mod demo;
mod error;
mod export;
mod format;
pub mod http;
pub mod import;
pub mod metrics;
pub mod model;
pub mod page;
mod rebuild;
pub mod registry;
pub mod report;
pub mod server;
pub mod store;

/// mimalloc keeps freed memory for reuse instead of handing it back and faulting it in again,
/// which made large imports ~30 % faster than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps the process on small (4 KiB) pages: mimalloc reserves its arenas with
/// `MADV_HUGEPAGE`, so that on a kernel with transparent huge pages one touched byte made 2 MiB
/// resident (measured: 53 of the 71 MB of a Baden-Württemberg `serve --demo` were huge pages;
/// 41 MB without). Called first thing by the binary; the kernel then maps small pages for the
/// whole process, also in regions mapped before the call.
pub fn use_small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; it reads no memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
