#!/usr/bin/env python3
"""The preview under load: requests per second and latency, with and without keep-alive.

Starts `dossier serve --port 0` on the example dossier with this tree's release binary
(and, with --other BIN, with another binary too, in the same run), then runs
examples/http_load.rs against a claim page: CONNECTIONS client threads for SECONDS each,
once on kept-alive connections and once with a new connection per request. Prints the
requests per second, median and 99th-percentile latency for each.

    cargo build --release --bins --example http_load
    python3 bench/serve_load.py [--other /tmp/dossier-before] [--connections 8] [--seconds 5]
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, ROOT  # noqa: E402

LOAD = os.path.join(ROOT, "target", "release", "examples", "http_load")
PAGE = "/volt-typhoon/claims/cverc-false-flag/"


def serve(binary):
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0", "--root", ROOT],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in proc.stderr:
        if line.startswith("serving http://127.0.0.1:"):
            port = int(line.split(":")[2].split("/")[0])
            return proc, port
    raise SystemExit(f"{binary} did not start")


def load(port, connections, seconds, mode):
    out = subprocess.run(
        [LOAD, str(port), PAGE, str(connections), str(seconds), mode],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--other", help="another dossier binary to measure in the same run")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5)
    args = ap.parse_args()
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bins", "--example", "http_load"],
        cwd=ROOT,
        check=True,
    )
    binaries = [("this tree", BIN)] + ([("other", args.other)] if args.other else [])
    print(f"{PAGE}, {args.connections} connections, {args.seconds:g} s each")
    print(f"{'server':10} {'mode':10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for name, binary in binaries:
        proc, port = serve(binary)
        try:
            for mode in ("keepalive", "close"):
                r = load(port, args.connections, args.seconds, mode)
                print(
                    f"{name:10} {mode:10} {r['rps']:9.0f} {r['p50_ms']:8.2f} "
                    f"{r['p99_ms']:8.2f} {r['errors']:6}"
                )
        finally:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
