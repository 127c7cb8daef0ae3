"""Adding one article to an N-article corpus: from the Add page's path against the command line.

    python -m benchmarks.bench_add [--articles 1000]

Both go through the same run (`lib.run.preprocess.run`); the figures are the seconds of

* the command line: `python -m lib.preprocess SRC --out DIR` in a new process, one new file in SRC;
* the Add path: `lib.run.ingest` storing a pasted article and rebuilding, twice, in one process
  with the model loaded, as the dashboard's server process holds it once it has added or built.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import synthetic_articles, write_corpus
from lib.run import ingest
from lib.run.preprocess import run


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        src, cli_out, add_out = Path(scratch) / "src", Path(scratch) / "cli", Path(scratch) / "add"
        write_corpus(src, args.articles)
        run(src, cli_out, progress=False)
        run(src, add_out, progress=False)
        extra = [text for text, _ in synthetic_articles(2, seed=99)]

        def add(text: str) -> None:
            path = ingest.save_pasted(ingest.added_folder(add_out), text)
            ingest.add_articles(add_out, [path])

        first, again = timed(lambda: add(extra[0])), timed(lambda: add(extra[1]))
        write_corpus(src, 1, seed=98, start=args.articles)
        command = [sys.executable, "-m", "lib.preprocess", str(src), "--out", str(cli_out), "--quiet"]
        cli = timed(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))
    print(f"one article added to {args.articles}:")
    print(f"  command line re-run (new process): {cli:.2f} s")
    print(f"  Add path, first addition: {first:.2f} s")
    print(f"  Add path, second addition: {again:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
