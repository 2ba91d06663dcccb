"""`tf.keras.Input` and `InputLayer`: a placeholder that starts a functional model."""

from tensorflux.graph import dtypes
from tensorflux.keras import backend
from tensorflux.keras.engine import base_layer
from tensorflux.keras.engine import node as node_lib
from tensorflux.ops import array_ops


class InputLayer(base_layer.Layer):
    """Holds the model's input placeholder (named after the layer: `input_1:0`).

    Example:
        >>> layer = tf.keras.layers.InputLayer(input_shape=(28, 28, 1))
        >>> layer.output.shape.as_list()
        [None, 28, 28, 1]
    """

    def __init__(self, input_shape=None, batch_size=None, dtype=None, input_tensor=None,
                 sparse=False, name=None, **kwargs):
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        if kwargs:
            raise ValueError("Unrecognized keyword arguments: %s" % sorted(kwargs))
        if not name:
            name = "input_%d" % backend.get_uid("input")
        super().__init__(name=name, dtype=dtype or backend.floatx())
        self.built = True
        self.sparse = sparse
        if input_tensor is None:
            if batch_input_shape is None:
                if input_shape is None:
                    raise ValueError("An InputLayer needs `input_shape`, `batch_input_shape` "
                                     "or `input_tensor`.")
                batch_input_shape = (batch_size,) + tuple(input_shape)
            input_tensor = array_ops.placeholder(dtypes.as_dtype(self.dtype),
                                                 shape=batch_input_shape, name=self.name)
            self.is_placeholder = True
        else:
            self.is_placeholder = False
            batch_input_shape = backend.int_shape(input_tensor)
        self._batch_input_shape = tuple(batch_input_shape)
        node_lib.Node(self, [], [input_tensor])

    @property
    def output_shape(self):
        return [backend.int_shape(self.output[0])]

    _absent_config = {"ragged": False, "optional": False}

    def get_config(self):
        config = {"batch_input_shape": self._batch_input_shape, "dtype": self.dtype,
                  "sparse": self.sparse, "name": self.name}
        config.update(self._absent_config)
        return config


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=False,  # noqa: N802
          tensor=None, batch_shape=None, **kwargs):
    """A symbolic input (a placeholder) of per-example `shape`.

    Example:
        >>> inputs = tf.keras.Input(shape=(784,))
        >>> outputs = tf.keras.layers.Dense(10)(inputs)
        >>> model = tf.keras.Model(inputs, outputs)
    """
    if shape is None and batch_shape is None and tensor is None:
        raise ValueError("Please provide to Input either a `shape` or a `batch_shape` argument. "
                         "Note that `shape` does not include the batch dimension.")
    if batch_shape is None and shape is not None:
        batch_shape = (batch_size,) + tuple(shape)
    layer = InputLayer(batch_input_shape=batch_shape, name=name, dtype=dtype, sparse=sparse,
                       input_tensor=tensor, **kwargs)
    return layer.output[0]
