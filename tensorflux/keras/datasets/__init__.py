"""`tf.keras.datasets`: `mnist`, `fashion_mnist`, `cifar10` with Keras' `load_data()` contract.

Example:
    >>> (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
"""

from tensorflux.keras.datasets import cifar10, fashion_mnist, mnist

__all__ = ["cifar10", "fashion_mnist", "mnist"]
