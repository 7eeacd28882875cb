//! The Forge manifest stage: reading a `manifest.yml` with the position of every value
//! ([`adopt::Manifest`]), validating it beyond Atlassian's validator ([`validate`]), writing YAML
//! values safely ([`yaml`]), migrating a Connect-on-Forge manifest's background scripts in place
//! ([`adopt`]), and telling how far an app is from fully Forge ([`status`]).

pub mod adopt;
pub mod status;
pub mod validate;
pub mod yaml;
