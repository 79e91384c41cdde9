"""kb search on small real knowledge bases: analysis, typos, synonyms, filters, audiences, output."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kb.config import load_config
from kb.search import indexer
from kb.search.searching import SearchOptions, search
from tests.conftest import article, write_kb

TODAY = date(2025, 6, 15)

FILES = {
    "account/password-reset.md": article(
        "Password reset link expired", type="issue", audience="public", product="dashboard",
        tags="[password, sign-in]", owner="maya",
        body="## Symptoms\n\nThe reset link says it expired.\n\n## Cause\n\nLinks last 30 minutes.\n\n"
             "## Resolution\n\n1. Request a new password reset link.\n\n"
             '!!! internal "For agents"\n    Check the zebracorn panel in admin before resetting anything.\n'),
    "account/password-reset.id.md": article(
        "Tautan atur ulang kata sandi kedaluwarsa", type="issue", audience="public", product="dashboard",
        tags="[password]", owner="maya",
        body="## Gejala\n\nTautan untuk pelanggannya sudah tidak berlaku.\n\n## Penyebab\n\nAplikasi belum diperbarui.\n\n"
             "## Solusi\n\n1. Minta tautan baru.\n"),
    "account/two-factor.md": article(
        "Set up two-factor authentication", type="procedure", audience="public", product="dashboard",
        tags="[security]", body="## Steps\n\n1. Open settings.\n2. Scan the code with an authenticator app.\n"),
    "payments/refund-failed.md": article(
        "Refund to a customer failed", type="issue", audience="public", product="pay", tags="[refund, payments]",
        owner="rizky", body="## Symptoms\n\nThe refund shows failed.\n\n## Cause\n\nBalance too low.\n\n"
                            "## Resolution\n\n1. Top up the balance and retry the refund.\n"),
    "payments/pengembalian.id.md": article(
        "Pengembalian dana ke kartu", type="best-practice", audience="public", product="pay", tags="[refund]",
        owner="rizky", body="Pengembalian dana ke kartu memakan waktu tiga hari kerja.\n"),
    "support-team/escalate.md": article(
        "Escalate a ticket to tier 2", type="procedure", owner="budi",
        body="## Steps\n\n1. Tag the ticket tier2 and add the zebracorn checklist.\n"),
    "devices/printer-draft.md": article(
        "Printer setup guide", type="procedure", audience="public", status="draft", product="pos",
        body="## Steps\n\n1. Pair the printer.\n"),
    "devices/printer-old.md": article(
        "Old printer pairing", type="procedure", audience="public", status="archived", product="pos",
        body="## Steps\n\n1. Pair the printer the old way.\n"),
    "devices/printer-stale.md": article(
        "Printer prints garbled characters", type="issue", audience="public", product="pos", reviewed="2024-01-10",
        body="## Symptoms\n\nThe printer prints strange symbols.\n\n## Cause\n\nWrong code page.\n\n"
             "## Resolution\n\n1. Set the printer code page.\n"),
}
SECTION = {"languages": ["en", "id"], "search": {"synonyms": [["2fa", "two-factor", "mfa"], ["refund", "pengembalian dana"]]}}


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_kb(tmp_path / "kb", FILES, SECTION)
    monkeypatch.chdir(root)
    return root


def find(root: Path, query: str, **options: Any) -> Any:
    options.setdefault("today", TODAY)
    results, _ = search(load_config(root / "mkdocs.yml"), query, SearchOptions(**options))
    return results


def ids(results: Any) -> list[str]:
    return [hit.id for hit in results.hits]


def paths(results: Any) -> list[str]:
    return [hit.path for hit in results.hits]


# --- analysis ---------------------------------------------------------------------------


def test_indonesian_stemming_finds_inflected_forms(kb: Path) -> None:
    assert paths(find(kb, "pelanggan", collapse=False)) == ["account/password-reset.id.md"]
    assert paths(find(kb, "perbarui", collapse=False)) == ["account/password-reset.id.md"]


def test_english_stemming(kb: Path) -> None:
    assert ids(find(kb, "refunds failing"))[0] == "payments/refund-failed"


def test_title_outweighs_body(kb: Path) -> None:
    # "printer" is in the stale article's title and only in the body of nothing else published
    result = find(kb, "garbled printer")
    assert ids(result)[0] == "devices/printer-stale"


# --- typos and synonyms ---------------------------------------------------------------------


def test_misspelled_words_are_corrected_and_shown(kb: Path) -> None:
    result = find(kb, "passwrod reset")
    assert result.did_you_mean == "password reset"
    assert result.corrections == {"passwrod": "password"}
    assert ids(result)[0] == "account/password-reset"


def test_correct_words_are_left_alone(kb: Path) -> None:
    assert find(kb, "password reset").did_you_mean is None


def test_synonyms_from_config(kb: Path) -> None:
    assert ids(find(kb, "mfa")) == ["account/two-factor"]
    # a phrase synonym: "pengembalian dana" <-> refund
    assert "payments/refund-failed" in ids(find(kb, "pengembalian dana"))


def test_synonyms_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path / "kb", FILES, {"languages": ["en", "id"], "search": {"synonyms_file": "synonyms.txt"}})
    (root / "synonyms.txt").write_text("# team synonyms\nescalation, handover\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert ids(find(root, "handover")) == ["support-team/escalate"]


# --- query syntax -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ['"password reset', "AND", "title:", "OR OR NOT", "(((", 'title:"', '"', ":",
                                   "tag:", "*", "\\", "-", "password AND", "title: reset", "-- reset", "'"])
def test_query_syntax_never_fails(kb: Path, query: str) -> None:
    result = find(kb, query)
    assert result.total >= 0


def test_unbalanced_quote_and_empty_field_are_plain_words(kb: Path) -> None:
    assert ids(find(kb, '"password reset'))[0] == "account/password-reset"
    assert "account/password-reset" in ids(find(kb, "title: password"))


def test_phrases_fields_and_exclusions(kb: Path) -> None:
    assert ids(find(kb, '"reset link"')) == ["account/password-reset"]
    assert ids(find(kb, "title:refund")) == ["payments/refund-failed"]
    assert "payments/refund-failed" not in ids(find(kb, "refund -balance"))
    assert ids(find(kb, "refund tag:refund product:pay type:issue")) == ["payments/refund-failed"]


# --- filters, audiences, statuses, freshness --------------------------------------------


def test_filters(kb: Path) -> None:
    assert set(ids(find(kb, "printer", types=("issue",)))) == {"devices/printer-stale"}
    assert set(ids(find(kb, "refund", tags=("payments",)))) == {"payments/refund-failed"}
    assert set(ids(find(kb, "refund pengembalian", langs=("id",)))) == {"payments/pengembalian"}
    assert set(ids(find(kb, "reset password", owners=("maya",)))) == {"account/password-reset"}
    assert set(ids(find(kb, "password refund", products=("pay",)))) == {"payments/refund-failed", "payments/pengembalian"}


def test_a_filter_on_an_unconfigured_type_or_language_says_why_nothing_matched(tmp_path: Path) -> None:
    section = {**SECTION, "fields": {"type": "ms.topic"}, "values": {"type": {"troubleshooting": "issue"}}}
    root = write_kb(tmp_path / "kb", FILES, section)
    assert find(root, "refund", types=("troubleshooting",)).notes == [
        "type 'troubleshooting' is read as 'issue' (values.type in the config): filter on 'issue'"]
    assert find(root, "refund type:tutorial", langs=("fr",)).notes == [
        "type 'tutorial' is not configured; types: issue, procedure, best-practice",
        "language 'fr' is not configured; languages: en, id"]
    assert find(root, "refund", types=("issue",)).notes == []
    from kb.cli import app

    result = CliRunner().invoke(app(), ["--config", str(root / "mkdocs.yml"), "search", "refund", "--type", "troubleshooting", "--json"])
    assert json.loads(result.stdout)["notes"] == [
        "type 'troubleshooting' is read as 'issue' (values.type in the config): filter on 'issue'"]


def test_public_audience_never_sees_internal_articles_or_blocks(kb: Path) -> None:
    agent = find(kb, "zebracorn")
    assert set(ids(agent)) == {"account/password-reset", "support-team/escalate"}
    public = find(kb, "zebracorn", audience="public")
    assert public.hits == []
    shown = find(kb, "reset admin panel", audience="public")
    assert all("zebracorn" not in hit.snippet for hit in shown.hits)
    assert all(hit.audience == "public" and hit.owner is None for hit in shown.hits)
    assert "support-team/escalate" not in ids(find(kb, "ticket tier", audience="public"))


def test_drafts_and_archived_are_left_out_unless_asked(kb: Path) -> None:
    assert ids(find(kb, "pair")) == []
    assert set(ids(find(kb, "pair", statuses=()))) == {"devices/printer-draft", "devices/printer-old"}
    assert ids(find(kb, "pair", statuses=("draft",))) == ["devices/printer-draft"]


def test_stale_articles_are_flagged_not_hidden(kb: Path) -> None:
    from kb.articles import read_article
    from kb.freshness import freshness

    config = load_config(kb / "mkdocs.yml")
    expected = freshness(read_article(kb / "content" / "devices" / "printer-stale.md", config), config, TODAY)
    hit = find(kb, "garbled").hits[0]
    assert hit.freshness == "stale"
    assert hit.freshness_text == expected.describe() == "stale by 340 days"  # due 2024-07-10
    assert find(kb, "garbled", fresh_only=True).hits == []
    assert find(kb, "refund").hits[0].freshness == "fresh"


def test_facets_count_by_type_tag_and_product(kb: Path) -> None:
    result = find(kb, "password refund printer", facets=True)
    assert result.facets["product"] == {"dashboard": 1, "pay": 2, "pos": 1}
    assert result.facets["type"]["issue"] == 3
    assert result.facets["tag"]["refund"] == 2


def test_paging(kb: Path) -> None:
    everything = ids(find(kb, "password refund printer", limit=10))
    assert len(everything) == 4
    pages = [ids(find(kb, "password refund printer", limit=1, page=n)) for n in range(1, 5)]
    assert [p[0] for p in pages] == everything


def test_translations_collapse_to_one_hit_per_article(kb: Path) -> None:
    assert ids(find(kb, "password kata sandi")).count("account/password-reset") == 1
    assert paths(find(kb, "password kata sandi", collapse=False, limit=10)).count("account/password-reset.id.md") == 1


def test_snippet_highlights_matched_words(kb: Path) -> None:
    hit = find(kb, "balance retry").hits[0]
    marked = [hit.snippet[s:e].lower() for s, e in hit.highlights]
    assert "balance" in marked and "retry" in marked


# --- the CLI ------------------------------------------------------------------------------


def test_cli_search_builds_the_index_first_and_prints_hits(kb: Path) -> None:
    from kb.cli import app

    assert indexer.live_folder(indexer.index_root(load_config(kb / "mkdocs.yml"))) is None
    result = CliRunner().invoke(app(), ["search", "passwrod", "reset", "--today", "2025-06-15"])
    assert result.exit_code == 0, result.output
    assert "Did you mean: password reset" in result.output
    assert "Password reset link expired" in result.output
    assert "account/password-reset · account/password-reset.md · issue · en · fresh" in result.output
    assert "Indexing" not in result.output  # no progress bar when output is not a terminal


def test_cli_main_table_names_the_module_of_every_command() -> None:
    """`kb <command>` imports only the modules in COMMAND_HOMES: a command missing there would vanish."""
    import click

    from kb.cli import COMMAND_HOMES, _invoked, app

    group = app()
    assert set(COMMAND_HOMES) == set(group.commands)
    for name, command in group.commands.items():
        subcommands = command.commands.values() if isinstance(command, click.Group) else ()
        modules = {c.callback.__module__ for c in (command, *subcommands) if c.callback}
        assert modules <= {f"kb.cli.{home}" for home in COMMAND_HOMES[name]}, name
    assert _invoked(["--config", "search/mkdocs.yml", "search", "x"]) == "search"
    assert _invoked(["--config=a.yml", "index"]) == "index"
    assert _invoked(["--help"]) is None


def test_cli_search_process_finds_and_exits_like_the_group(kb: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "from kb.cli import main; main()", "search", "passwrod", "reset"],
                          cwd=kb, capture_output=True, text=True, env={**os.environ, "KB_TODAY": "2025-06-15"})
    assert done.returncode == 0, done.stderr
    assert "Did you mean: password reset" in done.stdout
    gaps = subprocess.run([sys.executable, "-c", "from kb.cli import main; main()", "report", "gaps", "--help"],
                          cwd=kb, capture_output=True, text=True)
    assert gaps.returncode == 0 and "Searches that found nothing" in gaps.stdout, gaps.stderr


def test_cli_search_without_hits_exits_1(kb: Path) -> None:
    from kb.cli import app

    result = CliRunner().invoke(app(), ["search", "qwxzv"])
    assert result.exit_code == 1, result.output
    assert "No articles found for 'qwxzv'." in result.output


def test_cli_search_past_the_last_page_says_so_not_that_nothing_was_found(kb: Path) -> None:
    from kb.cli import app

    result = CliRunner().invoke(app(), ["search", "refund", "--page", "999"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^Page 999 is past the last page: \d+ articles? found for 'refund', 1 page of 10\.$", result.output, re.M), result.output


def test_cli_json_schema(kb: Path) -> None:
    from kb.cli import app

    result = CliRunner().invoke(app(), ["search", "refund", "--json", "--facets", "--today", "2025-06-15"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"version", "query", "did_you_mean", "corrections", "total", "total_exact", "page", "limit",
                         "filters", "facets", "notes", "hits"}
    assert data["version"] == 1 and data["notes"] == []
    hit = data["hits"][0]
    assert set(hit) == {"id", "path", "title", "type", "lang", "audience", "status", "product", "tags", "owner",
                        "reviewed", "due", "freshness", "freshness_text", "score", "snippet", "highlights"}
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() in {"refund", "pengembalian", "dana"}  # with the synonyms


def test_query_log_records_every_search_and_can_be_turned_off(kb: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    find(kb, "refund", types=("issue",))
    find(kb, "qwxzv")
    lines = [json.loads(line) for line in (kb / ".kb" / "queries.jsonl").read_text().splitlines()]
    assert [(r["query"], r["hits"]) for r in lines] == [("refund", 1), ("qwxzv", 0)]
    assert lines[0]["filters"]["type"] == ["issue"] and "time" in lines[0]

    off = write_kb(tmp_path / "off", FILES, {"search": {"query_log": False}})
    monkeypatch.chdir(off)
    find(off, "refund")
    assert not (off / ".kb" / "queries.jsonl").exists()


# --- incremental indexing -----------------------------------------------------------------


def test_index_is_incremental_by_content(kb: Path) -> None:
    config = load_config(kb / "mkdocs.yml")
    first = indexer.update_index(config)
    assert first.rebuilt and first.total == len(FILES)
    assert not indexer.update_index(config).touched

    refund = kb / "content" / "payments" / "refund-failed.md"
    refund.write_text(refund.read_text() + "\nAlso check the zanzibar setting.\n")
    stale = kb / "content" / "devices" / "printer-stale.md"
    stale.write_text(stale.read_text())  # new mtime, same content: not re-indexed
    (kb / "content" / "devices" / "printer-old.md").unlink()
    (kb / "content" / "devices" / "new.md").write_text(article("New article", body="About quokkas.\n"))
    report = indexer.update_index(config)
    assert (report.added, report.changed, report.removed) == (["devices/new.md"], ["payments/refund-failed.md"],
                                                              ["devices/printer-old.md"])
    assert not report.rebuilt and report.total == len(FILES)
    assert ids(find(kb, "zanzibar")) == ["payments/refund-failed"]
    assert ids(find(kb, "quokkas")) == ["devices/new"]
    assert ids(find(kb, "old way", statuses=())) == []


def test_config_change_forces_a_rebuild(kb: Path) -> None:
    indexer.update_index(load_config(kb / "mkdocs.yml"))
    write_kb(kb, {}, {**SECTION, "review_every": "3m"})
    report = indexer.update_index(load_config(kb / "mkdocs.yml"))
    assert report.rebuilt and report.reason == "the config or kb's index format changed"


def test_folder_layout_excludes_match_inside_language_folders(tmp_path: Path) -> None:
    # As in lint: `includes/**` leaves out `id/includes/...`, so snippets are never search hits.
    files = {"en/guide.md": article("Export guide", body="Export the banner data.\n"),
             "en/includes/banner.md": "Banner snippet: export survey.\n",
             "id/includes/banner.md": "---\nms.locfileid: x\n---\nBanner snippet: export survey.\n"}
    root = write_kb(tmp_path / "kb", files, {"languages": ["en", "id"], "layout": "folder", "exclude": ["includes/**"]})
    report = indexer.update_index(load_config(root / "mkdocs.yml"))
    assert (report.total, report.skipped) == (1, [])
    assert paths(find(root, "banner", statuses=())) == ["en/guide.md"]


def test_layout_change_forces_a_rebuild(tmp_path: Path) -> None:
    files = {"en/guide.md": article("Export guide"), "id/guide.md": article("Panduan ekspor")}
    root = write_kb(tmp_path / "kb", files, {"languages": ["en", "id"]})
    indexer.update_index(load_config(root / "mkdocs.yml"))
    write_kb(root, {}, {"languages": ["en", "id"], "layout": "folder"})
    assert indexer.update_index(load_config(root / "mkdocs.yml")).rebuilt
    assert [(hit.id, hit.lang) for hit in find(root, "panduan").hits] == [("guide", "id")]


def test_cli_index_reports_what_changed(kb: Path) -> None:
    from kb.cli import app

    runner = CliRunner()
    built = runner.invoke(app(), ["index"])
    assert built.exit_code == 0, built.output
    assert f"Built the search index: {len(FILES)} articles (no index yet)" in built.output
    assert "Search index is up to date" in runner.invoke(app(), ["index"]).output
    (kb / "content" / "devices" / "new.md").write_text(article("New article"))
    updated = runner.invoke(app(), ["index"]).output
    assert "Updated the search index: 1 added, 0 changed, 0 removed" in updated
    assert "  + devices/new.md" in updated
    assert "no index yet" not in runner.invoke(app(), ["index", "--rebuild"]).output
    assert "(--rebuild)" in runner.invoke(app(), ["index", "--rebuild"]).output


def test_unreadable_files_are_skipped_and_reported(kb: Path) -> None:
    (kb / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    report = indexer.update_index(load_config(kb / "mkdocs.yml"))
    assert report.skipped == ["broken.md"]
    assert report.total == len(FILES)
