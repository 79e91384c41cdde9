"""A cache of parsed articles keyed on each file's (mtime, size, inode), so a warm lint skips parsing.

It lives in `.kb/cache/` beside mkdocs.yml; its name carries a fingerprint of kb's version and of
the config settings that change how a file is read, so a change of either starts a fresh cache.
Written atomically; a missing, stale or corrupt cache only costs a re-parse.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from kb import __version__
from kb.atomic import atomic_write_bytes

if TYPE_CHECKING:
    from kb.articles import Article
    from kb.config import Config

Stamp = tuple[int, int, int]


def _fingerprint(config: Config) -> str:
    settings = (
        __version__, str(config.docs_dir), config.fields, config.date_formats, config.languages, config.layout,
        config.default_lang, sorted(config.types), config.max_file_kb, config.defaults, config.values,
    )
    return hashlib.sha1(repr(settings).encode()).hexdigest()[:16]


class ArticleCache:
    def __init__(self, config: Config) -> None:
        self.file = config.root / ".kb" / "cache" / f"articles-{_fingerprint(config)}.pickle"
        self.entries: dict[str, tuple[Stamp, Article]] = {}
        self.used: dict[str, tuple[Stamp, Article]] = {}
        self.dirty = False
        try:
            with open(self.file, "rb") as handle:
                self.entries = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            self.entries = {}

    def get(self, path: Path, stamp: Stamp | None) -> Article | None:
        entry = self.entries.get(str(path))
        if entry is None or stamp is None or entry[0] != stamp:
            return None
        self.used[str(path)] = entry
        return entry[1]

    def put(self, path: Path, stamp: Stamp, article: Article) -> None:
        # Bodies are not cached: lint works from the scan, and the cache stays small.
        self.used[str(path)] = (stamp, dataclasses.replace(article, body=""))
        self.dirty = True

    def save(self) -> None:
        if not self.dirty and len(self.used) == len(self.entries):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.file, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only checkout still lints, only without a cache
