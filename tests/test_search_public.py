"""A public search shows only the public view: no internal words in "Did you mean", no drafts or owners via the query."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import app
from tests.conftest import article, write_kb

FILES = {
    "internal/vault.md": article(
        "Vault codes for agents", type="procedure",
        body="Unlock the account with zebraleakvaultcode from the admin panel.\n"),
    "account/locked.md": article(
        "Account locked after failed sign-ins", type="issue", audience="public", owner="maya",
        body="Wait fifteen minutes, then sign in again.\n\n"
             '!!! internal "For agents"\n    Reset the counter with zebraleakblockword in the admin panel.\n'),
    "billing/internal-pricing.md": article(  # indexed before the pricing articles: see the test made internal
        "Pricing exceptions", type="procedure", body="Agents may grant pricing exceptions.\n"),
    "billing/pricing.md": article(
        "Pricing plans", type="best-practice", audience="public", owner="rizky",
        body="The pricing page lists every plan.\n"),
    "billing/pricing-draft.md": article(
        "New pricing for 2026", type="best-practice", audience="public", status="draft", owner="rizky",
        body="Unannounced pricing: zebradraftsecret discounts.\n"),
    # Enough articles that an update leaves this segment (and its deleted documents) unmerged.
    **{f"shipping/label-{i}.md": article(f"Shipping label {i}", audience="public", body="Print the label.\n")
       for i in range(20)},
}


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_kb(tmp_path / "kb", FILES, {"languages": ["en"]})
    monkeypatch.chdir(root)
    return root


def search_json(*args: str) -> dict:
    result = CliRunner().invoke(app(), ["search", *args, "--json", "--today", "2025-06-15"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("typo, word", [("zebraleakvaultcdoe", "zebraleakvaultcode"),
                                        ("zebraleakblockwrod", "zebraleakblockword")])
def test_public_did_you_mean_never_names_internal_words(kb: Path, typo: str, word: str) -> None:
    assert search_json(typo)["did_you_mean"] == word  # the agents' view still corrects
    public = search_json(typo, "--audience", "public")
    assert public["did_you_mean"] is None and public["corrections"] == {} and public["total"] == 0

    result = CliRunner().invoke(app(), ["search", typo, "--audience", "public"])
    assert result.exit_code == 1, result.output
    assert word not in result.output and "Did you mean" not in result.output


def test_public_did_you_mean_leaves_out_drafts_but_corrects_public_words(kb: Path) -> None:
    assert search_json("zebradraftsecrte", "--status", "any")["did_you_mean"] == "zebradraftsecret"
    assert search_json("zebradraftsecrte", "--audience", "public")["did_you_mean"] is None
    assert search_json("priicng", "--audience", "public")["did_you_mean"] == "pricing"


def test_public_did_you_mean_forgets_an_article_made_internal(kb: Path) -> None:
    # An update deletes the old versions, which stay in the index's postings until a merge.
    assert search_json("pricnig", "--audience", "public")["did_you_mean"] == "pricing"
    for name in ("pricing.md", "pricing-draft.md"):
        page = kb / "content" / "billing" / name
        page.write_text(page.read_text().replace("audience: public", "audience: internal"))
    assert search_json("pricnig")["did_you_mean"] == "pricing"
    assert search_json("pricnig", "--audience", "public")["did_you_mean"] is None


def test_status_typed_in_a_public_query_keeps_published_only(kb: Path) -> None:
    assert [h["id"] for h in search_json("status:draft pricing")["hits"]] == ["billing/pricing-draft"]
    public = search_json("status:draft pricing", "--audience", "public")
    assert [h["id"] for h in public["hits"]] == ["billing/pricing"]
    assert public["filters"]["status"] == ["published"]
    assert search_json("status:any zebradraftsecret", "--audience", "public")["total"] == 0


def test_owner_typed_in_a_public_query_is_ignored(kb: Path) -> None:
    assert [h["id"] for h in search_json("owner:maya pricing")["hits"]] == []
    public = search_json("owner:maya pricing", "--audience", "public")
    assert [h["id"] for h in public["hits"]] == ["billing/pricing"]
    assert "owner" not in public["filters"]


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_an_empty_query_is_a_bad_argument(kb: Path, query: str) -> None:
    result = CliRunner().invoke(app(), ["search", query])
    assert result.exit_code == 2, result.output
    assert "Error: Invalid value for QUERY: the query is empty; give the words to search for, e.g. kb search refund failed\n" in result.output
    assert not (kb / ".kb" / "queries.jsonl").exists()
