"""tf.contrib.layers / TF-Slim graphs written once, run by real TF-Slim (fixtures) and by
tensorflux (`test_contrib_layers.py`); see layer_cases.py for the recording."""

import layer_cases
import numpy as np
from layer_cases import Case

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def run_case(tf, slim, name, run=True):
    return layer_cases.run_case(tf, name, run, CASES, (slim,))


@case
def slim_basic(tf, inp, slim):
    x = inp([None, 8, 8, 3], [2, 8, 8, 3])
    a = slim.conv2d(x, 4, [3, 3])
    b = slim.conv2d(a, 5, 3, stride=2, padding="VALID", scope="conv2")
    c = slim.conv2d(a, 2, [1, 1], activation_fn=None, rate=2)
    p = slim.max_pool2d(a, [2, 2])
    q = slim.avg_pool2d(a, 3, stride=1, padding="SAME")
    f = slim.flatten(p)
    fc = slim.fully_connected(f, 6)
    logits = slim.fully_connected(fc, 3, activation_fn=None, scope="logits")
    d_inf = slim.dropout(fc, 0.5, is_training=False)
    d_tr = slim.dropout(fc, 0.8, is_training=True)
    ok = tf.reduce_all(tf.logical_or(tf.equal(d_tr, 0.0), tf.abs(d_tr - fc / 0.8) < 1e-5))
    c1 = slim.conv1d(inp([2, 9, 3]), 2, 3)
    return Case({"a": a, "b": b, "c": c, "p": p, "q": q, "f": f, "fc": fc, "logits": logits,
                 "d_inf": d_inf, "d_tr": d_tr, "ok": ok, "c1": c1}, random={"d_tr"})


@case
def slim_reuse_and_scopes(tf, inp, slim):
    x = inp([2, 6, 6, 2])
    a = slim.conv2d(x, 3, 3, scope="shared")
    b = slim.conv2d(x, 3, 3, scope="shared", reuse=True)
    with tf.variable_scope("net"):
        c = slim.fully_connected(slim.flatten(x), 4)
        d = slim.fully_connected(c, 4)
    with tf.variable_scope("net", reuse=True):
        e = slim.fully_connected(slim.flatten(x), 4)
    with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
        f = slim.conv2d(x, 2, 1, scope="pw")
        g = slim.conv2d(x, 2, 1, scope="pw")
    return Case({"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g})


@case
def slim_arg_scope_and_regularizers(tf, inp, slim):
    x = inp([2, 5, 5, 3])
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=None,
                        weights_regularizer=slim.l2_regularizer(0.01),
                        biases_initializer=tf.constant_initializer(0.1)):
        with slim.arg_scope([slim.conv2d], padding="VALID", stride=2):
            a = slim.conv2d(x, 4, 3, scope="conv1")
            b = slim.conv2d(x, 4, 3, padding="SAME", scope="conv2")
        fc = slim.fully_connected(slim.flatten(a), 3,
                                  weights_regularizer=slim.l1_regularizer(0.5), scope="fc")
    nobias = slim.fully_connected(fc, 2, biases_initializer=None, scope="nobias")
    collected = slim.fully_connected(fc, 2, variables_collections=["mine"],
                                     outputs_collections="outs", scope="collected")
    weights = [v for v in tf.global_variables() if v.op.name.endswith("weights")]
    total = slim.apply_regularization(slim.l1_regularizer(0.25), weights)
    both = slim.l1_l2_regularizer(0.1, 0.2)(weights[0])
    outs = {"a": a, "b": b, "fc": fc, "nobias": nobias, "collected": collected,
            "total": total, "both": both}
    for i, t in enumerate(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)):
        outs["reg%d" % i] = t
    meta = {"mine": [v.name for v in tf.get_collection("mine")],
            "outs": [t.name for t in tf.get_collection("outs")],
            "reg_names": [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)]}
    return Case(outs, meta=meta)


@case
def slim_initializers(tf, inp, slim):
    shape = [64, 80]
    vals = {
        "xavier": tf.get_variable("xavier", shape, initializer=slim.xavier_initializer()),
        "xavier_n": tf.get_variable("xavier_n", shape,
                                    initializer=slim.xavier_initializer(uniform=False)),
        "he": tf.get_variable("he", [3, 3, 16, 32],
                              initializer=slim.variance_scaling_initializer()),
        "fan_out_u": tf.get_variable("fan_out_u", shape,
                                     initializer=slim.variance_scaling_initializer(
                                         factor=1.0, mode="FAN_OUT", uniform=True)),
    }
    outs = {}
    for k, v in vals.items():
        t = tf.convert_to_tensor(v)
        outs[k + "_std_ok"] = tf.abs(tf.sqrt(tf.reduce_mean(tf.square(t))) / _expected_std(
            k, v.get_shape().as_list()) - 1.0) < 0.15
        outs[k + "_bound_ok"] = tf.reduce_max(tf.abs(t)) <= _bound(k, v.get_shape().as_list())
    return Case(outs, load_weights=False, record_variables=False)


def _fans(shape):
    fan_in = float(shape[-2]) * float(np.prod(shape[:-2]))
    fan_out = float(shape[-1]) * float(np.prod(shape[:-2]))
    return fan_in, fan_out


def _expected_std(kind, shape):
    fan_in, fan_out = _fans(shape)
    if kind == "xavier":
        return np.sqrt(2.0 / (fan_in + fan_out))
    if kind == "xavier_n":  # a normal truncated at 2 stddev loses ~12% of its spread
        return np.sqrt(1.3 * 2.0 / (fan_in + fan_out)) * 0.8796
    if kind == "he":
        return np.sqrt(1.3 * 2.0 / fan_in) * 0.8796
    return np.sqrt(1.0 / fan_out)


def _bound(kind, shape):
    fan_in, fan_out = _fans(shape)
    if kind == "xavier":
        return np.sqrt(6.0 / (fan_in + fan_out))
    if kind == "xavier_n":
        return 2 * np.sqrt(1.3 * 2.0 / (fan_in + fan_out))
    if kind == "he":
        return 2 * np.sqrt(1.3 * 2.0 / fan_in)
    return np.sqrt(3.0 / fan_out)


def _bn_train_steps(tf, inp, x, y, n_steps=3, extra=None):
    """Runs the update ops (if any) and y with fresh batches; then y in inference."""
    tr = extra
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    shape = x.get_shape().as_list()
    steps = []
    for i in range(n_steps):
        batch = (inp.rng.standard_normal(shape) * (1 + i) + i).astype(np.float32)
        fetch = {"y": y}
        for j, u in enumerate(update_ops):
            fetch["up%d" % j] = u
        fd = {x: batch}
        if tr is not None:
            fd[tr] = True
        steps.append((fetch, fd))
    return steps


@case
def slim_batch_norm_layer_path(tf, inp, slim):
    """4-D input with the default UPDATE_OPS: TF-Slim builds a tf.layers BatchNormalization."""
    x = tf.placeholder(tf.float32, [4, 3, 3, 2])
    tr = tf.placeholder(tf.bool, [])
    y = slim.batch_norm(x, decay=0.9, scale=True, is_training=tr)
    z = slim.batch_norm(x, is_training=False, scope="frozen")
    first = inp.rng.standard_normal([4, 3, 3, 2]).astype(np.float32)
    return Case({"y": y, "z": z}, feeds={x: first, tr: False},
                steps=_bn_train_steps(tf, inp, x, y, extra=tr))


@case
def slim_batch_norm_fused_2d(tf, inp, slim):
    """2-D input: TF-Slim's own fused path (reshaped to 4-D), UPDATE_OPS updates."""
    x = tf.placeholder(tf.float32, [6, 3])
    y = slim.batch_norm(x, decay=0.8, center=True, scale=True)
    first = inp.rng.standard_normal([6, 3]).astype(np.float32)
    return Case({"y": y}, feeds={x: first}, steps=_bn_train_steps(tf, inp, x, y))


@case
def slim_batch_norm_forced_updates(tf, inp, slim):
    """updates_collections=None: the moving averages update with every run of the output."""
    x = tf.placeholder(tf.float32, [4, 2, 2, 3])
    tr = tf.placeholder(tf.bool, [])
    y = slim.batch_norm(x, decay=0.7, updates_collections=None, is_training=tr)
    x3 = tf.placeholder(tf.float32, [4, 5, 3])
    y3 = slim.batch_norm(x3, decay=0.6, updates_collections=None, is_training=True,
                         scope="rank3")
    first = inp.rng.standard_normal([4, 2, 2, 3]).astype(np.float32)
    b3 = inp.rng.standard_normal([4, 5, 3]).astype(np.float32)
    steps = _bn_train_steps(tf, inp, x, y, extra=tr)
    steps += [({"y3": y3}, {x3: b3})] * 2
    steps.append(({"y": y}, {x: first, tr: False}))
    return Case({"y": y}, feeds={x: first, tr: False, x3: b3}, steps=steps)


@case
def slim_normalizer_fn(tf, inp, slim):
    x = inp([2, 6, 6, 3])
    y = slim.conv2d(x, 4, 3, normalizer_fn=slim.batch_norm,
                    normalizer_params={"is_training": True, "scale": True, "decay": 0.5})
    z = slim.fully_connected(slim.flatten(y), 3, normalizer_fn=slim.batch_norm,
                             normalizer_params={"is_training": False})
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    return Case({"y": y, "z": z},
                steps=[({"u%d" % i: u for i, u in enumerate(update_ops)}, {})] * 2)
