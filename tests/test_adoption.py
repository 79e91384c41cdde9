"""`kb lint` on a repository whose front matter is not kb's yet suggests the settings that read it."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from conftest import TODAY, write_kb
from kb.cli import app


def microsoft_article(number: int) -> str:
    """Front matter in the shape of Microsoft's public support articles."""
    topic = ("troubleshooting", "how-to", "conceptual")[number % 3]
    return (f"---\ntitle: Outlook problem {number}\ndescription: What to do about problem {number}.\n"
            f"author: writer{number % 2}\nms.author: alias{number % 2}\nms.date: 0{number % 9 + 1}/1{number % 9}/2025\n"
            f"ms.topic: {topic}\nms.service: outlook\naudience: ITPro\nmanager: boss\n---\n## Symptoms\nIt fails.\n")


def lint(root: Path, *args: str):  # noqa: ANN201
    return CliRunner().invoke(app(), ["--config", str(root / "mkdocs.yml"), "lint", "--today", TODAY, *args])


def test_lint_suggests_a_config_that_reads_their_front_matter(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {f"outlook/problem-{n}.md": microsoft_article(n) for n in range(12)})
    result = lint(root)
    assert result.stderr.splitlines()[1:] == [
        "    fields: {reviewed: ms.date, owner: author, summary: description, type: ms.topic}",
        '    date_formats: ["%m/%d/%Y"]',
        "    values: {type: {troubleshooting: issue, how-to: procedure, conceptual: best-practice}, audience: {ITPro: internal}}",
        '    extra_fields: ["ms.*", "manager"]',
    ]
    assert result.stderr.startswith("kb: hint: most articles share front matter keys kb does not read yet")
    # Pasted into mkdocs.yml, the suggestion is valid config and leaves no unknown key or value.
    settings = yaml.safe_load("\n".join(line.strip() for line in result.stderr.splitlines()[1:]))
    document = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    document["plugins"] = [{"kb": settings}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(document), encoding="utf-8")
    after = lint(root)
    codes = {line.split()[1] for line in after.stdout.splitlines()[:-1]}
    assert not codes & {"KB006", "KB008", "KB009", "KB011"}, after.stdout
    assert "front matter keys" not in after.stderr  # nothing left to map; their template comes next
    # Their types are read now: their how-to articles have another section than kb's procedures (Steps).
    hint, line = after.stderr.splitlines()
    assert hint.startswith("kb: hint: 8 articles lack a section their type requires (KB301)")
    assert "(of 'procedure' articles, 100% have '## Symptoms')" in hint  # issue: kb's template, not all there
    assert line == "    types: {issue: {}, procedure: {sections: [Symptoms]}, best-practice: {}}"
    document["plugins"][0]["kb"].update(yaml.safe_load(line.strip()))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(document), encoding="utf-8")
    last = lint(root)
    assert "KB301 error: 'procedure'" not in last.stdout and last.stderr == ""  # nothing left to suggest


def test_no_hint_on_kb_front_matter_or_for_other_formats(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {f"outlook/problem-{n}.md": microsoft_article(n) for n in range(12)})
    assert lint(root, "--format", "json").stderr == ""  # machine output stays as documented
    assert lint(root, str(root / "content/outlook/problem-1.md")).stderr == ""  # a pre-commit run on one file
    ours = "---\ntitle: A{}\ntype: best-practice\nowner: ana\nreviewed: 2025-06-01\n{}---\nText.\n"
    clean = write_kb(tmp_path / "clean", {f"a{n}.md": ours.format(n, "team_note: x\n" if n == 0 else "") for n in range(6)})
    result = lint(clean)
    assert "KB011" in result.stdout and "hint" not in result.stderr  # one article's key is no convention


def test_the_suggestion_reads_odd_keys_and_values_as_written(tmp_path: Path) -> None:
    """A key with glob characters, a value YAML reads as a boolean when bare, a list where kb wants
    text: pasted, the suggestion once left the key unknown (`a [b]` as a glob is `a b`), mapped
    `True` instead of 'yes', and mapped `owner` to a list (an error in every article)."""
    article = "---\ntitle: Problem {n}\ncategory: 'yes'\nauthors: [ana, budi]\n\"a [b]\": 1\n---\n## Symptoms\nIt fails.\n"
    root = write_kb(tmp_path, {f"a/p{n}.md": article.format(n=n) for n in range(6)})
    suggested = lint(root).stderr.splitlines()[1:]
    assert [line.strip() for line in suggested] == [
        "fields: {type: category}", 'values: {type: {"yes": best-practice}}', 'extra_fields: ["authors", "a [[]b]"]']
    document = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    document["plugins"] = [{"kb": yaml.safe_load("\n".join(line.strip() for line in suggested))}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(document), encoding="utf-8")
    after = lint(root)
    codes = {line.split()[1] for line in after.stdout.splitlines()[:-1]}
    assert not codes & {"KB007", "KB008", "KB009", "KB011"}, after.stdout
    assert after.stderr == ""


def test_the_suggestion_leaves_out_folders_of_include_fragments(tmp_path: Path) -> None:
    """Microsoft's `includes/` holds fragments pulled into articles, without front matter or with one
    that has no title: linted as articles, each is an error (KB003, KB006) the hint did not help with."""
    files = {f"outlook/problem-{n}.md": microsoft_article(n) for n in range(12)}
    files["includes/disclaimer.md"] = "> [!NOTE]\n> Third-party products.\n"
    files["includes/deprecation/note.md"] = "---\nms.topic: include\n---\nThe module is retired.\n"
    files["outlook/includes-are-fine.md"] = microsoft_article(12)
    root = write_kb(tmp_path, files)
    assert lint(root).stderr.splitlines()[-1] == '    exclude: ["includes/**"]'

    lang_folders = {f"{lang}/docs/problem-{n}.md": microsoft_article(n) for lang in ("en", "id") for n in range(6)}
    lang_folders |= {"en/docs/includes/banner.md": "Survey.\n", "id/docs/includes/banner.md": "---\nms.locfileid: '1'\n---\nSurvei.\n"}
    root = write_kb(tmp_path / "folders", lang_folders, {"languages": ["en", "id"], "layout": "folder"})
    assert lint(root).stderr.splitlines()[-1] == '    exclude: ["docs/includes/**"]'  # as `exclude` reads it in each language folder


def test_the_hint_suggests_github_callouts_when_docfx_alerts_are_common(tmp_path: Path) -> None:
    """Microsoft's articles write notes as DocFX alerts, which MkDocs shows as text; markdown-callouts'
    github-callouts extension renders them, so the hint proposes it (and not once it is on)."""
    alert = "> [!NOTE]\n> Back up first.\n"
    files = {f"outlook/problem-{n}.md": microsoft_article(n) + (alert if n < 3 else "") for n in range(12)}
    result = lint(write_kb(tmp_path / "off", files))
    assert result.stderr.splitlines()[-2:] == [
        "kb: hint: 3 of 12 articles hold DocFX alerts ('> [!NOTE]'), which MkDocs shows as text (KB307); markdown_extensions "
        "in mkdocs.yml with this makes them admonitions (markdown-callouts, installed with kb):",
        "    - github-callouts",
    ]
    assert "KB307" in result.stdout
    on = lint(write_kb(tmp_path / "on", files, markdown_extensions=["github-callouts"]))
    assert "hint: most articles share" in on.stderr and "DocFX alerts" not in on.stderr and "KB307" not in on.stdout
    rare = lint(write_kb(tmp_path / "rare", {**files, **{f"more/a{n}.md": microsoft_article(n) for n in range(20)}}))
    assert "DocFX alerts" not in rare.stderr  # 3 of 32: not common enough to change the site's config for


def test_the_sections_hint_keeps_every_type_and_setting_and_leaves_a_kb_template_alone(tmp_path: Path) -> None:
    theirs = "---\ntitle: P{}\ntype: issue\nowner: ana\nreviewed: 2025-06-01\n---\n## Problem\nx\n\n## Fix\ny\n{}"
    articles = {f"p{n}.md": theirs.format(n, "\n## Notes\nz\n" if n < 2 else "") for n in range(6)}
    section = {"types": {"issue": {"review_every": "3m"}, "procedure": {"ordered_list_in": None}, "faq": {"sections": ["Answer"]}}}
    root = write_kb(tmp_path, articles, section)
    hint, line = lint(root).stderr.splitlines()
    assert "of 'issue' articles, 100% have '## Problem', 100% have '## Fix'" in hint  # Notes: in 2 of 6, not most
    assert line == "    types: {issue: {sections: [Problem, Fix], review_every: 3m}, procedure: {ordered_list_in: null}, faq: {sections: [Answer]}}"
    ours = "---\ntitle: P{}\ntype: issue\nowner: ana\nreviewed: 2025-06-01\n---\n## Symptoms\nx\n\n## Cause\ny\n{}"
    kb_shaped = write_kb(tmp_path / "ours", {f"p{n}.md": ours.format(n, "" if n else "## Resolution\nz\n") for n in range(6)})
    assert "KB301" in lint(kb_shaped).stdout and lint(kb_shaped).stderr == ""  # kb's template, Resolution to write


def test_the_alerts_hint_comes_without_the_front_matter_hint(tmp_path: Path) -> None:
    """A team that mapped its fields (or writes kb's) still hears how to render its DocFX alerts."""
    ours = "---\ntitle: A{}\ntype: best-practice\nowner: ana\nreviewed: 2025-06-01\n---\n> [!NOTE]\n> Back up first.\n"
    root = write_kb(tmp_path, {f"a{n}.md": ours.format(n) for n in range(4)})
    hint = lint(root).stderr
    assert hint.startswith("kb: hint: 4 of 4 articles hold DocFX alerts") and hint.endswith("    - github-callouts\n")
    assert "front matter keys" not in hint
