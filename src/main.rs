//! Thin binary: everything lives in the library; this only hands over the exit code.

// A big app is hundreds of thousands of small JSON values built, moved and freed: mimalloc
// halves the wall time of a 20,000-module run against glibc's malloc (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    connect2forge::cli::main()
}
