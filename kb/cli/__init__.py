"""The `kb` command: a thin click layer over the library.

Each module of this package holds the commands of one area and registers them on `cli`.
Exit codes: 0 nothing found, 1 findings (lint problems, stale or missing articles), 2 kb could not run.
"""

from __future__ import annotations

import atexit
import functools
import gc
import importlib
import io
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from kb import __version__
from kb.exceptions import KbError

if TYPE_CHECKING:
    from kb.config import Config

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kb")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="mkdocs.yml to use (default: the nearest one in this folder or a parent).")
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None) -> None:
    """kb: a docs-as-code knowledge base for support teams.

    Exit codes: 0 nothing found, 1 findings (lint problems, stale or missing articles),
    2 kb could not run (bad config, bad option, unreadable input).
    """
    ctx.obj = {"config_file": config_file}


def handle_errors(func: F) -> F:
    """Turn a KbError into one clear line on stderr and exit code 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KbError as error:
            click.secho(f"kb: {error}", fg="red", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def load_config() -> Config:
    """The config named by `--config`, or found from the current folder; config warnings go to stderr."""
    from kb.config import load_config as load

    from kb.state import ignore_state_dir

    ctx = click.get_current_context()
    root = ctx.find_root()
    config = load((root.obj or {}).get("config_file"))
    ignore_state_dir(config.root)
    if not (root.obj or {}).get("warned"):
        for warning in config.warnings:
            click.secho(f"kb: warning: {warning}", fg="yellow", err=True)
        root.obj = {**(root.obj or {}), "warned": True}
    return config


def today_option(func: F) -> F:
    """`--today YYYY-MM-DD` (or env KB_TODAY) for reproducible date-dependent results."""
    return click.option("--today", "today", default=None, envvar="KB_TODAY", metavar="YYYY-MM-DD",
                        help="Pretend today is this date (also env KB_TODAY).")(func)


def resolve_today(value: str | None) -> date:
    from kb.knowledge import today_from_env

    return today_from_env(value)


# Each module registers its commands on `cli` when imported.
COMMAND_MODULES = ("lint", "reports", "authoring", "search", "site")


def app() -> click.Group:
    """The `kb` group with every command registered (what tests invoke with CliRunner)."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"kb.cli.{name}")
    return cli


# Where each top-level command is defined, so `kb <command>` imports that module only (a `kb search`
# is a short process; importing every command module was a tenth of it). tests/test_search.py
# checks this table against app().
COMMAND_HOMES = {
    "lint": ("lint",), "rules": ("lint",), "rule": ("lint",), "new": ("authoring",), "verify": ("authoring",),
    "report": ("reports", "search"), "stats": ("reports",), "index": ("search",), "search": ("search",),
    "eval": ("search",), "build": ("site",), "serve": ("site",), "check-leaks": ("site",),
}


def _invoked(args: list[str]) -> str | None:
    """The command name in `args` (after the group's own options), or None."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--config":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    # At exit Python runs one last cyclic collection over every object still alive: after a lint
    # of 10,000 articles that is ~0.2 s spent freeing memory the OS takes back anyway.
    atexit.register(gc.disable)
    _printable_stdout()
    homes = COMMAND_HOMES.get(_invoked(sys.argv[1:]) or "")
    if homes is None:  # --help, --version, a typo: every command, for the list and suggestions
        app()(prog_name="kb")
        return
    for name in homes:
        importlib.import_module(f"kb.cli.{name}")
    if homes != COMMAND_HOMES["lint"]:
        cli(prog_name="kb")
        return
    try:
        cli(prog_name="kb")
    except SystemExit as done:  # the finished command's frames, and the knowledge base, are still alive here
        _quick_exit(done.code)


def _printable_stdout() -> None:
    """Print what the output's encoding cannot hold as escapes (`\\udcff`, `\\u2026`) instead of failing
    with a traceback: a file name that is not UTF-8, or any title once stdout is redirected on Windows (cp1252)."""
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.errors == "strict":
        sys.stdout.reconfigure(errors="backslashreplace")


def _quick_exit(code: object) -> None:
    """Exit as Python would for `sys.exit(code)`, without freeing every object first: after a lint of
    10,000 articles that is ~0.05 s of a 1.3 s run (mypy ends the same way, for the same reason)."""
    status = code if isinstance(code, int) else 0 if code is None else 1
    if not isinstance(code, (int, type(None))):
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`kb lint | head`): Python's own exit says 120
            status = 120 if stream is sys.stdout else status
    os._exit(status)
