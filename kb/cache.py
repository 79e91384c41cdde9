"""A cache of parsed articles keyed on each file's (mtime, size, inode), so a warm lint skips parsing.

It lives in `.kb/cache/` beside mkdocs.yml; its name carries a fingerprint of kb's version and
modules, of Python's and of the config settings that change how a file is read, so a change of any starts a
fresh cache. It holds records (kb.records) in `marshal` format. Written atomically; a missing,
stale or corrupt cache only costs a re-parse.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import marshal
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kb import __version__, records
from kb.atomic import atomic_write_bytes
from kb.diagnostics import Severity
from kb.records import Record

if TYPE_CHECKING:
    from kb.articles import Article
    from kb.config import Config

Stamp = tuple[int, int, int]


def _fingerprint(config: Config) -> str:
    settings = (
        __version__, records.FORMAT, _reader_sources(), sys.version_info[:2], marshal.version, str(config.docs_dir), config.fields,
        config.date_formats, config.languages, config.layout,
        config.default_lang, sorted(config.types), config.max_file_kb, config.defaults, config.values,
        config.toc_slugify, config.toc_separator, config.attr_list,
    )
    return hashlib.sha1(repr(settings).encode()).hexdigest()[:16]


@functools.cache
def _reader_sources() -> tuple[tuple[str, int, int], ...]:
    """(name, size, mtime) of kb's own modules, where articles are read: a kb changed without a new
    version (installed from a branch, or edited) must not reuse what an older reader made."""
    with os.scandir(Path(__file__).parent) as entries:
        return tuple(sorted((entry.name, (info := entry.stat()).st_size, info.st_mtime_ns)
                            for entry in entries if entry.name.endswith(".py")))


class ArticleCache:
    """Records of parsed articles by path, with the stamp of the file they were read from.

    A run that changes few of them (an article edited) writes only those, to a second file that
    the next run reads over the first: rewriting all 10,000 records was 0.13 s of every such lint
    (bench/lint_bench.py, warm, one edit). The first file is written again, whole, once the changes
    are more than a tenth of it. A stale record is never wrong, only unused: its stamp no longer
    matches the file, which is then parsed again.
    """

    CHANGES_SHARE = 0.1

    def __init__(self, config: Config) -> None:
        name = f"articles-{_fingerprint(config)}"
        self.file = config.root / ".kb" / "cache" / f"{name}.marshal"
        self.changes_file = self.file.with_name(f"{name}.changes.marshal")
        self.entries: dict[str, tuple[Stamp, Record]] = _read(self.file)
        # What the changes file holds (written since the first file), and this run's new records.
        self.changed: dict[str, tuple[Stamp, Record]] = _read(self.changes_file) if self.entries else {}
        self.entries.update(self.changed)
        self.used: dict[str, tuple[Stamp, Record]] = {}
        self.dirty = False

    def get(self, path: Path, stamp: Stamp | None) -> Article | None:
        entry = self.entries.get(str(path))
        try:
            if entry is None or stamp is None or tuple(entry[0]) != stamp:
                return None
            article = records.from_record(path, entry[1])
        except (TypeError, ValueError, IndexError, KeyError):  # an entry of another shape: parse the file again
            return None
        self.used[str(path)] = entry
        return article

    def put(self, path: Path, stamp: Stamp, record: Record) -> None:
        self.used[str(path)] = self.changed[str(path)] = (stamp, record)
        self.dirty = True

    def save(self) -> None:
        unused = len(self.entries) - len(self.used)  # files gone (or not read this run)
        changes = {path: entry for path, entry in self.changed.items() if path in self.used}
        small = bool(self.entries) and max(len(changes), unused) <= self.CHANGES_SHARE * len(self.used)
        if not self.dirty and (unused == 0 or small):
            return  # nothing new: a few records of files gone are harmless until the next whole write
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            if small:
                atomic_write_bytes(self.changes_file, records.dumps(changes), sync=False)
                return
            atomic_write_bytes(self.file, records.dumps(self.used), sync=False)  # corrupt reads as empty
            self.changes_file.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only checkout still lints, only without a cache


def _read(file: Path) -> dict[str, tuple[Stamp, Record]]:
    """The records a cache file holds; none for a missing, corrupt or foreign file."""
    try:
        with open(file, "rb") as handle:
            entries = marshal.loads(handle.read())  # load(handle) reads the file piecemeal: 8x slower
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


# --- the last lint run's findings -----------------------------------------------------------

RACY_SECONDS = 2  # a file changed this recently may change again within the same mtime tick


def lint_key(config: Config, parts: tuple[object, ...], paths: list[Path]) -> tuple[str, bool, dict[str, Stamp | None]]:
    """A digest of everything a lint run's findings depend on, whether it is safe to store, and
    the stamp of every file under the docs folder (so that loading need neither walk the folder
    nor stat the files again).

    Covers every file under the docs folder (path, mtime, size, inode: links to images count too),
    the files asked for, the whole config, kb's own source files and `parts` (today, the working
    folder, the rule severities). Not safe to store when a file changed in the last seconds, as
    a second write in the same mtime tick would go unseen (git's "racily clean" problem).
    """
    digest = hashlib.sha1(repr((__version__, _stable(config), parts)).encode())
    sources = Path(__file__).parent
    lines: list[str] = []
    stamps: dict[str, Stamp | None] = {}
    newest = _walk(config.docs_dir, lines, stamps)
    for folder in (sources, sources / "rules"):
        _walk(folder, lines, skip="__pycache__")
    for path in paths:
        newest = max(newest, _walk(path, lines) if path.is_dir() else _stamp(path, lines))
    digest.update("".join(lines).encode("utf-8", "surrogateescape"))  # file names need not be UTF-8
    return digest.hexdigest(), newest < time.time_ns() - RACY_SECONDS * 1_000_000_000, stamps


def _stable(value: object) -> object:
    """`value` with sets sorted, so that its repr is the same in every process (hash seeds differ)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_stable(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return [(_stable(k), _stable(v)) for k, v in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_stable(item)) for item in value)
    if isinstance(value, (list, tuple)):
        return [_stable(item) for item in value]
    return value


def _stamp(path: Path | str, lines: list[str]) -> int:
    """Append the file's line to `lines`; return its mtime."""
    try:
        stat = os.stat(path)
    except OSError:
        lines.append(f"{path}\0missing\n")
        return 0
    lines.append(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0{stat.st_ino}\n")
    return stat.st_mtime_ns


def _walk(folder: Path | str, lines: list[str], stamps: dict[str, Stamp | None] | None = None,
          above: frozenset[tuple[int, int]] = frozenset(), skip: str = "") -> int:
    """Append a line per file under `folder` (hidden folders skipped, as lint skips them) and
    return the newest mtime. `stamps` gets each file's stamp (None when it cannot be read, as a
    broken link) in `articles.discover`'s order (a folder's files, then its subfolders), so that
    loading need neither walk the folder again nor stat its files.

    A link to a folder is followed (a linked image still counts), but not into a folder it is
    already inside (`above`): a link to a parent is no endless loop. Its files get no stamp:
    discovery reads no article through a folder link. Folders named `skip` are left out too
    (kb's own `__pycache__`).
    """
    try:
        here = os.stat(folder)
        if (here.st_dev, here.st_ino) in above:
            return 0
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return 0
    above |= {(here.st_dev, here.st_ino)}
    newest = 0
    folders: list[tuple[str, bool]] = []
    for entry in entries:
        try:
            if entry.is_dir():
                if not entry.name.startswith(".") and entry.name != skip:
                    folders.append((entry.path, entry.is_symlink()))
                continue
            stat = entry.stat()
        except OSError:  # a broken link: an unreadable article if named .md
            lines.append(f"{entry.path}\0missing\n")
            if stamps is not None:
                stamps[entry.path] = None
            continue
        newest = max(newest, stat.st_mtime_ns)
        lines.append(f"{entry.path}\0{stat.st_mtime_ns}\0{stat.st_size}\0{stat.st_ino}\n")
        if stamps is not None:
            stamps[entry.path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    for path, linked in folders:
        newest = max(newest, _walk(path, lines, None if linked else stamps, above, skip))
    return newest


class LintMemo:
    """The findings of the last lint run, reused while `lint_key` is unchanged.

    Rows are plain tuples in `marshal` format: loading 10,000 findings takes milliseconds, where
    re-running the rules over a cached knowledge base takes seconds.
    """

    def __init__(self, config: Config, key: str) -> None:
        self.file = config.root / ".kb" / "cache" / "lint-results.marshal"
        self.key = key
        self.rows: list[tuple] | None = None
        self.files = 0
        try:
            with open(self.file, "rb") as handle:
                stored_key, files, rows = marshal.loads(handle.read())
            if stored_key == key and isinstance(files, int) and isinstance(rows, list) and all(_is_row(row) for row in rows):
                self.rows, self.files = rows, files
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def save(self, rows: list[tuple], files: int) -> None:
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.file, marshal.dumps((self.key, files, rows)), sync=False)
        except OSError:
            pass

    def forget(self) -> None:
        try:
            self.file.unlink()
        except OSError:
            pass


_SEVERITIES = frozenset(int(severity) for severity in Severity)


def _is_row(row: object) -> bool:
    """A finding as LintMemo.save writes it: (path, line, column, code, name, message, severity)."""
    return (isinstance(row, tuple) and len(row) == 7 and isinstance(row[0], str) and isinstance(row[1], int)
            and isinstance(row[2], int) and all(isinstance(part, str) for part in row[3:6]) and row[6] in _SEVERITIES)
