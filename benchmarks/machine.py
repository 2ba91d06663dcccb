"""Facts about the machine the peers run on: CPU, BLAS in use, and measured float32 GEMM peak.

    python benchmarks/machine.py [--out FILE] [--n 2048]

`run.py` runs this as a child with the same environment as the workload children, so the BLAS
kernel it reports (and the peak it measures) is the one the numpy-based peers get.
"""

import argparse
import json
import os
import platform
import sys
import time

OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_info():
    """The BLAS libraries numpy loaded: threadpoolctl's view, else numpy.show_config's."""
    import numpy as np

    try:
        import threadpoolctl
    except ImportError:
        threadpoolctl = None
    if threadpoolctl is not None:
        pools = threadpoolctl.threadpool_info()
        blas = [p for p in pools if p.get("user_api") == "blas"] or pools
        return {"source": "threadpoolctl", "libraries": [
            {k: p.get(k) for k in ("internal_api", "version", "architecture", "num_threads",
                                   "threading_layer", "filepath")} for p in blas]}
    try:
        cfg = np.show_config(mode="dicts")
        deps = cfg.get("Build Dependencies", {})
        return {"source": "numpy.show_config", "libraries": [
            {"internal_api": deps.get("blas", {}).get("name"),
             "version": deps.get("blas", {}).get("version")}]}
    except (TypeError, AttributeError):
        return {"source": "none", "libraries": []}


def gemm_peak(n=2048, repeats=20, warmup=2):
    """Best and median float32 GFLOP/s of an n x n x n numpy matmul (2 n^3 FLOPs each)."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    out = np.empty((n, n), dtype=np.float32)
    for _ in range(warmup):
        np.matmul(a, b, out=out)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        np.matmul(a, b, out=out)
        times.append(time.perf_counter() - t)
    times.sort()
    work = 2.0 * n ** 3
    return {"n": n, "repeats": repeats, "peak_gflops": work / times[0] / 1e9,
            "median_gflops": work / times[len(times) // 2] / 1e9}


def gpu_gemm_peak(n=8192, repeats=20, warmup=3):
    """The GPU's float32 matmul rate through JAX (TF32, the frameworks' default), in GFLOP/s."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError as e:
        return {"error": "no jax: %s" % e}
    gpus = [d for d in jax.devices() if d.platform == "gpu"]
    if not gpus:
        return {"error": "jax sees no GPU"}
    dev = gpus[0]
    ka, kb = jax.random.split(jax.random.PRNGKey(0))
    with jax.default_device(dev), jax.default_matmul_precision("tensorfloat32"):
        a = jax.random.normal(ka, (n, n), jnp.float32)
        b = jax.random.normal(kb, (n, n), jnp.float32)
        f = jax.jit(lambda x, y: x @ y)
        for _ in range(warmup):
            f(a, b).block_until_ready()
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            f(a, b).block_until_ready()
            times.append(time.perf_counter() - t)
    times.sort()
    work = 2.0 * n ** 3
    return {"name": getattr(dev, "device_kind", str(dev)), "n": n, "repeats": repeats,
            "peak_gflops": work / times[0] / 1e9,
            "median_gflops": work / times[len(times) // 2] / 1e9}


def describe(n=2048, device="cpu"):
    import numpy as np

    return {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "loadavg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "openblas_env": {k: os.environ.get(k) for k in OPENBLAS_VARS},
        "blas": blas_info(),
        "gemm": gemm_peak(n),
        "gpu": gpu_gemm_peak() if device == "gpu" else None,
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=None, help="write JSON here (default: print it)")
    p.add_argument("--n", type=int, default=2048, help="GEMM size for the peak probe")
    p.add_argument("--device", default="cpu", choices=("cpu", "gpu"),
                   help="gpu: also measure the GPU's float32 (TF32) matmul rate via JAX")
    args = p.parse_args(argv)
    info = describe(args.n, args.device)
    text = json.dumps(info, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
