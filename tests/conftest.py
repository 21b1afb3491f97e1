"""Shared fixtures: one production build per session, parsed pages, site copies.

Two kinds of site. `site` (and `served_site`) is the production build of the
real `content/`, whatever it holds: the rules every page must meet are checked
there, and no test names its articles. Every other site is a copy the tests
build from their own data, `tests/data/site/content/` (FIXTURE_CONTENT): its
article (FIXTURE_ARTICLE) is the tests' to break and to describe.

Tests read the built folder the way a browser or a validator would; they never
look inside templates. Bad-input tests run the same command an editor runs on
a throwaway copy of the site.
"""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import functools
import hashlib
import importlib.util
import io
import json
import os
import pickle
import py_compile
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import launcher
import pytest
import quality
from bs4 import BeautifulSoup

from benchmarks import synthetic
from benchmarks.synthetic import photo, write_articles
from rules.search_words import FILE_NAME as SEARCH_WORDS_FILE
from scripts.system_packages import BrowserNotFound, find_browser

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "http://127.0.0.1:8000"
# The tests' own site content: the seed article as it was written, and the pages.
FIXTURE_CONTENT = ROOT / "tests" / "data" / "site" / "content"
# Its article, as the build's messages name it, and the page it becomes.
FIXTURE_ARTICLE = "content/ketamine-for-migraine.md"
FIXTURE_ARTICLE_PAGE = "ketamine-for-migraine/index.html"
# A Spanish translation of that article, placeholder text written for the tests
# (never in content/), and the page it becomes.
TRANSLATIONS_FIXTURE = ROOT / "tests" / "data" / "translations"
SPANISH_ARTICLE_PAGE = "es/ketamine-for-migraine/index.html"


def copy_site(folder: Path) -> Path:
    """A copy of the site's code and theme with the tests' own content, in `folder`,
    with the code compiled (`compiled_code`)."""
    site = synthetic.copy_site(folder, content=FIXTURE_CONTENT)
    for compiled in compiled_code().rglob("*.pyc"):
        target = site / compiled.relative_to(compiled_code())
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(compiled, target)
    return site


@functools.cache
def compiled_code() -> Path:
    """The site's Python files compiled once for this worker, as a checkout's
    `__pycache__/` folders (a folder of those alone).

    Each command a test runs in a copy would otherwise compile every module
    again (a tenth of a second; nothing is written where PYTHONDONTWRITEBYTECODE
    is set). A copy's files have the sources' size and time (copy2), which is
    what Python checks a compiled file against: a module a test edits is
    compiled afresh, and a traceback names the copy's file, as always."""
    folder = Path(tempfile.mkdtemp(prefix="mindbalance-compiled-"))
    for name in synthetic.SITE_FILES:
        path = ROOT / name
        for source in path.rglob("*.py") if path.is_dir() else [path]:
            if source.suffix == ".py":
                relative = source.relative_to(ROOT)
                cache = importlib.util.cache_from_source(str(relative))
                py_compile.compile(str(source), cfile=str(folder / cache), doraise=True)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# Set by GitHub's runners: a build seeing them annotates the pull request and
# writes to the run's summary (commands/ci_report.py).
GITHUB_ONLY = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--builds-of",
        metavar="FOLDER",
        type=Path,
        help="use the sites an earlier run of this checkout built once for the whole run "
        "(`once_per_run`), in FOLDER, its --basetemp; `invoke test`'s Lighthouse pass "
        "reads the main run's",
    )


# The folder of `--builds-of`, when given.
EARLIER_RUN: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """The builds the tests make, of copies broken on purpose, are not the pull
    request's: none of them, in this process or a child, may annotate it or write
    to the run's summary. A test that checks those passes the variables itself."""
    for name in GITHUB_ONLY:
        os.environ.pop(name, None)
    if config.getoption("builds_of"):
        EARLIER_RUN.append(config.getoption("builds_of"))


def invoke_env(siteurl: str | None = SITEURL, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment an editor's `invoke` gets: SITEURL is `siteurl` (none when
    None), never this session's; SITE_UNDER_TEST is never passed on; `env` adds
    or replaces variables."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SITEURL", "SITE_UNDER_TEST"}}
    if siteurl:
        clean["SITEURL"] = siteurl
    return {**clean, **(env or {})}


def run_invoke(
    cwd: Path,
    *args: str,
    siteurl: str | None = SITEURL,
    env: dict[str, str] | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """Run `invoke ARGS` in `cwd` exactly as an editor would, in `invoke_env(siteurl, env)`
    (`env` adds or replaces variables: PATH, TZ, GITHUB_ACTIONS...; GITHUB_ACTIONS
    itself is never inherited, see `pytest_configure`). It runs in a process of its
    own, forked from this worker's warm interpreter where that is the same as a
    fresh one (tests/launcher.py)."""
    return launcher.run_invoke(list(args), cwd, invoke_env(siteurl, env), timeout)


def run_build(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `invoke build ARGS` in `cwd`, for the address the tests read it at."""
    return run_invoke(cwd, "build", *args, env=env, timeout=120)


def once_per_run(make):
    """Make a fixture's site once for the whole run: the first pytest-xdist worker
    to ask builds it, while any other waits, then every worker reads the same
    folder (its value is kept pickled beside the workers' temporary folders,
    which last as long as the run). For fixtures that return what they built
    (paths, a BuiltSite) and take `tmp_path_factory`; tests never change what a
    shared fixture built, as with any session fixture. With `--builds-of FOLDER`, the
    folder is that earlier run's (a command-line option: a pytest the tests start,
    such as the publishing gate's, never inherits it)."""

    @functools.wraps(make)
    def shared(**fixtures):
        factory: pytest.TempPathFactory = fixtures["tmp_path_factory"]
        root = factory.getbasetemp()
        # A pytest-xdist worker's folder (popen-gw0) is in the run's, beside the other
        # workers'. (A pytest the tests start, such as the publishing gate's,
        # inherits the variable but has a folder of its own.)
        if root.name == f"popen-{os.environ.get('PYTEST_XDIST_WORKER')}":
            root = root.parent
        root = EARLIER_RUN[0] if EARLIER_RUN else root
        name = f"{make.__module__}.{make.__name__}"
        with (root / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            made = root / f"{name}.pickle"
            if made.exists():
                return pickle.loads(made.read_bytes())  # noqa: S301 - this run's own file
            value = make(**fixtures)
            made.write_bytes(pickle.dumps(value))
            return value

    return shared


@dataclass(frozen=True)
class BuiltSite:
    """A finished build and how its public URLs map onto files."""

    root: Path
    siteurl: str

    def file_for(self, url: str) -> Path | None:
        """The file a URL on this site is served from, or None if it is elsewhere."""
        return quality.local_file(self.root, self.siteurl, url)

    def url(self, page: str) -> str:
        """The public address of a built file: `a/index.html` is `SITEURL/a/`."""
        return quality.page_url(self.siteurl, page)

    def stylesheet_href(self) -> str:
        """The address of the stylesheet every page links (read from the home page)."""
        return self.soup("index.html").find("link", rel="stylesheet")["href"]

    def html_pages(self) -> list[str]:
        return quality.html_pages(self.root)

    @functools.cache  # noqa: B019 - one parse per page per session is the point
    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.root / page).read_text(encoding="utf-8"), "html.parser")


# --- Reading a built page ------------------------------------------------------


def meta(soup: BeautifulSoup, key: str) -> str | None:
    """The content of a page's `<meta property=key>` or `<meta name=key>`, if any."""
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup: BeautifulSoup) -> dict[str, dict]:
    """The page's JSON-LD graph, by @type; json.loads must accept it."""
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


def is_iso_with_zone(value: str) -> bool:
    return dt.datetime.fromisoformat(value).tzinfo is not None


def order_of(soup: BeautifulSoup, *elements) -> list[int]:
    """Where each element starts in the document, as an index into every tag."""
    everything = soup.find_all(True)
    return [next(i for i, tag in enumerate(everything) if tag is element) for element in elements]


@pytest.fixture(scope="session")
@once_per_run
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The production build, made once per session with the real command.

    With SITE_UNDER_TEST=DIR (and SITEURL, the address DIR was built for) the
    suite checks that finished build instead: every publish task runs the
    tests against exactly the folder it is about to publish.
    """
    under_test = os.environ.get("SITE_UNDER_TEST")
    if under_test:
        siteurl = os.environ.get("SITEURL", "").rstrip("/")
        assert siteurl, (
            "SITE_UNDER_TEST is set but SITEURL is not: set SITEURL to the address the folder was built for."
        )
        assert Path(under_test, "index.html").is_file(), (
            f"SITE_UNDER_TEST={under_test} is not a built site (no index.html); build it with `invoke build --production --output DIR`."
        )
        return BuiltSite(Path(under_test).resolve(), siteurl)
    output = tmp_path_factory.mktemp("build") / "output"
    result = run_build(ROOT, "--production", "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(output, SITEURL)


def production_build(site: Path) -> BuiltSite:
    """Build a copy of the site for production into its `out/`, for the tests' SITEURL."""
    result = run_build(site, "--production", "--output", "out")
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(site / "out", SITEURL)


@contextmanager
def serving_built(site: BuiltSite) -> Iterator[quality.Served]:
    """A finished build served on 127.0.0.1 and read at its own address."""
    with quality.serving(site.root) as local:
        yield quality.Served(site.siteurl, local)


def with_spanish_fixture(folder: Path) -> Path:
    """A copy of the tests' site with the Spanish fixture translation in content/es/."""
    site = copy_site(folder)
    shutil.copytree(TRANSLATIONS_FIXTURE / "es", site / "content" / "es")
    return site


@pytest.fixture(scope="session")
@once_per_run
def spanish_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The production build of the tests' site with the Spanish fixture, made once:
    tests/test_languages.py reads it, tests/test_translated_site.py runs every page check on it."""
    return production_build(with_spanish_fixture(tmp_path_factory.mktemp("spanish") / "site"))


@pytest.fixture(scope="session")
def served_spanish_site(spanish_site: BuiltSite) -> Iterator[quality.Served]:
    with serving_built(spanish_site) as served:
        yield served


@pytest.fixture(scope="session")
def fixture_site(built_production_template: Path) -> BuiltSite:
    """The production build of the tests' own content (FIXTURE_CONTENT), made once: the
    one `built_production_copy` copies (tests change copies only)."""
    return BuiltSite(built_production_template / "output", SITEURL)


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A private copy of the site's sources for tests that break them."""
    return copy_site(tmp_path / "site")


def cache_times(site: Path, kind: str = "images") -> dict[Path, int]:
    """When each entry of a site's cache folder `kind` (`images`, `templates`) was
    written: equal before and after a build that made nothing of that kind again
    (an entry is only ever written whole, as a new file)."""
    return {p: p.stat().st_mtime_ns for p in (site / "cache" / kind).rglob("*") if p.is_file()}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_refused(
    result: subprocess.CompletedProcess[str], site: Path, before: dict[str, str], *messages: str
) -> None:
    """A build the editor's mistake stopped: exit 1, every message printed, output/ untouched."""
    assert result.returncode == 1, result.stdout + result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    assert snapshot(site / "output") == before


def assert_edit_refused(
    built_copy: tuple[Path, dict[str, str]], file: str, old: str, new: str, message: str
) -> None:
    """Replace `old` with `new` in `file` of a built production copy: its production
    build is refused with `message` (`assert_refused`)."""
    site, before = built_copy
    edit(site / file, old, new)
    assert_refused(run_build(site, "--production"), site, before, message)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file with `new`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def built(site: Path, *args: str, env: dict[str, str]) -> Path:
    """Build `site` with `invoke build ARGS` in the environment `env`; its output/ folder."""
    result = run_build(site, *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "output"


def _built(factory: pytest.TempPathFactory, *args: str) -> Path:
    site = copy_site(factory.mktemp("built") / "site")
    result = run_build(site, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def _private_copy(template: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    site = tmp_path / "site"
    shutil.copytree(template, site, symlinks=True)
    return site, snapshot(site / "output")


@pytest.fixture(scope="session")
@once_per_run
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the site with a good development build in output/ (made once)."""
    return _built(tmp_path_factory)


@pytest.fixture(scope="session")
@once_per_run
def built_production_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the site with a good production build in output/ (made once)."""
    return _built(tmp_path_factory, "--production")


@pytest.fixture
def built_copy(built_template: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A private copy of the built site, and a snapshot of its output/ to compare with."""
    return _private_copy(built_template, tmp_path)


@pytest.fixture
def built_production_copy(
    built_production_template: Path, tmp_path: Path
) -> tuple[Path, dict[str, str]]:
    """The same with a production build in output/."""
    return _private_copy(built_production_template, tmp_path)


@pytest.fixture(scope="session")
def served_site(site: BuiltSite) -> Iterator[quality.Served]:
    """The build under test, served over http on 127.0.0.1 and read at its own address."""
    with serving_built(site) as served:
        yield served


@pytest.fixture(scope="session")
def served_fixture_site(fixture_site: BuiltSite) -> Iterator[quality.Served]:
    """The tests' own site, served the same way."""
    with serving_built(fixture_site) as served:
        yield served


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless system Chromium for the whole session."""
    chromium = quality.require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=quality.CHROMIUM_ARGS)
        yield launched
        launched.close()


# --- A scheduled article (test_scheduling.py, test_review_report.py, test_site_rules.py) ---
# The site's clock is fixed with SITE_TODAY (rules/clock.py), so these cases are
# independent of the day the suite runs.

SCHEDULED = "content/next-month.md"
SCHEDULED_TEXT = """\
Title: Planning Ahead for Migraine Days
Date: 2027-01-15
Slug: next-month
Summary: A test article that waits for its day.
Category: Migraine
Tags: migraine
Reviewed: 2026-11-20
Next_review: 2027-11-20

A short paragraph that a scheduled article publishes on its day.
"""
THE_DAY_BEFORE = {"SITE_TODAY": "2027-01-14"}


def schedule(site: Path) -> None:
    (site / SCHEDULED).write_text(SCHEDULED_TEXT, encoding="utf-8")


# --- A phone photo (test_images.py, test_clean_photos.py, test_preview_server.py) ---

CAMERA_MAKE = "Zorblax Optics"
BODY_SERIAL = "ZX-0042-1187"
LENS_SERIAL = "LN-5531-0904"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.2N" '
    b'exif:GPSLongitude="0,7.7W"/></rdf:RDF></x:xmpmeta>'
)
PRIVATE_BYTES = (
    b"Exif",
    b"GPS",
    CAMERA_MAKE.encode(),
    BODY_SERIAL.encode(),
    LENS_SERIAL.encode(),
    b"xmpmeta",
    b"ICC_PROFILE",
)
CLEANED_LINE = (
    "content/images/phone-photo.jpg: removed the location and camera serial number "
    "from the photo (its picture is unchanged)"
)


def phone_exif():
    """What a phone writes: its make and software, the orientation, where the photo was
    taken (GPS) and its serial numbers (and its maker's notes, which may hold more)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE  # Make
    exif[0x0110] = "Model 9"  # Model
    exif[0x0131] = "PhoneOS Camera 3.1"  # Software
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 40.1)}  # GPS
    exif[0x8769] = {  # the Exif block: BodySerialNumber, LensSerialNumber, MakerNote
        0xA431: BODY_SERIAL,
        0xA435: LENS_SERIAL,
        0x927C: b"Zorblax\0" + BODY_SERIAL.encode(),
    }
    return exif


def phone_photo(path: Path, *, size: tuple[int, int] = (4000, 3000)) -> None:
    """4000 × 3000 pixels as the sensor saw them, EXIF saying "turn 90° clockwise",
    an sRGB profile, and XMP repeating where it was taken."""
    from PIL import ImageCms

    image = photo(*size, seed=7)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(path, "JPEG", quality=92, exif=phone_exif(), icc_profile=icc, xmp=XMP)


def decoded(data: bytes):
    """The picture's pixels as the build reads them, and its EXIF and colour profile."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.tobytes(), dict(image.getexif()), image.info.get("icc_profile")


# --- A site of many articles (test_many_articles.py, test_a_to_z.py) ---------

HIDDEN = (
    "Title: Opening hours\nDate: 2026-11-20\nSlug: opening-hours\nSummary: When we are open.\n"
    "Category: Notices\nTags: opening times\nStatus: hidden\n\nWe are open on weekdays.\n"
)
ARTICLES = 34  # with the real one, 35: four pages of ten on the home page
# A misspelling of a word only one article's title uses (`RETITLED` below).
MANY_SEARCH_WORDS = "# Other words people use → the word our pages use\ntryptan → triptan\n"
# (index, new title, Also_called) for a few generated articles.
RETITLED = [
    (1, "Aura and what it looks like", "Visual aura, migraine with aura"),
    (2, "Émigrés and migraine care abroad", ""),
    (3, "5 ways to rest your eyes", "Eye rest"),
    (5, "Triptan tablets", "Brand X, Zolmi"),
]


@pytest.fixture(scope="session")
@once_per_run
def many(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """One production build of a copy with ARTICLES generated articles in four topics
    (benchmarks/synthetic.py), a few RETITLED, a HIDDEN one, and MANY_SEARCH_WORDS."""
    site = copy_site(tmp_path_factory.mktemp("many") / "site")
    write_articles(site / "content", ARTICLES)
    # Titles under other letters than S (one accented, one with a digit) and
    # Also_called names, for the A to Z.
    for index, title, also_called in RETITLED:
        path = site / "content" / f"synthetic-article-{index:04d}.md"
        text = re.sub(
            r"^Title: .*$", f"Title: {title}", path.read_text(encoding="utf-8"), count=1, flags=re.M
        )
        if also_called:
            text = text.replace("\n\n", f"\nAlso_called: {also_called}\n\n", 1)
        path.write_text(text, encoding="utf-8")
    # A hidden article in a topic and tag of its own: neither list exists.
    (site / "content" / "opening-hours.md").write_text(HIDDEN, encoding="utf-8")
    # Other words people use, for the search page (rules/search_words.py).
    (site / "content" / SEARCH_WORDS_FILE).write_text(MANY_SEARCH_WORDS, encoding="utf-8")
    return production_build(site)


@pytest.fixture(scope="session")
def many_served(many: BuiltSite) -> Iterator[quality.Served]:
    with serving_built(many) as served:
        yield served


# Fixtures that hand a test the build of the real content/: such a test checks a
# rule every page must meet, whatever the editors wrote, so it must pass on any content.
REAL_SITE_FIXTURES = frozenset({"site", "served_site", "nginx", "lighthouse"})


# Modules whose tests build whole sites one after another (or drive a preview
# through many builds), longest first: each starts its worker's share of the
# run, so no worker works through several of them while the others wait at the end.
LONG_FIRST = (
    "test_preview_rebuild.py",
    "test_images.py",
    "test_scheduler.py",
    "test_publish.py",
    "test_parallel_writer.py",
    "test_rules_cache.py",
    "test_preview_server.py",
    "test_typography.py",
)


def in_lanes(items: list[pytest.Item], lanes: int) -> list[pytest.Item]:
    """The run's order for `lanes` workers: pytest-xdist's worksteal hands each worker an
    equal run of the list in turn (the first len // lanes, then a share of the rest), so
    each run here starts with its long modules (those of LONG_FIRST that were chosen,
    dealt in turn), then the other tests in their order fill it to its length."""
    long = {name: [i for i in items if i.path.name == name] for name in LONG_FIRST}
    rest = [item for item in items if item.path.name not in long]
    dealt: list[list[pytest.Item]] = [[] for _ in range(lanes)]
    for number, name in enumerate(module for module in LONG_FIRST if long[module]):
        dealt[number % lanes] += long[name]
    ordered, left = [], len(items)
    for lane in range(lanes):
        length = left // (lanes - lane)
        lane_items = dealt[lane] + rest[: max(0, length - len(dealt[lane]))]
        rest = rest[len(lane_items) - len(dealt[lane]) :]
        ordered += lane_items
        left -= len(lane_items)
    return ordered + rest


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Iterator[None]:
    """Mark the checks of the real content/ (`-m content`): the publishing gate runs
    them on the folder it publishes; `invoke test` on content/ with the editors'
    test articles added (commands/editor_articles.py). Then, once `-m` has chosen
    the tests, order them: under pytest-xdist, each worker's share starts with long
    modules (`in_lanes`); alone, the long modules come first."""
    for item in items:
        if REAL_SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.content)
    yield
    # This run's own workers (a pytest a test starts inherits the environment's count).
    lanes = getattr(config, "workerinput", {}).get("workercount", 1)
    ordered = in_lanes(items, max(lanes, 1))
    assert sorted(map(id, ordered)) == sorted(map(id, items)), "the order lost or doubled a test"
    items[:] = ordered


def pytest_report_header() -> str:
    """Say which browser the checks drive, so a surprise is visible at the top of the run."""
    try:
        return f"browser: {find_browser()}"
    except BrowserNotFound as error:
        return f"browser: none ({error})"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show measured figures (recorded with `record_property("measured", …)`) after every run."""
    lines = [
        f"{report.nodeid.split('::')[-1]}: {value}"
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "measured" and getattr(report, "when", "") == "call"
    ]
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)
