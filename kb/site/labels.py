"""Words the sites show, in each interface language we ship (English and Indonesian).

Generated pages and the page banners read their wording from here, so both sites say the same thing.
A language without a table falls back to English.
"""

from __future__ import annotations

from datetime import date

LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}
# A language's name as written in another language: {in_lang: {lang: name}}.
_LANGUAGE_NAMES_IN = {"id": {"en": "bahasa Inggris", "id": "bahasa Indonesia"}}

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "browse": "Browse by topic",
        "recent": "Recently reviewed",
        "stalest": "Stalest articles",
        "more": "More ways to browse",
        "by_type": "Articles by type",
        "by_product": "Articles by product",
        "tags": "Tags",
        "health": "Knowledge health",
        "articles": "articles",
        "article": "article",
        "reviewed_on": "reviewed {date}",
        "last_reviewed": "Last reviewed {date}",
        "never_reviewed": "Never reviewed",
        "next_due": "next review due {date}",
        "type": "Type",
        "owner": "Owner",
        "stale_public": "Last reviewed {days} days ago, may be out of date.",
        "stale_internal": "Last reviewed {days} days ago, may be out of date. {days_overdue} days overdue; owner: {owner}.",
        "stale_unknown": "This article has never been reviewed; it may be out of date.",
        "archived": "Archived, see {link}.",
        "archived_plain": "Archived: this article is no longer maintained.",
        "draft": "Draft: not published yet.",
        "fallback": "This article is not available in {language} yet; you are reading the {source} version.",
        "no_articles": "No articles yet.",
        "other": "Other",
        "product": "Product",
        "internal_only": "Internal",
        "stale_by": "{days} days overdue",
        "fresh_pct": "Fresh",
        "stale": "Stale",
        "due_soon": "Due soon",
        "total": "Articles",
        "by_owner": "By owner",
        "by_type_heading": "By type",
        "due_per_month": "Reviews falling due per month (next six months)",
        "unowned": "(no owner)",
        "untyped": "(no type)",
        "health_intro": "On {date}: {pct}% of {total} published articles are fresh.",
        "not_found_title": "404 - Not found",
        "not_found": "This page does not exist.",
        "go_home": "Go to the help center home page",
    },
    "id": {
        "browse": "Jelajahi topik",
        "recent": "Terakhir ditinjau",
        "stalest": "Artikel paling usang",
        "more": "Cara lain menjelajah",
        "by_type": "Artikel menurut jenis",
        "by_product": "Artikel menurut produk",
        "tags": "Tag",
        "health": "Kesehatan pengetahuan",
        "articles": "artikel",
        "article": "artikel",
        "reviewed_on": "ditinjau {date}",
        "last_reviewed": "Terakhir ditinjau {date}",
        "never_reviewed": "Belum pernah ditinjau",
        "next_due": "tinjauan berikutnya {date}",
        "type": "Jenis",
        "owner": "Pemilik",
        "stale_public": "Terakhir ditinjau {days} hari yang lalu, mungkin sudah tidak akurat.",
        "stale_internal": "Terakhir ditinjau {days} hari yang lalu, mungkin sudah tidak akurat. Terlambat {days_overdue} hari; pemilik: {owner}.",
        "stale_unknown": "Artikel ini belum pernah ditinjau; isinya mungkin sudah tidak akurat.",
        "archived": "Diarsipkan, lihat {link}.",
        "archived_plain": "Diarsipkan: artikel ini tidak lagi diperbarui.",
        "draft": "Draf: belum diterbitkan.",
        "fallback": "Artikel ini belum tersedia dalam {language}; Anda membaca versi {source}.",
        "no_articles": "Belum ada artikel.",
        "other": "Lainnya",
        "product": "Produk",
        "internal_only": "Internal",
        "stale_by": "terlambat {days} hari",
        "fresh_pct": "Segar",
        "stale": "Usang",
        "due_soon": "Segera jatuh tempo",
        "total": "Artikel",
        "by_owner": "Menurut pemilik",
        "by_type_heading": "Menurut jenis",
        "due_per_month": "Tinjauan jatuh tempo per bulan (enam bulan ke depan)",
        "unowned": "(tanpa pemilik)",
        "untyped": "(tanpa jenis)",
        "health_intro": "Per {date}: {pct}% dari {total} artikel terbit masih segar.",
        "not_found_title": "404 - Halaman tidak ditemukan",
        "not_found": "Halaman ini tidak ada.",
        "go_home": "Buka beranda pusat bantuan",
    },
}

_TYPE_NAMES = {
    "en": {"issue": "Issue", "procedure": "Procedure", "best-practice": "Best practice"},
    "id": {"issue": "Masalah", "procedure": "Prosedur", "best-practice": "Praktik terbaik"},
}


def label(key: str, lang: str, **values: object) -> str:
    """The wording of `key` in `lang` (English when there is none), with `{values}` filled in."""
    text = _LABELS.get(lang, {}).get(key) or _LABELS["en"][key]
    return text.format(**values) if values else text


def type_name(type_: str | None, lang: str) -> str:
    if not type_:
        return label("untyped", lang)
    return _TYPE_NAMES.get(lang, {}).get(type_) or _TYPE_NAMES["en"].get(type_) or humanize(type_)


def language_name(lang: str, in_lang: str | None = None) -> str:
    """A language's own name (for the switcher), or its name in `in_lang` (for sentences)."""
    if in_lang and lang in _LANGUAGE_NAMES_IN.get(in_lang, {}):
        return _LANGUAGE_NAMES_IN[in_lang][lang]
    return LANGUAGE_NAMES.get(lang, lang)


def titled(name: str, titles: dict[str, str] | None, lang: str, default_lang: str) -> str:
    """A folder's or product's title in `lang` from `titles:` ({lang: title}, "" for every language):
    that language's, else the one for every language, else the default language's, else the name humanized."""
    found = titles or {}
    return found.get(lang) or found.get("") or found.get(default_lang) or humanize(name)


def humanize(name: str) -> str:
    """`e-wallet` -> `E-wallet`, `support-team` -> `Support team`."""
    words = name.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or name
    return text[:1].upper() + text[1:]


def day(value: date | None) -> str:
    return value.isoformat() if value else "—"
