"""kb's indexing shortcuts against Whoosh's own code: the same terms, frequencies, weights and lengths.

`StemText.index` counts stems with `StemAnalyzer.counts` instead of Whoosh's `Frequency.word_values`
over a Token per word, and `_SegmentWriter` reads a new segment's field lengths once instead of a
seek per posting. Both are meant to write exactly the index Whoosh's own code writes: these tests
compare with `fields.TEXT` and Whoosh's `SegmentWriter`, used directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import fields
from whoosh.filedb.filestore import FileStorage

from kb.articles import read_article
from kb.config import load_config
from kb.search import engine, indexer
from kb.search.analysis import weighted
from tests.conftest import article, write_kb

LANGUAGES = ("en", "id")
FAST_FIELDS = ("title", "text", "internal")

TEXTS = {
    "english": "The printers aren't printing receipts; the printer prints nothing while printing.",
    "indonesian": "Pelanggannya tidak bisa memperbarui aplikasi. Perbarui aplikasi, lalu minta tautan baru.",
    "sections": weighted((4.0, "Refund failed"), (2.0, "Symptoms\nCause\nrefund payments"),
                         (1.0, "The refund shows failed. Retry the refund after a top-up.")),
    "same word, every weight": weighted((4.0, "sync sync"), (2.0, "sync"), (1.0, "sync syncing synced")),
    "fractional weights": weighted((1.5, "tablet outlet"), (0.5, "tablet tablet"), (0.25, "outlet")),
    "empty sections skipped": weighted((4.0, "Printer"), (2.0, ""), (1.0, "printer offline")),
    "punctuation": "Don't retry — it's broken!!! (error #42) e-mail/sms, foo_bar; “quoted” ‘single’ ... ??",
    "numbers": "Order 12345 and 007, version 2.7.5, 3 tablets, 1st 2nd, 10:30 on 2025-06-15, Rp 150.000",
    "repeated past 255": "sync " * 300 + "offline " * 256 + "export",
    "unicode": "Café naïve RÉSUMÉ straße ΣΊΣΥΦΟΣ Ünïcödé 東京 タブレット 🙂 it’s l’outlet",
    "short words": "ab cd x y QR id ok",
    "stop words only": "the and of it yang dan di ke",
    "whitespace": " \n\n\t  \r\n",
    "empty": "",
}


def _fields() -> dict[str, Any]:
    """Our fields, as the schema makes them, plus a boosted one (weights times the field boost)."""
    schema = engine.schema(LANGUAGES, "snowball")
    found: dict[str, Any] = {name: schema[name] for name in FAST_FIELDS}
    found["boosted"] = engine.StemText(analyzer=schema["text"].analyzer, phrase=False, field_boost=2.5)
    found["english only"] = engine.schema(("en",), "snowball")["text"]
    return found


FIELDS = _fields()


def _postings(items: Any) -> dict[bytes, tuple[int, float, bytes]]:
    """term -> (frequency, weight, encoded value) of `index()`'s tuples, each term once."""
    listed = [(term, (freq, weight, value)) for term, freq, weight, value in items]
    found = dict(listed)
    assert len(found) == len(listed), "a term listed twice"
    return found


@pytest.mark.parametrize("name", FIELDS)
@pytest.mark.parametrize("text", TEXTS)
def test_counted_stems_equal_whoosh_frequency_postings(name: str, text: str) -> None:
    field = FIELDS[name]
    assert type(field) is engine.StemText and type(field.format) is fields.formats.Frequency
    value = TEXTS[text]
    assert isinstance(field.index(value), list)  # the counted path (Whoosh's own `index()` is a generator)
    ours = _postings(field.index(value))
    theirs = _postings(fields.TEXT.index(field, value))  # Whoosh: the analyzer's tokens, counted
    assert ours == theirs
    # what the writer stores as the field length: the number of tokens
    assert sum(freq for freq, _, _ in ours.values()) == sum(freq for freq, _, _ in theirs.values())
    if text in ("english", "indonesian", "sections", "unicode", "repeated past 255"):
        assert ours


def test_fields_the_fast_path_does_not_handle_get_whoosh_postings() -> None:
    analyzer = FIELDS["text"].analyzer
    positions = engine.StemText(analyzer=analyzer, phrase=True)  # a Positions format: Whoosh's code
    value = TEXTS["sections"]
    assert _postings(positions.index(value)) == _postings(fields.TEXT.index(positions, value))
    words = ["printer", "printers", "tablet"]  # a list of words: Whoosh's code
    assert _postings(FIELDS["text"].index(words)) == _postings(fields.TEXT.index(FIELDS["text"], words))


# --- whole indexes ------------------------------------------------------------------------------

FILES = {
    "payments/refund-failed.md": article(
        "Refund to a customer failed", type="issue", audience="public", product="pay", tags="[refund, payments]",
        summary="Refunds fail when the balance is low.",
        body="## Symptoms\n\nThe refund shows failed.\n\n## Cause\n\nBalance too low.\n\n"
             "## Resolution\n\n1. Top up the balance and retry the refund.\n\n"
             '!!! internal "For agents"\n    Check the zebracorn panel before refunding twice.\n'),
    "payments/pengembalian.id.md": article(
        "Pengembalian dana ke kartu", type="best-practice", audience="public", product="pay", tags="[refund]",
        body="## Gejala\n\nPelanggannya menunggu pengembalian dana.\n\n"
             "Pengembalian dana ke kartu memakan waktu tiga hari kerja.\n"),
    "devices/printer.md": article(
        "Printer prints garbled characters", type="issue", audience="public", product="pos",
        body="## Symptoms\n\nThe printer prints strange symbols: ΣΊΣΥΦΟΣ, 東京, café.\n\n"
             "| Model | Code page |\n| --- | --- |\n| TM-20 | 437 |\n\n"
             "## Resolution\n\n1. Set the printer code page to 437 (v2.7.5).\n"),
    "devices/sync.md": article(
        "Offline sync", type="procedure", audience="public", product="pos",
        body="Sync " * 300 + "\n\n## Steps\n\n1. Sync again.\n" + "offline tablet " * 40 + "\n"),
    "devices/tiny.md": article("Tablet", type="procedure", body="Tablet.\n"),
    "devices/empty.md": article("", type="procedure", body=""),
    "support/escalate.md": article(
        "Escalate a ticket to tier 2", type="procedure", owner="budi", tags="[escalation, tier-2]",
        body="## Steps\n\n1. Tag the ticket tier2.\n\n" + "More text about the ticket. " * 25 +
             '\n\n!!! internal "Agents only"\n    Ping the on-call lead; the lead pings the vendor.\n'
             "    The vendor's lead replies within 2 hours.\n"),
}

WORDS = ["printer", "refund", "receipt", "offline", "sync", "tablet", "outlet", "struk", "pembayaran", "aplikasi"]


def _filler(count: int) -> dict[str, str]:
    """`count` more articles of varied lengths: past Whoosh's batch of 64, a second sub-writer gets some."""
    files = {}
    for n in range(count):
        words = [WORDS[(n * k) % len(WORDS)] for k in (1, 3, 7)]
        body = " ".join(words * (1 + n % 5)) + f" filler{n}\n" + "more text here. " * (n % 7)
        files[f"area/a{n:03}.md"] = article(f"{words[0].title()} {words[1]} problem", body=body)
    return files


def _whoosh_schema(ours: fields.Schema) -> fields.Schema:
    """Our schema with Whoosh's own TEXT fields, same analyzer and options, for the counted ones."""
    schema = ours.copy()
    for name in FAST_FIELDS:
        field = schema[name]
        schema.remove(name)
        schema.add(name, fields.TEXT(analyzer=field.analyzer, stored=field.stored, phrase=False))
    return schema


def _whoosh_build(root: Path, folder: Path) -> None:
    """The same documents written with Whoosh's own fields and SegmentWriter (the code before kb's shortcuts)."""
    config = load_config(root / "mkdocs.yml")
    schema = _whoosh_schema(engine.schema(config.languages, config.search.indonesian_stemmer))
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(schema)
    writer = ix.writer()
    assert type(writer).__name__ == "SegmentWriter" and type(writer) is not engine._SegmentWriter
    for path in sorted((root / "content").rglob("*.md")):
        writer.add_document(**indexer.document(read_article(path, config), config, "digest"))
    writer.commit(merge=False)


def _snapshot(folder: Path) -> dict[str, Any]:
    """What the index holds for scoring, by document key (docnums differ between one and several segments)."""
    ix = engine.open_index(folder)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        keys = {docnum: stored["key"] for docnum, stored in reader.iter_docs()}
        segments = len(reader.leaf_readers())
        scorable = sorted(name for name, field in ix.schema.items() if field.scorable)
        # a segment without any `internal` text says None where one with some says 0: both are no words
        lengths = {(keys[d], name): reader.doc_field_length(d, name) or 0 for d in keys for name in scorable}
        # (not min/max_field_length: Whoosh fails on a segment without any length for a field)
        totals = {name: reader.field_length(name) for name in scorable}
        terms: dict[tuple[str, bytes], Any] = {}
        blocks: list[Any] = []
        for name, term in reader.all_terms():
            info = reader.term_info(name, term)  # combined over segments; lengths written from `_Lengths`
            stats = (info.doc_frequency(), info.weight(), info.max_weight(), info.min_length(), info.max_length())
            postings = {}
            for leaf, offset in reader.leaf_readers():
                if (name, term) not in leaf:
                    continue
                matcher = leaf.postings(name, term)
                assert leaf.doc_frequency(name, term) < 128  # one block per term (Whoosh's blocklimit)
                block = (matcher.block_min_length(), matcher.block_max_length())
                found = []
                while matcher.is_active():
                    postings[keys[matcher.id() + offset]] = (matcher.weight(), matcher.value())
                    found.append(leaf.doc_field_length(matcher.id(), name) or 0)
                    matcher.next()
                # the block's shortest and longest documents, as the length column has them
                blocks.append((name, term, block, (min(found), max(found))))
            terms[name, term] = (reader.doc_frequency(name, term), stats, postings)
    return {"segments": segments, "documents": sorted(keys.values()), "lengths": lengths, "totals": totals,
            "terms": terms, "blocks": blocks}


@pytest.mark.parametrize("procs", [1, 2])
def test_index_built_by_kb_equals_whoosh_own_writer(tmp_path: Path, procs: int) -> None:
    files = {**FILES, **_filler(70)}
    root = write_kb(tmp_path / "kb", files, {"languages": list(LANGUAGES)})
    config = load_config(root / "mkdocs.yml")
    report = indexer.update_index(config, procs=procs)
    assert report.total == len(files) and not report.skipped
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    _whoosh_build(root, tmp_path / "whoosh")

    ours, theirs = _snapshot(folder), _snapshot(tmp_path / "whoosh")
    assert ours["documents"] == theirs["documents"] == sorted(files)
    assert ours["totals"] == theirs["totals"]
    assert ours["lengths"] == theirs["lengths"]
    assert ours["terms"].keys() == theirs["terms"].keys()
    assert ours["terms"] == theirs["terms"]
    assert [b for b in ours["blocks"] if b[2] != b[3]] == []
    if procs == 1:  # one segment each, documents in the same order: the same blocks
        assert ours["segments"] == theirs["segments"] == 1
        assert ours["blocks"] == theirs["blocks"]
    # the articles exercise what matters: long fields (lengths above 255), several documents per term
    assert max(ours["lengths"].values()) > 300
    assert max(df for df, _, _ in ours["terms"].values()) > 20
