//! The scaffold stage: every file the migration writes, rendered through handlebars templates.
//!
//! Templates are files under `templates/`, embedded at build time and overridable one by one with
//! `--templates DIR`. Strict mode makes a missing variable an error. No HTML escaping by default:
//! each output language has its own helper (`yaml`, `json`, `html`), and every rendered YAML file is
//! parsed back and compared with the values it must carry before anyone sees it.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::kinds::{self, ForgeModule, PageView};
use crate::manifest::yaml::{is_bidi_control, yaml_value};
use crate::mapping::{ForgeApp, CONNECT_REMOTE};
use crate::output::{Ownership, PlannedFile};
use crate::port::analysis::BackendCall;
use crate::port::carry::Carried;
use crate::product::Product;

/// The manifest template's name.
pub const MANIFEST: &str = "manifest.yml.hbs";
/// The HTML report's template name (`migrate --report`).
pub const REPORT: &str = "report.html.hbs";

/// Every default template: name (path under `templates/`) and text.
pub const DEFAULTS: &[(&str, &str)] = &[
    (MANIFEST, include_str!("../../templates/manifest.yml.hbs")),
    (REPORT, include_str!("../../templates/report.html.hbs")),
    (
        "scaffold/package.json.hbs",
        include_str!("../../templates/scaffold/package.json.hbs"),
    ),
    (
        "scaffold/index.html.hbs",
        include_str!("../../templates/scaffold/index.html.hbs"),
    ),
    (
        "scaffold/src/main.js.hbs",
        include_str!("../../templates/scaffold/src/main.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/host.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/host.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/support.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/support.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/location.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/location.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/request.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/request.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/events.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/events.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/ui.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/ui.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/dialog.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/dialog.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/products.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/products.js.hbs"),
    ),
    (
        "scaffold/src/connect-compat/amd.js.hbs",
        include_str!("../../templates/scaffold/src/connect-compat/amd.js.hbs"),
    ),
    (
        "kinds/page/main.js.hbs",
        include_str!("../../templates/kinds/page/main.js.hbs"),
    ),
    (
        "scaffold/scripts/build.mjs.hbs",
        include_str!("../../templates/scaffold/scripts/build.mjs.hbs"),
    ),
    (
        PROJECT_SCRIPT,
        include_str!("../../templates/scaffold/scripts/project.mjs.hbs"),
    ),
    (
        "scaffold/.gitignore.hbs",
        include_str!("../../templates/scaffold/.gitignore.hbs"),
    ),
    (
        ROUTER_INDEX,
        include_str!("../../templates/router/index.html.hbs"),
    ),
    (
        ROUTER_ROUTES,
        include_str!("../../templates/router/src/routes.js.hbs"),
    ),
    (
        ROUTER_SCRIPT,
        include_str!("../../templates/router/src/router.js.hbs"),
    ),
    (
        BACKEND_DOC,
        include_str!("../../templates/docs/forge-backend.md.hbs"),
    ),
];

/// The install and build of a front-end project carried whole (`scripts/project.mjs`, beside
/// the resource's build script): only a resource that carries one has it.
pub const PROJECT_SCRIPT: &str = "scaffold/scripts/project.mjs.hbs";
/// The backend's to-do list template (`docs/forge-backend.md` in the Forge app folder).
pub const BACKEND_DOC: &str = "docs/forge-backend.md.hbs";
/// The router of a module with `pages`: the resource's `index.html`.
pub const ROUTER_INDEX: &str = "router/index.html.hbs";
/// The router's table of the module's pages (`src/routes.js`), bundled into every page too.
pub const ROUTER_ROUTES: &str = "router/src/routes.js.hbs";
/// The router's script (`src/router.js`).
pub const ROUTER_SCRIPT: &str = "router/src/router.js.hbs";
/// The templates of a resource's root that a page of a module with `pages` does not have of its
/// own (the router renders them once for all).
const ROOT_ONLY: [&str; 4] = [
    "scaffold/package.json.hbs",
    "scaffold/scripts/build.mjs.hbs",
    PROJECT_SCRIPT,
    "scaffold/.gitignore.hbs",
];

/// The templates of one run, each compiled once and used for every module. A user's override is
/// compiled when it is loaded, so a broken one is refused before anything else; a built-in one
/// when it is first rendered, since most runs never render some of them (the 24 kB
/// compatibility layer is only for carried pages, and compiling it dominated a small run:
/// docs/performance.md).
pub struct Templates {
    /// The registry and the names compiled into it so far (a Mutex, not a RefCell, so one
    /// `Templates` can serve several threads, as the fuzz targets' shared one does).
    registry: Mutex<(Handlebars<'static>, HashSet<&'static str>)>,
    /// Each template's text (built-in or the override's), and where it came from (`built-in` or
    /// the override's path), for messages.
    sources: Vec<(&'static str, String, String)>,
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
        let mut sources = Vec::new();
        let mut compiled = HashSet::new();
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
                Some(p) => crate::write::read_regular(&p)?.map(|b| (p, b)),
                None => None,
            };
            let (text, origin) = match bytes {
                Some((p, b)) => {
                    let origin = p.display().to_string();
                    (
                        crate::source::decode(b).map_err(|m| {
                            Error::input(crate::diagnostics::Diagnostic::file_error(&origin, m))
                        })?,
                        origin,
                    )
                }
                None => (text.to_string(), "built-in".to_string()),
            };
            if origin != "built-in" {
                compile(&mut hb, name, &text, &origin)?;
                compiled.insert(*name);
            }
            sources.push((*name, text, origin));
        }
        Ok(Self {
            registry: Mutex::new((hb, compiled)),
            sources,
        })
    }

    fn origin(&self, name: &str) -> String {
        self.sources
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or_else(|| name.to_string(), |(n, _, o)| format!("{n} ({o})"))
    }

    /// Renders template `name` with `data`, compiling it first if this run has not yet; an error
    /// names the template and where it came from.
    fn render(&self, name: &str, data: Value) -> Result<String> {
        // A panic elsewhere while it was held leaves the registry as it was: still usable.
        let mut registry = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        let (hb, compiled) = &mut *registry;
        let source = self.sources.iter().find(|(n, _, _)| *n == name);
        if let Some((n, text, origin)) = source {
            // Text with no expression renders as itself: most parts of the compatibility layer
            // are plain JavaScript, and compiling them cost more than the rest of a carried run
            // (docs/performance.md).
            if !text.contains("{{") {
                return Ok(text.clone());
            }
            if !compiled.contains(n) {
                compile(hb, n, text, origin)?;
                compiled.insert(n);
            }
        }
        hb.render(name, &data).map_err(|e| Error::Template {
            name: self.origin(name),
            message: e.to_string(),
        })
    }

    /// Renders every file of the app: the manifest (managed, first) and the scaffold of each
    /// module with a resource, carrying its page where `carried` has one for the module's key.
    /// The manifest is checked ([`Templates::check_manifest`]) before this returns.
    pub fn render_app(
        &self,
        app: &ForgeApp,
        carried: &[(&str, &Carried)],
        page_calls: &[BackendCall],
    ) -> Result<Vec<PlannedFile>> {
        let manifest = self.render(MANIFEST, manifest_context(app))?;
        self.check_manifest(&manifest, app)?;
        let mut files = vec![PlannedFile {
            path: "manifest.yml".into(),
            content: manifest,
            bytes: None,
            ownership: Ownership::Managed,
        }];
        files.extend(self.render_backend_doc(
            &app.name,
            app.product,
            CONNECT_REMOTE,
            &app.modules,
            page_calls,
        )?);
        let scaffold_app = ScaffoldApp::new(&app.connect_key, &app.name, &app.modules);
        for m in &app.modules {
            for page in m.pages() {
                let port = carried
                    .iter()
                    .find(|(k, _)| *k == page.key)
                    .map(|(_, c)| *c);
                files.extend(self.render_scaffold(&scaffold_app, m, page, port)?);
            }
            files.extend(self.render_router(&scaffold_app, m, &app.modules, carried)?);
        }
        Ok(files)
    }

    /// Renders the root of the resource of a module whose manifest entry has `pages`
    /// ([`kinds::subpages`]): the router (`index.html`, `src/router.js`, `src/routes.js`), and
    /// the `package.json` (every page's npm libraries), build script and `.gitignore` its pages
    /// share. Nothing for any other module. `carried` holds the carried pages by key.
    pub fn render_router(
        &self,
        app: &ScaffoldApp,
        m: &ForgeModule,
        modules: &[ForgeModule],
        carried: &[(&str, &Carried)],
    ) -> Result<Vec<PlannedFile>> {
        let (Some(own), Some(resource), None) = (m.route(), &m.resource, m.subpage_of()) else {
            return Ok(Vec::new());
        };
        let pages: Vec<(&str, &str, &str)> = pages_of(m, modules)
            .into_iter()
            .filter_map(|s| {
                let route = if s.key == m.key { own } else { s.route()? };
                Some((s.key.as_str(), route, s.detail("title").unwrap_or(&s.key)))
            })
            .collect();
        let routes: Vec<Value> = pages
            .iter()
            .map(|(key, route, title)| json!({"route": route, "key": key, "title": title}))
            .collect();
        // One package.json for every page: the libraries each carried page needs (the first
        // page's version of a library where two differ: shared_version_conflicts warns).
        let mut deps = serde_json::Map::new();
        let mut any_carried = false;
        for (key, _, _) in &pages {
            if let Some((_, c)) = carried.iter().find(|(k, _)| k == key) {
                any_carried = true;
                for (name, version) in &c.npm_dependencies {
                    deps.entry(name.clone()).or_insert_with(|| json!(version));
                }
            }
        }
        let module = json!({
            "key": m.key,
            "kind": m.kind,
            "forge_type": m.forge_type,
            "resource_key": resource.key,
            "connect_url": m.connect_url(),
            "package_name": resource.key.to_ascii_lowercase(),
            "entry": "main",
        });
        // Each page's module scripts, by route: the router's build bundles them per page.
        let mut page_modules = serde_json::Map::new();
        for (key, route, _) in &pages {
            if let Some((_, c)) = carried.iter().find(|(k, _)| k == key) {
                if !c.modules.is_empty() {
                    page_modules.insert(route.to_string(), json!(c.modules));
                }
            }
        }
        let data = json!({
            "app": {"key": app.key, "name": app.name},
            "module": module,
            "routes": routes,
            "pages": pages.iter().map(|(_, r, _)| r).collect::<Vec<_>>(),
            "page_modules": (!page_modules.is_empty()).then_some(page_modules),
            "port": any_carried.then(|| json!({"npm_dependencies": deps})),
        });
        let mut files = Vec::new();
        for (name, rel) in [
            ("scaffold/package.json.hbs", "package.json"),
            ("scaffold/scripts/build.mjs.hbs", "scripts/build.mjs"),
            ("scaffold/.gitignore.hbs", ".gitignore"),
            (ROUTER_INDEX, "index.html"),
            (ROUTER_ROUTES, "src/routes.js"),
            (ROUTER_SCRIPT, "src/router.js"),
        ] {
            let content = self.render(name, data.clone())?;
            if rel.ends_with(".json") {
                serde_json::from_str::<Value>(&content).map_err(|e| Error::Template {
                    name: self.origin(name),
                    message: format!("renders invalid JSON: {e}"),
                })?;
            }
            files.push(PlannedFile {
                path: format!("{}/{rel}", resource.scaffold_dir),
                content,
                bytes: None,
                ownership: Ownership::Scaffold,
            });
        }
        Ok(files)
    }

    /// Renders the backend's to-do list (`docs/forge-backend.md`, managed) for an app named
    /// `name` whose endpoints call the remote `remote_key`, and whose carried pages make
    /// `page_calls`: `None` when nothing calls the backend.
    pub fn render_backend_doc(
        &self,
        name: &str,
        product: Product,
        remote_key: &str,
        modules: &[ForgeModule],
        page_calls: &[BackendCall],
    ) -> Result<Option<PlannedFile>> {
        let Some(data) = backend_context(name, product, remote_key, modules, page_calls) else {
            return Ok(None);
        };
        Ok(Some(PlannedFile {
            path: "docs/forge-backend.md".into(),
            content: self.render(BACKEND_DOC, data)?,
            bytes: None,
            ownership: Ownership::Managed,
        }))
    }

    /// Renders the HTML report (`migrate --report`) from its data (see `review::report`).
    pub fn render_report(&self, data: Value) -> Result<String> {
        self.render(REPORT, data)
    }

    /// Parses the rendered manifest back and checks that it carries exactly the migration's
    /// values and would deploy (a refusal names the manifest template).
    pub fn check_manifest(&self, manifest: &str, app: &ForgeApp) -> Result<()> {
        crate::manifest::validate::check_rendered(manifest, &app.manifest_value()).map_err(
            |message| Error::Template {
                name: self.origin(MANIFEST),
                message,
            },
        )
    }

    /// Renders the Custom UI scaffold of one page of a module (files under its resource's
    /// scaffold folder): the skeleton, or with `port` the old page carried (its files under
    /// `page/`, the compatibility layer, its npm libraries).
    pub fn render_scaffold(
        &self,
        app: &ScaffoldApp,
        s: &ForgeModule,
        page: PageView<'_>,
        port: Option<&Carried>,
    ) -> Result<Vec<PlannedFile>> {
        let resource = page.resource;
        let dir = page.dir();
        // A page folded into another module runs as a page of that module's type.
        let forge_type = s
            .subpage_of()
            .and_then(|h| app.holders.iter().find(|(k, _)| k == h))
            .map_or(s.forge_type, |(_, t)| *t);
        let mut module = json!({
            "key": s.key,
            "kind": s.kind,
            "forge_type": forge_type,
            "resource_key": resource.key,
            "connect_url": page.url,
            "package_name": resource.key.to_ascii_lowercase(),
            // Which resource of the module this is (the compatibility layer's surface): "main",
            // "config" (a macro's custom editor), "edit" (a gadget's edit page) or "modal" (a
            // Connect dialog opened with new Modal); a kind's own data may say otherwise.
            "entry": "main",
        });
        if let Some(o) = module.as_object_mut() {
            o.extend(s.kind().scaffold_data(s));
            if page.entry != "main" {
                o.insert("entry".into(), json!(page.entry));
            }
        }
        let dialogs: Vec<Value> = app
            .dialogs
            .iter()
            .map(|(key, resource)| json!({"key": key, "resource": resource}))
            .collect();
        let data = json!({
            "app": {"key": app.key, "name": app.name},
            "module": module,
            // The Connect dialogs migrated to Custom UI resources ([{key, resource}]): the
            // compatibility layer opens them for AP.dialog.create({key}).
            "dialogs": dialogs,
            "port": port.map(port_context),
            // A resource's pages, for its build script: none here (see render_router).
            "pages": [],
        });
        let project = port.and_then(|c| c.project.as_ref());
        let mut files = Vec::new();
        let entry = s.kind().entry_template();
        let templates = DEFAULTS.iter().filter(|(n, _)| {
            // The common scaffold, with this kind's entry as src/main.js; the compatibility layer
            // belongs to a carried page only.
            let other_entry = kinds::REGISTRY
                .iter()
                .any(|k| k.entry_template() == *n && *n != entry);
            n.starts_with("scaffold/")
                && !other_entry
                && (port.is_some() || !n.starts_with("scaffold/src/connect-compat"))
                && (page.route.is_none() || !ROOT_ONLY.contains(n))
                // A carried project's build writes the page's index.html.
                && !(*n == "scaffold/index.html.hbs" && project.is_some_and(|p| p.bundles.is_empty()))
                && (*n != PROJECT_SCRIPT || project.is_some())
        });
        let templates = templates
            .map(|(n, _)| *n)
            .chain((!entry.starts_with("scaffold/")).then_some(entry));
        for name in templates {
            let content = self.render(name, data.clone())?;
            let rel = if name == entry {
                "src/main.js"
            } else {
                name.trim_start_matches("scaffold/")
                    .trim_end_matches(".hbs")
            };
            if rel.ends_with(".json") {
                serde_json::from_str::<Value>(&content).map_err(|e| Error::Template {
                    name: self.origin(name),
                    message: format!("renders invalid JSON: {e}"),
                })?;
            }
            files.push(PlannedFile {
                path: format!("{dir}/{rel}"),
                content,
                bytes: None,
                ownership: Ownership::Scaffold,
            });
        }
        if let Some(p) = project {
            for f in &p.files {
                let path = format!("{dir}/project/{}", f.path);
                files.push(match (&f.text, &f.bytes) {
                    (Some(text), _) => PlannedFile::text(path, text.clone(), Ownership::Scaffold),
                    (None, bytes) => PlannedFile::binary(
                        path,
                        bytes.clone().unwrap_or_default(),
                        &f.path,
                        Ownership::Scaffold,
                    ),
                });
            }
        }
        // A shell's own scripts, stylesheets and images are the project's: its build carries
        // them.
        let own = port.filter(|_| project.is_none_or(|p| !p.bundles.is_empty()));
        for f in own.into_iter().flat_map(|c| {
            c.scripts
                .iter()
                .chain(&c.stylesheets)
                .chain(&c.imported)
                .chain(&c.amd)
        }) {
            files.push(PlannedFile {
                path: format!("{dir}/{}", f.path),
                content: f.content.clone(),
                bytes: None,
                ownership: Ownership::Scaffold,
            });
        }
        for a in own.into_iter().flat_map(|c| &c.assets) {
            files.push(PlannedFile::binary(
                format!("{dir}/{}", a.path),
                a.bytes.clone(),
                &a.origin,
                Ownership::Scaffold,
            ));
        }
        Ok(files)
    }
}

/// The pages one resource holds when `m` has subpages: `m` first, then the pages folded into
/// it, in module order; empty for any other module.
fn pages_of<'a>(m: &'a ForgeModule, modules: &'a [ForgeModule]) -> Vec<&'a ForgeModule> {
    if m.route().is_none() || m.subpage_of().is_some() {
        return Vec::new();
    }
    std::iter::once(m)
        .chain(
            modules
                .iter()
                .filter(|s| s.subpage_of() == Some(m.key.as_str())),
        )
        .collect()
}

/// The npm libraries that two carried pages of one resource (a module and the pages folded into
/// it) need in different versions: its one `package.json` installs the first page's. Each: the
/// page that gets another version than it needs, the library, the version it needs and the one
/// installed.
pub fn shared_version_conflicts<'a>(
    modules: &'a [ForgeModule],
    carried: &[(&str, &Carried)],
) -> Vec<(&'a ForgeModule, String, String, String)> {
    let mut out = Vec::new();
    for m in modules {
        let mut installed: Vec<(&str, &str)> = Vec::new();
        for page in pages_of(m, modules) {
            let Some((_, c)) = carried.iter().find(|(k, _)| *k == page.key) else {
                continue;
            };
            for (name, version) in &c.npm_dependencies {
                match installed.iter().find(|(n, _)| n == name) {
                    Some((_, v)) if v != version => {
                        out.push((page, name.clone(), version.clone(), v.to_string()))
                    }
                    Some(_) => {}
                    None => installed.push((name, version)),
                }
            }
        }
    }
    out
}

/// What every module's scaffold needs to know of the app.
#[derive(Debug, Clone)]
pub struct ScaffoldApp {
    /// The Connect app key.
    pub key: String,
    /// The app's name.
    pub name: String,
    /// Each Connect dialog migrated to a resource: `(dialog key, resource key)`, for
    /// `AP.dialog.create({key})` in any carried page.
    pub dialogs: Vec<(String, String)>,
    /// Each module holding pages folded into it: `(module key, Forge type)`.
    pub holders: Vec<(String, &'static str)>,
}

impl ScaffoldApp {
    /// The facts of an app with these modules.
    pub fn new(key: &str, name: &str, modules: &[ForgeModule]) -> Self {
        let dialogs = modules
            .iter()
            .filter(|m| m.forge_type.is_empty() && m.subpage_of().is_none())
            .filter_map(|m| Some((m.key.clone(), m.resource.as_ref()?.key.clone())))
            .collect();
        let holders = modules
            .iter()
            .filter(|m| m.route().is_some() && m.subpage_of().is_none())
            .map(|m| (m.key.clone(), m.forge_type))
            .collect();
        Self {
            key: key.to_string(),
            name: name.to_string(),
            dialogs,
            holders,
        }
    }
}

/// What the scaffold templates see of a carried page.
fn port_context(c: &Carried) -> Value {
    // One import per npm library, bound to an identifier made of the package name's letters.
    let mut globals: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, package) in &c.globals {
        match globals.iter_mut().find(|(p, _)| p == package) {
            Some((_, names)) => names.push(name),
            None => globals.push((package.clone(), vec![name])),
        }
    }
    let globals: Vec<Value> = globals
        .iter()
        .map(|(package, names)| {
            let ident: String = package
                .chars()
                .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' })
                .collect();
            json!({"package": package, "binding": format!("lib_{ident}"), "names": names})
        })
        .collect();
    json!({
        "index_html": c.index_html.trim_end_matches('\n'),
        // Whether anything is carried under page/ (a page without a local script or stylesheet
        // has no page/ folder, and the build must not copy one).
        "has_files": c.project.as_ref().is_none_or(|p| !p.bundles.is_empty())
            && (!c.scripts.is_empty() || !c.stylesheets.is_empty() || !c.assets.is_empty()),
        // A front-end project's shell: its client-side router reads the page's path
        // (connect-compat/location.js gives it the module URL's).
        "routed": c.project.as_ref().is_some_and(|p| p.bundles.is_empty()),
        "npm_dependencies": c.npm_dependencies,
        "globals": globals,
        // Module scripts the build bundles with their local imports ([{file, base}]).
        "modules": c.modules,
        // The front-end project carried whole: its own build makes the page.
        "project": c.project.as_ref().map(|p| json!({
            "folder": p.folder,
            "carried_folder": p.carried_folder(),
            "builder": p.builder,
            "shell": p.shell,
            "outputs": p.outputs,
            // The pages its build may write, in the order looked for (`page`: the first).
            "pages": p.pages,
            "page": p.pages.first(),
            // The arguments of the npm command that builds it (`["run", "build"]`).
            "run": p.run,
            // Its build writes the page (a shell), or only scripts the carried page loads.
            "builds_page": p.bundles.is_empty(),
            "bundles": p.bundles,
        })),
    })
}

/// Writes the built-in templates into `dir` to start overrides from; an existing file is kept.
/// Returns each template's path and whether it was created (false: it existed).
pub fn export(dir: &Path) -> Result<Vec<(std::path::PathBuf, bool)>> {
    let mut done = Vec::new();
    for (name, text) in DEFAULTS {
        let target = dir.join(name);
        let created = !target.exists();
        if created {
            crate::write::write_atomic(&target, text.as_bytes())?;
        }
        done.push((target, created));
    }
    Ok(done)
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

/// What the backend's to-do list template sees: every route the Forge app calls on the remote,
/// with the modules that call it; `None` when it calls none.
fn backend_context(
    name: &str,
    product: Product,
    remote_key: &str,
    modules: &[ForgeModule],
    page_calls: &[BackendCall],
) -> Option<Value> {
    use crate::kinds::webhook::remote::{ENDPOINT, ROUTE_DETAIL};
    let detail = |m: &ForgeModule, k: &str| {
        m.details
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    // The modules calling each endpoint, in module order (grouped once: an app may have
    // thousands of webhooks, each on its own route).
    let mut by_endpoint: std::collections::HashMap<&str, Vec<&ForgeModule>> =
        std::collections::HashMap::new();
    for m in modules {
        if let Some(endpoint) = m.entry.get("endpoint").and_then(Value::as_str) {
            by_endpoint.entry(endpoint).or_default().push(m);
        }
    }
    let routes: Vec<Value> = modules
        .iter()
        .filter(|e| e.forge_type == ENDPOINT)
        .map(|e| {
            let callers: Vec<Value> = by_endpoint
                .get(e.key.as_str())
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|m| {
                    let (what, was) = match m.kind {
                        kinds::lifecycle::ID => (
                            m.forge_type.to_string(),
                            format!("lifecycle `{}`", detail(m, "callback")),
                        ),
                        kinds::workflow_post_function::ID => (
                            format!("{} `{}`", m.forge_type, m.key),
                            format!("workflow post function `{}` (its `triggered` URL)", m.key),
                        ),
                        _ => (
                            format!("{} `{}`", m.forge_type, detail(m, "forge_event")),
                            format!("webhook `{}`", detail(m, "event")),
                        ),
                    };
                    json!({"key": m.key, "what": what, "was": was})
                })
                .collect();
            json!({"path": detail(e, ROUTE_DETAIL), "endpoint": e.key, "callers": callers})
        })
        .collect();
    // Each call once (a page and its editor may share a script), in order.
    let mut calls: Vec<Value> = Vec::new();
    for c in page_calls {
        let call = json!(c);
        if !calls.contains(&call) {
            calls.push(call);
        }
    }
    if routes.is_empty() && calls.is_empty() {
        return None;
    }
    let callback = |name: &str| {
        modules
            .iter()
            .find(|m| m.kind == kinds::lifecycle::ID && detail(m, "callback") == name)
            .map(|m| detail(m, ROUTE_DETAIL))
    };
    Some(json!({
        "app": {
            "name": name,
            "product": product.as_str(),
            "remote_key": remote_key,
        },
        "routes": routes,
        // The carried pages' calls to the backend that carried a Connect JWT.
        "page_calls": calls,
        // Strings, never null: strict mode refuses a null in `#if`.
        "installed": callback("installed").unwrap_or_default(),
        "uninstalled": callback("uninstalled").unwrap_or_default(),
        "webhooks": modules.iter().any(|m| m.kind == kinds::webhook::ID),
        "app_token": modules.iter().any(|m| m.entry.contains_key("auth")),
    }))
}

/// What the manifest template sees.
fn manifest_context(app: &ForgeApp) -> Value {
    // Values are built or cloned and moved in: `json!` would serialize each one again, a module
    // once for each list it is in (a tenth of rendering a large descriptor, docs/performance.md).
    let object = |fields: Vec<(&str, Value)>| {
        Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    };
    let module = |m: &ForgeModule| {
        let r = m.resource.as_ref();
        let reload = m.entry.get("shouldReloadOnRefresh");
        object(vec![
            ("key", json!(m.key)),
            ("kind", json!(m.kind)),
            ("forge_type", json!(m.forge_type)),
            ("entry", m.manifest_entry()),
            ("resource_key", json!(r.map(|r| &r.key))),
            ("resource_path", json!(r.map(|r| &r.path))),
            ("connect_url", json!(m.page_url)),
            // Kept for templates written before module kinds (the background script's flag).
            ("has_reload", json!(reload.is_some())),
            (
                "should_reload_on_refresh",
                reload.cloned().unwrap_or(Value::Null),
            ),
        ])
    };
    let modules: Vec<Value> = app.modules.iter().map(module).collect();
    let mut groups = Vec::new();
    for t in kinds::forge_types() {
        let entries: Vec<Value> = modules
            .iter()
            .filter(|s| s["forge_type"] == t)
            .cloned()
            .collect();
        if !entries.is_empty() {
            groups.push(object(vec![
                ("type", json!(t)),
                ("entries", Value::Array(entries)),
            ]));
        }
    }
    // Every resource of every module: its main page's, then its extra pages' (a gadget's
    // edit page, a macro's editor).
    let resources: Vec<Value> = app
        .modules
        .iter()
        .flat_map(ForgeModule::resource_entries)
        .collect();
    // Templates written before module kinds name the modules with a resource this way.
    let background_scripts: Vec<Value> = modules
        .iter()
        .filter(|m| !m["resource_key"].is_null())
        .cloned()
        .collect();
    let remote = app.needs_remote().then_some(CONNECT_REMOTE);
    let connect_modules: Vec<Value> = app
        .connect_modules
        .iter()
        .map(|(t, entries)| {
            object(vec![
                ("type", json!(t)),
                ("entries", Value::Array(entries.clone())),
            ])
        })
        .collect();
    object(vec![
        (
            "app",
            json!({
                "id": app.app_id,
                "runtime": app.runtime,
                "connect_key": app.connect_key,
                "name": app.name,
                "description": app.description,
                "remote": remote,
                "remote_key": CONNECT_REMOTE,
                "remotes": app.needs_remote(),
                "authentication": app.authentication,
                "base_url": app.base_url,
            }),
        ),
        ("modules", Value::Array(modules)),
        ("module_groups", Value::Array(groups)),
        ("resources", Value::Array(resources)),
        ("background_scripts", Value::Array(background_scripts)),
        ("connect_modules", Value::Array(connect_modules)),
        ("scopes", json!(app.scopes)),
        ("external_scripts", json!(app.external_scripts)),
        ("external_styles", json!(app.external_styles)),
        ("external_fetch", json!(app.external_fetch)),
        ("external_images", json!(app.external_images)),
        ("external_fonts", json!(app.external_fonts)),
        ("external_media", json!(app.external_media)),
        ("variables", json!(app.variables)),
    ])
}

/// Compiles a template into the registry; an error names it and where it came from.
fn compile(hb: &mut Handlebars<'static>, name: &str, text: &str, origin: &str) -> Result<()> {
    hb.register_template_string(name, text)
        .map_err(|e| Error::Template {
            name: format!("{name} ({origin})"),
            message: e.to_string(),
        })
}

/// The helper's argument; in strict mode a missing variable is an error here too (handlebars
/// checks plain `{{x}}` itself but hands helpers a null).
fn param<'a>(h: &'a Helper<'_>, name: &'static str) -> std::result::Result<&'a Value, RenderError> {
    let p = h
        .param(0)
        .ok_or_else(|| RenderError::from(RenderErrorReason::ParamNotFoundForIndex(name, 0)))?;
    if p.is_value_missing() {
        let path = p.relative_path().cloned().unwrap_or_default();
        return Err(RenderErrorReason::MissingVariable(Some(path)).into());
    }
    Ok(p.value())
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
        Value::Null => String::new(),
        other => other.to_string(),
    };
    out.write(&html_escape(&s))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_with_no_expression_renders_as_itself_as_handlebars_would() {
        // Templates::render returns such a template without compiling it.
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        let plain: Vec<&str> = DEFAULTS
            .iter()
            .filter(|(_, text)| !text.contains("{{"))
            .map(|(name, text)| {
                let rendered = hb.render_template(text, &json!({})).expect("renders");
                assert_eq!(&rendered, text, "{name}");
                *name
            })
            .collect();
        assert!(plain.contains(&"scaffold/src/connect-compat/location.js.hbs"));
        let templates = Templates::load(None).expect("built-in templates");
        let text = templates
            .render("scaffold/src/connect-compat/amd.js.hbs", json!({}))
            .expect("renders without data");
        assert!(text.starts_with("// Connect's AMD-style loader"), "{text}");
    }

    #[test]
    fn json_literals_cannot_close_a_script() {
        assert_eq!(
            json_literal(&json!("</script>")),
            "\"\\u003c/script\\u003e\""
        );
    }

    /// The example's app and its rendered manifest.
    fn example() -> (ForgeApp, String) {
        let src = crate::source::SourceText::new(
            "atlassian-connect.json",
            include_str!("../../examples/atlassian-connect.json").to_string(),
        );
        let d = crate::descriptor::read(&src, &Default::default()).expect("reads");
        let app = crate::mapping::map(d, None).expect("maps");
        let templates = Templates::load(None).expect("built-in templates");
        let manifest = templates
            .render(MANIFEST, manifest_context(&app))
            .expect("renders");
        (app, manifest)
    }

    /// An app with two project pages: the second a subpage of the first.
    fn two_project_pages() -> ForgeApp {
        let src = crate::source::SourceText::new(
            "atlassian-connect.json",
            r#"{"key": "k", "baseUrl": "https://k.example", "modules": {"jiraProjectPages": [
                {"key": "board", "name": {"value": "Board"}, "url": "/b?p={project.key}"},
                {"key": "Stats_Page", "name": {"value": "Stats"}, "url": "/s"}]}}"#
                .to_string(),
        );
        let d = crate::descriptor::read(&src, &Default::default()).expect("reads");
        crate::mapping::map(d, None).expect("maps")
    }

    fn carried_with(deps: &[(&str, &str)]) -> Carried {
        Carried {
            index_html: "<!DOCTYPE html><script src=\"./main.js\"></script>".into(),
            scripts: Vec::new(),
            stylesheets: Vec::new(),
            npm_dependencies: deps
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            globals: Vec::new(),
            external_scripts: Vec::new(),
            external_styles: Vec::new(),
            assets: Vec::new(),
            external_images: Vec::new(),
            external_fonts: Vec::new(),
            external_media: Vec::new(),
            notes: Vec::new(),
            modules: Vec::new(),
            imported: Vec::new(),
            amd: Vec::new(),
            project: None,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_module_with_subpages_has_one_resource_with_a_router_and_a_folder_per_page() {
        let app = two_project_pages();
        let templates = Templates::load(None).expect("built-in templates");
        let (a, b) = (
            carried_with(&[("jquery", "3.7.1")]),
            carried_with(&[("jquery", "1.12.4"), ("lodash", "4.17.21")]),
        );
        let carried: Vec<(&str, &Carried)> = vec![("board", &a), ("Stats_Page", &b)];
        let files = templates.render_app(&app, &carried, &[]).expect("renders");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for p in [
            "static/board/package.json",
            "static/board/scripts/build.mjs",
            "static/board/index.html",
            "static/board/src/router.js",
            "static/board/src/routes.js",
            "static/board/pages/board/index.html",
            "static/board/pages/board/src/main.js",
            "static/board/pages/board/src/connect-compat.js",
            "static/board/pages/stats-page/index.html",
            "static/board/pages/stats-page/src/main.js",
        ] {
            assert!(paths.contains(&p), "{p} in {paths:?}");
        }
        assert!(!paths
            .iter()
            .any(|p| p.starts_with("static/board/pages/board/package")));
        assert!(!paths.iter().any(|p| p.contains("Stats_Page")), "{paths:?}");
        let text = |p: &str| &files.iter().find(|f| f.path == p).unwrap().content;
        assert!(text("static/board/src/routes.js").contains(
            r#"[{"route":"board","key":"board","title":"Board"},{"route":"stats-page","key":"Stats_Page","title":"Stats"}]"#
        ));
        assert!(text("static/board/scripts/build.mjs")
            .contains(r#"const PAGES = ["board","stats-page"];"#));
        assert!(text("static/board/index.html").contains(r#"<script src="./router.js">"#));
        // The folded page runs as a page of its module's type.
        assert!(
            text("static/board/pages/stats-page/src/connect-compat/host.js")
                .contains(r#"FORGE_MODULE_TYPE = "jira:projectPage""#)
        );
        // One package.json: every page's libraries, the first page's version of a shared one.
        let pkg: Value = serde_json::from_str(text("static/board/package.json")).unwrap();
        assert_eq!(pkg["dependencies"]["jquery"], "3.7.1");
        assert_eq!(pkg["dependencies"]["lodash"], "4.17.21");
        let conflicts = shared_version_conflicts(&app.modules, &carried);
        let conflicts: Vec<(&str, &str, &str, &str)> = conflicts
            .iter()
            .map(|(m, n, w, u)| (m.key.as_str(), n.as_str(), w.as_str(), u.as_str()))
            .collect();
        assert_eq!(conflicts, [("Stats_Page", "jquery", "1.12.4", "3.7.1")]);
    }

    fn check(text: &str, app: &ForgeApp) -> std::result::Result<(), String> {
        crate::manifest::validate::check_rendered(text, &app.manifest_value())
    }

    #[test]
    fn check_manifest_refuses_what_templates_break_with_yaml_serde_messages() {
        let (app, manifest) = example();
        assert_eq!(check(&manifest, &app), Ok(()));
        // Invalid YAML: yaml_serde's message.
        for broken in [
            manifest.replacen("  runtime:\n", " runtime:\n", 1),
            manifest.replacen("    name: nodejs", "    name: [nodejs", 1),
            format!("{manifest}  : [unclosed\n"),
            manifest.replacen("resources:\n", "resources:\n\t", 1),
        ] {
            let yaml_serde = serde_yaml::from_str::<Value>(&broken).expect_err("invalid YAML");
            assert_eq!(
                check(&broken, &app),
                Err(format!("renders YAML that does not parse: {yaml_serde}")),
                "{broken}"
            );
        }
        // A changed or dropped value.
        let changed =
            manifest.replacen("key: com.example.issue-helper", "key: com.example.other", 1);
        assert_ne!(changed, manifest);
        assert_eq!(
            check(&changed, &app),
            Err("the rendered manifest does not carry the migrated value at $.app.connect.key (a template must not change or drop values)".into())
        );
        let dropped = manifest.replacen("      shouldReloadOnRefresh: true\n", "", 1);
        assert!(check(&dropped, &app).is_err_and(
            |e| e.contains("$.modules.jira:issueViewBackgroundScript[0].shouldReloadOnRefresh")
        ));
        // A template may write other YAML (flow style, an anchor): what it means is checked.
        let flow = manifest.replacen(
            "  runtime:\n    name: nodejs24.x\n",
            "  runtime: &r {name: nodejs24.x}\n",
            1,
        );
        assert_ne!(flow, manifest);
        assert_eq!(check(&flow, &app), Ok(()));
        let flow_changed = flow.replacen("{name: nodejs24.x}", "{name: nodejs22.x}", 1);
        assert!(check(&flow_changed, &app).is_err_and(|e| e.contains("at $.app.runtime.name")));
    }
}
