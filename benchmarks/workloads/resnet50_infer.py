"""ResNet-50 v1 inference: batch 8 of 224x224x3 images, random weights, batch norm in inference
mode (moving statistics).

A step is one `sess.run(logits, {images: batch})` (two fixed random batches, cycled); torch runs
the model in `inference_mode` and jax one jitted call plus `block_until_ready()`. The model is
in `resnet50.py`, one table for every peer.
"""

import itertools

import numpy as np

from workloads import resnet50, seed_tf1, tf1_module

BATCH = 8
STEPS = 20
WARMUP = 3
NUM_BATCHES = 2


def flops(opts):
    return resnet50.forward_flops(opts.batch)


def _check(logits, batch):
    logits = np.asarray(logits)
    if logits.shape != (batch, resnet50.NUM_CLASSES) or not np.all(np.isfinite(logits)):
        raise AssertionError("logits: shape %s, finite %s" % (logits.shape,
                                                             np.all(np.isfinite(logits))))


def _setup_tf1(tf, opts):
    graph = tf.Graph()
    with graph.as_default():
        seed_tf1(tf)
        images = tf.placeholder(tf.float32, [opts.batch, 224, 224, 3], name="images")
        logits = resnet50.build_tf1(tf, images, training=False)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph)
    sess.run(init)
    feeds = itertools.cycle([{images: x} for x, _ in resnet50.batches(opts.batch, NUM_BATCHES)])
    run = sess.run

    def step():
        return run(logits, next(feeds))

    _check(step(), opts.batch)
    return step


def setup_tensorflux(opts):
    return _setup_tf1(tf1_module("tensorflux"), opts)


def setup_tensorflow(opts):
    return _setup_tf1(tf1_module("tensorflow"), opts)


def setup_torch(opts):
    import torch

    model = resnet50.torch_model().eval()
    data = itertools.cycle([x for x, _ in resnet50.torch_batches(opts.batch, NUM_BATCHES)])

    def step():
        with torch.inference_mode():
            return model(next(data)).numpy()

    _check(step(), opts.batch)
    return step


def setup_jax(opts):
    import jax
    import jax.numpy as jnp

    params, stats = resnet50.jax_init()
    infer = jax.jit(lambda p, s, x: resnet50.jax_apply(p, s, x, training=False)[0])
    data = itertools.cycle([jnp.asarray(x) for x, _ in resnet50.batches(opts.batch,
                                                                        NUM_BATCHES)])

    def step():
        return infer(params, stats, next(data)).block_until_ready()

    _check(step(), opts.batch)
    return step
