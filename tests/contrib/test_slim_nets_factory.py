"""slim.nets.nets_factory: every registered network builds under its arg scope, with the
right logits shape and end points; OverFeat, CifarNet and LeNet match TF-Slim's variables."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.contrib.slim.nets import cifarnet, lenet, nets_factory, overfeat

slim = tf.contrib.slim

# name -> (input size, one end point key and its tensor's name, default_image_size)
NETWORKS = {
    "alexnet_v2": (224, "alexnet_v2/fc7", "alexnet_v2/fc7/Relu:0", 224),
    "cifarnet": (32, "fc4", "CifarNet/fc4/Relu:0", 32),
    "overfeat": (231, "overfeat/pool5", "overfeat/pool5/MaxPool:0", 231),
    "vgg_a": (224, "vgg_a/fc7", "vgg_a/fc7/Relu:0", 224),
    "vgg_16": (224, "vgg_16/conv5/conv5_3", "vgg_16/conv5/conv5_3/Relu:0", 224),
    "vgg_19": (224, "vgg_19/conv5/conv5_4", "vgg_19/conv5/conv5_4/Relu:0", 224),
    "inception_v1": (224, "Mixed_5c", None, 224),
    "inception_v2": (96, "Mixed_5c", None, 224),
    "inception_v3": (299, "Mixed_7c", None, 299),
    "inception_v4": (299, "Mixed_7d", None, 299),
    "inception_resnet_v2": (299, "Conv2d_7b_1x1", None, 299),
    "lenet": (28, "pool2", "LeNet/pool2/MaxPool:0", 28),
    "resnet_v1_50": (64, "resnet_v1_50/block4", None, 224),
    "resnet_v1_101": (64, "resnet_v1_101/block4", None, 224),
    "resnet_v1_152": (64, "resnet_v1_152/block4", None, 224),
    "resnet_v1_200": (64, "resnet_v1_200/block4", None, 224),
    "resnet_v2_50": (64, "resnet_v2_50/block4", None, 224),
    "resnet_v2_101": (64, "resnet_v2_101/block4", None, 224),
    "resnet_v2_152": (64, "resnet_v2_152/block4", None, 224),
    "resnet_v2_200": (64, "resnet_v2_200/block4", None, 224),
    "mobilenet_v1": (64, "Conv2d_13_pointwise", None, 224),
    "mobilenet_v1_075": (64, "Conv2d_13_pointwise", None, 224),
    "mobilenet_v1_050": (64, "Conv2d_13_pointwise", None, 224),
    "mobilenet_v1_025": (64, "Conv2d_13_pointwise", None, 224),
}


def test_maps_hold_the_zoo():
    assert set(nets_factory.networks_map) == set(NETWORKS)
    assert set(nets_factory.arg_scopes_map) == set(NETWORKS)
    assert nets_factory.arg_scopes_map["inception_v1"] is \
        slim.nets.inception.inception_v3_arg_scope
    assert slim.nets.nets_factory is nets_factory


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_network_builds(name):
    size, end_point, tensor_name, default_size = NETWORKS[name]
    channels = 1 if name == "lenet" else 3
    with tf.Graph().as_default():
        network_fn = nets_factory.get_network_fn(name, num_classes=7, weight_decay=0.001)
        assert network_fn.default_image_size == default_size
        assert network_fn.__name__ == nets_factory.networks_map[name].__name__
        images = tf.placeholder(tf.float32, [2, size, size, channels])
        logits, end_points = network_fn(images)
        assert logits.get_shape().as_list() == [2, 7]
        assert end_point in end_points
        if tensor_name:
            assert end_points[end_point].name == tensor_name
        assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)


@pytest.mark.parametrize("name", ["nasnet_large", "nasnet_mobile", "pnasnet_large", "i3d",
                                  "s3dg", "mobilenet_v2", "mobilenet_v3_small", "resnet_50"])
def test_unknown_network(name):
    with pytest.raises(ValueError, match="Name of network unknown %s" % name):
        nets_factory.get_network_fn(name, num_classes=10)


def test_kwargs_and_is_training_pass_through():
    with tf.Graph().as_default() as g:
        network_fn = nets_factory.get_network_fn("vgg_a", num_classes=5, is_training=True)
        logits, _ = network_fn(tf.placeholder(tf.float32, [1, 224, 224, 3]),
                               spatial_squeeze=False)
        assert logits.get_shape().as_list() == [1, 1, 1, 5]
        training_dropout = [op.name for op in g.get_operations()
                            if op.name.startswith("vgg_a/dropout6/") and
                            op.type == "RandomUniform"]
        assert training_dropout
    with tf.Graph().as_default() as g:
        network_fn = nets_factory.get_network_fn("vgg_a", num_classes=5, is_training=False)
        network_fn(tf.placeholder(tf.float32, [1, 224, 224, 3]))
        assert not [op for op in g.get_operations() if op.type == "RandomUniform"
                    and "dropout" in op.name]


def test_weight_decay_scales_the_regularization():
    def total_regularization(weight_decay):
        with tf.Graph().as_default():
            tf.set_random_seed(3)
            network_fn = nets_factory.get_network_fn("lenet", 10, weight_decay=weight_decay)
            network_fn(tf.placeholder(tf.float32, [1, 28, 28, 1]))
            losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
            if not losses:
                return None
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                return sess.run(tf.add_n(losses))

    assert total_regularization(0.0) is None       # l2_regularizer(0.0) adds no loss
    small, large = total_regularization(0.001), total_regularization(0.002)
    np.testing.assert_allclose(large, 2 * small, rtol=1e-5)


def test_lenet_runs():
    with tf.Graph().as_default():
        network_fn = nets_factory.get_network_fn("lenet", num_classes=10)
        images = tf.random_uniform([3, 28, 28, 1], seed=1)
        logits, end_points = network_fn(images)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            logits_value, predictions = sess.run([logits, end_points["Predictions"]])
    assert logits_value.shape == (3, 10)
    np.testing.assert_allclose(predictions.sum(1), 1.0, rtol=1e-5)


# Variables (name, shape), end points and regularization losses of TF-Slim's nets, as TF-Slim
# builds them with num_classes=7 on [2, size, size, channels] inputs, weight_decay=0.001.
SMALL_NETS = {
    "overfeat": (overfeat.overfeat, overfeat.overfeat_arg_scope, 231, 3, [
        ("overfeat/conv1/weights", [11, 11, 3, 64]), ("overfeat/conv1/biases", [64]),
        ("overfeat/conv2/weights", [5, 5, 64, 256]), ("overfeat/conv2/biases", [256]),
        ("overfeat/conv3/weights", [3, 3, 256, 512]), ("overfeat/conv3/biases", [512]),
        ("overfeat/conv4/weights", [3, 3, 512, 1024]), ("overfeat/conv4/biases", [1024]),
        ("overfeat/conv5/weights", [3, 3, 1024, 1024]), ("overfeat/conv5/biases", [1024]),
        ("overfeat/fc6/weights", [6, 6, 1024, 3072]), ("overfeat/fc6/biases", [3072]),
        ("overfeat/fc7/weights", [1, 1, 3072, 4096]), ("overfeat/fc7/biases", [4096]),
        ("overfeat/fc8/weights", [1, 1, 4096, 7]), ("overfeat/fc8/biases", [7])], {
        "overfeat/conv1": ("overfeat/conv1/Relu:0", [2, 56, 56, 64]),
        "overfeat/pool1": ("overfeat/pool1/MaxPool:0", [2, 28, 28, 64]),
        "overfeat/conv2": ("overfeat/conv2/Relu:0", [2, 24, 24, 256]),
        "overfeat/pool2": ("overfeat/pool2/MaxPool:0", [2, 12, 12, 256]),
        "overfeat/conv3": ("overfeat/conv3/Relu:0", [2, 12, 12, 512]),
        "overfeat/conv4": ("overfeat/conv4/Relu:0", [2, 12, 12, 1024]),
        "overfeat/conv5": ("overfeat/conv5/Relu:0", [2, 12, 12, 1024]),
        "overfeat/pool5": ("overfeat/pool5/MaxPool:0", [2, 6, 6, 1024]),
        "overfeat/fc6": ("overfeat/fc6/Relu:0", [2, 1, 1, 3072]),
        "overfeat/fc7": ("overfeat/fc7/Relu:0", [2, 1, 1, 4096]),
        "overfeat/fc8": ("overfeat/fc8/squeezed:0", [2, 7])},
        ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"]),
    "cifarnet": (cifarnet.cifarnet, cifarnet.cifarnet_arg_scope, 32, 3, [
        ("CifarNet/conv1/weights", [5, 5, 3, 64]), ("CifarNet/conv1/biases", [64]),
        ("CifarNet/conv2/weights", [5, 5, 64, 64]), ("CifarNet/conv2/biases", [64]),
        ("CifarNet/fc3/weights", [4096, 384]), ("CifarNet/fc3/biases", [384]),
        ("CifarNet/fc4/weights", [384, 192]), ("CifarNet/fc4/biases", [192]),
        ("CifarNet/logits/weights", [192, 7]), ("CifarNet/logits/biases", [7])], {
        "conv1": ("CifarNet/conv1/Relu:0", [2, 32, 32, 64]),
        "pool1": ("CifarNet/pool1/MaxPool:0", [2, 16, 16, 64]),
        "conv2": ("CifarNet/conv2/Relu:0", [2, 16, 16, 64]),
        "pool2": ("CifarNet/pool2/MaxPool:0", [2, 8, 8, 64]),
        "Flatten": ("CifarNet/Flatten/flatten/Reshape:0", [2, 4096]),
        "fc3": ("CifarNet/fc3/Relu:0", [2, 384]),
        "fc4": ("CifarNet/fc4/Relu:0", [2, 192]),
        "Logits": ("CifarNet/logits/BiasAdd:0", [2, 7]),
        "Predictions": ("CifarNet/Predictions/Reshape_1:0", [2, 7])},
        ["fc3", "fc4"]),
    "lenet": (lenet.lenet, lenet.lenet_arg_scope, 28, 1, [
        ("LeNet/conv1/weights", [5, 5, 1, 32]), ("LeNet/conv1/biases", [32]),
        ("LeNet/conv2/weights", [5, 5, 32, 64]), ("LeNet/conv2/biases", [64]),
        ("LeNet/fc3/weights", [3136, 1024]), ("LeNet/fc3/biases", [1024]),
        ("LeNet/fc4/weights", [1024, 7]), ("LeNet/fc4/biases", [7])], {
        "conv1": ("LeNet/conv1/Relu:0", [2, 28, 28, 32]),
        "pool1": ("LeNet/pool1/MaxPool:0", [2, 14, 14, 32]),
        "conv2": ("LeNet/conv2/Relu:0", [2, 14, 14, 64]),
        "pool2": ("LeNet/pool2/MaxPool:0", [2, 7, 7, 64]),
        "Flatten": ("LeNet/Flatten/flatten/Reshape:0", [2, 3136]),
        "fc3": ("LeNet/fc3/Relu:0", [2, 1024]),
        "dropout3": ("LeNet/dropout3/Identity:0", [2, 1024]),
        "Logits": ("LeNet/fc4/BiasAdd:0", [2, 7]),
        "Predictions": ("Predictions/Reshape_1:0", [2, 7])},
        ["conv1", "conv2", "fc3", "fc4"]),
}


@pytest.mark.parametrize("name", sorted(SMALL_NETS))
def test_small_nets_match_tf_slim(name):
    fn, arg_scope, size, channels, variables, end_points, regularized = SMALL_NETS[name]
    scope = variables[0][0].split("/")[0]
    with tf.Graph().as_default():
        with slim.arg_scope(arg_scope(weight_decay=0.001)):
            logits, got = fn(tf.placeholder(tf.float32, [2, size, size, channels]),
                             num_classes=7, is_training=False)
        assert [(v.op.name, v.get_shape().as_list()) for v in tf.global_variables()] == \
            variables
        assert {k: (t.name, t.get_shape().as_list()) for k, t in got.items()} == end_points
        assert sorted(t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) \
            == ["%s/%s/kernel/Regularizer/l2_regularizer:0" % (scope, layer)
                for layer in regularized]
        assert logits.get_shape().as_list() == [2, 7]


def test_small_nets_without_logits():
    with tf.Graph().as_default():
        net, _ = cifarnet.cifarnet(tf.placeholder(tf.float32, [1, 32, 32, 3]), num_classes=0)
        assert net.name == "CifarNet/fc4/Relu:0"
        net, _ = lenet.lenet(tf.placeholder(tf.float32, [1, 28, 28, 1]), num_classes=None)
        assert net.name == "LeNet/fc3/Relu:0"
        net, end_points = overfeat.overfeat(tf.placeholder(tf.float32, [1, 231, 231, 3]),
                                            num_classes=0, global_pool=True)
        assert net.get_shape().as_list() == [1, 1, 1, 4096]
        assert "global_pool" in end_points
