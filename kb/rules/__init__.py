"""The rule registry: every lint rule, built-in or custom, registers here with a stable code.

Codes are `KB` plus three digits and are never reused; names are kebab-case and name the problem
("stale-article"), so they read naturally as "ignore stale-article". A rule's docstring has the
sections What it checks / Why it matters / Example / Fix / Settings; `kb rule CODE` prints it.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, NamedTuple

from kb.diagnostics import Severity
# Aliased: importing the rule module kb.rules.freshness binds the name `freshness` in this package.
from kb.freshness import Freshness, freshness as freshness_on

if TYPE_CHECKING:
    from kb.articles import Article
    from kb.config import Config
    from kb.knowledge import KnowledgeBase

CODE = re.compile(r"^KB\d{3}$")
NAME = re.compile(r"^[a-z]+(-[a-z]+)*$")
DOC_SECTIONS = ("What it checks", "Why it matters", "Example", "Fix")
RULE_MODULES = ("files", "fields", "freshness", "links", "structure", "translations", "safety", "docfx")


class Hit(NamedTuple):
    """One place a rule found its problem."""

    article: Article
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Context:
    kb: KnowledgeBase
    config: Config
    today: date
    only: frozenset[str] | None = None  # rels of the articles to check, None for all
    _freshness: dict[str, Freshness] = field(default_factory=dict, repr=False, compare=False)

    def freshness(self, article: Article) -> Freshness:
        """The article's freshness today, worked out once for the rules that ask (stale, due soon)."""
        found = self._freshness.get(article.rel)
        if found is None:
            found = self._freshness[article.rel] = freshness_on(article, self.config, self.today)
        return found

    def checked(self) -> Iterator[Article]:
        """The articles per-article rules look at: all of them, or the chosen ones."""
        if self.only is None:
            return iter(self.kb.articles)
        return (article for article in self.kb.articles if article.rel in self.only)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Callable[[Context], Iterable[Hit]]
    doc: str
    # How `check` goes about it, so lint can run many rules in one pass over the articles and
    # share the articles between two processes: a check of one article at a time (article_rule),
    # or the name of the reading problem the rule reports (loader_rule); neither for kb_rule.
    per_article: Callable[[Article, Context], Iterable[Hit]] | None = None
    problem: str | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


REGISTRY: dict[str, Rule] = {}


def register(code: str, name: str, severity: Severity, check: Callable[[Context], Iterable[Hit]], doc: str,
             per_article: Callable[[Article, Context], Iterable[Hit]] | None = None, problem: str | None = None) -> None:
    if not CODE.match(code) or not NAME.match(name):
        raise ValueError(f"rule {code} {name}: codes are KB + three digits, names kebab-case")
    if code in REGISTRY or any(rule.name == name for rule in REGISTRY.values()):
        raise ValueError(f"rule {code} {name} is registered twice")
    REGISTRY[code] = Rule(code, name, severity, check, inspect.cleandoc(doc), per_article, problem)


def article_rule(code: str, name: str, severity: Severity = Severity.ERROR) -> Callable:
    """Register a check run once per readable article: `check(article, ctx) -> Iterator[Hit]`."""

    def decorate(func: Callable[[Article, Context], Iterable[Hit]]) -> Callable:
        def check(ctx: Context) -> Iterator[Hit]:
            for article in ctx.checked():
                if article.readable:
                    yield from func(article, ctx)

        register(code, name, severity, check, func.__doc__ or "", per_article=func)
        return func

    return decorate


def kb_rule(code: str, name: str, severity: Severity = Severity.ERROR) -> Callable:
    """Register a check over the whole knowledge base: `check(ctx) -> Iterator[Hit]`."""

    def decorate(func: Callable[[Context], Iterable[Hit]]) -> Callable:
        register(code, name, severity, func, func.__doc__ or "")
        return func

    return decorate


def loader_rule(code: str, name: str, severity: Severity, doc: str) -> None:
    """Register a problem found while reading files (kb.articles records it under `name`)."""

    def check(ctx: Context) -> Iterator[Hit]:
        for article in ctx.checked():
            for problem in article.problems:
                if problem.rule == name:
                    yield Hit(article, problem.line, problem.column, problem.message)

    register(code, name, severity, check, doc, problem=name)


def rules() -> dict[str, Rule]:
    """Every registered rule by code, built-in modules loaded."""
    for module in RULE_MODULES:
        importlib.import_module(f"kb.rules.{module}")
    return dict(sorted(REGISTRY.items()))


def find(key: str) -> Rule | None:
    """A rule by code (any case) or name."""
    table = rules()
    return table.get(key.upper()) or next((rule for rule in table.values() if rule.name == key.lower()), None)
