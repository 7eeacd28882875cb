//! The Connect JavaScript API support table: how each `AP.*` member behaves once the page runs
//! on `@forge/bridge` through the compatibility layer.
//!
//! One table for the whole port stage: the analysis reports it and the compatibility layer
//! (`templates/scaffold/src/connect-compat.js.hbs`) implements it, so the two must say the same.
//! A member that is not listed is `unsupported` (the layer stubs every other Connect module so a
//! feature check or a call does not throw, but it does nothing).

use serde::Serialize;

/// How a Connect API behaves on Forge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// Behaves as it did in Connect.
    Supported,
    /// Works, with a stated difference.
    Differs,
    /// No Forge equivalent: the call warns once, answers as a failed call, and the note says what
    /// to do by hand.
    Unsupported,
}

impl Support {
    /// The level as the report and the JSON spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Supported => "supported",
            Support::Differs => "differs",
            Support::Unsupported => "unsupported",
        }
    }
}

/// One row of the table: how an API behaves and what the vendor should know about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiSupport {
    /// The level.
    pub support: Support,
    /// What differs or the manual step; empty when the API behaves as in Connect.
    pub note: &'static str,
}

const fn row(support: Support, note: &'static str) -> ApiSupport {
    ApiSupport { support, note }
}

const NO_OP: &str = "does nothing: a background script is invisible";
const EMIT: &str = "reaches only this app's Forge modules, never a module still on Connect";
const LISTEN: &str = "";

/// Note for a `request` to a Jira REST path (`/rest/...`).
pub const REQUEST_REST_NOTE: &str = "runs as requestJira with Connect's answer shapes";
/// Note for a `request` to the app's own backend.
pub const REQUEST_BACKEND_NOTE: &str = "a request to the app's own backend has no Connect JWT on \
     Forge: call it with invokeRemote/requestRemote to the `connect` remote, whose backend must \
     accept Forge Invocation Tokens";
/// Note for a `request` whose URL is not statically known.
pub const REQUEST_UNKNOWN_NOTE: &str = "the URL is not statically known: it works only if it is a \
     Jira REST path (/rest/...); a request to the app's own backend must move to \
     invokeRemote/requestRemote";

/// The support of a Connect API named by its dotted path below `AP` (`events.on`,
/// `context.getToken`). `request` is listed as supported; the analysis refines it from the URL
/// ([`REQUEST_BACKEND_NOTE`], [`REQUEST_UNKNOWN_NOTE`]).
pub fn lookup(api: &str) -> ApiSupport {
    known(api).unwrap_or(UNKNOWN)
}

/// The default row: a member the table does not list.
const UNKNOWN: ApiSupport = row(
    Support::Unsupported,
    "no Forge equivalent for this Connect API: port it by hand (the compatibility layer only \
     warns)",
);

/// The row of `api`, or `None` when the table does not list it.
pub fn known(api: &str) -> Option<ApiSupport> {
    use Support::*;
    Some(match api {
        "require" => row(Supported, ""),
        "request" => row(Supported, REQUEST_REST_NOTE),
        "context.getContext" => row(
            Supported,
            "Connect's shape (jira.issue, jira.project) built from view.getContext()",
        ),
        "events.on"
        | "events.once"
        | "events.off"
        | "events.offAll"
        | "events.offAny"
        | "events.onPublic"
        | "events.oncePublic"
        | "events.offPublic"
        | "events.offAllPublic"
        | "events.offAnyPublic" => row(Supported, LISTEN),
        "events.onAny" | "events.onAnyPublic" => row(
            Differs,
            "Forge has no \"any event\" subscription: the listener hears the events some \
             AP.events.on listener subscribed to, and ISSUE_CHANGED",
        ),
        "events.emit" | "events.emitPublic" => row(Differs, EMIT),
        "flag.create" => row(Supported, "runs as showFlag; the flag has close()"),
        "navigator.reload" => row(Supported, ""),
        "jira.refreshIssuePage" => row(Supported, ""),
        "user.getLocale" | "user.getTimeZone" | "getTimeZone" => row(Supported, ""),
        // `env` is what `AP.require('env', …)` gave: the old iframe helpers.
        "resize" | "sizeToParent" | "hideFooter" | "env.resize" | "env.sizeToParent"
        | "env.hideFooter" => row(Supported, NO_OP),
        "navigator.go" => row(
            Differs,
            "only targets with a Forge router equivalent: issue, dashboard, project admin, user \
             profile, a site-relative URL",
        ),
        "user.getCurrentUser" => row(Differs, "answers only atlassianAccountId"),
        "theming.initializeTheming" => row(
            Differs,
            "Forge applies the theme with view.theme.enable(); Connect's theme classes are not set",
        ),
        "cookie.save" | "cookie.read" | "cookie.erase" => row(
            Differs,
            "kept in the localStorage of the Forge iframe's origin, not a host cookie",
        ),
        "dialog.close" => row(
            Differs,
            "closes with view.close(): a background script has no dialog of its own on Forge",
        ),
        "dialog.create" => row(
            Differs,
            "needs a Forge Modal resource: opens the Modal with the same key if one exists",
        ),
        "context.getToken" => row(
            Unsupported,
            "no Connect JWT on Forge: call the backend with invokeRemote/requestRemote to the \
             `connect` remote, whose backend must accept Forge Invocation Tokens",
        ),
        _ => return None,
    })
}

/// Whether `api` is a row of the table (not an unknown member that falls to the default).
pub fn is_known(api: &str) -> bool {
    known(api).is_some()
}

/// Whether `api` listens to a named event (`events.on("x", f)`), so its first argument names it.
pub fn is_listener(api: &str) -> bool {
    matches!(
        api,
        "events.on" | "events.once" | "events.onPublic" | "events.oncePublic"
    )
}

/// Whether `api` emits a named event.
pub fn is_emitter(api: &str) -> bool {
    matches!(api, "events.emit" | "events.emitPublic")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_shared_table() {
        assert_eq!(lookup("events.on").support, Support::Supported);
        assert_eq!(lookup("events.emitPublic").support, Support::Differs);
        assert_eq!(lookup("cookie.read").support, Support::Differs);
        assert_eq!(lookup("context.getToken").support, Support::Unsupported);
        assert_eq!(lookup("host.getSelection").support, Support::Unsupported);
        assert_eq!(lookup("dialog.close").support, Support::Differs);
        assert_eq!(lookup("dialog.getButton").support, Support::Unsupported);
        // What the compatibility layer does is what the report says.
        assert_eq!(lookup("events.onAny").support, Support::Differs);
        assert_eq!(lookup("env.resize").support, Support::Supported);
        assert_eq!(lookup("getTimeZone").support, Support::Supported);
        assert!(lookup("context.getToken").note.contains("invokeRemote"));
    }

    #[test]
    fn known_rows_are_told_from_the_default() {
        assert!(is_known("flag.create") && is_known("resize") && is_known("context.getToken"));
        assert!(!is_known("messages.info") && !is_known("events"));
    }

    #[test]
    fn support_serializes_as_its_name() {
        for s in [Support::Supported, Support::Differs, Support::Unsupported] {
            assert_eq!(
                serde_json::to_string(&s).ok(),
                Some(format!("\"{}\"", s.as_str()))
            );
        }
    }
}
