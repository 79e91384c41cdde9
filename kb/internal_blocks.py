"""Internal blocks: the parts of an article only agents may see, in every syntax kb knows.

`!!! internal` admonitions (and `??? internal` details), pymdownx.blocks marked internal, parts
marked with attr_list's `{: .internal }`, and raw HTML boxes with the class `internal`. They are
looked for inside code too, since renderers disagree on where code ends: hiding a code sample from
customers is the safe mistake, publishing a note for agents is not.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from kb.code_regions import fenced_lines, html_comments, in_code_span, in_other_code, line_starts, may_fence, surely_fenced_lines

# An admonition (`!!!`) or pymdownx details block (`???`, `???+`) with the class `internal`, as
# those extensions read it: any case, the space optional, among other classes (`!!! note internal`),
# inside a blockquote too. Matching more than the renderer would only hides more from the public.
_INTERNAL_START = re.compile(r"^((?:[ \t]*>)*[ \t]*)(?:!!!|\?\?\?\+?) ?(?:[\w-]+ +)*?internal(?![\w-])", re.I)
# An HTML start tag with a class attribute (any quoting, over several lines): `<div class="admonition
# internal" markdown>`, `<details class=internal>`. Those whose classes include `internal` are boxes.
_CLASS_TAG = re.compile(r"<[a-z][a-z0-9]*(?=[\s/>])[^<>]*?\sclass\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'<>=`]+))", re.I)
# pymdownx.blocks: a start (`/// admonition | Title`: slashes, name, argument) and an end (`///`), at
# any depth (a list, a quote); an option line under a start that marks the block for agents
# (`type: internal`, `attrs: {class: internal}`).
_SLASH_START = re.compile(r"[ \t>]*(/{3,})[ \t]*([\w-]+)[ \t]*(?:\|(.*))?")  # not `(.*?)[ \t]*`: quadratic on blanks
_SLASH_END = re.compile(r"[ \t>]*(/{3,})[ \t]*")
_INTERNAL_WORD = re.compile(r"(?<![\w-])internal(?![\w-])", re.I)
# An attr_list with the class `internal` (`{: .internal }`, `{.note .internal}`): it only styles
# what it is attached to, but the author meant that for agents. Two steps: the lists, then the
# class in one; a single regex tried each `.internal` of a list never closed to the line's end.
_ATTR_LIST = re.compile(r"\{[^{}\n]*+\}")
_INTERNAL_CLASS = re.compile(r"(?:^\{:?|\s)\.internal(?![\w-])", re.I)
_INTERNAL_OPTION = re.compile(r"[ \t>]*(?:type|attrs|class)\s*:.*(?<![\w-])internal(?![\w-])", re.I)
_SECTION_HEADING = re.compile(r"(#{1,6})[ \t]+\S")  # an ATX heading with text: where a marked section ends


@dataclass(frozen=True)
class Block:
    """An `!!! internal` block: the marker line through its last indented line."""

    start: int  # line in the file
    end: int
    text: str


def may_block(body: str) -> bool:
    return ("!" in body or "?" in body or "/" in body or "{" in body) and "internal" in body.lower()  # `!!! INTERNAL` is one too


def internal_blocks(body: str, first_line: int) -> tuple[Block, ...]:
    """`!!! internal` blocks of a body without fences, as the line loop of `scan` finds them."""
    lines = body.split("\n")
    candidates = sorted({body.count("\n", 0, start) for start in line_starts(body, ("!!!", "???"))})
    blocks: list[Block] = []
    resume = 0
    for first in candidates:
        if first < resume:
            continue  # inside the block before: not a new start
        opened = block_marker(lines[first])
        if opened is None:
            continue
        (indent, quoted), last, index = opened, first, first + 1
        while index < len(lines):
            line = lines[index]
            stripped = line.strip()
            if stripped and not continues(line, indent, quoted):
                break  # this line ends the block (and may start the next one)
            if stripped:
                last = index
            index += 1
        blocks.append(block_of(lines, first, last, first_line))
        resume = index
    return tuple(with_other_blocks(blocks, body, lines, first_line) if "///" in body or "{" in body else blocks)


def with_other_blocks(blocks: list[Block], body: str, lines: list[str], first_line: int) -> list[Block]:
    """`blocks` with the internal pymdownx.blocks (`/// admonition | x` with `type: internal`) and the
    parts marked `{: .internal }`, in order; a block inside another is left out (hidden with it)."""
    others = _slash_blocks(body, lines, first_line) if "///" in body else []
    if "{" in body:
        others += _attr_blocks(body, lines, first_line)
    found = sorted(blocks + others, key=lambda block: (block.start, -block.end))
    merged: list[Block] = []
    for block in found:
        if not merged or block.end > merged[-1].end:
            merged.append(block)
    return merged


def _slash_blocks(body: str, lines: list[str], first_line: int) -> list[Block]:
    """pymdownx.blocks marked internal, from the `///` line to the closing line of as many slashes
    (nested blocks use more), or to the end of the body when none closes it. Found whether or not
    mkdocs.yml enables pymdownx.blocks (without it they are text: the author still meant them for
    agents), inside code too (renderers disagree on where code ends); a closing line in other code
    does not count (pymdownx.blocks never sees it)."""
    blocks: list[Block] = []
    code: set[int] | None = None
    index = 0
    while index < len(lines):
        start = _SLASH_START.fullmatch(lines[index]) if "///" in lines[index] else None
        if start is None or not _slash_internal(lines, index, start):
            index += 1
            continue
        if code is None:
            code = fenced_lines(lines) | surely_fenced_lines(lines) if may_fence(body) else set()
        slashes = len(start.group(1))
        end = next((j for j in range(index + 1, len(lines)) if not in_other_code(code, index, j)
                    and (close := _SLASH_END.fullmatch(lines[j])) and len(close.group(1)) == slashes), None)
        if end is None:
            end = max(j for j in range(index, len(lines)) if j == index or lines[j].strip())
        blocks.append(block_of(lines, index, end, first_line))
        index = end + 1
    return blocks


def _attr_blocks(body: str, lines: list[str], first_line: int) -> list[Block]:
    """What an attr_list `{: .internal }` marks: a heading's section (to the next heading of its
    level or above, outside code) or the paragraph holding it (between blank lines). Found inside
    code too and whether or not attr_list is on, like the other internal blocks: hiding more than
    the author meant is the safe mistake."""
    blocks: list[Block] = []
    code: set[int] | None = None
    paragraph_end = -1  # the last line of the last marked paragraph: another mark in it adds nothing
    for index, line in enumerate(lines):
        if "{" not in line or not _marks_internal(line):
            continue
        heading = _SECTION_HEADING.match(line)
        if not heading and index <= paragraph_end:
            continue
        start = end = index
        if heading:
            if code is None:
                code = fenced_lines(lines) if may_fence(body) else set()
            level = len(heading.group(1))
            end = next((j - 1 for j in range(index + 1, len(lines)) if j not in code
                        and (other := _SECTION_HEADING.match(lines[j])) and len(other.group(1)) <= level), len(lines) - 1)
        else:
            while start > 0 and lines[start - 1].strip():
                start -= 1
            while end + 1 < len(lines) and lines[end + 1].strip():
                end += 1
            paragraph_end = end
        while end > start and not lines[end].strip():
            end -= 1
        blocks.append(block_of(lines, start, end, first_line))
    return blocks


def _marks_internal(line: str) -> bool:
    """Whether `line` holds an attribute list with the class `internal`."""
    return any(_INTERNAL_CLASS.search(attrs.group()) for attrs in _ATTR_LIST.finditer(line))


def _slash_internal(lines: list[str], index: int, start: re.Match[str]) -> bool:
    """Whether the pymdownx block opened on line `index` is for agents: `/// internal` (an
    admonition type of that name), `/// html | div.internal`, or an option line under it (more
    indented) naming `internal` in `type:`, `attrs:` or `class:`."""
    name, argument = start.group(2).lower(), start.group(3) or ""
    if name == "internal" or (name == "html" and _INTERNAL_WORD.search(argument)):
        return True
    depth = len(start.group(0)) - len(start.group(0).lstrip(" \t>"))
    for below in range(index + 1, len(lines)):  # not `lines[index + 1:]`: a copy per `///` line
        line = lines[below]
        if not line.strip():
            continue
        if len(line) - len(line.lstrip(" \t>")) <= depth:
            return False
        if _INTERNAL_OPTION.match(line):
            return True
    return False


def block_marker(line: str) -> tuple[int, bool] | None:
    """(indent in columns, inside a blockquote) of an internal block's marker line, else None."""
    match = _INTERNAL_START.match(line)
    if match is None:
        return None
    prefix = match.group(1)
    return len(prefix.expandtabs(4)), ">" in prefix


def continues(line: str, indent: int, quoted: bool) -> bool:
    """Whether a non-blank line is inside the block whose marker was at `indent` columns: indented
    further (tabs as 4 columns, as Python-Markdown expands them), or, for a block in a blockquote,
    still in the quote (the rest of it: more than the renderer hides, never less)."""
    if quoted:
        return line.lstrip().startswith(">")
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip()) > indent


def block_of(lines: list[str], start: int, last: int, first_line: int) -> Block:
    return Block(first_line + start, first_line + last, "\n".join(lines[start:last + 1]))


def internal_boxes(body: str, lines: list[str], first_line: int) -> tuple[tuple[int, int], ...]:
    """(line, column) of each HTML start tag whose class list holds `internal`, outside what is
    surely code (`surely_fenced_lines`, inline code spans) and outside HTML comments."""
    code = surely_fenced_lines(lines) if may_fence(body) else set()
    comments = html_comments(body, lines, code) if "<!--" in body else []
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    found = []
    for match in _CLASS_TAG.finditer(body):
        classes = (match.group(1) or match.group(2) or match.group(3) or "").lower().split()
        if "internal" not in classes:
            continue
        at = match.start()
        index = bisect.bisect_right(starts, at) - 1
        if index in code or in_code_span(lines, index, at - starts[index]) or any(start <= at < end for start, end in comments):
            continue
        found.append((first_line + index, at - starts[index] + 1))
    return tuple(found)
