//! The pages and scripts analysed in this run, so none is analysed twice: the same page serves
//! several modules, a page that stays on Connect is read for its events and then, if it moves,
//! again, and pages share their libraries. Pages are keyed by a 128-bit hash of every script's
//! file, place and text (the scope coverage, which depends on the app, is worked out after);
//! scripts by the same of their own, and only a script whose findings do not depend on the
//! scripts before it is kept: one that does not parse or nests too deep, or one that cannot reach
//! Connect (its warnings, and the settings objects it declares for the scripts after it). At
//! most [`CAPACITY`] of each are kept: past that the cache is emptied, never grown.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use super::{Analysis, Constants, ScriptInput};
use crate::diagnostics::Diagnostic;

/// Pages, and scripts, kept at most.
const CAPACITY: usize = 256;

/// A page's key.
pub(super) type Key = (u64, u64);

fn pages() -> &'static Mutex<HashMap<Key, Analysis>> {
    static PAGES: OnceLock<Mutex<HashMap<Key, Analysis>>> = OnceLock::new();
    PAGES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The key of a page's scripts: two different hashes of the same input.
pub(super) fn key(scripts: &[ScriptInput<'_>]) -> Key {
    let hash = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        scripts.len().hash(&mut h);
        for s in scripts {
            (s.file, s.line, s.column, s.text).hash(&mut h);
        }
        h.finish()
    };
    (hash(1), hash(2))
}

/// The analysis of the page with this key, if this run made it already.
pub(super) fn get(key: Key) -> Option<Analysis> {
    pages().lock().ok()?.get(&key).cloned()
}

/// Keeps a page's analysis for the rest of the run.
pub(super) fn put(key: Key, analysis: &Analysis) {
    if let Ok(mut pages) = pages().lock() {
        if pages.len() >= CAPACITY {
            pages.clear();
        }
        pages.insert(key, analysis.clone());
    }
}

/// What one script gave, when it does not depend on the scripts before it.
#[derive(Clone)]
pub(super) enum Script {
    /// Not analysed (it does not parse, or nests too deep): its warning, and the Connect calls
    /// found by their text in a script that does not parse.
    Refused {
        warnings: Vec<Diagnostic>,
        calls: Vec<super::ApiCall>,
    },
    /// Parsed, but it cannot reach Connect (as long as no earlier script made an alias or a
    /// wrapper it names): its warnings (Forge's CSP) and its settings objects.
    Skipped {
        warnings: Vec<Diagnostic>,
        constants: Constants,
    },
}

fn scripts() -> &'static Mutex<HashMap<Key, Script>> {
    static SCRIPTS: OnceLock<Mutex<HashMap<Key, Script>>> = OnceLock::new();
    SCRIPTS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The key of one script.
pub(super) fn script_key(s: &ScriptInput<'_>) -> Key {
    key(std::slice::from_ref(s))
}

/// What this run's earlier analysis of the script gave, if kept.
pub(super) fn script(key: Key) -> Option<Script> {
    let found = scripts().lock().ok()?.get(&key).cloned();
    #[cfg(test)]
    if found.is_some() {
        if let Ok(mut hits) = hits().lock() {
            *hits.entry(key).or_default() += 1;
        }
    }
    found
}

/// Keeps what a script gave for the rest of the run.
pub(super) fn put_script(key: Key, script: Script) {
    if let Ok(mut scripts) = scripts().lock() {
        if scripts.len() >= CAPACITY {
            scripts.clear();
        }
        scripts.insert(key, script);
    }
}

#[cfg(test)]
fn hits() -> &'static Mutex<HashMap<Key, usize>> {
    static HITS: OnceLock<Mutex<HashMap<Key, usize>>> = OnceLock::new();
    HITS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// How many times the script's kept analysis was used instead of analysing it again.
#[cfg(test)]
pub(super) fn script_hits(s: &ScriptInput<'_>) -> usize {
    hits()
        .lock()
        .ok()
        .and_then(|h| h.get(&script_key(s)).copied())
        .unwrap_or(0)
}
