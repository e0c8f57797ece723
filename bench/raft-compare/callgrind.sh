#!/usr/bin/env bash
# Instructions executed by the timed part (`commit_entries`) of each side in each
# configuration, counted by callgrind: a ratio the shared machine's noise cannot move.
# Usage: ./callgrind.sh [ENTRIES]   (default 5000; callgrind runs about 50x slower)
# The callgrind files stay in the printed directory, for
# `callgrind_annotate --inclusive=yes FILE`.
set -euo pipefail
cd "$(dirname "$0")"
entries=${1:-5000}
cargo build --release --quiet
out=$(mktemp -d /tmp/raft-compare-callgrind.XXXXXX)
instructions() {
    valgrind --tool=callgrind --toggle-collect='*commit_entries*' \
        --callgrind-out-file="$out/$1-batch$2-$3B.out" \
        target/release/raft-compare --only "$1" --batch "$2" --payload "$3" \
        --entries "$entries" --reps 1 >/dev/null 2>"$out/$1-batch$2-$3B.log"
    awk '/^summary:/ { print $2 }' "$out/$1-batch$2-$3B.out"
}
echo "$entries commits per run; instructions per commit"
echo
echo "| batch | payload | raft-core | raft-rs | ratio core/rs (raft-rs instructions / raft-core's) |"
echo "|---|---|---|---|---|"
for batch in 1 64; do
    for payload in 16 1024; do
        core=$(instructions raft-core "$batch" "$payload")
        rs=$(instructions raft-rs "$batch" "$payload")
        awk -v b="$batch" -v p="$payload" -v c="$core" -v r="$rs" -v n="$entries" \
            'BEGIN { printf "| %d | %d B | %.0f | %.0f | %.2f |\n", b, p, c / n, r / n, r / c }'
    done
done
echo
echo "callgrind files: $out"
