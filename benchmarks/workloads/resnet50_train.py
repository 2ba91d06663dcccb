"""ResNet-50 v1 training step: batch 64 of 224x224x3 images with random labels, softmax
cross-entropy, batch norm in training mode (moving statistics updated), Momentum(0.1, 0.9).

Meant for GPUs (`--device gpu`); on a CPU it takes seconds per step, so run it there with a
small `--steps` (and perhaps `--batch`). A step is one `sess.run([train_op, loss], feed)` with
the batch-norm updates as control dependencies of `train_op` (TF1's UPDATE_OPS idiom); torch and
jax do the same update (torch's SGD with momentum is TF's MomentumOptimizer) and return the loss
as a number, which waits for the GPU.

On a GPU: the TF1 graph is built under `tf.device("/gpu:0")`, the batches kept in GPU memory
(two local variables, one batch picked per step by a fed index) as every peer's are; torch runs
channels-last on cuda with TF32 allowed (TF's default on such GPUs) and cuDNN autotuning, its
batches on the GPU; JAX runs on its GPU with its default precision, batches on the GPU.
Variants: `tensorflux+mixed` wraps the optimizer in
`tf.train.experimental.enable_mixed_precision_graph_rewrite` (float16 convolutions, matmuls
and the activations between them, dynamic loss scaling); `torch+bf16` runs forward and loss
under bfloat16 autocast.
"""

import itertools

import numpy as np

from workloads import resnet50, seed_tf1, tf1_module

BATCH = 64
DEVICES = ("cpu", "gpu")
VARIANTS = {"tensorflux": ("mixed",), "tensorflow": ("mixed",), "torch": ("bf16",)}
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
    opts.require(devices=DEVICES, variants=(None, "mixed"))
    data = resnet50.batches(opts.batch, NUM_BATCHES)
    on_gpu = opts.device == "gpu"
    graph = tf.Graph()
    with graph.as_default(), tf.device("/gpu:0" if on_gpu else None):
        seed_tf1(tf)
        if on_gpu:  # the batches live in GPU memory, as the other peers' do
            all_x = tf.placeholder(tf.float32, (NUM_BATCHES,) + data[0][0].shape)
            all_y = tf.placeholder(tf.int64, (NUM_BATCHES,) + data[0][1].shape)
            stored = [tf.Variable(v, trainable=False, name=n,
                                  collections=[tf.GraphKeys.LOCAL_VARIABLES])
                      for v, n in ((all_x, "data_images"), (all_y, "data_labels"))]
            index = tf.placeholder(tf.int32, [], name="batch_index")
            images, labels = [tf.gather(v, index) for v in stored]
        else:
            images = tf.placeholder(tf.float32, [opts.batch, 224, 224, 3], name="images")
            labels = tf.placeholder(tf.int64, [opts.batch], name="labels")
        logits = resnet50.build_tf1(tf, images, training=True)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        opt = tf.train.MomentumOptimizer(LEARNING_RATE, MOMENTUM)
        if opts.variant == "mixed":
            opt = tf.train.experimental.enable_mixed_precision_graph_rewrite(opt)
        with tf.control_dependencies(update_ops):
            train_op = opt.minimize(loss)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph)
    sess.run(init)
    if on_gpu:
        sess.run([v.initializer for v in stored], {all_x: np.stack([x for x, _ in data]),
                                                   all_y: np.stack([y for _, y in data])})
        feeds = itertools.cycle([{index: i} for i in range(NUM_BATCHES)])
    else:
        feeds = itertools.cycle([{images: x, labels: y} for x, y in data])
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

    opts.require(devices=DEVICES, variants=(None, "bf16"))
    dev = "cuda" if opts.device == "gpu" else "cpu"
    if dev == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    model = resnet50.torch_model().to(device=dev, memory_format=torch.channels_last).train()
    opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
    loss_fn = nn.CrossEntropyLoss()
    data = itertools.cycle([(x.to(dev).contiguous(memory_format=torch.channels_last), y.to(dev))
                            for x, y in resnet50.torch_batches(opts.batch, NUM_BATCHES)])
    bf16 = opts.variant == "bf16"

    def step():
        x, y = next(data)
        opt.zero_grad(set_to_none=True)
        with torch.autocast(device_type=dev, dtype=torch.bfloat16, enabled=bf16):
            loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    _check_loss(step())
    return step


def setup_jax(opts):
    import jax
    import jax.numpy as jnp

    opts.require(devices=DEVICES)
    dev = jax.devices("gpu" if opts.device == "gpu" else "cpu")[0]
    params, stats = jax.device_put(resnet50.jax_init(), dev)

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
    data = itertools.cycle([jax.device_put((x, y.astype(np.int32)), dev)
                            for x, y in resnet50.batches(opts.batch, NUM_BATCHES)])

    def step():
        x, y = next(data)
        p, v, s, loss = jitted(*state, x, y)
        state[:] = [p, v, s]
        return float(loss)

    _check_loss(step())
    return step
