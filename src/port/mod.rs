//! The port stage: find a background script's Connect page in the app's source tree, split it
//! into its scripts and stylesheets, and plan the files carried into the Forge Custom UI resource.

pub mod carry;
pub mod discover;
pub mod page;
pub mod tree;
