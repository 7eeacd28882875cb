//! A module URL's path, and how route patterns of every framework match it (`:id`, `{id}`,
//! `<int:id>`, `[id]`, `${page}`, `*`, `**`), binding what their parameters take.

/// A module URL's path: segments without the query, fragment or base URL; a segment holding a
/// placeholder (`{issue.key}`, `${x}`, `{{x}}`) matches any route segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UrlPath {
    pub(super) segments: Vec<String>,
}

impl UrlPath {
    pub(super) fn parse(url: &str) -> UrlPath {
        let mut s = url.trim();
        // The path ends at the query or fragment; a `?` inside a placeholder does not occur.
        if let Some(i) = s.find(['?', '#']) {
            s = s.get(..i).unwrap_or("");
        }
        // `{{localBaseUrl}}/x` or `https://host/x`: the path only.
        if let Some(rest) = s.strip_prefix("{{localBaseUrl}}") {
            s = rest;
        } else if let Some(i) = s.find("://") {
            let after = s.get(i + 3..).unwrap_or("");
            s = after.find('/').and_then(|j| after.get(j..)).unwrap_or("");
        }
        UrlPath {
            segments: s
                .split('/')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    pub(super) fn last(&self) -> Option<&str> {
        self.segments.last().map(String::as_str)
    }

    /// The path as `a/b` (no leading `/`).
    pub(super) fn joined(&self) -> String {
        self.segments.join("/")
    }

    pub(super) fn has_placeholder(&self) -> bool {
        self.segments.iter().any(|s| is_placeholder(s))
    }

    /// Whether a route pattern (`/bg/:key`, `/bg/{key}`, `/bg/<int:key>`, `/${page}`) matches.
    pub(super) fn matches(&self, pattern: &str) -> bool {
        self.bind(pattern).is_some()
    }

    /// Whether a pattern matches this path or a path below it (`PathPrefix`, a mount).
    pub(super) fn matches_prefix(&self, pattern: &str) -> bool {
        let pat: Vec<&str> = pattern.split('/').filter(|x| !x.is_empty()).collect();
        self.segments.len() >= pat.len()
            && pat
                .iter()
                .zip(&self.segments)
                .all(|(p, s)| segment_bind(p, s).is_some())
    }

    /// The values a pattern's `${name}` and `:name` segments take when it matches this path.
    pub(super) fn bind(&self, pattern: &str) -> Option<Vec<(String, String)>> {
        let pat: Vec<&str> = pattern.split('/').filter(|x| !x.is_empty()).collect();
        let mut bound = Vec::new();
        if matches!(pat.last(), Some(&"**") | Some(&"*")) && pat.len() <= self.segments.len() {
            let fixed = pat.len() - 1;
            for (p, s) in pat.iter().zip(&self.segments).take(fixed) {
                bound.extend(segment_bind(p, s)?);
            }
            return Some(bound);
        }
        if pat.len() != self.segments.len() {
            return None;
        }
        for (p, s) in pat.iter().zip(&self.segments) {
            bound.extend(segment_bind(p, s)?);
        }
        Some(bound)
    }
}

pub(super) fn is_placeholder(s: &str) -> bool {
    s.contains('{') || s.contains('$') || s.contains('}')
}

/// Whether a route segment matches a URL segment, and what it binds: `:page` and `${page}` bind
/// `page`; `x-${id}.html` binds `id` to what lies between.
fn segment_bind(pattern: &str, segment: &str) -> Option<Option<(String, String)>> {
    if let Some(name) = pattern.strip_prefix(':') {
        let name = name.trim_end_matches('?');
        return Some(Some((name.to_string(), segment.to_string())));
    }
    if let Some(open) = pattern.find("${") {
        let close = pattern.get(open..)?.find('}')? + open;
        let (before, name, after) = (
            pattern.get(..open)?,
            pattern.get(open + 2..close)?,
            pattern.get(close + 1..)?,
        );
        if is_placeholder(segment) {
            return Some(None);
        }
        let value = segment.strip_prefix(before)?.strip_suffix(after)?;
        return Some(Some((name.trim().to_string(), value.to_string())));
    }
    let wild = pattern == "*"
        || (pattern.starts_with('{') && pattern.ends_with('}'))
        || (pattern.starts_with('<') && pattern.ends_with('>'))
        || (pattern.starts_with('[') && pattern.ends_with(']'));
    (wild || is_placeholder(segment) || pattern == segment).then_some(None)
}
