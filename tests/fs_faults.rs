//! File-system faults seen from the command line: each ends with exit 3 (I/O) or 2 (refused),
//! a message naming the path, and no file left half-written. (Write failures half-way through a
//! file are simulated through the write seam in `src/apply.rs`'s unit tests.)

use std::path::Path;
use std::process::{Command, Output};

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/atlassian-connect.json")
}

fn migrate(out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connect2forge"))
        .arg("migrate")
        .arg(example())
        .arg("--out")
        .arg(out)
        .args(["--color", "never"])
        .args(extra)
        .env("CI", "true")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn an_out_dir_that_cannot_be_created_is_exit_3_naming_it() {
    // Root ignores permission bits, so use a file system that refuses everyone.
    let out = Path::new("/sys/connect2forge-test-out");
    if !Path::new("/sys/kernel").is_dir() || std::fs::create_dir(out).is_ok() {
        let _ = std::fs::remove_dir(out);
        eprintln!("skipped: /sys is writable or absent here");
        return;
    }
    let o = migrate(out, &["--yes"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("/sys/connect2forge-test-out"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_lock_held_by_a_live_run_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    std::fs::create_dir(&out).unwrap();
    // This test process is alive: its pid makes the lock current, not stale.
    std::fs::write(
        out.join(".connect2forge.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let o = migrate(&out, &["--yes"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another connect2forge run"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("manifest.yml").exists());
    // Still there: it belongs to the other run.
    assert!(out.join(".connect2forge.lock").exists());
}

#[test]
fn a_stale_lock_from_a_killed_run_is_taken_over() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join(".connect2forge.lock"), "4294967295\n").unwrap();
    let o = migrate(&out, &["--yes"]);
    if !Path::new("/proc/self").exists() {
        assert_eq!(o.status.code(), Some(2));
        return;
    }
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("manifest.yml").is_file());
    assert!(
        !out.join(".connect2forge.lock").exists(),
        "released after the run"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_out_pointing_outside_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let out = tmp.path().join("app");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("static")).unwrap();
    for extra in [&["--dry-run"][..], &["--yes"][..]] {
        let o = migrate(&out, extra);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("outside the output folder"),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("static"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    assert!(!out.join("manifest.yml").exists());
}

#[test]
fn a_file_where_a_folder_should_be_is_refused_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("static"), "not a folder").unwrap();
    let o = migrate(&out, &["--yes"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("a file stands where a folder is needed"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(&out.join("static").display().to_string()),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("manifest.yml").exists());
}

#[test]
fn an_out_path_that_is_a_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    std::fs::write(&out, "x").unwrap();
    let o = migrate(&out, &["--yes"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a folder"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "x");
}

#[test]
fn concurrent_runs_never_interleave_partial_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    let runs: Vec<_> = (0..6)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_connect2forge"))
                .arg("migrate")
                .arg(example())
                .arg("--out")
                .arg(&out)
                .args(["--yes", "--color", "never"])
                .env("CI", "true")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut codes = Vec::new();
    for r in runs {
        let o = r.wait_with_output().unwrap();
        let code = o.status.code();
        // Each run either wrote, found nothing to do, or was refused by the lock / the re-check.
        assert!(
            matches!(code, Some(0) | Some(2)),
            "{code:?}: {}",
            stderr(&o)
        );
        if code == Some(2) {
            let e = stderr(&o);
            assert!(
                e.contains("another connect2forge run")
                    || e.contains("changed on disk after the review"),
                "{e}"
            );
        }
        codes.push(code);
    }
    assert!(codes.contains(&Some(0)));
    assert!(!out.join(".connect2forge.lock").exists());
    // Whatever the interleaving, the result is complete and up to date.
    let o = migrate(&out, &["--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
