// The browser globals the compatibility layer reads, for node (tests/compat_template.rs): window,
// location and history (replaceState recorded), localStorage, console capture. The test's data
// (context, replies) is in env.json beside this file.
import { readFileSync } from 'node:fs';

const data = JSON.parse(readFileSync(new URL('./env.json', import.meta.url), 'utf8'));
globalThis.__context = data.context;
globalThis.__replies = data.replies || {};
globalThis.__contextFails = data.contextFails === true;
globalThis.__calls = [];
globalThis.__console = [];
globalThis.__out = [];
globalThis.out = (what, value) => globalThis.__out.push([what, value === undefined ? null : value]);
globalThis.window = globalThis;

const url = new URL(data.iframeUrl || 'https://forge-cdn.test/index.html');
globalThis.location = {
  get pathname() { return url.pathname; },
  get search() { return url.search; },
  get hash() { return url.hash; },
  get href() { return url.href; },
};
globalThis.history = {
  state: null,
  replaceState(state, _title, next) {
    const resolved = new URL(next, url.href);
    url.pathname = resolved.pathname;
    url.search = resolved.search;
    url.hash = resolved.hash;
    globalThis.__calls.push({ api: 'history.replaceState', url: `${url.pathname}${url.search}${url.hash}` });
  },
};
const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...args) => globalThis.__console.push(`${level}: ${args.map((a) => (typeof a === 'string' ? a : (a && a.message) || JSON.stringify(a))).join(' ')}`);
}
process.on('unhandledRejection', (e) => globalThis.__console.push(`unhandledRejection: ${e && e.message ? e.message : JSON.stringify(e)}`));
process.on('uncaughtException', (e) => globalThis.__console.push(`uncaught: ${e && e.message}`));

// A document still loading: the runner fires DOMContentLoaded once the page script has run, as a
// browser does after the page's classic scripts (no DOM: the layer draws no buttons here).
const documentListeners = [];
globalThis.document = {
  readyState: 'loading',
  addEventListener(type, fn) {
    if (type === 'DOMContentLoaded') documentListeners.push(fn);
  },
};
// `dom: true`: the little of the DOM a <base href> needs (the elements the layer adds to <head>
// recorded as `head.prepend` calls).
if (data.dom) {
  const head = {
    children: [],
    prepend(el) {
      this.children.unshift(el);
      globalThis.__calls.push({ api: 'head.prepend', tag: el.tagName, href: el.href });
    },
  };
  globalThis.document.head = head;
  globalThis.document.createElement = (tag) => ({ tagName: tag.toUpperCase(), href: '' });
  globalThis.document.querySelector = (selector) => (selector === 'base[href]'
    ? head.children.find((e) => e.tagName === 'BASE' && e.href) || null
    : null);
}
globalThis.__domContentLoaded = () => {
  globalThis.document.readyState = 'interactive';
  for (const fn of documentListeners.splice(0)) fn({ type: 'DOMContentLoaded' });
};
