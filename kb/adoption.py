"""A config to suggest when a team's front matter is not kb's yet (`ms.date` for `reviewed`).

Lint on an existing repository first reports every key kb does not know, in every article: tens of
thousands of warnings that all say "map your fields". This looks at the keys most articles share
and proposes the `fields:`, `date_formats:` and `extra_fields:` settings that would read them, and
the Markdown extension that renders DocFX alerts (`> [!NOTE]`) when many articles hold them. Once
their types are read, most articles may lack the sections kb's types require (another template):
then it proposes the sections most articles of each type have.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kb.articles import AUDIENCES, STATUSES, Article
from kb.config import DEFAULT_TYPES, Config, TypeConfig

# Date formats teams write, most common first; the first that reads every sampled value wins.
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y")
# Our field -> words a team's key for it often holds (`ms.author`, `last_reviewed`, `description`).
KEY_WORDS = {
    "reviewed": ("reviewed", "review", "date", "updated", "modified"),
    "owner": ("owner", "author", "maintainer", "assignee"),
    "summary": ("description", "summary", "abstract", "excerpt"),
    "type": ("topic", "type", "kind", "category"),
    "tags": ("tags", "keywords", "labels"),
    "product": ("product",),
}
# Their values -> ours, by words they hold (`troubleshooting` -> issue), else DEFAULT_GUESS.
VALUE_WORDS = {
    "type": (("issue", ("troubleshoot", "issue", "problem", "error", "fix")),
             ("procedure", ("how-to", "howto", "procedure", "tutorial", "steps", "task", "quickstart"))),
    "audience": (("public", ("public", "customer", "external", "everyone")),
                 ("internal", ("internal", "agent", "staff", "employee", "private"))),
    "status": (("draft", ("draft", "wip", "progress", "review")),
               ("archived", ("archive", "retired", "deprecated", "obsolete", "old")),
               ("published", ("publish", "live", "active", "current"))),
}
LIST_FIELDS = ("tags",)  # of KEY_WORDS's, the ones kb reads as a list too (the others are text)
DEFAULT_GUESS = {"type": "best-practice", "audience": "internal", "status": "published"}
SHARE = 0.5  # a key in at least half of the readable articles is the team's convention
SAMPLE = 200  # values looked at per key
ALERT_SHARE = 0.1  # DocFX alerts in a tenth of the articles: suggest the extension that renders them
SECTION_SHARE = 0.5  # a type whose articles mostly lack its sections; a heading most of them have
_YAML_WORDS = frozenset("yes no true false on off null y n".split())  # YAML 1.1 reads these as booleans or null


@dataclass
class Suggestion:
    fields: dict[str, str] = field(default_factory=dict)  # our name -> their key
    date_formats: tuple[str, ...] = ()
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # our field -> {their common value: a guess at ours}
    extra_fields: list[str] = field(default_factory=list)  # their other common keys (globs)
    exclude: list[str] = field(default_factory=list)  # folders of fragments (`includes/**`), not articles
    articles: int = 0  # readable articles looked at
    markdown_extensions: list[str] = field(default_factory=list)  # for mkdocs.yml's markdown_extensions
    alerts: int = 0  # readable articles holding DocFX alerts (`> [!NOTE]`)

    def yaml_lines(self) -> list[str]:
        """The settings as lines of the `kb` plugin section in mkdocs.yml."""
        lines = []
        if self.fields:
            lines.append("fields: {" + ", ".join(f"{ours}: {_scalar(theirs)}" for ours, theirs in self.fields.items()) + "}")
        if self.date_formats:
            lines.append("date_formats: [" + ", ".join(f'"{fmt}"' for fmt in self.date_formats) + "]")
        if self.values:
            mappings = (f"{name}: {{" + ", ".join(f"{_scalar(theirs)}: {ours}" for theirs, ours in table.items()) + "}"
                        for name, table in self.values.items())
            lines.append("values: {" + ", ".join(mappings) + "}")
        if self.extra_fields:
            lines.append("extra_fields: [" + ", ".join(_scalar(key, always=True) for key in self.extra_fields) + "]")
        if self.exclude:
            lines.append("exclude: [" + ", ".join(_scalar(pattern, always=True) for pattern in self.exclude) + "]")
        return lines


def suggest(articles: list[Article], config: Config) -> Suggestion:
    """What to add to the config so that the keys most articles share are read or known."""
    readable = [article for article in articles if article.readable]
    result = Suggestion(articles=len(readable))
    known = config.known_keys
    counts = Counter(key for article in readable for key in article.meta if key not in known
                     and not any(fnmatch.fnmatchcase(key, pattern) for pattern in config.extra_fields))
    common = [key for key, count in counts.most_common() if count >= SHARE * len(readable)]
    for ours, words in KEY_WORDS.items():
        if any(config.key(ours) in article.meta for article in readable[:SAMPLE]):
            continue  # the field is already there (or mapped)
        values_of = {key: [article.meta[key] for article in readable if key in article.meta][:SAMPLE] for key in common
                     if key not in result.fields.values() and any(word in key.lower() for word in words)}
        for key, values in sorted(values_of.items(), key=lambda item: -counts[item[0]]):
            if ours == "reviewed":
                formats = _date_formats(values)
                if formats is None:
                    continue
                result.date_formats = formats
            elif not all(isinstance(value, str) or (ours in LIST_FIELDS and isinstance(value, list)) for value in values):
                continue  # kb would say `must be text` in every article (KB007)
            result.fields[ours] = key
            break
    for ours in ("type", "audience", "status"):
        table = _value_guesses(readable, ours, result.fields.get(ours, config.key(ours)), config)
        if table:
            result.values[ours] = table
    mapped = set(result.fields.values())
    result.extra_fields = _globbed([key for key in common if key not in mapped])
    result.exclude = _fragment_folders(articles, config)
    result.alerts = sum(1 for article in readable if article.scan and any(mark.construct == "alert" for mark in article.scan.docfx))
    if result.alerts and result.alerts >= ALERT_SHARE * len(readable) and not config.github_callouts:
        result.markdown_extensions.append("github-callouts")  # markdown-callouts, a dependency of kb
    return result


def sections(articles: list[Article], config: Config, lacking: set[str]) -> dict[str, list[tuple[str, float]]]:
    """For each type most of whose articles are in `lacking` (rels of articles without a section
    their type requires) and have a section it does not require, the level-2 headings most of its
    articles have, in their usual order, with the share of its articles that have each: the team's
    own template, to write as the type's `sections`. A type whose articles have no other common
    section is kb's template, not followed: no proposal. Articles in other languages than the
    default one are left out (their headings are translated)."""
    by_type: dict[str, list[Article]] = {}
    for article in articles:
        if article.readable and article.scan and article.type in config.types and article.lang == config.default_lang:
            by_type.setdefault(article.type, []).append(article)
    found: dict[str, list[tuple[str, float]]] = {}
    for name, of_type in sorted(by_type.items()):
        if not config.types[name].sections or sum(article.rel in lacking for article in of_type) < SECTION_SHARE * len(of_type):
            continue
        counts: Counter[str] = Counter()
        places: dict[str, float] = {}
        spelled: dict[str, Counter[str]] = {}
        for article in of_type:
            headings = article.scan.headings if article.scan else ()
            texts = list(dict.fromkeys(heading.text for heading in headings if heading.level == 2 and heading.text))
            for place, text in enumerate(texts):
                key = text.casefold()
                counts[key] += 1
                places[key] = places.get(key, 0.0) + place / len(texts)
                spelled.setdefault(key, Counter())[text] += 1
        common = [key for key, count in counts.items() if count >= SECTION_SHARE * len(of_type)]
        required = {section.casefold() for section in config.types[name].sections}
        if all(key in required for key in common):
            continue  # kb's template, only not followed everywhere: the missing sections are to write
        common.sort(key=lambda key: places[key] / counts[key])
        found[name] = [(spelled[key].most_common(1)[0][0], counts[key] / len(of_type)) for key in common]
    return found


def types_line(config: Config, sections_of: dict[str, list[tuple[str, float]]]) -> str:
    """`types:` for the kb section with `sections_of` in place, every other type and setting as
    configured (a `types:` setting names every type there is)."""
    parts = []
    for name, type_config in config.types.items():
        sections = tuple(heading for heading, _ in sections_of[name]) if name in sections_of else type_config.sections
        parts.append(f"{_scalar(name)}: {{{', '.join(_type_settings(type_config, sections))}}}")
    return "types: {" + ", ".join(parts) + "}"


def _type_settings(type_config: TypeConfig, sections: tuple[str, ...]) -> list[str]:
    base = DEFAULT_TYPES.get(type_config.name, TypeConfig(type_config.name))
    settings = []
    if sections != base.sections:
        settings.append("sections: [" + ", ".join(_scalar(section) for section in sections) + "]")
    if type_config.ordered_list_in != base.ordered_list_in:
        settings.append(f"ordered_list_in: {_scalar(type_config.ordered_list_in) if type_config.ordered_list_in else 'null'}")
    if type_config.review_every is not None:
        settings.append(f"review_every: {type_config.review_every}")
    return settings


def _fragment_folders(articles: list[Article], config: Config) -> list[str]:
    """Folders whose every file lacks the title most articles have (DocFX's `includes/`, pulled into
    articles, with no or a partial front matter), as `exclude` patterns: `includes/**`. In the folder
    layout, without the language folder, as `exclude` matches inside each one."""
    title = config.key("title")
    titled = [_docs_path(article, config) for article in articles if title in article.meta]
    if len(titled) < SHARE * len(articles):
        return []  # their title is under another key: every folder would look like fragments
    folders = {posixpath.dirname(_docs_path(article, config)) for article in articles if title not in article.meta}
    fragments = {folder for folder in folders if folder and not any(rel.startswith(folder + "/") for rel in titled)}
    return [f"{folder}/**" for folder in sorted(fragments)
            if not any(folder.startswith(other + "/") for other in fragments)]


def _docs_path(article: Article, config: Config) -> str:
    first, _, rest = article.rel.partition("/")
    return rest if config.layout == "folder" and rest and first in config.languages else article.rel


def _value_guesses(articles: list[Article], name: str, key: str, config: Config) -> dict[str, str]:
    """Their most common values of `key` that are not ours for `name`, each with a guess at ours:
    by the words they hold; else `best-practice`, `internal` (never publish by guess) or `published`."""
    allowed = {"type": tuple(config.types), "audience": AUDIENCES, "status": STATUSES}[name]
    mapped = config.values.get(name, {})
    counts = Counter(value for article in articles if isinstance(value := article.meta.get(key), str)
                     and value not in allowed and value not in mapped)
    if sum(counts.values()) < SHARE * len(articles):
        return {}
    guesses = {}
    for value, _ in counts.most_common(8):
        words = value.lower()
        guess = next((ours for ours, hints in VALUE_WORDS.get(name, ()) if any(hint in words for hint in hints)), None)
        guesses[value] = guess if guess in allowed else DEFAULT_GUESS.get(name, allowed[0])
    return guesses


def _date_formats(values: list[Any]) -> tuple[str, ...] | None:
    """The first of DATE_FORMATS that reads every value, as a one-format tuple; None when none does."""
    texts = [value.isoformat() if hasattr(value, "isoformat") else str(value).strip() for value in values]
    if not texts:
        return None
    for fmt in DATE_FORMATS:
        if all(_reads(text, fmt) for text in texts):
            return (fmt,)
    return None


def _reads(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def _globbed(keys: list[str]) -> list[str]:
    """`ms.date`, `ms.topic`, `ms.service` -> `ms.*`: keys sharing a dotted prefix as one glob."""
    prefixes = Counter(key.split(".", 1)[0] for key in keys if "." in key)
    result: list[str] = []
    for key in keys:
        prefix = key.split(".", 1)[0]
        entry = f"{_glob_literal(prefix)}.*" if "." in key and prefixes[prefix] > 1 else _glob_literal(key)
        if entry not in result:
            result.append(entry)
    return result


def _glob_literal(key: str) -> str:
    """`key` as an extra_fields pattern that matches just it: `a [b]` as a glob matches `a b` only."""
    return re.sub(r"([\[*?])", r"[\1]", key)


def _scalar(text: str, always: bool = False) -> str:
    """`text` as a YAML flow scalar: bare when plainly safe, else double-quoted (also a word YAML
    reads as a boolean or null: a value `yes` would be the key `True`)."""
    if not always and re.fullmatch(r"[A-Za-z][\w.|-]*", text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar
