"""Review intervals such as `30d`, `12w`, `6m`, `1y`, and the dates they lead to."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$")
_UNIT_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year"}


@dataclass(frozen=True)
class Duration:
    """A count of days, weeks, calendar months or calendar years."""

    count: int
    unit: str  # one of d, w, m, y

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"

    def describe(self) -> str:
        name = _UNIT_NAMES[self.unit]
        return f"{self.count} {name}{'' if self.count == 1 else 's'}"

    def after(self, start: date) -> date:
        """The date this long after `start`; month ends are clamped (Jan 31 + 1m = Feb 28).

        Past the calendar's ends (`reviewed: 9999-12-31`, `review_every: 99999y`) it stops at
        date.max or date.min instead of raising.
        """
        try:
            if self.unit == "d":
                return start + timedelta(days=self.count)
            if self.unit == "w":
                return start + timedelta(weeks=self.count)
            months = self.count * (12 if self.unit == "y" else 1)
            year, month0 = divmod(start.month - 1 + months, 12)
            year += start.year
            if not date.min.year <= year <= date.max.year:
                raise OverflowError(year)
            day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
            return date(year, month0 + 1, day)
        except OverflowError:
            return date.max if self.count > 0 else date.min

    def before(self, end: date) -> date:
        """The date this long before `end` (used for "due within" windows)."""
        if self.unit in "dw":
            return end - timedelta(days=self.count * (7 if self.unit == "w" else 1))
        return Duration(-self.count, self.unit).after(end)


def parse_duration(value: object) -> Duration:
    """Parse `90d`, `12w`, `6m` or `1y`; raise ValueError with a readable reason otherwise."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected a duration like 90d, 12w, 6m or 1y, got {value!r}")
    match = _DURATION.match(str(value))
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"expected a duration like 90d, 12w, 6m or 1y, got {value!r}")
    return Duration(int(match.group(1)), match.group(2))
