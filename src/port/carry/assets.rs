//! The binary assets a carried page shows — images, icons, fonts, media — copied under `page/`
//! beside its scripts and stylesheets, keeping their path below the static folder
//! (`public/img/logo.png` → `page/img/logo.png`), and the URLs that name them pointed there:
//! the markup's already by the split (`./page/img/logo.png`), a carried style sheet's
//! `url(...)` here, relative to where that style sheet is carried. An `@import`ed style sheet
//! is carried the same way, with what it names in turn.
//!
//! Nothing is dropped in silence: an asset that is not in the source tree, a build output,
//! refused, unreadable, larger than [`MAX_ASSET_BYTES`](crate::port::tree::MAX_ASSET_BYTES) or
//! past the page's [`MAX_PAGE_ASSET_BYTES`] is a warning at the place that names it; an asset
//! from another host is kept, and its origin goes to the manifest's `permissions.external`
//! (`images`, `fonts` or `media`, by its file's kind).

use std::collections::BTreeMap;

use super::{claim, escape_message, Carried, CarriedFile, Claim};
use crate::port::page::{css, join_url, Location, Page, Resolution, Resolved, Resolver};
use crate::port::tree::SourceTree;

/// At most this many bytes of assets are carried per page; later ones are named, not carried.
/// Forge deploys every resource with the app, so a page's images stay a small part of it.
pub const MAX_PAGE_ASSET_BYTES: u64 = 20 * 1024 * 1024;

/// At most this many files are carried for one template literal's ends
/// (`` `icons/${name}.svg` ``).
pub const MAX_TEMPLATE_ASSETS: usize = 64;

/// Most `@import` levels followed.
const MAX_IMPORT_DEPTH: usize = 8;

/// One binary file carried under `static/<res>/`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CarriedAsset {
    /// Path relative to `static/<res>/` (`page/img/logo.png`).
    pub path: String,
    /// The source file it is copied from (`public/img/logo.png`).
    pub origin: String,
    /// Its size in bytes.
    pub size: usize,
    /// Its bytes.
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// What carrying a page's assets keeps between files.
pub(super) struct State<'a> {
    pub tree: &'a SourceTree,
    /// The page's static folders.
    pub roots: Vec<String>,
    /// Asset bytes carried so far.
    pub total: u64,
}

/// The kind of file a URL names, by its extension: which `permissions.external` list its host
/// goes to, and the word the messages use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Image,
    Font,
    Media,
    /// A template or data file the page's code fetches at run time.
    File,
}

impl Kind {
    pub fn of(url: &str) -> Kind {
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let ext = path
            .rsplit_once('.')
            .map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
        match ext.as_str() {
            "woff" | "woff2" | "ttf" | "otf" | "eot" => Kind::Font,
            "mp3" | "mp4" | "m4a" | "m4v" | "ogg" | "oga" | "ogv" | "opus" | "wav" | "webm"
            | "mov" | "vtt" => Kind::Media,
            e if crate::port::analysis::FETCHED_KINDS.contains(&e) => Kind::File,
            _ => Kind::Image,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Font => "font",
            Kind::Media => "media file",
            Kind::File => "file",
        }
    }

    fn list(self) -> &'static str {
        match self {
            Kind::Image => "images",
            Kind::Font => "fonts",
            Kind::Media => "media",
            // Shown by an element (`<img src="https://x/chart.json">`), as an image is.
            Kind::File => "images",
        }
    }
}

impl State<'_> {
    /// Carries the assets the page's markup names (the split pointed their URLs at `page/`),
    /// and keeps the images it loads from other hosts.
    pub fn markup(&mut self, page: &Page, c: &mut Carried, taken: &mut BTreeMap<String, String>) {
        for a in &page.assets {
            match &a.resolved {
                Some(r) => self.carry(r, &a.url, &a.at, c, taken),
                None => {
                    let why = a.why.as_deref().unwrap_or("is not in the source tree");
                    not_carried(c, &a.at, Kind::of(&a.url), &a.url, why);
                }
            }
        }
        for (url, at) in &page.external_images {
            external(c, Kind::of(url), url, at);
        }
    }

    /// Copies the asset `r` (named by `url` at `at`) to `page/<static path>`, unless it is
    /// there already, too big, or past the page's budget.
    fn carry(
        &mut self,
        r: &Resolved,
        url: &str,
        at: &Location,
        c: &mut Carried,
        taken: &mut BTreeMap<String, String>,
    ) {
        let path = format!("page/{}", r.static_path);
        if claim(taken, &mut c.warnings, &path, &r.path, at) != Claim::New {
            return;
        }
        let kind = Kind::of(&r.path);
        match self.tree.bytes(&r.path) {
            Ok(bytes) => {
                let size = bytes.len() as u64;
                if self.total.saturating_add(size) > MAX_PAGE_ASSET_BYTES {
                    not_carried(
                        c,
                        at,
                        kind,
                        url,
                        &format!(
                            "({}, {size} bytes) would take the page's assets past {} MiB, the most the tool carries per page (copy it under {path} by hand if the resource needs it)",
                            r.path,
                            MAX_PAGE_ASSET_BYTES >> 20
                        ),
                    );
                    return;
                }
                self.total += size;
                c.assets.push(CarriedAsset {
                    path,
                    origin: r.path.clone(),
                    size: bytes.len(),
                    bytes,
                });
            }
            Err(why) => not_carried(
                c,
                at,
                kind,
                url,
                &format!("was not read: {} is in the source tree but {why}", r.path),
            ),
        }
    }

    /// Carries the assets the script `text` (of `file`, carried for a page served at `page_url`)
    /// names in its own string literals ([`analysis::asset_literals`](crate::port::analysis::asset_literals)):
    /// a string naming a file a static folder serves, or the files a template literal's ends
    /// match (at most [`MAX_TEMPLATE_ASSETS`]). Gives the text with those literals pointed at
    /// where the files are carried (`./page/<static path>`: a URL a script sets resolves
    /// against the resource's `index.html`), `None` when the script names none. A literal no
    /// static folder serves is left as it is: a string that merely looks like a path is no
    /// page's asset.
    pub fn script(
        &mut self,
        file: &str,
        text: &str,
        page_url: &str,
        base: Option<String>,
        c: &mut Carried,
        taken: &mut BTreeMap<String, String>,
    ) -> Option<String> {
        let literals = {
            let (file, text) = (file.to_string(), text.to_string());
            crate::port::analysis::on_big_stack(move || {
                crate::port::analysis::asset_literals(&file, &text)
            })
        };
        if literals.is_empty() {
            return None;
        }
        let resolver = Resolver {
            tree: self.tree,
            roots: self.roots.clone(),
            page_url: page_url.to_string(),
            base,
            own: Vec::new(),
        };
        // A character that would end or change the literal it is written into.
        let unsafe_in_literal = |s: &str| s.contains(['\'', '"', '`', '\\', '$', '\n']);
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for l in literals {
            let at = locate(file, text, l.span.start);
            let new = match &l.tail {
                None => {
                    let Resolution::Found(r) = resolver.resolve_asset(&l.head) else {
                        continue;
                    };
                    let suffix = l.head.find(['?', '#']).map_or("", |i| &l.head[i..]);
                    self.carry(&r, &l.head, &at, c, taken);
                    format!("./page/{}{suffix}", r.static_path)
                }
                Some(tail) => {
                    let (rel, found) = resolver.assets_between(&l.head, tail);
                    if found.is_empty() {
                        continue;
                    }
                    for r in found.iter().take(MAX_TEMPLATE_ASSETS) {
                        self.carry(r, &l.head, &at, c, taken);
                    }
                    if found.len() > MAX_TEMPLATE_ASSETS {
                        c.warnings.push(at.warning(format!(
                            "the URL built at run time from \"{}…{}\" matches {} files of the static folder: the first {MAX_TEMPLATE_ASSETS} in path order are carried under page/{rel}, the rest ({} first) are not, and the page asks for a file its resource lacks when it names one of them (copy those it shows under page/{rel} by hand)",
                            escape_message(&l.head),
                            escape_message(tail),
                            found.len(),
                            found[MAX_TEMPLATE_ASSETS].path
                        )));
                    }
                    format!("./page/{rel}")
                }
            };
            if new != l.head && !unsafe_in_literal(&new) {
                edits.push((l.span, new));
            }
        }
        edited(text, edits)
    }

    /// Carries what the style sheet `text`, carried at `carried` (`page/css/app.css`) and served
    /// at the URL path `served_at` (or, for a `<style>`, in a page with `<base href>` `base`),
    /// names; `place(offset)` is where an offset of `text` is in its source. Gives the text with
    /// the URLs that no longer name their file from `carried` rewritten, `None` when none.
    #[allow(clippy::too_many_arguments)]
    pub fn stylesheet(
        &mut self,
        text: &str,
        carried: &str,
        served_at: &str,
        base: Option<String>,
        place: &dyn Fn(usize) -> Location,
        c: &mut Carried,
        taken: &mut BTreeMap<String, String>,
        depth: usize,
    ) -> Option<String> {
        let resolver = Resolver {
            tree: self.tree,
            roots: self.roots.clone(),
            page_url: served_at.to_string(),
            base,
            own: Vec::new(),
        };
        // Carried in document order; the text is edited from its end.
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for u in css::urls(text) {
            let v = u.url.trim();
            if v.is_empty() || v.starts_with('#') || has_other_scheme(v) {
                continue;
            }
            let at = place(u.span.start);
            let local = match crate::port::page::strip_url_template(v) {
                Some(Ok(local)) => local,
                Some(Err(absolute)) => {
                    if u.import {
                        add_external_style(c, &absolute, &at);
                    } else {
                        external(c, Kind::of(&absolute), &absolute, &at);
                    }
                    continue;
                }
                None => continue,
            };
            let fragment = local.find('#').map_or("", |i| local.get(i..).unwrap_or(""));
            let resolution = if u.import {
                resolver.resolve(&local)
            } else {
                resolver.resolve_asset(&local)
            };
            let r = match resolution {
                Resolution::Found(r) => r,
                Resolution::External(absolute) => {
                    if u.import {
                        add_external_style(c, &absolute, &at);
                    } else {
                        external(c, Kind::of(&absolute), &absolute, &at);
                    }
                    edits.push((u.span.clone(), css::url_token(&absolute)));
                    continue;
                }
                Resolution::Refused(why) => {
                    let why = format!("is refused: {why}");
                    if u.import {
                        import_not_carried(c, &at, v, &why);
                    } else {
                        not_carried(c, &at, Kind::of(v), v, &why);
                    }
                    continue;
                }
                Resolution::Missing(path) => {
                    let why = crate::port::page::missing_asset(self.tree, &self.roots, &path);
                    if u.import {
                        import_not_carried(c, &at, v, &why);
                    } else {
                        not_carried(c, &at, Kind::of(v), v, &why);
                    }
                    continue;
                }
            };
            if let Some(note) = r.case_note(v) {
                c.warnings.push(at.warning(note));
            }
            let target = format!("page/{}", r.static_path);
            if u.import {
                self.import(&r, &target, v, &at, c, taken, depth);
            } else {
                self.carry(&r, v, &at, c, taken);
            }
            if !names(carried, v, &target) {
                let rel = format!("{}{fragment}", relative(carried, &target));
                edits.push((u.span.clone(), css::url_token(&rel)));
            }
        }
        edited(text, edits)
    }

    /// Carries an `@import`ed style sheet, with what it names in turn.
    #[allow(clippy::too_many_arguments)]
    fn import(
        &mut self,
        r: &Resolved,
        target: &str,
        url: &str,
        at: &Location,
        c: &mut Carried,
        taken: &mut BTreeMap<String, String>,
        depth: usize,
    ) {
        if depth >= MAX_IMPORT_DEPTH {
            import_not_carried(
                c,
                at,
                url,
                &format!("is imported more than {MAX_IMPORT_DEPTH} levels deep"),
            );
            return;
        }
        if claim(taken, &mut c.warnings, target, &r.path, at) != Claim::New {
            return;
        }
        let Some(text) = self.tree.get(&r.path) else {
            let why = self
                .tree
                .skip_reason(&r.path)
                .unwrap_or_else(|| "not readable".into());
            import_not_carried(c, at, url, &format!("was not read ({why})"));
            return;
        };
        let file = r.path.clone();
        let place = |offset: usize| locate(&file, text, offset);
        let (content, origin) =
            match self.stylesheet(text, target, &r.url_path, None, &place, c, taken, depth + 1) {
                Some(rewritten) => (rewritten, None),
                None => (text.to_string(), Some(r.path.clone())),
            };
        let lines = content.lines().count();
        c.stylesheets.push(CarriedFile {
            path: target.to_string(),
            content,
            origin,
            lines,
        });
    }
}

/// Where `offset` of `text`, the whole file `file`, is.
pub(super) fn locate(file: &str, text: &str, offset: usize) -> Location {
    shifted(
        &Location {
            file: file.to_string(),
            line: 1,
            column: 1,
        },
        text,
        offset,
    )
}

/// Where `offset` of `text`, which starts at `start`, is.
pub(super) fn shifted(start: &Location, text: &str, offset: usize) -> Location {
    let before = text.get(..offset).unwrap_or(text);
    match before.rfind('\n') {
        Some(nl) => Location {
            file: start.file.clone(),
            line: start.line + before.matches('\n').count(),
            column: before.get(nl + 1..).unwrap_or("").chars().count() + 1,
        },
        None => Location {
            file: start.file.clone(),
            line: start.line,
            column: start.column + before.chars().count(),
        },
    }
}

/// Whether `url`, written in the file carried at `from`, already names the file carried at
/// `to` (a relative URL the carried tree keeps valid).
fn names(from: &str, url: &str, to: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path.starts_with('/') {
        return false;
    }
    let joined = join_url(&format!("/{from}"), path);
    crate::port::page::percent_decode(&joined).is_some_and(|d| d == format!("/{to}"))
}

/// The relative URL from the file at `from` to the file at `to` (both relative to the
/// resource: `page/css/a.css`, `page/img/x.png` → `../img/x.png`), percent-encoded.
pub(super) fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = from_dirs
        .get(..from_dirs.len().saturating_sub(1))
        .unwrap_or(&[]);
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&crate::port::page::encode_path(
        &to_parts.get(common..).unwrap_or(&[]).join("/"),
    ));
    out
}

fn has_other_scheme(url: &str) -> bool {
    crate::port::page::other_scheme(url)
}

/// The origin (`https://host`) an external asset's permission names.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    format!("{}://{host}", scheme.to_ascii_lowercase())
}

fn external(c: &mut Carried, kind: Kind, url: &str, at: &Location) {
    if let Some(why) = crate::port::external::unlistable(url) {
        let message = super::not_listed(kind.word(), url, why);
        if !c.warnings.iter().any(|w| w.message == message) {
            c.warnings.push(at.warning(message));
        }
        return;
    }
    let origin = origin(url);
    let list = match kind {
        Kind::Image => &mut c.external_images,
        Kind::Font => &mut c.external_fonts,
        Kind::Media => &mut c.external_media,
        Kind::File => &mut c.external_images,
    };
    if !list.contains(&origin) {
        list.push(origin.clone());
        c.warnings.push(at.warning(format!(
            "external {} {} is kept: manifest.yml's permissions.external.{} lists {origin}, and the page shows it only while that host serves it",
            kind.word(),
            escape_message(url),
            kind.list()
        )));
    }
}

fn add_external_style(c: &mut Carried, url: &str, at: &Location) {
    if let Some(why) = crate::port::external::unlistable(url) {
        c.warnings
            .push(at.warning(super::not_listed("stylesheet", url, why)));
        return;
    }
    if !c.external_styles.iter().any(|u| u == url) {
        c.external_styles.push(url.to_string());
        c.warnings.push(at.warning(format!(
            "external stylesheet {} is kept: manifest.yml's permissions.external.styles lists it (or bundle a copy with the resource)",
            escape_message(url)
        )));
    }
}

fn not_carried(c: &mut Carried, at: &Location, kind: Kind, url: &str, why: &str) {
    c.warnings.push(at.warning(format!(
        "{} \"{}\" {why}: not carried, so the Forge page asks for a file its resource lacks",
        kind.word(),
        escape_message(url)
    )));
}

fn import_not_carried(c: &mut Carried, at: &Location, url: &str, why: &str) {
    c.warnings.push(at.warning(format!(
        "imported stylesheet \"{}\" {why}: not carried, so the Forge page asks for a file its resource lacks",
        escape_message(url)
    )));
}

/// `text` with each `(span, replacement)` of `edits` (in order, not overlapping) made; `None`
/// when there is none.
fn edited(text: &str, edits: Vec<(std::ops::Range<usize>, String)>) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    let mut out = text.to_string();
    for (span, new) in edits.into_iter().rev() {
        out.replace_range(span, &new);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_carried_files() {
        assert_eq!(relative("page/css/a.css", "page/img/x.png"), "../img/x.png");
        assert_eq!(relative("page/a.css", "page/img/x y.png"), "img/x%20y.png");
        assert_eq!(relative("page/css/a.css", "page/css/f.woff"), "f.woff");
        assert_eq!(relative("page/x/y/a.css", "page/z.png"), "../../z.png");
        assert!(names(
            "page/css/a.css",
            "../img/x.png?v=1",
            "page/img/x.png"
        ));
        assert!(names(
            "page/css/a.css",
            "../img/x%20y.png",
            "page/img/x y.png"
        ));
        assert!(!names("page/css/a.css", "/img/x.png", "page/img/x.png"));
    }

    #[test]
    fn places_inside_a_text() {
        let start = Location {
            file: "v.hbs".into(),
            line: 3,
            column: 8,
        };
        let at = shifted(&start, "a{}\n  b{background:url(x)}", 18);
        assert_eq!((at.line, at.column), (4, 15));
        let at = shifted(&start, "p{x:url(a)}", 4);
        assert_eq!((at.line, at.column), (3, 12));
        assert_eq!(Kind::of("/f/a.WOFF2?x").list(), "fonts");
        assert_eq!(
            origin("https://cdn.example.com/a/b.png?x"),
            "https://cdn.example.com"
        );
    }
}
