"""From what an agent typed to a search plan: words, phrases, filters, typo fixes and synonyms.

There is no query language to get wrong: quotes that pair up make a phrase, `field:value` with a
known field and a value is a filter, `-word` leaves a word out, and everything else (a lone `AND`,
an unpaired quote, `title:` with nothing after it) is a plain word. So no query can fail to parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Collection, Protocol

from kb.search.analysis import STOP_WORDS, Stemmers, compound_parts, fold, words
from kb.search.ranking import SYNONYM_WEIGHT

FILTER_NAMES = {"type": "type", "tag": "tag", "tags": "tag", "product": "product", "lang": "lang",
                "owner": "owner", "audience": "audience", "status": "status"}
FIELD_NAMES = {"title": ("title",), "body": ("text", "internal")}
_PIECE = re.compile(r'"([^"]*)"|(-?)([A-Za-z]+):("[^"]*"|\S+)|(-?)(\S+)')
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Alternative:
    """One way to match a concept: stems per word position (a phrase when more than one)."""

    positions: tuple[tuple[str, ...], ...]
    weight: float = 1.0
    as_one: bool = False  # a synonym phrase: stands for one word, scored as its words' average


@dataclass(frozen=True)
class Concept:
    text: str  # as typed (or the synonym group's words)
    alternatives: tuple[Alternative, ...]
    fields: tuple[str, ...] | None = None  # None: every text field
    excluded: bool = False


@dataclass
class Plan:
    concepts: list[Concept] = field(default_factory=list)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> corrected word
    did_you_mean: str | None = None

    @property
    def stems(self) -> frozenset[str]:
        """Every stem the plan can match (for highlighting)."""
        return frozenset(s for c in self.concepts if not c.excluded for a in c.alternatives
                         for group in a.positions for s in group)


class Vocabulary(Protocol):
    """The index's terms (stems), as the engine exposes them."""

    def term_count(self, fieldname: str, term: str) -> int: ...
    def close_terms(self, fieldname: str, term: str, maxdist: int) -> list[str]: ...
    def terms(self, fieldname: str) -> Collection[str]: ...


@dataclass(frozen=True)
class _Piece:
    words: tuple[str, ...]  # folded words, stop words kept
    raw: str
    phrase: bool = False
    fields: tuple[str, ...] | None = None
    excluded: bool = False
    parts: tuple[str, ...] = ()  # a hyphenated compound's parts (`wi`, `fi`); `words` holds it joined


def parse(text: str) -> tuple[list[_Piece], dict[str, tuple[str, ...]]]:
    """Split a query into pieces and filters; never fails."""
    pieces: list[_Piece] = []
    filters: dict[str, list[str]] = {}
    for match in _PIECE.finditer(text):
        phrase, minus, name, value, minus2, plain = match.groups()
        if phrase is not None:
            found = tuple(w for w, _, _ in words(phrase))
            if found:
                pieces.append(_Piece(found, phrase, phrase=len(found) > 1))
            continue
        if name is not None:
            key = name.lower()
            value = value.strip('"')
            if key in FILTER_NAMES and value:
                filters.setdefault(FILTER_NAMES[key], []).append(value)
                continue
            found = tuple(w for w, _, _ in words(value))
            if key in FIELD_NAMES and found:
                pieces.append(_Piece(found, value, phrase=len(found) > 1, fields=FIELD_NAMES[key], excluded=bool(minus)))
                continue
            plain, minus2 = match.group(0).lstrip("-"), minus
        found = tuple(w for w, _, _ in words(plain or ""))
        excluded = bool(minus2) and len(found) > 0 and (plain or "")[:1].isalnum()
        parts = compound_parts(plain or "")
        if parts:  # `wi-fi`: one word, found written either way
            pieces.append(_Piece(("".join(parts),), plain or "", excluded=excluded, parts=parts))
            continue
        for word in found:
            pieces.append(_Piece((word,), word, excluded=excluded))
    return pieces, {k: tuple(v) for k, v in filters.items()}


def _edits1(word: str) -> set[str]:
    """Words one edit away that keep the first letter (people rarely mistype it).

    Short words (six letters or fewer) get no substitutions: `points` is not a typo of `prints`.
    An apostrophe counts as a letter to insert: customers type `cant` and `doesnt` for `can't`
    and `doesn't` (one indexed word each), not `cnt` and `does`.
    """
    splits = [(word[:i], word[i:]) for i in range(1, len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET + "'"}
    found = deletes | transposes | inserts
    if len(word) > 6:
        found |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    found.discard(word)
    return found


def _frequency(word: str, vocabulary: Vocabulary, stemmers: Stemmers, names: tuple[str, ...]) -> int:
    return max(vocabulary.term_count(name, stem) for stem in stemmers.stems(word) for name in names)


def correct(word: str, vocabulary: Vocabulary, stemmers: Stemmers) -> str | None:
    """A close word for a word that matches nothing in the index, else None.

    Candidates at one edit (a transposition counts as one: `passwrod`) are kept when one of their
    stems is indexed; the one found in most articles wins. Longer words then get indexed stems at
    two edits. The vocabulary is the index's own terms (or a view of them: a public search's), so
    corrections always lead somewhere.
    """
    # A word with a digit is a code, a version or a number: one edit away is another error code
    # (`0x800ccc0e` is not `0x800ccc80`), so it is searched as typed.
    if len(word) < 4 or any(c.isdigit() for c in word) or word in STOP_WORDS:
        return None
    if _frequency(word, vocabulary, stemmers, ("text", "internal")):
        return None
    # Words are indexed under every language's stem, and one language's stemmer mostly leaves the
    # other's words as written: a candidate indexed as written is a real word and beats one that
    # only shares a stem ("pelangan" -> "pelanggan", not "peulangan" whose stem is "ulang").
    # A few hundred candidates: each is looked up in the field's set of terms first (counting its
    # articles costs a lookup per index segment), and counted only when it is there.
    for names in (("text",), ("internal",)):
        known = vocabulary.terms(names[0])
        scored = []
        for candidate in _edits1(word):
            if not candidate[:1].isalnum():
                continue
            if candidate not in known and not any(stem in known for stem in stemmers.stems(candidate)):
                continue
            as_written = max(vocabulary.term_count(name, candidate) for name in names)
            by_stem = as_written or _frequency(candidate, vocabulary, stemmers, names)
            if by_stem:
                contraction = "'" in candidate and "'" not in word  # `cant`: `can't` before `cnt`
                scored.append((contraction, as_written > 0, by_stem, candidate[:1] == word[:1], candidate))
        if scored:
            return max(scored)[-1]
    if len(word) >= 7:
        stem = stemmers.primary(word)
        close = [(vocabulary.term_count("text", t), t) for t in vocabulary.close_terms("text", stem, 2)]
        if close:
            return max(close)[1]
    return None


def _synonym_table(groups: tuple[tuple[str, ...], ...]) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    table: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for group in groups:
        phrases = tuple(t for t in (tuple(w for w, _, _ in words(p)) for p in group) if t)
        for phrase in phrases:
            table.setdefault(phrase, ())
            table[phrase] = tuple(dict.fromkeys(table[phrase] + phrases))
    return table


def _alternative(phrase: tuple[str, ...], stemmers: Stemmers, weight: float, as_one: bool = False) -> Alternative | None:
    content = tuple(stemmers.stems(w) for w in phrase if w not in STOP_WORDS)
    if not content and phrase:  # a phrase of stop words only ("in"): use the words themselves
        content = tuple(stemmers.stems(w) for w in phrase)
    as_one = as_one and len(content) > 1
    if as_one:  # the phrase's own words (first stems) only: `pengembalian`, not everything `kembali`
        content = tuple(stems[:1] for stems in content)
    return Alternative(content, weight, as_one) if content else None


def build_plan(text: str, stemmers: Stemmers, synonyms: tuple[tuple[str, ...], ...] = (),
               vocabulary: Vocabulary | None = None) -> Plan:
    """Parse `text`, fix typos against the index's vocabulary, and expand synonyms."""
    pieces, filters = parse(text)
    plan = Plan(filters=filters)
    if vocabulary is not None:
        fixed = []
        for piece in pieces:
            if not piece.phrase and not piece.excluded and not piece.parts and len(piece.words) == 1:
                better = correct(piece.words[0], vocabulary, stemmers)
                if better:
                    plan.corrections[piece.words[0]] = better
                    piece = _Piece((better,), piece.raw, fields=piece.fields)
            fixed.append(piece)
        pieces = fixed
    table = _synonym_table(synonyms)
    longest = max((len(k) for k in table), default=0)
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if piece.phrase or piece.excluded or piece.fields:
            alt = _alternative(piece.words, stemmers, 1.0)
            if alt:
                plan.concepts.append(Concept(piece.raw, (alt,), piece.fields, piece.excluded))
            i += 1
            continue
        match = None
        for size in range(min(longest, len(pieces) - i), 0, -1):
            span = pieces[i:i + size]
            if any(p.phrase or p.excluded or p.fields for p in span):
                continue
            key = tuple(p.words[0] for p in span)
            if key in table:
                match = (size, key)
                break
        if match:
            size, key = match
            alts = [_alternative(key, stemmers, 1.0, as_one=True)]
            alts += [_alternative(other, stemmers, SYNONYM_WEIGHT, as_one=True) for other in table[key] if other != key]
            kept = tuple(dict.fromkeys(a for a in alts if a))
            if kept:
                plan.concepts.append(Concept(" ".join(key), kept))
            i += size
            continue
        word = piece.words[0]
        if piece.parts:  # joined as indexed (`wifi`), or its parts anywhere (`sign in` for `sign-in`)
            either = (_alternative(piece.words, stemmers, 1.0), _alternative(piece.parts, stemmers, 1.0, as_one=True))
            plan.concepts.append(Concept(piece.raw, tuple(dict.fromkeys(a for a in either if a))))
        elif word not in STOP_WORDS:
            alt = _alternative(piece.words, stemmers, 1.0)
            if alt:
                plan.concepts.append(Concept(word, (alt,)))
        i += 1
    if not plan.concepts:  # only stop words ("how to"): search them rather than nothing
        for piece in pieces:
            alt = Alternative(tuple(stemmers.stems(w) for w in piece.words))
            plan.concepts.append(Concept(piece.raw, (alt,)))
    if plan.corrections:
        plan.did_you_mean = _replace_words(text, plan.corrections)
    return plan


def _replace_words(text: str, corrections: dict[str, str]) -> str:
    return re.sub(r"\w+", lambda m: corrections.get(fold(m.group()), m.group()), text)
