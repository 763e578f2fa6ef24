"""Synthetic sample, command line: `python -m transforms.synthetic [out_dir] [--seed N]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from transforms.synthetic import DEFAULT_SEED, generate_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the synthetic ATMP2030 sample.")
    parser.add_argument("out_dir", nargs="?", default="data/raw", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate_sample(args.out_dir, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
