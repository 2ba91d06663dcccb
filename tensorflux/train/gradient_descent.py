"""`tf.train.GradientDescentOptimizer`: var -= learning_rate * grad."""

from tensorflux.ops import training_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.train.optimizer import Optimizer


class GradientDescentOptimizer(Optimizer):
    """Plain stochastic gradient descent.

    Example:
        >>> train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    """

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor = None

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_gradient_descent(
            var, self._cast(self._learning_rate_tensor, var), grad,
            use_locking=self._use_locking).op
