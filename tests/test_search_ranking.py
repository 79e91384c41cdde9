"""The term-at-a-time scorer against Whoosh's own BM25F, and the snippet window."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query

from kb.config import load_config
from kb.search import indexer, ranking
from kb.search.analysis import Stemmers
from kb.search.engine import Searcher
from kb.search.query import build_plan
from kb.search.searching import snippet
from tests.conftest import article, write_kb

WORDS = "printer refund receipt offline sync tablet outlet payment invoice export".split()


def _files(count: int) -> dict[str, str]:
    files = {}
    for n in range(count):
        words = [WORDS[(n * k) % len(WORDS)] for k in (1, 3, 7)]
        body = " ".join(words * (1 + n % 4)) + f" filler{n}\n" + ("more text here. " * (n % 9))
        files[f"area/a{n:03}.md"] = article(f"{words[0].title()} {words[1]} problem", body=body,
                                            audience="public" if n % 2 else "internal")
    return files


@pytest.fixture
def segmented(tmp_path: Path) -> Path:
    """An index of several segments with deleted documents (a full build, then an update)."""
    root = write_kb(tmp_path / "kb", _files(120), {"languages": ["en", "id"]})
    config = load_config(root / "mkdocs.yml")
    indexer.update_index(config, procs=2)
    for n in range(0, 120, 11):
        path = root / "content" / "area" / f"a{n:03}.md"
        path.write_text(path.read_text() + "\nprinter printer refund\n")
    report = indexer.update_index(config)
    assert report.changed and not report.rebuilt
    return root


def test_term_scores_equal_whoosh_bm25f_over_segments_and_deletions(segmented: Path) -> None:
    config = load_config(segmented / "mkdocs.yml")
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    with Searcher(folder) as searcher:
        assert len(searcher.postings.segments) > 1 and searcher.postings.deleted()
        stems = Stemmers(config.languages)
        for word in ("printer", "refund", "sync", "filler7"):
            for stem in stems.stems(word):
                ours = searcher.postings.term_scores("text", stem, 1.0)
                theirs = {hit.docnum: hit.score for hit in searcher.searcher.search(query.Term("text", stem), limit=None)}
                for doc in searcher.postings.deleted():
                    ours.pop(doc, None)
                assert ours.keys() == theirs.keys() and theirs
                assert all(abs(ours[d] - theirs[d]) < 1e-6 * max(1.0, theirs[d]) for d in theirs)


def test_plan_scores_combine_like_the_query_they_replace(segmented: Path) -> None:
    config = load_config(segmented / "mkdocs.yml")
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    stems = Stemmers(config.languages)
    with Searcher(folder) as searcher:
        source = searcher.postings
        one = {w: ranking.score_plan(build_plan(w, stems), source, public=False) for w in ("offline", "refund")}
        both = ranking.score_plan(build_plan("offline refund", stems), source, public=False)
        assert both.keys() == one["offline"].keys() | one["refund"].keys()
        # Concepts add up; an article whose title holds every concept gets the title bonus once.
        bonus = 1 + ranking.ALL_IN_TITLE_BONUS
        titled = {w: set(source.term_scores("title", stems.primary(w), 1.0)) for w in one}
        plain = {w: {d: s / (bonus if d in titled[w] else 1) for d, s in one[w].items()} for w in one}
        in_both = titled["offline"] & titled["refund"]
        assert in_both and (titled["offline"] | titled["refund"]) - in_both
        for d in both:
            expected = plain["offline"].get(d, 0) + plain["refund"].get(d, 0)
            assert abs(both[d] - expected * (bonus if d in in_both else 1)) < 1e-9
        every = ranking.score_plan(build_plan("offline refund", stems), source, public=False, match_all=True)
        assert every.keys() == one["offline"].keys() & one["refund"].keys()
        without = ranking.score_plan(build_plan("offline -refund", stems), source, public=False)
        assert without.keys() == one["offline"].keys() - one["refund"].keys()
        best = ranking.top(both, 5)
        assert [s for _, s in best] == sorted(both.values(), reverse=True)[:5]


def test_snippet_picks_the_window_with_most_distinct_words_in_a_long_text() -> None:
    stems = Stemmers(("en",))
    # within the 40,000 characters scanned
    text = "alpha words " * 2_500 + "here alpha beta gamma together. " + "alpha filler " * 100 + "here alpha beta gamma together. " + "alpha filler " * 100
    found, marks = snippet(text, frozenset({"alpha", "beta", "gamma"}), stems)
    marked = {found[s:e] for s, e in marks}
    assert {"alpha", "beta", "gamma"} <= marked
    assert found.startswith("… ")


# --- relevance: titles, synonyms, the query's language, clean snippets ----------------------

def _search(root: Path, query: str, **options: object) -> list[str]:
    from kb.search.searching import SearchOptions, search

    results, _ = search(load_config(root / "mkdocs.yml"), query, SearchOptions(log=False, **options))  # type: ignore[arg-type]
    return [hit.path for hit in results.hits]


LOCKED_BODY = ("## Cause\n\n| Who | Trigger | Lock |\n|---|---|---|\n"
               "| Owner | 5 wrong passwords | until the password is reset |\n"
               "| Staff | 5 wrong PINs | until the password is reset by the owner |\n\n"
               "## Resolution\n\n1. Reset the password, then sign in with the new password.\n"
               "2. If the reset fails, reset the password again from the sign-in screen.\n"
               "3. A password reset also unlocks a staff PIN; reset passwords only for the owner.\n"
               + "Reset the password. " * 4 + "The lock protects the shop's sales data. " * 12 + "\n")


def test_a_title_holding_every_word_beats_a_body_that_repeats_them(kb_factory) -> None:  # type: ignore[no-untyped-def]
    root = kb_factory({
        "account/locked.md": article("Account locked after too many sign-in attempts", body=LOCKED_BODY),
        "account/reset.md": article("Password reset link expired or not working",
                                    body="## Symptoms\n\nThe link in the e-mail says it expired.\n\n"
                                         "## Cause\n\nLinks are valid for 30 minutes; request a new password.\n"
                                         + "Only the newest link works. " * 8 + "\n"),
        "account/close.md": article("Cannot close the account", body="Closing needs the owner.\n"),
        "payments/settlement.md": article("Settlement not received in the bank account",
                                          body="The bank account is closed or the account name differs. "
                                               "Check the account number. Closed accounts return the money; "
                                               "a closed account closes the settlement account too. "
                                               + "Closed account? Reopen the account. " * 3 + "\n"),
    }, {"languages": ["en"]})
    assert _search(root, "password reset")[:2] == ["account/reset.md", "account/locked.md"]
    assert _search(root, "how to close my account")[0] == "account/close.md"


def test_a_synonym_counts_less_than_the_word_typed_and_a_phrase_is_not_its_words(kb_factory) -> None:  # type: ignore[no-untyped-def]
    root = kb_factory({
        "payments/a-ganda.id.md": article(
            "Pengembalian dana gagal", body="Lakukan pengembalian dana. Pengembalian dana gagal? "
                                            "Ulangi pengembalian dana lewat chargeback. Dana kembali.\n"),
        "payments/b-refund.md": article("Refund to a customer fails", body="The refund failed. Retry later. "
                                        "Check the customer's bank and the card network before you retry.\n"),
        "payments/c-dana.md": article("DANA wallet top-up", body="DANA is an e-wallet. Top up DANA.\n"),
        "payments/d-kembali.id.md": article("Kembali ke kasir", body="Tekan Kembali untuk kembali ke layar kasir. "
                                                                 "Tombol ini mengembalikan layar ke menu. Dana masuk besok.\n"),
    }, {"languages": ["en", "id"], "search": {"synonyms": [["refund", "pengembalian dana", "chargeback"]]}})
    found = _search(root, "refund failed")
    assert found[0] == "payments/b-refund.md" and "payments/a-ganda.id.md" in found
    # `pengembalian dana` is one phrase: neither `dana` nor `kembali` (a stem of `pengembalian`) alone.
    assert set(_search(root, "refund")) == {"payments/a-ganda.id.md", "payments/b-refund.md"}
    assert set(_search(root, "pengembalian dana")) == {"payments/a-ganda.id.md", "payments/b-refund.md"}


def test_a_contraction_typed_without_its_apostrophe_finds_the_contraction(kb_factory) -> None:  # type: ignore[no-untyped-def]
    from kb.search.searching import SearchOptions, search

    root = kb_factory({
        "mail/shared.md": article("Can't open a shared mailbox", body="Outlook doesn't show the shared mailbox.\n"),
        "mail/cnt.md": article("CNT export of a mailbox", body="The cnt file lists the mailbox folders. Cnt cnt.\n"),
        "mail/cnt-2.md": article("CNT import", body="Import a cnt file.\n"),
        "mail/does.md": article("What the sync does", body="Sync does copy the mailbox. It does. Does it?\n"),
    }, {"languages": ["en"]})
    results, _ = search(load_config(root / "mkdocs.yml"), "cant open shared mailbox", SearchOptions(log=False))
    assert results.corrections == {"cant": "can't"} and results.hits[0].path == "mail/shared.md"
    results, _ = search(load_config(root / "mkdocs.yml"), "mailbox doesnt show", SearchOptions(log=False))
    assert results.corrections == {"doesnt": "doesn't"} and results.hits[0].path == "mail/shared.md"


def test_an_error_code_is_never_corrected_into_another_code(kb_factory) -> None:  # type: ignore[no-untyped-def]
    from kb.search.searching import SearchOptions, search

    root = kb_factory({
        "mail/ccc80.md": article("0x800ccc80 error when sending mail", body="Error 0x800CCC80: none of the methods.\n"),
        "teams/caa.md": article("Sign-in error caa70007", body="Teams shows caa70007.\n"),
    }, {"languages": ["en"]})
    for code in ("0x800CCC0E", "caa70004"):
        results, _ = search(load_config(root / "mkdocs.yml"), code, SearchOptions(log=False))
        assert results.corrections == {} and results.did_you_mean is None and results.hits == []
    assert _search(root, "0x800ccc80") == ["mail/ccc80.md"]


def test_the_query_language_is_preferred_on_a_near_tie_without_hiding_the_other(kb_factory) -> None:  # type: ignore[no-untyped-def]
    files = {
        # Same title and body words the query matches; index order puts the Indonesian one first.
        "devices/a-printer-offline.id.md": article("Printer offline", body="Printer offline. Nyalakan ulang.\n"),
        "devices/b-printer-offline.md": article("Printer offline", body="Printer offline. Restart it.\n"),
    }
    for n in range(3):  # words that belong to one language
        files[f"other/en-{n}.md"] = article(f"Cable guide {n}", body="Check the cable and the power.\n")
        files[f"other/id-{n}.id.md"] = article(f"Panduan kabel {n}", body="Periksa kabel dan daya.\n")
    root = kb_factory(files, {"languages": ["en", "id"]})
    assert _search(root, "printer offline cable")[:2] == ["devices/b-printer-offline.md", "devices/a-printer-offline.id.md"]
    assert _search(root, "printer offline kabel")[:2] == ["devices/a-printer-offline.id.md", "devices/b-printer-offline.md"]


def test_query_language_votes_by_share_of_each_language() -> None:
    languages = {"en": set(range(0, 10)), "id": set(range(10, 15))}
    english, indonesian, both = {1: 1.0, 2: 1.0}, {11: 1.0}, {1: 1.0, 2: 1.0, 11: 1.0}  # both: 2/10, 1/5
    assert ranking.query_language([english, both], languages) == "en"
    assert ranking.query_language([indonesian, both, {}], languages) == "id"
    assert ranking.query_language([english, indonesian], languages) is None
    assert ranking.query_language([both], languages) is None


def test_plain_text_drops_markdown_syntax_from_snippets() -> None:
    from kb.search.analysis import plain_text

    body = ("## Cause {#cause}\n\nLinks last 30 minutes.\n\n| Who | Lock |\n|:---|---:|\n| Owner | 30 minutes |\n\n"
            '!!! warning "Before you start"\n    Back up first.\n\n!!! note\n    Plain.\n\n## Still failing?\n\n---\n\n'
            "- **Bold** item\n\n:::image type=\"content\" source=\"media/a.png\":::\n")
    assert plain_text(body) == ("Cause —\nLinks last 30 minutes.\nWho · Lock;\nOwner · 30 minutes;\n"
                                "Before you start —\nBack up first.\nPlain.\nStill failing?\nBold item")


def test_plain_text_decodes_entities_and_drops_alert_markers() -> None:
    from kb.search.analysis import plain_text

    # As in Microsoft's support articles: an entity in the text and a `> [!NOTE]` alert.
    body = "Original KB number: &nbsp;3126599\n\n> [!NOTE]\n> Use &lt;b&gt; &amp; not ?a=1&copy=2.\n"
    assert plain_text(body) == "Original KB number: 3126599\nUse <b> & not ?a=1&copy=2."


def test_search_snippets_read_as_text(kb_factory) -> None:  # type: ignore[no-untyped-def]
    from kb.search.searching import SearchOptions, search

    root = kb_factory({"account/locked.md": article("Account locked", body=LOCKED_BODY)}, {"languages": ["en"]})
    results, _ = search(load_config(root / "mkdocs.yml"), "wrong passwords", SearchOptions(log=False))
    text = results.hits[0].snippet
    assert "|" not in text and "---" not in text and "##" not in text
    assert "Owner · 5 wrong passwords · until the password is reset; Staff · 5 wrong PINs" in text
    assert "owner; Resolution — Reset the password" in text


def test_an_error_code_in_the_query_must_be_in_the_answer(kb_factory) -> None:  # type: ignore[no-untyped-def]
    """`event id 4999`: titles full of "Event ID" must not bury the one article that holds 4999;
    a code no article holds leaves the other words to rank."""
    files = {f"events/event-{n}.md": article(f"Event ID {n} in the event log", body=f"Event ID {n} is logged when sync stops.\n")
             for n in (2080, 35, 9519)}
    files["events/crash.md"] = article("Store worker crashes", body="The log shows event 4999 after the crash.\n")
    root = kb_factory(files, {"languages": ["en"]})
    assert _search(root, "event id 4999") == ["events/crash.md"]
    assert len(_search(root, "event id 1234")) == 4  # no article holds 1234: the words still find these


def test_hyphenated_words_are_found_written_either_way(kb_factory) -> None:  # type: ignore[no-untyped-def]
    """Customers write `wifi`, articles `Wi-Fi` (and `e-mail`/`email`); `sign-in` still finds `sign in`."""
    root = kb_factory({"devices/offline.md": article("Tablet offline", body="Check the Wi-Fi router first.\n"),
                       "account/mail.md": article("Receipts by mail", body="Receipts go out by email.\n"),
                       "account/login.md": article("Cannot log on", body="Staff cannot sign in after an update.\n"),
                       "other/cable.md": article("Cable guide", body="Check the power cable.\n")}, {"languages": ["en"]})
    for query in ("wifi", "wi-fi", "Wi-Fi", "WiFi?"):
        assert _search(root, query) == ["devices/offline.md"], query
    assert _search(root, "e-mail receipts") == ["account/mail.md"]
    assert _search(root, "sign-in") == ["account/login.md"]


def test_compound_parts_and_joined_words() -> None:
    from kb.search.analysis import compound_parts, word_list

    assert compound_parts("Wi-Fi?") == ("wi", "fi") and compound_parts("e-mail") == ("e", "mail")
    assert compound_parts("2024-05-01") is None and compound_parts("a-b-c-d") is None and compound_parts("wifi") is None
    assert word_list("Use Wi-Fi, not e-mail; x-1 stays") == ["use", "wi", "fi", "not", "e", "mail", "x", "1", "stays", "wifi", "email"]
