//! The rendered page's tokens sorted into a [`Page`]: scripts, stylesheets, inline handlers,
//! `<html>`/`<body>` attributes, and the body's HTML with those taken out.
//!
//! Follows the browser: content of `<template>` (and of `<svg>`/`<math>`) is kept as it is and
//! never carried; `nomodule` scripts and scripts whose `type` is not JavaScript never run, so
//! they are not carried; what the tokenizer reads as text (`<textarea>`, `<xmp>`, `<noscript>`,
//! `<title>`, `<iframe>`) stays text. The body's HTML is made safe to put scripts after: taking
//! a script out never joins the text around it into a new tag (a `<` left before the cut is
//! written `&lt;`), and what is left open at its end (a comment, a raw-text element, a
//! `<template>`, `<svg>`, a half-written tag) is closed or dropped, with a warning.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::html::{is_javascript_type, tokenize, Attr, Ending, Tok};
use super::libs::{cdn_library, is_all_js, npm_release, strip_template, Url, KNOWN_LIBRARIES};
use super::resolve::{Resolution, Resolver};
use super::{expr, Asset, Handler, HandlerTarget, Location, Page, Script, Stylesheet};
use crate::port::render::Rendered;

/// Elements that may stay in `<head>`; any other start tag ends it, as in a browser.
const HEAD_ELEMENTS: &[&str] = &[
    "title", "meta", "link", "script", "style", "base", "noscript", "template",
];

/// Most template-expression warnings per script; the rest are counted in one more.
const MAX_EXPRESSION_WARNINGS: usize = 10;

/// `<body>` handlers that stand for the window's events.
const WINDOW_EVENTS: &[&str] = &[
    "afterprint",
    "beforeprint",
    "beforeunload",
    "blur",
    "error",
    "focus",
    "hashchange",
    "languagechange",
    "load",
    "message",
    "messageerror",
    "offline",
    "online",
    "pagehide",
    "pageshow",
    "popstate",
    "rejectionhandled",
    "resize",
    "scroll",
    "storage",
    "unhandledrejection",
    "unload",
];

/// Attributes of an external `<script>`/`<link>` that keep it as safe as it was.
const KEPT_ATTRIBUTES: &[&str] = &["integrity", "crossorigin", "referrerpolicy", "media"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Before `<head>`/`<body>`: content counts as body (a view fragment has neither).
    Start,
    Head,
    Body,
}

/// A piece of the body's HTML.
enum Piece {
    /// A range of the rendered text, kept as it is.
    Keep(Range<usize>),
    /// Text the tool writes (an attribute it adds), with the rendered offset it stands for.
    Own(String, usize),
}

struct Splitter<'a, 't> {
    r: &'a Rendered,
    resolver: Resolver<'t>,
    page: Page,
    pieces: Vec<Piece>,
    next_handler: u32,
    javascript_url: Option<usize>,
    base_at: Option<Location>,
}

pub(super) fn split(r: &Rendered, resolver: Resolver<'_>, file: &str) -> Page {
    let (toks, ending) = tokenize(&r.text);
    let mut s = Splitter {
        r,
        resolver,
        page: Page {
            file: file.to_string(),
            engine: r.engine.to_string(),
            layout: r.layout.clone(),
            warnings: r.warnings.clone(),
            ..Page::default()
        },
        pieces: Vec::new(),
        next_handler: 1,
        javascript_url: None,
        base_at: None,
    };
    s.find_base(&toks);
    s.walk(&toks, &ending);
    s.finish();
    s.page.base = s.resolver.base.clone();
    s.page
}

fn get<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a Attr> {
    attrs.iter().find(|a| a.name == name)
}

impl Splitter<'_, '_> {
    fn at(&self, offset: usize) -> Location {
        self.r.location(offset)
    }

    /// Keeps `span` of the rendered text in the body (not what is in `<head>`).
    fn keep(&mut self, mode: Mode, span: Range<usize>) {
        if mode != Mode::Head && span.end > span.start {
            self.pieces.push(Piece::Keep(span));
        }
    }

    /// The first `<base href>` outside `<template>` is the document's base URL; an absolute
    /// `<meta name="ap-local-base-url">` (ACE's layouts carry it) is one of the app's own
    /// addresses.
    fn find_base(&mut self, toks: &[Tok]) {
        let mut templates = 0usize;
        for t in toks {
            match t {
                Tok::Start { name, .. } if name == "template" => templates += 1,
                Tok::End { name, .. } if name == "template" => {
                    templates = templates.saturating_sub(1)
                }
                Tok::Start { name, attrs, span }
                    if name == "base" && templates == 0 && self.base_at.is_none() =>
                {
                    if let Some(href) = get(attrs, "href") {
                        self.resolver.set_base(&href.value);
                        self.base_at = Some(self.at(span.start));
                    }
                }
                Tok::Start { name, attrs, .. } if name == "meta" && templates == 0 => {
                    let own = get(attrs, "name")
                        .is_some_and(|n| n.value.eq_ignore_ascii_case("ap-local-base-url"));
                    if let Some(content) = get(attrs, "content").filter(|_| own) {
                        if let Url::Absolute(u) = strip_template(&content.value) {
                            self.resolver.own.push(u);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// An absolute URL below the app's own address whose file the tree has is that file's
    /// local URL path; any other URL is itself.
    fn own_local(&self, url: Url) -> Url {
        if let Url::Absolute(u) = &url {
            if let Some(path) = self.resolver.own_path(u) {
                if matches!(self.resolver.resolve(&path), Resolution::Found(_)) {
                    return Url::Local(path);
                }
            }
        }
        url
    }

    fn walk(&mut self, toks: &[Tok], ending: &Ending) {
        let mut mode = Mode::Start;
        let mut templates = 0usize;
        let mut foreign = 0usize;
        let mut i = 0;
        while let Some(tok) = toks.get(i) {
            i += 1;
            match tok {
                Tok::Doctype(_) => {}
                Tok::Comment(span) => self.keep(mode, span.clone()),
                Tok::Text(span) => {
                    let blank = self
                        .r
                        .text
                        .get(span.clone())
                        .is_none_or(|t| t.chars().all(super::html::is_html_space));
                    if mode == Mode::Head && !blank {
                        mode = Mode::Body;
                    }
                    self.keep(mode, span.clone());
                }
                Tok::End { name, span } => match name.as_str() {
                    "head" => mode = Mode::Body,
                    "body" | "html" => {}
                    // A stray end tag a browser ignores.
                    "script" | "style" if templates == 0 && foreign == 0 => {}
                    _ => {
                        if name == "template" && foreign == 0 {
                            templates = templates.saturating_sub(1);
                        } else if name == "svg" || name == "math" {
                            foreign = foreign.saturating_sub(1);
                        }
                        self.keep(mode, span.clone());
                    }
                },
                Tok::Start { name, attrs, span } => {
                    if name == "template" && mode == Mode::Head && templates == 0 && foreign == 0 {
                        i = self.head_template(toks, i, span.start);
                        continue;
                    }
                    if templates > 0 || foreign > 0 {
                        if name == "template" && foreign == 0 {
                            templates += 1;
                        } else if name == "svg" || name == "math" {
                            foreign += 1;
                        } else if name == "script" && templates > 0 {
                            self.page.dropped.push(self.at(span.start).warning(
                                "a script inside <template> never runs by itself: kept in the HTML as it is, not carried",
                            ));
                        } else if templates > 0 && foreign == 0 && mode != Mode::Head {
                            // A template's images show once a script clones it into the page:
                            // carried, and pointed at like the page's own.
                            let edits = self.asset_edits(name, attrs);
                            self.apply_edits(span, edits);
                            continue;
                        }
                        self.keep(mode, span.clone());
                        continue;
                    }
                    match name.as_str() {
                        "html" => {
                            self.attributes(attrs, true);
                            continue;
                        }
                        "head" => {
                            mode = Mode::Head;
                            continue;
                        }
                        "body" => {
                            mode = Mode::Body;
                            self.attributes(attrs, false);
                            continue;
                        }
                        _ => {}
                    }
                    if mode == Mode::Head && !HEAD_ELEMENTS.contains(&name.as_str()) {
                        mode = Mode::Body;
                    }
                    match name.as_str() {
                        "script" => {
                            let (content, next) = raw_content(toks, i);
                            i = next;
                            self.script(mode, attrs, span, content);
                        }
                        "style" => {
                            let (content, next) = raw_content(toks, i);
                            i = next;
                            if let Some(c) = content {
                                let text = self.r.text.get(c.clone()).unwrap_or("").to_string();
                                if !text.trim().is_empty() {
                                    let at = self.at(c.start);
                                    self.page.stylesheets.push(Stylesheet::Inline { text, at });
                                }
                            }
                        }
                        "link"
                            if get(attrs, "rel").is_some_and(|r| {
                                r.value
                                    .to_ascii_lowercase()
                                    .split_whitespace()
                                    .any(|w| w == "stylesheet")
                            }) =>
                        {
                            self.stylesheet(attrs, span);
                        }
                        "link" if mode == Mode::Head && is_icon_link(attrs) => {
                            self.head_icon(attrs, span);
                        }
                        "base" => {
                            if let Some(at) = self.base_at.take() {
                                self.page.warnings.push(at.warning(
                                    "<base href> is honoured when the page's scripts and stylesheets are resolved, and left out of index.html (the carried files are relative to it); URLs the page's code builds at run time no longer resolve against it",
                                ));
                            }
                        }
                        "title" | "textarea" | "xmp" | "iframe" | "noembed" | "noframes"
                        | "noscript" | "plaintext" => {
                            // Raw text: kept (or left in <head>) with its content, whole.
                            if name == "iframe" {
                                self.nested_page(attrs);
                            }
                            let (content, next) = raw_content(toks, i);
                            i = next;
                            let end = match toks.get(next.wrapping_sub(1)) {
                                Some(Tok::End { span: e, .. }) if next > 0 => e.end,
                                _ => content.map_or(span.end, |c| c.end),
                            };
                            self.keep(mode, span.start..end);
                        }
                        _ => {
                            if name == "template" {
                                templates += 1;
                            } else if name == "svg" || name == "math" {
                                foreign += 1;
                            }
                            if mode == Mode::Head {
                            } else {
                                self.element(name, attrs, span);
                            }
                        }
                    }
                }
            }
        }
        if let Some(raw) = &ending.open_raw {
            // Where the unclosed element starts: its last start tag.
            let start = toks.iter().rev().find_map(|t| match t {
                Tok::Start { name, span, .. } if name == raw => Some(span.start),
                _ => None,
            });
            if let Some(start) = start {
                self.page.warnings.push(self.at(start).warning(format!(
                    "<{raw}> is never closed: a browser reads everything after it as its text, so no script or stylesheet after it is loaded (nor carried)"
                )));
            }
        }
        if ending.open_comment {
            if let Some(Tok::Comment(span)) =
                toks.iter().rev().find(|t| matches!(t, Tok::Comment(_)))
            {
                self.page.warnings.push(self.at(span.start).warning(
                    "this comment is never closed (no -->): a browser hides everything after it, so no script or stylesheet after it is loaded (nor carried)",
                ));
            }
        }
    }

    /// A `<template>` in `<head>` (its start tag just before `toks[i]`): kept whole, at the start
    /// of the body (inert anywhere, and still found by id), with everything up to its end tag,
    /// which a browser reads as the template's content, `</head>` and `<body>` included. Gives
    /// the index of the token after it.
    fn head_template(&mut self, toks: &[Tok], i: usize, start: usize) -> usize {
        let (mut depth, mut foreign) = (1usize, 0usize);
        let mut j = i;
        let mut end = self.r.text.len();
        while let Some(t) = toks.get(j) {
            j += 1;
            match t {
                Tok::Start { name, span, .. } => match name.as_str() {
                    "template" if foreign == 0 => depth += 1,
                    "svg" | "math" => foreign += 1,
                    "script" if foreign == 0 => self.page.dropped.push(self.at(span.start).warning(
                        "a script inside <template> never runs by itself: kept in the HTML as it is, not carried",
                    )),
                    _ => {}
                },
                Tok::End { name, span } => match name.as_str() {
                    "template" if foreign == 0 => {
                        depth -= 1;
                        if depth == 0 {
                            end = span.end;
                            break;
                        }
                    }
                    "svg" | "math" => foreign = foreign.saturating_sub(1),
                    _ => {}
                },
                _ => {}
            }
        }
        if depth > 0 {
            self.page.warnings.push(self.at(start).warning(
                "<template> is never closed: a browser reads everything after it as the template's inert content, so nothing after it is shown or run (nor carried)",
            ));
        }
        self.pieces.push(Piece::Keep(start..end));
        j
    }

    /// `<html>`/`<body>` attributes: kept for index.html, handlers carried.
    fn attributes(&mut self, attrs: &[Attr], html: bool) {
        for a in attrs {
            if is_handler(&a.name) {
                let event = a.name.get(2..).unwrap_or("").to_string();
                let target = if html {
                    HandlerTarget::Html
                } else if WINDOW_EVENTS.contains(&event.as_str()) {
                    HandlerTarget::Window
                } else {
                    HandlerTarget::Body
                };
                self.handler(target, event, a);
                continue;
            }
            let list = if html {
                &mut self.page.html_attrs
            } else {
                &mut self.page.body_attrs
            };
            // A second <html>/<body> tag adds what the first lacked, as a browser does.
            if !list.iter().any(|(n, _)| *n == a.name) {
                list.push((a.name.clone(), a.value.clone()));
            }
        }
    }

    fn handler(&mut self, target: HandlerTarget, event: String, a: &Attr) {
        // The code's place: where the value starts (the attribute's, for an empty one).
        let at = self.at(a.value_span.as_ref().map_or(a.span.start, |v| v.start));
        self.page.handlers.push(Handler {
            target,
            event,
            code: a.value.clone(),
            at,
        });
    }

    /// An element of the body: kept, its inline handlers carried and replaced by a marker, the
    /// URLs of the local assets it shows pointed at their carried copies.
    fn element(&mut self, name: &str, attrs: &[Attr], span: &Range<usize>) {
        for a in attrs {
            let v = a.value.trim_start().to_ascii_lowercase();
            if matches!(a.name.as_str(), "href" | "src" | "action" | "formaction")
                && v.starts_with("javascript:")
                && self.javascript_url.is_none()
            {
                self.javascript_url = Some(a.span.start);
            }
        }
        if name == "form" {
            self.form(attrs, span);
        }
        // Each attribute replaced (`Some`) or taken out (`None`), by its span.
        let mut edits: Vec<(Range<usize>, Option<String>)> = self.asset_edits(name, attrs);
        let handlers: Vec<&Attr> = attrs.iter().filter(|a| is_handler(&a.name)).collect();
        if !handlers.is_empty() {
            let id = self.next_handler;
            self.next_handler += 1;
            for (n, a) in handlers.iter().enumerate() {
                // The marker takes the first handler's place.
                let marker = (n == 0).then(|| format!("data-connect2forge-on=\"{id}\""));
                edits.push((a.span.clone(), marker));
                let event = a.name.get(2..).unwrap_or("").to_string();
                self.handler(HandlerTarget::Element(id), event, a);
            }
        }
        self.apply_edits(span, edits);
    }

    /// A form that submits to the app's own server (a local action, or none with a method: the
    /// page's own URL) no longer reaches it from a Forge resource: named.
    fn form(&mut self, attrs: &[Attr], span: &Range<usize>) {
        let action = get(attrs, "th:action")
            .or(get(attrs, "data-th-action"))
            .or(get(attrs, "action"))
            .map(|a| a.value.trim())
            .filter(|a| !a.is_empty());
        let method = get(attrs, "method")
            .or(get(attrs, "th:method"))
            .map(|a| a.value.trim().to_ascii_uppercase())
            .filter(|m| !m.is_empty());
        // An inline submit handler decides where the values go (it is carried as script); a
        // hidden form is filled, aimed (`form.action = …`) and sent by the page's script.
        let hidden = get(attrs, "hidden").is_some()
            || get(attrs, "style").is_some_and(|s| {
                s.value
                    .to_ascii_lowercase()
                    .replace(' ', "")
                    .contains("display:none")
            });
        if hidden
            || attrs
                .iter()
                .any(|a| a.name.eq_ignore_ascii_case("onsubmit"))
        {
            return;
        }
        let to = match action {
            // Neither: the page's script handles the form.
            None if method.is_none() => return,
            None => "the page's own URL".to_string(),
            Some(a) => match strip_template(a) {
                Url::Local(l)
                    if l.starts_with('#') || l.to_ascii_lowercase().starts_with("javascript:") =>
                {
                    return
                }
                Url::Absolute(u) if self.resolver.own_path(&u).is_none() => return,
                _ => a.to_string(),
            },
        };
        let method = method.unwrap_or_else(|| "GET".into());
        let at = self.at(span.start);
        self.page.warnings.push(at.warning(format!(
            "this form submits to the app's server ({method} {to}): on Forge the page is served from Atlassian's CDN, so the submission no longer reaches the backend; send its values from the page's script with invokeRemote or requestRemote (@forge/bridge) to the app's remote, whose route must accept Forge Invocation Tokens"
        )));
    }

    /// Keeps the tag at `span` in the body, each attribute of `edits` replaced (`Some`) or taken
    /// out (`None`).
    fn apply_edits(&mut self, span: &Range<usize>, mut edits: Vec<(Range<usize>, Option<String>)>) {
        if edits.is_empty() {
            self.keep(Mode::Body, span.clone());
            return;
        }
        edits.sort_by_key(|(r, _)| r.start);
        let mut from = span.start;
        for (r, text) in edits {
            if r.start < from {
                continue;
            }
            if r.start > from {
                self.pieces.push(Piece::Keep(from..r.start));
            }
            if let Some(text) = text {
                self.pieces.push(Piece::Own(text, r.start));
            }
            from = r.end;
        }
        if span.end > from {
            self.pieces.push(Piece::Keep(from..span.end));
        }
    }

    /// The attributes of an element that name local assets, rewritten to the carried copies'
    /// URLs (`src="./page/img/x.png"`): `(attribute span, new attribute)`.
    fn asset_edits(&mut self, name: &str, attrs: &[Attr]) -> Vec<(Range<usize>, Option<String>)> {
        let mut edits = Vec::new();
        let image_input = name != "input"
            || get(attrs, "type").is_some_and(|t| t.value.trim().eq_ignore_ascii_case("image"));
        let icon = name == "link" && is_icon_link(attrs);
        if name == "frame" {
            self.nested_page(attrs);
        }
        // In document order; Thymeleaf's th:src is what its server writes into src.
        for source in attrs {
            let target = source
                .name
                .strip_prefix("th:")
                .or_else(|| source.name.strip_prefix("data-th-"))
                .unwrap_or(&source.name);
            let asset_attribute = ASSET_ATTRIBUTES
                .iter()
                .any(|(el, a)| *el == name && *a == target && image_input)
                || (icon && target == "href");
            let th = target != source.name;
            let has_th = || {
                get(attrs, &format!("th:{target}"))
                    .or_else(|| get(attrs, &format!("data-th-{target}")))
                    .is_some()
            };
            if !asset_attribute || (!th && has_th()) {
                continue;
            }
            let plain = get(attrs, target);
            let at = self.at(source
                .value_span
                .as_ref()
                .map_or(source.span.start, |v| v.start));
            let new = if target == "srcset" {
                self.srcset(&source.value, &at)
            } else {
                self.asset(&source.value, &at)
            };
            if let Some(new) = new {
                let replaced = plain.unwrap_or(source);
                edits.push((
                    replaced.span.clone(),
                    Some(format!("{target}=\"{}\"", crate::port::carry::escape(&new))),
                ));
            }
        }
        if let Some(style) = get(attrs, "style") {
            let at = self.at(style
                .value_span
                .as_ref()
                .map_or(style.span.start, |v| v.start));
            let mut value = style.value.clone();
            let mut changes = Vec::new();
            for u in super::css::urls(&style.value) {
                if u.import {
                    continue;
                }
                if let Some(new) = self.asset(&u.url, &at) {
                    changes.push((u.span, super::css::url_token(&new)));
                }
            }
            let changed = !changes.is_empty();
            for (span, new) in changes.into_iter().rev() {
                value.replace_range(span, &new);
            }
            if changed {
                edits.push((
                    style.span.clone(),
                    Some(format!("style=\"{}\"", crate::port::carry::escape(&value))),
                ));
            }
        }
        edits
    }

    /// A `srcset` with each local candidate's URL rewritten; `None` when none changed.
    fn srcset(&mut self, value: &str, at: &Location) -> Option<String> {
        let mut changes = Vec::new();
        for r in srcset_urls(value) {
            let url = value.get(r.clone()).unwrap_or("").to_string();
            if let Some(new) = self.asset(&url, at) {
                changes.push((r, new));
            }
        }
        if changes.is_empty() {
            return None;
        }
        let mut out = value.to_string();
        for (r, new) in changes.into_iter().rev() {
            out.replace_range(r, &new);
        }
        Some(out)
    }

    /// A `<link rel="icon">` of `<head>`: written into `index.html`'s head with its carried (or
    /// absolute) URL.
    fn head_icon(&mut self, attrs: &[Attr], span: &Range<usize>) {
        let Some(href) = get(attrs, "th:href")
            .or(get(attrs, "data-th-href"))
            .or(get(attrs, "href"))
        else {
            return;
        };
        let at = self.at(href.value_span.as_ref().map_or(span.start, |v| v.start));
        let url = match self.asset(&href.value, &at) {
            Some(new) => new,
            None => match strip_template(&href.value) {
                Url::Absolute(u) => u,
                _ => return,
            },
        };
        let mut line = String::from("    <link");
        for a in attrs {
            if matches!(
                a.name.as_str(),
                "rel" | "type" | "sizes" | "media" | "color"
            ) {
                line.push_str(&format!(
                    " {}=\"{}\"",
                    a.name,
                    crate::port::carry::escape(&a.value)
                ));
            }
        }
        line.push_str(&format!(" href=\"{}\">", crate::port::carry::escape(&url)));
        self.page.head_links.push(line);
    }

    /// The URL an asset reference becomes (`./page/img/x.png`), `None` to keep it as written;
    /// records the asset, or why it is not carried, or the other host it comes from.
    /// An `<iframe>` or `<frame>` showing a page of the app (a local `src`): that page is not
    /// carried, and on Forge its URL resolves inside the resource.
    fn nested_page(&mut self, attrs: &[Attr]) {
        let Some(src) = get(attrs, "src") else { return };
        let v = src.value.trim_matches(super::html::is_html_space);
        if v.is_empty() || v.starts_with('#') || other_scheme(v) {
            return;
        }
        let Url::Local(local) = strip_template(v) else {
            return;
        };
        let at = self.at(src.value_span.as_ref().map_or(src.span.start, |r| r.start));
        let path = local.split(['?', '#']).next().unwrap_or("");
        let file = path.rsplit('/').next().unwrap_or("");
        let own = file.is_empty() || file.eq_ignore_ascii_case("index.html");
        let shown = match self.resolver.resolve(&local) {
            Resolution::Found(r) => format!(" ({})", r.path),
            _ => String::new(),
        };
        let on_forge = if own && !path.starts_with('/') {
            "on Forge the frame would load the resource's own index.html, the carried page itself"
        } else {
            "on Forge the frame's URL resolves inside the resource, which does not hold it"
        };
        self.page.warnings.push(at.warning(format!(
            "<iframe src=\"{}\"> shows another page of the app{shown}, which is not carried: {on_forge}; give the inner page a module of its own (or move its code into this page)",
            expr::shorten(v)
        )));
    }

    fn asset(&mut self, value: &str, at: &Location) -> Option<String> {
        let v = value.trim_matches(super::html::is_html_space);
        if v.is_empty() || v.starts_with('#') || other_scheme(v) {
            return None;
        }
        match strip_template(v) {
            // Counted with the page's other template expressions.
            Url::Template(_) => None,
            Url::Absolute(u) => {
                self.page.external_images.push((u, at.clone()));
                None
            }
            Url::Local(local) => {
                let fragment = local.find('#').map_or("", |i| local.get(i..).unwrap_or(""));
                match self.resolver.resolve_asset(&local) {
                    Resolution::External(u) => {
                        self.page.external_images.push((u.clone(), at.clone()));
                        Some(u)
                    }
                    Resolution::Found(r) => {
                        if let Some(note) = r.case_note(value) {
                            self.page.warnings.push(at.warning(note));
                        }
                        let new = format!("./page/{}{fragment}", encode_path(&r.static_path));
                        self.page.assets.push(Asset {
                            url: value.to_string(),
                            resolved: Some(r),
                            why: None,
                            at: at.clone(),
                        });
                        Some(new)
                    }
                    Resolution::Refused(why) => {
                        self.page.assets.push(Asset {
                            url: value.to_string(),
                            resolved: None,
                            why: Some(format!("is refused: {why}")),
                            at: at.clone(),
                        });
                        None
                    }
                    Resolution::Missing(path) => {
                        let why = missing_asset(self.resolver.tree, &self.resolver.roots, &path);
                        self.page.assets.push(Asset {
                            url: value.to_string(),
                            resolved: None,
                            why: Some(why),
                            at: at.clone(),
                        });
                        None
                    }
                }
            }
        }
    }

    fn script(
        &mut self,
        mode: Mode,
        attrs: &[Attr],
        span: &Range<usize>,
        content: Option<Range<usize>>,
    ) {
        let at = self.at(span.start);
        let ty = get(attrs, "type").map(|a| a.value.as_str());
        let module = ty.is_some_and(|t| t.trim().eq_ignore_ascii_case("module"));
        let js = is_javascript_type(ty, get(attrs, "language").map(|a| a.value.as_str()));
        if !js && !module {
            // A data block or client-side template (`text/x-handlebars-template`): kept.
            let end = content.as_ref().map_or(span.end, |c| c.end);
            let close_end = self
                .r
                .text
                .get(end..)
                .and_then(|r| r.strip_prefix("</"))
                .and_then(|r| r.find('>'))
                .map_or(end, |k| end + 2 + k + 1);
            self.keep(mode, span.start..close_end);
            if ty.is_some_and(|t| t.to_ascii_lowercase().contains("javascript")) {
                self.page.warnings.push(at.warning(format!(
                    "type=\"{}\" is not a JavaScript type by the HTML standard (no parameters allowed): browsers never run this script, so it is not carried",
                    expr::shorten(ty.unwrap_or(""))
                )));
            }
            return;
        }
        if get(attrs, "nomodule").is_some() {
            self.page.dropped.push(at.warning(
                "a nomodule script runs only in browsers without module support, never in Forge's: not carried",
            ));
            return;
        }
        if self.r.is_conditional(span.start) {
            self.page.warnings.push(at.warning(
                "this script is inside a template conditional or loop: it is carried unconditionally, once",
            ));
        }
        let handlers: Vec<&Attr> = attrs.iter().filter(|a| is_handler(&a.name)).collect();
        let src = get(attrs, "th:src")
            .or(get(attrs, "data-th-src"))
            .or(get(attrs, "src"));
        let Some(src) = src else {
            for h in &handlers {
                self.page.warnings.push(self.at(h.span.start).warning(format!(
                    "{}= on an inline script never fires (inline scripts have no load event): not carried",
                    h.name
                )));
            }
            let Some(c) = content else { return };
            let text = self.r.text.get(c.clone()).unwrap_or("").to_string();
            self.expressions_in_script(&c);
            if !text.trim().is_empty() {
                let text_at = self.at(c.start);
                // Connect's documented loader of all.js from the host (`xdm_e` + `cp` +
                // '/atlassian-connect/all.js', appended from the page's query): all.js itself.
                if loads_all_js(&text) {
                    self.page.scripts.push(Script::AllJs {
                        src: "/atlassian-connect/all.js".into(),
                        at: text_at,
                    });
                    return;
                }
                if module {
                    self.page.module_scripts.push(self.page.scripts.len());
                }
                self.page.scripts.push(Script::Inline {
                    text,
                    kept: readable_attributes(attrs),
                    at: text_at,
                });
            }
            return;
        };
        if let Some(options) = get(attrs, "data-options").filter(|_| is_all_js(&src.value)) {
            self.page.warnings.push(at.warning(format!(
                "all.js options \"{}\" have no effect on Forge (Forge sizes a Custom UI frame itself, and a background script has none)",
                expr::shorten(&options.value)
            )));
        }
        let id = (!handlers.is_empty()).then(|| {
            let id = self.next_handler;
            self.next_handler += 1;
            id
        });
        let before = self.page.scripts.len();
        self.script_src(&src.value, attrs, id, at);
        if module && self.page.scripts.len() > before {
            self.page.module_scripts.push(before);
        }
        // Handlers of a script main.js replaces run right after main.js.
        let target = match self.page.scripts.get(before) {
            Some(
                Script::Local {
                    resolved: Some(_), ..
                }
                | Script::External { .. },
            ) => id.map(HandlerTarget::Element),
            Some(Script::AllJs { .. } | Script::Cdn { .. }) => Some(HandlerTarget::AfterMain),
            _ => None,
        };
        for h in handlers {
            let event = h.name.get(2..).unwrap_or("").to_string();
            match &target {
                Some(HandlerTarget::AfterMain) if event != "load" => {
                    self.page.warnings.push(self.at(h.span.start).warning(format!(
                        "{}= of a script main.js now bundles or replaces: it never fires on Forge, not carried",
                        h.name
                    )));
                }
                Some(t) => self.handler(t.clone(), event, h),
                None => self
                    .page
                    .warnings
                    .push(self.at(h.span.start).warning(format!(
                        "{}= of a script that is not carried: not carried either",
                        h.name
                    ))),
            }
        }
    }

    fn script_src(&mut self, src: &str, attrs: &[Attr], handlers: Option<u32>, at: Location) {
        if is_all_js(src) {
            self.page.scripts.push(Script::AllJs {
                src: src.to_string(),
                at,
            });
            return;
        }
        let url = match self.own_local(strip_template(src)) {
            Url::Local(local) => match self.resolver.resolve(&local) {
                Resolution::External(u) => Url::Absolute(u),
                other => {
                    if is_all_js(&local) {
                        self.page.scripts.push(Script::AllJs {
                            src: src.to_string(),
                            at,
                        });
                        return;
                    }
                    let (resolved, refused) = match other {
                        Resolution::Found(r) => {
                            if let Some(note) = r.case_note(src) {
                                self.page.warnings.push(at.warning(note));
                            }
                            (Some(r), None)
                        }
                        Resolution::Refused(why) => (None, Some(why)),
                        _ => (None, None),
                    };
                    self.page.scripts.push(Script::Local {
                        src: src.to_string(),
                        resolved,
                        refused,
                        handlers,
                        at,
                    });
                    return;
                }
            },
            other => other,
        };
        match url {
            Url::Template(t) => self.page.warnings.push(at.warning(format!(
                "script src \"{}\" is a template expression the tool cannot evaluate: not carried",
                expr::shorten(&t)
            ))),
            Url::Absolute(url) => match cdn_library(&url) {
                Some(Ok((package, version))) => {
                    let (version, note) = npm_release(package, &version);
                    if let Some(note) = note {
                        self.page.warnings.push(at.warning(note));
                    }
                    let globals = KNOWN_LIBRARIES
                        .iter()
                        .find(|(p, _)| *p == package)
                        .map(|(_, g)| g.iter().map(|s| s.to_string()).collect())
                        .unwrap_or_default();
                    self.page.scripts.push(Script::Cdn {
                        package: package.to_string(),
                        version,
                        globals,
                        src: src.to_string(),
                        at,
                    });
                }
                other => {
                    if let Some(Err(package)) = other {
                        self.page.warnings.push(at.warning(format!(
                            "{package} is loaded from a CDN without an exact version: it stays an external script; put the version in the URL (or add {package} to package.json) to have it bundled"
                        )));
                    }
                    self.page.scripts.push(Script::External {
                        url,
                        kept: kept_attributes(attrs),
                        handlers,
                        at,
                    });
                }
            },
            Url::Local(_) => {}
        }
    }

    fn stylesheet(&mut self, attrs: &[Attr], span: &Range<usize>) {
        let at = self.at(span.start);
        let href = get(attrs, "th:href")
            .or(get(attrs, "data-th-href"))
            .or(get(attrs, "href"))
            .map_or("", |a| a.value.as_str());
        let url = match self.own_local(strip_template(href)) {
            Url::Local(local) => match self.resolver.resolve(&local) {
                Resolution::External(u) => Url::Absolute(u),
                res => {
                    let (resolved, refused) = match res {
                        Resolution::Found(r) => {
                            if let Some(note) = r.case_note(href) {
                                self.page.warnings.push(at.warning(note));
                            }
                            (Some(r), None)
                        }
                        Resolution::Refused(why) => (None, Some(why)),
                        _ => (None, None),
                    };
                    self.page.stylesheets.push(Stylesheet::Local {
                        href: href.to_string(),
                        resolved,
                        refused,
                        at,
                    });
                    return;
                }
            },
            other => other,
        };
        match url {
            Url::Absolute(url) => self.page.stylesheets.push(Stylesheet::External {
                url,
                kept: kept_attributes(attrs),
                at,
            }),
            Url::Template(_) => self.page.warnings.push(at.warning(format!(
                "stylesheet href \"{}\" is a template expression the tool cannot evaluate: not carried",
                expr::shorten(href)
            ))),
            Url::Local(_) => {}
        }
    }

    /// Warns about each template expression inside an inline script's text.
    fn expressions_in_script(&mut self, content: &Range<usize>) {
        let inside: Vec<Range<usize>> = self
            .r
            .expressions
            .iter()
            .filter(|e| e.start >= content.start && e.start < content.end)
            .cloned()
            .collect();
        let mut last = None;
        for (n, e) in inside.iter().enumerate() {
            let at = self.at(e.start);
            if n < MAX_EXPRESSION_WARNINGS {
                let text = self.r.text.get(e.clone()).unwrap_or("");
                self.page
                    .warnings
                    .push(at.warning(expr::expression_advice(text)));
            } else {
                last = Some(at);
            }
        }
        if let Some(at) = last {
            self.page.warnings.push(at.warning(format!(
                "{} more template expressions in this script (the last here) that the tool cannot evaluate",
                inside.len() - MAX_EXPRESSION_WARNINGS
            )));
        }
    }

    /// Builds the body's HTML from the kept pieces, closing what is left open.
    fn finish(&mut self) {
        let mut body = String::new();
        // (offset in body, offset in the rendered text) at each piece's start.
        let mut origin: Vec<(usize, usize)> = Vec::new();
        let mut expressions = Vec::new();
        let pieces = std::mem::take(&mut self.pieces);
        let mut prev_end: Option<usize> = None;
        for p in &pieces {
            match p {
                Piece::Keep(r) => {
                    // A cut between two pieces: a `<` before it never starts a tag with what follows.
                    if prev_end.is_some_and(|e| e != r.start) && body.ends_with('<') {
                        body.pop();
                        body.push_str("&lt;");
                    }
                    origin.push((body.len(), r.start));
                    body.push_str(self.r.text.get(r.clone()).unwrap_or(""));
                    expressions.extend(
                        self.r
                            .expressions
                            .iter()
                            .filter(|e| e.start >= r.start && e.start < r.end)
                            .map(|e| e.start),
                    );
                    prev_end = Some(r.end);
                }
                Piece::Own(text, at) => {
                    origin.push((body.len(), *at));
                    body.push_str(text);
                    prev_end = None;
                }
            }
        }
        let locate = |offset: usize| -> usize {
            let i = origin.partition_point(|o| o.0 <= offset).saturating_sub(1);
            origin
                .get(i)
                .map_or(0, |&(b, r)| r + offset.saturating_sub(b))
        };
        let (closed, notes) = close_open(&body);
        for (offset, message) in notes {
            let at = self.at(locate(offset));
            self.page.warnings.push(at.warning(message));
        }
        self.page.body_html = tidy_blank_lines(&closed);
        if let Some(&first) = expressions.first() {
            self.page.warnings.push(self.at(first).warning(format!(
                "the page's HTML holds {} template expression(s) (the first here); Forge serves index.html as it is, so they are not evaluated and show as written",
                expressions.len()
            )));
        }
        if let Some(at) = self.javascript_url.take() {
            self.page.warnings.push(self.at(at).warning(
                "a javascript: URL: Forge's content security policy blocks it; attach the code from a script",
            ));
        }
    }
}

/// The content of the raw-text element whose start tag is just before `toks[i]`, and the index
/// after its end tag.
fn raw_content(toks: &[Tok], i: usize) -> (Option<Range<usize>>, usize) {
    let mut j = i;
    let mut content: Option<Range<usize>> = None;
    // The tokenizer may give raw text in several runs (at each `</b` that is not the element's
    // end tag): the content is all of them, up to the end tag.
    while let Some(Tok::Text(r)) = toks.get(j) {
        content = Some(match content {
            Some(c) => c.start..r.end,
            None => r.clone(),
        });
        j += 1;
    }
    if matches!(toks.get(j), Some(Tok::End { .. })) {
        j += 1;
    }
    (content, j)
}

/// `(element, attribute)` pairs whose value names an asset the page shows (`<input>` only with
/// `type="image"`).
const ASSET_ATTRIBUTES: &[(&str, &str)] = &[
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("input", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
];

/// Whether a `<link>` is a page icon (`icon`, `shortcut icon`, `apple-touch-icon`, `mask-icon`).
fn is_icon_link(attrs: &[Attr]) -> bool {
    get(attrs, "rel").is_some_and(|r| {
        r.value.to_ascii_lowercase().split_whitespace().any(|w| {
            matches!(
                w,
                "icon" | "apple-touch-icon" | "apple-touch-icon-precomposed" | "mask-icon"
            )
        })
    })
}

/// A URL with a scheme other than `http(s)` (`data:`, `blob:`, `about:`, `javascript:`): not a
/// file of the app.
pub(crate) fn other_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = url.get(..colon).unwrap_or("");
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme && !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https")
}

/// The URLs of a `srcset` (each candidate's URL, by its byte range), as the HTML standard's
/// parser reads them: a candidate is a URL (ending at whitespace; trailing commas are not part
/// of it), then an optional descriptor up to the next comma.
pub(crate) fn srcset_urls(value: &str) -> Vec<Range<usize>> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b',')
        {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while b.get(i).is_some_and(|c| !c.is_ascii_whitespace()) {
            i += 1;
        }
        let mut end = i;
        let mut had_comma = false;
        while end > start && b.get(end - 1) == Some(&b',') {
            end -= 1;
            had_comma = true;
        }
        if end > start {
            out.push(start..end);
        }
        if !had_comma {
            // The descriptor, up to the next comma outside parentheses.
            let mut depth = 0usize;
            while let Some(&c) = b.get(i) {
                match c {
                    b'(' => depth += 1,
                    b')' => depth = depth.saturating_sub(1),
                    b',' if depth == 0 => break,
                    _ => {}
                }
                i += 1;
            }
        }
    }
    out
}

/// A static path as a URL path: each byte outside the unreserved and path-safe characters
/// percent-encoded (`my logo.png` → `my%20logo.png`).
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why no static folder has the asset at the decoded URL path `path`: a build output or
/// dependency folder the source walk does not read, a file it skipped, or nothing there.
pub(crate) fn missing_asset(
    tree: &crate::port::tree::SourceTree,
    roots: &[String],
    path: &str,
) -> String {
    let rel = path.trim_start_matches('/');
    if let Some(dir) = rel
        .split('/')
        .find(|s| crate::port::tree::SKIPPED_DIRS.contains(s))
    {
        return format!(
            "is under {dir}/, a build output or dependency folder the source walk does not read (build the app and copy the file under page/ by hand)"
        );
    }
    for root in roots {
        if let Some(reason) = tree.skip_reason(&format!("{root}{rel}")) {
            return format!(
                "was not read: {root}{rel} is in the source tree but skipped ({reason})"
            );
        }
    }
    "is not in the source tree".to_string()
}

/// `window.x = …` / `window['x'] = …`: a global set for the page's other scripts.
static WINDOW_ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)window[[:space:]]*(?:\.[[:space:]]*[A-Za-z_$][[:word:]$]*|\[[^\]]*\])[[:space:]]*=[^=]")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Whether an inline script is Connect's loader of all.js from the host: it appends a script
/// whose URL is the page's `xdm_e` (and `cp`) parameter followed by `/atlassian-connect/all.js`
/// (or `all-debug.js`), and does nothing else a page needs (it is short, and waits for no load event: a loader that
/// runs the page's code once all.js loaded stays the page's script).
fn loads_all_js(text: &str) -> bool {
    let code = text.trim_start();
    text.len() < 4096
        // All of it one function run at once: a statement around it (`var base;` the page's
        // other scripts read after the loader set it) makes it the page's script.
        && (code.starts_with('(') || code.starts_with('!'))
        && !WINDOW_ASSIGNED.is_match(text)
        && !text.contains("onload")
        && !text.contains("addEventListener")
        && text.contains("xdm_e")
        && ["all.js", "all-debug.js"].iter().any(|name| {
            ['\'', '"', '`']
                .iter()
                .any(|q| text.contains(&format!("{q}/atlassian-connect/{name}{q}")))
        })
        && text.contains("createElement")
}

fn is_handler(name: &str) -> bool {
    name.len() > 2 && name.starts_with("on") && name.bytes().all(|b| b.is_ascii_lowercase())
}

/// An inline script's `id` and `data-*` attributes (names of letters, digits and `-` only).
fn readable_attributes(attrs: &[Attr]) -> Vec<(String, String)> {
    attrs
        .iter()
        .filter(|a| a.name == "id" || a.name.starts_with("data-"))
        .filter(|a| {
            a.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect()
}

fn kept_attributes(attrs: &[Attr]) -> Vec<(String, String)> {
    attrs
        .iter()
        .filter(|a| KEPT_ATTRIBUTES.contains(&a.name.as_str()))
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect()
}

/// `body` with what is left open at its end closed, so that the tags put after it are read as
/// tags; each change with its offset and the warning.
fn close_open(body: &str) -> (String, Vec<(usize, String)>) {
    let (toks, ending) = tokenize(body);
    let mut out = body.to_string();
    let mut notes = Vec::new();
    if let Some(at) = ending.open_tag {
        out.truncate(at);
        notes.push((
            at,
            "a tag that is never finished (no >) at the end of the page's HTML: a browser drops it, and so does index.html".to_string(),
        ));
    }
    if let Some(span) = ending.plaintext {
        // Everything after it is text to a browser: it stays text (escaped), never markup.
        if let (Some(before), Some(after)) = (out.get(..span.start), out.get(span.end..)) {
            out = format!("{before}{}", escape_text(after));
            notes.push((
                span.start,
                "<plaintext> makes everything after it text, so no script after it would load: the tag is left out of index.html and what follows it kept as text".to_string(),
            ));
        }
    }
    if ending.open_comment {
        out.push_str("-->");
    }
    match ending.open_raw.as_deref() {
        // A script never closed never runs, and what follows it is its text: nothing of it is
        // shown. `</script>` would not even close it after a `<!--` and a `<script` in its text
        // (script data's escape states), so it is left out from its start tag. (A page ending
        // inside a script has no unfinished tag or <plaintext>: `out` is still `body` here.)
        Some("script") => {
            let start = toks.iter().rev().find_map(|t| match t {
                Tok::Start { name, span, .. } if name == "script" => Some(span.start),
                _ => None,
            });
            if let Some(at) = start {
                out.truncate(at);
                notes.push((
                    at,
                    "a <script> that is never closed: a browser never runs it and shows nothing after it; left out of index.html from here".to_string(),
                ));
            }
        }
        Some(raw) => out.push_str(&format!("</{raw}>")),
        None => {}
    }
    // What is still open (`<svg>`, `<template>`) is closed, and a half-written tag at the end
    // (`</`) made text, so that the closers and the tags after them are read as tags.
    (super::html::safe_to_append(&out), notes)
}

/// Text as HTML text: `&` and `<` escaped.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

/// Removing scripts leaves lines holding only spaces: runs of them become one empty line, and
/// none is kept at the start or end. Other lines are kept exactly.
fn tidy_blank_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut blank_run = false;
    for line in html.split_inclusive('\n') {
        if line.trim().is_empty() {
            blank_run = !out.is_empty();
            continue;
        }
        if blank_run {
            out.push('\n');
            blank_run = false;
        }
        out.push_str(line);
    }
    out
}
