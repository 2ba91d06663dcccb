"""ResNet-50 v1 training step: batch 64 of 224x224x3 images with random labels, softmax
cross-entropy, batch norm in training mode (moving statistics updated), Momentum(0.1, 0.9).

Meant for GPUs; on a CPU it takes seconds per step, so run it with a small `--steps` (and
perhaps `--batch`). A step is one `sess.run([train_op, loss], feed)` with the batch-norm updates
as control dependencies of `train_op` (TF1's UPDATE_OPS idiom); torch and jax do the same
update (torch's SGD with momentum is TF's MomentumOptimizer) and return the loss as a number.
"""

import itertools

import numpy as np

from workloads import resnet50, seed_tf1, tf1_module

BATCH = 64
STEPS = 20
WARMUP = 2
NUM_BATCHES = 2
LEARNING_RATE = 0.1
MOMENTUM = 0.9


def flops(opts):
    return resnet50.train_flops(opts.batch)


def _check_loss(value):
    if not np.isfinite(value) or value <= 0:
        raise AssertionError("loss after one step is %r" % (value,))


def _setup_tf1(tf, opts):
    graph = tf.Graph()
    with graph.as_default():
        seed_tf1(tf)
        images = tf.placeholder(tf.float32, [opts.batch, 224, 224, 3], name="images")
        labels = tf.placeholder(tf.int64, [opts.batch], name="labels")
        logits = resnet50.build_tf1(tf, images, training=True)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = tf.train.MomentumOptimizer(LEARNING_RATE, MOMENTUM).minimize(loss)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph)
    sess.run(init)
    feeds = itertools.cycle([{images: x, labels: y}
                             for x, y in resnet50.batches(opts.batch, NUM_BATCHES)])
    run = sess.run
    fetches = [train_op, loss]

    def step():
        return run(fetches, next(feeds))[1]

    _check_loss(step())
    return step


def setup_tensorflux(opts):
    return _setup_tf1(tf1_module("tensorflux"), opts)


def setup_tensorflow(opts):
    return _setup_tf1(tf1_module("tensorflow"), opts)


def setup_torch(opts):
    import torch
    from torch import nn

    model = resnet50.torch_model().train()
    opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
    loss_fn = nn.CrossEntropyLoss()
    data = itertools.cycle(resnet50.torch_batches(opts.batch, NUM_BATCHES))

    def step():
        x, y = next(data)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    _check_loss(step())
    return step


def setup_jax(opts):
    import jax
    import jax.numpy as jnp

    params, stats = resnet50.jax_init()

    def loss_fn(p, s, x, y):
        logits, new_stats = resnet50.jax_apply(p, s, x, training=True)
        logp = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1)), new_stats

    def train_step(p, velocity, s, x, y):
        (loss, s), g = jax.value_and_grad(loss_fn, has_aux=True)(p, s, x, y)
        velocity = jax.tree_util.tree_map(lambda v, g: MOMENTUM * v + g, velocity, g)
        p = jax.tree_util.tree_map(lambda p, v: p - LEARNING_RATE * v, p, velocity)
        return p, velocity, s, loss

    jitted = jax.jit(train_step, donate_argnums=(0, 1, 2))
    state = [params, jax.tree_util.tree_map(jnp.zeros_like, params), stats]
    data = itertools.cycle([(jnp.asarray(x), jnp.asarray(y.astype(np.int32)))
                            for x, y in resnet50.batches(opts.batch, NUM_BATCHES)])

    def step():
        x, y = next(data)
        p, v, s, loss = jitted(*state, x, y)
        state[:] = [p, v, s]
        return float(loss)

    _check_loss(step())
    return step
