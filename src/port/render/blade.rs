//! Blade (Laravel), for `.blade.php` views: `@extends('layouts.app')` (the view's `@section`s
//! fill the layout's `@yield`s and `@section … @show`s, `@parent` puts the layout's own in;
//! layouts may extend layouts), `@include('partials.x')`, `@push('s') … @endpush` gathered at
//! `@stack('s')`, comments (`{{-- … --}}`) and `@php … @endphp` taken out, and the static-URL
//! helpers evaluated: `{{ asset('js/x.js') }}`, `{{ secure_asset(…) }}`, `{{ mix(…) }}` and
//! `{{ url(…) }}` with a literal argument are `/js/x.js`. A view name `a.b` is
//! `resources/views/a/b.blade.php`. Other echoes (`{{ $x }}`, `{!! $x !!}`) are expressions;
//! the bodies of `@if`, `@foreach` and the other control directives are marked conditional.

use std::collections::HashMap;
use std::ops::Range;

use super::{find, quoted, Cx, Engine, Framework, Rendered};

/// The Blade renderer.
pub struct Blade;

impl Engine for Blade {
    fn name(&self) -> &'static str {
        "blade"
    }

    fn claims(&self, file: &str, _framework: Framework, _text: &str) -> bool {
        file.to_ascii_lowercase().ends_with(".blade.php")
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let mut sections = Sections::new();
        render_file(cx, file, &mut sections, out);
    }
}

/// Section or stack name → its bodies (file, range), the most derived view's first.
type Sections = HashMap<String, Vec<(String, Range<usize>)>>;

/// Directives whose body runs under a condition or in a loop.
const CONTROL: &[&str] = &[
    "if",
    "unless",
    "isset",
    "empty",
    "auth",
    "guest",
    "env",
    "production",
    "can",
    "cannot",
    "foreach",
    "forelse",
    "for",
    "while",
    "switch",
    "hasSection",
    "sectionMissing",
    "once",
];

/// One directive (`@name(args)`), echo (`{{ }}`, `{!! !!}`) or comment (`{{-- --}}`).
enum Tok<'a> {
    Directive {
        name: &'a str,
        args: &'a str,
        span: Range<usize>,
    },
    Echo {
        inner: &'a str,
        span: Range<usize>,
    },
    Comment(Range<usize>),
}

/// The next token at or after `from`.
fn next_tok(text: &str, from: usize) -> Option<Tok<'_>> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if text[i..].starts_with("{{--") => {
                let end = find(text, i + 4, "--}}").map_or(text.len(), |e| e + 4);
                return Some(Tok::Comment(i..end));
            }
            b'{' if text[i..].starts_with("{{") || text[i..].starts_with("{!!") => {
                let (open, close) = if bytes.get(i + 1) == Some(&b'!') {
                    (3, "!!}")
                } else {
                    (2, "}}")
                };
                // `@{{ x }}` is Blade's literal `{{ x }}`.
                if i > 0 && bytes[i - 1] == b'@' {
                    i += open;
                    continue;
                }
                let end = find(text, i + open, close)?;
                return Some(Tok::Echo {
                    inner: text.get(i + open..end).unwrap_or("").trim(),
                    span: i..end + close.len(),
                });
            }
            b'@' if i == 0 || !bytes[i - 1].is_ascii_alphanumeric() => {
                let rest = &text[i + 1..];
                let len = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                let name = &rest[..len];
                if name.is_empty() || !is_directive(name) {
                    // `@@x` is a literal `@x`.
                    i += 1 + len.max(usize::from(rest.starts_with('@')));
                    continue;
                }
                let mut end = i + 1 + len;
                let after = text[end..].trim_start_matches([' ', '\t']);
                let mut args = "";
                if after.starts_with('(') {
                    let open = text.len() - after.len();
                    if let Some(close) = balanced_paren(text, open) {
                        args = text.get(open + 1..close).unwrap_or("");
                        end = close + 1;
                    }
                }
                return Some(Tok::Directive {
                    name,
                    args,
                    span: i..end,
                });
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_directive(name: &str) -> bool {
    const KNOWN: &[&str] = &[
        "extends",
        "section",
        "endsection",
        "stop",
        "show",
        "overwrite",
        "append",
        "yield",
        "parent",
        "include",
        "includeIf",
        "includeWhen",
        "includeFirst",
        "push",
        "endpush",
        "prepend",
        "endprepend",
        "stack",
        "php",
        "endphp",
        "else",
        "elseif",
        "csrf",
        "method",
        "json",
        "verbatim",
        "endverbatim",
        "vite",
    ];
    KNOWN.contains(&name)
        || CONTROL.contains(&name)
        || name
            .strip_prefix("end")
            .is_some_and(|n| CONTROL.iter().any(|c| c.eq_ignore_ascii_case(n)))
}

/// The offset of the `)` closing the `(` at `open`, skipping quoted strings.
fn balanced_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &b) in text.as_bytes().iter().enumerate().skip(open) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The first quoted argument of a directive (`'layouts.app'`).
fn first_arg(args: &str) -> Option<&str> {
    quoted(args).map(|(v, _)| v)
}

/// `a.b` → `resources/views/a/b.blade.php` (or `.php`), under the views root of `from`.
fn view_file(cx: &Cx<'_>, from: &str, name: &str) -> Option<String> {
    let root = from
        .find("resources/views/")
        .map_or("resources/views/".to_string(), |i| {
            from.get(..i + 16).unwrap_or("").to_string()
        });
    let path = name.replace('.', "/");
    cx.find(&[
        format!("{root}{path}.blade.php"),
        format!("{root}{path}.php"),
    ])
}

/// The directives that close a `@section`, `@push` or `@prepend`.
fn ends_of(name: &str) -> &'static [&'static str] {
    match name {
        "section" => &["endsection", "stop", "show", "overwrite", "append"],
        "push" => &["endpush"],
        _ => &["endprepend"],
    }
}

/// Where the body of the block directive ending at `from` ends: the start and end of the first
/// of `ends` at its depth.
fn block_end(text: &str, from: usize, open: &str, ends: &[&str]) -> Option<Range<usize>> {
    let mut depth = 0usize;
    let mut i = from;
    while let Some(t) = next_tok(text, i) {
        match t {
            Tok::Directive { name, args, span } => {
                i = span.end;
                // An inline `@section('x', 'value')` opens nothing.
                if name == open && !(open == "section" && args.contains(',')) {
                    depth += 1;
                } else if ends.contains(&name) {
                    if depth == 0 {
                        return Some(span);
                    }
                    depth -= 1;
                }
            }
            Tok::Echo { span, .. } | Tok::Comment(span) => i = span.end,
        }
    }
    None
}

fn render_file(cx: &mut Cx<'_>, file: &str, sections: &mut Sections, out: &mut Rendered) {
    let text = cx.tree.get(file).unwrap_or("");
    let mut i = 0;
    let mut extends: Option<(&str, usize)> = None;
    // Gather this view's sections and pushes; note its @extends.
    while let Some(t) = next_tok(text, i) {
        match t {
            Tok::Directive { name, args, span } => {
                i = span.end;
                match name {
                    "extends" => extends = first_arg(args).map(|n| (n, span.start)),
                    "section" | "push" | "prepend" if !args.contains(',') => {
                        let ends = ends_of(name);
                        if let (Some(n), Some(end)) =
                            (first_arg(args), block_end(text, span.end, name, ends))
                        {
                            let key = if name == "section" {
                                n.to_string()
                            } else {
                                format!("stack:{n}")
                            };
                            if extends.is_some() || name != "section" {
                                sections
                                    .entry(key)
                                    .or_default()
                                    .push((file.to_string(), span.end..end.start));
                            }
                            i = end.end;
                        }
                    }
                    _ => {}
                }
            }
            Tok::Echo { span, .. } | Tok::Comment(span) => i = span.end,
        }
    }
    let Some((name, at)) = extends else {
        scan(cx, file, text, 0..text.len(), sections, &[], out);
        return;
    };
    match view_file(cx, file, name) {
        Some(parent) if cx.may_include() => {
            if out.layout.is_none() || cx.depth == 0 {
                out.layout = Some(parent.clone());
            }
            cx.depth += 1;
            render_file(cx, &parent, sections, out);
            cx.depth -= 1;
        }
        _ => {
            out.warn_at(
                file,
                text,
                at,
                format!(
                    "@extends('{name}') names a layout that is not in the source tree: the page is carried without it, and the scripts and stylesheets of that layout are missing"
                ),
            );
            // The view's own sections and pushes, in order, as the page.
            let mut i = 0;
            while let Some(t) = next_tok(text, i) {
                match t {
                    Tok::Directive { name, args, span }
                        if matches!(name, "section" | "push" | "prepend")
                            && !args.contains(',') =>
                    {
                        i = span.end;
                        let ends = ends_of(name);
                        if let Some(end) = block_end(text, span.end, name, ends) {
                            scan(cx, file, text, span.end..end.start, sections, &[], out);
                            i = end.end;
                        }
                    }
                    Tok::Directive { span, .. } | Tok::Echo { span, .. } | Tok::Comment(span) => {
                        i = span.end
                    }
                }
            }
        }
    }
}

/// Renders `range` of `text`; `parents` is what `@parent` stands for here.
fn scan(
    cx: &mut Cx<'_>,
    file: &str,
    text: &str,
    range: Range<usize>,
    sections: &Sections,
    parents: &[(String, Range<usize>)],
    out: &mut Rendered,
) {
    let mut i = range.start;
    let mut copied = range.start;
    let mut open: Vec<usize> = Vec::new();
    while let Some(t) = next_tok(text, i) {
        let span = match &t {
            Tok::Directive { span, .. } | Tok::Echo { span, .. } | Tok::Comment(span) => {
                span.clone()
            }
        };
        if span.end > range.end {
            break;
        }
        out.copy(file, text, copied..span.start);
        copied = span.end;
        i = span.end;
        match t {
            Tok::Comment(_) => {}
            Tok::Echo { inner, span } => match static_url(inner) {
                Some(url) => out.generate(file, text, span.start, &url),
                None => out.expression(file, text, span),
            },
            Tok::Directive { name, args, span } => match name {
                "extends" => {}
                "yield" => {
                    let n = first_arg(args).unwrap_or("");
                    if let Some(chain) = sections.get(n) {
                        put(cx, chain, sections, out);
                    } else if let Some((_, rest)) = quoted(args) {
                        // `@yield('title', 'Default')`: the default, as written.
                        if let Some((default, _)) =
                            rest.trim_start().strip_prefix(',').and_then(quoted)
                        {
                            out.generate(file, text, span.start, default);
                        }
                    }
                }
                "section" if args.contains(',') => {}
                "section" | "push" | "prepend" => {
                    let ends = ends_of(name);
                    let Some(end) = block_end(text, span.end, name, ends) else {
                        continue;
                    };
                    i = end.end;
                    copied = end.end;
                    let shown = text
                        .get(end.clone())
                        .is_some_and(|e| e.starts_with("@show"));
                    // A layout's `@section … @show` is shown in place: the view's own section
                    // if it has one (its `@parent` being this), else this body.
                    if name == "section" && shown {
                        let n = first_arg(args).unwrap_or("");
                        let own = (file.to_string(), span.end..end.start);
                        let mut chain = sections.get(n).cloned().unwrap_or_default();
                        chain.push(own);
                        put(cx, &chain, sections, out);
                    }
                }
                "parent" => {
                    if let Some(((pf, pr), rest)) = parents.split_first() {
                        let ptext = cx.tree.get(pf).unwrap_or("");
                        scan(cx, pf, ptext, pr.clone(), sections, rest, out);
                    }
                }
                "stack" => {
                    let key = format!("stack:{}", first_arg(args).unwrap_or(""));
                    for body in sections.get(&key).into_iter().flatten() {
                        put(cx, std::slice::from_ref(body), sections, out);
                    }
                }
                "include" | "includeIf" | "includeWhen" | "includeFirst" => {
                    let n = if name == "includeWhen" {
                        args.split_once(',').and_then(|(_, r)| first_arg(r))
                    } else {
                        first_arg(args.trim_start_matches('['))
                    };
                    let target = n.and_then(|n| view_file(cx, file, n));
                    let put_in = cx.include_with(target, out, |cx, t, ttext, out| {
                        scan(cx, t, ttext, 0..ttext.len(), sections, &[], out);
                    });
                    if !put_in && name == "include" {
                        out.warn_at(
                            file,
                            text,
                            span.start,
                            format!(
                                "@include({}) names a view that is not in the source tree (or nests too deep): the scripts and stylesheets it loads are not carried",
                                super::super::page::expr::shorten(args)
                            ),
                        );
                    }
                }
                "php" if args.is_empty() => {
                    if let Some(end) = block_end(text, span.end, "php", &["endphp"]) {
                        i = end.end;
                        copied = end.end;
                    }
                }
                "csrf" | "method" | "json" | "vite" | "php" => out.expression(file, text, span),
                n if CONTROL.contains(&n) => {
                    open.push(out.text.len());
                }
                n if n.starts_with("end") => {
                    if let Some(start) = open.pop() {
                        out.mark_conditional(start);
                    }
                }
                _ => {}
            },
        }
    }
    out.copy(file, text, copied..range.end.max(copied));
    if let Some(&start) = open.first() {
        out.mark_conditional(start);
    }
}

/// Puts in the first body of `chain`, with the rest as its `@parent`.
fn put(cx: &mut Cx<'_>, chain: &[(String, Range<usize>)], sections: &Sections, out: &mut Rendered) {
    if let Some(((f, r), rest)) = chain.split_first() {
        if cx.may_include() {
            cx.depth += 1;
            let t = cx.tree.get(f).unwrap_or("");
            scan(cx, f, t, r.clone(), sections, rest, out);
            cx.depth -= 1;
        }
    }
}

/// `asset('js/x.js')`, `secure_asset(…)`, `mix(…)`, `url(…)` with a literal argument: `/js/x.js`.
fn static_url(inner: &str) -> Option<String> {
    let (_, args) = ["asset(", "secure_asset(", "mix(", "url("]
        .iter()
        .find_map(|f| inner.strip_prefix(f).map(|r| (f, r)))?;
    let args = args.strip_suffix(')')?;
    let (name, tail) = quoted(args)?;
    (tail.trim().is_empty() && !name.contains("://"))
        .then(|| format!("/{}", name.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn extends_sections_yield_show_parent_include_and_stacks() {
        let tree = SourceTree::from_files([
            (
                "resources/views/layouts/app.blade.php",
                "<html><head><title>@yield('title', 'App')</title>@section('head')<script src=\"{{ asset('js/base.js') }}\"></script>@show</head><body>@include('partials.nav')@yield('content')@stack('scripts')</body></html>",
            ),
            ("resources/views/partials/nav.blade.php", "<nav>{{-- menu --}}</nav>"),
            (
                "resources/views/connect/panel.blade.php",
                "@extends('layouts.app')\n@section('title', 'Panel')\n@section('head')\n@parent<link rel=\"stylesheet\" href=\"{{ mix('css/panel.css') }}\">\n@endsection\n@section('content')<p>{{ $issueKey }}</p>@if($x)<script src=\"/js/x.js\"></script>@endif @endsection\n@push('scripts')<script src=\"{{ asset('js/panel.js') }}\"></script>@endpush\n",
            ),
        ]);
        let r = render(
            &tree,
            "resources/views/connect/panel.blade.php",
            Framework::Php,
        );
        assert_eq!(
            r.text,
            "<html><head><title>App</title>\n<script src=\"/js/base.js\"></script><link rel=\"stylesheet\" href=\"/css/panel.css\">\n</head><body><nav></nav><p>{{ $issueKey }}</p><script src=\"/js/x.js\"></script> <script src=\"/js/panel.js\"></script></body></html>"
        );
        assert_eq!(
            r.layout.as_deref(),
            Some("resources/views/layouts/app.blade.php")
        );
        let x = r.text.find("/js/x.js").unwrap();
        assert!(r.is_conditional(x));
        assert!(!r.is_conditional(r.text.find("/js/panel.js").unwrap()));
        assert_eq!(r.expressions.len(), 1);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn a_missing_layout_or_include_is_named_and_emails_are_text() {
        let tree = SourceTree::from_files([(
            "resources/views/v.blade.php",
            "@extends('layouts.gone')\n@section('content')<a href=\"mailto:a@example.com\">@@x</a>@include('nope')@endsection",
        )]);
        let r = render(&tree, "resources/views/v.blade.php", Framework::Php);
        let lines: Vec<_> = r.warnings.iter().map(|w| w.to_line()).collect();
        assert!(
            lines.iter().any(
                |l| l.starts_with("resources/views/v.blade.php:1:1: warning:")
                    && l.contains("@extends('layouts.gone')")
            ),
            "{lines:?}"
        );
        assert!(r.text.contains("mailto:a@example.com"), "{}", r.text);
    }
}
