"""Debian's nginx with deploy/nginx.conf serves a deploy-dir target the way production does.

One nginx per module, on free ports of 127.0.0.1, with a private prefix, a
throwaway self-signed certificate and the committed config; only the listen
addresses, the certificate folder and the served folder are swapped in.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import quality
from conftest import ROOT
from expected import EXPECTED_PAGES
from quality import header_rules

from commands.build import load_settings
from commands.publish import current_release, deploy_release, rollback
from commands.search_index import WORDS_FILE
from plugins.security_headers import (
    CACHE_IMMUTABLE,
    CACHE_REVALIDATE,
    SECURITY_HEADERS,
    nginx_snippets,
)

pytestmark = pytest.mark.nginx

SEARCH = load_settings(production=True)["SEARCH_SAVE_AS"]

DEPLOY = ROOT / "deploy"
INSTALL_HINT = (
    "nginx is not installed, so the nginx tests cannot run. Install it: "
    "`sudo apt-get install nginx-light` (Debian) or `sudo apt-get install nginx` "
    "(Ubuntu); .ci/run installs it in CI."
)
MAX_REQUESTS = 2000
MAX_SECONDS = 20.0
STEP = 150  # requests between two switches in the load test


def find_nginx() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None
    )
    if found is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    return found


def replace_every(text: str, old: str, new: str) -> str:
    """Swap every copy of a deploy-specific value; fail if deploy/nginx.conf no longer has it."""
    assert old in text, f"deploy/nginx.conf no longer contains {old!r}; update this test."
    return text.replace(old, new)


def self_signed_certificate(folder: Path) -> Path:
    if shutil.which("openssl") is None:
        pytest.fail(
            "openssl is not installed; the nginx tests need it for a throwaway certificate. "
            "Install it: `sudo apt-get install openssl` (.ci/run installs it in CI).",
            pytrace=False,
        )
    folder.mkdir()
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return folder / "fullchain.pem"


def site_config(target: Path, certificates: Path, http_port: int, https_port: int) -> str:
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
    text = replace_every(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = replace_every(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = replace_every(text, "/etc/letsencrypt/live/www.example.org", str(certificates))
    return replace_every(text, "/srv/mindbalance", str(target))


def main_config(prefix: Path) -> str:
    """The http{} wrapper Debian's /etc/nginx/nginx.conf would be, inside `prefix`."""
    mime_types = Path("/etc/nginx/mime.types")
    assert mime_types.is_file(), f"{mime_types} is missing; reinstall nginx ({INSTALL_HINT})"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # nginx started by root switches its workers to `nobody`, who cannot read
    # pytest's private temp folders; started by anyone else it cannot switch.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    include {mime_types};\n    default_type application/octet-stream;\n"
        f"    access_log off;\n{temp}\n    include site.conf;\n}}\n"
    )


@dataclass
class Nginx:
    target: Path
    https_port: int
    http_port: int
    context: ssl.SSLContext

    def connect(self) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=self.context, timeout=5
        )

    def get(self, path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = self.connect()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory) -> Nginx:
    binary = find_nginx()
    prefix = tmp_path_factory.mktemp("nginx")
    target = prefix / "srv"
    deploy_release(site.root, target)
    certificate = self_signed_certificate(prefix / "certificates")
    conf = prefix / "conf"
    (conf / "snippets/mindbalance").mkdir(parents=True)
    for name in nginx_snippets():
        shutil.copy2(DEPLOY / name, conf / "snippets/mindbalance" / name)
    https_port, http_port = quality.free_port(), quality.free_port()
    (conf / "site.conf").write_text(
        site_config(target, certificate.parent, http_port, https_port), encoding="utf-8"
    )
    (conf / "nginx.conf").write_text(main_config(prefix), encoding="utf-8")
    (prefix / "temp").mkdir()
    process = subprocess.Popen(
        [binary, "-p", f"{prefix}/", "-e", str(prefix / "error.log"), "-c", str(conf / "nginx.conf"),
         "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.communicate()[0].decode(errors="replace")
                log = (prefix / "error.log").read_text(errors="replace")
                pytest.fail(f"nginx did not start:\n{output}\n{log}", pytrace=False)
            time.sleep(0.05)
    context = ssl.create_default_context(cafile=str(certificate))
    try:
        yield Nginx(target, https_port, http_port, context)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def stylesheet_path(site) -> str:
    return site.stylesheet_href().removeprefix(site.siteurl)


def test_every_page_is_served_with_200(site, nginx):
    for page in EXPECTED_PAGES:
        status, _, body = nginx.get(quality.page_url("", page))
        assert status == 200, page
        assert body == (site.root / page).read_bytes(), page


def test_an_unknown_path_gets_the_site_404_page_with_status_404(site, nginx):
    for path in ("/no-such-page/", "/no/such/file.css", "/theme/css/main.000000000000.css"):
        status, headers, body = nginx.get(path)
        assert status == 404, path
        assert body == (site.root / "404.html").read_bytes(), path
        assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_folders_are_never_listed(site, nginx):
    for path in ("/theme/", "/theme/css/", "/feeds/"):
        status, _, body = nginx.get(path)
        assert status == 404, path
        assert body == (site.root / "404.html").read_bytes()


def test_files_for_other_hosts_are_not_served(site, nginx):
    for name in ("_headers", ".nojekyll"):
        assert (site.root / name).is_file()
        status, headers, body = nginx.get(f"/{name}")
        assert status == 404, name
        assert body == (site.root / "404.html").read_bytes()
        assert "Content-Security-Policy" in headers


def test_a_folder_without_its_slash_redirects_on_the_same_host(nginx):
    status, headers, _ = nginx.get("/archives")
    assert status == 301
    assert headers["Location"] == "/archives/"


@pytest.mark.parametrize("kind", ["html", "css", "404", "feed"])
def test_every_security_header_is_sent(site, nginx, kind):
    path = {
        "html": "/archives/",
        "css": stylesheet_path(site),
        "404": "/missing/",
        "feed": "/feeds/all.atom.xml",
    }[kind]
    _, headers, _ = nginx.get(path)
    for name, value in SECURITY_HEADERS:
        assert headers.get_all(name) == [value], name
    cache = CACHE_IMMUTABLE if kind == "css" else CACHE_REVALIDATE
    assert headers.get_all("Cache-Control") == [cache]
    assert headers["Server"] == "nginx"  # server_tokens off: no version


def test_nginx_sends_what_the_headers_file_promises(site, nginx):
    """Netlify/Cloudflare (_headers) and nginx send the same values: the security
    headers on every path, the search page's own policy under /search/, and a
    year's caching on the fingerprinted theme files. Other files get the hosts'
    own revalidating default; nginx says `no-cache`."""
    rules = header_rules((site.root / "_headers").read_text())
    paths = [quality.page_url("", page) for page in EXPECTED_PAGES]
    # The search page's words and script: under its folder, and a fingerprinted theme file.
    script = site.soup(SEARCH).find("script", src=True)["src"].removeprefix(site.siteurl)
    paths += [f"/{WORDS_FILE}", script]
    used = set()
    for path in paths:
        _, headers, _ = nginx.get(path)
        promised = quality.promised_headers(rules, path)
        used |= {pattern for pattern in rules if quality.rule_matches(pattern, path)}
        for name, value in promised.items():
            assert headers.get_all(name) == [value], f"{path}: {name}"
        if "Cache-Control" not in promised:
            assert headers.get_all("Cache-Control") == [CACHE_REVALIDATE], path
    _, headers, _ = nginx.get(stylesheet_path(site))
    for name, value in quality.promised_headers(rules, stylesheet_path(site)).items():
        assert headers.get_all(name) == [value], f"stylesheet: {name}"
    assert used == set(rules), "a rule of _headers that no path here checks"


@pytest.mark.parametrize("page", ["index.html", "archives/index.html", "css"])
def test_gzip_is_negotiated_from_the_precompressed_files(site, nginx, page):
    path = stylesheet_path(site) if page == "css" else quality.page_url("", page)
    file = site.file_for(site.siteurl + path)
    status, headers, body = nginx.get(path, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert body == file.with_name(file.name + ".gz").read_bytes()  # gzip_static, not on the fly
    assert gzip.decompress(body) == file.read_bytes()
    _, plain_headers, plain = nginx.get(path)
    assert plain_headers["Content-Encoding"] is None
    assert plain == file.read_bytes()


def test_plain_http_redirects_to_https(nginx):
    connection = http.client.HTTPConnection("127.0.0.1", nginx.http_port, timeout=5)
    try:
        connection.request("GET", "/archives/")
        response = connection.getresponse()
        assert response.status == 301
        assert response.headers["Location"] == "https://127.0.0.1/archives/"
        assert response.headers["Server"] == "nginx"
    finally:
        connection.close()


def test_switching_releases_under_load_fails_no_request(site, nginx, record_property):
    """While a client requests pages, deploys and a rollback switch `current`; nothing fails."""
    paths = [quality.page_url("", page) for page in EXPECTED_PAGES] + [stylesheet_path(site)]
    done = threading.Event()
    results = {"requests": 0, "failures": []}

    def client() -> None:
        started = time.monotonic()
        connection = nginx.connect()
        while (
            not done.is_set()
            and results["requests"] < MAX_REQUESTS
            and time.monotonic() - started < MAX_SECONDS
        ):
            path = paths[results["requests"] % len(paths)]
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    results["failures"].append(f"{path}: {response.status}")
            except (OSError, http.client.HTTPException) as error:
                results["failures"].append(f"{path}: {error!r}")
                connection.close()
                connection = nginx.connect()
            results["requests"] += 1
        connection.close()

    def after(count: int) -> None:
        """Wait until the client has made `count` requests (bounded by its own limits)."""
        while results["requests"] < count and worker.is_alive():
            time.sleep(0.002)

    worker = threading.Thread(target=client)
    worker.start()
    seen = []
    try:
        for step in range(1, 5):
            after(STEP * step)
            seen.append(deploy_release(site.root, nginx.target))
        after(STEP * 5)
        rollback(nginx.target)
        after(STEP * 6)
    finally:
        done.set()
        worker.join(timeout=MAX_SECONDS + 5)
    assert current_release(nginx.target) == seen[-2]
    assert results["requests"] >= STEP * 6, "the client stopped before every switch was made"
    assert not results["failures"], results["failures"][:10]
    record_property(
        "measured", f"{results['requests']} requests, {len(seen) + 1} switches, 0 failures"
    )


def test_every_location_includes_a_header_snippet():
    """nginx does not inherit add_header into a location with its own, so each includes one."""
    lines = (DEPLOY / "nginx.conf").read_text().splitlines()
    conf = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert "add_header" not in conf, "add headers only through the snippets"
    locations = re.findall(r"^\s*location [^\n]*\{\n(.*?)\n\s*\}$", conf, re.MULTILINE | re.DOTALL)
    # The redirect to HTTPS, fingerprinted files, other hosts' files, the search page, the rest.
    assert len(locations) == 5
    for body in locations:
        assert "include snippets/mindbalance/nginx-headers" in body, body
