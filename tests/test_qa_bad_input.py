"""Bad input found in a second QA pass over every command, each once a traceback, a broken output or a
file silently left out. Real files in tmp_path, the real CLI (a subprocess where the terminal matters)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY, article


def kb_process(root: Path, *args: str, encoding: str = "utf-8") -> subprocess.CompletedProcess[str]:
    """`kb ARGS` in `root` as its own process, its output in `encoding` with Python's default strict
    errors (a UTF-8 desktop terminal, or cp1252 for stdout redirected to a file on Windows)."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "KB_TODAY": TODAY}
    return subprocess.run([sys.executable, "-c", "from kb.cli import main; main()", *args], cwd=root, env=env,
                          capture_output=True, text=True, encoding=encoding, errors="replace", timeout=120)


def test_a_file_name_that_is_not_utf8_is_one_finding_and_is_left_out(kb_factory) -> None:
    """`bad\\xffname.md` (copied from an old Windows share) once ended every format of lint, the
    reports and `kb build` in a UnicodeEncodeError."""
    root = kb_factory({"a.md": article(title="A", reviewed="2024-01-01")})
    (root / "content" / os.fsdecode(b"bad\xffname.md")).write_text(article(title="Bad", reviewed="2024-01-01"),
                                                                   encoding="utf-8")
    for fmt in ("text", "json", "github"):
        done = kb_process(root, "lint", "--format", fmt)
        assert (done.returncode, done.stderr) == (1, "")
        assert "the file name is not valid UTF-8 (byte 0xff); rename the file, it is not read" in done.stdout
        assert "bad\\udcffname.md" in done.stdout
    done = kb_process(root, "report", "stale", "--format", "json")
    assert (done.returncode, done.stderr) == (1, "")
    assert [row["path"] for row in json.loads(done.stdout)["articles"]] == ["a.md"]


def test_output_the_terminal_cannot_encode_is_escaped_not_a_traceback(kb_factory) -> None:
    kb_factory({"a.md": article(title="Struk \u2026 tidak keluar \U0001f5a8", reviewed="2024-01-01")})
    for args in (("report", "stale"), ("lint", "--format", "json"), ("stats",)):
        done = kb_process(Path.cwd(), *args, encoding="cp1252")
        assert "Traceback" not in done.stderr and done.returncode in (0, 1), done.stderr
    assert "Struk \u2026 tidak keluar \\U0001f5a8" in kb_process(Path.cwd(), "report", "stale", encoding="cp1252").stdout


def test_a_line_break_or_tab_in_a_name_or_title_keeps_each_report_row_on_one_line(kb_factory) -> None:
    from click.testing import CliRunner

    from kb.cli import app

    kb_factory({"new\nline.md": article(title="Tab\there", reviewed="2024-01-01"),
                "b.md": article(title="B", reviewed="2024-01-01", body="[x](gone\tx.md)\n")})
    stale = CliRunner().invoke(app(), ["report", "stale", "--today", TODAY]).output
    assert stale.splitlines()[1:3] == ["b          en    B          ana    2024-01-01  2025-01-01  stale by 165 days",
                                       "new\\nline  en    Tab\\there  ana    2024-01-01  2025-01-01  stale by 165 days"]
    missing = CliRunner().invoke(app(), ["report", "missing", "--today", TODAY]).output
    assert "  gone\\tx.md  (1 article)\n    b.md:7\n" in missing
    stats = CliRunner().invoke(app(), ["stats", "--today", TODAY]).output
    assert "  2024-01-01  531 days ago  ana  new\\nline.md\n" in stats


def test_a_no_break_space_or_a_joiner_in_a_title_is_shown_as_written(kb_factory) -> None:
    """Only what splits a row or turns it around is escaped: `Refund\\xa0policy` and the `\\u200d` of an
    emoji sequence are text, and showed as those escapes in the report and in lint's messages."""
    from click.testing import CliRunner

    from kb.cli import app

    title = "Refund\u00a0policy \U0001f469\u200d\U0001f4bb"
    kb_factory({"a.md": article(title=f'"{title}"', reviewed="2024-01-01"),
                "b.md": article(title=f'"{title}"', reviewed="2024-01-01")})
    stale = CliRunner().invoke(app(), ["report", "stale", "--today", TODAY]).output
    assert f"  {title}  ana  " in stale, stale
    lint = CliRunner().invoke(app(), ["lint", "--today", TODAY]).output
    assert f"'{title}'" in lint and "\\xa0" not in lint, lint


def test_stats_says_a_review_date_in_the_future_is_in_the_future(kb_factory) -> None:
    from click.testing import CliRunner

    from kb.cli import app

    kb_factory({"a.md": article(title="A", reviewed="9999-12-31")})
    stats = CliRunner().invoke(app(), ["stats", "--today", TODAY]).output
    assert stats.endswith("Oldest reviews:\n  9999-12-31  in the future  ana  a.md\n"), stats


def test_a_title_with_a_bidi_override_or_a_c1_control_is_flagged_and_shown_without_it(kb_factory) -> None:
    """A right-to-left override turned the rest of the report's row around: `Refund \\u202egnp.exe  ana
    2024-01-01` showed as `Refund 10-10-4202  ana  exe.png`."""
    from datetime import date

    from kb.authoring import new_article
    from kb.config import load_config
    from kb.exceptions import KbError
    from kb.knowledge import load
    from kb.lint import lint

    kb_factory({"a.md": article(title='"Refund \\u202egnp.exe"'), "b.md": article(title='"Smart \\x93quotes\\x94"'),
                "d.md": article(title='"Arabic \\u200fmark"')})
    found = [(d.path, d.message) for d in lint(load_config(), date.fromisoformat(TODAY)).diagnostics if d.code == "KB007"]
    assert found == [("content/a.md", "'title' holds a control character ('\\u202e'); remove it"),
                     ("content/b.md", "'title' holds a control character ('\\x93'); remove it")]
    titles = sorted(a.title or "" for a in load(load_config(), use_cache=False).articles)
    assert titles == ["Arabic \u200fmark", "Refund gnp.exe", "Smart quotes"]
    with pytest.raises(KbError, match="holds a control character"):
        new_article(load_config(), "issue", "Refund \u202egnp.exe")


def test_the_generated_index_pages_link_to_articles_whose_names_need_encoding(tmp_path: Path) -> None:
    """The home, section and type pages linked `pct%20x.md` and `a (b).md` as written: MkDocs warned
    that the targets do not exist and the site's links led nowhere."""
    from conftest import kb_in, write_kb

    names = ["pct%20x.md", " space .md", "odd (1)/a (b).md", "ha#sh.md"]
    root = write_kb(tmp_path / "kb", {name: article(title=f"T{i}", audience="public") for i, name in enumerate(names)})
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "not found among documentation files" not in result.output
    home = (root / "site/public/index.html").read_text(encoding="utf-8")
    for href in ("pct%2520x/", "%20space%20/", "odd%20%281%29/a%20%28b%29/", "ha%23sh/", "sections/odd%20%281%29/"):
        assert f'href="{href}"' in home
    assert (root / "site/public/odd (1)/a (b)/index.html").is_file()


@pytest.mark.parametrize(("folder", "message"), [
    (".drafts", "folder '.drafts' is hidden (a name in it starts with '.'), and kb skips hidden folders, so kb would "
                "neither check nor publish the article; choose another --folder"),
    ("includes/pos", "folder 'includes/pos' is left out by 'exclude' in "),
    ("a\nb", "folder 'a\\nb' holds a control character such as a line break; give it as one line of plain text"),
])
def test_new_refuses_a_folder_that_kb_never_reads(kb_factory, folder: str, message: str) -> None:
    """`kb new ... --folder .drafts` wrote the article where lint, the reports and the sites never look."""
    from kb.authoring import new_article
    from kb.config import load_config
    from kb.exceptions import KbError

    root = kb_factory({}, {"exclude": ["includes/**"]})
    with pytest.raises(KbError, match=re.escape(message)):
        new_article(load_config(), "best-practice", "Printer", folder=folder)
    assert [p for p in (root / "content").rglob("*")] == []
    assert new_article(load_config(), "best-practice", "Printer", folder="drafts").is_file()


def test_an_alias_inside_the_value_it_names_is_called_so(kb_factory) -> None:
    """It was reported as 'nested more than 20 levels deep', which the file plainly is not."""
    from datetime import date

    from kb.config import load_config
    from kb.lint import lint

    kb_factory({"a.md": article(title="A", tags="&t [a, *t]"), "b.md": article(title="B", x="{a: 1, b: [1, 2]}")},
               {"extra_fields": ["x"]})
    found = [(d.path, d.line, d.message) for d in lint(load_config(), date.fromisoformat(TODAY)).diagnostics
             if d.code == "KB004"]
    assert found == [("content/a.md", 2, "front matter holds an alias inside the value it names (line 6), so the "
                                         "value never ends; write plain 'key: value' fields")]
