"""A fast path for flat front matter: `key: value` lines that libyaml would read as text.

Hand-written on purpose: composing and constructing with libyaml costs about a third of a cold
`kb lint` over 10,000 articles (bench/lint_bench.py), and almost every article's front matter is a
handful of `key: text` lines. This module reads only that simple case and answers None for
anything else, so the caller falls back to libyaml. It must give exactly what libyaml gives
(values and key lines): tests/test_flatyaml.py compares both over many inputs.

What is read here, one field a line, nothing else (no comments, no indentation, no tabs):
- a plain key (`[A-Za-z_][A-Za-z0-9_.-]*`) that YAML resolves to text (not `on`, `null`, ...);
- a plain value made of safe characters that YAML resolves to text with kb's resolvers (no
  timestamps): `123`, `true`, `~`, `1.5` or an empty value go to libyaml;
- a quoted value without quotes or backslashes inside: `"..."` or `'...'`;
- a flow list of plain safe words: `[a, b c, d]` (or `[]`);
- a key alone on its line followed by `- item` lines (same indentation each), each item a plain
  or quoted value as above.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from kb.yamlload import KbLoader

_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]{0,99}):(?:[ ]+(.*))?")
# A plain scalar's first character must not be a YAML indicator; `:` and `#` never appear, so
# there is no `: ` or ` #` inside, and no tab (a tab may end a plain scalar or be an error).
_PLAIN = re.compile(r"\w[\w .,;/()'\"+=?!%@&*-]*+")
_ITEM = re.compile(r"( *)- +(.*)")
_WORD = re.compile(r"\w[\w .'/+-]*+")  # a plain item of a flow list: no `,[]{}` inside
_STR = "tag:yaml.org,2002:str"


def _resolves_to_text(value: str) -> bool:
    """Whether YAML reads this plain scalar as text, asked of KbLoader's own implicit resolvers
    (the same lookup as `yaml.resolver.BaseResolver.resolve` for a plain scalar)."""
    for regexp in _resolvers(value[0] if value else ""):
        if regexp.match(value):
            return False
    return True


@functools.lru_cache(maxsize=None)
def _resolvers(first: str) -> tuple[re.Pattern[str], ...]:
    """The implicit resolvers' patterns for a scalar starting with `first` (most letters have
    none), built once per character instead of concatenating two lists for every value."""
    resolvers = KbLoader.yaml_implicit_resolvers
    return tuple(regexp for _tag, regexp in resolvers.get(first, []) + resolvers.get(None, []))


def _value(raw: str) -> Any:
    """The text or list of texts `raw` stands for, or None when it is not a simple case."""
    raw = raw.rstrip(" ")
    if not raw:
        return None
    first = raw[0]
    if first == '"' or first == "'":
        inner = raw[1:-1]
        if len(raw) >= 2 and raw[-1] == first and first not in inner and "\\" not in inner and inner.isprintable():
            return inner
        return None
    if first == "[":
        if raw[-1] != "]":
            return None
        inner = raw[1:-1].strip(" ")
        if not inner:
            return []
        items = []
        for part in inner.split(","):
            item = part.strip(" ")
            if not _WORD.fullmatch(item) or not item.isprintable() or not _resolves_to_text(item):
                return None
            items.append(item)
        return items
    if _PLAIN.fullmatch(raw) and raw.isprintable() and _resolves_to_text(raw):
        return raw
    return None


def parse(yaml_text: str, first_line: int, max_values: int) -> tuple[dict[str, Any], dict[str, int], list[tuple[str, int]]] | None:
    """(data, key lines, duplicate keys) of flat front matter, or None to ask libyaml.

    `first_line` is the file line of the first YAML line. Key lines and duplicates follow
    kb.frontmatter: the first line of a key is kept, the last value wins.
    """
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    values = 1
    lines = yaml_text.split("\n")
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        line_no = first_line + index
        index += 1
        if not line:
            continue
        field = _field(line)
        if field is None:
            return None
        key, value = field
        if value is _BLOCK:  # a block sequence of `- item` lines, or an empty value (null: libyaml's case)
            value, indent = [], None
            while index < count and (item := _ITEM.fullmatch(lines[index])) is not None:
                if indent is None:
                    indent = item.group(1)
                text = _value(item.group(2))
                if item.group(1) != indent or text is None or isinstance(text, list):
                    return None
                value.append(text)
                index += 1
            if not value:
                return None
        elif isinstance(value, tuple):
            value = list(value)  # each article gets its own list
        values += 2 + (len(value) if isinstance(value, list) else 0)
        data[key] = value
        if key in key_lines:
            duplicates.append((key, line_no))
        else:
            key_lines[key] = line_no
    if not data or values > max_values:
        return None
    return data, key_lines, duplicates


_BLOCK = object()  # `key:` alone on its line


@functools.lru_cache(maxsize=8192)
def _field(line: str) -> tuple[str, Any] | None:
    """(key, text or tuple of texts or _BLOCK) of one `key: value` line, or None when it is not a
    simple case. Cached: most lines (`type: issue`, `owner: ana`, dates) recur across articles."""
    match = _LINE.fullmatch(line)
    if match is None or not _resolves_to_text(match.group(1)):
        return None
    raw = match.group(2)
    if raw is None:
        return match.group(1), _BLOCK
    value = _value(raw)
    if value is None:
        return None
    return match.group(1), tuple(value) if isinstance(value, list) else value
