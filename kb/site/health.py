"""Knowledge health figures for the internal site: how fresh the published articles are."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from kb.articles import Article
from kb.config import Config
from kb.freshness import DUE_SOON, FRESH, STALE, freshness


@dataclass
class Tally:
    """Counts of one group of articles (an owner, a type, or all of them)."""

    total: int = 0
    fresh: int = 0
    due_soon: int = 0
    stale: int = 0
    unknown: int = 0

    def add(self, state: str) -> None:
        self.total += 1
        if state == FRESH:
            self.fresh += 1
        elif state == DUE_SOON:
            self.due_soon += 1
        elif state == STALE:
            self.stale += 1
        else:
            self.unknown += 1

    @property
    def fresh_pct(self) -> int:
        """Fresh or due soon (not yet past due), as a whole percentage."""
        return round(100 * (self.fresh + self.due_soon) / self.total) if self.total else 0


@dataclass
class Health:
    today: date
    overall: Tally = field(default_factory=Tally)
    by_owner: dict[str, Tally] = field(default_factory=dict)
    by_type: dict[str, Tally] = field(default_factory=dict)
    due_per_month: list[tuple[date, int]] = field(default_factory=list)  # first of month -> reviews due


def health(articles: list[Article], config: Config, today: date, months: int = 6) -> Health:
    """Freshness counts by owner and by type, and reviews falling due in each of the next `months`."""
    result = Health(today)
    starts = [_add_months(today.replace(day=1), n) for n in range(months + 1)]
    due: Counter[date] = Counter()
    for article in articles:
        if article.status != "published":
            continue
        state = freshness(article, config, today)
        result.overall.add(state.state)
        result.by_owner.setdefault(article.owner or "", Tally()).add(state.state)
        result.by_type.setdefault(article.type or "", Tally()).add(state.state)
        if state.due and starts[0] <= state.due < starts[-1] and state.due >= today:
            due[state.due.replace(day=1)] += 1
    result.due_per_month = [(start, due[start]) for start in starts[:-1]]
    result.by_owner = dict(sorted(result.by_owner.items()))
    result.by_type = dict(sorted(result.by_type.items()))
    return result


def _add_months(start: date, months: int) -> date:
    year, month0 = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month0 + 1, 1)
