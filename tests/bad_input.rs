//! The bad-input suite (issue 4, "Hostile and broken input"): every broken or hostile descriptor
//! is refused with exit 2, a message that names the file (and line:column where the input has a
//! place), no panic, and nothing written (the `--out` folder is not even created). Values that
//! could inject into the generated YAML, HTML or JavaScript are carried exactly and stay inert.
//!
//! Small inputs are checked in under `tests/fixtures/bad/`; large, binary and file-system cases
//! (UTF-16, invalid UTF-8, truncations, deep nesting, a 200 MB sparse file, a folder, a FIFO) are
//! made by the tests. Each bug this suite found has its own named test.
//!
//! Every command runs like tests/cli.rs: `CI=true`, no colour variables from the caller, in the
//! crate root, so that descriptor paths in messages are stable.

mod common;
use common::{c2f_in, root, tree};

use std::ffi::OsStr;
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use connect2forge::descriptor::{self, ReadOptions};
use connect2forge::scaffold::{html_escape, Templates};
use connect2forge::source::SourceText;
use serde_json::{json, Value};
use tempfile::TempDir;

const EXAMPLE: &str = "examples/atlassian-connect.json";
/// Longer than any run here takes; a run that reaches it has hung.
const TIMEOUT: Duration = Duration::from_secs(30);

fn bad(name: &str) -> String {
    format!("tests/fixtures/bad/{name}")
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(root().join(bad(name))).unwrap()
}

/// The binary with a controlled environment.
fn c2f() -> Command {
    let mut cmd = c2f_in(root());
    cmd.timeout(TIMEOUT);
    cmd
}

/// One finished `migrate` run, with the temporary folder its `--out` pointed into.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    out: PathBuf,
    _tmp: TempDir,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = |s: &str| -> String { s.chars().take(3000).collect() };
        write!(
            f,
            "exit {:?} after {:?}\n--- stderr\n{}\n--- stdout\n{}",
            self.code,
            self.elapsed,
            cut(&self.stderr),
            cut(&self.stdout)
        )
    }
}

/// `connect2forge migrate DESCRIPTOR --out <fresh tmp>/out --yes --color never EXTRA...`
fn migrate(descriptor: impl AsRef<OsStr>, extra: &[&str]) -> Run {
    migrate_with(c2f(), descriptor, &["--color", "never"], extra)
}

fn migrate_with(
    mut cmd: Command,
    descriptor: impl AsRef<OsStr>,
    color: &[&str],
    extra: &[&str],
) -> Run {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let start = Instant::now();
    let o = cmd
        .arg("migrate")
        .arg(descriptor)
        .arg("--out")
        .arg(&out)
        .arg("--yes")
        .args(color)
        .args(extra)
        .output()
        .unwrap();
    Run {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        elapsed: start.elapsed(),
        out,
        _tmp: tmp,
    }
}

impl Run {
    fn no_panic(&self) {
        assert!(self.elapsed < TIMEOUT, "the run hung: {self}");
        assert_ne!(self.code, Some(101), "panicked: {self}");
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "{self}"
        );
        assert!(self.code.is_some(), "killed by a signal: {self}");
    }

    /// The `file:...: error: ...` lines.
    fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .collect()
    }

    /// Exit 2, every error line names `file`, the summary says nothing was written, and the
    /// `--out` folder does not exist.
    fn refused(&self, file: &str) -> &Self {
        self.no_panic();
        assert_eq!(self.code, Some(2), "{self}");
        assert!(!self.out.exists(), "the out folder was created: {self}");
        let errors = self.errors();
        assert!(!errors.is_empty(), "no `FILE: error:` line: {self}");
        for e in &errors {
            assert!(
                e.starts_with(&format!("{file}:")),
                "the message does not name {file}: {e}\n{self}"
            );
        }
        assert!(self.stderr.contains("nothing was written"), "{self}");
        self
    }

    /// `refused`, and the first error is at `line:col`.
    fn refused_at(&self, file: &str, (line, col): (usize, usize)) -> &Self {
        self.refused(file);
        let want = format!("{file}:{line}:{col}: error: ");
        assert!(
            self.errors()[0].starts_with(&want),
            "expected the first error at {line}:{col}: {self}"
        );
        self
    }

    /// The first error's line:column, if it has one.
    fn position(&self, file: &str) -> Option<(usize, usize)> {
        let rest = self
            .errors()
            .first()?
            .strip_prefix(file)?
            .strip_prefix(':')?;
        let mut parts = rest.splitn(3, ':');
        let line = parts.next()?.parse().ok()?;
        let col = parts.next()?.parse().ok()?;
        Some((line, col))
    }

    fn first_error_contains(&self, words: &[&str]) -> &Self {
        let e = self.errors()[0];
        for w in words {
            assert!(e.contains(w), "the message lacks {w:?}: {e}");
        }
        self
    }

    /// Exit 0 and a manifest written.
    fn migrated(&self) -> &Self {
        self.no_panic();
        assert_eq!(self.code, Some(0), "{self}");
        assert!(self.out.join("manifest.yml").is_file(), "{self}");
        self
    }

    fn manifest(&self) -> Value {
        let text = std::fs::read_to_string(self.out.join("manifest.yml")).unwrap();
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn file(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// line:column of the only occurrence of `needle` in `text`.
fn place(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    assert_eq!(
        text.rfind(needle),
        Some(at),
        "{needle:?} occurs more than once"
    );
    line_col(text, at)
}

/// Writes `bytes` as `name` in a fresh folder; returns the folder and the path.
fn temp_file(name: &str, bytes: &[u8]) -> (TempDir, String) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let shown = path.display().to_string();
    (dir, shown)
}

fn node_available() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

// --- Empty, encodings ---

#[test]
fn empty_whitespace_and_comment_only_files_are_refused() {
    for name in ["empty.json", "whitespace.json", "comments-only.json"] {
        let file = bad(name);
        migrate(&file, &[])
            .refused_at(&file, (1, 1))
            .first_error_contains(&["holds no JSON value"]);
    }
}

/// A documented decision: Windows editors write a UTF-8 byte-order mark, so it is accepted (and
/// the result is the same as without it).
#[test]
fn a_utf8_bom_is_accepted() {
    let text = std::fs::read(root().join(EXAMPLE)).unwrap();
    let (_dir, path) = temp_file("bom.json", &[b"\xEF\xBB\xBF".as_slice(), &text].concat());
    let with_bom = migrate(&path, &[]);
    with_bom.migrated();
    let without = migrate(EXAMPLE, &[]);
    without.migrated();
    assert_eq!(tree(&with_bom.out), tree(&without.out));

    // Positions after a BOM are counted as an editor shows them (the BOM is not a column).
    let (_dir, path) = temp_file("bom-bad.json", b"\xEF\xBB\xBF{\n  \"key\" 1\n}");
    migrate(&path, &[]).refused_at(&path, (2, 9));
}

#[test]
fn utf16_is_refused_with_a_hint() {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let units: Vec<u16> = text.encode_utf16().collect();
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_be_bytes()))
        .collect();
    for (name, bytes) in [("utf16le.json", le), ("utf16be.json", be)] {
        let (_dir, path) = temp_file(name, &bytes);
        migrate(&path, &[])
            .refused(&path)
            .first_error_contains(&["UTF-16", "UTF-8"]);
    }
}

#[test]
fn invalid_utf8_is_refused_with_line_and_column() {
    let cases: [(&[u8], usize, usize); 4] = [
        // A stray byte on line 3, after two-byte characters (columns count characters).
        (
            b"{\n  \"key\": \"a\",\n  \"name\": \"\xC3\xA9\xC3\xA9\xFF\"\n}",
            3,
            14,
        ),
        // An overlong encoding of '/'.
        (b"{\"key\": \"\xC0\xAF\"}", 1, 10),
        // A surrogate encoded in UTF-8 (CESU-8).
        (b"{\n\"k\": \"\xED\xA0\x80\"}", 2, 7),
        // A character cut off at the end of the file.
        (b"{\"key\": \"\xE2\x82", 1, 10),
    ];
    for (bytes, line, col) in cases {
        let (_dir, path) = temp_file("latin.json", bytes);
        migrate(&path, &[])
            .refused(&path)
            .first_error_contains(&["invalid UTF-8", &format!("line {line}, column {col}")]);
    }
}

// --- Truncation ---

/// Cut points in `text`: after every `{`, `[`, `,`, `:` and `"`, in the middle of every word,
/// number and literal, inside comments and between the two characters of `//` and `{{`.
fn cut_points(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut cuts = std::collections::BTreeSet::new();
    for (i, c) in b.iter().enumerate() {
        if b"{[,:\"".contains(c) {
            cuts.insert(i + 1);
        }
        if (c == &b'/' || c == &b'{') && b.get(i + 1) == Some(c) {
            cuts.insert(i + 1);
        }
    }
    let word = |c: u8| c.is_ascii_alphanumeric() || b"_.-+".contains(&c);
    let mut i = 0;
    while i < b.len() {
        if word(b[i]) {
            let start = i;
            while i < b.len() && word(b[i]) {
                i += 1;
            }
            if i - start >= 2 {
                cuts.insert(start + (i - start) / 2);
            }
        } else {
            i += 1;
        }
    }
    // Only proper prefixes of the document (cutting after the last `}` leaves it whole).
    let end = text.rfind('}').unwrap();
    cuts.into_iter().filter(|&c| c > 0 && c <= end).collect()
}

#[test]
fn truncated_at_every_structural_point_is_refused_with_a_place() {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let cuts = cut_points(&text);
    assert!(cuts.len() > 300, "{} cut points", cuts.len());
    let dir = TempDir::new().unwrap();
    let failures = std::sync::Mutex::new(Vec::new());
    let threads = 4;
    std::thread::scope(|s| {
        for t in 0..threads {
            let (cuts, text, dir, failures) = (&cuts, &text, &dir, &failures);
            s.spawn(move || {
                for &cut in cuts.iter().skip(t).step_by(threads) {
                    let path = dir.path().join(format!("cut-{cut}.json"));
                    std::fs::write(&path, &text[..cut]).unwrap();
                    let shown = path.display().to_string();
                    let run = migrate(&path, &[]);
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run.refused(&shown);
                        let (line, _) = run
                            .position(&shown)
                            .unwrap_or_else(|| panic!("no line:column: {run}"));
                        assert!(line <= text[..cut].lines().count() + 1, "{run}");
                    }));
                    if let Err(e) = result {
                        let why = e
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        failures.lock().unwrap().push(format!(
                            "cut after {cut} bytes ({:?}): {why}",
                            &text[cut.saturating_sub(20)..cut]
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// In process, every prefix at every character boundary: the reader refuses each with a place.
#[test]
fn truncated_at_every_byte_is_refused_in_process() {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let end = text.rfind('}').unwrap();
    let templates = Templates::load(None).unwrap();
    for cut in (0..=end).filter(|&c| text.is_char_boundary(c)) {
        let src = SourceText::new("cut.json", text[..cut].to_string());
        match descriptor::read(&src, &ReadOptions::default()) {
            Err(connect2forge::Error::Input(diags)) => {
                let first = &diags[0];
                assert!(first.position.is_some(), "cut {cut}: {}", first.to_line());
            }
            other => panic!("cut {cut}: {other:?}"),
        }
        assert!(connect2forge::migration::render_descriptor(
            &src,
            &ReadOptions::default(),
            &templates,
            None
        )
        .is_err());
    }
}

// --- Numbers, shapes, duplicates ---

#[test]
fn numbers_out_of_range_are_refused_at_their_place() {
    let file = bad("number-out-of-range.json");
    let text = read_fixture("number-out-of-range.json");
    migrate(&file, &[])
        .refused_at(&file, place(&text, "1e999"))
        .first_error_contains(&["1e999", "out of range"]);
    for n in ["-1e999", "1E+400", "123e4567"] {
        let t = text.replace("1e999", n);
        let (_dir, path) = temp_file("n.json", t.as_bytes());
        migrate(&path, &[])
            .refused_at(&path, place(&t, n))
            .first_error_contains(&["out of range"]);
    }
}

/// A descriptor with `@V@` where the tested value goes.
fn shaped(place_holder: &str) -> String {
    let t = r#"{
  "key": "com.example.shapes",
  "baseUrl": "https://shapes.example.com",
  "authentication": AUTH,
  "lifecycle": LIFECYCLE,
  "modules": MODULES
}"#;
    let scripts = r#"{
    "jiraBackgroundScripts": SCRIPTS
  }"#;
    let list = r#"[
      ENTRY
    ]"#;
    let entry = r#"{ "key": "bg", "url": "/bg", "location": LOCATION }"#;
    let pick = |name: &str, normal: &str| {
        if name == place_holder {
            "@V@".to_string()
        } else {
            normal.to_string()
        }
    };
    let entry = entry.replace("LOCATION", &pick("location", r#"{ "type": "dashboard" }"#));
    let list = list.replace("ENTRY", &pick("entry", &entry));
    let scripts = scripts.replace("SCRIPTS", &pick("list", &list));
    t.replace("AUTH", &pick("authentication", r#"{ "type": "jwt" }"#))
        .replace(
            "LIFECYCLE",
            &pick("lifecycle", r#"{ "installed": "/installed" }"#),
        )
        .replace("MODULES", &pick("modules", &scripts))
}

#[test]
fn null_arrays_strings_and_numbers_where_objects_belong_are_refused() {
    let kinds = [
        ("null", "null"),
        ("[]", "an array"),
        ("[{}]", "an array"),
        ("\"issue_view\"", "a string"),
        ("42", "a number"),
        ("true", "a boolean"),
    ];
    // (where, extra arguments, words of the message)
    let places: [(&str, &[&str], &str); 6] = [
        (
            "modules",
            &["--product", "jira"],
            "modules must be an object",
        ),
        (
            "list",
            &[],
            "a module list must be an array (or one object)",
        ),
        ("entry", &[], "a module must be an object"),
        ("location", &[], "location must be an object"),
        ("lifecycle", &[], "lifecycle must be an object"),
        ("authentication", &[], "authentication must be an object"),
    ];
    for (where_, extra, words) in places {
        for (v, kind) in kinds {
            // An array is what a module list is.
            if where_ == "list" && v.starts_with('[') {
                continue;
            }
            let template = shaped(where_);
            let at = place(&template, "@V@");
            let text = template.replace("@V@", v);
            let (_dir, path) = temp_file(&format!("{where_}.json"), text.as_bytes());
            migrate(&path, extra)
                .refused_at(&path, at)
                .first_error_contains(&[words, &format!("not {kind}")]);
        }
    }
    for (v, kind) in kinds {
        let (_dir, path) = temp_file("root.json", format!("\n  {v}\n").as_bytes());
        migrate(&path, &[])
            .refused_at(&path, (2, 3))
            .first_error_contains(&[&format!(
                "a Connect descriptor is a JSON object, not {kind}"
            )]);
    }
}

/// Without `--product`, `"modules": null` is reported as "cannot tell whether this app is for
/// Jira or Confluence (its modules are shared by both): pass --product"; with `--product jira` the
/// same file then says "modules must be an object, not null". The first message sends the user
/// the wrong way.
#[test]
fn modules_of_the_wrong_type_are_named_without_product() {
    for v in ["null", "[]", "\"x\"", "42"] {
        let template = shaped("modules");
        let at = place(&template, "@V@");
        let text = template.replace("@V@", v);
        let (_dir, path) = temp_file("modules.json", text.as_bytes());
        migrate(&path, &[])
            .refused_at(&path, at)
            .first_error_contains(&["modules must be an object"]);
    }
}

/// A descriptor with no modules at all (a Spring starter's `atlassian-connect.json`, lifecycle
/// only) or an empty `modules` object says so: "its modules are shared by both" was untrue there.
#[test]
fn no_modules_is_named_as_the_reason_product_is_needed() {
    for v in ["{}", "{ }"] {
        let template = shaped("modules");
        let at = place(&template, "@V@");
        let text = template.replace("@V@", v);
        let (_dir, path) = temp_file("empty-modules.json", text.as_bytes());
        migrate(&path, &[])
            .refused_at(&path, at)
            .first_error_contains(&["it declares no modules", "--product jira"]);
    }
    let text =
        r#"{ "key": "k", "baseUrl": "https://k.example.com", "lifecycle": { "installed": "/i" } }"#;
    let (_dir, path) = temp_file("no-modules.json", text.as_bytes());
    migrate(&path, &[])
        .refused_at(&path, (1, 1))
        .first_error_contains(&["it declares no modules"]);
    migrate(&path, &["--product", "jira"]).migrated();
}

/// Duplicate names: a warning at the later one, and the later value is the one used everywhere
/// (as with JSON.parse), including a background script's `key` and `url`.
#[test]
fn duplicate_keys_warn_and_the_last_wins() {
    let file = bad("duplicate-keys.json");
    let text = read_fixture("duplicate-keys.json");
    let run = migrate(&file, &["--keep-connect", "generalPages"]);
    run.migrated();
    let find_nth = |needle: &str, n: usize| {
        let at = text.match_indices(needle).nth(n).unwrap().0;
        line_col(&text, at)
    };
    for (path, name, at) in [
        ("$.key", "key", find_nth("\"key\"", 1)),
        (
            "$.description",
            "description",
            find_nth("\"description\"", 1),
        ),
        ("$.lifecycle", "lifecycle", find_nth("\"lifecycle\"", 1)),
        (
            "$.modules.jiraBackgroundScripts[0].location.type",
            "type",
            find_nth("\"type\"", 1),
        ),
        (
            "$.modules.jiraBackgroundScripts[0].key",
            "key",
            find_nth("\"key\": \"bg-last\"", 0),
        ),
        (
            "$.modules.jiraBackgroundScripts[0].url",
            "url",
            find_nth("\"url\": \"/bg-last\"", 0),
        ),
        (
            "$.modules.generalPages[0].url",
            "url",
            find_nth("\"url\": \"/page-last\"", 0),
        ),
    ] {
        let want = format!(
            "{file}:{}:{}: warning: {path}: duplicate key \"{name}\": the last one wins",
            at.0, at.1
        );
        assert!(run.stderr.contains(&want), "missing {want:?}\n{run}");
    }
    assert_eq!(run.stderr.matches("duplicate key").count(), 7, "{run}");

    let m = run.manifest();
    assert_eq!(m["app"]["connect"]["key"], "com.example.dup");
    assert_eq!(m["app"]["description"], "last description");
    let bg = &m["modules"]["jira:issueViewBackgroundScript"];
    assert_eq!(
        bg,
        &json!([{"key": "bg-last", "resource": "bg-last"}]),
        "{m:#}"
    );
    assert!(m["modules"].get("jira:dashboardBackgroundScript").is_none());
    let cm = &m["connectModules"];
    assert_eq!(
        cm["jira:lifecycle"],
        json!([{"key": "lifecycle-events", "installed": "/installed"}]),
        "the whole first lifecycle object is replaced"
    );
    assert_eq!(cm["jira:generalPages"][0]["url"], "/page-last");
    let main = run.file("static/bg-last/src/main.js");
    assert!(main.contains("const CONNECT_URL = \"/bg-last\";"), "{main}");
    assert!(!main.contains("bg-first") && !run.out.join("static/bg-first").exists());
}

/// The value that wins is the one checked: an invalid last value is refused, an invalid first one
/// is only a warning.
#[test]
fn duplicate_keys_check_the_value_that_wins() {
    let file = bad("duplicate-url-last-invalid.json");
    let text = read_fixture("duplicate-url-last-invalid.json");
    migrate(&file, &[])
        .refused_at(&file, place(&text, "\"javascript:"))
        .first_error_contains(&["javascript:", "must be relative"]);

    let file = bad("duplicate-url-first-invalid.json");
    let run = migrate(&file, &[]);
    run.migrated();
    assert!(run.stderr.contains("duplicate key \"url\""), "{run}");
    assert!(run
        .file("static/bg/src/main.js")
        .contains("const CONNECT_URL = \"/bg\";"));
}

// --- Size, depth, files that are not files ---

#[test]
fn nesting_100000_deep_is_refused_without_overflowing_the_stack() {
    let n = 100_000;
    let cases = [
        ("arrays.json", format!("{}{}", "[".repeat(n), "]".repeat(n))),
        ("objects.json", format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n))),
        ("open-objects.json", "{\"a\":".repeat(n)),
        (
            "deep-module.json",
            format!(
                "{{\"key\": \"k\", \"baseUrl\": \"https://x.example.com\", \"modules\": {{\"generalPages\": [{{\"key\": \"p\", \"params\": {}{}}}]}}}}",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
    ];
    for (name, text) in &cases {
        let (_dir, path) = temp_file(name, text.as_bytes());
        let run = migrate(&path, &[]);
        run.refused(&path);
        assert!(run.position(&path).is_some(), "{run}");
        // In process too, on a test thread's smaller stack.
        let src = SourceText::new(*name, text.clone());
        assert!(descriptor::read(&src, &ReadOptions::default()).is_err());
    }
}

/// Nesting inside a module's free-form value is limited while reading: 200 nested lists in a
/// generalPages `params` are refused at the `[` that opens the 65th level below the document
/// (the object is level 0, `modules` 1, the list 2, the page 3, `params` 4). (An earlier version
/// accepted them and then refused the rendered manifest, whose YAML serde_yaml reads only to depth
/// 128, with a message that blamed the built-in template and named no place in the descriptor.)
#[test]
fn deep_module_values_are_refused_at_their_place() {
    let text = format!(
        "{{\"key\": \"k\", \"baseUrl\": \"https://x.example.com\", \"modules\": {{\"jiraBackgroundScripts\": [{{\"key\": \"bg\", \"url\": \"/bg\", \"location\": {{\"type\": \"dashboard\"}}}}], \"generalPages\": [{{\"key\": \"p\", \"name\": {{\"value\": \"P\"}}, \"url\": \"/p\", \"params\": {}{}}}]}}}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    let (_dir, path) = temp_file("deep.json", text.as_bytes());
    let (line, col) = place(&text, &"[".repeat(200));
    migrate(&path, &[])
        .refused_at(&path, (line, col + 61))
        .first_error_contains(&["nest deeper than 64 levels"]);
}

/// Input that does not start with `{` or `/` is first tried as a Forge manifest:
/// `adopt::is_forge_manifest` runs serde_yaml over the whole text, and YAML flow collections make
/// that slow and memory-hungry. In a release build, 100,000 `[` take 0.8 s (100,000 `{"a":`
/// take 0.00 s), and a 16 MiB file of `[`, under the size limit, takes 111 s and 2.7 GB of memory
/// before it is refused (`- - - ...` for 16 MiB: 6 s, 2.5 GB).
#[test]
fn deep_arrays_are_refused_quickly() {
    let (_dir, path) = temp_file("arrays.json", "[".repeat(500_000).as_bytes());
    let mut cmd = c2f();
    cmd.timeout(Duration::from_secs(120));
    let run = migrate_with(cmd, &path, &["--color", "never"], &[]);
    run.refused(&path);
    assert!(run.elapsed < Duration::from_secs(2), "{run}");
}

#[test]
fn a_200_mb_file_is_refused_before_it_is_read() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("huge.json");
    // Sparse: costs no disk, reads as zeros.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let shown = path.display().to_string();
    let run = migrate(&path, &[]);
    run.refused(&shown)
        .first_error_contains(&["larger than 16 MiB"]);
    assert!(
        run.elapsed < Duration::from_secs(2),
        "took {:?}: was the file read?",
        run.elapsed
    );

    // The limit is exact: one byte over is refused by size, the limit itself is read (and then
    // refused for its content, since it holds zeros).
    let limit = connect2forge::migration::MAX_INPUT_BYTES;
    std::fs::File::create(&path)
        .unwrap()
        .set_len(limit + 1)
        .unwrap();
    migrate(&path, &[])
        .refused(&shown)
        .first_error_contains(&["larger than 16 MiB"]);
    std::fs::File::create(&path)
        .unwrap()
        .set_len(limit)
        .unwrap();
    let run = migrate(&path, &[]);
    run.refused(&shown).first_error_contains(&["NUL bytes"]);
    assert!(!run.stderr.contains("16 MiB"), "{run}");
}

#[test]
fn more_than_16_mib_on_stdin_is_refused() {
    let mut cmd = c2f();
    cmd.write_stdin(vec![b' '; 17 * 1024 * 1024]);
    let run = migrate_with(cmd, "-", &["--color", "never"], &[]);
    run.refused("<stdin>")
        .first_error_contains(&["larger than 16 MiB"]);
}

#[test]
fn a_folder_is_refused() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("atlassian-connect.json");
    std::fs::create_dir(&path).unwrap();
    let shown = path.display().to_string();
    migrate(&path, &[])
        .refused(&shown)
        .first_error_contains(&["not a regular file"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_hanging() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("atlassian-connect.json");
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let shown = path.display().to_string();
    let mut cmd = c2f();
    // Nobody ever writes to the FIFO: reading it would block until the timeout.
    cmd.timeout(Duration::from_secs(10));
    let run = migrate_with(cmd, &path, &["--color", "never"], &[]);
    run.refused(&shown)
        .first_error_contains(&["not a regular file"]);
    assert!(run.elapsed < Duration::from_secs(5), "{run}");
}

// --- Long keys ---

fn with_script_key(key: &str) -> String {
    format!(
        "{{\n  \"key\": \"com.example.long\",\n  \"baseUrl\": \"https://long.example.com\",\n  \"modules\": {{\n    \"jiraBackgroundScripts\": [\n      {{ \"key\": \"{key}\", \"url\": \"/bg\", \"location\": {{ \"type\": \"dashboard\" }} }}\n    ]\n  }}\n}}\n"
    )
}

/// Longest run of one character in `s`.
fn longest_run(s: &str, c: char) -> usize {
    s.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

#[test]
fn a_10000_character_module_key_is_refused_with_a_short_message() {
    let key = "k".repeat(10_000);
    let text = with_script_key(&key);
    let (_dir, path) = temp_file("long-key.json", text.as_bytes());
    let run = migrate(&path, &[]);
    run.refused_at(&path, place(&text, &format!("\"{key}\"")))
        .first_error_contains(&["10000 characters", "1 to 100"]);
    assert!(run.stderr.len() < 1000, "{} bytes: {run}", run.stderr.len());
    assert!(longest_run(&run.stderr, 'k') <= 100, "{run}");
}

/// The app key's message quotes the whole key: 10,000 characters on one line.
#[test]
fn a_10000_character_app_key_is_refused_with_a_short_message() {
    let key = "k".repeat(10_000);
    let text = with_script_key("bg").replace("com.example.long", &key);
    let (_dir, path) = temp_file("long-app-key.json", text.as_bytes());
    let run = migrate(&path, &[]);
    run.refused_at(&path, (2, 10));
    assert!(run.stderr.len() < 1000, "{} bytes", run.stderr.len());
}

/// Connect limits every module key to 100 characters, but only background scripts are checked:
/// a 10,000-character generalPages key is carried into connectModules and written (exit 0).
#[test]
fn a_10000_character_key_of_another_module_is_refused() {
    let key = "p".repeat(10_000);
    let text = with_script_key("bg").replace(
        "    ]\n  }",
        &format!("    ],\n    \"generalPages\": [\n      {{ \"key\": \"{key}\", \"name\": {{ \"value\": \"P\" }}, \"url\": \"/p\" }}\n    ]\n  }}"),
    );
    let (_dir, path) = temp_file("long-page-key.json", text.as_bytes());
    let run = migrate(&path, &[]);
    run.refused_at(&path, place(&text, &format!("\"{key}\"")));
    assert!(longest_run(&run.stderr, 'p') <= 100, "{run}");
}

// --- Control characters, Unicode, URLs ---

#[test]
fn control_characters_in_urls_are_refused() {
    let file = bad("url-control-character.json");
    let text = read_fixture("url-control-character.json");
    migrate(&file, &[])
        .refused_at(&file, place(&text, "\"/bg\\u0007"))
        .first_error_contains(&["control characters"]);
    for c in [
        "\\u0000", "\\n", "\\t", "\\r", "\\u001b", "\\u007f", "\\u0085", "\\u009b",
    ] {
        let t = text.replace("\\u0007\\u001b[2J", c);
        let (_dir, path) = temp_file("control.json", t.as_bytes());
        migrate(&path, &[])
            .refused_at(&path, place(&t, "\"/bg"))
            .first_error_contains(&["control characters"]);
    }
}

/// Right-to-left overrides, zero-width spaces, isolates, a BOM and NBSP in names, descriptions and
/// URLs are text: accepted, and carried exactly.
#[test]
fn unicode_format_characters_are_carried_exactly() {
    let file = bad("unicode-names.json");
    let original: Value = serde_json::from_str(&read_fixture("unicode-names.json")).unwrap();
    let run = migrate(&file, &["--keep-connect", "generalPages"]);
    run.migrated();
    let m = run.manifest();
    assert_eq!(m["app"]["description"], original["description"]);
    assert_eq!(
        m["connectModules"]["jira:generalPages"][0],
        original["modules"]["generalPages"][0]
    );
    let html = run.file("static/bg/index.html");
    let name = original["name"].as_str().unwrap();
    assert!(
        html.contains(&format!("<title>{} - bg</title>", html_escape(name))),
        "{html}"
    );
    let url = original["modules"]["jiraBackgroundScripts"][0]["url"]
        .as_str()
        .unwrap();
    let main = run.file("static/bg/src/main.js");
    assert_eq!(js_constants(&main)["CONNECT_URL"], json!(url));
}

/// Bidi controls (U+202A–U+202E, U+2066–U+2069) written raw into generated source make it read
/// differently from what it does ("Trojan Source", CVE-2021-42574); rustc refuses them in
/// literals, GitHub flags them. `json_literal` already escapes U+2028/U+2029: it should escape
/// these too (`"\u202e"` is the same JavaScript string).
#[test]
fn bidi_controls_are_escaped_in_generated_code() {
    let run = migrate(bad("unicode-names.json"), &[]);
    run.migrated();
    let main = run.file("static/bg/src/main.js");
    let raw: Vec<char> = main
        .chars()
        .filter(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect();
    assert!(raw.is_empty(), "raw bidi controls {raw:?} in main.js");
}

/// Control characters in a name are accepted and carried as character references: the app name
/// reaches `index.html`'s `<title>` as `Helper&#x1b;]0;pwned&#x7;...`, so neither the files nor
/// the review that prints their diff holds ESC or BEL, and `\u001b]0;...\u0007` cannot retitle
/// the window nor `\u001b[2J` clear the review the user is asked to confirm. Error messages that
/// quote bad values (`app key "..."`, `url "..."`, `location type "..."`) never print them raw
/// either, colour on. (An earlier version wrote them raw.)
#[test]
fn control_characters_never_reach_the_terminal_or_the_files_raw() {
    let injected = ["\u{1b}]", "\u{1b}[2J", "\u{1b}[1;1H", "\u{7}", "\u{8}"];
    // The review, on a terminal.
    let mut cmd = c2f();
    cmd.env("CLICOLOR_FORCE", "1");
    let run = migrate_with(
        cmd,
        bad("control-in-name.json"),
        &["--color", "always"],
        &["--dry-run"],
    );
    run.no_panic();
    for s in injected {
        assert!(
            !run.stdout.contains(s) && !run.stderr.contains(s),
            "{s:?} reached the terminal: {run}"
        );
    }
    // The files: written, with the characters as references in the title and raw nowhere.
    let run = migrate(bad("control-in-name.json"), &[]);
    run.migrated();
    for (path, bytes) in tree(&run.out) {
        let text = String::from_utf8_lossy(&bytes);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| c.is_control() && !matches!(c, '\n' | '\t'))
            .collect();
        assert!(bad.is_empty(), "{}: raw {bad:?}", path.display());
    }
    let original: Value = serde_json::from_str(&read_fixture("control-in-name.json")).unwrap();
    let name = original["name"].as_str().unwrap();
    let html = run.file("static/bg/index.html");
    assert!(
        html.contains(&format!("<title>{} - bg</title>", html_escape(name))),
        "{html}"
    );
    // Error messages, on a terminal.
    let text = r#"{
  "key": "com.example.k\u001b]0;pwned\u0007",
  "baseUrl": "https://x.example.com",
  "modules": {
    "jiraBackgroundScripts": [
      { "key": "bg", "url": "https://x\u001b[2J", "location": { "type": "side\u001b[2Jways" } }
    ]
  }
}"#;
    let (_dir, path) = temp_file("control-messages.json", text.as_bytes());
    let mut cmd = c2f();
    cmd.env("CLICOLOR_FORCE", "1");
    let run = migrate_with(cmd, &path, &["--color", "always"], &[]);
    assert_eq!(run.code, Some(2), "{run}");
    for s in injected {
        assert!(!run.stderr.contains(s), "{s:?} reached the terminal: {run}");
    }
}

#[test]
fn urls_that_are_not_relative_are_refused() {
    for (name, start) in [
        ("url-absolute.json", "\"https://evil"),
        ("url-javascript.json", "\"javascript:"),
        ("url-protocol-relative.json", "\"//"),
    ] {
        let file = bad(name);
        let text = read_fixture(name);
        migrate(&file, &[])
            .refused_at(&file, place(&text, start))
            .first_error_contains(&["must be relative to the app's baseUrl"]);
    }
    // Variants of the same.
    let text = read_fixture("url-javascript.json");
    for u in [
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\\tjavascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "HTTPS://evil.example.com",
        "//evil.example.com:443/x",
        "${baseUrl}/bg",
        "{{localBaseUrl}}/bg",
    ] {
        let t = text.replace("javascript:alert(document.domain)", u);
        let (_dir, path) = temp_file("url.json", t.as_bytes());
        let run = migrate(&path, &[]);
        run.refused_at(&path, place(&t, &format!("\"{u}\"")));
    }
}

/// A background-script URL with a `..` segment would leave the app's baseUrl path (Connect
/// resolves it against the baseUrl): refused at its place, like other URLs that leave the app.
#[test]
fn urls_with_dot_dot_are_refused() {
    let file = bad("url-dotdot.json");
    let text = read_fixture("url-dotdot.json");
    migrate(&file, &[])
        .refused_at(&file, place(&text, "\"/../"))
        .first_error_contains(&["\"..\" segment"]);
}

/// Browsers parse `\\host/x` and `/\host/x` as `//host/x` (WHATWG URL: a backslash is a slash in
/// http(s) URLs), so these point at another host just like the refused `//host`, but are accepted.
/// The URL only reaches a string constant in main.js, so the harm is small; the check is
/// inconsistent.
#[test]
fn backslash_host_urls_are_refused_like_protocol_relative_ones() {
    let file = bad("url-backslash.json");
    let text = read_fixture("url-backslash.json");
    migrate(&file, &[]).refused_at(&file, place(&text, "\"\\\\"));
    let t = text.replace("\\\\\\\\evil", "/\\\\evil");
    let (_dir, path) = temp_file("url.json", t.as_bytes());
    migrate(&path, &[]).refused_at(&path, place(&t, "\"/\\\\"));
}

// --- Values the YAML writer must escape, and keys checked while reading ---

/// Runs a descriptor whose `description` (a one-line YAML scalar) or generalPages `name.value`
/// (inside a block) is `value`, and asserts it is migrated (exit 0) with the value in the
/// manifest exactly as it was, as `serde_yaml` reads the file back.
fn assert_carried(value: &str, in_module: bool) {
    let v = serde_json::to_string(value).unwrap();
    let text = if in_module {
        with_script_key("bg").replace(
            "    ]\n  }",
            &format!("    ],\n    \"generalPages\": [\n      {{ \"key\": \"p\", \"url\": \"/p\", \"name\": {{ \"value\": {v} }} }}\n    ]\n  }}"),
        )
    } else {
        with_script_key("bg").replace(
            "  \"baseUrl\"",
            &format!("  \"description\": {v},\n  \"baseUrl\""),
        )
    };
    let (_dir, path) = temp_file("value.json", text.as_bytes());
    let run = migrate(&path, &["--keep-connect", "generalPages"]);
    run.migrated();
    let m = run.manifest();
    let got = if in_module {
        &m["connectModules"]["jira:generalPages"][0]["name"]["value"]
    } else {
        &m["app"]["description"]
    };
    assert_eq!(got, &json!(value), "{value:?} was not carried: {run}");
}

/// DEL, the C1 controls (U+0085 a YAML reader would take as a line break), U+0000 and U+FFFE are
/// forbidden raw in YAML: `yaml_value` writes such a string as a double-quoted scalar with `\u`
/// escapes (`description: "a\u007fb"`), which reads back as the original. (An earlier version
/// left them raw and refused the descriptor with a template error.)
#[test]
fn descriptions_with_c1_controls_are_carried() {
    for s in [
        "a\u{7f}b",
        "a\u{80}b",
        "a\u{85}b",
        "a\u{9b}b",
        "\u{0}\u{fffe}",
    ] {
        assert_carried(s, false);
    }
}

/// Trailing blank lines and a line separator in a module value are written as a double-quoted
/// scalar (`value: "Text\n\n"`), which keeps them. (An earlier version wrote a block scalar that
/// trimmed the trailing newlines and refused the descriptor with a template error.)
#[test]
fn module_values_ending_in_blank_lines_are_carried() {
    for s in ["Text\n\n", "\n", "a\n\u{2028}b"] {
        assert_carried(s, true);
    }
}

/// Keys of every module, not only background scripts, are checked while reading: `"key": "my
/// page"` in generalPages is refused at its place in the descriptor ("module key \"my page\" must
/// be 1 to 100 characters of letters, digits, '-' and '_'"). (An earlier version found it only in
/// the rendered manifest, with a message that named neither the descriptor nor the place.)
#[test]
fn invalid_keys_of_other_modules_are_refused_at_their_place() {
    let text = with_script_key("bg").replace(
        "    ]\n  }",
        "    ],\n    \"generalPages\": [\n      { \"key\": \"my page\", \"name\": { \"value\": \"P\" }, \"url\": \"/p\" }\n    ]\n  }",
    );
    let (_dir, path) = temp_file("page-key.json", text.as_bytes());
    migrate(&path, &[])
        .refused_at(&path, place(&text, "\"my page\""))
        .first_error_contains(&["module key \"my page\""]);
}

// --- Values that could inject ---

/// Everything that means something to YAML, handlebars, HTML or JavaScript, without placeholder
/// syntax (see `placeholders_in_carried_values_become_forge_variables` for those).
const PAYLOAD: &str = "x\nkey: injected\n# comment\n---\n... - item\n? q\n: v #c {{#each app}}{{@index}}{{/each}} {{> partial}} {{!-- c --}} {{~raw~}} </script><script>alert(1)</script> <!-- c --> */ /* `tick ${ x}` $ {y} \\ \" ' & < > \t tab \r\n crlf %YAML !!str &a *a | > @ ~ null yes";

/// The payload without control characters (what a background script URL may hold).
fn url_payload() -> String {
    PAYLOAD.replace(char::is_control, " ")
}

/// The string constants of a generated main.js, as JavaScript evaluates them (with node, when
/// installed; else read as JSON, which the `json` helper writes).
fn js_constants(main: &str) -> Value {
    let names = [
        "CONNECT_APP_KEY",
        "CONNECT_URL",
        "FORGE_MODULE_TYPE",
        "MODULE_KEY",
    ];
    if node_available() {
        let import = "import { events, view } from '@forge/bridge';";
        assert_eq!(main.matches(import).count(), 1, "{main}");
        let stubs = "const events = { on: async () => ({ unsubscribe() {} }), emit: async () => {} };\n\
                     const view = { getContext: async () => ({ extension: { issue: { key: 'A-1' }, project: { key: 'A' } }, siteUrl: 'https://s' }) };\n\
                     console.debug = () => {};";
        let program = format!(
            "{}\nprocess.stdout.write('\\n@@' + JSON.stringify({{ {} }}));\n",
            main.replace(import, stubs),
            names.join(", ")
        );
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("main.mjs");
        std::fs::write(&path, program).unwrap();
        let o = std::process::Command::new("node")
            .arg(&path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "node failed: {}\n{main}",
            String::from_utf8_lossy(&o.stderr)
        );
        let json = stdout.rsplit("\n@@").next().unwrap();
        return serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    }
    eprintln!("node is not installed: reading main.js constants as JSON");
    let mut out = serde_json::Map::new();
    for name in names {
        let prefix = format!("const {name} = ");
        let line = main
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {name} in {main}"));
        let literal = line[prefix.len()..].strip_suffix(';').unwrap();
        out.insert(name.into(), serde_json::from_str(literal).unwrap());
    }
    Value::Object(out)
}

/// Counts of case-insensitive `needle` in `hay`.
fn count_ci(hay: &str, needle: &str) -> usize {
    hay.to_ascii_lowercase().matches(needle).count()
}

#[test]
fn injected_values_are_carried_exactly_and_stay_inert() {
    let p = PAYLOAD;
    let u = url_payload();
    let specials = [
        "",
        " ",
        "null",
        "~",
        "yes",
        "NO",
        "123",
        "0x1f",
        "1e3",
        "---",
        "...",
        "- x",
        "? y",
        "#",
        "&a",
        "*a",
        "!x",
        "%x",
        "@x",
        "`x",
        "|",
        ">",
        "'",
        "\"",
        "{}",
        "[]",
        "{{#if x}}",
        "</script>",
    ];
    let mut webhooks: Vec<Value> = specials
        .iter()
        .enumerate()
        .map(|(i, e)| json!({"key": format!("hook-{i}"), "event": e, "url": format!("/hook/{i}")}))
        .collect();
    webhooks.push(json!({"key": "hook-payload", "event": p, "url": format!("/hook?{p}")}));
    let page = json!({
        "key": "page",
        "name": {"value": p, "i18n": p},
        "url": format!("/page?{p}"),
        "location": p,
        "conditions": [{"condition": "user_is_logged_in", "params": {p: p, "k: v": "#", "---": ""}}]
    });
    let descriptor = json!({
        "key": "com.example.inject",
        "name": format!("{p} {{{{app.key}}}} {{{{x}}}} ${{x}}"),
        "description": p,
        "baseUrl": format!("https://inject.example.com/{u}"),
        "authentication": {"type": "jwt"},
        "lifecycle": {"installed": format!("/installed?{p}"), "uninstalled": p},
        "modules": {
            "jiraBackgroundScripts": [
                {"key": "bg-issue", "url": format!("/bg?{u}"), "location": {"type": "issue_view", "shouldReloadOnRefresh": true}},
                {"key": "bg-dash", "url": "/dash</script><!--*/`${ x}`", "location": {"type": "dashboard"}}
            ],
            "generalPages": [page],
            "webhooks": webhooks
        }
    });
    let text = serde_json::to_string_pretty(&descriptor).unwrap();
    let (_dir, path) = temp_file("inject.json", text.as_bytes());
    let run = migrate(&path, &[]);
    run.migrated();

    // The manifest parses (one document) to exactly the original values.
    let m = run.manifest();
    let d = &descriptor;
    assert_eq!(m["app"]["description"], d["description"]);
    assert_eq!(m["app"]["connect"]["key"], d["key"]);
    assert_eq!(m["remotes"][0]["baseUrl"], d["baseUrl"]);
    let cm = &m["connectModules"];
    let lifecycle = &cm["jira:lifecycle"][0];
    assert_eq!(lifecycle["installed"], d["lifecycle"]["installed"]);
    assert_eq!(lifecycle["uninstalled"], d["lifecycle"]["uninstalled"]);
    assert_eq!(
        cm["jira:generalPages"],
        json!([d["modules"]["generalPages"][0]])
    );
    assert_eq!(cm["jira:webhooks"], d["modules"]["webhooks"]);
    assert_eq!(
        m["modules"]["jira:issueViewBackgroundScript"],
        json!([{"key": "bg-issue", "resource": "bg-issue", "shouldReloadOnRefresh": true}])
    );
    assert!(
        m.get("environment").is_none(),
        "no placeholder in the payload: {m:#}"
    );
    let manifest_text = run.file("manifest.yml");
    assert!(!manifest_text.contains("\ninjected"), "{manifest_text}");

    for (key, url) in [
        ("bg-issue", format!("/bg?{u}")),
        ("bg-dash", "/dash</script><!--*/`${ x}`".to_string()),
    ] {
        // index.html: only the template's own script and comment; the name is escaped text, and
        // its handlebars-looking parts are literal.
        let template = include_str!("../templates/scaffold/index.html.hbs");
        let html = run.file(&format!("static/{key}/index.html"));
        for tag in ["<script", "</script", "<!--", "-->"] {
            assert_eq!(
                count_ci(&html, tag),
                count_ci(template, tag),
                "{tag} in {html}"
            );
        }
        let title = format!(
            "<title>{} - {key}</title>",
            html_escape(d["name"].as_str().unwrap())
        );
        assert!(html.contains(&title), "{html}");
        assert!(
            html.contains("{{app.key}} {{x}} ${x}"),
            "a directive from data was evaluated: {html}"
        );

        // main.js: the constants evaluate to the originals.
        let main = run.file(&format!("static/{key}/src/main.js"));
        let c = js_constants(&main);
        assert_eq!(c["CONNECT_URL"], json!(url));
        assert_eq!(c["MODULE_KEY"], json!(key));
        assert_eq!(c["CONNECT_APP_KEY"], d["key"]);
        assert!(!main.contains("</script"), "{main}");

        let package: Value =
            serde_json::from_str(&run.file(&format!("static/{key}/package.json"))).unwrap();
        assert_eq!(package["name"], json!(key));
    }
}

/// A baseUrl the app's own scripts write before each run (left empty, or a note such as
/// `<ngrok url here>`) is a placeholder for the whole value: the Forge variable BASE_URL, or the
/// `--var baseUrl=` value. Refused before ("not an absolute http(s) URL", "must not be empty").
#[test]
fn a_base_url_left_for_the_tooling_is_a_variable() {
    for written in ["", "<ngrok url here>"] {
        let descriptor = json!({
            "key": "com.example.tooling",
            "baseUrl": written,
            "modules": {
                "jiraBackgroundScripts": [
                    {"key": "bg", "url": "/bg", "location": {"type": "dashboard"}}
                ],
                "webhooks": [{"key": "h", "event": "jira:issue_created", "url": "/h"}]
            }
        });
        let text = serde_json::to_string_pretty(&descriptor).unwrap();
        let (_dir, path) = temp_file("tooling.json", text.as_bytes());
        // Kept on Connect, so the app has a remote.
        let run = migrate(&path, &["--keep-connect", "webhooks"]);
        run.migrated();
        let m = run.manifest();
        assert_eq!(m["remotes"][0]["baseUrl"], "${BASE_URL}", "{written:?}");
        assert_eq!(m["environment"]["variables"], json!(["BASE_URL"]));
        let run = migrate(
            &path,
            &[
                "--keep-connect",
                "webhooks",
                "--var",
                "baseUrl=https://tooling.example.com",
            ],
        );
        run.migrated();
        assert_eq!(
            run.manifest()["remotes"][0]["baseUrl"],
            "https://tooling.example.com"
        );
    }
    // Angle brackets around a URL or a template tag are not a note: still refused.
    for written in ["<https://a.example.com>", "<%= base_url %>"] {
        let descriptor = json!({"key": "k", "baseUrl": written, "modules": {}});
        let text = serde_json::to_string_pretty(&descriptor).unwrap();
        let (_dir, path) = temp_file("angle.json", text.as_bytes());
        let run = migrate(&path, &["--product", "jira"]);
        assert_eq!(run.code, Some(2), "{written}");
    }
}

/// Placeholder syntax in carried values follows the documented conversion (docs/mapping.md,
/// "Placeholders"): `{{x}}` and `${x}` become the Forge variable `${X}` (declared under
/// `environment.variables`), dotted `${issue.key}` inside modules stays, and directives are left
/// alone. The app name is not a manifest value: it stays literal in index.html.
#[test]
fn placeholders_in_carried_values_become_forge_variables() {
    let descriptor = json!({
        "key": "com.example.vars",
        "name": "{{app.key}} {{x}} ${x} {{#each modules}}",
        "description": "a {{x}} b ${y} c {{app.key}} d {{#if z}}e{{/if}}",
        "baseUrl": "https://vars.example.com/{{x}}",
        "lifecycle": {"installed": "/i?${y}"},
        "modules": {
            "jiraBackgroundScripts": [{"key": "bg", "url": "/bg", "location": {"type": "dashboard"}}],
            "webhooks": [{"key": "h", "event": "jira:issue_created", "url": "/h?issue=${issue.key}&x=${x}&t={{x}}"}]
        }
    });
    let text = serde_json::to_string_pretty(&descriptor).unwrap();
    let (_dir, path) = temp_file("vars.json", text.as_bytes());
    // Kept on Connect, so the carried values are seen as written.
    let run = migrate(
        &path,
        &["--keep-connect", "webhooks", "--keep-connect", "lifecycle"],
    );
    run.migrated();
    let m = run.manifest();
    assert_eq!(
        m["app"]["description"],
        "a ${X} b ${Y} c ${APP_KEY} d {{#if z}}e{{/if}}"
    );
    assert_eq!(m["remotes"][0]["baseUrl"], "https://vars.example.com/${X}");
    assert_eq!(
        m["connectModules"]["jira:lifecycle"][0]["installed"],
        "/i?${Y}"
    );
    assert_eq!(
        m["connectModules"]["jira:webhooks"][0]["url"],
        "/h?issue=${issue.key}&x=${X}&t=${X}"
    );
    assert_eq!(m["environment"]["variables"], json!(["APP_KEY", "X", "Y"]));
    let html = run.file("static/bg/index.html");
    assert!(
        html.contains("<title>{{app.key}} {{x}} ${x} {{#each modules}} - bg</title>"),
        "{html}"
    );
}
