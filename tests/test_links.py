"""Every internal link and resource resolves to a file, and every #fragment exists."""

from __future__ import annotations

import quality
from expected import EXPECTED_PAGES


def test_every_internal_link_and_resource_resolves(site):
    broken = quality.broken_links(site, EXPECTED_PAGES)
    assert not broken, "links to files that are not in the build:\n" + "\n".join(broken)


def test_every_fragment_link_has_a_target(site):
    missing = quality.missing_fragments(site, EXPECTED_PAGES)
    assert not missing, "fragment links without a target:\n" + "\n".join(missing)


def test_links_use_absolute_urls_in_production(site):
    relative = []
    for page in EXPECTED_PAGES:
        for tag in site.soup(page).find_all(quality.LINK_ATTRIBUTES):
            value = tag.get(quality.LINK_ATTRIBUTES[tag.name], "")
            if value.startswith("/"):
                relative.append(f"{page}: {value}")
    assert not relative, "root-relative URLs in a production build:\n" + "\n".join(relative)
