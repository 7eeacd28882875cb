//! What every kind with a page reads from its Connect entry the same way: the key, the page URL
//! (relative to the app's baseUrl, its context parameters), `name` → `title`, `icon`,
//! `conditions` → `displayConditions`, and the properties that have no Forge meaning.
//!
//! Kinds with a page are lenient where background scripts are strict: an entry Forge cannot take
//! as it is (an absolute URL, a key Forge refuses) is not an error but stays on Connect, with a
//! warning that says why. Connect's required fields are checked by the descriptor reader for
//! every module type, as before.

use serde_json::{json, Map, Value};

use super::{conditions, context, is_module_key, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::json_path::{self as json, shown};
use crate::product::Product;

/// Forge's limit on a `title`.
const MAX_TITLE: usize = 255;

/// Why a page URL cannot be used as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// An absolute URL, a protocol-relative one or one that starts with a placeholder.
    NotRelative,
    /// A `..` segment.
    Parent,
    /// Control characters.
    Control,
}

/// What is wrong with a module URL that should be relative to the app's baseUrl, if anything.
pub fn url_problem(u: &str) -> Option<UrlProblem> {
    let lower = u.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !s.contains('/')
    });
    // Browsers read `\\host` and `/\host` like `//host`: another site.
    let other_host = ["//", "\\\\", "/\\", "\\/"]
        .iter()
        .any(|p| lower.starts_with(p));
    let parent = u
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split(['/', '\\'])
        .any(|seg| seg == ".." || seg.eq_ignore_ascii_case("%2e%2e"));
    if scheme || other_host || lower.starts_with("${") {
        Some(UrlProblem::NotRelative)
    } else if parent {
        Some(UrlProblem::Parent)
    } else if u.chars().any(|c| c.is_control()) {
        Some(UrlProblem::Control)
    } else {
        None
    }
}

/// The fields of a Connect module with a page, read and checked.
#[derive(Debug, Clone)]
pub struct PageEntry<'a> {
    /// The entry's JSON path.
    pub path: String,
    /// The module key.
    pub key: String,
    /// The page URL, relative to the app's baseUrl.
    pub url: String,
    /// `name.value` (or the key), at most 255 characters: the Forge `title`.
    pub title: String,
    /// `icon.url`, as written.
    pub icon: Option<String>,
    /// `location`, when there is one.
    pub location: Option<&'a str>,
    /// `conditions` as Forge `displayConditions`, when any has a Forge equivalent.
    pub display_conditions: Option<Value>,
    /// The entry itself.
    pub raw: &'a Map<String, Value>,
}

/// Reads a Connect entry with a page. `None` (with a warning saying why, and that it stays on
/// Connect) when Forge cannot take it; `url_required` is false for kinds whose page is optional.
pub fn read<'a>(
    kind: &dyn Kind,
    path: &str,
    e: &'a Value,
    product: Product,
    f: &mut Findings,
) -> Option<PageEntry<'a>> {
    let o = e.as_object()?;
    // The descriptor reader reports a key that is missing or not a string.
    let key = o.get("key").and_then(Value::as_str)?.to_string();
    let module = Some(key.as_str());
    if !is_module_key(&key) {
        return None; // the descriptor reader (or the manifest check) reports it, as an error
    }
    let url_path = json::child(path, "url");
    let url = match o.get("url") {
        Some(Value::String(u)) if !u.trim().is_empty() => u.clone(),
        _ => return None, // reported by the descriptor reader (Connect requires it)
    };
    if let Some(problem) = url_problem(&url) {
        let why = match problem {
            UrlProblem::NotRelative => "is not relative to the app's baseUrl, so it is not a page of this app Forge could carry",
            UrlProblem::Parent => "has a \"..\" segment, which would leave the app's baseUrl path",
            UrlProblem::Control => "contains control characters",
        };
        f.warn(
            &url_path,
            module,
            format!(
                "url \"{}\" {why}: the {} stays on Connect",
                shown(&url),
                singular(kind.plural())
            ),
        );
        return None;
    }
    for p in context::url_parameters(&url) {
        if p.forge_path.is_none() {
            f.warn(
                &url_path,
                module,
                format!(
                    "context parameter {{{}}} ({}=) has no value in Forge's view.getContext(): the carried page's {} query parameter will be empty; read what it needs another way",
                    p.parameter, p.name, p.name
                ),
            );
        }
    }
    Some(fields(path, o, key, url, product, f))
}

/// Reads a Connect entry whose `url` is not a page of the app but where it takes the user (a
/// web item's link to another site or to a product page): its key, `name`, `icon` and
/// `conditions` as [`read`] reads them, with `link` as its URL and no check of it.
pub fn read_link<'a>(
    path: &str,
    e: &'a Value,
    link: &str,
    product: Product,
    f: &mut Findings,
) -> Option<PageEntry<'a>> {
    let o = e.as_object()?;
    let key = o.get("key").and_then(Value::as_str)?.to_string();
    if !is_module_key(&key) {
        return None; // the descriptor reader (or the manifest check) reports it, as an error
    }
    Some(fields(path, o, key, link.to_string(), product, f))
}

/// The fields of an entry whose key and URL are read.
fn fields<'a>(
    path: &str,
    o: &'a Map<String, Value>,
    key: String,
    url: String,
    product: Product,
    f: &mut Findings,
) -> PageEntry<'a> {
    let module = Some(key.as_str());
    let title = match i18n_text(o.get("name")) {
        Some(t) => t.chars().take(MAX_TITLE).collect(),
        None => key.clone(),
    };
    let icon = o
        .get("icon")
        .and_then(|i| i.get("url"))
        .and_then(Value::as_str)
        .filter(|u| !u.trim().is_empty())
        .map(str::to_string);
    let display_conditions = o.get("conditions").and_then(|c| {
        conditions::display_conditions(c, &json::child(path, "conditions"), module, product, f)
    });
    PageEntry {
        path: path.to_string(),
        key,
        url,
        title,
        icon,
        location: o.get("location").and_then(Value::as_str),
        display_conditions,
        raw: o,
    }
}

/// Reads a Connect entry whose page URL is not its `url` but a nested one (`target.url` of an
/// issue glance or issue content) and builds from it: [`read`] on a copy with that URL as `url`,
/// its findings about the URL pointing at where it really is. `None` (with a warning saying the
/// module stays on Connect) when there is no such URL.
pub fn read_nested<T>(
    kind: &dyn Kind,
    path: &str,
    e: &Value,
    at: &[&str],
    product: Product,
    f: &mut Findings,
    build: impl FnOnce(&PageEntry<'_>) -> T,
) -> Option<T> {
    let nested = at
        .iter()
        .try_fold(e, |v, k| v.get(*k))
        .and_then(Value::as_str)
        .filter(|u| !u.trim().is_empty());
    let real_path = at.iter().fold(path.to_string(), |p, k| json::child(&p, k));
    let Some(url) = nested else {
        let key = e.get("key").and_then(Value::as_str);
        if key.is_some() {
            f.warn(
                &real_path,
                key,
                format!(
                    "{} has no page URL ({}), so it has no page to carry: the {} stays on Connect",
                    singular(kind.plural()),
                    at.join("."),
                    singular(kind.plural())
                ),
            );
        }
        return None;
    };
    let mut copy = e.clone();
    if let Some(o) = copy.as_object_mut() {
        o.insert("url".into(), Value::String(url.to_string()));
    }
    let from = f.0.len();
    let read = read(kind, path, &copy, product, f);
    let url_path = json::child(path, "url");
    for x in &mut f.0[from..] {
        if x.path == url_path {
            x.path.clone_from(&real_path);
        }
    }
    read.map(|p| build(&p))
}

/// The text of a Connect i18n property (`"name": {"value": "…"}`, its `value`), when it is there
/// and not blank.
pub fn i18n_text(property: Option<&Value>) -> Option<&str> {
    property?
        .get("value")?
        .as_str()
        .filter(|t| !t.trim().is_empty())
}

/// A URL on the app's server as Forge takes it: as written when absolute, else under the app's
/// baseUrl (`${baseUrl}/x.svg`).
pub fn on_app_server(base_url: &str, u: &str) -> String {
    if u.starts_with("https://") || u.starts_with("http://") {
        return u.to_string();
    }
    let base = base_url.trim_end_matches('/');
    format!("{base}/{}", u.trim_start_matches('/'))
}

/// `background scripts` → `background script`.
pub fn singular(plural: &str) -> &str {
    plural.strip_suffix('s').unwrap_or(plural)
}

impl PageEntry<'_> {
    /// The Forge module of this entry: `forge_type` with `title` (when `titled`), the kind's own
    /// `entry` properties, then `displayConditions`; its details say where the Connect module
    /// was shown.
    pub fn module(
        &self,
        kind: &dyn Kind,
        connect_type: &'static str,
        forge_type: &'static str,
        titled: bool,
        entry: Map<String, Value>,
    ) -> ForgeModule {
        let mut e = Map::new();
        if titled {
            e.insert("title".into(), json!(self.title));
        }
        e.extend(entry);
        if let Some(dc) = &self.display_conditions {
            e.insert("displayConditions".into(), dc.clone());
        }
        let mut details = Map::new();
        details.insert("title".into(), json!(self.title));
        if let Some(l) = self.location {
            details.insert("location".into(), json!(l));
        }
        ForgeModule {
            kind: kind.id(),
            connect_type,
            forge_type,
            key: self.key.clone(),
            entry: e,
            page_url: Some(self.url.clone()),
            resource: None,
            extra_pages: Vec::new(),
            details,
            path: self.path.clone(),
        }
    }

    /// The Forge `icon`: the Connect icon's URL on the app's server (`${baseUrl}/x.svg`) or as
    /// written when absolute; `None` without an icon.
    pub fn forge_icon(&self, base_url: &str) -> Option<String> {
        Some(on_app_server(base_url, self.icon.as_deref()?))
    }
}

/// A Forge route (`^[a-z0-9-]+$`, as `jira:fullPage`'s `routePrefix` and Confluence's `route`
/// require) made from a module key: lower case, every other character a `-`.
pub fn route(key: &str) -> String {
    let mut s: String = key
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "page".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_that_leave_the_app_are_problems() {
        assert_eq!(url_problem("/ok?x={issue.key}"), None);
        assert_eq!(
            url_problem("https://x.example/a"),
            Some(UrlProblem::NotRelative)
        );
        assert_eq!(url_problem("//x.example/a"), Some(UrlProblem::NotRelative));
        assert_eq!(url_problem("/a/../b"), Some(UrlProblem::Parent));
        assert_eq!(url_problem("/a\u{7}"), Some(UrlProblem::Control));
    }

    #[test]
    fn routes_are_what_forge_accepts() {
        assert_eq!(route("My_Page.Two"), "my-page-two");
        assert_eq!(route("__"), "page");
    }
}
