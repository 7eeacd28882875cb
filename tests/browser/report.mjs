// Opens a connect2forge HTML report (`migrate --report FILE.html`) in headless Chromium with
// every network request refused, takes a screenshot, and prints what the page shows as JSON:
// the modules table, the AP call rows per module, the to-do items, the summary line, the diffs,
// and every request the page tried to make (a self-contained report makes none).
//
//   node tests/browser/report.mjs REPORT.html SCREENSHOT.png
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [file, shot] = process.argv.slice(2);
if (!file || !shot) {
  console.error('usage: node tests/browser/report.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const requests = [];
try {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href);
  await page.screenshot({ path: shot, fullPage: true });
  const shown = await page.evaluate(() => {
    const text = (e) => (e ? e.textContent.replace(/\s+/g, ' ').trim() : null);
    const modules = [...document.querySelectorAll('#modules tr')].slice(1).map((tr) => {
      const td = tr.querySelectorAll('td');
      return { connect: text(td[0].querySelector('code')), kind: text(td[1]), forge: text(td[2]), resource: text(td[3]) };
    });
    const calls = {};
    for (const t of document.querySelectorAll('table.calls')) {
      calls[t.dataset.module] = [...t.querySelectorAll('tr')].slice(1).map((tr) => {
        const td = tr.querySelectorAll('td');
        return { place: text(td[0]), api: text(td[1]), support: text(td[2]), source: text(td[4]) };
      });
    }
    const todo = [...document.querySelectorAll('#todo li:not(:has(> ul))')].map((li) => ({
      text: text(li), checkbox: !!li.querySelector('input[type=checkbox]'),
    }));
    const files = [...document.querySelectorAll('#files details')].map((d) => text(d.querySelector('summary code')));
    const external = [...document.querySelectorAll('script, link[rel=stylesheet], img, iframe')].length;
    return { summary: text(document.getElementById('summary')), modules, calls, todo, files, external };
  });
  console.log(JSON.stringify({ ...shown, requests }));
} finally {
  await browser.close();
}
