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


def test_a_broken_link_named_md_is_seen_by_the_memo_and_reported(kb_factory) -> None:
    root = kb_factory({"a.md": article("A")})
    age(root)
    assert "KB001" not in codes(root)
    os.symlink(root / "gone.md", root / "content" / "broken.md")
    os.utime(root / "content" / "broken.md", (OLD, OLD), follow_symlinks=False)
    os.utime(root / "content", (OLD, OLD))
    assert "KB001" in codes(root)


def test_a_folder_link_to_a_parent_is_walked_once(kb_factory) -> None:
    from kb import cache

    root = kb_factory({"a.md": article("A"), "sub/b.md": article("B")})
    os.symlink("..", root / "content" / "sub" / "up")
    lines: list[str] = []
    stamps: dict[str, cache.Stamp | None] = {}
    cache._walk(root / "content", lines, stamps)
    assert list(stamps) == [str(root / "content" / "a.md"), str(root / "content" / "sub" / "b.md")]
    assert len(lines) == 2  # the link leads back into the folder being walked: nothing more to see


def test_the_walk_lists_articles_in_discovery_order(kb_factory) -> None:
    from kb import cache
    from kb.articles import discover, discovered_in

    root = kb_factory({"b/x.md": article("X"), "a.md": article("A"), "c.md": article("C"), "b/a/y.md": article("Y"),
                       "img.png": b"png", ".hidden/h.md": article("H"), "b/.n.md": article("N"), "d.markdown": article("D")})
    config = load_config(root / "mkdocs.yml")
    stamps: dict[str, cache.Stamp | None] = {}
    cache._walk(config.docs_dir, [], stamps)
    found = discover(config)
    assert discovered_in(stamps, config) == found
    assert [path.relative_to(config.docs_dir).as_posix() for path in found] == ["a.md", "c.md", "d.markdown", "b/x.md", "b/a/y.md"]
