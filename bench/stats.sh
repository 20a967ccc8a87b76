# Shared by the bench scripts: timing, and the median with its spread of
# interleaved runs. Each run appends one line of numbers to a file; the
# columns are read back as median (min, max, N runs), and the ratio of two
# columns is taken run by run, so both sides of a ratio come from the same
# moment of a noisy machine.

ms() { date +%s%N | awk '{ printf "%.3f", $1 / 1e6 }'; }

# wall time in ms of a command (its output discarded)
wall_ms() {
    t0=$(ms); "$@" >/dev/null 2>&1 || true; t1=$(ms)
    echo "$t1 $t0" | awk '{ printf "%.3f\n", $1 - $2 }'
}

# the values of column $2 of file $1, or with $3 the ratio column $2 / $3
column() {
    awk -v a="$2" -v b="${3:-0}" '{ if (b == 0) print $a; else if ($b > 0) print $a / $b }' "$1" | sort -g
}

# "median  (min X, max Y, N runs)" of column() $@
spread() {
    column "$@" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { printf "n/a"; exit }
        printf "%.2f  (min %.2f, max %.2f, %d runs)", v[int((NR + 1) / 2)], v[1], v[NR], NR }'
}

# the median alone
median() {
    column "$@" | awk '{ v[NR] = $1 } END { if (NR > 0) print v[int((NR + 1) / 2)] }'
}

# "met" or "NOT met": median $1 <= goal $2
verdict() {
    echo "$1 $2" | awk '{ print ($1 != "" && $1 <= $2) ? "met" : "NOT met" }'
}
