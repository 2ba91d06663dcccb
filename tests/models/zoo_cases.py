"""The TF-Slim zoo networks, built and run the same way by real TF-Slim (fixtures,
`tools/fixtures/gen_slim.py`) and by tensorflux (`test_zoo_*.py`).

A case names a zoo module and function, its arguments, its arg scope and an input shape.
`run_case(tf, slim, nets, name)` builds it in a fresh graph, records the variables (names,
shapes, trainability), the model variables, the end points (tensor names and shapes), the
output, the collections, then (for cases with `run`) loads deterministic weights into every
variable, feeds a seeded input and records the output, the predictions and, for training-mode
cases, two batch-norm moving means after one run of the update ops.

Weights are not stored: `weight_value(name, shape)` makes them from the variable's name with
NumPy's legacy `RandomState` (whose streams NumPy keeps stable), He-uniform for kernels, near 1
for `gamma` and `moving_variance`, small elsewhere.
"""

import collections
import contextlib
import zlib

import numpy as np

Net = collections.namedtuple("Net", ["module", "fn", "kwargs", "arg_scope", "input_shape",
                                     "run", "train"])


def _net(module, fn, input_shape, arg_scope=None, run=True, train=False, **kwargs):
    return Net(module, fn, kwargs, arg_scope, input_shape, run, train)


_VGG = ("vgg_arg_scope", {})
_ALEXNET = ("alexnet_v2_arg_scope", {})
_RESNET = ("resnet_arg_scope", {})
_MOBILENET = ("mobilenet_v1_arg_scope", {})
_MOBILENET_EVAL = ("mobilenet_v1_arg_scope", {"is_training": False})

CASES = {
    # VGG on 32x32 inputs with fc6 padded "SAME": the weights have their full shapes, the
    # FLOPs stay small. The "_imagenet" cases record the structure of the usual 224x224 nets.
    "vgg_a": _net("vgg", "vgg_a", (2, 32, 32, 3), _VGG, num_classes=7, is_training=False,
                  fc_conv_padding="SAME"),
    "vgg_16": _net("vgg", "vgg_16", (2, 32, 32, 3), _VGG, num_classes=7, is_training=False,
                   fc_conv_padding="SAME"),
    "vgg_19": _net("vgg", "vgg_19", (1, 32, 32, 3), _VGG, num_classes=7, is_training=False,
                   fc_conv_padding="SAME"),
    "vgg_16_imagenet": _net("vgg", "vgg_16", (1, 224, 224, 3), _VGG, run=False),
    "vgg_19_imagenet": _net("vgg", "vgg_19", (1, 224, 224, 3), _VGG, run=False),
    "vgg_a_features": _net("vgg", "vgg_a", (1, 64, 64, 3), _VGG, num_classes=0,
                           is_training=False, fc_conv_padding="SAME", global_pool=True),
    "alexnet_v2": _net("alexnet", "alexnet_v2", (2, 224, 224, 3), _ALEXNET, num_classes=7,
                       is_training=False),
    "alexnet_v2_features": _net("alexnet", "alexnet_v2", (1, 256, 256, 3), _ALEXNET,
                                num_classes=None, is_training=False, global_pool=True),
    # ResNets: 32x32 (the last block is 1x1) or 64x64 inputs.
    "resnet_v1_50": _net("resnet_v1", "resnet_v1_50", (2, 64, 64, 3), _RESNET, num_classes=7,
                         is_training=False),
    "resnet_v1_101": _net("resnet_v1", "resnet_v1_101", (1, 32, 32, 3), _RESNET,
                          num_classes=7, is_training=False),
    "resnet_v1_152": _net("resnet_v1", "resnet_v1_152", (1, 32, 32, 3), _RESNET,
                          num_classes=7, is_training=False),
    "resnet_v1_200": _net("resnet_v1", "resnet_v1_200", (1, 32, 32, 3), _RESNET,
                          num_classes=7, is_training=False),
    "resnet_v1_50_imagenet": _net("resnet_v1", "resnet_v1_50", (1, 224, 224, 3), _RESNET,
                                  run=False, num_classes=1000),
    "resnet_v1_50_dense": _net("resnet_v1", "resnet_v1_50", (1, 64, 64, 3), _RESNET,
                               is_training=False, global_pool=False, output_stride=8),
    "resnet_v1_50_nonstrided": _net("resnet_v1", "resnet_v1_50", (1, 64, 64, 3), _RESNET,
                                    num_classes=7, is_training=False, spatial_squeeze=False,
                                    store_non_strided_activations=True),
    "resnet_v1_50_thin_training": _net("resnet_v1", "resnet_v1_50", (2, 64, 64, 3), _RESNET,
                                       train=True, num_classes=7, is_training=True,
                                       depth_multiplier=0.25),
    "resnet_v1_50_thin": _net("resnet_v1", "resnet_v1_50", (2, 64, 64, 3), _RESNET,
                              num_classes=7, is_training=False, depth_multiplier=0.125),
    "resnet_v2_50": _net("resnet_v2", "resnet_v2_50", (2, 64, 64, 3), _RESNET, num_classes=7,
                         is_training=False),
    "resnet_v2_101": _net("resnet_v2", "resnet_v2_101", (1, 32, 32, 3), _RESNET,
                          num_classes=7, is_training=False),
    "resnet_v2_152": _net("resnet_v2", "resnet_v2_152", (1, 32, 32, 3), _RESNET,
                          num_classes=7, is_training=False),
    "resnet_v2_200": _net("resnet_v2", "resnet_v2_200", (1, 32, 32, 3), _RESNET,
                          num_classes=7, is_training=False),
    "resnet_v2_50_imagenet": _net("resnet_v2", "resnet_v2_50", (1, 224, 224, 3), _RESNET,
                                  run=False, num_classes=1001),
    "resnet_v2_50_dense": _net("resnet_v2", "resnet_v2_50", (1, 64, 64, 3), _RESNET,
                               num_classes=7, is_training=False, global_pool=False,
                               output_stride=16, spatial_squeeze=False),
    "resnet_v2_50_training": _net("resnet_v2", "resnet_v2_50", (4, 64, 64, 3), _RESNET,
                                  train=True, num_classes=7, is_training=True),
    "mobilenet_v1": _net("mobilenet_v1", "mobilenet_v1", (2, 64, 64, 3), _MOBILENET,
                         num_classes=7, is_training=False),
    "mobilenet_v1_075": _net("mobilenet_v1", "mobilenet_v1_075", (2, 64, 64, 3), _MOBILENET,
                             num_classes=7, is_training=False),
    "mobilenet_v1_050": _net("mobilenet_v1", "mobilenet_v1_050", (2, 64, 64, 3), _MOBILENET,
                             num_classes=7, is_training=False),
    "mobilenet_v1_025": _net("mobilenet_v1", "mobilenet_v1_025", (2, 64, 64, 3), _MOBILENET,
                             num_classes=7, is_training=False),
    "mobilenet_v1_imagenet": _net("mobilenet_v1", "mobilenet_v1", (1, 224, 224, 3),
                                  _MOBILENET, run=False, num_classes=1001),
    "mobilenet_v1_features": _net("mobilenet_v1", "mobilenet_v1", (1, 96, 96, 3), _MOBILENET,
                                  num_classes=0, is_training=False, global_pool=True,
                                  depth_multiplier=0.5),
    "mobilenet_v1_training": _net("mobilenet_v1", "mobilenet_v1_025", (2, 64, 64, 3),
                                  _MOBILENET, train=True, num_classes=7, is_training=True,
                                  dropout_keep_prob=1.0),
    "mobilenet_v1_base_dense": _net("mobilenet_v1", "mobilenet_v1_base", (1, 64, 64, 3),
                                    _MOBILENET_EVAL, final_endpoint="Conv2d_11_pointwise",
                                    output_stride=16, use_explicit_padding=True,
                                    depth_multiplier=0.5),
}


def weight_value(name, shape, salt=""):
    """Deterministic float32 values for variable `name` (without ":0")."""
    shape = [int(d) for d in shape]
    rng = np.random.RandomState(zlib.crc32((salt + name).encode()))
    unit = rng.randint(-32768, 32767, size=shape, dtype=np.int16).astype(np.float32) / 32768
    short = name.rsplit("/", 1)[-1]
    if short in ("weights", "depthwise_weights", "pointwise_weights"):
        fan_in = int(np.prod(shape[:-1])) if short != "depthwise_weights" else int(
            np.prod(shape[:2]))
        return unit * np.float32(np.sqrt(6.0 / max(fan_in, 1)))
    if short in ("gamma", "moving_variance"):
        return 1.0 + 0.5 * unit
    if short in ("beta", "biases", "moving_mean"):
        return 0.1 * unit
    return np.zeros(shape, np.float32)


def input_value(name, shape):
    rng = np.random.RandomState(zlib.crc32(("input/" + name).encode()))
    return rng.uniform(-1.0, 1.0, shape).astype(np.float32)


def _shape(t):
    s = t.get_shape()
    return None if s.ndims is None else s.as_list()


def build(tf, slim, nets, name, images=None, **overrides):
    """Builds case `name` (its keyword arguments updated by `overrides`) on a new placeholder
    (or `images`); returns `(images, output, end_points)`."""
    case = CASES[name]
    case = case._replace(kwargs=dict(case.kwargs, **overrides))
    module = getattr(nets, case.module)
    if images is None:
        images = tf.placeholder(tf.float32, case.input_shape, name="images")
    scope = contextlib.nullcontext()
    if case.arg_scope:
        scope_fn, scope_kwargs = case.arg_scope
        scope = slim.arg_scope(getattr(module, scope_fn)(**scope_kwargs))
    with scope:
        output, end_points = getattr(module, case.fn)(images, **case.kwargs)
    return images, output, end_points


def record_structure(tf, output, end_points):
    trainable = {v.name for v in tf.trainable_variables()}
    return {
        "variables": [[v.name, v.get_shape().as_list(), v.name in trainable]
                      for v in tf.global_variables()],
        "model_variables": [v.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)],
        "end_points": {k: [t.name, _shape(t)] for k, t in end_points.items()},
        "output": [output.name, _shape(output)],
        "regularization_losses": [t.name for t in
                                  tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)],
        "n_update_ops": len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
    }


def load_weights(tf, sess, salt=""):
    """Assigns `weight_value` to every global variable (placeholder-fed assigns, one run)."""
    assigns, feed = [], {}
    for v in tf.global_variables():
        ph = tf.placeholder(v.dtype.base_dtype, v.get_shape())
        assigns.append(tf.assign(v, ph))
        feed[ph] = weight_value(v.op.name, v.get_shape().as_list(), salt)
    sess.run(assigns, feed)


def moving_means(tf):
    """The first and last batch-norm moving means of the graph."""
    means = [v for v in tf.global_variables() if v.op.name.endswith("moving_mean")]
    return {"moving_mean_first": means[0], "moving_mean_last": means[-1]} if means else {}


def run_case(tf, slim, nets, name, run=True):
    """Builds and (if `run` and the case runs) evaluates case `name`; returns
    `(meta, arrays)`."""
    tf.reset_default_graph()
    images, output, end_points = build(tf, slim, nets, name)
    meta = record_structure(tf, output, end_points)
    arrays = {}
    if not (run and CASES[name].run):
        return meta, arrays
    fetches = {"output": output}
    for key in ("predictions", "Predictions"):
        if key in end_points:
            fetches["predictions"] = end_points[key]
    feed = {images: input_value(name, CASES[name].input_shape)}
    with tf.Session() as sess:
        load_weights(tf, sess)
        if CASES[name].train:
            fetches["updates"] = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        arrays.update(sess.run(fetches, feed))
        arrays.pop("updates", None)
        arrays.update(sess.run(moving_means(tf)))
    return meta, arrays
