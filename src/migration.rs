//! The whole migration as one library call, from paths to a written folder, without printing:
//! [`Migration::prepare`] reads the input (a file, or stdin's bytes), decides between a Connect
//! descriptor and a Forge manifest adopted in place, keeps the registered `app.id` and the user's
//! manifest edits, renders every file and compares it with the disk; the [`Prepared`] value holds
//! the review (app, plan, every diagnostic), and [`Prepared::apply`] writes it.
//!
//! ```
//! use connect2forge::migration::{Input, Migration, Options};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let descriptor = dir.path().join("atlassian-connect.json");
//! std::fs::write(&descriptor, r#"{
//!   // Comments and trailing commas are fine, as in atlassian-connect-express templates.
//!   "key": "com.example.app",
//!   "baseUrl": "{{localBaseUrl}}",
//!   "modules": {
//!     "jiraBackgroundScripts": [
//!       {"key": "watcher", "url": "/bg", "location": {"type": "issue_view"}},
//!     ],
//!   },
//! }"#).unwrap();
//! let out = dir.path().join("forge-app");
//! let prepared = Migration::prepare(&Options::new(Input::Path(descriptor)).out(&out)).unwrap();
//!
//! let review = prepared.review();
//! assert_eq!(review.app.modules[0].forge_type, "jira:issueViewBackgroundScript");
//! assert!(review.plan.has_changes());
//! let written = prepared.apply().unwrap();
//! assert!(written.iter().any(|p| p == "static/watcher/index.html"));
//! assert!(std::fs::read_to_string(out.join("manifest.yml")).unwrap().contains("watcher"));
//!
//! // A second run finds everything up to date.
//! let again = Migration::prepare(&Options::new(Input::Path(dir.path().join("atlassian-connect.json"))).out(&out)).unwrap();
//! assert!(!again.review().plan.has_changes());
//! ```

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::descriptor::product::Product;
use crate::descriptor::{self, ReadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::kinds::ForgeModule;
use crate::manifest::adopt;
use crate::mapping::{self, ForgeApp, Permissions};
use crate::output::PlannedFile;
use crate::port::analysis::BackendCall;
use crate::port::{self, tree, ModulePort};
use crate::record::{retain, ManifestOrigin, Recorded};
use crate::review::plan::{self, Generation, Plan};
use crate::review::{AppSummary, InputKind, Review};
use crate::scaffold::{ScaffoldApp, Templates};
use crate::source::SourceText;

/// Inputs larger than this are refused before they are read whole (the largest real descriptors
/// are tens of kilobytes).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Where the descriptor or manifest comes from.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file.
    Path(PathBuf),
    /// Bytes read from standard input by the caller (at most [`MAX_INPUT_BYTES`] + 1 of them).
    Stdin(Vec<u8>),
}

/// What to migrate, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The descriptor (or Forge manifest).
    pub input: Input,
    /// The Forge app folder; by default `forge-app`, or a manifest's own folder.
    pub out: Option<PathBuf>,
    /// Template placeholders to fill instead of turning them into Forge variables.
    pub vars: BTreeMap<String, String>,
    /// The product, when the modules do not tell.
    pub product: Option<Product>,
    /// A folder of template overrides.
    pub templates: Option<PathBuf>,
    /// The Connect app's source tree, where the background scripts' pages are looked for; by
    /// default the project the input belongs to ([`tree::default_source_root`]).
    pub source: Option<PathBuf>,
    /// Pages named outright (`--page KEY=FILE`): module key and file.
    pub pages: Vec<(String, PathBuf)>,
    /// Module types or keys left on Connect on purpose (`--keep-connect`).
    pub keep_connect: Vec<String>,
}

impl Options {
    /// Options with every default for `input`.
    pub fn new(input: Input) -> Self {
        Self {
            input,
            out: None,
            vars: BTreeMap::new(),
            product: None,
            templates: None,
            source: None,
            pages: Vec::new(),
            keep_connect: Vec::new(),
        }
    }

    /// The same options writing into `dir`.
    pub fn out(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out = Some(dir.into());
        self
    }
}

/// The migration pipeline's entry point.
pub struct Migration;

impl Migration {
    /// Runs the whole migration up to the write: everything the review shows, nothing written.
    /// Bad input is an [`Error::Input`] listing every problem at its place.
    pub fn prepare(options: &Options) -> Result<Prepared> {
        let src = read_input(&options.input)?;
        let input_path = match &options.input {
            Input::Path(p) => Some(p.as_path()),
            Input::Stdin(_) => None,
        };
        if adopt::is_forge_manifest(input_path.unwrap_or(Path::new("-")), &src.text) {
            let out = options.out.clone().unwrap_or_else(|| match input_path {
                Some(p) => match p.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                },
                None => PathBuf::from("forge-app"),
            });
            let kind = adopt::kind_note(input_path.unwrap_or(Path::new("-")), &src.text);
            return adopt_in_place(options, src, &out, Vec::new(), kind);
        }
        let out = options
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("forge-app"));
        let current = out_manifest(&out)?;
        let recorded = Recorded::read(&out)?;
        let adopted = recorded.manifest_origin() == Some(ManifestOrigin::Adopted);
        if adopted && current.is_some() {
            let manifest = out.join("manifest.yml");
            let note = format!(
                "{} was migrated in place by an earlier run ({}): adopting it in place again (the descriptor is not read again)",
                manifest.display(),
                crate::record::RECORD_PATH
            );
            let src = read_input(&Input::Path(manifest))?;
            return adopt_in_place(options, src, &out, vec![note], None);
        }
        // A manifest another tool left (Atlassian's converter keeps every module under
        // connectModules) is adopted in place; one this tool generated from the descriptor (its
        // record is there) is generated again, keeping the user's edits: its connectModules are
        // what an earlier version could not migrate yet.
        let generated_before = out.join(crate::record::LEGACY_BASE_PATH).is_file();
        if recorded.manifest_origin().is_none()
            && !generated_before
            && current
                .as_deref()
                .is_some_and(adopt::carries_migratable_modules)
        {
            let manifest = out.join("manifest.yml");
            let types = current
                .as_deref()
                .and_then(|t| serde_yaml::from_str::<Value>(t).ok())
                .map(|v| adopt::migrated_types(&v).join(", connectModules."))
                .unwrap_or_default();
            let note = format!(
                "{} carries connectModules.{types}: adopting it in place (the descriptor is not read again)",
                manifest.display(),
            );
            let src = read_input(&Input::Path(manifest))?;
            return adopt_in_place(options, src, &out, vec![note], None);
        }
        let templates = Templates::load(options.templates.as_deref())?;
        let read = ReadOptions {
            vars: options.vars.clone(),
            product: options.product,
            keep_connect: options.keep_connect.clone(),
        };
        let app_id = current.as_deref().and_then(existing_app_id);
        let (mut app, mut diagnostics) = read_and_map(&src, &read, app_id.as_deref())?;
        // Said when the name and the content disagree: which kind it was read as.
        let kind = adopt::kind_note(input_path.unwrap_or(Path::new("-")), &src.text);
        diagnostics.prepend(kind);
        let connect =
            ConnectSide::new(&app.scopes, app.connect_modules.iter().flat_map(|(_, e)| e));
        let ports = port_modules(
            options,
            input_path,
            &out,
            &app.modules,
            connect,
            &app.base_url,
        )?;
        // Code an earlier run carried stays, with what it needs, when its page is not found.
        let retained = retain::retain(&recorded, &out, &app.modules, &ports)?;
        // The carried pages' REST calls need OAuth scopes, and the hosts they still load from
        // need permissions.external: the manifest gets them.
        let mut added = added_permissions(&ports, &app.scopes);
        retain::add_needs(&mut added, &app.scopes, &retained);
        app.scopes.extend(added.scopes);
        app.external_scripts = added.external_scripts;
        app.external_styles = added.external_styles;
        app.external_fetch = added.external_fetch;
        app.external_images = added.external_images;
        app.external_fonts = added.external_fonts;
        app.external_media = added.external_media;
        for p in &ports {
            diagnostics.extend(p.warnings.iter().cloned());
        }
        diagnostics.extend(retained.iter().map(|r| r.note.clone()));
        diagnostics.extend(version_conflicts(&src.name, &app.modules, &carried(&ports)));
        let calls = page_calls(&ports, &retained);
        let mut files = templates.render_app(&app, &carried(&ports), &calls)?;
        retain::use_retained_files(&mut files, &retained, &app.modules);
        let generation = Generation {
            files,
            modules: retain::entries(&app.modules, &ports, &retained),
            manifest: ManifestOrigin::Generated,
        };
        let (plan, notes) = Plan::of(&out, generation)?;
        diagnostics.extend(notes);
        Ok(Prepared {
            notes: Vec::new(),
            review: Review {
                input: src.name,
                kind: InputKind::Descriptor,
                app: AppSummary::of_app(&app),
                plan,
                diagnostics,
                ports,
                source_root: source_root(options, input_path),
            },
        })
    }
}

/// Each carried page by its module's key, for the scaffold.
/// Every carried page's call to the app's own backend, with its module's key; for a page whose
/// code an earlier run carried and this one keeps, the calls that run recorded.
fn page_calls(ports: &[ModulePort], retained: &[retain::Retained]) -> Vec<BackendCall> {
    let fresh = ports.iter().flat_map(|p| {
        p.analysis
            .endpoints
            .iter()
            .map(|e| BackendCall::new(&p.key, e))
    });
    let kept = retained
        .iter()
        .flat_map(|r| r.entry.backend_calls.iter().cloned());
    fresh.chain(kept).collect()
}

fn carried(ports: &[ModulePort]) -> Vec<(&str, &port::carry::Carried)> {
    ports
        .iter()
        .filter_map(|p| Some((p.key.as_str(), p.carried.as_ref()?)))
        .collect()
}

/// A warning per npm library that two carried pages sharing one resource (a module and the pages
/// folded into it) need in different versions: the resource installs the first page's.
fn version_conflicts(
    file: &str,
    modules: &[ForgeModule],
    carried: &[(&str, &port::carry::Carried)],
) -> Vec<Diagnostic> {
    crate::scaffold::shared_version_conflicts(modules, carried)
        .into_iter()
        .map(|(m, name, wanted, used)| {
            let resource = m.resource.as_ref().map_or("", |r| r.key.as_str());
            Diagnostic {
                severity: crate::diagnostics::Severity::Warning,
                file: file.to_string(),
                position: None,
                path: Some(m.path.clone()),
                module: Some(m.key.clone()),
                message: format!("the page needs {name} {wanted}, but the resource {resource}, which it shares with its module's other pages, installs {name} {used}, the version an earlier page of it needs: check that the page works with {used}, or bundle the version it needs into its page/ by hand"),
            }
        })
        .collect()
}

/// The Connect app's source tree: `--source`, else the project of the input file; none for stdin.
fn source_root(options: &Options, input: Option<&Path>) -> Option<PathBuf> {
    match (&options.source, input) {
        (Some(dir), _) => Some(dir.clone()),
        (None, Some(file)) => Some(tree::default_source_root(file)),
        (None, None) => None,
    }
}

/// The port of every module with a page: the source tree is read once, then each module's page
/// is found and carried. `input` is the descriptor or manifest file (None for stdin).
fn port_modules(
    options: &Options,
    input: Option<&Path>,
    out: &Path,
    scripts: &[ForgeModule],
    connect: ConnectSide,
    base_url: &str,
) -> Result<Vec<ModulePort>> {
    // A link's resource only takes the user elsewhere: there is no page of the app to look for.
    let modules: Vec<(&str, &str)> = scripts
        .iter()
        .filter(|m| !m.is_link())
        .flat_map(ForgeModule::pages)
        .map(|p| (p.key, p.url))
        .collect();
    // A page shown through another module's router (`pages/<route>/`) is built by that router's
    // build, which does not run a front-end project's: its project is not carried.
    let routed: Vec<&str> = scripts
        .iter()
        .flat_map(ForgeModule::pages)
        .filter(|p| p.route.is_some())
        .map(|p| p.key)
        .collect();
    if modules.is_empty() {
        return Ok(Vec::new());
    }
    let Some(root) = source_root(options, input) else {
        return Ok(modules
            .iter()
            .map(|(k, _)| port::not_looked_for(k))
            .collect());
    };
    if !root.is_dir() {
        return Err(Error::Usage(format!(
            "--source {}: not a folder (pass the Connect app's source tree)",
            root.display()
        )));
    }
    for (key, _) in &options.pages {
        if !modules.iter().any(|(k, _)| k == key) {
            let keys: Vec<&str> = modules.iter().map(|(k, _)| *k).collect();
            return Err(Error::Usage(format!(
                "--page {key}=...: no module with a page has the key {key} (choose from: {})",
                keys.join(", ")
            )));
        }
    }
    let mut tree = tree::SourceTree::load_excluding(&root, &own_folders(out, scripts))?;
    // A page the user names is read wherever it is (under `dist/`, `node_modules/`, of any
    // extension), or refused with the reason: never dropped in silence.
    let mut named: Vec<(&str, String)> = Vec::new();
    for (key, file) in &options.pages {
        let rel = page_in_tree(&root, file)?;
        tree.add_named(&root, &rel)
            .map_err(|why| Error::Usage(format!("--page {key}={}: {why}", file.display())))?;
        named.push((key.as_str(), rel));
    }
    let tree = tree;
    let app = port::AppContext {
        connect_pages: port::connect_pages(&tree, &connect.pages),
        connect_scopes: connect.scopes,
        root: Some(root.clone()),
        exclude: own_folders(out, scripts),
        base_url: Some(base_url.to_string()),
    };
    let mut ports = Vec::new();
    for (key, url) in modules {
        let page = named
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, rel)| rel.clone());
        let mut port = if routed.contains(&key) {
            let app = port::AppContext {
                root: None,
                ..app.clone()
            };
            port::port_module(&tree, key, url, page.as_deref(), &app)
        } else {
            port::port_module(&tree, key, url, page.as_deref(), &app)
        };
        // Warnings name files a user can open from where they ran the tool (`views/x.hbs`, not
        // `./views/x.hbs`, when the tree is the current folder); the port's own places (`page`,
        // `scripts`, calls, `dropped`) stay relative to the source tree, as the review's port
        // section shows them.
        if !(root.as_os_str().is_empty() || root == Path::new(".")) {
            for w in &mut port.warnings {
                w.file = root.join(&w.file).display().to_string();
            }
        }
        ports.push(port);
    }
    Ok(ports)
}

/// What stays on Connect, for the port: the app's Connect scopes and its modules with a page.
struct ConnectSide {
    scopes: Vec<String>,
    /// `(key, url)` of every Connect module with a `url`.
    pages: Vec<(String, String)>,
}

impl ConnectSide {
    /// From the Connect scopes and the `connectModules` entries that stay.
    fn new<'a>(scopes: &[String], entries: impl IntoIterator<Item = &'a Value>) -> Self {
        let pages = entries
            .into_iter()
            .filter_map(|e| {
                let key = e.get("key")?.as_str()?;
                let url = e.get("url")?.as_str()?;
                Some((key.to_string(), url.to_string()))
            })
            .collect();
        Self {
            scopes: scopes.to_vec(),
            pages,
        }
    }
}

/// What the ported pages add to the app's permissions: the scopes their REST calls need that
/// `have` lacks, and the external hosts they load scripts and stylesheets from, each in order of
/// first need.
fn added_permissions(ports: &[ModulePort], have: &[String]) -> Permissions {
    let mut added = Permissions::default();
    for need in ports.iter().flat_map(|p| &p.analysis.scopes) {
        if !have.contains(&need.scope) {
            Permissions::add(&mut added.scopes, &need.scope);
        }
    }
    for c in ports.iter().filter_map(|p| p.carried.as_ref()) {
        for url in &c.external_scripts {
            Permissions::add(&mut added.external_scripts, &Permissions::address(url));
        }
        for url in &c.external_styles {
            Permissions::add(&mut added.external_styles, &Permissions::address(url));
        }
        for origin in &c.external_images {
            Permissions::add(&mut added.external_images, origin);
        }
        for origin in &c.external_fonts {
            Permissions::add(&mut added.external_fonts, origin);
        }
        for origin in &c.external_media {
            Permissions::add(&mut added.external_media, origin);
        }
    }
    for host in ports.iter().flat_map(|p| p.analysis.fetch_hosts()) {
        Permissions::add(&mut added.external_fetch, &host);
    }
    added
}

/// What the source tree must leave out: the Forge app being written (when it is the source
/// tree itself, as for a manifest adopted beside its Connect code: the scaffold folders and the
/// tool's state), so a re-run never takes its own output for the old page.
fn own_folders(out: &Path, modules: &[ForgeModule]) -> Vec<PathBuf> {
    let mut own: Vec<PathBuf> = modules
        .iter()
        .flat_map(ForgeModule::pages)
        .map(|p| out.join(&p.resource.scaffold_dir))
        .collect();
    own.push(out.join(".connect2forge"));
    own.push(out.to_path_buf());
    own
}

/// A `--page` file as a path relative to the source root (`/`-separated).
fn page_in_tree(root: &Path, file: &Path) -> Result<String> {
    let refuse = |why: &str| Error::Usage(format!("--page {}: {why}", file.display()));
    let full = if file.is_absolute() || file.exists() {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    let full = full.canonicalize().map_err(|_| {
        refuse(&format!(
            "no such file (a path from here, or from the source tree {})",
            root.display()
        ))
    })?;
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let rel = full
        .strip_prefix(&root)
        .map_err(|_| refuse(&format!("not inside the source tree {}", root.display())))?;
    Ok(rel.to_string_lossy().replace('\\', "/"))
}

/// A descriptor's migration in memory: the app, its rendered files (the manifest first, checked)
/// and the diagnostics of reading and mapping it.
#[derive(Debug)]
pub struct Rendered {
    /// The Forge app model.
    pub app: ForgeApp,
    /// Every file, the manifest first.
    pub files: Vec<PlannedFile>,
    /// Warnings of reading and mapping (the only copy).
    pub diagnostics: Diagnostics,
}

impl Rendered {
    /// The review of this migration into a folder that does not exist yet, made without touching
    /// the disk (for replaying inputs in tests and fuzzing: the same review the CLI shows).
    pub fn review_for_new_folder(self, input: &str, out_dir: &Path) -> Review {
        Review {
            input: input.to_string(),
            kind: InputKind::Descriptor,
            app: AppSummary::of_app(&self.app),
            plan: Plan::for_new_folder(out_dir, self.files),
            diagnostics: self.diagnostics,
            ports: Vec::new(),
            source_root: None,
        }
    }
}

/// The in-memory part of a descriptor's migration: descriptor text → app and rendered files. No
/// file system access; `existing_app_id` is the `app.id` to keep.
pub fn render_descriptor(
    src: &SourceText,
    options: &ReadOptions,
    templates: &Templates,
    existing_app_id: Option<&str>,
) -> Result<Rendered> {
    let (app, diagnostics) = read_and_map(src, options, existing_app_id)?;
    let files = templates.render_app(&app, &[], &[])?;
    Ok(Rendered {
        app,
        files,
        diagnostics,
    })
}

/// Reads the descriptor and maps it: the app and the warnings of both (the one copy of them).
fn read_and_map(
    src: &SourceText,
    options: &ReadOptions,
    existing_app_id: Option<&str>,
) -> Result<(ForgeApp, Diagnostics)> {
    let mut d = descriptor::read(src, options)?;
    let mut diagnostics = Diagnostics::from(std::mem::take(&mut d.warnings));
    let mut app = mapping::map(d, existing_app_id)?;
    diagnostics.extend(std::mem::take(&mut app.warnings));
    Ok((app, diagnostics))
}

/// Migrates a Forge manifest's background scripts in place.
fn adopt_in_place(
    options: &Options,
    src: SourceText,
    out: &Path,
    notes: Vec<String>,
    kind_note: Option<Diagnostic>,
) -> Result<Prepared> {
    let templates = Templates::load(options.templates.as_deref())?;
    let name = src.name.clone();
    let markers = crate::manifest::status::conflict_markers(&src);
    if !markers.is_empty() {
        return Err(Error::Input(markers));
    }
    // Read first: a file that is no manifest at all is said before anything else.
    let first = adopt::adopt(src.clone(), &Permissions::default(), &options.keep_connect)?;
    // A manifest has neither template placeholders nor a product to detect: these options would
    // do nothing, and silently ignoring them would mislead.
    if !options.vars.is_empty() || options.product.is_some() {
        return Err(Error::Usage(format!(
            "--var and --product apply to Connect descriptors; {} is a Forge manifest, migrated in place without them",
            name
        )));
    }
    // The source tree is the project of the file the user named: the manifest's folder, or, when
    // a descriptor led to the manifest in --out, the descriptor's project (its Connect code is
    // there). From stdin: the manifest's folder, or none.
    let input = match &options.input {
        Input::Path(p) => Some(p.clone()),
        Input::Stdin(_) if !notes.is_empty() => Some(out.join("manifest.yml")),
        Input::Stdin(_) => None,
    };
    // What stays on Connect: every connectModules entry that did not move.
    let stays: Vec<&Value> = first
        .source
        .value
        .get("connectModules")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(t, e)| Some((t, e.as_array()?)))
        .flat_map(|(t, entries)| {
            entries.iter().enumerate().map(move |(i, e)| {
                let path =
                    crate::json_path::index(&crate::json_path::child("$.connectModules", t), i);
                (path, e)
            })
        })
        .filter(|(path, _)| !first.modules.iter().any(|m| &m.path == path))
        .map(|(_, e)| e)
        .collect();
    let connect = ConnectSide::new(&first.scopes, stays);
    // The modules earlier runs migrated out of this manifest are checked again, through the
    // record (their Connect entries are gone from the manifest).
    let recorded = Recorded::read(out)?;
    let recalled = retain::recall(&recorded, &first.source.value, &first.modules);
    let mut modules = first.modules.clone();
    modules.extend(recalled.iter().cloned());
    let base_url = crate::manifest::adopt::remote_base_url(&first.source.value);
    let ports = port_modules(options, input.as_deref(), out, &modules, connect, &base_url)?;
    let retained = retain::retain(&recorded, out, &modules, &ports)?;
    // The carried pages' scopes and external hosts: added in place, as the scripts are.
    let mut added = added_permissions(&ports, &first.scopes);
    retain::add_needs(&mut added, &first.scopes, &retained);
    let adoption = match added.is_empty() {
        true => first,
        false => adopt::adopt(src, &added, &options.keep_connect)?,
    };
    let mut modules = adoption.modules.clone();
    modules.extend(recalled);
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(kind_note);
    diagnostics.extend(adoption.warnings.clone());
    for p in &ports {
        diagnostics.extend(p.warnings.iter().cloned());
    }
    diagnostics.extend(retained.iter().map(|r| r.note.clone()));
    diagnostics.extend(version_conflicts(&name, &modules, &carried(&ports)));
    let mut files = vec![adoption.manifest.clone()];
    let scaffold_app = ScaffoldApp::new(&adoption.connect_key, &adoption.connect_key, &modules);
    let carried = carried(&ports);
    for s in &modules {
        for page in s.pages() {
            let port = ports.iter().find(|p| p.key == page.key);
            files.extend(templates.render_scaffold(
                &scaffold_app,
                s,
                page,
                port.and_then(|p| p.carried.as_ref()),
            )?);
        }
        files.extend(templates.render_router(&scaffold_app, s, &modules, &carried)?);
    }
    // The backend's to-do list, for the triggers' endpoints on the Connect backend's remote.
    let remote_key = adoption
        .source
        .value
        .pointer("/app/connect/remote")
        .and_then(Value::as_str)
        .unwrap_or(crate::mapping::CONNECT_REMOTE);
    files.extend(templates.render_backend_doc(
        &adoption.connect_key,
        adoption.product,
        remote_key,
        &modules,
        &page_calls(&ports, &retained),
    )?);
    retain::use_retained_files(&mut files, &retained, &modules);
    let generation = Generation {
        files,
        modules: retain::entries(&modules, &ports, &retained)
            .into_iter()
            .chain(retain::backend_entries(&modules))
            .collect(),
        manifest: ManifestOrigin::Adopted,
    };
    let (plan, plan_notes) = Plan::of(out, generation)?;
    diagnostics.extend(plan_notes);
    Ok(Prepared {
        notes,
        review: Review {
            input: name,
            kind: InputKind::Manifest,
            app: AppSummary {
                product: adoption.product,
                app_id_is_placeholder: adoption.app_id_is_placeholder,
                modules,
                connect_modules: adoption.connect_modules,
                scopes: adoption.scopes,
                variables: Vec::new(),
            },
            plan,
            diagnostics,
            ports,
            source_root: source_root(options, input.as_deref()),
        },
    })
}

/// A migration ready to be shown and written.
#[derive(Debug)]
pub struct Prepared {
    notes: Vec<String>,
    review: Review,
}

impl Prepared {
    /// What the review shows.
    pub fn review(&self) -> &Review {
        &self.review
    }

    /// Remarks about how the run went, to show before the review (such as adopting the output
    /// folder's manifest instead of reading the descriptor).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Writes every created or changed file, under the output folder's lock, after checking that
    /// the disk still holds what the review showed. Returns the relative paths written. On an
    /// error, every file is either as it was or completely written.
    pub fn apply(&self) -> Result<Vec<String>> {
        plan::write(&self.review.plan)
    }

    /// The review as one self-contained HTML page (`--report`), rendered with the built-in
    /// `report.html.hbs` or its override in `templates`.
    pub fn report(&self, templates: Option<&Path>) -> Result<String> {
        let templates = Templates::load(templates)?;
        crate::review::report::html(&self.review, &templates)
    }
}

/// The `status` report of a Forge app: `path` is its folder or its `manifest.yml`.
pub fn status(path: &Path) -> Result<crate::manifest::status::StatusReport> {
    let file = if path.is_dir() {
        let f = path.join("manifest.yml");
        if !f.is_file() {
            return Err(Error::Usage(format!(
                "{}: no manifest.yml in this folder (pass the Forge app folder or its manifest.yml)",
                path.display()
            )));
        }
        f
    } else {
        path.to_path_buf()
    };
    let src = read_input(&Input::Path(file.clone()))?;
    if adopt::looks_like_json(&src.text) {
        return Err(Error::Usage(format!(
            "{} is a Connect descriptor, not a Forge manifest (decided by content): migrate it first with `connect2forge migrate {}`",
            file.display(),
            file.display()
        )));
    }
    // Conflicts a migration marked: reported at their lines, as errors of the report when the
    // manifest still parses, else as the reason it does not.
    let markers = crate::manifest::status::conflict_markers(&src);
    let manifest = match adopt::Manifest::parse(src) {
        Err(_) if !markers.is_empty() => return Err(Error::Input(markers)),
        parsed => parsed?,
    };
    let mut report = crate::manifest::status::status(&manifest, &file.display().to_string());
    report.problems.splice(0..0, markers);
    Ok(report)
}

/// Reads an input whole, refusing anything that is not a regular file of bounded size.
fn read_input(input: &Input) -> Result<SourceText> {
    let too_big = |name: &str| {
        Error::input(Diagnostic::file_error(
            name,
            format!(
                "the input is larger than {} MiB; a Connect descriptor is far smaller: is this the right file?",
                MAX_INPUT_BYTES / 1024 / 1024
            ),
        ))
    };
    let bad = |name: &str, message: String| Error::input(Diagnostic::file_error(name, message));
    let (name, bytes) = match input {
        Input::Stdin(bytes) => {
            if bytes.len() as u64 > MAX_INPUT_BYTES {
                return Err(too_big("<stdin>"));
            }
            ("<stdin>".to_string(), bytes.clone())
        }
        Input::Path(path) => {
            let name = path.display().to_string();
            let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => bad(
                    &name,
                    "no such file (pass the descriptor's path, or - for stdin)".into(),
                ),
                _ => Error::io(path, e),
            })?;
            if !meta.is_file() {
                return Err(bad(
                    &name,
                    "not a regular file (a folder, FIFO or device): pass the descriptor file itself"
                        .into(),
                ));
            }
            if meta.len() > MAX_INPUT_BYTES {
                return Err(too_big(&name));
            }
            let mut buf = Vec::new();
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf))
                .map_err(|e| Error::io(path, e))?;
            if buf.len() as u64 > MAX_INPUT_BYTES {
                return Err(too_big(&name));
            }
            (name, buf)
        }
    };
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let text = crate::source::decode(bytes).map_err(|m| bad(&name, m))?;
    let mut src = SourceText::new(name, text);
    src.bom = bom;
    Ok(src)
}

/// `--out/manifest.yml`, read once (through the same path check as every write) for the three
/// things that need it: adopting it, keeping its `app.id`, merging the user's edits.
fn out_manifest(out: &Path) -> Result<Option<String>> {
    let path = crate::write::resolve(out, "manifest.yml")?;
    if path.is_dir() {
        return Ok(None); // the plan refuses it, naming it
    }
    // Missing or not UTF-8: nothing to adopt, keep or merge; the plan shows the file being
    // created or replaced. A FIFO, device or huge file is refused (exit 2).
    Ok(crate::write::read_regular(&path)?.and_then(|b| String::from_utf8(b).ok()))
}

/// `app.id` of a manifest already in the output folder, so a re-run keeps the registered app.
/// A manifest that does not parse as a whole has none.
fn existing_app_id(text: &str) -> Option<String> {
    let v: Value = serde_yaml::from_str(text).ok()?;
    v.get("app")?.get("id")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_id_is_read_from_a_whole_manifest_only() {
        assert_eq!(
            existing_app_id("app:\n  id: ari:x\nmodules: {}\n").as_deref(),
            Some("ari:x")
        );
        assert_eq!(existing_app_id("app:\n  id: x\nmodules: [unclosed\n"), None);
        assert_eq!(existing_app_id("app:\n  id: 12\n"), None);
        assert_eq!(existing_app_id("modules:\n  app:\n    id: x\n"), None);
    }
}
