// Opens report.html in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// and checks that it loads offline and shows what it should:
//   node report.test.mjs REPORT.html SCREENSHOT.png --layers "Neighborhoods,Events" --rows 25 [--headline 4] [--pdf OUT.pdf]
//        [--backdrop yes|no] [--max-load-ms 2000] [--max-bytes 8000000]
// Fails on any console error or page error, on any request that is not file: or data:, on a
// missing or empty layer, on a table with the wrong number of rows, or when sorting, the legend or
// a popup does not work, when a drawn point's colour differs from its layer's legend swatch
// (off-network points: hollow in that colour), or when a table row's popup opens outside the
// visible map. Saves a screenshot of the page as the test's artifact. With --pdf, prints
// the page to PDF as Chromium's "Save as PDF" does (US Letter) and checks the print layout: the
// title, headline figures and map fit the first page, redrawn at the printed width, the table after.
// --far-off N: N points with status far_off are drawn hollow, dotted in the legend's far-off grey,
// and left out of the study's view; --rejected N: the headline says N input rows were rejected.
// --backdrop yes: the offline street backdrop draws streets, and street names once zoomed in on
// an event (a second screenshot, SCREENSHOT-streets.png); no: the page has none. --max-load-ms:
// the page is ready (map, layers, backdrop and table drawn) within that time of navigation.
// --program CALENDAR.csv: the program panel shows; its calendar table has a row per event of
// calendar.csv; for every month the slider reaches, the areas the panel's map draws as reached
// are those the month's events in calendar.csv reach (its area_ids), and its markers the month's events.
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : fallback;
};
const [reportPath, screenshotPath] = positional;
if (!reportPath || !screenshotPath) {
  console.error('usage: node report.test.mjs REPORT.html SCREENSHOT.png [--layers A,B] [--rows N] [--headline N]');
  process.exit(2);
}
const expectLayers = option('layers', '').split(',').filter(Boolean);
const expectRows = Number(option('rows', '0'));
const expectHeadline = Number(option('headline', '1'));
const pdfPath = option('pdf', '');
const expectBackdrop = option('backdrop', '');
const maxLoadMs = Number(option('max-load-ms', '0'));
const maxBytes = Number(option('max-bytes', '0'));
const expectFarOff = option('far-off', '');
const expectRejected = option('rejected', '');

const failures = [];
const fail = (m) => { failures.push(m); console.error('FAIL: ' + m); };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const consoleErrors = [];
  const external = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push('page error: ' + e.message));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('about:')) external.push(u);
  });
  // Anything leaving the machine is aborted (and reported above) rather than attempted.
  await page.route(/^(https?|wss?|ftp):/, (route) => route.abort());

  const url = pathToFileURL(path.resolve(reportPath)).href;
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  await page.waitForFunction(() => window.nightoutReport && window.nightoutReport.ready, null, { timeout: 120000 });

  const bytes = fs.statSync(reportPath).size;
  const load = await page.evaluate(() => ({ ready: window.nightoutReport.readyMs, backdrop: window.nightoutReport.backdrop || null }));
  console.log(`report: ${bytes} bytes, ready ${load.ready} ms after navigation, backdrop ${JSON.stringify(load.backdrop)}`);
  if (maxBytes && bytes > maxBytes) fail(`the report is ${bytes} bytes, over ${maxBytes}`);
  if (maxLoadMs && !(load.ready <= maxLoadMs)) fail(`the report was ready ${load.ready} ms after navigation, over ${maxLoadMs} ms`);
  if (expectBackdrop === 'no' && load.backdrop) fail('the report has a backdrop; expected none');
  if (expectBackdrop === 'yes') {
    if (!load.backdrop || !(load.backdrop.ways > 0)) fail('the backdrop drew no streets');
    const zoomed = await page.evaluate(async () => {
      const s = window.nightoutReport, events = s.layers.Events.leaflet.getLayers();
      s.leafletMap.setView(events[0].getLatLng(), 16, { animate: false });
      await new Promise((r) => setTimeout(r, 300));
      return Object.assign({}, s.backdrop);
    });
    console.log(`zoomed to 16 on an event: ${JSON.stringify(zoomed)}`);
    if (!(zoomed.ways > 0) || !(zoomed.labels > 0)) fail(`zoomed in, the backdrop drew ${zoomed.ways} streets and ${zoomed.labels} names`);
    await page.locator('#map').screenshot({ path: screenshotPath.replace(/\.png$/, '') + '-streets.png' });
    await page.evaluate(() => window.nightoutReport.fitAll());
  }

  const state = await page.evaluate(() => {
    const s = window.nightoutReport;
    const layers = {};
    for (const [title, info] of Object.entries(s.layers)) layers[title] = { kind: info.kind, features: info.features, visible: info.visible };
    return {
      layers,
      tableRows: document.querySelectorAll('#table tbody tr').length,
      headline: document.querySelectorAll('#headline .figure').length,
      controlLabels: [...document.querySelectorAll('.leaflet-control-layers-overlays label')].map((l) => l.textContent.trim()),
      canvases: document.querySelectorAll('.leaflet-overlay-pane canvas').length,
      legend: document.querySelector('.legend') ? document.querySelector('.legend').textContent : '',
      attribution: document.querySelector('.leaflet-control-attribution').textContent,
      equityBars: document.querySelectorAll('#equity:not([hidden]) .eq-row').length,
      equityAfter: document.querySelectorAll('#equity .eq-row .bar.after').length,
    };
  });
  console.log('layers: ' + JSON.stringify(state.layers));
  for (const name of expectLayers) {
    const l = state.layers[name];
    if (!l) fail(`layer "${name}" is missing (have: ${Object.keys(state.layers).join(', ')})`);
    else if (!(l.features > 0)) fail(`layer "${name}" has no features`);
    if (!state.controlLabels.some((t) => t.startsWith(name))) fail(`layer "${name}" is not in the layer control`);
  }
  if (state.canvases < 1) fail('nothing was drawn on the map');
  if (!/share covered/.test(state.legend)) fail('the legend has no coverage ramp: ' + state.legend);
  if (state.headline < expectHeadline) fail(`${state.headline} headline figures, expected at least ${expectHeadline}`);
  if (expectRows && state.tableRows !== expectRows) fail(`${state.tableRows} table rows, expected ${expectRows}`);
  // The equity panel (--equity-bars N): a bar per group and break, each with its "after the sites" bar.
  const expectBars = Number(option('equity-bars', '0'));
  if (expectBars && state.equityBars !== expectBars) fail(`${state.equityBars} equity bars, expected ${expectBars}`);
  if (expectBars && option('equity-after', '') === 'yes' && state.equityAfter !== expectBars) fail(`${state.equityAfter} equity bars after the sites, expected ${expectBars}`);

  // Drawn points have the colour the legend gives their layer (events blue, stations black, sites
  // green); a point off the road network is hollow in that colour. Styles are read from the drawn
  // markers, after Leaflet applied every style function to them.
  const points = await page.evaluate(() => {
    const s = window.nightoutReport;
    const legend = {};
    let farOffSwatch = null;
    document.querySelectorAll('.legend div').forEach((d) => {
      const sw = d.querySelector('.swatch');
      if (sw && sw.classList.contains('far-off')) farOffSwatch = getComputedStyle(sw).borderTopColor;
      else if (sw && !sw.classList.contains('hollow')) legend[d.textContent.trim()] = getComputedStyle(sw).backgroundColor;
    });
    s.fitAll();
    const view = s.leafletMap.getBounds();
    const probe = document.createElement('span');
    document.body.appendChild(probe);
    const rgb = (c) => { probe.style.color = ''; probe.style.color = c; return getComputedStyle(probe).color; };
    const out = [];
    for (const [title, info] of Object.entries(s.layers)) {
      if (!['events', 'stations', 'sites'].includes(info.kind) || !info.leaflet) continue;
      let drawn = 0, wrong = [], hollow = 0, far = 0;
      info.leaflet.eachLayer((l) => {
        if (!(l instanceof L.CircleMarker)) return;
        ++drawn;
        const o = l.options, p = l.feature.properties || {};
        if (p.status === 'far_off') {  // hollow, dotted, in the legend's far-off grey, outside the study's view
          ++far;
          if (!farOffSwatch || rgb(o.color) !== farOffSwatch || rgb(o.fillColor) !== rgb('#fff') || !o.dashArray)
            wrong.push(`${p.id}: far off but drawn ${rgb(o.color)} on ${rgb(o.fillColor)} (${o.dashArray}), legend ${farOffSwatch}`);
          if (view.contains(l.getLatLng())) wrong.push(`${p.id}: far off but the study's view includes it`);
          return;
        }
        const off = p.network_status && p.network_status !== 'ok';
        if (off) ++hollow;
        const colour = rgb(off ? o.color : o.fillColor);
        const want = legend[title];
        if (p.status === 'existing') return;  // the site step's existing sites are the events' colour
        if (!want || colour !== want || (off && rgb(o.fillColor) !== rgb('#fff'))) wrong.push(`${p.id}: ${colour} (${off ? 'hollow' : 'filled'}), legend ${want}`);
      });
      out.push({ title, drawn, hollow, far, wrong: wrong.slice(0, 3), wrongCount: wrong.length });
    }
    probe.remove();
    return out;
  });
  console.log('point colours: ' + JSON.stringify(points));
  for (const p of points) {
    if (p.wrongCount) fail(`${p.wrongCount} of ${p.drawn} "${p.title}" points are not drawn in the legend's colour: ${p.wrong.join('; ')}`);
  }
  if (!points.length) fail('no point layer to check the colours of');
  if (expectFarOff !== '') {
    const far = points.reduce((a, p) => a + p.far, 0);
    if (far !== Number(expectFarOff)) fail(`${far} far-off points drawn, expected ${expectFarOff}`);
    if (Number(expectFarOff) > 0 && !/far off/.test(state.legend)) fail('the legend does not explain far-off points: ' + state.legend);
  }
  if (expectRejected !== '') {
    const figures = await page.evaluate(() => [...document.querySelectorAll('#headline .figure')].map((f) => ({
      value: f.querySelector('.value').textContent, label: f.querySelector('.label').textContent })));
    const rejected = figures.find((f) => /rows rejected/.test(f.label));
    if (Number(expectRejected) === 0 ? rejected : !rejected || rejected.value !== expectRejected)
      fail(`the headline says ${rejected ? rejected.value : 'nothing'} about rejected rows, expected ${expectRejected}: ${JSON.stringify(figures)}`);
  }

  // A layer switched off leaves the map; switched on, it returns.
  if (expectLayers.length) {
    const name = expectLayers[expectLayers.length - 1];
    const label = page.locator('.leaflet-control-layers-overlays label', { hasText: name }).first();
    const box = label.locator('input');
    const before = await box.isChecked();
    await box.click();
    const onMap = await page.evaluate((n) => window.nightoutReport.layers[n].leaflet._map !== null && window.nightoutReport.layers[n].leaflet._map !== undefined, name);
    if (onMap === before) fail(`switching "${name}" ${before ? 'off' : 'on'} did not change the map`);
    await box.click();
  }

  // Sorting: the first numeric column other than the initial sort, clicked twice, reverses the order.
  if (expectRows > 1) {
    const headers = page.locator('#table thead th');
    const n = await headers.count();
    let sorted = false;
    for (let i = 1; i < n && !sorted; ++i) {
      const text = await headers.nth(i).textContent();
      if (!/residents|covered/.test(text)) continue;
      await headers.nth(i).click();
      const first = await page.locator('#table tbody tr').first().locator('td').nth(i).textContent();
      await headers.nth(i).click();
      const firstDesc = await page.locator('#table tbody tr').first().locator('td').nth(i).textContent();
      const order = await headers.nth(i).getAttribute('aria-sort');
      if (order !== 'descending') fail(`column "${text}" is not sorted descending after two clicks (${order})`);
      const num = (s) => Number(s.replace(/[,%]/g, ''));
      if (!(num(firstDesc) >= num(first))) fail(`column "${text}": descending starts at ${firstDesc}, ascending at ${first}`);
      sorted = true;
    }
    if (!sorted) fail('no sortable numeric column in the table');
    // Back to the initial order (rank), then a row opens its popup.
    await headers.nth(0).click();
    if ((await headers.nth(0).getAttribute('aria-sort')) !== 'ascending') await headers.nth(0).click();
    await page.locator('#table tbody tr').first().click();
    await page.waitForSelector('.leaflet-popup-content', { timeout: 10000 }).catch(() => fail('clicking a table row opened no popup'));
    const popup = await page.locator('.leaflet-popup-content').first().textContent().catch(() => '');
    if (!/rank/.test(popup)) fail('the popup does not list the feature\'s figures: ' + popup.slice(0, 200));
    // The popup opens inside the map, and the map inside the window.
    const inView = await page.evaluate(() => {
      const p = document.querySelector('.leaflet-popup').getBoundingClientRect();
      const m = document.getElementById('map').getBoundingClientRect();
      return { p: [p.left, p.top, p.right, p.bottom], m: [m.left, m.top, m.right, m.bottom], h: window.innerHeight };
    });
    const [pl, pt, pr, pb] = inView.p, [ml, mt, mr, mb] = inView.m;
    if (pl < ml - 1 || pt < mt - 1 || pr > mr + 1 || pb > mb + 1 || pt < 0 || pb > inView.h)
      fail(`the row's popup (${inView.p.map(Math.round)}) is not inside the map (${inView.m.map(Math.round)}) in the window (height ${inView.h})`);
    await page.locator('.leaflet-popup-close-button').first().click().catch(() => {});
  }

  const programCsv = option('program', '');
  if (programCsv) {
    // calendar.csv read here (no quoted field holds a comma in the columns used: date, area_ids).
    const parseCsv = (text) => {
      const rows = [];
      let row = [], cell = '', quoted = false;
      for (let i = 0; i < text.length; ++i) {
        const c = text[i];
        if (quoted) {
          if (c === '"' && text[i + 1] === '"') { cell += '"'; ++i; } else if (c === '"') quoted = false; else cell += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') { row.push(cell); cell = ''; }
        else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
        else cell += c;
      }
      if (cell || row.length) { row.push(cell); rows.push(row); }
      const [head, ...body] = rows;
      return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(head.map((h, k) => [h, r[k]])));
    };
    const events = parseCsv(fs.readFileSync(programCsv, 'utf8'));
    const expect = {};
    for (const e of events) {
      const m = e.date.slice(0, 7);
      expect[m] = expect[m] || { events: 0, areas: new Set() };
      expect[m].events += 1;
      for (const id of e.area_ids.split(';').filter(Boolean)) expect[m].areas.add(id);
    }
    await page.locator('#program').scrollIntoViewIfNeeded().catch(() => {});
    const shown = await page.evaluate(() => {
      const sec = document.getElementById('program');
      const slider = document.getElementById('program-slider');
      return { hidden: sec.hidden, height: sec.getBoundingClientRect().height, max: Number(slider.max),
               canvases: document.querySelectorAll('#program-map canvas').length, rows: document.querySelectorAll('#program-table tbody tr').length };
    });
    if (shown.hidden || !(shown.height > 300)) fail(`the program panel is not shown (hidden ${shown.hidden}, ${shown.height} px high)`);
    if (shown.canvases < 1) fail('the program map drew nothing');
    if (shown.rows !== events.length) fail(`the calendar table has ${shown.rows} rows, calendar.csv ${events.length} events`);
    let checked = 0;
    for (let i = 0; i <= shown.max; ++i) {
      const got = await page.evaluate((k) => {
        const slider = document.getElementById('program-slider');
        slider.value = String(k);
        slider.dispatchEvent(new Event('input'));
        return window.nightoutReport.program;
      }, i);
      const want = expect[got.month] || { events: 0, areas: new Set() };
      const wantIds = [...want.areas].sort();
      if (got.events !== want.events || got.highlighted !== want.events)
        fail(`${got.month}: the panel shows ${got.events} events (${got.highlighted} rows marked), calendar.csv has ${want.events}`);
      if (got.reached.length !== wantIds.length || got.reached.some((id, k) => id !== wantIds[k]))
        fail(`${got.month}: the map draws ${got.reached.length} areas as reached, calendar.csv's events reach ${wantIds.length}`);
      if (wantIds.length) ++checked;
    }
    if (checked < 1) fail('no month with areas reached to compare');
    const months = Object.keys(expect).length;
    console.log(`program panel: ${shown.rows} events, ${shown.max + 1} months on the slider, ${checked} with areas compared to calendar.csv (${months} months with events)`);
    // A month in view for the screenshot: the one of National Night Out if there is one.
    await page.evaluate(() => {
      const slider = document.getElementById('program-slider');
      const i = [...Array(Number(slider.max) + 1).keys()].find((k) => { slider.value = String(k); slider.dispatchEvent(new Event('input')); return window.nightoutReport.program.month.endsWith('-08'); });
      if (i === undefined) { slider.value = '0'; slider.dispatchEvent(new Event('input')); }
    });
  }

  fs.mkdirSync(path.dirname(path.resolve(screenshotPath)), { recursive: true });
  await page.evaluate(() => { window.nightoutReport.fitAll(); window.scrollTo(0, 0); });
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshotPath, fullPage: true });
  console.log('screenshot: ' + path.resolve(screenshotPath));

  if (pdfPath) {
    // The printable width of US Letter with 12 mm margins, at 96 px per inch, as the print layout has it.
    await page.setViewportSize({ width: Math.round(((215.9 - 24) / 25.4) * 96), height: 1000 });
    await page.emulateMedia({ media: 'print' });
    await page.waitForTimeout(300);
    const layout = await page.evaluate(() => {
      const box = (sel) => document.querySelector(sel).getBoundingClientRect();
      const map = box('#map');
      return { mapBottom: map.bottom + window.scrollY, mapWidth: document.getElementById('map').clientWidth, leafletWidth: window.nightoutReport.mapSize().x,
               tableTop: box('#underserved').top + window.scrollY, tableHidden: document.getElementById('underserved').hidden,
               tableScrolls: getComputedStyle(document.querySelector('.table-wrap')).overflowY };
    });
    // US Letter, 12 mm margins: 279.4 - 24 mm of height per page, at 96 px per inch.
    const pageHeightPx = ((279.4 - 24) / 25.4) * 96;
    if (layout.mapBottom > pageHeightPx) fail(`printed, the map ends at ${Math.round(layout.mapBottom)} px, past the first page (${Math.round(pageHeightPx)} px)`);
    if (Math.abs(layout.leafletWidth - layout.mapWidth) > 1) fail(`printed, the map is ${layout.mapWidth} px wide but Leaflet drew ${layout.leafletWidth} px`);
    if (layout.tableScrolls !== 'visible') fail('printed, the table is still a scrolling box (rows would be cut)');
    await page.screenshot({ path: pdfPath.replace(/\.pdf$/, '') + '-print.png', fullPage: true });
    await page.pdf({ path: pdfPath, format: 'Letter', printBackground: true, preferCSSPageSize: true });
    const pdf = fs.readFileSync(pdfPath);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
    const wantPages = layout.tableHidden ? 1 : 2;
    console.log(`pdf: ${path.resolve(pdfPath)}, ${pages} page(s), ${pdf.length} bytes; map ends at ${Math.round(layout.mapBottom)} px of ${Math.round(pageHeightPx)}`);
    if (pages < wantPages) fail(`the PDF has ${pages} page(s), expected at least ${wantPages} (map first, then the table)`);
    if (pdf.length < 20000) fail(`the PDF is only ${pdf.length} bytes: nothing was drawn`);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 1000 });
  }

  if (consoleErrors.length) fail('console: ' + consoleErrors.join(' | '));
  if (external.length) fail('requests leaving the machine: ' + [...new Set(external)].join(', '));
  console.log(`table rows: ${state.tableRows}, headline figures: ${state.headline}, attribution: ${state.attribution}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('report OK');
