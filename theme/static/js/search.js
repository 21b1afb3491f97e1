// The search page's results, on Pagefind's JavaScript API (the index is made
// at build time by commands/search_index.py). The only script the site runs,
// on /search/ only, under that page's own policy (plugins/security_headers.py).
//
// The form is a plain GET form (?q=): this script reads the query, searches as
// the reader types, keeps the address shareable, and lists the results as
// links with a summary in which Pagefind marks the matching words. The count is
// said in a polite live region. A word from the editors' list of other words
// people use (content/search-words.txt, in words.json) is searched as the word
// our pages use; with no results the page offers the closest titles. What the
// page says comes from its `data-said-*` attributes, which the template writes
// from the site's catalogue of interface words: none is written here.

const page = document.querySelector(".app-search");
const form = page.querySelector("form");
const input = page.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const none = document.getElementById("search-none");
const closest = document.getElementById("search-closest");
const root = new URL(page.dataset.root, document.baseURI);
const said = page.dataset;

const SHOWN = 10; // results listed at once; each one fetches its fragment
const PAUSE_MS = 80; // after the last keystroke, before searching
const CLOSEST = 3;

// Each is fetched once, the first time it is needed (a promise kept, so two
// callers at once share one fetch).
let engine = null;
let words = null;
let names = null;
let latest = 0;
let timer = 0;

function loadEngine() {
  engine ||= (async () => {
    const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({
      basePath: new URL("pagefind/", root).pathname,
      baseUrl: root.pathname,
      excerptLength: 24,
      noWorker: true,
    });
    pagefind.init();
    return pagefind;
  })();
  return engine;
}

async function fetchJson(address, otherwise) {
  const response = await fetch(address);
  return response.ok ? response.json() : otherwise;
}

function loadWords() {
  words ||= fetchJson(page.dataset.words, { words: {} });
  return words;
}

// Every title and other name with its address: fetched only when a search finds nothing.
function loadNames() {
  names ||= fetchJson(page.dataset.names, []);
  return names;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// The query with each listed word people use replaced by the word our pages use.
function expand(query, listed) {
  let expanded = ` ${query.toLowerCase()} `;
  const said = Object.keys(listed).sort((a, b) => b.length - a.length);
  for (const word of said) {
    const pattern = new RegExp(`(?<=^|[^\\p{L}\\p{N}])${escapeRegExp(word)}(?=$|[^\\p{L}\\p{N}])`, "giu");
    expanded = expanded.replace(pattern, listed[word]);
  }
  return expanded.trim().replace(/\s+/g, " ");
}

// Pagefind's excerpt is text with <mark> around the matching words: rebuilt
// from text nodes and marks only, so nothing else in it can become markup.
function summary(excerpt) {
  const paragraph = document.createElement("p");
  paragraph.className = "app-search__summary";
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "app-search__result";
  const link = document.createElement("a");
  link.className = "app-search__link";
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const heading = document.createElement("h2");
  heading.className = "app-search__title";
  heading.append(link);
  item.append(heading, summary(data.excerpt));
  return item;
}

function distance(a, b) {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j];
      previous[j] = Math.min(above + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

// How far a query is from a name: from the whole name, or from its closest word.
function nearness(query, name) {
  const lower = name.toLowerCase();
  const parts = [lower, ...lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean)];
  return Math.min(...parts.map((part) => distance(query, part) / Math.max(query.length, part.length)));
}

function showClosest(query, listed) {
  closest.replaceChildren();
  const seen = new Set();
  const ranked = listed
    .map(([name, url]) => [nearness(query.toLowerCase(), name), name, url])
    .filter(([score]) => score <= 0.5)
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  for (const [, name, url] of ranked) {
    if (seen.size === CLOSEST) break;
    if (seen.has(url)) continue;
    seen.add(url);
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = new URL(url, root).href;
    link.textContent = name;
    item.append(link);
    closest.append(item);
  }
  closest.previousElementSibling.hidden = seen.size === 0;
  none.hidden = false;
}

// One of the page's sentences (`data-said-<name>`) with its {placeholders} filled in.
function sentence(name, values = {}) {
  return said[name].replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

function say(text) {
  status.textContent = text;
}

function keepAddress(query) {
  const address = new URL(location.href);
  if (query) address.searchParams.set("q", query);
  else address.searchParams.delete("q");
  history.replaceState(null, "", address);
}

async function run(query) {
  const asked = (latest += 1);
  query = query.trim();
  keepAddress(query);
  if (!query) {
    list.hidden = true;
    none.hidden = true;
    say("");
    return;
  }
  const [pagefind, listed] = await Promise.all([loadEngine(), loadWords()]);
  const searched = expand(query, listed.words);
  const found = await pagefind.search(searched);
  if (asked !== latest || !found) return; // a newer query is on its way
  const results = found.results;
  const shown = await Promise.all(results.slice(0, SHOWN).map((result) => result.data()));
  if (asked !== latest) return;
  list.replaceChildren(...shown.map(resultItem));
  list.hidden = results.length === 0;
  if (results.length === 0) {
    const all = await loadNames();
    if (asked !== latest) return;
    say(sentence("saidNone", { query }));
    showClosest(query, all);
    return;
  }
  none.hidden = true;
  const count = sentence(results.length === 1 ? "saidOne" : "saidMany", { count: results.length, query });
  const as = searched !== query.toLowerCase() ? sentence("saidAs", { words: searched }) : "";
  const more = results.length > SHOWN ? sentence("saidFirst", { shown: SHOWN }) : "";
  say([count, as, more].filter(Boolean).join(" "));
}

function search(query) {
  run(query).catch(() => {
    say(sentence("saidFailed"));
    none.hidden = false;
    closest.previousElementSibling.hidden = true;
  });
}

input.addEventListener("input", () => {
  // The engine and the words load from the first key on, while the reader types.
  Promise.all([loadEngine(), loadWords()]).catch(() => {});
  clearTimeout(timer);
  timer = setTimeout(() => search(input.value), PAUSE_MS);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  search(input.value);
});

const initial = new URLSearchParams(location.search).get("q") || "";
input.value = initial;
if (initial) search(initial);
