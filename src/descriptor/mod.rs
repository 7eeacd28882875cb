//! Reading a Connect app descriptor: lenient JSON (comments, trailing commas), template
//! placeholders, typed fields for what the mapping uses, every other module kept as raw JSON, and
//! Connect's own rules for each module type a [kind](crate::kinds) migrates (checked here, where
//! every value's place is known). All problems are collected, not the first.

pub mod json;
pub mod keys;
pub mod placeholder;
pub use crate::diagnostics::{Finding, Findings};
pub use crate::json_path::{kind, shown};
pub use crate::kinds::{is_module_key, MAX_KEY_LEN};
pub use crate::product;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::kinds::{self, ForgeModule};
use crate::source::{Position, SourceText};
use json::Located;
use product::{Detected, Product};

/// A placeholder that stays a Forge manifest variable.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Variable {
    /// The placeholder as written (`{{localBaseUrl}}`, `${addon.key}`).
    pub placeholder: String,
    /// The Forge variable (`LOCAL_BASE_URL`).
    pub name: String,
    /// Where it first occurs.
    pub first_seen: Option<Position>,
    /// A default value (Spring's `${NAME:default}`), declared with the variable.
    pub default: Option<String>,
}

/// A Connect descriptor, read and checked.
#[derive(Debug, Clone)]
pub struct Descriptor {
    /// The input's name.
    pub file: String,
    /// Jira or Confluence.
    pub product: Product,
    /// The Connect app key.
    pub key: String,
    /// App name, if any.
    pub name: Option<String>,
    /// App description, if any.
    pub description: Option<String>,
    /// The Connect baseUrl (placeholders replaced).
    pub base_url: String,
    /// `authentication.type` (lower-case), if given.
    pub authentication: Option<String>,
    /// Connect scopes, upper-case (`READ`, `ACT_AS_USER`).
    pub scopes: Vec<String>,
    /// The `lifecycle` object.
    pub lifecycle: Option<Map<String, Value>>,
    /// Whether `--keep-connect lifecycle` keeps the lifecycle on Connect.
    pub keep_lifecycle: bool,
    /// The `translations` object.
    pub translations: Option<Value>,
    /// The `cloudAppMigration` object.
    pub cloud_app_migration: Option<Value>,
    /// Every module that stays on Connect, by type, in descriptor order, each type as a list
    /// of raw entries (singletons such as `configurePage` become one-element lists).
    pub modules: Vec<(String, Vec<Value>)>,
    /// The modules that become native Forge modules (each made by its [kind](crate::kinds)), in
    /// descriptor order, without resources yet.
    pub forge_modules: Vec<ForgeModule>,
    /// Placeholders left as Forge variables.
    pub variables: Vec<Variable>,
    /// Warnings (the run goes on).
    pub warnings: Vec<Diagnostic>,
    /// Where the values that mapping may report on start (JSON path → position): the module
    /// lists, each entry without a string key or with `unlicensedAccess`, and the descriptor-level
    /// objects carried as connectModules. Mapping runs after the document is moved apart, so its
    /// findings take their places from here.
    pub places: HashMap<String, Position>,
}

/// How to read a descriptor.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--var NAME=VALUE`: placeholder values.
    pub vars: BTreeMap<String, String>,
    /// `--product`: overrides detection.
    pub product: Option<Product>,
    /// `--keep-connect TYPE|KEY`: module types or keys left on Connect on purpose.
    pub keep_connect: Vec<String>,
}

/// A `--var` value becomes part of a JSON string (or, outside one, JSON text): a control
/// character in it (a line break, a tab, ESC) would make a value strict JSON cannot hold, and a
/// line break would split a YAML scalar or a message line. Refused as a usage error naming the
/// variable (the value itself is not quoted: it is what holds the character).
fn check_vars(vars: &BTreeMap<String, String>) -> Result<()> {
    for (name, value) in vars {
        if let Some((at, c)) = value.char_indices().find(|(_, c)| c.is_control()) {
            let what = match c {
                '\n' | '\r' => "a line break",
                '\t' => "a tab",
                _ => "a control character",
            };
            return Err(Error::Usage(format!(
                "--var {name}: the value holds {what} (U+{:04X}) at byte {at}; descriptor values are strict JSON strings, which cannot hold one: pass the value on one line, without control characters",
                u32::from(c)
            )));
        }
    }
    Ok(())
}

/// How every "this is the wrong file" error starts.
pub const NOT_AN_INPUT: &str = "not a Connect descriptor or Forge manifest";

/// The top-level fields of which a Connect descriptor has at least one (all three, when valid).
const IDENTIFYING: [&str; 3] = ["key", "baseUrl", "modules"];

/// `--var` values whose name is no placeholder of the descriptor: one warning each, naming the
/// closest placeholder when one is close (a typo), else the placeholders there are. Said first,
/// since the placeholder meant becomes a Forge variable instead.
fn unused_vars(src: &SourceText, vars: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    if vars.is_empty() {
        return Vec::new();
    }
    let mut names: Vec<String> = placeholder::find(&src.text, true)
        .into_iter()
        .map(|f| f.name)
        .collect();
    names.sort();
    names.dedup();
    vars.keys()
        .filter(|v| !names.contains(v))
        .map(|v| {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let hint = match closest(v, &refs) {
                Some(near) => format!(" (did you mean --var {near}=...?)"),
                None if names.is_empty() => " (it has none)".to_string(),
                None => format!(" (its placeholders: {})", names.join(", ")),
            };
            Diagnostic {
                severity: Severity::Warning,
                file: src.name.clone(),
                position: None,
                path: None,
                module: None,
                message: format!(
                    "--var {v}=... was not used: the descriptor has no placeholder {{{{{v}}}}} or ${{{v}}}{hint}"
                ),
            }
        })
        .collect()
}

/// Top-level fields the mapping uses or deliberately drops (each with its reason).
const DROPPED: &[(&str, &str)] = &[
    ("vendor", "Forge has no vendor field; the Marketplace listing keeps it"),
    ("links", "Forge has no links field; the Marketplace listing keeps them"),
    ("apiVersion", "Forge versions apps itself on every deploy"),
    ("enableLicensing", "Forge licensing is set with app.licensing and the Marketplace listing; review it before listing"),
    ("apiMigrations", "Forge apps always use the current API behaviour (signed install, context QSH, GDPR)"),
    ("regionBaseUrls", "Forge remotes take per-region baseUrl objects; add them to remotes by hand"),
    ("icon", "Forge apps take their icon from the developer console"),
];

/// Reads a descriptor from its text. Returns every error found at once.
pub fn read(src: &SourceText, options: &ReadOptions) -> Result<Descriptor> {
    check_vars(&options.vars)?;
    let (text, edits) = prefill(src, &options.vars)?;
    let map_offset = |o: usize| map_back(&edits, o);
    let mut located = json::parse(src, &text, &map_offset).map_err(|mut d| {
        if src.text.contains("<%") {
            d.message
                .push_str(" (this looks like an ERB template: render it first)");
        } else if !crate::manifest::adopt::looks_like_json(&src.text) {
            // Neither JSON nor a manifest (which would have been adopted): the wrong file.
            d.message = format!(
                "{NOT_AN_INPUT}: {} (a Connect descriptor is a JSON object; a Forge manifest is YAML with a top-level app:)",
                d.message
            );
        }
        Error::input(*d)
    })?;
    drop(text);
    // The document is read in place, never copied (a 20,000-module descriptor is ~30 MB of
    // values): checks that need it as written, then placeholders filled in place, then the
    // remaining checks, and only then are its parts moved into the `Descriptor`.
    let mut warnings = unused_vars(src, &options.vars);
    warnings.append(&mut located.warnings);
    let (product, diags) = {
        let mut r = Reader::new(src, &located, options, warnings);
        match r.product() {
            Some(p) => (p, r.diags),
            None => return Err(Error::Input(r.diags)),
        }
    };
    let variables = Filler {
        src,
        options,
        variables: BTreeMap::new(),
    }
    .fill_carried(&mut located);
    // Forge requires a key on every module: keyless entries get theirs before the kinds see them.
    let keyed = match located.value.get_mut("modules") {
        Some(Value::Object(m)) => keys::give_keys(m, |t| {
            kinds::by_connect_type(t).is_some_and(|k| k.own_checks())
        }),
        _ => Vec::new(),
    };
    let mut r = Reader::new(src, &located, options, diags);
    for (path, k) in keyed {
        let msg = format!("entry has no key (Forge requires one): generated \"{k}\"");
        r.warn(&path, None, msg);
    }
    let checked = r.check(product);
    let errors = r.diags.iter().any(|d| d.severity == Severity::Error);
    let diags = r.diags;
    let (Some(c), false) = (checked, errors) else {
        return Err(Error::Input(sorted(diags)));
    };
    let places = places(src, &located);
    let Value::Object(mut root) = located.value else {
        return Err(Error::Input(sorted(diags)));
    };
    let lifecycle = match root.swap_remove("lifecycle") {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    };
    Ok(Descriptor {
        file: src.name.clone(),
        product,
        key: c.key,
        name: c.name,
        description: c.description,
        base_url: c.base_url,
        authentication: c.authentication,
        scopes: c.scopes,
        lifecycle,
        keep_lifecycle: options.keep_connect.iter().any(|k| k == "lifecycle"),
        translations: root.swap_remove("translations"),
        cloud_app_migration: root.swap_remove("cloudAppMigration"),
        modules: carried_modules(root.swap_remove("modules"), &c.migrated),
        forge_modules: c.forge_modules,
        variables: variables.into_values().collect(),
        warnings: diags,
        places,
    })
}

/// The places [`Descriptor::places`] keeps. Only entries mapping may warn about are located (a
/// big app has tens of thousands of keyed entries).
fn places(src: &SourceText, located: &json::Located) -> HashMap<String, Position> {
    let mut places = HashMap::new();
    // Keyed by the path as mapping writes it; looked up by the path as json builds it.
    let mut put_at = |key: String, path: &str| {
        if let Some(o) = located.offset(path) {
            places.insert(key, src.position(o));
        }
    };
    for field in ["scopes", "authentication"] {
        if located.value.get(field).is_some() {
            put_at(format!("$.{field}"), &json::child("$", field));
        }
    }
    for field in ["lifecycle", "translations", "cloudAppMigration"] {
        if located.value.get(field).is_some() {
            put_at(format!("$.{field}"), &json::child("$", field));
            put_at(
                format!("$.{field}.key"),
                &json::child(&json::child("$", field), "key"),
            );
        }
    }
    // Each lifecycle callback, for the warnings of its migration.
    if let Some(Value::Object(l)) = located.value.get("lifecycle") {
        for k in l.keys() {
            let at = json::child(&json::child("$", "lifecycle"), k);
            put_at(format!("$.lifecycle.{k}"), &at);
        }
    }
    let Some(Value::Object(modules)) = located.value.get("modules") else {
        return places;
    };
    for (module_type, entries) in modules {
        let list = json::child("$.modules", module_type);
        let entries: Vec<&Value> = match entries {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        put_at(format!("$.modules.{module_type}"), &list);
        for (i, e) in entries.into_iter().enumerate() {
            let unkeyed = !e.get("key").is_some_and(Value::is_string);
            if unkeyed || e.get("unlicensedAccess").is_some() {
                put_at(
                    format!("$.modules.{module_type}[{i}]"),
                    &json::index(&list, i),
                );
            }
        }
    }
    places
}

/// The module lists of a checked `modules` object, moved out of it: every entry that stays on
/// Connect (not in `migrated`), in descriptor order, a singleton object as a one-element list; a
/// type none of whose entries stays is left out.
fn carried_modules(
    modules: Option<Value>,
    migrated: &HashSet<(String, usize)>,
) -> Vec<(String, Vec<Value>)> {
    let Some(Value::Object(m)) = modules else {
        return Vec::new();
    };
    m.into_iter()
        .filter_map(|(t, v)| {
            let entries = match v {
                Value::Array(a) => a,
                v => vec![v],
            };
            let kept: Vec<Value> = match migrated.is_empty() {
                true => entries,
                false => entries
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| !migrated.contains(&(t.clone(), *i)))
                    .map(|(_, e)| e)
                    .collect(),
            };
            (!kept.is_empty() || kinds::by_connect_type(&t).is_none()).then_some((t, kept))
        })
        .collect()
}

/// What the checks extract from a descriptor (the rest is moved out of the document).
struct Checked {
    key: String,
    base_url: String,
    name: Option<String>,
    description: Option<String>,
    authentication: Option<String>,
    scopes: Vec<String>,
    forge_modules: Vec<ForgeModule>,
    /// `(module type, index)` of every entry in `forge_modules` (a singleton object is index 0).
    migrated: HashSet<(String, usize)>,
}

/// An edit made before parsing: original range, and the length of what replaced it.
struct Edit {
    orig_start: usize,
    orig_end: usize,
    new_start: usize,
    new_len: usize,
}

fn map_back(edits: &[Edit], offset: usize) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        if offset < e.new_start {
            break;
        }
        if offset < e.new_start + e.new_len {
            return e.orig_start;
        }
        delta = (e.orig_end as isize) - (e.new_start + e.new_len) as isize;
    }
    (offset as isize + delta).max(0) as usize
}

/// Handles `{{...}}` that stand outside JSON strings, where atlassian-connect-express and Go fill
/// text before JSON parsing: filled from `--var` (as raw JSON text, like those tools), else refused.
/// The text is borrowed when nothing was filled (the common case: no copy of a big input).
fn prefill<'s>(
    src: &'s SourceText,
    vars: &BTreeMap<String, String>,
) -> Result<(std::borrow::Cow<'s, str>, Vec<Edit>)> {
    let t = &src.text;
    let b = t.as_bytes();
    let mut problems = Vec::new();
    let mut out = String::new();
    let mut edits = Vec::new();
    let mut last = 0;
    let mut i = 0;
    let (mut in_str, mut line_comment, mut block_comment) = (false, false, false);
    while i < b.len() {
        let c = b[i];
        if line_comment {
            line_comment = c != b'\n';
        } else if block_comment {
            if c == b'*' && b.get(i + 1) == Some(&b'/') {
                block_comment = false;
                i += 1;
            }
        } else if in_str {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
            line_comment = true;
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            block_comment = true;
            i += 1;
        } else if c == b'{' && b.get(i + 1) == Some(&b'{') {
            let end = t[i..].find("}}").map_or(t.len(), |e| i + e + 2);
            let whole = &t[i..end];
            let found = placeholder::find(whole, false);
            let pos = src.position(i);
            match found.first() {
                Some(f) if f.start == 0 && f.end == whole.len() => match vars.get(&f.name) {
                    Some(v) => {
                        out.push_str(&t[last..i]);
                        edits.push(Edit {
                            orig_start: i,
                            orig_end: end,
                            new_start: out.len(),
                            new_len: v.len(),
                        });
                        out.push_str(v);
                        last = end;
                    }
                    None => problems.push(diag(
                        src,
                        pos,
                        format!(
                            "template placeholder {whole} stands outside a JSON string, so the file is not JSON until it is filled: pass --var {}=VALUE (inserted as JSON text, as the template engine would)",
                            f.name
                        ),
                    )),
                },
                _ => problems.push(diag(
                    src,
                    pos,
                    format!(
                        "template directive {} outside a JSON string: this file is a template; render it with its own tool first and migrate the JSON it produces",
                        whole.lines().next().unwrap_or(whole)
                    ),
                )),
            }
            i = end;
            continue;
        }
        i += 1;
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    if edits.is_empty() {
        return Ok((std::borrow::Cow::Borrowed(t), edits));
    }
    out.push_str(&t[last..]);
    Ok((std::borrow::Cow::Owned(out), edits))
}

fn diag(src: &SourceText, pos: Position, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: src.name.clone(),
        position: Some(pos),
        path: None,
        module: None,
        message,
    }
}

struct Reader<'a> {
    src: &'a SourceText,
    located: &'a Located,
    options: &'a ReadOptions,
    diags: Vec<Diagnostic>,
}

/// Replaces placeholders in the strings that reach the manifest, recording the variables left.
struct Filler<'a> {
    src: &'a SourceText,
    options: &'a ReadOptions,
    variables: BTreeMap<String, Variable>,
}

impl Filler<'_> {
    /// Fills the top-level fields the mapping carries. Placeholders become Forge variables only
    /// where the value reaches the manifest; a variable nothing uses would still have to be set
    /// before every deploy.
    fn fill_carried(mut self, located: &mut Located) -> BTreeMap<String, Variable> {
        let pos = &located.pos;
        if let Value::Object(root) = &mut located.value {
            for ((k, v), n) in root.iter_mut().zip(pos.children(0)) {
                let carried = matches!(
                    k.as_str(),
                    "key"
                        | "baseUrl"
                        | "description"
                        | "lifecycle"
                        | "modules"
                        | "translations"
                        | "cloudAppMigration"
                );
                if k == "baseUrl" {
                    self.fill_base_url(v, pos, n);
                }
                if carried {
                    self.fill(v, pos, n, k != "modules");
                }
            }
        }
        self.variables
    }

    /// A baseUrl the app's own tooling writes before each run — left empty (`""`) or as a note to
    /// the developer (`"<ngrok url here>"`) — is a placeholder for the whole value, named
    /// `baseUrl`: filled by `--var baseUrl=URL`, else the Forge variable `BASE_URL`.
    fn fill_base_url(&mut self, v: &mut Value, pos: &json::Positions, n: usize) {
        let Value::String(s) = v else { return };
        let t = s.trim();
        // Words in angle brackets; not a template engine's tag (`<%= base_url %>`).
        let note = t
            .strip_prefix('<')
            .and_then(|r| r.strip_suffix('>'))
            .is_some_and(|w| {
                w.starts_with(|c: char| c.is_ascii_alphabetic())
                    && w.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
            });
        if !(t.is_empty() || note) {
            return;
        }
        let found = [placeholder::Found {
            start: 0,
            end: s.len(),
            name: "baseUrl".to_string(),
            syntax: placeholder::Syntax::Braces,
            default: None,
        }];
        let (new, left) = placeholder::substitute(s, &found, &self.options.vars);
        let shown = left.into_iter().map(|(written, name, default)| {
            let written = match written.trim().is_empty() {
                true => "\"\" (an empty baseUrl, which the app's own tooling fills)".to_string(),
                false => format!("\"{written}\""),
            };
            (written, name, default)
        });
        self.keep_variables(shown, pos, n);
        *s = new;
    }

    /// Records the placeholders `substitute` left as Forge variables, first seen at node `n`.
    fn keep_variables(
        &mut self,
        left: impl IntoIterator<Item = (String, String, Option<String>)>,
        pos: &json::Positions,
        n: usize,
    ) {
        for (placeholder, name, default) in left {
            let v = self
                .variables
                .entry(name.clone())
                .or_insert_with(|| Variable {
                    placeholder,
                    name,
                    first_seen: Some(self.src.position(pos.start(n))),
                    default: None,
                });
            if v.default.is_none() {
                v.default = default;
            }
        }
    }

    /// Replaces placeholders in every string of `v` (Maven `${name}` only where `dollar`). `n` is
    /// `v`'s node in `pos`, walked alongside, so no path is built for the (many) strings without
    /// placeholders.
    fn fill(&mut self, v: &mut Value, pos: &json::Positions, n: usize, dollar: bool) {
        match v {
            Value::String(s) => {
                if !s.contains('{') {
                    return;
                }
                let found = placeholder::find(s, true);
                // Inside modules, dotted `${project.id}` are Connect webhook variables, not Maven
                // properties, unless the user fills them with --var.
                let found: Vec<_> = found
                    .into_iter()
                    .filter(|f| {
                        f.syntax == placeholder::Syntax::Braces
                            || self.options.vars.contains_key(&f.name)
                            || dollar
                            || !f.name.contains('.')
                    })
                    .collect();
                if found.is_empty() {
                    return;
                }
                let (new, left) = placeholder::substitute(s, &found, &self.options.vars);
                self.keep_variables(left, pos, n);
                *s = new;
            }
            Value::Array(a) => {
                for (e, c) in a.iter_mut().zip(pos.children(n)) {
                    self.fill(e, pos, c, dollar);
                }
            }
            Value::Object(o) => {
                for (e, c) in o.values_mut().zip(pos.children(n)) {
                    self.fill(e, pos, c, dollar);
                }
            }
            _ => {}
        }
    }
}

impl<'a> Reader<'a> {
    fn new(
        src: &'a SourceText,
        located: &'a Located,
        options: &'a ReadOptions,
        diags: Vec<Diagnostic>,
    ) -> Self {
        Self {
            src,
            located,
            options,
            diags,
        }
    }

    fn at(&self, path: &str) -> Option<Position> {
        // A missing value is reported at the nearest existing parent.
        self.located.offset(path).map(|o| self.src.position(o))
    }

    fn push(&mut self, severity: Severity, path: &str, module: Option<&str>, message: String) {
        self.diags.push(Diagnostic {
            severity,
            file: self.src.name.clone(),
            position: self.at(path),
            path: Some(path.to_string()),
            module: module.map(str::to_string),
            message,
        });
    }

    fn error(&mut self, path: &str, module: Option<&str>, message: impl Into<String>) {
        self.push(Severity::Error, path, module, message.into());
    }

    fn warn(&mut self, path: &str, module: Option<&str>, message: impl Into<String>) {
        self.push(Severity::Warning, path, module, message.into());
    }

    /// The input is another kind of file: said about the whole document, without a JSON path,
    /// and alone (what such a file lacks as a descriptor, or an unused `--var`, is beside the
    /// point).
    fn wrong_file(&mut self, message: String) {
        self.diags.clear();
        self.diags.push(Diagnostic {
            severity: Severity::Error,
            file: self.src.name.clone(),
            position: self.at("$"),
            path: None,
            module: None,
            message: format!("{NOT_AN_INPUT}: {message}"),
        });
    }

    /// The checks that need the document as written (before placeholders are filled): that it
    /// is an object, and which product it is for.
    fn product(&mut self) -> Option<Product> {
        let located = self.located;
        let Some(root) = located.value.as_object() else {
            self.wrong_file(format!(
                "a Connect descriptor is a JSON object, not {}",
                kind(&located.value)
            ));
            return None;
        };
        // Another JSON file passed by mistake (package.json, a Forge app's config): said at once,
        // before what a descriptor would lack.
        if !IDENTIFYING.iter().any(|k| root.contains_key(*k)) {
            let mut seen: Vec<&str> = root.keys().map(String::as_str).take(6).collect();
            if root.len() > seen.len() {
                seen.push("...");
            }
            let has = match seen.is_empty() {
                true => "it is empty".to_string(),
                false => format!("it has {}", seen.join(", ")),
            };
            self.wrong_file(format!(
                "a JSON object without key, baseUrl or modules ({has}); a Connect descriptor (atlassian-connect.json) has all three, and a Forge manifest is YAML with a top-level app:"
            ));
            return None;
        }
        self.detect_product(&located.value)
    }

    /// Every other check, on the filled document; `None` when a required field is missing.
    fn check(&mut self, product: Product) -> Option<Checked> {
        let located = self.located;
        let Value::Object(root) = &located.value else {
            return None;
        };
        let key = self.required_string(root, "key");
        // A key that is a placeholder is checked by Forge once the variable is set.
        if let Some(k) = key.as_ref().filter(|k| !k.contains("${")) {
            let ok = k.len() <= 90
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
            if !ok {
                self.error(
                    "$.key",
                    None,
                    format!("app key \"{}\" must be at most 90 characters of letters, digits, '-', '.' and '_' (Forge's app.connect.key rule)", shown(k)),
                );
            }
        }
        let base_url = self.required_string(root, "baseUrl");
        if let Some(u) = &base_url {
            if !(u.starts_with("https://") || u.starts_with("http://") || u.starts_with("${")) {
                self.error(
                    "$.baseUrl",
                    None,
                    format!("baseUrl \"{u}\" is not an absolute http(s) URL or a placeholder"),
                );
            }
        }
        let name = self.optional_string(root, "name");
        let description = self.optional_string(root, "description");
        let authentication = match root.get("authentication") {
            None => None,
            Some(Value::Object(a)) => match a.get("type") {
                Some(Value::String(t)) => Some(t.to_ascii_lowercase()),
                _ => {
                    self.error(
                        "$.authentication.type",
                        None,
                        "authentication needs a \"type\" string (jwt or none)",
                    );
                    None
                }
            },
            Some(v) => {
                self.error(
                    "$.authentication",
                    None,
                    format!("authentication must be an object, not {}", kind(v)),
                );
                None
            }
        };
        let scopes = self.scopes(root, product);
        if let Some(v) = root.get("lifecycle").filter(|v| !v.is_object()) {
            self.error(
                "$.lifecycle",
                None,
                format!("lifecycle must be an object, not {}", kind(v)),
            );
        }
        for (field, reason) in DROPPED {
            if root.contains_key(*field) {
                self.warn(
                    &json::child("$", field),
                    None,
                    format!("\"{field}\" is not carried to Forge: {reason}"),
                );
            }
        }
        let known = [
            "key",
            "name",
            "description",
            "baseUrl",
            "authentication",
            "scopes",
            "lifecycle",
            "modules",
            "translations",
            "cloudAppMigration",
        ];
        for k in root.keys() {
            if !known.contains(&k.as_str()) && !DROPPED.iter().any(|(f, _)| f == k) {
                self.warn(
                    &json::child("$", k),
                    None,
                    format!("unknown top-level property \"{k}\" is not carried to Forge"),
                );
            }
        }
        let (forge_modules, migrated) =
            self.modules(root, product, base_url.as_deref().unwrap_or(""));
        Some(Checked {
            key: key?,
            base_url: base_url?,
            name,
            description,
            authentication,
            scopes,
            forge_modules,
            migrated,
        })
    }

    fn detect_product(&mut self, root: &Value) -> Option<Product> {
        let detected = product::detect(root);
        if let Detected::Bitbucket(why) = &detected {
            self.error(
                "$",
                None,
                format!("this is a Bitbucket Cloud Connect app ({why}); Atlassian offers no Forge adoption path for Bitbucket Connect apps, so there is nothing to migrate to"),
            );
            return None;
        }
        if let Some(p) = self.options.product {
            return Some(p);
        }
        // Wrongly typed modules say nothing of the product: name that first.
        if let Some(m) = root.get("modules").filter(|m| !m.is_object()) {
            self.error(
                "$.modules",
                None,
                format!("modules must be an object, not {}", kind(m)),
            );
            return None;
        }
        match detected {
            Detected::Product(p) => Some(p),
            _ => {
                // A module type neither product knows is the more useful thing to say.
                let unknown: Vec<String> = root
                    .get("modules")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|m| m.keys())
                    .filter(|t| !Product::Jira.accepts(t) && !Product::Confluence.accepts(t))
                    .cloned()
                    .collect();
                for t in &unknown {
                    self.error(
                        &json::child("$.modules", t),
                        None,
                        format!("\"{t}\" is not a Connect module type that Forge can carry under connectModules"),
                    );
                }
                if !unknown.is_empty() {
                    return None;
                }
                let none = root
                    .get("modules")
                    .and_then(Value::as_object)
                    .is_none_or(Map::is_empty);
                let why = if none {
                    "it declares no modules"
                } else {
                    "its modules are shared by both"
                };
                self.error(
                    "$.modules",
                    None,
                    format!("cannot tell whether this app is for Jira or Confluence ({why}): pass --product jira or --product confluence"),
                );
                None
            }
        }
    }

    fn required_string(&mut self, root: &Map<String, Value>, field: &str) -> Option<String> {
        let path = json::child("$", field);
        match root.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::String(_)) => {
                self.error(&path, None, format!("\"{field}\" must not be empty"));
                None
            }
            Some(v) => {
                self.error(
                    &path,
                    None,
                    format!("\"{field}\" must be a string, not {}", kind(v)),
                );
                None
            }
            None => {
                self.error(
                    &path,
                    None,
                    format!("the descriptor has no \"{field}\" (required)"),
                );
                None
            }
        }
    }

    fn optional_string(&mut self, root: &Map<String, Value>, field: &str) -> Option<String> {
        match root.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                let msg = format!("\"{field}\" must be a string, not {}", kind(v));
                self.error(&json::child("$", field), None, msg);
                None
            }
        }
    }

    fn scopes(&mut self, root: &Map<String, Value>, product: Product) -> Vec<String> {
        let valid: &[&str] = match product {
            Product::Jira => &[
                "NONE",
                "READ",
                "WRITE",
                "DELETE",
                "PROJECT_ADMIN",
                "ADMIN",
                "ACT_AS_USER",
                "ACCESS_EMAIL_ADDRESSES",
            ],
            Product::Confluence => &[
                "NONE",
                "READ",
                "WRITE",
                "DELETE",
                "SPACE_ADMIN",
                "ADMIN",
                "ACT_AS_USER",
                "ACCESS_EMAIL_ADDRESSES",
            ],
        };
        let mut out = Vec::new();
        match root.get("scopes") {
            None => {}
            Some(Value::Array(a)) => {
                for (i, s) in a.iter().enumerate() {
                    let path = json::index("$.scopes", i);
                    match s.as_str().map(|s| s.to_ascii_uppercase().replace('-', "_")) {
                        Some(s) if valid.contains(&s.as_str()) => {
                            if !out.contains(&s) {
                                out.push(s);
                            }
                        }
                        Some(_) => self.error(
                            &path,
                            None,
                            format!(
                                "unknown {product} Connect scope {s}; choose from {}",
                                valid.join(", ")
                            ),
                        ),
                        None => self.error(
                            &path,
                            None,
                            format!("a scope must be a string, not {}", kind(s)),
                        ),
                    }
                }
            }
            Some(v) => self.error(
                "$.scopes",
                None,
                format!("scopes must be an array of strings, not {}", kind(v)),
            ),
        }
        out
    }

    /// Checks every module list; returns the modules a kind migrates and where each was (the
    /// lists that stay on Connect are moved out of the document once every check has passed).
    fn modules(
        &mut self,
        root: &Map<String, Value>,
        product: Product,
        base_url: &str,
    ) -> (Vec<ForgeModule>, HashSet<(String, usize)>) {
        let mut scripts: Vec<(ForgeModule, (String, usize))> = Vec::new();
        let mut migrated = HashSet::new();
        let Some(m) = root.get("modules") else {
            return (Vec::new(), migrated);
        };
        let Value::Object(m) = m else {
            self.error(
                "$.modules",
                None,
                format!("modules must be an object, not {}", kind(m)),
            );
            return (Vec::new(), migrated);
        };
        // Paths are built only for a message: a big app has tens of thousands of entries.
        let entry_path = |type_path: &str, i: Option<usize>| match i {
            Some(i) => json::index(type_path, i),
            None => type_path.to_string(),
        };
        // Keys must be unique across the whole app (Connect's rule, and Forge's across
        // modules and connectModules): key → module type and index of its first use.
        let mut seen: BTreeMap<&str, (&str, Option<usize>)> = BTreeMap::new();
        // The app's pages by URL, once: each web item looks up the page it links to.
        let page_urls = kinds::web_item::page_urls(m);
        for (module_type, value) in m {
            let type_path = json::child("$.modules", module_type);
            if let Some(what) = product.retired(module_type) {
                self.error(
                    &type_path,
                    None,
                    format!("\"{module_type}\" ({what}) cannot move to Forge: Forge has no module for it, and connectModules does not take it (@forge/manifest has no connect-{product}:{module_type}); remove it from the descriptor to migrate the rest of the app"),
                );
                continue;
            }
            if !product.accepts(module_type) {
                let hint = closest(module_type, product.connect_module_types())
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                self.error(
                    &type_path,
                    None,
                    format!("\"{module_type}\" is not a {product} Connect module type that Forge can carry under connectModules{hint}"),
                );
                continue;
            }
            let entries: Vec<(Option<usize>, &Value)> = match value {
                Value::Array(a) => a.iter().enumerate().map(|(i, e)| (Some(i), e)).collect(),
                Value::Object(_) => vec![(None, value)],
                v => {
                    self.error(
                        &type_path,
                        None,
                        format!(
                            "a module list must be an array (or one object), not {}",
                            kind(v)
                        ),
                    );
                    continue;
                }
            };
            for &(i, e) in &entries {
                let path = || entry_path(&type_path, i);
                if !e.is_object() {
                    self.error(
                        &path(),
                        None,
                        format!("a module must be an object, not {}", kind(e)),
                    );
                    continue;
                }
                let own_checks =
                    kinds::by_connect_type(module_type).is_some_and(|k| k.own_checks());
                if !own_checks {
                    let key = e.get("key").and_then(Value::as_str);
                    for f in product::required_fields(module_type) {
                        if e.get(*f).is_none_or(Value::is_null) {
                            let msg = format!(
                                "{module_type} entry has no \"{f}\", which Connect requires"
                            );
                            self.error(&path(), key, msg);
                        }
                    }
                }
                if let Some(k) = e.get("key").filter(|k| !k.is_string()) {
                    let msg = format!("a module key must be a string, not {}", kind(k));
                    self.error(&json::child(&path(), "key"), None, msg);
                }
                if let Some(Value::String(k)) = e.get("key").filter(|_| !own_checks) {
                    if !is_module_key(k) {
                        let msg = format!("module key \"{}\" must be 1 to {MAX_KEY_LEN} characters of letters, digits, '-' and '_'", shown(k));
                        self.error(&json::child(&path(), "key"), None, msg);
                    }
                }
                if let Some(Value::String(k)) = e.get("key") {
                    if let Some((first_type, first_i)) = seen.get(k.as_str()) {
                        let first = entry_path(&json::child("$.modules", first_type), *first_i);
                        let msg = format!("duplicate module key \"{k}\" (first used at {first}): keys must be unique within the app");
                        self.error(&json::child(&path(), "key"), Some(k), msg);
                    } else {
                        seen.insert(k, (module_type, i));
                    }
                }
            }
            let kind = kinds::by_connect_type(module_type);
            let name = kinds::connect_type_name(module_type);
            let (Some(kind), Some(name)) = (kind, name) else {
                continue;
            };
            if self.options.keep_connect.iter().any(|k| k == module_type) {
                continue;
            }
            let app = kinds::AppFacts {
                product,
                base_url,
                modules: Some(m),
                page_urls: Some(&page_urls),
            };
            for &(i, e) in &entries {
                let kept = e
                    .get("key")
                    .and_then(Value::as_str)
                    .is_some_and(|k| self.options.keep_connect.iter().any(|x| x == k));
                if !e.is_object() || kept {
                    continue;
                }
                let mut f = Findings::default();
                let made = kind.check_all(name, &entry_path(&type_path, i), e, &app, &mut f);
                for x in f.0 {
                    self.push(x.severity, &x.path, x.module.as_deref(), x.message);
                }
                let place = (module_type.clone(), i.unwrap_or(0));
                match made {
                    // Not carried at all (a warning says why): it leaves Connect too.
                    Some(made) if made.is_empty() => {
                        migrated.insert(place);
                    }
                    Some(made) => {
                        scripts.extend(made.into_iter().map(|m| (m, place.clone())));
                    }
                    None => {}
                }
            }
        }
        for k in &self.options.keep_connect {
            let lifecycle = k == "lifecycle" && root.contains_key("lifecycle");
            let known = lifecycle
                || m.iter().any(|(t, v)| {
                    t == k
                        || match v {
                            Value::Array(a) => a
                                .iter()
                                .any(|e| e.get("key") == Some(&Value::String(k.clone()))),
                            o => o.get("key") == Some(&Value::String(k.clone())),
                        }
                });
            if !known {
                let msg = format!("--keep-connect {k}: no module type or module key of this descriptor is called that; nothing is kept because of it");
                self.warn("$.modules", None, msg);
            }
        }
        // Forge's limits per app (one global page, ...): what does not fit is given another
        // module type, or stays on Connect with a warning.
        let mut f = Findings::default();
        let (modules, places): (Vec<_>, Vec<_>) = scripts.into_iter().unzip();
        let kept = kinds::arrange(product, modules, &mut f);
        for x in f.0 {
            self.push(x.severity, &x.path, x.module.as_deref(), x.message);
        }
        let mut out = Vec::new();
        for (m, place) in kept.into_iter().zip(places) {
            if let Some(m) = m {
                migrated.insert(place);
                out.push(m);
            }
        }
        (out, migrated)
    }
}

/// Orders diagnostics by position so the report reads top to bottom.
fn sorted(mut d: Vec<Diagnostic>) -> Vec<Diagnostic> {
    d.sort_by_key(|d| (d.severity != Severity::Error, d.position));
    d
}

/// The closest candidate by edit distance, if close enough to be a likely typo.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (levenshtein(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= 3.max(word.len() / 5))
        .min()
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Every key used by modules in the descriptor, for generating keys that cannot collide.
pub fn used_keys(d: &Descriptor) -> HashSet<String> {
    let entries: usize = d.modules.iter().map(|(_, e)| e.len()).sum();
    let mut keys = HashSet::with_capacity(entries + d.forge_modules.len());
    keys.extend(d.forge_modules.iter().map(|s| s.key.clone()));
    for (_, entries) in &d.modules {
        for e in entries {
            if let Some(k) = e.get("key").and_then(Value::as_str) {
                keys.insert(k.to_string());
            }
        }
    }
    keys
}
