"""Every rule in the registry: its docs, and a failing and a passing example under tests/data/rules/.

Each `tests/data/rules/KBxxx/` holds a small KB (mkdocs.yml + content/) with `fail-*.md` files the
rule must flag and `pass-*.md` files it must not (other files are link targets and such; a file in
a `fail-*` or `pass-*` folder counts as one, for names a rule cares about such as `index.md`), and
`expected.txt`: the exact `kb lint` text lines of that rule. A rule without such a folder fails
`test_rule_examples`, so a new rule cannot land without examples.

After a deliberate change of a message, rewrite the expected files with
`KB_UPDATE_EXPECTED=1 pytest tests/test_rules.py` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner
from conftest import DATA, TODAY

from kb.articles import OTHER_MARKDOWN
from kb.config import load_config
from kb.lint import lint
from kb.output import render_text
from kb.rules import DOC_SECTIONS, find, rules

RULES = rules()
RULE_DATA = DATA / "rules"


def run_example(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Lint a copy of the rule's example KB: (text lines of this rule, paths of files it flagged)."""
    root = tmp_path / code
    shutil.copytree(RULE_DATA / code, root, symlinks=True)
    monkeypatch.chdir(root)
    result = lint(load_config(root / "mkdocs.yml"), date.fromisoformat(TODAY))
    mine = [d for d in result.diagnostics if d.code == code]
    lines = render_text(mine, result.files).splitlines()[:-1]  # without the summary line
    return lines, [d.path for d in mine]


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_examples(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = RULE_DATA / code
    assert folder.is_dir(), f"{code} has no examples: add {folder.relative_to(DATA.parent.parent)}/ (see this module's docstring)"
    examples = [_example(path.relative_to(folder / "content")) for path in _pages(folder)]
    assert "fail" in examples and "pass" in examples
    lines, flagged = run_example(code, tmp_path, monkeypatch)
    expected_file = folder / "expected.txt"
    if os.environ.get("KB_UPDATE_EXPECTED"):
        expected_file.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    assert lines == expected_file.read_text(encoding="utf-8").splitlines()
    assert flagged, f"{code} flagged nothing"
    for path in flagged:
        assert _example(Path(path).relative_to("content")) == "fail", f"{code} flagged {path}, which is not a fail-* example"
    # every failing example is flagged at least once
    fails = {f"content/{p.relative_to(folder / 'content').as_posix()}" for p in _pages(folder)
             if _example(p.relative_to(folder / "content")) == "fail"}
    assert fails <= set(flagged)


def _pages(folder: Path) -> list[Path]:
    return [path for path in (folder / "content").rglob("*") if path.suffix in (".md", *OTHER_MARKDOWN)]


def _example(rel: Path) -> str:
    """"fail" or "pass" for an example file (by its name, else by its folder's), else ""."""
    for part in (rel.name, *reversed(rel.parent.parts)):
        if part.startswith(("fail", "pass")):
            return part[:4]
    return ""


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_documented(code: str) -> None:
    rule = RULES[code]
    assert re.fullmatch(r"KB\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    assert not rule.name.startswith(("use-", "avoid-", "prefer-"))
    for section in DOC_SECTIONS:
        match = re.search(rf"^{section}: (.+)", rule.doc, re.M)
        assert match and match.group(1).strip(), f"{code} doc has no '{section}:' section"
    assert rule.summary and rule.summary.endswith(".")


def test_codes_and_names_are_unique() -> None:
    names = [rule.name for rule in RULES.values()]
    assert len(set(names)) == len(names) == len(RULES) >= 33
    assert all(code == rule.code for code, rule in RULES.items())


def test_find_by_code_or_name() -> None:
    assert find("kb101") is RULES["KB101"]
    assert find("stale-article") is RULES["KB101"]
    assert find("KB999") is None and find("no-such-rule") is None


def test_registering_a_bad_or_duplicate_rule_fails() -> None:
    from kb.rules import register

    with pytest.raises(ValueError):
        register("KB1", "bad-code", RULES["KB101"].severity, RULES["KB101"].check, "doc")
    with pytest.raises(ValueError):
        register("KB998", "Not_Kebab", RULES["KB101"].severity, RULES["KB101"].check, "doc")
    with pytest.raises(ValueError):
        register("KB101", "another-name", RULES["KB101"].severity, RULES["KB101"].check, "doc")


def test_kb_rules_lists_every_rule(kb_cli) -> None:
    result = CliRunner().invoke(kb_cli, ["rules"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES.values()):
        assert line.split() [:3] == [rule.code, rule.name, rule.severity.label]
        assert line.endswith(rule.summary)


@pytest.mark.parametrize("key", ["KB009", "kb009", "invalid-date", "Invalid-DATE"])
def test_kb_rule_prints_the_doc(kb_cli, key: str) -> None:
    result = CliRunner().invoke(kb_cli, ["rule", key])
    assert result.exit_code == 0, result.output
    rule = RULES["KB009"]
    assert result.output.startswith("KB009 invalid-date (default severity: error)\n\n")
    assert rule.doc in result.output
    assert "Example: `reviewed: 2024-02-30`" in result.output


def test_kb_rule_unknown_code_exits_2(kb_cli) -> None:
    result = CliRunner().invoke(kb_cli, ["rule", "KB999"])
    assert result.exit_code == 2
    assert "no rule 'KB999'" in result.output


_HEADING_WORDS = st.sampled_from(["symptoms", "symptom", "cause", "causes", "resolution", "steps", "step", "s", "", "more information",
                                  "langkah", "gejala", "resolutions and workarounds", "x", "sym ptoms", "cause and fix"])


@given(st.lists(_HEADING_WORDS, min_size=1, max_size=3).map(" ".join), st.frozensets(_HEADING_WORDS, min_size=1, max_size=3))
@settings(max_examples=500, deadline=None)
def test_the_near_miss_heading_check_says_what_difflib_says(text: str, names: frozenset[str]) -> None:
    import difflib

    from kb.rules.structure import _nearly

    assert _nearly(text, names) == bool(difflib.get_close_matches(text, names, n=1, cutoff=0.8))
