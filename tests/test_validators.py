"""The Nu Html Checker (vnu) passes every page, the stylesheet and the SVG icon."""

from __future__ import annotations

import pytest
import quality

pytestmark = pytest.mark.validator


def test_every_page_and_the_stylesheet_pass_the_nu_html_checker(site):
    problems = quality.vnu_problems(site.root)
    assert not problems, f"{len(problems)} vnu errors and warnings:\n" + "\n".join(problems)
