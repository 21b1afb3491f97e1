"""Every check of the built site says what stops an editor from triggering it,
and no check of the real content/ names what it holds today.

The output checks are the second line of defence. The first is the build:
each problem an editor can cause from content/ must stop `invoke build` with
`file:line: what to do` before Pelican writes anything, so the editor sees it
in `make serve`, not later in CI naming a built page. COVERAGE below maps each
output check (a test that reads a built site) to the rule that prevents it,
proven by a bad-input test, or to the reason content cannot cause it. A new
output check fails `test_every_output_check_is_covered` until someone decides.

The checks of the real content/ (the tests that take `site`, `served_site` or a
fixture made from them, marked `content`) must pass for any content the rules
accept, so `test_no_check_of_content_names_its_articles` fails for one that names
the tests' own article (FIXTURE_*) or a page, file or title content/ holds today,
or counts on a number of articles: such a check belongs on a fixture site.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REAL_SITE_FIXTURES, ROOT

from commands.build import load_settings
from rules.files import output_path
from rules.sources import iter_markdown_sources

TESTS = ROOT / "tests"
# Fixtures that hand a test a built site, served or not: their tests are output checks.
OUTPUT_FIXTURES = {"site", "served_site", "many", "many_served", "nginx", "lighthouse"}


@dataclass(frozen=True)
class Rule:
    """A build rule that refuses the problem: where its message is written, and the
    bad-input test (module and a text in it) that proves the build refuses it."""

    source: str  # file under the repository, e.g. "rules/site.py"
    message: str  # a fragment of the message that file writes
    proof: str  # "tests/test_x.py: text that names the case"


@dataclass(frozen=True)
class Reason:
    """Why content cannot cause the problem (it is the theme's or a plugin's)."""

    why: str


THEME = Reason("the theme and plugins write it the same on every page; Markdown cannot change it")
POLICY = Reason("the headers and policies come from plugins/security_headers.py, not content")
HOST = Reason("hosting configuration (deploy/, commands/host_files.py), not content")
SEED = Reason(
    "guards the seed article's verbatim text and typography; editing that file "
    "on purpose means updating tests/data with it"
)
REFLOW = Reason(
    "the theme holds any width an editor writes: tables scroll in their own region, "
    "long words wrap, code scrolls in its box, images shrink to the column"
)
SPEED = Reason(
    "compares the speed machinery (cache, forked writers, reused Markdown) with the plain "
    "build byte for byte; its `site` is a source folder, and content cannot make the two differ"
)
TABLES = Reason(
    "reads only the test's own article of tables in a copy; the theme and "
    "plugins/wide_content.py fit, wrap, shade and print any table an editor writes"
)
SEARCH = Reason(
    "commands/search_index.py indexes published articles and pages from Pelican's objects, "
    "never the built pages: no Markdown reaches the index but a page's own text"
)
LANGUAGES = Reason(
    "the theme, its catalogues and plugins/languages.py write each language's words, links, "
    "dates and feeds; content gives only `Lang` and `Slug`, whose mistakes rules/translations.py "
    "refuses (tests/test_translations.py)"
)
TRANSLATED = Reason(
    "a check of every page, run again on the tests' site with its Spanish fixture "
    "(tests/test_translated_site.py): what keeps content from breaking it is decided "
    "above for the same check on the real site"
)
RAW = Rule("rules/site.py", "escapes the outline checks", "tests/test_rules_site.py: a raw heading")
METADATA = "tests/test_metadata.py: "
FILES = "tests/test_rules_files.py: "
RAW_HTML = "tests/test_raw_html.py: "
BODY = "tests/test_rules_body.py: "
COMPONENTS = "tests/test_rules_components.py: "
IMAGES = "tests/test_images.py: "
PICTURES = "tests/test_rules_pictures.py: "

# A check that runs several checkers names what covers each: a tuple.
COVERAGE: dict[str, Rule | Reason | tuple[Rule | Reason, ...]] = {
    # test_pages.py
    "test_the_built_pages_are_exactly_the_expected_pages": Rule(
        "rules/files.py", "also writes", FILES + "two sources write the same page"
    ),
    "test_page_structure_language_title_headings_landmarks_and_skip_link": RAW,
    "test_every_page_title_is_unique": Rule(
        "rules/site.py",
        "is also the title of",
        "tests/test_rules_site.py: two articles with one title",
    ),
    "test_page_uses_the_site_stylesheet_and_favicon": THEME,
    "test_page_carries_no_javascript_or_web_fonts": Rule(
        "rules/raw_html.py", "is not allowed: pages carry", RAW_HTML + "raw <{tag}>"
    ),
    "test_dates_are_machine_readable": THEME,
    # test_links.py
    "test_every_internal_link_and_resource_resolves": Rule(
        "rules/site.py",
        "is a typed address the build cannot",
        "tests/test_rules_site.py: a typed address the site does not have",
    ),
    "test_every_fragment_link_has_a_target": Rule(
        "rules/site.py",
        "finds no such place on",
        "tests/test_rules_site.py: a link to a missing heading",
    ),
    "test_links_use_absolute_urls_in_production": Reason(
        "{filename} links become absolute in production; typed addresses are refused (rules/site.py)"
    ),
    # test_article.py
    "test_article_contains_every_source_sentence_verbatim": SEED,
    "test_article_keeps_the_source_heading": SEED,
    "test_article_title_summary_and_dates": SEED,
    "test_typogrify_marks_up_the_article": SEED,
    "test_curly_quotes_and_dashes_survive": SEED,
    "test_production_pages_are_indexable": THEME,
    # test_review_dates.py, test_article_page.py, test_reading_aids.py, test_pages.py
    "test_article_shows_when_it_was_reviewed_and_is_next_due": Rule(
        "rules/reviews.py",
        "health articles say when they were last",
        "tests/test_reviews.py: missing Reviewed",
    ),
    "test_health_article_carries_the_disclaimer_as_inset_text": THEME,
    "test_article_has_a_table_of_contents_of_its_sections": Rule(
        "rules/body.py", "heading level jumps", "tests/test_rules_site.py: a heading that skips"
    ),
    "test_article_shows_a_reading_time": THEME,
    "test_articles_and_pages_have_breadcrumbs_ending_at_themselves": THEME,
    "test_the_404_page_is_never_indexed": THEME,
    # test_open_graph.py, test_structured_data.py, test_feed.py, test_sitemap.py
    "test_public_page_has_canonical_open_graph_and_twitter_card": Rule(
        "rules/metadata.py", "Summary is", METADATA + "missing Summary"
    ),
    "test_article_open_graph_has_published_and_modified_times": Rule(
        "rules/metadata.py", "is not a valid date", METADATA + "invalid date"
    ),
    "test_article_json_ld_describes_a_reviewed_medical_web_page": Rule(
        "rules/reviews.py", "is not after Reviewed", "tests/test_reviews.py: Next_review"
    ),
    "test_each_health_article_is_a_reviewed_medical_web_page_at_its_own_address": Rule(
        "rules/reviews.py",
        "health articles say when they were last",
        "tests/test_reviews.py: missing Reviewed",
    ),
    "test_every_public_page_has_parseable_json_ld": Reason(
        "plugins/structured_data.py writes it with json.dumps; tests/test_structured_data.py "
        "feeds it quotes, ampersands and angle brackets"
    ),
    "test_the_feed_is_well_formed_with_absolute_links": THEME,
    "test_every_public_page_links_its_feed": THEME,
    "test_the_sitemap_lists_exactly_the_public_pages_with_lastmod": Rule(
        "rules/site.py",
        "is in the future; use the date of the last",
        "tests/test_rules_site.py: Modified in the future",
    ),
    "test_robots_txt_names_the_sitemap": THEME,
    # test_security_headers.py, test_fingerprint.py, test_host_files.py
    "test_the_headers_file_is_generated_with_three_rules_whatever_the_size_of_the_site": HOST,
    # test_search_index.py
    "test_every_other_page_links_to_search_without_a_script": Rule(
        "rules/raw_html.py", "is not allowed: pages carry", RAW_HTML + "raw <{tag}>"
    ),
    "test_only_published_articles_and_pages_are_indexed_without_the_sites_furniture": SEARCH,
    "test_the_article_page_itself_is_unchanged_by_the_index": SEARCH,
    "test_the_search_page_has_its_own_policy_in_headers_nginx_and_meta": POLICY,
    "test_the_search_page_is_noindex_and_not_in_the_sitemap": THEME,
    "test_the_search_page_is_valid_html": THEME,
    "test_real_queries_on_the_site_of_many_articles": (
        SEARCH,
        Rule(
            "rules/search_words.py",
            "finds no published article or page",
            "tests/test_search_words.py: a_listed_word_that_finds_no_page",
        ),
    ),
    "test_the_words_file_holds_the_list_and_every_name": Rule(
        "rules/search_words.py",
        "finds no published article or page",
        "tests/test_search_words.py: a_listed_word_that_finds_no_page",
    ),
    "test_every_page_carries_the_meta_policies_for_github_pages": POLICY,
    "test_pages_need_nothing_the_policy_forbids": Rule(
        "rules/site.py",
        "blocked by the site's security policy",
        "tests/test_rules_site.py: an inline style",
    ),
    "test_the_stylesheet_is_published_under_its_content_hash_only": THEME,
    "test_text_files_have_reproducible_gzip_copies": HOST,
    "test_github_pages_gets_a_nojekyll_file": HOST,
    # test_budgets.py
    "test_first_render_fits_in_14_kb_gzipped_without_javascript_or_fonts": Reason(
        "the budget covers the first screen (tests/quality.first_screen); an article's length "
        "only adds later round trips, and scripts and fonts are refused by the raw-HTML rules"
    ),
    "test_each_article_needs_only_its_html_and_one_stylesheet": Rule(
        "rules/body.py", "is on another site", BODY + "image on another site"
    ),
    "test_no_page_loads_anything_from_another_origin": Rule(
        "rules/body.py", "is on another site", BODY + "image on another site"
    ),
    "test_no_page_sets_a_cookie_in_its_markup": Rule(
        "rules/raw_html.py", "is not allowed: pages carry", RAW_HTML + "raw <{tag}>"
    ),
    "test_a_long_article_costs_no_more_first_render_than_a_short_one": SEED,
    # test_browser.py
    # one visit per page, width and scheme runs axe, reflow, motion, focus, privacy, spacing
    "test_every_page_passes_every_in_page_check": (
        Rule(
            "rules/site.py",
            "has no text, so a screen reader",
            "tests/test_rules_site.py: a link without text",
        ),
        REFLOW,
        Rule(
            "rules/site.py",
            "blocked by the site's security policy",
            "tests/test_rules_site.py: an inline style",
        ),
        Rule("rules/body.py", "is on another site", BODY + "image on another site"),
        THEME,
    ),
    "test_a_missing_address_gets_the_sites_own_404_page_without_a_cookie": THEME,
    # test_validators.py
    "test_every_page_and_the_stylesheet_pass_the_nu_html_checker": Rule(
        "rules/raw_html.py",
        "is opened here but never closed",
        RAW_HTML + "unclosed raw HTML",
    ),
    "test_the_article_shows_review_dates_disclaimer_and_contents": THEME,
    # test_reproducible.py
    "test_two_production_builds_are_byte_identical_across_time_zone_and_locale": Reason(
        "content is read as UTF-8 bytes and dates in the site's time zone, whatever the machine"
    ),
    # test_publish.py
    "test_gh_pages_pushes_exactly_the_checked_build": HOST,
    "test_deploy_dir_switches_current_keeps_five_releases_and_rolls_back": HOST,
    "test_a_publish_whose_tests_or_build_fail_leaves_every_target_untouched": HOST,
    # test_nginx.py
    "test_a_folder_without_its_slash_redirects_on_the_same_host": HOST,
    "test_plain_http_redirects_to_https": HOST,
    "test_a_production_build_is_served_compressed_like_the_real_hosts": HOST,
    "test_every_page_is_served_with_200": HOST,
    "test_an_unknown_path_gets_the_site_404_page_with_status_404": HOST,
    "test_folders_are_never_listed": HOST,
    "test_files_for_other_hosts_are_not_served": HOST,
    "test_every_security_header_is_sent": HOST,
    "test_nginx_sends_what_the_headers_file_promises": HOST,
    "test_gzip_is_negotiated_from_the_precompressed_files": HOST,
    "test_switching_releases_under_load_fails_no_request": HOST,
    # test_lighthouse.py
    "test_lighthouse_scores_100_in_accessibility_best_practices_and_seo": Reason(
        "Lighthouse's content audits (image alt, link names, heading order, document title, "
        "meta description, crawlable links) are each refused by a rule listed above"
    ),
    "test_performance_inputs_always_and_the_score_where_lighthouse_can_measure_it": (
        Rule("rules/raw_html.py", "is not allowed: pages carry", RAW_HTML + "raw <{tag}>"),
        Reason(
            "the stylesheet, the icon and the page's frame are the theme's, the same on every "
            "page: about 10 KB of the 100,000 bytes a page may cost without its pictures, and "
            "words reach the rest only past some 25,000 of them; pictures are the build's "
            "copies, no wider than the column, with width and height, the first loaded with "
            "the page and the rest lazily (plugins/images.py); so whatever an editor writes, "
            "the first render waits only for the stylesheet, the largest paint is text or the "
            "first picture, and nothing moves"
        ),
    ),
    "test_the_missing_address_is_audited_as_the_sites_404_page_with_status_404": HOST,
    "test_the_search_results_audit_recorded_the_whole_first_search": Reason(
        "the search page, its engine and its index are the theme's and the build's; any "
        "query, on any content, asks for the engine, its WebAssembly and an index chunk"
    ),
    "test_lighthouse_reached_nothing_but_the_site": Rule(
        "rules/body.py", "is on another site", BODY + "image on another site"
    ),
    # test_health_components.py: the health components, from a test article that uses each
    "test_every_component_renders_from_markdown_with_its_hidden_prefix": Rule(
        "rules/components.py", "is not a component this site has", COMPONENTS + "unknown component"
    ),
    "test_component_headings_fit_the_outline_and_stay_out_of_the_contents": Rule(
        "rules/components.py",
        "has no heading; write it after a bar",
        COMPONENTS + "care card without a heading",
    ),
    "test_lists_and_labels_inside_components_are_as_written": Rule(
        "rules/components.py", "must begin with", COMPONENTS + "don't item without do not"
    ),
    "test_the_emergency_number_comes_from_the_settings": THEME,
    "test_the_disclaimer_is_the_same_component_as_markdown_inset_text": THEME,
    "test_the_components_reference_is_built_for_development_only": THEME,
    "test_the_nu_checker_finds_nothing_in_the_components": Rule(
        "rules/components.py",
        "is opened here but never closed",
        COMPONENTS + "component never closed",
    ),
    "test_axe_finds_no_violations_in_the_components": Rule(
        "rules/components.py",
        "has no list; put the points",
        COMPONENTS + "care card without a list",
    ),
    "test_components_print_visible_and_in_high_contrast": THEME,
    "test_components_keep_their_outline_in_forced_colours": THEME,
    # test_images.py: a test article with a phone photo, a small PNG, an SVG and a Share_image
    # (what the rules refuse of a picture: test_rules_pictures.py)
    "test_the_photo_is_published_as_avif_and_jpeg_copies_no_wider_than_the_column_needs": Rule(
        "rules/pictures.py", "is not a picture the build can read", PICTURES + "not_a_picture"
    ),
    "test_every_picture_reserves_its_space_and_only_the_first_loads_at_once": Rule(
        "rules/pictures.py", "cannot reserve its space", PICTURES + "viewBox"
    ),
    "test_a_small_picture_is_never_upscaled_and_keeps_its_transparency_as_png": Reason(
        "plugins/images.py never upscales; a small picture only gets a note, by design"
    ),
    "test_no_published_picture_carries_metadata": Reason(
        "plugins/images.py rebuilds every picture from its pixels alone, whatever the file holds"
    ),
    "test_the_originals_are_never_published": Rule(
        "plugins/images.py", "would copy the originals", IMAGES + "a_plain_link_to_an_original"
    ),
    "test_the_svg_is_published_with_its_viewbox_size": Rule(
        "rules/pictures.py", "is not allowed in a picture", PICTURES + "svg_that_runs_code"
    ),
    "test_a_chosen_share_image_is_the_photo_cropped_to_a_card": Rule(
        "rules/pictures.py", "Share_image", PICTURES + "share_image_must_be_a_large_enough"
    ),
    "test_a_phone_downloads_at_most_100_kb_for_the_photo_and_never_scrolls_sideways": Rule(
        "rules/pictures.py", "too large to process safely", PICTURES + "decompression_bomb"
    ),
    # the reader-first article page (test_browser.py, test_article_page.py, test_reading_aids.py)
    "test_the_title_and_the_start_of_the_text_are_on_the_first_screen": THEME,
    "test_the_review_dates_and_disclaimer_come_after_the_text": THEME,
    "test_print_shows_the_article_and_its_governance_without_the_sites_chrome": THEME,
    "test_the_text_comes_first_and_governance_follows_it_in_order": THEME,
    "test_the_contents_list_follows_the_opening_text": Rule(
        "rules/body.py", "heading level jumps", "tests/test_rules_site.py: a heading that skips"
    ),
    "test_a_long_article_ends_with_back_to_top": THEME,
    "test_the_header_is_short_and_the_footer_has_the_full_menu": THEME,
    # share cards (test_share_cards.py, test_many_articles.py)
    "test_public_page_has_a_1200_by_630_share_card_that_exists": Reason(
        "plugins/share_cards.py draws a card for every page; a long title is wrapped and cut"
    ),
    "test_each_article_has_its_own_card_and_its_json_ld_names_the_same_file": THEME,
    "test_the_drawn_card_is_described_by_the_title": THEME,
    "test_every_article_has_its_own_card_and_every_page_a_1200_by_630_one": Reason(
        "plugins/share_cards.py draws a card for every page; a long title is wrapped and cut"
    ),
    "test_the_synthetic_pictures_are_published_as_pictures": THEME,
    # test_a_to_z.py, on test_many_articles.py's site (conftest.py's `many`)
    "test_the_a_to_z_lists_every_article_once_under_its_first_letter": Rule(
        "rules/metadata.py", "Also_called", METADATA + "Also_called"
    ),
    "test_a_to_z_letters_link_only_where_there_are_articles": THEME,
    "test_the_a_to_z_is_linked_from_the_header_and_listed_in_the_sitemap": THEME,
    # test_many_articles.py: the same checks over a generated site of many articles
    "test_the_build_has_every_page_the_content_calls_for": Rule(
        "rules/files.py", "also writes", FILES + "two sources write the same page"
    ),
    "test_every_page_has_a_sound_structure": RAW,
    "test_every_title_is_unique": Rule(
        "rules/site.py",
        "is also the title of",
        "tests/test_rules_site.py: two articles with one title",
    ),
    "test_every_link_and_fragment_resolves": Rule(
        "rules/site.py",
        "finds no such place on",
        "tests/test_rules_site.py: a link to a missing heading",
    ),
    "test_the_home_page_lists_the_newest_ten_and_the_pages_cover_every_article": THEME,
    "test_the_archive_and_each_topic_list_exactly_their_articles": THEME,
    "test_a_hidden_article_is_published_but_listed_nowhere": THEME,
    "test_only_the_first_home_page_is_the_current_page_in_the_header": THEME,
    "test_each_article_links_to_its_neighbours_in_the_same_topic": THEME,
    "test_the_sitemap_lists_every_public_page_and_the_headers_file_stays_small": HOST,
    "test_every_list_page_still_fits_the_first_render_budget": THEME,
    "test_the_html_checker_accepts_every_page": Rule(
        "rules/raw_html.py", "is opened here but never closed", RAW_HTML + "unclosed raw HTML"
    ),
    "test_lists_and_neighbours_pass_axe_and_reflow_in_the_browser": THEME,
    # test_tables.py: a test article with tables of 3 to 8 columns, one in a callout
    "test_no_table_cuts_its_text_and_every_table_that_scrolls_shows_it": TABLES,
    "test_axe_finds_no_violations_in_the_tables": TABLES,
    "test_the_nu_checker_accepts_the_tables_and_the_stylesheet": TABLES,
    "test_a_printed_table_fits_the_sheet_with_its_words_wrapped": TABLES,
    "test_the_checks_catch_a_cut_table_and_a_missing_cue": TABLES,
    # test_parallel_writer.py
    "test_cache_and_parallel_writers_write_what_the_plain_build_writes": SPEED,
    "test_a_template_error_in_a_worker_stops_the_build_as_in_one_process": SPEED,
    # test_languages.py: a translation's mistakes stop the build (rules/translations.py);
    # a word of the theme without its translation too, naming the template's line.
    "test_a_feed_per_language": LANGUAGES,
    "test_a_translation_reviewed_before_its_original_changed_says_so": LANGUAGES,
    "test_each_version_says_its_language_and_links_the_other_in_its_words": LANGUAGES,
    "test_hreflang_alternates_and_x_default_on_both_versions": LANGUAGES,
    "test_interface_words_and_dates_are_spanish": LANGUAGES,
    "test_lists_stay_english_and_do_not_list_the_translation": LANGUAGES,
    "test_open_graph_locale_json_ld_language_and_share_card": LANGUAGES,
    "test_sitemap_names_both_versions_of_each": LANGUAGES,
    "test_without_a_translation_there_is_no_spanish_section": LANGUAGES,
    "test_each_language_feed_says_its_language": LANGUAGES,
    "test_the_components_own_words_are_spanish_in_a_spanish_article": LANGUAGES,
    "test_a_passage_in_the_other_language_keeps_its_lang": LANGUAGES,
    "test_a_spanish_a_to_z_with_n_tilde_linked_from_spanish_pages": LANGUAGES,
    # test_translated_site.py: every page check on the site with a translation.
    "test_every_page_passes_the_nu_html_checker": TRANSLATED,
    "test_there_are_spanish_pages_and_each_says_so": TRANSLATED,
    "test_every_link_and_fragment_resolves_with_a_translation": TRANSLATED,
    "test_the_spanish_pages_fit_the_first_render_budget": TRANSLATED,
    "test_a_second_build_on_another_machine_is_byte_identical": TRANSLATED,
    "test_every_in_page_check_in_the_browser": TRANSLATED,
    "test_lighthouse_on_the_spanish_article": TRANSLATED,
}


def _site_fixtures(tree: ast.Module) -> set[str]:
    """Fixtures in a module that hand out a built site (annotated BuiltSite or Served)."""
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any("fixture" in ast.unparse(d) for d in node.decorator_list)
        and node.returns is not None
        and any(kind in ast.unparse(node.returns) for kind in ("BuiltSite", "Served"))
    }


def output_checks() -> dict[str, str]:
    """Every test function that takes a built site, with the module it is in."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in TESTS.glob("*.py")}
    shared = OUTPUT_FIXTURES | _site_fixtures(trees[TESTS / "conftest.py"])
    found = {}
    for path, tree in sorted(trees.items()):
        if not path.name.startswith("test_"):
            continue
        fixtures = shared | _site_fixtures(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("test_")
                and fixtures & {arg.arg for arg in node.args.args}
            ):
                found[node.name] = path.name
    return found


def test_every_output_check_is_covered():
    unlisted = sorted(
        f"{module}::{name}" for name, module in output_checks().items() if name not in COVERAGE
    )
    assert not unlisted, (
        "output checks with no decision: add each to COVERAGE with the build rule that "
        "prevents it (and its bad-input test), or the reason content cannot cause it:\n  "
        + "\n  ".join(unlisted)
    )


def test_coverage_names_no_check_that_is_gone():
    gone = sorted(set(COVERAGE) - set(output_checks()))
    assert not gone, f"COVERAGE lists checks that no longer exist: {gone}"


RULES = {
    f"{name}[{index}]": cover
    for name, covers in COVERAGE.items()
    for index, cover in enumerate(covers if isinstance(covers, tuple) else (covers,))
    if isinstance(cover, Rule)
}


@pytest.mark.parametrize("check", sorted(RULES))
def test_each_rule_named_exists_and_has_a_bad_input_test(check):
    rule = RULES[check]
    source = (ROOT / rule.source).read_text(encoding="utf-8")
    assert rule.message in source, f"{rule.source} does not write {rule.message!r}"
    module, case = rule.proof.split(": ", 1)
    assert case in Path(ROOT / module).read_text(encoding="utf-8"), f"{module} has no {case!r}"


# --- Checks of the real content/ name none of it -----------------------------


def _fixtures_from(tree: ast.Module, roots: frozenset[str]) -> set[str]:
    """`roots` and every fixture in the module that takes one of them, however deep."""
    fixtures = {
        node.name: {arg.arg for arg in node.args.args}
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any("fixture" in ast.unparse(d) for d in node.decorator_list)
    }
    found = set(roots)
    while grown := {name for name, args in fixtures.items() if args & found} - found:
        found |= grown
    return found


def content_checks(sources: dict[str, str]) -> dict[str, ast.FunctionDef]:
    """Every test in `sources` (module name: text) that reads the build of content/."""
    found = {}
    for module, text in sources.items():
        tree = ast.parse(text)
        real = _fixtures_from(tree, REAL_SITE_FIXTURES)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("test_")
                and real & {arg.arg for arg in node.args.args}
            ):
                found[f"{module}::{node.name}"] = node
    return found


def named_content(content: Path) -> set[str]:
    """How a test could name what `content` holds: each file, slug, page and title."""
    settings = load_settings(production=True)
    names = set()
    for source in iter_markdown_sources(content):
        page = output_path(source, settings)
        slug = page.removesuffix("index.html").strip("/")
        names |= {source.rel, f"content/{source.rel}", page, slug, f"/{slug}/"}
        names.add(source.meta.get("title", (0, ""))[1])
    names |= {
        path.relative_to(content.parent).as_posix() for path in content.rglob("*") if path.is_file()
    }
    # A bare word is left out: an editor's page whose slug is `accessibility` must
    # not fail this check because a check names Lighthouse's accessibility category.
    # A check naming that page still names it by its address or file
    # (`/accessibility/`, `accessibility/index.html`, `content/pages/accessibility.md`).
    return {name for name in names if name and not name.isalnum()}


def _counts_articles(compare: ast.Compare) -> bool:
    """`len(...) == 14`: a count written into the check."""
    sides = (compare.left, *compare.comparators)
    return any(
        isinstance(side, ast.Call) and ast.unparse(side.func) == "len" for side in sides
    ) and any(
        isinstance(side, ast.Constant) and isinstance(side.value, int) and side.value > 1
        for side in sides
    )


def sample_names_in(check: ast.FunctionDef, names: set[str]) -> list[str]:
    """What in the check (its decorators included) names the sample or counts articles."""
    found = []
    for node in ast.walk(check):
        if isinstance(node, ast.Name) and node.id.upper().startswith("FIXTURE_"):
            found.append(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in names:
                found.append(repr(node.value))
        elif isinstance(node, ast.Compare) and _counts_articles(node):
            found.append(ast.unparse(node))
    return found


def test_no_check_of_content_names_its_articles():
    sources = {
        path.name: path.read_text(encoding="utf-8") for path in sorted(TESTS.glob("test_*.py"))
    }
    names = named_content(ROOT / "content") - {"index.html", "404.html"}
    offenders = [
        f"{name}: {', '.join(found)}"
        for name, check in content_checks(sources).items()
        if (found := sample_names_in(check, names))
    ]
    assert not offenders, (
        "these checks of content/ name what it holds today; derive the pages from "
        "tests/expected.py, or move the check to a fixture site (fixture_site, site_copy):\n  "
        + "\n  ".join(offenders)
    )


def test_the_sample_detector_finds_a_check_that_hard_codes_the_sample():
    module = textwrap.dedent(
        """
        @pytest.fixture
        def served(site): ...

        def test_hard_coded(served):
            assert served.soup("a-real-article/index.html")

        def test_counted(site):
            assert len(site.html_pages()) == 14

        def test_the_fixture(served_site):
            check(served_site, FIXTURE_ARTICLE_PAGE)

        def test_fine(site, page):
            assert site.soup(page)

        def test_elsewhere(fixture_site):
            assert fixture_site.soup("a-real-article/index.html")
        """
    )
    checks = content_checks({"test_x.py": module})
    assert sorted(checks) == [
        "test_x.py::test_counted",
        "test_x.py::test_fine",
        "test_x.py::test_hard_coded",
        "test_x.py::test_the_fixture",
    ]
    names = {"a-real-article/index.html"}
    found = {name: sample_names_in(check, names) for name, check in checks.items()}
    assert found == {
        "test_x.py::test_counted": ["len(site.html_pages()) == 14"],
        "test_x.py::test_fine": [],
        "test_x.py::test_hard_coded": ["'a-real-article/index.html'"],
        "test_x.py::test_the_fixture": ["FIXTURE_ARTICLE_PAGE"],
    }
