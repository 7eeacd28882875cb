//! The carried `index.html` read back with the HTML5 tokenizer the page was read with: it must
//! load `./main.js` and every carried script, in the order the carry meant. A difference is a
//! warning naming what a browser would not load — never a silent "N script(s) carried".

use super::super::page::html::script_loads;
use super::super::page::Location;
use crate::diagnostics::Diagnostic;

/// `None` when `index_html` loads exactly `expected`, in order; else the warning.
pub(crate) fn loads_what_it_should(
    index_html: &str,
    expected: &[String],
    page: &str,
) -> Option<Diagnostic> {
    let loads = script_loads(index_html);
    if loads == expected {
        return None;
    }
    let lost: Vec<&str> = expected
        .iter()
        .filter(|e| !loads.contains(e))
        .map(String::as_str)
        .collect();
    let at = Location {
        file: page.to_string(),
        line: 1,
        column: 1,
    };
    Some(at.warning(if lost.is_empty() {
        format!(
            "index.html, read back as a browser reads it, loads its scripts in another order than the page: {}",
            loads.join(", ")
        )
    } else {
        format!(
            "index.html, read back as a browser reads it, does not load {} (the page's HTML hides them); fix the page's HTML kept in index.html",
            lost.join(", ")
        )
    }))
}
