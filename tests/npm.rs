//! The npm distribution, end to end: `scripts/npm-pack.mjs` packs the launcher package and this
//! platform's binary package, plain `npm install` puts them into a throwaway project, and the
//! command runs through the launcher as a Node.js user would run it (`npx connect2forge`): the
//! binary it finds, `CONNECT2FORGE_BINARY`, the version check between the two, and what it says
//! when there is no binary to run. Every platform package's `package.json` (`os`, `cpu`, `libc`)
//! is checked on packages packed with stand-in binaries, and the release workflow against the
//! platform list.
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
/// The repository the packages are packed for here (in GitHub Actions, the workflow's own).
const REPOSITORY: &str = "https://github.com/example/connect2forge";
const ENV: &str = "CONNECT2FORGE_BINARY";

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

/// A command with the caller's colour settings and binary choice removed and `CI=true`, as the
/// other CLI tests, packing for [`REPOSITORY`].
fn command(program: &str, dir: &Path) -> Command {
    let (server, repo) = REPOSITORY.rsplit_once('/').unwrap();
    let (server, owner) = server.rsplit_once('/').unwrap();
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env("CI", "true")
        .env("GITHUB_SERVER_URL", server)
        .env("GITHUB_REPOSITORY", format!("{owner}/{repo}"))
        .env_remove(ENV)
        .env_remove("FORCE_COLOR")
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
fn launcher_names_an_unsupported_platform_and_what_to_install() {
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
    let version = env!("CARGO_PKG_VERSION");
    for needle in [
        "process.platform=aix".to_string(),
        "process.arch=ppc64".to_string(),
        "linux-x64-musl".to_string(),
        format!("cargo install --locked --git {REPOSITORY} --tag v{version} connect2forge"),
        "cargo install --locked --path .".to_string(),
        ENV.to_string(),
    ] {
        assert!(err.contains(&needle), "no {needle:?} in {err}");
    }
}

/// The one platform package installed in the main project (this machine's).
fn host_package(p: &Installed) -> String {
    let scope = p.dir.join("node_modules/@connect2forge");
    let names: Vec<String> = std::fs::read_dir(&scope)
        .unwrap()
        .map(|e| {
            format!(
                "@connect2forge/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    names[0].clone()
}

fn main_tarball(p: &Installed) -> PathBuf {
    let main: Vec<&PathBuf> = p
        .tarballs
        .iter()
        .filter(|t| {
            let name = t.file_name().unwrap().to_str().unwrap();
            name.starts_with("connect2forge-") && !name.starts_with("connect2forge-cli-")
        })
        .collect();
    assert_eq!(main.len(), 1, "{:?}", p.tarballs);
    main[0].clone()
}

#[test]
fn launcher_names_the_missing_platform_package_and_how_to_install_it() {
    let Some(p) = installed() else { return };
    let host = host_package(p);
    let dir = install("main-only", &[main_tarball(p)]);
    let out = npx(&dir, &["--version"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let node = |expr: &str| text(&run_ok(command("node", &dir).args(["-p", expr])).stdout);
    let platform = node("process.platform");
    let arch = node("process.arch");
    for needle in [
        format!("the package {host} "),
        format!("process.platform={}", platform.trim()),
        format!("process.arch={}", arch.trim()),
        format!("npm install {host}@{}", env!("CARGO_PKG_VERSION")),
        "cargo install --locked".to_string(),
    ] {
        assert!(err.contains(&needle), "no {needle:?} in {err}");
    }
}

/// A stand-in for a connect2forge binary: `--version` prints `connect2forge VERSION`, anything
/// else prints what it was given and exits 7.
#[cfg(unix)]
fn stand_in(path: &Path, version: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(
        path,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'connect2forge {version}'; exit 0; fi\n\
             echo \"stand-in {version} ran: $*\"\nexit 7\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_path_buf()
}

/// `CONNECT2FORGE_BINARY` runs another binary (relative paths from where npx runs), with the
/// arguments and exit code passed through; one of another version is run after a warning.
#[cfg(unix)]
#[test]
fn the_environment_variable_points_the_launcher_at_another_binary() {
    let Some(p) = installed() else { return };
    let version = env!("CARGO_PKG_VERSION");
    stand_in(&p.dir.join("same-version"), version);
    let out = command("npx", &p.dir)
        .env(ENV, "same-version")
        .args([
            "--yes=false",
            "--offline",
            "connect2forge",
            "migrate",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("stand-in {version} ran: migrate --dry-run\n")
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));

    stand_in(&p.dir.join("older"), "0.0.1");
    let out = command("npx", &p.dir)
        .env(ENV, p.dir.join("older"))
        .args(["--yes=false", "--offline", "connect2forge", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(text(&out.stdout), "stand-in 0.0.1 ran: status\n");
    assert_eq!(
        text(&out.stderr),
        format!(
            "connect2forge: warning: {ENV} runs connect2forge 0.0.1, and this npm package is \
             {version}: its options and output are those of 0.0.1.\n"
        )
    );

    let out = command("npx", &p.dir)
        .env(ENV, "no-such-binary")
        .args(["--yes=false", "--offline", "connect2forge", "--version"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!("{ENV}=no-such-binary is not a file")),
        "{}",
        text(&out.stderr)
    );
}

/// A platform package at another version than the launcher (a stale lock file) is refused,
/// naming both versions and the install that makes them match.
#[cfg(unix)]
#[test]
fn a_platform_binary_of_another_version_is_refused_with_the_install_that_fixes_it() {
    let Some(p) = installed() else { return };
    let host = host_package(p);
    let host_tarball: Vec<PathBuf> = p
        .tarballs
        .iter()
        .filter(|t| *t != &main_tarball(p))
        .cloned()
        .collect();
    let dir = install("mismatch", &[vec![main_tarball(p)], host_tarball].concat());
    let platform = platforms()
        .into_iter()
        .find(|x| x["package"] == host.as_str())
        .unwrap();
    let binary = dir
        .join("node_modules")
        .join(&host)
        .join("bin")
        .join(platform["binary"].as_str().unwrap());
    std::fs::remove_file(&binary).unwrap();
    stand_in(&binary, "0.0.1");
    let out = npx(&dir, &["--version"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    let version = env!("CARGO_PKG_VERSION");
    for needle in [
        format!("the launcher is connect2forge {version}, but {host} holds 0.0.1"),
        format!("npm install connect2forge@{version} {host}@{version}"),
    ] {
        assert!(err.contains(&needle), "no {needle:?} in {err}");
    }
}

/// The launcher package and the host's platform package, as installed.
#[test]
fn package_manifests_follow_the_platform_list() {
    let Some(p) = installed() else { return };
    let modules = p.dir.join("node_modules");
    let version = env!("CARGO_PKG_VERSION");
    let main = read_json(&modules.join("connect2forge/package.json"));
    assert_eq!(main["version"], version);
    assert_eq!(main["bin"]["connect2forge"], "bin/connect2forge.js");
    assert_eq!(main["homepage"], format!("{REPOSITORY}#readme"));
    assert_eq!(main["repository"]["url"], format!("git+{REPOSITORY}.git"));
    let optional = main["optionalDependencies"].as_object().unwrap();
    let list = platforms();
    assert_eq!(optional.len(), list.len());
    for platform in &list {
        let name = platform["package"].as_str().unwrap();
        assert!(name.starts_with("@connect2forge/cli-"), "{name}");
        assert_eq!(optional[name], version, "{name}");
    }
    // The JSON schemas of --format json ship in the package, byte for byte.
    for schema in ["migrate.schema.json", "status.schema.json"] {
        assert_eq!(
            std::fs::read(modules.join("connect2forge/schema").join(schema)).unwrap(),
            std::fs::read(root().join("docs/schema").join(schema)).unwrap(),
            "{schema}"
        );
    }
    let host = host_package(p);
    let pkg = read_json(&modules.join(&host).join("package.json"));
    assert_eq!(pkg["version"], version);
    assert!(pkg.get("bin").is_none(), "{pkg}");
}

/// Every platform package, packed with stand-in binaries (one file per platform, as the release
/// workflow's artifacts are laid out): `os`, `cpu`, and on Linux `libc`, as npm/platforms.json
/// says, so that npm installs only the one that runs. `--require-all` refuses a missing one.
#[test]
fn every_platform_package_says_where_it_runs() {
    if !node_available() {
        return;
    }
    let binaries = scratch("stand-in-binaries");
    let list = platforms();
    for (i, platform) in list.iter().enumerate() {
        let dir = binaries.join(platform["rust_target"].as_str().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(platform["binary"].as_str().unwrap()),
            format!("{i}"),
        )
        .unwrap();
    }
    let packs = scratch("all-platforms");
    let out = run_ok(
        command("node", root())
            .arg("scripts/npm-pack.mjs")
            .arg(&packs)
            .arg("--binaries")
            .arg(&binaries)
            .arg("--require-all"),
    );
    let tarballs: Vec<PathBuf> = text(&out.stdout).lines().map(PathBuf::from).collect();
    assert_eq!(tarballs.len(), list.len() + 1, "{tarballs:?}");
    for (platform, tarball) in list.iter().zip(&tarballs) {
        let unpacked = scratch("unpacked");
        run_ok(command("tar", &unpacked).arg("-xzf").arg(tarball));
        let pkg = read_json(&unpacked.join("package/package.json"));
        assert_eq!(pkg["name"], platform["package"]);
        assert_eq!(pkg["os"], serde_json::json!([platform["os"]]));
        assert_eq!(pkg["cpu"], serde_json::json!([platform["cpu"]]));
        match platform["os"].as_str() {
            Some("linux") => assert_eq!(pkg["libc"], serde_json::json!([platform["libc"]])),
            _ => assert!(pkg.get("libc").is_none(), "{pkg}"),
        }
        assert_eq!(pkg["publishConfig"]["access"], "public");
        assert_eq!(pkg["repository"]["url"], format!("git+{REPOSITORY}.git"));
        let binary = unpacked
            .join("package/bin")
            .join(platform["binary"].as_str().unwrap());
        assert!(binary.is_file(), "{}", binary.display());
    }
    // Both C libraries of Linux have their package.
    for cpu in ["x64", "arm64"] {
        for libc in ["glibc", "musl"] {
            assert!(
                list.iter()
                    .any(|p| p["os"] == "linux" && p["cpu"] == cpu && p["libc"] == libc),
                "no linux-{cpu} {libc} package"
            );
        }
    }
    // One missing binary: the release packs nothing.
    let first = list[0]["rust_target"].as_str().unwrap();
    std::fs::remove_dir_all(binaries.join(first)).unwrap();
    let out = command("node", root())
        .arg("scripts/npm-pack.mjs")
        .arg(scratch("incomplete"))
        .arg("--binaries")
        .arg(&binaries)
        .arg("--require-all")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--require-all: no binary for"),
        "{}",
        text(&out.stderr)
    );
}

/// npm itself refuses the package of the other C library (here: musl on a glibc Linux), which
/// is what keeps an install to the one binary that runs.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn npm_refuses_the_musl_package_on_glibc() {
    if !node_available() {
        return;
    }
    let binaries = scratch("musl-stand-in");
    let musl = platforms()
        .into_iter()
        .find(|p| {
            p["libc"] == "musl"
                && p["cpu"]
                    == std::env::consts::ARCH
                        .replace("x86_64", "x64")
                        .replace("aarch64", "arm64")
                        .as_str()
        })
        .unwrap();
    let dir = binaries.join(musl["rust_target"].as_str().unwrap());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("connect2forge"), "stand-in").unwrap();
    let packs = scratch("musl-pack");
    let out = run_ok(
        command("node", root())
            .arg("scripts/npm-pack.mjs")
            .arg(&packs)
            .arg("--binaries")
            .arg(&binaries),
    );
    let tarball = text(&out.stdout).lines().next().unwrap().to_string();
    let project = scratch("musl-project");
    std::fs::write(project.join("package.json"), "{ \"private\": true }\n").unwrap();
    let out = command("npm", &project)
        .args(["install", "--offline", "--no-audit", "--no-fund", &tarball])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("Valid libc:  musl"), "{err}");
}

/// The release workflow builds every platform of npm/platforms.json (its matrix is that file)
/// and publishes only on a version tag, with provenance, every package or none.
#[test]
fn the_release_workflow_builds_every_platform_and_publishes_on_a_tag() {
    let text = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let wf: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(wf["on"]["push"]["tags"][0], "v*");
    let plan = &wf["jobs"]["plan"]["steps"];
    let plan_script: String = plan
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(
        plan_script.contains("jq -c . npm/platforms.json"),
        "{plan_script}"
    );
    assert!(plan_script.contains("GITHUB_REF_NAME\" != \"v$version\""));
    let build = &wf["jobs"]["build"];
    assert_eq!(
        build["strategy"]["matrix"]["include"],
        "${{ fromJSON(needs.plan.outputs.platforms) }}"
    );
    assert_eq!(build["runs-on"], "${{ matrix.runner }}");
    for platform in platforms() {
        for field in ["runner", "rust_target", "binary", "package", "os", "cpu"] {
            assert!(platform[field].is_string(), "{field} missing in {platform}");
        }
    }
    let publish = &wf["jobs"]["publish"];
    assert_eq!(publish["permissions"]["id-token"], "write");
    let steps: Vec<&serde_yaml::Value> = publish["steps"].as_sequence().unwrap().iter().collect();
    let script = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"].as_str().is_some_and(|n| n.starts_with(name)))
            .unwrap_or_else(|| panic!("no step {name}"))
    };
    let pack = script("pack every package");
    assert!(pack["run"]
        .as_str()
        .unwrap()
        .contains("npm-pack.mjs dist --binaries binaries --require-all"));
    let npm_publish = script("npm publish");
    assert_eq!(npm_publish["if"], "startsWith(github.ref, 'refs/tags/v')");
    assert!(npm_publish["run"]
        .as_str()
        .unwrap()
        .contains("npm publish \"$tarball\" --access public --provenance"));
}
