//! Confluence module types Forge has no module for: blueprints (`blueprints`: page templates in
//! the Create dialog, filled by the app's server) and themes (`confluenceThemes`: the look of a
//! space). They stay in `connectModules`, running on the Connect backend as before, and the
//! warning says why — so the review names every module that holds the app on Connect. (Profile
//! pages, `profilePages`, cannot even stay: `connectModules` does not take them, see
//! [`crate::product::Product::retired`].)

use serde_json::Value;

use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// The kind of the Confluence module types that stay on Connect.
pub struct ConfluenceConnectOnly;

/// Why a module type has no Forge module.
fn why(connect_type: &str) -> &'static str {
    match connect_type {
        "blueprints" => {
            "a blueprint (a page template in the Create dialog, filled in by the app's server)"
        }
        _ => "a space theme (Forge apps cannot restyle Confluence)",
    }
}

impl Kind for ConfluenceConnectOnly {
    fn id(&self) -> &'static str {
        "confluence-connect-only"
    }

    fn plural(&self) -> &'static str {
        "Confluence modules with no Forge module"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &["blueprints", "confluenceThemes"]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Confluence]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[]
    }

    fn entry_shape(&self) -> &'static str {
        "a module is a mapping (key, name, ...)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        _app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let key = entry.get("key").and_then(Value::as_str);
        f.warn(
            path,
            key,
            format!(
                "Forge has no module for {connect_type}: this is {}; the module stays on Connect",
                why(connect_type)
            ),
        );
        None
    }

    fn forge_properties(&self, _forge_type: &str) -> &'static [&'static str] {
        &[]
    }

    fn label(&self, _module: &ForgeModule) -> String {
        "stays on Connect".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn blueprints_and_themes_stay_on_connect_saying_why() {
        let app = AppFacts {
            product: Product::Confluence,
            base_url: "",
            modules: None,
            page_urls: None,
        };
        for t in ["blueprints", "confluenceThemes"] {
            let mut f = Findings::default();
            let m = ConfluenceConnectOnly.check(t, "$.m[0]", &json!({"key": "k"}), &app, &mut f);
            assert!(m.is_none());
            assert!(f.0[0].message.contains("stays on Connect"), "{:?}", f.0);
            assert!(f.0[0].message.contains(t), "{:?}", f.0);
        }
    }
}
