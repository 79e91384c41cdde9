"""`.kb/`, kb's local state: when it cannot be a folder, lint runs without its cache and search says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, article, write_kb

from kb.cli import app


def test_a_file_named_kb_does_not_stop_lint_and_stops_index_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path, {"a.md": article(title="A")})
    (root / ".kb").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.chdir(root)
    linted = CliRunner().invoke(app(), ["lint", "--today", TODAY])
    assert linted.exit_code == 0 and linted.output.splitlines()[-1].startswith("0 errors, 0 warnings")
    indexed = CliRunner().invoke(app(), ["index"])
    assert indexed.exit_code == 2, indexed.output
    assert "cannot create the search index folder: Not a directory" in indexed.output
    assert indexed.exception is None or isinstance(indexed.exception, SystemExit)
