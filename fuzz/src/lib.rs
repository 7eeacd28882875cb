//! The whole in-memory pipeline of connect2forge, as the fuzz targets drive it:
//! bytes → text (as the CLI decodes it) → descriptor → app → rendered files → plan → review text.
//!
//! Any panic (including overflow checks and debug assertions, which cargo-fuzz enables) is a bug.
//! So is `Error::Template`: the templates are the built-in ones, so a template error means the
//! renderer or the mapping produced something its own self-check rejects (the harness panics).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use connect2forge::descriptor::product::Product;
use connect2forge::descriptor::ReadOptions;
use connect2forge::review::emit;
use connect2forge::scaffold::Templates;
use connect2forge::source::SourceText;
use connect2forge::Error;

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| Templates::load(None).expect("built-in templates load"))
}

/// Options of the `pipeline` target: what `migrate FILE` uses with no flags.
pub fn default_options() -> ReadOptions {
    ReadOptions::default()
}

/// Options of the `pipeline_jira` target: `--product jira --var localBaseUrl=https://x`, so
/// product detection and unresolved-placeholder refusals do not hide the mapping.
pub fn jira_options() -> ReadOptions {
    ReadOptions {
        product: Some(Product::Jira),
        vars: BTreeMap::from([("localBaseUrl".to_string(), "https://x".to_string())]),
        keep_connect: Vec::new(),
    }
}

/// Decodes with the CLI's own decoder; invalid UTF-8, which it refuses, is decoded lossily instead
/// (U+FFFD text is a valid UTF-8 file anyway, so no fuzz input is wasted).
fn decode(bytes: &[u8]) -> Option<String> {
    match connect2forge::source::decode(bytes.to_vec()) {
        Ok(text) => Some(text),
        Err(_) if std::str::from_utf8(bytes).is_err() => {
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
        // Refused by encoding (UTF-16/32, NUL bytes): its message is part of the run.
        Err(_message) => None,
    }
}

/// Runs the pipeline; returns the review text (or the error lines), so the work is not optimised
/// away and tests can look at it.
pub fn run(bytes: &[u8], options: &ReadOptions) -> String {
    let Some(text) = decode(bytes) else {
        return String::new();
    };
    let src = SourceText::new("fuzz.json", text);
    let rendered =
        match connect2forge::migration::render_descriptor(&src, options, templates(), None) {
            Ok(v) => v,
            Err(e @ Error::Template { .. }) => {
                panic!("the built-in templates failed on this input: {e}")
            }
            Err(e) => return error_text(&e),
        };
    // The same emitters as the CLI: warnings, the text review and the JSON review.
    let review = rendered.review_for_new_folder(&src.name, std::path::Path::new("out"));
    format!(
        "{}{}{}",
        emit::warnings(&review),
        emit::text(&review, false),
        emit::json(&review)
    )
}

/// The error as the CLI shows it: the headline and every diagnostic line.
fn error_text(e: &Error) -> String {
    let mut s = e.to_string();
    if let Error::Input(diags) = e {
        for d in diags {
            s.push('\n');
            s.push_str(&d.to_line());
        }
    }
    s
}

/// The port stage's page side, as the `port_page` target drives it: the bytes are a small app —
/// a first byte choosing the framework, then files separated by NUL bytes (the page, its
/// layout, a partial, a script, a stylesheet) — read, rendered, split and carried. Any panic is
/// a bug; so is a carried `index.html` that, read back with the same HTML5 tokenizer, does not
/// load `./main.js` first and then every carried script, or a warning placed outside its file.
pub fn port_page(data: &[u8]) {
    use connect2forge::port::carry::carry;
    use connect2forge::port::discover::{Found, FoundBy};
    use connect2forge::port::page::html::script_loads;
    use connect2forge::port::page::split_page;
    use connect2forge::port::tree::SourceTree;

    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\0');
    let mut next = || parts.next().unwrap_or("").to_string();
    let (page, layout, partial, script, style) = (next(), next(), next(), next(), next());
    let (file, found_by, files): (&str, FoundBy, Vec<(&str, String)>) = match kind % 6 {
        0 => (
            "views/page.hbs",
            FoundBy::AceRoute,
            vec![
                ("views/layout.hbs", layout),
                ("views/partials/p.hbs", partial),
                ("public/js/a.js", script),
                ("public/css/a.css", style),
            ],
        ),
        1 => (
            "www/page.html",
            FoundBy::StaticFile,
            vec![
                ("www/js/a.js", script),
                ("www/css/a.css", style),
                ("credentials.json", layout),
            ],
        ),
        2 => (
            "templates/page.html",
            FoundBy::FlaskRoute,
            vec![
                ("app.py", String::new()),
                ("templates/base.html", layout),
                ("templates/p.html", partial),
                ("static/js/a.js", script),
            ],
        ),
        3 => (
            "src/main/resources/templates/page.html",
            FoundBy::SpringController,
            vec![
                ("src/main/resources/templates/layout.html", layout),
                ("src/main/resources/templates/p.html", partial),
                ("src/main/resources/static/js/a.js", script),
            ],
        ),
        4 => (
            "views/page.ejs",
            FoundBy::Option,
            vec![
                ("views/p.ejs", partial),
                ("public/js/a.js", script),
                ("views/layout.ejs", layout),
            ],
        ),
        _ => (
            "templates/page.gohtml",
            FoundBy::Option,
            vec![
                ("templates/base.gohtml", layout),
                ("templates/p.tmpl", partial),
                ("js/a.js", script),
            ],
        ),
    };
    let mut all = vec![(file, page)];
    all.extend(files);
    let tree = SourceTree::from_files(all);
    let found = Found::new(file, found_by);
    let split = split_page(&tree, &found, "/bg/page?x={y}");
    let c = carry(&split, &tree, &[]);
    let loads = script_loads(&c.index_html);
    assert_eq!(
        loads.first().map(String::as_str),
        Some("./main.js"),
        "index.html does not load main.js first:\n{}",
        c.index_html
    );
    for f in &c.scripts {
        let path = format!("./{}", f.path);
        assert!(
            loads.contains(&path),
            "{path} not loaded by:\n{}",
            c.index_html
        );
    }
    assert!(
        !c.warnings.iter().any(|w| w.message.contains("read back")),
        "{}",
        c.index_html
    );
    for w in c.warnings.iter().chain(&c.notes) {
        let text = tree
            .get(&w.file)
            .unwrap_or_else(|| panic!("warning names no file of the tree: {}", w.to_line()));
        if let Some(p) = w.position {
            assert!(
                p.line >= 1 && p.line <= text.split('\n').count() && p.column >= 1,
                "{}",
                w.to_line()
            );
        }
    }
    // Nothing is carried twice: no more scripts than `<script` tags in the app (the handlers
    // file aside), no more body than the app's text (plus handler markers and closers).
    let all_text: String = tree.files().map(|(_, t)| t.to_ascii_lowercase()).collect();
    let tags = all_text.matches("<script").count();
    // (A static page only: a template may include a partial many times.)
    if found_by == FoundBy::StaticFile {
        assert!(
            c.scripts.len() <= tags + 1,
            "{} scripts from {tags} tags",
            c.scripts.len()
        );
        assert!(
            split.body_html.len() <= all_text.len() + 40 * split.handlers.len() + 64,
            "the body grew: {}",
            split.body_html
        );
    }
    for f in c.scripts.iter().chain(&c.stylesheets) {
        if let Some(origin) = &f.origin {
            assert!(
                !origin.ends_with("credentials.json"),
                "a secret was carried: {origin}"
            );
        }
    }
}
