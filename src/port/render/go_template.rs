//! Go's `html/template`: `{{define "x"}}…{{end}}` collected from the page and the templates
//! beside it (as `ParseGlob` reads a folder), `{{template "x" .}}` put in, `{{block "x" .}}…{{end}}`
//! put in or its default, comments (`{{/* */}}`) out, `{{if}}`/`{{range}}`/`{{with}}` bodies
//! marked conditional. A page made only of definitions is rendered through the template beside
//! it that calls one of them (its layout).

use std::collections::HashMap;
use std::ops::Range;

use super::{find, folder, quoted, Cx, Engine, Framework, Rendered};

/// The Go `html/template` renderer.
pub struct GoTemplate;

const EXTENSIONS: &[&str] = &[".gohtml", ".tmpl", ".tpl", ".gotmpl", ".html"];

impl Engine for GoTemplate {
    fn name(&self) -> &'static str {
        "go-template"
    }

    fn claims(&self, file: &str, _framework: Framework, text: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        [".gohtml", ".tmpl", ".gotmpl"]
            .iter()
            .any(|e| lower.ends_with(e))
            || (text.contains("{{define")
                || text.contains("{{ define")
                || text.contains("{{template")
                || text.contains("{{ template"))
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let text = cx.tree.get(file).unwrap_or("");
        let mut defs: Defs = HashMap::new();
        let own = definitions(file, text, &mut defs);
        let dir = folder(file);
        let mut siblings: Vec<String> = cx
            .tree
            .paths()
            .filter(|p| {
                *p != file
                    && folder(p) == dir
                    && EXTENSIONS
                        .iter()
                        .any(|e| p.to_ascii_lowercase().ends_with(e))
            })
            .map(str::to_string)
            .collect();
        siblings.sort();
        for s in &siblings {
            let stext = cx.tree.get(s).unwrap_or("");
            definitions(s, stext, &mut defs);
        }
        let top = top_level(text);
        if top.iter().any(|r| !blank(text, r.clone())) {
            for r in top {
                scan(cx, file, text, r, &defs, out);
            }
            return;
        }
        // Only definitions: the layout is the template beside it that calls one of them.
        let mut all: Vec<(&String, &(String, Range<usize>))> = defs.iter().collect();
        all.sort_by(|a, b| (&a.1 .0, a.1 .1.start).cmp(&(&b.1 .0, b.1 .1.start)));
        let layout = all.into_iter().find(|(name, (f, r))| {
            f != file
                && !own.contains(name)
                && own.iter().any(|o| {
                    let t = cx.tree.get(f).unwrap_or("");
                    t.get(r.clone()).is_some_and(|b| calls(b, o))
                })
        });
        let entry = layout.map(|(n, d)| (n.clone(), d.clone())).or_else(|| {
            own.first()
                .and_then(|n| defs.get(n).map(|d| (n.clone(), d.clone())))
        });
        if let Some((name, (f, r))) = entry {
            if f != file {
                out.layout = Some(f.clone());
            }
            let t = cx.tree.get(&f).unwrap_or("");
            // The entry template is being rendered too: a call of it from inside is a cycle.
            cx.active.push(name);
            scan(cx, &f, t, r, &defs, out);
            cx.active.pop();
        }
    }
}

/// Template name → (file, body range).
type Defs = HashMap<String, (String, Range<usize>)>;

struct Action<'a> {
    inner: &'a str,
    span: Range<usize>,
}

/// The action at or after `from`.
fn next_action(text: &str, from: usize) -> Option<Result<Action<'_>, usize>> {
    let open = find(text, from, "{{")?;
    let Some(close) = find(text, open + 2, "}}") else {
        return Some(Err(open));
    };
    let inner = text.get(open + 2..close).unwrap_or("");
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner).trim();
    Some(Ok(Action {
        inner,
        span: open..close + 2,
    }))
}

fn keyword(inner: &str) -> &str {
    inner
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
}

/// Where the `{{end}}` matching an opener ending at `from` lies.
fn matching_end(text: &str, from: usize) -> Option<Range<usize>> {
    let mut depth = 0usize;
    let mut i = from;
    while let Some(a) = next_action(text, i) {
        let a = a.ok()?;
        i = a.span.end;
        match keyword(a.inner) {
            "if" | "range" | "with" | "define" | "block" => depth += 1,
            "end" if depth == 0 => return Some(a.span),
            "end" => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Adds the `{{define}}`s (and `{{block}}`s) of `text`; returns the names it defines.
fn definitions(file: &str, text: &str, defs: &mut Defs) -> Vec<String> {
    let mut names = Vec::new();
    let mut i = 0;
    while let Some(Ok(a)) = next_action(text, i) {
        i = a.span.end;
        let kw = keyword(a.inner);
        if kw == "define" || kw == "block" {
            let Some((name, _)) = quoted(a.inner.get(kw.len()..).unwrap_or("")) else {
                continue;
            };
            if let Some(end) = matching_end(text, a.span.end) {
                // A `define` wins over a `block`'s default.
                if kw == "define" || !defs.contains_key(name) {
                    defs.insert(name.to_string(), (file.to_string(), a.span.end..end.start));
                }
                if kw == "define" {
                    names.push(name.to_string());
                    i = end.end;
                }
            }
        }
    }
    names
}

/// The parts of `text` outside `{{define}}`s.
fn top_level(text: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(Ok(a)) = next_action(text, i) {
        i = a.span.end;
        if keyword(a.inner) == "define" {
            parts.push(start..a.span.start);
            let end = matching_end(text, a.span.end).map_or(text.len(), |e| e.end);
            start = end;
            i = end;
        }
    }
    parts.push(start..text.len());
    parts
}

/// Whether `range` of `text` holds nothing but spaces and comments.
fn blank(text: &str, range: Range<usize>) -> bool {
    let mut i = range.start;
    let mut from = range.start;
    while let Some(Ok(a)) = next_action(text, i) {
        if a.span.end > range.end {
            break;
        }
        if !a.inner.starts_with("/*") {
            return false;
        }
        if text
            .get(from..a.span.start)
            .is_some_and(|t| !t.trim().is_empty())
        {
            return false;
        }
        from = a.span.end;
        i = a.span.end;
    }
    text.get(from..range.end)
        .is_none_or(|t| t.trim().is_empty())
}

fn calls(body: &str, name: &str) -> bool {
    let mut i = 0;
    while let Some(Ok(a)) = next_action(body, i) {
        i = a.span.end;
        let kw = keyword(a.inner);
        if (kw == "template" || kw == "block")
            && quoted(a.inner.get(kw.len()..).unwrap_or("")).is_some_and(|(n, _)| n == name)
        {
            return true;
        }
    }
    false
}

fn scan(
    cx: &mut Cx<'_>,
    file: &str,
    text: &str,
    range: Range<usize>,
    defs: &Defs,
    out: &mut Rendered,
) {
    let mut i = range.start;
    let mut copied = range.start;
    let mut open: Vec<usize> = Vec::new();
    while let Some(a) = next_action(text, i) {
        let a = match a {
            Ok(a) if a.span.end <= range.end => a,
            Err(at) if at < range.end => {
                out.warn_at(
                    file,
                    text,
                    at,
                    "an unterminated {{ action: the rest is read as text".into(),
                );
                break;
            }
            _ => break,
        };
        out.copy(file, text, copied..a.span.start);
        copied = a.span.end;
        i = a.span.end;
        let kw = keyword(a.inner);
        match kw {
            _ if a.inner.starts_with("/*") => {}
            "template" | "block" => {
                let name = quoted(a.inner.get(kw.len()..).unwrap_or("")).map(|(n, _)| n);
                let end = (kw == "block")
                    .then(|| matching_end(text, a.span.end))
                    .flatten();
                let def = name.and_then(|n| defs.get(n).map(|d| (n, d)));
                match def {
                    Some((n, _)) if cx.active.iter().any(|a| a == n) => out.warn_at(
                        file,
                        text,
                        a.span.start,
                        format!(
                            "{{{{{}}}}} calls a template that is being rendered (a cycle): not followed",
                            super::super::page::expr::shorten(a.inner)
                        ),
                    ),
                    Some((n, (f, r))) if cx.may_include() => {
                        cx.depth += 1;
                        cx.active.push(n.to_string());
                        let t = cx.tree.get(f).unwrap_or("");
                        scan(cx, f, t, r.clone(), defs, out);
                        cx.active.pop();
                        cx.depth -= 1;
                    }
                    None if kw == "block" => {
                        if let Some(e) = &end {
                            scan(cx, file, text, a.span.end..e.start, defs, out);
                        }
                    }
                    _ if kw == "template" => out.warn_at(
                        file,
                        text,
                        a.span.start,
                        format!(
                            "{{{{{}}}}}: no template of that name beside the page (or it nests too deep); the scripts and stylesheets it loads are not carried",
                            super::super::page::expr::shorten(a.inner)
                        ),
                    ),
                    _ => {}
                }
                if let Some(e) = end {
                    copied = e.end;
                    i = e.end;
                }
            }
            "define" => {
                let e = matching_end(text, a.span.end).map_or(range.end, |e| e.end);
                copied = e;
                i = e;
            }
            "if" | "range" | "with" => open.push(out.text.len()),
            "end" => {
                if let Some(s) = open.pop() {
                    out.mark_conditional(s);
                }
            }
            "else" => {}
            _ => out.expression(file, text, a.span.clone()),
        }
    }
    out.copy(file, text, copied..range.end.max(copied));
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
    fn a_template_that_calls_itself_is_rendered_once() {
        let tree = SourceTree::from_files([(
            "templates/p.gohtml",
            "{{define \"content\"}}<p>x</p>{{template \"content\" .}}{{end}}{{template \"content\" .}}",
        )]);
        let r = render(&tree, "templates/p.gohtml", Framework::Static);
        assert_eq!(r.text, "<p>x</p>");
        assert!(
            r.warnings[0].message.contains("a cycle"),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn a_page_of_definitions_only_whose_template_calls_itself_is_rendered_once() {
        // The page is one definition, rendered as the entry: its call of itself is a cycle too
        // (fuzzing found the body twice in the carried page).
        let tree = SourceTree::from_files([(
            "templates/p.gohtml",
            "{{define \"content\"}}<p>x</p>{{template \"content\" .}}{{end}}",
        )]);
        let r = render(&tree, "templates/p.gohtml", Framework::Static);
        assert_eq!(r.text, "<p>x</p>");
        assert!(
            r.warnings[0].message.contains("a cycle"),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn a_page_of_definitions_renders_through_its_layout() {
        let tree = SourceTree::from_files([
            (
                "templates/base.gohtml",
                "{{define \"base\"}}<html>{{template \"head\" .}}{{block \"content\" .}}default{{end}}</html>{{end}}{{define \"head\"}}<script src=\"/a.js\"></script>{{end}}",
            ),
            (
                "templates/page.gohtml",
                "{{/* c */}}{{define \"content\"}}{{if .X}}<p>{{.Name}}</p>{{end}}{{end}}",
            ),
        ]);
        let r = render(&tree, "templates/page.gohtml", Framework::Static);
        assert_eq!(r.engine, "go-template");
        assert_eq!(
            r.text,
            "<html><script src=\"/a.js\"></script><p>{{.Name}}</p></html>"
        );
        assert_eq!(r.layout.as_deref(), Some("templates/base.gohtml"));
    }
}
