"""The one config: the `kb` plugin's section of mkdocs.yml, its defaults, and finding and reading
mkdocs.yml (INHERIT, !ENV) as MkDocs does. kb.config_schema validates the section.

Every problem is reported at once, naming the key (`plugins.kb.due_soon: expected a duration ...`);
unknown keys are warnings. An empty section gives a working config.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from kb import yamlload
from kb.durations import Duration
from kb.exceptions import ConfigError

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
SEVERITIES = ("error", "warning", "info", "ignore")
# Our field names; `fields:` in config maps any of them to the team's own key.
ARTICLE_FIELDS = (
    "title", "type", "owner", "reviewed", "review_every", "audience", "status", "superseded_by",
    "id", "lang", "tags", "product", "summary", "related", "kb_ignore",
)


@dataclass(frozen=True)
class Owner:
    """A person or team on the roster. Name and e-mail never reach the public site."""

    handle: str
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class TypeConfig:
    """An article type: the `##` sections it needs and how often it is reviewed."""

    name: str
    sections: tuple[str, ...] = ()
    ordered_list_in: str | None = None  # a section that must hold a numbered list
    review_every: Duration | None = None  # as configured: before the folder's and the global one
    built_in_every: Duration | None = None  # issue 6m, ...: only when nothing else is configured


DEFAULT_TYPES = {
    "issue": TypeConfig("issue", ("Symptoms", "Cause", "Resolution"), None, None, Duration(6, "m")),
    "procedure": TypeConfig("procedure", ("Steps",), "Steps", None, Duration(6, "m")),
    "best-practice": TypeConfig("best-practice", (), None, None, Duration(1, "y")),
}
DEFAULT_REVIEW_EVERY = Duration(6, "m")  # when neither the article, its type, folder nor config says


@dataclass(frozen=True)
class SearchConfig:
    """Settings of `kb index` and `kb search`."""

    index_dir: str = ".kb/index"
    query_log: bool = True
    query_log_file: str = ".kb/queries.jsonl"
    synonyms: tuple[tuple[str, ...], ...] = ()
    synonyms_file: str | None = None
    indonesian_stemmer: str = "snowball"  # or "sastrawi" (opt-in extra, CC-BY-NC-SA dictionary)


@dataclass(frozen=True)
class SiteConfig:
    """Settings of `kb build`."""

    public_dir: str = "site/public"
    internal_dir: str = "site/internal"
    public_url: str | None = None
    internal_url: str | None = None


@dataclass(frozen=True)
class Titles:
    """What the sites call top-level folders and products: name -> {lang: title}, "" for every
    language; and the sites themselves per language (`site`: {lang: name}, else site_name)."""

    folders: dict[str, dict[str, str]] = field(default_factory=dict)
    products: dict[str, dict[str, str]] = field(default_factory=dict)
    site: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """Everything kb needs to know about one knowledge base."""

    root: Path  # the folder holding mkdocs.yml; relative settings are relative to it
    docs_dir: Path
    config_file: Path | None = None
    site_name: str = "Knowledge base"
    nav_paths: frozenset[str] = frozenset()  # docs-relative paths listed in mkdocs.yml `nav`
    # The toc extension's `slugify` from mkdocs.yml markdown_extensions (None: Python-Markdown's
    # default), as (module.name, call it?, args, kwds items), and its separator.
    toc_slugify: tuple[str, bool, tuple[Any, ...], tuple[tuple[str, Any], ...]] | None = None
    toc_separator: str = "-"
    attr_list: bool = True  # the attr_list extension is on: `## Fix {#fix}` has the anchor `fix`
    github_callouts: bool = False  # markdown-callouts' github-callouts is on: `> [!NOTE]` is an admonition
    directory_urls: bool = True  # mkdocs.yml use_directory_urls: `a/b.md` is the page `a/b/`
    # mkdocs.yml validation.links.absolute_links is `relative_to_docs`: MkDocs reads `/a/b.md` in an
    # article as the docs folder's `a/b.md` and rewrites it like a relative link.
    root_links_to_docs: bool = False
    default_lang: str = "en"
    languages: tuple[str, ...] = ("en",)
    layout: str = "suffix"  # translations as `name.<lang>.md` (suffix) or `<lang>/name.md` (folder)
    review_every: Duration | None = None  # the configured global interval (see freshness.interval)
    due_soon: Duration = Duration(14, "d")
    types: dict[str, TypeConfig] = field(default_factory=lambda: dict(DEFAULT_TYPES))
    folders: dict[str, Duration] = field(default_factory=dict)  # folder -> review_every
    section_names: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> {Symptoms: Gejala}
    titles: Titles = field(default_factory=Titles)
    owners: dict[str, Owner] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # our name -> key in the front matter
    defaults: dict[str, Any] = field(default_factory=dict)  # our name -> value when the field is absent
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # our name -> {their value: ours}
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    extra_fields: tuple[str, ...] = ()  # glob patterns of front-matter keys that are not unknown
    exclude: tuple[str, ...] = ()  # docs-relative glob patterns of Markdown files that are not articles
    rules: dict[str, str] = field(default_factory=dict)  # code or name -> error|warning|info|ignore
    max_file_kb: int = 1024
    cache: bool = True
    search: SearchConfig = field(default_factory=SearchConfig)
    site: SiteConfig = field(default_factory=SiteConfig)
    warnings: tuple[str, ...] = ()

    def key(self, name: str) -> str:
        """The front-matter key that holds our field `name`."""
        return self.fields.get(name, name)

    @functools.cached_property
    def known_keys(self) -> frozenset[str]:
        """Front-matter keys kb understands, after mapping through `fields:`."""
        return frozenset(self.key(name) for name in ARTICLE_FIELDS)

    def path(self, setting: str) -> Path:
        """A path setting resolved against the config's folder."""
        return (self.root / setting).resolve()

    def localized(self, base: str, lang: str) -> str:
        """The docs-relative file of article `base` (an id-like path) in `lang`."""
        if self.layout == "folder":
            return f"{lang}/{base}.md"
        return f"{base}.md" if lang == self.default_lang else f"{base}.{lang}.md"

    def anchor_slug(self) -> Callable[[str], str] | None:
        """The function that makes heading anchors, when mkdocs.yml sets one (else None: the default)."""
        if self.toc_slugify is None and self.toc_separator == "-":
            return None
        return _anchor_slug(self.toc_slugify, self.toc_separator)

    def site_title(self, lang: str) -> str:
        """What the sites call themselves in `lang`: `titles.site`, else site_name."""
        return self.titles.site.get(lang) or self.titles.site.get("") or self.site_name

    def section_name(self, section: str, lang: str) -> str:
        """The heading text of a required section in a language (`Symptoms` -> `Gejala`)."""
        return self.section_names.get(lang, {}).get(section, section)


# --- locating and reading -------------------------------------------------------------------


def find_config_file(start: Path) -> Path | None:
    """mkdocs.yml in `start` or the nearest parent folder."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def load_config(config_file: Path | None = None, cwd: Path | None = None) -> Config:
    """Read and validate the config: `config_file`, or mkdocs.yml in `cwd` or the nearest parent."""
    cwd = cwd or Path.cwd()
    if config_file is None:
        config_file = find_config_file(cwd)
        if config_file is None:
            raise ConfigError(f"no mkdocs.yml in {cwd} or any folder above it; run kb inside your knowledge "
                              "base (the folder holding mkdocs.yml, with docs_dir and a 'kb' plugin section) "
                              "or pass --config")
    elif not config_file.exists():
        raise ConfigError(f"{config_file}: no such config file")
    elif not config_file.is_file():
        raise ConfigError(f"{config_file}: not a file; --config takes the path of a mkdocs.yml")
    notes: list[str] = []  # keys set twice
    parents: list[Path] = []  # the files INHERITed from, nearest first
    data = read_mkdocs(config_file, notes=notes, parents=parents)
    sources = f" (settings come from {config_file.name} and, through INHERIT, {', '.join(map(str, parents))})" if parents else ""
    try:
        config = parse_config(data, config_file)
    except ConfigError as error:
        extra = "".join(f"\n  (warning) {note}" for note in notes) + (f"\n {sources}" if sources else "")
        raise ConfigError(f"{error}{extra}") from None
    warnings = tuple(warning + sources for warning in config.warnings) + tuple(notes)
    return dataclasses.replace(config, warnings=warnings) if warnings != config.warnings else config


def read_mkdocs(config_file: Path, seen: tuple[Path, ...] = (), notes: list[str] | None = None,
                parents: list[Path] | None = None) -> dict[str, Any]:
    """A mkdocs.yml's values with `!ENV` read and `INHERIT` followed as MkDocs does: the parent's
    values deep-merged under the file's own (mappings merged key by key, anything else replaced).
    Keys set twice in a file are added to `notes` (the last value wins, as in MkDocs), and the
    files INHERITed from to `parents`."""
    try:
        text = config_file.read_text(encoding="utf-8-sig")
        data = yamlload.load_mkdocs(text)
        if notes is not None:
            notes.extend(f"{config_file.name}:{line}: '{key}' is set twice; the last value wins"
                         for key, line in yamlload.duplicate_keys(text))
    except OSError as error:
        raise ConfigError(f"{config_file}: cannot read it: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{config_file}: not valid UTF-8 ({error.reason})") from None
    except yaml.YAMLError as error:
        line, column, reason = yamlload.error_line(error)
        raise ConfigError(f"{config_file}:{line}:{column}: invalid YAML: {reason}") from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(f"{config_file}: expected 'key: value' settings at the top level, got {type(data).__name__}")
    parent = data.pop("INHERIT", None)
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent:
        raise ConfigError(f"{config_file}: INHERIT: expected the path of another config file, got {parent!r}")
    parent_file = (config_file.parent / parent).resolve()
    if parent_file in seen or parent_file == config_file.resolve():
        raise ConfigError(f"{config_file}: INHERIT: '{parent}' inherits back from this file")
    if not parent_file.is_file():
        what = "is a folder, not a config file" if parent_file.is_dir() else "does not exist"
        raise ConfigError(f"{config_file}: INHERIT: '{parent}' ({parent_file}) {what}")
    if parents is not None:
        parents.append(parent_file)
    return _merged(read_mkdocs(parent_file, (*seen, config_file.resolve()), notes, parents), data)


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def plugin_section(data: dict[str, Any]) -> Any:
    """The `kb` entry of `plugins:`, which may be a list of names and mappings or a mapping."""
    sections = _plugin_sections(data)
    return sections[0] if sections else {}


def _plugin_sections(data: dict[str, Any]) -> list[Any]:
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):
        return [plugins["kb"] or {}] if "kb" in plugins else []
    found: list[Any] = []
    for entry in plugins if isinstance(plugins, list) else []:
        if entry == "kb":
            found.append({})
        elif isinstance(entry, dict) and "kb" in entry:
            found.append(entry["kb"] or {})
    return found


def nav_paths(nav: Any, root_to_docs: bool = False) -> frozenset[str]:
    """Docs-relative Markdown paths named anywhere in a mkdocs `nav` (with `root_to_docs`, also
    those written from the docs folder's root: `/payments/refunds.md`)."""
    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, str) and item.endswith(".md"):
            found.add(item[1:] if root_to_docs and item.startswith("/") else item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav)
    return frozenset(found)


def parse_config(data: dict[str, Any], config_file: Path, check_docs_dir: bool = True) -> Config:
    """Validate the kb section of an already loaded mkdocs.yml (and its docs_dir, unless MkDocs
    itself does: the plugin)."""
    root = config_file.parent.resolve()
    sections = _plugin_sections(data)
    section = sections[0] if sections else {}
    problems: list[str] = []
    warnings: list[str] = []
    if len(sections) > 1:
        problems.append(f"plugins: 'kb' is listed {len(sections)} times; keep one entry")
    if not isinstance(section, dict):
        raise ConfigError(f"{config_file}: plugins.kb: expected 'key: value' settings, got {section!r}")
    from kb.config_schema import Validator  # it imports this module's dataclasses

    values = Validator(problems, warnings).section({key: value for key, value in section.items() if value is not None})
    docs_value = data.get("docs_dir")  # None too when an `!ENV` variable is unset: MkDocs' default then
    docs_dir = _docs_dir("docs" if docs_value is None else docs_value, root, problems if check_docs_dir else [])
    toc = _toc_settings(data.get("markdown_extensions"), problems)
    root_links_to_docs = _absolute_links(data.get("validation"), "links", problems)
    nav_root_to_docs = _absolute_links(data.get("validation"), "nav", problems)
    toc["attr_list"] = _extension_on(data.get("markdown_extensions"), "attr_list")
    toc["github_callouts"] = any(_extension_on(data.get("markdown_extensions"), name) for name in ("github-callouts", "markdown_callouts.github_callouts"))
    if check_docs_dir and docs_dir.is_dir():
        languages = values.get("languages", ())
        for folder in values.get("folders", {}):
            if not _folder_exists(folder, docs_dir, languages):
                warnings.append(f"plugins.kb.folders.{folder}: no such folder in {docs_dir.name}/; this review_every applies to nothing")
        warnings += _unshown_folder_titles(values.get("titles"), docs_dir, languages)
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems)
        listed += "".join(f"\n  (warning) {warning}" for warning in warnings)  # a typo may be the cause
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigError(f"{config_file}: {count} in the config:\n{listed}")
    return Config(
        root=root,
        docs_dir=docs_dir,
        config_file=config_file,
        site_name=str(data.get("site_name") or "Knowledge base"),
        nav_paths=nav_paths(data.get("nav"), nav_root_to_docs),
        directory_urls=data.get("use_directory_urls") is not False,
        root_links_to_docs=root_links_to_docs,
        **toc,
        warnings=tuple(f"{config_file.name}: {warning}" for warning in warnings),
        **values,
    )


def _unshown_folder_titles(titles: Titles | None, docs_dir: Path, languages: tuple[str, ...]) -> list[str]:
    """Titles of folders that have no page on the sites: only top-level folders do."""
    found = []
    for folder in titles.folders if titles else ():
        where = f"plugins.kb.titles.folders.{folder}"
        if "/" in folder:
            found.append(f"{where}: only top-level folders have a page on the sites; this title is never shown")
        elif not _folder_exists(folder, docs_dir, languages):
            found.append(f"{where}: no such folder in {docs_dir.name}/; this title is never shown")
    return found


def _folder_exists(folder: str, docs_dir: Path, languages: tuple[str, ...]) -> bool:
    """Whether the docs folder has `folder`, or a language folder has it (the folder layout)."""
    return any((base / folder).is_dir() for base in (docs_dir, *(docs_dir / lang for lang in languages)))


ABSOLUTE_LINKS = ("warn", "info", "ignore", "relative_to_docs")  # MkDocs 1.6's values


def _absolute_links(validation: Any, kind: str, problems: list[str]) -> bool:
    """Whether mkdocs.yml's `validation.<kind>.absolute_links` (kind: links or nav), or the shorthand
    `validation.absolute_links` that MkDocs copies into both, is `relative_to_docs`."""
    if not isinstance(validation, dict):
        return False
    section = validation.get(kind)
    if isinstance(section, dict) and "absolute_links" in section:
        key, value = f"validation.{kind}.absolute_links", section["absolute_links"]
    elif "absolute_links" in validation:
        key, value = "validation.absolute_links", validation["absolute_links"]
    else:
        return False
    problem = f"{key}: expected one of {', '.join(ABSOLUTE_LINKS)}, got {value!r}"
    if value not in ABSOLUTE_LINKS and problem not in problems:  # the shorthand is read for both kinds
        problems.append(problem)
    return value == "relative_to_docs"


def _extension_on(extensions: Any, name: str) -> bool:
    """Whether `markdown_extensions` (a list of names and {name: options}, or a mapping) holds `name`."""
    if isinstance(extensions, dict):
        names = list(extensions)
    elif isinstance(extensions, list):
        names = [next(iter(entry)) if isinstance(entry, dict) and entry else entry for entry in extensions]
    else:
        names = []
    return any(entry in (name, f"markdown.extensions.{name}") for entry in names)


def _toc_settings(extensions: Any, problems: list[str]) -> dict[str, Any]:
    """`slugify` and `separator` of the toc extension in mkdocs.yml, so heading anchors are checked
    as the site makes them (`!!python/name:markdown.extensions.toc.slugify_unicode`,
    `!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}`)."""
    items = extensions.items() if isinstance(extensions, dict) else (
        next(iter(entry.items())) if isinstance(entry, dict) and len(entry) == 1 else (entry, None)
        for entry in (extensions if isinstance(extensions, list) else []))
    options = next((opts for name, opts in items if name in ("toc", "markdown.extensions.toc")), None)
    if not isinstance(options, dict):
        return {}
    settings: dict[str, Any] = {}
    separator = options.get("separator")
    if isinstance(separator, str):
        settings["toc_separator"] = separator
    elif separator is not None:
        problems.append(f"markdown_extensions.toc.separator: expected text such as '-', got {separator!r}")
    function = options.get("slugify")
    if isinstance(function, yamlload.Reference):
        settings["toc_slugify"] = (function.name, function.call, function.args, tuple(sorted(function.kwds.items())))
    elif function is not None:
        problems.append(f"markdown_extensions.toc.slugify: expected !!python/name:... or !!python/object/apply:..., got {function!r}")
        return settings
    if not settings:
        return settings  # Python-Markdown's defaults: nothing to import (20 ms of every run)
    try:
        made = _anchor_slug(settings.get("toc_slugify"), settings.get("toc_separator", "-"))("A heading")
        if not isinstance(made, str):
            raise TypeError(f"it returned {made!r}, not text")
    except Exception as error:  # noqa: BLE001 - any import or call failure is the config's problem
        problems.append(f"markdown_extensions.toc.slugify: cannot use {function.name if function else 'it'} "
                        f"as slugify(text, separator): {error}")
    return settings


@functools.lru_cache(maxsize=8)
def _anchor_slug(spec: tuple[str, bool, tuple[Any, ...], tuple[tuple[str, Any], ...]] | None, separator: str) -> Callable[[str], str]:
    """The toc slugify of `spec` (imported as MkDocs would), bound to `separator`."""
    if spec is None:
        from markdown.extensions.toc import slugify as function
    else:
        name, call, args, kwds = spec
        module, _, attribute = name.rpartition(".")
        function = getattr(importlib.import_module(module), attribute)
        if call:
            function = function(*args, **dict(kwds))
    return lambda text: function(text, separator)


def _docs_dir(value: Any, root: Path, problems: list[str]) -> Path:
    """The docs folder, which must exist below the config's folder (as MkDocs requires)."""
    docs = (root / str(value)).resolve()
    if not isinstance(value, str) or not value.strip():
        problems.append(f"docs_dir: expected the folder of the articles, got {value!r}")
    elif not docs.is_dir():
        what = "is not a folder" if docs.exists() else "does not exist"
        problems.append(f"docs_dir: '{value}' ({docs}) {what}; set docs_dir to the folder that holds the articles")
    elif docs == root or docs in root.parents:
        problems.append(f"docs_dir: '{value}' is the folder of mkdocs.yml or above it; MkDocs needs a folder below it, such as 'content'")
    return docs
