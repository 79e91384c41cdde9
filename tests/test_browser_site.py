"""What a person sees: the built sites in Debian's Chromium, driven by Playwright.

Screenshots go to test-artifacts/. Skipped (with the reason) only when /usr/bin/chromium is missing;
`make test` installs it, so in CI these run.
"""

from __future__ import annotations

import functools
import re
import http.server
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from sitekb import INTERNAL_MARKERS, PUBLIC_OWNER

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.xdist_group("site"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                       "`make test` installs it with apt-get install chromium"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A static host that answers a missing address with the nearest 404.html up its folders
    (as Cloudflare Pages does; others serve the site's one /404.html)."""

    def log_message(self, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        root = Path(self.directory)
        folder = Path(self.path.split("?")[0].lstrip("/")).parent
        page = next((root / up / "404.html" for up in (folder, *folder.parents) if (root / up / "404.html").is_file()), None)
        if code != 404 or page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def sites(built_sites: Path) -> Iterator[dict[str, str]]:
    public_url, public = serve(built_sites / "site/public")
    internal_url, internal = serve(built_sites / "site/internal")
    yield {"public": public_url, "internal": internal_url}
    public.shutdown()
    internal.shutdown()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def search(page: Any, query: str) -> float:
    """Type a query in Material's search box; returns seconds until the result count shows."""
    box = page.locator("input.md-search__input")
    box.click()  # the header's search box (desktop layout)
    started = time.perf_counter()
    box.fill("")
    box.press_sequentially(query, delay=20)  # key events, as Material's search listens for them
    page.wait_for_function("() => { const m = document.querySelector('.md-search-result__meta');"
                           " return m && /match|no matching|dokumen/i.test(m.textContent); }", timeout=30000)  # en, id
    return time.perf_counter() - started


def test_public_search_finds_a_public_article_and_opens_it(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["public"])
    search(page, "QRIS")
    first = page.locator(".md-search-result__item a").first
    first.wait_for()
    assert "QRIS payment fails" in first.inner_text()
    first.click()
    page.wait_for_url("**/payments/qris-payment-failed/**")
    assert page.locator("h1").first.inner_text() == "QRIS payment fails"


def test_public_search_for_an_internal_marker_finds_nothing(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["public"])
    for marker in (INTERNAL_MARKERS["body"], INTERNAL_MARKERS["block"], INTERNAL_MARKERS["title"]):
        search(page, marker)
        assert "No matching documents" in page.locator(".md-search-result__meta").inner_text()
        assert page.locator(".md-search-result__item").count() == 0
        page.keyboard.press("Escape")


def test_public_stale_banner_and_no_owner(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["public"] + "payments/qris-payment-failed/")
    banner = page.locator(".kb-stale")
    assert banner.is_visible()
    assert "may be out of date" in banner.inner_text()
    content = page.locator("article").inner_text()
    assert PUBLIC_OWNER["name"] not in content and "Owner" not in content
    assert "Last reviewed 2024-11-01" in page.locator(".kb-meta").inner_text()


def test_public_switch_to_indonesian(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["public"] + "payments/qris-payment-failed/")
    page.hover(".md-header__option .md-select")
    page.click("a.md-select__link[hreflang='id']")
    page.wait_for_url("**/id/payments/qris-payment-failed/**")
    assert page.locator("h1").first.inner_text() == "Pembayaran QRIS gagal"
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Cari"  # Material's Indonesian UI


def test_internal_shows_owner_and_internal_block(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["internal"] + "payments/qris-payment-failed/")
    assert f"Owner: {PUBLIC_OWNER['name']}" in page.locator(".kb-meta").inner_text()
    block = page.locator(".admonition.internal")
    assert block.is_visible() and INTERNAL_MARKERS["block"] in block.inner_text()
    assert "overdue" in page.locator(".kb-stale").inner_text()
    page.goto(sites["internal"] + "health/")
    assert page.locator("img[src$='reviews-due.svg']").evaluate("img => img.complete && img.naturalWidth > 0")


def test_public_404_page_leads_home_in_each_language(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["public"] + "404.html")  # what a host serves for a missing address
    assert page.get_attribute("html", "lang") == "en"
    page.hover(".md-header__option .md-select")
    page.click("a.md-select__link[hreflang='id']")
    page.wait_for_url(sites["public"] + "id/")
    assert page.get_attribute("html", "lang") == "id"


def test_an_indonesian_reader_sees_indonesian_section_names_and_english_entries_marked(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["public"] + "id/")
    page.locator(".md-sidebar--primary .md-nav__link", has_text="Pembayaran").first.click()  # the navigation
    page.wait_for_url("**/id/sections/payments/")
    assert page.locator("h1").first.inner_text() == "Pembayaran"
    language_of = "link => link.closest('[lang]').lang"
    assert page.get_by_role("link", name="Card payment declined").evaluate(language_of) == "en"  # a stand-in
    assert page.get_by_role("link", name="Pembayaran QRIS gagal").evaluate(language_of) == "id"


def test_an_indonesian_reader_on_a_dead_link_gets_the_404_page_in_indonesian(page: Any, sites: dict[str, str]) -> None:
    response = page.goto(sites["public"] + "id/payments/no-such-article/")
    assert response.status == 404
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("h1").first.inner_text() == "404 - Halaman tidak ditemukan"
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Cari"
    page.locator("article a").first.click()
    page.wait_for_url(sites["public"] + "id/")
    assert page.get_attribute("html", "lang") == "id"


def test_site_search_lists_articles_not_the_pages_that_list_them(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["public"] + "id/")
    search(page, "qris")
    page.locator(".md-search-result__item > a[href*='/id/payments/qris-payment-failed/']").first.wait_for()
    links = [link.get_attribute("href") for link in page.locator(".md-search-result__item > a").all()]
    assert any("/id/payments/qris-payment-failed/" in link for link in links)
    assert [link for link in links if re.search(r"/(tags|sections|products|types)/", link)] == []


def result_links(page: Any, query: str, expected: str) -> list[str]:
    """The result links of a search, once the one whose address holds `expected` is listed."""
    search(page, query)
    page.locator(f".md-search-result__item > a[href*='{expected}']").first.wait_for()
    return [link.get_attribute("href") for link in page.locator(".md-search-result__item > a").all()]


def test_each_language_searches_its_own_pages(page: Any, sites: dict[str, str]) -> None:
    """kb gives each language folder its own index (mkdocs-static-i18n puts all in one): on /id/ a
    translated article is found in Indonesian only, an untranslated one at its /id/ stand-in."""
    page.goto(sites["public"] + "id/")
    links = result_links(page, "qris", "/id/payments/qris-payment-failed/")
    assert links and all("/id/" in link for link in links), links
    links = result_links(page, "declined", "/id/payments/card-declined/")  # English only: the stand-in
    assert all("/id/" in link for link in links), links
    page.goto(sites["public"] + "payments/qris-payment-failed/")
    links = result_links(page, "qris", "/payments/qris-payment-failed/")
    assert links and not [link for link in links if "/id/" in link], links


def test_instant_navigation_keeps_working_in_a_language_folder(browser: Any, tmp_path: Path) -> None:
    """Material's navigation.instant reads sitemap.xml from the page's base, which kb points at /id/
    for the folder's own search index: the folder has the sitemap too, so links still load in place."""
    import socket

    from conftest import kb_in
    from sitekb import MKDOCS, TODAY, write_site_kb

    with socket.socket() as probe:  # instant navigation needs site_url, port included: serve where it says
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    theme = {**MKDOCS["theme"], "features": [*MKDOCS["theme"]["features"], "navigation.instant"]}
    root = write_site_kb(tmp_path / "kb", site_url=f"http://127.0.0.1:{port}/", theme=theme)
    result = kb_in(root, "build", "--audience", "public", "--today", TODAY)
    assert result.exit_code == 0, result.output
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(root / "site/public")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/id/")
        page.wait_for_load_state("networkidle")  # Material has fetched the sitemap
        page.evaluate("window.kbStillHere = 42")  # gone if the next page loads whole
        page.get_by_role("link", name="Pembayaran QRIS gagal").first.click()
        page.wait_for_url("**/id/payments/qris-payment-failed/")
        page.locator("h1", has_text="Pembayaran QRIS gagal").first.wait_for()  # swapped in after the address
        assert page.evaluate("window.kbStillHere") == 42
    finally:
        context.close()
        server.shutdown()
