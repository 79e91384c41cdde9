"""The README documents every rule and every config key, so the docs cannot drift from the code."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from kb.config import SearchConfig, SiteConfig
from kb.config_schema import Validator
from kb.rules import rules

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
REFERENCE = README[README.index("### Configuration reference"):README.index("### Front matter of other shapes")]
DOCUMENTED = set(re.findall(r"^\| `([\w.]+)` \|", REFERENCE, re.M))


@pytest.mark.parametrize("rule", list(rules().values()), ids=lambda rule: rule.code)
def test_every_rule_is_in_the_readme_table(rule) -> None:
    assert re.search(rf"\b{rule.code} {re.escape(rule.name)}\b", README), f"{rule.code} {rule.name} missing from README"


def test_every_config_key_is_in_the_reference() -> None:
    accepted = set(Validator([], []).parsers()) - {"search", "site"}
    accepted |= {f"search.{f.name}" for f in fields(SearchConfig)} | {f"site.{f.name}" for f in fields(SiteConfig)}
    assert accepted - DOCUMENTED == set(), "config keys missing from README's configuration reference"
    assert DOCUMENTED - accepted == set(), "README documents config keys that do not exist"
