//! Jinja (Flask) and Django templates: `{% extends %}` (the child's `{% block %}`s replace the
//! parent's, `{{ super() }}` / `{{ block.super }}` put the parent's in), `{% include %}`,
//! comments (`{# #}`, `{% comment %}`) out, `{% raw %}`/`{% verbatim %}` as written, static URLs
//! evaluated: `{{ url_for('static', filename='x') }}` and `{% static 'x' %}` are `/static/x`,
//! Symfony's `{{ asset('js/x.js') }}` is `/js/x.js`.
//! Template names are looked up in the page's templates root, then in every `templates/` folder
//! of the tree (Django's app folders). `{% if %}`/`{% for %}` bodies are marked conditional.

use std::collections::HashMap;
use std::ops::Range;

use super::{find, quoted, templates_root, Cx, Engine, Framework, Rendered};

/// The Jinja / Django renderer.
pub struct Jinja;

impl Engine for Jinja {
    fn name(&self) -> &'static str {
        "jinja"
    }

    fn claims(&self, file: &str, framework: Framework, text: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        [".j2", ".jinja", ".jinja2", ".njk", ".twig"]
            .iter()
            .any(|e| lower.ends_with(e))
            || (framework != Framework::Spring
                && (lower.ends_with(".html") || lower.ends_with(".htm"))
                && (text.contains("{%") || text.contains("url_for(")))
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let mut blocks: Blocks = HashMap::new();
        render_file(cx, file, &mut blocks, out);
    }
}

/// Block name → its contents, most derived template first.
type Blocks = HashMap<String, Vec<(String, Range<usize>)>>;

/// One `{% %}`, `{{ }}` or `{# #}` tag.
struct Tag<'a> {
    kind: u8,
    /// Trimmed content (`-` whitespace markers removed).
    inner: &'a str,
    span: Range<usize>,
}

/// The next tag at or after `from`; `Err(at)` for one that never closes.
fn next_tag(text: &str, from: usize) -> Option<Result<Tag<'_>, usize>> {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        let open = find(text, i, "{")?;
        let kind = *bytes.get(open + 1)?;
        let close = match kind {
            b'%' => "%}",
            b'{' => "}}",
            b'#' => "#}",
            _ => {
                i = open + 1;
                continue;
            }
        };
        let Some(end) = find(text, open + 2, close) else {
            return Some(Err(open));
        };
        let inner = text
            .get(open + 2..end)
            .unwrap_or("")
            .trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        return Some(Ok(Tag {
            kind,
            inner,
            span: open..end + 2,
        }));
    }
}

fn word(inner: &str) -> &str {
    inner.split_whitespace().next().unwrap_or("")
}

/// Where the statement `{% end<name> %}` matching the one that ends at `from` starts and ends.
fn matching_end(text: &str, from: usize, name: &str) -> Option<Range<usize>> {
    let end_name = format!("end{name}");
    let mut depth = 0usize;
    let mut i = from;
    while let Some(t) = next_tag(text, i) {
        let t = t.ok()?;
        i = t.span.end;
        if t.kind != b'%' {
            continue;
        }
        let w = word(t.inner);
        if w == name {
            depth += 1;
        } else if w == end_name {
            if depth == 0 {
                return Some(t.span);
            }
            depth -= 1;
        }
    }
    None
}

fn lookup(cx: &Cx<'_>, from: &str, name: &str) -> Option<String> {
    let mut candidates = vec![format!("{}{name}", templates_root(from))];
    let mut roots: Vec<&str> = cx
        .tree
        .paths()
        .filter_map(|p| p.rfind("templates/").and_then(|i| p.get(..i + 10)))
        .collect();
    roots.sort_unstable();
    roots.dedup();
    candidates.extend(roots.iter().map(|r| format!("{r}{name}")));
    candidates.push(name.to_string());
    cx.find(&candidates)
}

fn render_file(cx: &mut Cx<'_>, file: &str, blocks: &mut Blocks, out: &mut Rendered) {
    let text = cx.tree.get(file).unwrap_or("");
    // `{% extends "base.html" %}`: collect this template's blocks, render the parent.
    let mut i = 0;
    while let Some(Ok(t)) = next_tag(text, i) {
        i = t.span.end;
        if t.kind == b'#' || (t.kind == b'%' && matches!(word(t.inner), "load" | "comment")) {
            continue;
        }
        if t.kind == b'%' && word(t.inner) == "extends" {
            let arg = t.inner.get(7..).unwrap_or("");
            match quoted(arg).and_then(|(n, _)| lookup(cx, file, n).map(|p| (n, p))) {
                Some((_, parent)) if cx.may_include() => {
                    collect_blocks(text, file, blocks);
                    if out.layout.is_none() || cx.depth == 0 {
                        out.layout = Some(parent.clone());
                    }
                    cx.depth += 1;
                    render_file(cx, &parent, blocks, out);
                    cx.depth -= 1;
                    return;
                }
                _ => out.warn_at(
                    file,
                    text,
                    t.span.start,
                    format!(
                        "{{% {} %}} names a template that is not in the source tree (or is not a literal): the page is carried without it, and the scripts and stylesheets of that layout are missing",
                        super::super::page::expr::shorten(t.inner)
                    ),
                ),
            }
        }
        break;
    }
    scan(cx, file, text, 0..text.len(), blocks, &[], out);
}

/// Every `{% block name %}` of `text` (nested ones too) not already overridden.
fn collect_blocks(text: &str, file: &str, blocks: &mut Blocks) {
    let mut i = 0;
    while let Some(Ok(t)) = next_tag(text, i) {
        i = t.span.end;
        if t.kind == b'%' && word(t.inner) == "block" {
            let name = t.inner.split_whitespace().nth(1).unwrap_or("").to_string();
            if let Some(end) = matching_end(text, t.span.end, "block") {
                blocks
                    .entry(name)
                    .or_default()
                    .push((file.to_string(), t.span.end..end.start));
            }
        }
    }
}

/// Renders `range` of `text`; `supers` is what `super()` stands for here.
fn scan(
    cx: &mut Cx<'_>,
    file: &str,
    text: &str,
    range: Range<usize>,
    blocks: &Blocks,
    supers: &[(String, Range<usize>)],
    out: &mut Rendered,
) {
    let mut i = range.start;
    let mut copied = range.start;
    let mut open: Vec<usize> = Vec::new();
    while let Some(t) = next_tag(text, i) {
        let t = match t {
            Ok(t) if t.span.end <= range.end => t,
            Ok(_) => break,
            Err(at) if at < range.end => {
                out.warn_at(
                    file,
                    text,
                    at,
                    "an unterminated template tag: the rest is read as text".into(),
                );
                break;
            }
            Err(_) => break,
        };
        out.copy(file, text, copied..t.span.start);
        copied = t.span.end;
        i = t.span.end;
        let w = word(t.inner);
        match t.kind {
            b'#' => {}
            b'{' => {
                if t.inner == "super()" || t.inner == "block.super" {
                    if let Some(((sf, sr), rest)) = supers.split_first() {
                        let stext = cx.tree.get(sf).unwrap_or("");
                        scan(cx, sf, stext, sr.clone(), blocks, rest, out);
                    }
                } else if let Some(path) = url_for_static(t.inner).or_else(|| asset(t.inner)) {
                    out.generate(file, text, t.span.start, &path);
                } else {
                    out.expression(file, text, t.span.clone());
                }
            }
            _ => match w {
                "block" => {
                    let name = t.inner.split_whitespace().nth(1).unwrap_or("");
                    let Some(end) = matching_end(text, t.span.end, "block") else {
                        continue;
                    };
                    let own = (file.to_string(), t.span.end..end.start);
                    let mut chain: Vec<(String, Range<usize>)> =
                        blocks.get(name).cloned().unwrap_or_default();
                    if !chain.contains(&own) {
                        chain.push(own);
                    }
                    if let Some(((bf, br), rest)) = chain.split_first() {
                        if cx.may_include() {
                            cx.depth += 1;
                            let btext = cx.tree.get(bf).unwrap_or("");
                            scan(cx, bf, btext, br.clone(), blocks, rest, out);
                            cx.depth -= 1;
                        }
                    }
                    copied = end.end;
                    i = end.end;
                }
                "include" => {
                    let arg = t.inner.get(7..).unwrap_or("");
                    match quoted(arg).and_then(|(n, _)| lookup(cx, file, n)) {
                        Some(p) if cx.may_include() => {
                            cx.depth += 1;
                            let ptext = cx.tree.get(&p).unwrap_or("");
                            scan(cx, &p, ptext, 0..ptext.len(), &HashMap::new(), &[], out);
                            cx.depth -= 1;
                        }
                        _ => out.warn_at(
                            file,
                            text,
                            t.span.start,
                            format!(
                                "{{% {} %}}: the included template is not in the source tree (or is not a literal); the scripts and stylesheets it loads are not carried",
                                super::super::page::expr::shorten(t.inner)
                            ),
                        ),
                    }
                }
                "static" => match quoted(t.inner.get(6..).unwrap_or("")) {
                    Some((p, _)) => out.generate(
                        file,
                        text,
                        t.span.start,
                        &format!("/static/{}", p.trim_start_matches('/')),
                    ),
                    None => out.expression(file, text, t.span.clone()),
                },
                "comment" | "raw" | "verbatim" => {
                    let end = matching_end(text, t.span.end, w);
                    let stop = end.as_ref().map_or(range.end, |e| e.end.min(range.end));
                    if w != "comment" {
                        let inner_end = end.as_ref().map_or(stop, |e| e.start);
                        out.copy(file, text, t.span.end..inner_end);
                    }
                    copied = stop;
                    i = stop;
                }
                "if" | "for" | "with" | "macro" | "call" | "filter" | "set" | "ifequal"
                | "ifnotequal" => {
                    // A `{% set x = 1 %}` has no end; the others do.
                    if w != "set" || !t.inner.contains('=') {
                        open.push(out.text.len());
                    }
                }
                w if w.starts_with("end") => {
                    if let Some(start) = open.pop() {
                        out.mark_conditional(start);
                    }
                }
                "load" | "else" | "elif" | "empty" | "csrf_token" | "extends" => {}
                _ => out.expression(file, text, t.span.clone()),
            },
        }
    }
    out.copy(file, text, copied..range.end.max(copied));
    if let Some(&start) = open.first() {
        out.mark_conditional(start);
    }
}

/// Symfony's Twig `asset('js/x.js')` → `/js/x.js` (a path under the app's `public/`).
fn asset(inner: &str) -> Option<String> {
    let args = inner.strip_prefix("asset(")?.strip_suffix(')')?;
    let (name, tail) = quoted(args)?;
    (tail.trim().is_empty() && !name.contains("://"))
        .then(|| format!("/{}", name.trim_start_matches('/')))
}

/// `url_for('static', filename='x')` → `/static/x`.
fn url_for_static(inner: &str) -> Option<String> {
    let args = inner.strip_prefix("url_for(")?.strip_suffix(')')?;
    let (first, rest) = quoted(args)?;
    if first != "static" {
        return None;
    }
    let rest = rest.trim_start().strip_prefix(',')?.trim_start();
    let rest = rest
        .strip_prefix("filename")?
        .trim_start()
        .strip_prefix('=')?;
    let (name, tail) = quoted(rest)?;
    tail.trim()
        .is_empty()
        .then(|| format!("/static/{}", name.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn extends_blocks_super_include_and_static() {
        let tree = SourceTree::from_files([
            ("app.py", ""),
            (
                "templates/base.html",
                "<head>{% block head %}<script src=\"{{ url_for('static', filename='js/base.js') }}\"></script>{% endblock %}</head><body>{% block body %}{% endblock %}{% include 'foot.html' %}</body>",
            ),
            ("templates/foot.html", "<script src=\"{% static 'js/foot.js' %}\"></script>"),
            (
                "templates/page.html",
                "{% extends \"base.html\" %}{# c #}ignored{% block head %}{{ super() }}<link rel=stylesheet href=x.css>{% endblock %}{% block body %}{% if a %}<p>{{ a }}</p>{% endif %}{% endblock %}",
            ),
        ]);
        let r = render(&tree, "templates/page.html", Framework::Flask);
        assert_eq!(r.engine, "jinja");
        assert_eq!(
            r.text,
            "<head><script src=\"/static/js/base.js\"></script><link rel=stylesheet href=x.css></head><body><p>{{ a }}</p><script src=\"/static/js/foot.js\"></script></body>"
        );
        assert_eq!(r.layout.as_deref(), Some("templates/base.html"));
        assert!(r.is_conditional(r.text.find("<p>").unwrap()));
        let l = r.location(r.text.find("<link").unwrap());
        assert_eq!((l.file.as_str(), l.column), ("templates/page.html", 69));
    }
}
