// Lighthouse over several pages in one headless Chromium; a short JSON summary on stdout.
//
// Run by tests/test_lighthouse.py: `node tests/lighthouse.mjs '<job as JSON>'`, where the
// job is {chromePath, chromeFlags: [...], pages: [{url, ignoreStatusCode}]}. One browser
// for every page saves a start-up per page; chrome-launcher gives it a fresh temporary
// profile and deletes it afterwards. Lighthouse's own report is large, so only what the
// test asserts or prints leaves this process: each category's score, every audit that
// does not pass in full, the requests the page made, and a few measured figures.
import {launch} from 'chrome-launcher';
import lighthouse from 'lighthouse';

// Audits that score but are not a pass or fail of the page (shown in the report only).
const UNSCORED = new Set(['informative', 'notApplicable', 'manual', 'error']);

// What an audit's table names: the element, the resource or the message, at most five.
function offenders(audit) {
  const items = audit.details?.items ?? [];
  return items.slice(0, 5).map(item => String(
    item.node?.snippet ?? item.description ?? item.url ?? item.source ?? item.reason ?? ''));
}

function summary(lhr) {
  const failing = [];
  for (const [category, {auditRefs}] of Object.entries(lhr.categories)) {
    for (const {id, weight} of auditRefs) {
      const audit = lhr.audits[id];
      if (audit.score === null || audit.score >= 1 || UNSCORED.has(audit.scoreDisplayMode)) {
        continue;
      }
      failing.push({category, id, title: audit.title, weight, score: audit.score,
        displayValue: audit.displayValue ?? '', where: offenders(audit)});
    }
  }
  const requests = lhr.audits['network-requests']?.details?.items ?? [];
  return {
    requestedUrl: lhr.requestedUrl,
    finalUrl: lhr.finalDisplayedUrl,
    runtimeError: lhr.runtimeError ?? null,
    runWarnings: lhr.runWarnings,
    scores: Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, c.score])),
    failing,
    requests: requests.map(r => ({url: r.url, statusCode: r.statusCode})),
    lcpMs: lhr.audits['largest-contentful-paint'].numericValue ?? null,
    totalBytes: lhr.audits['total-byte-weight'].numericValue ?? null,
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

const job = JSON.parse(process.argv[2]);
const chrome = await launch({chromePath: job.chromePath, chromeFlags: job.chromeFlags});
const results = [];
try {
  for (const page of job.pages) {
    const flags = {port: chrome.port, output: 'json', logLevel: 'error',
      ignoreStatusCode: Boolean(page.ignoreStatusCode)};
    const run = await lighthouse(page.url, flags);
    results.push(summary(run.lhr));
  }
} finally {
  chrome.kill();
}
process.stdout.write(JSON.stringify(results));
