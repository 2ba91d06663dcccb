"""Per-op statistics (`tf.RegisterStatistics`, `OpStats`, `get_stats_for_node_def`).

TF keeps one registry keyed by "OpType,statistic"; the profiler asks it for each op's "flops".
A statistics function gets `(graph, node_def)` and returns an `OpStats`.
"""

_registry = {}


class OpStats:
    """A statistic's type and value for one op (`value` is None when not defined)."""

    __slots__ = ["_statistic_type", "_value"]

    def __init__(self, statistic_type, value=None):
        self._statistic_type = statistic_type
        self._value = value

    @property
    def statistic_type(self):
        return self._statistic_type

    @statistic_type.setter
    def statistic_type(self, statistic_type):
        self._statistic_type = statistic_type

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, value):
        self._value = value

    def __iadd__(self, other):
        if other.statistic_type != self.statistic_type:
            raise ValueError("Can't add an OpStat of type %s to one of %s." %
                             (self.statistic_type, other.statistic_type))
        if self.value is None:
            self.value = other.value
        elif other.value is not None:
            self._value += other.value
        return self


class RegisterStatistics:
    """Decorator registering a statistics function for an op type.

    Example:
        >>> @tf.RegisterStatistics("Foo", "flops")
        ... def _foo_flops(graph, node):
        ...     return tf.profiler.OpStats("flops", 20)  # doctest: +SKIP
    """

    __slots__ = ["_op_type", "_statistic_type"]

    def __init__(self, op_type, statistic_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string.")
        if "," in op_type:
            raise TypeError("op_type must not contain a comma.")
        if not isinstance(statistic_type, str):
            raise TypeError("statistic_type must be a string.")
        if "," in statistic_type:
            raise TypeError("statistic_type must not contain a comma.")
        self._op_type = op_type
        self._statistic_type = statistic_type

    def __call__(self, f):
        key = self._op_type + "," + self._statistic_type
        if key in _registry:
            raise KeyError("Registering two statistical functions with name '%s'! "
                           "(Previous registration was in %s %s:%s)"
                           % (key, *_where(_registry[key])))
        _registry[key] = f
        return f


def _where(f):
    code = getattr(f, "__code__", None)
    return (getattr(f, "__module__", "?"), code.co_filename if code else "?",
            code.co_firstlineno if code else "?")


def get_stats_for_node_def(graph, node, statistic_type):
    """The registered `statistic_type` of `node` (a NodeDef), or an empty `OpStats`."""
    stats_func = _registry.get(node.op + "," + statistic_type)
    if stats_func is None:
        return OpStats(statistic_type)
    try:
        return stats_func(graph, node)
    except LookupError:
        return OpStats(statistic_type)
