"""`kb lint`: run every registered rule over the knowledge base and return diagnostics."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kb import knowledge
from kb.articles import discover
from kb.config import Config
from kb.diagnostics import Diagnostic, Severity
from kb.knowledge import KnowledgeBase
from kb.rules import Context, Rule, rules


@dataclass
class LintResult:
    diagnostics: list[Diagnostic]
    kb: KnowledgeBase
    files: int  # files checked (all of them, or those under the given paths)
    warnings: list[str] = field(default_factory=list)  # config problems found while linting

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def failed(self, fail_on: Severity) -> bool:
        return any(d.severity >= fail_on for d in self.diagnostics)


def severities(config: Config, table: dict[str, Rule]) -> tuple[dict[str, Severity | None], list[str]]:
    """Each rule's severity after `rules:` in config (None = ignored), and warnings for unknown keys."""
    result: dict[str, Severity | None] = {code: rule.severity for code, rule in table.items()}
    by_name = {rule.name: code for code, rule in table.items()}
    warnings = []
    for key, value in config.rules.items():
        code = key.upper() if key.upper() in table else by_name.get(key)
        if code is None:
            warnings.append(f"plugins.kb.rules.{key}: no rule has this code or name (see 'kb rules')")
            continue
        result[code] = None if value == "ignore" else Severity.parse(value)
    return result, warnings


def lint(config: Config, today: date, paths: tuple[Path, ...] = ()) -> LintResult:
    """Lint the whole knowledge base; with `paths`, report only on files under them.

    Links, ids and translations are always checked against every article, so linting one file
    still knows what it links to.
    """
    kb = knowledge.load(config)
    selected = {str(path.absolute()) for path in discover(config, paths)} if paths else None
    table = rules()
    levels, warnings = severities(config, table)
    ctx = Context(kb, config, today)
    cwd = Path.cwd()
    diagnostics: list[Diagnostic] = []
    for code, rule in table.items():
        severity = levels[code]
        if severity is None:
            continue
        for hit in rule.check(ctx):
            article = hit.article
            if selected is not None and str(article.path.absolute()) not in selected:
                continue
            if code in article.ignore or rule.name in article.ignore:
                continue
            diagnostics.append(Diagnostic(display_path(article.path, cwd), hit.line, hit.column, code, rule.name, hit.message, severity))
    diagnostics.sort()
    files = len(selected) if selected is not None else len(kb.articles)
    return LintResult(diagnostics, kb, files, warnings)


def display_path(path: Path, cwd: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        relative = os.path.relpath(absolute, cwd)
        return relative if not relative.startswith("../../..") else absolute.as_posix()
