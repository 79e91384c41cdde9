"""The term-at-a-time scorer against Whoosh's own BM25F, and the snippet window."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query

from kb.config import load_config
from kb.search import indexer, ranking
from kb.search.analysis import Stemmers
from kb.search.engine import Searcher
from kb.search.query import build_plan
from kb.search.searching import snippet
from tests.conftest import article, write_kb

WORDS = "printer refund receipt offline sync tablet outlet payment invoice export".split()


def _files(count: int) -> dict[str, str]:
    files = {}
    for n in range(count):
        words = [WORDS[(n * k) % len(WORDS)] for k in (1, 3, 7)]
        body = " ".join(words * (1 + n % 4)) + f" filler{n}\n" + ("more text here. " * (n % 9))
        files[f"area/a{n:03}.md"] = article(f"{words[0].title()} {words[1]} problem", body=body,
                                            audience="public" if n % 2 else "internal")
    return files


@pytest.fixture
def segmented(tmp_path: Path) -> Path:
    """An index of several segments with deleted documents (a full build, then an update)."""
    root = write_kb(tmp_path / "kb", _files(120), {"languages": ["en", "id"]})
    config = load_config(root / "mkdocs.yml")
    indexer.update_index(config, procs=2)
    for n in range(0, 120, 11):
        path = root / "content" / "area" / f"a{n:03}.md"
        path.write_text(path.read_text() + "\nprinter printer refund\n")
    report = indexer.update_index(config)
    assert report.changed and not report.rebuilt
    return root


def test_term_scores_equal_whoosh_bm25f_over_segments_and_deletions(segmented: Path) -> None:
    config = load_config(segmented / "mkdocs.yml")
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    with Searcher(folder) as searcher:
        assert len(searcher.postings.segments) > 1 and searcher.postings.deleted()
        stems = Stemmers(config.languages)
        for word in ("printer", "refund", "sync", "filler7"):
            for stem in stems.stems(word):
                ours = searcher.postings.term_scores("text", stem, 1.0)
                theirs = {hit.docnum: hit.score for hit in searcher.searcher.search(query.Term("text", stem), limit=None)}
                for doc in searcher.postings.deleted():
                    ours.pop(doc, None)
                assert ours.keys() == theirs.keys() and theirs
                assert all(abs(ours[d] - theirs[d]) < 1e-6 * max(1.0, theirs[d]) for d in theirs)


def test_plan_scores_combine_like_the_query_they_replace(segmented: Path) -> None:
    config = load_config(segmented / "mkdocs.yml")
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    stems = Stemmers(config.languages)
    with Searcher(folder) as searcher:
        source = searcher.postings
        one = {w: ranking.score_plan(build_plan(w, stems), source, public=False) for w in ("printer", "refund")}
        both = ranking.score_plan(build_plan("printer refund", stems), source, public=False)
        assert both.keys() == one["printer"].keys() | one["refund"].keys()
        assert all(abs(both[d] - one["printer"].get(d, 0) - one["refund"].get(d, 0)) < 1e-9 for d in both)
        every = ranking.score_plan(build_plan("printer refund", stems), source, public=False, match_all=True)
        assert every.keys() == one["printer"].keys() & one["refund"].keys()
        without = ranking.score_plan(build_plan("printer -refund", stems), source, public=False)
        assert without.keys() == one["printer"].keys() - one["refund"].keys()
        best = ranking.top(both, 5)
        assert [s for _, s in best] == sorted(both.values(), reverse=True)[:5]


def test_snippet_picks_the_window_with_most_distinct_words_in_a_long_text() -> None:
    stems = Stemmers(("en",))
    # within the 40,000 characters scanned
    text = "alpha words " * 2_500 + "here alpha beta gamma together. " + "alpha filler " * 100 + "here alpha beta gamma together. " + "alpha filler " * 100
    found, marks = snippet(text, frozenset({"alpha", "beta", "gamma"}), stems)
    marked = {found[s:e] for s, e in marks}
    assert {"alpha", "beta", "gamma"} <= marked
    assert found.startswith("… ")
