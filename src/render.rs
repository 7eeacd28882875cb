//! Rendering the plan's files through handlebars templates.
//!
//! Templates are files under `templates/`, embedded at build time and overridable one by one with
//! `--templates DIR`. Strict mode makes a missing variable an error. No HTML escaping by default:
//! each output language has its own helper (`yaml`, `json`, `html`), and every rendered YAML file is
//! parsed back and compared with the values it must carry before anyone sees it.

use std::path::Path;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::mapping::{BackgroundModule, ForgeApp, CONNECT_REMOTE};
use crate::plan::{Ownership, PlannedFile};

pub mod parse_back;

/// The manifest template's name.
pub const MANIFEST: &str = "manifest.yml.hbs";

/// Every default template: name (path under `templates/`) and text.
pub const DEFAULTS: &[(&str, &str)] = &[
    (MANIFEST, include_str!("../templates/manifest.yml.hbs")),
    (
        "scaffold/package.json.hbs",
        include_str!("../templates/scaffold/package.json.hbs"),
    ),
    (
        "scaffold/index.html.hbs",
        include_str!("../templates/scaffold/index.html.hbs"),
    ),
    (
        "scaffold/src/main.js.hbs",
        include_str!("../templates/scaffold/src/main.js.hbs"),
    ),
    (
        "scaffold/scripts/build.mjs.hbs",
        include_str!("../templates/scaffold/scripts/build.mjs.hbs"),
    ),
    (
        "scaffold/.gitignore.hbs",
        include_str!("../templates/scaffold/.gitignore.hbs"),
    ),
];

/// The compiled templates of one run (compiled once, used for every module).
pub struct Templates {
    hb: Handlebars<'static>,
    /// Where each template came from (`built-in` or the override's path), for messages.
    origins: Vec<(String, String)>,
}

impl Templates {
    /// The built-in templates, each replaced by `DIR/<name>` where `overrides` has that file.
    pub fn load(overrides: Option<&Path>) -> Result<Self> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        hb.register_helper("yaml", Box::new(yaml_helper));
        hb.register_helper("json", Box::new(json_helper));
        hb.register_helper("html", Box::new(html_helper));
        let mut origins = Vec::new();
        if let Some(dir) = overrides {
            if !dir.is_dir() {
                return Err(Error::Usage(format!(
                    "--templates {}: not a folder",
                    dir.display()
                )));
            }
            check_override_names(dir)?;
        }
        for (name, text) in DEFAULTS {
            // Whatever stands at an override's name is read or refused (a FIFO, a device, a
            // folder, a dangling symlink: exit 2 with its path), never silently skipped.
            let bytes = match overrides.map(|d| d.join(name)) {
                Some(p) => crate::apply::read_regular(&p)?.map(|b| (p, b)),
                None => None,
            };
            let (text, origin) = match bytes {
                Some((p, b)) => {
                    let origin = p.display().to_string();
                    (crate::source::decode(&origin, b)?, origin)
                }
                None => (text.to_string(), "built-in".to_string()),
            };
            hb.register_template_string(name, text)
                .map_err(|e| Error::Template {
                    name: format!("{name} ({origin})"),
                    message: e.to_string(),
                })?;
            origins.push((name.to_string(), origin));
        }
        Ok(Self { hb, origins })
    }

    fn origin(&self, name: &str) -> String {
        self.origins
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| name.to_string(), |(n, o)| format!("{n} ({o})"))
    }

    /// Takes the context by value: `Handlebars::render` would deep-copy it into a `Context` first.
    fn render(&self, name: &str, data: Value) -> Result<String> {
        self.render_in(name, &Context::from(data))
    }

    /// Renders `name` with a context the caller keeps (to take values back out of it).
    fn render_in(&self, name: &str, ctx: &Context) -> Result<String> {
        self.hb
            .render_with_context(name, ctx)
            .map_err(|e| Error::Template {
                name: self.origin(name),
                message: e.to_string(),
            })
    }

    /// Renders every file of the app: the manifest (managed, first) and each script's scaffold.
    /// The manifest is not yet checked: the caller runs [`Templates::check_manifest`] on it before
    /// anything is shown or written ([`crate::migrate_text`] does at once; the CLI beside planning).
    ///
    /// The app's `connectModules` entries (most of a big app) are lent to the template context
    /// rather than copied into it, and are back in `app` when this returns.
    pub fn render_app_unchecked(&self, app: &mut ForgeApp) -> Result<Vec<PlannedFile>> {
        let connect_modules = std::mem::take(&mut app.connect_modules);
        let mut ctx = Context::from(manifest_context(app, connect_modules));
        let rendered = self.render_in(MANIFEST, &ctx);
        app.connect_modules = take_connect_modules(ctx.data_mut());
        let manifest = rendered?;
        let mut files = vec![PlannedFile {
            path: "manifest.yml".into(),
            content: manifest,
            ownership: Ownership::Managed,
        }];
        for s in &app.background_scripts {
            files.extend(self.render_scaffold(&app.connect_key, &app.name, s)?);
        }
        Ok(files)
    }

    /// Parses the rendered manifest back and checks that it carries exactly the migration's
    /// values and would deploy (a refusal names the manifest template).
    pub fn check_manifest(&self, manifest: &str, app: &ForgeApp) -> Result<()> {
        check_manifest(manifest, app).map_err(|message| Error::Template {
            name: self.origin(MANIFEST),
            message,
        })
    }

    /// Renders the Custom UI scaffold of one background script (files under its scaffold folder).
    pub fn render_scaffold(
        &self,
        app_key: &str,
        app_name: &str,
        s: &BackgroundModule,
    ) -> Result<Vec<PlannedFile>> {
        let data = json!({
            "app": {"key": app_key, "name": app_name},
            "module": {
                "key": s.key,
                "location": s.location.as_str(),
                "is_issue_view": s.location == crate::descriptor::Location::IssueView,
                "forge_type": s.forge_type,
                "resource_key": s.resource_key,
                "connect_url": s.connect_url,
                "package_name": s.resource_key.to_ascii_lowercase(),
                "should_reload_on_refresh": s.should_reload_on_refresh.unwrap_or(false),
            },
        });
        let mut files = Vec::new();
        for (name, _) in DEFAULTS.iter().filter(|(n, _)| n.starts_with("scaffold/")) {
            let content = self.render(name, data.clone())?;
            let rel = name
                .trim_start_matches("scaffold/")
                .trim_end_matches(".hbs");
            if rel.ends_with(".json") {
                serde_json::from_str::<Value>(&content).map_err(|e| Error::Template {
                    name: self.origin(name),
                    message: format!("renders invalid JSON: {e}"),
                })?;
            }
            files.push(PlannedFile {
                path: format!("{}/{rel}", s.scaffold_dir),
                content,
                ownership: Ownership::Scaffold,
            });
        }
        Ok(files)
    }
}

fn check_override_names(dir: &Path) -> Result<()> {
    let mut unknown = Vec::new();
    visit(dir, dir, &mut |rel: String| {
        if !DEFAULTS.iter().any(|(n, _)| *n == rel) {
            unknown.push(rel);
        }
    })
    .map_err(|e| Error::io(dir, e))?;
    if unknown.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "--templates {}: no built-in template is called {}; templates are: {}",
        dir.display(),
        unknown.join(", "),
        DEFAULTS
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

fn visit(root: &Path, dir: &Path, f: &mut dyn FnMut(String)) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // The entry's own type: a symlink to a folder is not followed (a link to a parent
        // would recurse forever); it is checked by name like a file.
        if entry.file_type()?.is_dir() {
            visit(root, &path, f)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            f(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// What the manifest template sees; `connect_modules` are the app's, moved in.
fn manifest_context(app: &ForgeApp, connect_modules: Vec<(String, Vec<Value>)>) -> Value {
    let scripts: Vec<Value> = app
        .background_scripts
        .iter()
        .map(|s| {
            json!({
                "key": s.key,
                "forge_type": s.forge_type,
                "resource_key": s.resource_key,
                "resource_path": s.resource_path,
                "has_reload": s.should_reload_on_refresh.is_some(),
                "should_reload_on_refresh": s.should_reload_on_refresh,
                "connect_url": s.connect_url,
            })
        })
        .collect();
    let mut groups = Vec::new();
    for t in [
        "jira:issueViewBackgroundScript",
        "jira:dashboardBackgroundScript",
    ] {
        let entries: Vec<&Value> = scripts.iter().filter(|s| s["forge_type"] == t).collect();
        if !entries.is_empty() {
            groups.push(json!({"type": t, "entries": entries}));
        }
    }
    let remote = (!connect_modules.is_empty()).then_some(CONNECT_REMOTE);
    let mut ctx = json!({
        "app": {
            "id": app.app_id,
            "runtime": app.runtime,
            "connect_key": app.connect_key,
            "name": app.name,
            "description": app.description,
            "remote": remote,
            "remote_key": CONNECT_REMOTE,
            "authentication": app.authentication,
            "base_url": app.base_url,
        },
        "background_scripts": scripts,
        "module_groups": groups,
        "connect_modules": null,
        "scopes": app.scopes,
        "variables": app.variables,
    });
    // Set afterwards: `json!` serializes (copies) every value it is given.
    ctx["connect_modules"] = Value::Array(connect_modules.into_iter().map(connect_group).collect());
    ctx
}

/// One `connect_modules` group of the context, built by moving (`json!` would serialize a copy
/// of every entry).
fn connect_group((module_type, entries): (String, Vec<Value>)) -> Value {
    let mut group = serde_json::Map::new();
    group.insert("type".into(), Value::String(module_type));
    group.insert("entries".into(), Value::Array(entries));
    Value::Object(group)
}

/// Moves the `connect_modules` of a manifest context back out (the inverse of
/// [`manifest_context`]; a helper cannot change the context, so they are as they went in).
fn take_connect_modules(ctx: &mut Value) -> Vec<(String, Vec<Value>)> {
    let Some(Value::Array(groups)) = ctx.get_mut("connect_modules").map(Value::take) else {
        return Vec::new();
    };
    groups
        .into_iter()
        .filter_map(|mut g| {
            let t = g.get("type")?.as_str()?.to_string();
            match g.get_mut("entries").map(Value::take) {
                Some(Value::Array(e)) => Some((t, e)),
                _ => None,
            }
        })
        .collect()
}

/// Parses the rendered manifest back and checks it carries exactly the migration's values.
fn check_manifest(text: &str, app: &ForgeApp) -> std::result::Result<(), String> {
    let parsed =
        parse_back::parse(text).map_err(|e| format!("renders YAML that does not parse: {e}"))?;
    carries(&parsed, app).map_err(|path| {
        format!("the rendered manifest does not carry the migrated value at {path} (a template must not change or drop values)")
    })?;
    let problems: Vec<String> = crate::selfcheck::check(&parsed)
        .0
        .into_iter()
        .filter(|f| f.severity == crate::error::Severity::Error)
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the rendered manifest would not deploy: {}",
            problems.join("; ")
        ))
    }
}

/// Whether the parsed manifest `have` holds every value of the app's manifest
/// ([`ForgeApp::manifest_value`]): [`contains`] on it, key by key in the same order, with the
/// `connectModules` entries compared where they are, in the app, instead of copied into a value
/// first (they are most of a big app).
fn carries(have: &Value, app: &ForgeApp) -> std::result::Result<(), String> {
    let Value::Object(want) = app.manifest(false) else {
        return Err("$".into());
    };
    let Value::Object(have) = have else {
        return Err("$".into());
    };
    for (k, wv) in want {
        let p = crate::json::child("$", &k);
        if k == "connectModules" {
            let Some(Value::Object(h)) = have.get(&k) else {
                return Err(p);
            };
            for (t, entries) in &app.connect_modules {
                let tp = crate::json::child(&p, t);
                match h.get(t) {
                    Some(Value::Array(h)) if h.len() == entries.len() => {
                        for (i, (hv, wv)) in h.iter().zip(entries).enumerate() {
                            contains(hv, wv, &crate::json::index(&tp, i))?;
                        }
                    }
                    _ => return Err(tp),
                }
            }
            continue;
        }
        match have.get(&k) {
            Some(hv) => contains(hv, &wv, &p)?,
            None => return Err(p),
        }
    }
    Ok(())
}

/// Whether `have` holds every value of `want` (objects may have more keys; arrays and scalars
/// must match). On failure, the first differing path.
pub fn contains(have: &Value, want: &Value, path: &str) -> std::result::Result<(), String> {
    let mut at = Vec::new();
    if holds(have, want, &mut at) {
        return Ok(());
    }
    // The path is made only now, from the steps gathered on the way out (innermost first).
    Err(at
        .iter()
        .rev()
        .fold(path.to_string(), |p, step| match step {
            Step::Key(k) => crate::json::child(&p, k),
            Step::Index(i) => crate::json::index(&p, *i),
        }))
}

/// A step of a JSON path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// [`contains`] without paths: on `false`, `at` holds the steps to the first difference,
/// innermost first. One walk of `want`; no deep `==` per level, and no hash lookup where `have`
/// has `want`'s key at the same place (every entry the templates write).
fn holds<'a>(have: &Value, want: &'a Value, at: &mut Vec<Step<'a>>) -> bool {
    match (have, want) {
        (Value::Object(h), Value::Object(w)) => {
            let mut in_order = h.iter();
            for (k, wv) in w {
                let hv = match in_order.next() {
                    Some((hk, hv)) if hk == k => Some(hv),
                    _ => h.get(k),
                };
                if !hv.is_some_and(|hv| holds(hv, wv, at)) {
                    at.push(Step::Key(k));
                    return false;
                }
            }
            true
        }
        (Value::Array(h), Value::Array(w)) if h.len() == w.len() => {
            for (i, (hv, wv)) in h.iter().zip(w).enumerate() {
                if !holds(hv, wv, at) {
                    at.push(Step::Index(i));
                    return false;
                }
            }
            true
        }
        (Value::Number(h), Value::Number(w)) => h == w || h.as_f64() == w.as_f64(),
        (h, w) => h == w,
    }
}

/// Writes `v` as YAML: a one-line scalar, or with `indent` a block whose lines after the first
/// are indented by that many spaces (for a value after `- ` or `key: `).
pub fn yaml_value(v: &Value, indent: Option<usize>) -> std::result::Result<String, String> {
    let mut out = String::new();
    match v {
        Value::Object(_) | Value::Array(_) => {
            let Some(n) = indent else {
                // A flow collection: JSON is valid YAML.
                return serde_json::to_string(v).map_err(|e| e.to_string());
            };
            block(v, n, &mut out)?;
        }
        other => scalar(other, &mut out)?,
    }
    Ok(out)
}

/// Writes a scalar on one line. Strings are written as yaml_serde writes them, with two
/// exceptions: characters a one-line scalar cannot hold are escaped in double quotes, and YAML 1.1
/// booleans and sexagesimals are quoted.
fn scalar(v: &Value, out: &mut String) -> std::result::Result<(), String> {
    match v {
        Value::String(s) => yaml_str(s, out),
        other => {
            out.push_str(&serde_json::to_string(other).map_err(|e| e.to_string())?);
            Ok(())
        }
    }
}

fn yaml_str(s: &str, out: &mut String) -> std::result::Result<(), String> {
    if plain_safe(s) {
        // What yaml_serde writes for these, without running an emitter per scalar.
        out.push_str(s);
    } else if s.chars().any(needs_yaml_escape) {
        yaml_double_quoted(s, out);
    } else {
        let y = serde_yaml::to_string(s).map_err(|e| e.to_string())?;
        let y = y.trim_end_matches('\n');
        // yaml_serde writes YAML 1.2, where `yes` or `1:20` are strings; YAML 1.1 parsers
        // (still common) read them as a boolean or a number. Quote those too.
        if y == s && is_yaml11_special(s) {
            // Single-quoted: only `'` needs escaping there (doubled); a timestamp-like string
            // may hold one (`2001-12-14'`).
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        } else {
            out.push_str(y);
        }
    }
    Ok(())
}

/// Writes a collection in block style, its first line unindented (it follows `- ` or `key: `) and
/// the others at `indent` spaces; every scalar and key is written as by [`yaml_value`].
fn block(v: &Value, indent: usize, out: &mut String) -> std::result::Result<(), String> {
    let new_line = |out: &mut String| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent));
    };
    let empty = |v: &Value| match v {
        Value::Object(o) => o.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => true,
    };
    match v {
        Value::Object(o) if !o.is_empty() => {
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    new_line(out);
                }
                let start = out.len();
                yaml_str(k, out)?;
                // YAML limits implicit keys to 1024 characters: longer ones take the explicit
                // `? key` form, with the `:` on the next line.
                if out.len() - start > 1000 {
                    out.insert_str(start, "? ");
                    new_line(out);
                }
                out.push(':');
                if empty(v) {
                    out.push(' ');
                    scalar_or_empty(v, out)?;
                } else {
                    new_line(out);
                    out.push_str("  ");
                    block(v, indent + 2, out)?;
                }
            }
            Ok(())
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    new_line(out);
                }
                out.push_str("- ");
                if empty(item) {
                    scalar_or_empty(item, out)?;
                } else {
                    block(item, indent + 2, out)?;
                }
            }
            Ok(())
        }
        other => scalar_or_empty(other, out),
    }
}

fn scalar_or_empty(v: &Value, out: &mut String) -> std::result::Result<(), String> {
    match v {
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        other => scalar(other, out)?,
    }
    Ok(())
}

/// Characters a YAML scalar cannot carry literally on one line: line breaks (including YAML 1.1's
/// NEL, LS and PS), anything outside YAML's printable set, the BOM, and bidi controls (which
/// would make the file read differently from what it holds).
fn needs_yaml_escape(c: char) -> bool {
    let printable = matches!(c, '\t' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    !printable || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') || is_bidi_control(c)
}

/// Unicode bidirectional formatting characters ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A YAML double-quoted scalar with every special character escaped.
fn yaml_double_quoted(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_yaml_escape(c) && (c as u32) <= 0xffff => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if needs_yaml_escape(c) => out.push_str(&format!("\\U{:08x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Strings yaml_serde writes as they are (a plain scalar): printable ASCII starting with a letter,
/// `/`, `_` or `$` (so not a number, and no indicator), not a YAML 1.1 special word nor a word Rust
/// parses as a float, without `: ` or ` #` inside, and not ending with a space or `:` (libyaml's
/// rules for a plain scalar in block context). Written without running an emitter per scalar
/// (which was a quarter of the run on large descriptors); `plain_safe_strings_are_what_yaml_serde_writes`
/// holds this to yaml_serde.
fn plain_safe(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b.first(), Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'_' | b'$'))
        && b.iter().all(|c| (b' '..=b'~').contains(c))
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !is_yaml11_special(s)
        && !["inf", "infinity", "nan"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(s))
}

/// Plain scalars that a common YAML reader reads as something other than this string: YAML 1.1
/// (PyYAML, SnakeYAML, libyaml-based readers) and YAML 1.2 (core and JSON schemas). A superset on
/// purpose: quoting a string that needed none costs two characters, a plain one misread changes
/// the value. Covers booleans (`y`, `on`, any case), null (`~`, `null`, empty), the value and merge
/// keys (`=`, `<<`), numbers with `_`, base prefixes (`0x`, `0o`, `0b`), exponents and
/// sexagesimals (`1:20`), `.inf`/`.nan`, and timestamps (`2001-12-14...`).
fn is_yaml11_special(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "", "=", "<<",
    ];
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return true;
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if [".inf", ".nan", "inf", "nan", "infinity", ".infinity"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(body))
    {
        return true;
    }
    numberish(body) || timestamp_prefix(s)
}

/// A number in some YAML schema (sign already removed): `0x`/`0o`/`0b` digits, or digits with
/// `_`, `.` and `:` (decimal, octal, float, sexagesimal) and an optional exponent.
fn numberish(b: &str) -> bool {
    let bytes = b.as_bytes();
    if let [b'0', b'x' | b'X' | b'o' | b'O' | b'b' | b'B', rest @ ..] = bytes {
        if !rest.is_empty() && rest.iter().all(|c| c.is_ascii_hexdigit() || *c == b'_') {
            return true;
        }
    }
    let (mantissa, exponent) = match b.find(['e', 'E']) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let digits_ok = mantissa.bytes().any(|c| c.is_ascii_digit())
        && mantissa.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && mantissa
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'_' | b'.' | b':'));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    digits_ok && exponent_ok
}

/// YAML 1.1's timestamp starts `YYYY-M-D` (a date, or a date and a time).
fn timestamp_prefix(s: &str) -> bool {
    let mut parts = s.splitn(3, '-');
    let (Some(y), Some(m), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let d: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let all_digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit())
    };
    all_digits(y, 4..=4) && all_digits(m, 1..=2) && all_digits(&d, 1..=2)
}

/// The helper's argument; in strict mode a missing variable is an error here too (handlebars
/// checks plain `{{x}}` itself but hands helpers a null).
fn param<'a>(h: &'a Helper<'_>, name: &str) -> std::result::Result<&'a Value, RenderError> {
    let p = h.param(0).ok_or_else(|| {
        RenderError::from(RenderErrorReason::ParamNotFoundForIndex(leak(name), 0))
    })?;
    if p.is_value_missing() {
        let path = p.relative_path().cloned().unwrap_or_default();
        return Err(RenderErrorReason::MissingVariable(Some(path)).into());
    }
    Ok(p.value())
}

fn leak(name: &str) -> &'static str {
    match name {
        "yaml" => "yaml",
        "json" => "json",
        _ => "html",
    }
}

fn yaml_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let v = param(h, "yaml")?;
    let indent = h
        .hash_get("indent")
        .and_then(|i| i.value().as_u64())
        .map(|i| i as usize);
    let s = yaml_value(v, indent)
        .map_err(|e| RenderError::from(RenderErrorReason::Other(format!("yaml: {e}"))))?;
    out.write(&s)?;
    Ok(())
}

/// A JSON literal that is also safe inside `<script>` and HTML attributes.
pub fn json_literal(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .chars()
        .fold(String::new(), |mut out, c| {
            // JSON leaves DEL, C1 controls, LS/PS and bidi controls raw: escape them so the
            // generated code reads as what it is.
            if c == '\u{7f}'
                || ('\u{80}'..='\u{9f}').contains(&c)
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
                || is_bidi_control(c)
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push(c);
            }
            out
        })
}

fn json_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    out.write(&json_literal(param(h, "json")?))?;
    Ok(())
}

/// HTML text escaping.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Controls and bidi formatting characters as references: inert, and visible.
            c if (c.is_control() && !matches!(c, '\n' | '\t')) || is_bidi_control(c) => {
                out.push_str(&format!("&#x{:x};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn html_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let v = param(h, "html")?;
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    out.write(&html_escape(&s))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) {
        let y = yaml_value(&json!(s), None).unwrap();
        let doc = format!("k: {y}\n");
        let back: Value = serde_yaml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
        assert_eq!(back["k"], json!(s), "{doc}");
    }

    /// `carries` answers as `contains` against the whole manifest value would, first failing
    /// path included, for the app's own manifest and for manifests missing or changing values.
    #[test]
    fn carries_is_contains_without_the_copy() {
        let text = include_str!("../examples/atlassian-connect.json");
        let src = crate::source::SourceText::new("a.json", text.to_string());
        let d = crate::descriptor::read(&src, &Default::default()).unwrap();
        let app = crate::mapping::map(d, None).unwrap();
        assert!(!app.connect_modules.is_empty());
        let want = app.manifest_value();
        let mut cases = vec![want.clone()];
        for edit in [
            "/app/id",
            "/connectModules",
            "/permissions",
            "/remotes/0/baseUrl",
            "/modules",
        ] {
            let mut v = want.clone();
            if let Some(x) = v.pointer_mut(edit) {
                *x = json!("changed");
            }
            cases.push(v);
        }
        let (t, _) = &app.connect_modules[0];
        for edit in [json!([]), json!({"key": "other"}), json!(null)] {
            let mut v = want.clone();
            v["connectModules"][t][0] = edit;
            cases.push(v);
        }
        let mut v = want.clone();
        v["connectModules"].as_object_mut().unwrap().shift_remove(t);
        cases.push(v);
        let mut v = want.clone();
        v["connectModules"][t]
            .as_array_mut()
            .unwrap()
            .push(json!({}));
        cases.push(v);
        let mut v = want.clone();
        v["extra"] = json!(1);
        v["connectModules"][t][0]["extra"] = json!(1);
        cases.push(v);
        cases.push(json!([1]));
        for have in &cases {
            assert_eq!(carries(have, &app), contains(have, &want, "$"), "{have}");
        }
        assert!(carries(&cases[0], &app).is_ok());
        assert!(carries(&cases[1], &app).is_err());
    }

    /// Strings written as they are must be exactly what the yaml_serde emitter writes.
    fn check_plain_safe(s: &str) {
        if plain_safe(s) {
            assert_eq!(
                serde_yaml::to_string(s).ok().as_deref(),
                Some(format!("{s}\n").as_str()),
                "{s:?}"
            );
            assert!(!is_yaml11_special(s), "{s:?}");
        }
    }

    #[test]
    fn plain_safe_strings_are_what_yaml_serde_writes() {
        let ascii: Vec<char> = (' '..='~').collect();
        for a in &ascii {
            check_plain_safe(&a.to_string());
            for b in &ascii {
                check_plain_safe(&format!("{a}{b}"));
            }
        }
        // Longer strings over the characters that matter to YAML, after each allowed first one.
        let special: Vec<char> = "aZ0 :#-?,[]{}'\"/.$_!%&*|>@`~=\\".chars().collect();
        for first in ["a", "Z", "/", "$", "_", "y", "n", "o", "t", "f", "i"] {
            for b in &special {
                for c in &special {
                    for d in &special {
                        check_plain_safe(&format!("{first}{b}{c}{d}"));
                    }
                }
            }
        }
        for s in [
            "Page 0",
            "https://example.com/x?y={z}&w=[1]#frag",
            "a, b",
            "a: b",
            "a:",
            "a #b",
            "a#b",
            "a ",
            "inf",
            "Infinity",
            "NaN",
            "nan",
            "True",
            "NULL",
            "Yes",
            "off",
            "y",
            "N",
            "/a/b c",
            "$ref",
            "_x",
            "a'b\"c",
            "a\\b",
            "a - b",
            "a -",
            "a ?",
            "a|b",
            "a > b",
        ] {
            check_plain_safe(s);
        }
        assert!(plain_safe("Page 0") && plain_safe("https://example.com/x?y={z}"));
        assert!(!plain_safe("a: b") && !plain_safe("a #b") && !plain_safe("Yes"));
    }

    #[test]
    fn yaml_scalars_round_trip_hostile_strings() {
        for s in [
            "plain",
            "a: b",
            "# not a comment",
            "---",
            "{{x}}",
            "yes",
            "no",
            "null",
            "~",
            "123",
            "0x1f",
            "multi\nline",
            "tab\there",
            " lead",
            "trail ",
            "'q'",
            "\"dq\"",
            "- item",
            "",
            "&anchor",
            "*alias",
            "!tag",
            "%",
            "@",
            "`",
            "a #b",
            "ünïcödé",
            "\u{200b}\u{202e}",
            "\u{0007}",
            "https://x/{issue.key}",
        ] {
            roundtrip(s);
        }
    }

    #[test]
    fn blocks_quote_nested_yaml_11_specials_and_round_trip() {
        let v = json!({"key": "a", "value": "yes", "list": ["on", {"x": "1:20", "e": [], "o": {}}], "n": 1.5, "z": null});
        let y = yaml_value(&v, Some(6)).unwrap();
        assert!(
            y.contains("value: 'yes'") && y.contains("- 'on'") && y.contains("x: '1:20'"),
            "{y}"
        );
        let doc = format!("x:\n  y:\n    - {y}\n");
        let back: Value = serde_yaml::from_str(&doc).unwrap();
        assert_eq!(back["x"]["y"][0], v, "{doc}");
    }

    #[test]
    fn yaml_11_booleans_and_sexagesimals_are_quoted() {
        for s in ["yes", "No", "ON", "off", "y", "1:20", "190:20:30"] {
            let y = yaml_value(&json!(s), None).unwrap();
            assert!(y.starts_with('\'') || y.starts_with('"'), "{s} → {y}");
        }
        assert_eq!(yaml_value(&json!("plain"), None).unwrap(), "plain");
        // Quoted because it starts like a timestamp, with its own quote doubled.
        assert_eq!(
            yaml_value(&json!("2001-12-14'"), None).unwrap(),
            "'2001-12-14'''"
        );
    }

    #[test]
    fn yaml_blocks_indent_after_the_first_line() {
        let v = json!({"key": "a", "name": {"value": "N\nM"}, "list": [1, 2]});
        let y = yaml_value(&v, Some(6)).unwrap();
        let doc = format!("x:\n  y:\n    - {y}\n");
        let back: Value = serde_yaml::from_str(&doc).unwrap();
        assert_eq!(back["x"]["y"][0], v, "{doc}");
    }

    #[test]
    fn json_literals_cannot_close_a_script() {
        assert_eq!(
            json_literal(&json!("</script>")),
            "\"\\u003c/script\\u003e\""
        );
    }

    /// `contains` as it was before it gathered path steps: the reference for the one above.
    fn contains_before(have: &Value, want: &Value, path: &str) -> std::result::Result<(), String> {
        if have == want {
            return Ok(());
        }
        match (have, want) {
            (Value::Object(h), Value::Object(w)) => {
                for (k, wv) in w {
                    let p = crate::json::child(path, k);
                    match h.get(k) {
                        Some(hv) => contains_before(hv, wv, &p)?,
                        None => return Err(p),
                    }
                }
                Ok(())
            }
            (Value::Array(h), Value::Array(w)) if h.len() == w.len() => {
                for (i, (hv, wv)) in h.iter().zip(w).enumerate() {
                    contains_before(hv, wv, &crate::json::index(path, i))?;
                }
                Ok(())
            }
            (Value::Number(h), Value::Number(w)) if h.as_f64() == w.as_f64() => Ok(()),
            (h, w) if h == w => Ok(()),
            _ => Err(path.to_string()),
        }
    }

    /// Small values over few keys and scalars, so that pairs are often equal or nearly so.
    fn small_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(json!(null)),
            Just(json!(true)),
            Just(json!(1)),
            Just(json!(1.0)),
            Just(json!(-1)),
            Just(json!(u64::MAX)),
            Just(json!(u64::MAX - 1)),
            Just(json!("x")),
            Just(json!("a b")),
        ];
        leaf.prop_recursive(3, 24, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        proptest::sample::select(&["a", "b", "c d", "jira:x"][..]),
                        inner
                    ),
                    0..4
                )
                .prop_map(|kv| Value::Object(
                    kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                )),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, failure_persistence: None, ..Default::default() })]
        #[test]
        fn contains_agrees_with_its_former_self(h in small_value(), w in small_value()) {
            proptest::prop_assert_eq!(contains(&h, &w, "$"), contains_before(&h, &w, "$"));
            proptest::prop_assert_eq!(contains(&w, &h, "$"), contains_before(&w, &h, "$"));
            proptest::prop_assert_eq!(contains(&h, &h, "$"), Ok(()));
        }
    }

    /// The example's app and its rendered manifest.
    fn example() -> (ForgeApp, String) {
        let src = crate::source::SourceText::new(
            "atlassian-connect.json",
            include_str!("../examples/atlassian-connect.json").to_string(),
        );
        let templates = Templates::load(None).expect("built-in templates");
        let (_, app, files) =
            crate::migrate_text(&src, &Default::default(), &templates, None).expect("migrates");
        let manifest = files
            .into_iter()
            .find(|f| f.path == "manifest.yml")
            .expect("a manifest")
            .content;
        (app, manifest)
    }

    #[test]
    fn check_manifest_refuses_what_templates_break_with_yaml_serde_messages() {
        let (app, manifest) = example();
        assert_eq!(check_manifest(&manifest, &app), Ok(()));
        // Invalid YAML, after lines the line reader takes: yaml_serde's message, as before.
        for broken in [
            manifest.replacen("  runtime:\n", " runtime:\n", 1),
            manifest.replacen("    name: nodejs", "    name: [nodejs", 1),
            format!("{manifest}  : [unclosed\n"),
            manifest.replacen("connectModules:\n", "connectModules:\n\t", 1),
        ] {
            let yaml_serde = serde_yaml::from_str::<Value>(&broken).expect_err("invalid YAML");
            assert_eq!(
                check_manifest(&broken, &app),
                Err(format!("renders YAML that does not parse: {yaml_serde}")),
                "{broken}"
            );
        }
        // A changed or dropped value.
        let changed = manifest.replacen("authentication: jwt", "authentication: none", 1);
        assert_eq!(
            check_manifest(&changed, &app),
            Err("the rendered manifest does not carry the migrated value at $.app.connect.authentication (a template must not change or drop values)".into())
        );
        let dropped = manifest.replacen("      shouldReloadOnRefresh: true\n", "", 1);
        assert!(check_manifest(&dropped, &app).is_err_and(
            |e| e.contains("$.modules.jira:issueViewBackgroundScript[0].shouldReloadOnRefresh")
        ));
        // YAML the line reader leaves to yaml_serde (flow style, an anchor) is still checked.
        let flow = manifest.replacen(
            "  runtime:\n    name: nodejs24.x\n",
            "  runtime: &r {name: nodejs24.x}\n",
            1,
        );
        assert_ne!(flow, manifest);
        assert_eq!(crate::render::parse_back::parse_simple(&flow), None);
        assert_eq!(check_manifest(&flow, &app), Ok(()));
        let flow_changed = flow.replacen("{name: nodejs24.x}", "{name: nodejs22.x}", 1);
        assert!(
            check_manifest(&flow_changed, &app).is_err_and(|e| e.contains("at $.app.runtime.name"))
        );
    }

    #[test]
    fn contains_allows_additions_only() {
        let want = json!({"a": [1, {"b": 2}]});
        assert!(contains(&json!({"a": [1, {"b": 2, "c": 3}], "d": 4}), &want, "$").is_ok());
        assert_eq!(contains(&json!({"a": [1]}), &want, "$"), Err("$.a".into()));
        assert_eq!(
            contains(&json!({"a": [1, {"b": 3}]}), &want, "$"),
            Err("$.a[1].b".into())
        );
    }
}
