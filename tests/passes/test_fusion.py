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


# --- inference batch norm folded into the convolution -------------------------------------------
def _bn_block(x, name, residual=None, relu=True, training=False):
    h = tf.layers.conv2d(x, 8, 3, padding="same", use_bias=False, name=name + "_conv")
    h = tf.layers.batch_normalization(h, training=training, name=name + "_bn")
    if residual is not None:
        h = h + residual
    return tf.nn.relu(h) if relu else h


def _set_random_variables(sess, rng):
    for v in tf.global_variables():
        lo, hi = (0.5, 1.5) if "variance" in v.name or "gamma" in v.name else (-0.5, 0.5)
        sess.run(v.assign(rng.uniform(lo, hi, v.shape.as_list()).astype(np.float32)))


def _fused_then_plain():
    """Session configs: the default passes, then no graph optimizations (opt_level L0)."""
    plain = tf.ConfigProto()
    plain.graph_options.optimizer_options.opt_level = tf.OptimizerOptions.L0
    return [tf.ConfigProto(), plain]


def _run_both(fetches, feeds, rng):
    """(fused, unfused) results with the same random variable values."""
    out = []
    for cfg in _fused_then_plain():
        with tf.Session(config=cfg) as sess:
            if not out:
                _set_random_variables(sess, rng)
                values = sess.run(tf.global_variables())
            else:
                for v, value in zip(tf.global_variables(), values):
                    sess.run(v.assign(value))
            out.append(sess.run(fetches, feeds))
    return out


def test_inference_batch_norm_residual_relu_fold_into_the_conv():
    x = tf.placeholder(tf.float32, [2, 6, 6, 8])
    a = _bn_block(x, "a")  # conv -> bn -> relu
    b = _bn_block(a, "b", residual=x)  # conv -> bn -> + x -> relu
    c = _bn_block(b, "c", relu=False)  # conv -> bn
    before = _plan([c], [x])
    after = fusion.fuse(before)
    assert _types(after) == ["_FusedConvBN"] * 3
    fused = [op for op in after.ops if op.type == "_FusedConvBN"]
    assert [tuple(p is not None for p in op._attrs["parts"][2:]) for op in fused] == [
        (False, True), (True, True), (False, False)]
    assert after.resolve(b).op is fused[1] and fused[1].inputs[-1] is x
    assert "FusedBatchNormV3" in [op.type for op in before.ops]  # the graph is unchanged
    rng = np.random.default_rng(3)
    got, want = _run_both(c, {x: rng.standard_normal((2, 6, 6, 8)).astype(np.float32)}, rng)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_residual_sum_of_two_batch_norms_is_claimed_once():
    """ResNet's projection shortcut: add(bn(conv(x)), bn(conv(h))) -> relu."""
    x = tf.placeholder(tf.float32, [2, 6, 6, 8])
    short = _bn_block(x, "short", relu=False)
    y = _bn_block(x, "main", residual=short)
    after = fusion.fuse(_plan([y], [x]))
    assert _types(after) == ["_FusedConvBN", "_FusedConvBN"]
    rng = np.random.default_rng(4)
    got, want = _run_both(y, {x: rng.standard_normal((2, 6, 6, 8)).astype(np.float32)}, rng)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_training_batch_norm_and_used_statistics_are_not_folded():
    x = tf.placeholder(tf.float32, [2, 6, 6, 8])
    t = _bn_block(x, "t", training=True)
    h = tf.layers.conv2d(x, 8, 3, padding="same", use_bias=False, name="s_conv")
    y, mean, _ = tf.nn.fused_batch_norm(h, tf.ones([8]), tf.zeros([8]), tf.zeros([8]),
                                        tf.ones([8]), is_training=False)
    after = fusion.fuse(_plan([t, y, mean], [x]))
    assert "_FusedConvBN" not in _types(after)  # training mode; a statistic is fetched
    conv_out = tf.layers.conv2d(x, 8, 1, use_bias=False, name="fetched_conv")
    z = tf.layers.batch_normalization(conv_out, training=False, name="z_bn")
    assert "_FusedConvBN" not in _types(fusion.fuse(_plan([z, conv_out], [x])))


def test_folded_weights_follow_variable_changes():
    x = tf.placeholder(tf.float32, [1, 4, 4, 8])
    y = _bn_block(x, "v")
    gamma = [v for v in tf.global_variables() if "gamma" in v.name][0]
    xv = np.random.default_rng(5).standard_normal((1, 4, 4, 8)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(y, {x: xv})
        assert "_FusedConvBN" in [op.type for op in list(sess._runners.values())[-1].plan.ops]
        np.testing.assert_array_equal(sess.run(y, {x: xv}), first)  # the cached fold
        sess.run(gamma.assign(2.0 * np.ones(8, np.float32)))
        second = sess.run(y, {x: xv})
    np.testing.assert_allclose(second, 2.0 * first, rtol=1e-5, atol=1e-6)  # relu(2z) = 2relu(z)


def test_folding_with_reference_kernels(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_KERNELS", "reference")
    x = tf.placeholder(tf.float32, [2, 5, 5, 8])
    y = _bn_block(x, "r", residual=x)
    rng = np.random.default_rng(6)
    got, want = _run_both(y, {x: rng.standard_normal((2, 5, 5, 8)).astype(np.float32)}, rng)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_folded_chain_keeps_nan_as_tf_does():
    """TF's fused conv + batch norm + ReLU keeps NaN (oneDNN's ReLU post-op would not)."""
    x = tf.placeholder(tf.float32, [1, 9, 9, 8])
    y = _bn_block(_bn_block(x, "n1"), "n2", residual=None)
    rng = np.random.default_rng(7)
    xv = rng.standard_normal((1, 9, 9, 8)).astype(np.float32)
    xv[0, 0, 0, 0] = np.nan
    got, want = _run_both(y, {x: xv}, rng)
    assert np.isnan(got).any() and not np.isnan(got).all()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))  # a 5x5 corner of NaN
    np.testing.assert_allclose(np.nan_to_num(got), np.nan_to_num(want), rtol=1e-5, atol=1e-5)


def test_post_op_outputs_are_sealed_and_consumers_stay_correct():
    """ReLU post-op outputs are read-only: later kernels never rewrite them in place."""
    from tensorflux.backends import onednn

    if onednn.runtime() is None:
        pytest.skip("oneDNN is not installed")
    x = tf.placeholder(tf.float32, [2, 6, 6, 8])
    a = _bn_block(x, "s1")
    b = _bn_block(a, "s2", residual=a)  # `a` feeds a conv and is the residual
    c = tf.nn.relu(b * 2.0 - 1.0)  # a non-fused consumer (may reuse dying buffers)
    rng = np.random.default_rng(8)
    xv = rng.standard_normal((2, 6, 6, 8)).astype(np.float32)
    got, want = _run_both([a, b, c], {x: xv}, rng)
    for g, w_ in zip(got, want):
        np.testing.assert_allclose(g, w_, rtol=1e-5, atol=1e-5)
        assert g.flags.writeable  # what sess.run hands out is the caller's own array


@pytest.mark.parametrize("window,stride,padding", [(2, 2, "VALID"), (3, 2, "SAME"), (3, 1, "SAME")])
def test_relu_grad_through_max_pool_is_masked_before_the_scatter(window, stride, padding):
    x = tf.placeholder(tf.float32, [2, 9, 9, 4])
    h = tf.nn.relu(tf.layers.conv2d(x, 6, 3, padding="same", name="mp_conv"))
    p = tf.nn.max_pool(h, [1, window, window, 1], [1, stride, stride, 1], padding)
    loss = tf.reduce_sum(p * tf.constant(
        np.random.default_rng(9).standard_normal(p.shape.as_list()).astype(np.float32)))
    grads = tf.gradients(loss, [x] + tf.trainable_variables())
    after = fusion.fuse(_plan(grads, [x]))
    types = _types(after)
    assert "_MaskedMaxPoolGrad" in types and "ReluGrad" not in types
    assert "MaxPoolGrad" not in types
    rng = np.random.default_rng(10)
    xv = rng.standard_normal((2, 9, 9, 4)).astype(np.float32)
    got, want = _run_both(grads, {x: xv}, rng)
    for g, w_ in zip(got, want):
        np.testing.assert_array_equal(g, w_)  # the same sums in the same order


def _bn_relu_graph(shape=(4, 6, 6, 5)):
    x = tf.placeholder(tf.float32, shape)
    h = tf.layers.conv2d(x, 5, 3, padding="same", use_bias=False, name="bnr_conv")
    y = tf.nn.relu(tf.layers.batch_normalization(h, training=True, momentum=0.9,
                                                 name="bnr_bn"))
    loss = tf.reduce_sum(y * tf.sin(y))
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(updates):  # the usual TF1 pattern: gradients after updates
        grads = tf.gradients(loss, [x] + tf.trainable_variables(), gate_gradients=True)
    return x, y, grads, updates


def _run_fused_and_plain(fetches, updates, feeds):
    out = []
    for cfg in _fused_then_plain():
        with tf.Session(config=cfg) as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(fetches + updates, feeds)[:len(fetches)]
            out.append(got + sess.run(tf.global_variables()))
    return out


@pytest.mark.parametrize("kernels", ["fast", "reference"])
def test_training_batch_norm_relu_and_its_gradient_fuse(kernels, monkeypatch):
    monkeypatch.setenv("TENSORFLUX_KERNELS", kernels)
    tf.set_random_seed(3)
    x, y, grads, updates = _bn_relu_graph()
    ops = plan_lib.prune([y] + grads, updates, (x,))
    after = fusion.fuse(plan_lib.Plan(ops, (x,), [y] + grads, updates))
    types = _types(after)
    assert "_FusedBatchNormRelu" in types and "_FusedBatchNormReluGrad" in types
    assert "Relu" not in types and "ReluGrad" not in types
    assert "FusedBatchNormV3" not in types and "FusedBatchNormGradV3" not in types
    seen = set()
    for op in after.ops:  # still in an order that runs
        assert all(after.resolve(t).op in seen or after.resolve(t).op not in after.ops
                   for t in op.inputs), op.name
        seen.add(op)
    from tensorflux.backends.onednn import norm as onednn_norm

    records = []
    bwd = onednn_norm.batch_norm_backward
    monkeypatch.setattr(onednn_norm, "batch_norm_backward",
                        lambda *a, **k: records.append(k.get("workspace") is not None) or
                        bwd(*a, **k))
    xv = np.random.default_rng(4).standard_normal((4, 6, 6, 5)).astype(np.float32)
    fused, plain = _run_fused_and_plain([y] + grads, updates, {x: xv})
    for a, b in zip(fused, plain):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4 * max(1.0, np.abs(b).max()))
    # "fast" uses oneDNN where it loads (CI installs it; tests/backends/test_fast_kernels.py
    # fails without it), the reference kernels where it does not
    from tensorflux.backends import onednn

    assert records[:1] == ([True] if kernels == "fast" and onednn.available() else [])


def test_fused_batch_norm_relu_keeps_nan_as_tf_does():
    tf.set_random_seed(5)
    x, y, grads, updates = _bn_relu_graph()
    xv = np.random.default_rng(6).standard_normal((4, 6, 6, 5)).astype(np.float32)
    xv[1, 2, 3, 0] = np.nan  # every channel of the conv's output sees it
    fused, plain = _run_fused_and_plain([y] + grads, updates, {x: xv})
    assert np.isnan(plain[0]).any()
    for a, b in zip(fused, plain):
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4, equal_nan=True)


def test_masked_max_pool_gradient_fuses_under_control_dependencies():
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float32, [2, 8, 8, 3])
    v = tf.Variable(0.0, trainable=False)
    bump = v.assign_add(1.0)
    h = tf.nn.relu(tf.layers.conv2d(x, 4, 3, padding="same", name="cd_conv"))
    loss = tf.reduce_sum(tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID") ** 2)
    with tf.control_dependencies([bump]):
        grads = tf.gradients(loss, tf.trainable_variables())
    after = fusion.fuse(_plan(grads, [x]))
    masked = [op for op in after.ops if op.type == "_MaskedMaxPoolGrad"]
    assert len(masked) == 1 and bump.op in masked[0].control_inputs
    xv = np.random.default_rng(2).standard_normal((2, 8, 8, 3)).astype(np.float32)
    _check_same(grads + [v.value()], {x: xv})
