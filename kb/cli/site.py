"""Commands of the sites: build, serve, check-leaks."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import click

from kb.cli import cli, handle_errors, load_config, resolve_today, today_option

AUDIENCE = click.Choice(["public", "internal", "all"])


class _MkDocsLog(logging.Handler):
    """MkDocs's warnings on stderr as `kb: mkdocs: WARNING ...`; INFO only with --verbose."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            click.secho(f"kb: mkdocs: {record.levelname}: {message}", fg="yellow", err=True)
        else:
            click.echo(f"mkdocs: {message}", err=True)


def _mkdocs_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [_MkDocsLog()]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


@cli.command()
@click.option("--audience", type=AUDIENCE, default="all", show_default=True, help="Which site to build.")
@click.option("--drafts", is_flag=True, help="Show draft articles on the internal site.")
@click.option("--public-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder of the public site (default: site.public_dir, site/public).")
@click.option("--internal-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder of the internal site (default: site.internal_dir, site/internal).")
@click.option("--strict", is_flag=True, help="Stop on MkDocs warnings (broken links, missing files).")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs's progress messages.")
@today_option
@handle_errors
def build(audience: str, drafts: bool, public_dir: Path | None, internal_dir: Path | None, strict: bool,
          verbose: bool, today: str | None) -> None:
    """Build the public help site and the internal agent site, then check the public one for leaks.

    The public site is built from a staged copy holding only published public articles without
    their internal blocks. The build fails (exit 1) when the leak check finds anything internal in
    it; the leaking output is moved to <public dir>.rejected so it cannot be deployed by mistake.
    On two or more cores both sites build at the same time, each in its own process; MkDocs's
    messages about a site are shown when that site's build ends.
    """
    import shutil

    from kb.site import build as site_build

    config = load_config()
    day = resolve_today(today)
    _mkdocs_logging(verbose)
    kb = site_build.load_kb(config)
    audiences = ("public", "internal") if audience == "all" else (audience,)
    failed = False
    results = site_build.build_sites(kb, audiences, day, drafts=drafts, strict=strict,
                                     site_dirs={"public": public_dir, "internal": internal_dir})
    for result in results:
        name = result.audience
        for warning in result.warnings:
            click.secho(f"kb: warning: {warning}", fg="yellow", err=True)
        shown = _shown(result.site_dir)
        noun = "article" if result.articles == 1 else "articles"
        click.echo(f"{name} site: {shown}/index.html ({result.articles} {noun}, {result.pages} pages, "
                   f"{result.seconds:.1f} s)")
        if name == "public":
            if result.leaks:
                failed = True
                rejected = result.site_dir.with_name(result.site_dir.name + ".rejected")
                shutil.rmtree(rejected, ignore_errors=True)
                result.site_dir.rename(rejected)
                for leak in result.leaks:
                    click.secho(f"kb: leak: {leak.describe()}", fg="red", err=True)
                click.secho(f"kb: the public site leaks internal material ({len(result.leaks)} findings); "
                            f"it was moved to {_shown(rejected)} and must not be published", fg="red", err=True)
            else:
                click.echo("leak check: nothing internal found in the public site")
    sys.exit(1 if failed else 0)


@cli.command()
@click.option("--audience", type=click.Choice(["public", "internal"]), default="internal", show_default=True,
              help="Which site to preview.")
@click.option("--drafts", is_flag=True, help="Show draft articles (internal site).")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve on.")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs's progress messages.")
@today_option
@handle_errors
def serve(audience: str, drafts: bool, dev_addr: str, verbose: bool, today: str | None) -> None:
    """Preview one site with live reload; edits under the docs folder are re-staged as you save."""
    from kb.site import build as site_build

    config = load_config()
    day = resolve_today(today)
    _mkdocs_logging(verbose)

    def stage() -> Path:
        return site_build.prepare(site_build.load_kb(config), audience, day, drafts=drafts,
                                  site_dir=config.path(".kb/site-build/serve-" + audience)).config_file

    config_file = stage()
    watcher = threading.Thread(target=_restage_on_change, args=(config, stage), daemon=True)
    watcher.start()
    from mkdocs.commands.serve import serve as mkdocs_serve

    click.echo(f"Serving the {audience} site on http://{dev_addr}/ (Ctrl+C to stop)")
    mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=dev_addr)


def _restage_on_change(config: object, stage: object) -> None:
    """Poll the docs folder and mkdocs.yml; re-stage when something changes (MkDocs then reloads)."""
    import time

    def snapshot() -> dict[str, float]:
        paths = [p for p in config.docs_dir.rglob("*") if p.is_file()]  # type: ignore[attr-defined]
        if config.config_file:  # type: ignore[attr-defined]
            paths.append(config.config_file)  # type: ignore[attr-defined]
        return {str(p): p.stat().st_mtime for p in paths if p.exists()}

    last = snapshot()
    while True:
        time.sleep(1.0)
        try:
            now = snapshot()
            if now != last:
                last = now
                stage()  # type: ignore[operator]
        except Exception as error:  # a half-saved file must not kill the preview
            click.secho(f"kb: could not re-stage: {error}", fg="yellow", err=True)


@cli.command("check-leaks")
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@handle_errors
def check_leaks(site_dir: Path) -> None:
    """Search every file of a built site for internal material (exit 1 if any is found).

    Looks for internal articles' titles, ids and text, internal blocks, owners' names and e-mail
    addresses, and copies of internal-only files, in HTML, the search index, the sitemap (unzipped
    too) and every other file.
    """
    from kb.site import build as site_build

    found = site_build.check_leaks(load_config(), site_dir)
    for leak in found:
        click.echo(leak.describe())
    if found:
        click.secho(f"kb: {len(found)} leaks found in {site_dir}", fg="red", err=True)
        sys.exit(1)
    click.echo(f"no leaks found in {site_dir}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
