"""Fetch handling: flatten the user's nested fetches into unique graph elements, and rebuild."""

from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


class FetchMapper:
    """Flattens `fetches` (nested lists/tuples/namedtuples/dicts of fetchable things).

    `elements` are the unique Tensors and Operations to run; `build(values)` puts the values
    (one per element; None for Operations) back into the user's structure.
    """

    def __init__(self, graph, fetches):
        self.elements = []
        self._index = {}
        self._structure = self._walk(graph, fetches)

    def _element(self, graph, f):
        if isinstance(f, (Tensor, Operation)):
            el = f
        elif hasattr(f, "_as_graph_element"):
            el = f._as_graph_element()
        elif isinstance(f, str):
            try:
                el = graph.as_graph_element(f, allow_tensor=True, allow_operation=True)
            except (ValueError, KeyError) as e:
                raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (%s)"
                                 % (f, e)) from None
        elif f is None:
            raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
        else:
            raise TypeError("Fetch argument %r has invalid type %r, must be a string or Tensor. "
                            "(Can not convert a %s into a Tensor or Operation.)"
                            % (f, type(f), type(f).__name__))
        if el.graph is not graph:
            raise ValueError("Fetch argument %r cannot be interpreted as a Tensor. (Tensor %s is "
                             "not an element of this graph.)" % (f, el))
        if el not in self._index:
            self._index[el] = len(self.elements)
            self.elements.append(el)
        return self._index[el]

    def _walk(self, graph, f):
        if isinstance(f, (list,)):
            return ("list", [self._walk(graph, x) for x in f])
        if _is_namedtuple(f):
            return ("namedtuple", type(f), [self._walk(graph, x) for x in f])
        if isinstance(f, tuple):
            return ("tuple", [self._walk(graph, x) for x in f])
        if isinstance(f, dict):
            return ("dict", type(f), [(k, self._walk(graph, v)) for k, v in f.items()])
        if hasattr(f, "indices") and hasattr(f, "dense_shape") and hasattr(f, "values") \
                and not isinstance(f, (Tensor, Operation)):
            parts = (self._walk(graph, f.indices), self._walk(graph, f.values),
                     self._walk(graph, f.dense_shape))
            return ("sparse", type(f), parts)
        return ("leaf", self._element(graph, f))

    def build(self, values):
        return _build(self._structure, values)


def _build(s, values):
    kind = s[0]
    if kind == "leaf":
        return values[s[1]]
    if kind == "list":
        return [_build(x, values) for x in s[1]]
    if kind == "tuple":
        return tuple(_build(x, values) for x in s[1])
    if kind == "namedtuple":
        return s[1](*[_build(x, values) for x in s[2]])
    if kind == "dict":
        out = s[1]() if s[1] is not dict else {}
        for k, v in s[2]:
            out[k] = _build(v, values)
        return out
    if kind == "sparse":
        value_type = getattr(s[1], "value_type", None)  # IndexedSlices -> IndexedSlicesValue
        if value_type is None:
            from tensorflux.ops.sparse_ops import SparseTensorValue as value_type
        indices, vals, dense_shape = [_build(x, values) for x in s[2]]
        return value_type(indices=indices, values=vals, dense_shape=dense_shape)
    raise AssertionError(kind)
