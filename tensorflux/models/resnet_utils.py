"""What TF-Slim's ResNets (v1 and v2) share: the `Block` record, `conv2d_same`, `subsample`,
`stack_blocks_dense` (blocks of residual units with an optional output stride) and
`resnet_arg_scope`.

He et al., "Deep Residual Learning for Image Recognition" (https://arxiv.org/abs/1512.03385)
and "Identity Mappings in Deep Residual Networks" (https://arxiv.org/abs/1603.05027).

Example:
    >>> with slim.arg_scope(resnet_utils.resnet_arg_scope()):
    ...     net = resnet_utils.conv2d_same(images, 64, 7, stride=2, scope="conv1")
"""

import collections

import tensorflux as tf
from tensorflux.contrib import slim


class Block(collections.namedtuple("Block", ["scope", "unit_fn", "args"])):
    """A ResNet block: its scope name ("block1"), the unit function, and one keyword-argument
    dict per unit (`depth`, `depth_bottleneck`, `stride`)."""


def subsample(inputs, factor, scope=None):
    """`inputs` kept as is (factor 1) or subsampled by a 1x1 max pool with stride `factor`."""
    if factor == 1:
        return inputs
    return slim.max_pool2d(inputs, [1, 1], stride=factor, scope=scope)


def conv2d_same(inputs, num_outputs, kernel_size, stride, rate=1, scope=None):
    """A strided convolution with "SAME" output size that does not depend on whether the input
    size is even: for stride > 1 the input is zero-padded explicitly (`pad_beg = (k_eff - 1) // 2`)
    and convolved with "VALID" padding.

    Example:
        >>> net = conv2d_same(images, 64, 7, stride=2, scope="conv1")   # ResNet's root conv
    """
    if stride == 1:
        return slim.conv2d(inputs, num_outputs, kernel_size, stride=1, rate=rate,
                           padding="SAME", scope=scope)
    kernel_size_effective = kernel_size + (kernel_size - 1) * (rate - 1)
    pad_total = kernel_size_effective - 1
    pad_beg = pad_total // 2
    pad_end = pad_total - pad_beg
    inputs = tf.pad(inputs, [[0, 0], [pad_beg, pad_end], [pad_beg, pad_end], [0, 0]])
    return slim.conv2d(inputs, num_outputs, kernel_size, stride=stride, rate=rate,
                       padding="VALID", scope=scope)


@slim.add_arg_scope
def stack_blocks_dense(net, blocks, output_stride=None, store_non_strided_activations=False,
                       outputs_collections=None):
    """Applies the units of every block in scopes `<block>/unit_<i>`.

    With `output_stride`, units past that stride run with stride 1 and a growing atrous rate
    instead. With `store_non_strided_activations`, the last unit of a block runs at stride 1,
    its output is collected, and the block's stride is applied afterwards by `subsample`.

    Raises:
        ValueError: If `output_stride` cannot be reached with the blocks' strides.
    """
    current_stride = 1
    rate = 1  # the atrous rate once `output_stride` is reached
    for block in blocks:
        with tf.variable_scope(block.scope, "block", [net]) as sc:
            block_stride = 1
            for i, unit in enumerate(block.args):
                if store_non_strided_activations and i == len(block.args) - 1:
                    block_stride = unit.get("stride", 1)
                    unit = dict(unit, stride=1)
                with tf.variable_scope("unit_%d" % (i + 1), values=[net]):
                    if output_stride is not None and current_stride == output_stride:
                        net = block.unit_fn(net, rate=rate, **dict(unit, stride=1))
                        rate *= unit.get("stride", 1)
                    else:
                        net = block.unit_fn(net, rate=1, **unit)
                        current_stride *= unit.get("stride", 1)
                        if output_stride is not None and current_stride > output_stride:
                            raise ValueError("The target output_stride cannot be reached.")
            net = slim.utils.collect_named_outputs(outputs_collections, sc.name, net)
            if output_stride is not None and current_stride == output_stride:
                rate *= block_stride
            else:
                net = subsample(net, block_stride)
                current_stride *= block_stride
                if output_stride is not None and current_stride > output_stride:
                    raise ValueError("The target output_stride cannot be reached.")
    if output_stride is not None and current_stride != output_stride:
        raise ValueError("The target output_stride cannot be reached.")
    return net


def classification_head(net, end_points, sc, num_classes, global_pool, spatial_squeeze):
    """The end of resnet_v1 and resnet_v2: the global average pool ("pool5"), the 1x1 "logits"
    convolution, the spatial squeeze and "predictions", each recorded in `end_points` (named
    under the model's variable scope `sc`). Returns the network's output."""
    if global_pool:
        net = tf.reduce_mean(net, [1, 2], name="pool5", keepdims=True)
        end_points["global_pool"] = net
    if num_classes:
        net = slim.conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                          scope="logits")
        end_points[sc.name + "/logits"] = net
        if spatial_squeeze:
            net = tf.squeeze(net, [1, 2], name="SpatialSqueeze")
            end_points[sc.name + "/spatial_squeeze"] = net
        end_points["predictions"] = slim.softmax(net, scope="predictions")
    return net


def resnet_arg_scope(weight_decay=0.0001, batch_norm_decay=0.997, batch_norm_epsilon=1e-5,
                     batch_norm_scale=True, activation_fn=tf.nn.relu, use_batch_norm=True,
                     batch_norm_updates_collections=tf.GraphKeys.UPDATE_OPS):
    """The arg scope the released ResNets were trained with: conv2d with L2 weight decay, He
    initialization, ReLU and batch norm (decay 0.997, epsilon 1e-5, with `gamma`); max pooling
    with "SAME" padding.

    Example:
        >>> with slim.arg_scope(resnet_arg_scope()):
        ...     logits, end_points = resnet_v1_50(images, 1000, is_training=False)
    """
    batch_norm_params = {
        "decay": batch_norm_decay,
        "epsilon": batch_norm_epsilon,
        "scale": batch_norm_scale,
        "updates_collections": batch_norm_updates_collections,
        "fused": None,  # fused batch norm where possible
    }
    with slim.arg_scope([slim.conv2d], weights_regularizer=slim.l2_regularizer(weight_decay),
                        weights_initializer=slim.variance_scaling_initializer(),
                        activation_fn=activation_fn,
                        normalizer_fn=slim.batch_norm if use_batch_norm else None,
                        normalizer_params=batch_norm_params):
        with slim.arg_scope([slim.batch_norm], **batch_norm_params):
            with slim.arg_scope([slim.max_pool2d], padding="SAME") as arg_sc:
                return arg_sc
