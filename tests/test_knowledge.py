"""kb.knowledge.load: the parallel cold read gives the same articles as reading one by one."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import knowledge
from kb.config import Config, load_config

_real_worker_read = knowledge._worker_read


def _marking_worker_read(paths: list[Path], config: Config) -> bytes:
    """The worker's job, marking each article's record with the id of the process that parsed it."""
    records = marshal.loads(_real_worker_read(paths, config))
    for record in records:
        record[16]["parsed-by"] = os.getpid()  # the front matter
    return marshal.dumps(records)


def test_parallel_cold_load_equals_the_sequential_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.generate import generate

    root = generate(tmp_path / "corpus", 120, seed=5)
    config = load_config(root / "mkdocs.yml")
    sequential = knowledge.load(config, use_cache=False).articles
    for article in sequential:
        article.body = ""  # with the cache on, bodies are not kept
    monkeypatch.setattr(knowledge, "PARALLEL_FROM", 10)
    monkeypatch.setattr(knowledge, "CHUNK", 7)
    monkeypatch.setattr(knowledge, "_worker_read", _marking_worker_read)
    parallel = knowledge.load(config, use_cache=True).articles
    parsers = {article.meta.pop("parsed-by", os.getpid()) for article in parallel}
    assert len(parsers) == 2 and os.getpid() in parsers  # this process and a worker both parsed
    assert len(parallel) == len(sequential) > 100
    assert parallel == sequential
    again = knowledge.load(config, use_cache=True).articles  # now all from the cache just written
    for article in again:
        article.meta.pop("parsed-by", None)
    assert again == sequential


@pytest.mark.parametrize("raw", ["2024-02-29", "2024-02-30", "2024-13-01", "0000-01-01", "0999-01-01",
                                 "2024-6-4", "20240101", "2024-W01", " 2024-01-05 ", "٢٠٢٤-٠١-٠٥"])
def test_iso_date_fast_path_gives_strptimes_results(tmp_path: Path, raw: str) -> None:
    from datetime import datetime

    from kb.articles import parse_date

    (tmp_path / "mkdocs.yml").write_text("docs_dir: content\n")
    (tmp_path / "content").mkdir()
    config = load_config(tmp_path / "mkdocs.yml")
    failures: list[str] = []
    try:
        expected = datetime.strptime(raw.strip(), "%Y-%m-%d").date()
    except ValueError:
        expected = None
    assert parse_date(raw, config, failures.append) == expected
    assert bool(failures) == (expected is None)


def test_a_bad_date_is_reported_every_time_it_is_read(tmp_path: Path) -> None:
    from kb.articles import parse_date

    (tmp_path / "mkdocs.yml").write_text("docs_dir: content\n")
    (tmp_path / "content").mkdir()
    config = load_config(tmp_path / "mkdocs.yml")
    failures: list[str] = []
    assert parse_date("2024-02-30", config, failures.append) is None
    assert parse_date("2024-02-30", config, failures.append) is None  # the second read is remembered, not silent
    assert len(failures) == 2 and failures[0] == failures[1]


@pytest.mark.parametrize("written, words, problem", [
    ("[wifi, ' printer ']", ("wifi", "printer"), None),
    ("[2024, wifi, 1.5]", ("2024", "wifi", "1.5"), None),  # numbers are words too
    ("[wifi, true]", (), "item 2 is true/false (true)"),
    ("[wifi, ~]", (), "item 2 is empty (null)"),
    ("[wifi, [a]]", (), "item 2 is a list"),
])
def test_a_list_of_words_is_read_as_texts(tmp_path: Path, written: str, words: tuple[str, ...], problem: str | None) -> None:
    from conftest import article, write_kb

    root = write_kb(tmp_path, {"a.md": article(tags=written)})
    found = knowledge.load(load_config(root / "mkdocs.yml"), use_cache=False).articles[0]
    assert found.tags == words
    assert [p.message for p in found.problems if p.rule == "wrong-field-type"] == (
        [f"'tags' must be a list of words; {problem}"] if problem else [])


_SEGMENTS = st.sampled_from(["x.md", "..", ".", "", "y", "...", "..x", ".h", "x..", "a b", "é"])


@given(st.lists(_SEGMENTS, max_size=3).map("/".join), st.lists(_SEGMENTS, min_size=1, max_size=5).map("/".join))
@settings(max_examples=1000, deadline=None)
def test_link_paths_join_as_posixpath_joins_them(folder: str, target: str) -> None:
    import posixpath

    folder = posixpath.normpath(folder).lstrip("/") if folder else ""  # an article's folder: normal, relative
    folder = "" if folder == "." or folder.startswith("..") else folder
    assert knowledge._joined(folder, target) == posixpath.normpath(posixpath.join(folder, target))


def test_a_link_to_an_article_written_only_in_another_language_resolves(tmp_path: Path) -> None:
    """`[x](drawer.md)` from an English page: the site shows the Indonesian-only `drawer.id.md` there."""
    from conftest import article, write_kb

    root = write_kb(tmp_path, {"drawer.id.md": article(title="Laci kas"), "a.md": article(title="A", body="[d](drawer.md)\n")},
                    {"languages": ["en", "id"]})
    config = load_config(root / "mkdocs.yml")
    kb = knowledge.load(config, use_cache=False)
    source = next(a for a in kb.articles if a.rel == "a.md")
    [(_, target)] = kb.resolved_links(source)
    assert (target.status, target.rel) == (knowledge.OK, "drawer.id.md")


@pytest.mark.parametrize("directory_urls, source, address, page", [
    (True, "guides/a.md", "../b/", "guides/b.md"),  # guides/a/ -> guides/b/
    (True, "guides/a.id.md", "../b/", "guides/b.id.md"),  # a translation: the same language's page
    (True, "guides/index.md", "b/", "guides/b.md"),  # an index page is its folder's address
    (True, "guides/a.md", "../", "guides/index.md"),
    (True, "guides/a.md", "../b.png", None),  # a file, not a page
    (False, "guides/a.md", "b.html", None),
    (False, "guides/a.md", "../b/", None),  # flat URLs: guides/a.html -> b/, nothing there
])
def test_page_at_reads_a_site_address_as_the_browser_does(tmp_path: Path, directory_urls: bool, source: str,
                                                          address: str, page: str | None) -> None:
    from conftest import article, write_kb

    files = {rel: article(title=rel) for rel in ("guides/a.md", "guides/a.id.md", "guides/b.md", "guides/b.id.md", "guides/index.md")}
    root = write_kb(tmp_path, files, {"languages": ["en", "id"]}, use_directory_urls=directory_urls)
    kb = knowledge.load(load_config(root / "mkdocs.yml"), use_cache=False)
    found = kb.page_at(kb.by_rel[source], address)
    assert (found.rel if found else None) == page


def test_chunks_a_failed_worker_took_are_parsed_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.generate import generate

    root = generate(tmp_path / "corpus", 60, seed=7)
    config = load_config(root / "mkdocs.yml")
    sequential = knowledge.load(config, use_cache=False).articles
    for article in sequential:
        article.body = ""
    parent = os.getpid()

    def dying_worker_read(paths: list[Path], config: Config) -> bytes:
        if os.getpid() != parent:
            os._exit(3)  # the worker dies holding the chunk it took
        return _real_worker_read(paths, config)

    monkeypatch.setattr(knowledge, "PARALLEL_FROM", 10)
    monkeypatch.setattr(knowledge, "CHUNK", 5)
    monkeypatch.setattr(knowledge, "_worker_read", dying_worker_read)
    assert knowledge.load(config, use_cache=True).articles == sequential
