"""plugins/fingerprint.py: the stylesheet published under its content hash, and only so."""

from __future__ import annotations

import hashlib

from plugins.fingerprint import HASH_LENGTH, is_fingerprinted


def test_the_stylesheet_is_published_under_its_content_hash_only(site):
    href = site.stylesheet_href()
    stylesheet = site.file_for(href)
    assert is_fingerprinted(stylesheet.name)
    digest = hashlib.sha256(stylesheet.read_bytes()).hexdigest()[:HASH_LENGTH]
    assert stylesheet.name == f"main.{digest}.css"
    assert not (site.root / "theme/css/main.css").exists()
    assert href.startswith(f"{site.siteurl}/theme/")  # the folder `_headers` caches for a year
