"""`tf.keras.models`: `Model`, `Sequential` (and HDF5 `load_model`, which needs h5py).

Example:
    >>> model = tf.keras.models.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
"""

from tensorflux.keras.engine.sequential import Sequential
from tensorflux.keras.engine.training import Model, _check_format


def load_model(filepath, custom_objects=None, compile=True):  # noqa: A002 - Keras' keyword
    """Whole-model files are HDF5 in TF 1.15; tensorflux reads weights only (`load_weights`)."""
    _check_format(filepath, "h5")


__all__ = ["Model", "Sequential", "load_model"]
