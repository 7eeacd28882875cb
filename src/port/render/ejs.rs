//! EJS: includes put in — `<%- include('x') %>`, `<%- include("x", {…}) %>` and EJS 1's
//! `<% include x %>` — relative to the including file (`.ejs` added to a name without an
//! extension), comments (`<%# %>`) out, output tags (`<%= %>`, `<%- %>`) left as written, and
//! what scriptlets open with `{` (an `if`, a loop) marked conditional until their `}`.

use super::{find, folder, quoted, Cx, Engine, Framework, Rendered};

/// The EJS renderer.
pub struct Ejs;

impl Engine for Ejs {
    fn name(&self) -> &'static str {
        "ejs"
    }

    fn claims(&self, file: &str, _framework: Framework, _text: &str) -> bool {
        file.to_ascii_lowercase().ends_with(".ejs")
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let text = cx.tree.get(file).unwrap_or("");
        scan(cx, file, text, out);
    }
}

fn include_target(cx: &Cx<'_>, from: &str, name: &str) -> Option<String> {
    let name = name.trim();
    let with_ext = if name.rsplit('/').next().is_some_and(|n| n.contains('.')) {
        name.to_string()
    } else {
        format!("{name}.ejs")
    };
    let mut candidates = Vec::new();
    candidates.extend(super::join(folder(from), &with_ext));
    candidates.extend(super::join(
        super::templates_root(from),
        with_ext.trim_start_matches('/'),
    ));
    cx.find(&candidates)
}

fn scan(cx: &mut Cx<'_>, file: &str, text: &str, out: &mut Rendered) {
    let mut i = 0;
    let mut copied = 0;
    let mut open: Vec<usize> = Vec::new();
    while let Some(start) = find(text, i, "<%") {
        let Some(close) = find(text, start + 2, "%>") else {
            out.warn_at(
                file,
                text,
                start,
                "an unterminated <% tag: the rest is read as text".into(),
            );
            break;
        };
        let end = close + 2;
        out.copy(file, text, copied..start);
        copied = end;
        i = end;
        let body = text.get(start + 2..close).unwrap_or("");
        let (kind, code) = match body.chars().next() {
            Some(c @ ('#' | '=' | '-' | '_')) => (c, body.get(1..).unwrap_or("")),
            _ => (' ', body),
        };
        let code = code.trim().trim_end_matches(['-', '_']).trim();
        if kind == '#' {
            continue;
        }
        let include = code
            .strip_prefix("include(")
            .and_then(|a| quoted(a).map(|(n, _)| n))
            .or_else(|| code.strip_prefix("include ").map(str::trim));
        if let Some(name) = include {
            match include_target(cx, file, name) {
                Some(p) if cx.may_include() => {
                    cx.depth += 1;
                    let t = cx.tree.get(&p).unwrap_or("");
                    scan(cx, &p, t, out);
                    cx.depth -= 1;
                }
                _ => out.warn_at(
                    file,
                    text,
                    start,
                    format!(
                        "include of {} is not in the source tree (or nests too deep): the scripts and stylesheets it loads are not carried",
                        super::super::page::expr::shorten(name)
                    ),
                ),
            }
            continue;
        }
        if kind == ' ' {
            for c in code.chars() {
                match c {
                    '{' => open.push(out.text.len()),
                    '}' => {
                        if let Some(s) = open.pop() {
                            out.mark_conditional(s);
                        }
                    }
                    _ => {}
                }
            }
        } else {
            out.expression(file, text, start..end);
        }
    }
    out.copy(file, text, copied..text.len().max(copied));
    if let Some(&s) = open.first() {
        out.mark_conditional(s);
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn includes_of_both_syntaxes() {
        let tree = SourceTree::from_files([
            ("views/p.ejs", "<%# c %><%- include('partials/head', {a: 1}) %><% if (x) { %><p><%= y %></p><% } %><% include foot %>"),
            ("views/partials/head.ejs", "<script src=\"/h.js\"></script>"),
            ("views/foot.ejs", "<script src=\"/f.js\"></script>"),
        ]);
        let r = render(&tree, "views/p.ejs", Framework::Ace);
        assert_eq!(
            r.text,
            "<script src=\"/h.js\"></script><p><%= y %></p><script src=\"/f.js\"></script>"
        );
        assert!(r.is_conditional(r.text.find("<p>").unwrap()));
    }
}
