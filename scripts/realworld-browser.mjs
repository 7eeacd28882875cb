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
// When a page's code is a front-end project's build output (the review's C2F074/C2F101: the
// page loads a script a bundler writes, or it is the project's shell or route file), the
// original is built as its vendor would (scripts/realworld-originals.mjs: a copy under the work
// folder, npm install, npm run build) and served from what the build wrote; a page could not run
// when either side cannot, and the line and the table say which.
//
//   node scripts/realworld-browser.mjs TSV APPS_DIR BINARY [--only NAME,...] [--keep DIR] [--verbose]
//
// Prints one line per page (equivalent / differs: the first difference / could not run: which
// side and why; how the original was built) and a Markdown table per app. The apps are NOT part of this repository (see
// ../shared/realworld/README.md); nothing is written in APPS_DIR.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asCheckout, buildOriginal, firstError, installKey, writtenSince } from './realworld-originals.mjs';

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

const PORT_MINUTES = Number(process.env.C2F_RWB_BUILD_MINUTES || 10);

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
  // A resource that carries a front-end project (project/) builds it too, with the project's own
  // npm install: one install per distinct package.json and lockfile, as for the scaffolds (the
  // next resource carrying the same project starts from a hard-linked copy of its node_modules/,
  // which its npm install finds complete; an install that failed fails the same way).
  const project = path.join(dir, 'project');
  const key = existsSync(path.join(project, 'package.json')) ? installKey(project) : null;
  const prev = key && projectInstalls.get(key);
  if (prev && prev.failed) return { ...prev.failed, cache: install.cache, why: `npm run build fails (as in ${prev.res})` };
  if (prev && !existsSync(path.join(project, 'node_modules'))) run('cp', ['-al', path.join(prev.project, 'node_modules'), path.join(project, 'node_modules')]);
  const b = run('timeout', ['-k', '20s', `${PORT_MINUTES * 60}s`, 'npm', 'run', 'build'], { cwd: dir });
  if (key && !prev) {
    const installFailed = b.code !== 0 && /npm install [^\n]*failed in/.test(b.out);
    if (installFailed) projectInstalls.set(key, { res: path.basename(dir), failed: b });
    else if (existsSync(path.join(project, 'node_modules'))) projectInstalls.set(key, { res: path.basename(dir), project });
  }
  if (b.code === 124 || b.code === 137) return { ...b, why: `npm run build takes more than ${PORT_MINUTES} min` };
  return { ...b, cache: install.cache, why: 'npm run build fails' };
}
const projectInstalls = new Map();

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

/**
 * The front-end projects the review names, per module (C2F074: "the page's code is the front-end
 * project in FOLDER (BUILDER): WHY; ...", not carried; C2F101: "... in FOLDER (BUILDER), carried
 * whole into the resource's project/: WHY; ..."): its folder, builder, the bundle URL a page loads
 * (a script a bundler writes) or none (the page is the project's shell or route file), and whether
 * the port carries it.
 */
function frontEnds(review) {
  const out = new Map();
  const add = (w) => {
    if (!['C2F074', 'C2F101'].includes(w.code) || !w.module) return;
    const m = w.message.match(/^the page's code is the front-end project in (\S+?)(?: \(([^)]*)\))?(?:, carried whole into the resource's [^:]*)?: (.*?); /);
    if (!m) return;
    // `the page loads /js, which a route sends from app.bundle.js, which a bundler builds from it`:
    // the URL, and the file name the build writes when a route sends it under that URL.
    const loads = m[3].match(/^the page loads (.*?)(?:, which a route sends from (\S+?))?, which a bundler builds from it$/) || [];
    const bundle = loads[1] || null;
    const list = out.get(w.module) || [];
    if (!list.some((u) => u.folder === m[1] && u.bundle === bundle)) {
      list.push({ folder: m[1], builder: m[2] || null, bundle, built: loads[2] || null, carried: w.code === 'C2F101', why: m[3] });
    }
    out.set(w.module, list);
  };
  for (const w of review.warnings || []) add(w);
  for (const mod of review.modules || []) for (const w of (mod.port && mod.port.warnings) || []) add(w);
  return out;
}

/**
 * The scripts each module's page loads that the review names as not in the source tree: missing
 * on both sides (a file the app's repository lost, a server model value written as a src), so
 * the original runs without them as the port does, instead of "cannot run".
 */
function missingScripts(review) {
  const out = new Map();
  const add = (w) => {
    const m = w.module && w.message.match(/(?:^|: )script (?:"([^"]+)" is not in the source tree|src "([^"]+)" is a template expression)/);
    if (m) out.set(w.module, [...(out.get(w.module) || []), m[1] || m[2]]);
  };
  for (const w of review.warnings || []) add(w);
  for (const mod of review.modules || []) for (const w of (mod.port && mod.port.warnings) || []) add(w);
  return out;
}

/** Why a framework's `npm run build` writes no page to serve (its pages come from its server), or null. */
function serverRendered(projectDir, builder) {
  const config = (base) => ['js', 'mjs', 'cjs', 'ts'].map((e) => path.join(projectDir, `${base}.${e}`)).find(existsSync);
  if (builder === 'next') {
    const f = config('next.config');
    const text = f ? readFileSync(f, 'utf8') : '';
    if (!/output\s*:\s*['"]export['"]/.test(text)) {
      const output = (text.match(/output\s*:\s*['"](\w+)['"]/) || [])[1];
      return `its Next.js build is a server${output ? ` (output: '${output}')` : ''}, not a static export (output: 'export'): the page is rendered by \`next start\`, which this measure does not run`;
    }
  }
  if (builder === 'nuxt') {
    const f = config('nuxt.config');
    const text = f ? readFileSync(f, 'utf8') : '';
    if (!/\bssr\s*:\s*false\b/.test(text)) {
      return 'its `nuxt build` is a server (Nitro, server-side rendering; `nuxi generate` is not its build): the page is rendered by that server, which this measure does not run';
    }
  }
  return null;
}

/** Where a builder writes its pages, under the project. */
const OUTPUT = { 'react-scripts': 'build', vite: 'dist', '@vue/cli-service': 'dist', parcel: 'dist', 'parcel-bundler': 'dist', next: 'out', nuxt: '.output/public', gatsby: 'public' };

/** The folder (under `dir`, not node_modules/) holding most of the .html files written since `since`. */
function htmlOutput(dir, since) {
  const count = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith('.html') && statSync(f).mtimeMs >= since) count.set(d, (count.get(d) || 0) + 1);
    }
  };
  walk(dir);
  return [...count].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length).map(([d]) => d)[0] || null;
}

/** The page of `out` a static server sends for the URL path: x.html, x/index.html (dropping leading segments), else index.html. */
function builtPage(out, urlPath, prefix) {
  let p = decodeURIComponent(urlPath);
  if (prefix !== '/' && p.startsWith(prefix)) p = p.slice(prefix.length - 1);
  const segs = p.split('/').filter(Boolean);
  for (let i = 0; i < segs.length; i++) {
    const rest = segs.slice(i).join('/');
    for (const f of [`${rest}.html`, `${rest}/index.html`]) if (existsSync(path.join(out, f))) return f;
  }
  return existsSync(path.join(out, 'index.html')) ? 'index.html' : null;
}

/**
 * The original of a page whose code is a front-end project's build output, built as its vendor
 * would; returns { html, map } (files written under the page's originals folder) or { reason }.
 */
function builtOriginal(app, meta, uses, res, originals) {
  const shell = uses.find((u) => !u.bundle);
  const bundles = uses.filter((u) => u.bundle);
  const project = (shell || bundles[0]).folder;
  const builder = (shell || bundles[0]).builder;
  const projectDir = path.join(app, project);
  if (shell) {
    const why = serverRendered(projectDir, builder);
    if (why) return { reason: why };
  }
  const names = bundles.map((u) => u.built || path.posix.basename(u.bundle.replace(/^@\{(.*)\}$/, '$1').split(/[?#]/)[0]));
  const b = buildOriginal(app, project, work, builder, names);
  if (!b.ok) return { reason: b.reason, built: false };
  const how = [b.script, b.legacy && 'NODE_OPTIONS=--openssl-legacy-provider', b.unlocked].filter(Boolean).map((x) => `; ${x}`).join('');
  const dir = path.join(originals, res);
  const moduleUrl = new URL(meta.connectUrl || '/', 'https://app.test/');
  if (shell) {
    // The page the server sends is the built HTML, its assets served from the build's output at
    // the app's origin (under the package.json's "homepage" path for Create React App).
    let out = OUTPUT[builder] ? path.join(b.dir, OUTPUT[builder]) : htmlOutput(b.dir, b.started);
    if (!out || !existsSync(out)) return { reason: `the build writes no ${OUTPUT[builder] ? `${OUTPUT[builder]}/` : 'HTML page'}`, built: true };
    let prefix = '/';
    try {
      const home = JSON.parse(readFileSync(path.join(b.dir, 'package.json'), 'utf8')).homepage;
      if (builder === 'react-scripts' && home) prefix = `${new URL(home, 'https://app.test/').pathname.replace(/\/?$/, '/')}`;
    } catch (_) { /* no homepage */ }
    const page = builtPage(out, moduleUrl.pathname, prefix);
    if (!page) return { reason: `the build writes no page for ${moduleUrl.pathname} (nor index.html) in ${path.relative(b.dir, out)}/`, built: true };
    let html = readFileSync(path.join(out, page), 'utf8');
    let note = `built ${path.relative(b.dir, out)}/${page}${how}`;
    // A Connect page loads all.js; a server that sends a built page without it adds it (e.g. by
    // replacing <body>), which the built file cannot show.
    if (!/<script[^>]*all(-debug)?\.js/i.test(html)) {
      html = html.replace(/<body([^>]*)>/i, '<body$1><script src="https://connect-cdn.atl-paas.net/all.js"></script>');
      note += ', all.js added at <body> (the built page does not load it)';
    }
    writeFileSync(path.join(dir, 'built.html'), html);
    const map = { ...meta, page: path.relative(b.dir, path.join(out, page)), engine: 'static', sourceRoot: out, staticRoots: [''], urlPrefix: prefix, scripts: [], stylesheets: [] };
    writeFileSync(path.join(dir, 'built.json'), `${JSON.stringify(map, null, 2)}\n`);
    return { html: path.join(dir, 'built.html'), map: path.join(dir, 'built.json'), note, built: true };
  }
  // The page is carried; the scripts a bundler writes are served from what the build wrote (the
  // folder the URL path is under, so its chunks are served beside it).
  const roots = [];
  const scripts = [...(meta.scripts || [])];
  const found = [];
  for (const u of bundles) {
    const src = u.bundle.replace(/^@\{(.*)\}$/, '$1');
    const urlPath = new URL(src, moduleUrl).pathname;
    const base = u.built || path.posix.basename(urlPath);
    const files = writtenSince(b.dir, base, b.started);
    if (!files.length) return { reason: `the build writes no ${base}`, built: true };
    const under = files.find((f) => f.endsWith(urlPath.split('/').join(path.sep)));
    if (under) {
      const root = under.slice(0, under.length - urlPath.length);
      if (!roots.includes(root)) roots.push(root);
    } else {
      scripts.push({ kind: 'local', src, resolved: { path: files[0] } });
    }
    found.push(path.relative(b.dir, under || files[0]));
  }
  const map = { ...meta, staticRoots: [...roots, ...(meta.staticRoots || [''])], scripts };
  writeFileSync(path.join(dir, 'built.json'), `${JSON.stringify(map, null, 2)}\n`);
  return { html: path.join(dir, 'original.html'), map: path.join(dir, 'built.json'), note: `built ${found.join(', ')}${how}`, built: true };
}

const rows = readFileSync(tsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const table = [];
for (const [repo, , , , descriptorPath] of rows) {
  const name = repo.split('/')[1];
  if (only && !only.has(name)) continue;
  const app = path.join(appsDir, name);
  const descriptor = path.join(app, descriptorPath.split(';')[0].trim());
  const row = { name, pages: 0, equivalent: 0, idle: 0, differs: 0, failed: 0, failedOriginal: 0, failedPort: 0, builtOriginals: 0, note: '' };
  table.push(row);
  if (!existsSync(descriptor)) { row.note = 'no descriptor file'; continue; }
  const out = path.join(work, name, 'forge-app');
  const originals = path.join(work, name, 'originals');
  rmSync(path.join(work, name), { recursive: true, force: true });
  const m = run(bin, ['migrate', descriptor, '--source', app, '--out', out, '--yes', '--format', 'json', '--originals', originals], { env: { ...process.env, CI: 'true' } });
  if (m.code !== 0) { row.note = `migrate exits ${m.code}`; continue; }
  // The Forge app is kept in the vendor's repository: its builds run in a git checkout.
  asCheckout(out);
  let appKey = 'com.example.app';
  try { appKey = JSON.parse(readFileSync(descriptor, 'utf8')).key || appKey; } catch (_) { /* a template descriptor */ }
  // How each resource's page was found, from the review: a front-end project's shell
  // (`front-end`, `file-route`) is not the page its server sends (that is its build output).
  const foundBy = new Map();
  let fronts = new Map();
  let absent = new Map();
  try {
    const review = JSON.parse(m.stdout);
    fronts = frontEnds(review);
    absent = missingScripts(review);
    for (const mod of review.modules) {
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
    // A front-end project's shell or route file: found as one, or so the review says of the page
    // (standup-board's hello-world, found by its static path, is the CRA shell too).
    const shell = ['front-end', 'file-route'].includes(foundBy.get(res))
      || (fronts.get(meta.module) || []).some((u) => !u.bundle && /^the page is (the shell its build fills|a route of it)$/.test(u.why));
    const uses = (fronts.get(meta.module) || []).filter((u) => (shell ? !u.bundle : u.bundle));
    // The original: as the tool wrote it, or built from its front-end project.
    let original = { html: path.join(originals, res, 'original.html'), map: path.join(originals, res, 'original.json') };
    if (shell && !uses.length) original = { reason: `a front-end project's shell (found by ${foundBy.get(res)}) whose project the review does not name` };
    else if (uses.length) original = builtOriginal(app, meta, uses, res, originals);
    if (original.built) row.builtOriginals++;
    // The port: a shell whose project is not carried has nothing of the page's code to run.
    let port;
    if (shell && uses.some((u) => !u.carried)) port = { reason: `the project ${uses[0].folder} is analysed, not carried (C2F074)` };
    else {
      const b = existsSync(path.join(dir, 'package.json')) ? build(dir) : { code: 1, why: 'no scaffold', out: '' };
      if (b.code !== 0) {
        // The line that says which step failed (the carried project's npm install), then why.
        const step = (b.out.split('\n').find((l) => /^Error: /.test(l)) || '').replace(/\/\S*\/static\/[^/\s]+\//g, '').trim();
        const err = firstError(b.out);
        port = { reason: `${b.why}${step ? `: ${step.slice(0, 120)}` : ''}${err && err !== step ? `${step ? ' —' : ':'} ${err.slice(0, 160)}` : ''}` };
      } else port = { cache: b.cache };
    }
    if (original.reason || port.reason) {
      row.failed++;
      if (original.reason) row.failedOriginal++;
      if (port.reason) row.failedPort++;
      const why = [original.reason && `original: ${original.reason}`, port.reason && `port: ${port.reason}`].filter(Boolean).join('; ');
      console.log(`could not run  ${label}: ${why}${original.note ? ` [original ${original.note}]` : ''}`);
      continue;
    }
    const scenario = path.join(originals, res, 'scenario.json');
    writeFileSync(scenario, `${JSON.stringify({ ...scenarioFor(meta, appKey), missingToo: absent.get(meta.module) || [] }, null, 2)}\n`);
    const args = [EQUIVALENCE, '--original', original.html,
      '--original-map', original.map, '--cdn-root', path.join(port.cache, 'node_modules'),
      '--ported', path.join(dir, 'build'), '--scenario', scenario];
    if (verbose) args.push('--verbose');
    const r = run(process.execPath, args, { cwd: REPO });
    const count = (r.out.split('\n')[0].match(/\((\d+) effects original, (\d+) ported\)/) || []).slice(1).join('/');
    // The page is carried but the bundle it loads is not: what the bundle does is missing on Forge.
    const unported = uses.filter((u) => u.bundle && !u.carried).map((u) => u.bundle);
    const note = [original.note && `original ${original.note}`, unported.length && `port: ${unported.join(', ')} not carried (C2F074)`].filter(Boolean).map((x) => ` [${x}]`).join('');
    if (r.code === 0) {
      row.equivalent++;
      // Equivalent, but neither side did anything at all (no request, load, error, event…).
      if (count === '0/0') row.idle++;
      console.log(`equivalent     ${label}: ${count} effects${note}`);
    } else if (r.code === 1 && r.out.startsWith('DIFFERENT')) {
      row.differs++;
      console.log(`differs        ${label}: ${count} effects; first difference, ${firstDifference(r.out)}${note}`);
    } else if (r.code === 3) {
      row.failed++;
      row.failedOriginal++;
      console.log(`could not run  ${label}: original: ${r.out.split('\n')[0].replace(/^CANNOT RUN: /, '')}${note}`);
    } else {
      row.failed++;
      console.log(`could not run  ${label}: ${(r.out.split('\n').find((l) => l.trim()) || `exit ${r.code}`).slice(0, 200)}${note}`);
    }
    if (verbose) console.log(r.out);
  }
}
console.log('\n| app | pages carried | equivalent | of those, no effect on either side | differs | could not run | of those, the original fails | of those, the port fails | originals built |');
console.log('| --- | --: | --: | --: | --: | --: | --: | --: | --: |');
const total = { pages: 0, equivalent: 0, idle: 0, differs: 0, failed: 0, failedOriginal: 0, failedPort: 0, builtOriginals: 0 };
for (const r of table) {
  for (const k of Object.keys(total)) total[k] += r[k];
  console.log(`| ${r.name} | ${r.note ? `– (${r.note})` : r.pages} | ${r.equivalent} | ${r.idle} | ${r.differs} | ${r.failed} | ${r.failedOriginal} | ${r.failedPort} | ${r.builtOriginals} |`);
}
const pct = total.pages ? Math.round((100 * total.equivalent) / total.pages) : 0;
console.log(`| **all** | ${total.pages} | ${total.equivalent} (${pct} %) | ${total.idle} | ${total.differs} | ${total.failed} | ${total.failedOriginal} | ${total.failedPort} | ${total.builtOriginals} |`);
if (keepAt < 0) rmSync(work, { recursive: true, force: true });
