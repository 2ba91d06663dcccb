"""`Node`: one call of a Keras layer (its input and output tensors), and each tensor's history.

Tensors cannot carry attributes here (they have `__slots__`), so the "Keras history" of a
tensor — which layer call made it — lives in a weak table keyed by the tensor. The functional
`Model` walks these records back from its outputs to its inputs.
"""

import itertools
import weakref

_HISTORY = weakref.WeakKeyDictionary()   # tensor -> (node, index in node.outputs)
_COUNTER = itertools.count()


def _flat(tensors):
    return list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]


class Node:
    """A call `outputs = layer(inputs, *args, **kwargs)`, appended to `layer._inbound_nodes`."""

    def __init__(self, layer, inputs, outputs, args=(), kwargs=None):
        self.layer = layer
        self.input_tensors = inputs
        self.output_tensors = outputs
        self.inputs = _flat(inputs)
        self.outputs = _flat(outputs)
        self.call_args = tuple(args)
        self.call_kwargs = dict(kwargs or {})
        self.order = next(_COUNTER)  # creation order: a topological order of all nodes
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.outputs):
            try:
                _HISTORY[t] = (self, i)
            except TypeError:  # not a weak-referencable tensor (a Python value)
                pass

    @property
    def inbound(self):
        """`[(node, tensor index)]` that produced each input (None for a tensor from outside)."""
        return [history(t) for t in self.inputs]


def history(tensor):
    """`(node, index)` of the layer call that made `tensor`, or None."""
    try:
        return _HISTORY.get(tensor)
    except TypeError:
        return None


def nodes_between(inputs, outputs):
    """The nodes that lead from `inputs` to `outputs`, in creation (topological) order.

    Raises ValueError when an output depends on a tensor that is neither an input nor made by
    a Keras layer (the graph is then not a functional model of those inputs).
    """
    input_ids = {id(t) for t in inputs}
    seen = {}
    stack = list(outputs)
    while stack:
        t = stack.pop()
        if id(t) in input_ids:
            continue
        record = history(t)
        if record is None:
            raise ValueError("Graph disconnected: tensor %s is not computed from the model's "
                             "inputs by Keras layers." % getattr(t, "name", t))
        node = record[0]
        if id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(node.inputs)
    return sorted(seen.values(), key=lambda n: n.order)
