//! Template placeholders in Connect descriptors.
//!
//! Real descriptors are templates: atlassian-connect-express fills `{{localBaseUrl}}` per
//! environment, Maven/Spring resource filtering fills `${name}`, Go services fill `{{ .Name }}`.
//! A placeholder is either filled from `--var NAME=VALUE` or becomes a Forge manifest variable
//! (`${LOCAL_BASE_URL}`), Forge's own per-deploy equivalent.

use std::collections::BTreeMap;

/// The syntax a placeholder was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Syntax {
    /// `{{name}}` (atlassian-connect-express / handlebars) or `{{ .Name }}` (Go templates).
    Braces,
    /// `${name}` (Maven / Spring resource filtering).
    Dollar,
}

/// One placeholder occurrence found in a string value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range of the whole placeholder inside the string.
    pub start: usize,
    /// End of the range (exclusive).
    pub end: usize,
    /// The name as written, without braces, dots or spaces (`localBaseUrl`, `BaseURL`).
    pub name: String,
    /// Syntax.
    pub syntax: Syntax,
    /// Spring's `${NAME:default}` default value.
    pub default: Option<String>,
}

/// Finds `{{ name }}`, `{{ .Name }}` and (when `dollar` is set) `${name}` placeholders in `s`.
pub fn find(s: &str, dollar: bool) -> Vec<Found> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' && b.get(i + 1) == Some(&b'{') {
            if let Some(close) = s[i + 2..].find("}}") {
                let inner = s[i + 2..i + 2 + close].trim();
                let inner = inner.strip_prefix('.').unwrap_or(inner);
                if is_name(inner) {
                    out.push(Found {
                        start: i,
                        end: i + 2 + close + 2,
                        name: inner.to_string(),
                        syntax: Syntax::Braces,
                        default: None,
                    });
                    i += 2 + close + 2;
                    continue;
                }
            }
        } else if dollar && b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
            if let Some(close) = s[i + 2..].find('}') {
                let inner = &s[i + 2..i + 2 + close];
                let (name, default) = match inner.split_once(':') {
                    Some((n, d)) => (n, Some(d.to_string())),
                    None => (inner, None),
                };
                if is_name(name) {
                    out.push(Found {
                        start: i,
                        end: i + 2 + close + 1,
                        name: name.to_string(),
                        syntax: Syntax::Dollar,
                        default,
                    });
                    i += 2 + close + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

/// The Forge variable name for a placeholder: `localBaseUrl` → `LOCAL_BASE_URL`,
/// `BaseURL` → `BASE_URL`, `project.version` → `PROJECT_VERSION`.
pub fn env_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_uppercase());
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{out}")
    } else {
        out
    }
}

/// Replaces the placeholders of `s` (as found by [`find`]): with the `--var` value where one is
/// given, else with `${ENV_NAME}`. Returns the new string and the placeholders left as variables
/// (the placeholder as written, Forge variable name, default value if the placeholder had one).
pub fn substitute(
    s: &str,
    found: &[Found],
    vars: &BTreeMap<String, String>,
) -> (String, Vec<(String, String, Option<String>)>) {
    let mut out = String::with_capacity(s.len());
    let mut left = Vec::new();
    let mut last = 0;
    for f in found {
        out.push_str(&s[last..f.start]);
        match vars.get(&f.name) {
            Some(v) => out.push_str(v),
            None => {
                let env = env_name(&f.name);
                out.push_str("${");
                out.push_str(&env);
                out.push('}');
                left.push((s[f.start..f.end].to_string(), env, f.default.clone()));
            }
        }
        last = f.end;
    }
    out.push_str(&s[last..]);
    (out, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_syntax() {
        let f = find("{{localBaseUrl}}/x/{{ .BaseURL }}${app.version}", true);
        let names: Vec<_> = f.iter().map(|f| (f.name.as_str(), f.syntax)).collect();
        assert_eq!(
            names,
            [
                ("localBaseUrl", Syntax::Braces),
                ("BaseURL", Syntax::Braces),
                ("app.version", Syntax::Dollar)
            ]
        );
        assert!(find("${a}", false).is_empty());
        let spring = find("${APP_KEY:me.example.app}", true);
        assert_eq!(spring[0].name, "APP_KEY");
        assert_eq!(spring[0].default.as_deref(), Some("me.example.app"));
        assert!(find("{{#if x}}", true).is_empty());
        assert!(find("{ issue.key }", true).is_empty());
    }

    #[test]
    fn env_names_are_screaming_snake() {
        assert_eq!(env_name("localBaseUrl"), "LOCAL_BASE_URL");
        assert_eq!(env_name("BaseURL"), "BASE_URL");
        assert_eq!(env_name("URLPath"), "URL_PATH");
        assert_eq!(env_name("project.version"), "PROJECT_VERSION");
        assert_eq!(env_name("app-key2"), "APP_KEY2");
    }

    #[test]
    fn substitutes_vars_first() {
        let s = "{{localBaseUrl}}/a/{{appKey}}";
        let vars = BTreeMap::from([("appKey".to_string(), "k".to_string())]);
        let (out, left) = substitute(s, &find(s, false), &vars);
        assert_eq!(out, "${LOCAL_BASE_URL}/a/k");
        assert_eq!(
            left,
            [("{{localBaseUrl}}".into(), "LOCAL_BASE_URL".into(), None)]
        );
    }
}
