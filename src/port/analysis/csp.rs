//! Code Forge's content security policy stops: `eval`, `new Function` (or `Function(…)`), string
//! timers (`setTimeout("code", …)`, `setInterval`) and a `document.write` of a `<script>` (all.js
//! above all). Forge serves Custom UI without `'unsafe-eval'` and without inline scripts, so each
//! is a warning at its place, whether or not the script uses `AP`.
//!
//! Syntactic: a name is taken for the global it usually is (`eval` cannot be rebound in strict
//! code, and a local `Function` or `setTimeout` is rare). Only a script that spells one of the
//! names is walked.

use oxc_ast::ast::{
    Argument, CallExpression, Expression, NewExpression, Program, StaticMemberExpression,
    TryStatement,
};
use oxc_ast_visit::{walk, Visit};
use oxc_span::GetSpan;

use super::lines::Lines;
use crate::diagnostics::Diagnostic;

/// The names a script must spell for the walk to be worth it.
const NEEDLES: &[&str] = &["eval", "Function", "setTimeout", "setInterval", "write"];

/// The CSP findings of one parsed script, in source order.
pub(super) fn findings(program: &Program<'_>, text: &str, lines: &Lines<'_>) -> Vec<Diagnostic> {
    if !NEEDLES
        .iter()
        .any(|n| memchr::memmem::find(text.as_bytes(), n.as_bytes()).is_some())
    {
        return Vec::new();
    }
    let mut v = Csp {
        text,
        found: Vec::new(),
        tried: 0,
    };
    v.visit_program(program);
    v.found.sort_by_key(|(at, _)| *at);
    v.found
        .into_iter()
        .map(|(at, message)| lines.warning(at, message))
        .collect()
}

struct Csp<'t> {
    text: &'t str,
    found: Vec<(u32, String)>,
    /// How many `try` blocks with a `catch` the walk is inside: code there that CSP stops
    /// goes to the catch (a feature test, as AngularJS's check for a CSP is), not to the page.
    tried: usize,
}

/// `name` itself, or `window.name` / `self.name` / `globalThis.name`.
fn global_name<'b>(e: &'b Expression<'_>) -> Option<&'b str> {
    match e.get_inner_expression() {
        Expression::Identifier(id) => Some(id.name.as_str()),
        Expression::StaticMemberExpression(m) if on_global(m) => Some(m.property.name.as_str()),
        _ => None,
    }
}

fn on_global(m: &StaticMemberExpression<'_>) -> bool {
    matches!(m.object.get_inner_expression(), Expression::Identifier(o)
        if matches!(o.name.as_str(), "window" | "self" | "globalThis"))
}

/// Whether `e` is a string built in the source: a literal, a template, or a concatenation with one.
fn is_string(e: &Expression<'_>) -> bool {
    match e.get_inner_expression() {
        Expression::StringLiteral(_) | Expression::TemplateLiteral(_) => true,
        Expression::BinaryExpression(b)
            if b.operator == oxc_syntax::operator::BinaryOperator::Addition =>
        {
            is_string(&b.left) || is_string(&b.right)
        }
        _ => false,
    }
}

fn first<'b, 'a>(args: &'b [Argument<'a>]) -> Option<&'b Expression<'a>> {
    args.first().and_then(Argument::as_expression)
}

impl Csp<'_> {
    fn code_from_strings(&mut self, at: u32, what: &str) {
        let message = if self.tried > 0 {
            format!("{what} runs code built from a string inside a try, which Forge's content security policy blocks (no 'unsafe-eval'): on Forge its catch runs instead; a feature test (a library checking for a CSP) needs nothing more, else rewrite it as a function")
        } else {
            format!("{what} runs code built from a string, which Forge's content security policy blocks (no 'unsafe-eval'): it throws on Forge; rewrite it as a function")
        };
        self.found.push((at, message));
    }

    fn source(&self, e: &Expression<'_>) -> &str {
        let s = e.span();
        self.text
            .get(s.start as usize..s.end as usize)
            .unwrap_or("")
    }
}

impl<'a> Visit<'a> for Csp<'_> {
    fn visit_try_statement(&mut self, it: &TryStatement<'a>) {
        let caught = it.handler.is_some();
        self.tried += usize::from(caught);
        self.visit_block_statement(&it.block);
        self.tried -= usize::from(caught);
        if let Some(handler) = &it.handler {
            self.visit_catch_clause(handler);
        }
        if let Some(finalizer) = &it.finalizer {
            self.visit_block_statement(finalizer);
        }
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let at = it.callee.span().start;
        match global_name(&it.callee) {
            Some("eval") => self.code_from_strings(at, "eval(…)"),
            Some("Function") => self.code_from_strings(at, "Function(…)"),
            Some(timer @ ("setTimeout" | "setInterval"))
                if first(&it.arguments).is_some_and(is_string) =>
            {
                self.code_from_strings(at, &format!("{timer} with a string (a string timer)"));
            }
            _ => {}
        }
        if let Expression::StaticMemberExpression(m) = it.callee.get_inner_expression() {
            let on_document = match m.object.get_inner_expression() {
                Expression::Identifier(d) => d.name == "document",
                Expression::StaticMemberExpression(d) => {
                    d.property.name == "document" && on_global(d)
                }
                _ => false,
            };
            if on_document && matches!(m.property.name.as_str(), "write" | "writeln") {
                let written = first(&it.arguments)
                    .map(|a| self.source(a).to_ascii_lowercase())
                    .unwrap_or_default();
                if written.contains("all.js") || written.contains("all-debug.js") {
                    self.found.push((at, "document.write of Atlassian's all.js: Forge's content security policy blocks scripts written into the page, and the compatibility layer provides AP already; remove it".to_string()));
                } else if written.contains("<script") {
                    self.found.push((at, "document.write of a <script>: Forge's content security policy blocks scripts written into the page; load the script from index.html or import it".to_string()));
                }
            }
        }
        walk::walk_call_expression(self, it);
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if global_name(&it.callee) == Some("Function") {
            self.code_from_strings(it.span.start, "new Function(…)");
        }
        walk::walk_new_expression(self, it);
    }
}
