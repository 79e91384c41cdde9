"""Findings about articles, as returned by lint and shown by every output format."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """Ordered so that `severity >= fail_on` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> "Severity":
        return cls[value.upper()]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding at `path:line:column` (1-based; column 1 when only the line is known)."""

    path: str  # as shown to the user: relative to the working directory when possible
    line: int
    column: int
    code: str  # "KB201"
    name: str  # "stale-article"
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"
