//! A found page rendered into the HTML its server sends, as far as that is static: its layout,
//! partials, includes and fragments put in, comments taken out, static-URL helpers evaluated.
//! One template engine per file, each an [`Engine`] in [`ENGINES`]; the first that claims a
//! page renders it (a page no engine claims is served as it is, by [`plain`]).
//!
//! Templates are not HTML (`{{#if}}` inside a tag, `<%= %>` in an attribute), so a page is
//! rendered first and the result is read by the HTML5 tokenizer after. The output keeps a map
//! from each of its byte offsets back to the template file and offset it came from
//! ([`Rendered::location`]), so every later warning still names file:line:column of the
//! original files. What an engine cannot evaluate (a variable, a loop) stays in the output as
//! written and is listed in [`Rendered::expressions`]; text inside a conditional or a loop is
//! listed in [`Rendered::conditional`]. Never fails: a missing layout or partial, a cycle, an
//! unterminated tag is a warning with its place, and the rest is rendered.

pub mod blade;
mod curly;
pub mod ejs;
pub mod express_hbs;
pub mod go_template;
pub mod jinja;
pub mod js_literal;
pub mod jsp;
pub mod mustache;
pub mod php;
pub mod plain;
pub mod thymeleaf;
pub mod velocity;

use std::cell::RefCell;
use std::ops::Range;

use super::discover::Framework;
use super::page::Location;
use super::tree::SourceTree;
use crate::diagnostics::Diagnostic;
use crate::source::{Position, SourceText};

/// A template engine's renderer.
pub trait Engine: Sync {
    /// Its name, for the review (`express-hbs`).
    fn name(&self) -> &'static str;
    /// Whether it renders `file` (of an app of kind `framework`, with this text).
    fn claims(&self, file: &str, framework: Framework, text: &str) -> bool;
    /// Renders `file` into `out`.
    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered);
}

/// Every engine, tried in this order; [`plain::Plain`] claims every page.
pub static ENGINES: &[&dyn Engine] = &[
    &express_hbs::ExpressHbs,
    &mustache::Mustache,
    &ejs::Ejs,
    &jsp::Jsp,
    &blade::Blade,
    &php::Php,
    &go_template::GoTemplate,
    &jinja::Jinja,
    &thymeleaf::Thymeleaf,
    &velocity::Velocity,
    &js_literal::JsLiteral,
    &plain::Plain,
];

/// Renders the page `file` with the first engine that claims it.
pub fn render(tree: &SourceTree, file: &str, framework: Framework) -> Rendered {
    let text = tree.get(file).unwrap_or("");
    let mut out = Rendered::default();
    let engine = ENGINES
        .iter()
        .find(|e| e.claims(file, framework, text))
        .copied()
        .unwrap_or(&plain::Plain);
    out.engine = engine.name();
    let mut cx = Cx {
        tree,
        depth: 0,
        includes: 0,
        active: Vec::new(),
    };
    engine.render(&mut cx, file, &mut out);
    if cx.includes >= MAX_INCLUDES {
        let text = tree.get(file).unwrap_or("");
        out.warn_at(file, text, 0, format!("the page puts in more than {MAX_INCLUDES} layouts, partials or includes in all (a template including itself, or one included many times): the rest are not rendered"));
    }
    if out.truncated {
        let text = tree.get(file).unwrap_or("");
        out.warn_at(
            file,
            text,
            0,
            format!(
                "the rendered page grew past {} MiB: the rest is not rendered",
                MAX_OUTPUT >> 20
            ),
        );
    }
    out
}

/// What a renderer works with.
pub struct Cx<'t> {
    /// The source tree: layouts, partials and includes are read from it.
    pub tree: &'t SourceTree,
    /// How deep in includes the renderer is.
    pub depth: usize,
    /// How many includes were put in so far.
    pub includes: usize,
    /// The named templates being rendered (Go's `{{define}}`s): one that calls itself is a cycle.
    pub active: Vec<String>,
}

/// How deep includes may nest (a cycle stops here, with a warning).
pub const MAX_DEPTH: usize = 16;

/// How many layouts, partials and includes one page may put in, in all: a partial that includes
/// itself twice would otherwise be rendered 2^16 times before the depth stops it.
pub const MAX_INCLUDES: usize = 256;

/// The most a rendered page may grow to.
pub const MAX_OUTPUT: usize = 16 << 20;

impl Cx<'_> {
    /// Whether one more include may be put in here (depth and count within bounds); counts it.
    pub fn may_include(&mut self) -> bool {
        let ok = self.depth < MAX_DEPTH && self.includes < MAX_INCLUDES;
        self.includes += 1;
        ok
    }

    /// Puts in the included file `target` (when it is in the tree and the include limits allow),
    /// rendered by `scan` one level deeper; `false` when it was not, for the caller to say why.
    pub fn include_with(
        &mut self,
        target: Option<String>,
        out: &mut Rendered,
        scan: impl FnOnce(&mut Cx<'_>, &str, &str, &mut Rendered),
    ) -> bool {
        let tree = self.tree;
        match target.filter(|t| tree.contains(t)) {
            Some(t) if self.may_include() => {
                self.depth += 1;
                scan(self, &t, tree.get(&t).unwrap_or(""), out);
                self.depth -= 1;
                true
            }
            _ => false,
        }
    }

    /// The first of `candidates` that is in the tree.
    pub fn find(&self, candidates: &[String]) -> Option<String> {
        candidates.iter().find(|c| self.tree.contains(c)).cloned()
    }
}

/// One stretch of the output and where it came from.
#[derive(Debug, Clone, Copy)]
struct Segment {
    /// Start in the output.
    out: usize,
    /// Index into `files`.
    file: usize,
    /// Start in that file.
    src: usize,
    /// Text an expression produced (`{{furl '/x'}}` → `/x`): every offset in it maps to `src`.
    generated: bool,
}

/// A rendered page: its text, and where each part of it came from.
#[derive(Default)]
pub struct Rendered {
    /// The page as the server sends it, as far as that is static.
    pub text: String,
    /// The engine that rendered it.
    pub engine: &'static str,
    /// The layout the page was put into, if any (the outermost).
    pub layout: Option<String>,
    /// Template expressions left as written (offsets into `text`).
    pub expressions: Vec<Range<usize>>,
    /// Parts of `text` that are inside a conditional or a loop.
    pub conditional: Vec<Range<usize>>,
    /// What could not be rendered, each with its place.
    pub warnings: Vec<Diagnostic>,
    /// The output reached [`MAX_OUTPUT`]: what followed was left out.
    pub truncated: bool,
    segments: Vec<Segment>,
    files: Vec<SourceText>,
    /// Per file, the last offset asked for and its position: positions are asked in increasing
    /// order, so a column is counted on from the previous one (a page of one huge line would
    /// otherwise cost quadratic time).
    last: RefCell<Vec<Option<(usize, Position)>>>,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("text", &self.text)
            .field("engine", &self.engine)
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

impl Rendered {
    fn file_index(&mut self, file: &str, source: &str) -> usize {
        match self.files.iter().position(|f| f.name == file) {
            Some(i) => i,
            None => {
                self.files.push(SourceText::new(file, source.to_string()));
                self.files.len() - 1
            }
        }
    }

    /// Appends `source[range]` of `file` (whose whole text is `source`).
    pub fn copy(&mut self, file: &str, source: &str, range: Range<usize>) {
        let Some(part) = source.get(range.clone()) else {
            return;
        };
        if part.is_empty() {
            return;
        }
        if self.text.len() + part.len() > MAX_OUTPUT {
            self.truncated = true;
            return;
        }
        let idx = self.file_index(file, source);
        self.segments.push(Segment {
            out: self.text.len(),
            file: idx,
            src: range.start,
            generated: false,
        });
        self.text.push_str(part);
    }

    /// Appends `source[range]` as an expression left unevaluated.
    pub fn expression(&mut self, file: &str, source: &str, range: Range<usize>) {
        let start = self.text.len();
        self.copy(file, source, range);
        if self.text.len() > start {
            self.expressions.push(start..self.text.len());
        }
    }

    /// Appends `text`, which the expression at `at` in `file` produced.
    pub fn generate(&mut self, file: &str, source: &str, at: usize, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.text.len() + text.len() > MAX_OUTPUT {
            self.truncated = true;
            return;
        }
        let idx = self.file_index(file, source);
        self.segments.push(Segment {
            out: self.text.len(),
            file: idx,
            src: at,
            generated: true,
        });
        self.text.push_str(text);
    }

    /// Marks the output from `start` to its current end as inside a conditional or loop.
    pub fn mark_conditional(&mut self, start: usize) {
        if self.text.len() > start {
            self.conditional.push(start..self.text.len());
        }
    }

    /// Whether the output offset lies in a conditional or a loop.
    pub fn is_conditional(&self, offset: usize) -> bool {
        self.conditional.iter().any(|r| r.contains(&offset))
    }

    /// A warning at `offset` of `file` (whose whole text is `source`).
    pub fn warn_at(&mut self, file: &str, source: &str, offset: usize, message: String) {
        let idx = self.file_index(file, source);
        let p = self
            .files
            .get(idx)
            .map_or(Position { line: 1, column: 1 }, |f| f.position(offset));
        self.warnings.push(
            Location {
                file: file.to_string(),
                line: p.line,
                column: p.column,
            }
            .warning(message),
        );
    }

    /// Where `offset` of the output came from.
    pub fn location(&self, offset: usize) -> Location {
        let i = self
            .segments
            .partition_point(|s| s.out <= offset)
            .saturating_sub(1);
        match self
            .segments
            .get(i)
            .and_then(|s| Some((s, self.files.get(s.file)?)))
        {
            Some((s, src)) => {
                let at = if s.generated {
                    s.src
                } else {
                    s.src + offset.saturating_sub(s.out)
                };
                let p = self.position(s.file, src, at);
                Location {
                    file: src.name.clone(),
                    line: p.line,
                    column: p.column,
                }
            }
            None => Location {
                file: self
                    .files
                    .first()
                    .map(|f| f.name.clone())
                    .unwrap_or_default(),
                line: 1,
                column: 1,
            },
        }
    }

    fn position(&self, idx: usize, src: &SourceText, offset: usize) -> Position {
        let offset = offset.min(src.text.len());
        let mut last = self.last.borrow_mut();
        if last.len() < self.files.len() {
            last.resize(self.files.len(), None);
        }
        let cached = last.get(idx).copied().flatten();
        let p = match cached {
            Some((at, p)) if at <= offset => match src.text.get(at..offset) {
                Some(between) if !between.contains('\n') => Position {
                    line: p.line,
                    column: p.column + between.chars().count(),
                },
                _ => src.position(offset),
            },
            _ => src.position(offset),
        };
        if let Some(slot) = last.get_mut(idx) {
            *slot = Some((offset, p));
        }
        p
    }

    /// The file the output starts in (the layout or the page).
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|f| f.name.as_str())
    }
}

/// The folder of `file`, ending in `/` (or empty).
pub fn folder(file: &str) -> &str {
    file.rfind('/').and_then(|i| file.get(..=i)).unwrap_or("")
}

/// `name` against the folder `base` (`.` and `..` removed; `None` if it climbs above the tree).
pub fn join(base: &str, name: &str) -> Option<String> {
    super::discover::join_normalized(base, name)
}

/// The templates root of a file: the path up to and including its last `templates/` (or
/// `views/`, `WEB-INF/`) folder, else its own folder.
pub fn templates_root(file: &str) -> &str {
    for marker in ["templates/", "views/", "WEB-INF/"] {
        if let Some(i) = file.rfind(marker) {
            if i == 0 || file.as_bytes().get(i - 1) == Some(&b'/') {
                return file.get(..i + marker.len()).unwrap_or("");
            }
        }
    }
    folder(file)
}

/// A quoted string literal at the start of `s` (after spaces): its value and the rest.
pub fn quoted(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    let q = s.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let body = s.get(1..)?;
    let end = body.find(q)?;
    Some((body.get(..end)?, body.get(end + 1..)?))
}

/// Byte offset of `needle` in `hay` from `from`.
pub fn find(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let rest = hay.as_bytes().get(from..)?;
    memchr::memmem::find(rest, needle.as_bytes()).map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_through_copies_and_generated_text() {
        let mut r = Rendered::default();
        let a = "ab\ncd";
        let b = "xyz";
        r.copy("a", a, 0..3);
        r.generate("b", b, 1, "GENERATED");
        r.copy("a", a, 3..5);
        assert_eq!(r.text, "ab\nGENERATEDcd");
        let at = |o| {
            let l = r.location(o);
            (l.file, l.line, l.column)
        };
        assert_eq!(at(1), ("a".into(), 1, 2));
        assert_eq!(at(5), ("b".into(), 1, 2));
        assert_eq!(at(13), ("a".into(), 2, 2));
    }

    #[test]
    fn a_partial_that_includes_itself_twice_stops_quickly() {
        let tree = SourceTree::from_files([
            ("views/p.ejs", "<%- include('q') %>"),
            (
                "views/q.ejs",
                "<p><%- include('q') %><%- include('q') %></p>",
            ),
        ]);
        let started = std::time::Instant::now();
        let r = render(&tree, "views/p.ejs", Framework::Ace);
        assert!(started.elapsed().as_secs() < 5);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.message.contains("more than 256")),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn templates_roots() {
        assert_eq!(templates_root("app/templates/a/b.html"), "app/templates/");
        assert_eq!(templates_root("views/x.hbs"), "views/");
        assert_eq!(templates_root("www/p.html"), "www/");
        assert_eq!(templates_root("mytemplates/p.html"), "mytemplates/");
    }
}
