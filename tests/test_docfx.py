"""DocFX syntax in articles (kb.docfx): the docfx-syntax rule, `:::image` sources checked as
images, and markdown-callouts' github-callouts, which makes DocFX alerts admonitions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
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
