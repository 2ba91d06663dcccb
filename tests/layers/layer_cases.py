"""Layer graphs written once against the TF 1.x API, run by real TensorFlow (to make fixtures,
`tools/fixtures/gen_layers.py`) and by tensorflux (`test_layers_vs_tf.py`).

`run_case(tf, name)` builds case `name` in a fresh default graph, records its structure (variable
names/shapes/trainability, output tensor names/shapes, collections), loads deterministic weights
into every variable, runs it, and returns `(meta, arrays)`.
"""

import zlib

import numpy as np

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Case:
    """What a case function returns: tensors to record and how to feed them."""

    def __init__(self, outputs, feeds=None, steps=(), meta=None, load_weights=True,
                 random=(), record_variables=True, anonymous=()):
        self.outputs = outputs          # key -> Tensor (recorded by name/shape, run for values)
        self.random = set(random)       # output keys whose values are random (not recorded)
        self.record_variables = record_variables  # final variable values
        self.anonymous = set(anonymous)  # output keys whose tensor names are not recorded
        self.feeds = feeds or {}        # placeholder -> array, for every run
        self.steps = list(steps)        # [(fetch dict, extra feed dict)], run in order after
        self.meta = meta or {}          # extra JSON-able facts (layer names, …)
        self.load_weights = load_weights


class _Inputs:
    """Creates placeholders and remembers a seeded random array to feed each."""

    def __init__(self, tf, seed):
        self.tf = tf
        self.rng = np.random.RandomState(seed)
        self.feeds = {}

    def __call__(self, static_shape, value_shape=None, name=None, scale=1.0):
        value_shape = value_shape or [d if d is not None else 2 for d in static_shape]
        ph = self.tf.placeholder(self.tf.float32, static_shape, name=name)
        self.feeds[ph] = (self.rng.standard_normal(value_shape) * scale).astype(np.float32)
        return ph


def weight_value(name, shape):
    rng = np.random.RandomState(zlib.crc32(name.encode()))
    if "variance" in name or "stddev" in name:
        return rng.uniform(0.5, 1.5, shape).astype(np.float32)
    return rng.uniform(-0.5, 0.5, shape).astype(np.float32)


def _shape(t):
    s = t.get_shape()
    return None if s.ndims is None else s.as_list()


def run_case(tf, name, run=True, cases=None, extra=()):
    """Builds case `name` of `cases` (default: CASES), calling it with `(tf, inputs, *extra)`;
    returns `(meta, arrays)` (`arrays` empty when `run` is False)."""
    tf.reset_default_graph()
    inp = _Inputs(tf, zlib.crc32(name.encode()))
    c = (cases or CASES)[name](tf, inp, *extra)
    feeds = dict(inp.feeds)
    feeds.update(c.feeds)
    trainable = {v.name for v in tf.trainable_variables()}
    gvars = tf.global_variables()
    meta = {
        "variables": [[v.name, v.get_shape().as_list(), v.name in trainable] for v in gvars],
        "outputs": {k: [None if k in c.anonymous else t.name, _shape(t)]
                    for k, t in sorted(c.outputs.items())},
        "regularization_losses": [t.name for t in
                                  tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)],
        "n_update_ops": len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
        "model_variables": [v.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)],
        "meta": c.meta,
    }
    arrays = {}
    if not run:
        return meta, arrays
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if c.load_weights:
            for v in gvars:
                v.load(weight_value(v.op.name, v.get_shape().as_list()), sess)
        keys = sorted(k for k in c.outputs if k not in c.random)
        values = sess.run([c.outputs[k] for k in keys], feeds)
        for k, val in zip(keys, values):
            arrays["out/" + k] = np.asarray(val)
        for i, (fetches, extra) in enumerate(c.steps):
            fd = dict(feeds)
            fd.update(extra)
            keys = sorted(fetches)
            values = sess.run([fetches[k] for k in keys], fd)
            for k, val in zip(keys, values):
                if val is not None and not isinstance(val, list):
                    arrays["step%d/%s" % (i, k)] = np.asarray(val)
        if c.record_variables:
            for v, val in zip(gvars, sess.run(gvars)):
                arrays["var/" + v.op.name] = np.asarray(val)
    return meta, arrays


# --- naming and sharing -------------------------------------------------------------------------
@case
def conv2d_names(tf, inp):
    x = inp([None, 28, 28, 1], [2, 28, 28, 1])
    conv1 = tf.layers.conv2d(inputs=x, filters=4, kernel_size=[5, 5], padding="same",
                             activation=tf.nn.relu)
    conv2 = tf.layers.conv2d(conv1, 3, 3)
    pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
    return Case({"conv1": conv1, "conv2": conv2, "pool1": pool1})


@case
def scope_nesting(tf, inp):
    x = inp([2, 6])
    with tf.variable_scope("foo"):
        a = tf.layers.dense(x, 3)
        b = tf.layers.dense(a, 2, activation=tf.nn.relu)
    with tf.variable_scope("foo", reuse=True):
        c = tf.layers.dense(x, 3)
    with tf.variable_scope("bar"):
        with tf.variable_scope("inner"):
            d = tf.layers.dense(x, 4, name="named")
    e = tf.layers.dense(x, 3)
    return Case({"a": a, "b": b, "c": c, "d": d, "e": e})


@case
def name_reuse(tf, inp):
    x = inp([2, 5, 5, 2])
    a = tf.layers.conv2d(x, 3, 3, name="c")
    b = tf.layers.conv2d(x, 3, 3, name="c", reuse=True)
    with tf.variable_scope("m", reuse=tf.AUTO_REUSE):
        d1 = tf.layers.dense(tf.layers.flatten(x), 2, name="d")
        d2 = tf.layers.dense(tf.layers.flatten(x), 2, name="d")
    bn1 = tf.layers.batch_normalization(x, name="bn", training=True)
    bn2 = tf.layers.batch_normalization(x, name="bn", reuse=True, training=False)
    return Case({"a": a, "b": b, "d1": d1, "d2": d2, "bn1": bn1, "bn2": bn2})


@case
def layer_objects(tf, inp):
    x = inp([None, 6, 6, 2], [2, 6, 6, 2])
    conv = tf.layers.Conv2D(2, 3, padding="same")
    meta = {"name_before": conv.name}
    y1 = conv(x)
    y2 = conv(y1)
    dense = tf.layers.Dense(5, name="proj")
    z = dense(tf.layers.flatten(y2))
    with tf.variable_scope("outer"):
        inner = tf.layers.Dense(3)
        w = inner(z)
    bn = tf.layers.BatchNormalization()
    v = bn(w, training=True)
    meta.update(
        conv_name=conv.name, conv_scope=conv.scope_name,
        conv_weights=[t.name for t in conv.weights],
        conv_trainable=[t.name for t in conv.trainable_weights],
        dense_name=dense.name, dense_scope=dense.scope_name,
        inner_name=inner.name, inner_scope=inner.scope_name,
        bn_name=bn.name, bn_trainable=[t.name for t in bn.trainable_weights],
        bn_non_trainable=[t.name for t in bn.non_trainable_weights],
        bn_n_updates=len(bn.updates), conv_built=conv.built,
        conv_kernel_size=list(conv.kernel_size), conv_strides=list(conv.strides),
        conv_padding=conv.padding, conv_data_format=conv.data_format)
    return Case({"y1": y1, "y2": y2, "z": z, "w": w, "v": v}, meta=meta)


@case
def trainable_and_regularizers(tf, inp):
    x = inp([3, 4])

    def l2(w):
        return tf.reduce_sum(tf.square(w)) * 0.01

    a = tf.layers.dense(x, 3, trainable=False)
    b = tf.layers.dense(x, 3, kernel_regularizer=l2, bias_regularizer=l2,
                        activity_regularizer=lambda t: tf.reduce_sum(tf.abs(t)))
    img = inp([2, 5, 5, 3])
    c = tf.layers.conv2d(img, 2, 3, kernel_regularizer=l2, use_bias=False)
    d = tf.layers.batch_normalization(img, trainable=False, training=True)
    e = tf.layers.batch_normalization(img, gamma_regularizer=l2, beta_regularizer=l2)
    with tf.variable_scope("scoped", regularizer=l2):
        f = tf.layers.dense(x, 2)
    outs = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
    for i, t in enumerate(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)):
        outs["reg%d" % i] = t
    return Case(outs)


@case
def initializers_and_constraints(tf, inp):
    x = inp([2, 4])
    with tf.variable_scope("init", initializer=tf.constant_initializer(0.5)):
        a = tf.layers.dense(x, 3)
    b = tf.layers.dense(x, 3, kernel_initializer=tf.ones_initializer(),
                        bias_initializer=tf.constant_initializer(0.25))
    layer = tf.layers.Dense(2, kernel_initializer=tf.constant_initializer(0.3),
                            kernel_constraint=lambda w: tf.clip_by_value(w, -0.1, 0.1))
    c = layer(x)
    outs = {"a": a, "b": b, "c": c}
    clipped = layer.kernel.constraint(layer.kernel)
    outs["clipped"] = clipped
    meta = {"has_constraint": [layer.kernel.constraint is not None,
                               layer.bias.constraint is not None]}
    for v in tf.global_variables():
        key = "v_" + v.op.name.replace("/", "_")
        outs[key] = tf.identity(v, name=key)
    return Case(outs, load_weights=False, meta=meta)


# --- every layer's names, shapes and values --------------------------------------------------
@case
def dense_ranks(tf, inp):
    x2 = inp([None, 5], [3, 5])
    x3 = inp([2, 4, 5])
    a = tf.layers.dense(x2, 3)
    b = tf.layers.dense(x3, 3, activation=tf.nn.relu)
    c = tf.layers.Dense(2, use_bias=False)(x2)
    return Case({"a": a, "b": b, "c": c})


@case
def conv_layers(tf, inp):
    x1 = inp([2, 9, 3])
    x2 = inp([2, 9, 8, 3])
    x3 = inp([2, 5, 6, 7, 2])
    return Case({
        "c1": tf.layers.conv1d(x1, 4, 3),
        "c1s": tf.layers.conv1d(x1, 4, 3, strides=2, padding="SAME"),
        "c1d": tf.layers.conv1d(x1, 2, 3, dilation_rate=2, padding="same"),
        "c2": tf.layers.conv2d(x2, 4, [3, 2], strides=(2, 1), padding="Same"),
        "c2v": tf.layers.conv2d(x2, 4, 3, strides=2, padding="VALID", activation=tf.nn.relu),
        "c2d": tf.layers.conv2d(x2, 3, 3, dilation_rate=2),
        "c2dv": tf.layers.conv2d(x2, 3, [2, 3], dilation_rate=(2, 1), padding="same"),
        "c3": tf.layers.conv3d(x3, 3, 2),
        "c3s": tf.layers.conv3d(x3, 2, [3, 2, 2], strides=2, padding="same"),
    })


@case
def conv_transpose_layers(tf, inp):
    x2 = inp([2, 5, 4, 3])
    x2u = inp([None, 5, 4, 3], [2, 5, 4, 3])
    x3 = inp([1, 3, 4, 2, 2])
    return Case({
        "t2": tf.layers.conv2d_transpose(x2, 4, 3),
        "t2s": tf.layers.conv2d_transpose(x2, 4, [3, 3], strides=[2, 2], padding="SAME"),
        "t2v": tf.layers.conv2d_transpose(x2, 2, [3, 2], strides=(2, 3), padding="VALID"),
        "t2u": tf.layers.conv2d_transpose(x2u, 2, 2, strides=2, activation=tf.nn.relu),
        "t3": tf.layers.conv3d_transpose(x3, 3, 2, strides=2),
        "t3s": tf.layers.conv3d_transpose(x3, 2, 3, strides=(1, 2, 2), padding="same"),
    })


@case
def separable_layers(tf, inp):
    x1 = inp([2, 10, 3])
    x2 = inp([2, 7, 8, 3])
    return Case({
        "s1": tf.layers.separable_conv1d(x1, 4, 3),
        "s1m": tf.layers.separable_conv1d(x1, 4, 3, strides=2, padding="same",
                                          depth_multiplier=2),
        "s2": tf.layers.separable_conv2d(x2, 5, 3),
        "s2m": tf.layers.separable_conv2d(x2, 4, [3, 2], strides=2, padding="same",
                                          depth_multiplier=2, activation=tf.nn.relu),
        "s2d": tf.layers.separable_conv2d(x2, 2, 3, dilation_rate=2, padding="same"),
    })


@case
def pooling_layers(tf, inp):
    x1 = inp([2, 9, 3])
    x2 = inp([2, 9, 8, 3])
    x3 = inp([2, 5, 6, 7, 2])
    return Case({
        "m1": tf.layers.max_pooling1d(x1, 2, 2),
        "a1": tf.layers.average_pooling1d(x1, 3, 2, padding="same"),
        "m2": tf.layers.max_pooling2d(x2, [3, 2], 2, padding="SAME"),
        "a2": tf.layers.average_pooling2d(x2, 2, [2, 3]),
        "a2s": tf.layers.average_pooling2d(x2, 3, 2, padding="same"),
        "m3": tf.layers.max_pooling3d(x3, 2, 2),
        "a3": tf.layers.average_pooling3d(x3, [2, 3, 2], [1, 2, 2], padding="same"),
        "M2": tf.layers.MaxPooling2D(2, 2)(x2),
    })


@case
def flatten_and_dropout(tf, inp):
    x = inp([None, 3, 4, 2], [2, 3, 4, 2])
    xs = inp([2, 3, 4])
    flat = tf.layers.flatten(x)
    flat_static = tf.layers.flatten(xs)
    flat_cf = tf.layers.flatten(x, data_format="channels_first")
    d_inf = tf.layers.dropout(x, rate=0.5)
    d_train = tf.layers.dropout(xs, rate=0.25, training=True)
    ok = tf.reduce_all(tf.logical_or(tf.equal(d_train, 0.0),
                                     tf.abs(d_train - xs / 0.75) < 1e-5))
    training = tf.placeholder(tf.bool, [])
    d_t = tf.layers.dropout(xs, rate=0.5, training=training)
    ns = tf.layers.dropout(xs, rate=0.5, noise_shape=[2, 1, 4], training=True)
    dropped = tf.cast(tf.equal(ns, 0.0), tf.float32)  # same along axis 1 (noise_shape 1)
    ns_ok = tf.reduce_all(tf.equal(tf.reduce_min(dropped, 1), tf.reduce_max(dropped, 1)))
    ns_none = tf.layers.dropout(xs, rate=0.5, noise_shape=[None, 1, None], training=True)
    return Case({"flat": flat, "flat_static": flat_static, "flat_cf": flat_cf, "d_inf": d_inf,
                 "ok": ok, "d_t": d_t, "ns": ns, "ns_ok": ns_ok, "ns_none": ns_none},
                feeds={training: False}, random={"ns", "ns_none"})


@case
def channels_first(tf, inp):
    x = inp([2, 3, 7, 6])
    x1 = inp([2, 3, 9])
    outs = {
        "conv": tf.layers.conv2d(x, 4, 3, data_format="channels_first"),
        "conv_same": tf.layers.conv2d(x, 2, [2, 3], strides=2, padding="same",
                                      data_format="channels_first"),
        "conv1": tf.layers.conv1d(x1, 2, 3, data_format="channels_first"),
        "tconv": tf.layers.conv2d_transpose(x, 2, 3, strides=2, padding="same",
                                            data_format="channels_first"),
        "pool1": tf.layers.max_pooling1d(x1, 2, 2, data_format="channels_first"),
        "flat": tf.layers.flatten(x, data_format="channels_first"),
        "bn": tf.layers.batch_normalization(x, axis=1, training=True),
    }
    return Case(outs)


@case
def channels_first_nchw_ops(tf, inp):
    """Layers whose TF kernels take NCHW directly (TF's CPU kernels do not run these)."""
    x = inp([2, 3, 7, 6])
    return Case({
        "mpool": tf.layers.max_pooling2d(x, 2, 2, data_format="channels_first"),
        "apool": tf.layers.average_pooling2d(x, 3, 2, padding="same",
                                             data_format="channels_first"),
        "sep": tf.layers.separable_conv2d(x, 2, 3, data_format="channels_first"),
    })


# --- batch normalization --------------------------------------------------------------------------
@case
def bn_slide(tf, inp):
    """The deck's program: 2-D input, axis=1, momentum=0.9, training placeholder."""
    x = tf.placeholder(tf.float32, shape=(3, 1), name="x")
    tr = tf.placeholder(tf.bool, shape=())
    y = tf.layers.batch_normalization(x, axis=1, momentum=0.9, training=tr)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    batch = np.arange(3).reshape([3, 1]).astype(np.float32)
    steps = []
    for _ in range(4):
        steps.append(({"y": y, "up0": update_ops[0], "up1": update_ops[1]},
                      {x: batch, tr: True}))
        steps.append(({"y_inf": y}, {x: batch, tr: False}))
    return Case({"y": y}, feeds={x: batch, tr: False}, steps=steps, load_weights=False)


def _bn_steps(tf, inp, x_shape, n_steps=3, **kwargs):
    x = tf.placeholder(tf.float32, x_shape)
    tr = tf.placeholder(tf.bool, shape=())
    y = tf.layers.batch_normalization(x, training=tr, **kwargs)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    steps = []
    for i in range(n_steps):
        batch = (inp.rng.standard_normal(x_shape) * (1 + i) + i).astype(np.float32)
        fetch = {"y": y}
        for j, u in enumerate(update_ops):
            fetch["up%d" % j] = u
        steps.append((fetch, {x: batch, tr: True}))
        steps.append(({"y_inf": y}, {x: batch, tr: False}))
    first = inp.rng.standard_normal(x_shape).astype(np.float32)
    return Case({"y": y}, feeds={x: first, tr: False}, steps=steps)


@case
def bn_fused_nhwc(tf, inp):
    return _bn_steps(tf, inp, [4, 3, 3, 2], momentum=0.8)


@case
def bn_fused_nchw(tf, inp):
    return _bn_steps(tf, inp, [4, 2, 3, 3], axis=1, momentum=0.8, epsilon=1e-2)


@case
def bn_nonfused_3d(tf, inp):
    return _bn_steps(tf, inp, [4, 5, 3], momentum=0.5)


@case
def bn_fused_false(tf, inp):
    return _bn_steps(tf, inp, [4, 3, 3, 2], momentum=0.8, fused=False)


@case
def bn_no_center_scale(tf, inp):
    return _bn_steps(tf, inp, [6, 3], center=False, scale=False, momentum=0.7)


@case
def bn_multi_axis(tf, inp):
    return _bn_steps(tf, inp, [4, 3, 2, 2], axis=[1, 3], momentum=0.6)


@case
def bn_renorm(tf, inp):
    return _bn_steps(tf, inp, [8, 3], renorm=True, momentum=0.9, renorm_momentum=0.5,
                     renorm_clipping={"rmax": 1.5, "rmin": 0.5, "dmax": 0.3})


@case
def bn_virtual_batch(tf, inp):
    return _bn_steps(tf, inp, [8, 3], virtual_batch_size=4, momentum=0.5)


@case
def bn_virtual_batch_static(tf, inp):
    x = inp([8, 3])
    y = tf.layers.batch_normalization(x, virtual_batch_size=4, momentum=0.5, training=True)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    return Case({"y": y}, steps=[({"u%d" % i: u for i, u in enumerate(update_ops)}, {})] * 2)


@case
def bn_static_training(tf, inp):
    x = inp([5, 4])
    y_train = tf.layers.batch_normalization(x, momentum=0.5, training=True)
    img = inp([3, 2, 2, 4])
    y_img = tf.layers.batch_normalization(img, momentum=0.5, training=True,
                                          beta_initializer=tf.constant_initializer(0.3))
    y_inf = tf.layers.batch_normalization(x, training=False)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    return Case({"y_train": y_train, "y_img": y_img, "y_inf": y_inf},
                steps=[({"u%d" % i: u for i, u in enumerate(update_ops)}, {})] * 2)


# --- gradients, training, odds and ends ---------------------------------------------------------
def _loss_and_grads(tf, inp, ys):
    """sum(y * c) over the outputs, and its gradients w.r.t. the inputs and every trainable
    variable."""
    loss = 0.0
    for y in ys:
        c = inp.rng.standard_normal(y.get_shape().as_list()).astype(np.float32)
        loss = loss + tf.reduce_sum(y * c)
    xs = [ph for ph in inp.feeds]
    wrt = xs + tf.trainable_variables()
    grads = tf.gradients(loss, wrt)
    outs = {"loss": loss}
    for i, g in enumerate(grads):
        outs["g%02d" % i] = g
    return outs


@case
def gradients_conv(tf, inp):
    x = inp([2, 7, 6, 3])
    ys = [tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu),
          tf.layers.conv2d(x, 2, [3, 2], strides=2),
          tf.layers.conv2d_transpose(x, 2, 3, strides=2, padding="same"),
          tf.layers.separable_conv2d(x, 3, 3, depth_multiplier=2),
          tf.layers.max_pooling2d(x, 2, 2),
          tf.layers.average_pooling2d(x, 3, 2, padding="same"),
          tf.layers.dense(tf.layers.flatten(x), 3)]
    return Case(_loss_and_grads(tf, inp, ys))


@case
def gradients_batch_norm(tf, inp):
    x = inp([4, 3, 3, 2])
    x2 = inp([5, 3])
    tr = tf.placeholder(tf.bool, [])
    ys = [tf.layers.batch_normalization(x, training=tr),
          tf.layers.batch_normalization(x2, training=tr, momentum=0.5),
          tf.layers.batch_normalization(x2, training=True, renorm=True)]
    outs = _loss_and_grads(tf, inp, ys)
    # Gradient names follow TF's cond structure (cond_grad/...), not recorded.
    return Case(outs, feeds={tr: True}, steps=[(outs, {tr: False})],
                anonymous={k for k in outs if k.startswith("g")})


@case
def training_loop(tf, inp):
    x = inp([4, 6, 6, 2])
    target = inp([4, 3])
    tr = tf.placeholder(tf.bool, [])
    h = tf.layers.conv2d(x, 4, 3, padding="same")
    h = tf.nn.relu(tf.layers.batch_normalization(h, training=tr, momentum=0.5))
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.dropout(h, rate=0.5, training=False)
    y = tf.layers.dense(tf.layers.flatten(h), 3)
    loss = tf.reduce_mean(tf.square(y - target))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    steps = [({"loss": loss, "train": train_op}, {tr: True}) for _ in range(3)]
    steps.append(({"loss": loss, "y": y}, {tr: False}))
    return Case({"loss": loss}, feeds={tr: True}, steps=steps)


@case
def misc_layers(tf, inp):
    x1 = inp([2, 8, 3])
    x5 = inp([2, 3, 4, 5, 2])
    x64 = tf.placeholder(tf.float64, [2, 3])
    outs = {
        "causal": tf.layers.conv1d(x1, 2, 3, padding="causal", dilation_rate=2),
        "sep_causal": tf.layers.separable_conv1d(x1, 2, 3, padding="causal"),
        "act_str": tf.layers.dense(x1, 2, activation="relu"),
        "conv3_cf": tf.layers.conv3d(x5, 3, 2, data_format="channels_first"),
        "pool3_cf": tf.layers.max_pooling3d(x5, 2, 1, data_format="channels_first"),
        "bn5": tf.layers.batch_normalization(x5, training=True),
        "bn5_cf": tf.layers.batch_normalization(x5, axis=1, training=True),
        "d64": tf.layers.dense(x64, 2),
        "nobias": tf.layers.conv2d(tf.reshape(x1, [2, 4, 2, 3]), 2, 1, use_bias=False),
    }
    feeds = {x64: np.arange(6.0).reshape(2, 3)}
    layer = tf.layers.Conv2D(3, [3, 2], strides=(2, 1), padding="same")
    img = inp([None, 7, 5, 2], [2, 7, 5, 2])
    out = layer(img)
    meta = {"computed": layer.compute_output_shape([None, 7, 5, 2]).as_list(),
            "count_params": layer.count_params(),
            "dtypes": [outs["d64"].dtype.name,
                       tf.trainable_variables()[-1].dtype.base_dtype.name]}
    outs["out"] = out
    return Case(outs, feeds=feeds, meta=meta)
