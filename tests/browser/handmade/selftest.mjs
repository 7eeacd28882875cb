// HARNESS SELF-TEST: proves the equivalence harness passes a correct port and fails broken ones.
//
//   node tests/browser/handmade/selftest.mjs [--no-build]
//
// 1. builds the hand-made port of the ACE fixture's issue-watcher (make-ace.mjs, under /tmp);
// 2. the harness must say EQUIVALENT (exit 0);
// 3. on copies of the build, each mutation below breaks one effect: the harness must say
//    DIFFERENT (exit 1) for every one of them.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BROWSER = path.dirname(HERE);
const REPO = path.resolve(BROWSER, '..', '..');
const OUT = '/tmp/c2f-handmade';
const BUILD = path.join(OUT, 'static', 'issue-watcher', 'build');

if (!process.argv.includes('--no-build') || !existsSync(BUILD)) {
  execFileSync(process.execPath, [path.join(HERE, 'make-ace.mjs'), OUT], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function harness(ported) {
  const r = spawnSync(process.execPath, [path.join(BROWSER, 'equivalence.mjs'),
    '--original', path.join(REPO, 'tests/fixtures/apps/ace/views/issue-watcher.hbs'),
    '--ported', ported,
    '--scenario', path.join(BROWSER, 'scenarios/ace-issue-watcher.json')], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A copy of the build with one file edited; throws if the edit does not apply. */
function mutated(file, from, to) {
  const dir = mkdtempSync(path.join(tmpdir(), 'c2f-mutant-'));
  cpSync(BUILD, dir, { recursive: true });
  const target = path.join(dir, file);
  const text = readFileSync(target, 'utf8');
  if (!text.includes(from)) throw new Error(`mutation does not apply: ${file} has no ${JSON.stringify(from)}`);
  writeFileSync(target, text.split(from).join(to));
  return dir;
}

const cases = [
  { name: 'the correct port', dir: BUILD, expect: 0 },
  { name: 'page code: no refreshIssuePage', file: 'page/js/issue-watcher.js', from: 'AP.jira.refreshIssuePage();', to: '', expect: 1 },
  { name: 'page code: flag type changed', file: 'page/js/issue-watcher.js', from: "type: 'warning'", to: "type: 'info'", expect: 1 },
  { name: 'page code: PUT became POST', file: 'page/js/issue-watcher.js', from: "JiraClient.send('PUT'", to: "JiraClient.send('POST'", expect: 1 },
  { name: 'compat layer: ISSUE_CHANGED not mapped to JIRA_ISSUE_CHANGED', file: 'main.js', from: 'JIRA_ISSUE_CHANGED', to: 'ISSUE_CHANGED', expect: 1 },
  { name: 'compat layer: request never calls success', file: 'main.js', from: 'success,', to: 'successBroken,', expect: 1 },
  { name: 'index.html: inline settings script not loaded', file: 'index.html', from: '<script src="./page/issue-watcher.inline-1.js"></script>', to: '', expect: 1 },
];

let failed = 0;
for (const c of cases) {
  let dir = c.dir;
  try {
    if (!dir) dir = mutated(c.file, c.from, c.to);
  } catch (e) {
    console.log(`FAIL  ${c.name}: ${e.message}`);
    failed++;
    continue;
  }
  const r = harness(dir);
  const ok = r.code === c.expect;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${c.name}: harness exit ${r.code} (expected ${c.expect})`);
  if (!ok || process.argv.includes('--verbose')) console.log(r.output.replace(/^/gm, '      '));
  if (dir !== BUILD) rmSync(dir, { recursive: true, force: true });
}
console.log(failed ? `${failed} self-test case(s) failed` : `all ${cases.length} self-test cases behaved`);
process.exitCode = failed ? 1 : 0;
