"""plugins/languages.py, on a copy with a Spanish fixture translation of the seed article.

The fixture (tests/data/translations/es/) is placeholder text written for these
tests, never in content/. Its production build is read as readers, search
engines and feed readers would: the page's language, its interface words and
dates, the links between the versions, the sitemap, the feed and the share card.
"""

from __future__ import annotations

import shutil
from xml.etree import ElementTree as ET

import pytest
from conftest import (
    FIXTURE_ARTICLE_PAGE,
    ROOT,
    BuiltSite,
    copy_site,
    json_ld,
    meta,
    production_build,
)

FIXTURE = ROOT / "tests" / "data" / "translations"
SPANISH_PAGE = "es/ketamine-for-migraine/index.html"
ENGLISH_PAGE = FIXTURE_ARTICLE_PAGE


def with_spanish_fixture(folder) -> object:
    """A copy of the tests' site with the Spanish fixture in content/es/."""
    site = copy_site(folder)
    shutil.copytree(FIXTURE / "es", site / "content" / "es")
    return site


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return production_build(with_spanish_fixture(tmp_path_factory.mktemp("spanish") / "site"))


def test_each_version_says_its_language_and_links_the_other_in_its_words(spanish):
    english, translated = spanish.soup(ENGLISH_PAGE), spanish.soup(SPANISH_PAGE)
    assert english.html["lang"] == "en" and translated.html["lang"] == "es"
    to_spanish = english.select_one(".app-language-links a")
    assert to_spanish.get_text() == "Leer en español"
    assert (to_spanish["lang"], to_spanish["hreflang"]) == ("es", "es")
    assert to_spanish["href"] == spanish.url(SPANISH_PAGE).removesuffix("index.html")
    to_english = translated.select_one(".app-language-links a")
    assert to_english.get_text() == "Read in English"
    assert (to_english["lang"], to_english["hreflang"]) == ("en", "en")


def test_hreflang_alternates_and_x_default_on_both_versions(spanish):
    english_url = spanish.url(ENGLISH_PAGE).removesuffix("index.html")
    spanish_url = spanish.url(SPANISH_PAGE).removesuffix("index.html")
    expected = {("en", english_url), ("es", spanish_url), ("x-default", english_url)}
    for page in (ENGLISH_PAGE, SPANISH_PAGE):
        links = spanish.soup(page).select('link[rel="alternate"][hreflang]')
        assert {(link["hreflang"], link["href"]) for link in links} == expected, page


def test_open_graph_locale_json_ld_language_and_share_card(spanish):
    english, translated = spanish.soup(ENGLISH_PAGE), spanish.soup(SPANISH_PAGE)
    assert meta(translated, "og:locale") == "es_US"
    assert meta(translated, "og:locale:alternate") == "en_US"
    assert meta(english, "og:locale") == "en_US"
    assert meta(english, "og:locale:alternate") == "es_US"
    graph = json_ld(translated)
    assert graph["MedicalWebPage"]["inLanguage"] == "es" == graph["Article"]["inLanguage"]
    # The card is drawn from the Spanish title, so it is the page's own.
    assert meta(translated, "og:image") != meta(english, "og:image")
    assert meta(translated, "og:image:alt") == "Artículo de prueba en español, Mind Balance"
    assert spanish.file_for(meta(translated, "og:image")).is_file()


def test_interface_words_and_dates_are_spanish(spanish):
    soup = spanish.soup(SPANISH_PAGE)
    text = " ".join(soup.get_text(" ").split())
    for words in (
        "Saltar al contenido principal",
        "En esta página",
        "Página revisada por última vez: 20 de noviembre de 2026",
        "Próxima revisión: 20 de noviembre de 2027",
        "Información general, no consejo médico",
        "En una emergencia, llame al 911",
        "Publicado el 20 de noviembre de 2026",
        "Volver arriba",
        "Inicio",
    ):
        assert words in text, words
    for english in ("On this page", "Page last reviewed", "Skip to main content", "November"):
        assert english not in text, english
    # Spanish typography: ¿ and ¡ as written, straight quotes curly as in English.
    assert "¿Se lee bien esta frase? ¡Sí, se lee bien!" in text
    assert "“hola”" in text
    # The topic is its original's page, named in Spanish.
    topic = soup.select_one(".app-article__topics a")
    assert (topic.get_text(), topic["href"]) == ("Migraña", f"{spanish.siteurl}/category/migraine/")


def test_a_translation_reviewed_before_its_original_changed_says_so(spanish):
    soup = spanish.soup(SPANISH_PAGE)
    notice = soup.find(string=lambda s: s and "no esté al día con la versión en inglés" in s)
    assert notice is not None
    link = notice.find_parent(class_="app-inset-text").find("a", lang="en")
    assert link["href"] == spanish.url(ENGLISH_PAGE).removesuffix("index.html")
    assert "no esté al día" not in spanish.soup(ENGLISH_PAGE).get_text()


def test_sitemap_names_both_versions_of_each(spanish):
    tree = ET.parse(spanish.root / "sitemap.xml")
    space = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    urls = {url.findtext("s:loc", namespaces=space): url for url in tree.findall("s:url", space)}
    spanish_url = spanish.url(SPANISH_PAGE).removesuffix("index.html")
    english_url = spanish.url(ENGLISH_PAGE).removesuffix("index.html")
    for location in (spanish_url, english_url):
        links = urls[location].findall("x:link", space)
        assert {(link.get("hreflang"), link.get("href")) for link in links} == {
            ("en", english_url),
            ("es", spanish_url),
            ("x-default", english_url),
        }


def test_a_feed_per_language(spanish):
    feed = ET.parse(spanish.root / "feeds" / "es.atom.xml")
    atom = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.findtext("a:title", namespaces=atom) for entry in feed.findall("a:entry", atom)]
    assert titles == ["Artículo de prueba en español"]
    # The site's feed is Pelican's FEED_ALL_ATOM: every language, each entry its own link.
    every = (spanish.root / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "Artículo de prueba" in every and "Ketamine for Migraine" in every
    assert not (spanish.root / "feeds" / "en.atom.xml").exists()


def test_lists_stay_english_and_do_not_list_the_translation(spanish):
    for page in ("index.html", "archives/index.html", "a-z/index.html"):
        soup = spanish.soup(page)
        assert soup.html["lang"] == "en"
        assert "Artículo de prueba" not in soup.get_text(), page


def test_without_a_translation_there_is_no_spanish_section(fixture_site):
    assert not (fixture_site.root / "es").exists()
    assert not (fixture_site.root / "feeds" / "es.atom.xml").exists()
    soup = fixture_site.soup(ENGLISH_PAGE)
    assert soup.select(".app-language-links, link[hreflang]") == []
    assert meta(soup, "og:locale:alternate") is None
    assert b"xhtml" not in (fixture_site.root / "sitemap.xml").read_bytes()
