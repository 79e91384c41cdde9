"""`kb report stale`, `kb report missing` and `kb stats`: wiring, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import article, write_kb
from kb.cli import app

EVERY = {"review_every": "30d"}


def invoke(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app(), ["--config", str(root / "mkdocs.yml"), *args], env=env)


@pytest.fixture
def stale_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_kb(tmp_path, {
        "old.md": article("Old", reviewed="2025-01-01", owner="ana", **EVERY),  # stale by 135 days
        "soon.md": article("Soon", reviewed="2025-05-20", owner="budi", **EVERY),  # due in 4 days
        "fresh.md": article("Fresh", reviewed="2025-06-10", owner="budi", type="procedure",
                            body="## Steps\n\n1. Go.\n", **EVERY),
    })
    monkeypatch.chdir(root)
    return root


def test_stale_exits_1_when_anything_is_overdue(stale_kb: Path) -> None:
    result = invoke(stale_kb, "report", "stale", "--today", "2025-06-15")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        "ID    LANG  TITLE  OWNER  REVIEWED    DUE         DAYS",
        "old   en    Old    ana    2025-01-01  2025-01-31  stale by 135 days",
        "soon  en    Soon   budi   2025-05-20  2025-06-19  due in 4 days",
        "",
        "1 of 3 published articles stale (66.7% fresh); 1 more due within 14 days",
    ]


def test_stale_exits_0_when_only_due_soon(stale_kb: Path) -> None:
    result = invoke(stale_kb, "report", "stale", "--owner", "budi", env={"KB_TODAY": "2025-06-15"})
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "0 of 2 published articles stale (100% fresh); 1 more due within 14 days"


def test_stale_type_and_within(stale_kb: Path) -> None:
    result = invoke(stale_kb, "report", "stale", "--type", "procedure", "--within", "30d", "--format", "json",
                    "--today", "2025-06-15")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["filters"] == {"owner": None, "type": "procedure"} and data["within"] == "30d"
    assert [(a["path"], a["state"], a["days_overdue"]) for a in data["articles"]] == [("fresh.md", "due-soon", -25)]


def test_stale_within_0d_means_overdue_only(stale_kb: Path) -> None:
    result = invoke(stale_kb, "report", "stale", "--within", "0d", "--today", "2025-06-19")  # soon is due today
    assert result.exit_code == 1, result.output
    assert [line.split()[0] for line in result.output.splitlines()[1:-2]] == ["old"]
    assert result.output.splitlines()[-1] == "1 of 3 published articles stale (66.7% fresh)"
    only_soon = invoke(stale_kb, "report", "stale", "--owner", "budi", "--within", "0w", "--format", "json",
                       "--today", "2025-06-19")
    assert only_soon.exit_code == 0, only_soon.output
    assert json.loads(only_soon.output)["articles"] == [] and json.loads(only_soon.output)["within"] == "0w"


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_stale_formats_share_the_exit_code(stale_kb: Path, fmt: str) -> None:
    result = invoke(stale_kb, "report", "stale", "--format", fmt, "--today", "2025-06-15")
    assert result.exit_code == 1, result.output
    assert "old" in result.output
    if fmt == "json":
        assert json.loads(result.output)["summary"]["stale"] == 1
    if fmt == "csv":
        assert [row[0] for row in csv.reader(io.StringIO(result.output))] == ["id", "old", "soon"]
    if fmt == "markdown":
        assert result.output.startswith("# Stale articles (2025-06-15)\n")


@pytest.mark.parametrize(("args", "message"), [
    (("--within", "soon"), "Invalid value for '--within': expected a duration like 90d"),
    (("--within", "-1d"), "Invalid value for '--within': expected a duration like 90d"),
    (("--type", "faq"), "Invalid value for '--type': 'faq' is not a type"),
    (("--format", "xml"), "Invalid value for '--format'"),
    (("--today", "tomorrow"), "kb: --today / KB_TODAY: 'tomorrow' is not a date; expected YYYY-MM-DD"),
])
def test_stale_bad_options_exit_2(stale_kb: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(stale_kb, "report", "stale", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_bad_config_exits_2(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("docs_dir: content\nplugins:\n  - kb:\n      due_soon: soon\n")
    result = invoke(tmp_path, "report", "stale")
    assert result.exit_code == 2 and "plugins.kb.due_soon" in result.output


@pytest.fixture
def missing_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_kb(tmp_path, {
        "a.md": article("A", body="[gone](gone.md) and [b](b.md)\n"),
        "b.md": article("B", body="[gone](gone.md)\n"),
        "b.id.md": article("B id"),
    }, {"languages": ["en", "id"]})
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_missing_exits_1_on_a_missing_article(missing_kb: Path, fmt: str) -> None:
    result = invoke(missing_kb, "report", "missing", "--format", fmt, "--today", "2025-06-15")
    assert result.exit_code == 1, result.output
    assert "gone.md" in result.output
    if fmt == "text":
        assert result.output.splitlines()[:4] == ["Missing articles: 1", "  gone.md  (2 articles)",
                                                  "    a.md:7", "    b.md:7"]
    if fmt == "json":
        assert json.loads(result.output)["summary"]["missing_translations"] == {"id": 1}
    if fmt == "csv":
        assert next(csv.reader(io.StringIO(result.output))) == ["kind", "item", "lang", "count", "where", "detail"]
    if fmt == "markdown":
        assert "| `gone.md` | 2 | `a.md:7`, `b.md:7` |" in result.output


def test_missing_exits_0_when_only_translations_are_missing(missing_kb: Path) -> None:
    (missing_kb / "content" / "gone.md").write_text(article("Gone"))
    result = invoke(missing_kb, "report", "missing", "--today", "2025-06-15")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Missing articles: 0"
    assert "Missing translations (id): 2" in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_stats_exits_0(stale_kb: Path, fmt: str) -> None:
    result = invoke(stale_kb, "stats", "--format", fmt, "--today", "2025-06-15")
    assert result.exit_code == 0, result.output
    if fmt == "text":
        assert result.output.splitlines()[:2] == ["Articles: 3", "Fresh: 2 of 3 published (66.7%)"]
    if fmt == "json":
        assert json.loads(result.output)["by_owner"] == {"budi": 2, "ana": 1}


def test_help_names_the_exit_codes() -> None:
    result = CliRunner().invoke(app(), ["report", "stale", "--help"])
    assert result.exit_code == 0 and "Exit 1 when any article is overdue" in " ".join(result.output.split())


def test_missing_adds_logged_searches_that_found_nothing(missing_kb: Path) -> None:
    """Real searches write the query log; the report searches each again and keeps those still unanswered."""
    for query in ("tap to pay nfc", "Tap-to-pay NFC", "B id"):
        assert invoke(missing_kb, "search", query).exit_code in (0, 1)
    data = json.loads(invoke(missing_kb, "report", "missing", "--format", "json").output)
    # "B id" found its article; the two wordings of the NFC question are one group
    assert [(row["query"], row["count"]) for row in data["searched_not_found"]] == [("tap to pay nfc", 2)]
    assert data["summary"]["searched_not_found"] == 1
    text = invoke(missing_kb, "report", "missing").output
    assert text.splitlines()[-2:] == ["Searched, not found: 1", "  'tap to pay nfc'  (2 searches)"]


def test_missing_without_a_query_log_leaves_the_section_out(missing_kb: Path) -> None:
    result = invoke(missing_kb, "report", "missing", "--format", "json")
    assert json.loads(result.output)["searched_not_found"] is None
    assert "Searched, not found" not in invoke(missing_kb, "report", "missing").output


@pytest.mark.parametrize(("args", "message"), [
    (("--owner", "anaa"), ("Invalid value for '--owner': 'anaa' is not an owner (not on the owners roster, "
                           "and no article has it); did you mean 'ana'?")),
    (("--owner", "nobody"), ("Invalid value for '--owner': 'nobody' is not an owner (not on the owners roster, "
                             "and no article has it); expected one of: ana, budi, dewi")),
    (("--type", "procedur"), "Invalid value for '--type': 'procedur' is not a type; did you mean 'procedure'?"),
])
def test_stale_unknown_filter_values_exit_2_with_a_hint(stale_kb: Path, args: tuple[str, ...], message: str) -> None:
    (stale_kb / "content" / "draft.md").write_text(article("Draft", owner="dewi", status="draft"))
    result = invoke(stale_kb, "report", "stale", *args, "--today", "2025-06-15")
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_stale_owner_on_the_roster_or_of_a_draft_is_known(stale_kb: Path) -> None:
    """A known owner with nothing published is a real, fully fresh answer, not a typo."""
    write_kb(stale_kb, {"draft.md": article("Draft", owner="dewi", status="draft")},
             {"review_every": "30d", "owners": {"ana": {}, "budi": {}, "rizky": {}}})
    for owner in ("rizky", "dewi"):
        result = invoke(stale_kb, "report", "stale", "--owner", owner, "--today", "2025-06-15")
        assert result.exit_code == 0, result.output
        assert result.output == "0 of 0 published articles stale (100% fresh)\n"
