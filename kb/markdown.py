"""A light scan of an article's Markdown: headings, links, internal blocks, numbered lists, DocFX syntax.

Not a Markdown renderer: a line scanner that skips fenced code, fast enough to run on tens of
thousands of articles. Anchors follow Python-Markdown's `toc` slugs, as MkDocs renders them.
Where code is: kb.code_regions; what counts as an internal block: kb.internal_blocks.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from typing import Callable, Iterator, NamedTuple

from kb.block_structure import Containers, block_tag, ends_block, is_break, may_nest, raw_html_lines, table_end
from kb.code_regions import fenced_lines, line_starts, may_fence
from kb.docfx import Mark, may_hold, marks
from kb.internal_blocks import Block, block_marker, block_of, continues, internal_blocks, internal_boxes, may_block, with_other_blocks

# The closing `#`s and blanks are stripped in Python: a lazy `(.+?)[ \t#]*$` is quadratic on long lines.
_HEADING = re.compile(r"^(#{1,6})(.*)$")  # Python-Markdown: no blank needed after the `#`s (`#Cause`)
_ATTR_ID = re.compile(r"\{[^{}]*#([\w-]+)[^{}]*\}$")  # matched on the last `{...}` only, see _attr_id
# `<a name="x">` and any element's `id="x"` (`<h2 id="x">`, `<a id="x">`): targets of `#x`.
_HTML_ANCHOR = re.compile(r"<(?:a\s[^<>]*?\bname|[a-z][a-z0-9]*\s[^<>]*?\bid)\s*=\s*(?:\"([^\"<>]+)\"|'([^'<>]+)'|([^\s\"'<>=`]+))", re.I)
_TAG = re.compile(r"<[^<>]++>")  # `\<x>` too: the toc drops it from the heading's text as a tag
# A setext heading's underline (Python-Markdown: `[=-]+[ ]*` below a block's first line).
_SETEXT = re.compile(r"[=-]+ *")
_SETEXT_UNDERLINE = re.compile(r"\n[=-]+ *(?=\n|$)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])")
# Python-Markdown's ESCAPED_CHARS, with the `|` of the tables extension (MkDocs always loads it).
_HREF_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")
# A `\` between parts of a path (`..\faq\x.md`), not one escaping Markdown punctuation (`\*`).
WINDOWS_SEPARATOR = re.compile(r"\\(?![\\`*_{}\[\]()#+\-.!<>|])")
# Emphasis and code marks, and links (kept: their text). `_` inside a word (`a_1`) is not emphasis.
_INLINE_MARKS = re.compile(r"[*`~]|(?<!\w)_++|_++(?!\w)|!?\[([^\[\]]*+)\]\([^()]*+\)")
# [text](target "title"), ![alt](target) and [text](<target with spaces>); a bare target stops at a
# quote, brackets or an unbalanced parenthesis and may hold blanks (Python-Markdown links
# `[x](IEnumerable input, ...)`), not at its ends. Possessive quantifiers and the narrow character
# classes keep the scan linear: a 1 MB line of `[a](` or of blanks must not backtrack for minutes.
# Runs of plain characters are taken whole (`[^...]++`), not one alternation per character: the
# same matches, twice as fast.
_BARE = r"(?:[^()\[\]\s<>\"']++|\([^()\[\]\n<>\"']*+\))"
_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]++|\[[^\[\]]*+\])*+)\]"
    rf"\(\s*+<?((?<=<)[^<>\n]*+(?=>)|(?:{_BARE}++(?:[ \t]++{_BARE}++)*+)?)>?(?:\s++[\"'][^\"']*+[\"'])?\s*+\)"
)
_LINK_START = re.compile(r"[!\[]")  # a character-set prefix lets re skip to candidates fast
# A line end that a link's text, target or title may go on over, as Python-Markdown joins the lines
# of a paragraph (`[the refund\nguide](refunds.md)`): not before a blank line (blanks and tabs, or a
# quote's bare `>`), which ends the paragraph. The scan's `_NL` stops at an ATX heading as well,
# which ends it too; the site stager's `_ANY_NL` does not (taking a non-link for a link is its safe
# mistake). The lookahead takes only blanks and `>`s: linear on a 1 MB line of them.
_ANY_NL = r"\n(?![ \t>]*+(?:\n|$))"
_NL = r"\n(?![ \t>]*+(?:\n|$)|#)"


def _link_pattern(nl: str) -> str:
    """_LINK for a whole paragraph, from its `[` (a literal prefix `re` skips to fast; a `!` before
    it makes an image): text, target and title may go on over line ends that are `nl` (and the
    quote's `>` on the next line is no part of the target)."""
    space = rf"(?:[^\S\n]++|{nl}[ \t>]*+)"
    return (rf"\[((?:[^\[\]\n]++|{nl}|\[(?:[^\[\]\n]++|{nl})*+\])*+)\]"
            rf"\({space}*+<?((?<=<)[^<>\n]*+(?=>)|(?:{_BARE}++(?:[ \t]++{_BARE}++)*+)?)>?"
            rf"(?:{space}++[\"'](?:[^\"'\n]++|{nl})*+[\"'])?{space}*+\)")


_BODY_LINK = re.compile(_link_pattern(_NL))
# A line that may open a link whose text goes on over its end: a `[` whose brackets are not closed
# on the line (one level of nesting, as in _LINK). Searched only on lines without `](`.
_OPEN_AT_END = re.compile(r"\[(?:[^\[\]]++|\[[^\[\]]*+\])*+(?:\[[^\[\]]*+)?$")
# A blank line, where a paragraph (and so an inline code span) ends:
_BLANK_LINE = re.compile(r"\n(?=[ \t>]*+\n)")  # its line end before (`^` with re.M is 10x slower)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")  # `https:`, `mailto:`: an external link
# Blanks may follow the target (editors leave them; Python-Markdown reads the definition), and it
# may open a quote or a list item (`> [r]: x.md`, `- [r]: x.md`): Python-Markdown reads those too,
# at any indentation (a nested item is 4 spaces in).
_IN_ITEM = r"(?:[ \t]*+(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])[ \t]*+)*+"
_REF_DEF = re.compile(rf"^\s{{0,3}}{_IN_ITEM}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*)?\s*$")
# A definition whose target is on the next line (`[ref]:` then `    refunds.md`): Python-Markdown
# reads it too. The target does not start with `[` or `!` (a link there is read as a link).
_REF_OPEN = re.compile(r"^\s{0,3}\[([^\]]+)\]:[ \t]*$")
_REF_TARGET = re.compile(r"^[ \t]*<?([^\s\[<!]\S*?)>?(?:\s+[\"'(].*)?\s*$")
_ID_COUNT = re.compile(r"^(.*)_([0-9]+)$")  # Python-Markdown's IDCOUNT_RE
_ORDERED_ITEM = re.compile(r"^\s{0,3}\d{1,9}[.)][ \t]")
_ORDERED_LINE = re.compile(r"\n[^\S\n]{0,3}\d{1,9}[.)][ \t]")  # _ORDERED_ITEM on a line after the first
_HTML_LINK = re.compile(r"<(a|img)\s(?:[^<>]*?\s)?(?:href|src)\s*=\s*(?:\"([^\"<>]*)\"|'([^'<>]*)'|([^\s\"'<>=`]+))", re.I)
# `<script`, an `on...=` attribute inside a tag, a `javascript:` URL in an attribute or link target;
# not the same words in prose ("OnPremisesObjectId=", "the javascript: scheme").
_HTML_DANGER = re.compile(r"(<script\b)|<[a-z][^<>]*?\s(on\w+\s*=)|(?:\b(?:href|src|action|formaction|data)\s*=\s*[\"']?\s*|\]\(\s*<?)(javascript:)", re.I)
# Public names for modules that rewrite links (the site stager) with the same syntax as the scan.
# LINK_PATTERN is matched on a paragraph, not a line: a link's text or target may wrap (see _ANY_NL).
LINK_PATTERN = re.compile(r"(!?)" + _link_pattern(_ANY_NL))
LINK_START = _LINK_START  # where LINK_PATTERN may match: try it only there
# A reference definition at any depth (in a list item, a quote), for the site stager: one it misses
# links the public page to a hidden article (MkDocs reads definitions inside list items).
REF_DEF_PATTERN = re.compile(r"^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*+\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*)?\s*$")
# A definition with nothing after the colon, whose target (REF_TARGET_PATTERN) is on the next line.
REF_OPEN_PATTERN = re.compile(r"^[ \t>]*\[([^\]]+)\]:[ \t]*$")
REF_TARGET_PATTERN = re.compile(r"^[ \t>]*<?(\S+?)>?(?:\s+[\"'(].*)?\s*$")


# Heading and Link are named tuples, not frozen dataclasses: a knowledge base of 10,000 articles
# has some 75,000 of them, and a frozen dataclass is three times slower to build and to unpickle
# from the parse cache (bench/lint_bench.py).
class Heading(NamedTuple):
    level: int
    text: str
    anchor: str
    line: int  # line in the file


class Link(NamedTuple):
    target: str  # as written, without the #anchor and ?query parts, %xx decoded (external: the query kept)
    anchor: str  # "" when there is none
    line: int
    column: int
    image: bool = False
    html: bool = False  # `<a href>` / `<img src>`: MkDocs leaves these as written (no .md -> page)

    @property
    def external(self) -> bool:
        return bool(_SCHEME.match(self.target)) or self.target.startswith("//")


@dataclass(frozen=True)
class Scan:
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    internal_blocks: tuple[Block, ...]
    ordered_list_sections: frozenset[str]  # texts of `##` sections holding a numbered list
    unsafe_html: tuple[tuple[int, int, str], ...]  # (line, column, what)
    has_text: bool  # anything but white space
    internal_html: tuple[tuple[int, int], ...] = ()  # (line, column) of raw HTML with class "internal"
    docfx: tuple[Mark, ...] = ()  # DocFX syntax MkDocs shows as written (`> [!NOTE]`, `:::image`...)


def slugify(text: str) -> str:
    """Python-Markdown's default toc slug: ASCII, lower case, punctuation dropped, spaces to '-'."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def heading_text(raw: str, attr_list: bool = True) -> str:
    """The visible text of a heading line (inline marks, HTML and, with attr_list, `{#id}` removed)."""
    if attr_list and _attr_id(raw):
        raw = raw.rstrip()
        raw = raw[:raw.rfind("{")]
    text = raw
    text = _TAG.sub("", text)
    text = _INLINE_MARKS.sub(lambda m: m.group(1) or "", text)
    return _ESCAPE.sub(r"\1", text).strip()


def scan(body: str, first_line: int = 1, slug: Callable[[str], str] | None = None, attr_list: bool = True) -> Scan:
    """Scan a Markdown body whose first line is line `first_line` of the file; heading anchors
    come from `slug` (mkdocs.yml's toc slugify), by default Python-Markdown's, and from `{#id}`
    only when the attr_list extension is on (without it MkDocs shows `{#id}` as text)."""
    slug = slug or slugify
    if may_fence(body) or "<" in body or "=" in body or _javascript_url(body):
        return _scan_lines(body, first_line, slug, attr_list)
    return _scan_prose(body, first_line, may_block(body), slug, attr_list)  # no HTML anchor either: no `<`


def _javascript_url(body: str) -> bool:
    """`"javascript:" in body.lower()` without lower-casing the whole body (only ASCII letters,
    the Kelvin sign and dotted İ lower-case to ASCII letters, and those keep the length the same
    or add a combining mark, so a window of ten characters before each `:` is enough)."""
    colon = body.find(":", 10)
    while colon >= 0:
        if body[colon - 10:colon].lower() == "javascript":
            return True
        colon = body.find(":", colon + 1)
    return False


def _scan_lines(body: str, first_line: int = 1, slug: Callable[[str], str] = slugify, attr_list: bool = True) -> Scan:
    """`scan`, one line at a time: for bodies with fences or HTML (any body, in fact)."""
    headings: list[Heading] = []
    links: list[Link] = []
    blocks: list[Block] = []
    ordered: set[str] = set()
    unsafe: list[tuple[int, int, str]] = []
    used_slugs: set[str] = set()
    next_free: dict[str, str] = {}  # see _unique
    section = ""
    block_start = block_indent = -1
    block_last = 0
    lines = body.split("\n")
    # Whole-body checks first: most articles have no fences, internal blocks or HTML, and the
    # per-line regexes they spare are most of the scan's time on a large knowledge base.
    fences = may_fence(body)
    blocks_here = may_block(body)
    may_danger = "<" in body or "=" in body or "javascript:" in body.lower()  # what _HTML_DANGER needs
    may_anchor = _HTML_ANCHOR.search(body) is not None
    may_setext = _SETEXT_UNDERLINE.search(body) is not None
    underline = -1  # the line under a setext heading: part of it, not scanned on its own
    block_start_here = True  # the line before was blank or a heading: this one starts a block
    code = fenced_lines(lines) if fences else set()
    raw = raw_html_lines(body, lines, code)
    tables = "|" in body
    not_text = code | raw if tables else code  # where a table ends: once, not per block (quadratic)
    table_until = -1  # lines before it are a table's
    containers = Containers() if may_nest(body) else None  # quotes, list items, admonitions
    wrapped = _Wrapped(body, lines, code)  # links that go on over a line end
    # Where blocks start matters to setext headings, tables and list items (the simple rule: after
    # a blank line or a heading) and, beyond the simple rule, after indented code, a thematic break
    # (`***`), an admonition's first line or raw HTML.
    blocks_matter = may_setext or tables or containers is not None
    code_run = False  # the line is indented code (or an admonition's body): its block ends with it
    # Whether the block starting here is whole (Python-Markdown reads a table there before it splits
    # ATX headings off the block, so the table takes them); not after text, a setext heading, a
    # thematic break or a heading in a quote or list (then it splits them off first).
    whole = True
    after_lazy = False  # the line before holds a heading in a quote or list item: `---` is a break
    block_quoted = False
    for index, line in enumerate(lines):
        number = first_line + index
        if block_start >= 0:
            stripped = line.strip()
            if not stripped or continues(line, block_indent, block_quoted):
                if stripped:
                    block_last = index
            else:
                blocks.append(block_of(lines, block_start, block_last, first_line))
                block_start = -1
        if block_start < 0 and blocks_here:  # in code too: renderers disagree on where code ends, and
            opened = block_marker(line)  # hiding a code sample from customers is the safe mistake
            if opened:
                block_start = block_last = index
                block_indent, block_quoted = opened
        if index in code:
            block_start_here = whole = index + 1 not in code
            after_lazy = False
            if containers is not None:
                containers.close()
            continue
        if index == underline:
            block_start_here, whole = True, False
            continue
        if tables and block_start_here and index >= table_until:
            table_until = table_end(lines, index, not_text, not whole)
        level, written = 0, ""
        hidden = index in raw or index < table_until  # raw HTML or a table row: no heading, no list or note opens
        if containers is not None and hidden:
            containers.close()
        nested = containers.nested(line, block_start_here) if containers is not None and not hidden else None
        if hidden:
            pass
        elif line[:1] == "#":
            heading = _HEADING.match(line)
            if heading:
                level, written = len(heading.group(1)), heading.group(2)
        elif (may_setext and block_start_here and index + 1 < len(lines) and _is_setext_text(line) and _SETEXT.fullmatch(lines[index + 1])
              and not (after_lazy and lines[index + 1][0] == "-")):  # there `---` is a thematic break
            level, written, underline, nested = (1 if lines[index + 1][0] == "=" else 2), line.strip(), index + 1, None
            if containers is not None:
                containers.close()  # `- x` above `---` is a heading, not a list item
        elif nested and (heading := _HEADING.match(nested)):
            level, written = len(heading.group(1)), heading.group(2)
        if blocks_matter:
            code_run = (line[:4] == "    " or line[:1] == "\t") and (block_start_here or code_run) and not after_lazy and bool(line.strip())
            after_lazy = bool(nested) and containers is not None and containers.lazy
            blank = not line.strip() or ("<" in line[:4] and block_tag(line))  # an HTML block: a block of its own
            opener = ends_block(line) and not is_break(line)
            if blank or opener or index in raw or (level and not nested and not underline == index + 1):
                whole = True
            elif block_start_here and not code_run and index >= table_until:
                whole = False
            block_start_here = bool(level) or blank or code_run or index in raw or opener or is_break(line)
        else:
            block_start_here = bool(level) or not line.strip()
        if level:
            text, explicit, base = _heading_parts(written, slug, attr_list)
            anchor = explicit or _unique(base, used_slugs, next_free)
            used_slugs.add(anchor)
            headings.append(Heading(level, text, anchor, number))
            for html_anchor in _html_anchors(written) if may_anchor else ():
                headings.append(Heading(level, text, html_anchor, number))
            if level <= 2 and not nested:  # a heading in a quote, list or note does not start a section
                section = text
        if section and (not level or nested) and line.lstrip()[:1].isdigit() and _ORDERED_ITEM.match(line):
            ordered.add(section)
        if "](" in line:
            if index >= wrapped.line:
                links.extend(_line_links(line, index, number, wrapped))
        elif "[" in line:
            found = list(_line_links(line, index, number, wrapped)) if index >= wrapped.line and _OPEN_AT_END.search(line) else []
            if "]:" in line:
                ref = _REF_DEF.match(line)
                if ref:
                    target, _, anchor = ref.group(2).partition("#")
                    found.append(Link(link_path(target), anchor, number, line.index(ref.group(2)) + 1))
                    found.sort(key=lambda link: link.column)  # as the fast path sorts them
                elif index + 1 < len(lines) and index + 1 not in code and _REF_OPEN.match(line):
                    found += _ref_on_next_line(lines[index + 1], number + 1)
            links += found
        if "<" in line:  # raw HTML links and images: MkDocs neither rewrites nor checks them
            for match in _HTML_LINK.finditer(line):
                before = line[:match.start()]
                if before.count("`") % 2 or before.rfind("<!--") > before.rfind("-->"):
                    continue  # in a code span or a comment: not a link
                written = html.unescape(match.group(2) or match.group(3) or match.group(4) or "")
                target, _, anchor = written.partition("#")
                if target or anchor:
                    links.append(Link(link_path(target), anchor, number, match.start() + 1, match.group(1).lower() == "img", True))
        if (may_danger or may_anchor) and ("<" in line or ":" in line):
            for match in _HTML_DANGER.finditer(line):
                group = next(index for index in (1, 2, 3) if match.group(index))
                unsafe.append((number, match.start(group) + 1, match.group(group).strip()))
            for html_anchor in _html_anchors(line) if not level else ():
                headings.append(Heading(7, "", html_anchor, number))
    if block_start >= 0:
        blocks.append(block_of(lines, block_start, block_last, first_line))
    if blocks_here and ("///" in body or "{" in body):
        blocks = with_other_blocks(blocks, body, lines, first_line)
    boxes = internal_boxes(body, lines, first_line) if "class" in body else ()
    docfx = marks(lines, first_line, code) if may_hold(body) else ()
    return Scan(tuple(headings), tuple(links), tuple(blocks), frozenset(ordered), tuple(unsafe), _has_text(body), boxes, docfx)


def _scan_prose(body: str, first_line: int, blocks_here: bool, slug: Callable[[str], str] = slugify,
                attr_list: bool = True) -> Scan:
    """`scan` for a body without fences and HTML (most articles), with the same result.

    Finds headings with `str.find`, links with one regex search over the body and numbered lists
    with one per section, instead of a Python loop over every line: the loop was about a third
    of a cold `kb lint` of 10,000 articles, and a search per link line another 0.2 s
    (bench/lint_bench.py). Without fences nothing
    is hidden, and without `<`, `=` or `javascript:` there is no unsafe HTML and no HTML anchor.
    tests/test_markdown.py compares both ways over tricky bodies. Tables and headings in quotes,
    lists or admonitions (kb.block_structure) are left to the line loop.
    """
    if "|" in body:
        return _scan_lines(body, first_line, slug, attr_list)
    headings: list[Heading] = []
    used_slugs: set[str] = set()
    next_free: dict[str, str] = {}  # see _unique
    sections: list[tuple[int, int, str]] = []  # (where a level 1-2 heading starts, where it ends, its text)
    heading_lines: set[int] = set()  # where heading lines start
    found: list[tuple[int, int, int, str]] = []  # (line start, end of the heading, level, text as written)
    # Each `#` by a one-character search (`"\n#"` is four times slower): one at a line's start may
    # open a heading; one after a blank, a tab or `>` may be a heading in a quote or list item,
    # which the line loop reads (block_structure.may_nest); other `#`s (`C#`, `x.md#fix`) are text.
    start = body.find("#")
    while start >= 0:
        if start and body[start - 1] != "\n":
            if body[start - 1] in " \t>":
                return _scan_lines(body, first_line, slug, attr_list)
            start = body.find("#", start + 1)
            continue
        end = body.find("\n", start)
        line = body[start:end] if end >= 0 else body[start:]
        heading = _HEADING.match(line)
        if heading:
            heading_lines.add(start)
            found.append((start, end if end >= 0 else len(body), len(heading.group(1)), heading.group(2)))
        start = body.find("#", end) if end >= 0 else -1
    setext = _setext_headings(body, heading_lines)  # one regex search: faster than `"\n-" in body`
    if setext is None:
        return _scan_lines(body, first_line, slug, attr_list)
    if setext:
        found = sorted(found + setext)
    counted, number = 0, first_line  # line `number` starts at or before offset `counted`
    for start, end, level, written in found:
        text, explicit, base = _heading_parts(written, slug, attr_list)
        anchor = explicit or _unique(base, used_slugs, next_free)
        used_slugs.add(anchor)
        number += body.count("\n", counted, start)
        counted = start
        headings.append(Heading(level, text, anchor, number))
        if level <= 2:
            sections.append((start, end, text))
    ordered: set[str] = set()
    for index, (_, after, text) in enumerate(sections):
        until = sections[index + 1][0] if index + 1 < len(sections) else len(body)  # a setext text may look like `1. x`
        if text and text not in ordered and _ORDERED_LINE.search(body, after, until):
            ordered.add(text)
    links: list[Link] = []
    counted, number = 0, first_line
    spans: _CodeSpans | None = None
    pos = 0
    while (match := _BODY_LINK.search(body, pos)) is not None:
        begin, pos = match.start(), match.end()
        line_start = body.rfind("\n", 0, begin) + 1
        if body.find("\n", begin, pos) >= 0:  # a link that wraps (rare)
            spans = spans or _CodeSpans(body)
            if body[line_start] == "#" or spans.covers(begin, 0):  # a heading is one line
                pos = begin + 1
                continue
        number += body.count("\n", counted, line_start)
        counted = line_start
        image = begin > line_start and body[begin - 1] == "!"
        target, _, anchor = unescaped(match.group(2)).partition("#")
        links.append(Link(link_path(target), anchor, number, begin - line_start + (0 if image else 1), image))
    if ":" in body and "]:" in body:  # reference definitions: rare (the `:` test is 15x faster)
        counted, number = 0, first_line
        for start in line_starts(body, ("]:",)):
            end = body.find("\n", start)
            line = body[start:end] if end >= 0 else body[start:]
            ref = _REF_DEF.match(line) if start not in heading_lines and "](" not in line else None
            if ref:
                number += body.count("\n", counted, start)
                counted = start
                target, _, anchor = ref.group(2).partition("#")
                links.append(Link(link_path(target), anchor, number, line.index(ref.group(2)) + 1))
            elif end >= 0 and "](" not in line and _REF_OPEN.match(line):
                number += body.count("\n", counted, start)
                counted = start
                after = body.find("\n", end + 1)
                links.extend(_ref_on_next_line(body[end + 1:after if after >= 0 else len(body)], number + 1))
        links.sort(key=lambda link: (link.line, link.column))
    blocks = internal_blocks(body, first_line) if blocks_here else ()
    docfx = marks(body.split("\n"), first_line) if may_hold(body) else ()  # no fences here: no code to leave out
    return Scan(tuple(headings), tuple(links), blocks, frozenset(ordered), (), _has_text(body), (), docfx)


def _html_anchors(text: str) -> list[str]:
    """The `name=`/`id=` values of HTML tags in `text`, however quoted."""
    return [double or single or bare for double, single, bare in _HTML_ANCHOR.findall(text)]


def _is_setext_text(line: str) -> bool:
    """Whether a block's first line can be a setext heading's text (not blank, not indented code,
    not an admonition's first line or a block-level HTML tag)."""
    return (bool(line.strip()) and line[:4] != "    " and line[:1] != "\t" and not (line[:1] in "!?" and ends_block(line))
            and not ("<" in line[:4] and block_tag(line)))


def _setext_headings(body: str, atx_starts: set[int]) -> list[tuple[int, int, int, str]] | None:
    """`_scan_lines`'s setext headings of a prose body: a block's first line above `===`/`---`.

    A block starts at the top, after a blank line, an ATX heading or a setext heading's underline;
    None when one may start after indented code or an admonition's first line (rare: the line
    loop decides those).
    """
    found: list[tuple[int, int, int, str]] = []
    underlines: set[int] = set()
    for match in _SETEXT_UNDERLINE.finditer(body):
        text_end = match.start()
        text_start = body.rfind("\n", 0, text_end) + 1
        text = body[text_start:text_end]
        if not _is_setext_text(text) or text_start in atx_starts or text_start in underlines:
            continue
        if text_start > 0:
            before = body.rfind("\n", 0, text_start - 1) + 1
            previous = body[before:text_start - 1]
            if previous.strip() and before not in atx_starts and before not in underlines:
                if previous[:4] == "    " or previous[:1] == "\t" or ends_block(previous):
                    return None
                continue
        underlines.add(text_end + 1)
        found.append((text_start, match.end(), 1 if body[text_end + 1] == "=" else 2, text.strip()))
    return found


@functools.lru_cache(maxsize=4096)
def _heading_parts(written: str, slug: Callable[[str], str], attr_list: bool = True) -> tuple[str, str | None, str]:
    """(text, explicit id, slug before de-duplication) of a heading as written after the `#`s.

    Cached: a knowledge base repeats the same section headings (`## Cause`) thousands of times.
    """
    raw = written.rstrip(" \t#") or written[:1]
    text = heading_text(raw, attr_list)
    return text, _attr_id(raw) if attr_list else None, slug(text)


def _has_text(body: str) -> bool:
    """Whether the body holds a word (`bool(body.split())` without splitting it)."""
    return bool(body) and not body.isspace()


class _CodeSpans:
    """Whether a link that wraps opens inside an inline code span (`` `[a\nb](x.md)` ``, which
    Python-Markdown leaves as code): an odd number of backticks before it in its paragraph, as
    for raw HTML links on a line. Asked at growing offsets, so each part of the body is read once."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.counted = 0  # backticks are counted up to here
        self.odd = False

    def covers(self, begin: int, floor: int) -> bool:
        """`floor`: where the text after the last fenced code before `begin` starts."""
        start = self.counted
        if floor > start:
            start, self.odd = floor, False
        for blank in _BLANK_LINE.finditer(self.body, start, begin):
            start, self.odd = blank.end(), False
        self.odd ^= self.body.count("`", start, begin) % 2 == 1
        self.counted = begin
        return self.odd


class _Wrapped:
    """The line loop's links that go on over a line end: _BODY_LINK matched on the body from a
    line's `[`, up to the next fenced code (the fast path matches it on the whole body)."""

    def __init__(self, body: str, lines: list[str], code: set[int]) -> None:
        self.body, self.lines, self.code = body, lines, code
        self.line = self.column = 0  # where the last one ended: links before are inside it
        self.starts: list[int] = []  # offsets of the lines, on the first attempt
        self.code_lines: list[int] = []
        self.spans = _CodeSpans(body)

    def match(self, index: int, column: int) -> re.Match[str] | None:
        """The link that wraps from column `column` of line `index`, if any and not in a code span."""
        if not self.starts:
            self.starts = list(itertools.accumulate((len(line) + 1 for line in self.lines), initial=0))
            self.code_lines = sorted(self.code)
        after = bisect.bisect(self.code_lines, index)
        end = self.starts[self.code_lines[after]] - 1 if after < len(self.code_lines) else len(self.body)
        found = _BODY_LINK.match(self.body, self.starts[index] + column, end)
        if found is None or self.spans.covers(found.start(), self.starts[self.code_lines[after - 1] + 1] if after else 0):
            return None
        self.line = index + self.body.count("\n", found.start(), found.end())
        self.column = found.end() - self.starts[self.line]
        return found


def _line_links(line: str, index: int, number: int, wrapped: _Wrapped) -> Iterator[Link]:
    """The links that start on line `index` (`number` in the file), from where the last one that
    wraps ended; a `[` that opens no link on the line may open one that wraps."""
    pos = wrapped.column if index == wrapped.line else 0
    while (start := _LINK_START.search(line, pos)) is not None:
        at = start.start()
        match = _LINK.match(line, at)
        if match:
            target, _, anchor = unescaped(match.group(3)).partition("#")
            yield Link(link_path(target), anchor, number, at + 1, bool(match.group(1)))
            pos = match.end()
        elif line[at] == "[" and line[:1] != "#" and (found := wrapped.match(index, at)) is not None:
            image = at > 0 and line[at - 1] == "!"
            target, _, anchor = unescaped(found.group(2)).partition("#")
            yield Link(link_path(target), anchor, number, at + (0 if image else 1), image)
            return  # it ends on a later line
        else:
            pos = at + 1


def _ref_on_next_line(line: str, number: int) -> list[Link]:
    """The link of a reference definition whose target is on the next line, `line` (number `number`)."""
    ref = _REF_TARGET.match(line)
    if ref is None:
        return []
    target, _, anchor = ref.group(1).partition("#")
    return [Link(link_path(target), anchor, number, line.index(ref.group(1)) + 1)]


def unescaped(href: str) -> str:
    """The target of an inline link as Python-Markdown reads it: `my\\_file.md` is `my_file.md` (it
    drops the backslash before punctuation it escapes; a reference definition keeps it)."""
    return _HREF_ESCAPE.sub(r"\1", href) if "\\" in href else href


def link_path(target: str) -> str:
    """The path MkDocs looks for: `my%20file.md?tab=2` -> `my file.md`. MkDocs drops the query,
    then decodes the path, so `q%3Fx.md` is the file `q?x.md`, not `q` with a query."""
    if "?" in target and not _SCHEME.match(target):
        target = target.partition("?")[0]
    return urllib.parse.unquote(target) if "%" in target else target


def _attr_id(raw: str) -> str | None:
    """The id of a trailing attribute list (`## Fix {#fix}` -> `fix`), else None."""
    raw = raw.rstrip()
    if not raw.endswith("}"):
        return None
    match = _ATTR_ID.match(raw, raw.rfind("{"))
    return match.group(1) if match else None


def _unique(slug: str, used: set[str], next_free: dict[str, str]) -> str:
    """Python-Markdown's toc `unique`: `fix`, `fix_1`, `fix_2`... (`_1` for an empty slug).

    Each slug's search resumes where its last one ended (`next_free`): `used` only grows, so the
    result is the same, and 10,000 equal headings take 10,000 steps instead of 50 million.
    """
    start = slug
    slug = next_free.get(start, slug)
    while slug in used or not slug:
        count = _ID_COUNT.match(slug)
        slug = f"{count.group(1)}_{int(count.group(2)) + 1}" if count else f"{slug}_1"
    next_free[start] = slug
    return slug


