//! Diagnostic codes: every warning and error has a stable code (`C2F024`) that the text review
//! prints after the message, the JSON and CI formats carry, and `connect2forge explain C2F024`
//! explains: what it means and what to do.
//!
//! A code names a kind of finding, not one message: messages are reworded, codes stay. Each code
//! lists the phrases that identify its findings; a finding takes the first code whose phrase it
//! contains (the list runs from the most specific to the most general), and `C2F000` is left
//! for a finding no code describes yet — `tests/codes.rs` fails when a finding of the corpus or
//! a fixture gets it, so a new message cannot go out without a code. A leaf: it depends only on
//! the diagnostic type.

use crate::diagnostics::Diagnostic;

/// One code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// `C2F024`.
    pub id: &'static str,
    /// A short name (`context-parameter`).
    pub name: &'static str,
    /// What it means and what to do, for `connect2forge explain`.
    pub explanation: &'static str,
    /// Phrases of the findings it names (lower case, matched in the lower-cased message).
    phrases: &'static [&'static str],
}

/// The code of a finding no code describes yet.
pub const OTHER: Code = Code {
    id: "C2F000",
    name: "other",
    explanation: "A finding without a code of its own yet. The message says what is wrong and, where it can, how to fix it; please report it so it gets one.",
    phrases: &[],
};

/// Every code, most specific first.
pub static CODES: &[Code] = &[
    Code {
        id: "C2F101",
        name: "front-end-project-carried",
        explanation: "The page is the shell of a front-end project (Create React App, Vite, Vue CLI, Parcel or webpack) whose build writes the page the server sends. The project is carried whole into the resource's project/ folder, at the paths it has in the Connect app (not node_modules, its build output, hidden folders or files that may hold secrets), images and fonts included. The resource's `npm run build` (scripts/build.mjs) bundles the compatibility layer into build/connect-compat.js, runs the project's own `npm install` and `npm run build` through scripts/project.mjs (Create React App with PUBLIC_URL=. and no inline runtime chunk; webpack 4 retried with --openssl-legacy-provider; a locked version the registry no longer has resolved again from its range; failing install scripts skipped), copies the output folder holding the page it wrote for the module's URL (index.html, or admin.html for /admin) into build/ and rewrites that page as its index.html: the compatibility layer first, root-relative URLs of built files made relative, inline scripts moved into files (Forge's content security policy). Its sources are analysed for Connect calls as before. Check that the project builds on Node 18 or later; a build that needs values from .env files needs them set by hand.",
        phrases: &["carried whole into the resource's"],
    },
    Code {
        id: "C2F102",
        name: "front-end-project-files",
        explanation: "A file of the front-end project the page carries whole was left out: it may hold secrets (.env files, .npmrc) and is never copied, or it could not be read. Or the project is bigger than the tool carries (5,000 files or 64 MiB, node_modules and build output aside) or has no readable package.json: then it is not carried at all, and C2F074 says how to carry it by hand.",
        phrases: &[
            "of the front-end project may hold secrets",
            "of the front-end project could not be read",
            "could not be listed (",
            "(node_modules and its build output aside): it is not carried",
            "has no readable package.json: it is not carried",
        ],
    },
    Code {
        id: "C2F103",
        name: "module-import",
        explanation: "A module script of the page (<script type=\"module\">) imports something the resource cannot bundle from its files: a file that is not in the source tree (looked for at its URL path in the page's static folders, and as a bundler completes it, with an extension or /index: until it is copied under page/ at that path, the resource's build leaves the module unbundled, and it fails in the browser), a path that climbs out of the site, a package name (kept: the page resolved it through an import map, and the bundle leaves it to one too), or a module from another host (kept as a run-time import; manifest.yml's permissions.external.scripts lists it). The module scripts themselves and the files they import are carried under page/ at their URL paths, and the resource's build bundles each module with esbuild.",
        phrases: &["module import '"],
    },
    Code {
        id: "C2F107",
        name: "asset-not-carried",
        explanation: "An image, icon, font or media file the carried page shows (an <img src> or srcset, a <link rel=\"icon\">, an <input type=\"image\">, a <video poster>, a style attribute's or a carried stylesheet's url(...), an @import, a URL its scripts build at run time from a template literal) is not carried into the Forge resource, so the page asks for a file its resource lacks: the message says why — not in the source tree (a typo, a file .gitignore hides, one the server generates), under a build output or dependency folder the source walk does not read (build/, dist/, node_modules/), refused (a hidden or secret file, a path that climbs out of its folder), unreadable, larger than 4 MiB, or past the 20 MiB the tool carries per page. Copy the file under the resource's page/ folder by hand at the path the rewritten URL names (./page/<path below the static folder>), or drop the reference.",
        phrases: &["a file its resource lacks"],
    },
    Code {
        id: "C2F115",
        name: "form-to-backend",
        explanation: "The page has an HTML form that submits to the app's own server: its action is a path of the app (a relative URL, Thymeleaf's th:action=\"@{/x}\", a template expression), or it has none and a method, so it submits to the page's own URL — on Connect, the route that rendered it. On Forge the page is a static resource served from Atlassian's CDN: the submission no longer reaches the backend (it reloads the resource's frame, or asks the CDN for a path it does not have), and a server that answered the post with a new page has no page to answer. Send the form's values from the page's script instead: invokeRemote or requestRemote (@forge/bridge) to the app's remote, whose route must accept Forge Invocation Tokens, and show the answer in the page. A form with neither action nor method, with an onsubmit handler, or hidden (the hidden attribute, display: none), is taken to be handled by the page's script and is not named.",
        phrases: &["this form submits to the app's server"],
    },
    Code {
        id: "C2F114",
        name: "component-mounted",
        explanation: "The page is a component its server rendered with a view engine (an atlassian-connect-express route's res.render('x.jsx') under ACE's React template, or another .jsx/.tsx/.vue/.svelte view), not an HTML template. A React component is carried under page/ at its path in the source tree, with the local files it imports, and mounted in the browser by page/<stem>.mount.js, which the tool writes: it renders the component's default export into index.html's #content with react-dom (createRoot from React 18, ReactDOM.render before), once main.js has run; the resource's build bundles it with its npm packages at the versions the app's package.json gives (a package it does not list, a dependency of a dependency, at the version its lockfile installed; one neither lists is named: without it the build leaves the component unbundled). The props the route passes are passed where they are static (literals, and req.query values as the page's query parameters); what the server rendered around the component (the layout's markup and stylesheets) and the props it computes are not carried: give the component what it needs another way. A component that is not React is not mounted: the resource's index.html is an empty shell to mount it in by hand.",
        phrases: &[
            "the page is a react component its server rendered",
            "only react components are mounted by the tool",
            "nor its lockfile lists",
            "the component's file ",
        ],
    },
    Code {
        id: "C2F113",
        name: "template-part-not-rendered",
        explanation: "A part of the page's template could not be put in: an include, partial or layout it names is not in the source tree (a hidden file, such as PHP's .config.php, is never read), nests too deep, or is not a literal name; or (PHP) blocks of server logic ran on the app's server and are left out of index.html. The page is rendered without them: the scripts and stylesheets an include would have loaded are not carried, and what the server logic wrote or computed must come from the app's backend on Forge (call it with invokeRemote/requestRemote).",
        phrases: &[
            "the scripts and stylesheets it loads are not carried",
            "php block(s) of server logic",
        ],
    },
    Code {
        id: "C2F112",
        name: "external-not-listable",
        explanation: "The page loads a script, stylesheet, image, font or media file from another host at an address Forge's manifest cannot list under permissions.external: Atlassian's validator accepts https: (and wss:) addresses of a named host only. A plain http: address never loads in a Forge page anyway (the page is served over https: mixed content), and a host such as localhost or an intranet name is out of Atlassian's cloud's reach. The reference stays in the page and nothing is added to the manifest (it would fail validation). Serve the file over https from a public host, or copy it into the resource's page/ folder and point the page there.",
        phrases: &["cannot be listed in manifest.yml's permissions.external"],
    },
    Code {
        id: "C2F111",
        name: "fetched-file",
        explanation: "The page's code fetches a template or data file of the app's static folders by a relative URL written in a literal (AngularJS's templateUrl, $.getJSON('data/x.json'), fetch('partials/x.html')): the file is carried with the resource under page/, the literal pointed there, and the request reads it from the resource. It is not a call to the app's backend, so it is neither an endpoint nor a to-do. A file whose name is a known secret's (config.json, credentials.json) is never carried: that request stays a backend call.",
        phrases: &["a file of the app's static folder: carried with the resource"],
    },
    Code {
        id: "C2F110",
        name: "case-differs",
        explanation: "A script, stylesheet, image or other file the page loads was found only with its name's case ignored (the page asks for suggestions.css, the tree has Suggestions.css): the app's server ignores case, as Windows' and macOS' file systems do, and the page works there. Forge serves files by their exact names, so the file is carried under its own name and the page's reference is rewritten to it. Rename the file or fix the reference in the Connect app too, so both agree.",
        phrases: &["whose name differs in case"],
    },
    Code {
        id: "C2F109",
        name: "nested-page",
        explanation: "The page shows another page of the app in an <iframe> or <frame> with a local src (a shell around the app's real page, often a single-page app's build). The inner page is not carried: a Custom UI resource holds the module's page, and on Forge the frame's URL resolves inside the resource — a relative index.html is the carried page itself, which would then show itself. Give the inner page a module of its own (its own resource), or move its code and markup into this page, then remove the frame.",
        phrases: &["shows another page of the app"],
    },
    Code {
        id: "C2F108",
        name: "external-asset",
        explanation: "The page shows an image, font or media file from another host (an absolute http(s) URL): it is kept, and manifest.yml lists that host under permissions.external.images, .fonts or .media, which Forge's content security policy requires. The page shows it only while that host serves it; copy the file into the resource's page/ folder and point the URL there to depend on nothing outside the app.",
        phrases: &["permissions.external.images", "permissions.external.fonts", "permissions.external.media"],
    },
    Code {
        id: "C2F074",
        name: "front-end-project",
        explanation: "The page's code is a front-end project (webpack, Vite, Create React App, Vue CLI, Parcel, Next.js, Nuxt): the page is the HTML shell its build fills, a file-system route of it, or it loads a bundle the project builds. The build output is not in the repository, so the project's sources are analysed instead (its entries and every local file they import) and their Connect calls reported at their own places; the project itself is not carried. The message says how to carry it: copy the project (not node_modules, its build output or .env files) into static/<resource>/ beside the scaffold's src/connect-compat.js, import './connect-compat.js' first in its entry, add @forge/bridge and @forge/jira-bridge to its package.json, set a relative base path (Vite base: './', Create React App \"homepage\": \".\", Vue CLI publicPath: './'), run npm install && npm run build there, and point the manifest's resource path at the build output; for a bundle a carried page loads, build the project and copy the bundle under the resource's page/, loaded from index.html after ./main.js.",
        phrases: &["the page's code is the front-end project"],
    },
    Code {
        id: "C2F075",
        name: "front-end-import",
        explanation: "A relative import of the page's front-end project names no file of the source tree (a file generated by the build, one .gitignore hides, or a typo): the Connect calls of what it would import are not reported. Check that file by hand.",
        phrases: &["the front-end import '"],
    },
    Code {
        id: "C2F077",
        name: "requirejs-modules",
        explanation: "The page loads modules through RequireJS (its require.js data-main, require([...]) of the page's scripts, and what those define([...]) in turn), resolved as RequireJS does (require.config paths and baseUrl) against the page's static folders. Their Connect calls are analysed and reported, and the files are carried under page/ at their URL paths, with a script of the tool's loaded just before the carried require.js (its data-main kept) that points each URL the loader asks for (resolved as the browser did against the page's URL) into page/; a module from another host goes to permissions.external.scripts. When require.js itself is not carried (loaded from a CDN), the modules are not either: copy them under page/ keeping their paths, or bundle them into one script that index.html loads. Modules that are not in the source tree are listed.",
        phrases: &["module(s) through requirejs"],
    },
    Code {
        id: "C2F076",
        name: "front-end-limit",
        explanation: "The page's front-end project imports more local files than the analysis follows (5,000): the Connect calls of the files past the limit are not reported. Point --source at the front end's own folder, or check those files by hand.",
        phrases: &["front-end import graph of"],
    },
    Code {
        id: "C2F091",
        name: "webhook-event",
        explanation: "A webhook's event has no Forge product event: it is not a Connect event of the product (a misspelling: the message suggests the closest), or Forge does not send it (option_*, label_* and a few others; see docs/mapping.md's event table, pinned to @forge/manifest 13.7.0). The webhook stays on Connect: poll the REST API instead, or drop it to leave Connect.",
        phrases: &["is not a jira connect webhook event", "is not a confluence connect webhook event", "has no forge product event", "is not a product event @forge/manifest"],
    },
    Code {
        id: "C2F086",
        name: "other-product-event",
        explanation: "A webhook's event is one only the other product sends (a Jira event in a Confluence app, or the reverse): the app's product never delivered it on Connect, so the webhook never fired and it is not carried. If the product was detected wrongly, run again with --product.",
        phrases: &["which a jira app never receives", "which a confluence app never receives"],
    },
    Code {
        id: "C2F092",
        name: "connect-only-event",
        explanation: "The webhook's event exists only on Connect (the app's own enablement, logins, searches): Forge never sends it, so the webhook is not carried and its backend route is no longer called. Move what the route did into the installed or uninstall callback, or drop it.",
        phrases: &["is connect-only and is not carried"],
    },
    Code {
        id: "C2F093",
        name: "webhook-option",
        explanation: "A webhook option has no Forge trigger equivalent: a JQL filter (Forge trigger filters are Jira expressions, filter.expression), excludeBody (a trigger always sends the payload), propertyKeys (read entity properties through the REST API), or Connect variables in the URL's query (the values are in the event payload). The trigger is carried without it: the backend may now receive more events, or fewer values in the URL.",
        phrases: &["webhook filter", "webhook excludebody", "webhook propertykeys", "webhook property \"", "connect variables in its query"],
    },
    Code {
        id: "C2F094",
        name: "remote-url",
        explanation: "A webhook or lifecycle URL is not a path on the app's baseUrl (absolute to another host): a Forge endpoint calls a declared remote, here the app's own. It stays on Connect; declare another remote and endpoint by hand to move it.",
        phrases: &["is absolute to another host", "is not a path on the app's"],
    },
    Code {
        id: "C2F095",
        name: "lifecycle-callback",
        explanation: "A Connect lifecycle callback has no Forge counterpart (enabled, disabled: a Forge app is installed or not) or cannot be carried, or the lifecycle stays on Connect because Connect modules still need its installed callback. Keep per-site state in the installed and uninstall callbacks.",
        phrases: &["lifecycle \"enabled\"", "lifecycle \"disabled\"", "lifecycle property \"", "must be a url string", "webhook event must be a string"],
    },
    Code {
        id: "C2F096",
        name: "forge-scopes",
        explanation: "No Connect module remains, so the backend calls the product's REST API with the app token its Forge endpoints receive (auth.appSystemToken), which Forge's own scopes govern: each Connect scope is replaced by the Forge scopes the message lists. Check them against the REST calls the backend makes.",
        phrases: &["is replaced by forge's own scopes"],
    },
    Code {
        id: "C2F098",
        name: "no-connect-remote",
        explanation: "An adopted manifest's webhook or lifecycle would become a Forge trigger whose endpoint calls the Connect backend, but app.connect.remote names no remote that remotes declares, so the endpoint would have nothing to call: it stays under connectModules. Declare the Connect backend under remotes (key and baseUrl) and name that key in app.connect.remote, then run again.",
        phrases: &["names no remote that remotes declares"],
    },
    Code {
        id: "C2F002",
        name: "not-an-input",
        explanation: "The input does not exist, or is neither a Connect descriptor (a JSON object with key, baseUrl and modules) nor a Forge manifest (YAML with a top-level app:). Pass the path of the app's atlassian-connect.json, or of the manifest.yml Atlassian's converter wrote (- reads standard input).",
        phrases: &["not a connect descriptor or forge manifest", "no such file (pass the descriptor"],
    },
    Code {
        id: "C2F003",
        name: "template-not-rendered",
        explanation: "The descriptor is a template (placeholders or directives outside JSON strings, ERB, Go templates): it is not JSON until its engine fills it. Fill the placeholders with --var NAME=VALUE, or render the template with its own tool and migrate the JSON it produces.",
        phrases: &["template placeholder", "template directive", "erb template", "this file is a template"],
    },
    Code {
        id: "C2F001",
        name: "not-json",
        explanation: "The descriptor is not JSON as Connect reads it (comments and trailing commas are accepted). The message gives the line and column of the first problem: fix it there.",
        phrases: &["not valid json", "holds no json value", "out of range", "nests", "utf-", "byte-order mark", "is larger than"],
    },
    Code {
        id: "C2F004",
        name: "duplicate-property",
        explanation: "A property is written twice in one object. JSON readers keep the last one, as this tool does; delete the one you do not mean, since other readers may disagree.",
        phrases: &["duplicate key \""],
    },
    Code {
        id: "C2F005",
        name: "product",
        explanation: "The product the app is for (Jira or Confluence) decides its Forge modules and scopes, and cannot be told from the descriptor (or it is a Bitbucket app, which Forge cannot adopt). Pass --product jira or --product confluence.",
        phrases: &["cannot tell whether this app is for", "bitbucket", "are jira modules", "are confluence modules", "modules; this app is for"],
    },
    Code {
        id: "C2F009",
        name: "unused-option",
        explanation: "A --var or --keep-connect names nothing in this descriptor, so it changes nothing. Check its spelling against the placeholders or module keys the message lists.",
        phrases: &["--var ", "--keep-connect "],
    },
    Code {
        id: "C2F006",
        name: "not-carried",
        explanation: "A descriptor field has no place in a Forge manifest (vendor, links, apiVersion, ...). Nothing is lost that Forge needs: the message says where that information lives on Forge (the Marketplace listing, the developer console).",
        phrases: &["is not carried to forge", "unknown top-level property", "longer than forge's"],
    },
    Code {
        id: "C2F007",
        name: "scope",
        explanation: "A Connect scope has no Forge equivalent for this product, or is not a scope Connect knows. Forge apps declare OAuth scopes in permissions.scopes; the carried pages' REST calls add the ones they need.",
        phrases: &["scope "],
    },
    Code {
        id: "C2F008",
        name: "authentication",
        explanation: "Forge's app.connect.authentication takes only jwt, and only while a module stays on Connect. The Forge app's own calls carry Forge Invocation Tokens instead (see the backend's to-do list).",
        phrases: &["authentication"],
    },
    Code {
        id: "C2F010",
        name: "base-url",
        explanation: "The app's baseUrl must be an absolute http(s) URL or a placeholder; it becomes the Connect remote's baseUrl.",
        phrases: &["baseurl \""],
    },
    Code {
        id: "C2F011",
        name: "app-key",
        explanation: "The Connect app key becomes the Forge manifest's app.connect.key, which Forge limits to 90 characters of letters, digits, '-', '.' and '_'. A template expression there means the descriptor must be rendered first.",
        phrases: &["app key"],
    },
    Code {
        id: "C2F020",
        name: "module-type",
        explanation: "A module type is not one Connect and Forge's connectModules know for this product (often a typo: the message suggests the closest name). Fix the name, or remove the module.",
        phrases: &["connect module type", "connectmodules entry is a list", "connectmodules must be", "is not of the form <product>"],
    },
    Code {
        id: "C2F021",
        name: "module-key",
        explanation: "Module keys must be unique within the app and use letters, digits, '-' and '_' (Forge accepts every Connect key). A module without a key gets a generated one: set it yourself to keep it stable.",
        phrases: &["module key", "has no key", "no \"key\"", "key must be", "same key", "duplicate module key", "\"key\" is not a"],
    },
    Code {
        id: "C2F089",
        name: "subpage",
        explanation: "Forge allows one jira:globalPage, jira:projectPage, jira:projectSettingsPage and plain jira:adminPage per app, but each takes further pages (pages: title, route, icon): a further Connect page of that type becomes a subpage of the first one. It is listed in that module's sidebar (the module's own page first, then the others, in descriptor order), at the module's URL followed by its route, where Connect gave it an entry of its own. Its page is carried into the first module's Custom UI resource, in its own folder (pages/<route>/): a small router there reads the route from view.createHistory() and shows that page, and follows the sidebar when it changes. The module's display conditions apply to every page; a page's own conditions are its displayConditions. Check that your users find the page there, and try every page of the module on a development site (forge tunnel): the router loads each page as a document of its own in the module's frame.",
        phrases: &["becomes a subpage of"],
    },
    Code {
        id: "C2F100",
        name: "subpage-library-version",
        explanation: "Two carried pages that share one Custom UI resource (a module and the pages folded into it as subpages) need different versions of one npm library (a jQuery from a CDN URL, ...). The resource has one package.json, which installs the version the first of them needs; every page's bundle uses it. Check that the page works with that version, or load the version it needs from its own page/ folder by hand.",
        phrases: &["which it shares with its module's other pages"],
    },
    Code {
        id: "C2F027",
        name: "other-forge-type",
        explanation: "Forge allows one module of this type per app (one global page, one project page, ...): this module becomes another Forge module that can hold it, such as a full page at its own route. Link to it from the first page, or merge the two.",
        phrases: &["this one becomes"],
    },
    Code {
        id: "C2F106",
        name: "post-function-endpoint",
        explanation: "A Connect workflow post function becomes jira:workflowPostFunction with the same key, whose endpoint is its old triggered URL's route on the app's remote; its create, edit and view pages become the module's create, edit and view resources, and the compatibility layer gives the configuration AP.jira.WorkflowConfiguration.onSave returns to Forge (workflowRules.onConfigure). Workflows that already hold the Connect post function run the Forge one with the configuration they saved. What the backend must change: the request is signed with a Forge Invocation Token, not a Connect JWT, and its body is Forge's post function event (the issue, the transition, and the saved configuration), not Connect's payload. docs/forge-backend.md lists the route. Forge's post function needs the read:jira-work and manage:jira-configuration scopes, which are added.",
        phrases: &["workflow post function becomes"],
    },
    Code {
        id: "C2F099",
        name: "link-navigates",
        explanation: "A web item linked to another site or to a product page (not a page of the app), in a menu where Forge has a module: an action (the issue view's operations, a board's or the backlog's tools, the issue navigator, Confluence's page actions) or a page (the Apps menu, the administration menu, the personal settings menu, the project sidebar, Confluence's header). Forge has no plain link module, so the item becomes that module, and its generated resource only takes the user to the link with router.navigate (filling the link's Connect context variables from view.getContext()). The menu entry is kept; what differs: Forge asks the user before it opens another site, and opens it in a new tab (a product page opens in the same tab); an action first opens its modal, which closes once the user is on the way. Keep the link on Connect instead by leaving the item out (--keep-connect), if that is not what you want.",
        phrases: &["only takes the user there"],
    },
    Code {
        id: "C2F078",
        name: "link-becomes-page",
        explanation: "A web item linked to a URL of the app's own that none of its page modules shows, in a menu where Forge has a page module (Jira's administration menu, the top navigation's Apps menu, the personal settings menu, the project sidebar; Confluence's header). It becomes that page module, carrying the page at that URL: the menu entry is kept, but the page now shows inside the product, in a Custom UI frame, where Connect opened it on the app's own server. Check that the page works framed (the port's review lists its AP calls and backend requests).",
        phrases: &["which none of its page modules shows"],
    },
    Code {
        id: "C2F079",
        name: "translations-not-carried",
        explanation: "Connect's descriptor translations (translations.paths) translate the names of the app's Connect modules and nothing else (pages translate themselves). When no Connect module remains there is nothing left for them to translate, and carrying them would keep the app on Connect, so they are not carried. The Forge modules' titles are the descriptor's default-language names: to translate them, add Forge's translations (locale JSON files in the app, manifest translations.resources) and use i18n keys in the titles.",
        phrases: &["translations translate only the names of connect modules"],
    },
    Code {
        id: "C2F085",
        name: "time-tracking-provider",
        explanation: "A Connect time tracking provider becomes Forge's jira:timeTrackingProvider (same key and name). Forge's module has no migratedFromConnect, and Jira's time tracking setting names the provider an admin selected: after the upgrade, check in Jira's administration (Time tracking) that the app's provider is still selected, or select it again. Its adminPageKey is carried as adminPage only when it names an admin page that became a jira:adminPage.",
        phrases: &["time tracking provider becomes jira:timetrackingprovider", "time tracking provider's adminpagekey"],
    },
    Code {
        id: "C2F087",
        name: "nothing-to-migrate",
        explanation: "The descriptor has no module, lifecycle or webhook a Forge app could hold (an empty modules object): the manifest would have neither modules nor connectModules, which Forge rejects. Nothing is written; add the app's modules to the descriptor first.",
        phrases: &["nothing to migrate"],
    },
    Code {
        id: "C2F029",
        name: "folded-into-page",
        explanation: "A web item linked to one of the app's own pages, which is a Forge module now and has its own entry in the product's navigation (the Apps menu, the administration or project sidebar). Forge has no plain link module, so no module is made for the item: check that the page is where your users look for it, or link to it from another page.",
        phrases: &["folded into"],
    },
    Code {
        id: "C2F026",
        name: "stays-on-connect",
        explanation: "This module has no Forge module to become (a location Forge has no module for, a type with no Forge target, or Forge's one-per-app limit), so it stays under connectModules and keeps running on the Connect backend. The app keeps Connect's revenue share until it is gone: rework it as a Forge module by hand, or drop it.",
        phrases: &["stays on connect", "forge has no module", "no forge target", "left out of the forge app", "forge allows one"],
    },
    Code {
        id: "C2F081",
        name: "macro-parameters",
        explanation: "Connect's macro browser built a form from the macro's parameters; a Forge Custom UI macro has no generated form: it is configured by a custom config resource (the Connect macro's custom editor, when it had one). The values saved in existing pages still reach the macro as context.extension.config. Give the macro a config resource, or keep it on Connect.",
        phrases: &["macro parameters", "custom editor has no url"],
    },
    Code {
        id: "C2F082",
        name: "macro-rendering",
        explanation: "The macro renders differently on Forge: a static content macro's storage-format XHTML was rendered by Confluence into the page, a Forge macro is a Custom UI frame; a plain-text body arrives as rich text (ADF); renderModes, imagePlaceholder and autoconvert have Forge counterparts (adfExport, autoConvert) that need code of their own. The message says which; write that part for the Forge macro.",
        phrases: &["static content macro", "plain-text body", "is not carried: forge macros"],
    },
    Code {
        id: "C2F083",
        name: "frame",
        explanation: "Forge shows this module's page in another kind of frame than Connect did (a byline item opens a popup or a modal, never a whole page): check the page still fits there.",
        phrases: &["opens it in a modal"],
    },
    Code {
        id: "C2F084",
        name: "custom-content",
        explanation: "A Confluence custom content type keeps its Connect type on Forge (migratedFromConnect), but Forge takes fewer container and child types (containers: space, page, blogpost; children: attachment, comment; this app's own types as this:<key>, named back by the other type) and has no list view: what has no counterpart is left out. Check the content hierarchy still holds.",
        phrases: &["has no forge counterpart (forge takes", "naming this one back", "listviewcomponent"],
    },
    Code {
        id: "C2F024",
        name: "context-parameter",
        explanation: "The module URL fills a Connect context parameter ({issue.key}, {page.id}, ...). Forge pages read the context with view.getContext(); the compatibility layer rebuilds the page's query string from it, but this parameter has no Forge value, so the page gets it empty: read what it needs another way.",
        phrases: &["context parameter"],
    },
    Code {
        id: "C2F025",
        name: "display-condition",
        explanation: "A Connect condition has no Forge display condition, so it is left out: the module shows where Connect hid it. Check the condition in the page itself, or with a Forge display condition you choose.",
        phrases: &["display condition", "condition \"", "\"or\" condition", "take no conditions"],
    },
    Code {
        id: "C2F023",
        name: "module-url",
        explanation: "A module's URL must be a path on the app's own server (relative to baseUrl, without '..'); one that is not cannot be carried into a Forge resource.",
        phrases: &["url \"", "url must", "url contains"],
    },
    Code {
        id: "C2F028",
        name: "module-field",
        explanation: "A module property is missing, of the wrong type, or not one Connect or Forge accepts; the message names it and the values it may take.",
        phrases: &["which connect requires", "(required", "location type", "location must", "location has", "shouldreloadonrefresh", "unknown location property", "unknown property", "is not a property of", "must be true or false", "is a mapping"],
    },
    Code {
        id: "C2F030",
        name: "unlicensed-access",
        explanation: "Forge's connectModules do not take unlicensedAccess; Forge apps check licences themselves (the license in view.getContext()).",
        phrases: &["unlicensedaccess"],
    },
    Code {
        id: "C2F040",
        name: "manifest-yaml",
        explanation: "The manifest cannot be read safely as YAML (a syntax error, a duplicate key YAML readers disagree on, several documents). Fix it at the line and column given; nothing was written.",
        phrases: &["not valid yaml", "yaml parsers disagree", "several documents", "manifest is", "not a mapping"],
    },
    Code {
        id: "C2F041",
        name: "manifest-edit",
        explanation: "Moving these modules would change lines of the manifest outside them (an anchor used elsewhere, flow style): the tool edits only what it moves, so it leaves them. Simplify the YAML around them and run again, or move them by hand.",
        phrases: &["cannot be edited safely", "would change the manifest"],
    },
    Code {
        id: "C2F042",
        name: "conflict",
        explanation: "Your edits and the new generation change the same lines: both are kept between conflict markers that name the file. Resolve the markers, then run again (--check stays pending until they are gone).",
        phrases: &["conflict", "cannot be merged"],
    },
    Code {
        id: "C2F043",
        name: "kept",
        explanation: "A file of the Forge app is yours (you edited it, or the tool did not write it) and is kept as it is; the review says why, and what to do to take the tool's version.",
        phrases: &["kept ", "is yours", "earlier run"],
    },
    Code {
        id: "C2F044",
        name: "path",
        explanation: "A planned path cannot be held by every checkout (a name Windows reserves, a case-only collision, a file where a folder goes): nothing is written until it is renamed.",
        phrases: &["windows", "collide", "case-insensitive", "reserved name"],
    },
    Code {
        id: "C2F090",
        name: "source-limit",
        explanation: "Reading the Connect app's source tree stopped at a limit (too many files, folders nested too deep): files past it were not looked at, so a page, route or script there may be missing from the port. The message says which limit and where. Point --source at the app's own folder (not a monorepo or a folder with generated files), add the generated folders to .gitignore, or name the page with --page KEY=FILE.",
        phrases: &["source walk limit"],
    },
    Code {
        id: "C2F060",
        name: "page-not-found",
        explanation: "The module's old page was not found in the Connect app's source tree (or several match): the module gets a skeleton page. Name it with --page KEY=FILE, or point --source at the app's code.",
        phrases: &["no page found", "several pages", "--page "],
    },
    Code {
        id: "C2F062",
        name: "template-expression",
        explanation: "The page is a server template and holds expressions the server filled in (a token, a URL, a user's name). Forge serves the carried index.html as it is: move what they provided into the page's scripts (view.getContext(), a backend call).",
        phrases: &["template expression", "not evaluated", "placeholder"],
    },
    Code {
        id: "C2F071",
        name: "third-party-request",
        explanation: "The page calls another host (fetch, XMLHttpRequest, jQuery, axios with an absolute URL). Forge lets a Custom UI page reach a host only when manifest.yml lists it under permissions.external.fetch.client; connect2forge adds it there (check that the app should call that host). No Connect JWT is involved: the call works as before once the host is listed.",
        phrases: &["third-party host"],
    },
    Code {
        id: "C2F072",
        name: "product-page-request",
        explanation: "AP.request names a product page outside the REST API (/secure/attachment/..., /browse/...). On Forge, requestJira and requestConfluence reach only REST paths: use the REST operation that serves the same data (an attachment's content: GET /rest/api/3/attachment/content/{id}).",
        phrases: &["outside the rest api"],
    },
    Code {
        id: "C2F088",
        name: "markup-left-open",
        explanation: "The page's HTML leaves something open at its end (a comment, a <script>, a <template>, a <textarea>, a tag with no >): a browser hides, drops or never runs what follows it, and index.html does the same, closed before the tags the tool adds. Check that the original page really ends that way; a server template that renders differently at run time is the usual cause.",
        phrases: &["never closed", "never finished"],
    },
    Code {
        id: "C2F066",
        name: "csp",
        explanation: "Forge's content security policy stops this code (eval, new Function, string timers, inline scripts or handlers, document.write of scripts): rewrite it without code built from strings.",
        phrases: &["content security policy", "csp", "eval(", "`eval`", "eval ", "new function", "string timer", "document.write"],
    },
    Code {
        id: "C2F065",
        name: "inline-handler",
        explanation: "An inline event handler (onload=, onclick=, ...) cannot run on Forge (its content security policy forbids them): it is moved into a carried script, in order. Check it still runs when the page expects.",
        phrases: &["inline", "handler", "onload", "onerror"],
    },
    Code {
        id: "C2F063",
        name: "all-js",
        explanation: "Atlassian's all.js is not carried: the compatibility layer provides window.AP on @forge/bridge. Options given to it (data-options) are said when they change behaviour.",
        phrases: &["all.js", "all-debug.js"],
    },
    Code {
        id: "C2F073",
        name: "library-version",
        explanation: "A library the page loads from a CDN is bundled from npm at the same version, except where npm's release of that version is not the browser build (jquery before 1.9.1 is node-jquery, a Node.js wrapper whose install fails on current Node.js; 1.9.1 has no entry point to import): the nearest browser release is carried instead. Check the page with it, or pin another version in the resource's package.json.",
        phrases: &["is carried as"],
    },
    Code {
        id: "C2F064",
        name: "external-host",
        explanation: "The page loads a script or stylesheet from another host: it is kept, and manifest.yml lists the host in permissions.external (Forge's content security policy allows only those).",
        phrases: &["external", "another host", "cdn"],
    },
    Code {
        id: "C2F067",
        name: "event-to-connect",
        explanation: "A carried page emits an event a module still on Connect listens to; Forge events never reach a Connect iframe. Move that module to Forge too, or share the data another way (entity properties, the backend).",
        phrases: &["events never reach", "no longer reaches"],
    },
    Code {
        id: "C2F068",
        name: "request",
        explanation: "A request's URL or method is not known before the page runs, so the scopes it needs cannot be worked out: add them to permissions.scopes by hand if the call reaches the product's REST API.",
        phrases: &["statically", "request", "rest path"],
    },
    Code {
        id: "C2F070",
        name: "secret",
        explanation: "A file the page names looks like a secret (credentials, configuration, environment files) or lies outside what the server would serve: it is not carried into the Forge app, which is deployed to Atlassian's CDN.",
        phrases: &["secret", "credential", "would not serve", "above its static root"],
    },
    Code {
        id: "C2F080",
        name: "script-not-analysed",
        explanation: "A script nests deeper than the analysis follows (tens of thousands of brackets or prefix operators, as no person or minifier writes): it is carried, but not analysed, so its AP calls, requests and scopes are not reported. Check it by hand, or rewrite the generated part.",
        phrases: &["levels deep"],
    },
    Code {
        id: "C2F061",
        name: "page-file",
        explanation: "A script, stylesheet or page file could not be read or found as the server would serve it (missing, too big, not UTF-8, a link out of the tree, skipped by the source walk): it is not carried; the message gives the reason.",
        phrases: &["not found in the source tree", "skipped", "too big", "not utf-8", "missing", "not read", "symbolic link", "does not parse", "could not"],
    },
    Code {
        id: "C2F050",
        name: "backend",
        explanation: "The Forge app calls the app's backend (triggers, invokeRemote): each route must accept Forge Invocation Tokens instead of a Connect JWT. See the backend's to-do list (docs/forge-backend.md in the Forge app folder).",
        phrases: &["trigger", "webhook", "lifecycle", "endpoint", "invocation token", "remote"],
    },
];

/// The code of a finding.
pub fn of(d: &Diagnostic) -> &'static Code {
    let message = d.message.to_ascii_lowercase();
    CODES
        .iter()
        .find(|c| c.phrases.iter().any(|p| message.contains(p)))
        .unwrap_or(&OTHER)
}

/// The code with this id (`C2F024`, case-insensitive) or name (`context-parameter`).
pub fn find(id_or_name: &str) -> Option<&'static Code> {
    CODES
        .iter()
        .chain(std::iter::once(&OTHER))
        .find(|c| c.id.eq_ignore_ascii_case(id_or_name) || c.name == id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let mut ids: Vec<&str> = CODES.iter().map(|c| c.id).collect();
        let mut names: Vec<&str> = CODES.iter().map(|c| c.name).collect();
        for list in [&mut ids, &mut names] {
            let n = list.len();
            list.sort();
            list.dedup();
            assert_eq!(list.len(), n, "{list:?}");
        }
        for c in CODES {
            assert!(c.id.starts_with("C2F") && c.id.len() == 6, "{}", c.id);
            assert!(!c.phrases.is_empty(), "{}", c.id);
            assert!(
                c.phrases.iter().all(|p| *p == p.to_ascii_lowercase()),
                "{}",
                c.id
            );
        }
    }

    #[test]
    fn a_finding_takes_the_most_specific_code() {
        let d = |m: &str| Diagnostic::file_error("x", m);
        assert_eq!(
            of(&d("context parameter {macro.body} (m=) has no value")).id,
            "C2F024"
        );
        assert_eq!(
            of(&d(
                "Forge allows one jira:globalPage per app ...: this one becomes jira:fullPage"
            ))
            .id,
            "C2F027"
        );
        assert_eq!(
            of(&d(
                "Forge allows one jira:adminPage per app ...: this one stays on Connect"
            ))
            .id,
            "C2F026"
        );
        assert_eq!(
            of(&d("web item at \"x\" links to the app's page \"p\" (generalPages), which Forge shows ...: no module is made for the link (folded into that page)")).id,
            "C2F029"
        );
        assert_eq!(
            of(&d(
                "Forge allows one jira:projectPage per app and an earlier module (\"a\") has it: this one becomes a subpage of it"
            ))
            .id,
            "C2F089"
        );
        assert_eq!(of(&d("something nobody said before")).id, "C2F000");
        assert_eq!(find("c2f024").map(|c| c.name), Some("context-parameter"));
        assert_eq!(find("context-parameter").map(|c| c.id), Some("C2F024"));
    }
}
