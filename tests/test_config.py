"""The kb section of mkdocs.yml: defaults, validation (all problems at once), warnings, mapping."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, article, write_kb

from kb.config import load_config
from kb.durations import Duration
from kb.exceptions import ConfigError
from kb.lint import lint


def lint_lines(root: Path) -> list[str]:
    result = lint(load_config(root / "mkdocs.yml"), date.fromisoformat(TODAY))
    return [f"{Path(d.path).name}:{d.line}: {d.code} {d.message}" for d in result.diagnostics]


def test_empty_section_gives_working_defaults(tmp_path: Path) -> None:
    config = load_config(write_kb(tmp_path, {}) / "mkdocs.yml")
    assert config.docs_dir == (tmp_path / "content").resolve()
    assert config.review_every is None and config.due_soon == Duration(14, "d")
    assert config.languages == ("en",) and config.default_lang == "en"
    assert set(config.types) == {"issue", "procedure", "best-practice"}
    assert config.warnings == () and config.site_name == "Test KB"


def test_every_invalid_value_is_reported_at_once(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {}, {"due_soon": "soon", "review_every": 5, "max_file_kb": -1,
                                   "cache": "yes", "rules": {"KB101": "loud"}, "languages": [1]})
    with pytest.raises(ConfigError) as raised:
        load_config(root / "mkdocs.yml")
    message = str(raised.value)
    assert "6 problems in the config:" in message
    for line in ("plugins.kb.due_soon: expected a duration like 90d, 12w, 6m or 1y, got 'soon'",
                 "plugins.kb.review_every: expected a duration like 90d, 12w, 6m or 1y, got 5",
                 "plugins.kb.max_file_kb: expected a whole number above 0, got -1",
                 "plugins.kb.cache: expected true or false, got 'yes'",
                 "plugins.kb.rules.KB101: expected one of error, warning, info, ignore, got 'loud'",
                 "plugins.kb.languages[0]: expected a language code such as en, id or pt-BR, got 1"):
        assert f"  {line}" in message.splitlines()


def test_unknown_keys_warn_with_did_you_mean(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {}, {"review_evry": "3m", "types": {"issue": {"sectons": ["A"]}}})
    config = load_config(root / "mkdocs.yml")
    assert config.warnings == (
        "mkdocs.yml: plugins.kb.review_evry: unknown key 'review_evry' is ignored (did you mean 'review_every'?)",
        "mkdocs.yml: plugins.kb.types.issue: unknown key 'sectons' is ignored (did you mean 'sections'?)",
    )
    assert config.review_every is None  # the typo set nothing


def test_python_name_tags_in_mkdocs_yml_load(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {}, {"due_soon": "7d"})
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text += ("markdown_extensions:\n  - pymdownx.emoji:\n"
             "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert load_config(root / "mkdocs.yml").due_soon == Duration(7, "d")


def test_invalid_yaml_in_mkdocs_yml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [kb\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mkdocs.yml:\d+:\d+: invalid YAML"):
        load_config(tmp_path / "mkdocs.yml")


def test_config_found_upward_from_a_subfolder(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"billing/refunds.md": article()}, {"due_soon": "3d"})
    config = load_config(cwd=root / "content" / "billing")
    assert config.config_file == root / "mkdocs.yml" and config.due_soon == Duration(3, "d")


def test_config_option_and_search_upward_in_the_cli(tmp_path: Path, kb_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path / "kb", {"a.md": article(title="A", owner=None)})
    monkeypatch.chdir(root / "content")
    found = CliRunner().invoke(kb_cli, ["lint", "--today", TODAY])
    assert found.exit_code == 1 and found.output.startswith("a.md:1:1: KB006")  # paths relative to the working folder
    monkeypatch.chdir(tmp_path)
    given = CliRunner().invoke(kb_cli, ["--config", str(root / "mkdocs.yml"), "lint", "--today", TODAY])
    assert given.exit_code == 1 and "KB006" in given.output
    missing = CliRunner().invoke(kb_cli, ["--config", "nope.yml", "lint", "--today", TODAY])
    assert missing.exit_code == 2 and "nope.yml: no such config file" in missing.output


MS_ARTICLE = """---
title: Sign-in loops back to the login page
ms.date: 08/23/2024
ms.author: jdoe
ms.topic: troubleshooting
description: What to do when sign-in loops.
author: jdoe-gh
manager: asmith
---
Clear the browser cookies, then sign in again.
"""


def test_microsoft_style_front_matter_lints_clean_with_a_mapping(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"sign-in.md": MS_ARTICLE}, {
        "fields": {"reviewed": "ms.date", "owner": "ms.author"},
        "date_formats": ["%m/%d/%Y"],
        "extra_fields": ["ms.*", "description", "author", "manager"],
        "defaults": {"type": "best-practice"},
        "rules": {"orphan-article": "ignore"},
    })
    assert lint_lines(root) == []
    # without the mapping the same article is full of findings
    bare = write_kb(tmp_path / "bare", {"sign-in.md": MS_ARTICLE})
    codes = {line.split()[1] for line in lint_lines(bare)}
    assert {"KB006", "KB011", "KB103"} <= codes


def test_mapped_date_format_is_used_in_messages(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.md": MS_ARTICLE.replace("08/23/2024", "2024-08-23")}, {
        "fields": {"reviewed": "ms.date", "owner": "ms.author"}, "date_formats": ["%m/%d/%Y"],
        "extra_fields": ["ms.*", "description", "author", "manager"], "defaults": {"type": "best-practice"}})
    assert "a.md:3: KB009 '2024-08-23' is not a date; expected MM/DD/YYYY" in lint_lines(root)


def test_rule_severity_override_and_ignore(tmp_path: Path, kb_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"a.md": article(title="A", reviewed="2024-01-10"), "b.md": article(title="B", body="[a](a.md)\n")}
    root = write_kb(tmp_path, files, {"rules": {"stale-article": "error", "KB205": "ignore"}})
    monkeypatch.chdir(root)
    result = lint(load_config(), date.fromisoformat(TODAY))
    assert [(d.code, d.severity.label) for d in result.diagnostics] == [("KB101", "error")]
    assert CliRunner().invoke(kb_cli, ["lint", "--today", TODAY]).exit_code == 1


def test_kb_ignore_in_front_matter_opts_one_article_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"a.md": article(title="A", reviewed="2024-01-10", kb_ignore="[stale-article, KB205]"),
             "b.md": article(title="B", reviewed="2024-01-10", kb_ignore="KB205")}
    monkeypatch.chdir(write_kb(tmp_path, files))
    result = lint(load_config(), date.fromisoformat(TODAY))
    assert [(d.path, d.code) for d in result.diagnostics] == [("content/b.md", "KB101")]


def test_unknown_rule_key_warns(tmp_path: Path, kb_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(write_kb(tmp_path, {"a.md": article()}, {"rules": {"stale-artcle": "error", "KB205": "ignore"}}))
    result = lint(load_config(), date.fromisoformat(TODAY))
    assert result.warnings == ["plugins.kb.rules.stale-artcle: no rule has this code or name (see 'kb rules')"]
    cli = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    out = cli.invoke(kb_cli, ["lint", "--today", TODAY])
    assert out.exit_code == 0
    assert "kb: warning: plugins.kb.rules.stale-artcle: no rule has this code or name" in out.stderr


def test_bad_config_exits_2_with_one_clear_message(tmp_path: Path, kb_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(write_kb(tmp_path, {"a.md": article()}, {"due_soon": "soon"}))
    result = CliRunner().invoke(kb_cli, ["lint", "--today", TODAY])
    assert result.exit_code == 2
    assert "plugins.kb.due_soon: expected a duration like 90d, 12w, 6m or 1y, got 'soon'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("section, problem", [
    ({"date_formats": ["DD/MM/YYYY"]}, "plugins.kb.date_formats[0]: 'DD/MM/YYYY' does not read back a date"),
    ({"date_formats": ["today"]}, "'today' does not read back a date"),
    ({"date_formats": ["%Q"]}, "'%Q' does not read back a date"),
    ({"date_formats": ["%d/%m"]}, "'%d/%m' does not read back a date"),
    ({"date_formats": ["%Y-%m-%d %H:%M"]}, "'%Y-%m-%d %H:%M' holds a time"),
    ({"date_formats": []}, "plugins.kb.date_formats: expected at least one format"),
    ({"date_formats": ["%Y-%m-%d", ""]}, "plugins.kb.date_formats: item 2 ('') is empty or not text"),
    ({"languages": ["en", "../../etc"]}, "plugins.kb.languages[1]: expected a language code"),
    ({"default_lang": "fr", "languages": ["en", "id"]}, "plugins.kb.default_lang: 'fr' is not one of languages (en, id)"),
    ({"types": {}}, "plugins.kb.types: no article types are defined"),
    ({"defaults": {"type": "nonsense"}}, "plugins.kb.defaults.type: expected one of issue, procedure, best-practice, got 'nonsense'"),
    ({"defaults": {"reviewed": "yesterday"}}, "plugins.kb.defaults.reviewed: expected a date in one of date_formats (%Y-%m-%d), got 'yesterday'"),
    ({"defaults": {"owner": 5}}, "plugins.kb.defaults.owner: expected text, got 5"),
    ({"defaults": {"review_every": "often"}}, "plugins.kb.defaults.review_every: expected a duration"),
    ({"values": {"type": {"how-to": "howto"}}}, "plugins.kb.values.type.how-to: expected one of issue, procedure, best-practice, got 'howto'"),
    ({"owners": {"ana": {"email": 5}}}, "plugins.kb.owners.ana.email: expected text, got 5"),
    ({"owners": {"ana": {"name": ["Ana", "L"]}}}, "plugins.kb.owners.ana.name: expected text, got ['Ana', 'L']"),
    ({"owners": {"ana": {"email": "ana at example.com"}}}, "plugins.kb.owners.ana.email: expected an e-mail address"),
])
def test_settings_that_would_mislead_lint_are_config_errors(tmp_path: Path, section: dict, problem: str) -> None:
    root = write_kb(tmp_path, {}, section)
    with pytest.raises(ConfigError) as raised:
        load_config(root / "mkdocs.yml")
    assert problem in str(raised.value)


def test_good_date_formats_and_defaults_load(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {}, {"date_formats": ["%m/%d/%Y", "%d %B %Y", "%Y-%m-%d"],
                                   "defaults": {"type": "issue", "reviewed": "01/31/2024", "audience": "public"}})
    assert load_config(root / "mkdocs.yml").date_formats == ("%m/%d/%Y", "%d %B %Y", "%Y-%m-%d")


@pytest.mark.parametrize("docs_dir, problem", [
    ("nowhere", "docs_dir: 'nowhere' ({root}/nowhere) does not exist"),
    ("mkdocs.yml", "docs_dir: 'mkdocs.yml' ({root}/mkdocs.yml) is not a folder"),
    (".", "docs_dir: '.' is the folder of mkdocs.yml or above it"),
    ("/", "docs_dir: '/' is the folder of mkdocs.yml or above it"),
    (5, "docs_dir: expected the folder of the articles, got 5"),
])
def test_a_docs_dir_kb_cannot_use_is_an_error_not_an_empty_lint(tmp_path: Path, docs_dir: object, problem: str) -> None:
    root = write_kb(tmp_path, {}, docs_dir=docs_dir)
    with pytest.raises(ConfigError) as raised:
        load_config(root / "mkdocs.yml")
    assert problem.format(root=root.resolve()) in str(raised.value)


def test_no_mkdocs_yml_is_an_error_that_says_what_to_do(tmp_path: Path, kb_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_text(article(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(kb_cli, ["lint"])
    assert result.exit_code == 2
    assert f"no mkdocs.yml in {tmp_path} or any folder above it" in result.output
    assert not (tmp_path / ".kb").exists()


def test_kb_listed_twice_in_plugins_is_an_error(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {})
    (root / "mkdocs.yml").write_text("docs_dir: content\nplugins:\n  - kb\n  - search\n  - kb:\n      due_soon: 7d\n")
    with pytest.raises(ConfigError, match="plugins: 'kb' is listed 2 times; keep one entry"):
        load_config(root / "mkdocs.yml")


def test_env_tags_and_inherit_are_read_as_mkdocs_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`!ENV` (with a default) and `INHERIT` with a deep merge: the kb section may live in a base file."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "base.yml").write_text(
        "site_name: Base\ndocs_dir: !ENV [KB_TEST_DOCS, content]\n"
        "plugins:\n  - kb:\n      due_soon: 7d\n      languages: [en, id]\n"
        "theme: {name: material, palette: {primary: red}}\n")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: !ENV KB_TEST_NAME\ntheme: {palette: {accent: blue}}\n")
    monkeypatch.setenv("KB_TEST_DOCS", "articles")
    monkeypatch.setenv("KB_TEST_NAME", "From the environment")
    config = load_config(tmp_path / "mkdocs.yml")
    assert config.docs_dir == (tmp_path / "articles").resolve()
    assert config.site_name == "From the environment"
    assert config.due_soon == Duration(7, "d") and config.languages == ("en", "id")
    from kb.config import read_mkdocs

    assert read_mkdocs(tmp_path / "mkdocs.yml")["theme"] == {"name": "material", "palette": {"primary": "red", "accent": "blue"}}
    monkeypatch.delenv("KB_TEST_DOCS")
    with pytest.raises(ConfigError, match="docs_dir: 'content'"):  # the default, which does not exist here
        load_config(tmp_path / "mkdocs.yml")


def test_inherit_loops_and_missing_parents_are_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("INHERIT: mkdocs.yml\n")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: a.yml\n")
    with pytest.raises(ConfigError, match="inherits back from this file"):
        load_config(tmp_path / "mkdocs.yml")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: gone.yml\n")
    with pytest.raises(ConfigError, match="INHERIT: 'gone.yml' .* does not exist"):
        load_config(tmp_path / "mkdocs.yml")


def test_an_unknown_value_of_a_mapped_field_says_how_to_map_it(tmp_path: Path) -> None:
    front = "---\ntitle: A\nms.topic: get-started\nowner: ana\nreviewed: 2025-06-01\n---\nText.\n"
    root = write_kb(tmp_path, {"a.md": front}, {"fields": {"type": "ms.topic"}})
    assert ("a.md:3: KB008 'ms.topic' is 'get-started', expected one of: issue, procedure, best-practice; "
            "map their values to ours in config: values: {type: {get-started: issue}}") in lint_lines(root)


def test_an_unknown_value_beside_a_mapping_says_to_add_it_there(tmp_path: Path) -> None:
    front = "---\ntitle: A\nms.topic: tutorial\nowner: ana\nreviewed: 2025-06-01\n---\nText.\n"
    root = write_kb(tmp_path, {"a.md": front}, {"fields": {"type": "ms.topic"}, "values": {"type": {"how-to": "procedure"}}})
    assert ("a.md:3: KB008 'ms.topic' is 'tutorial', expected one of: issue, procedure, best-practice; "
            "add it to the mapping in config: values.type: {tutorial: issue}") in lint_lines(root)


@pytest.mark.parametrize("slugify, anchor", [
    ("!!python/name:markdown.extensions.toc.slugify_unicode", "ünïcode-日本語"),
    ("!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}", "ünïcode-日本語"),
])
def test_heading_anchors_follow_the_toc_slugify_of_mkdocs_yml(tmp_path: Path, slugify: str, anchor: str) -> None:
    """A site with a Unicode slugify: `#ünïcode-日本語` is a good anchor, the ASCII one is not."""
    root = write_kb(tmp_path, {
        "target.md": article(title="Target", body="## Ünïcode 日本語\n\nText.\n"),
        "a.md": article(title="A", body=f"[good](target.md#{anchor}) [bad](target.md#unicode)\n"),
    })
    text = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(text + f"markdown_extensions:\n  - toc:\n      permalink: true\n      slugify: {slugify}\n")
    assert [line for line in lint_lines(root) if "KB202" in line] == ["a.md:7: KB202 'target.md' has no heading with anchor '#unicode'"]
    (root / "mkdocs.yml").write_text(text)  # the default slugify: the ASCII anchor is the right one
    assert [line for line in lint_lines(root) if "KB202" in line] == [f"a.md:7: KB202 'target.md' has no heading with anchor '#{anchor}'"]


def test_a_toc_slugify_that_cannot_be_imported_is_a_config_error(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {})
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text()
                                     + "markdown_extensions:\n  - toc:\n      slugify: !!python/name:no_such_module.slugify\n")
    with pytest.raises(ConfigError, match="markdown_extensions.toc.slugify: cannot use no_such_module.slugify as slugify\\(text, separator\\): No module named .no_such_module."):
        load_config(root / "mkdocs.yml")


def test_review_interval_precedence(tmp_path: Path) -> None:
    """The article's, then its type's, folder's and the global interval as configured; the
    built-in type intervals (issue 6m, best-practice 1y) only when none of those is set."""
    from kb.freshness import interval
    from kb.knowledge import load

    files = {
        "own.md": article(title="Own", type="procedure", review_every="2w"),
        "team/typed.md": article(title="Typed", type="issue"),
        "team/folder.md": article(title="Folder", type="procedure"),
        "global.md": article(title="Global", type="procedure"),
        "builtin.md": article(title="Built in", type="best-practice"),
    }
    root = write_kb(tmp_path / "a", files, {"types": {"issue": {"review_every": "1m"}, "procedure": {}},
                                             "folders": {"team": {"review_every": "3m"}}, "review_every": "9m"})
    config = load_config(root / "mkdocs.yml")
    got = {a.rel: str(interval(a, config)) for a in load(config, use_cache=False).articles}
    assert got == {"own.md": "2w", "team/typed.md": "1m", "team/folder.md": "3m", "global.md": "9m", "builtin.md": "9m"}
    root = write_kb(tmp_path / "b", files, {})  # nothing configured: the built-in intervals
    config = load_config(root / "mkdocs.yml")
    got = {a.rel: str(interval(a, config)) for a in load(config, use_cache=False).articles}
    assert got == {"own.md": "2w", "team/typed.md": "6m", "team/folder.md": "6m", "global.md": "6m", "builtin.md": "1y"}


def test_a_folder_for_an_unconfigured_language_is_flagged_in_the_folder_layout(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"en/guide.md": article(title="Guide"), "id/guide.md": article(title="Panduan"),
                               "fr/guide.md": article(title="Le guide"), "docs/guide.md": article(title="Docs guide")},
                    {"layout": "folder", "languages": ["en", "id"], "rules": {"orphan-article": "ignore"}})
    assert [line for line in lint_lines(root) if "KB403" in line] == [
        "guide.md:1: KB403 named like the 'fr' translation of en/guide.md, but 'fr' is not in languages (en, id); add it there, or rename the file"]


def test_a_toc_slugify_that_is_not_a_slugify_is_a_config_error(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {})
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text()
                                     + "markdown_extensions:\n  - toc:\n      slugify: !!python/name:builtins.len\n")
    with pytest.raises(ConfigError, match=r"cannot use builtins.len as slugify\(text, separator\)"):
        load_config(root / "mkdocs.yml")


def test_an_unset_env_variable_counts_as_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`docs_dir: !ENV DOCS` with DOCS unset is MkDocs' default `docs`; a kb key so set takes kb's default."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("docs_dir: !ENV KB_TEST_UNSET_DOCS\nplugins:\n  - kb:\n      due_soon: !ENV KB_TEST_UNSET_DUE\n")
    monkeypatch.delenv("KB_TEST_UNSET_DOCS", raising=False)
    monkeypatch.delenv("KB_TEST_UNSET_DUE", raising=False)
    config = load_config(tmp_path / "mkdocs.yml")
    assert config.docs_dir == (tmp_path / "docs").resolve() and config.due_soon == Duration(14, "d")


def test_config_problems_come_with_the_warnings_that_may_explain_them(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {}, {"due_son": "7d", "review_every": "soon"})
    with pytest.raises(ConfigError) as raised:
        load_config(root / "mkdocs.yml")
    assert "(warning) plugins.kb.due_son: unknown key 'due_son' is ignored (did you mean 'due_soon'?)" in str(raised.value)


def test_folders_match_inside_language_folders_and_a_missing_one_warns(tmp_path: Path) -> None:
    from kb.freshness import interval
    from kb.knowledge import load

    root = write_kb(tmp_path, {"en/ops/x.md": article(title="X"), "id/ops/x.md": article(title="X id")},
                    {"layout": "folder", "languages": ["en", "id"], "folders": {"ops": {"review_every": "1m"}, "suport": {"review_every": "2m"}}})
    config = load_config(root / "mkdocs.yml")
    assert {str(interval(a, config)) for a in load(config, use_cache=False).articles} == {"1m"}
    assert any("plugins.kb.folders.suport: no such folder" in warning for warning in config.warnings)


def test_settings_that_do_nothing_warn(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {}, {"languages": ["en", "id", "en"], "section_names": {"fr": {"Steps": "Étapes"}}})
    config = load_config(root / "mkdocs.yml")
    assert config.languages == ("en", "id")
    assert "mkdocs.yml: plugins.kb.languages: en listed more than once" in config.warnings
    assert any("plugins.kb.section_names.fr: 'fr' is not one of languages" in warning for warning in config.warnings)


def test_a_toc_separator_that_is_not_text_is_a_config_error(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {})
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + "markdown_extensions:\n  - toc:\n      separator: 5\n")
    with pytest.raises(ConfigError, match="markdown_extensions.toc.separator: expected text such as '-', got 5"):
        load_config(root / "mkdocs.yml")


def test_a_bad_value_in_an_inherited_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "kb.yml").write_text("plugins:\n  - kb:\n      due_soon: soon\n")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base/kb.yml\ndocs_dir: content\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "mkdocs.yml")
    assert "plugins.kb.due_soon: expected a duration" in str(raised.value)
    assert f"through INHERIT, {(tmp_path / 'base' / 'kb.yml').resolve()}" in str(raised.value)


def test_exclude_matches_inside_language_folders_in_the_folder_layout(tmp_path: Path) -> None:
    from kb.knowledge import load

    root = write_kb(tmp_path, {"en/guide.md": article(title="Guide"), "en/includes/note.md": "Snippet.\n",
                               "id/includes/note.md": "Cuplikan.\n"},
                    {"layout": "folder", "languages": ["en", "id"], "exclude": ["includes/**"]})
    assert [a.rel for a in load(load_config(root / "mkdocs.yml"), use_cache=False).articles] == ["en/guide.md"]


def test_a_warning_about_an_inherited_value_names_the_files(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "base.yml").write_text("plugins:\n  - kb:\n      due_son: 7d\n")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\ndocs_dir: content\n")
    [warning] = load_config(tmp_path / "mkdocs.yml").warnings
    assert "unknown key 'due_son'" in warning and f"through INHERIT, {(tmp_path / 'base.yml').resolve()}" in warning


def test_a_key_set_twice_in_mkdocs_yml_warns(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text("docs_dir: content\nplugins:\n  - kb:\n      due_soon: 7d\n      due_soon: 3d\n")
    config = load_config(tmp_path / "mkdocs.yml")
    assert config.due_soon == Duration(3, "d")
    assert "mkdocs.yml:5: 'due_soon' is set twice; the last value wins" in config.warnings


@pytest.mark.parametrize("extensions, good, broken", [
    ("markdown_extensions:\n  - attr_list\n", "#custom-id", "#step-1-custom-id"),
    ("markdown_extensions:\n  - toc:\n      permalink: true\n", "#step-1-custom-id", "#custom-id"),  # no attr_list
    ("", "#step-1-custom-id", "#custom-id"),  # MkDocs' default extensions have no attr_list either
])
def test_explicit_heading_ids_need_attr_list(tmp_path: Path, extensions: str, good: str, broken: str) -> None:
    """`## Step 1 {#custom-id}`: with attr_list the anchor is `custom-id`; without, MkDocs shows
    `{#custom-id}` as text and slugs the whole heading (checked against Python-Markdown below)."""
    import markdown

    root = write_kb(tmp_path, {"target.md": article(title="Target", body="## Step 1 {#custom-id}\n"),
                               "a.md": article(title="A", body=f"[good](target.md{good}) [bad](target.md{broken})\n")})
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + extensions)
    assert [line for line in lint_lines(root) if "KB202" in line] == [
        f"a.md:7: KB202 'target.md' has no heading with anchor '{broken}'; did you mean '{good}'?"]
    with_attr_list = "attr_list" in extensions
    rendered = markdown.Markdown(extensions=["toc", *(["attr_list"] if with_attr_list else [])])
    rendered.convert("## Step 1 {#custom-id}\n")
    assert rendered.toc_tokens[0]["id"] == good.lstrip("#")


def test_titles_of_folders_and_products_per_language(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"devices/x.md": article(), "ops/deep/y.md": article(title="Y")},
                    {"languages": ["en", "id"], "titles": {
                        "folders": {"devices/": {"id": "Perangkat", "fr": "Appareils"}, "ops/deep": "Deep", "gone": "Gone"},
                        "products": {"pos": "Kasira POS", "pay": {"en": "Kasira Pay"}}, "folder": {}}})
    config = load_config(root / "mkdocs.yml")
    assert config.titles.folders["devices"] == {"id": "Perangkat", "fr": "Appareils"}
    assert config.titles.products == {"pos": {"": "Kasira POS"}, "pay": {"en": "Kasira Pay"}}
    warnings = "\n".join(config.warnings)
    assert "plugins.kb.titles.folders.devices.fr: 'fr' is not one of languages; this title is never shown" in warnings
    assert "plugins.kb.titles.folders.ops/deep: only top-level folders have a page on the sites" in warnings
    assert "plugins.kb.titles.folders.gone: no such folder in content/; this title is never shown" in warnings
    assert "plugins.kb.titles: unknown key 'folder' is ignored (did you mean 'folders'?)" in warnings


def test_the_sites_name_per_language(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.md": article()}, {"languages": ["en", "id"], "titles": {"site": {"id": "Pusat Bantuan"}}},
                    site_name="Help Center")
    config = load_config(root / "mkdocs.yml")
    assert (config.site_title("id"), config.site_title("en")) == ("Pusat Bantuan", "Help Center")


def test_a_title_that_is_not_text_is_a_config_error(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {}, {"titles": {"folders": {"a": ["A"], "b": {"id": 3}, "c": {"not a code": "C"}},
                                              "products": "pos"}})
    with pytest.raises(ConfigError) as raised:
        load_config(root / "mkdocs.yml")
    lines = str(raised.value).splitlines()
    assert "4 problems in the config:" in lines[0]
    for line in ("plugins.kb.titles.folders.a: expected a title, or a title per language such as {en: Payments, id: Pembayaran}, got ['A']",
                 "plugins.kb.titles.folders.b.id: expected text, got 3",
                 "plugins.kb.titles.folders.c.not a code: expected a language code such as en, id or pt-BR, got 'not a code'",
                 "plugins.kb.titles.products: expected a mapping, got 'pos'"):
        assert f"  {line}" in lines
