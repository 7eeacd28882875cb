// The tool's own ports in a real browser: for each fixture Connect app, connect2forge migrates it
// (a real run into a temp folder), each carried resource is built with `npm install && npm run
// build`, and the equivalence harness runs the ORIGINAL page under the fake Connect host and the
// PORTED build under the fake Forge host: the ordered effects must be the same. Last, every
// migrated app goes through Atlassian's validator (../shared/tools/forge-validate).
//
//   node tests/browser/tool.mjs PATH/TO/connect2forge [--only APP,...]
//
// Exit 0 when every page is equivalent; 1 otherwise (each difference is printed).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BROWSER = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BROWSER, '..', '..');
const APPS = path.join(REPO, 'tests', 'fixtures', 'apps');
// The ACE app is the README's bundled example; the other apps are test fixtures.
const appDir = (c) => (c.app === 'ace' ? path.join(REPO, 'examples', 'ace-app') : path.join(APPS, c.app));
const [bin, ...flags] = process.argv.slice(2);
if (!bin) {
  console.error('usage: node tests/browser/tool.mjs PATH/TO/connect2forge [--only APP,...]');
  process.exit(2);
}
// `--only issue-view,static`: just those fixture apps (to try one app while writing it).
const onlyAt = flags.indexOf('--only');
const only = onlyAt >= 0 ? new Set((flags[onlyAt + 1] || '').split(',')) : null;

// input (relative to the app), then each page: resource, original page file, scenario.
const CASES = [
  { app: 'ace', input: 'atlassian-connect.json', pages: [
    ['issue-watcher', 'views/issue-watcher.hbs', 'ace-issue-watcher.json'],
    ['team-dashboard-refresh', 'views/dashboard-refresh.hbs', 'ace-dashboard-refresh.json'],
  ] },
  { app: 'spring', input: 'src/main/resources/atlassian-connect.json', pages: [
    ['triage-bg', 'src/main/resources/templates/background/triage.html', 'spring-triage.json'],
  ] },
  { app: 'static', input: 'atlassian-connect.json', pages: [
    ['overdue-counter', 'www/bg/overdue.html', 'static-overdue.json'],
  ] },
  // The issue-view family: an issue content, an issue glance and an issue action (issue 16).
  { app: 'issue-view', input: 'atlassian-connect.json', pages: [
    ['risk-notes', 'www/notes.html', 'issue-view-notes.json'],
    ['risk-glance', 'www/glance.html', 'issue-view-glance.json'],
    ['flag-risk', 'www/flag.html', 'issue-view-flag.json'],
  ] },
  // A Confluence macro's custom editor: Save (saveMacro + closeMacroEditor) is view.submit({ config }).
  { app: 'confluence-macro', input: 'atlassian-connect.json', pages: [
    ['status-badge-editor', 'www/macro/editor.html', 'confluence-macro-editor.json'],
  ] },
  // The pages family: a general page opening a dialog (AP.dialog.create), an admin page, a
  // configure page, two project pages (the second a subpage of the first), and the dialog itself.
  { app: 'team-hub', input: 'atlassian-connect.json', pages: [
    ['team-hub', 'www/hub.html', 'team-hub-general.json'],
    ['hub-admin', 'www/admin.html', 'team-hub-admin.json'],
    ['hub-configure', 'www/configure.html', 'team-hub-configure.json'],
    ['hub-project', 'www/project.html', 'team-hub-project.json'],
    // The second project page: a subpage of hub-project, in its resource, reached through the router.
    ['hub-project', 'www/releases.html', 'team-hub-releases.json'],
    // Its own page first, then the sidebar's route change to the second: the page shown follows it.
    ['hub-project', 'www/project.html', 'team-hub-routes.json'],
    ['hub-pick', 'www/pick.html', 'team-hub-dialog.json'],
  ] },
  // A configurable dashboard item: its page is carried twice, as the gadget and as its edit entry point.
  { app: 'dashboard-gadget', input: 'atlassian-connect.json', pages: [
    ['team-load', 'www/gadget.html', 'dashboard-gadget-view.json'],
    ['team-load-edit', 'www/gadget.html', 'dashboard-gadget-edit.json'],
  ] },
  // Web items that linked elsewhere (no page of their own: `null`; the scenario's `connect`
  // effects say where Connect took the user): a board action, an issue action and a global page
  // whose resources navigate there.
  { app: 'board-links', input: 'atlassian-connect.json', pages: [
    ['board-guide', null, 'board-links-guide.json'],
    ['same-epic', null, 'board-links-search.json'],
    ['docs', null, 'board-links-docs.json'],
  ] },
  // A page that shows images, a favicon and a stylesheet's font and backgrounds: carried with it,
  // so the port loads the same pictures (the page emits whether its poster loaded).
  // A page whose code an AMD loader shaped as RequireJS fetches at run time: carried at the
  // modules' URL paths, the loader's URLs pointed there.
  { app: 'amd-triage', input: 'atlassian-connect.json', pages: [
    ['amd-triage', 'www/triage.html', 'amd-triage.json'],
  ] },
  { app: 'gallery', input: 'atlassian-connect.json', pages: [
    ['release-gallery', 'www/gallery.html', 'gallery-images.json'],
  ] },
  // A static page whose library comes from its committed bower_components/, whose stylesheet is
  // named in another case than its file, and whose code fetches a template and a JSON file: all
  // carried, so the port shows the same filled, coloured summary.
  { app: 'bower-desk', input: 'atlassian-connect.json', pages: [
    ['desk-summary', 'www/desk.html', 'bower-desk.json'],
  ] },
  // ACE's React template (issue 20 §4): the route renders a .jsx view the server puts into its
  // React layout and the browser mounts; the port carries the component and mounts it. The
  // original needs the app's server (server-side rendering), so the scenario's `connect` list
  // says what its page does: the REST call and the flag at mount.
  { app: 'react-view', input: 'atlassian-connect.json', pages: [
    ['issue-summary', null, 'react-view.json'],
  ] },
  // A Vite project's shell (issue 20 §4): the original is the project's own build (not in the
  // repository: `built` names the project, built here as the vendor would), the port is the
  // project carried whole and built by the resource's build.
  { app: 'vite-notes', input: 'atlassian-connect.json', built: { project: 'client', output: 'dist' }, pages: [
    ['release-notes', 'client/dist/index.html', 'vite-notes.json'],
    // The admin page: a second input of the same build, in a subfolder.
    ['release-settings', 'client/dist/admin/settings.html', 'vite-notes-settings.json'],
  ] },
  // A page loading a script its project's esbuild build writes (not in the repository): the
  // original is served after the app's own build; the port carries the project and its build
  // copies the script where index.html loads it.
  { app: 'bundle-report', input: 'atlassian-connect.json', built: { project: '.', output: 'public' }, pages: [
    ['workload-report', 'public/report.html', 'bundle-report.json'],
  ] },
  // Two pages one webpack build writes from one template (html-webpack-plugin, one page per
  // entry, build/client/<page>.html): each resource takes the page written for its URL.
  { app: 'webpack-pages', input: 'atlassian-connect.json', built: { project: '.', output: 'build/client' }, pages: [
    ['sprint-report', 'build/client/sprint-report.html', 'webpack-pages-report.json'],
    ['sprint-settings', 'build/client/sprint-settings.html', 'webpack-pages-settings.json'],
  ] },
  // Native ES modules (no bundler): carried as modules, bundled with their local imports.
  { app: 'module-viewer', input: 'atlassian-connect.json', pages: [
    ['module-viewer', 'www/viewer.html', 'module-viewer.json'],
  ] },
  // A Connect-on-Forge manifest beside its code, adopted in place (in a copy of the app).
  { app: 'forge-adopt', input: 'manifest.yml', inPlace: true, pages: [
    ['sprint-health-bg', 'views/sprint-health.hbs', 'forge-adopt-sprint-health.json'],
  ] },
];

function run(cmd, args, cwd, env = process.env) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env });
  return { code: r.status, out: `${r.stdout || ''}${r.stderr || ''}` };
}

let failed = 0;
const written = [];
const work = mkdtempSync(path.join(tmpdir(), 'c2f-browser-'));

// `npm install && npm run build` in a scaffold folder, with one install shared by every scaffold
// whose package.json is the same (all of them, as generated): the same packages, installed once.
const installs = new Map();
function buildScaffold(dir) {
  const pkg = readFileSync(path.join(dir, 'package.json'), 'utf8');
  if (!installs.has(pkg)) {
    const cache = path.join(work, `npm-${installs.size}`);
    mkdirSync(cache, { recursive: true });
    writeFileSync(path.join(cache, 'package.json'), pkg);
    installs.set(pkg, { cache, ...run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], cache) });
  }
  const install = installs.get(pkg);
  if (install.code !== 0) return install;
  const link = path.join(dir, 'node_modules');
  symlinkSync(path.join(install.cache, 'node_modules'), link);
  const b = run('npm', ['run', 'build', '--silent'], dir);
  // The validator lints the app folder as a user deploys it: without the link.
  rmSync(link);
  return b;
}
// The original of a front-end project's shell is its own build output, which is not in the
// repository: the project is copied (without node_modules or its output) and built as the vendor
// would, once per app. Returns the build's exit code and output, and the copy's folder.
const originals = new Map();
function buildOriginal(c) {
  if (!originals.has(c.app)) {
    const dir = path.join(work, c.app, c.built.project);
    cpSync(path.join(appDir(c), c.built.project), dir, {
      recursive: true,
      filter: (src) => !/[\\/](node_modules|dist|build)$/.test(src),
    });
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    const b = install.code === 0 ? run('npm', ['run', 'build', '--silent'], dir) : install;
    originals.set(c.app, { ...b, dir });
  }
  return originals.get(c.app);
}

for (const c of CASES.filter((k) => !only || only.has(k.app))) {
  let app = appDir(c);
  let out = path.join(work, `${c.app}-forge`);
  if (c.inPlace) {
    const copy = path.join(work, c.app);
    cpSync(app, copy, { recursive: true });
    app = copy;
    out = copy;
  }
  const args = ['migrate', path.join(app, c.input), '--yes', '--color', 'never'];
  if (!c.inPlace) args.push('--out', out);
  const m = run(bin, args, REPO);
  if (m.code !== 0) {
    console.log(`FAIL  ${c.app}: migrate exited ${m.code}\n${m.out}`);
    failed++;
    continue;
  }
  written.push(out);
  const builds = new Map();
  for (const resource of readdirSync(path.join(out, 'static')).sort()) {
    builds.set(resource, buildScaffold(path.join(out, 'static', resource)));
  }
  // Resources without a scenario must build too (the validator names every resource folder).
  const scenarioed = new Set(c.pages.map(([resource]) => resource));
  for (const [resource, b] of builds) {
    if (!scenarioed.has(resource) && b.code !== 0) {
      console.log(`FAIL  ${c.app}/${resource}: the scaffold does not build\n${b.out}`);
      failed++;
    }
  }
  for (const [resource, original, scenario] of c.pages) {
    const dir = path.join(out, 'static', resource);
    const b = builds.get(resource) ?? { code: 1, out: 'no such scaffold folder' };
    if (b.code !== 0) {
      console.log(`FAIL  ${c.app}/${resource}: the scaffold does not build\n${b.out}`);
      failed++;
      continue;
    }
    // `null`: the module had no Connect page (a link): the scenario's `connect` effects say what
    // Connect did.
    let originalArgs = original === null ? [] : ['--original', path.join(appDir(c), original)];
    if (c.built) {
      const built = buildOriginal(c);
      if (built.code !== 0) {
        console.log(`FAIL  ${c.app}/${resource}: the original project does not build\n${built.out}`);
        failed++;
        continue;
      }
      const root = path.join(built.dir, c.built.output);
      originalArgs = ['--original', path.join(work, c.app, original), '--original-root', root];
    }
    const r = run(process.execPath, [path.join(BROWSER, 'equivalence.mjs'),
      ...originalArgs,
      '--ported', path.join(dir, 'build'),
      '--scenario', path.join(BROWSER, 'scenarios', scenario)], REPO);
    const verdict = r.code === 0 ? 'ok   ' : 'FAIL ';
    console.log(`${verdict} ${c.app}/${resource}: ${r.out.split('\n')[0]}`);
    if (r.code !== 0) {
      console.log(r.out);
      failed++;
    }
  }
}
// Every migrated app, its scaffolds built, passes Atlassian's own manifest validation.
const validate = path.resolve(REPO, '..', 'shared', 'tools', 'forge-validate', 'validate');
// The variables the review tells the user to set before `forge deploy` (the fixtures' ACE and
// Spring descriptors have a {{localBaseUrl}} / ${...} base URL).
const env = { ...process.env, LOCAL_BASE_URL: 'https://connect-app.example.com' };
const v = run(validate, ['--connect-schema', ...written], REPO, env);
if (v.code !== 0) {
  console.log(`FAIL  Atlassian's validator (exit ${v.code}):\n${v.out}`);
  failed++;
} else {
  console.log(`ok    Atlassian's validator accepts all ${written.length} migrated apps`);
}
rmSync(work, { recursive: true, force: true });
console.log(failed === 0 ? 'every carried page behaves as the original' : `${failed} page(s) differ`);
process.exit(failed === 0 ? 0 : 1);
