"""The Distribution base class: name scopes of method calls, the KL registry, argument
validation, unknown shapes, copies, Variables as parameters, and training through
log_prob / a reparameterized sample."""

import numpy as np
import pytest

import tensorflux as tf

D = tf.distributions


def test_method_names_and_scopes():
    with tf.Graph().as_default():
        a = D.Normal(0., 1.)
        b = D.Normal(1., 2.)
        assert a.log_prob(1., name="lp").name == "Normal/lp/sub:0"
        assert a.cross_entropy(b).name == "Normal/cross_entropy/cross_entropy/add:0"
        assert a.is_scalar_batch().name == "Normal/is_scalar_batch/is_scalar_batch:0"
        assert a.is_scalar_event().name == "Normal/is_scalar_event/is_scalar_event:0"
        assert D.kl_divergence(a, b, allow_nan_stats=False).name == "KullbackLeibler/checked_kl:0"
        with tf.Session() as sess:
            ce, h, kl, sb = sess.run([a.cross_entropy(b), a.entropy(), a.kl_divergence(b),
                                      a.is_scalar_batch()])
    assert ce == pytest.approx(h + kl)
    assert sb


def test_not_implemented_messages():
    with tf.Graph().as_default():
        with pytest.raises(NotImplementedError, match="^mean is not implemented: Categorical$"):
            D.Categorical(logits=[0., 1.]).mean()
        with pytest.raises(NotImplementedError,
                           match="^covariance is not implemented: Normal$"):
            D.Normal(0., 1.).covariance()


def test_register_kl_duplicate_mro_and_custom_pairs():
    with pytest.raises(ValueError, match=r"KL\(Normal \|\| Normal\) has already been registered"):
        D.RegisterKL(D.Normal, D.Normal)(lambda a, b, name=None: None)
    with pytest.raises(TypeError, match="kl_fn must be callable"):
        D.RegisterKL(D.Normal, D.Laplace)(3)

    class MyNormal(D.Normal):
        pass

    class MyLaplace(D.Laplace):
        pass

    @D.RegisterKL(MyLaplace, MyLaplace)
    def _kl_zero(a, b, name=None):
        with tf.name_scope(name, "kl_zero"):
            return tf.zeros_like(a.loc)

    with tf.Graph().as_default():
        kl = D.kl_divergence(MyNormal(0., 1.), D.Normal(0., 2.))  # found through the MRO
        assert kl.name.startswith("KullbackLeibler/kl_normal_normal/")
        z = D.kl_divergence(MyLaplace(0., 1.), MyLaplace(1., 1.))
        assert z.name.startswith("KullbackLeibler_1/kl_zero/")
        with tf.Session() as sess:
            assert sess.run(kl) == pytest.approx(np.log(2.) + 1. / 8. - 0.5)
            assert sess.run(z) == 0.
        with pytest.raises(NotImplementedError, match="distribution_a type MyLaplace and "
                                                      "distribution_b type Laplace"):
            D.kl_divergence(MyLaplace(0., 1.), D.Laplace(0., 1.))


def test_allow_nan_stats_false_kl_raises_on_nan():
    with tf.Graph().as_default():
        s = tf.placeholder(tf.float32, [])
        kl = D.kl_divergence(D.Normal(0., s), D.Normal(0., 1.), allow_nan_stats=False)
        with tf.Session() as sess:
            assert sess.run(kl, {s: 1.}) == pytest.approx(0.)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="returned NaN values"):
                sess.run(kl, {s: np.nan})


def test_validate_args_checks_at_run_time():
    with tf.Graph().as_default():
        s = tf.placeholder(tf.float32, [])
        lp = D.Normal(0., s, validate_args=True).log_prob(1.)
        ok = D.Normal(0., s).log_prob(1.)
        with tf.Session() as sess:
            sess.run(lp, {s: 1.})
            assert np.isnan(sess.run(ok, {s: -1.}))
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(lp, {s: -1.})


def test_unknown_shapes_and_copy():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32, None)
        n = D.Normal(p, 1.)
        assert n.batch_shape.ndims is None
        s = n.sample(3)
        assert s.shape.ndims is None
        c = n.copy(scale=3.)
        assert c.name == "Normal_1/" and c.parameters["scale"] == 3.
        with tf.Session() as sess:
            bs, sv, std = sess.run([n.batch_shape_tensor(), s, c.stddev()],
                                   {p: np.zeros([2, 4], np.float32)})
    assert bs.tolist() == [2, 4] and sv.shape == (3, 2, 4)
    np.testing.assert_allclose(std, np.full([2, 4], 3.))


def test_both_or_neither_logits_probs():
    with tf.Graph().as_default():
        for cls in (D.Bernoulli, D.Categorical):
            with pytest.raises(ValueError, match="Must pass probs or logits, but not both."):
                cls()
        with pytest.raises(TypeError, match="logits must having floating type."):
            D.Bernoulli(logits=[1, 2])


def test_dtype_mismatch_raises():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="expected type"):
            D.Normal(tf.constant(0., tf.float64), tf.constant(1., tf.float32))


def test_fit_normal_by_maximum_likelihood():
    """The density-fitting pattern: Variables as parameters, minimize -log_prob."""
    data = np.random.RandomState(0).normal(3., 0.5, size=500).astype(np.float32)
    with tf.Graph().as_default():
        loc = tf.Variable(0.)
        log_scale = tf.Variable(0.)
        d = D.Normal(loc, tf.exp(log_scale))
        loss = -tf.reduce_mean(d.log_prob(data))
        train = tf.train.AdamOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(300):
                sess.run(train)
            m, s = sess.run([loc, tf.exp(log_scale)])
    assert m == pytest.approx(data.mean(), abs=0.02)
    assert s == pytest.approx(data.std(), abs=0.02)


def test_vae_style_reparameterized_kl_training():
    """q(z) = Normal(mu, sigma) trained through a sample and the KL to the prior."""
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        mu = tf.Variable([1., -1.])
        rho = tf.Variable([0., 0.])
        q = D.Normal(mu, tf.nn.softplus(rho))
        z = q.sample(64)
        target = tf.constant([2., 0.5])
        recon = tf.reduce_mean(tf.reduce_sum(tf.square(z - target), -1))
        kl = tf.reduce_sum(D.kl_divergence(q, D.Normal(0., 1.)))
        loss = recon + 0.1 * kl
        grads = tf.gradients(loss, [mu, rho])
        assert all(g is not None for g in grads)
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(300):
                sess.run(train)
            m = sess.run(mu)
    # The optimum of E|z - t|^2 + 0.1 KL: mu = t / (1 + 0.1 / 2) per coordinate.
    np.testing.assert_allclose(m, np.array([2., 0.5]) / 1.05, atol=0.1)


def test_param_shapes():
    with tf.Graph().as_default():
        assert D.Normal.param_static_shapes([2, 3]) == {"loc": tf.TensorShape([2, 3]),
                                                        "scale": tf.TensorShape([2, 3])}
        assert sorted(D.StudentT.param_static_shapes(tf.TensorShape([4]))) == ["df", "loc",
                                                                               "scale"]
        assert list(D.Exponential.param_static_shapes([5])) == ["rate"]
        shapes = D.Gamma.param_shapes(tf.constant([2]))
        with tf.Session() as sess:
            assert sess.run(shapes["rate"]).tolist() == [2]
        with pytest.raises(ValueError, match="TensorShape sample_shape must be fully defined"):
            D.Normal.param_static_shapes(tf.TensorShape([None]))
        with pytest.raises(NotImplementedError):
            D.Categorical.param_shapes([3])


def test_policy_gradient_pattern_with_unknown_batch():
    """A categorical policy over a placeholder batch and a Gaussian policy: sample, log_prob."""
    with tf.Graph().as_default():
        obs = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(np.ones([3, 4], np.float32) * 0.1)
        pi = D.Categorical(logits=tf.matmul(obs, w))
        assert pi.batch_shape.as_list() == [None]
        action = pi.sample()
        assert action.shape.as_list() == [None]
        logp = pi.log_prob(action)
        mu = tf.matmul(obs, w)[:, :2]
        gauss = D.Normal(loc=mu, scale=tf.exp(tf.Variable([0., -1.])))
        a2 = gauss.sample()
        assert a2.shape.as_list() == [None, 2]
        lp2 = tf.reduce_sum(gauss.log_prob(tf.stop_gradient(a2)), -1)
        loss = -tf.reduce_mean(logp + lp2)
        grads = tf.gradients(loss, [w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {obs: np.random.RandomState(0).rand(5, 3)}
            av, lv, a2v, gv, bs = sess.run([action, logp, a2, grads[0],
                                            pi.batch_shape_tensor()], feed)
    assert av.shape == (5,) and av.dtype == np.int32 and np.all((av >= 0) & (av < 4))
    assert lv.shape == (5,) and np.all(lv < 0)
    assert a2v.shape == (5, 2) and gv.shape == (3, 4)
    assert bs.tolist() == [5]
