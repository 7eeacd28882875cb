//! A page written in the server's own code: an Express handler that answers with a template
//! literal (`` res.send(`<!DOCTYPE html>…`) ``), or with what a function returns
//! (`res.end(template(body))`, the function's `` return `<html>…` ``). The page is the first
//! template literal of the script that holds a document (`<!DOCTYPE`, `<html`, `<head` or
//! `<body`): its text between the backticks is the page, each `${…}` in it a template
//! expression left as written (as an engine's variable is), `\`` and `\$` read as the characters
//! they escape.

use super::{Cx, Engine, Framework, Rendered};

/// The renderer of a page written as a template literal.
pub struct JsLiteral;

/// The script extensions a page literal is looked for in.
const SCRIPTS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"];

impl Engine for JsLiteral {
    fn name(&self) -> &'static str {
        "js-template-literal"
    }

    fn claims(&self, file: &str, _framework: Framework, text: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        SCRIPTS.iter().any(|e| lower.ends_with(e)) && page_literal(text).is_some()
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let text = cx.tree.get(file).unwrap_or("");
        let Some((start, end)) = page_literal(text) else {
            return;
        };
        let bytes = text.as_bytes();
        let mut copied = start;
        let mut i = start;
        while i < end {
            match bytes.get(i) {
                Some(b'\\') => {
                    // `\`` and `\$` are the characters; other escapes stay as written.
                    if matches!(bytes.get(i + 1), Some(b'`' | b'$')) {
                        out.copy(file, text, copied..i);
                        copied = i + 1;
                    }
                    i += 2;
                }
                Some(b'$') if bytes.get(i + 1) == Some(&b'{') => {
                    out.copy(file, text, copied..i);
                    let close = expression_end(bytes, i + 2).unwrap_or(end).min(end);
                    out.expression(file, text, i..close);
                    copied = close;
                    i = close;
                }
                _ => i += 1,
            }
        }
        out.copy(file, text, copied..end);
    }
}

/// The byte range inside the backticks of the first template literal in `text` that holds a
/// document, if any.
pub fn page_literal(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(open) = text.get(from..)?.find('`').map(|i| i + from) {
        let start = open + 1;
        let end = literal_end(bytes, start)?;
        let body = text.get(start..end)?;
        let head = body
            .trim_start()
            .get(..body.trim_start().len().min(400))
            .unwrap_or("")
            .to_ascii_lowercase();
        if ["<!doctype", "<html", "<head", "<body"]
            .iter()
            .any(|t| head.contains(t))
        {
            return Some((start, end));
        }
        from = end + 1;
    }
    None
}

/// Where the template literal whose text starts at `start` ends (its closing backtick),
/// skipping escapes and the `${…}` expressions inside it.
fn literal_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'`' => return Some(i),
            b'$' if bytes.get(i + 1) == Some(&b'{') => i = expression_end(bytes, i + 2)?,
            _ => i += 1,
        }
    }
    None
}

/// The offset just past the `}` that closes a `${` whose code starts at `from`, counting
/// braces and skipping strings and nested template literals.
fn expression_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' => depth += 1,
            b'}' if depth == 0 => return Some(i + 1),
            b'}' => depth -= 1,
            b'\'' | b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' {
                        i += 1;
                    } else if c == b {
                        break;
                    }
                    i += 1;
                }
            }
            b'`' => i = literal_end(bytes, i + 1)?,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::port::tree::SourceTree;

    #[test]
    fn the_document_literal_is_the_page_and_its_expressions_stay() {
        let js = "const css = `p { color: red }`;\nconst page = (body, js) => `\n<!DOCTYPE html>\n<html><head><link href=\"/css\" rel=\"stylesheet\"></head>\n<body><div id=\"app\">${ body }</div><p>\\`tick\\` costs \\${x}</p><script src=\"${js.map((j) => `${j}`).join('')}\"></script><script src=\"/js\"></script></body></html>\n`;\nexport default page;\n";
        let tree = SourceTree::from_files([("src/client/template.js", js)]);
        let r = crate::port::render::render(&tree, "src/client/template.js", Framework::Ace);
        assert_eq!(r.engine, "js-template-literal");
        assert!(
            r.text.trim_start().starts_with("<!DOCTYPE html>"),
            "{}",
            r.text
        );
        assert!(r.text.contains("<p>`tick` costs ${x}</p>"), "{}", r.text);
        assert!(r.text.trim_end().ends_with("</html>"), "{}", r.text);
        assert!(!r.text.contains("color: red"));
        let shown: Vec<&str> = r
            .expressions
            .iter()
            .map(|e| r.text.get(e.clone()).unwrap_or(""))
            .collect();
        assert_eq!(shown, ["${ body }", "${js.map((j) => `${j}`).join('')}"]);
        // The page's places are the script's.
        let at = r.location(r.text.find("<body>").unwrap());
        assert_eq!((at.file.as_str(), at.line), ("src/client/template.js", 5));
        assert_eq!(page_literal("no literal here"), None);
        assert_eq!(page_literal("`<div>a fragment</div>`"), None);
    }
}
