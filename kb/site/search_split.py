"""One search index per language on a site built with mkdocs-static-i18n.

Material's search loads `search/search_index.json` from the page's `base` (the site's root), and
mkdocs-static-i18n puts every language's pages in that one index, so a customer searching on `/id/`
got English articles too. After the build this gives each language folder its own index
(`id/search/search_index.json`): the folder's pages, including the stand-ins mkdocs-static-i18n
writes there for articles not translated (the English text in the Indonesian site), and points
`base` in the folder's pages at the folder. The root index keeps the default language's pages.
Neither plugin has a setting for it (mkdocs-static-i18n issue #271). With Material's offline plugin,
pages opened from the disk load the index inlined in `search/search_index.js`: each folder gets that too.

`base` is otherwise used by Material's instant navigation (`navigation.instant`), which reads
`sitemap.xml` there to know the site's pages: each folder gets a copy of the root's, so its pages
keep loading links in place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

from kb.atomic import atomic_write_bytes

INDEX = Path("search") / "search_index.json"
# Material's config in each page: `<script id="__config" type="application/json">{"base": "..", ...`
_BASE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base":\s*")([^"]*)(")')


def split(site_dir: Path, languages: Iterable[str]) -> list[str]:
    """Write an index per language folder of `site_dir` (`languages`: the other ones than the
    default). Returns the language folders that got one."""
    index_file = site_dir / INDEX
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
        docs: list[dict[str, Any]] = index["docs"]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # no search plugin (or not Material's index): nothing to split
    folders = [lang for lang in languages if (site_dir / lang).is_dir()]
    if not folders:
        return []
    inlined = index_file.with_suffix(".js").is_file()  # Material's offline plugin wrote one
    prefixes = tuple(f"{lang}/" for lang in folders)
    root_docs = [doc for doc in docs if not str(doc.get("location", "")).startswith(prefixes)]
    for lang in folders:
        own = [{**doc, "location": doc["location"][len(lang) + 1:]} for doc in docs if str(doc.get("location", "")).startswith(f"{lang}/")]
        pages = {_page(doc["location"]) for doc in own}
        stand_ins = [doc for doc in root_docs
                     if _page(doc["location"]) not in pages and _page_file(site_dir / lang, _page(doc["location"])).is_file()]
        _write(site_dir / lang / INDEX, {**index, "docs": own + stand_ins}, inlined)
        for page in (site_dir / lang).rglob("*.html"):
            _rebase(page, lang)
        for sitemap in (site_dir / "sitemap.xml", site_dir / "sitemap.xml.gz"):
            if sitemap.is_file():
                atomic_write_bytes(site_dir / lang / sitemap.name, sitemap.read_bytes(), sync=False)
    _write(index_file, {**index, "docs": root_docs}, inlined)
    return folders


def _page(location: str) -> str:
    return location.partition("#")[0]


def _page_file(folder: Path, page: str) -> Path:
    """The built file of a page address (`payments/x/`, `payments/x.html` without directory URLs)."""
    return folder / page / "index.html" if page == "" or page.endswith("/") else folder / page


def _rebase(page: Path, folder: str) -> None:
    """Point Material's `base` in a page of a language folder at the folder."""
    text = page.read_text(encoding="utf-8")
    changed = _BASE.sub(lambda match: match.group(1) + _deeper(match.group(2), folder) + match.group(3), text, count=1)
    if changed != text:
        atomic_write_bytes(page, changed.encode("utf-8"), sync=False)


def _deeper(base: str, folder: str) -> str:
    """`../../..` -> `../..`, `..` -> `.`; an absolute base (a 404 page's `/`) gets the folder."""
    if base == "..":
        return "."
    if base.startswith("../"):
        return base[3:]
    if base.startswith("/") or "://" in base:
        return f"{base.rstrip('/')}/{folder}/"
    return base


def _write(path: Path, index: dict[str, Any], inlined: bool) -> None:
    """The index as JSON, and as the offline plugin's script beside it when `inlined`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(path, data, sync=False)
    if inlined:
        atomic_write_bytes(path.with_suffix(".js"), b"var __index = " + data, sync=False)
