"""Reports on the knowledge base as a whole: what is stale, what is missing, and counts.

Each function returns a dataclass; `kb.report_format` renders it as text, JSON, CSV or Markdown.
Only published articles count towards freshness: drafts are not live yet and archived articles are
no longer maintained. An article without a valid `reviewed` date counts as stale ("never reviewed"):
nobody has vouched for it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from kb.freshness import DUE_SOON, FRESH, STALE, UNKNOWN, freshness
from kb.markdown import WINDOWS_SEPARATOR

if TYPE_CHECKING:
    from kb.articles import Article
    from kb.config import Config
    from kb.diagnostics import Diagnostic
    from kb.durations import Duration
    from kb.knowledge import KnowledgeBase

NONE_LABEL = "(none)"  # the group of articles without an owner, type, ...
OLDEST_REVIEWS = 5
SECTION_RULE = "missing-section"


# --- stale ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaleRow:
    """One article that is past due, due within the window, or never reviewed."""

    id: str
    lang: str
    path: str  # docs-relative
    title: str | None  # None when absent or unusable (JSON null)
    owner: str | None
    reviewed: date | None
    due: date | None
    days_overdue: int | None  # > 0 overdue, <= 0 days left, None when never reviewed
    state: str  # stale | due-soon | unknown
    describe: str  # "stale by 12 days", "due in 3 days", "never reviewed"

    @property
    def overdue(self) -> bool:
        return self.state in (STALE, UNKNOWN)


@dataclass(frozen=True)
class StaleReport:
    today: date
    within: Duration
    owner: str | None
    type: str | None
    total: int  # published articles matching the filters ("M")
    rows: tuple[StaleRow, ...]

    @property
    def overdue(self) -> int:
        """Articles past due or never reviewed ("N")."""
        return sum(1 for row in self.rows if row.overdue)

    @property
    def due_soon(self) -> int:
        return sum(1 for row in self.rows if row.state == DUE_SOON)

    @property
    def fresh_percent(self) -> float:
        """Share of the M published articles that are not overdue; 100 when there are none."""
        return _percent(self.total - self.overdue, self.total)


def stale_report(kb: KnowledgeBase, config: Config, today: date, owner: str | None = None,
                 type: str | None = None, within: Duration | None = None) -> StaleReport:
    """Published articles past due or due within `within` (default `due_soon`), most overdue first.

    A zero `within` (`0d`) lists overdue articles only, not even those due today.
    """
    window = within or config.due_soon
    counted = [a for a in _published(kb.articles)
               if (owner is None or (a.owner or "") == owner) and (type is None or (a.type or "") == type)]
    rows = []
    for article in counted:
        state = freshness(article, config, today, window)
        if state.state == FRESH or (state.state == DUE_SOON and not window.count):
            continue
        rows.append(StaleRow(
            id=article.id, lang=article.lang, path=article.rel, title=article.title or None,
            owner=article.owner or None, reviewed=state.reviewed, due=state.due,
            days_overdue=None if state.state == UNKNOWN else state.days_overdue,
            state=state.state, describe=state.describe(),
        ))
    # Never reviewed first (nobody knows how old they are), then by days overdue, then by path.
    rows.sort(key=lambda r: (r.days_overdue is not None, -(r.days_overdue or 0), r.path))
    return StaleReport(today, window, owner, type, len(counted), tuple(rows))


def known_owners(kb: KnowledgeBase, config: Config) -> list[str]:
    """Handles on the owners roster or in any article's `owner`, sorted: the sensible `--owner` values."""
    return sorted(set(config.owners) | {a.owner for a in kb.articles if a.readable and a.owner})


# --- missing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """Where an article points at a missing target."""

    path: str  # the referring article, docs-relative
    line: int
    via: str  # "link" or "related"


@dataclass(frozen=True)
class MissingArticle:
    """A link target that does not exist: an article someone wants."""

    target: str  # docs-relative path the links lead to
    references: tuple[Reference, ...]

    @property
    def articles(self) -> int:
        """How many distinct articles point here (the ranking)."""
        return len({ref.path for ref in self.references})


@dataclass(frozen=True)
class MissingTranslation:
    id: str
    path: str  # the default-language article
    title: str | None
    owner: str | None


@dataclass(frozen=True)
class MissingSection:
    path: str
    line: int
    message: str


@dataclass(frozen=True)
class SearchedNotFound:
    """A search query that found nothing (from the search query log)."""

    query: str
    count: int
    last: str = ""  # when it was last searched, as logged


@dataclass(frozen=True)
class MissingReport:
    articles: tuple[MissingArticle, ...]  # most wanted first
    translations: dict[str, tuple[MissingTranslation, ...]]  # lang -> articles lacking it
    sections: tuple[MissingSection, ...]
    searches: tuple[SearchedNotFound, ...] = ()
    searches_available: bool = False  # False when there is no query log (the section is skipped)

    @property
    def has_missing_articles(self) -> bool:
        return bool(self.articles)


def missing_report(kb: KnowledgeBase, config: Config, diagnostics: Iterable[Diagnostic] = (),
                   searches: Sequence[SearchedNotFound] | None = None) -> MissingReport:
    """What the knowledge base lacks.

    `diagnostics` are lint's results; their `missing-section` findings become the required sections
    missing (so the report and `kb lint` agree, including the configured severities). `searches` are
    the queries that found nothing; None when there is no query log.
    """
    from kb.lint import display_path

    # Lint shows paths relative to the working folder; the report uses docs-relative ones throughout.
    cwd = Path.cwd()
    rel_of = {display_path(article.path, cwd): article.rel for article in kb.articles}
    return MissingReport(
        articles=missing_articles(kb),
        translations=missing_translations(kb, config),
        sections=tuple(sorted(
            (MissingSection(rel_of.get(d.path, d.path), d.line, d.message) for d in diagnostics if d.name == SECTION_RULE),
            key=lambda s: (s.path, s.line, s.message),
        )),
        searches=tuple(searches or ()),
        searches_available=searches is not None,
    )


def searched_not_found(config: Config) -> tuple[SearchedNotFound, ...] | None:
    """Logged searches that found nothing, grouped and ranked by `kb.search.gaps`; None without a log.

    Each is searched again as an agent, so a gap an article has filled since drops out. Raises
    SearchIndexError when the index cannot be opened or built.
    """
    try:
        from kb.search.gaps import searched_not_found as gaps
    except ImportError:  # a build without the search area: no query log to read
        return None
    rows = gaps(config, max_hits=0)
    if rows is None:
        return None
    return tuple(SearchedNotFound(row.query, row.count, row.last) for row in rows)


def missing_articles(kb: KnowledgeBase) -> tuple[MissingArticle, ...]:
    """Missing link and `related:` targets, ranked by how many articles point at them.

    Archived articles are skipped: nobody maintains them, so their dead links say nothing about
    what readers need.
    """
    from kb.knowledge import MISSING

    wanted: dict[str, list[Reference]] = {}
    for article in kb.articles:
        if not article.readable or article.status == "archived":
            continue
        for link in article.scan.links if article.scan else ():
            if WINDOWS_SEPARATOR.search(link.target):  # `..\x\y.md`, written on Windows: the article meant is `../x/y.md`
                link = link._replace(target=link.target.replace("\\", "/"))
            target = kb.resolve(article, link)
            if target.status == MISSING and target.rel.endswith(".md"):
                wanted.setdefault(target.rel, []).append(Reference(article.rel, link.line, "link"))
        for related in article.related:
            related_id = related.strip("/").removesuffix(".md")
            if related_id and kb.get(related_id) is None:
                line = article.line_of("related", kb.config)
                wanted.setdefault(f"{related_id}.md", []).append(Reference(article.rel, line, "related"))
    found = [MissingArticle(target, tuple(sorted(set(refs), key=lambda r: (r.path, r.line, r.via))))
             for target, refs in wanted.items()]
    found.sort(key=lambda m: (-m.articles, m.target))
    return tuple(found)


def missing_translations(kb: KnowledgeBase, config: Config) -> dict[str, tuple[MissingTranslation, ...]]:
    """For each configured language but the default: published default-language articles without it."""
    sources = sorted((a for a in _published(kb.articles) if a.lang == config.default_lang), key=lambda a: a.rel)
    result: dict[str, tuple[MissingTranslation, ...]] = {}
    for lang in config.languages:
        if lang == config.default_lang:
            continue
        result[lang] = tuple(
            MissingTranslation(a.id, a.rel, a.title or None, a.owner or None)
            for a in sources if (a.id, lang) not in kb.by_key
        )
    return result


# --- stats ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerFreshness:
    owner: str
    published: int
    fresh: int

    @property
    def fresh_percent(self) -> float:
        return _percent(self.fresh, self.published)


@dataclass(frozen=True)
class OldReview:
    id: str
    lang: str
    path: str
    title: str | None
    owner: str | None
    reviewed: date
    days_ago: int


@dataclass(frozen=True)
class Stats:
    today: date
    articles: int  # readable articles
    unreadable: int
    by_type: dict[str, int]
    by_status: dict[str, int]
    by_audience: dict[str, int]
    by_language: dict[str, int]
    by_owner: dict[str, int]
    published: int
    fresh: int  # published and not overdue (fresh or due soon)
    owners: tuple[OwnerFreshness, ...]
    never_reviewed: int  # published articles without a valid `reviewed`
    oldest: tuple[OldReview, ...] = field(default=())
    unknown_types: tuple[str, ...] = ()  # keys of by_type that are not configured types (lint's KB008)

    @property
    def fresh_percent(self) -> float:
        return _percent(self.fresh, self.published)


def stats(kb: KnowledgeBase, config: Config, today: date, oldest: int = OLDEST_REVIEWS) -> Stats:
    """Counts by type, status, audience, language and owner; freshness overall and per owner."""
    readable = [a for a in kb.articles if a.readable]
    published = list(_published(readable))
    fresh_by_owner: Counter[str] = Counter()
    published_by_owner: Counter[str] = Counter()
    fresh = never = 0
    for article in published:
        owner = article.owner or NONE_LABEL
        published_by_owner[owner] += 1
        state = freshness(article, config, today).state
        never += state == UNKNOWN
        if state in (FRESH, DUE_SOON):
            fresh += 1
            fresh_by_owner[owner] += 1
    reviewed = sorted((a for a in published if a.reviewed is not None), key=lambda a: (a.reviewed, a.rel))
    by_type = _count(a.type for a in readable)
    return Stats(
        today=today,
        articles=len(readable),
        unreadable=len(kb.articles) - len(readable),
        by_type=by_type,
        by_status=_count(a.status for a in readable),
        by_audience=_count(a.audience for a in readable),
        by_language=_count(a.lang for a in readable),
        by_owner=_count(a.owner for a in readable),
        published=len(published),
        fresh=fresh,
        owners=tuple(OwnerFreshness(o, published_by_owner[o], fresh_by_owner[o]) for o in sorted(published_by_owner)),
        never_reviewed=never,
        oldest=tuple(
            OldReview(a.id, a.lang, a.rel, a.title or None, a.owner or None, a.reviewed, (today - a.reviewed).days)
            for a in reviewed[:oldest] if a.reviewed is not None
        ),
        unknown_types=tuple(t for t in by_type if t != NONE_LABEL and t not in config.types),
    )


# --- helpers --------------------------------------------------------------------------------


def _published(articles: Iterable[Article]) -> Iterable[Article]:
    return (a for a in articles if a.readable and a.status == "published")


def _count(values: Iterable[str | None]) -> dict[str, int]:
    """Counts, largest first, ties by name; missing values count as "(none)"."""
    counts = Counter(value or NONE_LABEL for value in values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0

