"""The index survives a kill mid-write, two `kb index` runs at once, and searches during a run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kb.config import load_config
from kb.search import indexer
from kb.search.engine import Searcher
from kb.search.searching import SearchOptions, run_search, search
from tests.conftest import article, write_kb

WORDS = ("printer receipt refund payment settlement invoice tablet bluetooth password account export sales "
         "stock outlet cashier drawer qris wallet card declined pending sync offline tax").split()
N = 400


def corpus(n: int, seed: int = 7, marker: str = "") -> dict[str, str]:
    rng = random.Random(seed)
    files = {}
    for i in range(n):
        body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(12))
        files[f"area{i % 7}/article-{i:04d}.md"] = article(f"Article {i} {rng.choice(WORDS)} {marker}",
                                                           audience="public", body=f"{body}\n{marker}\n")
    return files


@pytest.fixture
def big_kb(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb", corpus(N))


def child(root: Path, code: str) -> subprocess.Popen[str]:
    """A Python child process running `code` with `config` loaded for `root`."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
        from kb.config import load_config
        from kb.search import indexer
        config = load_config(__import__("pathlib").Path({str(root / "mkdocs.yml")!r}))
    """) + textwrap.dedent(code)
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


def count_hits(root: Path, query: str) -> int:
    config = load_config(root / "mkdocs.yml")
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    with Searcher(folder) as searcher:
        result = run_search(config, searcher, query, SearchOptions(limit=N + 10, log=False))
        assert result.total_exact
        return result.total


def test_kill_during_a_full_rebuild_keeps_the_previous_index(big_kb: Path) -> None:
    config = load_config(big_kb / "mkdocs.yml")
    indexer.update_index(config)
    before = indexer.live_folder(indexer.index_root(config))
    write_kb(big_kb, corpus(N, marker="zyxwvut"))  # every article changes
    proc = child(big_kb, """
        def progress(done, total):
            print(done, flush=True)
            if done >= 150:
                import time; time.sleep(30)  # hold still mid-write until killed
        indexer.update_index(config, rebuild=True, progress=progress, procs=2)
    """)
    assert proc.stdout is not None
    for line in proc.stdout:
        if int(line) >= 150:
            break
    workers = children_of(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert indexer.live_folder(indexer.index_root(config)) == before
    assert count_hits(big_kb, "printer") > 0  # the previous index answers
    assert count_hits(big_kb, "zyxwvut") == 0  # and is the previous one
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not any(alive(pid) for pid in workers), "sub-writers outlived the killed kb index"
    after = indexer.update_index(config)  # the next run finishes the job
    assert after.rebuilt is False and len(after.changed) == N
    assert count_hits(big_kb, "zyxwvut") == N
    assert len(list(indexer.index_root(config).glob("ix-*"))) <= 1 + indexer.KEEP_OLD


def test_kill_during_an_incremental_update_keeps_the_index_consistent(big_kb: Path) -> None:
    config = load_config(big_kb / "mkdocs.yml")
    indexer.update_index(config)
    write_kb(big_kb, corpus(N, marker="qponmlk"))
    for attempt in range(3):  # kill at different points: reading articles, writing, committing
        proc = child(big_kb, "indexer.update_index(config)")
        time.sleep(0.4 + attempt * 0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        hits = count_hits(big_kb, "qponmlk")
        assert hits in (0, N)  # one commit: before or after, never half
    indexer.update_index(config)
    assert count_hits(big_kb, "qponmlk") == N
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    with Searcher(folder) as searcher:
        assert searcher.doc_count() == N  # no duplicates from replayed updates


def test_a_second_index_run_waits_with_a_message(big_kb: Path) -> None:
    config = load_config(big_kb / "mkdocs.yml")
    holder = child(big_kb, """
        lock = indexer.IndexLock(indexer.index_root(config))
        lock.acquire(wait=0)
        print("locked", flush=True)
        import time; time.sleep(1.5)
        lock.release()
    """)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    messages: list[str] = []
    started = time.monotonic()
    report = indexer.update_index(config, wait=30, on_wait=messages.append)
    assert time.monotonic() - started >= 0.5
    assert report.waited and report.total == N
    assert messages == [f"pid {holder.pid}"]
    holder.wait()


def test_a_second_index_run_gives_up_clearly(big_kb: Path) -> None:
    from click.testing import CliRunner

    from kb.cli import app

    holder = child(big_kb, """
        lock = indexer.IndexLock(indexer.index_root(config))
        lock.acquire(wait=0)
        print("locked", flush=True)
        import time; time.sleep(30)
    """)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        os.chdir(big_kb)
        result = CliRunner().invoke(app(), ["index", "--wait", "0.2"])
        assert result.exit_code == 2
        assert "is updating the search index; waiting for it" in result.output
        assert f"another kb index run (pid {holder.pid}) is updating the search index; try again" in result.output
    finally:
        holder.kill()
        holder.wait()


def test_two_index_runs_at_once_leave_one_good_index(big_kb: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", "from kb.cli import main; main()", "index", "--rebuild"],
                              cwd=big_kb, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert any("waiting for it" in err for _, err in outputs)
    config = load_config(big_kb / "mkdocs.yml")
    folder = indexer.live_folder(indexer.index_root(config))
    assert folder is not None
    with Searcher(folder) as searcher:
        assert searcher.doc_count() == N
    assert not indexer.update_index(config).touched


def test_searches_answer_during_an_index_run(big_kb: Path) -> None:
    config = load_config(big_kb / "mkdocs.yml")
    indexer.update_index(config)
    write_kb(big_kb, corpus(N, marker="hgfedcb"))
    proc = child(big_kb, """
        def progress(done, total):
            print(done, flush=True)
        indexer.update_index(config, rebuild=True, progress=progress, procs=1)
    """)
    assert proc.stdout is not None and proc.stdout.readline()  # it holds the lock and is writing
    answered = 0
    while proc.poll() is None:
        results, report = search(config, "printer refund", SearchOptions(log=False))
        assert results.total > 0
        assert report is None or not report.touched  # locked: kb search used the index as it was
        answered += report is None
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert answered >= 3
    assert count_hits(big_kb, "hgfedcb") == N
