"""The layout pass (passes/layout.py): channels-first CPU ops run channels-last; plans before
and after, and the same values as without the pass (forward and gradients)."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.client import plan as plan_lib
from tensorflux.passes import layout, pipeline

RNG = np.random.default_rng(7)


def _plan(fetches, feeds=()):
    ops = plan_lib.prune(list(fetches), [], tuple(feeds))
    return plan_lib.Plan(ops, tuple(feeds), list(fetches), [])


def _without_layout(monkeypatch):
    monkeypatch.setattr(pipeline, "PASSES", [p for p in pipeline.PASSES
                                             if p is not layout.choose])


def _cnn_nchw():
    x = tf.placeholder(tf.float32, [4, 3, 12, 12])
    w1 = tf.constant(RNG.standard_normal([3, 3, 3, 8]).astype(np.float32))
    b1 = tf.constant(RNG.standard_normal([8]).astype(np.float32))
    w2 = tf.constant(RNG.standard_normal([3, 3, 8, 6]).astype(np.float32))
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME", data_format="NCHW"),
                                  b1, data_format="NCHW"))
    y = tf.nn.max_pool(y, [1, 1, 2, 2], [1, 1, 2, 2], "VALID", data_format="NCHW")
    y = tf.nn.conv2d(y, w2, [1, 1, 1, 1], "VALID", data_format="NCHW")
    return x, tf.reduce_sum(tf.square(y))


def test_channels_first_chain_runs_channels_last_with_views_only_at_the_ends():
    x, loss = _cnn_nchw()
    before = _plan([loss], [x])
    after = layout.choose(before)
    spatial = [op for op in after.ops if op.type in ("Conv2D", "BiasAdd", "MaxPool")]
    assert len(spatial) == 4
    assert all(op._attrs["data_format"] == b"NHWC" for op in spatial)
    assert [op._attrs["ksize"] for op in spatial if op.type == "MaxPool"] == [[1, 2, 2, 1]]
    views = [op for op in after.ops if op.type == "_Layout"]
    # one view of the input, one of the last conv's output: none between the converted ops
    assert [v._attrs["perm"] for v in views] == [(0, 2, 3, 1), (0, 3, 1, 2)]
    relu = [op for op in after.ops if op.type == "Relu"]
    assert relu[0].name.endswith("/channels_last")  # followed the conv: still fusable
    assert after.resolve(loss.op.inputs[0]).op.type != "_Layout"
    assert layout.choose(_plan([loss], [x])).ops != before.ops


def test_channels_last_graphs_and_gpu_ops_are_left_alone():
    x = tf.placeholder(tf.float32, [2, 8, 8, 3])
    y = tf.nn.conv2d(x, tf.zeros([3, 3, 3, 4]), [1, 1, 1, 1], "SAME")
    p = _plan([y], [x])
    assert layout.choose(p) is p
    xc = tf.placeholder(tf.float32, [2, 3, 8, 8])
    yc = tf.nn.conv2d(xc, tf.zeros([3, 3, 3, 4]), [1, 1, 1, 1], "SAME", data_format="NCHW")
    pc = _plan([yc], [xc])
    on_gpu = pc.replace(devices={op: "/job:localhost/replica:0/task:0/device:GPU:0"
                                 for op in pc.ops})
    assert layout.choose(on_gpu) is on_gpu
    with tf.control_dependencies([yc.op]):
        z = tf.nn.conv2d(xc, tf.ones([3, 3, 3, 4]), [1, 1, 1, 1], "SAME", data_format="NCHW")
    after = layout.choose(_plan([z], [xc]))
    kept = [op for op in after.ops if op.type == "Conv2D"]
    assert all(op._attrs["data_format"] == b"NCHW" for op in kept if op._control_inputs or
               op._control_outputs)


def _run(fetches, feed):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.mark.parametrize("case", ["cnn", "strided_dilated", "explicit_pad", "avg_pool",
                                  "batch_norm", "depthwise", "conv3d", "residual"])
def test_same_values_and_gradients_as_without_the_pass(case, monkeypatch):
    tf.reset_default_graph()
    if case == "cnn":
        x, loss = _cnn_nchw()
        shape = [4, 3, 12, 12]
    else:
        shape = [2, 4, 9, 11] if case != "conv3d" else [2, 3, 5, 6, 7]
        x = tf.placeholder(tf.float32, shape)

        def const(s):
            return tf.constant(RNG.standard_normal(s).astype(np.float32))

        if case == "strided_dilated":
            y = tf.nn.conv2d(x, const([3, 3, 4, 5]), [1, 1, 2, 1], "SAME", data_format="NCHW")
            y = y + tf.nn.conv2d(x, const([2, 3, 4, 5]), [1, 1, 1, 1], "SAME",
                                 data_format="NCHW", dilations=[1, 1, 2, 2])[:, :, ::2]
        elif case == "explicit_pad":
            y = tf.nn.conv2d(x, const([3, 3, 4, 5]), [1, 1, 1, 2],
                             [[0, 0], [0, 0], [1, 2], [0, 1]], data_format="NCHW")
        elif case == "avg_pool":
            y = tf.nn.avg_pool(x * 2.0, [1, 1, 3, 2], [1, 1, 2, 2], "SAME", data_format="NCHW")
            y = tf.nn.bias_add(tf.nn.elu(y), const([4]), data_format="NCHW")
        elif case == "batch_norm":
            y = tf.layers.batch_normalization(x * 1.5, axis=1, training=True)
            y = tf.nn.relu6(y)
        elif case == "depthwise":
            y = tf.nn.depthwise_conv2d(x, const([3, 3, 4, 2]), [1, 1, 1, 1], "SAME",
                                       data_format="NCHW")
        elif case == "conv3d":
            y = tf.nn.conv3d(x, const([2, 3, 3, 3, 4]), [1, 1, 1, 1, 1], "SAME",
                             data_format="NCDHW")
            y = tf.nn.max_pool3d(tf.nn.relu(y), [1, 1, 2, 2, 2], [1, 1, 2, 2, 2], "VALID",
                                 data_format="NCDHW")
        else:  # residual: an add of two converted outputs, then a relu
            a = tf.nn.conv2d(x, const([3, 3, 4, 4]), [1, 1, 1, 1], "SAME", data_format="NCHW")
            b = tf.nn.conv2d(a, const([1, 1, 4, 4]), [1, 1, 1, 1], "SAME", data_format="NCHW")
            y = tf.nn.relu(a + b)
        loss = tf.reduce_sum(y * tf.sin(y))
    if tf.global_variables():
        init = tf.global_variables_initializer()
    else:
        init = None
    grad = tf.gradients(loss, x)[0]
    feed = {x: RNG.standard_normal(shape).astype(np.float32)}
    fetches = [loss, grad] + [op.outputs[0] for op in tf.get_default_graph().get_operations()
                              if op.type in ("FusedBatchNormV3",)][:1]

    def run():
        with tf.Session() as sess:
            if init is not None:
                sess.run(init)
            out = sess.run(fetches, feed)
            return out, {op.type for r in sess._runners.values() for op in r.plan.ops}

    got, types = run()
    assert "_Layout" in types, case
    with monkeypatch.context() as m:
        _without_layout(m)
        want, types = run()
        assert "_Layout" not in types
    for a, b in zip(got, want):  # float32 rounding, relative to the largest value
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5 * np.abs(b).max(), err_msg=case)
