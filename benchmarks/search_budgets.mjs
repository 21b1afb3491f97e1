// The search page as a phone reader uses it, in headless Chromium: every file it asks
// for, and how soon the results show after the last keystroke of each query.
//
// Run by benchmarks/search_budgets.py: `node benchmarks/search_budgets.mjs '<job as JSON>'`,
// where the job is {chromePath, chromeFlags: [...], url, queries: [...], keyDelayMs}. The page
// is opened on a 390 × 844 phone screen; each query is typed key by key (keyDelayMs between
// keys, as a quick typist) into the search box, after clearing it. Printed on stdout as JSON:
// {loaded: [urls of the page's own load], searches: [{query, ms, said, urls}]}, where `ms` is
// from the last keydown to the live region saying the results for that query, and `urls`
// the files asked for between the query's first key and its results. The benchmark turns
// the URLs into bytes from the built files, as the hosts send them.
import puppeteer from 'puppeteer-core';

// Runs in the page: note each keydown's time, and the time the live region first names a query.
function watch() {
  window.searchBench = {lastKey: 0, said: {}};
  document.addEventListener('keydown', () => {
    window.searchBench.lastKey = performance.now();
  }, {capture: true});
  const status = document.getElementById('search-status');
  new MutationObserver(() => {
    const text = status.textContent;
    if (text && !(text in window.searchBench.said)) {
      window.searchBench.said[text] = performance.now();
    }
  }).observe(status, {childList: true, characterData: true, subtree: true});
}

const job = JSON.parse(process.argv[2]);
const browser = await puppeteer.launch({
  executablePath: job.chromePath, args: job.chromeFlags, headless: true,
});
try {
  const page = await browser.newPage();
  await page.setViewport({width: 390, height: 844, deviceScaleFactor: 2, isMobile: true,
    hasTouch: true});
  let urls = [];
  page.on('requestfinished', request => urls.push(request.url()));
  await page.goto(job.url, {waitUntil: 'load'});
  const loaded = urls;
  await page.evaluate(watch);
  const searches = [];
  for (const query of job.queries) {
    urls = [];
    await page.click('#search-query', {clickCount: 3});
    await page.keyboard.press('Backspace');
    await page.keyboard.type(query, {delay: job.keyDelayMs});
    const said = await page.waitForFunction(
      words => Object.keys(window.searchBench.said).find(text => text.includes(`for ${words}`)),
      {timeout: 30_000}, query);
    const text = await said.jsonValue();
    const ms = await page.evaluate(
      text => window.searchBench.said[text] - window.searchBench.lastKey, text);
    searches.push({query, ms, said: text, urls});
  }
  process.stdout.write(JSON.stringify({loaded, searches}));
} finally {
  await browser.close();
}
