"""kb.forked.Child runs a job in a child process; lint's rules split between two processes find
what one process finds."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest

from kb import cache, forked, knowledge
from kb.config import load_config
from kb.lint import lint


def test_the_job_runs_in_another_process() -> None:
    assert forked.Child(os.getpid).result() != os.getpid()


def test_a_job_that_fails_in_the_child_runs_again_here() -> None:
    parent = os.getpid()

    def job() -> str:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return "ran here"

    assert forked.Child(job).result() == "ran here"


def test_a_result_marshal_cannot_write_is_made_again_here() -> None:
    parent = os.getpid()
    assert forked.Child(lambda: object() if os.getpid() != parent else "ran here").result() == "ran here"


def test_shared_jobs_run_once_each_in_one_of_the_two_processes(tmp_path: Path) -> None:
    started = tmp_path / "the-child-took-a-job"

    def there(index: int) -> tuple[int, int]:
        started.touch()
        return index, os.getpid()

    shared = forked.Shared(40, there, first=os.getpid)
    here = set()
    deadline = time.monotonic() + 30
    for index in shared.taken():
        here.add(index)
        while not started.exists() and time.monotonic() < deadline:  # however busy the machine, the child takes some
            time.sleep(0.01)
    first, there_done = shared.results()
    assert first != os.getpid()
    assert here and there_done and here.isdisjoint(there_done) and here | set(there_done) == set(range(40))
    assert all(index == job and pid != os.getpid() for job, (index, pid) in there_done.items())


def test_lint_rules_a_failed_child_took_run_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.generate import generate

    from kb import lint as lint_module

    root = generate(tmp_path / "corpus", 60, seed=5)
    monkeypatch.chdir(root)
    config = load_config(root / "mkdocs.yml")
    monkeypatch.setattr(forked, "worthwhile", lambda: False)
    alone = lint(config, date(2026, 11, 15)).diagnostics
    for stored in (root / ".kb" / "cache").iterdir():
        stored.unlink()
    parent = os.getpid()
    real_rows = lint_module._article_rows

    died = tmp_path / "child-died-holding-a-chunk"

    def dying_rows(*args):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            died.touch()
            os._exit(3)  # the child dies holding the chunk it took
        return real_rows(*args)

    monkeypatch.setattr(forked, "worthwhile", lambda: True)
    monkeypatch.setattr(knowledge, "PARALLEL_FROM", 10)
    monkeypatch.setattr(lint_module, "RULES_CHUNK", 5)
    monkeypatch.setattr(lint_module, "_article_rows", dying_rows)
    real_save = cache.ArticleCache.save

    def slow_save(self: cache.ArticleCache) -> None:  # this process's own work first: the child takes a chunk meanwhile
        time.sleep(0.3)
        real_save(self)

    monkeypatch.setattr(cache.ArticleCache, "save", slow_save)
    assert lint(config, date(2026, 11, 15)).diagnostics == alone
    assert died.exists()  # the child did take a chunk (it runs orphan-article first, while this process saves the cache)


def test_a_failure_here_ends_the_child_instead_of_leaving_it_behind() -> None:
    with pytest.raises(RuntimeError):
        with forked.Shared(3, lambda index: time.sleep(60)) as shared:  # a child that would run for minutes
            pid = shared.child.pid
            raise RuntimeError("this process failed")
    assert pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already waited for: ended and reaped, not a zombie or still running


def test_lint_rules_a_failure_here_ends_the_rules_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.generate import generate

    from kb import lint as lint_module

    root = generate(tmp_path / "corpus", 30, seed=5)
    monkeypatch.chdir(root)
    config = load_config(root / "mkdocs.yml")
    children: list[int] = []
    real_init = forked.Child.__init__

    def counting_init(self: forked.Child, job) -> None:  # type: ignore[no-untyped-def]
        real_init(self, job)
        children.append(self.pid)

    def failing_rows(*args):  # type: ignore[no-untyped-def]
        raise RuntimeError("a rule failed here")

    monkeypatch.setattr(forked, "worthwhile", lambda: True)
    monkeypatch.setattr(knowledge, "PARALLEL_FROM", 10)
    monkeypatch.setattr(forked.Child, "__init__", counting_init)
    monkeypatch.setattr(lint_module, "_rows", failing_rows)
    with pytest.raises(RuntimeError):
        lint(config, date(2026, 11, 15))
    assert children and all(children)
    for pid in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_lint_with_rules_in_two_processes_finds_what_one_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.generate import generate

    root = generate(tmp_path / "corpus", 150, seed=3)
    monkeypatch.chdir(root)
    config = load_config(root / "mkdocs.yml")
    today = date(2026, 11, 15)
    monkeypatch.setattr(forked, "worthwhile", lambda: False)
    alone = lint(config, today).diagnostics
    for stored in (root / ".kb" / "cache").iterdir():
        stored.unlink()  # no stored findings: the rules run again
    monkeypatch.setattr(forked, "worthwhile", lambda: True)
    monkeypatch.setattr(knowledge, "PARALLEL_FROM", 10)
    children: list[int] = []
    real_init = forked.Child.__init__

    def counting_init(self: forked.Child, job) -> None:  # type: ignore[no-untyped-def]
        real_init(self, job)
        children.append(self.pid)

    monkeypatch.setattr(forked.Child, "__init__", counting_init)
    split = lint(config, today).diagnostics
    assert children and all(children)  # a child was forked
    assert {d.code for d in alone} >= {"KB101", "KB201", "KB205"}  # link rules and others found things
    assert split == alone
    assert [d.severity for d in split] == [d.severity for d in alone]
    assert list((root / ".kb" / "cache").glob("articles-*.marshal"))  # the parse cache was saved


def test_shared_closes_its_tickets_when_no_pipe_is_left_for_the_child() -> None:
    """With one file descriptor short, Shared raises OSError (its callers then work alone) and
    leaves no descriptor open: a process out of them must not lose one more each time."""
    import subprocess
    import sys

    script = """
import os, resource
from kb import forked
resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
held = []
try:
    while True:
        held.append(os.dup(0))
except OSError:
    pass
os.close(held.pop()), os.close(held.pop())  # two free: the tickets' pipe, not the child's too
try:
    forked.Shared(3, lambda index: index)
except OSError:
    pass
os.close(os.pipe()[0])  # both free again
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout == "ok\n", done.stderr
