#!/bin/sh
# run-fuzz.sh SECONDS SRCDIR TARGET...: runs each libFuzzer TARGET for
# SECONDS seconds from its seed corpus (SRCDIR/corpus-NAME), prints one
# line "NAME: N execs in S s, no crash" per target (or the crash), and
# exits non-zero if any target crashed.
secs=$1 srcdir=$2
shift 2
status=0
for target in "$@"; do
    name=$(basename "$target" | sed 's/^fuzz-//')
    corpus=$(dirname "$target")/$name.corpus
    log=$(dirname "$target")/$name.log
    mkdir -p "$corpus"
    if "$target" -max_total_time="$secs" -max_len=4096 -timeout=10 \
           -rss_limit_mb=2048 -print_final_stats=1 \
           -artifact_prefix="$(dirname "$target")/$name-crash-" \
           "$corpus" "$srcdir/corpus-$name" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "$name: $execs execs in $secs s, no crash"
    else
        echo "$name: FAILED (see $log)"
        grep -E 'ERROR|runtime error|SUMMARY' "$log" | head -5
        status=1
    fi
done
exit $status
