//! Which Atlassian product a descriptor is for, and which Connect module types Forge's
//! `connectModules` can carry for it.
//!
//! The type lists are those of `@forge/manifest` 13.7.0's schema (`modules.connect-<product>:<type>`),
//! the names Atlassian's validator accepts under `connectModules`.

use std::fmt;

/// A product with a Forge adoption path for Connect apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    /// Jira (including Jira Service Management and Jira Software).
    Jira,
    /// Confluence.
    Confluence,
}

impl Product {
    /// The manifest prefix and scope suffix: `jira` / `confluence`.
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Jira => "jira",
            Product::Confluence => "confluence",
        }
    }

    /// The product's name in a sentence: `Jira` / `Confluence`.
    pub fn name(self) -> &'static str {
        match self {
            Product::Jira => "Jira",
            Product::Confluence => "Confluence",
        }
    }

    /// Connect module types Forge accepts under `connectModules` as `<product>:<type>`.
    pub fn connect_module_types(self) -> &'static [&'static str] {
        match self {
            Product::Jira => JIRA_TYPES,
            Product::Confluence => CONFLUENCE_TYPES,
        }
    }

    /// What a Connect module type of this product is when Forge can neither map it nor carry it
    /// under `connectModules` (`@forge/manifest` lists no `connect-<product>:` type for it):
    /// such a module cannot move, and the app cannot migrate with it.
    pub fn retired(self, module_type: &str) -> Option<&'static str> {
        match (self, module_type) {
            (Product::Confluence, "profilePages") => Some("a tab of a user's Confluence profile"),
            (Product::Jira, "jiraProfileTabPanels") => Some("a tab of a user's Jira profile"),
            _ => None,
        }
    }

    /// Whether `connectModules` can carry this Connect module type.
    pub fn accepts(self, module_type: &str) -> bool {
        self.connect_module_types().contains(&module_type)
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const JIRA_TYPES: &[&str] = &[
    "adminPages",
    "assetPanels",
    "automationActions",
    "cloudAppMigration",
    "configurePage",
    "dialogs",
    "generalPages",
    "jiraBackgroundScripts",
    "jiraBuildInfoProvider",
    "jiraDashboardItems",
    "jiraDeploymentGating",
    "jiraDeploymentInfoProvider",
    "jiraDevOpsComponentProvider",
    "jiraDevelopmentTool",
    "jiraEntityProperties",
    "jiraFeatureFlagInfoProvider",
    "jiraGlobalPermissions",
    "jiraIssueContents",
    "jiraIssueContexts",
    "jiraIssueFields",
    "jiraIssueGlances",
    "jiraIssueTabPanels",
    "jiraIssueTypes",
    "jiraJqlFunctions",
    "jiraOperationsInfoProvider",
    "jiraProjectAdminTabPanels",
    "jiraProjectPages",
    "jiraProjectPermissions",
    "jiraProjectTabPanels",
    "jiraRemoteLinkInfoProvider",
    "jiraReports",
    "jiraSearchRequestViews",
    "jiraSecurityInfoProvider",
    "jiraTimeTrackingProviders",
    "jiraWorkflowConditions",
    "jiraWorkflowPostFunctions",
    "jiraWorkflowValidators",
    "keyboardShortcuts",
    "lifecycle",
    "postInstallPage",
    "serviceDeskOrganizationActions",
    "serviceDeskOrganizationPanels",
    "serviceDeskPortalFooters",
    "serviceDeskPortalHeaders",
    "serviceDeskPortalProfileActions",
    "serviceDeskPortalProfilePanels",
    "serviceDeskPortalRequestCreatePropertyPanels",
    "serviceDeskPortalRequestViewActions",
    "serviceDeskPortalRequestViewDetailsPanels",
    "serviceDeskPortalRequestViewPanels",
    "serviceDeskPortalSubHeaders",
    "serviceDeskPortalUserMenuActions",
    "serviceDeskQueueGroups",
    "serviceDeskQueues",
    "serviceDeskReportGroups",
    "serviceDeskReports",
    "translations",
    "webItems",
    "webPanels",
    "webSections",
    "webhooks",
];

const CONFLUENCE_TYPES: &[&str] = &[
    "adminPages",
    "blueprints",
    "cloudAppMigration",
    "configurePage",
    "confluenceContentProperties",
    "confluenceThemes",
    "contentBylineItems",
    "customContent",
    "dialogs",
    "dynamicContentMacros",
    "generalPages",
    "keyboardShortcuts",
    "lifecycle",
    "postInstallPage",
    "publishConditions",
    "spaceToolsTabs",
    "staticContentMacros",
    "translations",
    "webItems",
    "webPanels",
    "webSections",
    "webhooks",
];

/// Module types and scopes only Bitbucket Cloud Connect apps use.
const BITBUCKET_MODULES: &[&str] = &[
    "repoPages",
    "fileViews",
    "webCardElements",
    "oauthConsumer",
    "linkers",
    "repoSettings",
    "adminPage",
    "profileTabs",
    "webhooksV2",
    "configurePages",
    "postInstallRedirect",
];
const BITBUCKET_SCOPES: &[&str] = &[
    "account",
    "account:write",
    "repository",
    "repository:write",
    "repository:admin",
    "pullrequest",
    "pullrequest:write",
    "team",
    "team:write",
    "webhook",
    "snippet",
    "snippet:write",
    "issue",
    "issue:write",
    "wiki",
    "email",
    "project",
    "project:admin",
    "pipeline",
    "pipeline:write",
    "runner",
];

/// What the descriptor's content says about its product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// One product.
    Product(Product),
    /// A Bitbucket Cloud app (no Forge adoption path), with the evidence.
    Bitbucket(String),
    /// Nothing decides between Jira and Confluence.
    Ambiguous,
}

/// Text in a module list that points to Jira: webhook events, context parameters, locations.
const JIRA_HINTS: &[&str] = &[
    "jira:issue_",
    "\"issue_",
    "{issue.",
    "{project.",
    "jira.",
    "atl.jira",
    "system.top.navigation.bar",
    // Jira's administration sections (Confluence's are under `system.admin/`).
    "admin_plugins_menu",
    "admin_system_menu",
    "admin_users_menu",
    "admin_issues_menu",
    "admin_project_menu",
    "board_",
    "sprint_",
    "worklog_",
    "version_",
];

/// Text in a module list that points to Confluence.
const CONFLUENCE_HINTS: &[&str] = &[
    "page_",
    "blog_",
    "space_",
    "{page.",
    "{space.",
    "{content.",
    "system.content",
    "system.header",
    "confluence",
    "attachment_",
    "comment_created",
];

/// Detects the product from module types, scopes, webhook events and URL context parameters.
pub fn detect(descriptor: &serde_json::Value) -> Detected {
    let modules = descriptor.get("modules").and_then(|m| m.as_object());
    let scopes: Vec<String> = descriptor
        .get("scopes")
        .and_then(|s| s.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if let Some(m) =
        modules.and_then(|m| m.keys().find(|k| BITBUCKET_MODULES.contains(&k.as_str())))
    {
        return Detected::Bitbucket(format!("module type \"{m}\""));
    }
    if let Some(s) = scopes
        .iter()
        .find(|s| BITBUCKET_SCOPES.contains(&s.as_str()))
    {
        return Detected::Bitbucket(format!("scope \"{s}\""));
    }
    let (mut jira, mut confluence) = (0usize, 0usize);
    for t in modules.into_iter().flat_map(|m| m.keys()) {
        let (j, c) = (Product::Jira.accepts(t), Product::Confluence.accepts(t));
        if j && !c {
            jira += 10;
        }
        if c && !j {
            confluence += 10;
        }
    }
    for s in &scopes {
        match s.to_ascii_uppercase().as_str() {
            "PROJECT_ADMIN" => jira += 5,
            "SPACE_ADMIN" => confluence += 5,
            _ => {}
        }
    }
    // Webhook events and context parameters are strong hints for apps with only shared modules:
    // counted in the modules' JSON text.
    if let Some(modules) = modules {
        // Writing a JSON value to a string cannot fail.
        let text = serde_json::to_string(modules).unwrap_or_default();
        // memmem counts what `str::matches` counts (non-overlapping, from the left), several
        // times faster over a whole descriptor's modules (docs/performance.md).
        let count = |h: &&str| memchr::memmem::find_iter(text.as_bytes(), h.as_bytes()).count();
        jira += JIRA_HINTS.iter().map(count).sum::<usize>();
        confluence += CONFLUENCE_HINTS.iter().map(count).sum::<usize>();
    }
    match jira.cmp(&confluence) {
        std::cmp::Ordering::Greater => Detected::Product(Product::Jira),
        std::cmp::Ordering::Less => Detected::Product(Product::Confluence),
        std::cmp::Ordering::Equal => Detected::Ambiguous,
    }
}

/// Properties (besides `key`) that Atlassian's Connect schema requires on each module type, as in
/// `@forge/manifest`'s `modules.connect-<product>:<type>` definitions. Atlassian's own offline
/// validator does not check `connectModules` entries, so we do.
pub fn required_fields(module_type: &str) -> &'static [&'static str] {
    match module_type {
        "adminPages"
        | "generalPages"
        | "jiraProjectPages"
        | "jiraIssueTabPanels"
        | "jiraProjectTabPanels"
        | "jiraProjectAdminTabPanels"
        | "jiraSearchRequestViews"
        | "assetPanels"
        | "spaceToolsTabs"
        | "dynamicContentMacros"
        | "staticContentMacros" => &["name", "url"],
        "configurePage" | "postInstallPage" => &["name", "url"],
        "webItems" | "webSections" => &["name", "location"],
        "webPanels" => &["name", "location", "url"],
        "dialogs" => &["url"],
        "webhooks" => &["event", "url"],
        "jiraBackgroundScripts" => &["location", "url"],
        "keyboardShortcuts" => &["shortcut", "name", "target"],
        "jiraIssueGlances" | "jiraIssueContexts" => &["icon", "name", "content", "target"],
        "jiraIssueContents" => &["icon", "tooltip", "name", "target"],
        "jiraDashboardItems" => &["name", "description", "url", "thumbnailUrl"],
        "jiraReports" => &["name", "description", "url"],
        "jiraIssueFields" | "jiraIssueTypes" => &["name", "description", "type"],
        "jiraGlobalPermissions" | "jiraProjectPermissions" => &["name", "description"],
        "jiraWorkflowConditions" => &["expression", "name"],
        "jiraWorkflowValidators" => &["expression", "errorMessage", "name"],
        "jiraWorkflowPostFunctions" => &["triggered", "name"],
        "jiraEntityProperties"
        | "jiraTimeTrackingProviders"
        | "confluenceContentProperties"
        | "contentBylineItems"
        | "confluenceThemes" => &["name"],
        "jiraBuildInfoProvider"
        | "jiraDeploymentInfoProvider"
        | "jiraFeatureFlagInfoProvider"
        | "jiraRemoteLinkInfoProvider"
        | "jiraOperationsInfoProvider"
        | "jiraDevOpsComponentProvider" => &["homeUrl", "name"],
        "jiraDevelopmentTool" => &["capabilities", "application", "name", "url", "logoUrl"],
        "jiraJqlFunctions" => &["types", "operators", "name", "arguments", "url"],
        "jiraDeploymentGating" => &["name", "callback"],
        "automationActions" => &["webhook", "name"],
        "blueprints" => &["template", "name"],
        "customContent" => &["uiSupport", "name", "apiSupport"],
        "publishConditions" => &["errorMessage", "name"],
        "serviceDeskPortalHeaders"
        | "serviceDeskPortalSubHeaders"
        | "serviceDeskPortalFooters"
        | "serviceDeskPortalRequestCreatePropertyPanels"
        | "serviceDeskPortalRequestViewDetailsPanels"
        | "serviceDeskPortalRequestViewPanels"
        | "serviceDeskPortalProfilePanels"
        | "serviceDeskOrganizationPanels" => &["url"],
        "serviceDeskQueues"
        | "serviceDeskReports"
        | "serviceDeskReportGroups"
        | "serviceDeskQueueGroups"
        | "serviceDeskOrganizationActions" => &["name"],
        "serviceDeskPortalUserMenuActions"
        | "serviceDeskPortalProfileActions"
        | "serviceDeskPortalRequestViewActions" => &["name", "url"],
        _ => &[],
    }
}

/// Connect scope names (upper-case) → Forge's `*:connect-<product>` scope; `NONE` has none.
pub fn forge_scope(product: Product, connect_scope: &str) -> Option<String> {
    let verb = match (product, connect_scope) {
        (_, "READ") => "read",
        (_, "WRITE") => "write",
        (_, "DELETE") => "delete",
        (_, "ADMIN") => "admin",
        (_, "ACT_AS_USER") => "act-as-user",
        (_, "ACCESS_EMAIL_ADDRESSES") => "access-email-addresses",
        (Product::Jira, "PROJECT_ADMIN") => "project-admin",
        (Product::Confluence, "SPACE_ADMIN") => "space-admin",
        _ => return None,
    };
    Some(format!("{verb}:connect-{product}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn product_specific_modules_decide() {
        let d = json!({"modules": {"jiraIssueTabPanels": [], "webItems": []}});
        assert_eq!(detect(&d), Detected::Product(Product::Jira));
        let d = json!({"modules": {"dynamicContentMacros": []}});
        assert_eq!(detect(&d), Detected::Product(Product::Confluence));
    }

    #[test]
    fn shared_modules_fall_back_to_hints_or_ambiguity() {
        let d = json!({"modules": {"webhooks": [{"event": "jira:issue_created", "url": "/x"}]}});
        assert_eq!(detect(&d), Detected::Product(Product::Jira));
        let d = json!({"modules": {"generalPages": [{"key": "a", "url": "/a"}]}});
        assert_eq!(detect(&d), Detected::Ambiguous);
    }

    #[test]
    fn jira_administration_sections_say_jira() {
        // A web item in Jira's "Apps" administration section, nothing else to go by.
        let d = json!({"modules": {"webItems": [
            {"key": "i", "location": "admin_plugins_menu/links", "url": "/i"}
        ]}});
        assert_eq!(detect(&d), Detected::Product(Product::Jira));
        let d = json!({"modules": {"webSections": [
            {"key": "s", "location": "admin_system_menu"}
        ]}});
        assert_eq!(detect(&d), Detected::Product(Product::Jira));
    }

    #[test]
    fn bitbucket_is_recognised() {
        let d = json!({"modules": {"repoPages": []}});
        assert!(matches!(detect(&d), Detected::Bitbucket(_)));
        let d = json!({"scopes": ["repository"], "modules": {}});
        assert!(matches!(detect(&d), Detected::Bitbucket(_)));
    }
}
