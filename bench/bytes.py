#!/usr/bin/env python3
"""Bytes written: what a build of a heavy synthetic dossier writes, by part of the site.

Writes a dossier of N heavy claims (examples/corpus.rs --heavy: about 3.5-4.5 kB of
Markdown each, with quotes, lists, tables and code) to /dev/shm, builds it with this
tree's binary and, if given, another, and prints the bytes of each top-level file or
folder of the output, the largest single file, and the total against the Markdown.

    python3 bench/bytes.py [--claims 10000] [--other /tmp/dossier-before]
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, CORPUS, ROOT, clear, run  # noqa: E402


def sizes(out):
    """Bytes by top-level name, and the largest file with its size."""
    parts, largest = {}, ("", 0)
    for d, _, files in os.walk(out):
        for f in files:
            path = os.path.join(d, f)
            n = os.path.getsize(path)
            rel = os.path.relpath(path, out)
            top = rel.split(os.sep)[0]
            parts[top] = parts.get(top, 0) + n
            if n > largest[1]:
                largest = (rel, n)
    return parts, largest


def markdown_bytes(site):
    return sum(
        os.path.getsize(os.path.join(d, f))
        for d, _, files in os.walk(os.path.join(site, "content"))
        for f in files
        if f.endswith(".md")
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10000)
    ap.add_argument("--other", help="another dossier binary to compare with")
    args = ap.parse_args()
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bins", "--example", "corpus"],
        cwd=ROOT,
        check=True,
    )
    site = f"/dev/shm/bytes-{args.claims}"
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([CORPUS, str(args.claims), site, "--heavy"], check=True, stdout=subprocess.DEVNULL)
    md = markdown_bytes(site)
    binaries = {"this tree": BIN}
    if args.other:
        binaries["other"] = os.path.abspath(args.other)
    results = {}
    for name, binary in binaries.items():
        out = f"/dev/shm/bytes-out-{len(results)}"
        clear(out)
        seconds, rss = run([binary, "build", "--root", site, "--output", out])
        results[name] = sizes(out) + (seconds, rss)
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    names = list(results)
    print(f"{args.claims} heavy claims, {md / 1e6:.1f} MB of Markdown; MB written:")
    tops = sorted(
        {t for r in results.values() for t in r[0]},
        key=lambda t: -max(r[0].get(t, 0) for r in results.values()),
    )
    print(f"  {'':22}" + "".join(f"{n:>12}" for n in names))
    for t in tops[:14]:
        print(f"  {t:22}" + "".join(f"{results[n][0].get(t, 0) / 1e6:12.1f}" for n in names))
    for n in names:
        parts, largest, seconds, rss = results[n]
        total = sum(parts.values())
        print(
            f"  {n}: {total / 1e6:.1f} MB in all ({total / md:.1f}x the Markdown), "
            f"largest file {largest[0]} {largest[1] / 1e6:.1f} MB; "
            f"one build {seconds:.2f} s, peak RSS {rss:.0f} MB"
        )


if __name__ == "__main__":
    main()
