"""No dead ends on the built sites: every relative link of every page (and every search result) resolves.

The only unresolved links are the ones planted in tests/sitekb.py, which `kb lint` reports at their source.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kb_in
from sitecrawl import BrokenLink, broken_links
from sitekb import TODAY

# card-declined.md has no Indonesian translation: its text, planted links included, is on both languages' pages.
PLANTED = {
    site: {BrokenLink(page, "#card-limits", "no anchor") for page in pages}
    | {BrokenLink(page, "/status/terminals/", "no file") for page in pages}
    for site in ("public", "internal")
    for pages in [("payments/card-declined/index.html", "id/payments/card-declined/index.html")]
}


@pytest.mark.parametrize("site", ["public", "internal"])
def test_every_link_of_the_site_resolves_but_the_planted_ones(built_sites: Path, site: str) -> None:
    found = broken_links(built_sites / "site" / site)
    assert set(found) == PLANTED[site], "\n".join(f"{link.page}: {link.url} ({link.reason})" for link in found)


def test_lint_reports_the_planted_broken_links(built_sites: Path) -> None:
    result = kb_in(built_sites, "lint", "--today", TODAY)
    assert "card-declined.md:22:14: KB202 error: this article has no heading with anchor '#card-limits'" in result.output
    assert "card-declined.md:22:50: KB209 warning: link '/status/terminals/' starts with '/'" in result.output


def test_a_fallback_page_links_the_section_of_the_translation(built_sites: Path) -> None:
    """The Indonesian site shows escalation.md in English; its link to the QRIS article's Resolution
    leads to the Indonesian QRIS page, whose section is Solusi (section_names)."""
    page = (built_sites / "site/internal/id/support-team/escalation/index.html").read_text(encoding="utf-8")
    assert 'href="../../payments/qris-payment-failed/#solusi"' in page
    english = (built_sites / "site/internal/support-team/escalation/index.html").read_text(encoding="utf-8")
    assert 'href="../../payments/qris-payment-failed/#resolution"' in english


def test_a_fallback_page_drops_an_anchor_the_translation_lacks(tmp_path: Path) -> None:
    from conftest import article, write_kb

    root = write_kb(tmp_path / "kb", {
        "a.md": article("Guide", body="See [the limits](b.md#limits) and [the fix](b.md#fix).\n", audience="public"),
        "b.md": article("Target", body="## Limits\n\nTen.\n\n## Fix\n\nRestart.\n", audience="public"),
        "b.id.md": article("Sasaran", body="## Batas\n\nSepuluh.\n\n## Fix\n\nMulai ulang.\n", audience="public"),
    }, {"languages": ["en", "id"]}, theme={"name": "material"})
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    page = (root / "site/public/id/a/index.html").read_text(encoding="utf-8")
    assert 'href="../b/"' in page and 'href="../b/#fix"' in page
    assert broken_links(root / "site/public") == []
