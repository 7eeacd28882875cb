//! A front-end project carried whole into the page's Custom UI resource (issue 20 §4): when the
//! page is a project's shell (a Create React App, Vite, Vue CLI, Parcel or webpack project whose
//! build writes the `index.html` the server sends), the page's code is the project, not a build
//! output that is not in the repository. The project's files are copied under the resource's
//! `project/` folder, at the same paths they have in the source tree, and the resource's build
//! runs the project's own `npm install && npm run build` there, then takes its output with the
//! compatibility layer loaded first and every URL relative (`templates/scaffold/scripts/
//! build.mjs.hbs`).
//!
//! [`plan`] decides, over the tree (pure), which project a page carries; [`read`] lists and reads
//! its files from disk: the `ignore` walker (the project's `.gitignore` holds, as for the source
//! tree), dependency, VCS and build-output folders never entered, files that may hold secrets
//! (`.env`, `.npmrc`) never copied and named, binary files (images, fonts) carried as bytes, and
//! limits on files and bytes that, when reached, leave the project uncarried with a located
//! warning, never half-copied.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::port::frontend::page::Use;
use crate::port::page::Location;
use crate::port::tree::SourceTree;

/// At most this many files are carried from one project.
pub const MAX_FILES: usize = 5_000;
/// At most this many bytes are carried from one project.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Folder names never entered in a project: dependencies, VCS, caches and build outputs.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "build",
    "dist",
    "out",
    "coverage",
    "target",
    "__pycache__",
];

/// Builders whose output this can take: `(builder, the folders it writes, in the order tried)`.
const OUTPUTS: &[(&str, &[&str])] = &[
    ("react-scripts", &["build"]),
    ("vite", &["dist"]),
    ("@vue/cli-service", &["dist"]),
    ("parcel", &["dist"]),
    ("parcel-bundler", &["dist"]),
    ("webpack", &["dist", "build", "public"]),
    ("webpack-cli", &["dist", "build", "public"]),
];

/// One file of the project.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProjectFile {
    /// Path relative to the source root (`client/src/App.tsx`); under the resource it is
    /// `project/` + this.
    pub path: String,
    /// Its text; `None` for a binary file (then `bytes` holds it).
    pub text: Option<String>,
    /// A binary file's bytes.
    #[serde(skip)]
    pub bytes: Option<Vec<u8>>,
}

/// A script the page loads that the project's build writes (`/js/react/Studio.js`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Bundle {
    /// The URL the page loads it from, as written.
    pub src: String,
    /// Its file name, as the build writes it (`Studio.js`).
    pub name: String,
    /// Where the resource loads it from, relative to the resource's build folder
    /// (`page/js/react/Studio.js`).
    pub to: String,
}

/// A front-end project the page carries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Project {
    /// The project folder, relative to the source root, ending in `/` (empty for the root).
    pub folder: String,
    /// The builder its `package.json` names (`vite`).
    pub builder: String,
    /// The shell the project's build fills (`client/index.html`), relative to the source root.
    pub shell: String,
    /// The folders, relative to the project, its build writes the page to, in the order the
    /// resource's build looks for the page; empty when the page is carried and only loads
    /// bundles the project builds.
    pub outputs: Vec<String>,
    /// The pages its build may write for the module's URL, relative to an output folder, in
    /// the order a static server would send them (`admin.html`, `admin/index.html`,
    /// `index.html`; a Vite page's own path, `admin/settings.html`): the resource shows the
    /// first one the build wrote as its `index.html`. Empty when the page is carried.
    pub pages: Vec<String>,
    /// The scripts the carried page loads that the project's build writes (none for a shell).
    pub bundles: Vec<Bundle>,
    /// The arguments of the `npm` command that builds it: `["run", "build"]`, the `package.json`
    /// script that runs its bundler once, or the bundler itself (`["exec", "--", "webpack"]`)
    /// when the bundler's configuration writes the page's bundle and no script runs it once.
    pub run: Vec<String>,
    /// Its files, in path order (filled by [`read`]).
    pub files: Vec<ProjectFile>,
}

impl Project {
    /// Where the project is under the resource folder (`project/client/`).
    pub fn carried_folder(&self) -> String {
        format!("project/{}", self.folder)
    }
}

/// Bundlers a `package.json` script may run to build the page's bundles.
const BUNDLERS: &[&str] = &[
    "webpack",
    "vite",
    "esbuild",
    "rollup",
    "parcel",
    "browserify",
    "react-scripts",
    "vue-cli-service",
];

/// The project a page carries: a shell whose build writes the page, with a builder whose output
/// the resource's build can take; or, for a carried page, the one project that builds the
/// scripts it loads. `None` when there is none (the page's own files are carried, and a
/// front-end project it uses stays named by its warning).
pub fn plan(tree: &SourceTree, uses: &[Use], url: &str) -> Option<Project> {
    if let Some(u) = uses.iter().find(|u| u.bundle.is_none()) {
        let builder = u.front_end.builder?;
        // A file-system route (Next.js, Nuxt) is no shell: a static export is another build.
        if !u.at.file.ends_with(".html") && !u.at.file.ends_with(".htm") {
            return None;
        }
        let outputs = OUTPUTS.iter().find(|(b, _)| *b == builder)?.1;
        // Vite writes each input page at its path in the project; the others write index.html,
        // or one page per entry (webpack's HtmlWebpackPlugin: `admin.html`), which the
        // module's URL names.
        let pages = match u.at.file.strip_prefix(&u.front_end.project) {
            Some(rel) if builder == "vite" => vec![rel.to_string()],
            _ => built_pages(url),
        };
        return Some(Project {
            pages,
            folder: u.front_end.project.clone(),
            builder: builder.to_string(),
            shell: u.at.file.clone(),
            outputs: outputs.iter().map(|o| (*o).to_string()).collect(),
            bundles: Vec::new(),
            run: build_run(tree, &u.front_end.project, &[])?,
            files: Vec::new(),
        });
    }
    let first = uses.iter().find(|u| u.bundle.is_some())?;
    let folder = first.front_end.project.clone();
    let mut bundles = Vec::new();
    for u in uses.iter().filter(|u| u.front_end.project == folder) {
        let Some(src) = &u.bundle else { continue };
        // As written: Thymeleaf's `@{/js/x.js}` keeps its braces in the URL the split read.
        let path = src.split(['?', '#']).next().unwrap_or(src);
        let path = path.trim_start_matches("@{").trim_end_matches('}');
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        let rel = path.trim_start_matches('/');
        // A URL that climbs out of the resource, or names no file, stays uncarried.
        if name.is_empty() || rel.split('/').any(|s| s == ".." || s.is_empty()) {
            continue;
        }
        // A bundle a route sends under another URL keeps its own name, below that URL's path
        // (`/js` → `page/js/app.bundle.js`): Forge serves a file by its extension.
        let (name, to) = match &u.built {
            Some(built) if *built != name => (built.clone(), format!("page/{rel}/{built}")),
            _ => (name, format!("page/{rel}")),
        };
        if !bundles.iter().any(|b: &Bundle| b.src == *src) {
            bundles.push(Bundle {
                src: src.clone(),
                name,
                to,
            });
        }
    }
    if bundles.is_empty() {
        return None;
    }
    let names: Vec<&str> = bundles.iter().map(|b| b.name.as_str()).collect();
    Some(Project {
        pages: Vec::new(),
        builder: first.front_end.builder.unwrap_or("its bundler").to_string(),
        run: build_run(tree, &folder, &names)?,
        folder,
        shell: first.at.file.clone(),
        outputs: Vec::new(),
        bundles,
        files: Vec::new(),
    })
}

/// The pages a build may write for the module URL `url`, as a static server looks them up:
/// `/admin` → `admin.html`, `admin/index.html`, then the shell's `index.html`.
fn built_pages(url: &str) -> Vec<String> {
    let segments = crate::port::discover::url_segments(url);
    let mut pages = Vec::new();
    // A placeholder segment (`{issue.key}`) names no file.
    if !segments.is_empty() && !segments.iter().any(|s| s.contains(['{', '}', '$', '\\'])) {
        let path = segments.join("/");
        if path.ends_with(".html") || path.ends_with(".htm") {
            pages.push(path);
        } else {
            pages.push(format!("{path}.html"));
            pages.push(format!("{path}/index.html"));
        }
    }
    pages.push("index.html".to_string());
    pages.dedup();
    pages
}

/// How the project in `folder` is built, as the arguments of `npm`: its `build` script, else the
/// first script that runs a bundler once. When the page loads bundles (`bundles`, their file
/// names) that a bundler's configuration in the project writes (`webpack.config.js` naming
/// `bundle.js`), that bundler builds them: `build` if it runs it, else the first script that
/// does, else the bundler itself (`npm exec -- webpack`, as a Maven build's frontend plugin
/// runs it; `vite build`, `rollup -c`) — a `build` script that runs another builder (a Create React App's
/// `react-scripts build` beside the webpack configuration that writes the page's bundle) writes
/// other files.
fn build_run(tree: &SourceTree, folder: &str, bundles: &[&str]) -> Option<Vec<String>> {
    let text = tree.get(&format!("{folder}package.json"))?;
    let pkg: serde_json::Value = serde_json::from_str(text).ok()?;
    let empty = serde_json::Map::new();
    let scripts = pkg
        .get("scripts")
        .and_then(serde_json::Value::as_object)
        .unwrap_or(&empty);
    let script = |name: &str| vec!["run".to_string(), name.to_string()];
    let runs_once = |cmd: &str, bundler: Option<&str>| {
        programs(cmd).iter().any(|(program, rest)| {
            bundler.map_or(BUNDLERS.contains(program), |b| *program == b)
                && !rest.iter().any(|w| {
                    matches!(*w, "serve" | "dev" | "start" | "--watch" | "-w")
                        || w.starts_with("--watch=")
                })
        })
    };
    if let Some(bundler) = configured_bundler(tree, folder, bundles) {
        let found = scripts
            .get("build")
            .and_then(serde_json::Value::as_str)
            .filter(|c| runs_once(c, Some(bundler)))
            .map(|_| "build")
            .or_else(|| {
                scripts
                    .iter()
                    .find(|(_, c)| c.as_str().is_some_and(|c| runs_once(c, Some(bundler))))
                    .map(|(name, _)| name.as_str())
            });
        return Some(found.map_or_else(
            || {
                // Each reads its configuration when run so (plain `vite` serves, `rollup` wants -c).
                let mut exec = vec!["exec".to_string(), "--".to_string(), bundler.to_string()];
                match bundler {
                    "vite" => exec.push("build".into()),
                    "rollup" => exec.push("-c".into()),
                    _ => {}
                }
                exec
            },
            script,
        ));
    }
    if scripts.contains_key("build") {
        return Some(script("build"));
    }
    scripts
        .iter()
        .find(|(_, c)| c.as_str().is_some_and(|c| runs_once(c, None)))
        .map(|(name, _)| script(name))
}

/// The programs a `package.json` script's command runs, each with the words after it: every
/// command of a `&&`, `||`, `;` or `|` chain, past the environment assignments before it
/// (`PRODUCT_TYPE=full vite build`) and the wrappers that set them or find the program
/// (`cross-env`, `env`, `npx`); a path names its file (`node_modules/.bin/webpack`).
fn programs(cmd: &str) -> Vec<(&str, Vec<&str>)> {
    const WRAPPERS: &[&str] = &["cross-env", "cross-env-shell", "env", "npx", "dotenv"];
    let mut out = Vec::new();
    for segment in cmd.split(['&', '|', ';']) {
        let mut words = segment.split_whitespace().peekable();
        let mut wrapped = false;
        while let Some(w) = words.peek() {
            let assignment = w.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !name.starts_with(|c: char| c.is_ascii_digit())
            });
            let wrapper = WRAPPERS.contains(w);
            let option = wrapped && (w.starts_with('-'));
            if !(assignment || wrapper || option) {
                break;
            }
            wrapped |= wrapper;
            words.next();
        }
        if let Some(program) = words.next() {
            let program = program.rsplit('/').next().unwrap_or(program);
            out.push((program, words.collect()));
        }
    }
    out
}

/// The bundler whose configuration in `folder` names one of `bundles` (file names) as an output
/// (`filename: './static/built/bundle.js'` in `webpack.config.js`).
fn configured_bundler(tree: &SourceTree, folder: &str, bundles: &[&str]) -> Option<&'static str> {
    const CONFIGS: &[(&str, &str)] = &[
        ("webpack.config", "webpack"),
        ("vite.config", "vite"),
        ("rollup.config", "rollup"),
    ];
    if bundles.is_empty() {
        return None;
    }
    for (stem, bundler) in CONFIGS {
        for ext in ["js", "cjs", "mjs", "ts", "mts", "cts"] {
            let Some(text) = tree.get(&format!("{folder}{stem}.{ext}")) else {
                continue;
            };
            let names = bundles.iter().any(|name| {
                ['/', '\'', '"', '`']
                    .iter()
                    .any(|before| text.contains(&format!("{before}{name}")))
                    // `filename: '[name].bundle.js'` with an entry `app`: `app.bundle.js`.
                    || name.split_once('.').is_some_and(|(entry, rest)| {
                        !entry.is_empty()
                            && text.contains(&format!("[name].{rest}"))
                            && text.contains(entry)
                    })
            });
            if names {
                return Some(bundler);
            }
        }
    }
    None
}

/// Why a project was not carried, or a file of it was left out: a warning at the shell.
fn warning(shell: &str, message: String) -> Diagnostic {
    Location {
        file: shell.to_string(),
        line: 1,
        column: 1,
    }
    .warning(message)
}

/// Lists and reads the files of `project` under `root`, skipping `exclude` (the Forge app's own
/// folders when they are inside the source tree). Returns the warnings: files left out on
/// purpose (secrets), unreadable ones, and a limit reached — then `project.files` stays empty and
/// the project is not carried.
pub fn read(root: &Path, project: &mut Project, exclude: &[PathBuf]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let base = root.join(&project.folder);
    let exclude: Vec<PathBuf> = exclude.to_vec();
    let walk = ignore::WalkBuilder::new(&base)
        .hidden(false)
        .parents(false)
        .git_ignore(true)
        .git_global(false)
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
            // At the project's top only: a source folder may be called `build`.
            let output = e.depth() == 1 && SKIPPED_DIRS.contains(&name);
            !(output
                || name == "node_modules"
                || name.starts_with('.')
                || exclude.iter().any(|x| x == e.path()))
        })
        .build();
    // Listed first, with sizes: the limits are checked, and the folders that make a project too
    // big named, before any file is read.
    let mut listed: Vec<(String, PathBuf, u64)> = Vec::new();
    let mut secrets = Vec::new();
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                warnings.push(warning(
                    &project.shell,
                    format!(
                        "a file of the front-end project in {} could not be listed ({e}): it is not carried",
                        display(&project.folder)
                    ),
                ));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let name = entry.file_name().to_string_lossy();
        if name.starts_with(".env") || name == ".npmrc" || name == ".yarnrc.yml" {
            secrets.push(rel);
            continue;
        }
        if name == ".DS_Store" {
            continue;
        }
        let size = entry.metadata().map_or(0, |m| m.len());
        listed.push((rel, entry.path().to_path_buf(), size));
    }
    let total: u64 = listed.iter().map(|(_, _, size)| size).sum();
    if listed.len() > MAX_FILES || total > MAX_BYTES {
        let (what, by_bytes) = if total > MAX_BYTES {
            (
                format!("holds {} (more than {} MiB)", mib(total), MAX_BYTES >> 20),
                true,
            )
        } else {
            (
                format!("has {} files (more than {MAX_FILES})", listed.len()),
                false,
            )
        };
        warnings.push(warning(
            &project.shell,
            format!(
                "the front-end project in {} {what}, node_modules and its build output aside{}: it is not carried; carry it by hand (see C2F074's explanation)",
                display(&project.folder),
                biggest(&project.folder, &listed, by_bytes),
            ),
        ));
        return warnings;
    }
    let mut files = Vec::new();
    for (rel, full, _) in listed {
        let content = match std::fs::read(&full) {
            Ok(c) => c,
            Err(e) => {
                warnings.push(warning(
                    &rel,
                    format!(
                        "{rel} of the front-end project could not be read ({e}): it is not carried"
                    ),
                ));
                continue;
            }
        };
        files.push(match String::from_utf8(content) {
            Ok(text) => ProjectFile {
                path: rel,
                text: Some(text),
                bytes: None,
            },
            Err(e) => ProjectFile {
                path: rel,
                text: None,
                bytes: Some(e.into_bytes()),
            },
        });
    }
    if !files
        .iter()
        .any(|f| f.path == format!("{}package.json", project.folder))
    {
        warnings.push(warning(
            &project.shell,
            format!(
                "the front-end project in {} has no readable package.json: it is not carried",
                display(&project.folder)
            ),
        ));
        return warnings;
    }
    if !secrets.is_empty() {
        warnings.push(warning(
            &project.shell,
            format!(
                "{} of the front-end project may hold secrets and {} not carried: if its build needs values from them, set them in the resource's project/{} by hand",
                secrets.join(", "),
                if secrets.len() == 1 { "is" } else { "are" },
                project.folder
            ),
        ));
    }
    project.files = files;
    warnings
}

/// `bytes` in MiB, as said to a user (`113.2 MiB`).
fn mib(bytes: u64) -> String {
    // Display only: the precision of f64 is more than enough.
    #[allow(clippy::cast_precision_loss)]
    let m = bytes as f64 / f64::from(1u32 << 20);
    format!("{m:.1} MiB")
}

/// The (at most three) folders of the project, two levels deep, that hold the most bytes (or
/// files), each a twentieth of the whole or more, as a clause for the warning (`; most in public/drawio/ (113.2 MiB), …`).
fn biggest(folder: &str, listed: &[(String, PathBuf, u64)], by_bytes: bool) -> String {
    let mut groups: std::collections::BTreeMap<String, (u64, usize)> =
        std::collections::BTreeMap::new();
    for (rel, _, size) in listed {
        let inner = rel.strip_prefix(folder).unwrap_or(rel);
        let parts: Vec<&str> = inner.split('/').collect();
        // A file at the project's top counts as itself; others by their first two folders.
        let depth = (parts.len() - 1).min(2);
        let key = if depth == 0 {
            inner.to_string()
        } else {
            format!("{folder}{}/", parts[..depth].join("/"))
        };
        let g = groups.entry(key).or_default();
        g.0 += size;
        g.1 += 1;
    }
    let mut groups: Vec<(String, (u64, usize))> = groups.into_iter().collect();
    groups.sort_by(|a, b| {
        let (x, y) = if by_bytes {
            (b.1 .0, a.1 .0)
        } else {
            (b.1 .1 as u64, a.1 .1 as u64)
        };
        x.cmp(&y).then_with(|| a.0.cmp(&b.0))
    });
    // Only what makes a difference: a twentieth of the whole or more.
    let (bytes, files): (u64, usize) = groups
        .iter()
        .fold((0, 0), |(b, f), (_, (size, count))| (b + size, f + count));
    let named: Vec<String> = groups
        .iter()
        .filter(|(_, (size, count))| {
            if by_bytes {
                size * 20 >= bytes
            } else {
                count * 20 >= files
            }
        })
        .take(3)
        .map(|(name, (size, count))| {
            if by_bytes {
                format!("{name} ({})", mib(*size))
            } else {
                format!(
                    "{name} ({count} file{})",
                    if *count == 1 { "" } else { "s" }
                )
            }
        })
        .collect();
    if named.is_empty() {
        String::new()
    } else {
        format!("; most in {}", named.join(", "))
    }
}

/// The project folder as said to a user.
fn display(folder: &str) -> &str {
    if folder.is_empty() {
        "./"
    } else {
        folder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(folder: &str) -> Project {
        Project {
            folder: folder.into(),
            builder: "vite".into(),
            shell: format!("{folder}index.html"),
            outputs: vec!["dist".into()],
            pages: vec!["index.html".into()],
            bundles: Vec::new(),
            run: vec!["run".into(), "build".into()],
            files: Vec::new(),
        }
    }

    /// The bundle's build: the webpack config that writes it — by its name, or by
    /// `[name].bundle.js` with that entry — run by the script that runs webpack once, else by
    /// `npm exec -- webpack` (a `build` script that only transpiles the server does not make it).
    #[test]
    fn a_bundle_is_built_by_the_bundler_whose_config_writes_it() {
        let config = "module.exports = { entry: { app: './src/client/index.js' }, output: { filename: '[name].bundle.js' } };";
        let pkg = r#"{"scripts": {"dev": "webpack --watch & nodemon server.js", "build": "babel ./src -d dist"}}"#;
        let tree = SourceTree::from_files([("webpack.config.js", config), ("package.json", pkg)]);
        assert_eq!(
            build_run(&tree, "", &["app.bundle.js"]),
            Some(vec!["exec".into(), "--".into(), "webpack".into()])
        );
        // Another entry's name is not this config's.
        assert_eq!(configured_bundler(&tree, "", &["vendor.min.js"]), None);
    }

    #[test]
    fn reads_sources_and_assets_and_leaves_out_outputs_dependencies_and_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let put = |p: &str, c: &[u8]| {
            let f = root.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, c).unwrap();
        };
        put("client/package.json", b"{}");
        put("client/index.html", b"<div id=app></div>");
        put("client/src/main.ts", b"AP.resize()");
        put(
            "client/src/build/tool.ts",
            b"// a source folder named build",
        );
        put("client/public/logo.png", &[0x89, b'P', b'N', b'G', 0xff]);
        put("client/.babelrc", b"{}");
        put("client/.env", b"SECRET=1");
        put("client/.gitignore", b"generated/\n");
        put("client/generated/x.js", b"x");
        put("client/dist/index.html", b"built");
        put("client/node_modules/vite/index.js", b"x");
        put("client/.cache/x", b"x");
        put("server.js", b"outside the project");
        let mut p = project("client/");
        let warnings = read(root, &mut p, &[]);
        let paths: Vec<&str> = p.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "client/.babelrc",
                "client/.gitignore",
                "client/index.html",
                "client/package.json",
                "client/public/logo.png",
                "client/src/build/tool.ts",
                "client/src/main.ts",
            ]
        );
        let logo = &p.files[4];
        assert_eq!(logo.text, None);
        assert_eq!(
            logo.bytes.as_deref(),
            Some(&[0x89, b'P', b'N', b'G', 0xff][..])
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0]
            .message
            .contains("client/.env of the front-end project may hold secrets"));
    }

    #[test]
    fn a_project_over_a_limit_is_not_carried_and_the_folders_that_make_it_so_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let put = |p: &str, len: u64| {
            let f = root.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            // Sparse: the size is what counts, not the bytes on this disk.
            std::fs::File::create(&f).unwrap().set_len(len).unwrap();
        };
        put("client/package.json", 2);
        put("client/src/main.ts", 10);
        put("client/public/vendor/app/big.bin", 60 << 20);
        put("client/public/video/clip.mp4", 5 << 20);
        let mut p = project("client/");
        let warnings = read(root, &mut p, &[]);
        assert!(p.files.is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].message,
            "the front-end project in client/ holds 65.0 MiB (more than 64 MiB), node_modules and its build output aside; most in client/public/vendor/ (60.0 MiB), client/public/video/ (5.0 MiB): it is not carried; carry it by hand (see C2F074's explanation)"
        );

        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let put = |p: &str| {
            let f = root.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, b"x").unwrap();
        };
        put("package.json");
        put("index.html");
        for i in 0..MAX_FILES {
            put(&format!("src/icons/{i}.svg"));
        }
        let mut p = project("");
        let warnings = read(root, &mut p, &[]);
        assert!(p.files.is_empty());
        assert!(
            warnings[0].message.starts_with(
                "the front-end project in ./ has 5002 files (more than 5000), node_modules and its build output aside; most in src/icons/ (5000 files): it is not carried"
            ),
            "{warnings:?}"
        );
    }

    #[test]
    fn the_build_script_is_build_else_the_first_that_runs_a_bundler_once() {
        let run = |scripts: &str| {
            let tree = SourceTree::from_files([(
                "web/package.json",
                format!("{{\"scripts\": {scripts}}}"),
            )]);
            build_run(&tree, "web/", &[]).map(|r| r.join(" "))
        };
        assert_eq!(
            run(r#"{"watch": "webpack --watch", "build": "webpack --mode production"}"#),
            Some("run build".into())
        );
        assert_eq!(
            run(r#"{"start": "node app.js", "dev": "webpack --watch", "webpack": "webpack"}"#),
            Some("run webpack".into())
        );
        assert_eq!(
            run(r#"{"start": "node app.js", "serve": "vite serve"}"#),
            None
        );
        assert_eq!(run(r#"{"start": "node app.js"}"#), None);
        // Environment assignments and the wrappers that set them come before the bundler.
        assert_eq!(
            run(
                r#"{"start": "VERSION=1 vite dev", "build:full:watch": "PRODUCT_TYPE=full vite build --watch", "build:full": "PRODUCT_TYPE=full vite build --mode production"}"#
            ),
            Some("run build:full".into())
        );
        assert_eq!(
            run(r#"{"bundle": "cross-env NODE_ENV=production webpack --mode production"}"#),
            Some("run bundle".into())
        );
        assert_eq!(
            run(r#"{"dist": "tsc -p . && npx --no-install vite build"}"#),
            Some("run dist".into())
        );
    }

    #[test]
    fn a_bundle_its_bundlers_configuration_writes_is_built_by_that_bundler() {
        let run = |scripts: &str, config: &str| {
            let tree = SourceTree::from_files([
                (
                    "package.json".to_string(),
                    format!("{{\"scripts\": {scripts}}}"),
                ),
                ("webpack.config.js".to_string(), config.to_string()),
            ]);
            build_run(&tree, "", &["bundle.js"]).map(|r| r.join(" "))
        };
        let writes = "module.exports = { output: { path: __dirname, filename: './static/built/bundle.js' } };";
        // `build` runs another builder (a Create React App's leftover script): the bundler runs.
        assert_eq!(
            run(
                r#"{"watch": "webpack --watch -d", "build": "react-scripts build"}"#,
                writes
            ),
            Some("exec -- webpack".into())
        );
        assert_eq!(
            run(
                r#"{"build": "react-scripts build", "pack": "webpack --mode production"}"#,
                writes
            ),
            Some("run pack".into())
        );
        assert_eq!(
            run(
                r#"{"build": "cross-env NODE_ENV=production webpack"}"#,
                writes
            ),
            Some("run build".into())
        );
        // A configuration that does not name the bundle decides nothing.
        assert_eq!(
            run(
                r#"{"build": "react-scripts build"}"#,
                "module.exports = { output: { filename: '[name].js' } };"
            ),
            Some("run build".into())
        );
    }

    #[test]
    fn a_bundle_named_in_thymeleafs_braces_is_the_file_it_names() {
        use crate::port::frontend::{FrontEnd, Graph};
        let tree =
            SourceTree::from_files([("package.json", r#"{"scripts": {"build": "webpack"}}"#)]);
        let uses = [Use {
            front_end: FrontEnd {
                project: String::new(),
                entries: Vec::new(),
                builder: Some("webpack"),
                graph: Graph::default(),
            },
            at: Location {
                file: "templates/byline.html".into(),
                line: 8,
                column: 5,
            },
            why: "the page loads it".into(),
            bundle: Some("@{/js/class-byline.js}".into()),
            built: None,
        }];
        let p = plan(&tree, &uses, "/byline").expect("carried");
        assert_eq!(
            p.bundles,
            [Bundle {
                src: "@{/js/class-byline.js}".into(),
                name: "class-byline.js".into(),
                to: "page/js/class-byline.js".into(),
            }]
        );
        assert_eq!(p.run, ["run", "build"]);
        assert!(p.pages.is_empty());
    }

    #[test]
    fn a_shells_pages_are_what_a_static_server_sends_for_the_module_url() {
        use crate::port::frontend::{FrontEnd, Graph};
        let tree =
            SourceTree::from_files([("package.json", r#"{"scripts": {"build": "webpack"}}"#)]);
        let shell = |builder, file: &str| Use {
            front_end: FrontEnd {
                project: String::new(),
                entries: Vec::new(),
                builder: Some(builder),
                graph: Graph::default(),
            },
            at: Location {
                file: file.into(),
                line: 1,
                column: 1,
            },
            why: "the server sends it".into(),
            bundle: None,
            built: None,
        };
        let pages = |builder, file, url| {
            plan(&tree, &[shell(builder, file)], url)
                .expect("a shell")
                .pages
        };
        // webpack's HtmlWebpackPlugin writes one page per entry, named as the route.
        assert_eq!(
            pages(
                "webpack",
                "public/index.html",
                "{{localBaseUrl}}/admin?route=setup"
            ),
            ["admin.html", "admin/index.html", "index.html"]
        );
        assert_eq!(
            pages("webpack", "public/index.html", "/ui/view.html#x"),
            ["ui/view.html", "index.html"]
        );
        // A placeholder names no file; the root is the shell itself.
        assert_eq!(
            pages("webpack", "public/index.html", "/p/{project.key}"),
            ["index.html"]
        );
        assert_eq!(pages("webpack", "public/index.html", "/"), ["index.html"]);
        // Vite writes each input page at its own path.
        assert_eq!(
            pages("vite", "admin/settings.html", "/admin"),
            ["admin/settings.html"]
        );
    }

    #[test]
    fn a_limit_or_no_package_json_leaves_the_project_uncarried() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        let mut p = project("");
        let warnings = read(dir.path(), &mut p, &[]);
        assert!(p.files.is_empty());
        assert!(
            warnings[0].message.contains("has no readable package.json"),
            "{warnings:?}"
        );
    }
}
