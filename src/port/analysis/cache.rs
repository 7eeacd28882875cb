//! The pages analysed in this run, so none is analysed twice: the same page serves several
//! modules, and a page that stays on Connect is read for its events and then, if it moves, again.
//! Keyed by a 128-bit hash of every script's file, place and text; the scope coverage, which
//! depends on the app, is worked out after. At most [`CAPACITY`] pages are kept (a run reads
//! a few): past that the cache is emptied, never grown.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use super::{Analysis, ScriptInput};

/// Pages kept at most.
const CAPACITY: usize = 64;

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
