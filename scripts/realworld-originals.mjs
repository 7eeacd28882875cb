// The ORIGINAL side of the real-app browser measure (scripts/realworld-browser.mjs), when the page
// its server sends, or a script it loads, is a front-end project's build output that is not in the
// repository: the project is built the way its vendor would, in a copy (never in the app's tree),
// and the page is served from what the build wrote.
//
//   node scripts/realworld-originals.mjs APP_DIR PROJECT WORK_DIR [BUILDER]   (builds one project, prints the result)
//
// buildOriginal(app, project, work) copies APP_DIR/PROJECT (the folder of the package.json whose
// build makes the page, as the tool's C2F074 warning names it; without node_modules/ and .git/)
// to WORK_DIR/_originals/<app>/<project>/, runs `npm install --no-audit --no-fund
// --legacy-peer-deps` there (kept across runs while package.json and its lockfile are the same)
// and `npm run build` (without a build script, the one script that runs the project's bundler,
// `npm run webpack`; again with NODE_OPTIONS=--openssl-legacy-provider when an old webpack fails
// with ERR_OSSL_EVP_UNSUPPORTED on today's Node), each within a time limit. The result (kept across
// runs too, as the apps' commits are fixed) says whether it built, and why not in one line.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MINUTES = Number(process.env.C2F_RWB_BUILD_MINUTES || 10);
const SKIP = new Set(['node_modules', '.git']);

function run(cmd, args, opts = {}) {
  // `timeout` runs the command in a process group of its own and ends all of it at the limit.
  const r = spawnSync('timeout', ['-k', '20s', `${MINUTES * 60}s`, cmd, ...args], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts,
  });
  return { code: r.status, out: `${r.stdout || ''}${r.stderr || ''}`, timedOut: r.status === 124 || r.status === 137 };
}

/**
 * Makes `dir` a git checkout when it is in none, as a vendor's working copy is: a build that
 * reads its revision (`git rev-parse HEAD` in a Vite config, git-revision-webpack-plugin) runs
 * in one. One empty commit: nothing of the tree is added.
 */
export function asCheckout(dir) {
  if (spawnSync('git', ['rev-parse', '--git-dir'], { cwd: dir, stdio: 'ignore' }).status === 0) return false;
  const git = (...args) => spawnSync('git', ['-c', 'user.name=c2f', '-c', 'user.email=c2f@example.invalid', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('commit', '-q', '--allow-empty', '-m', "the vendor's checkout");
  return true;
}

/** The first line of a failed command's output that says what failed (a host not reachable first). */
export function firstError(out) {
  // eslint-disable-next-line no-control-regex
  const lines = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split('\n').map((l) => l.replace(/^npm (ERR!|error)\s*/, '').trim()).filter((l) => l && !/^(ERROR|Error:?)$/.test(l));
  const said = (l) => !/^(code|errno|path|command|cwd|syscall|signal|A complete log|notarget In most cases|gyp (info|verb))\b/.test(l) && !/^> /.test(l);
  const l = [/getaddrinfo|Could not resolve host|ENOTFOUND|No matching version/i, /error|failed|cannot|can't|not found|unexpected|problem|ERR_|ENOENT/i, /./]
    .map((re) => lines.find((x) => said(x) && re.test(x))).find(Boolean) || '';
  // "Failed to compile." (Create React App, webpack): what failed is on the lines after it.
  const more = /^Failed to compile\.?$/.test(l) ? lines.slice(lines.indexOf(l) + 1, lines.indexOf(l) + 4).join(' ') : '';
  return `${l}${more ? ` ${more}` : ''}`.replace(/^notarget /, '').replace(/\s+/g, ' ').replace(/\/\S*\/_originals\/[^/\s]+\/[^/\s]+\//g, '').slice(0, 240);
}

/** What the project's npm install depends on: its package.json and lockfile. */
export function installKey(dir) {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock']) {
    h.update(f).update('\0');
    if (existsSync(path.join(dir, f))) h.update(readFileSync(path.join(dir, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Removes package `name` from a lockfile (package-lock.json or yarn.lock); whether it was there. */
function dropFromLock(file, name) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('yarn.lock')) {
    const esc = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const blocks = text.split(/\n(?=\S)/);
    const kept = blocks.filter((b) => !new RegExp(`^"?${esc}@`).test(b));
    if (kept.length === blocks.length) return false;
    writeFileSync(file, kept.join('\n'));
    return true;
  }
  const lock = JSON.parse(text);
  let dropped = false;
  for (const k of Object.keys(lock.packages || {})) {
    if (k === `node_modules/${name}` || k.endsWith(`/node_modules/${name}`)) { delete lock.packages[k]; dropped = true; }
  }
  const walk = (deps) => {
    for (const [k, v] of Object.entries(deps || {})) {
      if (k === name) { delete deps[k]; dropped = true; } else walk(v.dependencies);
    }
  };
  walk(lock.dependencies);
  if (dropped) writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  return dropped;
}

/**
 * node-sass has no binding for Node 20 before its release 9 (and none after Node 20): a project
 * whose range stops before that gets Dart Sass under node-sass's name (sass-loader takes either),
 * as the port's scripts/project.mjs does; the range replaced, or null.
 */
function dartSassForNodeSass(dir) {
  const file = path.join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const node = Number(process.versions.node.split('.')[0]);
  const needed = node <= 14 ? 4 : node <= 17 ? node - 10 : node <= 19 ? 8 : node === 20 ? 9 : Infinity;
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const range = pkg[field] && pkg[field]['node-sass'];
    if (typeof range !== 'string' || range.startsWith('npm:')) continue;
    const top = /^\s*(\*|x|latest|>.*)?\s*$/.test(range) ? 9 : Number((range.match(/\d+/) || [])[0]);
    if (top >= needed) continue;
    pkg[field]['node-sass'] = 'npm:sass@1.32.13';
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    for (const f of ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock']) {
      if (existsSync(path.join(dir, f))) dropFromLock(path.join(dir, f), 'node-sass');
    }
    return range;
  }
  return null;
}

/**
 * Builds the front-end project `project` ('' or './' for the app's root) of the app in `appDir`
 * under `work`; returns { ok, dir (the copy), started (ms: when the build began), reason? }.
 */
export function buildOriginal(appDir, project, work, builder = null, bundles = []) {
  const name = path.basename(appDir);
  const rel = project.replace(/^\.\/?$/, '').replace(/\/$/, '');
  const src = path.join(appDir, rel);
  const dir = path.join(work, '_originals', name, rel || '_root');
  const resultFile = path.join(dir, '.c2f-build.json');
  // node-sass given to Dart Sass (below) is another install than the one an older run kept.
  const srcPkg = path.join(src, 'package.json');
  const sassRange = existsSync(srcPkg) && /"node-sass"\s*:/.test(readFileSync(srcPkg, 'utf8'));
  const key = `${installKey(src)}${sassRange ? `:node-sass-for-node-${process.versions.node.split('.')[0]}` : ''}`;
  if (!existsSync(srcPkg)) return { ok: false, reason: `no package.json in ${project}` };
  // `npm run build`, or (no build script) the script that runs the project's bundler once; a
  // bundle its bundler's configuration writes is built by that bundler (as a Maven build's
  // frontend plugin runs it), whatever `build` runs.
  const scripts = JSON.parse(readFileSync(srcPkg, 'utf8')).scripts || {};
  const npmArgs = buildArgs(src, scripts, builder, bundles);
  if (existsSync(resultFile)) {
    const kept = JSON.parse(readFileSync(resultFile, 'utf8'));
    if (kept.key === key && JSON.stringify(kept.npmArgs) === JSON.stringify(npmArgs)) return kept;
  }
  // A fresh copy of the sources beside the installed node_modules/ (if the install is still good).
  mkdirSync(dir, { recursive: true });
  const stamp = path.join(dir, 'node_modules', '.c2f-install');
  const installed = existsSync(stamp) && readFileSync(stamp, 'utf8') === key;
  for (const e of readdirSync(dir)) if (!(installed && e === 'node_modules')) rmSync(path.join(dir, e), { recursive: true, force: true });
  cpSync(src, dir, { recursive: true, filter: (f) => !SKIP.has(path.basename(f)) });
  asCheckout(dir);
  // CI=true would make Create React App treat its warnings as errors: the vendor builds without it.
  // Peer dependencies not enforced, as npm 6 (the vendor's) did not: also for an `npm install`
  // the build script runs itself (`"prebuild": "npm install"`), as the resource's build does.
  const env = { ...process.env, CI: '', BROWSER: 'none', GATSBY_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1', NUXT_TELEMETRY_DISABLED: '1', npm_config_legacy_peer_deps: 'true' };
  delete env.NODE_OPTIONS;
  const done = (r) => { writeFileSync(resultFile, `${JSON.stringify({ key, npmArgs, dir, ...r }, null, 2)}\n`); return { key, npmArgs, dir, ...r }; };
  // How the install departed from a plain `npm install` (kept with it, for the next runs).
  const notes = path.join(dir, 'node_modules', '.c2f-install-notes');
  let unlocked = installed && existsSync(notes) ? readFileSync(notes, 'utf8') || null : null;
  // The copy's package.json as the install left it (node-sass's name given to Dart Sass).
  const sass = dartSassForNodeSass(dir);
  if (!installed) {
    const install = () => run('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--loglevel=error'], { cwd: dir, env });
    const changed = sass ? [`node-sass ${sass} installed as Dart Sass (sass@1.32.13: no node-sass release in that range builds for Node ${process.versions.node})`] : [];
    let i = install();
    const locks = () => ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock'].filter((f) => existsSync(path.join(dir, f)));
    // A lockfile resolved through a registry mirror this machine cannot reach
    // (packages.atlassian.com): the same tarballs from the public registry.
    const mirror = i.code !== 0 && /ENOTFOUND|ECONNREFUSED|EAI_AGAIN/.test(i.out)
      && (i.out.match(/request to (https?:\/\/(?!registry\.npmjs\.org)[^/\s]+\/(?:[^\s]*?\/)?)(?:@[^/\s]+\/)?[^/\s]+\/-\/\S+\.tgz failed/) || [])[1];
    if (mirror && locks().length) {
      for (const f of locks()) {
        const file = path.join(dir, f);
        writeFileSync(file, readFileSync(file, 'utf8').split(mirror).join('https://registry.npmjs.org/'));
      }
      changed.push(`its lockfile's ${mirror} read as the public registry`);
      i = install();
    }
    // A lockfile that pins a version no longer published (no such version, or its tarball 404s):
    // that package is resolved again from its range, the rest stays as locked.
    for (let n = 0; n < 8 && i.code !== 0 && locks().length; n++) {
      const gone = (i.out.match(/No matching version found for ((?:@[^/\s]+\/)?[^@\s]+)@/) || i.out.match(/E404[\s\S]*?registry\.npmjs\.org\/((?:@[^/\s]+\/)?[^/\s]+)\/-\/\S+\.tgz/) || [])[1];
      if (!gone || !locks().some((f) => dropFromLock(path.join(dir, f), gone))) break;
      changed.push(`${gone} resolved again (its locked version is no longer published)`);
      i = install();
    }
    // A dependency's install script that fails here (ngrok downloads its binary from a host this
    // machine cannot reach; an old sqlite3 or node-sass does not compile for today's Node):
    // installed without install scripts. A server's native module is not what a front-end build
    // needs; when the build does need it, the build fails and says so.
    const script = i.code !== 0 && (i.out.match(/path \S*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\s/) || [])[1];
    if (script) {
      changed.push(`installed with --ignore-scripts (${script}'s install script fails: ${firstError(i.out).slice(0, 60)})`);
      i = run('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--loglevel=error', '--ignore-scripts'], { cwd: dir, env });
    }
    if (changed.length) unlocked = changed.join('; ');
    writeFileSync(path.join(dir, '.c2f-install.log'), i.out);
    if (i.code !== 0) {
      const dep = (i.out.match(/path \S*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\s/) || [])[1];
      const why = `${dep ? `${dep}'s install script: ` : ''}${firstError(i.out)}`;
      return done({ ok: false, reason: i.timedOut ? `npm install takes more than ${MINUTES} min` : `npm install fails: ${why}${changed.length ? ` (${changed.join('; ')})` : ''}` });
    }
    writeFileSync(stamp, key);
    writeFileSync(notes, unlocked || '');
  }
  // File times are compared with this (the build writes after it; a second's slack for coarse clocks).
  const started = Date.now() - 1000;
  if (!npmArgs) return done({ ok: false, reason: `its package.json has no build script${builder ? ` (nor one that runs ${builder})` : ''}` });
  const script = npmArgs.join(' ');
  let b = run('npm', npmArgs, { cwd: dir, env });
  let legacy = false;
  if (b.code !== 0 && /ERR_OSSL_EVP_UNSUPPORTED|error:0308010C|digital envelope routines::unsupported/.test(b.out)) {
    legacy = true;
    b = run('npm', npmArgs, { cwd: dir, env: { ...env, NODE_OPTIONS: '--openssl-legacy-provider' } });
  }
  writeFileSync(path.join(dir, '.c2f-build.log'), b.out);
  if (b.code !== 0) {
    return done({ ok: false, started, reason: b.timedOut ? `npm ${script} takes more than ${MINUTES} min` : `npm ${script} fails${legacy ? ' (also with --openssl-legacy-provider)' : ''}: ${firstError(b.out)}` });
  }
  return done({ ok: true, started, legacy, unlocked, script: script === 'run build' ? null : `npm ${script} (not npm run build)` });
}

/** The programs a package.json script runs ([program, rest]), past environment assignments and wrappers. */
function programs(cmd) {
  const wrappers = new Set(['cross-env', 'cross-env-shell', 'env', 'npx', 'dotenv']);
  return String(cmd).split(/[&|;]/).map((seg) => {
    const words = seg.trim().split(/\s+/).filter(Boolean);
    let i = 0;
    let wrapped = false;
    while (i < words.length && (/^[A-Za-z_]\w*=/.test(words[i]) || wrappers.has(words[i]) || (wrapped && words[i].startsWith('-')))) {
      wrapped ||= wrappers.has(words[i]);
      i++;
    }
    return i < words.length ? [words[i].split('/').pop(), words.slice(i + 1)] : null;
  }).filter(Boolean);
}

/** The npm arguments that build the project in `dir` (see the port's plan: src/port/project.rs). */
function buildArgs(dir, scripts, builder, bundles) {
  const bin = builder && builder.replace(/^@[^/]+\//, '').replace(/-service$/, '');
  const once = (cmd, b) => programs(cmd).some(([p, rest]) => (b ? p === b : p === bin)
    && !rest.some((w) => ['serve', 'dev', 'start', '--watch', '-w'].includes(w) || w.startsWith('--watch=')));
  for (const [stem, b] of [['webpack.config', 'webpack'], ['vite.config', 'vite'], ['rollup.config', 'rollup']]) {
    for (const ext of ['js', 'cjs', 'mjs', 'ts', 'mts', 'cts']) {
      const f = path.join(dir, `${stem}.${ext}`);
      if (!bundles.length || !existsSync(f)) continue;
      const text = readFileSync(f, 'utf8');
      if (!bundles.some((n) => ['/', "'", '"', '`'].some((q) => text.includes(`${q}${n}`)))) continue;
      if (scripts.build && once(scripts.build, b)) return ['run', 'build'];
      const k = Object.keys(scripts).find((name) => once(scripts[name], b));
      return k ? ['run', k] : ['exec', '--', b, ...({ vite: ['build'], rollup: ['-c'] }[b] || [])];
    }
  }
  if (scripts.build) return ['run', 'build'];
  const k = Object.keys(scripts).find((name) => bin && once(scripts[name]));
  return k ? ['run', k] : null;
}

/** The files under `dir` (not in node_modules/) named `base` and written since `since`, nearest first. */
export function writtenSince(dir, base, since) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (SKIP.has(e.name)) continue;
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name === base && statSync(f).mtimeMs >= since) out.push(f);
    }
  };
  walk(dir);
  return out.sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || a.localeCompare(b));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [appDir, project, work, builder] = process.argv.slice(2);
  if (!appDir || project === undefined || !work) {
    console.error('usage: node scripts/realworld-originals.mjs APP_DIR PROJECT WORK_DIR [BUILDER]');
    process.exit(2);
  }
  console.log(JSON.stringify(buildOriginal(path.resolve(appDir), project, path.resolve(work), builder || null), null, 2));
}
