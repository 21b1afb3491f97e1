"""plugins/a_to_z.py: the A to Z, on the site of many articles (conftest.py's `many`).

Every published article once under its first letter (accented and digit
titles too), `Also_called` names as "see" entries, numbers by value, empty
letters plain text, "Back to top", the header link, the sitemap, title,
canonical and breadcrumbs.
"""

from __future__ import annotations

import json
import string
import unicodedata
from types import SimpleNamespace

from conftest import ARTICLES, SITEURL
from expected import A_TO_Z_PAGE

from commands.build import load_settings
from plugins.a_to_z import a_to_z


def expected_letter(name: str) -> str:
    first = unicodedata.normalize("NFKD", name)[:1].upper()
    return first if first in string.ascii_uppercase else "0–9"


def test_the_a_to_z_lists_every_article_once_under_its_first_letter(many):
    soup = many.soup(A_TO_Z_PAGE)
    # Every published article, from the archive (hidden ones are not in it).
    articles = {
        a["href"]: a.get_text()
        for a in many.soup("archives/index.html").select(".app-article-list__title a")
    }
    assert len(articles) == ARTICLES + 1
    found: dict[str, list[str]] = {}
    see: dict[str, tuple[str, str]] = {}
    for section in soup.select("main section"):
        letter = section.h2.get_text()
        for item in section.find_all("li"):
            link = item.a
            if item.get_text().startswith(link.get_text()):
                found.setdefault(link["href"], []).append(letter)
                assert link.get_text() == articles[link["href"]]
            else:
                name = item.get_text().split(", see ")[0]
                see[name] = (letter, link["href"])
    assert {url: letters for url, letters in found.items()} == {
        url: [expected_letter(title)] for url, title in articles.items()
    }
    assert f"{SITEURL}/opening-hours/" not in found  # hidden
    urls = {title: url for url, title in articles.items()}
    assert see == {
        "Visual aura": ("V", urls["Aura and what it looks like"]),
        "migraine with aura": ("M", urls["Aura and what it looks like"]),
        "Eye rest": ("E", urls["5 ways to rest your eyes"]),
        "Brand X": ("B", urls["Triptan tablets"]),
        "Zolmi": ("Z", urls["Triptan tablets"]),
    }
    assert "Brand X, see Triptan tablets" in soup.get_text()
    # Numbers by value, as a reader counts: 4 before 10.
    listed_s = [
        a.get_text() for a in soup.find(id="letter-s").find_parent("section").select("li a")
    ]
    four = next(i for i, t in enumerate(listed_s) if t.startswith("Synthetic article 4:"))
    ten = next(i for i, t in enumerate(listed_s) if t.startswith("Synthetic article 10:"))
    assert four < ten, listed_s


def test_a_to_z_letters_link_only_where_there_are_articles(many):
    soup = many.soup(A_TO_Z_PAGE)
    nav = soup.find("nav", attrs={"aria-label": "A to Z letters"})
    items = nav.find_all("li")
    assert [li.get_text(strip=True) for li in items] == [*string.ascii_uppercase, "0–9"]
    headings = {section.h2.get_text(): section.h2["id"] for section in soup.select("main section")}
    for item in items:
        letter = item.get_text(strip=True)
        if letter in headings:
            assert item.a["href"] == f"#{headings[letter]}", letter
        else:
            assert item.a is None, f"{letter} has no articles but is a link"
    assert "S" in headings and "0–9" in headings and "Q" not in headings
    for section in soup.select("main section"):
        back = section.find(class_="app-back-to-top").a
        assert back.get_text() == "Back to top" and back["href"] == f"#{nav['id']}"


def test_the_a_to_z_is_linked_from_the_header_and_listed_in_the_sitemap(many):
    header = many.soup("synthetic-article-0012/index.html").find("header", class_="app-header")
    assert header.find("a", string="A to Z")["href"] == f"{SITEURL}/a-z/"
    assert f"<loc>{SITEURL}/a-z/</loc>" in (many.root / "sitemap.xml").read_text()
    soup = many.soup(A_TO_Z_PAGE)
    assert soup.title.get_text() == "A to Z | Mind Balance"
    assert soup.find("link", rel="canonical")["href"] == f"{SITEURL}/a-z/"
    data = json.loads(soup.find("script", type="application/ld+json").string)
    crumbs = next(node for node in data["@graph"] if node["@type"] == "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Home", "A to Z"]


def test_another_languages_a_to_z_has_its_letters_and_sorts_as_it_does():
    # Spanish (LANGUAGES["es"]["alphabet"]): Ñ is a letter of its own, after N;
    # "ña" sorts after every "n…" word and before "o"; other accents are ignored.
    spanish = load_settings()["LANGUAGES"]["es"]["alphabet"]
    names = ["Oído", "Ñandú", "Nuez", "náusea", "ñu", "Árnica", "Azúcar"]
    articles = [SimpleNamespace(title_text=name, also_called="") for name in names]
    letters = {letter.label: letter for letter in a_to_z(articles, spanish)}
    assert list(letters) == [*"ABCDEFGHIJKLMN", "Ñ", *"OPQRSTUVWXYZ", "0–9"]
    found = {label: [e.name for e in letter.entries] for label, letter in letters.items()}
    assert found["A"] == ["Árnica", "Azúcar"]
    assert found["N"] == ["náusea", "Nuez"]
    assert found["Ñ"] == ["Ñandú", "ñu"]
    assert found["O"] == ["Oído"]
    # In English the same names keep the English alphabet: Ñ is an N.
    english = {letter.label: [e.name for e in letter.entries] for letter in a_to_z(articles)}
    assert "Ñ" not in english and english["N"] == ["Ñandú", "náusea", "ñu", "Nuez"]
