"""A link crawler for built sites: every relative link of every page must reach a file, and its anchor an id.

Standard library only (no browser). A site is served from its folder as the web root: `x/` is `x/index.html`,
and a path starting with `/` is read from the site root (the 404 page's links are like that).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

BASE = "http://site.invalid/"
LINK_ATTRIBUTES = {"href", "src"}


@dataclass(frozen=True)
class BrokenLink:
    page: str    # site-relative path of the page (or search/search_index.json) holding the link
    url: str     # the link as written
    reason: str  # "no file" or "no anchor"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


class Site:
    """A built site folder: its pages' ids and links, parsed once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages = {path.relative_to(root).as_posix(): _parse(path) for path in sorted(root.rglob("*.html"))}

    def page_url(self, rel: str) -> str:
        """The URL a page is served at (its folder for `index.html`, as MkDocs links it)."""
        return BASE + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)

    def check(self, page: str, url: str, base: str) -> BrokenLink | None:
        """The problem with `url` on `page` (relative to `base`), or None when it resolves."""
        if _is_external(url) or url.startswith(("mailto:", "tel:", "javascript:", "data:")):
            return None
        parts = urlsplit(urljoin(base, url))
        if not parts.path.startswith("/"):
            return BrokenLink(page, url, "no file")
        target = unquote(parts.path.lstrip("/"))
        if target == "" or target.endswith("/"):
            target += "index.html"
        if ".." in target.split("/") or not (self.root / target).is_file():
            return BrokenLink(page, url, "no file")
        anchor = unquote(parts.fragment)
        if anchor and target in self.pages and anchor not in self.pages[target].ids:
            return BrokenLink(page, url, "no anchor")
        return None

    def broken_links(self) -> list[BrokenLink]:
        """Every unresolved relative link of every page and of the search index."""
        broken = [problem for rel, parser in self.pages.items() for url in parser.links
                  if (problem := self.check(rel, url, self.page_url(rel))) is not None]
        for index in self.root.glob("**/search/search_index.json"):  # one per language folder too (kb.site.search_split)
            rel = index.relative_to(self.root).as_posix()
            folder = rel.removesuffix("search/search_index.json")  # its locations are read from there
            for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
                problem = self.check(rel, doc["location"], BASE + folder)
                if problem is not None:
                    broken.append(problem)
        return broken


def broken_links(root: Path) -> list[BrokenLink]:
    return Site(root).broken_links()


if __name__ == "__main__":
    import sys

    for folder in sys.argv[1:]:
        found = broken_links(Path(folder))
        print(f"{folder}: {len(found)} unresolved")
        for link in found:
            print(f"  {link.page}: {link.url} ({link.reason})")
