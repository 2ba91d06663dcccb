"""Learning-rate schedules (`tf.train.exponential_decay`, ...): tensors of the global step.

Each function builds the decayed rate from `global_step` with the formulas of TF's
`learning_rate_schedule` classes, in the same name scope (`ExponentialDecay`, ...), and returns
the tensor (graph mode). Example:

    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.1, step, decay_steps=1000, decay_rate=0.96,
                                    staircase=True)
"""

import math

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, manip_ops, math_ops, random_ops
from tensorflux.ops.constant_op import convert_to_tensor


def _need_step(global_step, fn):
    if global_step is None:
        raise ValueError("global_step is required for %s." % fn)


def _start(learning_rate, global_step, *params):
    """(learning_rate tensor, float step, params cast to its dtype) — TF's preamble."""
    lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
    dtype = lr.dtype
    cast = [math_ops.cast(p, dtype) for p in params]
    step = math_ops.cast(global_step, dtype)
    return lr, dtype, step, cast


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """`learning_rate * decay_rate ^ (global_step / decay_steps)` (floored if staircase)."""
    _need_step(global_step, "exponential_decay")
    with graph_lib.name_scope(name or "ExponentialDecay") as scope:
        lr, _, step, (steps, rate) = _start(learning_rate, global_step, decay_steps, decay_rate)
        p = step / steps
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(lr, math_ops.pow(rate, p), name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """`learning_rate * exp(-decay_rate * global_step / decay_steps)`."""
    _need_step(global_step, "natural_exp_decay")
    natural_exp_rate = math_ops.exp(math_ops.negative(decay_rate))
    return exponential_decay(learning_rate, global_step, decay_steps, natural_exp_rate,
                             staircase=staircase, name=name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """`learning_rate / (1 + decay_rate * global_step / decay_steps)`."""
    _need_step(global_step, "inverse_time_decay")
    with graph_lib.name_scope(name or "InverseTimeDecay") as scope:
        lr, dtype, step, (steps, rate) = _start(learning_rate, global_step, decay_steps,
                                                decay_rate)
        p = step / steps
        if staircase:
            p = math_ops.floor(p)
        const = math_ops.cast(convert_to_tensor(1), dtype)
        denom = math_ops.add(const, math_ops.multiply(rate, p))
        return math_ops.divide(lr, denom, name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):
    """Polynomial decay from `learning_rate` to `end_learning_rate` over `decay_steps`."""
    _need_step(global_step, "polynomial_decay")
    with graph_lib.name_scope(name or "PolynomialDecay") as scope:
        lr, dtype, step, (end_lr, power_t, steps) = _start(
            learning_rate, global_step, end_learning_rate, power, decay_steps)
        if cycle:
            multiplier = manip_ops.where_v2(
                math_ops.equal(step, 0), 1.0, math_ops.ceil(step / decay_steps))
            steps = math_ops.multiply(steps, multiplier)
        else:
            step = math_ops.minimum(step, steps)
        p = math_ops.divide(step, steps)
        return math_ops.add(math_ops.multiply(lr - end_lr, math_ops.pow(1 - p, power_t)),
                            end_lr, name=scope)


def piecewise_constant(x, boundaries, values, name=None):
    """`values[i]` where `boundaries[i-1] < x <= boundaries[i]` (first/last outside).

    Example:
        >>> lr = tf.train.piecewise_constant(step, [100000, 110000], [1.0, 0.5, 0.1])
    """
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    boundaries = [convert_to_tensor(b) for b in boundaries]
    values = [convert_to_tensor(v) for v in values]
    x_t = convert_to_tensor(x)
    for i, b in enumerate(boundaries):
        if b.dtype.base_dtype != x_t.dtype.base_dtype:
            if b.dtype.base_dtype == dtypes.int32 and x_t.dtype.base_dtype == dtypes.int64:
                boundaries[i] = math_ops.cast(b, dtypes.int64)
            else:
                raise ValueError("Boundaries (%s) must have the same dtype as x (%s)."
                                 % (b.dtype.base_dtype, x_t.dtype.base_dtype))
    for v in values[1:]:
        if v.dtype.base_dtype != values[0].dtype.base_dtype:
            raise ValueError("Values must have elements all with the same dtype (%s vs %s)."
                             % (values[0].dtype.base_dtype, v.dtype.base_dtype))
    with graph_lib.name_scope(name or "PiecewiseConstant") as scope:
        # The exclusive cases of TF's `tf.case`, as a chain of selects.
        out = manip_ops.where_v2(math_ops.greater(x_t, boundaries[-1]), values[-1], values[0])
        for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            inside = math_ops.logical_and(math_ops.greater(x_t, low),
                                          math_ops.less_equal(x_t, high))
            out = manip_ops.where_v2(inside, v, out)
        return array_ops.identity(out, name=scope)


piecewise_constant_decay = piecewise_constant


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """Cosine decay (Loshchilov & Hutter) to `alpha * learning_rate` after `decay_steps`."""
    _need_step(global_step, "cosine_decay")
    with graph_lib.name_scope(name or "CosineDecay"):
        lr, _, step, (steps,) = _start(learning_rate, global_step, decay_steps)
        step = math_ops.minimum(step, steps)
        completed_fraction = step / steps
        cosine_decayed = 0.5 * (1.0 + math_ops.cos(
            convert_to_tensor(math.pi) * completed_fraction))
        decayed = (1 - alpha) * cosine_decayed + alpha
        return math_ops.multiply(lr, decayed)


def cosine_decay_restarts(learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0,
                          alpha=0.0, name=None):
    """Cosine decay with warm restarts (SGDR); period `t_mul`, amplitude `m_mul` per restart."""
    _need_step(global_step, "cosine_decay_restarts")
    with graph_lib.name_scope(name or "SGDRDecay") as scope:
        lr, _, step, (first, alpha_t, t_mul_t, m_mul_t) = _start(
            learning_rate, global_step, first_decay_steps, alpha, t_mul, m_mul)
        completed_fraction = step / first
        if t_mul == 1.0:
            i_restart = math_ops.floor(completed_fraction)
            completed_fraction -= i_restart
        else:
            i_restart = math_ops.floor(
                math_ops.log(1.0 - completed_fraction * (1.0 - t_mul_t)) / math_ops.log(t_mul_t))
            sum_r = (1.0 - t_mul_t ** i_restart) / (1.0 - t_mul_t)
            completed_fraction = (completed_fraction - sum_r) / t_mul_t ** i_restart
        m_fac = m_mul_t ** i_restart
        cosine_decayed = 0.5 * m_fac * (1.0 + math_ops.cos(
            convert_to_tensor(math.pi) * completed_fraction))
        decayed = (1 - alpha_t) * cosine_decayed + alpha_t
        return math_ops.multiply(lr, decayed, name=scope)


def linear_cosine_decay(learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0,
                        beta=0.001, name=None):
    """Linear cosine decay (Bello et al., 2017)."""
    _need_step(global_step, "linear_cosine_decay")
    with graph_lib.name_scope(name or "LinearCosineDecay") as scope:
        lr, _, step, (steps, periods, alpha_t, beta_t) = _start(
            learning_rate, global_step, decay_steps, num_periods, alpha, beta)
        step = math_ops.minimum(step, steps)
        linear_decayed = (steps - step) / steps
        fraction = 2.0 * periods * (step / steps)
        cosine_decayed = 0.5 * (1.0 + math_ops.cos(convert_to_tensor(math.pi) * fraction))
        return math_ops.multiply(lr, (alpha_t + linear_decayed) * cosine_decayed + beta_t,
                                 name=scope)


def noisy_linear_cosine_decay(learning_rate, global_step, decay_steps, initial_variance=1.0,
                              variance_decay=0.55, num_periods=0.5, alpha=0.0, beta=0.001,
                              name=None):
    """Linear cosine decay with Gaussian noise on the linear term."""
    _need_step(global_step, "noisy_linear_cosine_decay")
    with graph_lib.name_scope(name or "NoisyLinearCosineDecay") as scope:
        lr, _, step, (steps, variance0, vdecay, periods, alpha_t, beta_t) = _start(
            learning_rate, global_step, decay_steps, initial_variance, variance_decay,
            num_periods, alpha, beta)
        step = math_ops.minimum(step, steps)
        linear_decayed = (steps - step) / steps
        variance = variance0 / math_ops.pow(1.0 + step, vdecay)
        std = math_ops.sqrt(variance)
        noisy = linear_decayed + random_ops.random_normal(linear_decayed.shape, stddev=std)
        fraction = 2.0 * periods * (step / steps)
        cosine_decayed = 0.5 * (1.0 + math_ops.cos(convert_to_tensor(math.pi) * fraction))
        return math_ops.multiply(lr, (alpha_t + noisy) * cosine_decayed + beta_t, name=scope)
