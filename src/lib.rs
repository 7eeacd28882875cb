//! connect2forge: migrate Atlassian Connect apps to Forge.
//!
//! Data flows one way, one stage folder per concern:
//! [`descriptor`] (read the Connect descriptor, with positions) → [`mapping`] (pure: the Forge app
//! model) → [`scaffold`] (templates render every file; [`manifest`] validates and edits Forge
//! manifests) and [`port`] (the background scripts' pages carried onto Forge) → [`review`] (the plan compared with the disk, diffs, the review and its emitters)
//! → [`write`](mod@write) (atomic writes under a lock). [`migration`] runs the whole pipeline from paths to
//! a written folder; [`diagnostics`] is the one sink every stage reports into. Only [`cli`]
//! prints.

pub mod cli;
pub mod codes;
pub mod descriptor;
pub mod diagnostics;
pub mod error;
pub mod json_path;
pub mod kinds;
pub mod manifest;
pub mod mapping;
pub mod migration;
pub mod output;
pub mod port;
pub mod product;
pub mod record;
pub mod review;
pub mod scaffold;
pub mod source;
pub mod write;

pub use error::{Error, Result};
pub use migration::{Migration, Prepared};
