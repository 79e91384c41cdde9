"""`kb build` (both sites) against a plain mkdocs-material build of the same pages, in one run.

    python bench/site_bench.py                       # 1,000 and 5,000 article files
    python bench/site_bench.py --sizes 1000 --browser

For each size it generates (or reuses) a seeded corpus under bench/out/site-corpus-<n>/
(bench/generate.py: ~20% Indonesian translations, ~70% public) and measures, per site:

- kb: staging (choosing, stripping, generated index pages), the MkDocs build with the kb plugin and
  theme override, and (public site) the leak check;
- floor: the same staged pages (articles, translation fallbacks and index pages) built by plain
  mkdocs-material with the same short navigation, search and mkdocs-static-i18n, without the kb
  plugin or override: what any MkDocs build of this content with two languages costs.

Our overhead is (kb total - floor) / floor over both sites; the goal is at most 15%. It is measured
twice: one site after the other (per-site figures above, each MkDocs build on one core), and as
`kb build` runs on two or more cores, both MkDocs builds at once in two processes (load, staging,
builds, leak check: wall time) against both floor builds at once in two processes.
Also printed: output size, the public search index's size, and with --browser the time the first
search takes in Debian's Chromium on the public site (typing to results shown).
Figures go to stdout and bench/out/site-<n>.json.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import logging
import os
import shutil
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
TODAY = date(2026, 11, 15)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mkdocs_build(config_file: Path) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started = time.perf_counter()
    build(load_config(config_file=str(config_file)))
    return time.perf_counter() - started


def floor_config(generated: Path, docs: Path, site: Path) -> Path:
    """The generated kb config turned plain: no kb plugin, no INHERIT (its theme and extensions inlined)."""
    ours = yaml.safe_load(generated.read_text())
    parent = yaml.safe_load(Path(ours["INHERIT"]).read_text())
    plugins = [p for p in ours["plugins"] if not (isinstance(p, dict) and "kb" in p)]
    document = {"site_name": parent["site_name"], "theme": {**parent["theme"], "font": False},
                "markdown_extensions": parent["markdown_extensions"], "docs_dir": str(docs),
                "site_dir": str(site), "nav": ours["nav"], "plugins": plugins}
    path = generated.parent.parent / f"floor-{generated.parent.name}.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def bench_size(n: int, browser: bool) -> dict[str, Any]:
    from bench.generate import generate
    from kb.config import load_config
    from kb.site import leaks
    from kb.site.build import build_sites, load_kb, prepare

    corpus = OUT / f"site-corpus-{n}"
    if not (corpus / "mkdocs.yml").exists():
        generate(corpus, n, seed=1)
    config = load_config(corpus / "mkdocs.yml")
    started = time.perf_counter()
    kb = load_kb(config)
    load_s = time.perf_counter() - started
    figures: dict[str, Any] = {"articles": n, "load_s": load_s, "sites": {}, "loadavg_start": os.getloadavg()}
    floor_configs: list[Path] = []
    for audience in ("public", "internal"):
        started = time.perf_counter()
        prepared = prepare(kb, audience, TODAY)
        stage_s = time.perf_counter() - started
        # The floor builds a copy of the same staged pages, first, so both see the same disk cache state.
        floor_docs = corpus / ".kb" / f"floor-docs-{audience}"
        shutil.rmtree(floor_docs, ignore_errors=True)
        shutil.copytree(prepared.config_file.parent / "docs", floor_docs)
        floor_site = corpus / "site" / f"floor-{audience}"
        floor_configs.append(floor_config(prepared.config_file, floor_docs, floor_site))
        floor_s = mkdocs_build(floor_configs[-1])
        build_s = mkdocs_build(prepared.config_file)
        leak_s = 0.0
        found = []
        if audience == "public":
            started = time.perf_counter()
            found = leaks.check_site(prepared.site_dir, leaks.needles_for(kb, prepared.stage))
            leak_s = time.perf_counter() - started
        site = prepared.site_dir
        figures["sites"][audience] = {
            "pages": sum(1 for _ in site.rglob("*.html")),
            "stage_s": stage_s, "mkdocs_s": build_s, "leak_check_s": leak_s, "floor_s": floor_s,
            "kb_total_s": stage_s + build_s + leak_s, "leaks": len(found),
            "output_mb": folder_size(site) / 1e6, "floor_output_mb": folder_size(floor_site) / 1e6,
            "search_index_mb": sum(p.stat().st_size for p in site.rglob("search_index.json")) / 1e6,
        }
    sites = figures["sites"].values()
    kb_total = load_s + sum(s["kb_total_s"] for s in sites)
    floor_total = sum(s["floor_s"] for s in sites)
    figures.update(kb_total_s=kb_total, floor_total_s=floor_total, overhead=(kb_total - floor_total) / floor_total)
    # Both sites at once, as `kb build` runs them on 2+ cores; the floor the same way (two processes).
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        pool.map(mkdocs_build, floor_configs)
        floor_parallel = time.perf_counter() - started
    started = time.perf_counter()
    results = build_sites(load_kb(config), ("public", "internal"), TODAY, parallel=True)
    kb_parallel = time.perf_counter() - started
    figures["parallel"] = {"kb_s": kb_parallel, "floor_s": floor_parallel,
                           "overhead": (kb_parallel - floor_parallel) / floor_parallel,
                           "leaks": sum(len(result.leaks) for result in results)}
    figures["loadavg_end"] = os.getloadavg()  # other benchmarks on the same cores make every figure noisy
    if browser:
        figures["first_search_s"] = first_search(config.path(config.site.public_dir))
    return figures


def first_search(site: Path, query: str = "printer") -> float | None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            box = page.locator("input.md-search__input")
            box.click()
            started = time.perf_counter()
            box.press_sequentially(query, delay=20)
            page.wait_for_function("() => { const m = document.querySelector('.md-search-result__meta');"
                                   " return m && /match/i.test(m.textContent); }", timeout=120000)
            elapsed = time.perf_counter() - started
            browser.close()
            return elapsed
    finally:
        server.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--browser", action="store_true", help="time the first search in Chromium (smallest size)")
    args = parser.parse_args(argv)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for index, n in enumerate(args.sizes):
        figures = bench_size(n, args.browser and index == 0)
        (OUT / f"site-{n}.json").write_text(json.dumps(figures, indent=2))
        rows.append(figures)
        print(f"\n{n} article files (kb load {figures['load_s']:.1f} s; load average at start "
              f"{figures['loadavg_start'][0]:.2f}, at end {figures['loadavg_end'][0]:.2f})")
        print(f"  {'site':9} {'pages':>6} {'stage':>7} {'mkdocs':>8} {'leaks':>7} {'kb':>8} {'floor':>8} {'output':>9} {'floor out':>9} {'search idx':>10}")
        for audience, s in figures["sites"].items():
            print(f"  {audience:9} {s['pages']:>6} {s['stage_s']:>6.1f}s {s['mkdocs_s']:>7.1f}s {s['leak_check_s']:>6.1f}s "
                  f"{s['kb_total_s']:>7.1f}s {s['floor_s']:>7.1f}s {s['output_mb']:>7.0f}MB {s['floor_output_mb']:>7.0f}MB "
                  f"{s['search_index_mb']:>8.1f}MB")
        print(f"  both sites: kb {figures['kb_total_s']:.1f} s, floor {figures['floor_total_s']:.1f} s, "
              f"overhead {figures['overhead']:+.1%} (one site after the other; goal: at most +15%)")
        both = figures["parallel"]
        print(f"  both sites at once (2 processes): kb build {both['kb_s']:.1f} s, floor {both['floor_s']:.1f} s, "
              f"overhead {both['overhead']:+.1%}")
        if figures.get("first_search_s") is not None:
            print(f"  first search in Chromium on the public site: {figures['first_search_s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
