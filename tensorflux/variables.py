"""`tf.Variable` (TF1 reference-variable semantics), initializers and collection helpers."""

import contextlib

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, control_flow_ops, math_ops, state_ops


class _PendingOp:
    """Stands in the colocation stack for an op about to be made (the variable)."""

    _colocation = None
    device = ""

    def __init__(self, name):
        self.name = name


@contextlib.contextmanager
def _colocated_with_name(g, name):
    """Ops made inside are colocated with the op `name` (not made yet), as TF marks a
    variable's initializer ops (`_class: loc:@name`), so they run where the variable lives."""
    g._scopes.colocation.append(_PendingOp(name))
    try:
        yield
    finally:
        g._scopes.colocation.pop()


class VariableSynchronization:
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation:
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3


class Variable:
    """A TF1 variable: a `VariableV2` op named `name`, its `name/Assign` initializer and the
    `name/read` snapshot that other ops use.

    Example:
        >>> x = tf.Variable(tf.zeros([200]), name="x")
        >>> x.name
        'x:0'
    """

    def __init__(self, initial_value=None, trainable=None, collections=None,
                 validate_shape=True, caching_device=None, name=None, variable_def=None,
                 dtype=None, expected_shape=None, import_scope=None, constraint=None,
                 use_resource=None, synchronization=VariableSynchronization.AUTO,
                 aggregation=VariableAggregation.NONE, shape=None):
        if variable_def is not None:
            self._init_from_proto(variable_def, import_scope, trainable)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if trainable is None:
            trainable = synchronization != VariableSynchronization.ON_READ
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError("collections argument to Variable constructor must be a list, "
                             "tuple, or set. Got %s of type %s" % (collections, type(collections)))
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        self._trainable = bool(trainable)
        self._constraint = constraint
        self._save_slice_info = None
        self._caching_device = caching_device
        init_from_fn = callable(initial_value)
        # As TF, built in `init_scope`: in the outermost graph (out of a cond branch or loop
        # body), free of control dependencies, and seeing the device functions that an
        # enclosing colocate_with hides
        with graph_lib.init_scope():
            g = graph_lib.get_default_graph()
            with g.name_scope(name or "Variable") as scope:
                if init_from_fn:
                    with g.name_scope("Initializer"), g.device(None), \
                            _colocated_with_name(g, scope.rstrip("/")):
                        initial_value = initial_value()
                        if hasattr(initial_value, "_as_graph_element") and not isinstance(
                                initial_value, Tensor):
                            initial_value = initial_value.initialized_value()
                        self._initial_value = constant_op.convert_to_tensor(
                            initial_value, dtype=dtype, name="initial_value")
                else:
                    self._initial_value = constant_op.convert_to_tensor(
                        initial_value, dtype=dtype, name="initial_value")
                iv = self._initial_value
                shape_ = iv.shape if shape is None else tensor_shape.as_shape(shape)
                if validate_shape and not shape_.is_fully_defined():
                    raise ValueError("initial_value must have a shape specified: %s" % iv)
                if not validate_shape and shape is None:
                    shape_ = tensor_shape.unknown_shape()
                self._variable = state_ops.variable_op(shape_, iv.dtype.base_dtype, name=scope)
                self._initializer_op = state_ops.assign(self._variable, iv,
                                                        validate_shape=validate_shape,
                                                        name="Assign").op
                with g.colocate_with(self._variable.op):
                    self._snapshot = array_ops.identity(self._variable, name="read")
        g.add_to_collections(collections, self)
        self._graph = g

    # --- identity ---------------------------------------------------------------------------
    @property
    def name(self):
        return self._variable.name

    @property
    def op(self):
        return self._variable.op

    @property
    def graph(self):
        return self._variable.graph

    @property
    def dtype(self):
        """The reference dtype (`float32_ref`), as TF 1.x reports it; `.base_dtype` is float32."""
        return self._variable.dtype.base_dtype._as_ref

    @property
    def shape(self):
        return self._variable.shape

    def get_shape(self):
        return self._variable.shape

    @property
    def device(self):
        return self._variable.device

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def initializer(self):
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    def _as_graph_element(self):
        return self._variable

    def _ref(self):
        return self._variable

    def value(self):
        return self._snapshot

    def read_value(self):
        """A fresh read of the variable (ordered by the control dependencies around it)."""
        return array_ops.identity(self._variable, name="read")

    def initialized_value(self):
        """The value after initialization: initializes first if the variable is not yet."""
        from tensorflux.ops import cond_ops

        with graph_lib.init_scope():
            return cond_ops.cond(is_variable_initialized(self), self.read_value,
                                 lambda: self._initial_value)

    def eval(self, session=None):
        return self._variable.eval(session=session)

    def load(self, value, session=None):
        """Writes `value` into the variable in `session` (default session if None)."""
        from tensorflux.client import session as session_lib

        session = session or session_lib.get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session "
                             "should be established")
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    # --- updates ----------------------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        r = state_ops.assign(self._variable, value, use_locking=use_locking, name=name)
        return r if read_value else r.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        r = state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return r if read_value else r.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        r = state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return r if read_value else r.op

    def count_up_to(self, limit):
        raise NotImplementedError("count_up_to is not supported")

    def _set_save_slice_info(self, info):
        self._save_slice_info = info

    def _get_save_slice_info(self):
        return self._save_slice_info

    # --- misc ---------------------------------------------------------------------------------
    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype.name)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __iter__(self):
        raise TypeError("'Variable' object is not iterable.")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError("Cannot convert a symbolic Variable (%s) to a numpy array."
                                  % self.name)

    def _init_from_proto(self, variable_def, import_scope=None, trainable=None):
        """Wraps the existing ops a `VariableDef` names (a variable of an imported graph)."""
        from tensorflux.graph import graph_protos

        vd = variable_def
        if isinstance(vd, bytes):
            vd = graph_protos.VariableDef.FromString(vd)
        g = graph_lib.get_default_graph()

        def element(name):
            return g.as_graph_element(_prepend_scope(name, import_scope))

        self._variable = element(vd.variable_name)
        self._initializer_op = element(vd.initializer_name)
        self._snapshot = element(vd.snapshot_name)
        self._initial_value = (element(vd.initial_value_name) if vd.initial_value_name
                               else None)
        self._trainable = bool(vd.trainable) if trainable is None else bool(trainable)
        self._constraint = None
        self._save_slice_info = None
        self._caching_device = None
        self._graph = g

    def to_proto(self, export_scope=None):
        """This variable's `VariableDef` message (names relative to `export_scope`)."""
        from tensorflux.graph import graph_protos

        def name(x):
            n = x.name
            return n[len(export_scope) + 1:] if export_scope and n.startswith(
                export_scope + "/") else n

        vd = graph_protos.VariableDef(variable_name=name(self._variable),
                                      initializer_name=name(self._initializer_op),
                                      snapshot_name=name(self._snapshot),
                                      trainable=self._trainable)
        if self._initial_value is not None:
            vd.initial_value_name = name(self._initial_value)
        return vd

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        """A Variable over the ops of the default graph that `variable_def` names."""
        return Variable(variable_def=variable_def, import_scope=import_scope)


def _prepend_scope(name, scope):
    return "%s/%s" % (scope, name) if scope else name


VariableV1 = Variable
RefVariable = Variable


def _var_to_tensor(v, dtype=None, name=None, as_ref=False):
    if as_ref:
        return v._variable
    return v._snapshot


constant_op.register_tensor_conversion_function(Variable, _var_to_tensor)


def _delegate(method):
    def fn(self, *args):
        return getattr(self._snapshot, method)(*args)
    fn.__name__ = method
    return fn


for _m in ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
           "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
           "__rpow__", "__matmul__", "__rmatmul__", "__neg__", "__abs__", "__lt__", "__le__",
           "__gt__", "__ge__", "__and__", "__rand__", "__or__", "__ror__", "__xor__",
           "__rxor__", "__invert__", "__getitem__"]:
    setattr(Variable, _m, _delegate(_m))


# --- collections and initializers ----------------------------------------------------------
def global_variables(scope=None):
    return graph_lib.get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None):
    return graph_lib.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return graph_lib.get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return graph_lib.get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return graph_lib.get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """An op that runs every variable's initializer."""
    if var_list:
        return control_flow_ops.group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


def global_variables_initializer():
    return variables_initializer(global_variables())


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init")


initialize_all_variables = global_variables_initializer
initialize_variables = variables_initializer
initialize_local_variables = local_variables_initializer


def is_variable_initialized(variable):
    return state_ops.is_variable_initialized(variable)


def assert_variables_initialized(var_list=None):
    var_list = global_variables() if var_list is None else var_list
    if not var_list:
        return None
    from tensorflux.ops import reduction_ops

    ranks = array_ops.stack([is_variable_initialized(v) for v in var_list])
    return reduction_ops.reduce_all(ranks)


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor naming the variables not yet initialized in the session."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    with graph_lib.name_scope(name):
        if not var_list:
            return constant_op.constant(np.array([], dtype=object), dtype=dtypes.string)
        from tensorflux.ops import gather_ops

        inited = array_ops.stack([state_ops.is_variable_initialized(v) for v in var_list])
        names = constant_op.constant(np.array([v.op.name.encode() for v in var_list],
                                              dtype=object), dtype=dtypes.string)
        return gather_ops.boolean_mask(names, math_ops.logical_not(inited))
