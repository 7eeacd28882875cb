//! File-system faults seen from the command line: each ends with exit 3 (I/O) or 2 (refused),
//! a message naming the path, and no file left half-written; a FIFO or a device is refused
//! without being read (every run here is killed after 60 s: a hang fails the test), and a
//! signal during a write finishes the file being written. Write failures half-way through a
//! file are simulated through the write seam (`review::plan::write_with`): in its unit tests
//! and in `tests/regression.rs`.

mod common;
use common::stderr;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn example() -> std::path::PathBuf {
    common::root().join("examples/atlassian-connect.json")
}

/// `migrate DESCRIPTOR --out OUT --color never EXTRA...`, killed after 60 s.
fn migrate_from(descriptor: &Path, out: &Path, extra: &[&str]) -> Output {
    let args: Vec<&str> = ["--color", "never"]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    common::migrate_out(descriptor, out, &args)
}

/// [`migrate_from`] the bundled example.
fn migrate(out: &Path, extra: &[&str]) -> Output {
    migrate_from(&example(), out, extra)
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

/// Issue 11.1: a FIFO at a file the tool reads from `--out` (the manifest, the kept base, a
/// scaffold file, the lock) made every mode block forever in `open`/`read`. Each is now refused
/// (exit 2) with its path, and nothing is written.
#[cfg(unix)]
#[test]
fn fifo_at_manifest_is_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    let o = migrate_from(&example(), &out, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let scaffold = common::tree(&out)
        .into_keys()
        .find(|p| p.ends_with("package.json"))
        .unwrap();
    for rel in [
        Path::new("manifest.yml"),
        Path::new(".connect2forge/record.json"),
        scaffold.as_path(),
        Path::new(".connect2forge.lock"),
    ] {
        let target = out.join(rel);
        let saved = std::fs::read(&target).ok();
        let _ = std::fs::remove_file(&target);
        common::mkfifo(&target);
        // Only a run that writes takes the lock: give it something to write.
        let lock = rel.ends_with(".connect2forge.lock");
        let manifest = lock.then(|| std::fs::read(out.join("manifest.yml")).unwrap());
        if lock {
            std::fs::remove_file(out.join("manifest.yml")).unwrap();
        }
        let before = common::regular_tree(&out);
        let modes: &[&str] = match lock {
            true => &["--yes"],
            false => &["--check", "--dry-run", "--yes"],
        };
        for mode in modes {
            let o = migrate_from(&example(), &out, &[mode]);
            let e = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{rel:?} {mode}: {e}");
            assert!(e.contains("FIFO"), "{rel:?} {mode}: {e}");
            assert!(
                e.contains(&target.display().to_string()),
                "{rel:?} {mode}: {e}"
            );
        }
        assert!(
            common::regular_tree(&out) == before,
            "{rel:?}: something was written"
        );
        if let (true, Some(m)) = (lock, manifest) {
            std::fs::write(out.join("manifest.yml"), m).unwrap();
        }
        std::fs::remove_file(&target).unwrap();
        if let Some(bytes) = saved {
            std::fs::write(&target, bytes).unwrap();
        }
    }
}

/// Issue 11.1, devices: a device that never ends (`/dev/zero`) read until memory ran out.
/// Whether it stands in `--out` itself (a device node: only root can make one, and CI runs as
/// root), is reached through a symlink (in `--out`, as a template override) or is the
/// descriptor, it is refused (exit 2, naming the path) before a byte of it is read, and nothing
/// is written.
#[cfg(unix)]
#[test]
fn a_device_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    let o = migrate(&out, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let scaffold = common::tree(&out)
        .into_keys()
        .find(|p| p.ends_with("package.json"))
        .unwrap();
    let zero = Path::new("/dev/zero");
    let refused = |o: &Output, path: &Path, what: &str| {
        let e = stderr(o);
        assert_eq!(o.status.code(), Some(2), "{what}: {e}");
        assert!(e.contains(&path.display().to_string()), "{what}: {e}");
        assert!(
            e.contains("device") || e.contains("outside the output folder"),
            "{what}: {e}"
        );
    };

    // The descriptor.
    let o = migrate_from(zero, &tmp.path().join("elsewhere"), &["--dry-run"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    assert!(!tmp.path().join("elsewhere").exists());

    // A symlink to /dev/zero in --out: it leads outside the folder, refused as such.
    let mut places = vec![
        Path::new("manifest.yml"),
        Path::new(".connect2forge/record.json"),
        scaffold.as_path(),
    ];
    for rel in &places {
        let target = out.join(rel);
        let saved = std::fs::read(&target).unwrap();
        std::fs::remove_file(&target).unwrap();
        std::os::unix::fs::symlink(zero, &target).unwrap();
        let before = common::regular_tree(&out);
        for mode in ["--check", "--dry-run", "--yes"] {
            refused(&migrate(&out, &[mode]), &target, &format!("{rel:?} {mode}"));
        }
        assert!(common::regular_tree(&out) == before, "{rel:?}: written");
        std::fs::remove_file(&target).unwrap();
        std::fs::write(&target, saved).unwrap();
    }

    // A template override that is a symlink to /dev/zero.
    let templates = tmp.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let hbs = templates.join("manifest.yml.hbs");
    std::os::unix::fs::symlink(zero, &hbs).unwrap();
    let fresh = tmp.path().join("fresh");
    let o = migrate(
        &fresh,
        &["--yes", "--templates", templates.to_str().unwrap()],
    );
    refused(&o, &hbs, "template override");
    assert!(stderr(&o).contains("a device"), "{}", stderr(&o));
    assert!(!fresh.exists());

    // A device node in --out, at every file read from it and at the lock.
    let mknod = |p: &Path| {
        Command::new("mknod")
            .arg(p)
            .args(["c", "1", "5"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let probe = tmp.path().join("probe");
    if !mknod(&probe) {
        eprintln!("skipped the device nodes: mknod needs root");
        return;
    }
    places.push(Path::new(".connect2forge.lock"));
    for rel in places {
        let target = out.join(rel);
        let saved = std::fs::read(&target).ok();
        let _ = std::fs::remove_file(&target);
        assert!(mknod(&target), "mknod {}", target.display());
        // Only a run that writes takes the lock: give it something to write.
        let lock = rel.ends_with(".connect2forge.lock");
        let manifest = out.join("manifest.yml");
        let kept = lock.then(|| std::fs::read(&manifest).unwrap());
        if lock {
            std::fs::remove_file(&manifest).unwrap();
        }
        let before = common::regular_tree(&out);
        let modes: &[&str] = match lock {
            true => &["--yes"],
            false => &["--check", "--dry-run", "--yes"],
        };
        for mode in modes {
            let o = migrate(&out, &[mode]);
            refused(&o, &target, &format!("{rel:?} {mode}"));
            assert!(stderr(&o).contains("a device"), "{rel:?}: {}", stderr(&o));
        }
        assert!(common::regular_tree(&out) == before, "{rel:?}: written");
        if let Some(m) = kept {
            std::fs::write(&manifest, m).unwrap();
        }
        std::fs::remove_file(&target).unwrap();
        if let Some(bytes) = saved {
            std::fs::write(&target, bytes).unwrap();
        }
    }
}

/// A descriptor with 50 background scripts: about 250 files to write, each synced, so a
/// signal sent once the review is shown arrives while files are being written.
fn fifty_scripts(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("fifty.json");
    std::fs::write(&path, common::minimal_with_scripts(1..50)).unwrap();
    path
}

/// Issue 11.11: interrupting a `--yes` run (Ctrl-C, SIGTERM) left a `.connect2forge-*.tmp`
/// file in 11 of 13 tries, which no re-run removed (nor one left by `kill -9`). A SIGINT or
/// SIGTERM now lets the file being written finish, then the run stops with 130/143, naming
/// what was written; and a writing run removes this tool's stale temp files.
#[cfg(unix)]
#[test]
fn sigterm_during_write_finishes_the_file_and_leaves_no_temp_file() {
    use std::io::BufRead;
    let tmp = tempfile::tempdir().unwrap();
    let descriptor = fifty_scripts(tmp.path());
    let reference = tmp.path().join("reference");
    assert_eq!(
        migrate_from(&descriptor, &reference, &["--yes"])
            .status
            .code(),
        Some(0)
    );
    let want = common::tree(&reference);
    let temp_files = |out: &Path| -> Vec<std::path::PathBuf> {
        if !out.exists() {
            // The signal ended the run before it took the lock (which creates the folder).
            return Vec::new();
        }
        common::regular_tree(out)
            .into_keys()
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy().into_owned();
                n.starts_with(".connect2forge-") && n.ends_with(".tmp")
            })
            .collect()
    };

    // Whether a signal lands during the write is a race (on a loaded machine the run may end, or
    // not yet have begun writing, when it arrives): try until two have, up to 40 runs.
    let mut interrupted = 0;
    for attempt in 0..20 {
        if interrupted >= 2 {
            break;
        }
        let out = tmp.path().join(format!("app{attempt}"));
        for (sig, code) in [("-TERM", 143), ("-INT", 130)] {
            let _ = std::fs::remove_dir_all(&out);
            let mut child = Command::new(env!("CARGO_BIN_EXE_connect2forge"))
                .args(["migrate", descriptor.to_str().unwrap(), "--yes", "--out"])
                .arg(&out)
                .env("CI", "true")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            // The summary line ends the review: writing starts right after it.
            let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
            for line in stdout.lines() {
                if line.unwrap().contains(" created, ") {
                    break;
                }
            }
            let pid = child.id().to_string();
            Command::new("kill").args([sig, &pid]).status().unwrap();
            // No hang either: the run ends within 60 s of the signal.
            let start = std::time::Instant::now();
            while child.try_wait().unwrap().is_none() {
                if start.elapsed() > std::time::Duration::from_secs(60) {
                    let _ = child.kill();
                    panic!("{sig}: the run did not end");
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            let o = child.wait_with_output().unwrap();
            let e = stderr(&o);
            match o.status.code() {
                Some(0) => {} // it had finished
                Some(c) => {
                    assert_eq!(c, code, "{sig}: {e}");
                    assert!(e.contains("interrupted by SIG"), "{e}");
                    interrupted += 1;
                }
                // The signal came before the write began (a loaded machine reads the summary
                // line early): the default action ended the run, as designed, with nothing
                // written.
                None => assert!(
                    !out.exists() || common::tree(&out).is_empty(),
                    "{sig} ended the run without its handler after files were written: {e}"
                ),
            }
            assert_eq!(temp_files(&out), Vec::<std::path::PathBuf>::new(), "{sig}");
            assert!(!out.join(".connect2forge.lock").exists(), "{sig}");
            // Every file is either absent or complete. A signal after the journal was written
            // (a loaded machine can be that late) leaves it, as designed: the whole new record,
            // which the next run reads file by file.
            for (p, bytes) in common::tree(&out) {
                let like = if p == Path::new(".connect2forge/record.next.json") {
                    Path::new(".connect2forge/record.json")
                } else {
                    p.as_path()
                };
                assert_eq!(Some(&bytes), want.get(like), "{sig}: {p:?} is partial");
            }
            // A re-run finishes the job.
            assert_eq!(
                migrate_from(&descriptor, &out, &["--yes"]).status.code(),
                Some(0)
            );
            assert!(common::tree(&out) == want, "{sig}: re-run did not finish");
        }
    }
    assert!(
        interrupted > 0,
        "no signal arrived during a write in 40 tries"
    );

    // Temp files a killed run (kill -9) left are removed by the next run that writes; a file
    // of the user's with a similar name is not.
    let out = tmp.path().join("app-killed");
    assert_eq!(
        migrate_from(&descriptor, &out, &["--yes"]).status.code(),
        Some(0)
    );
    let stale = [
        out.join(".connect2forge-a1B2c3.tmp"),
        out.join("static/watcher/.connect2forge-x9Y8z7.tmp"),
    ];
    for s in &stale {
        std::fs::write(s, "half").unwrap();
    }
    std::fs::write(out.join(".connect2forge-notes.txt"), "mine").unwrap();
    std::fs::remove_file(out.join("manifest.yml")).unwrap();
    assert_eq!(
        migrate_from(&descriptor, &out, &["--yes"]).status.code(),
        Some(0)
    );
    for s in &stale {
        assert!(!s.exists(), "{s:?} is still there");
    }
    assert!(out.join(".connect2forge-notes.txt").exists());
}

/// `tests/fixtures/no-scripts.json` with `n` webhooks more: a run writes one large
/// `manifest.yml` (no scaffold), then the record of it.
fn many_webhooks(dir: &Path, n: usize) -> std::path::PathBuf {
    let text =
        std::fs::read_to_string(common::root().join("tests/fixtures/no-scripts.json")).unwrap();
    let hooks: Vec<String> = (0..n)
        .map(|i| format!("{{\"key\": \"hook-{i}\", \"event\": \"jira:issue_updated\", \"url\": \"/hooks/{i}\"}}"))
        .collect();
    let path = dir.join(format!("hooks-{n}.json"));
    std::fs::write(
        &path,
        text.replace(
            "\"webPanels\": [",
            &format!(
                "\"webhooks\": [{}],\n    \"webPanels\": [",
                hooks.join(",\n")
            ),
        ),
    )
    .unwrap();
    path
}

/// Issue 19 item 13: a `kill -9` while `.connect2forge/manifest.base.yml` was written left it
/// missing; the next run said "Nothing to do" (`--check`: up to date), kept the temp file, and a
/// later run replaced a manifest edit instead of merging it. Now the record is journalled before
/// the files and committed after them: after a kill anywhere in the write, `--check` is never
/// "up to date" while the record is missing or incomplete, the next write rebuilds it (and
/// removes the temp files), and the vendor's later edit is merged.
#[cfg(unix)]
#[test]
fn kill_9_while_the_record_is_written_never_loses_a_later_manifest_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let descriptor = many_webhooks(tmp.path(), 1000);
    let changed = many_webhooks(tmp.path(), 1001);
    let mut landed = 0;
    for attempt in 0..6u64 {
        let out = tmp.path().join(format!("app{attempt}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_connect2forge"))
            .args(["migrate", descriptor.to_str().unwrap(), "--yes", "--out"])
            .arg(&out)
            .env("CI", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The kill lands from the first sign of writing on (the journal, or the manifest in
        // place), a little later on each attempt.
        let start = std::time::Instant::now();
        let journal = out.join(".connect2forge/record.next.json");
        while !journal.exists() && !out.join("manifest.yml").exists() {
            if child.try_wait().unwrap().is_some() || start.elapsed().as_secs() > 60 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        std::thread::sleep(std::time::Duration::from_millis(attempt));
        let _ = child.kill();
        let _ = child.wait();

        let committed = out.join(".connect2forge/record.json").is_file() && !journal.exists();
        let o = migrate_from(&descriptor, &out, &["--check"]);
        if !committed {
            landed += 1;
            assert_eq!(
                o.status.code(),
                Some(1),
                "attempt {attempt}: the record is missing or incomplete, yet --check passed: {}",
                String::from_utf8_lossy(&o.stdout)
            );
        }
        // The next write rebuilds the record and leaves no temp file or journal.
        let o = migrate_from(&descriptor, &out, &["--yes"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "attempt {attempt}: {}",
            stderr(&o)
        );
        assert!(
            out.join(".connect2forge/record.json").is_file(),
            "attempt {attempt}"
        );
        assert!(!journal.exists(), "attempt {attempt}");
        let temp: Vec<_> = common::regular_tree(&out)
            .into_keys()
            .filter(|p| p.to_string_lossy().contains(".connect2forge-"))
            .collect();
        assert!(temp.is_empty(), "attempt {attempt}: {temp:?}");
        let o = migrate_from(&descriptor, &out, &["--check"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "attempt {attempt}: {}",
            stderr(&o)
        );

        // The vendor edits the manifest; the generation changes: the edit is merged.
        let manifest = out.join("manifest.yml");
        let edited = format!("# mine\n{}", std::fs::read_to_string(&manifest).unwrap());
        std::fs::write(&manifest, &edited).unwrap();
        let o = migrate_from(&changed, &out, &["--yes"]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "attempt {attempt}: {e}");
        assert!(
            e.contains("your edits to manifest.yml are kept"),
            "attempt {attempt}: {e}"
        );
        let merged = std::fs::read_to_string(&manifest).unwrap();
        assert!(
            merged.starts_with("# mine\n"),
            "attempt {attempt}: edit lost"
        );
        assert!(
            merged.contains("hook-1000"),
            "attempt {attempt}: change lost"
        );
    }
    assert!(landed > 0, "no kill landed before the record was complete");
}
