"""`tf.keras`: Keras for TF 1.x graphs — layers, `Sequential` and functional `Model`s trained in
the Keras session (`tf.keras.backend.get_session()`).

Example:
    >>> model = tf.keras.Sequential([
    ...     tf.keras.layers.Flatten(input_shape=(28, 28)),
    ...     tf.keras.layers.Dense(128, activation="relu"),
    ...     tf.keras.layers.Dense(10, activation="softmax")])
    >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
    ...               metrics=["accuracy"])
    >>> model.fit(x_train, y_train, epochs=1)
"""

from tensorflux.keras import (
    activations,
    applications,
    backend,
    callbacks,
    constraints,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    preprocessing,
    regularizers,
    utils,
)
from tensorflux.keras.engine.input_layer import Input
from tensorflux.keras.engine.sequential import Sequential
from tensorflux.keras.engine.training import Model

__version__ = "2.2.4-tf"

__all__ = [
    "Input", "Model", "Sequential", "activations", "applications", "backend", "callbacks",
    "constraints", "datasets", "initializers", "layers", "losses", "metrics", "models",
    "optimizers", "preprocessing", "regularizers", "utils",
]
