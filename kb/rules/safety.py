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


@article_rule("KB502", "internal-html-box")
def internal_html_box(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A public article holds a raw HTML box with the class `internal`.

    What it checks: public articles have no HTML element with `class="... internal ..."` outside
    `!!! internal` blocks (fenced code is skipped).
    Why it matters: the public site drops such an element up to its closing tag, but a missing or
    mistyped closing tag decides how much goes; `!!! internal` blocks are what kb is built for.
    Example: `<details class="internal"><summary>For agents</summary>...</details>`.
    Fix: write it as an `!!! internal "For agents"` block.
    """
    if not article.is_public or article.scan is None:
        return
    hidden = {line for block in article.scan.internal_blocks for line in range(block.start, block.end + 1)}
    for line, column in article.scan.internal_html:
        if line not in hidden:
            yield Hit(article, line, column, "raw HTML box with class 'internal': write it as an '!!! internal' block, which kb is sure to keep off the public site")
