//! Planned paths every checkout can hold, checked before anything is read or written (issue 19,
//! items 12 and 14).
//!
//! A Forge app is committed and checked out on Linux, macOS and Windows, and deployed from any of
//! them. A plan whose paths collide (a file where another planned file needs a folder, or two
//! files that differ only by case, one file on macOS and Windows disks), or that holds a name
//! Windows cannot create (`CON`, `aux.js`, a trailing dot or space, `<>:"|?*`), would write part
//! of the app and then fail, or write an app that breaks on another machine, and every re-run
//! would fail the same way. So such a plan is refused as a whole, each problem naming its
//! path(s) and reason (exit 2, nothing written). The paths come from module keys and the
//! Connect app's file names; renaming them here would break what refers to them (the manifest's
//! resources, `index.html`'s script tags), so the fix is the source's name.
//! `.git` is refused too: git will not check out such a path, and writing there would change the
//! repository itself.

use std::collections::{BTreeMap, BTreeSet};

/// Windows' device names: a file whose name is one of these (in any case, with any extension)
/// opens the device instead.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4",
    "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3",
    "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// The longest file name (one path component) common file systems take, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// Why one path component cannot be held by every checkout, if it cannot.
pub fn bad_name(name: &str) -> Option<String> {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    if RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(stem) || stem.to_uppercase() == *r)
    {
        return Some(format!(
            "\"{name}\" is a device name on Windows ({}, whatever the extension): a Windows checkout cannot hold it",
            stem.to_uppercase()
        ));
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some(format!(
            "\"{name}\" ends with a dot or a space, which Windows drops: a Windows checkout cannot hold it"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | '\\') || c.is_control())
    {
        return Some(format!(
            "\"{}\" holds {}, which Windows does not allow in a file name (nor macOS's Finder, for ':')",
            name.escape_debug(),
            match c.is_control() {
                true => format!("the control character {}", c.escape_unicode()),
                false => format!("'{c}'"),
            }
        ));
    }
    if name.eq_ignore_ascii_case(".git") {
        return Some("\".git\" is the repository's own folder: git will not check out a path in it, and writing there would change the repository".into());
    }
    if name.len() > MAX_NAME_BYTES {
        return Some(format!(
            "a file name of {} bytes is longer than file systems allow ({MAX_NAME_BYTES})",
            name.len()
        ));
    }
    None
}

/// Every problem of a set of planned paths (relative, `/`-separated): (the path, why), in path
/// order. Empty when every checkout can hold them all.
pub fn problems<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    let paths: BTreeSet<&str> = paths.into_iter().collect();
    let mut found = Vec::new();
    // Each folder is judged once, by the first path under it.
    let mut folders_seen = BTreeSet::new();
    for p in &paths {
        let parts: Vec<&str> = p.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            let is_folder = i + 1 < parts.len();
            if is_folder && !folders_seen.insert(parts[..=i].join("/")) {
                continue;
            }
            if let Some(why) = bad_name(part) {
                let at = parts[..=i].join("/");
                let what = match is_folder {
                    true => format!("the folder {at}/"),
                    false => "its name".to_string(),
                };
                found.push((p.to_string(), format!("{what}: {why}")));
                break;
            }
        }
    }
    // A file where another file needs a folder.
    for p in &paths {
        let mut prefix = String::new();
        for part in p.split('/').collect::<Vec<_>>().iter().rev().skip(1).rev() {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if paths.contains(prefix.as_str()) {
                found.push((
                    p.to_string(),
                    format!("it needs {prefix} to be a folder, but {prefix} is a file of the same plan: the two paths collide as file and folder"),
                ));
            }
        }
    }
    // Files and folders whose paths differ only by case are one on macOS and Windows disks.
    let mut by_case: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for p in &paths {
        by_case.entry(p.to_lowercase()).or_default().insert(p);
    }
    for same in by_case.values().filter(|s| s.len() > 1) {
        let all: Vec<&str> = same.iter().copied().collect();
        for p in &all {
            let others: Vec<&str> = all.iter().copied().filter(|o| o != p).collect();
            found.push((
                p.to_string(),
                format!(
                    "it differs from {} only by case: one file on macOS and Windows disks, so one would overwrite the other",
                    others.join(", ")
                ),
            ));
        }
    }
    let lower_files: BTreeMap<String, &str> =
        paths.iter().map(|p| (p.to_lowercase(), *p)).collect();
    for p in &paths {
        let lower = p.to_lowercase();
        let mut at = 0;
        while let Some(i) = lower[at..].find('/') {
            let prefix = &lower[..at + i];
            if let Some(file) = lower_files
                .get(prefix)
                .filter(|f| !p.starts_with(&format!("{f}/")))
            {
                found.push((
                    p.to_string(),
                    format!("it needs a folder where {file} is a file, on a disk that ignores case (macOS, Windows): the two paths collide as file and folder"),
                ));
            }
            at += i + 1;
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(paths: &[&str]) -> Vec<String> {
        problems(paths.iter().copied())
            .into_iter()
            .map(|(p, why)| format!("{p}: {why}"))
            .collect()
    }

    #[test]
    fn ordinary_paths_pass() {
        assert!(reasons(&[
            "manifest.yml",
            "static/a/index.html",
            "static/a/page/js/app.min.js",
            "static/a/page/con-fig.js",
            "static/a/page/auxiliary.js",
            "static/a/.gitignore",
            "static/a/page/Émoji ✓.js",
        ])
        .is_empty());
    }

    #[test]
    fn windows_device_names_with_any_extension_and_case_are_refused() {
        for name in [
            "CON",
            "nul",
            "aux.js",
            "Com1.min.js",
            "lpt9",
            "NUL .txt",
            "CONOUT$",
        ] {
            let r = reasons(&[&format!("static/a/page/{name}")]);
            assert_eq!(r.len(), 1, "{name}: {r:?}");
            assert!(r[0].contains("device name on Windows"), "{r:?}");
        }
        let r = reasons(&["static/a/page/con/x.js", "static/a/page/con/y.js"]);
        assert_eq!(r.len(), 1, "a folder is judged once: {r:?}");
        assert!(r[0].contains("the folder static/a/page/con/"), "{r:?}");
    }

    #[test]
    fn trailing_dots_and_spaces_and_reserved_characters_are_refused() {
        for (name, says) in [
            ("x.", "ends with a dot"),
            ("dir /x.js", "ends with a dot or a space"),
            ("a:b.js", "':'"),
            ("what?.js", "'?'"),
            ("tab\t.js", "control character"),
            (".git/hooks/pre-commit", "repository's own folder"),
        ] {
            let r = reasons(&[&format!("static/a/{name}")]);
            assert!(r.len() == 1 && r[0].contains(says), "{name}: {r:?}");
        }
        let long = "x".repeat(256);
        assert!(reasons(&[&long])[0].contains("256 bytes"));
    }

    #[test]
    fn a_file_and_a_folder_of_the_same_path_collide() {
        let r = reasons(&["static/a/page/a.js", "static/a/page/a.js/b.js"]);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(
            r[0].starts_with("static/a/page/a.js/b.js: it needs static/a/page/a.js to be a folder"),
            "{r:?}"
        );
    }

    #[test]
    fn paths_differing_only_by_case_collide() {
        let r = reasons(&["static/a/page/App.js", "static/a/page/app.js"]);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(
            r[0].contains("differs from static/a/page/app.js only by case"),
            "{r:?}"
        );
        let r = reasons(&["static/a/page/A.js", "static/a/page/a.JS/b.js"]);
        assert!(
            r.iter().any(|l| l.contains("on a disk that ignores case")),
            "{r:?}"
        );
        // Folders differing by case only merge into one folder: no file is lost.
        assert!(reasons(&["static/A/x.js", "static/a/y.js"]).is_empty());
    }
}
