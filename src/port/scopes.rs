//! Which classic Forge OAuth scopes a Jira REST call needs, and whether the app's Connect scopes
//! already cover them.
//!
//! A ported `AP.request` runs as `requestJira`, which needs OAuth scopes in the manifest. The
//! table below gives, per method and path, the classic scopes that Atlassian's Jira REST reference
//! lists under "OAuth scopes required" for the operation ("Jira scopes for OAuth 2.0 (3LO) and
//! Forge apps", developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/;
//! the Jira Software and Jira Service Management pages of the same name for `/rest/agile/` and
//! `/rest/servicedeskapi/`). A path the table does not know gets the scope its method usually
//! needs (`read:jira-work` to read, `write:jira-work` otherwise), marked as guessed.
//!
//! Whether admins must approve the update depends on the Connect scopes the installed app already
//! has: [`covered_by_connect`] follows "Equivalent Connect to Forge OAuth2 Scope Mappings"
//! (developer.atlassian.com/platform/adopting-forge-from-connect/connect-to-oauth2-scope-equivalences):
//! `read:jira-user`, `read:jira-work` ↔ READ; `manage:jira-webhook` ↔ WRITE; `write:jira-work` ↔
//! DELETE (it includes deleting issues); `manage:jira-project` ↔ PROJECT_ADMIN;
//! `manage:jira-configuration` ↔ ADMIN; with Connect's inheritance (ADMIN ⊃ PROJECT_ADMIN ⊃ DELETE ⊃
//! WRITE ⊃ READ). Scopes that page does not map (the Service Management ones among them) are
//! reported as not covered: the safe answer, since it only means "expect an admin approval".

/// The classic scopes one REST call needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeRule {
    /// The scopes, most often one.
    pub scopes: &'static [&'static str],
    /// True when no row matched and the scope comes from the method alone.
    pub guessed: bool,
}

const READ_WORK: &[&str] = &["read:jira-work"];
const WRITE_WORK: &[&str] = &["write:jira-work"];
const READ_USER: &[&str] = &["read:jira-user"];
const PROJECT: &[&str] = &["manage:jira-project"];
const CONFIG: &[&str] = &["manage:jira-configuration"];
const WEBHOOK: &[&str] = &["manage:jira-webhook"];
const READ_SD: &[&str] = &["read:servicedesk-request"];
const WRITE_SD: &[&str] = &["write:servicedesk-request"];
const CUSTOMER: &[&str] = &["manage:servicedesk-customer"];

/// Which methods a row applies to.
#[derive(Clone, Copy)]
enum On {
    Read,
    Write,
    Any,
}

/// `(methods, first path segments below /rest/api/<version>/, scopes)`; `*` matches any one
/// segment. The first row whose segments are a prefix of the path wins, so specific rows come
/// first.
const PLATFORM: &[(On, &[&str], &[&str])] = &[
    (On::Read, &["myself"], READ_USER),
    (On::Read, &["user"], READ_USER),
    (On::Read, &["users"], READ_USER),
    (On::Read, &["groupuserpicker"], READ_USER),
    (On::Read, &["group"], READ_USER),
    (On::Read, &["groups"], READ_USER),
    (On::Write, &["user"], CONFIG),
    (On::Write, &["group"], CONFIG),
    (On::Any, &["webhook"], WEBHOOK),
    (On::Read, &["project", "*", "properties"], READ_WORK),
    (On::Write, &["project", "*", "properties"], WRITE_WORK),
    (On::Read, &["project"], READ_WORK),
    (On::Write, &["project", "*"], PROJECT),
    (On::Write, &["project"], CONFIG),
    (On::Read, &["version"], READ_WORK),
    (On::Write, &["version"], PROJECT),
    (On::Read, &["component"], READ_WORK),
    (On::Write, &["component"], PROJECT),
    (On::Read, &["field"], READ_WORK),
    (On::Write, &["field"], CONFIG),
    (On::Read, &["issuetype"], READ_WORK),
    (On::Write, &["issuetype"], CONFIG),
    (On::Read, &["priority"], READ_WORK),
    (On::Write, &["priority"], CONFIG),
    (On::Read, &["resolution"], READ_WORK),
    (On::Write, &["resolution"], CONFIG),
    (On::Read, &["status"], READ_WORK),
    (On::Read, &["statuses"], READ_WORK),
    (On::Read, &["statuscategory"], READ_WORK),
    (On::Read, &["issueLinkType"], READ_WORK),
    (On::Write, &["issueLinkType"], CONFIG),
    (On::Any, &["workflow"], CONFIG),
    (On::Any, &["workflows"], CONFIG),
    (On::Any, &["workflowscheme"], CONFIG),
    (On::Any, &["screens"], CONFIG),
    (On::Any, &["permissionscheme"], CONFIG),
    (On::Any, &["notificationscheme"], CONFIG),
    (On::Any, &["application-properties"], CONFIG),
    (On::Any, &["auditing"], CONFIG),
    (On::Read, &["configuration"], READ_WORK),
    (On::Read, &["mypermissions"], READ_WORK),
    (On::Read, &["serverInfo"], READ_WORK),
    (On::Any, &["search"], READ_WORK),
    (On::Read, &["jql"], READ_WORK),
    (On::Read, &["issue"], READ_WORK),
    (On::Write, &["issue"], WRITE_WORK),
    (On::Read, &["attachment"], READ_WORK),
    (On::Write, &["attachment"], WRITE_WORK),
    (On::Read, &["comment"], READ_WORK),
    (On::Read, &["worklog"], READ_WORK),
    (On::Read, &["filter"], READ_WORK),
    (On::Write, &["filter"], WRITE_WORK),
    (On::Read, &["dashboard"], READ_WORK),
    (On::Write, &["dashboard"], WRITE_WORK),
];

/// Jira Service Management (`/rest/servicedeskapi/...`).
const SERVICE_DESK: &[(On, &[&str], &[&str])] = &[
    (On::Write, &["customer"], CUSTOMER),
    (On::Write, &["organization"], CUSTOMER),
    (On::Write, &["servicedesk", "*", "customer"], CUSTOMER),
    (On::Write, &["servicedesk", "*", "organization"], CUSTOMER),
    (On::Read, &[], READ_SD),
    (On::Write, &[], WRITE_SD),
];

/// Stands for a path segment that is not statically known; no literal row segment equals it.
const UNKNOWN_SEGMENT: &str = "\u{0}";

fn is_read(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

fn applies(on: On, method: &str) -> bool {
    match on {
        On::Read => is_read(method),
        On::Write => !is_read(method),
        On::Any => true,
    }
}

fn first_match(
    table: &'static [(On, &'static [&'static str], &'static [&'static str])],
    method: &str,
    segments: &[&str],
) -> Option<&'static [&'static str]> {
    table.iter().find_map(|(on, pattern, scopes)| {
        let matched = applies(*on, method)
            && pattern.len() <= segments.len()
            && pattern
                .iter()
                .zip(segments)
                .all(|(p, s)| *p == "*" || p == s);
        matched.then_some(*scopes)
    })
}

/// The classic scopes a REST call needs, from its method (upper case) and path (the path as
/// written or a prefix of it: `/rest/api/3/issue/`). `None` when the path is not a Jira REST
/// path (`/rest/...`).
pub fn scopes_for(method: &str, path: &str) -> Option<ScopeRule> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let rest = path.strip_prefix("/rest/")?;
    let mut segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if rest.ends_with('/') {
        // A prefix such as `/rest/api/3/project/` (from `project/${id}`): a segment follows,
        // unknown, so only a `*` row can match it.
        segments.push(UNKNOWN_SEGMENT);
    }
    let guess = |read: &'static [&'static str], write: &'static [&'static str]| ScopeRule {
        scopes: if is_read(method) { read } else { write },
        guessed: true,
    };
    let exact = |scopes| ScopeRule {
        scopes,
        guessed: false,
    };
    match segments.as_slice() {
        ["api", _version, tail @ ..] => Some(
            first_match(PLATFORM, method, tail)
                .map(exact)
                .unwrap_or_else(|| guess(READ_WORK, WRITE_WORK)),
        ),
        ["servicedeskapi", tail @ ..] => Some(
            first_match(SERVICE_DESK, method, tail)
                .map(exact)
                .unwrap_or_else(|| guess(READ_SD, WRITE_SD)),
        ),
        // Jira Software's REST API takes the platform's classic scopes for boards, sprints and
        // the issues on them.
        ["agile", _version, ..] => Some(exact(if is_read(method) {
            READ_WORK
        } else {
            WRITE_WORK
        })),
        _ => Some(guess(READ_WORK, WRITE_WORK)),
    }
}

/// The product whose REST API a path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    /// Jira (the platform, Software and Service Management): `requestJira`.
    Jira,
    /// Confluence: `requestConfluence`.
    Confluence,
}

/// Which product's REST API `path` is: `/wiki/rest/…`, `/wiki/api/v2/…`, and `/rest/api/`
/// followed by a resource rather than a version (`/rest/api/content`, `/rest/api/space`: the
/// paths Confluence pages write, relative to `/wiki`) are Confluence's; `/rest/api/2|3|latest/`,
/// `/rest/agile/`, `/rest/servicedeskapi/` and other `/rest/` paths are Jira's. `None` outside
/// REST.
pub fn rest_product(path: &str) -> Option<Product> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    if path.starts_with("/wiki/rest/") || path.starts_with("/wiki/api/v2/") {
        return Some(Product::Confluence);
    }
    let rest = path.strip_prefix("/rest/")?;
    match rest.strip_prefix("api/") {
        Some(tail) => {
            let first = tail.split('/').next().unwrap_or("");
            let version =
                first.is_empty() || first == "latest" || first.bytes().all(|b| b.is_ascii_digit());
            Some(if version {
                Product::Jira
            } else {
                Product::Confluence
            })
        }
        None => Some(Product::Jira),
    }
}

const READ_CONTENT: &[&str] = &["read:confluence-content.all"];
const WRITE_CONTENT: &[&str] = &["write:confluence-content"];
const READ_PROPS: &[&str] = &["read:confluence-props"];
const WRITE_PROPS: &[&str] = &["write:confluence-props"];
const WRITE_FILE: &[&str] = &["write:confluence-file"];
const SEARCH: &[&str] = &["search:confluence"];
const READ_SPACE: &[&str] = &["read:confluence-space.summary"];
const WRITE_SPACE: &[&str] = &["write:confluence-space"];
const READ_CONF_USER: &[&str] = &["read:confluence-user"];
const READ_GROUPS: &[&str] = &["read:confluence-groups"];

/// Confluence's REST API v1 (`/rest/api/<resource>/…` below `/wiki`), with the classic scopes
/// of Confluence's "Confluence scopes for OAuth 2.0 (3LO) and Forge apps" page.
const CONFLUENCE: &[(On, &[&str], &[&str])] = &[
    (On::Read, &["content", "*", "property"], READ_PROPS),
    (On::Write, &["content", "*", "property"], WRITE_PROPS),
    (On::Read, &["space", "*", "property"], READ_PROPS),
    (On::Write, &["space", "*", "property"], WRITE_PROPS),
    (
        On::Write,
        &["content", "*", "child", "attachment"],
        WRITE_FILE,
    ),
    (On::Any, &["search"], SEARCH),
    (On::Any, &["content", "search"], SEARCH),
    (On::Read, &["content"], READ_CONTENT),
    (On::Write, &["content"], WRITE_CONTENT),
    (On::Read, &["space"], READ_SPACE),
    (On::Write, &["space"], WRITE_SPACE),
    (On::Read, &["user"], READ_CONF_USER),
    (On::Read, &["group"], READ_GROUPS),
];

/// The product and the classic scopes of a REST call: Jira's table ([`scopes_for`]) for a Jira
/// path, Confluence's for a Confluence one, so a Confluence path never gets a Jira scope. `None`
/// outside REST.
pub fn rest_scopes(method: &str, path: &str) -> Option<(Product, ScopeRule)> {
    match rest_product(path)? {
        Product::Jira => scopes_for(method, path).map(|r| (Product::Jira, r)),
        Product::Confluence => {
            let clean = path.split(['?', '#']).next().unwrap_or(path);
            let clean = clean.strip_prefix("/wiki").unwrap_or(clean);
            let tail = clean
                .strip_prefix("/rest/api/")
                .or_else(|| clean.strip_prefix("/api/v2/"))
                .unwrap_or("");
            let mut segments: Vec<&str> = tail.split('/').filter(|s| !s.is_empty()).collect();
            if tail.ends_with('/') {
                segments.push(UNKNOWN_SEGMENT);
            }
            // v2 names its resources in the plural (`pages`, `spaces`): read as v1's.
            if let Some(first) = segments.first_mut() {
                *first = match *first {
                    "pages" | "blogposts" | "comments" | "footer-comments" | "inline-comments" => {
                        "content"
                    }
                    "spaces" => "space",
                    other => other,
                };
            }
            let rule = match first_match(CONFLUENCE, method, &segments) {
                Some(scopes) => ScopeRule {
                    scopes,
                    guessed: false,
                },
                None => ScopeRule {
                    scopes: if is_read(method) {
                        READ_CONTENT
                    } else {
                        WRITE_CONTENT
                    },
                    guessed: true,
                },
            };
            Some((Product::Confluence, rule))
        }
    }
}

/// Connect's scope ladder: each level implies those below it.
fn connect_level(scope: &str) -> Option<u8> {
    let s = scope.trim().to_ascii_uppercase().replace('-', "_");
    // Connect-on-Forge manifests spell them `read:connect-jira`, `project-admin:connect-jira`.
    let s = s.strip_suffix(":CONNECT_JIRA").unwrap_or(&s);
    Some(match s {
        "READ" => 1,
        "WRITE" => 2,
        "DELETE" => 3,
        "PROJECT_ADMIN" => 4,
        "ADMIN" => 5,
        _ => return None,
    })
}

/// The Connect level an OAuth scope maps to, per Atlassian's equivalence table.
fn required_level(scope: &str) -> Option<u8> {
    Some(match scope {
        "read:jira-user" | "read:jira-work" => 1,
        "manage:jira-webhook" => 2,
        "write:jira-work" => 3,
        "manage:jira-project" => 4,
        "manage:jira-configuration" => 5,
        _ => return None,
    })
}

/// Whether the app's scopes already grant `scope`, so adding it needs no admin approval: its
/// Connect scopes (`READ`, `WRITE`, … as in the descriptor, or `read:connect-jira`, … as in a
/// Connect-on-Forge manifest) by Atlassian's equivalences, or the scope itself, listed already
/// (an adopted manifest's `permissions.scopes`). Any other unmapped scope is never covered.
pub fn covered_by_connect(scope: &str, connect_scopes: &[&str]) -> bool {
    if connect_scopes.contains(&scope) {
        return true;
    }
    let Some(needed) = required_level(scope) else {
        return false;
    };
    connect_scopes
        .iter()
        .filter_map(|s| connect_level(s))
        .any(|have| have >= needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confluence_path_never_gets_a_jira_scope() {
        use Product::*;
        let of = |m: &str, p: &str| {
            rest_scopes(m, p).map(|(product, r)| (product, r.scopes[0], r.guessed))
        };
        assert_eq!(
            of("GET", "/rest/api/3/issue/A-1"),
            Some((Jira, "read:jira-work", false))
        );
        assert_eq!(
            of("GET", "/rest/api/latest/myself"),
            Some((Jira, "read:jira-user", false))
        );
        assert_eq!(
            of("GET", "/rest/agile/1.0/board"),
            Some((Jira, "read:jira-work", false))
        );
        assert_eq!(
            of("GET", "/rest/api/content/1"),
            Some((Confluence, "read:confluence-content.all", false))
        );
        assert_eq!(
            of("PUT", "/wiki/rest/api/content/1/property/k"),
            Some((Confluence, "write:confluence-props", false))
        );
        assert_eq!(
            of("POST", "/rest/api/content/1/child/attachment"),
            Some((Confluence, "write:confluence-file", false))
        );
        assert_eq!(
            of("GET", "/rest/api/search?cql=x"),
            Some((Confluence, "search:confluence", false))
        );
        assert_eq!(
            of("GET", "/wiki/api/v2/pages/1"),
            Some((Confluence, "read:confluence-content.all", false))
        );
        assert_eq!(
            of("DELETE", "/rest/api/longtask/1"),
            Some((Confluence, "write:confluence-content", true))
        );
        assert_eq!(of("GET", "/api/x"), None);
    }

    fn scopes(method: &str, path: &str) -> Option<(&'static [&'static str], bool)> {
        scopes_for(method, path).map(|r| (r.scopes, r.guessed))
    }

    #[test]
    fn platform_rows() {
        assert_eq!(
            scopes("GET", "/rest/api/3/issue/ABC-1?fields=summary"),
            Some((READ_WORK, false))
        );
        assert_eq!(
            scopes("PUT", "/rest/api/2/issue/ABC-1/properties/sla"),
            Some((WRITE_WORK, false))
        );
        assert_eq!(
            scopes("GET", "/rest/api/3/myself"),
            Some((READ_USER, false))
        );
        assert_eq!(
            scopes("POST", "/rest/api/3/search"),
            Some((READ_WORK, false))
        );
        assert_eq!(
            scopes("PUT", "/rest/api/3/project/10000/properties/x"),
            Some((WRITE_WORK, false))
        );
        assert_eq!(
            scopes("PUT", "/rest/api/3/project/10000"),
            Some((PROJECT, false))
        );
        assert_eq!(scopes("POST", "/rest/api/3/project"), Some((CONFIG, false)));
        assert_eq!(
            scopes("GET", "/rest/api/3/workflow/search"),
            Some((CONFIG, false))
        );
        assert_eq!(scopes("POST", "/rest/api/3/field"), Some((CONFIG, false)));
    }

    #[test]
    fn prefixes_unknown_rows_and_other_apis() {
        // A template-literal prefix still names the resource.
        assert_eq!(
            scopes("GET", "/rest/api/3/issue/"),
            Some((READ_WORK, false))
        );
        assert_eq!(scopes("DELETE", "/rest/api/3/"), Some((WRITE_WORK, true)));
        // `project/${id}`: a project's own settings, not the creation of one.
        assert_eq!(
            scopes("PUT", "/rest/api/3/project/"),
            Some((PROJECT, false))
        );
        assert_eq!(
            scopes("GET", "/rest/agile/1.0/board/1/sprint"),
            Some((READ_WORK, false))
        );
        assert_eq!(
            scopes("POST", "/rest/servicedeskapi/request"),
            Some((WRITE_SD, false))
        );
        assert_eq!(
            scopes("POST", "/rest/servicedeskapi/customer"),
            Some((CUSTOMER, false))
        );
        assert_eq!(scopes("GET", "/api/sla"), None);
        assert_eq!(scopes("GET", "https://example.com/rest/api/3/x"), None);
    }

    #[test]
    fn connect_equivalences_with_inheritance() {
        assert!(covered_by_connect("read:jira-work", &["READ"]));
        assert!(covered_by_connect("read:jira-user", &["ADMIN"]));
        // Listed already (an adopted manifest that has it): no new approval.
        assert!(covered_by_connect(
            "write:jira-work",
            &["read:connect-jira", "write:jira-work"]
        ));
        assert!(!covered_by_connect(
            "write:jira-work",
            &["read:connect-jira", "read:jira-work"]
        ));
        assert!(!covered_by_connect("write:jira-work", &["READ", "WRITE"]));
        assert!(covered_by_connect("write:jira-work", &["DELETE"]));
        assert!(covered_by_connect("manage:jira-webhook", &["write"]));
        assert!(!covered_by_connect("manage:jira-project", &["DELETE"]));
        assert!(covered_by_connect(
            "manage:jira-project",
            &["PROJECT_ADMIN"]
        ));
        assert!(!covered_by_connect(
            "manage:jira-configuration",
            &["PROJECT_ADMIN"]
        ));
        assert!(covered_by_connect(
            "manage:jira-configuration",
            &["admin:connect-jira"]
        ));
        assert!(covered_by_connect(
            "read:jira-work",
            &["project-admin:connect-jira"]
        ));
        assert!(!covered_by_connect("read:servicedesk-request", &["ADMIN"]));
        assert!(!covered_by_connect("read:jira-work", &["ACT_AS_USER"]));
        assert!(!covered_by_connect("read:jira-work", &[]));
    }
}
