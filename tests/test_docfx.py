"""DocFX syntax in articles (kb.docfx): the docfx-syntax rule, `:::image` sources checked as
images, and markdown-callouts' github-callouts, which makes DocFX alerts admonitions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import TODAY, article, write_kb

from kb.config import load_config
from kb.lint import lint

ALERTS = "> [!NOTE]\n> Back up first.\n\n> [!TIP]\n> One.\n> [!WARNING]\n> Two in one quote.\n"


def _findings(root: Path, code: str) -> list[tuple[int, str]]:
    result = lint(load_config(root / "mkdocs.yml"), date.fromisoformat(TODAY))
    return [(d.line, d.message) for d in result.diagnostics if d.code == code]


@pytest.mark.parametrize("extensions", [["github-callouts"], [{"markdown_callouts.github_callouts": {}}, "admonition"]])
def test_alerts_github_callouts_reads_are_not_flagged_when_it_is_on(tmp_path: Path, extensions: list[Any]) -> None:
    off = write_kb(tmp_path / "off", {"a.md": article(body=ALERTS)})
    on = write_kb(tmp_path / "on", {"a.md": article(body=ALERTS)}, markdown_extensions=extensions)
    assert [line for line, _ in _findings(off, "KB307")] == [7, 10, 12]
    [(line, message)] = _findings(on, "KB307")  # the second alert of one quote stays text even then
    assert line == 12 and "github-callouts leaves it as text too" in message and "'!!! warning'" in message


def test_image_sources_of_docfx_images_are_checked_like_markdown_images(tmp_path: Path) -> None:
    body = (":::image type=\"content\" source=\"media/there.png\" alt-text=\"A\":::\n\n"
            "Select :::image type=\"icon\" source=\"media/gone.png\"::: and\n\n"
            ":::image type=\"complex\" alt-text=\"B\"\n    source=\"Media/There.png\":::\nLong text.\n:::image-end:::\n\n"
            ":::image source=\"https://example.com/x.png\":::\n\n```\n:::image source=\"media/in-code.png\":::\n```\n")
    root = write_kb(tmp_path, {"guides/a.md": article(body=body), "guides/media/there.png": b"PNG"})
    assert _findings(root, "KB201") == [
        (9, "image target 'media/gone.png' does not exist (guides/media/gone.png)"),
        (11, "image target 'Media/There.png' does not exist (guides/Media/There.png); did you mean 'media/there.png'? "
             "It differs only in letter case, which macOS and Windows ignore, but the site's server does not"),
    ]


@pytest.mark.xdist_group("site")
def test_public_site_renders_alerts_as_admonitions_and_still_hides_internal_blocks(tmp_path: Path) -> None:
    from conftest import kb_in

    body = ("> [!NOTE]\n> Restart the printer first.\n\n1. Open Settings.\n\n    > [!CAUTION]\n    > Unplug it.\n\n"
            "!!! internal \"For agents\"\n    > [!TIP]\n    > Agents only: zebra-quokka-771.\n\n    More zebra-quokka-772.\n")
    root = write_kb(tmp_path / "kb", {"printer.md": article("Printer offline", audience="public", body=body)},
                    markdown_extensions=["admonition", "github-callouts"])
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    page = (root / "site/public/printer/index.html").read_text(encoding="utf-8")
    assert '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>Restart the printer first.</p>' in page
    assert '<div class="admonition danger">\n<p class="admonition-title">Caution</p>\n<p>Unplug it.</p>' in page
    assert "[!NOTE]" not in page and "[!CAUTION]" not in page
    leaked = [path for path in (root / "site/public").rglob("*") if path.is_file() and b"zebra-quokka" in path.read_bytes()]
    assert leaked == []


@given(st.text(alphabet="[!:x\n", max_size=40))
@settings(max_examples=2000, deadline=None, derandomize=True)
def test_may_hold_answers_whether_a_body_holds_a_bang_bracket_or_three_colons(body: str) -> None:
    from kb.docfx import may_hold

    assert may_hold(body) == ("[!" in body or ":::" in body)
