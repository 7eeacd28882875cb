//! The review stage: the plan compared with the disk ([`plan`], [`diff`]), the user's manifest
//! edits kept across runs ([`keep_edits`]), and [`Review`], the one value every way of showing a
//! migration reads — the text and JSON emitters of [`emit`], `--check`, and the write. Plain
//! strings: colour is added by the text emitter on request, and nothing here prints.

pub mod apply;
pub mod ci;
pub mod diff;
pub mod emit;
pub mod github;
pub mod junit;
pub mod keep_edits;
pub mod plan;
pub mod portable;
pub mod report;
pub mod sarif;
pub mod todo;

use serde_json::{json, Value};

use crate::descriptor::product::Product;
use crate::descriptor::Variable;
use crate::diagnostics::Diagnostics;
use crate::kinds::{self, ForgeModule};
use crate::mapping::ForgeApp;
use crate::port::ModulePort;
use crate::review::plan::{Plan, Status};

/// What the input was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// A Connect descriptor (`atlassian-connect.json`), migrated into a Forge app folder.
    Descriptor,
    /// A Forge `manifest.yml` whose Connect modules are migrated in place.
    Manifest,
}

/// What the review tells about the app, whichever input it came from.
#[derive(Debug, Clone)]
pub struct AppSummary {
    /// The product the app is for.
    pub product: Product,
    /// Whether `app.id` still has to be registered (`forge register`).
    pub app_id_is_placeholder: bool,
    /// The migrated modules, now native Forge modules.
    pub modules: Vec<ForgeModule>,
    /// What stays Connect: each `connectModules` type with its modules' keys.
    pub connect_modules: Vec<(String, Vec<Value>)>,
    /// The app's scopes.
    pub scopes: Vec<String>,
    /// Forge variables that replaced template placeholders.
    pub variables: Vec<Variable>,
}

impl AppSummary {
    /// The summary of an app migrated from a descriptor.
    pub fn of_app(app: &ForgeApp) -> Self {
        Self {
            product: app.product,
            app_id_is_placeholder: app.app_id_is_placeholder,
            modules: app.modules.clone(),
            connect_modules: app
                .connect_modules
                .iter()
                .map(|(t, e)| {
                    let keys = e
                        .iter()
                        .map(|e| e.get("key").cloned().unwrap_or(Value::Null));
                    (t.clone(), keys.collect())
                })
                .collect(),
            scopes: app.scopes.clone(),
            variables: app.variables.clone(),
        }
    }
}

/// Everything a review shows: what was read, what it becomes, the plan, every diagnostic.
#[derive(Debug, Clone)]
pub struct Review {
    /// The input's name.
    pub input: String,
    /// Descriptor or manifest.
    pub kind: InputKind,
    /// The migrated app.
    pub app: AppSummary,
    /// The plan compared with the disk.
    pub plan: Plan,
    /// Warnings from every stage.
    pub diagnostics: Diagnostics,
    /// What the port found and carried for each module with a page (same order as those
    /// modules).
    pub ports: Vec<ModulePort>,
    /// The Connect app's source tree the pages were looked for in (the port's places are
    /// relative to it), when one was.
    pub source_root: Option<std::path::PathBuf>,
}

impl Review {
    /// The module mapping and what the user must do, before the diffs.
    pub fn header(&self) -> String {
        let app = &self.app;
        let mut s = format!(
            "Migrating {} ({}) into {}\n",
            self.input,
            app.product,
            self.plan.out_dir.display()
        );
        if app.modules.is_empty() {
            s.push_str(
                "\nNo module of a type Forge can hold was found (docs/mapping.md lists them): every module stays a Connect module under connectModules.\n",
            );
        }
        for kind in kinds::REGISTRY {
            let of_kind: Vec<&ForgeModule> =
                app.modules.iter().filter(|m| m.kind == kind.id()).collect();
            if of_kind.is_empty() {
                continue;
            }
            s.push_str(&format!(
                "\n{} → Forge modules:\n",
                capitalized(kind.plural())
            ));
            for m in of_kind {
                let resource = match &m.resource {
                    Some(r) => format!(" with resource {} ({})", r.key, r.path),
                    None => String::new(),
                };
                let subpage = m
                    .subpage_of()
                    .map(|host| format!("subpage \"{}\" of {host}", m.route().unwrap_or_default()));
                let target = match (m.forge_type, &m.resource, &subpage) {
                    (_, _, Some(s)) => s.as_str(),
                    ("", Some(_), None) => "a Custom UI resource",
                    ("", None, None) => "no Forge module",
                    (t, _, _) => t,
                };
                s.push_str(&format!(
                    "  {} ({}) → {target}{resource}\n",
                    m.key,
                    m.label()
                ));
                for p in &m.extra_pages {
                    if let Some(r) = &p.resource {
                        s.push_str(&format!(
                            "      {} page ({}) → its {} with resource {} ({})\n",
                            p.entry, p.key, p.property, r.key, r.path
                        ));
                    }
                }
            }
        }
        if !self.ports.is_empty() {
            s.push_str("\nPages → Custom UI resources:\n");
            for p in &self.ports {
                let mut line = self.port_line(p);
                if self.retained(&p.key) {
                    line = line.replace(
                        "skeleton scaffold",
                        "the code an earlier run carried stays (see its warning)",
                    );
                }
                s.push_str(&format!("  {}: {}\n", p.key, line));
                for c in &p.candidates {
                    s.push_str(&format!("      candidate: {}\n", self.path(c)));
                }
                for d in &p.dropped {
                    let at = d.position.map(|p| format!(":{}:{}", p.line, p.column));
                    s.push_str(&format!(
                        "      dropped: {}{}: {}\n",
                        self.path(&d.file),
                        at.unwrap_or_default(),
                        d.message
                    ));
                }
            }
            for p in self.ports.iter().filter(|p| p.carried.is_some()) {
                s.push_str(&self.port_report(p));
            }
        }
        if !app.connect_modules.is_empty() {
            let kept: Vec<String> = app
                .connect_modules
                .iter()
                .map(|(t, keys)| format!("{t} ({})", keys.len()))
                .collect();
            s.push_str(&format!(
                "\nStill Connect (connectModules): {}\n",
                kept.join(", ")
            ));
        }
        if !app.scopes.is_empty() {
            s.push_str(&format!("Scopes: {}\n", app.scopes.join(", ")));
        }
        s
    }

    /// The steps left before `forge deploy`.
    pub fn next_steps(&self) -> String {
        let app = &self.app;
        let mut steps = Vec::new();
        if app.app_id_is_placeholder {
            steps.push(format!(
                "run `forge register` in {} to replace the placeholder app.id",
                self.plan.out_dir.display()
            ));
        }
        if !app.variables.is_empty() {
            let vars: Vec<String> = app
                .variables
                .iter()
                .map(|v| match &v.default {
                    Some(d) => format!("{} (was {}; optional, default {d})", v.name, v.placeholder),
                    None => format!("{} (was {})", v.name, v.placeholder),
                })
                .collect();
            steps.push(format!(
                "set these variables in the environment of `forge deploy` (each was a template placeholder): {}",
                vars.join(", ")
            ));
        }
        // One build per resource: a page folded into another module is built with that module's.
        let own = app.modules.iter().filter(|m| m.subpage_of().is_none());
        for page in own.flat_map(ForgeModule::pages) {
            let r = page.resource;
            steps.push(format!(
                "build {}: `cd {} && npm install && npm run build` (Forge deploys {})",
                page.key, r.scaffold_dir, r.path
            ));
        }
        let skeletons: Vec<&str> = app
            .modules
            .iter()
            .flat_map(ForgeModule::pages)
            .filter(|page| {
                let port = self.ports.iter().find(|p| p.key == page.key);
                port.is_none_or(|p| p.carried.is_none()) && !self.retained(page.key)
            })
            .map(|page| page.key)
            .collect();
        if !skeletons.is_empty() {
            steps.push(format!("no page was carried for {}: port its old page's AP.* calls into its src/main.js (the comments there show the @forge/bridge equivalents), or run again with --source DIR or --page KEY=FILE naming the page", skeletons.join(", ")));
        }
        if self.ports.iter().any(|p| p.carried.is_some()) {
            steps.push("test each carried page on Forge (`forge tunnel`): the console names every AP.* call that differs or has no Forge equivalent".into());
        }
        if steps.is_empty() {
            return String::new();
        }
        let mut s = String::from("\nBefore `forge deploy`:\n");
        for (i, step) in steps.iter().enumerate() {
            s.push_str(&format!("  {}. {step}\n", i + 1));
        }
        s
    }

    /// Whether the module `key` keeps the code an earlier run carried, its page not carried by
    /// this run ([`crate::record::retain`]): the record keeps carried files this port has not.
    /// A place the port reported (relative to the source tree) as a user opens it from where they
    /// ran the tool: `file:line:column`.
    pub fn place(&self, file: &str, line: u32, column: u32) -> String {
        format!("{}:{line}:{column}", self.path(file))
    }

    /// A path the port reported (relative to the source tree) as a user opens it from where they
    /// ran the tool.
    pub fn path(&self, file: &str) -> String {
        match &self.source_root {
            Some(root) if !(root.as_os_str().is_empty() || root == std::path::Path::new(".")) => {
                root.join(file).display().to_string()
            }
            _ => file.to_string(),
        }
    }

    /// Whether an earlier run's carried page is kept for module `key` (its page is not found now).
    pub fn retained(&self, key: &str) -> bool {
        let carried_now = self
            .ports
            .iter()
            .any(|p| p.key == key && p.carried.is_some());
        !carried_now
            && self
                .plan
                .generation
                .modules
                .iter()
                .any(|e| e.key() == key && !e.carried.is_empty())
    }

    /// Where a planned file was copied from verbatim (`public/js/sla.js`, with its line count):
    /// the review shows such a new file as one line, not as a diff of every line.
    pub fn copied_from(&self, path: &str) -> Option<(&str, usize)> {
        self.app
            .modules
            .iter()
            .flat_map(ForgeModule::pages)
            .filter_map(|page| Some((page.dir(), self.ports.iter().find(|p| p.key == page.key)?)))
            .find_map(|(dir, p)| {
                let rel = path.strip_prefix(dir.as_str())?.strip_prefix('/')?;
                let c = p.carried.as_ref()?;
                let f = c
                    .scripts
                    .iter()
                    .chain(&c.stylesheets)
                    .find(|f| f.path == rel)?;
                Some((f.origin.as_deref()?, f.lines))
            })
    }

    /// One line per file left as it is (kept, or in conflict, each with why), per file no
    /// longer generated, per orphaned folder, and for a record to rebuild.
    pub fn kept(&self) -> String {
        let plan = &self.plan;
        let mut lines: Vec<String> = plan
            .changes
            .iter()
            .filter_map(|c| {
                let why = c.note.as_deref().unwrap_or("");
                match c.status {
                    Status::Kept => Some(format!("kept {} ({why})\n", c.file.path)),
                    Status::Conflict => Some(format!("conflict {}: {why}\n", c.file.path)),
                    _ => None,
                }
            })
            .collect();
        lines.extend(plan.retired.iter().map(|p| {
            format!("no longer generated {p} (an earlier run made it; nothing this run writes refers to it: kept, never deleted; delete it if it is unused)\n")
        }));
        lines.extend(self.orphans());
        if let (Some(r), Some(why)) = (plan.record_change(), &plan.record_pending) {
            let fresh = r.status == Status::Create
                && plan.changes.iter().all(|c| c.status == Status::Create);
            if !fresh {
                lines.push(format!(
                    "record {} is {why}: written with this run, so that later runs can tell your edits from the migration's\n",
                    r.file.path
                ));
            }
        }
        lines.concat()
    }

    /// One line per [`Plan::orphaned`] folder: kept, and how to carry it over when its
    /// background script was renamed (before writing, so the new folder is not created beside it).
    fn orphans(&self) -> Vec<String> {
        let created: Vec<&str> = self
            .app
            .modules
            .iter()
            .flat_map(ForgeModule::pages)
            .map(|p| p.resource.scaffold_dir.as_str())
            .filter(|dir| {
                let inside = format!("{dir}/");
                self.plan
                    .changes
                    .iter()
                    .filter(|c| c.file.path.starts_with(&inside))
                    .all(|c| c.status == Status::Create)
            })
            .collect();
        self.plan
            .orphaned
            .iter()
            .map(|old| {
                let hint = match created.as_slice() {
                    [new] => format!(
                        "; if its background script was renamed, move it before writing: `mv {old} {new}`, then run again"
                    ),
                    _ => String::new(),
                };
                format!(
                    "orphaned {old}/ (no background script uses it any more: kept, never deleted){hint}\n"
                )
            })
            .collect()
    }

    /// `N created, M changed, K unchanged`.
    pub fn summary_line(&self) -> String {
        let s = self.plan.summary();
        let mut line = format!(
            "{} created, {} changed, {} unchanged",
            s.created, s.changed, s.unchanged
        );
        if s.kept > 0 {
            line.push_str(&format!(", {} kept", s.kept));
        }
        if s.conflict > 0 {
            line.push_str(&format!(", {} in conflict", s.conflict));
        }
        line
    }

    /// The review as one JSON document.
    pub fn json(&self) -> Value {
        let app = &self.app;
        let todo = todo::todo(self);
        let todo_of = |key: &str| {
            todo.modules
                .iter()
                .filter(|(k, _)| k == key)
                .flat_map(|(_, items)| items.iter().cloned())
                .collect::<Vec<_>>()
        };
        json!({
            // The release that wrote it: docs/schema/ describes the shape per version.
            "version": env!("CARGO_PKG_VERSION"),
            "input": self.input,
            "out": self.plan.out_dir,
            "product": app.product,
            "app_id_placeholder": app.app_id_is_placeholder,
            "modules": app.modules.iter().map(|m| {
                let mut o = json!({
                    "kind": m.kind,
                    "connect_type": m.connect_type,
                    "port": self.ports.iter().find(|p| p.key == m.key),
                    "connect_key": m.key,
                    "forge_type": (!m.forge_type.is_empty()).then_some(m.forge_type),
                    "forge_key": m.key,
                    "resource_key": m.resource.as_ref().map(|r| &r.key),
                    "resource_path": m.resource.as_ref().map(|r| &r.path),
                });
                if let Some(o) = o.as_object_mut() {
                    o.extend(m.details.clone());
                    let mut items = todo_of(&m.key);
                    for p in &m.extra_pages {
                        items.extend(todo_of(&p.key));
                    }
                    o.insert("todo".into(), json!(items));
                    if !m.extra_pages.is_empty() {
                        let pages: Vec<Value> = m.extra_pages.iter().map(|p| json!({
                            "key": p.key,
                            "entry": p.entry,
                            "property": p.property,
                            "connect_url": p.page_url,
                            "resource_key": p.resource.as_ref().map(|r| &r.key),
                            "resource_path": p.resource.as_ref().map(|r| &r.path),
                            "port": self.ports.iter().find(|x| x.key == p.key),
                        })).collect();
                        o.insert("extra_pages".into(), Value::Array(pages));
                    }
                }
                o
            }).collect::<Vec<_>>(),
            "connect_modules": app.connect_modules.iter().map(|(t, keys)| json!({
                "type": t,
                "keys": keys,
            })).collect::<Vec<_>>(),
            "scopes": app.scopes,
            "variables": app.variables,
            "files": self.plan.changes.iter().map(|c| json!({
                "path": c.file.path,
                "status": c.status,
                "ownership": c.file.ownership,
                "diff": c.diff.text,
                "note": c.note,
            })).collect::<Vec<_>>(),
            "orphaned": self.plan.orphaned,
            "retired": self.plan.retired,
            "summary": self.plan.summary(),
            "warnings": self.diagnostics,
            "todo": {
                "before": todo.before,
                "modules": todo.modules.iter().map(|(k, items)| json!({"key": k, "items": items})).collect::<Vec<_>>(),
                "after": todo.after,
                "calls": {"supported": todo.calls[0], "differs": todo.calls[1], "unsupported": todo.calls[2]},
            },
        })
    }
}

/// `text` with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Review {
    /// How a module's page was found and carried, in one line (paths from where the tool ran).
    fn port_line(&self, p: &ModulePort) -> String {
        let route = p
            .route
            .as_deref()
            .map(|r| format!(", {}", self.path(r)))
            .unwrap_or_default();
        match (&p.page, p.found_by.as_str()) {
        (Some(page), by) => format!(
            "{} (found by {by}{route}): {} script(s) carried onto @forge/bridge through the Connect compatibility layer{}",
            self.path(page),
            p.scripts.len(),
            match p.assets.len() {
                0 => String::new(),
                n => format!(", with {n} image(s), font(s) and media file(s)"),
            }
        ),
        (None, "no-source") => "page not looked for (the input came from stdin: pass --source DIR); skeleton scaffold".into(),
        (None, "ambiguous") => format!("several pages match; skeleton scaffold (pass --page {}=FILE)", p.key),
        (None, _) => format!("no page found in the source tree; skeleton scaffold (pass --page {}=FILE)", p.key),
    }
    }

    /// The report of one carried page: every AP call with its place and support, the scopes its
    /// REST calls need, its backend calls, and Connect modules its events no longer reach.
    fn port_report(&self, p: &ModulePort) -> String {
        let a = &p.analysis;
        let mut s = format!("\nAP calls of {} ({} in all):\n", p.key, a.calls.len());
        for c in &a.calls {
            let note = if c.note.is_empty() {
                String::new()
            } else {
                format!(": {}", c.note)
            };
            s.push_str(&format!(
                "  {}  AP.{}  {}{note}\n",
                self.place(&c.file, c.line, c.column),
                c.api,
                c.support.as_str()
            ));
        }
        for n in &a.scopes {
            let approval = match n.covered_by_connect {
                true => {
                    "already granted by the app's Connect or listed scopes: no new admin approval"
                }
                false => "not granted by the app's current scopes: admins must approve the update",
            };
            s.push_str(&format!(
                "  scope {} needed: in manifest.yml's permissions.scopes ({approval})\n",
                n.scope
            ));
        }
        for e in &a.endpoints {
            let call = [e.method.as_deref(), e.path.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            s.push_str(&format!(
                "  backend call {} {} ({}): unsupported: {}\n",
                if call.is_empty() {
                    "(unknown path)"
                } else {
                    &call
                },
                self.place(&e.place.file, e.place.line, e.place.column),
                e.via,
                e.note
            ));
        }
        for e in &a.external {
            s.push_str(&format!(
                "  third-party request {} {} {} ({}): {}\n",
                e.method.as_deref().unwrap_or("GET"),
                e.url,
                self.place(&e.place.file, e.place.line, e.place.column),
                e.via,
                e.note
            ));
        }
        for l in &p.connect_listeners {
            s.push_str(&format!(
                "  event {} no longer reaches the Connect module {} ({})\n",
                l.event,
                l.module,
                self.place(&l.place.file, l.place.line, l.place.column)
            ));
        }
        s
    }
}
