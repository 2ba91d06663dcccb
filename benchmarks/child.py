"""Runs one (workload, peer) pair in this fresh interpreter and writes its timings as JSON.

    python benchmarks/child.py --workload overhead --peer torch --steps 2000 --warmup 200 \
        --out result.json

`run.py` starts one of these per pair. Only the standard library is imported here, so the same
file runs under any interpreter (TensorFlow lives in its own one); the workload module imports
its peer lazily inside its `setup_<peer>` function, which builds everything and returns `step`,
a zero-argument callable that runs one synchronous step. Steps are timed one by one with
`time.perf_counter` after the warm-up; peak RSS is `resource.getrusage(RUSAGE_SELF).ru_maxrss`
read at the end, so it includes the peer's import and setup.
"""

import argparse
import importlib
import json
import os
import platform
import resource
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))

# The module whose import proves the peer is installed, per peer.
PEER_MODULES = {
    "tensorflux": "tensorflux",
    "tensorflow": "tensorflow",
    "torch": "torch",
    "jax": "jax",
}


def percentile(sorted_values, q):
    """Linear-interpolated percentile (q in [0, 100]) of an already sorted list."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def summarize(times):
    """Median, p10, p90, mean, min of per-step times (seconds)."""
    s = sorted(times)
    return {
        "median_s": percentile(s, 50),
        "p10_s": percentile(s, 10),
        "p90_s": percentile(s, 90),
        "mean_s": sum(s) / len(s),
        "min_s": s[0],
    }


def peak_rss_mib():
    """Peak resident set size of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        rss /= 1024.0  # bytes there
    return rss / 1024.0


def peer_info(spec):
    """Version and threading facts about the peer, for the report."""
    peer = spec.partition("+")[0]
    info = {}
    mod = sys.modules.get(PEER_MODULES[peer])
    if mod is not None:
        info["version"] = getattr(mod, "__version__", "?")
    if peer == "torch" and mod is not None:
        info["threads"] = mod.get_num_threads()
        if mod.cuda.is_available():
            info["devices"] = [mod.cuda.get_device_name(0)]
    if peer == "jax" and mod is not None:
        info["devices"] = [str(d) for d in mod.devices()]
    if peer == "tensorflux" and mod is not None:
        info["kernels"] = tensorflux_kernels()
    return info


def tensorflux_kernels():
    """Which kernels tensorflux's numpy backend ran: oneDNN (version, threads) or numpy, and
    what runs the dense optimizer updates (numba's compiled loops or numpy)."""
    from tensorflux.backends import onednn

    if onednn.kernels_mode() == "reference":
        return "reference numpy kernels (TENSORFLUX_KERNELS=reference)"
    rt = onednn.library()
    if rt is None:
        return "numpy kernels (oneDNN not loaded: %s)" % onednn.load_error()
    from tensorflux.backends.onednn import threads

    try:
        import numba
        updates = ", numba %s optimizer updates" % numba.__version__
    except ImportError:
        updates = ", numpy optimizer updates (numba not installed)"
    return "oneDNN %s kernels%s, %d threads" % (".".join(map(str, rt.lib.version_info)),
                                                updates, threads.workers())


def _failed(result, peer, exc, prefix=""):
    msg = str(exc).strip().splitlines()
    result.update(status="failed",
                  error="%s%s: %s" % (prefix, type(exc).__name__, msg[0] if msg else ""),
                  traceback=traceback.format_exc(limit=-8))
    result.update(peer_info(peer))
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def run(workload, spec, steps, warmup, batch, device="cpu"):
    peer, _, variant = spec.partition("+")
    result = {"workload": workload, "peer": spec, "device": device,
              "python": platform.python_version(), "executable": sys.executable}
    try:
        importlib.import_module(PEER_MODULES[peer])
    except ImportError as e:
        result.update(status="not installed", error="%s: %s" % (type(e).__name__, e))
        return result
    except Exception as e:  # noqa: BLE001 - installed, but broken
        return _failed(result, spec, e, "import %s: " % PEER_MODULES[peer])
    from workloads import Options, Unsupported

    mod = importlib.import_module("workloads." + workload)
    setup = getattr(mod, "setup_" + peer, None)
    if setup is None:
        result.update(status="not implemented", error="workload has no setup_%s" % peer)
        return result
    if variant and variant not in getattr(mod, "VARIANTS", {}).get(peer, ()):
        result.update(status="not implemented", error="no variant %r of %s in %s"
                      % (variant, peer, workload))
        return result
    if device not in getattr(mod, "DEVICES", ("cpu",)):
        result.update(status="not implemented", error="no %s version of %s" % (device, workload))
        return result
    opts = Options(batch=batch or getattr(mod, "BATCH", None), device=device,
                   variant=variant or None)
    result.update(batch=opts.batch, flops_per_step=mod.flops(opts))
    t0 = time.perf_counter()
    try:
        step = setup(opts)
        result["setup_s"] = time.perf_counter() - t0
        for _ in range(warmup):
            step()
        times = []
        clock = time.perf_counter
        for _ in range(steps):
            t = clock()
            step()
            times.append(clock() - t)
    except Unsupported as e:
        result.update(status="not implemented", error=str(e))
        return result
    except Exception as e:  # noqa: BLE001 - any failure of a peer is a result to report
        return _failed(result, spec, e)
    result.update(status="ok", steps=steps, warmup=warmup, **summarize(times))
    result.update(peer_info(spec))
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", required=True)
    p.add_argument("--peer", required=True,
                   help="one of %s, optionally +variant" % ", ".join(sorted(PEER_MODULES)))
    p.add_argument("--device", default="cpu", choices=("cpu", "gpu"))
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--warmup", type=int, required=True)
    p.add_argument("--batch", type=int, default=None)
    p.add_argument("--out", required=True, help="file to write the JSON result to")
    args = p.parse_args(argv)
    sys.path.insert(0, HERE)
    if args.peer.partition("+")[0] not in PEER_MODULES:
        p.error("unknown peer %s" % args.peer)
    result = run(args.workload, args.peer, args.steps, args.warmup, args.batch, args.device)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
