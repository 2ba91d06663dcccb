"""`tf.train.experimental` (TF 1.15): mixed precision training.

`enable_mixed_precision_graph_rewrite(opt)` wraps `opt` in a loss-scaling optimizer and turns on
the float16 graph rewrite (passes/mixed_precision.py) for every Session created afterwards.

Example:
    >>> opt = tf.train.experimental.enable_mixed_precision_graph_rewrite(
    ...     tf.train.AdamOptimizer(1e-3))
    >>> train_op = opt.minimize(loss)
    >>> sess = tf.Session()   # MatMul/Conv2D and their gradients run in float16 on GPUs
"""

from tensorflux.passes import mixed_precision as _rewrite
from tensorflux.platform import tf_logging as _logging
from tensorflux.train.loss_scale import DynamicLossScale, FixedLossScale, LossScale
from tensorflux.train.loss_scale_optimizer import MixedPrecisionLossScaleOptimizer
from tensorflux.train.optimizer import Optimizer as _Optimizer


def enable_mixed_precision_graph_rewrite(opt, loss_scale="dynamic"):
    """Returns `opt` wrapped in a MixedPrecisionLossScaleOptimizer and turns the rewrite on.

    The rewrite applies to Sessions created after this call: on a GPU, MatMul, BatchMatMul,
    Conv2D and their gradients compute in float16 (variables stay float32). `loss_scale` is
    "dynamic" (the default: 2**15, halved on overflow, doubled every 2000 good steps), a number
    (a fixed scale) or a `LossScale`.
    """
    if isinstance(opt, MixedPrecisionLossScaleOptimizer):
        raise ValueError('"opt" must not already be an instance of a '
                         "MixedPrecisionLossScaleOptimizer. `enable_mixed_precision_graph_"
                         "rewrite` will automatically wrap the optimizer with a "
                         "MixedPrecisionLossScaleOptimizer.")
    if not isinstance(opt, _Optimizer):
        raise ValueError('"opt" must be an instance of a tf.train.Optimizer or a '
                         "tf.keras.optimizers.Optimizer, but got: %s" % (opt,))
    from tensorflux.client import session as _session

    if _session.get_default_session() is not None:
        _logging.warning("You already have existing Sessions that do not use mixed precision. "
                         "enable_mixed_precision_graph_rewrite() will not affect these "
                         "Sessions.")
    opt = MixedPrecisionLossScaleOptimizer(opt, loss_scale)
    _rewrite.set_graph_rewrite_enabled(True)
    return opt


def disable_mixed_precision_graph_rewrite():
    """Turns the float16 rewrite off for Sessions created afterwards (loss scaling stays)."""
    if not _rewrite.graph_rewrite_enabled():
        _logging.warning("disable_mixed_precision_graph_rewrite() called when mixed precision "
                         "is already disabled.")
    _rewrite.set_graph_rewrite_enabled(False)


__all__ = ["DynamicLossScale", "FixedLossScale", "LossScale", "MixedPrecisionLossScaleOptimizer",
           "disable_mixed_precision_graph_rewrite", "enable_mixed_precision_graph_rewrite"]
