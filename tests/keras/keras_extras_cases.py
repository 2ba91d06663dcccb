"""Shared loader for the tf_keras fixtures in tests/fixtures/keras_extras (not a test file)."""

import json
import os
import types

import numpy as np

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_extras")
INPUTS = dict(np.load(os.path.join(FIXTURES, "inputs.npz")))
VALUES = dict(np.load(os.path.join(FIXTURES, "values.npz")))
with open(os.path.join(FIXTURES, "values.json")) as f:
    CASES = json.load(f)


def scope(graph_inputs=INPUTS):
    """The names a fixture expression sees: `K`, `losses`, ..., and one constant per input."""
    K = tf.keras.backend
    out = {"K": K, "tf": tf, "np": np, "losses": tf.keras.losses, "metrics": tf.keras.metrics,
           "constraints": tf.keras.constraints, "keras": tf.keras,
           "N": types.SimpleNamespace(**graph_inputs)}
    for k, v in graph_inputs.items():
        out[k] = tf.constant(v) if v.dtype == bool else K.constant(v, dtype=v.dtype.name)
    return out


def evaluate(expr):
    """The value of a fixture expression in a fresh graph and session (lists stay lists)."""
    g = tf.Graph()
    with g.as_default(), tf.Session(graph=g) as sess:
        out = eval(expr, scope())
        sess.run(tf.global_variables_initializer())
        return sess.run(out)
