//! Subpages: Forge allows one `jira:globalPage`, `jira:projectPage`, `jira:projectSettingsPage`
//! and plain `jira:adminPage` per app, but each takes further pages as `pages` entries (`{title,
//! route, icon, displayConditions}`, @forge/manifest 13.7.0), listed in the module's sidebar.
//! Forge appends the route to the module's URL and shows the module's one resource for every
//! page: the resource reads the route from `view.createHistory()` and shows that page.
//!
//! So a further Connect page of such a type is folded into the first one ([`fold`], called by
//! [`super::arrange`]): the first module's entry gets `pages` (its own page first, then each
//! folded one, in descriptor order), and the folded module stays in the app's module list as a
//! page with no Forge module of its own (`forge_type` empty), carried into the first module's
//! resource. Its details say which module holds it ([`SUBPAGE_OF`]) and at which route
//! ([`ROUTE`]); the first module's own route is in its details too. The scaffold puts each page
//! in its own folder of the resource (`pages/<route>/`) behind a small router.

use serde_json::{json, Map, Value};

use super::page::route;
use super::ForgeModule;

/// The detail naming the module whose resource holds a folded page.
pub const SUBPAGE_OF: &str = "subpage_of";
/// The detail holding a page's route among its module's `pages` (the folded page's, and the
/// holding module's own).
pub const ROUTE: &str = "route";

/// Whether a Forge module of this type (and flavour: a `useAsConfig` or `useAsGetStarted` admin
/// page takes none) takes `pages`.
pub fn takes_pages(m: &ForgeModule) -> bool {
    let plain = ["useAsConfig", "useAsGetStarted"]
        .iter()
        .all(|p| m.entry.get(*p) != Some(&Value::Bool(true)));
    matches!(
        m.forge_type,
        "jira:globalPage" | "jira:projectPage" | "jira:projectSettingsPage" | "jira:adminPage"
    ) && plain
}

/// Whether `host` can take `sub` as one of its pages: both have a page to carry and are of the
/// same type, which takes `pages`, and `host` is not itself folded into another.
pub fn can_fold(host: &ForgeModule, sub: &ForgeModule) -> bool {
    takes_pages(host)
        && takes_pages(sub)
        && host.forge_type == sub.forge_type
        && host.page_url.is_some()
        && sub.page_url.is_some()
        && !host.details.contains_key(SUBPAGE_OF)
        // A link's resource only navigates elsewhere: it hosts no pages and is no page to route to.
        && !host.is_link()
        && !sub.is_link()
}

/// The routes `host`'s pages have so far (its own first, when it has pages).
fn routes(host: &ForgeModule) -> Vec<String> {
    match host.entry.get("pages") {
        Some(Value::Array(pages)) => pages
            .iter()
            .filter_map(|p| p.get("route").and_then(Value::as_str))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// `base`, or `base-2`, `base-3`, ... : the first not in `taken`.
fn unused(base: String, taken: &[String]) -> String {
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// One `pages` entry: `title`, `route`, and `icon` / `displayConditions` where `entry` has them.
fn page_entry(title: Value, route: &str, entry: &Map<String, Value>, conditions: bool) -> Value {
    let mut p = Map::new();
    p.insert("title".into(), title);
    p.insert("route".into(), json!(route));
    if let Some(i) = entry.get("icon") {
        p.insert("icon".into(), i.clone());
    }
    if let Some(dc) = entry.get("displayConditions").filter(|_| conditions) {
        p.insert("displayConditions".into(), dc.clone());
    }
    Value::Object(p)
}

/// Folds `sub` into `host` (which [`can_fold`] it): `host`'s entry gets `pages` (its own page
/// first), and `sub` becomes a page of it with no Forge module of its own, at a route made from
/// its key (unique among `host`'s pages). Returns the folded page.
pub fn fold(host: &mut ForgeModule, mut sub: ForgeModule) -> ForgeModule {
    let title = |m: &ForgeModule| {
        m.entry
            .get("title")
            .cloned()
            .unwrap_or_else(|| json!(m.key))
    };
    let mut taken = routes(host);
    if taken.is_empty() {
        let own = route(&host.key);
        // The module's own page is its first route: the one shown at the module's own URL, and
        // listed in its sidebar beside the others. Its display conditions are the module's.
        let entry = page_entry(title(host), &own, &host.entry, false);
        host.entry.insert("pages".into(), json!([entry]));
        host.details.insert(ROUTE.into(), json!(own));
        taken.push(own);
    }
    let r = unused(route(&sub.key), &taken);
    let entry = page_entry(title(&sub), &r, &sub.entry, true);
    if let Some(Value::Array(pages)) = host.entry.get_mut("pages") {
        pages.push(entry);
    }
    sub.forge_type = "";
    sub.entry = Map::new();
    sub.details.insert(SUBPAGE_OF.into(), json!(host.key));
    sub.details.insert(ROUTE.into(), json!(r));
    sub
}

impl ForgeModule {
    /// The key of the module whose resource holds this page, when it is folded into one.
    pub fn subpage_of(&self) -> Option<&str> {
        self.detail(SUBPAGE_OF)
    }

    /// This module's page's route among its module's `pages` (folded pages and the module that
    /// holds them), if it is one of several.
    pub fn route(&self) -> Option<&str> {
        self.detail(ROUTE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{check_bare, project_page::ProjectPages};
    use crate::product::Product;

    fn project_page(key: &str, extra: Value) -> ForgeModule {
        let mut e = json!({"key": key, "name": {"value": format!("Page {key}")}, "url": format!("/{key}?p={{project.key}}")});
        if let (Some(o), Value::Object(x)) = (e.as_object_mut(), extra) {
            o.extend(x);
        }
        let (m, f) = check_bare(
            &ProjectPages,
            "jiraProjectPages",
            "$.modules.jiraProjectPages[0]",
            Product::Jira,
            "https://app.example",
            &e,
        );
        assert!(f.0.is_empty(), "{:?}", f.0);
        m.expect("migrates")
    }

    #[test]
    fn a_folded_page_is_a_route_of_the_first_module() {
        let mut host = project_page("overview", json!({"icon": {"url": "/o.svg"}}));
        let sub = project_page(
            "Team_Reports",
            json!({"icon": {"url": "/r.svg"}, "conditions": [{"condition": "user_is_logged_in"}]}),
        );
        assert!(can_fold(&host, &sub));
        let sub = fold(&mut host, sub);
        assert_eq!(
            host.entry["pages"],
            json!([
                {"title": "Page overview", "route": "overview", "icon": "https://app.example/o.svg"},
                {"title": "Page Team_Reports", "route": "team-reports", "icon": "https://app.example/r.svg",
                 "displayConditions": {"isLoggedIn": true}}
            ])
        );
        assert_eq!(host.route(), Some("overview"));
        assert_eq!(sub.forge_type, "");
        assert!(sub.entry.is_empty());
        assert_eq!(sub.subpage_of(), Some("overview"));
        assert_eq!(sub.route(), Some("team-reports"));
        assert_eq!(
            sub.page_url.as_deref(),
            Some("/Team_Reports?p={project.key}")
        );
        // A key whose route another page has gets the next free one; the host is not folded.
        let third = fold(&mut host, project_page("team-reports", json!({})));
        assert_eq!(third.route(), Some("team-reports-2"));
        assert!(!can_fold(&third, &host), "a folded page holds no pages");
        assert_eq!(host.entry["pages"].as_array().map(Vec::len), Some(3));
    }

    #[test]
    fn config_and_get_started_admin_pages_take_no_pages() {
        let mut m = project_page("a", json!({}));
        m.forge_type = "jira:adminPage";
        assert!(takes_pages(&m));
        m.entry.insert("useAsConfig".into(), json!(true));
        assert!(!takes_pages(&m));
        m.entry.remove("useAsConfig");
        m.forge_type = "jira:fullPage";
        assert!(!takes_pages(&m));
    }

    #[test]
    fn a_link_neither_holds_nor_becomes_a_page() {
        let host = project_page("overview", json!({}));
        let mut link = project_page("docs", json!({}));
        link.details
            .insert("link".into(), json!("https://docs.example/"));
        assert!(!can_fold(&host, &link));
        assert!(!can_fold(&link, &host));
    }
}
