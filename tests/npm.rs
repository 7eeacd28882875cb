//! The npm distribution, end to end: `scripts/npm-pack.mjs` packs the launcher package and this
//! platform's binary package, plain `npm install` puts them into a throwaway project, and the
//! command runs through the launcher as a Node.js user would run it (`npx connect2forge`).
//!
//! The packing and the install happen once per run of this test binary (they take seconds).
//! Without `node`/`npm` the tests say so on one line and pass, except under `CI`, where a
//! missing Node.js is a failure: CI must run them.

mod common;
use common::root;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

const EXAMPLE: &str = "examples/atlassian-connect.json";

/// A project with the packed tarballs installed.
struct Installed {
    /// The project folder (holds `node_modules`).
    dir: PathBuf,
    /// The tarballs `npm-pack.mjs` printed.
    tarballs: Vec<PathBuf>,
}

fn has(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether Node.js and npm are here; without them outside CI, one line says the test is skipped.
fn node_available() -> bool {
    if has("node") && has("npm") {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "node and npm are needed for the npm packaging tests, and CI is set"
    );
    // Straight to stderr, past the test harness's capture, so that the skip is seen.
    let _ = writeln!(
        std::io::stderr(),
        "tests/npm.rs skipped: node or npm is not installed (the npm packaging tests need both)"
    );
    false
}

/// A command with the caller's colour settings removed and `CI=true`, as the other CLI tests.
fn command(program: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env("CI", "true")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TERM");
    cmd
}

fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh folder under Cargo's temp dir for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("npm")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An empty npm project with `tarballs` installed by plain `npm install` (offline: the tarballs
/// need nothing from the registry).
fn install(name: &str, tarballs: &[PathBuf]) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("package.json"), "{ \"private\": true }\n").unwrap();
    run_ok(
        command("npm", &dir)
            .args(["install", "--offline", "--no-audit", "--no-fund"])
            .args(tarballs),
    );
    dir
}

/// Packs (with the binary `cargo test` built) and installs, once.
fn installed() -> Option<&'static Installed> {
    static ONCE: OnceLock<Option<Installed>> = OnceLock::new();
    ONCE.get_or_init(|| {
        if !node_available() {
            return None;
        }
        let packs = scratch("packs");
        let out = run_ok(
            command("node", root())
                .arg("scripts/npm-pack.mjs")
                .arg(&packs)
                .arg("--binary")
                .arg(env!("CARGO_BIN_EXE_connect2forge")),
        );
        let tarballs: Vec<PathBuf> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(PathBuf::from)
            .collect();
        let dir = install("project", &tarballs);
        Some(Installed { dir, tarballs })
    })
    .as_ref()
}

/// `npx connect2forge ARGS...` in the project: the launcher npm linked, never a download.
fn npx(project: &Path, args: &[&str]) -> Output {
    command("npx", project)
        // `--yes=false`: never download a package of that name (`--no` after `--offline` is
        // misread by npm 11, which then prints its own version).
        .args(["--yes=false", "--offline", "connect2forge"])
        .args(args)
        .output()
        .expect("npx starts")
}

/// The binary itself, same arguments and folder, to compare with what the launcher printed.
fn direct(project: &Path, args: &[&str]) -> Output {
    command(env!("CARGO_BIN_EXE_connect2forge"), project)
        .args(args)
        .output()
        .expect("the binary starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The platform list the packages are generated from.
fn platforms() -> Vec<Value> {
    match read_json(&root().join("npm/platforms.json")) {
        Value::Array(list) => list,
        other => panic!("npm/platforms.json is not a list: {other}"),
    }
}

#[test]
fn npx_version_is_cargo_version() {
    let Some(p) = installed() else { return };
    let out = npx(&p.dir, &["--version"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("connect2forge {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn npx_dry_run_of_the_example_prints_the_review_and_writes_nothing() {
    let Some(p) = installed() else { return };
    let example = root().join(EXAMPLE);
    let out_dir = p.dir.join("forge-app");
    let args = [
        "migrate",
        example.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--dry-run",
    ];
    let through = npx(&p.dir, &args);
    assert_eq!(through.status.code(), Some(0), "{}", text(&through.stderr));
    let review = text(&through.stdout);
    assert!(review.contains("+++ b/manifest.yml"), "{review}");
    assert_eq!(review, text(&direct(&p.dir, &args).stdout));
    assert!(!out_dir.exists(), "a dry run wrote {}", out_dir.display());
}

#[test]
fn launcher_passes_the_exit_code_through() {
    let Some(p) = installed() else { return };
    let example = root().join(EXAMPLE);
    let out_dir = p.dir.join("checked");
    let check = [
        "migrate",
        example.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--check",
    ];
    assert_eq!(npx(&p.dir, &check).status.code(), Some(1));
    let missing = ["migrate", "no-such-descriptor.json"];
    let through = npx(&p.dir, &missing);
    assert_eq!(through.status.code(), Some(2), "{}", text(&through.stderr));
    assert_eq!(through.stderr, direct(&p.dir, &missing).stderr);
}

/// The unsupported platform is faked with a preload that redefines `process.platform` and
/// `process.arch` (Node.js lets a script do that): the launcher has no test hook.
#[test]
fn launcher_names_an_unsupported_platform_and_cargo_install() {
    let Some(p) = installed() else { return };
    let fake = p.dir.join("fake-platform.cjs");
    std::fs::write(
        &fake,
        "Object.defineProperty(process, 'platform', { value: 'aix' });\n\
         Object.defineProperty(process, 'arch', { value: 'ppc64' });\n",
    )
    .unwrap();
    let out = command("node", &p.dir)
        .arg("--require")
        .arg(&fake)
        .arg("node_modules/connect2forge/bin/connect2forge.js")
        .arg("--version")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    for needle in [
        "process.platform=aix",
        "process.arch=ppc64",
        "cargo install connect2forge",
        "cargo install --path .",
    ] {
        assert!(err.contains(needle), "no {needle:?} in {err}");
    }
}

#[test]
fn launcher_names_the_missing_platform_package() {
    let Some(p) = installed() else { return };
    let main: Vec<PathBuf> = p
        .tarballs
        .iter()
        .filter(|t| {
            t.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("connect2forge-0")
        })
        .cloned()
        .collect();
    assert_eq!(main.len(), 1, "{:?}", p.tarballs);
    let dir = install("main-only", &main);
    let out = npx(&dir, &["--version"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let node = |expr: &str| text(&run_ok(command("node", &dir).args(["-p", expr])).stdout);
    let platform = node("process.platform");
    let arch = node("process.arch");
    for needle in [
        format!("connect2forge-{}-{} ", platform.trim(), arch.trim()),
        format!("process.platform={}", platform.trim()),
        format!("process.arch={}", arch.trim()),
        "cargo install connect2forge".to_string(),
    ] {
        assert!(err.contains(&needle), "no {needle:?} in {err}");
    }
}

/// Every package.json comes from npm/platforms.json and Cargo.toml's version.
#[test]
fn package_manifests_follow_the_platform_list() {
    let Some(p) = installed() else { return };
    let modules = p.dir.join("node_modules");
    let version = env!("CARGO_PKG_VERSION");
    let main = read_json(&modules.join("connect2forge/package.json"));
    assert_eq!(main["version"], version);
    assert_eq!(main["bin"]["connect2forge"], "bin/connect2forge.js");
    let optional = main["optionalDependencies"].as_object().unwrap();
    let list = platforms();
    assert_eq!(optional.len(), list.len());
    for platform in &list {
        let name = platform["package"].as_str().unwrap();
        assert_eq!(optional[name], version, "{name}");
    }
    // The platform packages this machine packed (at least the host's).
    let mut seen = 0;
    for platform in &list {
        let dir = modules.join(platform["package"].as_str().unwrap());
        if !dir.exists() {
            continue;
        }
        seen += 1;
        let pkg = read_json(&dir.join("package.json"));
        assert_eq!(pkg["version"], version);
        assert_eq!(pkg["os"], serde_json::json!([platform["os"]]));
        assert_eq!(pkg["cpu"], serde_json::json!([platform["cpu"]]));
        assert!(pkg.get("bin").is_none(), "{pkg}");
        let binary = dir.join("bin").join(platform["binary"].as_str().unwrap());
        assert!(binary.is_file(), "{}", binary.display());
    }
    assert!(seen >= 1, "no platform package was installed");
}
