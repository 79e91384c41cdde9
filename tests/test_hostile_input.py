"""Hostile input to the core commands (lint, reports, new, verify) found in a QA pass, each once a bug."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, article

from kb.config import load_config
from kb.lint import lint


def lint_messages(code: str) -> list[str]:
    return [f"{d.path}:{d.line} {d.message}" for d in lint(load_config(), date.fromisoformat(TODAY)).diagnostics
            if d.code == code]


def test_an_encoded_question_mark_is_part_of_the_file_name_not_a_query(kb_factory) -> None:
    """MkDocs splits off `?query` first, then decodes the path: `q%3Fx.md` is the file `q?x.md`."""
    kb_factory({"q?x.md": article(title="Q"), "page.md": article(title="Page"),
                "a.md": article(title="A", body="[q](q%3Fx.md) [tab](page.md?tab=2) [gone](gone%3F.md?x=%3F)\n")})
    assert lint_messages("KB201") == ["content/a.md:7 link target 'gone?.md' does not exist (gone?.md)"]


def test_the_public_site_drops_encoded_and_query_links_to_internal_articles(kb_factory) -> None:
    """The staging resolves links as lint does: `my%20notes.md` and `escalate.md?from=qris` are the
    internal articles, so the public page keeps the link text only (and an encoded image is published)."""
    from kb.knowledge import load
    from kb.site.stage import stage

    root = kb_factory({
        "escalate.md": article(title="Escalate"), "my notes.md": article(title="Notes"), "img/my pic.png": b"\x89PNG",
        "qris.md": article(title="QRIS", audience="public",
                           body="[esc](escalate.md?from=qris) [notes](my%20notes.md#x) ![pic](img/my%20pic.png)\n"),
    })
    staged = stage(load(load_config(), use_cache=False), "public", root / "staged")
    assert "esc notes ![pic](img/my%20pic.png)" in staged.files["qris.md"].decode()
    assert staged.assets == ["img/my pic.png"]


def test_an_article_at_the_address_of_a_generated_page_is_left_out_with_a_warning(kb_factory) -> None:
    """`tags.md` is published at /tags/, where the generated tag index goes: MkDocs kept the generated
    page and dropped the article without a word."""
    from kb.knowledge import load
    from kb.site.stage import stage

    root = kb_factory({name: article(title=name, audience="public") for name in
                       ("tags.md", "tags.id.md", "health.md", "tagsx.md", "types/x.md")}, {"languages": ["en", "id"]})
    staged = stage(load(load_config(), use_cache=False), "internal", root / "staged")
    assert sorted(staged.files) == ["tagsx.id.md", "tagsx.md"]
    assert staged.warnings == [
        f"{rel}: the address /{top}/ belongs to the generated pages; the article is left out of the site (rename it)"
        for rel, top in (("health.md", "health"), ("tags.id.md", "tags"), ("tags.md", "tags"), ("types/x.md", "types"))]


@pytest.mark.parametrize(("title", "folder", "message"), [
    ("CON", "", "'con.md' is a device name on Windows"),
    ("lpt1", "devices", "'lpt1.md' is a device name on Windows"),
    ("Index", "", "'index.md' is the page of its folder on the site (the home page at the top), not an article"),
    ("README", "payments", "'readme.md' is the page of its folder"),
    ("Tags", "", "the address /tags/ belongs to the site's generated pages, so the site would leave the article out; give a longer title"),
    ("Printer", "health/sub", "the address /health/ belongs to the site's generated pages, so the site would leave the article out; choose another --folder"),
])
def test_new_refuses_names_that_would_not_work_as_an_article(kb_factory, title: str, folder: str, message: str) -> None:
    from kb.authoring import new_article
    from kb.exceptions import KbError

    root = kb_factory({})
    with pytest.raises(KbError, match=re.escape(message)):
        new_article(load_config(), "best-practice", title, folder=folder)
    assert [p for p in (root / "content").rglob("*") if p.is_file()] == []
    assert new_article(load_config(), "best-practice", f"{title} settings", folder="devices").is_file()


def test_two_home_pages_name_the_address_of_the_home_page(kb_factory) -> None:
    kb_factory({"index.md": article(title="Home"), "README.md": article(title="Read me")})
    assert lint_messages("KB305") == [
        "content/README.md:1 published at the same address as index.md (/); rename or merge one of them",
        "content/index.md:1 published at the same address as README.md (/); rename or merge one of them"]


@pytest.mark.parametrize(("before", "after"), [
    ("reviewed: ''", "reviewed: '2025-06-15'"),
    ('reviewed: ""', 'reviewed: "2025-06-15"'),
    ("reviewed:", "reviewed: 2025-06-15"),
])
def test_verify_fills_an_empty_value_without_a_stray_space(kb_factory, before: str, after: str) -> None:
    from kb.authoring import verify

    root = kb_factory({"a.md": f"---\ntitle: A\n{before}\n---\nBody\n"})
    [result] = verify(load_config(), [root / "content/a.md"], date.fromisoformat(TODAY))
    assert result.ok, result.error
    assert (root / "content/a.md").read_text(encoding="utf-8") == f"---\ntitle: A\n{after}\n---\nBody\n"


BOMB = "b0: &b0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9)}]\n" for i in range(1, 10))  # 9**10 values expanded


@pytest.mark.parametrize(("yaml_text", "message"), [
    (f"{BOMB}nav: *b9\nplugins:\n  - kb: {{}}\n", "mkdocs.yml:9:5: invalid YAML: this value holds more than 1,000,000 values"),
    (f"{BOMB}plugins:\n  - kb:\n      exclude: *b9\n", "mkdocs.yml:9:5: invalid YAML: this value holds more than 1,000,000 values"),
    ("nav: &n [a.md, *n]\nplugins:\n  - kb: {}\n", "mkdocs.yml:3:6: invalid YAML: an alias stands inside the value it names"),
    ("plugins:\n  - kb:\n      extra_fields: &e [a, *e]\n", "mkdocs.yml:5:21: invalid YAML: an alias stands inside the value it names"),
    ("extra: " + "[" * 500 + "]" * 500 + "\nplugins:\n  - kb: {}\n", "mkdocs.yml:3:107: invalid YAML: nested more than 100 levels deep"),
])
def test_a_mkdocs_yml_that_never_ends_is_one_clear_error(tmp_path, yaml_text: str, message: str) -> None:
    """Aliases that loop or expand to billions of values once hung kb (or ended in a RecursionError)."""
    import subprocess
    import sys

    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(f"site_name: T\ndocs_dir: content\n{yaml_text}", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from kb.cli import main; main()", "lint"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"kb: {tmp_path / 'mkdocs.yml'}:") and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_mkdocs_yml_may_share_values_with_anchors(kb_factory) -> None:
    kb_factory({"a.md": article(title="A")})
    shared = "plugins:\n  - kb:\n      extra_fields: &f [ms.*, author]\n      exclude: &x [includes/**]\nextra: {fields: *f, skip: *x}\n"
    (Path("mkdocs.yml")).write_text(f"site_name: T\ndocs_dir: content\n{shared}", encoding="utf-8")
    config = load_config()
    assert (config.extra_fields, config.exclude) == (("ms.*", "author"), ("includes/**",))


def test_keys_that_yaml_reads_as_null_or_true_are_named_as_written_at_their_line(kb_factory) -> None:
    kb_factory({"a.md": article(title="A").replace("reviewed: 2025-06-01\n", "reviewed: 2025-06-01\nnull: x\ntrue: y\n~: z\n0x10: w\n")})
    assert lint_messages("KB011") == [
        "content/a.md:6 unknown field 'null'; add it to extra_fields if it is intended",
        "content/a.md:7 unknown field 'true'; add it to extra_fields if it is intended",
        "content/a.md:9 unknown field '16'; add it to extra_fields if it is intended"]
    assert lint_messages("KB013") == ["content/a.md:8 'null' is set twice in the front matter; the last value wins"]


def test_a_broken_link_to_a_name_that_differs_only_in_case_or_accent_encoding_says_so(kb_factory) -> None:
    """On macOS both links work; on the Linux server that publishes the site neither does."""
    kb_factory({"Printer.md": article(title="Printer"), "cafe\u0301.md": article(title="Cafe"),
                "a.md": article(title="A", body="[p](printer.md) [c](caf\u00e9.md) [n](nope.md)\n")})
    assert lint_messages("KB201") == [
        "content/a.md:7 link target 'printer.md' does not exist (printer.md); did you mean 'Printer.md'? It differs only "
        "in letter case, which macOS and Windows ignore, but the site's server does not",
        "content/a.md:7 link target 'caf\u00e9.md' does not exist (caf\u00e9.md); did you mean 'cafe\u0301.md'? It differs "
        "only in how its accents are encoded (Unicode NFC or NFD), which macOS ignores, but the site's server does not",
        "content/a.md:7 link target 'nope.md' does not exist (nope.md)"]


@pytest.mark.parametrize(("files", "section"), [({}, {}), ({"a.md": article(title="A")}, {"exclude": ["**"]})])
def test_lint_of_a_knowledge_base_without_articles_warns_that_nothing_was_checked(kb_factory, kb_cli, files, section) -> None:
    from click.testing import CliRunner

    kb_factory(files, section)
    for _ in range(2):  # the second run answers from the cache
        result = CliRunner().invoke(kb_cli, ["lint", "--today", TODAY])
        assert result.exit_code == 0
        assert result.output == ("kb: warning: content: holds no article (only hidden, excluded or non-.md files); "
                                 "nothing was checked\n0 errors, 0 warnings, 0 info in 0 files\n")


def test_verify_takes_a_path_as_the_reports_print_it(kb_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """`kb report stale --format json` gives paths relative to the docs folder; verifying them said
    'no such article file' when run from the repository root."""
    from kb.authoring import verify

    root = kb_factory({"pay/refunds.md": article(title="Refunds", reviewed="2024-01-02")})
    [result] = verify(load_config(), ["pay/refunds.md"], date.fromisoformat(TODAY))
    assert (result.ok, result.path, result.old) == (True, root / "content/pay/refunds.md", "2024-01-02")
    (root / "outside.md").write_text(article(title="Outside"), encoding="utf-8")
    [outside] = verify(load_config(), ["../outside.md"], date.fromisoformat(TODAY))
    assert not outside.ok and "outside the docs folder" in outside.error


def test_a_windows_path_that_is_wrong_with_slashes_too_says_so_and_an_escape_is_not_a_separator(kb_factory) -> None:
    kb_factory({"faq/x.md": article(title="X"),
                "a.md": article(title="A", body="[w](faq\\x.md) [g](faq\\gone.md)\n\n"
                                                "Trace at Invoke[T](IEnumerable input, PSDataCollection\\`1 output)\n")})
    assert lint_messages("KB201") == [
        "content/a.md:7 link target 'faq\\x.md' does not exist (faq\\x.md); links use '/', not '\\': did you mean 'faq/x.md'?",
        "content/a.md:7 link target 'faq\\gone.md' does not exist (faq\\gone.md); links use '/', not '\\'; with '/' it is "
        "faq/gone.md, which does not exist either",
        "content/a.md:9 link target 'IEnumerable input, PSDataCollection`1 output' does not exist (IEnumerable input, "
        "PSDataCollection`1 output); if this is code, not a link, put it in backticks (`...`) or write \\[ for its ["]


def test_the_missing_report_names_a_windows_path_as_meant_and_leaves_out_one_that_exists(kb_factory) -> None:
    from kb.knowledge import load
    from kb.reports import missing_articles

    kb_factory({"faq/x.md": article(title="X"), "a.md": article(title="A", body="[w](faq\\x.md) [g](faq\\gone.md) [g2](faq\\gone.md)\n")})
    assert [(m.target, m.articles) for m in missing_articles(load(load_config()))] == [("faq/gone.md", 1)]  # one article, twice


def test_the_missing_report_takes_a_backslash_escaping_punctuation_for_no_windows_path(kb_factory) -> None:
    """A reference definition keeps `my\\_file.md` as written (Python-Markdown links it so, as KB201
    reports it): the file missing is that, not `my/_file.md` in a folder `my`."""
    from click.testing import CliRunner

    from kb.cli import app

    kb_factory({"a.md": article(title="A", body="[x][r]\n\n[r]: my\\_file.md\n")})
    missing = CliRunner().invoke(app(), ["report", "missing", "--today", TODAY]).output
    assert "  my\\_file.md  (1 article)\n    a.md:9\n" in missing, missing


def test_a_broken_anchor_copied_from_a_github_slug_points_at_the_heading_without_the_dropped_words(kb_factory) -> None:
    """The toc drops a heading's `<tag>` and squeezes ` - `; GitHub's slugs, which authors copy, keep both."""
    body = ("## The connection to the server <Servername.contoso.com> timed out\n\nText.\n\n"
            "## The connection to the server Servername.contoso.com timed out (if issue not resolved)\n\nText.\n\n"
            "## Step 2 - Repair the file\n\nText.\n\n"
            "[a](#the-connection-to-the-server-servernamecontosocom-timed-out) [b](#step-2---repair-the-file) [c](#repair)\n")
    kb_factory({"a.md": article(title="A", body=body)})
    assert lint_messages("KB202") == [
        "content/a.md:19 this article has no heading with anchor '#the-connection-to-the-server-servernamecontosocom-timed-out'; "
        "did you mean '#the-connection-to-the-server-timed-out'?",
        "content/a.md:19 this article has no heading with anchor '#step-2---repair-the-file'; did you mean '#step-2-repair-the-file'?",
        "content/a.md:19 this article has no heading with anchor '#repair'"]


def test_superseded_by_written_as_a_file_or_with_a_typo_names_the_id_meant(kb_factory) -> None:
    old = dict(status="archived")
    kb_factory({"pay/new.md": article(title="New"),
                "pay/a.md": article(title="A", superseded_by="new.md", **old),
                "pay/b.md": article(title="B", superseded_by="pay/new.md", **old),
                "pay/c.md": article(title="C", superseded_by="pay/nwe", **old),
                "pay/d.md": article(title="D", superseded_by="gone.md", **old)})
    assert lint_messages("KB105") == [
        "content/pay/a.md:6 'superseded_by' names 'new.md', which is not an article id; did you mean 'pay/new'? "
        "An id is the file's path in the docs folder without '.md'",
        "content/pay/b.md:6 'superseded_by' names 'pay/new.md', which is not an article id; did you mean 'pay/new'? "
        "An id is the file's path in the docs folder without '.md'",
        "content/pay/c.md:6 'superseded_by' names 'pay/nwe', which is not an article id; did you mean 'pay/new'?",
        "content/pay/d.md:6 'superseded_by' names 'gone.md', which is not an article id"]
