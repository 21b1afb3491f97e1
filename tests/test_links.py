"""Every internal link and resource resolves to a file, and every #fragment exists."""

from __future__ import annotations

from urllib.parse import unquote, urljoin, urlsplit

from expected import EXPECTED_PAGES

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "source": "src", "script": "src"}


def test_every_internal_link_and_resource_resolves(site):
    broken = []
    for page in EXPECTED_PAGES:
        for tag in site.soup(page).find_all(LINK_ATTRIBUTES):
            value = tag.get(LINK_ATTRIBUTES[tag.name])
            if not value or value.startswith(("mailto:", "tel:")):
                continue
            url = urljoin(site.url(page), value)
            target = site.file_for(unquote(urlsplit(url)._replace(fragment="").geturl()))
            if target is not None and not target.is_file():
                broken.append(f"{page}: {value}")
    assert not broken, "links to files that are not in the build:\n" + "\n".join(broken)


def test_every_fragment_link_has_a_target(site):
    missing = []
    for page in EXPECTED_PAGES:
        for anchor in site.soup(page).find_all("a", href=True):
            url = urljoin(site.url(page), anchor["href"])
            parts = urlsplit(url)
            if not parts.fragment:
                continue
            target = site.file_for(parts._replace(fragment="").geturl())
            if target is None:
                continue
            linked = target.relative_to(site.root).as_posix()
            if not site.soup(linked).find(id=unquote(parts.fragment)):
                missing.append(f"{page}: {anchor['href']}")
    assert not missing, "fragment links without a target:\n" + "\n".join(missing)


def test_links_use_absolute_urls_in_production(site):
    relative = []
    for page in EXPECTED_PAGES:
        for tag in site.soup(page).find_all(LINK_ATTRIBUTES):
            value = tag.get(LINK_ATTRIBUTES[tag.name], "")
            if value.startswith("/"):
                relative.append(f"{page}: {value}")
    assert not relative, "root-relative URLs in a production build:\n" + "\n".join(relative)
