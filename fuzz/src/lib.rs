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
