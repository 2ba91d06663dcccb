"""tf.make_template: wraps a function so that every call shares the variables it creates.

The first call opens a fresh variable scope (`name`, `name_1`, ... made unique in the current
scope) and creates the variables with `tf.get_variable`; later calls re-enter that scope with
`reuse=True`, so they get the same variables. As in TF, a later call that creates a new
trainable variable (e.g. with `tf.Variable`) is an error.

    >>> scale = tf.make_template("scale", lambda x: x * tf.get_variable("w", [], initializer=...))
    >>> y1, y2 = scale(a), scale(b)   # one variable, scale/w
"""

import functools

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.variable_scope import _state, _unique_scope_name, variable_scope


class Template:
    """A function whose calls share variables (see `make_template`)."""

    def __init__(self, name, func, create_scope_now=False, unique_name=None,
                 custom_getter=None):
        self._name = name
        self._func = func
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._variable_scope = None
        if create_scope_now:
            with variable_scope(unique_name, default_name=name,
                                   custom_getter=custom_getter) as scope:
                self._variable_scope = scope

    @property
    def name(self):
        return self._name

    @property
    def variable_scope(self):
        return self._variable_scope

    @property
    def variable_scope_name(self):
        return self._variable_scope.name if self._variable_scope is not None else None

    def _variables(self, key):
        if self._variable_scope is None:
            return []
        return graph_lib.get_collection(key, self._variable_scope.name + "/")

    @property
    def variables(self):
        return self._variables(GraphKeys.GLOBAL_VARIABLES)

    @property
    def trainable_variables(self):
        return self._variables(GraphKeys.TRAINABLE_VARIABLES)

    global_variables = variables

    def __call__(self, *args, **kwargs):
        if self._variable_scope is None:  # the first call creates the scope and variables
            g = graph_lib.get_default_graph()
            _state(g)
            scope_name = self._unique_name or _unique_scope_name(g, self._name)
            # TF opens a unique *name* scope from the template's name (`scale_2` when `scale`
            # and `scale_1` are taken by ops), independent of the variable scope's name.
            with g.name_scope(self._name), \
                    variable_scope(scope_name, custom_getter=self._custom_getter,
                                   auxiliary_name_scope=False) as scope:
                self._variable_scope = scope
                return self._func(*args, **kwargs)
        before = len(graph_lib.get_collection(GraphKeys.TRAINABLE_VARIABLES))
        with variable_scope(self._variable_scope, reuse=True):
            out = self._func(*args, **kwargs)
        if len(graph_lib.get_collection(GraphKeys.TRAINABLE_VARIABLES)) > before:
            raise ValueError("Trainable variable created when calling a template after the "
                             "first time, perhaps you used tf.Variable when you meant "
                             "tf.get_variable: %s" % (
                                 graph_lib.get_collection(GraphKeys.TRAINABLE_VARIABLES)[before:],))
        return out


def make_template(name_, func_, create_scope_now_=False, unique_name_=None,
                  custom_getter_=None, **kwargs):
    """Wraps `func_` so that all its calls share the variables of the first call.

    Keyword arguments in `kwargs` are bound to `func_` (as with `functools.partial`).

    Example:
        >>> dense = tf.make_template("dense", lambda x: tf.layers.dense(x, 4))
        >>> a, b = dense(x1), dense(x2)  # the same dense/dense/kernel
    """
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now=create_scope_now_, unique_name=unique_name_,
                    custom_getter=custom_getter_)
