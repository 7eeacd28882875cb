//! The modules a page loads through RequireJS ([`crate::port::frontend::amd`]) carried with it:
//! each under `page/` at its URL path, a library's committed build read from disk when the source
//! walk skipped it, and a script of the tool's ([`AMD_HOOK`]) loaded just before `require.js`
//! that points each URL the loader asks for into the resource.

use super::{claim, escape, escape_message, page_stem, taken_of, Carried, Claim};
use crate::port::page::{Location, Page, Resolution, Resolver, Script};
use crate::port::tree::SourceTree;

/// The script that maps the URLs RequireJS loads modules from into the resource: loaded just
/// before require.js, it wraps the loader's `load` as RequireJS defines it (a property of
/// `requirejs`, trapped before the library runs: its `var requirejs` keeps the trap) so that
/// every module URL, resolved against the URL the app's server sent the page at as the browser
/// did, is fetched from `./page/<its path>`. A CDN library the page's bundle already holds
/// (`paths` naming the jQuery its `<script>` also loads) is that copy, defined under the
/// module's name (RequireJS's `context.completeLoad`); another host's URL is left as it is.
const AMD_HOOK: &str = r#"// Written by connect2forge. RequireJS loads this page's modules at run time, by URL: they are
// carried under page/ at their URL paths, and each URL the loader asks for (resolved against the
// URL the app's server sent the page at, as it was) is fetched from there.
(function () {
  var served = __SERVED__;
  var bundled = __BUNDLED__;
  var origin = 'https://connect-app.invalid';
  function carried(url) {
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url)) return url;
    var u = new URL(url, origin + served);
    return u.origin === origin ? './page' + u.pathname + u.search + u.hash : url;
  }
  function wrap(loader) {
    if (typeof loader !== 'function' || Object.getOwnPropertyDescriptor(loader, 'load')) return;
    var load;
    var mapped;
    Object.defineProperty(loader, 'load', {
      configurable: true,
      enumerable: true,
      get: function () { return mapped; },
      set: function (fn) {
        load = fn;
        mapped = typeof fn !== 'function' ? fn : function (context, moduleName, url) {
          var global = bundled[/^\/\//.test(url) ? 'https:' + url : url];
          if (global && window[global] !== undefined && typeof window.define === 'function'
            && context && typeof context.completeLoad === 'function') {
            var value = window[global];
            setTimeout(function () {
              window.define(moduleName, [], function () { return value; });
              context.completeLoad(moduleName);
            }, 0);
            return undefined;
          }
          return load.call(this, context, moduleName, carried(url));
        };
      }
    });
  }
  var own = Object.getOwnPropertyDescriptor(window, 'requirejs');
  if (own && !own.configurable) {
    console.warn('[connect2forge] the page declares requirejs before require.js loads: its modules are fetched from the URLs it names, which the resource does not have');
    return;
  }
  var current = own ? own.value : undefined;
  Object.defineProperty(window, 'requirejs', {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = value; wrap(value); }
  });
})();
"#;

/// The modules the page loads through RequireJS ([`crate::port::frontend::amd`]) carried under
/// `page/` at their URL paths, beside the carried require.js, and the tool's `AMD_HOOK` script
/// loaded just before it (with its `data-main` kept), so that the loader finds them there; a
/// module from another host goes to `permissions.external.scripts`. A module the source walk
/// did not list because it lies in a folder the walk never enters (a library's committed
/// `dist/`) is read from `disk_root` and carried as it is, not analysed: the URLs of those are
/// returned. Without the loader's `<script>` among the carried ones, nothing is carried and a
/// warning says why.
pub fn amd_modules(
    c: &mut Carried,
    page: &Page,
    tree: &SourceTree,
    loaded: &crate::port::frontend::amd::Loaded,
    disk_root: Option<&std::path::Path>,
) -> Vec<String> {
    let at = Location {
        file: page.file.clone(),
        line: 1,
        column: 1,
    };
    let resolver = Resolver {
        tree,
        roots: page.roots.clone(),
        page_url: page.url.clone(),
        base: page.base.clone(),
        own: Vec::new(),
    };
    // The loader's tag in index.html: the data-main script's, else a carried require.js.
    let carried_at = |src: &str| match resolver.resolve(src) {
        Resolution::Found(r) => Some(format!("page/{}", r.static_path)),
        _ => None,
    };
    let is_require_js = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or("");
        name.eq_ignore_ascii_case("require.js") || name.eq_ignore_ascii_case("require.min.js")
    };
    let loader = loaded.loader.as_deref().and_then(carried_at).or_else(|| {
        page.scripts.iter().find_map(|s| match s {
            Script::Local {
                resolved: Some(r), ..
            } if is_require_js(&r.static_path) => Some(format!("page/{}", r.static_path)),
            _ => None,
        })
    });
    let Some(tag) = loader
        .map(|p| format!("<script src=\"./{}\"", escape(&p)))
        .filter(|t| c.index_html.contains(t.as_str()))
    else {
        c.warnings.push(at.warning(format!(
            "the page loads {} module(s) through RequireJS, but require.js is not among its carried scripts: the modules are not carried",
            loaded.files.len()
        )));
        return Vec::new();
    };
    let mut taken = taken_of(c);
    for (file, url) in loaded.files.iter().zip(&loaded.urls) {
        let Resolution::Found(r) = resolver.resolve(url) else {
            continue;
        };
        let path = format!("page/{}", r.static_path);
        if claim(&mut taken, &mut c.warnings, &path, file, &at) != Claim::New {
            continue;
        }
        let Some(text) = tree.get(file) else { continue };
        c.amd
            .push(super::file(&path, text.to_string(), Some(file.clone())));
    }
    let mut from_disk = Vec::new();
    for url in disk_root.map_or(&[][..], |_| loaded.missing.as_slice()) {
        let Some(r) = disk_root.and_then(|d| resolver.on_disk(d, url)) else {
            continue;
        };
        let full = disk_root.map(|d| d.join(&r.path)).unwrap_or_default();
        let size = std::fs::metadata(&full).map_or(u64::MAX, |m| m.len());
        let text = (size <= crate::port::tree::MAX_FILE_BYTES)
            .then(|| std::fs::read_to_string(&full).ok())
            .flatten();
        let path = format!("page/{}", r.static_path);
        match text {
            Some(text) if claim(&mut taken, &mut c.warnings, &path, &r.path, &at) == Claim::New => {
                c.amd.push(super::file(&path, text, Some(r.path.clone())));
                from_disk.push(url.clone());
            }
            Some(_) => {}
            None => c.warnings.push(at.warning(format!(
                "RequireJS module {} ({}) is larger than {} MiB or not UTF-8 text: not carried",
                escape_message(url),
                r.path,
                crate::port::tree::MAX_FILE_BYTES >> 20
            ))),
        }
    }
    // A CDN library the bundle holds at the same version: its global; any other stays remote.
    let mut bundled = serde_json::Map::new();
    for url in &loaded.remote {
        let url = match url.strip_prefix("//") {
            Some(rest) => format!("https://{rest}"),
            None => url.clone(),
        };
        let global = match crate::port::page::cdn_library(&url) {
            Some(Ok((package, version))) => c
                .npm_dependencies
                .get(package)
                .filter(|v| **v == crate::port::page::npm_release(package, &version).0)
                .and_then(|_| {
                    crate::port::page::KNOWN_LIBRARIES
                        .iter()
                        .find(|(p, _)| *p == package)
                        .and_then(|(_, globals)| globals.last())
                        .filter(|g| c.globals.iter().any(|(n, p)| n == *g && p == package))
                }),
            _ => None,
        };
        match global {
            Some(g) => {
                bundled.insert(url, serde_json::Value::String((*g).to_string()));
            }
            None if crate::port::external::unlistable(&url).is_some() => {}
            None if !c.external_scripts.contains(&url) => c.external_scripts.push(url),
            None => {}
        }
    }
    let hook = format!("page/{}.requirejs.js", page_stem(&page.file));
    let served = page
        .base
        .clone()
        .filter(|b| b.starts_with('/'))
        .unwrap_or_else(|| page.url.clone());
    let served = crate::scaffold::json_literal(&serde_json::Value::String(served));
    let bundled = crate::scaffold::json_literal(&serde_json::Value::Object(bundled));
    let hook_text = AMD_HOOK
        .replace("__SERVED__", &served)
        .replace("__BUNDLED__", &bundled);
    c.amd.push(super::file(&hook, hook_text, None));
    let main = loaded
        .main
        .first()
        .map(|m| format!(" data-main=\"{}\"", escape(m)))
        .unwrap_or_default();
    c.index_html = c.index_html.replacen(
        &tag,
        &format!(
            "<script src=\"./{}\"></script>\n    {tag}{main}",
            escape(&hook)
        ),
        1,
    );
    from_disk
}
