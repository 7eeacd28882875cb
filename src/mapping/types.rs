//! The Forge and Connect module type names the migration produces or looks for, spelled once.

/// The Forge module a Connect `issue_view` background script becomes.
pub const ISSUE_VIEW_SCRIPT: &str = "jira:issueViewBackgroundScript";
/// The Forge module a Connect `dashboard` background script becomes.
pub const DASHBOARD_SCRIPT: &str = "jira:dashboardBackgroundScript";
/// Both Forge background-script module types, in the order the manifest lists them.
pub const FORGE_SCRIPT_TYPES: [&str; 2] = [ISSUE_VIEW_SCRIPT, DASHBOARD_SCRIPT];
/// Connect's background scripts as a Connect-on-Forge manifest carries them under `connectModules`.
pub const CONNECT_SCRIPTS_TYPE: &str = "jira:jiraBackgroundScripts";
