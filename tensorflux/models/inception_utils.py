"""What the TF-Slim Inception nets share: their arg scope, the layer tables and one builder.

An Inception net is a stack of stages. A stage is one layer (`Conv`, `Pool`) named after its end
point, or a "Mixed" module: parallel branches (`Branch_0`, `Branch_1`, ...) whose outputs are
concatenated on the channel axis. Each net file writes its stages as a table of these records;
`build_stages` turns the table into graph ops with TF-Slim's exact scope and variable names
(`InceptionV3/Mixed_5b/Branch_1/Conv2d_0b_5x5/weights`) and fills `end_points`.

Example:
    >>> with slim.arg_scope(inception_arg_scope()):
    ...     logits, end_points = inception_v3(images, num_classes=1001, is_training=False)
"""

import collections

import tensorflux as tf
from tensorflux.contrib import slim


def trunc_normal(stddev):
    return tf.truncated_normal_initializer(0.0, stddev)


def inception_arg_scope(weight_decay=0.00004, use_batch_norm=True, batch_norm_decay=0.9997,
                        batch_norm_epsilon=0.001, activation_fn=tf.nn.relu,
                        batch_norm_updates_collections=tf.GraphKeys.UPDATE_OPS,
                        batch_norm_scale=False):
    """The arg scope every TF-Slim Inception net is trained with: L2 weight decay on conv and
    fully connected weights; conv2d with He (variance-scaling) init, ReLU and batch norm
    (decay 0.9997, epsilon 0.001, no `gamma` unless `batch_norm_scale`).

    Example:
        >>> with slim.arg_scope(inception_arg_scope(weight_decay=0.0)):
        ...     logits, _ = inception_v1(images, num_classes=1001)
    """
    batch_norm_params = {
        "decay": batch_norm_decay,
        "epsilon": batch_norm_epsilon,
        "updates_collections": batch_norm_updates_collections,
        "fused": None,
        "scale": batch_norm_scale,
    }
    if use_batch_norm:
        normalizer_fn = slim.batch_norm
        normalizer_params = batch_norm_params
    else:
        normalizer_fn = None
        normalizer_params = {}
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(weight_decay)):
        with slim.arg_scope([slim.conv2d],
                            weights_initializer=slim.variance_scaling_initializer(),
                            activation_fn=activation_fn, normalizer_fn=normalizer_fn,
                            normalizer_params=normalizer_params) as sc:
            return sc


# --- the table records --------------------------------------------------------------------------
# A field left at None is not passed, so the enclosing arg_scope decides it (as in TF-Slim, whose
# nets set stride=1 and the padding for whole sections with arg_scope).
Conv = collections.namedtuple("Conv", ["depth", "kernel", "scope", "stride", "padding", "stddev"],
                              defaults=(None, None, None, None))
Conv.__doc__ = ("`slim.conv2d` with `depth` outputs (scaled by the net's depth function); "
                "`stddev` sets a truncated-normal weights initializer.")
Pool = collections.namedtuple("Pool", ["kind", "kernel", "scope", "stride", "padding"],
                              defaults=(None, None, None))
Pool.__doc__ = "`slim.max_pool2d` (kind 'max') or `slim.avg_pool2d` (kind 'avg')."
Split = collections.namedtuple("Split", ["convs"])
Split.__doc__ = "Parallel layers over the same input, concatenated (Inception v3's 7b/7c)."
Mixed = collections.namedtuple("Mixed", ["branches"])
Mixed.__doc__ = "An Inception module: one tuple of layers per branch, outputs concatenated."


def conv(depth, kernel, scope=None, stride=None, padding=None, stddev=None):
    """A conv record; a stage's own layer may leave `scope` to default to its end point name."""
    return Conv(depth, kernel, scope, stride, padding, stddev)


def max_pool(kernel, scope=None, stride=None, padding=None):
    return Pool("max", kernel, scope, stride, padding)


def avg_pool(kernel, scope=None, stride=None, padding=None):
    return Pool("avg", kernel, scope, stride, padding)


def mixed(*branches):
    return Mixed(tuple(tuple(branch) for branch in branches))


def _explicit(**kwargs):
    return {key: value for key, value in kwargs.items() if value is not None}


def build_layer(net, layer, depth=None, concat_axis=3):
    """Applies one table record to `net`; `depth` maps a table depth to a channel count."""
    if isinstance(layer, Conv):
        num_outputs = depth(layer.depth) if depth else layer.depth
        init = trunc_normal(layer.stddev) if layer.stddev is not None else None
        return slim.conv2d(net, num_outputs, layer.kernel, scope=layer.scope,
                           **_explicit(stride=layer.stride, padding=layer.padding,
                                       weights_initializer=init))
    if isinstance(layer, Pool):
        pool = slim.max_pool2d if layer.kind == "max" else slim.avg_pool2d
        return pool(net, layer.kernel, scope=layer.scope,
                    **_explicit(stride=layer.stride, padding=layer.padding))
    if isinstance(layer, Split):
        return tf.concat(axis=concat_axis,
                         values=[build_layer(net, c, depth, concat_axis) for c in layer.convs])
    raise TypeError("Unknown Inception layer record %r" % (layer,))


def build_mixed(net, module, depth=None, concat_axis=3):
    """The branches of an Inception module, each in variable scope `Branch_<i>`, concatenated.
    The caller opens the module's own scope (`Mixed_5b`)."""
    outputs = []
    for i, branch in enumerate(module.branches):
        with tf.variable_scope("Branch_%d" % i):
            branch_net = net
            for layer in branch:
                branch_net = build_layer(branch_net, layer, depth, concat_axis)
        outputs.append(branch_net)
    return tf.concat(axis=concat_axis, values=outputs)


def build_stages(net, stages, end_points, final_endpoint, depth=None, concat_axis=3):
    """Builds `(end_point, record)` stages in order, recording each output in `end_points`.

    Returns `(net, True)` as soon as `final_endpoint` is built, else `(net, False)`.
    """
    for end_point, record in stages:
        if isinstance(record, Mixed):
            with tf.variable_scope(end_point):
                net = build_mixed(net, record, depth, concat_axis)
        else:
            if record.scope is None:
                record = record._replace(scope=end_point)
            net = build_layer(net, record, depth, concat_axis)
        end_points[end_point] = net
        if end_point == final_endpoint:
            return net, True
    return net, False


def pooled_logits(net, end_points, pool_size, global_pool_name, num_classes, global_pool,
                  dropout_keep_prob, spatial_squeeze, prediction_fn):
    """Inception v2 and v3's head: under "Logits", an average pool of `pool_size` (shrunk for
    small inputs; a global mean named `global_pool_name` with `global_pool`), then dropout and
    a 1x1 conv to `num_classes` logits; "Predictions" after. Records each in `end_points` and
    returns the logits, or the pooled features when `num_classes` is 0 or None."""
    with tf.variable_scope("Logits"):
        if global_pool:
            net = tf.reduce_mean(net, [1, 2], keepdims=True, name=global_pool_name)
            end_points["global_pool"] = net
        else:
            kernel_size = reduced_kernel_size_for_small_input(net, pool_size)
            net = slim.avg_pool2d(net, kernel_size, padding="VALID",
                                  scope="AvgPool_1a_{}x{}".format(*kernel_size))
            end_points["AvgPool_1a"] = net
        if not num_classes:
            return net
        net = slim.dropout(net, keep_prob=dropout_keep_prob, scope="Dropout_1b")
        end_points["PreLogits"] = net
        logits = slim.conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                             scope="Conv2d_1c_1x1")
        if spatial_squeeze:
            logits = tf.squeeze(logits, [1, 2], name="SpatialSqueeze")
    end_points["Logits"] = logits
    end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits


def reduced_kernel_size_for_small_input(input_tensor, kernel_size):
    """`kernel_size`, shrunk to the input's spatial size when that is known and smaller (so
    that the final pooling of a small input still gives 1x1)."""
    shape = input_tensor.get_shape().as_list()
    if shape[1] is None or shape[2] is None:
        return kernel_size
    return [min(shape[1], kernel_size[0]), min(shape[2], kernel_size[1])]
