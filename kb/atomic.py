"""Atomic file writes: a crash or a concurrent reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _write_temp(path: Path, data: bytes, mode: int, sync: bool = True) -> str:
    """`data` in a temporary file beside `path` (same file system, so a rename is atomic),
    synced to disk unless `sync` is False."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(temp, mode)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


class ChangedMeanwhile(Exception):
    """The file no longer holds what the caller read: someone saved it while we wrote ours."""


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None, sync: bool = True,
                       unless_changed_from: bytes | None = None) -> None:
    """Write through a temporary file in the same folder and rename it over `path`.

    `sync=False` is for caches: a crash of the whole machine may then leave an empty or partial
    file, which a cache reader must treat as missing; the fsync of a 10 MB cache took 0.2 s.
    With `unless_changed_from`, the file is read again just before the rename and left alone
    (ChangedMeanwhile) if it no longer holds those bytes: an editor's save during our write wins.
    """
    temp = _write_temp(path, data, mode if mode is not None else 0o666 & ~_umask(), sync)
    try:
        if unless_changed_from is not None and path.read_bytes() != unless_changed_from:
            raise ChangedMeanwhile(str(path))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def create_exclusive(path: Path, data: bytes) -> None:
    """Write `data` to a new file atomically; FileExistsError if `path` exists (temp file + hard link)."""
    temp = _write_temp(path, data, 0o666 & ~_umask())
    try:
        os.link(temp, path)  # atomic, and fails instead of replacing an existing file
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        with open(path, "xb") as out:
            out.write(data)
    finally:
        Path(temp).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
