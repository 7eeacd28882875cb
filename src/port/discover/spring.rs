//! Spring MVC and Spring Boot (Java, Kotlin): a controller's class-level `@RequestMapping`
//! prefix plus a method's `@GetMapping`/`@RequestMapping` path; the method's view name
//! (`return "view"`, `new ModelAndView("view")`, `setViewName`, Kotlin's `= "view"`) names a
//! Thymeleaf, Mustache, Handlebars or JSP template. A `@RestController` renders a page only
//! where a method returns a `ModelAndView`.

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
            if body.contains("@ResponseBody") || (rest && !body.contains("ModelAndView")) {
                continue;
            }
            let Some(view) = SPRING_VIEW
                .captures(body)
                .and_then(|c| first_group(&c, 1..=4))
            else {
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
            let tried: Vec<String> = [
                format!("{module}src/main/resources/templates/{view}.html"),
                format!("{module}src/main/resources/templates/{view}.mustache"),
                format!("{module}src/main/resources/templates/{view}.hbs"),
                format!("{module}src/main/webapp/WEB-INF/jsp/{view}.jsp"),
                format!("{module}src/main/webapp/WEB-INF/views/{view}.jsp"),
                format!("{module}src/main/resources/templates/{view}"),
            ]
            .into();
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
