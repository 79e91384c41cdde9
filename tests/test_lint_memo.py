"""The lint result memo (kb.cache.LintMemo): reused only while nothing a finding depends on changed."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from conftest import article

from kb.config import load_config
from kb.lint import lint

TODAY = date(2025, 6, 15)
OLD = time.time() - 3600  # older than the "racily clean" window, so the memo is stored


def age(root: Path) -> None:
    for path in (root / "content").rglob("*"):
        os.utime(path, (OLD, OLD))


def codes(root: Path, today: date = TODAY) -> list[str]:
    return [d.code for d in lint(load_config(root / "mkdocs.yml"), today).diagnostics]


def test_memo_is_reused_then_invalidated_by_an_edit(kb_factory) -> None:
    root = kb_factory({"a.md": article("A"), "b.md": article("B", body="[b](a.md)\n[a](b.md)\n")})
    age(root)
    first = codes(root)
    assert (root / ".kb" / "cache" / "lint-results.marshal").exists()
    assert codes(root) == first
    # Same size, same mtime as before would be invisible; a real edit changes size or mtime.
    (root / "content" / "b.md").write_text(article("B", body="[gone](missing.md)\n"), encoding="utf-8")
    assert "KB201" in codes(root) and "KB201" not in first


def test_memo_depends_on_today_and_on_added_files(kb_factory) -> None:
    root = kb_factory({"a.md": article("A", body="![pic](pic.png)\n")})
    age(root)
    assert "KB201" in codes(root)
    assert "KB101" not in codes(root)
    assert "KB101" in codes(root, date(2027, 1, 1))
    (root / "content" / "pic.png").write_bytes(b"png")
    assert "KB201" not in codes(root)


def test_recent_changes_are_not_memoised(kb_factory) -> None:
    root = kb_factory({"a.md": article("A")})
    codes(root)
    assert not (root / ".kb" / "cache" / "lint-results.marshal").exists()
