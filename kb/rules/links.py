"""Link rules: missing targets and anchors, public-to-internal links, archived targets, orphans."""

from __future__ import annotations

import difflib
import posixpath
from typing import Iterator

from kb.articles import Article, page_folder, split_lang
from kb.diagnostics import Severity
from kb.knowledge import MISSING, OK, OUTSIDE, path_exists
from kb.markdown import WINDOWS_SEPARATOR, Link, link_path
from kb.rules import Context, Hit, article_rule, kb_rule


@article_rule("KB201", "broken-link")
def broken_link(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A link, image or `related` id points at an article or file that does not exist.

    What it checks: every relative Markdown link and image resolves to a file in the content folder
    (a link to `x.md` from a translation may resolve to `x.<lang>.md`), every `related` id exists,
    and no raw HTML link (`<a href>`, `<img src>`) names a `.md` file: MkDocs does not rewrite
    those, so on the site they lead to a file it never publishes. A raw `<img src>` must name
    its file from the page's address, as the browser reads it: with `use_directory_urls` (MkDocs'
    default) `guides/a.md` is the page `guides/a/`, so its `media/x.png` is `../media/x.png`.
    The `source` of a DocFX `:::image` is checked as a Markdown image's target (docfx-syntax says
    to write it as one).
    Why it matters: readers hit a dead end; the target is a missing article (see `kb report missing`).
    Example: `[refunds](../billing/refund.md)` when the file is `refunds.md`.
    Fix: correct the path, or write the missing article; write links to articles in Markdown.
    A link to a page's site address (`../other/`) or to a folder (`payments/`, which MkDocs leaves
    as written) is flagged with the article's file to link instead. The message names the file meant when the path differs only in letter case (which macOS and
    Windows forgive, the site's server does not) or uses `\\` for `/`.
    """
    for link, target in ctx.kb.resolved_links(article):
        if link.html:
            if not link.external and link.target.endswith(".md"):
                yield Hit(article, link.line, link.column, f"raw HTML link to '{link.target}': MkDocs does not rewrite links in "
                                                           "HTML, so the site would link a file it does not publish; write it as a Markdown link")
            elif link.image and not link.external and not link.target.startswith("/"):
                problem = _raw_image_problem(article, link, ctx)
                if problem:
                    yield Hit(article, link.line, link.column, problem)
            continue  # other raw HTML targets are site addresses, not files
        folder = target.status == OK and target.article is None and not link.image and _names_folder(ctx, target.rel)
        if (target.status in (MISSING, OUTSIDE) or folder) and (page := ctx.kb.page_at(article, link.target)) is not None:
            if link.target.startswith("/"):  # read from the docs folder (relative_to_docs)
                yield Hit(article, link.line, link.column, f"link '{link.target}' is a site address (the page of '{page.rel}'), not "
                          f"a file: MkDocs finds no such file in the docs folder and leaves it as written; link the file: '/{page.rel}'")
            else:
                yield Hit(article, link.line, link.column, f"link '{link.target}' is a site address (the page of '{page.rel}'), which "
                          f"neither kb nor MkDocs checks and which breaks without directory URLs; link the file: "
                          f"'{posixpath.relpath(page.rel, article.folder or '.')}'")
        elif folder:  # MkDocs leaves it as written: the browser reads it from the page's address
            inside = f"{target.rel}/" if target.rel not in ("", ".") else ""  # `../` to the docs folder: its own index.md
            index = next((f"{inside}{name}" for name in ("index.md", "README.md") if f"{inside}{name}" in ctx.kb.by_rel), None)
            instead = f"link its page's file: '{posixpath.relpath(index, article.folder or '.')}'" if index else "link an article in it"
            yield Hit(article, link.line, link.column, f"link '{link.target}' names a folder, which MkDocs leaves as written, "
                                                       f"so on the site it leads to no page; {instead}")
        elif target.status == MISSING:
            what = "image" if link.image else "link"
            yield Hit(article, link.line, link.column, f"{what} target '{link.target}' does not exist "
                                                       f"({target.rel or '.'}){_missing_hint(article, link, target.rel, ctx)}")
    yield from _docfx_images(article, ctx)
    for related in article.related:
        if ctx.kb.get(related, article.lang) is None:
            yield Hit(article, article.line_of("related", ctx.config), 1, f"related article '{related}' does not exist")


def _docfx_images(article: Article, ctx: Context) -> Iterator[Hit]:
    """The `:::image` sources that name no file, read as the Markdown image it should become."""
    for mark in article.scan.docfx if article.scan else ():
        if mark.construct == "image" and mark.value:
            target, _, anchor = mark.value.partition("#")
            link = Link(link_path(target), anchor, mark.line, mark.column, image=True)
            if not link.external and (found := ctx.kb.resolve(article, link)).status == MISSING:
                yield Hit(article, link.line, link.column, f"image target '{link.target}' does not exist "
                                                           f"({found.rel or '.'}){_missing_hint(article, link, found.rel, ctx)}")


def _names_folder(ctx: Context, rel: str) -> bool:
    """Whether a link's docs-relative target is a folder (not a file MkDocs copies or a page)."""
    try:
        return (ctx.config.docs_dir / rel).is_dir()
    except (OSError, ValueError):
        return False


def _raw_image_problem(article: Article, link: Link, ctx: Context) -> str | None:
    """Why a raw `<img src>` shows no image on the site, if it does not: the browser looks the
    address up from the page's address, which with directory URLs is a folder deeper than the file."""
    target = link.target.partition("?")[0]
    if not target:
        return None
    config = ctx.config
    page = page_folder(article, config)
    from_page = posixpath.normpath(posixpath.join(page, target))
    if from_page.startswith("../") or path_exists(config.docs_dir / from_page, file=True):
        return None
    from_file = posixpath.normpath(posixpath.join(article.folder, target))
    if from_file != from_page and path_exists(config.docs_dir / from_file, file=True):
        instead = posixpath.relpath(from_file, page or ".")
        return (f"raw HTML image '{link.target}' is looked up from the page's address ({page}/), not from its file, "
                f"so the site shows no image; write it as a Markdown image, which MkDocs rewrites, or as '{instead}'")
    return f"image target '{link.target}' does not exist ({from_file})"


def _missing_hint(article: Article, link: Link, rel: str, ctx: Context) -> str:
    """What the author probably meant: the path with `/` for `\\`, a file whose name differs only
    in letter case or accent encoding (found on macOS and Windows, a dead link on the site's server),
    or no link at all (code such as `Foo[T](a, b)`, which Python-Markdown reads as a link)."""
    if WINDOWS_SEPARATOR.search(link.target):
        fixed = link.target.replace("\\", "/")
        slashed = ctx.kb.resolve(article, link._replace(target=fixed))
        meant = f": did you mean '{fixed}'?" if slashed.status == OK else f"; with '/' it is {slashed.rel or '.'}, which does not exist either"
        return f"; links use '/', not '\\'{meant}"
    found = ctx.kb.lookalike(rel)
    if found is None:
        if " " in link.target and not link.target.endswith(".md"):
            return "; if this is code, not a link, put it in backticks (`...`) or write \\[ for its ["
        return ""
    if found.casefold() == rel.casefold():
        how = "letter case, which macOS and Windows ignore"
    else:
        how = "how its accents are encoded (Unicode NFC or NFD), which macOS ignores"
    meant = f"/{found}" if link.target.startswith("/") else posixpath.relpath(found, article.folder or ".")
    return (f"; did you mean '{meant}'? It differs only in {how}, "
            "but the site's server does not")


@article_rule("KB202", "broken-anchor")
def broken_anchor(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A link points at a heading anchor that the target article does not have.

    What it checks: `page.md#anchor` and `#anchor` match a heading of the target (slugged as the
    toc extension configured in mkdocs.yml does: by default lower case, spaces to `-`, punctuation
    dropped), an explicit `{#id}`, or a raw HTML `<a name>` or `id=` of any element.
    Why it matters: the reader lands at the top of a long page instead of the answer.
    Example: `[fix](printer.md#resolution)` after the heading was renamed to `## Fix`.
    Fix: link to the current heading's anchor (the message names the closest one). A DocFX tab
    heading (`# [Windows](#tab/windows)`) is a plain heading in MkDocs: write tabs as
    pymdownx.tabbed's `=== "Windows"`.
    """
    for link, target in ctx.kb.resolved_links(article):
        if not link.anchor or link.image or (link.html and link.target):
            continue  # a raw HTML link to another page is a site address (see broken-link)
        if target.status == OK and target.article is not None and target.article.scan:
            anchors = ctx.kb.anchors(target.article)
            if link.anchor not in anchors:
                page = "this article" if target.article is article else f"'{target.rel}'"
                yield Hit(article, link.line, link.column, f"{page} has no heading with anchor '#{link.anchor}'"
                                                           f"{_anchor_hint(link.anchor, anchors)}")


def _anchor_hint(anchor: str, anchors: frozenset[str]) -> str:
    if anchor.startswith("tab/"):
        return "; '#tab/...' is a DocFX tab, which MkDocs shows as a plain heading: use pymdownx.tabbed (=== \"Tab\")"
    close = _fewer_words(anchor, anchors) or next(iter(difflib.get_close_matches(anchor, sorted(anchors), n=1, cutoff=0.7)), None)
    return f"; did you mean '#{close}'?" if close else ""


def _fewer_words(anchor: str, anchors: frozenset[str]) -> str | None:
    """The anchor that is `anchor` with some of its words left out, if one is (the one leaving out
    fewest): GitHub's slugs, which authors copy, keep what the toc drops, such as a `<tag>` in the
    heading (`#timed-out-servercontosocom` for `## Timed out <server.contoso.com>`) or the blanks
    around a dash (`step-1---sign-in`). At most half the words may go, or any anchor would do."""
    words = [word for word in anchor.split("-") if word]
    best = None
    for candidate in anchors:
        kept = candidate.split("-")
        if len(words) > len(kept) * 2 or (best is not None and len(kept) <= len(best.split("-"))):
            continue
        rest = iter(words)
        if all(word in rest for word in kept):  # `in` on an iterator: each word found after the last one
            best = candidate
    return best


@article_rule("KB203", "public-links-internal")
def public_links_internal(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A public article links to an internal article.

    What it checks: links and `related` ids of public articles (outside internal blocks) lead to
    public articles only.
    Why it matters: on the public site the link is dead (the page is not published) or, worse, names
    internal material.
    Example: a public QRIS article linking `../support-team/escalation.md`.
    Fix: move the link into an `!!! internal` block, or link a public article instead.
    """
    if not article.is_public or article.scan is None:
        return
    hidden = {line for block in article.scan.internal_blocks for line in range(block.start, block.end + 1)}
    for link, target in ctx.kb.resolved_links(article):
        if link.line in hidden:
            continue
        if target.status == OK and target.article is not None and not target.article.is_public:
            yield Hit(article, link.line, link.column, f"public article links to internal article '{target.article.id}'")
    for related in article.related:
        other = ctx.kb.get(related, article.lang)
        if other is not None and not other.is_public:
            yield Hit(article, article.line_of("related", ctx.config), 1, f"public article lists internal article '{related}' as related")


@article_rule("KB204", "link-to-archived", Severity.WARNING)
def link_to_archived(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A link points at an archived article.

    What it checks: links from non-archived articles lead to articles that are not archived (the
    article that replaces an archived one may mention it).
    Why it matters: readers are sent to an answer the team has retired.
    Example: a link to the old printer guide after it was superseded.
    Fix: link the article named in its `superseded_by`.
    """
    if article.status == "archived":
        return
    for link, target in ctx.kb.resolved_links(article):
        other = target.article
        if other is not None and not link.html and other.status == "archived" and other.superseded_by != article.id:
            current = ctx.kb.replacement(other)
            instead = f"; link '{current.id}' instead" if current and current.id != article.id else ""
            yield Hit(article, link.line, link.column, f"'{other.id}' is archived{instead}")


@article_rule("KB207", "link-to-draft", Severity.WARNING)
def link_to_draft(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A published article links to a draft.

    What it checks: links and `related` ids of published articles lead to articles that are not
    `status: draft`.
    Why it matters: neither site shows drafts, so the link is dead for every reader until the
    draft is published.
    Example: the refund guide linking `new-refund-flow.md` while that is still a draft.
    Fix: publish the draft first, or add the link when it is published.
    """
    if not article.is_published:
        return
    for link, target in ctx.kb.resolved_links(article):
        if target.article is not None and not link.html and _unpublished_draft(target.article, ctx):
            yield Hit(article, link.line, link.column, f"'{target.rel}' is a draft, which the sites leave out until it is published; publish it first")
    for related in article.related:
        other = ctx.kb.get(related, article.lang)
        if other is not None and _unpublished_draft(other, ctx):
            yield Hit(article, article.line_of("related", ctx.config), 1, f"related article '{related}' is a draft, which the sites leave out until it is published")


@article_rule("KB206", "link-outside-docs")
def link_outside_docs(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A relative link leaves the content folder.

    What it checks: `../` links stay inside the docs folder.
    Why it matters: the target is not part of the site, so the link is dead once published.
    Example: `[notes](../../internal/notes.md)` from a top-level folder.
    Fix: move the target into the content folder or link its published URL.
    A page's site address (`../../payments/refunds/` from `guides/setup.md`, the page
    `guides/setup/`) leaves the folder from the file but not on the site: broken-link flags it.
    """
    for link, target in ctx.kb.resolved_links(article):
        if target.status == OUTSIDE and not link.html and ctx.kb.page_at(article, link.target) is None:
            yield Hit(article, link.line, link.column, f"link '{link.target}' points outside the content folder")


@kb_rule("KB205", "orphan-article", Severity.INFO)
def orphan_article(ctx: Context) -> Iterator[Hit]:
    """
    Nothing links to the article and it is not in the nav.

    What it checks: some other article links to it or lists it in `related`, or `nav:` in
    mkdocs.yml names it. Translations count together.
    Why it matters: agents find orphan articles only by search; they are often forgotten duplicates.
    Example: a new article nobody linked from the related ones.
    Fix: link it from related articles (`related:`), or archive it.
    """
    linked: set[str] = set()
    for article in ctx.kb.articles:
        if not article.readable:
            continue
        for link, target in ctx.kb.resolved_links(article):
            if target.article is not None and target.article.id != article.id and not link.html:
                linked.add(target.article.id)
        linked.update(related for related in article.related if related != article.id)
    reported: set[str] = set()
    for article in ctx.kb.articles:
        if (article.readable and article.is_published and article.id not in linked
                and article.rel not in ctx.config.nav_paths and article.id not in reported):
            reported.add(article.id)
            yield Hit(article, 1, 1, "no article links to this one and it is not in the nav; link it from a related article")


def _unpublished_draft(article: Article, ctx: Context) -> bool:
    """A draft the sites do not replace: a draft translation of a published source is shown as
    the source (the language fallback), so a link to it still works."""
    if article.status != "draft":
        return False
    source = ctx.kb.source_of(article)
    return source is None or source.status != "published"


@article_rule("KB208", "link-to-language-file", Severity.WARNING)
def link_to_language_file(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A link names another language's file (`x.id.md`) instead of the article (`x.md`).

    What it checks: with translations beside their source (`x.<lang>.md`), links from an article
    in one language do not name a file of another language.
    Why it matters: the language sites are built separately; on this article's site that file is
    not a page, so the link is broken there, while `x.md` leads to the reader's language version.
    Example: `[drawer](../devices/cash-drawer.id.md)` in an English article.
    Fix: link `x.md`.
    Settings: languages, layout
    """
    if ctx.config.layout != "suffix":
        return
    suffixes = tuple(f".{lang}.md" for lang in ctx.config.languages if lang != article.lang)
    for link, target in ctx.kb.resolved_links(article):
        if link.html or not link.target.endswith(suffixes) or link.external:
            continue
        _, lang = split_lang(link.target, ctx.config.languages, ctx.config.layout)
        if lang is not None and lang != article.lang:
            base = link.target[: -len(f".{lang}.md")] + ".md"
            yield Hit(article, link.line, link.column, f"link '{base}', not the '{lang}' file '{link.target}': "
                                                       "on this article's language site that file is not a page")


@article_rule("KB209", "site-root-link", Severity.WARNING)
def site_root_link(article: Article, ctx: Context) -> Iterator[Hit]:
    """
    A link starts with `/`, so it depends on where the site is hosted.

    What it checks: no Markdown link or image, nor raw HTML `<a href>` or `<img src>`, names its
    target from the web server's root (`/azure/storage/overview`, `/payments/refunds/`).
    Why it matters: MkDocs neither checks nor rewrites such links: the browser asks the server that
    hosts the site for that path, which the site does not have (articles copied from another
    documentation site keep that site's root links) or has only while it is hosted at the root.
    Example: `[storage accounts](/azure/storage/common/storage-account-overview)`.
    Fix: write a link to another site in full (`https://learn.microsoft.com/azure/...`); link a
    file of this knowledge base relatively (`../payments/refunds.md`), as the message suggests.
    With `validation: {links: {absolute_links: relative_to_docs}}` in mkdocs.yml, MkDocs reads a
    Markdown link or image from `/` as a path in the docs folder (`/payments/refunds.md`) and
    rewrites it like a relative one, so this rule leaves those to broken-link; it still flags
    raw HTML, which MkDocs never rewrites.
    Settings: mkdocs.yml validation.links.absolute_links
    """
    for link, _ in ctx.kb.resolved_links(article):
        if link.target.startswith("/") and not link.external and (link.html or not ctx.config.root_links_to_docs):
            yield Hit(article, link.line, link.column, f"link '{link.target}' starts with '/', which the browser reads from the web "
                      f"server's root, not from this site{_root_link_hint(article, link, ctx)}")


def _root_link_hint(article: Article, link: Link, ctx: Context) -> str:
    rel = link.target.strip("/")
    if rel and path_exists(ctx.config.docs_dir / rel, file=True):
        setting = "" if link.html else " (or set validation.links.absolute_links: relative_to_docs in mkdocs.yml)"
        start = page_folder(article, ctx.config) if link.html else article.folder  # raw HTML: read from the page's address
        return f": link the file relatively: '{posixpath.relpath(rel, start or '.')}'{setting}"
    page = ctx.kb.page_at_root(rel, article.lang) if not link.html else None
    if page is not None:  # `/payments/refunds/`: a page of this site, written as an address
        return f": link the article's file relatively: '{posixpath.relpath(page.rel, article.folder or '.')}'"
    return ": write another site's address in full (https://...), or link a file of this knowledge base relatively"
