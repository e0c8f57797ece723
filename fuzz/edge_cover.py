#!/usr/bin/env python3
"""Picks the corpus files to commit: after `cargo fuzz cmin` a corpus still has
thousands of files (every hit count of every edge counts as a feature); this
keeps a greedy set cover of the edges alone, largest gain first, smaller files
first on ties, at most CAP files.

    B=fuzz/target/x86_64-unknown-linux-gnu/release/TARGET
    $B -merge=1 -merge_control_file=/tmp/ctl /tmp/empty-dir fuzz/corpus/TARGET
    python3 fuzz/edge_cover.py /tmp/ctl 400 > /tmp/keep.txt

Use a new control file each time (libFuzzer resumes from an existing one). It
prints the kept paths, one a line, and how many edges they cover on stderr.
"""
import os
import sys


def main():
    control, cap = sys.argv[1], int(sys.argv[2])
    lines = open(control).read().split("\n")
    count = int(lines[0])
    files = lines[2 : 2 + count]
    edges = {}
    for line in lines[2 + count :]:
        if line.startswith("COV "):
            fields = line.split()
            edges[int(fields[1])] = set(map(int, fields[2:]))
    everything = set().union(*edges.values())
    left = set(everything)
    size = {i: os.path.getsize(files[i]) for i in edges}
    kept = []
    while left and len(kept) < cap:
        best = max(edges, key=lambda i: (len(edges[i] & left), -size[i]))
        gain = edges[best] & left
        if not gain:
            break
        kept.append(best)
        left -= gain
    print(f"{len(kept)} files cover {len(everything) - len(left)} of {len(everything)} edges", file=sys.stderr)
    for i in kept:
        print(files[i])


if __name__ == "__main__":
    main()
