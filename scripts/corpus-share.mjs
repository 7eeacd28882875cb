// Measures how far the corpus of real Connect descriptors leaves Connect (issues 16 and 17):
// migrates each descriptor with the built binary, reads the manifest.yml it wrote, and prints
//
//   - how many migrated and how many were refused (and why, in one line each);
//   - the #16 share: apps with no UI module type left under `connectModules` (lifecycle,
//     webhooks and the other module types with no page — NON_UI below — do not count);
//   - the #17 share: apps with no `connectModules` at all and no Connect scope
//     (`*:connect-*`) in `permissions.scopes`;
//   - the blockers over apps: each Connect module type left (with the entry's `location` for
//     web items, web panels and web sections) and each Connect scope, counted once per app.
//
//   node scripts/corpus-share.mjs [BINARY] [--corpus DIR] [--keep DIR] [--apps] [--json]
//
//   BINARY    default target/release/connect2forge (build it first: cargo build --release)
//   --corpus  default ../shared/corpus/connect (its product per file is ../SOURCES.tsv)
//   --keep    write the migrated apps under DIR (one folder per descriptor) and keep them,
//             e.g. to run ../shared/tools/forge-validate/validate --connect-schema DIR/*
//   --apps    also list, per app, what still holds it on Connect
//   --json    print the figures as one JSON document instead
//
// Each descriptor is copied alone into a temp folder first, so the other corpus files are not
// read as the app's source tree. A refusal for product ambiguity ("pass --product") is retried
// with the product SOURCES.tsv gives, as tests/corpus.rs does. No dependencies: the manifest is
// read with the small block-YAML reader below, enough for what connect2forge writes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const corpus = path.resolve(flag('--corpus') ?? path.join(repoRoot, '..', 'shared', 'corpus', 'connect'));
if (!existsSync(corpus)) {
  console.error(`no corpus at ${corpus}: clone the shared repository as ../shared, or pass --corpus DIR`);
  process.exit(2);
}
const keep = flag('--keep');
const listApps = args.includes('--apps');
const asJson = args.includes('--json');
const bin = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(repoRoot, 'target', 'release', 'connect2forge'));
if (!existsSync(bin)) {
  console.error(`no binary at ${bin}: run cargo build --release, or name it`);
  process.exit(2);
}

// connectModules types that are no UI module — no page, iframe or link the product shows: they
// hold an app on Connect (#17) but not its UI (#16). Every other type counts as UI.
const NON_UI = new Set([
  'lifecycle', 'webhooks', 'translations', 'cloudAppMigration', 'jiraEntityProperties',
  'confluenceContentProperties', 'jiraProjectPermissions', 'jiraGlobalPermissions',
  'jiraIssueFields', 'jiraTimeTrackingProviders', 'jiraDevelopmentTool', 'jiraDeploymentInfoProvider',
  'jiraBuildInfoProvider', 'jiraFeatureFlagInfoProvider', 'jiraRemoteLinkInfoProvider',
  'jiraSecurityInfoProvider', 'jiraOperationsInfoProvider', 'jiraDevOpsComponentProvider',
  'jiraDeploymentGating', 'jiraJqlFunctions', 'jiraIssueTypes',
]);
// Types whose `location` says where they would show (the blocker histogram names it).
const BY_LOCATION = new Set(['webItems', 'webPanels', 'webSections']);

// --- the product of each descriptor, from SOURCES.tsv ---
const products = new Map();
const sources = path.join(corpus, '..', 'SOURCES.tsv');
if (existsSync(sources)) {
  for (const line of readFileSync(sources, 'utf8').split('\n').slice(1)) {
    const cols = line.split('\t');
    if (cols[0]?.startsWith('connect/')) products.set(cols[0].slice('connect/'.length), cols[5]);
  }
}

// --- a block-YAML reader for connect2forge's own manifest.yml ---
function scalar(text) {
  const t = text.trim();
  if (t === '' || t === '~' || t === 'null') return null;
  if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  if (t.startsWith('"') || t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t);
    } catch {
      return t;
    }
  }
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

function parseYaml(text) {
  const lines = text
    .split('\n')
    .map((raw) => ({ indent: raw.search(/\S/), text: raw.trim(), raw }))
    .filter((l) => l.indent >= 0 && !l.text.startsWith('#'));
  let i = 0;
  const splitKey = (t) => {
    // A plain key may hold colons (jira:webItems): it ends at the first ": " or final ":".
    const m = /^('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|(?:[^:]|:(?!\s|$))+):(?:\s+(.*))?$/.exec(t);
    return m ? [scalar(m[1]), m[2] ?? ''] : null;
  };
  function block(indent) {
    const first = lines[i];
    if (!first || first.indent < indent) return null;
    return first.text.startsWith('- ') || first.text === '-' ? seq(first.indent) : map(first.indent);
  }
  function blockScalar(indent) {
    const out = [];
    while (i < lines.length && lines[i].indent > indent) out.push(lines[i++].raw);
    return out.join('\n');
  }
  function value(rest, indent) {
    if (rest === '|' || rest === '>' || /^[|>][-+]?$/.test(rest)) return blockScalar(indent);
    if (rest === '') return block(indent + 1);
    return scalar(rest);
  }
  function map(indent) {
    const out = {};
    while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith('- ')) {
      const kv = splitKey(lines[i].text);
      i++;
      if (!kv) continue;
      out[kv[0]] = value(kv[1], indent);
    }
    return out;
  }
  function seq(indent) {
    const out = [];
    while (i < lines.length && lines[i].indent === indent && (lines[i].text.startsWith('- ') || lines[i].text === '-')) {
      const rest = lines[i].text.slice(1).trimStart();
      const kv = rest === '' ? null : splitKey(rest);
      if (rest === '') {
        i++;
        out.push(block(indent + 1));
      } else if (kv && !/^["'[{]/.test(rest)) {
        // "- key: value" opens a mapping whose further keys sit two columns in.
        const inner = indent + 2;
        lines[i] = { ...lines[i], indent: inner, text: rest };
        out.push(map(inner));
      } else {
        i++;
        out.push(scalar(rest));
      }
    }
    return out;
  }
  return block(0) ?? {};
}

// --- run every descriptor ---
function migrate(file, out, extra) {
  const r = spawnSync(bin, ['migrate', file, '--out', out, '--yes', '--color', 'never', ...extra], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  return { code: r.status, stderr: r.stderr };
}

const work = mkdtempSync(path.join(tmpdir(), 'corpus-share-'));
const files = readdirSync(corpus).sort();
const refused = [];
const apps = [];
for (const name of files) {
  const input = path.join(work, 'in', name.replace(/\W/g, '_'));
  mkdirSync(input, { recursive: true });
  const copy = path.join(input, name);
  copyFileSync(path.join(corpus, name), copy);
  const out = keep ? path.resolve(keep, name.replace(/\.[^.]*$/, '')) : path.join(work, 'out', name);
  if (keep) rmSync(out, { recursive: true, force: true });
  let run = migrate(copy, out, []);
  if (run.code === 2 && run.stderr.includes('pass --product') && products.get(name) && products.get(name) !== 'other') {
    run = migrate(copy, out, ['--product', products.get(name)]);
  }
  if (run.code !== 0) {
    const line = run.stderr.split('\n').find((l) => /error/i.test(l)) ?? run.stderr.split('\n')[0];
    refused.push({ name, code: run.code, why: line.slice(line.indexOf('error')).trim() });
    continue;
  }
  const manifest = parseYaml(readFileSync(path.join(out, 'manifest.yml'), 'utf8'));
  const connect = manifest.connectModules ?? {};
  const blockers = new Set();
  let ui = false;
  for (const [full, entries] of Object.entries(connect)) {
    const type = full.replace(/^[a-z]+:/, '');
    if (!NON_UI.has(type)) ui = true;
    for (const e of Array.isArray(entries) ? entries : [entries]) {
      const where = BY_LOCATION.has(type) && e && typeof e === 'object' ? ` @ ${e.location ?? '(no location)'}` : '';
      blockers.add(`module ${type}${where}`);
    }
  }
  const scopes = (manifest.permissions?.scopes ?? []).filter((s) => typeof s === 'string' && /:connect-/.test(s));
  for (const s of scopes) blockers.add(`scope ${s}`);
  apps.push({ name, ui, connect: Object.keys(connect).length > 0, scopes, blockers: [...blockers] });
  if (!keep) rmSync(out, { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });

// --- report ---
const pct = (n, d) => (d ? ((100 * n) / d).toFixed(1) : '0.0');
const noUi = apps.filter((a) => !a.ui).length;
const forgeOnly = apps.filter((a) => !a.connect && a.scopes.length === 0).length;
const histogram = new Map();
for (const a of apps) for (const b of a.blockers) histogram.set(b, (histogram.get(b) ?? 0) + 1);
const sorted = [...histogram].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
if (asJson) {
  console.log(JSON.stringify({
    descriptors: files.length,
    migrated: apps.length,
    refused,
    no_ui_connect_module: noUi,
    no_connect: forgeOnly,
    blockers: Object.fromEntries(sorted),
    apps: listApps ? apps : undefined,
  }, null, 2));
} else {
  console.log(`descriptors: ${files.length}   migrated: ${apps.length}   refused: ${refused.length}`);
  for (const r of refused) console.log(`  refused ${r.name}: ${r.why}`);
  console.log(`#16 no UI module left in connectModules: ${noUi}/${apps.length} = ${pct(noUi, apps.length)} %`);
  console.log(`#17 no connectModules and no Connect scope: ${forgeOnly}/${apps.length} = ${pct(forgeOnly, apps.length)} %`);
  console.log('blockers (apps holding each):');
  for (const [b, n] of sorted) console.log(`  ${String(n).padStart(4)}  ${b}`);
  if (listApps) {
    for (const a of apps.filter((x) => x.blockers.length)) console.log(`${a.name}: ${a.blockers.join('; ')}`);
  }
}
