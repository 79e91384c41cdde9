"""A seeded generator of realistic support articles, shared by the lint, search and site benchmarks.

    python bench/generate.py OUT_DIR --articles 10000 --seed 1

writes OUT_DIR/mkdocs.yml (docs_dir: content, a `kb` section with languages en + id, a roster, the
types) and OUT_DIR/content/<area>/<slug>.md: English articles plus ~20% Indonesian translations
(`<slug>.id.md`), 300-1500 words each, with front matter, the headings each type needs, numbered
steps, internal links (some to anchors) and `!!! internal` blocks in some public articles.
`--articles` counts every file, translations included. The same seed gives the same bytes.

Review dates spread over the 18 months before `--today` (default 2026-11-15, fixed so that
the corpus does not change with the calendar): with 6-month intervals about two thirds are stale.
A few realistic mistakes are sprinkled in (an owner who left, a broken link, an outdated
translation), so lint has something to report.

Also importable: `from bench.generate import generate; generate(out_dir, 10000, seed=1)`.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

DEFAULT_TODAY = date(2026, 11, 15)
TRANSLATED_SHARE = 0.2  # share of all files that are Indonesian translations

OWNERS = {
    "dewi": "Dewi Lestari", "rizky": "Rizky Pratama", "sari": "Sari Nugroho", "budi": "Budi Santoso",
    "maya": "Maya Chen", "agus": "Agus Wibowo", "putri": "Putri Handayani", "joko": "Joko Susilo",
    "nina": "Nina Kartika", "fajar": "Fajar Ramadhan", "payments-pod": "Payments support pod",
    "devices-pod": "Devices support pod",
}
FORMER_OWNERS = ("hendra", "lina.w")  # left the team: a few articles still name them

# (folder, product, share of public articles in it); support-team and leadership are internal.
AREAS = (
    ("account", "dashboard", 0.8), ("payments", "pay", 0.8), ("receipts", "pos", 0.8),
    ("devices", "pos", 0.8), ("data", "dashboard", 0.75), ("invoices", "invoice", 0.8),
    ("inventory", "pos", 0.75), ("integrations", "dashboard", 0.7),
    ("support-team", "pos", 0.0), ("leadership", "dashboard", 0.0),
)
AREA_WEIGHTS = (12, 14, 10, 13, 10, 10, 9, 8, 9, 5)

# Subjects of article titles per area: (English, Indonesian).
SUBJECTS = {
    "account": [("Sign-in", "Masuk akun"), ("Two-factor code", "Kode verifikasi dua langkah"), ("Password reset", "Reset kata sandi"),
                ("Staff account", "Akun staf"), ("Owner account", "Akun pemilik"), ("OTP SMS", "SMS OTP"), ("Account email", "Email akun"),
                ("Outlet access", "Akses outlet"), ("PIN login", "Login PIN"), ("Session", "Sesi login")],
    "payments": [("QRIS payment", "Pembayaran QRIS"), ("Card payment", "Pembayaran kartu"), ("Refund", "Pengembalian dana"),
                 ("Settlement", "Settlement"), ("E-wallet payment", "Pembayaran e-wallet"), ("EDC terminal", "Terminal EDC"),
                 ("Split bill", "Pisah tagihan"), ("Payment link", "Tautan pembayaran"), ("Chargeback", "Chargeback"), ("Cash drawer total", "Total laci kas")],
    "receipts": [("Receipt printing", "Pencetakan struk"), ("Email receipt", "Struk email"), ("Receipt logo", "Logo struk"),
                 ("Receipt footer", "Footer struk"), ("Tax line on receipt", "Baris pajak di struk"), ("Reprinted receipt", "Cetak ulang struk"),
                 ("Digital receipt", "Struk digital"), ("Kitchen ticket", "Tiket dapur")],
    "devices": [("Bluetooth printer", "Printer Bluetooth"), ("USB printer", "Printer USB"), ("Barcode scanner", "Pemindai barcode"),
                ("Cash drawer", "Laci kas"), ("Android tablet", "Tablet Android"), ("iPad", "iPad"), ("Customer display", "Layar pelanggan"),
                ("Label printer", "Printer label"), ("Card reader", "Pembaca kartu"), ("Kitchen printer", "Printer dapur")],
    "data": [("Sync", "Sinkronisasi"), ("CSV export", "Ekspor CSV"), ("Sales report", "Laporan penjualan"), ("Offline mode", "Mode offline"),
             ("Backup", "Cadangan data"), ("Data import", "Impor data"), ("Daily summary", "Ringkasan harian"), ("Transaction history", "Riwayat transaksi")],
    "invoices": [("Invoice", "Faktur"), ("Invoice reminder", "Pengingat faktur"), ("Tax invoice", "Faktur pajak"), ("Credit note", "Nota kredit"),
                 ("Recurring invoice", "Faktur berulang"), ("Invoice PDF", "PDF faktur"), ("Partial payment", "Pembayaran sebagian"), ("Invoice numbering", "Penomoran faktur")],
    "inventory": [("Stock count", "Hitung stok"), ("Product variant", "Varian produk"), ("Low-stock alert", "Peringatan stok menipis"),
                  ("Purchase order", "Pesanan pembelian"), ("Stock transfer", "Transfer stok"), ("Barcode label", "Label barcode"), ("Product import", "Impor produk")],
    "integrations": [("Marketplace sync", "Sinkronisasi marketplace"), ("Accounting export", "Ekspor akuntansi"), ("Webhook", "Webhook"),
                     ("API key", "Kunci API"), ("Online store", "Toko online"), ("Delivery app orders", "Pesanan aplikasi pesan-antar")],
    "support-team": [("Escalation", "Eskalasi"), ("Ticket triage", "Triase tiket"), ("Refund approval", "Persetujuan refund"),
                     ("Merchant verification", "Verifikasi merchant"), ("On-call handover", "Serah terima on-call"), ("Macro", "Makro balasan"),
                     ("Outage communication", "Komunikasi gangguan"), ("Fraud check", "Pemeriksaan fraud")],
    "leadership": [("Quarterly review", "Tinjauan kuartalan"), ("Staffing plan", "Rencana staf"), ("CSAT target", "Target CSAT"),
                   ("Incident postmortem", "Postmortem insiden"), ("Support budget", "Anggaran dukungan"), ("Vendor contract", "Kontrak vendor")],
}
ISSUE_PROBLEMS = [("fails", "gagal"), ("is stuck on pending", "tertahan di status pending"), ("shows error 500", "menampilkan error 500"),
                  ("is not found", "tidak ditemukan"), ("keeps disconnecting", "terus terputus"), ("is duplicated", "tercatat ganda"),
                  ("shows the wrong total", "menampilkan total yang salah"), ("is slow", "lambat"), ("is missing", "tidak muncul"),
                  ("times out", "kehabisan waktu"), ("is rejected", "ditolak"), ("prints garbled characters", "mencetak karakter acak")]
PROCEDURE_ACTIONS = [("Set up", "Mengatur"), ("Change", "Mengubah"), ("Turn on", "Mengaktifkan"), ("Turn off", "Menonaktifkan"),
                     ("Connect", "Menghubungkan"), ("Export", "Mengekspor"), ("Reset", "Mereset"), ("Move", "Memindahkan"), ("Review", "Meninjau")]
BEST_PRACTICE = [("Good practice for", "Praktik terbaik untuk"), ("Keeping", "Menjaga"), ("Checklist for", "Daftar periksa untuk"),
                 ("Tips for", "Tips untuk")]
QUALIFIERS = [("", ""), ("", ""), (" on Android", " di Android"), (" on iPad", " di iPad"), (" after an app update", " setelah pembaruan aplikasi"),
              (" for multi-outlet stores", " untuk toko multi-outlet"), (" in offline mode", " dalam mode offline"),
              (" at the end of the day", " di akhir hari"), (" for new merchants", " untuk merchant baru"), (" on the web dashboard", " di dasbor web")]

EN_SECTIONS = {"issue": ("Symptoms", "Cause", "Resolution"), "procedure": ("Steps",)}
ID_SECTIONS = {"Symptoms": "Gejala", "Cause": "Penyebab", "Resolution": "Solusi", "Steps": "Langkah-langkah"}

EN_WORDS = {
    "thing": ["the receipt", "the QRIS code", "the printer", "the refund", "the invoice", "the sync", "the export", "the payment",
              "the settlement report", "the cash drawer", "the sign-in page", "the OTP code", "the product list", "the stock count",
              "the tax setting", "the outlet", "the staff PIN", "the card reader", "the CSV file", "the daily summary"],
    "screen": ["Settings", "Payments", "Receipts", "Devices", "Reports", "Outlets", "Staff", "Inventory", "Invoices", "Integrations"],
    "platform": ["Android", "iPad", "the web dashboard", "Windows", "the Kasira POS app", "the EDC terminal"],
    "who": ["the merchant", "the cashier", "the store owner", "the customer", "the agent", "the outlet manager"],
    "error": ["error 500", "error 403", "code 05", "code 51", "'Connection timed out'", "'Printer not found'", "'Invalid OTP'",
              "'Sync failed'", "'Payment pending'", "'Session expired'"],
    "time": ["a few minutes", "up to 24 hours", "two business days", "the next settlement cycle", "one hour", "the end of the day"],
}
EN_SENTENCES = [
    "When {who} opens {screen}, {thing} does not load and {platform} shows {error}.",
    "{Who} reports that {thing} worked yesterday but fails today on {platform}.",
    "This usually happens after {who} changes {thing} in {screen} while another device is offline.",
    "Ask {who} which version of the Kasira POS app is installed and whether {platform} is up to date.",
    "The most common cause is a weak connection between {platform} and our servers.",
    "If {thing} still fails after {time}, collect the outlet ID and the time of the last attempt.",
    "Refunds and settlements follow the acquirer's schedule, so {thing} may take {time} to appear.",
    "Open {screen}, check {thing}, and compare it with the totals on the daily summary.",
    "Do not ask {who} for a full card number or the OTP code; the last four digits are enough.",
    "Printers that sleep after idle time lose the Bluetooth pairing and need to be paired again.",
    "Invoices keep their number once they are sent, so a correction is made with a credit note.",
    "Sync runs every few minutes; a red cloud icon in {screen} means changes are waiting to upload.",
    "{Who} can export the data as a CSV file from {screen} and open it in a spreadsheet.",
    "Most sign-in problems come from an expired session or a phone clock that is set by hand.",
    "The payment shows as pending until the bank confirms it, which normally takes {time}.",
    "Check that {thing} belongs to the right outlet before changing anything else.",
    "A restart of {platform} clears most temporary problems with {thing}.",
    "Tax lines on the receipt follow the tax setting of the outlet, not of the product.",
    "Stock counts are saved per outlet, so a transfer must be received before the stock changes.",
    "Write down the exact message, for example {error}, because it tells us where the problem is.",
    "If several merchants report {error} at the same time, check the status page before troubleshooting.",
    "Customers see the refund on their statement only after their bank processes it.",
    "{Who} should keep the app open until the green tick appears in {screen}.",
    "Older Android tablets may block Bluetooth in the background to save battery.",
    "The dashboard keeps the history of {thing} for 13 months; older data is in the archive export.",
    "Changes made in {screen} reach every device of the outlet at the next sync.",
    "Make sure {who} is signed in with the owner account, because staff accounts cannot change {thing}.",
    "When in doubt, reproduce the problem on a test outlet before asking {who} to change settings.",
]
EN_STEPS = [
    "Open **{screen}** in the Kasira POS app.", "Tap **{thing_cap}** and check the status.", "Select the outlet from the list.",
    "Tap **Save** and wait for the green tick.", "Restart {platform} and sign in again.", "Turn Bluetooth off and on again.",
    "Choose **Export** and pick CSV.", "Enter the amount and confirm with the owner PIN.", "Scan the QRIS code with the customer's app.",
    "Check the receipt preview and tap **Print**.", "Go to **Settings > {screen}**.", "Compare the total with the daily summary.",
    "Pair the printer again from the device's Bluetooth settings.", "Send the invoice again from **Invoices**.",
]

ID_WORDS = {
    "thing": ["struk", "kode QRIS", "printer", "pengembalian dana", "faktur", "sinkronisasi", "ekspor data", "pembayaran",
              "laporan settlement", "laci kas", "halaman masuk", "kode OTP", "daftar produk", "hitung stok", "pengaturan pajak",
              "outlet", "PIN staf", "pembaca kartu", "berkas CSV", "ringkasan harian"],
    "screen": ["Pengaturan", "Pembayaran", "Struk", "Perangkat", "Laporan", "Outlet", "Staf", "Inventaris", "Faktur", "Integrasi"],
    "platform": ["Android", "iPad", "dasbor web", "Windows", "aplikasi Kasira POS", "terminal EDC"],
    "who": ["merchant", "kasir", "pemilik toko", "pelanggan", "agen", "manajer outlet"],
    "error": ["error 500", "error 403", "kode 05", "kode 51", "'Koneksi terputus'", "'Printer tidak ditemukan'", "'OTP tidak valid'",
              "'Sinkronisasi gagal'", "'Pembayaran tertunda'", "'Sesi berakhir'"],
    "time": ["beberapa menit", "hingga 24 jam", "dua hari kerja", "siklus settlement berikutnya", "satu jam", "akhir hari"],
}
ID_SENTENCES = [
    "Saat {who} membuka {screen}, {thing} tidak termuat dan {platform} menampilkan {error}.",
    "{Who} melaporkan bahwa {thing} berfungsi kemarin tetapi gagal hari ini di {platform}.",
    "Hal ini biasanya terjadi setelah {who} mengubah {thing} di {screen} ketika perangkat lain sedang offline.",
    "Tanyakan kepada {who} versi aplikasi Kasira POS yang terpasang dan apakah {platform} sudah diperbarui.",
    "Penyebab paling umum adalah koneksi yang lemah antara {platform} dan server kami.",
    "Jika {thing} masih gagal setelah {time}, catat ID outlet dan waktu percobaan terakhir.",
    "Pengembalian dana dan settlement mengikuti jadwal acquirer, jadi {thing} bisa muncul setelah {time}.",
    "Buka {screen}, periksa {thing}, lalu bandingkan dengan total di ringkasan harian.",
    "Jangan meminta nomor kartu lengkap atau kode OTP kepada {who}; empat digit terakhir sudah cukup.",
    "Printer yang tertidur setelah lama tidak dipakai kehilangan pasangan Bluetooth dan perlu dipasangkan ulang.",
    "Nomor faktur tidak berubah setelah dikirim, jadi koreksi dilakukan dengan nota kredit.",
    "Sinkronisasi berjalan setiap beberapa menit; ikon awan merah di {screen} berarti ada perubahan yang menunggu diunggah.",
    "{Who} dapat mengekspor data sebagai berkas CSV dari {screen} dan membukanya di spreadsheet.",
    "Sebagian besar masalah masuk akun berasal dari sesi yang kedaluwarsa atau jam ponsel yang diatur manual.",
    "Pembayaran berstatus tertunda sampai bank mengonfirmasi, biasanya dalam {time}.",
    "Pastikan {thing} terdaftar di outlet yang benar sebelum mengubah hal lain.",
    "Memulai ulang {platform} mengatasi sebagian besar masalah sementara pada {thing}.",
    "Baris pajak di struk mengikuti pengaturan pajak outlet, bukan pengaturan produk.",
    "Hitung stok disimpan per outlet, jadi transfer harus diterima sebelum stok berubah.",
    "Catat pesan yang muncul, misalnya {error}, karena pesan itu menunjukkan letak masalahnya.",
    "Jika beberapa merchant melaporkan {error} pada waktu yang sama, periksa halaman status sebelum menelusuri masalah.",
    "Pelanggan melihat pengembalian dana di rekening koran setelah banknya memprosesnya.",
    "{Who} sebaiknya membiarkan aplikasi terbuka sampai tanda centang hijau muncul di {screen}.",
    "Tablet Android lama dapat memblokir Bluetooth di latar belakang untuk menghemat baterai.",
]
ID_STEPS = [
    "Buka **{screen}** di aplikasi Kasira POS.", "Ketuk **{thing_cap}** dan periksa statusnya.", "Pilih outlet dari daftar.",
    "Ketuk **Simpan** dan tunggu tanda centang hijau.", "Mulai ulang {platform} lalu masuk kembali.", "Matikan Bluetooth lalu nyalakan lagi.",
    "Pilih **Ekspor** lalu pilih CSV.", "Masukkan nominal dan konfirmasi dengan PIN pemilik.", "Pindai kode QRIS dengan aplikasi pelanggan.",
    "Periksa pratinjau struk lalu ketuk **Cetak**.", "Buka **Pengaturan > {screen}**.", "Bandingkan total dengan ringkasan harian.",
]
TEXT = {
    "en": {"words": EN_WORDS, "sentences": EN_SENTENCES, "steps": EN_STEPS, "see": "See", "also": "Related articles",
           "agents": "For agents", "before": "Before you start", "after": "If it still does not work",
           "why": "Why it matters", "how": "What we recommend", "contact": "Contact Kasira Care if"},
    "id": {"words": ID_WORDS, "sentences": ID_SENTENCES, "steps": ID_STEPS, "see": "Lihat", "also": "Artikel terkait",
           "agents": "Untuk agen", "before": "Sebelum memulai", "after": "Jika masih belum berhasil",
           "why": "Mengapa penting", "how": "Rekomendasi kami", "contact": "Hubungi Kasira Care jika"},
}
TAGS = ["qris", "refund", "printer", "bluetooth", "sign-in", "otp", "sync", "export", "invoice", "tax", "receipt", "settlement",
        "offline", "android", "ipad", "stock", "csv", "card", "e-wallet", "staff", "outlet", "escalation", "api", "marketplace"]


@dataclass
class Spec:
    """One source article (English) and what is decided about it before any text is written."""

    index: int
    area: str
    slug: str
    type: str
    public: bool
    title: dict[str, str]
    owner: str
    reviewed: date
    status: str = "published"
    translated: bool = False
    superseded_by: str = ""
    related: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.area}/{self.slug}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _lower(text: str) -> str:
    """Lower-case the first letter unless the word is an acronym (EDC, QRIS, CSV)."""
    return text if text[1:2].isupper() else text[0].lower() + text[1:]


def _pool(rng: random.Random, lang: str, size: int) -> list[tuple[str, int]]:
    """Sentences with their slots filled, and their word counts: articles draw from this pool."""
    words = TEXT[lang]["words"]
    pool = []
    for _ in range(size):
        fill = {key: rng.choice(values) for key, values in words.items()}
        fill["Who"] = fill["who"][0].upper() + fill["who"][1:]
        sentence = rng.choice(TEXT[lang]["sentences"]).format(**fill)
        pool.append((sentence, sentence.count(" ") + 1))
    return pool


def _steps(rng: random.Random, lang: str, size: int) -> list[str]:
    words = TEXT[lang]["words"]
    steps = []
    for _ in range(size):
        fill = {key: rng.choice(values) for key, values in words.items()}
        fill["thing_cap"] = fill["thing"][0].upper() + fill["thing"][1:]
        steps.append(rng.choice(TEXT[lang]["steps"]).format(**fill))
    return steps


def _plan(rng: random.Random, n: int, today: date) -> list[Spec]:
    translations = round(n * TRANSLATED_SHARE)
    sources = n - translations
    areas = rng.choices([area for area, _, _ in AREAS], weights=AREA_WEIGHTS, k=sources)
    public_share = {area: share for area, _, share in AREAS}
    used_slugs: set[str] = set()
    used_titles: set[str] = set()
    specs = []
    owners = list(OWNERS)
    for index, area in enumerate(areas):
        kind = rng.choices(("issue", "procedure", "best-practice"), weights=(50, 35, 15))[0]
        en_subject, id_subject = rng.choice(SUBJECTS[area])
        en_qual, id_qual = rng.choice(QUALIFIERS)
        if kind == "issue":
            en_problem, id_problem = rng.choice(ISSUE_PROBLEMS)
            title = (f"{en_subject} {en_problem}{en_qual}", f"{id_subject} {id_problem}{id_qual}")
        elif kind == "procedure":
            en_action, id_action = rng.choice(PROCEDURE_ACTIONS)
            title = (f"{en_action} {_lower(en_subject)}{en_qual}", f"{id_action} {_lower(id_subject)}{id_qual}")
        else:
            en_lead, id_lead = rng.choice(BEST_PRACTICE)
            title = (f"{en_lead} {_lower(en_subject)}{en_qual}", f"{id_lead} {_lower(id_subject)}{id_qual}")
        version = 0
        while title[0] in used_titles:  # big corpora: tell look-alike articles apart as real teams do
            version += 1
            title = (f"{title[0].split(' (')[0]} (app {4 + version // 10}.{version % 10})", f"{title[1].split(' (')[0]} (aplikasi {4 + version // 10}.{version % 10})")
        used_titles.add(title[0])
        slug = base = _slug(title[0])
        while f"{area}/{slug}" in used_slugs:
            slug = f"{base}-{rng.randint(2, 999)}"
        used_slugs.add(f"{area}/{slug}")
        owner = rng.choice(owners) if rng.random() > 0.01 else rng.choice(FORMER_OWNERS)
        reviewed = today - timedelta(days=rng.randint(0, 548))
        spec = Spec(index, area, slug, kind, rng.random() < public_share[area], {"en": title[0], "id": title[1]}, owner, reviewed)
        roll = rng.random()
        if roll < 0.02:
            spec.status = "draft"
        elif roll < 0.04 and specs:
            spec.status = "archived"
        specs.append(spec)
    published = [spec for spec in specs if spec.status == "published"]
    for spec in specs:
        if spec.status == "archived":
            spec.superseded_by = rng.choice(published).id
    # Translations go to published sources, public ones first, as teams translate what customers read.
    candidates = sorted((s for s in specs if s.status == "published"), key=lambda s: (not s.public, rng.random()))
    for spec in candidates[:translations]:
        spec.translated = True
    return specs


def _link(rng: random.Random, spec: Spec, target: Spec, lang: str, anchor: bool) -> str:
    """A relative Markdown link from `spec` to `target`, maybe to one of its section anchors."""
    path = f"{target.slug}.md" if target.area == spec.area else f"../{target.area}/{target.slug}.md"
    suffix = ""
    if anchor and target.type in EN_SECTIONS:
        section = rng.choice(EN_SECTIONS[target.type])
        target_lang = lang if (lang == "en" or target.translated) else "en"
        heading = ID_SECTIONS[section] if target_lang == "id" else section
        suffix = "#" + heading.lower()
    return f"[{target.title[lang if target.translated else 'en']}]({path}{suffix})"


class _Writer:
    def __init__(self, rng: random.Random, specs: list[Spec]) -> None:
        self.rng = rng
        self.specs = specs
        self.public = [s for s in specs if s.public and s.status == "published"]
        self.internal = [s for s in specs if not s.public and s.status == "published"]
        self.pools = {lang: _pool(rng, lang, 3000) for lang in TEXT}
        self.step_pools = {lang: _steps(rng, lang, 600) for lang in TEXT}

    def target(self, spec: Spec, public_only: bool) -> Spec:
        rng = self.rng
        # Public articles link public ones; internal ones link both.
        choices = self.public if public_only or rng.random() < 0.5 else self.internal or self.public
        same_area = [s for s in choices[max(0, spec.index % len(choices) - 40):][:80] if s.area == spec.area]
        if same_area and rng.random() < 0.6:
            return rng.choice(same_area)
        return rng.choice(choices)

    def paragraph(self, lang: str, links: list[str]) -> tuple[str, int]:
        rng = self.rng
        chosen = rng.choices(self.pools[lang], k=rng.randint(3, 6))
        sentences = [sentence for sentence, _ in chosen]
        words = sum(count for _, count in chosen)
        if links and rng.random() < 0.5:
            sentences.insert(rng.randint(0, len(sentences)), f"{TEXT[lang]['see']} {links.pop()}.")
            words += 6
        return " ".join(sentences), words

    def article(self, spec: Spec, lang: str, today: date) -> str:
        rng = self.rng
        words_wanted = rng.randint(300, 1500)
        text = TEXT[lang]
        n_links = rng.randint(1, 6)
        links = [_link(rng, spec, self.target(spec, spec.public), lang, rng.random() < 0.3) for _ in range(n_links)]
        if rng.random() < 0.01:  # a link to an article that was renamed: lint reports it
            links.append(f"[{spec.title[lang]}](../{spec.area}/{spec.slug}-old.md)")
        reviewed = spec.reviewed
        if lang == "id":
            reviewed = min(today, spec.reviewed + timedelta(days=rng.randint(-10, 60)))
        related = [self.target(spec, spec.public).id for _ in range(rng.randint(0, 3))]
        tags = sorted(set(rng.sample(TAGS, rng.randint(1, 4))))
        summary = rng.choice(self.pools[lang])[0]
        lines = ["---", f"title: \"{spec.title[lang]}\"", f"type: {spec.type}", f"owner: {spec.owner}",
                 f"reviewed: {reviewed.isoformat()}", f"audience: {'public' if spec.public else 'internal'}"]
        if spec.status != "published":
            lines.append(f"status: {spec.status}")
        if spec.superseded_by:
            lines.append(f"superseded_by: {spec.superseded_by}")
        lines += [f"product: {dict((a, p) for a, p, _ in AREAS)[spec.area]}", f"tags: [{', '.join(tags)}]",
                  f"summary: \"{summary}\""]
        if related:
            lines.append(f"related: [{', '.join(dict.fromkeys(related))}]")
        lines += ["---", ""]
        body: list[str] = []
        count = 0
        intro, words = self.paragraph(lang, links)
        body += [intro, ""]
        count += words
        if spec.type == "best-practice":
            headings = [text["why"], text["how"], text["after"]]
        else:
            headings = [ID_SECTIONS[s] if lang == "id" else s for s in EN_SECTIONS[spec.type]]
            if spec.type == "procedure":
                headings = [text["before"], *headings, text["after"]]
            else:
                headings = [*headings, text["contact"]]
        per_section = max(300 // len(headings), (words_wanted - count - 80) // len(headings) - 40)  # a paragraph overshoots by ~40
        for heading in headings:
            body += [f"## {heading}", ""]
            section_words = 0
            if heading in ("Steps", "Langkah-langkah", "Resolution", "Solusi", text["how"]):
                numbered = heading != text["how"]
                steps = rng.sample(self.step_pools[lang], rng.randint(4, 10))
                for number, step in enumerate(steps, 1):
                    body.append(f"{number}. {step}" if numbered else f"- {step}")
                    section_words += step.count(" ") + 2
                body.append("")
            while section_words < per_section:
                paragraph, words = self.paragraph(lang, links)
                body += [paragraph, ""]
                section_words += words
            count += section_words
        if links:
            body += [f"## {text['also']}", ""] + [f"- {link}" for link in links] + [""]
        if spec.public and rng.random() < 0.35:
            note, _ = self.paragraph(lang, [])
            block = [f"!!! internal \"{text['agents']}\"", f"    {note}"]
            if self.internal and rng.random() < 0.5:
                block.append(f"    {text['see']} {_link(rng, spec, rng.choice(self.internal), lang, False)}.")
            at = rng.randrange(len(body) // 2, len(body) + 1)
            while at < len(body) and body[at - 1] != "":
                at += 1
            body[at:at] = [*block, ""]
        return "\n".join(lines + body).rstrip("\n") + "\n"


def mkdocs_yml() -> str:
    owners = "\n".join(f"        {handle}: {{name: {name}, email: {handle}@kasira.example}}" for handle, name in OWNERS.items())
    sections = "\n".join(f"          {en}: {id_}" for en, id_ in ID_SECTIONS.items())
    return f"""site_name: Kasira Help Center (benchmark corpus)
docs_dir: content
theme:
  name: material
  font: false
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.details
  - toc:
      permalink: true
plugins:
  - search
  - kb:
      default_lang: en
      languages: [en, id]
      review_every: 6m
      due_soon: 14d
      types:
        issue:
          sections: [Symptoms, Cause, Resolution]
          review_every: 6m
        procedure:
          sections: [Steps]
          ordered_list_in: Steps
          review_every: 6m
        best-practice:
          review_every: 1y
      section_names:
        id:
{sections}
      owners:
{owners}
      rules:
        missing-translation: ignore
"""


def generate(out_dir: Path | str, n: int = 10_000, seed: int = 1, today: date = DEFAULT_TODAY) -> Path:
    """Write a corpus of `n` article files (translations included) to `out_dir`; returns out_dir.

    Files already there are overwritten; delete the folder first for an exact corpus.
    """
    out = Path(out_dir)
    rng = random.Random(seed)
    specs = _plan(rng, n, today)
    writer = _Writer(rng, specs)
    content = out / "content"
    for area, _, _ in AREAS:
        (content / area).mkdir(parents=True, exist_ok=True)
    (out / "mkdocs.yml").write_text(mkdocs_yml(), encoding="utf-8")
    for spec in specs:
        folder = content / spec.area
        (folder / f"{spec.slug}.md").write_text(writer.article(spec, "en", today), encoding="utf-8")
        if spec.translated:
            (folder / f"{spec.slug}.id.md").write_text(writer.article(spec, "id", today), encoding="utf-8")
    return out


def cached(out_dir: Path, n: int, seed: int = 1, fresh: bool = False) -> Path:
    """`generate` into `out_dir` unless a complete corpus is already there (benchmarks reuse it)."""
    marker = out_dir / ".complete"
    if fresh or not marker.exists():
        shutil.rmtree(out_dir, ignore_errors=True)
        started = time.perf_counter()
        generate(out_dir, n, seed)
        marker.write_text("ok\n")
        print(f"generated {n} articles in {out_dir} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, default=10_000, help="number of article files, translations included")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY, help="review dates spread over the 18 months before it")
    args = parser.parse_args(argv)
    generate(args.out_dir, args.articles, args.seed, args.today)
    print(f"{args.out_dir}: {args.articles} articles (seed {args.seed})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
