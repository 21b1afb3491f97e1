"""The Nu Html Checker (vnu) passes every page, the stylesheet and the SVG icon."""

from __future__ import annotations

import pytest
import quality

pytestmark = pytest.mark.validator


def test_every_page_and_the_stylesheet_pass_the_nu_html_checker(site):
    problems = quality.vnu_problems(site.root)
    assert not problems, f"{len(problems)} vnu errors and warnings:\n" + "\n".join(problems)


def test_the_checker_sees_every_page(site):
    # vnu reports nothing for a file it was not given; make sure it is given all.
    checked = [p for p in site.html_pages() if (site.root / p).is_file()]
    assert "theme/css/main.css" in [
        p.relative_to(site.root).as_posix() for p in site.root.rglob("*.css")
    ]
    assert len(checked) >= 5
