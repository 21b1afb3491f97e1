"""Translations: the rules for a page written in another language, and the interface catalogue.

A translation is a Markdown file with `Lang:` (a code of `LANGUAGES` in
pelicanconf.py) and its original's `Slug`; Pelican pairs the two
(`ARTICLE_TRANSLATION_ID`) and publishes the translation under /<lang>/
(plugins/languages.py). Its rules, each `file:line: what to do`:

- `Lang` names a language the site has (`LANGUAGES`);
- a translation has an original: a file in the default language with its Slug;
- one translation per language of each original;
- a translation's `Category` is its language's name for its original's topic
  (`LANGUAGES[lang]["categories"]`), so it is shown and reviewed as its original;
- a translation of a health article has its own `Reviewed` and `Next_review`.

An `Also_called` name is an A to Z entry of its language only: rules/site.py
compares names within one language.

The interface words: every word a template marks (`_()`, `{% trans %}`,
`in_language()`), the health components' own words (rules/components.py,
which the reader shows in the file's language: `catalogue_words`) and every
label the settings give the templates and the components must have a
translation in each other language's catalogue,
`theme/<TRANSLATIONS_PATH>/<lang>/LC_MESSAGES/messages.po`, or the build stops
naming the template (or setting) and its line: the catalogue never falls
behind the templates in silence.
"""

from __future__ import annotations

import difflib
import hashlib
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from rules.components import COMPONENT_WORDS
from rules.sources import Cached, Problem, Source, compute, is_draft

# The functions templates mark words with: gettext's, and `in_language(lang,
# "words")` for words shown in another language than the page's.
KEYWORDS = ("_", "gettext", "ngettext", "in_language")
# How the theme's templates are written (pelicanconf's JINJA_ENVIRONMENT), for Babel.
TEMPLATE_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}
# The step under which the words of a template are kept (engine/cache.py's SHAPED_BY).
TEMPLATE_WORDS_STEP = "template-words"
# Settings whose words the templates show through the catalogue: labels of
# (label, path) pairs, or one text.
SETTINGS_MESSAGES = (
    "HEADER_LINKS",
    "MENU_LINKS",
    "DISCLAIMER_CALLOUT",
    "EMERGENCY_CALLOUT",
    "EMERGENCY_CARE_CARD_HEADING",
)


def language_of(source: Source, settings: dict) -> str:
    """The language a file is written in: its `Lang`, else the site's default."""
    if "lang" in source.meta:
        return source.meta["lang"][1].strip()
    return settings["DEFAULT_LANG"]


def is_translation(source: Source, settings: dict) -> bool:
    return language_of(source, settings) != settings["DEFAULT_LANG"]


def originals(sources: Iterable[Source], settings: dict) -> dict[tuple[str, str], Source]:
    """The files in the default language, by (kind, slug): what a translation names."""
    found: dict[tuple[str, str], Source] = {}
    for source in sources:
        if "slug" in source.meta and not is_translation(source, settings):
            found.setdefault((source.kind, source.meta["slug"][1].strip()), source)
    return found


def translation_pairs(sources: Iterable[Source], settings: dict) -> Iterator[tuple[Source, Source]]:
    """(translation, original) for every published translation that has an original."""
    sources = [source for source in sources if not is_draft(source)]
    found = originals(sources, settings)
    for source in sources:
        if is_translation(source, settings) and "slug" in source.meta:
            original = found.get((source.kind, source.meta["slug"][1].strip()))
            if original is not None:
                yield source, original


def check_translations(sources: Iterable[Source], settings: dict) -> list[Problem]:
    """Every problem with a file's language or its place as a translation."""
    sources = [source for source in sources if not is_draft(source)]
    languages = settings["LANGUAGES"]
    default = settings["DEFAULT_LANG"]
    found = originals(sources, settings)
    health = {name.casefold() for name in settings.get("HEALTH_CATEGORIES", [])}
    seen: dict[tuple[str, str, str], Source] = {}
    problems = []
    for source in sorted(sources, key=lambda s: s.rel):
        if "lang" not in source.meta:
            continue
        line, code = source.meta["lang"]
        code = code.strip()
        if code not in languages:
            close = difflib.get_close_matches(code.lower(), languages, n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            problems.append(
                Problem(
                    source.rel,
                    line,
                    f"Lang {code!r} is not a language of this site; use one of "
                    f"{', '.join(languages)} (LANGUAGES in pelicanconf.py).{hint}",
                )
            )
            continue
        if code == default or "slug" not in source.meta:
            continue
        slug = source.meta["slug"][1].strip()
        original = found.get((source.kind, slug))
        if original is None:
            problems.append(
                Problem(
                    source.rel,
                    source.meta["slug"][0],
                    f"this {languages[code]['name']} translation has no original: no "
                    f"{languages[default]['name']} {source.kind} has Slug: {slug}. Give it "
                    "the Slug of the file it translates.",
                )
            )
            continue
        key = (source.kind, slug, code)
        if key in seen:
            problems.append(
                Problem(
                    source.rel,
                    line,
                    f"{seen[key].rel} is already the {languages[code]['name']} translation "
                    f"of {original.rel}; keep one of the two.",
                )
            )
            continue
        seen[key] = source
        problems.extend(_check_topic(source, original, languages[code], health))
    return problems


def _check_topic(
    source: Source, original: Source, language: dict, health: set[str]
) -> list[Problem]:
    """A translated article's Category and review dates, against its original's."""
    if source.kind != "article" or "category" not in original.meta:
        return []
    problems = []
    topic = original.meta["category"][1].strip()
    names = language.get("categories", {})
    meant = names.get(topic)
    line, given = source.meta.get("category", (source.meta["lang"][0], ""))
    if meant is None:
        problems.append(
            Problem(
                source.rel,
                line,
                f"the topic {topic!r} of {original.rel} has no {language['name']} name; add "
                f'it to LANGUAGES in pelicanconf.py ("categories": {{{topic!r}: ...}}).',
            )
        )
    elif given.strip() != meant:
        problems.append(
            Problem(
                source.rel,
                line,
                f"a translation's Category is its original's topic in {language['name']}: "
                f"write `Category: {meant}` ({original.rel} is in {topic}).",
            )
        )
    if topic.casefold() in health:
        for key in ("Reviewed", "Next_review"):
            if key.lower() not in source.meta:
                problems.append(
                    Problem(
                        source.rel,
                        0,
                        f"a translation of a health article has review dates of its own; "
                        f"add `{key}: YYYY-MM-DD` for the clinical review of this translation.",
                    )
                )
    return problems


# --- The interface catalogue ------------------------------------------------


def catalogue_path(settings: dict, lang: str) -> Path:
    """Where the interface words of `lang` are kept (gettext's layout, under THEME)."""
    return (
        Path(settings["THEME"])
        / settings["TRANSLATIONS_PATH"]
        / lang
        / "LC_MESSAGES"
        / "messages.po"
    )


def read_catalogue(path: Path, lang: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


# (catalogue path, its time and size, language) -> the catalogue, for this process.
_READ: dict[tuple[str, int, int, str], Catalog] = {}


def catalogue_words(settings: dict, lang: str, msgids: Iterable[str]) -> dict[str, str]:
    """Each of `msgids` that `lang`'s catalogue translates, with its translation: the
    words Python code shows (the health components' own, read with the Markdown)."""
    path = catalogue_path(settings, lang)
    if not path.is_file():
        return {}
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, lang)
    if key not in _READ:
        _READ.clear()
        _READ[key] = read_catalogue(path, lang)
    catalogue = _READ[key]
    found = {}
    for msgid in msgids:
        message = catalogue.get(msgid)
        if message is not None and message.string and not message.fuzzy:
            found[msgid] = message.string
    return found


def template_words(data: bytes) -> list[tuple[int, str]]:
    """(line, words) for every word a template shows, as Babel extracts them."""
    found = []
    for line, _function, message, _comments in babel_extract(
        io.BytesIO(data), KEYWORDS, [], TEMPLATE_OPTIONS
    ):
        words = message if isinstance(message, tuple) else (message,)
        msgid = next((word for word in words if word), None)
        if msgid:
            found.append((line, msgid))
    return found


def interface_messages(settings: dict, cached: Cached = compute) -> Iterator[tuple[str, int, str]]:
    """(file as named from the repository, line, words) for every word the theme shows.

    Parsing the templates for their words costs a fifth of a second, on every
    build and every save in the preview: what a template gives is kept under
    its bytes (`cached`, TEMPLATE_WORDS_STEP; rules/folder.py passes the site's cache)."""
    theme = Path(settings["THEME"])
    root = theme.parent
    templates = theme / "templates"
    for path in sorted(templates.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        key = hashlib.sha256(data).hexdigest()
        for line, msgid in cached(TEMPLATE_WORDS_STEP, key, lambda data=data: template_words(data)):
            yield rel, line, msgid
    components = Path(__file__).with_name("components.py")
    code = components.read_text(encoding="utf-8").splitlines()
    for words in COMPONENT_WORDS:
        line = next((n for n, text in enumerate(code, 1) if f'"{words}"' in text), 0)
        yield "rules/components.py", line, words
    settings_file = root / "pelicanconf.py"
    lines = (
        settings_file.read_text(encoding="utf-8").splitlines() if settings_file.is_file() else []
    )
    for key in SETTINGS_MESSAGES:
        value = settings.get(key)
        texts = [label for label, _ in value] if isinstance(value, list | tuple) else [value]
        for text in texts:
            if text:
                yield "pelicanconf.py", _line_of(lines, key, text), text


def _line_of(lines: list[str], key: str, text: str) -> int:
    """The line of pelicanconf.py that gives `text` (its first words), else `key`'s."""
    start = next((n for n, line in enumerate(lines) if line.startswith(f"{key} =")), 0)
    probe = f'"{text[:30]}'
    for number in range(start, len(lines)):
        if probe in lines[number]:
            return number + 1
    return start + 1 if lines else 0


def check_catalogues(settings: dict, cached: Cached = compute) -> list[Problem]:
    """A word the theme shows with no translation in a language's catalogue: its file and
    line (`cached`: as `interface_messages`)."""
    default = settings["DEFAULT_LANG"]
    problems = []
    messages = list(interface_messages(settings, cached))
    root = Path(settings["THEME"]).parent
    for lang, language in settings["LANGUAGES"].items():
        if lang == default:
            continue
        path = catalogue_path(settings, lang)
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        if not path.is_file():
            problems.append(
                Problem(
                    rel,
                    0,
                    f"the {language['name']} catalogue is missing; every word "
                    "the theme shows needs a translation here (docs/editing.md, Adding a translation).",
                )
            )
            continue
        catalogue = read_catalogue(path, lang)
        for where, line, msgid in messages:
            message = catalogue.get(msgid)
            strings = message.string if message is not None else ""
            strings = strings if isinstance(strings, tuple) else (strings,)
            if message is None or message.fuzzy or not all(strings):
                problems.append(
                    Problem(
                        where,
                        line,
                        f"{msgid!r} has no {language['name']} translation in {rel}; add its "
                        "msgid and msgstr there (docs/editing.md, Adding a translation).",
                    )
                )
    return problems
