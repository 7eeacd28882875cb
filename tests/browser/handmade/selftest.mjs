// HARNESS SELF-TEST: proves the equivalence harness passes correct ports and fails broken ones.
//
//   node tests/browser/handmade/selftest.mjs [--no-build] [--verbose]
//
// 1. builds the hand-made ports of the ace, spring and static fixtures and of the self-test pages
//    (api-tour, url-panel, dialog, macro-editor, gadget; make.mjs, under /tmp);
// 2. the harness must say EQUIVALENT (exit 0) for each;
// 3. on copies of the builds, each mutation below breaks one effect or answer: the harness must
//    say DIFFERENT (exit 1) for every one of them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { make, PORTS } from './make.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BROWSER = path.dirname(HERE);
const REPO = path.resolve(BROWSER, '..', '..');
// One folder per checkout: two checkouts running the self-test at once do not share builds.
const OUT = path.join(tmpdir(), `c2f-handmade-${createHash('sha256').update(REPO).digest('hex').slice(0, 12)}`);
const build = (name) => path.join(OUT, name, 'static', PORTS[name].resource, 'build');

const ORIGINALS = {
  ace: ['examples/ace-app/views/issue-watcher.hbs', 'scenarios/ace-issue-watcher.json'],
  spring: ['tests/fixtures/apps/spring/src/main/resources/templates/background/triage.html', 'scenarios/spring-triage.json'],
  static: ['tests/fixtures/apps/static/www/bg/overdue.html', 'scenarios/static-overdue.json'],
  tour: ['tests/browser/handmade/api-tour/tour.html', 'scenarios/api-tour.json'],
  'url-panel': ['tests/browser/handmade/url-panel/panel.html', 'scenarios/url-panel.json'],
  dialog: ['tests/browser/handmade/dialog/dialog.html', 'scenarios/dialog.json'],
  'macro-editor': ['tests/browser/handmade/macro-editor/editor.html', 'scenarios/macro-editor.json'],
  gadget: ['tests/browser/handmade/gadget/gadget.html', 'scenarios/gadget.json'],
};

for (const name of Object.keys(ORIGINALS)) {
  if (!process.argv.includes('--no-build') || !existsSync(build(name))) make(name, OUT);
}
const BUILD = build('ace');

function harness(ported, fixture = 'ace') {
  const [original, scenario] = ORIGINALS[fixture];
  const r = spawnSync(process.execPath, [path.join(BROWSER, 'equivalence.mjs'),
    '--original', path.join(REPO, original),
    '--ported', ported,
    '--scenario', path.join(BROWSER, scenario)], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A copy of the build with one file edited; throws if the edit does not apply. */
function mutated(fixture, file, from, to) {
  const dir = mkdtempSync(path.join(tmpdir(), 'c2f-mutant-'));
  cpSync(build(fixture), dir, { recursive: true });
  const target = path.join(dir, file);
  const text = readFileSync(target, 'utf8');
  if (!text.includes(from)) throw new Error(`mutation does not apply: ${file} has no ${JSON.stringify(from)}`);
  writeFileSync(target, text.split(from).join(to));
  return dir;
}

const cases = [
  { name: 'ace: the correct port', dir: BUILD, expect: 0 },
  { name: 'spring: the correct port', dir: build('spring'), fixture: 'spring', expect: 0 },
  { name: 'static: the correct port', dir: build('static'), fixture: 'static', expect: 0 },
  { name: 'api tour: the compatibility layer answers as Connect does', dir: build('tour'), fixture: 'tour', expect: 0 },
  { name: 'ace mutant, page code: no refreshIssuePage', file: 'page/js/issue-watcher.js', from: 'AP.jira.refreshIssuePage();', to: '', expect: 1 },
  { name: 'ace mutant, page code: flag type changed', file: 'page/js/issue-watcher.js', from: "type: 'warning'", to: "type: 'info'", expect: 1 },
  { name: 'ace mutant, page code: PUT became POST', file: 'page/js/issue-watcher.js', from: "JiraClient.send('PUT'", to: "JiraClient.send('POST'", expect: 1 },
  { name: 'ace mutant, compat layer: ISSUE_CHANGED not mapped to JIRA_ISSUE_CHANGED', file: 'main.js', from: 'JIRA_ISSUE_CHANGED', to: 'ISSUE_CHANGED', expect: 1 },
  { name: 'ace mutant, compat layer: request never calls success', file: 'main.js', from: 'success,', to: 'successBroken,', expect: 1 },
  { name: 'tour mutant, compat layer: Connect context shape (issuetype) broken', fixture: 'tour', file: 'main.js', from: 'issuetype', to: 'issueType', expect: 1 },
  { name: 'tour mutant, compat layer: once listeners fire every time', fixture: 'tour', file: 'main.js', from: '.once&&', to: '.never&&', expect: 1 },
  { name: 'ace mutant, index.html: inline settings script not loaded', file: 'index.html', from: '<script src="./page/issue-watcher.inline-1.js"></script>', to: '', expect: 1 },
  { name: 'url panel: location.search rebuilt, AMD modules, a dialog, the create issue dialog', dir: build('url-panel'), fixture: 'url-panel', expect: 0 },
  { name: 'dialog: a Connect dialog\'s page in a Forge modal, its Submit button', dir: build('dialog'), fixture: 'dialog', expect: 0 },
  { name: 'macro editor: parameters read and saved with view.submit', dir: build('macro-editor'), fixture: 'macro-editor', expect: 0 },
  { name: 'gadget: the edit entry point shows the form and submits', dir: build('gadget'), fixture: 'gadget', expect: 0 },
  { name: 'url panel mutant, compat layer: location.search not rebuilt', fixture: 'url-panel', file: 'main.js', from: 'history.replaceState(', to: '(()=>0)(', expect: 1 },
  { name: 'dialog mutant, compat layer: the modal\'s context not read', fixture: 'dialog', file: 'main.js', from: '.extension.modal', to: '.extension.modalX', expect: 1 },
  { name: 'macro editor mutant, compat layer: submitted without { config }', fixture: 'macro-editor', file: 'main.js', from: '{config:', to: '{settings:', expect: 1 },
  { name: 'gadget mutant, compat layer: the edit entry point not seen', fixture: 'gadget', file: 'main.js', from: '"extension.entryPoint"', to: '"extension.entryPointX"', expect: 1 },
];

let failed = 0;
for (const c of cases) {
  let dir = c.dir;
  try {
    if (!dir) dir = mutated(c.fixture || 'ace', c.file, c.from, c.to);
  } catch (e) {
    console.log(`FAIL  ${c.name}: ${e.message}`);
    failed++;
    continue;
  }
  const r = harness(dir, c.fixture);
  const ok = r.code === c.expect;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${c.name}: harness exit ${r.code} (expected ${c.expect})`);
  if (!ok || process.argv.includes('--verbose')) console.log(r.output.replace(/^/gm, '      '));
  if (!c.dir) rmSync(dir, { recursive: true, force: true });
}
console.log(failed ? `${failed} self-test case(s) failed` : `all ${cases.length} self-test cases behaved`);
process.exitCode = failed ? 1 : 0;
// The builds are kept for the next run of this checkout; a CI clone has none, and would leave
// about 1 GB in the temporary folder each time.
if (process.env.CI) rmSync(OUT, { recursive: true, force: true });
