#!/usr/bin/env python3
"""What reading snapshots costs, by format, and against another binary.

Writes a dossier of N sources, each with a snapshot of about K kilobytes of text and a
claim quoting it near its end, in /dev/shm, once per format: HTML, plain text, PDF (one
page per 3,000 characters, written here object by object) and gzipped WARC. Each is
checked (`dossier check`, which reads every snapshot and verifies every quote) R times,
interleaved, by this tree's release binary; times are medians, reported as ratios to
HTML in the same run. With --other, the HTML and text dossiers are also checked by that
binary (one from before a change), interleaved with this tree's, and so is the PDF one
(pass --no-other-pdf when that binary cannot read PDFs): the ratio is the change's cost.

    python3 bench/snapshots.py [--sources 200] [--kb 200] [--reps 7] [--other /tmp/old]
"""

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, ROOT, run  # noqa: E402

WORDS = "state sponsored actor critical infrastructure routers advisory agencies report".split()


def text_of(i, kb):
    """About `kb` kilobytes of sentences, different for each source, ending in its quote."""
    out, n = [], 0
    while sum(len(s) + 1 for s in out) < kb * 1000:
        w = [WORDS[(i * 7 + n * 3 + k) % len(WORDS)] for k in range(12)]
        out.append(" ".join(w).capitalize() + f" number {n}.")
        n += 1
    out.append(f"The closing sentence of source {i} is the quoted one.")
    return out


def pdf_of(sentences):
    """A PDF of the sentences, Helvetica, 40 lines a page."""
    lines = sentences
    pages = [lines[k:k + 40] for k in range(0, len(lines), 40)]
    esc = lambda s: s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", None,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for p in pages:
        stream = "BT /F1 9 Tf 11 TL 36 760 Td\n" + "".join(f"({esc(l)}) Tj T*\n" for l in p) + "ET\n"
        kids.append(len(objs) + 1)
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {len(objs) + 2} 0 R >>")
        objs.append(f"<< /Length {len(stream)} >>\nstream\n{stream}endstream")
    objs[1] = "<< /Type /Pages /Kids [" + " ".join(f"{k} 0 R" for k in kids) + f"] /Count {len(kids)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def warc_of(url, html):
    """A one-response web archive, gzipped as one member per record."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + str(len(html)).encode() + b"\r\n\r\n" + html
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
            f"WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return gzip.compress(head + http + b"\r\n\r\n")


def write(site, fmt, n, kb):
    shutil.rmtree(site, ignore_errors=True)
    for d in ("actors", "sources", "claims"):
        os.makedirs(os.path.join(site, "content", d))
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write('title = "Snapshots"\nbase_url = "https://example.org/"\n')
    with open(os.path.join(site, "content/actors/a.md"), "w") as f:
        f.write('+++\ntitle = "A"\n+++\n')
    for i in range(n):
        url = f"https://news.test/{i}"
        with open(os.path.join(site, f"content/sources/s{i}.md"), "w") as f:
            f.write(f'+++\ntitle = "Source {i}"\nurl = "{url}"\narchive_url = "https://web.archive.org/{i}"\n+++\n')
        sentences = text_of(i, kb)
        html = ("<html><body>" + "".join(f"<p>{s}</p>" for s in sentences) + "</body></html>").encode()
        data, ext = {
            "html": (html, "html"),
            "text": ("\n".join(sentences).encode(), "txt"),
            "pdf": (lambda: pdf_of(sentences), "pdf"),
            "warc": (lambda: warc_of(url, html), "warc.gz"),
        }[fmt]
        with open(os.path.join(site, f"content/sources/s{i}.{ext}"), "wb") as f:
            f.write(data() if callable(data) else data)
        with open(os.path.join(site, f"content/claims/c{i}.md"), "w") as f:
            f.write(f'+++\ntitle = "Claim {i}"\nclaimants = ["a"]\ndate = 2024-01-01\n\n[[citations]]\nsource = "s{i}"\nquote = "The closing sentence of source {i} is the quoted one."\n+++\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=200)
    ap.add_argument("--kb", type=int, default=200)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--other", help="another dossier binary, for the HTML, text and PDF dossiers")
    ap.add_argument("--no-other-pdf", action="store_true", help="the other binary reads no PDF")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bins"], cwd=ROOT, check=True)
    sites = {}
    for fmt in ("html", "text", "pdf", "warc"):
        sites[fmt] = f"/dev/shm/snapshots-{fmt}"
        write(sites[fmt], fmt, args.sources, args.kb)
    runs = [("this tree", fmt) for fmt in sites]
    compared = ("html", "text") if args.no_other_pdf else ("html", "text", "pdf")
    if args.other:
        runs += [("other", fmt) for fmt in compared]
    binaries = {"this tree": BIN, "other": args.other}
    times = {r: [] for r in runs}
    for rep in range(args.reps):
        for r in runs if rep % 2 == 0 else runs[::-1]:
            t, _ = run([binaries[r[0]], "check", "--root", sites[r[1]]])
            times[r].append(t)
    med = {r: statistics.median(t) for r, t in times.items()}
    size = lambda fmt: sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(sites[fmt], "content/sources")) for f in fs)
    print(f"{args.sources} sources, about {args.kb} kB of text each, `dossier check`, median of {args.reps}:")
    for r in runs:
        print(f"  {r[0]:10} {r[1]:5} {med[r]:6.3f} s  ({size(r[1]) / 1e6:6.1f} MB of snapshot files)"
              f"  ratio to this tree's HTML: {med[r] / med[('this tree', 'html')]:.2f}")
    if args.other:
        for fmt in compared:
            print(f"  {fmt}: this tree / other = {med[('this tree', fmt)] / med[('other', fmt)]:.3f}")
    for s in sites.values():
        shutil.rmtree(s, ignore_errors=True)


if __name__ == "__main__":
    main()
