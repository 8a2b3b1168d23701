//! Process memory: the global allocator and how the process hands memory back to the system.
//! Process-wide settings, called once by the binary (`main.rs`, `cli`), and the C heap (SQLite's)
//! trimmed and measured.

/// mimalloc keeps freed memory for reuse instead of handing it back and faulting it in again,
/// which made large imports ~30 % faster than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (v3 `mimalloc.h`; not among libmimalloc-sys' constants).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc hand freed pages back to the system at once instead of after a delay that
/// only runs out when the heap is used again. For the long-running service, which goes idle
/// after start-up and after every import: measured on `serve --demo` of the synthetic Germany,
/// 214 MB steady with the default delay, 124 MB without. Not for the `import` command, which
/// reuses freed memory at a high rate (the 6.5M-row import took 15 % longer without the delay).
pub fn return_freed_memory_at_once() {
    // SAFETY: setting an option has no preconditions; mimalloc reads it at every purge.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
}

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

/// Hands the C heap's free memory back to the system: first SQLite's (its page caches' pages,
/// which it keeps up to each connection's `cache_size`; `sqlite3_release_memory` frees those not
/// in use by a statement), then glibc's free lists. SQLite allocates with the C library's
/// `malloc`, not with the global allocator: an import's 64 MiB cache, released when the
/// connection goes back to reading, stayed resident in glibc's heap (measured: `serve --land all
/// --demo` ready at 147 MB, 94 MB when started again on the same database), and the Baden-
/// Württemberg demo's imports and first snapshot left SQLite holding 20 MB (3 MB after a
/// restart). Called after every import and snapshot rebuild; glibc's part is a no-op where the
/// C library is not glibc.
pub fn trim_c_heap() {
    // SAFETY: sqlite3_release_memory only frees unused page-cache memory under SQLite's own
    // mutexes (thread-safe build, SQLITE_THREADSAFE=1); it takes no pointers.
    unsafe {
        libsqlite3_sys::sqlite3_release_memory(i32::MAX);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Bytes SQLite's allocator holds in this process (page caches, schemas, prepared statements of
/// every connection), for `digitalatlas_cache_bytes{cache="sqlite"}`.
pub fn sqlite_heap_bytes() -> usize {
    // SAFETY: a read of SQLite's memory statistics (kept with SQLITE_DEFAULT_MEMSTATUS, on by
    // default); no pointers.
    let used = unsafe { libsqlite3_sys::sqlite3_memory_used() };
    usize::try_from(used).unwrap_or(0)
}
