// HARNESS SELF-TEST ONLY: builds, by hand, the Forge port of the ACE fixture's issue-watcher page,
// exactly in the ported resource layout the port stage will write (HELPERS.md), so the harness can
// be proved before connect2forge carries pages itself. Nothing here is the tool's output.
//
//   node tests/browser/handmade/make-ace.mjs [OUT]    (default /tmp/c2f-handmade)
//
// Writes OUT/static/issue-watcher/ (package.json, scripts/build.mjs, index.html, src/main.js,
// src/connect-compat.js rendered from templates/scaffold/src/connect-compat.js.hbs, page/...), then
// runs `npm install` and `npm run build` there. Prints the build folder.
import Handlebars from 'handlebars';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..', '..');
const APP = path.join(REPO, 'tests', 'fixtures', 'apps', 'ace');
const out = path.resolve(process.argv[2] || '/tmp/c2f-handmade');
const res = path.join(out, 'static', 'issue-watcher');

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

function write(rel, text) {
  const file = path.join(res, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function carry(from, to) {
  const file = path.join(res, to);
  mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync(path.join(APP, from), file);
}

rmSync(res, { recursive: true, force: true });
const data = {
  app: { key: 'com.example.issue-watcher', name: 'Issue Watcher' },
  module: {
    key: 'issue-watcher',
    forge_type: 'jira:issueViewBackgroundScript',
    connect_url: '/bg/issue-watcher?issueKey={issue.key}',
  },
};
write('src/connect-compat.js', renderTemplate('scaffold/src/connect-compat.js.hbs', data));
write('src/main.js', "import './connect-compat.js';\n");
write('package.json', `${JSON.stringify({
  name: 'issue-watcher', version: '1.0.0', private: true,
  scripts: { build: 'node scripts/build.mjs' },
  dependencies: { '@forge/bridge': '7.2.0' },
  devDependencies: { esbuild: '0.28.2' },
}, null, 2)}\n`);
write('scripts/build.mjs', `// Bundles src/main.js into build/main.js; copies index.html and page/ into build/.
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
`);
// views/issue-watcher.hbs inside views/layout.hbs: the <head> stylesheet, the <body> HTML, then
// main.js and the page's scripts in document order (all.js dropped; the inline block carried).
write('index.html', `<!DOCTYPE html>
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
`);
const view = readFileSync(path.join(APP, 'views', 'issue-watcher.hbs'), 'utf8');
const inline = view.match(/<script>\n([\s\S]*?)<\/script>/);
if (!inline) throw new Error('the fixture view lost its inline script');
write('page/issue-watcher.inline-1.js', inline[1]);
carry('public/js/jira-client.js', 'page/js/jira-client.js');
carry('public/js/issue-watcher.js', 'page/js/issue-watcher.js');
carry('public/css/addon.css', 'page/css/addon.css');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
execFileSync(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: res, stdio: 'inherit' });
execFileSync(npm, ['run', 'build', '--silent'], { cwd: res, stdio: 'inherit' });
console.log(path.join(res, 'build'));
