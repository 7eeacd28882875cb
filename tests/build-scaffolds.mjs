// Builds many Custom UI scaffolds in one Node.js process: each folder's own scripts/build.mjs is
// imported (it builds the folder it lives in, whatever the working directory), so this is the
// scaffold's `npm run build` without a process per folder. tests/corpus.rs uses it for the corpus
// apps' scaffolds (hundreds of them); the fixture apps still run `npm run build` itself.
// Usage: node tests/build-scaffolds.mjs < list-of-scaffold-folders (one per line)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dirs = readFileSync(0, 'utf8').split('\n').filter(Boolean);
for (const dir of dirs) {
  try {
    await import(pathToFileURL(path.join(dir, 'scripts', 'build.mjs')).href);
  } catch (e) {
    console.error(`build failed in ${dir}: ${e.stack || e}`);
    process.exit(1);
  }
}
console.error(`${dirs.length} scaffold(s) built`);
