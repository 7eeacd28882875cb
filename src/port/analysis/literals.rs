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
    Argument, CallExpression, Expression, ImportDeclaration, NewExpression, ObjectProperty,
    ObjectPropertyKind, StringLiteral, TemplateLiteral,
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
                fetched: std::collections::HashSet::new(),
            };
            v.visit_program(&ret.program);
            out.extend(v.found);
            break;
        }
    }
    out
}

/// File name endings of what a page's code fetches at run time from its own static folders, apart
/// from images, fonts and media: templates (AngularJS's `templateUrl`, jQuery's `.load`, a
/// client-side Handlebars or Mustache template) and data (`$.getJSON('data/x.json')`).
pub const FETCHED_KINDS: &[&str] = &[
    "html",
    "htm",
    "json",
    "xml",
    "txt",
    "csv",
    "hbs",
    "handlebars",
    "mustache",
    "tpl",
    "tmpl",
];

/// Whether `url` (without its query and fragment) ends in one of `kinds`; a template literal's
/// last part may be the extension alone (`.svg`), a whole URL names a file before it.
fn names_kind(url: &str, whole: bool, kinds: &[&str]) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        (!whole || !stem.is_empty()) && kinds.iter().any(|k| k.eq_ignore_ascii_case(ext))
    })
}

/// Methods whose first argument is a URL the page fetches: jQuery's `$.getJSON`, `$.ajax`,
/// `$(…).load`, `window.fetch` (and `fetch` itself; `get` on an [`HTTP_CLIENTS`] receiver).
const FETCHERS: &[&str] = &["getJSON", "ajax", "load", "fetch"];

/// Receivers whose `get(url)` fetches: jQuery, AngularJS's `$http`, Angular's `this.http`, axios.
const HTTP_CLIENTS: &[&str] = &["$", "jQuery", "$http", "http", "axios"];

/// Properties whose value is a URL the page fetches: a route's or a component's template
/// (AngularJS); an `$.ajax` call's `url` option counts too.
const FETCHED_PROPERTIES: &[&str] = &["templateUrl", "templateURL"];

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
    /// Where the literals in a fetching position start ([`FETCHERS`]' first arguments,
    /// [`FETCHED_PROPERTIES`]' values): only there does a template or data file's name count,
    /// not where code names a page to go to or a route to serve.
    fetched: std::collections::HashSet<u32>,
}

impl Literals<'_> {
    /// Whether a literal starting at `start` whose text is `url` (or whose last part is, for a
    /// template) names an asset, or a template or data file where it is fetched.
    fn names(&self, start: u32, url: &str, whole: bool) -> bool {
        names_kind(url, whole, ASSET_KINDS)
            || (self.fetched.contains(&start) && names_kind(url, whole, FETCHED_KINDS))
    }

    /// Whether a literal starting at `start` reads as a local URL: a bare file name counts only
    /// where it is fetched (`templateUrl: 'list.html'`), elsewhere it is a program's key.
    fn local(&self, start: u32, s: &str) -> bool {
        local_url(s) || (self.fetched.contains(&start) && local_url(&format!("./{s}")))
    }

    /// Marks `e` as in a fetching position when it is a literal.
    fn mark_fetched(&mut self, e: &Expression<'_>) {
        match e.get_inner_expression() {
            Expression::StringLiteral(l) => {
                self.fetched.insert(l.span.start);
            }
            Expression::TemplateLiteral(l) => {
                if let Some(first) = l.quasis.first() {
                    self.fetched.insert(first.span.start);
                }
            }
            _ => {}
        }
    }

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
        let fetches = match it.callee.get_inner_expression() {
            Expression::Identifier(id) => id.name == "fetch",
            // `get` only on an HTTP client: `app.get('/x', …)` registers a route.
            Expression::StaticMemberExpression(m) if m.property.name == "get" => {
                let receiver = match m.object.get_inner_expression() {
                    Expression::Identifier(o) => Some(o.name.as_str()),
                    Expression::StaticMemberExpression(o) => Some(o.property.name.as_str()),
                    _ => None,
                };
                receiver.is_some_and(|r| HTTP_CLIENTS.contains(&r))
            }
            Expression::StaticMemberExpression(m) => FETCHERS.contains(&m.property.name.as_str()),
            _ => false,
        };
        if fetches {
            match it.arguments.first().and_then(Argument::as_expression) {
                // `$.ajax({ url: 'data/x.json' })`.
                Some(Expression::ObjectExpression(o)) => {
                    for p in o.properties.iter().filter_map(|p| match p {
                        ObjectPropertyKind::ObjectProperty(p) => Some(p),
                        ObjectPropertyKind::SpreadProperty(_) => None,
                    }) {
                        if p.key.static_name().is_some_and(|k| k == "url") {
                            self.mark_fetched(&p.value);
                        }
                    }
                }
                Some(first) => self.mark_fetched(first),
                None => {}
            }
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_object_property(&mut self, it: &ObjectProperty<'a>) {
        if it
            .key
            .static_name()
            .is_some_and(|k| FETCHED_PROPERTIES.contains(&k.as_ref()))
        {
            self.mark_fetched(&it.value);
        }
        walk::walk_object_property(self, it);
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
        if self.local(it.span.start, value)
            && self.names(it.span.start, value, true)
            && it.span.end >= it.span.start + 2
        {
            self.keep(it.span.start + 1, it.span.end - 1, value, None);
        }
    }

    fn visit_template_literal(&mut self, it: &TemplateLiteral<'a>) {
        if let (Some(first), Some(last)) = (it.quasis.first(), it.quasis.last()) {
            let head = first.value.raw.as_str();
            let tail = last.value.raw.as_str();
            let plain = it.quasis.len() == 1;
            if self.local(first.span.start, head)
                && self.names(first.span.start, if plain { head } else { tail }, plain)
            {
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
    fn templates_and_data_are_found_where_they_are_fetched_not_where_code_names_a_page() {
        let text =
            "var s = { templateUrl: 'content/home.html' }; $.ajax({ url: 'data/items.JSON' });\n\
                    AP.dialog.create({ url: '/dialog.html' });\n\
                    $('#x').load(`partials/${name}.tmpl`); $http.get('data/more.json');\n\
                    $.getScript('js/extra.js'); var key = 'home.html', to = 'pages/other.html';\n\
                    routes.state('x', { templateUrl: 'list.html' });\n\
                    app.get('/atlassian-connect.json', send); go(base + '/index.html');\n";
        assert_eq!(
            heads("app.js", text),
            vec![
                ("content/home.html".to_string(), None),
                ("data/items.JSON".to_string(), None),
                ("partials/".to_string(), Some(".tmpl".to_string())),
                ("data/more.json".to_string(), None),
                ("list.html".to_string(), None),
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
