"""Helpers shared by the distribution families: parameter conversion, logits/probs, the
normal CDF (`ndtr`, `log_ndtr`) and log-combinations, written with public ops as in TF 1.x."""

import numpy as np

import tensorflux as tf
from tensorflux.graph.tensor import Tensor


def identity_param(value, name):
    """TF's `array_ops.identity(param, name=...)`: a `name/input` Const feeding `name`."""
    with tf.name_scope(name) as scope:
        if not isinstance(value, Tensor):
            value = tf.convert_to_tensor(value, name="input")
        return tf.identity(value, name=scope)


def assert_same_float_dtype(tensors, dtype=None):
    """Raises ValueError unless every tensor has one floating dtype; returns it."""
    for t in tensors:
        t_dtype = t.dtype.base_dtype
        if dtype is None:
            dtype = t_dtype
        if t_dtype != dtype:
            raise ValueError("%s, type=%s: expected type %s." % (t.name, t_dtype.name, dtype.name))
    if dtype is not None and not dtype.is_floating:
        raise ValueError("Expected floating point type, got %s." % dtype)
    return dtype


def maybe_assert_positive(tensors, validate_args):
    """Control inputs checking every tensor is > 0 when `validate_args`."""
    if not validate_args:
        return []
    return [tf.assert_positive(t) for t in tensors]


def get_logits_and_probs(logits=None, probs=None, multidimensional=False, validate_args=False,
                         name="get_logits_and_probs", dtype=None):
    """Converts whichever of `logits`/`probs` is given and derives the other."""
    with tf.name_scope(name, values=[probs, logits]):
        if (probs is None) == (logits is None):
            raise ValueError("Must pass probs or logits, but not both.")
        if probs is None:
            logits = tf.convert_to_tensor(logits, name="logits", dtype=dtype)
            if not logits.dtype.is_floating:
                raise TypeError("logits must having floating type.")
            if multidimensional:
                return logits, tf.nn.softmax(logits, name="probs")
            return logits, tf.sigmoid(logits, name="probs")
        probs = tf.convert_to_tensor(probs, name="probs", dtype=dtype)
        if not probs.dtype.is_floating:
            raise TypeError("probs must having floating type.")
        if validate_args:
            with tf.name_scope("validate_probs"):
                one = tf.constant(1., probs.dtype)
                checks = [tf.assert_non_negative(probs)]
                if multidimensional:
                    checks.append(tf.assert_near(
                        tf.reduce_sum(probs, -1), one, message="probs does not sum to 1."))
                else:
                    checks.append(tf.assert_less_equal(
                        probs, one, message="probs has components greater than 1."))
                probs = _with_deps(probs, checks)
        with tf.name_scope("logits"):
            if multidimensional:
                return tf.log(probs), probs
            return tf.log(probs) - tf.log1p(-1. * probs), probs


def _with_deps(t, deps):
    with tf.control_dependencies(deps):
        return tf.identity(t)


def ndtr(x, name="ndtr"):
    """The standard normal CDF, `0.5 * erfc(-x / sqrt(2))`, accurate in both tails."""
    with tf.name_scope(name, values=[x]):
        x = tf.convert_to_tensor(x, name="x")
        half_sqrt_2 = tf.constant(0.5 * np.sqrt(2.), dtype=x.dtype, name="half_sqrt_2")
        w = x * half_sqrt_2
        z = tf.abs(w)
        y = tf.where(tf.less(z, half_sqrt_2), 1. + tf.erf(w),
                     tf.where(tf.greater(w, 0.), 2. - tf.erfc(z), tf.erfc(z)))
        return 0.5 * y


def log_ndtr(x, series_order=3, name="log_ndtr"):
    """`log(ndtr(x))`, using TF's asymptotic series far in the lower tail."""
    with tf.name_scope(name, values=[x]):
        x = tf.convert_to_tensor(x, name="x")
        if x.dtype == tf.float64:
            lower, upper = -20., 8.
        else:
            lower, upper = -10., 5.
        return tf.where(
            tf.greater(x, upper), -ndtr(-x),  # log(1 - e) ~= -e for tiny e
            tf.where(tf.greater(x, lower), tf.log(ndtr(tf.maximum(x, lower))),
                     _log_ndtr_lower(tf.minimum(x, lower), series_order)))


def _log_ndtr_lower(x, series_order):
    x_2 = tf.square(x)
    log_scale = -0.5 * x_2 - tf.log(-x) - 0.5 * np.log(2. * np.pi)
    even_sum = tf.zeros_like(x)
    odd_sum = tf.zeros_like(x)
    x_2n = x_2
    for n in range(1, series_order + 1):
        y = float(np.prod(np.arange(2 * n - 1, 0, -2))) / x_2n
        if n % 2:
            odd_sum += y
        else:
            even_sum += y
        x_2n *= x_2
    return log_scale + tf.log(1. + even_sum - odd_sum)


def log_combinations(n, counts, name="log_combinations"):
    """`log(n! / prod(counts!))` over the last axis of `counts`."""
    with tf.name_scope(name, values=[n, counts]):
        n = tf.convert_to_tensor(n, name="n")
        counts = tf.convert_to_tensor(counts, name="counts")
        total_permutations = tf.lgamma(n + 1)
        counts_factorial = tf.lgamma(counts + 1)
        redundant_permutations = tf.reduce_sum(counts_factorial, axis=[-1])
        return total_permutations - redundant_permutations

