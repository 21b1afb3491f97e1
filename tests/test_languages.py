"""plugins/languages.py, on a copy with a Spanish fixture translation of the seed article.

The fixture (tests/data/translations/es/) is placeholder text written for these
tests, never in content/. Its production build is read as readers, search
engines and feed readers would: the page's language, its interface words and
dates, the links between the versions, the sitemap, the feed and the share card.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from conftest import FIXTURE_ARTICLE_PAGE, SPANISH_ARTICLE_PAGE, json_ld, meta

SPANISH_PAGE = SPANISH_ARTICLE_PAGE
ENGLISH_PAGE = FIXTURE_ARTICLE_PAGE


def test_each_version_says_its_language_and_links_the_other_in_its_words(spanish_site):
    english, translated = spanish_site.soup(ENGLISH_PAGE), spanish_site.soup(SPANISH_PAGE)
    assert english.html["lang"] == "en" and translated.html["lang"] == "es"
    to_spanish = english.select_one(".app-language-links a")
    assert to_spanish.get_text() == "Leer en español"
    assert (to_spanish["lang"], to_spanish["hreflang"]) == ("es", "es")
    assert to_spanish["href"] == spanish_site.url(SPANISH_PAGE).removesuffix("index.html")
    to_english = translated.select_one(".app-language-links a")
    assert to_english.get_text() == "Read in English"
    assert (to_english["lang"], to_english["hreflang"]) == ("en", "en")


def test_hreflang_alternates_and_x_default_on_both_versions(spanish_site):
    english_url = spanish_site.url(ENGLISH_PAGE).removesuffix("index.html")
    spanish_url = spanish_site.url(SPANISH_PAGE).removesuffix("index.html")
    expected = {("en", english_url), ("es", spanish_url), ("x-default", english_url)}
    for page in (ENGLISH_PAGE, SPANISH_PAGE):
        links = spanish_site.soup(page).select('link[rel="alternate"][hreflang]')
        assert {(link["hreflang"], link["href"]) for link in links} == expected, page


def test_open_graph_locale_json_ld_language_and_share_card(spanish_site):
    english, translated = spanish_site.soup(ENGLISH_PAGE), spanish_site.soup(SPANISH_PAGE)
    assert meta(translated, "og:locale") == "es_US"
    assert meta(translated, "og:locale:alternate") == "en_US"
    assert meta(english, "og:locale") == "en_US"
    assert meta(english, "og:locale:alternate") == "es_US"
    graph = json_ld(translated)
    assert graph["MedicalWebPage"]["inLanguage"] == "es" == graph["Article"]["inLanguage"]
    # The card is drawn from the Spanish title, so it is the page's own.
    assert meta(translated, "og:image") != meta(english, "og:image")
    assert meta(translated, "og:image:alt") == "Artículo de prueba en español, Mind Balance"
    assert spanish_site.file_for(meta(translated, "og:image")).is_file()


def test_interface_words_and_dates_are_spanish(spanish_site):
    soup = spanish_site.soup(SPANISH_PAGE)
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
    assert (topic.get_text(), topic["href"]) == (
        "Migraña",
        f"{spanish_site.siteurl}/category/migraine/",
    )


def test_a_translation_reviewed_before_its_original_changed_says_so(spanish_site):
    soup = spanish_site.soup(SPANISH_PAGE)
    notice = soup.find(string=lambda s: s and "no esté al día con la versión en inglés" in s)
    assert notice is not None
    link = notice.find_parent(class_="app-inset-text").find("a", lang="en")
    assert link["href"] == spanish_site.url(ENGLISH_PAGE).removesuffix("index.html")
    assert "no esté al día" not in spanish_site.soup(ENGLISH_PAGE).get_text()


def test_sitemap_names_both_versions_of_each(spanish_site):
    tree = ET.parse(spanish_site.root / "sitemap.xml")
    space = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    urls = {url.findtext("s:loc", namespaces=space): url for url in tree.findall("s:url", space)}
    spanish_url = spanish_site.url(SPANISH_PAGE).removesuffix("index.html")
    english_url = spanish_site.url(ENGLISH_PAGE).removesuffix("index.html")
    for location in (spanish_url, english_url):
        links = urls[location].findall("x:link", space)
        assert {(link.get("hreflang"), link.get("href")) for link in links} == {
            ("en", english_url),
            ("es", spanish_url),
            ("x-default", english_url),
        }


def test_a_feed_per_language(spanish_site):
    feed = ET.parse(spanish_site.root / "feeds" / "es.atom.xml")
    atom = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.findtext("a:title", namespaces=atom) for entry in feed.findall("a:entry", atom)]
    assert titles == ["Artículo de prueba en español"]
    # The site's feed is Pelican's FEED_ALL_ATOM: every language, each entry its own link.
    every = (spanish_site.root / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "Artículo de prueba" in every and "Ketamine for Migraine" in every
    assert not (spanish_site.root / "feeds" / "en.atom.xml").exists()


def test_each_language_feed_says_its_language(spanish_site):
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert ET.parse(spanish_site.root / "feeds" / "es.atom.xml").getroot().get(xml_lang) == "es"
    # The site's feed holds every language, so it names none.
    assert ET.parse(spanish_site.root / "feeds" / "all.atom.xml").getroot().get(xml_lang) is None


def test_the_components_own_words_are_spanish_in_a_spanish_article(spanish_site):
    prose = spanish_site.soup(SPANISH_PAGE).main
    hidden = [span.get_text() for span in prose.select(".app-visually-hidden")]
    assert "Consejo urgente: " in hidden and "Se necesita actuar de inmediato: " in hidden
    headings = [" ".join(h.get_text(" ").split()) for h in prose.select("h3, h4")]
    assert "Consejo urgente: Pida una cita de prueba si:" in headings
    assert (
        "Se necesita actuar de inmediato: Llame al 911 o vaya ahora a la sala de "
        "emergencias más cercana si:"
    ) in headings
    for words in ("Qué hacer", "Qué no hacer", "Importante"):
        assert words in headings, words
    text = " ".join(prose.get_text(" ").split())
    assert not {"Do", "Don't", "Don’t", "Important"} & set(text.split())
    for english in ("advice", "Immediate action", "Call 911", "More information"):
        assert english not in text, english


def test_a_passage_in_the_other_language_keeps_its_lang(spanish_site):
    passage = spanish_site.soup(SPANISH_PAGE).select_one('main .app-prose span[lang="en"]')
    assert passage.get_text() == "headache"


def test_a_spanish_a_to_z_with_n_tilde_linked_from_spanish_pages(spanish_site):
    page = "es/a-z/index.html"
    soup = spanish_site.soup(page)
    assert soup.html["lang"] == "es"
    assert soup.h1.get_text() == "De la A a la Z"
    assert soup.find("link", rel="canonical")["href"] == spanish_site.url(page)
    assert meta(soup, "og:locale") == "es_US"
    assert json_ld(soup)["CollectionPage"]["inLanguage"] == "es"
    letters = [li.get_text(strip=True) for li in soup.select(".app-a-to-z__letters li")]
    assert letters == [*"ABCDEFGHIJKLMN", "Ñ", *"OPQRSTUVWXYZ", "0–9"]
    sections = {s.h2.get_text(): s for s in soup.select("main section")}
    assert sorted(sections) == ["A", "Ñ"]
    article = spanish_site.url(SPANISH_PAGE).removesuffix("index.html")
    assert sections["A"].a["href"] == article
    assert sections["Ñ"].li.get_text(" ", strip=True).startswith("Ñandú de prueba, vea")
    # The header and footer lead to the Spanish A to Z; to English pages, saying so.
    for source in (SPANISH_PAGE, page):
        links = spanish_site.soup(source).select(".app-header__link, .app-footer__link")
        by_href = {a["href"]: a.get("hreflang") for a in links}
        assert by_href[spanish_site.url(page).removesuffix("index.html")] is None
        assert by_href[f"{spanish_site.siteurl}/categories/"] == "en"
        # The lists are English: the breadcrumbs' links say so.
        crumbs = spanish_site.soup(source).select(".app-breadcrumbs a")
        assert crumbs and all(a["hreflang"] == "en" for a in crumbs)
    topic = spanish_site.soup(SPANISH_PAGE).select_one(".app-article__topics a")
    assert topic["hreflang"] == "en"
    english = spanish_site.soup(ENGLISH_PAGE).select(".app-header__link, .app-footer__link")
    english += spanish_site.soup(ENGLISH_PAGE).select(".app-breadcrumbs a, .app-article__topics a")
    assert all(a.get("hreflang") is None for a in english)
    assert f"{spanish_site.siteurl}/a-z/" in {a["href"] for a in english}
    assert (
        spanish_site.url(page).removesuffix("index.html").encode()
        in (spanish_site.root / "sitemap.xml").read_bytes()
    )


def test_lists_stay_english_and_do_not_list_the_translation(spanish_site):
    for page in ("index.html", "archives/index.html", "a-z/index.html"):
        soup = spanish_site.soup(page)
        assert soup.html["lang"] == "en"
        assert "Artículo de prueba" not in soup.get_text(), page


def test_without_a_translation_there_is_no_spanish_section(fixture_site):
    assert not (fixture_site.root / "es").exists()  # no Spanish page, nor A to Z
    assert not soup_has_hreflang(fixture_site)
    assert not (fixture_site.root / "feeds" / "es.atom.xml").exists()
    soup = fixture_site.soup(ENGLISH_PAGE)
    assert soup.select(".app-language-links, link[hreflang]") == []
    assert meta(soup, "og:locale:alternate") is None
    assert b"xhtml" not in (fixture_site.root / "sitemap.xml").read_bytes()


def soup_has_hreflang(site) -> bool:
    return any(site.soup(page).select("[hreflang]") for page in site.html_pages())
