#!/usr/bin/env python3
"""The live-source check: `check --external` reading again 500 live pages.

Writes a dossier of N sources (default 500), each with an HTML snapshot of about 40 kB
of article text and three claims quoting it, and serves the live pages from a threaded
HTTP server on a loopback port: most unchanged, one in ten reworded, one in twenty gone.
Interleaves, for each repetition, `dossier check` (the baseline: everything but the
network) and `dossier check --external` (every link asked again, every page read again),
and reports the medians, peak RSS, the time the network part adds per page, and the
findings of the last run.

    python3 bench/drift.py [--sources 500] [--reps 5]
"""

import argparse
import http.server
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, ROOT  # noqa: E402

WORDS = (
    "the ministry report network operation routers botnet officials filing statement "
    "analysis campaign infrastructure evidence agency court experts group activity "
    "attack said according to in on of and a by with from for that was were after"
).split()


def paragraph(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def page(paragraphs):
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A report</title>'
        f"</head><body><article>\n{body}\n</article></body></html>\n"
    )


def write_site(root, sources, port, rng):
    """The dossier, and the live pages by path."""
    shutil.rmtree(root, ignore_errors=True)
    for d in ("actors", "sources", "claims"):
        os.makedirs(os.path.join(root, "content", d))
    with open(os.path.join(root, "site.toml"), "w") as f:
        f.write('title = "Drift"\nbase_url = "https://example.org/"\n')
        f.write("[link_check]\ntimeout = 10\nconcurrency = 8\ncache_hours = 0\n")
    with open(os.path.join(root, "content", "actors", "a.md"), "w") as f:
        f.write('+++\ntitle = "A"\n+++\n')
    live = {}
    for i in range(sources):
        paras = [paragraph(rng, rng.randint(40, 90)) for _ in range(60)]
        quoted = [paras[k] for k in (5, 25, 45)]
        path = f"/news/{i}"
        with open(os.path.join(root, "content", "sources", f"s{i}.html"), "w") as f:
            f.write(page(paras))
        with open(os.path.join(root, "content", "sources", f"s{i}.md"), "w") as f:
            f.write(
                f'+++\ntitle = "Report {i}"\nurl = "http://127.0.0.1:{port}{path}"\n'
                f'archive_url = "http://127.0.0.1:{port}/archive{path}"\n+++\n'
            )
        for k, q in enumerate(quoted):
            with open(os.path.join(root, "content", "claims", f"c{i}-{k}.md"), "w") as f:
                f.write(
                    f'+++\ntitle = "Claim {i}-{k}"\nclaimants = ["a"]\ndate = 2024-01-01\n\n'
                    f'[[citations]]\nsource = "s{i}"\nquote = "{q[:-1]}"\n+++\n\nBody.\n'
                )
        if i % 20 == 19:
            live[path] = None
        elif i % 10 == 9:
            paras[25] = paragraph(rng, 50)
            live[path] = page(paras).encode()
        else:
            live[path] = page(paras).encode()
    return live


def serve(live):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            path = self.path.removeprefix("/archive")
            body = live.get(path)
            if body is None:
                self.send_response(404)
                body = b"gone"
            else:
                self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # a client closing a kept-alive connection is not news

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(cmd):
    """Runs `cmd` (exit 0 or 1), returning (seconds, peak RSS in MB, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return seconds, usage.ru_maxrss / 1024, err


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=500)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bins"], cwd=ROOT, check=True)
    rng = random.Random(7)
    # The port is known only once the server listens, so the pages are added after.
    live = {}
    server = serve(live)
    root = "/dev/shm/drift-bench"
    live.update(write_site(root, args.sources, server.server_address[1], rng))
    runs = {"check": [], "check --external": []}
    last = ""
    for _ in range(args.reps):
        runs["check"].append(run([BIN, "check", "--root", root]))
        got = run([BIN, "check", "--external", "--root", root])
        runs["check --external"].append(got)
        last = got[2]
    server.shutdown()
    medians = {}
    for name, rs in runs.items():
        secs = statistics.median(r[0] for r in rs)
        rss = max(r[1] for r in rs)
        medians[name] = secs
        print(f"{name:18} {secs:7.3f} s   peak RSS {rss:6.0f} MB")
    added = medians["check --external"] - medians["check"]
    print(f"ratio {medians['check --external'] / medians['check']:.2f}; "
          f"the network part adds {added:.2f} s, {1000 * added / args.sources:.1f} ms a page")
    summary = [line for line in last.splitlines() if "re-read" in line]
    warnings = sum("is no longer on its live page" in line for line in last.splitlines())
    gone = sum("the page is gone" in line for line in last.splitlines())
    print(f"last run: {warnings} quotes reported reworded, {gone} on pages gone")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
