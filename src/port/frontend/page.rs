//! The front-end projects one page runs, and what the review says of them: the page is a
//! project's shell or a file-system route's page file, or it loads a script a bundler writes.
//! Their sources are analysed like the page's own scripts; they are not carried (yet), so each is
//! a located warning naming the project folder and the build that makes the page's code
//! (`C2F074`), never a silent "found", with the local imports that name no file (`C2F075`) and a
//! walk that reached its limit (`C2F076`).

use crate::diagnostics::{Diagnostic, Severity};
use crate::port::discover::{Found, FoundBy};
use crate::port::page::{Location, Page, Script};
use crate::port::tree::SourceTree;
use crate::source::Position;

use super::{for_bundle, for_route_file, for_shell, FrontEnd};

/// A front-end project a page runs, and where the page leads to it.
#[derive(Debug, Clone)]
pub struct Use {
    /// The project, its entries and sources.
    pub front_end: FrontEnd,
    /// The page's file, or the `<script>` tag that loads the bundle.
    pub at: Location,
    /// How the page leads to it (`the page is its shell`, `/js/editor.js is built from it`).
    pub why: String,
    /// The script URL a bundler writes, when the page loads the project's bundle (then the page
    /// itself is carried, and only the bundle is missing from it).
    pub bundle: Option<String>,
    /// The bundle's file name as the build writes it, when a route sends it under another URL
    /// (`app.bundle.js` for `/js`); `None` when the URL names it.
    pub built: Option<String>,
}

/// The front-end projects the page `found` (split into `page`) runs.
pub fn uses(tree: &SourceTree, found: &Found, page: &Page) -> Vec<Use> {
    let at_page = Location {
        file: found.file.clone(),
        line: 1,
        column: 1,
    };
    let mut out: Vec<Use> = Vec::new();
    let own = match found.found_by {
        FoundBy::FrontEnd => for_shell(tree, &found.file)
            .map(|fe| (fe, "the page is the shell its build fills".to_string())),
        FoundBy::FileRoute => for_route_file(tree, &found.file)
            .map(|fe| (fe, "the page is a route of it".to_string())),
        // A component a view engine renders (`res.render('x')` of a `.jsx` view, a `.vue`
        // page named with --page): the page's code is the component and what it imports.
        // A page written as a template literal in server code is HTML, not a component.
        _ if super::graph::is_source(&found.file) && page.engine != "js-template-literal" => {
            for_route_file(tree, &found.file)
                .map(|fe| (fe, "the page is a component of it".to_string()))
        }
        // A route sending a project's shell by a path the rules did not follow to its build
        // folder (`sendFile(path.join(dist, 'index.html'))`): the project's own shell, where
        // its bundler takes it, is the page.
        _ => for_shell(tree, &found.file)
            .filter(|fe| {
                fe.builder.is_some() && is_shell_of(&fe.project, &found.file)
                    // Any page of a Vite project loading a source of it as a module script is
                    // one of its build's inputs (a multi-page app's `rollupOptions.input`).
                    || (fe.builder == Some("vite")
                        && fe.entries.iter().any(|(_, how)| *how == "the shell's module script"))
            })
            .map(|fe| (fe, "the page is the shell its build fills".to_string())),
    };
    if let Some((front_end, why)) = own {
        out.push(Use {
            front_end,
            at: at_page,
            why,
            bundle: None,
            built: None,
        });
    }
    for s in &page.scripts {
        let Script::Local {
            src,
            resolved: None,
            refused: None,
            at,
            ..
        } = s
        else {
            continue;
        };
        let path = src.split(['?', '#']).next().unwrap_or(src);
        // A route may send the bundle under another name (`app.use('/js', … sendFile(dist/app.bundle.js))`).
        let served = crate::port::discover::served_file(tree, path);
        let found = for_bundle(tree, path).map(|fe| (fe, None)).or_else(|| {
            let file = served.as_deref()?;
            let name = file.rsplit('/').next()?.to_string();
            Some((for_bundle(tree, file)?, Some(name)))
        });
        if let Some((front_end, built)) = found {
            out.push(Use {
                front_end,
                at: at.clone(),
                why: match &built {
                    Some(name) => format!("the page loads {src}, which a route sends from {name}, which a bundler builds from it"),
                    None => format!("the page loads {src}, which a bundler builds from it"),
                },
                bundle: Some(src.clone()),
                built,
            });
        }
    }
    out
}

/// Whether `file` is where a bundler takes the shell of the project in `project`
/// (`client/index.html` for Vite, `client/public/index.html` for Create React App and Vue CLI,
/// `client/src/index.html` for Parcel).
fn is_shell_of(project: &str, file: &str) -> bool {
    file.strip_prefix(project)
        .is_some_and(|rest| matches!(rest, "index.html" | "public/index.html" | "src/index.html"))
}

/// How a project's build is given a relative base path (Forge serves the resource from a path
/// of its own), and the folder its build writes.
fn base_and_output(builder: Option<&str>) -> (&'static str, &'static str) {
    match builder {
        Some("react-scripts") => ("set \"homepage\": \".\" in its package.json", "build/"),
        Some("vite") => ("set base: './' in its vite.config", "dist/"),
        Some("@vue/cli-service") => ("set publicPath: './' in its vue.config.js", "dist/"),
        Some("parcel" | "parcel-bundler") => ("build with --public-url ./", "dist/"),
        Some("next") => (
            "set output: 'export' and assetPrefix: './' in its next.config",
            "out/",
        ),
        Some("nuxt") => (
            "set app.baseURL: './' in its nuxt.config and build with nuxi generate",
            ".output/public/",
        ),
        Some("gatsby") => (
            "build with --prefix-paths and a relative pathPrefix",
            "public/",
        ),
        _ => (
            "set a relative base path (webpack output.publicPath: './')",
            "the folder its bundler writes (webpack output.path)",
        ),
    }
}

/// What the review says of the projects: where each is, what was analysed, and what to do;
/// `carried` is the project the page carries whole ([`crate::port::project`]), if any.
pub fn warnings(
    tree: &SourceTree,
    uses: &[Use],
    carried: Option<&crate::port::project::Project>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for u in uses {
        let fe = &u.front_end;
        let builder = fe.builder.map(|b| format!(" ({b})")).unwrap_or_default();
        let entries = fe
            .entries
            .iter()
            .take(3)
            .map(|(f, how)| format!("{f} ({how})"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = fe.entries.len().saturating_sub(3);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let analysed = if fe.graph.files.is_empty() {
            "no source file of it was found, so its Connect calls are not reported".to_string()
        } else {
            format!(
                "its {} source file(s) reached from {entries}{more} are analysed for Connect calls",
                fe.graph.files.len()
            )
        };
        let entry = fe
            .entries
            .first()
            .map_or_else(|| format!("{}src/", fe.project), |(f, _)| f.clone());
        let (base, output) = base_and_output(fe.builder);
        let folder = fe.folder();
        let whole = carried.filter(|p| match &u.bundle {
            None => p.bundles.is_empty() && p.shell == u.at.file,
            Some(src) => p.folder == fe.project && p.bundles.iter().any(|b| b.src == *src),
        });
        if let (Some(p), Some(src)) = (whole, &u.bundle) {
            let to = p
                .bundles
                .iter()
                .find(|b| b.src == *src)
                .map_or("", |b| b.to.as_str());
            out.push(u.at.warning(format!(
                "the page's code is the front-end project in {folder}{builder}, carried whole into the resource's {}: {}; {analysed}. The resource's build runs the project's own `npm install` and `npm {}` there and copies the {} it writes (with the files beside it) to {to}, which index.html loads where the page loaded it: check that the project builds on Node 18 or later",
                p.carried_folder(),
                u.why,
                p.run.join(" "),
                src.rsplit('/').next().unwrap_or(src).trim_end_matches('}'),
            )));
        } else if let Some(p) = whole {
            out.push(u.at.warning(format!(
                "the page's code is the front-end project in {folder}{builder}, carried whole into the resource's {}: {}; {analysed}. The resource's build runs the project's own `npm install && npm {}` there, takes the page it writes for the module's URL (`index.html`, or a page of that name) from its {} (or wherever it writes it) and loads the compatibility layer (connect-compat.js, window.AP) before the project's scripts, with every URL made relative: check that the project builds on Node 18 or later",
                p.carried_folder(),
                u.why,
                p.run.join(" "),
                p.outputs.iter().map(|o| format!("{o}/")).collect::<Vec<_>>().join(" or "),
            )));
        }
        let carry = match &u.bundle {
            // The page is carried; only its bundle is build output.
            Some(src) => format!(
                "the bundle is not carried. To carry it: run `npm install && npm run build` in {folder}, copy the {} it writes under the resource's page/ and load it from index.html after ./main.js (the compatibility layer, which defines window.AP)",
                src.rsplit('/').next().unwrap_or(src).trim_end_matches('}'),
            ),
            None => format!(
                "the project is not carried. To carry it: copy {folder} (not node_modules/, its build output or .env files) into the resource folder, beside the scaffold's src/connect-compat.js; import './connect-compat.js' first in its entry ({entry}); add the scaffold package.json's dependencies (@forge/bridge, @forge/jira-bridge) to its own; {base}; run `npm install && npm run build` there, as in {folder} today; point the manifest's resource path at its {output}"
            ),
        };
        if whole.is_none() {
            out.push(u.at.warning(format!(
                "the page's code is the front-end project in {folder}{builder}: {}; {analysed}, but {carry}",
                u.why,
            )));
        }
        for (importer, spec) in &fe.graph.unresolved {
            out.push(Diagnostic {
                severity: Severity::Warning,
                file: importer.clone(),
                position: position_of(tree, importer, spec),
                path: None,
                module: None,
                message: format!(
                    "the front-end import '{spec}' names no file of the source tree: its Connect calls are not reported"
                ),
            });
        }
        if fe.graph.limited {
            out.push(u.at.warning(format!(
                "the front-end import graph of {} stops at {} files: the Connect calls of the files after them are not reported",
                fe.folder(),
                super::graph::MAX_FILES
            )));
        }
    }
    out
}

/// Where `spec` is first written, quoted, in `file`.
fn position_of(tree: &SourceTree, file: &str, spec: &str) -> Option<Position> {
    let text = tree.get(file)?;
    let at = ["'", "\"", "`"]
        .iter()
        .filter_map(|q| text.find(&format!("{q}{spec}{q}")))
        .min()?;
    let before = text.get(..at)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some(Position { line, column })
}
