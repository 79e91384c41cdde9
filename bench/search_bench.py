"""`kb index` and `kb search` against a straightforward Whoosh set-up and SQLite FTS5, in one run.

    python bench/search_bench.py                    # 10,000 articles
    python bench/search_bench.py --sizes 10000 50000

For each size it generates (or reuses) a seeded corpus under bench/out/search-corpus-<n>-seed<s>/
(bench/generate.py; its own copy, because the incremental test edits files) and measures:

- baseline full index (in-process): one Whoosh writer, StemmingAnalyzer on title and body, stored
  body, default commit (with its final merge); the commit is timed separately;
- kb full index: `kb index --rebuild` as a whole process (parallel writers, one segment each, no
  final merge, PyStemmer English + Indonesian stems);
- kb update: 10 articles changed, `kb index` as a whole process (change detection included), and
  `kb index` with nothing changed;
- search latency in-process over a seeded set of agent-like queries (2-4 words, some misspelled,
  some Indonesian): baseline without and with highlights (QueryParser, OrGroup, Whoosh highlights
  from the stored body), and kb (typo correction, synonyms, snippets with highlights);
- `kb search` as a whole process (median of runs);
- SQLite FTS5 (standard library; unicode61 + porter tokenizer, bm25() with title weighted, snippet()
  for highlights) on the same parsed texts and queries: build time and search p95, with the ratios.

Figures go to stdout and bench/out/search-<n>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import cached  # noqa: E402

TODAY = "2026-11-15"


def corpus(size: int, seed: int) -> Path:
    # Its own copy: the update figure edits files.
    return cached(HERE / "out" / f"search-corpus-{size}-seed{seed}", size, seed)


def kb_command() -> list[str]:
    script = Path(sys.executable).with_name("kb")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kb.cli"]


def run(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env={**os.environ, "KB_TODAY": TODAY})
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr}")
    return elapsed


def load_texts(config: Any) -> list[dict[str, str]]:
    from kb.articles import discover, read_article
    from kb.search.analysis import plain_text

    docs = []
    for path in discover(config):
        article = read_article(path, config)
        if article.readable:
            docs.append({"key": article.rel, "title": article.title or "", "body": plain_text(article.body),
                         "tags": ",".join(article.tags)})
    return docs


def queries(docs: list[dict[str, str]], seed: int, count: int = 60) -> list[str]:
    """Agent-like queries: 2-4 words of a title, every fourth with a swapped-letter typo."""
    rng = random.Random(seed)
    picked = []
    for doc in rng.sample(docs, count):
        words = [w for w in re.findall(r"\w+", doc["title"].lower()) if len(w) > 3]
        if len(words) < 2:
            continue
        chosen = rng.sample(words, min(len(words), rng.randint(2, 4)))
        if len(picked) % 4 == 3:
            word = chosen[0]
            i = rng.randrange(1, len(word) - 1)
            chosen[0] = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        picked.append(" ".join(chosen))
    return picked


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed_queries(fn: Any, qs: list[str], rounds: int = 3) -> dict[str, float]:
    for q in qs[:5]:
        fn(q)
    times = []
    for _ in range(rounds):
        for q in qs:
            started = time.perf_counter()
            fn(q)
            times.append(time.perf_counter() - started)
    return {"p50_ms": percentile(times, 50) * 1000, "p95_ms": percentile(times, 95) * 1000}


# --- the baseline: a straightforward Whoosh set-up --------------------------------------------


def baseline_index(docs: list[dict[str, str]], folder: Path) -> dict[str, float]:
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    schema = fields.Schema(key=fields.ID(unique=True, stored=True),
                           title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True, field_boost=3.0),
                           body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
                           tags=fields.KEYWORD(stored=True, commas=True))
    ix = index.create_in(str(folder), schema)
    writer = ix.writer()
    for doc in docs:
        writer.add_document(**doc)
    before_commit = time.perf_counter()
    writer.commit()
    done = time.perf_counter()
    return {"seconds": done - started, "commit_seconds": done - before_commit}


def baseline_search(folder: Path) -> tuple[Any, Any]:
    from whoosh import index
    from whoosh.qparser import MultifieldParser, OrGroup

    ix = index.open_dir(str(folder))
    searcher = ix.searcher()
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup.factory(0.9))

    def plain(q: str) -> None:
        results = searcher.search(parser.parse(q), limit=10)
        [hit["title"] for hit in results]

    def highlighted(q: str) -> None:
        results = searcher.search(parser.parse(q), limit=10)
        [hit.highlights("body") for hit in results]

    return plain, highlighted


# --- SQLite FTS5 --------------------------------------------------------------------------


def fts5(docs: list[dict[str, str]], path: Path, qs: list[str]) -> dict[str, float]:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(str(path))
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, tokenize='porter unicode61')")
    with db:
        db.executemany("INSERT INTO docs VALUES (?, ?, ?)", ((d["key"], d["title"], d["body"]) for d in docs))
    built = time.perf_counter() - started

    def search(q: str) -> None:
        terms = " OR ".join('"' + w.replace('"', "") + '"' for w in re.findall(r"\w+", q))
        db.execute("SELECT key, title, snippet(docs, 2, '[', ']', '…', 24) FROM docs WHERE docs MATCH ? "
                   "ORDER BY bm25(docs, 0.0, 4.0, 1.0) LIMIT 10", (terms,)).fetchall()

    latency = timed_queries(search, qs)
    db.close()
    return {"seconds": built, **latency}


# --- kb ------------------------------------------------------------------------------------


def kb_in_process(root: Path, qs: list[str]) -> dict[str, float]:
    from kb.config import load_config
    from kb.search import indexer
    from kb.search.engine import Searcher
    from kb.search.searching import SearchOptions, run_search

    config = load_config(root / "mkdocs.yml")
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    options = SearchOptions(log=False)
    with Searcher(folder) as searcher:
        latency = timed_queries(lambda q: run_search(config, searcher, q, options), qs)
    return latency


def touch_articles(root: Path, n: int, round_: int) -> None:
    files = sorted((root / "content").rglob("*.md"))[:: max(1, 1000 // n)][:n]
    for path in files:
        with path.open("a", encoding="utf-8") as out:
            out.write(f"\nEdited in benchmark round {round_}.\n")


def bench(size: int, seed: int, process_runs: int) -> dict[str, Any]:
    from kb.config import load_config

    root = corpus(size, seed)
    shutil.rmtree(root / ".kb", ignore_errors=True)
    config = load_config(root / "mkdocs.yml")
    print(f"\n== {size} articles ({root})", flush=True)
    load_started = time.perf_counter()
    docs = load_texts(config)
    print(f"parsed {len(docs)} articles in {time.perf_counter() - load_started:.1f} s (not counted below)", flush=True)
    qs = queries(docs, seed)
    figures: dict[str, Any] = {"articles": size, "queries": len(qs)}

    base_dir = root / ".kb" / "baseline-index"
    figures["baseline_index"] = baseline_index(docs, base_dir)
    print(f"baseline full index: {figures['baseline_index']['seconds']:.1f} s "
          f"(final commit/merge {figures['baseline_index']['commit_seconds']:.1f} s)", flush=True)
    figures["kb_index_full_s"] = run([*kb_command(), "index", "--rebuild"], root)
    print(f"kb full index (process): {figures['kb_index_full_s']:.1f} s", flush=True)

    figures["kb_index_unchanged_s"] = statistics.median(run([*kb_command(), "index"], root) for _ in range(process_runs))
    updates = []
    for round_ in range(process_runs):
        touch_articles(root, 10, round_)
        updates.append(run([*kb_command(), "index"], root))
    figures["kb_index_10_changed_s"] = statistics.median(updates)
    print(f"kb index, nothing changed: {figures['kb_index_unchanged_s']:.2f} s; 10 changed: "
          f"{figures['kb_index_10_changed_s']:.2f} s (process, median)", flush=True)

    plain, highlighted = baseline_search(base_dir)
    figures["baseline_search"] = timed_queries(plain, qs)
    figures["baseline_search_highlights"] = timed_queries(highlighted, qs)
    figures["kb_search"] = kb_in_process(root, qs)
    print(f"search p95 in-process: baseline {figures['baseline_search']['p95_ms']:.0f} ms, baseline+highlights "
          f"{figures['baseline_search_highlights']['p95_ms']:.0f} ms, kb (with snippets) "
          f"{figures['kb_search']['p95_ms']:.0f} ms", flush=True)
    figures["kb_search_process_s"] = statistics.median(
        run([*kb_command(), "search", *qs[i % len(qs)].split()], root) for i in range(process_runs * 2))
    print(f"kb search as a process: {figures['kb_search_process_s']:.2f} s (median)", flush=True)

    figures["fts5"] = fts5(docs, root / ".kb" / "fts5.db", qs)
    print(f"SQLite FTS5: build {figures['fts5']['seconds']:.1f} s, search p95 {figures['fts5']['p95_ms']:.1f} ms "
          "(with snippet())", flush=True)
    figures["ratios"] = {
        "kb_full_vs_baseline": figures["kb_index_full_s"] / figures["baseline_index"]["seconds"],
        "kb_full_vs_fts5": figures["kb_index_full_s"] / figures["fts5"]["seconds"],
        "kb_p95_vs_baseline_highlights": figures["kb_search"]["p95_ms"] / figures["baseline_search_highlights"]["p95_ms"],
        "kb_p95_vs_fts5": figures["kb_search"]["p95_ms"] / figures["fts5"]["p95_ms"],
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="Process runs per figure (median).")
    args = parser.parse_args()
    for size in args.sizes:
        figures = bench(size, args.seed, args.runs)
        r = figures["ratios"]
        print(f"\nsummary {size}: full index {figures['kb_index_full_s']:.1f} s = {r['kb_full_vs_baseline']:.2f}x baseline "
              f"(target <= 0.5x), {r['kb_full_vs_fts5']:.1f}x FTS5; update of 10 {figures['kb_index_10_changed_s']:.2f} s "
              f"(target < 1 s); search p95 {figures['kb_search']['p95_ms']:.0f} ms (target < 50 ms) = "
              f"{r['kb_p95_vs_baseline_highlights']:.2f}x baseline with highlights, {r['kb_p95_vs_fts5']:.1f}x FTS5; "
              f"kb search process {figures['kb_search_process_s']:.2f} s (target < 0.5 s)")
        out = HERE / "out" / f"search-{size}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
