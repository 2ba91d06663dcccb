#!/usr/bin/env bash
# The GPU checks, in one run, for a machine with an NVIDIA GPU, JAX for CUDA and PyTorch (no
# TensorFlow needed; tensorflux runs from this checkout, with numpy and google-crc32c importable):
#   1. benchmark (d): ResNet-50 v1 training, batch 64, on the GPU: tensorflux (TF32, TF's
#      default) and tensorflux+mixed (the mixed-precision graph rewrite) beside PyTorch (TF32
#      allowed; and bf16 autocast) and plain JAX, in one `benchmarks/run.py --device gpu` run
#      (TENSORFLUX_XLA_STRICT=1: a tensorflux plan that cannot run compiled fails loudly);
#   2. tests/backends/test_gpu.py: devices, placement, TF32 on and off, a conv net's training
#      against the numpy backend, the float16 rewrite, compressed CPU<->GPU transfers;
#   3. the XLA op suite and the XLA, device and pass tests, XLA's default device being the GPU,
#      in full float32 (NVIDIA_TF32_OVERRIDE=0) so they compare with the numpy kernels at the
#      same tolerances as on a CPU.
# Usage: tools/gpu_check.sh [OUTDIR]   (logs and the benchmark's JSON go to OUTDIR)
# Environment: PYTHON (default python3), STEPS (timed steps, default 20), BENCH_TIMEOUT,
# PAIR_TIMEOUT, TEST_TIMEOUT, SUITE_TIMEOUT (seconds).
set -u
cd "$(dirname "$0")/.."
OUTDIR=${1:-gpu_check_out}
mkdir -p "$OUTDIR"
PY=${PYTHON:-python3}
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=2

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

echo "=== benchmark (d) ==="
TENSORFLUX_XLA_STRICT=1 timeout "${BENCH_TIMEOUT:-420}" $PY benchmarks/run.py --device gpu --workloads resnet50_train \
  --peers tensorflux,torch,tensorflux+mixed,torch+bf16,jax --steps "${STEPS:-20}" --warmup 3 \
  --timeout "${PAIR_TIMEOUT:-150}" --json "$OUTDIR/bench.json" > "$OUTDIR/bench.log" 2>&1
echo "benchmark exit $?"

# The tests share the GPU between processes: no up-front allocation of most of its memory.
export XLA_PYTHON_CLIENT_PREALLOCATE=false
echo "=== tests/backends/test_gpu.py ==="
timeout "${TEST_TIMEOUT:-90}" $PY -m pytest -q -p no:cacheprovider -rfEs \
  tests/backends/test_gpu.py > "$OUTDIR/test_gpu.log" 2>&1
echo "test_gpu exit $?"
echo "=== the XLA op suite on the GPU ==="
XDIST=""
if $PY -c "import xdist" 2>/dev/null; then XDIST="-n 8"; fi
NVIDIA_TF32_OVERRIDE=0 timeout "${SUITE_TIMEOUT:-150}" $PY -m pytest -q -p no:cacheprovider \
  -rfE $XDIST tests/backends/test_xla_consistency.py tests/backends/test_xla_session.py \
  tests/client tests/passes > "$OUTDIR/test_xla.log" 2>&1
echo "xla suite exit $?"

echo "=== summary ==="
tail -n 20 "$OUTDIR/test_gpu.log"
tail -n 25 "$OUTDIR/test_xla.log"
tail -n 28 "$OUTDIR/bench.log"
