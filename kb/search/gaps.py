"""What people searched for and did not find: zero- and low-hit queries, grouped, ranked by count.

A hit here is an article that matches every word of the query (through stems, synonyms and typo
corrections): `loyalty points` is not answered by articles that only mention points.

Queries are grouped by their content words' stems (`Refund failed?`, `refunds failing` and
`gagal refund` are not all one group, but the first two are), and each group is searched again
against the current index, so a gap that an article has since filled drops out.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from kb.exceptions import KbError
from kb.report_format import csv_table
from kb.search.analysis import Stemmers, normalise_query

if TYPE_CHECKING:
    from kb.config import Config


@dataclass(frozen=True)
class QueryGap:
    """One group of searches that found nothing or little."""

    query: str  # the most frequent wording
    count: int  # how many times the group was searched
    hits: int  # hits now, against the current index
    variants: tuple[str, ...] = ()  # other wordings in the group
    last: str = ""  # when it was last searched (from the log), ISO time
    logged_hits: int | None = None  # fewest hits recorded when it was searched (log only)
    closest: str = ""  # id of the best partial match, if any: maybe an article to extend


@dataclass(frozen=True)
class QueryCount:
    query: str
    count: int = 1
    last: str = ""
    logged_hits: int | None = None
    public: bool = False


def read_queries(path: Path) -> list[QueryCount]:
    """An exported search log: one query per line, or CSV with a header naming `query` (and `count`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise KbError(f"{path}: cannot read the queries file: {error}") from None
    first = text.split("\n", 1)[0]
    dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
    # A header names a `query` column: `query,count`, `query<TAB>count`, or `query` alone (one column).
    if "query" not in [h.strip().lower() for h in next(csv.reader([first], dialect=dialect), [])]:
        return [QueryCount(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows: list[QueryCount] = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text), dialect=dialect), start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        query = row.get("query", "")
        if not query:
            continue
        raw = row.get("count") or row.get("searches") or "1"
        try:
            count = int(float(raw.replace(",", "")))
        except ValueError:
            raise KbError(f"{path}:{number}: count '{raw}' is not a number; expected query,count") from None
        rows.append(QueryCount(query, max(count, 0)))
    return rows


def analyze(config: Config, queries: Iterable[QueryCount], max_hits: int = 2, public: bool = True) -> list[QueryGap]:
    """Group `queries`, search each group once, keep those with at most `max_hits` hits, most searched first."""
    from kb.search import indexer
    from kb.search.searching import SearchOptions, _open, run_search

    stemmers = Stemmers(config.languages, config.search.indonesian_stemmer)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    last: dict[str, str] = {}
    logged: dict[str, int] = {}
    for item in queries:
        key = normalise_query(item.query, stemmers)
        if not key:
            continue
        groups[key][item.query.strip()] += item.count
        if item.last:
            last[key] = max(last.get(key, ""), item.last)
        if item.logged_hits is not None:
            logged[key] = min(logged.get(key, item.logged_hits), item.logged_hits)
    if not groups:
        return []
    folder, _ = indexer.ensure_index(config)
    # Hits that match only some of the words do not answer the question: count full matches.
    options = SearchOptions(limit=max_hits + 1, audience="public" if public else None, log=False, match_all=True)
    found: list[QueryGap] = []
    with _open(folder, indexer) as searcher:
        for key, wordings in groups.items():
            top = wordings.most_common()
            query = top[0][0]
            result = run_search(config, searcher, query, options, stemmers)
            if result.total > max_hits:
                continue
            found.append(QueryGap(query, sum(wordings.values()), result.total, tuple(w for w, _ in top[1:6]),
                                  last.get(key, ""), logged.get(key), result.hits[0].id if result.hits else ""))
    found.sort(key=lambda g: (-g.count, g.hits, g.query.lower()))
    return found


def searched_not_found(config: Config, log_file: Path | None = None, max_hits: int = 2,
                       public: bool = False) -> list[QueryGap] | None:
    """Zero- and low-hit searches from kb's query log, grouped and ranked; None when there is no log.

    Each group is searched again as an agent (or as a customer with `public`), so queries that an
    article written since now answers are left out.
    """
    from kb.search import querylog

    path = log_file or querylog.log_path(config)
    if not path.is_file():
        return None
    items = [QueryCount(r.query, 1, r.time, r.hits) for r in querylog.read(path)]
    return analyze(config, items, max_hits=max_hits, public=public)


def render(rows: list[QueryGap], fmt: str) -> str:
    if fmt == "json":  # absent values are null, as in every kb JSON
        return json.dumps([{**asdict(r), "last": r.last or None, "closest": r.closest or None} for r in rows],
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":  # the queries come from customers: formula-looking cells are neutralised
        return csv_table(["query", "count", "hits", "variants", "last", "closest"],
                         [[r.query, r.count, r.hits, "; ".join(r.variants), r.last, r.closest] for r in rows])
    if not rows:
        return "No searches without answers.\n"
    lines = [f"{len(rows)} search{'es' if len(rows) != 1 else ''} with no or few answers (articles to write):", "",
             f"{'count':>5}  {'hits':>4}  query"]
    for r in rows:
        line = f"{r.count:>5}  {r.hits:>4}  {r.query}"
        if r.variants:
            line += f"  (also: {', '.join(r.variants)})"
        if r.closest:
            line += f"  [closest: {r.closest}]"
        lines.append(line)
    return "\n".join(lines) + "\n"
