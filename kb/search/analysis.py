"""Text analysis without Whoosh: words, stop words, stemmers, plain text from Markdown.

The engine (the one module that imports Whoosh) wraps these into Whoosh analyzers, and the
highlighter, the typo corrector and the gap report use them directly, so every part agrees on what a
word and its stem are.

Every word is indexed under its stem in each configured language that has a stemmer (English and
Indonesian for the sample KB), not only the article's own language: support articles mix
languages (English articles quote the Indonesian app screens, `Perbarui aplikasi`), and an agent
types whichever words the customer used. Indonesian uses the Snowball Indonesian stemmer from
PyStemmer (BSD; the algorithm of Lucene's Indonesian analyzer). Sastrawi is an opt-in extra because
its root-word dictionary is CC-BY-NC-SA (non-commercial).
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Callable, Iterator

from kb.exceptions import SearchIndexError

# A word: letters and digits, with inner apostrophes or dots between digits ("5.0").
WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)

STOP_WORDS = frozenset(
    # English
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it "
    "its me my no not of on or our so than that the their them then there these they this to was we were "
    "what when where which who why will with you your".split()
    # Indonesian: function words only ("tidak", "bisa" stay: customers write "struk tidak keluar")
    + "yang dan di ke dari untuk dengan ini itu atau pada adalah sebagai oleh akan juga saya kami kita "
      "anda apa bagaimana kenapa mengapa nya lah kah pun agar supaya karena jika kalau".split()
)

# PyStemmer's names for the languages a team is likely to configure.
SNOWBALL_NAMES = {
    "en": "english", "id": "indonesian", "ms": "indonesian", "nl": "dutch", "de": "german",
    "fr": "french", "es": "spanish", "pt": "portuguese", "it": "italian", "sv": "swedish",
    "da": "danish", "no": "norwegian", "fi": "finnish", "ru": "russian", "tr": "turkish",
}


def fold(word: str) -> str:
    """Lower case without accents (`Café` -> `cafe`), as words are indexed and searched."""
    word = word.casefold()
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """Each word of `text` folded, with its start and end offsets in `text`."""
    for match in WORD.finditer(text):
        yield fold(match.group()), match.start(), match.end()


SECTION = "\x1e"  # separates weighted sections in one indexed value (never in Markdown text)
SECTION_GAP = 100  # positions between sections, so a phrase never spans two of them


def weighted(*parts: tuple[float, str]) -> str:
    """One field value made of sections that weigh differently (title x4, headings x2, body x1).

    One field with per-word weights instead of a field per part: Whoosh's cost is per posting
    list and per matcher, so one field makes both indexing and searching several times cheaper.
    """
    return "".join(f"{SECTION}{weight:g}{SECTION}{text}" for weight, text in parts if text)


def sections(value: str) -> list[tuple[float, str]]:
    """The (weight, text) parts of a `weighted()` value; plain text is one part of weight 1."""
    if not value.startswith(SECTION):
        return [(1.0, value)]
    pieces = value.split(SECTION)[1:]
    return [(float(pieces[i]), pieces[i + 1]) for i in range(0, len(pieces) - 1, 2)]


# A hyphenated compound of letters (`wi-fi`, `e-mail`, `sign-in`): indexed as its parts and joined
# (`wifi`), so `wifi`, `wi-fi` and `Wi-Fi` find the same articles.
COMPOUND = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+){1,2}(?![\w-])")


def compound_parts(word: str) -> tuple[str, ...] | None:
    """The parts of a hyphenated compound as typed (`Wi-Fi?` -> ('wi', 'fi')), else None."""
    match = COMPOUND.search(word)
    if match is None or match.group() != word.strip(".,;:!?()[]'\"“”‘’"):
        return None
    return tuple(fold(part) for part in match.group().split("-"))


def _joined_compounds(text: str) -> list[str]:
    """`wifi` for each `wi-fi` in `text`. The regex runs on the stretch between blanks around each
    hyphen: run on the whole text it tripled the cost of reading words for the index."""
    joined: list[str] = []
    at = text.find("-")
    while at >= 0:
        start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
        ends = [end for end in (text.find(" ", at), text.find("\n", at)) if end >= 0]
        end = min(ends) if ends else len(text)
        joined += [match.group().replace("-", "") for match in COMPOUND.finditer(text, start, end)]
        at = text.find("-", end)
    return joined


def word_list(text: str) -> list[str]:
    """The folded words of `text` (no offsets), hyphenated compounds joined too: the fast path for indexing."""
    folded = text.casefold()
    found = WORD.findall(folded)
    if "-" in folded:
        found += _joined_compounds(folded)
    if text.isascii():
        return found
    return [w if w.isascii() else fold(w) for w in found]


class Stemmers:
    """The stems of a word in every configured language that has a stemmer, first language first.

    The first stem (the first language's) is always present, so phrase queries can rely on it.
    """

    def __init__(self, languages: tuple[str, ...], indonesian: str = "snowball") -> None:
        self.languages = tuple(languages)
        self.indonesian = indonesian
        self._functions: list[Callable[[str], str]] | None = None
        self._cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict[str, object]:  # stemmer objects do not pickle; rebuilt lazily
        return {"languages": self.languages, "indonesian": self.indonesian}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["languages"], state["indonesian"])  # type: ignore[misc, arg-type]

    def _build(self) -> list[Callable[[str], str]]:
        import Stemmer  # PyStemmer

        available = set(Stemmer.algorithms())
        functions: list[Callable[[str], str]] = []
        seen: set[str] = set()
        for lang in self.languages:
            base = lang.split("-")[0].split("_")[0].lower()
            if base in ("id", "ms") and self.indonesian == "sastrawi":
                functions.append(_sastrawi())
                seen.add("sastrawi")
                continue
            name = SNOWBALL_NAMES.get(base, base)
            if name in available and name not in seen:
                seen.add(name)
                functions.append(Stemmer.Stemmer(name).stemWord)
        return functions

    def stems(self, word: str) -> tuple[str, ...]:
        """Distinct stems of a folded word; the word itself when no language stems it."""
        found = self._cache.get(word)
        if found is not None:
            return found
        if self._functions is None:
            self._functions = self._build()
        if not self._functions or word.isdigit() or len(word) < 3:
            found = (word,)
        else:
            found = tuple(dict.fromkeys(stem(word) or word for stem in self._functions))
        if len(self._cache) < 500_000:
            self._cache[word] = found
        return found

    def primary(self, word: str) -> str:
        return self.stems(word)[0]


def _sastrawi() -> Callable[[str], str]:
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError:
        raise SearchIndexError(
            "search.indonesian_stemmer is 'sastrawi' but PySastrawi is not installed; "
            "run: pip install 'kb[sastrawi]' (its dictionary is CC-BY-NC-SA, non-commercial), "
            "or set indonesian_stemmer: snowball"
        ) from None
    return StemmerFactory().create_stemmer().stem  # type: ignore[no-any-return]


def terms(text: str, stemmers: Stemmers) -> list[tuple[str, ...]]:
    """The stem groups of the content words of `text`, in order (stop words dropped)."""
    return [stemmers.stems(word) for word, _, _ in words(text) if word not in STOP_WORDS]


# --- Markdown to plain text (what is shown in snippets and indexed) ----------------------------

_END = " —"  # ends a heading or an admonition title, so it does not run into the text after it

# (pattern, replacement, characters or strings one of which must be in the text for it to apply):
# most bodies have no table, admonition or heading mark, and a skipped pattern costs nothing.
_MD_CLEAN = [
    (re.compile(r"^\s{0,3}(?:```|~~~).*$", re.M), "", "`~"),  # fence lines (code stays)
    # Admonition markers: the title stays, ended by a dash; the syntax and the type go.
    (re.compile(r'^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]+"([^"\n]*[^"\n.:?!])[.:?!]?"[ \t]*$', re.M),
     r"\1" + _END, "!?"),
    (re.compile(r'^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"[^"\n]*")?[ \t]*$', re.M), "", "!?"),
    (re.compile(r"^[ \t]*:::.*$", re.M), "", (":::",)),  # DocFX / Learn blocks (`:::image ...:::`)
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1", "["),  # images -> alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1", "["),  # links -> text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1", "["),  # reference links
    (re.compile(r"^\s{0,3}\[[^\]]+\]:.*$", re.M), "", "["),  # reference definitions
    (re.compile(r"<[^>\n]+>"), " ", "<"),  # HTML tags
    (re.compile(SECTION), " ", SECTION),
    (re.compile(r"\{[#.][^}]*\}"), "", "{"),  # attribute lists
    # Headings: the marks go and the heading ends with a dash, unless it ends a sentence itself.
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?[^\s.:?!#])[ \t#]*$", re.M), r"\1" + _END, "#"),
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M), "", "#"),
    # Tables: separator rows go, cells are separated by a middle dot, a row ends with a semicolon.
    (re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?$", re.M), "", "|"),
    (re.compile(r"^[ \t]*\|", re.M), "", "|"),
    (re.compile(r"[ \t]*\|[ \t]*$", re.M), ";", "|"),
    (re.compile(r"(?<!\\)\|"), " · ", "|"),
    (re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M), "", "-*_"),  # horizontal rules
    (re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+", re.M), "", ""),  # list markers
    (re.compile(r"^[ \t]*>[ \t]*\[![A-Za-z]+\][ \t]*$", re.M), "", "[!"),  # alert markers (`> [!NOTE]`)
    (re.compile(r"^\s*>\s?", re.M), "", ">"),  # block quotes
    # Emphasis and code marks, underscores first (they are judged by their neighbours, * included).
    # Two patterns that start with a character class: the regex engine skips to candidates in C,
    # where one alternation tried at every position was most of the indexing time of a body.
    (re.compile(r"(?<!\w)_{1,3}|_{1,3}(?!\w)"), "", "_"),
    (re.compile(r"[*`]{1,3}"), "", "*`"),
    (re.compile(r"[ \t]{2,}"), " ", ""),
]
_SPACES = re.compile(r"[ \t]{2,}")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")  # `&copy=2` in a URL is not one


def plain_text(markdown: str) -> str:
    """Readable text of a Markdown body, for snippets; not a renderer, a few cheap substitutions.

    Headings and admonition titles end with a dash and table cells are separated by middle dots,
    so a snippet reads `Cause — Links are valid…`, not `Cause Links are valid…` or `| --- |`.
    """
    text = markdown
    for pattern, replacement, needles in _MD_CLEAN:
        if needles and not any(c in text for c in needles):
            continue
        text = pattern.sub(replacement, text)
    if "&" in text:  # entities after the tags went, so `&lt;b&gt;` stays text; `&nbsp;` is a space
        text = _SPACES.sub(" ", _ENTITY.sub(lambda m: html.unescape(m.group()), text).replace("\xa0", " "))
    # Lines trimmed, blank lines dropped (str methods: regexes anchored on spaces scan every position).
    return "\n".join(line for line in (raw.strip(" \t") for raw in text.split("\n")) if line).strip()


def normalise_query(text: str, stemmers: Stemmers) -> str:
    """A grouping key for logged queries: content words, stemmed, sorted, duplicates removed."""
    return " ".join(sorted({group[0] for group in terms(text, stemmers)}))
