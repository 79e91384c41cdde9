"""kb.markdown: MkDocs-compatible slugs, links as MkDocs reads them, internal blocks, linear scans."""

from __future__ import annotations

import re
from html import unescape as html_unescape
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.markdown import Link, scan, slugify
from kb.public_text import strip_internal_blocks


@pytest.mark.parametrize("text, slug", [
    ("Cause", "cause"),
    ("Why does QRIS fail?", "why-does-qris-fail"),
    ("Step 2: re-pair the printer", "step-2-re-pair-the-printer"),
    ("Pembayaran gagal — coba lagi", "pembayaran-gagal-coba-lagi"),
    ("Café & résumé", "cafe-resume"),
    ("  spaced   out  ", "spaced-out"),
])
def test_slugify_matches_python_markdown_toc(text: str, slug: str) -> None:
    from markdown.extensions.toc import slugify as toc_slugify

    assert slugify(text) == slug == toc_slugify(text, "-")


def test_headings_anchors_duplicates_and_explicit_ids() -> None:
    result = scan("# Title\n\n## Fix\n\n## Fix\n\n## Other {#custom-id}\n\n## C# tips ##\n\n## *Bold* [link](x.md)\n", 7)
    assert [(h.level, h.text, h.anchor, h.line) for h in result.headings] == [
        (1, "Title", "title", 7), (2, "Fix", "fix", 9), (2, "Fix", "fix_1", 11),
        (2, "Other", "custom-id", 13), (2, "C# tips", "c-tips", 15), (2, "Bold link", "bold-link", 17),
    ]


def test_headings_inside_fences_do_not_count() -> None:
    result = scan("```\n# not a heading\n[x](nowhere.md)\n```\n## Real\n")
    assert [h.text for h in result.headings] == ["Real"] and result.links == ()


def test_links_as_mkdocs_reads_them() -> None:
    body = ('[a](b.md "Title") ![pic](img/p.png) [sp](<my file.md#sec>) [enc](my%20file.md)\n'
            "[nested [x]](n.md) [web](https://example.com/a_(b)) [mail](mailto:a@b.c) [top](#top)\n"
            "[ref]: r.md#anchor\n")
    links = scan(body).links
    assert links[:5] == (
        Link("b.md", "", 1, 1), Link("img/p.png", "", 1, 19, image=True), Link("my file.md", "sec", 1, 37),
        Link("my file.md", "", 1, 60), Link("n.md", "", 2, 1),
    )
    assert [link.target for link in links if link.external] == ["https://example.com/a_(b)", "mailto:a@b.c"]
    assert Link("mailto:a@b.c", "", 1, 1).external and Link("//cdn.example/x.js", "", 1, 1).external
    assert not Link("b.md", "", 1, 1).external
    assert any(link.target == "" and link.anchor == "top" for link in links)
    assert Link("r.md", "anchor", 3, 8) in links


def test_internal_blocks_are_found_and_stripped() -> None:
    body = ("Public text.\n\n!!! internal \"For agents\"\n    Escalate to tier 2.\n\n    Call +62 21 555.\n"
            "\nPublic again.\n??? internal\n    Hidden too.\n")
    result = scan(body, 5)
    assert [(b.start, b.end) for b in result.internal_blocks] == [(7, 10), (13, 14)]
    public = strip_internal_blocks(body, result.internal_blocks, 5)
    assert "Escalate" not in public and "+62" not in public and "Hidden" not in public
    assert "Public text." in public and "Public again." in public


def test_ordered_lists_per_section_and_unsafe_html() -> None:
    result = scan("## Steps\n\n1. Open.\n2. Tap.\n\n## Notes\n\n- a\n\n<img src=x onerror=alert(1)>\n")
    assert result.ordered_list_sections == frozenset({"Steps"})
    assert result.unsafe_html == ((10, 12, "onerror="),)


@pytest.mark.parametrize("line", [
    "[a](" * 100_000, "[" * 200_000 + "](x", "[x](" + " " * 200_000 + "y", "[a" * 100_000,
    "# a" + " #" * 100_000 + "b", "# " + "{" * 200_000, "<a id=\"x\"" * 50_000, "# " + "[a](" * 50_000,
    "- " * 1_000_000 + "# x", "> 1. " * 500_000 + "# x",  # quote and item markers before a heading
    "{: " + ".internal " * 30_000,  # an attribute list never closed
    "/// note | x" + " " * 100_000 + "y\ninternal", "/// details | x\n" * 200_000 + "internal",  # pymdownx.blocks
    "<div>\n" + "| a |\n\n" * 100_000,  # many blocks that may start a table, in raw HTML
    "[a]: x\n" * 150_000,  # reference definitions
    '<img class="internal"\n' * 30_000,  # raw HTML boxes whose tag never closes (the public view)
])
def test_scan_is_linear_on_pathological_lines(line: str) -> None:
    # Not a speed goal (see bench/): a complexity guard. With backtracking regexes these took from
    # seconds to hours; linear, each takes well under 0.1 s, so 10 s only catches a relapse.
    from kb.public_text import strip_html_comments

    start = time.perf_counter()
    result = scan(line)
    strip_html_comments(strip_internal_blocks(line, result.internal_blocks, 1, result.internal_html))  # the public view
    assert time.perf_counter() - start < 10


# Bodies without fences or HTML take a faster path (kb.markdown._scan_prose); it must find exactly
# what the line loop finds. Each body is tricky for one of the things the fast path does by offsets.
PROSE_BODIES = [
    "",
    "# Only a heading",
    "#not a heading\n#\n####### seven\n# Real\ntext [a](a.md) and [b](b.md#x)\n",
    "## Steps\n1. one\n2. two\n## Notes\n   3) three\n    4. too deep\n### Sub\n5. still Notes\n",
    "intro\n1. before any section\n## \n1. untitled section\n## Next\ntext\n",
    "## Steps {#steps}\n\n- bullet\n10. ten\n## Steps\nnothing\n## Stepsx\n1.no blank after dot\n",
    "## [Link](in-heading.md)\n[ref]: refs.md#anchor \"title\"\nsee [x](y.md) and [ref]: not a def\n",
    "text](broken\n![img](pic.png) [a]( <spaced name.md> ) [%20](my%20file.md)\n]: \n[r]:x.md",
    "!!! internal \"For agents\"\n    hidden [l](l.md)\n\n    more\nout\n??? internal\n  x\n",
    "intro\n  !!! internal\n      deep\n    shallower still inside\n  back out ends it\n!!! internal\n",
    "!!! internal\n    a\n!!! internal\n    b\n\n\n",
    "    !!! internal nested marker\n!!! internal\n    !!! internal inner\n    text\ninternal word\n",
    "!!! internal\n\u2003  unicode indent\n\x1c\nend",
    "words\x1cseparated\x1fby\u00a0odd\u2003spaces\n\n",
    "# A\n## A\n## A\n# a\n## Über\n",
    "trailing line without newline [x](x.md)",
    "\n\n## Late\n1. item\n",
    "Symptoms\n--------\nIt fails.\n\nCause\n=====\n[x](x.md)\nSteps\n---\n1. one\n",
    "# A\nB\n---\n\npara one\npara two\n---\n    code\n    ---\n- item\n---\nC\n---\nD\n---\n",
    "## See [broken](nothere.md) and [ok](a.md#x)\n",
    "## Use C #1 or C#\nissue #42, C# and [x](x.md#y)\n## H\n>#quoted\ntext\t# tab\n- # in a list\n",
    "C# and F#\n#\n##\n[a](#top)#\n",
    # links that wrap: text, target, title; in code spans; over blank lines and headings; a `[` left open
    "See [the refund\nguide](refunds.md) and ![a\nb](p.png) [x](\ny.md \"t\nu\") [c\n\nd](z.md)\n",
    "`[a\nb](code.md)` and `x` [a\nb [c](in.md)](out.md) [d\n# e](f.md)\n## [g\nh](i.md)\n[open\n",
    "> [a](\n> q.md) [b\n>\n> c](r.md)\n[r]:\n  next-line.md\n[s]:\n\n[t]:\n[u](v.md)\n",
    "[x]:[a\nb](c.md)\n[r]:\n![a\nb](c.md)\n[y]: z.md [open\nd](e.md)\n",  # a definition and a link at one place
    # DocFX syntax (kb.docfx): alerts that github-callouts reads and ones it leaves as text, in a list,
    # in a code span; an `:::image` whose source is on a later line; includes, videos, zones, rows
    "> [!NOTE]\n> a\n> [!TIP]\n> b\n\n1. step\n    > [!warning] now\n> > [!CAUTION]\n> x\n`[!INCLUDE [a](b.md)]`\n",
    ":::image type=\"content\"\n  alt-text=\"x\" source='media/a b.png':::\n[!INCLUDE[l](../inc/x.md)] [!VIDEO https://v/1]\n"
    "> [!div class=\"nextstepaction\"]\n> [Next](n.md)\n:::zone pivot=\"a\"\n:::zone-end:::\n:::row:::\n:::column:::\n::: not.docfx\n",
]


@pytest.mark.parametrize("body", PROSE_BODIES)
def test_fast_scan_of_prose_finds_what_the_line_loop_finds(body: str) -> None:
    from kb.internal_blocks import may_block
    from kb.markdown import _scan_lines, _scan_prose

    assert _scan_prose(body, 5, may_block(body)) == _scan_lines(body, 5)
    assert scan(body, 5) == _scan_lines(body, 5)


def test_fast_scan_results_are_right_not_just_equal() -> None:
    result = scan("## Steps\n1. one\n## Notes\n!!! internal\n    secret [x](x.md)\nafter\n", 3)
    assert result.ordered_list_sections == frozenset({"Steps"})
    assert [(block.start, block.end) for block in result.internal_blocks] == [(6, 7)]
    assert [(link.target, link.line, link.column) for link in result.links] == [("x.md", 7, 12)]
    assert result.has_text and not scan(" \n\u2003\x1c\n").has_text


def test_docfx_syntax_is_found_outside_code() -> None:
    body = ("intro\n\n> [!NOTE]\n> Back up first.\n> [!TIP]\n> After text.\n\n1. Open it.\n\n    > [!Important]\n"
            "    > In a list.\n\n:::image type=\"content\" source=\"media/a.png\" alt-text=\"A\":::\n"
            "Select :::image type=\"icon\" source=\"media/b.png\"::: then [!INCLUDE [note](../includes/n.md)].\n"
            "```\n> [!NOTE]\n> :::image source=\"code.png\":::\n```\n\n`:::image source=\"span.png\":::`\n")
    expected = [(3, 3, "alert", "NOTE"), (5, 3, "alert-text", "TIP"), (10, 7, "alert", "Important"),
                (13, 1, "image", "media/a.png"), (14, 8, "image", "media/b.png"), (14, 58, "include", "../includes/n.md")]
    assert [tuple(mark) for mark in scan(body, 1).docfx] == expected
    assert scan("Plain [a](b.md) text: no DocFX here!\n").docfx == ()


# Pieces of prose-only bodies (no fences, HTML, `=` or `javascript:`), joined at random below.
_PROSE_PIECES = ["\n", "# ", "## ", "### ", "Steps", "Cause", " ", "text", "1. ", "2) ", "   ", "- ", "---", "-", "==", "\n---\n",
                 "[", "]", "(", ")", "![", "](", "]:", "a.md", "#x", "<", ">", "%20", "\"t\"", "'", "!!! internal",
                 "    ", "\t", "{#id}", "Über", "\u2003", "\x1c", "!", "}", "!!!internal", "??? note INTERNAL", "> ", "\t\t",
                 "`", "[a\nb](c.md)", "](\n", "[!NOTE]", ":::image source=\"a.png\"", ":::", "[!INCLUDE [a](b.md)]"]


@given(st.lists(st.sampled_from(_PROSE_PIECES), max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
def test_fast_scan_of_random_prose_finds_what_the_line_loop_finds(body: str) -> None:
    from kb.internal_blocks import may_block
    from kb.markdown import _scan_lines, _scan_prose

    assert _scan_prose(body, 3, may_block(body)) == _scan_lines(body, 3)


@pytest.mark.parametrize("body", [
    "## a_1\n## a\n## a\n## a\n",
    "## x_1\n## x\n## x\n## x_2\n## x\n",
    "# A\n## A\n## A\n# a\n## a_2\n## A\n",
    "## __init__ and _em_ and snake_case\n## **bold** `code_x` *it*\n## [link_a](x.md) more\n",
    "## !!\n## ??\n## Über\n## über\n",
    "Setext one\n==========\n\nSetext two\n----------\ntext\n\n# A\nB\n---\n",
    "## The batch \\<batch name> already exists\n## Use <kbd>Ctrl</kbd>\n",
    "#Symptoms\ntext\n##Cause\n#\n   # indented: text\n#\\# escaped\n## C#\n",  # no blank needed after `#`
])
def test_heading_anchors_are_the_ones_python_markdown_renders(body: str) -> None:
    rendered, _ = python_markdown(body, ["toc"])
    assert [heading.anchor for heading in scan(body).headings] == rendered
    assert [heading.anchor for heading in _scan_lines_of(body)] == rendered


def python_markdown(body: str, extensions: list[str]) -> tuple[list[str], str]:
    """(the heading anchors in the toc, the HTML) as Python-Markdown renders `body` for MkDocs."""
    import markdown

    renderer = markdown.Markdown(extensions=extensions)
    html = renderer.convert(body)
    rendered: list[str] = []

    def walk(tokens: list[dict]) -> None:
        for token in tokens:
            rendered.append(token["id"])
            walk(token["children"])

    walk(renderer.toc_tokens)
    return rendered, html


def _scan_lines_of(body: str):  # the line loop, which bodies with fences or HTML take
    from kb.markdown import _scan_lines

    return _scan_lines(body).headings


def test_many_equal_headings_take_linear_time() -> None:
    """1,000 `## Same` headings: the unique-anchor search once restarted at `_1` for each, so
    60,000 of them (a 480 KB file) ran for minutes. Counted in set lookups, not seconds."""
    from kb.markdown import _unique

    class CountingSet(set):
        lookups = 0

        def __contains__(self, item: object) -> bool:
            CountingSet.lookups += 1
            return super().__contains__(item)

    used: CountingSet = CountingSet()
    next_free: dict[str, str] = {}
    anchors = []
    for _ in range(1000):
        anchors.append(_unique("same", used, next_free))
        used.add(anchors[-1])
    assert anchors[:3] == ["same", "same_1", "same_2"] and anchors[-1] == "same_999"
    assert CountingSet.lookups < 3 * 1000  # restarting each search: about 500,000
    assert scan("## Same\n" * 10_000).headings[-1].anchor == "same_9999"


def test_any_element_id_in_raw_html_is_an_anchor() -> None:
    result = scan('<h2 id="html-id">Raw</h2>\n<a name="old-name"></a> <span class="x" id="sp">s</span>\n')
    assert {h.anchor for h in result.headings} == {"html-id", "old-name", "sp"}


def test_links_in_headings_are_links() -> None:
    assert [link.target for link in scan("## See [broken](nothere.md)\n").links] == ["nothere.md"]


@pytest.mark.parametrize("body, public", [
    ("a <!-- note --> b", "a  b"),
    ("<!-- note\n```\necho hi\n```\nsecret -->\nafter", "\nafter"),  # a comment may span code
    ("```\n<!-- code -->\n```", "```\n<!-- code -->\n```"),  # in fenced code: text
    ("Use `<!-- note -->` in Markdown", "Use `<!-- note -->` in Markdown"),  # in a code span: text
    ("x <!-- unclosed\nnote\n\npara", "x \n\npara"),  # the renderer shows it as text: a note all the same
    # code for kb's fence reading but not for pymdownx.superfences or fenced_code: the comment goes
    ("```\n<!-- note -->\n````\n", "```\n\n````\n"),  # a longer close
    ("```\n<!-- note -->\n  ```\n", "```\n\n  ```\n"),  # an indented close
    ("```python foo\n<!-- note -->\n```\n", "```python foo\n\n```\n"),  # an option SuperFences refuses
    ("- a\n\n    ```\n    <!-- note -->\n    ```\n", "- a\n\n    ```\n    \n    ```\n"),  # fenced_code: no fence
    ("`<!--` opens one.\n\n<!-- note -->", "`<!--` opens one.\n\n"),  # a `<!--` in code does not hide the next
    ("```\n<!--\n```\n<!-- note -->", "```\n<!--\n```\n"),
    ("<!-- a\n```\nx --> y\n```\nnote -->\nafter", "\nafter"),  # a `-->` in code does not end it
    ("It costs `5 <!-- note -->", "It costs `5 "),  # an unclosed code span
    ("`a\nb `<!-- note -->`", "`a\nb ``"),  # Python-Markdown 3.11 pairs backticks across lines
])
def test_html_comments_leave_the_public_view(body: str, public: str) -> None:
    from kb.public_text import strip_html_comments

    assert strip_html_comments(body) == public


@pytest.mark.parametrize("body, spans", [
    ("/// admonition | For agents\n    type: internal\n\nsecret\n///\nafter", [(1, 5)]),
    ("/// details | x\n    open: true\n    type: internal\n\nsecret\n///", [(1, 6)]),
    ("/// html | div.internal\nsecret\n///", [(1, 3)]),
    ("/// internal | Agents\nsecret\n///", [(1, 3)]),  # an admonition type named internal
    ("/// note | x\n    attrs: {class: internal}\nsecret\n///", [(1, 4)]),
    ("/// admonition | Agents\n    type: internal\n\nsecret\n\n", [(1, 4)]),  # never closed: to the end
    ("- a\n\n    /// admonition | t\n        type: internal\n\n    secret\n    ///\n\nafter", [(3, 7)]),
    ("//// details | outer\n    type: internal\n\n/// note\ninner\n///\nsecret\n////\nafter", [(1, 8)]),  # nested
    ("/// admonition | t\n    type: internal\n\n```\n///\n```\nsecret\n///\nafter", [(1, 8)]),  # `///` in code
    ("!!! internal\n    /// details | x\n        type: internal\n    y\n    ///\n", [(1, 5)]),  # one inside another: once
    ("/// details | Internal notes for customers\nshown\n///", []),  # a title does not make it internal
    ("/// html | div.internal-ish\nshown\n///", []),
])
def test_pymdownx_blocks_marked_internal_are_internal_blocks(body: str, spans: list[tuple[int, int]]) -> None:
    from kb.internal_blocks import may_block
    from kb.markdown import _scan_lines, _scan_prose

    for result in (_scan_prose(body, 1, may_block(body)), _scan_lines(body)):  # both ways agree
        assert [(b.start, b.end) for b in result.internal_blocks] == spans


@pytest.mark.parametrize("body, spans", [
    ("Public.\n\nsecret\nmore\n{: .internal }\n\nafter", [(3, 5)]),  # the paragraph it closes
    ("Public.\nsecret {.note .internal}\nsame paragraph\n\nafter", [(1, 3)]),
    ("{:.internal}\n", [(1, 1)]),
    ("## Agents {: .internal }\n\nsecret\n### Deeper\nsecret\n\n## Public\nshown", [(1, 5)]),  # its section
    ("# Agents {.internal}\n```sh\n# a comment, not a heading\n```\nsecret\n# Next\nshown", [(1, 5)]),
    ("## Notes {.internal-ish} and {: .internals }\nshown\n", []),  # other classes
    ("Set `{ width: 100 }` for internal use.\n", []),
])
def test_parts_marked_internal_with_attr_list_are_internal_blocks(body: str, spans: list[tuple[int, int]]) -> None:
    """attr_list's class only styles what it marks; the author meant it for agents, so the public
    view leaves it out like an `!!! internal` block."""
    from kb.internal_blocks import may_block
    from kb.markdown import _scan_lines, _scan_prose

    for result in (_scan_prose(body, 1, may_block(body)), _scan_lines(body)):  # both ways agree
        assert [(b.start, b.end) for b in result.internal_blocks] == spans


def test_internal_markers_count_inside_code_too() -> None:
    """Renderers disagree on where code ends (a longer or indented closing fence): hiding a code
    sample is the safe mistake, publishing an internal block is not."""
    result = scan("```\n!!! internal\n    secret\n````\nafter\n")
    assert [(b.start, b.end) for b in result.internal_blocks] == [(2, 3)]


def test_public_view_drops_html_boxes_and_blocks_together() -> None:
    """Both are removed by the lines the scan found, in one pass (a box above a block must not shift it)."""
    body = ('Intro.\n<details class="internal"><summary>A</summary>\nBoxed\n</details>\n'
            "Middle.\n\n!!! internal\n    Blocked\n\nEnd.\n")
    result = scan(body, 3)
    public = strip_internal_blocks(body, result.internal_blocks, 3, result.internal_html)
    assert public.split("\n") == ["Intro.", "Middle.", "", "", "End.", ""]


@pytest.mark.parametrize("body, boxes, public", [
    ('<div class="note internal">x</div>\nafter', ((1, 1),), "after"),
    ("<img class=internal src=x.png>\nrest", ((1, 1),), "rest"),  # a void element: its tag only
    ('<div class="internal">\nunclosed\n\npara after', ((1, 1),), "\npara after"),  # to its paragraph's end
    ('Do not write `<details class="internal">` here.\n## Next', (), None),  # in a code span
    ('```\n<div class="internal">x</div>\n````\nrest', ((2, 1),), "```\n````\nrest"),  # code for kb, not for SuperFences
    ("It costs `5 <div class=internal>x</div>", ((1, 13),), ""),  # an unclosed code span
    ('<!-- old: <div class="internal"> notes -->\nrest', (), None),  # in a comment
    ('<div class="internal-note">x</div> <div data-class="internal">y</div>', (), None),  # not the class `internal`
])
def test_raw_html_boxes_with_the_class_internal(body: str, boxes: tuple, public: str | None) -> None:
    result = scan(body)
    assert result.internal_html == boxes
    assert strip_internal_blocks(body, (), 1, result.internal_html) == (public if public is not None else body)


def test_html_anchors_in_any_quoting() -> None:
    body = "<a name='single-quoted'></a>\n<h2 id='h2-single'>x</h2>\n<a id=unquoted></a>\n"
    assert {h.anchor for h in scan(body).headings} == {"single-quoted", "h2-single", "unquoted"}


def test_raw_html_links_and_images_are_links() -> None:
    body = 'See <a href="../x.md#sec">x</a> and <img src=\'pic.png\' alt="a"> <a href=https://example.com>e</a>\n'
    assert [(l.target, l.anchor, l.column, l.image) for l in scan(body).links] == [
        ("../x.md", "sec", 5, False), ("pic.png", "", 37, True), ("https://example.com", "", 65, False)]


def test_raw_html_links_in_code_spans_comments_and_other_attributes_are_not_links() -> None:
    body = ('`<a href="code.md">` <!-- <a href="c.md">c</a> --> <a data-href="d.md">d</a> '
            '<a href="&#109;issing.md">m</a>\n')
    assert [(link.target, link.html) for link in scan(body).links] == [("missing.md", True)]


# The grammar kb claims to read as MkDocs renders it (README "What kb reads as a heading"): ATX and
# setext headings, fences, indented code, thematic breaks, tables, raw HTML blocks, and headings in
# quotes, list items and admonitions (each closed by a blank line and a line at the margin).
_BLOCK_PIECES = ["# Title", "## Cause", "##Cause", "### A *b* `c`", "#", "## ", "Text line", "", "", "Para\n---", "Para\n===",
                 "```\n# not\n```", "~~~\n## no\n~~~", "    # indented code", "\t# tab", "***", "- - -", "---", "## Same",
                 "## Fix {#fix}", "## A ##", "## [l](x.md)", "Text with # hash", "  ## two spaces", "## Über",
                 "<div>\n# html\n</div>", "<div markdown=\"1\">\n# in md div\n</div>", "<!-- # c -->", "<!--\n# c\n-->",
                 "| a | b |\n|---|---|\n| # | x |", "| a |\n|---|\n| x |", "| a | b |\n|---|---|",
                 "> # quoted\n\nEnd.", "> > ## deep\n\nEnd.", "- # in list\n\nEnd.", "1. ## Step\n2. ## Next step\n\nEnd.",
                 "!!! note\n    ## In note\n\n    text\n\nEnd.", "!!! note \"T\"\n\n    # after blank\n\nEnd.",
                 "- item\n\n    ## Sub\n\nEnd.", "Line\n# Heading right after", "[a](b c.md) and [d](e f.md \"t\")"]


@given(st.lists(st.sampled_from(_BLOCK_PIECES), min_size=1, max_size=8).map("\n".join))
@settings(max_examples=500, deadline=None, derandomize=True)  # the same bodies every run: CI never flakes
def test_heading_anchors_and_links_match_what_mkdocs_renders(body: str) -> None:
    """kb's heading anchors and link targets are the ones Python-Markdown renders with the
    extensions of mkdocs.yml that change headings (tables, admonition, md_in_html, attr_list)."""
    from kb.markdown import _scan_lines

    rendered, html = python_markdown(body, ["toc", "tables", "fenced_code", "attr_list", "admonition", "md_in_html"])
    assert [heading.anchor for heading in scan(body).headings if heading.level <= 6] == rendered
    assert [heading.anchor for heading in _scan_lines(body).headings if heading.level <= 6] == rendered
    hrefs = re.findall(r'<a href="([^"]*)"', html)
    assert [link.target for link in scan(body).links if not link.html] == [href for href in hrefs if not href.startswith("#")]


@pytest.mark.parametrize("body, anchors", [
    ("!!! note\n    ## Heading\n", ["heading"]),
    ("> ## Quoted\n", ["quoted"]),
    ("1. ## Step\n2. ## Step\n", ["step", "step_1"]),
    ("- item\n\n    ## Sub\n", ["sub"]),
    ("- item\n    ## lazy: text of the item\n", []),
    ("text\n- # not a list: text\n", []),
    ("<div>\n# raw HTML\n</div>\n# After\n", ["after"]),
    ("<div markdown=\"1\">\n# Markdown inside\n</div>\n", ["markdown-inside"]),
    ("| a |\n|---|\n| x |\n## Next\n", ["next"]),  # one column: a row needs a pipe, so no table
    ("| a | b |\n|---|---|\n| x | y |\n## Swallowed\n", []),
    ("Para\n===\n| a | b |\n|---|---|\nrow\n## Split off first\n", ["para", "split-off-first"]),
    ("\t# tab\nPara\n---\n", ["para"]),
    ("!!! note\nPara\n---\n", ["para"]),
    ("***\nPara\n---\n", ["para"]),
    ("1. # in ol\n---\n", ["1-in-ol"]),  # setext before lists
    ("| a | b |\n|---|---|\n| # | x |\n***\n- item\n\n    ## Sub\n", []),  # the list item is a table row
    ("- - -\nText line\n- # in list\n", []),  # a break, not a list item: the next line is text
])
def test_headings_where_python_markdown_nests_or_hides_them(body: str, anchors: list[str]) -> None:
    from kb.markdown import _scan_lines

    assert [heading.anchor for heading in scan(body).headings] == anchors
    assert [heading.anchor for heading in _scan_lines(body).headings] == anchors


def test_a_paragraph_marked_internal_many_times_is_one_block() -> None:
    """Each `{: .internal }` of a paragraph made a block of the whole paragraph: 20,000 marks in a
    400 KB paragraph took gigabytes."""
    from kb.internal_blocks import _attr_blocks

    body = "text {: .internal }\n" * 20_000
    assert len(_attr_blocks(body, body.split("\n"), 1)) == 1
    assert [(block.start, block.end) for block in scan(body).internal_blocks] == [(1, 20_000)]


def test_link_targets_with_blanks_are_links() -> None:
    """Python-Markdown reads `[text](a target with blanks)` as a link (an Office stack trace's
    `[TOutput](IEnumerable input, ...)` renders as a dead one); kb checks it too."""
    result = scan("See [TOutput](IEnumerable input, Func f) and [x](my file.md \"title\") and [y](<z w.md>).\n")
    assert [link.target for link in result.links] == ["IEnumerable input, Func f", "my file.md", "z w.md"]


# Links whose text, target or title wraps over a line end, as Python-Markdown (with mkdocs.yml's
# extensions) renders them: a link wherever it joins the lines of a paragraph, none over a blank
# line, in fenced code or in an inline code span.
WRAPPED = {
    "text-once": ("See [the refund\nguide](refunds.md) first.", [(1, 5)]),
    "text-twice": ("See [the\nrefund\nguide](refunds.md) first.", [(1, 5)]),
    "two-links": ("[a\nb](x.md) and [c\nd](y.md)", [(1, 1), (2, 14)]),
    "across-blank-line": ("See [the refund\n\nguide](refunds.md) first.", []),
    "across-blanks-and-tabs": ("See [the refund\n \t\nguide](refunds.md) first.", []),
    "across-quote-blank": ("> x [a\n>\n> b](x.md)", []),
    "into-heading": ("x [a\n# b](x.md)", []),
    "from-heading": ("## Title [a\nb](x.md)", []),
    "list-item": ("- See [the refund\n  guide](refunds.md) first.", [(1, 7)]),
    "list-item-lazy": ("1. Step\n\n    See [the refund\n    guide](refunds.md) first.", [(3, 9)]),
    "quote": ("> See [the refund\n> guide](refunds.md) first.", [(1, 7)]),
    "admonition": ("!!! note\n    See [the refund\n    guide](refunds.md) first.", [(2, 9)]),
    "nested-brackets": ("[a [b\nc] d](x.md)", [(1, 1)]),
    "inner-link-unclosed": ("[a\nb [c](y.md)", [(2, 3)]),
    "target": ("See [guide](\nrefunds.md#fix) first.", [(1, 5)]),
    "target-in-quote": ("> [a](\n> x.md)", [(1, 3)]),
    "target-then-title": ("See [guide](refunds.md\n\"Title\") first.", [(1, 5)]),
    "title": ("[a](x.md \"t\nu\")", [(1, 1)]),
    "paren-on-next-line": ("See [guide]\n(refunds.md) first.", []),
    "target-over-blank": ("[a](\n\nx.md)", []),
    "image": ("Look: ![a wrapped\nalt](pic.png)", [(1, 7)]),
    "image-target": ("![a](\npic.png)", [(1, 1)]),
    "code-span": ("Type `[the refund\nguide](refunds.md)` here.", []),
    "code-span-from-line-above": ("`a\nb [c\nd](x.md)`", []),
    "code-spans-around": ("`x` [a\nb](x.md) `y`", [(1, 5)]),
    "code-in-text": ("[a `b\nc` d](x.md)", [(1, 1)]),
    "fence": ("```\n[the refund\nguide](refunds.md)\n```", []),
    "into-fence": ("[the refund\n```\nguide](refunds.md)\n```", []),
    "after-fence": ("```\nx\n```\n`a [the refund\nguide](refunds.md)`", []),
    "reference-use": ("See [the refund\nguide][r] first.\n\n[r]: refunds.md", [(4, 6)]),
    "reference-target-next-line": ("See [guide][r].\n\n[r]:\n    refunds.md \"T\"", [(4, 5)]),
    "reference-target-over-blank": ("See [guide][r].\n\n[r]:\n\nrefunds.md", []),
}


@pytest.mark.parametrize("name", list(WRAPPED))
def test_links_that_wrap_are_the_ones_python_markdown_renders(name: str) -> None:
    from kb.internal_blocks import may_block
    from kb.markdown import _scan_lines, _scan_prose

    body, places = WRAPPED[name]
    _, html = python_markdown(body, ["toc", "admonition", "attr_list", "md_in_html", "pymdownx.details", "pymdownx.superfences"])
    rendered = re.findall(r'<(?:a href|img [^>]*src)="([^"#]*)', html)
    results = [scan(body), _scan_lines(body)] + ([] if "```" in body else [_scan_prose(body, 1, may_block(body))])
    for result in results:  # the line loop and the fast path for prose find them alike
        assert [link.target for link in result.links] == rendered
        assert [(link.line, link.column) for link in result.links] == places


def test_where_kb_takes_a_wrapped_non_link_for_a_link() -> None:
    """Known, and on the safe side (a link checked that does not render): a thematic break, a quote
    or an admonition opening inside a paragraph ends it in Python-Markdown, not in kb's scan."""
    for body in ("x [a\n***\nb](x.md)", "x [a\n> b](x.md)", "x [a\n!!! note\n    b](x.md)"):
        assert [link.target for link in scan(body).links] == ["x.md"]
        assert "href" not in python_markdown(body, ["toc", "admonition"])[1]


@pytest.mark.parametrize("body", [
    "[" * 200_000 + "\n" + "]" * 200_000, "[a\n" * 100_000, "[a [b] c\n" * 50_000, "[a](\n" * 100_000,
    "`[a\n" * 100_000, "[" + "a\n" * 200_000 + "](x.md)", "[a\n" + " \n" * 100_000, "[a](x.md\n" + ">" * 500_000,
])
def test_scan_of_links_that_wrap_is_linear(body: str) -> None:
    from kb.markdown import _scan_lines

    start = time.perf_counter()
    scan(body), _scan_lines(body), scan("```\n```\n" + body)
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("body", [
    "[x](my\\_file.md)", "[x](a\\*b.md#my\\_anchor)", "![i](img\\_1.png)", "[x](..\\sec\\fix.md)",
    "[x](a\\\\b.md)", "[x](a\\|b.md)", "[x](a\\`b.md)", "[x](my\\_file.md) <b>bold</b>",
    "[wrapped\ntext](my\\_file.md)",
])
def test_escapes_in_link_targets_are_read_as_python_markdown_reads_them(body: str) -> None:
    """`[x](my\\_file.md)` links my_file.md: Python-Markdown drops a backslash before punctuation."""
    from kb.internal_blocks import may_block
    from kb.markdown import _scan_lines, _scan_prose

    _, html = python_markdown(body, ["toc", "tables", "attr_list"])
    rendered = [html_unescape(href) for href in re.findall(r'<(?:a href|img [^>]*src)="([^"]*)', html)]
    results = [scan(body), _scan_lines(body)] + ([] if "<" in body else [_scan_prose(body, 1, may_block(body))])
    for result in results:
        assert [link.target + (f"#{link.anchor}" if link.anchor else "") for link in result.links] == rendered


def test_a_reference_definition_keeps_its_backslashes_as_python_markdown_does() -> None:
    _, html = python_markdown("[x][r]\n\n[r]: my\\_file.md\n", ["toc"])
    assert '<a href="my\\_file.md">' in html
    assert [link.target for link in scan("[x][r]\n\n[r]: my\\_file.md\n").links] == ["my\\_file.md"]


@pytest.mark.parametrize("body", [
    "[x][r]\n\n[r]: refunds.md ", "[x][r]\n\n[r]: <refunds.md>\t", "[x][r]\n\n[r]:\n    refunds.md  ",
])
def test_a_reference_definition_with_blanks_after_its_target_is_read(body: str) -> None:
    """Trailing blanks, which editors leave, do not stop Python-Markdown reading a definition."""
    from kb.internal_blocks import may_block
    from kb.markdown import _scan_lines, _scan_prose

    _, html = python_markdown(body, ["toc"])
    assert re.findall(r'<a href="([^"]*)', html) == ["refunds.md"]
    results = [scan(body), _scan_lines(body)] + ([] if "<" in body else [_scan_prose(body, 1, may_block(body))])
    for result in results:
        assert [link.target for link in result.links] == ["refunds.md"]


@pytest.mark.parametrize("body", [
    "See [help][r].\n\n- [r]: secret.md\n", "See [help][r].\n\n> [r]: secret.md\n", "See [a][r].\n\n1. [r]: a.md \"T\"\n",
    "See [a][r].\n\n* > [r]: a.md\n", "- [x]: fixed the printer\n", "Text\n\n- [r]:  a.md  \n\n[b][r]\n",
    "See [a][r].\n\n- Steps\n    - [r]: a.md\n", "See [a][r].\n\n1. Steps\n    1. [r]: a.md\n",  # nested: 4 spaces in
])
def test_reference_definitions_in_list_items_and_quotes_are_read_as_python_markdown_reads_them(body: str) -> None:
    from kb.internal_blocks import may_block
    from kb.markdown import REF_DEF_PATTERN, _scan_lines, _scan_prose

    _, html = python_markdown(body, ["toc"])
    rendered = re.findall(r'<a href="([^"]*)"', html)
    for result in (scan(body), _scan_lines(body), _scan_prose(body, 1, may_block(body))):
        assert [link.target for link in result.links] == sorted(set(rendered))
    definitions = [line for line in body.splitlines() if REF_DEF_PATTERN.match(line)]  # what the site stager rewrites
    assert bool(definitions) == bool(rendered)
