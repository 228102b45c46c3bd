#!/usr/bin/env python3
"""Whether importing references takes time in proportion to their number.

Writes Zotero-style CSL-JSON exports of N and 10×N items (pretty-printed, a line per key)
to /dev/shm and runs `dossier import --dry-run` on each, R times, with this tree's release
binary (and, with --other, another one, interleaved); prints the medians and the ratio of
the larger import's time to the smaller's, which is about 10 when the import is linear.

    python3 bench/imports.py [--items 10000] [--reps 5] [--other /tmp/old]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, ROOT, run  # noqa: E402


def export(path, n):
    items = [{"id": f"key{i}", "type": "article-newspaper", "title": f"Report number {i} on the matter",
              "container-title": "The Daily Test", "author": [{"family": "Writer", "given": "Ann"}],
              "issued": {"date-parts": [[2024, 1 + i % 12]]}, "URL": f"https://news.test/{i}"}
             for i in range(n)]
    with open(path, "w") as f:
        json.dump(items, f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--other", help="another dossier binary, for comparison")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bins"], cwd=ROOT, check=True)
    site = "/dev/shm/imports-site"
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(site)
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write('title = "Imports"\nbase_url = "https://example.org/"\n')
    sizes = [args.items, args.items * 10]
    for n in sizes:
        export(f"/dev/shm/imports-{n}.json", n)
    binaries = [("this tree", BIN)] + ([("other", args.other)] if args.other else [])
    times = {(b, n): [] for b, _ in binaries for n in sizes}
    for rep in range(args.reps):
        order = [(b, p, n) for b, p in binaries for n in sizes]
        for b, p, n in order if rep % 2 == 0 else order[::-1]:
            t, _ = run([p, "import", f"/dev/shm/imports-{n}.json", "--root", site, "--dry-run"])
            times[(b, n)].append(t)
    print(f"CSL-JSON import (--dry-run), median of {args.reps}:")
    for b, _ in binaries:
        small, large = (statistics.median(times[(b, n)]) for n in sizes)
        print(f"  {b:10} {sizes[0]:>8} items {small:7.3f} s   {sizes[1]:>8} items {large:7.3f} s   ratio {large / small:5.1f}")
    shutil.rmtree(site, ignore_errors=True)
    for n in sizes:
        os.remove(f"/dev/shm/imports-{n}.json")


if __name__ == "__main__":
    main()
