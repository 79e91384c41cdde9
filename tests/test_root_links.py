"""Links from `/`: read as MkDocs reads them, per mkdocs.yml `validation: {links: {absolute_links: ...}}`.

Without `relative_to_docs`, MkDocs leaves `/payments/refunds.md` as written (a site-root address:
KB209 site-root-link). With it, MkDocs reads the path from the docs folder and rewrites it like a
relative link, so the link rules check it as one and KB209 leaves it alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, article

GUIDE = (
    "[refunds](/payments/refunds.md#refund-window)\n"  # line 8
    "[bad anchor](/payments/refunds.md#no-such)\n"
    "[missing](/payments/missing.md)\n"
    "[escalation](/support/escalation.md)\n"
    "[old printer](/old/printer.md)\n"  # line 12
    "[new flow](/new/flow.md)\n"
    "[lonely](/lonely.md)\n"
    "![diagram](/media/diagram.png)\n"
    "[the page](/payments/refunds/)\n"
    '<a href="/payments/refunds.md">raw</a>\n'  # line 17
    "[up and back](/../payments/refunds.md)\n"
    "[another site](https://example.com/x) [protocol-relative](//cdn.example.com/y.js)\n"
)
FILES: dict[str, str | bytes] = {
    "guide.md": article("Guide", body=GUIDE, audience="public"),
    "payments/refunds.md": article("Refunds", body="## Refund window\n\nThirty days. [Guide](../guide.md)\n", audience="public"),
    "support/escalation.md": article("Escalation", body="Call the duty manager. [Guide](../guide.md)\n"),
    "old/printer.md": article("Old printer", status="archived", superseded_by="payments/refunds", audience="public"),
    "new/flow.md": article("New flow", status="draft", audience="public"),
    "lonely.md": article("Lonely", audience="public"),
    "media/diagram.png": b"\x89PNG\r\n\x1a\n",
}
RELATIVE_TO_DOCS = {
    "links": {"links": {"absolute_links": "relative_to_docs"}},
    "shorthand": {"absolute_links": "relative_to_docs"},
}


def lint(kb_cli) -> dict[tuple[str, int], set[str]]:
    """(file, line) -> the rule codes `kb lint` reports there."""
    result = CliRunner().invoke(kb_cli, ["lint", "--today", TODAY])
    assert result.exit_code in (0, 1), result.output
    found: dict[tuple[str, int], set[str]] = {}
    for match in re.finditer(r"^content/(\S+?):(\d+):\d+: (KB\d+) ", result.output, re.M):
        found.setdefault((match[1], int(match[2])), set()).add(match[3])
    return found


def codes_of_guide(found: dict[tuple[str, int], set[str]]) -> dict[int, set[str]]:
    return {line: codes for (rel, line), codes in found.items() if rel == "guide.md"}


@pytest.mark.parametrize("validation", [None, {"links": {"absolute_links": "warn"}}, {"absolute_links": "ignore"}])
def test_without_relative_to_docs_root_links_are_site_root_addresses(kb_factory, kb_cli, validation) -> None:
    kb_factory(FILES, **({"validation": validation} if validation else {}))
    found = lint(kb_cli)
    assert codes_of_guide(found) == {
        **{line: {"KB209"} for line in (8, 9, 10, 11, 12, 13, 14, 15, 16, 18)},
        17: {"KB201", "KB209"},  # a raw HTML link to a .md file: MkDocs never rewrites it
    }
    assert ("lonely.md", 1) in found and "KB205" in found[("lonely.md", 1)]  # a root link does not count


@pytest.mark.parametrize("validation", list(RELATIVE_TO_DOCS.values()), ids=list(RELATIVE_TO_DOCS))
def test_with_relative_to_docs_root_links_are_checked_as_docs_paths(kb_factory, kb_cli, validation) -> None:
    kb_factory(FILES, validation=validation)
    found = lint(kb_cli)
    assert codes_of_guide(found) == {
        9: {"KB202"},  # broken-anchor
        10: {"KB201"},  # broken-link
        11: {"KB203"},  # public-links-internal
        12: {"KB204"},  # link-to-archived
        13: {"KB207"},  # link-to-draft
        16: {"KB201"},  # a page's address, not its file: MkDocs finds no such file
        17: {"KB201", "KB209"},  # raw HTML: MkDocs rewrites no link in it
    }
    assert ("lonely.md", 1) not in found  # linked from guide.md: not an orphan


def test_messages_name_the_docs_path_and_suggest_root_links(kb_factory, kb_cli) -> None:
    kb_factory(FILES, validation=RELATIVE_TO_DOCS["links"])
    output = CliRunner().invoke(kb_cli, ["lint", "--today", TODAY]).output
    assert ("content/guide.md:10:1: KB201 error: link target '/payments/missing.md' does not exist (payments/missing.md)"
            in output)
    assert ("content/guide.md:16:1: KB201 error: link '/payments/refunds/' is a site address (the page of "
            "'payments/refunds.md'), not a file: MkDocs finds no such file in the docs folder and leaves it as written; "
            "link the file: '/payments/refunds.md'") in output
    assert "content/guide.md:11:1: KB203 error: public article links to internal article 'support/escalation'" in output


def test_without_the_setting_kb209_suggests_it(kb_factory, kb_cli) -> None:
    kb_factory(FILES)
    output = CliRunner().invoke(kb_cli, ["lint", "--today", TODAY]).output
    assert ("content/guide.md:14:1: KB209 warning: link '/lonely.md' starts with '/', which the browser reads from the web "
            "server's root, not from this site: link the file relatively: 'lonely.md' (or set "
            "validation.links.absolute_links: relative_to_docs in mkdocs.yml)") in output


def test_a_root_link_from_a_translation_leads_to_the_translation(kb_factory, kb_cli) -> None:
    kb_factory({
        "a.md": article("A", body="[b](/b.md#only-english)\n", audience="public"),
        "a.id.md": article("A id", body="[b](/b.md#hanya-indonesia) [b en](/b.md#only-english)\n", audience="public"),
        "b.md": article("B", body="## Only English\n", audience="public"),
        "b.id.md": article("B id", body="## Hanya Indonesia\n", audience="public"),
    }, {"languages": ["en", "id"]}, validation=RELATIVE_TO_DOCS["shorthand"])
    found = lint(kb_cli)
    assert found.get(("a.md", 8)) is None
    assert found[("a.id.md", 8)] == {"KB202"}  # only the English one's anchor is missing from b.id.md


def test_a_more_specific_setting_wins_over_the_shorthand(kb_factory, kb_cli) -> None:
    """MkDocs copies `validation.absolute_links` into `links` and `nav` only where they do not set it."""
    kb_factory(FILES, nav=["/lonely.md"], validation={"absolute_links": "relative_to_docs", "links": {"absolute_links": "warn"}})
    found = lint(kb_cli)
    assert codes_of_guide(found)[10] == {"KB209"}  # links: warn
    assert ("lonely.md", 1) not in found  # nav: relative_to_docs (the shorthand), so `/lonely.md` is in the nav


@pytest.mark.parametrize("nav_setting, orphan", [("relative_to_docs", False), ("warn", True)])
def test_a_root_path_in_the_nav_counts_with_relative_to_docs(kb_factory, kb_cli, nav_setting: str, orphan: bool) -> None:
    kb_factory({"a.md": article("A", audience="public")}, nav=["/a.md"],
               validation={"nav": {"absolute_links": nav_setting}})
    assert (("a.md", 1) in lint(kb_cli)) == orphan


@pytest.mark.parametrize("validation, key", [
    ({"links": {"absolute_links": "relative-to-docs"}}, "validation.links.absolute_links"),
    ({"absolute_links": True}, "validation.absolute_links"),
])
def test_an_unknown_value_stops_the_run_as_it_stops_mkdocs(kb_factory, kb_cli, validation, key: str) -> None:
    kb_factory(FILES, validation=validation)
    result = CliRunner().invoke(kb_cli, ["lint", "--today", TODAY])
    assert result.exit_code == 2, result.output
    assert f"{key}: expected one of warn, info, ignore, relative_to_docs, got" in result.output
    assert result.output.count("expected one of") == 1  # the shorthand is reported once, not for links and nav
    assert "Traceback" not in result.output


def test_the_setting_is_read_through_inherit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb_cli) -> None:
    from conftest import write_kb

    root = write_kb(tmp_path / "kb", FILES)
    (root / "base.yml").write_text("validation:\n  links:\n    absolute_links: relative_to_docs\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(root)
    assert codes_of_guide(lint(kb_cli))[10] == {"KB201"}


@pytest.mark.parametrize("validation, listed", [(RELATIVE_TO_DOCS["links"], True), (None, False)])
def test_report_missing_counts_a_root_link_to_a_missing_file_with_relative_to_docs(kb_factory, validation, listed: bool) -> None:
    from kb.cli import app

    kb_factory(FILES, **({"validation": validation} if validation else {}))
    result = CliRunner().invoke(app(), ["report", "missing", "--format", "json", "--today", TODAY])
    assert result.exit_code in (0, 1), result.output
    assert ("payments/missing.md" in result.output) == listed
