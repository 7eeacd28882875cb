//! express-hbs, the engine of atlassian-connect-express apps: a view (`views/x.hbs`) is put
//! into its layout — the one its `{{!< name}}` names (beside the view, in `views/` or
//! `views/layouts/`; layouts may have layouts), or else the default layout when that has a
//! `{{{body}}}` (the server's `defaultLayout: 'name'`, express-hbs's `views/layout.hbs`,
//! express-handlebars' `views/layouts/main.hbs`) — with partials (`{{> name}}`) put in, comments (`{{!-- … --}}`, `{{! … }}`)
//! taken out, wherever they are (a `{{{body}}}` inside a comment is not the body), and ACE's
//! helpers evaluated: `{{furl '/js/x.js'}}` with a literal argument is `/js/x.js`,
//! `{{hostScriptUrl}}` is Atlassian's all.js.

use std::sync::LazyLock;

use regex::Regex;

use super::curly::{render_chain, template_file, Dialect};
use super::{find, templates_root, Cx, Engine, Framework, Rendered, MAX_DEPTH};

/// The express-hbs renderer.
pub struct ExpressHbs;

const DIALECT: Dialect = Dialect {
    extensions: &[".hbs", ".handlebars"],
    ace_helpers: true,
};

impl Engine for ExpressHbs {
    fn name(&self) -> &'static str {
        "express-hbs"
    }

    fn claims(&self, file: &str, _framework: Framework, _text: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        lower.ends_with(".hbs") || lower.ends_with(".handlebars")
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        // The chain of layouts, outermost first, ending with the view.
        let mut chain = vec![file.to_string()];
        let mut current = file.to_string();
        loop {
            let text = cx.tree.get(&current).unwrap_or("");
            let layout = match layout_directive(text) {
                Some((name, at)) => match template_file(cx, &current, name, &DIALECT) {
                    Some(path) => Some(path),
                    None => {
                        out.warn_at(
                            &current,
                            text,
                            at,
                            format!(
                                "the view names layout {}, which is not in the source tree: the view is carried without it, and the scripts and stylesheets of the layout are missing",
                                super::super::page::expr::shorten(name)
                            ),
                        );
                        None
                    }
                },
                // The default layout, for the view itself only.
                None if chain.len() == 1 => default_layout(cx, file)
                    .filter(|d| *d != current && has_body(cx.tree.get(d).unwrap_or(""))),
                None => None,
            };
            let Some(layout) = layout else { break };
            if chain.contains(&layout) || chain.len() > MAX_DEPTH {
                out.warn_at(
                    &current,
                    text,
                    0,
                    format!("layout {layout} is used by itself (a cycle): not applied again"),
                );
                break;
            }
            let ltext = cx.tree.get(&layout).unwrap_or("");
            if !has_body(ltext) {
                out.warn_at(
                    &layout,
                    ltext,
                    0,
                    format!("layout {layout} has no {{{{{{body}}}}}} (outside comments): the view is carried without it"),
                );
                break;
            }
            chain.insert(0, layout.clone());
            current = layout;
        }
        if chain.len() > 1 {
            out.layout = chain.first().cloned();
        }
        render_chain(cx, &chain, &DIALECT, out);
    }
}

static DEFAULT_LAYOUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)defaultLayout[[:space:]]*:[[:space:]]*['"]([^'"\n]+)['"]"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// The layout a view without `{{!< name}}` gets: the one the server's engine options name
/// (`defaultLayout: 'main'`, express-hbs and express-handlebars alike), else express-hbs's
/// `views/layout.hbs`, else, for an app on express-handlebars, its own default
/// `views/layouts/main.hbs`.
fn default_layout(cx: &Cx<'_>, view: &str) -> Option<String> {
    let server = |p: &str| {
        [".js", ".cjs", ".mjs", ".ts"]
            .iter()
            .any(|e| p.ends_with(e))
            && !["public/", "static/", "assets/"]
                .iter()
                .any(|f| p.starts_with(f) || p.contains(&format!("/{f}")))
    };
    let mut handlebars = false;
    for (_, text) in cx.tree.files_where(server) {
        if let Some(name) = DEFAULT_LAYOUT.captures(text).and_then(|c| c.get(1)) {
            let name = name.as_str();
            // A path (`path.join(__dirname, 'views/layouts/main.hbs')`) counts by its tail.
            let name = name.rsplit('/').next().unwrap_or(name);
            if let Some(found) = template_file(cx, view, name, &DIALECT) {
                return Some(found);
            }
        }
        handlebars |= text.contains("express-handlebars");
    }
    let root = templates_root(view);
    let express_hbs = format!("{root}layout.hbs");
    if cx.tree.contains(&express_hbs) || !handlebars {
        return Some(express_hbs);
    }
    ["hbs", "handlebars"]
        .iter()
        .map(|e| format!("{root}layouts/main.{e}"))
        .find(|p| cx.tree.contains(p))
}

/// `{{!< name}}` outside other comments: the name and where it is.
fn layout_directive(text: &str) -> Option<(&str, usize)> {
    let mut i = 0;
    while let Some(open) = find(text, i, "{{!") {
        if text.get(open..).is_some_and(|r| r.starts_with("{{!--")) {
            i = find(text, open + 5, "--}}").map_or(text.len(), |e| e + 4);
            continue;
        }
        let end = find(text, open + 3, "}}")?;
        let inner = text.get(open + 3..end)?;
        if let Some(name) = inner.strip_prefix('<') {
            let name = name.trim();
            if !name.is_empty() {
                return Some((name, open));
            }
        }
        i = end + 2;
    }
    None
}

/// Whether the layout has a `{{{body}}}` outside comments.
fn has_body(text: &str) -> bool {
    let mut i = 0;
    while let Some(open) = find(text, i, "{{") {
        let rest = text.get(open..).unwrap_or("");
        if rest.starts_with("{{!--") {
            i = find(text, open + 5, "--}}").map_or(text.len(), |e| e + 4);
        } else if rest.starts_with("{{!") {
            i = find(text, open + 3, "}}").map_or(text.len(), |e| e + 2);
        } else if rest.starts_with("{{{body}}}") || rest.starts_with("{{{ body }}}") {
            return true;
        } else {
            i = open + 2;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn a_body_inside_a_comment_does_not_swallow_the_view() {
        let tree = SourceTree::from_files([
            (
                "views/layout.hbs",
                "<html>{{!-- old: {{{body}}} --}}<body>{{{body}}}</body></html>",
            ),
            ("views/v.hbs", "{{!< layout}}<p>view</p>"),
        ]);
        let r = render(&tree, "views/v.hbs", Framework::Ace);
        assert_eq!(r.text, "<html><body><p>view</p></body></html>");
        assert_eq!(r.layout.as_deref(), Some("views/layout.hbs"));
    }

    #[test]
    fn the_servers_default_layout_and_express_handlebars_main() {
        // express-handlebars with `defaultLayout` named in the engine's options.
        let tree = SourceTree::from_files([
            (
                "index.js",
                "const hbs = exphbs.create({ defaultLayout: 'shell', extname: 'hbs' });",
            ),
            (
                "views/layouts/shell.hbs",
                "<html>{{> head}}{{{body}}}</html>",
            ),
            ("views/partials/head.hbs", "<script src=\"/s.js\"></script>"),
            ("views/v.hbs", "<p>view</p>"),
        ]);
        let r = render(&tree, "views/v.hbs", Framework::Ace);
        assert_eq!(
            r.text,
            "<html><script src=\"/s.js\"></script><p>view</p></html>"
        );
        assert_eq!(r.layout.as_deref(), Some("views/layouts/shell.hbs"));
        // express-handlebars' own default, `main`, when the options name none.
        let tree = SourceTree::from_files([
            (
                "app.js",
                "const { engine } = require('express-handlebars');",
            ),
            ("views/layouts/main.hbs", "<html>{{{body}}}</html>"),
            ("views/v.hbs", "<p>view</p>"),
        ]);
        let r = render(&tree, "views/v.hbs", Framework::Ace);
        assert_eq!(r.layout.as_deref(), Some("views/layouts/main.hbs"));
        // Not for an express-hbs app: its default is views/layout.hbs only.
        let tree = SourceTree::from_files([
            ("app.js", "app.engine('hbs', hbs.express4({}));"),
            ("views/layouts/main.hbs", "<html>{{{body}}}</html>"),
            ("views/v.hbs", "<p>view</p>"),
        ]);
        let r = render(&tree, "views/v.hbs", Framework::Ace);
        assert_eq!(r.layout, None);
    }

    #[test]
    fn partials_helpers_and_nested_layouts() {
        let tree = SourceTree::from_files([
            ("views/base.hbs", "<html>{{> head}}{{{body}}}</html>"),
            ("views/partials/head.hbs", "<script src=\"{{hostScriptUrl}}\"></script>"),
            ("views/page-layout.hbs", "{{!< base}}<main>{{{body}}}</main>"),
            (
                "views/v.hbs",
                "{{!< page-layout}}{{#if x}}<script src=\"{{furl '/js/a.js'}}\"></script>{{/if}}{{name}}",
            ),
        ]);
        let r = render(&tree, "views/v.hbs", Framework::Ace);
        assert_eq!(
            r.text,
            "<html><script src=\"https://connect-cdn.atl-paas.net/all.js\"></script><main><script src=\"/js/a.js\"></script>{{name}}</main></html>"
        );
        assert_eq!(r.layout.as_deref(), Some("views/base.hbs"));
        let script = r.text.find("<script src=\"/js").unwrap();
        assert!(r.is_conditional(script));
        let name = r.text.find("{{name}}").unwrap();
        assert!(!r.is_conditional(name));
        assert_eq!(r.expressions.len(), 1);
        assert_eq!(r.expressions[0], name..name + 8);
        let l = r.location(script + 13);
        assert_eq!((l.file.as_str(), l.line, l.column), ("views/v.hbs", 1, 41));
    }

    #[test]
    fn a_missing_partial_or_layout_is_a_warning_with_its_place() {
        let tree = SourceTree::from_files([("views/v.hbs", "{{!< nope}}\n  {{> gone}}")]);
        let r = render(&tree, "views/v.hbs", Framework::Ace);
        let lines: Vec<_> = r.warnings.iter().map(|w| w.to_line()).collect();
        assert!(
            lines[0].starts_with("views/v.hbs:1:1: warning:") && lines[0].contains("layout nope"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("views/v.hbs:2:3: warning:")
                && lines[1].contains("partial {{> gone}}"),
            "{lines:?}"
        );
    }
}
