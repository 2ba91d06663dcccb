"""Tiny compiled models for the stateful-metrics fixtures, written once for any Keras (tf_keras
or tensorflux's): tools/fixtures/gen_keras_stateful_metrics.py trains them with tf_keras,
test_keras_stateful_metrics.py with tensorflux, and the two compare `History` and `evaluate`.

Each case: `build(keras, sgd)` returns the compiled model (`sgd(lr)` makes the optimizer), and
`data(seed)` the arrays. Weights are set from the fixture, the fit runs with `shuffle=False`.
"""

import numpy as np


def _binary_model(keras, units=1, activation="sigmoid", inputs=3):
    x = keras.Input((inputs,))
    return keras.Model(x, keras.layers.Dense(units, activation=activation)(x))


def build_binary(keras, sgd):
    """Sigmoid output, SGD lr 0: metrics are a fixed function of the data."""
    m = keras.metrics
    model = _binary_model(keras)
    model.compile(sgd(0.0), "binary_crossentropy",
                  metrics=[m.AUC(num_thresholds=50), m.Precision(), m.Recall(),
                           m.Precision(thresholds=0.3), m.AUC(num_thresholds=20, name="my_auc"),
                           "accuracy"])
    return model


def build_binary_lr(keras, sgd):
    """Sigmoid output, SGD lr 0.5: the weights move between batches."""
    m = keras.metrics
    model = _binary_model(keras)
    model.compile(sgd(0.5), "binary_crossentropy",
                  metrics=[m.AUC(num_thresholds=50), "accuracy", m.Recall()])
    return model


def build_iou(keras, sgd):
    """ReLU output in [0, 2): `MeanIoU` reads the truncated value as the class."""
    model = _binary_model(keras, activation="relu")
    model.compile(sgd(0.0), "mse", metrics=[keras.metrics.MeanIoU(num_classes=2), "mae"])
    return model


def build_softmax(keras, sgd):
    """Three-class softmax: string and object accuracies side by side, AUC, class precision."""
    m = keras.metrics
    model = _binary_model(keras, units=3, activation="softmax", inputs=4)
    model.compile(sgd(0.0), "categorical_crossentropy",
                  metrics=["accuracy", m.CategoricalAccuracy(), m.AUC(num_thresholds=50),
                           m.Precision(class_id=1, name="p1")])
    return model


def data(name, n, seed):
    """Inputs and targets for case `name` (`n` samples)."""
    rng = np.random.RandomState(seed)
    if name == "softmax":
        x = rng.uniform(-1.0, 1.0, (n, 4)).astype(np.float32)
        labels = (np.argmax(x[:, :3] + rng.normal(0.0, 0.7, (n, 3)), axis=1))
        return x, np.eye(3, dtype=np.float32)[labels]
    if name == "iou":
        x = rng.uniform(0.0, 1.0, (n, 3)).astype(np.float32)
        y = (x.sum(axis=1) + rng.normal(0.0, 0.4, n) > 1.5).astype(np.float32)[:, None]
        return x, y
    x = rng.uniform(-1.0, 1.0, (n, 3)).astype(np.float32)
    y = (x[:, 0] - x[:, 1] + rng.normal(0.0, 0.6, n) > 0).astype(np.float32)[:, None]
    return x, y


def weights(name, seed=7):
    """Fixed weights (kernel, bias) for case `name`."""
    rng = np.random.RandomState(seed)
    if name == "softmax":
        return [rng.uniform(-1.0, 1.0, (4, 3)).astype(np.float32),
                np.array([0.1, -0.1, 0.0], np.float32)]
    if name == "iou":
        return [np.array([[0.6], [0.55], [0.5]], np.float32), np.array([0.05], np.float32)]
    return [np.array([[1.2], [-0.9], [0.3]], np.float32), np.array([0.1], np.float32)]


CASES = {"binary": build_binary, "binary_lr": build_binary_lr, "iou": build_iou,
         "softmax": build_softmax}
FIT = {"batch_size": 6, "epochs": 2, "shuffle": False, "verbose": 0}
EVAL_BATCH = 7
N_TRAIN, N_VAL = 20, 10
