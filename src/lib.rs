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
pub mod product;
pub mod render;
pub mod report;
pub mod selfcheck;
pub mod source;
pub mod status;

pub use error::{Error, Result};

/// The in-memory pipeline: descriptor text → rendered files. No file system access.
pub fn migrate_text(
    src: &source::SourceText,
    options: &descriptor::ReadOptions,
    templates: &render::Templates,
    existing_app_id: Option<&str>,
) -> Result<(
    descriptor::Descriptor,
    mapping::ForgeApp,
    Vec<plan::PlannedFile>,
)> {
    let d = descriptor::read(src, options)?;
    let app = mapping::map(&d, existing_app_id)?;
    let files = templates.render_app(&app)?;
    Ok((d, app, files))
}
