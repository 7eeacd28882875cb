//! Jira Service Management's customer portal (`serviceDeskPortal*`, `serviceDeskOrganization
//! Panels`): each Connect portal module has a `jiraServiceManagement:*` module in the same place —
//! the portal's header, sub-header and footer, the request view's panels and actions, the
//! request create form's property panel, the profile page's panels, the user menu's actions and
//! the organization panel. `name` → `title` where Forge has one; actions open in a modal (the
//! page runs as in a dialog). Portal profile actions, queues and reports have no Forge module and
//! stay on Connect ([`no_target`](super::no_target)).

use serde_json::{json, Map, Value};

use super::page;
use super::{AppFacts, ForgeModule, Kind};
use crate::diagnostics::Findings;
use crate::product::Product;

/// Connect type → (Forge type, whether it takes a `title`, whether it takes display conditions,
/// whether it opens in a modal, its description in the review).
const PLACES: &[(&str, &str, bool, bool, bool, &str)] = &[
    (
        "serviceDeskPortalHeaders",
        "jiraServiceManagement:portalHeader",
        false,
        true,
        false,
        "portal header",
    ),
    (
        "serviceDeskPortalSubHeaders",
        "jiraServiceManagement:portalSubheader",
        false,
        true,
        false,
        "portal sub-header",
    ),
    (
        "serviceDeskPortalFooters",
        "jiraServiceManagement:portalFooter",
        false,
        true,
        false,
        "portal footer",
    ),
    (
        "serviceDeskPortalRequestViewPanels",
        "jiraServiceManagement:portalRequestDetail",
        true,
        true,
        false,
        "request view panel",
    ),
    (
        "serviceDeskPortalRequestViewDetailsPanels",
        "jiraServiceManagement:portalRequestDetailPanel",
        true,
        true,
        false,
        "request details panel",
    ),
    (
        "serviceDeskPortalRequestCreatePropertyPanels",
        "jiraServiceManagement:portalRequestCreatePropertyPanel",
        true,
        true,
        false,
        "request create property panel",
    ),
    (
        "serviceDeskPortalProfilePanels",
        "jiraServiceManagement:portalProfilePanel",
        true,
        true,
        false,
        "portal profile panel",
    ),
    (
        "serviceDeskPortalRequestViewActions",
        "jiraServiceManagement:portalRequestViewAction",
        true,
        true,
        true,
        "request view action, in a modal",
    ),
    (
        "serviceDeskPortalUserMenuActions",
        "jiraServiceManagement:portalUserMenuAction",
        true,
        true,
        true,
        "portal user menu action, in a modal",
    ),
    (
        "serviceDeskOrganizationPanels",
        "jiraServiceManagement:organizationPanel",
        true,
        false,
        false,
        "organization panel",
    ),
];

/// The row of `PLACES` for a Connect or Forge type.
fn place(t: &str) -> Option<&'static (&'static str, &'static str, bool, bool, bool, &'static str)> {
    PLACES.iter().find(|p| p.0 == t || p.1 == t)
}

/// The portal kind.
pub struct PortalModules;

impl Kind for PortalModules {
    fn id(&self) -> &'static str {
        "jsm-portal"
    }

    fn plural(&self) -> &'static str {
        "service management portal modules"
    }

    fn connect_types(&self) -> &'static [&'static str] {
        &[
            "serviceDeskPortalHeaders",
            "serviceDeskPortalSubHeaders",
            "serviceDeskPortalFooters",
            "serviceDeskPortalRequestViewPanels",
            "serviceDeskPortalRequestViewDetailsPanels",
            "serviceDeskPortalRequestCreatePropertyPanels",
            "serviceDeskPortalProfilePanels",
            "serviceDeskPortalRequestViewActions",
            "serviceDeskPortalUserMenuActions",
            "serviceDeskOrganizationPanels",
        ]
    }

    fn products(&self) -> &'static [Product] {
        &[Product::Jira]
    }

    fn forge_types(&self) -> &'static [&'static str] {
        &[
            "jiraServiceManagement:portalHeader",
            "jiraServiceManagement:portalSubheader",
            "jiraServiceManagement:portalFooter",
            "jiraServiceManagement:portalRequestDetail",
            "jiraServiceManagement:portalRequestDetailPanel",
            "jiraServiceManagement:portalRequestCreatePropertyPanel",
            "jiraServiceManagement:portalProfilePanel",
            "jiraServiceManagement:portalRequestViewAction",
            "jiraServiceManagement:portalUserMenuAction",
            "jiraServiceManagement:organizationPanel",
        ]
    }

    fn entry_shape(&self) -> &'static str {
        "a portal module is a mapping (key, url)"
    }

    fn check(
        &self,
        connect_type: &'static str,
        path: &str,
        entry: &Value,
        app: &AppFacts,
        f: &mut Findings,
    ) -> Option<ForgeModule> {
        let &(_, forge_type, titled, conditions, _, _) = place(connect_type)?;
        let p = page::read(self, path, entry, app.product, f)?;
        let mut e = Map::new();
        if titled {
            if let Some(i) = p.forge_icon(app.base_url) {
                if forge_type != "jiraServiceManagement:portalRequestViewAction"
                    && forge_type != "jiraServiceManagement:portalUserMenuAction"
                {
                    e.insert("icon".into(), json!(i));
                }
            }
        }
        let mut m = p.module(self, connect_type, forge_type, titled, e);
        if !conditions && m.entry.shift_remove("displayConditions").is_some() {
            f.warn(
                &crate::json_path::child(path, "conditions"),
                Some(&m.key),
                format!("{forge_type} takes no display conditions: the conditions are dropped, so the panel shows where Connect hid it"),
            );
        }
        Some(m)
    }

    fn forge_properties(&self, forge_type: &str) -> &'static [&'static str] {
        match place(forge_type) {
            Some((_, _, false, _, _, _)) => &[
                "key",
                "resource",
                "pages",
                "viewportSize",
                "displayConditions",
                "resolver",
                "render",
            ],
            Some((_, _, _, _, true, _)) => &[
                "key",
                "resource",
                "title",
                "viewportSize",
                "displayConditions",
                "resolver",
                "render",
            ],
            Some((_, _, _, false, _, _)) => &[
                "key",
                "resource",
                "title",
                "icon",
                "layout",
                "viewportSize",
                "resolver",
                "render",
            ],
            _ => &[
                "key",
                "resource",
                "title",
                "icon",
                "layout",
                "viewportSize",
                "displayConditions",
                "resolver",
                "render",
            ],
        }
    }

    fn entry_template(&self) -> &'static str {
        "kinds/page/main.js.hbs"
    }

    fn scaffold_data(&self, module: &ForgeModule) -> Map<String, Value> {
        let mut data = module.details.clone();
        if place(module.forge_type).is_some_and(|p| p.4) {
            // Forge opens the action's resource in a modal: AP.dialog.close closes it.
            data.insert("entry".into(), json!("modal"));
        }
        data
    }

    fn label(&self, module: &ForgeModule) -> String {
        place(module.connect_type)
            .map_or("portal module", |p| p.5)
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(t: &'static str, v: Value) -> (Option<ForgeModule>, Findings) {
        crate::kinds::check_bare(
            &PortalModules,
            t,
            "$.p[0]",
            Product::Jira,
            "https://a.example",
            &v,
        )
    }

    #[test]
    fn every_portal_type_has_its_forge_module() {
        for t in PortalModules.connect_types() {
            let (m, _) = check(t, json!({"key": "k", "name": {"value": "N"}, "url": "/p"}));
            let m = m.unwrap();
            assert_eq!(Some(m.forge_type), place(t).map(|p| p.1));
            let props = PortalModules.forge_properties(m.forge_type);
            for p in m.manifest_entry().as_object().unwrap().keys() {
                assert!(p == "key" || props.contains(&p.as_str()), "{t}: {p}");
            }
        }
    }

    #[test]
    fn headers_have_no_title_and_actions_open_in_a_modal() {
        let (m, _) = check("serviceDeskPortalHeaders", json!({"key": "h", "url": "/h"}));
        assert_eq!(m.unwrap().manifest_entry(), json!({"key": "h"}));
        let (m, _) = check(
            "serviceDeskPortalRequestViewActions",
            json!({"key": "a", "name": {"value": "Escalate"}, "url": "/a"}),
        );
        let m = m.unwrap();
        assert_eq!(m.manifest_entry(), json!({"key": "a", "title": "Escalate"}));
        assert_eq!(
            PortalModules.scaffold_data(&m).get("entry"),
            Some(&json!("modal"))
        );
    }
}
