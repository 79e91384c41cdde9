"""Shared fixtures: small knowledge bases written into tmp_path, and the `kb` CLI for CliRunner."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

DATA = Path(__file__).parent / "data"
TODAY = "2025-06-15"  # the fixed --today of the lint tests, so dates are reproducible


def write_kb(root: Path, files: dict[str, str | bytes], kb_section: dict[str, Any] | None = None,
             **mkdocs: Any) -> Path:
    """Write `root/mkdocs.yml` (docs_dir: content, plugin `kb` with `kb_section`) and `root/content/<files>`.

    Text is written byte for byte (no newline translation), so CRLF and BOM tests mean what they say.
    Extra keyword arguments become top-level mkdocs.yml keys (e.g. `nav=[...]`). Returns `root`.
    """
    root.mkdir(parents=True, exist_ok=True)
    document = {"site_name": "Test KB", "docs_dir": "content", **mkdocs,
                "plugins": [{"kb": kb_section or {}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for rel, content in files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def article(title: str = "Printer not found", type: str = "best-practice", body: str = "Some text.\n",
            **fields: Any) -> str:
    """A clean article's text: title, type, owner ana, reviewed 2025-06-01, plus `fields` (None drops one)."""
    meta: dict[str, Any] = {"title": title, "type": type, "owner": "ana", "reviewed": "2025-06-01", **fields}
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


@pytest.fixture
def kb_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """`kb_factory(files, kb_section)` writes a KB in tmp_path and makes it the working folder."""

    def make(files: dict[str, str | bytes], kb_section: dict[str, Any] | None = None, **mkdocs: Any) -> Path:
        root = write_kb(tmp_path / "kb", files, kb_section, **mkdocs)
        monkeypatch.chdir(root)
        return root

    return make


@pytest.fixture
def kb_cli() -> Any:
    """The `kb` click group with the lint commands registered (independent of other command modules)."""
    import kb.cli.lint  # noqa: F401 - registers lint, rules, rule
    from kb.cli import cli

    return cli


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site test KB (tests/sitekb.py) built once per session with `kb build`; returns its root."""
    from sitekb import TODAY, write_site_kb

    root = write_site_kb(tmp_path_factory.mktemp("sites") / "kb")
    result = kb_in(root, "build", "--today", TODAY)
    assert result.exit_code == 0, result.output
    return root


def kb_in(root: Path, *args: str) -> Any:
    """`kb ARGS` run with `root` as the working folder, as a user would (the folder restored after)."""
    import os

    from click.testing import CliRunner

    from kb.cli import app

    previous = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(app(), list(args))
    finally:
        os.chdir(previous)
