"""Rules on front-matter fields: required, typed, known values, valid dates, unique ids."""

from __future__ import annotations

import difflib
import fnmatch
from typing import Iterator

from kb.articles import Article
from kb.diagnostics import Severity
from kb.rules import Context, Hit, article_rule, kb_rule, loader_rule

loader_rule("KB007", "wrong-field-type", Severity.ERROR, """
    A field has the wrong type of value.

    What it checks: text fields hold text, `tags`/`related` hold lists of words, `review_every` is a
    duration such as 90d, 12w, 6m or 1y.
    Why it matters: a title of `404` or a tag mapping breaks pages, search and reports.
    Example: `title: 404` (a number), `review_every: soon`.
    Fix: quote the value (`title: "404"`) or use the expected form.
""")

loader_rule("KB008", "unknown-field-value", Severity.ERROR, """
    `type`, `audience` or `status` has a value kb does not know.

    What it checks: `type` is one of the configured types, `audience` is public or internal,
    `status` is draft, published or archived.
    Why it matters: an article with an unknown audience counts as internal and one with an unknown
    status as a draft (so a typo never publishes it): it is missing from the sites.
    Example: `audience: customers`, `type: faq` with no `faq` type configured.
    Fix: use one of the listed values, or add the type under `types:` in mkdocs.yml.
    Settings: types
""")

loader_rule("KB009", "invalid-date", Severity.ERROR, """
    The review date is not a real date in an accepted format.

    What it checks: `reviewed` parses with one of `date_formats` (default YYYY-MM-DD).
    Why it matters: without a date the article's freshness cannot be known.
    Example: `reviewed: 2024-02-30`, `reviewed: yesterday`.
    Fix: write the date of the last review, e.g. `reviewed: 2024-02-29`.
    Settings: date_formats, fields
""")


@article_rule("KB006", "missing-required-field")
def missing_required_field(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A required front-matter field is missing.

    What it checks: every article has `title` and `type`; published articles also have `owner`.
    Why it matters: untitled pages, untyped articles and articles nobody owns go stale unseen.
    Example: a published article without `owner:`.
    Fix: add the field, e.g. `owner: payments-pod`.
    Settings: fields (to read the field from another key)
    """
    required = ["title", "type"] + (["owner"] if article.is_published else [])
    for name in required:
        key = ctx.config.key(name)
        raw = article.meta.get(key)
        if (raw is None or (isinstance(raw, str) and not raw.strip())) and name not in ctx.config.defaults:
            hint = {"title": "<the question or problem, in the customer's words>", "type": "|".join(ctx.config.types), "owner": "<team or person>"}[name]
            if key in article.meta:  # `title:` or `title: null`
                yield Hit(article, article.key_lines.get(key, 1), 1, f"'{key}' is empty; write '{key}: {hint}'")
            else:
                yield Hit(article, 1, 1, f"'{key}' is missing; add '{key}: {hint}' to the front matter")


@article_rule("KB010", "future-date")
def future_date(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    The review date is in the future.

    What it checks: `reviewed` is today or earlier.
    Why it matters: a future date hides an article from the stale report for too long.
    Example: `reviewed: 2031-01-01`, or day and month swapped.
    Fix: set the date of the review that really happened.
    """
    if article.reviewed and article.reviewed > ctx.today:
        key = ctx.config.key("reviewed")
        yield Hit(article, article.line_of("reviewed", ctx.config), 1,
                  f"'{key}' is {article.reviewed.isoformat()}, in the future (today is {ctx.today.isoformat()})")


@article_rule("KB011", "unknown-field", Severity.WARNING)
def unknown_field(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    The front matter has a field kb does not know.

    What it checks: every key is a kb field (after `fields:` mapping) or matches `extra_fields`.
    Why it matters: a typo such as `reviwed` silently leaves the real field unset.
    Example: `reviwed: 2024-05-01` (did you mean 'reviewed'?).
    Fix: correct the key, or list the team's own keys under `extra_fields` (globs such as `ms.*`).
    Settings: extra_fields, fields
    """
    known = ctx.config.known_keys
    for key in article.meta:
        if key in known or any(fnmatch.fnmatchcase(key, pattern) for pattern in ctx.config.extra_fields):
            continue
        literal_extras = [pattern for pattern in ctx.config.extra_fields if not any(c in pattern for c in "*?[")]
        close = difflib.get_close_matches(key, sorted(known) + literal_extras, n=1, cutoff=0.75)
        hint = f"; did you mean '{close[0]}'?" if close else "; add it to extra_fields if it is intended"
        yield Hit(article, article.key_lines.get(key, 1), 1, f"unknown field '{key}'{hint}")


@kb_rule("KB012", "duplicate-id")
def duplicate_id(ctx: Context) -> Iterator[Hit]:
    """
    Two articles have the same id in the same language.

    What it checks: `id` (default: the path without `.md` and language suffix) is unique per language.
    Why it matters: links, `related`, search results and `kb verify` cannot tell them apart.
    Example: `id: refunds` set on two different files.
    Fix: give one of them another `id`, or remove the explicit `id` to use the path.
    """
    seen: dict[tuple[str, str], Article] = {}
    for article in ctx.kb.articles:
        if not article.readable:
            continue
        first = seen.setdefault((article.id, article.lang), article)
        if first is not article:
            yield Hit(article, article.line_of("id", ctx.config), 1,
                      f"id '{article.id}' ({article.lang}) is already used by {first.rel}")
