//! JSP: includes put in — `<%@ include file="x" %>` and `<jsp:include page="x"/>`, a path
//! starting with `/` from the web application's root (`src/main/webapp/`), else beside the
//! including file — comments (`<%-- --%>`) and directives out, JSTL's `<c:url value="/x"/>`
//! with a literal value evaluated to `/x`, scriptlets, `<%= %>` and `${…}` left as written.

use super::{find, folder, Cx, Engine, Framework, Rendered};

/// The JSP renderer.
pub struct Jsp;

impl Engine for Jsp {
    fn name(&self) -> &'static str {
        "jsp"
    }

    fn claims(&self, file: &str, _framework: Framework, _text: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        lower.ends_with(".jsp") || lower.ends_with(".jspf")
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let text = cx.tree.get(file).unwrap_or("");
        scan(cx, file, text, out);
    }
}

/// The web application's root above `file` (`src/main/webapp/`), else the tree's root.
fn webapp_root(file: &str) -> &str {
    match file.find("src/main/webapp/") {
        Some(i) => file.get(..i + 16).unwrap_or(""),
        None => match file.find("WEB-INF/") {
            Some(i) => file.get(..i).unwrap_or(""),
            None => "",
        },
    }
}

/// The value of `name="…"` (or `'…'`) in a tag's text.
fn attr_value<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    super::quoted(tag.get(at..)?).map(|(v, _)| v)
}

fn include(cx: &mut Cx<'_>, file: &str, text: &str, at: usize, path: &str, out: &mut Rendered) {
    let target = if let Some(abs) = path.strip_prefix('/') {
        super::join(webapp_root(file), abs)
    } else {
        super::join(folder(file), path)
    };
    if !cx.include_with(target, out, scan) {
        out.warn_at(
            file,
            text,
            at,
            format!(
                "included {} is not in the source tree (or nests too deep): the scripts and stylesheets it loads are not carried",
                super::super::page::expr::shorten(path)
            ),
        );
    }
}

fn scan(cx: &mut Cx<'_>, file: &str, text: &str, out: &mut Rendered) {
    let mut i = 0;
    let mut copied = 0;
    let bytes = text.as_bytes();
    while let Some(lt) = memchr::memchr2(b'<', b'$', bytes.get(i..).unwrap_or(&[])).map(|k| k + i) {
        let rest = text.get(lt..).unwrap_or("");
        let (end, action) = if rest.starts_with("<%--") {
            (find(text, lt + 4, "--%>").map(|e| e + 4), 'c')
        } else if rest.starts_with("<%@") {
            (find(text, lt + 3, "%>").map(|e| e + 2), 'd')
        } else if rest.starts_with("<%") {
            (find(text, lt + 2, "%>").map(|e| e + 2), 'e')
        } else if rest.starts_with("<jsp:include") {
            (find(text, lt, ">").map(|e| e + 1), 'i')
        } else if rest.starts_with("<c:url") {
            (find(text, lt, ">").map(|e| e + 1), 'u')
        } else if rest.starts_with("${") || rest.starts_with("#{") {
            (find(text, lt + 2, "}").map(|e| e + 1), 'e')
        } else {
            i = lt + 1;
            continue;
        };
        let Some(end) = end else {
            out.warn_at(
                file,
                text,
                lt,
                "an unterminated JSP tag: the rest is read as text".into(),
            );
            break;
        };
        out.copy(file, text, copied..lt);
        copied = end;
        i = end;
        let tag = text.get(lt..end).unwrap_or("");
        match action {
            'd' if tag
                .trim_start_matches("<%@")
                .trim_start()
                .starts_with("include") =>
            {
                if let Some(p) = attr_value(tag, "file") {
                    include(cx, file, text, lt, p, out);
                }
            }
            'i' => {
                if let Some(p) = attr_value(tag, "page") {
                    include(cx, file, text, lt, p, out);
                }
            }
            'u' => match attr_value(tag, "value") {
                Some(v) if !v.contains("${") => out.generate(file, text, lt, v),
                _ => out.expression(file, text, lt..end),
            },
            'e' => out.expression(file, text, lt..end),
            _ => {}
        }
    }
    out.copy(file, text, copied..text.len().max(copied));
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn includes_and_c_url() {
        let w = "src/main/webapp/";
        let tree = SourceTree::from_files([
            (format!("{w}WEB-INF/jsp/p.jsp"), "<%@ page x %><%-- c --%><%@ include file=\"/WEB-INF/jsp/head.jspf\" %><script src=\"<c:url value='/js/a.js'/>\"></script><p>${x}</p><jsp:include page=\"foot.jsp\"/>".to_string()),
            (format!("{w}WEB-INF/jsp/head.jspf"), "<link rel=stylesheet href=\"${ctx}/c.css\">".to_string()),
            (format!("{w}WEB-INF/jsp/foot.jsp"), "<script src=\"/f.js\"></script>".to_string()),
        ]);
        let r = render(&tree, &format!("{w}WEB-INF/jsp/p.jsp"), Framework::Spring);
        assert_eq!(r.text, "<link rel=stylesheet href=\"${ctx}/c.css\"><script src=\"/js/a.js\"></script><p>${x}</p><script src=\"/f.js\"></script>");
        assert_eq!(r.expressions.len(), 2);
    }
}
