//! PHP frameworks. Symfony: a controller method under `@Route("/x")` (a docblock annotation) or
//! `#[Route('/x')]` (an attribute), after the class's own route prefix, renders
//! `$this->render('a/b.html.twig')`: `templates/a/b.html.twig` (Symfony 4+) or
//! `app/Resources/views/a/b.html.twig` (Symfony 3). Laravel: `Route::get('/x', …)` in
//! `routes/*.php` — a closure returning `view('a.b')`, `Route::view('/x', 'a.b')`, or a controller
//! method (`[XController::class, 'm']`, `'XController@m'`) returning `view('a.b')` —
//! renders `resources/views/a/b.blade.php` (or `.php`). Both serve static files from `public/`.

use std::sync::LazyLock;

use regex::Regex;

use super::{first_group, line_of, Cx, Found, FoundBy, Hits, Rule, SourceTree};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule { name: "php", find };

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| unreachable!("{e}"))
}

/// A Symfony route: `@Route("/x"`, `@Route(path="/x"`, `#[Route('/x'`, `#[Route(path: '/x'`.
static SF_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?:@Route|#\[Route)[[:space:]]*\([[:space:]]*(?:path[[:space:]]*[=:][[:space:]]*)?(?:'([^'\n]*)'|"([^"\n]*)")"#,
    )
});
static SF_RENDER: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"->render(?:View|Response)?[[:space:]]*\([[:space:]]*(?:'([^'\n]+)'|"([^"\n]+)")"#)
});
static CLASS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?m)^[[:space:]]*(?:(?:final|abstract)[[:space:]]+)*class[[:space:]]"));

/// A Laravel route: `Route::get('/x', ` (also `any`, `view`).
static LV_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"Route::(get|any|view)[[:space:]]*\([[:space:]]*(?:'([^'\n]*)'|"([^"\n]*)")[[:space:]]*,[[:space:]]*"#,
    )
});
static LV_VIEW: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?-u:\b)(?:view|View::make)[[:space:]]*\([[:space:]]*(?:'([^'\n]+)'|"([^"\n]+)")"#)
});
/// `[XController::class, 'method']` or `'XController@method'`.
static LV_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^(?:\[[[:space:]]*\\?(?:[[:word:]]+\\)*([[:word:]]+)::class[[:space:]]*,[[:space:]]*['"]([[:word:]]+)['"]|['"](?:[[:word:]]+\\)*([[:word:]]+)@([[:word:]]+)['"])"#,
    )
});

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    let (tree, url) = (cx.tree, cx.url);
    for (path, text) in tree.files_where(|p| p.ends_with(".php")) {
        if text.contains("Route") && (text.contains("->render") || text.contains("Route::")) {
            symfony(tree, url, path, text, hits);
            laravel(tree, url, path, text, hits);
        }
    }
}

fn symfony(tree: &SourceTree, url: &super::url::UrlPath, path: &str, text: &str, hits: &mut Hits) {
    let routes: Vec<_> = SF_ROUTE
        .captures_iter(text)
        .filter_map(|c| Some((c.get(0)?, first_group(&c, 1..=2)?)))
        .collect();
    if routes.is_empty() {
        return;
    }
    // A route before the class is the class's prefix.
    let class_at = CLASS.find(text).map_or(0, |m| m.start());
    let prefix = routes
        .iter()
        .take_while(|(m, _)| m.start() < class_at)
        .last()
        .map_or("", |(_, r)| r.trim_end_matches('/'));
    for (i, (m, route)) in routes.iter().enumerate() {
        if m.start() < class_at
            || !url.matches(&format!("{prefix}/{}", route.trim_start_matches('/')))
        {
            continue;
        }
        let end = routes.get(i + 1).map_or(text.len(), |(n, _)| n.start());
        let body = text.get(m.end()..end).unwrap_or("");
        let Some(name) = SF_RENDER
            .captures(body)
            .and_then(|c| first_group(&c, 1..=2))
        else {
            continue;
        };
        let project = project_of(path, "src/");
        let tried = [
            format!("{project}templates/{name}"),
            format!("{project}app/Resources/views/{name}"),
        ];
        settle(tree, &tried, path, line_of(text, m.start()), hits);
    }
}

fn laravel(tree: &SourceTree, url: &super::url::UrlPath, path: &str, text: &str, hits: &mut Hits) {
    let routes: Vec<_> = LV_ROUTE
        .captures_iter(text)
        .filter_map(|c| Some((c.get(0)?, c.get(1)?.as_str(), first_group(&c, 2..=3)?)))
        .collect();
    for (i, (m, verb, route)) in routes.iter().enumerate() {
        if !url.matches(&format!("/{}", route.trim_start_matches('/'))) {
            continue;
        }
        let end = routes.get(i + 1).map_or(text.len(), |(n, _, _)| n.start());
        let rest = text.get(m.end()..end).unwrap_or("");
        let project = project_of(path, "routes/");
        let name = if *verb == "view" {
            super::super::render::quoted(rest).map(|(v, _)| v.to_string())
        } else if let Some(c) = LV_ACTION.captures(rest) {
            let (Some(class), Some(method)) = (
                first_group(&c, 1..=1).or(first_group(&c, 3..=3)),
                first_group(&c, 2..=2).or(first_group(&c, 4..=4)),
            ) else {
                continue;
            };
            controller_view(tree, &project, class, method)
        } else {
            LV_VIEW
                .captures(rest)
                .and_then(|c| first_group(&c, 1..=2))
                .map(str::to_string)
        };
        let Some(name) = name else { continue };
        let view = name.replace('.', "/");
        let tried = [
            format!("{project}resources/views/{view}.blade.php"),
            format!("{project}resources/views/{view}.php"),
        ];
        settle(tree, &tried, path, line_of(text, m.start()), hits);
    }
}

/// The view a Laravel controller's method returns: `app/Http/Controllers/<Class>.php`, the
/// method's body up to the next method.
fn controller_view(tree: &SourceTree, project: &str, class: &str, method: &str) -> Option<String> {
    let file = tree
        .paths()
        .find(|p| {
            p.starts_with(project)
                && p.ends_with(&format!("/{class}.php"))
                && p.contains("Controllers/")
        })?
        .to_string();
    let text = tree.get(&file)?;
    let at = re(&format!(
        r"function[[:space:]]+{}[[:space:]]*\(",
        regex::escape(method)
    ))
    .find(text)?
    .end();
    let body = text.get(at..)?;
    let body = body.get(..body.find("function ").unwrap_or(body.len()))?;
    let c = LV_VIEW.captures(body)?;
    first_group(&c, 1..=2).map(str::to_string)
}

/// The project folder of a file under `marker` (`web/src/Controller/A.php` → `web/`).
fn project_of(path: &str, marker: &str) -> String {
    match path.rfind(marker) {
        Some(i) if i == 0 || path.as_bytes().get(i - 1) == Some(&b'/') => {
            path.get(..i).unwrap_or("").to_string()
        }
        _ => String::new(),
    }
}

/// The first of `tried` that the tree holds is the page; none is an absent page, named.
fn settle(tree: &SourceTree, tried: &[String], route_file: &str, line: usize, hits: &mut Hits) {
    match tried.iter().find(|t| tree.contains(t)) {
        Some(file) => hits
            .found
            .push(Found::new(file.clone(), FoundBy::PhpRoute).at(route_file, line)),
        None => hits.absent(tree, tried, &format!("rendered by {route_file}:{line}")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{find_page, PageLookup};
    use super::*;

    fn page(tree: &SourceTree, url: &str) -> String {
        match find_page(tree, url) {
            PageLookup::Found(f) => {
                assert_eq!(f.found_by, FoundBy::PhpRoute);
                f.file
            }
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn symfony_annotations_attributes_and_class_prefixes() {
        let tree = SourceTree::from_files([
            (
                "src/Controller/PanelController.php",
                "<?php\nclass PanelController extends AbstractController\n{\n    /**\n     * @Route(\"/summary\")\n     */\n    public function summary() {\n        return $this->render('panel/summary.html.twig', ['a' => 1]);\n    }\n\n    /** @Route(\"/id/{email}\") */\n    public function id($email) { return new JsonResponse([]); }\n}\n",
            ),
            (
                "src/Controller/AdminController.php",
                "<?php\n#[Route('/admin')]\nfinal class AdminController extends AbstractController\n{\n    #[Route(path: '/config', name: 'config')]\n    public function config(): Response { return $this->render(\"admin/config.html.twig\"); }\n}\n",
            ),
            ("templates/panel/summary.html.twig", "x"),
            ("templates/admin/config.html.twig", "x"),
        ]);
        assert_eq!(
            page(&tree, "/summary?issueKey={issue.key}"),
            "templates/panel/summary.html.twig"
        );
        assert_eq!(
            page(&tree, "/admin/config"),
            "templates/admin/config.html.twig"
        );
        // A route that renders no template is not a page; an unprefixed path is not the route.
        assert!(matches!(
            find_page(&tree, "/id/a"),
            PageLookup::NotFound { .. }
        ));
        assert!(matches!(
            find_page(&tree, "/config"),
            PageLookup::NotFound { .. }
        ));
    }

    #[test]
    fn laravel_closures_views_and_controllers() {
        let tree = SourceTree::from_files([
            (
                "routes/web.php",
                "<?php\nRoute::get('/panel', function () {\n    return view('connect.panel', ['x' => 1]);\n});\nRoute::view('/about', 'about');\nRoute::get('/config', [ConfigController::class, 'show']);\nRoute::get('/old', 'LegacyController@index');\n",
            ),
            (
                "app/Http/Controllers/ConfigController.php",
                "<?php\nclass ConfigController extends Controller {\n    public function index() { return view('wrong'); }\n    public function show() { return view('config.show'); }\n}\n",
            ),
            (
                "app/Http/Controllers/LegacyController.php",
                "<?php\nclass LegacyController extends Controller {\n    public function index() { return View::make('legacy'); }\n}\n",
            ),
            ("resources/views/connect/panel.blade.php", "x"),
            ("resources/views/about.blade.php", "x"),
            ("resources/views/config/show.blade.php", "x"),
            ("resources/views/wrong.blade.php", "x"),
            ("resources/views/legacy.php", "x"),
        ]);
        assert_eq!(
            page(&tree, "/panel"),
            "resources/views/connect/panel.blade.php"
        );
        assert_eq!(page(&tree, "/about"), "resources/views/about.blade.php");
        assert_eq!(
            page(&tree, "/config"),
            "resources/views/config/show.blade.php"
        );
        assert_eq!(page(&tree, "/old"), "resources/views/legacy.php");
    }
}
