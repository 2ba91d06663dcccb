"""Loss scales for float16 training (TF 1.15's `tf.train.experimental.*LossScale`).

A loss scale multiplies the loss before differentiation (so small float16 gradients do not
flush to zero) and the gradients are divided by it afterwards. `FixedLossScale` keeps one
value; `DynamicLossScale` keeps two non-trainable variables, `current_loss_scale` (float32) and
`good_steps` (int64), updated after each step by `update(grads)`:

- any gradient non-finite: the step is skipped, the scale is divided by `multiplier` (not
  below 1) and the count of good steps restarts;
- otherwise: one more good step; after `increment_period` of them the scale is multiplied by
  `multiplier` (unless that overflows) and the count restarts.

Example:
    >>> ls = tf.train.experimental.DynamicLossScale()   # 2**15, doubling every 2000 steps
    >>> opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(opt, ls)
"""

from tensorflux.graph import dtypes
from tensorflux.ops import control_flow_ops, manip_ops, math_ops, reduction_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.ops.indexed_slices import IndexedSlices


class LossScale:
    """Base class: `loss_scale()` is the current scale (a float32 scalar tensor)."""

    def __call__(self):
        raise NotImplementedError

    def update(self, grads):
        """Returns (update op, whether the gradients should be applied)."""
        raise NotImplementedError

    def get_config(self):
        raise NotImplementedError

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class FixedLossScale(LossScale):
    """A loss scale that never changes; every step is applied."""

    def __init__(self, loss_scale_value):
        if not isinstance(loss_scale_value, (int, float)) or isinstance(loss_scale_value, bool):
            raise ValueError("loss_scale_value must be a Python int or float.")
        if loss_scale_value < 1:
            raise ValueError("loss_scale_value must be at least 1.")
        self._loss_scale_value = float(loss_scale_value)

    def __call__(self):
        return convert_to_tensor(self._loss_scale_value)

    def update(self, grads):
        del grads
        return control_flow_ops.no_op(), True

    def get_config(self):
        return {"loss_scale_value": self._loss_scale_value}

    def __repr__(self):
        return "FixedLossScale(%s)" % self._loss_scale_value


def _is_all_finite(grads):
    """A bool scalar: every value of every gradient is finite."""
    checks = []
    for g in grads:
        values = g.values if isinstance(g, IndexedSlices) else g
        checks.append(reduction_ops.reduce_all(math_ops.is_finite(values)))
    if len(checks) == 1:
        return checks[0]
    from tensorflux.ops import array_ops

    return reduction_ops.reduce_all(array_ops.stack(checks))


class DynamicLossScale(LossScale):
    """A loss scale that shrinks on overflow and grows after a run of good steps."""

    def __init__(self, initial_loss_scale=2 ** 15, increment_period=2000, multiplier=2.):
        from tensorflux import variables

        self._initial_loss_scale = float(initial_loss_scale)
        self._increment_period = int(increment_period)
        self._multiplier = float(multiplier)
        self._weights = {}
        self._current_loss_scale = variables.Variable(
            self._initial_loss_scale, name="current_loss_scale", dtype=dtypes.float32,
            trainable=False)
        self._num_good_steps = variables.Variable(0, name="good_steps", dtype=dtypes.int64,
                                                  trainable=False)
        self._weights["current_loss_scale"] = self._current_loss_scale
        self._weights["good_steps"] = self._num_good_steps

    @property
    def initial_loss_scale(self):
        return self._initial_loss_scale

    @property
    def increment_period(self):
        return self._increment_period

    @property
    def multiplier(self):
        return self._multiplier

    def __call__(self):
        return convert_to_tensor(self._current_loss_scale)

    def update(self, grads):
        """Returns (op updating the scale and the good-step count, all gradients finite)."""
        grads = [g for g in _flatten(grads) if g is not None]
        scale = convert_to_tensor(self._current_loss_scale)
        good = convert_to_tensor(self._num_good_steps)
        finite = _is_all_finite(grads) if grads else convert_to_tensor(True)
        grow = math_ops.greater_equal(good + 1, self._increment_period)
        grown = scale * self._multiplier
        if_finite = manip_ops.where(math_ops.logical_and(grow, math_ops.is_finite(grown)),
                                    grown, scale)
        shrunk = math_ops.maximum(scale / self._multiplier, 1.)
        new_scale = manip_ops.where(finite, if_finite, shrunk)
        zero = convert_to_tensor(0, dtype=dtypes.int64)
        new_good = manip_ops.where(math_ops.logical_and(finite, math_ops.logical_not(grow)),
                                   good + 1, zero)
        update_op = control_flow_ops.group(self._current_loss_scale.assign(new_scale),
                                           self._num_good_steps.assign(new_good))
        return update_op, finite

    def get_config(self):
        return {"initial_loss_scale": self._initial_loss_scale,
                "increment_period": self._increment_period, "multiplier": self._multiplier}

    def __repr__(self):
        return ("DynamicLossScale(initial_loss_scale=%s, increment_period=%s, multiplier=%s)"
                % (self._initial_loss_scale, self._increment_period, self._multiplier))


def _flatten(x):
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flatten(item)]
    return [x]


def get(identifier):
    """A LossScale from "dynamic", a number (fixed), a LossScale, or None."""
    if isinstance(identifier, (int, float)) and not isinstance(identifier, bool):
        return FixedLossScale(identifier)
    if isinstance(identifier, LossScale):
        return identifier
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier == "dynamic":
        return DynamicLossScale()
    raise ValueError("Could not interpret loss scale identifier: %s" % (identifier,))
