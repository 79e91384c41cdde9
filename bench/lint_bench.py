"""`kb lint` against a floor measured in the same run.

    python bench/lint_bench.py                 # 10,000 articles
    python bench/lint_bench.py --sizes 10000 50000 --repeat 5

Generates (or reuses) seeded corpora under bench/out/ and times whole processes (best of
--repeat, wall clock):

- floor: `python -c` that reads the bytes of every .md file under content/ (the least any
  linter in Python must do: start the interpreter, walk the folder, read each file);
- cold: `kb lint` with its cache removed (the OS page cache is warm: the floor has just read
  every file, so this measures kb, not the disk);
- warm: `kb lint` again, with the cache from the previous run (nothing changed: the findings of
  the last run are reused);
- warm, one edit: `kb lint` after a line was appended to one article (every other article comes
  from the per-file cache; links and rules run over the whole knowledge base again);
- one file: `kb lint content/<one article>` with a warm cache, for context.

Child processes run with bytecode caching on (PYTHONDONTWRITEBYTECODE unset), as after a normal
install; in this sandbox it is set, which would make every run compile kb's sources again.

Each figure is printed with its ratio to the floor. Targets at 10,000 articles: cold <= 5x, warm <= 2x.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import cached  # noqa: E402

TODAY = "2026-11-15"  # the generator's default reference date: fixed, so the findings do not drift
FLOOR = """
import os, sys
total = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith('.md'):
            with open(os.path.join(folder, name), 'rb') as handle:
                total += len(handle.read())
print(total)
"""


def corpus(size: int, seed: int, fresh: bool) -> Path:
    return cached(HERE / "out" / f"corpus-{size}-seed{seed}", size, seed, fresh)


def kb_command() -> list[str]:
    script = Path(sys.executable).with_name("kb")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from kb.cli import main; main()"]


ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path, before: Callable[[], None] | None = None, repeat: int = 3) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of `repeat` runs of `command`.

    CPU time is printed too because this machine is shared: when other jobs compete for the two
    cores, wall times stretch while CPU times stay put. Checks the command ran (lint exits 0 or 1).
    """
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        if before:
            before()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed with exit code {result.returncode}:\n{result.stderr}")
        best_wall = min(best_wall, elapsed)
        best_cpu = min(best_cpu, after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
    return best_wall, best_cpu


def bench(size: int, seed: int, repeat: int, fresh: bool) -> list[tuple[str, tuple[float, float]]]:
    root = corpus(size, seed, fresh)
    cache = root / ".kb"
    kb = kb_command()
    lint = [*kb, "lint", "--today", TODAY]
    one = next(iter(sorted((root / "content" / "payments").glob("*.md"))))

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    floor = timed([sys.executable, "-c", FLOOR, "content"], root, repeat=repeat)
    cold = timed(lint, root, drop_cache, repeat)
    timed(lint, root, repeat=1)  # leave a cache from a complete run
    warm = timed(lint, root, repeat=repeat)
    single = timed([*lint, str(one.relative_to(root))], root, repeat=repeat)
    original = one.read_bytes()

    def edit() -> None:
        with open(one, "a", encoding="utf-8") as handle:
            handle.write("One more sentence from a quick edit.\n")

    try:
        edited = timed(lint, root, edit, repeat)
    finally:
        one.write_bytes(original)
    return [("floor (read every file)", floor), ("kb lint, cold", cold), ("kb lint, warm", warm),
            ("kb lint, warm, one edit", edited), ("kb lint one file, warm", single)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument("--fresh", action="store_true", help="regenerate the corpora")
    args = parser.parse_args(argv)
    print(f"kb lint benchmark: best of {args.repeat}, whole process, wall clock; {os.cpu_count()} CPUs; "
          f"Python {sys.version.split()[0]}; OS page cache warm")
    for size in args.sizes:
        figures = bench(size, args.seed, args.repeat, args.fresh)
        floor_wall, floor_cpu = figures[0][1]
        print(f"\n{size:,} articles{'':<18} wall      ratio     CPU     ratio")
        for name, (wall, cpu) in figures:
            print(f"  {name:<26} {wall:7.3f} s {wall / floor_wall:5.1f}x  {cpu:7.3f} s {cpu / floor_cpu:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
