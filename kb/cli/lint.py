"""`kb lint`, `kb rules`, `kb rule CODE`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kb.cli import cli, handle_errors, load_config, resolve_today, today_option

if TYPE_CHECKING:  # imported when linting only: `kb --help` and `kb rules` start faster
    from kb.articles import Article
    from kb.config import Config
    from kb.lint import LintResult


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text (grouped, coloured on a terminal), json (stable schema), github (workflow annotations).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@click.option("--skip-other-files", is_flag=True,
              help="Skip PATHS that are not articles in the docs folder instead of stopping (the pre-commit hook passes every changed Markdown file).")
@today_option
@handle_errors
def lint(paths: tuple[Path, ...], fmt: str, fail_on: str, skip_other_files: bool, today: str | None) -> None:
    """Check articles for front matter, freshness, link, structure and translation problems.

    With PATHS, report only on those files or folders (links are still checked against the whole
    knowledge base). Exit 0 when clean, 1 on findings at or above --fail-on, 2 when kb cannot run.
    """
    from kb import output
    from kb.adoption import ALERT_SHARE
    from kb.diagnostics import Severity
    from kb.knowledge import paused_gc
    from kb.lint import lint as run_lint

    config = load_config()
    # The process ends after printing: a cyclic collection over the loaded knowledge base while
    # the findings are rendered would only cost time (~0.3 s at 10,000 articles).
    with paused_gc():
        result = run_lint(config, resolve_today(today), paths, skip_other_files)
        if fmt == "json":
            text = output.render_json(result.diagnostics, result.files)
        elif fmt == "github":
            text = output.render_github(result.diagnostics)
        else:
            colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # no-color.org: set and not empty
            text = output.render_text(result.diagnostics, result.files, colour)
    for warning in result.warnings:
        click.secho(f"kb: warning: {warning}", fg="yellow", err=True)
    click.echo(text, nl=False)
    unknown_keys = sum(1 for d in result.diagnostics if d.code == "KB011")
    docfx = len({d.path for d in result.diagnostics if d.code == "KB307"})
    keys = unknown_keys >= result.files / 2  # widespread: a convention of theirs
    alerts = docfx >= ALERT_SHARE * result.files and not config.github_callouts  # perhaps DocFX articles: see adoption
    if fmt == "text" and not paths and (keys or alerts):
        _hint_config(result.kb.articles, config, keys)
    lacking = {d.path for d in result.diagnostics if d.code == "KB301"}
    if fmt == "text" and not paths and len(lacking) >= result.files / 4:  # perhaps another template: see adoption.sections
        _hint_sections(result, config, lacking)
    sys.exit(1 if result.failed(Severity.parse(fail_on)) else 0)


def _hint_config(articles: list[Article], config: Config, keys: bool) -> None:
    """On a repository whose front matter kb does not read yet (`keys`), the settings that would
    read it; where DocFX alerts are common, the Markdown extension that renders them."""
    from kb.adoption import suggest

    suggestion = suggest(articles, config)
    name = config.config_file.name if config.config_file else "mkdocs.yml"
    if keys and (lines := "".join(f"\n    {line}" for line in suggestion.yaml_lines())):
        click.secho(f"kb: hint: most articles share front matter keys kb does not read yet; in the kb section of "
                    f"{name} this would read them (check each one; README: 'Front matter of other shapes'):{lines}", fg="cyan", err=True)
    if suggestion.markdown_extensions:
        extensions = "".join(f"\n    - {extension}" for extension in suggestion.markdown_extensions)
        click.secho(f"kb: hint: {suggestion.alerts} of {suggestion.articles} articles hold DocFX alerts ('> [!NOTE]'), which "
                    f"MkDocs shows as text (KB307); markdown_extensions in {name} with this makes them admonitions "
                    f"(markdown-callouts, installed with kb):{extensions}", fg="cyan", err=True)


def _hint_sections(result: LintResult, config: Config, lacking: set[str]) -> None:
    """When most articles of a type lack its sections, the headings most of them have instead."""
    from kb.adoption import sections, types_line
    from kb.lint import display_path

    cwd = Path.cwd()
    articles = result.kb.articles
    found = sections(articles, config, {article.rel for article in articles if display_path(article.path, cwd) in lacking})
    if found:
        name = config.config_file.name if config.config_file else "mkdocs.yml"
        shares = "; ".join(f"of '{kind}' articles, " + (", ".join(f"{share:.0%} have '## {heading}'" for heading, share in headings)
                                                           or "no level-2 heading is in most") for kind, headings in found.items())
        click.secho(f"kb: hint: {len(lacking)} articles lack a section their type requires (KB301): most of a type follow another "
                    f"template ({shares}). In the kb section of {name} this requires those (edit it to your template; "
                    f"[] requires none):\n    {types_line(config, found)}",
                    fg="cyan", err=True)


@cli.command("rules")
def list_rules() -> None:
    """List every lint rule: code, name, default severity and what it checks."""
    from kb.rules import rules

    for rule in rules().values():
        click.echo(f"{rule.code}  {rule.name:<26} {rule.severity.label:<8} {rule.summary}")


@cli.command("rule")
@click.argument("code")
def show_rule(code: str) -> None:
    """Explain one rule (by code or name): what it checks, why, an example and the fix."""
    from kb.rules import find

    rule = find(code)
    if rule is None:
        click.secho(f"kb: no rule '{code}'; 'kb rules' lists them", fg="red", err=True)
        sys.exit(2)
    click.echo(f"{rule.code} {rule.name} (default severity: {rule.severity.label})\n\n{rule.doc}")
