"""The benchmark harness still runs (a smoke test: correctness of the report, never timing)."""

import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def test_overhead_workload_reports_tensorflux_and_missing_peers(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TENSORFLUX_BENCH_TF_PYTHON"}
    out = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--workloads", "overhead",
         "--peers", "tensorflux,tensorflow", "--steps", "20", "--gemm-n", "256",
         "--json", str(tmp_path / "r.json")],
        capture_output=True, text=True, timeout=600, env=env)
    text = out.stdout + out.stderr
    assert out.returncode == 0, text[-3000:]
    assert "overhead" in text and "tensorflux" in text
    assert "GEMM peak" in text
    assert "not installed" in text  # this interpreter has no TensorFlow: reported, not dropped
    assert os.path.exists(tmp_path / "r.json")


def test_a_variant_runs_only_where_the_workload_has_it(tmp_path):
    out = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--workloads",
         "overhead,augment", "--peers", "tensorflux+serial", "--steps", "2", "--warmup", "1",
         "--batch", "2", "--gemm-n", "256", "--json", str(tmp_path / "r.json")],
        capture_output=True, text=True, timeout=600)
    text = out.stdout + out.stderr
    assert out.returncode == 0, text[-3000:]
    import json

    rows = {r["workload"]: r for r in json.load(open(tmp_path / "r.json"))["results"]}
    assert rows["overhead"]["status"] == "not implemented", rows["overhead"]
    assert rows["augment"]["status"] == "ok", rows["augment"]
