"""Addresses that work on the editor's computer and nowhere else.

An editor copies a link from the preview's address bar
(`http://127.0.0.1:8795/ketamine-for-migraine/`), from a file on their disk
(`file:///C:/Users/…/quiet-room.jpg`) or from the clinic's network
(`http://192.168.1.20/…`), or types a file's name where a link needs
`{filename}` (`[our guide](sleep.md)`) or a site's name without `https://`
(`www.nhs.uk/…`). Each opens on the editor's screen, or looks as if it would,
and leads nowhere for every reader. `address_problem` names the mistake and the
address to write instead, pointing at the file it probably meant.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from rules.names import suggested_name

SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# `localhost:8000/x` and `127.0.0.1:8000/x` typed without http://.
BARE_HOST = re.compile(
    r"^(?P<host>localhost|[\w.-]+\.localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\])(?::\d+)?(?:[/?#]|$)",
    re.IGNORECASE,
)
# `www.nhs.uk/conditions/migraine/`: a site's name with no https:// in front.
BARE_SITE = re.compile(
    r"^(?:www\.[\w-]+(?:\.[\w-]+)+|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|info|io"
    r"|uk|us|ca|au|nz|ie|de|fr|eu|nhs)\b)(?:[:/?#]|$)",
    re.IGNORECASE,
)
# `reception@example.org` and `555-0100` written where `mailto:` and `tel:` are needed.
EMAIL = re.compile(r"^[^@/\s:]+@[^@/\s:]+\.[a-z]{2,}$", re.IGNORECASE)
PHONE = re.compile(r"^\+?[\d().\s-]{6,}$")
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")
# Addresses the typed-address rule (rules/site.py) already checks.
TYPED = ("/", "./", "../")

# `exists(path_from_content)`: whether content/<path> is a file (rules.sources.Lookups).
Exists = Callable[[str], bool]


def local_host(host: str) -> str | None:
    """What `host` is when readers cannot reach it: "this computer" or "the local network"."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return "this computer" if "localhost" in host else "the local network"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    if ip.is_loopback or ip.is_unspecified:
        return "this computer"
    if ip.is_private or ip.is_link_local:
        return "the local network"
    return None


def address_problem(address: str, image: bool, exists: Exists) -> str | None:
    """Why `address` (a link's or picture's, as written) leads nowhere for readers, or None."""
    what = "picture" if image else "link"
    if not address or address.startswith(("#", "{", "?", *TYPED)):
        return None  # the page itself, {filename}/{static}, or the typed-address rule's
    scheme = SCHEME.match(address)
    if scheme and scheme.group(0).lower() == "file:":
        return (
            f"the {what} {address!r} is a file on this computer, which no reader can open; "
            + _instead(address, image, exists)
        )
    if scheme or address.startswith("//"):
        if scheme and scheme.group(0).lower() not in ("http:", "https:"):
            return None  # mailto:, tel: (javascript: has its own rule)
        try:
            host = urlsplit(address).hostname or ""
        except ValueError:
            return None
        where = local_host(host)
        if where is None:
            return None
        kind = (
            "the preview's address on this computer"
            if where == "this computer"
            else "an address on the local network"
        )
        return (
            f"the {what} {address!r} is {kind}, so it would lead nowhere for every "
            "reader; " + _instead(address, image, exists)
        )
    if bare := BARE_HOST.match(address):
        where = local_host(bare.group("host"))
        if where:
            return (
                f"the {what} {address!r} is an address on {where}, so it would lead nowhere "
                "for every reader; " + _instead("//" + address, image, exists)
            )
    if not image and EMAIL.match(address):
        return (
            f"the link {address!r} is an email address without mailto: in front, so browsers "
            f"would look for a page of this site; write mailto:{address}."
        )
    if not image and PHONE.match(address) and sum(c.isdigit() for c in address) >= 6:
        number = re.sub(r"[^\d+]", "", address)
        return (
            f"the link {address!r} is a phone number without tel: in front, so browsers "
            f"would look for a page of this site; write tel:{number}."
        )
    if BARE_SITE.match(address):
        return (
            f"the {what} {address!r} has no https:// in front, so browsers would look for it "
            f"on this site, where it does not exist; write https://{address}."
        )
    return (
        f"the {what} {address!r} is written without "
        + ("{static}" if image else "{filename}")
        + ", so the published page would look for it beside itself and find nothing; "
        + _instead(address, image, exists, relative=True)
    )


def _instead(address: str, image: bool, exists: Exists, *, relative: bool = False) -> str:
    """What to write instead: the file the address probably names, or how to link one."""
    meant = probable_file(address, image, exists, relative=relative)
    if meant:
        return f"write {meant} instead."
    if image:
        return "save the picture in content/images/ and show it with {static}/images/<name>."
    return (
        "link to an article or page with {filename}name.md, to a picture with "
        "{static}/images/name, or to another site with its https:// address."
    )


def probable_file(address: str, image: bool, exists: Exists, *, relative: bool = False) -> str:
    """`{filename}/…`/`{static}/…` of the file in content/ that `address` names, or ""."""
    if relative:
        path, _, fragment = address.partition("#")
        path = path.split("?")[0]
    else:
        parts = urlsplit(address)
        path, fragment = parts.path, parts.fragment
    segments = [unquote(s) for s in path.replace("\\", "/").split("/") if s and s != "."]
    if segments and segments[-1] in ("index.html", "index.htm"):
        segments.pop()
    if not segments:
        return ""
    hash_ = f"#{fragment}" if fragment and not image else ""
    last = segments[-1]
    stem, suffix = PurePosixPath(last).stem, PurePosixPath(last).suffix
    candidates: list[str] = []
    if suffix.lower() in PICTURE_SUFFIXES:
        for name in (last, suggested_name(last)):
            candidates.append(f"images/{name}")
        # The preview's copies are named <stem>-<width>.<ext>.
        original = re.sub(r"-\d+$", "", stem)
        candidates += [f"images/{original}{ext}" for ext in PICTURE_SUFFIXES]
        candidates += [f"images/{suggested_name(original)}{ext}" for ext in PICTURE_SUFFIXES]
    else:
        slug = last[: -len(".md")] if last.lower().endswith(".md") else last
        if relative and len(segments) > 1:
            candidates.append("/".join([*segments[:-1], f"{slug}.md"]))
        for name in dict.fromkeys((slug, suggested_name(slug))):
            candidates += [f"{name}.md", f"pages/{name}.md"]
    for candidate in dict.fromkeys(candidates):
        if exists(candidate):
            is_picture = PurePosixPath(candidate).suffix.lower() in PICTURE_SUFFIXES
            return ("{static}/" if is_picture else "{filename}/") + candidate + hash_
    return ""
