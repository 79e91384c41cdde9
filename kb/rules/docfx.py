"""DocFX syntax, which MkDocs shows to readers as written."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Iterator

from kb.articles import Article
from kb.diagnostics import Severity
from kb.docfx import Mark
from kb.rules import Context, Hit, article_rule

_CALLOUTS = ("enable 'github-callouts' in markdown_extensions (pip install markdown-callouts), "
             "or write it as '!!! {kind}' with the text indented below")
# The MkDocs way to write each construct. Material's admonition types: `caution` is `danger`.
_FIXES = {
    "alert-text": "github-callouts leaves it as text too (it reads an alert only alone on the first line of its own "
                  "quote, with text below it): write it as '!!! {kind}' with the text indented below",
    "image": "write it as a Markdown image: '![alt text]({value})'",
    "include": "MkDocs includes nothing: use pymdownx.snippets ('--8<-- \"{value}\"' with base_path: [{docs}]) or copy the text in",
    "div": "write the link as a button, '[text](page.md){{ .md-button }}' (attr_list), or as a plain link",
    "video": "link the video ('[Watch the video]({value})'), or embed it with an HTML <iframe>",
    "zone": "MkDocs has no pivots: use content tabs (pymdownx.tabbed, '=== \"{value}\"') or remove the zone's markers",
    "moniker": "MkDocs has no monikers: keep the text for the version you publish and remove the markers",
    "row": "use Material's grid ('<div class=\"grid\" markdown>' with md_in_html) or remove the markers",
    "column": "use Material's grid ('<div class=\"grid\" markdown>' with md_in_html) or remove the markers",
    "code": "put the code in a fenced block (pymdownx.snippets can pull '{value}' into one)",
    "no-loc": "write the text itself: '{value}'",
}


@article_rule("KB307", "docfx-syntax", Severity.WARNING)
def docfx_syntax(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    The article uses DocFX syntax, which MkDocs shows to readers as written.

    What it checks: no DocFX-only Markdown outside code: alerts (`> [!NOTE]`, `> [!TIP]`,
    `> [!IMPORTANT]`, `> [!WARNING]`, `> [!CAUTION]` on a quote's first line), `:::image ...:::`,
    `[!INCLUDE [label](path)]`, `> [!div class="..."]`, `[!VIDEO url]`, `:::zone`, `:::moniker`,
    `:::row:::`/`:::column:::`, `:::code` and `:::no-loc`. Alerts are fine when mkdocs.yml enables
    markdown-callouts' `github-callouts` extension, which makes them admonitions, except where it
    cannot read them (a second alert in the same quote, text on the alert's line).
    Why it matters: Microsoft Learn renders these, MkDocs does not: customers see `[!NOTE]`, the
    raw `:::image` line instead of the screenshot, and `[!INCLUDE label]` instead of the text.
    Example: `> [!NOTE]` above `> Back up the mailbox first.`; `:::image type="content"
    source="media/x.png" alt-text="The Send button":::`.
    Fix: alerts: add `github-callouts` to `markdown_extensions` (`pip install markdown-callouts`),
    or write `!!! note` with the text indented below; `:::image`: `![alt text](media/x.png)`;
    `[!INCLUDE]`: `--8<-- "includes/x.md"` with pymdownx.snippets, or copy the text in; zones:
    content tabs (pymdownx.tabbed); rows and columns: Material's grids; the rest: remove the markers.
    Settings: markdown_extensions (github-callouts)
    """
    if article.scan is None:
        return
    for mark in article.scan.docfx:
        if mark.construct == "alert" and ctx.config.github_callouts:
            continue
        yield Hit(article, mark.line, mark.column, _message(mark, article, ctx))


def _message(mark: Mark, article: Article, ctx: Context) -> str:
    kind = {"caution": "danger"}.get(mark.value.lower(), mark.value.lower())
    if mark.construct.startswith("alert"):
        what = f"DocFX alert '> [!{mark.value.upper()}]'"
    elif mark.construct in ("include", "video"):
        what = f"DocFX '[!{mark.construct.upper()}]'"
    elif mark.construct == "div":
        what = "DocFX '> [!div]'"
    else:
        what = f"DocFX ':::{mark.construct}'"
    value = mark.value
    if mark.construct == "include" and not value.startswith("/"):  # snippets reads paths from base_path, not the article
        value = posixpath.normpath(posixpath.join(article.folder, value))
    fix = _CALLOUTS if mark.construct == "alert" else _FIXES[mark.construct]
    return f"{what} shows as text on an MkDocs site; {fix.format(kind=kind, value=value, docs=_docs_folder(ctx))}"


def _docs_folder(ctx: Context) -> str:
    """The docs folder as pymdownx.snippets' `base_path` reads it: from the project's folder."""
    return Path(os.path.relpath(ctx.config.docs_dir, ctx.config.root)).as_posix()
