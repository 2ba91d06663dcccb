"""Per-call overhead: `y = a*b + c` with one fed float32 scalar `a` and constants `b`, `c`.

What a step measures, per peer:
  - tensorflux, tensorflow: one `sess.run(y, {a: v})` (a TF1 Session in graph mode; `v` is a
    Python float, as user code feeds it); the result comes back as a numpy float32.
  - torch: the same arithmetic in eager mode on 0-d float32 tensors, from the Python float to
    the Python result: `torch.tensor(v) * b + c`, then `.item()`.
  - jax: one call of the jitted function on `v` plus `block_until_ready()`.
The arithmetic is nothing; the step time is the framework's fixed cost per call.
"""

from workloads import seed_tf1, tf1_module

BATCH = None
STEPS = 2000
WARMUP = 200
A, B, C = 1.5, 2.0, 3.0
EXPECTED = A * B + C


def flops(opts):
    return None


def _check(value):
    if abs(float(value) - EXPECTED) > 1e-6:
        raise AssertionError("y = %r, expected %r" % (value, EXPECTED))


def _setup_tf1(tf):
    graph = tf.Graph()
    with graph.as_default():
        seed_tf1(tf)
        a = tf.placeholder(tf.float32, shape=[], name="a")
        b = tf.constant(B, name="b")
        c = tf.constant(C, name="c")
        y = a * b + c
    sess = tf.Session(graph=graph)
    run = sess.run
    feed = {a: A}
    _check(run(y, feed))

    def step():
        return run(y, feed)

    return step


def setup_tensorflux(opts):
    return _setup_tf1(tf1_module("tensorflux"))


def setup_tensorflow(opts):
    return _setup_tf1(tf1_module("tensorflow"))


def setup_torch(opts):
    import torch

    b = torch.tensor(B, dtype=torch.float32)
    c = torch.tensor(C, dtype=torch.float32)
    f32 = torch.float32
    tensor = torch.tensor

    def step():
        return (tensor(A, dtype=f32) * b + c).item()

    _check(step())
    return step


def setup_jax(opts):
    import jax
    import numpy as np

    b = np.float32(B)
    c = np.float32(C)
    f = jax.jit(lambda a: a * b + c)

    def step():
        return f(A).block_until_ready()

    _check(step())
    return step
