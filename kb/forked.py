"""Run a job in a forked child process while this one goes on, for CPU-bound work on a second core.

The child shares this process's memory as it was at the fork (the loaded knowledge base, with
nothing to send over) and sends back the job's result in `marshal` format, so a job returns plain
values: tuples, lists, strings, numbers. Without `os.fork` (Windows) or a second CPU the job runs
in this process when its result is asked for.
"""

from __future__ import annotations

import marshal
import os
from typing import Any, Callable


def worthwhile() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


class Child:
    """`job()` running in a child process; `result()` waits for it."""

    def __init__(self, job: Callable[[], Any]) -> None:
        self.job = job
        self.pid = 0
        self.reader = -1
        if not worthwhile():
            return
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the child: never returns into the caller's code
            status = 1
            try:
                os.close(reader)
                data = marshal.dumps(job())
                with os.fdopen(writer, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(writer)
        self.pid, self.reader = pid, reader

    def result(self) -> Any:
        """The job's result; if the child failed (or none was started), the job runs here."""
        if not self.pid:
            return self.job()
        with os.fdopen(self.reader, "rb") as source:
            data = source.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status == 0:
            try:
                return marshal.loads(data)
            except (EOFError, ValueError, TypeError):
                pass
        return self.job()
