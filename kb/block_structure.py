"""Where Python-Markdown's block structure nests or hides headings, for the line loop of kb.markdown.

Nests: a heading in a quote (`> ## A`), a list item (`1. ## Step`, or indented under an item after a
blank line) or an admonition's body (`!!! note` then `    ## A`) is a heading. Hides: a `# line` in
a raw HTML block (a block-level tag at a line start, through its matching close; without md_in_html's
`markdown` attribute) or in a table's block (the tables extension takes every line up to the next
blank one as a row) is not. Not modelled: setext headings inside containers, and containers inside
quotes; README "What kb reads as a heading" lists what kb reads differently.
"""

from __future__ import annotations

import re

_QUOTE_OR_ITEM = re.compile(r" {0,3}(?:>[ ]?|(?:[-*+]|\d{1,9}\.)[ \t]+)")
_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}\.)[ \t]+\S")
_OPENER = re.compile(r"(?:!!!|\?\?\?\+?) ?[\w-]")  # admonition / pymdownx.details: a body follows
_BREAK = re.compile(r" {0,3}(?:(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,}) *")  # `***`, `- - -`
# Python-Markdown's block-level elements (markdown.Markdown().block_level_elements).
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body canvas center colgroup dd details div dl dt fieldset figcaption figure "
    "footer form group h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li main map math menu nav noscript "
    "object ol option output p pre progress script section style summary table tbody td textarea tfoot th thead "
    "tr ul video".split())
_HTML_START = re.compile(r" {0,3}<([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])([^<>]*)>")


def may_nest(body: str) -> bool:
    """Whether a heading may be nested: a `#` follows a blank, a tab or a `>`. A loop over the few
    `#`s: `" #" in body` is four times slower (a two-character search on a common character)."""
    at = body.find("#")
    while at >= 0:
        if at and body[at - 1] in " \t>":
            return True
        at = body.find("#", at + 1)
    return False


class Containers:
    """Admonition and list item bodies open at each line, fed one line at a time (`nested`)."""

    def __init__(self) -> None:
        self.bodies: list[tuple[int, bool]] = []  # (indent of the body, is a list item's)
        self.pending_item = False  # a list item whose body needs a blank line before its blocks
        self.in_list = False
        self.lazy = False  # the last heading found is on a quote's or list item's line

    def close(self) -> None:
        """Close every body (at fenced code or raw HTML, which Python-Markdown reads as blocks of their own)."""
        self.bodies.clear()
        self.pending_item = self.in_list = False

    def nested(self, line: str, block_start: bool) -> str | None:
        """The heading line (`## A`) that `line` holds inside a container, if any; None otherwise
        (also for a line at the margin: the caller reads those)."""
        if not line.strip():
            self.pending_item = False
            self.in_list = False
            return None
        width = len(line) - len(line.lstrip(" \t"))
        indent = len(line[:width].expandtabs(4))
        while self.bodies and indent < self.bodies[-1][0]:
            self.bodies.pop()
        if self.bodies and self.pending_item and self.bodies[-1][1]:
            return None  # a lazy line of the item's paragraph
        depth = self.bodies[-1][0] if self.bodies else 0
        content = _dedent(line, depth)
        if content[:1] in " \t":
            return None  # indented code (or a line of a paragraph)
        if _OPENER.match(content):
            self.bodies.append((depth + 4, False))
            return None
        if is_break(content):  # `- - -` and `* * *` are breaks, not list items
            self.bodies.clear()
            self.pending_item = self.in_list = False
            return None
        list_ok = block_start or self.in_list
        item = _ITEM.match(content)
        if item:
            self.in_list = list_ok
            if not list_ok:
                return None
            self.bodies.append((depth + 4, True))
            self.pending_item = True
        at = 0  # past the quote and item markers (an offset: slicing each off is quadratic on `- - - ...`)
        while (prefix := _QUOTE_OR_ITEM.match(content, at)) is not None:
            at = prefix.end()
        if content[at:at + 1] != "#" or (not at and not depth):
            return None
        self.pending_item = False  # an item holding a heading takes indented lines as blocks
        self.lazy = at > 0
        return content[at:]

    def in_body(self) -> bool:
        """Whether the last line fed is inside an admonition or list item body."""
        return bool(self.bodies)


def _dedent(line: str, depth: int) -> str:
    """`line` without `depth` columns of indent (a tab counts as four)."""
    removed = 0
    index = 0
    while removed < depth and index < len(line) and line[index] in " \t":
        removed += 4 if line[index] == "\t" else 1
        index += 1
    return line[index:]


def raw_html_lines(body: str, lines: list[str], code: set[int]) -> set[int]:
    """Indices of the lines of raw HTML blocks, where no heading is."""
    return _raw_html_lines(lines, code) if "<" in body else set()


def ends_block(line: str) -> bool:
    """Whether the block of `line` ends with it: a thematic break, an admonition's first line."""
    return is_break(line) or (line[:1] in ("!", "?") and _OPENER.match(line) is not None)


def is_break(line: str) -> bool:
    """Whether `line` is a thematic break (`***`, `- - -`)."""
    return line.lstrip(" ")[:1] in ("-", "_", "*") and _BREAK.fullmatch(line) is not None


def _raw_html_lines(lines: list[str], code: set[int]) -> set[int]:
    """Lines of raw HTML blocks: from a block-level start tag at a line start (without a `markdown`
    attribute) through the line of its matching end tag, or to the end when there is none; and
    comments that start a line, through their `-->`."""
    raw: set[int] = set()
    index = 0
    while index < len(lines):
        line = lines[index]
        end = None
        if index not in code and "<" in line:
            if line.lstrip(" ")[:4] == "<!--" and len(line) - len(line.lstrip(" ")) < 4:
                end = next((j for j in range(index, len(lines)) if "-->" in lines[j]), len(lines) - 1)
            else:
                start = _HTML_START.match(line)
                if start and start.group(1).lower() in _BLOCK_TAGS and "markdown" not in start.group(2) and not start.group(2).endswith("/"):
                    end = _closing_line(lines, index, start.group(1).lower())
        if end is None:
            index += 1
            continue
        raw.update(range(index, end + 1))
        index = end + 1
    return raw


def _closing_line(lines: list[str], first: int, tag: str) -> int:
    """The line of the end tag matching the start tag at the start of line `first` (last line if none)."""
    opening = re.compile(rf"<{tag}(?=[\s/>])", re.I)
    closing = re.compile(rf"</{tag}\s*>", re.I)
    depth = 0
    for index in range(first, len(lines)):
        depth += len(opening.findall(lines[index])) - len(closing.findall(lines[index]))
        if depth <= 0:
            return index
    return len(lines) - 1


def table_end(lines: list[str], index: int, code: set[int], to_heading: bool = False) -> int:
    """The index after the last line of a table starting at line `index` (a block's first line),
    as the tables extension reads it: the table takes every line up to the next blank one or
    code (or, `to_heading`, an ATX heading: Python-Markdown splits those off the block first
    unless the table starts it); a one-column table only when each of those lines has a border pipe. `index` when no
    table starts there, also for header rows holding a backtick or a backslash (where the
    extension splits cells its own way): their headings stay, the safe mistake."""
    header = lines[index].strip(" ")
    if "|" not in header or index + 1 >= len(lines) or "`" in header or "\\" in header:
        return index
    cells = len(_cells(header))
    separator = _cells(lines[index + 1].strip(" "))
    if len(separator) != cells or not all("-" in cell and not cell.strip(":- ") for cell in separator):
        return index
    end = next((row for row in range(index + 2, len(lines))
                if not lines[row].strip() or row in code or (to_heading and lines[row][:1] == "#")
                or (lines[row][:1] in ("!", "?") and _OPENER.match(lines[row])) or block_tag(lines[row])), len(lines))
    if cells == 1 and not all(_bordered(lines[row].strip(" ")) for row in range(index, end)):
        return index
    return end


def block_tag(line: str) -> bool:
    """Whether `line` starts with a block-level HTML tag (raw or with `markdown`: a block of its own)."""
    if line.lstrip(" ")[:2] == "</":
        return line.lstrip(" ")[2:].split(">")[0].strip().lower() in _BLOCK_TAGS
    start = _HTML_START.match(line) if "<" in line else None
    return start is not None and start.group(1).lower() in _BLOCK_TAGS


def _bordered(row: str) -> bool:
    return row[:1] == "|" or row[-1:] == "|"


def _cells(row: str) -> list[str]:
    """A row's cells, outer pipes dropped (no escapes or code spans: see _table_lines)."""
    if row[:1] == "|":
        row = row[1:]
    if row[-1:] == "|":
        row = row[:-1]
    return row.split("|")
