"""Function bodies for control flow: `FuncGraph` (a graph nested in another) and `nest` helpers.

`tf.cond` branches and `tf.while_loop` bodies are built by calling the user's function inside a
`FuncGraph`. Ops the function creates go into that graph; an outer tensor it uses is *captured*:
the body gets a placeholder for it and the functional op (If, While) takes the outer tensor as
an input, so the outer plan computes it and the kernel feeds it to the body. A variable used by
reference (`assign`, `read_value()`) is captured as a proxy `VariableV2` op with the variable's
own name, so the body reads and writes the session's value of that variable. Variables created
inside a body are lifted to the outermost graph (`variables.py`), as TF's `init_scope` does.

Collections, the variable store and the variable scope are shared with the outer graph, so
`tf.get_variable` and `tf.add_to_collection` inside a body behave as they do outside.
"""

import contextlib

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import registry


def _shared(attr):
    """A Graph attribute that a FuncGraph reads and writes on its outer graph."""

    def get(self):
        return getattr(self.outer_graph, attr)

    def set_(self, value):
        if "outer_graph" in self.__dict__:  # Graph.__init__ runs before outer_graph is set
            setattr(self.outer_graph, attr, value)

    return property(get, set_)


class FuncGraph(graph_lib.Graph):
    """A graph for one function body, nested in `outer_graph`.

    Attributes:
        outer_graph: the graph the functional op goes into.
        captures: outer tensor -> placeholder standing for it here (in capture order).
        ref_captures: variable op name -> proxy VariableV2 output here.
        control_captures: outer ops the body asked to run after (`tf.control_dependencies`).
    """

    _var_store = _shared("_var_store")
    _var_scope = _shared("_var_scope")
    _var_scope_counts = _shared("_var_scope_counts")
    seed = _shared("seed")

    def __init__(self, outer_graph, name_scope=""):
        super().__init__()
        self.outer_graph = outer_graph
        self.captures = {}
        self.ref_captures = {}
        self.control_captures = []
        self._collections = outer_graph._collections
        self._scopes.name_scope = name_scope
        self.root_scope = name_scope
        self._scopes.devices = list(outer_graph._scopes.devices)
        self._scopes.gradient_overrides = dict(outer_graph._scopes.gradient_overrides)

    @property
    def building_function(self):
        return True

    def outermost_graph(self):
        g = self
        while isinstance(g, FuncGraph):
            g = g.outer_graph
        return g

    # --- op creation with captures -----------------------------------------------------------
    def create_op(self, op_type, inputs, attrs=None, name=None, op_def=None):
        refs = op_def.ref_inputs if op_def is not None else ()
        inputs = [self.capture(t, by_ref=i in refs) for i, t in enumerate(inputs)]
        saved = self._scopes.control
        ctl = self._scopes.current_control_inputs()
        if any(c.graph is not self for c in ctl):
            for c in ctl:
                if c.graph is not self:
                    self._capture_control(c)
            self._scopes.control = [[c for c in ctl if c.graph is self]]
        try:
            op = super().create_op(op_type, inputs, attrs, name=name, op_def=op_def)
        finally:
            self._scopes.control = saved
        self._touch()
        return op

    def _touch(self):
        """Changing a body changes what the outer graph's plans run: bump every version."""
        g = self.outer_graph
        while g is not None:
            g._version += 1
            g = getattr(g, "outer_graph", None)

    @contextlib.contextmanager
    def _bare_scope(self):
        """Root name scope, no control dependencies: for placeholders and proxies."""
        saved = (self._scopes.name_scope, self._scopes.control, self._scopes.colocation)
        self._scopes.name_scope, self._scopes.control, self._scopes.colocation = "", [], []
        try:
            yield
        finally:
            self._scopes.name_scope, self._scopes.control, self._scopes.colocation = saved

    def placeholder(self, dtype, shape, name):
        """A placeholder made outside any scope (an input of the body)."""
        with self._bare_scope():
            op = graph_lib.Graph.create_op(
                self, "Placeholder", [], {"dtype": dtype.base_dtype, "shape": shape},
                name=name, op_def=registry.get("Placeholder"))
        return op._outputs[0]

    def capture(self, t, by_ref=False):
        """The tensor standing for `t` in this graph (captures `t` if it is an outer one)."""
        if t.graph is self:
            return t
        if not graph_lib._encloses(t.graph, self):
            raise ValueError("Tensor %s must be from the same graph as the function body it is "
                             "used in." % t)
        if by_ref or t.op.type == "VariableV2":
            return self._capture_ref(t)
        ph = self.captures.get(t)
        if ph is None:
            if t.graph is not self.outer_graph:
                self.outer_graph.capture(t)
            base = t.op.name.rsplit("/", 1)[-1]
            ph = self.placeholder(t.dtype, t.shape, self.root_scope + base)
            ph._handle_data = t._handle_data  # a captured TensorList keeps its element type
            ph._op._attrs["_captured"] = t
            self.captures[t] = ph
        return ph

    def _capture_ref(self, t):
        op = t.op
        while op.type in ("Identity", "RefIdentity") and op.inputs:
            op = op.inputs[0].op
        if op.type != "VariableV2":
            raise TypeError("Input '%s' must be a variable reference, got %s (op %s)"
                            % (t.name, op.type, op.name))
        proxy = self.ref_captures.get(op.name)
        if proxy is None:
            with self._bare_scope():
                name = self.unique_name(op.name)
                if name != op.name:
                    raise ValueError("Cannot use variable %s inside a function body that "
                                     "already has an op of that name" % op.name)
                proxy_op = graph_lib.Graph.create_op(self, "VariableV2", [], dict(op._attrs),
                                                     name=name + "/", op_def=op.op_def)
            proxy = proxy_op._outputs[0]
            self.ref_captures[op.name] = proxy
        return proxy

    def _capture_control(self, c):
        g = self
        while g.outer_graph is not c.graph:
            g = g.outer_graph
            if not isinstance(g, FuncGraph):
                raise ValueError("Control input %s is not in an enclosing graph" % c.name)
        if c not in g.control_captures:
            g.control_captures.append(c)

    def is_stateful(self):
        return any(op.op_def is not None and op.op_def.stateful for op in self._ops)


class Body:
    """A function body as the functional op's kernel sees it.

    `inputs[i]` is the placeholder fed with the op's i-th runtime argument (None where this body
    does not read it); `outputs` are the tensors it returns.
    """

    __slots__ = ("graph", "inputs", "outputs")

    def __init__(self, graph, inputs, outputs):
        self.graph = graph
        self.inputs = list(inputs)
        self.outputs = list(outputs)

    def __repr__(self):
        return "Body(%d inputs, %d outputs)" % (len(self.inputs), len(self.outputs))


def capture_list(bodies):
    """The union of the bodies' captured outer tensors, in first-capture order."""
    out = []
    seen = set()
    for g in bodies:
        for t in g.captures:
            if t not in seen:
                seen.add(t)
                out.append(t)
    return out


def as_body_output(g, x, op_value=True):
    """Converts one value a body function returned into a tensor of body graph `g`.

    An Operation becomes the bool constant `op_value` that runs after it (TF1's pivot).
    """
    from tensorflux.ops import constant_op

    with g.as_default():
        if isinstance(x, Operation):
            with g.control_dependencies([x]):
                return constant_op.constant(op_value)
        t = x if isinstance(x, Tensor) else constant_op.convert_to_tensor(x)
        return g.capture(t) if t.graph is not g else t


# --- nest: nested structures of lists, tuples, namedtuples and dicts --------------------------
def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def is_sequence(x):
    return isinstance(x, (list, tuple, dict))


def _children(x):
    if isinstance(x, dict):
        return [x[k] for k in sorted(x)]
    return list(x)


def flatten(x):
    """The leaves of `x` in order (dicts by sorted key); a non-sequence is its own leaf."""
    if not is_sequence(x):
        return [x]
    out = []
    for c in _children(x):
        out.extend(flatten(c))
    return out


def _rebuild(like, items):
    if isinstance(like, dict):
        keys = sorted(like)
        return type(like)((k, v) for k, v in zip(keys, items)) if not hasattr(
            like, "default_factory") else dict(zip(keys, items))
    if _is_namedtuple(like):
        return type(like)(*items)
    if isinstance(like, tuple):
        return tuple(items)
    return list(items)


def pack_sequence_as(structure, flat):
    """Puts the leaves `flat` back into the shape of `structure`."""
    flat = list(flat)
    n_leaves = len(flatten(structure))
    if n_leaves != len(flat):
        raise ValueError("Could not pack sequence. Structure had %d elements, but flat_sequence "
                         "had %d elements." % (n_leaves, len(flat)))
    it = iter(flat)

    def build(s):
        if not is_sequence(s):
            return next(it)
        return _rebuild(s, [build(c) for c in _children(s)])

    return build(structure)


def _seq_kind(x):
    if isinstance(x, dict):
        return dict
    if _is_namedtuple(x):
        return type(x)
    if isinstance(x, tuple):
        return tuple
    return list


def assert_same_structure(a, b, check_types=True):
    """Raises ValueError (different nesting) or TypeError (different sequence types)."""
    def walk(x, y):
        if is_sequence(x) != is_sequence(y):
            raise ValueError("The two structures don't have the same nested structure.\n\n"
                             "First structure: %s\n\nSecond structure: %s" % (a, b))
        if not is_sequence(x):
            return
        if check_types and _seq_kind(x) is not _seq_kind(y):
            raise TypeError("The two structures don't have the same sequence type. Input "
                            "structure has type %s, while shallow structure has type %s."
                            % (type(x), type(y)))
        if isinstance(x, dict) and isinstance(y, dict) and sorted(x) != sorted(y):
            raise ValueError("The two dictionaries don't have the same set of keys. First "
                             "structure has keys %s, while second structure has keys %s."
                             % (sorted(x), sorted(y)))
        cx, cy = _children(x), _children(y)
        if len(cx) != len(cy):
            raise ValueError("The two structures don't have the same number of elements.\n\n"
                             "First structure: %s\n\nSecond structure: %s" % (a, b))
        for p, q in zip(cx, cy):
            walk(p, q)

    walk(a, b)


def map_structure(fn, *structures):
    for s in structures[1:]:
        assert_same_structure(structures[0], s)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [fn(*xs) for xs in zip(*flats)])
