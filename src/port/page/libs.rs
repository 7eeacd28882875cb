//! What a script or stylesheet URL is once the template around it is taken off: Atlassian's
//! `all.js` (dropped: the compatibility layer replaces it), a well-known library on a public
//! CDN at an exact version (an npm dependency), another host's file (kept, with a
//! `permissions.external` entry), or a path on the app's own server.
//!
//! The patterns use ASCII classes: the source they read is code, and Unicode classes compile
//! into automata large enough to slow a whole small run (docs/performance.md).

use std::sync::LazyLock;

use regex::Regex;

/// What a `src`/`href` is once template prefixes are stripped.
pub(crate) enum Url {
    /// Nothing left to resolve (the whole value is a template expression).
    Template(String),
    /// `http(s)://...`.
    Absolute(String),
    /// A path on the app's own server.
    Local(String),
}

static URL_FOR_STATIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\{\{[[:space:]]*url_for\([[:space:]]*['"]static['"][[:space:]]*,[[:space:]]*filename[[:space:]]*=[[:space:]]*['"]([^'"]+)['"][[:space:]]*\)[[:space:]]*\}\}$"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Strips what a template prefixes a URL with: `{{localBaseUrl}}`, `<%= ctx %>`, `${ctx}`,
/// Thymeleaf's `@{/x}`, Flask's `{{ url_for('static', filename='x') }}`.
/// The length of the Velocity reference at the start of `v` (`$contextPath`, `$!x.y`), if any.
fn velocity_reference(v: &str) -> Option<usize> {
    let rest = v.strip_prefix('$')?;
    let rest = rest.strip_prefix('!').unwrap_or(rest);
    let name = rest.strip_prefix(|c: char| c.is_ascii_alphabetic())?;
    let tail = name
        .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    Some(v.len() - tail.len())
}

pub(crate) fn strip_template(value: &str) -> Url {
    let mut v = value.trim();
    if let Some(c) = URL_FOR_STATIC.captures(v) {
        return Url::Local(format!("/static/{}", c.get(1).map_or("", |m| m.as_str())));
    }
    let thymeleaf = v.starts_with("@{");
    if let Some(inner) = v.strip_prefix("@{").and_then(|s| s.strip_suffix('}')) {
        // `@{/js/x.js(v=${version})}`: the parameters are not part of the path.
        v = inner.split('(').next().unwrap_or(inner);
    }
    loop {
        let end = if v.starts_with("{{") {
            v.find("}}").map(|i| i + 2)
        } else if v.starts_with("<%") {
            v.find("%>").map(|i| i + 2)
        } else if v.starts_with("${") || v.starts_with("#{") || v.starts_with("$!{") {
            v.find('}').map(|i| i + 1)
        } else if let Some(end) = velocity_reference(v) {
            Some(end)
        } else {
            break;
        };
        match end {
            Some(e) => v = v.get(e..).unwrap_or(""),
            None => return Url::Template(value.to_string()),
        }
    }
    if thymeleaf {
        // `@{${root} + '/css/x.css'}`: a root expression joined to a literal path.
        let joined = v.trim_start();
        if let Some(rest) = joined.strip_prefix('+') {
            v = rest.trim();
        }
        if let Some(lit) = v
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .filter(|s| !s.contains('\''))
        {
            v = lit;
        }
    }
    if v.is_empty() || v.contains("{{") || v.contains("<%") || v.contains("${") {
        return Url::Template(value.to_string());
    }
    if let Some(rest) = v.strip_prefix("//") {
        return Url::Absolute(format!("https://{rest}"));
    }
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Url::Absolute(v.to_string());
    }
    Url::Local(v.to_string())
}

/// Whether a script URL is Atlassian's `all.js` (or a local copy of it).
pub(crate) fn is_all_js(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or("");
    lower.contains("connect-cdn.atl-paas.net")
        || lower.contains("hostscripturl")
        || lower.contains("atlassianconnectalljsurl")
        // atlassian-connect-spring-boot's model attribute as Velocity writes it.
        || lower.contains("atlassian-connect-all-js-url")
        || lower.contains("/atlassian-connect/all")
        || matches!(name, "all.js" | "all-debug.js" | "all.min.js")
}

/// Libraries carried as npm dependencies: package and the globals the page uses.
pub(crate) const KNOWN_LIBRARIES: &[(&str, &[&str])] = &[
    ("jquery", &["$", "jQuery"]),
    ("lodash", &["_"]),
    ("underscore", &["_"]),
    ("moment", &["moment"]),
];

static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[[:digit:]]+\.[[:digit:]]+\.[[:digit:]]+(?:-[0-9A-Za-z.-]+)?$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static JQUERY_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^/jquery-([[:digit:]]+\.[[:digit:]]+\.[[:digit:]]+)(?:\.slim)?(?:\.min)?\.js$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// The npm release to bundle for `package` at the CDN's `version`, and why when it differs: npm's
/// `jquery` releases before 1.9.1 are node-jquery, a Node.js wrapper around jsdom (its install
/// fails on current Node.js, and it is no browser build), 1.9.1 has no entry point a bundler can
/// import, and 1.10 was never published: 1.11.0, the first importable browser build, stands in.
pub(crate) fn npm_release(package: &str, version: &str) -> (String, Option<String>) {
    const FIRST_BROWSER_JQUERY: (u64, u64, u64) = (1, 11, 0);
    let mut parts = version
        .split(['.', '-'])
        .map(|p| p.parse::<u64>().unwrap_or(0));
    let v = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    if package == "jquery" && v < FIRST_BROWSER_JQUERY {
        let carried = "1.11.0".to_string();
        let note = format!(
            "jquery@{version} from the CDN is carried as jquery@{carried}: npm's jquery releases before 1.11.0 are a Node.js package (node-jquery) or have no entry point to import; check the page with {carried}"
        );
        return (carried, Some(note));
    }
    (version.to_string(), None)
}

/// A well-known library on a public CDN: `(package, version)`. `Err(package)` when it is one
/// but the URL has no exact version.
pub(crate) fn cdn_library(url: &str) -> Option<Result<(&'static str, String), &'static str>> {
    let rest = url.split_once("://")?.1;
    let (host, path) = rest.split_at(rest.find('/')?);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let host = host.to_ascii_lowercase();
    let known = |name: &str| -> Option<&'static str> {
        let name = name.trim_end_matches(".js");
        KNOWN_LIBRARIES.iter().map(|(p, _)| *p).find(|p| *p == name)
    };
    let (package, version): (&'static str, &str) = match host.as_str() {
        "code.jquery.com" => ("jquery", JQUERY_FILE.captures(path)?.get(1)?.as_str()),
        "cdnjs.cloudflare.com" | "ajax.googleapis.com" => {
            let mut parts = path.strip_prefix("/ajax/libs/")?.split('/');
            (known(parts.next()?)?, parts.next()?)
        }
        "cdn.jsdelivr.net" | "unpkg.com" => {
            let spec = path
                .strip_prefix("/npm/")
                .unwrap_or(path.trim_start_matches('/'));
            let spec = spec.split('/').next()?;
            match spec.split_once('@') {
                Some((name, v)) => (known(name)?, v),
                None => return Some(Err(known(spec)?)),
            }
        }
        _ => return None,
    };
    if VERSION.is_match(version) {
        Some(Ok((package, version.to_string())))
    } else {
        Some(Err(package))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(value: &str) -> Option<String> {
        match strip_template(value) {
            Url::Local(l) => Some(l),
            _ => None,
        }
    }

    /// Thymeleaf's link expressions: a path, a path with parameters, a root expression joined
    /// to a literal path (`@{${root} + '/css/x.css'}`, an idealforms-shaped layout), a quoted
    /// literal; a path built from two expressions stays a template.
    #[test]
    fn thymeleaf_link_expressions_give_their_literal_path() {
        assert_eq!(local("@{/js/a.js}").as_deref(), Some("/js/a.js"));
        assert_eq!(local("@{/js/a.js(v=${v})}").as_deref(), Some("/js/a.js"));
        assert_eq!(
            local("@{${ijfRoot} + '/css/craft.css'}").as_deref(),
            Some("/css/craft.css")
        );
        assert_eq!(local("@{'/css/b.css'}").as_deref(), Some("/css/b.css"));
        assert!(matches!(
            strip_template("@{${root} + '/js/' + ${name}}"),
            Url::Template(_)
        ));
    }

    /// Velocity references: a root reference before a literal path is the path; a whole value
    /// that is one reference (`$atlassian-connect-license`, a model attribute written as a
    /// script's src) is a template expression, not a file missing from the tree.
    #[test]
    fn velocity_references_are_template_expressions() {
        assert_eq!(local("$contextPath/js/a.js").as_deref(), Some("/js/a.js"));
        assert_eq!(local("$!{base}/js/a.js").as_deref(), Some("/js/a.js"));
        for v in ["$atlassian-connect-license", "$!app.url", "${x}"] {
            assert!(matches!(strip_template(v), Url::Template(_)), "{v}");
        }
        assert_eq!(local("/js/$.js").as_deref(), Some("/js/$.js"));
    }

    #[test]
    fn all_js_is_told_by_its_urls_and_template_variables() {
        for src in [
            "https://connect-cdn.atl-paas.net/all.js",
            "{{hostScriptUrl}}",
            "@{${atlassianConnectAllJsUrl}}",
            "$atlassian-connect-all-js-url",
            "${xdm_e}/atlassian-connect/all-debug.js",
        ] {
            assert!(is_all_js(src), "{src}");
        }
        assert!(!is_all_js("/js/allies.js"));
    }

    #[test]
    fn old_jquery_is_carried_as_the_first_browser_release_on_npm() {
        let (v, note) = npm_release("jquery", "1.8.3");
        assert_eq!(v, "1.11.0");
        assert!(note.is_some_and(|n| n.contains("node-jquery")));
        assert_eq!(npm_release("jquery", "1.10.2").0, "1.11.0");
        assert_eq!(
            npm_release("jquery", "1.11.0"),
            ("1.11.0".to_string(), None)
        );
        assert_eq!(npm_release("jquery", "3.7.1"), ("3.7.1".to_string(), None));
        assert_eq!(npm_release("lodash", "1.0.0"), ("1.0.0".to_string(), None));
    }
}
