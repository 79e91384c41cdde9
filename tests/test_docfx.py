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
