//! The URLs a style sheet names: each `url(...)` (quoted or not) and each `@import "x.css"`,
//! with its place in the text, outside comments and outside other strings, as a CSS tokenizer
//! reads them. Used for a carried stylesheet, a `<style>` element and a `style="..."`
//! attribute, so that the images and fonts they name are carried and the URLs rewritten.

use std::ops::Range;

/// One URL of a style sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CssUrl {
    /// The URL, with CSS escapes of quotes and backslashes taken out.
    pub url: String,
    /// The whole token: `url(...)`, or the `@import` string with its quotes.
    pub span: Range<usize>,
    /// Whether it is an `@import` (a style sheet, not an asset).
    pub import: bool,
}

/// Every URL `css` names, in order.
pub(crate) fn urls(css: &str) -> Vec<CssUrl> {
    let b = css.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Whether the last thing read was `@import` (its string or url() is a style sheet).
    let mut after_import = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = css
                    .get(i + 2..)
                    .and_then(|r| r.find("*/"))
                    .map_or(b.len(), |k| i + 2 + k + 2);
            }
            b'"' | b'\'' => {
                let end = string_end(b, i);
                if after_import {
                    out.push(CssUrl {
                        url: unescape(css.get(i + 1..end.saturating_sub(1)).unwrap_or("")),
                        span: i..end,
                        import: true,
                    });
                }
                after_import = false;
                i = end;
            }
            b'@' if css
                .get(i..i + 7)
                .is_some_and(|w| w.eq_ignore_ascii_case("@import")) =>
            {
                after_import = true;
                i += 7;
            }
            b'u' | b'U'
                if css
                    .get(i..i + 4)
                    .is_some_and(|w| w.eq_ignore_ascii_case("url("))
                    && (i == 0 || !is_name_byte(b.get(i - 1).copied().unwrap_or(b' '))) =>
            {
                let mut j = i + 4;
                while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                let (url, mut k) = match b.get(j) {
                    Some(b'"' | b'\'') => {
                        let end = string_end(b, j);
                        (
                            unescape(css.get(j + 1..end.saturating_sub(1)).unwrap_or("")),
                            end,
                        )
                    }
                    _ => {
                        let end = css
                            .get(j..)
                            .and_then(|r| r.find(')'))
                            .map_or(b.len(), |k| j + k);
                        (unescape(css.get(j..end).unwrap_or("").trim_end()), end)
                    }
                };
                while b.get(k).is_some_and(u8::is_ascii_whitespace) {
                    k += 1;
                }
                if b.get(k) == Some(&b')') {
                    out.push(CssUrl {
                        url,
                        span: i..k + 1,
                        import: after_import,
                    });
                    i = k + 1;
                } else {
                    // A bad url(): a browser ignores it.
                    i = k.max(i + 4);
                }
                after_import = false;
            }
            b';' | b'{' | b'}' => {
                after_import = false;
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The offset after the string starting at `start` (its closing quote, or the end of line or
/// text for a bad string).
fn string_end(b: &[u8], start: usize) -> usize {
    let quote = b.get(start).copied().unwrap_or(b'"');
    let mut j = start + 1;
    while let Some(&c) = b.get(j) {
        match c {
            b'\\' => j += 2,
            b'\n' => return j,
            c if c == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c >= 0x80
}

/// `\"` → `"`, `\\` → `\`, an escaped newline dropped (hex escapes are kept as written).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(n) if n.is_ascii_hexdigit() => {
                    out.push('\\');
                    out.push(n);
                }
                Some(n) => out.push(n),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A URL written as a CSS `url("...")`.
pub(crate) fn url_token(url: &str) -> String {
    let mut out = String::from("url(\"");
    for c in url.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\a "),
            c => out.push(c),
        }
    }
    out.push_str("\")");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(css: &str) -> Vec<(String, &str, bool)> {
        urls(css)
            .into_iter()
            .map(|u| (u.url, css.get(u.span).unwrap_or(""), u.import))
            .collect()
    }

    #[test]
    fn urls_quoted_unquoted_imports_and_not_in_comments_or_strings() {
        let css = "@import 'base.css';\n@import url(theme.css) screen;\n/* url(no.png) */\n.a{background:URL( \"img/a b.png\" ) no-repeat}\n.b{content:\"url(no.png)\";background-image:url(../img/b.svg#x)}\n@font-face{src:url('f.woff2') format('woff2'),url(f.woff)}\n.c{x:myurl(no.png)}";
        assert_eq!(
            found(css),
            [
                ("base.css".into(), "'base.css'", true),
                ("theme.css".into(), "url(theme.css)", true),
                ("img/a b.png".into(), "URL( \"img/a b.png\" )", false),
                ("../img/b.svg#x".into(), "url(../img/b.svg#x)", false),
                ("f.woff2".into(), "url('f.woff2')", false),
                ("f.woff".into(), "url(f.woff)", false),
            ]
        );
    }

    #[test]
    fn hostile_css_does_not_panic() {
        for css in [
            "url(",
            "url('",
            "/*",
            "'",
            "@import",
            "@import '",
            "url(\\",
            "é url(é)",
        ] {
            let _ = urls(css);
        }
        assert_eq!(url_token("a\"b"), "url(\"a\\\"b\")");
    }
}
