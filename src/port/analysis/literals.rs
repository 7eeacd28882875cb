//! The images, icons, fonts and media a script names in its own string literals — what a page
//! asks for at run time, beside what its markup and style sheets name: a string that is a URL
//! path to such a file (`'icons/concept.svg'`, `"/images/cinema.png"`, a JSX attribute's
//! `src='img/x.png'`), and a template literal whose first part is a URL path and whose last part
//! ends in such a file's extension (`` `icons/macro${kind}-01.svg` ``). A module specifier
//! (`import`, `require('./x.png')`, `new URL('./x.png', import.meta.url)`) is the bundler's to
//! resolve, not the page's, and is left out.
//!
//! Read from the AST (oxc), in each language the analysis reads; a part that does not parse is
//! not read (nothing of it is pointed elsewhere). No file-system access, no panic on any input;
//! call it on the analysis's big stack ([`super::on_big_stack`]).

use std::ops::Range;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, CallExpression, Expression, ImportDeclaration, NewExpression, StringLiteral,
    TemplateLiteral,
};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::Parser;

use super::{sources, too_deep, ScriptInput};
use crate::port::tree::ASSET_KINDS;

/// A string or template literal naming an asset by a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetLiteral {
    /// The byte range, in the file's text, of the URL as written: a string's text inside its
    /// quotes; a template literal's first part.
    pub span: Range<usize>,
    /// The URL as written (a template literal's first part: `icons/macro`).
    pub head: String,
    /// A template literal's last part (`-01.svg`); `None` for a string.
    pub tail: Option<String>,
}

/// The asset URLs `text` (the file `file`, whose extension decides the language) names in its
/// literals, in source order.
pub fn asset_literals(file: &str, text: &str) -> Vec<AssetLiteral> {
    let mut out = Vec::new();
    for part in sources::parts(&ScriptInput::file(file, text)) {
        let part_text = part.input.text;
        if too_deep(part_text).is_some() {
            continue;
        }
        // Where the part starts in the file (a `.vue` file's `<script>` block).
        let offset = part_text.as_ptr() as usize - text.as_ptr() as usize;
        let allocator = Allocator::default();
        for &(source_type, _) in part.tries {
            let ret = Parser::new(&allocator, part_text, source_type).parse();
            if ret.panicked || !ret.diagnostics.is_empty() {
                continue;
            }
            let mut v = Literals {
                text: part_text,
                offset,
                found: Vec::new(),
            };
            v.visit_program(&ret.program);
            out.extend(v.found);
            break;
        }
    }
    out
}

/// Whether `url` (without its query and fragment) ends in an asset's extension; a template
/// literal's last part may be the extension alone (`.svg`), a whole URL names a file before it.
fn names_asset(url: &str, whole: bool) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        (!whole || !stem.is_empty()) && ASSET_KINDS.iter().any(|k| k.eq_ignore_ascii_case(ext))
    })
}

/// Whether `s` reads as a local URL path: no spaces, markup or quotes, no scheme and no other
/// host (`//cdn`), not a bare file name a program would use as a key.
fn local_url(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with("//")
        && s.contains('/')
        && !s.chars().any(|c| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`' | '\\' | '(' | ')')
        })
        && !s.split('/').next().is_some_and(|first| first.contains(':'))
}

struct Literals<'t> {
    text: &'t str,
    offset: usize,
    found: Vec<AssetLiteral>,
}

impl Literals<'_> {
    /// Keeps `[start, end)` of the part as a literal when its text is `written` (no escapes).
    fn keep(&mut self, start: u32, end: u32, written: &str, tail: Option<String>) {
        let (start, end) = (start as usize, end as usize);
        if self.text.get(start..end) != Some(written) {
            return;
        }
        self.found.push(AssetLiteral {
            span: self.offset + start..self.offset + end,
            head: written.to_string(),
            tail,
        });
    }
}

/// Whether `e` is a module specifier's literal, which the bundler resolves.
fn specifier_call(callee: &Expression<'_>) -> bool {
    matches!(callee, Expression::Identifier(id) if id.name == "require" || id.name == "URL")
}

impl<'a> Visit<'a> for Literals<'_> {
    fn visit_import_declaration(&mut self, _it: &ImportDeclaration<'a>) {}

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if specifier_call(&it.callee) {
            // `require('./x.png')`: the bundler's; its other arguments are still read.
            for a in it.arguments.iter().skip(1) {
                if let Some(e) = a.as_expression() {
                    self.visit_expression(e);
                }
            }
            return;
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        // `new URL('./x.png', import.meta.url)`: resolved against the module by the bundler.
        if specifier_call(&it.callee) && it.arguments.len() >= 2 {
            for a in it.arguments.iter().skip(1) {
                if let Argument::SpreadElement(_) = a {
                    continue;
                }
                if let Some(e) = a.as_expression() {
                    self.visit_expression(e);
                }
            }
            return;
        }
        walk::walk_new_expression(self, it);
    }

    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        let value = it.value.as_str();
        if local_url(value) && names_asset(value, true) && it.span.end >= it.span.start + 2 {
            self.keep(it.span.start + 1, it.span.end - 1, value, None);
        }
    }

    fn visit_template_literal(&mut self, it: &TemplateLiteral<'a>) {
        if let (Some(first), Some(last)) = (it.quasis.first(), it.quasis.last()) {
            let head = first.value.raw.as_str();
            let tail = last.value.raw.as_str();
            let plain = it.quasis.len() == 1;
            if local_url(head) && names_asset(if plain { head } else { tail }, plain) {
                let tail = (!plain).then(|| tail.to_string());
                if plain || !tail.as_deref().unwrap_or("").contains(['\\', '$', '`']) {
                    self.keep(first.span.start, first.span.end, head, tail);
                }
            }
        }
        walk::walk_template_literal(self, it);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(file: &str, text: &str) -> Vec<(String, Option<String>)> {
        asset_literals(file, text)
            .into_iter()
            .map(|l| {
                assert_eq!(
                    &text[l.span.clone()],
                    l.head,
                    "the span is the URL as written"
                );
                (l.head, l.tail)
            })
            .collect()
    }

    #[test]
    fn strings_templates_and_jsx_attributes_naming_assets_are_found() {
        let text = "import logo from './logo.png';\n\
                    const a = require('./b.png');\n\
                    const u = new URL('./c.png', import.meta.url);\n\
                    const k = { icon: 'icons/concept.svg', key: 'concept.svg', html: '<img src=\"/x.png\">' };\n\
                    const bg = `icons/macro${p}${q}-01.svg`, mark = `/img/${state}.png`;\n\
                    const cdn = 'https://cdn.example.com/x.png', data = 'data:image/png;base64,AA';\n\
                    const el = <img src='/images/cinema.png' alt=\"cinema\" />;\n\
                    const esc = 'img\\/y.png';\n";
        assert_eq!(
            heads("src/App.jsx", text),
            vec![
                ("icons/concept.svg".to_string(), None),
                ("icons/macro".to_string(), Some("-01.svg".to_string())),
                ("/img/".to_string(), Some(".png".to_string())),
                ("/images/cinema.png".to_string(), None),
            ]
        );
    }

    #[test]
    fn a_vue_components_script_is_placed_in_its_file() {
        let text = "<template><div/></template>\n<script>\nexport default { data: () => ({ i: '/img/a.gif' }) }\n</script>\n";
        let found = asset_literals("src/A.vue", text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "/img/a.gif");
    }

    #[test]
    fn what_does_not_parse_names_nothing() {
        assert!(asset_literals("a.js", "const x = 'img/a.png' +").is_empty());
        assert!(asset_literals("a.js", "").is_empty());
    }
}
