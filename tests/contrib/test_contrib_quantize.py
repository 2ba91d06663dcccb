"""`tf.contrib.quantize`: the rewrite's structure (op and variable names from TF 1.15's
contrib/quantize) and behaviour (float outputs before quant_delay, values on the quantization
grid after it, training runs, the eval graph equals a numpy folded-batch-norm + fake-quant
reference). TF 2.x has no contrib.quantize, so there are no fixtures from real TensorFlow."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.backends.numpy.quantization_ops import nudge
from tensorflux.contrib.quantize import fold_batch_norms, graph_matcher

slim = tf.contrib.slim
RNG = np.random.RandomState(0)
X = RNG.randn(4, 6, 6, 3).astype(np.float32)
Y = np.array([0, 1, 2, 1])


def _net(is_training=True, depthwise=False):
    """conv1 (conv + bn + relu6), conv2 (conv + bn + relu6, or a separable conv), logits."""
    x = tf.placeholder(tf.float32, [4, 6, 6, 3], name="x")
    with slim.arg_scope([slim.conv2d, slim.separable_conv2d], normalizer_fn=slim.batch_norm,
                        activation_fn=tf.nn.relu6), \
            slim.arg_scope([slim.batch_norm], is_training=is_training, decay=0.9):
        net = slim.conv2d(x, 4, [3, 3], scope="conv1")
        if depthwise:
            net = slim.separable_conv2d(net, None, [3, 3], depth_multiplier=2, scope="dw")
        else:
            net = slim.conv2d(net, 4, [3, 3], scope="conv2")
    net = tf.reduce_mean(net, [1, 2])
    logits = slim.fully_connected(net, 3, activation_fn=None, scope="logits")
    return x, logits


def _values(graph_fn):
    """Variable values of a freshly initialised float net (to load into a rewritten one)."""
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        graph_fn()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return {v.op.name: sess.run(v) for v in tf.global_variables()}


def _load(sess, values):
    for v in tf.global_variables():
        if v.op.name in values:
            v.load(values[v.op.name], sess)


def _float_logits(values, is_training=True, depthwise=False):
    with tf.Graph().as_default():
        x, logits = _net(is_training, depthwise)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _load(sess, values)
            return sess.run(logits, {x: X})


def test_training_graph_structure_and_names():
    with tf.Graph().as_default() as g:
        _net()
        tf.contrib.quantize.create_training_graph(quant_delay=5)
        names = {op.name: op.type for op in g.get_operations()}
        variables = {v.op.name for v in tf.global_variables()}
    for scope in ("conv1", "conv2"):
        assert names[scope + "/weights_quant/FakeQuantWithMinMaxVars"] == \
            "FakeQuantWithMinMaxVars"
        assert names[scope + "/act_quant/FakeQuantWithMinMaxVars"] == "FakeQuantWithMinMaxVars"
        for op in ("mul_fold", "Conv2D_Fold", "post_conv_mul", "correction_add", "add_fold",
                   "BatchNorm_Fold/bias", "BatchNorm/Undo_Bessel_Correction",
                   "BatchNorm_Fold/batch_norm_correction/correction_scale",
                   "weights_quant/AssignMinLast", "weights_quant/AssignMaxLast",
                   "act_quant/AssignMinEma", "act_quant/AssignMaxEma",
                   "weights_quant/activate_quant", "act_quant/delayed_quant"):
            assert scope + "/" + op in names, scope + "/" + op
        assert {scope + "/weights_quant/min", scope + "/weights_quant/max",
                scope + "/act_quant/min", scope + "/act_quant/max"} <= variables
    # The final layer has no activation: its BiasAdd output is quantized.
    assert "logits/weights_quant/FakeQuantWithMinMaxVars" in names
    assert "logits/act_quant/FakeQuantWithMinMaxVars" in names
    assert "fake_quantization_step" in variables
    assert names["conv1/BatchNorm/FusedBatchNormV3"] == "FusedBatchNormV3"
    with g.as_default():
        bn = g.get_operation_by_name("conv1/BatchNorm/FusedBatchNormV3")
        assert not bn.outputs[0].consumers()  # rerouted to add_fold
        assert bn.get_attr("_gradient_op_type") == "FoldFusedBatchNormGrad"
        relu = g.get_operation_by_name("conv1/Relu6")
        assert relu.inputs[0].op.name == "conv1/add_fold"
        conv2 = g.get_operation_by_name("conv2/Conv2D_Fold")
        assert conv2.inputs[0].op.name.startswith("conv1/act_quant/delayed_quant")
        assert g.get_operation_by_name("conv1/Conv2D_Fold").inputs[1].op.name.startswith(
            "conv1/weights_quant/delayed_quant")
        act_min = g.get_tensor_by_name("conv1/act_quant/min:0")
        assert not act_min.op.get_attr("dtype").is_quantized


def test_no_delay_means_no_cond_and_initial_ranges():
    with tf.Graph().as_default() as g:
        _net(is_training=False)
        tf.contrib.quantize.create_eval_graph()
        types = {op.type for op in g.get_operations()}
        assert "If" not in types and "StatelessIf" not in types
        assert "fake_quantization_step" not in {v.op.name for v in tf.global_variables()}
        # Eval graph: ranges are only read, no batch statistics or assignments.
        assert "conv1/act_quant/AssignMinEma" not in {op.name for op in g.get_operations()}
        fq = g.get_operation_by_name("conv1/weights_quant/FakeQuantWithMinMaxVars")
        assert fq.get_attr("narrow_range") is True and fq.get_attr("num_bits") == 8
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(["conv1/weights_quant/min:0", "conv1/weights_quant/max:0",
                            "conv1/act_quant/min:0", "conv1/act_quant/max:0"])
        assert got == [-6.0, 6.0, 0.0, 6.0]


def test_before_quant_delay_the_outputs_are_the_float_graph():
    values = _values(_net)
    want = _float_logits(values)
    with tf.Graph().as_default():
        x, logits = _net()
        tf.contrib.quantize.create_training_graph(quant_delay=1000)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _load(sess, values)
            got = sess.run(logits, {x: X})
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def _on_grid(values, lo, hi, num_bits=8, narrow_range=False):
    n_min, n_max, scale = nudge(lo, hi, num_bits, narrow_range)
    steps = (values.astype(np.float64) - n_min) / scale
    assert values.min() >= n_min - 1e-6 and values.max() <= n_max + 1e-6
    np.testing.assert_allclose(steps, np.round(steps), atol=1e-3)


def test_after_quant_delay_outputs_are_on_the_grid_and_training_runs():
    with tf.Graph().as_default() as g:
        tf.set_random_seed(2)
        x, logits = _net()
        y = tf.placeholder(tf.int32, [4])
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        tf.contrib.quantize.create_training_graph(quant_delay=2)
        train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
        act = g.get_tensor_by_name("conv1/act_quant/FakeQuantWithMinMaxVars:0")
        act_min = g.get_tensor_by_name("conv1/act_quant/AssignMinEma:0")
        act_max = g.get_tensor_by_name("conv1/act_quant/AssignMaxEma:0")
        relu = g.get_tensor_by_name("conv2/Relu6:0")
        w_q = g.get_tensor_by_name("conv2/weights_quant/FakeQuantWithMinMaxVars:0")
        w_lo = g.get_tensor_by_name("conv2/weights_quant/AssignMinLast:0")
        w_hi = g.get_tensor_by_name("conv2/weights_quant/AssignMaxLast:0")
        conv2_in = g.get_operation_by_name("conv2/Conv2D_Fold").inputs[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for step in range(1, 8):
                out = sess.run([loss, train, conv2_in, act, act_min, act_max, relu, w_q, w_lo,
                                w_hi, "fake_quantization_step/Identity:0"], {x: X, y: Y})
                losses.append(out[0])
                assert out[-1] == step
                fed, quant, lo, hi, float_act, wq, wlo, whi = out[2:10]
                if step < 2:  # quantization not active yet: conv2 reads the float activation
                    assert len(np.unique(fed)) > 40
                else:
                    np.testing.assert_array_equal(fed, quant)
                    _on_grid(fed, lo, hi)
                    _on_grid(wq, wlo, whi, narrow_range=True)
            assert np.isfinite(losses).all() and losses[-1] < losses[0]
            # The EMA ranges moved away from their initial [0, 6] towards the batch range.
            lo_v, hi_v = sess.run(["conv1/act_quant/min:0", "conv1/act_quant/max:0"])
            assert lo_v == 0.0 and 0 < hi_v < 6.0
            assert float_act.shape == (4, 6, 6, 4)


def _conv_same(x, w):
    """numpy NHWC 'SAME' stride-1 convolution."""
    kh, kw = w.shape[:2]
    xp = np.pad(x, [(0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)])
    out = np.zeros(x.shape[:3] + (w.shape[3],), np.float64)
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,cd->nhwd", xp[:, i:i + x.shape[1], j:j + x.shape[2]],
                             w[i, j])
    return out


def _fake_quant(v, lo, hi, narrow_range=False):
    n_min, n_max, scale = nudge(lo, hi, 8, narrow_range)
    clamped = np.clip(v, n_min, n_max)
    return np.floor((clamped - n_min) / scale + 0.5) * scale + n_min


def test_eval_graph_equals_numpy_folded_batch_norm_and_fake_quant():
    with tf.Graph().as_default() as g:
        x, logits = _net(is_training=False)
        tf.contrib.quantize.create_eval_graph()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            v = {var.op.name: var for var in tf.global_variables()}
            rng = np.random.RandomState(3)
            for scope in ("conv1", "conv2"):
                v[scope + "/BatchNorm/moving_mean"].load(rng.randn(4) * 0.1, sess)
                v[scope + "/BatchNorm/moving_variance"].load(rng.rand(4) + 0.5, sess)
                v[scope + "/BatchNorm/beta"].load(rng.randn(4) * 0.1, sess)
                v[scope + "/weights_quant/min"].load(-0.4, sess)
                v[scope + "/weights_quant/max"].load(0.35, sess)
                v[scope + "/act_quant/max"].load(2.5, sess)
            v["logits/act_quant/min"].load(-1.0, sess)
            v["logits/act_quant/max"].load(1.0, sess)
            quantized = g.get_tensor_by_name("logits/act_quant/FakeQuantWithMinMaxVars:0")
            got, got_q, vals = sess.run([logits, quantized, {k: t for k, t in v.items()}],
                                        {x: X})
            eps = g.get_operation_by_name("conv1/BatchNorm/FusedBatchNormV3").get_attr("epsilon")
    h = X.astype(np.float64)
    for scope in ("conv1", "conv2"):
        mult = 1.0 / np.sqrt(vals[scope + "/BatchNorm/moving_variance"] + eps)  # gamma = 1
        bias = vals[scope + "/BatchNorm/beta"] - vals[scope + "/BatchNorm/moving_mean"] * mult
        w = _fake_quant(vals[scope + "/weights"] * mult, vals[scope + "/weights_quant/min"],
                        vals[scope + "/weights_quant/max"], narrow_range=True)
        h = np.clip(_conv_same(h, w) + bias, 0, 6)
        h = _fake_quant(h, vals[scope + "/act_quant/min"], vals[scope + "/act_quant/max"])
    h = h.mean(axis=(1, 2))
    w = _fake_quant(vals["logits/weights"], vals["logits/weights_quant/min"],
                    vals["logits/weights_quant/max"], narrow_range=True)
    # The logits tensor itself stays the float BiasAdd; its consumers read the quantized one.
    want = h @ w + vals["logits/biases"]
    np.testing.assert_allclose(got, want, atol=1e-5)
    np.testing.assert_allclose(got_q, _fake_quant(want, -1.0, 1.0), atol=1e-5)


@pytest.mark.parametrize("depthwise", [False, True])
def test_folding_keeps_the_eval_outputs(depthwise):
    values = _values(lambda: _net(is_training=False, depthwise=depthwise))
    rng = np.random.RandomState(4)
    for k in list(values):
        if k.endswith("moving_variance"):
            values[k] = (rng.rand(*values[k].shape) + 0.5).astype(np.float32)
        elif k.endswith(("moving_mean", "beta")):
            values[k] = (rng.randn(*values[k].shape) * 0.2).astype(np.float32)
    want = _float_logits(values, is_training=False, depthwise=depthwise)
    with tf.Graph().as_default() as g:
        x, logits = _net(is_training=False, depthwise=depthwise)
        fold_batch_norms.FoldBatchNorms(g, is_training=False)
        names = {op.name for op in g.get_operations()}
        if depthwise:
            assert "dw/depthwise_Fold" in names and "dw/BatchNorm_Fold/scale_reshape" in names
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _load(sess, values)
            got = sess.run(logits, {x: X})
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_freeze_bn_delay_switches_to_moving_statistics():
    values = _values(_net)
    with tf.Graph().as_default() as g:
        x, logits = _net()
        tf.contrib.quantize.experimental_create_training_graph(quant_delay=100,
                                                               freeze_bn_delay=2)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        mean = g.get_tensor_by_name("conv1/BatchNorm/moving_mean:0")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _load(sess, values)
            sess.run(update_ops, {x: X})  # step 1: the moving mean moves
            m1 = sess.run(mean)
            assert not np.allclose(m1, values["conv1/BatchNorm/moving_mean"])
            sess.run(update_ops, {x: X})  # step 2: frozen, the decay is zero
            np.testing.assert_array_equal(sess.run(mean), m1)
            frozen = sess.run(logits, {x: X})  # step 3: uses the moving statistics
            now = {k: sess.run(k + ":0") for k in values}
    # Frozen (and not yet quantized), the training graph computes the inference-mode net.
    want = _float_logits(now, is_training=False)
    np.testing.assert_allclose(frozen, want, rtol=1e-4, atol=1e-5)
    assert "conv1/BatchNorm_Fold/batch_norm_correction/use_moving_average" in {
        op.name for op in g.get_operations()}


def test_errors_and_options():
    with tf.Graph().as_default():
        x, logits = _net()
        loss = tf.reduce_mean(logits)
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with pytest.raises(ValueError, match="Training op found in graph"):
            tf.contrib.quantize.create_training_graph()
    with tf.Graph().as_default() as g:
        _net(is_training=False)
        tf.contrib.quantize.experimental_create_eval_graph(weight_bits=4, activation_bits=6,
                                                           scope="conv2")
        names = {op.name for op in g.get_operations()}
        assert "conv2/weights_quant/FakeQuantWithMinMaxVars" in names
        assert "conv1/weights_quant/FakeQuantWithMinMaxVars" not in names
        fq = g.get_operation_by_name("conv2/act_quant/FakeQuantWithMinMaxVars")
        assert fq.get_attr("num_bits") == 6
        assert g.get_operation_by_name(
            "conv2/weights_quant/FakeQuantWithMinMaxVars").get_attr("num_bits") == 4


def test_graph_matcher():
    with tf.Graph().as_default() as g:
        a = tf.placeholder(tf.float32, [2, 2], name="a")
        w = tf.Variable(np.ones((2, 2), np.float32), name="w")
        y = tf.nn.relu(tf.nn.bias_add(tf.matmul(a, w), [1.0, 2.0]), name="out")
        layer = graph_matcher.OpTypePattern("MatMul", inputs=["*", graph_matcher.OpTypePattern(
            "Identity", inputs=[graph_matcher.OpTypePattern("VariableV2")])])
        relu = graph_matcher.OpTypePattern("Relu", inputs=[
            graph_matcher.OpTypePattern("Add|BiasAdd", inputs=["*", layer],
                                        ordered_inputs=False)])
        results = list(graph_matcher.GraphMatcher(relu).match_graph(g))
        assert len(results) == 1 and results[0].get_op(relu) is y.op
        assert results[0].get_op(layer).type == "MatMul"
        ordered = graph_matcher.OpTypePattern("Relu", inputs=[
            graph_matcher.OpTypePattern("BiasAdd", inputs=["*", layer])])
        assert not list(graph_matcher.GraphMatcher(ordered).match_graph(g))


def test_update_input_rewires_and_checks_dtype():
    with tf.Graph().as_default():
        a = tf.constant(1.0)
        b = tf.constant(2.0)
        c = tf.add(a, a)
        c.op._update_input(1, b)
        assert list(c.op.inputs) == [a, b] and c.op in b.consumers()
        with tf.Session() as sess:
            assert sess.run(c) == 3.0
        with pytest.raises(TypeError):
            c.op._update_input(0, tf.constant(1))


def test_residual_bypass_gets_conv_quant_and_act_quant_in_the_parent_scope():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [4, 6, 6, 4], name="x")
        with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                            activation_fn=tf.nn.relu6), \
                slim.arg_scope([slim.batch_norm], is_training=False):
            with tf.variable_scope("block"):
                net = slim.conv2d(x, 4, [3, 3], scope="conv1")
                res = slim.conv2d(net, 4, [3, 3], activation_fn=None, scope="conv2")
                out = tf.nn.relu6(res + x, name="Relu6")
        tf.contrib.quantize.create_eval_graph()
        names = {op.name for op in g.get_operations()}
        for name in ("block/conv1/weights_quant/FakeQuantWithMinMaxVars",
                     "block/conv1/act_quant/FakeQuantWithMinMaxVars",
                     "block/conv2/weights_quant/FakeQuantWithMinMaxVars",
                     "block/conv2/conv_quant/FakeQuantWithMinMaxVars",
                     "block/act_quant/FakeQuantWithMinMaxVars"):
            assert name in names, name
        # An activation follows the Add: no add_quant (it fuses into the Add at inference).
        assert not any("add_quant" in n for n in names)
        add = g.get_operation_by_name("block/add")
        assert add.inputs[0].op.name == "block/conv2/conv_quant/FakeQuantWithMinMaxVars"
        assert out.op.inputs[0].op is add
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            quant = sess.run("block/act_quant/FakeQuantWithMinMaxVars:0", {x: X[..., :1]
                                                                            .repeat(4, -1)})
        _on_grid(quant, 0.0, 6.0)


def test_matmul_batch_norm_folds_through_its_reshapes():
    def build():
        x = tf.placeholder(tf.float32, [4, 5], name="x")
        y = slim.fully_connected(x, 3, normalizer_fn=slim.batch_norm,
                                 normalizer_params={"is_training": False}, scope="fc")
        return x, y

    values = _values(build)
    values["fc/BatchNorm/moving_mean"] = np.float32([0.1, -0.2, 0.3])
    values["fc/BatchNorm/moving_variance"] = np.float32([0.5, 1.5, 2.0])
    feed = RNG.randn(4, 5).astype(np.float32)
    outs = []
    for fold in (False, True):
        with tf.Graph().as_default() as g:
            x, y = build()
            if fold:
                fold_batch_norms.FoldBatchNorms(g, is_training=False)
                assert g.get_operation_by_name("fc/MatMul_Fold").type == "MatMul"
                assert y.op.inputs[0].op.name == "fc/add_fold"
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                _load(sess, values)
                outs.append(sess.run(y, {x: feed}))
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-5, atol=1e-6)


def test_train_save_then_eval_graph_restores_the_ranges(tmp_path):
    path = str(tmp_path / "qat.ckpt")
    with tf.Graph().as_default():
        x, logits = _net()
        y = tf.placeholder(tf.int32, [4])
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        tf.contrib.quantize.create_training_graph(quant_delay=1)
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train, {x: X, y: Y})
            trained = sess.run({"act_max": "conv2/act_quant/max:0",
                                "w_min": "conv1/weights_quant/min:0"})
            saver.save(sess, path)
    with tf.Graph().as_default() as g:
        x, logits = _net(is_training=False)
        tf.contrib.quantize.create_eval_graph()
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            got = sess.run({"act_max": "conv2/act_quant/max:0",
                            "w_min": "conv1/weights_quant/min:0"})
            out = sess.run(g.get_tensor_by_name("conv2/act_quant/FakeQuantWithMinMaxVars:0"),
                           {x: X})
    assert got == trained and trained["act_max"] != 6.0
    _on_grid(out, 0.0, got["act_max"])


def test_mobilenet_v1_quantization_aware_training():
    from tensorflux.models.mobilenet_v1 import mobilenet_v1, mobilenet_v1_arg_scope

    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [2, 32, 32, 3])
        with slim.arg_scope(mobilenet_v1_arg_scope(is_training=True)):
            logits, _ = mobilenet_v1(x, num_classes=5, depth_multiplier=0.25)
        loss = tf.losses.softmax_cross_entropy(tf.one_hot([1, 2], 5), logits)
        tf.contrib.quantize.create_training_graph(quant_delay=0)
        train = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
        fake_quants = [op.name for op in g.get_operations()
                       if op.type == "FakeQuantWithMinMaxVars" and "gradients" not in op.name]
        # 27 conv layers + the logits conv, each with weights_quant and act_quant.
        assert len(fake_quants) == 56
        variables = {v.op.name for v in tf.global_variables()}
        for name in ("MobilenetV1/MobilenetV1/Conv2d_0/act_quant/min",
                     "MobilenetV1/MobilenetV1/Conv2d_1_depthwise/weights_quant/max",
                     "MobilenetV1/MobilenetV1/Conv2d_13_pointwise/act_quant/max",
                     "MobilenetV1/Logits/Conv2d_1c_1x1/act_quant/min"):
            assert name in variables, name
        assert "MobilenetV1/MobilenetV1/Conv2d_1_depthwise/depthwise_Fold" in {
            op.name for op in g.get_operations()}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value, _ = sess.run([loss, train], {x: X[:2, :, :, :].repeat(6, 1).repeat(6, 2)[
                :, :32, :32]})
        assert np.isfinite(value)


def test_add_after_the_activation_gets_post_activation_bypass_quant():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [4, 6, 6, 4], name="x")
        with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                            activation_fn=tf.nn.relu6), \
                slim.arg_scope([slim.batch_norm], is_training=False):
            with tf.variable_scope("block"):
                net = slim.conv2d(x, 4, [3, 3], scope="conv1")
                out = tf.add(net, x, name="add")
        tf.reduce_mean(out, name="pool")
        tf.contrib.quantize.create_eval_graph()
        names = {op.name for op in g.get_operations()}
        assert "block/conv1/act_quant/FakeQuantWithMinMaxVars" in names
        assert "block/post_activation_bypass_quant/FakeQuantWithMinMaxVars" in names
        pool = g.get_operation_by_name("pool")
        assert pool.inputs[0].op.name == \
            "block/post_activation_bypass_quant/FakeQuantWithMinMaxVars"
        add = g.get_operation_by_name("block/add")
        assert add.inputs[0].op.name == "block/conv1/act_quant/FakeQuantWithMinMaxVars"
