"""Fuzz the readers longer than ``make test`` does: tests/test_read_fuzz.py with more examples
per test and the truncation tests at every offset.

    .venv/bin/python scripts/fuzz_readers.py                      # 1,000 examples, every offset
    .venv/bin/python scripts/fuzz_readers.py --examples 5000 -k warc
    .venv/bin/python scripts/fuzz_readers.py --step 5 -- -x -q    # more pytest arguments after --

A failure prints hypothesis's smallest failing input; keep it as a regular test (the end of
tests/test_read_fuzz.py) once the reader is fixed. Exits with pytest's exit code.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ_TESTS = ROOT / "tests" / "test_read_fuzz.py"


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples per test")
    parser.add_argument("--step", type=int, default=1, help="cut at every STEP-th offset")
    parser.add_argument("-k", dest="select", help="only the tests matching (pytest -k)")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    return parser.parse_args(argv)


def command(args: argparse.Namespace) -> list[str]:
    run = [sys.executable, "-m", "pytest", str(FUZZ_TESTS), "-p", "no:cacheprovider"]
    run += ["-k", args.select] if args.select else []
    return run + ["--hypothesis-show-statistics", *args.pytest_args]


def main(argv: list[str]) -> int:
    args = arguments(argv)
    env = dict(os.environ)
    env["NEWSEVENTS_FUZZ_EXAMPLES"] = str(args.examples)
    env["NEWSEVENTS_FUZZ_STEP"] = str(args.step)
    return subprocess.run(command(args), cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
