"""`tf.layers.Layer`: the TF 1.x layer base class, with variables made by `get_variable`.

A layer owns a variable scope, captured the first time it is needed (at construction when
`name`/`_scope` is given, else at the first call, named after the class: `conv2d`, `conv2d_1`…).
Every call re-enters that scope with `reuse=True` once the layer is built, and opens the scope's
original name scope, so ops read `conv2d/Conv2D`, `conv2d/BiasAdd`, and a second call of the
same layer gives `conv2d/BiasAdd_1`. Variables go through `tf.get_variable`, so enclosing
`variable_scope`s, their reuse flag, initializer, regularizer and custom getters apply.
"""

import inspect
import re
import weakref

import numpy as np

from tensorflux import variable_scope as vs
from tensorflux import variables as variables_lib
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.operation import Operation
from tensorflux.ops import array_ops, constant_op, math_ops

# Per-graph counters behind default layer names ("dense_1", "dense_2", …), as Keras keeps them.
_NAME_UIDS = weakref.WeakKeyDictionary()


def to_snake_case(name):
    """"Conv2DTranspose" -> "conv2d_transpose", "BatchNormalization" -> "batch_normalization"."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if insecure[0] != "_":
        return insecure
    return "private" + insecure


def _unique_object_name(base_name):
    uids = _NAME_UIDS.setdefault(graph_lib.get_default_graph(), {})
    uids[base_name] = uids.get(base_name, 0) + 1
    return "%s_%d" % (base_name, uids[base_name])


class InputSpec:
    """What a layer accepts: `ndim`, `min_ndim`, `max_ndim`, `dtype`, fixed `axes` sizes."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtypes.as_dtype(dtype).name if dtype is not None else None
        shape = tensor_shape.as_shape(shape) if shape is not None else None
        self.shape = None if shape is None or shape.ndims is None else tuple(shape.as_list())
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = {int(k): v for k, v in (axes or {}).items()}

    def __repr__(self):
        spec = [("dtype=" + str(self.dtype)) if self.dtype else "",
                ("shape=" + str(self.shape)) if self.shape else "",
                ("ndim=" + str(self.ndim)) if self.ndim else "",
                ("max_ndim=" + str(self.max_ndim)) if self.max_ndim else "",
                ("min_ndim=" + str(self.min_ndim)) if self.min_ndim else "",
                ("axes=" + str(self.axes)) if self.axes else ""]
        return "InputSpec(%s)" % ", ".join(x for x in spec if x)


def _display_shape(shape):
    return str(tuple(shape.as_list())) if shape.ndims is not None else "<unknown>"


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises ValueError (Keras's messages) when `inputs` do not satisfy `input_spec`."""
    if not input_spec:
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    xs = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    for i, (x, spec) in enumerate(zip(xs, specs)):
        if spec is None:
            continue
        shape = x.shape
        if shape.ndims is None:
            return
        ndim = shape.ndims
        head = 'Input %d of layer "%s" is incompatible with the layer: ' % (i, layer_name)
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise ValueError(head + "expected ndim=%d, found ndim=%d. Full shape received: %s"
                             % (spec.ndim, ndim, _display_shape(shape)))
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(head + "expected max_ndim=%d, found ndim=%d" % (spec.max_ndim, ndim))
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(head + "expected min_ndim=%d, found ndim=%d. Full shape received: %s"
                             % (spec.min_ndim, ndim, _display_shape(shape)))
        if spec.dtype is not None and x.dtype.name != spec.dtype:
            raise ValueError(head + "expected dtype=%s, found dtype=%s" % (spec.dtype, x.dtype))
        dims = shape.as_list()
        for axis, value in spec.axes.items():
            if value is not None and dims[axis] not in (value, None):
                raise ValueError('Input %d of layer "%s" is incompatible with the layer: '
                                 "expected axis %d of input shape to have value %s, but "
                                 "received input with shape %s"
                                 % (i, layer_name, axis, value, _display_shape(shape)))


def _add_elements_to_collection(elements, collection_name):
    collection = graph_lib.get_collection_ref(collection_name)
    present = {id(e) for e in collection}
    for e in elements:
        if id(e) not in present:
            collection.append(e)
            present.add(id(e))


class Layer:
    """Base class of `tf.layers` layers (TF 1.x graph semantics).

    Subclasses implement `build(input_shape)` (create weights with `add_weight`) and
    `call(inputs, ...)`; `__call__` wraps them in the layer's variable scope.

    Example:
        >>> layer = tf.layers.Dense(3)
        >>> y = layer(tf.placeholder(tf.float32, [None, 4]))
        >>> [v.name for v in layer.variables]
        ['dense/kernel:0', 'dense/bias:0']
    """

    _ALLOWED_KWARGS = {"input_shape", "batch_input_shape", "batch_size", "weights",
                       "activity_regularizer", "autocast", "dynamic", "implementation"}

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        for kwarg in kwargs:
            if kwarg not in self._ALLOWED_KWARGS:
                raise TypeError("Keyword argument not understood:", kwarg)
        self._activity_regularizer = kwargs.get("activity_regularizer")
        self._initial_weights = kwargs.get("weights")
        if kwargs.get("batch_input_shape") or kwargs.get("input_shape"):  # read by tf.keras
            self._batch_input_shape = tuple(kwargs.get("batch_input_shape") or (
                (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])))
        self._trainable = trainable
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype.name
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._trainable_weights = []
        self._non_trainable_weights = []
        self._updates = []
        self._losses = []
        self._init_set_name(name)
        if scope:
            with vs.variable_scope(scope) as captured:
                self._scope = captured
        else:
            self._scope = None
        self._current_scope = None

    def _init_set_name(self, name):
        if isinstance(name, vs.VariableScope):
            base_name = name.name
            self._name = _unique_object_name(to_snake_case(type(self).__name__))
        else:
            base_name = name
            self._name = name
        if not name:
            base_name = to_snake_case(type(self).__name__)
            self._name = _unique_object_name(base_name)
        self._base_name = base_name

    # --- properties -------------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    @property
    def activity_regularizer(self):
        return self._activity_regularizer

    @activity_regularizer.setter
    def activity_regularizer(self, regularizer):
        self._activity_regularizer = regularizer

    @property
    def scope_name(self):
        if not self._scope:
            raise ValueError('No name available for layer scope because the layer "' + self._name
                             + '" has not been used yet. The scope name  is determined the '
                             "first time the layer instance is called. You must therefore "
                             "call the layer before querying `scope_name`.")
        return self._scope.name

    @property
    def trainable_weights(self):
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self):
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self):
        return list(self._updates) if self.trainable else []

    @property
    def losses(self):
        return list(self._losses)

    @property
    def graph(self):
        return None

    # --- weights, losses, updates ---------------------------------------------------------------
    def _set_scope(self, scope=None):
        if self._scope is None:
            if self._reuse:
                with vs.variable_scope(scope if scope is not None else self._base_name) as s:
                    self._scope = s
            else:
                with vs.variable_scope(scope, default_name=self._base_name) as s:
                    self._scope = s

    def _name_scope(self):
        return self._current_scope.original_name_scope

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, use_resource=None,
                   synchronization=variables_lib.VariableSynchronization.AUTO,
                   aggregation=variables_lib.VariableAggregation.NONE, partitioner=None,
                   **kwargs):
        """Creates (or, when the layer reuses, gets) variable `name` in the layer's scope.

        A regularizer's loss is added once, when the variable is created, to `self.losses`
        and to `tf.GraphKeys.REGULARIZATION_LOSSES`.
        """
        for kwarg in kwargs:
            if kwarg != "experimental_autocast":
                raise TypeError("Unknown keyword argument:", kwarg)
        if synchronization == variables_lib.VariableSynchronization.ON_READ:
            if trainable:
                raise ValueError("Synchronization value can be set to "
                                 "VariableSynchronization.ON_READ only for non-trainable "
                                 "variables. You have specified trainable=True and "
                                 "synchronization=VariableSynchronization.ON_READ.")
            trainable = False
        elif trainable is None:
            trainable = True
        g = graph_lib.get_default_graph()
        existing = set(variables_lib.global_variables())
        dtype = dtypes.as_dtype(dtype or self.dtype or dtypes.float32)
        self._set_scope(None)
        reuse = self.built or self._reuse
        with vs.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope:
            self._current_scope = scope
            with g.name_scope(self._name_scope()):
                if initializer is None:
                    initializer = scope.initializer
                variable = vs.get_variable(name, shape=shape, dtype=dtype,
                                           initializer=initializer,
                                           trainable=trainable and self.trainable,
                                           constraint=constraint, partitioner=partitioner,
                                           use_resource=use_resource)
                if regularizer and variable not in existing:
                    with g.name_scope(name + "/Regularizer"):
                        loss = regularizer(variable)
                    if loss is not None:
                        self.add_loss(loss)
        if trainable and self.trainable and variable in variables_lib.trainable_variables():
            self._trainable_weights.append(variable)
        else:
            self._non_trainable_weights.append(variable)
        return variable

    add_variable = add_weight

    def add_loss(self, losses, inputs=None):
        """Adds loss tensor(s) to the layer and to `REGULARIZATION_LOSSES`."""
        losses = losses if isinstance(losses, (list, tuple)) else [losses]
        new = []
        for loss in losses:
            if callable(loss):
                loss = loss()
            if loss is None:
                continue
            new.append(constant_op.convert_to_tensor(loss))
        self._losses.extend(new)
        _add_elements_to_collection(new, GraphKeys.REGULARIZATION_LOSSES)

    def add_update(self, updates, inputs=None):
        """Adds update op(s) (or zero-argument callables making them) to the layer."""
        updates = updates if isinstance(updates, (list, tuple)) else [updates]
        for u in updates:
            if callable(u):
                u = u()
            if isinstance(u, Operation):
                self._updates.append(u)
            elif hasattr(u, "op"):
                self._updates.append(u.op)
            else:
                self._updates.append(constant_op.convert_to_tensor(u))

    def get_updates_for(self, inputs):
        return self.updates

    def get_losses_for(self, inputs):
        return self.losses

    # --- building and calling -----------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def compute_output_shape(self, input_shape):
        raise NotImplementedError("Please run in eager mode or implement the "
                                  "compute_output_shape method on your layer (%s)."
                                  % type(self).__name__)

    def __call__(self, inputs, *args, **kwargs):
        """Builds the layer on first use (in its variable scope), then applies `call`.

        `scope=` (reserved) names the variable scope on the first call.
        """
        scope = kwargs.pop("scope", None)
        for reserved in ("training", "mask"):  # Keras drops them for a `call` without them
            if reserved in kwargs and not self._call_accepts(reserved):
                kwargs.pop(reserved)
        if isinstance(inputs, (np.ndarray, float, int)):
            inputs = constant_op.convert_to_tensor(inputs)
        self._set_scope(scope)
        reuse = True if self.built else self._reuse
        first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        g = getattr(first, "graph", None) or graph_lib.get_default_graph()
        with g.as_default(), vs.variable_scope(self._scope, reuse=reuse,
                                               auxiliary_name_scope=False) as sc:
            self._current_scope = sc
            with g.name_scope(self._name_scope()):
                assert_input_compatibility(self.input_spec, inputs, self.name)
                if not self.built:
                    self._maybe_build(inputs)
                outputs = self.call(inputs, *args, **kwargs)
                if outputs is None:
                    raise ValueError("A layer's `call` method should return a Tensor or a list "
                                     "of Tensors, not None (layer: " + self.name + ").")
                self._handle_activity_regularization(outputs)
            _add_elements_to_collection(self.updates, GraphKeys.UPDATE_OPS)
        return outputs

    def _call_accepts(self, arg):
        params = inspect.signature(self.call).parameters
        return arg in params or any(p.kind == p.VAR_KEYWORD for p in params.values())

    def _maybe_build(self, inputs):
        xs = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if self._dtype is None and xs and hasattr(xs[0], "dtype"):
            self._dtype = xs[0].dtype.base_dtype.name
        shapes = [x.shape for x in xs]
        self.build(shapes if isinstance(inputs, (list, tuple)) else shapes[0])
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def _handle_activity_regularization(self, outputs):
        if not self._activity_regularizer:
            return
        outs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        with graph_lib.name_scope("ActivityRegularizer"):
            for out in outs:
                loss = constant_op.convert_to_tensor(self._activity_regularizer(out))
                batch_size = math_ops.cast(array_ops.shape(out)[0], loss.dtype)
                self.add_loss(math_ops.truediv(loss, batch_size))

    def apply(self, inputs, *args, **kwargs):
        return self(inputs, *args, **kwargs)

    # --- weight values ----------------------------------------------------------------------
    def _session(self):
        from tensorflux.client import session as session_lib

        sess = session_lib.get_default_session()
        if sess is None:
            raise ValueError("get_weights/set_weights need a default session "
                             "(`with tf.Session() as sess:` or `sess.as_default()`).")
        return sess

    def get_weights(self):
        """The weights' values (numpy arrays) in the default session."""
        return self._session().run(self.weights) if self.weights else []

    def set_weights(self, weights):
        """Loads numpy arrays into the weights (in `weights` order) in the default session."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError('You called `set_weights(weights)` on layer "%s" with a weight list '
                             "of length %d, but the layer was expecting %d weights."
                             % (self.name, len(weights), len(params)))
        sess = self._session()
        for p, w in zip(params, weights):
            w = np.asarray(w)
            if tuple(p.shape.as_list()) != w.shape:
                raise ValueError("Layer weight shape %s not compatible with provided weight "
                                 "shape %s" % (tuple(p.shape.as_list()), w.shape))
            p.load(w, sess)

    def count_params(self):
        if not self.built:
            raise ValueError("You tried to call `count_params` on " + self.name + ", but "
                             "the layer isn't built. You can build it manually via: `" + self.name
                             + ".build(batch_input_shape)`.")
        return int(sum(np.prod(w.shape.as_list()) for w in self.weights))

    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable}
        if self._dtype is not None:
            config["dtype"] = self._dtype
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return "<%s.%s object at %#x>" % (type(self).__module__, type(self).__name__, id(self))
