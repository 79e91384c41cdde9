"""Writing articles: `new_article` starts one from its type, `verify` marks articles reviewed.

`verify` edits the file as bytes, not as parsed YAML: only the value of the `reviewed` key changes
(or one line is added), so comments, quoting, key order, CRLF line endings and a byte order mark all
survive. Every write goes through `atomic_write_bytes`, so a crash leaves the old file or the new one.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Sequence

import yaml

from kb import yamlload
from kb.articles import AUDIENCES, CONTROL, parse_date
from kb.atomic import ChangedMeanwhile, atomic_write_bytes, create_exclusive
from kb.exceptions import KbError
from kb.markdown import slugify
from kb.site.addresses import RESERVED

if TYPE_CHECKING:
    from kb.config import Config
    from kb.knowledge import KnowledgeBase

BOM = b"\xef\xbb\xbf"
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")

# Guidance written under each heading of a new article; a short prompt, not lorem ipsum, so the
# article reads as unfinished to a reviewer but lint sees a real section.
GUIDANCE: dict[str, dict[str, str]] = {
    "en": {
        "Symptoms": "What the customer sees or reports, with the exact error messages.",
        "Cause": "Why it happens.",
        "Resolution": "What the agent or the customer does to fix it.",
        "Steps": "What to do, one action per step.",
        "": "Write the article here.",
    },
    "id": {
        "Symptoms": "Apa yang dilihat atau dilaporkan pelanggan, dengan pesan galat yang persis.",
        "Cause": "Mengapa ini terjadi.",
        "Resolution": "Apa yang dilakukan agen atau pelanggan untuk mengatasinya.",
        "Steps": "Apa yang harus dilakukan, satu tindakan per langkah.",
        "": "Tulis artikel di sini.",
    },
}
STEP_PLACEHOLDER = {"en": ("First step.", "Second step."), "id": ("Langkah pertama.", "Langkah kedua.")}


# --- kb new ---------------------------------------------------------------------------------

# Names Windows keeps for devices, with any extension: a repository holding `con.md` cannot be checked out there.
_WINDOWS_DEVICES = frozenset(["con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10))])
MAX_SLUG = 80  # characters of the file name taken from the title; a name over 255 bytes cannot be created
# Characters a YAML double-quoted scalar cannot hold as they are: not printable in YAML 1.1, or a
# line break (NEL, LS, PS) that would be folded into a space.
_YAML_UNPRINTABLE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def new_article(config: Config, type: str, title: str, audience: str | None = None, owner: str | None = None,
                lang: str | None = None, today: date | None = None, folder: str = "") -> Path:
    """Write a new article from its type and return its path; never overwrites a file.

    The file is `<docs_dir>/<folder>/<slug of title>.md` (`.<lang>.md` for a language other than the
    default), or `<docs_dir>/<lang>/<folder>/<slug>.md` with `layout: folder`. It starts as
    `status: draft` with today's `reviewed`, and holds the type's required sections (named in the
    article's language) with a line of guidance under each.
    """
    if not config.docs_dir.is_dir():
        raise KbError(f"the docs folder {config.docs_dir} does not exist; create it, or set docs_dir in "
                      f"{config.config_file or 'mkdocs.yml'}")
    lang = lang or config.default_lang
    problems = _new_problems(config, type, title, audience, owner, lang)
    slug = file_slug(title)
    if not slug:
        problems.append(f"the title {title!r} gives no file name: the name is made of the title's ASCII letters "
                        "and digits (a-z, 0-9), and it has none; give a title with some (you can change "
                        f"'{config.key('title')}' in the file afterwards)")
    parent = _folder(config, folder, lang, problems)
    if slug and not problems:
        problems += _reserved_name(config, parent, slug) or _unread_folder(config, parent, folder)
    if problems:
        raise KbError("; ".join(problems))
    text = article_text(config, type, title, audience or "internal", owner, lang, today or date.today())
    by_folder = config.layout == "folder"
    name = f"{slug}.md" if by_folder or lang == config.default_lang else f"{slug}.{lang}.md"
    return _create(config, parent, parent / name, text)


def _new_problems(config: Config, type: str, title: str, audience: str | None, owner: str | None,
                  lang: str) -> list[str]:
    problems = []
    if type not in config.types:
        problems.append(f"'{type}' is not a type; expected one of: {', '.join(config.types)}")
    if lang not in config.languages:
        problems.append(f"language '{lang}' is not configured; expected one of: {', '.join(config.languages)}")
    if audience is not None and audience not in AUDIENCES:
        problems.append(f"audience '{audience}' is not one of: {', '.join(AUDIENCES)}")
    if owner and config.owners and owner not in config.owners:
        problems.append(f"owner '{owner}' is not on the roster (plugins.kb.owners); expected one of: {', '.join(config.owners)}")
    for what, value in (("title", title), ("owner", owner or "")):
        kinds = {unicodedata.category(char) for char in value.replace("\t", " ")}
        if "Cs" in kinds:  # a byte that is not UTF-8, smuggled in by surrogateescape
            problems.append(f"the {what} {value!r} is not valid UTF-8 text; type it again in a UTF-8 terminal")
        elif "Cc" in kinds or CONTROL.search(value):  # a bidirectional override too, which lint flags
            problems.append(f"the {what} {value!r} holds a control character such as a line break; "
                            "give it as one line of plain text")
    return problems


def _reserved_name(config: Config, parent: Path, slug: str) -> list[str]:
    """Why `<parent>/<slug>.md` would not work as a new article (empty when it would)."""
    hint = "; give a longer title (you can change 'title' in the file afterwards)"
    if slug in _WINDOWS_DEVICES:
        return [f"'{slug}.md' is a device name on Windows: no file may have it there, so a teammate on Windows "
                f"could not check out the repository{hint}"]
    if slug in ("index", "readme"):
        return [f"'{slug}.md' is the page of its folder on the site (the home page at the top), not an article{hint}"]
    top = f"{(parent / slug).relative_to(config.docs_dir).as_posix()}/".split("/")[0]
    if config.layout == "suffix" and f"{top}/" in RESERVED:
        return [f"the address /{top}/ belongs to the site's generated pages, so the site would leave the article "
                f"out{hint if top == slug else '; choose another --folder'}"]
    return []


def _unread_folder(config: Config, parent: Path, folder: str) -> list[str]:
    """Why kb would never read an article in `parent` (empty when it would): kb new once wrote it there."""
    from kb.articles import is_excluded

    parts = parent.relative_to(config.docs_dir).parts
    skipped = "so kb would neither check nor publish the article; choose another --folder"
    if any(not char.isprintable() for char in folder):
        return [f"folder {folder!r} holds a control character such as a line break; give it as one line of plain text"]
    if any(part.startswith(".") for part in parts):
        return [f"folder '{folder}' is hidden (a name in it starts with '.'), and kb skips hidden folders, {skipped}"]
    if is_excluded("/".join([*parts, "x.md"]), config):
        return [f"folder '{folder}' is left out by 'exclude' in {config.config_file or 'mkdocs.yml'}, {skipped}"]
    return []


def file_slug(title: str) -> str:
    """The file name part from a title: its heading slug (accents dropped), cut at a word near MAX_SLUG."""
    slug = slugify(title).strip("-_")
    if len(slug) <= MAX_SLUG:
        return slug
    cut = slug.rfind("-", 0, MAX_SLUG + 1)
    return slug[:cut] if cut >= MAX_SLUG // 2 else slug[:MAX_SLUG]


def _folder(config: Config, folder: str, lang: str, problems: list[str]) -> Path:
    """`--folder` as a path in the docs folder, or with `layout: folder` in the language's folder there
    (which an absolute path or `..` may not leave)."""
    root = config.docs_dir
    if config.layout == "folder":
        root = config.docs_dir / lang
        first, _, rest = PurePosixPath(folder.strip()).as_posix().partition("/")
        if first in config.languages:
            # Refused rather than guessed: `id/faq` could mean the Indonesian `faq` or a folder `id`.
            instead = f"--folder {rest} --lang {first}" if rest and rest != "." else f"--lang {first} without --folder"
            problems.append(f"folder '{folder}' starts with the language folder '{first}/'; with layout: folder "
                            f"kb new puts the article in its language's folder itself, so give {instead}")
            return root
    try:
        parent = (root / folder.strip()).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        problems.append(f"folder '{folder}' cannot be followed (a symbolic link loop?); choose another --folder")
        return root
    if parent != root and root not in parent.parents:
        problems.append(f"folder '{folder}' must be a folder inside {root}; give it relative to "
                        "that folder, e.g. 'payments'")
    return parent


def _create(config: Config, parent: Path, path: Path, text: str) -> Path:
    """Create `path` (and its folder inside the docs folder) holding `text`; KbError for any failure."""
    shown = path.relative_to(config.docs_dir).as_posix()
    try:
        if path.exists() or path.is_symlink():
            raise FileExistsError
        parent.mkdir(parents=True, exist_ok=True)
        create_exclusive(path, text.encode("utf-8"))
    except FileExistsError:
        if not parent.is_dir():
            raise KbError(f"{parent}: is a file, not a folder; choose another --folder") from None
        raise KbError(f"{path}: already exists; kb new never overwrites an article (choose another title or --folder)") from None
    except NotADirectoryError:
        raise KbError(f"{parent}: part of this folder is a file, not a folder; choose another --folder") from None
    except OSError as error:
        raise KbError(f"cannot write {shown} in {config.docs_dir}: {error.strerror or error}; nothing was written") from None
    return path


def format_date(config: Config, day: date) -> str:
    """`day` in the first of `date_formats`; KbError when that does not read back as `day`."""
    where = f"{config.config_file or 'mkdocs.yml'}: plugins.kb.date_formats"
    if not config.date_formats:
        raise KbError(f"{where} is empty, so kb cannot write a date; list at least one format, e.g. '%Y-%m-%d'")
    fmt = config.date_formats[0]
    value = _written(config, fmt, day)
    if value is None:
        if _written(config, fmt, _ORDINARY_DAY) is not None:  # the format is fine; this date is not
            raise KbError(f"cannot write the date {day.isoformat()}: the date format '{fmt}' makes it "
                          f"'{_strftime(day, fmt)}', which does not read back as that date; give a recent date")
        raise KbError(f"{where}: the first format '{fmt}' writes {day.isoformat()} as '{_strftime(day, fmt)}', "
                      "which does not read back as that date; use %Y, %m and %d, e.g. '%Y-%m-%d'")
    return value


_ORDINARY_DAY = date(2024, 12, 31)  # a date any usable format writes so that it reads back


def _written(config: Config, fmt: str, day: date) -> str | None:
    """`day` in `fmt`, or None when that text does not read back as `day`."""
    value = _strftime(day, fmt)
    return value if value.strip() and parse_date(value, config, lambda message: None) == day else None


def _strftime(day: date, fmt: str) -> str:
    try:
        return day.strftime(fmt)
    except ValueError:
        return ""


def article_text(config: Config, type: str, title: str, audience: str, owner: str | None, lang: str,
                 today: date) -> str:
    """The text of a new article: front matter (keys mapped through `fields:`) and sections."""
    matter = [("title", title), ("type", type), *([("owner", owner)] if owner else []),
              ("reviewed", format_date(config, today)), ("audience", audience), ("status", "draft")]
    lines = ["---"]
    for name, value in matter:
        written = _theirs(config, name, value)
        lines.append(f"{config.key(name)}: {_scalar(written, today if name == 'reviewed' else None)}")
    lines += ["---", ""]
    type_config = config.types[type]
    guidance = GUIDANCE.get(lang, GUIDANCE["en"])
    if not type_config.sections:
        lines += [guidance[""], ""]
    for section in type_config.sections:
        lines += [f"## {config.section_name(section, lang)}", ""]
        if section == type_config.ordered_list_in:
            steps = STEP_PLACEHOLDER.get(lang, STEP_PLACEHOLDER["en"])
            lines += [f"{number}. {step}" for number, step in enumerate(steps, 1)]
        else:
            lines.append(guidance.get(section, GUIDANCE["en"].get(section, guidance[""])))
        lines.append("")
    return "\n".join(lines)


def _theirs(config: Config, name: str, value: str) -> str:
    """Our value in the team's vocabulary (`values:` in config maps theirs to ours, e.g. troubleshooting -> issue)."""
    return next((theirs for theirs, ours in config.values.get(name, {}).items() if ours == value), value)


def _scalar(value: str, as_date: date | None = None) -> str:
    """`value` as YAML that a plain reader (yaml.safe_load, as MkDocs uses) reads back as the same text, or
    as `as_date`: plain when it can be, else a double-quoted string with escapes."""
    try:
        loaded = yaml.safe_load(f"key: {value}")
    except yaml.YAMLError:
        loaded = None
    if loaded == {"key": value} or (as_date is not None and loaded == {"key": as_date}):
        return value
    quoted = json.dumps(value, ensure_ascii=False)  # JSON's string escapes are valid in YAML's double quotes
    return _YAML_UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


# --- kb verify ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """What `verify` did with one target."""

    target: str  # as given: a path or an id (optionally `id@lang`)
    path: Path | None = None
    old: str | None = None  # the previous `reviewed` value as written, None when the key was absent
    new: str | None = None  # the value written (or, when `later`, the one that was not)
    error: str | None = None
    later: bool = False  # `old` is a later date than `new`, so the file was left as it was

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def changed(self) -> bool:
        return self.ok and not self.later and self.old != self.new


def verify(config: Config, targets: Sequence[str | Path], date: date, kb: KnowledgeBase | None = None) -> list[VerifyResult]:
    """Set `reviewed` to `date` in each target (a file path, an id or `id@lang`).

    A target that fails (unknown id, unreadable front matter, a write error) gets a result with an
    `error`; the others are still processed. A file already reviewed after `date` is left as it is
    (`later`): a review date never moves backwards.
    """
    value = format_date(config, date)
    loaded = [kb] if kb is not None else []

    def knowledge_base() -> KnowledgeBase:  # loaded only when a target is an id
        if not loaded:
            from kb import knowledge

            loaded.append(knowledge.load(config))
        return loaded[0]

    results = []
    for target in targets:
        try:
            path = _locate(config, str(target), knowledge_base)
            _check_inside(config, str(target), path)
            old = set_reviewed(path, config, value)
            results.append(VerifyResult(str(target), path, old, value))
        except _LaterReview as later:
            results.append(VerifyResult(str(target), later.path, later.old, value, later=True))
        except _TargetError as error:
            results.append(VerifyResult(str(target), error.path, error=str(error)))
    return results


class _TargetError(Exception):
    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class _LaterReview(Exception):
    """The file's `reviewed` (`old`, as written) is later than the date to write."""

    def __init__(self, path: Path, old: str | None) -> None:
        super().__init__(old)
        self.path, self.old = path, old


def _locate(config: Config, target: str, kb_loader: Callable[[], KnowledgeBase]) -> Path:
    """A target as a file: an existing path as given, else an article id (`id` or `id@lang`)."""
    if not target.strip():
        raise _TargetError(f"'{target}': an empty argument is neither an article file nor an id", Path(target))
    path = Path(target)
    try:
        if path.is_file():
            return path
        if path.is_dir():
            raise _TargetError(f"{target}: is a folder; give article files or ids", path)
        exists = path.exists()
    except OSError as error:
        raise _TargetError(f"{target}: cannot read it: {error.strerror or error}", path) from None
    if target.endswith(".md") or exists:
        in_docs = config.docs_dir / target  # relative to the docs folder, as the reports print paths
        if not exists and not path.is_absolute() and in_docs.is_file():
            return in_docs
        raise _TargetError(f"{target}: no such article file", path)
    article_id, _, lang = target.partition("@")
    kb = kb_loader()
    article_id = article_id.strip("/")
    if lang:
        if lang not in config.languages:
            raise _TargetError(f"{target}: language '{lang}' is not configured ({', '.join(config.languages)})")
        article = kb.by_key.get((article_id, lang))
    else:
        article = kb.get(article_id)
    if article is None:
        hint = " in that language" if lang and kb.get(article_id) else ""
        raise _TargetError(f"{target}: no article with this id{hint}; {_id_hint(kb, article_id)}")
    return article.path


def _id_hint(kb: KnowledgeBase, article_id: str) -> str:
    """What to give instead: the nearest id of this knowledge base, or one of its ids as an example."""
    ids = sorted(kb.by_id)
    close = difflib.get_close_matches(article_id, ids, n=1)
    if close:
        return f"did you mean '{close[0]}'? (or give a path)"
    return f"give a path or an id such as '{ids[0]}'" if ids else "give a path or an id (there are no articles yet)"


def _check_inside(config: Config, target: str, path: Path) -> None:
    """Refuse a file whose real path (symbolic links followed) is outside the docs folder, as lint does."""
    real = path.resolve()
    if real != config.docs_dir and config.docs_dir not in real.parents:
        leads = f"leads to {real}, which is" if str(real) != os.path.abspath(path) else "is"
        raise _TargetError(f"{target}: {leads} outside the docs folder {config.docs_dir}; kb verify only edits "
                           "articles inside it", path)


def set_reviewed(path: Path, config: Config, value: str) -> str | None:
    """Rewrite the `reviewed` value in `path` to `value`; return the old value as written (None if absent).

    Raises _TargetError naming the file when its front matter cannot be read or the write fails, and
    _LaterReview (writing nothing) when the file's date is later than `value`.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _TargetError(f"{path}: cannot read the file: {error.strerror or error}", path) from None
    try:
        new_data, old = replace_reviewed(data, config.key("reviewed"), value)
    except ValueError as error:
        raise _TargetError(f"{path}:{error}", path) from None
    if new_data == data:
        return old
    current, wanted = _read_back(data, config), _as_date(value, config)
    if current is not None and wanted is not None and current > wanted:
        raise _LaterReview(path, old)
    if _read_back(new_data, config) != wanted:
        raise _TargetError(f"{path}: the new '{config.key('reviewed')}' would not read back as a date; "
                           "edit the file by hand", path)
    real = path.resolve()  # write through a symbolic link, never replace the link itself
    try:
        mode = stat.S_IMODE(real.stat().st_mode)
        atomic_write_bytes(real, new_data, mode=mode, unless_changed_from=data)
    except ChangedMeanwhile:
        raise _TargetError(f"{path}: the file changed while kb verify was writing it (saved in an editor?); it was "
                           "left as that save made it: run kb verify again", path) from None
    except OSError as error:
        raise _TargetError(f"{path}: cannot write the file: {error.strerror or error}; it was left unchanged", path) from None
    return old


def replace_reviewed(data: bytes, key: str, value: str) -> tuple[bytes, str | None]:
    """`data` with the top-level `key` of its front matter set to `value`, and the old value.

    Only the value's characters change; when the key is absent, one `key: value` line is added after
    the last front-matter line, with the file's own line ending. Raises ValueError("line: reason")
    when the front matter cannot be read.
    """
    bom = data.startswith(BOM)
    try:
        text = data[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"1: not valid UTF-8 (byte {error.start}); re-save the file as UTF-8") from None
    # Not str.splitlines: it also splits on form feeds and Unicode separators; YAML and our reader do not.
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        raise ValueError("1: no front matter; the file must start with a line '---'")
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i].rstrip("\r\n"))), None)
    if end is None:
        raise ValueError("1: the front matter is never closed; add a line '---' after the last field")
    start = len(lines[0])
    yaml_text = "".join(lines[1:end])
    try:
        node = yamlload.compose(yaml_text)
    except yaml.YAMLError as error:
        line, _, reason = yamlload.error_line(error)
        raise ValueError(f"{line + 1}: the front matter is not valid YAML: {reason}") from None
    if node is not None and not isinstance(node, yaml.MappingNode):
        raise ValueError("2: the front matter is not a mapping of 'key: value' lines")
    if node is not None and node.flow_style:
        raise ValueError(f"2: the front matter is a {{...}} mapping; add '{key}: {value}' by hand")
    entries = [(k, v) for k, v in (node.value if node else []) if isinstance(k, yaml.ScalarNode) and k.value == key]
    if not entries:
        newline = re.search(r"\r\n|\r|\n", lines[0])
        ending = newline.group(0) if newline else "\n"
        insert_at = start + len(yaml_text)
        added = f"{key}: {value}{ending}"
        new_text = text[:insert_at] + added + text[insert_at:]
        return (BOM if bom else b"") + new_text.encode("utf-8"), None
    _, value_node = entries[-1]  # with a duplicate key, the last one is the one that counts
    first, last = start + value_node.start_mark.index, start + value_node.end_mark.index
    quoted = isinstance(value_node, yaml.ScalarNode) and value_node.style in ('"', "'")
    if quoted:
        first, last = first + 1, last - 1  # keep the quotes, replace what is inside them
    elif not isinstance(value_node, yaml.ScalarNode) or value_node.style not in (None, "", '"', "'"):
        raise ValueError(f"{value_node.start_mark.line + 2}: '{key}' is not a plain date; set it by hand")
    old = text[first:last]
    replacement = value
    if first == last and not quoted:  # `reviewed:` with no value
        replacement = value if text[first - 1:first] in (" ", "\t") else f" {value}"
    new_text = text[:first] + replacement + text[last:]
    return (BOM if bom else b"") + new_text.encode("utf-8"), (old if old else None)


def _read_back(data: bytes, config: Config) -> Any:
    """The reviewed value as our reader will see it in `data` (BOM and CRLF tolerated)."""
    from kb import frontmatter

    text = data.removeprefix(BOM).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    matter, _, _, problems = frontmatter.parse(text)
    if problems:
        return None
    return _as_date(matter.data.get(config.key("reviewed")), config)


def _as_date(raw: Any, config: Config) -> date | None:
    return raw if isinstance(raw, date) else parse_date(raw, config, lambda message: None)
