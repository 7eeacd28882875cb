//! Which router file each `X.use(...)` mounts under which prefix, and which folders
//! `express.static` serves: through `require`/`import` bindings, across files and levels.

use super::*;

/// `name → module` bindings of a file's `require`s and `import`s.
pub(super) fn bindings(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for c in REQUIRE.captures_iter(text) {
        let (names, module) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(n), Some(m), _, _) | (_, _, Some(n), Some(m)) => (n.as_str(), m.as_str()),
            _ => continue,
        };
        for name in names
            .split([',', '{', '}'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            // `a as b`, `a: b`, `* as x`: the local name is the last word.
            let local = name.rsplit([' ', ':']).next().unwrap_or(name).trim();
            if !local.is_empty() && local != "*" {
                out.insert(local.to_string(), module.to_string());
            }
        }
    }
    out
}

/// The tree file a relative module specifier names from `from`.
pub(super) fn resolve_module(tree: &SourceTree, from: &str, module: &str) -> Option<String> {
    if !module.starts_with('.') {
        return None;
    }
    let base = join_normalized(folder_of(from), module)?;
    let mut tried = vec![base.clone()];
    for ext in ["js", "ts", "mjs", "cjs", "jsx", "tsx"] {
        tried.push(format!("{base}.{ext}"));
    }
    for ext in ["js", "ts"] {
        tried.push(format!("{base}/index.{ext}"));
    }
    // A TypeScript import of `./x.js` names `./x.ts`.
    if let Some(stem) = base.strip_suffix(".js") {
        tried.push(format!("{stem}.ts"));
    }
    tried.into_iter().find(|t| tree.lists(t) && is_script(t))
}

/// One `app.use(...)`: what is mounted where.
#[derive(Debug, Clone)]
pub(super) struct Mount {
    /// The file that mounts.
    pub(super) from: String,
    /// The prefix (`/bg`, or empty).
    pub(super) prefix: String,
    /// The router file mounted, when the argument is a router.
    pub(super) router: Option<String>,
    /// The folder served, when the argument is `express.static(...)`.
    pub(super) folder: Option<String>,
}

/// Every `X.use([prefix,] ...)` of the server files.
pub(super) fn mounts(tree: &SourceTree, files: &[(&str, &str)]) -> Vec<Mount> {
    let mut out = Vec::new();
    for (path, text) in files {
        let binds = bindings(text);
        for m in USE.find_iter(text) {
            let Some((args, _)) = balanced(text, m.end() - 1, MAX_ARGS) else {
                continue;
            };
            let args = split_args(args);
            let (prefix, rest) = match args.first().and_then(|a| literal(a)) {
                Some(p) if p.starts_with('/') => (p, args.get(1..).unwrap_or(&[])),
                _ => (String::new(), args.as_slice()),
            };
            for arg in rest {
                if arg.contains("static(") {
                    if let Some(folder) = static_folder(path, arg) {
                        out.push(Mount {
                            from: path.to_string(),
                            prefix: prefix.clone(),
                            router: None,
                            folder: Some(folder),
                        });
                    }
                    continue;
                }
                if let Some(router) = router_file(tree, path, &binds, arg) {
                    out.push(Mount {
                        from: path.to_string(),
                        prefix: prefix.clone(),
                        router: Some(router),
                        folder: None,
                    });
                }
            }
        }
    }
    out
}

/// The router file an argument of `use` names: `require('./r')`, a bound name (`router`,
/// `routes.studio`, a factory call `makeRouter(addon)`).
pub(super) fn router_file(
    tree: &SourceTree,
    from: &str,
    binds: &BTreeMap<String, String>,
    arg: &str,
) -> Option<String> {
    let arg = arg.trim();
    if let Some(rest) = arg.strip_prefix("require") {
        let module = QUOTED.captures(rest).and_then(|q| first_group(&q, 1..=3))?;
        return resolve_module(tree, from, module);
    }
    let c = IDENT.captures(arg)?;
    let name = c.get(1)?.as_str();
    let module = binds.get(name)?;
    resolve_module(tree, from, module)
}

/// The folder `express.static('dir')` or `express.static(path.join(__dirname, 'dir'))` serves,
/// relative to the root, ending in `/`.
pub(super) fn static_folder(from: &str, arg: &str) -> Option<String> {
    let at = arg.find("static(")?;
    let inner = arg.get(at + 6..)?;
    let parts: Vec<&str> = QUOTED
        .captures_iter(inner)
        .filter_map(|q| first_group(&q, 1..=3))
        .collect();
    if parts.is_empty() {
        return None;
    }
    let joined = parts.join("/");
    // `path.join(__dirname, ...)` is relative to the file; a bare string to the working
    // folder, which is the project root.
    let base = if inner.contains("__dirname") {
        folder_of(from)
    } else {
        ""
    };
    let folder = join_normalized(base, &joined)?;
    Some(if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    })
}

/// The string a literal argument holds (`'x'`, `"x"`, a template without `${}`).
pub(super) fn literal(arg: &str) -> Option<String> {
    let arg = arg.trim();
    let c = QUOTED.captures(arg)?;
    (c.get(0)?.len() == arg.len()).then(|| first_group(&c, 1..=3).map(str::to_string))?
}

/// The prefixes a file's routes are served under: `""` when nothing mounts it, else every
/// chain of mounts leading to it.
pub(super) fn prefixes_of(file: &str, mounts: &[Mount], depth: usize) -> Vec<String> {
    let incoming: Vec<&Mount> = mounts
        .iter()
        .filter(|m| m.router.as_deref() == Some(file) && m.from != file)
        .collect();
    if incoming.is_empty() || depth > 8 {
        return vec![String::new()];
    }
    let mut out = Vec::new();
    for m in incoming {
        for p in prefixes_of(&m.from, mounts, depth + 1) {
            let joined = format!("{}/{}", p.trim_end_matches('/'), m.prefix.trim_matches('/'));
            let joined = joined.trim_end_matches('/').to_string();
            if !out.contains(&joined) {
                out.push(joined);
            }
        }
    }
    out
}
