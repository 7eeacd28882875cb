// Builds this Custom UI resource into build/ (the folder the manifest's resource path points to):
// bundles src/main.js with esbuild into build/main.js and copies index.html next to it.
// Plain Node.js, so `npm run build` works the same on Linux, macOS and Windows.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'build');

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.js'],
  outfile: 'build/main.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: false,
  logLevel: 'warning'
});

await copyFile(path.join(root, 'index.html'), path.join(outdir, 'index.html'));
