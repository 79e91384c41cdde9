"""DocFX's Markdown extensions, which MkDocs (Python-Markdown) shows on the page as written.

Microsoft's Learn articles use them: alerts (`> [!NOTE]` on a quote's first line), `:::image`,
`[!INCLUDE [label](path)]`, `> [!div class="..."]`, `[!VIDEO url]`, `:::zone`, `:::moniker`,
`:::row:::`/`:::column:::`, `:::code` and `:::no-loc text="..."`. kb.markdown's scan records each
one outside fenced code and inline code spans, so lint can name the MkDocs way to write it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kb.code_regions import in_code_span

# An alert: `> [!NOTE]` at any depth of quotes and indentation (in a list item), any case.
_ALERT = re.compile(r"([ \t]*+)((?:>[ \t]*+)++)\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\](.*)", re.I)
_DIV = re.compile(r"[ \t]*+(?:>[ \t]*+)++\[!div\b([^\]]*)\]", re.I)
_BANG = re.compile(r"\[!(INCLUDE|VIDEO)\b[ \t]*+(?:\[[^\]\n]*\]\([ \t]*+<?([^)\s>]*)|([^\]\s]*))", re.I)
# `:::image ...:::`, `:::zone pivot="x"`...: not their ends (`:::image-end:::`), and not
# mkdocstrings' `::: module.name` (a blank after the colons).
_DIRECTIVE = re.compile(r":::(image|zone|moniker|row|column|code|no-loc)(?![\w-])")
_ATTRIBUTE = re.compile(r"""([\w-]+)[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)')""")
_END = ":::"
# The attribute that says what a directive names (an image's file, a zone's pivot...).
_NAMES = {"image": "source", "code": "source", "zone": "pivot", "moniker": "range", "no-loc": "text"}
_OPENER_LINES = 5  # an `:::image` opener may go on over lines (a long alt-text); not further


class Mark(NamedTuple):
    """One DocFX construct: where, which (`alert`, `image`, `include`...), and what it names: the
    file of an image, include or code sample, an alert's word (`NOTE`), a div's class, a video's
    address, a zone's pivot, a no-loc's text."""

    line: int
    column: int
    construct: str
    value: str


def may_hold(body: str) -> bool:
    """Whether a body may hold DocFX syntax: a `[!` or a `:::`. Found from each `!` and `:` (few in
    a body): CPython finds one character with memchr, and a body without either is read at that
    speed, where `"[!" in body or ":::" in body` took 5 us of a 5 KB body (a tenth of the scan)."""
    bang = body.find("!", 1)
    while bang >= 0:
        if body[bang - 1] == "[":
            return True
        bang = body.find("!", bang + 1)
    colon = body.find(":")
    while colon >= 0:
        if body.startswith("::", colon + 1):
            return True
        colon = body.find(":", colon + 1)
    return False


def marks(lines: list[str], first_line: int, code: set[int] | frozenset[int] = frozenset()) -> tuple[Mark, ...]:
    """The DocFX constructs of a body's `lines` (line `first_line` of the file first), fenced
    code (`code`, line indices) and inline code spans left out."""
    found: list[Mark] = []
    for index, line in enumerate(lines):
        if index in code or ("[!" not in line and ":::" not in line):
            continue
        number = first_line + index
        if "[!" in line:
            found += _bang_marks(lines, index, number)
        if ":::" in line:
            found += (mark for mark in _directives(lines, index, number, code) if not in_code_span(lines, index, mark.column - 1))
    return tuple(sorted(found)) if len(found) > 1 else tuple(found)


def _bang_marks(lines: list[str], index: int, number: int) -> list[Mark]:
    """Alerts, divs, includes and videos on line `index`."""
    line = lines[index]
    found = [Mark(number, match.start() + 1, match.group(1).lower(), match.group(2) or match.group(3) or "")
             for match in _BANG.finditer(line) if not in_code_span(lines, index, match.start())]
    if (alert := _ALERT.match(line)) is not None:
        construct = "alert" if _callout(lines, index, alert) else "alert-text"
        found.insert(0, Mark(number, alert.start(3) - 1, construct, alert.group(3)))
    elif (div := _DIV.match(line)) is not None:
        found.insert(0, Mark(number, div.start(1) - 4, "div", _attributes(div.group(1)).get("class", div.group(1).strip())))
    return found


def _callout(lines: list[str], index: int, alert: re.Match[str]) -> bool:
    """Whether markdown-callouts' `github-callouts` makes an admonition of this alert: the marker
    alone on its line, at the start of a quote (not after a line of the same quote, not in a
    quote in a quote), with text below it in the quote."""
    if alert.group(4).strip() or alert.group(2).count(">") > 1:
        return False
    if index and lines[index - 1].lstrip()[:1] == ">":
        return False
    for below in lines[index + 1:]:
        text = below.strip()
        if text.strip(">").strip():
            return True
        if not text:
            return False
    return False


def _directives(lines: list[str], index: int, number: int, code: set[int] | frozenset[int]) -> list[Mark]:
    """The `:::` directives that open on line `index`, with what each names (an image's `source`
    may be on a later line of its opener)."""
    line = lines[index]
    found: list[Mark] = []
    for match in _DIRECTIVE.finditer(line):
        construct = match.group(1)
        opener = line[match.end():]
        close = opener.find(_END)
        if close >= 0:
            opener = opener[:close]
        else:  # an opener that goes on over lines, up to its closing `:::`
            for later in range(index + 1, min(index + _OPENER_LINES, len(lines))):
                if later in code:
                    break
                close = lines[later].find(_END)
                opener += "\n" + (lines[later][:close] if close >= 0 else lines[later])
                if close >= 0:
                    break
        found.append(Mark(number, match.start() + 1, construct, _attributes(opener).get(_NAMES.get(construct, ""), "")))
    return found


def _attributes(text: str) -> dict[str, str]:
    """`name="value"` pairs (either quote) of a directive's opener."""
    return {match.group(1).lower(): match.group(2) if match.group(2) is not None else match.group(3) for match in _ATTRIBUTE.finditer(text)}
