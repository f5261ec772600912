"""Write a large, deterministic hiring history in the scorecard CSV format of
`hiring import scorecards`: the data the rollup and calibration benchmarks run on.

    python benchmarks/generate.py --ratings 1000000 --out /tmp/history.csv

Each candidate is rated by a panel of interviewers drawn from a pool, on every
competency of the rubric; interviewers have a leniency of their own, so calibration
has something to find.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from hiring.scorecard_csv_format import HEADER

RECOMMENDATIONS = ["strong_no", "no", "yes", "strong_yes"]
START = datetime(2024, 1, 1, tzinfo=UTC)


def competencies(rubric: Path) -> tuple[str, list[str], list[int]]:
    """The rubric's id, competency ids and scale values."""
    content = yaml.load(rubric.read_text(), Loader=yaml.BaseLoader)  # noqa: S506 (no objects)
    return (
        content["id"],
        [c["id"] for c in content["competencies"]],
        [int(point["value"]) for point in content["scale"]],
    )


def write_history(
    out: Path, rubric: Path, ratings: int, panel: int, pool: int, seed: int = 2026
) -> int:
    """Write about `ratings` rating rows; returns how many candidates they cover."""
    rubric_id, ids, scale = competencies(rubric)
    rng = random.Random(seed)
    leniency = [rng.gauss(0, 0.4) for _ in range(pool)]
    n_candidates = max(1, ratings // (panel * len(ids)))
    with out.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER)
        for number in range(n_candidates):
            ability = rng.gauss(2.5, 0.7)
            when = START + timedelta(minutes=17 * number)
            for interviewer in rng.sample(range(pool), panel):
                given = [
                    min(
                        scale[-1],
                        max(scale[0], round(ability + leniency[interviewer] + rng.gauss(0, 0.6))),
                    )
                    for _ in ids
                ]
                mean = sum(given) / len(given)
                recommendation = RECOMMENDATIONS[min(3, max(0, round(mean) - scale[0]))]
                for competency, rating in zip(ids, given, strict=True):
                    writer.writerow(
                        [
                            f"candidate{number:06}@example.org",
                            f"Candidate {number:06}",
                            rubric_id,
                            f"interviewer{interviewer:04}@example.com",
                            competency,
                            rating,
                            f"Example {number}: described what they did on {competency}.",
                            recommendation,
                            "",
                            when.isoformat(),
                        ]
                    )
    return n_candidates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--panel", type=int, default=4, help="interviewers per candidate")
    parser.add_argument("--pool", type=int, default=300, help="interviewers in all")
    parser.add_argument("--rubric", type=Path, default=Path("rubrics/product-manager.yaml"))
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    count = write_history(
        arguments.out, arguments.rubric, arguments.ratings, arguments.panel, arguments.pool
    )
    print(f"{arguments.out}: {count} candidates", file=sys.stderr)


if __name__ == "__main__":
    main()
