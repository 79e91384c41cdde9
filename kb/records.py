"""Articles as records: tuples of plain values that `marshal` can write.

The parse cache and the forked parse worker's replies carry records, not pickled Articles:
pickling 10,000 Articles took 0.25 s and unpickling 0.21 s, where records take 0.07 s and 0.05 s
to marshal and unmarshal plus 0.04 s to build (bench/lint_bench.py). Bodies are never part of a
record: lint works from the scan, and the cache stays small.
"""

from __future__ import annotations

import marshal
from datetime import date
from pathlib import Path
from typing import Any

from kb.articles import Article
from kb.docfx import Mark
from kb.durations import Duration
from kb.frontmatter import Problem
from kb.internal_blocks import Block
from kb.markdown import Heading, Link, Scan

Record = tuple
FORMAT = 9  # part of the cache's name: a record of another shape (or scan) is never read


def to_record(article: Article) -> Record:
    """The article without its body as plain values (see `dumps` for front matter that is not)."""
    scan = article.scan
    return (
        article.rel, article.id, article.lang, article.title, article.type, article.owner,
        article.reviewed.toordinal() if article.reviewed else 0,
        (article.review_every.count, article.review_every.unit) if article.review_every else None,
        article.audience, article.status, article.superseded_by, article.tags, article.product,
        article.summary, article.related, article.ignore, article.meta, article.key_lines, article.body_line,
        None if scan is None else (
            tuple(map(tuple, scan.headings)), tuple(map(tuple, scan.links)),
            tuple((block.start, block.end, block.text) for block in scan.internal_blocks),
            scan.ordered_list_sections, scan.unsafe_html, scan.has_text, scan.internal_html,
            tuple(map(tuple, scan.docfx)),
        ),
        tuple((p.rule, p.line, p.column, p.message) for p in article.problems),
        article.readable,
    )


def dumps(value: Any) -> bytes:
    """`marshal.dumps(value)` for records, a list of them or a dict of (stamp, record) entries.

    A front-matter value marshal cannot write (an explicit `!!timestamp` tag gives a date)
    makes that record None in a list and drops its entry from a dict: the article is parsed again.
    """
    try:
        return marshal.dumps(value)
    except ValueError:
        if isinstance(value, dict):
            return marshal.dumps({key: entry for key, entry in value.items() if _writable(entry)})
        if isinstance(value, list):
            return marshal.dumps([record if _writable(record) else None for record in value])
        raise


def _writable(value: Any) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


def from_record(path: Path, record: Record) -> Article:
    """The Article a record was made from (with an empty body)."""
    (rel, article_id, lang, title, kind, owner, reviewed, every, audience, status, superseded_by, tags,
     product, summary, related, ignore, meta, key_lines, body_line, scan, problems, readable) = record
    return Article(
        path=path, rel=rel, id=article_id, lang=lang, title=title, type=kind, owner=owner,
        reviewed=date.fromordinal(reviewed) if reviewed else None,
        review_every=Duration(*every) if every else None,
        audience=audience, status=status, superseded_by=superseded_by, tags=tags, product=product,
        summary=summary, related=related, ignore=ignore, meta=meta, key_lines=key_lines, body_line=body_line,
        scan=None if scan is None else Scan(
            tuple(map(Heading._make, scan[0])), tuple(map(Link._make, scan[1])),
            tuple(Block(*block) for block in scan[2]), scan[3], scan[4], scan[5], scan[6],
            tuple(map(Mark._make, scan[7])),
        ),
        problems=[Problem(*problem) for problem in problems],
        readable=readable,
    )
