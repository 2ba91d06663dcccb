"""tensorflux against its peers, side by side in one run: a table of step times, then ratios.

    python benchmarks/run.py [--workloads overhead,cnn_train,...] [--peers tensorflux,torch,...]
                             [--steps N] [--tf-python PATH] [--unset-openblas-env] [--json FILE]

Each (workload, peer) pair runs in its own fresh interpreter (`child.py`), one after another, all
children of this process. TensorFlow runs from its own interpreter (`--tf-python`, or the
environment variable TENSORFLUX_BENCH_TF_PYTHON, else this one) with TF_USE_LEGACY_KERAS=1.
The machine's float32 GEMM peak is measured first (`machine.py`, same environment as the
children), so each workload with a known FLOP count also gets GFLOP/s and % of that peak.
Speed is only ever a ratio against peers measured in the same run; nothing here asserts a time.
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from machine import OPENBLAS_VARS  # noqa: E402
from workloads import DEVICES, PEERS, WORKLOADS, peer_specs, split_peer  # noqa: E402

TF_PYTHON_ENV = "TENSORFLUX_BENCH_TF_PYTHON"
MIN_STEPS = 20


def parse_list(text, allowed, what):
    items = [x.strip() for x in text.split(",") if x.strip()]
    bad = [x for x in items if x not in allowed]
    if bad:
        raise SystemExit("unknown %s: %s (choose from %s)" % (what, ", ".join(bad),
                                                           ", ".join(allowed)))
    return items


def child_env(unset_openblas):
    env = dict(os.environ)
    if unset_openblas:
        for k in OPENBLAS_VARS:
            env.pop(k, None)
    env["PYTHONPATH"] = HERE + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def interpreter(peer, args):
    """(python executable, None) for `peer`, or (None, why) when there is none."""
    if peer != "tensorflow":
        return sys.executable, None
    path = args.tf_python or os.environ.get(TF_PYTHON_ENV) or sys.executable
    if not os.path.exists(path):
        return None, "no interpreter at %s" % path
    return path, None


def run_child(cmd, env, timeout):
    """Runs a child writing JSON to a temp file; returns (dict or None, error text or None)."""
    fd, out = tempfile.mkstemp(suffix=".json", prefix="tfx-bench-")
    os.close(fd)
    try:
        try:
            proc = subprocess.run(cmd + ["--out", out], env=env, timeout=timeout,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except subprocess.TimeoutExpired:
            return None, "Timeout: no result after %d s" % timeout
        if os.path.getsize(out) == 0:
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
            return None, "ChildExit %d: %s" % (proc.returncode, " | ".join(tail))
        with open(out) as f:
            return json.load(f), None
    finally:
        os.unlink(out)


def run_pair(workload, peer, args, env):
    mod = importlib.import_module("workloads." + workload)
    steps = args.steps or mod.STEPS
    warmup = mod.WARMUP if args.warmup is None else args.warmup
    base = {"workload": workload, "peer": peer}
    python, why = interpreter(split_peer(peer)[0], args)
    if python is None:
        return dict(base, status="not installed", error=why)
    penv = dict(env)
    if split_peer(peer)[0] == "tensorflow":
        penv["TF_USE_LEGACY_KERAS"] = "1"
        penv.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    cmd = [python, os.path.join(HERE, "child.py"), "--workload", workload, "--peer", peer,
           "--steps", str(steps), "--warmup", str(warmup), "--device", args.device]
    if args.batch:
        cmd += ["--batch", str(args.batch)]
    result, err = run_child(cmd, penv, args.timeout)
    if result is None:
        return dict(base, status="failed", error=err)
    return result


def probe_machine(args, env, previous):
    """Runs machine.py; with `previous`, keeps the better GEMM peak of the two probes."""
    cmd = [sys.executable, os.path.join(HERE, "machine.py"), "--n", str(args.gemm_n),
           "--device", args.device]
    machine, err = run_child(cmd, env, 600)
    if machine is None:
        raise SystemExit("machine probe failed: %s" % err)
    if previous is not None:
        probes = previous["gemm"].get("probes", 1) + 1
        if previous["gemm"]["peak_gflops"] >= machine["gemm"]["peak_gflops"]:
            machine["gemm"] = previous["gemm"]
        if previous.get("gpu") and "peak_gflops" in previous["gpu"] and (
                previous["gpu"]["peak_gflops"] >= machine["gpu"].get("peak_gflops", 0)):
            machine["gpu"] = previous["gpu"]
        machine["gemm"]["probes"] = probes
        machine["loadavg"] = previous["loadavg"]
    return machine


def best_round(runs):
    """The run with the lowest median among a pair's rounds (the least disturbed one)."""
    ok = [r for r in runs if r["status"] == "ok"]
    if not ok:
        return runs[-1]
    best = dict(min(ok, key=lambda r: r["median_s"]))
    best["round_medians_s"] = [r["median_s"] for r in ok]
    return best


# --- report ---------------------------------------------------------------------------------
def fmt_time(seconds):
    if seconds < 1e-3:
        return "%.3g us" % (seconds * 1e6)
    if seconds < 1.0:
        return "%.4g ms" % (seconds * 1e3)
    return "%.4g s" % seconds


def status_text(r):
    if r["status"] == "ok":
        return "ok"
    if r["status"] == "not installed":
        return "not installed (%s)" % r.get("error", "")
    text = "%s: %s" % (r["status"], r.get("error", ""))
    return text if len(text) <= 150 else text[:147] + "..."


def machine_lines(machine, unset_openblas):
    lines = ["Machine: %s, %s CPUs (affinity %s), Python %s, numpy %s" % (
        machine["cpu"], machine["cpus"], machine["affinity"], machine["python"],
        machine["numpy"])]
    if machine.get("loadavg"):
        lines.append("Load average before the run: %s (other load skews timings; see --rounds)"
                     % " ".join("%.2f" % x for x in machine["loadavg"]))
        if machine["loadavg"][0] > 0.5 * (machine["affinity"] or machine["cpus"] or 1):
            lines.append("WARNING: the machine was busy before the run; multi-threaded "
                         "workloads and the GEMM peak are unreliable, rerun when it is idle")
    parent = {k: os.environ.get(k) for k in OPENBLAS_VARS}
    setvars = ", ".join("%s=%s" % (k, v) for k, v in parent.items() if v is not None)
    if not setvars:
        lines.append("OpenBLAS env: %s not set" % " / ".join(OPENBLAS_VARS))
    elif unset_openblas:
        lines.append("OpenBLAS env: %s set here; REMOVED for the children "
                     "(--unset-openblas-env)" % setvars)
    else:
        lines.append("OpenBLAS env: %s set here and passed to the children (they slow numpy; "
                     "--unset-openblas-env removes them)" % setvars)
    blas = machine["blas"]
    for lib in blas["libraries"]:
        lines.append("BLAS (via %s): %s %s, kernel %s, %s threads" % (
            blas["source"], lib.get("internal_api"), lib.get("version"),
            lib.get("architecture", "?"), lib.get("num_threads", "?")))
    g = machine["gemm"]
    lines.append("float32 GEMM peak (numpy %dx%d matmul, best of %d x %d probes): %.1f GFLOP/s "
                 "(median %.1f)" % (g["n"], g["n"], g["repeats"], g.get("probes", 1),
                                    g["peak_gflops"], g["median_gflops"]))
    gpu = machine.get("gpu")
    if gpu and "error" in gpu:
        lines.append("GPU: none usable (%s)" % gpu["error"])
    elif gpu:
        lines.append("GPU: %s; float32 matmul peak (JAX %dx%d, TF32, best of %d): %.0f GFLOP/s "
                     "(median %.0f); %% peak below is of this" % (
                         gpu["name"], gpu["n"], gpu["n"], gpu["repeats"], gpu["peak_gflops"],
                         gpu["median_gflops"]))
    return lines


def table_lines(results, peak):
    head = ("workload", "peer", "median", "p10", "p90", "steps", "items/s", "GFLOP/s",
            "% peak", "RSS MiB")
    widths = (15, 16, 10, 10, 10, 6, 9, 9, 7, 8)
    row = "  ".join("%-*s" if i < 2 else "%*s" for i in range(len(head)))

    def line(values):
        return row % tuple(x for pair in zip(widths, values) for x in pair)

    lines = [line(head), "-" * (sum(widths) + 2 * (len(widths) - 1))]
    for r in results:
        if r["status"] != "ok":
            lines.append("%-15s  %-16s  %s" % (r["workload"], r["peer"], status_text(r)))
            continue
        flops = r.get("flops_per_step")
        gflops = pct = "-"
        if flops:
            rate = flops / r["median_s"] / 1e9
            gflops = "%.1f" % rate
            pct = "%.1f" % (100.0 * rate / peak) if peak else "-"
        steps = str(r["steps"]) + ("*" if r["steps"] < MIN_STEPS else "")
        rate = "%.1f" % (r["batch"] / r["median_s"]) if r.get("batch") else "-"
        lines.append(line((r["workload"], r["peer"], fmt_time(r["median_s"]),
                           fmt_time(r["p10_s"]), fmt_time(r["p90_s"]), steps, rate, gflops,
                           pct, "%.0f" % r["peak_rss_mib"])))
    if any(r["status"] == "ok" and r["steps"] < MIN_STEPS for r in results):
        lines.append("* fewer than %d timed steps: percentiles are rough" % MIN_STEPS)
    return lines


def peer_lines(results):
    seen = {}
    for r in results:
        if r.get("version") and r["peer"] not in seen:
            extra = []
            if "threads" in r:
                extra.append("%d threads" % r["threads"])
            if "devices" in r:
                extra.append("devices %s" % ",".join(r["devices"]))
            if "kernels" in r:
                extra.append(r["kernels"])
            extra.append("python %s at %s" % (r.get("python"), r.get("executable")))
            seen[r["peer"]] = "  %-16s %s (%s)" % (r["peer"], r["version"], "; ".join(extra))
    return ["Peers:"] + list(seen.values()) if seen else []


def ratio_lines(results, workloads, peers):
    mine_specs = [p for p in peers if split_peer(p)[0] == "tensorflux"]
    others = [p for p in peers if split_peer(p)[0] != "tensorflux"]
    if not mine_specs or not others:
        return ["Ratios: need tensorflux and at least one other peer"]
    by = {(r["workload"], r["peer"]): r for r in results}
    lines = ["Ratios tensorflux/peer (median step time; below 1 means tensorflux is faster):",
             "%-15s  %-16s  " % ("workload", "") + "  ".join("%12s" % p for p in others)]
    for w in workloads:
        for spec in mine_specs:
            mine = by[(w, spec)]
            cells = []
            for p in others:
                theirs = by[(w, p)]
                if mine["status"] == "ok" and theirs["status"] == "ok":
                    cells.append("%12.3f" % (mine["median_s"] / theirs["median_s"]))
                else:
                    cells.append("%12s" % "n/a")
            lines.append("%-15s  %-16s  " % (w, spec) + "  ".join(cells))
    if any("n/a" in line for line in lines[2:]):
        lines.append("n/a: tensorflux or that peer has no result (see its row above)")
    return lines


# --- main -----------------------------------------------------------------------------------
def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workloads", default=",".join(WORKLOADS),
                   help="comma-separated, from: %s" % ", ".join(WORKLOADS))
    p.add_argument("--peers", default=",".join(PEERS),
                   help="comma-separated, from: %s" % ", ".join(peer_specs()))
    p.add_argument("--device", default="cpu", choices=DEVICES,
                   help="where the peers run the workloads (gpu: tensorflux under "
                        "tf.device('/gpu:0'), torch on cuda, jax on its GPU)")
    p.add_argument("--steps", type=int, default=None,
                   help="timed steps per pair (default: each workload's own)")
    p.add_argument("--warmup", type=int, default=None,
                   help="untimed warm-up steps per pair (default: each workload's own)")
    p.add_argument("--batch", type=int, default=None, help="override every workload's batch")
    p.add_argument("--tf-python", default=None,
                   help="python with TensorFlow (default: $%s, else this python)" % TF_PYTHON_ENV)
    p.add_argument("--unset-openblas-env", action="store_true",
                   help="remove %s from the children's environment" % " and ".join(OPENBLAS_VARS))
    p.add_argument("--rounds", type=int, default=1,
                   help="run every pair this many times, round-robin, and report each pair's "
                        "round with the lowest median (damps noise from other load)")
    p.add_argument("--timeout", type=int, default=1800, help="seconds per pair before giving up")
    p.add_argument("--gemm-n", type=int, default=2048, help="matrix size of the GEMM peak probe")
    p.add_argument("--json", default=None, help="also write all results to this JSON file")
    args = p.parse_args(argv)
    if (args.steps is not None and args.steps < 1) or (args.warmup or 0) < 0 or args.rounds < 1:
        p.error("--steps and --rounds must be at least 1, --warmup at least 0")
    workloads = parse_list(args.workloads, WORKLOADS, "workload")
    peers = parse_list(args.peers, peer_specs(), "peer")
    env = child_env(args.unset_openblas_env)

    rounds = {(w, peer): [] for w in workloads for peer in peers}
    machine = None
    for k in range(args.rounds):
        machine = probe_machine(args, env, machine)
        for w in workloads:
            for peer in peers:
                done = rounds[(w, peer)]
                if done and done[-1]["status"] != "ok":
                    continue  # a failure is not retried in later rounds
                print("round %d/%d: %s / %s ..." % (k + 1, args.rounds, w, peer),
                      file=sys.stderr, flush=True)
                r = run_pair(w, peer, args, env)
                done.append(r)
                if r["status"] != "ok" and r.get("traceback"):
                    print(r["traceback"], file=sys.stderr)
    results = [best_round(rounds[(w, peer)]) for w in workloads for peer in peers]

    peak = machine["gemm"]["peak_gflops"]
    if args.device == "gpu":
        peak = (machine.get("gpu") or {}).get("peak_gflops")
    out = machine_lines(machine, args.unset_openblas_env)
    if args.rounds > 1:
        out.append("Rounds: %d, round-robin; each pair's least disturbed round is shown"
                   % args.rounds)
    out += [""]
    out += table_lines(results, peak) + [""]
    out += peer_lines(results) + [""]
    out += ratio_lines(results, workloads, peers)
    print("\n".join(out))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine, "unset_openblas_env": args.unset_openblas_env,
                       "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
