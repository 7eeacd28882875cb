//! Thin binary: everything lives in the library; this only hands over the exit code.

// A big app is hundreds of thousands of small JSON values built, moved and freed, which mimalloc
// does much faster than glibc's malloc (figures in docs/performance.md). Built with `no_thp`:
// transparent huge pages made its memory larger and its system time erratic (2 MB pages zeroed
// and compacted on first touch).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    connect2forge::cli::main()
}
