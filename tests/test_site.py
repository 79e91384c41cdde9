"""The two sites, built for real with MkDocs from a small KB with planted internal marker words."""

from __future__ import annotations

import gzip
import itertools
import json
import re
import xml.dom.minidom
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kb.cli import app
from conftest import kb_in
from sitekb import INTERNAL_MARKERS, PUBLIC_OWNER, TODAY, write_site_kb

pytestmark = pytest.mark.xdist_group("site")


def every_file(site: Path) -> dict[str, str]:
    """Every output file's content, gzip files unpacked, as lower-cased text (binary decoded loosely)."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            found[path.relative_to(site).as_posix()] = data.decode("utf-8", "replace").lower()
    return found


def text_of(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_no_internal_marker_in_any_public_file(built_sites: Path) -> None:
    files = every_file(built_sites / "site/public")
    assert "search/search_index.json" in files and "sitemap.xml.gz" in files and "404.html" in files
    assert "tags/index.html" in files and "assets/qris-screen.svg" in files
    for name, marker in INTERNAL_MARKERS.items():
        hits = [path for path, text in files.items() if marker.lower() in text]
        assert not hits, f"internal {name} marker {marker!r} leaked into {hits}"
    hits = [path for path, text in files.items() if "support-team" in text or PUBLIC_OWNER["email"] in text
            or PUBLIC_OWNER["name"].lower() in text]
    assert not hits, f"internal id or owner found in {hits}"


def test_internal_site_shows_internal_material_marked(built_sites: Path) -> None:
    site = built_sites / "site/internal"
    escalation = (site / "support-team/escalation/index.html").read_text(encoding="utf-8")
    assert INTERNAL_MARKERS["body"] in escalation
    assert INTERNAL_MARKERS["owner_name"] in escalation and INTERNAL_MARKERS["owner_email"] in escalation
    assert (site / "assets/escalation-chart.png").read_bytes().find(INTERNAL_MARKERS["image"].encode()) > 0
    qris = (site / "payments/qris-payment-failed/index.html").read_text(encoding="utf-8")
    block = re.search(r'<div class="admonition internal">(.*?)</div>', qris, re.S)
    assert block and INTERNAL_MARKERS["block"] in block.group(1)
    assert 'href="../../support-team/escalation/"' in qris
    drafts = [p for p, text in every_file(site).items() if INTERNAL_MARKERS["draft"].lower() in text]
    assert drafts == []  # drafts only with --drafts


def test_public_link_to_internal_article_becomes_plain_text(built_sites: Path) -> None:
    page = (built_sites / "site/public/payments/qris-payment-failed/index.html").read_text(encoding="utf-8")
    assert "follow the escalation guide." in text_of(built_sites / "site/public/payments/qris-payment-failed/index.html")
    assert "escalation/" not in page


def test_public_stage_holds_only_public_material(built_sites: Path) -> None:
    work = built_sites / ".kb/site-build/public"
    staged = sorted(p.relative_to(work / "docs").as_posix() for p in (work / "docs").rglob("*") if p.is_file())
    articles = [p for p in staged if p.startswith("payments/")]
    assert articles == ["payments/card-declined.id.md", "payments/card-declined.md",
                        "payments/pembayaran-ganda.id.md", "payments/pembayaran-ganda.md",
                        "payments/qris-payment-failed.id.md", "payments/qris-payment-failed.md"]
    assert [p for p in staged if p.startswith("assets/")] == ["assets/qris-screen.svg"]
    generated = {p.split("/")[0] for p in staged if not p.startswith(("payments/", "assets/"))}
    assert generated == {"index.md", "index.id.md", "sections", "types", "products", "tags"}
    everything = (work / "mkdocs.yml").read_text() + "".join((work / "docs" / p).read_text() for p in staged if p.endswith(".md"))
    for value in (INTERNAL_MARKERS["owner_name"], INTERNAL_MARKERS["owner_email"], PUBLIC_OWNER["email"], "owner:",
                  INTERNAL_MARKERS["folder_title"]):
        assert value not in everything
    config = yaml.safe_load((work / "mkdocs.yml").read_text())
    assert config["theme"]["font"] is False and "owners" not in config["plugins"][-2]["kb"]


def test_stale_banner_public_and_internal(built_sites: Path) -> None:
    days = (date.fromisoformat(TODAY) - date(2024, 11, 1)).days
    public = text_of(built_sites / "site/public/payments/qris-payment-failed/index.html")
    assert f"Last reviewed {days} days ago, may be out of date." in public
    assert "Issue" in public and "Last reviewed 2024-11-01" in public and "next review due 2025-05-01" in public
    internal = text_of(built_sites / "site/internal/payments/qris-payment-failed/index.html")
    overdue = (date.fromisoformat(TODAY) - date(2025, 5, 1)).days
    assert f"{overdue} days overdue; owner: {PUBLIC_OWNER['name']}." in internal
    fresh = text_of(built_sites / "site/public/payments/card-declined/index.html")
    assert "may be out of date" not in fresh and "Last reviewed 2025-06-01" in fresh
    index = json.loads((built_sites / "site/public/search/search_index.json").read_text())
    assert index["docs"] and not [d for d in index["docs"] if "out of date" in d["text"] or "review due" in d["text"]]


def test_languages_fallback_and_indonesian_interface(built_sites: Path) -> None:
    site = built_sites / "site/public"
    translated = (site / "id/payments/qris-payment-failed/index.html").read_text(encoding="utf-8")
    assert '<html lang="id"' in translated and "Pembayaran QRIS gagal" in translated
    assert 'hreflang="en"' in translated or 'hreflang="id"' in translated  # the language switcher
    fallback = text_of(site / "id/payments/card-declined/index.html")
    assert "belum tersedia dalam bahasa Indonesia" in fallback and "The card reader beeps twice" in fallback
    only_id = text_of(site / "payments/pembayaran-ganda/index.html")
    assert "not available in English yet; you are reading the Bahasa Indonesia version" in only_id
    assert "may be out of date" not in text_of(site / "id/payments/qris-payment-failed/index.html")


def test_generated_pages_and_short_navigation(built_sites: Path) -> None:
    public, internal = built_sites / "site/public", built_sites / "site/internal"
    home = text_of(public / "index.html")
    recent = home.split("Recently reviewed")[-1]
    assert recent.index("Card payment declined") < recent.index("QRIS payment fails")
    assert "Stalest" not in home and "Knowledge health" not in home
    assert "Stalest articles" in text_of(internal / "index.html")
    for page in ("types/issue", "types/procedure", "products/payments", "sections/payments", "tags"):
        assert (public / page / "index.html").is_file() or page == "types/procedure"
    assert "QRIS payment fails" in text_of(public / "tags/index.html")
    # The navigation lists sections and index pages, not articles: an article page links to no other article.
    card = (public / "payments/card-declined/index.html").read_text(encoding="utf-8")
    assert "qris-payment-failed/" not in card and "sections/payments/" in card
    archived = (internal / "support-team/old-escalation/index.html").read_text(encoding="utf-8")
    assert re.search(r'Archived, see <a href="../escalation/">Escalation guide Quokkatitle</a>', archived)
    # On the Indonesian site too: the link is that language build's page, not the staged file's name.
    archived_id = (internal / "id/support-team/old-escalation/index.html").read_text(encoding="utf-8")
    assert re.search(r'Diarsipkan, lihat <a href="../escalation/">Escalation guide Quokkatitle</a>', archived_id)


def test_knowledge_health_page_and_chart(built_sites: Path) -> None:
    internal = built_sites / "site/internal"
    health = text_of(internal / "health/index.html")
    assert "Knowledge health" in health and INTERNAL_MARKERS["owner_name"] in health
    assert re.search(r"On 2025-06-15: \d+% of \d+ published articles are fresh", health)
    svg = (internal / "health/reviews-due.svg").read_text()
    document = xml.dom.minidom.parseString(svg)
    bars = document.getElementsByTagName("rect")
    assert len(bars) == 6
    # Due in the next six months (Jun-Nov 2025): qris.id (2025-11-20), card, ganda, escalation (2025-12-01) are later.
    labels = [t.firstChild.data for t in document.getElementsByTagName("title")[1:]]
    assert labels[0].startswith("Jun 2025") and labels[5].startswith("Nov 2025")
    assert labels[5] == "Nov 2025: 1"
    assert not (built_sites / "site/public/health").exists()


def test_check_leaks_command(built_sites: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built_sites)
    ok = CliRunner().invoke(app(), ["check-leaks", "site/public"])
    assert ok.exit_code == 0, ok.output
    leaky = CliRunner().invoke(app(), ["check-leaks", "site/internal"])
    assert leaky.exit_code == 1, leaky.output
    assert "support-team/escalation/index.html: text of internal article support-team/escalation.md" in leaky.output
    assert "copy of internal-only file assets/escalation-chart.png" in leaky.output
    assert f"owner's name 'ottoline' found: \"{INTERNAL_MARKERS['owner_name'].lower()}\"" in leaky.output


def test_build_fails_when_the_public_site_leaks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A real leak path the staging cannot see: a snippet include pulls an internal article into a public
    # one at render time, and the footer names an owner.
    root = write_site_kb(tmp_path / "kb", copyright=f"Maintained by {INTERNAL_MARKERS['owner_name']}")
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["markdown_extensions"].append({"pymdownx.snippets": {"base_path": ["content"]}})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    card = root / "content/payments/card-declined.md"
    card.write_text(card.read_text() + '\n--8<-- "support-team/escalation.md"\n')
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app(), ["build", "--audience", "public", "--today", TODAY])
    assert result.exit_code == 1, result.output
    assert "kb: leak: " in result.output and "text of internal article support-team/escalation.md" in result.output
    assert "owner's name 'ottoline'" in result.output
    assert "must not be published" in result.output
    assert not (root / "site/public").exists() and (root / "site/public.rejected/index.html").is_file()


def test_internal_drafts_only_with_flag(built_sites: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built_sites)
    out = tmp_path / "internal-drafts"
    result = CliRunner().invoke(app(), ["build", "--audience", "internal", "--drafts", "--internal-dir", str(out),
                                        "--today", TODAY])
    assert result.exit_code == 0, result.output
    page = text_of(out / "payments/new-refund-flow/index.html")
    assert INTERNAL_MARKERS["draft"] in page and "Draft: not published yet." in page


def test_verbose_build_shows_progress_without_listing_every_article_as_not_in_nav(
        built_sites: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built_sites)
    result = CliRunner().invoke(app(), ["build", "--audience", "internal", "-v", "--internal-dir",
                                        str(tmp_path / "internal"), "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert "mkdocs: Building documentation" in result.stderr
    assert "not included in the \"nav\"" not in result.stderr  # kb's nav never lists every article


def test_plugin_accepts_the_whole_kb_section(built_sites: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.config import load_config

    config = load_config(config_file=str(built_sites / "mkdocs.yml"))
    assert config.plugins["kb"].kb_config.owners["ottoline"].name == INTERNAL_MARKERS["owner_name"]
    assert not [r for r in caplog.records if "kb" in r.getMessage() and r.levelname == "WARNING"]
    broken = built_sites.parent / "broken.yml"
    data = yaml.safe_load((built_sites / "mkdocs.yml").read_text())
    data["plugins"][1]["kb"]["due_soon"] = "soon"
    data["docs_dir"] = str(built_sites / "content")
    broken.write_text(yaml.safe_dump(data))
    from mkdocs.exceptions import Abort, ConfigurationError

    with pytest.raises((ConfigurationError, Abort)):
        load_config(config_file=str(broken))


def test_leak_check_sees_through_markup_and_escapes(tmp_path: Path) -> None:
    from kb.site.leaks import Needles, check_file

    needles = Needles()
    needles.add_text("Call the Zebra hotline and give the duty manager the merchant id now", "text of internal article", "a.md")
    needles.add_phrase(["ada", "lovelace"], "owner's name", "'ada'", always=True)
    needles.emails["ada@example.org"] = "ada"
    html = (b"<p>Call the <strong>Zebra</strong> hotline and give&nbsp;the duty manager the merchant id now</p>"
            b"<meta content=\"Ada Lovelace\">")
    found = check_file(tmp_path / "x.html", "x.html", html, needles)
    assert {leak.what for leak in found} == {"text of internal article", "owner's name"}
    data = json.dumps({"docs": [{"text": "<p>call the zebra hotline and give the duty manager the merchant id now</p>", "x": "ada@example.org"}]})
    found = check_file(tmp_path / "s.json", "search/search_index.json", data.encode(), needles)
    assert {leak.what for leak in found} == {"text of internal article", "owner's e-mail address"}
    assert check_file(tmp_path / "ok.html", "ok.html", b"<p>Call the Zebra hotline</p>", needles) == []
    mailto = b'<a href="mailto:ada@example.org">Write to us</a>'  # an address only in an attribute
    assert [leak.what for leak in check_file(tmp_path / "m.html", "m.html", mailto, needles)] == ["owner's e-mail address"]
    # A heading followed by a paragraph is not one run of words.
    split = b"<h2>Call the Zebra hotline and give</h2><p>the duty manager the merchant id now</p>"
    assert check_file(tmp_path / "split.html", "split.html", split, needles) == []


def test_real_content_stages_nothing_internal_for_the_public_site(tmp_path: Path) -> None:
    from kb.config import load_config
    from kb.site.build import load_kb, prepare

    repo = Path(__file__).resolve().parents[1]
    config = load_config(repo / "mkdocs.yml")
    kb = load_kb(config)
    prepared = prepare(kb, "public", date.fromisoformat(TODAY), site_dir=tmp_path / "out", work_dir=tmp_path / "work")
    for article in prepared.stage.articles:
        assert article.audience == "public" and article.status == "published", article.rel
    staged = "".join(data.decode() for data in prepared.stage.files.values())
    for owner in config.owners.values():
        assert owner.email not in staged and (not owner.name or owner.name not in staged)


def test_leak_check_finds_a_leaked_run_at_every_offset(tmp_path: Path) -> None:
    from kb.site.leaks import SHINGLE, STEP, Needles, check_file

    secret = "escalate the refund to the regional duty desk before noon on weekdays only please"
    needles = Needles()
    needles.add_text(secret, "text of internal article", "a.md")
    run = secret.split()[:SHINGLE + STEP - 1]  # the shortest run the output check promises to catch
    for offset in range(2 * STEP):
        html = f"<p>{' '.join(['public'] * offset + run + ['tail'] * 3)}</p>".encode()
        found = check_file(tmp_path / "x.html", "x.html", html, needles)
        assert [leak.what for leak in found] == ["text of internal article"], offset
    assert check_file(tmp_path / "y.html", "y.html", f"<p>{' '.join(run[:SHINGLE - 1])}</p>".encode(), needles) == []



def test_strict_build_of_both_sites_reports_the_warning_and_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Both sites build at once in their own processes (2+ cores): MkDocs's warning must still reach
    # the user, and the failed build must stop `kb build` with one clear line.
    root = write_site_kb(tmp_path / "kb")
    escalation = root / "content/support-team/escalation.md"
    escalation.write_text(escalation.read_text() + "\nSee [the old form](no-such-page.md).\n")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app(), ["build", "--strict", "--today", TODAY])
    assert result.exit_code == 2, result.output
    assert "kb: mkdocs: WARNING: " in result.output and "no-such-page.md" in result.output
    assert "internal/mkdocs.yml" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("rel", "content"), [
    ("payments/qris/index.html", '<a href="../../support-team/escalation/">Next</a>'),
    ("index.html", '<a href="support-team/escalation/index.html">Next</a>'),
    ("id/payments/qris/index.html", '<a href="../../../id/support-team/escalation/#steps">Lanjut</a>'),
    ("tags/index.html", '<a href="/support-team/escalation.id.md">Next</a>'),
    ("support-team/how-to/index.html", '<a href="escalation.md">Next</a>'),  # left as written: from support-team/how-to.md
    ("support-team/escalation/index.html", '<a href="./">Here</a>'),
    ("support-team/escalation/print/index.html", '<a href="..">Up</a>'),
    ("search/search_index.json", '{"docs": [{"location": "support-team/escalation/#steps", "text": ""}]}'),
    ("sitemap.xml", "<urlset><url><loc>https://help.example/support-team/escalation/</loc></url></urlset>"),
])
def test_leak_check_finds_links_to_internal_articles(tmp_path: Path, rel: str, content: str) -> None:
    from kb.site.leaks import Needles, check_file

    needles = Needles(languages=("id",))
    needles.ids["support-team/escalation"] = "support-team/escalation.md"
    found = check_file(tmp_path / "x", rel, content.encode(), needles)
    assert [(leak.what, leak.found) for leak in found] == [("link to internal article", "support-team/escalation")]
    public = content.replace("escalation", "card-declined").replace("support-team", "payments")
    assert check_file(tmp_path / "x", rel.replace("support-team/escalation", "payments/card-declined"),
                      public.encode(), needles) == []


def test_a_config_split_with_inherit_and_env_builds_without_leaks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs.yml holding only `INHERIT: base.yml` and an `!ENV` site name: kb reads the kb section
    and plugins from the base file, and the public site is as clean as with one file."""
    root = write_site_kb(tmp_path / "kb")
    (root / "mkdocs.yml").rename(root / "base.yml")
    (root / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: !ENV [KB_TEST_SITE_NAME, Fallback name]\n")
    monkeypatch.setenv("KB_TEST_SITE_NAME", "Help from the environment")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app(), ["build", "--audience", "public", "--today", TODAY])
    assert result.exit_code == 0, result.output
    files = every_file(root / "site/public")
    assert "help from the environment" in files["index.html"]
    assert "search/search_index.json" in files
    for name, marker in INTERNAL_MARKERS.items():
        assert not [path for path, text in files.items() if marker.lower() in text], f"internal {name} marker leaked"


def test_a_relative_theme_custom_dir_is_found_from_the_team_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`theme.custom_dir: overrides` is relative to mkdocs.yml, not to the generated config under .kb/site-build/."""
    root = write_site_kb(tmp_path / "kb", theme={"name": "material", "custom_dir": "overrides", "language": "en"})
    (root / "overrides").mkdir()
    (root / "overrides/main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}<meta name="team-override" content="CUSTOMDIRMARKER">{% endblock %}\n')
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app(), ["build", "--audience", "public", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert "CUSTOMDIRMARKER" in (root / "site/public/index.html").read_text(encoding="utf-8")


def test_folder_layout_builds_one_site_per_language_with_translations_paired(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`layout: folder` (en/x.md, id/x.md) is staged as mkdocs-static-i18n's suffix layout: one
    English page and its Indonesian translation under /id/, not both languages on both sites."""
    from conftest import article, write_kb

    en = article("Export segments", audience="public",
                 body="See [limits](limits.md) and the [shared note](../../shared.md).\n\n![chart](media/chart.png)\n")
    files: dict[str, str | bytes] = {
        "en/ops/export.md": en,
        "en/ops/limits.md": article("Service limits", audience="public", body="Limits apply.\n"),
        "id/ops/export.md": article("Ekspor segmen", audience="public",
                                    body="Lihat [batas](limits.md).\n\n![bagan](media/chart.png)\n"),
        "shared.md": article("Shared note", audience="public", body="Shared.\n"),
        "en/ops/media/chart.png": b"english chart",
        "id/ops/media/chart.png": b"indonesian chart",
    }
    root = write_kb(tmp_path / "kb", files, {"languages": ["en", "id"], "layout": "folder"})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app(), ["build", "--audience", "public", "--today", TODAY])
    assert result.exit_code == 0, result.output
    site = root / "site/public"
    assert "Export segments" in text_of(site / "ops/export/index.html")
    assert "Ekspor segmen" in text_of(site / "id/ops/export/index.html")
    assert "Service limits" in text_of(site / "id/ops/limits/index.html")  # no translation: the source is shown
    assert not (site / "en").exists() and not (site / "id/id").exists()
    english = (site / "ops/export/index.html").read_text(encoding="utf-8")
    assert 'href="../../shared/"' in english and 'href="../limits/"' in english
    assert (site / "ops/media/chart.png").read_bytes() == b"english chart"
    assert (site / "id/ops/media/chart.png").read_bytes() == b"indonesian chart"


def test_a_team_config_without_a_theme_builds_with_material(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's configuration shows no `theme:`; the generated config's fonts-off mapping must
    not leave MkDocs a theme without a name."""
    from conftest import article, write_kb

    root = write_kb(tmp_path / "kb", {"printer.md": article("Printer offline", audience="public")})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app(), ["build", "--audience", "public", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert "site/public/index.html (1 article, " in result.output
    assert "assets/stylesheets/main" in (root / "site/public/printer/index.html").read_text(encoding="utf-8")


def test_404_page_is_the_default_languages_and_offers_each_language_home(built_sites: Path) -> None:
    """The 404 page is rendered after every article (its switcher kept the last one's links), and each
    language's build wrote it (the last one, Indonesian, won)."""
    page = (built_sites / "site/public/404.html").read_text(encoding="utf-8")
    switcher = dict(re.findall(r'<a href="([^"]*)" hreflang="(\w+)" class="md-select__link"', page))
    assert switcher == {"/": "en", "/id/": "id"}
    assert '<html lang="en"' in page and 'placeholder="Search"' in page and 'href="/sections/payments/"' in page
    assert '<p lang="id">Halaman ini tidak ada. <a href="/id/">Buka beranda pusat bantuan</a></p>' in page
    assert "This page does not exist." in text_of(built_sites / "site/internal/404.html")


def test_each_language_home_is_titled_once_and_a_stand_in_page_names_its_language(built_sites: Path) -> None:
    site = built_sites / "site/public"
    titles = {rel: re.search(r"<title>([^<]*)</title>", (site / rel).read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
              for rel in ("index.html", "id/index.html", "id/payments/qris-payment-failed/index.html")}
    assert titles["id/index.html"] == titles["index.html"] and " - " not in titles["index.html"]
    assert titles["id/payments/qris-payment-failed/index.html"].startswith("Pembayaran QRIS gagal - ")
    # English text on the Indonesian site (and the reverse) says so, for screen readers and translators.
    english = (site / "id/payments/card-declined/index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1 lang="en">Card payment declined', english)
    assert re.search(r'<div lang="en">\s*<h2 id="symptoms"', english)
    assert re.search(r'<div lang="id">\s*<h2 id="gejala"', (site / "payments/pembayaran-ganda/index.html").read_text(encoding="utf-8"))
    translated = (site / "id/payments/qris-payment-failed/index.html").read_text(encoding="utf-8")
    assert "<h1>Pembayaran QRIS gagal" in translated and "<div lang=" not in translated


def test_the_indonesian_site_names_folders_and_products_as_configured(built_sites: Path) -> None:
    site = built_sites / "site/public"
    home = (site / "id/index.html").read_text(encoding="utf-8")
    assert '<a href="sections/payments/">Pembayaran</a> · 3 artikel' in home
    nav = re.findall(r'<a href="[^"]*sections/payments/" class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]*?)\s*<', home)
    assert nav == ["Pembayaran"]  # the navigation's entry is the page's title
    assert "<h1 id=\"pembayaran\">Pembayaran" in (site / "id/sections/payments/index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"payments\">Payments" in (site / "sections/payments/index.html").read_text(encoding="utf-8")
    for products in ("products", "id/products"):  # one title for every language
        assert '<a href="payments/">Kasira Pay</a>' in (site / products / "index.html").read_text(encoding="utf-8")
    assert f"Team {INTERNAL_MARKERS['folder_title']}" in text_of(built_sites / "site/internal/sections/support-team/index.html")


def test_listed_articles_in_another_language_than_the_page_say_which(built_sites: Path) -> None:
    site = built_sites / "site/public"
    id_listing = (site / "id/sections/payments/index.html").read_text(encoding="utf-8")
    assert re.search(r'<li><span lang="en"><a href="[^"]*card-declined/">Card payment declined</a></span> · Masalah', id_listing)
    assert re.search(r'<li><a href="[^"]*qris-payment-failed/">Pembayaran QRIS gagal</a> · Masalah', id_listing)
    en_home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<li><span lang="id"><a href="[^"]*pembayaran-ganda/">Pelanggan terdebit dua kali</a></span> · Issue', en_home)
    summary = (site / "sections/payments/index.html").read_text(encoding="utf-8")
    assert '<br>The QRIS payment fails or times out.</li>' in summary
    tags = (site / "id/tags/index.html").read_text(encoding="utf-8")
    assert '<span lang="en"><a href="../payments/qris-payment-failed/"' not in tags
    assert 'lang="en"' in tags.split('<h2 id="card"')[1].split("</ul>")[0]


def test_each_other_language_has_its_own_404_page_in_its_folder(built_sites: Path) -> None:
    for site in ("public", "internal"):
        page = (built_sites / "site" / site / "id/404.html").read_text(encoding="utf-8")
        assert '<html lang="id"' in page and 'placeholder="Cari"' in page and "<h1>404 - Halaman tidak ditemukan</h1>" in page
        switcher = dict(re.findall(r'<a href="([^"]*)" hreflang="(\w+)" class="md-select__link"', page))
        assert switcher == {"/": "en", "/id/": "id"}
        assert re.findall(r'<p lang="(\w+)">', page) == ["id", "en"]  # its own language first
        assert '<p lang="id">Halaman ini tidak ada. <a href="/id/">Buka beranda pusat bantuan</a></p>' in page
        assert 'href="/id/sections/payments/"' in page and 'href="/sections/payments/"' not in page


def test_site_search_indexes_articles_not_the_generated_pages_that_list_them(built_sites: Path) -> None:
    for site, index in itertools.product(("public", "internal"), ("", "id/")):  # an index per language (search_split)
        docs = json.loads((built_sites / "site" / site / index / "search/search_index.json").read_text())["docs"]
        pages = {doc["location"].split("#")[0] for doc in docs}
        assert "payments/qris-payment-failed/" in pages
        generated = [page for page in pages if re.match(r"((sections|types|products|tags|health)/.*)?$", page)]
        assert generated == [], f"{site} {index}: generated pages in the search index: {generated}"
    staged = (built_sites / ".kb/site-build/public/docs/sections/payments.id.md").read_text(encoding="utf-8")
    assert "search:\n  exclude: true\n" in staged.split("---")[1]  # Material's own switch


def test_an_internal_passage_that_is_only_the_themes_own_words_is_no_leak(tmp_path: Path) -> None:
    """A support article quoting an HTTP error (`## 404 Not Found`) is internal: the public site's
    404 page says "404 - Not found" too, which is Material's, not the article's."""
    root = write_site_kb(tmp_path / "kb")
    (root / "content/support-team/http-errors.md").write_text(
        "---\ntitle: Reading HTTP errors in the logs\ntype: best-practice\naudience: internal\nowner: pradipta\n"
        "reviewed: 2025-06-01\n---\n## 404 Not Found\n\nThe Zebrafinch gateway answered this when the route was gone.\n\n"
        "Back to top\n", encoding="utf-8")
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "leak" not in result.output.replace("leak check: nothing internal found", "")
    assert "404 - Not found" in (root / "site/public/404.html").read_text(encoding="utf-8")
    text = " ".join(path.read_text(encoding="utf-8", errors="replace") for path in (root / "site/public").rglob("*.html"))
    assert "Zebrafinch" not in text  # the article's own words stay off the public site


def test_each_language_site_has_its_name(tmp_path: Path) -> None:
    """`titles.site` names the Indonesian site in Indonesian: its tab, header and home page."""
    root = write_site_kb(tmp_path / "kb")
    document = yaml.safe_load((root / "mkdocs.yml").read_text())
    kb_section = next(entry["kb"] for entry in document["plugins"] if isinstance(entry, dict) and "kb" in entry)
    kb_section["titles"] = {"site": {"id": "Pusat Bantuan Uji"}}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(document, sort_keys=False))
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    indonesian = (root / "site/public/id/index.html").read_text(encoding="utf-8")
    english = (root / "site/public/index.html").read_text(encoding="utf-8")
    assert "<title>Pusat Bantuan Uji</title>" in indonesian and ">Pusat Bantuan Uji</h1>" in indonesian.replace("¶", "")
    assert "Pusat Bantuan Uji" not in english and f"<title>{document['site_name']}</title>" in english


def test_a_single_language_site_has_its_name_everywhere(tmp_path: Path) -> None:
    """`titles.site` without other languages: the tab and header agree with the home page."""
    from conftest import article, write_kb

    root = write_kb(tmp_path / "kb", {"a.md": article(audience="public")}, {"titles": {"site": "Kasira Help"}},
                    site_name="Test KB", theme={"name": "material", "font": False})
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    home = (root / "site/public/index.html").read_text(encoding="utf-8")
    assert "<title>Kasira Help</title>" in home and ">Kasira Help</h1>" in home.replace("¶", "")
    assert "Test KB" not in home


def test_a_home_page_intro_stays_searchable(tmp_path: Path) -> None:
    root = write_site_kb(tmp_path / "kb")
    (root / "content/index.md").write_text("---\ntitle: Home\ntype: best-practice\naudience: public\nowner: pradipta\n"
                                          "reviewed: 2025-06-01\n---\nWelcome to the Okapiwelcome help center.\n", encoding="utf-8")
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    docs = json.loads((root / "site/public/search/search_index.json").read_text())["docs"]
    assert [doc["location"] for doc in docs if "Okapiwelcome" in doc["text"]] == [""]


def test_no_product_or_tag_pages_when_no_article_has_one(tmp_path: Path) -> None:
    """Microsoft's support articles have neither `product` nor `tags`: the site then offers no empty
    "Articles by product" or "Tags" page, in the navigation or on the home page."""
    from conftest import article, write_kb

    root = write_kb(tmp_path / "kb", {"mail/outlook-asks-for-password.md": article("Outlook asks for password", audience="public"),
                                      "mail/mailbox-full.md": article("Mailbox is full", audience="public", product="exchange")})
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    site = root / "site/public"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="types/"' in home and 'href="products/"' in home
    assert 'href="tags/"' not in home and not (site / "tags").exists()

    (root / "content/mail/mailbox-full.md").write_text(article("Mailbox is full", audience="public"), encoding="utf-8")
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="types/"' in home and 'href="products/"' not in home and not (site / "products").exists()


def test_with_materials_offline_plugin_each_language_folder_has_its_own_inlined_index(tmp_path: Path) -> None:
    """Material's offline plugin inlines the index into `search/search_index.js`, which pages opened
    from the disk load from their `base`: the Indonesian pages, pointed at `id/`, need one there."""
    root = write_site_kb(tmp_path / "kb")
    document = yaml.safe_load((root / "mkdocs.yml").read_text())
    document["plugins"].append("offline")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(document, sort_keys=False))
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    for folder in ("", "id/"):
        index = root / "site/public" / folder / "search"
        inlined = (index / "search_index.js").read_text(encoding="utf-8")
        assert inlined.startswith("var __index = ")
        assert json.loads(inlined.removeprefix("var __index = ")) == json.loads((index / "search_index.json").read_text())
