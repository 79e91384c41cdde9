"""Safety rules for what a public article may publish."""

from __future__ import annotations

from typing import Iterator

from kb.articles import Article
from kb.rules import Context, Hit, article_rule


@article_rule("KB501", "unsafe-html")
def unsafe_html(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A public article holds script, an event handler or a `javascript:` URL.

    What it checks: public articles have no `<script>`, no `on...=` attributes and no
    `javascript:` URLs (fenced code is skipped).
    Why it matters: the help site would run that code in every customer's browser.
    Example: `<a href="javascript:alert(1)">`, `<img src=x onerror=...>`.
    Fix: remove it; embed widgets through the theme, not through article text.
    """
    if article.is_public and article.scan is not None:
        for line, column, what in article.scan.unsafe_html:
            yield Hit(article, line, column, f"unsafe HTML in a public article: '{what}'")
