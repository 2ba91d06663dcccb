"""Op fusion: conv/matmul + bias + activation run as one step with unchanged results."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.client import plan as plan_lib
from tensorflux.passes import fusion


def _plan(fetches, feeds=()):
    ops = plan_lib.prune(list(fetches), [], tuple(feeds))
    return plan_lib.Plan(ops, tuple(feeds), list(fetches), [])


def _types(plan):
    return [op.type for op in plan.ops if op.type not in ("Const", "VariableV2", "Identity")]


def _check_same(fetch, feeds):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        fused = sess.run(fetch, feeds)
    cfg = tf.ConfigProto()
    cfg.graph_options.optimizer_options.opt_level = tf.OptimizerOptions.L0
    with tf.Session(config=cfg) as sess:
        sess.run(tf.global_variables_initializer())
        plain = sess.run(fetch, feeds)
    for a, b in zip(fused if isinstance(fused, list) else [fused],
                    plain if isinstance(plain, list) else [plain]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("act", [tf.nn.relu, tf.nn.relu6, tf.nn.elu, tf.tanh, None])
def test_conv_bias_activation_fused(act):
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [2, 8, 8, 3])
    y = tf.layers.conv2d(x, 4, 3, padding="same", activation=act)
    after = fusion.fuse(_plan([y], [x]))
    assert _types(after) == ["_FusedConv"]
    assert after.resolve(y).op.type == "_FusedConv"
    _check_same(y, {x: np.random.RandomState(0).randn(2, 8, 8, 3).astype(np.float32)})


def test_slide_style_add_bias_and_dense_are_fused():
    tf.set_random_seed(2)
    x = tf.placeholder(tf.float32, [1, 6, 6, 3])
    w = tf.Variable(tf.random_normal([3, 3, 3, 5], stddev=0.35))
    b = tf.Variable(tf.random_normal([5], stddev=0.35))
    c = tf.nn.relu(tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME") + b)
    d = tf.layers.dense(tf.reshape(c, [1, -1]), 7, activation=tf.nn.relu)
    after = fusion.fuse(_plan([d], [x]))
    assert _types(after).count("_FusedConv") == 2
    _check_same(d, {x: np.random.RandomState(1).rand(1, 6, 6, 3).astype(np.float32)})


def test_intermediates_in_use_are_not_fused():
    x = tf.placeholder(tf.float32, [1, 4, 4, 2])
    conv = tf.layers.conv2d(x, 3, 2)
    pre = tf.nn.bias_add(tf.nn.conv2d(x, tf.ones([2, 2, 2, 3]), [1, 1, 1, 1], "VALID"),
                         tf.ones([3]))
    out = tf.nn.relu(pre)
    after = fusion.fuse(_plan([out, pre, conv], [x]))  # `pre` is fetched: relu stays apart
    assert "Relu" in _types(after)
    v = np.ones((1, 4, 4, 2), np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, p = sess.run([out, pre], {x: v})
    np.testing.assert_allclose(o, np.maximum(p, 0))


def test_training_graph_still_matches_unfused():
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [4, 8, 8, 1])
    h = tf.layers.conv2d(x, 4, 3, activation=tf.nn.relu)
    loss = tf.reduce_mean(tf.square(tf.layers.dense(tf.layers.flatten(h), 2)))
    grads = tf.gradients(loss, tf.trainable_variables())
    _check_same(grads, {x: np.random.RandomState(2).rand(4, 8, 8, 1).astype(np.float32)})
