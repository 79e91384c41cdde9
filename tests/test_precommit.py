"""The pre-commit hook (.pre-commit-hooks.yaml) as another repository uses it: pre-commit installs kb
from this checkout into its own environment and runs the hook on the files given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import article, write_kb

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("pre-commit")  # one hook environment per session, built once

CLEAN = article(title="Printer not found", type="best-practice", audience="public")
BROKEN = article(title="Refunds", type="best-practice", body="See [the policy](policy.md).\n")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_hook(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo <kb checkout> kb-lint --files ...` in `repo` (uncommitted changes of the
    checkout included, as try-repo does)."""
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home), "KB_TODAY": "2025-06-15", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "kb-lint", "--color", "never", "--files", *files]
    return subprocess.run(command, cwd=repo, env=environment, capture_output=True, text=True, timeout=600)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A team's git repository: mkdocs.yml, a clean and a broken article, and a README."""
    root = write_kb(tmp_path / "repo", {"printer.md": CLEAN, "refunds.md": BROKEN})
    (root / "README.md").write_text("# Our knowledge base\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def test_the_hook_fails_a_commit_with_a_broken_link_and_names_the_line(repo: Path, pre_commit_home: Path) -> None:
    result = try_hook(repo, pre_commit_home, "README.md", "content/refunds.md")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "content/refunds.md:7:5: KB201 error: link target 'policy.md' does not exist" in result.stdout
    assert "content/printer.md" not in result.stdout  # only the files of the commit are reported


def test_the_hook_passes_clean_articles_and_other_markdown(repo: Path, pre_commit_home: Path) -> None:
    result = try_hook(repo, pre_commit_home, "README.md", "content/printer.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kb lint" in result.stdout and "Passed" in result.stdout
