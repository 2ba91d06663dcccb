"""Graph: the op container, its names, collections and the default-graph stack."""

import contextlib
import re
import threading

from tensorflux.graph import device_spec
from tensorflux.graph.operation import Operation
from tensorflux.graph.scopes import ScopeState
from tensorflux.graph.tensor import Tensor

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")


class GraphKeys:
    """Standard collection names (`tf.GraphKeys`)."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = GLOBAL_VARIABLES


class Graph:
    """A TensorFlow computation: a set of Operations and the Tensors between them.

    Example:
        >>> g = tf.Graph()
        >>> with g.as_default():
        ...     c = tf.constant(1.0)
        >>> c.graph is g
        True
    """

    def __init__(self):
        self._ops = []
        self._ops_by_name = {}
        self._names_in_use = {}
        self._collections = {}
        self._version = 0
        self._finalized = False
        self.seed = None
        self._scopes = ScopeState()
        self._var_store = None
        self._var_scope_counts = {}
        self._var_scope = None
        self._lock = threading.RLock()
        self._building_function = False

    # --- construction ---------------------------------------------------------------------
    def create_op(self, op_type, inputs, attrs=None, name=None, op_def=None):
        """Adds one op: resolves its name, device and control inputs, infers output shapes.

        This is the single place every op comes through; `ops.registry.make_op` calls it.
        """
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        name = self._resolve_op_name(name or op_type)
        attrs = attrs if attrs is not None else {}
        override = self._scopes.gradient_overrides.get(op_type)
        if override is not None:  # recorded now: the map applies to ops created in its scope
            attrs = dict(attrs, _gradient_op_type=override)
        control = [c for c in self._scopes.current_control_inputs()
                   if all(c is not t._op for t in inputs)]
        op = Operation(self, name, op_type, inputs, attrs, "", control, op_def)
        outputs = op_def.infer(op) if op_def is not None else []
        op._outputs = [Tensor(op, i, dt, shp) for i, (dt, shp) in enumerate(outputs)]
        # After the outputs exist: a device function may look at them (TF's byte_size_load_fn).
        op._device = self._scopes.current_device(op)
        if self._scopes.colocation:
            loc = self._scopes.colocation[-1]
            op._colocation = loc._colocation or loc.name
            # TF: the device of the innermost colocation op that has one.
            placed = next((c for c in reversed(self._scopes.colocation) if c.device), None)
            if placed is not None:
                op._device = placed.device
        for t in inputs:
            t._consumers.append(op)
        for c in control:
            c._control_outputs.append(op)
        op._id = len(self._ops) + 1
        self._ops.append(op)
        self._ops_by_name[name] = op
        self._version += 1
        return op

    def _resolve_op_name(self, name):
        if name.endswith("/"):
            full = name[:-1]
            if full in self._ops_by_name:
                full = self.unique_name(full, mark_as_used=True)
            return full
        if not _VALID_OP_NAME.match(name):
            raise ValueError("'%s' is not a valid node name" % name)
        return self.unique_name(name)

    def unique_name(self, name, mark_as_used=True):
        """`name` under the current name scope, suffixed `_1`, `_2`… until unused (TF's rule)."""
        if self._scopes.name_scope:
            name = self._scopes.name_scope + name
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base = key
            while key in self._names_in_use:
                key = "%s_%d" % (base, i)
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = "%s_%d" % (name, i - 1)
        return name

    def get_name_scope(self):
        return self._scopes.name_scope[:-1]

    @contextlib.contextmanager
    def name_scope(self, name):
        """Opens a name scope; `None`/"" resets to the root, a name ending in "/" is absolute."""
        old = self._scopes.name_scope
        if name:
            if not _VALID_SCOPE_NAME.match(name.rstrip("/")):
                raise ValueError("'%s' is not a valid scope name" % name)
            if name.endswith("/"):
                new = name
            else:
                new = self.unique_name(name) + "/"
        else:
            new = ""
        self._scopes.name_scope = new
        try:
            yield new
        finally:
            self._scopes.name_scope = old

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        with self._scopes.push_device(device_name_or_function):
            yield

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        if op is None:  # TF: with ignore_existing, no colocation and no device scopes inside
            if not ignore_existing:
                yield
                return
            outer = self._scopes.colocation, self._scopes.devices
            self._scopes.colocation, self._scopes.devices = [], []
            try:
                yield
            finally:
                self._scopes.colocation, self._scopes.devices = outer
            return
        if hasattr(op, "_as_graph_element"):
            op = op._as_graph_element()
        if isinstance(op, Tensor):
            op = op.op
        # As TF: device scopes and functions from outside do not apply inside (a device
        # function, e.g. a ps strategy, is not even called); scopes opened inside do.
        outer_devices, self._scopes.devices = self._scopes.devices, []
        self._scopes.colocation.append(op)
        try:
            yield
        finally:
            self._scopes.colocation.pop()
            self._scopes.devices = outer_devices

    def control_dependencies(self, control_inputs):
        """Ops created inside run after `control_inputs` (`None` clears the outer ones)."""
        if control_inputs is None:
            return self._scopes.push_control(None)
        ops = []
        for c in control_inputs:
            if hasattr(c, "_as_graph_element"):
                c = c._as_graph_element()
            if isinstance(c, Tensor):
                c = c.op
            if not isinstance(c, Operation):
                raise TypeError("Can not convert a %s into a Tensor or Operation."
                                % type(c).__name__)
            ops.append(c)
        return self._scopes.push_control(ops)

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        old = dict(self._scopes.gradient_overrides)
        self._scopes.gradient_overrides.update(op_type_map)
        try:
            yield
        finally:
            self._scopes.gradient_overrides = old

    # --- lookup ----------------------------------------------------------------------------
    def get_operations(self):
        return list(self._ops)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError("Operation names are strings (or similar), not %s."
                            % type(name).__name__)
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError("Tensor names are strings (or similar), not %s."
                            % type(name).__name__)
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Resolves a Tensor, Operation, or their name to the graph element (TF's rules)."""
        if hasattr(obj, "_as_graph_element") and not isinstance(obj, (Tensor, Operation)):
            obj = obj._as_graph_element()
        types = " or ".join(x for x, ok in (("Tensor", allow_tensor),
                                             ("Operation", allow_operation)) if ok)
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                op_name, idx = obj.rsplit(":", 1)
                try:
                    idx = int(idx)
                except ValueError:
                    raise ValueError("The name %r looks a like a Tensor name, but is not a valid "
                                     "one. Tensor names must be of the form "
                                     '"<op_name>:<output_index>".' % obj) from None
                if op_name not in self._ops_by_name:
                    raise KeyError("The name %r refers to a Tensor which does not exist. The "
                                   "operation, %r, does not exist in the graph." % (obj, op_name))
                op = self._ops_by_name[op_name]
                if idx >= len(op._outputs):
                    raise KeyError("The name %r refers to a Tensor which does not exist. The "
                                   "operation, %r, exists but only has %d outputs."
                                   % (obj, op_name, len(op._outputs)))
                return op._outputs[idx]
            if ":" in obj:
                raise ValueError("Name %r appears to refer to a Tensor, not a %s." % (obj, types))
            if obj not in self._ops_by_name:
                if allow_tensor and not allow_operation:
                    raise ValueError("The name %r looks like an (invalid) Operation name, not a "
                                     "Tensor. Tensor names must be of the form "
                                     '"<op_name>:<output_index>".' % obj)
                raise KeyError("The name %r refers to an Operation not in the graph." % obj)
            if not allow_operation:
                raise ValueError("The name %r refers to an Operation, not a %s. Tensor names must "
                                 'be of the form "<op_name>:<output_index>".' % (obj, types))
            return self._ops_by_name[obj]
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError("Tensor %s is not an element of this graph." % obj)
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError("Operation %s is not an element of this graph." % obj)
            return obj
        raise TypeError("Can not convert a %s into a %s." % (type(obj).__name__, types))

    # --- collections -----------------------------------------------------------------------
    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        names = (names,) if isinstance(names, str) else set(names)
        for n in names:
            self.add_to_collection(n, value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        pat = re.compile(scope) if isinstance(scope, str) else scope
        out = []
        for item in items:
            nm = getattr(item, "name", None)
            if nm is not None and pat.match(nm):
                out.append(item)
        return out

    def get_all_collection_keys(self):
        return [k for k, v in self._collections.items() if isinstance(v, list)]

    def clear_collection(self, name):
        self._collections.pop(name, None)

    # --- lifecycle ---------------------------------------------------------------------------
    @property
    def version(self):
        return self._version

    @property
    def finalized(self):
        return self._finalized

    def finalize(self):
        self._finalized = True

    def _unsafe_unfinalize(self):
        self._finalized = False

    @property
    def building_function(self):
        return False

    def is_feedable(self, tensor):
        return True

    def is_fetchable(self, tensor_or_op):
        return True

    def as_default(self):
        return _default_graph_stack.get_controller(self)

    def as_graph_def(self, from_version=None, add_shapes=False):
        from tensorflux.graph import graph_def

        return graph_def.graph_to_graph_def(self, add_shapes=add_shapes)

    @property
    def graph_def_versions(self):
        return None

    def _last_id(self):
        return len(self._ops)

    def __repr__(self):
        return "<tensorflux.Graph object at %#x>" % id(self)


class _DefaultGraphStack(threading.local):
    def __init__(self):
        super().__init__()
        self.stack = []
        # per `as_default()` entry, the graph's device stack (the list object) at entry: TF's
        # context switches keep it, and `init_scope` falls back to it (see there)
        self.device_stacks = []

    def get_default(self):
        if self.stack:
            return self.stack[-1]
        return _global_default()

    @contextlib.contextmanager
    def get_controller(self, graph):
        self.stack.append(graph)
        self.device_stacks.append(graph._scopes.devices)
        try:
            yield graph
        finally:
            self.device_stacks.pop()
            # the innermost entry: the graph may also be further out (init_scope re-enters it)
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i] is graph:
                    del self.stack[i]
                    break


_default_graph_stack = _DefaultGraphStack()
_global_graph = [None]


def _global_default():
    if _global_graph[0] is None:
        _global_graph[0] = Graph()
    return _global_graph[0]


def get_default_graph():
    """The graph new ops go into: the innermost `as_default()` one, else the global default."""
    return _default_graph_stack.get_default()


def reset_default_graph():
    """Clears the global default graph (not allowed inside a `with g.as_default()` block)."""
    if _default_graph_stack.stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you "
                             "need a cleared graph, exit the nesting and create a new graph.")
    _global_graph[0] = Graph()
    from tensorflux.client import session as session_lib

    session_lib._clear_default_session()


def name_scope(name, default_name=None, values=None):
    """`tf.name_scope(name, default_name, values)`: opens a name scope in the right graph."""
    g = _graph_from_values(values)
    n = name if name is not None else default_name
    if name is None and default_name is None and values is None:
        n = None
    return g.name_scope(n)


def _graph_from_values(values):
    """The graph that ops over `values` go into: the values' graph, or the default graph when
    that is a function body (cond branch, loop body) nested inside it (it captures them)."""
    default = get_default_graph()
    if values:
        for v in values:
            g = getattr(v, "graph", None)
            if isinstance(g, Graph):
                return default if _encloses(g, default) else g
    return default


def _encloses(outer, inner):
    """True when `inner` is a function body graph nested (at any depth) inside `outer`."""
    g = getattr(inner, "outer_graph", None)
    while g is not None:
        if g is outer:
            return True
        g = getattr(g, "outer_graph", None)
    return False


@contextlib.contextmanager
def init_scope():
    """`tf.init_scope`: builds ops in the outermost graph (out of any cond branch or loop body),
    with no control dependencies and the current name scope."""
    g = get_default_graph()
    outer = g
    while getattr(outer, "outer_graph", None) is not None:
        outer = outer.outer_graph
    scope = g._scopes.name_scope
    # TF's device stack inside: the current one, or when that is empty (inside colocate_with,
    # which hides the device scopes), the one the innermost `as_default()` entry saw. So a
    # variable made under colocate_with still calls the outer device functions (a ps
    # strategy counts it) before colocation places it.
    devices = g._scopes.devices
    if not devices and _default_graph_stack.device_stacks:
        devices = _default_graph_stack.device_stacks[-1]
    saved, outer._scopes.devices = outer._scopes.devices, devices
    try:
        with outer.as_default(), outer.name_scope(scope or None), \
                outer.control_dependencies(None):
            yield
    finally:
        outer._scopes.devices = saved


def device(device_name_or_function):
    return get_default_graph().device(device_name_or_function)


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def colocate_with(op, ignore_existing=False):
    return get_default_graph().colocate_with(op, ignore_existing)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


def get_name_scope():
    return get_default_graph().get_name_scope()


__all__ = ["Graph", "GraphKeys", "get_default_graph", "reset_default_graph", "name_scope",
           "device", "control_dependencies", "colocate_with", "device_spec"]
