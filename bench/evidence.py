#!/usr/bin/env python3
"""What checking evidence costs a build: snapshots, web archives of their capture, and
RFC 3161 time-stamp tokens.

Writes three dossiers of N sources in /dev/shm, each source cited by a claim that quotes
it: one whose sources keep nothing ("none"), one whose sources keep an HTML snapshot of
about K kilobytes with its recorded hash ("snapshots"), and one whose sources keep the
snapshot, the gzipped WARC file of its capture (checked against the snapshot at every
build) and a time-stamp token made by OpenSSL as the authority (verified at every build,
against the CA it was issued under) ("evidence"). Each is built (`dossier build`) R
times, interleaved, by this tree's release binary; times are medians, with ratios to the
snapshots-only build in the same run. With --other, the first two are also built by that
binary (one from before a change), interleaved: the ratio is the change's cost.

    python3 bench/evidence.py [--sources 2000] [--kb 20] [--reps 7] [--other /tmp/old]
"""

import argparse
import gzip
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, ROOT, clear, run  # noqa: E402
from snapshots import text_of, warc_of  # noqa: E402


def authority(work):
    """A CA and a time-stamping certificate it issued, with OpenSSL's TSA settings."""
    sh = lambda *a: subprocess.run(a, cwd=work, check=True, capture_output=True)
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
       "-subj", "/CN=Bench CA", "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE")
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
       "-subj", "/CN=Bench TSA")
    with open(os.path.join(work, "tsa.ext"), "w") as f:
        f.write("extendedKeyUsage=critical,timeStamping\n")
    sh("openssl", "x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
       "-out", "tsa.crt", "-days", "365", "-extfile", "tsa.ext")
    with open(os.path.join(work, "serial"), "w") as f:
        f.write("01\n")
    with open(os.path.join(work, "ts.cnf"), "w") as f:
        f.write(f"[ tsa ]\ndefault_tsa = t\n[ t ]\nserial = {work}/serial\nsigner_cert = {work}/tsa.crt\n"
                f"signer_key = {work}/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n"
                "digests = sha256\naccuracy = secs:1\ness_cert_id_alg = sha256\n")


def token(work, data_path, out_path):
    """A time-stamp token over the file at `data_path`, written to `out_path`."""
    q = os.path.join(work, "q.tsq")
    subprocess.run(["openssl", "ts", "-query", "-data", data_path, "-sha256", "-cert", "-out", q],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(work, "ts.cnf"), "-queryfile", q,
                    "-out", out_path], check=True, capture_output=True)


def write(site, kind, n, kb, work):
    shutil.rmtree(site, ignore_errors=True)
    for d in ("actors", "sources", "claims"):
        os.makedirs(os.path.join(site, "content", d))
    toml = 'title = "Evidence"\nbase_url = "https://example.org/"\n'
    if kind == "evidence":
        shutil.copy(os.path.join(work, "ca.crt"), os.path.join(site, "ca.pem"))
        toml += '\n[capture]\ntimestamp_ca = "ca.pem"\n'
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write(toml)
    with open(os.path.join(site, "content/actors/a.md"), "w") as f:
        f.write('+++\ntitle = "A"\n+++\n')
    for i in range(n):
        url = f"https://news.test/{i}"
        sentences = text_of(i, kb)
        html = ("<html><body>" + "".join(f"<p>{s}</p>" for s in sentences) + "</body></html>").encode()
        src = os.path.join(site, f"content/sources/s{i}")
        keys = f'title = "Source {i}"\nurl = "{url}"\narchive_url = "https://web.archive.org/{i}"\n'
        if kind != "none":
            with open(src + ".html", "wb") as f:
                f.write(html)
            keys += f'snapshot = "s{i}.html"\nsnapshot_sha256 = "{hashlib.sha256(html).hexdigest()}"\n'
        if kind == "evidence":
            with open(src + ".warc.gz", "wb") as f:
                f.write(warc_of(url, html))
            token(work, src + ".html", src + ".tsr")
        with open(src + ".md", "w") as f:
            f.write(f"+++\n{keys}+++\n")
        quote = f'quote = "The closing sentence of source {i} is the quoted one."\n' if kind != "none" else ""
        with open(os.path.join(site, f"content/claims/c{i}.md"), "w") as f:
            f.write(f'+++\ntitle = "Claim {i}"\nclaimants = ["a"]\ndate = 2024-01-01\n\n'
                    f'[[citations]]\nsource = "s{i}"\n{quote}+++\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=2000)
    ap.add_argument("--kb", type=int, default=20)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--other", help="another dossier binary, for the dossiers without archives and tokens")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bins"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp()
    authority(work)
    sites = {}
    for kind in ("none", "snapshots", "evidence"):
        sites[kind] = f"/dev/shm/evidence-{kind}"
        write(sites[kind], kind, args.sources, args.kb, work)
    runs = [("this tree", k) for k in sites]
    if args.other:
        runs += [("other", k) for k in ("none", "snapshots")]
    binaries = {"this tree": BIN, "other": args.other}
    times = {r: [] for r in runs}
    peaks = {r: [] for r in runs}
    for rep in range(args.reps):
        for r in runs if rep % 2 == 0 else runs[::-1]:
            out = f"/dev/shm/evidence-out-{r[1]}"
            clear(out)
            t, rss = run([binaries[r[0]], "build", "--root", sites[r[1]], "--output", out])
            times[r].append(t)
            peaks[r].append(rss)
    med = {r: statistics.median(t) for r, t in times.items()}
    base = med[("this tree", "snapshots")]
    print(f"{args.sources} sources, about {args.kb} kB of text each, `dossier build`, median of {args.reps}:")
    for r in runs:
        print(f"  {r[0]:10} {r[1]:10} {med[r]:6.3f} s  peak RSS {max(peaks[r]):6.0f} MB"
              f"  ratio to this tree's snapshots-only build: {med[r] / base:.3f}")
    if args.other:
        for k in ("none", "snapshots"):
            print(f"  {k}: this tree / other = {med[('this tree', k)] / med[('other', k)]:.3f}")
    for s in list(sites.values()) + [f"/dev/shm/evidence-out-{k}" for k in sites]:
        shutil.rmtree(s, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
