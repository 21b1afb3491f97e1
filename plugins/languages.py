"""Each page in its own language: interface words, dates, the other language's links, feeds.

Pelican pairs a translation with its original (the same Slug, a `Lang:` of
its own: `ARTICLE_TRANSLATION_ID`) and writes it under /<lang>/. This plugin:

- reads each language's catalogue (`rules.translations.catalogue_path`, a
  gettext `.po` file) with Babel, compiles it in memory (`write_mo`) and
  gives the templates gettext functions that answer in the language of the
  page being rendered: the `lang` of its article or page, else the list's
  `page_lang` (another language's A to Z), else DEFAULT_LANG.
  `in_language(lang, words)` answers in another one, for "Leer en español"
  on an English page;
- `local_date(value)`: a date as the page's language writes it (Babel), the
  default language keeping DEFAULT_DATE_FORMAT exactly;
- `local_url(path)`: where a header or footer link goes from a page in
  another language: its version in that language where one exists (a
  translated page, the language's A to Z), else the default one, which the
  link marks with `hreflang`;
- gives a translation `original` (its page in the default language) and
  `behind_original` (the original changed after the translation's review);
- writes a feed of each other language's articles (LANGUAGE_FEED_ATOM),
  which says its language (`xml:lang`).

With no translation in content/, nothing here changes a page: the words of
the default language are the templates' own.
"""

from __future__ import annotations

import io
from collections import defaultdict

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.utils import order_content

from rules.translations import catalogue_path, read_catalogue


def load_translations(settings: dict) -> dict[str, NullTranslations]:
    """Each language's gettext translations; the default language's words are the msgids."""
    found: dict[str, NullTranslations] = {}
    for lang in settings["LANGUAGES"]:
        path = catalogue_path(settings, lang)
        if lang == settings["DEFAULT_LANG"] or not path.is_file():
            found[lang] = NullTranslations()
            continue
        compiled = io.BytesIO()
        write_mo(compiled, read_catalogue(path, lang))
        compiled.seek(0)
        found[lang] = Translations(compiled)
    return found


def page_language(context: Context, default: str) -> str:
    """The language of the page being rendered: its article's or page's, else the
    list's `page_lang` (another language's A to Z), else `default`.

    A macro imported without context (`pagination`, whose links must stay as
    they are) sees neither, and speaks the default language."""
    for name in ("article", "page"):
        lang = getattr(context.get(name), "lang", None)
        if lang:
            return lang
    return context.get("page_lang") or default


def install(generator) -> None:
    """The gettext functions, `in_language` and `local_date`, for every template."""
    settings = generator.settings
    translations = load_translations(settings)
    default = settings["DEFAULT_LANG"]

    def of(lang: str) -> NullTranslations:
        return translations.get(lang) or translations[default]

    @pass_context
    def gettext(context: Context, message: str) -> str:
        return of(page_language(context, default)).gettext(message)

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, count: int) -> str:
        return of(page_language(context, default)).ngettext(singular, plural, count)

    def in_language(lang: str, message: str) -> str:
        return of(lang).gettext(message)

    @pass_context
    def local_date(context: Context, value, pattern: str | None = None) -> str:
        lang = page_language(context, default)
        language = settings["LANGUAGES"].get(lang, {})
        if lang == default or "date_format" not in language:
            return value.strftime(pattern or settings["DEFAULT_DATE_FORMAT"])
        return format_date(value, language["date_format"], locale=language["babel_locale"])

    @pass_context
    def local_url(context: Context, path: str) -> tuple[str, str | None]:
        """Where a link of the header or footer to `path` goes from this page: its
        version in the page's language where there is one, else `path`, with the
        language it is in (None on a page of the default language)."""
        lang = page_language(context, default)
        if lang == default:
            return path, None
        found = context.get("language_urls", {}).get(lang, {}).get(path)
        return (found, None) if found else (path, default)

    generator.env.install_gettext_callables(gettext, ngettext, newstyle=True)
    generator.env.globals.update(
        in_language=in_language, local_date=local_date, local_url=local_url
    )


def last_change(content):
    return getattr(content, "modified", None) or content.date


def link_originals(contents, context: dict) -> None:
    """A translation's `original`, whether it may be behind it, and its URL by its
    original's (`language_urls`, for `local_url`)."""
    for content in contents:
        if content.in_default_lang:
            continue
        original = next((other for other in content.translations if other.in_default_lang), None)
        content.original = original
        if original is not None:
            urls = context.setdefault("language_urls", {}).setdefault(content.lang, {})
            urls[original.url] = content.url
        reviewed = getattr(content, "reviewed", None)
        content.behind_original = bool(
            original is not None
            and reviewed is not None
            and getattr(original, "date", None) is not None
            and last_change(original).date() > reviewed.date()
        )


def link_articles(generator: ArticlesGenerator) -> None:
    link_originals([*generator.articles, *generator.translations], generator.context)


def link_pages(generator: PagesGenerator) -> None:
    link_originals([*generator.pages, *generator.translations], generator.context)


def write_feeds(generator: ArticlesGenerator, writer) -> None:
    """An Atom feed of each other language's articles, for a language that has one."""
    settings = generator.settings
    pattern = settings.get("LANGUAGE_FEED_ATOM")
    if not pattern:
        return
    by_language = defaultdict(list)
    for article in generator.translations:
        by_language[article.lang].append(article)
    for lang, articles in sorted(by_language.items()):
        path = pattern.format(lang=lang)
        items = order_content(articles, order_by=settings["ARTICLE_ORDER_BY"])
        name = settings["LANGUAGES"].get(lang, {}).get("name", lang)
        writer.write_feed(items, generator.context, path, path, feed_title=name)


def say_feed_language(context: dict, feed) -> None:
    """A language's feed says its language (Atom's `xml:lang`, RSS's `<language>`).
    The site's own feeds are left as they are: FEED_ALL_ATOM holds every language."""
    pattern = context.get("LANGUAGE_FEED_ATOM")
    if not pattern:
        return
    for lang in context["LANGUAGES"]:
        if feed.feed["feed_url"].endswith("/" + pattern.format(lang=lang)):
            feed.feed["language"] = lang


def register() -> None:
    signals.generator_init.connect(install)
    signals.article_generator_finalized.connect(link_articles)
    signals.page_generator_finalized.connect(link_pages)
    signals.article_writer_finalized.connect(write_feeds)
    signals.feed_generated.connect(say_feed_language)
