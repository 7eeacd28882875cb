//! Mustache (JMustache in Spring, mustache.js, Hogan): partials (`{{> name}}`, beside the page,
//! in the templates root or its `partials/`), comments out, sections marked conditional.

use super::curly::{render_chain, Dialect};
use super::{Cx, Engine, Framework, Rendered};

/// The Mustache renderer.
pub struct Mustache;

const DIALECT: Dialect = Dialect {
    extensions: &[".mustache", ".html"],
    ace_helpers: false,
};

impl Engine for Mustache {
    fn name(&self) -> &'static str {
        "mustache"
    }

    fn claims(&self, file: &str, _framework: Framework, _text: &str) -> bool {
        file.to_ascii_lowercase().ends_with(".mustache")
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        render_chain(cx, &[file.to_string()], &DIALECT, out);
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn partials_are_put_in() {
        let tree = SourceTree::from_files([
            (
                "templates/p.mustache",
                "{{! c }}{{>partials/head}}<p>{{#x}}{{y}}{{/x}}</p>",
            ),
            (
                "templates/partials/head.mustache",
                "<script src=\"/a.js\"></script>",
            ),
        ]);
        let r = render(&tree, "templates/p.mustache", Framework::Spring);
        assert_eq!(r.text, "<script src=\"/a.js\"></script><p>{{y}}</p>");
        assert_eq!(r.engine, "mustache");
    }
}
