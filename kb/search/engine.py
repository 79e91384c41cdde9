"""The one module that imports Whoosh: schema, analyzers, writers, and postings for the ranking.

Searching does not go through Whoosh's query matchers (one Python call per posting and per tree
level); `kb.search.ranking` scores whole blocks of postings read here (see its docstring).

Everything else in kb.search speaks plain Python (dicts, dataclasses from `kb.search.query`), so the
engine could be replaced without touching the indexer, the CLI or the reports.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from whoosh import fields, index, scoring
from whoosh.analysis import Composable, Token
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from kb.exceptions import SearchIndexError
from kb.search.analysis import SECTION_GAP, STOP_WORDS, Stemmers, sections, word_list, words

if TYPE_CHECKING:
    from kb.search.query import Plan

SCHEMA_VERSION = 10  # bump when the fields or the analysis change: an old index is rebuilt
# `text` holds what a customer may read, with per-word weights by where the word is (title x4,
# headings/summary/tags x2, body x1: see indexer.document); `internal` the `!!! internal` blocks;
# `title` is there for `title:word`. Few fields keep Whoosh's per-posting work small.
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

    def counts(self, value: str) -> tuple[Counter[str], dict[str, float]]:
        """Each stem's frequency and summed section weight in `value`, as indexing counts them.

        The same numbers as counting the tokens of `__call__` (Whoosh's `Frequency.word_values`),
        without a Token and a generator step per word (about a fifth of a single-process build in a profile).
        """
        stems = self.stemmers.stems
        freqs: Counter[str] = Counter()
        weights: dict[str, float] = {}
        for weight, text in sections(value):
            found = Counter([stem for word in word_list(text) if word not in STOP_WORDS for stem in stems(word)])
            freqs.update(found)
            for stem, count in found.items():  # section weights are small integers: sums are exact
                weights[stem] = weights.get(stem, 0.0) + weight * count
        return freqs, weights


_PACKED = [pack_uint(n) for n in range(256)]


class StemText(fields.TEXT):  # type: ignore[misc]
    """A TEXT field (frequencies, no positions) that indexes kb's analysis with `StemAnalyzer.counts`."""

    def index(self, value: Any, **kwargs: Any) -> Any:
        analyzer = self.analyzer
        if (not isinstance(value, str) or not isinstance(analyzer, StemAnalyzer) or kwargs.get("mode", "index") != "index"
                or type(self.format) is not fields.formats.Frequency):
            return super().index(value, **kwargs)
        freqs, weights = analyzer.counts(value)
        fb = self.format.field_boost
        return [(stem.encode("utf-8"), n, weights[stem] * fb, _PACKED[n] if n < 256 else pack_uint(n))
                for stem, n in freqs.items()]


def schema(languages: tuple[str, ...], indonesian: str) -> fields.Schema:
    stem = StemAnalyzer(languages, indonesian)
    return fields.Schema(
        key=fields.ID(unique=True, stored=True),  # the docs-relative path: one file, one document
        id=fields.ID(stored=True, sortable=True),
        title=StemText(analyzer=stem, stored=True, phrase=False),
        text=StemText(analyzer=stem, phrase=False),  # no positions: phrases match as all their words
        internal=StemText(analyzer=stem, phrase=False),
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


class _Lengths:
    """A new segment's field lengths, each field's column read once into a list.

    Whoosh's segment writer asks for the length of every posting's document (`doc_field_length`),
    each a seek and read in the on-disk column (about a sixth of a single-process build). Same numbers.
    """

    def __init__(self, reader: Any, count: int) -> None:
        self.reader = reader
        self.count = count
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        found = self._fields.get(fieldname)
        if found is None:
            try:
                column = self.reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
            except AttributeError:  # another codec: Whoosh's own lookups
                return self.reader.doc_field_length(docnum, fieldname, default)  # type: ignore[no-any-return]
            table = [default] + [byte_to_length(b) for b in range(1, 256)]
            found = self._fields[fieldname] = [table[b] for b in raw[:self.count]] + [default] * (self.count - len(raw))
        return found[docnum] if docnum < len(found) else default


class _SegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, with the new segment's field lengths read once (see `_Lengths`)."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader, self.docnum) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


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

            if type(self.writer) is SegmentWriter:  # made by Whoosh's run(): same state, our flush
                self.writer.__class__ = _SegmentWriter
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

    `limitmb` is Whoosh's estimate of the postings each writer holds in memory before it spills a
    sorted run to disk (about 310 MB resident per writer for 5,000 articles of ~860 words).
    Returns the number of documents and the jobs `make_doc` skipped (their first item). With
    several processes each one parses its share and writes its own segment, and the segments are
    not merged at the end (`multisegment`): that final merge is most of a straightforward build.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ix = FileStorage(str(folder)).create_index(schema_)
    skipped: list[str] = []
    if procs > 1:
        # Each sub-writer gets the whole `limitmb`: with it split between them (256 MB each), a
        # sub-writer's postings at 10,000 articles sat right at the limit, and the one that went
        # over spilled a sorted run to disk and merged it back at the end (unpickling every posting):
        # that writer took ~1.7x as long, so the build took 12 s or 21 s depending on the split.
        writer = _parallel_writer(ix, procs, limitmb, make_doc, folder)
    else:
        writer = _SegmentWriter(ix, limitmb=limitmb)
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


def _leaf_blocks(matcher: Any) -> Iterator[tuple[Any, Any]]:
    """(ids, weights) of a term's postings, a block at a time (decoded in C by Whoosh's codec).

    Reads the block attributes of whoosh-reloaded 2.7's W3LeafMatcher (the version is pinned);
    other matchers (short posting lists are stored inline) are walked one posting at a time.
    """
    if isinstance(matcher, FilterMatcher):  # deletions are removed by the caller
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            matcher._read_weights()
            yield accumulate(matcher._data[0]), matcher._weights  # delta-coded ids (decoded in C)
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


class _Segment:
    """One segment of the open index: its reader, first global docnum and cached field lengths."""

    def __init__(self, reader: Any, offset: int) -> None:
        self.reader = reader
        self.offset = offset
        self.count = reader.doc_count_all()
        self._lengths: dict[str, bytes] = {}

    def lengths(self, fieldname: str) -> bytes:
        """The length byte of `fieldname` for every document (as BM25F reads it)."""
        found = self._lengths.get(fieldname)
        if found is None:
            try:
                column = self.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
            except AttributeError:  # another codec: slower, but the same numbers
                raw = bytes(length_to_byte(self.reader.doc_field_length(d, fieldname, 0) or 0)
                            for d in range(self.count))
            found = self._lengths[fieldname] = bytes(raw[:self.count]).ljust(self.count, b"\0")
        return found


class _Postings:
    """kb.search.ranking's view of an open index: BM25F scores of one term's documents."""

    def __init__(self, searcher: Any, weighting: scoring.BM25F) -> None:
        self.searcher = searcher
        self.B = weighting.B
        self.field_B = dict(weighting._field_B)
        self.K1 = weighting.K1
        self.segments = [_Segment(r, off) for r, off in searcher.reader().leaf_readers()]
        self._deleted: frozenset[int] | None = None
        self._norms: dict[str, list[float]] = {}
        self._sets: dict[tuple[str, str], set[int]] = {}

    def deleted(self) -> frozenset[int]:
        if self._deleted is None:
            self._deleted = frozenset(d + s.offset for s in self.segments if s.reader.has_deletions()
                                      for d in s.reader.deleted_docs_set)
        return self._deleted

    def _norm(self, fieldname: str) -> list[float]:
        """K1 * ((1 - B) + B * length / average length), by length byte."""
        found = self._norms.get(fieldname)
        if found is None:
            avg = self.searcher.avg_field_length(fieldname) or 1
            b_ = self.field_B.get(fieldname, self.B)
            found = self._norms[fieldname] = [self.K1 * ((1 - b_) + b_ * byte_to_length(b) / avg)
                                              for b in range(256)]
        return found

    def term_scores(self, fieldname: str, text: str, boost: float) -> dict[int, float]:
        scores: dict[int, float] = {}
        if (fieldname, text) not in self.searcher.reader():
            return scores
        c = self.searcher.idf(fieldname, text) * (self.K1 + 1) * boost
        norm = self._norm(fieldname)
        for segment in self.segments:
            try:
                matcher = segment.reader.postings(fieldname, text)
            except TermNotFound:
                continue
            lengths = segment.lengths(fieldname)
            off = segment.offset
            for ids, weights in _leaf_blocks(matcher):
                if off:
                    scores.update({d + off: c * w / (w + norm[lengths[d]]) for d, w in zip(ids, weights)})
                else:
                    scores.update({d: c * w / (w + norm[lengths[d]]) for d, w in zip(ids, weights)})
        return scores

    def docs(self, fieldname: str, text: str) -> set[int]:
        """Documents with `text` in `fieldname` (filters); kept for the life of the searcher."""
        key = (fieldname, text)
        found = self._sets.get(key)
        if found is None:
            found = set()
            for ids in self._id_blocks(fieldname, text):
                found.update(ids)
            self._sets[key] = found
        return found

    def count_in(self, fieldname: str, text: str, among: set[int]) -> int:
        """How many of the documents `among` have `text` in `fieldname` (not cached: typo candidates)."""
        return sum(len(among.intersection(ids)) for ids in self._id_blocks(fieldname, text))

    def _id_blocks(self, fieldname: str, text: str) -> Iterator[Sequence[int]]:
        """The ids of the documents with `text` in `fieldname`, a posting block at a time, in the
        numbering of the whole index (each segment's ids shifted by its offset)."""
        for segment in self.segments:
            try:
                matcher = segment.reader.postings(fieldname, text)
            except TermNotFound:
                continue
            off = segment.offset
            for ids, _ in _leaf_blocks(matcher):
                yield [d + off for d in ids] if off else ids

    def docs_from(self, fieldname: str, start: str) -> set[int]:
        """Documents with a term >= `start` in `fieldname` (a date range)."""
        found: set[int] = set()
        for name, text in self.searcher.reader().terms_from(fieldname, start):
            if name != fieldname:
                break
            found |= self.docs(fieldname, text.decode("utf-8") if isinstance(text, bytes) else text)
        return found


def _allowed(postings: _Postings, filters: dict[str, tuple[str, ...]], fresh_after: str | None) -> set[int] | None:
    """The documents the filters allow (one of the values of each field, every field), or None for all."""
    from kb.search.ranking import union

    allowed: set[int] | None = None
    for name, values in filters.items():
        if values:
            fieldname = "tags" if name == "tag" else name
            found = union(postings.docs(fieldname, v.lower() if fieldname == "tags" else v) for v in values)
            allowed = found if allowed is None else allowed & found
    if fresh_after:
        found = postings.docs_from("due", fresh_after)
        allowed = found if allowed is None else allowed & found
    return allowed


def _pick(versions: list[RawHit], prefer_lang: str | None) -> RawHit:
    """The language version to show: the best one, or the preferred language's if it is nearly as good."""
    best = versions[0]
    for version in versions[1:]:
        if version.fields.get("lang") == prefer_lang and version.score >= 0.85 * best.score:
            return RawHit(version.fields, best.score)
    return best


class View:
    """The vocabulary of part of the index: `fields` of the documents `docs`, for typo correction.

    A public search corrects from what a customer may read only, so a "Did you mean" never names
    a word of an internal article or block (kb.search.query.Vocabulary).
    """

    def __init__(self, searcher: Searcher, docs: set[int], fields_: tuple[str, ...]) -> None:
        self.searcher = searcher
        self.docs = docs
        self.fields = fields_

    def term_count(self, fieldname: str, term: str) -> int:
        if fieldname not in self.fields or (fieldname, term) not in self.searcher.searcher.reader():
            return 0
        return self.searcher.postings.count_in(fieldname, term, self.docs)

    def close_terms(self, fieldname: str, term: str, maxdist: int) -> list[str]:
        if fieldname not in self.fields:
            return []
        return [t for t in self.searcher.close_terms(fieldname, term, maxdist) if self.term_count(fieldname, t)]

    def terms(self, fieldname: str) -> frozenset[str]:
        """A superset of the view's terms (the whole field's): correction counts each candidate it keeps."""
        return self.searcher.terms(fieldname) if fieldname in self.fields else frozenset()


class Searcher:
    """An open index for a run of queries (a CLI process opens one; a bot keeps one)."""

    def __init__(self, folder: Path) -> None:
        self.ix = open_index(folder)
        # Titles are short and say what the article is about: their own length normalisation
        # (a word in a 4-word title counts more than in a 12-word one), as BM25F intends per field.
        weighting = scoring.BM25F(B=0.6, K1=1.2, title_B=0.75)
        self.searcher = self.ix.searcher(weighting=weighting)
        self.postings = _Postings(self.searcher, weighting)
        self._terms: dict[str, frozenset[str]] = {}

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def doc_count(self) -> int:
        return int(self.searcher.doc_count())

    def doc_count_all(self) -> int:
        """Documents including deleted ones (the range of document numbers)."""
        return int(self.searcher.doc_count_all())

    def search(self, plan: Plan, filters: dict[str, tuple[str, ...]], public: bool, page: int, limit: int,
               fresh_after: str | None = None, facets: bool = False, collapse: bool = True,
               prefer_lang: str | None = None, match_all: bool = False) -> RawResults:
        from kb.search import ranking

        evidence: list[dict[int, float]] = []
        scores = ranking.score_plan(plan, self.postings, public, match_all, evidence)
        languages = {lang: self.postings.docs("lang", lang) for lang in self.terms("lang")}
        query_lang = ranking.query_language(evidence, languages)
        if query_lang:
            ranking.prefer_language(scores, languages[query_lang])
            prefer_lang = query_lang
        allowed = _allowed(self.postings, filters, fresh_after)
        if allowed is not None:
            ranking.keep_only(scores, allowed)
        # Collapsing by article id is done here: a few more hits than shown, grouped by id.
        wanted = page * limit
        fetch = wanted * 2 + 10 if collapse else wanted
        best = ranking.top(scores, fetch)
        reader = self.searcher.reader()
        groups: dict[str, list[RawHit]] = {}
        for docnum, score in best:
            found = RawHit(reader.stored_fields(docnum), score)
            groups.setdefault(found.fields.get("id", "") if collapse else str(docnum), []).append(found)
        ordered = [_pick(versions, prefer_lang) for versions in groups.values()]
        # Counting every match would cost a second pass over all postings: the total is exact when
        # fewer documents matched than were fetched, else a lower bound ("more than").
        exact = len(scores) < fetch
        total = len(ordered)
        counts: dict[str, dict[str, int]] = {}
        if facets:  # counted once per article (not per language version), like `total`
            per: dict[str, dict[str, int]] = {"type": {}, "product": {}, "tag": {}}
            done: set[str] = set()
            for docnum in sorted(scores):
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
    def view(self, filters: dict[str, tuple[str, ...]], fields_: tuple[str, ...]) -> View:
        """The vocabulary of `fields_` in the live documents the filters allow."""
        allowed = _allowed(self.postings, filters, None)
        docs = set(range(self.doc_count_all())) if allowed is None else allowed
        return View(self, docs - self.postings.deleted(), fields_)

    def close_terms(self, fieldname: str, term: str, maxdist: int) -> list[str]:
        """Indexed terms (stems) within `maxdist` edits of `term`."""
        return [t.decode("utf-8") if isinstance(t, bytes) else t
                for t in self.searcher.reader().terms_within(fieldname, term, maxdist, prefix=1)]

    def terms(self, fieldname: str) -> frozenset[str]:
        """Every term (stem) of a field, loaded on first use (typo correction checks candidates)."""
        found = self._terms.get(fieldname)
        if found is None:
            words: set[str] = set()
            for segment, _ in self.searcher.reader().leaf_readers():
                words.update(t.decode("utf-8") if isinstance(t, bytes) else t for t in segment.lexicon(fieldname))
            found = self._terms[fieldname] = frozenset(words)
        return found

    def term_count(self, fieldname: str, term: str) -> int:
        return int(self.searcher.doc_frequency(fieldname, term))

    def stored(self) -> Iterator[dict[str, Any]]:
        yield from self.searcher.reader().all_stored_fields()
