"""Translation rules: missing translations, translations older than their source, and files
named like a translation into a language that is not configured."""

from __future__ import annotations

from typing import Iterator

from kb.articles import Article
from kb.diagnostics import Severity
from kb.config_schema import ISO_639_1, LANGUAGE_CODE
from kb.rules import Context, Hit, article_rule


@article_rule("KB401", "missing-translation", Severity.INFO)
def missing_translation(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A configured language has no translation of the article.

    What it checks: for each language in `languages`, a published source article has `name.<lang>.md`.
    Why it matters: customers reading that language fall back to the source language.
    Example: `payments/qris.md` without `payments/qris.id.md`, with `languages: [en, id]`.
    Fix: translate it (keep `reviewed` current), or set this rule to ignore for internal folders.
    Settings: languages, default_lang
    """
    if article.lang != ctx.config.default_lang or not article.is_published:
        return
    for lang in ctx.config.languages:
        if lang != article.lang and (article.id, lang) not in ctx.kb.by_key:
            yield Hit(article, 1, 1, f"no '{lang}' translation (expected {ctx.config.localized(article.id, lang)})")


@article_rule("KB402", "outdated-translation", Severity.WARNING)
def outdated_translation(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A translation was reviewed before its source article.

    What it checks: a translation's `reviewed` date is not earlier than its source's.
    Why it matters: the source changed since, so the translation may give an outdated answer.
    Example: `qris.md` reviewed 2025-03-10, `qris.id.md` reviewed 2024-11-02.
    Fix: update the translation from the source, then `kb verify` it.
    """
    source = ctx.kb.source_of(article)
    if source and source.reviewed and article.reviewed and article.reviewed < source.reviewed:
        yield Hit(article, article.line_of("reviewed", ctx.config), 1,
                  f"translation reviewed {article.reviewed}, before its source {source.rel} ({source.reviewed}); update it from the source")


@article_rule("KB403", "unconfigured-language", Severity.WARNING)
def unconfigured_language(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A file is named like a translation into a language that is not configured.

    What it checks: `name.<xx>.md` beside an article `name` (xx shaped like a language code) where
    xx is not in `languages`; with `layout: folder`, `<xx>/name.md` beside `<default>/name.md`.
    Why it matters: kb and the sites then take it for a separate article in the default
    language: it is missing from the language switcher, duplicates the source in search, and its
    freshness is not compared with the source's.
    Example: `payments/qris.fr.md` beside `payments/qris.md` with `languages: [en, id]`.
    Fix: add the language to `languages`, or rename the file if it is not a translation.
    Settings: languages
    """
    if not article.rel.endswith(f"{article.id}.md"):
        return  # a custom `id:`: the name says nothing about a language
    if ctx.config.layout == "folder":  # `fr/x.md`: id `fr/x` when fr is not configured
        suffix, slash, base = article.id.partition("/")
    else:  # `x.fr.md`: id `x.fr`
        base, slash, suffix = article.id.rpartition(".")
    if not slash or "/" in suffix or not _language_shaped(suffix):
        return
    source = ctx.kb.get(base, ctx.config.default_lang)
    if source is None or source.lang != ctx.config.default_lang:
        return
    same = next((lang for lang in ctx.config.languages if lang.lower() == suffix.lower()), None)
    if same:
        yield Hit(article, 1, 1, f"named like the '{suffix}' translation of {source.rel}, but languages has '{same}'; "
                                 f"rename the file to use '{same}'")
    else:
        yield Hit(article, 1, 1, f"named like the '{suffix}' translation of {source.rel}, "
                                 f"but '{suffix}' is not in languages ({', '.join(ctx.config.languages)}); add it there, or rename the file")


def _language_shaped(suffix: str) -> bool:
    """`fr`, `pt-BR`, `zh_Hant`: an ISO 639-1 code, maybe with a region or script; not `old` or `api`."""
    return LANGUAGE_CODE.fullmatch(suffix.lower()) is not None and suffix[:2].lower() in ISO_639_1 and suffix[2:3] in ("", "-", "_")
