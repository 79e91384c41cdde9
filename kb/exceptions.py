"""The few errors kb raises; the CLI turns each into one line and exit code 2."""

from __future__ import annotations


class KbError(Exception):
    """Something a user can fix: bad config, a missing file, a bad option."""


class ConfigError(KbError):
    """The config is invalid; the message lists every problem found."""


class FrontMatterError(KbError):
    """An article's front matter cannot be read."""


class SearchIndexError(KbError):
    """The search index cannot be built, opened or locked."""


class SiteBuildError(KbError):
    """A site could not be built, or its output leaks internal material."""
