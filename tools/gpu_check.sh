#!/usr/bin/env bash
# The GPU checks, in one run, for a machine with an NVIDIA GPU, JAX for CUDA and PyTorch (no
# TensorFlow needed; tensorflux runs from this checkout, with numpy and google-crc32c importable):
#   1. benchmark (d): ResNet-50 v1 training, batch 64, on the GPU, in two `benchmarks/run.py
#      --device gpu` runs: tensorflux (TF32, TF's default) against PyTorch (TF32 allowed) in
#      $ROUNDS interleaved rounds, then tensorflux+mixed (the mixed-precision graph rewrite)
#      beside PyTorch's bf16 autocast and plain JAX (TENSORFLUX_XLA_STRICT=1: a tensorflux plan
#      that cannot run compiled fails loudly). JAX's persistent compilation cache is on, so a
#      later round (and the profile) reuses the first round's executables;
#   2. benchmarks/gpu_profile.py for tensorflux: GPU time by kernel family, the host side of a
#      step, the GPU's idle gaps, and a Chrome trace of the profiled steps (trace.json.gz);
#   3. tests/backends/test_gpu.py: devices, placement, TF32 on and off, a conv net's training
#      against the numpy backend, the float16 rewrite, compressed CPU<->GPU transfers;
#   4. the XLA op suite and the XLA, device and pass tests, XLA's default device being the GPU,
#      in full float32 (NVIDIA_TF32_OVERRIDE=0) so they compare with the numpy kernels at the
#      same tolerances as on a CPU.
# Usage: tools/gpu_check.sh [OUTDIR]   (logs and the benchmarks' JSON go to OUTDIR)
# Environment: PYTHON (default python3), STEPS (timed steps, default 40), ROUNDS (default 2),
# BENCH_TIMEOUT, PAIR_TIMEOUT, PROFILE_TIMEOUT, TEST_TIMEOUT, SUITE_TIMEOUT (seconds).
set -u
cd "$(dirname "$0")/.."
OUTDIR=${1:-gpu_check_out}
mkdir -p "$OUTDIR"
PY=${PYTHON:-python3}
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=2
export JAX_COMPILATION_CACHE_DIR=${JAX_COMPILATION_CACHE_DIR:-/tmp/tensorflux_jax_cache}
START=$SECONDS
stamp() { echo "[$((SECONDS - START)) s] $*"; }

{
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,temperature.gpu \
    --format=csv
  $PY - <<'PY'
import jax, numpy, torch
import tensorflux
print("jax", jax.__version__, jax.devices())
print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))
print("numpy", numpy.__version__, "tensorflux", tensorflux.__version__)
PY
} 2>&1 | tee "$OUTDIR/gpu.txt"

BENCH="$PY benchmarks/run.py --device gpu --workloads resnet50_train --steps ${STEPS:-40} \
  --warmup 3 --timeout ${PAIR_TIMEOUT:-150}"
stamp "benchmark (d), TF32: tensorflux and torch, ${ROUNDS:-2} rounds"
TENSORFLUX_XLA_STRICT=1 timeout "${BENCH_TIMEOUT:-300}" $BENCH --peers tensorflux,torch \
  --rounds "${ROUNDS:-2}" --json "$OUTDIR/bench_tf32.json" > "$OUTDIR/bench_tf32.log" 2>&1
stamp "exit $?; benchmark (d), 16-bit: tensorflux+mixed, torch+bf16, and plain JAX"
TENSORFLUX_XLA_STRICT=1 timeout "${BENCH_TIMEOUT:-300}" $BENCH \
  --peers tensorflux+mixed,torch+bf16,jax --json "$OUTDIR/bench_16.json" \
  > "$OUTDIR/bench_16.log" 2>&1
stamp "exit $?; profile of tensorflux's step"
timeout "${PROFILE_TIMEOUT:-120}" $PY benchmarks/gpu_profile.py --peer tensorflux --steps 5 \
  --top 8 --gaps 12 --pyprofile 20 --trace "$OUTDIR/trace.json.gz" > "$OUTDIR/profile.log" 2>&1
stamp "exit $?"

# The tests share the GPU between processes: no up-front allocation of most of its memory.
export XLA_PYTHON_CLIENT_PREALLOCATE=false
stamp "tests/backends/test_gpu.py"
timeout "${TEST_TIMEOUT:-90}" $PY -m pytest -q -p no:cacheprovider -rfEs \
  tests/backends/test_gpu.py > "$OUTDIR/test_gpu.log" 2>&1
stamp "exit $?; the XLA op suite on the GPU"
XDIST=""
if $PY -c "import xdist" 2>/dev/null; then XDIST="-n 8"; fi
NVIDIA_TF32_OVERRIDE=0 timeout "${SUITE_TIMEOUT:-150}" $PY -m pytest -q -p no:cacheprovider \
  -rfE $XDIST tests/backends/test_xla_consistency.py tests/backends/test_xla_session.py \
  tests/client tests/passes > "$OUTDIR/test_xla.log" 2>&1
stamp "exit $?"

echo "=== summary ==="
tail -n 12 "$OUTDIR/test_gpu.log"
tail -n 25 "$OUTDIR/test_xla.log"
grep -v -i "warn" "$OUTDIR/profile.log" | head -n 60
tail -n 14 "$OUTDIR/bench_16.log"
tail -n 14 "$OUTDIR/bench_tf32.log"
