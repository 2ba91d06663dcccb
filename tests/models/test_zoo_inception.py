"""The Inception family (v1-v4, Inception-ResNet-v2) against real TF-Slim: variable names and
shapes, end points, collections, and outputs for seeded weights and inputs (fixtures made by
tools/fixtures/gen_inception.py); a TF-written checkpoint restores and gives TF's logits."""

import json
import os
import zlib

import numpy as np
import pytest

import tensorflux as tf
from tensorflux import models
from tensorflux.contrib import slim
from tensorflux.models import inception_utils
from tensorflux.models.inception_resnet_v2 import block35

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "inception")
NETS = {  # function -> (arg scope, default image size)
    "inception_v1": (models.inception_v1_arg_scope, 224),
    "inception_v2": (models.inception_v2_arg_scope, 224),
    "inception_v3": (models.inception_v3_arg_scope, 299),
    "inception_v4": (models.inception_v4_arg_scope, 299),
    "inception_resnet_v2": (models.inception_resnet_v2_arg_scope, 299),
}
BASES = {"inception_v2_base": "inception_v2", "inception_resnet_v2_base": "inception_resnet_v2"}
INPUT_SEED = 1234


def _json(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        return json.load(f)


STRUCTURE = _json("structure")
CASES = sorted(f[:-5] for f in os.listdir(FIXTURES)
               if f.endswith(".json") and f not in ("structure.json", "v2_ckpt.json"))


# --- the generator's recipe (tools/fixtures/gen_inception.py), repeated here ---------------------
def seeded_value(name, shape):
    rng = np.random.RandomState(zlib.crc32(name.encode("utf-8")))
    base = name.rsplit("/", 1)[-1]
    if base == "moving_variance":
        return rng.uniform(0.5, 2.0, shape).astype(np.float32)
    if base in ("biases", "beta", "moving_mean", "gamma"):
        value = rng.standard_normal(shape) * 0.1
        return (value + 1.0 if base == "gamma" else value).astype(np.float32)
    if base == "depthwise_weights":
        fan_in = shape[0] * shape[1]
    else:
        fan_in = int(np.prod(shape[:-1]))
    scale = np.sqrt((1.0 if len(shape) == 2 else 2.0) / fan_in)
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def seeded_input(shape):
    return np.random.RandomState(INPUT_SEED).uniform(-1.0, 1.0, shape).astype(np.float32)


def build(fn, shape, kwargs, arg_scope=None):
    net = BASES.get(fn, fn)
    images = tf.placeholder(tf.float32, shape, name="images")
    with slim.arg_scope(NETS[net][0](**(arg_scope or {}))):
        out, end_points = getattr(models, fn)(images, **kwargs)
    return images, out, end_points


def _shape(tensor):
    return tensor.get_shape().as_list() if tensor.get_shape().ndims is not None else None


def structure(out, end_points):
    g = tf.get_default_graph()
    keys = tf.GraphKeys
    return {
        "variables": [[v.op.name, v.get_shape().as_list()] for v in tf.global_variables()],
        "trainable": [v.op.name for v in tf.trainable_variables()],
        "model_variables": len(tf.model_variables()),
        "regularization_losses": len(g.get_collection(keys.REGULARIZATION_LOSSES)),
        "update_ops": len(g.get_collection(keys.UPDATE_OPS)),
        "end_points": {k: [v.name, _shape(v)] for k, v in end_points.items()},
        "output": [out.name, _shape(out)],
    }


def assert_same_structure(got, want, names=True):
    assert [n for n, _ in got["variables"]] == [n for n, _ in want["variables"]]
    assert got["variables"] == want["variables"]
    assert got["trainable"] == want["trainable"]
    for key in ("model_variables", "regularization_losses", "update_ops"):
        assert got[key] == want[key], key
    assert sorted(got["end_points"]) == sorted(want["end_points"])
    assert {k: v[1] for k, v in got["end_points"].items()} == {
        k: v[1] for k, v in want["end_points"].items()}
    assert got["output"][1] == want["output"][1]
    if names:
        assert got["end_points"] == want["end_points"]
        assert got["output"] == want["output"]


def assert_close(got, want, name, tolerance=1e-4):
    scale = max(1.0, float(np.abs(want).max()))
    np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance * scale, err_msg=name)


# --- structure: every net at its default size, and variants --------------------------------------
def test_published_sizes():
    """TF-Slim's numbers for the released 1001-class checkpoints."""
    counts = {name: (len(STRUCTURE[name + "_default"]["variables"]),
                     sum(int(np.prod(s)) for _, s in STRUCTURE[name + "_default"]["variables"]))
              for name in NETS}
    assert counts["inception_v3"] == (388, 27182194)
    assert {name: size for name, (_, size) in NETS.items()} == {
        name: getattr(models, name).default_image_size for name in NETS}
    v3 = dict(map(tuple, [(n, tuple(s)) for n, s in STRUCTURE["inception_v3_default"]
                          ["variables"]]))
    assert v3["InceptionV3/Conv2d_1a_3x3/weights"] == (3, 3, 3, 32)
    assert "InceptionV3/Conv2d_1a_3x3/BatchNorm/gamma" not in v3
    assert v3["InceptionV3/Logits/Conv2d_1c_1x1/weights"] == (1, 1, 2048, 1001)
    irv2 = dict((n, tuple(s)) for n, s in STRUCTURE["inception_resnet_v2_default"]["variables"])
    assert irv2["InceptionResnetV2/Logits/Logits/weights"] == (1536, 1001)
    assert "InceptionResnetV2/Repeat_2/block8_9/Conv2d_1x1/biases" in irv2


@pytest.mark.parametrize("name", sorted(STRUCTURE))
def test_structure_matches_tf_slim(name):
    want = STRUCTURE[name]
    _, out, end_points = build(want["fn"], want["shape"], want["kwargs"])
    assert_same_structure(structure(out, end_points), want)


# --- numbers: small inputs and seeded weights ----------------------------------------------------
def _load_seeded(sess):
    for v in tf.global_variables():
        v.load(seeded_value(v.op.name, v.get_shape().as_list()), sess)


# Known gaps in tensor names only. In TF, slim.dropout with keep_prob=1 in training mode returns
# its input tensor itself (tf.nn.dropout with rate 0 returns x); ours adds an Identity op.
_NAME_GAPS = {}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=_NAME_GAPS[n], strict=True))
    if n in _NAME_GAPS else n for n in CASES])
def test_case_tensor_names_match_tf_slim(name):
    case = _json(name)
    _, out, end_points = build(case["fn"], case["shape"], case["kwargs"], case.get("arg_scope"))
    assert_same_structure(structure(out, end_points), case)


@pytest.mark.parametrize("name", CASES)
def test_outputs_match_tf_slim(name):
    case = _json(name)
    want = np.load(os.path.join(FIXTURES, name + ".npz"))
    images, out, end_points = build(case["fn"], case["shape"], case["kwargs"],
                                    case.get("arg_scope"))
    assert_same_structure(structure(out, end_points), case, names=False)
    fetches = {"output": out}
    fetches.update({k: end_points[k] for k in want.files if k in end_points})
    assert set(fetches) | {"moving/" + m for m in case.get("moving") or []} == set(want.files)
    if case.get("moving"):
        fetches["update"] = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        _load_seeded(sess)
        got = sess.run(fetches, {images: seeded_input(case["shape"])})
        got.pop("update", None)
        by_name = {v.op.name: v for v in tf.global_variables()}
        for var_name in case.get("moving") or []:
            got["moving/" + var_name] = sess.run(by_name[var_name])
    for key in want.files:
        assert_close(got[key], want[key], key, case.get("tolerance", 1e-4))


def test_tf_checkpoint_restores_to_tf_logits():
    meta = _json("v2_ckpt")
    want = np.load(os.path.join(FIXTURES, "v2_ckpt.npz"))
    images, out, end_points = build(meta["fn"], meta["shape"], meta["kwargs"])
    global_step = tf.train.get_or_create_global_step()
    assert_same_structure(structure(out, end_points), meta)
    with tf.Session() as sess:  # no initializer: every variable must come from the checkpoint
        tf.train.Saver().restore(sess, os.path.join(FIXTURES, meta["checkpoint"]))
        got = sess.run({"output": out, "Predictions": end_points["Predictions"]},
                       {images: seeded_input(meta["shape"])})
        assert sess.run(global_step) == 321
    assert_close(got["output"], want["output"], "logits")
    assert_close(got["Predictions"], want["Predictions"], "predictions")
    assert tf.train.latest_checkpoint(os.path.join(FIXTURES, "v2_ckpt")).endswith("-321")


# --- behaviour ------------------------------------------------------------------------------------
def test_inception_arg_scope_defaults():
    scope = inception_utils.inception_arg_scope()
    params = scope[slim.arg_scope_func_key(slim.conv2d)]["normalizer_params"]
    assert params["decay"] == 0.9997 and params["epsilon"] == 0.001
    assert params["scale"] is False and params["fused"] is None
    assert params["updates_collections"] == tf.GraphKeys.UPDATE_OPS
    for name in ("inception_v1", "inception_v2", "inception_v3", "inception_v4"):
        assert getattr(models, name + "_arg_scope") is models.inception_arg_scope
    images = tf.placeholder(tf.float32, [1, 64, 64, 3])
    with slim.arg_scope(models.inception_arg_scope(batch_norm_scale=True)):
        models.inception_v1_base(images, final_endpoint="Conv2d_1a_7x7")
    names = [v.op.name for v in tf.global_variables()]
    # tf.layers.BatchNormalization (slim's path with UPDATE_OPS) creates gamma before beta.
    assert names == ["InceptionV1/Conv2d_1a_7x7/weights"] + [
        "InceptionV1/Conv2d_1a_7x7/BatchNorm/" + n
        for n in ("gamma", "beta", "moving_mean", "moving_variance")]


@pytest.mark.parametrize("fn, final", [
    ("inception_v1_base", "MaxPool_5a_2x2"), ("inception_v2_base", "Mixed_4a"),
    ("inception_v3_base", "Mixed_6a"), ("inception_v4_base", "Mixed_5a"),
    ("inception_resnet_v2_base", "Mixed_5b")])
def test_final_endpoint_stops_there(fn, final):
    images = tf.placeholder(tf.float32, [1, 107, 107, 3])
    net, end_points = getattr(models, fn)(images, final_endpoint=final)
    assert end_points[final] is net
    assert list(end_points)[-1] == final
    with pytest.raises(ValueError, match="(Unknown final endpoint|not recognized)"):
        with tf.Graph().as_default():
            getattr(models, fn)(tf.placeholder(tf.float32, [1, 107, 107, 3]),
                                final_endpoint="Mixed_9z")


def test_bad_arguments():
    images = tf.placeholder(tf.float32, [1, 224, 224, 3])
    for fn in (models.inception_v2, models.inception_v3, models.inception_v2_base,
               models.inception_v3_base):
        with pytest.raises(ValueError, match="depth_multiplier is not greater than zero"):
            fn(images, depth_multiplier=0.0)
    with pytest.raises(ValueError, match="data_format must be either NHWC or NCHW"):
        models.inception_v2_base(images, data_format="NWHC")
    with pytest.raises(ValueError, match="separable convolution only supports NHWC"):
        models.inception_v2_base(images, data_format="NCHW")
    with pytest.raises(ValueError, match="output_stride must be 8 or 16"):
        models.inception_resnet_v2_base(images, output_stride=32)
    with pytest.raises(ValueError, match="output_stride==8 is only supported up to"):
        models.inception_resnet_v2_base(images, output_stride=8, final_endpoint="Mixed_7a")
    assert tf.global_variables()  # the nets really were built up to the errors


def test_reuse_shares_every_variable():
    images = tf.placeholder(tf.float32, [2, 75, 75, 3])
    with slim.arg_scope(models.inception_v3_arg_scope()):
        logits, _ = models.inception_v3(images, num_classes=3, depth_multiplier=0.25,
                                        create_aux_logits=False, global_pool=True,
                                        is_training=False)
        count = len(tf.global_variables())
        again, _ = models.inception_v3(images, num_classes=3, depth_multiplier=0.25,
                                       create_aux_logits=False, global_pool=True, reuse=True,
                                       is_training=False)
    assert len(tf.global_variables()) == count
    assert again.name == "InceptionV3_1/Logits/SpatialSqueeze:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([logits, again], {images: seeded_input([2, 75, 75, 3])})
    np.testing.assert_array_equal(a, b)


def test_v2_nchw_matches_nhwc():
    """`data_format="NCHW"` (plain first conv) computes what NHWC does on the same weights."""
    x = seeded_input([1, 64, 64, 3])
    outputs = {}
    for data_format in ("NHWC", "NCHW"):
        with tf.Graph().as_default():
            shape = [1, 64, 64, 3] if data_format == "NHWC" else [1, 3, 64, 64]
            images = tf.placeholder(tf.float32, shape)
            with slim.arg_scope(models.inception_v2_arg_scope()):
                with slim.arg_scope([slim.batch_norm], is_training=False,
                                    data_format=data_format):
                    net, _ = models.inception_v2_base(
                        images, final_endpoint="Mixed_4a", depth_multiplier=0.25,
                        use_separable_conv=False, data_format=data_format)
            with tf.Session() as sess:
                _load_seeded(sess)
                feed = x if data_format == "NHWC" else x.transpose(0, 3, 1, 2)
                outputs[data_format] = sess.run(net, {images: feed})
    # Mixed_4a: 160/4 + 96/4 channels from its convs + Mixed_3c's (64+96+96+64)/4 passed by its pool
    assert outputs["NCHW"].shape == (1, 40 + 24 + 80, 4, 4)
    assert_close(outputs["NCHW"].transpose(0, 2, 3, 1), outputs["NHWC"], "NCHW")


def test_irv2_blocks_are_public_and_relu6_clips():
    net = tf.placeholder(tf.float32, [1, 5, 5, 320])
    with slim.arg_scope(models.inception_resnet_v2_arg_scope()):
        out = block35(net, scale=0.5, activation_fn=tf.nn.relu6, scope="b")
    assert out.op.type == "Relu6"
    assert any(op.name.startswith("b/clip_by_value")
               for op in tf.get_default_graph().get_operations())
    names = [v.op.name for v in tf.trainable_variables()]
    assert names[0] == "b/Branch_0/Conv2d_1x1/weights"
    assert names[-2:] == ["b/Conv2d_1x1/weights", "b/Conv2d_1x1/biases"]
