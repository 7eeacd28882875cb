//! Tests of the shared parts (URL matching, the registry's outcome, `--page`) and of each
//! rule's basic patterns through `find_page`.
use super::spring::mapping_paths;
use super::*;

fn found(l: PageLookup) -> Found {
    match l {
        PageLookup::Found(f) => f,
        other => panic!("expected Found, got {other:?}"),
    }
}

#[test]
fn url_paths_ignore_query_fragment_and_base() {
    assert_eq!(
        UrlPath::parse("/bg/sla?issueKey={issue.key}").segments,
        ["bg", "sla"]
    );
    assert_eq!(UrlPath::parse("{{localBaseUrl}}/bg#x").segments, ["bg"]);
    assert_eq!(
        UrlPath::parse("https://app.example.com/a/b").segments,
        ["a", "b"]
    );
    assert!(UrlPath::parse("/bg/{project.key}").matches("/bg/anything"));
    assert!(UrlPath::parse("/bg/PRJ").matches("/bg/:key"));
    assert!(UrlPath::parse("/bg/PRJ").matches("/bg/{key}"));
    assert!(UrlPath::parse("/bg/7").matches("/bg/<int:id>"));
    assert!(!UrlPath::parse("/bg/sla").matches("/bg"));
    assert!(!UrlPath::parse("/bg").matches("/bg/sla"));
}

#[test]
fn ace_route_styles() {
    let routes = r#"
export default function routes(app, addon) {
app.get("/other", addon.authenticate(), function (req, res) { res.render("other"); });
app.get(`/bg/sla`, addon.checkValidToken(), (req, res) =>
    res.render(`sla-watcher`, { title: 'x' }));
}
"#;
    let tree = SourceTree::from_files([
        ("routes/index.js", routes),
        ("views/sla-watcher.hbs", "<p/>"),
        ("views/other.hbs", "<p/>"),
    ]);
    let f = found(find_page(&tree, "/bg/sla?issueKey={issue.key}"));
    assert_eq!(f.file, "views/sla-watcher.hbs");
    assert_eq!(f.found_by, FoundBy::AceRoute);
    assert_eq!(
        (f.route_file.as_deref(), f.route_line),
        (Some("routes/index.js"), Some(4))
    );
    assert_eq!(found(find_page(&tree, "/other")).file, "views/other.hbs");
}

#[test]
fn express_send_file() {
    let tree = SourceTree::from_files([
        ("src/routes/bg.js", "app.get('/bg', addon.authenticate(), (req, res) => {\n  res.sendFile(path.join(__dirname, '..', '..', 'public', 'bg.html'));\n});"),
        ("public/bg.html", "x"),
    ]);
    let f = found(find_page(&tree, "/bg"));
    assert_eq!(
        (f.file.as_str(), f.found_by, f.route_line),
        ("public/bg.html", FoundBy::AceRoute, Some(1))
    );
}

#[test]
fn express_path_arrays() {
    let tree = SourceTree::from_files([
        (
            "routes/index.js",
            "router.get(['/bg/a', \"/bg/b\"], (req, res) => res.render('ab'));",
        ),
        ("views/ab.hbs", "x"),
    ]);
    assert_eq!(found(find_page(&tree, "/bg/b")).file, "views/ab.hbs");
    assert!(matches!(
        find_page(&tree, "/bg/c"),
        PageLookup::NotFound { .. }
    ));
}

#[test]
fn express_router_mount_prefix() {
    let tree = SourceTree::from_files([
        (
            "app.js",
            "const bg = require('./routes/bg');\napp.use('/bg', bg);\n",
        ),
        (
            "routes/bg.js",
            "router.get('/sla', (req, res) => res.render('sla'));\nmodule.exports = router;",
        ),
        ("views/sla.hbs", "x"),
    ]);
    assert_eq!(found(find_page(&tree, "/bg/sla")).file, "views/sla.hbs");
    assert!(matches!(
        find_page(&tree, "/sla"),
        PageLookup::NotFound { .. }
    ));
}

#[test]
fn client_calls_are_not_routes() {
    let tree = SourceTree::from_files([
        ("routes/index.js", "axios.get('/bg', x => res.render('a'));"),
        ("views/a.hbs", "x"),
    ]);
    assert!(matches!(
        find_page(&tree, "/bg"),
        PageLookup::NotFound { .. }
    ));
}

/// A route whose handler answers with HTML its own code builds (an Express `res.end(template(x))`,
/// a Spring `@ResponseBody` String of markup) has no page file: the lookup names the route
/// and why instead of leaving "no page found" alone.
#[test]
fn routes_answering_with_html_built_in_code_are_named() {
    let js = "const app = express();\napp.get('/widget', (req, res) => {\n  res.end(template(render()));\n});\n";
    let tree = SourceTree::from_files([("server/index.js", js)]);
    let PageLookup::NotFound { candidates } = find_page(&tree, "/widget") else {
        panic!("found")
    };
    assert!(
        candidates
            .first()
            .is_some_and(|c| c.starts_with("server/index.js:2 (")
                && c.contains("HTML its own code builds, res.end(…)")),
        "{candidates:?}"
    );
    let java = "@Controller\npublic class A {\n    @GetMapping(\"/hello\")\n    @ResponseBody\n    public String hello() {\n        return \"<html>\" + \"</html>\";\n    }\n    @GetMapping(\"/data\")\n    @ResponseBody\n    public String data() { return \"ok\"; }\n}\n";
    let tree = SourceTree::from_files([("src/main/java/A.java", java)]);
    let PageLookup::NotFound { candidates } = find_page(&tree, "/hello") else {
        panic!("found")
    };
    assert!(
        candidates
            .first()
            .is_some_and(|c| c.starts_with("src/main/java/A.java:3 (")),
        "{candidates:?}"
    );
    let PageLookup::NotFound { candidates } = find_page(&tree, "/data") else {
        panic!("found")
    };
    assert!(
        candidates.iter().all(|c| !c.contains("own code builds")),
        "{candidates:?}"
    );
}

/// A handler that answers with a page written as a template literal — inline, or returned by a
/// function imported from another file (a React-Jira-shaped server-side render) — has that
/// script as its page, which the template-literal engine renders.
#[test]
fn routes_answering_with_a_template_literal_page_find_its_script() {
    let server = "import template from '../client/template';\nconst app = express();\napp.get('/widget', (req, res) => {\n  res.end(template(renderToString(jsx)));\n});\napp.get('/inline', (req, res) => res.send(`<!DOCTYPE html><html><body>${req.query.x}</body></html>`));\n";
    let template = "const htmlTemplate = (dom) => `\n<!DOCTYPE html>\n<html><body><div id=\"app\">${dom}</div><script src=\"/js\"></script></body></html>\n`;\nexport default htmlTemplate;\n";
    let tree = SourceTree::from_files([
        ("src/server/index.js", server),
        ("src/client/template.js", template),
    ]);
    let f = found(find_page(&tree, "/widget"));
    assert_eq!(f.file, "src/client/template.js");
    assert_eq!(f.route_line, Some(3));
    assert_eq!(
        found(find_page(&tree, "/inline")).file,
        "src/server/index.js"
    );
}

/// A handler that answers with another handler's view (`return getRuntime(request, model);`,
/// an idealforms-shaped controller) renders that view; a call that is no method of the file
/// gives nothing.
#[test]
fn spring_handlers_delegating_to_another_method_render_its_view() {
    let java = r#"
@Controller
public class FrameController {
    @RequestMapping(value = "/frame", method = RequestMethod.GET)
    public String inFrame(HttpServletRequest request, Model model) {
        return this.runtime(request, model);
    }

    @ContextJwt
    @RequestMapping(value = "/run", method = RequestMethod.GET)
    public String runtime(HttpServletRequest request, Model model) // (request, response)
    /* the runtime */ {
        model.addAttribute("x", helper(request));
        return "/runtime";
    }

    @GetMapping("/other")
    public String other(Model model) {
        return render(model);
    }

    private String helper(HttpServletRequest r) { return ""; }
}
"#;
    let tree = SourceTree::from_files([
        ("src/main/java/FrameController.java", java),
        ("src/main/resources/templates/runtime.html", "x"),
    ]);
    let f = found(find_page(&tree, "/frame?formId=a%20b"));
    assert_eq!(f.file, "src/main/resources/templates/runtime.html");
    assert_eq!(f.route_line, Some(4));
    assert!(!matches!(find_page(&tree, "/other"), PageLookup::Found(_)));
}

/// A view named by a constant of the class, a `ModelAndView` under `@ResponseBody` naming a
/// file of the static folders, and a Velocity template: each found (each was "no page found").
#[test]
fn spring_views_by_constant_static_file_and_velocity() {
    let java = r#"
@Controller
public class MainPage {
    private static final String VIEW_NAME = "main-page";

    @GetMapping(value = "/main")
    public String main(Model model) {
        model.addAttribute("now", System.currentTimeMillis());
        return VIEW_NAME;
    }

    @RequestMapping(value = "/spa", method = RequestMethod.GET)
    @ResponseBody
    public ModelAndView spa() {
        ModelAndView model = new ModelAndView();
        model.setViewName("client/index.html");
        return model;
    }

    @RequestMapping(value = "/clone", method = RequestMethod.GET)
    public ModelAndView clone() {
        ModelAndView model = new ModelAndView();
        String view = "clone";
        model.setViewName(view);
        return model;
    }

    @GetMapping("/data")
    @ResponseBody
    public String data() {
        return VIEW_NAME;
    }
}
"#;
    let tree = SourceTree::from_files([
        ("src/main/java/MainPage.java", java),
        ("src/main/resources/templates/main-page.html", "x"),
        ("src/main/resources/public/client/index.html", "x"),
        ("src/main/resources/templates/clone.vm", "x"),
    ]);
    let f = found(find_page(&tree, "/main"));
    assert_eq!(f.file, "src/main/resources/templates/main-page.html");
    assert_eq!(f.route_line, Some(6));
    assert_eq!(
        found(find_page(&tree, "/spa")).file,
        "src/main/resources/public/client/index.html"
    );
    assert_eq!(
        found(find_page(&tree, "/clone")).file,
        "src/main/resources/templates/clone.vm"
    );
    assert!(!matches!(find_page(&tree, "/data"), PageLookup::Found(_)));
}

#[test]
fn spring_prefix_and_method_paths() {
    let java = r#"
package com.example;
@Controller
@RequestMapping(value = "/connect")
public class PagesController {
@PostMapping("/bg")
public String post() { return "nope"; }
@RequestMapping(path = {"/bg", "/background"}, method = RequestMethod.GET)
public String bg(Model model) { return "background"; }
@GetMapping
public ModelAndView root() { return new ModelAndView("root"); }
}
"#;
    let tree = SourceTree::from_files([
        ("src/main/java/com/example/PagesController.java", java),
        ("src/main/resources/templates/background.html", "x"),
        ("src/main/resources/templates/root.mustache", "x"),
    ]);
    let f = found(find_page(&tree, "/connect/background"));
    assert_eq!(f.file, "src/main/resources/templates/background.html");
    assert_eq!(f.route_line, Some(8));
    assert_eq!(
        found(find_page(&tree, "/connect/bg")).file,
        "src/main/resources/templates/background.html"
    );
    assert_eq!(
        found(find_page(&tree, "/connect")).file,
        "src/main/resources/templates/root.mustache"
    );
    assert_eq!(
        mapping_paths(r#"value = "/a", produces = "text/html""#),
        ["/a"]
    );
    assert_eq!(mapping_paths(r#"method = RequestMethod.GET"#), [""]);
    let kt = "@Controller\n@RequestMapping(\"/k\")\nclass Pages {\n    @GetMapping(\"/bg\")\n    fun bg(model: Model): String = \"kbg\"\n}\n";
    let tree = SourceTree::from_files([
        ("src/main/kotlin/Pages.kt", kt),
        ("src/main/resources/templates/kbg.html", "x"),
    ]);
    assert_eq!(
        found(find_page(&tree, "/k/bg")).file,
        "src/main/resources/templates/kbg.html"
    );
}

#[test]
fn flask_and_static() {
    let tree = SourceTree::from_files([
        (
            "app.py",
            "@app.route('/bg')\ndef bg():\n    return render_template('bg.html')\n",
        ),
        ("templates/bg.html", "x"),
        ("www/watch.html", "x"),
    ]);
    let f = found(find_page(&tree, "/bg"));
    assert_eq!(
        (f.file.as_str(), f.found_by, f.route_line),
        ("templates/bg.html", FoundBy::FlaskRoute, Some(1))
    );
    let f = found(find_page(&tree, "/watch"));
    assert_eq!(
        (f.file.as_str(), f.found_by),
        ("www/watch.html", FoundBy::StaticFile)
    );
    assert_eq!(
        found(find_page(&tree, "/www/watch.html")).file,
        "www/watch.html"
    );
}

/// A static site whose descriptor is one of its deployed files (`src/atlassian-connect.json`
/// beside `src/index.html`, copied together to the site by the build): the descriptor's folder is
/// served at the base URL. Tried only when no served folder has the page.
#[test]
fn the_descriptors_folder_is_a_static_root_last() {
    let tree = SourceTree::from_files([
        ("src/atlassian-connect.json", "{}"),
        ("src/index.html", "x"),
        ("src/settings.html", "x"),
        ("public/settings.html", "x"),
        ("src/main/resources/atlassian-connect.json", "{}"),
    ]);
    let f = found(find_page(&tree, "/index.html?projectKey={project.key}"));
    assert_eq!(
        (f.file.as_str(), f.found_by, f.roots.as_slice()),
        (
            "src/index.html",
            FoundBy::StaticFile,
            ["src/".to_string()].as_slice()
        )
    );
    // A served folder that has the page wins.
    assert_eq!(
        found(find_page(&tree, "/settings")).file,
        "public/settings.html"
    );
}

/// A webpack single-page app writing its page from a template with html-webpack-plugin
/// (`src/index.html`), served for every path by its host (a hosting rewrite to `/index.html`):
/// its routes and `/index.html` itself are the shell.
#[test]
fn an_html_webpack_plugin_template_is_a_single_page_apps_shell() {
    let tree = SourceTree::from_files([
        (
            "package.json",
            r#"{"scripts": {"build": "webpack"}, "devDependencies": {"html-webpack-plugin": "4", "webpack": "4"}}"#,
        ),
        ("src/index.html", "<div id=root></div>"),
        ("src/index.tsx", "AP.resize();"),
    ]);
    for url in ["/editor", "/index.html?pageId={page.id}"] {
        let f = found(find_page(&tree, url));
        assert_eq!(
            (f.file.as_str(), f.found_by),
            ("src/index.html", FoundBy::FrontEnd),
            "{url}"
        );
    }
    // Another file name is that file, not the shell.
    assert!(!matches!(
        find_page(&tree, "/other.html"),
        PageLookup::Found(_)
    ));
}

/// A Flask function that sends an HTML file: from the app's static folder (named, or `static/`),
/// from a literal folder, or by its path; the app's static URL prefix does not serve it.
#[test]
fn flask_routes_sending_a_file() {
    let app = concat!(
        "app = Flask(__name__, static_url_path='/assets', static_folder='web')\n",
        "@app.route('/hello.html')\n",
        "def hello():\n    return send_from_directory(app.static_folder, 'cat.html')\n",
        "@app.route('/panel')\n",
        "def panel():\n    return app.send_static_file(\"panel.html\")\n",
        "@app.get('/admin')\n",
        "def admin():\n    return send_from_directory('pages/', 'admin.html')\n",
        "@app.route('/about')\n",
        "def about():\n    return send_file('pages/about.html')\n",
        "@app.route('/gone')\n",
        "def gone():\n    return send_from_directory(app.static_folder, 'gone.html')\n",
    );
    let tree = SourceTree::from_files([
        ("server/hello.py", app),
        ("server/web/cat.html", "x"),
        ("server/web/panel.html", "x"),
        ("server/pages/admin.html", "x"),
        ("server/pages/about.html", "x"),
    ]);
    for (url, file, line) in [
        ("/hello.html", "server/web/cat.html", 2),
        ("/panel", "server/web/panel.html", 5),
        ("/admin", "server/pages/admin.html", 8),
        ("/about", "server/pages/about.html", 11),
    ] {
        let f = found(find_page(&tree, url));
        assert_eq!(
            (f.file.as_str(), f.found_by, f.route_line),
            (file, FoundBy::FlaskRoute, Some(line)),
            "{url}"
        );
    }
    assert!(!matches!(find_page(&tree, "/gone"), PageLookup::Found(_)));
}

#[test]
fn ambiguous_and_not_found_list_candidates() {
    let tree = SourceTree::from_files([
        ("bg.html", "x"),
        ("public/bg.html", "x"),
        ("views/sla.hbs", "x"),
        (
            "routes/index.js",
            "app.get('/gone', (q, r) => r.render('gone'))",
        ),
    ]);
    match find_page(&tree, "/bg") {
        PageLookup::Ambiguous { candidates } => {
            assert_eq!(
                candidates,
                ["bg.html (static-file)", "public/bg.html (static-file)"]
            )
        }
        other => panic!("{other:?}"),
    }
    match find_page(&tree, "/gone") {
        PageLookup::NotFound { candidates } => {
            assert_eq!(
                candidates[0],
                "views/gone.hbs (rendered by routes/index.js:1, not in the source tree)"
            );
            assert!(candidates.contains(&"views/sla.hbs".to_string()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn page_option() {
    let tree = SourceTree::from_files([("views/sla.hbs", "x"), ("views/other.hbs", "x")]);
    let f = found(page_from_option(&tree, "./views/sla.hbs"));
    assert_eq!(
        (f.file.as_str(), f.found_by),
        ("views/sla.hbs", FoundBy::Option)
    );
    assert_eq!(f.framework(&tree), Framework::Ace);
    match page_from_option(&tree, "views/sla.html") {
        PageLookup::NotFound { candidates } => {
            assert_eq!(candidates, ["views/sla.hbs", "views/other.hbs"])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn join_normalized_refuses_escapes() {
    assert_eq!(
        join_normalized("routes/", "./bg").as_deref(),
        Some("routes/bg")
    );
    assert_eq!(join_normalized("a/b/", "../c").as_deref(), Some("a/c"));
    assert_eq!(join_normalized("", "../x"), None);
}

#[test]
fn nest_controllers_render_views_by_decorator_or_in_the_body() {
    let main = r#"
async function bootstrap() {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, adapter);
  app.setGlobalPrefix('app');
  app.setBaseViewsDir(
    '/home/someone/work/panel-app/server/pages',
  );
  app.setViewEngine('hbs');
}
"#;
    let controller = r#"
import { Controller, Get, Render, Req, Res } from '@nestjs/common';

@Controller('jira')
export class PanelController {
  @Render('panel')
  @Get('panel')
  panel(@Req() req) {
    return { id: req.query['id'] };
  }

  @Get(['settings', 'config'])
  settings(@Req() req, @Res() res) {
    if (!req.query.jwt) {
      return res.render('unauthorized');
    }
    res.render('settings', { id: req.query.id });
  }

  @Get('data')
  data() {
    return { rows: [] };
  }
}

@Controller({ path: 'admin' })
export class AdminController {
  @Get()
  @Render('admin/home')
  home() {}
}
"#;
    let tree = SourceTree::from_files([
        ("server/main.ts", main),
        ("server/panel.controller.ts", controller),
        ("server/pages/panel.hbs", "<p/>"),
        ("server/pages/settings.hbs", "<p/>"),
        ("server/pages/unauthorized.hbs", "<p/>"),
        ("server/pages/admin/home.hbs", "<p/>"),
        ("views/panel.hbs", "<p>another app's</p>"),
    ]);
    let f = found(find_page(&tree, "/app/jira/panel?id={board.id}"));
    assert_eq!(f.file, "server/pages/panel.hbs");
    assert_eq!(f.found_by, FoundBy::NestController);
    assert_eq!(
        (f.route_file.as_deref(), f.route_line),
        (Some("server/panel.controller.ts"), Some(7))
    );
    assert_eq!(f.framework(&tree), Framework::Ace);
    let f = found(find_page(&tree, "/app/jira/config"));
    assert_eq!(f.file, "server/pages/settings.hbs");
    assert_eq!(f.others, ["server/pages/unauthorized.hbs"]);
    assert_eq!(
        found(find_page(&tree, "/app/admin")).file,
        "server/pages/admin/home.hbs"
    );
    // Not under the global prefix, or answering with data: no page.
    assert!(matches!(
        find_page(&tree, "/jira/panel"),
        PageLookup::NotFound { .. }
    ));
    assert!(matches!(
        find_page(&tree, "/app/jira/data"),
        PageLookup::NotFound { .. }
    ));
}

#[test]
fn a_folders_url_is_its_directory_index_in_a_web_servers_order() {
    let tree = SourceTree::from_files([
        ("index.php", "<?php include 'f.php' ?><p>report</p>"),
        ("admin/index.htm", "<p>admin</p>"),
        ("both/index.html", "<p>html</p>"),
        ("both/index.php", "<p>php</p>"),
    ]);
    assert_eq!(found(find_page(&tree, "/")).file, "index.php");
    assert_eq!(found(find_page(&tree, "/admin")).file, "admin/index.htm");
    assert_eq!(found(find_page(&tree, "/both/")).file, "both/index.html");
}
