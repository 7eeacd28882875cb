//! Finding a front-end project, its entries and sources.

use super::*;

fn tree(files: &[(&str, &str)]) -> SourceTree {
    SourceTree::from_files(files.iter().map(|(p, t)| (*p, *t)))
}

#[test]
fn a_create_react_app_shell_leads_to_its_src_index_and_imports() {
    let t = tree(&[
        (
            "package.json",
            "{\"main\": \"app.js\", \"dependencies\": {\"express\": \"4\"}}",
        ),
        ("app.js", "const express = require('express');\n"),
        (
            "client/package.json",
            "{\"dependencies\": {\"react-scripts\": \"5.0.1\"}}",
        ),
        ("client/public/index.html", "<div id=\"root\"></div>"),
        (
            "client/src/index.tsx",
            "import { load } from './api';\nload();\n",
        ),
        (
            "client/src/api.ts",
            "export const load = () => AP.request('/rest/api/3/myself');\n",
        ),
    ]);
    let fe = for_shell(&t, "client/public/index.html").expect("a project");
    assert_eq!(fe.project, "client/");
    assert_eq!(fe.builder, Some("react-scripts"));
    assert_eq!(
        fe.entries,
        [(
            "client/src/index.tsx".to_string(),
            "Create React App's entry"
        )]
    );
    assert_eq!(
        fe.graph.files,
        ["client/src/index.tsx", "client/src/api.ts"]
    );
}

#[test]
fn a_vite_shell_names_its_entry_and_a_server_main_is_not_one() {
    let t = tree(&[
        (
            "package.json",
            "{\"main\": \"server.js\", \"devDependencies\": {\"vite\": \"5\"}}",
        ),
        ("server.js", "import express from 'express';\n"),
        (
            "index.html",
            "<script type=\"module\" src=\"/web/boot.ts\"></script>",
        ),
        ("web/boot.ts", "AP.resize();\n"),
    ]);
    let fe = for_shell(&t, "index.html").expect("a project");
    assert_eq!(fe.project, "");
    assert_eq!(fe.builder, Some("vite"));
    assert_eq!(fe.graph.files, ["web/boot.ts"]);
}

#[test]
fn no_entry_means_the_src_files() {
    let t = tree(&[
        ("ui/package.json", "{\"dependencies\": {\"parcel\": \"2\"}}"),
        ("ui/index.html", "<div></div>"),
        ("ui/src/a.js", "AP.resize();\n"),
        ("ui/src/b.vue", "<script>AP.flag.create({})</script>"),
    ]);
    let fe = for_shell(&t, "ui/index.html").expect("a project");
    assert_eq!(fe.graph.files, ["ui/src/a.js", "ui/src/b.vue"]);
}

#[test]
fn no_entry_leaves_the_apps_server_in_src_out() {
    // The whole app is the project: its server lives in src/ beside the client.
    let t = tree(&[
        ("package.json", "{\"dependencies\": {\"webpack\": \"4\"}}"),
        ("public/index.html", "<div></div>"),
        ("src/client/app.jsx", "AP.resize();\n"),
        (
            "src/server/hooks/send.js",
            "const axios = require('axios');\naxios.post('https://api.example.com/x');\n",
        ),
        (
            "src/jobs.js",
            "import fs from 'fs';\nfetch('https://api.example.com/y');\n",
        ),
        ("src/web.js", "const express = require(\"express\");\n"),
        ("src/shared/format.js", "export const f = 1;\n"),
    ]);
    let fe = for_shell(&t, "public/index.html").expect("a project");
    assert_eq!(
        fe.graph.files,
        ["src/client/app.jsx", "src/shared/format.js"]
    );
}

#[test]
fn a_bundle_a_page_loads_is_built_from_the_webpack_entry_of_its_name() {
    let t = tree(&[
        ("package.json", "{\"devDependencies\": {\"webpack\": \"5\"}}"),
        (
            "webpack.config.js",
            "module.exports = {\n  entry: {\n    'macro-editor': './src/main/javascript/editor.js',\n    viewer: path.resolve(__dirname, 'src/main/javascript', 'viewer.jsx'),\n  },\n  output: { path: path.resolve(__dirname, 'target/classes/static/js'), filename: '[name].js' },\n};\n",
        ),
        ("src/main/javascript/editor.js", "import './shared';\n"),
        ("src/main/javascript/shared.js", "AP.confluence.saveMacro({});\n"),
        ("src/main/javascript/viewer.jsx", "AP.resize();\n"),
    ]);
    let fe = for_bundle(&t, "/js/macro-editor.js").expect("the entry");
    assert_eq!(
        fe.graph.files,
        [
            "src/main/javascript/editor.js",
            "src/main/javascript/shared.js"
        ]
    );
    let fe = for_bundle(&t, "/js/viewer.js").expect("the entry");
    assert_eq!(fe.graph.files, ["src/main/javascript/viewer.jsx"]);
    assert!(for_bundle(&t, "/js/other.js").is_none());
}

#[test]
fn a_route_file_brings_the_layouts_above_it() {
    let t = tree(&[
        ("web/package.json", "{\"dependencies\": {\"next\": \"14\"}}"),
        ("web/app/layout.tsx", "export default function L() {}\n"),
        (
            "web/app/confluence/layout.tsx",
            "import C from './client';\n",
        ),
        (
            "web/app/confluence/client.tsx",
            "'use client';\nwindow.AP.resize();\n",
        ),
        (
            "web/app/confluence/macro/page.tsx",
            "import M from './macro';\n",
        ),
        (
            "web/app/confluence/macro/macro.tsx",
            "window.AP.confluence.getMacroData(() => {});\n",
        ),
    ]);
    let fe = for_route_file(&t, "web/app/confluence/macro/page.tsx").expect("a project");
    assert_eq!(fe.builder, Some("next"));
    assert_eq!(
        fe.graph.files,
        [
            "web/app/confluence/macro/page.tsx",
            "web/app/confluence/layout.tsx",
            "web/app/layout.tsx",
            "web/app/confluence/macro/macro.tsx",
            "web/app/confluence/client.tsx"
        ]
    );
}

#[test]
fn webpack_entries_are_relative_to_its_context() {
    let t = tree(&[
        ("package.json", "{\"devDependencies\": {\"webpack\": \"5\"}}"),
        (
            "webpack.config.js",
            "module.exports = {\n    context: __dirname + '/src/main/javascript',\n    entry:{\n        'page': './page.js'\n    },\n};\n",
        ),
        ("src/main/javascript/page.js", "AP.resize();\n"),
    ]);
    let fe = for_bundle(&t, "@{/js/page.js}").expect("the entry");
    assert_eq!(fe.graph.files, ["src/main/javascript/page.js"]);
}

#[test]
fn the_review_names_the_project_its_build_and_each_import_that_names_no_file() {
    let t = tree(&[
        (
            "web/package.json",
            "{\"devDependencies\": {\"vite\": \"5\"}}",
        ),
        (
            "web/index.html",
            "<script type=\"module\" src=\"/src/main.ts\"></script>",
        ),
        ("web/src/main.ts", "import './gen/routes';\nAP.resize();\n"),
    ]);
    let front_end = for_shell(&t, "web/index.html").expect("a project");
    let at = crate::port::page::Location {
        file: "web/index.html".into(),
        line: 1,
        column: 1,
    };
    let uses = [page::Use {
        front_end,
        at,
        why: "the page is the shell its build fills".into(),
        bundle: None,
        built: None,
    }];
    let w = page::warnings(&t, &uses, None);
    type Said<'a> = (&'a str, Option<(usize, usize)>, &'a str);
    let messages: Vec<Said<'_>> = w
        .iter()
        .map(|d| {
            (
                d.file.as_str(),
                d.position.map(|p| (p.line, p.column)),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    let (file, at, first) = messages[0];
    assert_eq!((file, at), ("web/index.html", Some((1, 1))));
    assert!(
        first.contains("front-end project in web/ (vite)"),
        "{first}"
    );
    assert!(
        first.contains("web/src/main.ts (the shell's module script)"),
        "{first}"
    );
    assert!(
        first.contains("set base: './' in its vite.config"),
        "{first}"
    );
    assert!(first.contains("resource path at its dist/"), "{first}");
    assert_eq!(
        messages[1],
        (
            "web/src/main.ts",
            Some((1, 8)),
            "the front-end import './gen/routes' names no file of the source tree: its Connect calls are not reported"
        )
    );
    assert!(w.iter().all(|d| crate::codes::of(d).id != "C2F000"));
}

#[test]
fn connects_own_ap_require_is_no_requirejs() {
    use crate::port::discover::{Found, FoundBy};
    let t = tree(&[
        ("index.html", "<script src=\"/js/lib/uri.js\"></script><script src=\"/js/page.js\"></script>"),
        ("js/page.js", "AP.require(['request'], function (request) { request({ url: '/rest/api/3/myself' }); });\n"),
        // A UMD library: its `define([...])` runs only under an AMD loader the page does not have.
        ("js/lib/uri.js", "(function (root, f) { if (typeof define === 'function' && define.amd) { define(['./punycode', './IPv6'], f); } else { root.URI = f(); } })(this, function () { return {}; });\n"),
    ]);
    let found = Found::new("index.html", FoundBy::StaticFile);
    let split = crate::port::page::split_page(&t, &found, "/index.html");
    assert!(amd::loaded(&t, &found, "/index.html", &split).is_none());
}

#[test]
fn requirejs_modules_are_followed_from_data_main_through_config_paths_and_define() {
    use crate::port::discover::{Found, FoundBy};
    let t = tree(&[
        (
            "index.html",
            "<script src=\"lib/require.js\" data-main=\"/js/main\"></script>\n<script>require(['js/extra.js']);</script>",
        ),
        ("lib/require.js", "var requirejs;"),
        ("js/main.js", "require(['config'], function () { require(['ctl'], function (c) { c(); }); });\n"),
        ("js/config.js", "require.config({\n  baseUrl: '/js',\n  paths: { ctl: 'plugin/controller', jquery: '//code.jquery.com/jquery-3.7.1.min' }\n});\n"),
        ("js/plugin/controller.js", "define(['jquery', './data', 'gone'], function ($, data) { return data; });\n"),
        ("js/plugin/data.js", "define([], function () { return () => AP.request('/rest/api/3/myself'); });\n"),
        ("js/extra.js", "AP.resize();\n"),
        ("js/unused.js", "AP.flag.create({});\n"),
    ]);
    let found = Found::new("index.html", FoundBy::StaticFile);
    let split = crate::port::page::split_page(&t, &found, "/index.html");
    let loaded = amd::loaded(&t, &found, "/index.html", &split).expect("RequireJS is used");
    assert_eq!(loaded.main, ["/js/main"]);
    assert_eq!(
        loaded.files,
        [
            "js/main.js",
            "js/extra.js",
            "js/config.js",
            "js/plugin/controller.js",
            "js/plugin/data.js"
        ]
    );
    assert_eq!(loaded.missing, ["/js/gone.js"]);
    assert_eq!(loaded.loader.as_deref(), Some("lib/require.js"));
    assert_eq!(loaded.remote, ["//code.jquery.com/jquery-3.7.1.min.js"]);
    assert_eq!(
        loaded.urls,
        [
            "/js/main.js",
            "js/extra.js",
            "/js/config.js",
            "/js/plugin/controller.js",
            "/js/plugin/data.js"
        ]
    );
    let w = amd::warnings(&loaded, "index.html", false, &[]);
    assert_eq!(crate::codes::of(&w[0]).id, "C2F077");
    assert!(w[0]
        .message
        .contains("5 module(s) through RequireJS (data-main /js/main)"));
    assert!(w[0].message.contains("not analysed: /js/gone.js"));
    assert!(w[0].message.contains("they are not carried"));

    // Carried: each module at its URL path under page/, the loader's hook just before
    // require.js, whose data-main is kept, and the CDN module's host for the manifest.
    let mut c = crate::port::carry::carry(&split, &t, &[]);
    crate::port::carry::amd_modules(&mut c, &split, &t, &loaded, None);
    let paths: Vec<_> = c
        .amd
        .iter()
        .map(|f| (f.path.as_str(), f.origin.as_deref()))
        .collect();
    assert_eq!(
        paths,
        [
            ("page/js/main.js", Some("js/main.js")),
            ("page/js/extra.js", Some("js/extra.js")),
            ("page/js/config.js", Some("js/config.js")),
            (
                "page/js/plugin/controller.js",
                Some("js/plugin/controller.js")
            ),
            ("page/js/plugin/data.js", Some("js/plugin/data.js")),
            ("page/index.requirejs.js", None),
        ]
    );
    let hook = c
        .index_html
        .find("<script src=\"./page/index.requirejs.js\"></script>")
        .unwrap();
    let loader = c
        .index_html
        .find("<script src=\"./page/lib/require.js\" data-main=\"/js/main\"></script>")
        .unwrap_or_else(|| panic!("{}", c.index_html));
    assert!(hook < loader, "{}", c.index_html);
    assert!(c.amd[5].content.contains("var served = \"/index.html\";"));
    assert_eq!(
        c.external_scripts,
        ["https://code.jquery.com/jquery-3.7.1.min.js"]
    );
    let w = amd::warnings(&loaded, "index.html", true, &[]);
    assert!(w[0]
        .message
        .contains("they are carried under page/ at their URL paths"));
}

#[test]
fn a_requirejs_module_in_a_librarys_committed_dist_folder_is_carried_from_disk() {
    use crate::port::discover::{Found, FoundBy};
    // The walk never enters dist/: the library's build is read from disk when a module names it.
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("www/lib/chart/dist");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(
        lib.join("chart.min.js"),
        "define([], function () { return {}; });\n",
    )
    .unwrap();
    let t = tree(&[
        (
            "www/index.html",
            "<script src=\"/lib/require.js\" data-main=\"/js/main\"></script>",
        ),
        ("www/lib/require.js", "var requirejs;"),
        (
            "www/js/main.js",
            "require.config({ paths: { chart: '/lib/chart/dist/chart.min', gone: '/lib/gone' } });\nrequire(['chart', 'gone'], function () {});\n",
        ),
    ]);
    let mut found = Found::new("www/index.html", FoundBy::StaticFile);
    found.roots = vec!["www/".into()];
    let split = crate::port::page::split_page(&t, &found, "/index.html");
    let loaded = amd::loaded(&t, &found, "/index.html", &split).expect("RequireJS is used");
    assert_eq!(
        loaded.missing,
        ["/lib/chart/dist/chart.min.js", "/lib/gone.js"]
    );
    let mut c = crate::port::carry::carry(&split, &t, &[]);
    let from_disk = crate::port::carry::amd_modules(&mut c, &split, &t, &loaded, Some(dir.path()));
    assert_eq!(from_disk, ["/lib/chart/dist/chart.min.js"]);
    let chart = c
        .amd
        .iter()
        .find(|f| f.path == "page/lib/chart/dist/chart.min.js")
        .unwrap_or_else(|| panic!("{:?}", c.amd));
    assert_eq!(
        chart.origin.as_deref(),
        Some("www/lib/chart/dist/chart.min.js")
    );
    let w = amd::warnings(&loaded, "www/index.html", true, &from_disk);
    assert!(
        w[0].message
            .contains("carried as they are but not analysed"),
        "{}",
        w[0].message
    );
    assert!(
        w[0].message.contains("not analysed: /lib/gone.js"),
        "{}",
        w[0].message
    );
}

#[test]
fn a_requirejs_path_to_the_cdn_library_the_page_bundles_is_that_copy() {
    use crate::port::discover::{Found, FoundBy};
    let t = tree(&[
        (
            "index.html",
            "<script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script>\n<script src=\"/lib/require.js\" data-main=\"/js/main\"></script>",
        ),
        ("lib/require.js", "var requirejs;"),
        (
            "js/main.js",
            "require.config({ paths: { jquery: '//code.jquery.com/jquery-3.7.1.min', moment: '//cdn.example.com/moment' } });\nrequire(['jquery', 'moment'], function () {});\n",
        ),
    ]);
    let found = Found::new("index.html", FoundBy::StaticFile);
    let split = crate::port::page::split_page(&t, &found, "/index.html");
    let loaded = amd::loaded(&t, &found, "/index.html", &split).expect("RequireJS is used");
    let mut c = crate::port::carry::carry(&split, &t, &[]);
    assert_eq!(
        c.npm_dependencies.get("jquery").map(String::as_str),
        Some("3.7.1")
    );
    crate::port::carry::amd_modules(&mut c, &split, &t, &loaded, None);
    // The bundled jQuery is the module; the other host's module stays remote.
    assert_eq!(c.external_scripts, ["https://cdn.example.com/moment.js"]);
    let hook = c
        .amd
        .iter()
        .find(|f| f.path.ends_with(".requirejs.js"))
        .unwrap();
    assert!(
        hook.content
            .contains(r#"var bundled = {"https://code.jquery.com/jquery-3.7.1.min.js":"jQuery"};"#),
        "{}",
        hook.content
    );
}

#[test]
fn requirejs_modules_are_not_carried_without_their_loader() {
    use crate::port::discover::{Found, FoundBy};
    // The loader comes from a CDN: nothing to put the hook before.
    let t = tree(&[
        (
            "index.html",
            "<script src=\"https://cdn.example.com/require.js\" data-main=\"/js/main\"></script>",
        ),
        ("js/main.js", "define([], function () { AP.resize(); });\n"),
    ]);
    let found = Found::new("index.html", FoundBy::StaticFile);
    let split = crate::port::page::split_page(&t, &found, "/index.html");
    let loaded = amd::loaded(&t, &found, "/index.html", &split).expect("RequireJS is used");
    let mut c = crate::port::carry::carry(&split, &t, &[]);
    crate::port::carry::amd_modules(&mut c, &split, &t, &loaded, None);
    assert!(c.amd.is_empty());
    assert!(c.warnings.iter().any(|w| w
        .message
        .contains("require.js is not among its carried scripts")));
}

#[test]
fn a_bundle_is_found_by_its_output_file_name_in_webpack_or_a_package_script() {
    let t = tree(&[
        ("package.json", "{\"scripts\": {\"build\": \"esbuild source/main.js --bundle --minify --outfile=public/build/viewer.js\"}}"),
        ("webpack.config.js", "module.exports = { entry: './src/wig.js', output: { filename: 'public/js/wig-bundle.js' } };\n"),
        ("src/wig.js", "AP.resize();\n"),
        ("source/main.js", "import './confluence';\n"),
        ("source/confluence.js", "AP.request('/wiki/rest/api/space');\n"),
    ]);
    let fe = for_bundle(&t, "/js/wig-bundle.js").expect("the webpack entry");
    assert_eq!(fe.graph.files, ["src/wig.js"]);
    let fe = for_bundle(&t, "build/viewer.js").expect("the esbuild entry");
    assert_eq!(fe.graph.files, ["source/main.js", "source/confluence.js"]);
}

#[test]
fn a_bundle_the_page_loads_is_said_to_be_built_and_copied_under_page() {
    let t = tree(&[
        (
            "package.json",
            "{\"devDependencies\": {\"webpack\": \"5\"}}",
        ),
        (
            "webpack.config.js",
            "module.exports = { entry: { editor: './src/editor.js' } };\n",
        ),
        ("src/editor.js", "AP.resize();\n"),
    ]);
    let front_end = for_bundle(&t, "/js/editor.js").expect("the entry");
    let at = crate::port::page::Location {
        file: "templates/editor.html".into(),
        line: 8,
        column: 5,
    };
    let uses = [page::Use {
        front_end,
        at,
        why: "the page loads /js/editor.js, which a bundler builds from it".into(),
        bundle: Some("/js/editor.js".into()),
        built: None,
    }];
    let w = page::warnings(&t, &uses, None);
    assert_eq!(w.len(), 1);
    let m = &w[0].message;
    assert!(m.contains("front-end project in ./ (webpack)"), "{m}");
    assert!(
        m.contains("src/editor.js (the webpack entry the script is built from)"),
        "{m}"
    );
    assert!(m.contains("run `npm install && npm run build` in ./, copy the editor.js it writes under the resource's page/"), "{m}");
    assert_eq!(w[0].position.map(|p| (p.line, p.column)), Some((8, 5)));
}
