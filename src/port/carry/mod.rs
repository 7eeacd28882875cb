//! The files a split page becomes in the Forge Custom UI resource (`static/<res>/`), per the
//! ported resource layout: `index.html` with the page's stylesheet links and body HTML, then
//! `main.js` (bridge, compatibility layer, npm libraries), then one classic script per carried
//! script in document order; the carried files under `page/`.
//!
//! Guarantees: deterministic (same page, same files, same order); no inline script or inline
//! event handler in `index.html` (Forge's content security policy forbids them: inline blocks
//! become `page/<page-stem>.inline-<n>.js`, handlers `page/<page-stem>.handlers.js`); every
//! value the tool puts into `index.html` that is not the user's own HTML is HTML-escaped;
//! external scripts and stylesheets keep their `integrity` and `crossorigin`; nothing the page
//! names is fatal — a missing file is a warning with its place. Every script and stylesheet the
//! page loads is carried, or named with the reason. After carrying, `index.html` is read back
//! with the same HTML5 tokenizer (`check`): that it loads `./main.js` and every carried
//! script, in order, is checked, never assumed.

mod amd;
pub mod assets;
mod check;
pub mod component;
pub(crate) mod handlers;
pub mod modules;

use std::collections::BTreeMap;

pub use amd::amd_modules;

use super::page::{Location, Page, Script, Stylesheet};
use super::tree::SourceTree;
use crate::diagnostics::Diagnostic;
use crate::port::external::unlistable;

/// One file carried under `static/<res>/`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CarriedFile {
    /// Path relative to `static/<res>/` (`page/js/sla.js`).
    pub path: String,
    /// The file's text.
    pub content: String,
    /// The source file it was copied from verbatim, `None` for a file the tool wrote (an inline
    /// block extracted, a style sheet whose `url(...)`s were pointed at the carried assets).
    pub origin: Option<String>,
    /// Number of lines of `content`.
    pub lines: usize,
}

/// The page's carried resource.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Carried {
    /// `static/<res>/index.html`.
    pub index_html: String,
    /// Carried scripts (local files and extracted inline blocks), each once, in document order.
    pub scripts: Vec<CarriedFile>,
    /// Carried stylesheets, each once, in document order.
    pub stylesheets: Vec<CarriedFile>,
    /// npm packages bundled for CDN libraries: package → exact version.
    pub npm_dependencies: BTreeMap<String, String>,
    /// `(global, package)`: what `src/main.js` exposes (`("$", "jquery")`), in page order.
    pub globals: Vec<(String, String)>,
    /// External script URLs kept: each needs a `permissions.external.scripts` entry.
    pub external_scripts: Vec<String>,
    /// External stylesheet URLs kept: each needs a `permissions.external.styles` entry.
    pub external_styles: Vec<String>,
    /// Binary assets (images, icons, fonts, media) carried under `page/`, each once.
    pub assets: Vec<assets::CarriedAsset>,
    /// Origins (`https://host`) of the images the page loads from other hosts:
    /// `permissions.external.images`.
    pub external_images: Vec<String>,
    /// Origins of the fonts its style sheets load from other hosts: `permissions.external.fonts`.
    pub external_fonts: Vec<String>,
    /// Origins of the audio and video it loads from other hosts: `permissions.external.media`.
    pub external_media: Vec<String>,
    /// What was deliberately left out (all.js), each with its place.
    pub notes: Vec<Diagnostic>,
    /// The page's module scripts (`<script type="module">`): each entry's carried path and,
    /// for an inline one, the page URL's folder its relative imports resolve against; the
    /// resource's build bundles each with its local imports ([`modules`]).
    pub modules: Vec<modules::ModuleEntry>,
    /// The local files the module scripts import (carried under `page/` at their URL paths, for
    /// the build to bundle; not loaded by `index.html` themselves).
    pub imported: Vec<CarriedFile>,
    /// The modules the page loads through RequireJS, carried under `page/` at their URL paths
    /// for the loader to fetch at run time, and the script mapping its URLs there
    /// ([`amd_modules`]).
    pub amd: Vec<CarriedFile>,
    /// The front-end project carried whole, when the page is its shell: the resource's build
    /// makes the page from it ([`crate::port::project`]).
    pub project: Option<crate::port::project::Project>,
    /// What could not be carried as it was (the page's own warnings first), each with its place.
    pub warnings: Vec<Diagnostic>,
}

/// What is carried already, by carried path → its source, so a file is carried once and never
/// over another.
fn taken_of(c: &Carried) -> BTreeMap<String, String> {
    c.scripts
        .iter()
        .chain(&c.stylesheets)
        .chain(&c.imported)
        .chain(&c.amd)
        .map(|f| {
            (
                f.path.clone(),
                f.origin.clone().unwrap_or_else(|| f.path.clone()),
            )
        })
        .chain(c.assets.iter().map(|a| (a.path.clone(), a.origin.clone())))
        .collect()
}

/// The images, icons, fonts and media the page's scripts name at run time — in their own string
/// literals, not in the markup — carried under `page/` as the markup's are, and those literals
/// pointed there (`assets::State::script`): in the page's carried scripts and module files,
/// and in the sources of a front-end project whose build makes the scripts the page loads. A
/// shell's project is left to its own build (its `public/` folder is its builder's to copy).
pub fn runtime_assets(
    c: &mut Carried,
    page: &Page,
    tree: &SourceTree,
    project: Option<&mut crate::port::project::Project>,
) {
    let mut state = assets::State {
        tree,
        roots: page.roots.clone(),
        total: c.assets.iter().map(|a| a.size as u64).sum(),
    };
    let mut taken = taken_of(c);
    // Each list, whether a rewritten file is shown whole in the review (a carried script: it is no
    // longer the source file as it is) and whether only files with a source are read (a module
    // file and an AMD module keep their origin, where the analysis reads them; the RequireJS
    // hook, without one, is the tool's own).
    type List = fn(&mut Carried) -> &mut Vec<CarriedFile>;
    let lists: [(List, bool, bool); 3] = [
        (|c| &mut c.scripts, true, false),
        (|c| &mut c.imported, false, false),
        (|c| &mut c.amd, false, true),
    ];
    for (list, shown_whole, sources_only) in lists {
        let mut files = std::mem::take(list(c));
        for f in files.iter_mut() {
            if sources_only && f.origin.is_none() {
                continue;
            }
            let file = f.origin.clone().unwrap_or_else(|| f.path.clone());
            let base = page.base.clone();
            if let Some(text) = state.script(&file, &f.content, &page.url, base, c, &mut taken) {
                f.lines = text.lines().count();
                f.content = text;
                if shown_whole {
                    f.origin = None;
                }
            }
        }
        *list(c) = files;
    }
    let Some(project) = project.filter(|p| !p.bundles.is_empty()) else {
        return;
    };
    for f in &mut project.files {
        let Some(text) = &f.text else { continue };
        if !crate::port::frontend::graph::is_source(&f.path) || is_test_file(&f.path) {
            continue;
        }
        if let Some(new) = state.script(&f.path, text, &page.url, page.base.clone(), c, &mut taken)
        {
            f.text = Some(new);
        }
    }
}

/// A test, story or mock of a front-end project: not code a page runs.
fn is_test_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.split('/').any(|d| {
        matches!(
            d,
            "test" | "tests" | "__tests__" | "__mocks__" | "stories" | "cypress" | "e2e"
        )
    }) || [".test.", ".spec.", ".stories."]
        .iter()
        .any(|m| name.contains(m))
}

/// Why a local URL found no file: a file of that name the tree skipped (too big, not UTF-8, …)
/// is named with its reason, since "not in the source tree" would mislead.
fn not_read(tree: &SourceTree, url: &str) -> String {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .trim_start_matches('/');
    let all = tree.skipped();
    let skipped = all
        .iter()
        .find(|s| !path.is_empty() && (s.path == path || s.path.ends_with(&format!("/{path}"))));
    let served = path
        .split('/')
        .find(|seg| crate::port::tree::SERVED_DEPENDENCY_DIRS.contains(seg));
    match (skipped, served) {
        (Some(s), _) => format!(
            "was not read: {} is in the source tree but skipped ({})",
            escape_message(&s.path),
            escape_message(&s.reason)
        ),
        (None, Some(dir)) => format!(
            "is not in the source tree: {dir}/ is a dependency folder that is not installed here (run `bower install` in the app, then migrate again)"
        ),
        (None, None) => "is not in the source tree".to_string(),
    }
}

/// The carried resource of a split page; `tree` holds the local files the page names; `built`
/// maps a script URL the page loads that a carried front-end project's build writes to where
/// the resource's build puts it (`/js/x.js` → `page/js/x.js`).
pub fn carry(page: &Page, tree: &SourceTree, built: &[(String, String)]) -> Carried {
    let stem = page_stem(&page.file);
    let mut c = Carried {
        index_html: String::new(),
        scripts: Vec::new(),
        stylesheets: Vec::new(),
        npm_dependencies: BTreeMap::new(),
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
        warnings: page.warnings.clone(),
    };
    let mut state = assets::State {
        tree,
        roots: page.roots.clone(),
        total: 0,
    };
    // Carried path → where it came from, so two sources never write one file.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut head = Vec::new();
    // What the page loads that is not carried, for the summary warning.
    let mut missing: Vec<String> = Vec::new();
    let mut inline_css = 0;
    for s in &page.stylesheets {
        match s {
            Stylesheet::Local {
                resolved: Some(r),
                at,
                ..
            } => {
                let path = format!("page/{}", r.static_path);
                let claim = claim(&mut taken, &mut c.warnings, &path, &r.path, at);
                if claim == Claim::New {
                    let text = tree.get(&r.path).unwrap_or("");
                    let place = |offset: usize| assets::locate(&r.path, text, offset);
                    // Its url(...)s carried; those that no longer name their file rewritten.
                    let (content, origin) = match state.stylesheet(
                        text,
                        &path,
                        &r.url_path,
                        None,
                        &place,
                        &mut c,
                        &mut taken,
                        0,
                    ) {
                        Some(rewritten) => (rewritten, None),
                        None => (text.to_string(), Some(r.path.clone())),
                    };
                    c.stylesheets.push(file(&path, content, origin));
                }
                if claim != Claim::Conflict {
                    head.push(format!(
                        "    <link rel=\"stylesheet\" href=\"./{}\">",
                        escape(&path)
                    ));
                }
            }
            Stylesheet::Local {
                href,
                resolved: None,
                refused,
                at,
            } => {
                let why = match refused {
                    Some(r) => format!("is refused: {}", escape_message(r)),
                    None => not_read(tree, href),
                };
                c.warnings.push(at.warning(format!(
                    "stylesheet \"{}\" {why}: not carried",
                    escape_message(href)
                )));
                missing.push(escape_message(href));
            }
            Stylesheet::External { url, kept, at } => {
                if let Some(why) = unlistable(url) {
                    c.warnings
                        .push(at.warning(not_listed("stylesheet", url, why)));
                } else if !c.external_styles.contains(url) {
                    c.external_styles.push(url.clone());
                    c.warnings.push(at.warning(format!(
                        "external stylesheet {} is kept: manifest.yml's permissions.external.styles lists it (or bundle a copy with the resource)",
                        escape_message(url)
                    )));
                }
                head.push(format!(
                    "    <link rel=\"stylesheet\" href=\"{}\"{}>",
                    escape(url),
                    attributes(kept)
                ));
            }
            Stylesheet::Inline { text, at } => {
                inline_css += 1;
                let path = format!("page/{stem}.inline-{inline_css}.css");
                if claim(
                    &mut taken,
                    &mut c.warnings,
                    &path,
                    &format!("<style> at {}:{}", at.file, at.line),
                    at,
                ) == Claim::New
                {
                    let place = |offset: usize| assets::shifted(at, text, offset);
                    let text = state
                        .stylesheet(
                            text,
                            &path,
                            &page.url,
                            page.base.clone(),
                            &place,
                            &mut c,
                            &mut taken,
                            0,
                        )
                        .unwrap_or_else(|| text.clone());
                    c.stylesheets.push(file(&path, with_newline(&text), None));
                    head.push(format!(
                        "    <link rel=\"stylesheet\" href=\"./{}\">",
                        escape(&path)
                    ));
                }
            }
        }
    }

    let mut tail = vec!["    <script src=\"./main.js\"></script>".to_string()];
    let mut loads = vec!["./main.js".to_string()];
    let (handlers_js, handler_warnings) = handlers::handlers_script(&page.handlers);
    c.warnings.extend(handler_warnings);
    if let Some(js) = handlers_js {
        let path = format!("page/{stem}.handlers.js");
        c.scripts.push(file(&path, js, None));
        tail.push(script_tag(&format!("./{path}"), &[], None));
        loads.push(format!("./{path}"));
    }
    let mut inline_js = 0;
    let mut carried_before_cdn = false;
    let mut graph = modules::Graph::default();
    for (i, s) in page.scripts.iter().enumerate() {
        let module = page.module_scripts.contains(&i);
        match s {
            Script::Inline { text, kept, at } => {
                inline_js += 1;
                let path = format!("page/{stem}.inline-{inline_js}.js");
                if claim(&mut taken, &mut c.warnings, &path, &format!("<script> at {}:{}", at.file, at.line), at) == Claim::New {
                    c.scripts.push(file(&path, with_newline(text), None));
                    if module {
                        let base = modules::url_folder(&page.url);
                        graph.entry(&mut c, tree, page, (&at.file, text, (at.line, at.column)), None, &base, &path);
                        tail.push(module_tag(&format!("./{path}")));
                    } else {
                        tail.push(script_tag(&format!("./{path}"), kept, None));
                    }
                    loads.push(format!("./{path}"));
                    carried_before_cdn = true;
                }
            }
            Script::Local { resolved: Some(r), at, handlers, .. } => {
                let path = format!("page/{}", r.static_path);
                let claim = claim(&mut taken, &mut c.warnings, &path, &r.path, at);
                if claim == Claim::New {
                    c.scripts.push(file(&path, tree.get(&r.path).unwrap_or("").to_string(), Some(r.path.clone())));
                    if module {
                        let text = tree.get(&r.path).unwrap_or("");
                        graph.entry(&mut c, tree, page, (&r.path, text, (1, 1)), Some(r), "", &path);
                    }
                }
                // A script included twice runs twice, as in the original page.
                if claim != Claim::Conflict && module {
                    let built = modules::built_path(&path);
                    tail.push(module_tag(&format!("./{built}")));
                    loads.push(format!("./{built}"));
                    carried_before_cdn = true;
                } else if claim != Claim::Conflict {
                    tail.push(script_tag(&format!("./{path}"), &[], *handlers));
                    loads.push(format!("./{path}"));
                    carried_before_cdn = true;
                } else {
                    missing.push(r.path.clone());
                }
            }
            Script::Local { src, resolved: None, refused: None, handlers, .. }
                if built.iter().any(|(s, _)| s == src) =>
            {
                // The carried project's build writes it there (scripts/build.mjs).
                let to = built.iter().find(|(s, _)| s == src).map_or("", |(_, t)| t.as_str());
                tail.push(script_tag(&format!("./{to}"), &[], *handlers));
                loads.push(format!("./{to}"));
                carried_before_cdn = true;
            }
            Script::Local { src, resolved: None, refused, at, .. } => {
                let why = match refused {
                    Some(r) => format!("is refused: {}", escape_message(r)),
                    None => format!("{} (add it under page/ and to index.html by hand, or pass --source)", not_read(tree, src)),
                };
                c.warnings.push(at.warning(format!(
                    "script \"{}\" {why}: not carried",
                    escape_message(src)
                )));
                missing.push(escape_message(src));
            }
            Script::AllJs { at, .. } => c.notes.push(at.warning(
                "Atlassian's all.js is dropped: the compatibility layer (src/connect-compat.js) provides window.AP",
            )),
            Script::Cdn { package, version, globals, src, at } => {
                match c.npm_dependencies.get(package) {
                    Some(v) if v != version => c.warnings.push(at.warning(format!(
                        "{package} is loaded twice, at {v} and at {version}: {v} is bundled"
                    ))),
                    Some(_) => {}
                    None => {
                        c.npm_dependencies.insert(package.clone(), version.clone());
                        for g in globals {
                            if !c.globals.iter().any(|(have, _)| have == g) {
                                c.globals.push((g.clone(), package.clone()));
                            }
                        }
                    }
                }
                if carried_before_cdn {
                    c.warnings.push(at.warning(format!(
                        "{} ({package}) is bundled into main.js, which runs before the page's scripts: it now loads earlier than in the original page",
                        escape_message(src)
                    )));
                }
            }
            Script::External { url, kept, handlers, at } => {
                if let Some(why) = unlistable(url) {
                    c.warnings.push(at.warning(not_listed("script", url, why)));
                } else if !c.external_scripts.contains(url) {
                    c.external_scripts.push(url.clone());
                    c.warnings.push(at.warning(format!(
                        "external script {} is kept: manifest.yml's permissions.external.scripts lists it, and a page that depends on it works only while that host serves it",
                        escape_message(url)
                    )));
                }
                tail.push(script_tag(url, kept, *handlers));
                loads.push(url.clone());
                carried_before_cdn = true;
            }
        }
    }

    state.markup(page, &mut c, &mut taken);
    head.extend(page.head_links.iter().cloned());
    c.notes.extend(page.dropped.iter().cloned());
    let mut html = format!(
        "<!DOCTYPE html>\n<html{}>\n  <head>\n    <meta charset=\"utf-8\">\n",
        user_attributes(&page.html_attrs, &mut c.warnings, &page.file)
    );
    for line in &head {
        html.push_str(line);
        html.push('\n');
    }
    html.push_str(&format!(
        "  </head>\n  <body{}>\n",
        user_attributes(&page.body_attrs, &mut c.warnings, &page.file)
    ));
    let body = page.body_html.trim_matches(['\n', '\r']);
    if !body.trim().is_empty() {
        html.push_str(&super::page::html::safe_to_append(body));
        html.push('\n');
    }
    for line in &tail {
        html.push_str(line);
        html.push('\n');
    }
    html.push_str("  </body>\n</html>\n");
    if !missing.is_empty() {
        let at = Location {
            file: page.file.clone(),
            line: 1,
            column: 1,
        };
        c.warnings.push(at.warning(format!(
            "the page loads {} script(s) and stylesheet(s) that are not carried (each named above with the reason): {}",
            missing.len(),
            missing.join(", ")
        )));
    }
    if let Some(w) = check::loads_what_it_should(&html, &loads, &page.file) {
        c.warnings.push(w);
    }
    c.index_html = html;
    c
}

/// ` name="value"` for each of the user's `<html>`/`<body>` attributes (values escaped; a name
/// HTML would not read back as one attribute is left out, with a warning).
fn user_attributes(
    attrs: &[(String, String)],
    warnings: &mut Vec<Diagnostic>,
    file: &str,
) -> String {
    let mut out = String::new();
    for (n, v) in attrs {
        let plain = !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
        if plain {
            out.push_str(&format!(" {n}=\"{}\"", escape(v)));
        } else {
            warnings.push(
                Location {
                    file: file.to_string(),
                    line: 1,
                    column: 1,
                }
                .warning(format!(
                    "attribute \"{}\" of <html>/<body> is not a plain name: left out of index.html",
                    escape_message(n)
                )),
            );
        }
    }
    out
}

/// ` name="value"` for attributes the tool keeps (names from its own list).
fn attributes(kept: &[(String, String)]) -> String {
    kept.iter()
        .map(|(n, v)| format!(" {n}=\"{}\"", escape(v)))
        .collect()
}

#[derive(PartialEq, Eq)]
enum Claim {
    /// First use of the path.
    New,
    /// Already carried from the same source.
    Same,
    /// Already carried from another source (warned).
    Conflict,
}

/// Reserves a carried path for `origin`, so two sources never write one file.
fn claim(
    taken: &mut BTreeMap<String, String>,
    warnings: &mut Vec<Diagnostic>,
    path: &str,
    origin: &str,
    at: &Location,
) -> Claim {
    match taken.get(path) {
        Some(o) if o == origin => Claim::Same,
        Some(o) => {
            warnings.push(at.warning(format!(
                "{path} would be carried from both {o} and {origin}: the second is not carried"
            )));
            Claim::Conflict
        }
        None => {
            taken.insert(path.to_string(), origin.to_string());
            Claim::New
        }
    }
}

/// `views/sla-watcher.hbs` → `sla-watcher`, reduced to characters safe in a file name.
pub fn page_stem(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.split('.').next().unwrap_or(name);
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if safe.is_empty() {
        "page".into()
    } else {
        safe
    }
}

fn file(path: &str, content: String, origin: Option<String>) -> CarriedFile {
    let lines = content.lines().count();
    CarriedFile {
        path: path.to_string(),
        content,
        origin,
        lines,
    }
}

fn with_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

/// A module script's tag (its `src` escaped).
fn module_tag(src: &str) -> String {
    format!(
        "    <script type=\"module\" src=\"{}\"></script>",
        escape(src)
    )
}

fn script_tag(src: &str, kept: &[(String, String)], handlers: Option<u32>) -> String {
    let marker = handlers.map_or(String::new(), |n| format!(" data-connect2forge-on=\"{n}\""));
    format!(
        "    <script src=\"{}\"{}{marker}></script>",
        escape(src),
        attributes(kept)
    )
}

/// HTML escaping for text and attribute values (as Handlebars' `{{x}}` does).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '`' => out.push_str("&#x60;"),
            '=' => out.push_str("&#x3D;"),
            c => out.push(c),
        }
    }
    out
}

/// The warning for an external `what` (`script`, `stylesheet`, `image`…) at `url` that Forge's
/// manifest cannot list ([`unlistable`]): it stays in the page, and is not loaded on Forge.
pub(crate) fn not_listed(what: &str, url: &str, why: &str) -> String {
    format!(
        "external {what} {} cannot be listed in manifest.yml's permissions.external: {why}; the page asks for it and Forge does not load it: serve it over https from a public host, or carry a copy into the resource",
        escape_message(url)
    )
}

/// A value for a message: on one line, at most 80 characters.
fn escape_message(s: &str) -> String {
    let one: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one.chars().count() > 80 {
        format!("{}…", one.chars().take(80).collect::<String>())
    } else {
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::port::discover::{Found, FoundBy};
    use crate::port::page::split_page;

    fn carried(files: &[(&str, &str)], page: &str, url: &str) -> Carried {
        let tree = SourceTree::from_files(files.iter().copied());
        let found = Found::new(page, FoundBy::StaticFile);
        carry(&split_page(&tree, &found, url), &tree, &[])
    }

    /// An inline script's `id` and `data-*` attributes stay on the tag that loads its carried
    /// file: the script reads them (`getElementById('loader').getAttribute('data-options')`), and
    /// without them it threw a TypeError before setting what the page's other scripts use.
    #[test]
    fn an_inline_scripts_id_and_data_attributes_stay_on_its_tag() {
        let html = "<body><script id=\"loader\" data-options=\"a&quot;b\" type=\"text/javascript\" DATA-X=\"1\">window.base = document.getElementById('loader').getAttribute('data-options');</script></body>";
        let c = carried(&[("public/bg.html", html)], "public/bg.html", "/bg");
        assert!(
            c.index_html.contains(
                "<script src=\"./page/bg.inline-1.js\" id=\"loader\" data-options=\"a&quot;b\" data-x=\"1\"></script>"
            ),
            "{}",
            c.index_html
        );
    }

    #[test]
    fn index_html_lists_scripts_in_document_order() {
        let html = "<head><link rel=stylesheet href=/css/a.css><script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script><script src=\"https://connect-cdn.atl-paas.net/all.js\"></script></head><body><p>hi</p><script>var a = 1</script><script src=\"/js/b.js\"></script><script>a++</script><script src=\"/js/missing.js\"></script></body>";
        let c = carried(
            &[
                ("public/bg.html", html),
                ("public/js/b.js", "b()\n"),
                ("public/css/a.css", "p{}"),
            ],
            "public/bg.html",
            "/bg",
        );
        assert_eq!(
            c.index_html,
            "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n    <link rel=\"stylesheet\" href=\"./page/css/a.css\">\n  </head>\n  <body>\n<p>hi</p>\n    <script src=\"./main.js\"></script>\n    <script src=\"./page/bg.inline-1.js\"></script>\n    <script src=\"./page/js/b.js\"></script>\n    <script src=\"./page/bg.inline-2.js\"></script>\n  </body>\n</html>\n"
        );
        let paths: Vec<_> = c
            .scripts
            .iter()
            .map(|f| (f.path.as_str(), f.origin.as_deref(), f.lines))
            .collect();
        assert_eq!(
            paths,
            [
                ("page/bg.inline-1.js", None, 1),
                ("page/js/b.js", Some("public/js/b.js"), 1),
                ("page/bg.inline-2.js", None, 1)
            ]
        );
        assert_eq!(
            c.npm_dependencies.get("jquery").map(String::as_str),
            Some("3.7.1")
        );
        assert_eq!(
            c.globals,
            [
                ("$".to_string(), "jquery".to_string()),
                ("jQuery".to_string(), "jquery".to_string())
            ]
        );
        assert_eq!(c.notes.len(), 1);
        let missing = c
            .warnings
            .iter()
            .find(|w| w.message.contains("missing.js"))
            .unwrap();
        assert_eq!(
            missing.position.unwrap().column,
            html.find("<script src=\"/js/missing").unwrap() + 1
        );
    }

    #[test]
    fn external_urls_are_escaped_and_listed() {
        let c = carried(
            &[(
                "p.html",
                "<script src='https://x.example/a.js?a=1&b=\"2\"'></script>",
            )],
            "p.html",
            "/p",
        );
        assert_eq!(c.external_scripts, ["https://x.example/a.js?a=1&b=\"2\""]);
        assert!(c.index_html.contains(
            "<script src=\"https://x.example/a.js?a&#x3D;1&amp;b&#x3D;&quot;2&quot;\"></script>"
        ));
        assert!(c
            .warnings
            .iter()
            .any(|w| w.message.contains("permissions.external.scripts")));
    }

    #[test]
    fn a_script_included_twice_is_one_file_two_tags() {
        let c = carried(
            &[
                (
                    "p.html",
                    "<script src=a.js></script><script src=a.js></script>",
                ),
                ("a.js", "x"),
            ],
            "p.html",
            "/p",
        );
        assert_eq!(c.scripts.len(), 1);
        assert_eq!(c.index_html.matches("./page/a.js").count(), 2);
    }

    fn carried_tree(tree: SourceTree, page: &str, url: &str, by: FoundBy) -> Carried {
        let found = Found::new(page, by);
        carry(&split_page(&tree, &found, url), &tree, &[])
    }

    fn messages(c: &Carried) -> Vec<(usize, usize, String)> {
        c.warnings
            .iter()
            .map(|w| {
                let p = w.position.unwrap();
                (p.line, p.column, w.message.clone())
            })
            .collect()
    }

    #[test]
    fn images_a_script_names_at_run_time_are_carried_and_its_literals_pointed_at_them() {
        // A page served at /admin/panel: its script sets an image by an absolute path, one by
        // a path relative to the page (the document's folder, /admin/), a set of icons by a
        // template literal's ends, and names strings that are no asset it serves.
        let page = "<html><body><script src=\"/js/app.js\"></script></body></html>";
        let script = "var a = '/images/cinema.png';\n\
                      var b = \"icons/flag.svg?v=2\";\n\
                      var c = `icons/macro-${kind}-01.svg`;\n\
                      var d = '/images/gone.png', e = 'https://cdn.example.com/x.png';\n\
                      var f = require('./img/bundled.png');\n";
        let tree =
            SourceTree::from_files([("views/panel.html", page), ("public/js/app.js", script)])
                .with_asset("public/images/cinema.png", [1u8])
                .with_asset("public/admin/icons/flag.svg", [2u8])
                .with_asset("public/admin/icons/macro-class-01.svg", [3u8])
                .with_asset("public/admin/icons/macro-concept-01.svg", [4u8])
                .with_asset("public/admin/icons/macro-concept-02.svg", [5u8])
                .with_asset("public/admin/icons/.macro-hidden-01.svg", [6u8]);
        let found = Found::new("views/panel.html", FoundBy::AceRoute);
        let split = split_page(&tree, &found, "/admin/panel");
        let mut c = carry(&split, &tree, &[]);
        assert!(c.assets.is_empty(), "the markup names no image");
        runtime_assets(&mut c, &split, &tree, None);
        let carried: Vec<_> = c
            .assets
            .iter()
            .map(|a| (a.path.as_str(), a.origin.as_str()))
            .collect();
        assert_eq!(
            carried,
            [
                ("page/images/cinema.png", "public/images/cinema.png"),
                ("page/admin/icons/flag.svg", "public/admin/icons/flag.svg"),
                (
                    "page/admin/icons/macro-class-01.svg",
                    "public/admin/icons/macro-class-01.svg"
                ),
                (
                    "page/admin/icons/macro-concept-01.svg",
                    "public/admin/icons/macro-concept-01.svg"
                ),
            ]
        );
        let app = c
            .scripts
            .iter()
            .find(|f| f.path == "page/js/app.js")
            .unwrap();
        assert_eq!(
            app.content,
            "var a = './page/images/cinema.png';\n\
             var b = \"./page/admin/icons/flag.svg?v=2\";\n\
             var c = `./page/admin/icons/macro-${kind}-01.svg`;\n\
             var d = '/images/gone.png', e = 'https://cdn.example.com/x.png';\n\
             var f = require('./img/bundled.png');\n"
        );
        assert_eq!(
            app.origin, None,
            "the review shows the rewritten script whole"
        );
        assert_eq!(app.lines, 5);
        // Run again over the carried result: nothing more is carried or changed.
        let before = c.clone();
        runtime_assets(&mut c, &split, &tree, None);
        assert_eq!(c, before);
    }

    #[test]
    fn a_template_literal_matching_too_many_files_carries_the_first_and_names_the_rest() {
        let page = "<html><body><script>\nshow(`/img/${n}.png`)\n</script></body></html>";
        let mut tree = SourceTree::from_files([("views/p.html", page)]);
        for n in 0..=assets::MAX_TEMPLATE_ASSETS {
            tree = tree.with_asset(&format!("public/img/{n:03}.png"), [1u8]);
        }
        let found = Found::new("views/p.html", FoundBy::AceRoute);
        let split = split_page(&tree, &found, "/p");
        let mut c = carry(&split, &tree, &[]);
        runtime_assets(&mut c, &split, &tree, None);
        assert_eq!(c.assets.len(), assets::MAX_TEMPLATE_ASSETS);
        assert_eq!(c.assets[0].path, "page/img/000.png");
        let w = c
            .warnings
            .iter()
            .find(|w| w.message.contains("built at run time"))
            .unwrap_or_else(|| panic!("{:?}", c.warnings));
        assert!(
            w.message.contains("public/img/064.png first"),
            "{}",
            w.message
        );
        assert!(
            w.message.contains("a file its resource lacks"),
            "{}",
            w.message
        );
        let inline = c.scripts.iter().find(|f| f.path.ends_with(".js")).unwrap();
        assert!(
            inline.content.contains("show(`./page/img/${n}.png`)"),
            "{}",
            inline.content
        );
    }

    #[test]
    fn assets_resolve_as_scripts_do_and_what_is_not_carried_is_named_at_its_place() {
        // An ACE view in its layout: `{{furl}}`, a relative URL against the module URL, a
        // `<style>` of the view whose url() is on its 3rd line, a build output, a secret.
        let layout = "<html><head><link rel=\"shortcut icon\" href=\"{{furl '/img/fav.ico'}}\"></head><body>{{{body}}}</body></html>";
        let view = "{{!< layout}}\n<img src=\"img/a.png\"><img src=\"/build/b.png\">\n<style>\np{}\nh1{background:url('/img/.hidden.png')}\n</style>\n<video poster=\"/img/p.webp\" src=\"/media/clip.mp4\"></video>";
        let tree = SourceTree::from_files([("views/layout.hbs", layout), ("views/bg.hbs", view)])
            .with_asset("public/img/fav.ico", [0u8, 0, 1, 0])
            .with_asset("public/bg/img/a.png", [1u8])
            .with_asset("public/img/p.webp", [2u8])
            .with_asset("public/media/clip.mp4", [3u8]);
        let c = carried_tree(tree, "views/bg.hbs", "/bg/sla", FoundBy::AceRoute);
        let paths: Vec<_> = c
            .assets
            .iter()
            .map(|a| (a.path.as_str(), a.origin.as_str(), a.bytes.clone()))
            .collect();
        assert_eq!(
            paths,
            [
                ("page/img/fav.ico", "public/img/fav.ico", vec![0, 0, 1, 0]),
                ("page/bg/img/a.png", "public/bg/img/a.png", vec![1]),
                ("page/img/p.webp", "public/img/p.webp", vec![2]),
                ("page/media/clip.mp4", "public/media/clip.mp4", vec![3]),
            ]
        );
        assert!(c
            .index_html
            .contains("<link rel=\"shortcut icon\" href=\"./page/img/fav.ico\">"));
        assert!(c.index_html.contains("<img src=\"./page/bg/img/a.png\">"));
        assert!(c
            .index_html
            .contains("<video poster=\"./page/img/p.webp\" src=\"./page/media/clip.mp4\">"));
        let ws = messages(&c);
        let build = ws.iter().find(|w| w.2.contains("/build/b.png")).unwrap();
        assert_eq!((build.0, build.1), (2, 32));
        assert!(
            build.2.contains("is under build/, a build output"),
            "{ws:?}"
        );
        let hidden = ws.iter().find(|w| w.2.contains(".hidden.png")).unwrap();
        assert_eq!((hidden.0, hidden.1), (5, 15), "{ws:?}");
        assert!(hidden.2.contains("is refused") && hidden.2.contains("a file its resource lacks"));
    }

    #[test]
    fn stylesheets_rewrite_only_the_urls_that_no_longer_name_their_file_and_imports_are_carried() {
        // Django: /static/ from an app's static/ folder; the stylesheet imports another.
        let html = "<html><head><link rel=stylesheet href=\"{% static 'css/app.css' %}\"></head><body><img srcset=\"{% static 'img/a.png' %} 1x, data:image/png;base64,AA 2x\"></body></html>";
        let app_css = "@import \"parts/fonts.css\";\n.a{background:url(/static/img/a.png)} .b{background:url(../img/a.png)} .c{background:url(https://cdn.example.com/x.png)}";
        let fonts_css = "@font-face{src:url(../../fonts/f.woff2),url(//fonts.example.com/f.woff)}";
        let tree = SourceTree::from_files([
            ("shop/templates/p.html", html),
            ("shop/views.py", "render(request, 'p.html')"),
            ("shop/static/css/app.css", app_css),
            ("shop/static/css/parts/fonts.css", fonts_css),
        ])
        .with_asset("shop/static/img/a.png", [9u8])
        .with_asset("shop/static/fonts/f.woff2", [8u8]);
        let c = carried_tree(tree, "shop/templates/p.html", "/p", FoundBy::DjangoView);
        let assets: Vec<_> = c.assets.iter().map(|a| a.path.as_str()).collect();
        assert_eq!(
            assets,
            ["page/fonts/f.woff2", "page/img/a.png"],
            "{:?}",
            messages(&c)
        );
        let css: Vec<_> = c
            .stylesheets
            .iter()
            .map(|f| (f.path.as_str(), f.content.as_str(), f.origin.as_deref()))
            .collect();
        assert_eq!(
            css,
            [
                ("page/css/parts/fonts.css", fonts_css, Some("shop/static/css/parts/fonts.css")),
                (
                    "page/css/app.css",
                    "@import \"parts/fonts.css\";\n.a{background:url(\"../img/a.png\")} .b{background:url(../img/a.png)} .c{background:url(https://cdn.example.com/x.png)}",
                    None
                ),
            ]
        );
        assert!(c
            .index_html
            .contains("srcset=\"./page/img/a.png 1x, data:image/png;base64,AA 2x\""));
        assert_eq!(c.external_images, ["https://cdn.example.com"]);
        assert_eq!(c.external_fonts, ["https://fonts.example.com"]);
    }

    #[test]
    fn a_templates_images_are_carried_and_its_handlers_left_as_they_are() {
        let html = "<template id=t><li><img src=\"/img/row.png\" onclick=\"x()\"></li></template><svg><image href=\"/img/row.png\"/></svg>";
        let tree = SourceTree::from_files([("p.html", html)]).with_asset("img/row.png", [7u8]);
        let c = carried_tree(tree, "p.html", "/p", FoundBy::StaticFile);
        assert_eq!(c.assets.len(), 1);
        assert!(
            c.index_html.contains("<template id=t><li><img src=\"./page/img/row.png\" onclick=\"x()\"></li></template><svg><image href=\"/img/row.png\"/></svg>"),
            "{}",
            c.index_html
        );
    }

    #[test]
    fn assets_past_the_page_budget_are_named_not_carried() {
        // Eight images of 3 MiB: six fit in 20 MiB; one of 5 MiB is over the file limit.
        let big = vec![0u8; 3 * 1024 * 1024];
        let mut files: String = (0..8).map(|i| format!("<img src=\"/i{i}.png\">")).collect();
        files.push_str("<img src=\"/huge.png\">");
        let tree = SourceTree::from_files([("p.html", files.as_str())])
            .with_asset("huge.png", vec![0u8; 5 * 1024 * 1024]);
        let tree = (0..8).fold(tree, |t, i| t.with_asset(&format!("i{i}.png"), big.clone()));
        let c = carried_tree(tree, "p.html", "/p", FoundBy::StaticFile);
        assert_eq!(c.assets.len(), 6);
        let ws = messages(&c);
        assert_eq!(
            ws.iter()
                .filter(|w| w
                    .2
                    .contains("past 20 MiB, the most the tool carries per page"))
                .count(),
            2,
            "{ws:?}"
        );
        assert!(
            ws.iter().any(|w| w.2.contains(
                "\"/huge.png\" was not read: huge.png is in the source tree but larger than 4 MiB"
            )),
            "{ws:?}"
        );
    }

    #[test]
    fn stems_are_safe() {
        assert_eq!(page_stem("views/sla-watcher.hbs"), "sla-watcher");
        assert_eq!(page_stem("a b/<x>.html"), "-x-");
        assert_eq!(page_stem(".html"), "page");
    }
}
