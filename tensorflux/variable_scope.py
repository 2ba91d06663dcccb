"""`variable_scope` and `get_variable`: named variable sharing with TF 1.x reuse rules."""

import contextlib
import functools

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import init_ops


class _ReuseMode:
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """A variable namespace with defaults (initializer, regularizer, dtype, reuse, getter)."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        self._name = name
        self._reuse = reuse
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    dtype = property(lambda self: self._dtype)
    use_resource = property(lambda self: self._use_resource)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_dtype(self, dtype):
        self._dtype = dtype

    def set_caching_device(self, caching_device):
        self._caching_device = caching_device

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter):
        self._custom_getter = custom_getter

    def set_use_resource(self, use_resource):
        self._use_resource = use_resource

    def get_collection(self, name):
        scope = self._name + "/" if self._name else ""
        return graph_lib.get_collection(name, scope)

    def trainable_variables(self):
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self):
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self):
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def _copy(self, **changes):
        s = VariableScope(self._reuse, self._name, self._initializer, self._regularizer,
                          self._caching_device, self._partitioner, self._custom_getter,
                          self._name_scope, self._dtype, self._use_resource, self._constraint)
        for k, v in changes.items():
            setattr(s, "_" + k, v)
        return s

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None, **kwargs):
        full_name = self._name + "/" + name if self._name else name
        if reuse is None or reuse is False:
            reuse = self._reuse if reuse is None else (self._reuse or reuse)
        initializer = initializer if initializer is not None else self._initializer
        regularizer = regularizer if regularizer is not None else self._regularizer
        if dtype is None:
            dtype = self._dtype
        constraint = constraint if constraint is not None else self._constraint
        partitioner = partitioner if partitioner is not None else self._partitioner
        getter = var_store.get_variable
        cg = custom_getter if custom_getter is not None else self._custom_getter  # TF: replaces
        if cg is not None:
            getter = functools.partial(cg, getter)
        g = graph_lib.get_default_graph()
        with g.name_scope(None):
            return getter(full_name, shape=shape, dtype=dtype, initializer=initializer,
                          regularizer=regularizer, reuse=reuse, trainable=trainable,
                          collections=collections, caching_device=caching_device,
                          partitioner=partitioner, validate_shape=validate_shape,
                          use_resource=use_resource, constraint=constraint, **kwargs)


class _VariableStore:
    """All variables made by get_variable in one graph, by full name."""

    def __init__(self):
        self._vars = {}

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, constraint=None, synchronization=None,
                     aggregation=None, custom_getter=None, **kwargs):
        from tensorflux import variables

        if partitioner is not None:
            from tensorflux.ops import partitioned_variables

            return partitioned_variables.get_partitioned_variable(
                self, name, partitioner, shape=shape, dtype=dtype, initializer=initializer,
                regularizer=regularizer, reuse=reuse, trainable=trainable,
                collections=collections, caching_device=caching_device,
                validate_shape=validate_shape, constraint=constraint)
        if name not in self._vars and name + "/part_0" in self._vars:
            raise ValueError("No partitioner was provided, but a partitioned version of the "
                             "variable was found: %s/part_0. Perhaps a variable of the same "
                             "name was already created with partitioning?" % name)
        dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else dtypes.float32
        shape = tensor_shape.as_shape(shape) if shape is not None else None
        if name in self._vars:
            v = self._vars[name]
            if reuse is False or reuse is None:
                # TF 2.21's text (its compat.v1 variables keep no creation traceback); TF 1.x
                # added "Originally defined at: <traceback>".
                raise ValueError("Variable %s already exists, disallowed. Did you mean to set "
                                 "reuse=True or reuse=tf.AUTO_REUSE in VarScope?" % name)
            if shape is not None and not shape.is_compatible_with(v.get_shape()):
                raise ValueError("Trying to share variable %s, but specified shape %s and found "
                                 "shape %s." % (name, shape, v.get_shape()))
            if dtype != v.dtype.base_dtype:
                raise ValueError("Trying to share variable %s, but specified dtype %s and found "
                                 "dtype %s." % (name, dtype.name, v.dtype.name))
            return v
        if reuse is True:
            raise ValueError("Variable %s does not exist, or was not created with "
                             "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                             "VarScope?" % name)
        init_is_value = initializer is not None and not callable(initializer)
        if init_is_value and shape is not None:
            raise ValueError("If initializer is a constant, do not specify shape.")
        if shape is None and not init_is_value:
            raise ValueError("Shape of a new variable (%s) must be fully defined, but instead "
                             "was %s." % (name, shape))
        if shape is not None and not shape.is_fully_defined() and not init_is_value \
                and validate_shape:
            raise ValueError("Shape of a new variable (%s) must be fully defined, but instead "
                             "was %s." % (name, shape))
        if initializer is None:
            if dtype.is_floating:
                initializer = init_ops.glorot_uniform_initializer()
            elif dtype.is_integer or dtype.is_bool or dtype == dtypes.string:
                initializer = init_ops.zeros_initializer()
            else:
                raise ValueError("An initializer for variable %s of %s is required"
                                 % (name, dtype.base_dtype))
        if init_is_value:
            init_val = initializer
            var_dtype = None if hasattr(initializer, "dtype") else dtype
        else:
            if isinstance(initializer, type):
                initializer = initializer(dtype=dtype)
            dims = shape.as_list()
            init_val = functools.partial(initializer, dims, dtype=dtype)
            var_dtype = dtype
        v = variables.Variable(initial_value=init_val, name=name, trainable=trainable,
                               collections=collections, caching_device=caching_device,
                               dtype=var_dtype, validate_shape=validate_shape,
                               constraint=constraint)
        self._vars[name] = v
        if regularizer is not None:
            g = graph_lib.get_default_graph()
            with g.name_scope(name + "/Regularizer/"):
                loss = regularizer(v)
            if loss is not None:
                g.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return v


def _state(g=None):
    g = g or graph_lib.get_default_graph()
    if g._var_store is None:
        g._var_store = _VariableStore()
        g._var_scope = VariableScope(False)
    return g


def _get_default_variable_store():
    return _state()._var_store


def get_variable_scope():
    """The current VariableScope."""
    return _state()._var_scope


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=None, aggregation=None):
    """Gets an existing variable or creates a new one under the current variable scope.

    Example:
        >>> with tf.variable_scope("foo"):
        ...     v = tf.get_variable("v", [1])
        >>> v.name
        'foo/v:0'
    """
    g = _state()
    return g._var_scope.get_variable(
        g._var_store, name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable, collections=collections,
        caching_device=caching_device, partitioner=partitioner, validate_shape=validate_shape,
        use_resource=use_resource, custom_getter=custom_getter, constraint=constraint)


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       trainable=False, collections=None, **kwargs):
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape, dtype, initializer, regularizer, trainable=False,
                        collections=collections, **kwargs)


def _unique_scope_name(g, prefix):
    cur = g._var_scope.name
    name = cur + "/" + prefix if cur else prefix
    counts = g._var_scope_counts
    if counts.get(name, 0) == 0:
        return prefix
    idx = 1
    while counts.get("%s_%d" % (name, idx), 0) > 0:
        idx += 1
    return "%s_%d" % (prefix, idx)


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                   reuse=None, dtype=None, use_resource=None, constraint=None,
                   auxiliary_name_scope=True):
    """Opens a variable scope (and a matching name scope); yields the VariableScope.

    `reuse=True` shares existing variables, `tf.AUTO_REUSE` creates or shares, and a reusing
    scope's sub-scopes inherit reuse.
    """
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse is False:
        reuse = None
    g = graph_lib._graph_from_values(values) if values else graph_lib.get_default_graph()
    _state(g)
    with g.as_default():
        old = g._var_scope
        if isinstance(name_or_scope, VariableScope):
            scope_name = name_or_scope.name
            new_reuse = True if (reuse is True or old.reuse is True) else (
                reuse if reuse is not None else name_or_scope.reuse)
            # A fresh name scope named after the scope's last component (TF: `outer_1/`);
            # variables still go under the scope's own name.
            ns = name_or_scope.name.split("/")[-1]
            new = name_or_scope._copy(reuse=new_reuse)
        else:
            base = name_or_scope if name_or_scope is not None else _unique_scope_name(
                g, default_name)
            scope_name = old.name + "/" + base if old.name else base
            new_reuse = reuse if reuse is not None else old.reuse
            if old.reuse is True:
                new_reuse = True
            # with default_name, TF opens the name scope on default_name itself (made unique
            # among name scopes), not on the variable scope's unique name: `z_2/` beside `z_1`
            ns = name_or_scope if name_or_scope is not None else default_name
            new = old._copy(name=scope_name, reuse=new_reuse)
        for attr, val in (("initializer", initializer), ("regularizer", regularizer),
                          ("caching_device", caching_device), ("partitioner", partitioner),
                          ("dtype", dtype), ("use_resource", use_resource),
                          ("constraint", constraint)):
            if val is not None:
                setattr(new, "_" + attr, val)
        if custom_getter is not None:
            prev = new._custom_getter
            new._custom_getter = custom_getter if prev is None else _chain(prev, custom_getter)
        counts = g._var_scope_counts
        counts[scope_name] = counts.get(scope_name, 0) + 1
        for k in list(counts):
            if k.startswith(scope_name + "/"):
                counts[k] = 0
        ctx = g.name_scope(ns) if auxiliary_name_scope and ns else contextlib.nullcontext(
            g._scopes.name_scope)
        with ctx as opened:
            if not isinstance(name_or_scope, VariableScope) or not new._name_scope:
                new._name_scope = opened if isinstance(opened, str) else ""
            g._var_scope = new
            try:
                yield new
            finally:
                g._var_scope = old


def _chain(outer, inner):
    """The inner scope's getter runs first; its `getter` argument is the outer one (TF's order)."""
    def getter(next_getter, *args, **kwargs):
        return inner(functools.partial(outer, next_getter), *args, **kwargs)
    return getter


def variable_op_scope(values, name_or_scope, default_name=None, **kwargs):
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)


def no_regularizer(_):
    return None
