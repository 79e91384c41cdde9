"""kb.authoring and its commands: `kb new` writes a lint-clean article, `kb verify` edits one value."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import article, write_kb
from kb import authoring, knowledge
from kb.cli import app
from kb.config import load_config
from kb.diagnostics import Severity
from kb.exceptions import KbError
from kb.lint import lint

TODAY = date(2025, 6, 15)
BILINGUAL = {
    "languages": ["en", "id"],
    "owners": ["ana", "budi"],
    "section_names": {"id": {"Symptoms": "Gejala", "Cause": "Penyebab", "Resolution": "Solusi",
                             "Steps": "Langkah-langkah"}},
}


# --- kb new ---------------------------------------------------------------------------------


def test_new_issue_has_its_sections_and_todays_review(tmp_path: Path) -> None:
    config = load_config(write_kb(tmp_path, {}, BILINGUAL) / "mkdocs.yml")
    path = authoring.new_article(config, "issue", "QRIS: payment fails (kode 68)", "public", "ana", None, TODAY,
                                 folder="payments")
    assert path == config.docs_dir / "payments" / "qris-payment-fails-kode-68.md"
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        'title: "QRIS: payment fails (kode 68)"\n'
        "type: issue\n"
        "owner: ana\n"
        "reviewed: 2025-06-15\n"
        "audience: public\n"
        "status: draft\n"
        "---\n"
        "\n"
        "## Symptoms\n\nWhat the customer sees or reports, with the exact error messages.\n\n"
        "## Cause\n\nWhy it happens.\n\n"
        "## Resolution\n\nWhat the agent or the customer does to fix it.\n"
    )
    article_ = knowledge.load(config, use_cache=False).by_rel["payments/qris-payment-fails-kode-68.md"]
    assert (article_.title, article_.type, article_.reviewed, article_.status) == (
        "QRIS: payment fails (kode 68)", "issue", TODAY, "draft")


def test_new_translation_uses_the_language_suffix_and_section_names(tmp_path: Path) -> None:
    config = load_config(write_kb(tmp_path, {}, BILINGUAL) / "mkdocs.yml")
    path = authoring.new_article(config, "procedure", "Atur printer struk", None, None, "id", TODAY, folder="devices")
    assert path.name == "atur-printer-struk.id.md"
    text = path.read_text(encoding="utf-8")
    assert "audience: internal\n" in text and "owner" not in text
    assert text.endswith("## Langkah-langkah\n\n1. Langkah pertama.\n2. Langkah kedua.\n")


@pytest.mark.parametrize(("type_", "lang"), [("issue", "en"), ("procedure", "en"), ("best-practice", "en"),
                                             ("issue", "id"), ("procedure", "id")])
def test_a_new_article_passes_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, type_: str, lang: str) -> None:
    root = write_kb(tmp_path, {}, BILINGUAL)
    monkeypatch.chdir(root)
    config = load_config(root / "mkdocs.yml")
    authoring.new_article(config, type_, "Printer offline", "public", "ana", lang, TODAY, folder="devices")
    assert lint(config, TODAY).diagnostics == []


FOLDER_LAYOUT = {**BILINGUAL, "layout": "folder"}


@pytest.mark.parametrize(("lang", "rel"), [("id", "id/ci-docs/ekspor-ke-ftp.md"), (None, "en/ci-docs/ekspor-ke-ftp.md")])
def test_new_in_the_folder_layout_goes_into_the_language_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                lang: str | None, rel: str) -> None:
    root = write_kb(tmp_path, {}, FOLDER_LAYOUT)
    monkeypatch.chdir(root)
    config = load_config(root / "mkdocs.yml")
    path = authoring.new_article(config, "procedure", "Ekspor ke FTP", None, "ana", lang, TODAY, folder="ci-docs")
    assert path == config.docs_dir / rel
    read = knowledge.load(config, use_cache=False).by_rel[rel]
    assert (read.id, read.lang) == ("ci-docs/ekspor-ke-ftp", lang or "en")
    assert lint(config, TODAY).diagnostics == []


@pytest.mark.parametrize(("folder", "instead"), [("id/ci-docs", "--folder ci-docs --lang id"),
                                                 ("./en/a/b", "--folder a/b --lang en"),
                                                 ("id", "--lang id without --folder")])
def test_new_in_the_folder_layout_refuses_a_folder_that_names_the_language(tmp_path: Path, folder: str,
                                                                            instead: str) -> None:
    config = load_config(write_kb(tmp_path, {}, FOLDER_LAYOUT) / "mkdocs.yml")
    with pytest.raises(KbError) as error:
        authoring.new_article(config, "issue", "Title", None, None, "id", TODAY, folder=folder)
    first = folder.removeprefix("./").partition("/")[0]
    assert str(error.value) == (f"folder '{folder}' starts with the language folder '{first}/'; with layout: folder "
                                f"kb new puts the article in its language's folder itself, so give {instead}")
    assert list(config.docs_dir.iterdir()) == []


def test_new_in_the_folder_layout_stays_in_the_language_folder(tmp_path: Path) -> None:
    config = load_config(write_kb(tmp_path, {}, FOLDER_LAYOUT) / "mkdocs.yml")
    with pytest.raises(KbError) as error:
        authoring.new_article(config, "issue", "Title", None, None, "en", TODAY, folder="../id/x")
    assert str(error.value) == (f"folder '../id/x' must be a folder inside {config.docs_dir / 'en'}; give it "
                                "relative to that folder, e.g. 'payments'")


def test_new_respects_the_field_map_values_and_date_format(tmp_path: Path) -> None:
    section = {"fields": {"reviewed": "ms.date", "type": "ms.topic"}, "date_formats": ["%m/%d/%Y", "%Y-%m-%d"],
               "values": {"type": {"troubleshooting": "issue"}}}
    config = load_config(write_kb(tmp_path, {}, section) / "mkdocs.yml")
    path = authoring.new_article(config, "issue", "Printer offline", None, None, None, TODAY)
    assert path == config.docs_dir / "printer-offline.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:4] == ["---", "title: Printer offline", "ms.topic: troubleshooting", "ms.date: 06/15/2025"]
    read = knowledge.load(config, use_cache=False).articles[0]
    assert (read.type, read.reviewed) == ("issue", TODAY)


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    config = load_config(write_kb(tmp_path, {"printer-offline.md": "mine\n"}) / "mkdocs.yml")
    with pytest.raises(KbError, match="printer-offline.md: already exists; kb new never overwrites"):
        authoring.new_article(config, "issue", "Printer offline", None, None, None, TODAY)
    assert (config.docs_dir / "printer-offline.md").read_bytes() == b"mine\n"
    assert [p.name for p in config.docs_dir.iterdir()] == ["printer-offline.md"]  # no temp file left


@pytest.mark.parametrize(("args", "message"), [
    (("faq", "Title", None, None, None), "'faq' is not a type; expected one of: issue, procedure, best-practice"),
    (("issue", "Title", None, None, "fr"), "language 'fr' is not configured; expected one of: en, id"),
    (("issue", "Title", None, "zed", None), "owner 'zed' is not on the roster (plugins.kb.owners); expected one of: ana, budi"),
    (("issue", "Title", "everyone", None, None), "audience 'everyone' is not one of: public, internal"),
    (("issue", "???", None, None, None), "the title '???' gives no file name: the name is made of the title's ASCII "
     "letters and digits (a-z, 0-9), and it has none; give a title with some (you can change 'title' in the file "
     "afterwards)"),
    (("issue", "日本語のタイトル", None, None, None), "the title '日本語のタイトル' gives no file name: the name is made of "
     "the title's ASCII letters and digits (a-z, 0-9), and it has none; give a title with some (you can change "
     "'title' in the file afterwards)"),
    (("issue", "Two\nlines", None, None, None), "the title 'Two\\nlines' holds a control character such as a line "
     "break; give it as one line of plain text"),
    (("issue", "Caf\udcc3", None, None, "id"), "the title 'Caf\\udcc3' is not valid UTF-8 text; type it again in a "
     "UTF-8 terminal"),
    (("issue", "Title", None, "ana\x00", None), "owner 'ana\x00' is not on the roster (plugins.kb.owners); expected "
     "one of: ana, budi; the owner 'ana\\x00' holds a control character such as a line break; give it as one line "
     "of plain text"),
])
def test_new_rejects_bad_input(tmp_path: Path, args: tuple, message: str) -> None:
    config = load_config(write_kb(tmp_path, {}, BILINGUAL) / "mkdocs.yml")
    with pytest.raises(KbError) as error:
        authoring.new_article(config, *args, today=TODAY)
    assert str(error.value) == message


@pytest.mark.parametrize("folder", ["../elsewhere", "/tmp/kb-abs", "a/../../elsewhere", "outside-link"])
def test_new_rejects_a_folder_outside_the_docs(tmp_path: Path, folder: str) -> None:
    config = load_config(write_kb(tmp_path / "kb", {}) / "mkdocs.yml")
    (config.docs_dir / "outside-link").symlink_to(tmp_path)
    with pytest.raises(KbError) as error:
        authoring.new_article(config, "issue", "Title", None, None, None, TODAY, folder=folder)
    assert str(error.value) == (f"folder '{folder}' must be a folder inside {config.docs_dir}; give it relative to "
                                "that folder, e.g. 'payments'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb"] and not Path("/tmp/kb-abs").exists()


def test_new_accepts_a_folder_that_stays_inside_the_docs(tmp_path: Path) -> None:
    config = load_config(write_kb(tmp_path, {}) / "mkdocs.yml")
    path = authoring.new_article(config, "issue", "Title", None, None, None, TODAY, folder="a/../b")
    assert path == config.docs_dir / "b" / "title.md"
    path = authoring.new_article(config, "issue", "Title", None, None, None, TODAY, folder=str(config.docs_dir / "c"))
    assert path == config.docs_dir / "c" / "title.md"


def test_new_does_not_create_a_missing_docs_folder(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {})
    config = load_config(root / "mkdocs.yml")
    (root / "content").rmdir()
    with pytest.raises(KbError) as error:
        authoring.new_article(config, "issue", "Title", None, None, None, TODAY, folder="devices")
    assert str(error.value) == (f"the docs folder {root / 'content'} does not exist; create it, or set docs_dir in "
                                f"{root / 'mkdocs.yml'}")
    assert invoke(root, "new", "issue", "Title", "--folder", "devices").exit_code == 2  # the config may say it first
    assert not (root / "content").exists()


@pytest.mark.parametrize(("title", "slug"), [
    ("Café crème brûlée", "cafe-creme-brulee"),  # accents are dropped, not the letters
    ("Printer " * 60, "-".join(["printer"] * 10)),  # cut at a word, at most 80 characters
    ("x" * 300, "x" * 80),  # one long word: cut inside it
    ("--- dashes ---", "dashes"),
])
def test_file_slug(title: str, slug: str) -> None:
    assert authoring.file_slug(title) == slug


def test_new_with_a_very_long_title_keeps_the_title_and_shortens_the_file_name(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {})
    title = "Printer " * 60
    result = invoke(root, "new", "issue", title, "--today", "2025-06-15")
    assert result.exit_code == 0, result.output
    path = root / "content" / ("-".join(["printer"] * 10) + ".md")
    assert yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])["title"] == title


def test_new_into_a_folder_that_is_a_file_or_too_long(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.md": "mine\n"})
    content = root / "content"
    assert (invoke(root, "new", "issue", "X", "--folder", "a.md").output
            == f"kb: {content / 'a.md'}: is a file, not a folder; choose another --folder\n")
    assert (invoke(root, "new", "issue", "X", "--folder", "a.md/sub").output
            == f"kb: {content / 'a.md/sub'}: part of this folder is a file, not a folder; choose another --folder\n")
    (content / "loop").symlink_to("loop")
    assert (invoke(root, "new", "issue", "X", "--folder", "loop/sub").output
            == "kb: folder 'loop/sub' cannot be followed (a symbolic link loop?); choose another --folder\n")
    long = invoke(root, "new", "issue", "X", "--folder", "f" * 300)
    assert (long.exit_code, long.output) == (2, f"kb: cannot write {'f' * 300}/x.md in {content}: File name too long; "
                                                "nothing was written\n")
    assert sorted(p.name for p in content.iterdir()) == ["a.md", "loop"]


def test_new_in_a_read_only_docs_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path, {})

    def read_only(*args: object, **kwargs: object) -> None:  # as on a read-only mount (root ignores chmod)
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = invoke(root, "new", "issue", "Ro test")
    assert (result.exit_code, result.output) == (
        2, f"kb: cannot write ro-test.md in {root / 'content'}: Read-only file system; nothing was written\n")
    assert list((root / "content").iterdir()) == []


# Each reads as something other than its text in a plain YAML reader when written without quotes.
NASTY_TITLES = [
    "!bang", "&anchor", "*alias", "@at", "%percent", "[bracket", "{brace", ">folded", "|literal", "#hash",
    "`backtick", ",comma", "? question", "- dash", ":colon", "Key: value", "a: b: c", "Trailing #comment",
    "tab\tinside", "2026-01-01", "2026-01-01 10:00", "12345", "1e3", "0x1F", "1_000", "12:30", "yes", "No", "true",
    "off", "null", "Null", "'single'", '"double"', "back\\slash \\n", " leading space", "trailing space ",
    "line\u2028separator", "Café — ☕ 😀", "QRIS: payment fails (kode 68)",
]


@pytest.mark.parametrize("title", NASTY_TITLES)
def test_new_front_matter_reads_back_in_a_plain_yaml_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             title: str) -> None:
    root = write_kb(tmp_path, {})
    monkeypatch.chdir(root)
    config = load_config(root / "mkdocs.yml")
    path = authoring.new_article(config, "issue", title, "public", "@ana: #1", None, TODAY)
    matter = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert matter == {"title": title, "type": "issue", "owner": "@ana: #1", "reviewed": TODAY,
                      "audience": "public", "status": "draft"}
    assert [d for d in lint(config, TODAY).diagnostics if d.severity == Severity.ERROR] == []


# --- kb verify: the bytes -------------------------------------------------------------------


def verify_one(root: Path, rel: str, when: date = TODAY) -> authoring.VerifyResult:
    config = load_config(root / "mkdocs.yml")
    [result] = authoring.verify(config, [root / "content" / rel], when)
    return result


@pytest.mark.parametrize(("before", "after"), [
    # plain value, trailing comment kept
    (b"---\ntitle: A\nreviewed: 2024-01-02  # checked with Rizky\nowner: ana\n---\nBody: [x](y.md)\n",
     b"---\ntitle: A\nreviewed: 2025-06-15  # checked with Rizky\nowner: ana\n---\nBody: [x](y.md)\n"),
    # CRLF, a byte order mark, quotes, comments and odd spacing elsewhere all survive; the quotes stay
    (b"\xef\xbb\xbf---\r\n# front matter\r\ntitle:   \"Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80\"\r\nreviewed: '2024-01-02'\r\n---\r\nBody\r\n\r\n",
     b"\xef\xbb\xbf---\r\n# front matter\r\ntitle:   \"Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80\"\r\nreviewed: '2025-06-15'\r\n---\r\nBody\r\n\r\n"),
    # absent: one line added after the last front matter line, with the file's line ending
    (b"---\r\ntitle: A\r\ntags: [a, b]\r\n---\r\nBody\r\n",
     b"---\r\ntitle: A\r\ntags: [a, b]\r\nreviewed: 2025-06-15\r\n---\r\nBody\r\n"),
    # empty value
    (b"---\ntitle: A\nreviewed:\nowner: ana\n---\n", b"---\ntitle: A\nreviewed: 2025-06-15\nowner: ana\n---\n"),
    # a duplicate key: the last one is the one that counts
    (b"---\nreviewed: 2020-01-01\ntitle: A\nreviewed: 2024-01-02\n---\n",
     b"---\nreviewed: 2020-01-01\ntitle: A\nreviewed: 2025-06-15\n---\n"),
    # a block scalar before the insertion point keeps its value
    (b"---\ntitle: A\nsummary: |\n  Two\n  lines\n---\nBody\n",
     b"---\ntitle: A\nsummary: |\n  Two\n  lines\nreviewed: 2025-06-15\n---\nBody\n"),
    # no body, no final newline
    (b"---\ntitle: A\n---", b"---\ntitle: A\nreviewed: 2025-06-15\n---"),
])
def test_verify_changes_only_the_reviewed_value(tmp_path: Path, before: bytes, after: bytes) -> None:
    root = write_kb(tmp_path, {"a.md": before})
    result = verify_one(root, "a.md")
    assert result.ok, result.error
    assert (root / "content" / "a.md").read_bytes() == after
    assert result.new == "2025-06-15"


def test_verify_reports_the_old_value_and_leaves_an_up_to_date_file_alone(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.md": article(reviewed="2025-06-15")})
    path = root / "content" / "a.md"
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    result = verify_one(root, "a.md")
    assert (result.ok, result.old, result.changed) == (True, "2025-06-15", False)
    assert path.stat().st_mtime_ns == 1_000_000_000  # not rewritten
    changed = verify_one(root, "a.md", date(2025, 6, 16))
    assert (changed.old, changed.new, changed.changed) == ("2025-06-15", "2025-06-16", True)


def test_verify_uses_the_field_map_and_first_date_format(tmp_path: Path) -> None:
    section = {"fields": {"reviewed": "ms.date"}, "date_formats": ["%m/%d/%Y"]}
    root = write_kb(tmp_path, {"a.md": "---\ntitle: A\nms.date: 01/02/2024\n---\n"}, section)
    assert verify_one(root, "a.md").ok
    assert (root / "content" / "a.md").read_text() == "---\ntitle: A\nms.date: 06/15/2025\n---\n"


def test_verify_keeps_the_file_mode_and_writes_through_symbolic_links(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"real.md": article(reviewed="2024-01-02")})
    real, link = root / "content" / "real.md", root / "content" / "link.md"
    real.chmod(0o640)
    link.symlink_to("real.md")
    assert verify_one(root, "link.md").ok
    assert link.is_symlink() and "reviewed: 2025-06-15\n" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


@pytest.mark.parametrize(("content", "message"), [
    (b"title: A\n", "a.md:1: no front matter; the file must start with a line '---'"),
    (b"---\ntitle: A\n", "a.md:1: the front matter is never closed; add a line '---' after the last field"),
    (b"---\ntitle: [A\n---\n", "a.md:3: the front matter is not valid YAML"),
    (b"---\n- a\n- b\n---\n", "a.md:2: the front matter is not a mapping of 'key: value' lines"),
    (b"---\nreviewed: [1, 2]\n---\n", "a.md:2: 'reviewed' is not a plain date; set it by hand"),
    (b"---\ntitle: \xff\n---\n", "a.md:1: not valid UTF-8"),
])
def test_verify_refuses_unreadable_front_matter_and_leaves_the_file_alone(tmp_path: Path, content: bytes,
                                                                          message: str) -> None:
    root = write_kb(tmp_path, {"a.md": content})
    result = verify_one(root, "a.md")
    assert not result.ok and message in result.error
    assert (root / "content" / "a.md").read_bytes() == content


# --- kb verify: ids and several targets -----------------------------------------------------


def test_verify_accepts_ids_and_lang_and_goes_on_after_a_failure(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {
        "pay/refunds.md": article("Refunds", reviewed="2024-01-02"),
        "pay/refunds.id.md": article("Pengembalian dana", reviewed="2024-01-03"),
        "pay/broken.md": "---\ntitle: [\n---\n",
        "pay/later.md": article("Later", reviewed="2024-01-04"),
    }, {"languages": ["en", "id"]})
    config = load_config(root / "mkdocs.yml")
    results = authoring.verify(config, ["pay/refunds", "pay/refunds@id", "pay/nothing", "pay/refunds@fr",
                                        str(root / "content" / "pay" / "broken.md"), str(root / "content"),
                                        "pay/later"], TODAY)
    assert [(r.target, r.ok) for r in results] == [
        ("pay/refunds", True), ("pay/refunds@id", True), ("pay/nothing", False), ("pay/refunds@fr", False),
        (str(root / "content" / "pay" / "broken.md"), False), (str(root / "content"), False), ("pay/later", True),
    ]
    assert results[5].error == f"{root / 'content'}: is a folder; give article files or ids"
    [empty] = authoring.verify(config, [""], TODAY)
    assert empty.error == "'': an empty argument is neither an article file nor an id"
    assert results[2].error == "pay/nothing: no article with this id; give a path or an id such as 'pay/later'"
    assert results[3].error == "pay/refunds@fr: language 'fr' is not configured (en, id)"
    assert [r.old for r in results if r.ok] == ["2024-01-02", "2024-01-03", "2024-01-04"]
    for rel in ("pay/refunds.md", "pay/refunds.id.md", "pay/later.md"):
        assert "reviewed: 2025-06-15\n" in (root / "content" / rel).read_text()


def test_verify_hints_at_an_id_of_this_knowledge_base(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", {"devices/printer-offline.md": article(reviewed="2024-01-02")})
    config = load_config(root / "mkdocs.yml")
    [typo, other] = authoring.verify(config, ["devices/printer-ofline", "payments/refunds"], TODAY)
    assert typo.error == "devices/printer-ofline: no article with this id; did you mean 'devices/printer-offline'? (or give a path)"
    assert other.error == "payments/refunds: no article with this id; give a path or an id such as 'devices/printer-offline'"
    empty = load_config(write_kb(tmp_path / "empty", {}) / "mkdocs.yml")
    [none] = authoring.verify(empty, ["payments/refunds"], TODAY)
    assert none.error == "payments/refunds: no article with this id; give a path or an id (there are no articles yet)"


# --- kb verify: only inside the docs folder -------------------------------------------------


def test_verify_refuses_files_outside_the_docs_folder(tmp_path: Path) -> None:
    original = article(reviewed="2024-01-02").encode()
    root = write_kb(tmp_path / "kb", {"in.md": original})
    outside, other = tmp_path / "outside.md", tmp_path / "other"
    outside.write_bytes(original)
    (other / "x").mkdir(parents=True)
    (other / "x" / "a.md").write_bytes(original)
    content = root / "content"
    (content / "sym-out.md").symlink_to("../../outside.md")
    (content / "dir-out").symlink_to(other)
    config = load_config(root / "mkdocs.yml")
    targets = [content / "sym-out.md", outside, content / "dir-out" / "x" / "a.md", content / "in.md"]
    results = authoring.verify(config, targets, TODAY)
    assert [r.error for r in results] == [
        f"{content / 'sym-out.md'}: leads to {outside}, which is outside the docs folder {content}; "
        "kb verify only edits articles inside it",
        f"{outside}: is outside the docs folder {content}; kb verify only edits articles inside it",
        f"{content / 'dir-out/x/a.md'}: leads to {other / 'x/a.md'}, which is outside the docs folder {content}; "
        "kb verify only edits articles inside it",
        None,
    ]
    assert outside.read_bytes() == original and (other / "x" / "a.md").read_bytes() == original
    assert (content / "sym-out.md").is_symlink() and "reviewed: 2025-06-15\n" in (content / "in.md").read_text()


def test_cli_verify_outside_the_docs_folder_is_exit_2_and_the_rest_is_done(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path / "kb", {"a.md": article(reviewed="2024-01-02")})
    (tmp_path / "x.md").write_text(article(reviewed="2024-01-02"))
    monkeypatch.chdir(root)
    result = invoke(root, "verify", "../x.md", "a", "y" * 300, "--today", "2025-06-15")
    assert result.exit_code == 2
    assert result.output == (
        f"kb: ../x.md: is outside the docs folder {root / 'content'}; kb verify only edits articles inside it\n"
        "content/a.md: reviewed 2024-01-02 -> 2025-06-15\n"
        f"kb: {'y' * 300}: cannot read it: File name too long\n")
    assert "reviewed: 2024-01-02\n" in (tmp_path / "x.md").read_text()


# --- dates that would not read back ---------------------------------------------------------


@pytest.mark.parametrize(("formats", "message"), [
    (("DD/MM/YYYY", "%Y-%m-%d"), "the first format 'DD/MM/YYYY' writes 2025-06-15 as 'DD/MM/YYYY', which does not "
                                 "read back as that date; use %Y, %m and %d, e.g. '%Y-%m-%d'"),
    (("today",), "the first format 'today' writes 2025-06-15 as 'today', which does not read back as that date; "
                 "use %Y, %m and %d, e.g. '%Y-%m-%d'"),
    (("%d/%m",), "the first format '%d/%m' writes 2025-06-15 as '15/06', which does not read back as that date; "
                 "use %Y, %m and %d, e.g. '%Y-%m-%d'"),
    ((), "is empty, so kb cannot write a date; list at least one format, e.g. '%Y-%m-%d'"),
])
def test_a_date_format_that_does_not_read_back_is_refused(tmp_path: Path, formats: tuple[str, ...],
                                                          message: str) -> None:
    original = b"---\ntitle: A\nreviewed: 2024-01-02\n---\n"
    root = write_kb(tmp_path, {"a.md": original})
    # built here, not in mkdocs.yml: config validation may refuse these formats before kb writes anything
    config = replace(load_config(root / "mkdocs.yml"), date_formats=formats)
    where = f"{root / 'mkdocs.yml'}: plugins.kb.date_formats"
    with pytest.raises(KbError) as error:
        authoring.verify(config, [root / "content" / "a.md"], TODAY)
    assert str(error.value) == f"{where}{' ' if not formats else ': '}{message}"
    with pytest.raises(KbError) as error:
        authoring.new_article(config, "issue", "Title", None, None, None, TODAY)
    assert str(error.value) == f"{where}{' ' if not formats else ': '}{message}"
    assert sorted(p.name for p in (root / "content").iterdir()) == ["a.md"]
    assert (root / "content" / "a.md").read_bytes() == original


# --- kb verify: interrupted writes ----------------------------------------------------------


def test_a_failing_rename_leaves_the_article_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = b"---\r\ntitle: A\r\nreviewed: 2024-01-02\r\n---\r\nBody\r\n"
    root = write_kb(tmp_path, {"a.md": original})

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = verify_one(root, "a.md")
    assert result.error == f"{root / 'content' / 'a.md'}: cannot write the file: No space left on device; it was left unchanged"
    assert (root / "content" / "a.md").read_bytes() == original
    assert sorted(p.name for p in (root / "content").iterdir()) == ["a.md"]  # the temp file is gone


CRASH = """
import os, sys, time
from datetime import date
from pathlib import Path
from kb import authoring
from kb.config import load_config

def stall(fd):  # the new text is written to the temp file but not yet renamed: signal and hang
    Path(sys.argv[2]).write_text("ready")
    time.sleep(60)

os.fsync = stall
authoring.verify(load_config(Path(sys.argv[1])), [sys.argv[3]], date(2025, 6, 15))
"""


def test_a_process_killed_mid_write_leaves_the_article_intact(tmp_path: Path) -> None:
    original = "---\ntitle: A\nreviewed: 2024-01-02\n---\nBody\n".encode()
    root = write_kb(tmp_path / "kb", {"a.md": original})
    ready = tmp_path / "ready"
    child = subprocess.Popen([sys.executable, "-c", CRASH, str(root / "mkdocs.yml"), str(ready),
                              str(root / "content" / "a.md")])
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "the child never reached the write"
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert (root / "content" / "a.md").read_bytes() == original
    leftovers = [p.name for p in (root / "content").iterdir() if p.name != "a.md"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".a.md.")  # hidden: never read as an article
    config = load_config(root / "mkdocs.yml")
    assert [a.rel for a in knowledge.load(config, use_cache=False).articles] == ["a.md"]


EDITOR_SAVE = """
import os, sys, time
from datetime import date
from pathlib import Path
from kb import authoring
from kb.config import load_config

def wait_for_the_editor(fd):  # our text is in the temp file, not yet renamed: let the editor save now
    Path(sys.argv[2]).write_text("ready")
    while not Path(sys.argv[2] + ".saved").exists():
        time.sleep(0.01)

os.fsync = wait_for_the_editor
print(authoring.verify(load_config(Path(sys.argv[1])), [sys.argv[3]], date(2025, 6, 15))[0].error)
"""


def test_an_editor_save_during_verify_wins(tmp_path: Path) -> None:
    original = "---\ntitle: A\nreviewed: 2024-01-02\n---\nBody\n".encode()
    root = write_kb(tmp_path / "kb", {"a.md": original})
    path, ready = root / "content" / "a.md", tmp_path / "ready"
    child = subprocess.Popen([sys.executable, "-c", EDITOR_SAVE, str(root / "mkdocs.yml"), str(ready), str(path)],
                             stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    saved = original.replace(b"Body", b"Body and the editor's new paragraph")
    path.write_bytes(saved)
    Path(f"{ready}.saved").touch()
    output, _ = child.communicate(timeout=30)
    assert "the file changed while kb verify was writing it" in output
    assert path.read_bytes() == saved  # the editor's save is kept
    assert [p.name for p in path.parent.iterdir()] == ["a.md"]  # and no temporary file is left


# --- CLI ------------------------------------------------------------------------------------


def invoke(root: Path, *args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    return CliRunner().invoke(app(), ["--config", str(root / "mkdocs.yml"), *args], env=env)


def test_cli_new_prints_the_path_and_refuses_to_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path, {}, BILINGUAL)
    monkeypatch.chdir(root)
    result = invoke(root, "new", "issue", "Printer offline", "--folder", "devices", "--owner", "ana",
                    env={"KB_TODAY": "2025-06-15"})
    assert (result.exit_code, result.output) == (0, "content/devices/printer-offline.md\n")
    assert "reviewed: 2025-06-15\n" in (root / "content/devices/printer-offline.md").read_text()
    again = invoke(root, "new", "issue", "Printer offline", "--folder", "devices")
    assert again.exit_code == 2
    assert again.output.startswith(f"kb: {root / 'content/devices/printer-offline.md'}: already exists")
    assert invoke(root, "new", "faq", "Title").exit_code == 2
    assert invoke(root, "new", "issue", "Title", "--audience", "everyone").exit_code == 2


def test_cli_verify_exit_codes_and_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_kb(tmp_path, {"a.md": article(reviewed="2024-01-02"), "b.md": article("B", reviewed="2024-01-02"),
                               "c.md": article("C", reviewed="2024-01-02")})
    monkeypatch.chdir(root)
    ok = invoke(root, "verify", "a", "content/b.md", env={"KB_TODAY": "2025-06-15"})
    assert (ok.exit_code, ok.output) == (0, "content/a.md: reviewed 2024-01-02 -> 2025-06-15\n"
                                            "content/b.md: reviewed 2024-01-02 -> 2025-06-15\n")
    dated = invoke(root, "verify", "c", "--date", "2025-06-01", "--today", "2025-06-15")
    assert (dated.exit_code, dated.output) == (0, "content/c.md: reviewed 2024-01-02 -> 2025-06-01\n")
    same = invoke(root, "verify", "c", "--date", "2025-06-01")
    assert (same.exit_code, same.output) == (0, "content/c.md: already reviewed 2025-06-01\n")
    partly = invoke(root, "verify", "nope", "b", "--today", "2025-06-20")
    assert partly.exit_code == 2
    assert "kb: nope: no article with this id" in partly.output
    assert "content/b.md: reviewed 2025-06-15 -> 2025-06-20\n" in partly.output
    future = invoke(root, "verify", "a", "--date", "2030-01-01", "--today", "2025-06-15")
    assert future.exit_code == 2 and "is in the future" in future.output
    assert invoke(root, "verify", "a", "--date", "June 1st").exit_code == 2
    assert invoke(root, "verify").exit_code == 2  # a target is required
    assert "reviewed: 2025-06-20\n" in (root / "content" / "b.md").read_text()
    assert "reviewed: 2025-06-01\n" in (root / "content" / "c.md").read_text()


def test_verify_never_moves_a_review_date_backwards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    later = b"---\ntitle: A\nreviewed: '2026-11-22'  # by Rizky\n---\n"
    root = write_kb(tmp_path, {"later.md": later, "old.md": article(reviewed="2018-05-05")})
    monkeypatch.chdir(root)
    result = invoke(root, "verify", "later", "old", "--date", "2019-01-01", "--today", "2026-11-22")
    assert (result.exit_code, result.stdout) == (0, "content/old.md: reviewed 2018-05-05 -> 2019-01-01\n")
    assert result.stderr == "content/later.md: left as is: reviewed 2026-11-22 is later than 2019-01-01\n"
    assert (root / "content" / "later.md").read_bytes() == later
    [kept] = authoring.verify(load_config(root / "mkdocs.yml"), ["later"], date(2019, 1, 1))
    assert (kept.ok, kept.later, kept.changed, kept.old, kept.new) == (True, True, False, "2026-11-22", "2019-01-01")
    failed = invoke(root, "verify", "later", "nope", "--date", "2019-01-01", "--today", "2026-11-22")
    assert failed.exit_code == 2  # only the unknown id counts as a failure


@pytest.mark.parametrize(("when", "formats", "written"), [
    ("0001-01-01", ["%Y-%m-%d"], "1-01-01"),  # glibc writes year 1 unpadded
    ("1960-03-04", ["%d/%m/%y"], "04/03/60"),  # %y reads 60 as 2060
])
def test_verify_a_date_that_does_not_read_back_blames_the_date_not_the_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str, formats: list[str], written: str) -> None:
    original = article(reviewed="2020-01-01")
    root = write_kb(tmp_path, {"a.md": original}, {"date_formats": formats})
    monkeypatch.chdir(root)
    result = invoke(root, "verify", "a", "--date", when, "--today", "2026-11-22")
    assert (result.exit_code, result.output) == (
        2, f"kb: cannot write the date {when}: the date format '{formats[0]}' makes it '{written}', which does not "
           "read back as that date; give a recent date\n")
    assert (root / "content" / "a.md").read_text() == original
