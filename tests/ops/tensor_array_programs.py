"""TensorArray programs written once for any `tf` module (TensorFlow's `compat.v1` or
tensorflux): tools/fixtures/gen_tensor_array.py records what TensorFlow gives for them,
test_tensor_array.py runs them on tensorflux and compares.

Each program builds into the default graph and returns `(fetches, feeds)`: `fetches` maps a key
to a tensor (its value, static shape and name are compared) and `feeds` maps placeholders to
numpy values. `ERRORS` build one fetch that fails at run time.
"""

import numpy as np

X = np.arange(8, dtype=np.float32).reshape(4, 2) / 4.0 - 0.7
W = np.array([[0.5, -0.3], [0.2, 0.8]], np.float32)


def _x(tf):
    x = tf.placeholder(tf.float32, [4, 2], name="x")
    return x, {x: X}


def write_stack(tf):
    ta = tf.TensorArray(tf.float32, size=3)
    ta = ta.write(0, 1.0).write(1, 2.0).write(2, 3.0)
    return {"stack": ta.stack(), "flow": ta.flow, "size": ta.size()}, {}


def while_write(tf):
    x, feeds = _x(tf)
    ta = tf.TensorArray(tf.float32, size=4)
    i, out = tf.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t.write(i, x[i] * x[i])),
                           [0, ta])
    y = out.stack()
    g, = tf.gradients(tf.reduce_sum(y * y), x)
    return {"i": i, "flow": out.flow, "stack": y, "grad": g}, feeds


def unstack_reads(tf):
    x, feeds = _x(tf)
    u = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=[2]).unstack(x)
    r = u.read(1)
    gt = u.gather([3, 0])
    c = u.concat()
    loss = tf.reduce_sum(r * 3.0) + tf.reduce_sum(gt * gt) + tf.reduce_sum(c)
    g, = tf.gradients(loss, x)
    return {"flow": u.flow, "read": r, "gather": gt, "concat": c, "size": u.size(),
            "grad": g}, feeds


def split_scatter(tf):
    x, feeds = _x(tf)
    sp = tf.TensorArray(tf.float32, size=2).split(tf.reshape(x, [8]), [3, 5])
    sc = tf.TensorArray(tf.float32, size=5).scatter([4, 1], x[:2])
    spc = sp.concat()
    scs = sc.stack()
    w = tf.constant(np.linspace(-1, 1, 8, dtype=np.float32))
    loss = tf.reduce_sum(spc * w) + tf.reduce_sum(scs * scs)
    g, = tf.gradients(loss, x)
    return {"split_flow": sp.flow, "split_concat": spc, "split_read": sp.read(1),
            "scatter_flow": sc.flow, "scatter_stack": scs, "grad": g}, feeds


def rnn(tf):
    """A hand-written RNN: inputs unstacked into a TensorArray, states written to another."""
    x, feeds = _x(tf)
    w = tf.constant(W, name="w")
    xs = tf.TensorArray(tf.float32, size=4).unstack(x)
    hs = tf.TensorArray(tf.float32, size=4)

    def body(t, h, hs):
        h = tf.tanh(tf.matmul(h, w) + xs.read(t)[None, :])
        return t + 1, h, hs.write(t, h[0])

    _, h, hs = tf.while_loop(lambda t, h, hs: t < 4, body,
                             [tf.constant(0), tf.zeros([1, 2]), hs])
    states = hs.stack()
    loss = tf.reduce_sum(states * states) + tf.reduce_sum(h)
    gx, gw = tf.gradients(loss, [x, w])
    return {"states": states, "last": h, "grad_x": gx, "grad_w": gw}, feeds


def dynamic_growth(tf):
    x, feeds = _x(tf)
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

    def body(i, t):
        return i + 1, t.write(i, tf.reduce_sum(x) * tf.cast(i, tf.float32))

    _, ta = tf.while_loop(lambda i, t: i < 6, body, [0, ta])
    y = ta.stack()
    g, = tf.gradients(tf.reduce_sum(y), x)
    return {"stack": y, "size": ta.size(), "grad": g}, feeds


def unwritten_zeros(tf):
    x, feeds = _x(tf)
    ta = tf.TensorArray(tf.float32, size=3, element_shape=[2]).write(1, x[2] * 2.0)
    y = ta.stack()
    g, = tf.gradients(tf.reduce_sum(y * y), x)
    return {"stack": y, "read0": ta.read(0), "grad": g}, feeds


def identity_and_close(tf):
    ta = tf.TensorArray(tf.float32, size=2).write(0, [1.0, 2.0]).write(1, [3.0, 4.0])
    same = ta.identity()
    return {"flow": same.flow, "stack": same.stack()}, {}


PROGRAMS = {f.__name__: f for f in (write_stack, while_write, unstack_reads, split_scatter, rnn,
                                    dynamic_growth, unwritten_zeros, identity_and_close)}


def _read_oob(tf):
    x, feeds = _x(tf)
    return tf.TensorArray(tf.float32, size=3).unstack(x).read(7), feeds


ERRORS = {
    "read_out_of_bounds": _read_oob,
    "stack_unknown_shape": lambda tf: (tf.TensorArray(tf.float32, size=3).stack(), {}),
    "write_out_of_bounds": lambda tf: (
        tf.TensorArray(tf.float32, size=2).write(5, 1.0).stack(), {}),
    "read_unwritten_unknown": lambda tf: (tf.TensorArray(tf.float32, size=2).read(0), {}),
    "split_lengths": lambda tf: (tf.TensorArray(tf.float32, size=2).split(
        tf.range(8.0), [3, 4]).concat(), {}),
    "stack_mixed_shapes": lambda tf: (tf.TensorArray(tf.float32, size=2, infer_shape=False).write(
        0, [1.0]).write(1, [1.0, 2.0]).stack(), {}),
    "read_negative": lambda tf: (
        tf.TensorArray(tf.float32, size=2, element_shape=[]).read(-1), {}),
}
