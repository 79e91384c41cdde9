"""kb.records: an article survives the trip through a record and marshal unchanged."""

from __future__ import annotations

import marshal
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import DATA, article, write_kb

from kb import knowledge, records, yamlload
from kb.articles import discover, read_article
from kb.config import load_config

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("root", [REPO, DATA / "bad"], ids=["sample content", "bad input"])
def test_every_article_round_trips(root: Path, tmp_path: Path) -> None:
    if root == DATA / "bad":  # a copy: the corpus holds a symlink that must resolve inside it
        root = Path(shutil.copytree(root, tmp_path / "bad", symlinks=True))
    config = load_config(root / "mkdocs.yml")
    articles = [read_article(path, config) for path in discover(config)]
    assert len(articles) > 25
    for original in articles:
        original.body = ""  # records carry no body
        [stored] = marshal.loads(records.dumps([records.to_record(original)]))
        if stored is None:  # a foreign YAML tag or a timestamp in the front matter: parsed on every run
            assert any(yamlload.tag_of(value) or isinstance(value, date) for value in original.meta.values()), original.rel
            continue
        assert records.from_record(original.path, stored) == original, original.rel


def test_front_matter_marshal_cannot_write_is_parsed_again(tmp_path: Path) -> None:
    """An explicit `!!timestamp` gives a date object in the front matter: that article is left out
    of the cache (and parsed on every run), the others are cached, and lint still sees it."""
    root = write_kb(tmp_path, {
        "a.md": article(title="A", extra="!!timestamp 2024-01-02"),
        "b.md": article(title="B"),
    })
    config = load_config(root / "mkdocs.yml")
    first = {a.rel: a for a in knowledge.load(config, use_cache=True).articles}
    assert str(first["a.md"].meta["extra"]) == "2024-01-02" and not isinstance(first["a.md"].meta["extra"], str)
    [cache] = (root / ".kb" / "cache").glob("articles-*.marshal")
    assert {Path(path).name for path in marshal.loads(cache.read_bytes())} == {"b.md"}
    again = {a.rel: a for a in knowledge.load(config, use_cache=True).articles}
    assert again["a.md"].meta == first["a.md"].meta
    first["b.md"].body = ""  # read now; from the cache next time, without its body
    assert again["b.md"] == first["b.md"]


def test_a_cache_entry_of_another_shape_is_parsed_again(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.md": article(title="A")})
    config = load_config(root / "mkdocs.yml")
    knowledge.load(config, use_cache=True)
    [cache] = (root / ".kb" / "cache").glob("articles-*.marshal")
    entries = marshal.loads(cache.read_bytes())
    [(path, (stamp, record))] = entries.items()
    cache.write_bytes(marshal.dumps({path: (stamp, record[:5])}))
    [loaded] = knowledge.load(config, use_cache=True).articles
    assert loaded.title == "A" and loaded.readable


@pytest.mark.parametrize("articles_cache, memo", [
    ("{path: 5}", None),
    ("{path: (1, 2)}", None),
    ("{path: ((1, 2, 3), 'x')}", None),
    (None, "(key, 65, [('x',)])"),
    (None, "(key, 65, 5)"),
    (None, "(key, 1, [('a.md', 1, 1, 'KB101', 'stale-article', 'm', 9)])"),
])
def test_cache_files_of_another_shape_are_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 articles_cache: str | None, memo: str | None) -> None:
    """Valid marshal data of the wrong shape (an older kb, a tool writing there) is no cache at all."""
    from kb import cache
    from kb.lint import lint, severities
    from kb.rules import rules

    root = write_kb(tmp_path, {"a.md": article(title="A", body="[b](b.md)\n")})
    monkeypatch.chdir(root)
    config = load_config(root / "mkdocs.yml")
    today = date(2025, 6, 15)
    first = lint(config, today).diagnostics
    [store] = (root / ".kb" / "cache").glob("articles-*.marshal")
    if articles_cache is not None:
        path = str(root / "content" / "a.md")
        store.write_bytes(marshal.dumps(eval(articles_cache, {"path": path})))  # noqa: S307 - test data
        (root / ".kb" / "cache" / "lint-results.marshal").unlink(missing_ok=True)
    if memo is not None:  # under the key this very run will look for
        levels, _ = severities(config, rules())
        key = cache.lint_key(config, (today.isoformat(), str(Path.cwd()), sorted(levels.items())), [])[0]
        (root / ".kb" / "cache" / "lint-results.marshal").write_bytes(marshal.dumps(eval(memo, {"key": key})))  # noqa: S307
    assert lint(config, today).diagnostics == first


def test_a_changed_kb_module_starts_a_fresh_parse_cache(tmp_path: Path) -> None:
    """kb installed from a branch or edited keeps its version number: what an older reader made is not reused."""
    import os

    import kb.articles
    from kb import cache

    root = write_kb(tmp_path, {"a.md": article(title="A")})
    config = load_config(root / "mkdocs.yml")
    before = cache.ArticleCache(config).file
    module = Path(kb.articles.__file__)
    stat = module.stat()
    try:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        cache._reader_sources.cache_clear()
        assert cache.ArticleCache(config).file != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        cache._reader_sources.cache_clear()
    assert cache.ArticleCache(config).file == before


def test_docfx_syntax_survives_the_parse_cache(tmp_path: Path) -> None:
    """Lint reads cached articles without their body: the scan's DocFX marks must come back."""
    root = write_kb(tmp_path, {"a.md": article(title="A", body="> [!NOTE]\n> Back up.\n\n:::image source=\"media/x.png\":::\n")})
    config = load_config(root / "mkdocs.yml")
    first = knowledge.load(config, use_cache=True).articles[0].scan
    [again] = knowledge.load(config, use_cache=True).articles
    assert again.body == "" and again.scan == first
    assert [(mark.line, mark.construct, mark.value) for mark in again.scan.docfx] == [(7, "alert", "NOTE"), (10, "image", "media/x.png")]


def test_an_edit_writes_only_the_changed_records_until_they_are_a_tenth(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {f"a{n}.md": article(title=f"A{n}") for n in range(30)})
    config = load_config(root / "mkdocs.yml")
    knowledge.load(config, use_cache=True)
    [main] = (root / ".kb" / "cache").glob("articles-*[0-9a-f].marshal")
    written = main.read_bytes()
    changes = main.with_name(main.name.replace(".marshal", ".changes.marshal"))
    assert not changes.exists()

    (root / "content" / "a1.md").write_text(article(title="Edited"), encoding="utf-8")
    knowledge.load(config, use_cache=True)
    assert main.read_bytes() == written  # the 29 others are not written again
    assert [Path(path).name for path in marshal.loads(changes.read_bytes())] == ["a1.md"]
    again = knowledge.load(config, use_cache=True, defer_save=True)
    assert again.by_rel["a1.md"].title == "Edited" and again.unsaved_cache is not None
    assert not again.unsaved_cache.dirty  # read from the two files: nothing parsed

    for n in range(2, 6):  # 5 changed records of 30: more than a tenth
        (root / "content" / f"a{n}.md").write_text(article(title=f"Edited {n}"), encoding="utf-8")
    knowledge.load(config, use_cache=True)
    assert main.read_bytes() != written and not changes.exists()
    assert {a.rel: a.title for a in knowledge.load(config, use_cache=True).articles}["a5.md"] == "Edited 5"


def test_a_stale_changes_file_costs_a_parse_not_a_wrong_article(tmp_path: Path) -> None:
    """A crash between writing the first file whole and removing the changes file leaves older records
    over newer ones: their stamps no longer match the files, which are parsed again."""
    root = write_kb(tmp_path, {f"a{n}.md": article(title=f"A{n}") for n in range(30)})
    config = load_config(root / "mkdocs.yml")
    knowledge.load(config, use_cache=True)
    [main] = (root / ".kb" / "cache").glob("articles-*[0-9a-f].marshal")
    (root / "content" / "a1.md").write_text(article(title="First edit"), encoding="utf-8")
    knowledge.load(config, use_cache=True)
    changes = main.with_name(main.name.replace(".marshal", ".changes.marshal"))
    stale = changes.read_bytes()
    (root / "content" / "a1.md").write_text(article(title="Second edit, longer"), encoding="utf-8")
    knowledge.load(config, use_cache=True)
    changes.write_bytes(stale)  # the first edit's record back over the second's
    assert knowledge.load(config, use_cache=True).by_rel["a1.md"].title == "Second edit, longer"


def test_a_run_that_parses_nothing_writes_no_cache_file(tmp_path: Path) -> None:
    """A deleted article's record stays until the next whole write; it is no reason to write again."""
    root = write_kb(tmp_path, {f"a{n}.md": article(title=f"A{n}") for n in range(30)})
    config = load_config(root / "mkdocs.yml")
    knowledge.load(config, use_cache=True)
    (root / "content" / "a1.md").unlink()
    knowledge.load(config, use_cache=True)
    files = {path: path.stat().st_mtime_ns for path in (root / ".kb" / "cache").iterdir()}
    knowledge.load(config, use_cache=True)
    assert {path: path.stat().st_mtime_ns for path in (root / ".kb" / "cache").iterdir()} == files
