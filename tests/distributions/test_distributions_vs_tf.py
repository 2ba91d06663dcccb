"""tf.distributions against real TF 1.x (fixtures from tools/fixtures/gen_distributions.py):
values, shapes, gradients and the names of the tensors every method returns."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "distributions",
                   "distributions.json")
with open(FIX) as _f:
    DATA = json.load(_f)
CASES = DATA["cases"]
KL = DATA["kl"]
MISC = DATA["misc"]


def _make(cls, params, kwargs, dtype):
    args = {k: tf.constant(np.asarray(v), dtype=dtype, name=k) for k, v in params.items()}
    other = {k: tf.constant(np.asarray(v), dtype=dtype) for k, v in kwargs.items()}
    return getattr(tf.distributions, cls)(**args, **other), args


def _x_tensor(case, d):
    if case["cls"] in ("Bernoulli", "Categorical"):
        return tf.constant(np.asarray(case["x"]), dtype=tf.int32)
    return tf.constant(np.asarray(case["x"]), dtype=d.dtype)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_shapes(name):
    case = CASES[name]
    with tf.Graph().as_default():
        d, _ = _make(case["cls"], case["params"], case["kwargs"], tf.float64)
        assert d.batch_shape.as_list() == case["batch_shape"]
        assert d.event_shape.as_list() == case["event_shape"]
        assert ((d.reparameterization_type == tf.distributions.FULLY_REPARAMETERIZED)
                == case["reparameterized"])
        x = _x_tensor(case, d)
        tensors = {}
        for m, want in case["values"].items():
            t = getattr(d, m)(x) if m in case["names"] and _takes_x(m) else getattr(d, m)()
            tensors[m] = t
            assert t.shape.as_list() == list(np.shape(want)), m
        with tf.Session() as sess:
            got = sess.run(tensors)
        for m, want in case["values"].items():
            np.testing.assert_allclose(got[m], np.asarray(want, np.float64), rtol=1e-6,
                                       atol=1e-9, err_msg="%s.%s" % (name, m))
            assert got[m].dtype == tensors[m].dtype.as_numpy_dtype


def _takes_x(method):
    return method in ("log_prob", "prob", "cdf", "log_cdf", "survival_function",
                      "log_survival_function", "quantile")


@pytest.mark.parametrize("name", sorted(n for n in CASES if CASES[n]["grads"]))
def test_gradients_match_tf(name):
    case = CASES[name]
    with tf.Graph().as_default():
        d, args = _make(case["cls"], case["params"], case["kwargs"], tf.float64)
        x = _x_tensor(case, d)
        fetch = {}
        for m, want in case["grads"].items():
            out = getattr(d, m)(x) if _takes_x(m) else getattr(d, m)()
            gs = tf.gradients(tf.reduce_sum(out), list(args.values()))
            fetch[m] = {k: g for k, g in zip(args, gs) if k in want}
            assert all(g is not None for g in fetch[m].values()), m
        with tf.Session() as sess:
            got = sess.run(fetch)
        for m, want in case["grads"].items():
            for k, v in want.items():
                np.testing.assert_allclose(got[m][k], v, rtol=1e-6, atol=1e-9,
                                           err_msg="%s d%s/d%s" % (name, m, k))


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_names_and_sample_shapes(name):
    case = CASES[name]
    names = case["names"]
    cls = case["cls"]
    with tf.Graph().as_default():
        d, _ = _make(case["cls"], case["params"], case["kwargs"], tf.float32)
        x = tf.constant(np.asarray(case["x"]), dtype=d.dtype if d.dtype.is_floating
                        else tf.int32)
        got = {"sample": d.sample(2, seed=1).name}
        for m in names:
            if m in ("sample", "sample_shape", "batch_shape_tensor"):
                continue
            got[m] = (getattr(d, m)(x) if _takes_x(m) else getattr(d, m)()).name
        got["batch_shape_tensor"] = d.batch_shape_tensor().name
        assert d.sample([2, 3], seed=1).shape.as_list() == names["sample_shape"]
    for m, want in got.items():
        # Every method opens `Cls/method/` (re-entering the constructor's scope); the
        # `batch_shape_tensor_N` suffix counts internal calls, which differ.
        prefix = names[m].split("/")[:2]
        if m == "batch_shape_tensor":
            prefix[1] = "batch_shape_tensor"
            want = want.replace("batch_shape_tensor_1/", "batch_shape_tensor/")
            want = "/".join(w if not w.startswith("batch_shape_tensor") else "batch_shape_tensor"
                            for w in want.split("/"))
        assert want.split("/")[:2] == prefix, (m, want, names[m])
        assert want.startswith(cls + "/")


EXACT_NAMES = [("normal", m) for m in ("sample", "log_prob", "prob", "cdf", "entropy", "mean",
                                         "stddev", "variance", "mode", "survival_function")] + [
    ("bernoulli_logits", m) for m in ("sample", "log_prob", "prob", "entropy", "mean", "mode")] + [
    ("categorical", m) for m in ("log_prob", "prob", "entropy", "mode")] + [
    ("gamma", m) for m in ("sample", "log_prob", "mean", "variance", "stddev")] + [
    ("beta", m) for m in ("sample", "mean")] + [
    ("laplace", m) for m in ("sample", "log_prob", "prob", "cdf", "mean",
                             "stddev", "variance")] + [
    ("uniform", m) for m in ("sample", "log_prob", "entropy", "mean", "stddev", "variance")] + [
    ("dirichlet", m) for m in ("sample", "mean", "log_prob")] + [
    ("multinomial", m) for m in ("log_prob", "mean", "variance")]


@pytest.mark.parametrize("name,method", EXACT_NAMES)
def test_exact_output_names(name, method):
    case = CASES[name]
    with tf.Graph().as_default():
        d, _ = _make(case["cls"], case["params"], case["kwargs"], tf.float32)
        x = tf.constant(np.asarray(case["x"]), dtype=d.dtype if d.dtype.is_floating
                        else tf.int32)
        if method == "sample":
            t = d.sample(2, seed=1)
        else:
            t = getattr(d, method)(x) if _takes_x(method) else getattr(d, method)()
        assert t.name == case["names"][method]


@pytest.mark.parametrize("name", sorted(KL))
def test_kl_values_gradients_names(name):
    case = KL[name]
    with tf.Graph().as_default():
        a, a_args = _make(case["a"][0], case["a"][1], {}, tf.float64)
        b, b_args = _make(case["b"][0], case["b"][1], {}, tf.float64)
        kl = tf.distributions.kl_divergence(a, b)
        keys = ["a." + k for k in a_args] + ["b." + k for k in b_args]
        gs = tf.gradients(tf.reduce_sum(kl), list(a_args.values()) + list(b_args.values()))
        fetch = {k: g for k, g in zip(keys, gs) if k in case["grads"]}
        assert all(g is not None for g in fetch.values())
        with tf.Session() as sess:
            got_kl, got_g = sess.run([kl, fetch])
        np.testing.assert_allclose(got_kl, case["kl"], rtol=1e-6, atol=1e-9)
        for k, v in case["grads"].items():
            np.testing.assert_allclose(got_g[k], v, rtol=1e-6, atol=1e-9, err_msg=k)
    with tf.Graph().as_default():
        a, _ = _make(case["a"][0], case["a"][1], {}, tf.float32)
        b, _ = _make(case["b"][0], case["b"][1], {}, tf.float32)
        got = [tf.distributions.kl_divergence(a, b).name, a.kl_divergence(b).name]
    want = [case["name"], case["method_name"]]
    if name == "beta":  # same scopes; TF's lbeta adds ops that shift the final op's index
        got = [n.rsplit("/", 1)[0] for n in got]
        want = [n.rsplit("/", 1)[0] for n in want]
    assert got == want


def test_constructor_ops_names_and_printing():
    g = tf.Graph()
    with g.as_default():
        d = tf.distributions.Normal(loc=[0., 1.], scale=2.)
        assert [op.name for op in g.get_operations()] == MISC["normal_ops"]
        assert str(d) == MISC["str"]
        assert repr(d) == MISC["repr"]
        assert sorted(d.parameters) == MISC["parameters"]
        assert tf.distributions.Normal(0., 1.).name == MISC["second_name"]
        assert tf.distributions.Normal(0., 1., name="q_z").name == MISC["named"]
        with pytest.raises(NotImplementedError) as e:
            tf.distributions.kl_divergence(d, tf.distributions.Laplace(0., 1.))
        assert str(e.value) == MISC["kl_missing"]
        with pytest.raises(ValueError, match=MISC["both_logits_probs"]):
            tf.distributions.Bernoulli(logits=[1.], probs=[0.5])
    g = tf.Graph()
    with g.as_default():
        tf.distributions.Exponential(rate=2.)
        assert [op.name for op in g.get_operations()] == MISC["exponential_ops"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_constructor_op_names(name):
    case = CASES[name]
    g = tf.Graph()
    with g.as_default():
        getattr(tf.distributions, case["cls"])(
            **{k: np.asarray(v, np.float32) for k, v in case["params"].items()},
            **{k: np.asarray(v, np.float32) for k, v in case["kwargs"].items()})
    # Names, not types: TF 1.x's `+` is `Add` where the fixture's TF writes `AddV2`.
    assert [op.name for op in g.get_operations()] == [n for n, _ in case["constructor_ops"]]
