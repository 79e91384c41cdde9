"""The flat front-matter fast path gives exactly what libyaml gives, or steps aside (None)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import flatyaml, frontmatter, yamlload

ROOT = Path(__file__).resolve().parent.parent
_MATTER = re.compile(r"---\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)


def libyaml(yaml_text: str) -> Any:
    """What kb.frontmatter builds through libyaml: (data, key lines, duplicates), or None on any problem."""
    try:
        node = yamlload.compose(yaml_text)
        if node is None or frontmatter._too_big(node):
            return None
        data = yamlload.construct(node)
    except (yaml.YAMLError, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    key_lines: dict[str, int] = {}
    duplicates = []
    for key_node, _ in node.value:
        key, line = str(key_node.value), key_node.start_mark.line + 2
        if key in key_lines:
            duplicates.append((key, line))
        else:
            key_lines[key] = line
    return {str(k): v for k, v in data.items()}, key_lines, duplicates


def same_as_libyaml(yaml_text: str) -> bool:
    """True when the fast path stepped aside or agrees with libyaml, value types included."""
    fast = flatyaml.parse(yaml_text, 2, frontmatter.MAX_VALUES)
    if fast is None:
        return True
    slow = libyaml(yaml_text)
    assert slow is not None, f"fast path read what libyaml rejects: {yaml_text!r}"
    assert fast == slow, yaml_text
    for key, value in slow[0].items():
        assert type(fast[0][key]) is type(value), (yaml_text, key)
        if isinstance(value, list):
            assert [type(item) for item in fast[0][key]] == [type(item) for item in value], (yaml_text, key)
    return True


SIMPLE = [
    "title: Printer not found\ntype: issue",
    'title: "Card payment: fails # sometimes"\nowner: payments-pod',
    "title: 'single quoted, with \"double\" inside'",
    "tags: [outlet, bluetooth printer, a.b]\nrelated: []",
    "tags:\n- stock\n- tax\nowner: ana",
    "tags:\n  - stock\n  - 'quoted item'\n\nowner: ana",
    "title: Can't pay; try again (app 4.1) 100% & more!",
    "reviewed: 2025-07-09\nreviewed: 2025-08-01",
    "ms.topic: how-to\n_private: x\nkb_ignore: [KB101]",
    "title: Tidak bisa masuk, muncul \"Email atau kata sandi salah\"",
    "title: Ünïcödé wörds ok",
]

FALLBACK = [  # each must go to libyaml: the fast path cannot prove it reads them the same
    "title: 404", "title: 1.5", "title: true", "title: yes", "title: null", "title: ~", "title:",
    "title: ", "on: x", "null: x", "title: 0x1F", "title: 1_000", "title: 12:30", "title: a # c",
    "title: 'it''s'", 'title: "a\\tb"', "title: *ref", "title: &a x", "title: !!str x",
    "title: | block", "title: > folded", "title: @x", "title: `x`", "title: %x", "title: -x",
    "title: ?x", "title: [a, 1]", "title: [a, [b]]", "title: [a,]", "title: {a: b}",
    "title:\tx", "title: a\u00a0b", "title: a\u2028b", "title: a\u0085b", "title: x\ufeff",
    "  title: x", "title: x\n  continued", "# comment\ntitle: x", "title: x\n- y",
    "tags:\n- a\n  - b", "tags:\n- 1", "tags:\n-", "tags:\n- [a]", "tags:\n- a: b",
    "title: .inf", "title: =", "<<: x", "a" * 101 + ": x", "title: x:", "title: x: y",
    "title: \"unclosed", "title: 'a' b", "title: x\n---",
]


@pytest.mark.parametrize("yaml_text", SIMPLE)
def test_simple_front_matter_takes_the_fast_path_with_libyaml_values(yaml_text: str) -> None:
    assert flatyaml.parse(yaml_text, 2, frontmatter.MAX_VALUES) is not None
    assert same_as_libyaml(yaml_text)


@pytest.mark.parametrize("yaml_text", FALLBACK)
def test_anything_else_goes_to_libyaml(yaml_text: str) -> None:
    assert flatyaml.parse(yaml_text, 2, frontmatter.MAX_VALUES) is None


def test_duplicate_keys_keep_the_first_line_and_the_last_value() -> None:
    data, key_lines, duplicates = flatyaml.parse("a: 1x\nb: y\n\na: 2x", 2, frontmatter.MAX_VALUES)
    assert data == {"a": "2x", "b": "y"} and key_lines == {"a": 2, "b": 3} and duplicates == [("a", 5)]


def test_too_many_values_go_to_libyaml() -> None:
    text = "tags:\n" + "".join(f"- w{i}\n" for i in range(frontmatter.MAX_VALUES))
    assert flatyaml.parse(text, 2, frontmatter.MAX_VALUES) is None


def _front_matters(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError):
            continue
        match = _MATTER.match(text)
        if match:
            found.append(match.group(1))
    return found


def test_same_as_libyaml_over_content_test_data_and_a_generated_corpus(tmp_path: Path) -> None:
    from bench.generate import generate

    generate(tmp_path / "corpus", 400, seed=3)
    paths = [*ROOT.joinpath("content").rglob("*.md"), *ROOT.joinpath("tests", "data").rglob("*.md"),
             *(tmp_path / "corpus").rglob("*.md")]
    matters = _front_matters(paths)
    fast = sum(flatyaml.parse(text, 2, frontmatter.MAX_VALUES) is not None for text in matters)
    assert all(same_as_libyaml(text) for text in matters)
    assert fast >= 400  # the generated articles are simple: the fast path must not silently turn off


_KEYS = st.sampled_from(["title", "type", "on", "null", "tags", "a.b", "x-y", "_k", "Yes", "title"])
_CHARS = st.sampled_from(list("aZ09 _.,;:/()'\"+=?!%@&*#-[]{}|>~`\\\t") + ["\u00e9", "\u00a0", "\u2028", "\ufeff"])
_SAFE = st.text(st.sampled_from(list("aZ0 _.,;/()'\"+=?!%@&*-") + ["\u00e9"]), min_size=1, max_size=12)
_SCALAR = st.one_of(
    _SAFE.map(lambda s: "w" + s), _SAFE,  # mostly text the fast path may take, so that it is exercised
    st.text(_CHARS, max_size=12),
    st.sampled_from(["1", "1.5", "true", "no", "~", "null", "0x1F", "2024-01-02", "12:30", ".inf", "=", "1_0"]),
)
_VALUE = st.one_of(
    _SCALAR,
    _SCALAR.map(lambda s: f'"{s}"'),
    _SCALAR.map(lambda s: f"'{s}'"),
    st.lists(_SCALAR, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(_SCALAR, max_size=3).map(lambda items: "".join(f"\n- {item}" for item in items)),
)
_SEPARATORS = st.sampled_from([": ", ": ", ":  ", ":", ": \t"])
_LINES = st.lists(st.tuples(_KEYS, _SEPARATORS, _VALUE), min_size=1, max_size=5)


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_fast_path_never_disagrees_with_libyaml(lines: list[tuple[str, str, str]]) -> None:
    assert same_as_libyaml("\n".join(f"{key}{sep}{value}" for key, sep, value in lines))


@settings(max_examples=600, deadline=None)
@given(_KEYS, _VALUE)
def test_fast_path_agrees_on_single_fields(key: str, value: str) -> None:
    assert same_as_libyaml(f"{key}: {value}")
