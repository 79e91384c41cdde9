"""`kb serve`: a real preview server on a free port, serving the public site, restaging an edit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sitekb import INTERNAL_MARKERS, TODAY, write_site_kb


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _page_with(url: str, text: str, server: subprocess.Popen[str], patience: float = 90.0) -> str:
    """The page at `url` once it holds `text`; fails if the server exits or `patience` runs out
    (a bound on waiting for a real server, not a speed goal)."""
    deadline = time.monotonic() + patience
    last = ""
    while time.monotonic() < deadline:
        assert server.poll() is None, f"kb serve exited with {server.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8", "replace")
            if text in last:
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}; last page: {last[:300]!r}")


@pytest.mark.xdist_group("serve")
def test_serve_previews_the_public_site_and_restages_an_edit(tmp_path: Path) -> None:
    root = write_site_kb(tmp_path / "kb")
    port = _free_port()
    env = {**os.environ, "KB_TODAY": TODAY}
    server = subprocess.Popen([sys.executable, "-c", "from kb.cli import main; main()", "serve", "--audience", "public",
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = _page_with(f"http://127.0.0.1:{port}/payments/qris-payment-failed/", "QRIS payment fails", server)
        assert INTERNAL_MARKERS["block"].lower() not in page.lower()  # the public preview strips internal blocks
        article = root / "content" / "payments" / "qris-payment-failed.md"
        article.write_text(article.read_text(encoding="utf-8").replace("title: QRIS payment fails",
                                                                     "title: QRIS payment fails again"), encoding="utf-8")
        _page_with(f"http://127.0.0.1:{port}/payments/qris-payment-failed/", "QRIS payment fails again", server)
    finally:
        server.terminate()
        try:
            output = server.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0]
    # Without -v only kb's own line and MkDocs's warnings: no progress, no list of pages "not in the nav".
    assert f"Serving the public site on http://127.0.0.1:{port}/" in output
    assert "mkdocs: Building documentation" not in output and "not included in the" not in output
