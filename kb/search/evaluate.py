"""`kb eval`: MRR@10, Recall@5 and nDCG@10 of the current index on labelled queries (a qrels TSV)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.exceptions import KbError

if TYPE_CHECKING:
    from kb.config import Config


@dataclass(frozen=True)
class Judged:
    query: str
    relevant: tuple[str, ...]  # article ids
    line: int


@dataclass(frozen=True)
class QueryScore:
    query: str
    relevant: tuple[str, ...]
    found: tuple[str, ...]  # ids of the top 10 hits
    first_rank: int | None
    rr: float
    recall5: float
    ndcg10: float


@dataclass
class EvalReport:
    queries: list[QueryScore]
    mrr10: float
    recall5: float
    ndcg10: float
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"queries": len(self.queries), "mrr@10": round(self.mrr10, 4), "recall@5": round(self.recall5, 4),
                "ndcg@10": round(self.ndcg10, 4), "problems": self.problems,
                "per_query": [asdict(q) for q in self.queries]}


def _to_id(entry: str, config: Config) -> str:
    from kb.articles import split_lang

    entry = entry.strip().strip("/")
    docs = config.docs_dir.name + "/"
    if entry.startswith(docs) and entry.endswith(".md"):
        entry = entry[len(docs):]
    if entry.endswith(".md"):
        entry = split_lang(entry, config.languages)[0]
    return entry


def read_qrels(path: Path, config: Config) -> list[Judged]:
    """`query<TAB>id;id` lines; `#` comments, blank lines and a `query` header line are skipped."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise KbError(f"{path}: cannot read the judgements: {error}") from None
    judged: list[Judged] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        query, tab, relevant = line.partition("\t")
        if not judged and query.strip().lower() == "query":  # a header line
            continue
        ids = tuple(dict.fromkeys(_to_id(e, config) for e in relevant.split(";") if e.strip()))
        if not tab or not query.strip() or not ids:
            raise KbError(f"{path}:{number}: expected a query, a tab, then relevant ids or paths separated by ';'")
        judged.append(Judged(query.strip(), ids, number))
    if not judged:
        raise KbError(f"{path}: no judged queries in the file")
    return judged


def score(found: list[str], relevant: tuple[str, ...]) -> tuple[int | None, float, float, float]:
    """(first relevant rank, RR@10, Recall@5, nDCG@10) for ranked ids with binary relevance."""
    wanted = set(relevant)
    ranks = [i for i, doc in enumerate(found[:10], start=1) if doc in wanted]
    first = ranks[0] if ranks else None
    rr = 1.0 / first if first else 0.0
    recall5 = len(wanted & set(found[:5])) / len(wanted)
    dcg = sum(1.0 / math.log2(r + 1) for r in ranks)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(wanted), 10) + 1))
    return first, rr, recall5, dcg / ideal if ideal else 0.0


def evaluate(config: Config, qrels: Path, audience: str | None = None) -> EvalReport:
    from kb.search import indexer
    from kb.search.analysis import Stemmers
    from kb.search.searching import SearchOptions, _open, run_search

    judged = read_qrels(qrels, config)
    folder, _ = indexer.ensure_index(config)
    stemmers = Stemmers(config.languages, config.search.indonesian_stemmer)
    options = SearchOptions(limit=10, audience=audience, log=False)
    scores: list[QueryScore] = []
    problems: list[str] = []
    with _open(folder, indexer) as searcher:
        known = {f.get("id") for f in searcher.stored()}
        for item in judged:
            missing = [i for i in item.relevant if i not in known]
            if missing:
                problems.append(f"{qrels}:{item.line}: not in the index: {', '.join(missing)}")
            result = run_search(config, searcher, item.query, options, stemmers)
            found = list(dict.fromkeys(hit.id for hit in result.hits))
            first, rr, recall5, ndcg = score(found, item.relevant)
            scores.append(QueryScore(item.query, item.relevant, tuple(found), first, rr, recall5, ndcg))
    n = len(scores)
    return EvalReport(scores, sum(s.rr for s in scores) / n, sum(s.recall5 for s in scores) / n,
                      sum(s.ndcg10 for s in scores) / n, problems)
