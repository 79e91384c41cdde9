"""Render the reports of `kb.reports` as text, JSON, CSV or Markdown.

Text is for people at a terminal, Markdown for pasting into a ticket or wiki, CSV for spreadsheets
(data rows only, no summary; a text cell that a spreadsheet would take for a formula gets a leading
`'`), JSON for scripts. JSON keys are stable: new keys may be added, none are renamed or removed.
Dates are `YYYY-MM-DD` strings, missing values (such as an absent owner or title) are `null`.

`kb report stale --format json`::

    {"version": 1, "report": "stale", "today": "2026-05-01", "within": "14d",
     "filters": {"owner": null, "type": null},
     "summary": {"total": 12, "stale": 3, "due_soon": 1, "fresh_percent": 75.0},
     "articles": [{"id": "payments/refunds", "lang": "en", "path": "payments/refunds.md",
                   "title": "Refunds", "owner": "dewi", "reviewed": "2025-09-01",
                   "due": "2026-03-01", "days_overdue": 61, "state": "stale"}]}

  `total` counts published articles matching the filters; `stale` those past due or never reviewed
  (`state` "stale" or "unknown", `reviewed`, `due` and `days_overdue` null for the latter);
  `days_overdue` <= 0 is the number of days left for "due-soon" rows.

`kb report missing --format json`::

    {"version": 1, "report": "missing",
     "summary": {"missing_articles": 1, "missing_translations": {"id": 2},
                 "missing_sections": 1, "searched_not_found": null},
     "missing_articles": [{"target": "devices/printer-offline.md", "articles": 2,
                           "references": [{"path": "receipts/reprint.md", "line": 14, "via": "link"}]}],
     "missing_translations": {"id": [{"id": "payments/refunds", "path": "payments/refunds.md",
                                      "title": "Refunds", "owner": "dewi"}]},
     "missing_sections": [{"path": "payments/refunds.md", "line": 1, "message": "..."}],
     "searched_not_found": null}

  `via` is "link" or "related"; `searched_not_found` is null when there is no query log, else a
  list of {"query", "count", "last"}.

`kb stats --format json`::

    {"version": 1, "report": "stats", "today": "2026-05-01", "articles": 40, "unreadable": 0,
     "by_type": {"issue": 25}, "by_status": {"published": 38}, "by_audience": {"public": 30},
     "by_language": {"en": 22}, "by_owner": {"dewi": 9, "(none)": 1}, "unknown_types": [],
     "freshness": {"published": 38, "fresh": 30, "fresh_percent": 78.9, "never_reviewed": 1,
                   "by_owner": [{"owner": "dewi", "published": 9, "fresh": 8, "fresh_percent": 88.9}]},
     "oldest_reviews": [{"id": "...", "lang": "en", "path": "...", "title": "...", "owner": "...",
                         "reviewed": "2025-01-04", "days_ago": 482}]}

  `unknown_types` lists the keys of `by_type` that are not configured types (lint's KB008).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from typing import Any, Callable, Sequence

from kb.output import one_line
from kb.reports import MissingReport, StaleReport, Stats

FORMATS = ("text", "json", "csv", "markdown")
TITLE_WIDTH = 50
OWNER_WIDTH = 16
TABLE_WIDTH = 120  # `kb report stale` text fits a 120-column terminal; long ids and titles are cut to fit


def render(report: StaleReport | MissingReport | Stats, fmt: str) -> str:
    """The report in `fmt` (one of FORMATS), ending with a newline."""
    renderers: dict[type, dict[str, Callable[[Any], str]]] = {
        StaleReport: {"text": _stale_text, "json": _json(stale_data), "csv": _stale_csv, "markdown": _stale_markdown},
        MissingReport: {"text": _missing_text, "json": _json(missing_data), "csv": _missing_csv,
                        "markdown": _missing_markdown},
        Stats: {"text": _stats_text, "json": _json(stats_data), "csv": _stats_csv, "markdown": _stats_markdown},
    }
    try:
        return renderers[type(report)][fmt](report)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None


# --- stale ----------------------------------------------------------------------------------


def stale_summary(report: StaleReport) -> str:
    """`3 of 12 published articles stale (75% fresh); 1 more due within 14 days`."""
    line = f"{report.overdue} of {report.total} published articles stale ({_pct(report.fresh_percent)} fresh)"
    if report.due_soon:
        line += f"; {report.due_soon} more due within {report.within.describe()}"
    return line


def stale_data(report: StaleReport) -> dict[str, Any]:
    return {
        "version": 1,
        "report": "stale",
        "today": report.today.isoformat(),
        "within": str(report.within),
        "filters": {"owner": report.owner, "type": report.type},
        "summary": {"total": report.total, "stale": report.overdue, "due_soon": report.due_soon,
                    "fresh_percent": report.fresh_percent},
        "articles": [
            {"id": r.id, "lang": r.lang, "path": r.path, "title": r.title, "owner": r.owner,
             "reviewed": _iso(r.reviewed), "due": _iso(r.due), "days_overdue": r.days_overdue, "state": r.state}
            for r in report.rows
        ],
    }


_STALE_HEAD = ("ID", "LANG", "TITLE", "OWNER", "REVIEWED", "DUE", "DAYS")


def _stale_cells(report: StaleReport, width: int | None) -> list[tuple[str, ...]]:
    return [(r.id, r.lang, _cut(r.title or "", width), r.owner or "-", _iso(r.reviewed) or "-", _iso(r.due) or "-",
             r.describe) for r in report.rows]


def _stale_text(report: StaleReport) -> str:
    if not report.rows:
        return stale_summary(report) + "\n"
    cells = [(c[0], c[1], c[2], _cut(c[3], OWNER_WIDTH), *c[4:]) for c in _stale_cells(report, TITLE_WIDTH)]
    id_width, title_width = _id_title_widths(cells)
    rows = [(_cut_start(c[0], id_width), c[1], _cut(c[2], title_width), *c[3:]) for c in cells]
    return _table(_STALE_HEAD, rows) + "\n" + stale_summary(report) + "\n"


def _id_title_widths(rows: Sequence[Sequence[str]]) -> tuple[int, int]:
    """Widths of ID and TITLE that keep the table within TABLE_WIDTH; when both are long they share the room."""
    widths = [max(len(cell) for cell in column) for column in zip(_STALE_HEAD, *rows)]
    room = max(TABLE_WIDTH - 2 * (len(widths) - 1) - sum(widths) + widths[0] + widths[2], 40)
    id_width, title_width = widths[0], widths[2]
    if id_width + title_width <= room:
        return id_width, title_width
    half = room // 2
    if id_width <= half:
        return id_width, room - id_width
    if title_width <= half:
        return room - title_width, title_width
    return half, room - half


def _stale_csv(report: StaleReport) -> str:
    rows = [[r.id, r.lang, r.path, r.title, r.owner, _iso(r.reviewed), _iso(r.due),
             "" if r.days_overdue is None else r.days_overdue, r.state] for r in report.rows]
    return csv_table(["id", "lang", "path", "title", "owner", "reviewed", "due", "days_overdue", "state"], rows)


def _stale_markdown(report: StaleReport) -> str:
    out = [f"# Stale articles ({report.today.isoformat()})", "", stale_summary(report) + "."]
    if report.rows:
        rows = [(md_code(r.path), *cells[1:]) for r, cells in zip(report.rows, _stale_cells(report, None))]
        out += ["", _md_table(("Article", "Lang", "Title", "Owner", "Reviewed", "Due", "Days"), rows)]
    return "\n".join(out) + "\n"


# --- missing --------------------------------------------------------------------------------


def missing_data(report: MissingReport) -> dict[str, Any]:
    return {
        "version": 1,
        "report": "missing",
        "summary": {
            "missing_articles": len(report.articles),
            "missing_translations": {lang: len(rows) for lang, rows in report.translations.items()},
            "missing_sections": len(report.sections),
            "searched_not_found": len(report.searches) if report.searches_available else None,
        },
        "missing_articles": [
            {"target": m.target, "articles": m.articles,
             "references": [{"path": r.path, "line": r.line, "via": r.via} for r in m.references]}
            for m in report.articles
        ],
        "missing_translations": {
            lang: [{"id": t.id, "path": t.path, "title": t.title, "owner": t.owner} for t in rows]
            for lang, rows in report.translations.items()
        },
        "missing_sections": [{"path": s.path, "line": s.line, "message": s.message} for s in report.sections],
        "searched_not_found": [{"query": s.query, "count": s.count, "last": s.last} for s in report.searches]
        if report.searches_available else None,
    }


def _missing_text(report: MissingReport) -> str:
    out = [f"Missing articles: {len(report.articles)}"]
    for m in report.articles:
        out.append(f"  {one_line(m.target)}  ({_plural(m.articles, 'article')})")
        out += [f"    {one_line(r.path)}:{r.line}" + (" (related)" if r.via == "related" else "") for r in m.references]
    for lang, rows in report.translations.items():
        out.append(f"Missing translations ({lang}): {len(rows)}")
        if rows:
            out += _indent(_table(None, [(t.path, t.owner or "-", _cut(t.title or "", TITLE_WIDTH)) for t in rows]))
    out.append(f"Missing required sections: {len(report.sections)}")
    out += [f"  {one_line(s.path)}:{s.line}: {one_line(s.message)}" for s in report.sections]
    if report.searches_available:
        out.append(f"Searched, not found: {len(report.searches)}")
        out += [f"  {s.query!r}  ({_plural(s.count, 'search', 'searches')})" for s in report.searches]
    return "\n".join(out) + "\n"


def _missing_csv(report: MissingReport) -> str:
    rows: list[list[Any]] = []
    for m in report.articles:
        rows.append(["missing-article", m.target, "", m.articles,
                     "; ".join(f"{r.path}:{r.line}" for r in m.references), ""])
    for lang, translations in report.translations.items():
        rows += [["missing-translation", t.id, lang, "", t.path, t.title] for t in translations]
    rows += [["missing-section", s.path, "", "", f"{s.path}:{s.line}", s.message] for s in report.sections]
    rows += [["searched-not-found", s.query, "", s.count, "", s.last] for s in report.searches]
    return csv_table(["kind", "item", "lang", "count", "where", "detail"], rows)


def _missing_markdown(report: MissingReport) -> str:
    out = ["# Missing from the knowledge base", "", f"## Missing articles ({len(report.articles)})", ""]
    if report.articles:
        out.append(_md_table(("Target", "Articles", "Linked from"), [
            (md_code(m.target), str(m.articles),
             Markdown(", ".join(md_code(f"{r.path}:{r.line}") for r in m.references)))
            for m in report.articles]))
    else:
        out.append("None.")
    for lang, rows in report.translations.items():
        out += ["", f"## Missing translations: {lang} ({len(rows)})", ""]
        out.append(_md_table(("Article", "Title", "Owner"), [(md_code(t.path), t.title or "", t.owner or "")
                                                              for t in rows])
                   if rows else "None.")
    out += ["", f"## Missing required sections ({len(report.sections)})", ""]
    out.append(_md_table(("Where", "Problem"), [(md_code(f"{s.path}:{s.line}"), s.message) for s in report.sections])
               if report.sections else "None.")
    if report.searches_available:
        out += ["", f"## Searched, not found ({len(report.searches)})", ""]
        out.append(_md_table(("Query", "Searches", "Last"), [(s.query, str(s.count), s.last) for s in report.searches])
                   if report.searches else "None.")
    return "\n".join(out) + "\n"


# --- stats ----------------------------------------------------------------------------------

_GROUPS = (("type", "by_type"), ("status", "by_status"), ("audience", "by_audience"),
           ("language", "by_language"), ("owner", "by_owner"))


def stats_data(stats: Stats) -> dict[str, Any]:
    return {
        "version": 1,
        "report": "stats",
        "today": stats.today.isoformat(),
        "articles": stats.articles,
        "unreadable": stats.unreadable,
        **{attr: dict(getattr(stats, attr)) for _, attr in _GROUPS},
        "unknown_types": list(stats.unknown_types),
        "freshness": {
            "published": stats.published, "fresh": stats.fresh, "fresh_percent": stats.fresh_percent,
            "never_reviewed": stats.never_reviewed,
            "by_owner": [{"owner": o.owner, "published": o.published, "fresh": o.fresh,
                          "fresh_percent": o.fresh_percent} for o in stats.owners],
        },
        "oldest_reviews": [
            {"id": o.id, "lang": o.lang, "path": o.path, "title": o.title, "owner": o.owner,
             "reviewed": o.reviewed.isoformat(), "days_ago": o.days_ago}
            for o in stats.oldest
        ],
    }


def _stats_text(stats: Stats) -> str:
    out = [f"Articles: {stats.articles}" + (f" ({stats.unreadable} unreadable)" if stats.unreadable else ""),
           f"Fresh: {stats.fresh} of {stats.published} published ({_pct(stats.fresh_percent)})"
           + (f"; {stats.never_reviewed} never reviewed" if stats.never_reviewed else "")]
    for label, attr in _GROUPS:
        out += ["", f"By {label}:"] + _indent(_table(None, [(k, str(v)) for k, v in _group(stats, attr)], right=(1,)))
    fresh_width = max((len(str(o.fresh)) for o in stats.owners), default=0)
    published_width = max((len(str(o.published)) for o in stats.owners), default=0)
    out += ["", "Fresh by owner:"] + _indent(_table(None, [
        (o.owner, f"{o.fresh:>{fresh_width}} of {o.published:>{published_width}}", _pct(o.fresh_percent))
        for o in stats.owners], right=(2,)))
    days_width = max((len(str(o.days_ago)) for o in stats.oldest), default=0)
    # The path goes last: a long one then only runs on, it does not push the other columns apart.
    out += ["", "Oldest reviews:"] + _indent(_table(None, [
        (o.reviewed.isoformat(), _days_ago(o.days_ago, days_width),
         o.owner or "-", o.path) for o in stats.oldest]))
    return "\n".join(line.rstrip() for line in out) + "\n"


def _days_ago(days: int, width: int) -> str:
    if days < 0:  # `reviewed` in the future, which lint flags (KB010)
        return "in the future"
    return f"{days:>{width}} {'day' if days == 1 else 'days'} ago"


def _group(stats: Stats, attr: str) -> list[tuple[str, int]]:
    """A group's counts, with types that lint rejects (KB008) marked so the count is not taken as valid."""
    counts: dict[str, int] = getattr(stats, attr)
    if attr != "by_type":
        return list(counts.items())
    return [(f"{name} (unknown type)" if name in stats.unknown_types else name, n) for name, n in counts.items()]


def _stats_csv(stats: Stats) -> str:
    rows: list[list[Any]] = [["total", "articles", stats.articles], ["total", "unreadable", stats.unreadable],
                             ["total", "published", stats.published], ["total", "fresh", stats.fresh],
                             ["total", "fresh_percent", stats.fresh_percent],
                             ["total", "never_reviewed", stats.never_reviewed]]
    for label, attr in _GROUPS:
        rows += [[label, name, count] for name, count in getattr(stats, attr).items()]
    rows += [["unknown_type", name, stats.by_type[name]] for name in stats.unknown_types]
    rows += [["owner_fresh_percent", o.owner, o.fresh_percent] for o in stats.owners]
    rows += [["oldest_review", o.path, o.reviewed.isoformat()] for o in stats.oldest]
    return csv_table(["group", "name", "value"], rows)


def _stats_markdown(stats: Stats) -> str:
    out = [f"# Knowledge base statistics ({stats.today.isoformat()})", "",
           f"{stats.articles} articles; {stats.fresh} of {stats.published} published articles fresh "
           f"({_pct(stats.fresh_percent)})."]
    for label, attr in _GROUPS:
        out += ["", f"## By {label}", "",
                _md_table((label.capitalize(), "Articles"), [(k, str(v)) for k, v in _group(stats, attr)])]
    out += ["", "## Fresh by owner", "", _md_table(("Owner", "Published", "Fresh", "% fresh"), [
        (o.owner, str(o.published), str(o.fresh), _pct(o.fresh_percent)) for o in stats.owners])]
    out += ["", "## Oldest reviews", "", _md_table(("Reviewed", "Days ago", "Article", "Owner"), [
        (o.reviewed.isoformat(), str(o.days_ago), md_code(o.path), o.owner or "") for o in stats.oldest])]
    return "\n".join(out) + "\n"


# --- helpers --------------------------------------------------------------------------------


def _json(build: Callable[[Any], dict[str, Any]]) -> Callable[[Any], str]:
    return lambda report: json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"


def csv_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A CSV document, text cells that start like a formula neutralised (see _csv_cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading `'` (OWASP, CSV injection);
    numbers, negative ones included, stay numbers."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _table(head: Sequence[str] | None, rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Columns padded to their widest cell, two spaces apart; `right` columns are right-aligned. A line
    break or tab in a cell (a file name, a title) is escaped, so that one row stays one line."""
    lines = ([tuple(head)] if head else []) + [tuple(one_line(cell) for cell in r) for r in rows]
    if not lines:
        return ""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = []
    for line in lines:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths))]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"


def _indent(table: str) -> list[str]:
    return [f"  {line}" for line in table.splitlines()] or ["  none"]


class Markdown(str):
    """A table cell that is Markdown already (code spans), not text to escape."""


def md_code(text: str) -> Markdown:
    """`text` as a code span for a table cell.

    Backslashes are literal in a code span, so they stay; a backtick in the text gets a longer fence
    (CommonMark), padded with spaces where the text begins or ends with a backtick or a space.
    """
    text = text.replace("\n", " ")
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    padded = text[:1] == "`" or text[-1:] == "`" or (text[:1] == text[-1:] == " " and text.strip(" ") != "")
    pad = " " if padded else ""
    # In a GFM table the row is split on pipes before inline parsing, so `\|` is right even inside a span.
    return Markdown(f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|"))


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(value: str) -> str:
        if isinstance(value, Markdown):
            return value
        return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cut(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def _cut_start(text: str, width: int) -> str:
    """Keep the end, the most specific part of an id."""
    return text if len(text) <= width else "…" + text[len(text) - width + 1:]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _pct(value: float) -> str:
    return f"{value:g}%"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"
