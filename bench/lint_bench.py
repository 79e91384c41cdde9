"""`kb lint` against a floor measured in the same run.

    python bench/lint_bench.py                 # 10,000 articles
    python bench/lint_bench.py --sizes 10000 50000 --repeat 5

Generates (or reuses) seeded corpora under bench/out/ and times whole processes (best of
--repeat, wall clock):

- floor: `python -c` that reads the bytes of every .md file under content/ (the least any
  linter in Python must do: start the interpreter, walk the folder, read each file);
- cold: `kb lint` with its cache removed (the OS page cache is warm: the floor has just read
  every file, so this measures kb, not the disk);
- warm: `kb lint` again, with the cache from the previous run;
- one file: `kb lint content/<one article>` with a warm cache, for context.

Each figure is printed with its ratio to the floor. Targets at 10,000 articles: cold <= 5x, warm <= 2x.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import generate  # noqa: E402

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
    out = HERE / "out" / f"corpus-{size}-seed{seed}"
    marker = out / ".complete"
    if fresh or not marker.exists():
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        generate(out, size, seed)
        marker.write_text("ok\n")
        print(f"generated {size} articles in {out} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return out


def kb_command() -> list[str]:
    script = Path(sys.executable).with_name("kb")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from kb.cli import main; main()"]


def timed(command: list[str], cwd: Path, before: callable | None = None, repeat: int = 3) -> float:
    """Best wall time of `repeat` runs of `command`; checks it ran (lint exits 0 or 1)."""
    best = float("inf")
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed with exit code {result.returncode}:\n{result.stderr}")
        best = min(best, elapsed)
    return best


def bench(size: int, seed: int, repeat: int, fresh: bool) -> list[tuple[str, float]]:
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
    return [("floor (read every file)", floor), ("kb lint, cold", cold), ("kb lint, warm", warm), ("kb lint one file, warm", single)]


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
        floor = figures[0][1]
        print(f"\n{size:,} articles")
        for name, seconds in figures:
            print(f"  {name:<26} {seconds:7.3f} s  {seconds / floor:5.1f}x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
