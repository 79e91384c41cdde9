"""Internal blocks written the ways Python-Markdown and pymdownx still read as `internal`, fences
that once made kb's scan lose track, and authors' HTML comments: a real public build must publish
none of their words.

Each case is a public article whose internal block holds a unique marker word; the test greps every
file of the built public site (gzip unpacked) for every marker.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from conftest import kb_in
from sitekb import MKDOCS, TODAY, write_site_kb


HEAD = "---\ntitle: {title}\ntype: best-practice\nowner: ottoline\nreviewed: 2025-06-01\naudience: public\n---\nPublic intro.\n\n"
CASES = {
    "no-space": "!!!internal\n    {marker} hidden words here\n",
    "details-no-space": "???internal\n    {marker} hidden words here\n",
    "upper-case": "!!! INTERNAL\n    {marker} hidden words here\n",
    "capital-with-title": '!!! Internal "For agents"\n    {marker} hidden words here\n',
    "second-class": "!!! note internal\n    {marker} hidden words here\n",
    "blockquote": "> !!! internal\n>     {marker} hidden words here\n",
    "list-with-tabs": "- item one\n\n    !!! internal\n\t\t{marker} hidden words here\n",
    "fence-example-inside-fence": "```\n```python\n```\n\n!!! internal\n    {marker} hidden words here\n",
    "longer-fence": "````\n```\n````\n\n!!! internal\n    {marker} hidden words here\n",
    "tilde-info-inside": "~~~\n~~~md\n~~~\n\n!!! internal\n    {marker} hidden words here\n",
    "unclosed-fence": "```not really a fence\n\n!!! internal\n    {marker} hidden words here\n",
    "inline-triple-backticks": "```kb build``` runs the build.\n\n!!! internal\n    {marker} hidden words here\n",
    "html-comment": "Text <!-- note for agents: {marker} hidden words here -->\nafter.\n\n<!--\n{marker}\n-->\n",
    "comment-over-fence": "<!-- agent note\n```\necho hi\n```\n{marker} hidden words here -->\nAfter.\n",
    "fence-closed-longer": "```\n!!! internal\n    {marker} hidden words here\n````\n",
    "fence-closed-indented": "```\n!!! internal\n    {marker} hidden words here\n  ```\n",
    "fence-opened-indented": "  ```\n!!! internal\n    {marker} hidden words here\n```\n",
    "fence-unknown-option": "```python foo\n!!! internal\n    {marker} hidden words here\n```\n",
    "html-div-box": '<div class="admonition internal" markdown>\n{marker} hidden words here\n<div>inner</div>\n</div>\n\nAfter.\n',
    "html-details-box": '<details class="internal"><summary>Agents</summary>{marker} hidden words here</details>\n',
    "html-tag-over-lines": '<div\n  class="internal">\n{marker} hidden words here\n</div>\n',
    "html-unquoted-class": "<div class=internal>{marker} hidden words here</div>\n",
    # a page MkDocs renders but kb never reads (KB016): not copied for the public site even if linked
    "links-a-markdown-file": "See [the notes](agent-notes.markdown).\n",
    # raw HTML naming an internal article: the public page must not carry its file name
    "raw-html-link-to-internal": '<a href="{marker}.md">we can help</a> and <a href="./{marker}.md#x">here</a>\n',
    # fences kb's reading closes but pymdownx.superfences does not: what kb leaves in code is not code there
    "comment-in-fence-closed-longer": "```\n<!-- {marker} hidden words here -->\n````\n",
    "comment-in-fence-closed-indented": "```\n<!-- {marker} hidden words here -->\n  ```\n",
    "box-in-fence-closed-longer": '```\n<div class="internal">{marker} hidden words here</div>\n````\n',
    "link-in-fence-closed-longer": "```\n[we can help]({marker}.md)\n````\n",
    # a `<!--` in a code span does not hide the next comment; one never closed is a note too
    "comment-after-code-span": "`<!--` opens a comment.\n\n<!-- {marker} hidden words here -->\n",
    "comment-unclosed": "Text <!-- {marker} hidden words here\n\nAfter.\n",
    # pymdownx.blocks (enabled below; without it the same lines are plain text, stripped just the same)
    "blocks-admonition-type": "/// admonition | For agents\n    type: internal\n\n{marker} hidden words here\n///\n\nAfter.\n",
    "blocks-details-type": "/// details | For agents\n    type: internal\n    open: true\n\n{marker} hidden words here\n///\n",
    "blocks-html-class": "/// html | div.internal\n\n{marker} hidden words here\n///\n",
    "blocks-attrs-class": "/// details | For agents\n    attrs: {{class: note internal}}\n\n{marker} hidden words here\n///\n",
    "blocks-in-list": "1. Step one\n\n    /// admonition | Agents\n        type: internal\n\n    {marker} hidden words here\n    ///\n",
    "blocks-unclosed": "/// admonition | Agents\n    type: internal\n\n{marker} hidden words here\n",
    "attr-list-paragraph": "Public words.\n\n{marker} hidden words here\nsecond line.\n{{: .internal }}\n\nAfter.\n",
    "attr-list-inline-end": "Public words.\n\n{marker} hidden words here {{.note .internal}}\n\nAfter.\n",
    "attr-list-heading": "## For agents {{: .internal }}\n\n{marker} hidden words here\n\n### Detail\n\nmore {marker}\n\n## Public again\n\nAfter.\n",
    # whole files (front matter included): an article marked unpublished in a way kb does not know,
    # an author's note in the front matter
    "status-capitalised": "---\ntitle: Quirky draft\ntype: best-practice\naudience: public\nstatus: Draft\n---\n{marker} hidden words here\n",
    "status-not-text": "---\ntitle: Quirky draft\ntype: best-practice\naudience: public\nstatus: [draft]\n---\n{marker} hidden words here\n",
    "comment-in-title": "---\ntitle: Refunds <!-- {marker} ask finance -->\ntype: best-practice\naudience: public\n---\nBody.\n",
    "comment-in-summary": "---\ntitle: Refund summary\ntype: best-practice\naudience: public\nsummary: Steps. <!-- {marker} ask finance\n---\nBody.\n",
    # a reference definition inside a list item names an internal article
    "ref-def-in-list": "1. See [help][esc].\n\n    [esc]: {marker}.md\n",
    # links that wrap over a line end (Python-Markdown joins a paragraph's lines) name an internal article
    "wrapped-link-text": "See [the refund\nguide]({marker}.md) first.\n",
    "wrapped-link-target": "See [the guide](\n{marker}.md#why) first.\n",
    "wrapped-link-title": 'See [the guide]({marker}.md "For\nagents") first.\n',
    "wrapped-image": "![the refund\nflow]({marker}.md)\n",
    "wrapped-link-in-quote": "> See [the refund\n> guide](\n> {marker}.md) first.\n",
    "wrapped-link-in-list": "1. Step one.\n2. See [the refund\n   guide]({marker}.md) first.\n",
    "ref-def-target-next-line": "See [help][esc].\n\n[esc]:\n    {marker}.md\n",
    # a definition on a list item's or a quote's own line (Python-Markdown reads both)
    "ref-def-on-list-item-line": "See [help][esc].\n\n- [esc]: {marker}.md\n",
    "ref-def-on-quote-line": "See [help][esc].\n\n> [esc]: {marker}.md\n",
    # a backslash escape in a link's target (Python-Markdown drops it: `\\.` is `.`) names an internal article
    "escaped-link-to-internal": "See [help]({marker}\\.md) first.\n",
    "escaped-anchor-link-to-internal": "See [help]({marker}.md\\#why) first.\n",
    # a definition with a blank after its target (editors leave them) names an internal article
    "ref-def-trailing-blank": "See [help][esc].\n\n[esc]: {marker}.md \n",
    "ref-def-target-next-line-in-list": "1. See [help][esc].\n\n    [esc]:\n        <{marker}.md> \"Agents\"\n",
}
# cases whose marker names an internal article (the file name must not be published)
LINKS_TO_INTERNAL = ("raw-html-link-to-internal", "link-in-fence-closed-longer", "ref-def-in-list", "escaped-link-to-internal",
                     "ref-def-on-list-item-line", "ref-def-on-quote-line",
                     "escaped-anchor-link-to-internal", "ref-def-trailing-blank",
                     *(name for name in CASES if name.startswith(("wrapped-", "ref-def-target-"))))
MARKERS = {name: f"Quagga{index}leakmarker" for index, name in enumerate(CASES)}


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extensions = [*MKDOCS["markdown_extensions"], "pymdownx.blocks.admonition", "pymdownx.blocks.details", "pymdownx.blocks.html"]
    root = write_site_kb(tmp_path_factory.mktemp("variants") / "kb", markdown_extensions=extensions)
    for name, body in CASES.items():
        path = root / "content" / "variants" / f"{name}.md"
        path.parent.mkdir(exist_ok=True)
        head = "" if body.startswith("---") else HEAD.format(title=f"Variant {name}")
        path.write_text(head + body.format(marker=MARKERS[name]), encoding="utf-8")
    for name in LINKS_TO_INTERNAL:
        target = root / "content" / "variants" / f"{MARKERS[name]}.md"
        target.write_text(HEAD.format(title="Internal target").replace("audience: public", "audience: internal") + "Agents only.\n",
                          encoding="utf-8")
    (root / "content/variants/agent-notes.markdown").write_text(
        f"# Agent notes\n\n{MARKERS['links-a-markdown-file']} hidden words here\n", encoding="utf-8")
    result = build_public(root)
    assert result.exit_code == 0, result.output
    return root / "site" / "public"


def test_every_variant_page_is_published(public_site: Path) -> None:
    for name, body in CASES.items():
        assert (public_site / "variants" / name / "index.html").is_file() != name.startswith("status-"), name


@pytest.mark.parametrize("name", list(CASES))
def test_no_variant_of_an_internal_block_reaches_the_public_site(public_site: Path, name: str) -> None:
    marker = MARKERS[name].lower()
    hits = []
    for path in public_site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            if marker in data.decode("utf-8", "replace").lower():
                hits.append(path.relative_to(public_site).as_posix())
    assert not hits, f"{name}: {MARKERS[name]} leaked into {hits}"


@pytest.mark.parametrize("base_path, snippet", [
    ("content", "content/includes/payments-note.md"),  # an excluded folder of the docs
    ("snippets", "snippets/payments-note.md"),  # a folder beside content/
])
def test_an_internal_block_or_comment_in_an_included_snippet_fails_the_public_build(
        tmp_path: Path, base_path: str, snippet: str) -> None:
    """pymdownx.snippets pulls a file into a public page inside MkDocs, after kb stripped the
    article: kb cannot strip the snippet's internal block or comment, so the leak check must stop the build."""
    import yaml

    root = write_site_kb(tmp_path / "kb")
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["markdown_extensions"].append({"pymdownx.snippets": {"base_path": [base_path]}})
    config["plugins"][1]["kb"]["exclude"] = ["includes/**"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (root / snippet).parent.mkdir(parents=True)
    (root / snippet).write_text(
        'Shared note.\n\n!!! internal "For agents"\n    Quaggasnippet escalation code goes to the duty manager of payments tonight.\n\n'
        "<!-- Quaggacomment ask Dewi before changing the refund window -->\n", encoding="utf-8")
    page = root / "content/variants/uses-snippet.md"
    page.parent.mkdir()
    included = Path(snippet).relative_to(base_path).as_posix()
    page.write_text(HEAD.format(title="Uses a snippet") + f'--8<-- "{included}"\n', encoding="utf-8")
    result = build_public(root)
    assert result.exit_code == 1, result.output
    shown = Path(snippet).relative_to("content").as_posix() if base_path == "content" else snippet
    assert f"internal block of included file {shown}" in result.output
    assert f"HTML comment of included file {shown}" in result.output
    assert not (root / "site/public").exists()


ROOT_LINKS = ("See [the escalation]({link}) and [its steps]({link}#steps), <a href=\"{link}\">the guide</a> and "
              "[the guide][esc].\n\n[esc]: {link}\n\n"
              "Or read [the QRIS fix](/payments/qris-payment-failed.md#resolution).\n\n![Tap here](/variants/root-only.svg)\n")


def _build_with_root_links(root: Path, body: str, marker: str) -> tuple[int, str]:
    """A public build of the site test KB whose mkdocs.yml reads links from `/` in the docs folder,
    with a public article (`body`) and the internal article `variants/<marker>.md`."""
    write_site_kb(root, validation={"links": {"absolute_links": "relative_to_docs"}})
    (root / "content/variants").mkdir()
    (root / "content/variants/root-links.md").write_text(HEAD.format(title="Root links") + body, encoding="utf-8")
    (root / "content/variants/root-only.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    (root / f"content/variants/{marker}.md").write_text(
        HEAD.format(title="Internal target").replace("audience: public", "audience: internal") + "## Steps\n\nAgents only.\n",
        encoding="utf-8")
    result = build_public(root)
    return result.exit_code, result.output


def test_root_links_to_an_internal_article_are_dropped_with_relative_to_docs(tmp_path: Path) -> None:
    """With `absolute_links: relative_to_docs`, `/variants/x.md` is a link to the docs' `variants/x.md`:
    to an internal article it goes like a relative one (Markdown, reference and raw HTML links), and
    a link to a public article or a file is rewritten by MkDocs."""
    marker = "Quaggarootlinkmarker"
    code, output = _build_with_root_links(tmp_path / "kb", ROOT_LINKS.format(link=f"/variants/{marker}.md"), marker)
    assert code == 0, output
    site = tmp_path / "kb/site/public"
    hits = [path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()
            and marker.lower() in (gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()).decode(
                "utf-8", "replace").lower()]
    assert not hits, f"{marker} leaked into {hits}"
    page = (site / "variants/root-links/index.html").read_text(encoding="utf-8")
    assert 'See the escalation and its steps, <a href="#">the guide</a> and [the guide][esc].' in page
    assert 'href="../../payments/qris-payment-failed/#resolution"' in page  # rewritten by MkDocs
    assert 'src="../root-only.svg"' in page and (site / "variants/root-only.svg").is_file()  # staged


def test_a_root_link_left_to_an_internal_page_fails_the_build_with_relative_to_docs(tmp_path: Path) -> None:
    """A site address (`/variants/x/`, not a file) is not a link MkDocs rewrites, so the stager leaves
    it; the leak check still finds that it names an internal article."""
    marker = "Quaggarootaddressmarker"
    code, output = _build_with_root_links(tmp_path / "kb", f'<a href="/variants/{marker}/">the guide</a>\n', marker)
    assert code == 1, output
    assert f"variants/root-links/index.html: link to internal article variants/{marker}.md found" in output
    assert not (tmp_path / "kb/site/public").exists()


def build_public(root: Path):  # noqa: ANN201 - click's Result
    """`kb build --audience public` run in `root`, as a user would."""
    return kb_in(root, "build", "--audience", "public", "--today", TODAY)
