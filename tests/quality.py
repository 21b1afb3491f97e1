"""The quality checks, as functions: the real tests and the broken-fixture test call them.

Each checker takes a built site (a folder, or a page open in the real browser)
and returns every problem it found as one line naming the page and the rule,
so a failing test lists all offenders at once. Nothing here is mocked: the Nu
Html Checker runs on Java, axe-core runs in the system Chromium, and pages are
served over http on 127.0.0.1 by the preview server the editors use.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import re
import shutil
import socket
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from plugins.security_headers import allows_scripts, page_policy
from preview.server import make_server
from scripts.system_packages import NODE_CHECKERS, BrowserNotFound, find_browser

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VNU_JAR, AXE_JS, LIGHTHOUSE = (NODE_MODULES / path for path in NODE_CHECKERS)

# The only flags with which Debian's Chromium starts reliably in a container.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = (320, 1280)
SCHEMES = ("light", "dark")
# The first round trip of a new TCP connection carries about 14 KB (10 segments).
FIRST_RENDER_BUDGET_BYTES = 14_000


# --- Tools ---------------------------------------------------------------------


def require_java() -> str:
    """The `java` command, or a failing test that says how to install it."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed, so the Nu Html Checker cannot run. "
            "Install it: sudo apt-get install default-jre-headless",
            pytrace=False,
        )
    return java


def require_chromium() -> str:
    """The browser scripts/system_packages.py finds, or a failing test that says what to do."""
    try:
        return find_browser()
    except BrowserNotFound as error:
        pytest.fail(f"The browser checks cannot run. {error}", pytrace=False)


def require_node_file(path: Path) -> Path:
    """A file from node_modules/, or a failing test that says how to get it."""
    if not path.is_file():
        pytest.fail(
            f"{path.relative_to(ROOT)} is missing. Run `make test` (it runs `npm ci`), "
            "or `npm ci` yourself; Node.js and npm come from: sudo apt-get install nodejs npm",
            pytrace=False,
        )
    return path


# --- Building and serving --------------------------------------------------------


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` with the preview server on a free port of 127.0.0.1; yield its origin.

    The port is bound before anything is built, so a site can be built with
    this origin as its SITEURL and then be read exactly as a reader would.
    """
    server = make_server(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def html_pages(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))


def page_url(origin: str, page: str) -> str:
    """The address a reader uses for a built file: `a/index.html` is `/a/`."""
    return f"{origin}/{page.removesuffix('index.html')}"


# --- The Nu Html Checker ---------------------------------------------------------


# How the checker's JVM runs: one short check, not a server. HotSpot's optimising
# compiler (C2) and its parallel collector cost a check of a site copy twice the CPU
# they save in it (2.9 s against 5.7 s for 16 files, 3.6 s against 7.2 s for 110),
# CPU the other tests on the same cores need; the quick compiler's bigger frames
# need a bigger stack than the checker's recursive schema (it asks for 512k at least).
VNU_JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m")


def vnu_problems(root: Path) -> list[str]:
    """Errors and warnings of vnu over every HTML page, stylesheet and SVG, in one JVM."""
    java = require_java()
    jar = require_node_file(VNU_JAR)
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in {".html", ".css", ".svg"}
    )
    result = subprocess.run(
        [
            java,
            *VNU_JAVA_OPTIONS,
            "-jar",
            str(jar),
            "--format",
            "json",
            "--also-check-css",
            "--also-check-svg",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        return [f"vnu did not report (exit {result.returncode}): {result.stderr[-2000:]}"]
    problems = []
    for message in report["messages"]:
        if message["type"] == "info" and message.get("subType") != "warning":
            continue  # plain information, neither an error nor a warning
        kind = "warning" if message.get("subType") == "warning" else message["type"]
        where = urlsplit(message.get("url", "")).path
        shown = Path(where).relative_to(root).as_posix() if where.startswith(str(root)) else where
        line = message.get("lastLine") or message.get("firstLine") or 1
        problems.append(f"{shown}:{line}: vnu {kind}: {message['message']}")
    return problems


# --- Budgets and privacy on the built files -------------------------------------


def gzip_size(data: bytes) -> int:
    """Bytes on the wire with gzip at the level web servers use by default."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


@dataclass
class FirstRender:
    """What one page needs before it can show text: the HTML and blocking CSS."""

    page: str
    files: dict[str, int] = field(default_factory=dict)  # path -> gzip bytes
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.files.values())


def first_screen(html: bytes) -> bytes:
    """The HTML a browser needs to paint the first screen: up to the end of the
    first paragraph inside <main> (the whole page if it has none).

    Browsers render HTML as it streams in, so a long article costs later round
    trips, not the first one: its length is the editor's to decide, and only
    the page's own overhead (head, header, title, opening text) must fit."""
    main = html.find(b"<main")
    end = html.find(b"</p>", main) if main >= 0 else -1
    return html[: end + len(b"</p>")] if end >= 0 else html


def first_render(root: Path, origin: str, page: str) -> FirstRender:
    """The page, its render-blocking stylesheets (and their @imports), and what breaks the rules."""
    measured = FirstRender(page)
    html = (root / page).read_bytes()
    measured.files[page] = gzip_size(first_screen(html))
    soup = BeautifulSoup(html, "html.parser")
    base = page_url(origin, page)
    scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
    if allows_scripts(page_policy(page)) and own_module_scripts(origin, scripts) == ["search"]:
        # The search page's own module script runs after the first render, never before it.
        scripts = []
    for _script in scripts:
        measured.problems.append(f"{page}: no-javascript: a <script> element")
    pending = [
        urljoin(base, link["href"])
        for link in soup.find_all("link", href=True)
        if "stylesheet" in [r.lower() for r in link.get("rel", [])]
        and link.get("media", "all").strip().lower() in {"all", "screen", ""}
    ]
    for link in soup.find_all("link", href=True):
        rels = [r.lower() for r in link.get("rel", [])]
        if link.get("as") == "font" or re.search(r"\.(woff2?|ttf|otf|eot)\b", link["href"]):
            measured.problems.append(f"{page}: no-web-fonts: <link rel={rels}> {link['href']}")
    while pending:
        url = pending.pop(0)
        local = local_file(root, origin, url)
        if local is None or not local.is_file():
            measured.problems.append(f"{page}: blocking stylesheet {url} is not a file of the site")
            continue
        name = local.relative_to(root).as_posix()
        if name in measured.files:
            continue
        css = local.read_bytes()
        measured.files[name] = gzip_size(css)
        text = css.decode("utf-8")
        if "@font-face" in text:
            measured.problems.append(f"{page}: no-web-fonts: {name} declares @font-face")
        for imported in re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", text):
            pending.append(urljoin(url, imported))
    return measured


# A script of the theme's, published under a content hash (`theme/js/search.<hash>.js`).
THEME_SCRIPT = re.compile(r"/theme/js/([a-z-]+)\.[0-9a-f]{12}\.js")


def own_module_scripts(origin: str, scripts: list) -> list[str]:
    """The names of the theme's module scripts among `scripts` (`search` for
    theme/js/search.<hash>.js, from the site's origin, with no text of its own);
    anything else as its markup, so a test's message names it."""
    names = []
    for script in scripts:
        found = THEME_SCRIPT.fullmatch(script.get("src", "").removeprefix(origin))
        if found and script.get("type") == "module" and not script.string:
            names.append(found[1])
        else:
            names.append(str(script))
    return names


def local_file(root: Path, origin: str, url: str) -> Path | None:
    """The built file an absolute or root-relative URL of the site at `origin` is served from;
    None for another site or a relative URL."""
    parts = urlsplit(url)
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if not parts.path.startswith("/"):
        return None
    target = root / parts.path.lstrip("/")
    return target / "index.html" if parts.path.endswith("/") else target


# Link relations that only name another document; nothing is fetched for them.
NAVIGATION_RELS = {"canonical", "alternate", "author", "license", "help", "me", "next", "prev"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


def resource_urls(html: str) -> Iterator[tuple[str, str]]:
    """(what, URL) for everything a browser would fetch or connect to for a page."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            what = f"<{tag.name} {name}>"
            if name in {"src", "poster", "data", "background", "action", "formaction", "manifest"}:
                yield what, value
            elif name in {"srcset", "imagesrcset"}:
                for candidate in value.split(","):
                    if candidate.strip():
                        yield what, candidate.split()[0]
            elif name == "ping":
                yield from ((what, url) for url in value.split())
            elif name in {"href", "xlink:href"} and tag.name not in {"a", "area"}:
                rels = set(" ".join(tag.get("rel", [])).lower().split())
                if tag.name != "link" or not rels or not rels <= NAVIGATION_RELS:
                    yield what, value
            elif name == "style":
                yield from ((what, url) for url in _css_urls(value))
        if tag.name == "style":
            yield from (("<style>", url) for url in _css_urls(tag.get_text()))
        if tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh":
            target = re.search(r"url\s*=\s*['\"]?([^'\"]+)", tag.get("content", ""), re.I)
            if target:
                yield "<meta http-equiv=refresh>", target.group(1)


def _css_urls(css: str) -> Iterator[str]:
    for match in CSS_URL.finditer(css):
        yield match.group(1) or match.group(2)


def third_party_problems(root: Path, origin: str) -> list[str]:
    """Every resource on another origin in any built page, stylesheet or SVG."""
    problems = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".html", ".css", ".svg"} or not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        found = (
            (("url()", url) for url in _css_urls(text))
            if path.suffix == ".css"
            else resource_urls(text)
        )
        for what, url in found:
            absolute = urljoin(page_url(origin, name), url.strip())
            parts = urlsplit(absolute)
            if parts.scheme in {"data", "about", "blob"}:
                continue
            if f"{parts.scheme}://{parts.netloc}" != origin:
                problems.append(f"{name}: third-party resource: {what} loads {absolute}")
    return problems


def cookie_meta_problems(root: Path) -> list[str]:
    return [
        f"{page}: sets a cookie with <meta http-equiv=set-cookie>"
        for page in html_pages(root)
        if BeautifulSoup((root / page).read_text(encoding="utf-8"), "html.parser").find(
            "meta", attrs={"http-equiv": re.compile("^set-cookie$", re.I)}
        )
    ]


# --- In the browser ----------------------------------------------------------------


@dataclass
class Visit:
    """One page open in a fresh browser context, and what it asked the network for."""

    page: object  # playwright.sync_api.Page
    label: str
    blocked: list[str]
    responses: list[object]
    console: list[str]


@dataclass(frozen=True)
class Served:
    """A build being served here: the address it was built for, and where it really is.

    The two differ when the suite checks a build made for the public address
    (SITE_UNDER_TEST, every publish): the browser asks for the public URLs and
    `visit` answers them from the local server, so the exact folder that is
    about to be published is the one under test.
    """

    siteurl: str
    local: str


@contextmanager
def visit(
    browser,
    served: Served,
    page_name: str,
    *,
    width: int = 1280,
    height: int = 800,
    scheme: str = "light",
    reduced_motion: str = "no-preference",
    scale: float = 1,
    bypass_csp: bool = False,
) -> Iterator[Visit]:
    """Open a built page as a reader would; requests to any other origin are refused and kept.

    The page's own Content-Security-Policy holds throughout, so every visit also
    shows what the policy refused (`csp_problems`): the checkers reach the page
    through the browser's DevTools protocol (axe-core, `axe_problems`) and a
    constructed style sheet (`text_spacing_problems`), which no page policy governs.
    `scale` is the device pixel ratio (2 for most phones). `bypass_csp` lifts the
    page's policy, to show what the checks behind it would catch if it let
    everything through.
    """
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        color_scheme=scheme,
        reduced_motion=reduced_motion,
        bypass_csp=bypass_csp,
    )
    blocked: list[str] = []

    def route(route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == served.siteurl:
            if served.local == served.siteurl:
                route.continue_()
            else:
                local = served.local + parts._replace(scheme="", netloc="").geturl()
                route.fulfill(response=context.request.get(local, max_redirects=0))
        elif parts.scheme == "data":
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    responses: list[object] = []
    console: list[str] = []
    page.on("response", lambda response: responses.append(response))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    try:
        page.goto(page_url(served.siteurl, page_name), wait_until="load")
        label = f"{page_name} at {width}px, {scheme}"
        yield Visit(page, label, blocked, responses, console)
    finally:
        # A late request (the favicon) may still be in the route when the check ends.
        context.unroute_all(behavior="ignoreErrors")
        context.close()


def show(visit: Visit, *, width: int, scheme: str, height: int = 800, reload: bool = False) -> None:
    """Show the open page at another width or colour scheme, as a fresh visit would
    (the media queries and the layout follow at once; `reload` also starts the
    page over: no focus, at the top)."""
    visit.page.set_viewport_size({"width": width, "height": height})
    visit.page.emulate_media(color_scheme=scheme)
    if reload:
        visit.page.reload(wait_until="load")
    visit.label = f"{visit.label.split(' at ')[0]} at {width}px, {scheme}"


# The views every page is shown in, in one visit: at 1280 px in light, then
# (reloaded, so nothing is focused) in dark, then at 320 px in dark and light.
WIDE, NARROW = max(WIDTHS), min(WIDTHS)
VIEWS = ((WIDE, "light"), (WIDE, "dark"), (NARROW, "dark"), (NARROW, "light"))
assert set(VIEWS) == {(width, scheme) for width in WIDTHS for scheme in SCHEMES}


def every_in_page_problem(browser, served: Served, page: str) -> list[str]:
    """Every in-page check, in one visit of `page` shown in each of VIEWS, in an order
    where none disturbs the next: axe-core, reflow (at 320 px), motion and the Tab
    walk (at 1280 px) in each view; last the WCAG 1.4.12 text spacing at both
    widths, which restyles the page (the same in both schemes); what was
    requested; and what the page's own security policy refused, all visit long.
    Reduced motion is asked for throughout: the motion check needs it, and with
    smooth scrolling a focus ring below the fold would still be on its way when
    it is measured."""
    problems = []
    with visit(browser, served, page, width=WIDE, reduced_motion="reduce") as v:
        for number, (width, scheme) in enumerate(VIEWS):
            show(v, width=width, scheme=scheme, reload=number == 1)
            problems += axe_problems(v)
            if width == NARROW:
                problems += horizontal_scroll_problems(v)
            problems += motion_problems(v)
            if width == WIDE:  # the Tab walk: every link, one key press each
                problems += focus_problems(v)
        for width in (NARROW, WIDE):
            show(v, width=width, scheme="light")
            problems += text_spacing_problems(v)
        problems += privacy_problems(v)
        problems += csp_problems(v)
    return problems


def csp_problems(visit: Visit) -> list[str]:
    """Anything the page's own Content-Security-Policy refused, and any style sheet
    the page links that did not load: the policy must fit the site."""
    unloaded = visit.page.evaluate(
        """() => [...document.querySelectorAll('link[rel~=stylesheet]')].filter(link => {
            try { return !link.sheet || link.sheet.cssRules.length === 0; }
            catch { return true; }  // another origin's sheet: not the site's own
        }).map(link => link.getAttribute('href'))"""
    )
    return [
        f"{visit.label}: {line}" for line in visit.console if "Content Security Policy" in line
    ] + [
        f"{visit.label}: the style sheet {href} did not load under the page's own policy"
        for href in unloaded
    ]


@functools.cache
def _axe_source() -> str:
    return require_node_file(AXE_JS).read_text(encoding="utf-8") + "\n;undefined"


def axe_problems(visit: Visit) -> list[str]:
    """axe-core's violations for the open page, one line per rule with where it fails."""
    if not visit.page.evaluate("() => typeof axe !== 'undefined'"):
        # Evaluated as DevTools does, not as a <script> the page's policy would refuse.
        visit.page.evaluate(_axe_source())
    report = visit.page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return {
                rules: result.passes.length + result.violations.length
                    + result.incomplete.length + result.inapplicable.length,
                violations: result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ')),
                })),
            };
        }""",
        AXE_TAGS,
    )
    if report["rules"] < 50:  # axe 4.x has about 90 rules with these tags
        return [f"{visit.label}: axe-core ran only {report['rules']} rules; check AXE_TAGS"]
    return [
        f"{visit.label}: {v['id']} ({v['impact']}): {v['help']}: "
        + ", ".join(v["nodes"][:5])
        + (f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
        for v in report["violations"]
    ]


DESCRIBE_JS = """
const describe = (el) => {
    const classes = el.classList.length ? '.' + [...el.classList].join('.') : '';
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${classes}> "${text}"`;
};
const hidden = (el) => {
    for (let node = el; node; node = node.parentElement) {
        const s = getComputedStyle(node);
        if (s.display === 'none' || s.visibility === 'hidden') return true;
        const r = node.getBoundingClientRect();
        if (s.position === 'absolute' && r.width <= 1 && r.height <= 1) return true;  // visually hidden
    }
    return false;
};
"""


def horizontal_scroll_problems(visit: Visit) -> list[str]:
    """The page must fit the viewport's width: no sideways scrolling (WCAG 1.4.10)."""
    result = visit.page.evaluate(
        "() => {"
        + DESCRIBE_JS
        + """
        const root = document.documentElement;
        const width = root.clientWidth;
        const wide = [...document.body.querySelectorAll('*')]
            .filter(el => !hidden(el) && el.getBoundingClientRect().right > width + 1)
            .map(describe).slice(0, 5);
        return {scroll: root.scrollWidth, width, wide};
    }"""
    )
    if result["scroll"] <= result["width"]:
        return []
    return [
        f"{visit.label}: reflow: the page is {result['scroll']}px wide in a "
        f"{result['width']}px viewport; too wide: " + ", ".join(result["wide"])
    ]


def add_style(visit: Visit, css: str) -> Callable[[], None]:
    """Style the open page with `css`, after its own style sheets, as a `<style>` at the
    end of its head would; returns what takes it away again. A constructed style
    sheet: the page's own policy refuses a `<style>` it does not name."""
    sheet = visit.page.evaluate_handle(
        """(css) => {
            const sheet = new CSSStyleSheet();
            sheet.replaceSync(css);
            document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
            return sheet;
        }""",
        css,
    )

    def remove() -> None:
        visit.page.evaluate(
            "(sheet) => { document.adoptedStyleSheets ="
            " document.adoptedStyleSheets.filter(s => s !== sheet); }",
            sheet,
        )

    return remove


# The WCAG 1.4.12 text-spacing bookmarklet's style sheet.
TEXT_SPACING_CSS = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; }"
    " p { margin-bottom: 2em !important; }"
)


def text_spacing_problems(visit: Visit) -> list[str]:
    """With WCAG 1.4.12 text spacing applied, no element's content is cut off or spills out.

    A box that scrolls on the side its content overflows and that the Tab key
    reaches (a table's region, a code block: plugins/wide_content.py) loses
    nothing: every reader can scroll to the rest. (tests/test_tables.py checks
    that a table that scrolls also shows it.)"""
    add_style(visit, TEXT_SPACING_CSS)
    found = visit.page.evaluate(
        "() => {"
        + DESCRIBE_JS
        + """
        const problems = [];
        const root = document.documentElement;
        if (root.scrollWidth > root.clientWidth) {
            problems.push(`the page scrolls sideways (${root.scrollWidth}px in ${root.clientWidth}px)`);
        }
        for (const el of document.body.querySelectorAll('*')) {
            if (hidden(el) || !el.clientWidth) continue;
            const s = getComputedStyle(el);
            const clips = s.overflowX !== 'visible' || s.overflowY !== 'visible';
            const scrolls = (overflow) => el.tabIndex >= 0 && ['auto', 'scroll'].includes(overflow);
            const over = (el.scrollWidth > el.clientWidth + 1 && !scrolls(s.overflowX))
                || (el.scrollHeight > el.clientHeight + 1 && !scrolls(s.overflowY));
            if (over) {
                problems.push(`${describe(el)} ${clips ? 'clips' : 'spills'} its content ` +
                    `(${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
            }
            if (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth) {
                problems.push(`${describe(el)} cuts its text off with an ellipsis`);
            }
        }
        return problems;
    }"""
    )
    return [f"{visit.label}: text-spacing: {problem}" for problem in found]


def _rgb(colour: str) -> tuple[float, float, float, float]:
    """`#rrggbb` or a computed `rgb(…)`/`rgba(…)` value as (r, g, b, alpha)."""
    if colour.startswith("#"):
        return (*(float(int(colour[i : i + 2], 16)) for i in (1, 3, 5)), 1.0)  # type: ignore[return-value]
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (hex or computed rgb)."""

    def luminance(colour: str) -> float:
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (v / 255 for v in _rgb(colour)[:3])
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


FOCUSED_JS = (
    "() => {"
    + DESCRIBE_JS
    + """
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    let background = 'rgb(255, 255, 255)';
    for (let node = el.parentElement; node; node = node.parentElement) {
        const c = getComputedStyle(node).backgroundColor;
        if (c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) { background = c; break; }
    }
    return {
        index: el.dataset.qaFocusIndex ?? null, what: describe(el),
        outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
        outlineColour: s.outlineColor, boxShadow: s.boxShadow, background,
        inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
            && r.top < innerHeight && r.left < innerWidth,
    };
}"""
)


# Installs `window.qaTabStops` in the page, given `focused` (FOCUSED_JS): the Tab stops
# in order up to the first that is nothing or a repeat, which ends the walk.
RECORD_TAB_STOPS_JS = """
if (window.qaTabStops) document.removeEventListener('keydown', window.qaTabStops.listener, true);
const walk = {stops: [], seen: new Set(), presses: 0, ended: false};
const note = () => {
    const state = focused();
    if (state === null || walk.seen.has(state.index)) { walk.ended = true; return; }
    walk.seen.add(state.index);
    walk.stops.push(state);
};
walk.end = () => {
    if (!walk.ended && walk.presses > 0) note();
    document.removeEventListener('keydown', walk.listener, true);  // later Tabs move again
    return walk.stops;
};
walk.listener = (event) => {
    if (event.key !== 'Tab') return;
    if (!walk.ended && walk.presses > 0) note();
    if (walk.ended) { event.preventDefault(); return; }
    walk.presses += 1;
};
document.addEventListener('keydown', walk.listener, true);
window.qaTabStops = walk;
"""


def focus_problems(visit: Visit) -> list[str]:
    """Tab through the page: every interactive element is reached and shows a visible ring."""
    page = visit.page
    focusable = page.evaluate(
        "() => {"
        + DESCRIBE_JS
        + """
        const selector = 'a[href], area[href], button, input, select, textarea, summary, '
            + 'iframe, [contenteditable=""], [contenteditable="true"], [tabindex]';
        const found = [...document.querySelectorAll(selector)]
            .filter(el => el.tabIndex >= 0 && !el.disabled && !hidden(el));
        found.forEach((el, index) => { el.dataset.qaFocusIndex = String(index); });
        return found.map(describe);
    }"""
    )
    problems = []
    reached: set[str] = set()
    # The page notes each Tab stop itself, as the next Tab key goes down (before the
    # focus moves on), so a press costs one round trip to the browser, not two; once
    # the walk has ended (focus left the page or came back round) it lets no further
    # press move the focus, so the page ends as a walk that stopped pressing there.
    page.evaluate(f"() => {{ const focused = {FOCUSED_JS}; {RECORD_TAB_STOPS_JS} }}")
    for _ in range(len(focusable) + 2):
        page.keyboard.press("Tab")
    for focused in page.evaluate("() => window.qaTabStops.end()"):
        reached.add(focused["index"])
        ring = focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2
        shadow = focused["boxShadow"] not in {"", "none"}
        if not (ring or shadow):
            problems.append(f"{focused['what']} has no focus indicator (outline or box-shadow)")
        elif ring and contrast(focused["outlineColour"], focused["background"]) < 3:
            ratio = contrast(focused["outlineColour"], focused["background"])
            problems.append(
                f"{focused['what']} focus ring {focused['outlineColour']} on "
                f"{focused['background']} is {ratio:.2f}:1, below 3:1"
            )
        if not focused["inView"]:
            problems.append(f"{focused['what']} is focused but not on screen")
    for index, what in enumerate(focusable):
        if str(index) not in reached:
            problems.append(f"{what} is never reached with the Tab key")
    return [f"{visit.label}: focus-visible: {problem}" for problem in problems]


def motion_problems(visit: Visit) -> list[str]:
    """With prefers-reduced-motion: reduce, nothing animates, transitions or scrolls smoothly."""
    found = visit.page.evaluate(
        "() => {"
        + DESCRIBE_JS
        + """
        const problems = document.getAnimations().map(a =>
            `${describe(a.effect && a.effect.target || document.body)} runs ${a.animationName || a.transitionProperty || 'an animation'}`);
        for (const el of [document.documentElement, ...document.querySelectorAll('*')]) {
            for (const pseudo of [null, '::before', '::after']) {
                const s = getComputedStyle(el, pseudo);
                const where = describe(el) + (pseudo || '');
                if (s.animationName && s.animationName !== 'none') {
                    problems.push(`${where} has animation ${s.animationName}`);
                }
                if (s.transitionDuration.split(',').some(d => parseFloat(d) > 0)) {
                    problems.push(`${where} has transition ${s.transitionProperty} ${s.transitionDuration}`);
                }
            }
        }
        if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth') {
            problems.push('<html> scrolls smoothly');
        }
        return problems;
    }"""
    )
    return [f"{visit.label}: reduced-motion: {problem}" for problem in found]


def privacy_problems(visit: Visit) -> list[str]:
    """No cookie by header or script, and no request to any origin but the site's."""
    problems = [f"{visit.label}: third-party request: {url}" for url in visit.blocked]
    for response in visit.responses:
        for header in response.headers_array():
            if header["name"].lower() == "set-cookie":
                problems.append(f"{visit.label}: cookie: {response.url} sets {header['value']!r}")
    cookie = visit.page.evaluate("() => document.cookie")
    if cookie:
        problems.append(f"{visit.label}: cookie: document.cookie is {cookie!r}")
    problems.extend(
        f"{visit.label}: cookie: the browser holds {c['name']} for {c['domain']}"
        for c in visit.page.context.cookies()
    )
    return problems


def header_rules(text: str) -> dict[str, dict[str, str]]:
    """`_headers` as {path pattern: {header: value}}; a detached header
    (`! Name`, Cloudflare Pages' syntax) as `! Name` with an empty value."""
    rules: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if line.startswith("/"):
            rules[line] = {}
        elif line.startswith("  !"):
            rules[list(rules)[-1]][line.strip()] = ""
        elif line.startswith("  "):
            name, value = line.strip().split(": ", 1)
            rules[list(rules)[-1]][name] = value
    return rules


# --- Links and page structure, for any built site ------------------------------

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "source": "src", "script": "src"}


def rule_matches(pattern: str, path: str) -> bool:
    """Whether a `_headers` path pattern (`/*`, `/search/*`, `/theme/*`) matches a URL path."""
    return path.startswith(pattern.removesuffix("*")) if pattern.endswith("*") else path == pattern


def promised_headers(rules: dict[str, dict[str, str]], path: str) -> dict[str, str]:
    """The headers `_headers` promises for a URL path: every matching rule in
    order, a detached header (`! Name`) dropped before the rule sets it again."""
    headers: dict[str, str] = {}
    for pattern, values in rules.items():
        if not rule_matches(pattern, path):
            continue
        for name, value in values.items():
            if name.startswith("! "):
                headers.pop(name.removeprefix("! "), None)
            else:
                headers[name] = value
    return headers


def broken_links(site, pages: list[str]) -> list[str]:
    """Internal links and resources on `pages` that point at no file in the build.

    `site` is a conftest.BuiltSite (soup, url, file_for)."""
    broken = []
    for page in pages:
        for tag in site.soup(page).find_all(LINK_ATTRIBUTES):
            value = tag.get(LINK_ATTRIBUTES[tag.name])
            if not value or value.startswith(("mailto:", "tel:")):
                continue
            url = urljoin(site.url(page), value)
            target = site.file_for(unquote(urlsplit(url)._replace(fragment="").geturl()))
            if target is not None and not target.is_file():
                broken.append(f"{page}: {value}")
    return broken


def missing_fragments(site, pages: list[str]) -> list[str]:
    """Links on `pages` to a #fragment that the linked page does not have."""
    missing = []
    for page in pages:
        for anchor in site.soup(page).find_all("a", href=True):
            parts = urlsplit(urljoin(site.url(page), anchor["href"]))
            if not parts.fragment:
                continue
            target = site.file_for(parts._replace(fragment="").geturl())
            if target is None:
                continue
            linked = target.relative_to(site.root).as_posix()
            if not site.soup(linked).find(id=unquote(parts.fragment)):
                missing.append(f"{page}: {anchor['href']}")
    return missing


def structure_problems(
    site, page: str, lang: str = "en", skip_link: str = "Skip to main content"
) -> list[str]:
    """What a reader, a screen reader and a search engine need on every page:
    language, title, description, one h1 first, headings in order, one of each
    landmark, labelled navigation, a first skip link to <main>, and (except on
    the 404 page, served at any address) a canonical URL that is its own.
    A page in another language says its `lang` and its skip link in its words."""
    soup = site.soup(page)
    problems = []
    if soup.html.get("lang") != lang:
        problems.append(f"{page}: <html lang> is not {lang}")
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{page}: {len(soup.find_all('h1'))} h1 elements, not 1")
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    if levels and levels[0] != 1:
        problems.append(f"{page}: the first heading is h{levels[0]}, not h1")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"{page}: heading jumps from h{before} to h{after}")
    title = soup.title.string.strip() if soup.title and soup.title.string else ""
    description = soup.find("meta", attrs={"name": "description"})
    if not title:
        problems.append(f"{page}: no <title>")
    if description is None or not 0 < len(description["content"].strip()) <= 160:
        problems.append(f"{page}: no meta description of at most 160 characters")
    canonical = soup.find("link", rel="canonical")
    if page != "404.html" and (canonical is None or canonical["href"] != site.url(page)):
        problems.append(f"{page}: the canonical URL is not the page's own address")
    # Landmarks: one main; the page's header and footer (banner, contentinfo)
    # are direct children of <body>; every nav has a name.
    if len(soup.find_all("main")) != 1:
        problems.append(f"{page}: not exactly one <main>")
    for region in ("header", "footer"):
        if len(soup.body.find_all(region, recursive=False)) != 1:
            problems.append(f"{page}: not exactly one page-level <{region}>")
    navs = soup.find_all("nav")
    if not navs or not all(nav.get("aria-label") or nav.get("aria-labelledby") for nav in navs):
        problems.append(f"{page}: no <nav>, or one without a label")
    first_link = soup.body.find("a")
    target = soup.find(id=first_link["href"].removeprefix("#")) if first_link else None
    if first_link is None or first_link.get_text(strip=True) != skip_link:
        problems.append(f"{page}: the first link is not the skip link")
    elif target is None or target.name != "main":
        problems.append(f"{page}: the skip link does not reach <main>")
    return problems


def duplicate_titles(site, pages: list[str]) -> list[str]:
    """Titles that more than one of `pages` uses."""
    titles = Counter(site.soup(page).title.string.strip() for page in pages)
    return sorted(title for title, count in titles.items() if count > 1)
