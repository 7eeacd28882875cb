//! The mapping from a Connect descriptor to a Forge app model. Pure: no I/O, no rendering.
//!
//! The modules a [kind](crate::kinds) migrates become native Forge modules, each with a page
//! getting one Custom UI resource; everything else follows Atlassian's incremental-adoption
//! layout (`app.connect`, `remotes`, `connectModules`), so the app keeps working while the rest
//! is migrated.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;
use serde_json::{json, Map, Value};

pub mod keys;

use crate::descriptor::keys::{generated_key_base, unique_key, Taken};
use crate::descriptor::product::{self, Product};
use crate::descriptor::{self, Descriptor};
use crate::diagnostics::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::kinds::{self, ForgeModule, Resource};

/// The Forge runtime the manifest names (the newest `@forge/manifest` 13.7 accepts).
pub const RUNTIME: &str = "nodejs24.x";
/// `app.id` until `forge register` writes the real one.
pub const PLACEHOLDER_APP_ID: &str =
    "ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000";
/// The remote that stands for the Connect backend.
pub const CONNECT_REMOTE: &str = "connect";
/// Forge's limit on resources per app.
pub const MAX_RESOURCES: usize = 50;

/// The Forge app the migration produces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForgeApp {
    /// Jira or Confluence.
    pub product: Product,
    /// `app.id`.
    pub app_id: String,
    /// True when `app_id` is [`PLACEHOLDER_APP_ID`].
    pub app_id_is_placeholder: bool,
    /// `app.runtime.name`.
    pub runtime: &'static str,
    /// The Connect app key (`app.connect.key`).
    pub connect_key: String,
    /// The app's name, for the scaffold's titles.
    pub name: String,
    /// `app.description`.
    pub description: Option<String>,
    /// `app.connect.authentication`, when the Connect app used JWT.
    pub authentication: Option<&'static str>,
    /// The Connect baseUrl (`remotes[0].baseUrl`).
    pub base_url: String,
    /// The native Forge modules, in descriptor order, each with its resource when it has a page.
    pub modules: Vec<ForgeModule>,
    /// `connectModules`: `<product>:<type>` → entries, in descriptor order.
    pub connect_modules: Vec<(String, Vec<Value>)>,
    /// `permissions.scopes`.
    pub scopes: Vec<String>,
    /// `permissions.external.scripts` addresses: where the carried pages load scripts from.
    pub external_scripts: Vec<String>,
    /// `permissions.external.styles` addresses: where the carried pages load stylesheets from.
    pub external_styles: Vec<String>,
    /// `permissions.external.fetch.client` addresses: the third-party hosts the carried pages
    /// call (`fetch`, XHR, jQuery, axios).
    pub external_fetch: Vec<String>,
    /// `permissions.external.images` addresses: the hosts the carried pages show images from.
    pub external_images: Vec<String>,
    /// `permissions.external.fonts` addresses: the hosts their style sheets load fonts from.
    pub external_fonts: Vec<String>,
    /// `permissions.external.media` addresses: the hosts they play audio and video from.
    pub external_media: Vec<String>,
    /// `environment.variables` (placeholders to set before `forge deploy`).
    pub variables: Vec<descriptor::Variable>,
    /// Remarks for the review.
    pub warnings: Vec<Diagnostic>,
}

/// What the carried pages add to an app's `permissions`: the OAuth scopes their REST calls need,
/// the external hosts they still load scripts and stylesheets from, and the third-party hosts
/// they call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permissions {
    /// `permissions.scopes`.
    pub scopes: Vec<String>,
    /// `permissions.external.scripts`.
    pub external_scripts: Vec<String>,
    /// `permissions.external.styles`.
    pub external_styles: Vec<String>,
    /// `permissions.external.fetch.client`.
    pub external_fetch: Vec<String>,
    /// `permissions.external.images`.
    pub external_images: Vec<String>,
    /// `permissions.external.fonts`.
    pub external_fonts: Vec<String>,
    /// `permissions.external.media`.
    pub external_media: Vec<String>,
}

impl Permissions {
    /// Whether there is nothing to add.
    pub fn is_empty(&self) -> bool {
        self.lists().iter().all(|(_, items)| items.is_empty())
    }

    /// Each list with the keys that lead to it in the manifest, and its entries as the manifest
    /// writes them: a scope as a string, an external host as `{address: …}` (the plain-string
    /// form is deprecated: Atlassian's validator warns about it).
    pub fn lists(&self) -> [(&'static [&'static str], Vec<Value>); 7] {
        let addresses = |urls: &[String]| urls.iter().map(|u| json!({"address": u})).collect();
        [
            (
                &["permissions", "scopes"],
                self.scopes.iter().map(|s| json!(s)).collect(),
            ),
            (
                &["permissions", "external", "scripts"],
                addresses(&self.external_scripts),
            ),
            (
                &["permissions", "external", "styles"],
                addresses(&self.external_styles),
            ),
            (
                &["permissions", "external", "fetch", "client"],
                addresses(&self.external_fetch),
            ),
            (
                &["permissions", "external", "images"],
                addresses(&self.external_images),
            ),
            (
                &["permissions", "external", "fonts"],
                addresses(&self.external_fonts),
            ),
            (
                &["permissions", "external", "media"],
                addresses(&self.external_media),
            ),
        ]
    }

    /// Adds `item` to `list` unless it is there already (first-need order, no repeats).
    pub fn add(list: &mut Vec<String>, item: &str) {
        if !list.iter().any(|s| s == item) {
            list.push(item.to_string());
        }
    }

    /// The `permissions.external` address for a URL a page loads from: `https:` for a
    /// protocol-relative URL (Custom UI is served over https), without query or fragment (a
    /// content security policy source matches paths only).
    pub fn address(url: &str) -> String {
        let url = url.split(['?', '#']).next().unwrap_or(url);
        match url.strip_prefix("//") {
            Some(rest) => format!("https://{rest}"),
            None => url.to_string(),
        }
    }
}

/// Maps a descriptor. `existing_app_id` comes from a manifest already in the output folder.
pub fn map(d: Descriptor, existing_app_id: Option<&str>) -> Result<ForgeApp> {
    let product = d.product;
    let mut warnings = Vec::new();
    let note = |warnings: &mut Vec<Diagnostic>,
                path: Option<String>,
                module: Option<&str>,
                message: String| {
        warnings.push(Diagnostic {
            severity: Severity::Warning,
            file: d.file.clone(),
            position: path.as_ref().and_then(|p| d.places.get(p).copied()),
            path,
            module: module.map(str::to_string),
            message,
        })
    };

    let refuse = |path: &str, message: String| {
        Error::input(Diagnostic {
            position: d.places.get(path).copied(),
            path: Some(path.to_string()),
            ..Diagnostic::file_error(&d.file, message)
        })
    };
    // Every module with a page needs a resource, and Forge allows at most 50 of them.
    // A page folded into another module shares its resource.
    let paged: Vec<&ForgeModule> = d.forge_modules.iter().filter(|m| m.has_pages()).collect();
    let needed: usize = paged.iter().map(|m| m.page_count()).sum();
    if needed > MAX_RESOURCES {
        let types: BTreeSet<&str> = paged.iter().map(|m| m.connect_type).collect();
        let (path, what) = match (types.len(), paged.first()) {
            (1, Some(m)) => (format!("$.modules.{}", m.connect_type), m.kind().plural()),
            _ => ("$.modules".to_string(), "modules with pages"),
        };
        return Err(refuse(&path, format!(
            "{n} {what} need {needed} Custom UI resources, but a Forge app may have at most {MAX_RESOURCES}: migrate them in batches (keep the rest as Connect modules with --keep-connect) or merge scripts",
            n = paged.len()
        )));
    }
    for m in &d.forge_modules {
        let kind = m.kind();
        if !kind.products().contains(&product) {
            let names: Vec<&str> = kind.products().iter().map(|p| p.name()).collect();
            let other = kind.products().first().map_or("", |p| p.as_str());
            return Err(refuse(&format!("$.modules.{}", m.connect_type), format!("{} are {} modules; this app is for {} (use --product {other} if that is wrong)", m.connect_type, names.join(" and "), product.name())));
        }
    }

    let mut taken = Taken {
        keys: descriptor::used_keys(&d),
        next: HashMap::new(),
    };
    let mut modules = d.forge_modules;
    // Keys a kind generated (a keyless webhook's, from its event) may repeat: later ones get `-2`…
    let mut seen = HashSet::new();
    for m in &mut modules {
        if !seen.insert(m.key.clone()) {
            m.key = unique_key(&m.key, &mut taken);
            seen.insert(m.key.clone());
        }
    }
    give_resources(&mut modules, &BTreeSet::new());

    // Forge's Connect schema forbids unlicensedAccess on every connectModules entry.
    // `path` is built only for the warning: a big app has tens of thousands of entries.
    let licensed = |mut o: Map<String, Value>,
                    path: &dyn Fn() -> String,
                    warnings: &mut Vec<Diagnostic>| {
        if o.remove("unlicensedAccess").is_some() {
            note(warnings, Some(path()), o.get("key").and_then(Value::as_str), "\"unlicensedAccess\" is not allowed on Forge connectModules; dropped (Forge apps handle unlicensed users through licensing checks)".into());
        }
        o
    };
    // `lifecycle`, `translations` and `cloudAppMigration` become one-entry connectModules under a
    // generated key; a `key` property of their own (no Connect field) would replace it with a
    // key nothing checked (invalid, or another module's), so it is dropped.
    let unkeyed = |mut o: Map<String, Value>,
                   field: &str,
                   generated: &str,
                   warnings: &mut Vec<Diagnostic>| {
        if o.shift_remove("key").is_some() {
            note(warnings, Some(format!("$.{field}.key")), None, format!("\"key\" is not a {field} property in Connect; dropped: its connectModules entry has the generated key \"{generated}\""));
        }
        o
    };
    let mut connect_modules: Vec<(String, Vec<Value>)> = Vec::new();
    // The lifecycle is placed once the other Connect modules are known (below).
    let lifecycle = d.lifecycle;
    // The descriptor's values are moved, not copied: they are most of the memory of a big app.
    for (module_type, entries) in d.modules {
        let mut out = Vec::with_capacity(entries.len());
        for (i, e) in entries.into_iter().enumerate() {
            let Value::Object(o) = e else { continue };
            let path = || format!("$.modules.{module_type}[{i}]");
            let o = licensed(o, &path, &mut warnings);
            if o.get("key").is_some_and(Value::is_string) {
                out.push(Value::Object(o));
                continue;
            }
            // The descriptor reader refuses non-string keys, so only a missing one gets here.
            let k = unique_key(&generated_key_base(&module_type, &o), &mut taken);
            note(
                &mut warnings,
                Some(path()),
                None,
                format!("entry has no key (Forge requires one): generated \"{k}\""),
            );
            out.push(keyed(k, Some(o)));
        }
        push_entries(
            &mut connect_modules,
            format!("{product}:{module_type}"),
            out,
        );
    }
    // Connect's translations translate the names of the descriptor's Connect modules, nothing
    // else: with none of them left on Connect, there is nothing for them to translate.
    let translations = match d.translations {
        Some(_) if connect_modules.is_empty() => {
            note(&mut warnings, Some("$.translations".into()), None, "translations translate only the names of Connect modules, and no Connect module remains: not carried. The Forge modules' titles are the descriptor's default-language names; translate them with Forge's translations (locale files in the app) and i18n keys".into());
            None
        }
        other => other,
    };
    // With no other Connect module left, the lifecycle callbacks become Forge lifecycle modules on
    // the app's remote; while one remains, the Connect backend still needs `installed` (its shared
    // secret signs the modules' JWTs), so the lifecycle stays a Connect module.
    if let Some(lifecycle) = lifecycle {
        let mut f = crate::diagnostics::Findings::default();
        let alone =
            connect_modules.is_empty() && translations.is_none() && d.cloud_app_migration.is_none();
        let forge = match alone && !d.keep_lifecycle {
            true => kinds::lifecycle::migrate(&lifecycle, &d.base_url, &mut f),
            false => None,
        };
        for x in f.0 {
            note(&mut warnings, Some(x.path), x.module.as_deref(), x.message);
        }
        match forge {
            Some(made) => {
                for mut m in made {
                    m.key = unique_key(&m.key, &mut taken);
                    modules.push(m);
                }
            }
            None => {
                let k = unique_key("lifecycle-events", &mut taken);
                let lifecycle = licensed(lifecycle, &|| "$.lifecycle".into(), &mut warnings);
                let lifecycle = unkeyed(lifecycle, "lifecycle", &k, &mut warnings);
                let entry = keyed(k, Some(lifecycle));
                connect_modules.insert(0, (format!("{product}:lifecycle"), vec![entry]));
            }
        }
    }
    // Descriptor-level objects that Forge carries as one-entry connectModules with a key.
    for (value, module_type, key) in [
        (translations, "translations", "connect-translations"),
        (
            d.cloud_app_migration,
            "cloudAppMigration",
            "cloud-app-migration",
        ),
    ] {
        if let Some(v) = value {
            let k = unique_key(key, &mut taken);
            let v = match v {
                Value::Object(o) => {
                    let o = licensed(o, &|| format!("$.{module_type}"), &mut warnings);
                    Some(unkeyed(o, module_type, &k, &mut warnings))
                }
                _ => None,
            };
            let entry = keyed(k, v);
            push_entries(
                &mut connect_modules,
                format!("{product}:{module_type}"),
                vec![entry],
            );
        }
    }

    // Every route the Forge app now calls on the backend gets its endpoint, with the app's token
    // when the app called the product's REST API.
    let api_scopes = d.scopes.iter().any(|s| s != "NONE");
    kinds::webhook::remote::attach_endpoints(&mut modules, api_scopes);

    // Forge rejects a manifest with neither `modules` nor `connectModules`: an app with nothing
    // in either has nothing to migrate.
    if modules.is_empty() && connect_modules.is_empty() {
        return Err(refuse(
            "$.modules",
            "nothing to migrate: the descriptor has no module, lifecycle or webhook that a Forge app could hold (Forge rejects a manifest with neither modules nor connectModules)".into(),
        ));
    }
    if let Some((name, entries)) = connect_modules
        .iter()
        .find(|(n, e)| n.ends_with(":lifecycle") && e.len() > 1)
    {
        return Err(refuse(
            "$.lifecycle",
            format!(
                "{} lifecycle declarations ({name}); Forge takes exactly one: merge them",
                entries.len()
            ),
        ));
    }
    let description = match d.description {
        Some(t) if t.chars().count() > 1000 => {
            note(&mut warnings, Some("$.description".into()), None, "description is longer than Forge's 1000 characters; not carried to app.description".into());
            None
        }
        Some(t) if t.trim().is_empty() => None,
        other => other,
    };

    let mut scopes = Vec::new();
    // The scopes each Forge product event needs (a trigger's `details.scopes`).
    for m in &modules {
        for s in m
            .details
            .get("scopes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(s) = s.as_str() {
                Permissions::add(&mut scopes, s);
            }
        }
    }
    // With nothing left on Connect, the backend calls the product's REST API with the app token
    // its endpoints receive, which Forge's own scopes govern: the Connect scopes are replaced.
    let native = connect_modules.is_empty() && !d.scopes.is_empty();
    for s in d.scopes.iter().filter(|_| native) {
        let forge = forge_scopes(product, s);
        for f in forge {
            Permissions::add(&mut scopes, f);
        }
        let why = match (s.as_str(), forge.is_empty()) {
            ("NONE", _) => continue,
            ("ACT_AS_USER", _) => "no Forge scope: a trigger has no user; calls made as a user need an endpoint with auth.appUserToken, called from the UI".to_string(),
            (_, true) => "no Forge scope".to_string(),
            (_, false) => forge.join(", "),
        };
        note(&mut warnings, Some("$.scopes".into()), None, format!("no Connect module remains, so the Connect scope {s} is replaced by Forge's own scopes for the app token: {why}"));
    }
    for s in d.scopes.iter().filter(|_| !native) {
        match product::forge_scope(product, s) {
            Some(f) => scopes.push(f),
            None if s == "NONE" => {}
            None => note(
                &mut warnings,
                Some("$.scopes".into()),
                None,
                format!("scope {s} has no Forge equivalent for {product}; dropped"),
            ),
        }
    }

    let authentication = match d.authentication.as_deref() {
        Some("jwt") => Some("jwt"),
        None => None,
        Some(other) => {
            note(&mut warnings, Some("$.authentication.type".into()), None, format!("authentication \"{other}\" has no Forge equivalent (app.connect takes only jwt); Forge's default (jwt) applies: your backend will receive JWTs it may ignore"));
            None
        }
    };
    if connect_modules.is_empty() && authentication.is_some() {
        // Forge rejects app.connect.authentication without connectModules.
        note(&mut warnings, Some("$.authentication".into()), None, "no Connect module remains, so app.connect.authentication is left out (Forge rejects it without connectModules)".into());
    }
    let authentication = authentication.filter(|_| !connect_modules.is_empty());

    let mut app = ForgeApp {
        product,
        app_id: existing_app_id.unwrap_or(PLACEHOLDER_APP_ID).to_string(),
        app_id_is_placeholder: existing_app_id.is_none_or(|id| id == PLACEHOLDER_APP_ID),
        runtime: RUNTIME,
        name: d.name.unwrap_or_else(|| d.key.clone()),
        connect_key: d.key,
        description,
        authentication,
        base_url: d.base_url,
        modules,
        connect_modules,
        scopes,
        external_scripts: Vec::new(),
        external_styles: Vec::new(),
        external_fetch: Vec::new(),
        external_images: Vec::new(),
        external_fonts: Vec::new(),
        external_media: Vec::new(),
        variables: d.variables,
        warnings,
    };
    // Declare only the variables the manifest uses: a baseUrl placeholder is unused when no
    // Connect module (and so no remote) remains, and a declared variable without a default must
    // be set before every deploy.
    let head = app.manifest(false);
    let used = referenced_variables(
        std::iter::once(&head).chain(app.connect_modules.iter().flat_map(|(_, e)| e)),
    );
    app.variables.retain(|v| used.contains(&v.name));
    Ok(app)
}

/// The Forge scopes that allow what a Connect scope allowed through the REST API, for an app
/// whose backend calls it with the app token of its endpoints (the classic OAuth scopes
/// Atlassian's scope list in `@forge/manifest` 13.7.0 holds).
pub fn forge_scopes(product: Product, connect_scope: &str) -> &'static [&'static str] {
    match (product, connect_scope) {
        (Product::Jira, "READ") => &["read:jira-work", "read:jira-user"],
        (Product::Jira, "WRITE" | "DELETE") => &["write:jira-work"],
        (Product::Jira, "PROJECT_ADMIN") => &["manage:jira-project"],
        (Product::Jira, "ADMIN") => &["manage:jira-configuration"],
        (Product::Jira, "ACCESS_EMAIL_ADDRESSES") => &["read:email-address:jira"],
        (Product::Confluence, "READ") => &[
            "read:confluence-content.all",
            "read:confluence-space.summary",
            "read:confluence-props",
            "read:confluence-user",
        ],
        (Product::Confluence, "WRITE") => &[
            "write:confluence-content",
            "write:confluence-props",
            "write:confluence-file",
        ],
        (Product::Confluence, "DELETE") => &["write:confluence-content"],
        (Product::Confluence, "SPACE_ADMIN") => &["write:confluence-space"],
        (Product::Confluence, "ADMIN") => &["manage:confluence-configuration"],
        (Product::Confluence, "ACCESS_EMAIL_ADDRESSES") => &["read:email-address:confluence"],
        _ => &[],
    }
}

/// The `${NAME}` Forge variables that string values (not keys) of `v` refer to.
fn referenced_variables<'a>(roots: impl Iterator<Item = &'a Value>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<&Value> = roots.collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => {
                let mut rest = s.as_str();
                while let Some(i) = rest.find("${") {
                    rest = &rest[i + 2..];
                    if let Some(end) = rest.find('}') {
                        out.insert(rest[..end].to_string());
                        rest = &rest[end + 1..];
                    }
                }
            }
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    out
}

/// Gives every module with a page its Custom UI resource: keys made from the module keys, in
/// order, unique among themselves and distinct from `taken` ignoring case.
/// A page folded into another module ([`kinds::subpages`]) gets that module's resource.
pub fn give_resources(modules: &mut [ForgeModule], taken: &BTreeSet<String>) {
    let own = |m: &ForgeModule| m.page_url.is_some() && m.subpage_of().is_none();
    let mut names: Vec<String> = Vec::new();
    for m in modules.iter().filter(|m| m.has_pages()) {
        if own(m) {
            names.push(m.key.clone());
        }
        names.extend(m.extra_pages.iter().map(|p| p.key.clone()));
    }
    let mut keys = keys::resource_keys(&names, taken).into_iter();
    for m in modules.iter_mut().filter(|m| m.has_pages()) {
        if own(m) {
            m.resource = keys.next().map(Resource::new);
        }
        for p in &mut m.extra_pages {
            p.resource = keys.next().map(Resource::new);
        }
    }
    let holders: HashMap<String, Option<Resource>> = modules
        .iter()
        .filter(|m| m.route().is_some() && m.subpage_of().is_none())
        .map(|m| (m.key.clone(), m.resource.clone()))
        .collect();
    for m in modules.iter_mut() {
        if let Some(r) = m.subpage_of().and_then(|h| holders.get(h)) {
            m.resource = r.clone();
        }
    }
}

/// An entry with `key` first, then the object's own properties.
fn keyed(key: String, rest: Option<Map<String, Value>>) -> Value {
    let mut entry = Map::new();
    entry.insert("key".into(), Value::String(key));
    entry.extend(rest.into_iter().flatten());
    Value::Object(entry)
}

/// Adds entries under a `connectModules` type, appending when the type is already there (a
/// descriptor may name the same kind twice, e.g. top-level `lifecycle` and `modules.lifecycle`).
fn push_entries(cm: &mut Vec<(String, Vec<Value>)>, name: String, entries: Vec<Value>) {
    if entries.is_empty() {
        return;
    }
    match cm.iter_mut().find(|(n, _)| *n == name) {
        Some((_, existing)) => existing.extend(entries),
        None => cm.push((name, entries)),
    }
}

impl ForgeApp {
    /// Whether the manifest declares the Connect backend as a remote: for `connectModules`, or for
    /// the endpoints triggers call.
    pub fn needs_remote(&self) -> bool {
        !self.connect_modules.is_empty()
            || self
                .modules
                .iter()
                .any(|m| m.forge_type == kinds::webhook::remote::ENDPOINT)
    }

    /// The manifest this app should have, as a value: what the rendered `manifest.yml` must
    /// parse back to (a user template may add to it, never change or drop from it).
    pub fn manifest_value(&self) -> Value {
        self.manifest(true)
    }

    /// The manifest value, with or without its `connectModules` entries (most of a big app, which
    /// need not be copied to be walked): without, `connectModules` is an empty object in its place.
    pub(crate) fn manifest(&self, with_connect_modules: bool) -> Value {
        let mut app = Map::new();
        app.insert("id".into(), json!(self.app_id));
        if let Some(d) = &self.description {
            app.insert("description".into(), json!(d));
        }
        app.insert("runtime".into(), json!({"name": self.runtime}));
        let mut connect = Map::new();
        connect.insert("key".into(), json!(self.connect_key));
        // Also without connectModules: Forge keeps the Connect installation's data region on the
        // upgrade only when app.connect.remote names the remote (its validator warns otherwise).
        if self.needs_remote() {
            connect.insert("remote".into(), json!(CONNECT_REMOTE));
        }
        if let Some(a) = self.authentication {
            connect.insert("authentication".into(), json!(a));
        }
        app.insert("connect".into(), Value::Object(connect));
        let mut m = Map::new();
        m.insert("app".into(), Value::Object(app));
        // The Connect remote serves connectModules; without them it would be an unused remote
        // that Forge warns about.
        if self.needs_remote() {
            m.insert(
                "remotes".into(),
                json!([{"key": CONNECT_REMOTE, "baseUrl": self.base_url}]),
            );
        }
        if !self.modules.is_empty() {
            let mut modules = Map::new();
            for t in kinds::forge_types() {
                let entries: Vec<Value> = self
                    .modules
                    .iter()
                    .filter(|m| m.forge_type == t)
                    .map(ForgeModule::manifest_entry)
                    .collect();
                if !entries.is_empty() {
                    modules.insert(t.into(), Value::Array(entries));
                }
            }
            // A dialog is a resource without a module: modules may have no entry at all (and
            // Forge rejects an empty `modules:`).
            if !modules.is_empty() {
                m.insert("modules".into(), Value::Object(modules));
            }
            let resources: Vec<Value> = self
                .modules
                .iter()
                .flat_map(ForgeModule::resource_entries)
                .collect();
            if !resources.is_empty() {
                m.insert("resources".into(), Value::Array(resources));
            }
        }
        if !self.connect_modules.is_empty() {
            let entries = self
                .connect_modules
                .iter()
                .filter(|_| with_connect_modules)
                .map(|(t, e)| (t.clone(), Value::Array(e.clone())));
            m.insert("connectModules".into(), Value::Object(entries.collect()));
        }
        let mut permissions = Map::new();
        if !self.scopes.is_empty() {
            permissions.insert("scopes".into(), json!(self.scopes));
        }
        let mut external = Map::new();
        let addresses =
            |urls: &[String]| -> Value { urls.iter().map(|u| json!({"address": u})).collect() };
        if !self.external_scripts.is_empty() {
            external.insert("scripts".into(), addresses(&self.external_scripts));
        }
        if !self.external_styles.is_empty() {
            external.insert("styles".into(), addresses(&self.external_styles));
        }
        if !self.external_fetch.is_empty() {
            external.insert(
                "fetch".into(),
                json!({"client": addresses(&self.external_fetch)}),
            );
        }
        for (key, list) in [
            ("images", &self.external_images),
            ("fonts", &self.external_fonts),
            ("media", &self.external_media),
        ] {
            if !list.is_empty() {
                external.insert(key.into(), addresses(list));
            }
        }
        if !external.is_empty() {
            permissions.insert("external".into(), Value::Object(external));
        }
        if !permissions.is_empty() {
            m.insert("permissions".into(), Value::Object(permissions));
        }
        if !self.variables.is_empty() {
            m.insert(
                "environment".into(),
                json!({"variables": self.variables.iter().map(|v| match &v.default {
                    Some(d) => json!({"key": v.name, "default": d}),
                    None => json!(v.name),
                }).collect::<Vec<_>>()}),
            );
        }
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::{read, ReadOptions};
    use crate::source::SourceText;
    use std::collections::BTreeMap;

    fn app(text: &str) -> ForgeApp {
        let src = SourceText::new("t.json", text.to_string());
        let d = read(&src, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e:?}"));
        map(d, None).unwrap()
    }

    const BASE: &str = r#""key": "k", "baseUrl": "https://k.example.com""#;

    #[test]
    fn background_scripts_become_native_modules_and_leave_connect_modules() {
        let a = app(&format!(
            r#"{{{BASE}, "modules": {{"jiraBackgroundScripts": [
                {{"key": "iv", "url": "/iv", "location": {{"type": "ISSUE_VIEW", "shouldReloadOnRefresh": true}}}},
                {{"key": "db", "url": "/db", "location": {{"type": "dashboard"}}}}],
              "jiraReports": [{{"key": "tab", "name": {{"value": "T"}}, "description": {{"value": "D"}}, "url": "/t"}}]}}}}"#
        ));
        let types: Vec<_> = a
            .modules
            .iter()
            .map(|m| {
                let reload = m
                    .entry
                    .get("shouldReloadOnRefresh")
                    .and_then(Value::as_bool);
                (m.key.as_str(), m.forge_type, reload)
            })
            .collect();
        assert_eq!(
            types,
            [
                ("iv", "jira:issueViewBackgroundScript", Some(true)),
                ("db", "jira:dashboardBackgroundScript", None)
            ]
        );
        let names: Vec<_> = a.connect_modules.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(names, ["jira:jiraReports"]);
        let m = a.manifest_value();
        assert_eq!(
            m["resources"][0],
            json!({"key": "iv", "path": "static/iv/build"})
        );
        assert_eq!(m["app"]["connect"]["remote"], "connect");
    }

    #[test]
    fn singletons_lifecycle_and_keyless_entries_get_forge_shapes() {
        let a = app(&format!(
            r#"{{{BASE}, "lifecycle": {{"installed": "/i"}}, "modules": {{
                "configurePage": {{"key": "cfg", "name": {{"value": "C"}}, "url": "/c"}},
                "jiraIssueTabPanels": [{{"key": "tab", "name": {{"value": "T"}}, "url": "/t"}}],
                "webhooks": [{{"event": "option_voting_changed", "url": "/w"}}, {{"event": "option_voting_changed", "url": "/w2"}}]}}}}"#
        ));
        let cm: BTreeMap<_, _> = a.connect_modules.iter().cloned().collect();
        assert_eq!(
            cm["jira:lifecycle"],
            [json!({"key": "lifecycle-events", "installed": "/i"})]
        );
        // A singleton module (an object, not a list) migrates like a list of one.
        assert!(!cm.contains_key("jira:configurePage"));
        assert_eq!(a.modules[0].forge_type, "jira:adminPage");
        assert_eq!(a.modules[0].entry.get("useAsConfig"), Some(&json!(true)));
        let keys: Vec<_> = cm["jira:webhooks"]
            .iter()
            .map(|w| w["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "webhook-option-voting-changed",
                "webhook-option-voting-changed-2"
            ]
        );
        let generated = a
            .warnings
            .iter()
            .filter(|w| w.message.contains("generated"));
        assert_eq!(generated.count(), 2, "one note per generated key");
    }

    #[test]
    fn lifecycle_and_webhooks_leave_connect_when_nothing_else_stays() {
        let a = app(&format!(
            r#"{{{BASE}, "authentication": {{"type": "jwt"}}, "scopes": ["READ"],
               "lifecycle": {{"installed": "/installed", "uninstalled": "/uninstalled"}},
               "modules": {{"webhooks": [
                 {{"event": "jira:issue_created", "url": "/hook"}},
                 {{"event": "jira:issue_created", "url": "/hook"}}]}}}}"#
        ));
        assert!(a.connect_modules.is_empty(), "{:?}", a.connect_modules);
        let m = a.manifest_value();
        assert_eq!(
            m["app"]["connect"],
            json!({"key": "k", "remote": "connect"})
        );
        assert_eq!(m["remotes"][0]["key"], "connect");
        let triggers: Vec<_> = m["modules"]["trigger"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["key"].as_str().unwrap(), t["endpoint"].as_str().unwrap()))
            .collect();
        assert_eq!(
            triggers,
            [
                ("webhook-jira-issue-created", "remote-hook"),
                ("webhook-jira-issue-created-2", "remote-hook"),
                ("lifecycle-installed", "remote-installed")
            ]
        );
        let endpoints: Vec<_> = m["modules"]["endpoint"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["route"]["path"].as_str().unwrap())
            .collect();
        assert_eq!(endpoints, ["/hook", "/installed", "/uninstalled"]);
        assert_eq!(
            m["modules"]["preUninstall"],
            json!([{"key": "lifecycle-uninstalled", "endpoint": "remote-uninstalled"}])
        );
        assert_eq!(a.scopes, ["read:jira-work", "read:jira-user"]);
    }

    #[test]
    fn the_lifecycle_stays_on_connect_while_a_connect_module_needs_it() {
        let a = app(&format!(
            r#"{{{BASE}, "lifecycle": {{"installed": "/i"}}, "modules": {{
                "jiraReports": [{{"key": "tab", "name": {{"value": "T"}}, "description": {{"value": "D"}}, "url": "/t"}}],
                "webhooks": [{{"event": "jira:issue_created", "url": "/hook"}}]}}}}"#
        ));
        let types: Vec<_> = a.connect_modules.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(types, ["jira:lifecycle", "jira:jiraReports"]);
        assert_eq!(a.modules.len(), 2, "the webhook's trigger and endpoint");
    }

    #[test]
    fn translations_go_with_the_last_connect_module() {
        // Nothing left on Connect: the translations have nothing to translate, and the
        // lifecycle moves to Forge.
        let a = app(&format!(
            r#"{{{BASE}, "lifecycle": {{"installed": "/i"}}, "translations": {{"paths": {{"fr-FR": "/fr.json"}}}},
               "modules": {{"webhooks": [{{"event": "jira:issue_created", "url": "/hook"}}]}}}}"#
        ));
        assert!(a.connect_modules.is_empty(), "{:?}", a.connect_modules);
        let w = a
            .warnings
            .iter()
            .find(|w| w.message.contains("translations translate only"))
            .expect("a warning for the translations");
        assert_eq!(w.path.as_deref(), Some("$.translations"));
        assert_eq!(crate::codes::of(w).id, "C2F079");
        // A Connect module remains: its name may be translated, so they stay with it.
        let a = app(&format!(
            r#"{{{BASE}, "translations": {{"paths": {{"fr-FR": "/fr.json"}}}},
               "modules": {{"jiraReports": [{{"key": "t", "name": {{"value": "T", "i18n": "t.name"}}, "description": {{"value": "D"}}, "url": "/t"}}]}}}}"#
        ));
        let types: Vec<_> = a.connect_modules.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(types, ["jira:jiraReports", "jira:translations"]);
    }

    #[test]
    fn an_app_with_nothing_to_migrate_is_refused() {
        let src = SourceText::new(
            "t.json",
            format!(r#"{{{BASE}, "scopes": ["READ"], "modules": {{}}}}"#),
        );
        let options = ReadOptions {
            product: Some(Product::Jira),
            ..ReadOptions::default()
        };
        let d = read(&src, &options).unwrap_or_else(|e| panic!("{e:?}"));
        let Err(e) = map(d, None) else {
            panic!("an empty app was mapped")
        };
        let e = format!("{e:?}");
        assert!(e.contains("nothing to migrate"), "{e}");
    }

    #[test]
    fn unlicensed_access_leaves_every_connect_module_entry() {
        let a = app(&format!(
            r#"{{{BASE}, "lifecycle": {{"installed": "/i", "unlicensedAccess": true}}, "translations": {{"paths": {{}}, "unlicensedAccess": null}},
               "modules": {{"jiraReports": [{{"key": "t", "name": {{"value": "T"}}, "description": {{"value": "D"}}, "url": "/t", "unlicensedAccess": true}}]}}}}"#
        ));
        for (_, entries) in &a.connect_modules {
            assert!(
                entries.iter().all(|e| e.get("unlicensedAccess").is_none()),
                "{entries:?}"
            );
        }
        assert_eq!(a.warnings.len(), 3, "{:?}", a.warnings);
    }

    #[test]
    fn only_variables_the_manifest_uses_are_declared() {
        let bg = r#""jiraBackgroundScripts": [{"key": "b", "url": "/b", "location": {"type": "dashboard"}}]"#;
        // No Connect module left: no remote, so the baseUrl placeholder is not needed.
        let a = app(&format!(
            r#"{{"key": "k", "baseUrl": "{{{{localBaseUrl}}}}", "modules": {{{bg}}}}}"#
        ));
        assert!(a.variables.is_empty(), "{:?}", a.variables);
        assert!(a.manifest_value().get("environment").is_none());
        let a = app(&format!(
            r#"{{"key": "k", "baseUrl": "{{{{localBaseUrl}}}}", "lifecycle": {{"installed": "/i"}}, "modules": {{{bg}}}}}"#
        ));
        let names: Vec<_> = a.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["LOCAL_BASE_URL"]);
    }

    #[test]
    fn scopes_map_to_connect_scopes_per_product() {
        let a = app(&format!(
            r#"{{{BASE}, "scopes": ["read", "ACT_AS_USER", "project_admin", "NONE"], "modules": {{"jiraReports": [{{"key": "t", "name": {{"value": "T"}}, "description": {{"value": "D"}}, "url": "/t"}}]}}}}"#
        ));
        assert_eq!(
            a.scopes,
            [
                "read:connect-jira",
                "act-as-user:connect-jira",
                "project-admin:connect-jira"
            ]
        );
        let c = app(&format!(
            r#"{{{BASE}, "scopes": ["SPACE_ADMIN"], "modules": {{"blueprints": [{{"key": "m", "name": {{"value": "M"}}, "template": {{"url": "/m.json"}}}}]}}}}"#
        ));
        assert_eq!(c.scopes, ["space-admin:connect-confluence"]);
    }

    #[test]
    fn an_existing_app_id_is_kept() {
        let src = SourceText::new(
            "t.json",
            format!(r#"{{{BASE}, "lifecycle": {{"installed": "/i"}}, "modules": {{}}}}"#),
        );
        let d = read(
            &src,
            &ReadOptions {
                product: Some(Product::Jira),
                ..Default::default()
            },
        )
        .unwrap();
        let id = "ari:cloud:ecosystem::app/6f1f3a52-2b7c-4f5e-9d39-0c6f0d1e2a11";
        let a = map(d.clone(), Some(id)).unwrap();
        assert_eq!(a.app_id, id);
        assert!(!a.app_id_is_placeholder);
        assert!(map(d, None).unwrap().app_id_is_placeholder);
    }

    #[test]
    fn further_pages_of_a_type_forge_allows_once_are_subpages_of_the_first() {
        let page = |k: &str| {
            format!(r#"{{"key": "{k}", "name": {{"value": "Page {k}"}}, "url": "/{k}"}}"#)
        };
        let text = format!(
            r#"{{{BASE}, "modules": {{
                "jiraProjectPages": [{}, {}, {}],
                "jiraProjectAdminTabPanels": [{}, {}],
                "generalPages": [{}, {}],
                "adminPages": [{}, {}],
                "configurePage": {}}}}}"#,
            page("p1"),
            page("p2"),
            page("P2"),
            page("s1"),
            page("s2"),
            page("g1"),
            page("g2"),
            page("a1"),
            page("a2"),
            page("cfg"),
        );
        let src = SourceText::new("t.json", text);
        let d = read(&src, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e:?}"));
        let warnings = d.warnings.clone();
        let a = map(d, None).unwrap();
        assert!(a.connect_modules.is_empty(), "{:?}", a.connect_modules);
        let m = a.manifest_value();
        let routes = |t: &str| -> Vec<String> {
            m["modules"][t][0]["pages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["route"].as_str().unwrap().to_string())
                .collect()
        };
        // The module's own page first; a route another page has gets -2.
        assert_eq!(routes("jira:projectPage"), ["p1", "p2", "p2-2"]);
        assert_eq!(routes("jira:projectSettingsPage"), ["s1", "s2"]);
        assert_eq!(routes("jira:globalPage"), ["g1", "g2"]);
        assert_eq!(routes("jira:adminPage"), ["a1", "a2"]);
        assert_eq!(
            m["modules"]["jira:projectPage"][0]["pages"][1],
            json!({"title": "Page p2", "route": "p2"})
        );
        for t in [
            "jira:projectPage",
            "jira:projectSettingsPage",
            "jira:globalPage",
        ] {
            assert_eq!(m["modules"][t].as_array().map(Vec::len), Some(1), "{t}");
        }
        // The configure page is an admin page of its own, without pages.
        let admin = m["modules"]["jira:adminPage"].as_array().unwrap();
        assert_eq!(admin.len(), 2);
        assert!(admin[1].get("pages").is_none(), "{admin:?}");
        // One resource per module: the folded pages are carried in their module's.
        let resources: Vec<&str> = m["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["key"].as_str().unwrap())
            .collect();
        assert_eq!(resources, ["p1", "s1", "g1", "a1", "cfg"]);
        let p2 = a.modules.iter().find(|m| m.key == "P2").unwrap();
        assert_eq!(p2.forge_type, "");
        assert_eq!(p2.subpage_of(), Some("p1"));
        assert_eq!(p2.route(), Some("p2-2"));
        assert_eq!(p2.resource.as_ref().map(|r| r.key.as_str()), Some("p1"));
        assert!(p2.resource_entries().is_empty());
        let folded: Vec<&Diagnostic> = warnings
            .iter()
            .filter(|w| crate::codes::of(w).id == "C2F089")
            .collect();
        assert_eq!(folded.len(), 5, "{warnings:?}");
        assert!(folded.iter().all(|w| w.position.is_some()), "{folded:?}");
        assert_eq!(
            folded[0].path.as_deref(),
            Some("$.modules.jiraProjectPages[1]"),
            "{folded:?}"
        );
    }

    #[test]
    fn more_scripts_than_forge_allows_resources_is_refused() {
        let scripts: Vec<String> = (0..51)
            .map(|i| {
                format!(r#"{{"key": "s{i}", "url": "/s", "location": {{"type": "dashboard"}}}}"#)
            })
            .collect();
        let src = SourceText::new(
            "t.json",
            format!(
                r#"{{{BASE}, "modules": {{"jiraBackgroundScripts": [{}]}}}}"#,
                scripts.join(",")
            ),
        );
        let d = read(&src, &ReadOptions::default()).unwrap();
        let err = map(d, None).unwrap_err();
        assert!(err.to_string().contains("problem"), "{err}");
        let Error::Input(diags) = err else { panic!() };
        assert!(
            diags[0].message.contains("at most 50"),
            "{}",
            diags[0].message
        );
    }
}
