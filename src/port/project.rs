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
    /// The `package.json` script that builds it (`build`, or the one running its bundler).
    pub script: String,
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
            script: build_script(tree, &u.front_end.project)?,
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
        if !bundles.iter().any(|b: &Bundle| b.src == *src) {
            bundles.push(Bundle {
                src: src.clone(),
                name,
                to: format!("page/{rel}"),
            });
        }
    }
    if bundles.is_empty() {
        return None;
    }
    Some(Project {
        pages: Vec::new(),
        builder: first.front_end.builder.unwrap_or("its bundler").to_string(),
        script: build_script(tree, &folder)?,
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

/// The `package.json` script of the project in `folder` that builds it: `build`, else the first
/// one that runs a bundler (`"webpack": "webpack"`).
fn build_script(tree: &SourceTree, folder: &str) -> Option<String> {
    let text = tree.get(&format!("{folder}package.json"))?;
    let pkg: serde_json::Value = serde_json::from_str(text).ok()?;
    let scripts = pkg.get("scripts")?.as_object()?;
    if scripts.contains_key("build") {
        return Some("build".into());
    }
    scripts
        .iter()
        .find(|(_, cmd)| {
            cmd.as_str().is_some_and(|c| {
                let first = c.split_whitespace().next().unwrap_or("");
                BUNDLERS.contains(&first) && !c.contains("--watch") && !c.contains("serve")
            })
        })
        .map(|(name, _)| name.clone())
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
    let mut files = Vec::new();
    let mut secrets = Vec::new();
    let mut bytes: u64 = 0;
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
        if files.len() >= MAX_FILES {
            warnings.push(warning(
                &project.shell,
                format!(
                    "the front-end project in {} has more than {MAX_FILES} files (node_modules and its build output aside): it is not carried; carry it by hand (see C2F074's explanation)",
                    display(&project.folder)
                ),
            ));
            return warnings;
        }
        let content = match std::fs::read(entry.path()) {
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
        bytes += content.len() as u64;
        if bytes > MAX_BYTES {
            warnings.push(warning(
                &project.shell,
                format!(
                    "the front-end project in {} holds more than {} MiB (node_modules and its build output aside): it is not carried; carry it by hand (see C2F074's explanation)",
                    display(&project.folder),
                    MAX_BYTES >> 20
                ),
            ));
            return warnings;
        }
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
            script: "build".into(),
            files: Vec::new(),
        }
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
    fn the_build_script_is_build_else_the_first_that_runs_a_bundler_once() {
        let script = |scripts: &str| {
            let tree = SourceTree::from_files([(
                "web/package.json",
                format!("{{\"scripts\": {scripts}}}"),
            )]);
            build_script(&tree, "web/")
        };
        assert_eq!(
            script(r#"{"watch": "webpack --watch", "build": "webpack --mode production"}"#),
            Some("build".into())
        );
        assert_eq!(
            script(r#"{"start": "node app.js", "dev": "webpack --watch", "webpack": "webpack"}"#),
            Some("webpack".into())
        );
        assert_eq!(
            script(r#"{"start": "node app.js", "serve": "vite serve"}"#),
            None
        );
        assert_eq!(script(r#"{"start": "node app.js"}"#), None);
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
        assert_eq!(p.script, "build");
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
