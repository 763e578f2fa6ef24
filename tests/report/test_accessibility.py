"""The accessibility check itself (axe-core in headless Chromium finds what it must find), and
the running header a browser prints.

The reports are checked in tests/flows/test_end_to_end.py (on the run that test already
makes); this file shows that the check can fail, on a page with known faults.
"""

from __future__ import annotations

from pathlib import Path

from tests.a11y import axe
from transforms.report.render import browser_running_header

FAULTY = """<!DOCTYPE html><html><head><title>faulty</title></head><body>
<main><h1>A page</h1><h4>skips two heading levels</h4>
<p style="color:#aaa;background:#fff">grey text at 2.3:1</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<table><tr><td>no header</td></tr></table></main></body></html>"""
CLEAN = """<!DOCTYPE html><html lang="en"><head><title>clean</title></head><body>
<main><h1>A page</h1><p style="color:#595959;background:#fff">grey text at 7:1</p></main>
</body></html>"""


def test_axe_reports_contrast_language_alt_text_and_heading_faults(tmp_path: Path) -> None:
    browser = axe.chromium()
    page = tmp_path / "faulty.html"
    page.write_text(FAULTY, "utf-8")
    _, violations = axe.run_axe(page, 390, browser)
    rules = {v.rule for v in violations}
    assert {"color-contrast", "html-has-lang", "image-alt", "heading-order"} <= rules, rules
    contrast = next(v for v in violations if v.rule == "color-contrast")
    assert contrast.impact == "serious" and contrast.targets == ("p",)


def test_axe_passes_a_page_without_faults(tmp_path: Path) -> None:
    browser = axe.chromium()
    page = tmp_path / "clean.html"
    page.write_text(CLEAN, "utf-8")
    passes, violations = axe.run_axe(page, 1280, browser)
    assert passes > 5 and not violations, violations


def test_browsers_get_the_running_header_as_a_literal_before_weasyprints_string() -> None:
    page = (
        '<style>p {}</style><p class="running-title" aria-hidden="true">A &amp; "B" – wave '
        '2022</p><p class="running-flag" aria-hidden="true">Synthetic data</p>'
    )
    printed = browser_running_header(page)
    assert (
        '@top-left { content: "A \\26  \\22 B\\22  – wave 2022"; content: string(running-title); }'
        in printed
    )
    assert '@top-right { content: "Synthetic data"; content: string(running-flag); }' in printed
    assert printed.index("@page") < printed.index("</style>")
    assert browser_running_header("<style></style><p>no header</p>") == (
        "<style></style><p>no header</p>"
    )
