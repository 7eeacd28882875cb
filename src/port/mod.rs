//! The port stage: find each background script's Connect page in the app's source tree
//! ([`tree`], [`discover`]), split it into its scripts and stylesheets ([`page`]), and plan the
//! files carried into the Forge Custom UI resource ([`carry`]), where a compatibility layer runs
//! the page's `AP.*` calls on `@forge/bridge`. Pure over a [`tree::SourceTree`]: reading the tree
//! is the one file-system step, done before.
//!
//! A page that cannot be found (or is ambiguous) is not an error: the module gets today's
//! skeleton scaffold and the review says why, with the candidates and the `--page` hint.

pub mod analysis;
pub mod apis;
pub mod carry;
pub mod discover;
pub mod page;
pub mod scopes;
pub mod tree;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use carry::Carried;
use discover::PageLookup;
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
    /// `flask-route`), or why not (`not-found`, `ambiguous`, `no-source`).
    pub found_by: String,
    /// Where the rule matched (`routes/index.js:12`), when a rule did.
    pub route: Option<String>,
    /// The page's scripts as carried (paths under the resource folder), in document order.
    pub scripts: Vec<String>,
    /// The likeliest pages, when none or several were found.
    pub candidates: Vec<String>,
    /// The carried resource; `None` means the skeleton scaffold.
    #[serde(skip)]
    pub carried: Option<Carried>,
    /// What could not be carried as it is, each with its place.
    pub warnings: Vec<Diagnostic>,
}

/// Finds and carries the page of the background script `key` served at `url`; `page` is the
/// file `--page KEY=FILE` named (relative to the source root), which wins over discovery.
pub fn port_module(tree: &SourceTree, key: &str, url: &str, page: Option<&str>) -> ModulePort {
    let lookup = match page {
        Some(file) => discover::page_from_option(tree, file),
        None => discover::find_page(tree, url),
    };
    let mut port = ModulePort {
        key: key.to_string(),
        page: None,
        found_by: String::new(),
        route: None,
        scripts: Vec::new(),
        candidates: Vec::new(),
        carried: None,
        warnings: Vec::new(),
    };
    match lookup {
        PageLookup::Found(found) => {
            let split = page::split_page(tree, &found, url);
            let carried = carry::carry(&split, tree);
            port.page = Some(found.file.clone());
            port.found_by = found.found_by.as_str().to_string();
            port.route = found.route_file.as_ref().map(|f| match found.route_line {
                Some(l) => format!("{f}:{l}"),
                None => f.clone(),
            });
            port.scripts = carried.scripts.iter().map(|s| s.path.clone()).collect();
            // The carry repeats the split's warnings it passes on: each once.
            port.warnings = split.warnings;
            for w in &carried.warnings {
                if !port.warnings.contains(w) {
                    port.warnings.push(w.clone());
                }
            }
            for w in &mut port.warnings {
                w.module = Some(key.to_string());
            }
            port.carried = Some(carried);
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
    port
}

/// The port of a module whose page was not looked for (the descriptor came from stdin and no
/// `--source` was given).
pub fn not_looked_for(key: &str) -> ModulePort {
    ModulePort {
        key: key.to_string(),
        page: None,
        found_by: "no-source".into(),
        route: None,
        scripts: Vec::new(),
        candidates: Vec::new(),
        carried: None,
        warnings: Vec::new(),
    }
}
