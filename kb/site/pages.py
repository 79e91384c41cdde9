"""Generated pages: home, per-section, per-type, per-product and tag indexes, and knowledge health.

Articles are reached from these index pages; the navigation lists only them, so each page embeds
a handful of links instead of one per article (issue 4: a per-article navigation makes the output
grow with the square of the article count).
"""

from __future__ import annotations

import html
import posixpath
import urllib.parse
from dataclasses import dataclass
from datetime import date

from kb.articles import Article
from kb.config import Config
from kb.freshness import STALE, freshness
from kb.markdown import slugify
from kb.site import chart
from kb.site.health import health
from kb.site.labels import day, label, titled, type_name
from kb.site.stage import INTERNAL, Entry, Stage

RECENT = 10
_MORE_LABELS = {"types": "by_type", "products": "by_product", "tags": "tags"}


@dataclass
class Row:
    """An article as listed on an index page in one language."""

    entry: Entry
    article: Article
    path: str  # docs-relative path of the page in this language


def generate(staged: Stage, config: Config, today: date) -> tuple[dict[str, bytes], list[str]]:
    """Every generated page per language (docs-relative path -> bytes) and the site's navigation."""
    files: dict[str, bytes] = {}
    sections = sorted({entry.paths[config.default_lang].split("/")[0] for entry in staged.entries.values()
                       if "/" in entry.paths[config.default_lang]})
    types = sorted({a.type for a in staged.articles if a.type})
    products = sorted({a.product for a in staged.articles if a.product})
    tagged = any(a.tags for a in staged.articles)
    for lang in config.languages:
        rows = [Row(e, e.shown(lang, config.default_lang), e.paths[lang]) for e in staged.entries.values()]
        rows.sort(key=lambda row: (row.article.title or row.entry.id).lower())
        pages: dict[str, str] = {}
        pages["index.md"] = _home(staged, config, lang, rows, sections, today, _more(bool(products), tagged))
        for section in sections:
            pages[f"sections/{section}.md"] = _listing(_folder(section, lang, config), [r for r in rows if r.path.startswith(section + "/")], lang, f"sections/{section}.md", config, today)
        pages["types/index.md"] = _directory(label("by_type", lang), [(type_name(t, lang), f"types/{t}.md") for t in types], "types/index.md")
        for type_ in types:
            pages[f"types/{type_}.md"] = _listing(type_name(type_, lang), [r for r in rows if r.article.type == type_], lang, f"types/{type_}.md", config, today)
        if products:
            pages["products/index.md"] = _directory(label("by_product", lang), [(_product(p, lang, config), f"products/{slugify(p)}.md") for p in products], "products/index.md")
        for product in products:
            page = f"products/{slugify(product)}.md"
            pages[page] = _listing(_product(product, lang, config), [r for r in rows if r.article.product == product], lang, page, config, today)
        if tagged:
            pages["tags/index.md"] = _tags(rows, lang, config, today)
        if staged.audience == INTERNAL:
            pages["health/index.md"] = _health(staged, config, lang, today)
        for rel, text in pages.items():
            files[_localized(rel, lang, config)] = text.encode("utf-8")
    if staged.audience == INTERNAL:
        report = health(staged.articles, config, today)
        bars = [(chart.month_label(start), count) for start, count in report.due_per_month]
        files["health/reviews-due.svg"] = chart.bar_chart(label("due_per_month", config.default_lang), bars).encode("utf-8")
    nav = ["index.md", *(f"sections/{s}.md" for s in sections), *(f"{page}/index.md" for page in _more(bool(products), tagged))]
    if staged.audience == INTERNAL:
        nav.append("health/index.md")
    return files, nav


def _more(products: bool, tagged: bool) -> list[str]:
    """The index pages beyond the sections. A team whose front matter has no `product` or no `tags`
    gets no page for them: an empty "Articles by product" page in the navigation looks broken."""
    return ["types", *(["products"] if products else []), *(["tags"] if tagged else [])]


def _folder(folder: str, lang: str, config: Config) -> str:
    return titled(folder, config.titles.folders.get(folder), lang, config.default_lang)


def _product(product: str, lang: str, config: Config) -> str:
    return titled(product, config.titles.products.get(product), lang, config.default_lang)


def _localized(rel: str, lang: str, config: Config) -> str:
    return rel if lang == config.default_lang else f"{rel[:-3]}.{lang}.md"


def _page(title: str, body: list[str], hide_toc: bool = False, searched: bool = False) -> str:
    """A generated page. Unless `searched`, Material's search leaves it out: it repeats the titles and
    summaries of the articles it lists (in each language's copy), which then crowd out the articles."""
    front = "---\nkb_generated: true\n" + ("hide:\n  - toc\n" if hide_toc else "")
    front += ("" if searched else "search:\n  exclude: true\n") + "---\n"
    return front + f"# {title}\n\n" + "\n".join(body).rstrip() + "\n"


def _link(row: Row, from_page: str) -> str:
    target = posixpath.relpath(row.path, posixpath.dirname(from_page) or ".")
    return f"[{_escaped(row.article.title or row.entry.id)}]({_url(target)})"


def _url(path: str) -> str:
    """A file path as a link target: MkDocs decodes `%xx` in links, so `pct%20x.md`, ` space .md` or
    `a (b).md` only lead to their page encoded (`pct%2520x.md`, `%20space%20.md`, `a%20%28b%29.md`)."""
    return urllib.parse.quote(path)


def _escaped(text: str) -> str:
    """Text for a Markdown link's brackets."""
    return text.replace("[", "\\[").replace("]", "\\]")


def _line(row: Row, from_page: str, lang: str, config: Config, today: date, show_owner: bool = False) -> str:
    state = freshness(row.article, config, today)
    parts = [type_name(row.article.type, lang)]
    parts.append(label("reviewed_on", lang, date=day(state.reviewed)) if state.reviewed else label("never_reviewed", lang))
    if show_owner:
        if state.state == STALE:
            parts.append(label("stale_by", lang, days=state.days_overdue))
        owner = config.owners.get(row.article.owner or "")
        parts.append(owner.name if owner and owner.name else (row.article.owner or label("unowned", lang)))
    summary = f"<br>{_in(row.article.summary, row, lang)}" if row.article.summary and not show_owner else ""
    return f"- {_in(_link(row, from_page), row, lang)} · {' · '.join(parts)}{summary}"


def _in(markdown: str, row: Row, lang: str) -> str:
    """The article's own words, marked with its language when the page is in another (a stand-in for a
    missing translation), so that screen readers pronounce them right."""
    if row.article.lang == lang:
        return markdown
    return f'<span lang="{html.escape(row.article.lang)}">{markdown}</span>'


def _home(staged: Stage, config: Config, lang: str, rows: list[Row], sections: list[str], today: date,
          more: list[str]) -> str:
    body: list[str] = []
    intro = staged.home_intro.get(lang) or staged.home_intro.get(config.default_lang)
    if intro:
        body += [intro, ""]
    body += [f"## {label('browse', lang)}", ""]
    for section in sections:
        count = sum(1 for row in rows if row.path.startswith(section + "/"))
        noun = label("article" if count == 1 else "articles", lang)
        body.append(f"- [{_escaped(_folder(section, lang, config))}]({_url(f'sections/{section}.md')}) · {count} {noun}")
    if not rows:
        body.append(label("no_articles", lang))
    reviewed = sorted((r for r in rows if r.article.reviewed), key=lambda r: (r.article.reviewed, r.entry.id), reverse=True)
    body += ["", f"## {label('recent', lang)}", ""]
    body += [_line(row, "index.md", lang, config, today) for row in reviewed[:RECENT]]
    if staged.audience == INTERNAL:
        states = [(freshness(r.article, config, today), r) for r in rows]
        stale = sorted(((s, r) for s, r in states if s.state == STALE), key=lambda sr: (-sr[0].days_overdue, sr[1].entry.id))
        body += ["", f"## {label('stalest', lang)}", ""]
        body += [_line(row, "index.md", lang, config, today, show_owner=True) for _, row in stale[:RECENT]]
        if not stale:
            body.append("—")
    body += ["", f"## {label('more', lang)}", ""]
    body += [f"- [{label(_MORE_LABELS[page], lang)}]({page}/index.md)" for page in more]
    if staged.audience == INTERNAL:
        body.append(f"- [{label('health', lang)}](health/index.md)")
    return _page(config.site_title(lang), body, hide_toc=True, searched=bool(intro))  # the intro is the team's own text


def _listing(title: str, rows: list[Row], lang: str, page: str, config: Config, today: date) -> str:
    body = [_line(row, page, lang, config, today) for row in rows] or [label("no_articles", lang)]
    return _page(title, body, hide_toc=True)


def _directory(title: str, links: list[tuple[str, str]], page: str) -> str:
    base = posixpath.dirname(page)
    body = [f"- [{_escaped(text)}]({_url(posixpath.relpath(target, base))})" for text, target in links]
    return _page(title, body, hide_toc=True)


def _tags(rows: list[Row], lang: str, config: Config, today: date) -> str:
    tags = sorted({tag for row in rows for tag in row.article.tags}, key=str.lower)
    body: list[str] = []
    for tag in tags:
        body += [f"## {tag}", ""]
        body += [_line(row, "tags/index.md", lang, config, today) for row in rows if tag in row.article.tags]
        body.append("")
    return _page(label("tags", lang), body or [label("no_articles", lang)])


def _health(staged: Stage, config: Config, lang: str, today: date) -> str:
    report = health(staged.articles, config, today)
    overall = report.overall
    head = f"| | {label('total', lang)} | {label('fresh_pct', lang)} % | {label('stale', lang)} | {label('due_soon', lang)} |"
    rule = "|---|---:|---:|---:|---:|"

    def row(name: str, tally: object) -> str:
        t = tally  # type: ignore[assignment]
        return f"| {name} | {t.total} | {t.fresh_pct} | {t.stale} | {t.due_soon} |"  # type: ignore[attr-defined]

    body = [label("health_intro", lang, date=today.isoformat(), pct=overall.fresh_pct, total=overall.total), ""]
    body += [f"## {label('by_owner', lang)}", "", head, rule]
    for handle, tally in report.by_owner.items():
        owner = config.owners.get(handle)
        name = (owner.name if owner and owner.name else handle) or label("unowned", lang)
        body.append(row(name, tally))
    body += ["", f"## {label('by_type_heading', lang)}", "", head, rule]
    body += [row(type_name(t or None, lang), tally) for t, tally in report.by_type.items()]
    body += ["", f"## {label('due_per_month', lang)}", "",
             f"![{label('due_per_month', lang)}](reviews-due.svg)", "",
             "| | " + " | ".join(chart.month_label(s) for s, _ in report.due_per_month) + " |",
             "|---|" + "---:|" * len(report.due_per_month),
             f"| {label('total', lang)} | " + " | ".join(str(n) for _, n in report.due_per_month) + " |"]
    return _page(label("health", lang), body)
