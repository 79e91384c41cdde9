"""Render lint diagnostics as text (grouped, coloured on a terminal), JSON or GitHub annotations.

JSON schema (version 1, stable; fields are only ever added):
    {"version": 1,
     "summary": {"files": int, "errors": int, "warnings": int, "info": int},
     "diagnostics": [{"path": str, "line": int, "column": int, "code": "KB101",
                      "name": "stale-article", "severity": "error|warning|info", "message": str}]}
"""

from __future__ import annotations

import json
import re
from itertools import groupby

from kb.diagnostics import Diagnostic, Severity

# What splits a line or turns it around in a terminal: control characters (a line break, a tab, an
# escape), the line and paragraph separators, bidirectional overrides and a byte of a file name that
# is not UTF-8; not what only does not print alone (a no-break space, an emoji's joiner), which is text.
_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def summary_line(diagnostics: list[Diagnostic], files: int) -> str:
    counts = {severity: sum(1 for d in diagnostics if d.severity == severity) for severity in Severity}

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (f"{plural(counts[Severity.ERROR], 'error')}, {plural(counts[Severity.WARNING], 'warning')}, "
            f"{counts[Severity.INFO]} info in {plural(files, 'file')}")


def render_text(diagnostics: list[Diagnostic], files: int, colour: bool = False) -> str:
    """`path:line:col: KB### message [name]` lines, grouped by file, then a summary line."""

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    out: list[str] = []
    for path, group in groupby(diagnostics, key=lambda d: d.path):
        shown = one_line(path)
        if colour:
            out.append(paint(shown, "1;4"))
        for d in group:
            label = paint(f"{d.code} {d.severity.label}", COLOURS[d.severity])
            out.append(f"{shown}:{d.line}:{d.column}: {label}: {one_line(d.message)} [{d.name}]")
        if colour:
            out.append("")
    out.append(summary_line(diagnostics, files))
    return "\n".join(out) + "\n"


def one_line(text: str) -> str:
    """A file name or message with its line breaks and other control characters escaped
    (`bad\nname.md`), so that one finding stays one `path:line:col:` line."""
    if text.isprintable():
        return text
    return _BREAKING.sub(lambda match: repr(match.group())[1:-1], text)


def render_json(diagnostics: list[Diagnostic], files: int) -> str:
    counts = {severity: sum(1 for d in diagnostics if d.severity == severity) for severity in Severity}
    document = {
        "version": 1,
        "summary": {"files": files, "errors": counts[Severity.ERROR], "warnings": counts[Severity.WARNING], "info": counts[Severity.INFO]},
        "diagnostics": [
            {"path": d.path, "line": d.line, "column": d.column, "code": d.code, "name": d.name,
             "severity": d.severity.label, "message": d.message}
            for d in diagnostics
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one `::error file=...::message` line per diagnostic."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

    def escape(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    return "".join(
        f"::{level[d.severity]} file={escape(d.path, True)},line={d.line},col={d.column},"
        f"title={escape(f'{d.code} {d.name}', True)}::{escape(d.message)}\n"
        for d in diagnostics
    )
