"""Front matter: split it from the body, parse it, keep the line of every key.

Problems are returned, not raised, so one bad article never stops a run: each carries the rule name
it belongs to and a line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb import yamlload

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


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


def parse(text: str) -> tuple[FrontMatter, str, int, list[Problem]]:
    """Split and parse `text`: (front matter, body, line where the body starts, problems)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter(), text, 1, [Problem("missing-front-matter", 1, 1, "no front matter; start the file with a line '---', the YAML fields, and another '---'")]
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        return FrontMatter(present=True), "", len(lines) + 1, [Problem("invalid-yaml", 1, 1, "front matter opened at line 1 is never closed; add a line '---' after the last field")]
    body = "\n".join(lines[end + 1:])
    matter = FrontMatter(present=True, end_line=end + 1)
    yaml_text = "\n".join(lines[1:end])
    try:
        node = yamlload.compose(yaml_text)
        data = yamlload.construct(node) if node is not None else None
    except yaml.YAMLError as error:
        line, column, reason = yamlload.error_line(error)
        return matter, body, end + 2, [Problem("invalid-yaml", line + 1, column, f"front matter is not valid YAML: {reason}")]
    except (ValueError, TypeError) as error:  # e.g. an unhashable key such as `? [a, b]`
        return matter, body, end + 2, [Problem("invalid-yaml", 2, 1, f"front matter is not valid YAML: {error}")]
    if data is None:
        return matter, body, end + 2, [Problem("invalid-yaml", 1, 1, "front matter is empty; add at least 'title' and 'type'")]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        return matter, body, end + 2, [Problem("front-matter-not-mapping", 2, 1, f"front matter is {kind}, expected 'key: value' lines")]
    matter.data = {str(k): v for k, v in data.items()}
    for key_node, _ in node.value:
        key, line = str(key_node.value), key_node.start_mark.line + 2
        if key in matter.key_lines:
            matter.duplicate_keys.append((key, line))
        else:
            matter.key_lines[key] = line
    return matter, body, end + 2, []
