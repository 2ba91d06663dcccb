"""The optimizer argument of the canned estimators: a name ('Adagrad', 'Adam', 'Ftrl',
'RMSProp', 'SGD') with the estimator's default learning rate, an Optimizer, or a callable
that returns one.
"""

from tensorflux.train.adagrad import AdagradOptimizer
from tensorflux.train.adam import AdamOptimizer
from tensorflux.train.ftrl import FtrlOptimizer
from tensorflux.train.gradient_descent import GradientDescentOptimizer
from tensorflux.train.optimizer import Optimizer
from tensorflux.train.rmsprop import RMSPropOptimizer

_OPTIMIZER_CLS_NAMES = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}


def get_optimizer_instance(opt, learning_rate=None):
    """An Optimizer from `opt` (a name, an Optimizer, or a callable returning one)."""
    if isinstance(opt, str):
        if opt in _OPTIMIZER_CLS_NAMES:
            if not learning_rate:
                raise ValueError("learning_rate must be specified when opt is string.")
            return _OPTIMIZER_CLS_NAMES[opt](learning_rate=learning_rate)
        raise ValueError("Unsupported optimizer name: {}. Supported names are: {}"
                         .format(opt, tuple(sorted(_OPTIMIZER_CLS_NAMES))))
    if callable(opt) and not isinstance(opt, Optimizer):
        opt = opt()
    if not isinstance(opt, Optimizer):
        raise ValueError("The given object is not an Optimizer instance. Given: {}".format(opt))
    return opt
