"""`tf.keras.datasets.fashion_mnist`: Fashion-MNIST from the IDX files on disk (no download by
default: Debian's `dataset-fashion-mnist`, or `$TENSORFLUX_DATA_DIR/fashion-mnist`)."""

from tensorflux.datasets import fashion_mnist as _fashion_mnist


def load_data(data_dir=None):
    """`(x_train, y_train), (x_test, y_test)`: uint8 images `(N, 28, 28)`, labels 0..9.

    Example:
        >>> (x_train, y_train), _ = tf.keras.datasets.fashion_mnist.load_data()
    """
    return _fashion_mnist.load_data(data_dir)
