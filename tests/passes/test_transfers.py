"""Device partitioning: plans before and after, transfers, 16-bit wire formats and their error."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.backends.numpy import transfer_ops as np_transfer
from tensorflux.client import plan as plan_lib
from tensorflux.passes import transfers

CPU = "/job:localhost/replica:0/task:0/device:CPU:%d"


def _config(cpus=2, bfloat16=False, **kwargs):
    return tf.ConfigProto(device_count={"CPU": cpus},
                          graph_options=tf.GraphOptions(enable_bfloat16_sendrecv=bfloat16),
                          **kwargs)


def _placed_plan(fetches, feeds=(), config=None):
    ops = plan_lib.prune(list(fetches), [], tuple(feeds))
    placed = plan_lib.place(ops, config or _config())
    return plan_lib.Plan(ops, tuple(feeds), list(fetches), [], devices=placed)


def _types(plan):
    return [op.type for op in plan.ops]


@pytest.fixture(autouse=True)
def _no_wire_env(monkeypatch):
    monkeypatch.delenv(transfers.WIRE_ENV, raising=False)


# --- the plan, before and after -------------------------------------------------------------------
def test_one_device_plan_is_unchanged():
    x = tf.placeholder(tf.float32, [3])
    y = tf.exp(x) + 1.0
    before = _placed_plan([y], [x])
    assert transfers.partition(before) is before


def test_one_transfer_per_tensor_and_device_shared_by_readers():
    x = tf.placeholder(tf.float32, [3], name="x")
    with tf.device("/cpu:0"):
        a = tf.exp(x, name="a")
    with tf.device("/cpu:1"):
        b = tf.sin(a, name="b")
        c = tf.cos(a, name="c")  # a second reader on CPU:1: same transfer
        d = tf.add(b, c, name="d")
    with tf.device("/cpu:0"):
        e = tf.multiply(d, a, name="e")
    before = _placed_plan([e], [x])
    after = transfers.partition(before)
    assert _types(before).count("_Send") == 0
    assert _types(after).count("_Send") == 2 and _types(after).count("_Recv") == 2
    sends = [op for op in after.ops if op.type == "_Send"]
    assert {s.inputs[0].name for s in sends} == {"a:0", "d:0"}
    recv_a = [op for op in after.ops if op.type == "_Recv" and op.inputs[0].op.inputs[0] is a]
    assert after.devices[recv_a[0]] == CPU % 1
    assert [d for d, _ in after.segments] == [CPU % 0, CPU % 1, CPU % 0]
    # readers on CPU:1 read the _Recv's copy, readers on CPU:0 the original
    seg1 = after.segments[1][1]
    assert seg1.resolve(a) is recv_a[0].outputs[0]
    assert after.segments[2][1].resolve(a) is a
    # the original graph is untouched
    assert all(op.type != "_Send" for op in tf.get_default_graph().get_operations())
    assert a.consumers() == [b.op, c.op, e.op] or set(a.consumers()) == {b.op, c.op, e.op}
    with tf.Session(config=_config()) as sess:
        v = np.array([0.1, 0.2, 0.3], np.float32)
        np.testing.assert_allclose(sess.run(e, {x: v}),
                                   (np.sin(np.exp(v)) + np.cos(np.exp(v))) * np.exp(v),
                                   rtol=1e-6)


def test_feeds_constants_and_variables_are_not_transferred():
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.device("/cpu:0"):
        v = tf.Variable([1.0, 2.0], name="v")
    with tf.device("/cpu:1"):
        y = x * tf.constant(3.0) + v._variable  # reads the variable op directly
    with tf.device("/cpu:0"):
        z = x + 1.0
    after = transfers.partition(_placed_plan([y, z], [x]))
    assert "_Send" not in _types(after)
    seg = {d: sub for d, sub in after.segments}
    assert x in seg[CPU % 1].feeds and x in seg[CPU % 0].feeds
    assert v.op in seg[CPU % 1].ops  # the segment reads the variable itself
    with tf.Session(config=_config()) as sess:
        sess.run(v.initializer)
        out = sess.run([y, z], {x: [1.0, 1.0]})
    assert out[0].tolist() == [4.0, 5.0] and out[1].tolist() == [2.0, 2.0]


def test_schedule_switches_devices_as_rarely_as_it_can():
    x = tf.placeholder(tf.float32, [], name="x")
    outs = []
    for i in range(4):  # built interleaved: CPU:0, CPU:1, CPU:0, CPU:1, ...
        with tf.device("/cpu:%d" % (i % 2)):
            outs.append(tf.square(x + float(i)))
    after = transfers.partition(_placed_plan(outs, [x]))
    assert len(after.segments) == 2
    with tf.Session(config=_config()) as sess:
        assert sess.run(outs, {x: 1.0}) == [1.0, 4.0, 9.0, 16.0]


def test_assignments_and_reads_keep_their_order_across_devices():
    with tf.device("/cpu:1"):
        v = tf.Variable(1.0, name="v")
    with tf.device("/cpu:0"):
        before = tf.identity(v.read_value(), name="before") * 1.0
    with tf.device("/cpu:1"):
        with tf.control_dependencies([before]):
            inc = tf.assign_add(v, 10.0)
    with tf.device("/cpu:0"):
        with tf.control_dependencies([inc]):
            after = tf.identity(v.read_value(), name="after") * 1.0
    for config in (tf.ConfigProto(allow_soft_placement=True), _config()):
        with tf.Session(config=config) as sess:
            sess.run(v.initializer)
            assert sess.run([before, after]) == [1.0, 11.0]


def test_training_across_devices_matches_one_device():
    rng = np.random.RandomState(0)
    xs = rng.randn(16, 4).astype(np.float32)
    ys = rng.randn(16, 1).astype(np.float32)

    def train(config, split):
        g = tf.Graph()
        with g.as_default():
            tf.set_random_seed(1)
            x = tf.placeholder(tf.float32, [None, 4])
            y = tf.placeholder(tf.float32, [None, 1])
            with tf.device("/cpu:1" if split else "/cpu:0"):
                w1 = tf.Variable(rng_w1, name="w1")
            h = tf.nn.tanh(tf.matmul(x, w1))
            with tf.device("/cpu:1" if split else "/cpu:0"):
                w2 = tf.Variable(rng_w2, name="w2")
                pred = tf.matmul(h, w2)
            loss = tf.reduce_mean(tf.square(pred - y))
            step = tf.train.AdamOptimizer(0.05).minimize(loss)
            with tf.Session(config=config) as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(5):
                    sess.run(step, {x: xs, y: ys})
                return sess.run(loss, {x: xs, y: ys})

    rng_w1 = rng.randn(4, 8).astype(np.float32)
    rng_w2 = rng.randn(8, 1).astype(np.float32)
    one = train(None, False)
    two = train(_config(), True)
    assert one == pytest.approx(two, rel=1e-6)


def test_debug_prints_the_segments(monkeypatch, capsys):
    monkeypatch.setenv("TENSORFLUX_DEBUG", "1")
    x = tf.placeholder(tf.float32, [])
    with tf.device("/cpu:1"):
        y = x * 2.0
    with tf.Session(config=_config()) as sess:
        sess.run(y + 1.0, {x: 1.0})
    out = capsys.readouterr().out
    assert "after transfers:" in out and "after mixed_precision:" in out
    assert "segment 1 on %s" % (CPU % 0) in out


# --- 16-bit wire formats --------------------------------------------------------------------------
def _random_floats(n, seed=0):
    rng = np.random.RandomState(seed)
    return (rng.randn(n) * np.exp(rng.uniform(-30, 30, n))).astype(np.float32)


def test_bfloat16_wire_is_round_to_nearest_even_within_2_pow_minus_8():
    x = _random_floats(200000)
    back = np_transfer.from_bfloat16_bits(np_transfer.bfloat16_bits(x))
    assert back.dtype == np.float32
    rel = np.abs(back - x) / np.abs(x)
    assert rel.max() <= 2.0 ** -8
    assert rel.max() > 2.0 ** -9  # it does round (the bound is tight)
    # exactly representable values pass unchanged; ties go to even
    ties = np.array([1.0, 1.00390625, 1.01171875, -2.5, 0.0, -0.0], np.float32)
    assert np_transfer.from_bfloat16_bits(np_transfer.bfloat16_bits(ties)).tolist() == [
        1.0, 1.0, 1.015625, -2.5, 0.0, -0.0]
    special = np.array([np.inf, -np.inf, np.nan, 3.4e38], np.float32)
    out = np_transfer.from_bfloat16_bits(np_transfer.bfloat16_bits(special))
    assert out[0] == np.inf and out[1] == -np.inf and np.isnan(out[2]) and out[3] == np.inf


def test_float16_wire_within_2_pow_minus_11_and_saturates_to_inf():
    x = _random_floats(200000, seed=1)
    normal = (np.abs(x) >= 2.0 ** -14) & (np.abs(x) <= 65504)
    back = np_transfer.to_float16(x).astype(np.float32)
    rel = np.abs(back[normal] - x[normal]) / np.abs(x[normal])
    assert rel.max() <= 2.0 ** -11
    tiny = np.abs(x) < 2.0 ** -14
    assert np.abs(back[tiny] - x[tiny]).max() <= 2.0 ** -25
    big = np.array([65504.0, 65519.0, 65520.0, 1e5, -1e5, np.nan], np.float32)
    out = np_transfer.to_float16(big).astype(np.float32)
    assert out[:5].tolist() == [65504.0, 65504.0, np.inf, np.inf, -np.inf]
    assert np.isnan(out[5])


def _cross_device(x_value, config):
    with tf.Graph().as_default():
        return _cross_device_in_graph(x_value, config)


def _cross_device_in_graph(x_value, config):
    x = tf.placeholder(tf.float32, [None], name="x")
    n = tf.placeholder(tf.int32, [None], name="n")
    with tf.device("/cpu:0"):
        a = tf.abs(x, name="a")
        k = tf.abs(n, name="k")
    with tf.device("/cpu:1"):
        b = tf.negative(a, name="b")  # minus what arrived
        m = tf.negative(k, name="m")
    with tf.Session(config=config) as sess:
        ints = np.array([2 ** 30 + 1, 7], np.int32)
        got, got_int = sess.run([b, m], {x: x_value, n: ints})
        plan = list(sess._runners.values())[-1].plan
    assert (-got_int).tolist() == ints.tolist()  # never compressed: not float32
    got = -got * np.sign(x_value)
    wires = {op.inputs[0].name: op._attrs["wire_dtype"] for op in plan.ops if op.type == "_Send"}
    return got, wires


def test_enable_bfloat16_sendrecv_compresses_float32_transfers():
    x = _random_floats(5000, seed=2)
    got, wires = _cross_device(x, _config(bfloat16=True))
    assert wires == {"a:0": "bfloat16", "k:0": ""}
    rel = np.abs(got - x) / np.abs(x)
    assert 0 < rel.max() <= 2.0 ** -8
    expect = np_transfer.from_bfloat16_bits(np_transfer.bfloat16_bits(x))
    np.testing.assert_array_equal(got, expect)
    plain, wires = _cross_device(x, _config())
    assert wires == {"a:0": "", "k:0": ""}
    np.testing.assert_array_equal(plain, x)


def test_float16_wire_from_the_environment(monkeypatch):
    monkeypatch.setenv(transfers.WIRE_ENV, "float16")
    x = _random_floats(5000, seed=3)
    x = x[(np.abs(x) > 2.0 ** -14) & (np.abs(x) < 65504)]
    got, wires = _cross_device(x, _config())
    assert wires["a:0"] == "float16"
    assert 0 < (np.abs(got - x) / np.abs(x)).max() <= 2.0 ** -11
    monkeypatch.setenv(transfers.WIRE_ENV, "none")  # off, whatever the config says
    got, wires = _cross_device(x, _config(bfloat16=True))
    assert wires["a:0"] == "" and np.array_equal(got, x)
    monkeypatch.setenv(transfers.WIRE_ENV, "int8")
    with pytest.raises(ValueError, match="bfloat16, float16 or none"):
        _cross_device(x, _config())


def test_compressed_transfers_in_a_small_model():
    rng = np.random.RandomState(4)
    xs = rng.randn(32, 10).astype(np.float32)
    w1 = rng.randn(10, 16).astype(np.float32)
    w2 = rng.randn(16, 3).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 10])
    with tf.device("/cpu:0"):
        h = tf.nn.relu(tf.matmul(x, tf.constant(w1)))
    with tf.device("/cpu:1"):
        logits = tf.matmul(h, tf.constant(w2))
    with tf.Session(config=_config(bfloat16=True)) as sess:
        got = sess.run(logits, {x: xs})
    hv = np.maximum(xs @ w1, 0)
    exact = hv @ w2
    # the only rounding is on the wire: h arrives as bfloat16
    h_wire = np_transfer.from_bfloat16_bits(np_transfer.bfloat16_bits(hv))
    np.testing.assert_allclose(got, h_wire @ w2, rtol=1e-5, atol=1e-5)
    # so the error is that of a dot product of inputs off by <= 2**-8 relative
    bound = 2.0 ** -8 * (np.abs(hv) @ np.abs(w2)) + 1e-5
    assert np.all(np.abs(got - exact) <= bound)
    assert not np.array_equal(got, exact)


def test_xla_wire_kernels_match_numpy():
    pytest.importorskip("jax")
    from tensorflux.backends.xla import transfer_ops as xla_transfer

    x = np.concatenate([_random_floats(10000, seed=5),
                        np.array([np.inf, -np.inf, 3.4e38, 1e-40, 0.0, 1e5], np.float32)])
    for wire in ("bfloat16", "float16"):
        with np.errstate(over="ignore"):
            wire_np = {"bfloat16": np_transfer.bfloat16_bits, "float16": np_transfer.to_float16}
            enc_np = wire_np[wire](x)
            enc_x = np.asarray(xla_transfer._encode(wire)(x))
            assert enc_x.dtype == enc_np.dtype
            np.testing.assert_array_equal(enc_x, enc_np)
            dec = np.asarray(xla_transfer._decode(wire)(enc_x))
            assert dec.dtype == np.float32
