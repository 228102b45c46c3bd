#!/usr/bin/env python3
"""A change's cost: this tree's `dossier build` against another binary on the same dossier.

Builds the release binary and the corpus generator, writes a synthetic dossier of N claims
(examples/corpus.rs) to /dev/shm, then builds it with both binaries, interleaved (a, b, b,
a, ...), each into an emptied output folder, and reports the medians, peak RSS (from
wait4) and the ratio of this tree's time to the other's. It also checks that both wrote the
same files, byte for byte.

    cp target/release/dossier /tmp/dossier-before     # before the change
    python3 bench/against_binary.py /tmp/dossier-before [--claims 10000] [--reps 7] [--heavy]
"""

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, CORPUS, ROOT, clear, run  # noqa: E402


def same_tree(a, b):
    """Whether two folders hold the same files with the same bytes."""
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(os.path.join(a, d), os.path.join(b, d)) for d in cmp.common_dirs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", help="the dossier binary to compare with")
    ap.add_argument("--claims", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--heavy", action="store_true", help="claims of 3.5-4.5 kB (corpus --heavy)")
    args = ap.parse_args()
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bins", "--example", "corpus"],
        cwd=ROOT,
        check=True,
    )
    base = "/dev/shm"
    site = os.path.join(base, f"against-{args.claims}")
    shutil.rmtree(site, ignore_errors=True)
    heavy = ["--heavy"] if args.heavy else []
    subprocess.run([CORPUS, str(args.claims), site, *heavy], check=True, stdout=subprocess.DEVNULL)
    binaries = {"this tree": BIN, "other": os.path.abspath(args.other)}
    times = {k: [] for k in binaries}
    rss = {k: [] for k in binaries}
    outs = {k: os.path.join(base, f"against-out-{i}") for i, k in enumerate(binaries)}
    names = list(binaries)
    for rep in range(args.reps):
        for name in names if rep % 2 == 0 else names[::-1]:
            clear(outs[name])
            t, m = run([binaries[name], "build", "--root", site, "--output", outs[name]])
            times[name].append(t)
            rss[name].append(m)
    same = same_tree(*outs.values())
    print(f"{args.claims} claims, {args.reps} builds each, medians:")
    for name in names:
        print(
            f"  {name:10} {statistics.median(times[name]):6.3f} s"
            f"  (min {min(times[name]):.3f})  peak RSS {statistics.median(rss[name]):5.0f} MB"
        )
    ratio = statistics.median(times["this tree"]) / statistics.median(times["other"])
    print(f"  time ratio this tree / other: {ratio:.3f}")
    print(f"  same output, byte for byte: {'yes' if same else 'NO'}")
    for path in (site, *outs.values()):
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    main()
