// HARNESS SELF-TEST ONLY: builds, by hand, the Forge port of a fixture app's background page,
// exactly in the ported resource layout the port stage will write (HELPERS.md), so the harness can
// be proved before connect2forge carries pages itself. Nothing here is the tool's output.
//
//   node tests/browser/handmade/make.mjs <ace|spring|static|tour> [OUT]    (OUT default /tmp/c2f-handmade)
//
// Writes OUT/<fixture>/static/<res>/ (package.json, scripts/build.mjs, index.html, src/main.js,
// src/connect-compat.js and src/connect-compat/*.js rendered from templates/scaffold/src/, page/...), then
// runs `npm install` and `npm run build` there, and prints the build folder.
import Handlebars from 'handlebars';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..', '..');

// What the port stage plans for each page, written out by hand. `inline` takes the n-th inline
// <script> block of a page file; `carry` copies a file verbatim.
export const PORTS = {
  ace: {
    app: { key: 'com.example.issue-watcher', name: 'Issue Watcher' },
    module: { key: 'issue-watcher', forge_type: 'jira:issueViewBackgroundScript', connect_url: '/bg/issue-watcher?issueKey={issue.key}' },
    root: 'examples/ace-app',
    resource: 'issue-watcher',
    files: [
      ['inline', 'views/issue-watcher.hbs', 1, 'page/issue-watcher.inline-1.js'],
      ['carry', 'public/js/jira-client.js', 'page/js/jira-client.js'],
      ['carry', 'public/js/issue-watcher.js', 'page/js/issue-watcher.js'],
      ['carry', 'public/css/addon.css', 'page/css/addon.css'],
    ],
    npm: {},
    // views/issue-watcher.hbs inside views/layout.hbs: the <head> stylesheet, the <body> HTML, then
    // main.js and the page's scripts in document order (all.js dropped; the inline block carried).
    index: `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Issue Watcher</title>
  <link rel="stylesheet" href="./page/css/addon.css" type="text/css">
</head>
<body>
  <section id="content" class="ac-content">
    <div id="watcher-status" data-issue="{{issueKey}}">Watching…</div>
  </section>
  <script src="./main.js"></script>
  <script src="./page/issue-watcher.inline-1.js"></script>
  <script src="./page/js/jira-client.js"></script>
  <script src="./page/js/issue-watcher.js"></script>
</body>
</html>
`,
  },
  spring: {
    app: { key: 'com.example.triage-helper', name: 'Triage Helper' },
    module: { key: 'triage-bg', forge_type: 'jira:issueViewBackgroundScript', connect_url: '/connect/background/triage' },
    root: 'tests/fixtures/apps/spring/src/main/resources',
    resource: 'triage-bg',
    files: [
      ['carry', 'static/js/triage-api.js', 'page/js/triage-api.js'],
      ['carry', 'static/js/triage.js', 'page/js/triage.js'],
    ],
    npm: {},
    index: `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Triage Helper</title>
</head>
<body>
  <div id="triage-state" hidden>idle</div>
  <script src="./main.js"></script>
  <script src="./page/js/triage-api.js"></script>
  <script src="./page/js/triage.js"></script>
</body>
</html>
`,
  },
  static: {
    app: { key: 'com.example.overdue-counter', name: 'Overdue Counter' },
    module: { key: 'overdue-counter', forge_type: 'jira:dashboardBackgroundScript', connect_url: '/bg/overdue.html' },
    root: 'tests/fixtures/apps/static',
    resource: 'overdue-counter',
    files: [
      ['inline', 'www/bg/overdue.html', 1, 'page/overdue.inline-1.js'],
      ['carry', 'www/js/overdue.js', 'page/js/overdue.js'],
      ['carry', 'www/css/bg.css', 'page/css/bg.css'],
    ],
    // The CDN jQuery becomes an npm dependency, bundled into main.js under the page's globals.
    npm: { jquery: '3.7.1' },
    index: `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Overdue counter</title>
  <link rel="stylesheet" href="./page/css/bg.css">
</head>
<body>
  <p id="summary">Counting…</p>
  <script src="./main.js"></script>
  <script src="./page/overdue.inline-1.js"></script>
  <script src="./page/js/overdue.js"></script>
</body>
</html>
`,
  },
  // Not fixture apps: self-test pages for the page's URL and AMD modules, a dialog's page, a macro
  // editor and a dashboard gadget's edit mode.
  'url-panel': page('url-panel', { key: 'url-panel', forge_type: 'jira:issuePanel', connect_url: '/panel.html?issueKey={issue.key}&projectKey={project.key}&mode=compact' },
    ['js/params.js', 'js/modules.js', 'js/panel.js'], '<p id="status">Loading</p>', [{ key: 'pick-user', resource: 'pick-user-res' }]),
  dialog: page('dialog', { key: 'pick-user', forge_type: 'jira:issuePanel', entry: 'modal', connect_url: '/dialog.html' },
    ['dialog.js'], '<select id="choice"><option value="alice">Alice</option><option value="bob" selected>Bob</option></select>'),
  'macro-editor': page('macro-editor', { key: 'chart', forge_type: 'macro', entry: 'config', connect_url: '/editor.html?pageId={page.id}' },
    ['editor.js'], '<input id="color" value="">'),
  gadget: page('gadget', { key: 'open-issues', forge_type: 'jira:dashboardGadget', connect_url: '/gadget.html?dashboardId={dashboard.id}&dashboardItemId={dashboardItem.id}' },
    ['gadget.js'], '<div id="view">Loading</div>'),
  // Not a fixture app: the self-test page that walks the whole support table (api-tour/).
  tour: {
    app: { key: 'com.example.api-tour', name: 'AP tour' },
    module: { key: 'api-tour', forge_type: 'jira:issueViewBackgroundScript', connect_url: '/tour.html' },
    root: 'tests/browser/handmade/api-tour',
    resource: 'api-tour',
    files: [['carry', 'tour.js', 'page/tour.js']],
    npm: {},
    index: `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>AP tour</title>
</head>
<body>
  <script src="./main.js"></script>
  <script src="./page/tour.js"></script>
</body>
</html>
`,
  },
};

/** A hand-made page under handmade/NAME: its scripts carried under page/, in order. */
function page(name, module, scripts, body, dialogs) {
  return {
    app: { key: `com.example.${name}`, name },
    module,
    root: `tests/browser/handmade/${name}`,
    resource: module.key,
    files: scripts.map((s) => ['carry', s, `page/${s}`]),
    npm: {},
    dialogs: dialogs || [],
    index: `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${name}</title>
</head>
<body>
  ${body}
  <script src="./main.js"></script>
${scripts.map((s) => `  <script src="./page/${s}"></script>`).join('\n')}
</body>
</html>
`,
  };
}

/** The json helper of src/render.rs (json_literal): a JSON literal safe inside <script>. */
function jsonLiteral(v) {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Renders a scaffold template as connect2forge does: strict mode, no HTML escaping, `json`. */
export function renderTemplate(name, data) {
  const hb = Handlebars.create();
  hb.registerHelper('json', (v) => new hb.SafeString(jsonLiteral(v)));
  const text = readFileSync(path.join(REPO, 'templates', name), 'utf8');
  return hb.compile(text, { strict: true, noEscape: true })(data);
}

/** The compatibility layer's templates (connect-compat.js and its parts) and the files they make. */
export function compatTemplates() {
  const parts = readdirSync(path.join(REPO, 'templates', 'scaffold', 'src', 'connect-compat'))
    .filter((f) => f.endsWith('.js.hbs')).sort()
    .map((f) => [`scaffold/src/connect-compat/${f}`, `src/connect-compat/${f.replace(/\.hbs$/, '')}`]);
  return [['scaffold/src/connect-compat.js.hbs', 'src/connect-compat.js'], ...parts];
}

const BUILD_MJS = `// Bundles src/main.js into build/main.js; copies index.html and page/ into build/.
import { build } from 'esbuild';
import { cp, copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'build');
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  absWorkingDir: root, entryPoints: ['src/main.js'], outfile: 'build/main.js', bundle: true,
  format: 'iife', platform: 'browser', target: 'es2020', minify: true, sourcemap: false, logLevel: 'warning'
});
await copyFile(path.join(root, 'index.html'), path.join(outdir, 'index.html'));
await cp(path.join(root, 'page'), path.join(outdir, 'page'), { recursive: true });
`;

/** Builds the port of `name` under `out`; returns its build folder. */
export function make(name, out) {
  const plan = PORTS[name];
  if (!plan) throw new Error(`no hand-made port for ${name}; choose from ${Object.keys(PORTS).join(', ')}`);
  const res = path.join(out, name, 'static', plan.resource);
  const app = path.join(REPO, plan.root);
  const write = (rel, text) => {
    mkdirSync(path.dirname(path.join(res, rel)), { recursive: true });
    writeFileSync(path.join(res, rel), text);
  };
  // A fresh resource folder, but node_modules kept: a rebuild need not download again.
  if (existsSync(res)) {
    for (const entry of readdirSync(res)) if (entry !== 'node_modules') rmSync(path.join(res, entry), { recursive: true, force: true });
  }
  for (const [template, file] of compatTemplates()) {
    // A hand-made port is a carried page, not a front-end project's shell (no routed path).
    write(file, renderTemplate(template, { app: plan.app, module: { entry: 'main', ...plan.module }, dialogs: plan.dialogs || [], port: { routed: false } }));
  }
  let main = "import './connect-compat.js';\n";
  if (plan.npm.jquery) main += "import jquery from 'jquery';\nwindow.$ = window.jQuery = jquery;\n";
  write('src/main.js', main);
  write('package.json', `${JSON.stringify({
    name: plan.resource, version: '1.0.0', private: true,
    scripts: { build: 'node scripts/build.mjs' },
    dependencies: { '@forge/bridge': '7.2.0', '@forge/jira-bridge': '0.40.1', ...plan.npm },
    devDependencies: { esbuild: '0.28.2' },
  }, null, 2)}\n`);
  write('scripts/build.mjs', BUILD_MJS);
  write('index.html', plan.index);
  for (const [how, from, ...rest] of plan.files) {
    if (how === 'carry') {
      mkdirSync(path.dirname(path.join(res, rest[0])), { recursive: true });
      copyFileSync(path.join(app, from), path.join(res, rest[0]));
    } else {
      const [n, to] = rest;
      const blocks = [...readFileSync(path.join(app, from), 'utf8').matchAll(/<script>\n?([\s\S]*?)<\/script>/g)];
      if (!blocks[n - 1]) throw new Error(`${from} has no inline script ${n}`);
      write(to, blocks[n - 1][1]);
    }
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: res, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(npm, ['run', 'build', '--silent'], { cwd: res, stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(res, 'build');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, out] = process.argv.slice(2);
  console.log(make(name, path.resolve(out || '/tmp/c2f-handmade')));
}
