"""Structure rules: sections each type requires, numbered steps, empty bodies, duplicate titles,
files that clash on the site or on a laptop."""

from __future__ import annotations

import difflib
import functools
import unicodedata
from typing import Iterator

from kb.articles import Article, split_lang
from kb.diagnostics import Severity
from kb.markdown import Heading
from kb.rules import Context, Hit, article_rule, kb_rule
from kb.site.addresses import RESERVED


def _section_texts(article: Article) -> set[str]:
    return {heading.text.casefold() for heading in (article.scan.headings if article.scan else ()) if heading.level <= 6}


def _names(section: str, article: Article, ctx: Context) -> set[str]:
    """A section may be titled in the article's language or in the configured (source) name."""
    return {section.casefold(), ctx.config.section_name(section, article.lang).casefold()}


@article_rule("KB301", "missing-section")
def missing_section(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A section the article's type requires is missing.

    What it checks: each heading in `types.<type>.sections` is present (issue: Symptoms, Cause,
    Resolution; procedure: Steps), in the article's language via `section_names`.
    Why it matters: agents scan for the resolution; a fixed shape makes every article quick to read.
    Example: an issue article with Symptoms and Resolution but no Cause.
    Fix: add the heading, e.g. `## Cause`, with what you know; when a heading is nearly right
    (`## Symptom` for `## Symptoms`), the message points at it: rename it. When your articles have
    another template, set `types.<type>.sections` to it; a built-in type keeps its built-in
    sections until you do (`types: {procedure: {sections: []}}` requires none).
    Settings: types.<type>.sections, section_names
    """
    type_config = ctx.config.types.get(article.type or "")
    if type_config is None or article.status == "archived":
        return
    present = _section_texts(article)
    for section in type_config.sections:
        names = _names(section, article, ctx)
        if not names & present:
            heading = ctx.config.section_name(section, article.lang)
            message = f"'{article.type}' article has no '## {heading}' section"
            close = _close_heading(article, names, set().union(*(_names(other, article, ctx) for other in type_config.sections)))
            if close is None:
                yield Hit(article, article.body_line, 1, message)
            else:
                yield Hit(article, close.line, 1, f"{message}; is '{'#' * close.level} {close.text}' meant to be it? Rename it, "
                                                  f"or write '{close.text}' in types.{article.type}.sections if that is your name for it")


def _close_heading(article: Article, names: set[str], required: set[str]) -> Heading | None:
    """A heading whose text is nearly one of `names` (`Symptom` for `Symptoms`) and is not itself
    a required section."""
    for heading in article.scan.headings if article.scan else ():
        text = heading.text.casefold()
        if text and text not in required and _nearly(text, frozenset(names)):
            return heading
    return None


@functools.lru_cache(maxsize=4096)
def _nearly(text: str, names: frozenset[str]) -> bool:
    """Whether `text` is nearly one of `names`. Cached, and names of a too different length are left
    out first with difflib's own bound (`real_quick_ratio`), before it indexes `text`: difflib was a
    third of linting 2,448 Microsoft support articles, whose headings are long and many."""
    near = [name for name in names if not (text or name) or 2.0 * min(len(text), len(name)) / (len(text) + len(name)) >= 0.8]
    return bool(near) and bool(difflib.get_close_matches(text, near, n=1, cutoff=0.8))


@article_rule("KB302", "steps-not-numbered")
def steps_not_numbered(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A section that must hold numbered steps has no numbered list.

    What it checks: the section named by `types.<type>.ordered_list_in` (procedure: Steps) holds a
    list such as `1. Open Settings`.
    Why it matters: numbered steps let an agent say "you are at step 4" during a call.
    Example: steps written as a paragraph or as `-` bullets.
    Fix: write each step as `1.`, `2.`, ...
    Settings: types.<type>.ordered_list_in
    """
    type_config = ctx.config.types.get(article.type or "")
    section = type_config.ordered_list_in if type_config else None
    if not section or article.scan is None:
        return
    names = _names(section, article, ctx)
    if not names & _section_texts(article):
        return  # missing-section reports it
    numbered = {text.casefold() for text in article.scan.ordered_list_sections}
    if not names & numbered:
        heading = next(h for h in article.scan.headings if h.text.casefold() in names)
        yield Hit(article, heading.line, 1, f"'## {heading.text}' has no numbered list; write the steps as 1., 2., ...")


@article_rule("KB303", "empty-body")
def empty_body(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    The article has front matter but no text.

    What it checks: the body below the front matter holds at least one word.
    Why it matters: an empty page is published and matched by its title only.
    Example: a stub created for later with nothing under the front matter.
    Fix: write the article, or set `status: draft` until it is written.
    """
    if article.scan is not None and not article.scan.has_text and article.status != "draft":
        yield Hit(article, article.body_line, 1, "the article has no text below the front matter")


@kb_rule("KB304", "duplicate-title", Severity.WARNING)
def duplicate_title(ctx: Context) -> Iterator[Hit]:
    """
    Two articles in the same language have the same title.

    What it checks: titles are unique per language (ignoring case), archived articles aside.
    Why it matters: agents cannot tell the search results apart, and duplicates drift apart.
    Example: two "Printer not found" articles written by different pods.
    Fix: merge them, or make each title say what is different.
    """
    seen: dict[tuple[str, str], Article] = {}
    for article in ctx.kb.articles:
        if not article.readable or not article.title or article.status == "archived":
            continue
        first = seen.setdefault((article.title.casefold(), article.lang), article)
        if first is not article:
            yield Hit(article, article.line_of("title", ctx.config), 1, f"title '{article.title}' is also the title of {first.rel}")


@kb_rule("KB305", "same-page-address", Severity.ERROR)
def same_page_address(ctx: Context) -> Iterator[Hit]:
    """
    Two articles would be published at the same address.

    What it checks: no two articles in a language map to one page: `x.md` and `x/index.md` (or
    `x/README.md`) both become `/x/` on an MkDocs site; and no article sits at an address of the
    pages `kb build` generates (`tags.md`, `tags/...`, `types/`, `products/`, `sections/`, `health/`).
    Why it matters: MkDocs keeps one and drops the other from the site, with only a warning in
    the build log, so readers never see one of the two articles.
    Example: `payments/refunds.md` beside `payments/refunds/index.md`; a hand-written `tags.md`.
    Fix: rename or merge one of them.
    """
    generated = {prefix.rstrip("/") for prefix in RESERVED[1:]}  # top-level names: `tags`, `types`...
    folder_layout = ctx.config.layout == "folder"
    pages: dict[tuple[str, str], list[Article]] = {}
    for article in ctx.kb.articles:
        if article.readable:
            top = article.rel.partition("/")[0].partition(".")[0]  # `tags` of `tags/x.md` and `tags.id.md`
            if top in generated or folder_layout:
                base = split_lang(article.rel, ctx.config.languages, ctx.config.layout)[0]
                if base.partition("/")[0] in generated:
                    yield Hit(article, 1, 1, f"published at /{base.partition('/')[0]}/, an address of the pages kb build "
                                             "generates, which leaves the article out of the site; rename it (or its folder)")
            # From the path, not the id (an `id:` in front matter does not move the page); MkDocs
            # takes only `index` and `README` in that case as the folder's page.
            path = split_lang(article.rel, ctx.config.languages, ctx.config.layout)[0]
            head, _, name = path.rpartition("/")
            page = head if name in ("index", "README") else path
            pages.setdefault((page, article.lang), []).append(article)
    for (page, _), articles in pages.items():
        for article in articles if len(articles) > 1 else ():  # each author hears of it
            others = ", ".join(other.rel for other in articles if other is not article)
            address = f"/{page}/" if page else "/"  # the home page at the top
            yield Hit(article, 1, 1, f"published at the same address as {others} ({address}); rename or merge one of them")


@kb_rule("KB306", "case-clash", Severity.ERROR)
def case_clash(ctx: Context) -> Iterator[Hit]:
    """
    Two files' paths differ only in letter case or in how their accents are encoded.

    What it checks: no two article paths are equal once letter case is ignored and accents are
    compared as Unicode NFC (`Printer.md` and `printer.md`; `café.md` written with `é` and with
    `e` + a combining accent).
    Why it matters: macOS and Windows see one file there, so git checks out only one of them and
    an author on those systems edits the wrong article or loses one; links that work on a laptop
    break on the site's server.
    Example: `devices/Printer.md` beside `devices/printer.md`.
    Fix: rename or merge one of them (`git mv`).
    """
    folded: dict[str, list[Article]] = {}
    for article in ctx.kb.articles:
        rel = article.rel if article.rel.isascii() else unicodedata.normalize("NFC", article.rel)
        folded.setdefault(rel.casefold(), []).append(article)
    for articles in folded.values():
        for article in articles if len(articles) > 1 else ():  # each author hears of it
            others = ", ".join(f"'{other.rel}'" for other in articles if other is not article)
            yield Hit(article, 1, 1, f"differs from {others} only in letter case or accent encoding: macOS and Windows "
                                     "see one file, so git checks out only one of them; rename or merge one")
