#!/usr/bin/env bash
# Issue 5's side-by-side comparison: for each workload, PyTorch's best of 2 epochs (the shared torch_epoch.py: real
# Fashion-MNIST, 2 torch threads + 1 BLAS thread, denormals flushed) and then nnlang's best of epochs 2 and 3
# (`nn train --report`; epoch 1 is left out because it includes the JIT's warm-up), ROUNDS times alternately, on the
# same machine. Prints one JSON line per run and a table of
# medians. Needs Debian's python3-torch, python3-threadpoolctl, libopenblas0-pthread and dataset-fashion-mnist.
#
#   scripts/bench/vs_pytorch.sh [ROUNDS]        (BENCH_DIR: where torch_epoch.py lives, default ../shared/bench)
#   CPUS=0 scripts/bench/vs_pytorch.sh [ROUNDS]  both confined to these CPUs (taskset -c), PyTorch with that many
#                                                threads: a one-core comparison that the other core's load and the
#                                                virtual machine's placement of its two cores cannot disturb
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$ROOT/../shared/bench}"
DATA=/usr/share/datasets/fashion-mnist
ROUNDS="${1:-2}"
CPUS="${CPUS:-}"
pin=()
torch_threads="2,1"
if [ -n "$CPUS" ]; then
    pin=(taskset -c "$CPUS")
    n=$("${pin[@]}" nproc)
    torch_threads="$n,$n"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# workload name, torch_epoch.py kind, batch, .nn file (nnlang's twin of the PyTorch model)
workloads=(
    "mlp-b32 mlp 32 examples/seed-mlp.nn"
    "mlp-b512 mlp 512 examples/seed-mlp.nn"
    "separable-b32 separable 32 examples/separable-cnn.nn"
    "plain-b32 plain 32 examples/cnn.nn"
)

for round in $(seq 1 "$ROUNDS"); do
    for w in "${workloads[@]}"; do
        read -r name kind batch file <<<"$w"
        torch=$(cd "$BENCH_DIR" && "${pin[@]}" /usr/bin/python3 torch_epoch.py "$kind" "$batch" "$torch_threads" | sed -n 's/.*"samples_per_sec": \([0-9]*\).*/\1/p')
        nnfile="$work/$name.nn"
        sed "s/^\(\s*batch\s*=\s*\)[0-9]*/\1$batch/" "$ROOT/$file" >"$nnfile"
        # Through the launcher, for its JVM flags: a plain `java -jar` confined to one CPU gets the serial collector,
        # which turns C2's loop strip mining off and with it the vectorized kernels (docs/performance.md).
        "${pin[@]}" "$ROOT/nn" train "$nnfile" --data "$DATA" --epochs 3 --report "$work/r.json" >/dev/null
        nn=$(/usr/bin/python3 -c "import json;print(round(max(e['samples_per_sec'] for e in json.load(open('$work/r.json'))['epochs'][1:])))")
        echo "{\"round\": $round, \"workload\": \"$name\", \"pytorch\": $torch, \"nnlang\": $nn}" | tee -a "$work/all.jsonl"
    done
done

/usr/bin/python3 - "$work/all.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"\n{'workload':<15}{'PyTorch (median)':>18}{'nnlang (median)':>18}{'ratio':>8}")
for name in dict.fromkeys(r['workload'] for r in rows):
    t = statistics.median(r['pytorch'] for r in rows if r['workload'] == name)
    n = statistics.median(r['nnlang'] for r in rows if r['workload'] == name)
    print(f"{name:<15}{t:>18,.0f}{n:>18,.0f}{n / t:>7.2f}x")
PY
