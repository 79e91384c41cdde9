"""The query log: one JSON line per search in `.kb/queries.jsonl` (`search.query_log: false` turns it off).

Each line is appended with one write() on a file opened with O_APPEND, so concurrent searches do
not interleave lines. A log that cannot be written never fails a search.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from kb.config import Config

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoggedQuery:
    time: str
    query: str
    filters: dict[str, Any]
    hits: int


def log_path(config: Config) -> Path:
    return config.path(config.search.query_log_file)


def append(config: Config, query: str, filters: dict[str, Any], hits: int) -> None:
    record = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "query": query,
              "filters": filters, "hits": hits}
    path = log_path(config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as error:
        log.warning("%s: cannot write the query log: %s", path, error.strerror)


def read(path: Path) -> Iterator[LoggedQuery]:
    """Records of a query log; damaged lines (a crash mid-line) are skipped."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return
    with handle:
        for line in handle:
            try:
                data = json.loads(line)
                yield LoggedQuery(str(data["time"]), str(data["query"]), dict(data.get("filters") or {}),
                                  int(data.get("hits", 0)))
            except (ValueError, KeyError, TypeError):
                continue
