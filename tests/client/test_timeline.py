"""Traced runs (RunOptions FULL_TRACE -> RunMetadata.step_stats) and Chrome trace timelines."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.backends import devices as backend_devices
from tensorflux.client import config as config_lib
from tensorflux.client import timeline

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "timeline", "traces.json")
CPU = "/job:localhost/replica:0/task:0/device:CPU:%d"
FULL = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


def _two_device_graph():
    a = tf.placeholder(tf.float32, [2, 2], name="a")
    with tf.device("/cpu:0"):
        mm = tf.matmul(a, a, name="mm")
    with tf.device("/cpu:1"):
        r = tf.nn.relu(mm, name="r")
    with tf.device("/cpu:0"):
        out = tf.add(r, mm, name="out")
    return a, out


def _traced_run(fetch, feeds, config):
    with tf.Session(config=config) as sess:
        md = tf.RunMetadata()
        value = sess.run(fetch, feeds, options=FULL, run_metadata=md)
    return value, md


def test_full_trace_fills_step_stats_per_device():
    a, out = _two_device_graph()
    x = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)
    value, md = _traced_run(out, {a: x}, tf.ConfigProto(device_count={"CPU": 2}))
    mm = x @ x
    np.testing.assert_allclose(value, np.maximum(mm, 0) + mm)
    devices = [d.device for d in md.step_stats.dev_stats]
    assert sorted(devices) == [CPU % 0, CPU % 1]
    nodes = {ns.node_name: (d.device, ns) for d in md.step_stats.dev_stats
             for ns in d.node_stats}
    assert nodes["mm"][0] == CPU % 0 and nodes["r"][0] == CPU % 1 and nodes["out"][0] == CPU % 0
    # the transfers are steps too, on their own devices, and r reads the _Recv's copy
    send = [n for n, (_, ns) in nodes.items() if ns.timeline_label.endswith("_Send(mm)")]
    assert len(send) == 1 and nodes[send[0]][0] == CPU % 0
    r = nodes["r"][1]
    assert r.timeline_label.startswith("r = Relu(mm/_")
    assert nodes["mm"][1].timeline_label == "mm = MatMul(a, a)"
    for _, ns in nodes.values():
        assert ns.all_start_micros > 1_500_000_000_000_000  # microseconds since the epoch
        assert 0 <= ns.op_start_rel_micros <= ns.op_end_rel_micros <= ns.all_end_rel_micros
        assert ns.all_start_nanos // 1000 == ns.all_start_micros
    out_desc = r.output[0].tensor_description
    assert out_desc.dtype == 1 and [d.size for d in out_desc.shape.dim] == [2, 2]
    assert out_desc.allocation_description.allocated_bytes == 16
    assert out_desc.allocation_description.requested_bytes == 16
    assert r.memory[0].total_bytes == 16
    # in execution order on each device
    for d in md.step_stats.dev_stats:
        starts = [ns.all_start_nanos for ns in d.node_stats]
        assert starts == sorted(starts)


def test_trace_on_one_device_and_text_format():
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.square(x, name="y")
    z = tf.reduce_sum(y, name="z")
    value, md = _traced_run(z, {x: [1.0, 2.0, 3.0]}, None)
    assert value == 14.0
    (dev,) = md.step_stats.dev_stats
    assert dev.device == CPU % 0
    assert [ns.node_name for ns in dev.node_stats] == ["y", "z"]
    assert dev.node_stats[0].timeline_label == "y = Square(x)"
    assert dev.node_stats[1].timeline_label.startswith("z = Sum(y, ")
    text = str(md.step_stats)
    assert 'device: "%s"' % (CPU % 0) in text and 'node_name: "y"' in text
    assert "dtype: DT_FLOAT" in text and "allocated_bytes: 12" in text


def test_untraced_runs_stay_untraced():
    x = tf.placeholder(tf.float32, [2])
    y = x * 2.0
    with tf.Session() as sess:
        sess.run(y, {x: [1.0, 2.0]})
        runner = list(sess._runners.values())[0]
        call = runner.call
        md = tf.RunMetadata()
        sess.run(y, {x: [1.0, 2.0]}, options=tf.RunOptions(), run_metadata=md)
        assert md.step_stats.dev_stats == []
        sess.run(y, {x: [1.0, 2.0]}, options=FULL, run_metadata=md)
        assert md.step_stats.dev_stats
        assert runner.call is call  # tracing never replaces the compiled program
        md2 = tf.RunMetadata()
        sess.run(y, {x: [1.0, 2.0]}, run_metadata=md2)
        assert md2.step_stats.dev_stats == []


def test_traced_run_errors_name_the_op_and_keep_state():
    v = tf.Variable(1.0, name="v")
    x = tf.placeholder(tf.int32, [None])
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        bad = tf.gather(tf.constant([1.0, 2.0]), x, name="bad")
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad"):
            sess.run(bad, {x: [5]}, options=FULL, run_metadata=tf.RunMetadata())
        assert sess.run(v) == 1.0


def test_traced_variables_and_training_step():
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        md = tf.RunMetadata()
        sess.run(train, options=FULL, run_metadata=md)
        assert sess.run(w).tolist() == [0.5, 1.0]
    names = [ns.node_name for d in md.step_stats.dev_stats for ns in d.node_stats]
    assert "GradientDescent/update_w/ApplyGradientDescent" in names


# --- the Chrome trace ----------------------------------------------------------------------------
def _fixture_step_stats(step):
    dev_stats = []
    for device, nodes in step:
        stats = []
        for name, label, start, dur, outputs in nodes:
            outs = []
            for slot, (dtype, shape, nbytes) in enumerate(outputs):
                desc = config_lib.TensorDescription(
                    dtype=dtype,
                    shape=config_lib.TensorShapeProto(
                        dim=[config_lib.TensorShapeProto.Dim(size=n) for n in shape]),
                    allocation_description=config_lib.AllocationDescription(
                        requested_bytes=nbytes, allocated_bytes=nbytes, allocator_name="cpu"))
                outs.append(config_lib.NodeOutput(slot=slot, tensor_description=desc))
            stats.append(config_lib.NodeExecStats(
                node_name=name, all_start_micros=start, op_start_rel_micros=1,
                op_end_rel_micros=dur - 1, all_end_rel_micros=dur, timeline_label=label,
                output=outs))
        dev_stats.append(config_lib.DeviceStepStats(device=device, node_stats=stats))
    return config_lib.StepStats(dev_stats=dev_stats)


def _fixture():
    with open(FIXTURE) as f:
        return json.load(f)


@pytest.mark.parametrize("case", range(4))
def test_chrome_trace_matches_tensorflow(case):
    data = _fixture()
    want = data["cases"][case]
    got = timeline.Timeline(_fixture_step_stats(data["step"])).generate_chrome_trace_format(
        show_dataflow=want["show_dataflow"], show_memory=want["show_memory"])
    assert json.loads(got)["traceEvents"] == want["events"]


def test_chrome_trace_of_a_traced_run():
    a, out = _two_device_graph()
    _, md = _traced_run(out, {a: np.ones((2, 2), np.float32)},
                        tf.ConfigProto(device_count={"CPU": 2}))
    text = timeline.Timeline(md.step_stats).generate_chrome_trace_format()
    trace = json.loads(text)
    events = trace["traceEvents"]
    procs = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M"}
    assert procs[0] == "Allocators"
    assert sorted(procs.values()) == sorted(
        ["Allocators", CPU % 0 + " Compute", CPU % 0 + " Tensors", CPU % 1 + " Compute",
         CPU % 1 + " Tensors"])
    ops = [e for e in events if e["ph"] == "X"]
    by_name = {e["args"]["name"]: e for e in ops}
    assert by_name["mm"]["name"] == "MatMul" and by_name["mm"]["cat"] == "Op"
    assert by_name["mm"]["args"]["input0"] == "a"
    assert procs[by_name["r"]["pid"]] == CPU % 1 + " Compute"
    assert procs[by_name["out"]["pid"]] == CPU % 0 + " Compute"
    for e in ops:
        assert e["dur"] >= 0 and isinstance(e["ts"], int)
    # dataflow: the cross-device edges (send -> recv) are flows, start and end share an id
    starts = {e["id"]: e for e in events if e["ph"] == "s"}
    ends = {e["id"]: e for e in events if e["ph"] == "t"}
    assert starts and starts.keys() == ends.keys()
    assert any(starts[i]["pid"] != ends[i]["pid"] for i in starts)
    assert all(starts[i]["ts"] <= ends[i]["ts"] for i in starts)
    no_flow = json.loads(timeline.Timeline(md.step_stats).generate_chrome_trace_format(
        show_dataflow=False))
    assert not [e for e in no_flow["traceEvents"] if e["ph"] in "st"]
    memory = timeline.Timeline(md.step_stats).analyze_step_stats(show_memory=True)
    assert memory.allocator_maximums["cpu"].num_bytes >= 16
    kinds = {e["ph"] for e in memory.chrome_trace.events}
    assert {"N", "O", "D", "C", "X"} <= kinds


def test_parse_label():
    assert timeline.parse_label("r = Relu(mm/_1)") == ("r", "Relu", ["mm/_1"])
    assert timeline.parse_label("c = Const()") == ("c", "Const", [])
    assert timeline.parse_label("garbage") == ("unknown", "unknown", [])


def test_xla_segment_is_one_traced_step(monkeypatch):
    pytest.importorskip("jax")
    monkeypatch.setattr(backend_devices, "gpu_count", lambda: 1)
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.device("/gpu:0"):
        y = tf.square(x, name="y") + 1.0
    z = tf.negative(y, name="z")
    value, md = _traced_run(z, {x: [1.0, 2.0]}, None)
    assert value.tolist() == [-2.0, -5.0]
    gpu = [d for d in md.step_stats.dev_stats if "GPU" in d.device]
    assert len(gpu) == 1 and [ns.node_name for ns in gpu[0].node_stats] == ["_XlaRun"]
    assert gpu[0].node_stats[0].output[0].tensor_description.allocation_description \
        .allocator_name == "GPU_0_bfc"


def test_output_partition_graphs():
    a, out = _two_device_graph()
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as sess:
        md = tf.RunMetadata()
        sess.run(out, {a: np.ones((2, 2), np.float32)},
                 options=tf.RunOptions(output_partition_graphs=True), run_metadata=md)
    graphs = md.partition_graphs
    assert len(graphs) == 3
    nodes = [[(n.name, n.op, n.device) for n in g.node] for g in graphs]
    assert ("mm", "MatMul", CPU % 0) in nodes[0]
    assert [t for _, t, _ in nodes[0]].count("_Send") == 1
    assert ("r", "Relu", CPU % 1) in nodes[1]
    recv = [n for n in graphs[1].node if n.op == "_Recv"][0]
    assert recv.attr["send_device"] == CPU % 0 and recv.attr["recv_device"] == CPU % 1
    relu = [n for n in graphs[1].node if n.name == "r"][0]
    assert relu.input == [recv.name]  # r reads the received copy
    assert all(len(g.SerializeToString()) > 0 for g in graphs)
    assert md.step_stats.dev_stats == []  # no trace asked for
