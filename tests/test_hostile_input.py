"""Hostile input to the core commands (lint, reports, new, verify) found in a QA pass, each once a bug."""

from __future__ import annotations

import re
from datetime import date

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
