"""MobileNet v1 inference: batch 8 of 224x224x3 images, random weights, batch norm in inference
mode, ReLU6 — depthwise-separable convolutions, the other model family of the TF-Slim zoo.

One table (`BLOCKS`) builds the model for every peer: a 3x3 stride-2 convolution, then 13
blocks of 3x3 depthwise convolution + batch norm + ReLU6 and 1x1 convolution + batch norm +
ReLU6, global average pooling and a 1000-way dense layer. A step is one
`sess.run(logits, {images: batch})` (two fixed random batches, cycled); torch runs the model in
`inference_mode`, jax one jitted call plus `block_until_ready()`.
"""

import itertools

import numpy as np

from workloads import seed_tf1, tf1_module

BATCH = 8
STEPS = 20
WARMUP = 3
NUM_BATCHES = 2
NUM_CLASSES = 1000
EPS = 1e-3
# (pointwise output channels, depthwise stride) of the 13 separable blocks
BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
          (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]


def flops(opts):
    """Multiply-adds x 2 of the convolutions and the dense layer."""
    size, ch, total = 112, 32, 2 * 112 * 112 * 3 * 32 * 9
    for out, stride in BLOCKS:
        size //= stride
        total += 2 * size * size * ch * 9 + 2 * size * size * ch * out
        ch = out
    return opts.batch * (total + 2 * ch * NUM_CLASSES)


def batches(batch, count, seed=0):
    rng = np.random.RandomState(seed)
    return [rng.rand(batch, 224, 224, 3).astype(np.float32) for _ in range(count)]


def _check(logits, batch):
    logits = np.asarray(logits)
    if logits.shape != (batch, NUM_CLASSES) or not np.all(np.isfinite(logits)):
        raise AssertionError("logits: shape %s" % (logits.shape,))


# --- TF1 (TensorFlow and tensorflux) ------------------------------------------------------------
def _bn_relu6(tf, x, name):
    x = tf.layers.batch_normalization(x, epsilon=EPS, training=False, name=name)
    return tf.nn.relu6(x)


def build_tf1(tf, images):
    with tf.variable_scope("mobilenet_v1"):
        x = tf.layers.conv2d(images, 32, 3, strides=2, padding="same", use_bias=False,
                             name="conv0")
        x = _bn_relu6(tf, x, "conv0_bn")
        for i, (out, stride) in enumerate(BLOCKS):
            with tf.variable_scope("block%d" % (i + 1)):
                c = x.shape[-1].value if hasattr(x.shape[-1], "value") else x.shape[-1]
                w = tf.get_variable("depthwise_weights", [3, 3, c, 1],
                                    initializer=tf.glorot_uniform_initializer())
                x = tf.nn.depthwise_conv2d(x, w, [1, stride, stride, 1], "SAME")
                x = _bn_relu6(tf, x, "depthwise_bn")
                x = tf.layers.conv2d(x, out, 1, use_bias=False, name="pointwise")
                x = _bn_relu6(tf, x, "pointwise_bn")
        x = tf.reduce_mean(x, axis=[1, 2])
        return tf.layers.dense(x, NUM_CLASSES, name="logits")


def _setup_tf1(tf, opts):
    graph = tf.Graph()
    with graph.as_default():
        seed_tf1(tf)
        images = tf.placeholder(tf.float32, [opts.batch, 224, 224, 3], name="images")
        logits = build_tf1(tf, images)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph)
    sess.run(init)
    feeds = itertools.cycle([{images: x} for x in batches(opts.batch, NUM_BATCHES)])

    def step():
        return sess.run(logits, next(feeds))

    _check(step(), opts.batch)
    return step


def setup_tensorflux(opts):
    opts.require()
    return _setup_tf1(tf1_module("tensorflux"), opts)


def setup_tensorflow(opts):
    opts.require()
    return _setup_tf1(tf1_module("tensorflow"), opts)


# --- PyTorch --------------------------------------------------------------------------------
def setup_torch(opts):
    opts.require()
    import torch
    from torch import nn

    torch.manual_seed(0)

    def conv_bn(cin, cout, kernel, stride, groups):
        return [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
                nn.BatchNorm2d(cout, eps=EPS), nn.ReLU6()]

    layers, c = conv_bn(3, 32, 3, 2, 1), 32
    for out, stride in BLOCKS:
        layers += conv_bn(c, c, 3, stride, c) + conv_bn(c, out, 1, 1, 1)
        c = out
    model = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(c, NUM_CLASSES)).eval()
    model = model.to(memory_format=torch.channels_last)
    data = itertools.cycle([torch.from_numpy(x.transpose(0, 3, 1, 2).copy()).contiguous(
        memory_format=torch.channels_last) for x in batches(opts.batch, NUM_BATCHES)])

    def step():
        with torch.inference_mode():
            return model(next(data)).numpy()

    _check(step(), opts.batch)
    return step


# --- JAX ------------------------------------------------------------------------------------
def setup_jax(opts):
    opts.require()
    import jax
    import jax.numpy as jnp
    from jax import lax

    rng = np.random.RandomState(0)

    def kernel(kh, cin, cout):
        return jnp.asarray(rng.randn(kh, kh, cin, cout).astype(np.float32) * 0.1)

    def bn(c):
        return (jnp.ones(c), jnp.zeros(c), jnp.zeros(c), jnp.ones(c))

    params = {"conv0": (kernel(3, 3, 32), bn(32)), "blocks": []}
    c = 32
    for out, _ in BLOCKS:
        params["blocks"].append((kernel(3, 1, c), bn(c), kernel(1, c, out), bn(out)))
        c = out
    params["logits"] = (jnp.asarray(rng.randn(c, NUM_CLASSES).astype(np.float32) * 0.01),
                        jnp.zeros(NUM_CLASSES))

    def conv(x, w, stride, groups=1):
        return lax.conv_general_dilated(x, w, (stride, stride), "SAME",
                                        dimension_numbers=("NHWC", "HWIO", "NHWC"),
                                        feature_group_count=groups)

    def bn_relu6(x, p):
        scale, offset, mean, var = p
        return jnp.clip((x - mean) * (scale / jnp.sqrt(var + EPS)) + offset, 0, 6)

    def apply(p, x):
        x = bn_relu6(conv(x, p["conv0"][0], 2), p["conv0"][1])
        for (dw, dbn, pw, pbn), (_, stride) in zip(p["blocks"], BLOCKS):
            x = bn_relu6(conv(x, dw, stride, x.shape[-1]), dbn)
            x = bn_relu6(conv(x, pw, 1), pbn)
        w, b = p["logits"]
        return jnp.mean(x, axis=(1, 2)) @ w + b

    infer = jax.jit(apply)
    data = itertools.cycle([jnp.asarray(x) for x in batches(opts.batch, NUM_BATCHES)])

    def step():
        return infer(params, next(data)).block_until_ready()

    _check(step(), opts.batch)
    return step
