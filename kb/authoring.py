"""Writing articles: `new_article` starts one from its type, `verify` marks articles reviewed.

`verify` edits the file as bytes, not as parsed YAML: only the value of the `reviewed` key changes
(or one line is added), so comments, quoting, key order, CRLF line endings and a byte order mark all
survive. Every write goes through `atomic_write_bytes`, so a crash leaves the old file or the new one.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import yaml

from kb import yamlload
from kb.articles import AUDIENCES, parse_date
from kb.atomic import atomic_write_bytes, create_exclusive
from kb.exceptions import KbError
from kb.markdown import slugify

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


def new_article(config: Config, type: str, title: str, audience: str | None = None, owner: str | None = None,
                lang: str | None = None, today: date | None = None, folder: str = "") -> Path:
    """Write a new article from its type and return its path; never overwrites a file.

    The file is `<docs_dir>/<folder>/<slug of title>.md` (`.<lang>.md` for a language other than the
    default). It starts as `status: draft` with today's `reviewed`, and holds the type's required
    sections (named in the article's language) with a line of guidance under each.
    """
    lang = lang or config.default_lang
    problems = []
    if type not in config.types:
        problems.append(f"'{type}' is not a type; expected one of: {', '.join(config.types)}")
    if lang not in config.languages:
        problems.append(f"language '{lang}' is not configured; expected one of: {', '.join(config.languages)}")
    if audience is not None and audience not in AUDIENCES:
        problems.append(f"audience '{audience}' is not one of: {', '.join(AUDIENCES)}")
    if owner and config.owners and owner not in config.owners:
        problems.append(f"owner '{owner}' is not on the roster (plugins.kb.owners); expected one of: {', '.join(config.owners)}")
    slug = slugify(title)
    if not title.strip() or not slug:
        problems.append(f"the title {title!r} gives no file name; use letters or digits")
    folder = folder.strip().strip("/")
    if folder and (Path(folder).is_absolute() or ".." in Path(folder).parts):
        problems.append(f"folder '{folder}' must be a folder inside {config.docs_dir}")
    if problems:
        raise KbError("; ".join(problems))
    name = f"{slug}.md" if lang == config.default_lang else f"{slug}.{lang}.md"
    path = config.docs_dir / folder / name if folder else config.docs_dir / name
    if path.exists() or path.is_symlink():
        raise KbError(f"{path}: already exists; kb new never overwrites an article (choose another title or --folder)")
    text = article_text(config, type, title, audience or "internal", owner, lang, today or date.today())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_exclusive(path, text.encode("utf-8"))
    except FileExistsError:
        raise KbError(f"{path}: already exists; kb new never overwrites an article") from None
    return path


def article_text(config: Config, type: str, title: str, audience: str, owner: str | None, lang: str,
                 today: date) -> str:
    """The text of a new article: front matter (keys mapped through `fields:`) and sections."""
    matter: list[tuple[str, Any]] = [("title", title), ("type", type)]
    if owner:
        matter.append(("owner", owner))
    matter += [("reviewed", today.strftime(config.date_formats[0])), ("audience", audience), ("status", "draft")]
    lines = ["---", *(f"{config.key(name)}: {_scalar(_theirs(config, name, value))}" for name, value in matter), "---", ""]
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


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as the same text, quoted only when it has to be."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 20)
    dumped = dumped.removesuffix("\n").removesuffix("\n...").strip()
    try:
        plain_ok = yamlload.load(value) == value
    except yaml.YAMLError:
        plain_ok = False
    return value if plain_ok and "#" not in value and value == value.strip() else dumped


# --- kb verify ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """What `verify` did with one target."""

    target: str  # as given: a path or an id (optionally `id@lang`)
    path: Path | None = None
    old: str | None = None  # the previous `reviewed` value as written, None when the key was absent
    new: str | None = None  # the value written
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def changed(self) -> bool:
        return self.ok and self.old != self.new


def verify(config: Config, targets: Sequence[str | Path], date: date, kb: KnowledgeBase | None = None) -> list[VerifyResult]:
    """Set `reviewed` to `date` in each target (a file path, an id or `id@lang`).

    A target that fails (unknown id, unreadable front matter, a write error) gets a result with an
    `error`; the others are still processed.
    """
    value = date.strftime(config.date_formats[0])
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
            old = set_reviewed(path, config, value)
            results.append(VerifyResult(str(target), path, old, value))
        except _TargetError as error:
            results.append(VerifyResult(str(target), error.path, error=str(error)))
    return results


class _TargetError(Exception):
    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def _locate(config: Config, target: str, kb_loader: Callable[[], KnowledgeBase]) -> Path:
    """A target as a file: an existing path as given, else an article id (`id` or `id@lang`)."""
    path = Path(target)
    if path.is_file():
        return path
    if path.is_dir():
        raise _TargetError(f"{target}: is a folder; give article files or ids", path)
    if target.endswith(".md") or path.exists():
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
        raise _TargetError(f"{target}: no article with this id{hint}; give a path or an id such as 'payments/refunds'")
    return article.path


def set_reviewed(path: Path, config: Config, value: str) -> str | None:
    """Rewrite the `reviewed` value in `path` to `value`; return the old value as written (None if absent).

    Raises _TargetError naming the file when its front matter cannot be read or the write fails.
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
    if _read_back(new_data, config) != _as_date(value, config):
        raise _TargetError(f"{path}: the new '{config.key('reviewed')}' would not read back as a date; "
                           "edit the file by hand", path)
    real = path.resolve()  # write through a symbolic link, never replace the link itself
    try:
        mode = stat.S_IMODE(real.stat().st_mode)
        atomic_write_bytes(real, new_data, mode=mode)
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
    if isinstance(value_node, yaml.ScalarNode) and value_node.style in ('"', "'"):
        first, last = first + 1, last - 1  # keep the quotes, replace what is inside them
    elif not isinstance(value_node, yaml.ScalarNode) or value_node.style not in (None, "", '"', "'"):
        raise ValueError(f"{value_node.start_mark.line + 2}: '{key}' is not a plain date; set it by hand")
    old = text[first:last]
    replacement = value
    if first == last:  # `reviewed:` with no value
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
