"""`kb new` and `kb verify`."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from kb.cli import cli, handle_errors, load_config, resolve_today, today_option


def _shown(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return os.path.relpath(path.absolute(), Path.cwd()) if path.is_absolute() else path.as_posix()


@cli.command("new")
@click.argument("type_", metavar="TYPE")
@click.argument("title")
@click.option("--audience", type=click.Choice(["public", "internal"]), default=None,
              help="Who may read it (default: internal).")
@click.option("--owner", default=None, help="Owner handle from the roster.")
@click.option("--lang", default=None, help="Language of the article (default: the default language).")
@click.option("--folder", default="", metavar="FOLDER",
              help="Folder inside the docs folder, e.g. payments (default: the docs folder itself).")
@today_option
@handle_errors
def new(type_: str, title: str, audience: str | None, owner: str | None, lang: str | None, folder: str,
        today: str | None) -> None:
    """Start an article of TYPE from its template; print its path.

    The file is FOLDER/<slug of TITLE>.md (.LANG.md for another language; with `layout: folder`,
    LANG/FOLDER/<slug>.md; the slug is the title's ASCII letters and digits, cut at a word to at most
    80 characters), with the type's required sections, today's `reviewed` and `status: draft`. FOLDER
    must be inside the docs folder (the language's folder with `layout: folder`). It never overwrites
    a file (exit 2).
    """
    from kb.authoring import new_article

    config = load_config()
    path = new_article(config, type_, title, audience, owner, lang, resolve_today(today), folder=folder)
    click.echo(_shown(path))


@cli.command("verify")
@click.argument("targets", nargs=-1, required=True, metavar="PATH|ID...")
@click.option("--date", "when", default=None, metavar="YYYY-MM-DD",
              help="The review date to record (default: today).")
@today_option
@handle_errors
def verify(targets: tuple[str, ...], when: str | None, today: str | None) -> None:
    """Mark articles reviewed today (or on --date).

    Only the `reviewed` value changes; every other byte of the file stays as it was.

    Give files or article ids (`payments/refunds` is the default-language article,
    `payments/refunds@id` its Indonesian version). Only files inside the docs folder are edited (a
    symbolic link is followed first). The write is atomic. A file already reviewed after --date is
    left as it is (said on stderr; not a failure). Targets that fail are reported and the others
    still processed; exit 2 if any failed.
    """
    from kb.authoring import verify as run_verify

    config = load_config()
    now = resolve_today(today)
    reviewed = now
    if when is not None:
        try:
            reviewed = date.fromisoformat(when)
        except ValueError:
            raise click.BadParameter(f"'{when}' is not a date; expected YYYY-MM-DD", param_hint="'--date'") from None
        if reviewed > now:
            raise click.BadParameter(f"{when} is in the future; a review can only be recorded once it is done",
                                     param_hint="'--date'")
    failed = False
    for result in run_verify(config, targets, reviewed):
        if not result.ok:
            failed = True
            click.secho(f"kb: {result.error}", fg="red", err=True)
        elif result.later and result.path is not None:
            click.echo(f"{_shown(result.path)}: left as is: reviewed {result.old} is later than {result.new}", err=True)
        elif result.path is not None:
            before = result.old if result.old is not None else "not set"
            what = f"reviewed {before} -> {result.new}" if result.changed else f"already reviewed {result.new}"
            click.echo(f"{_shown(result.path)}: {what}")
    sys.exit(2 if failed else 0)
