//! What a re-run keeps of an earlier run's modules, from the record (or the disk).
//!
//! - [`retain`]: a module whose page this run did not carry (moved, deleted, or the input came
//!   from stdin) while code an earlier run carried for it is still in its scaffold folder (issue
//!   19, item 10). That code still runs, so its scaffold stays as the earlier run generated it
//!   (never replaced by the skeleton), and the scopes and external hosts it needs stay in the
//!   manifest, read from the record, or, without one, from the carried scripts on disk. They go
//!   once that code is gone.
//! - [`recall`]: the modules an earlier run migrated out of an adopted manifest's
//!   `connectModules` (issue 18, §4). Their Connect entries are gone from the manifest, so only
//!   the record knows their pages: later runs check them again through it.
//! - [`entries`]: what the new record keeps of every module with a scaffold folder.

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Severity};
use crate::error::Result;
use crate::kinds::webhook::remote::ROUTE_DETAIL;
use crate::kinds::{self, ForgeModule, Resource};
use crate::mapping::Permissions;
use crate::output::{Ownership, PlannedFile};
use crate::port::analysis::BackendCall;
use crate::port::ModulePort;
use crate::record::{ModuleEntry, Recorded, RECORD_PATH};

/// Scripts read from disk larger than this are not analysed (a carried script is at most a few
/// MiB: the port's own cap).
const MAX_SCRIPT_BYTES: u64 = 8 * 1024 * 1024;

/// A module whose earlier carried code stays.
#[derive(Debug, Clone)]
pub struct Retained {
    /// The module's key.
    pub key: String,
    /// The scopes and external hosts that code needs.
    pub needs: Permissions,
    /// Its scaffold files as the earlier run generated them (they replace this run's skeleton);
    /// empty when not recorded.
    pub files: Vec<PlannedFile>,
    /// What the new record keeps of the module.
    pub entry: ModuleEntry,
    /// The review's account of it.
    pub note: Diagnostic,
}

/// Why a port carried nothing, in words.
fn no_page(port: Option<&ModulePort>) -> &'static str {
    match port.map(|p| p.found_by.as_str()) {
        Some("no-source") => {
            "its page was not looked for (the input came from stdin: pass --source DIR)"
        }
        Some("ambiguous") => "several pages match its URL",
        _ => "its page was not found in the source tree",
    }
}

/// The modules of `modules` whose page this run did not carry, while an earlier run's carried
/// code is still in their scaffold folder. `ports` are this run's.
pub fn retain(
    recorded: &Recorded,
    out: &Path,
    modules: &[ForgeModule],
    ports: &[ModulePort],
) -> Result<Vec<Retained>> {
    let mut kept = Vec::new();
    for m in modules {
        let Some(dir) = m.scaffold_dir() else {
            continue;
        };
        let port = ports.iter().find(|p| p.key == m.key);
        if port.is_some_and(|p| p.carried.is_some()) || m.page_url.is_none() || m.is_link() {
            continue;
        }
        let why = no_page(port);
        let on_disk = |f: &str| out.join(dir).join(f).is_file();
        let recorded_entry = recorded
            .module(&m.key)
            .filter(|e| e.scaffold_dir() == Some(dir) && !e.carried.is_empty());
        if let Some(e) = recorded_entry {
            if !e.carried.iter().any(|f| on_disk(f)) {
                continue;
            }
            let files = recorded_files(recorded, dir)?;
            let needs = Permissions {
                scopes: e.scopes.clone(),
                external_scripts: addresses(&e.external_scripts),
                external_styles: addresses(&e.external_styles),
                external_fetch: addresses(&e.external_fetch),
                external_images: addresses(&e.external_images),
                external_fonts: addresses(&e.external_fonts),
                external_media: addresses(&e.external_media),
            };
            let page = e.page.as_deref().unwrap_or("its page");
            let stays = match files.is_empty() {
                true => String::new(),
                false => format!(
                    "its {} file(s) stay as that run generated them, and ",
                    files.len()
                ),
            };
            let message = format!(
                "{why}, but the code an earlier run carried from {page} is still in {dir}/: {stays}{} (read from the record, {RECORD_PATH}); they go once that code is gone (delete {dir}/page/) or the page is found again",
                needed(&needs)
            );
            kept.push(Retained {
                key: m.key.clone(),
                needs,
                files,
                entry: ModuleEntry {
                    module: module_value(m),
                    ..e.clone()
                },
                note: note(out, dir, &m.key, message),
            });
            continue;
        }
        if recorded.module(&m.key).is_some() {
            // Recorded without carried code: nothing of an earlier page to keep.
            continue;
        }
        let (carried, scopes) = scripts_on_disk(out, dir);
        if carried.is_empty() {
            continue;
        }
        let needs = Permissions {
            scopes,
            ..Permissions::default()
        };
        let message = format!(
            "{why}, but {} carried script(s) are still in {dir}/page/: {} (read from the scripts on disk: there is no record of the run that carried them); they go once that code is gone",
            carried.len(),
            needed(&needs)
        );
        kept.push(Retained {
            key: m.key.clone(),
            entry: ModuleEntry {
                module: module_value(m),
                page: None,
                carried,
                scopes: needs.scopes.clone(),
                external_scripts: Vec::new(),
                external_styles: Vec::new(),
                external_fetch: Vec::new(),
                external_images: Vec::new(),
                external_fonts: Vec::new(),
                external_media: Vec::new(),
                backend_calls: Vec::new(),
            },
            needs,
            files: Vec::new(),
            note: note(out, dir, &m.key, message),
        });
    }
    Ok(kept)
}

/// "the scopes it needs stay in manifest.yml (a, b)", or that it needs none.
fn needed(p: &Permissions) -> String {
    let mut parts = Vec::new();
    if !p.scopes.is_empty() {
        parts.push(format!("the scopes it needs ({})", p.scopes.join(", ")));
    }
    let hosts: Vec<&str> = p
        .external_scripts
        .iter()
        .chain(&p.external_styles)
        .chain(&p.external_fetch)
        .chain(&p.external_images)
        .chain(&p.external_fonts)
        .chain(&p.external_media)
        .map(String::as_str)
        .collect();
    if !hosts.is_empty() {
        parts.push(format!(
            "the external hosts it loads ({})",
            hosts.join(", ")
        ));
    }
    match parts.is_empty() {
        true => "it needs no scope".into(),
        false => format!("{} stay in manifest.yml", parts.join(" and ")),
    }
}

fn note(out: &Path, dir: &str, key: &str, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        file: out.join(dir).display().to_string(),
        position: None,
        path: None,
        module: Some(key.to_string()),
        message,
    }
}

fn addresses(urls: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for u in urls {
        Permissions::add(&mut out, &Permissions::address(u));
    }
    out
}

/// The scaffold files under `dir` as the latest record generated them, or none when one of their
/// blobs is gone.
fn recorded_files(recorded: &Recorded, dir: &str) -> Result<Vec<PlannedFile>> {
    let Some(record) = recorded.latest() else {
        return Ok(Vec::new());
    };
    let inside = format!("{dir}/");
    let mut files = Vec::new();
    for (path, e) in record.files.iter().filter(|(p, _)| p.starts_with(&inside)) {
        match recorded.blob(&e.generated)? {
            Some(content) => files.push(PlannedFile {
                path: path.clone(),
                content,
                bytes: None,
                ownership: Ownership::Scaffold,
            }),
            None => return Ok(Vec::new()),
        }
    }
    Ok(files)
}

/// The carried scripts under `DIR/page/` (relative to `DIR`) and the scopes their REST calls
/// need, read from disk.
fn scripts_on_disk(out: &Path, dir: &str) -> (Vec<String>, Vec<String>) {
    let root = out.join(dir);
    let mut found = Vec::new();
    let mut stack = vec![root.join("page")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(|e| e.ok()) {
            let Ok(t) = e.file_type() else { continue };
            let path = e.path();
            if t.is_dir() {
                stack.push(path);
            } else if t.is_file() && path.extension().is_some_and(|x| x == "js") {
                if let Ok(rel) = path.strip_prefix(&root) {
                    found.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    // Classic scripts share one scope and run in document order: analysed in the order
    // index.html loads them (those it does not load last).
    let index = crate::write::read_regular(&root.join("index.html"))
        .ok()
        .flatten()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    found.sort_by_key(|rel| {
        (
            index.find(&format!("\"./{rel}\"")).unwrap_or(usize::MAX),
            rel.clone(),
        )
    });
    let texts: Vec<(String, String)> = found
        .iter()
        .filter_map(|rel| {
            let path = root.join(rel);
            if !std::fs::metadata(&path).is_ok_and(|m| m.len() <= MAX_SCRIPT_BYTES) {
                return None;
            }
            let bytes = crate::write::read_regular(&path).ok().flatten()?;
            Some((format!("{dir}/{rel}"), String::from_utf8(bytes).ok()?))
        })
        .collect();
    let inputs: Vec<crate::port::analysis::ScriptInput<'_>> = texts
        .iter()
        .map(|(f, t)| crate::port::analysis::ScriptInput::file(f, t))
        .collect();
    let analysis = crate::port::analysis::analyze(&inputs, &[]);
    let scopes = analysis.scopes.iter().map(|s| s.scope.clone()).collect();
    (found, scopes)
}

/// Replaces the scaffold files of each retained module that has recorded files by them.
pub fn use_retained_files(
    files: &mut Vec<PlannedFile>,
    retained: &[Retained],
    modules: &[ForgeModule],
) {
    for r in retained.iter().filter(|r| !r.files.is_empty()) {
        let Some(dir) = modules
            .iter()
            .find(|m| m.key == r.key)
            .and_then(ForgeModule::scaffold_dir)
        else {
            continue;
        };
        let inside = format!("{dir}/");
        files.retain(|f| !f.path.starts_with(&inside));
        files.extend(r.files.iter().cloned());
    }
}

/// Adds to `added` what the retained modules need: the scopes `have` lacks, and the external
/// hosts.
pub fn add_needs(added: &mut Permissions, have: &[String], retained: &[Retained]) {
    for r in retained {
        for s in r.needs.scopes.iter().filter(|s| !have.contains(s)) {
            Permissions::add(&mut added.scopes, s);
        }
        for s in &r.needs.external_scripts {
            Permissions::add(&mut added.external_scripts, s);
        }
        for s in &r.needs.external_styles {
            Permissions::add(&mut added.external_styles, s);
        }
        for s in &r.needs.external_fetch {
            Permissions::add(&mut added.external_fetch, s);
        }
        for s in &r.needs.external_images {
            Permissions::add(&mut added.external_images, s);
        }
        for s in &r.needs.external_fonts {
            Permissions::add(&mut added.external_fonts, s);
        }
        for s in &r.needs.external_media {
            Permissions::add(&mut added.external_media, s);
        }
    }
}

/// What the record keeps of an adopted manifest's modules that call the backend without a page
/// (triggers, `preUninstall`, endpoints): the module alone, so a later run finds their routes
/// again for the backend's to-do list once their Connect entries are gone.
pub fn backend_entries(modules: &[ForgeModule]) -> Vec<ModuleEntry> {
    modules
        .iter()
        .filter(|m| m.scaffold_dir().is_none() && m.details.contains_key(ROUTE_DETAIL))
        .map(|m| ModuleEntry {
            module: module_value(m),
            page: None,
            carried: Vec::new(),
            scopes: Vec::new(),
            external_scripts: Vec::new(),
            external_styles: Vec::new(),
            external_fetch: Vec::new(),
            external_images: Vec::new(),
            external_fonts: Vec::new(),
            external_media: Vec::new(),
            backend_calls: Vec::new(),
        })
        .collect()
}

/// A module as the record keeps it.
fn module_value(m: &ForgeModule) -> Value {
    serde_json::to_value(m).unwrap_or(Value::Null)
}

/// What the new record keeps of every module with a scaffold folder: its carried page from this
/// run's port, or the retained entry of an earlier run's.
pub fn entries(
    modules: &[ForgeModule],
    ports: &[ModulePort],
    retained: &[Retained],
) -> Vec<ModuleEntry> {
    modules
        .iter()
        .filter(|m| m.scaffold_dir().is_some())
        .map(|m| {
            if let Some(r) = retained.iter().find(|r| r.key == m.key) {
                return r.entry.clone();
            }
            let port = ports.iter().find(|p| p.key == m.key);
            let carried = port.and_then(|p| p.carried.as_ref());
            ModuleEntry {
                module: module_value(m),
                page: carried.and(port.and_then(|p| p.page.clone())),
                carried: carried
                    .map(|c| {
                        c.scripts
                            .iter()
                            .chain(&c.stylesheets)
                            .map(|f| f.path.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
                scopes: port
                    .map(|p| p.analysis.scopes.iter().map(|s| s.scope.clone()).collect())
                    .unwrap_or_default(),
                external_scripts: carried
                    .map(|c| c.external_scripts.clone())
                    .unwrap_or_default(),
                external_styles: carried
                    .map(|c| c.external_styles.clone())
                    .unwrap_or_default(),
                external_fetch: port.map(|p| p.analysis.fetch_hosts()).unwrap_or_default(),
                external_images: carried
                    .map(|c| c.external_images.clone())
                    .unwrap_or_default(),
                external_fonts: carried
                    .map(|c| c.external_fonts.clone())
                    .unwrap_or_default(),
                external_media: carried
                    .map(|c| c.external_media.clone())
                    .unwrap_or_default(),
                backend_calls: port
                    .map(|p| {
                        p.analysis
                            .endpoints
                            .iter()
                            .map(|e| BackendCall::new(&p.key, e))
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// A module the record keeps, rebuilt; `None` when its kind or Forge type is not one this
/// version knows, or it has no resource and calls no backend route.
pub fn forge_module(v: &Value) -> Option<ForgeModule> {
    let kind = kinds::by_id(v.get("kind")?.as_str()?)?;
    let forge_type = v.get("forge_type")?.as_str()?;
    // A page folded into another module has no Forge type of its own.
    let folded = forge_type.is_empty()
        && v.pointer(&format!("/details/{}", kinds::subpages::SUBPAGE_OF))
            .is_some();
    let forge_type = match folded {
        true => "",
        false => kind
            .forge_types()
            .iter()
            .copied()
            .find(|t| *t == forge_type)?,
    };
    let key = v.get("key")?.as_str()?.to_string();
    let resource = v
        .pointer("/resource/key")
        .and_then(Value::as_str)
        .map(|k| Resource::new(k.to_string()));
    // Only a module that calls the backend goes without a page.
    let routed = v.pointer(&format!("/details/{ROUTE_DETAIL}")).is_some();
    if resource.is_none() && !routed {
        return None;
    }
    let map = |name: &str| {
        v.get(name)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let connect_type = v
        .get("connect_type")
        .and_then(Value::as_str)
        .and_then(kinds::connect_type_name)
        .or_else(|| kind.connect_types().first().copied())
        // A kind without a Connect module type (the lifecycle) names its modules by its id.
        .or_else(|| (v.get("connect_type")?.as_str()? == kind.id()).then(|| kind.id()))?;
    // Extra pages keep only the surfaces this version knows.
    let known = |s: &str| ["config", "edit"].into_iter().find(|k| *k == s);
    let extra_pages = v
        .get("extra_pages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some(kinds::ExtraPage {
                key: p.get("key")?.as_str()?.to_string(),
                entry: known(p.get("entry")?.as_str()?)?,
                property: known(p.get("property")?.as_str()?)?,
                page_url: p.get("page_url")?.as_str()?.to_string(),
                resource: p
                    .pointer("/resource/key")
                    .and_then(Value::as_str)
                    .map(|k| Resource::new(k.to_string())),
            })
        })
        .collect();
    Some(ForgeModule {
        kind: kind.id(),
        connect_type,
        extra_pages,
        forge_type,
        key,
        entry: map("entry"),
        page_url: v
            .get("page_url")
            .and_then(Value::as_str)
            .map(str::to_string),
        resource,
        details: map("details"),
        path: v
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    })
}

/// The modules an earlier run migrated out of this adopted manifest that it still declares (the
/// same key and Forge type, with the same resource in `resources`, or none for a module without
/// a page), other than those in `adopting` (migrated by this run). Their scaffolds are checked
/// again against their pages, and the backend's to-do list lists their routes again.
pub fn recall(recorded: &Recorded, manifest: &Value, adopting: &[ForgeModule]) -> Vec<ForgeModule> {
    let Some(record) = recorded.latest() else {
        return Vec::new();
    };
    let declared = |m: &ForgeModule| {
        // A folded page: its module still lists it among its pages, at its route.
        if let Some(host) = m.subpage_of() {
            let route = m.route();
            return manifest
                .get("modules")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|o| o.values())
                .filter_map(Value::as_array)
                .flatten()
                .filter(|e| e.get("key").and_then(Value::as_str) == Some(host))
                .filter_map(|e| e.get("pages").and_then(Value::as_array))
                .flatten()
                .any(|p| p.get("route").and_then(Value::as_str) == route);
        }
        let resource = m.resource.as_ref().map(|r| r.key.as_str());
        let in_modules = manifest
            .get("modules")
            .and_then(|o| o.get(m.forge_type))
            .and_then(Value::as_array)
            .is_some_and(|a| {
                a.iter().any(|e| {
                    e.get("key").and_then(Value::as_str) == Some(m.key.as_str())
                        && e.get("resource").and_then(Value::as_str) == resource
                })
            });
        // A module without a page (a trigger, an endpoint) has no resource to find.
        let in_resources = resource.is_none()
            || manifest
                .get("resources")
                .and_then(Value::as_array)
                .is_some_and(|a| {
                    a.iter()
                        .any(|r| r.get("key").and_then(Value::as_str) == resource)
                });
        in_modules && in_resources
    };
    record
        .modules
        .iter()
        .filter_map(|e| forge_module(&e.module))
        .filter(|m| !adopting.iter().any(|a| a.key == m.key))
        .filter(|m| declared(m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_survives_the_record() {
        let mut m = ForgeModule {
            kind: "background-script",
            connect_type: "jiraBackgroundScripts",
            forge_type: "jira:dashboardBackgroundScript",
            key: "dash".into(),
            entry: Default::default(),
            page_url: Some("/dash".into()),
            resource: Some(Resource::new("dash".into())),
            extra_pages: Vec::new(),
            details: Default::default(),
            path: "$.modules.jiraBackgroundScripts[0]".into(),
        };
        m.details.insert("location".into(), "dashboard".into());
        assert_eq!(forge_module(&module_value(&m)), Some(m.clone()));
        // A Forge type another kind writes is not taken for this one.
        let mut v = module_value(&m);
        v["forge_type"] = "jira:issuePanel".into();
        assert_eq!(forge_module(&v), None);
    }
}
