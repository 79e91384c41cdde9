"""Bad input found in a second QA pass over every command, each once a traceback, a broken output or a
file silently left out. Real files in tmp_path, the real CLI (a subprocess where the terminal matters)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
