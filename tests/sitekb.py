"""A small knowledge base for the site tests, with unique marker words planted in everything internal.

Every marker is a made-up word that occurs nowhere else, so finding it in an output file proves a leak.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import yaml

from conftest import write_kb

TODAY = "2025-06-15"
# Internal things, each a unique word: none may appear anywhere in the public site.
INTERNAL_MARKERS = {
    "title": "Quokkatitle",
    "body": "Zebrabodytext",
    "block": "Lynxblockword",
    "owner_name": "Ottoline Pangolinowner",
    "owner_email": "ottoline.pangolin@internal.example",
    "image": "Ibisimagebytes",
    "draft": "Draftmarkerwombat",
    "summary": "Summarymarkerkoala",
    "folder_title": "Tapirfoldertitle",  # the title of a folder holding only internal articles
}
PUBLIC_OWNER = {"name": "Pradipta Publicowner", "email": "pradipta@owners.example"}


def png_with_text(text: str) -> bytes:
    """A valid 1x1 PNG whose tEXt chunk carries `text` (an image with a marker inside)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"tEXt", b"Comment\x00" + text.encode())
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def _article(body: str, **meta: Any) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" + body


def site_files() -> dict[str, str | bytes]:
    m = INTERNAL_MARKERS
    return {
        "payments/qris-payment-failed.md": _article(
            "## Symptoms\n\nThe till shows Transaksi gagal after the customer scans the QRIS code.\n\n"
            "## Cause\n\nThe acquirer timed out. Agents follow the [escalation guide](../support-team/escalation.md).\n\n"
            "![Where to tap](../assets/qris-screen.svg)\n\n"
            "## Resolution\n\n1. Tap Cek status and wait one minute.\n2. Ask the customer to scan again.\n\n"
            f'!!! internal "For agents"\n    Look the payment up in the {m["block"]} console before you escalate the case.\n',
            title="QRIS payment fails", type="issue", owner="pradipta", reviewed="2024-11-01", audience="public",
            product="payments", tags=["qris", "payments"], summary="The QRIS payment fails or times out."),
        "payments/qris-payment-failed.id.md": _article(
            "## Gejala\n\nKasir menampilkan Transaksi gagal setelah pelanggan memindai kode QRIS.\n\n"
            "## Penyebab\n\nAcquirer kehabisan waktu.\n\n## Solusi\n\n1. Ketuk Cek status.\n",
            title="Pembayaran QRIS gagal", type="issue", owner="pradipta", reviewed="2025-05-20", audience="public",
            product="payments", tags=["qris"]),
        "payments/card-declined.md": _article(
            "## Symptoms\n\nThe card reader beeps twice and shows Ditolak.\n\n## Cause\n\nThe bank declined it.\n\n"
            "## Resolution\n\n1. Ask for another card.\n2. Check the [card limits](#card-limits) and the "
            "[terminal status](/status/terminals/).\n",  # planted broken links: KB202 and KB209 report them
            title="Card payment declined", type="issue", owner="pradipta", reviewed="2025-06-01", audience="public",
            product="payments", tags=["card"]),
        "payments/pembayaran-ganda.id.md": _article(
            "## Gejala\n\nPelanggan terdebit dua kali.\n\n## Penyebab\n\nJaringan.\n\n## Solusi\n\n1. Tunggu satu hari.\n",
            title="Pelanggan terdebit dua kali", type="issue", owner="pradipta", reviewed="2025-06-01",
            audience="public", product="payments"),
        "payments/new-refund-flow.md": _article(
            f"## Steps\n\n1. The {m['draft']} flow is not live yet.\n",
            title="New refund flow", type="procedure", owner="pradipta", reviewed="2025-06-01", audience="public",
            status="draft"),
        "support-team/escalation.md": _article(
            f"## Steps\n\n1. Call the {m['body']} hotline and give the duty manager the merchant id and the amount.\n"
            "2. Tell the merchant how to [retry the payment](../payments/qris-payment-failed.md#resolution).\n\n"
            "![Escalation chart](../assets/escalation-chart.png)\n",
            title=f"Escalation guide {m['title']}", type="procedure", owner="ottoline", reviewed="2025-06-01",
            audience="internal", summary=f"Who to call, the {m['summary']} way."),
        "support-team/old-escalation.md": _article(
            "## Steps\n\n1. Send an e-mail to the old queue and wait for an answer.\n",
            title="Old escalation by e-mail", type="procedure", owner="ottoline", reviewed="2024-01-01",
            audience="internal", status="archived", superseded_by="support-team/escalation"),
        "assets/qris-screen.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n',
        "assets/escalation-chart.png": png_with_text(m["image"]),
    }


def kb_section() -> dict[str, Any]:
    m = INTERNAL_MARKERS
    return {
        "languages": ["en", "id"],
        "owners": {
            "ottoline": {"name": m["owner_name"], "email": m["owner_email"]},
            "pradipta": PUBLIC_OWNER,
        },
        "section_names": {"id": {"Symptoms": "Gejala", "Cause": "Penyebab", "Resolution": "Solusi"}},
        "search": {"synonyms": [["qris", "qr"]]},
        "titles": {"folders": {"payments": {"id": "Pembayaran"}, "support-team": f"Team {m['folder_title']}"},
                   "products": {"payments": "Kasira Pay"}},
    }


MKDOCS = {
    "theme": {"name": "material", "font": False, "language": "en", "features": ["search.suggest", "search.highlight"]},
    "markdown_extensions": ["admonition", "attr_list", "md_in_html", "pymdownx.details", "pymdownx.superfences"],
}


def write_site_kb(root: Path, **extra: Any) -> Path:
    """Write the sample KB at `root`; `extra` adds or replaces top-level mkdocs.yml keys."""
    files = site_files()
    root = write_kb(root, files, kb_section(), **{**MKDOCS, **extra})
    # write_kb lists only the kb plugin; the sites need search too (as a real mkdocs.yml would).
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"] = ["search", *config["plugins"]]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root
