"""The knowledge base as a whole: every article, looked up by path, id and language.

Search, the sites and lint all start from `load()`, so they agree on what an article is.
"""

from __future__ import annotations

import gc
import marshal
import os
import posixpath
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator, NamedTuple

from kb import cache, forked, records
from kb.articles import Article, discover, discovered_in, page_folder, read_article, split_lang
from kb.config import Config
from kb.markdown import Link
from kb.records import Record

OK, MISSING, OUTSIDE, EXTERNAL = "ok", "missing", "outside", "external"


class LinkTarget(NamedTuple):  # a named tuple: built for every distinct link, 3x faster than a frozen dataclass
    """Where a link leads: an article, another file in the docs folder, or nowhere."""

    status: str  # ok | missing | outside | external
    rel: str = ""  # docs-relative path the link points at (for missing ones too)
    article: Article | None = None


@dataclass
class KnowledgeBase:
    config: Config
    articles: list[Article]
    by_rel: dict[str, Article] = field(default_factory=dict)
    by_key: dict[tuple[str, str], Article] = field(default_factory=dict)  # (id, lang)
    by_id: dict[str, list[Article]] = field(default_factory=dict)
    # Several link rules resolve the same links: (folder, lang, target) -> LinkTarget.
    _resolved: dict[tuple[str, str, str], LinkTarget] = field(default_factory=dict, repr=False)
    # Five link rules walk each article's links: rel -> ((link, target), ...), see resolved_links.
    _links_of: dict[str, tuple[tuple[Link, LinkTarget], ...]] = field(default_factory=dict, repr=False)
    _anchors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _listings: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)  # folder -> names, see lookalike
    # The parse cache when `load(defer_save=True)` left saving it to the caller.
    unsaved_cache: cache.ArticleCache | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for article in self.articles:
            self.by_rel[article.rel] = article
            if article.readable:
                self.by_key.setdefault((article.id, article.lang), article)
                self.by_id.setdefault(article.id, []).append(article)

    def get(self, article_id: str, lang: str | None = None) -> Article | None:
        """The article with this id in `lang`, else in the default language, else any."""
        for candidate in (lang, self.config.default_lang):
            if candidate and (article_id, candidate) in self.by_key:
                return self.by_key[(article_id, candidate)]
        versions = self.by_id.get(article_id)
        return versions[0] if versions else None

    def replacement(self, article: Article) -> Article | None:
        """The first article down `superseded_by` that is not archived, if it is published; None at
        a draft, a dead end or a loop."""
        seen = {article.id}
        current = article
        while current.status == "archived":
            found = self.get(current.superseded_by, article.lang) if current.superseded_by else None
            if found is None or found.id in seen:
                return None
            seen.add(found.id)
            current = found
        return current if current.status == "published" else None

    def source_of(self, article: Article) -> Article | None:
        """The default-language article this one translates, if it is a translation."""
        if article.lang == self.config.default_lang:
            return None
        return self.by_key.get((article.id, self.config.default_lang))

    def resolve(self, article: Article, link: Link) -> LinkTarget:
        """Resolve a link as MkDocs would, preferring the linking article's language version."""
        if not link.target:
            return LinkTarget(OK, article.rel, article)
        key = (article.folder, article.lang, link.target)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(article, link)
        return found

    def resolved_links(self, article: Article) -> tuple[tuple[Link, LinkTarget], ...]:
        """Each link of an article of this knowledge base with where it leads, worked out once.

        The link rules each walk every link; resolving them once per article rather than once
        per rule was about a fifth of the rules' time on 10,000 articles (bench/lint_bench.py).
        """
        found = self._links_of.get(article.rel)
        if found is None:
            links = article.scan.links if article.scan else ()
            found = self._links_of[article.rel] = tuple((link, self.resolve(article, link)) for link in links)
        return found

    def lookalike(self, rel: str) -> str | None:
        """The docs-relative path of an existing file whose name differs from `rel` only in letter
        case or in how its accents are encoded (NFC `é` or NFD `e` + U+0301): the same name on macOS
        and Windows, not on the site's server."""
        found = ""
        for part in rel.split("/"):
            match = self._listing(found).get(_fold(part))
            if match is None:
                return None
            found = f"{found}/{match}" if found else match
        return found if found != rel else None

    def _listing(self, folder: str) -> dict[str, str]:
        """The names in a docs folder by their folded form (the first in sorted order of equal ones)."""
        names = self._listings.get(folder)
        if names is None:
            try:
                listed = sorted(os.listdir(self.config.docs_dir / folder))
            except OSError:  # not a folder, or unreadable
                listed = []
            names = self._listings[folder] = {}
            for name in listed:
                names.setdefault(_fold(name), name)
        return names

    def page_at_root(self, path: str, lang: str) -> Article | None:
        """The article whose page is at the docs-relative address `path` (`payments/refunds`,
        `payments` for its index page), in `lang` if it has one."""
        path = path.partition("?")[0].partition("#")[0].strip("/")
        for base in (path, f"{path}/index", f"{path}/README") if path else ("index", "README"):
            for rel in (self.config.localized(base, lang), self.config.localized(base, self.config.default_lang)):
                if rel in self.by_rel:
                    return self.by_rel[rel]
        return None

    def page_at(self, article: Article, address: str) -> Article | None:
        """The article whose page a relative site address in `article` names (`../other/` from
        `guides/a.md` with directory URLs: `guides/other.md`), in the article's language if it has one."""
        address = address.partition("?")[0]
        last = address.rstrip("/").rpartition("/")[2]
        from_root = address.startswith("/")
        if (not address or (from_root and not self.config.root_links_to_docs) or address.startswith("//")
                or ":" in address or ("." in last and last not in (".", ".."))):
            return None  # a file (`x.png`, `x.md`) or another site, not a page's address
        folder = "" if from_root else page_folder(article, self.config)  # `/x/`: from the docs root (relative_to_docs)
        path = posixpath.normpath(posixpath.join(folder, address.lstrip("/"))).strip("/")
        if path.startswith(".."):
            return None
        return self.page_at_root("" if path == "." else path, article.lang)

    def anchors(self, article: Article) -> frozenset[str]:
        """The heading anchors of an article of this knowledge base (cached: many links share a target)."""
        found = self._anchors.get(article.rel)
        if found is None:
            headings = article.scan.headings if article.scan else ()
            found = self._anchors[article.rel] = frozenset(heading.anchor for heading in headings)
        return found

    def _resolve(self, article: Article, link: Link) -> LinkTarget:
        if link.external:
            return LinkTarget(EXTERNAL)
        if link.target.startswith("/"):
            if not self.config.root_links_to_docs:
                return LinkTarget(EXTERNAL)  # from the web server's root: MkDocs leaves it as written
            # MkDocs's relative_to_docs: `/a/../b.md` is the docs folder's `b.md`; a link that names
            # no file (`/payments/`) it leaves as written, warning that it is not found.
            joined = posixpath.normpath(link.target).lstrip("/")
            return self._in_docs(article, joined, files_only=True)
        joined = _joined(article.folder, link.target)  # the scan dropped any `?query`, as MkDocs does
        if joined == ".." or joined.startswith("../") or posixpath.isabs(joined):
            return LinkTarget(OUTSIDE, joined)
        return self._in_docs(article, joined)

    def _in_docs(self, article: Article, joined: str, files_only: bool = False) -> LinkTarget:
        """Where a normalised docs-relative path leads, preferring `article`'s language version."""
        if joined.endswith(".md"):
            base, _ = split_lang(joined, self.config.languages, self.config.layout)
            for rel in (self.config.localized(base, article.lang), joined):
                found = self.by_rel.get(rel)
                if found is not None:
                    return LinkTarget(OK, rel, found)
            if joined == self.config.localized(base, self.config.default_lang) and base in self.by_id:
                only = self.get(base, article.lang)  # written in other languages only: the site has its page
                if only is not None:
                    return LinkTarget(OK, only.rel, only)
            # A Markdown file that is not an article (excluded, e.g. an include) still exists.
            return LinkTarget(OK if path_exists(self.config.docs_dir / joined, file=True) else MISSING, joined)
        return LinkTarget(OK if joined and path_exists(self.config.docs_dir / joined, file=files_only) else MISSING, joined)


def _fold(rel: str) -> str:
    return unicodedata.normalize("NFC", rel).casefold()


def path_exists(path: Path, file: bool = False) -> bool:
    """`path.is_file()` or `path.exists()`, False for a name the system refuses (too long, ...)
    instead of an OSError: a typo in one link must not stop the whole run."""
    try:
        return path.is_file() if file else path.exists()
    except (OSError, ValueError):  # ENAMETOOLONG; ValueError: a NUL in the name
        return False


def _joined(folder: str, target: str) -> str:
    """`posixpath.normpath(posixpath.join(folder, target))`, without the general case's cost for
    the usual `name.md` and `../folder/name.md` (a third of resolving links)."""
    rest = target[3:] if target.startswith("../") and folder and "/" not in folder else target
    if rest and rest[0] not in "./" and rest[-1] != "/" and "//" not in rest and "/." not in rest and not folder.startswith("."):
        return rest if rest is not target else f"{folder}/{target}" if folder else target
    return posixpath.normpath(posixpath.join(folder, target))


def load(config: Config, paths: tuple[Path, ...] = (), use_cache: bool | None = None,
         defer_save: bool = False, stamps: dict[str, cache.Stamp | None] | None = None) -> KnowledgeBase:
    """Read every article under the docs folder (or only `paths`).

    With the cache on (the default for lint), unchanged files are not parsed again and their
    bodies are not kept: call `articles.read_article` for the full text. With `defer_save`, the
    updated cache is not written but left in `unsaved_cache` (lint saves it alongside its rules).
    `stamps` are the (mtime, size, inode) of every file under the docs folder, in discovery's
    order, already read by the caller (cache.lint_key).
    """
    with paused_gc():
        kb = _load(config, paths, config.cache if use_cache is None else use_cache, stamps)
    if kb.unsaved_cache is not None and not defer_save:
        kb.unsaved_cache.save()
        kb.unsaved_cache = None
    return kb


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block, nor later over what it built.

    Reading builds tens of objects per article and no reference cycles: the collector's repeated
    passes over them cost about a quarter of a cold lint of 10,000 articles, and the first pass
    after the block another 0.1 s (bench/lint_bench.py). So the objects alive at the end are
    frozen (left out of future collections; they are still freed when no longer referenced).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def _load(config: Config, paths: tuple[Path, ...], use_cache: bool, stamps: dict[str, cache.Stamp | None] | None) -> KnowledgeBase:
    files = discovered_in(stamps, config) if stamps is not None and not paths else discover(config, paths)
    stamps = stamps or {}
    if not use_cache:
        return KnowledgeBase(config, [read_article(path, config) for path in files])
    store = cache.ArticleCache(config)
    articles: list[Article | None] = []
    unparsed: list[tuple[int, Path, cache.Stamp | None]] = []
    for path in files:
        stamp = stamps.get(str(path))
        if stamp is None:
            try:
                stat = os.stat(path)
                stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            except OSError:
                stamp = None
        article = store.get(path, stamp)
        if article is None:
            unparsed.append((len(articles), path, stamp))
        articles.append(article)
    for (index, path, stamp), (article, record) in zip(unparsed, _read_all([path for _, path, _ in unparsed], config)):
        if stamp is not None:
            store.put(path, stamp, record or records.to_record(article))
        articles[index] = article
    return KnowledgeBase(config, articles, unsaved_cache=store)  # type: ignore[arg-type]  # every slot is filled


PARALLEL_FROM = 2000  # files to parse; below this a second process costs more than it saves
CHUNK = 200  # files per job of the worker


def _read_all(paths: list[Path], config: Config) -> list[tuple[Article, Record | None]]:
    """`read_article` for each path, with its record when one was made on the way.

    With many paths a forked worker parses a share alongside: a cold lint of 10,000 articles
    spends most of its time parsing, which is one file at a time and CPU-bound, and on two cores
    a second process takes about half of it (bench/lint_bench.py). Both take chunks as they go
    (forked.Shared). The worker replies with records (kb.records), which also go into the cache as
    they are; the articles of both come without bodies (the caller keeps none with the cache on).
    Chunks the worker took but did not return (it failed) are parsed here.
    """
    if len(paths) < PARALLEL_FROM or not forked.worthwhile():
        return [(read_article(path, config), None) for path in paths]
    size = max(CHUNK, -(-len(paths) // forked.Tickets.MOST))
    chunks = [paths[start:start + size] for start in range(0, len(paths), size)]

    def here(chunk: list[Path]) -> list[tuple[Article, Record | None]]:
        return [(_without_body(read_article(path, config)), None) for path in chunk]

    try:
        worker = forked.Shared(len(chunks), lambda index: _worker_read(chunks[index], config))
    except OSError:  # no file descriptor left for a pipe
        return [(read_article(path, config), None) for path in paths]
    results: list[list[tuple[Article, Record | None]] | None] = [None] * len(chunks)
    with worker:
        for index in worker.taken():
            results[index] = here(chunks[index])
        replies_of = worker.results()[1]
    for index, data in replies_of.items():
        try:
            replies = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            continue
        results[index] = [(records.from_record(path, record), record) if record is not None else here([path])[0]
                          for path, record in zip(chunks[index], replies)]
    return [pair for chunk, result in zip(chunks, results) for pair in (result if result is not None else here(chunk))]


def _worker_read(paths: list[Path], config: Config) -> bytes:
    """Records of the articles at `paths`, marshalled (None for one marshal cannot write)."""
    return records.dumps([records.to_record(read_article(path, config)) for path in paths])


def _without_body(article: Article) -> Article:
    article.body = ""
    return article


def today_from_env(value: str | None = None) -> date:
    """`--today` or `KB_TODAY` (YYYY-MM-DD), else the real date."""
    value = value or os.environ.get("KB_TODAY")
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        from kb.exceptions import KbError

        what = "not a real date" if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else "not a date"  # 2023-02-29
        raise KbError(f"--today / KB_TODAY: '{value}' is {what}; expected YYYY-MM-DD") from None
