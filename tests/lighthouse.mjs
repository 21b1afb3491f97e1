// Lighthouse over several pages in one headless Chromium; each page's full report in a file.
//
// Run by tests/test_lighthouse.py: `node tests/lighthouse.mjs '<job as JSON>'`, where the
// job is {chromePath, chromeFlags: [...], reportDir, pages: [{url, ignoreStatusCode}]}. One
// browser for every page saves a start-up per page; chrome-launcher gives it a fresh
// temporary profile and deletes it afterwards. Each page's Lighthouse result (the JSON
// report, `lhr`) is written whole to `<reportDir>/<n>.json`, and the list of those files
// is printed on stdout: the test reads what it asserts from the report itself, as any
// reader of a Lighthouse report would, and keeps the files for a look after a failure.
//
// One key is ours: `drawn`. Lighthouse 12.2's trace engine cannot read the traces of
// Chromium 156 ("Cannot read properties of undefined (reading 'frame_sequence')"), so its
// audits of the largest contentful paint's element, the layout shifts' culprits and the
// render-blocking requests end in "error". After each run the page is opened once more
// in the same browser, on the screen Lighthouse emulated, and the browser's own record
// of what it drew is kept: the element of the last largest-contentful-paint entry and
// every layout shift, from the Performance Timeline (what those audits read from the trace).
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {launch} from 'chrome-launcher';
import lighthouse from 'lighthouse';
// Lighthouse's own dependency, the library it drives Chromium with.
import puppeteer from 'puppeteer-core';

// Runs in the page once it has loaded: the buffered entries of the Performance Timeline.
// The first largest-contentful-paint entry is reported a little after its frame (at most
// ten seconds are given it); three frames after it, every later and larger one is in.
function whatWasDrawn() {
  const opening = element => element.outerHTML.slice(0, element.outerHTML.indexOf('>') + 1);
  const entries = {'largest-contentful-paint': [], 'layout-shift': []};
  let painted;
  const firstPaint = new Promise(resolve => painted = resolve);
  for (const type of Object.keys(entries)) {
    new PerformanceObserver(list => {
      entries[type].push(...list.getEntries());
      if (entries['largest-contentful-paint'].length) painted();
    }).observe({type, buffered: true});
  }
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const seconds = n => new Promise(resolve => setTimeout(resolve, n * 1000));
  return Promise.race([firstPaint, seconds(10)]).then(frame).then(frame).then(frame).then(() => {
    const last = entries['largest-contentful-paint'].at(-1);
    const element = last?.element;
    const pictures = [...document.querySelectorAll('main img')];
    return {
      visibility: document.visibilityState,
      largestContentfulPaint: element ? {
        tag: element.tagName,
        snippet: opening(element),
        text: element.textContent.trim().slice(0, 80),
        url: last.url,  // what a picture showed; empty for text
        size: last.size,
        region: element.closest('main, header, footer')?.localName ?? 'body',
        firstPicture: element.tagName === 'IMG' && pictures[0] === element,
      } : null,
      layoutShifts: entries['layout-shift'].filter(shift => !shift.hadRecentInput).map(shift => ({
        value: shift.value,
        moved: shift.sources.map(source => source.node?.nodeType === 1 ?
          opening(source.node) : String(source.node?.nodeName ?? '')),
      })),
    };
  });
}

async function drawn(browser, url, screen) {
  const page = await browser.newPage();
  try {
    await page.bringToFront();  // a page in the background draws nothing
    await page.setViewport({width: screen.width, height: screen.height,
      deviceScaleFactor: screen.deviceScaleFactor, isMobile: screen.mobile, hasTouch: screen.mobile});
    await page.goto(url, {waitUntil: 'load'});
    return await page.evaluate(whatWasDrawn);
  } finally {
    await page.close();
  }
}

// The quiet windows after the first paint and the load (see the flags below).
const QUIET_MS = 300;

const job = JSON.parse(process.argv[2]);
const chrome = await launch({chromePath: job.chromePath, chromeFlags: job.chromeFlags});
const files = [];
try {
  const browser = await puppeteer.connect({browserURL: `http://127.0.0.1:${chrome.port}`});
  for (const [index, page] of job.pages.entries()) {
    // No full-page screenshot: a second of each run, for the report viewer's pictures
    // of elements; no audit reads it. Shorter quiet windows after the load: with
    // simulated throttling (the default, kept) Lighthouse computes every metric from
    // what it recorded, and waits only until the page has stopped asking and working;
    // its 1 s defaults (core/config/constants.js) cost 2.4 s a page, while a page of
    // this site, served from this machine, is quiet within milliseconds (the search
    // page's engine, index and results included: tests/test_lighthouse.py asserts
    // them among the requests).
    const flags = {port: chrome.port, output: 'json', logLevel: 'error',
      disableFullPageScreenshot: true, ignoreStatusCode: Boolean(page.ignoreStatusCode),
      pauseAfterFcpMs: QUIET_MS, pauseAfterLoadMs: QUIET_MS,
      networkQuietThresholdMs: QUIET_MS, cpuQuietThresholdMs: QUIET_MS};
    const {lhr} = await lighthouse(page.url, flags);
    lhr.drawn = await drawn(browser, page.url, lhr.configSettings.screenEmulation);
    const file = join(job.reportDir, `${index}.json`);
    writeFileSync(file, JSON.stringify(lhr));
    files.push(file);
  }
  await browser.disconnect();
} finally {
  chrome.kill();
}
process.stdout.write(JSON.stringify(files));
