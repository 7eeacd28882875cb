// Runs the rendered layer in node against the fakes, then the test's page script (page.mjs), and
// prints what happened as JSON: the bridge calls, the console lines, what the page observed.
import './env.mjs';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const { ready } = await import('./connect-compat.js');
await ready;
try {
  await import('./page.mjs');
} catch (error) {
  globalThis.__console.push(`page threw: ${error && error.constructor && error.constructor.name}: ${error && error.message}`);
}
globalThis.__domContentLoaded();
await settle();
await settle();
process.stdout.write(JSON.stringify({ calls: globalThis.__calls, console: globalThis.__console, out: globalThis.__out, search: location.search }));
