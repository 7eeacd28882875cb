//! The Connect JavaScript API support table: how each `AP.*` member, each event, each
//! `navigator.go` target and each query parameter of the page's URL behaves once the page runs
//! on `@forge/bridge` through the compatibility layer.
//!
//! One table for the whole port stage: the analysis reports it and the compatibility layer
//! (`templates/scaffold/src/connect-compat.js.hbs` and its parts under
//! `templates/scaffold/src/connect-compat/`) implements it, so the two must say the same;
//! `tests/compat_template.rs` runs the layer against a fake bridge and checks each level here.
//! A member that is not listed is `unsupported` (the layer answers every other Connect member so a
//! feature check or a call does not throw, but it does nothing).
//!
//! Some levels depend on where the page runs ([`Surface`]: an invisible background script, a
//! visible module, a modal, a macro editor, a gadget): [`lookup`] gives the level when the
//! surface is not known, [`lookup_in`] the level on a given surface.

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

/// Where a carried page runs, as the compatibility layer tells it from the Forge module type and
/// the resource's entry (`surfaceOf` in `connect-compat/host.js.hbs` decides the same way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    /// An invisible background script (`jira:issueViewBackgroundScript`, ...).
    Background,
    /// A visible module: a page, panel, glance, ...
    Page,
    /// A Connect dialog's resource, opened with `new Modal({ resource, context })`.
    Modal,
    /// A macro's own view.
    Macro,
    /// A macro's custom editor (the Forge macro's `config` resource).
    MacroEditor,
    /// A dashboard gadget, in its view or its edit entry point.
    Gadget,
}

/// The Forge module types of invisible background scripts.
const BACKGROUND_TYPES: &[&str] = &[
    "jira:issueViewBackgroundScript",
    "jira:dashboardBackgroundScript",
    "jira:globalBackgroundScript",
];

impl Surface {
    /// The surface of a resource of a module of `forge_type`; `entry` is the scaffold's
    /// `module.entry` (`main`, `config` for a macro's editor, `edit` for a gadget's edit page,
    /// `modal` for a Connect dialog's resource).
    pub fn of(forge_type: &str, entry: &str) -> Surface {
        if entry == "modal" {
            Surface::Modal
        } else if forge_type == "macro" {
            if entry == "config" {
                Surface::MacroEditor
            } else {
                Surface::Macro
            }
        } else if BACKGROUND_TYPES.contains(&forge_type) {
            Surface::Background
        } else if forge_type == "jira:dashboardGadget" {
            Surface::Gadget
        } else {
            Surface::Page
        }
    }

    /// The surface as the compatibility layer spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Background => "background",
            Surface::Page => "page",
            Surface::Modal => "modal",
            Surface::Macro => "macro",
            Surface::MacroEditor => "macro-editor",
            Surface::Gadget => "gadget",
        }
    }

    /// Whether the page is seen (every surface but a background script).
    pub fn is_visible(self) -> bool {
        self != Surface::Background
    }
}

const EMIT: &str = "reaches only this app's Forge modules, never a module still on Connect";
const LISTEN: &str = "";
const SIZE: &str = "does nothing: Forge sizes a visible Custom UI iframe itself (to its content's \
     height, or to the manifest's viewportSize), and a background script is invisible";
const SIZE_VISIBLE: &str = "does nothing: Forge sizes a Custom UI iframe itself, to its content's \
     height (or to the manifest's viewportSize where the module has one)";
const SIZE_MODAL: &str =
    "does nothing: a Forge modal has the size its opener gave new Modal({ size })";
const NO_OP: &str = "does nothing: a background script is invisible";
const DIALOG_INSIDE: &str =
    "works in a Connect dialog's Forge modal or a macro editor (view.close, \
     extension.modal, buttons the layer draws); elsewhere it answers as unsupported";
const NOT_A_DIALOG: &str =
    "this page is not a Forge modal or macro editor: it has no dialog of its \
     own; open one with AP.dialog.create({ key }) (a Forge Modal)";
const NOT_A_MACRO: &str = "only a Forge macro (or its custom editor) has macro parameters";
const NOT_A_GADGET: &str = "only a Forge dashboard gadget has an edit mode";
const MESSAGES: &str = "shown as a Forge flag (showFlag), not as a message bar inside the page";

/// Note for a `request` to a Jira REST path (`/rest/...`).
pub const REQUEST_REST_NOTE: &str = "runs as requestJira with Connect's answer shapes";
/// Note for a `request` to a Confluence REST path from a Confluence module or macro.
pub const REQUEST_CONFLUENCE_NOTE: &str = "runs as requestConfluence (under /wiki) with Connect's \
     answer shapes";
/// Note for a `request` to the app's own backend.
pub const REQUEST_BACKEND_NOTE: &str = "a request to the app's own backend has no Connect JWT on \
     Forge: call it with invokeRemote/requestRemote to the `connect` remote, whose backend must \
     accept Forge Invocation Tokens";
/// Note for a `request` whose URL is not statically known.
pub const REQUEST_UNKNOWN_NOTE: &str = "the URL is not statically known: it works only if it is a \
     product REST path (/rest/..., or the site's own URL followed by it); a request to the app's \
     own backend must move to invokeRemote/requestRemote";

/// The support of a Connect API named by its dotted path below `AP` (`events.on`,
/// `context.getToken`), when the page's [`Surface`] is not known. `request` is listed as
/// supported; the analysis refines it from the URL ([`REQUEST_BACKEND_NOTE`],
/// [`REQUEST_UNKNOWN_NOTE`]).
pub fn lookup(api: &str) -> ApiSupport {
    known(api).unwrap_or(UNKNOWN)
}

/// The support of `api` in a page on `surface`: where the layer's behaviour depends on the
/// surface (the iframe's size, dialogs, macro editors, gadgets), the level there.
pub fn lookup_in(api: &str, surface: Surface) -> ApiSupport {
    use Support::*;
    let closable = matches!(surface, Surface::Modal | Surface::MacroEditor);
    let macro_page = matches!(surface, Surface::Macro | Surface::MacroEditor);
    match api {
        "resize" | "sizeToParent" | "hideFooter" | "env.resize" | "env.sizeToParent"
        | "env.hideFooter" => match surface {
            Surface::Background => row(Supported, NO_OP),
            Surface::Modal => row(Differs, SIZE_MODAL),
            _ => row(Differs, SIZE_VISIBLE),
        },
        "dialog.close"
        | "dialog.getButton"
        | "dialog.createButton"
        | "dialog.disableCloseOnSubmit"
        | "dialog.getCustomData" => {
            if closable {
                lookup(api)
            } else if api == "dialog.close" || api == "dialog.getCustomData" {
                // A page opened as a modal (context.extension.modal) still has both at run time.
                row(Differs, DIALOG_INSIDE)
            } else {
                row(Unsupported, NOT_A_DIALOG)
            }
        }
        "confluence.saveMacro" | "confluence.closeMacroEditor" => {
            if surface == Surface::MacroEditor {
                lookup(api)
            } else {
                row(
                    Unsupported,
                    "only a macro's custom editor (the Forge macro's config resource) saves the \
                     macro, with view.submit({ config })",
                )
            }
        }
        "confluence.getMacroData" | "confluence.getMacroBody" => {
            if macro_page {
                lookup(api)
            } else {
                row(Unsupported, NOT_A_MACRO)
            }
        }
        "jira.isDashboardItemEditable" | "jira.DashboardItem.onDashboardItemEdit" => {
            if surface == Surface::Gadget {
                lookup(api)
            } else {
                row(Unsupported, NOT_A_GADGET)
            }
        }
        _ => lookup(api),
    }
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
        // Connect's built-in modules and the app's own AP.define modules.
        "require" => row(Supported, ""),
        "define" => row(
            Supported,
            "an AMD registry: AP.require hands the module over once its dependencies are defined",
        ),
        "request" => row(Supported, REQUEST_REST_NOTE),
        // Also confluence.content and confluence.space in a Confluence module.
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
        "messages.info" | "messages.success" | "messages.warning" | "messages.error"
        | "messages.generic" | "messages.hint" | "messages.clear" => row(Differs, MESSAGES),
        "navigator.reload" => row(Supported, ""),
        "jira.refreshIssuePage" => row(Supported, ""),
        "jira.openCreateIssueDialog" => row(
            Differs,
            "opens Jira's create issue modal (CreateIssueModal from @forge/jira-bridge); the \
             callback gets [{ id }] for each issue created, with no key or fields",
        ),
        "jira.setDashboardItemTitle" => row(
            Unsupported,
            "a Forge dashboard gadget's title is the manifest's title: @forge/bridge cannot change \
             it at run time",
        ),
        "jira.isDashboardItemEditable" => row(
            Differs,
            "in a dashboard gadget: true in its edit entry point, false in its view (Forge offers \
             editing in the gadget's own menu)",
        ),
        "jira.DashboardItem.onDashboardItemEdit" => row(
            Differs,
            "in a dashboard gadget: called once the page ran in the gadget's edit entry point; \
             saving the dashboard item's property ends editing with view.submit()",
        ),
        "jira.WorkflowConfiguration.onSave" | "jira.WorkflowConfiguration.onSaveValidation" => {
            row(
                Differs,
                "given to Forge through workflowRules.onConfigure (@forge/jira-bridge); a failed \
                 validation stops the save with an error",
            )
        }
        "confluence.saveMacro" => row(
            Differs,
            "in a macro's custom editor: the parameters are saved as the Forge macro's config with \
             view.submit({ config }) when the editor closes; a body is not saved",
        ),
        "confluence.closeMacroEditor" => row(
            Differs,
            "in a macro's custom editor: view.submit({ config }) after saveMacro, else view.close()",
        ),
        "confluence.getMacroData" => row(
            Differs,
            "in a macro or its editor: the Forge macro's config (context.extension.config), where \
             the migrated macro's parameters are",
        ),
        "confluence.getMacroBody" => row(
            Differs,
            "in a macro or its editor: the Atlassian Document Format body Forge gives a bodied \
             macro (context.extension.macro.body), not Connect's storage format",
        ),
        "confluence.getContentProperty"
        | "confluence.setContentProperty"
        | "confluence.syncPropertyFromServer" => row(
            Differs,
            "the page's content property through the Confluence REST API (requestConfluence: add \
             the read:confluence-props / write:confluence-props scopes); setContentProperty's \
             callback gets the saved property as the REST API answers it",
        ),
        "user.getLocale" | "user.getTimeZone" | "getTimeZone" => row(Supported, ""),
        // `env` is what `AP.require('env', …)` gave: the old iframe helpers.
        "resize" | "sizeToParent" | "hideFooter" | "env.resize" | "env.sizeToParent"
        | "env.hideFooter" => row(Differs, SIZE),
        "navigator.go" => row(
            Differs,
            "only targets with a Forge router equivalent: issue, dashboard, projectAdminSummary, \
             userProfile, contentview, contentedit, spaceview, contentlist, addonModule, site; \
             any other target answers as unsupported",
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
            "closes the Connect dialog's Forge modal with view.close(data), which its opener's \
             on('close') hears; a macro editor closes with view.close() or view.submit({ config }); \
             elsewhere it answers as unsupported",
        ),
        "dialog.getCustomData" => row(
            Differs,
            "in a Connect dialog's Forge modal: the customData its opener gave, from \
             context.extension.modal; elsewhere it answers as unsupported",
        ),
        "dialog.getButton" | "dialog.createButton" | "dialog.disableCloseOnSubmit" => row(
            Differs,
            "Forge draws no dialog buttons: in a modal or macro editor the layer draws Connect's \
             Submit and Cancel (and created buttons) at the bottom of the page; elsewhere it \
             answers as unsupported",
        ),
        "dialog.create" => row(
            Differs,
            "opens the dialog's Custom UI resource in a Forge Modal (customData is its context) \
             when the Connect dialog was migrated to a resource; another key answers as \
             unsupported",
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

/// How a listener for the event `name` (`AP.events.on(name, ...)`) behaves on Forge: product
/// events Forge never sends are unsupported, the events the layer itself sends say when they come,
/// and any other name is an app event, heard when another Forge module of the app emits it.
pub fn event(name: &str) -> ApiSupport {
    use Support::*;
    match name {
        "ISSUE_CHANGED" => row(
            Supported,
            "arrives as Forge's JIRA_ISSUE_CHANGED in issue view modules",
        ),
        "ISSUE_GLANCE_OPENED" => row(
            Unsupported,
            "never fires on Forge: there are no issue glances; a jira:issueContext panel is \
             rendered when it is expanded, so run this listener's code at load",
        ),
        "ISSUE_QUICK_ADD_CLICKED" => row(
            Unsupported,
            "never fires on Forge: a jira:issuePanel is rendered when the user adds it, so run this \
             listener's code at load",
        ),
        "flag.action" => row(Supported, "sent by the layer when a flag's action is clicked"),
        "flag.close" => row(
            Differs,
            "sent by the layer when the page closes the flag with close(); a flag the user \
             dismisses sends none",
        ),
        "dialog.close" => row(
            Supported,
            "sent to the opener when the dialog's Forge modal closes, with the data of \
             AP.dialog.close(data)",
        ),
        "dialog.submit" | "dialog.cancel" | "dialog.button.click" => row(
            Differs,
            "sent by the layer when the user presses a button it draws at the bottom of a modal or \
             macro editor (Forge draws none)",
        ),
        // Jira Service Management's host tells a request create property panel to hand over
        // and check its values (`…-serialize`, `…-validate`): Forge's host sends no Connect
        // event, so a listener for one never runs.
        n if n.starts_with("jira-servicedesk-") => row(
            Unsupported,
            "a Jira Service Management host event: never fires on Forge (no Connect host sends \
             it); the Forge module's own submit and validation take its place",
        ),
        "dashboard-item-edit" => row(
            Differs,
            "sent by the layer once the page ran in a dashboard gadget's edit entry point",
        ),
        _ => row(
            Supported,
            "an app event: heard when another Forge module of this app emits it (never from a \
             module still on Connect)",
        ),
    }
}

/// The Connect `navigator.go` targets the layer sends to Forge's router (`forgeLocation` in
/// `connect-compat/ui.js.hbs` handles the same list).
pub const NAVIGATOR_TARGETS: &[&str] = &[
    "issue",
    "dashboard",
    "projectAdminSummary",
    "userProfile",
    "contentview",
    "contentedit",
    "spaceview",
    "contentlist",
    "addonModule",
    "site",
];

/// How `AP.navigator.go(target, context)` behaves for `target`.
pub fn navigator_target(target: &str) -> ApiSupport {
    use Support::*;
    match target {
        "issue" => row(Supported, "router.navigate({ target: 'issue', issueKey })"),
        "dashboard" => row(
            Supported,
            "router.navigate({ target: 'dashboard', dashboardId })",
        ),
        "projectAdminSummary" => row(
            Supported,
            "router.navigate({ target: 'projectSettingsDetails', projectKey })",
        ),
        "userProfile" => row(
            Supported,
            "router.navigate({ target: 'userProfile', accountId: userAccountId })",
        ),
        "contentview" | "contentedit" => row(
            Supported,
            "router.navigate({ target: 'contentView' or 'contentEdit', contentId })",
        ),
        "spaceview" => row(
            Supported,
            "router.navigate({ target: 'spaceView', spaceKey })",
        ),
        "contentlist" => row(
            Supported,
            "router.navigate({ target: 'contentList', spaceKey, contentType })",
        ),
        "addonModule" => row(
            Differs,
            "opens the Forge module with that key (router target 'module'); its context is not \
             passed",
        ),
        "site" => row(Supported, "router.navigate(relativeUrl or absoluteUrl)"),
        _ => row(
            Unsupported,
            "no Forge router target: the layer refuses it (the callback gets no value); navigate \
             with router.navigate() from @forge/bridge",
        ),
    }
}

/// Connect URL variables (`issueKey={issue.key}` in a module's URL) and the path of their value in
/// Forge's view context (`URL_VARIABLES` in `connect-compat/location.js.hbs` is the same map).
pub const URL_VARIABLES: &[(&str, &str)] = &[
    ("issue.id", "extension.issue.id"),
    ("issue.key", "extension.issue.key"),
    ("issuetype.id", "extension.issue.typeId"),
    ("project.id", "extension.project.id"),
    ("project.key", "extension.project.key"),
    ("dashboard.id", "extension.dashboard.id"),
    ("dashboardItem.id", "extension.gadget.id"),
    ("dashboardItem.key", "moduleKey"),
    ("board.id", "extension.board.id"),
    ("board.type", "extension.board.type"),
    ("sprint.id", "extension.sprint.id"),
    ("page.id", "extension.content.id"),
    ("page.type", "extension.content.type"),
    ("content.id", "extension.content.id"),
    ("content.type", "extension.content.type"),
    ("space.id", "extension.space.id"),
    ("space.key", "extension.space.key"),
    ("macro.id", "localId"),
    ("user.accountId", "accountId"),
];

/// How the compatibility layer fills the module URL's variable `name` (`issue.key` for
/// `{issue.key}`) when it rebuilds `location.search`. A name without a dot in a macro's URL is a
/// macro parameter, taken from the Forge macro's config. One with no Forge value is left empty.
pub fn url_variable(name: &str) -> ApiSupport {
    use Support::*;
    match URL_VARIABLES.iter().find(|(n, _)| *n == name) {
        Some((n, _)) if *n == "macro.id" => row(
            Differs,
            "filled with the Forge macro's localId, which is not the Connect macro's id",
        ),
        Some((n, _)) if *n == "dashboardItem.key" => row(
            Differs,
            "filled with the Forge module key (context moduleKey)",
        ),
        Some(_) => row(Supported, "filled from view.getContext()"),
        None if !name.contains('.') => row(
            Differs,
            "in a macro's URL, a macro parameter: filled from the Forge macro's config; elsewhere \
             Forge has no value and it is left empty",
        ),
        None => row(
            Unsupported,
            "Forge's view context has no value for it: the layer leaves it empty and says so on \
             the console; take the value from the backend or drop it",
        ),
    }
}

/// How the compatibility layer fills Connect's own query parameter `name` (`xdm_e`, `lic`, ...),
/// or `None` when Connect did not add a parameter of that name.
pub fn standard_parameter(name: &str) -> Option<ApiSupport> {
    use Support::*;
    Some(match name {
        "xdm_e" => row(Supported, "the site's URL (view.getContext().siteUrl)"),
        "cp" => row(Supported, "/wiki in a Confluence module, else empty"),
        "xdm_deprecated_addon_key_do_not_use" => row(Supported, "the Connect app key"),
        "lic" => row(
            Supported,
            "active or none, from view.getContext().license.isActive",
        ),
        "tz" => row(Supported, "view.getContext().timezone"),
        "loc" => row(Supported, "view.getContext().locale"),
        "xdm_c" | "cv" => row(
            Unsupported,
            "Forge has no value for it: the layer leaves it empty and says so on the console",
        ),
        "user_id" => row(
            Unsupported,
            "Forge has no user name: the layer leaves it empty; use the account ID \
             (view.getContext().accountId)",
        ),
        "jwt" => row(
            Unsupported,
            "no Connect JWT on Forge: the layer leaves it empty; call the backend with \
             invokeRemote/requestRemote to the `connect` remote",
        ),
        _ => return None,
    })
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
        assert_eq!(lookup("dialog.getButton").support, Support::Differs);
        assert_eq!(lookup("dialog.reposition").support, Support::Unsupported);
        // What the compatibility layer does is what the report says.
        assert_eq!(lookup("events.onAny").support, Support::Differs);
        assert_eq!(lookup("messages.info").support, Support::Differs);
        assert_eq!(lookup("getTimeZone").support, Support::Supported);
        assert_eq!(
            lookup("jira.setDashboardItemTitle").support,
            Support::Unsupported
        );
        assert!(lookup("context.getToken").note.contains("invokeRemote"));
    }

    #[test]
    fn levels_that_depend_on_the_surface() {
        let bg = Surface::of("jira:issueViewBackgroundScript", "main");
        let panel = Surface::of("jira:issuePanel", "main");
        let modal = Surface::of("jira:issuePanel", "modal");
        let editor = Surface::of("macro", "config");
        let gadget = Surface::of("jira:dashboardGadget", "main");
        assert_eq!(bg, Surface::Background);
        assert_eq!(
            (panel, modal, editor, gadget),
            (
                Surface::Page,
                Surface::Modal,
                Surface::MacroEditor,
                Surface::Gadget
            )
        );
        assert_eq!(Surface::of("macro", "main"), Surface::Macro);
        assert!(!bg.is_visible() && panel.is_visible());
        assert_eq!(lookup_in("resize", bg).support, Support::Supported);
        assert_eq!(lookup_in("resize", panel).support, Support::Differs);
        assert_eq!(lookup_in("env.sizeToParent", modal).note, SIZE_MODAL);
        assert_eq!(
            lookup_in("dialog.getButton", panel).support,
            Support::Unsupported
        );
        assert_eq!(
            lookup_in("dialog.getButton", modal).support,
            Support::Differs
        );
        assert_eq!(
            lookup_in("confluence.saveMacro", Surface::Macro).support,
            Support::Unsupported
        );
        assert_eq!(
            lookup_in("confluence.saveMacro", editor).support,
            Support::Differs
        );
        assert_eq!(
            lookup_in("confluence.getMacroData", Surface::Macro).support,
            Support::Differs
        );
        assert_eq!(
            lookup_in("jira.isDashboardItemEditable", panel).support,
            Support::Unsupported
        );
        assert_eq!(
            lookup_in("jira.isDashboardItemEditable", gadget).support,
            Support::Differs
        );
        assert_eq!(lookup_in("flag.create", bg), lookup("flag.create"));
    }

    #[test]
    fn events_that_never_fire_on_forge_are_not_supported() {
        assert_eq!(event("ISSUE_CHANGED").support, Support::Supported);
        assert_eq!(event("ISSUE_GLANCE_OPENED").support, Support::Unsupported);
        assert_eq!(
            event("ISSUE_QUICK_ADD_CLICKED").support,
            Support::Unsupported
        );
        assert_eq!(event("dialog.submit").support, Support::Differs);
        assert_eq!(event("app.data-change").support, Support::Supported);
    }

    #[test]
    fn navigator_targets_the_layer_refuses_are_unsupported() {
        for target in NAVIGATOR_TARGETS {
            assert_ne!(navigator_target(target).support, Support::Unsupported);
        }
        for target in ["spacetools", "projectAdminTabPanel", "module", ""] {
            assert_eq!(navigator_target(target).support, Support::Unsupported);
        }
    }

    #[test]
    fn url_parameters_say_what_forge_fills() {
        assert_eq!(url_variable("issue.key").support, Support::Supported);
        assert_eq!(url_variable("macro.id").support, Support::Differs);
        assert_eq!(url_variable("uuid").support, Support::Differs);
        assert_eq!(
            url_variable("dashboardItem.viewType").support,
            Support::Unsupported
        );
        assert_eq!(
            standard_parameter("xdm_e").map(|r| r.support),
            Some(Support::Supported)
        );
        assert_eq!(
            standard_parameter("xdm_c").map(|r| r.support),
            Some(Support::Unsupported)
        );
        assert_eq!(standard_parameter("issueKey"), None);
    }

    #[test]
    fn known_rows_are_told_from_the_default() {
        assert!(is_known("flag.create") && is_known("resize") && is_known("context.getToken"));
        assert!(is_known("messages.info") && is_known("define"));
        assert!(!is_known("host.getSelectedText") && !is_known("events"));
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
