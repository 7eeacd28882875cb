//! Adopting an existing Connect-on-Forge `manifest.yml` in place.
//!
//! Atlassian's converter leaves every module under `connectModules` (`jira:jiraBackgroundScripts`,
//! ...). This module turns each entry of a type a [kind](crate::kinds) migrates into the native
//! Forge module with the same key, adds its resource and scaffold, and removes its type from
//! `connectModules`, while every other byte of the manifest stays as the user wrote it: comments,
//! key order, quoting, blank lines, anchors.
//!
//! The text is edited through `yaml-edit`'s lossless syntax tree (a rowan CST that keeps every
//! token). Nothing is trusted blindly: the result is parsed back with serde_yaml and must equal,
//! value for value, what the migration intends; and every line outside the migrated block must
//! still be there, byte for byte and in order. A manifest that cannot be edited that way is
//! refused (exit 2) and never written.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::str::FromStr;

use serde_json::{json, Map, Value};
use yaml_edit::{Document, YamlNode};

use crate::descriptor::json;
use crate::descriptor::product::Product;
use crate::descriptor::{self, Findings};
use crate::diagnostics::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::kinds::{self, ForgeModule};
use crate::manifest::validate::contains;
use crate::manifest::yaml::yaml_value;
use crate::mapping::{self, Permissions};
use crate::output::{Ownership, PlannedFile};
use crate::source::{Position, SourceText};

/// A Forge manifest, parsed, with the source position of every value.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The text as read.
    pub src: SourceText,
    /// The document as JSON values (merge keys applied), as Forge reads it.
    pub value: Value,
    /// JSON path (`$.connectModules.jira:webItems[0]`) → byte offset.
    offsets: HashMap<String, usize>,
}

impl Manifest {
    /// Parses a manifest. Refuses (with line:column) text that does not parse, duplicate keys,
    /// several documents, and a document that is not a mapping.
    pub fn parse(src: SourceText) -> Result<Self> {
        let diag = |position: Option<Position>, message: String| Diagnostic {
            severity: Severity::Error,
            file: src.name.clone(),
            position,
            path: None,
            module: None,
            message,
        };
        let parsed: std::result::Result<serde_yaml::Value, _> = serde_yaml::from_str(&src.text);
        let mut yaml = match parsed {
            Ok(v) => Some(v),
            Err(e) if e.to_string().starts_with("duplicate entry") => None,
            Err(e) => {
                let position = e.location().map(|l| Position {
                    line: l.line(),
                    column: l.column(),
                });
                return Err(Error::input(diag(
                    position,
                    format!("the manifest is not valid YAML: {e}"),
                )));
            }
        };
        // The editor reads one document: a final `...` and the comments after it are set aside.
        let body = &src.text[..document_end(&src.text).unwrap_or(src.text.len())];
        let doc = Document::from_str(body).map_err(|e| {
            Error::input(diag(
                None,
                format!("the manifest cannot be read for editing: {e}"),
            ))
        })?;
        let mut offsets = HashMap::new();
        let mut dups = Vec::new();
        if let Some(root) = doc.as_mapping() {
            walk(&YamlNode::Mapping(root), "$", &mut offsets, &mut dups);
        }
        if !dups.is_empty() || yaml.is_none() {
            let mut out: Vec<Diagnostic> = dups
                .into_iter()
                .map(|(path, at)| Diagnostic {
                    path: Some(path),
                    ..diag(
                        Some(src.position(at)),
                        "duplicate key: YAML parsers disagree on which one wins, so it cannot be edited safely; keep one".into(),
                    )
                })
                .collect();
            if out.is_empty() {
                out.push(diag(None, "the manifest has a duplicate key".into()));
            }
            return Err(Error::Input(out));
        }
        let yaml = yaml.as_mut().expect("checked above");
        yaml.apply_merge().map_err(|e| {
            Error::input(diag(
                None,
                format!("a merge key (<<) cannot be applied: {e}"),
            ))
        })?;
        let value = serde_json::to_value(&*yaml)
            .map_err(|e| Error::input(diag(None, format!("unsupported YAML value: {e}"))))?;
        if !value.is_object() {
            return Err(Error::input(diag(
                Some(Position { line: 1, column: 1 }),
                format!(
                    "a Forge manifest is a mapping (app:, modules:, …), not {}",
                    descriptor::kind(&value)
                ),
            )));
        }
        Ok(Self {
            src,
            value,
            offsets,
        })
    }

    /// The manifest as Forge reads it: YAML merge keys (`<<: *anchor`) are not applied (Forge
    /// does not apply them; a `<<` stays a key of its own), so a value that only a merge key
    /// supplies is missing here, as it is for Forge and its validator. `status` reports on this.
    pub fn as_forge_reads(&self) -> Manifest {
        let raw = serde_yaml::from_str::<serde_yaml::Value>(&self.src.text)
            .ok()
            .and_then(|v| serde_json::to_value(v).ok());
        match raw {
            Some(value) if value.is_object() => Manifest {
                value,
                ..self.clone()
            },
            _ => self.clone(),
        }
    }

    /// Where the value at `path` (or its closest located parent) starts.
    pub fn position(&self, path: &str) -> Option<Position> {
        let mut p = path;
        loop {
            if let Some(&at) = self.offsets.get(p) {
                return Some(self.src.position(at));
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// A finding about this manifest, located.
    pub fn diagnostic(
        &self,
        severity: Severity,
        path: &str,
        module: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: self.src.name.clone(),
            position: self.position(path),
            path: Some(path.to_string()),
            module: module.map(str::to_string),
            message: message.into(),
        }
    }

    /// The `connectModules` mapping, if it is one.
    pub fn connect_modules(&self) -> Option<&Map<String, Value>> {
        self.value.get("connectModules").and_then(Value::as_object)
    }
}

/// Records where each value starts and every duplicate key.
fn walk(
    node: &YamlNode,
    path: &str,
    offsets: &mut HashMap<String, usize>,
    dups: &mut Vec<(String, usize)>,
) {
    match node {
        YamlNode::Mapping(m) => {
            let mut seen = BTreeSet::new();
            for entry in m.entries() {
                let Some(k) = entry.key_node() else { continue };
                let YamlNode::Scalar(s) = &k else { continue };
                let name = s.as_string();
                let key_at = k.byte_range().start as usize;
                let child = json::child(path, &name);
                if !seen.insert(name) {
                    dups.push((child.clone(), key_at));
                }
                match entry.value_node() {
                    // A collection is best pointed at by its key; a scalar by itself.
                    Some(v @ (YamlNode::Mapping(_) | YamlNode::Sequence(_))) => {
                        offsets.insert(child.clone(), key_at);
                        walk(&v, &child, offsets, dups);
                    }
                    Some(v) => {
                        offsets.insert(child, v.byte_range().start as usize);
                    }
                    None => {
                        offsets.insert(child, key_at);
                    }
                }
            }
        }
        YamlNode::Sequence(s) => {
            for (i, v) in s.values().enumerate() {
                let child = json::index(path, i);
                offsets.insert(child.clone(), v.byte_range().start as usize);
                walk(&v, &child, offsets, dups);
            }
        }
        _ => {}
    }
}

/// Whether an input is a Forge manifest rather than a Connect descriptor, decided by its content:
/// JSON text (`{`, or a `//` / `/*` comment first) is a descriptor whatever its name; other text
/// is a manifest when its name ends in `.yml`/`.yaml` or it is YAML with a top-level `app:`.
pub fn is_forge_manifest(path: &Path, text: &str) -> bool {
    if looks_like_json(text) {
        return false;
    }
    if has_yaml_extension(path) {
        return true;
    }
    // Looked at line by line, not parsed: a YAML parse of arbitrary input (say, megabytes of
    // `[`) can take minutes and gigabytes. A manifest has `app:` at the start of a line and its
    // first content line is a `key:` of a block mapping; a JSON descriptor has neither.
    let mut content = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let mapping_start = content.next().is_some_and(|l| {
        let key = l.split(':').next().unwrap_or("");
        l.contains(':')
            && !key.is_empty()
            && key
                .trim_matches(['"', '\''])
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
    });
    mapping_start
        && text
            .lines()
            .any(|l| l.starts_with("app:") || l.starts_with("\"app\":"))
}

/// Whether the text starts as JSON does (an object, or a comment of the lenient JSON that
/// descriptors may use). A Forge manifest is block YAML: it never starts with `{`.
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '/'])
}

fn has_yaml_extension(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("yml" | "yaml"))
}

/// A note for the review when an input's name says one kind and its content another (a Connect
/// descriptor saved as `.yml`, a manifest named `.json`): which one it was read as, and why.
pub fn kind_note(path: &Path, text: &str) -> Option<Diagnostic> {
    let json_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let message = if has_yaml_extension(path) && looks_like_json(text) {
        "the file has a YAML name but holds JSON: it is read as a Connect descriptor (decided by content; a Forge manifest is block YAML with a top-level app:)"
    } else if json_name && is_forge_manifest(path, text) {
        "the file has a .json name but holds a Forge manifest (YAML with a top-level app:): it is adopted in place as a manifest (decided by content)"
    } else {
        return None;
    };
    Some(Diagnostic {
        severity: Severity::Warning,
        file: path.display().to_string(),
        position: Some(Position { line: 1, column: 1 }),
        path: None,
        module: None,
        message: message.into(),
    })
}

/// What leaves the manifest besides the moved entries: `connectModules` entries that are not
/// carried at all, and the Connect scopes that Forge's own scopes replace once no Connect module
/// remains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dropped {
    /// JSON paths of `connectModules` entries (`$.connectModules.jira:webhooks[1]`).
    pub entries: Vec<String>,
    /// `permissions.scopes` items (`read:connect-jira`).
    pub scopes: Vec<String>,
}

/// Which entries of `connectModules` move, from the migrated modules' JSON paths
/// (`$.connectModules.jira:webPanels[2]`) and the entries dropped: each type with its entries' indices, ascending, and
/// whether that is every entry of the type (then the type itself goes).
fn moves(v: &Value, modules: &[ForgeModule], dropped: &Dropped) -> Vec<(String, Vec<usize>, bool)> {
    let mut out: Vec<(String, Vec<usize>, bool)> = Vec::new();
    let paths = modules
        .iter()
        .map(|m| m.path.as_str())
        .chain(dropped.entries.iter().map(String::as_str));
    for path in paths {
        let Some((name, i)) = entry_index(path) else {
            continue;
        };
        match out.iter_mut().find(|(n, _, _)| *n == name) {
            Some((_, idx, _)) => idx.push(i),
            None => out.push((name, vec![i], false)),
        }
    }
    for (name, idx, all) in &mut out {
        idx.sort_unstable();
        idx.dedup();
        let len = v
            .get("connectModules")
            .and_then(|c| c.get(name.as_str()))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        *all = idx.len() == len;
    }
    out
}

/// The type and index of a `connectModules` entry's JSON path
/// (`$.connectModules.jira:webPanels[2]` → `("jira:webPanels", 2)`).
fn entry_index(path: &str) -> Option<(String, usize)> {
    let rest = path.strip_prefix("$.connectModules")?;
    let (t, i) = rest.rsplit_once('[')?;
    let i = i.strip_suffix(']')?.parse::<usize>().ok()?;
    // The type as json::child wrote it: `.name` or `["name"]`.
    let name = match t.strip_prefix('.') {
        Some(plain) => plain.to_string(),
        None => t
            .strip_prefix('[')
            .and_then(|q| q.strip_suffix(']'))
            .and_then(|q| serde_json::from_str::<String>(q).ok())
            .unwrap_or_default(),
    };
    Some((name, i))
}

/// The `connectModules` types (`jira:jiraBackgroundScripts`) a kind migrates, in file order.
pub fn migrated_types(v: &Value) -> Vec<String> {
    let Some(cm) = v.get("connectModules").and_then(Value::as_object) else {
        return Vec::new();
    };
    cm.keys()
        .filter(|name| {
            let Some((product, t)) = name.split_once(':') else {
                return false;
            };
            kinds::by_connect_type(t).is_some_and(|k| {
                k.adopts_in_place() && k.products().iter().any(|p| p.as_str() == product)
            })
        })
        .cloned()
        .collect()
}

/// Whether manifest text carries a `connectModules` type a kind migrates (text that does not
/// parse does not).
pub fn carries_migratable_modules(text: &str) -> bool {
    // The type can only be there written out, or spelled with a `\` escape: otherwise skip the
    // parse (a re-run into an up-to-date --out would parse a large manifest for nothing).
    (kinds::connect_types().any(|t| text.contains(t)) || text.contains('\\'))
        && serde_yaml::from_str::<Value>(text).is_ok_and(|v| !migrated_types(&v).is_empty())
}

/// Structural problems of `connectModules` that make it unsafe to edit or meaningless to check:
/// it must be a mapping whose values are arrays.
pub fn shape_problems(m: &Manifest) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match m.value.get("connectModules") {
        None => {}
        Some(Value::Object(o)) => {
            for (t, v) in o {
                if !v.is_array() {
                    let path = json::child("$.connectModules", t);
                    out.push(m.diagnostic(
                        Severity::Error,
                        &path,
                        None,
                        format!(
                            "each connectModules entry is a list of modules, but {t} is {}",
                            descriptor::kind(v)
                        ),
                    ));
                }
            }
        }
        Some(v) => out.push(m.diagnostic(
            Severity::Error,
            "$.connectModules",
            None,
            format!(
                "connectModules must be a mapping of module lists (jira:webItems: [...]), not {}",
                descriptor::kind(v)
            ),
        )),
    }
    out
}

/// Refuses YAML that is no Forge manifest at all (a workflow file, a docker-compose.yml passed by
/// mistake): one error about the whole file, before what a manifest would lack.
fn not_a_manifest(m: &Manifest) -> Result<()> {
    const IDENTIFYING: [&str; 3] = ["app", "modules", "connectModules"];
    let top: Vec<&str> = match m.value.as_object() {
        Some(o) if IDENTIFYING.iter().any(|k| o.contains_key(*k)) => return Ok(()),
        Some(o) => o.keys().map(String::as_str).collect(),
        None => Vec::new(),
    };
    let has = match top.as_slice() {
        [] => format!("it is {}", descriptor::kind(&m.value)),
        keys if keys.len() > 6 => format!("it has {}, ...", keys[..6].join(", ")),
        keys => format!("it has {}", keys.join(", ")),
    };
    Err(Error::input(Diagnostic {
        severity: Severity::Error,
        file: m.src.name.clone(),
        position: Some(Position { line: 1, column: 1 }),
        path: None,
        module: None,
        message: format!(
            "{}: YAML without app, modules or connectModules ({has}); a Forge manifest (manifest.yml) has a top-level app:, and a Connect descriptor is JSON",
            descriptor::NOT_AN_INPUT
        ),
    }))
}

/// The modules a migration would move: [`check_modules`], placed within Forge's per-app limits
/// ([`kinds::arrange`]: a second global page becomes a full page, ...) with their findings.
pub fn migratable(m: &Manifest) -> (Vec<ForgeModule>, Vec<Diagnostic>) {
    let (checked, mut diags) = check_modules(m);
    let mut f = Findings::default();
    let placed = kinds::arrange(Product::Jira, checked, &mut f);
    diags.extend(
        f.0.into_iter()
            .map(|x| m.diagnostic(x.severity, &x.path, x.module.as_deref(), x.message)),
    );
    (placed.into_iter().flatten().collect(), diags)
}

/// Checks every entry of each `connectModules` type a kind migrates by Connect's rules. Returns
/// the valid modules (without resources) and all findings (located).
pub fn check_modules(m: &Manifest) -> (Vec<ForgeModule>, Vec<Diagnostic>) {
    let (modules, _, diags) = checked_modules(m);
    (modules, diags)
}

/// [`check_modules`], with the paths of the entries that are not carried at all (a webhook on an
/// event only Connect sends): they leave `connectModules` as a descriptor's do, with a warning.
fn checked_modules(m: &Manifest) -> (Vec<ForgeModule>, Vec<String>, Vec<Diagnostic>) {
    let mut dropped = Vec::new();
    let no_remote = connect_remote(&m.value).is_none();
    let mut f = Findings::default();
    let mut modules = Vec::new();
    let base_url = remote_base_url(&m.value);
    // The app's Connect modules by type without the product prefix, as a descriptor names them
    // (a web item finds its section and the app's pages there).
    let by_type: Map<String, Value> = m
        .connect_modules()
        .into_iter()
        .flatten()
        .filter_map(|(n, v)| Some((n.split_once(':')?.1.to_string(), v.clone())))
        .collect();
    for name in migrated_types(&m.value) {
        let Some((product, t)) = name.split_once(':') else {
            continue;
        };
        let (Some(kind), Some(t)) = (kinds::by_connect_type(t), kinds::connect_type_name(t)) else {
            continue;
        };
        let app = kinds::AppFacts {
            product: if product == "confluence" {
                Product::Confluence
            } else {
                Product::Jira
            },
            base_url: &base_url,
            modules: Some(&by_type),
            page_urls: None,
        };
        let base = json::child("$.connectModules", &name);
        let entries = m
            .connect_modules()
            .and_then(|c| c.get(&name))
            .and_then(Value::as_array);
        for (i, e) in entries.into_iter().flatten().enumerate() {
            let path = json::index(&base, i);
            if !e.is_object() {
                f.error(
                    &path,
                    None,
                    format!("{}, not {}", kind.entry_shape(), descriptor::kind(e)),
                );
                continue;
            }
            // A trigger's endpoint calls the Connect backend's remote: without one declared, the
            // webhook stays where it is.
            if t == kinds::webhook::CONNECT_TYPE && no_remote {
                f.warn(&path, e.get("key").and_then(Value::as_str), NO_REMOTE);
                continue;
            }
            match kind.check_all(t, &path, e, &app, &mut f) {
                Some(made) if made.is_empty() => dropped.push(path),
                Some(made) => modules.extend(made),
                None => {}
            }
        }
    }
    let diags =
        f.0.into_iter()
            .map(|x| m.diagnostic(x.severity, &x.path, x.module.as_deref(), x.message))
            .collect();
    (modules, dropped, diags)
}

/// The key of the remote `app.connect.remote` names, when `remotes` declares it: the Connect
/// backend, which the endpoints of triggers call.
pub(crate) fn connect_remote(v: &Value) -> Option<String> {
    let remote = v.pointer("/app/connect/remote").and_then(Value::as_str)?;
    v.get("remotes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| r.get("key").and_then(Value::as_str) == Some(remote))
        .then(|| remote.to_string())
}

/// The `baseUrl` of the remote `app.connect.remote` names (the Connect backend), or "".
pub(crate) fn remote_base_url(v: &Value) -> String {
    let remote = v.pointer("/app/connect/remote").and_then(Value::as_str);
    v.get("remotes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| r.get("key").and_then(Value::as_str) == remote)
        .and_then(|r| r.get("baseUrl").and_then(Value::as_str))
        .unwrap_or("")
        .to_string()
}

/// Every `(JSON path, key)` of the entries of `modules` and `connectModules`, in file order.
pub fn module_keys(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for section in ["modules", "connectModules"] {
        let Some(o) = v.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (t, entries) in o {
            let Some(a) = entries.as_array() else {
                continue;
            };
            for (i, e) in a.iter().enumerate() {
                if let Some(k) = e.get("key").and_then(Value::as_str) {
                    let path = json::index(&json::child(&format!("$.{section}"), t), i);
                    out.push((path, k.to_string()));
                }
            }
        }
    }
    out
}

/// The result of adopting a manifest: its new text, the migrated scripts (whose scaffolds the
/// pipeline renders) and what the review shows of the app.
#[derive(Debug, Clone)]
pub struct Adoption {
    /// `manifest.yml` as it will be (managed): the user's text with the scripts moved.
    pub manifest: PlannedFile,
    /// The Connect app's key (`app.connect.key`), for the scaffolds.
    pub connect_key: String,
    /// The product the remaining Connect modules are for.
    pub product: Product,
    /// Whether `app.id` still has to be registered.
    pub app_id_is_placeholder: bool,
    /// The migrated modules, now native Forge modules.
    pub modules: Vec<ForgeModule>,
    /// What stays under `connectModules` after the move: each type and its modules' keys.
    pub connect_modules: Vec<(String, Vec<Value>)>,
    /// `permissions.scopes` after the move.
    pub scopes: Vec<String>,
    /// Warnings (the run goes on).
    pub warnings: Vec<Diagnostic>,
    /// The parsed manifest, for later stages (the port) that read it.
    pub source: Manifest,
}

/// Adopts a manifest: migrates the modules a kind migrates in place, except those `keep` names
/// (a Connect module type, with or without its product, or a module key), and adds `scopes` (the
/// OAuth scopes the carried pages need) to `permissions.scopes`. Pure (no file system access).
pub fn adopt(src: SourceText, add: &Permissions, keep: &[String]) -> Result<Adoption> {
    let m = Manifest::parse(src)?;
    not_a_manifest(&m)?;
    let mut diags = shape_problems(&m);
    if let Some(v) = m.value.get("modules").filter(|v| !v.is_object()) {
        diags.push(m.diagnostic(
            Severity::Error,
            "$.modules",
            None,
            format!(
                "modules must be a mapping of module lists, not {}",
                descriptor::kind(v)
            ),
        ));
    }
    if let Some(v) = m.value.get("resources").filter(|v| !v.is_array()) {
        diags.push(m.diagnostic(
            Severity::Error,
            "$.resources",
            None,
            format!("resources must be a list, not {}", descriptor::kind(v)),
        ));
    }
    let (checked, mut dropped_entries, found) = checked_modules(&m);
    diags.extend(found);
    let kept = |s: &ForgeModule| {
        keep.iter().any(|k| {
            *k == s.key
                || k == s.connect_type
                || k.split_once(':').is_some_and(|(_, t)| t == s.connect_type)
        })
    };
    let checked: Vec<ForgeModule> = checked.into_iter().filter(|s| !kept(s)).collect();
    // Webhooks kept on purpose are kept, also those only Connect sends (the only entries dropped).
    let webhook = kinds::webhook::CONNECT_TYPE;
    if keep
        .iter()
        .any(|k| k == webhook || k.split_once(':').is_some_and(|(_, t)| t == webhook))
    {
        dropped_entries.clear();
    }
    // Forge's per-app limits (one global page, ...), as for a descriptor.
    let mut f = Findings::default();
    let mut scripts: Vec<ForgeModule> = kinds::arrange(Product::Jira, checked, &mut f)
        .into_iter()
        .flatten()
        .collect();
    diags.extend(
        f.0.into_iter()
            .map(|x| m.diagnostic(x.severity, &x.path, x.module.as_deref(), x.message)),
    );
    let mut dropped = Dropped {
        entries: dropped_entries,
        scopes: Vec::new(),
    };
    let original_add = add;
    let mut add = add.clone();
    backend_modules(&m, keep, &mut scripts, &mut dropped, &mut add, &mut diags);

    // Keys must stay unique across modules and connectModules once the modules move.
    let others: Vec<(String, String)> = module_keys(&m.value)
        .into_iter()
        .filter(|(p, _)| !scripts.iter().any(|s| s.path == *p))
        .collect();
    let mut seen = BTreeSet::new();
    for s in &scripts {
        if !seen.insert(s.key.as_str()) {
            diags.push(m.diagnostic(
                Severity::Error,
                &json::child(&s.path, "key"),
                Some(&s.key),
                format!(
                    "another of the {} has the same key; module keys must be unique within the app",
                    s.kind().plural()
                ),
            ));
        }
        if let Some((p, _)) = others.iter().find(|(_, k)| *k == s.key) {
            diags.push(m.diagnostic(
                Severity::Error,
                &json::child(&s.path, "key"),
                Some(&s.key),
                format!("the module at {p} has the same key; Forge rejects duplicate module keys: rename one"),
            ));
        }
    }

    let resources: Vec<&Value> = m
        .value
        .get("resources")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let paged: Vec<&ForgeModule> = scripts.iter().filter(|s| s.has_pages()).collect();
    let needed: usize = paged.iter().map(|s| s.page_count()).sum();
    if resources.len() + needed > mapping::MAX_RESOURCES && !paged.is_empty() {
        let types: BTreeSet<&str> = paged.iter().map(|s| s.connect_type).collect();
        let (path, what) = match (types.len(), paged.first()) {
            (1, Some(s)) => (
                s.path
                    .rsplit_once('[')
                    .map_or("$.connectModules", |(t, _)| t)
                    .to_string(),
                s.kind().plural(),
            ),
            _ => ("$.connectModules".to_string(), "modules with pages"),
        };
        diags.push(m.diagnostic(
            Severity::Error,
            &path,
            None,
            format!(
                "the app has {} resources and {} {what} need {needed} more, but Forge allows at most {}: migrate them in batches",
                resources.len(),
                paged.len(),
                mapping::MAX_RESOURCES
            ),
        ));
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        diags.sort_by_key(|d| (d.severity != Severity::Error, d.position));
        return Err(Error::Input(diags));
    }

    let taken: BTreeSet<String> = resources
        .iter()
        .filter_map(|r| r.get("key").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let mut modules = scripts;
    mapping::give_resources(&mut modules, &taken);

    // Nothing to migrate may still leave permissions to add: the scopes of pages an earlier run
    // migrated and carried.
    let mut text = if modules.is_empty() && add.is_empty() {
        m.src.text.clone()
    } else {
        match edit(&m, &modules, &add, &dropped) {
            Ok(t) => t,
            // Moving every kind's modules would break the YAML (an anchor inside a moved entry
            // used elsewhere, ...): move only the kinds that were migrated before any other
            // (background scripts), and say what stays and why.
            Err(Error::Input(why)) if modules.iter().any(|s| !s.kind().own_checks()) => {
                let (first, rest): (Vec<ForgeModule>, Vec<ForgeModule>) =
                    modules.into_iter().partition(|s| s.kind().own_checks());
                let reason = why.first().map(|d| d.message.clone()).unwrap_or_default();
                // What the backend modules brought stays with them.
                dropped = Dropped::default();
                add = original_add.clone();
                for s in &rest {
                    diags.push(m.diagnostic(
                        Severity::Warning,
                        &s.path,
                        Some(&s.key),
                        format!("stays on Connect: moving it would change the manifest outside the moved entries ({reason})"),
                    ));
                }
                modules = first;
                match modules.is_empty() {
                    true => m.src.text.clone(),
                    false => edit(&m, &modules, &add, &dropped)?,
                }
            }
            Err(e) => return Err(e),
        }
    };
    // The file is written back as it was read: with its byte-order mark.
    if m.src.bom {
        text.insert(0, '\u{feff}');
    }
    Ok(adoption(m, text, modules, &add, &dropped, diags))
}

/// The Connect scopes, in Connect's names, for the reverse of [`crate::product::forge_scope`].
const CONNECT_SCOPES: [&str; 8] = [
    "READ",
    "WRITE",
    "DELETE",
    "ADMIN",
    "ACT_AS_USER",
    "ACCESS_EMAIL_ADDRESSES",
    "PROJECT_ADMIN",
    "SPACE_ADMIN",
];

/// The warning for a module that needs the Connect backend as a remote when none is declared.
const NO_REMOTE: &str = "stays on Connect: app.connect.remote names no remote that remotes declares, so a Forge endpoint has no backend to call; declare the Connect backend under remotes and name it in app.connect.remote";

/// The app's backend wiring under `connectModules`, moved as a descriptor's is: the webhooks'
/// triggers (already among `modules`) and, when no other Connect module stays, the lifecycle
/// become Forge modules whose endpoints call the remote `app.connect.remote` names (one endpoint
/// per route, with the app's token when the app has Connect scopes); the triggers' event scopes
/// are added; and once `connectModules` empties, Forge's own scopes replace the Connect scopes.
fn backend_modules(
    m: &Manifest,
    keep: &[String],
    modules: &mut Vec<ForgeModule>,
    dropped: &mut Dropped,
    add: &mut Permissions,
    diags: &mut Vec<Diagnostic>,
) {
    use kinds::webhook::remote;
    let remote = connect_remote(&m.value);
    // A keyless webhook's key is made from its event: later ones of an event, or one that another
    // module already has, get `-2`, `-3`, … (as for a descriptor).
    let mut taken: BTreeSet<String> = module_keys(&m.value).into_iter().map(|(_, k)| k).collect();
    for s in modules.iter_mut() {
        let own = entry_index(&s.path)
            .and_then(|(t, i)| m.connect_modules()?.get(&t)?.get(i)?.get("key"))
            .is_some();
        if s.kind != kinds::webhook::ID || own {
            continue;
        }
        let base = s.key.clone();
        let mut n = 2;
        while !taken.insert(s.key.clone()) {
            s.key = format!("{base}-{n}");
            n += 1;
        }
    }
    // The lifecycle moves only when every other Connect module does: while one stays, the Connect
    // backend still needs `installed` (its shared secret signs the modules' JWTs).
    let cm = m.connect_modules();
    let entry_paths = |lifecycle: bool| -> Vec<String> {
        cm.into_iter()
            .flatten()
            .filter(|(t, _)| t.ends_with(":lifecycle") == lifecycle)
            .flat_map(|(t, e)| {
                let base = json::child("$.connectModules", t);
                let n = e.as_array().map_or(1, Vec::len);
                (0..n).map(move |i| json::index(&base, i))
            })
            .collect()
    };
    let gone = |modules: &[ForgeModule], dropped: &Dropped, path: &String| {
        modules.iter().any(|s| s.path == *path) || dropped.entries.contains(path)
    };
    let others_stay = entry_paths(false)
        .iter()
        .any(|p| !gone(modules, dropped, p));
    let lifecycles: Vec<(&String, &Value)> = cm
        .into_iter()
        .flatten()
        .filter(|(t, _)| t.ends_with(":lifecycle"))
        .collect();
    if let [(t, Value::Array(entries))] = lifecycles.as_slice() {
        if let [Value::Object(o)] = entries.as_slice() {
            let own_key = o.get("key").and_then(Value::as_str);
            let kept = keep.iter().any(|k| {
                k == kinds::lifecycle::ID || k.as_str() == t.as_str() || Some(k.as_str()) == own_key
            });
            let path = json::index(&json::child("$.connectModules", t), 0);
            match (&remote, others_stay || kept) {
                (_, true) => {}
                (None, false) => {
                    diags.push(m.diagnostic(Severity::Warning, &path, own_key, NO_REMOTE))
                }
                (Some(_), false) => {
                    let mut f = Findings::default();
                    let made = kinds::lifecycle::migrate(o, &remote_base_url(&m.value), &mut f);
                    for x in f.0 {
                        let at = x.path.replacen("$.lifecycle", &path, 1);
                        diags.push(m.diagnostic(x.severity, &at, own_key, x.message));
                    }
                    let mut taken: BTreeSet<String> = module_keys(&m.value)
                        .into_iter()
                        .map(|(_, k)| k)
                        .chain(modules.iter().map(|s| s.key.clone()))
                        .collect();
                    match made {
                        // Nothing to carry (only enabled/disabled): the entry goes, said above.
                        Some(made) if made.is_empty() => dropped.entries.push(path),
                        Some(made) => {
                            for mut s in made {
                                let mut key = s.key.clone();
                                let mut n = 2;
                                while !taken.insert(key.clone()) {
                                    key = format!("{}-{n}", s.key);
                                    n += 1;
                                }
                                s.key = key;
                                s.path = path.clone();
                                modules.push(s);
                            }
                        }
                        None => {}
                    }
                }
            }
        }
    }

    // One endpoint per route, on the Connect backend's remote.
    let scopes: Vec<&str> = m
        .value
        .pointer("/permissions/scopes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| s.as_str().unwrap_or(""))
        .collect();
    let connect_scope = |s: &str| -> Option<(Product, &'static str)> {
        let product = match s.rsplit_once(':')?.1 {
            "connect-jira" => Product::Jira,
            "connect-confluence" => Product::Confluence,
            _ => return None,
        };
        let c = CONNECT_SCOPES
            .into_iter()
            .find(|c| crate::product::forge_scope(product, c).as_deref() == Some(s))?;
        Some((product, c))
    };
    let app_token = scopes.iter().any(|s| connect_scope(s).is_some());
    remote::attach_endpoints(modules, app_token);
    // An endpoint key the manifest already has (a hand-written `remote-hook`) gets `-2`, … and
    // the triggers naming it follow.
    let manifest_keys: BTreeSet<String> =
        module_keys(&m.value).into_iter().map(|(_, k)| k).collect();
    let mut all: BTreeSet<String> = manifest_keys
        .iter()
        .cloned()
        .chain(modules.iter().map(|s| s.key.clone()))
        .collect();
    let mut renamed: Vec<(String, String)> = Vec::new();
    for s in modules
        .iter_mut()
        .filter(|s| s.forge_type == remote::ENDPOINT && manifest_keys.contains(&s.key))
    {
        let mut n = 2;
        let mut key = format!("{}-{n}", s.key);
        while !all.insert(key.clone()) {
            n += 1;
            key = format!("{}-{n}", s.key);
        }
        renamed.push((std::mem::replace(&mut s.key, key.clone()), key));
    }
    for s in modules.iter_mut() {
        let named = s.entry.get("endpoint").and_then(Value::as_str);
        if let Some((_, new)) = renamed.iter().find(|(old, _)| Some(old.as_str()) == named) {
            s.entry.insert("endpoint".into(), json!(new));
        }
    }
    if let Some(r) = &remote {
        for s in modules
            .iter_mut()
            .filter(|s| s.forge_type == remote::ENDPOINT)
        {
            s.entry.insert("remote".into(), json!(r));
        }
    }
    // The scopes each trigger's event needs.
    for s in modules.iter() {
        let needed = s.details.get("scopes").and_then(Value::as_array);
        for scope in needed.into_iter().flatten().filter_map(Value::as_str) {
            if !add.scopes.iter().any(|a| a == scope) {
                add.scopes.push(scope.to_string());
            }
        }
    }

    // With nothing left on Connect, the backend calls the product's REST API with the app token
    // its endpoints receive, which Forge's own scopes govern: the Connect scopes are replaced.
    let all_gone = cm.is_some_and(|c| !c.is_empty())
        && entry_paths(false)
            .iter()
            .chain(entry_paths(true).iter())
            .all(|p| gone(modules, dropped, p));
    if !all_gone {
        return;
    }
    let mut replaced = Vec::new();
    for (i, s) in scopes.iter().enumerate() {
        let Some((product, c)) = connect_scope(s) else {
            continue;
        };
        let forge = mapping::forge_scopes(product, c);
        let why = match (c, forge.is_empty()) {
            ("ACT_AS_USER", _) => "no Forge scope: a trigger has no user; calls made as a user need an endpoint with auth.appUserToken, called from the UI".to_string(),
            (_, true) => "no Forge scope".to_string(),
            (_, false) => forge.join(", "),
        };
        replaced.push((i, s.to_string(), forge, why));
    }
    // A list left empty would be `scopes:` with no items: then the Connect scopes stay.
    let new_scopes = replaced.iter().flat_map(|(_, _, f, _)| f.iter()).count() + add.scopes.len();
    if replaced.len() == scopes.len() && new_scopes == 0 {
        return;
    }
    for (i, s, forge, why) in replaced {
        for f in forge {
            if !add.scopes.iter().any(|a| a == f) && !scopes.contains(f) {
                add.scopes.push(f.to_string());
            }
        }
        diags.push(m.diagnostic(Severity::Warning, &json::index("$.permissions.scopes", i), None, format!("no Connect module remains, so the Connect scope {s} is replaced by Forge's own scopes for the app token: {why}")));
        dropped.scopes.push(s);
    }
    if m.value.pointer("/app/connect/authentication").is_some() {
        diags.push(m.diagnostic(Severity::Warning, "$.app.connect.authentication", None, "no Connect module remains, so app.connect.authentication is removed (Forge rejects it without connectModules); app.connect.remote and remotes stay"));
    }
}

/// The entries of a permission list (`path` = `["permissions", "scopes"]`, …) the manifest does
/// not have yet. An external host is there in either form (`- url` or `- address: url`).
fn missing(v: &Value, path: &[&str], items: &[Value]) -> Vec<Value> {
    let mut at = Some(v);
    for key in path {
        at = at.and_then(|v| v.get(key));
    }
    let name = |e: &Value| {
        e.as_str()
            .or_else(|| e.get("address")?.as_str())
            .map(str::to_string)
    };
    let have: Vec<String> = at
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(name)
        .collect();
    items
        .iter()
        .filter(|i| !name(i).is_some_and(|n| have.contains(&n)))
        .cloned()
        .collect()
}

/// The manifest value the migration means to produce.
pub fn intended(v: &Value, modules: &[ForgeModule], add: &Permissions, dropped: &Dropped) -> Value {
    let moving = moves(v, modules, dropped);
    let mut v = v.clone();
    if let Some(list) = v
        .pointer_mut("/permissions/scopes")
        .and_then(Value::as_array_mut)
    {
        list.retain(|s| {
            !s.as_str()
                .is_some_and(|s| dropped.scopes.iter().any(|d| d == s))
        });
    }
    for (path, items) in add.lists() {
        let new = missing(&v, path, &items);
        let Some((last, parents)) = path.split_last() else {
            continue;
        };
        if new.is_empty() {
            continue;
        }
        // Only through mappings (or keys not there yet): indexing anything else would panic.
        let mut probe = Some(&v);
        for key in parents {
            probe = probe
                .filter(|p| p.is_object() || p.is_null())
                .map(|p| &p[*key]);
        }
        if !probe.is_some_and(|p| p.is_object() || p.is_null()) || !v.is_object() {
            continue;
        }
        let mut at = &mut v;
        for key in parents {
            at = &mut at[*key];
        }
        if at[*last].is_null() {
            at[*last] = json!([]);
        }
        if let Some(list) = at[*last].as_array_mut() {
            list.extend(new);
        }
    }
    let Some(root) = v.as_object_mut() else {
        return v;
    };
    let mut emptied = false;
    if let Some(cm) = root
        .get_mut("connectModules")
        .and_then(Value::as_object_mut)
    {
        for (t, idx, all) in &moving {
            if *all {
                cm.shift_remove(t);
            } else if let Some(list) = cm.get_mut(t).and_then(Value::as_array_mut) {
                for i in idx.iter().rev() {
                    if *i < list.len() {
                        list.remove(*i);
                    }
                }
            }
        }
        emptied = cm.is_empty();
    }
    if emptied {
        root.shift_remove("connectModules");
        // Forge rejects app.connect.authentication without connectModules.
        if let Some(c) = root
            .get_mut("app")
            .and_then(|a| a.get_mut("connect"))
            .and_then(Value::as_object_mut)
        {
            c.shift_remove("authentication");
        }
    }
    if modules.is_empty() {
        return v;
    }
    // A dialog is a resource without a module.
    let typed: Vec<&ForgeModule> = modules
        .iter()
        .filter(|s| !s.forge_type.is_empty())
        .collect();
    if !typed.is_empty() {
        let mods = root
            .entry("modules")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("checked to be a mapping");
        for s in typed {
            if let Some(a) = mods
                .entry(s.forge_type)
                .or_insert_with(|| json!([]))
                .as_array_mut()
            {
                a.push(s.manifest_entry());
            }
        }
    }
    let new_resources: Vec<Value> = modules
        .iter()
        .flat_map(ForgeModule::resource_entries)
        .collect();
    if !new_resources.is_empty() {
        if let Some(a) = root
            .entry("resources")
            .or_insert_with(|| json!([]))
            .as_array_mut()
        {
            a.extend(new_resources);
        }
    }
    v
}

/// What went wrong while editing: never written, always explained.
fn unsafe_edit(m: &Manifest, why: String) -> Error {
    Error::input(Diagnostic {
        severity: Severity::Error,
        file: m.src.name.clone(),
        position: None,
        path: None,
        module: None,
        message: format!(
            "this manifest cannot be edited safely ({why}); nothing was written. Move the modules by hand, or simplify the YAML around them (anchors, flow style) and run again"
        ),
    })
}

/// The edited manifest text: the migrated types leave `connectModules`, their modules and
/// resources are added. Verified semantically and line by line before it is returned.
pub fn edit(
    m: &Manifest,
    modules: &[ForgeModule],
    add: &Permissions,
    dropped: &Dropped,
) -> Result<String> {
    let text = &m.src.text;
    let want = intended(&m.value, modules, add, dropped);
    let fail = |why: String| unsafe_edit(m, why);
    // A final `...` (and what follows it) stays last: text after it would be a second document.
    let (body, tail) = text.split_at(document_end(text).unwrap_or(text.len()));
    let doc = Document::from_str(body).map_err(|e| fail(e.to_string()))?;
    let root = doc
        .as_mapping()
        .ok_or_else(|| fail("the document is not a mapping".into()))?;

    // Byte ranges whose lines may change, taken before the tree is edited.
    let mut changing: Vec<(usize, usize)> = Vec::new();
    let range = |n: &YamlNode| {
        let r = n.byte_range();
        (r.start as usize, r.end as usize)
    };
    let entry_range = |map: &yaml_edit::Mapping, key: &str| {
        map.find_entry_by_key(key).and_then(|e| {
            let k = e.key_node()?;
            let end = e
                .value_node()
                .map_or(k.byte_range().end, |v| v.byte_range().end);
            Some((k.byte_range().start as usize, end as usize))
        })
    };
    let moving = moves(&m.value, modules, dropped);
    // No module to move (only permissions to add): connectModules may be gone already.
    let cm = match (root.get_mapping("connectModules"), moving.is_empty()) {
        (Some(cm), _) => Some(cm),
        (None, true) => None,
        (None, false) => {
            return Err(fail(
                "connectModules is not a mapping the editor recognises".into(),
            ))
        }
    };
    for (t, idx, all) in &moving {
        let Some(cm) = &cm else { continue };
        if *all {
            changing.push(
                entry_range(cm, t)
                    .ok_or_else(|| fail(format!("{t} was not found by the editor")))?,
            );
            continue;
        }
        let seq = cm
            .get_sequence(t)
            .ok_or_else(|| fail(format!("{t} is not a list the editor recognises")))?;
        if seq.is_flow_style() {
            changing.push(range(&YamlNode::Sequence(seq.clone())));
        }
        for i in idx {
            let item = seq
                .get(*i)
                .ok_or_else(|| fail(format!("{t}[{i}] was not found by the editor")))?;
            changing.push(range(&item));
        }
    }
    let drop_cm = cm.is_some() && want.get("connectModules").is_none();
    let drop_auth = drop_cm && m.value.pointer("/app/connect/authentication").is_some();
    if drop_cm {
        changing.extend(entry_range(&root, "connectModules"));
    }
    let connect = root
        .get_mapping("app")
        .and_then(|a| a.get_mapping("connect"));
    if drop_auth {
        let c = connect
            .as_ref()
            .ok_or_else(|| fail("app.connect is not a mapping the editor recognises".into()))?;
        changing.extend(entry_range(c, "authentication"));
        // In flow style ({key: k, authentication: jwt}) the whole mapping's lines may change.
        if c.is_flow_style() {
            changing.push(range(&YamlNode::Mapping(c.clone())));
        }
    }
    let mods = root.get_mapping("modules");
    if let Some(mm) = &mods {
        if mm.is_flow_style() {
            changing.push(range(&YamlNode::Mapping(mm.clone())));
        }
        for t in kinds::forge_types() {
            if let Some(s) = mm.get_sequence(t).filter(|s| s.is_flow_style()) {
                changing.push(range(&YamlNode::Sequence(s)));
            }
        }
    }
    let res = root.get_sequence("resources");
    if let Some(r) = res.as_ref().filter(|r| r.is_flow_style()) {
        changing.push(range(&YamlNode::Sequence(r.clone())));
    }

    // Connect scopes Forge's own replace: their items go.
    let old_scopes: Vec<&str> = m
        .value
        .pointer("/permissions/scopes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| s.as_str().unwrap_or(""))
        .collect();
    let gone: Vec<usize> = (0..old_scopes.len())
        .filter(|i| dropped.scopes.iter().any(|d| d == old_scopes[*i]))
        .collect();
    let scope_seq = root
        .get_mapping("permissions")
        .and_then(|p| p.get_sequence("scopes"));
    if !gone.is_empty() {
        let seq = scope_seq
            .as_ref()
            .ok_or_else(|| fail("permissions.scopes is not a list the editor recognises".into()))?;
        if seq.is_flow_style() {
            changing.push(range(&YamlNode::Sequence(seq.clone())));
        }
        for i in &gone {
            let item = seq.get(*i).ok_or_else(|| {
                fail(format!(
                    "permissions.scopes[{i}] was not found by the editor"
                ))
            })?;
            changing.push(range(&item));
        }
    }

    // The edits.
    if let Some(seq) = &scope_seq {
        for i in gone.iter().rev() {
            seq.remove(*i);
        }
    }
    for (t, idx, all) in &moving {
        let Some(cm) = &cm else { continue };
        if *all {
            cm.remove(t);
        } else if let Some(seq) = cm.get_sequence(t) {
            for i in idx.iter().rev() {
                seq.remove(*i);
            }
        }
    }
    if drop_cm {
        root.remove("connectModules");
    }
    if drop_auth {
        if let Some(c) = &connect {
            c.remove("authentication");
        }
    }
    let style = Style::detect(text);
    let mut appended = String::new();
    match &mods {
        Some(mm) => {
            for t in kinds::forge_types() {
                let of_type: Vec<&ForgeModule> =
                    modules.iter().filter(|s| s.forge_type == t).collect();
                if of_type.is_empty() {
                    continue;
                }
                match mm.get_sequence(t) {
                    Some(seq) => {
                        for s in of_type {
                            seq.push(parsed_mapping(&s.manifest_entry()).map_err(&fail)?);
                        }
                    }
                    None => {
                        let items: Vec<Value> =
                            of_type.iter().map(|s| s.manifest_entry()).collect();
                        let block = style.sequence(&items, 0).map_err(&fail)?;
                        let seq = Document::from_str(&block)
                            .ok()
                            .and_then(|d| d.as_sequence())
                            .ok_or_else(|| fail("a new module list did not parse".into()))?;
                        mm.set(t, seq);
                    }
                }
            }
        }
        None if modules.iter().all(|s| s.forge_type.is_empty()) => {}
        None => {
            appended.push_str("modules:\n");
            for t in kinds::forge_types() {
                let items: Vec<Value> = modules
                    .iter()
                    .filter(|s| s.forge_type == t)
                    .map(ForgeModule::manifest_entry)
                    .collect();
                if items.is_empty() {
                    continue;
                }
                appended.push_str(&format!(
                    "{}{}:\n",
                    style.pad(1),
                    yaml_value(&json!(t), None).map_err(&fail)?
                ));
                appended.push_str(&style.sequence(&items, 1).map_err(&fail)?);
            }
        }
    }
    let new_resources: Vec<Value> = modules
        .iter()
        .flat_map(ForgeModule::resource_entries)
        .collect();
    match &res {
        Some(seq) => {
            for r in &new_resources {
                seq.push(parsed_mapping(r).map_err(&fail)?);
            }
        }
        None if new_resources.is_empty() => {}
        None => {
            appended.push_str("resources:\n");
            appended.push_str(&style.sequence(&new_resources, 0).map_err(&fail)?);
        }
    }

    // Permission lists: items go into a list that is there, a list goes into a mapping that is
    // there, and what is missing from the root is one block appended at the end.
    let mut at_end = json!({});
    for (path, items) in add.lists() {
        let new = missing(&m.value, path, &items);
        let Some((last, parents)) = path.split_last() else {
            continue;
        };
        if new.is_empty() {
            continue;
        }
        let mut map = root.clone();
        let mut depth = 0;
        while let Some(next) = parents.get(depth).and_then(|k| map.get_mapping(*k)) {
            map = next;
            depth += 1;
        }
        if depth == 0 {
            // Not even the first key: gathered into the appended block.
            let mut v = &mut at_end;
            for key in parents {
                v = &mut v[*key];
            }
            v[*last] = Value::Array(new);
            continue;
        }
        if depth == parents.len() {
            if let Some(seq) = map.get_sequence(*last) {
                if seq.is_flow_style() {
                    changing.push(range(&YamlNode::Sequence(seq.clone())));
                }
                for item in &new {
                    match item.as_str() {
                        Some(s) => seq.push(s),
                        None => seq.push(parsed_mapping(item).map_err(&fail)?),
                    }
                }
                continue;
            }
        }
        // A mapping that is there lacks the rest of the path: set as a new key of it.
        let (key, rest) = match parents.get(depth) {
            Some(key) => (*key, &path[depth + 1..]),
            None => (*last, &[][..]),
        };
        let mut value = Value::Array(new);
        for k in rest.iter().rev() {
            value = json!({ *k: value });
        }
        let block = style.block(&value, 0).map_err(&fail)?;
        let parsed = Document::from_str(&block)
            .map_err(|e| fail(format!("a new permission list did not parse: {e}")))?;
        match (parsed.as_mapping(), parsed.as_sequence()) {
            (Some(node), _) => map.set(key, node),
            (None, Some(node)) => map.set(key, node),
            (None, None) => return Err(fail("a new permission list did not parse".into())),
        }
    }
    if let Some(o) = at_end.as_object().filter(|o| !o.is_empty()) {
        appended.push_str(&style.block(&Value::Object(o.clone()), 0).map_err(&fail)?);
    }

    let mut out = doc.to_string();
    if !appended.is_empty() {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&appended);
    }
    out.push_str(tail);
    // Added lines take the file's own line ending.
    if text.contains("\r\n") {
        out = crlf(&out);
    }
    verify(m, &out, &want, &changing).map_err(fail)?;
    Ok(out)
}

/// The byte offset of a final `...` line (a YAML document end marker followed only by blank and
/// comment lines), if the text has one.
fn document_end(text: &str) -> Option<usize> {
    let mut at = text.len();
    for line in text.split_inclusive('\n').rev() {
        at -= line.len();
        let t = line.trim_end_matches(['\n', '\r', ' ', '\t']);
        if t == "..." || t.starts_with("... #") {
            return Some(at);
        }
        if !(t.trim_start().is_empty() || t.trim_start().starts_with('#')) {
            return None;
        }
    }
    None
}

/// The text with every line ending `\r\n` (lines that already end so are left as they are).
fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    for line in text.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(l) => {
                out.push_str(l.strip_suffix('\r').unwrap_or(l));
                out.push_str("\r\n");
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A block mapping parsed from text written by the YAML escaping helper.
fn parsed_mapping(v: &Value) -> std::result::Result<yaml_edit::Mapping, String> {
    let mut text = String::new();
    for (k, v) in v.as_object().into_iter().flatten() {
        text.push_str(&format!(
            "{}: {}\n",
            yaml_value(&json!(k), None)?,
            yaml_value(v, None)?
        ));
    }
    Document::from_str(&text)
        .ok()
        .and_then(|d| d.as_mapping())
        .ok_or_else(|| "a new entry did not parse".to_string())
}

/// The indentation habits of a file, so appended blocks look like the rest of it.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// Spaces per nesting level.
    unit: usize,
    /// Whether `- ` items are indented under their key (`key:\n  - a`) or not (`key:\n- a`).
    indented_sequences: bool,
}

impl Style {
    fn detect(text: &str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
        let content = |l: &&str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
        let mut unit = None;
        let mut indented = None;
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_end();
            if !content(l) || !t.ends_with(':') {
                continue;
            }
            let Some(next) = lines[i + 1..].iter().find(|l| content(l)) else {
                continue;
            };
            let (a, b) = (indent(l), indent(next));
            if next.trim_start().starts_with("- ") || next.trim() == "-" {
                indented.get_or_insert(b > a);
                if b > a {
                    unit.get_or_insert(b - a);
                }
            } else if b > a {
                unit.get_or_insert(b - a);
            }
            if unit.is_some() && indented.is_some() {
                break;
            }
        }
        Self {
            unit: unit.filter(|u| (1..=8).contains(u)).unwrap_or(2),
            indented_sequences: indented.unwrap_or(true),
        }
    }

    fn pad(&self, level: usize) -> String {
        " ".repeat(self.unit * level)
    }

    /// A block of nested mappings whose leaves are sequences (`permissions:\n  external: …`),
    /// its first key at `level`; a sequence alone is written as the items of a key at `level`.
    fn block(&self, v: &Value, level: usize) -> std::result::Result<String, String> {
        let Some(o) = v.as_object() else {
            return self.sequence(v.as_array().map_or(&[][..], Vec::as_slice), level);
        };
        let mut s = String::new();
        for (k, v) in o {
            s.push_str(&format!(
                "{}{}:\n",
                self.pad(level),
                yaml_value(&json!(k), None)?
            ));
            match v.is_object() {
                true => s.push_str(&self.block(v, level + 1)?),
                false => {
                    s.push_str(&self.sequence(v.as_array().map_or(&[][..], Vec::as_slice), level)?)
                }
            }
        }
        Ok(s)
    }

    /// A block sequence of flat mappings whose key sits at `level`.
    fn sequence(&self, items: &[Value], level: usize) -> std::result::Result<String, String> {
        let dash = if self.indented_sequences {
            self.pad(level + 1)
        } else {
            self.pad(level)
        };
        let mut s = String::new();
        for item in items {
            if !item.is_object() {
                s.push_str(&format!("{dash}- {}\n", yaml_value(item, None)?));
                continue;
            }
            for (i, (k, v)) in item.as_object().into_iter().flatten().enumerate() {
                let lead = if i == 0 {
                    format!("{dash}- ")
                } else {
                    format!("{dash}  ")
                };
                s.push_str(&format!(
                    "{lead}{}: {}\n",
                    yaml_value(&json!(k), None)?,
                    yaml_value(v, None)?
                ));
            }
        }
        Ok(s)
    }
}

/// The result must mean exactly what was intended, and keep every line outside `changing`.
fn verify(
    m: &Manifest,
    out: &str,
    want: &Value,
    changing: &[(usize, usize)],
) -> std::result::Result<(), String> {
    let back: serde_yaml::Value =
        serde_yaml::from_str(out).map_err(|e| format!("the edited text does not parse: {e}"))?;
    let mut back = back;
    back.apply_merge().map_err(|e| e.to_string())?;
    let back = serde_json::to_value(back).map_err(|e| e.to_string())?;
    if &back != want {
        let path = contains(&back, want, "$")
            .and_then(|()| contains(want, &back, "$"))
            .err()
            .unwrap_or_else(|| "$".into());
        return Err(format!("the edited manifest would differ at {path}"));
    }
    // Lines wholly or partly inside a changing range may change; all others must survive in order.
    let old = &m.src.text;
    let mut kept = Vec::new();
    let mut start = 0;
    for line in old.split_inclusive('\n') {
        let end = start + line.len();
        let touched = changing
            .iter()
            .any(|&(a, b)| a < end && start < b.max(a + 1));
        if !touched {
            kept.push(line.trim_end_matches(['\n', '\r']));
        }
        start = end;
    }
    let mut new_lines = out.lines();
    for line in kept {
        if !new_lines.any(|n| n == line) {
            let hint = if line.contains('*') {
                " (an alias whose anchor is inside the migrated block: move the anchor out of it first)"
            } else {
                ""
            };
            return Err(format!(
                "the line \"{}\" would change although it is outside the migrated block{hint}",
                line.trim()
            ));
        }
    }
    Ok(())
}

/// What an adopted manifest is after the move, for the review and the scaffolds.
fn adoption(
    m: Manifest,
    text: String,
    modules: Vec<ForgeModule>,
    add: &Permissions,
    dropped: &Dropped,
    warnings: Vec<Diagnostic>,
) -> Adoption {
    let after = intended(&m.value, &modules, add, dropped);
    let connect_modules: Vec<(String, Vec<Value>)> = after
        .get("connectModules")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(t, e)| {
                    let keys = e.as_array().into_iter().flatten();
                    let keys = keys.map(|e| e.get("key").cloned().unwrap_or(Value::Null));
                    (t.clone(), keys.collect())
                })
                .collect()
        })
        .unwrap_or_default();
    let product = if !connect_modules.is_empty()
        && connect_modules
            .iter()
            .all(|(t, _)| t.starts_with("confluence:"))
    {
        Product::Confluence
    } else {
        Product::Jira
    };
    let str_at = |p: &str| m.value.pointer(p).and_then(Value::as_str);
    let scopes = after
        .pointer("/permissions/scopes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Adoption {
        manifest: PlannedFile {
            path: "manifest.yml".into(),
            content: text,
            bytes: None,
            ownership: Ownership::Managed,
        },
        connect_key: str_at("/app/connect/key")
            .unwrap_or("forge-app")
            .to_string(),
        product,
        app_id_is_placeholder: is_placeholder_app_id(str_at("/app/id").unwrap_or_default()),
        modules,
        connect_modules,
        scopes,
        warnings,
        source: m,
    }
}

/// An `app.id` that `forge register` still has to replace: empty, the all-zero placeholder, or
/// one built from a `${VARIABLE}`.
pub fn is_placeholder_app_id(id: &str) -> bool {
    id.is_empty() || id == mapping::PLACEHOLDER_APP_ID || id.contains("${")
}
