//! `connect2forge status`: how far a Forge manifest is from "fully Forge", in Atlassian's terms,
//! plus the checks Atlassian's validator skips.
//!
//! Two kinds of output come from one [`StatusReport`] value: text for people (one line per
//! finding, grouped, then a summary) and one JSON document for CI. Nothing here prints.

use serde::Serialize;
use serde_json::{json, Value};

use crate::descriptor::json;
use crate::descriptor::product::Product;
use crate::diagnostics::{Diagnostic, Severity};
use crate::manifest::adopt::{self, Manifest};
use crate::manifest::validate;
use crate::source::Position;

/// What kind of Connect remnant an [`Item`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An entry under `connectModules`.
    ConnectModule,
    /// A `*:connect-jira` / `*:connect-confluence` scope.
    ConnectScope,
    /// An `app.connect` field other than `key`.
    AppConnectField,
    /// `app.connect.key` is missing although the app uses Connect.
    MissingConnectKey,
    /// `app.id` is still a placeholder.
    PlaceholderAppId,
    /// A context parameter (`{issue.key}`) inside a Connect module URL.
    ContextParameter,
}

impl Kind {
    fn heading(self) -> &'static str {
        match self {
            Kind::ConnectModule => "Connect modules (connectModules)",
            Kind::ConnectScope => "Connect scopes",
            Kind::AppConnectField => "app.connect fields",
            Kind::MissingConnectKey => "app.connect.key",
            Kind::PlaceholderAppId => "app.id",
            Kind::ContextParameter => "Context parameters in module URLs",
        }
    }

    /// Whether this kind means Connect is still in use (what `--strict` fails on).
    pub fn is_connect(self) -> bool {
        matches!(
            self,
            Kind::ConnectModule | Kind::ConnectScope | Kind::AppConnectField
        )
    }
}

/// One thing between the app and "fully Forge".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// Its JSON path.
    pub path: String,
    /// Where it is in the manifest.
    pub position: Option<Position>,
    /// The Connect module type (`jira:webItems`), for modules and their URLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_type: Option<String>,
    /// The module key, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The scope, field value, URL or app id concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// One line for people.
    pub message: String,
}

/// A module under `connectModules` that `connect2forge migrate` can convert now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Script {
    /// Its key.
    pub key: String,
    /// The module kind that converts it (`background-script`, `general-page`, ...).
    pub kind: &'static str,
    /// What the kind says of it (a background script's `issue_view` or `dashboard`).
    pub location: String,
    /// The Forge module it becomes.
    pub forge_type: &'static str,
    /// The module it becomes a subpage of, when it is a further page of a type Forge allows once
    /// (for the text: the JSON's scripts keep their shape).
    #[serde(skip)]
    pub subpage_of: Option<String>,
    /// Where it is in the manifest.
    pub position: Option<Position>,
    /// The exact command that converts it.
    pub command: String,
}

/// The whole status of one manifest.
#[derive(Debug, Clone)]
pub struct StatusReport {
    /// The manifest's name as given.
    pub manifest: String,
    /// Connect remnants and other steps before "fully Forge", in file order per kind.
    pub items: Vec<Item>,
    /// Modules ready to migrate.
    pub scripts: Vec<Script>,
    /// Problems Atlassian's validator does not report.
    pub problems: Vec<Diagnostic>,
}

/// The conflicts `connect2forge migrate` marked in a manifest and nobody resolved yet
/// (`<<<<<<< yours (manifest.yml)` … `>>>>>>> connect2forge`): one error each, at its first line.
/// Such a manifest is not deployable, and usually does not parse.
pub fn conflict_markers(src: &crate::source::SourceText) -> Vec<Diagnostic> {
    let lines = crate::review::keep_edits::unresolved_conflicts(&src.text);
    let n = lines.len();
    lines
        .into_iter()
        .map(|line| Diagnostic {
            severity: Severity::Error,
            file: src.name.clone(),
            position: Some(Position { line, column: 1 }),
            path: None,
            module: None,
            message: format!(
                "an unresolved conflict that connect2forge marked ({n} in this file): the lines between `<<<<<<< yours` and `=======` are yours, those up to `{}` the migration's; keep one side or both, delete the marker lines, and run again",
                crate::review::keep_edits::CONFLICT_END
            ),
        })
        .collect()
}

/// Builds the report. `manifest_arg` is how the command that migrates the scripts names the
/// manifest (the path the user gave).
pub fn status(m: &Manifest, manifest_arg: &str) -> StatusReport {
    // As Forge reads it: without merge keys applied (issue 11.10).
    let forge = m.as_forge_reads();
    let m = &forge;
    let mut items = Vec::new();
    let mut problems = adopt::shape_problems(m);
    let item = |kind: Kind,
                path: &str,
                module_type: Option<&str>,
                key: Option<&str>,
                value: Option<&str>,
                message: String| Item {
        kind,
        path: path.to_string(),
        position: m.position(path),
        module_type: module_type.map(str::to_string),
        key: key.map(str::to_string),
        value: value.map(str::to_string),
        message,
    };
    let v = &m.value;

    // app.id and app.connect.
    if let Some(id) = v.pointer("/app/id").and_then(Value::as_str) {
        if adopt::is_placeholder_app_id(id) {
            items.push(item(
                Kind::PlaceholderAppId,
                "$.app.id",
                None,
                None,
                Some(id),
                format!("app.id \"{id}\" is a placeholder: run `forge register` (or set the variable) before `forge deploy`"),
            ));
        }
    }
    let connect = v.pointer("/app/connect").and_then(Value::as_object);
    let has_connect_modules = m.connect_modules().is_some_and(|c| !c.is_empty());
    let has_key = connect.is_some_and(|c| c.get("key").is_some_and(Value::is_string));
    if !has_key && (connect.is_some() || has_connect_modules) {
        let path = if connect.is_some() {
            "$.app.connect"
        } else {
            "$.app"
        };
        items.push(item(
            Kind::MissingConnectKey,
            path,
            None,
            None,
            None,
            "app.connect.key is missing: set it to the Connect app key so installations carry over (Forge requires it with app.connect)".into(),
        ));
    }
    for (field, val) in connect.into_iter().flatten() {
        // Without connectModules, `remote` only keeps the Connect installation's data region on
        // the upgrade to Forge (Atlassian's validator warns when it is missing): not Connect.
        if field == "key" || (field == "remote" && !has_connect_modules) {
            continue;
        }
        let shown = val.as_str().map_or_else(|| val.to_string(), str::to_string);
        let why = match field.as_str() {
            "remote" => "the Connect backend still serves the app",
            "authentication" => "the Connect backend still receives JWTs",
            _ => "a Connect setting",
        };
        items.push(item(
            Kind::AppConnectField,
            &json::child("$.app.connect", field),
            None,
            None,
            Some(&shown),
            format!("app.connect.{field}: {shown} ({why})"),
        ));
    }

    // connectModules.
    if let Some(cm) = m.connect_modules() {
        for (t, entries) in cm {
            let type_path = json::child("$.connectModules", t);
            let (prefix, name) = t.split_once(':').unwrap_or(("", t.as_str()));
            let product = match prefix {
                "jira" => Some(Product::Jira),
                "confluence" => Some(Product::Confluence),
                _ => None,
            };
            if !product.is_some_and(|p| p.accepts(name) || name == "lifecycle") {
                problems.push(m.diagnostic(
                    Severity::Error,
                    &type_path,
                    None,
                    format!("\"{t}\" is not a Connect module type Forge accepts under connectModules (write jira:<type> or confluence:<type>)"),
                ));
            }
            let Some(entries) = entries.as_array() else {
                continue;
            };
            for (i, e) in entries.iter().enumerate() {
                let path = json::index(&type_path, i);
                let key = e.get("key").and_then(Value::as_str);
                items.push(item(
                    Kind::ConnectModule,
                    &path,
                    Some(t),
                    key,
                    None,
                    match key {
                        Some(k) => format!("{t} '{k}'"),
                        None => format!("{t} #{} (no key)", i + 1),
                    },
                ));
                context_parameters(e, &path, &mut |p, url, params| {
                    items.push(item(
                        Kind::ContextParameter,
                        p,
                        Some(t),
                        key,
                        Some(url),
                        format!(
                            "{t} '{}': url \"{url}\" uses {}: {}",
                            key.unwrap_or("?"),
                            params.join(", "),
                            if t.ends_with(":webhooks") {
                                "a Forge trigger receives these in its event payload, not in a URL"
                            } else {
                                "Forge modules read context with view.getContext(), not URL parameters"
                            }
                        ),
                    ));
                });
            }
        }
    }
    let (valid, script_problems) = adopt::migratable(m);
    problems.extend(script_problems);
    // The types whose kind checks every entry itself (background scripts): their entries'
    // problems come from those checks, not the generic connectModules ones.
    let moved: Vec<String> = adopt::migrated_types(&m.value)
        .iter()
        .filter(|t| {
            t.split_once(':')
                .and_then(|(_, t)| crate::kinds::by_connect_type(t))
                .is_some_and(|k| k.own_checks())
        })
        .map(|t| json::child("$.connectModules", t))
        .collect();
    let command = format!("connect2forge migrate {}", shell_quote(manifest_arg));
    let mut scripts: Vec<Script> = valid
        .iter()
        .map(|s| Script {
            key: s.key.clone(),
            kind: s.kind,
            location: s.label(),
            forge_type: s.forge_type,
            subpage_of: s.subpage_of().map(str::to_string),
            position: m.position(&s.path),
            command: command.clone(),
        })
        .collect();
    // The lifecycle moves with the last of the others (while one stays, the Connect backend still
    // needs `installed`): when every other Connect module can move now and the remote is
    // declared, so can it.
    let mut others_stay = false;
    let mut lifecycle = None;
    for (t, e) in m.connect_modules().into_iter().flatten() {
        let base = json::child("$.connectModules", t);
        let n = e.as_array().map_or(1, Vec::len);
        for i in 0..n {
            let path = json::index(&base, i);
            if t.ends_with(":lifecycle") {
                let key = e.get(i).and_then(|x| x.get("key")).and_then(Value::as_str);
                lifecycle = Some((path, key.unwrap_or("lifecycle").to_string()));
            } else if !valid.iter().any(|s| s.path == path) {
                others_stay = true;
            }
        }
    }
    if let (Some((path, key)), false, Some(_)) =
        (lifecycle, others_stay, adopt::connect_remote(&m.value))
    {
        scripts.push(Script {
            key,
            kind: crate::kinds::lifecycle::ID,
            location: "lifecycle, moving with the last Connect module".into(),
            forge_type: "trigger",
            subpage_of: None,
            position: m.position(&path),
            command,
        });
    }

    // Scopes.
    if let Some(scopes) = v.pointer("/permissions/scopes").and_then(Value::as_array) {
        for (i, s) in scopes.iter().enumerate() {
            let Some(s) = s.as_str() else { continue };
            if s.ends_with(":connect-jira") || s.ends_with(":connect-confluence") {
                items.push(item(
                    Kind::ConnectScope,
                    &json::index("$.permissions.scopes", i),
                    None,
                    None,
                    Some(s),
                    format!("scope {s} (the Connect backend still calls the product)"),
                ));
            }
        }
    }

    // What Atlassian's validator lets through: connectModules entry contents, unknown
    // properties on Forge background scripts, keys shared across modules and connectModules.
    // (Background-script entries are checked above, with the scripts that can be migrated.)
    for f in validate::check(v).0 {
        // Type names are reported by the shape check above.
        let type_level = f.path.starts_with("$.connectModules") && !f.path.contains('[');
        if type_level || moved.iter().any(|t| f.path.starts_with(t.as_str())) {
            continue;
        }
        problems.push(m.diagnostic(f.severity, &f.path, f.module.as_deref(), f.message));
    }

    problems.sort_by_key(|d| (d.position, d.severity != Severity::Error));
    problems.dedup();
    items.sort_by_key(|i| (i.kind, i.position));
    StatusReport {
        manifest: m.src.name.clone(),
        items,
        scripts,
        problems,
    }
}

/// Calls `f(path, url, parameters)` for every `url` string (at any depth) holding `{...}`.
fn context_parameters(v: &Value, path: &str, f: &mut dyn FnMut(&str, &str, Vec<String>)) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let p = json::child(path, k);
                match x {
                    Value::String(u) if k == "url" => {
                        let params = braces(u);
                        if !params.is_empty() {
                            f(&p, u, params);
                        }
                    }
                    _ => context_parameters(x, &p, f),
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                context_parameters(x, &json::index(path, i), f);
            }
        }
        _ => {}
    }
}

/// `{name}` parts of a URL, in order, without repeats.
fn braces(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open..open + close + 1];
        if inner.len() > 2 && !out.iter().any(|o| o == inner) {
            out.push(inner.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    out
}

/// Quotes a path for a POSIX shell when it needs it.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Whether the app qualifies for Forge's revenue share: only Forge modules, Forge
/// authentication and Forge UI, so every Connect module, Connect scope and Connect
/// authentication setting is a blocker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevenueShare {
    /// No blocker remains.
    pub qualifies: bool,
    /// Each blocker, in the report's order.
    pub blockers: Vec<Blocker>,
}

/// One thing that keeps the app from Forge's revenue share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    /// Which of the three conditions it breaks: `forge-modules`, `forge-auth` or `forge-ui`.
    pub rule: &'static str,
    /// Its JSON path.
    pub path: String,
    /// Where it is in the manifest.
    pub position: Option<Position>,
    /// One line for people, with the data still to migrate where the module type stores some.
    pub message: String,
}

/// Connect module types whose data stays with the Connect app until it is migrated too.
const STORED_DATA: &[(&str, &str)] = &[
    ("jiraIssueFields", "issue field values"),
    ("jiraEntityProperties", "entity properties it indexes"),
    (
        "dynamicContentMacros",
        "macro bodies and parameters in pages",
    ),
    (
        "staticContentMacros",
        "macro bodies and parameters in pages",
    ),
    ("customContent", "custom content"),
    ("contentBylineItems", "content properties"),
];

impl StatusReport {
    /// The revenue-share verdict: every Connect module (Forge modules only, and Forge UI: a
    /// Connect module's page is Connect's iframe), Connect scope and `app.connect` setting
    /// (Forge authentication) that remains, each with its place.
    pub fn revenue_share(&self) -> RevenueShare {
        let blockers: Vec<Blocker> = self
            .items
            .iter()
            .filter(|i| i.kind.is_connect())
            .map(|i| {
                let (rule, why) = match i.kind {
                    Kind::ConnectModule => {
                        let t = i.module_type.as_deref().unwrap_or("");
                        let name = t.split_once(':').map_or(t, |(_, n)| n);
                        let data = STORED_DATA
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, d)| format!("; its {d} are still to migrate"))
                            .unwrap_or_default();
                        let rule = if name == "lifecycle" || name == "webhooks" {
                            "forge-modules"
                        } else {
                            "forge-ui"
                        };
                        (rule, format!("a Connect module, not a Forge one{data}"))
                    }
                    Kind::ConnectScope => (
                        "forge-auth",
                        "a Connect scope: the backend still calls the product with a Connect JWT"
                            .to_string(),
                    ),
                    _ => (
                        "forge-auth",
                        "a Connect setting: the app still authenticates as Connect".to_string(),
                    ),
                };
                Blocker {
                    rule,
                    path: i.path.clone(),
                    position: i.position,
                    message: format!("{} — {why}", i.message),
                }
            })
            .collect();
        RevenueShare {
            qualifies: blockers.is_empty(),
            blockers,
        }
    }

    /// True when a Connect module, a Connect scope or an app.connect field other than key remains.
    pub fn connect_remains(&self) -> bool {
        self.items.iter().any(|i| i.kind.is_connect())
    }

    /// Error-level problems.
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    fn count(&self, kind: Kind) -> usize {
        self.items.iter().filter(|i| i.kind == kind).count()
    }

    /// The summary line.
    pub fn summary_line(&self) -> String {
        let modules = self.count(Kind::ConnectModule);
        let scopes = self.count(Kind::ConnectScope);
        let fields = self.count(Kind::AppConnectField);
        let mut s = if self.connect_remains() {
            format!(
                "Not fully Forge: {modules} Connect module(s), {scopes} Connect scope(s), {fields} app.connect field(s) remain"
            )
        } else {
            "Fully Forge: no Connect module, scope or app.connect field remains".to_string()
        };
        if !self.scripts.is_empty() {
            s.push_str(&format!(
                "; {} module(s) can be migrated now",
                self.scripts.len()
            ));
        }
        let errors = self.errors();
        let warnings = self.problems.len() - errors;
        s.push_str(&format!("; {errors} error(s), {warnings} warning(s)."));
        s
    }

    /// The report for people: one line per finding, grouped, then the summary.
    pub fn text(&self) -> String {
        let loc = |p: Option<Position>| match p {
            Some(p) => format!("{}:{}:{}", self.manifest, p.line, p.column),
            None => self.manifest.clone(),
        };
        let mut s = format!("Status of {}\n", self.manifest);
        let mut kinds: Vec<Kind> = self.items.iter().map(|i| i.kind).collect();
        kinds.dedup();
        for kind in kinds {
            let of: Vec<&Item> = self.items.iter().filter(|i| i.kind == kind).collect();
            s.push_str(&format!("\n{} ({}):\n", kind.heading(), of.len()));
            for i in of {
                s.push_str(&format!("  {}: {}\n", loc(i.position), i.message));
            }
        }
        if !self.scripts.is_empty() {
            s.push_str(&format!(
                "\nModules to migrate now ({}):\n",
                self.scripts.len()
            ));
            for sc in &self.scripts {
                s.push_str(&format!(
                    "  {}: {} ({}) → {}: run `{}`\n",
                    loc(sc.position),
                    sc.key,
                    sc.location,
                    match (sc.forge_type, sc.kind, &sc.subpage_of) {
                        (_, _, Some(h)) => format!("a subpage of {h}"),
                        ("", "dialog", _) => "a Custom UI resource opened with new Modal".into(),
                        // A web item folded into a page, a section whose items took its place.
                        ("", _, _) => "no Forge module".into(),
                        (t, _, _) => t.to_string(),
                    },
                    sc.command
                ));
            }
        }
        if !self.problems.is_empty() {
            s.push_str(&format!(
                "\nProblems Atlassian's validator does not report ({}):\n",
                self.problems.len()
            ));
            for d in &self.problems {
                s.push_str(&format!("  {}\n", d.to_line()));
            }
        }
        let share = self.revenue_share();
        if share.qualifies {
            s.push_str("\nRevenue share: qualifies (only Forge modules, Forge authentication and Forge UI).\n");
        } else {
            s.push_str(&format!(
                "\nRevenue share: does not qualify yet ({} blocker(s): Forge's revenue share needs only Forge modules, Forge authentication and Forge UI):\n",
                share.blockers.len()
            ));
            for b in &share.blockers {
                s.push_str(&format!(
                    "  {}: [{}] {}\n",
                    loc(b.position),
                    b.rule,
                    b.message
                ));
            }
        }
        s.push_str(&format!("\n{}\n", self.summary_line()));
        s
    }

    /// The report as one JSON document.
    pub fn json(&self) -> Value {
        let errors = self.errors();
        json!({
            // The release that wrote it: docs/schema/ describes the shape per version.
            "version": env!("CARGO_PKG_VERSION"),
            "manifest": self.manifest,
            "fully_forge": !self.connect_remains(),
            "revenue_share": self.revenue_share(),
            "items": self.items,
            "modules_to_migrate": self.scripts,
            "problems": self.problems,
            "summary": {
                "connect_modules": self.count(Kind::ConnectModule),
                "connect_scopes": self.count(Kind::ConnectScope),
                "app_connect_fields": self.count(Kind::AppConnectField),
                "missing_connect_key": self.count(Kind::MissingConnectKey) > 0,
                "placeholder_app_id": self.count(Kind::PlaceholderAppId) > 0,
                "context_parameters": self.count(Kind::ContextParameter),
                "modules_to_migrate": self.scripts.len(),
                "errors": errors,
                "warnings": self.problems.len() - errors,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_finds_context_parameters_once() {
        assert_eq!(
            braces("/x?a={issue.key}&b={issue.key}&c={project.id}&d={}"),
            ["{issue.key}", "{project.id}"]
        );
        assert!(braces("/plain").is_empty());
    }

    #[test]
    fn shell_quote_quotes_only_when_needed() {
        assert_eq!(shell_quote("app/manifest.yml"), "app/manifest.yml");
        assert_eq!(shell_quote("my app/manifest.yml"), "'my app/manifest.yml'");
        assert_eq!(shell_quote("it's.yml"), "'it'\\''s.yml'");
    }
}
