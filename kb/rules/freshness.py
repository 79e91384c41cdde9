"""Freshness rules: stale and due-soon articles, missing review dates, owners, archived articles."""

from __future__ import annotations

import difflib
from typing import Iterator

from kb.articles import Article
from kb.diagnostics import Severity
from kb.freshness import DUE_SOON, STALE
from kb.markdown import Link
from kb.rules import Context, Hit, article_rule


@article_rule("KB101", "stale-article", Severity.WARNING)
def stale_article(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    The article is past its review date.

    What it checks: `reviewed` plus the review interval (`review_every` on the article, else the
    configured one of its type, its folder or the whole knowledge base, else the built-in one of
    its type: issue and procedure 6m, best-practice 1y) is before today.
    Why it matters: customers act on stale answers, and agents stop trusting the knowledge base.
    Example: `reviewed: 2025-01-04` on an issue reviewed every 6 months.
    Fix: re-check the article against the product, then `kb verify <path>`.
    Settings: review_every, types.<type>.review_every, folders.<folder>.review_every
    """
    if not article.is_published:
        return
    state = ctx.freshness(article)
    if state.state == STALE and state.due:
        yield Hit(article, article.line_of("reviewed", ctx.config), 1,
                  f"{state.describe()}: reviewed {state.reviewed}, due {state.due} (every {state.interval}); review it, then run 'kb verify' on it")


@article_rule("KB102", "due-soon", Severity.INFO)
def due_soon(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    The article falls due for review soon.

    What it checks: the due date is within `due_soon` (default 14 days) from today.
    Why it matters: a review planned ahead is cheaper than a stale answer found by a customer.
    Example: reviewed 2025-06-01, reviewed every 6 months, today 2025-11-25.
    Fix: plan the review; run `kb verify <path>` once done.
    Settings: due_soon
    """
    if not article.is_published:
        return
    state = ctx.freshness(article)
    if state.state == DUE_SOON and state.due:
        yield Hit(article, article.line_of("reviewed", ctx.config), 1,
                  f"due for review on {state.due} ({state.describe()})")


@article_rule("KB103", "missing-review-date")
def missing_review_date(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A published article has no review date.

    What it checks: published articles have `reviewed`.
    Why it matters: an article with no review date can never be reported as stale.
    Example: a published article without `reviewed:`.
    Fix: review it and run `kb verify <path>`, which adds the field.
    Settings: fields
    """
    key = ctx.config.key("reviewed")
    if article.is_published and article.meta.get(key) in (None, ""):
        yield Hit(article, article.key_lines.get(key, 1), 1, f"published article has no '{key}' date; review it, then run 'kb verify' on it")


@article_rule("KB104", "unknown-owner")
def unknown_owner(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    The owner is not on the team roster.

    What it checks: when `owners:` is configured, `owner` names one of its handles.
    Why it matters: reviews reminders go to nobody when the owner left or was mistyped.
    Example: `owner: dewi.l` when the roster has `dewi`.
    Fix: use a roster handle, or add the person or team to `owners:` in mkdocs.yml.
    Settings: owners
    """
    roster = ctx.config.owners
    if roster and article.owner and article.owner not in roster:
        close = difflib.get_close_matches(article.owner, list(roster), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(roster)}"
        yield Hit(article, article.line_of("owner", ctx.config), 1, f"owner '{article.owner}' is not on the roster{hint}")


@article_rule("KB105", "missing-superseded-by")
def missing_superseded_by(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    An archived article does not lead to the article that replaces it.

    What it checks: `status: archived` comes with `superseded_by: <id>` of an existing article,
    not itself, and a chain of archived articles ends at one that is not archived (no loop).
    Why it matters: readers of the old article need the way to the current answer.
    Example: `status: archived` alone, or two archived articles naming each other.
    Fix: add `superseded_by: payments/qris-payment-failed`, naming the current article.
    """
    if article.status != "archived":
        return
    key = ctx.config.key("superseded_by")
    line = article.line_of("superseded_by", ctx.config)
    named = ctx.kb.get(article.superseded_by, article.lang) if article.superseded_by else None
    if not article.superseded_by:
        yield Hit(article, article.line_of("status", ctx.config), 1, f"archived article has no '{key}'; name the article that replaces it")
    elif named is None:
        yield Hit(article, line, 1, f"'{key}' names '{article.superseded_by}', which is not an article id{_id_hint(article, ctx)}")
    elif named.id == article.id:
        yield Hit(article, line, 1, f"'{key}' names the article itself; name the article that replaces it")
    elif named.status == "draft":
        yield Hit(article, line, 1, f"'{key}' names '{named.id}', a draft, which the sites leave out; publish it, or name a published article")
    elif named.status == "archived":
        current = ctx.kb.replacement(article)
        advice = f"name '{current.id}' instead" if current else "the chain of archived articles loops or ends nowhere; name the current article"
        yield Hit(article, line, 1, f"'{key}' names '{named.id}', which is archived too; {advice}")


def _id_hint(article: Article, ctx: Context) -> str:
    """The id meant by a `superseded_by` written as a file (`../pay/new.md`) or with a typo."""
    written = article.superseded_by or ""
    if written.endswith(".md"):
        found = ctx.kb.resolve(article, Link(written, "", 0, 0)).article
        if found is None:  # written from the docs folder, as ids are
            found = ctx.kb.by_rel.get(written.lstrip("/"))
        if found is not None:
            return f"; did you mean '{found.id}'? An id is the file's path in the docs folder without '.md'"
        return ""
    close = difflib.get_close_matches(written, sorted(ctx.kb.by_id), n=1, cutoff=0.8)
    return f"; did you mean '{close[0]}'?" if close else ""
