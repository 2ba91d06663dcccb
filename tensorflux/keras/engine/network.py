"""`Network`: a graph of Keras layer calls from input tensors to output tensors (the functional
API), or a subclass that writes its own `call`. `Model` adds training on top.

A functional network remembers the layer calls (nodes) between its inputs and outputs. Its
`outputs` are the tensors the user built; calling the network on new tensors replays the
nodes on them (the layers, and so the weights, are shared).
"""

from tensorflux.keras import backend
from tensorflux.keras.engine import base_layer
from tensorflux.keras.engine import input_layer as input_layer_lib
from tensorflux.keras.engine import node as node_lib


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _unique(items):
    seen, out = set(), []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


class Network(base_layer.Layer):
    """A graph of layers: `Network(inputs, outputs)` or a subclass with `call`."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        name = kwargs.pop("name", None)
        trainable = kwargs.pop("trainable", True)
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._layers = []
        self._nodes = []
        self.inputs, self.outputs = [], []
        self._is_graph_network = False
        if inputs is not None and outputs is not None:
            self._init_graph_network(inputs, outputs)

    def _init_graph_network(self, inputs, outputs):
        self._nested_inputs, self._nested_outputs = inputs, outputs
        self.inputs, self.outputs = _as_list(inputs), _as_list(outputs)
        self._nodes = node_lib.nodes_between(self.inputs, self.outputs)
        input_layers = []
        for t in self.inputs:
            record = node_lib.history(t)
            if record is None or not isinstance(record[0].layer,
                                                input_layer_lib.InputLayer):
                raise ValueError("Input tensors to a Model must come from `tf.keras.Input`. "
                                 "Received: %s" % getattr(t, "name", t))
            input_layers.append(record[0].layer)
        self._input_layers = input_layers
        self._layers = _layers_by_depth(self.outputs, set(map(id, self.inputs)))
        self._is_graph_network = True
        self.built = True

    # --- layers and weights -----------------------------------------------------------------
    def __setattr__(self, name, value):
        # Subclassed models track the layers assigned to attributes, in assignment order.
        if isinstance(value, base_layer.Layer) and not name.startswith("_") \
                and "_layers" in self.__dict__ and not self.__dict__.get("_is_graph_network"):
            if all(value is not layer for layer in self._layers):
                self._layers.append(value)
        super().__setattr__(name, value)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        # TF 1.14+: freezing a model freezes its layers, so a new model built on
        # `base.input`/`base.output` sees them frozen too (transfer learning).
        self._trainable = bool(value)
        for layer in self.__dict__.get("_layers", []):
            layer.trainable = value

    @property
    def input(self):
        """A functional model's input tensor(s), as given to the constructor."""
        if self._is_graph_network:  # its own, also after it was called on other tensors
            return self._nested_inputs
        return super().input

    @property
    def output(self):
        """A functional model's output tensor(s), as given to the constructor."""
        if self._is_graph_network:  # its own, also after it was called on other tensors
            return self._nested_outputs
        return super().output

    @property
    def layers(self):
        return list(self._layers)

    def get_layer(self, name=None, index=None):
        """The layer called `name` (or at position `index`)."""
        if index is not None:
            if len(self._layers) <= index:
                raise ValueError("Was asked to retrieve layer at index %d but model only has "
                                 "%d layers." % (index, len(self._layers)))
            return self._layers[index]
        for layer in self._layers:
            if layer.name == name:
                return layer
        raise ValueError("No such layer: " + str(name))

    def _gather(self, attr):
        return _unique([w for layer in self._layers for w in getattr(layer, attr)]
                       + list(getattr(self, "_" + attr, [])))

    @property
    def trainable_weights(self):
        return self._gather("trainable_weights") if self.trainable else []

    @property
    def non_trainable_weights(self):
        if self.trainable:
            return self._gather("non_trainable_weights")
        return self._gather("weights")

    @property
    def weights(self):
        """Every weight, layer by layer (each layer's trainable, then non-trainable ones)."""
        return _unique([w for layer in self._layers for w in layer.weights]
                       + self._trainable_weights + self._non_trainable_weights)

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self):
        """The layers' update ops (batch-norm statistics) computed from this network's inputs.

        A layer called on several inputs (a model reused on a new `Input`, as in
        `Sequential([base_model, ...])`) holds one update per call; only the calls made from
        this network's own inputs count (TF 1.x's `get_updates_for`).
        """
        updates = _unique(_leaf_updates(self))
        return _own_updates(updates, self.inputs) if self._is_graph_network else updates

    @property
    def losses(self):
        return _unique([x for layer in self._layers for x in layer.losses] + self._losses)

    def count_params(self):
        return int(sum(_size(w) for w in self.weights))

    # --- calling ----------------------------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        """Replays the network's layer calls on new `inputs`."""
        if not self._is_graph_network:
            raise NotImplementedError("A subclassed Model must implement `call`.")
        mapping = {id(old): new for old, new in zip(self.inputs, _as_list(inputs))}
        for node in self._nodes:
            args = [mapping.get(id(t), t) for t in node.inputs]
            args = args if isinstance(node.input_tensors, (list, tuple)) else args[0]
            kwargs = dict(node.call_kwargs)
            if training is not None and node.layer._call_accepts("training"):
                kwargs["training"] = training
            out = node.layer(args, *node.call_args, **kwargs)
            for old, new in zip(node.outputs, _as_list(out)):
                mapping[id(old)] = new
        outputs = [mapping[id(t)] for t in self.outputs]
        return outputs if isinstance(self._nested_outputs, (list, tuple)) else outputs[0]

    def _maybe_build(self, inputs):
        if type(self).build is Network.build:  # layers build themselves when called
            self._dtype = self._dtype or backend.floatx()
            self.built = True
            return
        super()._maybe_build(inputs)

    def build(self, input_shape):
        if self._is_graph_network:
            self.built = True
            return
        shapes = input_shape if isinstance(input_shape, list) else [input_shape]
        inputs = [backend.placeholder(shape=tuple(s)) for s in shapes]
        self(inputs if isinstance(input_shape, list) else inputs[0])

    def compute_output_shape(self, input_shape):
        return [backend.int_shape(t) for t in self.outputs]

    # --- configs ----------------------------------------------------------------------------
    def get_config(self):
        """tf_keras' functional config: layers, their inbound nodes, input and output layers.

        Example:
            >>> [entry["name"] for entry in model.get_config()["layers"]]
            ['input_1', 'dense']
        """
        from tensorflux.keras.saving import model_config

        return model_config.layer_config(self)

    def to_json(self, **kwargs):
        """The model config as JSON (`tf.keras.models.model_from_json` reads it back)."""
        import json

        from tensorflux import keras
        from tensorflux.keras.saving import model_config

        config = model_config.model_to_config(self)
        config.update(keras_version=keras.__version__, backend="tensorflow")
        return json.dumps(config, **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new functional model (fresh weights) from `get_config()`'s dict.

        Example:
            >>> clone = tf.keras.Model.from_config(model.get_config())
        """
        from tensorflux.keras.saving import model_config

        return model_config.functional_from_config(cls, config, custom_objects)

    def summary(self, line_length=None, positions=None, print_fn=None):
        """Prints a table of the layers, output shapes and parameter counts (TF 1.15 layout).

        Example:
            >>> model.summary()
            Model: "sequential"
            ...
        """
        from tensorflux.keras.utils import layer_utils

        if not self.built:
            raise ValueError("This model has not yet been built. Build the model first by "
                             "calling `build()` or calling `fit()` with some data, or specify "
                             "an `input_shape` argument in the first layer(s) for automatic "
                             "build.")
        layer_utils.print_summary(self, line_length=line_length, positions=positions,
                                  print_fn=print_fn)


def _leaf_updates(network):
    """Every update of `network`'s trainable layers, nested networks unfiltered."""
    if not network.trainable:
        return []
    found = []
    for layer in network._layers:
        found += _leaf_updates(layer) if isinstance(layer, Network) else layer.updates
    return found + list(network._updates)


def _own_updates(updates, inputs):
    """`updates` minus those computed from the `Input` of another network."""
    own = set(map(id, inputs))
    memo = {}  # op -> whether it depends on a foreign Keras input

    def foreign_input(t):
        record = node_lib.history(t)
        if record is None or not isinstance(record[0].layer, input_layer_lib.InputLayer):
            return None
        return id(t) not in own

    def depends_on_foreign(root):
        stack, pending = [(root, False)], set()
        while stack:
            op, expanded = stack.pop()
            if op in memo:
                continue
            if expanded:
                pending.discard(op)
                memo[op] = any(
                    foreign_input(t) or (foreign_input(t) is None and memo.get(t.op, False))
                    for t in op.inputs) or any(memo.get(c, False) for c in op.control_inputs)
                continue
            pending.add(op)
            stack.append((op, True))
            for t in op.inputs:
                if foreign_input(t) is None and t.op not in memo and t.op not in pending:
                    stack.append((t.op, False))
            stack.extend((c, False) for c in op.control_inputs
                         if c not in memo and c not in pending)
        return memo[root]

    return [u for u in updates if not depends_on_foreign(getattr(u, "op", u))]


def _layers_by_depth(outputs, input_ids):
    """The layers feeding `outputs`, deepest first, ties in depth-first discovery order from
    the outputs (Keras' `model.layers` order)."""
    depth, index = {}, {}

    def visit(tensor, d):
        record = node_lib.history(tensor)
        if record is None:
            return
        layer = record[0].layer
        index.setdefault(id(layer), (len(index), layer))
        if depth.get(id(layer), -1) >= d and id(layer) in depth:
            return
        depth[id(layer)] = max(depth.get(id(layer), 0), d)
        if id(tensor) in input_ids:
            return
        for t in record[0].inputs:
            visit(t, d + 1)

    for t in outputs:
        visit(t, 0)
    order = sorted(index.values(), key=lambda item: (-depth[id(item[1])], item[0]))
    return [layer for _, layer in order]


def _size(w):
    n = 1
    for d in w.shape.as_list():
        n *= int(d)
    return n
