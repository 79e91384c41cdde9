"""Run a job in a forked child process while this one goes on, for CPU-bound work on a second core.

The child shares this process's memory as it was at the fork (the loaded knowledge base, with
nothing to send over) and sends back the job's result in `marshal` format, so a job returns plain
values: tuples, lists, strings, numbers. Without `os.fork` (Windows) or a second CPU the job runs
in this process when its result is asked for.
"""

from __future__ import annotations

import marshal
import os
import signal
from typing import Any, Callable, Iterator


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

    def stop(self) -> None:
        """End the child without its result (this process is failing): no process is left behind."""
        if not self.pid:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:  # it has ended already
            pass
        os.waitpid(self.pid, 0)
        os.close(self.reader)
        self.pid = 0

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


class Tickets:
    """The numbers 0..count-1 in a pipe, each taken by exactly one of the processes that share it
    (a read of a few bytes from a pipe is atomic): a work queue for a forked child and its parent
    without the threads and pickling of `concurrent.futures` (they slowed the parent's share)."""

    MOST = 1000  # 4 KB of tickets, written before anyone reads: within any system's pipe buffer

    def __init__(self, count: int) -> None:
        self.reader, writer = os.pipe()
        try:
            os.write(writer, b"".join(index.to_bytes(4, "little") for index in range(count)))
        finally:
            os.close(writer)  # an empty pipe then reads as its end: nobody waits

    def taken(self) -> Iterator[int]:
        """The next free number, one at a time, until none is left."""
        while len(ticket := os.read(self.reader, 4)) == 4:
            yield int.from_bytes(ticket, "little")

    def close(self) -> None:
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1


class Shared:
    """Jobs 0..count-1 shared by this process and a forked child, each taking the next job as it
    goes (Tickets), so a busy machine slowing either one does not leave the other waiting.

    The child starts at once: `first()`, then `there(index)` for each job it takes. This process
    takes its share with `taken()` (after any work of its own), then collects the child's results
    with `results()`. Jobs the child took but did not report back (it failed) are in neither: the
    caller runs them itself. Raises OSError when no pipe can be made (no file descriptor left).
    Used as a context manager, it ends the child when this process fails meanwhile.
    """

    def __init__(self, count: int, there: Callable[[int], Any], first: Callable[[], Any] = lambda: None) -> None:
        self.tickets = Tickets(count)
        try:
            self.child = Child(lambda: (first(), [(index, there(index)) for index in self.tickets.taken()]))
        except OSError:
            self.tickets.close()
            raise

    def __enter__(self) -> Shared:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:  # this process failed: end the child rather than leave it behind
            self.child.stop()
            self.tickets.close()

    def taken(self) -> Iterator[int]:
        return self.tickets.taken()

    def results(self) -> tuple[Any, dict[int, Any]]:
        """`first()` and the results of the child's jobs by number (a failed child's work runs
        here: `first()` again, and no job, as none is left)."""
        try:
            first, done = self.child.result()
            return first, dict(done)
        finally:
            self.tickets.close()
