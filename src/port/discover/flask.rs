//! Flask: `@app.route('/path')` or `@bp.get('/path')` (with the blueprint's `url_prefix`), then
//! `render_template('x.html')` in that function: `templates/x.html` beside the Python file, in
//! the blueprint's `template_folder`, or at the root.

use std::sync::LazyLock;

use regex::Regex;

use super::{first_group, folder_of, line_of, Cx, Found, FoundBy, Hits, Rule};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule {
    name: "flask",
    find,
};

static URL_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)url_prefix[[:space:]]*=[[:space:]]*['"]([^'"]*)['"]"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

static FLASK_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"@[[:space:]]*[A-Za-z_][[:word:]]*[[:space:]]*\.[[:space:]]*(?:route|get)[[:space:]]*\([[:space:]]*(?:'([^'\n]*)'|"([^"\n]*)")"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static FLASK_RENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)render_template[[:space:]]*\([[:space:]]*(?:'([^'\n]+)'|"([^"\n]+)")"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    let (tree, url) = (cx.tree, cx.url);
    for (path, text) in tree.files_where(|p| p.ends_with(".py")) {
        if !text.contains("render_template") {
            continue;
        }
        let mut prefixes: Vec<String> = URL_PREFIX
            .captures_iter(text)
            .filter_map(|c| Some(c.get(1)?.as_str().to_string()))
            .collect();
        prefixes.push(String::new());
        let routes: Vec<_> = FLASK_ROUTE
            .captures_iter(text)
            .filter_map(|c| Some((c.get(0)?, first_group(&c, 1..=2)?)))
            .collect();
        for (i, (m, route)) in routes.iter().enumerate() {
            if !prefixes
                .iter()
                .any(|p| url.matches(&format!("{p}/{route}")))
            {
                continue;
            }
            let end = routes.get(i + 1).map_or(text.len(), |(n, _)| n.start());
            let Some(name) = text
                .get(m.end()..end)
                .and_then(|body| FLASK_RENDER.captures(body))
                .and_then(|c| first_group(&c, 1..=2))
            else {
                continue;
            };
            let tried = [
                format!("{}templates/{name}", folder_of(path)),
                format!("templates/{name}"),
            ];
            let line = line_of(text, m.start());
            match tried.iter().find(|t| tree.contains(t)) {
                Some(file) => hits
                    .found
                    .push(Found::new(file.clone(), FoundBy::FlaskRoute).at(path, line)),
                None => hits.absent(tree, &tried, &format!("rendered by {path}:{line}")),
            }
        }
    }
}
