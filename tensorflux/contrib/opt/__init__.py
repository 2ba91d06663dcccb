"""`tf.contrib.opt`: optimizers beyond `tf.train`'s — decoupled weight decay (AdamW, SGDW),
lazy sparse Adam, moving averages of the trained variables with a swapping saver, and
external optimizers (`ScipyOptimizerInterface`, L-BFGS-B through scipy).

Example:
    >>> opt = tf.contrib.opt.AdamWOptimizer(weight_decay=1e-4, learning_rate=1e-3)
    >>> train_op = opt.minimize(loss, global_step=tf.train.get_or_create_global_step())
"""

from tensorflux.contrib.opt.external_optimizer import (
    ExternalOptimizerInterface,
    ScipyOptimizerInterface,
)
from tensorflux.contrib.opt.lazy_adam_optimizer import LazyAdamOptimizer
from tensorflux.contrib.opt.moving_average_optimizer import MovingAverageOptimizer
from tensorflux.contrib.opt.weight_decay_optimizers import (
    AdamWOptimizer,
    DecoupledWeightDecayExtension,
    MomentumWOptimizer,
    extend_with_decoupled_weight_decay,
)

__all__ = [
    "AdamWOptimizer",
    "DecoupledWeightDecayExtension",
    "ExternalOptimizerInterface",
    "LazyAdamOptimizer",
    "MomentumWOptimizer",
    "MovingAverageOptimizer",
    "ScipyOptimizerInterface",
    "extend_with_decoupled_weight_decay",
]
