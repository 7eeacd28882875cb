#!/usr/bin/env node
// Builds the npm packages of connect2forge and packs them into OUT_DIR:
//
//   node scripts/npm-pack.mjs OUT_DIR [--binary PATH]
//
// npm/platforms.json is the one list of platforms: every platform package's package.json, the
// main package's optionalDependencies and the launcher's table are generated from it here.
// The version is Cargo.toml's (read through `cargo metadata`), so there is one version number.
//
// A platform is built only when this machine has the Rust standard library for its target
// (`rustc --print target-libdir --target T` holds libstd): the others are skipped with a line
// that says why. `--binary PATH` packs an already built binary for the host's platform instead
// of running `cargo build --release` (the tests use the one `cargo test` built).
//
// Nothing is written outside OUT_DIR: the packages are assembled in a temporary folder.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npmDir = path.join(root, 'npm');

function usage(message) {
  process.stderr.write(`npm-pack: ${message}\nusage: node scripts/npm-pack.mjs OUT_DIR [--binary PATH]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let outDir;
let prebuilt;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--binary') {
    prebuilt = args[++i];
    if (!prebuilt) usage('--binary needs a path');
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

// The one common part of every package.json.
const common = {
  version,
  license: crate.license,
  repository: crate.repository ? { type: 'git', url: crate.repository } : undefined,
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
  if (prebuilt !== undefined && target === host) return path.resolve(prebuilt);
  if (!hasStd(target)) {
    return { skip: `no Rust standard library for ${target} on this machine` };
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

function pack(dir) {
  // --json: the tarball's name, whatever npm's text output looks like.
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: dir }));
  packed.push(path.join(outDir, info.filename));
}

function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

try {
  for (const platform of platforms) {
    const binary = binaryFor(platform);
    if (typeof binary !== 'string') {
      process.stderr.write(`skipped ${platform.package}: ${binary.skip}\n`);
      continue;
    }
    const dir = path.join(staging, platform.package);
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    const dest = path.join(dir, 'bin', platform.binary);
    fs.copyFileSync(binary, dest);
    fs.chmodSync(dest, 0o755);
    // No `bin`: only the main package's launcher is put on PATH.
    writeJson(path.join(dir, 'package.json'), {
      name: platform.package,
      ...common,
      description: `The connect2forge binary for ${platform.os}-${platform.cpu} (installed by the connect2forge package).`,
      os: [platform.os],
      cpu: [platform.cpu],
      files: [`bin/${platform.binary}`],
      preferUnplugged: true,
    });
    fs.writeFileSync(
      path.join(dir, 'README.md'),
      `# ${platform.package}\n\nThe \`connect2forge\` binary for ${platform.os}-${platform.cpu}. ` +
        'Install the `connect2forge` package instead: it depends on this one.\n'
    );
    pack(dir);
  }

  const main = path.join(staging, 'connect2forge');
  fs.cpSync(path.join(npmDir, 'connect2forge'), main, { recursive: true });
  fs.chmodSync(path.join(main, 'bin', 'connect2forge.js'), 0o755);
  writeJson(
    path.join(main, 'platforms.json'),
    platforms.map(({ package: pkg, os, cpu, binary }) => ({ package: pkg, os, cpu, binary }))
  );
  writeJson(path.join(main, 'package.json'), {
    name: 'connect2forge',
    ...common,
    description: crate.description,
    bin: { connect2forge: 'bin/connect2forge.js' },
    files: ['bin/connect2forge.js', 'platforms.json'],
    engines: { node: '>=18' },
    optionalDependencies: Object.fromEntries(platforms.map((p) => [p.package, version])),
  });
  pack(main);
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}

for (const file of packed) process.stdout.write(`${file}\n`);
