"""`kb search` as a library: options in, a page of hits with freshness and snippets out."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.search.analysis import Stemmers, fold

if TYPE_CHECKING:
    from kb.config import Config
    from kb.search.engine import Searcher
    from kb.search.indexer import IndexReport

JSON_SCHEMA_VERSION = 1
SNIPPET_CHARS = 220
SNIPPET_SCAN_CHARS = 40_000
_NO_LEAD = frozenset(" \n\t.,;:·—–-)]")  # never the first character of a snippet cut from the middle
_NOT_TYPED_IN_PUBLIC = frozenset({"audience", "status", "owner"})


@dataclass(frozen=True)
class SearchOptions:
    limit: int = 10
    page: int = 1
    types: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    audience: str | None = None  # "public": only what a customer may see, and no internal text
    statuses: tuple[str, ...] = ("published",)  # () means any status
    fresh_only: bool = False  # leave out stale and never-reviewed articles
    facets: bool = False
    collapse: bool = True  # one hit per article id (the best language version)
    today: date | None = None
    log: bool = True  # append to the query log (if the config allows)
    match_all: bool = False  # only articles that match every word (or one of its synonyms or corrections)


@dataclass
class Hit:
    id: str
    path: str  # docs-relative, e.g. "payments/qris-payment-failed.id.md"
    title: str
    type: str
    lang: str
    audience: str
    status: str
    product: str
    tags: list[str]
    owner: str | None  # None when unknown, and always in the public view
    reviewed: str | None
    due: str | None
    freshness: str  # fresh | due-soon | stale | unknown
    freshness_text: str  # "stale by 12 days"
    score: float
    snippet: str
    highlights: list[tuple[int, int]]  # [start, end) offsets of matched words in `snippet`


@dataclass
class SearchResults:
    query: str
    total: int  # articles found; a lower bound when total_exact is false (more were not counted)
    page: int
    limit: int
    hits: list[Hit]
    total_exact: bool = True
    did_you_mean: str | None = None
    corrections: dict[str, str] = field(default_factory=dict)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The documented `kb search --json` shape (see docs-snippets/search.md); stable per version."""
        return {
            "version": JSON_SCHEMA_VERSION,
            "query": self.query,
            "did_you_mean": self.did_you_mean,
            "corrections": self.corrections,
            "total": self.total,
            "total_exact": self.total_exact,
            "page": self.page,
            "limit": self.limit,
            "filters": self.filters,
            "facets": self.facets if self.facets else None,
            "notes": self.notes,
            "hits": [{**asdict(h), "highlights": [list(p) for p in h.highlights], "score": round(h.score, 4)}
                     for h in self.hits],
        }


def _filters(options: SearchOptions) -> dict[str, tuple[str, ...]]:
    filters = {"type": options.types, "tag": options.tags, "product": options.products, "lang": options.langs,
               "owner": options.owners, "status": options.statuses}
    if options.audience == "public":
        filters["audience"] = ("public",)
    return {k: v for k, v in filters.items() if v}


def _typed_filters(filters: dict[str, tuple[str, ...]], typed: dict[str, tuple[str, ...]],
                   public: bool) -> dict[str, tuple[str, ...]]:
    """`filters` with those typed in the query (`type:issue`) added; `status:` replaces the option's.

    In a public search the query text is the customer's: it cannot widen the view (`status:draft`)
    or list articles by owner handle, so `audience:`, `status:` and `owner:` typed there are ignored.
    """
    merged = dict(filters)
    for name, values in typed.items():
        if public and name in _NOT_TYPED_IN_PUBLIC:
            continue
        if name == "status":
            merged[name] = values
        elif name == "audience":
            if "public" in values:
                merged["audience"] = ("public",)
        else:
            merged[name] = tuple(dict.fromkeys((*merged.get(name, ()), *values)))
    return merged


def freshness_of(reviewed: str, due: str, config: Config, today: date) -> tuple[str, str]:
    """(state, text) from the stored review and due dates, as kb.freshness computes them."""
    from kb.config import DEFAULT_REVIEW_EVERY
    from kb.freshness import DUE_SOON, FRESH, STALE, UNKNOWN, Freshness

    if not reviewed or not due:
        state = Freshness(UNKNOWN, None, None, config.review_every or DEFAULT_REVIEW_EVERY, 0)
        return state.state, state.describe()
    due_date = date.fromisoformat(due)
    overdue = (today - due_date).days
    name = STALE if overdue > 0 else DUE_SOON if config.due_soon.after(today) >= due_date else FRESH
    found = Freshness(name, date.fromisoformat(reviewed), due_date, config.review_every or DEFAULT_REVIEW_EVERY, overdue)
    return found.state, found.describe()


def snippet(text: str, stems: frozenset[str], stemmers: Stemmers, size: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """About `size` characters around the most distinct matched words, with their offsets.

    A regular expression finds the words that contain a stem (in C); only those are stemmed.
    """
    text = text[:SNIPPET_SCAN_CHARS]
    matches: list[tuple[int, int, str]] = []
    pattern = _stem_pattern(stems)
    if pattern is not None:
        for match in pattern.finditer(text):
            word = fold(match.group())
            for stem in stemmers.stems(word):
                if stem in stems:
                    matches.append((match.start(), match.end(), stem))
                    break
    # A window sliding over the matches (linear: a long article can hold thousands of them).
    best_start, best_end, best_score = 0, 0, -1
    covered: dict[str, int] = {}
    ahead = 0
    for start, _, stem in matches:
        while ahead < len(matches) and matches[ahead][0] < start + size - 40:
            covered[matches[ahead][2]] = covered.get(matches[ahead][2], 0) + 1
            ahead += 1
        score = len(covered) * 1000 - start // 100  # more distinct words first, earlier text on ties
        if score > best_score:
            best_start, best_end, best_score = start, matches[ahead - 1][1], score
        covered[stem] -= 1
        if not covered[stem]:
            del covered[stem]
    lead = min(50, max(0, size - (best_end - best_start)) // 2)  # context before, all the window's words kept
    start = 0 if best_start < lead + 10 else _word_start(text, best_start - lead)
    while start < best_start and text[start] in _NO_LEAD:  # `… . The link` -> `… The link`
        start += 1
    end = _word_end(text, start + size)
    piece = text[start:end].replace("\n", " ").rstrip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text.rstrip()) else ""
    marks = [(s - start + len(prefix), e - start + len(prefix)) for s, e, _ in matches if s >= start and e <= end]
    return prefix + piece + suffix, marks


def _stem_pattern(stems: frozenset[str]) -> re.Pattern[str] | None:
    parts = {s[:-1] if len(s) > 4 else s for s in stems if s}
    if not parts:
        return None
    alternatives = "|".join(sorted((re.escape(p) for p in parts), key=len, reverse=True))
    return re.compile(rf"\w*(?:{alternatives})\w*", re.IGNORECASE)


def _word_start(text: str, index: int) -> int:
    index = max(0, index)
    while 0 < index < len(text) and text[index - 1].isalnum():
        index += 1
    return index


def _word_end(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    while index > 0 and text[index - 1].isalnum() and text[index].isalnum():
        index -= 1
    return index


def run_search(config: Config, searcher: Searcher, text: str, options: SearchOptions,
               stemmers: Stemmers | None = None) -> SearchResults:
    """Search an open index (no index update, no logging): what `search()` and `kb eval` share."""
    from kb.search.query import build_plan, parse

    stemmers = stemmers or Stemmers(config.languages, config.search.indonesian_stemmer)
    filters = _typed_filters(_filters(options), parse(text)[1], options.audience == "public")
    public = filters.get("audience") == ("public",)
    # A public search corrects typos from the public view only: what the filters' audience and
    # status allow, outside internal blocks (else "Did you mean" spells out internal words).
    vocabulary = searcher.view({k: v for k, v in filters.items() if k in ("audience", "status")},
                               ("text",)) if public else searcher
    plan = build_plan(text, stemmers, synonyms(config), vocabulary=vocabulary)
    today = options.today or date.today()
    raw = searcher.search(plan, filters, public=public, page=max(1, options.page), limit=max(1, options.limit),
                          fresh_after=today.isoformat() if options.fresh_only else None,
                          facets=options.facets, collapse=options.collapse, prefer_lang=config.default_lang,
                          match_all=options.match_all)
    stems = plan.stems
    hits = []
    for found in raw.hits:
        f = found.fields
        body = f.get("body", "") if public else "\n".join(p for p in (f.get("body", ""), f.get("internal_text", "")) if p)
        text_, marks = snippet(body, stems, stemmers)
        if not marks and f.get("summary"):
            text_, marks = snippet(f["summary"], stems, stemmers)
        state, state_text = freshness_of(f.get("reviewed", ""), f.get("due", ""), config, today)
        hits.append(Hit(
            id=f.get("id", ""), path=f.get("key", ""), title=f.get("title", ""), type=f.get("type", ""),
            lang=f.get("lang", ""), audience=f.get("audience", ""), status=f.get("status", ""),
            product=f.get("product", ""), tags=[t for t in f.get("tags", "").split(",") if t],
            owner=None if public else f.get("owner") or None, reviewed=f.get("reviewed") or None,
            due=f.get("due") or None, freshness=state, freshness_text=state_text, score=found.score,
            snippet=text_, highlights=marks,
        ))
    return SearchResults(text, raw.total, max(1, options.page), options.limit, hits, raw.exact, plan.did_you_mean,
                         plan.corrections, raw.facets, {k: list(v) for k, v in filters.items()})


def synonyms(config: Config) -> tuple[tuple[str, ...], ...]:
    """Synonym groups from the config plus the team's synonyms file (one group per line, commas)."""
    groups = list(config.search.synonyms)
    if config.search.synonyms_file:
        from kb.exceptions import ConfigError

        path = config.path(config.search.synonyms_file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ConfigError(f"{path}: cannot read the synonyms file (search.synonyms_file): {error.strerror}") from None
        for line in lines:
            line = line.split("#", 1)[0].strip()
            group = tuple(w.strip().lower() for w in line.split(",") if w.strip())
            if len(group) >= 2:
                groups.append(group)
    return tuple(groups)


def search(config: Config, text: str, options: SearchOptions | None = None,
           on_wait: Any = None, progress: Any = None) -> tuple[SearchResults, IndexReport | None]:
    """Update the index if needed, search it, and log the query."""
    from kb.search import indexer, querylog

    options = options or SearchOptions()
    folder, report = indexer.ensure_index(config, on_wait=on_wait, progress=progress)
    with _open(folder, indexer) as searcher:
        results = run_search(config, searcher, text, options)
    if not results.hits:
        results.notes.extend(unconfigured_filters(config, results.filters))
    if report is None:
        results.notes.append("another kb index run is updating the index; these results come from the index as it was")
    if options.log and config.search.query_log:
        querylog.append(config, text, results.filters, results.total)
    return results, report


def unconfigured_filters(config: Config, filters: dict[str, list[str]]) -> list[str]:
    """Why a filter may have matched nothing: a type or language the config does not know, such as
    the front matter's own `troubleshooting` when `values` reads it as `issue`."""
    notes = []
    for value in filters.get("type", ()):
        if value not in config.types:
            ours = config.values.get("type", {}).get(value)
            notes.append(f"type '{value}' is read as '{ours}' (values.type in the config): filter on '{ours}'" if ours
                         else f"type '{value}' is not configured; types: {', '.join(config.types)}")
    notes.extend(f"language '{value}' is not configured; languages: {', '.join(config.languages)}"
                 for value in filters.get("lang", ()) if value not in config.languages)
    return notes


def _open(folder: Path, indexer: Any) -> Searcher:
    """Open the live index; if a rebuild switched it away just now, open the new one."""
    from kb.exceptions import SearchIndexError
    from kb.search.engine import Searcher

    try:
        return Searcher(folder)
    except SearchIndexError:
        newer = indexer.live_folder(folder.parent)
        if newer is None or newer == folder:
            raise
        return Searcher(newer)
