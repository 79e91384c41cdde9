"""The `kb` MkDocs plugin: a thin adapter over the kb library.

- It accepts the whole `kb:` section of mkdocs.yml as it is (the same section configures the `kb`
  CLI) and validates it with `kb.config`, so MkDocs never warns about "unrecognised options".
- It puts kb's view of each article (type, review dates, freshness banner, owner on the internal
  site, archived and translation-fallback notices) into `page.meta["kb"]`, where the theme override
  in `overrides/` renders it. Templates are not indexed by search, so the banners stay out of it.
- It hides nothing: what the public site may show is decided by `kb build`'s staging.

`kb build` adds a `site_build:` mapping (audience, today) to the section of the config it
generates; without it (plain `mkdocs serve`) the plugin renders as for the internal site.
"""

from __future__ import annotations

import dataclasses
import html
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config.base import LegacyConfig, ValidationError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.utils import get_relative_url

from kb.articles import read_article
from kb.atomic import atomic_write_bytes
from kb.config import Config, parse_config
from kb.exceptions import KbError
from kb.freshness import STALE, UNKNOWN, freshness
from kb.knowledge import today_from_env
from kb.site.labels import day, label, language_name, type_name

log = get_plugin_logger(__name__)
OVERRIDES = Path(__file__).parent / "overrides"


class KbPlugin(BasePlugin):  # type: ignore[type-arg]
    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[list[Any], list[Any]]:
        """Validate the `kb:` section with kb's own schema instead of MkDocs config options."""
        raw = dict(options or {})
        self.build_options: dict[str, Any] = raw.pop("site_build", None) or {}
        self.not_found_html = ""
        self.config = LegacyConfig((), config_file_path=config_file_path)
        path = Path(config_file_path) if config_file_path else Path("mkdocs.yml")
        try:
            self.kb_config = parse_config({"plugins": [{"kb": raw}]}, path, check_docs_dir=False)  # MkDocs checks it
        except KbError as error:
            return [("kb", ValidationError(str(error)))], []
        return [], list(self.kb_config.warnings)

    def on_config(self, config: Any) -> Any:
        self.kb: Config = dataclasses.replace(self.kb_config, docs_dir=Path(config.docs_dir).resolve(),
                                              site_name=config.site_name)
        self.audience = str(self.build_options.get("audience") or "internal")
        today = self.build_options.get("today")
        try:
            self.today = date.fromisoformat(str(today)) if today else today_from_env()
        except (ValueError, KbError) as error:
            from mkdocs.exceptions import PluginError

            raise PluginError(f"kb: site_build.today: {error}") from None
        dirs = config.theme.dirs
        if str(OVERRIDES) not in dirs:  # after the user's custom_dir, before the theme's own
            dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        return config

    @event_priority(-110)  # after mkdocs-static-i18n's (-100): its files are this language's, at their URLs
    def on_files(self, files: Any, config: Any) -> Any:
        self.files = files
        return files

    def on_template_context(self, context: Any, /, *, template_name: str, config: Any) -> Any:
        """The 404 page: each language's home page, in its language switcher and in its text.

        It is rendered after every page, so mkdocs-static-i18n's switcher would still hold the links
        of the last page built. Its address is any missing one: MkDocs makes its links absolute.
        """
        if template_name != "404.html":
            return context
        base = str(context.get("base_url") or "/").rstrip("/") + "/"
        homes = {lang: base if lang == self.kb.default_lang else f"{base}{lang}/" for lang in self.kb.languages}
        alternates = config.extra.get("alternate")
        if isinstance(alternates, list):
            links = [{**item, "link": homes[item["lang"]]} if item.get("lang") in homes else item
                     for item in alternates if isinstance(item, dict)]
            # mkdocs-static-i18n sets it as an attribute too, which templates read before the key
            config.extra["alternate"] = config.extra.alternate = links
        lang = self._language(config)
        first = sorted(homes.items(), key=lambda item: item[0] != lang)  # this build's language first
        context["kb_not_found"] = [{"lang": code, "text": label("not_found", code), "home": label("go_home", code),
                                    "url": url} for code, url in first]
        context["kb_not_found_title"] = label("not_found_title", lang)
        return context

    def on_post_template(self, output: str, /, *, template_name: str, config: Any) -> str:
        """The site's 404.html is the default language's; each other language's is `<lang>/404.html`.

        mkdocs-static-i18n builds each other language into the same site folder after the default
        one, and each build writes the site's one 404.html: it gets the default language's again,
        and this build's goes to its language's folder, for hosts that serve the nearest 404.html."""
        if template_name != "404.html":
            return output
        lang = self._language(config)
        if lang == self.kb.default_lang:
            self.not_found_html = output
        elif lang in self.kb.languages:
            folder = Path(config.site_dir) / lang
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(folder / "404.html", output.encode("utf-8"))
        return self.not_found_html or output

    def _language(self, config: Any) -> str:
        """The language mkdocs-static-i18n is building (the default one without it)."""
        i18n = config.plugins.get("i18n")
        return str(getattr(i18n, "current_language", None) or config.theme.get("language") or self.kb.default_lang)

    def on_page_context(self, context: Any, /, *, page: Any, config: Any, nav: Any) -> Any:
        meta = page.meta or {}
        if meta.get("kb_generated") or not page.file.abs_src_path:
            return context
        article = read_article(Path(page.file.abs_src_path), self.kb)
        if article.readable:
            page.meta["kb"] = self.describe(article, meta, page)
        return context

    def describe(self, article: Any, meta: dict[str, Any], page: Any) -> dict[str, str]:
        """What the template shows for one article, in the article's language."""
        lang = article.lang
        state = freshness(article, self.kb, self.today)
        internal = self.audience != "public"
        info = {
            "type": type_name(article.type, lang),
            "state": state.state,
            "reviewed": label("last_reviewed", lang, date=day(state.reviewed)) if state.reviewed else label("never_reviewed", lang),
            "due": label("next_due", lang, date=day(state.due)) if state.due else "",
            "banner": "",
        }
        owner = self.kb.owners.get(article.owner or "") if internal else None
        owner_text = (owner.name if owner and owner.name else article.owner) or label("unowned", lang)
        if internal:
            info["owner_label"] = label("owner", lang)
            info["owner"] = owner_text
            info["owner_email"] = owner.email if owner else ""
        if state.state == STALE and state.reviewed:
            days = (self.today - state.reviewed).days
            key = "stale_internal" if internal else "stale_public"
            info["banner"] = label(key, lang, days=days, days_overdue=state.days_overdue, owner=owner_text)
        elif state.state == UNKNOWN:
            info["banner"] = label("stale_unknown", lang)
        status = meta.get("kb_status")
        if status == "draft":
            info["draft"] = label("draft", lang)
        if status == "archived":
            info["archived_html"] = self.archived(article, page)
        fallback = meta.get("kb_fallback")
        if fallback:
            info["fallback"] = label("fallback", lang, language=language_name(lang, lang), source=language_name(str(fallback), lang))
            info["content_lang"] = str(fallback)
        return info

    def archived(self, article: Any, page: Any) -> str:
        target = article.superseded_by
        found = None
        for rel in ((f"{target}.{article.lang}.md", f"{target}.md") if target else ()):
            found = self.files.get_file_from_path(rel)
            if found is not None:
                break
        if found is None:
            return html.escape(label("archived_plain", article.lang))
        title = read_article(Path(found.abs_src_path), self.kb).title or target
        url = get_relative_url(found.url, page.url)
        link = f'<a href="{html.escape(url)}">{html.escape(title or "")}</a>'
        text = html.escape(label("archived", article.lang, link="\0"))
        return text.replace("\0", link)
