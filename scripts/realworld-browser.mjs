// The real-app browser measure (issue 20, "Measured on real apps"): for each carried page of each
// real Connect app, does the ported Custom UI resource do what the original page did? Each app is
// migrated as a vendor would (its own descriptor, `--source` its tree) with `--originals`, which
// writes every carried page as its server sends it (rendered into its layout) and where its
// scripts and stylesheets come from. Each carried resource is built (`npm install && npm run
// build`, one install per distinct package.json), then tests/browser/equivalence.mjs runs, in
// headless Chromium and with no network, the ORIGINAL page at its module URL under the fake
// Connect host (its local files served from the files the port resolved and the app's static
// folders, all.js replaced by the fake host, any other request to the app answered 404 and
// recorded as a backend call) and the PORTED build under the fake Forge host, with one generic
// scenario (load, wait until idle, record; no app-specific steps, no canned REST replies: both
// hosts answer 404), and compares their ordered effects: REST calls, events, flags, messages,
// navigations, dialogs, backend calls, refused requests and page errors. An effect only one side
// makes is a difference; nothing is allowed.
//
//   node scripts/realworld-browser.mjs TSV APPS_DIR BINARY [--only NAME,...] [--keep DIR] [--verbose]
//
// Prints one line per page (equivalent / differs: the first difference / could not run: why)
// and a Markdown table per app. The apps are NOT part of this repository (see
// ../shared/realworld/README.md); nothing is written in APPS_DIR.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [tsv, appsDir, bin, ...flags] = process.argv.slice(2);
if (!tsv || !appsDir || !bin) {
  console.error('usage: node scripts/realworld-browser.mjs TSV APPS_DIR BINARY [--only NAME,...] [--keep DIR] [--verbose]');
  process.exit(2);
}
const onlyAt = flags.indexOf('--only');
const only = onlyAt >= 0 ? new Set(flags[onlyAt + 1].split(',')) : null;
const keepAt = flags.indexOf('--keep');
const verbose = flags.includes('--verbose');
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EQUIVALENCE = path.join(REPO, 'tests', 'browser', 'equivalence.mjs');
const work = keepAt >= 0 ? path.resolve(flags[keepAt + 1]) : mkdtempSync(path.join(tmpdir(), 'c2f-rwb-'));
mkdirSync(work, { recursive: true });

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  return { code: r.status, out: `${r.stdout || ''}${r.stderr || ''}`, stdout: r.stdout || '' };
}

// One `npm install` per distinct package.json, shared by the scaffolds that have it.
const installs = new Map();
function build(dir) {
  // The same dependencies whatever the resource's name.
  const { name: _name, ...deps } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const pkg = JSON.stringify({ name: 'c2f-rwb-install', ...deps });
  if (!installs.has(pkg)) {
    const cache = path.join(work, `npm-${installs.size}`);
    mkdirSync(cache, { recursive: true });
    writeFileSync(path.join(cache, 'package.json'), pkg);
    installs.set(pkg, { cache, ...run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: cache }) });
  }
  const install = installs.get(pkg);
  if (install.code !== 0) return { ...install, why: 'npm install fails' };
  const link = path.join(dir, 'node_modules');
  if (!existsSync(link)) symlinkSync(path.join(install.cache, 'node_modules'), link);
  const b = run('npm', ['run', 'build', '--silent'], { cwd: dir });
  return { ...b, cache: install.cache, why: 'npm run build fails' };
}

// Values every generic scenario gives both hosts.
const CONTEXT = {
  accountId: '5b10ac8d82e05b22cc7d4ef5', locale: 'en-US', timezone: 'UTC', siteUrl: 'https://example.atlassian.net',
  license: { isActive: true },
  issue: { id: '10001', key: 'DEMO-1', type: 'Task' }, project: { id: '10000', key: 'DEMO', type: 'software' },
  dashboard: { id: '10100' }, gadget: { id: '10200' },
  content: { id: '65537', type: 'page' }, space: { id: '98305', key: 'DEV' },
  // A macro's instance: Connect's {macro.id}, Forge's localId.
  macro: { id: 'local-1' },
};

function scenarioFor(meta, appKey) {
  const s = {
    name: `${meta.module} (${meta.forgeType})`, appKey,
    module: { key: meta.module, connectUrl: meta.connectUrl, forgeType: meta.forgeType },
    context: CONTEXT, rest: [], anyBackend: true, loadsUnordered: true, steps: [{ load: true }],
  };
  if (meta.entry === 'edit') { s.gadgetEdit = true; s.steps.push({ editGadget: true }); }
  if (meta.entry === 'config' || meta.forgeType === 'macro') s.macro = { params: {} };
  return s;
}

/** The first line of the diff that is not common to both sides. */
function firstDifference(out) {
  const lines = out.split('\n');
  const at = lines.indexOf('--- original (Connect)');
  const diff = lines.slice(at + 2);
  const d = diff.find((l) => l.startsWith('- ') || l.startsWith('+ '));
  // Two lists of refused loads: the first URL only one side asks for.
  const loads = (mark) => {
    const l = diff.find((x) => x.startsWith(mark) && x.includes('"kind":"loads refused"'));
    return l ? JSON.parse(l.slice(2)).urls : null;
  };
  const [o, p] = [loads('- '), loads('+ ')];
  if (o && p && d && d.includes('"kind":"loads refused"')) {
    const onlyO = o.filter((u) => !p.includes(u));
    const onlyP = p.filter((u) => !o.includes(u));
    if (onlyO.length) return `only the original loads ${onlyO[0]}${onlyO.length > 1 ? ` (+${onlyO.length - 1})` : ''}`;
    if (onlyP.length) return `only the port loads ${onlyP[0]}${onlyP.length > 1 ? ` (+${onlyP.length - 1})` : ''}`;
  }
  return d ? `${d.startsWith('-') ? 'only the original' : 'only the port'}: ${d.slice(2)}` : lines[0];
}

const rows = readFileSync(tsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const table = [];
for (const [repo, , , , descriptorPath] of rows) {
  const name = repo.split('/')[1];
  if (only && !only.has(name)) continue;
  const app = path.join(appsDir, name);
  const descriptor = path.join(app, descriptorPath.split(';')[0].trim());
  const row = { name, pages: 0, equivalent: 0, idle: 0, differs: 0, failed: 0, note: '' };
  table.push(row);
  if (!existsSync(descriptor)) { row.note = 'no descriptor file'; continue; }
  const out = path.join(work, name, 'forge-app');
  const originals = path.join(work, name, 'originals');
  rmSync(path.join(work, name), { recursive: true, force: true });
  const m = run(bin, ['migrate', descriptor, '--source', app, '--out', out, '--yes', '--format', 'json', '--originals', originals], { env: { ...process.env, CI: 'true' } });
  if (m.code !== 0) { row.note = `migrate exits ${m.code}`; continue; }
  let appKey = 'com.example.app';
  try { appKey = JSON.parse(readFileSync(descriptor, 'utf8')).key || appKey; } catch (_) { /* a template descriptor */ }
  // How each resource's page was found, from the review: a front-end project's shell
  // (`front-end`, `file-route`) is not the page its server sends (that is its build output).
  const foundBy = new Map();
  try {
    for (const mod of JSON.parse(m.stdout).modules) {
      if (mod.port && mod.resource_key) foundBy.set(mod.resource_key, mod.port.found_by);
      for (const p of mod.extra_pages || []) if (p.port && p.resource_key) foundBy.set(p.resource_key, p.port.found_by);
    }
  } catch (_) { /* no review: every page is run */ }
  const resources = existsSync(originals) ? readdirSync(originals).sort() : [];
  for (const res of resources) {
    row.pages++;
    const meta = JSON.parse(readFileSync(path.join(originals, res, 'original.json'), 'utf8'));
    const label = `${name}/${res} (${meta.page})`;
    const dir = path.join(out, 'static', res);
    if (['front-end', 'file-route'].includes(foundBy.get(res))) {
      row.failed++;
      console.log(`could not run  ${label}: a front-end project's shell (found by ${foundBy.get(res)}): the page its server sends is the project's build output, not in the repository, and the project is analysed, not carried (C2F074)`);
      continue;
    }
    const b = existsSync(path.join(dir, 'package.json')) ? build(dir) : { code: 1, why: 'no scaffold', out: '' };
    if (b.code !== 0) {
      row.failed++;
      const err = b.out.split('\n').find((l) => /error|Could not resolve|ERR/i.test(l)) || '';
      console.log(`could not run  ${label}: ${b.why}${err ? `: ${err.trim().slice(0, 160)}` : ''}`);
      continue;
    }
    const scenario = path.join(originals, res, 'scenario.json');
    writeFileSync(scenario, `${JSON.stringify(scenarioFor(meta, appKey), null, 2)}\n`);
    const args = [EQUIVALENCE, '--original', path.join(originals, res, 'original.html'),
      '--original-map', path.join(originals, res, 'original.json'), '--cdn-root', path.join(b.cache, 'node_modules'),
      '--ported', path.join(dir, 'build'), '--scenario', scenario];
    if (verbose) args.push('--verbose');
    const r = run(process.execPath, args, { cwd: REPO });
    const count = (r.out.split('\n')[0].match(/\((\d+) effects original, (\d+) ported\)/) || []).slice(1).join('/');
    if (r.code === 0) {
      row.equivalent++;
      // Equivalent, but neither side did anything at all (no request, load, error, event…).
      if (count === '0/0') row.idle++;
      console.log(`equivalent     ${label}: ${count} effects`);
    } else if (r.code === 1 && r.out.startsWith('DIFFERENT')) {
      row.differs++;
      console.log(`differs        ${label}: ${count} effects; first difference, ${firstDifference(r.out)}`);
    } else if (r.code === 3) {
      row.failed++;
      console.log(`could not run  ${label}: ${r.out.split('\n')[0].replace(/^CANNOT RUN: /, '')}`);
    } else {
      row.failed++;
      console.log(`could not run  ${label}: ${(r.out.split('\n').find((l) => l.trim()) || `exit ${r.code}`).slice(0, 200)}`);
    }
    if (verbose) console.log(r.out);
  }
}
console.log('\n| app | pages carried | equivalent | of those, no effect on either side | differs | could not run |');
console.log('| --- | --: | --: | --: | --: | --: |');
const total = { pages: 0, equivalent: 0, idle: 0, differs: 0, failed: 0 };
for (const r of table) {
  for (const k of Object.keys(total)) total[k] += r[k];
  console.log(`| ${r.name} | ${r.note ? `– (${r.note})` : r.pages} | ${r.equivalent} | ${r.idle} | ${r.differs} | ${r.failed} |`);
}
const pct = total.pages ? Math.round((100 * total.equivalent) / total.pages) : 0;
console.log(`| **all** | ${total.pages} | ${total.equivalent} (${pct} %) | ${total.idle} | ${total.differs} | ${total.failed} |`);
if (keepAt < 0) rmSync(work, { recursive: true, force: true });
