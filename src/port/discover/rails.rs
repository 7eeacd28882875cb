//! Rails: `config/routes.rb` (`get 'x', to: 'pages#show'`, `get 'x' => 'pages#show'`,
//! `get 'pages/show'`, `root 'pages#home'`, inside `namespace`/`scope` blocks) gives the
//! controller action; its `render 'view'` / `render :view` / `render template: 'c/v'`, or by
//! convention `app/views/<controller>/<action>.html.*`, names the view.

use std::sync::LazyLock;

use regex::Regex;

use super::{line_of, Cx, Found, FoundBy, Hits, Rule, SourceTree};

/// The rule's entry in the registry.
pub(super) const RULE: Rule = Rule {
    name: "rails",
    find,
};

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| unreachable!("{e}"))
}

static VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^(get|match|root)[[:space:]]*\(?[[:space:]]*(?:['"]([^'"]*)['"])?[[:space:]]*(?:=>[[:space:]]*['"]([^'"]+)['"])?"#,
    )
});
static TO: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?:to:|:to[[:space:]]*=>)[[:space:]]*['"]([^'"]+)['"]"#));
static CONTROLLER: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?:controller:|:controller[[:space:]]*=>)[[:space:]]*['":]([[:word:]/]+)"#)
});
static ACTION: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?:action:|:action[[:space:]]*=>)[[:space:]]*['":]([[:word:]]+)"#));
static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"^(namespace|scope)[[:space:]]*\(?[[:space:]]*(?:[:'"]([[:word:]/-]+)['"]?)?(?:[^\n]*?path:[[:space:]]*['"]([^'"]*)['"])?(?:[^\n]*?module:[[:space:]]*['":]([[:word:]/]+))?[^\n]*[[:space:]]do(?:[[:space:]]|$)"#,
    )
});
static RESOURCES: LazyLock<Regex> =
    LazyLock::new(|| re(r"^resources[[:space:]]*\(?[[:space:]]*:([[:word:]]+)([^\n]*)"));
static ONLY: LazyLock<Regex> =
    LazyLock::new(|| re(r"only:[[:space:]]*(?:\[([^\]]*)\]|:([[:word:]]+))"));
static PARAM: LazyLock<Regex> = LazyLock::new(|| re(r"param:[[:space:]]*:([[:word:]]+)"));
static RENDER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?-u:\b)render[[:space:]]*\(?[[:space:]]*(?:(?:template|action):[[:space:]]*)?(?:['"]([^'"\n]+)['"]|:([[:word:]]+))"#,
    )
});

/// One route: its path, `controller#action`, and line.
struct Route {
    path: String,
    target: String,
    line: usize,
}

fn routes(text: &str) -> Vec<Route> {
    // (indent, path prefix, controller module) of the open blocks.
    let mut stack: Vec<(usize, String, String)> = Vec::new();
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if line == "end" || line.starts_with("end ") {
            if stack.last().is_some_and(|(i, _, _)| *i >= indent) {
                stack.pop();
            }
            continue;
        }
        let (prefix, module) = stack
            .last()
            .map(|(_, p, m)| (p.clone(), m.clone()))
            .unwrap_or_default();
        if let Some(c) = BLOCK.captures(line) {
            let kind = c.get(1).map_or("", |m| m.as_str());
            let name = c.get(2).map_or("", |m| m.as_str());
            let path = c.get(3).map(|m| m.as_str()).unwrap_or(name);
            let (p, m) = if kind == "namespace" {
                (join(&prefix, path), join(&module, name))
            } else {
                let m = c
                    .get(4)
                    .map_or(module.clone(), |m| join(&module, m.as_str()));
                (join(&prefix, path), m)
            };
            stack.push((indent, p, m));
            continue;
        }
        if let Some(c) = RESOURCES.captures(line) {
            // `resources :things`: index, new, show and edit are the GET actions.
            let name = c.get(1).map_or("", |m| m.as_str());
            let rest = c.get(2).map_or("", |m| m.as_str());
            let only: Option<Vec<String>> = ONLY.captures(rest).map(|o| {
                o.get(1)
                    .or(o.get(2))
                    .map_or("", |m| m.as_str())
                    .split(',')
                    .map(|a| a.trim().trim_start_matches(':').to_string())
                    .collect()
            });
            let param = PARAM
                .captures(rest)
                .and_then(|p| p.get(1))
                .map_or("id".to_string(), |p| p.as_str().to_string());
            let base = join(&prefix, name);
            let controller = join(&module, name);
            for (action, path) in [
                ("index", base.clone()),
                ("new", format!("{base}/new")),
                ("show", format!("{base}/:{param}")),
                ("edit", format!("{base}/:{param}/edit")),
            ] {
                if only
                    .as_ref()
                    .is_some_and(|o| !o.iter().any(|a| a == action))
                {
                    continue;
                }
                out.push(Route {
                    path,
                    target: format!("{controller}#{action}"),
                    line: line_of(text, line_start),
                });
            }
            if line.ends_with(" do") || line.contains(" do |") {
                let singular = name.strip_suffix('s').unwrap_or(name);
                stack.push((indent, format!("{base}/:{singular}_id"), module.clone()));
            }
            continue;
        }
        let Some(c) = VERB.captures(line) else {
            continue;
        };
        let verb = c.get(1).map_or("", |m| m.as_str());
        let path = c.get(2).map_or("", |m| m.as_str());
        let root_target = (verb == "root" && path.contains('#')).then(|| path.to_string());
        let target = root_target
            .or_else(|| c.get(3).map(|m| m.as_str().to_string()))
            .or_else(|| {
                TO.captures(line)
                    .and_then(|t| t.get(1))
                    .map(|m| m.as_str().to_string())
            })
            .or_else(|| {
                let ctl = CONTROLLER.captures(line)?.get(1)?.as_str().to_string();
                let act = ACTION
                    .captures(line)
                    .and_then(|a| a.get(1))
                    .map_or("index".to_string(), |a| a.as_str().to_string());
                Some(format!("{ctl}#{act}"))
            })
            .or_else(|| {
                // `get 'pages/show'`: the controller and action are the path.
                let (c, a) = path.trim_matches('/').rsplit_once('/')?;
                Some(format!("{c}#{a}"))
            });
        let Some(target) = target else { continue };
        let path = if verb == "root" {
            String::new()
        } else {
            path.to_string()
        };
        let target = if module.is_empty() {
            target
        } else {
            format!("{module}/{target}")
        };
        out.push(Route {
            path: join(&prefix, &path),
            target,
            line: line_of(text, line_start),
        });
    }
    out
}

fn join(a: &str, b: &str) -> String {
    let (a, b) = (a.trim_matches('/'), b.trim_matches('/'));
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

fn find(cx: &Cx<'_>, hits: &mut Hits) {
    let tree = cx.tree;
    let Some(text) = tree.get("config/routes.rb") else {
        return;
    };
    for r in routes(text) {
        // Rails route paths use `:id` segments and an optional `(.:format)`.
        let path = r.path.replace("(.:format)", "");
        if !cx.url.matches(&format!("/{path}")) {
            continue;
        }
        let Some((controller, action)) = r.target.split_once('#') else {
            continue;
        };
        let view = action_view(tree, controller, action);
        let tried = view_files(tree, controller, &view);
        match tried.iter().find(|t| tree.contains(t)) {
            Some(file) => hits
                .found
                .push(Found::new(file.clone(), FoundBy::RailsRoute).at("config/routes.rb", r.line)),
            None => hits.absent(
                tree,
                &tried,
                &format!("rendered by config/routes.rb:{}", r.line),
            ),
        }
    }
}

/// The view an action renders: its `render`'s argument, else the action's name.
fn action_view(tree: &SourceTree, controller: &str, action: &str) -> String {
    let file = format!("app/controllers/{controller}_controller.rb");
    let Some(text) = tree.get(&file) else {
        return action.to_string();
    };
    let Ok(def) = Regex::new(&format!(
        r"(?m)^([[:space:]]*)def[[:space:]]+{}(?-u:\b)",
        regex::escape(action)
    )) else {
        return action.to_string();
    };
    let Some(m) = def.find(text) else {
        return action.to_string();
    };
    let rest = text.get(m.end()..).unwrap_or("");
    let end = rest
        .find("\n  def ")
        .or_else(|| rest.find("\ndef "))
        .unwrap_or(rest.len());
    let body = rest.get(..end).unwrap_or("");
    // The last render: an error path renders (or redirects) first.
    RENDER
        .captures_iter(body)
        .last()
        .and_then(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()))
        .unwrap_or_else(|| action.to_string())
}

/// Files a view may be: `app/views/<controller>/<view>.html.<engine>` (or the view's own
/// folder when it names one).
fn view_files(_tree: &SourceTree, controller: &str, view: &str) -> Vec<String> {
    let base = if view.contains('/') {
        format!("app/views/{view}")
    } else {
        format!("app/views/{controller}/{view}")
    };
    let mut out = Vec::new();
    for e in [
        "html.erb",
        "html.slim",
        "html.haml",
        "erb",
        "slim",
        "haml",
        "html",
    ] {
        out.push(format!("{base}.{e}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{find_page, PageLookup};
    use super::*;

    #[test]
    fn routes_lead_through_the_controller_to_the_view() {
        let tree = SourceTree::from_files([
            (
                "config/routes.rb",
                "Rails.application.routes.draw do\n  root 'home#index'\n  get 'panel', to: 'panels#show'\n  namespace :connect do\n    get 'glance' => 'glances#view'\n  end\n  get 'admin/settings'\n  resources :boards, only: [:edit, :update], param: :key\nend\n",
            ),
            (
                "app/controllers/panels_controller.rb",
                "class PanelsController < ApplicationController\n  def show\n    return render 'error' unless ok\n    render :panel\n  end\nend\n",
            ),
            ("app/views/panels/panel.html.erb", "x"),
            ("app/views/connect/glances/view.html.slim", "x"),
            ("app/views/admin/settings.html.haml", "x"),
            ("app/views/home/index.html.erb", "x"),
            ("app/views/boards/edit.html.erb", "x"),
        ]);
        let page = |u: &str| match find_page(&tree, u) {
            PageLookup::Found(f) => (f.file, f.found_by),
            other => panic!("{u}: {other:?}"),
        };
        assert_eq!(
            page("/panel?issue={issue.key}"),
            (
                "app/views/panels/panel.html.erb".into(),
                FoundBy::RailsRoute
            )
        );
        assert_eq!(
            page("/connect/glance").0,
            "app/views/connect/glances/view.html.slim"
        );
        assert_eq!(
            page("/admin/settings").0,
            "app/views/admin/settings.html.haml"
        );
        assert_eq!(page("/").0, "app/views/home/index.html.erb");
        assert_eq!(
            page("/boards/{project.id}/edit").0,
            "app/views/boards/edit.html.erb"
        );
        assert!(matches!(
            find_page(&tree, "/boards"),
            PageLookup::NotFound { .. }
        ));
    }
}
