//! Thymeleaf (Spring): fragments put in where `th:replace` (the host element replaced),
//! `th:insert` (put inside the host) and `th:include` (the fragment's content inside the host)
//! name them — `~{file :: name}`, `file :: name`, `~{:: name}`, `~{file}`, a fragment being the
//! element whose `th:fragment` is that name (or whose `id` is `#id`) — and the Layout
//! Dialect's `layout:decorate` (or `layout:decorator`): the layout is rendered with each of its
//! `layout:fragment` elements replaced by the page's of the same name, and the page's `<head>`
//! content added to the layout's. Templates are found under the page's `templates/` folder.
//! Other `th:*` attributes and `[[…]]` / `[(…)]` inline expressions are left as written and
//! listed as expressions.

use std::ops::Range;

use super::super::page::html::{matching_ends, tokenize, Attr, Tok};
use super::{templates_root, Cx, Engine, Framework, Rendered};

/// The Thymeleaf renderer.
pub struct Thymeleaf;

impl Engine for Thymeleaf {
    fn name(&self) -> &'static str {
        "thymeleaf"
    }

    fn claims(&self, file: &str, framework: Framework, text: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        (lower.ends_with(".html") || lower.ends_with(".htm"))
            && (framework == Framework::Spring
                || text.contains("xmlns:th")
                || text.contains("xmlns:layout")
                || [" th:", "\tth:", "\nth:", " data-th-"]
                    .iter()
                    .any(|m| text.contains(m)))
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let text = cx.tree.get(file).unwrap_or("");
        let doc = Parsed::new(text);
        if let Some((name, at)) = decorator(&doc) {
            match find_template(cx, file, &name) {
                Some(layout) if layout != file => {
                    out.layout = Some(layout.clone());
                    let ltext = cx.tree.get(&layout).unwrap_or("");
                    let ldoc = Parsed::new(ltext);
                    let page = Page { file, text, doc: &doc };
                    cx.depth += 1;
                    emit(cx, &layout, ltext, &ldoc, 0..ldoc.toks.len(), Some(&page), out);
                    cx.depth -= 1;
                    return;
                }
                _ => out.warn_at(
                    file,
                    text,
                    at,
                    format!(
                        "layout:decorate names {}, which is not in the source tree: the page is carried without its layout, and the layout's scripts and stylesheets are missing",
                        super::super::page::expr::shorten(&name)
                    ),
                ),
            }
        }
        emit(cx, file, text, &doc, 0..doc.toks.len(), None, out);
    }
}

/// A template's tokens and element extents.
struct Parsed {
    toks: Vec<Tok>,
    ends: Vec<Option<usize>>,
}

impl Parsed {
    fn new(text: &str) -> Self {
        let (toks, _) = tokenize(text);
        let ends = matching_ends(&toks);
        Self { toks, ends }
    }

    /// The token range `i..=end` of the element starting at `i`.
    fn element(&self, i: usize) -> Range<usize> {
        i..self.ends.get(i).copied().flatten().unwrap_or(i) + 1
    }

    /// The first start tag whose attribute `name` satisfies `test`.
    fn find(&self, test: impl Fn(&Attr) -> bool) -> Option<usize> {
        self.toks.iter().position(|t| match t {
            Tok::Start { attrs, .. } => attrs.iter().any(&test),
            _ => false,
        })
    }
}

/// The decorated page, while its layout is rendered.
struct Page<'a> {
    file: &'a str,
    text: &'a str,
    doc: &'a Parsed,
}

fn attr<'a>(attrs: &'a [Attr], names: &[&str]) -> Option<&'a Attr> {
    attrs.iter().find(|a| names.contains(&a.name.as_str()))
}

fn decorator(doc: &Parsed) -> Option<(String, usize)> {
    doc.toks.iter().find_map(|t| match t {
        Tok::Start { attrs, .. } => attr(
            attrs,
            &[
                "layout:decorate",
                "layout:decorator",
                "data-layout-decorate",
            ],
        )
        .map(|a| {
            let v = a.value.trim();
            let v = v
                .strip_prefix("~{")
                .and_then(|v| v.strip_suffix('}'))
                .unwrap_or(v);
            (v.trim().to_string(), a.span.start)
        }),
        _ => None,
    })
}

fn find_template(cx: &Cx<'_>, from: &str, name: &str) -> Option<String> {
    let name = name.trim().trim_start_matches('/');
    let root = templates_root(from);
    cx.find(&[
        format!("{root}{name}.html"),
        format!("{root}{name}"),
        format!("{}{name}.html", super::folder(from)),
    ])
}

/// Renders tokens `range` of a template, putting fragments in.
fn emit(
    cx: &mut Cx<'_>,
    file: &str,
    text: &str,
    doc: &Parsed,
    range: Range<usize>,
    page: Option<&Page<'_>>,
    out: &mut Rendered,
) {
    let Some(first) = doc.toks.get(range.start) else {
        return;
    };
    let mut copied = first.span().start;
    let mut i = range.start;
    while i < range.end {
        let Some(tok) = doc.toks.get(i) else { break };
        match tok {
            Tok::Start { attrs, span, .. } => {
                // The decorated page's fragment replaces the layout's.
                if let Some(page) = page {
                    if let Some(a) = attr(attrs, &["layout:fragment", "data-layout-fragment"]) {
                        let name = a.value.trim();
                        if let Some(pi) = page.doc.find(|b| {
                            (b.name == "layout:fragment" || b.name == "data-layout-fragment")
                                && b.value.trim() == name
                        }) {
                            out.copy(file, text, copied..span.start);
                            let el = page.doc.element(pi);
                            emit(cx, page.file, page.text, page.doc, el, None, out);
                            let own = doc.element(i);
                            i = own.end;
                            copied = doc.toks.get(own.end - 1).map_or(span.end, |t| t.span().end);
                            continue;
                        }
                    }
                }
                if let Some(a) = attr(
                    attrs,
                    &[
                        "th:replace",
                        "th:insert",
                        "th:include",
                        "data-th-replace",
                        "data-th-insert",
                        "data-th-include",
                    ],
                ) {
                    let how = a.name.rsplit([':', '-']).next().unwrap_or("").to_string();
                    let el = doc.element(i);
                    out.copy(file, text, copied..span.start);
                    let host_end = doc.toks.get(el.end - 1).map_or(span.end, |t| t.span().end);
                    let closing = (el.end - 1 > i)
                        .then(|| doc.toks.get(el.end - 1).map(|t| t.span()))
                        .flatten();
                    if how != "replace" {
                        out.copy(file, text, span.clone());
                    }
                    fragment(cx, file, text, a, &how, out);
                    if how != "replace" {
                        if let Some(c) = closing {
                            out.copy(file, text, c);
                        }
                    }
                    copied = host_end;
                    i = el.end;
                    continue;
                }
                for a in attrs {
                    let n = a.name.as_str();
                    let th = n.starts_with("th:") || n.starts_with("data-th-");
                    let used = matches!(
                        n.trim_start_matches("data-th-").trim_start_matches("th:"),
                        "src" | "href" | "fragment" | "inline"
                    );
                    // (In source order, each once: never back before what is copied.)
                    // (In source order, each once: never back before what is copied.)
                    if th && !used && a.span.start >= copied && a.span.end > a.span.start {
                        out.copy(file, text, copied..a.span.start);
                        out.expression(file, text, a.span.clone());
                        copied = a.span.end;
                    }
                }
            }
            Tok::End { name, span } if name == "head" => {
                if let Some(page) = page {
                    if let Some(h) = page
                        .doc
                        .toks
                        .iter()
                        .position(|t| matches!(t, Tok::Start { name, .. } if name == "head"))
                    {
                        out.copy(file, text, copied..span.start);
                        copied = span.start;
                        let el = page.doc.element(h);
                        if el.end > h + 2 {
                            emit(
                                cx,
                                page.file,
                                page.text,
                                page.doc,
                                h + 1..el.end - 1,
                                None,
                                out,
                            );
                        }
                    }
                }
            }
            Tok::Text(r) => {
                let mut k = r.start;
                while let Some(o) =
                    super::find(text, k, "[[").or_else(|| super::find(text, k, "[("))
                {
                    if o >= r.end {
                        break;
                    }
                    let close = if text.get(o..o + 2) == Some("[[") {
                        "]]"
                    } else {
                        ")]"
                    };
                    let is_expr = text.get(o + 2..).map(str::trim_start).is_some_and(|s| {
                        s.starts_with("${") || s.starts_with("*{") || s.starts_with("#{")
                    });
                    match super::find(text, o + 2, close).filter(|e| *e < r.end) {
                        Some(e) if is_expr => {
                            out.copy(file, text, copied..o);
                            out.expression(file, text, o..e + 2);
                            copied = e + 2;
                            k = e + 2;
                        }
                        _ => k = o + 2,
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let end = range
        .end
        .checked_sub(1)
        .and_then(|l| doc.toks.get(l))
        .map_or(copied, |t| t.span().end);
    out.copy(file, text, copied..end.max(copied));
}

/// Puts in the fragment a `th:replace`/`th:insert`/`th:include` attribute names.
fn fragment(cx: &mut Cx<'_>, file: &str, text: &str, a: &Attr, how: &str, out: &mut Rendered) {
    let v = a.value.trim();
    let v = v
        .strip_prefix("~{")
        .and_then(|v| v.strip_suffix('}'))
        .unwrap_or(v);
    let (tpl, sel) = match v.split_once("::") {
        Some((t, s)) => (t.trim(), Some(s.trim())),
        None => (v.trim(), None),
    };
    let target = if tpl.is_empty() || tpl == "this" {
        Some(file.to_string())
    } else {
        find_template(cx, file, tpl)
    };
    let warn = |out: &mut Rendered, why: &str| {
        out.warn_at(
            file,
            text,
            a.span.start,
            format!(
                "{}=\"{}\": {why}; the scripts and stylesheets it loads are not carried",
                a.name,
                super::super::page::expr::shorten(&a.value)
            ),
        )
    };
    let Some(target) = target else {
        return warn(out, "the template is not in the source tree");
    };
    if v.trim().is_empty() || (sel.is_none() && target == file) {
        return warn(
            out,
            "it names no fragment, or the whole template it is in (a cycle)",
        );
    }
    if !cx.may_include() {
        return warn(out, "fragments nest too deep (a cycle?)");
    }
    let ttext = cx.tree.get(&target).unwrap_or("");
    let tdoc = Parsed::new(ttext);
    let range = match sel {
        None => 0..tdoc.toks.len(),
        Some(sel) => {
            let name = sel.split('(').next().unwrap_or(sel).trim();
            let found = match name.strip_prefix('#') {
                Some(id) => tdoc.find(|b| b.name == "id" && b.value == id),
                None => tdoc.find(|b| {
                    (b.name == "th:fragment" || b.name == "data-th-fragment")
                        && b.value.split('(').next().unwrap_or("").trim() == name
                }),
            };
            let Some(fi) = found else {
                return warn(out, "no element of that template has this fragment");
            };
            let el = tdoc.element(fi);
            if how == "include" && el.end > fi + 2 {
                fi + 1..el.end - 1
            } else {
                el
            }
        }
    };
    cx.depth += 1;
    emit(cx, &target, ttext, &tdoc, range, None, out);
    cx.depth -= 1;
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn fragments_and_layouts() {
        let t = "src/main/resources/templates/";
        let tree = SourceTree::from_files([
            (
                format!("{t}layout.html"),
                "<html><head><script src=\"/l.js\"></script></head><body><div layout:fragment=\"content\">old</div></body></html>".to_string(),
            ),
            (
                format!("{t}fragments/common.html"),
                "<div th:fragment=\"scripts(x)\"><script th:src=\"@{/js/c.js}\"></script></div>".to_string(),
            ),
            (
                format!("{t}page.html"),
                "<html layout:decorate=\"~{layout}\"><head><script src=\"/p.js\"></script></head><body><section layout:fragment=\"content\"><p th:text=\"${x}\">x</p><div th:replace=\"~{fragments/common :: scripts('a')}\"></div><span th:include=\"fragments/common :: scripts\"></span></section></body></html>".to_string(),
            ),
        ]);
        let r = render(&tree, &format!("{t}page.html"), Framework::Spring);
        assert_eq!(r.engine, "thymeleaf");
        assert_eq!(
            r.text,
            "<html><head><script src=\"/l.js\"></script><script src=\"/p.js\"></script></head><body><section layout:fragment=\"content\"><p th:text=\"${x}\">x</p><div th:fragment=\"scripts(x)\"><script th:src=\"@{/js/c.js}\"></script></div><span th:include=\"fragments/common :: scripts\"><script th:src=\"@{/js/c.js}\"></script></span></section></body></html>"
        );
        assert_eq!(r.expressions.len(), 1);
    }

    #[test]
    fn a_template_that_puts_in_itself_is_rendered_once() {
        let t = "src/main/resources/templates/p.html";
        let tree = SourceTree::from_files([(
            t,
            "<p>a</p><div th:replace=\"\"></div><div th:insert=\"~{p}\"></div>",
        )]);
        let r = render(&tree, t, Framework::Spring);
        assert_eq!(r.text.matches("<p>a</p>").count(), 1, "{}", r.text);
        assert_eq!(r.warnings.len(), 2);
    }

    #[test]
    fn a_static_page_with_css_is_not_thymeleaf() {
        let tree = SourceTree::from_files([("www/p.html", "<p style=\"width:1px\">x</p>")]);
        assert_eq!(
            render(&tree, "www/p.html", Framework::Static).engine,
            "static"
        );
        let tree = SourceTree::from_files([("www/p.html", "<p th:text=\"${x}\">x</p>")]);
        assert_eq!(
            render(&tree, "www/p.html", Framework::Static).engine,
            "thymeleaf"
        );
    }

    #[test]
    fn an_unquoted_th_attribute_before_the_end_of_its_tag_is_copied_once() {
        let t = "src/main/resources/templates/p.html";
        let tree = SourceTree::from_files([(t, "<p>a</p><a th:text=${n}>x</a><p>b</p>")]);
        let r = render(&tree, t, Framework::Spring);
        assert_eq!(r.text, "<p>a</p><a th:text=${n}>x</a><p>b</p>");
    }
}
