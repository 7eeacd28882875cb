#!/usr/bin/env node
// Real-browser equivalence of a Connect background page and its Forge port.
//
//   node tests/browser/equivalence.mjs --original <page> --ported <build dir> --scenario <file.json>
//
// Runs the ORIGINAL page in headless Chromium under a recording fake Connect host (hosts/connect-all.js
// served in place of all.js) and the PORTED build under a recording fake Forge host
// (hosts/forge-bridge.js, window.__bridge installed before the bundle runs), drives both through the
// scenario's steps, and compares the ordered, normalised effects: REST calls (method, path, body),
// emitted events, flags, navigations, reloads, issue-page refreshes, calls to the app's backend and
// uncaught page errors. Files are served through Playwright request routing only; any other request
// is refused and reported as an effect of its own (so it fails the comparison unless the scenario
// allows it). Exit codes: 0 equivalent, 1 different, 2 bad usage or setup, 3 (generic scenarios only) the original cannot run: a script it loads is not in the app's tree.
//
// Without --original, a scenario's `connect` list stands for the original's effects: what Connect
// did for a module that had no page (a web item linking elsewhere navigated there).
//
// --original accepts an HTML page (served as is: a static site, a Spring template) or an
// atlassian-connect-express view (`views/x.hbs`): the harness renders it into its layout
// (`{{!< layout}}` or views/layout.hbs, `{{{body}}}`) with handlebars, `{{hostScriptUrl}}` set to the
// fake all.js and every other value from the scenario's `templateValues`.
import { chromium } from 'playwright-core';
import Handlebars from 'handlebars';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ORIGINAL_ORIGIN = 'https://connect-app.test';
const PORTED_ORIGIN = 'https://forge-cdn.test';
const FAKE_ALL_JS = `${ORIGINAL_ORIGIN}/__connect2forge__/all.js`;
// Where pages load Atlassian's all.js from: all answered by the fake host.
const ALL_JS_URLS = [/^https:\/\/connect-cdn\.atl-paas\.net\/all(-debug)?\.js/, /\/atlassian-connect\/all(-debug)?\.js$/];
// Public CDN copies of libraries, answered from tests/browser/node_modules (no network).
const CDN = [
  [/^https:\/\/code\.jquery\.com\/jquery-3\.7\.1(\.min)?\.js$/, 'node_modules/jquery/dist/jquery.min.js'],
  [/^https:\/\/(cdnjs\.cloudflare\.com\/ajax\/libs\/jquery\/3\.7\.1|cdn\.jsdelivr\.net\/npm\/jquery@3\.7\.1\/dist|unpkg\.com\/jquery@3\.7\.1\/dist)\/jquery(\.min)?\.js$/, 'node_modules/jquery/dist/jquery.min.js'],
];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

class Usage extends Error {}

function parseArgs(argv) {
  const opts = { verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--original') opts.original = value();
    else if (a === '--original-root') opts.originalRoot = value();
    else if (a === '--original-map') opts.originalMap = value();
    else if (a === '--cdn-root') opts.cdnRoot = value();
    else if (a === '--ported') opts.ported = value();
    else if (a === '--scenario') opts.scenario = value();
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Usage(`unknown argument ${a}`);
  }
  if (opts.help) return opts;
  if (!opts.scenario) throw new Usage('--scenario is required');
  return opts;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** The file under `root` for a URL path, or null (never outside `root`). */
function fileUnder(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch (_) {
    return null; // not UTF-8 once decoded: a static file server finds no file
  }
  const file = path.resolve(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/**
 * The one file under `root` whose path differs from the URL path's only in case, or null: the
 * original's server may ignore case (Windows' and macOS' file systems do), and the app works
 * there; the port carries such a file under its own name (C2F110).
 */
function fileUnderIgnoringCase(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch (_) {
    return null;
  }
  let dir = root;
  const segments = rel.split('/').filter(Boolean);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  for (const seg of segments) {
    let names;
    try { names = readdirSync(dir); } catch (_) { return null; }
    const hits = names.filter((n) => n.toLowerCase() === seg.toLowerCase());
    if (hits.length !== 1) return null;
    dir = path.join(dir, hits[0]);
  }
  return dir !== root && existsSync(dir) && statSync(dir).isFile() ? dir : null;
}

/** The original page's HTML and the folder its local files are served from. */
function originalPage(opts, scenario) {
  const page = path.resolve(opts.original);
  if (!existsSync(page)) throw new Usage(`--original ${opts.original}: no such file`);
  if (opts.originalMap) return mappedPage(opts, page, scenario);
  const root = (opts.originalRoot && path.resolve(opts.originalRoot)) || staticRoot(page, scenario);
  let html = readFileSync(page, 'utf8');
  if (page.endsWith('.hbs')) html = renderAce(page, html, scenario);
  return { html, root };
}

/**
 * A page `connect2forge migrate --originals` wrote (already rendered into its layout), with its
 * original.json: each script and stylesheet the port resolved is served at the URL the browser
 * asks for it (its `src` as written, against the module URL) from its file in the app's tree;
 * every other GET under the app's origin from the app's static folders, as its server would; the
 * scripts the port took for all.js from the fake Connect host; a public-CDN library from the npm
 * package the port bundles for it (`--cdn-root`: a node_modules folder), so the library's
 * version is not what is measured. A script's resolved path may be absolute (a build's output),
 * and `urlPrefix` is the URL path the static folders are served under (default `/`).
 */
function mappedPage(opts, page, scenario) {
  const meta = JSON.parse(readFileSync(path.resolve(opts.originalMap), 'utf8'));
  const source = meta.sourceRoot;
  if (!source) throw new Usage(`--original-map ${opts.originalMap}: no sourceRoot`);
  const start = pageUrl(scenario);
  const files = new Map();
  const allJs = new Set();
  const at = (src) => { try { return new URL(src, start).href.split('#')[0]; } catch (_) { return null; } };
  for (const s of [...(meta.scripts || []), ...(meta.stylesheets || [])]) {
    const url = at(s.src || s.href || s.url || '');
    if (!url) continue;
    if (s.kind === 'all-js') allJs.add(url);
    else if (s.kind === 'local' && s.resolved) files.set(url, path.resolve(source, s.resolved.path));
    else if (s.kind === 'cdn' && opts.cdnRoot) {
      const file = packageFile(path.resolve(opts.cdnRoot), s.package);
      if (file) files.set(url, file);
    }
  }
  // The images, icons and media the markup shows, where the port found them (Django serves
  // `/static/x` from every app's static/ folder, which no single root gives).
  for (const a of meta.assets || []) {
    const url = a.resolved && at(a.url);
    if (url && !files.has(url)) files.set(url, path.join(source, a.resolved.path));
  }
  const roots = (meta.staticRoots || ['']).map((r) => path.resolve(source, r));
  let html = readFileSync(page, 'utf8');
  // Thymeleaf's own step, left to the server at run time: a literal link expression
  // `th:src="@{/js/x.js}"` (th:href) is sent as `src="/js/x.js"`.
  // A variable one (`th:src="@{${atlassianConnectAllJsUrl}}"`) that the port took for all.js is
  // sent as the all.js URL.
  if (meta.engine === 'thymeleaf') {
    for (const s of meta.scripts || []) {
      if (s.kind === 'all-js' && /^@\{.*\}$/.test(s.src || '')) html = html.split(`th:src="${s.src}"`).join(`src="${FAKE_ALL_JS}"`);
    }
  }
  // A link expression the port resolved (`@{${root} + '/js/x.js'}`: a root joined to a literal)
  // is sent as the path the port carried from; the tag's static fallback (`src="tbd"`), which
  // Thymeleaf replaces, goes.
  if (meta.engine === 'thymeleaf') {
    const resolved = new Map();
    for (const s of [...(meta.scripts || []), ...(meta.stylesheets || [])]) {
      const v = s.src || s.href;
      if (v && v.startsWith('@{') && s.resolved) resolved.set(v, `/${s.resolved.static_path}`);
    }
    html = html.replace(/<(script|link)\b([^>]*?)\sth:(src|href)="([^"]*)"([^>]*)>/gi, (tag, name, before, attr, value, after) => {
      const literal = /^@\{([^}"(]*)\}$/.exec(value);
      const url = resolved.get(value) || (literal ? literal[1] : null);
      if (url === null) return tag;
      const strip = (a) => a.replace(new RegExp(`\\s${attr}="[^"]*"`, 'gi'), '');
      return `<${name}${strip(before)} ${attr}="${url}"${strip(after)}>`;
    });
  }
  // A build's output served under a path of its own (Create React App's "homepage": `/ui/`).
  const prefix = meta.urlPrefix && meta.urlPrefix !== '/' ? meta.urlPrefix : null;
  return { html, root: null, roots, files, allJs, prefix };
}

/** The browser file of an installed npm package (its jsdelivr, unpkg, browser or main field). */
function packageFile(nodeModules, name) {
  const dir = path.join(nodeModules, name);
  let pkg;
  try { pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')); } catch (_) { return null; }
  for (const f of [pkg.jsdelivr, pkg.unpkg, typeof pkg.browser === 'string' ? pkg.browser : null, pkg.main, 'index.js']) {
    if (f && existsSync(path.join(dir, f)) && statSync(path.join(dir, f)).isFile()) return path.join(dir, f);
  }
  return null;
}

/**
 * Where the original's local files are served from: the folder the page's URL path is relative to
 * (a static site's www/bg/x.html for /bg/x.html), else the framework's static folder beside the
 * nearest views/ (ACE: public/) or templates/ (Spring: static/), else the page's folder.
 */
function staticRoot(page, scenario) {
  const urlPath = new URL(pageUrl(scenario)).pathname;
  const suffix = urlPath.split('/').filter(Boolean).join(path.sep);
  if (suffix && page.endsWith(path.sep + suffix)) return page.slice(0, page.length - suffix.length - 1);
  for (let dir = path.dirname(page); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const parent = path.dirname(dir);
    if (path.basename(dir) === 'views' && existsSync(path.join(parent, 'public'))) return path.join(parent, 'public');
    if (path.basename(dir) === 'templates' && existsSync(path.join(parent, 'static'))) return path.join(parent, 'static');
  }
  return path.dirname(page);
}

/** An atlassian-connect-express view rendered as express-hbs would: into its layout. */
function renderAce(page, view, scenario) {
  const values = { ...(scenario.templateValues || {}), hostScriptUrl: FAKE_ALL_JS };
  const hb = Handlebars.create();
  const body = hb.compile(view)(values);
  const named = view.match(/\{\{!<\s*([\w./-]+)\s*\}\}/);
  const layoutFile = path.join(path.dirname(page), `${named ? named[1] : 'layout'}.hbs`);
  if (!existsSync(layoutFile)) return body;
  return hb.compile(readFileSync(layoutFile, 'utf8'))({ ...values, body });
}

/** Whether the scenario's module is a Confluence one (its REST paths are under /wiki). */
function isConfluence(scenario) {
  const type = String((scenario.module && scenario.module.forgeType) || '');
  return type === 'macro' || type.startsWith('confluence:');
}

/**
 * Connect's page URL for the module: its url with `{issue.key}`-style variables (and a macro's
 * parameters) filled in, then the parameters Connect's host adds (xdm_e, xdm_c, cp, ...).
 */
function pageUrl(scenario) {
  const ctx = scenario.context || {};
  const vars = {
    'issue.key': ctx.issue && ctx.issue.key, 'issue.id': ctx.issue && ctx.issue.id,
    'project.key': ctx.project && ctx.project.key, 'project.id': ctx.project && ctx.project.id,
    'dashboard.id': ctx.dashboard && ctx.dashboard.id, 'dashboardItem.id': ctx.gadget && ctx.gadget.id,
    'page.id': ctx.content && ctx.content.id, 'content.id': ctx.content && ctx.content.id,
    'space.key': ctx.space && ctx.space.key, 'space.id': ctx.space && ctx.space.id,
    'macro.id': ctx.macro && ctx.macro.id,
    ...((scenario.macro && scenario.macro.params) || {}),
  };
  const url = new URL(((scenario.module && scenario.module.connectUrl) || '/').replace(/\{([\w.]+)\}/g,
    (_, k) => encodeURIComponent(vars[k] === undefined ? '' : vars[k])), ORIGINAL_ORIGIN);
  const host = {
    xdm_e: ctx.siteUrl || 'https://example.atlassian.net', xdm_c: `channel-${(scenario.module && scenario.module.key) || 'module'}`,
    cp: isConfluence(scenario) ? '/wiki' : '', xdm_deprecated_addon_key_do_not_use: scenario.appKey || 'com.example.app',
    lic: ctx.license && ctx.license.isActive ? 'active' : 'none', cv: '1001.0.0-SNAPSHOT', tz: ctx.timezone || '', loc: ctx.locale || '',
    user_id: '', jwt: scenario.connectJwt || 'header.payload.signature',
  };
  for (const [k, v] of Object.entries(host)) if (!url.searchParams.has(k)) url.searchParams.append(k, v);
  return url.href;
}

function findBackend(scenario, method, urlPath) {
  return (scenario.backend || []).find((b) => (b.method || 'GET').toUpperCase() === method && b.path === urlPath);
}

function bodyOf(reply) {
  if (reply.body === undefined) return '';
  return typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
}

/** Runs one side; returns the raw records and the [connect2forge] console lines. */
async function runSide(side, opts, scenario) {
  // A fresh profile per side: nothing cached or stored carries over from the other run.
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'c2f-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, serviceWorkers: 'block',
  });
  try {
    return await drive(context, side, opts, scenario);
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function drive(context, side, opts, scenario) {
  const records = [];
  const consoleLines = [];
  let lastActivity = Date.now();
  const push = (r) => { records.push(r); lastActivity = Date.now(); };
  await context.exposeBinding('__record', (_, r) => push(r));
  await context.addInitScript({ content: `window.__scenario = ${JSON.stringify(scenario)};` });
  const original = side === 'original' ? originalPage(opts, scenario) : null;
  let portedRoot = null;
  if (side === 'ported') {
    portedRoot = path.resolve(opts.ported);
    if (existsSync(path.join(portedRoot, 'build', 'index.html'))) portedRoot = path.join(portedRoot, 'build');
    if (!existsSync(path.join(portedRoot, 'index.html'))) throw new Usage(`--ported ${opts.ported}: no index.html (give the built resource folder, static/<res>/build)`);
    await context.addInitScript({ path: path.join(HERE, 'hosts', 'forge-bridge.js') });
  }
  const startUrl = side === 'original' ? pageUrl(scenario) : `${PORTED_ORIGIN}/index.html`;

  await context.route('**/*', async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const method = req.method().toUpperCase();
    lastActivity = Date.now();
    const fulfilFile = (file) => route.fulfill({ status: 200, contentType: contentType(file), body: readFileSync(file) });
    if (side === 'original') {
      if (req.url() === FAKE_ALL_JS || ALL_JS_URLS.some((re) => re.test(req.url())) || (original.allJs && original.allJs.has(req.url().split('#')[0]))) {
        return fulfilFile(path.join(HERE, 'hosts', 'connect-all.js'));
      }
      const cdn = CDN.find(([re]) => re.test(req.url()));
      if (cdn && existsSync(path.join(HERE, cdn[1]))) return fulfilFile(path.join(HERE, cdn[1]));
      const mapped = original.files && method === 'GET' && original.files.get(req.url().split('#')[0]);
      if (mapped && existsSync(mapped)) return fulfilFile(mapped);
      if (url.origin === ORIGINAL_ORIGIN) {
        if (method === 'GET' && url.href === startUrl) return route.fulfill({ status: 200, contentType: 'text/html', body: original.html });
        const roots = original.roots || [original.root];
        const under = original.prefix && url.pathname.startsWith(original.prefix) ? url.pathname.slice(original.prefix.length - 1) : url.pathname;
        const file = method === 'GET' && (roots.map((r) => fileUnder(r, under)).find(Boolean)
          || roots.map((r) => fileUnderIgnoringCase(r, under)).find(Boolean));
        if (file) return fulfilFile(file);
        const backend = findBackend(scenario, method, url.pathname + url.search);
        if (backend) {
          push({ host: 'connect', api: 'backend', method, path: url.pathname + url.search });
          return route.fulfill({ status: backend.status || 200, contentType: 'application/json', body: bodyOf(backend) });
        }
        // A generic scenario (the real-app measure): a script the markup loads that the app's
        // tree does not have (a build output) means the original cannot run as its server ran
        // it; any other request is the app's backend, recorded and answered 404, as no canned
        // reply is known.
        if (scenario.anyBackend && method === 'GET' && LOADS.has(req.resourceType())) {
          push({ host: 'connect', api: 'missing-file', path: url.pathname, type: req.resourceType() });
          return route.fulfill({ status: 404, contentType: 'text/plain', body: '' });
        }
        if (scenario.anyBackend) {
          push({ host: 'connect', api: 'backend', method, path: url.pathname + url.search });
          return route.fulfill({ status: 404, contentType: 'application/json', body: '{}' });
        }
      }
    } else if (url.origin === PORTED_ORIGIN && method === 'GET') {
      const file = fileUnder(portedRoot, url.pathname);
      if (file) return fulfilFile(file);
      // A generic scenario: a file the resource does not have is named by its path, as the
      // original's missing files are (both sides asked for the same relative URL).
      if (scenario.anyBackend && LOADS.has(req.resourceType())) {
        push({ host: side, api: 'missing-file', path: url.pathname, type: req.resourceType() });
        return route.fulfill({ status: 404, contentType: 'text/plain', body: '' });
      }
    }
    push({ host: side, api: 'refused', method, url: req.url(), type: req.resourceType() });
    return route.abort('blockedbyclient');
  });

  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => push({ host: side, api: 'pageerror', message: String(e.message).split('\n')[0] }));
  page.on('console', (m) => {
    if (m.text().startsWith('[connect2forge]')) consoleLines.push(`${m.type()}: ${m.text()}`);
    else if (opts.verbose) consoleLines.push(`(page ${m.type()}) ${m.text()}`);
  });
  const settle = async () => {
    const start = Date.now();
    while (Date.now() - lastActivity < 300 && Date.now() - start < 10000) await page.waitForTimeout(50);
  };

  for (const step of scenario.steps || [{ load: true }]) {
    try {
      await runStep(step);
    } catch (e) {
      // A generic scenario (the real-app measure): the page's own error in a step (a listener
      // the host calls throws) is the page's behaviour, recorded as its uncaught error, in the
      // form Chromium gives an uncaught error (its message, without the error's name).
      if (!scenario.anyBackend || e instanceof Usage) throw e;
      push({ host: side, api: 'pageerror', message: String(e.message).replace(/^page\.evaluate: /, '').replace(/^[A-Z][A-Za-z]*Error: /, '').split('\n')[0] });
    }
    lastActivity = Date.now();
    await settle();
  }
  return { records, consoleLines };

  async function runStep(step) {
    if (step.load) {
      await page.goto(startUrl, { waitUntil: 'load' });
    } else if (step.issueChanged !== undefined) {
      if (side === 'original') await page.evaluate((p) => window.__deliverConnectEvent('ISSUE_CHANGED', [p]), step.issueChanged);
      else await page.evaluate((p) => window.__deliverForgeEvent('JIRA_ISSUE_CHANGED', p), step.issueChanged);
    } else if (step.press) {
      // The user presses a dialog button: Connect's chrome, or the one the layer drew.
      if (side === 'original') await page.evaluate((n) => window.__pressConnectButton(n), step.press);
      else {
        const pressed = await page.locator(`[data-connect2forge-button="${step.press}"]`).click({ timeout: 3000 }).then(() => true, () => false);
        if (!pressed) push({ host: side, api: 'step-failed', step });
      }
    } else if (step.editGadget) {
      // The user edits a dashboard item: Connect tells the page; Forge rendered its edit entry point.
      if (side === 'original') await page.evaluate(() => window.__connectEditGadget());
    } else if (step.closeDialog !== undefined) {
      // The dialog the page opened closes with this data (if the page opened one).
      const closer = side === 'original' ? '__closeConnectDialog' : '__closeForgeModal';
      const closed = await page.evaluate(([f, d]) => (typeof window[f] === 'function' ? (window[f](d), true) : false), [closer, step.closeDialog]);
      if (!closed) push({ host: side, api: 'step-failed', step });
    } else if (step.route !== undefined) {
      // The user picks another page in the module's sidebar: Connect's host loads that page's
      // URL (step.connectUrl); Forge's changes the route, which the page shown follows.
      if (side === 'original') {
        const other = { ...scenario, module: { ...(scenario.module || {}), connectUrl: step.connectUrl } };
        await page.goto(pageUrl(other), { waitUntil: 'load' });
      } else {
        const routed = await page.evaluate((p) => (typeof window.__forgeRoute === 'function' ? (window.__forgeRoute(p), true) : false), step.route);
        if (!routed) push({ host: side, api: 'step-failed', step });
      }
    } else if (step.appEvent) {
      // An event another module of the app emits (one payload: Forge events carry one).
      if (side === 'original') await page.evaluate(([n, p, pub]) => window.__deliverConnectEvent(n, p === undefined ? [] : [p], pub), [step.appEvent, step.payload, !!step.public]);
      else await page.evaluate(([n, p, pub]) => window.__deliverForgeEvent(n, p, pub), [step.appEvent, step.payload, !!step.public]);
    } else {
      throw new Usage(`scenario step ${JSON.stringify(step)}: expected load, issueChanged, appEvent, press, editGadget, closeDialog or route`);
    }
  }
}

function parsedBody(body) {
  if (body === null || body === undefined || body === '') return null;
  try {
    return JSON.parse(body);
  } catch (_) {
    return body;
  }
}

/** Connect navigator targets as the Forge router locations they mean. */
function connectLocation(target, c) {
  switch (target) {
    case 'issue': return { target: 'issue', issueKey: String(c.issueKey) };
    case 'dashboard': return { target: 'dashboard', dashboardId: String(c.dashboardId) };
    case 'projectAdminSummary': return { target: 'projectSettingsDetails', projectKey: String(c.projectKey) };
    case 'userProfile': return { target: 'userProfile', accountId: String(c.userAccountId) };
    case 'site': return c.relativeUrl !== undefined ? { url: c.relativeUrl } : { url: c.absoluteUrl };
    case 'contentview': return { target: 'contentView', contentId: String(c.contentId) };
    case 'contentedit': return { target: 'contentEdit', contentId: String(c.contentId) };
    case 'spaceview': return { target: 'spaceView', spaceKey: String(c.spaceKey) };
    case 'contentlist': return { target: 'contentList', spaceKey: String(c.spaceKey), contentType: String(c.contentType) };
    case 'addonModule': return { target: 'module', moduleKey: String(c.moduleKey) };
    default: return { connectTarget: target, context: c };
  }
}

// Forge events carry one payload; the compatibility layer wraps several Connect arguments.
function forgeArgs(payload) {
  if (payload && typeof payload === 'object' && Array.isArray(payload['connect2forge.args'])) return payload['connect2forge.args'];
  return payload === undefined ? [] : [payload];
}

/** Connect's create-issue parameters as the fields Forge's CreateIssueModal context holds. */
function createIssueFields(p) {
  const fields = { ...((p && p.fields) || {}) };
  if (typeof fields.description === 'string') {
    fields.description = { type: 'doc', version: 1, content: fields.description.split('\n').map((t) => (t ? { type: 'paragraph', content: [{ type: 'text', text: t }] } : { type: 'paragraph' })) };
  }
  const out = { ...fields };
  if (p && p.pid !== undefined) out.projectId = String(p.pid);
  if (p && p.issueType !== undefined) out.issueTypeId = String(p.issueType);
  return out;
}

/** One host's raw record as the effect it has on the product, or null (no effect). */
function normalise(r, scenario) {
  const a = r.api;
  const dialogs = scenario.dialogs || [];
  if (r.host === 'connect') {
    if (a === 'request') {
      const path = isConfluence(scenario) && r.path.startsWith('/rest/') ? `/wiki${r.path}` : r.path;
      return { kind: 'rest', method: r.method, path, body: parsedBody(r.body) };
    }
    if (a === 'messages') return { kind: 'message', type: r.type === 'generic' || r.type === 'hint' ? 'info' : r.type, title: r.title };
    if (a === 'dialog.close') return { kind: 'close', data: r.data };
    if (a === 'confluence.saveMacro') return { kind: 'macroSaved', params: r.params };
    if (a === 'confluence.closeMacroEditor') return { kind: 'close', data: null };
    if (a === 'jira.openCreateIssueDialog') return { kind: 'createIssue', fields: createIssueFields(r.params) };
    if (a === 'jira.setDashboardItemTitle') return { kind: 'gadgetTitle', title: r.title };
    if (a === 'events.emit' || a === 'events.emitPublic') return { kind: a === 'events.emit' ? 'emit' : 'emitPublic', event: r.event, args: r.args };
    if (a === 'flag.create') return { kind: 'flag', title: r.title, type: r.type };
    if (a === 'navigator.go') return { kind: 'navigate', ...connectLocation(r.target, r.context) };
    if (a === 'navigator.reload') return { kind: 'reload' };
    if (a === 'jira.refreshIssuePage') return { kind: 'refreshIssuePage' };
    if (a === 'dialog.create') return { kind: 'dialog', key: r.key, customData: r.customData };
    if (a === 'backend') return { kind: 'backend', method: r.method, path: r.path };
    if (a === 'flag.close') return null;
  } else if (r.host === 'forge') {
    if (a === 'fetchProduct') return { kind: 'rest', method: r.method, path: r.path, body: parsedBody(r.body) };
    if (a === 'emit' || a === 'emitPublic') return { kind: a, event: r.event, args: forgeArgs(r.payload) };
    if (a === 'showFlag' && String(r.id).startsWith('connect2forge-message-')) return { kind: 'message', type: r.type, title: r.title || null };
    if (a === 'showFlag') return { kind: 'flag', title: r.title, type: r.type };
    if (a === 'close') return { kind: 'close', data: r.payload };
    if (a === 'submit') {
      // A macro editor's save is view.submit({ config }): the parameters saved, then closed.
      if (r.payload && r.payload.config !== undefined) return [{ kind: 'macroSaved', params: r.payload.config }, { kind: 'close', data: null }];
      return { kind: 'submit', payload: r.payload };
    }
    if (a === 'openIssueCreateModal') return { kind: 'createIssue', fields: r.context };
    if (a === 'navigate') {
      const { type: _tab, url, ...location } = r.location || {};
      return url !== undefined ? { kind: 'navigate', url } : { kind: 'navigate', ...location };
    }
    if (a === 'reload') return { kind: 'reload' };
    if (a === 'refresh') return { kind: 'refreshIssuePage' };
    if (a === 'openModal') {
      const dialog = dialogs.find((d) => d.resource === r.resource);
      return { kind: 'dialog', key: dialog ? dialog.key : r.resource, customData: r.context };
    }
    if (a === 'fetchRemote' || a === 'invoke') return { kind: 'backend', via: a };
    if (a === 'closeFlag') return null;
    if (a === 'unknown') return { kind: 'unknown-bridge-call', name: r.name };
  }
  if (a === 'missing-file') return { kind: 'missing-file', path: r.path, type: r.type };
  if (a === 'refused') return scenario.loadsUnordered ? { kind: 'refused', method: r.method, url: r.url, type: r.type } : { kind: 'refused', method: r.method, url: r.url };
  if (a === 'step-failed') return { kind: 'step-failed', step: r.step };
  if (a === 'pageerror') return { kind: 'pageerror', message: r.message };
  return { kind: 'unrecognised', record: r };
}

// What the markup loads (scripts, stylesheets, images, fonts): the browser fetches them in an
// order of its own (its preload scanner), not the page's.
const LOADS = new Set(['script', 'stylesheet', 'image', 'font', 'media']);

/**
 * With `loadsUnordered` (the generic real-app scenarios), the refused loads of the markup are
 * compared as one sorted list at the end instead of in fetch order: the same files must be asked
 * for, each as often, but the browser's fetch scheduling is not the page's behaviour. The page's
 * uncaught errors are compared as their own list, in their order: the fake Connect host records
 * a call the moment the page makes it, in the page's task, while both real hosts receive it by
 * postMessage after that task (all.js, and @forge/bridge after its own awaits), so where an error
 * falls among the host's records is the fake host's doing, not the page's. Every other effect
 * keeps its order.
 */
function ordered(effects, scenario) {
  if (!scenario.loadsUnordered) return effects;
  const isLoad = (e) => (e.kind === 'refused' || e.kind === 'missing-file') && LOADS.has(e.type);
  const loads = effects.filter(isLoad).map((e) => (e.kind === 'refused' ? `${e.method} ${e.url}` : `GET ${e.path} (no such file)`)).sort();
  const errors = effects.filter((e) => e.kind === 'pageerror').map((e) => e.message);
  const rest = effects.filter((e) => !isLoad(e) && e.kind !== 'pageerror');
  return [
    ...rest,
    ...(errors.length ? [{ kind: 'page errors', messages: errors }] : []),
    ...(loads.length ? [{ kind: 'loads refused', urls: loads }] : []),
  ];
}

/** Key order fixed, so that equal effects print (and compare) equal. */
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

const show = (e) => JSON.stringify(canonical(e));

/** Whether `effect` has every field of `pattern` (a scenario's allowed difference). */
function matches(effect, pattern) {
  return Object.entries(pattern).every(([k, v]) => (v && typeof v === 'object')
    ? effect[k] !== undefined && show(effect[k]) === show(v)
    : effect[k] === v);
}

/** A line diff (LCS) of two effect lists: [' ' | '-' | '+', text]. */
function diff(a, b) {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push([' ', a[i]]); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push(['-', a[i++]]);
    else out.push(['+', b[j++]]);
  }
  while (i < n) out.push(['-', a[i++]]);
  while (j < m) out.push(['+', b[j++]]);
  return out;
}

/** Without --ported: the original's effects, to write a scenario; fails on refused requests and page errors. */
function originalOnly(scenario, original) {
  const allowed = (scenario.allowedDifferences || []).filter((d) => d.only === 'original');
  const effects = original.records.flatMap((r) => normalise(r, scenario)).filter(Boolean);
  const bad = effects.filter((e) => (e.kind === 'refused' || e.kind === 'pageerror') && !allowed.some((d) => matches(e, d.effect)));
  console.log(`ORIGINAL ONLY: ${scenario.name || ''} (${effects.length} effects${bad.length ? `, ${bad.length} failures` : ''})`);
  for (const e of effects) console.log(`  ${bad.includes(e) ? 'FAILURE ' : ''}${show(e)}`);
  for (const l of original.consoleLines) console.log(`  console ${l}`);
  return bad.length ? 1 : 0;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`equivalence: ${e.message}`);
    return 2;
  }
  if (opts.help) {
    console.log('usage: node tests/browser/equivalence.mjs --original <page.html | views/x.hbs> [--original-root DIR] [--ported <static/<res>/build>] --scenario <file.json> [--verbose]');
    return 0;
  }
  const scenario = JSON.parse(readFileSync(opts.scenario, 'utf8'));
  if (!existsSync(CHROMIUM)) {
    console.error(`equivalence: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`);
    return 2;
  }
  // A module with no Connect page of its own (a web item that linked elsewhere): what Connect
  // did is the scenario's `connect` list of effects, written from the descriptor.
  if (!opts.original && !scenario.connect) throw new Usage('--original is required (or a scenario whose `connect` lists what Connect did)');
  if (!opts.original && !opts.ported) throw new Usage('--ported is required with a scenario\'s `connect` effects');
  const original = opts.original ? await runSide('original', opts, scenario) : { records: [], consoleLines: [] };
  if (!opts.ported) return originalOnly(scenario, original);
  // The real-app measure: an original whose own scripts are not in the tree is not run.
  // A script the port's review names as not in the tree too (`missingToo`) is missing on both
  // sides: the original runs without it, as the port does.
  const bare = (p) => { try { return decodeURIComponent(p).replace(/^(\.\/|\/)+/, ''); } catch (_) { return p; } };
  const alsoMissing = (p) => (scenario.missingToo || []).some((m) => bare(m) === bare(p));
  const missing = original.records
    .filter((r) => r.api === 'missing-file' && r.type === 'script' && !alsoMissing(r.path))
    .map((r) => r.path);
  if (scenario.anyBackend && missing.length) {
    console.log(`CANNOT RUN: the original page loads ${missing.join(', ')}, not in the app's tree (a build output?)`);
    return 3;
  }
  const ported = await runSide('ported', opts, scenario);

  const allowed = scenario.allowedDifferences || [];
  const known = [];
  const effects = (side, records) => records
    .filter((r) => !(side === 'original' && r.api === 'missing-file' && r.type === 'script' && alsoMissing(r.path)))
    .flatMap((r) => normalise(r, scenario)).filter(Boolean).filter((e) => {
    const allow = allowed.find((d) => d.only === side && matches(e, d.effect));
    if (allow) known.push(`${side} only: ${show(e)}  (${allow.why})`);
    return !allow;
  });
  const a = opts.original ? ordered(effects('original', original.records), scenario).map(show) : scenario.connect.map(show);
  const b = ordered(effects('ported', ported.records), scenario).map(show);
  const same = a.length === b.length && a.every((x, i) => x === b[i]);

  const name = scenario.name || path.basename(opts.scenario);
  console.log(`${same ? 'EQUIVALENT' : 'DIFFERENT'}: ${name} (${a.length} effects original, ${b.length} ported)`);
  if (same || opts.verbose) for (const e of a) console.log(`  ${e}`);
  for (const k of known) console.log(`  known difference, ${k}`);
  if (ported.consoleLines.length) {
    console.log('  ported console:');
    for (const l of ported.consoleLines) console.log(`    ${l}`);
  }
  if (opts.verbose && original.consoleLines.length) {
    console.log('  original console:');
    for (const l of original.consoleLines) console.log(`    ${l}`);
  }
  if (!same) {
    console.log('--- original (Connect)\n+++ ported (Forge)');
    for (const [mark, text] of diff(a, b)) console.log(`${mark} ${text}`);
  }
  return same ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(`equivalence: ${e instanceof Usage ? e.message : e.stack || e}`);
  process.exitCode = 2;
});
