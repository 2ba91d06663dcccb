#!/usr/bin/env bash
# The GPU checks, in one run, for a machine with an NVIDIA GPU, JAX for CUDA and PyTorch (no
# TensorFlow needed; tensorflux runs from this checkout, nothing is installed):
#   1. benchmark (d): ResNet-50 v1 training, batch 64, on the GPU — tensorflux (TF32, TF's
#      default) and tensorflux+mixed (the mixed-precision graph rewrite) beside PyTorch (TF32
#      allowed; and bf16 autocast) and plain JAX, in one `benchmarks/run.py --device gpu` run;
#   2. the tests that run ops on the GPU: tests/backends/test_gpu.py (TF32 on and off, placement,
#      training against numpy, the float16 rewrite, compressed transfers), then the XLA op suite
#      and the XLA/device/pass tests with XLA's default device being the GPU (full float32 there,
#      NVIDIA_TF32_OVERRIDE=0, so results compare with the numpy kernels at float32 tolerances).
# Usage: tools/gpu_check.sh [OUTDIR]   (logs and the benchmark's JSON go to OUTDIR)
# Environment: PYTHON (default python3), BENCH_TIMEOUT / TEST_TIMEOUT (seconds), STEPS.
set -u
cd "$(dirname "$0")/.."
OUTDIR=${1:-gpu_check_out}
mkdir -p "$OUTDIR"
PY=${PYTHON:-python3}
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
export XLA_PYTHON_CLIENT_PREALLOCATE=false  # several processes share the GPU
export TF_CPP_MIN_LOG_LEVEL=2

nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,temperature.gpu \
  --format=csv 2>&1 | tee "$OUTDIR/gpu.txt"
$PY - <<'PY' 2>&1 | tee -a "$OUTDIR/gpu.txt"
import jax, numpy, torch
print("jax", jax.__version__, jax.devices())
print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))
print("numpy", numpy.__version__)
PY

echo "=== benchmark (d) ==="
timeout "${BENCH_TIMEOUT:-330}" $PY benchmarks/run.py --device gpu --workloads resnet50_train \
  --peers tensorflux,tensorflux+mixed,torch,torch+bf16,jax --steps "${STEPS:-20}" --warmup 3 \
  --json "$OUTDIR/bench.json" > "$OUTDIR/bench.log" 2>&1
echo "benchmark exit $?"

echo "=== tests on the GPU ==="
XDIST=""
if $PY -c "import xdist" 2>/dev/null; then XDIST="-n 6"; fi
timeout "${TEST_TIMEOUT:-60}" $PY -m pytest -q -p no:cacheprovider -rfEs \
  tests/backends/test_gpu.py > "$OUTDIR/test_gpu.log" 2>&1
echo "test_gpu exit $?"
NVIDIA_TF32_OVERRIDE=0 timeout "${TEST_TIMEOUT:-150}" $PY -m pytest -q -p no:cacheprovider -rfE \
  $XDIST tests/backends/test_xla_consistency.py tests/backends/test_xla_session.py \
  tests/client tests/passes > "$OUTDIR/test_xla.log" 2>&1
echo "xla suite exit $?"

echo "=== summary ==="
tail -n 25 "$OUTDIR/test_gpu.log"
tail -n 30 "$OUTDIR/test_xla.log"
tail -n 30 "$OUTDIR/bench.log"
