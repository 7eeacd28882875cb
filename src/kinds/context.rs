//! The context parameters of a Connect module URL (`/panel?issueKey={issue.key}`) and where the
//! same value is in Forge's `view.getContext()`.
//!
//! Connect filled `{issue.key}` into the page's URL; a Forge Custom UI page reads the context
//! instead. The compatibility layer rebuilds the page's query string from the context before the
//! page's scripts run (so code that parses `location.search` keeps working), using the paths
//! below; a parameter with no Forge value is reported at the descriptor's place.
//!
//! The Forge paths follow the "Custom UI view.getContext" reference for each module's `extension`
//! (Jira: `issue`, `project`, `board`, `sprint`, a gadget's `gadget` and `dashboard`;
//! Confluence: `content`, `space`), and the top-level `accountId`, `localId`, `locale` and
//! `timezone`.

/// Connect context parameter → path in the object `view.getContext()` resolves to.
const PARAMETERS: &[(&str, &str)] = &[
    ("issue.id", "extension.issue.id"),
    ("issue.key", "extension.issue.key"),
    ("issuetype.id", "extension.issue.typeId"),
    ("issue.type", "extension.issue.type"),
    ("project.id", "extension.project.id"),
    ("project.key", "extension.project.key"),
    ("project.type", "extension.project.type"),
    ("board.id", "extension.board.id"),
    ("board.type", "extension.board.type"),
    ("sprint.id", "extension.sprint.id"),
    ("dashboard.id", "extension.dashboard.id"),
    ("dashboardItem.id", "extension.gadget.id"),
    ("user.accountId", "accountId"),
    ("user.accountid", "accountId"),
    ("user.locale", "locale"),
    ("user.timezone", "timezone"),
    ("page.id", "extension.content.id"),
    ("page.type", "extension.content.type"),
    ("content.id", "extension.content.id"),
    ("content.type", "extension.content.type"),
    ("space.id", "extension.space.id"),
    ("space.key", "extension.space.key"),
    ("macro.id", "localId"),
];

/// Where a Connect context parameter's value is in Forge's context, if it has one there.
pub fn forge_path(parameter: &str) -> Option<&'static str> {
    PARAMETERS
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(parameter))
        .map(|(_, f)| *f)
}

/// One `name={parameter}` pair of a module URL's query string.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UrlParameter {
    /// The query parameter's name (`issueKey`).
    pub name: String,
    /// The Connect context parameter it was filled from (`issue.key`).
    pub parameter: String,
    /// Where Forge's context has that value (`extension.issue.key`), if it has one.
    pub forge_path: Option<&'static str>,
}

/// The context parameters of a module URL's query string, in order. A value that mixes text and
/// a parameter (`id=x-{issue.id}`) or holds several is taken by its first parameter.
pub fn url_parameters(url: &str) -> Vec<UrlParameter> {
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    let query = query.split('#').next().unwrap_or("");
    query
        .split('&')
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            let open = value.find('{')?;
            let close = value[open..].find('}')? + open;
            let parameter = value[open + 1..close].trim().to_string();
            Some(UrlParameter {
                name: name.to_string(),
                forge_path: forge_path(&parameter),
                parameter,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_urls_parameters_and_their_forge_places() {
        let p = url_parameters("/panel?issueKey={issue.key}&p={project.id}&m={macro.body}&x=1");
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.name.as_str(), p.parameter.as_str(), p.forge_path))
            .collect();
        assert_eq!(
            got,
            [
                ("issueKey", "issue.key", Some("extension.issue.key")),
                ("p", "project.id", Some("extension.project.id")),
                ("m", "macro.body", None),
            ]
        );
        assert!(url_parameters("/plain").is_empty());
        assert!(url_parameters("/x?a={unclosed").is_empty());
    }
}
