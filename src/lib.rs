//! connect2forge: migrate Atlassian Connect apps to Forge.
//!
//! Data flows one way: [`descriptor`] (read and check) → [`mapping`] (pure) → [`render`]
//! (templates) → [`plan`] (compare with disk, [`diff`]) → [`apply`] (atomic writes), with
//! [`report`] turning the plan into a review. Only [`cli`] prints.

pub mod adopt;
pub mod apply;
pub mod cli;
pub mod descriptor;
pub mod diff;
pub mod error;
pub mod json;
pub mod keys;
pub mod mapping;
pub mod merge;
pub mod placeholder;
pub mod plan;
pub mod port;
pub mod product;
pub mod render;
pub mod report;
pub mod selfcheck;
pub mod source;
pub mod status;

pub use error::{Error, Result};

/// What the in-memory pipeline gives: the descriptor's warnings, the Forge app and its rendered
/// files (the manifest first).
pub type Migrated = (
    Vec<error::Diagnostic>,
    mapping::ForgeApp,
    Vec<plan::PlannedFile>,
);

/// The in-memory pipeline: descriptor text → the descriptor's warnings, the Forge app and its
/// rendered files. No file system access.
///
/// ```
/// use connect2forge::{descriptor::ReadOptions, render::Templates, source::SourceText};
///
/// let text = r#"{
///   // Comments and trailing commas are fine, as in atlassian-connect-express templates.
///   "key": "com.example.app",
///   "baseUrl": "{{localBaseUrl}}",
///   "modules": {
///     "jiraBackgroundScripts": [
///       {"key": "watcher", "url": "/bg", "location": {"type": "issue_view"}},
///     ],
///   },
/// }"#;
/// let src = SourceText::new("atlassian-connect.json", text.to_string());
/// let templates = Templates::load(None).unwrap();
/// let (_, app, files) =
///     connect2forge::migrate_text(&src, &ReadOptions::default(), &templates, None).unwrap();
///
/// assert_eq!(app.background_scripts[0].forge_type, "jira:issueViewBackgroundScript");
/// let manifest = &files.iter().find(|f| f.path == "manifest.yml").unwrap().content;
/// // With no Connect module left there is no Connect remote, so no variable to set either.
/// assert!(!manifest.contains("\nconnectModules:") && app.variables.is_empty());
/// assert!(files.iter().any(|f| f.path == "static/watcher/index.html"));
/// ```
pub fn migrate_text(
    src: &source::SourceText,
    options: &descriptor::ReadOptions,
    templates: &render::Templates,
    existing_app_id: Option<&str>,
) -> Result<Migrated> {
    let (warnings, app, files) = migrate_text_unchecked(src, options, templates, existing_app_id)?;
    if let Some(manifest) = files.first() {
        templates.check_manifest(&manifest.content, &app)?;
    }
    Ok((warnings, app, files))
}

/// [`migrate_text`] without the parse-back check of the rendered manifest (the first file): the
/// caller runs [`render::Templates::check_manifest`] on it before anything is shown or written
/// (the CLI does so beside planning, on a second thread).
pub fn migrate_text_unchecked(
    src: &source::SourceText,
    options: &descriptor::ReadOptions,
    templates: &render::Templates,
    existing_app_id: Option<&str>,
) -> Result<Migrated> {
    let mut d = descriptor::read(src, options)?;
    let warnings = std::mem::take(&mut d.warnings);
    let mut app = mapping::map(d, existing_app_id)?;
    let files = templates.render_app_unchecked(&mut app)?;
    Ok((warnings, app, files))
}
