"""ResNet v2 (pre-activation; 50/101/152/200) as in TF-Slim's `nets/resnet_v2.py`: same scopes,
variables and end points (`resnet_v2_50/block1/unit_1/bottleneck_v2/preact/gamma`,
`resnet_v2_50/postnorm/moving_mean`), so TF-Slim checkpoints load.

He et al., "Identity Mappings in Deep Residual Networks" (https://arxiv.org/abs/1603.05027).
The root `conv1` has no batch norm or activation: the first unit's `preact` does both, and a
final `postnorm` batch norm + ReLU follows the last block.

Example:
    >>> with slim.arg_scope(resnet_v2.resnet_arg_scope()):
    ...     logits, end_points = resnet_v2.resnet_v2_50(images, 1001, is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim
from tensorflux.models import resnet_utils
from tensorflux.models.resnet_v1 import BASE_DEPTHS, BLOCK_STRIDES, UNITS

resnet_arg_scope = resnet_utils.resnet_arg_scope


@slim.add_arg_scope
def bottleneck(inputs, depth, depth_bottleneck, stride, rate=1, outputs_collections=None,
               scope=None):
    """The pre-activation residual unit: `preact` batch norm + ReLU, then 1x1 `conv1`, 3x3
    `conv2` (strided), 1x1 `conv3` (no normalizer or activation), plus a `shortcut` (1x1 conv
    of the pre-activation, or a subsample of the input when the depth is unchanged)."""
    with tf.variable_scope(scope, "bottleneck_v2", [inputs]) as sc:
        depth_in = slim.utils.last_dimension(inputs.get_shape(), min_rank=4)
        preact = slim.batch_norm(inputs, activation_fn=tf.nn.relu, scope="preact")
        if depth == depth_in:
            shortcut = resnet_utils.subsample(inputs, stride, "shortcut")
        else:
            shortcut = slim.conv2d(preact, depth, [1, 1], stride=stride, normalizer_fn=None,
                                   activation_fn=None, scope="shortcut")
        residual = slim.conv2d(preact, depth_bottleneck, [1, 1], stride=1, scope="conv1")
        residual = resnet_utils.conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate,
                                            scope="conv2")
        residual = slim.conv2d(residual, depth, [1, 1], stride=1, normalizer_fn=None,
                               activation_fn=None, scope="conv3")
        output = shortcut + residual
        return slim.utils.collect_named_outputs(outputs_collections, sc.name, output)


def resnet_v2(inputs, blocks, num_classes=None, is_training=True, global_pool=True,
              output_stride=None, include_root_block=True, spatial_squeeze=True, reuse=None,
              scope=None):
    """Builds a ResNet v2 from `blocks` (a list of `resnet_utils.Block`).

    Args:
        inputs: `[batch, height, width, channels]` images.
        blocks: The residual blocks.
        num_classes: The number of logits; 0 or None returns the features instead.
        is_training: Batch norm mode.
        global_pool: Average the output of `postnorm` over space ("pool5").
        output_stride: Ratio of input to output resolution (atrous convolution past it).
        include_root_block: Start with the 7x7/2 `conv1` (no normalizer or activation) and the
            3x3/2 `pool1`.
        spatial_squeeze: Squeeze the logits to `[batch, num_classes]`.
        reuse: Reuse the variables of an earlier call (needs `scope`).
        scope: The variable scope (default "resnet_v2").

    Returns:
        `(net, end_points)` as `resnet_v1.resnet_v1`.

    Raises:
        ValueError: If `output_stride` is not reachable (or not a multiple of 4 with the root).
    """
    with tf.variable_scope(scope, "resnet_v2", [inputs], reuse=reuse) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with slim.arg_scope([slim.conv2d, bottleneck, resnet_utils.stack_blocks_dense],
                            outputs_collections=end_points_collection):
            with slim.arg_scope([slim.batch_norm], is_training=is_training):
                net = inputs
                if include_root_block:
                    if output_stride is not None:
                        if output_stride % 4 != 0:
                            raise ValueError("The output_stride needs to be a multiple of 4.")
                        output_stride /= 4
                    # The first unit's pre-activation normalizes conv1 (appendix of the paper).
                    with slim.arg_scope([slim.conv2d], activation_fn=None, normalizer_fn=None):
                        net = resnet_utils.conv2d_same(net, 64, 7, stride=2, scope="conv1")
                    net = slim.max_pool2d(net, [3, 3], stride=2, scope="pool1")
                net = resnet_utils.stack_blocks_dense(net, blocks, output_stride)
                net = slim.batch_norm(net, activation_fn=tf.nn.relu, scope="postnorm")
                end_points = slim.utils.convert_collection_to_dict(end_points_collection)
                net = resnet_utils.classification_head(net, end_points, sc, num_classes,
                                                       global_pool, spatial_squeeze)
                return net, end_points


resnet_v2.default_image_size = 224


def resnet_v2_block(scope, base_depth, num_units, stride):
    """A block of `num_units` pre-activation bottleneck units of depth `4 * base_depth`; the
    last unit has the block's `stride`."""
    return resnet_utils.Block(scope, bottleneck, [{
        "depth": base_depth * 4,
        "depth_bottleneck": base_depth,
        "stride": 1,
    }] * (num_units - 1) + [{
        "depth": base_depth * 4,
        "depth_bottleneck": base_depth,
        "stride": stride,
    }])


def _resnet_v2_n(layers, inputs, num_classes, is_training, global_pool, output_stride,
                 spatial_squeeze, reuse, scope):
    blocks = [
        resnet_v2_block("block%d" % (i + 1), base_depth=depth, num_units=units, stride=stride)
        for i, (depth, units, stride) in enumerate(zip(BASE_DEPTHS, UNITS[layers],
                                                       BLOCK_STRIDES))
    ]
    return resnet_v2(inputs, blocks, num_classes, is_training=is_training,
                     global_pool=global_pool, output_stride=output_stride,
                     include_root_block=True, spatial_squeeze=spatial_squeeze, reuse=reuse,
                     scope=scope)


def resnet_v2_50(inputs, num_classes=None, is_training=True, global_pool=True,
                 output_stride=None, spatial_squeeze=True, reuse=None, scope="resnet_v2_50"):
    """ResNet-50 v2; see `resnet_v2` for the arguments and results."""
    return _resnet_v2_n(50, inputs, num_classes, is_training, global_pool, output_stride,
                        spatial_squeeze, reuse, scope)


def resnet_v2_101(inputs, num_classes=None, is_training=True, global_pool=True,
                  output_stride=None, spatial_squeeze=True, reuse=None, scope="resnet_v2_101"):
    """ResNet-101 v2; see `resnet_v2` for the arguments and results."""
    return _resnet_v2_n(101, inputs, num_classes, is_training, global_pool, output_stride,
                        spatial_squeeze, reuse, scope)


def resnet_v2_152(inputs, num_classes=None, is_training=True, global_pool=True,
                  output_stride=None, spatial_squeeze=True, reuse=None, scope="resnet_v2_152"):
    """ResNet-152 v2; see `resnet_v2` for the arguments and results."""
    return _resnet_v2_n(152, inputs, num_classes, is_training, global_pool, output_stride,
                        spatial_squeeze, reuse, scope)


def resnet_v2_200(inputs, num_classes=None, is_training=True, global_pool=True,
                  output_stride=None, spatial_squeeze=True, reuse=None, scope="resnet_v2_200"):
    """ResNet-200 v2; see `resnet_v2` for the arguments and results."""
    return _resnet_v2_n(200, inputs, num_classes, is_training, global_pool, output_stride,
                        spatial_squeeze, reuse, scope)


for _net in (resnet_v2_50, resnet_v2_101, resnet_v2_152, resnet_v2_200):
    _net.default_image_size = resnet_v2.default_image_size
del _net
