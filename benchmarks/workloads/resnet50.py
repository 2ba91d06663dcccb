"""ResNet-50 v1, written once per framework: TF1 (`tf.layers`, shared by TensorFlow and
tensorflux), PyTorch (by hand: no torchvision here) and JAX (`lax` convolutions).

All three follow one table: a 7x7/2 stem conv and a 3x3/2 max pool, then four stages of
bottleneck blocks (1x1, 3x3, 1x1 convs, each followed by batch norm; ReLU after the first two
and after the residual sum). As in the original paper and Keras' ResNet50, a stage's stride sits
in its first block's first 1x1 conv and in that block's projection shortcut. Convs have no bias
(batch norm follows). Data is NHWC for TF1 and JAX, channels-last NCHW for torch. The FLOP count
below is derived from the same table.
"""

import numpy as np

# (bottleneck width, blocks, stride of the first block); outputs are 4 x width channels.
STAGES = ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2))
NUM_CLASSES = 1000
BN_EPSILON = 1e-3  # tf.layers.batch_normalization's default
BN_MOMENTUM = 0.99


def conv_table(size=224):
    """Every conv as (out_height, out_width, kernel, in_channels, out_channels), in order."""
    convs = []
    h = (size + 1) // 2
    convs.append((h, h, 7, 3, 64))
    h = (h + 1) // 2  # max pool 3x3/2 same
    cin = 64
    for width, blocks, stride in STAGES:
        for b in range(blocks):
            s = stride if b == 0 else 1
            out = (h + s - 1) // s
            convs.append((out, out, 1, cin, width))
            convs.append((out, out, 3, width, width))
            convs.append((out, out, 1, width, 4 * width))
            if b == 0:
                convs.append((out, out, 1, cin, 4 * width))
            h, cin = out, 4 * width
    return convs


def forward_flops(batch, size=224):
    """FLOPs (2 per multiply-add) of the convs and the final dense layer."""
    convs = sum(2 * ho * wo * k * k * ci * co for ho, wo, k, ci, co in conv_table(size))
    return batch * (convs + 2 * 2048 * NUM_CLASSES)


def train_flops(batch, size=224):
    """Forward + weight gradients + input gradients (none for the stem conv's input)."""
    ho, wo, k, ci, co = conv_table(size)[0]
    return 3 * forward_flops(batch, size) - batch * 2 * ho * wo * k * k * ci * co


def batches(batch, count, size=224, seed=0):
    rng = np.random.RandomState(seed)
    return [(rng.rand(batch, size, size, 3).astype(np.float32),
             rng.randint(0, NUM_CLASSES, size=batch).astype(np.int64)) for _ in range(count)]


# --- TF1 (TensorFlow and tensorflux) ------------------------------------------------------------
def _tf1_conv_bn(tf, x, filters, kernel, stride, training, relu, name):
    with tf.variable_scope(name):
        x = tf.layers.conv2d(x, filters, kernel, strides=stride, padding="same", use_bias=False,
                             name="conv")
        x = tf.layers.batch_normalization(x, momentum=BN_MOMENTUM, epsilon=BN_EPSILON,
                                          training=training, name="bn")
        return tf.nn.relu(x) if relu else x


def build_tf1(tf, images, training):
    """ResNet-50 logits for NHWC `images`; batch-norm updates go to UPDATE_OPS when training."""
    with tf.variable_scope("resnet50"):
        x = _tf1_conv_bn(tf, images, 64, 7, 2, training, True, "stem")
        x = tf.layers.max_pooling2d(x, 3, 2, padding="same")
        for i, (width, blocks, stride) in enumerate(STAGES):
            for b in range(blocks):
                s = stride if b == 0 else 1
                with tf.variable_scope("stage%d_block%d" % (i + 1, b + 1)):
                    if b == 0:
                        shortcut = _tf1_conv_bn(tf, x, 4 * width, 1, s, training, False,
                                                "shortcut")
                    else:
                        shortcut = x
                    h = _tf1_conv_bn(tf, x, width, 1, s, training, True, "conv1")
                    h = _tf1_conv_bn(tf, h, width, 3, 1, training, True, "conv2")
                    h = _tf1_conv_bn(tf, h, 4 * width, 1, 1, training, False, "conv3")
                    x = tf.nn.relu(h + shortcut)
        x = tf.reduce_mean(x, axis=[1, 2])
        return tf.layers.dense(x, NUM_CLASSES, name="logits")


# --- PyTorch --------------------------------------------------------------------------------
def torch_model():
    """A fresh torch ResNet-50 (nn.Module), random weights, channels-last."""
    import torch
    from torch import nn

    def conv_bn(cin, cout, kernel, stride):
        return nn.Sequential(
            nn.Conv2d(cin, cout, kernel, stride, padding=kernel // 2, bias=False),
            nn.BatchNorm2d(cout, eps=BN_EPSILON, momentum=1.0 - BN_MOMENTUM))

    class Bottleneck(nn.Module):
        def __init__(self, cin, width, stride, project):
            super().__init__()
            self.conv1 = conv_bn(cin, width, 1, stride)
            self.conv2 = conv_bn(width, width, 3, 1)
            self.conv3 = conv_bn(width, 4 * width, 1, 1)
            self.shortcut = conv_bn(cin, 4 * width, 1, stride) if project else None

        def forward(self, x):
            h = torch.relu(self.conv1(x))
            h = torch.relu(self.conv2(h))
            h = self.conv3(h)
            return torch.relu(h + (self.shortcut(x) if self.shortcut is not None else x))

    class ResNet50(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = conv_bn(3, 64, 7, 2)
            self.pool = nn.MaxPool2d(3, 2, padding=1)
            blocks, cin = [], 64
            for width, count, stride in STAGES:
                for b in range(count):
                    blocks.append(Bottleneck(cin, width, stride if b == 0 else 1, b == 0))
                    cin = 4 * width
            self.blocks = nn.Sequential(*blocks)
            self.fc = nn.Linear(2048, NUM_CLASSES)

        def forward(self, x):
            x = self.pool(torch.relu(self.stem(x)))
            x = self.blocks(x)
            return self.fc(x.mean(dim=(2, 3)))

    torch.manual_seed(0)
    return ResNet50().to(memory_format=torch.channels_last)


def torch_batches(batch, count):
    """The shared NHWC batches as channels-last NCHW torch tensors (no copy)."""
    import torch

    return [(torch.from_numpy(x).permute(0, 3, 1, 2), torch.from_numpy(y))
            for x, y in batches(batch, count)]


# --- JAX ------------------------------------------------------------------------------------
def _jax_layers():
    """The conv+bn layers in order: (name, kernel, cin, cout, stride)."""
    layers = [("stem", 7, 3, 64, 2)]
    cin = 64
    for i, (width, blocks, stride) in enumerate(STAGES):
        for b in range(blocks):
            s = stride if b == 0 else 1
            p = "s%db%d/" % (i + 1, b + 1)
            if b == 0:
                layers.append((p + "shortcut", 1, cin, 4 * width, s))
            layers += [(p + "conv1", 1, cin, width, s), (p + "conv2", 3, width, width, 1),
                       (p + "conv3", 1, width, 4 * width, 1)]
            cin = 4 * width
    return layers


def jax_init(seed=0):
    """(params, batch-norm statistics) as flat dicts of jax arrays; glorot-uniform convs."""
    import jax
    import jax.numpy as jnp

    layers = _jax_layers()
    keys = jax.random.split(jax.random.PRNGKey(seed), len(layers) + 1)
    params, stats = {}, {}
    for key, (name, k, cin, cout, _) in zip(keys, layers):
        limit = np.sqrt(6.0 / (k * k * (cin + cout)))
        params[name] = {"w": jax.random.uniform(key, (k, k, cin, cout), jnp.float32, -limit,
                                                limit),
                        "gamma": jnp.ones(cout), "beta": jnp.zeros(cout)}
        stats[name] = {"mean": jnp.zeros(cout), "var": jnp.ones(cout)}
    limit = np.sqrt(6.0 / (2048 + NUM_CLASSES))
    params["logits"] = {"w": jax.random.uniform(keys[-1], (2048, NUM_CLASSES), jnp.float32,
                                                -limit, limit),
                        "b": jnp.zeros(NUM_CLASSES)}
    return params, stats


def jax_apply(params, stats, x, training):
    """Returns (logits, new batch-norm statistics); statistics change only when training."""
    import jax.numpy as jnp
    from jax import lax

    strides = {name: s for name, _, _, _, s in _jax_layers()}
    new_stats = {}

    def conv_bn(name, x, relu):
        p, s = params[name], stats[name]
        y = lax.conv_general_dilated(x, p["w"], (strides[name],) * 2, "SAME",
                                     dimension_numbers=("NHWC", "HWIO", "NHWC"))
        if training:
            mean, var = y.mean(axis=(0, 1, 2)), y.var(axis=(0, 1, 2))
            new_stats[name] = {
                "mean": BN_MOMENTUM * s["mean"] + (1 - BN_MOMENTUM) * mean,
                "var": BN_MOMENTUM * s["var"] + (1 - BN_MOMENTUM) * var}
        else:
            mean, var = s["mean"], s["var"]
            new_stats[name] = s
        y = (y - mean) * (p["gamma"] * lax.rsqrt(var + BN_EPSILON)) + p["beta"]
        return jnp.maximum(y, 0.0) if relu else y

    x = conv_bn("stem", x, True)
    x = lax.reduce_window(x, -jnp.inf, lax.max, (1, 3, 3, 1), (1, 2, 2, 1), "SAME")
    for i, (_, blocks, _) in enumerate(STAGES):
        for b in range(blocks):
            p = "s%db%d/" % (i + 1, b + 1)
            shortcut = conv_bn(p + "shortcut", x, False) if b == 0 else x
            h = conv_bn(p + "conv1", x, True)
            h = conv_bn(p + "conv2", h, True)
            h = conv_bn(p + "conv3", h, False)
            x = jnp.maximum(h + shortcut, 0.0)
    x = x.mean(axis=(1, 2))
    return x @ params["logits"]["w"] + params["logits"]["b"], new_stats
