"""TF-Slim library graphs (the layers beyond conv2d/fully_connected, `repeat`/`stack`, the
variable helpers, `slim.losses`) written once, run by real TF-Slim (fixtures,
`tools/fixtures/gen_slim.py`) and by tensorflux (`test_slim_layers_vs_tf.py`); recorded as in
tests/layers/layer_cases.py."""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "layers"))
import layer_cases  # noqa: E402
from layer_cases import Case  # noqa: E402

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def run_case(tf, slim, name, run=True):
    return layer_cases.run_case(tf, name, run, CASES, (slim,))


def _names(variables):
    return [v.name for v in variables]


@case
def slim_separable_conv2d(tf, inp, slim):
    x = inp([2, 7, 7, 3])
    depthwise = slim.separable_conv2d(x, None, [3, 3], depth_multiplier=2, scope="dw")
    strided = slim.separable_conv2d(x, None, 3, stride=2, padding="VALID",
                                    activation_fn=None, biases_initializer=None, scope="dw2")
    dilated = slim.separable_conv2d(x, None, [3, 3], rate=2, scope="dw3")
    full = slim.separable_conv2d(x, 5, [3, 3], depth_multiplier=2, scope="sep")
    with slim.arg_scope([slim.separable_conv2d], normalizer_fn=slim.batch_norm,
                        normalizer_params={"is_training": False, "scale": True}):
        normalized = slim.separable_conv2d(x, None, [3, 3], scope="dw_bn")
        both = slim.separable_conv2d(x, 4, [3, 3], stride=2, scope="sep_bn")
    default = slim.separable_conv2d(x, 2, [1, 1])
    return Case({"depthwise": depthwise, "strided": strided, "dilated": dilated, "full": full,
                 "normalized": normalized, "both": both, "default": default})


@case
def slim_conv2d_transpose(tf, inp, slim):
    x = inp([2, 4, 5, 3])
    same = slim.conv2d_transpose(x, 6, [3, 3], stride=2, scope="up")
    valid = slim.conv2d_transpose(x, 2, 3, stride=[1, 2], padding="VALID",
                                  activation_fn=None)
    normalized = slim.conv2d_transpose(x, 4, [2, 2], stride=2, normalizer_fn=slim.batch_norm,
                                       normalizer_params={"is_training": False})
    unbiased = slim.conv2d_transpose(x, 3, [3, 3], biases_initializer=None, scope="nob")
    return Case({"same": same, "valid": valid, "normalized": normalized, "unbiased": unbiased})


@case
def slim_repeat_and_stack(tf, inp, slim):
    x = inp([2, 8, 8, 3])
    rep = slim.repeat(x, 3, slim.conv2d, 4, [3, 3], scope="conv3")
    rep_default = slim.repeat(x, 2, slim.conv2d, 2, [1, 1])
    rep_default2 = slim.repeat(x, 1, slim.max_pool2d, [2, 2])
    flat = slim.flatten(x)
    st = slim.stack(flat, slim.fully_connected, [5, 4, 3], scope="fc")
    st_args = slim.stack(x, slim.conv2d, [(3, [3, 3]), (2, [1, 1], 2)], scope="convs")
    st_default = slim.stack(flat, slim.fully_connected, [2])
    return Case({"rep": rep, "rep_default": rep_default, "rep_default2": rep_default2,
                 "st": st, "st_args": st_args, "st_default": st_default})


@case
def slim_small_layers(tf, inp, slim):
    labels32 = tf.constant([0, 3, 1], tf.int32)
    labels64 = tf.constant([2, 0], tf.int64)
    onehot = slim.one_hot_encoding(labels32, 4)
    onehot64 = slim.one_hot_encoding(labels64, 3, on_value=0.9, off_value=0.05,
                                     scope="smooth")
    logits = inp([2, 3, 5])
    soft = slim.softmax(logits)
    soft2 = slim.softmax(inp([4, 3]), scope="pred")
    x = inp([2, 3, 4])
    unit = slim.unit_norm(x, 1)
    unit_last = slim.unit_norm(x, 2)
    biased = slim.bias_add(x, activation_fn=tf.nn.relu)
    image = inp([2, 6, 6, 3])
    biased_nchw = slim.bias_add(image, data_format="NCHW", scope="nchw_bias")
    video = inp([1, 4, 6, 6, 2])
    mp3 = slim.max_pool3d(video, [2, 2, 2])
    ap3 = slim.avg_pool3d(video, 3, stride=1, padding="SAME")
    pooled = slim.pool(image, [2, 2], "AVG", stride=2)
    pooled_max = slim.pool(image, 3, "MAX", padding="SAME")
    return Case({"onehot": onehot, "onehot64": onehot64, "soft": soft, "soft2": soft2,
                 "unit": unit, "unit_last": unit_last, "biased": biased,
                 "biased_nchw": biased_nchw, "mp3": mp3, "ap3": ap3, "pooled": pooled,
                 "pooled_max": pooled_max})


@case
def slim_layer_norm(tf, inp, slim):
    x = inp([2, 3, 4, 5])
    default = slim.layer_norm(x)
    last = slim.layer_norm(x, begin_norm_axis=-1, activation_fn=tf.nn.relu, scope="last")
    params = slim.layer_norm(x, begin_norm_axis=2, begin_params_axis=2, scope="params")
    plain = slim.layer_norm(x, center=False, scale=False, scope="plain")
    fc = slim.fully_connected(inp([3, 6]), 4, normalizer_fn=slim.layer_norm, scope="fc")
    return Case({"default": default, "last": last, "params": params, "plain": plain,
                 "fc": fc})


@case
def slim_end_points(tf, inp, slim):
    x = inp([2, 8, 8, 3])
    with tf.variable_scope("net") as sc:
        collection = sc.original_name_scope + "_end_points"
        with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.fully_connected],
                            outputs_collections=collection):
            net = slim.repeat(x, 2, slim.conv2d, 4, [3, 3], scope="conv1")
            net = slim.max_pool2d(net, [2, 2], scope="pool1")
            net = slim.conv2d(net, 3, [1, 1])
            net = slim.fully_connected(slim.flatten(net), 2, scope="logits")
        end_points = slim.utils.convert_collection_to_dict(collection)
    outs = {"net": net}
    for i, tensor in enumerate(end_points.values()):
        outs["ep%d" % i] = tensor
    return Case(outs, meta={"keys": list(end_points), "collection": collection,
                            "last_dim": slim.utils.last_dimension(net.get_shape(), 2)})


@case
def slim_variable_helpers(tf, inp, slim):
    with tf.variable_scope("model"):
        w = slim.model_variable("weights", shape=[3, 4],
                                initializer=tf.truncated_normal_initializer(stddev=0.1),
                                regularizer=slim.l2_regularizer(0.05))
        b = slim.model_variable("biases", shape=[4], collections=["mine"])
        v = slim.variable("plain", shape=[2], initializer=tf.zeros_initializer())
        local = slim.variable("counter", shape=[], trainable=False,
                              collections=[tf.GraphKeys.LOCAL_VARIABLES])
        frozen = slim.model_variable("frozen", shape=[2], trainable=False)
    with tf.variable_scope("head"):
        slim.conv2d(inp([1, 4, 4, 2]), 3, [3, 3], scope="conv")
        slim.fully_connected(inp([1, 3]), 2, scope="fc")
    meta = {
        "get_variables": _names(slim.get_variables()),
        "get_variables_model": _names(slim.get_variables("model")),
        "get_variables_suffix": _names(slim.get_variables(suffix="weights")),
        "get_variables_scope_suffix": _names(slim.get_variables("head", suffix="biases")),
        "get_model_variables": _names(slim.get_model_variables()),
        "get_model_variables_head": _names(slim.get_model_variables("head")),
        "get_trainable_variables": _names(slim.get_trainable_variables()),
        "get_local_variables": _names(slim.get_local_variables()),
        "to_restore": _names(slim.get_variables_to_restore()),
        "to_restore_exclude": _names(slim.get_variables_to_restore(
            exclude=["head/fc", "model/plain"])),
        "to_restore_include": _names(slim.get_variables_to_restore(
            include=["head", "model/weights"], exclude=["head/conv/biases"])),
        "by_name": _names(slim.get_variables_by_name("weights")),
        "by_name_scoped": _names(slim.get_variables_by_name("biases", scope="head")),
        "by_suffix": _names(slim.get_variables_by_suffix("ases")),
        "unique": slim.get_unique_variable("head/fc/weights").name,
        "filtered": _names(slim.filter_variables(slim.get_model_variables(),
                                                 include_patterns=["weights", "conv"],
                                                 exclude_patterns=["biases"])),
        "mine": _names(tf.get_collection("mine")),
        "reg": [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)],
    }
    meta["local"] = local.name
    return Case({"w": w, "b": b, "v": v, "frozen": frozen}, meta=meta)


@case
def slim_losses(tf, inp, slim):
    logits = inp([4, 5])
    labels = tf.constant([1, 0, 4, 2])
    onehot = slim.one_hot_encoding(labels, 5)
    weights = tf.constant([1.0, 0.0, 2.0, 0.5])
    preds = tf.sigmoid(inp([4, 3]))
    targets = tf.constant(np.random.RandomState(3).rand(4, 3).astype(np.float32))
    binary = tf.constant((np.random.RandomState(4).rand(4, 3) > 0.5).astype(np.float32))
    outs = {
        "softmax": slim.losses.softmax_cross_entropy(logits, onehot),
        "softmax_smooth": slim.losses.softmax_cross_entropy(logits, onehot, weights=weights,
                                                            label_smoothing=0.1),
        "sparse": slim.losses.sparse_softmax_cross_entropy(logits, labels),
        "sparse_col": slim.losses.sparse_softmax_cross_entropy(
            logits, tf.reshape(labels, [4, 1]), weights=2.0),
        "sigmoid": slim.losses.sigmoid_cross_entropy(logits[:, :3], binary,
                                                     label_smoothing=0.2),
        "abs": slim.losses.absolute_difference(preds, targets),
        "mse": slim.losses.mean_squared_error(preds, targets, weights=tf.constant(
            [[1.0], [0.0], [2.0], [1.0]])),
        "log": slim.losses.log_loss(preds, binary),
        "pairwise": slim.losses.mean_pairwise_squared_error(preds, targets),
        "cosine": slim.losses.cosine_distance(tf.nn.l2_normalize(preds, 1),
                                              tf.nn.l2_normalize(targets, 1), axis=1),
        "hinge": slim.losses.hinge_loss(logits[:, :3], binary),
        "weighted": slim.losses.compute_weighted_loss(tf.abs(logits), weights=0.5),
    }
    slim.fully_connected(inp([2, 3]), 2, weights_regularizer=slim.l2_regularizer(0.1))
    outs["total"] = slim.losses.get_total_loss()
    outs["total_noreg"] = slim.losses.get_total_loss(add_regularization_losses=False,
                                                     name="noreg")
    meta = {"losses": [t.name for t in slim.losses.get_losses()],
            "reg": [t.name for t in slim.losses.get_regularization_losses()]}
    return Case(outs, meta=meta)
