"""`tf.keras.Sequential`: a linear stack of layers, built as soon as its input shape is known.

With `input_shape=` on the first layer (or an `InputLayer`/`Input` first), each `add` calls the
new layer on the previous output at once, as TF 1.x Keras does (the input placeholder is named
`<first layer>_input`). Without it, the model is built on its first call, `build`, or `fit`
(from the data's shape).
"""

from tensorflux.keras import backend
from tensorflux.keras.engine import base_layer, input_layer, training


class Sequential(training.Model):
    """A `Model` whose layers are applied one after the other.

    Example:
        >>> model = tf.keras.Sequential([
        ...     tf.keras.layers.Flatten(input_shape=(28, 28)),
        ...     tf.keras.layers.Dense(128, activation="relu"),
        ...     tf.keras.layers.Dense(10, activation="softmax")])
        >>> model.output_shape
        (None, 10)
    """

    _is_sequential = True

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._stack = []
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self):
        return [layer for layer in self._stack if not isinstance(layer, input_layer.InputLayer)]

    def add(self, layer):
        """Appends `layer` (and connects it when the model already has an input).

        Example:
            >>> model.add(tf.keras.layers.Dense(10))
        """
        if not isinstance(layer, base_layer.Layer):
            raise TypeError("The added layer must be an instance of class Layer. Found: "
                            + str(layer))
        if any(layer is existing for existing in self._stack):
            raise ValueError("The layer %s is already in the model." % layer.name)
        if isinstance(layer, input_layer.InputLayer):
            self._stack.append(layer)
            self._connect(layer.output[0])
            return
        self._stack.append(layer)
        if self.outputs:
            self._connect(self.inputs[0])
        elif len(self._stack) == 1 and _declared_input(layer) is not None:
            x = input_layer.Input(batch_shape=_declared_input(layer)._batch_input_shape,
                                  dtype=_declared_input(layer).dtype, name=layer.name + "_input")
            self._stack.insert(0, _input_layer_of(x))
            self._connect(x)

    def pop(self):
        """Removes the last layer."""
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        if self.inputs and self.layers:
            self._layers = []
            self._connect(self.inputs[0], reuse=True)
        elif not self.layers:
            self.inputs, self.outputs, self._nodes, self._layers = [], [], [], []
            self.built = False

    def _connect(self, x, reuse=False):
        """(Re)builds the graph network from input tensor `x` through the stack."""
        out = x
        for layer in self._stack:
            if isinstance(layer, input_layer.InputLayer):
                continue
            if reuse and layer._inbound_nodes:
                out = layer._inbound_nodes[0].output_tensors
            else:
                out = layer(out) if not _connected(layer, out) else _output_for(layer, out)
        self._init_graph_network(x, out)

    def build(self, input_shape=None):
        """Builds the stack on a placeholder of `input_shape` (batch dimension included)."""
        if self.outputs:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        x = input_layer.Input(batch_shape=tuple(input_shape),
                              name=self._stack[0].name + "_input")
        self._stack.insert(0, _input_layer_of(x))
        self._connect(x)

    def _build_from_arrays(self, xs):
        if not self._stack:
            raise ValueError("The Sequential model has no layers.")
        self.build((None,) + tuple(xs[0].shape[1:]))

    def call(self, inputs, training=None, mask=None):
        out = inputs
        for layer in self.layers:
            kwargs = {"training": training} if (training is not None
                                                and layer._call_accepts("training")) else {}
            out = layer(out, **kwargs)
        return out

    def __call__(self, inputs, *args, **kwargs):
        if not self.outputs and self._stack:
            self.build(backend.int_shape(inputs))
        return super().__call__(inputs, *args, **kwargs)

    @property
    def output_shape(self):
        return backend.int_shape(self.outputs[0])

    def get_config(self):
        """`{"name", "layers"}`: each layer's `{"class_name", "config", ...}`, input first."""
        from tensorflux.keras.saving import model_config

        return model_config.sequential_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new Sequential model (fresh weights) from `get_config()`'s dict."""
        from tensorflux.keras.saving import model_config

        return model_config.sequential_from_config(cls, config, custom_objects)


def _declared_input(layer):
    """The layer whose `_batch_input_shape` gives the model's input: `layer` itself, or for a
    graph model used as the first layer, its own first layer (TF 1.x, nested models too)."""
    while getattr(layer, "_is_graph_network", False) or isinstance(layer, Sequential):
        if not layer.layers:
            raise ValueError("An empty Model cannot be used as a Layer.")
        layer = layer.layers[0]
    return layer if hasattr(layer, "_batch_input_shape") else None


def _input_layer_of(tensor):
    from tensorflux.keras.engine import node as node_lib

    return node_lib.history(tensor)[0].layer


def _connected(layer, x):
    return any(n.inputs and n.inputs[0] is x for n in layer._inbound_nodes)


def _output_for(layer, x):
    for n in layer._inbound_nodes:
        if n.inputs and n.inputs[0] is x:
            return n.output_tensors
    return layer(x)
