"""`tf.keras.layers.Layer`: the Keras layer base, on top of the `tf.layers` machinery.

Keras layers differ from `tf.layers` in how they name things, not in their math:
- layer names are `dense`, `dense_1`, … (per graph, zero-based: `backend.unique_object_name`);
- each call opens the name scope `<layer name>` (uniquified by the graph), and weights are plain
  `tf.Variable`s made in it on the first call, so `dense/kernel:0`; no variable scope and no
  `get_variable` reuse is involved;
- updates (BatchNormalization's moving averages) and losses stay on the layer (`layer.updates`,
  `layer.losses`, gathered by `Model`), not in the UPDATE_OPS / REGULARIZATION_LOSSES collections;
- weight values are read and written in the Keras session (`tf.keras.backend.get_session()`);
- every call is recorded as a `Node`, which the functional `Model` walks;
- a layer's `compute_mask` gives its outputs a Keras mask (`Embedding(mask_zero=True)`,
  `Masking`), kept in a weak table beside the tensor; a later layer whose `call` takes `mask`
  receives its inputs' masks (an `LSTM` skips padded steps). The mask is not a call argument
  of the node, so model configs stay as tf_keras writes them.
"""

import weakref

import numpy as np

from tensorflux import variables as variables_lib
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.keras import backend, initializers, regularizers
from tensorflux.keras.engine import node as node_lib
from tensorflux.layers import base as tf_base
from tensorflux.ops import constant_op, init_ops

_MASKS = weakref.WeakKeyDictionary()   # tensor -> its Keras mask (a bool tensor)


def get_mask(tensor):
    """The Keras mask of `tensor` (what `tensor._keras_mask` is in tf_keras), or None."""
    try:
        return _MASKS.get(tensor)
    except TypeError:
        return None


def _set_masks(tensors, masks):
    tensors = tensors if isinstance(tensors, (list, tuple)) else [tensors]
    masks = masks if isinstance(masks, (list, tuple)) else [masks] * len(tensors)
    for tensor, mask in zip(tensors, masks):
        if mask is not None:
            try:
                _MASKS[tensor] = mask
            except TypeError:  # not a weak-referencable tensor
                pass


class Layer(tf_base.Layer):
    """Base class of Keras layers: subclasses implement `build(input_shape)` and `call(inputs)`.

    Example:
        >>> class Scale(tf.keras.layers.Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight("w", shape=[int(input_shape[-1])])
        ...     def call(self, x):
        ...         return x * self.w
        >>> y = Scale()(tf.placeholder(tf.float32, [None, 3]))     # variable scale/w:0
    """

    # tf_keras config keys for features tensorflux lacks, each with the one value it supports.
    _absent_config = {}
    # Whether tf_keras' class has its own `build` (a model config then records `build_config`).
    _records_build_shape = False
    # Whether the outputs keep the inputs' Keras mask (tf_keras' `supports_masking` of a layer
    # that works per time step: Dense, Dropout, activations, normalizations).
    _passes_mask = False

    def _init_set_name(self, name):
        if not name:
            name = backend.unique_object_name(tf_base.to_snake_case(type(self).__name__))
        self._name = name
        self._base_name = name
        self._inbound_nodes = []

    # --- weights ----------------------------------------------------------------------------
    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, partitioner=None, use_resource=None,
                   synchronization=variables_lib.VariableSynchronization.AUTO,
                   aggregation=variables_lib.VariableAggregation.NONE, **kwargs):
        """Creates a `tf.Variable` `name` in the current name scope (the layer's, in a call).

        Example:
            >>> self.kernel = self.add_weight("kernel", shape=[4, 3],
            ...                               initializer="glorot_uniform")
        """
        if synchronization == variables_lib.VariableSynchronization.ON_READ:
            trainable = False
        elif trainable is None:
            trainable = True
        dtype = dtypes.as_dtype(dtype or self.dtype or backend.floatx())
        initializer = initializers.get(initializer)
        if initializer is None:
            initializer = (initializers.glorot_uniform() if dtype.is_floating
                           else init_ops.zeros_initializer())
        if isinstance(initializer, type):
            initializer = initializer()
        shape = [int(d) for d in tensor_shape.as_shape(shape or []).as_list()]

        def initial_value():
            return initializer(shape, dtype=dtype)

        variable = variables_lib.Variable(initial_value, name=name, dtype=dtype,
                                          trainable=trainable, constraint=constraint)
        backend.track_variable(variable)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            with graph_lib.name_scope(name + "/Regularizer"):
                self.add_loss(regularizer(variable))
        if trainable:
            self._trainable_weights.append(variable)
        else:
            self._non_trainable_weights.append(variable)
        return variable

    add_variable = add_weight

    def add_loss(self, losses, inputs=None):
        """Adds loss tensor(s) to `self.losses` (Keras keeps them off the collections)."""
        losses = losses if isinstance(losses, (list, tuple)) else [losses]
        for loss in losses:
            loss = loss() if callable(loss) else loss
            if loss is not None:
                self._losses.append(constant_op.convert_to_tensor(loss))

    def _session(self):
        return backend.get_session()

    # --- calling ----------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        """Builds the layer on first use, then applies `call` in the name scope `self.name`."""
        for reserved in ("training", "mask"):
            if reserved in kwargs and not self._call_accepts(reserved):
                kwargs.pop(reserved)
        if isinstance(inputs, (np.ndarray, float, int)):
            inputs = constant_op.convert_to_tensor(inputs)
        first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        g = getattr(first, "graph", None) or graph_lib.get_default_graph()
        input_mask = _input_masks(inputs)
        call_kwargs = kwargs
        if "mask" not in kwargs and input_mask is not None and self._call_accepts("mask"):
            call_kwargs = dict(kwargs, mask=input_mask)
        with g.as_default(), g.name_scope(self.name):
            tf_base.assert_input_compatibility(self.input_spec, inputs, self.name)
            if not self.built:
                self._maybe_build(inputs)
            outputs = self.call(inputs, *args, **call_kwargs)
            if outputs is None:
                raise ValueError("A layer's `call` method should return a Tensor or a list of "
                                 "Tensors, not None (layer: " + self.name + ").")
            self._handle_activity_regularization(outputs)
            if input_mask is not None or type(self).compute_mask is not Layer.compute_mask:
                _set_masks(outputs, self.compute_mask(inputs, call_kwargs.get("mask",
                                                                                input_mask)))
        node_lib.Node(self, inputs, outputs, args, kwargs)
        return outputs

    def compute_mask(self, inputs, mask=None):
        """The outputs' mask: the input mask where the layer `supports_masking`, else None
        (tf_keras raises TypeError for a mask reaching such a layer; tensorflux drops it)."""
        return mask if self.supports_masking or self._passes_mask else None

    def _maybe_build(self, inputs):
        xs = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if not self.built and getattr(self, "_build_input_shape", None) is None:
            self._build_input_shape = _shapes(inputs)
        if self._dtype is None:
            dtype = getattr(xs[0], "dtype", None)
            self._dtype = dtype.base_dtype.name if dtype is not None and (
                dtype.is_floating) else backend.floatx()
        super()._maybe_build(inputs)

    # --- graph facts ------------------------------------------------------------------------
    def _node_tensors(self, attr):
        if not self._inbound_nodes:
            raise AttributeError("Layer " + self.name + " is not connected, no input to return.")
        return getattr(self._inbound_nodes[0], attr)

    @property
    def input(self):
        return self._node_tensors("input_tensors")

    @property
    def output(self):
        return self._node_tensors("output_tensors")

    @property
    def input_shape(self):
        return _shapes(self.input)

    @property
    def output_shape(self):
        return _shapes(self.output)

    @property
    def inbound_nodes(self):
        return self._inbound_nodes

    # --- configs ----------------------------------------------------------------------------
    def get_config(self):
        """The layer's constructor arguments, with tf_keras' keys (a subclass adds its own).

        Example:
            >>> tf.keras.layers.Dense(2, name="d").get_config()["units"]
            2
        """
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": self._dtype or backend.floatx()}
        if hasattr(self, "_batch_input_shape"):
            config["batch_input_shape"] = self._batch_input_shape
        config.update(self._absent_config)
        return config

    @classmethod
    def from_config(cls, config):
        """A new layer from `get_config()`'s dict (no weights, no connections).

        Keys of tf_keras features that tensorflux lacks are accepted at their neutral value
        (`groups=1`, `ragged=False`, ...); any other value raises NotImplementedError.
        """
        config = dict(config)
        for key, neutral in cls._absent_config.items():
            value = config.pop(key, neutral)
            if value != neutral:
                raise NotImplementedError("%s(%s=%r) is not supported by tensorflux."
                                          % (cls.__name__, key, value))
        return cls(**config)

    def __repr__(self):
        return "<tensorflux.keras.layers.%s object at %#x>" % (type(self).__name__, id(self))


def _input_masks(inputs):
    """The inputs' masks (a list for a list of inputs), None when no input has one."""
    if isinstance(inputs, (list, tuple)):
        masks = [get_mask(t) for t in inputs]
        return masks if any(m is not None for m in masks) else None
    return get_mask(inputs)


def _shapes(tensors):
    if isinstance(tensors, (list, tuple)):
        return [backend.int_shape(t) for t in tensors]
    return backend.int_shape(tensors)
