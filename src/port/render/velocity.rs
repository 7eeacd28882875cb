//! Apache Velocity (`.vm`, `.vtl`: atlassian-connect-spring-boot's first template engine, and
//! Spring Boot 1's `spring-boot-starter-velocity`): `#parse("x.vm")` and `#include("x")` with a
//! literal path put in (from the templates root, as Spring's resource loader reads them, else
//! beside the including file); comments (`## …`, `#* … *#`) and directives out; `#[[ … ]]#`
//! copied as written; `#if`/`#foreach`/`#macro` bodies marked conditional; references (`$x`,
//! `$!{x.y}`, `$x.call(…)`) left as written and listed. A `$` not followed by a name (jQuery's
//! `$(…)`, `$.ajax`) and a `#` that starts no directive (`#fff`, `'#id'`) are text, as in
//! Velocity itself.

use super::{find, folder, templates_root, Cx, Engine, Framework, Rendered};

/// The Velocity renderer.
pub struct Velocity;

impl Engine for Velocity {
    fn name(&self) -> &'static str {
        "velocity"
    }

    fn claims(&self, file: &str, _framework: Framework, _text: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        lower.ends_with(".vm") || lower.ends_with(".vtl")
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let text = cx.tree.get(file).unwrap_or("");
        scan(cx, file, text, out);
    }
}

/// Directives whose body runs to a matching `#end`.
const BLOCKS: &[&str] = &["if", "foreach", "macro", "define"];
/// Directives with no body.
const SINGLE: &[&str] = &[
    "elseif", "else", "end", "set", "parse", "include", "break", "stop", "evaluate",
];

/// The end of the balanced `( … )` starting at `open` (quotes skipped), if closed.
fn arguments_end(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut quote) = (0usize, None::<u8>);
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            (None, b'\n') if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// The directive at `at` (a `#`): its name and where it ends (past its arguments), if it is one.
fn directive(text: &str, at: usize) -> Option<(&str, usize)> {
    let rest = text.get(at + 1..)?;
    let braced = rest.starts_with('{');
    let name_start = at + 1 + usize::from(braced);
    let name_len = text
        .get(name_start..)?
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let name = text.get(name_start..name_start + name_len)?;
    if !BLOCKS.contains(&name) && !SINGLE.contains(&name) {
        return None;
    }
    let mut end = name_start + name_len;
    if braced {
        end = (text.as_bytes().get(end) == Some(&b'}')).then_some(end + 1)?;
    }
    let after = text.get(end..)?;
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    if after.get(spaces..)?.starts_with('(') {
        end = arguments_end(text, end + spaces)?;
    } else if !matches!(name, "else" | "end" | "break" | "stop") {
        return None;
    }
    Some((name, end))
}

/// The end of the reference at `at` (a `$`): `$name`, `$!name`, `${name}`, `$!{name}`, with
/// `.member`, `.call(…)` and `[index]` after a bare name. `None` if no name follows.
fn reference_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    if bytes.get(i) == Some(&b'!') {
        i += 1;
    }
    if bytes.get(i) == Some(&b'{') {
        let close = find(text, i, "}")?;
        let name = text.get(i + 1..close)?;
        return name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
            .then_some(close + 1);
    }
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let word = |i: usize| {
        i + bytes
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            .count()
    };
    i = word(i);
    loop {
        match bytes.get(i) {
            Some(b'.') if bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                i = word(i + 1);
            }
            Some(b'(') => match arguments_end(text, i) {
                Some(e) => i = e,
                None => return Some(i),
            },
            Some(b'[') => match find(text, i, "]") {
                Some(e) => i = e + 1,
                None => return Some(i),
            },
            _ => return Some(i),
        }
    }
}

fn include(cx: &mut Cx<'_>, file: &str, text: &str, at: usize, args: &str, out: &mut Rendered) {
    let literal = super::quoted(args.trim_start_matches('('))
        .map(|(p, _)| p)
        .filter(|p| !p.contains('$'));
    let target = literal.and_then(|p| {
        let p = p.trim_start_matches('/');
        cx.find(&[
            format!("{}{p}", templates_root(file)),
            format!("{}{p}", folder(file)),
        ])
    });
    if !cx.include_with(target, out, scan) {
        out.warn_at(
            file,
            text,
            at,
            format!(
                "included template {} is not in the source tree (or is not a literal path, or nests too deep): the scripts and stylesheets it loads are not carried",
                super::super::page::expr::shorten(args)
            ),
        );
    }
}

fn scan(cx: &mut Cx<'_>, file: &str, text: &str, out: &mut Rendered) {
    let bytes = text.as_bytes();
    let (mut i, mut copied) = (0, 0);
    let mut open: Vec<usize> = Vec::new();
    while let Some(at) = memchr::memchr2(b'#', b'$', bytes.get(i..).unwrap_or(&[])).map(|k| k + i) {
        let rest = text.get(at..).unwrap_or("");
        if rest.starts_with("##") {
            out.copy(file, text, copied..at);
            copied = find(text, at, "\n").unwrap_or(text.len());
            i = copied;
        } else if rest.starts_with("#*") {
            out.copy(file, text, copied..at);
            copied = find(text, at + 2, "*#").map_or(text.len(), |e| e + 2);
            i = copied;
        } else if rest.starts_with("#[[") {
            out.copy(file, text, copied..at);
            let end = find(text, at + 3, "]]#");
            out.copy(file, text, at + 3..end.unwrap_or(text.len()));
            copied = end.map_or(text.len(), |e| e + 3);
            i = copied;
        } else if let Some((name, end)) = (bytes.get(at) == Some(&b'#'))
            .then(|| directive(text, at))
            .flatten()
        {
            out.copy(file, text, copied..at);
            copied = end;
            i = end;
            let args = text.get(at + 1 + name.len()..end).unwrap_or("");
            let args = args.trim_start_matches('}').trim();
            match name {
                "parse" | "include" => include(cx, file, text, at, args, out),
                n if BLOCKS.contains(&n) => open.push(out.text.len()),
                "end" => {
                    if let Some(start) = open.pop() {
                        out.mark_conditional(start);
                    }
                }
                _ => {}
            }
        } else if let Some(end) = (bytes.get(at) == Some(&b'$'))
            .then(|| reference_end(text, at))
            .flatten()
        {
            out.copy(file, text, copied..at);
            out.expression(file, text, at..end);
            copied = end;
            i = end;
        } else {
            i = at + 1;
        }
    }
    out.copy(file, text, copied..text.len().max(copied));
    if let Some(&start) = open.first() {
        out.mark_conditional(start);
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn parse_comments_directives_and_references() {
        let t = "src/main/resources/templates/";
        let page = concat!(
            "## a comment\n",
            "#parse(\"common/head.vm\")\n",
            "<p style=\"color:#fff\">$!{user.name}</p>#* block\ncomment *#\n",
            "#foreach($p in $projects)<li>$p.key</li>#end\n",
            "<script>$(function () { $.get('/x'); $('#if').hide(); });</script>\n",
            "#[[ $raw ]]#",
        );
        let tree = SourceTree::from_files([
            (format!("{t}page.vm"), page.to_string()),
            (
                format!("{t}common/head.vm"),
                "<script src=\"/js/app.js\"></script>".to_string(),
            ),
        ]);
        let r = render(&tree, &format!("{t}page.vm"), Framework::Spring);
        assert_eq!(r.engine, "velocity");
        assert_eq!(
            r.text,
            concat!(
                "\n<script src=\"/js/app.js\"></script>\n",
                "<p style=\"color:#fff\">$!{user.name}</p>\n",
                "<li>$p.key</li>\n",
                "<script>$(function () { $.get('/x'); $('#if').hide(); });</script>\n",
                " $raw ",
            )
        );
        // `$!{user.name}` and `$p.key`: the loop's `$p in $projects` went with its directive.
        assert_eq!(r.expressions.len(), 2);
        assert!(r.is_conditional(r.text.find("<li>").unwrap()));
        assert!(!r.is_conditional(r.text.find("<p ").unwrap()));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn a_missing_or_computed_include_is_a_warning() {
        let tree = SourceTree::from_files([(
            "templates/p.vm",
            "#parse(\"gone.vm\")#include($name)<p></p>",
        )]);
        let r = render(&tree, "templates/p.vm", Framework::Spring);
        assert_eq!(r.text, "<p></p>");
        assert_eq!(r.warnings.len(), 2);
        assert!(r.warnings[0].message.contains("gone.vm"));
    }
}
