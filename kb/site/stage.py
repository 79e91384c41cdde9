"""Staging: one docs folder per audience holding only what that site may show.

The public site is built from a staged copy that holds only published public articles (internal
blocks removed, owner dropped from the front matter), the assets they use and the generated pages.
Nothing is left for a plugin to hide, so an MkDocs-compatible builder that ignores plugins still
builds a safe site (issue 4). Links to pages that are not staged become plain text: MkDocs only logs
a link to a missing page at INFO, so a dead link would otherwise slip through `--strict`.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from kb import yamlload
from kb.articles import OTHER_MARKDOWN, Article, split_lang
from kb.config import Config
from kb.knowledge import OK, KnowledgeBase, path_exists
from kb.code_regions import surely_fenced_lines
from kb.markdown import LINK_PATTERN, LINK_START, REF_DEF_PATTERN, REF_OPEN_PATTERN, REF_TARGET_PATTERN, Link, link_path, unescaped
from kb.site.addresses import RESERVED

PUBLIC, INTERNAL = "public", "internal"
# Front-matter fields copied into a staged article (by our name; written under the team's key).
_KEEP = ("title", "type", "reviewed", "review_every", "tags", "product", "summary", "id", "superseded_by")
# A raw `src=`/`href=` value: (attribute and equals sign, quote, path up to any # or ?).
_HTML_REF = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])([^"'#?]+)[^"']*""", re.I)
# libyaml's emitter when PyYAML has it: the pure-Python one was two thirds of the staging time.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class Entry:
    """One article id as staged: the file written per language, and which of them are fallbacks."""

    id: str
    versions: dict[str, Article] = field(default_factory=dict)  # lang -> article whose text is shown
    fallback: dict[str, str] = field(default_factory=dict)  # lang -> language of the text shown instead
    paths: dict[str, str] = field(default_factory=dict)  # lang -> docs-relative path written

    def shown(self, lang: str, default: str) -> Article:
        return self.versions.get(lang) or self.versions.get(default) or next(iter(self.versions.values()))


@dataclass
class Stage:
    """What went into one staged docs folder."""

    audience: str
    docs_dir: Path
    entries: dict[str, Entry]
    home_intro: dict[str, str]  # lang -> Markdown of content/index[.lang].md, shown on the home page
    assets: list[str]
    files: dict[str, bytes] = field(default_factory=dict)  # docs-relative path -> content written
    warnings: list[str] = field(default_factory=list)
    asset_paths: dict[str, str] = field(default_factory=dict)  # source path -> staged path, where they differ

    @property
    def articles(self) -> list[Article]:
        return [article for entry in self.entries.values() for article in _unique(entry.versions.values())]


def selected(article: Article, audience: str, drafts: bool) -> bool:
    """Whether a site shows this file: public shows published public ones only."""
    if not article.readable:
        return False
    if audience == PUBLIC:
        return article.is_public and article.status == "published"
    return article.status in ("published", "archived") or (drafts and article.status == "draft")


def stage(kb: KnowledgeBase, audience: str, docs_dir: Path, *, drafts: bool = False,
          extra_files: tuple[str, ...] = ()) -> Stage:
    """Choose the articles and assets of one site and compute their staged text (not written yet).

    `kb` must be loaded with bodies (use_cache=False). `extra_files` are docs-relative files the
    config needs whatever the articles say (extra_css, extra_javascript).
    """
    config = kb.config
    languages = config.languages
    result = Stage(audience, docs_dir, {}, {}, [])
    chosen: list[Article] = []
    for article in kb.articles:
        if not selected(article, audience, drafts and audience == INTERNAL):
            continue
        base, _ = split_lang(staged_path(article.rel, config), languages)
        if base == "index":
            result.home_intro[article.lang] = _body(article, audience).strip()
            continue
        if any(f"{base}/".startswith(prefix) for prefix in RESERVED[1:]):  # `tags.md` is /tags/ too
            result.warnings.append(f"{article.rel}: the address /{base.split('/')[0]}/ belongs to the generated "
                                   "pages; the article is left out of the site (rename it)")
            continue
        chosen.append(article)
    for article in chosen:
        entry = result.entries.setdefault(article.id, Entry(article.id))
        if article.lang not in entry.versions:
            entry.versions[article.lang] = article
            entry.paths[article.lang] = staged_path(article.rel, config)
    keep_ids = set(result.entries)
    assets: set[str] = set(extra_files)
    translated = {lang: {id: entry.versions[lang] for id, entry in result.entries.items() if lang in entry.versions}
                  for lang in languages}
    for entry in result.entries.values():
        for lang in languages:
            if lang in entry.versions:
                article = entry.versions[lang]
                rel = entry.paths[lang]
            else:  # fall back to the source language, and say so on the page
                article = entry.shown(lang, config.default_lang)
                base, _ = split_lang(entry.paths[article.lang], languages)
                rel = f"{base}.md" if lang == config.default_lang else f"{base}.{lang}.md"
                entry.fallback[lang] = article.lang
                entry.paths[lang] = rel
            shown = translated[lang] if lang != article.lang else None
            body = rewrite_links(kb, article, _body(article, audience), keep_ids, assets, shown)
            result.files[rel] = render(article, config, audience, body, entry.fallback.get(lang)).encode("utf-8")
    if audience == INTERNAL:
        assets |= set(_all_assets(config.docs_dir))
    result.assets = sorted(rel for rel in assets if path_exists(config.docs_dir / rel, file=True)
                           and not (audience == PUBLIC and rel.endswith(OTHER_MARKDOWN)))  # MkDocs pages kb never read
    result.asset_paths = _asset_paths(result.assets, config)
    return result


def staged_path(rel: str, config: Config, localized: bool = True) -> str:
    """Where a file goes in the staged folder, which mkdocs-static-i18n reads in its suffix layout.

    In the folder layout `id/ops/a.md` and `id/ops/media/b.png` become `ops/a.id.md` and
    `ops/media/b.id.png` (the default language's copies lose their folder only); `localized=False`
    gives the path a link names (`ops/a.md`), which the plugin leads to the reader's language.
    """
    if config.layout != "folder":
        return rel
    lang, slash, rest = rel.partition("/")
    if not slash or lang not in config.languages:
        return rel
    if lang == config.default_lang or not localized:
        return rest
    stem, dot, extension = rest.rpartition(".")
    return f"{stem}.{lang}.{extension}" if dot and "/" not in extension else f"{rest}.{lang}"


def _asset_paths(assets: list[str], config: Config) -> dict[str, str]:
    """Staged paths of assets in language folders; one found only in another language's folder keeps
    the plain name, so its pages find it in every language's build."""
    plain = {staged_path(rel, config) for rel in assets if staged_path(rel, config) == staged_path(rel, config, False)}
    moved = {}
    for rel in assets:
        unlocalized = staged_path(rel, config, False)
        target = staged_path(rel, config) if unlocalized in plain else unlocalized
        if target != rel:
            moved[rel] = target
    return moved


def _body(article: Article, audience: str) -> str:
    return article.public_body() if audience == PUBLIC else article.body


def render(article: Article, config: Config, audience: str, body: str, fallback_from: str | None) -> str:
    """The staged file: a filtered front matter (never the owner on the public site) and the body."""
    meta: dict[str, Any] = {}
    names = _KEEP + (("owner",) if audience == INTERNAL else ())
    for name in names:
        key = config.key(name)
        if key in article.meta and article.meta[key] is not None and not yamlload.tag_of(article.meta[key]):
            meta[key] = article.meta[key]
    for name in ("title", "summary"):  # text as read: an author's <!-- note --> removed
        key, value = config.key(name), getattr(article, name)
        if isinstance(meta.get(key), str) and value:
            meta[key] = value
        elif isinstance(meta.get(key), str):
            del meta[key]
    if article.summary:
        meta["description"] = article.summary  # Material's <meta name="description">
    meta["kb_status"] = article.status
    meta["kb_audience"] = article.audience
    if fallback_from:
        meta["kb_fallback"] = fallback_from
    front = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{body}"


def rewrite_links(kb: KnowledgeBase, article: Article, body: str, keep_ids: set[str], assets: set[str],
                  shown: dict[str, Article] | None = None) -> str:
    """Links to articles this site does not show become their plain text; assets used are collected.

    `shown` (id -> article) is given when the page shows `article` in place of a missing translation:
    the articles that language's site shows translated, whose headings have other anchors.
    """
    out: list[str] = []
    lines = body.split("\n")
    code = surely_fenced_lines(lines)  # code for every renderer: elsewhere a link would be one
    index = 0
    while index < len(lines):
        if index in code:
            out.append(lines[index])
            index += 1
            continue
        end = next((line for line in range(index, len(lines)) if line in code), len(lines))
        text = "\n".join(lines[index:end])  # links may wrap over the lines of a paragraph
        if "](" in text:
            text = _sub_links(text, lambda m: _link(kb, article, m, keep_ids, assets, shown))
        out.extend(_rewrite_lines(kb, article, text.split("\n"), keep_ids, assets))
        index = end
    return "\n".join(out)


def _sub_links(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    """`LINK_PATTERN.sub(replace, text)`, tried only at `!` and `[` (the pattern starts with an
    optional group, so `re` would try it at every character of the paragraph)."""
    out: list[str] = []
    pos = tried = 0
    while (start := LINK_START.search(text, tried)) is not None:
        match = LINK_PATTERN.match(text, start.start())
        if match:
            out += (text[pos:match.start()], replace(match))
            pos = tried = match.end()
        else:
            tried = start.start() + 1
    out.append(text[pos:])
    return "".join(out)


def _rewrite_lines(kb: KnowledgeBase, article: Article, lines: list[str], keep_ids: set[str], assets: set[str]) -> list[str]:
    """Reference definitions of hidden articles dropped (`[text][ref]` then renders as its text),
    raw HTML links to them emptied."""
    out: list[str] = []
    skip = -1
    for index, line in enumerate(lines):
        if index == skip:
            continue
        if "]:" in line and "](" not in line:
            ref = REF_DEF_PATTERN.match(line)
            if ref and _target_hidden(kb, article, ref.group(2).partition("#")[0], keep_ids, assets):
                continue
            target = REF_TARGET_PATTERN.match(lines[index + 1]) if index + 1 < len(lines) and REF_OPEN_PATTERN.match(line) else None
            if target and _target_hidden(kb, article, target.group(1).partition("#")[0], keep_ids, assets):
                skip = index + 1  # the target is on the next line
                continue
        if "<" in line:  # raw HTML: a link to an article this site leaves out goes nowhere, nameless
            line = _HTML_REF.sub(lambda m: m.group(1) + m.group(2) + "#" if _target_hidden(
                kb, article, m.group(3), keep_ids, assets) else m.group(0), line)
        out.append(line)
    return out


def _link(kb: KnowledgeBase, article: Article, match: re.Match[str], keep_ids: set[str], assets: set[str],
          shown: dict[str, Article] | None) -> str:
    target, hash_mark, anchor = match.group(3).partition("#")
    # unescaped first: Python-Markdown reads `x.md\#why` as `x.md#why`
    if _target_hidden(kb, article, unescaped(match.group(3)).partition("#")[0], keep_ids, assets):
        return match.group(2)
    staged = _restaged_target(kb, article, target) if kb.config.layout == "folder" and target else target
    if shown is not None and target and anchor:
        anchor = _translated_anchor(kb, article, target, anchor, shown)
        hash_mark = "#" if anchor else ""
    written = staged + hash_mark + anchor
    if written == match.group(3):
        return match.group(0)
    start = match.start(3) - match.start()
    return match.group(0)[:start] + written + match.group(0)[start + len(match.group(3)):]


def _restaged_target(kb: KnowledgeBase, article: Article, target: str) -> str:
    """A link from a language folder to a file that is elsewhere once staged (another language's
    folder, or the docs root) is rewritten to where that file is staged."""
    found = kb.resolve(article, Link(target, "", 0, 0))
    if found.status != OK:
        return target
    here = posixpath.dirname(staged_path(article.rel, kb.config, False))
    there = staged_path(posixpath.normpath(found.rel), kb.config, False)
    if posixpath.normpath(posixpath.join(here, target)) == there:
        return target
    return posixpath.relpath(there, here or ".")


def _translated_anchor(kb: KnowledgeBase, article: Article, target: str, anchor: str, shown: dict[str, Article]) -> str:
    """The anchor of `target#anchor` on a page shown in another language: that language's site links
    the target's translation, which has the section under its translated name (`section_names`);
    "" (the top of the page) when it has no such heading."""
    found = kb.resolve(article, Link(link_path(target), "", 0, 0)).article
    translation = shown.get(found.id) if found is not None else None
    if found is None or translation is None or translation is found:
        return anchor
    theirs = translation.scan.headings if translation.scan else ()
    if any(heading.anchor == anchor for heading in theirs):
        return anchor
    ours = next((heading for heading in found.scan.headings if heading.anchor == anchor), None) if found.scan else None
    name = kb.config.section_name(ours.text, translation.lang) if ours else None
    return next((heading.anchor for heading in theirs if heading.text == name), "")


def _target_hidden(kb: KnowledgeBase, article: Article, target: str, keep_ids: set[str], assets: set[str]) -> bool:
    """True for a link to an article this site leaves out; records linked non-Markdown files."""
    if not target:
        return False
    found = kb.resolve(article, Link(link_path(target), "", 0, 0))
    if found.status != OK:
        return False
    if found.rel.endswith(".md"):
        return found.article is None or found.article.id not in keep_ids
    assets.add(posixpath.normpath(found.rel))
    return False


def _all_assets(docs_dir: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(docs_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.endswith(".md") and not name.startswith("."):
                found.append(Path(folder, name).relative_to(docs_dir).as_posix())
    return found


def _unique(articles: Any) -> list[Article]:
    seen: dict[int, Article] = {}
    for article in articles:
        seen.setdefault(id(article), article)
    return list(seen.values())


def write(stage_result: Stage, source_docs: Path, generated: dict[str, bytes]) -> None:
    """Make the staged folder hold exactly the staged articles, assets and generated pages.

    Unchanged files are left alone, so `kb serve` only rebuilds what changed.
    """
    docs = stage_result.docs_dir
    wanted: dict[str, bytes | Path] = {**stage_result.files, **generated}
    for rel in stage_result.assets:
        wanted.setdefault(stage_result.asset_paths.get(rel, rel), source_docs / rel)
    docs.mkdir(parents=True, exist_ok=True)
    for folder, dirs, files in os.walk(docs, topdown=False):
        for name in files:
            path = Path(folder, name)
            if path.relative_to(docs).as_posix() not in wanted:
                path.unlink()
        for name in dirs:
            path = Path(folder, name)
            if not any(path.iterdir()):
                path.rmdir()
    for rel, content in wanted.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            if not path.exists() or path.stat().st_size != content.stat().st_size or path.read_bytes() != content.read_bytes():
                shutil.copyfile(content, path)
        elif not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
