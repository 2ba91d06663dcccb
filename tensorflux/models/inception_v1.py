"""Inception v1 (GoogLeNet) as in TF-Slim's `nets/inception_v1.py`: same scopes, variables and
end points, so TF-Slim checkpoints (`InceptionV1/Mixed_3b/Branch_1/Conv2d_0b_3x3/weights`) load.

Szegedy et al., "Going deeper with convolutions", 2014 (http://arxiv.org/abs/1409.4842);
TF-Slim adds batch norm after every convolution.

Example:
    >>> images = tf.placeholder(tf.float32, [None, 224, 224, 3])
    >>> with slim.arg_scope(inception_v1_arg_scope()):
    ...     logits, end_points = inception_v1(images, num_classes=1001, is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim
from tensorflux.models import inception_utils as iu
from tensorflux.models.inception_utils import conv, max_pool


def _module(b0, b1, b2, b3, b2_scope="Conv2d_0b_3x3"):
    """An Inception v1 module: 1x1 | 1x1 -> 3x3 | 1x1 -> 3x3 | 3x3 max pool -> 1x1."""
    return iu.mixed(
        [conv(b0, [1, 1], "Conv2d_0a_1x1")],
        [conv(b1[0], [1, 1], "Conv2d_0a_1x1"), conv(b1[1], [3, 3], "Conv2d_0b_3x3")],
        [conv(b2[0], [1, 1], "Conv2d_0a_1x1"), conv(b2[1], [3, 3], b2_scope)],
        [max_pool([3, 3], "MaxPool_0a_3x3"), conv(b3, [1, 1], "Conv2d_0b_1x1")])


# The convolution and max-pooling layers before the Inception modules.
ROOT_STAGES = (
    ("Conv2d_1a_7x7", conv(64, [7, 7], stride=2)),
    ("MaxPool_2a_3x3", max_pool([3, 3], stride=2)),
    ("Conv2d_2b_1x1", conv(64, [1, 1])),
    ("Conv2d_2c_3x3", conv(192, [3, 3])),
    ("MaxPool_3a_3x3", max_pool([3, 3], stride=2)),
)

STAGES = (
    ("Mixed_3b", _module(64, (96, 128), (16, 32), 32)),
    ("Mixed_3c", _module(128, (128, 192), (32, 96), 64)),
    ("MaxPool_4a_3x3", max_pool([3, 3], stride=2)),
    ("Mixed_4b", _module(192, (96, 208), (16, 48), 64)),
    ("Mixed_4c", _module(160, (112, 224), (24, 64), 64)),
    ("Mixed_4d", _module(128, (128, 256), (24, 64), 64)),
    ("Mixed_4e", _module(112, (144, 288), (32, 64), 64)),
    ("Mixed_4f", _module(256, (160, 320), (32, 128), 128)),
    ("MaxPool_5a_2x2", max_pool([2, 2], stride=2)),
    # TF-Slim names this 3x3 conv "Conv2d_0a_3x3" (released checkpoints keep the name).
    ("Mixed_5b", _module(256, (160, 320), (32, 128), 128, b2_scope="Conv2d_0a_3x3")),
    ("Mixed_5c", _module(384, (192, 384), (48, 128), 128)),
)


def inception_v1_base(inputs, final_endpoint="Mixed_5c", include_root_block=True,
                      scope="InceptionV1"):
    """Inception v1 from `inputs` up to `final_endpoint`; returns `(net, end_points)`.

    `final_endpoint` is one of the names in `ROOT_STAGES` (when `include_root_block`) and
    `STAGES`; anything else raises ValueError.
    """
    end_points = {}
    with tf.variable_scope(scope, "InceptionV1", [inputs]):
        with slim.arg_scope([slim.conv2d, slim.fully_connected],
                            weights_initializer=iu.trunc_normal(0.01)):
            with slim.arg_scope([slim.conv2d, slim.max_pool2d], stride=1, padding="SAME"):
                stages = (ROOT_STAGES if include_root_block else ()) + STAGES
                net, done = iu.build_stages(inputs, stages, end_points, final_endpoint)
                if done:
                    return net, end_points
    raise ValueError("Unknown final endpoint %s" % final_endpoint)


def inception_v1(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8,
                 prediction_fn=slim.softmax, spatial_squeeze=True, reuse=None,
                 scope="InceptionV1", global_pool=False):
    """Inception v1 classifier; returns `(logits, end_points)`.

    The logits are a 1x1 conv over the average-pooled `Mixed_5c` (a fixed 7x7 window, or the
    global mean with `global_pool=True`); with `num_classes` 0 or None the pooled features are
    returned instead. `spatial_squeeze` drops the 1x1 spatial dims of the logits.

    Example:
        >>> logits, end_points = inception_v1(images, num_classes=1001, is_training=False)
        >>> probabilities = end_points["Predictions"]
    """
    with tf.variable_scope(scope, "InceptionV1", [inputs], reuse=reuse) as scope:
        with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=is_training):
            net, end_points = inception_v1_base(inputs, scope=scope)
            with tf.variable_scope("Logits"):
                if global_pool:
                    net = tf.reduce_mean(net, [1, 2], keep_dims=True, name="global_pool")
                    end_points["global_pool"] = net
                else:
                    net = slim.avg_pool2d(net, [7, 7], stride=1, scope="AvgPool_0a_7x7")
                    end_points["AvgPool_0a_7x7"] = net
                if not num_classes:
                    return net, end_points
                net = slim.dropout(net, dropout_keep_prob, scope="Dropout_0b")
                logits = slim.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                     normalizer_fn=None, scope="Conv2d_0c_1x1")
                if spatial_squeeze:
                    logits = tf.squeeze(logits, [1, 2], name="SpatialSqueeze")
                end_points["Logits"] = logits
                end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


inception_v1.default_image_size = 224

inception_v1_arg_scope = iu.inception_arg_scope
