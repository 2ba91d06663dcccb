"""Keras graphs written once against the TF 1.x `tf.keras` API, run by real TensorFlow's Keras
(tf_keras in graph mode, to make fixtures: `tools/fixtures/gen_keras.py`) and by tensorflux
(`test_keras_vs_tf.py`).

`run_case(tf, name)` clears the Keras session, builds case `name`, loads deterministic weights
with `set_weights`, runs it and returns `(meta, arrays)`: names, shapes and parameter counts in
`meta`, computed values in `arrays`.
"""

import zlib

import numpy as np

CASES = {}


def weight_value(name, shape):
    rng = np.random.RandomState(zlib.crc32(name.encode()))
    if "variance" in name:
        return rng.uniform(0.5, 1.5, shape).astype(np.float32)
    return rng.uniform(-0.5, 0.5, shape).astype(np.float32)


def input_value(key, shape):
    rng = np.random.RandomState(zlib.crc32(key.encode()))
    return rng.standard_normal(shape).astype(np.float32)


def _layer(ctor, shapes, **call_kwargs):
    def build(tf):
        xs = [tf.placeholder(tf.float32, [None] + list(s)) for s in shapes]
        layer = ctor(tf.keras.layers)
        y = layer(xs if len(xs) > 1 else xs[0], **call_kwargs)
        return layer, xs, y
    return build


LAYERS = {
    "dense": _layer(lambda L: L.Dense(3, activation="relu"), [(4,)]),
    "dense_3d_no_bias": _layer(lambda L: L.Dense(2, use_bias=False), [(3, 4)]),
    "conv1d": _layer(lambda L: L.Conv1D(3, 2, strides=2, padding="same"), [(7, 2)]),
    "conv2d": _layer(lambda L: L.Conv2D(4, 3, activation="relu"), [(6, 6, 2)]),
    "conv2d_same_strided": _layer(lambda L: L.Conv2D(2, (3, 2), strides=2, padding="same"),
                                  [(7, 5, 3)]),
    "conv2d_transpose": _layer(lambda L: L.Conv2DTranspose(3, 3, strides=2), [(3, 4, 2)]),
    "separable_conv2d": _layer(lambda L: L.SeparableConv2D(4, 3, depth_multiplier=2),
                               [(5, 5, 3)]),
    "depthwise_conv2d": _layer(lambda L: L.DepthwiseConv2D(3, depth_multiplier=2,
                                                           padding="same"), [(5, 4, 3)]),
    "max_pooling1d": _layer(lambda L: L.MaxPooling1D(), [(6, 3)]),
    "average_pooling1d": _layer(lambda L: L.AveragePooling1D(3, strides=1), [(6, 3)]),
    "max_pooling2d": _layer(lambda L: L.MaxPooling2D(), [(5, 6, 2)]),
    "average_pooling2d": _layer(lambda L: L.AveragePooling2D(3, 2, padding="same"),
                                [(5, 6, 2)]),
    "global_average_pooling2d": _layer(lambda L: L.GlobalAveragePooling2D(), [(3, 4, 5)]),
    "global_max_pooling2d": _layer(lambda L: L.GlobalMaxPooling2D(), [(3, 4, 5)]),
    "flatten": _layer(lambda L: L.Flatten(), [(2, 3, 4)]),
    "reshape": _layer(lambda L: L.Reshape((3, -1)), [(2, 3, 2)]),
    "dropout_inference": _layer(lambda L: L.Dropout(0.5), [(5,)]),
    "batch_normalization_inference": _layer(lambda L: L.BatchNormalization(), [(3, 3, 4)]),
    "batch_normalization_training": _layer(lambda L: L.BatchNormalization(momentum=0.9),
                                           [(3, 3, 4)], training=True),
    "batch_normalization_2d": _layer(lambda L: L.BatchNormalization(), [(5,)],
                                     training=True),
    "activation_tanh": _layer(lambda L: L.Activation("tanh"), [(4,)]),
    "relu_max_value": _layer(lambda L: L.ReLU(max_value=0.5), [(6,)]),
    "leaky_relu": _layer(lambda L: L.LeakyReLU(), [(6,)]),
    "softmax": _layer(lambda L: L.Softmax(), [(5,)]),
    "concatenate": _layer(lambda L: L.Concatenate(), [(2, 3), (2, 4)]),
    "add": _layer(lambda L: L.Add(), [(3,), (3,), (3,)]),
    "multiply": _layer(lambda L: L.Multiply(), [(3,), (3,)]),
    "zero_padding2d": _layer(lambda L: L.ZeroPadding2D(((1, 0), (2, 1))), [(2, 3, 1)]),
    "up_sampling2d": _layer(lambda L: L.UpSampling2D((2, 3)), [(2, 3, 2)]),
    "lambda": _layer(lambda L: L.Lambda(lambda t: t * 2.0 + 1.0), [(3,)]),
}


def _shape(t):
    s = t.get_shape()
    return None if s.ndims is None else s.as_list()


def _load_weights(tf, weights):
    tf.keras.backend.batch_set_value(
        [(w, weight_value(w.name, w.get_shape().as_list())) for w in weights])


def run_layer_case(tf, name):
    tf.keras.backend.clear_session()
    layer, xs, y = LAYERS[name](tf)
    sess = tf.keras.backend.get_session()
    _load_weights(tf, layer.weights)
    feeds = {x: input_value("%s/%d" % (name, i), [2] + x.get_shape().as_list()[1:])
             for i, x in enumerate(xs)}
    arrays = {"output": sess.run(y, feeds)}
    if layer.updates:
        sess.run(layer.updates, feeds)
        arrays.update(("final/" + w.name, v) for w, v in zip(layer.weights,
                                                               sess.run(layer.weights)))
    meta = {"layer": layer.name, "output": {"name": y.name, "shape": _shape(y)},
            "weights": [[w.name, _shape(w), w in layer.trainable_weights]
                        for w in layer.weights],
            "count_params": int(layer.count_params()), "n_updates": len(layer.updates)}
    return meta, arrays


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def _summary(model):
    lines = []
    model.summary(print_fn=lines.append)
    rows = []
    for layer in model.layers:
        rows.append([layer.name, type(layer).__name__, str(layer.output_shape),
                     int(layer.count_params())])
    return {"rows": rows, "total": [ln for ln in lines if ln.strip().startswith(
        ("Total", "Trainable", "Non-trainable"))]}


@case
def names_and_reuse(tf):
    """Layer names, variable names (name scopes uniquified by the graph) and call op names."""
    L = tf.keras.layers
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    h = L.Conv2D(4, 3, activation="relu")(x)
    h = L.BatchNormalization()(h)
    h = L.MaxPooling2D()(h)
    flat, dense = L.Flatten(), L.Dense(10)
    y1, y2 = dense(flat(h)), dense(flat(h))
    later = L.Dense(2, name="dense_1")
    y3 = later(y1)
    return {"variables": [v.name for v in tf.global_variables()],
            "outputs": [t.name for t in (h, y1, y2, y3)],
            "layers": [flat.name, dense.name, later.name]}, {}


def _mlp(tf, with_bn):
    L = tf.keras.layers
    stack = [L.Dense(6, activation="relu", input_shape=(4,))]
    if with_bn:
        stack.append(L.BatchNormalization())
    stack += [L.Dropout(0.0), L.Dense(3, activation="softmax")]
    return tf.keras.Sequential(stack)


def _data(n=20):
    x = input_value("fit/x", [n, 4])
    y = (np.abs(x[:, 0] * 3).astype(np.int64) % 3)
    return x, y


@case
def sequential_summary(tf):
    model = _mlp(tf, with_bn=True)
    meta = _summary(model)
    meta.update(name=model.name, count=int(model.count_params()),
                weights=[w.name for w in model.weights], input=model.inputs[0].name)
    return meta, {}


@case
def functional_summary(tf):
    L = tf.keras.layers
    a = tf.keras.Input(shape=(5,))
    b = tf.keras.Input(shape=(3,), name="side")
    h = L.Dense(4, activation="relu")(a)
    merged = L.Concatenate()([h, b])
    out = L.Dense(2, name="head")(merged)
    model = tf.keras.Model(inputs=[a, b], outputs=out)
    meta = _summary(model)
    meta.update(name=model.name, count=int(model.count_params()),
                inputs=[t.name for t in model.inputs])
    return meta, {}


def _fit(tf, optimizer, with_bn, **fit_kwargs):
    model = _mlp(tf, with_bn)
    _load_weights(tf, model.weights)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x, y = _data()
    vx, vy = _data(7)
    history = model.fit(x, y, batch_size=6, epochs=3, shuffle=False, verbose=0,
                        validation_data=(vx * 0.5, vy), **fit_kwargs)
    hist = {("acc" if k == "accuracy" else k.replace("val_accuracy", "val_acc")): v
            for k, v in history.history.items()}
    arrays = {"history/" + k: np.asarray(v) for k, v in hist.items()}
    arrays["evaluate"] = np.asarray(model.evaluate(vx, vy, verbose=0, batch_size=4))
    arrays["predict"] = model.predict(vx, batch_size=3)
    # Only the loss: tf_keras's batch accuracy here also counts the evaluate() samples above.
    arrays["train_on_batch_loss"] = np.asarray(model.train_on_batch(x[:5], y[:5])[0])
    arrays.update(("final/" + w.name, v) for w, v in zip(model.weights, model.get_weights()))
    return {"history_keys": sorted(hist)}, arrays


@case
def fit_sgd(tf):
    return _fit(tf, tf.keras.optimizers.SGD(0.1), with_bn=False)


@case
def fit_sgd_momentum_batchnorm(tf):
    return _fit(tf, tf.keras.optimizers.SGD(0.05, momentum=0.9), with_bn=True)


@case
def fit_adam(tf):
    return _fit(tf, tf.keras.optimizers.Adam(0.01), with_bn=False)


def run_case(tf, name):
    if name in LAYERS:
        return run_layer_case(tf, name)
    tf.keras.backend.clear_session()
    return CASES[name](tf)


ALL = sorted(LAYERS) + sorted(CASES)
