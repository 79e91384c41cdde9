"""`kb lint`: run every registered rule over the knowledge base and return diagnostics."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kb import cache, forked, knowledge
from kb.articles import OTHER_MARKDOWN, Article, discover, is_excluded, relative
from kb.config import Config
from kb.diagnostics import Diagnostic, Severity
from kb.exceptions import KbError
from kb.knowledge import KnowledgeBase
from kb.rules import Context, Rule, rules


@dataclass
class LintResult:
    diagnostics: list[Diagnostic]
    files: int  # files checked (all of them, or those under the given paths)
    warnings: list[str] = field(default_factory=list)  # config problems found while linting
    config: Config | None = field(default=None, repr=False)
    _kb: KnowledgeBase | None = field(default=None, repr=False)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base linted; loaded on first use when the findings came from the cache."""
        if self._kb is None:
            assert self.config is not None
            self._kb = knowledge.load(self.config)
        return self._kb

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


def lint(config: Config, today: date, paths: tuple[Path, ...] = (), skip_others: bool = False) -> LintResult:
    """Lint the whole knowledge base; with `paths`, report only on files under them.

    Links, ids and translations are always checked against every article, so linting one file
    still knows what it links to. Paths that are not articles in the docs folder are an error
    (KbError), or skipped with a warning when `skip_others` is set.
    """
    selected_paths, skipped = selection(config, paths, skip_others)
    table = rules()
    levels, warnings = severities(config, table)
    warnings += skipped
    if selected_paths == ():
        return LintResult([], 0, warnings, config)  # every path given was skipped
    paths = selected_paths or ()
    cwd = Path.cwd()
    memo = None
    stamps: dict[str, cache.Stamp | None] | None = None
    if config.cache:
        # Nothing changed since the last run (files, config, today, kb itself): same findings.
        key, storable, stamps = cache.lint_key(config, (today.isoformat(), str(cwd), sorted(levels.items())), list(paths))
        memo = cache.LintMemo(config, key)
        if memo.rows is not None:
            return LintResult(_diagnostics(memo.rows), memo.files, warnings + _nothing_checked(config, paths, memo.files), config)
        if not storable:
            memo.forget()
            memo = None
    with knowledge.paused_gc():  # see paused_gc: the rules build many objects too, none cyclic
        kb = knowledge.load(config, defer_save=True, stamps=stamps)
        # Per-article rules run on the chosen articles only (kb-wide ones see all, then are filtered):
        # a pre-commit run on one edited file does not check the other 9,999 for nothing.
        only = frozenset(relative(path, config) for path in discover(config, paths)) if paths else None
        active = [(code, rule, severity) for code, rule in table.items() if (severity := levels[code]) is not None]
        rows = _findings(active, Context(kb, config, today, only), cwd)
        rows.sort()
        files = len(only) if only is not None else len(kb.articles)
        if memo is not None:
            memo.save(rows, files)
        diagnostics = _diagnostics(rows)
    return LintResult(diagnostics, files, warnings + _nothing_checked(config, paths, files), config, kb)


def _nothing_checked(config: Config, paths: tuple[Path, ...], files: int) -> list[str]:
    """A warning when the whole knowledge base is empty: a clean lint of nothing must not look like a
    clean knowledge base (a git submodule not checked out, `exclude: ['**']`)."""
    if paths or files:
        return []
    return [f"{display_path(config.docs_dir, Path.cwd())}: holds no article (only hidden, excluded or non-.md files); "
            "nothing was checked"]


def selection(config: Config, paths: tuple[Path, ...], skip_others: bool = False) -> tuple[tuple[Path, ...] | None, list[str]]:
    """The paths lint was given, checked: each an article (.md) or a folder in the docs folder.

    Returns (the paths, None for the whole knowledge base; why others were skipped). A folder
    holding the whole docs folder (`kb lint .`) selects everything. Any other path is an error,
    or skipped with `skip_others` (pre-commit passes every changed Markdown file, README.md too).
    """
    docs, cwd = config.docs_dir, Path.cwd()
    chosen: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        absolute = Path(os.path.normpath(path.absolute()))  # not resolved: a symlink in the docs folder is an article
        if absolute.is_dir() and absolute.is_symlink() and absolute.resolve().is_relative_to(docs):
            absolute = absolute.resolve()  # discovery does not follow folder links: read the folder they name
        if absolute.is_dir() and (absolute == docs or docs.is_relative_to(absolute)):
            return None, []
        shown = display_path(absolute, cwd)
        rel = absolute.relative_to(docs).as_posix() if absolute.is_relative_to(docs) else ""
        if not absolute.is_relative_to(docs):
            problem = f"{shown}: not in the docs folder ({display_path(docs, cwd)}); kb lints the articles under docs_dir"
        elif not absolute.is_dir() and absolute.suffix not in (".md", *OTHER_MARKDOWN):
            problem = f"{shown}: not an article; kb reads Markdown files ending in .md"
        elif any(part.startswith(".") for part in rel.split("/")):
            problem = f"{shown}: hidden (a name starting with '.'); kb and MkDocs leave hidden files out"
        elif not absolute.is_dir() and is_excluded(rel, config):
            problem = f"{shown}: not an article: 'exclude' in the config leaves it out"
        elif absolute.is_dir() and not discover(config, (absolute,)):
            problem = f"{shown}: holds no article (only hidden, excluded or non-.md files)"
        else:
            chosen.append(absolute)
            continue
        if not skip_others:
            raise KbError(problem)
        skipped.append(f"{problem}; skipped")
    return (tuple(chosen) if paths else None), skipped


Row = tuple[str, int, int, str, str, str, int]  # a Diagnostic as plain values, severity as a number
RULES_CHUNK = 200  # articles per job of the per-article rules


def _findings(active: list[tuple[str, Rule, Severity]], ctx: Context, cwd: Path) -> list[Row]:
    """The findings of the active rules as rows, and the knowledge base's parse cache saved.

    Per-article rules run in one pass over the articles. On a large knowledge base a forked child
    shares that pass in chunks (forked.Shared), so that neither process waits for the other: the
    child first runs the link rules over the whole knowledge base (orphan-article: it resolves
    every link, and the child's per-article link rules reuse the resolved links), while this
    process saves the cache and runs the other rules over the whole knowledge base.
    """
    each = [entry for entry in active if entry[1].per_article or entry[1].problem]
    whole = [entry for entry in active if not (entry[1].per_article or entry[1].problem)]
    linking = [entry for entry in whole if entry[0].startswith("KB2")]
    articles = list(ctx.checked())
    chunks = [articles[start:start + RULES_CHUNK] for start in range(0, len(articles), RULES_CHUNK)]
    child = None
    if len(articles) >= knowledge.PARALLEL_FROM and forked.worthwhile():
        try:
            child = forked.Shared(len(chunks), lambda index: _article_rows(each, ctx, chunks[index], cwd),
                                  first=lambda: _rows(linking, ctx, cwd))
        except OSError:  # no file descriptor left for a pipe
            pass
    done: dict[int, list[Row]] = {}
    with child or contextlib.nullcontext():
        if ctx.kb.unsaved_cache is not None:
            ctx.kb.unsaved_cache.save()
        rows = _rows([entry for entry in whole if entry not in linking] if child else whole, ctx, cwd)
        for index in child.taken() if child else ():
            done[index] = _article_rows(each, ctx, chunks[index], cwd)
        if child:
            linked, reported = child.results()
            rows += linked
            done.update(reported)
    for index, chunk in enumerate(chunks):
        rows += done[index] if index in done else _article_rows(each, ctx, chunk, cwd)  # all, or what a failed child took
    return rows


def _diagnostics(rows: list[Row]) -> list[Diagnostic]:
    return [Diagnostic(*row[:6], Severity(row[6])) for row in rows]


def _rows(active: list[tuple[str, Rule, Severity]], ctx: Context, cwd: Path) -> list[Row]:
    rows: list[Row] = []
    shown: dict[str, str | None] = {}  # rel -> display path, None when lint reports on other files only
    for code, rule, severity in active:
        for hit in rule.check(ctx):
            article = hit.article
            if code in article.ignore or rule.name in article.ignore:
                continue
            path = shown.get(article.rel, "")
            if path == "":  # once per article, not per finding
                chosen = ctx.only is None or article.rel in ctx.only
                path = shown[article.rel] = display_path(article.path, cwd) if chosen else None
            if path is not None:
                rows.append((path, hit.line, hit.column, code, rule.name, hit.message, int(severity)))
    return rows


def _article_rows(each: list[tuple[str, Rule, Severity]], ctx: Context, articles: list[Article], cwd: Path) -> list[Row]:
    """The findings of per-article rules on `articles`: each article's reading problems looked up
    once for the rules that report them, then the checks of readable articles."""
    reports = {rule.problem: (code, rule.name, int(severity)) for code, rule, severity in each if rule.problem}
    checks = [(code, rule.name, rule.per_article, int(severity)) for code, rule, severity in each if rule.per_article]
    rows: list[Row] = []
    for article in articles:
        path = ""
        ignore = article.ignore
        for problem in article.problems:
            report = reports.get(problem.rule)
            if report is not None and not (ignore and (report[0] in ignore or report[1] in ignore)):
                path = path or display_path(article.path, cwd)
                rows.append((path, problem.line, problem.column, report[0], report[1], problem.message, report[2]))
        if not article.readable:
            continue
        for code, name, check, severity in checks:
            if ignore and (code in ignore or name in ignore):
                continue
            for hit in check(article, ctx):
                path = path or display_path(article.path, cwd)
                rows.append((path, hit.line, hit.column, code, name, hit.message, severity))
    return rows


def display_path(path: Path, cwd: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    text, folder = str(path), str(cwd)
    if os.sep == "/" and folder != "/" and text.startswith(folder + "/") and "/." not in text:
        return text[len(folder) + 1:]  # the common case, without pathlib (a tenth of lint's rules)
    absolute = path.absolute()
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        relative = os.path.relpath(absolute, cwd)
        return relative if not relative.startswith("../../..") else absolute.as_posix()
