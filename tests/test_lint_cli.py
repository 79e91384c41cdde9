"""`kb lint`: the output formats, --fail-on and exit codes, paths, the article cache, the real content."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, article

REPO = Path(__file__).resolve().parent.parent

FILES = {
    "billing/refunds.md": article(title="Refunds", reviewed="2024-01-10", body="See [cards](cards.md).\n"),
    "billing/cards.md": article(title="Cards", owner=None, body="See [refunds](refunds.md#nope).\n"),
}
TEXT = [
    "content/billing/cards.md:1:1: KB006 error: 'owner' is missing; add 'owner: <team or person>' to the front matter [missing-required-field]",
    "content/billing/cards.md:6:5: KB202 error: 'billing/refunds.md' has no heading with anchor '#nope' [broken-anchor]",
    "content/billing/refunds.md:5:1: KB101 warning: stale by 156 days: reviewed 2024-01-10, due 2025-01-10 (every 1y); review it, then run 'kb verify' on it [stale-article]",
    "2 errors, 1 warning, 0 info in 2 files",
]


def run(cli, *args: str):
    return CliRunner().invoke(cli, ["lint", "--today", TODAY, *args])


def test_text_format_exact_lines_and_summary(kb_factory, kb_cli) -> None:
    kb_factory(FILES)
    result = run(kb_cli)
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == TEXT


def test_json_format_schema(kb_factory, kb_cli) -> None:
    kb_factory(FILES)
    result = run(kb_cli, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["version"] == 1
    assert document["summary"] == {"files": 2, "errors": 2, "warnings": 1, "info": 0}
    first = document["diagnostics"][0]
    assert set(first) == {"path", "line", "column", "code", "name", "severity", "message"}
    assert first == {"path": "content/billing/cards.md", "line": 1, "column": 1, "code": "KB006",
                     "name": "missing-required-field", "severity": "error",
                     "message": "'owner' is missing; add 'owner: <team or person>' to the front matter"}
    assert [d["code"] for d in document["diagnostics"]] == ["KB006", "KB202", "KB101"]


def test_github_annotations(kb_factory, kb_cli) -> None:
    kb_factory(FILES)
    result = run(kb_cli, "--format", "github")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::error file=content/billing/cards.md,line=1,col=1,title=KB006 missing-required-field::'owner' is missing; add 'owner: <team or person>' to the front matter",
        "::error file=content/billing/cards.md,line=6,col=5,title=KB202 broken-anchor::'billing/refunds.md' has no heading with anchor '#nope'",
        "::warning file=content/billing/refunds.md,line=5,col=1,title=KB101 stale-article::stale by 156 days: reviewed 2024-01-10, due 2025-01-10 (every 1y); review it, then run 'kb verify' on it",
    ]


def test_github_escapes_percent_and_newlines() -> None:
    from kb.diagnostics import Diagnostic, Severity
    from kb.output import render_github

    d = Diagnostic("a,b:c.md", 1, 1, "KB001", "unreadable-file", "100% bad\nreally", Severity.INFO)
    assert render_github([d]) == "::notice file=a%2Cb%3Ac.md,line=1,col=1,title=KB001 unreadable-file::100%25 bad%0Areally\n"


def test_clean_kb_exits_0(kb_factory, kb_cli) -> None:
    kb_factory({"a.md": article(title="A", body="[b](b.md)\n"), "b.md": article(title="B", body="[a](a.md)\n")})
    result = run(kb_cli)
    assert result.exit_code == 0, result.output
    assert result.output == "0 errors, 0 warnings, 0 info in 2 files\n"


def test_fail_on_warning_and_info(kb_factory, kb_cli) -> None:
    kb_factory({"a.md": article(title="A", reviewed="2024-01-10")})  # a warning and an info (orphan)
    assert run(kb_cli).exit_code == 0
    assert run(kb_cli, "--fail-on", "warning").exit_code == 1
    assert run(kb_cli, "--fail-on", "info").exit_code == 1
    kb_factory({"a.md": article(title="A")})  # only the orphan info
    assert run(kb_cli, "--fail-on", "warning").exit_code == 0
    assert run(kb_cli, "--fail-on", "info").exit_code == 1


@pytest.mark.parametrize("args, message", [
    (["--today", "2025-13-01"], "--today / KB_TODAY: '2025-13-01' is not a real date; expected YYYY-MM-DD"),
    (["--today", "2023-02-29"], "--today / KB_TODAY: '2023-02-29' is not a real date; expected YYYY-MM-DD"),
    (["no/such/path.md"], "does not exist"),
    (["--format", "xml"], "Invalid value for '--format'"),
    (["--fail-on", "never"], "Invalid value for '--fail-on'"),
])
def test_usage_errors_exit_2(kb_factory, kb_cli, args: list[str], message: str) -> None:
    kb_factory({"a.md": article()})
    result = CliRunner().invoke(kb_cli, ["lint", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_kb_today_env(kb_factory, kb_cli) -> None:
    kb_factory({"a.md": article(title="A", reviewed="2024-01-10")})
    result = CliRunner().invoke(kb_cli, ["lint", "--fail-on", "warning"], env={"KB_TODAY": "2024-02-01"})
    assert result.exit_code == 0, result.output


def test_paths_limit_the_report_but_links_see_everything(kb_factory, kb_cli) -> None:
    kb_factory(FILES)
    result = run(kb_cli, "content/billing/refunds.md")
    assert result.output.splitlines() == [TEXT[2], "0 errors, 1 warning, 0 info in 1 file"]
    assert result.exit_code == 0
    folder = run(kb_cli, "content/billing")
    assert folder.output.splitlines() == TEXT


def test_the_article_cache_rereads_changed_files_and_survives_corruption(kb_factory) -> None:
    from datetime import date

    from kb.config import load_config
    from kb.lint import lint

    root = kb_factory({"a.md": article(title="A", body="[b](b.md)\n"), "b.md": article(title="B", body="[a](a.md)\n")})

    def codes() -> list[str]:
        return [d.code for d in lint(load_config(), date.fromisoformat(TODAY)).diagnostics]

    assert codes() == []
    caches = list((root / ".kb" / "cache").glob("articles-*.marshal"))
    assert len(caches) == 1
    entries = marshal.loads(caches[0].read_bytes())
    assert {Path(p).name for p in entries} == {"a.md", "b.md"}
    (root / "content" / "a.md").write_text(article(title="A", owner=None, body="[b](b.md) [c](c.md)\n"), encoding="utf-8")
    assert codes() == ["KB006", "KB201"]
    for cache in (root / ".kb" / "cache").iterdir():
        cache.write_bytes(b"not a cache at all")
    assert codes() == ["KB006", "KB201"]


def test_real_content_has_no_errors(kb_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(kb_cli, ["lint", "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output


def test_paths_that_are_not_articles_in_the_docs_folder_stop_lint(kb_cli, kb_factory) -> None:
    root = kb_factory(FILES)
    (root / "README.md").write_text("# Not an article\n", encoding="utf-8")
    (root / "content" / "notes.txt").write_text("x\n", encoding="utf-8")
    outside = run(kb_cli, "README.md")
    assert outside.exit_code == 2
    assert "README.md: not in the docs folder (content); kb lints the articles under docs_dir" in outside.output
    other = run(kb_cli, "content/notes.txt")
    assert other.exit_code == 2 and "content/notes.txt: not an article; kb reads Markdown files ending in .md" in other.output
    assert run(kb_cli, ".").output == run(kb_cli).output  # a folder holding the docs folder: everything


def test_skip_other_files_lints_the_articles_among_the_paths(kb_cli, kb_factory) -> None:
    root = kb_factory(FILES)
    (root / "README.md").write_text("# Not an article\n", encoding="utf-8")
    result = run(kb_cli, "--skip-other-files", "README.md", "content/billing/refunds.md")
    assert result.output.splitlines()[-1] == "0 errors, 1 warning, 0 info in 1 file"
    assert "kb: warning: README.md: not in the docs folder (content); kb lints the articles under docs_dir; skipped" in result.output
    only = run(kb_cli, "--skip-other-files", "README.md")
    assert only.exit_code == 0 and only.output.splitlines()[-1] == "0 errors, 0 warnings, 0 info in 0 files"


def test_a_file_name_with_a_line_break_stays_on_one_text_line(kb_cli, kb_factory) -> None:
    kb_factory({"bad\nname.md": article(title="Odd name", owner=None)})
    lines = run(kb_cli).output.splitlines()
    assert lines[0].startswith("content/bad\\nname.md:1:1: KB006 error: 'owner' is missing")
    assert len(lines) == 3 and all(line.startswith("content/bad\\nname.md:") for line in lines[:-1])


def test_hidden_and_excluded_files_named_on_the_command_line_are_not_reported_clean(kb_cli, kb_factory) -> None:
    root = kb_factory({**FILES, ".hidden.md": "---\ntitle: [broken\n---\n", "_inc/snippet.md": "Included text.\n"},
                      {"exclude": ["_inc/**"]})
    hidden = run(kb_cli, "content/.hidden.md")
    assert hidden.exit_code == 2 and "content/.hidden.md: hidden (a name starting with '.')" in hidden.output
    excluded = run(kb_cli, "content/_inc/snippet.md")
    assert excluded.exit_code == 2 and "content/_inc/snippet.md: not an article: 'exclude' in the config leaves it out" in excluded.output
    assert (root / "content/_inc").is_dir()


def test_kb_state_folder_ignores_itself_in_git(kb_cli, kb_factory) -> None:
    """A team adding kb to a repository must not commit `.kb/` (caches, index) by accident."""
    import subprocess

    root = kb_factory(FILES)
    run(kb_cli)
    assert (root / ".kb" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    assert ".kb/" not in status and "content/billing/refunds.md" in status


def test_linting_some_files_finds_what_linting_all_finds_for_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-article rules run on the chosen files only: every file of the sample, linted alone,
    gets exactly the findings the whole run gives it (link, translation and kb-wide rules included)."""
    import shutil
    from datetime import date

    from kb.config import load_config
    from kb.lint import lint

    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path / "mkdocs.yml")
    today = date(2026, 11, 22)
    everything = lint(config, today).diagnostics
    files = sorted(tmp_path.joinpath("content").rglob("*.md"))
    assert len(files) > 60 and len({d.path for d in everything}) > 20
    for path in files:
        shown = path.relative_to(tmp_path).as_posix()
        alone = lint(config, today, (Path(shown),)).diagnostics
        assert alone == [d for d in everything if d.path == shown], shown


def test_a_symlinked_folder_in_the_docs_folder_is_linted_as_the_folder_it_names(kb_cli, kb_factory) -> None:
    import os

    root = kb_factory({"real/x.md": article(title="X", body="[gone](nope.md)\n")})
    os.symlink("real", root / "content" / "alias")
    through_link = run(kb_cli, "content/alias")
    assert through_link.exit_code == 1 and "content/real/x.md:7:1: KB201" in through_link.output


def test_a_folder_holding_no_article_stops_lint(kb_cli, kb_factory) -> None:
    kb_factory({**FILES, "includes/snippet.md": "Included.\n"}, {"exclude": ["includes/**"]})
    result = run(kb_cli, "content/includes")
    assert result.exit_code == 2 and "content/includes: holds no article (only hidden, excluded or non-.md files)" in result.output


def test_raw_html_links_to_articles_are_broken_on_the_site(kb_cli, kb_factory) -> None:
    """MkDocs rewrites `[x](x.md)` to the page's address but leaves `<a href="x.md">` as written."""
    kb_factory({"x.md": article(title="X"),
                "a.md": article(title="A", body='[ok](x.md) <a href="x.md">raw</a> <a href="../x/">site address</a>\n')})
    lines = [line for line in run(kb_cli).output.splitlines() if "KB201" in line]
    assert lines == ["content/a.md:7:12: KB201 error: raw HTML link to 'x.md': MkDocs does not rewrite links in HTML, "
                     "so the site would link a file it does not publish; write it as a Markdown link [broken-link]"]


@pytest.mark.parametrize("directory_urls, broken", [(True, ["media/a.png"]), (False, ["../media/a.png"])])
def test_raw_html_images_are_looked_up_from_the_page_address(kb_cli, kb_factory, directory_urls, broken) -> None:
    """`<img src>` is not rewritten: with directory URLs `guides/a.md` is the page `guides/a/`, so
    `media/a.png` is looked for in `guides/a/media/`; index pages and flat URLs keep the file's folder."""
    body = '<img src="media/a.png"> <img src="../media/a.png">\n'
    root = kb_factory({"guides/a.md": article(title="A", body=body), "guides/index.md": article(title="Guides", body=body)},
                      use_directory_urls=directory_urls)
    (root / "content" / "guides" / "media").mkdir()
    (root / "content" / "guides" / "media" / "a.png").write_bytes(b"\x89PNG")
    lines = [line for line in run(kb_cli).output.splitlines() if "KB201" in line]
    flagged = [(line.split(":")[0], line.split("'")[1]) for line in lines]
    assert flagged == [("content/guides/a.md", target) for target in broken] + [("content/guides/index.md", "../media/a.png")]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_kb_process_prints_every_finding_and_exits_with_the_lint_status(kb_factory, fmt: str) -> None:
    """`kb lint` ends without freeing the knowledge base (kb.cli._quick_exit): what it printed to a
    pipe must still all arrive, and the exit status must be lint's."""
    import json
    import subprocess
    import sys

    files = {f"a{n}.md": article(f"A {n}", body=f"[gone](missing-{n}.md)\n") for n in range(300)}
    root = kb_factory(files)
    command = [sys.executable, "-c", "from kb.cli import main; main()", "lint", "--format", fmt, "--today", "2026-11-22"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    if fmt == "json":
        assert json.loads(done.stdout)["summary"]["errors"] == 300
    else:
        assert done.stdout.count(": KB201 error:") == 300 and done.stdout.endswith("in 300 files\n")
    elsewhere = root.parent / "no-config-here"
    elsewhere.mkdir(exist_ok=True)
    failed = subprocess.run(command, cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 2 and "mkdocs.yml" in failed.stderr  # kb could not run


def test_links_that_wrap_over_a_line_end_are_checked(kb_cli, kb_factory) -> None:
    """Python-Markdown makes a link of `[the refund\\nguide](x.md)`: lint checks it like any other."""
    kb_factory({"agents.md": article(title="Agents", audience="internal"),
                "a.md": article(title="A", audience="public", body=(
                    "See [the refund\nguide](gone.md) first, ![a\nb](\nmissing.png)\nand [the escalation\n"
                    "path](agents.md#x).\n\nAlso [this][r].\n\n[r]:\n    also-gone.md\n"))})
    lines = [line.split(" error: ")[0] for line in run(kb_cli).output.splitlines() if " error: " in line]
    assert lines == ["content/a.md:8:5: KB201", "content/a.md:9:24: KB201", "content/a.md:12:5: KB202",
                     "content/a.md:12:5: KB203", "content/a.md:18:5: KB201"]
