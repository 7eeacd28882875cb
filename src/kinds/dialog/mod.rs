//! Dialogs (`dialogs`): a page Connect opened in a modal with `AP.dialog.create({key})`. Forge has
//! no dialog module: the page becomes a Custom UI resource of its own, and the compatibility layer
//! opens it with `new Modal({resource, context})` when a carried page calls
//! `AP.dialog.create({key})` (the scaffold gives every page the map of dialog keys to resources).
//! So a dialog has a resource and no entry under `modules`.

use serde_json::{Map, Value};

use super::page;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The dialog kind.
pub struct Dialogs;

/// What a dialog becomes: a resource, no Forge module type.
pub const RESOURCE_ONLY: &str = "";

impl Kind for Dialogs {
    fn id(&self) -> &'static str {
        "dialog"
    }

    fn plural(&self) -> &'static str {
        "dialogs"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["dialogs"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira, Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[]
    }

    fn entry_shape(&self) -> &'static str {
        "a dialog is a mapping (key, url)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let p = page::read(self, path, entry, app.product, f)?;
        let mut m = p.module(self, connect_type, RESOURCE_ONLY, false, Map::new());
        // A modal takes no display conditions.
        m.entry.clear();
        if let Some(o) = entry.get("options") {
            m.details.insert("options".into(), o.clone());
        }
        Some(m)
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[]
    }

    fn scaffold_data(&self, _module: &ForgeModule) -> Map<String, Value> {
        // The compatibility layer serves AP.dialog.* as a modal (view.close, extension.modal).
        let mut data = Map::new();
        data.insert("entry".into(), Value::String("modal".into()));
        data
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn label(&self, _module: &ForgeModule) -> String {
        "dialog, opened with new Modal({resource})".into()
    }
}
