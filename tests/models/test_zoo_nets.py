"""The TF-Slim zoo (VGG, AlexNet, ResNet v1/v2, MobileNet v1) against real TF-Slim: every case of
zoo_cases.py, built by tensorflux through `tf.contrib.slim.nets`, must have TF-Slim's variables,
model variables, end points (keys, tensor names, shapes), output and collections, and compute
TF's output from the same weights and input (fixtures made by tools/fixtures/gen_slim.py from
the research/slim definitions)."""

import json
import os
import sys

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import zoo_cases  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "slim", "zoo")
slim = tf.contrib.slim

# Deep nets whose seeded weights take a few seconds to make and run.
SLOW = {"resnet_v1_152", "resnet_v1_200", "resnet_v2_152", "resnet_v2_200", "vgg_16", "vgg_19"}


def load_fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        meta = json.load(f)
    arrays = {}
    path = os.path.join(FIXTURES, name + ".npz")
    if os.path.exists(path):
        with np.load(path) as z:
            arrays = {k: z[k] for k in z.files}
    return meta, arrays


def _params(names):
    return [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in names]


@pytest.mark.parametrize("name", sorted(zoo_cases.CASES))
def test_structure_matches_tf_slim(name):
    got, _ = zoo_cases.run_case(tf, slim, slim.nets, name, run=False)
    want, _ = load_fixture(name)
    assert got["variables"] == want["variables"]
    assert got["model_variables"] == want["model_variables"]
    assert sorted(got["end_points"]) == sorted(want["end_points"])
    for key, (tensor_name, shape) in want["end_points"].items():
        assert got["end_points"][key][1] == shape, key
        assert got["end_points"][key][0] == tensor_name, key
    assert got["output"] == want["output"]
    assert got["regularization_losses"] == want["regularization_losses"]
    assert got["n_update_ops"] == want["n_update_ops"]


@pytest.mark.parametrize("name", _params(sorted(n for n, c in zoo_cases.CASES.items() if c.run)))
def test_output_matches_tf_slim(name):
    _, got = zoo_cases.run_case(tf, slim, slim.nets, name)
    _, want = load_fixture(name)
    assert sorted(got) == sorted(want)
    # Batch statistics over a few values per channel (training mode on small inputs) amplify
    # float32 rounding differences: a looser bound there.
    tolerance = 1e-3 if zoo_cases.CASES[name].train else 1e-5
    for key in sorted(want):
        scale = max(float(np.abs(want[key]).max()), 1.0)
        np.testing.assert_allclose(got[key], want[key], rtol=1e-4, atol=tolerance * scale,
                                   err_msg=key)


@pytest.mark.parametrize("name", ["mobilenet_v1_025", "alexnet_v2", "resnet_v2_50"])
def test_is_training_as_a_tensor(name):
    """A bool tensor for `is_training` (batch norm and dropout through tf.cond): fed False, the
    output is the inference-mode fixture; fed True, it differs."""
    is_training = tf.placeholder_with_default(False, [])
    images, output, _ = zoo_cases.build(tf, slim, slim.nets, name, is_training=is_training)
    feed = {images: zoo_cases.input_value(name, zoo_cases.CASES[name].input_shape)}
    _, want = load_fixture(name)
    with tf.Session() as sess:
        zoo_cases.load_weights(tf, sess)
        got = sess.run(output, feed)
        feed[is_training] = True
        training = sess.run(output, feed)
    np.testing.assert_allclose(got, want["output"], rtol=1e-4,
                               atol=1e-5 * max(1.0, np.abs(want["output"]).max()))
    assert not np.allclose(training, got)


def test_every_case_has_a_fixture():
    names = {f[:-5] for f in os.listdir(FIXTURES) if f.endswith(".json")}
    assert set(zoo_cases.CASES) == names


@pytest.mark.parametrize("module, fn, size", [
    ("vgg", "vgg_a", 224), ("vgg", "vgg_16", 224), ("vgg", "vgg_19", 224),
    ("alexnet", "alexnet_v2", 224), ("resnet_v1", "resnet_v1_50", 224),
    ("resnet_v1", "resnet_v1_200", 224), ("resnet_v2", "resnet_v2_101", 224),
    ("mobilenet_v1", "mobilenet_v1", 224), ("mobilenet_v1", "mobilenet_v1_025", 224),
])
def test_default_image_size(module, fn, size):
    assert getattr(getattr(slim.nets, module), fn).default_image_size == size


def test_default_class_counts():
    """VGG and AlexNet default to 1000 classes, the ResNets to none (features), MobileNet v1 to
    1000 (its released checkpoints have 1001: index 0 is "background")."""
    images = tf.placeholder(tf.float32, [1, 224, 224, 3])
    assert slim.nets.vgg.vgg_16(images)[0].shape.as_list() == [1, 1000]
    assert slim.nets.alexnet.alexnet_v2(images)[0].shape.as_list() == [1, 1000]
    assert slim.nets.resnet_v1.resnet_v1_50(images)[0].shape.as_list() == [1, 1, 1, 2048]
    assert slim.nets.resnet_v2.resnet_v2_50(images)[0].shape.as_list() == [1, 1, 1, 2048]
    assert slim.nets.mobilenet_v1.mobilenet_v1(images)[0].shape.as_list() == [1, 1000]


def test_reuse_shares_every_variable():
    images = tf.placeholder(tf.float32, [1, 32, 32, 3])
    slim.nets.resnet_v1.resnet_v1_50(images, 5, depth_multiplier=0.125, scope="net")
    n = len(tf.global_variables())
    slim.nets.resnet_v1.resnet_v1_50(images, 5, depth_multiplier=0.125, scope="net",
                                     reuse=True)
    assert len(tf.global_variables()) == n
    slim.nets.vgg.vgg_a(tf.placeholder(tf.float32, [1, 224, 224, 3]), 5, scope="v")
    n = len(tf.global_variables())
    slim.nets.vgg.vgg_a(tf.placeholder(tf.float32, [1, 224, 224, 3]), 5, scope="v", reuse=True)
    assert len(tf.global_variables()) == n


def test_output_stride_errors():
    images = tf.placeholder(tf.float32, [1, 64, 64, 3])
    with pytest.raises(ValueError, match="multiple of 4"):
        slim.nets.resnet_v1.resnet_v1_50(images, output_stride=6)
    with pytest.raises(ValueError, match="cannot be reached"):
        slim.nets.resnet_v2.resnet_v2_50(images, output_stride=64, scope="r2")
    with pytest.raises(ValueError, match="Only allowed output_stride values are 8, 16, 32."):
        slim.nets.mobilenet_v1.mobilenet_v1_base(images, output_stride=4)
    with pytest.raises(ValueError, match="depth_multiplier is not greater than zero."):
        slim.nets.mobilenet_v1.mobilenet_v1_base(images, depth_multiplier=0)
    with pytest.raises(ValueError, match="Unknown final endpoint"):
        slim.nets.mobilenet_v1.mobilenet_v1_base(images, final_endpoint="Conv2d_99")
    with pytest.raises(ValueError, match="Invalid input tensor rank, expected 4, was: 3"):
        slim.nets.mobilenet_v1.mobilenet_v1(tf.placeholder(tf.float32, [64, 64, 3]))


def test_zoo_modules_are_importable_as_slim_nets():
    import tensorflux.contrib.slim.nets.resnet_v1 as by_path

    from tensorflux.contrib.slim.nets import vgg
    from tensorflux.models import resnet_v1_50, vgg_16

    assert by_path is slim.nets.resnet_v1
    assert vgg.vgg_16 is vgg_16
    assert by_path.resnet_v1_50 is resnet_v1_50
    assert slim.nets.inception.inception_v3 is slim.nets.inception_v3.inception_v3


def test_tf_slim_import_paths_through_the_tensorflow_alias():
    from tensorflux.compat import tensorflow_alias

    tensorflow_alias.install_as_tensorflow()
    try:
        import tensorflow.contrib.slim as tf_slim
        import tensorflow.contrib.slim.nets.mobilenet_v1 as mobilenet_v1
        from tensorflow.contrib.framework import arg_scope
        from tensorflow.contrib.slim.nets import resnet_v1

        assert tf_slim is slim
        assert resnet_v1 is slim.nets.resnet_v1
        assert mobilenet_v1 is slim.nets.mobilenet_v1
        assert arg_scope is slim.arg_scope
    finally:
        tensorflow_alias.uninstall()
