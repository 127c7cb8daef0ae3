"""Extraction quality in one table: the three public development suites and the seed gold.

    python -m benchmarks.quality [--shared ../shared] [--json results.json]

Runs the scorers that ship beside the project (`<shared>/eval/suites.py` on each development
set in `<shared>/devsets`, and `<shared>/eval/score.py` on the seed corpus against
`<shared>/gold`), each through the public contract only (`python -m lib.preprocess`), and prints
one Markdown table with the date it was measured. The suites are the yardstick: they are news
the rules were not fitted to. The seed gold is a development set of five articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SUITES = (  # (suite, development set file, [(summary key, label, target)])
    ("dates", "dates_timebank.jsonl", [
        ("value_accuracy", "dates: value right (TimeBank + AQUAINT)", 0.85),
        ("relative_value_accuracy", "dates: value right, no year written", None),
        ("detected", "dates: detected", None),
    ]),
    ("quotes", "quotes_polnear_dev.jsonl", [
        ("named_speaker_accuracy", "quotes: named speaker right (PolNeAR dev)", 0.90),
        ("detected", "quotes: detected", 0.98),
    ]),
    ("numbers", "numbers_newsquant_dev.jsonl", [
        ("f1", "money + percent: value and unit F1 (NewsQuant)", 0.88),
        ("precision", "money + percent: precision", None),
        ("recall", "money + percent: recall", None),
    ]),
)


def last_json_line(output: str) -> dict:
    """The JSON summary a scorer prints last."""
    return json.loads(output.strip().splitlines()[-1])


def run_suite(shared: Path, suite: str, cases: str) -> dict:
    """One development suite's summary, scored with this project's Python."""
    done = subprocess.run([sys.executable, str(shared / "eval" / "suites.py"), suite, str(shared / "devsets" / cases)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return last_json_line(done.stdout)


def seed_lines(shared: Path) -> dict[str, float]:
    """Each line of the seed gold's score (F1, or accuracy where the line is one), on the seeds
    preprocessed afresh into a temporary folder. Counts (gold spans not found) are left out."""
    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        subprocess.run([sys.executable, "-m", "lib.preprocess", str(ROOT / "seeds"), "--out", tmp, "--no-cache"],
                       cwd=ROOT, capture_output=True, text=True, check=True)
        done = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--gold", str(shared / "gold"),
                               "--tables", tmp, "--json"], cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    lines = {}
    for key, val in result.items():
        if isinstance(val, dict) and "f1" in val:
            lines[key] = val["f1"]
        elif isinstance(val, dict) and "accuracy" in val:
            lines[key] = val["accuracy"]
        elif key.endswith("accuracy") and isinstance(val, int | float):
            lines[key] = val
    return lines


def table(rows: list[tuple[str, float | None, float | None]], when: dt.date) -> str:
    """The Markdown table the README quotes."""
    out = [f"Measured {when.isoformat()} with `python -m benchmarks.quality`.", "",
           "| measure | score | target |", "|---|---|---|"]
    for label, score, target in rows:
        shown = "n/a" if score is None else f"{score:.3f}"
        out.append(f"| {label} | {shown} | {'' if target is None else f'≥ {target:.2f}'} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                    help="folder holding eval/, devsets/ and gold/ (default: ../shared beside the project)")
    ap.add_argument("--json", type=Path, help="also write every summary to this file")
    args = ap.parse_args()
    rows, summaries = [], {}
    for suite, cases, lines in SUITES:
        summary = summaries[suite] = run_suite(args.shared, suite, cases)
        rows += [(label, summary.get(key), target) for key, label, target in lines]
    seeds = summaries["seed_gold"] = seed_lines(args.shared)
    rows += [(f"seed gold: {key}", score, 0.98) for key, score in seeds.items()]
    print(table(rows, dt.date.today()))
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
