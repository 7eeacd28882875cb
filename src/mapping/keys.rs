//! Forge resource keys from Connect module keys.
//!
//! Connect keys reach 100 characters; Forge resource keys are at most 23 (`^[a-zA-Z0-9_-]+$`).
//! A key that fits is used as it is; a longer one keeps a readable prefix and gets a short hash
//! of the whole key, so the result is deterministic, readable and unique within the app.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

/// Forge's resource key limit.
pub const MAX_RESOURCE_KEY: usize = 23;
const HASH_LEN: usize = 6;

/// Whether `k` is a valid Forge resource key.
pub fn is_resource_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= MAX_RESOURCE_KEY
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Resource keys for `keys`, in the same order; unique among themselves and distinct from
/// everything in `taken`, ignoring ASCII case: each becomes the folder `static/<key>`, and two
/// folders that differ only by case are one folder on macOS and Windows.
pub fn resource_keys(keys: &[String], taken: &BTreeSet<String>) -> Vec<String> {
    // Lower-cased: `used` answers "is this folder name taken on a case-insensitive disk?".
    let mut used: BTreeSet<String> = taken.iter().map(|k| k.to_ascii_lowercase()).collect();
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let clean: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let chosen = if is_resource_key(&clean) && !used.contains(&clean.to_ascii_lowercase()) {
            clean
        } else {
            hashed(key, &clean, &used)
        };
        used.insert(chosen.to_ascii_lowercase());
        out.push(chosen);
    }
    out
}

fn hashed(key: &str, clean: &str, used: &BTreeSet<String>) -> String {
    let digest = hex(&Sha256::digest(key.as_bytes()));
    for hash_len in [HASH_LEN, 8, 10, 12] {
        let room = MAX_RESOURCE_KEY - hash_len - 1;
        let prefix = readable_prefix(clean, room);
        let cand = if prefix.is_empty() {
            format!("r-{}", &digest[..hash_len])
        } else {
            format!("{prefix}-{}", &digest[..hash_len])
        };
        if !used.contains(&cand.to_ascii_lowercase()) {
            return cand;
        }
    }
    // Only reachable with adversarial collisions: count upwards from the prefix.
    let prefix = readable_prefix(clean, MAX_RESOURCE_KEY - 7);
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|c| c.len() <= MAX_RESOURCE_KEY && !used.contains(&c.to_ascii_lowercase()))
        .unwrap_or_else(|| digest[..MAX_RESOURCE_KEY].to_string())
}

/// At most `room` characters, cut at a `-` or `_` where that keeps at least half of the room.
fn readable_prefix(clean: &str, room: usize) -> String {
    let cut: String = clean.chars().take(room).collect();
    // Cut mid-word only when no separator is near: `my-company-issue|-view` keeps `issue`,
    // `my-company-iss|ue` drops `iss`.
    let mid_word = clean[cut.len()..]
        .chars()
        .next()
        .is_some_and(|c| c != '-' && c != '_');
    let cut = match cut.rfind(['-', '_']) {
        Some(i) if i >= room / 2 && mid_word => cut[..i].to_string(),
        _ => cut,
    };
    cut.trim_matches(['-', '_']).to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: &[&str]) -> Vec<String> {
        resource_keys(
            &k.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            &BTreeSet::new(),
        )
    }

    #[test]
    fn short_keys_are_kept() {
        assert_eq!(keys(&["issue-bg", "dash"]), ["issue-bg", "dash"]);
    }

    #[test]
    fn long_keys_get_a_readable_prefix_and_a_hash() {
        let k = keys(&["my-company-issue-view-background-script-for-sla"]);
        assert!(k[0].starts_with("my-company-issue"), "{}", k[0]);
        assert!(
            k[0].len() <= MAX_RESOURCE_KEY && is_resource_key(&k[0]),
            "{}",
            k[0]
        );
        // Deterministic.
        assert_eq!(
            k,
            keys(&["my-company-issue-view-background-script-for-sla"])
        );
    }

    #[test]
    fn colliding_prefixes_stay_unique() {
        let long = "a".repeat(100);
        let k = keys(&[
            "my-company-issue-view-background-script-one",
            "my-company-issue-view-background-script-two",
            &long,
            &format!("{long}b"),
        ]);
        let set: BTreeSet<_> = k.iter().collect();
        assert_eq!(set.len(), 4, "{k:?}");
        assert!(k.iter().all(|k| is_resource_key(k)), "{k:?}");
        assert_ne!(k[0], k[1]);
    }

    #[test]
    fn taken_keys_are_avoided() {
        let taken = BTreeSet::from(["bg".to_string()]);
        let k = resource_keys(&["bg".to_string()], &taken);
        assert_ne!(k[0], "bg");
        assert!(is_resource_key(&k[0]));
    }
}
