"""kb.reports and kb.report_format: stale, missing and stats reports in every format."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import article, write_kb
from kb import knowledge, report_format, reports
from kb.config import load_config
from kb.durations import Duration
from kb.lint import lint

TODAY = date(2025, 6, 15)


def stale_tree(root: Path) -> Path:
    """Six published articles (3 overdue, 1 due soon, 2 fresh), a draft and an archived one."""
    every = {"review_every": "30d"}
    return write_kb(root, {
        "pay/old.md": article("Old", reviewed="2025-01-01", owner="ana", **every),  # stale by 135 days
        "pay/old.id.md": article("Lama", reviewed="2025-06-10", owner="ana", **every),  # fresh
        "pay/older.md": article("Older", reviewed="2024-12-01", owner="budi", **every),  # stale by 166 days
        "pay/soon.md": article("Soon", reviewed="2025-05-20", owner="ana", **every),  # due 2025-06-19
        "pay/fresh.md": article("Fresh", reviewed="2025-06-01", owner="ana", **every),  # due 2025-07-01
        "pay/never.md": article("Never", reviewed=None, owner="budi", type="procedure",
                                body="## Steps\n\n1. Do it.\n"),
        "pay/draft.md": article("Draft", reviewed="2020-01-01", status="draft", **every),
        "pay/archived.md": article("Gone", reviewed="2020-01-01", status="archived", **every),
    }, {"languages": ["en", "id"]})


def load(root: Path) -> tuple[knowledge.KnowledgeBase, object]:
    config = load_config(root / "mkdocs.yml")
    return knowledge.load(config, use_cache=False), config


# --- stale ----------------------------------------------------------------------------------


def test_stale_report_lists_overdue_never_reviewed_and_due_soon_most_overdue_first(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    report = reports.stale_report(kb, config, TODAY)
    assert [(r.path, r.state, r.days_overdue) for r in report.rows] == [
        ("pay/never.md", "unknown", None),
        ("pay/older.md", "stale", 166),
        ("pay/old.md", "stale", 135),
        ("pay/soon.md", "due-soon", -4),
    ]
    assert (report.total, report.overdue, report.due_soon, report.fresh_percent) == (6, 3, 1, 50.0)


def test_stale_report_filters_by_owner_and_type_and_widens_the_window(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    by_owner = reports.stale_report(kb, config, TODAY, owner="budi")
    assert [r.path for r in by_owner.rows] == ["pay/never.md", "pay/older.md"]
    assert by_owner.total == 2
    by_type = reports.stale_report(kb, config, TODAY, type="procedure")
    assert [r.path for r in by_type.rows] == ["pay/never.md"] and by_type.total == 1
    wide = reports.stale_report(kb, config, TODAY, within=Duration(30, "d"))
    assert [r.path for r in wide.rows][-3:] == ["pay/soon.md", "pay/fresh.md", "pay/old.id.md"]
    assert wide.due_soon == 3 and wide.overdue == 3


def test_stale_report_without_published_articles_is_fully_fresh(tmp_path: Path) -> None:
    kb, config = load(write_kb(tmp_path, {"a.md": article(status="draft")}))
    report = reports.stale_report(kb, config, TODAY)
    assert (report.total, report.rows, report.fresh_percent) == (0, (), 100.0)
    assert report_format.render(report, "text") == "0 of 0 published articles stale (100% fresh)\n"


def test_stale_text(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    text = report_format.render(reports.stale_report(kb, config, TODAY), "text")
    assert text.splitlines() == [
        "ID         LANG  TITLE  OWNER  REVIEWED    DUE         DAYS",
        "pay/never  en    Never  budi   -           -           never reviewed",
        "pay/older  en    Older  budi   2024-12-01  2024-12-31  stale by 166 days",
        "pay/old    en    Old    ana    2025-01-01  2025-01-31  stale by 135 days",
        "pay/soon   en    Soon   ana    2025-05-20  2025-06-19  due in 4 days",
        "",
        "3 of 6 published articles stale (50% fresh); 1 more due within 14 days",
    ]


def test_stale_text_cuts_long_titles(tmp_path: Path) -> None:
    kb, config = load(write_kb(tmp_path, {"a.md": article("A" * 60, reviewed="2020-01-01")}))
    line = report_format.render(reports.stale_report(kb, config, TODAY), "text").splitlines()[1]
    assert "A" * 49 + "…" in line and "A" * 50 not in line


def test_stale_json(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    data = json.loads(report_format.render(reports.stale_report(kb, config, TODAY, owner="budi"), "json"))
    assert data == {
        "version": 1, "report": "stale", "today": "2025-06-15", "within": "14d",
        "filters": {"owner": "budi", "type": None},
        "summary": {"total": 2, "stale": 2, "due_soon": 0, "fresh_percent": 0.0},
        "articles": [
            {"id": "pay/never", "lang": "en", "path": "pay/never.md", "title": "Never", "owner": "budi",
             "reviewed": None, "due": None, "days_overdue": None, "state": "unknown"},
            {"id": "pay/older", "lang": "en", "path": "pay/older.md", "title": "Older", "owner": "budi",
             "reviewed": "2024-12-01", "due": "2024-12-31", "days_overdue": 166, "state": "stale"},
        ],
    }


def test_stale_csv(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    text = report_format.render(reports.stale_report(kb, config, TODAY), "csv")
    assert text.splitlines() == [
        "id,lang,path,title,owner,reviewed,due,days_overdue,state",
        "pay/never,en,pay/never.md,Never,budi,,,,unknown",
        "pay/older,en,pay/older.md,Older,budi,2024-12-01,2024-12-31,166,stale",
        "pay/old,en,pay/old.md,Old,ana,2025-01-01,2025-01-31,135,stale",
        "pay/soon,en,pay/soon.md,Soon,ana,2025-05-20,2025-06-19,-4,due-soon",
    ]


def test_stale_report_within_zero_lists_overdue_articles_only(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    report = reports.stale_report(kb, config, date(2025, 6, 19), within=Duration(0, "d"))  # pay/soon is due today
    assert [(r.path, r.state) for r in report.rows] == [
        ("pay/never.md", "unknown"), ("pay/older.md", "stale"), ("pay/old.md", "stale")]
    assert report_format.render(report, "text").splitlines()[-1] == "3 of 6 published articles stale (50% fresh)"


def test_csv_cells_that_a_spreadsheet_would_run_get_a_leading_quote(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    title = "'=HYPERLINK(\"http://evil\")'"
    root = write_kb(tmp_path, {
        "f.md": article(title, reviewed="2020-01-01", owner="'@evil'", related="['-x', '+y']"),
        "soon.md": article("'-5'", reviewed="2025-05-20", review_every="30d"),  # due in 4 days: -4 stays a number
    }, {"languages": ["en", "id"]})
    monkeypatch.chdir(root)
    kb, config = load(root)
    stale = list(csv.reader(io.StringIO(report_format.render(reports.stale_report(kb, config, TODAY), "csv"))))
    assert stale[1][3:5] == ["'=HYPERLINK(\"http://evil\")", "'@evil"]
    assert stale[2][3] == "'-5" and stale[2][7] == "-4"
    missing = list(csv.reader(io.StringIO(report_format.render(
        reports.missing_report(kb, config, searches=[reports.SearchedNotFound("=1+1", 3)]), "csv"))))
    assert [row[1] for row in missing[1:]] == ["'+y.md", "'-x.md", "f", "soon", "'=1+1"]
    assert missing[3][5] == "'=HYPERLINK(\"http://evil\")"
    stats = list(csv.reader(io.StringIO(report_format.render(reports.stats(kb, config, TODAY), "csv"))))
    assert ["owner", "'@evil", "1"] in stats and ["owner_fresh_percent", "'@evil", "0.0"] in stats


def test_json_gives_null_for_an_absent_owner_or_title(tmp_path: Path) -> None:
    kb, config = load(write_kb(tmp_path, {"a.md": article(title="yes", owner=None, reviewed="2020-01-01")},
                               {"languages": ["en", "id"]}))
    stale = json.loads(report_format.render(reports.stale_report(kb, config, TODAY), "json"))
    assert (stale["articles"][0]["title"], stale["articles"][0]["owner"]) == (None, None)
    missing = json.loads(report_format.render(reports.missing_report(kb, config), "json"))
    assert missing["missing_translations"]["id"] == [{"id": "a", "path": "a.md", "title": None, "owner": None}]
    stats = json.loads(report_format.render(reports.stats(kb, config, TODAY), "json"))
    assert (stats["oldest_reviews"][0]["title"], stats["oldest_reviews"][0]["owner"]) == (None, None)
    # the other formats keep showing them as before: empty, or "-" in the text tables
    assert report_format.render(reports.stale_report(kb, config, TODAY), "csv").splitlines()[1] == (
        "a,en,a.md,,,2020-01-01,2021-01-01,1626,stale")
    assert "  a.md  -\n" in report_format.render(reports.missing_report(kb, config), "text")
    assert "| `a.md` |  |  |" in report_format.render(reports.missing_report(kb, config), "markdown")
    assert "| 2020-01-01 | 1992 | `a.md` |  |" in report_format.render(reports.stats(kb, config, TODAY), "markdown")


def test_stale_markdown_escapes_pipes(tmp_path: Path) -> None:
    kb, config = load(write_kb(tmp_path, {"a.md": article("'Print | Save fails'", reviewed="2020-01-01")}))
    text = report_format.render(reports.stale_report(kb, config, TODAY), "markdown")
    assert text.splitlines() == [
        "# Stale articles (2025-06-15)",
        "",
        "1 of 1 published articles stale (0% fresh).",
        "",
        "| Article | Lang | Title | Owner | Reviewed | Due | Days |",
        "|---|---|---|---|---|---|---|",
        "| `a.md` | en | Print \\| Save fails | ana | 2020-01-01 | 2021-01-01 | stale by 1626 days |",
    ]


# --- missing --------------------------------------------------------------------------------


def missing_tree(root: Path) -> Path:
    return write_kb(root, {
        "pay/a.md": article("A", body="See [one](missing-one.md), [two](../other/missing-two.md#x) and [b](b.md).\n"),
        "pay/a.id.md": article("A id"),
        "pay/b.md": article("B", body="[one](missing-one.md)\n\nAgain: [one](missing-one.md).\n",
                            related="[pay/ghost, pay/a]"),
        "pay/c.md": article("C", type="issue", body="## Symptoms\n\nx\n\n## Resolution\n\ny\n"),
        "pay/draft.md": article("Draft", status="draft"),
        "pay/archived.md": article("Gone", status="archived", body="[three](missing-three.md)\n"),
        "pay/image.md": article("Image", body="![pic](missing.png)\n"),
    }, {"languages": ["en", "id"]})


def missing_report(root: Path, searches: list[reports.SearchedNotFound] | None = None) -> reports.MissingReport:
    config = load_config(root / "mkdocs.yml")
    result = lint(config, TODAY)
    return reports.missing_report(result.kb, config, result.diagnostics, searches)


def test_missing_articles_ranked_by_distinct_referring_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(missing_tree(tmp_path))
    report = missing_report(tmp_path)
    assert [(m.target, m.articles) for m in report.articles] == [
        ("pay/missing-one.md", 2),  # two articles, three links
        ("other/missing-two.md", 1),
        ("pay/ghost.md", 1),  # a `related:` id that does not exist
    ]  # archived articles' links and missing images do not count
    assert report.articles[0].references == (
        reports.Reference("pay/a.md", 7, "link"), reports.Reference("pay/b.md", 8, "link"),
        reports.Reference("pay/b.md", 10, "link"),
    )
    assert report.articles[2].references == (reports.Reference("pay/b.md", 6, "related"),)
    assert report.has_missing_articles


def test_missing_translations_and_sections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(missing_tree(tmp_path))
    report = missing_report(tmp_path)
    assert {lang: [t.path for t in rows] for lang, rows in report.translations.items()} == {
        "id": ["pay/b.md", "pay/c.md", "pay/image.md"],  # a has one; drafts and archived do not count
    }
    assert report.sections == (reports.MissingSection("pay/c.md", 7, "'issue' article has no '## Cause' section"),)
    assert not report.searches_available


def test_missing_sections_follow_the_lint_rule_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path, {"c.md": article("C", type="issue", body="## Symptoms\n\nx\n")},
                    {"rules": {"missing-section": "ignore"}})
    monkeypatch.chdir(root)
    assert missing_report(root).sections == ()


def test_nothing_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path, {"a.md": article("A", body="[b](b.md)\n"), "b.md": article("B")})
    monkeypatch.chdir(root)
    report = missing_report(root)
    assert not report.has_missing_articles
    assert report_format.render(report, "text").splitlines() == [
        "Missing articles: 0", "Missing required sections: 0",
    ]


def test_missing_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(missing_tree(tmp_path))
    report = missing_report(tmp_path, [reports.SearchedNotFound("refund qris", 3, "2025-06-14")])
    assert report_format.render(report, "text").splitlines() == [
        "Missing articles: 3",
        "  pay/missing-one.md  (2 articles)",
        "    pay/a.md:7",
        "    pay/b.md:8",
        "    pay/b.md:10",
        "  other/missing-two.md  (1 article)",
        "    pay/a.md:7",
        "  pay/ghost.md  (1 article)",
        "    pay/b.md:6 (related)",
        "Missing translations (id): 3",
        "  pay/b.md      ana  B",
        "  pay/c.md      ana  C",
        "  pay/image.md  ana  Image",
        "Missing required sections: 1",
        "  pay/c.md:7: 'issue' article has no '## Cause' section",
        "Searched, not found: 1",
        "  'refund qris'  (3 searches)",
    ]


def test_missing_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(missing_tree(tmp_path))
    data = json.loads(report_format.render(missing_report(tmp_path), "json"))
    assert data["summary"] == {"missing_articles": 3, "missing_translations": {"id": 3},
                               "missing_sections": 1, "searched_not_found": None}
    assert data["missing_articles"][1] == {
        "target": "other/missing-two.md", "articles": 1,
        "references": [{"path": "pay/a.md", "line": 7, "via": "link"}],
    }
    assert data["missing_translations"]["id"][0] == {"id": "pay/b", "path": "pay/b.md", "title": "B", "owner": "ana"}
    assert data["missing_sections"] == [{"path": "pay/c.md", "line": 7,
                                         "message": "'issue' article has no '## Cause' section"}]
    assert data["searched_not_found"] is None
    assert list(data) == ["version", "report", "summary", "missing_articles", "missing_translations",
                          "missing_sections", "searched_not_found"]
    with_log = json.loads(report_format.render(missing_report(tmp_path, []), "json"))
    assert with_log["searched_not_found"] == [] and with_log["summary"]["searched_not_found"] == 0


def test_missing_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(missing_tree(tmp_path))
    report = missing_report(tmp_path, [reports.SearchedNotFound("struk, ganda", 2, "2025-06-01")])
    rows = list(csv.reader(io.StringIO(report_format.render(report, "csv"))))
    assert rows == [
        ["kind", "item", "lang", "count", "where", "detail"],
        ["missing-article", "pay/missing-one.md", "", "2", "pay/a.md:7; pay/b.md:8; pay/b.md:10", ""],
        ["missing-article", "other/missing-two.md", "", "1", "pay/a.md:7", ""],
        ["missing-article", "pay/ghost.md", "", "1", "pay/b.md:6", ""],
        ["missing-translation", "pay/b", "id", "", "pay/b.md", "B"],
        ["missing-translation", "pay/c", "id", "", "pay/c.md", "C"],
        ["missing-translation", "pay/image", "id", "", "pay/image.md", "Image"],
        ["missing-section", "pay/c.md", "", "", "pay/c.md:7", "'issue' article has no '## Cause' section"],
        ["searched-not-found", "struk, ganda", "", "2", "", "2025-06-01"],
    ]


def test_missing_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(missing_tree(tmp_path))
    text = report_format.render(missing_report(tmp_path, []), "markdown")
    assert text.splitlines() == [
        "# Missing from the knowledge base",
        "",
        "## Missing articles (3)",
        "",
        "| Target | Articles | Linked from |",
        "|---|---|---|",
        "| `pay/missing-one.md` | 2 | `pay/a.md:7`, `pay/b.md:8`, `pay/b.md:10` |",
        "| `other/missing-two.md` | 1 | `pay/a.md:7` |",
        "| `pay/ghost.md` | 1 | `pay/b.md:6` |",
        "",
        "## Missing translations: id (3)",
        "",
        "| Article | Title | Owner |",
        "|---|---|---|",
        "| `pay/b.md` | B | ana |",
        "| `pay/c.md` | C | ana |",
        "| `pay/image.md` | Image | ana |",
        "",
        "## Missing required sections (1)",
        "",
        "| Where | Problem |",
        "|---|---|",
        "| `pay/c.md:7` | 'issue' article has no '## Cause' section |",
        "",
        "## Searched, not found (0)",
        "",
        "None.",
    ]


# --- stats ----------------------------------------------------------------------------------


def test_stats_counts_and_freshness(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    result = reports.stats(kb, config, TODAY)
    assert result.articles == 8 and result.unreadable == 0
    assert result.by_type == {"best-practice": 7, "procedure": 1}
    assert result.by_status == {"published": 6, "archived": 1, "draft": 1}
    assert result.by_language == {"en": 7, "id": 1}
    assert result.by_owner == {"ana": 6, "budi": 2}
    assert result.by_audience == {"internal": 8}
    assert (result.published, result.fresh, result.fresh_percent, result.never_reviewed) == (6, 3, 50.0, 1)
    assert [(o.owner, o.published, o.fresh, o.fresh_percent) for o in result.owners] == [
        ("ana", 4, 3, 75.0), ("budi", 2, 0, 0.0),
    ]
    assert [(o.path, o.days_ago) for o in result.oldest] == [
        ("pay/older.md", 196), ("pay/old.md", 165), ("pay/soon.md", 26), ("pay/fresh.md", 14), ("pay/old.id.md", 5),
    ]


def test_stats_text(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    text = report_format.render(reports.stats(kb, config, TODAY), "text")
    assert text.splitlines() == [
        "Articles: 8",
        "Fresh: 3 of 6 published (50%); 1 never reviewed",
        "",
        "By type:",
        "  best-practice  7",
        "  procedure      1",
        "",
        "By status:",
        "  published  6",
        "  archived   1",
        "  draft      1",
        "",
        "By audience:",
        "  internal  8",
        "",
        "By language:",
        "  en  7",
        "  id  1",
        "",
        "By owner:",
        "  ana   6",
        "  budi  2",
        "",
        "Fresh by owner:",
        "  ana   3 of 4  75%",
        "  budi  0 of 2   0%",
        "",
        "Oldest reviews:",
        "  2024-12-01  196 days ago  budi  pay/older.md",
        "  2025-01-01  165 days ago  ana   pay/old.md",
        "  2025-05-20   26 days ago  ana   pay/soon.md",
        "  2025-06-01   14 days ago  ana   pay/fresh.md",
        "  2025-06-10    5 days ago  ana   pay/old.id.md",
    ]


def test_stats_json_csv_markdown(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    result = reports.stats(kb, config, TODAY)
    data = json.loads(report_format.render(result, "json"))
    assert data["by_owner"] == {"ana": 6, "budi": 2}
    assert data["freshness"] == {
        "published": 6, "fresh": 3, "fresh_percent": 50.0, "never_reviewed": 1,
        "by_owner": [{"owner": "ana", "published": 4, "fresh": 3, "fresh_percent": 75.0},
                     {"owner": "budi", "published": 2, "fresh": 0, "fresh_percent": 0.0}],
    }
    assert data["oldest_reviews"][0] == {"id": "pay/older", "lang": "en", "path": "pay/older.md", "title": "Older",
                                         "owner": "budi", "reviewed": "2024-12-01", "days_ago": 196}
    rows = list(csv.reader(io.StringIO(report_format.render(result, "csv"))))
    assert rows[0] == ["group", "name", "value"]
    assert ["type", "procedure", "1"] in rows and ["owner_fresh_percent", "ana", "75.0"] in rows
    assert rows[-1] == ["oldest_review", "pay/old.id.md", "2025-06-10"]
    markdown = report_format.render(result, "markdown").splitlines()
    assert markdown[:3] == ["# Knowledge base statistics (2025-06-15)", "",
                            "8 articles; 3 of 6 published articles fresh (50%)."]
    assert "| budi | 2 | 0 | 0% |" in markdown


def test_unknown_format_is_a_value_error(tmp_path: Path) -> None:
    kb, config = load(stale_tree(tmp_path))
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        report_format.render(reports.stats(kb, config, TODAY), "xml")


def test_reports_on_the_sample_content_smoke() -> None:
    """The real content/ loads and renders in every format (its exact findings are not asserted)."""
    root = Path(__file__).resolve().parents[1]
    config = load_config(root / "mkdocs.yml")
    kb = knowledge.load(config, use_cache=False)
    for report in (reports.stale_report(kb, config, TODAY), reports.missing_report(kb, config),
                   reports.stats(kb, config, TODAY)):
        for fmt in report_format.FORMATS:
            assert report_format.render(report, fmt).endswith("\n")


# --- layout and escaping --------------------------------------------------------------------


def test_known_owners_are_the_roster_and_every_articles_owner(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.md": article(owner="budi"), "b.md": article(owner="dewi", status="draft"),
                               "c.md": article(owner=None)}, {"owners": {"ana": {}, "budi": {}}})
    kb, config = load(root)
    assert reports.known_owners(kb, config) == ["ana", "budi", "dewi"]


def test_stale_text_fits_120_columns_keeping_the_end_of_long_ids(tmp_path: Path) -> None:
    long_id = "Office/Client/project/" + "deep/" * 12 + "project-opens-calendar-when-editing"
    root = write_kb(tmp_path, {f"{long_id}.md": article("Microsoft Project opens a calendar " * 3,
                                                        reviewed="2020-01-01", owner="michellehu")})
    kb, config = load(root)
    report = reports.stale_report(kb, config, TODAY)
    lines = report_format.render(report, "text").splitlines()
    assert max(len(line) for line in lines) == 120, "\n".join(lines)
    assert lines[1].startswith("…opens-calendar-when-editing  en    Microsoft Project opens a c…  michellehu  ")
    for fmt in ("json", "csv", "markdown"):
        assert long_id in report_format.render(report, fmt)


def test_markdown_code_spans_keep_backslashes_and_fence_backticks(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Backslashes are literal inside a code span; a backtick in the text needs a longer fence."""
    root = write_kb(tmp_path, {"a.md": article("A", body="[p](x|y.md)\n", related="['..\\sec\\fix']"),
                               "odd`name.md": article("Odd\\name", reviewed="2020-01-01")})
    monkeypatch.chdir(root)
    missing = report_format.render(missing_report(root), "markdown")
    assert "| `..\\sec\\fix.md` | 1 | `a.md:6` |" in missing
    assert "| `x\\|y.md` | 1 | `a.md:8` |" in missing  # the pipe escape belongs to the table, not the span
    kb, config = load(root)
    stale = report_format.render(reports.stale_report(kb, config, TODAY), "markdown")
    assert "| ``odd`name.md`` | en | Odd\\\\name | ana |" in stale  # plain text cells still escape backslashes


@pytest.mark.parametrize(("text", "span"), [
    ("plain", "`plain`"), ("a`b", "``a`b``"), ("a``b`", "``` a``b` ```"), ("`x", "`` `x ``"), (" x ", "`  x  `"),
])
def test_markdown_code_span(text: str, span: str) -> None:
    assert report_format.md_code(text) == span


def test_stats_text_aligns_numbers_and_marks_unknown_types(tmp_path: Path) -> None:
    every = {"review_every": "30d"}
    files = {f"a{i}.md": article(f"A{i}", owner="luche", reviewed="2025-06-14", **every) for i in range(12)}
    files |= {"b.md": article("B", owner="ana", type="get-started", reviewed="2025-06-14", **every),
              "c.md": article("C", owner="ana", reviewed="2024-06-14", **every)}
    kb, config = load(write_kb(tmp_path, files))
    result = reports.stats(kb, config, TODAY)
    assert result.unknown_types == ("get-started",)
    lines = report_format.render(result, "text").splitlines()
    assert lines[3:7] == ["By type:", "  best-practice               13", "  get-started (unknown type)   1", ""]
    owners = lines[lines.index("Fresh by owner:") + 1:][:2]
    assert owners == ["  ana     1 of  2   50%", "  luche  12 of 12  100%"]
    oldest = lines[lines.index("Oldest reviews:") + 1:][:2]
    assert oldest == ["  2024-06-14  366 days ago  ana    c.md", "  2025-06-14    1 day ago   luche  a0.md"]
    assert "| get-started (unknown type) | 1 |" in report_format.render(result, "markdown")
    assert json.loads(report_format.render(result, "json"))["unknown_types"] == ["get-started"]
    assert ["unknown_type", "get-started", "1"] in csv.reader(io.StringIO(report_format.render(result, "csv")))
