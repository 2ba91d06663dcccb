"""ResNet v1 (50/101/152/200) as in TF-Slim's `nets/resnet_v1.py`: same scopes, variables and
end points, so TF-Slim checkpoints (`resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/weights`)
load.

He et al., "Deep Residual Learning for Image Recognition" (https://arxiv.org/abs/1512.03385).
The stride-2 of blocks 1-3 sits in their last unit; block 4 keeps stride 1.

Example:
    >>> images = tf.placeholder(tf.float32, [None, 224, 224, 3])
    >>> with slim.arg_scope(resnet_v1.resnet_arg_scope()):
    ...     logits, end_points = resnet_v1.resnet_v1_50(images, 1000, is_training=False)
    >>> logits.shape
    TensorShape([Dimension(None), Dimension(1000)])
"""

import tensorflux as tf
from tensorflux.contrib import slim
from tensorflux.models import resnet_utils

resnet_arg_scope = resnet_utils.resnet_arg_scope

# Units per block (blocks 1-4, base depths 64, 128, 256, 512) of each published depth.
UNITS = {
    50: (3, 4, 6, 3),
    101: (3, 4, 23, 3),
    152: (3, 8, 36, 3),
    200: (3, 24, 36, 3),
}
BASE_DEPTHS = (64, 128, 256, 512)
BLOCK_STRIDES = (2, 2, 2, 1)


class NoOpScope:
    """A context manager that does nothing (the arg scope when `is_training` is None)."""

    def __enter__(self):
        return None

    def __exit__(self, exc_type, exc_value, traceback):
        return False


@slim.add_arg_scope
def bottleneck(inputs, depth, depth_bottleneck, stride, rate=1, outputs_collections=None,
               scope=None, use_bounded_activations=False):
    """The original residual unit with a bottleneck (BN after each convolution): 1x1 `conv1`,
    3x3 `conv2` (strided), 1x1 `conv3`, plus a `shortcut` (1x1 conv, or a subsample when the
    depth is unchanged), then ReLU (ReLU6 and clipping with `use_bounded_activations`)."""
    with tf.variable_scope(scope, "bottleneck_v1", [inputs]) as sc:
        depth_in = slim.utils.last_dimension(inputs.get_shape(), min_rank=4)
        if depth == depth_in:
            shortcut = resnet_utils.subsample(inputs, stride, "shortcut")
        else:
            shortcut = slim.conv2d(inputs, depth, [1, 1], stride=stride,
                                   activation_fn=tf.nn.relu6 if use_bounded_activations
                                   else None, scope="shortcut")
        residual = slim.conv2d(inputs, depth_bottleneck, [1, 1], stride=1, scope="conv1")
        residual = resnet_utils.conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate,
                                            scope="conv2")
        residual = slim.conv2d(residual, depth, [1, 1], stride=1, activation_fn=None,
                               scope="conv3")
        if use_bounded_activations:
            residual = tf.clip_by_value(residual, -6.0, 6.0)
            output = tf.nn.relu6(shortcut + residual)
        else:
            output = tf.nn.relu(shortcut + residual)
        return slim.utils.collect_named_outputs(outputs_collections, sc.name, output)


def resnet_v1(inputs, blocks, num_classes=None, is_training=True, global_pool=True,
              output_stride=None, include_root_block=True, spatial_squeeze=True,
              store_non_strided_activations=False, reuse=None, scope=None):
    """Builds a ResNet v1 from `blocks` (a list of `resnet_utils.Block`).

    Args:
        inputs: `[batch, height, width, channels]` images.
        blocks: The residual blocks.
        num_classes: The number of logits; 0 or None returns the features instead.
        is_training: Batch norm mode; None leaves it to an enclosing arg_scope.
        global_pool: Average the last block's output over space ("pool5").
        output_stride: Ratio of input to output resolution (atrous convolution past it).
        include_root_block: Start with the 7x7/2 `conv1` and the 3x3/2 `pool1`.
        spatial_squeeze: Squeeze the logits to `[batch, num_classes]`.
        store_non_strided_activations: See `resnet_utils.stack_blocks_dense`.
        reuse: Reuse the variables of an earlier call (needs `scope`).
        scope: The variable scope (default "resnet_v1").

    Returns:
        `(net, end_points)`: the logits (or features) and a dict of named activations
        (every conv, unit and block, "global_pool", "<scope>/logits", "predictions").

    Raises:
        ValueError: If `output_stride` is not reachable (or not a multiple of 4 with the root).
    """
    with tf.variable_scope(scope, "resnet_v1", [inputs], reuse=reuse) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with slim.arg_scope([slim.conv2d, bottleneck, resnet_utils.stack_blocks_dense],
                            outputs_collections=end_points_collection):
            with (slim.arg_scope([slim.batch_norm], is_training=is_training)
                  if is_training is not None else NoOpScope()):
                net = inputs
                if include_root_block:
                    if output_stride is not None:
                        if output_stride % 4 != 0:
                            raise ValueError("The output_stride needs to be a multiple of 4.")
                        output_stride /= 4
                    net = resnet_utils.conv2d_same(net, 64, 7, stride=2, scope="conv1")
                    net = slim.max_pool2d(net, [3, 3], stride=2, scope="pool1")
                net = resnet_utils.stack_blocks_dense(net, blocks, output_stride,
                                                      store_non_strided_activations)
                end_points = slim.utils.convert_collection_to_dict(end_points_collection)
                net = resnet_utils.classification_head(net, end_points, sc, num_classes,
                                                       global_pool, spatial_squeeze)
                return net, end_points


resnet_v1.default_image_size = 224


def resnet_v1_block(scope, base_depth, num_units, stride):
    """A block of `num_units` bottleneck units of depth `4 * base_depth`; the last unit has
    the block's `stride`."""
    return resnet_utils.Block(scope, bottleneck, [{
        "depth": base_depth * 4,
        "depth_bottleneck": base_depth,
        "stride": 1,
    }] * (num_units - 1) + [{
        "depth": base_depth * 4,
        "depth_bottleneck": base_depth,
        "stride": stride,
    }])


def _resnet_v1_n(layers, inputs, num_classes, is_training, global_pool, output_stride,
                 spatial_squeeze, store_non_strided_activations, min_base_depth,
                 depth_multiplier, reuse, scope):
    """ResNet-`layers` from the tables (depths scaled by `depth_multiplier`, at least
    `min_base_depth`)."""
    blocks = [
        resnet_v1_block("block%d" % (i + 1),
                        base_depth=max(int(depth * depth_multiplier), min_base_depth),
                        num_units=units, stride=stride)
        for i, (depth, units, stride) in enumerate(zip(BASE_DEPTHS, UNITS[layers],
                                                       BLOCK_STRIDES))
    ]
    return resnet_v1(inputs, blocks, num_classes, is_training, global_pool=global_pool,
                     output_stride=output_stride, include_root_block=True,
                     spatial_squeeze=spatial_squeeze,
                     store_non_strided_activations=store_non_strided_activations, reuse=reuse,
                     scope=scope)


# The four published depths. Their signatures are TF-Slim's (152 and 200 list
# `store_non_strided_activations` before `spatial_squeeze`).
def resnet_v1_50(inputs, num_classes=None, is_training=True, global_pool=True,
                 output_stride=None, spatial_squeeze=True, store_non_strided_activations=False,
                 min_base_depth=8, depth_multiplier=1, reuse=None, scope="resnet_v1_50"):
    """ResNet-50 v1; see `resnet_v1` for the arguments and results."""
    return _resnet_v1_n(50, inputs, num_classes, is_training, global_pool, output_stride,
                        spatial_squeeze, store_non_strided_activations, min_base_depth,
                        depth_multiplier, reuse, scope)


def resnet_v1_101(inputs, num_classes=None, is_training=True, global_pool=True,
                  output_stride=None, spatial_squeeze=True, store_non_strided_activations=False,
                  min_base_depth=8, depth_multiplier=1, reuse=None, scope="resnet_v1_101"):
    """ResNet-101 v1; see `resnet_v1` for the arguments and results."""
    return _resnet_v1_n(101, inputs, num_classes, is_training, global_pool, output_stride,
                        spatial_squeeze, store_non_strided_activations, min_base_depth,
                        depth_multiplier, reuse, scope)


def resnet_v1_152(inputs, num_classes=None, is_training=True, global_pool=True,
                  output_stride=None, store_non_strided_activations=False, spatial_squeeze=True,
                  min_base_depth=8, depth_multiplier=1, reuse=None, scope="resnet_v1_152"):
    """ResNet-152 v1; see `resnet_v1` for the arguments and results."""
    return _resnet_v1_n(152, inputs, num_classes, is_training, global_pool, output_stride,
                        spatial_squeeze, store_non_strided_activations, min_base_depth,
                        depth_multiplier, reuse, scope)


def resnet_v1_200(inputs, num_classes=None, is_training=True, global_pool=True,
                  output_stride=None, store_non_strided_activations=False, spatial_squeeze=True,
                  min_base_depth=8, depth_multiplier=1, reuse=None, scope="resnet_v1_200"):
    """ResNet-200 v1; see `resnet_v1` for the arguments and results."""
    return _resnet_v1_n(200, inputs, num_classes, is_training, global_pool, output_stride,
                        spatial_squeeze, store_non_strided_activations, min_base_depth,
                        depth_multiplier, reuse, scope)


for _net in (resnet_v1_50, resnet_v1_101, resnet_v1_152, resnet_v1_200):
    _net.default_image_size = resnet_v1.default_image_size
del _net
