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
    from kb.search.query import Plan

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


def _alternative(source: Postings, fieldname: str, positions: tuple[tuple[str, ...], ...], weight: float) -> Scores:
    if len(positions) == 1:
        stems = positions[0]
        if len(stems) == 1:
            return source.term_scores(fieldname, stems[0], weight)
        return _scaled(_max([source.term_scores(fieldname, s, 1.0) for s in stems]), weight)
    # A phrase (no positions are indexed): articles with all its words; stems of one word summed.
    return _scaled(_all([_sum([source.term_scores(fieldname, s, 1.0) for s in stems]) for stems in positions]), weight)


def score_plan(plan: Plan, source: Postings, public: bool, match_all: bool = False) -> Scores:
    """Every matching document's score for a plan (deleted documents and excluded words left out)."""
    allowed = PUBLIC_FIELDS if public else (*SEARCHED_FIELDS, "title")
    concepts: list[Scores] = []
    excluded: list[Scores] = []
    for concept in plan.concepts:
        per_field = []
        for name in concept.fields or (("text",) if public else SEARCHED_FIELDS):
            if name not in allowed:
                continue
            alts = [_alternative(source, name, alt.positions, alt.weight) for alt in concept.alternatives]
            per_field.append(_scaled(_max(alts) if len(alts) > 1 else alts[0], TEXT_FIELDS[name]))
        if per_field:
            (excluded if concept.excluded else concepts).append(_sum(per_field))
    if not concepts:
        return {}
    scores = _all(concepts) if match_all else _sum(concepts)
    drop: set[int] = set(source.deleted()) if scores else set()
    for part in excluded:
        drop.update(part)
    for doc in drop.intersection(scores):
        del scores[doc]
    return scores


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
