"""tf.contrib.distributions: the core re-exports and the contrib-only families
(MultivariateNormalDiag, OneHotCategorical, RelaxedBernoulli, (Exp)RelaxedOneHotCategorical),
checked against closed-form numpy formulas."""

import math

import numpy as np
import pytest

import tensorflux as tf

D = tf.distributions
DS = tf.contrib.distributions


def _run(*ts):
    with tf.Session() as sess:
        return sess.run(list(ts))


def test_core_names_are_reexported():
    for name in D.__all__:
        assert getattr(DS, name) is getattr(D, name)
    for name in ("MultivariateNormalDiag", "MultivariateNormalTriL", "Independent",
                 "MultivariateNormalFullCovariance", "MixtureSameFamily",
                 "OneHotCategorical", "RelaxedBernoulli",
                 "RelaxedOneHotCategorical", "ExpRelaxedOneHotCategorical",
                 "NormalWithSoftplusScale", "MultivariateNormalDiagWithSoftplusScale"):
        assert issubclass(getattr(DS, name), D.Distribution)


def test_mvn_diag_matches_independent_normals():
    loc = np.array([[0., 1., 2.], [1., -1., 0.5]])
    sd = np.array([[1., 2., 0.5], [0.3, 1., 3.]])
    x = np.array([[0.5, 0.2, 1.], [1., 0., -2.]])
    with tf.Graph().as_default():
        d = DS.MultivariateNormalDiag(loc=loc, scale_diag=sd)
        assert d.batch_shape.as_list() == [2] and d.event_shape.as_list() == [3]
        assert d.reparameterization_type == D.FULLY_REPARAMETERIZED
        assert d.name == "MultivariateNormalDiag/"
        n = D.Normal(loc, sd)
        lp, ent, mean, std, cov, nlp, nent, bs, es = _run(
            d.log_prob(x), d.entropy(), d.mean(), d.stddev(), d.covariance(),
            tf.reduce_sum(n.log_prob(x), -1), tf.reduce_sum(n.entropy(), -1),
            d.batch_shape_tensor(), d.event_shape_tensor())
    np.testing.assert_allclose(lp, nlp, rtol=1e-12)
    np.testing.assert_allclose(ent, nent, rtol=1e-12)
    np.testing.assert_allclose(mean, loc)
    np.testing.assert_allclose(std, sd)
    np.testing.assert_allclose(cov, np.stack([np.diag(v) for v in sd ** 2]))
    assert bs.tolist() == [2] and es.tolist() == [3]


def test_mvn_diag_scale_identity_multiplier_and_defaults():
    with tf.Graph().as_default():
        loc = np.array([1., 2.])
        d1 = DS.MultivariateNormalDiag(loc=loc)
        d2 = DS.MultivariateNormalDiag(loc=loc, scale_identity_multiplier=2.)
        d3 = DS.MultivariateNormalDiag(loc=loc, scale_diag=[1., 3.], scale_identity_multiplier=1.)
        d4 = DS.MultivariateNormalDiag(scale_diag=[1., 3.])
        s1, s2, s3, m4 = _run(d1.stddev(), d2.stddev(), d3.stddev(), d4.mean())
        with pytest.raises(ValueError, match="Must specify one or both of `loc`, `scale_diag`"):
            DS.MultivariateNormalDiag()
    np.testing.assert_allclose(s1, [1., 1.])
    np.testing.assert_allclose(s2, [2., 2.])
    np.testing.assert_allclose(s3, [2., 4.])
    np.testing.assert_allclose(m4, [0., 0.])


def test_mvn_diag_kl_and_softplus_variant():
    l1, s1 = np.array([0., 1.]), np.array([1., 2.])
    l2, s2 = np.array([0.5, -1.]), np.array([2., 0.7])
    with tf.Graph().as_default():
        kl = DS.kl_divergence(DS.MultivariateNormalDiag(l1, s1), DS.MultivariateNormalDiag(l2, s2))
        nkl = tf.reduce_sum(D.kl_divergence(D.Normal(l1, s1), D.Normal(l2, s2)))
        sp = DS.MultivariateNormalDiagWithSoftplusScale(l1, s1)
        nsp = DS.NormalWithSoftplusScale(l1, s1)
        assert kl.name.startswith("KullbackLeibler/")
        assert sp.name == "MultivariateNormalDiagWithSoftplusScale/"
        assert nsp.name == "NormalWithSoftplusScale/"
        assert sorted(nsp.parameters) == ["allow_nan_stats", "loc", "name", "scale",
                                          "validate_args"]
        got, want, sd, nsd = _run(kl, nkl, sp.stddev(), nsp.stddev())
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(sd, np.log1p(np.exp(s1)), rtol=1e-12)
    np.testing.assert_allclose(nsd, np.log1p(np.exp(s1)), rtol=1e-12)


def _log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def test_one_hot_categorical_matches_categorical():
    logits = np.array([[0.3, -1.2, 0.5], [1., 2., 0.]])
    x = np.array([[0, 0, 1], [1, 0, 0]], np.int32)
    with tf.Graph().as_default():
        d = DS.OneHotCategorical(logits=logits)
        c = D.Categorical(logits=logits)
        assert d.event_shape.as_list() == [3] and d.batch_shape.as_list() == [2]
        assert d.dtype == tf.int32
        s = d.sample(5, seed=2)
        assert s.shape.as_list() == [5, 2, 3] and s.dtype == tf.int32
        lp, clp, ent, cent, mode, mean, var, sv, kl = _run(
            d.log_prob(x), c.log_prob([2, 0]), d.entropy(), c.entropy(), d.mode(), d.mean(),
            d.variance(), s, DS.kl_divergence(d, DS.OneHotCategorical(logits=logits[::-1])))
    np.testing.assert_allclose(lp, clp, rtol=1e-12)
    np.testing.assert_allclose(ent, cent, rtol=1e-12)
    assert mode.tolist() == [[0, 0, 1], [0, 1, 0]]
    p = np.exp(_log_softmax(logits))
    np.testing.assert_allclose(mean, p, rtol=1e-12)
    np.testing.assert_allclose(var, p * (1 - p), rtol=1e-12)
    assert np.all(sv.sum(-1) == 1)
    q = np.exp(_log_softmax(logits[::-1]))
    np.testing.assert_allclose(kl, (p * (np.log(p) - np.log(q))).sum(-1), rtol=1e-12)


def test_one_hot_categorical_sample_frequencies():
    with tf.Graph().as_default():
        s = DS.OneHotCategorical(probs=[0.2, 0.3, 0.5]).sample(20000, seed=4)
        (v,) = _run(s)
    freq = v.mean(0)
    assert np.all(np.abs(freq - [0.2, 0.3, 0.5]) <= 4 * np.sqrt(0.25 / 20000))


def test_relaxed_bernoulli_density():
    t, logits = 0.6, np.array([0.3, -1.2])
    y = np.array([0.2, 0.7])
    with tf.Graph().as_default():
        d = DS.RelaxedBernoulli(t, logits=logits)
        assert d.reparameterization_type == D.FULLY_REPARAMETERIZED
        assert d.batch_shape.as_list() == [2] and d.name == "RelaxedBernoulli/"
        grid = np.linspace(1e-6, 1 - 1e-6, 200001)[:, None]
        lp, pg, temp, pr = _run(d.log_prob(y), d.prob(grid), d.temperature, d.probs)
    # Concrete density: t a y^(-t-1) (1-y)^(-t-1) / (a y^-t + (1-y)^-t)^2, a = exp(logits).
    a = np.exp(logits)
    want = np.log(t * a * y ** (-t - 1) * (1 - y) ** (-t - 1) / (a * y ** -t + (1 - y) ** -t) ** 2)
    np.testing.assert_allclose(lp, want, rtol=1e-10)
    np.testing.assert_allclose(np.trapezoid(pg, grid[:, 0], axis=0), [1., 1.], atol=2e-3)
    assert temp == pytest.approx(t)
    np.testing.assert_allclose(pr, 1 / (1 + np.exp(-logits)))


def test_relaxed_one_hot_density():
    t, logits = 0.6, np.array([0.3, -1.2, 0.5])
    y = np.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])
    with tf.Graph().as_default():
        d = DS.RelaxedOneHotCategorical(t, logits=logits)
        e = DS.ExpRelaxedOneHotCategorical(t, logits=logits)
        assert d.event_shape.as_list() == [3] and d.batch_shape.as_list() == []
        assert d.name == "RelaxedOneHotCategorical/"
        assert sorted(d.parameters) == ["allow_nan_stats", "dtype", "logits", "name", "probs",
                                        "temperature", "validate_args"]
        s = e.sample(4, seed=1)
        lp, elp, sv = _run(d.log_prob(y), e.log_prob(np.log(y)), s)
    k = 3
    p = np.exp(_log_softmax(logits))
    want = (math.lgamma(k) + (k - 1) * np.log(t) + np.log(p * y ** (-t - 1)).sum(-1)
            - k * np.log((p * y ** -t).sum(-1)))
    np.testing.assert_allclose(lp, want, rtol=1e-10)
    np.testing.assert_allclose(elp, want + np.log(y).sum(-1), rtol=1e-10)
    np.testing.assert_allclose(np.exp(sv).sum(-1), 1., rtol=1e-12)


def test_relaxed_one_hot_gumbel_softmax_training_loop():
    """The Gumbel-softmax VAE pattern: sample, a loss, gradients into the logits."""
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        logits = tf.Variable([[0., 0., 0.]], dtype=tf.float32)
        y = DS.RelaxedOneHotCategorical(0.5, logits=logits).sample()
        loss = -tf.reduce_sum(y * tf.constant([[0., 0., 1.]]))
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(200):
                sess.run(train)
            final = sess.run(logits)
    assert final[0, 2] > final[0, 0] and final[0, 2] > final[0, 1]


def _mvn_logpdf(x, mu, cov):
    k = len(mu)
    d = x - mu
    return (-0.5 * d @ np.linalg.solve(cov, d) - 0.5 * np.linalg.slogdet(cov)[1]
            - 0.5 * k * np.log(2 * np.pi))


def test_mvn_tril_and_full_covariance():
    L = np.array([[1., 0., 0.], [0.5, 2., 0.], [-0.3, 0.2, 0.7]])
    upper_junk = L + np.triu(np.ones((3, 3)), 1) * 9.  # only the lower triangle counts
    mu = np.array([0., 1., -1.])
    cov = L @ L.T
    x = np.array([[0.5, 0.2, 1.], [1., 0., -2.]])
    with tf.Graph().as_default():
        d = DS.MultivariateNormalTriL(loc=mu, scale_tril=upper_junk)
        f = DS.MultivariateNormalFullCovariance(loc=mu, covariance_matrix=cov)
        assert d.event_shape.as_list() == [3] and d.batch_shape.as_list() == []
        assert d.name == "MultivariateNormalTriL/"
        assert f.name == "MultivariateNormalFullCovariance/"
        s = d.sample(20000, seed=3)
        assert s.shape.as_list() == [20000, 3]
        lp, flp, ent, c, std, sv = _run(d.log_prob(x), f.log_prob(x), d.entropy(),
                                        d.covariance(), d.stddev(), s)
    np.testing.assert_allclose(lp, [_mvn_logpdf(v, mu, cov) for v in x], rtol=1e-10)
    np.testing.assert_allclose(flp, lp, rtol=1e-10)
    np.testing.assert_allclose(ent, 0.5 * np.linalg.slogdet(2 * np.pi * np.e * cov)[1],
                               rtol=1e-10)
    np.testing.assert_allclose(c, cov, rtol=1e-12)
    np.testing.assert_allclose(std, np.sqrt(np.diag(cov)), rtol=1e-12)
    np.testing.assert_allclose(np.cov(sv.T), cov, atol=0.1)
    assert np.all(np.abs(sv.mean(0) - mu) <= 4 * np.sqrt(np.diag(cov) / 20000))


def test_mvn_kl_between_tril_and_diag():
    La = np.array([[1., 0.], [0.5, 2.]])
    Lb = np.array([[1.5, 0.], [-0.3, 0.7]])
    ma, mb = np.array([0., 1.]), np.array([0.5, -1.])
    ca, cb = La @ La.T, Lb @ Lb.T

    def kl(m0, c0, m1, c1):
        inv = np.linalg.inv(c1)
        d = m1 - m0
        return 0.5 * (np.trace(inv @ c0) + d @ inv @ d - 2
                      + np.linalg.slogdet(c1)[1] - np.linalg.slogdet(c0)[1])

    sd = np.array([0.8, 1.3])
    with tf.Graph().as_default():
        a = DS.MultivariateNormalTriL(ma, La)
        b = DS.MultivariateNormalTriL(mb, Lb)
        c = DS.MultivariateNormalDiag(mb, sd)
        vals = _run(DS.kl_divergence(a, b), DS.kl_divergence(a, c), DS.kl_divergence(c, a),
                    DS.kl_divergence(c, DS.MultivariateNormalDiag(ma, np.diag(La))))
    np.testing.assert_allclose(vals[0], kl(ma, ca, mb, cb), rtol=1e-10)
    np.testing.assert_allclose(vals[1], kl(ma, ca, mb, np.diag(sd ** 2)), rtol=1e-10)
    np.testing.assert_allclose(vals[2], kl(mb, np.diag(sd ** 2), ma, ca), rtol=1e-10)
    np.testing.assert_allclose(vals[3], kl(mb, np.diag(sd ** 2), ma, np.diag(np.diag(La) ** 2)),
                               rtol=1e-10)


def _normal_logpdf(x, mu, sd):
    return -0.5 * ((x - mu) / sd) ** 2 - np.log(sd) - 0.5 * np.log(2 * np.pi)


def test_mixture_same_family_gaussian_mixture():
    w = np.array([[0.3, 0.7], [0.5, 0.5]])
    mu = np.array([[-1., 1.], [0., 3.]])
    sd = np.array([[0.5, 1.5], [1., 0.2]])
    x = np.array([[0.5, 1.], [-2., 2.9], [0., 0.]])  # [S=3, B=2]
    with tf.Graph().as_default():
        gm = DS.MixtureSameFamily(mixture_distribution=DS.Categorical(probs=w),
                                  components_distribution=DS.Normal(loc=mu, scale=sd))
        assert gm.batch_shape.as_list() == [2] and gm.event_shape.as_list() == []
        assert gm.name == "MixtureSameFamily/"
        s = gm.sample(20000, seed=5)
        assert s.shape.as_list() == [20000, 2]
        lp, mean, var, sv, bs = _run(gm.log_prob(x), gm.mean(), gm.variance(), s,
                                     gm.batch_shape_tensor())
        with pytest.raises(ValueError, match="is not over integers"):
            DS.MixtureSameFamily(DS.Normal(0., 1.), DS.Normal(mu, sd))
    want = np.log((w * np.exp(_normal_logpdf(x[..., None], mu, sd))).sum(-1))
    np.testing.assert_allclose(lp, want, rtol=1e-10)
    m = (w * mu).sum(-1)
    v = (w * (sd ** 2 + mu ** 2)).sum(-1) - m ** 2
    np.testing.assert_allclose(mean, m, rtol=1e-12)
    np.testing.assert_allclose(var, v, rtol=1e-10)
    assert np.all(np.abs(sv.mean(0) - m) <= 4 * np.sqrt(v / 20000))
    assert bs.tolist() == [2]


def test_mixture_same_family_multivariate_components():
    w = np.array([0.4, 0.6])
    mu = np.array([[0., 0.], [2., -1.]])
    sd = np.array([[1., 0.5], [0.3, 2.]])
    x = np.array([[0.5, 0.2], [1., -1.]])
    with tf.Graph().as_default():
        gm = DS.MixtureSameFamily(DS.Categorical(probs=w), DS.MultivariateNormalDiag(mu, sd))
        assert gm.event_shape.as_list() == [2] and gm.batch_shape.as_list() == []
        lp, mean, sv = _run(gm.log_prob(x), gm.mean(), gm.sample(3, seed=1))
    comp = _normal_logpdf(x[:, None, :], mu, sd).sum(-1)  # [S, k]
    np.testing.assert_allclose(lp, np.log((w * np.exp(comp)).sum(-1)), rtol=1e-10)
    np.testing.assert_allclose(mean, (w[:, None] * mu).sum(0), rtol=1e-12)
    assert sv.shape == (3, 2)


def test_independent():
    loc = np.zeros([4, 3])
    x = np.random.RandomState(0).randn(4, 3)
    with tf.Graph().as_default():
        base = DS.Normal(loc=loc, scale=np.float64(2.))
        ind = DS.Independent(base, reinterpreted_batch_ndims=1)
        assert ind.batch_shape.as_list() == [4] and ind.event_shape.as_list() == [3]
        assert ind.name == "IndependentNormal/"
        assert ind.reparameterization_type == D.FULLY_REPARAMETERIZED
        default = DS.Independent(D.Normal(np.zeros([2, 5, 3]), np.float64(1.)))
        assert default.batch_shape.as_list() == [2] and default.event_shape.as_list() == [5, 3]
        s = ind.sample(6, seed=1)
        assert s.shape.as_list() == [6, 4, 3]
        kl = DS.kl_divergence(ind, DS.Independent(DS.Normal(loc=loc + 1., scale=np.float64(1.)), 1))
        lp, blp, ent, bent, bs, es, klv = _run(
            ind.log_prob(x), base.log_prob(x), ind.entropy(), base.entropy(),
            ind.batch_shape_tensor(), ind.event_shape_tensor(), kl)
        with pytest.raises(ValueError, match="cannot exceed"):
            DS.Independent(base, reinterpreted_batch_ndims=3)
    np.testing.assert_allclose(lp, blp.sum(-1), rtol=1e-12)
    np.testing.assert_allclose(ent, bent.sum(-1), rtol=1e-12)
    assert bs.tolist() == [4] and es.tolist() == [3]
    np.testing.assert_allclose(klv, np.full(4, 3 * (np.log(0.5) + (4. + 1.) / 2. - 0.5)),
                               rtol=1e-12)
