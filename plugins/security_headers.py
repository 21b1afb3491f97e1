"""The HTTP headers every host sends, defined once.

Everything that carries a header value is generated from the constants below:
the `_headers` file Netlify and Cloudflare Pages read (written into every
build by `commands.host_files`), the nginx snippets in `deploy/`
(`invoke headers` rewrites them; a test checks the committed copies), and the
`<meta http-equiv="Content-Security-Policy">` in every page for GitHub Pages,
which cannot send headers. As a Pelican plugin this module hands the
templates `meta_csp()` and `REFERRER_POLICY`.

The site has one same-origin stylesheet, a favicon and images, no scripts, no
forms and no frames, so the policy allows exactly that. The search page is
the one exception, with a policy of its own (`SEARCH_CSP_DIRECTIVES`),
written wherever the site's is: its rule in `_headers`, its nginx snippet,
its meta tag. JSON-LD blocks
(`<script type="application/ld+json">`) are data that browsers never execute,
so the headers need no script-src. The meta version, which the HTML checker
reads, names each page's JSON-LD by the sha256 hash of exactly its text (never
'unsafe-inline'), and names the site's own origin beside 'self' because a
checker reading files has no origin of its own to compare with.

One connection is allowed: the site's own robots.txt. No page of ours
connects anywhere, but tools that audit a page from inside it (Lighthouse's
robots-txt check, which search engines' own tools resemble) fetch
`/robots.txt` under the page's policy, and `default-src 'none'` refused it.
The header is written once for every site, so it can only say 'self'; the
meta version knows the origin and names exactly `<origin>/robots.txt` (a
source with a path matches that path only). A browser enforces both, so on
hosts that send the header the page may connect to that one URL and nothing
else.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from plugins.fingerprint import is_fingerprinted

CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"),
    # Narrowed to ROBOTS_TXT in the meta version (see the module's docstring).
    ("connect-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self'"),
    ("base-uri", "'none'"),
    ("form-action", "'none'"),
    ("frame-ancestors", "'none'"),
)
# The search page (`/search/`, theme/templates/search.html) is the one page
# with a script: its own, from the site (theme/static/js/search.js), which
# runs Pagefind's engine (/pagefind/pagefind.js) and its WebAssembly, which
# Chromium compiles only under 'wasm-unsafe-eval' (no eval of text: 'unsafe-eval'
# stays out). It fetches the index, words.json and names.json from the site ('self'), and
# its form sends the query to the page itself (form-action 'self').
SEARCH_PATH = "/search/"
SEARCH_CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'none'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("connect-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
POLICIES = {"site": CSP_DIRECTIVES, "search": SEARCH_CSP_DIRECTIVES}
# Browsers ignore these in a <meta> policy (and log a warning), so the meta
# version leaves them out. frame-ancestors works only as a real header: on
# GitHub Pages, which sends no headers, nothing stops another site framing a
# page; the hosts that send headers forbid it (and X-Frame-Options agrees).
META_IGNORED_DIRECTIVES = frozenset({"frame-ancestors", "report-uri", "sandbox"})
# The one address a page may connect to: crawlers and auditors read robots.txt
# at the root of the origin, whatever path SITEURL has.
ROBOTS_TXT = "/robots.txt"


def content_security_policy(
    *, meta: bool = False, origin: str = "", scripts: Iterable[str] = (), policy: str = "site"
) -> str:
    """The policy as a header value, or as the `<meta>` version when `meta` is true.

    `policy` is "site" (every page) or "search" (the search page). For the
    meta version, `origin` (the site's own, e.g. https://www.example.org)
    is named beside 'self' (the site's connect-src names only its robots.txt),
    and each text in `scripts` is allowed by its hash.
    """
    directives = []
    for name, value in POLICIES[policy]:
        if meta and name in META_IGNORED_DIRECTIVES:
            continue
        if meta and origin and name == "connect-src" and policy == "site":
            value = origin + ROBOTS_TXT
        elif meta and origin and "'self'" in value.split():
            value = value.replace("'self'", f"'self' {origin}", 1)
        directives.append((name, value))
    hashes = [f"'sha256-{sha256_base64(text)}'" for text in scripts]
    if meta and hashes:
        directives.insert(1, ("script-src", " ".join(hashes)))
    return "; ".join(f"{name} {value}" for name, value in directives)


def page_policy(path: str) -> str:
    """The policy of the output file at `path` (relative to the output, as
    `search/index.html`): "search" under SEARCH_PATH, else "site". The meta
    tag of each page, the `_headers` rule and the nginx location all follow
    SEARCH_PATH, so the three agree, and the tests ask this which pages may
    carry a script."""
    return "search" if f"/{path}".startswith(SEARCH_PATH) else "site"


def allows_scripts(policy: str) -> bool:
    """Whether a policy lets a page run a script of the site's (the search page's)."""
    return any(name == "script-src" for name, _ in POLICIES[policy])


def sha256_base64(text: str) -> str:
    """The CSP hash of an inline element's text, exactly as the browser hashes it."""
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def site_origin(siteurl: str) -> str:
    """`https://host[:port]` of an absolute SITEURL; empty for a root-relative one."""
    parts = urlsplit(siteurl)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


SEARCH_POLICY = content_security_policy(policy="search")

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", content_security_policy()),
    # Two years and subdomains too: the lifetime the HSTS preload list asks for
    # (add "; preload" only once the domain's owner decides to submit it).
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
    ("X-Content-Type-Options", "nosniff"),
    # Older browsers' spelling of frame-ancestors 'none'.
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Permissions-Policy",
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
        "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()",
    ),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)

# HTML, feeds and every file whose name stays the same between builds: the
# browser must ask again each time (a cheap 304 when nothing changed).
CACHE_REVALIDATE = "no-cache"
# Fingerprinted files (`main.<hash>.css`) never change under their name.
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"

# Cloudflare Pages reads at most this many rules from _headers.
MAX_HEADER_RULES = 100


def cache_control(path: str) -> str:
    """The Cache-Control value for an output file (a path relative to the output)."""
    return CACHE_IMMUTABLE if is_fingerprinted(path) else CACHE_REVALIDATE


def netlify_headers(files: Iterable[str], *, immutable_dir: str) -> str:
    """The `_headers` file for Netlify and Cloudflare Pages.

    Three rules, however many pages the site has: `/*` carries the security
    headers, `/search/*` its own policy, and `/<immutable_dir>/*` (the theme's
    folder, where every file is fingerprinted) is cached for a year. Both hosts
    join the values of a header that several matching rules set, so the search
    rule first detaches the site's policy (`! Content-Security-Policy`, as
    Cloudflare Pages' `_headers` writes it; two policies would both be
    enforced, and the site's allows no script), and `/*` sets no Cache-Control: every
    other file gets the hosts' default, `public, max-age=0, must-revalidate`,
    which like nginx's `no-cache` makes the browser ask again each time.
    `files` (the build's output paths) are checked: a file in the immutable
    folder without a content hash in its name would never reach a browser
    that had cached the old one.
    """
    stale = [
        path
        for path in files
        # `main.<hash>.css.gz` is the compressed copy of a fingerprinted file.
        if path.startswith(f"{immutable_dir}/")
        and cache_control(path.removesuffix(".gz")) != CACHE_IMMUTABLE
    ]
    if stale:
        raise ValueError(
            f"{', '.join(sorted(stale))} would be cached for a year under /{immutable_dir}/ "
            "but its name has no content hash; add it to FINGERPRINT_FILES in pelicanconf.py."
        )
    lines = [
        "# Written by the build from plugins/security_headers.py; do not edit.",
        "/*",
        *(f"  {name}: {value}" for name, value in SECURITY_HEADERS),
        f"{SEARCH_PATH}*",
        "  ! Content-Security-Policy",
        f"  Content-Security-Policy: {SEARCH_POLICY}",
        f"/{immutable_dir}/*",
        f"  Cache-Control: {CACHE_IMMUTABLE}",
    ]
    return "\n".join(lines) + "\n"


def nginx_snippet(cache: str, policy: str = "site") -> str:
    """An nginx include that adds every header, with `cache` as Cache-Control
    and the `policy` ("site", or "search" for the search page) as its CSP.

    `always` sends them on 404 and other error responses too. nginx drops the
    server's add_header lines in a location that has its own, so every
    location includes one of these snippets and nothing else adds headers.
    """
    lines = [
        "# Generated from plugins/security_headers.py by `invoke headers`; do not edit.",
        "# Include it in every location block of deploy/nginx.conf.",
    ]
    headers = [
        (
            name,
            content_security_policy(policy=policy) if name == "Content-Security-Policy" else value,
        )
        for name, value in SECURITY_HEADERS
    ]
    for name, value in (*headers, ("Cache-Control", cache)):
        if '"' in value:
            raise ValueError(f"the {name} value contains a double quote; nginx cannot quote it.")
        lines.append(f'add_header {name} "{value}" always;')
    return "\n".join(lines) + "\n"


# deploy/ file name -> (Cache-Control, policy) of its generated text.
NGINX_SNIPPETS = {
    "nginx-headers.conf": (CACHE_REVALIDATE, "site"),
    "nginx-headers-immutable.conf": (CACHE_IMMUTABLE, "site"),
    "nginx-headers-search.conf": (CACHE_REVALIDATE, "search"),
}


def nginx_snippets() -> dict[str, str]:
    """Every nginx snippet in deploy/, by file name, as the generator writes it."""
    return {name: nginx_snippet(*settings) for name, settings in NGINX_SNIPPETS.items()}


def write_nginx_snippets(folder: Path) -> list[Path]:
    """Write every nginx snippet into `folder` (deploy/); return the paths written."""
    written = []
    for name, text in nginx_snippets().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def add_meta_policy(generator) -> None:
    """Hand the templates `meta_csp(*inline_scripts, page=output_file)` and REFERRER_POLICY."""
    origin = site_origin(generator.settings["SITEURL"])

    def meta_csp(*inline_scripts, page: str = "") -> str:
        texts = [script.text for script in inline_scripts if script is not None]
        return content_security_policy(
            meta=True, origin=origin, scripts=texts, policy=page_policy(page)
        )

    generator.env.globals["meta_csp"] = meta_csp
    # <meta name="referrer"> takes the same value, so GitHub Pages gets it too.
    generator.env.globals["REFERRER_POLICY"] = dict(SECURITY_HEADERS)["Referrer-Policy"]


def register() -> None:
    signals.generator_init.connect(add_meta_policy)
