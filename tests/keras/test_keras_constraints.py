"""tf.keras.constraints against tf_keras 2.x values, their (de)serialization, and
kernel_constraint/bias_constraint applied after each optimizer step of `fit`."""

import numpy as np
import pytest
from gradcheck import check_gradients
from keras_extras_cases import CASES, VALUES, evaluate

import tensorflux as tf

C = tf.keras.constraints


@pytest.mark.parametrize("name", sorted(CASES["constraint"]))
def test_constraint_matches_tf_keras(name):
    got = evaluate(CASES["constraint"][name])
    np.testing.assert_allclose(got, VALUES["constraint/" + name], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("constraint", [C.MaxNorm(1.0), C.UnitNorm(axis=1),
                                        C.MinMaxNorm(0.5, 1.0, rate=0.7), C.NonNeg()])
def test_constraint_gradients(constraint):
    w = np.random.RandomState(0).randn(4, 3)
    check_gradients(lambda t: constraint(t), {"w": w})


def test_aliases_get_and_serialization_round_trip():
    assert C.max_norm is C.MaxNorm and C.non_neg is C.NonNeg
    assert C.unit_norm is C.UnitNorm and C.min_max_norm is C.MinMaxNorm
    assert isinstance(C.get("max_norm"), C.MaxNorm)
    assert isinstance(C.get("nonneg"), C.NonNeg)
    assert C.get(None) is None
    fn = lambda w: w  # noqa: E731
    assert C.get(fn) is fn
    cfg = C.serialize(C.MinMaxNorm(0.1, 2.0, rate=0.5, axis=[0, 1]))
    assert cfg == {"module": "keras.constraints", "class_name": "MinMaxNorm",
                   "config": {"min_value": 0.1, "max_value": 2.0, "rate": 0.5,
                              "axis": [0, 1]}, "registered_name": None}
    back = C.get(cfg)
    assert isinstance(back, C.MinMaxNorm) and back.get_config() == cfg["config"]
    assert C.serialize(None) is None
    with pytest.raises(ValueError, match="Unknown constraint: 'foo'"):
        C.get("foo")
    with pytest.raises(ValueError, match="Could not interpret constraint"):
        C.get(3)


def test_custom_constraint_through_custom_object_scope():
    class Clip(C.Constraint):
        def __call__(self, w):
            return tf.clip_by_value(w, -0.1, 0.1)

    with pytest.raises(ValueError, match="Unknown constraint"):
        C.deserialize({"class_name": "Clip", "config": {}})
    with tf.keras.utils.custom_object_scope({"Clip": Clip}):
        assert isinstance(C.deserialize({"class_name": "Clip", "config": {}}), Clip)
    assert isinstance(C.deserialize({"class_name": "Clip", "config": {}},
                                    custom_objects={"Clip": Clip}), Clip)


def test_constraints_applied_after_each_fit_step():
    with tf.Graph().as_default():
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(3, input_shape=(4,), kernel_constraint="max_norm",
                                  bias_constraint=C.NonNeg()),
            tf.keras.layers.Dense(1, kernel_constraint=C.UnitNorm())])
        model.compile(tf.keras.optimizers.SGD(1.0), "mse")
        rng = np.random.RandomState(0)
        x = (rng.randn(32, 4) * 10).astype(np.float32)
        y = (rng.randn(32, 1) * 10).astype(np.float32)
        model.fit(x, y, epochs=2, batch_size=8, verbose=0)
        kernel, bias = model.layers[0].get_weights()
        assert np.all(np.sqrt((kernel ** 2).sum(0)) <= 2.0 + 1e-5)
        assert np.all(bias >= 0)
        out_kernel = model.layers[1].get_weights()[0]
        np.testing.assert_allclose(np.sqrt((out_kernel ** 2).sum(0)), 1.0, rtol=1e-5)


def test_layer_configs_hold_constraints():
    dense = tf.keras.layers.Dense(2, kernel_constraint=C.MaxNorm(3))
    cfg = dense.get_config()
    assert cfg["kernel_constraint"]["class_name"] == "MaxNorm"
    assert cfg["kernel_constraint"]["config"] == {"max_value": 3, "axis": 0}
    assert cfg["bias_constraint"] is None
    again = tf.keras.layers.Dense.from_config(cfg)
    assert isinstance(again.kernel_constraint, C.MaxNorm)
    conv = tf.keras.layers.Conv2D(2, 3, kernel_constraint="unit_norm")
    assert isinstance(conv.kernel_constraint, C.UnitNorm)
    assert conv.get_config()["kernel_constraint"]["class_name"] == "UnitNorm"
    depthwise = tf.keras.layers.DepthwiseConv2D(3, depthwise_constraint="non_neg")
    assert isinstance(depthwise.depthwise_constraint, C.NonNeg)
