"""The leak guard: does any file of a public site hold something internal?

Checked in every file under the site folder (HTML, search index, sitemap and its .gz, 404 page,
tag pages, assets), with gzip files unpacked:

- the text of internal articles and of internal blocks (runs of 8 words, or a whole passage when it
  is shorter), and internal article titles (2 words or more);
- internal article ids as link targets (`support-team/escalation/`, resolved against the page);
- owners' names and e-mail addresses from the roster (addresses also inside attributes, e.g. mailto:);
- files byte-identical to an asset that only internal articles use.

Phrases that also occur in what the public site is *meant* to show (the staged public source, and
the theme's own words) are not leaks and are dropped, except owners' names and addresses, which
must never appear.
Matching is on lower-cased words, so markup, entities and JSON escapes do not hide a leak; the
text of HTML comments is read too (the page's source is public).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import multiprocessing
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from kb import code_regions, markdown
from kb.config import Config, read_mkdocs
from kb.knowledge import KnowledgeBase
from kb.site.stage import Stage, selected

SHINGLE = 8  # words in a run of internal text that counts as a leak
STEP = 4  # output text is probed every STEP words: any leaked run of SHINGLE + STEP - 1 words is hit
PHRASE_BELOW = SHINGLE + STEP - 1  # shorter passages are matched whole, at every word
MIN_WORDS = 3  # shorter internal passages are not distinctive enough to check
MAX_PER_FILE = 5
TEXT_EXTENSIONS = {".html", ".htm", ".xml", ".json", ".js", ".css", ".txt", ".svg", ".map", ".md", ".csv"}

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
# Block-level tags end a run of words (a heading and the paragraph under it are not one sentence).
_BLOCK_TAG = re.compile(r"</?(?:p|li|h[1-6]|td|th|tr|div|br|dt|dd|ul|ol|table|section|article|nav|header|footer|title|option|label|figcaption|details|summary|blockquote|pre)\b[^>]*>", re.I)
# Attribute values (alt, title, meta content, href...): a literal first character keeps these regexes fast.
_ATTR = re.compile(r"""="([^"]*)"|='([^']*)'""")
# Where a page names another page: link and image attributes, the search index's locations, sitemap entries.
_URL_JSON = re.compile(r'"location":\s*"([^"]*)"')
_URL_XML = re.compile(r"<loc>\s*([^<\s]+)")
_BREAK = " zzkbskippedlinezz "  # stands for a skipped line: no run of words continues across it
_MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
# Paragraph breaks of Markdown: blank lines, headings, list items, table rows, admonition markers.
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*(?:#|[-*+] |\d+[.)] |\||!!!|\?\?\?))")
# URLs and paths in text (whole tokens holding a "/"): their slugs are not prose. The look-behind
# anchors a match at a token's start; without it every position inside a token was tried (quadratic).
_URL_TEXT = re.compile(r"(?<!\S)[^\s/]*/\S*")
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
    _tails: tuple[int, frozenset[str]] = field(default=(-1, frozenset()), repr=False)

    def id_tails(self) -> frozenset[str]:
        """The last path segment of every internal id: a URL ending otherwise cannot point at one."""
        if self._tails[0] != len(self.ids):
            self._tails = (len(self.ids), frozenset(article_id.rpartition("/")[2] for article_id in self.ids))
        return self._tails[1]

    def add_text(self, text: str, what: str, source: str) -> None:
        """Runs of words of a passage, paragraph by paragraph (a run across a heading or list item
        would match unrelated public text that happens to follow the same words)."""
        for paragraph in _PARAGRAPH.split(_MD_LINK_TARGET.sub("]", text)):
            words = tokens(paragraph)
            if len(words) >= PHRASE_BELOW:  # every run of SHINGLE words, hashed in C; the first source wins
                shingles = self.shingles
                for key in map(hash, zip(*(words[k:] for k in range(SHINGLE)))):
                    if key not in shingles:
                        shingles[key] = (what, source)
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
            if name.endswith(".md") and rel not in kb.by_rel:
                _add_included(needles, path, rel)
            if name.endswith(".md") or rel in public_assets:
                continue
            digest = _sha256(path)
            if digest not in public_hashes:
                needles.hashes[digest] = rel
    for base in _snippet_folders(config):
        for path in _text_files(base, skip=config.docs_dir):
            _add_included(needles, path, os.path.relpath(path, config.root))
    _drop_public(needles, (data.decode("utf-8", "replace") for data in public.files.values()))
    _drop_public(needles, [theme_text()])
    return needles


def _add_included(needles: Needles, path: Path, rel: str) -> None:
    """Internal blocks and HTML comments of a file that is not an article (excluded, or outside the
    docs folder): a snippet that pymdownx.snippets may pull into a public page after staging,
    where kb cannot strip it."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    for block in markdown.scan(text).internal_blocks:
        needles.add_text(block.text, "internal block of included file", rel)
    lines = text.split("\n")
    for start, end in code_regions.html_comments(text, lines, code_regions.surely_fenced_lines(lines)) if "<!--" in text else ():
        needles.add_text(text[start + 4:end], "HTML comment of included file", rel)


def _snippet_folders(config: Config) -> list[Path]:
    """The folders pymdownx.snippets reads (`base_path`, by default the project's folder) when
    mkdocs.yml enables it."""
    if config.config_file is None:
        return []
    extensions = read_mkdocs(config.config_file).get("markdown_extensions") or []
    entries = extensions.items() if isinstance(extensions, dict) else (
        next(iter(entry.items())) if isinstance(entry, dict) and entry else (entry, None) for entry in extensions)
    for name, options in entries:
        if name == "pymdownx.snippets":
            base = (options or {}).get("base_path", ".") if isinstance(options, dict) else "."
            return [config.path(str(folder)) for folder in (base if isinstance(base, list) else [base])]
    return []


def _text_files(folder: Path, skip: Path) -> Iterator[Path]:
    """Markdown and text files under `folder` (or `folder` itself, a file), hidden folders and
    `skip` left out."""
    if folder.is_file():
        yield folder
        return
    if folder == skip or skip in folder.parents:
        return  # the docs folder: read with the articles
    for parent, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and Path(parent, d) != skip]
        yield from (Path(parent, name) for name in files if name.endswith((".md", ".markdown", ".txt")))


def _drop_public(needles: Needles, texts: Iterable[str]) -> None:
    """Forget phrases that the public source itself contains: showing them is intended."""
    for text in texts:
        words = tokens(_MD_LINK_TARGET.sub("]", text))
        if needles.shingles:  # every run of SHINGLE words, hashed in C (zip of shifted lists)
            for key in needles.shingles.keys() & set(map(hash, zip(*(words[k:] for k in range(SHINGLE))))):
                del needles.shingles[key]
        shown = {key for _, _, key, _ in _phrase_matches(needles, words) if key is not None}
        for first in {key[0] for key in shown}:
            needles.phrases[first] = [p for p in needles.phrases[first] if p[0] not in shown or p[3]]


def _matches(needles: Needles, words: list[str], step: int = STEP) -> Iterator[tuple[str, str, int | tuple[str, ...] | None, str]]:
    """(what, source, key, words found) for each needle in `words`; key is None for must-never-appear ones.

    Long internal texts are stored as every run of SHINGLE words, so probing the output every `step`
    words still hits any leaked run of SHINGLE + step - 1 words; shorter passages are phrases,
    matched at every word.
    """
    shingles = needles.shingles
    if shingles and len(words) >= SHINGLE:
        # The probe at word index i is words[i:i + SHINGLE] for i = 0, step, 2 * step...: built and
        # hashed in C by zipping SHINGLE strided slices; Python only looks at a file that has a hit.
        probes = zip(*(words[k::step] for k in range(SHINGLE)))
        if not shingles.keys().isdisjoint(map(hash, probes)):
            for index in range(0, len(words) - SHINGLE + 1, step):
                key = hash(tuple(words[index:index + SHINGLE]))
                hit = shingles.get(key)
                if hit:
                    yield hit[0], hit[1], key, " ".join(words[index:index + SHINGLE])
    yield from _phrase_matches(needles, words)


def _phrase_matches(needles: Needles, words: list[str]) -> Iterator[tuple[str, str, tuple[str, ...] | None, str]]:
    phrases = needles.phrases
    firsts = phrases.keys() & set(words) if phrases else ()
    if firsts:
        for index in [i for i, word in enumerate(words) if word in firsts]:
            for phrase, what, source, always in phrases[words[index]]:
                if tuple(words[index:index + len(phrase)]) == phrase:
                    yield what, source, (None if always else phrase), " ".join(phrase)


def check_site(site_dir: Path, needles: Needles, workers: int | None = None) -> list[Leak]:
    """Every leak in every file under `site_dir` (gzip files unpacked), on all cores for big sites."""
    paths = sorted(Path(folder, name) for folder, _, files in os.walk(site_dir) for name in files)
    workers = workers or min(os.cpu_count() or 1, 4)
    theme_files()  # hashed once, before any fork
    if workers < 2 or len(paths) < 400 or "fork" not in multiprocessing.get_all_start_methods():
        return _check_paths(site_dir, paths, needles)
    global _FORKED
    _FORKED = needles  # inherited by the forked workers instead of pickled
    chunks = [paths[index::workers] for index in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.starmap(_check_forked, [(site_dir, chunk) for chunk in chunks])
    _FORKED = None
    return sorted((leak for result in results for leak in result), key=lambda leak: str(leak.path))


_FORKED: Needles | None = None


def _check_forked(site_dir: Path, paths: list[Path]) -> list[Leak]:
    assert _FORKED is not None
    return _check_paths(site_dir, paths, _FORKED)


def _check_paths(site_dir: Path, paths: list[Path], needles: Needles) -> list[Leak]:
    leaks: list[Leak] = []
    seen_lines: set[int] = set()
    for path in paths:
        data = path.read_bytes()
        rel = path.relative_to(site_dir).as_posix()
        if path.name.endswith(".gz"):
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
    if digest in theme_files():
        return list(found.values())  # a byte-exact copy of one of the theme's own files
    if posixpath.splitext(rel)[1].lower() not in TEXT_EXTENSIONS:
        lowered = data.lower()
        for email, handle in needles.emails.items():
            if email.encode() in lowered:
                add("owner's e-mail address", email, f"'{handle}'")
        return list(found.values())
    raw = data.decode("utf-8", "replace")
    raw_lowered = raw.lower()
    for email, handle in needles.emails.items():
        if email in raw_lowered:  # also in attributes (mailto: links), which the readable text leaves out
            add("owner's e-mail address", email, f"'{handle}'")
    if needles.ids:
        for target in _link_targets(raw, rel, needles.languages, needles.id_tails()):
            if target in needles.ids:
                add("link to internal article", target, needles.ids[target])
    if seen_lines is not None and rel.endswith((".html", ".htm")):
        # Theme chrome repeats on every page: each distinct line of markup is read once per worker,
        # before the regexes run (links were resolved above on the whole page: they depend on it).
        kept = []
        for line in raw.split("\n"):
            key = hash(line)
            if key in seen_lines:
                kept.append(_BREAK)
                continue
            seen_lines.add(key)
            kept.append(line)
        raw = "\n".join(kept)
    text = _readable(raw, rel).lower()
    for email, handle in needles.emails.items():
        if email in text:  # written with entities or escapes
            add("owner's e-mail address", email, f"'{handle}'")
    words = _WORD.findall(text)
    for what, source, _, text in _matches(needles, words):
        add(what, text, source)
    return list(found.values())


def _readable(raw: str, rel: str) -> str:
    """The text a reader or a search engine gets from a file: markup removed, entities and escapes decoded."""
    if rel.endswith(".json"):
        try:
            raw = _BREAK.join(_strings(json.loads(raw)))
        except ValueError:
            pass
    attributes = "\n".join(value for a, b in _ATTR.findall(raw) if " " in (value := a or b) and "/" not in value)
    comments = _BREAK.join(_COMMENT.findall(raw)) if "<!--" in raw else ""  # in the page's source: read too
    text = _TAG.sub(" ", _BLOCK_TAG.sub(_BREAK, raw))
    return _URL_TEXT.sub(" ", html.unescape(text) + _BREAK + html.unescape(attributes) + _BREAK + comments)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _link_targets(raw: str, rel: str, languages: tuple[str, ...], tails: frozenset[str] | None = None) -> Iterator[str]:
    """Docs paths that URLs in the file point at, resolved against the file and site root.

    With `tails` (see Needles.id_tails), only URLs whose last segment could name one of them are
    resolved; a URL ending in ".", ".." or "index" is always resolved (its target depends on the page).
    """
    here = posixpath.dirname(rel)
    values = [a or b for a, b in _ATTR.findall(raw)] + _URL_JSON.findall(raw) + _URL_XML.findall(raw)
    for value in set(values):
        if " " in value or ("/" not in value and "." not in value):
            continue
        token = _SCHEME_HOST.sub("", html.unescape(value)).split("#")[0].split("?")[0]
        if not token:
            continue
        if tails is not None:
            tail = _PAGE_SUFFIX.sub("", token.rstrip("/")).rpartition("/")[2]
            if tail not in _ALWAYS_RESOLVED and tail not in tails and tail.rpartition(".")[0] not in tails:
                continue
        bases = [token.lstrip("/")] if token.startswith("/") else [posixpath.join(here, token), token]
        if token.endswith(".md") and rel.endswith("/index.html"):  # a source link MkDocs left as written:
            bases.append(posixpath.join(posixpath.dirname(here), token))  # from the page's file, not its folder
        for base in bases:
            path = posixpath.normpath(base).lstrip("./")
            path = _PAGE_SUFFIX.sub("", path).strip("/")
            yield path
            for lang in languages:
                if path.startswith(lang + "/"):
                    yield path[len(lang) + 1:]
            if path.endswith(tuple(f".{lang}" for lang in languages)):
                yield path.rpartition(".")[0]


_PAGE_SUFFIX = re.compile(r"(/index)?\.(html|md)$")
_ALWAYS_RESOLVED = frozenset({"", ".", "..", "index"})


@functools.cache
def theme_files() -> frozenset[str]:
    """sha256 of every file the installed mkdocs-material ships (its scripts and styles are copied as is)."""
    try:
        import material
    except ImportError:
        return frozenset()
    folder = Path(material.__file__).parent / "templates" / "assets"
    return frozenset(_sha256(path) for path in folder.rglob("*") if path.is_file())


@functools.cache
def theme_text() -> str:
    """The text Material's templates and kb's overrides put on the pages (the interface in every
    language, the 404 page's "404 - Not found"): an internal passage that is only these words is
    the site's own furniture, not a leak (an internal article's `## 404 Not Found` failed builds)."""
    import kb_mkdocs

    folders = [Path(kb_mkdocs.__file__).parent / "overrides"]
    try:
        import material

        folders.append(Path(material.__file__).parent / "templates")
    except ImportError:
        pass
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for folder in folders
                     for path in sorted(folder.rglob("*.html")) if "assets" not in path.relative_to(folder).parts)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
