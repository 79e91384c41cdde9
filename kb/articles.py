"""Article: one Markdown file of the knowledge base, with its front matter normalised.

Reading never raises for a user mistake: every problem becomes a `Problem` on the article (or on a
stand-in article for a file that could not be read), so the rest of the run goes on.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from kb import frontmatter, markdown, public_text
from kb.config import Config, Owner
from kb.durations import Duration, parse_duration
from kb.frontmatter import Problem

AUDIENCES = ("public", "internal")
# Other names MkDocs publishes as pages. kb reads only `.md`; these are found so lint can say so.
OTHER_MARKDOWN = (".markdown", ".mdown", ".mkdn", ".mkd")
STATUSES = ("draft", "published", "archived")
BINARY_SNIFF = 8192
ISO_FORMAT = "%Y-%m-%d"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only, unlike \d
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)  # one never closed runs to the end of the value
# NUL, escape and the like (not tab or newline); C1 controls (cp1252 text read as Latin-1); and the
# bidirectional overrides that turn the rest of a line around in a terminal table or a listing
# ("Refund \u202egnp.exe" shows as "Refund exe.png").
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # a byte of a file name that is not UTF-8, as os.listdir gives it


@dataclass
class Article:
    """One file. Values are normalised; a value that was invalid is None and has a Problem."""

    path: Path  # the file as found under the docs folder (not resolved through symlinks)
    rel: str  # posix path relative to the docs folder, e.g. "payments/qris.id.md"
    id: str  # shared by an article and its translations
    lang: str
    title: str | None = None
    type: str | None = None
    owner: str | None = None
    reviewed: date | None = None
    review_every: Duration | None = None  # as set on the article; see freshness.interval
    audience: str = "internal"
    status: str = "published"
    superseded_by: str | None = None
    tags: tuple[str, ...] = ()
    product: str | None = None
    summary: str | None = None
    related: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()  # rule codes or names opted out in front matter (`kb_ignore`)
    meta: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    scan: markdown.Scan | None = None
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True  # False when the file could not be read or parsed at all

    @property
    def is_public(self) -> bool:
        return self.audience == "public"

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def is_translation(self) -> bool:
        return self.rel.endswith(f".{self.lang}.md")

    @property
    def folder(self) -> str:
        return self.rel.rpartition("/")[0]

    def line_of(self, name: str, config: Config | None = None) -> int:
        """The line of a front-matter field (by our name, mapped through config), else line 1."""
        key = config.key(name) if config else name
        return self.key_lines.get(key, 1)

    def public_body(self) -> str:
        """The body without internal blocks, raw HTML boxes with class `internal` and HTML
        comments: what a customer may read."""
        blocks = self.scan.internal_blocks if self.scan else ()
        boxes = self.scan.internal_html if self.scan else ()
        return public_text.strip_html_comments(public_text.strip_internal_blocks(self.body, blocks, self.body_line, boxes))


def page_folder(article: Article, config: Config) -> str:
    """The docs-relative folder a browser reads the article's relative addresses from: with
    `use_directory_urls` (MkDocs' default) `guides/a.md` is the page `guides/a/`, one folder deeper
    than its file (an index page is its folder's address); translations as their source."""
    stem = split_lang(article.rel, config.languages)[0] if config.layout == "suffix" else article.rel[:-3]
    folder, _, name = stem.rpartition("/")
    return stem if config.directory_urls and name not in ("index", "README") else folder


def split_lang(rel: str, languages: tuple[str, ...], layout: str = "suffix") -> tuple[str, str | None]:
    """`payments/qris.id.md` -> (`payments/qris`, `id`); no configured suffix -> (stem, None).

    With the folder layout, `id/payments/qris.md` -> (`payments/qris`, `id`).
    """
    stem = rel[:-3] if rel.endswith(".md") else rel
    if layout == "folder":
        first, slash, rest = stem.partition("/")
        return (rest, first) if slash and first in languages else (stem, None)
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in languages and "/" not in suffix:
        return base, suffix
    return stem, None


def discover(config: Config, paths: tuple[Path, ...] = ()) -> list[Path]:
    """Markdown files under the docs folder (or under `paths`), sorted, hidden folders skipped."""
    roots = [p.resolve() if not p.is_symlink() else p.absolute() for p in paths] or [config.docs_dir]
    found: list[Path] = []
    for root in roots:
        if root.suffix == ".md" and (root.is_file() or root.is_symlink()):
            found.append(root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            base = Path(folder)  # `base / name` parses only the name: a third faster than Path(folder, name)
            found.extend(base / name for name in sorted(files) if _is_article_name(name))
    return _included(list(dict.fromkeys(found)), config)


def discovered_in(listing: Iterable[str], config: Config) -> list[Path]:
    """`discover(config)` from the paths of every file under the docs folder, listed in its order
    (cache.lint_key walks the folder once for both)."""
    return _included([Path(path) for path in listing if _is_article_name(os.path.basename(path))], config)


def _is_article_name(name: str) -> bool:
    return name.endswith((".md", *OTHER_MARKDOWN)) and not name.startswith(".")


def _included(found: list[Path], config: Config) -> list[Path]:
    return [path for path in found if not is_excluded(relative(path, config), config)] if config.exclude else found


def is_excluded(rel: str, config: Config) -> bool:
    """Whether `exclude:` in config leaves the docs-relative file `rel` out of the articles (in the
    folder layout, patterns match inside each language folder too: `includes/**` is `id/includes/...`)."""
    names = (rel, rel.partition("/")[2]) if config.layout == "folder" else (rel,)
    return any(fnmatch.fnmatch(name, pattern) for name in names for pattern in config.exclude)


def relative(path: Path, config: Config) -> str:
    """Docs-relative posix path; falls back to the absolute path for files outside it."""
    # The common case by string prefix: pathlib's relative_to was ~5% of a cold lint.
    text, docs = str(path), str(config.docs_dir)
    if os.sep == "/" and text.startswith(docs + "/") and docs.startswith("/") and docs != "/" and "/." not in text:
        return text[len(docs) + 1:]
    try:
        return path.absolute().relative_to(config.docs_dir).as_posix()
    except ValueError:
        return path.absolute().as_posix()


def read_article(path: Path, config: Config) -> Article:
    """Read and normalise one file; never raises for the file's content."""
    rel = relative(path, config)
    article_id, lang = split_lang(rel, config.languages, config.layout)
    article = Article(path=path, rel=rel, id=article_id, lang=lang or config.default_lang)
    byte = _NOT_UTF8.search(rel)
    if byte:  # no page, search entry or JSON report can carry the name
        article.problems.append(Problem("unreadable-file", 1, 1, f"the file name is not valid UTF-8 (byte "
                                        f"0x{ord(byte.group()) - 0xdc00:02x}); rename the file, it is not read"))
        article.readable = False
        return article
    if path.suffix != ".md":
        article.problems.append(Problem("other-markdown-extension", 1, 1, f"MkDocs publishes this file as a page, but kb "
                                        f"reads only .md files, so nothing in it is checked; rename it to {path.stem}.md"))
        article.readable = False
        return article
    text = _read_text(path, config, article)
    if text is None:
        article.readable = False
        return article
    matter, body, body_line, problems = frontmatter.parse(text)
    article.problems.extend(problems)
    article.body, article.body_line = body, body_line
    article.meta, article.key_lines = matter.data, matter.key_lines
    for key, line in matter.duplicate_keys:
        article.problems.append(Problem("duplicate-key", line, 1, f"'{key}' is set twice in the front matter; the last value wins"))
    for key, line, tag in matter.tagged:
        article.problems.append(Problem("wrong-field-type", line, 1, f"'{key}' is written with the YAML tag '{tag}', which MkDocs cannot read (it drops the whole front matter); remove the tag"))
    if problems:
        article.readable = False
    else:
        _normalise(article, matter.data, config, lang, frozenset(key for key, _, _ in matter.tagged))
    article.scan = markdown.scan(body, body_line, config.anchor_slug(), config.attr_list)
    return article


def _read_text(path: Path, config: Config, article: Article) -> str | None:
    def fail(rule: str, message: str, line: int = 1, column: int = 1) -> None:
        article.problems.append(Problem(rule, line, column, message))

    # One lstat for the link check and the size, and an unbuffered read: pathlib's is_symlink,
    # stat and read_bytes were a fifth of reading 10,000 files (bench/lint_bench.py).
    try:
        info: os.stat_result | None = os.lstat(path)
    except OSError:
        info = None  # path.stat() below says why
    is_link = info is not None and stat.S_ISLNK(info.st_mode)
    if is_link:
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a link loop: Python 3.11 raises RuntimeError
            fail("unreadable-file", "symbolic link loops back on itself; it is not read")
            return None
        if not target.is_relative_to(config.docs_dir):
            fail("unreadable-file", f"symbolic link points outside the content folder (to {target}); it is not read")
            return None
    try:
        found = info if info is not None and not is_link else path.stat()
        if not stat.S_ISREG(found.st_mode):  # a FIFO would block the read forever, a device never end
            fail("unreadable-file", "not a regular file (a pipe, socket or device named .md); it is not read")
            return None
        size = found.st_size
        if size > config.max_file_kb * 1024:
            fail("unreadable-file", f"file is {size // 1024:,} KB, over the {config.max_file_kb:,} KB limit (max_file_kb); split it or raise the limit")
            return None
        with open(path, "rb", buffering=0) as handle:
            data = handle.readall()
    except OSError as error:
        fail("unreadable-file", f"cannot read the file: {error.strerror or error}")
        return None
    if not data.strip():
        fail("empty-file", "the file is empty; write the article or delete the file")
        return None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (b"\0" in data[:BINARY_SNIFF] and _looks_utf16(data[:BINARY_SNIFF])):
        fail("unreadable-file", "the file is UTF-16 encoded (Windows Notepad's \"Unicode\"); re-save it as UTF-8")
        return None
    if b"\0" in data[:BINARY_SNIFF]:
        fail("unreadable-file", "this is a binary file, not Markdown text; remove it or rename it")
        return None
    nul = data.find(b"\0")
    if nul >= 0:  # text with a stray NUL further in: MkDocs and search would carry it along
        line = data.count(b"\n", 0, nul) + 1
        fail("unreadable-file", "the file holds a NUL byte (\\0); remove it", line, nul - (data.rfind(b"\n", 0, nul) + 1) + 1)
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        fail("byte-order-mark", "the file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM")
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        fail("unreadable-file", f"not valid UTF-8 (byte 0x{data[error.start]:02x}); re-save the file as UTF-8", line, column)
        return None
    if "\r" in text:
        crlf_line = text.count("\n", 0, text.index("\r")) + 1
        kind = "Windows (CRLF)" if "\r\n" in text else "carriage-return (CR)"
        fail("crlf-line-endings", f"the file has {kind} line endings; save it with LF line endings", crlf_line)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _looks_utf16(head: bytes) -> bool:
    """Text in UTF-16 without a byte order mark: every other byte is NUL (ASCII-range text)."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (even.count(0) == len(even) or odd.count(0) == len(odd))


def _normalise(article: Article, meta: dict[str, Any], config: Config, explicit_lang: str | None,
               tagged: frozenset[str] = frozenset()) -> None:
    """Fill the article's fields from `meta`, recording a Problem for each bad value. Keys in
    `tagged` hold values written with a foreign YAML tag (already reported): they count as absent."""
    def line(name: str) -> int:
        return meta_lines.get(config.key(name), 1)

    def problem(rule: str, name: str, message: str) -> None:
        article.problems.append(Problem(rule, line(name), 1, message))

    fields, defaults, mappings = config.fields, config.defaults, config.values  # looked up 15 times an article

    def value(name: str) -> Any:
        key = fields.get(name, name)
        if key in tagged:
            return None
        raw = meta.get(key, defaults.get(name))
        mapping = mappings.get(name)
        return mapping.get(raw, raw) if mapping and isinstance(raw, str) else raw

    def text(name: str) -> str | None:
        raw = value(name)
        if raw is None or raw == "":
            return None
        if isinstance(raw, str):
            control = CONTROL.search(raw) if not raw.isprintable() else None
            if control:
                problem("wrong-field-type", name, f"'{config.key(name)}' holds a control character ({control.group()!r}); remove it")
                raw = CONTROL.sub("", raw)
            if "<!--" in raw and name in ("title", "summary"):  # an author's note: never shown, in no view
                raw = _COMMENT.sub("", raw)
            raw = raw.strip()
            if "\n" in raw and name != "summary":  # a `|` block or a quoted "\n": tables and titles break
                problem("wrong-field-type", name, f"'{config.key(name)}' must be one line; join its lines")
                raw = " ".join(raw.split())
            return raw or None
        problem("wrong-field-type", name, f"'{config.key(name)}' must be text, got {_describe(raw)}; put it in quotes")
        return None

    def words(name: str) -> tuple[str, ...]:
        raw = value(name)
        if raw is None:
            return ()
        if isinstance(raw, str):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        if isinstance(raw, list):
            try:
                return tuple(map(str.strip, raw))  # the usual list of texts, without a check per item
            except TypeError:  # a number, true/false or null among them
                pass
            bad = next(((index, item) for index, item in enumerate(raw, 1)
                        if not isinstance(item, (str, int, float)) or isinstance(item, bool)), None)
            if bad is None:
                return tuple(str(item).strip() for item in raw)
            what = "empty (null)" if bad[1] is None else _describe(bad[1])
            problem("wrong-field-type", name, f"'{config.key(name)}' must be a list of words; item {bad[0]} is {what}")
            return ()
        problem("wrong-field-type", name, f"'{config.key(name)}' must be a list of words, got {_describe(raw)}")
        return ()

    def unknown_value(name: str, allowed: tuple[str, ...] | list[str]) -> None:
        """What the file says (before `values:` mapped it), what kb expects, and how to map it."""
        key = config.key(name)
        written = meta.get(key, config.defaults.get(name))
        message = f"'{key}' is '{written}', expected one of: {', '.join(allowed)}"
        close = difflib.get_close_matches(str(written).lower(), allowed, n=1, cutoff=0.75)
        if close:
            message += f"; did you mean '{close[0]}'?"
        elif key != name and name not in config.values:  # a team's own field: their words, likely
            message += f"; map their values to ours in config: values: {{{name}: {{{written}: {allowed[0]}}}}}"
        elif name in config.values:
            message += f"; add it to the mapping in config: values.{name}: {{{written}: {allowed[0]}}}"
        problem("unknown-field-value", name, message)

    def choice(name: str, allowed: tuple[str, ...], default: str, invalid: str) -> str:
        """The value, `default` when absent, `invalid` when it is not one of `allowed` (or not
        text): a typo must not publish an article (`status: Draft` is a draft, not published)."""
        present = meta.get(fields.get(name, name), defaults.get(name)) not in (None, "")
        raw = text(name)
        if raw is None:
            return invalid if present else default
        if raw not in allowed:
            unknown_value(name, allowed)
            return invalid
        return raw

    meta_lines = article.key_lines
    article.title = text("title")
    article.type = text("type")
    if article.type is not None and article.type not in config.types:
        unknown_value("type", list(config.types))
    article.audience = choice("audience", AUDIENCES, "internal", "internal")
    article.status = choice("status", STATUSES, "published", "draft")
    article.owner = text("owner")
    article.superseded_by = text("superseded_by")
    article.product = text("product")
    article.summary = text("summary")
    article.tags = words("tags")
    article.related = words("related")
    article.ignore = words("kb_ignore")
    custom_id = text("id")
    if custom_id and custom_id.strip("/"):
        article.id = custom_id.strip("/")
    lang = text("lang")
    if lang and not explicit_lang:
        article.lang = lang
    article.reviewed = parse_date(value("reviewed"), config, lambda message: problem("invalid-date", "reviewed", message))
    raw_every = value("review_every")
    if raw_every is not None:
        try:
            article.review_every = parse_duration(raw_every)
        except ValueError as error:
            problem("wrong-field-type", "review_every", f"'{config.key('review_every')}': {error}")


def parse_date(raw: Any, config: Config, fail: Callable[[str], None]) -> date | None:
    """A date in one of `date_formats`; otherwise `fail(reason)` is called and None returned."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, date) and not isinstance(raw, datetime):  # an explicit `!!timestamp 2024-05-01`
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        fail(f"'{config.key('reviewed')}' must be a date such as {_format_example(config.date_formats[0])}, got {_describe(raw)}")
        return None
    reason = _date_in(raw.strip(), config.date_formats)
    if isinstance(reason, date):
        return reason
    expected = " or ".join(_format_example(fmt) for fmt in config.date_formats)
    if "out of range" in reason or "day is" in reason:
        fail(f"'{raw}' is not a real date ({reason}); expected {expected}")
    else:
        fail(f"'{raw}' is not a date; expected {expected}")
    return None


@functools.lru_cache(maxsize=4096)
def _date_in(text: str, formats: tuple[str, ...]) -> date | str:
    """The date `text` is in the first of `formats` that reads it, else the last format's reason.

    Cached: a knowledge base repeats the same review dates many times over.
    """
    reason = ""
    for fmt in formats:
        if fmt == ISO_FORMAT and _ISO_DATE.fullmatch(text):
            # strptime is ~10x slower; for exactly YYYY-MM-DD both agree, and an invalid date
            # falls through to strptime's message.
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError as error:
            reason = str(error)
    return reason


def _format_example(fmt: str) -> str:
    return fmt.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD").replace("%y", "YY")


def _describe(value: Any) -> str:
    """What a wrong value is, in YAML's words rather than Python's."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (bytes, bytearray)):
        return "binary data (!!binary)"
    if isinstance(value, (date, datetime)):
        return f"a YAML timestamp ({value.isoformat()}); write the date alone"
    if isinstance(value, (set, frozenset)):
        return "a set (!!set)"
    return f"a {type(value).__name__} value"


def owner_of(article: Article, config: Config) -> Owner | None:
    return config.owners.get(article.owner or "")
