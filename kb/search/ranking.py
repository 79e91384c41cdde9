"""Scoring a search plan term at a time: BM25F per term, then max / sum / intersect per concept.

Whoosh's own query matchers walk the posting lists one document at a time in Python, a few method
calls per posting and per tree level; on a knowledge base where every common word is in thousands
of articles that is most of a search (about 0.5 s at 10,000 articles). Here each term's postings
are read a block at a time (the engine decodes a block of ids and weights in C) and scored in one
dict comprehension; concepts are then combined with dict operations. Same BM25F formula, same
combination as the query tree it replaces (alternatives of a concept: best one; fields and
concepts: summed; a phrase: all its words), so rankings do not change, at a tenth of the cost.

This module knows nothing about Whoosh: the engine passes a `Postings` source.
"""

from __future__ import annotations

import heapq
from operator import neg
from typing import TYPE_CHECKING, Iterable, Protocol

if TYPE_CHECKING:
    from kb.search.query import Alternative, Plan

Scores = dict[int, float]

# Field weights: what a match in each field is worth (see engine.TEXT_FIELDS).
TEXT_FIELDS = {"text": 1.0, "internal": 0.9, "title": 1.0}
SEARCHED_FIELDS = ("text", "internal")
PUBLIC_FIELDS = ("text", "title")


class Postings(Protocol):
    """What the ranking needs from an index."""

    def term_scores(self, fieldname: str, text: str, boost: float) -> Scores: ...

    def deleted(self) -> frozenset[int]: ...


def _sum(parts: list[Scores]) -> Scores:
    parts = sorted(parts, key=len, reverse=True)
    total = dict(parts[0]) if parts else {}
    get = total.get
    for part in parts[1:]:
        for doc, score in part.items():
            total[doc] = get(doc, 0.0) + score
    return total


def _max(parts: list[Scores]) -> Scores:
    parts = sorted(parts, key=len, reverse=True)
    best = dict(parts[0]) if parts else {}
    get = best.get
    for part in parts[1:]:
        for doc, score in part.items():
            if score > get(doc, 0.0):
                best[doc] = score
    return best


def _all(parts: list[Scores]) -> Scores:
    """Documents in every part, scores summed."""
    if not parts:
        return {}
    parts = sorted(parts, key=len)
    common = set(parts[0]).intersection(*parts[1:])
    return {doc: sum(part[doc] for part in parts) for doc in common}


def _scaled(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {doc: score * boost for doc, score in scores.items()}


# What the words an agent did not type are worth, against the words typed (1.0): a synonym from the
# config, and a word's stem in another language than the first configured one (`pengembalian` and
# `mengembalikan` share the Indonesian stem `kembali`; the English stem keeps the word as written).
SYNONYM_WEIGHT = 0.6
OTHER_STEM_WEIGHT = 0.7
# The title as a field of its own, on top of its x4 share of `text`: `text` is normalised by the
# length of the whole article, so a long article that repeats a word in its body beat a short one
# whose title holds it. Scored with the title's own length normalisation (engine: title_B).
TITLE_WEIGHT = 1.0
# Articles whose title holds every concept of the query (a word, its synonym or its correction).
ALL_IN_TITLE_BONUS = 0.25
# Articles in the language the query's words belong to (guessed from the index: see query_language).
LANGUAGE_BONUS = 0.1


def _word(source: Postings, fieldname: str, stems: tuple[str, ...]) -> Scores:
    """One word position: its best stem, stems after the first weighing OTHER_STEM_WEIGHT."""
    if len(stems) == 1:
        return source.term_scores(fieldname, stems[0], 1.0)
    return _max([source.term_scores(fieldname, s, 1.0 if i == 0 else OTHER_STEM_WEIGHT)
                 for i, s in enumerate(stems)])


def _alternative(source: Postings, fieldname: str, alt: Alternative) -> Scores:
    positions = alt.positions
    if len(positions) == 1:
        return _scaled(_word(source, fieldname, positions[0]), alt.weight)
    # A phrase (no positions are indexed): articles with all its words. A quoted phrase scores as
    # the words typed; a synonym phrase stands for one word, so it scores as their average.
    found = _all([_word(source, fieldname, stems) for stems in positions])
    return _scaled(found, alt.weight / len(positions) if alt.as_one else alt.weight)


def score_plan(plan: Plan, source: Postings, public: bool, match_all: bool = False,
               evidence: list[Scores] | None = None) -> Scores:
    """Every matching document's score for a plan (deleted documents and excluded words left out).

    `evidence`, when given, receives the `text` scores of each concept's words as typed (or as
    corrected), for `query_language`.
    """
    allowed = PUBLIC_FIELDS if public else (*SEARCHED_FIELDS, "title")
    concepts: list[Scores] = []
    excluded: list[Scores] = []
    in_title: list[set[int]] = []
    codes: list[Scores] = []  # matches of words with a digit: `4999`, `0x80070005`
    for concept in plan.concepts:
        per_field = []
        names = concept.fields or (("text",) if public else SEARCHED_FIELDS)
        for name in names:
            if name not in allowed:
                continue
            alts = [_alternative(source, name, alt) for alt in concept.alternatives]
            if evidence is not None and name == "text" and not concept.excluded:
                evidence.append(alts[0])
            per_field.append(_scaled(_max(alts) if len(alts) > 1 else alts[0], TEXT_FIELDS[name]))
        if concept.fields is None and not concept.excluded:
            alts = [_alternative(source, "title", alt) for alt in concept.alternatives]
            title = _max(alts) if len(alts) > 1 else alts[0]
            in_title.append(set(title))
            per_field.append(_scaled(title, TITLE_WEIGHT))
        if per_field:
            (excluded if concept.excluded else concepts).append(_sum(per_field))
            if not concept.excluded and any(char.isdigit() for char in concept.text):
                codes.append(concepts[-1])
    if not concepts:
        return {}
    scores = _all(concepts) if match_all else _sum(concepts)
    for code in codes:  # an agent pastes an error code or event id: an article without it is not the answer
        if code:
            scores = {doc: score for doc, score in scores.items() if doc in code}
    if in_title and len(in_title) == len(concepts):
        for doc in set.intersection(*in_title):
            if doc in scores:
                scores[doc] *= 1 + ALL_IN_TITLE_BONUS
    drop: set[int] = set(source.deleted()) if scores else set()
    for part in excluded:
        drop.update(part)
    for doc in drop.intersection(scores):
        del scores[doc]
    return scores


def query_language(evidence: list[Scores], languages: dict[str, set[int]]) -> str | None:
    """The language the query's words belong to, from the articles they occur in, or None.

    A word votes for a language when its share of that language's articles is at least twice its
    share of any other's (`refund` and `qris` are in both and do not vote); the language with most
    votes wins, a tie is None.
    """
    if len(languages) < 2:
        return None
    votes: dict[str, int] = {}
    for found in evidence:
        if not found:
            continue
        docs = found.keys()
        rates = sorted(((len(members.intersection(docs)) / len(members), lang) for lang, members in languages.items() if members),
                       reverse=True)
        if len(rates) > 1 and rates[0][0] > 0 and rates[0][0] >= 2 * rates[1][0]:
            votes[rates[0][1]] = votes.get(rates[0][1], 0) + 1
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def prefer_language(scores: Scores, members: set[int]) -> None:
    """Raise the articles in the query's language by LANGUAGE_BONUS (in place)."""
    factor = 1 + LANGUAGE_BONUS
    for doc in members.intersection(scores) if len(members) < len(scores) else [d for d in scores if d in members]:
        scores[doc] *= factor


def keep_only(scores: Scores, allowed: set[int] | frozenset[int]) -> None:
    """Remove the documents a filter does not allow (in place)."""
    for doc in scores.keys() - allowed:
        del scores[doc]


def top(scores: Scores, count: int) -> list[tuple[int, float]]:
    """The `count` best (docnum, score), best first; ties in index order, as Whoosh orders them."""
    best = heapq.nlargest(count, zip(scores.values(), map(neg, scores.keys())))
    return [(-negdoc, score) for score, negdoc in best]


def union(sets: Iterable[set[int]]) -> set[int]:
    found: set[int] = set()
    for s in sets:
        found |= s
    return found
