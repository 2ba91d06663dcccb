"""Inception-ResNet-v2 as in TF-Slim's `nets/inception_resnet_v2.py`: same scopes, variables
and end points, so TF-Slim checkpoints (`InceptionResnetV2/Repeat/block35_1/Branch_0/
Conv2d_1x1/weights`) load.

Szegedy, Ioffe, Vanhoucke & Alemi, "Inception-v4, Inception-ResNet and the Impact of Residual
Connections on Learning", 2016 (http://arxiv.org/abs/1602.07261): a stem, 10 block35, Mixed_6a,
20 block17, Mixed_7a, 9 block8 and a last block8 without activation; each residual block adds
its scaled Inception branches back to its input.

Example:
    >>> images = tf.placeholder(tf.float32, [None, 299, 299, 3])
    >>> with slim.arg_scope(inception_resnet_v2_arg_scope()):
    ...     logits, end_points = inception_resnet_v2(images, num_classes=1001,
    ...                                              is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim
from tensorflux.models import inception_utils as iu
from tensorflux.models.inception_utils import avg_pool, conv, max_pool

BLOCK35 = iu.mixed(
    [conv(32, 1, "Conv2d_1x1")],
    [conv(32, 1, "Conv2d_0a_1x1"), conv(32, 3, "Conv2d_0b_3x3")],
    [conv(32, 1, "Conv2d_0a_1x1"), conv(48, 3, "Conv2d_0b_3x3"), conv(64, 3, "Conv2d_0c_3x3")])

BLOCK17 = iu.mixed(
    [conv(192, 1, "Conv2d_1x1")],
    [conv(128, 1, "Conv2d_0a_1x1"), conv(160, [1, 7], "Conv2d_0b_1x7"),
     conv(192, [7, 1], "Conv2d_0c_7x1")])

BLOCK8 = iu.mixed(
    [conv(192, 1, "Conv2d_1x1")],
    [conv(192, 1, "Conv2d_0a_1x1"), conv(224, [1, 3], "Conv2d_0b_1x3"),
     conv(256, [3, 1], "Conv2d_0c_3x1")])


def _residual(net, module, scale, activation_fn, scope, default_name, reuse):
    """net + scale * (1x1 linear conv of the concatenated branches), then the activation."""
    with tf.variable_scope(scope, default_name, [net], reuse=reuse):
        mixed = iu.build_mixed(net, module)
        up = slim.conv2d(mixed, net.get_shape().as_list()[3], 1, normalizer_fn=None,
                         activation_fn=None, scope="Conv2d_1x1")
        scaled_up = up * scale
        if activation_fn == tf.nn.relu6:
            # Clipping simulates a bandpass activation.
            scaled_up = tf.clip_by_value(scaled_up, -6.0, 6.0)
        net += scaled_up
        if activation_fn:
            net = activation_fn(net)
    return net


def block35(net, scale=1.0, activation_fn=tf.nn.relu, scope=None, reuse=None):
    """The 35x35 residual block."""
    return _residual(net, BLOCK35, scale, activation_fn, scope, "Block35", reuse)


def block17(net, scale=1.0, activation_fn=tf.nn.relu, scope=None, reuse=None):
    """The 17x17 residual block."""
    return _residual(net, BLOCK17, scale, activation_fn, scope, "Block17", reuse)


def block8(net, scale=1.0, activation_fn=tf.nn.relu, scope=None, reuse=None):
    """The 8x8 residual block."""
    return _residual(net, BLOCK8, scale, activation_fn, scope, "Block8", reuse)


def _stem(padding):
    return (
        ("Conv2d_1a_3x3", conv(32, 3, stride=2, padding=padding)),
        ("Conv2d_2a_3x3", conv(32, 3, padding=padding)),
        ("Conv2d_2b_3x3", conv(64, 3)),
        ("MaxPool_3a_3x3", max_pool(3, stride=2, padding=padding)),
        ("Conv2d_3b_1x1", conv(80, 1, padding=padding)),
        ("Conv2d_4a_3x3", conv(192, 3, padding=padding)),
        ("MaxPool_5a_3x3", max_pool(3, stride=2, padding=padding)),
        ("Mixed_5b", iu.mixed(
            [conv(96, 1, "Conv2d_1x1")],
            [conv(48, 1, "Conv2d_0a_1x1"), conv(64, 5, "Conv2d_0b_5x5")],
            [conv(64, 1, "Conv2d_0a_1x1"), conv(96, 3, "Conv2d_0b_3x3"),
             conv(96, 3, "Conv2d_0c_3x3")],
            [avg_pool(3, "AvgPool_0a_3x3", stride=1, padding="SAME"),
             conv(64, 1, "Conv2d_0b_1x1")])),
    )


def _mixed_6a(stride, padding):
    return iu.mixed(
        [conv(384, 3, "Conv2d_1a_3x3", stride=stride, padding=padding)],
        [conv(256, 1, "Conv2d_0a_1x1"), conv(256, 3, "Conv2d_0b_3x3"),
         conv(384, 3, "Conv2d_1a_3x3", stride=stride, padding=padding)],
        [max_pool(3, "MaxPool_1a_3x3", stride=stride, padding=padding)])


def _mixed_7a(padding):
    return iu.mixed(
        [conv(256, 1, "Conv2d_0a_1x1"), conv(384, 3, "Conv2d_1a_3x3", stride=2, padding=padding)],
        [conv(256, 1, "Conv2d_0a_1x1"), conv(288, 3, "Conv2d_1a_3x3", stride=2, padding=padding)],
        [conv(256, 1, "Conv2d_0a_1x1"), conv(288, 3, "Conv2d_0b_3x3"),
         conv(320, 3, "Conv2d_1a_3x3", stride=2, padding=padding)],
        [max_pool(3, "MaxPool_1a_3x3", stride=2, padding=padding)])


def inception_resnet_v2_base(inputs, final_endpoint="Conv2d_7b_1x1", output_stride=16,
                             align_feature_maps=False, scope=None, activation_fn=tf.nn.relu):
    """Inception-ResNet-v2 from `inputs` up to `final_endpoint` (one of the stem's end points,
    'Mixed_5b', 'Mixed_6a', 'PreAuxLogits', 'Mixed_7a', 'Conv2d_7b_1x1').

    `output_stride=8` keeps the 35x35 grid after Mixed_6a (atrous block17s) and is supported up
    to 'PreAuxLogits'; `align_feature_maps` turns the VALID paddings into SAME.
    """
    if output_stride != 8 and output_stride != 16:
        raise ValueError("output_stride must be 8 or 16.")
    padding = "SAME" if align_feature_maps else "VALID"
    end_points = {}

    def add_and_check_final(name, net):
        end_points[name] = net
        return name == final_endpoint

    with tf.variable_scope(scope, "InceptionResnetV2", [inputs]):
        with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1,
                            padding="SAME"):
            net, done = iu.build_stages(inputs, _stem(padding), end_points, final_endpoint)
            if done:
                return net, end_points
            net = slim.repeat(net, 10, block35, scale=0.17, activation_fn=activation_fn)

            use_atrous = output_stride == 8
            with tf.variable_scope("Mixed_6a"):
                net = iu.build_mixed(net, _mixed_6a(1 if use_atrous else 2, padding))
            if add_and_check_final("Mixed_6a", net):
                return net, end_points

            with slim.arg_scope([slim.conv2d], rate=2 if use_atrous else 1):
                net = slim.repeat(net, 20, block17, scale=0.10, activation_fn=activation_fn)
            if add_and_check_final("PreAuxLogits", net):
                return net, end_points
            if output_stride == 8:
                raise ValueError("output_stride==8 is only supported up to the "
                                 "PreAuxlogits end_point for now.")

            with tf.variable_scope("Mixed_7a"):
                net = iu.build_mixed(net, _mixed_7a(padding))
            if add_and_check_final("Mixed_7a", net):
                return net, end_points

            net = slim.repeat(net, 9, block8, scale=0.20, activation_fn=activation_fn)
            net = block8(net, activation_fn=None)
            net = slim.conv2d(net, 1536, 1, scope="Conv2d_7b_1x1")
            if add_and_check_final("Conv2d_7b_1x1", net):
                return net, end_points
    raise ValueError("final_endpoint (%s) not recognized" % final_endpoint)


def inception_resnet_v2(inputs, num_classes=1001, is_training=True, dropout_keep_prob=0.8,
                        reuse=None, scope="InceptionResnetV2", create_aux_logits=True,
                        activation_fn=tf.nn.relu):
    """Inception-ResNet-v2 classifier; returns `(logits, end_points)`.

    The logits are a fully connected layer over the globally average-pooled `Conv2d_7b_1x1`;
    with `num_classes` 0 or None the pooled features are returned instead. With
    `create_aux_logits` (and classes), `end_points["AuxLogits"]` is the auxiliary head on
    `PreAuxLogits`.

    Example:
        >>> logits, end_points = inception_resnet_v2(images, is_training=False)
    """
    with tf.variable_scope(scope, "InceptionResnetV2", [inputs], reuse=reuse) as scope:
        with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=is_training):
            net, end_points = inception_resnet_v2_base(inputs, scope=scope,
                                                       activation_fn=activation_fn)
            if create_aux_logits and num_classes:
                with tf.variable_scope("AuxLogits"):
                    aux = end_points["PreAuxLogits"]
                    aux = slim.avg_pool2d(aux, 5, stride=3, padding="VALID",
                                          scope="Conv2d_1a_3x3")
                    aux = slim.conv2d(aux, 128, 1, scope="Conv2d_1b_1x1")
                    aux = slim.conv2d(aux, 768, aux.get_shape()[1:3].as_list(),
                                      padding="VALID", scope="Conv2d_2a_5x5")
                    aux = slim.flatten(aux)
                    aux = slim.fully_connected(aux, num_classes, activation_fn=None,
                                               scope="Logits")
                    end_points["AuxLogits"] = aux
            with tf.variable_scope("Logits"):
                kernel_size = net.get_shape()[1:3]
                if kernel_size.is_fully_defined():
                    net = slim.avg_pool2d(net, kernel_size.as_list(), padding="VALID",
                                          scope="AvgPool_1a_8x8")
                else:
                    net = tf.reduce_mean(net, axis=[1, 2], keepdims=True, name="global_pool")
                end_points["global_pool"] = net
                if not num_classes:
                    return net, end_points
                net = slim.flatten(net)
                net = slim.dropout(net, dropout_keep_prob, is_training=is_training,
                                   scope="Dropout")
                end_points["PreLogitsFlatten"] = net
                logits = slim.fully_connected(net, num_classes, activation_fn=None,
                                              scope="Logits")
                end_points["Logits"] = logits
                end_points["Predictions"] = tf.nn.softmax(logits, name="Predictions")
    return logits, end_points


inception_resnet_v2.default_image_size = 299


def inception_resnet_v2_arg_scope(weight_decay=0.00004, batch_norm_decay=0.9997,
                                  batch_norm_epsilon=0.001, activation_fn=tf.nn.relu,
                                  batch_norm_updates_collections=tf.GraphKeys.UPDATE_OPS,
                                  batch_norm_scale=False):
    """Inception-ResNet-v2's arg scope: like `inception_arg_scope`, but the L2 weight decay also
    covers biases and conv2d keeps its default (Xavier) initializer.

    Example:
        >>> with slim.arg_scope(inception_resnet_v2_arg_scope()):
        ...     logits, _ = inception_resnet_v2(images, is_training=False)
    """
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(weight_decay),
                        biases_regularizer=slim.l2_regularizer(weight_decay)):
        batch_norm_params = {
            "decay": batch_norm_decay,
            "epsilon": batch_norm_epsilon,
            "updates_collections": batch_norm_updates_collections,
            "fused": None,
            "scale": batch_norm_scale,
        }
        with slim.arg_scope([slim.conv2d], activation_fn=activation_fn,
                            normalizer_fn=slim.batch_norm,
                            normalizer_params=batch_norm_params) as scope:
            return scope
