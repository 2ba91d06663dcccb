"""Where a GPU step's time goes, kernel by kernel: one workload, one peer, on the GPU.

    python benchmarks/gpu_profile.py --peer tensorflux [--variant mixed] [--workload resnet50_train]

Runs the workload's step as `run.py --device gpu` would (warm-up first), then a few steps under
`torch.profiler` with CUDA activity: CUPTI records every kernel the process launches, whichever
framework launched it (XLA's for tensorflux and JAX, PyTorch's own), so the peers are compared
kernel by kernel. Prints GPU time per step by kernel family (convolutions, matrix products,
XLA fusions, copies, other) and the costliest kernels. Needs PyTorch with CUDA; the numbers are
for reading next to each other, not for the benchmark table (the profiler adds overhead).
"""

import argparse
import collections
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

FAMILIES = (  # (family, substrings of kernel names), first match wins
    ("copy/transpose", ("memcpy", "memset", "copy", "transpose")),
    ("convolution", ("conv", "cudnn", "xmma", "implicit", "dgrad", "wgrad", "fprop", "winograd")),
    ("matmul", ("gemm", "cublas", "cutlass", "matmul", "gemv")),
    ("reduction", ("reduce", "reduction")),
    ("xla fusion", ("fusion", "loop_", "input_", "wrapped_")),
)


def family(name):
    low = name.lower()
    for fam, keys in FAMILIES:
        if any(k in low for k in keys):
            return fam
    return "other"


def device_time(evt):
    for attr in ("self_device_time_total", "self_cuda_time_total", "device_time_total",
                 "cuda_time_total"):
        v = getattr(evt, attr, None)
        if v:
            return float(v)
    return 0.0


def _host_breakdown(step, steps):
    """tensorflux's step split into: before the XLA call, the call (dispatch), the wait for the
    device (the first fetched value), after it. Medians in ms."""
    import jax

    from tensorflux.backends.xla import compiler

    marks = {}
    real = compiler.PlanRunner._call

    def timed(self, entry, dyn, ro, rw, keys):
        marks["call"] = time.perf_counter()
        out = real(self, entry, dyn, ro, rw, keys)
        marks["dispatched"] = time.perf_counter()
        jax.block_until_ready(out)
        marks["ready"] = time.perf_counter()
        return out

    compiler.PlanRunner._call = timed
    rows = []
    try:
        for _ in range(steps):
            t0 = time.perf_counter()
            step()
            t1 = time.perf_counter()
            rows.append((marks["call"] - t0, marks["dispatched"] - marks["call"],
                         marks["ready"] - marks["dispatched"], t1 - marks["ready"]))
    finally:
        compiler.PlanRunner._call = real
    return tuple(sorted(col)[len(col) // 2] * 1e3 for col in zip(*rows))


def _python_profile(step, steps, top):
    """The host's time per step by Python function (tottime: time in the function itself,
    including the C calls it makes, such as a jitted call's dispatch or a wait for the GPU)."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(steps):
        step()
    prof.disable()
    stats = pstats.Stats(prof)
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    print("  host time by Python function (ms/step, calls/step, function):")
    for (path, line, name), (_, ncalls, tottime, _, _) in rows:
        print("    %8.3f %7.1f  %s:%d(%s)" % (tottime / steps * 1e3, ncalls / steps,
                                           os.path.basename(path), line, name))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", default="resnet50_train")
    p.add_argument("--peer", default="tensorflux", choices=("tensorflux", "torch", "jax"))
    p.add_argument("--variant", default=None)
    p.add_argument("--batch", type=int, default=None)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--device", default="gpu", choices=("gpu", "cpu"))
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--gaps", type=int, default=0, metavar="N",
                   help="also print the GPU's idle time (gaps between kernels) and the N longest "
                        "gaps with the kernels around them")
    p.add_argument("--pyprofile", type=int, default=0, metavar="N",
                   help="also print the N Python functions with the most host time per step "
                        "(cProfile over unprofiled steps)")
    p.add_argument("--trace", default=None, metavar="FILE",
                   help="write the profiled steps as a Chrome trace (gzipped if FILE ends in .gz)")
    args = p.parse_args(argv)

    import importlib

    import torch
    from torch.profiler import ProfilerActivity, profile
    from workloads import Options

    mod = importlib.import_module("workloads." + args.workload)
    opts = Options(batch=args.batch or mod.BATCH, device=args.device, variant=args.variant)
    step = getattr(mod, "setup_" + args.peer)(opts)
    for _ in range(3):
        step()
    t = time.perf_counter()
    for _ in range(args.steps):
        step()
    wall = (time.perf_counter() - t) / args.steps
    cuda = torch.cuda.is_available()
    breakdown = _host_breakdown(step, args.steps) if args.peer == "tensorflux" else None
    if args.pyprofile:
        _python_profile(step, args.steps, args.pyprofile)
    with profile(activities=[ProfilerActivity.CUDA if cuda else ProfilerActivity.CPU]) as prof:
        for _ in range(args.steps):
            step()
        if cuda:
            torch.cuda.synchronize()
    per_fam = collections.Counter()
    kernels = []
    for evt in prof.key_averages():
        us = device_time(evt)
        if us <= 0:
            continue
        kernels.append((us / args.steps, evt.count / args.steps, evt.key))
        per_fam[family(evt.key)] += us / args.steps
    total = sum(per_fam.values())
    label = args.peer + ("+" + args.variant if args.variant else "")
    print("%s %s batch %d: wall %.2f ms/step (unprofiled), GPU kernels %.2f ms/step, "
          "%d kernel launches/step" % (label, args.workload, opts.batch, wall * 1e3, total / 1e3,
                                       sum(c for _, c, _ in kernels)))
    if breakdown:
        print("  tensorflux host side per step: %.3f ms until the executable is dispatched, "
              "%.3f ms dispatching it, %.3f ms waiting for the device, %.3f ms after "
              "(outputs, state)" % breakdown)
    for fam, us in per_fam.most_common():
        print("  %-15s %8.3f ms  %5.1f%%" % (fam, us / 1e3, 100 * us / max(total, 1e-9)))
    print("  top kernels (ms/step, launches/step, name):")
    for us, count, name in sorted(kernels, reverse=True)[:args.top]:
        print("    %7.3f %5.1f  %s" % (us / 1e3, count, name[:110]))
    if args.gaps:
        print_gaps(device_intervals(prof), args.steps, args.gaps)
    if args.trace:
        write_trace(prof, args.trace)
    return 0


def device_intervals(prof):
    """(start us, end us, name) of every GPU activity the profiler recorded, by start time."""
    out = []
    for evt in prof.events():
        kind = str(getattr(evt, "device_type", ""))
        if "CUDA" not in kind and "PrivateUse" not in kind:
            continue
        r = evt.time_range
        if r.end > r.start:
            out.append((float(r.start), float(r.end), evt.name))
    return sorted(out)


def idle_gaps(intervals):
    """The gaps in which no GPU activity runs: (length us, name before, name after), in order."""
    gaps = []
    busy_end, last = None, None
    for start, end, name in intervals:
        if busy_end is not None and start > busy_end:
            gaps.append((start - busy_end, last, name))
        if busy_end is None or end >= busy_end:
            busy_end, last = end, name
    return gaps


def print_gaps(intervals, steps, top):
    """GPU idle time per step: the `steps - 1` longest gaps are taken as the host's time between
    steps (the step's result is waited for, then the next is dispatched); the rest are bubbles
    inside a step's execution."""
    if not intervals:
        print("  no GPU activity recorded")
        return
    gaps = idle_gaps(intervals)
    span = intervals[-1][1] - intervals[0][0]
    ordered = sorted(gaps, key=lambda g: -g[0])
    between = ordered[:max(steps - 1, 0)]
    inside = ordered[len(between):]
    n_in = max(steps, 1)
    print("  GPU timeline over %d steps: %.3f ms/step from the first kernel to the last, idle "
          "%.3f ms/step between steps (host), %.3f ms/step inside steps in %d gaps/step "
          "(%.1f gaps/step over 20 us, %.3f ms/step in those)" % (
              steps, span / n_in / 1e3,
              sum(g for g, _, _ in between) / max(len(between), 1) / 1e3,
              sum(g for g, _, _ in inside) / n_in / 1e3, len(inside) // n_in,
              sum(1 for g, _, _ in inside if g > 20) / n_in,
              sum(g for g, _, _ in inside if g > 20) / n_in / 1e3))
    print("  longest gaps inside steps (us, kernel before -> kernel after):")
    for g, before, after in inside[:top]:
        print("    %8.1f  %s -> %s" % (g, before[:60], after[:60]))


def write_trace(prof, path):
    import gzip
    import shutil

    if not path.endswith(".gz"):
        prof.export_chrome_trace(path)
        return
    raw = path[:-3]
    prof.export_chrome_trace(raw)
    with open(raw, "rb") as src, gzip.open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    os.remove(raw)


if __name__ == "__main__":
    sys.exit(main())
