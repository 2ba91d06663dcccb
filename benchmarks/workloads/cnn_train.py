"""One training step of the TF layers tutorial's MNIST CNN (the deck's "TF Layers" model).

    input [100, 28, 28, 1] → conv2d 32 5x5 same relu → max_pool 2x2/2
      → conv2d 64 5x5 same relu → max_pool 2x2/2 → flatten → dense 1024 relu
      → dropout 0.4 (training) → dense 10 → softmax cross-entropy → Adam(1e-3)

A step is one `sess.run([train_op, loss], feed_dict)` with a fed batch of images and integer
labels (four fixed random batches, cycled); torch and jax do the same update on the same batches
and return the loss as a Python number, so every peer finishes its step synchronously.

Variants (tensorflux, tensorflow): `nchw`, the same model written channels-first
(`data_format="channels_first"`, images fed as [N, 1, 28, 28]), as TF1 code for GPUs often is;
`serial`, `inter_op_parallelism_threads=1` (one op at a time).
"""

import itertools

import numpy as np

from workloads import seed_tf1, tf1_module

BATCH = 100
STEPS = 30
WARMUP = 3
LEARNING_RATE = 1e-3
DROPOUT = 0.4
NUM_BATCHES = 4
VARIANTS = {"tensorflux": ("nchw", "serial"), "tensorflow": ("nchw", "serial")}


def flops(opts):
    """Convolution and matmul FLOPs of forward + backward (no input gradient for conv1)."""
    n = opts.batch
    conv1 = 2 * n * 28 * 28 * 32 * 5 * 5 * 1
    conv2 = 2 * n * 14 * 14 * 64 * 5 * 5 * 32
    dense1 = 2 * n * 7 * 7 * 64 * 1024
    dense2 = 2 * n * 1024 * 10
    forward = conv1 + conv2 + dense1 + dense2
    return 3 * forward - conv1


def _batches(batch):
    rng = np.random.RandomState(0)
    return [(rng.rand(batch, 28, 28, 1).astype(np.float32),
             rng.randint(0, 10, size=batch).astype(np.int64)) for _ in range(NUM_BATCHES)]


def build_tf1(tf, batch, channels_first=False):
    """The tutorial's model in TF1 code; returns (images, labels, loss, train_op)."""
    fmt = "channels_first" if channels_first else "channels_last"
    shape = [batch, 1, 28, 28] if channels_first else [batch, 28, 28, 1]
    images = tf.placeholder(tf.float32, shape, name="images")
    labels = tf.placeholder(tf.int64, [batch], name="labels")
    conv1 = tf.layers.conv2d(inputs=images, filters=32, kernel_size=[5, 5], padding="same",
                             activation=tf.nn.relu, data_format=fmt)
    pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2, data_format=fmt)
    conv2 = tf.layers.conv2d(inputs=pool1, filters=64, kernel_size=[5, 5], padding="same",
                             activation=tf.nn.relu, data_format=fmt)
    pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], strides=2, data_format=fmt)
    flat = tf.layers.flatten(pool2)
    dense = tf.layers.dense(inputs=flat, units=1024, activation=tf.nn.relu)
    dropout = tf.layers.dropout(inputs=dense, rate=DROPOUT, training=True)
    logits = tf.layers.dense(inputs=dropout, units=10)
    onehot_labels = tf.one_hot(indices=tf.cast(labels, tf.int32), depth=10)
    loss = tf.losses.softmax_cross_entropy(onehot_labels=onehot_labels, logits=logits)
    train_op = tf.train.AdamOptimizer(LEARNING_RATE).minimize(loss)
    return images, labels, loss, train_op


def _setup_tf1(tf, opts):
    graph = tf.Graph()
    with graph.as_default():
        seed_tf1(tf)
        nchw = opts.variant == "nchw"
        images, labels, loss, train_op = build_tf1(tf, opts.batch, nchw)
        init = tf.global_variables_initializer()
    threads = 1 if opts.variant == "serial" else 0
    sess = tf.Session(graph=graph, config=tf.ConfigProto(inter_op_parallelism_threads=threads))
    sess.run(init)
    feeds = itertools.cycle([{images: x.transpose(0, 3, 1, 2) if nchw else x, labels: y}
                             for x, y in _batches(opts.batch)])
    run = sess.run
    fetches = [train_op, loss]

    def step():
        return run(fetches, next(feeds))[1]

    _check_loss(step())
    return step


def _check_loss(value):
    if not np.isfinite(value) or value <= 0:
        raise AssertionError("loss after one step is %r" % (value,))


def setup_tensorflux(opts):
    return _setup_tf1(tf1_module("tensorflux"), opts)


def setup_tensorflow(opts):
    return _setup_tf1(tf1_module("tensorflow"), opts)


# --- torch ----------------------------------------------------------------------------------
CHANNELS_LAST = True  # oneDNN's convolutions are faster on NHWC on this class of CPU


def setup_torch(opts):
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 1024), nn.ReLU(), nn.Dropout(DROPOUT),
        nn.Linear(1024, 10))
    fmt = torch.channels_last if CHANNELS_LAST else torch.contiguous_format
    model = model.to(memory_format=fmt).train()
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()
    # NHWC numpy batches viewed as NCHW tensors (a permuted view: channels-last strides).
    data = itertools.cycle([(torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(
        memory_format=fmt), torch.from_numpy(y)) for x, y in _batches(opts.batch)])

    def step():
        x, y = next(data)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    _check_loss(step())
    return step


# --- jax --------------------------------------------------------------------------------------
def setup_jax(opts):
    import jax
    import jax.numpy as jnp
    from jax import lax

    def glorot(key, shape, fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return jax.random.uniform(key, shape, jnp.float32, -limit, limit)

    keys = jax.random.split(jax.random.PRNGKey(0), 5)
    params = {
        "conv1": (glorot(keys[0], (5, 5, 1, 32), 25, 800), jnp.zeros(32)),
        "conv2": (glorot(keys[1], (5, 5, 32, 64), 800, 1600), jnp.zeros(64)),
        "dense1": (glorot(keys[2], (3136, 1024), 3136, 1024), jnp.zeros(1024)),
        "dense2": (glorot(keys[3], (1024, 10), 1024, 10), jnp.zeros(10)),
    }
    dims = ("NHWC", "HWIO", "NHWC")

    def conv_relu_pool(x, w, b):
        x = lax.conv_general_dilated(x, w, (1, 1), "SAME", dimension_numbers=dims) + b
        x = jnp.maximum(x, 0.0)
        return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")

    def loss_fn(p, x, y, key):
        h = conv_relu_pool(x, *p["conv1"])
        h = conv_relu_pool(h, *p["conv2"])
        h = h.reshape(h.shape[0], -1)
        h = jnp.maximum(h @ p["dense1"][0] + p["dense1"][1], 0.0)
        keep = jax.random.bernoulli(key, 1.0 - DROPOUT, h.shape)
        h = jnp.where(keep, h / (1.0 - DROPOUT), 0.0)
        logits = h @ p["dense2"][0] + p["dense2"][1]
        logp = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

    def train_step(p, m, v, t, x, y, key):
        # TF1's Adam: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), epsilon 1e-8.
        loss, g = jax.value_and_grad(loss_fn)(p, x, y, key)
        t = t + 1.0
        lr_t = LEARNING_RATE * jnp.sqrt(1.0 - 0.999 ** t) / (1.0 - 0.9 ** t)
        m = jax.tree_util.tree_map(lambda m, g: 0.9 * m + 0.1 * g, m, g)
        v = jax.tree_util.tree_map(lambda v, g: 0.999 * v + 0.001 * g * g, v, g)
        p = jax.tree_util.tree_map(lambda p, m, v: p - lr_t * m / (jnp.sqrt(v) + 1e-8), p, m, v)
        return p, m, v, t, loss

    jitted = jax.jit(train_step, donate_argnums=(0, 1, 2))
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    state = [params, zeros, jax.tree_util.tree_map(jnp.zeros_like, params), jnp.float32(0.0)]
    data = itertools.cycle([(jnp.asarray(x), jnp.asarray(y.astype(np.int32)))
                            for x, y in _batches(opts.batch)])
    counter = itertools.count()
    base_key = keys[4]

    def step():
        x, y = next(data)
        key = jax.random.fold_in(base_key, next(counter))
        p, m, v, t, loss = jitted(*state, x, y, key)
        state[:] = [p, m, v, t]
        return float(loss)

    _check_loss(step())
    return step
