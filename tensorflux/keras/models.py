"""`tf.keras.models`: `Model`, `Sequential`, whole-model HDF5 files and configs.

Example:
    >>> model = tf.keras.models.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
    >>> model.save("model.h5")
    >>> same = tf.keras.models.load_model("model.h5")
"""

from tensorflux.keras.engine.sequential import Sequential
from tensorflux.keras.engine.training import Model
from tensorflux.keras.saving import hdf5_format, model_config


def load_model(filepath, custom_objects=None, compile=True):  # noqa: A002 - Keras' keyword
    """The model in an HDF5 file written by `model.save` (tensorflux or tf_keras), with its
    weights, and compiled from the file's training config when `compile` (optimizer state is
    not restored).

    Example:
        >>> model = tf.keras.models.load_model("model.h5", custom_objects={"Scale": Scale})
    """
    return hdf5_format.load_model(filepath, custom_objects=custom_objects, compile=compile)


def save_model(model, filepath, overwrite=True, include_optimizer=True, save_format=None):
    """`model.save(filepath, ...)`."""
    model.save(filepath, overwrite=overwrite, include_optimizer=include_optimizer,
               save_format=save_format)


def model_from_config(config, custom_objects=None):
    """A new model from `{"class_name": ..., "config": model.get_config()}`."""
    return model_config.model_from_config(config, custom_objects)


def model_from_json(json_string, custom_objects=None):
    """A new model from `model.to_json()`'s string."""
    import json

    return model_config.model_from_config(json.loads(json_string), custom_objects)


__all__ = ["Model", "Sequential", "load_model", "model_from_config", "model_from_json",
           "save_model"]
