#!/usr/bin/env python3
"""A very large dossier: does a 100,000-claim build fit in memory, and how does it scale?

examples/corpus.rs writes a dossier of N claims (N/5 sources, 50 actors) to /dev/shm; the
script builds it once into an emptied output folder and reports the time and peak RSS
(from wait4), with a 10,000-claim build measured in the same run as the baseline.

    cargo build --release --example corpus && cargo build --release
    python3 bench/large.py [--claims 100000] [--baseline 10000]
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, CORPUS, clear, run  # noqa: E402


def build(n, base):
    site = os.path.join(base, f"large-{n}")
    out = os.path.join(base, f"large-{n}-out")
    if not os.path.exists(site):
        subprocess.run([CORPUS, str(n), site], check=True, stdout=subprocess.DEVNULL)
    clear(out)
    seconds, rss = run([BIN, "build", "--root", site, "--output", out])
    pages = sum(1 for _, _, files in os.walk(out) for f in files if f == "index.html")
    size = sum(
        os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out) for f in files
    )
    shutil.rmtree(out, ignore_errors=True)
    return seconds, rss, pages, size / 2**20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--baseline", type=int, default=10_000)
    ap.add_argument("--dir", default="/dev/shm")
    args = ap.parse_args()
    for path in (BIN, CORPUS):
        if not os.path.exists(path):
            raise SystemExit(f"{path} missing: cargo build --release --example corpus && cargo build --release")
    rows = []
    for n in (args.baseline, args.claims):
        seconds, rss, pages, mb = build(n, args.dir)
        rows.append((n, seconds, rss, pages, mb))
        print(f"{n:>7} claims: {pages} pages, {mb:,.0f} MB written, {seconds:.2f} s, peak RSS {rss:,.0f} MB", flush=True)
    (n0, s0, r0, _, _), (n1, s1, r1, _, _) = rows
    print(f"{n1 // n0}x the claims: {s1 / s0:.2f}x the time, {r1 / r0:.2f}x the peak memory")


if __name__ == "__main__":
    main()
