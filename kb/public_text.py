"""The public view of an article's body: what a customer may read.

Internal blocks and raw HTML boxes with class `internal` are dropped by the lines kb.markdown's
scan found (kb.internal_blocks), and HTML comments (authors' notes) outside code. The public site and the public
search view both read articles through `Article.public_body()`, which uses this module.
"""

from __future__ import annotations

import re

from kb.code_regions import html_comments, surely_fenced_lines
from kb.internal_blocks import Block


def strip_internal_blocks(body: str, blocks: tuple[Block, ...], first_line: int = 1,
                          boxes: tuple[tuple[int, int], ...] = ()) -> str:
    """The body without its internal blocks and raw HTML boxes with class `internal` (`boxes`,
    from Scan.internal_html), for the public site and the public search view."""
    if not blocks and not boxes:
        return body
    lines = body.split("\n")
    drop = {n - first_line for block in blocks for n in range(block.start, block.end + 1)}
    drop |= _box_lines(lines, boxes, first_line)
    return "\n".join(line for index, line in enumerate(lines) if index not in drop)


def strip_html_comments(body: str) -> str:
    """The body without `<!-- ... -->`: authors leave notes in comments, and MkDocs would put them
    in the public page's source. Only a comment that starts in what every renderer reads as code
    stays (kb.code_regions.html_comments says which); one never closed goes to the end of its paragraph."""
    if "<!--" not in body:
        return body
    lines = body.split("\n")
    kept, done = [], 0
    for start, end in html_comments(body, lines, surely_fenced_lines(lines)):
        kept.append(body[done:start])
        done = end
    return "".join(kept) + body[done:]


_TAG_NAME = re.compile(r"<([a-z][a-z0-9]*)", re.I)


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def _box_lines(lines: list[str], boxes: tuple[tuple[int, int], ...], first_line: int) -> set[int]:
    """Indices of the lines of raw HTML elements whose class holds `internal`: from the line that
    opens one to the line where its element closes (nested ones counted); a void element (`<img>`)
    to the end of its tag; one never closed to the end of its paragraph. Lint flags these (KB502);
    this keeps them off the public site meanwhile."""
    drop: set[int] = set()
    tag_ends: list[int] | None = None  # see _next_with, made when a void tag is left open
    for line, column in boxes:
        start = line - first_line
        if start in drop or not 0 <= start < len(lines):
            continue
        name = _TAG_NAME.match(lines[start], column - 1)
        if name is None:  # _INTERNAL_HTML matched a tag here; never None, but drop the line anyway
            drop.add(start)
            continue
        if name.group(1).lower() in _VOID:  # to the line closing its tag (the tag's own line if none does)
            if ">" in lines[start][column - 1:]:
                end = start
            else:
                if tag_ends is None:
                    tag_ends = _next_with(lines, ">")
                end = tag_ends[start + 1] if start + 1 < len(lines) and tag_ends[start + 1] < len(lines) else start
        else:
            end = _closing_line(lines, start, column, name.group(1))
        drop.update(range(start, end + 1))
    return drop


def _next_with(lines: list[str], needle: str) -> list[int]:
    """For each line, the index of the first line from it on that holds `needle` (len(lines): none):
    one pass, so many unclosed tags do not each search to the end."""
    found = [len(lines)] * len(lines)
    following = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if needle in lines[index]:
            following = index
        found[index] = following
    return found


def _closing_line(lines: list[str], start: int, column: int, name: str) -> int:
    """The line where the element opened at (start, column) closes, nested ones counted; for one
    that never closes, the last line of its paragraph."""
    opening = re.compile(rf"<{name}\b", re.I)
    closing = re.compile(rf"</{name}\s*>", re.I)
    depth = 0
    for index in range(start, len(lines)):
        text = lines[index][column - 1:] if index == start else lines[index]
        depth += len(opening.findall(text)) - len(closing.findall(text))
        if depth <= 0:
            return index
    return next((index - 1 for index in range(start + 1, len(lines)) if not lines[index].strip()), len(lines) - 1)
