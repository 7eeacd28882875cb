//! What Forge's manifest accepts under `permissions.external`: the check `@forge/manifest`'s
//! validator makes of an address (`https:` or `wss:`, a host name with a dot), so that the tool
//! never lists an address Atlassian's validator rejects, and says why instead. A leaf: the carry
//! (scripts, stylesheets, images) and the analysis (fetched hosts) both ask it.

/// Why Forge's manifest cannot list `url` under `permissions.external` (checked as
/// `@forge/manifest`'s validator checks an address: `https:` or `wss:`, a host name with a dot),
/// or `None` when it can. A `//host` URL is `https:`.
pub fn unlistable(url: &str) -> Option<&'static str> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("wss://") {
        r
    } else if let Some(r) = lower.strip_prefix("//") {
        r
    } else if lower.starts_with("http://") {
        return Some("it is served over plain http: a Forge page is served over https and never loads http content (mixed content), and the manifest lists https addresses only");
    } else {
        return Some("it is not an https address, the only kind the manifest lists");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority
        .rsplit('@')
        .next()
        .unwrap_or(authority)
        .split(':')
        .next()
        .unwrap_or("");
    if !host.contains('.')
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '*'))
    {
        return Some("its host is not a public host name (localhost, an intranet name): the manifest lists named hosts only, and Atlassian's cloud never reaches it anyway");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_addresses_of_a_named_host_are_listable() {
        for ok in [
            "https://cdn.example.com/x.js",
            "//cdn.example.com/x.css",
            "wss://push.example.com",
            "https://user@cdn.example.com:8443/x",
            "HTTPS://CDN.EXAMPLE.COM/x",
        ] {
            assert_eq!(unlistable(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("http://cdn.example.com/x.png", "plain http"),
            ("http://localhost/img/x.png", "plain http"),
            ("https://localhost:3001/api", "public host"),
            ("https://intranet/x.js", "public host"),
            ("ftp://files.example.com/x", "not an https address"),
        ] {
            assert!(unlistable(bad).is_some_and(|w| w.contains(why)), "{bad}");
        }
    }
}
