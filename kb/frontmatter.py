"""Front matter: split it from the body, parse it, keep the line of every key.

Problems are returned, not raised, so one bad article never stops a run: each carries the rule name
it belongs to and a line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb import flatyaml, yamlload

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
MAX_DEPTH = 20  # nesting levels of front-matter values
MAX_VALUES = 10_000  # values in the front matter, with aliases expanded


@dataclass(frozen=True)
class Problem:
    """A problem found while reading a file, before any rule runs."""

    rule: str  # the rule name, e.g. "invalid-yaml"
    line: int
    column: int
    message: str


@dataclass
class FrontMatter:
    """The parsed mapping plus where each top-level key stands in the file."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    present: bool = False
    end_line: int = 0  # line of the closing `---`; 0 when there is no front matter
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)
    tagged: list[tuple[str, int, str]] = field(default_factory=list)  # (key, line, tag) of foreign tags


def _too_big(node: yaml.Node | None) -> str:
    """Why a node tree is too deep or too large to use ("" when it is fine).

    Front matter is a few flat fields; a deeply nested value or an alias bomb ("billion laughs":
    aliases of aliases that expand to billions of values) would exhaust the recursion limit or the
    memory of anything that walks the values (the cache, search, the sites). Aliases are counted as
    often as they are used, so the count is that of the expanded tree; the walk stops at the limit.
    """
    stack: list[tuple[yaml.Node, tuple[int, ...]]] = [(node, ())] if node is not None else []
    count = 0
    while stack:
        current, above = stack.pop()  # `above`: the ids of the nodes this one is inside
        count += 1
        if count > MAX_VALUES:
            return f"has more than {MAX_VALUES} values (counting what YAML aliases repeat)"
        if id(current) in above:  # `tags: &t [a, *t]`
            return (f"holds an alias inside the value it names (line {current.start_mark.line + 2}), "
                    "so the value never ends")
        if len(above) >= MAX_DEPTH:
            return f"is nested more than {MAX_DEPTH} levels deep"
        inside = (*above, id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend((item, inside) for item in current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend((part, inside) for pair in current.value for part in pair)
    return ""


def parse(text: str) -> tuple[FrontMatter, str, int, list[Problem]]:
    """Split and parse `text`: (front matter, body, line where the body starts, problems)."""
    # Found with str.find and one regex search rather than splitting the whole file into lines:
    # the body is most of the text and is scanned later anyway (bench/lint_bench.py).
    first_end = text.find("\n")
    if not _FENCE.match(text if first_end < 0 else text[:first_end]):
        lines = text.split("\n")
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        if first and _FENCE.match(lines[first]):
            return FrontMatter(), text, 1, [Problem("missing-front-matter", 1, 1, f"front matter must start on line 1, but '---' is on line {first + 1}; remove the blank lines above it")]
        return FrontMatter(), text, 1, [Problem("missing-front-matter", 1, 1, "no front matter; start the file with a line '---', the YAML fields, and another '---'")]
    close = _CLOSE_LINE.search(text, first_end + 1) if first_end >= 0 else None
    if close is None:
        return FrontMatter(present=True), "", text.count("\n") + 2, [Problem("invalid-yaml", 1, 1, "front matter opened at line 1 is never closed; add a line '---' after the last field")]
    end = text.count("\n", 0, close.start())  # index of the closing line
    after = text.find("\n", close.end())
    body = text[after + 1:] if after >= 0 else ""
    matter = FrontMatter(present=True, end_line=end + 1)
    yaml_text = text[first_end + 1:close.start() - 1] if end > 1 else ""
    flat = flatyaml.parse(yaml_text, 2, MAX_VALUES)
    if flat is not None:
        matter.data, matter.key_lines, matter.duplicate_keys = flat
        return matter, body, end + 2, []
    try:
        node = yamlload.compose(yaml_text)
        too_big = _too_big(node)
        if too_big:
            return matter, body, end + 2, [Problem("invalid-yaml", 2, 1, f"front matter {too_big}; write plain 'key: value' fields")]
        data = yamlload.construct(node) if node is not None else None
    except yaml.YAMLError as error:
        line, column, reason = yamlload.error_line(error)
        return matter, body, end + 2, [Problem("invalid-yaml", line + 1, column, f"front matter is not valid YAML: {reason}")]
    except (ValueError, TypeError) as error:  # e.g. an unhashable key such as `? [a, b]`
        return matter, body, end + 2, [Problem("invalid-yaml", 2, 1, f"front matter is not valid YAML: {error}")]
    if data is None:
        return matter, body, end + 2, [Problem("invalid-yaml", 1, 1, "front matter is empty; add at least 'title' and 'type'")]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({str(data)[:40]!r})"
        return matter, body, end + 2, [Problem("front-matter-not-mapping", 2, 1, f"front matter is {kind}, expected 'key: value' lines")]
    matter.data = {_key_text(k): v for k, v in data.items()}
    assert node is not None  # data is a mapping, so there was a node
    for key_node, _ in node.value:
        key, line = _key_of(key_node), key_node.start_mark.line + 2
        if key in matter.key_lines:
            matter.duplicate_keys.append((key, line))
        else:
            matter.key_lines[key] = line
        tag = yamlload.tag_of(matter.data.get(key))
        if tag:
            matter.tagged.append((key, line, tag))
    return matter, body, end + 2, []


def _key_text(key: Any) -> str:
    """A key as YAML writes it: `null: x` or `~: x` is the key 'null', `true: x` the key 'true'."""
    if key is None:
        return "null"
    return str(key).lower() if isinstance(key, bool) else str(key)


def _key_of(node: yaml.Node) -> str:
    """The key text of a key node, the same as `_key_text` of its value (`~` and `null` are one key)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"):
        return str(node.value)
    return _key_text(yamlload.construct(node))
