//! A page served as it is (a static site's `.html`): nothing is evaluated, so a `{{` in it is
//! text, as the browser sees it.

use super::{Cx, Engine, Framework, Rendered};

/// The renderer of pages no template engine claims.
pub struct Plain;

impl Engine for Plain {
    fn name(&self) -> &'static str {
        "static"
    }

    fn claims(&self, _file: &str, _framework: Framework, _text: &str) -> bool {
        true
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let text = cx.tree.get(file).unwrap_or("");
        out.copy(file, text, 0..text.len());
    }
}
