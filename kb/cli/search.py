"""`kb index`, `kb search`, `kb eval` and `kb report gaps`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from kb.cli import cli, handle_errors, load_config, resolve_today, today_option
from kb.cli.reports import report

if TYPE_CHECKING:
    from kb.search.indexer import IndexReport
    from kb.search.searching import SearchResults


def _waiting(holder: str) -> None:
    click.echo(f"kb: another kb index run ({holder}) is updating the search index; waiting for it…", err=True)


class _Bar:
    """A progress bar on a terminal (stderr), nothing otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _describe_update(result: IndexReport, verbose: bool) -> list[str]:
    if result.rebuilt:
        lines = [f"Built the search index: {result.total} articles ({result.reason}) in {result.seconds:.1f}s."]
    elif not result.touched:
        lines = [f"Search index is up to date ({result.total} articles)."]
    else:
        lines = [f"Updated the search index: {len(result.added)} added, {len(result.changed)} changed, "
                 f"{len(result.removed)} removed ({result.total} articles, {result.seconds:.2f}s)."]
        if verbose or len(result.added) + len(result.changed) + len(result.removed) <= 20:
            lines += [f"  + {rel}" for rel in result.added]
            lines += [f"  ~ {rel}" for rel in result.changed]
            lines += [f"  - {rel}" for rel in result.removed]
    if result.skipped:
        lines.append(f"Skipped {len(result.skipped)} unreadable file(s); run kb lint to see why.")
    return lines


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Start over instead of updating what changed.")
@click.option("--wait", type=float, default=300.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another kb index run to finish.")
@click.option("-v", "--verbose", is_flag=True, help="List every added, changed and removed file.")
@handle_errors
def index_command(rebuild: bool, wait: float, verbose: bool) -> None:
    """Build or update the search index (incremental unless --rebuild).

    Only added, changed (by content) and removed articles are touched; a change of config or of
    kb's index format rebuilds by itself. Exit 0 on success, 2 if it could not run.
    """
    from kb.search import indexer

    config = load_config()
    bar = _Bar("Indexing")
    try:
        result = indexer.update_index(config, rebuild=rebuild, wait=wait, on_wait=_waiting, progress=bar)
    finally:
        bar.close()
    for line in _describe_update(result, verbose):
        click.echo(line)


def _multi(name: str, help_text: str) -> Callable[[Any], Any]:
    return click.option(name, multiple=True, metavar="VALUE", help=help_text)


@cli.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 200), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page of hits to show.")
@_multi("--type", "Only articles of this type (repeatable).")
@_multi("--tag", "Only articles with this tag (repeatable: any of them).")
@_multi("--product", "Only articles about this product (repeatable).")
@_multi("--lang", "Only articles in this language (repeatable).")
@_multi("--owner", "Only articles of this owner (repeatable).")
@click.option("--audience", type=click.Choice(["public", "all"]), default="all", show_default=True,
              help="public: only what a customer may see (public articles, internal blocks left out).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(["published", "draft", "archived", "any"]),
              help="Include drafts or archived articles (default: published only).")
@click.option("--fresh-only", is_flag=True, help="Leave out stale and never-reviewed articles.")
@click.option("--facets", is_flag=True, help="Also print counts of hits by type, tag and product.")
@click.option("--all-languages", is_flag=True, help="Show every language version, not only the best one per article.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema in the README, 'version' field).")
@today_option
@handle_errors
def search_command(query: tuple[str, ...], limit: int, page: int, type: tuple[str, ...], tag: tuple[str, ...],
                   product: tuple[str, ...], lang: tuple[str, ...], owner: tuple[str, ...], audience: str,
                   statuses: tuple[str, ...], fresh_only: bool, facets: bool, all_languages: bool, as_json: bool,
                   today: str | None) -> None:
    """Search the knowledge base; builds or updates the index first if needed.

    Words, "quoted phrases", -word to leave a word out, and filters like type:issue or tag:qris.
    Misspelled words are corrected. Exit 0 with hits, 1 with none, 2 if kb could not run (an empty
    query, a bad option).
    """
    from kb.search import searching

    text = " ".join(query)
    if not text.strip():
        raise click.BadParameter("the query is empty; give the words to search for, e.g. kb search refund failed",
                                 param_hint="QUERY")
    config = load_config()
    options = searching.SearchOptions(
        limit=limit, page=page, types=type, tags=tag, products=product, langs=lang, owners=owner,
        audience="public" if audience == "public" else None,
        statuses=() if "any" in statuses else (statuses or ("published",)),
        fresh_only=fresh_only, facets=facets, collapse=not all_languages, today=resolve_today(today),
    )
    bar = _Bar("Indexing")
    try:
        results, update = searching.search(config, text, options, on_wait=_waiting, progress=bar)
    finally:
        bar.close()
    if update is not None and update.rebuilt:
        click.echo(_describe_update(update, False)[0], err=True)
    if as_json:
        click.echo(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_results(results, color=sys.stdout.isatty()), nl=False)
    sys.exit(0 if results.total else 1)


def _highlight(text: str, marks: list[tuple[int, int]], color: bool) -> str:
    out, last = [], 0
    for start, end in marks:
        out.append(text[last:start])
        word = text[start:end]
        out.append(click.style(word, bold=True, fg="yellow") if color else f"[{word}]")
        last = end
    out.append(text[last:])
    return "".join(out)


def render_results(results: SearchResults, color: bool = False) -> str:
    lines: list[str] = []
    for note in results.notes:
        lines.append(f"Note: {note}")
    if results.did_you_mean:
        lines.append(f"Did you mean: {results.did_you_mean}")
    if not results.hits and results.total and results.page > 1:  # past the last page: say so, not "nothing found"
        pages = -(-results.total // results.limit)
        lines.append(f"Page {results.page} is past the last page: {results.total} article{'s' if results.total != 1 else ''} "
                     f"found for '{results.query}', {pages} page{'s' if pages != 1 else ''} of {results.limit}.")
    elif not results.hits:
        lines.append(f"No articles found for '{results.query}'.")
    else:
        first = (results.page - 1) * results.limit + 1
        about = "" if results.total_exact else "more than "
        lines.append(f"{about}{results.total} article{'s' if results.total != 1 else ''} found; "
                     f"showing {first}-{first + len(results.hits) - 1}.")
    for number, hit in enumerate(results.hits, start=first if results.hits else 1):
        fresh = hit.freshness_text
        if color and hit.freshness == "stale":
            fresh = click.style(fresh, fg="red")
        elif color and hit.freshness == "due-soon":
            fresh = click.style(fresh, fg="yellow")
        title = click.style(hit.title, bold=True) if color else hit.title
        lines.append("")
        lines.append(f"{number}. {title}")
        lines.append(f"   {hit.id} · {hit.path} · {hit.type or 'no type'} · {hit.lang} · {fresh} · score {hit.score:.2f}")
        if hit.status != "published":
            lines[-1] += f" · {hit.status}"
        if hit.snippet:
            lines.append(f"   {_highlight(hit.snippet, hit.highlights, color)}")
    if results.facets:
        lines.append("")
        for name, counts in results.facets.items():
            shown = ", ".join(f"{k} {v}" for k, v in list(counts.items())[:12]) or "none"
            lines.append(f"{name}: {shown}")
    return "\n".join(lines) + "\n"


@cli.command("eval")
@click.argument("qrels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--audience", type=click.Choice(["public", "all"]), default="all", show_default=True,
              help="Search as a customer (public) or as an agent (all).")
@click.option("-v", "--verbose", is_flag=True, help="Show each query's rank of its first relevant article.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_errors
def eval_command(qrels: Path, audience: str, verbose: bool, as_json: bool) -> None:
    """Measure search on labelled queries: MRR@10, Recall@5 and nDCG@10.

    QRELS is a TSV file: query, then the relevant article ids or paths separated by ';'.
    """
    from kb.search import evaluate

    config = load_config()
    result = evaluate.evaluate(config, qrels, audience="public" if audience == "public" else None)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    if verbose:
        for row in result.queries:
            rank = str(row.first_rank) if row.first_rank else "-"
            click.echo(f"{rank:>3}  rr {row.rr:.2f}  r@5 {row.recall5:.2f}  ndcg {row.ndcg10:.2f}  {row.query}")
        click.echo("")
    click.echo(f"{len(result.queries)} queries  MRR@10 {result.mrr10:.3f}  Recall@5 {result.recall5:.3f}  "
               f"nDCG@10 {result.ndcg10:.3f}")
    for problem in result.problems:
        click.echo(f"warning: {problem}", err=True)


@report.command("gaps")
@click.option("--queries", "queries_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Exported searches: one query per line, or CSV with query,count "
                                 "(default: kb's own query log).")
@click.option("--max-hits", type=click.IntRange(0), default=2, show_default=True,
              help="A query with at most this many hits counts as not found.")
@click.option("--audience", type=click.Choice(["public", "all"]), default=None,
              help="Search as customers (public; the default with --queries) or as agents (all; default for the log).")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Rows to show.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@handle_errors
def gaps_command(queries_file: Path | None, max_hits: int, audience: str | None, limit: int, fmt: str) -> None:
    """Searches that found nothing or little, grouped and ranked by count: articles to write.

    Each query is run again against the current index. Exit 1 when there are gaps, 0 when none.
    """
    from kb.search import gaps

    config = load_config()
    public = (audience or ("public" if queries_file else "all")) == "public"
    if queries_file is not None:
        rows = gaps.analyze(config, gaps.read_queries(queries_file), max_hits=max_hits, public=public)
    else:
        found = gaps.searched_not_found(config, max_hits=max_hits, public=public)
        if found is None:
            from kb.exceptions import KbError

            raise KbError(f"no query log at {config.path(config.search.query_log_file)}; "
                                       "search first, or pass --queries FILE")
        rows = found
    click.echo(gaps.render(rows[:limit], fmt), nl=False)
    sys.exit(1 if rows else 0)
