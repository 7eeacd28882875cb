//! Module kinds: one folder per Connect module type, the unit every stage asks about.
//!
//! A kind answers each question a stage asks of one Connect module type — its Connect checks
//! (with the findings' JSON paths), the native Forge module an entry becomes (its type and
//! manifest entry), whether it has a page to carry and what the scaffold templates and the review
//! need to know of it — the way one oxc lint rule is one file plus one line in its rule list.
//! [`REGISTRY`] lists them; stages loop over it and never name a kind. Adding a kind is one folder
//! under `src/kinds/`, one line in [`REGISTRY`] and one fixture app.
//!
//! A leaf of the data flow: kinds depend only on the JSON and diagnostic helpers, so the
//! descriptor reader (which runs the checks where positions are known), the mapping, the manifest
//! adoption, the scaffold and the review can all read them.

pub mod admin_page;
pub mod background_script;
pub mod byline_item;
pub mod conditions;
pub mod confluence_connect_only;
pub mod content_macro;
pub mod content_property;
pub mod context;
pub mod custom_content;
pub mod dashboard_item;
pub mod dialog;
pub mod entity_property;
pub mod general_page;
pub mod issue_content;
pub mod issue_glance;
pub mod issue_tab_panel;
pub mod jsm_portal;
pub mod lifecycle;
pub mod no_target;
pub mod page;
pub mod permission;
pub mod project_page;
pub mod space_settings;
pub mod subpages;
pub mod time_tracking;
pub mod web_item;
pub mod web_panel;
pub mod web_section;
pub mod webhook;
pub mod workflow_post_function;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::diagnostics::Findings;
use crate::product::Product;

/// Connect's limit on a module key's length (Forge's is the same).
pub const MAX_KEY_LEN: usize = 100;

/// Every kind, in the order the manifest lists their Forge module types.
pub static REGISTRY: &[&dyn Kind] = &[
    &background_script::BackgroundScripts,
    &general_page::GeneralPages,
    &admin_page::AdminPages,
    &project_page::ProjectPages,
    &web_panel::WebPanels,
    &dialog::Dialogs,
    // Jira and Service Management: the issue view, web items and sections, gadgets, portals,
    // entity properties, permissions, and the types that stay on Connect.
    &issue_glance::IssueGlances,
    &issue_content::IssueContents,
    &issue_tab_panel::IssueTabPanels,
    &web_item::WebItems,
    &web_section::WebSections,
    &dashboard_item::DashboardItems,
    &jsm_portal::PortalModules,
    &entity_property::EntityProperties,
    &permission::Permissions,
    &time_tracking::TimeTrackingProviders,
    &workflow_post_function::WorkflowPostFunctions,
    &no_target::NoTarget,
    // Confluence kinds.
    &content_macro::ContentMacros,
    &byline_item::BylineItems,
    &space_settings::SpaceToolsTabs,
    &content_property::ContentProperties,
    &custom_content::CustomContent,
    &confluence_connect_only::ConfluenceConnectOnly,
    &webhook::Webhooks,
    &lifecycle::Lifecycle,
];

/// What every stage asks of one Connect module type.
pub trait Kind: Sync {
    /// The kind's stable name (`background-script`): the JSON output's `kind`.
    fn id(&self) -> &'static str;

    /// What its modules are called in a message, in the plural (`background scripts`).
    fn plural(&self) -> &'static str;

    /// The Connect module types it migrates, as a descriptor's `modules` names them
    /// (`jiraBackgroundScripts`).
    fn connect_types(&self) -> &'static [&'static str];

    /// Whether [`Kind::check`] makes every check of an entry (background scripts: Connect's own
    /// rules, errors included); otherwise the descriptor reader first checks what Connect
    /// requires of every module type, and the kind only decides what Forge can take.
    fn own_checks(&self) -> bool {
        false
    }

    /// The products whose apps have this module type.
    fn products(&self) -> &'static [Product];

    /// The Forge module types this kind writes, in the order the manifest lists them.
    fn forge_types(&self) -> &'static [&'static str];

    /// What one entry looks like, for the message when an entry is not a mapping
    /// (`a background script is a mapping (key, url, location)`).
    fn entry_shape(&self) -> &'static str;

    /// Checks one Connect entry of type `connect_type` (`path` is its JSON path, used in the
    /// findings) and returns the Forge module it becomes, without its resource (the mapping
    /// gives every page of the app its resource key at once). `None` when the entry has errors,
    /// or stays on Connect (a warning says why).
    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        findings: &mut Findings,
    ) -> Option<ForgeModule>;

    /// Checks one Connect entry that may become several Forge modules (or none): `Some` with the
    /// modules when it leaves Connect (an empty list when it is not carried at all, with a warning
    /// saying why), `None` when it stays on Connect. The descriptor reader calls this; by default
    /// it is [`Kind::check`]'s one module.
    fn check_all(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        findings: &mut Findings,
    ) -> Option<Vec<ForgeModule>> {
        self.check(connect_type, path, entry, app, findings)
            .map(|m| vec![m])
    }

    /// Whether adopting a Connect-on-Forge manifest in place moves this kind's `connectModules`
    /// entries (through [`Kind::check`]); a kind that only migrates descriptors says no, so such
    /// a manifest is not adopted for its sake.
    fn adopts_in_place(&self) -> bool {
        true
    }

    /// The properties Forge's schema defines on this kind's Forge modules (`key` and `resource`
    /// among them), for the check of a manifest that already has them.
    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str];

    /// Checks one of this kind's Forge modules in a manifest (its JSON path and entry) for what
    /// Atlassian's validator lets through; properties outside [`Kind::forge_properties`] are
    /// reported by the caller.
    fn check_forge(&self, _forge_type: &str, _path: &str, _entry: &Value, _f: &mut Findings) {}

    /// The scaffold template that becomes the resource's `src/main.js` (a path under
    /// `templates/`).
    fn entry_template(&self) -> &'static str {
        "scaffold/src/main.js.hbs"
    }

    /// The module's one-line description in the review, after its key (`issue_view`).
    fn label(&self, module: &ForgeModule) -> String;

    /// A module Forge's per-app limits leave no room for ([`arrange`]): another module it can
    /// become, or `None` to keep it on Connect (the caller says so). `taken` lists the Forge
    /// modules already placed.
    fn overflow(&self, _module: ForgeModule, _taken: &[&ForgeModule]) -> Option<ForgeModule> {
        None
    }

    /// Settles this kind's modules once every module of the app is placed ([`arrange`]): a
    /// module that depends on others (a custom content type shown by a general page, its
    /// container types) takes what it needs from them, or becomes `None` (it stays on Connect;
    /// a warning says why). Most kinds need nothing.
    fn settle(&self, _modules: &mut [Option<ForgeModule>], _f: &mut Findings) {}

    /// What the scaffold templates see of the module besides its key, kind, Forge type,
    /// resource key, Connect URL and package name (`module.<name>`).
    fn scaffold_data(&self, module: &ForgeModule) -> Map<String, Value> {
        module.details.clone()
    }
}

/// What a kind's check may need to know of the app.
#[derive(Debug, Clone, Copy)]
pub struct AppFacts<'a> {
    /// The product the app is for.
    pub product: Product,
    /// The app's baseUrl (placeholders as Forge variables), for icons on the app's server.
    pub base_url: &'a str,
    /// The app's Connect modules by type as a descriptor names them (`webSections` → a list or
    /// one entry), for kinds whose entries refer to other modules (a web item to its section or
    /// to one of the app's pages); `None` where they are not known.
    pub modules: Option<&'a Map<String, Value>>,
    /// The app's page modules by URL path ([`web_item::page_urls`], built once for `modules`),
    /// so that each web item finds the page it links to without scanning them all; `None`: they
    /// are scanned (an app of a few modules, a kind's unit test).
    pub page_urls: Option<&'a PageUrls>,
}

/// The app's page modules by the path of their URL (no query or fragment, no trailing `/`):
/// the key and Connect type of the one a web item linking to that path opens.
#[derive(Debug, Default)]
pub struct PageUrls(pub(crate) std::collections::HashMap<String, (String, String)>);

/// Runs `kind`'s check on one entry of an app that has no other modules (the kinds' unit tests):
/// the module it becomes, if any, and the findings.
#[cfg(test)]
pub(crate) fn check_bare(
    kind: &dyn Kind,
    connect_type: &'static str,
    path: &str,
    product: Product,
    base_url: &str,
    entry: &Value,
) -> (Option<ForgeModule>, Findings) {
    let mut f = Findings::default();
    let app = AppFacts {
        product,
        base_url,
        modules: None,
        page_urls: None,
    };
    (kind.check(connect_type, path, entry, &app, &mut f), f)
}

impl<'a> AppFacts<'a> {
    /// The app's entries of the Connect module type `connect_type` (a singleton object as one).
    pub fn entries(&self, connect_type: &str) -> Vec<&'a Value> {
        match self.modules.and_then(|m| m.get(connect_type)) {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(v @ Value::Object(_)) => vec![v],
            _ => Vec::new(),
        }
    }
}

/// The kind of a Connect module type (`jiraBackgroundScripts`), if one migrates it, with the
/// type's name as the kind spells it.
pub fn by_connect_type(connect_type: &str) -> Option<&'static dyn Kind> {
    REGISTRY
        .iter()
        .copied()
        .find(|k| k.connect_types().contains(&connect_type))
}

/// `connect_type` as the kind that migrates it spells it (a `&'static str`).
pub fn connect_type_name(connect_type: &str) -> Option<&'static str> {
    by_connect_type(connect_type)?
        .connect_types()
        .iter()
        .copied()
        .find(|t| *t == connect_type)
}

/// The kind named `id`.
pub fn by_id(id: &str) -> Option<&'static dyn Kind> {
    REGISTRY.iter().copied().find(|k| k.id() == id)
}

/// The kind that writes the Forge module type `forge_type`.
pub fn by_forge_type(forge_type: &str) -> Option<&'static dyn Kind> {
    REGISTRY
        .iter()
        .copied()
        .find(|k| k.forge_types().contains(&forge_type))
}

/// The properties Forge's schema defines on the module type `forge_type`, as every kind that
/// writes it lists them (`key` and `resource` among them); empty when no kind writes it.
pub fn forge_properties(forge_type: &str) -> Vec<&'static str> {
    let mut props: Vec<&'static str> = Vec::new();
    for k in REGISTRY
        .iter()
        .filter(|k| k.forge_types().contains(&forge_type))
    {
        for p in k.forge_properties(forge_type) {
            if !props.contains(p) {
                props.push(p);
            }
        }
    }
    props
}

/// Every Forge module type the kinds write, in manifest order, each once (two kinds may write
/// the same type: a general page in the admin menu is a `jira:adminPage` too).
pub fn forge_types() -> impl Iterator<Item = &'static str> {
    let mut seen: Vec<&'static str> = Vec::new();
    REGISTRY
        .iter()
        .flat_map(|k| k.forge_types().iter().copied())
        .filter(move |t| {
            let new = !seen.contains(t);
            seen.push(t);
            new
        })
}

/// Every Connect module type that migrates to a native Forge module.
pub fn connect_types() -> impl Iterator<Item = &'static str> {
    REGISTRY
        .iter()
        .flat_map(|k| k.connect_types().iter().copied())
}

/// Forge's limits on how many modules of a type an app may have, as `@forge/manifest` 13.7.0's
/// validators check them: `(type, the flags that tell entries apart, whether an entry with no
/// flag is limited too)`: one of each flag, and one plain entry where the last is true.
/// `jira:adminPage` takes one plain entry, one `useAsConfig` and one `useAsGetStarted`.
const LIMITS: &[(&str, &[&str], bool)] = &[
    ("jira:globalPage", &[], true),
    ("jira:projectPage", &[], true),
    ("jira:projectSettingsPage", &[], true),
    ("jira:adminPage", &["useAsConfig", "useAsGetStarted"], true),
    (
        "confluence:globalSettings",
        &["useAsConfig", "useAsGetStarted"],
        false,
    ),
];

/// Places the app's modules within Forge's per-app limits, in descriptor order: a module of a
/// type that is full becomes a page of the first one when the type takes `pages`
/// ([`subpages::fold`]), else it is offered to its kind's [`Kind::overflow`], and stays on
/// Connect (`None` in its place, with a warning) when that has nothing. Routes are made unique
/// too.
pub fn arrange(
    product: Product,
    modules: Vec<ForgeModule>,
    f: &mut Findings,
) -> Vec<Option<ForgeModule>> {
    let _ = product;
    let mut placed: Vec<Option<ForgeModule>> = Vec::with_capacity(modules.len());
    for m in modules {
        let full = |m: &ForgeModule, placed: &[Option<ForgeModule>]| {
            let Some((_, props, plain_limited)) =
                LIMITS.iter().find(|(t, _, _)| *t == m.forge_type)
            else {
                return false;
            };
            let flavour = |x: &ForgeModule| {
                props
                    .iter()
                    .find(|p| x.entry.get(**p) == Some(&Value::Bool(true)))
                    .copied()
            };
            (flavour(m).is_some() || *plain_limited)
                && placed
                    .iter()
                    .flatten()
                    .any(|x| x.forge_type == m.forge_type && flavour(x) == flavour(m))
        };
        if !full(&m, &placed) {
            placed.push(Some(m));
            continue;
        }
        // A type that takes `pages`: the module becomes a page of the first one.
        let host = placed
            .iter_mut()
            .flatten()
            .find(|x| subpages::can_fold(x, &m));
        if let Some(host) = host {
            let (path, key, forge_type) = (m.path.clone(), m.key.clone(), m.forge_type);
            let page = subpages::fold(host, m);
            f.warn(
                &path,
                Some(&key),
                format!(
                    "Forge allows one {forge_type} per app and an earlier module (\"{}\") has it: this one becomes a subpage of it, listed in that module's sidebar at route \"{}\" (pages), its page carried into that module's resource",
                    host.key,
                    page.route().unwrap_or_default()
                ),
            );
            placed.push(Some(page));
            continue;
        }
        let taken: Vec<&ForgeModule> = placed.iter().flatten().collect();
        let (path, key, forge_type, kind) = (m.path.clone(), m.key.clone(), m.forge_type, m.kind());
        let other = kind.overflow(m, &taken).filter(|o| !full(o, &placed));
        match &other {
            Some(o) => f.warn(
                &path,
                Some(&key),
                format!(
                    "Forge allows one {forge_type} per app and an earlier module has it: this one becomes {} ({})",
                    o.forge_type,
                    o.details.get("overflow").and_then(Value::as_str).unwrap_or("its own page")
                ),
            ),
            None => f.warn(
                &path,
                Some(&key),
                format!("Forge allows one {forge_type} per app and an earlier module has it: this one stays on Connect (keep it there, or merge it into that page)"),
            ),
        }
        placed.push(other);
    }
    for k in REGISTRY {
        k.settle(&mut placed, f);
    }
    unique_routes(&mut placed);
    placed
}

/// `route` / `routePrefix` values made unique per module type (`-2`, `-3`, ... on repeats).
fn unique_routes(modules: &mut [Option<ForgeModule>]) {
    let mut seen: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    for m in modules.iter_mut().flatten() {
        for prop in ["route", "routePrefix"] {
            let Some(Value::String(r)) = m.entry.get(prop).cloned() else {
                continue;
            };
            let mut candidate = r.clone();
            let mut n = 2;
            while !seen.insert((m.forge_type.to_string(), candidate.clone())) {
                candidate = format!("{r}-{n}");
                n += 1;
            }
            m.entry.insert(prop.into(), Value::String(candidate));
        }
    }
}

/// A Connect module that became a native Forge module.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForgeModule {
    /// The kind that made it ([`Kind::id`]).
    pub kind: &'static str,
    /// The Connect module type it came from (`jiraBackgroundScripts`).
    pub connect_type: &'static str,
    /// The Forge module type (`jira:issueViewBackgroundScript`).
    pub forge_type: &'static str,
    /// The module key (the Connect key: Forge accepts every one).
    pub key: String,
    /// The Forge manifest entry's properties after `key` and `resource`, in the order written
    /// (`shouldReloadOnRefresh`).
    pub entry: Map<String, Value>,
    /// The URL of the page the Connect module showed, relative to the app's baseUrl, for a
    /// module with a page.
    pub page_url: Option<String>,
    /// The Custom UI resource that carries the page (given by the mapping).
    pub resource: Option<Resource>,
    /// Further pages of the same module, each with a resource of its own: a macro's custom
    /// editor, a dashboard gadget's edit page.
    pub extra_pages: Vec<ExtraPage>,
    /// What the review, the JSON output and the scaffold templates show of this kind's module
    /// (a background script's `location` and `should_reload_on_refresh`).
    pub details: Map<String, Value>,
    /// The Connect entry's JSON path (`$.modules.jiraBackgroundScripts[0]`).
    pub path: String,
}

/// A page of a module besides its main one (a macro's editor, a gadget's edit page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraPage {
    /// The name the port and `--page` use for it (`<module key>-editor`): unique in the app.
    pub key: String,
    /// What it is to the module, as the compatibility layer names the surface (`config`: a
    /// macro's editor, `edit`: a gadget's edit page).
    pub entry: &'static str,
    /// The manifest property that names its resource (`config`, `edit`): `{resource: <key>}`.
    pub property: &'static str,
    /// Its Connect URL, relative to the app's baseUrl.
    pub page_url: String,
    /// Its resource (given by the mapping).
    pub resource: Option<Resource>,
}

/// One page of a module as the port and the scaffold see it: the main page or an extra one.
#[derive(Debug, Clone, Copy)]
pub struct PageView<'a> {
    /// The port's key for it: the module key, or the extra page's key.
    pub key: &'a str,
    /// Its Connect URL.
    pub url: &'a str,
    /// Its resource.
    pub resource: &'a Resource,
    /// `main`, or the extra page's surface (`config`, `edit`).
    pub entry: &'static str,
    /// Its route, when it is one of a module's `pages` ([`subpages`]): the resource shows it from
    /// its folder `pages/<route>/`.
    pub route: Option<&'a str>,
}

impl PageView<'_> {
    /// The folder its scaffold is rendered into: the resource's, or `pages/<route>` in it.
    pub fn dir(&self) -> String {
        match self.route {
            Some(r) => format!("{}/pages/{r}", self.resource.scaffold_dir),
            None => self.resource.scaffold_dir.clone(),
        }
    }
}

/// A module's Custom UI resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// Its key (at most 23 characters, unique within the app ignoring case).
    pub key: String,
    /// The folder the manifest names (`static/<key>/build`).
    pub path: String,
    /// The scaffold folder (`static/<key>`).
    pub scaffold_dir: String,
}

impl Resource {
    /// The resource with key `key`, in `static/<key>`.
    pub fn new(key: String) -> Self {
        Self {
            path: format!("static/{key}/build"),
            scaffold_dir: format!("static/{key}"),
            key,
        }
    }
}

impl ForgeModule {
    /// A kind-specific detail that is a string (`location`, `opens`, ...), for labels.
    pub fn detail(&self, name: &str) -> Option<&str> {
        self.details.get(name).and_then(Value::as_str)
    }

    /// Whether the module has a page to carry: its own, or only further ones (a workflow post
    /// function's configuration pages).
    pub fn has_pages(&self) -> bool {
        self.page_url.is_some() || !self.extra_pages.is_empty()
    }

    /// How many Custom UI resources of its own its pages need (a page folded into another
    /// module, [`subpages`], shares that module's).
    pub fn page_count(&self) -> usize {
        usize::from(self.page_url.is_some() && self.subpage_of().is_none()) + self.extra_pages.len()
    }

    /// Whether the module's resource only takes the user elsewhere (a web item's link to another
    /// site or a product page): its URL is where it goes, not a page of the app to carry.
    pub fn is_link(&self) -> bool {
        self.details.contains_key("link")
    }

    /// The module's kind (every module is made by one in [`REGISTRY`]).
    pub fn kind(&self) -> &'static dyn Kind {
        by_id(self.kind).unwrap_or(REGISTRY[0])
    }

    /// The manifest entry: `key`, `resource` when it has one, then the kind's properties, then
    /// each extra page's property naming its resource (`config: {resource: …}`).
    pub fn manifest_entry(&self) -> Value {
        let mut e = Map::new();
        e.insert("key".into(), Value::String(self.key.clone()));
        if let Some(r) = &self.resource {
            e.insert("resource".into(), Value::String(r.key.clone()));
        }
        e.extend(self.entry.clone());
        for p in &self.extra_pages {
            if let Some(r) = &p.resource {
                let mut o = match e.get(p.property) {
                    Some(Value::Object(o)) => o.clone(),
                    _ => Map::new(),
                };
                o.insert("resource".into(), Value::String(r.key.clone()));
                e.insert(p.property.into(), Value::Object(o));
            }
        }
        Value::Object(e)
    }

    /// The `resources` entries of its resources (the main page's first), if it has any; none for
    /// a page folded into another module's resource.
    pub fn resource_entries(&self) -> Vec<Value> {
        // A folded page is carried in the resource of the module that holds it.
        let main = self.resource.iter().filter(|_| self.subpage_of().is_none());
        let extra = self.extra_pages.iter().filter_map(|p| p.resource.as_ref());
        main.chain(extra)
            .map(|r| {
                let mut e = Map::new();
                e.insert("key".into(), Value::String(r.key.clone()));
                e.insert("path".into(), Value::String(r.path.clone()));
                Value::Object(e)
            })
            .collect()
    }

    /// Every page of the module that has a resource: the main one, then the extra ones.
    pub fn pages(&self) -> Vec<PageView<'_>> {
        let main = self
            .resource
            .as_ref()
            .zip(self.page_url.as_deref())
            .map(|(resource, url)| PageView {
                key: &self.key,
                url,
                resource,
                entry: "main",
                route: self.route(),
            });
        let extra = self.extra_pages.iter().filter_map(|p| {
            Some(PageView {
                key: &p.key,
                url: &p.page_url,
                resource: p.resource.as_ref()?,
                entry: p.entry,
                route: None,
            })
        });
        main.into_iter().chain(extra).collect()
    }

    /// The scaffold folder, for a module with a resource.
    pub fn scaffold_dir(&self) -> Option<&str> {
        self.resource.as_ref().map(|r| r.scaffold_dir.as_str())
    }

    /// The Connect page URL, or "" for a module without a page.
    pub fn connect_url(&self) -> &str {
        self.page_url.as_deref().unwrap_or("")
    }

    /// The review's one-line description, after the key.
    pub fn label(&self) -> String {
        self.kind().label(self)
    }
}

/// Whether a key is a Connect/Forge module key: 1 to 100 letters, digits, `-` or `_`, where a
/// `${VAR}` stands for a value Forge fills in at deploy (checked by Forge then).
pub fn is_module_key(k: &str) -> bool {
    let mut rest = k.to_string();
    while let Some(start) = rest.find("${") {
        match rest[start..].find('}') {
            Some(end) => rest.replace_range(start..start + end + 1, "v"),
            None => break,
        }
    }
    !rest.is_empty()
        && rest.len() <= MAX_KEY_LEN
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_found_by_its_names_and_no_two_share_one() {
        for k in REGISTRY {
            assert_eq!(by_id(k.id()).map(|x| x.id()), Some(k.id()));
            for t in k.connect_types() {
                assert_eq!(by_connect_type(t).map(|x| x.id()), Some(k.id()), "{t}");
            }
            for t in k.forge_types() {
                assert!(by_forge_type(t).is_some(), "{t}");
            }
        }
        let mut ids: Vec<_> = REGISTRY.iter().map(|k| k.id()).collect();
        let mut types: Vec<_> = connect_types().collect();
        let mut forge: Vec<_> = forge_types().collect();
        assert!(!forge.contains(&""), "a resource-only kind lists no type");
        for list in [&mut ids, &mut types, &mut forge] {
            let n = list.len();
            list.sort();
            list.dedup();
            assert_eq!(list.len(), n, "{list:?}");
        }
    }

    #[test]
    fn module_keys_follow_connect_and_forge() {
        for ok in ["a", "A-b_c", "x".repeat(100).as_str(), "${KEY}-panel"] {
            assert!(is_module_key(ok), "{ok}");
        }
        for bad in ["", "a.b", "a b", "x".repeat(101).as_str(), "é"] {
            assert!(!is_module_key(bad), "{bad}");
        }
    }
}
