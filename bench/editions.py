#!/usr/bin/env python3
"""What a translated edition costs: one synthetic dossier built in one language, then with
`[languages.fr]` and no translation, then with every claim translated (`<id>.fr.md` with
its own title, summary and body).

Builds the release binary and the corpus generator, writes a dossier of N claims
(examples/corpus.rs) to /dev/shm and builds each variant, interleaved, into an emptied
output folder; reports medians, peak RSS (from wait4), files written and each variant's
time against the site in one language. With --other, each variant is also built by that
binary (one from before a change), interleaved, and the change's cost is reported.

    python3 bench/editions.py [--claims 10000] [--reps 5] [--other /tmp/old]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_vs_hugo import BIN, CORPUS, ROOT, clear, run  # noqa: E402

EDITION = '\n[languages.fr]\ntitle = "Dossier synthétique"\n'


def translate(site):
    """Writes a French translation beside every claim."""
    claims = os.path.join(site, "content", "claims")
    for name in os.listdir(claims):
        if not name.endswith(".md") or name.count(".") > 1:
            continue
        with open(os.path.join(claims, name), encoding="utf-8") as f:
            text = f.read()
        title = re.search(r'^title = "(.*)"$', text, re.M).group(1)
        body = text.split("+++", 2)[2]
        fr = (
            "+++\n"
            f'title = "Traduction : {title}"\n'
            'summary = "Un résumé traduit de l’affirmation."\n'
            "+++\n"
            f"Texte traduit. {body}"
        )
        with open(os.path.join(claims, name[:-3] + ".fr.md"), "w", encoding="utf-8") as f:
            f.write(fr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--other", help="another dossier binary, to compare each variant with")
    args = ap.parse_args()
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bins", "--example", "corpus"],
        cwd=ROOT,
        check=True,
    )
    base = "/dev/shm"
    sites = {}
    for variant in ["one language", "edition, none translated", "edition, all translated"]:
        site = os.path.join(base, f"editions-{len(sites)}")
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([CORPUS, str(args.claims), site], check=True, stdout=subprocess.DEVNULL)
        if variant != "one language":
            with open(os.path.join(site, "site.toml"), "a", encoding="utf-8") as f:
                f.write(EDITION)
        if variant == "edition, all translated":
            translate(site)
        sites[variant] = site
    out = os.path.join(base, "editions-out")
    binaries = {"this tree": BIN, "other": args.other}
    names = [(b, v) for b in binaries if binaries[b] for v in sites]
    times = {k: [] for k in names}
    rss = {k: [] for k in names}
    files = {}
    for rep in range(args.reps):
        for name in names if rep % 2 == 0 else names[::-1]:
            clear(out)
            t, m = run([binaries[name[0]], "build", "--root", sites[name[1]], "--output", out])
            times[name].append(t)
            rss[name].append(m)
            files[name] = sum(len(f) for _, _, f in os.walk(out))
    med = {k: statistics.median(v) for k, v in times.items()}
    mem = {k: statistics.median(v) for k, v in rss.items()}
    first = med[names[0]]
    print(f"{args.claims} claims, {args.reps} builds each, medians:")
    for name in names:
        print(
            f"  {name[0]:9} {name[1]:26} {med[name]:6.3f} s  ({med[name] / first:4.2f}×)  peak RSS"
            f" {mem[name]:5.0f} MB  {files[name]} files"
        )
    if args.other:
        for v in sites:
            this, other = ("this tree", v), ("other", v)
            print(f"  {v}: this tree / other = {med[this] / med[other]:.3f} in time,"
                  f" {mem[this]:.0f} against {mem[other]:.0f} MB")
    for path in (*sites.values(), out):
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    main()
