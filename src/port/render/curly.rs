//! The `{{ }}` scanner Handlebars (express-hbs) and Mustache share: comments out, partials in,
//! blocks marked conditional, everything else left as written. The engines differ in what
//! they add ([`Dialect`]): express-hbs has layouts and ACE's `furl`/`hostScriptUrl` helpers.

use super::{find, folder, templates_root, Cx, Rendered};

/// What an engine adds to plain `{{ }}` templates.
pub(crate) struct Dialect {
    /// Template file extensions, first the one tried for a name without one.
    pub extensions: &'static [&'static str],
    /// ACE's helpers: `{{furl 'x'}}` is `x`, `{{hostScriptUrl}}` is all.js.
    pub ace_helpers: bool,
}

/// The URL `{{hostScriptUrl}}` gives in an ACE app.
pub(crate) const ALL_JS: &str = "https://connect-cdn.atl-paas.net/all.js";

/// A name found in `{{> name}}` or `{{!< name}}` resolved to a template file: beside `from`,
/// in the templates root, in its `partials/` or `layouts/` folder.
pub(crate) fn template_file(cx: &Cx<'_>, from: &str, name: &str, d: &Dialect) -> Option<String> {
    let names: Vec<String> = if d.extensions.iter().any(|e| name.ends_with(e)) {
        vec![name.to_string()]
    } else {
        d.extensions.iter().map(|e| format!("{name}{e}")).collect()
    };
    let mut candidates = Vec::new();
    for base in [
        folder(from).to_string(),
        templates_root(from).to_string(),
        format!("{}partials/", templates_root(from)),
        format!("{}layouts/", templates_root(from)),
    ] {
        for n in &names {
            if let Some(p) = super::join(&base, n) {
                candidates.push(p);
            }
        }
    }
    cx.find(&candidates)
}

/// Renders `chain[0]` (the outermost layout), putting `chain[1]` at its `{{{body}}}`, and so on.
pub(crate) fn render_chain(cx: &mut Cx<'_>, chain: &[String], d: &Dialect, out: &mut Rendered) {
    let Some(file) = chain.first() else {
        return;
    };
    let text = cx.tree.get(file).unwrap_or("");
    scan(cx, file, text, chain.get(1..).unwrap_or(&[]), d, out);
}

/// Renders one template's text; `inner` is what `{{{body}}}` stands for.
pub(crate) fn scan(
    cx: &mut Cx<'_>,
    file: &str,
    text: &str,
    inner: &[String],
    d: &Dialect,
    out: &mut Rendered,
) {
    let mut i = 0;
    let mut copied = 0;
    // Output offsets where each open block started.
    let mut blocks: Vec<usize> = Vec::new();
    while let Some(open) = find(text, i, "{{") {
        if open > 0 && text.as_bytes().get(open - 1) == Some(&b'\\') {
            // `\{{x}}` is literal text.
            out.copy(file, text, copied..open - 1);
            copied = open;
            i = open + 2;
            continue;
        }
        let rest = text.get(open..).unwrap_or("");
        let (close, skip) = if rest.starts_with("{{!--") {
            ("--}}", true)
        } else if rest.starts_with("{{!") {
            ("}}", true)
        } else if rest.starts_with("{{{") {
            ("}}}", false)
        } else {
            ("}}", false)
        };
        let Some(end) = find(text, open + 2, close).map(|e| e + close.len()) else {
            out.warn_at(
                file,
                text,
                open,
                "an unterminated {{ (no }} after it): the template engine would refuse this template; the rest is read as text".into(),
            );
            break;
        };
        out.copy(file, text, copied..open);
        copied = end;
        i = end;
        if skip {
            continue;
        }
        let inner_text = text
            .get(open + 2..end - close.len())
            .unwrap_or("")
            .trim_start_matches('{')
            .trim_matches(|c: char| c == '~' || c.is_whitespace());
        match inner_text.chars().next() {
            Some('#' | '^') => blocks.push(out.text.len()),
            Some('/') => {
                if let Some(start) = blocks.pop() {
                    out.mark_conditional(start);
                }
            }
            Some('>') => {
                let name = inner_text.get(1..).unwrap_or("").trim_start();
                let name = match super::quoted(name) {
                    Some((q, _)) => q,
                    None => name.split_whitespace().next().unwrap_or(""),
                };
                partial(cx, file, text, open, name, d, out);
            }
            _ if inner_text == "else" || inner_text.starts_with("else ") => {}
            _ if inner_text == "body" && close == "}}}" && !inner.is_empty() => {
                render_chain(cx, inner, d, out);
            }
            _ if d.ace_helpers && inner_text == "hostScriptUrl" => {
                out.generate(file, text, open, ALL_JS);
            }
            _ if d.ace_helpers && inner_text.starts_with("furl ") => {
                match super::quoted(inner_text.get(5..).unwrap_or("")) {
                    Some((path, rest)) if rest.trim().is_empty() => {
                        out.generate(file, text, open, path)
                    }
                    _ => out.expression(file, text, open..end),
                }
            }
            _ => out.expression(file, text, open..end),
        }
    }
    out.copy(file, text, copied..text.len());
    // A block never closed: what follows it is still conditional.
    if let Some(&start) = blocks.first() {
        out.mark_conditional(start);
    }
}

fn partial(
    cx: &mut Cx<'_>,
    file: &str,
    text: &str,
    at: usize,
    name: &str,
    d: &Dialect,
    out: &mut Rendered,
) {
    let Some(path) = template_file(cx, file, name, d) else {
        out.warn_at(
            file,
            text,
            at,
            format!(
                "partial {{{{> {}}}}} is not in the source tree: the scripts and stylesheets it loads are not carried",
                super::super::page::expr::shorten(name)
            ),
        );
        return;
    };
    if !cx.may_include() {
        out.warn_at(
            file,
            text,
            at,
            format!(
                "partial {path} nests too deep or is put in too often (a cycle?): not rendered"
            ),
        );
        return;
    }
    cx.depth += 1;
    let ptext = cx.tree.get(&path).unwrap_or("");
    scan(cx, &path, ptext, &[], d, out);
    cx.depth -= 1;
}
