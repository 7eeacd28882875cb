//! Spring MVC and Spring Boot (Java, Kotlin): a controller's class-level `@RequestMapping`
//! prefix plus a method's `@GetMapping`/`@RequestMapping` path; the method's view name
//! (`return "view"`, `new ModelAndView("view")`, `setViewName`, Kotlin's `= "view"`, or a
//! `String` constant of the class holding it: `return VIEW_NAME;`) names a Thymeleaf, Mustache,
//! Handlebars, Velocity, FreeMarker or JSP template, or a file of Spring Boot's static folders
//! (`setViewName("app/index.html")`). A method returning a `ModelAndView` renders it even
//! under `@ResponseBody` (Spring's ModelAndView handler comes first); other `@ResponseBody`
//! methods and a `@RestController`'s answer with data.

use std::sync::LazyLock;

use regex::Regex;

use super::{first_group, line_of, Cx, Found, FoundBy, Hits, Rule, UrlPath};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule {
    name: "spring",
    find,
};

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    spring_controllers(cx, cx.url, hits);
}

static JAVA_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:class|object)[[:space:]]+[A-Za-z_$][[:word:]$]*")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static SPRING_MAPPING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"@(GetMapping|RequestMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping)(?-u:\b)",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});
static STRING_LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""((?:[^"\\\n]|\\.)*)""#).unwrap_or_else(|e| unreachable!("{e}"))
});
static PATH_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:value|path)[[:space:]]*=").unwrap_or_else(|e| unreachable!("{e}"))
});
static OTHER_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[A-Za-z]+[[:space:]]*=").unwrap_or_else(|e| unreachable!("{e}"))
});
static SPRING_VIEW: LazyLock<Regex> = LazyLock::new(|| {
    // `return "view"`, `new ModelAndView("view")`, `setViewName("view")`, Kotlin's `): String = "view"`.
    Regex::new(r#"(?:(?-u:\b)return[[:space:]]+"([^"\n]+)"|(?-u:\b)ModelAndView[[:space:]]*\([[:space:]]*"([^"\n]+)"|(?-u:\b)setViewName[[:space:]]*\([[:space:]]*"([^"\n]+)"|\)[[:space:]]*:[[:space:]]*String[[:space:]]*=[[:space:]]*"([^"\n]+)")"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// `return VIEW_NAME;`, `new ModelAndView(VIEW)`, `setViewName(view)`: a view named by a
/// variable, resolved by [`constant`].
static VIEW_VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?-u:\b)return[[:space:]]+|(?-u:\b)ModelAndView[[:space:]]*\([[:space:]]*|(?-u:\b)setViewName[[:space:]]*\([[:space:]]*)([A-Za-z_$][[:word:]$]*)[[:space:]]*[;),]")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

static DELEGATE: LazyLock<Regex> = LazyLock::new(|| {
    // `return other(request, model);`: a handler answering with another method's view.
    Regex::new(r"(?-u:\b)return[[:space:]]+(?:this[[:space:]]*\.[[:space:]]*)?([A-Za-z_$][[:word:]$]*)[[:space:]]*\(")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// `return "<html>" + …`: a handler returning markup it builds as the response body.
static MARKUP_RETURNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)return[[:space:]]+"[[:space:]]*<"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// How many handlers deep a delegation (`return other(...)`) is followed.
const MAX_DELEGATION: usize = 3;

/// Longest annotation argument list read.
const MAX_ANNOTATION_ARGS: usize = 4096;

/// The text between the `(` at `open` and its `)`, skipping string literals; `None` if unclosed.
fn parenthesized(text: &str, open: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(open) != Some(&b'(') {
        return None;
    }
    let (mut depth, mut i, mut in_str) = (0usize, open, false);
    // Annotation arguments are short; an unclosed `(` must not make each scan run to the end.
    let limit = open.saturating_add(MAX_ANNOTATION_ARGS);
    while let Some(&b) = bytes.get(i).filter(|_| i < limit) {
        if in_str {
            match b {
                b'\\' => i += 1,
                b'"' => in_str = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_str = true,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((text.get(open + 1..i)?, i + 1));
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// The paths an annotation's arguments give: `("/x")`, `(value = "/x")`, `(path = {"/a", "/b"})`,
/// `(method = GET)` (no path: the prefix itself).
pub(super) fn mapping_paths(args: &str) -> Vec<String> {
    let literals = |s: &str| -> Vec<String> {
        STRING_LITERAL
            .captures_iter(s)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().to_string())
            .collect()
    };
    let region = if let Some(m) = PATH_KEY.find(args) {
        let after = args.get(m.end()..).unwrap_or("");
        // Up to the next `key =`.
        let end = OTHER_KEY.find(after).map_or(after.len(), |k| k.start());
        after.get(..end).unwrap_or("")
    } else {
        let end = OTHER_KEY.find(args).map_or(args.len(), |k| k.start());
        args.get(..end).unwrap_or("")
    };
    let found = literals(region);
    if found.is_empty() {
        vec![String::new()]
    } else {
        found
    }
}

fn spring_controllers(cx: &Cx<'_>, url: &UrlPath, hits: &mut Hits) {
    let tree = cx.tree;
    for (path, text) in tree.files_where(|p| p.ends_with(".java") || p.ends_with(".kt")) {
        if !text.contains("Mapping") {
            continue;
        }
        // A REST controller answers with data, except where a method returns a ModelAndView.
        let rest = text.contains("@RestController");
        let class_at = JAVA_CLASS.find(text).map_or(0, |m| m.start());
        struct Mapping<'t> {
            kind: &'t str,
            start: usize,
            end: usize,
            args: &'t str,
        }
        let mappings: Vec<Mapping> = SPRING_MAPPING
            .captures_iter(text)
            .filter_map(|c| {
                let whole = c.get(0)?;
                let after = whole.end() + text.get(whole.end()..)?.len()
                    - text.get(whole.end()..)?.trim_start().len();
                let (args, end) = parenthesized(text, after).unwrap_or(("", whole.end()));
                Some(Mapping {
                    kind: c.get(1)?.as_str(),
                    start: whole.start(),
                    end,
                    args,
                })
            })
            .collect();
        let prefixes: Vec<String> = mappings
            .iter()
            .filter(|m| m.start < class_at && m.kind == "RequestMapping")
            .flat_map(|m| mapping_paths(m.args))
            .collect();
        let prefixes = if prefixes.is_empty() {
            vec![String::new()]
        } else {
            prefixes
        };
        let methods: Vec<&Mapping> = mappings.iter().filter(|m| m.start >= class_at).collect();
        for (i, m) in methods.iter().enumerate() {
            let get = m.kind == "GetMapping"
                || (m.kind == "RequestMapping"
                    && (!m.args.contains("method") || m.args.contains("GET")));
            if !get {
                continue;
            }
            let matched = prefixes.iter().any(|p| {
                mapping_paths(m.args)
                    .iter()
                    .any(|s| url.matches(&format!("{p}/{s}")))
            });
            if !matched {
                continue;
            }
            let end = methods.get(i + 1).map_or(text.len(), |n| n.start);
            let body = text.get(m.end..end).unwrap_or("");
            let model_and_view = body.contains("ModelAndView");
            if !model_and_view && (rest || body.contains("@ResponseBody")) {
                if MARKUP_RETURNED.is_match(body) {
                    let at = format!("{path}:{}", line_of(text, m.start));
                    hits.built_in_code(&at, "a String of markup returned as the response body");
                }
                continue;
            }
            let starts: Vec<usize> = methods.iter().map(|m| m.start).collect();
            let Some(view) = view_of(text, body, &starts, 0) else {
                continue;
            };
            if view.starts_with("redirect:") {
                continue;
            }
            let view = view.trim_start_matches("forward:").trim_start_matches('/');
            let module = path
                .find("src/main/")
                .and_then(|i| path.get(..i))
                .unwrap_or("");
            let templates = format!("{module}src/main/resources/templates/{view}");
            let mut tried: Vec<String> = ["html", "mustache", "hbs", "vm", "ftlh", "ftl"]
                .iter()
                .map(|ext| format!("{templates}.{ext}"))
                .collect();
            tried.extend([
                format!("{module}src/main/webapp/WEB-INF/jsp/{view}.jsp"),
                format!("{module}src/main/webapp/WEB-INF/views/{view}.jsp"),
                templates,
            ]);
            // A view name with its extension (`app/index.html`) is forwarded to that file, which
            // Spring Boot serves from its static folders.
            if view
                .rsplit('/')
                .next()
                .is_some_and(|name| name.contains('.'))
            {
                tried.extend(
                    ["static", "public", "resources", "META-INF/resources"]
                        .iter()
                        .map(|dir| format!("{module}src/main/resources/{dir}/{view}")),
                );
            }
            let line = line_of(text, m.start);
            match tried.iter().find(|t| tree.contains(t)) {
                Some(file) => hits
                    .found
                    .push(Found::new(file.clone(), FoundBy::SpringController).at(path, line)),
                None => hits.absent(tree, &tried, &format!("returned by {path}:{line}")),
            }
        }
    }
}

/// The view name a handler's `body` returns, following a `return other(...)` before it to the
/// method of the same class it calls (up to [`MAX_DELEGATION`] deep; that method's body runs
/// from its declaration to the next mapping annotation after it, `starts`). A delegation that
/// leads to no view leaves the body's own view.
fn view_of<'t>(text: &'t str, body: &'t str, starts: &[usize], depth: usize) -> Option<&'t str> {
    let literal = SPRING_VIEW
        .captures(body)
        .and_then(|c| Some((c.get(0)?.start(), first_group(&c, 1..=4)?)));
    let variable = VIEW_VARIABLE.captures_iter(body).find_map(|c| {
        let name = c.get(1)?;
        Some((name.start(), constant(text, body, name.as_str())?))
    });
    let view = match (literal, variable) {
        (Some(l), Some(v)) => Some(if v.0 < l.0 { v } else { l }),
        (l, v) => l.or(v),
    };
    let delegate = DELEGATE
        .captures(body)
        .and_then(|c| c.get(1))
        .filter(|d| depth < MAX_DELEGATION && view.is_none_or(|(at, _)| d.start() < at));
    let followed = delegate.and_then(|d| {
        let at = declaration(text, d.as_str())?;
        let end = starts
            .iter()
            .copied()
            .find(|&s| s > at)
            .unwrap_or(text.len());
        view_of(text, text.get(at..end)?, starts, depth + 1)
    });
    followed.or(view.map(|(_, v)| v))
}

/// The string a variable holds: a local `String view = "x";` of the handler's `body` first, else
/// a constant of the class (`static final String VIEW_NAME = "x";`, Kotlin's
/// `const val VIEW_NAME = "x"`).
fn constant<'t>(text: &'t str, body: &'t str, name: &str) -> Option<&'t str> {
    let declared = Regex::new(&format!(
        r#"(?:(?-u:\b)String|(?-u:\b)va[lr])[[:space:]]+{}[[:space:]]*(?::[[:space:]]*String[[:space:]]*)?=[[:space:]]*"([^"\n]+)""#,
        regex::escape(name)
    ))
    .ok()?;
    [body, text].into_iter().find_map(|t| {
        declared
            .captures(t)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str())
    })
}

/// Where the method `name` is declared in `text`: an occurrence of `name(` whose argument list
/// is followed by its body (`{`, Java's `throws …` first, or Kotlin's `:`/`=`), not a call.
fn declaration(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    text.match_indices(name).find_map(|(i, _)| {
        let before = i.checked_sub(1).and_then(|b| bytes.get(b)).copied();
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.')) {
            return None;
        }
        let after = i + name.len();
        let open = after + text.get(after..)?.len() - text.get(after..)?.trim_start().len();
        let (_, close) = parenthesized(text, open)?;
        let rest = skip_comments(text.get(close..)?);
        (rest.starts_with('{')
            || rest.starts_with("throws")
            || rest.starts_with(':')
            || rest.starts_with('='))
        .then_some(i)
    })
}

/// `text` from its first character that is neither white space nor in a `//` or `/* */`
/// comment.
fn skip_comments(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("//") {
            text = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = text.strip_prefix("/*") {
            text = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return text;
        }
    }
}
