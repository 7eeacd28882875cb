//! The port stage: find each background script's Connect page in the app's source tree
//! ([`tree`], [`discover`]), render it into its layout ([`render`], one file per template
//! engine), read the result as a browser would and split it into its scripts, stylesheets and
//! inline handlers ([`page`]), find the front-end project or RequireJS modules it runs
//! ([`frontend`]: their sources are analysed with its scripts), and plan the files carried into
//! the Forge Custom UI resource ([`carry`]), where a compatibility layer runs the page's `AP.*` calls on `@forge/bridge`. Pure over a [`tree::SourceTree`]: reading the tree
//! is the one file-system step, done before.
//!
//! A page that cannot be found (or is ambiguous) is not an error: the module gets today's
//! skeleton scaffold and the review says why, with the candidates and the `--page` hint.

pub mod analysis;
pub mod apis;
pub mod carry;
pub mod discover;
pub mod external;
pub mod frontend;
pub mod page;
pub mod project;
pub mod render;
pub mod scopes;
pub mod tree;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use analysis::{Analysis, Endpoint, EventUse, Place, ScriptInput};
use carry::Carried;
use discover::PageLookup;
use page::{Page, Script};
use tree::SourceTree;

/// What the port found and carried for one background script.
#[derive(Debug, Clone, Serialize)]
pub struct ModulePort {
    /// The module's key.
    #[serde(skip)]
    pub key: String,
    /// The page's file, relative to the source root; `None` when none was found.
    pub page: Option<String>,
    /// How the page was found (`option`, `ace-route`, `spring-controller`, `static-file`,
    /// `flask-route`, `django-view`, `go-handler`, `rails-route`, `php-route`, `file-route`,
    /// `front-end`), or why not (`not-found`, `ambiguous`, `no-source`).
    pub found_by: String,
    /// Where the rule matched (`routes/index.js:12`), when a rule did.
    pub route: Option<String>,
    /// The page's scripts as carried (paths under the resource folder), in document order.
    pub scripts: Vec<String>,
    /// The images, icons, fonts and media carried with it (paths under the resource folder);
    /// left out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<String>,
    /// The likeliest pages, when none or several were found; the other views the route renders,
    /// when it renders several.
    pub candidates: Vec<String>,
    /// The carried resource; `None` means the skeleton scaffold.
    #[serde(skip)]
    pub carried: Option<Carried>,
    /// The page as found and split: its rendered HTML and its resolved scripts and stylesheets
    /// (what `migrate --originals` writes); `None` when no page was found.
    #[serde(skip)]
    pub split: Option<Page>,
    /// Every Connect API use, REST request, scope, backend call and event of the page.
    #[serde(flatten)]
    pub analysis: Analysis,
    /// Modules still on Connect that listen to an event this page emits: Forge events do not
    /// reach Connect iframes.
    pub connect_listeners: Vec<ConnectListener>,
    /// What could not be carried as it is, each with its place.
    pub warnings: Vec<Diagnostic>,
    /// What was left out on purpose (Atlassian's `all.js`: the compatibility layer replaces
    /// it), each with its place.
    pub dropped: Vec<Diagnostic>,
}

/// A module still on Connect listening to an event a ported page emits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectListener {
    /// The event's name.
    pub event: String,
    /// The Connect module's key.
    pub module: String,
    /// Where it listens (flattened: `file`, `line`, `column`).
    #[serde(flatten)]
    pub place: Place,
}

/// A module that stays on Connect and has a page (`connectModules` entries with a `url`).
#[derive(Debug, Clone)]
pub struct ConnectPage {
    /// The module's key.
    pub key: String,
    /// The events its page listens to by name.
    pub listens: Vec<EventUse>,
}

/// What the port needs to know of the app besides the module: its Connect scopes (which decide
/// whether admins must approve the new OAuth scopes) and the pages still on Connect.
#[derive(Debug, Clone, Default)]
pub struct AppContext {
    /// The descriptor's Connect scopes (`READ`, `WRITE`, or their Forge `read:connect-jira` form).
    pub connect_scopes: Vec<String>,
    /// The Connect modules' pages, for events that no longer reach them.
    pub connect_pages: Vec<ConnectPage>,
    /// The source tree's folder on disk, where a front-end project the page carries whole is
    /// read from ([`project::read`]); `None`: no project is carried.
    pub root: Option<std::path::PathBuf>,
    /// Folders under `root` never carried (the Forge app's own, when it is inside the tree).
    pub exclude: Vec<std::path::PathBuf>,
    /// The app's own address (the descriptor's `baseUrl`): a page's script or stylesheet named
    /// by an absolute URL below it is the app's file.
    pub base_url: Option<String>,
}

/// The pages of the modules that stay on Connect, as `(key, url)`, found in the tree with the
/// same rules as background pages, each with the events it listens to.
pub fn connect_pages(tree: &SourceTree, modules: &[(String, String)]) -> Vec<ConnectPage> {
    let mut pages = Vec::new();
    for (key, url) in modules {
        let PageLookup::Found(found) = discover::find_page(tree, url) else {
            continue;
        };
        let split = page::split_page(tree, &found, url);
        let fronts = frontend::page::uses(tree, &found, &split);
        let amd = frontend::amd::loaded(tree, &found, url, &split);
        let mut texts = script_texts(tree, &split);
        front_end_texts(tree, &fronts, &amd, &mut texts);
        let inputs: Vec<ScriptInput<'_>> = texts.iter().map(|t| t.input()).collect();
        let (listens, _) = analysis::event_listeners(&inputs);
        pages.push(ConnectPage {
            key: key.clone(),
            listens,
        });
    }
    pages
}

/// A script's text with where it starts in its original file.
struct ScriptText<'a> {
    file: &'a str,
    text: &'a str,
    line: usize,
    column: usize,
}

impl ScriptText<'_> {
    fn input(&self) -> ScriptInput<'_> {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        ScriptInput {
            file: self.file,
            text: self.text,
            line: n(self.line),
            column: n(self.column),
        }
    }
}

/// The page's own scripts, in document order: inline blocks and local files (libraries from a
/// CDN and Atlassian's all.js are not the app's code), then its inline event handlers' code
/// (each that parses as a script by itself).
fn script_texts<'a>(tree: &'a SourceTree, page: &'a Page) -> Vec<ScriptText<'a>> {
    // Handler code with a top-level `return` is no script by itself: not analysed.
    let handlers = page
        .handlers
        .iter()
        .filter(|h| carry::handlers::parses_as_script(&h.code))
        .map(|h| ScriptText {
            file: &h.at.file,
            text: &h.code,
            line: h.at.line,
            column: h.at.column,
        });
    page.scripts
        .iter()
        .filter_map(|s| match s {
            Script::Inline { text, at, .. } => Some(ScriptText {
                file: &at.file,
                text,
                line: at.line,
                column: at.column,
            }),
            Script::Local {
                resolved: Some(r), ..
            } => Some(ScriptText {
                file: &r.path,
                text: tree.get(&r.path)?,
                line: 1,
                column: 1,
            }),
            _ => None,
        })
        .chain(handlers)
        .collect()
}

/// The sources of the front-end projects the page runs and the modules it loads through
/// RequireJS ([`frontend`]), after its own scripts: each file once, in its language.
fn front_end_texts<'a>(
    tree: &'a SourceTree,
    fronts: &'a [frontend::page::Use],
    amd: &'a Option<frontend::amd::Loaded>,
    texts: &mut Vec<ScriptText<'a>>,
) {
    let amd_files = amd.iter().flat_map(|l| l.files.iter());
    for file in fronts
        .iter()
        .flat_map(|u| u.front_end.graph.files.iter())
        .chain(amd_files)
    {
        let Some(text) = tree.get(file) else {
            continue;
        };
        // A file the page loads as a script already; a template's inline blocks and handlers
        // share its name, not its text.
        if texts
            .iter()
            .any(|t| t.file == file.as_str() && t.text == text)
        {
            continue;
        }
        {
            texts.push(ScriptText {
                file,
                text,
                line: 1,
                column: 1,
            });
        }
    }
}

/// ACE's `{{token}}` in an inline script: a Connect JWT put into the page for calls to the app's
/// backend.
fn token_endpoints(texts: &[ScriptText<'_>]) -> Vec<Endpoint> {
    let mut found = Vec::new();
    for t in texts {
        for (offset, _) in t.text.match_indices("{{token}}") {
            let before = &t.text[..offset];
            let line_in = before.matches('\n').count();
            let col_in = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            let (line, column) = match line_in {
                0 => (t.line, t.column + col_in),
                n => (t.line + n, col_in + 1),
            };
            let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
            let place = Place {
                file: t.file.to_string(),
                line: n(line),
                column: n(column),
            };
            found.push(Endpoint::new("{{token}}", None, None, place));
        }
    }
    found
}

/// A relative GET of a file the carry took into the resource (a template or data file the page's
/// code fetches, whose literal now points under `page/`) reads it there: no call to the app's
/// backend, so no endpoint; said as a note instead.
fn fetched_files(
    tree: &SourceTree,
    found: &discover::Found,
    url: &str,
    analysis: &mut Analysis,
    carried: &mut Carried,
) {
    let mut notes = Vec::new();
    analysis.endpoints.retain(|e| {
        let (Some(path), "GET") = (e.path.as_deref(), e.method.as_deref().unwrap_or("GET")) else {
            return true;
        };
        let Some(file) = page::resolve_url(tree, found, url, path) else {
            return true;
        };
        let Some(asset) = carried.assets.iter().find(|a| a.origin == file) else {
            return true;
        };
        notes.push(e.place.warning(format!(
            "{} GET {path} reads {file}, a file of the app's static folder: carried with the resource ({}), where the request finds it; no backend call",
            e.via, asset.path
        )));
        false
    });
    carried.notes.extend(notes);
}

/// Finds and carries the page of the background script `key` served at `url`; `page` is the
/// file `--page KEY=FILE` named (relative to the source root), which wins over discovery.
pub fn port_module(
    tree: &SourceTree,
    key: &str,
    url: &str,
    page: Option<&str>,
    app: &AppContext,
) -> ModulePort {
    let lookup = match page {
        Some(file) => discover::page_from_option(tree, file),
        None => discover::find_page(tree, url),
    };
    let mut port = ModulePort::skeleton(key, "");
    match lookup {
        PageLookup::Found(found) => {
            // A component view has no HTML to split: the carry mounts it.
            let component = carry::component::is_component(&found.file);
            let split = if component {
                page::component_page(tree, &found, url)
            } else {
                page::split_page_of(tree, &found, url, app.base_url.as_deref())
            };
            let fronts = frontend::page::uses(tree, &found, &split);
            // A front-end project carried whole (the one IO of the port: its files are read
            // from disk, not from the tree, which lists only the languages rules read).
            let mut project_warnings = Vec::new();
            let mut project = None;
            if let (Some(mut p), Some(root)) = (project::plan(tree, &fronts, url), &app.root) {
                project_warnings = project::read(root, &mut p, &app.exclude);
                if !p.files.is_empty() {
                    project = Some(p);
                }
            }
            let built: Vec<(String, String)> = project
                .iter()
                .flat_map(|p| p.bundles.iter().map(|b| (b.src.clone(), b.to.clone())))
                .collect();
            let mut carried = carry::carry(&split, tree, &built);
            let mounted = component && {
                let front = fronts
                    .iter()
                    .find(|u| u.bundle.is_none())
                    .map(|u| &u.front_end);
                carry::component::mount(tree, &found, front, app.root.as_deref(), &mut carried)
            };
            let amd = frontend::amd::loaded(tree, &found, url, &split);
            let amd_from_disk = match &amd {
                Some(loaded) => {
                    carry::amd_modules(&mut carried, &split, tree, loaded, app.root.as_deref())
                }
                None => Vec::new(),
            };
            carry::runtime_assets(&mut carried, &split, tree, project.as_mut());
            port.page = Some(found.file.clone());
            port.found_by = found.found_by.as_str().to_string();
            port.route = found.route_file.as_ref().map(|f| match found.route_line {
                Some(l) => format!("{f}:{l}"),
                None => f.clone(),
            });
            port.scripts = carried.scripts.iter().map(|s| s.path.clone()).collect();
            port.assets = carried.assets.iter().map(|a| a.path.clone()).collect();
            // The handler renders other views too: the page is a choice, said as one.
            if !found.others.is_empty() {
                port.candidates = found.others.clone();
            }
            // The carry repeats the split's warnings it passes on: each once.
            port.warnings = split.warnings.clone();
            port.warnings.extend(project_warnings);
            if let Some(project) = project {
                if project.bundles.is_empty() {
                    // The shell's scripts and stylesheets are the project's build's to carry.
                    let scripts_note = |w: &Diagnostic| {
                        w.message
                            .starts_with("a module script is carried as a classic script")
                    };
                    carried
                        .warnings
                        .retain(|w| split.warnings.contains(w) && !scripts_note(w));
                    port.warnings.retain(|w| !scripts_note(w));
                    port.scripts.clear();
                }
                carried.project = Some(project);
            }
            for w in &carried.warnings {
                if !port.warnings.contains(w) {
                    port.warnings.push(w.clone());
                }
            }
            // A mounted component is carried: its project's "not carried" word would be untrue.
            let told: Vec<frontend::page::Use> = fronts
                .iter()
                .filter(|u| !(mounted && u.bundle.is_none()))
                .cloned()
                .collect();
            port.warnings.extend(frontend::page::warnings(
                tree,
                &told,
                carried.project.as_ref(),
            ));
            if let Some(loaded) = &amd {
                port.warnings.extend(frontend::amd::warnings(
                    loaded,
                    &found.file,
                    !carried.amd.is_empty(),
                    &amd_from_disk,
                ));
            }
            for w in &mut port.warnings {
                w.module = Some(key.to_string());
            }
            let mut texts = script_texts(tree, &split);
            // What the page's module scripts import is its code too.
            for origin in carried.imported.iter().filter_map(|f| f.origin.as_deref()) {
                if let Some(text) = tree.get(origin) {
                    texts.push(ScriptText {
                        file: origin,
                        text,
                        line: 1,
                        column: 1,
                    });
                }
            }
            front_end_texts(tree, &fronts, &amd, &mut texts);
            let inputs: Vec<ScriptInput<'_>> = texts.iter().map(|t| t.input()).collect();
            let scopes: Vec<&str> = app.connect_scopes.iter().map(String::as_str).collect();
            let mut analysis = analysis::analyze(&inputs, &scopes);
            for e in token_endpoints(&texts) {
                analysis.add_endpoint(e);
            }
            fetched_files(tree, &found, url, &mut analysis, &mut carried);
            port.warnings.append(&mut analysis.warnings);
            for emit in &analysis.emits {
                for page in &app.connect_pages {
                    for l in page.listens.iter().filter(|l| l.name == emit.name) {
                        port.connect_listeners.push(ConnectListener {
                            event: emit.name.clone(),
                            module: page.key.clone(),
                            place: l.place.clone(),
                        });
                        port.warnings.push(emit.place.warning(format!(
                            "event \"{}\" is emitted here, and the Connect module '{}' listens to it ({}:{}:{}); Forge events never reach a Connect iframe: move that module to Forge too, or share the data another way",
                            emit.name, page.key, l.place.file, l.place.line, l.place.column
                        )));
                    }
                }
            }
            for w in &mut port.warnings {
                w.module = Some(key.to_string());
            }
            if !found.others.is_empty() {
                port.warnings.push(Diagnostic {
                    severity: Severity::Warning,
                    file: found.route_file.clone().unwrap_or_else(|| found.file.clone()),
                    position: found.route_line.map(|line| crate::source::Position { line, column: 1 }),
                    path: None,
                    module: Some(key.to_string()),
                    message: format!(
                        "several pages are rendered by this route: {} was taken as the page (not an error or login view), the others are candidates: {}; pass --page {key}=FILE to choose another",
                        found.file,
                        found.others.join(", ")
                    ),
                });
            }
            port.analysis = analysis;
            port.dropped = carried.notes.clone();
            for d in &mut port.dropped {
                d.module = Some(key.to_string());
            }
            port.carried = Some(carried);
            port.split = Some(split);
        }
        PageLookup::NotFound { candidates } => {
            port.found_by = "not-found".into();
            port.candidates = candidates;
        }
        PageLookup::Ambiguous { candidates } => {
            port.found_by = "ambiguous".into();
            port.candidates = candidates;
        }
    }
    // A limit the walk reached may hide this page or its scripts: said, with where.
    for limit in tree.limits() {
        port.warnings.push(Diagnostic {
            severity: Severity::Warning,
            file: limit.path.clone(),
            position: None,
            path: None,
            module: Some(key.to_string()),
            message: format!(
                "source walk limit reached in {}: {}; a page or script there was not looked for (name the page with --page, or point --source at the app's own folder)",
                limit.path, limit.what
            ),
        });
    }
    port
}

/// The port of a module whose page was not looked for (the descriptor came from stdin and no
/// `--source` was given).
pub fn not_looked_for(key: &str) -> ModulePort {
    ModulePort::skeleton(key, "no-source")
}

impl ModulePort {
    /// A module with nothing carried (yet): the skeleton scaffold, for the reason `found_by`.
    fn skeleton(key: &str, found_by: &str) -> Self {
        Self {
            key: key.to_string(),
            page: None,
            found_by: found_by.to_string(),
            route: None,
            scripts: Vec::new(),
            assets: Vec::new(),
            candidates: Vec::new(),
            carried: None,
            split: None,
            analysis: Analysis::default(),
            connect_listeners: Vec::new(),
            dropped: Vec::new(),
            warnings: Vec::new(),
        }
    }
}
