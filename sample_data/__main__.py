"""`python -m sample_data OUT_DIR [--seed N] [--region CODE]`: writes the sample inbox of a
region and its truth."""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from sample_data import DEFAULT_REGION, DEFAULT_TERYT_CSV, generate_sample


def main(argv: list[str] | None = None) -> int:
    """Parses the command line, generates the sample and prints what was written and how fast."""
    parser = argparse.ArgumentParser(
        prog="python -m sample_data",
        description="Writes the synthetic sample inbox (docs/inputs.md) and its ground truth.")
    parser.add_argument("out_dir", type=Path, help="inbox folder to write, e.g. data/sample")
    parser.add_argument("--seed", type=int, default=28, help="random seed (default 28)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31),
                        help="export date of the snapshot, YYYY-MM-DD (default 2026-10-31)")
    parser.add_argument("--region", default=DEFAULT_REGION,
                        help=f"TERYT code of the voivodeship, e.g. 22 (default {DEFAULT_REGION})")
    parser.add_argument("--teryt", type=Path, default=DEFAULT_TERYT_CSV,
                        help=f"TERYT TERC csv holding the region (default {DEFAULT_TERYT_CSV})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate_sample(args.out_dir, args.teryt, seed=args.seed, as_of=args.as_of,
                             region=args.region)
    elapsed = time.perf_counter() - started
    for key, value in counts.items():
        print(f"{key}: {value}")
    print(f"sample written to {args.out_dir} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
