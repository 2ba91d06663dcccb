"""`tf.keras.backend`: the Keras session, learning phase, per-graph names and value helpers.

As in TF 1.x graph mode, Keras keeps one session per process (`get_session`), created on the
default graph when no default session is active, and initializes the variables Keras created
the first time the session is asked for after they appear. The learning phase is a per-graph
`placeholder_with_default(False)` named `keras_learning_phase`, unless fixed with
`set_learning_phase(0 or 1)`.

Example:
    >>> K = tf.keras.backend
    >>> v = K.variable(np.ones((2, 2)))
    >>> K.get_value(v)
    array([[1., 1.], [1., 1.]], dtype=float32)
"""

import weakref

import numpy as np

from tensorflux import variables as variables_lib
from tensorflux.client import session as session_lib
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op

_SESSION = None
_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_GLOBAL_LEARNING_PHASE = None
_LEARNING_PHASES = weakref.WeakKeyDictionary()   # graph -> keras_learning_phase placeholder
_OBJECT_UIDS = weakref.WeakKeyDictionary()       # graph -> {base name: count}
_GRAPH_VARIABLES = weakref.WeakKeyDictionary()   # graph -> [Keras-made variables]
_INITIALIZED = weakref.WeakKeyDictionary()       # session -> ids of variables it initialized


def floatx():
    """The default float type, `"float32"`."""
    return _FLOATX


def set_floatx(value):
    global _FLOATX
    _FLOATX = dtypes.as_dtype(value).name


def epsilon():
    """The fuzz factor used by losses and metrics, `1e-7`."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """`"channels_last"` (the default) or `"channels_first"`."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("Unknown data_format: " + str(data_format))
    _IMAGE_DATA_FORMAT = data_format


def get_graph():
    return graph_lib.get_default_graph()


# --- names -------------------------------------------------------------------------------------
def get_uid(prefix=""):
    """1, 2, 3… per prefix and graph (`get_uid("input")` names `input_1`)."""
    uids = _OBJECT_UIDS.setdefault(get_graph(), {})
    key = ("uid", prefix)
    uids[key] = uids.get(key, 0) + 1
    return uids[key]


def unique_object_name(base_name):
    """`dense`, then `dense_1`, `dense_2`… in the current graph (Keras' layer names)."""
    uids = _OBJECT_UIDS.setdefault(get_graph(), {})
    count = uids.get(base_name, 0)
    uids[base_name] = count + 1
    return base_name if count == 0 else "%s_%d" % (base_name, count)


def reset_uids():
    _OBJECT_UIDS.pop(get_graph(), None)


def name_scope(name):
    return graph_lib.name_scope(name)


# --- learning phase ---------------------------------------------------------------------------
def learning_phase():
    """The learning phase: the `keras_learning_phase` bool placeholder (default False) of the
    current graph, or the 0/1 fixed by `set_learning_phase`.

    Example:
        >>> sess.run(y, {x: batch, tf.keras.backend.learning_phase(): True})
    """
    if _GLOBAL_LEARNING_PHASE is not None:
        return _GLOBAL_LEARNING_PHASE
    g = get_graph()
    phase = _LEARNING_PHASES.get(g)
    if phase is None:
        with graph_lib.init_scope(), g.as_default(), g.name_scope(""):
            phase = array_ops.placeholder_with_default(False, shape=(),
                                                       name="keras_learning_phase")
        _LEARNING_PHASES[g] = phase
    return phase


def learning_phase_placeholder(graph=None):
    """The graph's learning-phase placeholder if one was made, else None (used by `fit`)."""
    if _GLOBAL_LEARNING_PHASE is not None:
        return None
    return _LEARNING_PHASES.get(graph or get_graph())


def set_learning_phase(value):
    """Fixes the learning phase to 0 (test) or 1 (train) for layers built afterwards."""
    global _GLOBAL_LEARNING_PHASE
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1.")
    _GLOBAL_LEARNING_PHASE = value


# --- session ----------------------------------------------------------------------------------
def get_session():
    """The Keras session: the default session if one is active, else a global one on the
    default graph. Keras-made variables it has not seen yet are initialized.

    Example:
        >>> sess = tf.keras.backend.get_session()
    """
    global _SESSION
    sess = session_lib.get_default_session()
    if sess is None:
        if _SESSION is None or getattr(_SESSION, "graph", None) is not get_graph() \
                or getattr(_SESSION, "_closed", False):
            _SESSION = session_lib.Session(graph=get_graph())
        sess = _SESSION
    _initialize_variables(sess)
    return sess


def set_session(session):
    """Makes `session` the Keras session."""
    global _SESSION
    _SESSION = session


def clear_session():
    """Forgets the Keras session, resets the default graph and the layer-name counters."""
    global _SESSION, _GLOBAL_LEARNING_PHASE
    if _SESSION is not None:
        _SESSION.close()
    _SESSION = None
    _GLOBAL_LEARNING_PHASE = None
    graph_lib.reset_default_graph()


def track_variable(v):
    """Registers a Keras-made variable so `get_session` initializes it."""
    _GRAPH_VARIABLES.setdefault(v.graph, []).append(v)


def _initialize_variables(sess):
    candidates = _GRAPH_VARIABLES.get(sess.graph, [])
    done = _INITIALIZED.setdefault(sess, set())
    todo = [v for v in candidates if id(v) not in done]
    if not todo:
        return
    flags = sess.run([variables_lib.is_variable_initialized(v) for v in todo])
    fresh = [v for v, ok in zip(todo, flags) if not ok]
    if fresh:
        sess.run(variables_lib.variables_initializer(fresh))
    done.update(id(v) for v in todo)


# --- tensors and values -----------------------------------------------------------------------
def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """A placeholder (`ndim` gives a shape of Nones).

    Example:
        >>> x = tf.keras.backend.placeholder(shape=(None, 3))
    """
    if shape is None and ndim is not None:
        shape = (None,) * ndim
    return array_ops.placeholder(dtype or floatx(), shape=shape, name=name)


def variable(value, dtype=None, name=None, constraint=None):
    """A variable holding `value`, initialized by the Keras session.

    Example:
        >>> v = tf.keras.backend.variable(np.zeros(3), name="v")
    """
    value = np.asarray(value, dtype=dtypes.as_dtype(dtype or floatx()).as_numpy_dtype)
    v = variables_lib.Variable(value, dtype=dtype or floatx(), name=name,
                               constraint=constraint)
    track_variable(v)
    return v


def constant(value, dtype=None, shape=None, name=None):
    return constant_op.constant(value, dtype=dtype or floatx(), shape=shape, name=name)


def int_shape(x):
    """The static shape as a tuple of ints and Nones: `(None, 3)`."""
    shape = tensor_shape.as_shape(x.shape if hasattr(x, "shape") else x)
    return None if shape.ndims is None else tuple(shape.as_list())


def ndim(x):
    return tensor_shape.as_shape(x.shape).ndims


def dtype(x):
    return x.dtype.base_dtype.name


def eval(x):  # noqa: A001 - Keras' name
    """The value of a tensor or variable in the Keras session."""
    return get_value(x)


def get_value(x):
    """`x`'s value (a numpy array) in the Keras session."""
    return get_session().run(x)


def batch_get_value(tensors):
    """The values of a list of tensors/variables in one run."""
    return get_session().run(list(tensors)) if tensors else []


def set_value(x, value):
    """Loads `value` into variable `x`."""
    x.load(np.asarray(value), get_session())


def batch_set_value(tuples):
    sess = get_session()
    for x, value in tuples:
        x.load(np.asarray(value), sess)


class Function:
    """A callable running `outputs` (and `updates`) for a list of input values."""

    def __init__(self, inputs, outputs, updates=None, name=None):
        from tensorflux.ops import control_flow_ops

        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self._update = control_flow_ops.group(*updates) if updates else None

    def __call__(self, inputs):
        feed = dict(zip(self.inputs, inputs))
        fetches = self.outputs + ([self._update] if self._update is not None else [])
        values = get_session().run(fetches, feed)
        return values[:len(self.outputs)]


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """`K.function([x, K.learning_phase()], [y])([batch, 0])` -> `[y value]`."""
    return Function(inputs, outputs, updates=updates, name=name)
