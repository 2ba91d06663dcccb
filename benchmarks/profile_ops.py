"""Where one tensorflux step's time goes: CPU time per op type, for any workload.

    python benchmarks/profile_ops.py cnn_train [--steps 10] [--batch 100] [--clock wall]
    OMP_NUM_THREADS=1 python benchmarks/profile_ops.py resnet50_infer --steps 3

Every numpy kernel is wrapped with a timer (process CPU time by default: on a machine shared
with other work, CPU time is far steadier than wall time; with one thread it is the kernel's
own cost). The table lists each op type's time per step and calls per step; the first line
compares the whole step with the sum of its kernels (the rest is the interpreter and Session).
A fused op (`_FusedConv`) includes the kernels it composes, which are not counted again.
"""

import argparse
import collections
import importlib
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main(argv=None):
    from workloads import WORKLOADS, Options

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workload", choices=WORKLOADS)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--batch", type=int, default=None)
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args(argv)

    from tensorflux.ops import registry

    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    spent = collections.defaultdict(float)
    calls = collections.Counter()
    depth = [0]

    def timed(fn, name):
        def run(*a):
            depth[0] += 1
            t = clock()
            try:
                return fn(*a)
            finally:
                depth[0] -= 1
                if depth[0] == 0:  # kernels a fused kernel composes are not counted twice
                    spent[name] += clock() - t
                    calls[name] += 1
        return run

    def wrap(builder, name):
        def timed_builder(op):
            fn = builder(op)
            run = timed(fn, name)
            if getattr(fn, "donatable", ()):  # keep the interpreter's buffer reuse
                run.donatable = fn.donatable
                run.donated = timed(fn.donated, name)
            return run
        return timed_builder

    for name, opdef in registry._REGISTRY.items():
        if "numpy" in opdef.kernels:
            opdef.kernels["numpy"] = wrap(opdef.kernels["numpy"], name)

    mod = importlib.import_module("workloads." + args.workload)
    step = mod.setup_tensorflux(Options(batch=args.batch or mod.BATCH))
    for _ in range(args.warmup):
        step()
    spent.clear()
    calls.clear()
    times = []
    for _ in range(args.steps):
        t = clock()
        step()
        times.append(clock() - t)
    times.sort()
    n = args.steps
    print("%s, %s time: step median %.2f ms (min %.2f), kernels %.2f ms per step"
          % (args.workload, args.clock, 1e3 * times[len(times) // 2], 1e3 * times[0],
             1e3 * sum(spent.values()) / n))
    for name, t in sorted(spent.items(), key=lambda kv: -kv[1])[:args.top]:
        print("  %-32s %9.2f ms  x%d" % (name, 1e3 * t / n, calls[name] // n))


if __name__ == "__main__":
    main()
