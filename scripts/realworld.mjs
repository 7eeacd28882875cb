// Runs connect2forge on real Connect apps as a vendor would, and prints one Markdown table row
// per app: the pages its modules need, how many were found without --page, the scripts carried,
// the AP call sites the review reports against those a plain search finds in the app's code
// (each report counts; then the search's sites that a report names, by file and line: the recall),
// whether Atlassian's validator accepts the written app, and whether every carried resource
// builds. The apps are NOT part of this repository: fetch each one at its listed commit into a
// folder of your own (see ../shared/realworld/README.md) and point this script at it.
//
//   node scripts/realworld.mjs TSV APPS_DIR BINARY [--build] [--validate] [--only NAME,...]
//
//   TSV       a list in ../shared/realworld/TRAIN.tsv's format (repo, commit, ..., descriptor path)
//   APPS_DIR  holds one folder per app, named after the repository (owner/NAME → NAME)
//   BINARY    the connect2forge binary to measure
//   --build   also `npm install && npm run build` every carried resource (slow: minutes per app)
//   --validate  also run ../shared/tools/forge-validate/validate --connect-schema on the written apps
//             (with --build: the validator needs every resource built)
//
// Writes nothing in APPS_DIR: each app is migrated into a temp folder, removed afterwards.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [tsv, appsDir, bin, ...flags] = process.argv.slice(2);
if (!tsv || !appsDir || !bin) {
  console.error('usage: node scripts/realworld.mjs TSV APPS_DIR BINARY [--build] [--validate] [--only NAME,...]');
  process.exit(2);
}
const build = flags.includes('--build');
const validate = flags.includes('--validate');
const onlyAt = flags.indexOf('--only');
const only = onlyAt >= 0 ? new Set(flags[onlyAt + 1].split(',')) : null;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const validator = path.resolve(repoRoot, '..', 'shared', 'tools', 'forge-validate', 'validate');

const rows = readFileSync(tsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));

// Files a plain search for AP call sites reads: the app's own code and templates.
const CODE = /\.(m?js|cjs|jsx|tsx?|vue|svelte|html?|hbs|handlebars|mustache|ejs|pug|njk|jinja2?|j2|twig|jsp|jspf|erb|slim|haml|gohtml|tmpl|vm|ftl|cshtml|php)$/i;
const SKIP = new Set(['node_modules', '.git', 'dist', 'build', 'target', 'vendor', 'bower_components', '.next', '.nuxt', 'coverage', 'out']);
const LIBRARY = /(^|\/)(all|all-debug)\.js$|\.min\.js$|jquery|require\.js$|almond/i;

function apSites(dir) {
  const sites = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) walk(path.join(d, e.name));
      } else if (e.isFile() && CODE.test(e.name) && !LIBRARY.test(e.name)) {
        const p = path.join(d, e.name);
        if (statSync(p).size > 4 * 1024 * 1024) continue;
        const text = readFileSync(p, 'utf8');
        const rel = path.relative(dir, p).split(path.sep).join('/');
        text.split('\n').forEach((line, i) => {
          for (const _ of line.matchAll(/(?<![\w$.])(?:window\.)?AP\.[A-Za-z_$]/g)) sites.push(`${rel}:${i + 1}`);
        });
      }
    }
  };
  walk(dir);
  return sites;
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
}

console.log('| app | pages | found without --page | scripts carried | AP call sites reported / found by search | of those, reported | validator | builds |');
console.log('| --- | --: | --: | --: | --: | --: | --- | --- |');
const totals = { pages: 0, found: 0, scripts: 0, reported: 0, distinct: 0, sites: 0 };
for (const [repo, , , , descriptorPath] of rows) {
  const name = repo.split('/')[1];
  if (only && !only.has(name)) continue;
  const app = path.join(appsDir, name);
  const descriptor = path.join(app, descriptorPath.split(';')[0]);
  if (!existsSync(descriptor)) {
    console.log(`| ${name} | – | – | – | – | – | no descriptor file (${descriptorPath}) | – |`);
    continue;
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'c2f-realworld-'));
  const out = path.join(tmp, 'forge-app');
  try {
    const r = run(bin, ['migrate', descriptor, '--source', app, '--out', out, '--yes', '--format', 'json'], { env: { ...process.env, CI: 'true' } });
    if (r.status !== 0) {
      const why = (r.stderr.split('\n').find((l) => l.includes('error')) || `exit ${r.status}`).slice(0, 120).replace(/\|/g, '\\|');
      console.log(`| ${name} | – | – | – | – | – | refused: ${why} | – |`);
      continue;
    }
    const review = JSON.parse(r.stdout);
    const ports = [];
    for (const m of review.modules) {
      if (m.port) ports.push(m.port);
      for (const p of m.extra_pages || []) if (p.port) ports.push(p.port);
    }
    const found = ports.filter((p) => p.page).length;
    const scripts = ports.reduce((n, p) => n + (p.scripts || []).length, 0);
    const reported = ports.reduce((n, p) => n + (p.calls || []).length, 0);
    const lines = new Set(ports.flatMap((p) => (p.calls || []).map((c) => `${c.file}:${c.line}`)));
    const searched = apSites(app);
    const sites = searched.length;
    const distinct = searched.filter((s) => lines.has(s)).length;
    Object.assign(totals, {
      pages: totals.pages + ports.length, found: totals.found + found, scripts: totals.scripts + scripts,
      reported: totals.reported + reported, distinct: totals.distinct + distinct, sites: totals.sites + sites,
    });
    let builds = '–';
    if (build) {
      const resources = existsSync(path.join(out, 'static')) ? readdirSync(path.join(out, 'static')) : [];
      const failed = resources.filter((res) => {
        const dir = path.join(out, 'static', res);
        const i = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
        return i.status !== 0 || run('npm', ['run', 'build'], { cwd: dir }).status !== 0;
      });
      builds = failed.length ? `${resources.length - failed.length}/${resources.length} (fail: ${failed.join(', ')})` : `${resources.length}/${resources.length}`;
    }
    let valid = '–';
    if (validate) {
      // The validator resolves the manifest's variables, as `forge deploy` would: give each the
      // value a vendor sets (the review lists them).
      const env = { ...process.env };
      for (const v of review.variables || []) {
        env[v.name] = /URL|HOST/.test(v.name) ? 'https://connect-app.example.com' : 'com.example.value';
      }
      const v = run(validator, ['--connect-schema', out], { env });
      valid = v.status === 0 ? 'passes' : `fails: ${(v.stdout.split('\n')[0] || '').slice(0, 100).replace(/\|/g, '\\|')}`;
    }
    console.log(`| ${name} | ${ports.length} | ${found} | ${scripts} | ${reported} / ${sites} | ${distinct} | ${valid} | ${builds} |`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
const pct = (a, b) => (b ? `${Math.round((100 * a) / b)} %` : '–');
console.log(`| **all** | ${totals.pages} | ${totals.found} (${pct(totals.found, totals.pages)}) | ${totals.scripts} | ${totals.reported} / ${totals.sites} | ${totals.distinct} (${pct(totals.distinct, totals.sites)}) | | |`);
