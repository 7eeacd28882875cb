//! The Connect app's source files, read once into memory, so that page discovery, page splitting
//! and carrying are pure functions over a value.
//!
//! Guarantees: only regular files are opened (a FIFO or device is never read, not even when one
//! is swapped in after the walk: files are opened non-blocking and checked on the handle), each
//! file is read up to [`MAX_FILE_BYTES`] and the whole tree up to [`MAX_TOTAL_BYTES`]; symbolic
//! links are followed only to regular files inside the root; dependency, VCS and build folders
//! are never entered. Paths are relative to the root, with `/`. What is left out for a reason a
//! user may care about (too big, not UTF-8, unreadable, a link out of the root) is listed in
//! [`SourceTree::skipped`].

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// A file bigger than this is listed as skipped, not read (no page or script of a Connect app
/// comes near it; a bundle that does is not hand-written code to carry).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// The whole tree is read up to this many bytes; later files are listed as skipped.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many files are read; later ones are listed as skipped.
pub const MAX_FILES: usize = 20_000;
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

/// Files never read although their kind is: lock files, large and of no use to the port.
pub const SKIPPED_FILES: &[&str] = &["package-lock.json", "npm-shrinkwrap.json"];

/// File name endings read: the kinds a Connect page, its scripts, styles and its routes are
/// written in.
pub const KINDS: &[&str] = &[
    "js",
    "mjs",
    "cjs",
    "ts",
    "hbs",
    "handlebars",
    "html",
    "htm",
    "mustache",
    "ejs",
    "jsp",
    "java",
    "kt",
    "py",
    "css",
    "json",
];

/// A file that was found but not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// Path relative to the root, with `/`.
    pub path: String,
    /// Why it was not read (`larger than 4 MiB`, `not UTF-8`, ...).
    pub reason: String,
}

/// The app's source files in memory: relative path (with `/`) → text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceTree {
    files: BTreeMap<String, String>,
    skipped: Vec<Skipped>,
}

impl SourceTree {
    /// Reads the relevant files under `root` (see the module doc for the limits).
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
        let canonical = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let mut walk = Walk {
            root: canonical,
            tree: SourceTree::default(),
            total: 0,
            exclude: exclude
                .iter()
                .filter_map(|p| p.canonicalize().ok())
                .collect(),
        };
        walk.dir(root, "", 0)?;
        Ok(walk.tree)
    }

    /// A tree from `(path, text)` pairs, for tests and callers that already hold the files.
    /// Paths are normalised to `/` separators without a leading `./` or `/`.
    pub fn from_files<P: Into<String>, T: Into<String>>(
        files: impl IntoIterator<Item = (P, T)>,
    ) -> SourceTree {
        let files = files
            .into_iter()
            .map(|(p, t)| (normalize_rel(&p.into()), t.into()))
            .collect();
        SourceTree {
            files,
            skipped: Vec::new(),
        }
    }

    /// The text of the file at `path` (relative, with `/`), if it was read.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Whether the file at `path` was read.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Every file read, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, t)| (p.as_str(), t.as_str()))
    }

    /// Files found but not read, in walk order.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Number of files read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The folder whose source tree belongs to a descriptor: its own folder, or, for a Maven/Gradle
/// resource (`.../src/main/resources/atlassian-connect.json`), the nearest ancestor holding
/// `pom.xml`, `build.gradle`, `build.gradle.kts` or `package.json`.
pub fn default_source_root(descriptor_path: &Path) -> PathBuf {
    let folder = match descriptor_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let in_resources = folder.ends_with(Path::new("src/main/resources"));
    if in_resources {
        const MARKERS: &[&str] = &[
            "pom.xml",
            "build.gradle",
            "build.gradle.kts",
            "package.json",
        ];
        for ancestor in folder.ancestors().skip(1) {
            let at = if ancestor.as_os_str().is_empty() {
                Path::new(".")
            } else {
                ancestor
            };
            if MARKERS.iter().any(|m| at.join(m).is_file()) {
                return at.to_path_buf();
            }
        }
    }
    folder
}

/// `./a\b` → `a/b`; also drops a leading `/` and empty or `.` segments.
fn normalize_rel(p: &str) -> String {
    p.replace('\\', "/")
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a file name has one of the [`KINDS`] endings.
fn relevant(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && KINDS.iter().any(|k| ext.eq_ignore_ascii_case(k))
    })
}

struct Walk {
    root: PathBuf,
    tree: SourceTree,
    total: u64,
    /// Folders left out, canonical.
    exclude: Vec<PathBuf>,
}

impl Walk {
    fn skip(&mut self, path: String, reason: impl Into<String>) {
        self.tree.skipped.push(Skipped {
            path,
            reason: reason.into(),
        });
    }

    fn dir(&mut self, dir: &Path, rel: &str, depth: usize) -> Result<(), Error> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if depth == 0 => return Err(Error::io(dir, e)),
            Err(e) => {
                self.skip(rel.to_string(), format!("folder not readable: {e}"));
                return Ok(());
            }
        };
        // Sorted, so the tree (and the skipped list, and which files the caps leave out) does
        // not depend on the file system's order.
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                let lossy = entry.file_name().to_string_lossy().into_owned();
                self.skip(join(rel, &lossy), "file name is not UTF-8");
                continue;
            };
            let child_rel = join(rel, &name);
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                if SKIPPED_DIRS.contains(&name.as_str())
                    || path.canonicalize().is_ok_and(|c| self.exclude.contains(&c))
                {
                    continue;
                }
                if depth + 1 >= MAX_DEPTH {
                    self.skip(
                        child_rel,
                        format!("folder nested deeper than {MAX_DEPTH} levels"),
                    );
                    continue;
                }
                self.dir(&path, &child_rel, depth + 1)?;
            } else if file_type.is_symlink() {
                if !relevant(&name) {
                    continue;
                }
                // Followed only to a regular file inside the root; a linked folder is not
                // entered (it would repeat files or loop).
                match path.canonicalize() {
                    Ok(target) if target.starts_with(&self.root) => {
                        match std::fs::metadata(&target) {
                            Ok(m) if m.is_file() => self.file(&target, child_rel),
                            _ => self.skip(
                                child_rel,
                                "symbolic link to something other than a regular file",
                            ),
                        }
                    }
                    Ok(_) => self.skip(child_rel, "symbolic link out of the source tree"),
                    Err(_) => self.skip(child_rel, "dangling symbolic link"),
                }
            } else if file_type.is_file() {
                if relevant(&name) && !SKIPPED_FILES.contains(&name.as_str()) {
                    self.file(&path, child_rel);
                }
            } else if relevant(&name) {
                // FIFOs, sockets and devices are never opened; named, as the user may wonder.
                self.skip(child_rel, "not a regular file (a FIFO, socket or device)");
            }
        }
        Ok(())
    }

    fn file(&mut self, path: &Path, rel: String) {
        if self.tree.files.len() >= MAX_FILES {
            self.skip(rel, format!("more than {MAX_FILES} source files"));
            return;
        }
        match read_bounded(path) {
            Ok(bytes) => {
                let len = bytes.len() as u64;
                if self.total + len > MAX_TOTAL_BYTES {
                    self.skip(
                        rel,
                        format!(
                            "the source tree is larger than {} MiB",
                            MAX_TOTAL_BYTES >> 20
                        ),
                    );
                    return;
                }
                self.total += len;
                let bytes = bytes
                    .strip_prefix(&[0xEF, 0xBB, 0xBF])
                    .map(<[u8]>::to_vec)
                    .unwrap_or(bytes);
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        self.tree.files.insert(rel, text);
                    }
                    Err(_) => self.skip(rel, "not UTF-8"),
                }
            }
            Err(reason) => self.skip(rel, reason),
        }
    }
}

fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
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
    fn big_and_non_utf8_files_are_listed_as_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let big = vec![b'a'; (MAX_FILE_BYTES + 1) as usize];
        std::fs::write(root.join("big.js"), big).unwrap();
        std::fs::write(root.join("latin1.js"), b"var s = '\xe9';").unwrap();
        write(root, "ok.js", "\u{feff}var ok;");
        let tree = SourceTree::load(root).unwrap();
        assert_eq!(tree.get("ok.js"), Some("var ok;"), "BOM dropped");
        let skipped: Vec<_> = tree
            .skipped()
            .iter()
            .map(|s| (s.path.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [("big.js", "larger than 4 MiB"), ("latin1.js", "not UTF-8")]
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
