//! Fixture tests of the Express rule: each pattern in a small tree of our own.
use super::super::{find_page, PageLookup};
use super::*;

fn found(l: PageLookup) -> Found {
    match l {
        PageLookup::Found(f) => f,
        other => panic!("expected Found, got {other:?}"),
    }
}

#[test]
fn a_router_exported_by_name_and_mounted_with_middleware_from_another_file() {
    let tree = SourceTree::from_files([
        (
            "app.js",
            "import routes from './routes';\nroutes(app, addon);\n",
        ),
        (
            "routes/index.js",
            "import { studioRouter } from './studio';\nexport default function (app, addon) {\n  app.use('/studio', addon.authenticate(), check, studioRouter);\n}\n",
        ),
        (
            "routes/studio.js",
            "const studioRouter = express.Router();\nstudioRouter.route('/edit').get((req, res) => res.render('studio/edit'));\nexport { studioRouter };\n",
        ),
        ("views/studio/edit.hbs", "x"),
    ]);
    let f = found(find_page(&tree, "/studio/edit?x=1"));
    assert_eq!(f.file, "views/studio/edit.hbs");
    assert_eq!(f.route_file.as_deref(), Some("routes/studio.js"));
    assert!(matches!(
        find_page(&tree, "/edit"),
        PageLookup::NotFound { .. }
    ));
}

#[test]
fn a_handler_defined_in_a_controller_module() {
    let tree = SourceTree::from_files([
        (
            "server/routes.js",
            "import * as pages from './controllers/pages'\nexport default (app) => {\n  app.get('/macro', addon.authenticate(), pages.macro)\n  app.get('/other', (req, res) => res.send('x'))\n}\n",
        ),
        (
            "server/controllers/pages.js",
            "exports.editor = function (req, res) { res.render('editor'); };\nexports.macro = async (req, res) => {\n  res.render('macro', { a: 1 });\n};\n",
        ),
        ("views/macro.hbs", "x"),
        ("views/editor.hbs", "x"),
    ]);
    assert_eq!(found(find_page(&tree, "/macro")).file, "views/macro.hbs");
}

#[test]
fn a_handler_made_by_a_factory_and_one_named_in_the_same_file() {
    let tree = SourceTree::from_files([(
        "index.js",
        "function page(name) {\n  return (req, res) => res.render(name);\n}\nfunction glance(req, res) {\n  res.render('glance');\n}\napp.get('/sla', page('sla'));\napp.get('/glance', glance);\n",
    ),
        ("views/sla.hbs", "x"),
        ("views/glance.hbs", "x"),
    ]);
    assert_eq!(found(find_page(&tree, "/sla")).file, "views/sla.hbs");
    assert_eq!(found(find_page(&tree, "/glance")).file, "views/glance.hbs");
}

#[test]
fn routes_registered_in_a_loop_over_page_names() {
    let tree = SourceTree::from_files([
        (
            "src/server/index.js",
            "const pages = fs.readdirSync(path.join(__dirname, '../../views'));\npages.forEach((page) => {\n  app.get(`/${page}`, addon.authenticate(), (req, res) => res.render(`${page}`));\n});\nfor (const name of ['a', 'b']) {\n  router.get('/x/' + name, (req, res) => { res.render('x-' + name); });\n}\n",
        ),
        ("views/glance.hbs", "x"),
        ("views/x-b.hbs", "x"),
    ]);
    assert_eq!(found(find_page(&tree, "/glance")).file, "views/glance.hbs");
    assert_eq!(found(find_page(&tree, "/x/b")).file, "views/x-b.hbs");
    // A list of literals bounds the loop: `/x/c` is no route.
    assert!(matches!(
        find_page(&tree, "/x/c"),
        PageLookup::NotFound { .. }
    ));
}

#[test]
fn a_handler_rendering_several_views_gives_the_page_and_lists_the_others() {
    let tree = SourceTree::from_files([
        (
            "routes/index.js",
            "app.get('/panel', (req, res) => {\n  if (!req.context) { return res.render('unauthorized'); }\n  if (x) return res.render('setup');\n  res.render('panel');\n});\n",
        ),
        ("views/unauthorized.hbs", "x"),
        ("views/setup.hbs", "x"),
        ("views/panel.hbs", "x"),
    ]);
    let f = found(find_page(&tree, "/panel"));
    assert_eq!(f.file, "views/panel.hbs");
    assert_eq!(f.others, ["views/unauthorized.hbs", "views/setup.hbs"]);
}

#[test]
fn a_license_gate_gives_the_page_of_the_licensed_branch() {
    // The page is rendered when the license is active; the other branch shows a license nag.
    let tree = SourceTree::from_files([
        (
            "routes/index.js",
            "app.get('/settings', addon.authenticate(), async (req, res) => {\n  if (req.query.lic === 'active') {\n    res.render('settings-form', { data });\n  } else {\n    res.render('license-page');\n  }\n});\n",
        ),
        ("views/settings-form.hbs", "x"),
        ("views/license-page.hbs", "x"),
    ]);
    let f = found(find_page(&tree, "/settings"));
    assert_eq!(f.file, "views/settings-form.hbs");
    assert_eq!(f.others, ["views/license-page.hbs"]);
}

#[test]
fn a_built_index_html_leads_to_the_front_end_project() {
    let tree = SourceTree::from_files([
        (
            "server/index.js",
            "app.get('/admin', (req, res) => {\n  res.sendFile(path.join(__dirname, '../web/build', 'index.html'));\n});\n",
        ),
        ("web/public/index.html", "<div id=root></div>"),
        ("web/package.json", "{}"),
    ]);
    let f = found(find_page(&tree, "/admin"));
    assert_eq!(
        (f.file.as_str(), f.found_by),
        ("web/public/index.html", FoundBy::FrontEnd)
    );
    assert_eq!(f.route_file.as_deref(), Some("server/index.js"));
}

#[test]
fn a_page_read_from_the_bundler_output_leads_to_the_html_plugin_template() {
    let tree = SourceTree::from_files([
        ("src/pages.js", "module.exports = { pages: ['admin', 'glance'] };"),
        (
            "src/server/index.js",
            "const { pages } = require('../pages');\nfor (const page of pages) {\n  const html = fs.readFileSync(`${config.output.path}/${page}.html`, 'utf8');\n  app.get(`/${page}`, (req, res) => { res.send(fs.readFileSync(`${config.output.path}/${page}.html`)); });\n}\n",
        ),
        (
            "config/webpack.config.js",
            "module.exports = { plugins: [new HtmlWebpackPlugin({ template: paths.appHtml })] };",
        ),
        ("public/index.html", "<div id=root></div>"),
    ]);
    let f = found(find_page(&tree, "/admin?route=setup"));
    assert_eq!(
        (f.file.as_str(), f.found_by),
        ("public/index.html", FoundBy::FrontEnd)
    );
    // Not one of the pages the loop registers.
    assert!(matches!(
        find_page(&tree, "/other-page"),
        PageLookup::NotFound { .. }
    ));
}

#[test]
fn views_folder_set_by_the_app_and_client_calls_are_not_routes() {
    let tree = SourceTree::from_files([
        (
            "src/app.ts",
            "app.set('views', path.join(__dirname, 'templates'));\napp.get('/bg', (req, res) => res.render('bg'));\n",
        ),
        ("src/templates/bg.ejs", "x"),
        ("public/js/a.js", "app.get('/bg', (req, res) => res.render('nope'));"),
    ]);
    assert_eq!(found(find_page(&tree, "/bg")).file, "src/templates/bg.ejs");
}
