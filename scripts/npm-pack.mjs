#!/usr/bin/env node
// Builds the npm packages of connect2forge and packs them into OUT_DIR, the way Biome ships its
// binaries: a main package `connect2forge` (the launcher, `bin/connect2forge.js`, and the JSON
// schemas of `--format json`) whose optionalDependencies are one scoped package per platform
// (`@connect2forge/cli-linux-x64`, `-linux-x64-musl`, ...), each with `os`, `cpu` and, on Linux,
// `libc`, so that npm installs only the one that runs here.
//
//   node scripts/npm-pack.mjs OUT_DIR [--binary PATH] [--binaries DIR] [--require-all]
//
// npm/platforms.json is the one list of platforms: every platform package's package.json, the
// main package's optionalDependencies, the launcher's table and the release workflow's build
// matrix come from it. The version is Cargo.toml's (read through `cargo metadata`), so there is
// one version number.
//
// Where each platform's binary comes from, first that applies:
//   --binaries DIR   DIR/<rust_target>/<binary>, built elsewhere (the release workflow's
//                    artifacts);
//   --binary PATH    an already built binary for this machine's target (the tests use the one
//                    `cargo test` built);
//   otherwise        `cargo build --release --locked --target T`, when this machine has the Rust
//                    standard library for T (`rustup target add T`; the musl targets also need a
//                    musl C compiler, Debian's musl-tools).
// A platform without a binary is skipped with a line that says why; with --require-all (the
// release) that is an error, and so is a missing repository URL.
//
// `repository` and `homepage` come from Cargo.toml's `repository`/`homepage`, or else, in GitHub
// Actions, from the repository the workflow runs in (GITHUB_SERVER_URL/GITHUB_REPOSITORY), which
// is also what npm's provenance checks them against.
//
// Nothing is written outside OUT_DIR: the packages are assembled in a temporary folder. The
// tarballs' paths are printed on stdout, platform packages first (the order to publish them in).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npmDir = path.join(root, 'npm');
const USAGE = 'usage: node scripts/npm-pack.mjs OUT_DIR [--binary PATH] [--binaries DIR] [--require-all]';

function usage(message) {
  process.stderr.write(`npm-pack: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let outDir;
let prebuilt;
let binariesDir;
let requireAll = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--binary') {
    prebuilt = args[++i];
    if (!prebuilt) usage('--binary needs a path');
  } else if (args[i] === '--binaries') {
    binariesDir = args[++i];
    if (!binariesDir) usage('--binaries needs a folder');
  } else if (args[i] === '--require-all') {
    requireAll = true;
  } else if (args[i].startsWith('-')) {
    usage(`unknown option ${args[i]}`);
  } else if (outDir === undefined) {
    outDir = path.resolve(args[i]);
  } else {
    usage(`unexpected argument ${args[i]}`);
  }
}
if (outDir === undefined) usage('OUT_DIR is missing');

function run(cmd, argv, options = {}) {
  return execFileSync(cmd, argv, { cwd: root, encoding: 'utf8', ...options });
}

const metadata = JSON.parse(
  run('cargo', ['metadata', '--no-deps', '--format-version', '1', '--manifest-path', path.join(root, 'Cargo.toml')])
);
const crate = metadata.packages.find((p) => p.name === 'connect2forge');
if (!crate) usage('Cargo.toml has no package connect2forge');
const version = crate.version;

const platforms = JSON.parse(fs.readFileSync(path.join(npmDir, 'platforms.json'), 'utf8'));
const host = /^host: (.+)$/m.exec(run('rustc', ['-vV']))[1];

// The repository, as a web URL without `.git`.
function repositoryUrl() {
  if (crate.repository) return crate.repository.replace(/\.git$/, '');
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo } = process.env;
  if (server && repo) return `${server}/${repo}`;
  return undefined;
}
const repository = repositoryUrl();
if (repository === undefined) {
  if (requireAll) usage('no repository URL: set `repository` in Cargo.toml, or run in GitHub Actions');
  process.stderr.write('npm-pack: no repository URL (Cargo.toml has none, and this is not GitHub Actions): the packages have no repository or homepage\n');
}

// The one common part of every package.json.
const common = {
  version,
  license: crate.license,
  ...(repository && {
    homepage: crate.homepage || `${repository}#readme`,
    repository: { type: 'git', url: `git+${repository}.git`, directory: 'npm' },
    bugs: `${repository}/issues`,
  }),
  engines: { node: '>=18' },
  // Scoped packages are private unless published with public access.
  publishConfig: { access: 'public' },
};

function hasStd(target) {
  try {
    const libdir = run('rustc', ['--print', 'target-libdir', '--target', target]).trim();
    return fs.readdirSync(libdir).some((f) => f.startsWith('libstd-'));
  } catch {
    return false;
  }
}

function binaryFor(platform) {
  const target = platform.rust_target;
  if (binariesDir !== undefined) {
    const file = path.resolve(binariesDir, target, platform.binary);
    if (fs.existsSync(file)) return file;
    return { skip: `${file} does not exist` };
  }
  if (prebuilt !== undefined) {
    if (target === host) return path.resolve(prebuilt);
    return { skip: `--binary is for ${host} only` };
  }
  if (!hasStd(target)) {
    return { skip: `no Rust standard library for ${target} on this machine (rustup target add ${target})` };
  }
  try {
    run('cargo', ['build', '--release', '--locked', '--target', target], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    return { skip: `cargo build --target ${target} failed (${e.message.split('\n')[0]})` };
  }
  return path.join(root, 'target', target, 'release', platform.binary);
}

const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'connect2forge-npm-'));
fs.mkdirSync(outDir, { recursive: true });
const packed = [];
const skipped = [];

function pack(dir) {
  // --json: the tarball's name, whatever npm's text output looks like.
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: dir }));
  packed.push(path.join(outDir, info.filename));
}

function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

function platformName(p) {
  return `${p.os}-${p.cpu}${p.libc === 'musl' ? ' (musl libc)' : ''}`;
}

try {
  for (const platform of platforms) {
    const binary = binaryFor(platform);
    if (typeof binary !== 'string') {
      process.stderr.write(`skipped ${platform.package}: ${binary.skip}\n`);
      skipped.push(platform.package);
      continue;
    }
    const dir = path.join(staging, platform.package.replace('/', '+'));
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    const dest = path.join(dir, 'bin', platform.binary);
    fs.copyFileSync(binary, dest);
    fs.chmodSync(dest, 0o755);
    // No `bin`: only the main package's launcher is put on PATH.
    writeJson(path.join(dir, 'package.json'), {
      name: platform.package,
      ...common,
      description: `The connect2forge binary for ${platformName(platform)}, run by the connect2forge package's launcher.`,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc && { libc: [platform.libc] }),
      files: [`bin/${platform.binary}`],
      preferUnplugged: true,
    });
    fs.writeFileSync(
      path.join(dir, 'README.md'),
      `# ${platform.package}\n\nThe \`connect2forge\` binary for ${platformName(platform)} (Rust target ` +
        `\`${platform.rust_target}\`). Install the \`connect2forge\` package instead: it depends on this one ` +
        'and runs it.\n'
    );
    pack(dir);
  }
  if (requireAll && skipped.length > 0) {
    usage(`--require-all: no binary for ${skipped.join(', ')}`);
  }

  const main = path.join(staging, 'connect2forge');
  fs.cpSync(path.join(npmDir, 'connect2forge'), main, { recursive: true });
  fs.chmodSync(path.join(main, 'bin', 'connect2forge.js'), 0o755);
  // The JSON schemas of `--format json`, for editors and scripts: node_modules/connect2forge/schema/.
  fs.cpSync(path.join(root, 'docs', 'schema'), path.join(main, 'schema'), { recursive: true });
  writeJson(
    path.join(main, 'platforms.json'),
    platforms.map(({ package: pkg, os, cpu, libc, binary }) => ({ package: pkg, os, cpu, ...(libc && { libc }), binary }))
  );
  writeJson(path.join(main, 'package.json'), {
    name: 'connect2forge',
    ...common,
    description: crate.description,
    keywords: ['atlassian', 'connect', 'forge', 'migration', 'jira', 'confluence', 'cli'],
    bin: { connect2forge: 'bin/connect2forge.js' },
    files: ['bin/connect2forge.js', 'platforms.json', 'schema/*.json', 'README.md'],
    optionalDependencies: Object.fromEntries(platforms.map((p) => [p.package, version])),
  });
  pack(main);
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}

for (const file of packed) process.stdout.write(`${file}\n`);
