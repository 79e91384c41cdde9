"""Where a Markdown body holds code and HTML comments, as renderers read it.

Renderers disagree at the edges: Python-Markdown's fenced_code and pymdownx.superfences close
fences differently. `fenced_lines` is the loose reading (anything some renderer may take for code,
so that headings and links are not looked for there); `surely_fenced_lines` the strict one (code
for every renderer, the only place the public view leaves a comment or a link as written).
"""

from __future__ import annotations

import bisect
import itertools
import re

_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")

# A line that some fence reader may take for a fence: blanks, tabs or `>` (a list, a quote) before
# three backticks or tildes (pymdownx.superfences opens fences at any depth).
_FENCE_LIKE = re.compile(r"[ \t>]*(?:`{3}|~{3})")

# An opening fence that Python-Markdown's fenced_code and pymdownx.superfences both accept and pair
# the same way: at the margin, with nothing or one language after it.
_PLAIN_FENCE = re.compile(r"(`{3,}|~{3,}) *(?:\.?[\w#.+-]+)? *")

_BACKTICKS = re.compile(r"`+")


# A one-character test first: `"```" in body` and `"internal" in body` take ~3 µs each on a 6 KB
# body where `"`" in body` takes 0.3 (CPython's search for a repeated character is slow).
def may_fence(body: str) -> bool:
    return ("`" in body and "```" in body) or ("~" in body and "~~~" in body)


def fenced_lines(lines: list[str]) -> set[int]:
    """Indices of the lines of fenced code blocks, fences included.

    A fence opens with three or more backticks or tildes (a backtick fence's info string holds no
    backtick: ```` ```inline``` ```` is inline code) and closes at a bare line of the same
    character at least as long; a fence never closed is not a fence. Renderers differ at the edges
    (SuperFences wants the same length and no indented close), so internal blocks are looked for
    inside code as well, and this only decides where headings, links and HTML are not.
    """
    code: set[int] = set()
    unclosed: dict[str, int] = {}  # fence character -> shortest fence known to have no close below
    index = 0
    while index < len(lines):
        opening = _FENCE_OPEN.fullmatch(lines[index])
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            if len(fence) < unclosed.get(fence[0], len(fence) + 1):  # else: no close below (linear time)
                close = next((j for j in range(index + 1, len(lines)) if _closes(lines[j], fence)), None)
                if close is not None:
                    code.update(range(index, close + 1))
                    index = close + 1
                    continue
                unclosed[fence[0]] = len(fence)
        index += 1
    return code


def surely_fenced_lines(lines: list[str]) -> set[int]:
    """Indices of the lines that both fence readers MkDocs may use read as fenced code, fences
    included: Python-Markdown's fenced_code (MkDocs always loads it) and pymdownx.superfences (which
    replaces it). None at all when any line looks like a fence they may read differently (indented,
    in a quote, a longer or indented close, more than a language after the fence, never closed):
    one fence read differently shifts the pairing of every fence below it.

    What kb leaves in code but removes elsewhere (HTML comments, raw HTML with the class `internal`,
    links to hidden articles) is left only here: removing part of a code sample is the safe mistake.
    """
    code: set[int] = set()
    index = 0
    while index < len(lines):
        if _FENCE_LIKE.match(lines[index]):
            opening = _PLAIN_FENCE.fullmatch(lines[index])
            if opening is None:
                return set()
            fence = opening.group(1)
            close = next((j for j in range(index + 1, len(lines)) if lines[j].rstrip(" ") == fence), None)
            if close is None:
                return set()
            code.update(range(index, close + 1))
            index = close
        index += 1
    return code


def html_comments(body: str, lines: list[str], surely_code: set[int]) -> list[tuple[int, int]]:
    """(start, end) offsets of the HTML comments of a body, as a renderer hides them (`lines` are
    the body's lines, `surely_code` their `surely_fenced_lines`).

    A comment starts at a `<!--` outside that code and outside inline code, and ends at the first
    `-->` outside code that some reader may see and the comment does not start in: Python-Markdown
    stashes fenced code before it reads HTML, so a comment over a code sample hides it all. One never closed runs to the end of its
    paragraph: the renderer would show it as text, and the author meant a note.
    """
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    maybe_code = surely_code | fenced_lines(lines) if may_fence(body) else surely_code
    found: list[tuple[int, int]] = []
    at = body.find("<!--")
    while at >= 0:
        index = bisect.bisect_right(starts, at) - 1
        if index in surely_code or in_code_span(lines, index, at - starts[index]):
            at = body.find("<!--", at + 4)
            continue
        end = body.find("-->", at + 4)
        while end >= 0 and in_other_code(maybe_code, index, bisect.bisect_right(starts, end) - 1):
            end = body.find("-->", end + 3)
        if end >= 0:
            end += 3
        else:
            blank = next((j for j in range(index + 1, len(lines)) if not lines[j].strip()), None)
            end = starts[blank] - 1 if blank is not None else len(body)
        found.append((at, end))
        at = body.find("<!--", end)
    return found


def in_other_code(code: set[int], start: int, index: int) -> bool:
    """Whether line `index` is in code that line `start` (where a comment opens) is not in."""
    return index in code and not all(line in code for line in range(start, index + 1))


def in_code_span(lines: list[str], index: int, column: int) -> bool:
    """Whether column `column` of line `index` is surely inside an inline code span: its line's
    backtick runs pair up in order with equal lengths, none escaped, and no other line of its
    paragraph holds a backtick (Python-Markdown 3.11 pairs backticks across lines, older versions
    within a line only, and both fall back differently on runs that do not pair)."""
    line = lines[index]
    if "`" not in line[:column]:
        return False
    runs = [match.span() for match in _BACKTICKS.finditer(line)]
    if len(runs) % 2 or any(start and line[start - 1] == "\\" for start, _ in runs):
        return False
    pairs = list(zip(runs[::2], runs[1::2]))
    if any(first[1] - first[0] != second[1] - second[0] for first, second in pairs):
        return False
    for step in (-1, 1):
        other = index + step
        while 0 <= other < len(lines) and lines[other].strip():
            if "`" in lines[other]:
                return False
            other += step
    return any(first[1] <= column < second[0] for first, second in pairs)


def _closes(line: str, fence: str) -> bool:
    bare = line.strip()
    return len(bare) >= len(fence) and bare == fence[0] * len(bare)


def line_starts(body: str, needles: tuple[str, ...]) -> list[int]:
    """Sorted start offsets of the lines holding any of `needles`."""
    starts: set[int] = set()
    for needle in needles:
        found = body.find(needle)
        while found >= 0:
            start = body.rfind("\n", 0, found) + 1
            starts.add(start)
            end = body.find("\n", found)
            if end < 0:
                break
            found = body.find(needle, end)
    return sorted(starts)
