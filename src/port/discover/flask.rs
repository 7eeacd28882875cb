//! Flask: `@app.route('/path')` or `@bp.get('/path')` (with the blueprint's `url_prefix`), then
//! `render_template('x.html')` in that function: `templates/x.html` beside the Python file, in
//! the blueprint's `template_folder`, or at the root. A function that sends a file instead names
//! the page too: `send_from_directory(app.static_folder, 'x.html')` and `send_static_file('x.html')`
//! (the app's `static_folder`, `static/` by default), `send_from_directory('pages', 'x.html')`,
//! `send_file('static/x.html')` (beside the Python file).

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

static FLASK_SEND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)(?:send_from_directory[[:space:]]*\([[:space:]]*(?:'([^'\n]*)'|"([^"\n]*)"|[^,()'"]+)[[:space:]]*,|send_static_file[[:space:]]*\(|(send_file)[[:space:]]*\()[[:space:]]*(?:'([^'\n]+\.html?)'|"([^"\n]+\.html?)")"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static STATIC_FOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)static_folder[[:space:]]*=[[:space:]]*['"]([^'"]*)['"]"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// The file a route function's `body` sends, relative to the source root, when it sends one
/// (`send_from_directory`, `send_static_file`, `send_file` of an HTML file).
fn sent_file(folder: &str, text: &str, body: &str) -> Option<String> {
    let c = FLASK_SEND.captures(body)?;
    let name = first_group(&c, 4..=5)?;
    let dir = if c.get(3).is_some() {
        String::new()
    } else if let Some(literal) = first_group(&c, 1..=2) {
        format!("{}/", literal.trim_end_matches('/'))
    } else {
        // `app.static_folder`, `send_static_file`: the app's static folder.
        let named = STATIC_FOLDER
            .captures(text)
            .and_then(|s| Some(s.get(1)?.as_str().trim_matches('/').to_string()));
        format!("{}/", named.unwrap_or_else(|| "static".into()))
    };
    super::join_normalized(folder, &format!("{dir}{name}"))
}

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    let (tree, url) = (cx.tree, cx.url);
    for (path, text) in tree.files_where(|p| p.ends_with(".py")) {
        if !text.contains("render_template")
            && !text.contains("send_from_directory")
            && !text.contains("send_static_file")
            && !text.contains("send_file")
        {
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
            let body = text.get(m.end()..end).unwrap_or("");
            let line = line_of(text, m.start());
            let Some(name) = FLASK_RENDER
                .captures(body)
                .and_then(|c| first_group(&c, 1..=2))
            else {
                if let Some(file) = sent_file(folder_of(path), text, body) {
                    if tree.contains(&file) {
                        hits.found
                            .push(Found::new(file, FoundBy::FlaskRoute).at(path, line));
                    } else {
                        hits.absent(tree, &[file], &format!("sent by {path}:{line}"));
                    }
                }
                continue;
            };
            let tried = [
                format!("{}templates/{name}", folder_of(path)),
                format!("templates/{name}"),
            ];
            match tried.iter().find(|t| tree.contains(t)) {
                Some(file) => hits
                    .found
                    .push(Found::new(file.clone(), FoundBy::FlaskRoute).at(path, line)),
                None => hits.absent(tree, &tried, &format!("rendered by {path}:{line}")),
            }
        }
    }
}
