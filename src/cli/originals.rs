//! `migrate --originals DIR`: for each carried page, the page as the Connect app serves it, for
//! the real-app browser measure (`scripts/realworld-browser.mjs`), which runs it beside the
//! carried resource. Per resource, `DIR/<resource>/original.html` is the page rendered into its
//! layout as far as that is static (what the port split), and `DIR/<resource>/original.json`
//! says where it is served and where its local files come from: the module's Connect URL, the
//! URL path the page's relative URLs resolve against, the static folders its server serves, and
//! each script and stylesheet as the port resolved it (`all-js`, `local` with its file, `cdn`,
//! `external`, `inline`), and each image, icon or media file its markup shows (`url`, with its
//! file when the port found one). Nothing here changes the Forge app; it is written for dry runs too.

use std::path::Path;

use serde_json::json;

use crate::error::Error;
use crate::review::Review;

/// Writes the originals of every carried page of `review` under `dir`; returns how many.
pub fn write(review: &Review, dir: &Path) -> Result<usize, Error> {
    let root = review
        .source_root
        .as_ref()
        .map(|r| std::path::absolute(r).unwrap_or_else(|_| r.clone()));
    let mut written = 0;
    for module in &review.app.modules {
        for view in module.pages() {
            let Some(port) = review.ports.iter().find(|p| p.key == view.key) else {
                continue;
            };
            let Some(page) = &port.split else {
                continue;
            };
            let folder = dir.join(&view.resource.key);
            std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
            let about = json!({
                "module": view.key,
                "resource": view.resource.key,
                "entry": view.entry,
                "connectUrl": view.url,
                "forgeType": module.forge_type,
                "page": page.file,
                "engine": page.engine,
                "servedAt": page.url,
                "sourceRoot": root.as_ref().map(|r| r.display().to_string()),
                "staticRoots": page.roots,
                "scripts": page.scripts,
                "stylesheets": page.stylesheets,
                "assets": page.assets,
            });
            let html = folder.join("original.html");
            crate::write::write_atomic(&html, page.rendered.as_bytes())?;
            let meta = folder.join("original.json");
            crate::write::write_atomic(&meta, format!("{about:#}\n").as_bytes())?;
            written += 1;
        }
    }
    Ok(written)
}
