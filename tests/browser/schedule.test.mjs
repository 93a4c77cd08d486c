// Opens schedule.html in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// prints it to PDF as a browser's "Print" does, and checks one page per officer:
//   node schedule.test.mjs SCHEDULE.html OUT.pdf --sheets N [--streets yes|no]
// Fails on any console or page error, on any request that is not file: or data: (the maps are
// drawn offline), when the page does not hold N officer sheets each with a map, a route and its
// stops, or when the PDF (US Letter, then A4) does not have exactly N pages.
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : fallback;
};
const [schedulePath, pdfPath] = args;
const expectSheets = Number(option('sheets', '0'));
const expectStreets = option('streets', '');
if (!schedulePath || !pdfPath || !expectSheets) {
  console.error('usage: node schedule.test.mjs SCHEDULE.html OUT.pdf --sheets N [--streets yes|no]');
  process.exit(2);
}
const failures = [];
const fail = (m) => { failures.push(m); console.error('FAIL: ' + m); };

// Pages of a PDF as Chromium writes it: one "/Type /Page" object per page.
const pdfPages = (file) => (fs.readFileSync(file).toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) || []).length;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  const errors = [], external = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push('page error: ' + e.message));
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('about:')) external.push(u); });
  await page.route(/^(https?|wss?|ftp):/, (route) => route.abort());
  await page.goto(pathToFileURL(path.resolve(schedulePath)).href, { waitUntil: 'load', timeout: 120000 });
  const sheets = await page.evaluate(() => [...document.querySelectorAll('section.sheet')].map((s) => ({
    officer: s.dataset.officer,
    route: s.querySelectorAll('svg.map polyline.route').length,
    streets: s.querySelectorAll('svg.map .minor, svg.map .mid, svg.map .major').length,
    markers: s.querySelectorAll('svg.map g.stop').length,
    rows: s.querySelectorAll('tbody tr').length,
  })));
  if (sheets.length !== expectSheets) fail(`${sheets.length} officer sheets, expected ${expectSheets}`);
  for (const s of sheets) {
    if (s.route !== 1) fail(`${s.officer}: no route line on its map`);
    if (!s.rows || s.rows !== s.markers) fail(`${s.officer}: ${s.rows} stops listed, ${s.markers} on the map`);
    if (expectStreets === 'yes' && s.streets < 50) fail(`${s.officer}: ${s.streets} streets drawn on its map`);
    if (expectStreets === 'no' && s.streets) fail(`${s.officer}: streets drawn without a street network`);
  }
  for (const format of ['Letter', 'A4']) {
    const out = format === 'Letter' ? pdfPath : pdfPath.replace(/\.pdf$/, '') + '-a4.pdf';
    await page.pdf({ path: out, format, printBackground: true });
    const pages = pdfPages(out);
    if (pages !== expectSheets) fail(`${format}: the PDF has ${pages} pages, expected one per officer (${expectSheets})`);
    else console.log(`${format}: ${pages} pages, one per officer (${out})`);
  }
  if (errors.length) fail('console: ' + errors.join(' | '));
  if (external.length) fail('requests leaving the machine: ' + external.join(', '));
} finally {
  await browser.close();
}
process.exit(failures.length ? 1 : 0);
