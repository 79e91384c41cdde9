"""The leak guard: does any file of a public site hold something internal?

Checked in every file under the site folder (HTML, search index, sitemap and its .gz, 404 page,
tag pages, assets), with gzip files unpacked:

- the text of internal articles and of internal blocks (runs of 8 words, or a whole passage when it
  is shorter), and internal article titles (2 words or more);
- internal article ids as link targets (`support-team/escalation/`, resolved against the page);
- owners' names and e-mail addresses from the roster;
- files byte-identical to an asset that only internal articles use.

Phrases that also occur in what the public site is *meant* to show (the staged public source) are
not leaks and are dropped, except owners' names and addresses, which must never appear.
Matching is on lower-cased words, so markup, entities and JSON escapes do not hide a leak.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from kb.knowledge import KnowledgeBase
from kb.site.stage import Stage, selected

SHINGLE = 8  # words in a run of internal text that counts as a leak
MIN_WORDS = 3  # shorter internal passages are not distinctive enough to check
MAX_PER_FILE = 5
TEXT_EXTENSIONS = {".html", ".htm", ".xml", ".json", ".js", ".css", ".txt", ".svg", ".map", ".md", ".csv"}

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
_ATTR = re.compile(r"""\b(?:alt|title|content|aria-label|value|placeholder|data-[\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_PATHISH = re.compile(r"[\w\-.~%/:]*/[\w\-.~%/:]*|[\w\-.~%]+\.(?:md|html)")
_MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_SCHEME_HOST = re.compile(r"^[a-zA-Z][\w+.-]*://[^/]*")


@dataclass(frozen=True)
class Leak:
    """One internal thing found in one output file."""

    path: Path
    what: str  # e.g. "text of internal article"
    found: str  # the words or value found
    source: str  # where it comes from: an article's path, an owner's handle, an asset

    def describe(self) -> str:
        return f"{self.path}: {self.what} {self.source} found: \"{self.found}\""


@dataclass
class Needles:
    """Everything that must not appear on the public site, prepared for fast matching."""

    shingles: dict[int, tuple[str, str]] = field(default_factory=dict)  # hash of 8 words -> (what, source)
    phrases: dict[str, list[tuple[tuple[str, ...], str, str, bool]]] = field(default_factory=dict)  # first word -> [(words, what, source, always)]
    ids: dict[str, str] = field(default_factory=dict)  # article id -> its path
    emails: dict[str, str] = field(default_factory=dict)  # lower-cased address -> owner handle
    hashes: dict[str, str] = field(default_factory=dict)  # sha256 of an internal-only asset -> its path
    languages: tuple[str, ...] = ()

    def add_text(self, text: str, what: str, source: str) -> None:
        words = tokens(_MD_LINK_TARGET.sub("]", text))
        if len(words) >= SHINGLE:
            for index in range(len(words) - SHINGLE + 1):
                self.shingles.setdefault(hash(tuple(words[index:index + SHINGLE])), (what, source))
        elif len(words) >= MIN_WORDS:
            self.add_phrase(words, what, source)

    def add_phrase(self, words: list[str], what: str, source: str, always: bool = False) -> None:
        if words:
            self.phrases.setdefault(words[0], []).append((tuple(words), what, source, always))


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def needles_for(kb: KnowledgeBase, public: Stage) -> Needles:
    """What must stay off the public site, given what was staged for it."""
    config = kb.config
    needles = Needles(languages=tuple(lang for lang in config.languages if lang != config.default_lang))
    public_ids = set(public.entries)
    for owner in config.owners.values():
        if owner.name:
            needles.add_phrase(tokens(owner.name), "owner's name", f"'{owner.handle}'", always=True)
        if owner.email:
            needles.emails[owner.email.lower()] = owner.handle
    for article in kb.articles:
        if not article.readable:
            continue
        for block in (article.scan.internal_blocks if article.scan else ()):
            needles.add_text(block.text, "internal block of", article.rel)
        if selected(article, "public", False) or (article.is_public and article.status == "archived"):
            continue  # public text (an archived public article was public once: no secret)
        if article.id not in public_ids:
            needles.ids[article.id] = article.rel
        if article.title and len(tokens(article.title)) >= 2:
            needles.add_phrase(tokens(article.title), "title of internal article", article.rel)
        needles.add_text(article.body, "text of internal article", article.rel)
        if article.summary:
            needles.add_text(article.summary, "summary of internal article", article.rel)
    public_assets = set(public.assets)
    public_hashes = {_sha256(config.docs_dir / rel) for rel in public_assets}
    for folder, dirs, files in os.walk(config.docs_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(folder, name)
            rel = path.relative_to(config.docs_dir).as_posix()
            if name.endswith(".md") or rel in public_assets:
                continue
            digest = _sha256(path)
            if digest not in public_hashes:
                needles.hashes[digest] = rel
    _drop_public(needles, (data.decode("utf-8", "replace") for data in public.files.values()))
    return needles


def _drop_public(needles: Needles, texts: Iterable[str]) -> None:
    """Forget phrases that the public source itself contains: showing them is intended."""
    for text in texts:
        words = tokens(_MD_LINK_TARGET.sub("]", text))
        for what, source, key, _ in _matches(needles, words):
            if key is None:
                continue
            if isinstance(key, int):
                needles.shingles.pop(key, None)
            else:
                first = key[0]
                needles.phrases[first] = [p for p in needles.phrases.get(first, []) if p[0] != key or p[3]]


def _matches(needles: Needles, words: list[str]) -> Iterator[tuple[str, str, int | tuple[str, ...] | None, str]]:
    """(what, source, key, words found) for each needle in `words`; key is None for must-never-appear ones."""
    shingles, phrases = needles.shingles, needles.phrases
    count = len(words)
    for index in range(count):
        if shingles and index + SHINGLE <= count:
            key = hash(tuple(words[index:index + SHINGLE]))
            hit = shingles.get(key)
            if hit:
                yield hit[0], hit[1], key, " ".join(words[index:index + SHINGLE])
        candidates = phrases.get(words[index])
        if candidates:
            for phrase, what, source, always in candidates:
                if tuple(words[index:index + len(phrase)]) == phrase:
                    yield what, source, (None if always else phrase), " ".join(phrase)


def check_site(site_dir: Path, needles: Needles) -> list[Leak]:
    """Every leak in every file under `site_dir` (gzip files unpacked)."""
    leaks: list[Leak] = []
    seen_lines: set[int] = set()
    for folder, dirs, files in os.walk(site_dir):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            data = path.read_bytes()
            rel = path.relative_to(site_dir).as_posix()
            if name.endswith(".gz"):
                try:
                    data = gzip.decompress(data)
                except (OSError, EOFError):
                    pass
                rel = rel[:-3]
            leaks.extend(check_file(path, rel, data, needles, seen_lines))
    return leaks


def check_file(path: Path, rel: str, data: bytes, needles: Needles, seen_lines: set[int] | None = None) -> list[Leak]:
    """Leaks in one file's content; `rel` is its URL path in the site (for resolving links)."""
    found: dict[tuple[str, str], Leak] = {}

    def add(what: str, text: str, source: str) -> None:
        if len(found) < MAX_PER_FILE:
            found.setdefault((what, source), Leak(path, what, text, source))

    digest = hashlib.sha256(data).hexdigest()
    if digest in needles.hashes:
        add("copy of internal-only file", rel, needles.hashes[digest])
    if posixpath.splitext(rel)[1].lower() not in TEXT_EXTENSIONS:
        lowered = data.lower()
        for email, handle in needles.emails.items():
            if email.encode() in lowered:
                add("owner's e-mail address", email, f"'{handle}'")
        return list(found.values())
    raw = data.decode("utf-8", "replace")
    text = _readable(raw, rel)
    lowered = text.lower()
    for email, handle in needles.emails.items():
        if email in lowered:
            add("owner's e-mail address", email, f"'{handle}'")
    if needles.ids:
        for target in _link_targets(raw, rel, needles.languages):
            if target in needles.ids:
                add("link to internal article", target, needles.ids[target])
    lines = text.split("\n")
    if seen_lines is not None and rel.endswith((".html", ".htm")):
        kept = []
        for line in lines:  # theme chrome repeats on every page: check each distinct line once
            key = hash(line)
            if key in seen_lines:
                kept.append("")
                continue
            seen_lines.add(key)
            kept.append(line)
        lines = kept
    words: list[str] = []
    for line in lines:
        words.extend(_WORD.findall(line.lower()) if line else ("\0",))
    for what, source, _, text in _matches(needles, words):
        add(what, text, source)
    return list(found.values())


def _readable(raw: str, rel: str) -> str:
    """The text a reader or a search engine gets from a file: markup removed, entities and escapes decoded."""
    if rel.endswith(".json"):
        try:
            raw = "\n".join(_strings(json.loads(raw)))
        except ValueError:
            pass
    attributes = "\n".join(a or b for a, b in _ATTR.findall(raw))
    return html.unescape(_TAG.sub(" ", raw)) + "\n" + html.unescape(attributes)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _link_targets(raw: str, rel: str, languages: tuple[str, ...]) -> Iterator[str]:
    """Docs paths that URLs in the file point at, resolved against the file and site root."""
    here = posixpath.dirname(rel)
    for token in set(_PATHISH.findall(raw)):
        token = _SCHEME_HOST.sub("", token).split("#")[0]
        if not token:
            continue
        bases = [token.lstrip("/")] if token.startswith("/") else [posixpath.join(here, token), token]
        for base in bases:
            path = posixpath.normpath(base).lstrip("./")
            path = re.sub(r"(/index)?\.(html|md)$", "", path).strip("/")
            yield path
            for lang in languages:
                if path.startswith(lang + "/"):
                    yield path[len(lang) + 1:]
            if path.endswith(tuple(f".{lang}" for lang in languages)):
                yield path.rpartition(".")[0]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
