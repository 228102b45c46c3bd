#!/usr/bin/env python3
"""The build cache: a rebuild after one edit against a build from nothing.

Writes a synthetic dossier of N claims (examples/corpus.rs, heavy claims by default) to
/dev/shm, builds it once into an output kept between runs, then interleaves, for each
repetition: a build from nothing (the output and its cache removed) with this tree's
binary and, if given, with another binary; a rebuild with the cache after one claim's
body was edited; after one claim's title was edited; and after nothing changed. It reports
the medians, peak RSS, the ratio of each rebuild to the build from nothing, and whether the
cached output is byte for byte what a build from nothing writes.

    python3 bench/cache.py [--claims 10000] [--reps 5] [--light] [--other /tmp/dossier-before]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from against_binary import same_tree  # noqa: E402
from build_vs_hugo import BIN, CORPUS, ROOT, clear, run  # noqa: E402


def edit_body(site, n):
    path = os.path.join(site, "content", "claims", f"c{n}.md")
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\nA sentence added by the benchmark, edit {n}.\n")


def edit_title(site, n):
    path = os.path.join(site, "content", "claims", f"c{n}.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r'^title = "(.*)"$', rf'title = "\1 (edit {n})"', text, count=1, flags=re.M)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--light", action="store_true", help="the light corpus, not --heavy")
    ap.add_argument("--other", help="another dossier binary, built from nothing as a baseline")
    args = ap.parse_args()
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bins", "--example", "corpus"],
        cwd=ROOT,
        check=True,
    )
    work = "/dev/shm/cache-bench"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    site = os.path.join(work, "site")
    heavy = [] if args.light else ["--heavy"]
    subprocess.run([CORPUS, str(args.claims), site, *heavy], check=True, stdout=subprocess.DEVNULL)
    kept = os.path.join(work, "kept", "public")
    fresh = os.path.join(work, "fresh", "public")
    other = os.path.join(work, "other", "public")
    run([BIN, "build", "--root", site, "--output", kept])
    kinds = ["from nothing", "body edited", "title edited", "nothing changed"]
    if args.other:
        kinds.append("other, from nothing")
    times = {k: [] for k in kinds}
    rss = {k: [] for k in kinds}

    def measure(kind, rep):
        if kind == "from nothing":
            clear(fresh)
            return run([BIN, "build", "--root", site, "--output", fresh])
        if kind == "other, from nothing":
            clear(other)
            return run([os.path.abspath(args.other), "build", "--root", site, "--output", other])
        if kind == "body edited":
            edit_body(site, rep)
        elif kind == "title edited":
            edit_title(site, rep + 1000)
        return run([BIN, "build", "--root", site, "--output", kept])

    for rep in range(args.reps):
        for kind in kinds if rep % 2 == 0 else kinds[::-1]:
            t, m = measure(kind, rep)
            times[kind].append(t)
            rss[kind].append(m)
    clear(fresh)
    run([BIN, "build", "--root", site, "--output", fresh])
    same = same_tree(kept, fresh)
    full = statistics.median(times["from nothing"])
    print(f"{args.claims} claims ({'light' if args.light else 'heavy'}), {args.reps} runs each, medians:")
    for kind in kinds:
        t = statistics.median(times[kind])
        print(
            f"  {kind:20} {t:6.3f} s  ({t / full:5.3f} of a build from nothing)"
            f"  peak RSS {statistics.median(rss[kind]):5.0f} MB"
        )
    print(f"  cached output is what a build from nothing writes: {'yes' if same else 'NO'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
