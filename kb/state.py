"""kb's own working files (caches, the search index, the query log, staged sites) live in `.kb/`
beside mkdocs.yml. They are local state: never meant to be committed."""

from __future__ import annotations

from pathlib import Path

IGNORE_ALL = "# kb's caches, search index, query log and staged sites: local state, never committed\n*\n"


def ignore_state_dir(root: Path) -> None:
    """Create `root/.kb/` with a `.gitignore` of `*` (as pytest and ruff do for their caches), so
    a team that adds kb to a repository does not commit it by accident. Quiet when it cannot."""
    marker = root / ".kb" / ".gitignore"
    if marker.exists():
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(IGNORE_ALL, encoding="utf-8")
    except OSError:
        pass  # a read-only checkout: nothing will be written there either
