"""Finite-difference checks of every differentiable distribution method: log_prob, cdf,
entropy, statistics and KL with respect to the parameters (and to the value)."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

D = tf.distributions
DS = tf.contrib.distributions


def F(v):  # noqa: N802 - a float64 constant, the gradient checker's dtype
    return np.asarray(v, np.float64)

CASES = {
    "normal_log_prob": (lambda loc, scale, x: D.Normal(loc, scale).log_prob(x),
                        {"loc": [0., 1.], "scale": [1., 2.], "x": [0.3, -1.]}),
    "normal_cdf": (lambda loc, scale, x: [D.Normal(loc, scale).cdf(x),
                                          D.Normal(loc, scale).log_cdf(x),
                                          D.Normal(loc, scale).log_survival_function(x)],
                   {"loc": [0., 1.], "scale": [1., 2.], "x": [0.3, -1.]}),
    "normal_stats": (lambda loc, scale: [D.Normal(loc, scale).entropy(),
                                         D.Normal(loc, scale).mean(),
                                         D.Normal(loc, scale).stddev(),
                                         D.Normal(loc, scale).variance(),
                                         D.Normal(loc, scale).quantile(0.3)],
                     {"loc": [0., 1.], "scale": [1., 2.]}),
    "bernoulli": (lambda logits: [D.Bernoulli(logits=logits).log_prob([1, 0]),
                                  D.Bernoulli(logits=logits).entropy(),
                                  D.Bernoulli(logits=logits).variance()],
                  {"logits": [0.3, -1.2]}),
    "bernoulli_probs": (lambda probs: D.Bernoulli(probs=probs).log_prob([1, 0]),
                        {"probs": [0.3, 0.8]}),
    "categorical": (lambda logits: [D.Categorical(logits=logits).log_prob([2, 0]),
                                    D.Categorical(logits=logits).entropy(),
                                    D.Categorical(logits=logits).cdf([1, 2])],
                    {"logits": [[0.3, -1.2, 0.5], [1., 2., 0.]]}),
    "uniform": (lambda low, high, x: [D.Uniform(low, high).log_prob(x),
                                      D.Uniform(low, high).cdf(x),
                                      D.Uniform(low, high).entropy(),
                                      D.Uniform(low, high).variance()],
                {"low": [0., 1.], "high": [2., 4.], "x": [0.5, 3.]}),
    "beta": (lambda c1, c0, x: [D.Beta(c1, c0).log_prob(x), D.Beta(c1, c0).entropy(),
                                D.Beta(c1, c0).variance(), D.Beta(c1, c0).mode()],
             {"c1": [2., 1.5], "c0": [3., 1.7], "x": [0.3, 0.8]}),
    "gamma": (lambda c, rate, x: [D.Gamma(c, rate).log_prob(x), D.Gamma(c, rate).entropy(),
                                  D.Gamma(c, rate).stddev(), D.Gamma(c, rate).mode()],
              {"c": [2., 1.5], "rate": [3., 1.], "x": [0.4, 1.3]}),
    "exponential": (lambda rate, x: [D.Exponential(rate).log_prob(x),
                                     D.Exponential(rate).entropy()],
                    {"rate": [2., 0.5], "x": [0.4, 1.3]}),
    "dirichlet": (lambda c, x: [D.Dirichlet(c).log_prob(x), D.Dirichlet(c).entropy(),
                                D.Dirichlet(c).covariance(), D.Dirichlet(c).mode()],
                  {"c": [[1.5, 2., 3.], [2.5, 1.7, 2.]], "x": [[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]]}),
    "laplace": (lambda loc, scale, x: [D.Laplace(loc, scale).log_prob(x),
                                       D.Laplace(loc, scale).cdf(x),
                                       D.Laplace(loc, scale).log_cdf(x),
                                       D.Laplace(loc, scale).entropy()],
                {"loc": [0., 1.], "scale": [1., 2.], "x": [0.5, -1.]}),
    "multinomial": (lambda n, logits, x: [D.Multinomial(n, logits=logits).log_prob(x),
                                          D.Multinomial(n, logits=logits).covariance()],
                    {"n": [5., 3.], "logits": [[0., 1., 2.], [1., 0., -1.]],
                     "x": [[1., 1., 3.], [2., 1., 0.]]}),
    "dirichlet_multinomial": (lambda c, x: [D.DirichletMultinomial(F(4.), c).log_prob(x),
                                            D.DirichletMultinomial(F(4.), c).covariance()],
                              {"c": [[1.5, 2., 3.], [2.5, 1.7, 2.]],
                               "x": [[1., 1., 2.], [0., 4., 0.]]}),
    "gamma_cdf": (lambda c, rate, x: D.Gamma(c, rate).cdf(x),
                  {"c": [2., 0.5], "rate": [3., 1.], "x": [0.4, 1.3]}),
    "beta_cdf": (lambda x: D.Beta(F([2., 0.5]), F([3., 1.5])).cdf(x), {"x": [0.3, 0.8]}),
    "student_t_cdf": (lambda loc, scale, x: D.StudentT(F(3.), loc, scale).cdf(x),
                      {"loc": [0., 1.], "scale": [1., 2.], "x": [0.5, -1.]}),
    "student_t": (lambda df, loc, scale, x: [D.StudentT(df, loc, scale).log_prob(x),
                                             D.StudentT(df, loc, scale).entropy(),
                                             D.StudentT(df, loc, scale).variance()],
                  {"df": [3., 5.], "loc": [0., 1.], "scale": [1., 2.], "x": [0.5, -1.]}),
    "mvn_diag": (lambda loc, sd, x: [DS.MultivariateNormalDiag(loc, sd).log_prob(x),
                                     DS.MultivariateNormalDiag(loc, sd).entropy(),
                                     DS.MultivariateNormalDiag(loc, sd).covariance()],
                 {"loc": [[0., 1.], [1., -1.]], "sd": [[1., 2.], [0.5, 1.5]],
                  "x": [[0.3, 0.2], [1., 0.]]}),
    "mvn_tril": (lambda loc, L, x: [DS.MultivariateNormalTriL(loc, L).log_prob(x),
                                    DS.MultivariateNormalTriL(loc, L).entropy(),
                                    DS.MultivariateNormalTriL(loc, L).covariance()],
                 {"loc": [0., 1.], "L": [[1., 0.], [0.5, 2.]], "x": [[0.3, 0.2], [1., 0.]]}),
    "mixture": (lambda logits, loc, scale, x: DS.MixtureSameFamily(
        DS.Categorical(logits=logits), DS.Normal(loc, scale)).log_prob(x),
        {"logits": [[0.3, -0.2], [1., 0.]], "loc": [[-1., 1.], [0., 2.]],
         "scale": [[0.5, 1.5], [1., 0.3]], "x": [[0.5, 1.], [-2., 2.5]]}),
    "independent": (lambda loc, scale, x: DS.Independent(DS.Normal(loc, scale), 1).log_prob(x),
                    {"loc": [[0., 1.]], "scale": [[1., 2.]], "x": [[0.3, -1.]]}),
    "onehot": (lambda logits: [DS.OneHotCategorical(logits=logits).log_prob([[0, 0, 1],
                                                                            [1, 0, 0]]),
                               DS.OneHotCategorical(logits=logits).entropy(),
                               DS.OneHotCategorical(logits=logits).covariance()],
               {"logits": [[0.3, -1.2, 0.5], [1., 2., 0.]]}),
    "relaxed_bernoulli": (lambda t, logits, x: DS.RelaxedBernoulli(t, logits=logits).log_prob(x),
                          {"t": 0.6, "logits": [0.3, -1.2], "x": [0.2, 0.7]}),
    "relaxed_one_hot": (lambda t, logits, x: DS.RelaxedOneHotCategorical(
        t, logits=logits).log_prob(x),
        {"t": 0.6, "logits": [0.3, -1.2, 0.5], "x": [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_method_gradients(name):
    build, inputs = CASES[name]
    check_gradients(build, {k: np.asarray(v) for k, v in inputs.items()})


KL_CASES = {
    "normal": (lambda l1, s1, l2, s2: D.kl_divergence(D.Normal(l1, s1), D.Normal(l2, s2)),
               {"l1": [0., 1.], "s1": [1., 2.], "l2": [0.5, -1.], "s2": [2., 0.7]}),
    "bernoulli": (lambda a, b: D.kl_divergence(D.Bernoulli(logits=a), D.Bernoulli(logits=b)),
                  {"a": [-1., 2.], "b": [0.5, 0.1]}),
    "categorical": (lambda a, b: D.kl_divergence(D.Categorical(logits=a),
                                                 D.Categorical(logits=b)),
                    {"a": [[0., 1., 2.]], "b": [[1., 1., 0.]]}),
    "beta": (lambda a1, a0, b1, b0: D.kl_divergence(D.Beta(a1, a0), D.Beta(b1, b0)),
             {"a1": [2., 0.5], "a0": [3., 1.5], "b1": [1., 2.], "b0": [1.5, 0.8]}),
    "gamma": (lambda ac, ar, bc, br: D.kl_divergence(D.Gamma(ac, ar), D.Gamma(bc, br)),
              {"ac": [2., 0.5], "ar": [3., 1.], "bc": [1., 1.5], "br": [0.5, 2.]}),
    "dirichlet": (lambda a, b: D.kl_divergence(D.Dirichlet(a), D.Dirichlet(b)),
                  {"a": [[1., 2., 3.]], "b": [[2., 2., 1.]]}),
    "mvn_diag": (lambda l1, s1, l2, s2: DS.kl_divergence(DS.MultivariateNormalDiag(l1, s1),
                                                         DS.MultivariateNormalDiag(l2, s2)),
                 {"l1": [[0., 1.]], "s1": [[1., 2.]], "l2": [[0.5, -1.]], "s2": [[2., 0.7]]}),
    "mvn_tril": (lambda l1, s1, l2, s2: DS.kl_divergence(DS.MultivariateNormalTriL(l1, s1),
                                                         DS.MultivariateNormalTriL(l2, s2)),
                 {"l1": [0., 1.], "s1": [[1., 0.], [0.5, 2.]], "l2": [0.5, -1.],
                  "s2": [[1.5, 0.], [-0.3, 0.7]]}),
    "mvn_tril_diag": (lambda l1, s1, l2, s2: DS.kl_divergence(
        DS.MultivariateNormalTriL(l1, s1), DS.MultivariateNormalDiag(l2, s2)),
        {"l1": [0., 1.], "s1": [[1., 0.], [0.5, 2.]], "l2": [0.5, -1.], "s2": [0.8, 1.3]}),
    "onehot": (lambda a, b: DS.kl_divergence(DS.OneHotCategorical(logits=a),
                                             DS.OneHotCategorical(logits=b)),
               {"a": [[0., 1., 2.]], "b": [[1., 1., 0.]]}),
}


@pytest.mark.parametrize("name", sorted(KL_CASES))
def test_kl_gradients(name):
    build, inputs = KL_CASES[name]
    check_gradients(build, {k: np.asarray(v) for k, v in inputs.items()})
