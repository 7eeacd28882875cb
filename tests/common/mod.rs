//! Helpers shared by the integration tests that run the binary (each test crate compiles this
//! module for itself and uses part of it).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The crate root: commands run here so that descriptor paths in messages are stable.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/<rel>` (the corpus, Atlassian's validator: a checkout beside this repository).
///
/// When it is missing, the test fails with one line that names it and says how to get it, not
/// with an `unwrap` on `NotFound` several calls later. The line is printed by hand and the test
/// unwinds without the panic hook, so no location or backtrace note is added to it.
pub fn shared(rel: &str) -> PathBuf {
    let path = root().join("../shared").join(rel);
    if !path.exists() {
        eprintln!(
            "../shared/{rel} not found: clone the shared repository as ../shared beside this \
             repository ({})",
            root().display()
        );
        std::panic::resume_unwind(Box::new(format!("../shared/{rel} not found")));
    }
    path
}

/// The binary, run in `dir` with a controlled environment: `CI=true` (as in CI), and none of
/// `NO_COLOR`, `FORCE_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `TERM`, `GITHUB_WORKSPACE` from the
/// caller's.
pub fn c2f_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_connect2forge"));
    cmd.current_dir(dir)
        .env("CI", "true")
        .env_remove("FORCE_COLOR")
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TERM");
    cmd
}

/// Every file under `dir` (relative path → bytes); empty when `dir` does not exist.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// Runs the binary with `args` in the crate root (CI set, no colour), killing it after 60 s:
/// a hang is a failure, not a stuck test run.
pub fn run_timed(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_connect2forge"))
        .current_dir(root())
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The pipes are drained on threads: a review larger than a pipe's buffer must not block.
    let drain = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|r| Box::new(r) as _));
    let err = drain(child.stderr.take().map(|r| Box::new(r) as _));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            let e = err.join().unwrap();
            panic!("{args:?} hung; stderr: {}", String::from_utf8_lossy(&e));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    std::process::Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// The regular files under `dir` (path → bytes), skipping FIFOs and other special files, which
/// [`tree`] would block on.
pub fn regular_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

/// `tests/fixtures/minimal.json` (one background script) with the background scripts
/// `s<i>` (`/bg/<i>`, issue view) for each `i` in `extra` before its own.
pub fn minimal_with_scripts(extra: std::ops::Range<usize>) -> String {
    let minimal = std::fs::read_to_string(root().join("tests/fixtures/minimal.json")).unwrap();
    let scripts: Vec<String> = extra
        .map(|i| format!("{{\"key\": \"s{i}\", \"url\": \"/bg/{i}\", \"location\": {{\"type\": \"issue_view\"}}}}"))
        .collect();
    minimal.replace(
        "\"jiraBackgroundScripts\": [",
        &format!("\"jiraBackgroundScripts\": [\n{},", scripts.join(",\n")),
    )
}

/// `connect2forge migrate DESCRIPTOR --out OUT EXTRA...`, under [`run_timed`]'s time limit.
pub fn migrate_out(descriptor: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["migrate".as_ref(), descriptor.as_os_str()];
    args.extend(["--out".as_ref(), out.as_os_str()]);
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run_timed(&args)
}

/// A run's stderr, as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
