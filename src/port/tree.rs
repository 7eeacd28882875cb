//! The Connect app's source tree: every relevant file's name, listed once, and each file's text
//! read only when a rule asks for it, so that page discovery, page splitting and carrying are
//! pure functions over a value.
//!
//! The walk is the `ignore` crate's (ripgrep's walker): it honours the app's `.gitignore`,
//! `.ignore` and global git excludes as the user's own tools do (a hand-written walker disagrees
//! with them exactly where it hurts: generated or vendored folders), even in a checkout without
//! `.git`. Dependency, VCS and build folders are never entered; hidden folders neither.
//!
//! Guarantees: only regular files are opened (a FIFO or device is never read, not even when one
//! is swapped in after the walk: files are opened non-blocking and checked on the handle), each
//! file is read up to [`MAX_FILE_BYTES`] and the whole tree up to [`MAX_TOTAL_BYTES`]; symbolic
//! links are followed only to regular files inside the root. Paths are relative to the root, with
//! `/`. Nothing is cut off in silence: what is left out for a reason a user may care about (too
//! big, not UTF-8, unreadable, a link out of the root) is listed in [`SourceTree::skipped`], and
//! a limit reached (too many files, too deep, too many bytes) is listed in
//! [`SourceTree::limits`] with the folder where it was reached.
//!
//! Binary assets a page may show (images, icons, fonts, media: [`ASSET_KINDS`]) are listed
//! apart, never as source, and read as bytes only when a carried page names one
//! ([`SourceTree::bytes`], at most [`MAX_ASSET_BYTES`] each and [`MAX_TOTAL_ASSET_BYTES`] in all).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::Error;

/// A file bigger than this is listed as skipped, not read (no page or script of a Connect app
/// comes near it; a bundle that does is not hand-written code to carry).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// At most this many bytes are read from the whole tree; later reads are listed as skipped.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many file names are listed (names cost little: only the files a rule needs are
/// read); later ones are a limit reached.
pub const MAX_FILES: usize = 200_000;
/// Folders deeper than this are not entered (a link loop is not followed anyway; this bounds
/// pathological trees).
pub const MAX_DEPTH: usize = 32;

/// Folder names never entered: dependencies, version control, build outputs, caches.
pub const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    "target",
    "build",
    "dist",
    "out",
    ".gradle",
    "bower_components",
    ".venv",
    "__pycache__",
];

/// Dependency folders whose files a page loads as they are (Bower installs front-end packages
/// to be served: `<script src="bower_components/angular/angular.min.js">`). Never walked with
/// the app's source, so no rule reads them, but their scripts, stylesheets and assets are listed
/// apart ([`SourceTree::get`] and [`SourceTree::contains`] find them), so that what a page loads
/// from them is carried; found where the walk meets them, at the root, and where `.bowerrc`'s
/// `directory` points (an installed folder the app's `.gitignore` leaves out).
pub const SERVED_DEPENDENCY_DIRS: &[&str] = &["bower_components"];
/// At most this many files of [`SERVED_DEPENDENCY_DIRS`] are listed.
pub const MAX_DEPENDENCY_FILES: usize = 50_000;

/// Files never read although their kind is: lock files, large and of no use to the port.
pub const SKIPPED_FILES: &[&str] = &["package-lock.json", "npm-shrinkwrap.json"];

/// File name endings listed (compared case-insensitively): every template and script language a
/// Connect page is written in, its styles, and the server languages the route rules read.
pub const KINDS: &[&str] = &[
    // Scripts.
    "js",
    "mjs",
    "cjs",
    "jsx",
    "ts",
    "mts",
    "cts",
    "tsx",
    "vue",
    "svelte",
    // Pages and templates.
    "hbs",
    "handlebars",
    "html",
    "htm",
    "xhtml",
    "mustache",
    "ejs",
    "pug",
    "jade",
    "njk",
    "jinja",
    "jinja2",
    "j2",
    "twig",
    "tmpl",
    "gohtml",
    "vm",
    "ftl",
    "jsp",
    "jspf",
    "erb",
    "slim",
    "haml",
    "squirrelly",
    "cshtml",
    "php",
    // Server code the route rules read.
    "java",
    "kt",
    "kts",
    "py",
    "go",
    "rb",
    // Styles and data.
    "css",
    "json",
    "yml",
    "yaml",
];

/// File name endings of the binary assets a page may show (images, icons, fonts, media), compared
/// case-insensitively: listed apart from the source files ([`SourceTree::asset_paths`]), never
/// read as text, and read as bytes only when a carried page names one ([`SourceTree::bytes`]).
pub const ASSET_KINDS: &[&str] = &[
    "png", "apng", "jpg", "jpeg", "jfif", "pjpeg", "gif", "webp", "avif", "svg", "ico", "cur",
    "bmp", "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "m4a", "m4v", "ogg",
    "oga", "ogv", "opus", "wav", "webm", "mov", "vtt",
];

/// An asset bigger than this is not carried (the reason is given).
pub const MAX_ASSET_BYTES: u64 = 4 * 1024 * 1024;
/// At most this many bytes of assets are read from the whole tree (apart from
/// [`MAX_TOTAL_BYTES`], so that images never starve the source reads).
pub const MAX_TOTAL_ASSET_BYTES: u64 = 256 * 1024 * 1024;
/// At most this many asset names are listed (apart from [`MAX_FILES`]).
pub const MAX_ASSETS: usize = 200_000;

/// A file that was found but not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// Path relative to the root, with `/`.
    pub path: String,
    /// Why it was not read (`larger than 4 MiB`, `not UTF-8`, ...).
    pub reason: String,
}

/// A limit of the walk that was reached: the files past it were not listed or read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Limit {
    /// The folder (or file) where it was first reached, relative to the root (`.` for the root).
    pub path: String,
    /// Which limit, in words (`more than 200000 files`).
    pub what: String,
}

/// One listed file: where it is, and its text once read.
#[derive(Debug, Default)]
struct Entry {
    /// On disk; `None` for a tree built in memory.
    full: Option<PathBuf>,
    text: OnceLock<Result<String, String>>,
}

/// The app's source files: relative path (with `/`) → text, read on first use.
#[derive(Debug, Default)]
pub struct SourceTree {
    files: BTreeMap<String, Entry>,
    /// Scripts and stylesheets of [`SERVED_DEPENDENCY_DIRS`]: found by [`SourceTree::get`] and
    /// [`SourceTree::contains`], never by the listings the rules read.
    dependencies: BTreeMap<String, Entry>,
    skipped: Vec<Skipped>,
    limits: Vec<Limit>,
    /// Bytes read so far, against [`MAX_TOTAL_BYTES`].
    read: AtomicU64,
    /// Asset bytes read so far, against [`MAX_TOTAL_ASSET_BYTES`].
    asset_read: AtomicU64,
    /// Files whose read failed, in the order they were asked for.
    failed: Mutex<Vec<Skipped>>,
    /// The first file not read because [`MAX_TOTAL_BYTES`] were read before it.
    read_cap: OnceLock<String>,
    /// Binary assets (images, fonts, media): relative path → where it is on disk, or its bytes
    /// for a tree built in memory.
    assets: BTreeMap<String, AssetEntry>,
}

/// A listed binary asset.
#[derive(Debug)]
enum AssetEntry {
    /// On disk, read when asked for.
    Disk(PathBuf),
    /// Held in memory (a tree built by [`SourceTree::from_files`] or [`SourceTree::with_asset`]).
    Bytes(Vec<u8>),
}

impl SourceTree {
    /// Lists the relevant files under `root` (see the module doc for the limits).
    ///
    /// Fails only when `root` itself is not a readable folder; problems with single files are
    /// listed in [`SourceTree::skipped`].
    pub fn load(root: &Path) -> Result<SourceTree, Error> {
        Self::load_excluding(root, &[])
    }

    /// [`SourceTree::load`] without the folders in `exclude` (such as the Forge app being
    /// written, when it lies inside the Connect app's tree: its own files are not the old page).
    pub fn load_excluding(root: &Path, exclude: &[PathBuf]) -> Result<SourceTree, Error> {
        let meta = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
        if !meta.is_dir() {
            return Err(Error::Usage(format!(
                "the source tree {} is not a folder (pass the Connect app's project folder with --source)",
                root.display()
            )));
        }
        std::fs::read_dir(root).map_err(|e| Error::io(root, e))?;
        let canonical = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let exclude: Vec<PathBuf> = exclude
            .iter()
            .filter_map(|p| p.canonicalize().ok())
            .filter(|p| p != &canonical)
            .collect();
        let deep: Arc<Mutex<Vec<String>>> = Arc::default();
        let served: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let walker = {
            let deep = Arc::clone(&deep);
            let served = Arc::clone(&served);
            let exclude = exclude.clone();
            let base = canonical.clone();
            ignore::WalkBuilder::new(&canonical)
                .hidden(true)
                .parents(false)
                .git_ignore(true)
                .git_global(true)
                .git_exclude(true)
                .require_git(false)
                .follow_links(false)
                .sort_by_file_name(|a, b| a.cmp(b))
                .filter_entry(move |e| {
                    let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                    if !is_dir || e.depth() == 0 {
                        return true;
                    }
                    let name = e.file_name().to_str().unwrap_or("");
                    if exclude.iter().any(|x| x == e.path()) {
                        return false;
                    }
                    if SKIPPED_DIRS.contains(&name) {
                        if SERVED_DEPENDENCY_DIRS.contains(&name) {
                            if let Ok(mut s) = served.lock() {
                                s.push(e.path().to_path_buf());
                            }
                        }
                        return false;
                    }
                    if e.depth() >= MAX_DEPTH {
                        if let Ok(mut d) = deep.lock() {
                            d.push(rel_of(&base, e.path()));
                        }
                        return false;
                    }
                    true
                })
                .build()
        };
        let mut tree = SourceTree::default();
        let mut listed = 0usize;
        for result in walker {
            let entry = match result {
                Ok(e) => e,
                Err(err) => {
                    let path = error_path(&err)
                        .map(|p| rel_of(&canonical, p))
                        .unwrap_or_else(|| ".".into());
                    tree.skip(path, format!("not readable: {}", error_text(&err)));
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                continue;
            }
            let name = entry.file_name();
            let rel = rel_of(&canonical, entry.path());
            let Some(name) = name.to_str() else {
                tree.skip(rel, "file name is not UTF-8");
                continue;
            };
            if is_asset(name) {
                if tree.assets.len() >= MAX_ASSETS {
                    if !tree.limits.iter().any(|l| l.what.contains("asset files")) {
                        tree.limits.push(Limit {
                            path: folder_or_root(&rel),
                            what: format!(
                                "more than {MAX_ASSETS} asset files (images, fonts, media): the assets after {rel} were not listed"
                            ),
                        });
                    }
                } else if file_type.is_file() || file_type.is_symlink() {
                    // A link is read at its target, and only inside the root.
                    let path = if file_type.is_symlink() {
                        entry
                            .path()
                            .canonicalize()
                            .ok()
                            .filter(|t| t.starts_with(&canonical))
                    } else {
                        Some(entry.path().to_path_buf())
                    };
                    match path {
                        Some(p) => {
                            tree.assets.insert(rel, AssetEntry::Disk(p));
                        }
                        None => tree.skip(rel, "symbolic link out of the source tree"),
                    }
                }
                continue;
            }
            if !relevant(name) || SKIPPED_FILES.contains(&name) {
                continue;
            }
            if listed >= MAX_FILES {
                if tree.limits.is_empty() {
                    tree.limits.push(Limit {
                        path: folder_or_root(&rel),
                        what: format!(
                            "more than {MAX_FILES} source files: the files after {rel} were not listed"
                        ),
                    });
                }
                continue;
            }
            let path = entry.path();
            if file_type.is_symlink() {
                // Followed only to a regular file inside the root; a linked folder is not
                // entered (it would repeat files or loop).
                match path.canonicalize() {
                    Ok(target) if target.starts_with(&canonical) => {
                        match std::fs::metadata(&target) {
                            Ok(m) if m.is_file() => tree.list(rel, target),
                            _ => tree
                                .skip(rel, "symbolic link to something other than a regular file"),
                        }
                    }
                    Ok(_) => tree.skip(rel, "symbolic link out of the source tree"),
                    Err(_) => tree.skip(rel, "dangling symbolic link"),
                }
            } else if file_type.is_file() {
                tree.list(rel, path.to_path_buf());
            } else {
                // FIFOs, sockets and devices are never opened; named, as the user may wonder.
                tree.skip(rel, "not a regular file (a FIFO, socket or device)");
            }
            listed += 1;
        }
        let mut served = served.lock().map(|s| s.clone()).unwrap_or_default();
        served.extend(installed_dependency_dirs(&canonical));
        tree.list_dependencies(&canonical, served, &exclude);
        if let Ok(deep) = deep.lock() {
            for d in deep.iter() {
                tree.limits.push(Limit {
                    path: d.clone(),
                    what: format!("folder nested deeper than {MAX_DEPTH} levels: not entered"),
                });
            }
        }
        Ok(tree)
    }

    /// A tree from `(path, text)` pairs, for tests and callers that already hold the files.
    /// Paths are normalised to `/` separators without a leading `./` or `/`.
    pub fn from_files<P: Into<String>, T: Into<String>>(
        files: impl IntoIterator<Item = (P, T)>,
    ) -> SourceTree {
        let files = files
            .into_iter()
            .map(|(p, t)| {
                let text = OnceLock::new();
                let _ = text.set(Ok(t.into()));
                (normalize_rel(&p.into()), Entry { full: None, text })
            })
            .collect();
        SourceTree {
            files,
            ..SourceTree::default()
        }
    }

    /// `self` with a binary asset held in memory (for tests and callers that hold the bytes).
    pub fn with_asset(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> SourceTree {
        self.assets
            .insert(normalize_rel(path), AssetEntry::Bytes(bytes.into()));
        self
    }

    /// Whether a binary asset (or, in a tree built from strings, any file) of that path is
    /// listed.
    pub fn lists_asset(&self, path: &str) -> bool {
        self.assets.contains_key(path)
            || self
                .files
                .get(path)
                .is_some_and(|e| e.full.is_none() && e.text.get().is_some_and(Result::is_ok))
    }

    /// Every listed binary asset's path, in path order.
    pub fn asset_paths(&self) -> impl Iterator<Item = &str> {
        self.assets.keys().map(String::as_str)
    }

    /// The bytes of the listed asset at `path`, read now, at most [`MAX_ASSET_BYTES`] (a tree
    /// built from strings gives a listed text file's text as its bytes); the reason otherwise
    /// (not listed, too big, unreadable). Its bytes count against [`MAX_TOTAL_ASSET_BYTES`].
    pub fn bytes(&self, path: &str) -> Result<Vec<u8>, String> {
        let full = match self.assets.get(path) {
            Some(AssetEntry::Bytes(b)) => return bounded(b.clone()),
            Some(AssetEntry::Disk(full)) => full,
            None => {
                // A text file (an `.svg` or `.css` of a tree built from strings, an imported
                // style sheet): its text.
                if !self.files.contains_key(path) && !self.dependencies.contains_key(path) {
                    return Err("not in the source tree".into());
                }
                return match self.get(path) {
                    Some(t) => bounded(t.as_bytes().to_vec()),
                    None => Err(self
                        .skip_reason(path)
                        .unwrap_or_else(|| "not readable".into())),
                };
            }
        };
        let size = std::fs::metadata(full).map_or(0, |m| m.len());
        if size > MAX_ASSET_BYTES {
            return Err(format!("larger than {} MiB", MAX_ASSET_BYTES >> 20));
        }
        let before = self.asset_read.fetch_add(size, Ordering::Relaxed);
        if before.saturating_add(size) > MAX_TOTAL_ASSET_BYTES {
            return Err(format!(
                "more than {} MiB of images, fonts and media read",
                MAX_TOTAL_ASSET_BYTES >> 20
            ));
        }
        read_bounded(full)
    }

    /// Adds the file the user named (`--page KEY=FILE`, relative to `root`), whatever its
    /// extension or folder (a page under `dist/` or `node_modules/`, a `.php` page), and reads it
    /// now. The reason when it cannot be a page: not a regular file, too big, not UTF-8,
    /// unreadable.
    pub fn add_named(&mut self, root: &Path, rel: &str) -> Result<(), String> {
        let rel = normalize_rel(rel);
        let full = root.join(&rel);
        let meta = std::fs::metadata(&full).map_err(|e| format!("not readable: {e}"))?;
        if meta.is_dir() {
            return Err("is a folder, not a page file".into());
        }
        let entry = Entry {
            full: Some(full),
            text: OnceLock::new(),
        };
        let text = entry
            .text
            .get_or_init(|| read_text(entry.full.as_deref().unwrap_or(Path::new(""))));
        if let Err(why) = text {
            return Err(why.clone());
        }
        self.skipped.retain(|s| s.path != rel);
        self.files.insert(rel, entry);
        Ok(())
    }

    /// The text of the file at `path` (relative, with `/`), read on first use; `None` when it is
    /// not listed or could not be read (then it is in [`SourceTree::skipped`]).
    pub fn get(&self, path: &str) -> Option<&str> {
        let entry = self
            .files
            .get(path)
            .or_else(|| self.dependencies.get(path))?;
        let text = entry.text.get_or_init(|| {
            let Some(full) = entry.full.as_deref() else {
                return Err("not readable".into());
            };
            let size = std::fs::metadata(full).map_or(0, |m| m.len());
            let before = self.read.fetch_add(size, Ordering::Relaxed);
            if before.saturating_add(size) > MAX_TOTAL_BYTES {
                let _ = self.read_cap.set(path.to_string());
                return Err(format!(
                    "more than {} MiB of the source tree read",
                    MAX_TOTAL_BYTES >> 20
                ));
            }
            read_text(full)
        });
        match text {
            Ok(t) => Some(t.as_str()),
            Err(reason) => {
                if let Ok(mut failed) = self.failed.lock() {
                    if !failed.iter().any(|s| s.path == path) {
                        failed.push(Skipped {
                            path: path.to_string(),
                            reason: reason.clone(),
                        });
                    }
                }
                None
            }
        }
    }

    /// Whether the file at `path` is listed (among the source or the served dependencies) and
    /// readable.
    pub fn contains(&self, path: &str) -> bool {
        (self.files.contains_key(path) || self.dependencies.contains_key(path))
            && self.get(path).is_some()
    }

    /// Whether a file of that path is listed (its text is not read).
    pub fn lists(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Every listed path, in path order, without reading any file.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Every readable file with its text, in path order (reads them all: filter
    /// [`SourceTree::paths`] first where a rule needs only some).
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .keys()
            .filter_map(|p| Some((p.as_str(), self.get(p)?)))
    }

    /// The readable files whose path passes `keep`, with their text; only those are read.
    pub fn files_where<'a>(
        &'a self,
        keep: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files
            .keys()
            .filter(move |p| keep(p))
            .filter_map(|p| Some((p.as_str(), self.get(p)?)))
    }

    /// Files found but not read: those the walk left out, then those whose read failed.
    pub fn skipped(&self) -> Vec<Skipped> {
        let mut all = self.skipped.clone();
        if let Ok(failed) = self.failed.lock() {
            all.extend(failed.iter().cloned());
        }
        all
    }

    /// The reason a path was not read, if the tree skipped it.
    pub fn skip_reason(&self, path: &str) -> Option<String> {
        if let Some(s) = self.skipped.iter().find(|s| s.path == path) {
            return Some(s.reason.clone());
        }
        if self.files.contains_key(path) && self.get(path).is_none() {
            return self
                .failed
                .lock()
                .ok()?
                .iter()
                .find(|s| s.path == path)
                .map(|s| s.reason.clone());
        }
        None
    }

    /// The limits the walk and the reads reached, each with where.
    pub fn limits(&self) -> Vec<Limit> {
        let mut all = self.limits.clone();
        if let Some(first) = self.read_cap.get() {
            all.push(Limit {
                path: folder_or_root(first),
                what: format!(
                    "more than {} MiB of source read: {first} and the files read after it were not",
                    MAX_TOTAL_BYTES >> 20
                ),
            });
        }
        all
    }

    /// Number of files listed.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was listed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn skip(&mut self, path: String, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path,
            reason: reason.into(),
        });
    }

    /// Lists the scripts, stylesheets and assets of the [`SERVED_DEPENDENCY_DIRS`] folders in
    /// `dirs` (inside `root`, not excluded, each once), regular files only.
    fn list_dependencies(&mut self, root: &Path, mut dirs: Vec<PathBuf>, exclude: &[PathBuf]) {
        dirs.retain(|d| d.starts_with(root) && !exclude.iter().any(|x| d.starts_with(x)));
        dirs.sort();
        dirs.dedup();
        let mut listed = 0usize;
        for dir in dirs {
            let walker = ignore::WalkBuilder::new(&dir)
                .standard_filters(false)
                .hidden(true)
                .follow_links(false)
                .max_depth(Some(MAX_DEPTH))
                .sort_by_file_name(|a, b| a.cmp(b))
                .build();
            for entry in walker.flatten() {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let Some(name) = entry.file_name().to_str() else {
                    continue;
                };
                let rel = rel_of(root, entry.path());
                let asset = is_asset(name);
                if !asset && (!relevant(name) || SKIPPED_FILES.contains(&name)) {
                    continue;
                }
                if listed >= MAX_DEPENDENCY_FILES {
                    self.limits.push(Limit {
                        path: rel_of(root, &dir),
                        what: format!(
                            "more than {MAX_DEPENDENCY_FILES} files in served dependency folders: the files after {rel} were not listed"
                        ),
                    });
                    return;
                }
                listed += 1;
                if asset {
                    if self.assets.len() < MAX_ASSETS {
                        self.assets
                            .entry(rel)
                            .or_insert_with(|| AssetEntry::Disk(entry.path().to_path_buf()));
                    }
                } else {
                    self.dependencies.entry(rel).or_insert_with(|| Entry {
                        full: Some(entry.path().to_path_buf()),
                        text: OnceLock::new(),
                    });
                }
            }
        }
    }

    fn list(&mut self, rel: String, full: PathBuf) {
        self.files.insert(
            rel,
            Entry {
                full: Some(full),
                text: OnceLock::new(),
            },
        );
    }
}

/// Served dependency folders installed where the walk does not see them (left out by the app's
/// `.gitignore`): `bower_components/` at the root, and the folder `.bowerrc`'s `directory` names.
fn installed_dependency_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![root.join("bower_components")];
    let bowerrc = std::fs::read(root.join(".bowerrc")).ok();
    let named = bowerrc
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("directory")?.as_str().map(str::to_string));
    if let Some(d) = named {
        dirs.push(root.join(d));
    }
    dirs.into_iter()
        .filter_map(|d| d.canonicalize().ok())
        .filter(|d| d.is_dir())
        .collect()
}

/// The folder where a walk limit was met (`.` for the root).
fn folder_or_root(rel: &str) -> String {
    match rel.rfind('/') {
        Some(i) => rel.get(..i).unwrap_or(".").to_string(),
        None => ".".to_string(),
    }
}

/// `root/a/b` → `a/b`.
fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    normalize_rel(&rel.to_string_lossy())
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

fn error_text(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_text(err),
        other => other.to_string(),
    }
}

/// The text of a regular file of at most [`MAX_FILE_BYTES`], UTF-8, without a byte-order mark;
/// the reason otherwise.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_bounded(path)?;
    let bytes = bytes
        .strip_prefix(&[0xEF, 0xBB, 0xBF])
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())
}

/// The folder whose source tree belongs to a descriptor: its own folder, or, for a descriptor
/// kept in a folder the app serves or packages (`public/`, `static/`, `templates/`, Maven's
/// `src/main/resources/`…) with no build file of its own, the nearest ancestor (at most three
/// levels up) holding a project's build file (`package.json`, `pom.xml`, `go.mod`…): the app's
/// pages and routes are beside that folder, not in it.
pub fn default_source_root(descriptor_path: &Path) -> PathBuf {
    let folder = match descriptor_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let served = folder
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| SERVED_FOLDERS.iter().any(|s| n.eq_ignore_ascii_case(s)));
    let has_marker = |at: &Path| PROJECT_MARKERS.iter().any(|m| at.join(m).is_file());
    if served && !has_marker(&folder) {
        for ancestor in folder.ancestors().skip(1).take(3) {
            let at = if ancestor.as_os_str().is_empty() {
                Path::new(".")
            } else {
                ancestor
            };
            if has_marker(at) {
                return at.to_path_buf();
            }
        }
    }
    folder
}

/// Folders that hold what an app serves or packages rather than the app's project.
const SERVED_FOLDERS: &[&str] = &[
    "public",
    "static",
    "templates",
    "assets",
    "www",
    "resources",
    "webapp",
];

/// A project's build or dependency file, in the languages Connect apps are written in.
const PROJECT_MARKERS: &[&str] = &[
    "package.json",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "go.mod",
    "requirements.txt",
    "pyproject.toml",
    "manage.py",
    "Gemfile",
    "composer.json",
];

/// `./a\b` → `a/b`; also drops a leading `/` and empty or `.` segments.
fn normalize_rel(p: &str) -> String {
    p.replace('\\', "/")
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// `bytes` when at most [`MAX_ASSET_BYTES`] long.
fn bounded(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if bytes.len() as u64 > MAX_ASSET_BYTES {
        Err(format!("larger than {} MiB", MAX_ASSET_BYTES >> 20))
    } else {
        Ok(bytes)
    }
}

/// Whether a file name has one of the [`ASSET_KINDS`] endings.
fn is_asset(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && ASSET_KINDS.iter().any(|k| ext.eq_ignore_ascii_case(k))
    })
}

/// Whether a file name has one of the [`KINDS`] endings.
fn relevant(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && KINDS.iter().any(|k| ext.eq_ignore_ascii_case(k))
    })
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]; the reason otherwise.
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking: opening a FIFO that replaced the file since the walk returns at once
        // (and the handle check below refuses it) instead of waiting for a writer.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options
        .open(path)
        .map_err(|e| format!("not readable: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("not readable: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("larger than {} MiB", MAX_FILE_BYTES >> 20));
    }
    let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("not readable: {e}"))?;
    // The file grew after the size check.
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {} MiB", MAX_FILE_BYTES >> 20));
    }
    Ok(buf)
}

/// Whether the source tree at `root` is an atlassian-connect-express app (its package.json
/// depends on it).
pub fn is_ace_app(root: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(root.join("package.json")) else {
        return false;
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    ["dependencies", "devDependencies"].iter().any(|d| {
        v.get(d)
            .and_then(|d| d.get("atlassian-connect-express"))
            .is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn load_reads_relevant_files_and_skips_dependency_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "routes/index.js", "app.get('/bg')");
        write(root, "views/bg.hbs", "<p>bg</p>");
        write(root, "public/img/logo.png", "binary");
        write(root, "node_modules/x/index.js", "no");
        write(root, ".git/config.json", "{}");
        write(root, "build/out.js", "no");
        write(root, "package-lock.json", "{}");
        write(root, "src/target/x.js", "no");
        let tree = SourceTree::load(root).unwrap();
        let paths: Vec<_> = tree.files().map(|(p, _)| p).collect();
        assert_eq!(paths, ["routes/index.js", "views/bg.hbs"]);
        assert_eq!(tree.get("views/bg.hbs"), Some("<p>bg</p>"));
    }

    #[test]
    fn bower_packages_a_page_loads_are_found_but_never_listed_for_the_rules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "index.html",
            "<script src=\"bower_components/lib/lib.js\"></script>",
        );
        write(root, "bower_components/lib/lib.js", "window.lib = 1;");
        write(root, "bower_components/lib/lib.css", "p{}");
        write(root, "bower_components/lib/fonts/a.woff", "font");
        write(root, "bower_components/lib/.hidden/x.js", "no");
        // Installed where .bowerrc says, and left out by .gitignore: still found.
        write(root, ".bowerrc", r#"{"directory": "public/vendor"}"#);
        write(root, ".gitignore", "public/vendor/\n");
        write(root, "public/vendor/other/other.js", "window.other = 1;");
        write(root, "node_modules/dep/index.js", "no");
        let tree = SourceTree::load(root).unwrap();
        assert_eq!(
            tree.get("bower_components/lib/lib.js"),
            Some("window.lib = 1;")
        );
        assert!(tree.contains("bower_components/lib/lib.css"));
        assert_eq!(tree.bytes("bower_components/lib/lib.css").unwrap(), b"p{}");
        assert!(tree.lists_asset("bower_components/lib/fonts/a.woff"));
        assert_eq!(
            tree.get("public/vendor/other/other.js"),
            Some("window.other = 1;")
        );
        assert!(!tree.contains("bower_components/lib/.hidden/x.js"));
        assert!(!tree.contains("node_modules/dep/index.js"));
        // The rules read the app's own files only.
        let listed: Vec<&str> = tree.paths().collect();
        assert_eq!(listed, ["index.html"]);
    }

    #[test]
    fn big_and_non_utf8_files_are_listed_as_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let big = vec![b'a'; (MAX_FILE_BYTES + 1) as usize];
        std::fs::write(root.join("big.js"), big).unwrap();
        std::fs::write(root.join("latin1.js"), b"var s = '\xe9';").unwrap();
        write(root, "ok.js", "\u{feff}var ok;");
        let tree = SourceTree::load(root).unwrap();
        assert_eq!(tree.get("ok.js"), Some("var ok;"), "BOM dropped");
        // Names first: nothing is read, so nothing is skipped, until a rule asks.
        assert!(tree.skipped().is_empty());
        assert_eq!(tree.get("big.js"), None);
        assert!(!tree.contains("latin1.js"));
        let skipped: Vec<_> = tree
            .skipped()
            .into_iter()
            .map(|s| (s.path, s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                ("big.js".to_string(), "larger than 4 MiB".to_string()),
                ("latin1.js".to_string(), "not UTF-8".to_string())
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn fifos_are_never_opened_and_links_out_of_the_root_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        let fifo = root.join("page.html");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo on a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        write(outside.path(), "secret.js", "secret");
        std::os::unix::fs::symlink(outside.path().join("secret.js"), root.join("secret.js"))
            .unwrap();
        write(root, "real.js", "real");
        std::os::unix::fs::symlink(root.join("real.js"), root.join("alias.js")).unwrap();
        std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
        let tree = SourceTree::load(root).unwrap();
        let paths: Vec<_> = tree.files().map(|(p, _)| p).collect();
        assert_eq!(paths, ["alias.js", "real.js"]);
        assert!(tree
            .skipped()
            .iter()
            .any(|s| s.path == "secret.js" && s.reason.contains("out of the source tree")));
        // And the reader refuses a FIFO outright, without blocking.
        assert_eq!(read_bounded(&fifo), Err("not a regular file".to_string()));
    }

    #[test]
    fn gitignored_files_are_not_listed_and_extensions_are_case_insensitive() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "generated/\n*.gen.js\n");
        write(root, "generated/page.html", "no");
        write(root, "a.gen.js", "no");
        write(root, "views/Page.HBS", "yes");
        write(root, "web/App.vue", "yes");
        write(root, "web/page.PHP", "yes");
        write(root, "cmd/main.go", "yes");
        write(root, "app/views/x.html.erb", "yes");
        let tree = SourceTree::load(root).unwrap();
        let paths: Vec<_> = tree.paths().collect();
        assert_eq!(
            paths,
            [
                "app/views/x.html.erb",
                "cmd/main.go",
                "views/Page.HBS",
                "web/App.vue",
                "web/page.PHP"
            ]
        );
    }

    #[test]
    fn thirty_thousand_unrelated_files_hide_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let many = root.join("assets/icons");
        std::fs::create_dir_all(&many).unwrap();
        for i in 0..30_000 {
            std::fs::write(many.join(format!("i{i}.js")), "").unwrap();
        }
        write(root, "zz/page.html", "page");
        let tree = SourceTree::load(root).unwrap();
        assert_eq!(tree.get("zz/page.html"), Some("page"));
        assert!(tree.limits().is_empty());
    }

    #[test]
    fn deep_folders_are_a_located_limit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let deep: String = (0..MAX_DEPTH + 2).map(|i| format!("d{i}/")).collect();
        write(root, &format!("{deep}x.js"), "x");
        let tree = SourceTree::load(root).unwrap();
        assert_eq!(tree.len(), 0);
        let limits = tree.limits();
        assert_eq!(limits.len(), 1);
        assert!(limits[0].what.contains("deeper than 32"), "{limits:?}");
        assert!(limits[0].path.starts_with("d0/d1/"), "{limits:?}");
    }

    #[test]
    fn a_named_page_is_read_wherever_it_is_or_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "dist/index.html", "<p>built</p>");
        write(root, "node_modules/x/page.php", "<p>php</p>");
        std::fs::create_dir_all(root.join("views")).unwrap();
        std::fs::write(
            root.join("big.html"),
            vec![b'a'; (MAX_FILE_BYTES + 1) as usize],
        )
        .unwrap();
        let mut tree = SourceTree::load(root).unwrap();
        assert!(!tree.lists("dist/index.html"));
        tree.add_named(root, "dist/index.html").unwrap();
        assert_eq!(tree.get("dist/index.html"), Some("<p>built</p>"));
        tree.add_named(root, "./node_modules/x/page.php").unwrap();
        assert!(tree.contains("node_modules/x/page.php"));
        assert_eq!(
            tree.add_named(root, "views"),
            Err("is a folder, not a page file".into())
        );
        assert_eq!(
            tree.add_named(root, "big.html"),
            Err("larger than 4 MiB".into())
        );
    }

    #[test]
    fn load_refuses_a_file_as_root() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.json", "{}");
        assert!(matches!(
            SourceTree::load(&dir.path().join("a.json")),
            Err(Error::Usage(_))
        ));
        assert!(matches!(
            SourceTree::load(&dir.path().join("none")),
            Err(Error::Io { .. })
        ));
    }

    #[test]
    fn assets_are_listed_apart_and_read_as_bytes_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "views/bg.hbs", "<p>bg</p>");
        std::fs::create_dir_all(root.join("public/img")).unwrap();
        std::fs::write(
            root.join("public/img/Logo.PNG"),
            [0x89, b'P', b'N', b'G', 0xff],
        )
        .unwrap();
        std::fs::write(
            root.join("public/img/huge.jpg"),
            vec![0u8; (MAX_ASSET_BYTES + 1) as usize],
        )
        .unwrap();
        write(root, "build/img/built.png", "x");
        let tree = SourceTree::load(root).unwrap();
        // Not source: files() and paths() never see them.
        assert_eq!(tree.paths().collect::<Vec<_>>(), ["views/bg.hbs"]);
        assert_eq!(
            tree.asset_paths().collect::<Vec<_>>(),
            ["public/img/Logo.PNG", "public/img/huge.jpg"]
        );
        assert!(tree.lists_asset("public/img/Logo.PNG"));
        assert_eq!(
            tree.bytes("public/img/Logo.PNG"),
            Ok(vec![0x89, b'P', b'N', b'G', 0xff])
        );
        assert_eq!(
            tree.bytes("public/img/huge.jpg"),
            Err("larger than 4 MiB".into())
        );
        assert_eq!(
            tree.bytes("build/img/built.png"),
            Err("not in the source tree".into())
        );
        // In memory: the bytes given, or a listed text file's text.
        let tree = SourceTree::from_files([("a.svg", "<svg/>")]).with_asset("b.png", [1u8, 2]);
        assert_eq!(tree.bytes("a.svg"), Ok(b"<svg/>".to_vec()));
        assert_eq!(tree.bytes("b.png"), Ok(vec![1, 2]));
        assert!(tree.lists_asset("b.png") && tree.lists_asset("a.svg"));
    }

    #[test]
    fn from_files_normalises_paths() {
        let tree = SourceTree::from_files([("./views\\a.hbs", "a"), ("/b.js", "b")]);
        assert_eq!(tree.get("views/a.hbs"), Some("a"));
        assert_eq!(tree.get("b.js"), Some("b"));
    }

    #[test]
    fn default_source_root_climbs_out_of_maven_resources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "pom.xml", "<project/>");
        write(root, "src/main/resources/atlassian-connect.json", "{}");
        assert_eq!(
            default_source_root(&root.join("src/main/resources/atlassian-connect.json")),
            root
        );
        // A descriptor the app serves from public/ or renders from templates/; a public/ folder
        // that is a project of its own stays.
        for (marker, descriptor, project) in [
            (
                "web/package.json",
                "web/public/atlassian-connect.json",
                "web",
            ),
            (
                "flask/requirements.txt",
                "flask/templates/atlassian-connect.json",
                "flask",
            ),
            (
                "own/public/package.json",
                "own/public/atlassian-connect.json",
                "own/public",
            ),
        ] {
            write(root, marker, "{}");
            write(root, descriptor, "{}");
            assert_eq!(
                default_source_root(&root.join(descriptor)),
                root.join(project)
            );
        }
        write(root, "ace/atlassian-connect.json", "{}");
        assert_eq!(
            default_source_root(&root.join("ace/atlassian-connect.json")),
            root.join("ace")
        );
        assert_eq!(
            default_source_root(Path::new("atlassian-connect.json")),
            Path::new(".")
        );
        // Resources with no build file above: the descriptor's folder.
        let bare = tempfile::tempdir().unwrap();
        let d = bare
            .path()
            .join("src/main/resources/atlassian-connect.json");
        assert_eq!(
            default_source_root(&d),
            bare.path().join("src/main/resources")
        );
    }
}
