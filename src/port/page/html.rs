//! Pages read the way a browser reads them: a WHATWG HTML5 tokenizer (the `html5tokenizer`
//! crate), with byte offsets into the text it reads, so every finding maps back to a template's
//! file:line:column.
//!
//! `html5tokenizer` was picked over html5ever because html5ever's tokenizer reports only line
//! numbers, while this one (a fork of html5gum that passes the html5lib tokenizer tests) gives
//! the byte span of every tag, attribute value, comment and character. Tree construction is not
//! needed here; the one piece of it that decides how the tokenizer goes on — which elements hold
//! raw text — is done here as a browser with scripting on does: `<script>`, `<style>`, `<xmp>`,
//! `<iframe>`, `<noembed>`, `<noframes>`, `<noscript>` (raw text), `<title>`, `<textarea>`
//! (RCDATA), `<plaintext>`, never inside `<svg>`/`<math>`.
//!
//! Guarantees: never panics on any input (a panic inside the tokenizer is caught and the rest of
//! the text is read as text); linear in the input; character runs come as one `Tok::Text`.

use std::ops::Range;

use html5tokenizer::offset::PosTrackingReader;
use html5tokenizer::trace::Trace;
use html5tokenizer::{Error, Event, State, Token, Tokenizer, TracingEmitter};

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attr {
    /// Its name, lower case.
    pub name: String,
    /// Its value, character references decoded (`&amp;` → `&`), as a browser reads it.
    pub value: String,
    /// From the name's start to the value's end (closing quote included).
    pub span: Range<usize>,
    /// The value's span, without quotes (`None` for `<input disabled>`).
    pub value_span: Option<Range<usize>>,
}

/// A token with its place in the text read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A run of characters (raw text of a script or style included), exactly as in the text.
    Text(Range<usize>),
    /// `<name ...>`.
    Start {
        /// Lower case.
        name: String,
        /// In source order; a repeated name keeps its first value, as a browser does.
        attrs: Vec<Attr>,
        /// `<` to `>`.
        span: Range<usize>,
    },
    /// `</name>`.
    End {
        /// Lower case.
        name: String,
        /// `<` to `>`.
        span: Range<usize>,
    },
    /// `<!-- ... -->` (also `<!-->`, `--!>`, a bogus comment, CDATA in HTML).
    Comment(Range<usize>),
    /// `<!DOCTYPE ...>`.
    Doctype(Range<usize>),
}

impl Tok {
    /// Where the token lies in the text.
    pub fn span(&self) -> Range<usize> {
        match self {
            Tok::Text(r) | Tok::Comment(r) | Tok::Doctype(r) => r.clone(),
            Tok::Start { span, .. } | Tok::End { span, .. } => span.clone(),
        }
    }
}

/// How the text ended, when it ended inside something unfinished.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ending {
    /// A tag was still open at the end (`<div class="x`): a browser drops it. Its start.
    pub open_tag: Option<usize>,
    /// A comment ran to the end (`<!-- ...`).
    pub open_comment: bool,
    /// A raw-text or RCDATA element never closed (`<textarea>` ...): its name.
    pub open_raw: Option<String>,
    /// `<template>` elements never closed: everything after them is inert.
    pub open_templates: usize,
    /// `<svg>`/`<math>` never closed: a `<script src>` after them is not an HTML script.
    pub open_foreign: Vec<String>,
    /// A `<plaintext>` start tag: everything after it is text. Its span.
    pub plaintext: Option<Range<usize>>,
}

/// The tokens of `text`, and how it ended.
pub(crate) fn tokenize(text: &str) -> (Vec<Tok>, Ending) {
    let mut out = Vec::new();
    let mut ending = Ending::default();
    let mut from = 0;
    // A raw-text element the tokenizer misread ends the run there; the next run reads on from
    // its end tag (each part of the text is read at most twice).
    while let Some(rest) = text.get(from..) {
        let mut part = Vec::new();
        let mut e = Ending {
            open_templates: ending.open_templates,
            open_foreign: ending.open_foreign.clone(),
            ..Ending::default()
        };
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(rest, &mut part, &mut e)
        }));
        let restart = match caught {
            Ok(restart) => restart,
            Err(_) => {
                // Whatever the tokenizer did not get to is text.
                part.retain(|t| !matches!(t, Tok::Text(_)) || t.span().end <= rest.len());
                let upto = part.last().map_or(0, |t: &Tok| t.span().end);
                if upto < rest.len() {
                    part.push(Tok::Text(upto..rest.len()));
                }
                None
            }
        };
        out.extend(part.into_iter().map(|t| shifted(t, from)));
        e.open_tag = e.open_tag.map(|o| o + from);
        e.plaintext = e.plaintext.map(|p| p.start + from..p.end + from);
        ending = e;
        match restart {
            Some(at) if at > 0 => from += at,
            _ => break,
        }
    }
    (out, ending)
}

/// `t` with every span moved `by` bytes on.
fn shifted(t: Tok, by: usize) -> Tok {
    let r = |s: Range<usize>| s.start + by..s.end + by;
    match t {
        Tok::Text(s) => Tok::Text(r(s)),
        Tok::Comment(s) => Tok::Comment(r(s)),
        Tok::Doctype(s) => Tok::Doctype(r(s)),
        Tok::End { name, span } => Tok::End {
            name,
            span: r(span),
        },
        Tok::Start { name, attrs, span } => Tok::Start {
            name,
            attrs: attrs
                .into_iter()
                .map(|a| Attr {
                    span: r(a.span),
                    value_span: a.value_span.map(r),
                    ..a
                })
                .collect(),
            span: r(span),
        },
    }
}

/// Where the raw-text element `name` whose content starts at `from` ends: its own end tag's
/// start and end (`</name` then a space, `/` or `>`, as a browser ends it). A script's text
/// follows the escape rules a browser does: after `<!--` a `<script` begins a stretch where
/// `</script>` does not end it (it ends that stretch), and `-->` ends both.
fn raw_end(text: &str, name: &str, from: usize) -> Option<(usize, usize)> {
    #[derive(PartialEq)]
    enum Escape {
        None,
        Escaped,
        Double,
    }
    let bytes = text.as_bytes();
    let tag_at = |i: usize, prefix: &[u8]| {
        let n = prefix.len() + name.len();
        bytes.get(i..i + prefix.len()).is_some_and(|w| w == prefix)
            && bytes
                .get(i + prefix.len()..i + n)
                .is_some_and(|w| w.eq_ignore_ascii_case(name.as_bytes()))
            && matches!(
                bytes.get(i + n),
                Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
            )
    };
    let script = name == "script";
    let mut state = Escape::None;
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] != b'<' && bytes[i] != b'-' {
            i += 1;
            continue;
        }
        if script && state != Escape::None && bytes[i..].starts_with(b"-->") {
            state = Escape::None;
            i += 3;
        } else if script && state == Escape::None && bytes[i..].starts_with(b"<!--") {
            // Its two dashes may be the start of `-->` (`<!-->`).
            state = Escape::Escaped;
            i += 2;
        } else if script && state == Escape::Escaped && tag_at(i, b"<") {
            state = Escape::Double;
            i += 1 + name.len();
        } else if tag_at(i, b"</") {
            if state == Escape::Double {
                state = Escape::Escaped;
                i += 2 + name.len();
                continue;
            }
            let end = text
                .get(i..)
                .and_then(|r| r.find('>'))
                .map_or(text.len(), |k| i + k + 1);
            return Some((i, end));
        } else {
            i += 1;
        }
    }
    None
}

/// Elements whose content the tokenizer reads as text, and how.
fn raw_state(name: &str) -> Option<State> {
    match name {
        "title" | "textarea" => Some(State::Rcdata),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(State::Rawtext),
        "script" => Some(State::ScriptData),
        "plaintext" => Some(State::Plaintext),
        _ => None,
    }
}

/// Reads `text` into `out`, starting inside the templates and foreign elements `ending` says
/// are open. The tokenizer can leave a raw-text element early: an end tag of another element
/// inside a script (`"<b>a</b>"`, `</head>`) may end its raw-text state, so the rest of the
/// script is read as tags (a `<style>` then swallows the script's own end tag and every tag
/// after it). A browser ends a script, style, title, textarea (…) only at its own end tag
/// ([`raw_end`]). So the run stops at the first tag read inside raw text, or at an end tag that
/// is not where a browser ends the element: the element's content is one text run up to its own
/// end tag, and the offset after that end tag is returned for the next run to read on from, in
/// the state a browser is in there.
fn run(text: &str, out: &mut Vec<Tok>, ending: &mut Ending) -> Option<usize> {
    let mut tok = Tokenizer::new(PosTrackingReader::new(text), TracingEmitter::default());
    // Characters are not taken from their own spans (a character the tokenizer reconsumes is
    // given the span of the one after it): a text run is everything between two other tokens.
    let mut chars = false;
    let mut last_end = 0usize;
    let mut foreign: Vec<String> = std::mem::take(&mut ending.open_foreign);
    // The raw-text element the tokenizer is in, and where its content starts.
    let mut raw: Option<String> = None;
    let mut raw_from = 0usize;
    let mut templates = ending.open_templates;
    let mut restart = None;
    let text_until = |chars: &mut bool, last_end: usize, upto: usize, out: &mut Vec<Tok>| {
        if std::mem::take(chars) && upto > last_end {
            out.push(Tok::Text(last_end..upto));
        }
    };
    while let Some(event) = tok.next() {
        let (token, trace) = match event {
            Ok(Event::Token(t)) => t,
            Ok(Event::CdataOpen) => {
                tok.handle_cdata_open(!foreign.is_empty());
                continue;
            }
            Err(never) => match never {},
        };
        // Inside raw text only its own end tag, where a browser ends it, is a token.
        let misread = raw.as_deref().is_some_and(|r| match (&token, &trace) {
            (Token::StartTag(_) | Token::Comment(_) | Token::Doctype(_), _) => true,
            (Token::EndTag(t), Trace::EndTag(tr)) => {
                t.name != r || raw_end(text, r, raw_from).map(|(_, e)| e) != Some(tr.span.end)
            }
            _ => false,
        });
        if let Some(r) = raw.take_if(|_| misread) {
            chars = false;
            out.retain(|t| t.span().start < raw_from);
            match raw_end(text, &r, raw_from) {
                Some((close, close_end)) => {
                    if close > raw_from {
                        out.push(Tok::Text(raw_from..close));
                    }
                    out.push(Tok::End {
                        name: r,
                        span: close..close_end,
                    });
                    restart = Some(close_end);
                }
                None => {
                    if raw_from < text.len() {
                        out.push(Tok::Text(raw_from..text.len()));
                    }
                    raw = Some(r);
                }
            }
            last_end = text.len();
            break;
        }
        match (token, trace) {
            (Token::Char(_), Trace::Char(_)) => chars = true,
            (Token::StartTag(tag), Trace::StartTag(mut t)) => {
                // After a reconsumed `<` the tokenizer starts the tag late: its `<` is the one
                // just before its name.
                let trusted =
                    t.span.start >= last_end && text.as_bytes().get(t.span.start) == Some(&b'<');
                if !trusted {
                    t.span.start = text
                        .get(last_end..t.name_span.start)
                        .and_then(|r| r.rfind('<'))
                        .map_or(last_end, |i| last_end + i);
                }
                text_until(&mut chars, last_end, t.span.start, out);
                last_end = t.span.end;
                let mut attrs: Vec<Attr> = (&tag.attributes)
                    .into_iter()
                    .map(|a| {
                        let tr = a.trace_idx().map(|i| &t.attribute_traces[i]);
                        let name_span = tr.map_or(0..0, |tr| tr.name_span());
                        // An unquoted value that ends at `>` comes with no end: it is up to
                        // the first space or `>`, as the tokenizer read it.
                        let value_span = tr.and_then(|tr| tr.value_span()).map(|v| {
                            if v.end >= v.start {
                                return v;
                            }
                            let len = text.get(v.start..).map_or(0, |r| {
                                r.find(|c: char| is_html_space(c) || c == '>')
                                    .unwrap_or(r.len())
                            });
                            v.start..v.start + len
                        });
                        let mut end = value_span.as_ref().map_or(name_span.end, |v| v.end);
                        // Take the closing quote into the attribute's span.
                        if value_span.is_some()
                            && matches!(text.as_bytes().get(end), Some(b'"' | b'\''))
                        {
                            end += 1;
                        }
                        Attr {
                            name: a.name().to_string(),
                            value: a.value().to_string(),
                            span: name_span.start..end,
                            value_span,
                        }
                    })
                    .collect();
                attrs.sort_by_key(|a| a.span.start);
                let name = tag.name;
                if foreign.is_empty() {
                    if let Some(state) = raw_state(&name) {
                        if name == "plaintext" {
                            ending.plaintext = Some(t.span.clone());
                        }
                        raw = Some(name.clone());
                        raw_from = t.span.end;
                        tok.set_state(state);
                    } else if name == "template" {
                        templates += 1;
                    }
                }
                if (name == "svg" || name == "math") && !tag.self_closing {
                    foreign.push(name.clone());
                }
                out.push(Tok::Start {
                    name,
                    attrs,
                    span: t.span,
                });
            }
            (Token::EndTag(tag), Trace::EndTag(t)) => {
                // The tokenizer gives an end tag of raw text the wrong start: find its `</`.
                let mut span = t.span;
                let trusted = span.start >= last_end
                    && text.get(span.start..).is_some_and(|r| r.starts_with("</"));
                if !trusted {
                    span.start = text
                        .get(last_end..span.end)
                        .and_then(|r| r.rfind("</"))
                        .map_or(last_end, |i| last_end + i);
                }
                text_until(&mut chars, last_end, span.start, out);
                last_end = span.end;
                if raw.as_deref() == Some(tag.name.as_str()) {
                    raw = None;
                }
                if foreign.last() == Some(&tag.name) {
                    foreign.pop();
                } else if foreign.is_empty() && tag.name == "template" {
                    templates = templates.saturating_sub(1);
                }
                out.push(Tok::End {
                    name: tag.name,
                    span,
                });
            }
            (Token::Comment(_), Trace::Comment(t)) => {
                // The data span is inside `<!--` and `-->`: widen it to the whole comment. A
                // bogus comment with no data (`<!>`, `<?>`) comes with no span: it is the first
                // `<!`, `<?` or `</` after the last token.
                let data = if t.data_span.start >= last_end && t.data_span.end >= t.data_span.start
                {
                    t.data_span
                } else {
                    let at = text
                        .get(last_end..)
                        .and_then(|r| {
                            [r.find("<!"), r.find("<?"), r.find("</")]
                                .into_iter()
                                .flatten()
                                .min()
                        })
                        .map_or(last_end, |i| last_end + i + 2);
                    at..at
                };
                let mut start = text
                    .get(last_end..data.start)
                    .and_then(|b| b.rfind('<'))
                    .map_or(data.start, |i| last_end + i);
                // A bogus comment's data may itself start with `<` (`</<script …>`, `<!<x>`): the
                // off-by-one span puts the last `<` there, but the comment began at the `</` or
                // `<!` before it (in the data state neither is ever text when a `<` follows).
                while start >= last_end + 2
                    && matches!(text.get(start - 2..start), Some("</" | "<!" | "<?"))
                {
                    start -= 2;
                }
                // A real comment ends after its data (`-->`, `--!>`); a bogus one (`<!x>`,
                // `<?x>`, `</ x>`), whose span the tokenizer gives off by one, at its first `>`.
                let real = text.get(start..).is_some_and(|r| r.starts_with("<!--"));
                let from = if real { data.end.max(start) } else { start + 2 };
                let end = text
                    .get(from..)
                    .and_then(|a| a.find('>'))
                    .map_or(text.len(), |i| from + i + 1);
                text_until(&mut chars, last_end, start, out);
                last_end = end;
                out.push(Tok::Comment(start..end));
            }
            (Token::Doctype(_), Trace::Doctype(t)) => {
                let span = t.span();
                text_until(&mut chars, last_end, span.start, out);
                last_end = span.end;
                out.push(Tok::Doctype(span));
            }
            (Token::EndOfFile, _) => {}
            _ => {}
        }
        for (e, _) in tok.emitter_mut().drain_errors() {
            match e {
                // The unfinished tag starts at the first `<` after what was emitted.
                Error::EofInTag => {
                    let start = text.get(last_end..).and_then(|r| r.find('<'));
                    if let Some(i) = start {
                        ending.open_tag = Some(last_end + i);
                    }
                }
                Error::EofInComment => ending.open_comment = true,
                _ => {}
            }
        }
    }
    let upto = ending.open_tag.unwrap_or(text.len());
    text_until(&mut chars, last_end, upto, out);
    ending.open_raw = raw.filter(|r| r != "plaintext");
    ending.open_templates = templates;
    ending.open_foreign = foreign;
    restart
}

/// `html` made safe to put tags after: a `<` that, with what follows it, would start a tag or a
/// comment swallowing the next tag (a trailing `</`, `<!`, `<?`) is written `&lt;`. Checked by
/// reading `html` with a tag after it: that tag must come out as a tag.
pub fn safe_to_append(html: &str) -> String {
    let out = close_for_append(html);
    // Read back as a browser does: a script tag appended now must load. A state the repairs
    // above miss (a script element left open by escaped-comment text, `<!--<script`) has every
    // `<script` of the body turned into text instead.
    const PROBE: &str = "\n<script src=\"./x-connect2forge-probe.js\"></script>";
    let loads = script_loads(&format!("{out}{PROBE}"));
    if loads.last().map(String::as_str) == Some("./x-connect2forge-probe.js") {
        return out;
    }
    let mut text = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = find_script_open(rest) {
        text.push_str(&rest[..i]);
        text.push_str("&lt;");
        rest = &rest[i + 1..];
    }
    text.push_str(rest);
    close_for_append(&text)
}

/// Where `<script` (any case) first starts in `s`.
fn find_script_open(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    lower.find("<script")
}

/// [`safe_to_append`]'s repairs: what keeps the end of `html` from reading a following tag as
/// one (an open tag, comment, raw-text element, foreign content or template) is closed or made
/// text.
fn close_for_append(html: &str) -> String {
    const PROBE: &str = "\n<x-connect2forge-probe>";
    let mut out = html.to_string();
    for _ in 0..16 {
        let probe = format!("{out}{PROBE}");
        let (toks, ending) = tokenize(&probe);
        let at = out.len();
        match toks.last() {
            Some(Tok::Start { name, span, .. })
                if name == "x-connect2forge-probe" && span.end == probe.len() =>
            {
                // A tag, but inside `<svg>`/`<math>` or `<template>` a script is not loaded:
                // close them.
                if ending.open_foreign.is_empty() && ending.open_templates == 0 {
                    return out;
                }
                for f in ending.open_foreign.iter().rev() {
                    out.push_str(&format!("</{f}>"));
                }
                for _ in 0..ending.open_templates {
                    out.push_str("</template>");
                }
                continue;
            }
            _ => {}
        }
        // A half-written tag swallowed it: its `<` becomes text.
        if let Some(pos) = ending.open_tag.filter(|&p| p < at) {
            if out.as_bytes().get(pos) == Some(&b'<') {
                out.replace_range(pos..pos + 1, "&lt;");
                continue;
            }
        }
        // The token that swallowed the probe starts before it. A comment running to the end
        // is closed (escaping its `<` would turn what it hides into markup); a tag's `<`
        // becomes text; the text of a raw-text element (`<xmp>`) loses its start tag's `<`.
        let Some(i) = toks.iter().position(|t| {
            let s = t.span();
            s.start < at && s.end > at
        }) else {
            return out;
        };
        let culprit = match toks.get(i) {
            // A comment opener with nothing after it (`</`, `<!`, `<?`) is text to a browser.
            Some(Tok::Comment(span)) if at - span.start > 2 => {
                let real = out.get(span.start..).is_some_and(|r| r.starts_with("<!--"));
                out.push_str(if real { "-->" } else { ">" });
                continue;
            }
            Some(Tok::Text(_)) => toks.get(..i).and_then(|before| {
                before.iter().rev().find_map(|t| match t {
                    Tok::Start { span, .. } => Some(span.start),
                    _ => None,
                })
            }),
            Some(t) => Some(t.span().start),
            None => None,
        }
        .filter(|&s| out.as_bytes().get(s) == Some(&b'<'));
        match culprit {
            Some(s) => out.replace_range(s..s + 1, "&lt;"),
            None => return out,
        }
    }
    out
}

/// The `src` of every classic or module `<script>` a browser would load from `html`, in
/// document order: not those inside `<template>`, `<noscript>` or foreign content, not
/// `nomodule` ones, not ones whose `type` is not JavaScript.
pub fn script_loads(html: &str) -> Vec<String> {
    let (toks, _) = tokenize(html);
    let mut templates = 0usize;
    let mut foreign = 0usize;
    let mut loads = Vec::new();
    for t in &toks {
        match t {
            Tok::Start { name, attrs, .. } => match name.as_str() {
                "template" if foreign == 0 => templates += 1,
                "svg" | "math" => foreign += 1,
                "script" if templates == 0 && foreign == 0 => {
                    let get = |n: &str| attrs.iter().find(|a| a.name == n).map(|a| &a.value);
                    if get("nomodule").is_some() {
                        continue;
                    }
                    let ty = get("type").map(String::as_str);
                    if !(is_javascript_type(ty, get("language").map(String::as_str))
                        || ty.is_some_and(|t| t.trim().eq_ignore_ascii_case("module")))
                    {
                        continue;
                    }
                    if let Some(src) = get("src") {
                        loads.push(src.clone());
                    }
                }
                _ => {}
            },
            Tok::End { name, .. } => match name.as_str() {
                "template" if foreign == 0 => templates = templates.saturating_sub(1),
                "svg" | "math" => foreign = foreign.saturating_sub(1),
                _ => {}
            },
            _ => {}
        }
    }
    loads
}

/// Whether a `<script>` with this `type` (and legacy `language`) runs as a classic script, by
/// the HTML standard: no type, an empty one, or a JavaScript MIME type essence (any case,
/// surrounding whitespace ignored, no parameters).
pub fn is_javascript_type(ty: Option<&str>, language: Option<&str>) -> bool {
    const ESSENCES: &[&str] = &[
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    ];
    let essence = |t: &str| ESSENCES.iter().any(|e| e.eq_ignore_ascii_case(t));
    match ty {
        Some(t) if !t.is_empty() => essence(t.trim_matches(is_html_space)),
        _ => match language {
            Some(l) if !l.is_empty() => essence(&format!("text/{l}")),
            _ => true,
        },
    }
}

/// HTML's ASCII whitespace.
pub fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0C' | '\r')
}

/// The extents of elements in `toks`: for each start tag at index `i` (not void, not
/// self-closing in foreign content), the index of its matching end tag, or `None` when it is
/// never closed. Matching is by name and nesting, which is what a template author means.
pub(crate) fn matching_ends(toks: &[Tok]) -> Vec<Option<usize>> {
    let mut ends = vec![None; toks.len()];
    let mut open: Vec<(String, usize)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Start { name, .. } if !is_void(name) => open.push((name.clone(), i)),
            Tok::End { name, .. } => {
                if let Some(k) = open.iter().rposition(|(n, _)| n == name) {
                    if let Some(&(_, start)) = open.get(k) {
                        if let Some(slot) = ends.get_mut(start) {
                            *slot = Some(i);
                        }
                    }
                    open.truncate(k);
                }
            }
            _ => {}
        }
    }
    ends
}

/// Elements with no end tag.
pub(crate) fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(html: &str) -> Vec<String> {
        tokenize(html)
            .0
            .iter()
            .map(|t| match t {
                Tok::Text(r) => format!("text {:?}", &html[r.clone()]),
                Tok::Start { name, .. } => format!("<{name}>"),
                Tok::End { name, .. } => format!("</{name}>"),
                Tok::Comment(r) => format!("comment {:?}", &html[r.clone()]),
                Tok::Doctype(_) => "doctype".into(),
            })
            .collect()
    }

    #[test]
    fn end_tag_lookalikes_in_a_script_are_its_text() {
        assert_eq!(
            names("<script>var a = \"<b>a</b>\" + \"<i>b</i>\";</script><p>"),
            [
                "<script>",
                "text \"var a = \\\"<b>a</b>\\\" + \\\"<i>b</i>\\\";\"",
                "</script>",
                "<p>"
            ]
        );
    }

    #[test]
    fn raw_text_elements_hide_tags_as_a_browser_does() {
        assert_eq!(
            names("<textarea><script>x</script></textarea><noscript><script>y</script></noscript>"),
            [
                "<textarea>",
                "text \"<script>x</script>\"",
                "</textarea>",
                "<noscript>",
                "text \"<script>y</script>\"",
                "</noscript>"
            ]
        );
    }

    #[test]
    fn a_tag_after_a_reconsumed_lt_starts_at_its_own_lt() {
        assert_eq!(names("a<<b>c"), ["text \"a<\"", "<b>", "text \"c\""]);
        assert_eq!(
            names("<textarea>x</textarea>"),
            ["<textarea>", "text \"x\"", "</textarea>"]
        );
    }

    #[test]
    fn comments_of_every_shape_are_whole() {
        assert_eq!(
            names("a<!-->b<!-- x --!>c<!--"),
            [
                "text \"a\"",
                "comment \"<!-->\"",
                "text \"b\"",
                "comment \"<!-- x --!>\"",
                "text \"c\"",
                "comment \"<!--\""
            ]
        );
        assert!(tokenize("<!-- open").1.open_comment);
        assert_eq!(
            names("a<!>b<?>c"),
            [
                "text \"a\"",
                "comment \"<!>\"",
                "text \"b\"",
                "comment \"<?>\"",
                "text \"c\""
            ]
        );
    }

    #[test]
    fn a_bogus_comment_whose_data_starts_with_a_tag_is_whole() {
        // Fuzz finding I: `</<script src=…>` is one bogus comment to a browser, not `</` and a
        // script element; after another comment, its `</` fell out of every token and the
        // carried page loaded the script.
        let html = "<div>a</&x\"></<script src=\"/a.js\">b<!<i>c</div>";
        assert_eq!(
            names(html),
            [
                "<div>",
                "text \"a\"",
                "comment \"</&x\\\">\"",
                "comment \"</<script src=\\\"/a.js\\\">\"",
                "text \"b\"",
                "comment \"<!<i>\"",
                "text \"c\"",
                "</div>"
            ]
        );
        // No byte falls between two tokens.
        for html in [html, "</</<x>y", "<?<x>z<!<!-- w -->v", "a</></b>"] {
            let (toks, _) = tokenize(html);
            let mut at = 0;
            for t in &toks {
                let span = t.span();
                assert!(span.start <= at, "gap before {span:?} in {html:?}");
                at = at.max(span.end);
            }
            assert_eq!(at, html.len(), "{html:?}");
        }
    }

    #[test]
    fn attributes_are_decoded_and_in_source_order() {
        let html = "<script src=\"/a.js?x=1&amp;y=2\" defer data-a='q'>";
        let (toks, _) = tokenize(html);
        let Tok::Start { attrs, .. } = &toks[0] else {
            panic!()
        };
        let got: Vec<_> = attrs
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_str(), &html[a.span.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                ("src", "/a.js?x=1&y=2", "src=\"/a.js?x=1&amp;y=2\""),
                ("defer", "", "defer"),
                ("data-a", "q", "data-a='q'")
            ]
        );
    }

    #[test]
    fn an_unquoted_value_before_the_end_of_its_tag_has_its_span() {
        let html = "<a th:text=${p}>x</a>";
        let (toks, _) = tokenize(html);
        let Tok::Start { attrs, .. } = &toks[0] else {
            panic!()
        };
        assert_eq!(&html[attrs[0].span.clone()], "th:text=${p}");
    }

    #[test]
    fn tags_after_a_misread_script_are_read_as_a_browser_reads_them() {
        // After `</head>` inside a script the tokenizer read `<style>` as a tag, whose raw text
        // swallowed the script's own end tag and every tag after it.
        let html = "<SCRIPT type=module></head><style></script><link rel=stylesheet href=x><script src=\"/js/a.js\"></script><p>";
        assert_eq!(
            names(html),
            [
                "<script>",
                "text \"</head><style>\"",
                "</script>",
                "<link>",
                "<script>",
                "</script>",
                "<p>"
            ]
        );
        assert_eq!(tokenize(html).1.open_raw, None);
        assert_eq!(script_loads(html), ["/js/a.js"]);
        // `<!--<script>` in a script's text: the next `</script>` ends that stretch, not the
        // script (the HTML standard's double-escaped script data).
        let html =
            "<script src=b.js><!--<script src=x></script>--></script><script src=c.js></script>";
        assert_eq!(
            names(html),
            [
                "<script>",
                "text \"<!--<script src=x></script>-->\"",
                "</script>",
                "<script>",
                "</script>"
            ]
        );
        assert_eq!(script_loads(html), ["b.js", "c.js"]);
        // A misread script never closed is text to the end, and said to be open.
        let (toks, e) = tokenize("<p><script></b><style>x");
        assert_eq!(toks.len(), 3, "{toks:?}");
        assert_eq!(e.open_raw.as_deref(), Some("script"));
    }

    #[test]
    fn an_unfinished_tag_is_reported_with_its_start() {
        let (_, e) = tokenize("<p>x</p><div class=\"y");
        assert_eq!(e.open_tag, Some(8));
        let (_, e) = tokenize("<textarea>abc");
        assert_eq!(e.open_raw.as_deref(), Some("textarea"));
    }

    #[test]
    fn script_loads_follow_the_browser() {
        let html = "<template><script src=t.js></script></template><script nomodule src=n.js></script>\
<script type=\"text/x-template\" src=x.js></script><script type=application/x-javascript src=a.js></script>\
<svg><script src=s.js></script></svg><script src=\"b.js?a=1&amp;b=2\"></script>";
        assert_eq!(script_loads(html), ["a.js", "b.js?a=1&b=2"]);
    }

    #[test]
    fn what_ends_a_page_never_swallows_the_tags_after_it() {
        for (end, safe) in [
            ("<p>x</p>", "<p>x</p>"),
            ("x</", "x&lt;/"),
            ("x<!", "x&lt;!"),
            ("x<?", "x&lt;?"),
            ("x<", "x<"),
            ("x<script/a\n", "x&lt;script/a\n"),
            ("<svg><g></</svg>", "<svg><g></</svg></svg>"),
            ("<template><p>", "<template><p></template>"),
            // A bogus comment to the end hides a half-written tag: it is closed, not escaped.
            ("<!x<script src=\"y<!-- z", "<!x<script src=\"y<!-- z>"),
        ] {
            assert_eq!(safe_to_append(end), safe);
            let after = format!("{}\n<script src=a.js></script>", safe_to_append(end));
            assert_eq!(script_loads(&after), ["a.js"], "{end}");
        }
    }

    #[test]
    fn javascript_types() {
        for t in [
            "",
            " text/javascript ",
            "APPLICATION/X-JAVASCRIPT",
            "text/jscript",
        ] {
            assert!(is_javascript_type(Some(t), None), "{t}");
        }
        for t in [
            "module",
            "text/javascript; charset=utf-8",
            "text/template",
            "json",
        ] {
            assert!(!is_javascript_type(Some(t), None), "{t}");
        }
        assert!(is_javascript_type(None, Some("JavaScript")));
        assert!(!is_javascript_type(None, Some("vbscript")));
    }
}
