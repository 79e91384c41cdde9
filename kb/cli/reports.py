"""`kb report stale`, `kb report missing` and `kb stats`."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from kb.cli import cli, handle_errors, load_config, resolve_today, today_option

if TYPE_CHECKING:
    from kb.durations import Duration

FORMATS = ("text", "json", "csv", "markdown")
LISTED = 10  # known values named in full when a filter value is unknown and nothing is close


def format_option(func: Any) -> Any:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                        help="text for people, markdown for tickets and wikis, csv for spreadsheets, json for scripts.")(func)


_ZERO = re.compile(r"^\s*0+\s*([dwmy])\s*$")


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> Duration | None:
    """`--within`: a duration, or zero (`0d`: no window, overdue articles only)."""
    from kb.durations import Duration, parse_duration

    if value is None:
        return None
    if zero := _ZERO.match(value):
        return Duration(0, zero.group(1))
    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _unknown(value: str, what: str, known: Sequence[str], option: str) -> click.BadParameter:
    """A filter value that matches nothing known: a typo, not an empty result."""
    close = difflib.get_close_matches(value, known, n=1)
    if close:
        hint = f"; did you mean '{close[0]}'?"
    elif known:
        more = f" and {len(known) - LISTED} more" if len(known) > LISTED else ""
        hint = f"; expected one of: {', '.join(known[:LISTED])}{more}"
    else:
        hint = ""
    return click.BadParameter(f"'{value}' is not {what}{hint}", param_hint=f"'{option}'")


@cli.group()
def report() -> None:
    """Reports: stale articles and what the knowledge base lacks.

    Exit codes: 0 nothing found, 1 findings (see each report), 2 kb could not run.
    """


@report.command("stale")
@click.option("--owner", default=None, help="Only articles owned by this handle.")
@click.option("--type", "type_", default=None, metavar="TYPE", help="Only articles of this type.")
@click.option("--within", default=None, metavar="DURATION", callback=_duration,
              help="Also list articles due within this window, e.g. 30d; 0d lists overdue articles only "
                   "(default: due_soon from config).")
@format_option
@today_option
@handle_errors
def stale(owner: str | None, type_: str | None, within: Duration | None, fmt: str, today: str | None) -> None:
    """List articles past their review date or due soon.

    Published articles only (drafts and archived ones are left out), most overdue first; an
    article without a valid `reviewed` date counts as stale. Exit 1 when any article is overdue
    (due soon alone exits 0), so it can gate CI.
    """
    from kb import knowledge, report_format, reports

    config = load_config()
    if type_ is not None and type_ not in config.types:
        raise _unknown(type_, "a type", list(config.types), "--type")
    kb = knowledge.load(config)
    if owner is not None and owner not in (owners := reports.known_owners(kb, config)):
        raise _unknown(owner, "an owner (not on the owners roster, and no article has it)", owners, "--owner")
    result = reports.stale_report(kb, config, resolve_today(today), owner, type_, within)
    click.echo(report_format.render(result, fmt), nl=False)
    sys.exit(1 if result.overdue else 0)


@report.command("missing")
@format_option
@today_option
@handle_errors
def missing(fmt: str, today: str | None) -> None:
    """List wanted articles, missing translations and sections.

    Wanted articles are link targets that do not exist, ranked by how many articles point at them.
    Queries that found nothing are added when the search query log exists. Exit 1 when any link
    target is missing.
    """
    from kb import report_format, reports
    from kb.exceptions import KbError
    from kb.lint import lint

    config = load_config()
    linted = lint(config, resolve_today(today))
    try:
        searches = reports.searched_not_found(config)
    except KbError as error:  # the search index is broken: report the rest, say why this part is absent
        click.secho(f"kb: warning: searched, not found is left out: {error}", fg="yellow", err=True)
        searches = None
    result = reports.missing_report(linted.kb, config, linted.diagnostics, searches)
    click.echo(report_format.render(result, fmt), nl=False)
    sys.exit(1 if result.has_missing_articles else 0)


@cli.command("stats")
@format_option
@today_option
@handle_errors
def stats(fmt: str, today: str | None) -> None:
    """Count articles and show how fresh they are, per owner.

    Counts by type, status, audience, language and owner; the share of published articles that
    are fresh, overall and per owner; the five oldest reviews.

    Always exits 0 unless kb cannot run (2).
    """
    from kb import knowledge, report_format, reports

    config = load_config()
    result = reports.stats(knowledge.load(config), config, resolve_today(today))
    click.echo(report_format.render(result, fmt), nl=False)

