//! Go: `net/http` (`http.HandleFunc`, `mux.Handle`), gorilla/mux (`r.HandleFunc(...)`,
//! `r.PathPrefix(...).Handler(...)`) and chi (`r.Get`, `r.Handle`) routes; the handler, inline
//! or a named function or method, executes an `html/template` (`ExecuteTemplate(w, "x.html",
//! ...)`, `template.ParseFiles("x.html")` then `Execute`) or serves a file (`http.ServeFile`);
//! a built `index.html` leads to the front-end project that builds it. A pattern ending in `/`
//! and a `PathPrefix` match the URLs below them.

use std::sync::LazyLock;

use regex::Regex;

use super::{balanced, express, line_of, split_args, Cx, Found, FoundBy, Hits, Rule, SourceTree};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule { name: "go", find };

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| unreachable!("{e}"))
}

static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"\.(HandleFunc|Handle|Get|Path|PathPrefix|Method|MethodFunc)[[:space:]]*\((?:[[:space:]]*"GET"[[:space:]]*,)?[[:space:]]*"([^"\n]*)""#,
    )
});
static EXECUTE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"ExecuteTemplate[[:space:]]*\([^,]*,[[:space:]]*"([^"\n]+)""#));
static PARSE_FILES: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?:ParseFiles|ParseGlob)[[:space:]]*\([[:space:]]*"([^"\n]+)""#));
static SERVE_FILE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"ServeFile[[:space:]]*\([^,]*,[^,]*,[[:space:]]*"([^"\n]+)""#));
static HANDLER_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:&?[A-Za-z_][[:word:]]*\.)?([A-Za-z_][[:word:]]*)"));

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    let tree = cx.tree;
    let files: Vec<(&str, &str)> = tree
        .files_where(|p| p.ends_with(".go") && !p.ends_with("_test.go"))
        .filter(|(_, t)| t.contains("net/http") || t.contains("Handle") || t.contains("chi"))
        .collect();
    if files.is_empty() {
        return;
    }
    for (path, text) in &files {
        for c in ROUTE.captures_iter(text) {
            let (Some(whole), Some(kind), Some(pattern)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let pattern = pattern.as_str();
            // `GET /x` (Go 1.22 patterns), a host prefix, or a path.
            let pattern = pattern
                .strip_prefix("GET ")
                .unwrap_or(pattern)
                .trim_start_matches(|ch: char| ch != '/');
            let prefix = kind.as_str() == "PathPrefix" || pattern.ends_with('/');
            let hit = if prefix {
                cx.url.matches_prefix(pattern)
            } else {
                cx.url.matches(pattern)
            };
            if !hit {
                continue;
            }
            let line = line_of(text, whole.start());
            // The handler: the rest of the call and the chain after it (`.Handler(h)`).
            let after = text.get(whole.end()..).unwrap_or("");
            let call_end = after.find('\n').unwrap_or(after.len());
            let call = after.get(..call_end).unwrap_or("");
            let body = handler_body(&files, text, whole.end(), call);
            let Some(found) = page_of(tree, &files, &body) else {
                continue;
            };
            hits.found.push(found.at(path, line));
        }
    }
}

/// The handler's code: an inline `func(...) {...}` after the route, or the body of the named
/// function or method it passes.
fn handler_body(files: &[(&str, &str)], text: &str, at: usize, call: &str) -> String {
    let rest = text.get(at..).unwrap_or("");
    // `, func(w, r) {` or `).HandlerFunc(func(w, r) {`: an inline handler.
    if let Some(f) = call.find("func(") {
        if let Some(open) = rest.get(f..).and_then(|r| r.find('{')).map(|o| o + f) {
            if let Some((body, _)) = balanced(rest, open, 256 * 1024) {
                return body.to_string();
            }
        }
    }
    // The handler argument: the last argument of the route call, or of `.Handler(...)` /
    // `.HandlerFunc(...)` after it.
    let args: Vec<&str> = match call.find(".Handler") {
        Some(i) => {
            let open = call.get(i..).and_then(|c| c.find('(')).map(|o| o + i);
            open.and_then(|o| balanced(call, o, 4096))
                .map(|(a, _)| split_args(a))
                .unwrap_or_default()
        }
        None => split_args(call.split(')').next().unwrap_or("")),
    };
    let Some(last) = args.last() else {
        return call.to_string();
    };
    // `http.HandlerFunc(h)`, `s.handler`, `handler(tmpl)`: the innermost name.
    let inner = last
        .trim()
        .trim_start_matches("http.HandlerFunc(")
        .trim_end_matches(')');
    let Some(name) = HANDLER_NAME
        .captures(inner)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
    else {
        return call.to_string();
    };
    let def = Regex::new(&format!(
        r"(?m)^func[[:space:]]+(?:\([^)]*\)[[:space:]]*)?{}[[:space:]]*\(",
        regex::escape(name)
    ));
    let Ok(def) = def else {
        return call.to_string();
    };
    for (_, t) in files {
        if let Some(m) = def.find(t) {
            let rest = t.get(m.end()..).unwrap_or("");
            let end = rest.find("\nfunc ").unwrap_or(rest.len());
            return format!("{call}\n{}", rest.get(..end).unwrap_or(""));
        }
    }
    call.to_string()
}

/// The page a handler body shows.
fn page_of(tree: &SourceTree, files: &[(&str, &str)], body: &str) -> Option<Found> {
    if let Some(c) = SERVE_FILE.captures(body) {
        let file = c.get(1)?.as_str().trim_start_matches("./");
        if tree.contains(file) {
            return Some(Found::new(file, FoundBy::GoHandler));
        }
        return express::built_page(tree, file);
    }
    if let Some(c) = EXECUTE.captures(body) {
        let name = c.get(1)?.as_str();
        return template_file(tree, files, name);
    }
    if body.contains(".Execute(") {
        // `tmpl.Execute(w, data)` of a template parsed from one file.
        let parsed = PARSE_FILES
            .captures(body)
            .or_else(|| files.iter().find_map(|(_, t)| PARSE_FILES.captures(t)))?;
        let file = parsed.get(1)?.as_str().trim_start_matches("./");
        if tree.contains(file) {
            return Some(Found::new(file, FoundBy::GoHandler));
        }
    }
    None
}

/// The template file a name executes: a file of that name (or that name plus a template
/// extension), else one whose `{{define "name"}}` it is.
fn template_file(tree: &SourceTree, _files: &[(&str, &str)], name: &str) -> Option<Found> {
    let exts = ["", ".html", ".gohtml", ".tmpl", ".gotmpl"];
    let mut by_name: Vec<&str> = tree
        .paths()
        .filter(|p| {
            let base = p.rsplit('/').next().unwrap_or(p);
            exts.iter().any(|e| base == format!("{name}{e}"))
        })
        .collect();
    by_name.sort_by_key(|p| p.len());
    if let Some(p) = by_name.first() {
        return Some(Found::new(*p, FoundBy::GoHandler));
    }
    let define = [
        format!("{{{{define \"{name}\"}}}}"),
        format!("{{{{ define \"{name}\" }}}}"),
        format!("{{{{- define \"{name}\" -}}}}"),
    ];
    tree.files_where(|p| {
        let lower = p.to_ascii_lowercase();
        [".html", ".gohtml", ".tmpl", ".gotmpl"]
            .iter()
            .any(|e| lower.ends_with(e))
    })
    .find(|(_, t)| define.iter().any(|d| t.contains(d.as_str())))
    .map(|(p, _)| Found::new(p, FoundBy::GoHandler))
}

#[cfg(test)]
mod tests {
    use super::super::{find_page, PageLookup};
    use super::*;

    fn page(tree: &SourceTree, url: &str) -> (String, FoundBy) {
        match find_page(tree, url) {
            PageLookup::Found(f) => (f.file, f.found_by),
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn net_http_gorilla_and_chi_handlers_executing_templates() {
        let tree = SourceTree::from_files([
            (
                "cmd/app/main.go",
                "package main\nimport \"net/http\"\nfunc main() {\n\tr := mux.NewRouter()\n\tr.HandleFunc(\"/panel\", s.panel).Methods(\"GET\")\n\thttp.HandleFunc(\"/glance\", func(w http.ResponseWriter, r *http.Request) {\n\t\ttmpl.ExecuteTemplate(w, \"glance\", nil)\n\t})\n\tc.Get(\"/macro\", macro)\n\tr.PathPrefix(\"/ui/\").Handler(http.HandlerFunc(spa))\n\tr.PathPrefix(\"/app/\").HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\thttp.ServeFile(w, r, \"web/app.html\")\n\t})\n}\nfunc (s *Server) panel(w http.ResponseWriter, r *http.Request) {\n\ts.t.ExecuteTemplate(w, \"panel.html\", nil)\n}\nfunc macro(w http.ResponseWriter, r *http.Request) {\n\tt := template.Must(template.ParseFiles(\"web/macro.gohtml\"))\n\tt.Execute(w, nil)\n}\nfunc spa(w http.ResponseWriter, r *http.Request) {\n\thttp.ServeFile(w, r, \"./ui/build/index.html\")\n}\n",
            ),
            ("web/templates/panel.html", "x"),
            ("web/templates/parts.tmpl", "{{define \"glance\"}}<p>{{end}}"),
            ("web/macro.gohtml", "x"),
            ("web/app.html", "x"),
            ("ui/public/index.html", "x"),
        ]);
        assert_eq!(
            page(&tree, "/panel"),
            ("web/templates/panel.html".into(), FoundBy::GoHandler)
        );
        assert_eq!(page(&tree, "/glance").0, "web/templates/parts.tmpl");
        assert_eq!(page(&tree, "/macro").0, "web/macro.gohtml");
        assert_eq!(page(&tree, "/app/x/y").0, "web/app.html");
        assert_eq!(
            page(&tree, "/ui/admin/tokens"),
            ("ui/public/index.html".into(), FoundBy::FrontEnd)
        );
    }
}
