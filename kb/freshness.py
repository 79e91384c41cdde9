"""When an article was reviewed, when it is due again, and whether it is stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kb.articles import Article
from kb.config import DEFAULT_REVIEW_EVERY, Config
from kb.durations import Duration

FRESH, DUE_SOON, STALE, UNKNOWN = "fresh", "due-soon", "stale", "unknown"


@dataclass(frozen=True)
class Freshness:
    state: str  # fresh | due-soon | stale | unknown (no valid `reviewed`)
    reviewed: date | None
    due: date | None
    interval: Duration
    days_overdue: int  # > 0 when stale; <= 0 is the number of days left

    def describe(self) -> str:
        if self.state == STALE:
            return f"stale by {self.days_overdue} day{'s' if self.days_overdue != 1 else ''}"
        if self.state == DUE_SOON:
            left = -self.days_overdue
            return "due today" if left == 0 else f"due in {left} day{'s' if left != 1 else ''}"
        return "never reviewed" if self.state == UNKNOWN else "fresh"


def interval(article: Article, config: Config) -> Duration:
    """The article's own `review_every`, else its type's, its folder's or the global one as
    configured, else the built-in type's (issue and procedure 6m, best-practice 1y), else 6m.

    The built-in type intervals come last so that a configured folder or global interval is not
    shadowed by a default nobody wrote."""
    if article.review_every:
        return article.review_every
    type_config = config.types.get(article.type or "")
    if type_config and type_config.review_every:
        return type_config.review_every
    # In the folder layout, `folders: {ops: ...}` means ops/ in every language folder (the id's folder).
    for folder in (article.folder, article.id.rpartition("/")[0]) if config.layout == "folder" else (article.folder,):
        while folder:
            if folder in config.folders:
                return config.folders[folder]
            folder = folder.rpartition("/")[0]
    if config.review_every:
        return config.review_every
    return (type_config and type_config.built_in_every) or DEFAULT_REVIEW_EVERY


def freshness(article: Article, config: Config, today: date, within: "Duration | None" = None) -> Freshness:
    """Freshness on `today`; `within` (default `due_soon`) is the due-soon window."""
    every = interval(article, config)
    if article.reviewed is None:
        return Freshness(UNKNOWN, None, None, every, 0)
    due = every.after(article.reviewed)
    overdue = (today - due).days
    if overdue > 0:
        state = STALE
    elif (within or config.due_soon).after(today) >= due:
        state = DUE_SOON
    else:
        state = FRESH
    return Freshness(state, article.reviewed, due, every, overdue)
