"""EfficientNet-Lite0 in TF1 graph style: a table of MBConv stages plus one builder.

EfficientNet-Lite is EfficientNet without squeeze-and-excite, with ReLU6 instead of swish, and
with the stem (32 filters) and head (1280 filters) kept at their base widths, so that it
quantizes well on mobile hardware (Tan & Le 2019; Google's EfficientNet-Lite release, 2020).

Variable names follow the reference TensorFlow implementation (`tensorflow/tpu`,
`models/official/efficientnet`), whose Keras-style layers are named by creation order inside
each `stem` / `blocks_N` / `head` scope::

    efficientnet-lite0/stem/conv2d/kernel                              [3, 3, 3, 32]
    efficientnet-lite0/stem/tpu_batch_normalization/{gamma,beta,moving_mean,moving_variance}
    efficientnet-lite0/blocks_1/conv2d/kernel                          expansion 1x1 (if any)
    efficientnet-lite0/blocks_1/tpu_batch_normalization/...            its batch norm
    efficientnet-lite0/blocks_1/depthwise_conv2d/depthwise_kernel      [k, k, C, 1]
    efficientnet-lite0/blocks_1/tpu_batch_normalization_1/...          its batch norm
    efficientnet-lite0/blocks_1/conv2d_1/kernel                        projection 1x1
    efficientnet-lite0/blocks_1/tpu_batch_normalization_2/...          its batch norm
    efficientnet-lite0/head/conv2d/kernel, head/tpu_batch_normalization/...
    efficientnet-lite0/head/dense/{kernel,bias}                        [1280, 1000], [1000]

Block 0 has no expansion, so its depthwise batch norm is `tpu_batch_normalization` and its
projection is `conv2d` (the numbering counts only the layers a block really creates).

Example:
    >>> images = tf.placeholder(tf.float32, [None, 224, 224, 3])
    >>> logits, end_points = efficientnet_lite0(preprocess(images))
    >>> probs = end_points["Predictions"]
"""

import collections

import tensorflux as tf

# One row per stage: (repeats, kernel size, first stride, expand ratio, in filters, out filters),
# i.e. the reference block strings r1_k3_s11_e1_i32_o16 ... r1_k3_s11_e6_i192_o320.
BlockArgs = collections.namedtuple(
    "BlockArgs", ["repeats", "kernel_size", "stride", "expand_ratio", "in_filters", "out_filters"])

LITE0_BLOCKS = (
    BlockArgs(1, 3, 1, 1, 32, 16),
    BlockArgs(2, 3, 2, 6, 16, 24),
    BlockArgs(2, 5, 2, 6, 24, 40),
    BlockArgs(3, 3, 2, 6, 40, 80),
    BlockArgs(3, 5, 1, 6, 80, 112),
    BlockArgs(4, 5, 2, 6, 112, 192),
    BlockArgs(1, 3, 1, 6, 192, 320),
)
STEM_FILTERS = 32
HEAD_FILTERS = 1280
BATCH_NORM_EPSILON = 1e-3
IMAGE_SIZE = 224
# The Lite models were trained on inputs scaled as (pixel - 127) / 128 (TF-Lite convention).
MEAN_RGB = 127.0
STDDEV_RGB = 128.0


def expanded_blocks(blocks=LITE0_BLOCKS):
    """Yields one `BlockArgs` per block (repeats unrolled: later repeats have stride 1)."""
    for stage in blocks:
        for i in range(stage.repeats):
            if i == 0:
                yield stage._replace(repeats=1)
            else:
                yield stage._replace(repeats=1, stride=1, in_filters=stage.out_filters)


def preprocess(images, name="preprocess"):
    """Maps RGB pixel values in [0, 255] (any numeric dtype) to the network's input scale."""
    with tf.name_scope(name):
        x = tf.cast(images, tf.float32)
        return (x - MEAN_RGB) / STDDEV_RGB


class _LayerNames:
    """Keras-style unique layer names within one scope: conv2d, conv2d_1, ..."""

    def __init__(self):
        self._counts = collections.Counter()

    def __call__(self, base):
        n = self._counts[base]
        self._counts[base] += 1
        return base if n == 0 else "%s_%d" % (base, n)


def _conv(x, filters, kernel_size, stride, names):
    with tf.variable_scope(names("conv2d")):
        in_ch = x.get_shape().as_list()[-1]
        kernel = tf.get_variable("kernel", [kernel_size, kernel_size, in_ch, filters],
                                 initializer=tf.variance_scaling_initializer(
                                     scale=2.0, mode="fan_out", distribution="normal"))
    return tf.nn.conv2d(x, kernel, [1, stride, stride, 1], padding="SAME")


def _depthwise_conv(x, kernel_size, stride, names):
    with tf.variable_scope(names("depthwise_conv2d")):
        in_ch = x.get_shape().as_list()[-1]
        kernel = tf.get_variable("depthwise_kernel", [kernel_size, kernel_size, in_ch, 1],
                                 initializer=tf.variance_scaling_initializer(
                                     scale=2.0, mode="fan_out", distribution="normal"))
    return tf.nn.depthwise_conv2d(x, kernel, [1, stride, stride, 1], padding="SAME")


def _batch_norm(x, names):
    """Inference-mode batch norm with the moving statistics (one FusedBatchNormV3 op)."""
    channels = x.get_shape().as_list()[-1]
    with tf.variable_scope(names("tpu_batch_normalization")):
        gamma = tf.get_variable("gamma", [channels], initializer=tf.ones_initializer())
        beta = tf.get_variable("beta", [channels], initializer=tf.zeros_initializer())
        mean = tf.get_variable("moving_mean", [channels], initializer=tf.zeros_initializer(),
                               trainable=False)
        variance = tf.get_variable("moving_variance", [channels],
                                   initializer=tf.ones_initializer(), trainable=False)
        y, _, _ = tf.nn.fused_batch_norm(x, gamma, beta, mean, variance,
                                         epsilon=BATCH_NORM_EPSILON, is_training=False)
    return y


def _mbconv_block(x, block):
    """Inverted residual: [1x1 expand, BN, ReLU6], kxk depthwise, BN, ReLU6, 1x1 project, BN."""
    names = _LayerNames()
    inputs = x
    if block.expand_ratio != 1:
        x = _conv(x, block.in_filters * block.expand_ratio, 1, 1, names)
        x = tf.nn.relu6(_batch_norm(x, names))
    x = _depthwise_conv(x, block.kernel_size, block.stride, names)
    x = tf.nn.relu6(_batch_norm(x, names))
    x = _conv(x, block.out_filters, 1, 1, names)
    x = _batch_norm(x, names)
    if block.stride == 1 and block.in_filters == block.out_filters:
        x = tf.add(x, inputs)
    return x


def efficientnet_lite0(images, num_classes=1000, scope="efficientnet-lite0", reuse=None):
    """Builds EfficientNet-Lite0 for inference on preprocessed NHWC float32 images.

    Args:
        images: `[batch, height, width, 3]` float32, already scaled by `preprocess`
            (the pretrained weights expect 224x224).
        num_classes: size of the final dense layer (1000 for the ImageNet weights).
        scope: outer variable scope (the reference checkpoints use the model name).
        reuse: passed to the outer `tf.variable_scope`.

    Returns:
        `(logits, end_points)`: logits `[batch, num_classes]`; `end_points` maps "stem",
        "block_N", "pooled_features", "Logits" and "Predictions" (softmax) to tensors.
    """
    end_points = {}
    with tf.variable_scope(scope, reuse=reuse):
        with tf.variable_scope("stem"):
            names = _LayerNames()
            x = _conv(images, STEM_FILTERS, 3, 2, names)
            x = tf.nn.relu6(_batch_norm(x, names))
        end_points["stem"] = x
        for i, block in enumerate(expanded_blocks()):
            with tf.variable_scope("blocks_%d" % i):
                x = _mbconv_block(x, block)
            end_points["block_%d" % i] = x
        with tf.variable_scope("head"):
            names = _LayerNames()
            x = _conv(x, HEAD_FILTERS, 1, 1, names)
            x = tf.nn.relu6(_batch_norm(x, names))
            x = tf.reduce_mean(x, [1, 2], name="avg_pool")
            end_points["pooled_features"] = x
            with tf.variable_scope("dense"):
                kernel = tf.get_variable("kernel", [HEAD_FILTERS, num_classes],
                                         initializer=tf.glorot_uniform_initializer())
                bias = tf.get_variable("bias", [num_classes],
                                       initializer=tf.zeros_initializer())
                logits = tf.nn.bias_add(tf.matmul(x, kernel), bias)
    logits = tf.identity(logits, name="logits")
    end_points["Logits"] = logits
    end_points["Predictions"] = tf.nn.softmax(logits, name="Predictions")
    return logits, end_points
