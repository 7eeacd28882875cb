//! The languages a script is read in: JavaScript, and by the file's extension JSX, TypeScript and
//! TSX (oxc parses them all), and the `<script>` blocks of Vue and Svelte single-file components,
//! each with its own language (`lang="ts"`) and its place in the file, so positions stay those of
//! the `.vue`/`.svelte` file.

use oxc_span::SourceType;

use super::ScriptInput;

/// One piece of source to parse, and how.
pub(super) struct Part<'a> {
    pub(super) input: ScriptInput<'a>,
    /// The parses to try, in order (the first without errors wins), with whether each is a
    /// classic script (whose top-level names are globals the next scripts see).
    pub(super) tries: &'static [(SourceType, bool)],
}

/// JavaScript: a classic script, else a module, else a module with JSX (React components are
/// often `.js` files), else TSX: Flow's annotations (`// @flow` files, `function f(x: string)`,
/// `import type`) are mostly TypeScript's, and a file that parses so is read whole.
const JS: &[(SourceType, bool)] = &[
    (SourceType::script(), true),
    (SourceType::mjs(), false),
    (SourceType::jsx(), false),
    (SourceType::tsx(), false),
];
const TS: &[(SourceType, bool)] = &[
    (SourceType::ts(), false),
    (SourceType::ts().with_script(true), true),
];
const TSX: &[(SourceType, bool)] = &[
    (SourceType::tsx(), false),
    (SourceType::tsx().with_script(true), true),
];
const JSX: &[(SourceType, bool)] = &[
    (SourceType::jsx(), false),
    (SourceType::jsx().with_script(true), true),
    (SourceType::tsx(), false),
];

/// Front-end sources are modules: tried as such first.
fn tries(lang: &str) -> &'static [(SourceType, bool)] {
    match lang {
        "ts" | "mts" | "cts" | "typescript" => TS,
        "tsx" => TSX,
        "jsx" => JSX,
        _ => JS,
    }
}

/// The parts of one script: itself, or the `<script>` blocks of a component file.
pub(super) fn parts<'a>(s: &ScriptInput<'a>) -> Vec<Part<'a>> {
    let ext = s
        .file
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "vue" | "svelte" => blocks(s),
        lang => vec![Part {
            input: *s,
            tries: tries(lang),
        }],
    }
}

/// Finds `needle` (lower-case ASCII) in `hay` from `from`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    let first = n.first()?;
    memchr::memchr2_iter(*first, first.to_ascii_uppercase(), h.get(from..)?)
        .map(|i| i + from)
        .find(|&i| {
            h.get(i..i + n.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(n))
        })
}

/// The value of attribute `name` in an opening tag's text (`lang="ts"`), lower-cased.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower.get(from..)?.find(name).map(|i| i + from) {
        from = i + name.len();
        let before_ok = lower[..i].ends_with(|c: char| c.is_ascii_whitespace());
        let rest = lower[from..].trim_start();
        if !before_ok {
            continue;
        }
        let Some(rest) = rest.strip_prefix('=') else {
            return Some(String::new());
        };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or(""),
        };
        return Some(value.to_string());
    }
    None
}

/// The inline `<script>` blocks of a Vue or Svelte component, each placed in the file.
fn blocks<'a>(s: &ScriptInput<'a>) -> Vec<Part<'a>> {
    let text = s.text;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = find_ci(text, "<script", from) {
        let after = open + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !text[after..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>') {
            from = after;
            continue;
        }
        let Some(tag_end) = text[after..].find('>').map(|i| after + i) else {
            break;
        };
        let tag = &text[after..tag_end];
        let start = tag_end + 1;
        let end = find_ci(text, "</script", start).unwrap_or(text.len());
        from = end;
        if tag.trim_end().ends_with('/') || attribute(tag, "src").is_some() {
            continue;
        }
        let lang = attribute(tag, "lang").unwrap_or_default();
        let before = &text[..start];
        let newlines = memchr::memchr_iter(b'\n', before.as_bytes()).count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let chars = before[line_start..].chars().count();
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let (line, column) = if newlines == 0 {
            (s.line, s.column.saturating_add(n(chars)))
        } else {
            (
                s.line.saturating_add(n(newlines)),
                n(chars).saturating_add(1),
            )
        };
        out.push(Part {
            input: ScriptInput {
                file: s.file,
                text: &text[start..end],
                line,
                column,
            },
            tries: tries(&lang),
        });
    }
    out
}
