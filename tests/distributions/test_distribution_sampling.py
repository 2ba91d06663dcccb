"""Sampling of every distribution: moments against the analytic mean/variance (fixed seed,
20000 draws, within 4 standard errors), seed determinism, and reparameterized gradients
checked against finite differences (a fresh Session per point replays the same noise)."""

import numpy as np
import pytest

import tensorflux as tf

N = 20000
D = tf.distributions
DS = tf.contrib.distributions


def _f64(v):
    return tf.constant(np.asarray(v, np.float64))


FAMILIES = {
    "normal": lambda: D.Normal(_f64([0., 1.5]), _f64([1., 0.3])),
    "bernoulli": lambda: D.Bernoulli(probs=_f64([0.2, 0.7]), dtype=tf.float64),
    "categorical": lambda: D.Categorical(logits=_f64([[0., 1., 2.]]), dtype=tf.float64),
    "uniform": lambda: D.Uniform(_f64([0., -1.]), _f64([2., 3.])),
    "beta": lambda: D.Beta(_f64([2., 0.5]), _f64([3., 1.5])),
    "gamma": lambda: D.Gamma(_f64([2., 0.5, 7.]), _f64([3., 1., 0.5])),
    "exponential": lambda: D.Exponential(_f64([2., 0.5])),
    "dirichlet": lambda: D.Dirichlet(_f64([[1., 2., 3.], [0.3, 0.5, 4.]])),
    "laplace": lambda: D.Laplace(_f64([0., 1.]), _f64([1., 2.])),
    "multinomial": lambda: D.Multinomial(_f64([5., 3.]), logits=_f64([[0., 1., 2.],
                                                                      [1., 0., -1.]])),
    "dirichlet_multinomial": lambda: D.DirichletMultinomial(
        _f64(4.), _f64([[1., 2., 3.], [0.5, 0.7, 2.]])),
    "student_t": lambda: D.StudentT(_f64([5., 9.]), _f64([0., 1.]), _f64([1., 2.])),
    "mvn_diag": lambda: DS.MultivariateNormalDiag(_f64([1., -1.]), _f64([0.5, 2.])),
    "mvn_tril": lambda: DS.MultivariateNormalTriL(_f64([1., -1.]), _f64([[1., 0.], [0.5, 2.]])),
    "onehot": lambda: DS.OneHotCategorical(logits=_f64([0., 1., 2.]), dtype=tf.float64),
}

# Categorical's mean is not defined in TF; use the probabilities instead.
CATEGORICAL_MOMENTS = (lambda d: tf.reduce_sum(d.probs * tf.range(3, dtype=tf.float64), -1),
                       lambda d: tf.reduce_sum(d.probs * tf.square(
                           tf.range(3, dtype=tf.float64)), -1)
                       - tf.square(tf.reduce_sum(d.probs * tf.range(3, dtype=tf.float64), -1)))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_sample_moments(family):
    with tf.Graph().as_default():
        d = FAMILIES[family]()
        s = d.sample(N, seed=7)
        assert s.shape.as_list() == [N] + d.batch_shape.as_list() + d.event_shape.as_list()
        if family == "categorical":
            mean, var = CATEGORICAL_MOMENTS[0](d), CATEGORICAL_MOMENTS[1](d)
        else:
            mean, var = d.mean(), d.variance()
        with tf.Session() as sess:
            sv, mv, vv = sess.run([s, mean, var])
    assert sv.dtype == d.dtype.as_numpy_dtype
    se = np.sqrt(vv / N)
    assert np.all(np.abs(sv.mean(0) - mv) <= 4 * se + 1e-12), (sv.mean(0), mv, se)
    # The sample variance: within 15% (student_t's has heavy tails).
    np.testing.assert_allclose(sv.var(0), vv, rtol=0.15, atol=1e-3)


def test_dirichlet_and_relaxed_samples_are_on_the_simplex():
    with tf.Graph().as_default():
        s1 = D.Dirichlet(_f64([[1., 2., 3.], [0.3, 0.5, 4.]])).sample(100, seed=3)
        s2 = DS.RelaxedOneHotCategorical(0.5, logits=_f64([0., 1., 2.])).sample(100, seed=3)
        s3 = DS.RelaxedBernoulli(0.5, logits=_f64([0., 1., 2.])).sample(100, seed=3)
        with tf.Session() as sess:
            v1, v2, v3 = sess.run([s1, s2, s3])
    for v in (v1, v2):
        assert np.all(v > 0)
        np.testing.assert_allclose(v.sum(-1), 1., rtol=1e-12)
    assert np.all((v3 > 0) & (v3 < 1))


def test_relaxed_one_hot_low_temperature_matches_class_probabilities():
    with tf.Graph().as_default():
        logits = np.log([0.2, 0.3, 0.5])
        s = DS.RelaxedOneHotCategorical(0.05, logits=_f64(logits)).sample(N, seed=5)
        b = DS.RelaxedBernoulli(0.05, probs=_f64([0.3])).sample(N, seed=5)
        with tf.Session() as sess:
            v, vb = sess.run([s, b])
    freq = np.bincount(v.argmax(-1), minlength=3) / N
    se = np.sqrt(np.array([0.2, 0.3, 0.5]) * 0.8 / N)
    assert np.all(np.abs(freq - [0.2, 0.3, 0.5]) <= 4 * se)
    assert abs((vb > 0.5).mean() - 0.3) <= 4 * np.sqrt(0.21 / N)


@pytest.mark.parametrize("family", ["normal", "gamma", "beta", "categorical", "multinomial",
                                    "dirichlet", "student_t", "bernoulli"])
def test_seed_determinism(family):
    def draw():
        with tf.Graph().as_default():
            tf.set_random_seed(1234)
            d = FAMILIES[family]()
            s = d.sample(5)
            s2 = d.sample(5)
            with tf.Session() as sess:
                a, b = sess.run([s, s2])
                c = sess.run(s)
        return a, b, c

    a1, b1, c1 = draw()
    a2, b2, c2 = draw()
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    np.testing.assert_array_equal(c1, c2)
    if family not in ("bernoulli", "categorical", "multinomial"):  # discrete draws may tie
        assert not np.array_equal(a1, b1)
        assert not np.array_equal(a1, c1)


def test_op_seed_determinism_without_graph_seed():
    def draw():
        with tf.Graph().as_default():
            s = D.Normal(_f64(0.), _f64(1.)).sample(4, seed=42)
            with tf.Session() as sess:
                return sess.run(s)
    np.testing.assert_array_equal(draw(), draw())


def test_sample_shapes():
    with tf.Graph().as_default():
        d = D.Normal(tf.zeros([2, 3]), 1.)
        assert d.sample().shape.as_list() == [2, 3]
        assert d.sample(4).shape.as_list() == [4, 2, 3]
        assert d.sample([4, 5]).shape.as_list() == [4, 5, 2, 3]
        n = tf.placeholder(tf.int32, [])
        s = d.sample(n)
        assert s.shape.as_list() == [None, 2, 3]
        dd = D.Dirichlet(tf.ones([2, 4]))
        assert dd.sample([3]).shape.as_list() == [3, 2, 4]
        c = D.Categorical(logits=tf.zeros([2, 3, 5]))
        assert c.sample(7).shape.as_list() == [7, 2, 3]
        with tf.Session() as sess:
            assert sess.run(s, {n: 6}).shape == (6, 2, 3)
            assert sess.run(c.sample(7)).shape == (7, 2, 3)
            assert sess.run(d.batch_shape_tensor()).tolist() == [2, 3]
            assert sess.run(dd.event_shape_tensor()).tolist() == [4]


# ---- reparameterized gradients -------------------------------------------------------------

def _fd_sample_grad(build, params, seed=3, eps=1e-6):
    """d sum(sample * r) / d params: analytic (tf.gradients) and by central differences.

    Each evaluation uses a fresh Session, whose seeded random ops replay the same noise.
    """
    values = {k: np.asarray(v, np.float64) for k, v in params.items()}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(seed)
        phs = {k: tf.placeholder(tf.float64, v.shape, name=k) for k, v in values.items()}
        s = build(**phs)
        r = np.random.RandomState(0).standard_normal(s.shape.as_list())
        loss = tf.reduce_sum(s * r)
        grads = tf.gradients(loss, list(phs.values()))
        assert all(gr is not None for gr in grads)

        def run(fetch, vals):
            with tf.Session(graph=g) as sess:
                return sess.run(fetch, {phs[k]: v for k, v in vals.items()})

        analytic = dict(zip(values, run(grads, values)))
        for k, v in values.items():
            numeric = np.zeros_like(v)
            for i in np.ndindex(*v.shape):
                up, down = dict(values), dict(values)
                up[k] = v.copy()
                up[k][i] += eps
                down[k] = v.copy()
                down[k][i] -= eps
                numeric[i] = (run(loss, up) - run(loss, down)) / (2 * eps)
            np.testing.assert_allclose(analytic[k], numeric, rtol=1e-5, atol=1e-6, err_msg=k)


REPARAM = {
    "normal": (lambda loc, scale: D.Normal(loc, scale).sample(3),
               {"loc": [0., 1.], "scale": [1., 2.]}),
    "uniform": (lambda low, high: D.Uniform(low, high).sample(3),
                {"low": [0., 1.], "high": [2., 4.]}),
    "laplace": (lambda loc, scale: D.Laplace(loc, scale).sample(3),
                {"loc": [0., 1.], "scale": [1., 2.]}),
    "exponential": (lambda rate: D.Exponential(rate).sample(3), {"rate": [2., 0.5]}),
    "gamma_rate": (lambda rate: D.Gamma(tf.constant([2., 0.5], tf.float64), rate).sample(3),
                   {"rate": [3., 1.]}),
    "student_t_loc_scale": (lambda loc, scale: D.StudentT(
        tf.constant(4., tf.float64), loc, scale).sample(3), {"loc": [0., 1.], "scale": [1., 2.]}),
    "mvn_diag": (lambda loc, scale_diag: DS.MultivariateNormalDiag(loc, scale_diag).sample(3),
                 {"loc": [0., 1.], "scale_diag": [1., 2.]}),
    "mvn_diag_multiplier": (lambda loc, m: DS.MultivariateNormalDiag(
        loc, scale_identity_multiplier=m).sample(2), {"loc": [0., 1., 2.], "m": 1.5}),
    "mvn_tril": (lambda loc, L: DS.MultivariateNormalTriL(loc, L).sample(3),
                 {"loc": [0., 1.], "L": [[1., 0.], [0.5, 2.]]}),
    "relaxed_bernoulli": (lambda logits: DS.RelaxedBernoulli(0.7, logits=logits).sample(3),
                          {"logits": [0., 1., -2.]}),
    "relaxed_one_hot": (lambda logits: DS.RelaxedOneHotCategorical(
        0.7, logits=logits).sample(3), {"logits": [0., 1., -2.]}),
    "relaxed_one_hot_temperature": (lambda t: DS.RelaxedOneHotCategorical(
        t, logits=tf.constant([0., 1., -2.], tf.float64)).sample(2), {"t": 0.6}),
}


@pytest.mark.parametrize("name", sorted(REPARAM))
def test_reparameterized_sample_gradients(name):
    build, params = REPARAM[name]
    _fd_sample_grad(build, params)


def test_not_reparameterized_samples_have_no_gradient():
    with tf.Graph().as_default():
        p = tf.constant([0.3, 0.6])
        d = D.Bernoulli(probs=p)
        assert d.reparameterization_type == D.NOT_REPARAMETERIZED
        assert tf.gradients(tf.reduce_sum(tf.cast(d.sample(2), tf.float32)), p) == [None]
        logits = tf.constant([[0.3, 0.6]])
        c = D.Categorical(logits=logits)
        assert tf.gradients(tf.reduce_sum(tf.cast(c.sample(2), tf.float32)), logits) == [None]


def test_gamma_family_concentration_gradients_match_the_mean():
    """Implicit reparameterization: d mean(sample) / d concentration ~ d E[X] / d concentration."""
    with tf.Graph().as_default():
        c = tf.constant([0.4, 2., 6.], tf.float64)
        rate = tf.constant([1., 2., 0.5], tf.float64)
        g_gamma = tf.gradients(tf.reduce_mean(D.Gamma(c, rate).sample(N, seed=1), 0), c)[0]
        c0 = tf.constant(2., tf.float64)
        g_beta = tf.gradients(tf.reduce_mean(D.Beta(c, c0).sample(N, seed=2), 0), c)[0]
        dc = tf.constant([1., 2., 3.], tf.float64)
        g_dir = tf.gradients(tf.reduce_mean(D.Dirichlet(dc).sample(N, seed=3), 0)[0], dc)[0]
        with tf.Session() as sess:
            gg, gb, gd = sess.run([g_gamma, g_beta, g_dir])
    np.testing.assert_allclose(gg, 1. / np.array([1., 2., 0.5]), rtol=0.03)
    cv = np.array([0.4, 2., 6.])
    np.testing.assert_allclose(gb, 2. / (cv + 2.) ** 2, rtol=0.05)
    # d E[x_0] / d c_j = (delta_0j * C - c_0) / C**2 with C = 6.
    np.testing.assert_allclose(gd, [5. / 36., -1. / 36., -1. / 36.], rtol=0.1, atol=2e-3)
