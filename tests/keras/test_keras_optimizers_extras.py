"""tf.keras.optimizers Adadelta, Adamax and Nadam: trajectories on a quadratic against tf_keras
2.x, names and configs, use in compile/fit, and constraints applied after each step."""

import numpy as np
import pytest
from keras_extras_cases import CASES, VALUES

import tensorflux as tf

K = tf.keras.backend
OPT = CASES["optimizer"]


def _keras_expr(expr):
    """tf_keras' `keras.optimizers.legacy.X(...)` as `tf.keras.optimizers.X(...)`."""
    return expr.replace("keras.optimizers.legacy.", "tf.keras.optimizers.")


@pytest.mark.parametrize("name", sorted(OPT))
def test_trajectory_matches_tf_keras(name):
    g = tf.Graph()
    with g.as_default(), tf.Session(graph=g) as sess:
        w = tf.Variable(np.array(CASES["w0"], np.float32), name="w")
        loss = tf.reduce_sum(np.float32(CASES["scale"]) * tf.square(
            w - np.float32(CASES["target"])))
        opt = eval(_keras_expr(OPT[name]), {"tf": tf})
        train = opt.get_updates(loss, [w])
        sess.run(tf.global_variables_initializer())
        traj = []
        for _ in range(CASES["steps"]):
            sess.run(train)
            traj.append(sess.run(w))
    np.testing.assert_allclose(traj, VALUES["optimizer/" + name], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,cls,config", [
    ("adadelta", tf.keras.optimizers.Adadelta,
     {"name": "Adadelta", "learning_rate": 0.001, "decay": 0.0, "rho": 0.95, "epsilon": 1e-7}),
    ("adamax", tf.keras.optimizers.Adamax,
     {"name": "Adamax", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
      "epsilon": 1e-7}),
    ("nadam", tf.keras.optimizers.Nadam,
     {"name": "Nadam", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
      "epsilon": 1e-7}),
])
def test_get_config_and_round_trip(name, cls, config):
    opt = tf.keras.optimizers.get(name)
    assert type(opt) is cls
    got = opt.get_config()
    assert got == pytest.approx(config) and list(got) == list(config)
    again = tf.keras.optimizers.deserialize(tf.keras.optimizers.serialize(opt))
    assert type(again) is cls and again.get_config() == pytest.approx(config)
    assert cls(lr=0.5).get_config()["learning_rate"] == 0.5


@pytest.mark.parametrize("opt", ["adadelta", "adamax", "nadam"])
def test_fit_and_learning_rate_variable(opt):
    np.random.seed(0)  # fit's shuffling
    with tf.Graph().as_default():
        tf.set_random_seed(1)  # the initial weights: the loss must fall from the same start
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
        optimizer = {"adadelta": tf.keras.optimizers.Adadelta(1.0),
                     "adamax": tf.keras.optimizers.Adamax(0.05),
                     "nadam": tf.keras.optimizers.Nadam(0.05)}[opt]
        model.compile(optimizer, "mse")
        rng = np.random.RandomState(0)
        x = rng.rand(64, 3).astype(np.float32)
        y = x @ np.array([[1.0], [-2.0], [0.5]], np.float32)
        hist = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
        first, last = hist.history["loss"][0], hist.history["loss"][-1]
        assert last < (0.95 if opt == "adadelta" else 0.5) * first   # Adadelta starts slowly
        K.set_value(model.optimizer.lr, 0.0)   # a zero learning rate freezes the weights
        before = model.get_weights()
        model.fit(x, y, epochs=1, verbose=0)
        for a, b in zip(before, model.get_weights()):
            np.testing.assert_array_equal(a, b)


def test_slot_and_accumulator_variables_are_initialized_by_keras():
    with tf.Graph().as_default():
        w = K.variable(np.ones(2), name="w")
        opt = tf.keras.optimizers.Nadam()
        updates = opt.get_updates(tf.reduce_sum(tf.square(w)), [w])
        names = sorted(v.op.name for v in opt._optimizer.variables())
        assert names == ["iterations", "m_cache", "w/Nadam", "w/Nadam_1"]
        K.get_session().run(updates)   # no explicit initializer: the Keras session does it
        assert K.get_value(opt._optimizer._accumulators()[1]) == 1.0
