"""Development settings for the Mind Balance site.

Constants only, in groups. `invoke build` and `make serve` use this file;
`invoke build --production` uses publishconf.py, which imports it and changes
only what differs in production.
"""

# --- Site -------------------------------------------------------------------

SITENAME = "Mind Balance"
SITE_DESCRIPTION = (
    "Plain, calm health information for people who live with migraine, from Mind Balance."
)
AUTHOR = "Mind Balance"
DEFAULT_LANG = "en"
# The Open Graph locale; keep it in step with DEFAULT_LANG.
OG_LOCALE = "en_US"
# The languages a page may be written in (its `Lang:`), the default first.
# A translation is a file with `Lang:` and its original's `Slug`, published
# under /<lang>/ (plugins/languages.py, rules/translations.py; docs/editing.md,
# "Adding a translation"). For each language: its name in its own words, its
# Open Graph locale, the Babel locale and date pattern its dates are written in
# (the default language keeps DEFAULT_DATE_FORMAT), and its names for the
# site's topics (a translation's Category is its original's topic, so named).
LANGUAGES = {
    "en": {"name": "English", "og_locale": OG_LOCALE},
    "es": {
        "name": "español",
        "og_locale": "es_US",
        "babel_locale": "es_US",
        "date_format": "d 'de' MMMM 'de' y",
        # Its A to Z's letters (plugins/a_to_z.py), in its order: Ñ after N.
        "alphabet": "ABCDEFGHIJKLMNÑOPQRSTUVWXYZ",
        "categories": {"Migraine": "Migraña"},
    },
}
# The interface words of each language but the default, one gettext catalogue
# each (`<lang>/LC_MESSAGES/messages.po`), under THEME; read when the build starts.
TRANSLATIONS_PATH = "translations"
# Empty while developing: every link is root-relative ("/privacy/"), which works
# on the preview server and on the 404 page at any depth.
SITEURL = ""

# Facts about the clinic that the clinic must supply. Each stays empty until
# then; the templates leave out whatever is empty, so nothing is invented.
CLINIC_PHONE = ""
CLINIC_ADDRESS = ""
CLINIC_CONTACT_URL = ""

# --- Health content ---------------------------------------------------------

# Articles in these categories are health information: they must carry review
# dates and they show the disclaimer callout.
HEALTH_CATEGORIES = ["Migraine"]
# The disclaimer callout on every health article. Change both for a clinic in
# another country; {number} is replaced by EMERGENCY_NUMBER. The number also
# appears in content/pages/disclaimer.md: change it there too.
EMERGENCY_NUMBER = "911"
DISCLAIMER_CALLOUT = (
    "This article is general information. It is not a substitute for advice "
    "from your doctor or another clinician about your own health."
)
EMERGENCY_CALLOUT = "In an emergency, call {number} or go to the nearest emergency department."
# How many days before Next_review `invoke review-report` (and the CI
# summary) starts listing an article as "due soon".
REVIEW_WARNING_DAYS = 30
# From its Next_review date an article stays published with a "due for
# review" notice, and CI's review job fails so maintainers hear of it. A
# clinic that would rather stop publishing an overdue page sets this to True:
# then any overdue article fails the production build (and so every deploy).
REVIEW_OVERDUE_FAILS_BUILD = False
# The heading of an emergency care card (`/// emergency`) that has none of its
# own; editors may write {emergency_number} in any text for EMERGENCY_NUMBER.
EMERGENCY_CARE_CARD_HEADING = (
    "Call {emergency_number} or go to the nearest emergency department now if:"
)
# The hardest text an article should need, as a Flesch–Kincaid (US school)
# grade: 6 is a reading age of about 11, the top of the 9 to 11 that
# health-literacy guidance suggests. `invoke review-report` warns above it.
READABILITY_MAX_GRADE = 6
# An article gets a table of contents when it has at least this many sections.
TOC_MIN_SECTIONS = 3

# --- Content ----------------------------------------------------------------

PATH = "content"
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "images", "extra"]
PAGE_PATHS = ["pages"]
# Not "images": the originals (full size, with the camera's EXIF and GPS) are
# never published; plugins/images.py publishes resized copies of those in use.
STATIC_PATHS = ["extra"]
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
}
# Hidden files and folders (.notes.md, .git/) are never read, as the content
# rules assume; Pelican's own default only matches names containing a slash.
IGNORE_FILES = [".*"]
# Only Markdown is an article format here; Pelican reads nothing else.
READERS = {"html": None, "htm": None, "rst": None}
# Summary is plain text for the meta description, not Markdown.
FORMATTED_FIELDS: list[str] = []
# Pinned so dates render the same on every machine, whatever its own locale.
TIMEZONE = "America/New_York"
LOCALE = ("C.UTF-8", "C")
DEFAULT_DATE_FORMAT = "%B %-d, %Y"
# A file without a Date is an error (content rules), never "today".
DEFAULT_DATE = None

# --- URLs and output --------------------------------------------------------

OUTPUT_PATH = "output"
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
INDEX_SAVE_AS = "index.html"
# The home page is "/", so its first page of articles links there too.
INDEX_URL = ""
# Drafts are previewed at /drafts/<slug>/ while developing, with a "not
# published" banner; publishconf.py never writes them.
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_PAGE_SAVE_AS = ""
# Translations: Pelican pairs a file with `Lang:` to the one with the same Slug.
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"
ARTICLE_LANG_URL = "{lang}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
# A living reference of every health component, rendered from the examples in
# the editors' guide; development only, like drafts (publishconf.py empties it).
COMPONENT_REFERENCE_SAVE_AS = "drafts/components/index.html"
COMPONENT_REFERENCE_SOURCE = "docs/editing.md"
DRAFT_PAGE_URL = ""
# How readers browse many articles: the home page lists the newest, ten at a
# time; the archive lists every article by date; each category and tag has
# its own list. Left out on purpose: author pages (every article is by the
# clinic, so one would repeat the archive) and year/month/day archives (no one
# looks for health information by the month it was written).
# The A to Z (plugins/a_to_z.py) lists every article by the first letter of
# its title, for readers who would rather look a name up than search.
# The search page (theme/templates/search.html, its index made by
# commands/search_index.py) finds articles by what a reader types.
DIRECT_TEMPLATES = ["index", "archives", "categories", "tags", "a_to_z", "search"]
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "category": None, "tag": None, "archives": 50}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
# "A to Z", not "A-Z", in words: some screen readers say "A zed" for "A-Z".
A_TO_Z_URL = "a-z/"
A_TO_Z_SAVE_AS = "a-z/index.html"
# Each other language with translations has an A to Z of its own (none without).
A_TO_Z_LANG_URL = "{lang}/a-z/"
A_TO_Z_LANG_SAVE_AS = "{lang}/a-z/index.html"
# The one page with a script; never in the sitemap, never indexed (noindex).
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
# Feeds are a production concern (publishconf.py).
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
# A feed of each language's translations (plugins/languages.py; {lang} is its
# code): production only, and written only for a language that has one.
# Pelican's own TRANSLATION_FEED_ATOM would also write a second English feed.
LANGUAGE_FEED_ATOM = None
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False  # the build swaps in a fresh folder instead
# Pelican's own cache keys on a file's path and time only; the site's
# (engine/cache.py) keys on the bytes, settings, libraries and code.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
# The site's content-addressed cache of per-file work, in CACHE_PATH/site/
# (git-ignored; `invoke clean` removes it). False: every build works it all out.
SITE_CACHE = True
# Render and write pages in one forked worker per core (plugins/parallel_writer.py);
# False renders them in this process. The output is the same bytes either way.
PARALLEL_WRITE = True
# True only in publishconf.py: absolute URLs, feeds, indexable pages.
PRODUCTION = False

# --- Theme ------------------------------------------------------------------

THEME = "theme"
# Theme assets are published under /theme/.
THEME_STATIC_DIR = "theme"
# Autoescape everything: a title or summary with " & < cannot break markup.
# auto_reload off: every build makes a new environment that reads each template
# once, so checking every template's time on every page only costs time.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "auto_reload": False,
    # {{ _("words") }} and {% trans %}: every interface word goes through the
    # catalogue of the page's language (plugins/languages.py).
    "extensions": ["jinja2.ext.i18n"],
}
# The few short links the header shows, in order: (label, URL path). They
# must fit on one line of a 360 px phone beside the site name and "Menu":
# three do, four do not, so Topics is in the menu (MENU_LINKS), a jump away,
# and Search, the way in for a reader who does not know a page's name, is here.
HEADER_LINKS = [
    ("A to Z", "a-z/"),
    ("Search", "search/"),
]
# Every page a reader can go to from anywhere, in order: the footer's menu,
# which the header's "Menu" link jumps to (no JavaScript needed).
MENU_LINKS = [
    ("A to Z", "a-z/"),
    ("All articles", "archives/"),
    ("Topics", "categories/"),
    ("Tags", "tags/"),
    ("Medical disclaimer", "disclaimer/"),
    ("Privacy", "privacy/"),
]
# The year shown in the footer copyright line.
COPYRIGHT_YEAR = 2026

# --- Pictures ---------------------------------------------------------------

# Widths each picture is published at (never wider than the original): the
# reading column (--app-reading-width, about 40rem) on a phone and a desktop,
# at 1x and 2x pixel density.
IMAGE_WIDTHS = [360, 720, 1080, 1440]
# How wide the picture is shown, so the browser picks the smallest copy that is sharp.
IMAGE_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
# Encoder settings: fixed, so the same picture gives the same bytes everywhere.
# AVIF speed 8 encodes about ten times faster than the default 6, at much the same size.
IMAGE_AVIF_QUALITY = 55
IMAGE_AVIF_SPEED = 8
IMAGE_JPEG_QUALITY = 72
# The share card drawn for every page (plugins/share_cards.py): 1200 x 630,
# the theme's light background and text colours, Atkinson Hyperlegible from
# theme/fonts/ (used to draw the card only; never sent to browsers).
SHARE_CARD_BACKGROUND = "#fbf9f4"
SHARE_CARD_TEXT = "#22252a"
SHARE_CARD_SECONDARY = "#4f5661"
SHARE_CARD_ACCENT = "#1d5a94"
SHARE_CARD_FONTS = {
    "title": "fonts/AtkinsonHyperlegible-Bold.ttf",  # under THEME
    "site": "fonts/AtkinsonHyperlegible-Regular.ttf",
}
# Encoded pictures and drawn cards are kept here between builds (`invoke clean` empties it).
CACHE_PATH = "cache"

# --- Markdown ---------------------------------------------------------------

MARKDOWN = {
    "extension_configs": {
        # extra brings footnotes (rendered as References by plugins.references).
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.sane_lists": {},
        # Stable, readable ids on headings for links and the table of contents.
        "markdown.extensions.toc": {"permalink": False, "toc_depth": "2-3"},
        # Care cards, warning callout, inset text, do and don't lists, details
        # (`/// urgent | heading` … `///`); the plugin's docstring says why
        # this syntax. Its settings are part of the reader's memo key.
        "plugins.health_components": {
            "emergency_number": EMERGENCY_NUMBER,
            "emergency_heading": EMERGENCY_CARE_CARD_HEADING,
        },
    },
    "output_format": "html5",
}
# Typography (curly quotes, dashes, no widows): typogrify 2.1.0's output,
# written by plugins/typography.py and applied to the Markdown body of every
# article and page by the site's reader (plugins/plain_metadata.py), so that
# its memo and the cache keep the result; Pelican's own pass stays off.
SITE_TYPOGRIFY = True
TYPOGRIFY = False
# Keep code samples and the structured-data script exactly as written.
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "script"]

# --- Plugins ----------------------------------------------------------------

# This site's plugins live in plugins/, one concern each.
PLUGIN_PATHS: list[str] = []
# Order matters where one plugin reads what another wrote: references turns
# footnotes into a section before reading_aids lists the sections.
PLUGINS = [
    # First: its finalized handler writes the pages before any other runs.
    "plugins.parallel_writer",
    # Templates compiled once and kept in cache/templates/ for later builds.
    "plugins.compiled_templates",
    # Checks the TYPOGRIFY_* settings its engine (used by plain_metadata) reads.
    "plugins.typography",
    "plugins.plain_metadata",
    # Topic and tag pages find their articles in constant time, not a list walk.
    "plugins.term_lists",
    # component() for the theme's warning callout and inset text; the development reference page.
    "plugins.health_components",
    # next_article_in_category / prev_article_in_category for each article.
    "pelican.plugins.neighbors",
    "plugins.review_dates",
    # An article dated after today waits for its day (plugins/scheduling.py).
    "plugins.scheduling",
    "plugins.references",
    "plugins.reading_aids",
    # Tables and code blocks scroll in their own labelled box on a phone.
    "plugins.wide_content",
    # article_parts() for the theme: the body split around the contents list
    # and the review block.
    "plugins.article_parts",
    # The A to Z page's letters and entries, with Also_called names.
    "plugins.a_to_z",
    # Pictures before share cards: a Share_image goes through the same pipeline.
    "plugins.images",
    "plugins.share_cards",
    "plugins.structured_data",
    # Interface words, dates, feeds and links of each page's language.
    "plugins.languages",
    "plugins.sitemap",
    "plugins.fingerprint",
    "plugins.security_headers",
]
# Theme files published under a content hash (`css/main.<hash>.css`) so hosts
# can cache them for a year; templates link them as ASSETS['css/main.css'].
FINGERPRINT_FILES = ["css/main.css", "js/search.js"]
