"""Input preprocessing with two independent branches: two views of one batch of images.

    uint8 images [64, 128, 128, 3], fed → for each view (the second mirrored left-right):
      cast to float32 / 255 → reflect-pad 4 pixels → standardize each image (its mean and
      variance over all pixels) → NCHW; the two views concatenated along the batch.

Every op here is elementwise, a reduction or a copy: numpy kernels on one core each. The
views do not depend on each other, so this is where running independent ops concurrently
(passes/concurrency.py; TF's inter-op thread pool) pays on a CPU. The `tensorflux+serial`
variant runs the same graph with `inter_op_parallelism_threads=1` (one op at a time), which
shows what the concurrency gives in the same run. torch runs the same ops in eager mode, jax
jitted; every peer returns the result as a host array, checked against a numpy reference.
"""

import numpy as np

from workloads import seed_tf1, tf1_module

BATCH = 64
STEPS = 30
WARMUP = 3
SIZE = 128
PAD = 4
EPS = 1e-5
VARIANTS = {"tensorflux": ("serial",), "tensorflow": ("serial",)}


def flops(opts):
    return None


def _images(batch):
    return np.random.RandomState(0).randint(0, 256, (batch, SIZE, SIZE, 3)).astype(np.uint8)


def _reference(x):
    """The same preprocessing in numpy (float64), for checking each peer's first result."""
    views = []
    for flip in (False, True):
        y = x.astype(np.float64) / 255.0
        if flip:
            y = y[:, :, ::-1]
        y = np.pad(y, [(0, 0), (PAD, PAD), (PAD, PAD), (0, 0)], mode="reflect")
        mean = y.mean(axis=(1, 2, 3), keepdims=True)
        var = ((y - mean) ** 2).mean(axis=(1, 2, 3), keepdims=True)
        views.append(((y - mean) / np.sqrt(var + EPS)).transpose(0, 3, 1, 2))
    return np.concatenate(views, 0)


def _checked(step, x):
    want = _reference(x)
    got = np.asarray(step())
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-3, atol=1e-3):
        raise AssertionError("preprocessed images differ from the numpy reference")
    return step


def _setup_tf1(tf, batch, threads=0):
    graph = tf.Graph()
    with graph.as_default():
        seed_tf1(tf)
        images = tf.placeholder(tf.uint8, [batch, SIZE, SIZE, 3], name="images")

        def view(flip):
            y = tf.cast(images, tf.float32) * (1.0 / 255.0)
            if flip:
                y = tf.reverse(y, [2])
            y = tf.pad(y, [[0, 0], [PAD, PAD], [PAD, PAD], [0, 0]], mode="REFLECT")
            mean = tf.reduce_mean(y, axis=[1, 2, 3], keepdims=True)
            var = tf.reduce_mean(tf.square(y - mean), axis=[1, 2, 3], keepdims=True)
            y = (y - mean) * tf.rsqrt(var + EPS)
            return tf.transpose(y, [0, 3, 1, 2])

        out = tf.concat([view(False), view(True)], 0)
    config = tf.ConfigProto(inter_op_parallelism_threads=threads)
    sess = tf.Session(graph=graph, config=config)
    x = _images(batch)
    feed = {images: x}

    def step():
        return sess.run(out, feed)

    return _checked(step, x)


def setup_tensorflux(opts):
    opts.require(variants=(None, "serial"))
    return _setup_tf1(tf1_module("tensorflux"), opts.batch, 1 if opts.variant else 0)


def setup_tensorflow(opts):
    opts.require(variants=(None, "serial"))
    return _setup_tf1(tf1_module("tensorflow"), opts.batch, 1 if opts.variant else 0)


def setup_torch(opts):
    opts.require()
    import torch
    import torch.nn.functional as F

    x = _images(opts.batch)
    images = torch.from_numpy(x)

    def view(flip):
        y = images.permute(0, 3, 1, 2).float() * (1.0 / 255.0)
        if flip:
            y = torch.flip(y, [3])
        y = F.pad(y, (PAD, PAD, PAD, PAD), mode="reflect")
        mean = y.mean(dim=(1, 2, 3), keepdim=True)
        var = (y - mean).square().mean(dim=(1, 2, 3), keepdim=True)
        return ((y - mean) * torch.rsqrt(var + EPS)).contiguous()

    def step():
        with torch.no_grad():
            return torch.cat([view(False), view(True)], 0).numpy()

    return _checked(step, x)


def setup_jax(opts):
    opts.require()
    import jax
    import jax.numpy as jnp

    x = _images(opts.batch)

    def view(images, flip):
        y = images.astype(jnp.float32) * (1.0 / 255.0)
        if flip:
            y = y[:, :, ::-1]
        y = jnp.pad(y, [(0, 0), (PAD, PAD), (PAD, PAD), (0, 0)], mode="reflect")
        mean = y.mean(axis=(1, 2, 3), keepdims=True)
        var = jnp.square(y - mean).mean(axis=(1, 2, 3), keepdims=True)
        return jnp.transpose((y - mean) * jax.lax.rsqrt(var + EPS), (0, 3, 1, 2))

    f = jax.jit(lambda images: jnp.concatenate([view(images, False), view(images, True)], 0))

    def step():
        return np.asarray(f(x))

    return _checked(step, x)

