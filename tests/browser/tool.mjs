// The tool's own ports in a real browser: for each fixture Connect app, connect2forge migrates it
// (a real run into a temp folder), each carried resource is built with `npm install && npm run
// build`, and the equivalence harness runs the ORIGINAL page under the fake Connect host and the
// PORTED build under the fake Forge host: the ordered effects must be the same. Last, every
// migrated app goes through Atlassian's validator (../shared/tools/forge-validate).
//
//   node tests/browser/tool.mjs PATH/TO/connect2forge
//
// Exit 0 when every page is equivalent; 1 otherwise (each difference is printed).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BROWSER = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BROWSER, '..', '..');
const APPS = path.join(REPO, 'tests', 'fixtures', 'apps');
// The ACE app is the README's bundled example; the other apps are test fixtures.
const appDir = (c) => (c.app === 'ace' ? path.join(REPO, 'examples', 'ace-app') : path.join(APPS, c.app));
const bin = process.argv[2];
if (!bin) {
  console.error('usage: node tests/browser/tool.mjs PATH/TO/connect2forge');
  process.exit(2);
}

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
  // A Confluence macro's custom editor: Save (saveMacro + closeMacroEditor) is view.submit({ config }).
  { app: 'confluence-macro', input: 'atlassian-connect.json', pages: [
    ['status-badge-editor', 'www/macro/editor.html', 'confluence-macro-editor.json'],
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
for (const c of CASES) {
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
  for (const [resource, original, scenario] of c.pages) {
    const dir = path.join(out, 'static', resource);
    const built = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    const b = built.code === 0 ? run('npm', ['run', 'build', '--silent'], dir) : built;
    if (b.code !== 0) {
      console.log(`FAIL  ${c.app}/${resource}: the scaffold does not build\n${b.out}`);
      failed++;
      continue;
    }
    const r = run(process.execPath, [path.join(BROWSER, 'equivalence.mjs'),
      '--original', path.join(appDir(c), original),
      '--ported', path.join(dir, 'build'),
      '--scenario', path.join(BROWSER, 'scenarios', scenario)], REPO);
    const verdict = r.code === 0 ? 'ok   ' : 'FAIL ';
    console.log(`${verdict} ${c.app}/${resource}: ${r.out.split('\n')[0]}`);
    if (r.code !== 0) {
      console.log(r.out);
      failed++;
    }
  }
  // The app's other resources (pages without a scenario) are built too: the validator needs every
  // resource folder it names.
  const scenarioed = new Set(c.pages.map(([resource]) => resource));
  for (const resource of readdirSync(path.join(out, 'static'))) {
    if (scenarioed.has(resource)) continue;
    const dir = path.join(out, 'static', resource);
    const built = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    const b = built.code === 0 ? run('npm', ['run', 'build', '--silent'], dir) : built;
    if (b.code !== 0) {
      console.log(`FAIL  ${c.app}/${resource}: the scaffold does not build\n${b.out}`);
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
