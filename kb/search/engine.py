"""The one module that imports Whoosh: schema, analyzers, writers and the compiled query.

Everything else in kb.search speaks plain Python (dicts, dataclasses from `kb.search.query`), so the
engine could be replaced without touching the indexer, the CLI or the reports.
"""

from __future__ import annotations

import ctypes
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from whoosh import fields, formats, index, query, scoring
from whoosh.analysis import Composable, Token
from whoosh.filedb.filestore import FileStorage

from kb.exceptions import SearchIndexError
from kb.search.analysis import SECTION_GAP, STOP_WORDS, Stemmers, sections, word_list, words

if TYPE_CHECKING:
    from kb.search.query import Plan

SCHEMA_VERSION = 6  # bump when the fields or the analysis change: an old index is rebuilt
# `text` holds what a customer may read, with per-word weights by where the word is (title x4,
# headings/summary/tags x2, body x1: see indexer.document); `internal` the `!!! internal` blocks;
# `title` is there for `title:word`. Few fields keep Whoosh's per-posting work small.
TEXT_FIELDS = {"text": 1.0, "internal": 0.9, "title": 1.0}
SEARCHED_FIELDS = ("text", "internal")
PUBLIC_FIELDS = ("text", "title")
FILTER_FIELDS = ("type", "product", "owner", "audience", "status", "lang", "id", "key")


class StemAnalyzer(Composable):
    """Words, folded, stop words dropped, each emitted under every language's stem at one position.

    A Whoosh analyzer is called for indexing (mode "index") and for highlighting; kb builds query
    terms itself (kb.search.query), so the query mode only needs to agree with the index mode.
    """

    def __init__(self, languages: tuple[str, ...], indonesian: str) -> None:
        self.stemmers = Stemmers(languages, indonesian)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StemAnalyzer) and self.stemmers.__getstate__() == other.stemmers.__getstate__()

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stems = self.stemmers.stems
        token.boost = 1.0
        token.stopped = False
        pos = start_pos
        if not chars:  # indexing: no offsets needed, the fast path
            for weight, text in sections(value):
                token.boost = weight
                for word in word_list(text):
                    if word in STOP_WORDS:
                        continue
                    for stem in stems(word):
                        token.text = stem
                        token.pos = pos
                        yield token
                    pos += 1
                pos += SECTION_GAP
            return
        for word, start, end in words(value):
            if word in STOP_WORDS:
                continue
            for stem in stems(word):
                token.text = stem
                if positions:
                    token.pos = pos
                token.startchar = start_char + start
                token.endchar = start_char + end
                yield token
            pos += 1


def schema(languages: tuple[str, ...], indonesian: str) -> fields.Schema:
    stem = StemAnalyzer(languages, indonesian)
    return fields.Schema(
        key=fields.ID(unique=True, stored=True),  # the docs-relative path: one file, one document
        id=fields.ID(stored=True, sortable=True),
        title=fields.TEXT(analyzer=stem, stored=True, phrase=False),
        text=fields.TEXT(analyzer=stem, phrase=False),  # no positions: phrases match as all their words
        internal=fields.TEXT(analyzer=stem, phrase=False),
        body=fields.STORED(),
        internal_text=fields.STORED(),
        summary=fields.STORED(),
        tags=fields.KEYWORD(stored=True, commas=True, lowercase=True),
        type=fields.ID(stored=True),
        product=fields.ID(stored=True),
        owner=fields.ID(stored=True),
        audience=fields.ID(stored=True),
        status=fields.ID(stored=True),
        lang=fields.ID(stored=True),
        reviewed=fields.ID(stored=True),
        due=fields.ID(stored=True),
        hash=fields.STORED(),
    )


# --- opening and writing ----------------------------------------------------------------------


def exists(folder: Path) -> bool:
    return folder.is_dir() and index.exists_in(str(folder))


def open_index(folder: Path) -> index.Index:
    try:
        return index.open_dir(str(folder))
    except Exception as error:  # Whoosh raises several unrelated types for a damaged index
        raise SearchIndexError(f"{folder}: cannot open the search index ({error}); run: kb index --rebuild") from None


def _die_with_parent() -> None:
    """Linux: a sub-writer is killed when the `kb index` that started it dies (no orphans)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _parallel_writer(ix: index.Index, procs: int, limitmb: int, make_doc: Callable[[Any], dict[str, Any] | None],
                     skipped_dir: Path) -> Any:
    """Whoosh's multi-process writer, changed in two ways.

    Jobs are references to files, not documents: each sub-writer reads and parses its articles
    itself (`make_doc`, inherited through fork), so parsing runs on every core, not in the parent.
    Sub-writers die with their parent (a killed `kb index` leaves no orphans behind).
    """
    from whoosh.multiproc import MpWriter, SubWriterTask

    parent = os.getpid()

    class Task(SubWriterTask):  # type: ignore[misc]
        def run(self) -> None:
            _die_with_parent()
            if os.getppid() != parent:  # the parent died before prctl() took effect
                os._exit(1)
            self.skipped: list[str] = []
            super().run()
            if self.skipped:
                (skipped_dir / f"skipped-{os.getpid()}.txt").write_text("\n".join(self.skipped), encoding="utf-8")

        def _process_file(self, filename: str, doc_count: int) -> None:
            import pickle

            tempstorage = self.writer.temp_storage()
            with tempstorage.open_file(filename).raw_file() as f:
                for _ in range(doc_count):
                    _, args = pickle.load(f)
                    doc = make_doc(args["job"])
                    if doc is None:
                        self.skipped.append(str(args["job"][0]))
                    else:
                        self.writer.add_document(**doc)
            tempstorage.delete_file(filename)

    class Writer(MpWriter):  # type: ignore[misc]
        def _new_task(self) -> SubWriterTask:
            task = Task(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
            self.tasks.append(task)
            task.start()
            return task

    return Writer(ix, procs=procs, batchsize=64, multisegment=True, limitmb=limitmb)


def build(folder: Path, schema_: fields.Schema, jobs: list[Any], make_doc: Callable[[Any], dict[str, Any] | None],
          procs: int = 1, limitmb: int = 512, on_doc: Callable[[], None] | None = None) -> tuple[int, list[str]]:
    """Create an index in an empty `folder` from `jobs` (turned into documents by `make_doc`).

    Returns the number of documents and the jobs `make_doc` skipped (their first item). With
    several processes each one parses its share and writes its own segment, and the segments are
    not merged at the end (`multisegment`): that final merge is most of a straightforward build.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ix = FileStorage(str(folder)).create_index(schema_)
    skipped: list[str] = []
    if procs > 1:
        writer = _parallel_writer(ix, procs, limitmb // procs, make_doc, folder)
    else:
        writer = ix.writer(limitmb=limitmb)
    try:
        for job in jobs:
            if procs > 1:
                writer.add_document(job=job)
            else:
                doc = make_doc(job)
                if doc is None:
                    skipped.append(str(job[0]))
                else:
                    writer.add_document(**doc)
            if on_doc:
                on_doc()
        writer.commit(merge=False)
    except BaseException:
        writer.cancel()
        raise
    for note in folder.glob("skipped-*.txt"):
        skipped.extend(note.read_text(encoding="utf-8").split("\n"))
        note.unlink()
    return ix.doc_count(), sorted(skipped)


def update(folder: Path, remove: Iterable[str], add: Iterable[dict[str, Any]]) -> int:
    """Delete documents by key and add new ones in one commit (atomic: readers see before or after)."""
    ix = open_index(folder)
    writer = ix.writer(limitmb=64)
    try:
        for key in remove:
            writer.delete_by_term("key", key)
        count = 0
        for doc in add:
            writer.add_document(**doc)
            count += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return count


# --- searching ------------------------------------------------------------------------------


@dataclass
class RawHit:
    fields: dict[str, Any]
    score: float


@dataclass
class RawResults:
    hits: list[RawHit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    exact: bool = True


def _alt_query(fieldname: str, positions: tuple[tuple[str, ...], ...], boost: float) -> query.Query:
    if len(positions) == 1:
        stems = positions[0]
        if len(stems) == 1:
            return query.Term(fieldname, stems[0], boost=boost)
        return query.DisjunctionMax([query.Term(fieldname, s) for s in stems], boost=boost)
    return query.And([query.Or([query.Term(fieldname, s) for s in stems]) if len(stems) > 1
                      else query.Term(fieldname, stems[0]) for stems in positions], boost=boost)


def compile_plan(plan: Plan, public: bool, match_all: bool = False) -> query.Query | None:
    """A Whoosh query for a search plan: per concept, the best of its alternatives, summed over fields.

    Scores: BM25F over `text` (per-word weights by section) and `internal`, with a coordination
    bonus for articles that match more of the concepts.
    """
    allowed = PUBLIC_FIELDS if public else (*SEARCHED_FIELDS, "title")
    concepts: list[query.Query] = []
    excluded: list[query.Query] = []
    for concept in plan.concepts:
        per_field = []
        for name in concept.fields or (("text",) if public else SEARCHED_FIELDS):
            if name not in allowed:
                continue
            alts = [_alt_query(name, alt.positions, alt.weight) for alt in concept.alternatives]
            one = query.DisjunctionMax(alts) if len(alts) > 1 else alts[0]
            per_field.append(_with_boost(one, TEXT_FIELDS[name]))
        if not per_field:
            continue
        target = excluded if concept.excluded else concepts
        target.append(_or(per_field) if len(per_field) > 1 else per_field[0])
    if not concepts:
        return None
    if len(concepts) == 1:
        main: query.Query = concepts[0]
    else:
        main = query.And(concepts) if match_all else _or(concepts, scale=0.9)
    if excluded:
        main = query.AndNot(main, _or(excluded) if len(excluded) > 1 else excluded[0])
    return main


def _or(subqueries: list[query.Query], scale: float | None = None) -> query.Query:
    """A union as a tree of matchers (Whoosh would preload whole posting lists on small indexes)."""
    return query.compound.DefaultOr(subqueries, scale=scale)


def _with_boost(q: query.Query, boost: float) -> query.Query:
    q.boost = q.boost * boost
    return q


def _filter(filters: dict[str, tuple[str, ...]], fresh_after: str | None) -> query.Query | None:
    parts: list[query.Query] = []
    for name, values in filters.items():
        if values:
            fieldname = "tags" if name == "tag" else name
            terms = [query.Term(fieldname, v.lower() if fieldname == "tags" else v) for v in values]
            parts.append(terms[0] if len(terms) == 1 else query.Or(terms))
    if fresh_after:
        parts.append(query.TermRange("due", fresh_after, None))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def _pick(versions: list[RawHit], prefer_lang: str | None) -> RawHit:
    """The language version to show: the best one, or the preferred language's if it is nearly as good."""
    best = versions[0]
    for version in versions[1:]:
        if version.fields.get("lang") == prefer_lang and version.score >= 0.85 * best.score:
            return RawHit(version.fields, best.score)
    return best


class Searcher:
    """An open index for a run of queries (a CLI process opens one; a bot keeps one)."""

    def __init__(self, folder: Path) -> None:
        self.ix = open_index(folder)
        self.searcher = self.ix.searcher(weighting=scoring.BM25F(B=0.6, K1=1.2))

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def doc_count(self) -> int:
        return int(self.searcher.doc_count())

    def search(self, plan: Plan, filters: dict[str, tuple[str, ...]], public: bool, page: int, limit: int,
               fresh_after: str | None = None, facets: bool = False, collapse: bool = True,
               prefer_lang: str | None = None, match_all: bool = False) -> RawResults:
        q = compile_plan(plan, public, match_all)
        flt = _filter(filters, fresh_after)
        if q is None:
            return RawResults([], 0)
        kwargs: dict[str, Any] = {"filter": flt}
        # Collapsing by article id is done here: Whoosh's collapse collector fails with paging.
        wanted = page * limit
        fetch = wanted * 2 + 10 if collapse else wanted
        results = self.searcher.search(q, limit=fetch, **kwargs)
        groups: dict[str, list[RawHit]] = {}
        for hit in results:
            found = RawHit(dict(hit.fields()), float(hit.score or 0.0))
            groups.setdefault(found.fields.get("id", "") if collapse else str(hit.docnum), []).append(found)
        ordered = [_pick(versions, prefer_lang) for versions in groups.values()]
        # Counting every match would cost a second pass over all postings: the total is exact when
        # fewer documents matched than were fetched, else a lower bound ("more than").
        exact = results.scored_length() < fetch
        total = len(ordered)
        counts: dict[str, dict[str, int]] = {}
        if facets:  # counted once per article (not per language version), like `total`
            reader = self.searcher.reader()
            per: dict[str, dict[str, int]] = {"type": {}, "product": {}, "tag": {}}
            done: set[str] = set()
            for docnum in sorted(results.docs()):
                stored = reader.stored_fields(docnum)
                if collapse and stored.get("id") in done:
                    continue
                done.add(stored.get("id", ""))
                values = {"type": [stored.get("type")], "product": [stored.get("product")],
                          "tag": (stored.get("tags") or "").split(",")}
                for name, items in values.items():
                    for item in items:
                        if item:
                            per[name][item] = per[name].get(item, 0) + 1
            counts = {name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in per.items()}
        return RawResults(ordered[(page - 1) * limit:wanted], total, counts, exact)

    # -- vocabulary for typo correction
    def close_terms(self, fieldname: str, term: str, maxdist: int) -> list[str]:
        """Indexed terms (stems) within `maxdist` edits of `term`."""
        return [t.decode("utf-8") if isinstance(t, bytes) else t
                for t in self.searcher.reader().terms_within(fieldname, term, maxdist, prefix=1)]

    def term_count(self, fieldname: str, term: str) -> int:
        return int(self.searcher.doc_frequency(fieldname, term))

    def stored(self) -> Iterator[dict[str, Any]]:
        yield from self.searcher.reader().all_stored_fields()
