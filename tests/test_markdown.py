"""kb.markdown: MkDocs-compatible slugs, links as MkDocs reads them, internal blocks, linear scans."""

from __future__ import annotations

import time

import pytest

from kb.markdown import Link, scan, slugify, strip_internal_blocks


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
    assert result.unsafe_html == ((10, 11, "onerror="),)


@pytest.mark.parametrize("line", [
    "[a](" * 100_000, "[" * 200_000 + "](x", "[x](" + " " * 200_000 + "y", "[a" * 100_000,
    "# a" + " #" * 100_000 + "b", "# " + "{" * 200_000, "<a id=\"x\"" * 50_000, "# " + "[a](" * 50_000,
])
def test_scan_is_linear_on_pathological_lines(line: str) -> None:
    # Not a speed goal (see bench/): a complexity guard. With backtracking regexes these took from
    # seconds to hours; linear, each takes well under 0.1 s, so 10 s only catches a relapse.
    start = time.perf_counter()
    scan(line)
    assert time.perf_counter() - start < 10
