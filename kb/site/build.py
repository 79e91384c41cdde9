"""`kb build`: stage each audience's docs folder, generate its MkDocs config, build, check for leaks.

The generated config `INHERIT`s the team's mkdocs.yml and overrides docs_dir (the staged folder),
site_dir, nav (sections and index pages only), the theme's fonts (off) and the plugins list
(the team's plugins, plus `kb` and `i18n` configured for the audience). On the public build the
`kb` section goes without the owners roster (and `titles`), so no owner data is even loaded there.

`build_sites` runs the MkDocs builds of several sites at once, one forked process each (MkDocs is
single-threaded; the two sites then take about as long as the bigger one).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kb.config import Config, plugin_section, read_mkdocs
from kb.exceptions import SiteBuildError
from kb.knowledge import KnowledgeBase, load
from kb.site import leaks, pages, search_split
from kb.site.labels import language_name
from kb.site.stage import INTERNAL, PUBLIC, Stage, stage, write

log = logging.getLogger(__name__)
AUDIENCES = (PUBLIC, INTERNAL)
WORK_DIR = ".kb/site-build"


@dataclass
class SiteResult:
    """One site built."""

    audience: str
    site_dir: Path
    config_file: Path  # the generated mkdocs config
    articles: int  # article files shown (translations count, fallbacks do not)
    pages: int  # HTML pages written
    seconds: float
    leaks: list[leaks.Leak] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Prepared:
    audience: str
    config_file: Path
    site_dir: Path
    stage: Stage


def site_dir_for(config: Config, audience: str, override: Path | None = None) -> Path:
    if override is not None:
        return override.resolve()
    return config.path(config.site.public_dir if audience == PUBLIC else config.site.internal_dir)


def prepare(kb: KnowledgeBase, audience: str, today: date, *, drafts: bool = False,
            site_dir: Path | None = None, work_dir: Path | None = None) -> Prepared:
    """Write the staged docs folder and the generated mkdocs config of one audience."""
    config = kb.config
    raw = _raw_config(config)
    work = (work_dir or config.path(WORK_DIR)) / audience
    docs = work / "docs"
    extra = tuple(str(item) for key in ("extra_css", "extra_javascript") for item in (raw.get(key) or [])
                  if isinstance(item, str) and "://" not in item)
    staged = stage(kb, audience, docs, drafts=drafts, extra_files=extra)
    generated, nav = pages.generate(staged, config, today)
    write(staged, config.docs_dir, generated)
    out = site_dir_for(config, audience, site_dir)
    if out == docs or docs in out.parents or out in docs.parents:
        raise SiteBuildError(f"site folder {out} overlaps the staging folder {docs}; choose another site folder")
    document = generated_config(config, raw, audience, docs, out, nav, today)
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Prepared(audience, config_file, out, staged)


def _raw_config(config: Config) -> dict[str, Any]:
    if config.config_file is None:
        return {}
    return read_mkdocs(config.config_file)  # INHERIT followed: the generated config replaces `plugins:`


def generated_config(config: Config, raw: dict[str, Any], audience: str, docs: Path, out: Path,
                     nav: list[str], today: date) -> dict[str, Any]:
    """The mkdocs config of one site, inheriting the team's mkdocs.yml."""
    section = dict(plugin_section(raw) or {})
    if audience == PUBLIC:
        section.pop("owners", None)  # never hand names and e-mail addresses to the public build
        section.pop("titles", None)  # nor names of folders it may not show (the pages are generated already)
    section["site_build"] = {"audience": audience, "today": today.isoformat()}
    section.pop("layout", None)  # the staged folder is in the suffix layout (kb.site.stage.staged_path)
    plugins: list[Any] = []
    for entry in raw.get("plugins") or ["search"]:
        name = entry if isinstance(entry, str) else next(iter(entry), "") if isinstance(entry, dict) else ""
        if name not in ("kb", "i18n"):
            plugins.append(entry)
    plugins.append({"kb": section})
    if len(config.languages) > 1:
        plugins.append({"i18n": {
            "docs_structure": "suffix",
            "fallback_to_default": True,
            "reconfigure_material": True,
            "reconfigure_search": True,
            "languages": [_i18n_language(lang, config) for lang in config.languages],
        }})
    document: dict[str, Any] = {}
    if config.config_file is not None:
        document["INHERIT"] = str(config.config_file.resolve())
    else:
        document["theme"] = {"name": "material", "font": False}
    url = config.site.public_url if audience == PUBLIC else config.site.internal_url
    document.update({"docs_dir": str(docs), "site_dir": str(out), "nav": nav, "plugins": plugins})
    # The nav lists folders and indexes, never each article: MkDocs's list of pages "not included in
    # the nav" would name every article.
    document["validation"] = {"nav": {"omitted_files": "ignore"}}
    if config.config_file is not None:
        document["theme"] = _theme(raw.get("theme") or {}, config.config_file)
    if url:
        document["site_url"] = url
    document["site_name"] = config.site_title(config.default_lang)  # `titles.site` (each other language: _i18n_language)
    return document


def _i18n_language(lang: str, config: Config) -> dict[str, Any]:
    """mkdocs-static-i18n's settings of a language: its name in the switcher, and the site's name
    in that language (`titles.site`)."""
    return {"locale": lang, "name": language_name(lang), "default": lang == config.default_lang, "build": True,
            "site_name": config.site_title(lang)}


def _theme(theme: Any, config_file: Path) -> dict[str, Any]:
    """The generated config's `theme:`, merged over the team's by INHERIT: fonts off, Material when
    the team names no theme, and a relative `custom_dir` made absolute, since MkDocs resolves it
    against the generated file's folder."""
    if not isinstance(theme, dict):
        return {"name": str(theme), "font": False}
    found: dict[str, Any] = {"font": False}
    if not theme.get("name"):  # a `theme:` mapping without a name stops MkDocs (no default then)
        found["name"] = "material"
    custom = theme.get("custom_dir")
    if isinstance(custom, str) and custom and not Path(custom).is_absolute():
        found["custom_dir"] = str((config_file.parent / custom).resolve())
    return found


def build_site(kb: KnowledgeBase, audience: str, today: date, *, drafts: bool = False,
               site_dir: Path | None = None, work_dir: Path | None = None, check: bool = True,
               strict: bool = False) -> SiteResult:
    """Stage, build with MkDocs and (public) check the output for leaks. Raises SiteBuildError."""
    return build_sites(kb, (audience,), today, drafts=drafts, site_dirs={audience: site_dir}, work_dir=work_dir,
                       check=check, strict=strict)[0]


def build_sites(kb: KnowledgeBase, audiences: tuple[str, ...], today: date, *, drafts: bool = False,
                site_dirs: dict[str, Path | None] | None = None, work_dir: Path | None = None,
                check: bool = True, strict: bool = False, parallel: bool | None = None) -> list[SiteResult]:
    """Build several sites; on two or more cores each MkDocs build runs in its own process, all at once.

    Each site is staged and its build started before the next one is staged, and the public site's
    leak check runs while the internal build goes on. MkDocs's log messages of a build running in its
    own process are passed on to the `mkdocs` loggers here when that build ends. Raises SiteBuildError.
    """
    if parallel is None:
        parallel = len(audiences) > 1 and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()
    started_runs: dict[str, tuple[Prepared, float, _Build | None]] = {}
    # In parallel the internal site (the bigger build) starts first; the public one is staged, built
    # and leak-checked meanwhile. Results keep the order of `audiences`.
    order = sorted(audiences, key=lambda audience: audience != INTERNAL) if parallel else audiences
    try:
        for audience in order:
            started = time.perf_counter()
            prepared = prepare(kb, audience, today, drafts=drafts, site_dir=(site_dirs or {}).get(audience),
                               work_dir=work_dir)
            started_runs[audience] = (prepared, started, _Build(prepared.config_file, strict) if parallel else None)
        runs = [started_runs[audience] for audience in audiences]
        results = []
        for index, (prepared, started, process) in enumerate(runs):
            if process is None:
                run_mkdocs(prepared.config_file, strict=strict)
            else:
                process.wait()
            others_running = any(other is not None and other.running() for _, _, other in runs[index + 1:])
            results.append(_finish(kb, prepared, started, check, workers=1 if others_running else None))
        return results
    finally:
        for _, _, process in started_runs.values():
            if process is not None:
                process.stop()


def _finish(kb: KnowledgeBase, prepared: Prepared, started: float, check: bool, workers: int | None) -> SiteResult:
    if len(kb.config.languages) > 1:  # mkdocs-static-i18n: one search index for every language
        search_split.split(prepared.site_dir, [lang for lang in kb.config.languages if lang != kb.config.default_lang])
    result = SiteResult(prepared.audience, prepared.site_dir, prepared.config_file,
                        articles=len(prepared.stage.articles),
                        pages=sum(1 for _ in prepared.site_dir.rglob("*.html")),
                        seconds=0.0, warnings=list(prepared.stage.warnings))
    if prepared.audience == PUBLIC and check:
        needles = leaks.needles_for(kb, prepared.stage)
        result.leaks = leaks.check_site(prepared.site_dir, needles, workers=workers)
    result.seconds = time.perf_counter() - started
    return result


class _Build:
    """`run_mkdocs` in a forked process; its log records and error come back through a pipe."""

    def __init__(self, config_file: Path, strict: bool) -> None:
        context = multiprocessing.get_context("fork")
        self.config_file = config_file
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_build_in_child, args=(config_file, strict, sender), daemon=True)
        self.process.start()
        sender.close()

    def running(self) -> bool:
        return self.process.is_alive()

    def wait(self) -> None:
        try:
            records, error, crash = self.receiver.recv()
        except EOFError:
            self.process.join()
            raise SiteBuildError(f"the MkDocs build of {self.config_file} stopped (exit code {self.process.exitcode})") from None
        self.process.join()
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        if crash:
            raise RuntimeError(f"the MkDocs build of {self.config_file} crashed:\n{crash}")
        if error:
            raise SiteBuildError(error)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receiver.close()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _build_in_child(config_file: Path, strict: bool, sender: Any) -> None:
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [collect]  # not the parent's handlers: their streams are copies here
    logger.propagate = False
    error = crash = ""
    try:
        run_mkdocs(config_file, strict=strict)
    except SiteBuildError as problem:
        error = str(problem)
    except BaseException:  # a bug, not a user mistake: the parent shows the traceback
        import traceback

        crash = traceback.format_exc()
    sender.send((collect.records, error, crash))
    sender.close()


def run_mkdocs(config_file: Path, strict: bool = False) -> None:
    """MkDocs's own build through its Python API; its errors become SiteBuildError."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        mkdocs_config = load_config(config_file=str(config_file), strict=strict)
        build(mkdocs_config)
    except MkDocsException as error:
        raise SiteBuildError(f"MkDocs could not build {config_file}: {error}") from None
    except SystemExit as error:  # MkDocs aborts with SystemExit on --strict warnings
        raise SiteBuildError(f"MkDocs stopped building {config_file} (exit {error.code}); see the warnings above") from None


def load_kb(config: Config) -> KnowledgeBase:
    """The knowledge base with article bodies (the sites need the text)."""
    return load(config, use_cache=False)


def check_leaks(config: Config, site_dir: Path, kb: KnowledgeBase | None = None) -> list[leaks.Leak]:
    """`kb check-leaks`: the leak check over any folder, against this knowledge base."""
    if not site_dir.is_dir():
        raise SiteBuildError(f"{site_dir}: no such folder")
    kb = kb or load_kb(config)
    public = stage(kb, PUBLIC, site_dir / ".unused")  # computes what may be public; writes nothing
    return leaks.check_site(site_dir, leaks.needles_for(kb, public))
