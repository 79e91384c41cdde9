"""The README documents every rule and every config key, so the docs cannot drift from the code."""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import fields
from pathlib import Path

import click
import pytest

from kb.config import SearchConfig, SiteConfig
from kb.config_schema import Validator
from kb.rules import rules

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
REFERENCE = README[README.index("### Configuration reference"):README.index("### Exit codes")]
DOCUMENTED = set(re.findall(r"^\| `([\w.]+)` \|", REFERENCE, re.M))


@pytest.mark.parametrize("rule", list(rules().values()), ids=lambda rule: rule.code)
def test_every_rule_is_in_the_readme_table(rule) -> None:
    assert re.search(rf"\b{rule.code} {re.escape(rule.name)}\b", README), f"{rule.code} {rule.name} missing from README"


def test_every_config_key_is_in_the_reference() -> None:
    accepted = set(Validator([], []).parsers()) - {"search", "site"}
    accepted |= {f"search.{f.name}" for f in fields(SearchConfig)} | {f"site.{f.name}" for f in fields(SiteConfig)}
    assert accepted - DOCUMENTED == set(), "config keys missing from README's configuration reference"
    assert DOCUMENTED - accepted == set(), "README documents config keys that do not exist"


# The sample outputs of the README are for this date (said in its tour).
SAMPLE_TODAY = "2026-11-22"
REPO = Path(__file__).parent.parent


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, re.M | re.S)


def _readme_commands() -> list[str]:
    """Every `kb ...` line of the README's sh and console blocks, without its comment."""
    lines = [line for block in _blocks("sh") for line in block.splitlines()]
    lines += [line[2:] for block in _blocks("console") for line in block.splitlines() if line.startswith("$ ")]
    return [line.split("  #")[0].strip() for line in lines if line.startswith("kb ")]


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled sample (content/, mkdocs.yml, eval/) to run the README's commands in."""
    for name in ("content", "eval"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "site/public").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KB_TODAY", SAMPLE_TODAY)
    return tmp_path


def test_every_kb_command_line_in_the_readme_parses(sample: Path) -> None:
    from kb.cli import app

    commands = _readme_commands()
    assert len(commands) > 30
    for line in commands:
        args = shlex.split(line)[1:]
        command, ctx = app(), None
        while isinstance(command, click.Group):  # `kb report stale`: walk down to the command
            ctx = command.make_context("kb", args, parent=ctx) if ctx is None else ctx
            name, args = args[0], args[1:]
            command = command.get_command(ctx, name)
            assert command is not None, f"README: {line}: no command {name!r}"
        try:
            command.make_context(command.name, args, parent=ctx)
        except click.UsageError as error:
            raise AssertionError(f"README: {line}: {error.format_message()}") from None


def test_console_examples_show_what_the_sample_prints(sample: Path) -> None:
    """Each `$ kb ...` of a console block prints at least the lines shown under it, in order, from the start."""
    from click.testing import CliRunner

    from kb.cli import app

    for block in _blocks("console"):
        for example in re.split(r"^(?=\$ )", block, flags=re.M):
            command, _, shown = example.partition("\n")
            if not command.startswith("$ kb "):
                continue
            result = CliRunner().invoke(app(), shlex.split(command[2:])[1:])
            printed = result.stdout.splitlines()
            assert printed[:len(shown.splitlines())] == shown.splitlines(), command


def test_the_tour_states_what_lint_finds_on_the_sample(sample: Path) -> None:
    from click.testing import CliRunner

    from kb.cli import app

    summary = CliRunner().invoke(app(), ["lint"]).stdout.splitlines()[-1]  # "0 errors, 6 warnings, 24 info in 65 files"
    errors, warnings, info, files = re.findall(r"\d+", summary)
    assert f"`kb lint` finds {errors} errors, {warnings} warnings and {info} info\nin {files} files" in README
