"""`kb index`: keep the search index in step with content/, incrementally, safely.

Layout of the index folder (`search.index_dir`, default `.kb/index/`):

    LOCK            flock()ed by the one run that writes; others wait or give up with a message
    CURRENT         the name of the live index folder; replaced atomically (temp file + rename)
    ix-<token>/     a Whoosh index plus `manifest.json` (file stamps and content hashes)

A full build writes a new `ix-<token>/` and switches CURRENT only once it is complete, so a run
killed midway leaves the previous index live. An incremental update commits into the live folder
through Whoosh's own commit, which writes the new segment and then renames its table of contents
into place: readers see the index before or after, never between. Updates delete by key and add, so
replaying one after a crash (the manifest is written after the commit) is harmless.

Whoosh is imported only when something has to be written: `kb index` with nothing changed, and the
check that `kb search` runs first, cost a walk of the content folder and no more.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from kb import __version__
from kb.atomic import atomic_write_bytes
from kb.exceptions import SearchIndexError

if TYPE_CHECKING:
    from kb.articles import Article
    from kb.config import Config

MANIFEST = "manifest.json"
KEEP_OLD = 1  # previous index folders kept for readers that opened them just before a switch
Progress = Callable[[int, int], None]  # (done, total)


class IndexLocked(SearchIndexError):
    """Another run holds the index lock and the wait ran out."""


@dataclass
class IndexReport:
    """What one run of `kb index` did."""

    folder: Path
    rebuilt: bool = False
    reason: str = ""  # why a full build happened
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unreadable files, not indexed (see kb lint)
    total: int = 0  # documents in the index afterwards
    seconds: float = 0.0
    waited: bool = False

    @property
    def touched(self) -> bool:
        return self.rebuilt or bool(self.added or self.changed or self.removed)


# --- locations ----------------------------------------------------------------------------


def index_root(config: Config) -> Path:
    return config.path(config.search.index_dir)


def live_folder(root: Path) -> Path | None:
    """The live index folder named by CURRENT, or None if there is no index yet."""
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = root / name
    return folder if name and folder.is_dir() else None


def fingerprint(config: Config) -> str:
    """What decides how articles are indexed: a change forces a full rebuild."""
    from kb.search import engine

    types = sorted((t.name, str(t.review_every), str(t.built_in_every)) for t in config.types.values())
    settings = [
        engine.SCHEMA_VERSION, __version__, str(config.docs_dir), list(config.languages), config.default_lang, config.layout,
        config.search.indonesian_stemmer, str(config.review_every), types,
        sorted((k, str(v)) for k, v in config.folders.items()), sorted(config.fields.items()),
        list(config.date_formats), list(config.exclude), config.max_file_kb,
    ]
    return hashlib.sha256(json.dumps(settings, default=str).encode()).hexdigest()[:16]


# --- the lock -----------------------------------------------------------------------------


class IndexLock:
    """An exclusive flock on `<index_dir>/LOCK`; released by the kernel if the holder dies."""

    def __init__(self, root: Path) -> None:
        self.path = root / "LOCK"
        self.fd: int | None = None

    def holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip() or "unknown"
        except OSError:
            return "unknown"

    def acquire(self, wait: float | None, on_wait: Callable[[str], None] | None = None) -> bool:
        """Take the lock; waits up to `wait` seconds (None: forever). Returns whether it waited."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:  # `.kb` is a file, a read-only checkout...
            raise SearchIndexError(f"{self.path.parent}: cannot create the search index folder: {error.strerror or error}; "
                                   "check that it is a writable folder, or set search.index_dir") from None
        waited = False
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise SearchIndexError(f"{self.path}: cannot lock the search index: {error.strerror}") from None
            if not waited and on_wait:
                on_wait(self.holder())
            waited = True
            if deadline is not None and time.monotonic() >= deadline:
                os.close(fd)
                raise IndexLocked(
                    f"{self.path}: another kb index run ({self.holder()}) is updating the search index; "
                    "try again when it has finished (or pass --wait SECONDS)")
            time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}".encode())
        self.fd = fd
        return waited

    def release(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


# --- documents ----------------------------------------------------------------------------


def document(article: Article, config: Config, digest: str) -> dict[str, Any]:
    """The fields of one article as indexed (plain values; the engine maps them to Whoosh)."""
    from kb.freshness import freshness
    from kb.search.analysis import plain_text, weighted

    scan = article.scan
    internal_lines = {n for b in (scan.internal_blocks if scan else ()) for n in range(b.start, b.end + 1)}
    headings = [h.text for h in (scan.headings if scan else ()) if h.text and h.line not in internal_lines]
    internal = "\n".join(plain_text(b.text) for b in (scan.internal_blocks if scan else ()))
    fresh = freshness(article, config, date.today())
    body = plain_text(article.public_body())
    meta = "\n".join((*headings, article.summary or "", *article.tags, article.product or "")).replace("-", " ")
    title = article.title or (headings[0] if headings else article.id.rpartition("/")[2].replace("-", " "))
    return {
        "key": article.rel,
        "id": article.id,
        "title": title,
        "text": weighted((4.0, title), (2.0, meta), (1.0, body)),
        "internal": internal,
        "summary": article.summary or "",
        "body": body,
        "internal_text": internal,
        "tags": ",".join(t.lower() for t in article.tags),
        "type": article.type or "",
        "product": article.product or "",
        "owner": article.owner or "",
        "audience": article.audience,
        "status": article.status,
        "lang": article.lang,
        "reviewed": article.reviewed.isoformat() if article.reviewed else "",
        "due": fresh.due.isoformat() if fresh.due else "",
        "hash": digest,
    }


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


@dataclass
class _Scan:
    """The content folder compared with the manifest."""

    files: dict[str, list[Any]]  # rel -> [mtime_ns, size, ino, digest]
    changed: dict[str, Path]  # rel -> path, content differs (or new)
    removed: list[str]
    stamps_moved: bool  # some stamps changed without a content change


def _walk(config: Config) -> Iterator[tuple[str, str, os.DirEntry[str]]]:
    """(docs-relative path, path, entry) of each article file, as `kb.articles.discover` finds them.

    One `os.scandir` walk with no Path objects: this runs before every `kb search`, and with
    pathlib it was most of a search process on 10,000 articles.
    """
    from kb.articles import is_excluded

    exclude = config.exclude
    stack = [(str(config.docs_dir), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.is_symlink():  # like os.walk: symlinked folders are not followed
                    stack.append((entry.path, f"{prefix}{name}/"))
            elif name.endswith(".md"):
                rel = prefix + name
                if not exclude or not is_excluded(rel, config):
                    yield rel, entry.path, entry


def _scan(config: Config, old: dict[str, list[Any]]) -> _Scan:
    files: dict[str, list[Any]] = {}
    changed: dict[str, Path] = {}
    moved = False
    for rel, name, entry in _walk(config):
        try:
            st = entry.stat()
        except OSError:
            continue
        stamp = [st.st_mtime_ns, st.st_size, st.st_ino]
        before = old.get(rel)
        if before and before[:3] == stamp:
            files[rel] = before
            continue
        path = Path(name)
        try:
            digest = _digest(path.read_bytes())
        except OSError:
            digest = "unreadable"
        files[rel] = [*stamp, digest]
        if before and before[3] == digest:
            moved = True
        else:
            changed[rel] = path
    removed = sorted(set(old) - set(files))
    return _Scan(files, changed, removed, moved)


def _read_manifest(folder: Path | None, want: str) -> tuple[dict[str, list[Any]] | None, str]:
    if folder is None:
        return None, "no index yet"
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, "the index has no readable manifest"
    if data.get("fingerprint") != want:
        return None, "the config or kb's index format changed"
    return data.get("files") or {}, ""


def _write_manifest(folder: Path, fp: str, files: dict[str, list[Any]]) -> None:
    data = {"fingerprint": fp, "written": time.time(), "files": files}
    atomic_write_bytes(folder / MANIFEST, json.dumps(data, separators=(",", ":")).encode())


def _make_doc(config: Config, job: tuple[str, str, str]) -> dict[str, Any] | None:
    """The document for one (rel, path, digest) job, or None when the file is unreadable."""
    from kb.articles import read_article

    article = read_article(Path(job[1]), config)
    return document(article, config, job[2]) if article.readable else None


def _documents(config: Config, items: list[tuple[str, Path]], files: dict[str, list[Any]],
               report: IndexReport, tick: Callable[[], None] | None = None) -> Iterator[dict[str, Any]]:
    from kb.articles import read_article

    for rel, path in items:
        article = read_article(path, config)
        if tick:
            tick()
        if not article.readable:
            report.skipped.append(rel)
            continue
        yield document(article, config, files[rel][3])


# --- the runs -----------------------------------------------------------------------------


def update_index(config: Config, rebuild: bool = False, wait: float | None = 60.0,
                 on_wait: Callable[[str], None] | None = None, progress: Progress | None = None,
                 procs: int | None = None) -> IndexReport:
    """Bring the index up to date with the content folder: incrementally, or in full when needed."""
    started = time.perf_counter()
    root = index_root(config)
    fp = fingerprint(config)
    lock = IndexLock(root)
    waited = lock.acquire(wait, on_wait)
    try:
        folder = live_folder(root)
        old, reason = (None, "--rebuild") if rebuild else _read_manifest(folder, fp)
        if old is None or folder is None:
            report = _full_build(config, root, fp, reason, progress, procs)
        else:
            report = _incremental(config, folder, fp, old, progress)
        _clean(root)
    finally:
        lock.release()
    report.waited = waited
    report.seconds = time.perf_counter() - started
    return report


def _full_build(config: Config, root: Path, fp: str, reason: str, progress: Progress | None,
                procs: int | None) -> IndexReport:
    from kb.search import engine

    scan = _scan(config, {})
    folder = root / f"ix-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    report = IndexReport(folder, rebuilt=True, reason=reason, added=sorted(scan.changed))
    items = sorted(scan.changed.items())
    total = len(items)
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress and (done[0] % 50 == 0 or done[0] == total):
            progress(done[0], total)

    if procs is None:
        procs = min(os.cpu_count() or 1, 4) if total >= 1000 else 1
    schema = engine.schema(config.languages, config.search.indonesian_stemmer)
    jobs = [(rel, str(path), scan.files[rel][3]) for rel, path in items]
    try:
        count, report.skipped = engine.build(folder, schema, jobs, functools.partial(_make_doc, config),
                                             procs=procs, on_doc=tick)
        for rel in report.skipped:
            scan.files[rel][3] = "skipped"
        _write_manifest(folder, fp, scan.files)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _fsync_dir(folder)
    atomic_write_bytes(root / "CURRENT", folder.name.encode())
    _fsync_dir(root)
    report.total = count
    return report


def _incremental(config: Config, folder: Path, fp: str, old: dict[str, list[Any]],
                 progress: Progress | None) -> IndexReport:
    scan = _scan(config, old)
    report = IndexReport(folder, added=sorted(set(scan.changed) - set(old)),
                         changed=sorted(set(scan.changed) & set(old)), removed=scan.removed)
    if not scan.changed and not scan.removed:
        if scan.stamps_moved:
            _write_manifest(folder, fp, scan.files)
        report.total = _count(scan.files)
        return report
    from kb.search import engine

    items = sorted(scan.changed.items())
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress and len(items) >= 200 and (done[0] % 50 == 0 or done[0] == len(items)):
            progress(done[0], len(items))

    docs = list(_documents(config, items, scan.files, report, tick))
    engine.update(folder, [*scan.changed, *scan.removed], docs)
    for rel in report.skipped:
        scan.files[rel][3] = "skipped"
    _write_manifest(folder, fp, scan.files)
    report.total = _count(scan.files)
    return report


def _count(files: dict[str, list[Any]]) -> int:
    return sum(1 for v in files.values() if v[3] not in ("skipped", "unreadable"))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _clean(root: Path) -> None:
    """Remove unfinished builds and all but the newest KEEP_OLD superseded index folders."""
    live = live_folder(root)
    others = sorted((p for p in root.glob("ix-*") if p.is_dir() and p != live), key=lambda p: p.name)
    for old in others[:-KEEP_OLD] if KEEP_OLD else others:
        shutil.rmtree(old, ignore_errors=True)


def ensure_index(config: Config, on_wait: Callable[[str], None] | None = None,
                 progress: Progress | None = None) -> tuple[Path, IndexReport | None]:
    """The live index folder, built or updated first if needed (what `kb search` calls).

    If another run holds the lock, searching goes on with the index as it is.
    """
    root = index_root(config)
    try:
        report = update_index(config, wait=0 if live_folder(root) else None, on_wait=None, progress=progress)
    except IndexLocked:
        folder = live_folder(root)
        if folder is None:
            raise
        return folder, None
    folder = live_folder(root)
    if folder is None:
        raise SearchIndexError(f"{root}: the search index could not be built")
    return folder, report
