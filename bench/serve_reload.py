#!/usr/bin/env python3
"""Live-preview benchmark: time from saving one claim to the reload signal.

Generates a synthetic dossier (examples/corpus.rs), starts `dossier serve` on a free
loopback port, and for each repetition waits on the reload endpoint as an open page
does, edits one claim, and measures the time from the write to the signal. The
baseline, measured in the same run, is a full `dossier build` of the same dossier.

    python3 bench/serve_reload.py [--claims 10000] [--reps 30] [--dir /dev/shm/...]

Build first with `cargo build --release --examples --bins` (the script does it too).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "dossier")
CORPUS = os.path.join(ROOT, "target", "release", "examples", "corpus")


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def build_binaries():
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bins", "--example", "corpus"],
        cwd=ROOT,
        check=True,
    )


def full_build(site, out):
    start = time.perf_counter()
    subprocess.run(
        [BIN, "build", "--root", site, "--output", out],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


class Preview:
    def __init__(self, site):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", "0", "--root", site],
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = []
        self.port = None
        started = threading.Event()

        def read():
            for line in self.proc.stderr:
                m = re.match(r"serving http://127\.0\.0\.1:(\d+)/", line)
                if m:
                    self.port = int(m.group(1))
                    started.set()
                self.lines.append(line.rstrip("\n"))

        threading.Thread(target=read, daemon=True).start()
        if not started.wait(300):
            raise SystemExit("serve did not start:\n" + "\n".join(self.lines))

    def events(self, since=None):
        url = f"http://127.0.0.1:{self.port}/__dossier/events"
        if since is not None:
            url += f"?since={since}"
        with urllib.request.urlopen(url, timeout=60) as r:
            return json.load(r)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def edit_once(preview, path, change):
    """Waits for the next build as a page does, applies `change`, returns the seconds
    from the write to the signal and the build's summary line."""
    version = preview.events()["version"]
    result = {}

    def poll():
        result["event"] = preview.events(version)
        result["at"] = time.perf_counter()

    t = threading.Thread(target=poll)
    t.start()
    time.sleep(0.05)  # the poll is waiting on the server before the file changes
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new = change(text)
    start = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    t.join()
    if not result["event"]["ok"]:
        raise SystemExit("the edit broke the build: %s" % result["event"]["errors"])
    time.sleep(0.05)
    summary = next(
        (l for l in reversed(preview.lines) if l.startswith("built in")), ""
    )
    return result["at"] - start, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--dir", help="where to write the dossier (default: /dev/shm if present)")
    args = ap.parse_args()

    build_binaries()
    base = args.dir or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
    work = tempfile.mkdtemp(prefix="dossier-bench-", dir=base)
    site = os.path.join(work, "site")
    try:
        subprocess.run([CORPUS, str(args.claims), site], check=True)
        builds = [full_build(site, os.path.join(work, f"out{i}")) for i in range(3)]
        baseline = median(builds)

        preview = Preview(site)
        claim = os.path.join(site, "content", "claims", f"c{args.claims // 2}.md")
        kinds = {
            "body": lambda t, i: t + f"\nA sentence added by edit {i}.\n",
            "title": lambda t, i: re.sub(
                r'^title = "[^"]*"', f'title = "Claim retitled {i}"', t, count=1, flags=re.M
            ),
        }
        results = {k: [] for k in kinds}
        summaries = {k: "" for k in kinds}
        try:
            for i in range(args.reps):
                for kind, change in kinds.items():
                    seconds, summary = edit_once(preview, claim, lambda t: change(t, i))
                    results[kind].append(seconds)
                    summaries[kind] = summary
        finally:
            preview.stop()

        print(f"dossier of {args.claims} claims in {work}")
        print(f"baseline: full `dossier build` median {baseline * 1000:.0f} ms of 3")
        for kind, xs in results.items():
            xs.sort()
            med = median(xs)
            p90 = xs[int(0.9 * (len(xs) - 1))]
            pages = re.search(r"(\d+) pages rendered, (\d+) changed", summaries[kind])
            rendered, changed = pages.groups() if pages else ("?", "?")
            print(
                f"{kind} edit: write to reload signal median {med * 1000:.1f} ms, "
                f"p90 {p90 * 1000:.1f} ms, min {xs[0] * 1000:.1f} ms over {len(xs)} edits; "
                f"{med / baseline:.3f}x the full build; "
                f"{rendered} pages rendered, {changed} rewritten"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
