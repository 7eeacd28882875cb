//! The port stage: carries a background script's page onto Forge and reports what it uses of
//! the Connect JavaScript API.

pub mod analysis;
pub mod apis;
pub mod scopes;
