//! Django: the URL confs (`urls.py`: `path`, `re_path`, `url`, with `include(...)` prefixes
//! from the including conf) give the view (`views.name`, `Name.as_view()`,
//! `TemplateView.as_view(template_name='x.html')`); the view's `render(request, 'x.html')`,
//! `render_to_response`, `TemplateResponse` or `template_name = 'x.html'` names a template,
//! looked up in every app's `templates/` folder. A descriptor that is itself a Django template
//! names its pages by reverse lookup (`{% url 'panel' %}`): the pattern of that `name=`.

use std::sync::LazyLock;

use regex::Regex;

use super::{balanced, folder_of, line_of, split_args, Cx, Found, FoundBy, Hits, Rule, SourceTree};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule {
    name: "django",
    find,
};

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| unreachable!("{e}"))
}

static ENTRY: LazyLock<Regex> = LazyLock::new(|| re(r"(?-u:\b)(path|re_path|url)[[:space:]]*\("));
static STR: LazyLock<Regex> = LazyLock::new(|| re(r#"^[rRuU]?(?:'([^'\n]*)'|"([^"\n]*)")$"#));
static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?:(?-u:\b)render[[:space:]]*\([^,()]*,|(?-u:\b)render_to_response[[:space:]]*\(|(?-u:\b)TemplateResponse[[:space:]]*\([^,()]*,|(?-u:\b)get_template[[:space:]]*\(|(?-u:\b)template_name[[:space:]]*=)[[:space:]]*['"]([^'"\n]+)['"]"#,
    )
});
static REVERSE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\{%[[:space:]]*url[[:space:]]+['"]([^'"]+)['"]"#));
static NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r#"^name[[:space:]]*=[[:space:]]*['"]([^'"]+)['"]$"#));
static IMPORT_AS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?m)^[[:space:]]*import[[:space:]]+([.[:word:]]+)(?:[[:space:]]+as[[:space:]]+([[:word:]]+))?[[:space:]]*$",
    )
});
static IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?m)^[[:space:]]*from[[:space:]]+([.[:word:]]+)[[:space:]]+import[[:space:]]+([^\n]+)")
});

/// One URL pattern: its regex (anchored at the start), whether it includes another conf, and
/// the view expression.
struct Entry {
    regex: String,
    name: Option<String>,
    include: Option<String>,
    view: String,
    line: usize,
}

/// A `path()` route (`x/<int:id>/`) or a `re_path` regex, as a regex fragment without anchors.
fn fragment(kind: &str, route: &str) -> String {
    if kind == "path" {
        let mut out = String::new();
        let mut rest = route;
        while let Some(open) = rest.find('<') {
            out.push_str(&regex::escape(rest.get(..open).unwrap_or("")));
            let close = rest
                .get(open..)
                .and_then(|r| r.find('>'))
                .map_or(rest.len(), |c| c + open);
            out.push_str("[^/]+");
            rest = rest.get(close + 1..).unwrap_or("");
        }
        out.push_str(&regex::escape(rest));
        out
    } else {
        route.trim_start_matches('^').to_string()
    }
}

fn entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for m in ENTRY.find_iter(text) {
        let Some((args, _)) = balanced(text, m.end() - 1, 8192) else {
            continue;
        };
        let args = split_args(args);
        let Some(route) = args.first().and_then(|a| STR.captures(a.trim())) else {
            continue;
        };
        let route = route.get(1).or(route.get(2)).map_or("", |g| g.as_str());
        let kind = m.as_str().split('(').next().unwrap_or("").trim();
        let Some(view) = args.get(1) else { continue };
        let include = view.trim().strip_prefix("include").and_then(|r| {
            let r = r.trim().strip_prefix('(')?;
            let first = split_args(r.trim_end_matches(')')).first()?.to_string();
            Some(
                STR.captures(first.trim())
                    .and_then(|c| c.get(1).or(c.get(2)))
                    .map_or(first.trim().to_string(), |g| g.as_str().to_string()),
            )
        });
        let name = args
            .iter()
            .find_map(|a| NAME.captures(a.trim()))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string());
        out.push(Entry {
            regex: fragment(kind, route),
            name,
            include,
            view: view.trim().to_string(),
            line: line_of(text, m.start()),
        });
    }
    out
}

/// The URL conf file a dotted module names (`app.urls` → `app/urls.py`), from `from`'s folder
/// or the project root.
fn module_file(tree: &SourceTree, from: &str, module: &str) -> Option<String> {
    let rel = module.trim_start_matches('.').replace('.', "/");
    let mut bases = vec![folder_of(from).to_string()];
    // `project/app/urls.py` includes `app.urls`: the project's parent is the import root.
    let mut f = folder_of(from).trim_end_matches('/');
    while let Some(i) = f.rfind('/') {
        f = f.get(..i).unwrap_or("");
        bases.push(format!("{f}/"));
    }
    bases.push(String::new());
    bases
        .into_iter()
        .flat_map(|b| [format!("{b}{rel}.py"), format!("{b}{rel}/__init__.py")])
        .find(|c| tree.lists(c))
}

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    let tree = cx.tree;
    let confs: Vec<(&str, &str)> = tree
        .files_where(|p| p.ends_with(".py") && (p.ends_with("urls.py") || p.contains("/urls/")))
        .filter(|(_, t)| t.contains("urlpatterns"))
        .collect();
    if confs.is_empty() {
        return;
    }
    let parsed: Vec<(&str, &str, Vec<Entry>)> =
        confs.iter().map(|(p, t)| (*p, *t, entries(t))).collect();
    // Which confs are included by others: the rest are roots.
    let mut included: Vec<String> = Vec::new();
    for (p, _, es) in &parsed {
        for e in es {
            if let Some(m) = e.include.as_deref().and_then(|m| module_file(tree, p, m)) {
                included.push(m);
            }
        }
    }
    let reverse = REVERSE
        .captures(cx.raw)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().rsplit(':').next().unwrap_or("").to_string());
    let url = cx.url.joined();
    let candidates = [url.clone(), format!("{url}/")];
    for (p, _, _) in parsed
        .iter()
        .filter(|(p, _, _)| !included.iter().any(|i| i == p))
    {
        let want = Want {
            candidates: &candidates,
            reverse: reverse.as_deref(),
        };
        walk(cx, hits, &parsed, p, String::new(), &want, 0);
    }
}

/// What the URL asks for: a path (with and without a trailing slash), or a reverse name.
struct Want<'a> {
    candidates: &'a [String],
    reverse: Option<&'a str>,
}

fn walk(
    cx: &Cx<'_>,
    hits: &mut Hits,
    parsed: &[(&str, &str, Vec<Entry>)],
    conf: &str,
    prefix: String,
    want: &Want<'_>,
    depth: usize,
) {
    let candidates = want.candidates;
    let Some((_, text, es)) = parsed.iter().find(|(p, _, _)| *p == conf) else {
        return;
    };
    if depth > 6 {
        return;
    }
    for e in es {
        let joined = format!("{prefix}{}", e.regex.trim_end_matches('$'));
        if let Some(inc) = &e.include {
            let Some(file) = module_file(cx.tree, conf, inc) else {
                continue;
            };
            // Only descend when the prefix can match.
            let Ok(start) = Regex::new(&format!("^(?:{joined})")) else {
                continue;
            };
            if want.reverse.is_some() || candidates.iter().any(|c| start.is_match(c)) {
                walk(cx, hits, parsed, &file, joined, want, depth + 1);
            }
            continue;
        }
        let Ok(full) = Regex::new(&format!("^(?:{joined})$")) else {
            continue;
        };
        let hit = match want.reverse {
            Some(name) => e.name.as_deref() == Some(name),
            None => candidates.iter().any(|c| full.is_match(c)),
        };
        if !hit {
            continue;
        }
        let by = format!("rendered by {conf}:{}", e.line);
        match view_template(cx.tree, conf, text, &e.view) {
            Some(name) => {
                let tried = template_files(cx.tree, conf, &name);
                match tried.iter().find(|t| cx.tree.contains(t)) {
                    Some(file) => hits
                        .found
                        .push(Found::new(file.clone(), FoundBy::DjangoView).at(conf, e.line)),
                    None => hits.absent(cx.tree, &tried, &by),
                }
            }
            None => continue,
        }
    }
}

/// The template a view expression renders.
fn view_template(tree: &SourceTree, conf: &str, text: &str, view: &str) -> Option<String> {
    if let Some(c) = TEMPLATE.captures(view) {
        return Some(c.get(1)?.as_str().to_string());
    }
    let name = view.split('(').next()?.trim();
    let name = name.strip_suffix(".as_view").unwrap_or(name);
    let (module, func) = match name.rsplit_once('.') {
        Some((m, f)) => (Some(m), f),
        None => (None, name),
    };
    // Where the view is defined: the module its name was imported from, else `views.py`
    // beside the conf.
    let mut files: Vec<String> = Vec::new();
    for c in IMPORT.captures_iter(text) {
        let (Some(from), Some(names)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let names = names.as_str();
        let wanted = module.unwrap_or(func);
        if names
            .split([',', '(', ')', ' '])
            .any(|n| n.trim() == wanted)
        {
            let from = from.as_str();
            let dotted = if module.is_some() {
                format!("{from}.{wanted}")
            } else {
                from.to_string()
            };
            if let Some(f) = module_file(tree, conf, &dotted) {
                files.push(f);
            }
        }
    }
    // `import app_views as views`, `import views`.
    if let Some(m) = module {
        for c in IMPORT_AS.captures_iter(text) {
            let Some(dotted) = c.get(1).map(|d| d.as_str()) else {
                continue;
            };
            let local = c
                .get(2)
                .map_or(dotted.rsplit('.').next().unwrap_or(dotted), |a| a.as_str());
            if local == m {
                files.extend(module_file(tree, conf, dotted));
            }
        }
    }
    files.push(format!("{}views.py", folder_of(conf)));
    for f in files {
        let Some(src) = tree.get(&f) else { continue };
        if let Some(body) = python_def(src, func) {
            if let Some(c) = TEMPLATE.captures(body) {
                return Some(c.get(1)?.as_str().to_string());
            }
        }
    }
    None
}

/// The text of `def name(` or `class name(` up to the next top-level statement.
fn python_def<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let n = regex::escape(name);
    let def = Regex::new(&format!(
        r"(?m)^[[:space:]]*(?:async[[:space:]]+)?(?:def|class)[[:space:]]+{n}(?-u:\b)"
    ))
    .ok()?;
    let m = def.find(text)?;
    let rest = text.get(m.end()..)?;
    let next = Regex::new(r"(?m)^(?:def|class|@)[[:space:]]").ok()?;
    let end = next.find(rest).map_or(rest.len(), |n| n.start());
    rest.get(..end)
}

/// Files a template name may be: under the conf's app's `templates/`, then under every
/// `templates/` folder of the tree.
fn template_files(tree: &SourceTree, conf: &str, name: &str) -> Vec<String> {
    let mut out = vec![format!("{}templates/{name}", folder_of(conf))];
    let mut roots: Vec<&str> = tree
        .paths()
        .filter_map(|p| p.find("templates/").and_then(|i| p.get(..i + 10)))
        .collect();
    roots.sort_unstable();
    roots.dedup();
    for r in roots {
        let c = format!("{r}{name}");
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{find_page, PageLookup};
    use super::*;

    #[test]
    fn url_confs_included_with_prefixes_lead_to_the_view_template() {
        let tree = SourceTree::from_files([
            (
                "site/urls.py",
                "from django.urls import include, re_path, path\nurlpatterns = [\n    re_path(r'^connect/', include('panels.urls')),\n    path('hello/', TemplateView.as_view(template_name='hello.html')),\n]\n",
            ),
            (
                "panels/urls.py",
                "import panel_views as views\nfrom .views import Glance\nurlpatterns = [\n    url(r'^issue-panel$', views.issue_panel, name='panel'),\n    url(r'^other$', views.other, name='other-view'),\n    path('glance/<int:id>/', Glance.as_view()),\n]\n",
            ),
            (
                "panels/panel_views.py",
                "def other(request):\n    return render(request, 'other.html')\n\ndef issue_panel(request):\n    if not ok:\n        return HttpResponse(status=401)\n    return render(request, 'panels/issue.html', {'a': 1})\n",
            ),
            (
                "panels/views.py",
                "class Glance(TemplateView):\n    template_name = 'panels/glance.html'\n",
            ),
            ("panels/templates/panels/issue.html", "x"),
            ("panels/templates/panels/glance.html", "x"),
            ("site/templates/hello.html", "x"),
        ]);
        let page = |u: &str| match find_page(&tree, u) {
            PageLookup::Found(f) => (f.file, f.found_by),
            other => panic!("{u}: {other:?}"),
        };
        assert_eq!(
            page("/connect/issue-panel?issueKey={issue.key}"),
            (
                "panels/templates/panels/issue.html".into(),
                FoundBy::DjangoView
            )
        );
        assert_eq!(
            page("/connect/glance/7").0,
            "panels/templates/panels/glance.html"
        );
        assert_eq!(page("/hello").0, "site/templates/hello.html");
        assert!(matches!(
            find_page(&tree, "/issue-panel"),
            PageLookup::NotFound { .. }
        ));
    }
}
