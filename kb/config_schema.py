"""Validation of the kb section of mkdocs.yml, key by key, collecting every problem at once.

kb.config.parse_config runs it; the README's reference table is checked against `parsers()`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import fields
from datetime import date, datetime
from typing import Any, Callable

from kb.config import ARTICLE_FIELDS, DEFAULT_TYPES, SEVERITIES, Owner, SearchConfig, SiteConfig, Titles, TypeConfig
from kb.durations import Duration, parse_duration

# ISO 639-1: the two-letter language codes. A file suffix is taken for a language only if it is one
# of these (`x.fr.md`, `x.pt-BR.md`), not any short word (`notes.old.md`, `api/`).
ISO_639_1 = frozenset("""
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
    dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id
    ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu
    lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu
    rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr
    ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")  # en, id, pt-BR, zh-Hant
_TIME_DIRECTIVE = re.compile(r"%[HIMSfpzZcXT]")
_SAMPLE_DAYS = (date(2024, 1, 31), date(2031, 12, 5))  # distinct day, month and year digits


def _parses(text: str, fmt: str, expected: date | None = None) -> bool:
    """Whether strptime reads `text` with `fmt` (as `expected`, when given)."""
    try:
        found = datetime.strptime(text, fmt).date()
    except ValueError:
        return False
    return expected is None or found == expected



class Validator:
    """Checks the plugin section key by key, collecting problems instead of stopping at the first."""

    def __init__(self, problems: list[str], warnings: list[str]) -> None:
        self.problems = problems
        self.warnings = warnings

    def fail(self, key: str, message: str) -> None:
        self.problems.append(f"plugins.kb.{key}: {message}")

    def unknown(self, key: str, name: str, known: tuple[str, ...] | list[str]) -> None:
        hint = difflib.get_close_matches(name, known, n=1)
        suffix = f" (did you mean '{hint[0]}'?)" if hint else ""
        self.warnings.append(f"plugins.kb.{key}: unknown key '{name}' is ignored{suffix}")

    def parsers(self) -> dict[str, Callable[[str, Any], Any]]:
        """Every key of the section and the method that checks its value."""
        return {
            "default_lang": self.language,
            "languages": self.languages,
            "layout": self.layout,
            "review_every": self.duration,
            "due_soon": self.duration,
            "types": self.types,
            "folders": self.folders,
            "section_names": self.section_names,
            "titles": self.titles,
            "owners": self.owners,
            "fields": self.field_map,
            "defaults": self.field_defaults,
            "values": self.value_maps,
            "date_formats": self.date_formats,
            "extra_fields": self.text_list,
            "exclude": self.text_list,
            "rules": self.rules,
            "max_file_kb": self.positive_int,
            "cache": self.boolean,
            "search": self.search,
            "site": self.site,
        }

    def section(self, raw: dict[str, Any]) -> dict[str, Any]:
        parsers = self.parsers()
        values: dict[str, Any] = {}
        for name, value in raw.items():
            parser = parsers.get(str(name))
            if parser is None:
                self.unknown(str(name), str(name), list(parsers))
                continue
            parsed = parser(str(name), value)
            if parsed is not None:
                values[str(name)] = parsed
        languages = values.get("languages")
        default = values.get("default_lang") or (languages[0] if languages else "en")
        values["default_lang"] = default
        if languages is not None and default not in languages:
            self.fail("default_lang", f"'{default}' is not one of languages ({', '.join(languages)}); add it there or pick one of them")
        elif languages is None:
            values["languages"] = (default,)
        for lang in values.get("section_names", {}):
            if lang not in values.get("languages", ()):
                self.warnings.append(f"plugins.kb.section_names.{lang}: '{lang}' is not one of languages; these names are never used")
        titles = values.get("titles") or Titles()
        for kind, table in (("folders", titles.folders), ("products", titles.products)):
            for name, names in table.items():
                for lang in names:
                    if lang and lang not in values.get("languages", ()):
                        self.warnings.append(f"plugins.kb.titles.{kind}.{name}.{lang}: '{lang}' is not one of languages; this title is never shown")
        if values.get("types") == {}:
            self.fail("types", "no article types are defined; list at least one (or remove 'types' for issue, procedure and best-practice)")
        self.check_defaults(values.get("defaults") or {}, values)
        return values

    def check_defaults(self, defaults: dict[str, Any], values: dict[str, Any]) -> None:
        """`defaults:` and the targets of `values:` must be what an article may say (they stand in
        for its fields)."""
        types = values.get("types", DEFAULT_TYPES)
        allowed = {"type": tuple(types), "audience": ("public", "internal"), "status": ("draft", "published", "archived")}
        for name, table in values.get("values", {}).items():
            for theirs, ours in table.items():
                if name in allowed and ours not in allowed[name]:
                    self.fail(f"values.{name}.{theirs}", f"expected one of {', '.join(allowed[name])}, got {ours!r}")
        for name, value in defaults.items():
            where = f"defaults.{name}"
            if name in allowed and value not in allowed[name]:
                self.fail(where, f"expected one of {', '.join(allowed[name])}, got {value!r}")
            elif name == "reviewed":
                formats = values.get("date_formats", ("%Y-%m-%d",))
                if not any(_parses(str(value), fmt) for fmt in formats):
                    self.fail(where, f"expected a date in one of date_formats ({', '.join(formats)}), got {value!r}")
            elif name == "review_every":
                self.duration(where, value)
            elif name in ("tags", "related", "kb_ignore"):
                if not isinstance(value, (str, list)):
                    self.fail(where, f"expected a list of words, got {value!r}")
            elif not isinstance(value, str) or isinstance(value, datetime):
                self.fail(where, f"expected text, got {value!r}")

    def language(self, key: str, value: Any) -> str | None:
        if isinstance(value, str) and LANGUAGE_CODE.fullmatch(value.strip()):
            return value.strip()
        self.fail(key, f"expected a language code such as en, id or pt-BR, got {value!r}")
        return None

    def languages(self, key: str, value: Any) -> tuple[str, ...] | None:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            self.fail(key, f"expected a list of language codes such as [en, id], got {value!r}")
            return None
        codes = [self.language(f"{key}[{index}]", item) for index, item in enumerate(items)]
        twice = sorted({code for code in codes if code and codes.count(code) > 1})
        if twice:
            self.warnings.append(f"plugins.kb.{key}: {', '.join(twice)} listed more than once")
        return tuple(dict.fromkeys(code for code in codes if code)) if all(codes) else None

    def date_formats(self, key: str, value: Any) -> tuple[str, ...] | None:
        """strptime formats that read back a whole date: `%d/%m/%Y`, not `DD/MM/YYYY` or `%H:%M`."""
        formats = self.text_list(key, value)
        if formats is None:
            return None
        if not formats:
            self.fail(key, "expected at least one format, such as '%Y-%m-%d'")
            return None
        good = True
        for index, fmt in enumerate(formats):
            if _TIME_DIRECTIVE.search(fmt):
                self.fail(f"{key}[{index}]", f"'{fmt}' holds a time; review dates are dates, such as '%Y-%m-%d'")
                good = False
            elif not all(_parses(day.strftime(fmt), fmt, day) for day in _SAMPLE_DAYS):
                self.fail(f"{key}[{index}]", f"'{fmt}' does not read back a date; write it with strptime codes, "
                                             "such as '%d/%m/%Y' for 31/01/2024 (%d day, %m month, %Y year)")
                good = False
        return formats if good else None

    def text(self, key: str, value: Any) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.fail(key, f"expected text, got {value!r}")
        return None

    def optional_text(self, key: str, value: Any) -> str:
        """Text, or "" when absent; anything else (a number, a list) is a problem."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        return self.text(key, value) or ""

    def layout(self, key: str, value: Any) -> str | None:
        if value in ("suffix", "folder"):
            return str(value)
        self.fail(key, f"expected suffix (name.<lang>.md) or folder (<lang>/name.md), got {value!r}")
        return None

    def text_list(self, key: str, value: Any) -> tuple[str, ...] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(key, f"expected a list of text, got {value!r}")
            return None
        bad = [f"item {index + 1} ({item!r})" for index, item in enumerate(value) if not isinstance(item, str) or not item.strip()]
        if bad:
            self.fail(key, f"{', '.join(bad)} {'is' if len(bad) == 1 else 'are'} empty or not text; every item must be non-empty text")
            return None
        return tuple(value)

    def duration(self, key: str, value: Any) -> Duration | None:
        try:
            return parse_duration(value)
        except ValueError as error:
            self.fail(key, str(error))
            return None

    def positive_int(self, key: str, value: Any) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        self.fail(key, f"expected a whole number above 0, got {value!r}")
        return None

    def boolean(self, key: str, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        self.fail(key, f"expected true or false, got {value!r}")
        return None

    def mapping(self, key: str, value: Any) -> dict[str, Any] | None:
        if value is None:
            return {}
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        self.fail(key, f"expected a mapping, got {value!r}")
        return None

    def types(self, key: str, value: Any) -> dict[str, TypeConfig] | None:
        raw = self.mapping(key, value)
        if not raw:
            return None if raw is None else {}
        known = ("sections", "ordered_list_in", "review_every")
        types: dict[str, TypeConfig] = {}
        for name, settings in raw.items():
            settings = self.mapping(f"{key}.{name}", settings)
            if settings is None:
                continue
            base = DEFAULT_TYPES.get(name, TypeConfig(name))
            sections, ordered, every = base.sections, base.ordered_list_in, None
            for option, option_value in settings.items():
                where = f"{key}.{name}.{option}"
                if option == "sections":
                    sections = self.text_list(where, option_value or []) or ()
                elif option == "ordered_list_in":
                    ordered = None if option_value is None else self.text(where, option_value)
                elif option == "review_every":
                    every = self.duration(where, option_value)
                else:
                    self.unknown(f"{key}.{name}", option, known)
            types[name] = TypeConfig(name, sections, ordered, every, base.built_in_every)
        return types

    def folders(self, key: str, value: Any) -> dict[str, Duration] | None:
        raw = self.mapping(key, value)
        if raw is None:
            return None
        folders: dict[str, Duration] = {}
        for folder, settings in raw.items():
            settings = self.mapping(f"{key}.{folder}", settings) or {}
            for option, option_value in settings.items():
                if option == "review_every":
                    every = self.duration(f"{key}.{folder}.review_every", option_value)
                    if every:
                        folders[folder.strip("/")] = every
                else:
                    self.unknown(f"{key}.{folder}", option, ["review_every"])
        return folders

    def section_names(self, key: str, value: Any) -> dict[str, dict[str, str]] | None:
        raw = self.mapping(key, value)
        if raw is None:
            return None
        names: dict[str, dict[str, str]] = {}
        for lang, table in raw.items():
            table = self.mapping(f"{key}.{lang}", table)
            if table is not None:
                names[lang] = {str(k): str(v) for k, v in table.items()}
        return names

    def titles(self, key: str, value: Any) -> Titles | None:
        raw = self.mapping(key, value)
        if raw is None:
            return None
        tables: dict[str, dict[str, dict[str, str]]] = {}
        site: dict[str, str] = {}
        for kind, table in raw.items():
            if kind == "site":  # the sites' name per language: {id: Pusat Bantuan Kasira}
                site = self.title_names(f"{key}.site", table) or {}
                continue
            if kind not in ("folders", "products"):
                self.unknown(key, kind, ["folders", "products", "site"])
                continue
            table = self.mapping(f"{key}.{kind}", table) or {}
            names = {name: self.title_names(f"{key}.{kind}.{name}", title) for name, title in table.items()}
            tables[kind] = {name.strip("/") if kind == "folders" else name: found
                            for name, found in names.items() if found}
        return Titles(**tables, site=site)

    def title_names(self, key: str, value: Any) -> dict[str, str] | None:
        """`Kasira POS` (every language) or `{en: Payments, id: Pembayaran}` -> {lang: title} ("" for every language)."""
        if isinstance(value, str):
            text = self.text(key, value)
            return {"": text} if text else None
        if not isinstance(value, dict) or not value:
            self.fail(key, f"expected a title, or a title per language such as {{en: Payments, id: Pembayaran}}, got {value!r}")
            return None
        names: dict[str, str] = {}
        for lang, title in value.items():
            code = self.language(f"{key}.{lang}", str(lang))
            text = self.text(f"{key}.{lang}", title)
            if code and text:
                names[code] = text
        return names

    def owners(self, key: str, value: Any) -> dict[str, Owner] | None:
        if isinstance(value, list):  # a plain list of handles
            value = {str(handle): {} for handle in value}
        raw = self.mapping(key, value)
        if raw is None:
            return None
        owners: dict[str, Owner] = {}
        for handle, details in raw.items():
            if isinstance(details, str):  # `dewi: Dewi Lestari`
                details = {"name": details}
            details = self.mapping(f"{key}.{handle}", details) or {}
            for option in details:
                if option not in ("name", "email"):
                    self.unknown(f"{key}.{handle}", option, ["name", "email"])
            name, email = (self.optional_text(f"{key}.{handle}.{option}", details.get(option)) for option in ("name", "email"))
            if email and ("@" not in email or any(char.isspace() for char in email)):
                self.fail(f"{key}.{handle}.email", f"expected an e-mail address (name@example.com), got {email!r}")
            owners[handle] = Owner(handle, name, email)
        return owners

    def field_map(self, key: str, value: Any) -> dict[str, str] | None:
        raw = self.mapping(key, value)
        if raw is None:
            return None
        result: dict[str, str] = {}
        for name, source in raw.items():
            if name not in ARTICLE_FIELDS:
                self.unknown(key, name, ARTICLE_FIELDS)
            elif not isinstance(source, str) or not source:
                self.fail(f"{key}.{name}", f"expected the name of a front-matter key, got {source!r}")
            else:
                result[name] = source
        return result

    def field_defaults(self, key: str, value: Any) -> dict[str, Any] | None:
        raw = self.mapping(key, value)
        if raw is None:
            return None
        for name in raw:
            if name not in ARTICLE_FIELDS:
                self.unknown(key, name, ARTICLE_FIELDS)
        return {name: default for name, default in raw.items() if name in ARTICLE_FIELDS}

    def value_maps(self, key: str, value: Any) -> dict[str, dict[str, str]] | None:
        raw = self.mapping(key, value)
        if raw is None:
            return None
        maps: dict[str, dict[str, str]] = {}
        for name, table in raw.items():
            if name not in ARTICLE_FIELDS:
                self.unknown(key, name, ARTICLE_FIELDS)
                continue
            table = self.mapping(f"{key}.{name}", table)
            if table is not None:
                maps[name] = {str(theirs): str(ours) for theirs, ours in table.items()}
        return maps

    def rules(self, key: str, value: Any) -> dict[str, str] | None:
        raw = self.mapping(key, value)
        if raw is None:
            return None
        result: dict[str, str] = {}
        for rule, severity in raw.items():
            if severity is False:  # `KB205: off` reads naturally but YAML makes it false
                severity = "ignore"
            if not isinstance(severity, str) or severity.lower() not in SEVERITIES:
                self.fail(f"{key}.{rule}", f"expected one of {', '.join(SEVERITIES)}, got {severity!r}")
            else:
                result[rule] = severity.lower()
        return result

    def dataclass_section(self, key: str, value: Any, cls: type) -> Any:
        raw = self.mapping(key, value)
        if raw is None:
            return None
        defaults = cls()
        known = [f.name for f in fields(cls)]
        values: dict[str, Any] = {}
        for option, option_value in raw.items():
            if option not in known:
                self.unknown(key, option, known)
                continue
            default = getattr(defaults, option)
            where = f"{key}.{option}"
            if isinstance(default, bool):
                values[option] = self.boolean(where, option_value)
            elif option == "synonyms":
                values[option] = self.synonyms(where, option_value)
            elif option_value is None and default is None:
                values[option] = None
            else:
                values[option] = self.text(where, option_value)
        return cls(**{k: v for k, v in values.items() if v is not None or getattr(defaults, k) is None})

    def synonyms(self, key: str, value: Any) -> tuple[tuple[str, ...], ...] | None:
        groups = []
        for index, group in enumerate(value if isinstance(value, list) else [None]):
            if isinstance(group, str):
                group = [word.strip() for word in group.split(",")]
            if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) for w in group):
                self.fail(f"{key}[{index}]", f"expected a list of two or more words or phrases, got {group!r}")
                return None
            groups.append(tuple(word.strip().lower() for word in group if word.strip()))
        return tuple(groups)

    def search(self, key: str, value: Any) -> SearchConfig | None:
        config = self.dataclass_section(key, value, SearchConfig)
        if config and config.indonesian_stemmer not in ("snowball", "sastrawi"):
            self.fail(f"{key}.indonesian_stemmer", f"expected snowball or sastrawi, got {config.indonesian_stemmer!r}")
        return config

    def site(self, key: str, value: Any) -> SiteConfig | None:
        return self.dataclass_section(key, value, SiteConfig)
