"""Operation: a node of the dataflow graph."""

import os

from tensorflux import errors

_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_frame(depth=2):
    """The (file, line, function) of the first caller outside tensorflux, for error messages."""
    import sys

    f = sys._getframe(depth)
    while f is not None and f.f_code.co_filename.startswith(_PKG_DIR):
        f = f.f_back
    if f is None:
        return None
    return (f.f_code.co_filename, f.f_lineno, f.f_code.co_name)


class Operation:
    """A graph node: `type`, `name`, `inputs`, `outputs`, attributes, `device`, control inputs."""

    __slots__ = ("_graph", "_name", "_type", "_inputs", "_outputs", "_attrs", "_device",
                 "_control_inputs", "_id", "_op_def", "_traceback", "_control_outputs",
                 "_colocation", "__weakref__")

    def __init__(self, graph, name, op_type, inputs, attrs, device, control_inputs, op_def):
        self._graph = graph
        self._name = name
        self._type = op_type
        self._inputs = tuple(inputs)
        self._attrs = attrs
        self._device = device
        self._control_inputs = list(control_inputs)
        self._control_outputs = []
        self._op_def = op_def
        self._outputs = []
        self._traceback = _user_frame(3)
        self._colocation = None
        self._id = None

    @property
    def name(self):
        return self._name

    @property
    def type(self):
        return self._type

    @property
    def graph(self):
        return self._graph

    @property
    def inputs(self):
        return self._inputs

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def control_inputs(self):
        return list(self._control_inputs)

    @property
    def device(self):
        return self._device

    @property
    def op_def(self):
        return self._op_def

    @property
    def node_def(self):
        from tensorflux.graph import graph_def

        return graph_def.node_def(self)

    @property
    def traceback(self):
        return [self._traceback] if self._traceback else []

    def get_attr(self, name):
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError("Operation '%s' has no attr named '%s'."
                             % (self._name, name)) from None

    @property
    def attrs(self):
        return dict(self._attrs)

    def values(self):
        return tuple(self._outputs)

    def colocation_groups(self):
        return [b"loc:@" + (self._colocation or self._name).encode()]

    def _set_device(self, device):
        from tensorflux.graph import device_spec

        self._device = device_spec.canonical_name(device)

    def _add_control_input(self, op):
        if op not in self._control_inputs:
            self._control_inputs.append(op)
            op._control_outputs.append(self)
            self._graph._version += 1

    def _add_control_inputs(self, ops):
        for op in ops:
            self._add_control_input(op)

    def _update_input(self, index, tensor):
        """Rewires input `index` to `tensor` (graph rewrites: TF's `Operation._update_input`)."""
        old = self._inputs[index]
        if tensor.dtype.base_dtype != old.dtype.base_dtype:
            raise TypeError("Cannot update input %d of '%s': a %s tensor cannot replace a %s "
                            "tensor" % (index, self._name, tensor.dtype.base_dtype.name,
                                        old.dtype.base_dtype.name))
        if tensor.graph is not self._graph:
            raise ValueError("Tensor %s must be from the same graph as %s." % (tensor, self))
        inputs = list(self._inputs)
        inputs[index] = tensor
        self._inputs = tuple(inputs)
        if self in old._consumers:
            old._consumers.remove(self)
        tensor._consumers.append(self)
        self._graph._version += 1

    def run(self, feed_dict=None, session=None):
        """Runs this op in the default (or given) session."""
        from tensorflux.client import session as session_lib

        session_lib._run_using_default_session(self, feed_dict, self._graph, session)

    def _where(self):
        if not self._traceback:
            return ""
        f, line, fn = self._traceback
        return '\n\nOriginal stack trace for %r:\n  File "%s", line %d, in %s' % (
            self._name, f, line, fn)

    def __repr__(self):
        return "<tf.Operation '%s' type=%s>" % (self._name, self._type)

    def __str__(self):
        lines = ['name: "%s"' % self._name, 'op: "%s"' % self._type]
        lines += ['input: "%s"' % t._as_node_def_input() for t in self._inputs]
        lines += ['input: "^%s"' % c.name for c in self._control_inputs]
        if self._device:
            lines.append('device: "%s"' % self._device)
        return "\n".join(lines) + "\n"

    __hash__ = object.__hash__  # identity, computed in C (hot in Session.run's plan lookup)

    def __eq__(self, other):
        return self is other


def op_error(cls, op, message):
    """Builds a tf.errors exception that names the op and the user line that created it."""
    return cls(None, op, message + (op._where() if op is not None else ""))


__all__ = ["Operation", "op_error", "errors"]
