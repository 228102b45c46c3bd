#!/usr/bin/env python3
"""Whether reading large inputs takes time in proportion to their size.

For each case, writes an input of size N and one of 10×N to /dev/shm and runs the
command on each, R times, with this tree's release binary (and, with --other, another
one, interleaved); prints the medians and the ratio of the larger input's time to the
smaller's, which is about 10 when the work is linear (less when start-up dominates).

  csl      Zotero-style CSL-JSON items, pretty-printed    `import --dry-run`
  bibtex   BibTeX entries, with an @string and braces     `import --dry-run`
  braces   one BibTeX title nested N braces deep          `import --dry-run` (refused)
  pdf      a PDF of N pages of text, as a source snapshot `check`

    python3 bench/linear.py [--cases csl,bibtex,braces,pdf] [--reps 3] [--other /tmp/old]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, ROOT  # noqa: E402
from snapshots import pdf_of  # noqa: E402

SHM = "/dev/shm/linear"
SITE = "title = \"Linear\"\nbase_url = \"https://example.org/\"\n"


def csl(path, n):
    items = [{"id": f"key{i}", "type": "article-newspaper", "title": f"Report number {i} on the matter",
              "container-title": "The Daily Test", "author": [{"family": "Writer", "given": "Ann"}],
              "issued": {"date-parts": [[2024, 1 + i % 12]]}, "URL": f"https://news.test/{i}"}
             for i in range(n)]
    with open(path, "w") as f:
        json.dump(items, f, indent=1)


def bibtex(path, n):
    with open(path, "w") as f:
        f.write('@string{dt = "The Daily Test"}\n')
        for i in range(n):
            f.write(f"@article{{key{i},\n  title = {{Report number {i} on the {{Matter}}}},\n"
                    f"  journal = dt,\n  author = {{Writer, Ann and Other, Bob}},\n  year = {{2024}},\n"
                    f"  month = {{{1 + i % 12}}},\n  url = {{https://news.test/{i}}}\n}}\n\n")


def braces(path, n):
    with open(path, "w") as f:
        f.write("@article{deep,\n title = {" + "{" * n + "x" + "}" * n + "},\n year = {2024}\n}\n")


def pdf_site(folder, pages):
    os.makedirs(f"{folder}/content/sources")
    with open(f"{folder}/site.toml", "w") as f:
        f.write(SITE)
    lines = [f"Line {k} of page {k // 40} says something about the matter number {k}." for k in range(pages * 40)]
    with open(f"{folder}/content/sources/big.pdf", "wb") as f:
        f.write(pdf_of(lines))
    with open(f"{folder}/content/sources/big.md", "w") as f:
        f.write("+++\ntitle = \"Big\"\nkind = \"report\"\npublisher = \"P\"\ndate = 2024-01-01\n"
                "url = \"https://example.org/big\"\narchive_url = \"https://web.archive.org/big\"\n+++\n")


CASES = {
    # name: (size, unit, maker, command for (binary, input))
    "csl": (10_000, "items", lambda p, n: csl(p + ".json", n),
            lambda b, p: [b, "import", p + ".json", "--root", SHM + "/site", "--dry-run"]),
    "bibtex": (10_000, "entries", lambda p, n: bibtex(p + ".bib", n),
               lambda b, p: [b, "import", p + ".bib", "--root", SHM + "/site", "--dry-run"]),
    "braces": (10_000, "braces", lambda p, n: braces(p + ".bib", n),
               lambda b, p: [b, "import", p + ".bib", "--root", SHM + "/site", "--dry-run"]),
    "pdf": (800, "pages", pdf_site, lambda b, p: [b, "check", "--root", p]),
}


def timed(cmd):
    """Seconds the command took; its exit status does not matter (a refusal is the point)."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--other", help="another dossier binary, for comparison")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bins"], cwd=ROOT, check=True)
    shutil.rmtree(SHM, ignore_errors=True)
    os.makedirs(SHM + "/site")
    with open(SHM + "/site/site.toml", "w") as f:
        f.write(SITE)
    binaries = [("this tree", BIN)] + ([("other", args.other)] if args.other else [])
    for case in args.cases.split(","):
        size, unit, make, command = CASES[case]
        sizes = [size, size * 10]
        for n in sizes:
            make(f"{SHM}/{case}-{n}", n)
        times = {(b, n): [] for b, _ in binaries for n in sizes}
        for rep in range(args.reps):
            order = [(b, p, n) for b, p in binaries for n in sizes]
            for b, p, n in order if rep % 2 == 0 else order[::-1]:
                times[(b, n)].append(timed(command(p, f"{SHM}/{case}-{n}")))
        print(f"{case}, median of {args.reps}:")
        for b, _ in binaries:
            small, large = (statistics.median(times[(b, n)]) for n in sizes)
            print(f"  {b:10} {sizes[0]:>8} {unit} {small:8.3f} s  {sizes[1]:>8} {unit} {large:8.3f} s"
                  f"  ratio {large / small:5.1f}")
    shutil.rmtree(SHM, ignore_errors=True)


if __name__ == "__main__":
    main()
