"""`tf.keras.backend`: the Keras session, learning phase, per-graph names and value helpers,
and Keras' backend functions (math, shapes, crossentropies, convolutions, CTC, `rnn`) over tf ops.

As in TF 1.x graph mode, Keras keeps one session per process (`get_session`), created on the
default graph when no default session is active, and initializes the variables Keras created
the first time the session is asked for after they appear. The learning phase is a per-graph
`placeholder_with_default(False)` named `keras_learning_phase`, unless fixed with
`set_learning_phase(0 or 1)`. The functions follow tf_keras 2.x (`K.mean(x, axis=None)`,
crossentropies clipped to `[epsilon, 1 - epsilon]`, `K.zeros`/`K.ones`/`K.eye` as variables);
they live in this one module, as in Keras, so that `K.<name>` is the whole API.

Example:
    >>> K = tf.keras.backend
    >>> v = K.variable(np.ones((2, 2)))
    >>> K.get_value(v)
    array([[1., 1.], [1., 1.]], dtype=float32)
"""

import builtins
import weakref

import numpy as np

from tensorflux import variables as variables_lib
from tensorflux.client import session as session_lib
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor as tensor_lib
from tensorflux.ops import (
    array_ops,
    constant_op,
    linalg_ops,
    manip_ops,
    math_ops,
    reduction_ops,
)

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
    """Sets the default float type: "float16", "float32" or "float64"."""
    global _FLOATX
    accepted = {"float16", "float32", "float64"}
    if value not in accepted:
        raise ValueError("Unknown `floatx` value: %s. Expected one of %s" % (value, accepted))
    _FLOATX = str(value)


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


# --- math and array functions (tf_keras 2.x backend semantics) ---------------------------------
# These are thin layers over the tf.* ops, kept with Keras' argument names and defaults
# (`axis=None` reduces everything, `keepdims=False`, probabilities clipped to
# `[epsilon, 1 - epsilon]` in the crossentropies).

def _ops():
    """The public `tf` namespace (imported late: the Keras backend loads inside it)."""
    import tensorflux

    return tensorflux


def _float_if_bool(x):
    x = constant_op.convert_to_tensor(x)
    return math_ops.cast(x, floatx()) if x.dtype.base_dtype == dtypes.bool else x


def mean(x, axis=None, keepdims=False):
    """The mean over `axis` (all axes for None); bools count as 0/1."""
    return reduction_ops.reduce_mean(_float_if_bool(x), axis, keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    return reduction_ops.reduce_sum(x, axis, keepdims)


def prod(x, axis=None, keepdims=False):
    return reduction_ops.reduce_prod(x, axis, keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    return reduction_ops.reduce_max(x, axis, keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    return reduction_ops.reduce_min(x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    """The (biased) variance over `axis`: `mean(square(x - mean(x)))`."""
    x = _float_if_bool(x)
    centered = x - reduction_ops.reduce_mean(x, axis, keepdims=True)
    return reduction_ops.reduce_mean(math_ops.square(centered), axis, keepdims)


def std(x, axis=None, keepdims=False):
    """`sqrt(var(x, axis))`."""
    return math_ops.sqrt(var(x, axis, keepdims))


def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x), axis))`, computed stably."""
    return reduction_ops.reduce_logsumexp(x, axis, keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    """Logical or over `axis` (`x` is cast to bool)."""
    return reduction_ops.reduce_any(math_ops.cast(x, dtypes.bool), axis, keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001 - Keras' name
    """Logical and over `axis` (`x` is cast to bool)."""
    return reduction_ops.reduce_all(math_ops.cast(x, dtypes.bool), axis, keepdims)


def argmax(x, axis=-1):
    return reduction_ops.argmax(x, axis)


def argmin(x, axis=-1):
    return reduction_ops.argmin(x, axis)


def cumsum(x, axis=0):
    return _ops().cumsum(x, axis=axis)


def cumprod(x, axis=0):
    return _ops().cumprod(x, axis=axis)


def square(x):
    return math_ops.square(x)


def abs(x):  # noqa: A001 - Keras' name
    return math_ops.abs(x)


def sqrt(x):
    """`sqrt(x)`, with negative entries clipped to 0 first (as tf_keras does)."""
    x = constant_op.convert_to_tensor(x)
    return math_ops.sqrt(math_ops.clip_by_value(x, 0.0, np.inf))


def exp(x):
    return math_ops.exp(x)


def log(x):
    return math_ops.log(x)


def round(x):  # noqa: A001 - Keras' name
    """Rounds half to even, as `tf.round`."""
    return math_ops.round(x)


def sign(x):
    return math_ops.sign(x)


def pow(x, a):  # noqa: A001 - Keras' name
    return math_ops.pow(x, a)


def sin(x):
    return math_ops.sin(x)


def cos(x):
    return math_ops.cos(x)


def clip(x, min_value, max_value):
    """Clips `x` to `[min_value, max_value]` (None: no bound; a max below the min is the min).

    Example:
        >>> K.clip(x, 0.0, 1.0)
    """
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)) \
            and max_value < min_value:
        max_value = min_value
    if min_value is None:
        min_value = -np.inf
    if max_value is None:
        max_value = np.inf
    return math_ops.clip_by_value(x, min_value, max_value)


def equal(x, y):
    return math_ops.equal(x, y)


def not_equal(x, y):
    return math_ops.not_equal(x, y)


def greater(x, y):
    return math_ops.greater(x, y)


def greater_equal(x, y):
    return math_ops.greater_equal(x, y)


def less(x, y):
    return math_ops.less(x, y)


def less_equal(x, y):
    return math_ops.less_equal(x, y)


def maximum(x, y):
    return math_ops.maximum(x, y)


def minimum(x, y):
    return math_ops.minimum(x, y)


# --- linear algebra and shapes ----------------------------------------------------------------
def dot(x, y):
    """Matrix product; for N-d tensors, the product over x's last and y's second-to-last axis
    (Theano's `dot`): `(2, 3, 4) . (4, 5) -> (2, 3, 5)`.

    Example:
        >>> K.dot(K.ones((2, 3, 4)), K.ones((4, 5))).shape
        TensorShape([2, 3, 5])
    """
    x, y = constant_op.convert_to_tensor(x), constant_op.convert_to_tensor(y)
    if ndim(x) is not None and (ndim(x) > 2 or ndim(y) > 2):
        x_shape = _dims(x)
        y_shape = _dims(y)
        perm = list(range(ndim(y)))
        perm = [perm.pop(-2)] + perm
        xt = array_ops.reshape(x, [-1, x_shape[-1]])
        yt = array_ops.reshape(array_ops.transpose(y, perm), [y_shape[-2], -1])
        return array_ops.reshape(linalg_ops.matmul(xt, yt),
                                 x_shape[:-1] + y_shape[:-2] + y_shape[-1:])
    return linalg_ops.matmul(x, y)


def _dims(x):
    """The shape as a list: static ints where known, scalar tensors elsewhere."""
    static = int_shape(x)
    dynamic = array_ops.shape(x)
    return [d if d is not None else dynamic[i] for i, d in enumerate(static)]


def batch_dot(x, y, axes=None):
    """Per-sample dot product of two batches over `axes` (default: x's last axis with y's
    second-to-last, or y's last when y is 2-D).

    Example:
        >>> K.batch_dot(K.ones((8, 3, 4)), K.ones((8, 4, 5))).shape
        TensorShape([8, 3, 5])
    """
    x, y = constant_op.convert_to_tensor(x), constant_op.convert_to_tensor(y)
    x_shape, y_shape = int_shape(x), int_shape(y)
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError("Cannot do batch_dot on inputs with rank < 2. Received inputs with "
                         "shapes %s and %s." % (x_shape, y_shape))
    if x_shape[0] is not None and y_shape[0] is not None and x_shape[0] != y_shape[0]:
        raise ValueError("Cannot do batch_dot on inputs with different batch sizes. Received "
                         "inputs with shapes %s and %s." % (x_shape, y_shape))
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    if builtins.any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError("Multiple target dimensions are not supported. Expected: None, int, "
                         "(int, int), Provided: " + str(axes))
    a0, a1 = [a + n if a < 0 else a for a, n in zip(axes, (x_ndim, y_ndim))]
    if 0 in (a0, a1):
        raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not "
                         "batched, add a dummy batch dimension to your inputs using "
                         "K.expand_dims(x, 0)")
    d1, d2 = x_shape[a0], y_shape[a1]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError("Cannot do batch_dot on inputs with shapes %s and %s with axes=%s. "
                         "x.shape[%d] != y.shape[%d] (%d != %d)."
                         % (x_shape, y_shape, [a0, a1], a0, a1, d1, d2))
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x, a0, x_ndim = manip_ops.expand_dims(x, 1), a0 + 1, 3
    if y_ndim == 2:
        y, y_ndim = manip_ops.expand_dims(y, 2), 3
    if a0 != x_ndim - 1:   # move the summed axis of x last
        pattern = [i for i in range(x_ndim) if i != a0] + [a0]
        x = array_ops.transpose(x, pattern)
    if a1 != 1:            # and y's to position 1
        pattern = [0, a1] + [i for i in range(1, y_ndim) if i != a1]
        y = array_ops.transpose(y, pattern)
    x_mid = y_trail = None
    if x_ndim > 3:
        xs = array_ops.shape(x)
        x_mid = xs[1:-1]
        x = array_ops.reshape(x, array_ops.stack([xs[0], -1, xs[-1]]))
    if y_ndim > 3:
        ys = array_ops.shape(y)
        y_trail = ys[2:]
        y = array_ops.reshape(y, array_ops.stack([ys[0], ys[1], -1]))
    result = linalg_ops.matmul(x, y)
    if x_mid is not None or y_trail is not None:
        out_shape = array_ops.shape(result)
        if x_mid is not None:
            out_shape = array_ops.concat([out_shape[:1], x_mid, out_shape[-1:]], 0)
        if y_trail is not None:
            out_shape = array_ops.concat([out_shape[:-1], y_trail], 0)
        result = array_ops.reshape(result, out_shape)
    if orig_x_ndim == 2:
        result = manip_ops.squeeze(result, [1])
    elif orig_y_ndim == 2:
        result = manip_ops.squeeze(result, [-1])
    return result


def transpose(x):
    return array_ops.transpose(x)


def reshape(x, shape):
    return array_ops.reshape(x, shape)


def permute_dimensions(x, pattern):
    """`transpose(x, pattern)`: `K.permute_dimensions(x, (0, 2, 1))`."""
    return array_ops.transpose(x, perm=list(pattern))


def concatenate(tensors, axis=-1):
    """Joins `tensors` along `axis` (a negative axis counts from the first tensor's rank)."""
    if axis < 0:
        rank = ndim(tensors[0])
        axis = axis % rank if rank else 0
    return array_ops.concat(list(tensors), axis)


def stack(x, axis=0):
    return array_ops.stack(x, axis=axis)


def expand_dims(x, axis=-1):
    return manip_ops.expand_dims(x, axis)


def squeeze(x, axis):
    return manip_ops.squeeze(x, [axis])


def flatten(x):
    """`reshape(x, [-1])`."""
    return array_ops.reshape(x, [-1])


def batch_flatten(x):
    """Flattens every sample: `(batch, d1, d2, ...) -> (batch, d1 * d2 * ...)`."""
    x = constant_op.convert_to_tensor(x)
    rest = reduction_ops.reduce_prod(array_ops.shape(x)[1:])
    return array_ops.reshape(x, array_ops.stack([-1, rest]))


def shape(x):
    """The dynamic shape: an int32 tensor."""
    return array_ops.shape(x)


def cast(x, dtype):
    return math_ops.cast(x, dtype)


def cast_to_floatx(x):
    """`x` as a numpy array of `floatx()` (a tensor is cast instead)."""
    if isinstance(x, (tensor_lib.Tensor, variables_lib.Variable)):
        return math_ops.cast(x, floatx())
    return np.asarray(x, dtype=floatx())


def count_params(x):
    """The number of scalars in `x` (its static shape must be known)."""
    return int(np.prod(x.shape.as_list()))


def repeat_elements(x, rep, axis):
    """Repeats each slice of `x` along `axis` `rep` times: `[1, 2] -> [1, 1, 2, 2]`."""
    x = constant_op.convert_to_tensor(x)
    x_shape = x.shape.as_list()
    axis = axis % len(x_shape)
    tiled = manip_ops.tile(manip_ops.expand_dims(x, axis + 1),
                           [rep if i == axis + 1 else 1 for i in range(len(x_shape) + 1)])
    dims = array_ops.shape(x) * constant_op.constant(
        [rep if i == axis else 1 for i in range(len(x_shape))], dtype=dtypes.int32)
    out = array_ops.reshape(tiled, dims)
    if x_shape[axis] is not None:
        x_shape[axis] *= rep
    out.set_shape(x_shape)
    return out


def repeat(x, n):
    """Repeats a 2-D `(batch, d)` tensor `n` times: `(batch, n, d)`."""
    if ndim(x) != 2:
        raise ValueError("K.repeat expects a 2D tensor, got %s dimensions." % ndim(x))
    return manip_ops.tile(manip_ops.expand_dims(x, 1), [1, n, 1])


def tile(x, n):
    return manip_ops.tile(x, [n] if isinstance(n, int) else n)


def reverse(x, axes):
    return manip_ops.reverse(x, [axes] if isinstance(axes, int) else list(axes))


def arange(start, stop=None, step=1, dtype="int32"):
    """`tf.range` (a negative `start` with no `stop` gives an empty range)."""
    if stop is None and isinstance(start, int) and start < 0:
        start = 0
    result = _ops().range(start, limit=stop, delta=step, name="arange")
    return result if dtype == "int32" else math_ops.cast(result, dtype)


def one_hot(indices, num_classes):
    return _ops().one_hot(indices, depth=num_classes, axis=-1)


def gather(reference, indices):
    return array_ops.gather(reference, indices)


def temporal_padding(x, padding=(1, 1)):
    """Pads the middle axis of a 3-D tensor with zeros."""
    return _ops().pad(x, [[0, 0], list(padding), [0, 0]])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Pads the two spatial axes of a 4-D tensor with zeros."""
    data_format = data_format or image_data_format()
    pads = [list(padding[0]), list(padding[1])]
    pattern = [[0, 0], [0, 0]] + pads if data_format == "channels_first" else \
        [[0, 0]] + pads + [[0, 0]]
    return _ops().pad(x, pattern)


# --- tensors, variables and updates ------------------------------------------------------------
def zeros(shape, dtype=None, name=None):
    """A variable of zeros (a plain tensor when the shape is not fully known)."""
    return _filled(np.zeros, shape, dtype, name)


def ones(shape, dtype=None, name=None):
    """A variable of ones (a plain tensor when the shape is not fully known)."""
    return _filled(np.ones, shape, dtype, name)


def _filled(np_fn, shape, dtype, name):
    dtype = dtype or floatx()
    static = (shape,) if isinstance(shape, int) else shape
    if isinstance(static, (list, tuple)) and builtins.all(
            isinstance(d, (int, np.integer)) for d in static):
        np_dtype = dtypes.as_dtype(dtype).as_numpy_dtype
        return variable(np_fn(shape, dtype=np_dtype), dtype=dtype, name=name)
    fill = _ops().zeros if np_fn is np.zeros else _ops().ones
    return fill(shape, dtype=dtype, name=name)


def eye(size, dtype=None, name=None):
    """A variable holding the `size x size` identity matrix."""
    return variable(np.eye(size), dtype=dtype, name=name)


def zeros_like(x, dtype=None, name=None):
    return _ops().zeros_like(x, dtype=dtype, name=name)


def ones_like(x, dtype=None, name=None):
    return _ops().ones_like(x, dtype=dtype, name=name)


def identity(x, name=None):
    return array_ops.identity(x, name=name)


def _seed(seed):
    return np.random.randint(10e6) if seed is None else seed


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples of `shape` (a random op-level seed when `seed` is None)."""
    return _ops().random_normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(),
                                seed=_seed(seed))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return _ops().random_uniform(shape, minval=minval, maxval=maxval, dtype=dtype or floatx(),
                                 seed=_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _ops().truncated_normal(shape, mean, stddev, dtype=dtype or floatx(),
                                   seed=_seed(seed))


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """1 with probability `p`, else 0 (Bernoulli samples)."""
    dtype = dtype or floatx()
    draw = random_uniform(shape, dtype=dtype, seed=seed)
    return manip_ops.where(math_ops.less_equal(draw, p), _ops().ones(shape, dtype=dtype),
                           _ops().zeros(shape, dtype=dtype))


random_bernoulli = random_binomial


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A variable initialized with normal samples drawn now (numpy, seeded by `seed`)."""
    rng = np.random.RandomState(_seed(seed))
    return variable(rng.normal(mean, scale, size=shape), dtype=dtype, name=name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A variable initialized with uniform samples drawn now (numpy, seeded by `seed`)."""
    rng = np.random.RandomState(_seed(seed))
    return variable(rng.uniform(low, high, size=shape), dtype=dtype, name=name)


def update(x, new_x):
    """The op assigning `new_x` to variable `x`."""
    return _ops().assign(x, new_x)


def update_add(x, increment):
    return _ops().assign_add(x, increment)


def update_sub(x, decrement):
    return _ops().assign_sub(x, decrement)


def moving_average_update(x, value, momentum):
    """`x = x * momentum + value * (1 - momentum)`."""
    return _ops().assign(x, x * momentum + value * (1.0 - momentum))


def stop_gradient(variables):
    """`tf.stop_gradient` of a tensor, or of each tensor of a list."""
    if isinstance(variables, (list, tuple)):
        return [array_ops.stop_gradient(v) for v in variables]
    return array_ops.stop_gradient(variables)


def gradients(loss, variables):
    """`tf.gradients(loss, variables)`."""
    return _ops().gradients(loss, variables, colocate_gradients_with_ops=True)


def print_tensor(x, message=""):
    """`x`, printing `message` and its value when it is computed."""
    return _ops().Print(x, [x], message)


def is_keras_tensor(x):
    """True when `x` was made by a Keras layer (or `Input`).

    Raises ValueError for something that is not a tensor, as tf_keras does.
    """
    if not isinstance(x, (tensor_lib.Tensor, variables_lib.Variable)):
        raise ValueError("Unexpectedly found an instance of type `" + str(type(x)) + "`. "
                         "Expected a symbolic tensor instance.")
    from tensorflux.keras.engine import node as node_lib

    return node_lib.history(x) is not None


def get_variable_shape(x):
    """`int_shape(x)` (TF 1.x Keras' older name)."""
    return int_shape(x)


def is_placeholder(x):
    """True when `x` is the output of a placeholder op."""
    return getattr(getattr(x, "op", None), "type", None) in ("Placeholder",
                                                              "PlaceholderWithDefault")


def is_sparse(tensor):
    from tensorflux.ops import sparse_tensor

    return isinstance(tensor, sparse_tensor.SparseTensor)


def to_dense(tensor):
    return _ops().sparse.to_dense(tensor) if is_sparse(tensor) else tensor


# --- control flow -------------------------------------------------------------------------------
def switch(condition, then_expression, else_expression):
    """`then_expression` where `condition` holds, else `else_expression`: a `tf.cond` for a
    scalar condition (the branches may be callables), an element-wise select otherwise.

    Example:
        >>> K.switch(K.greater(x, 0), x, -x)
    """
    condition = constant_op.convert_to_tensor(condition)
    if condition.dtype.base_dtype != dtypes.bool:
        condition = math_ops.cast(condition, dtypes.bool)
    cond_ndim = ndim(condition)
    if not cond_ndim:
        then_fn = then_expression if callable(then_expression) else (lambda: then_expression)
        else_fn = else_expression if callable(else_expression) else (lambda: else_expression)
        return _ops().cond(condition, then_fn, else_fn)
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    expr_ndim = ndim(then_expression)
    if cond_ndim > expr_ndim:
        raise ValueError("Rank of `condition` should be less than or equal to rank of "
                         "`then_expression` and `else_expression`. ndim(condition)=%d, "
                         "ndim(then_expression)=%d" % (cond_ndim, expr_ndim))
    if cond_ndim > 1 and expr_ndim > cond_ndim:
        cond_shape = array_ops.concat(
            [array_ops.shape(condition), [1] * (expr_ndim - cond_ndim)], axis=0)
        condition = array_ops.reshape(condition, cond_shape)
        expr_shape = array_ops.shape(then_expression)
        multiples = manip_ops.where(math_ops.greater(expr_shape - cond_shape, 0), expr_shape,
                                    _ops().ones_like(expr_shape))
        condition = manip_ops.tile(condition, multiples)
    return manip_ops.where(condition, then_expression, else_expression)


def in_train_phase(x, alt, training=None):
    """`x` in the training phase, `alt` otherwise (either may be a callable).

    `training` defaults to the learning phase; a Python 0/1/bool picks a branch right away.
    """
    if training is None:
        training = learning_phase()
    if not isinstance(training, (tensor_lib.Tensor, variables_lib.Variable)):
        if training == 1 or training is True:
            return x() if callable(x) else x
        if training == 0 or training is False:
            return alt() if callable(alt) else alt
    return switch(training, x, alt)


def in_test_phase(x, alt, training=None):
    """`x` in the test phase, `alt` in training."""
    return in_train_phase(alt, x, training=training)


def map_fn(fn, elems, name=None, dtype=None):
    return _ops().map_fn(fn, elems, name=name, dtype=dtype)


def foldl(fn, elems, initializer=None, name=None):
    return _ops().foldl(fn, elems, initializer=initializer, name=name)


def foldr(fn, elems, initializer=None, name=None):
    return _ops().foldr(fn, elems, initializer=initializer, name=name)


def _expand_mask(mask_t, like):
    """A `(batch,)` bool mask broadcast (tiled) to the shape of `like`."""
    rank = like.shape.ndims
    for _ in range(rank - 1):
        mask_t = manip_ops.expand_dims(mask_t, -1)
    multiples = array_ops.concat([[1], array_ops.shape(like)[1:]], axis=0)
    return manip_ops.tile(mask_t, multiples)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False):
    """Iterates `step_function(input_t, states + constants) -> (output_t, new_states)` over
    the time axis of `inputs` (`(batch, time, ...)`, or time first with `time_major`).

    Returns `(last_output, outputs, new_states)`; `outputs` keeps the time axis. Where `mask`
    `(batch, time)` is False, the states are carried over unchanged and the output repeats the
    previous one (or is zero with `zero_output_for_mask`). A static number of steps is
    unrolled into the graph; otherwise the loop is a `tf.while_loop`.

    Example:
        >>> def step(x, states):
        ...     h = K.tanh(K.dot(x, W) + K.dot(states[0], U))
        ...     return h, [h]
        >>> last, outputs, states = K.rnn(step, x, [K.zeros_like(x[:, 0, :units])])
    """
    tf = _ops()
    inputs = constant_op.convert_to_tensor(inputs)
    if not time_major:
        perm = [1, 0] + list(range(2, inputs.shape.ndims))
        inputs = array_ops.transpose(inputs, perm)
    if mask is not None:
        mask = constant_op.convert_to_tensor(mask)
        if mask.dtype.base_dtype != dtypes.bool:
            mask = math_ops.cast(mask, dtypes.bool)
        if mask.shape.ndims == 2:
            mask = manip_ops.expand_dims(mask, -1)
        if not time_major:
            mask = array_ops.transpose(mask, [1, 0] + list(range(2, mask.shape.ndims)))
        mask = manip_ops.squeeze(mask, [-1])
    constants = list(constants or [])
    states = list(initial_states)
    steps = inputs.shape.as_list()[0]
    if steps is not None:
        outputs, states = _rnn_unrolled(step_function, inputs, states, constants, mask,
                                        go_backwards, zero_output_for_mask, steps)
        stacked = array_ops.stack(outputs)
        last = outputs[-1]
    else:
        stacked, states = _rnn_loop(tf, step_function, inputs, states, constants, mask,
                                    go_backwards, zero_output_for_mask)
        last = stacked[-1]
    if not time_major:
        stacked = array_ops.transpose(stacked, [1, 0] + list(range(2, stacked.shape.ndims)))
    return last, stacked, states


def _masked_step(step_function, x_t, mask_t, states, constants, prev_output, zero_output):
    output, new_states = step_function(x_t, tuple(states) + tuple(constants))
    new_states = list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]
    if mask_t is None:
        return output, new_states
    fallback = _ops().zeros_like(output) if zero_output or prev_output is None \
        else prev_output
    output = manip_ops.where(_expand_mask(mask_t, output), output, fallback)
    new_states = [manip_ops.where(_expand_mask(mask_t, new), new, old)
                  for new, old in zip(new_states, states)]
    return output, new_states


def _rnn_unrolled(step_function, inputs, states, constants, mask, go_backwards,
                  zero_output_for_mask, steps):
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    outputs = []
    for t in order:
        mask_t = None if mask is None else mask[t]
        prev = outputs[-1] if outputs else None
        output, states = _masked_step(step_function, inputs[t], mask_t, states, constants,
                                      prev, zero_output_for_mask)
        outputs.append(output)
    return outputs, states


def _rnn_loop(tf, step_function, inputs, states, constants, mask, go_backwards,
              zero_output_for_mask):
    if go_backwards:
        inputs = manip_ops.reverse(inputs, [0])
        mask = None if mask is None else manip_ops.reverse(mask, [0])
    steps = array_ops.shape(inputs)[0]
    # The first step is taken outside the loop: it fixes the output's shape and dtype.
    first, states = _masked_step(step_function, inputs[0], None if mask is None else mask[0],
                                 states, constants, None, zero_output_for_mask)
    outputs_ta = tf.TensorArray(first.dtype, size=steps, element_shape=first.shape)
    outputs_ta = outputs_ta.write(0, first)

    def body(t, prev, ta, *loop_states):
        output, new_states = _masked_step(step_function, inputs[t],
                                          None if mask is None else mask[t],
                                          list(loop_states), constants, prev,
                                          zero_output_for_mask)
        return (t + 1, output, ta.write(t, output)) + tuple(new_states)

    result = tf.while_loop(lambda t, *_: math_ops.less(t, steps), body,
                           (constant_op.constant(1), first, outputs_ta) + tuple(states))
    return result[2].stack(), list(result[3:])


# --- neural network functions ---------------------------------------------------------------------
def softmax(x, axis=-1):
    return _ops().nn.softmax(x, axis=axis)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """`max(x, threshold)` with leak `alpha` below the threshold and an optional cap."""
    from tensorflux.keras import activations

    return activations.relu(x, alpha=alpha, max_value=max_value, threshold=threshold)


def elu(x, alpha=1.0):
    out = _ops().nn.elu(x)
    return out if alpha == 1 else manip_ops.where(math_ops.greater(x, 0.0), out, alpha * out)


def sigmoid(x):
    return math_ops.sigmoid(x)


def hard_sigmoid(x):
    """`clip(0.2 * x + 0.5, 0, 1)`."""
    return math_ops.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)


def tanh(x):
    return math_ops.tanh(x)


def softplus(x):
    return _ops().nn.softplus(x)


def softsign(x):
    return _ops().nn.softsign(x)


def l2_normalize(x, axis=None):
    """`x / sqrt(max(sum(x**2, axis), 1e-12))`."""
    return _ops().nn.l2_normalize(x, axis=axis)


def dropout(x, level, noise_shape=None, seed=None):
    return _ops().nn.dropout(x, rate=level, noise_shape=noise_shape, seed=_seed(seed))


def in_top_k(predictions, targets, k):
    """True where `targets[i]` is among the `k` largest `predictions[i]`."""
    return _ops().nn.in_top_k(predictions, targets, k)


def _broadcast_along(t, axis, rank):
    """A 1-D per-channel tensor reshaped to broadcast along `axis` of a rank-`rank` tensor."""
    if t is None or ndim(t) != 1 or axis in (-1, rank - 1):
        return t
    shape = [1] * rank
    shape[axis % rank] = -1
    return array_ops.reshape(t, shape)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    """`(x - mean) / sqrt(var + epsilon) * gamma + beta`, per-channel statistics along `axis`.

    Example:
        >>> K.batch_normalization(x, mean, var, beta, gamma, epsilon=1e-3)
    """
    rank = ndim(x)
    mean, var, beta, gamma = [_broadcast_along(t, axis, rank) for t in (mean, var, beta, gamma)]
    return _ops().nn.batch_normalization(x, mean, var, beta, gamma, epsilon)


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):
    """`(normalized x, mean, variance)` with the batch statistics over `reduction_axes`.

    For 4-D inputs reduced over `[0, 1, 2]` or `[0, 2, 3]` the variance returned is the
    unbiased one (`n / (n - 1)`), as TensorFlow's fused batch norm gives it.
    """
    tf = _ops()
    reduction_axes = list(reduction_axes)
    rank = ndim(x)
    mean, variance = tf.nn.moments(x, reduction_axes, keep_dims=True)
    kept = [a for a in range(rank) if a not in reduction_axes]
    target = [1 if a in reduction_axes else -1 for a in range(rank)]
    if len(kept) == 1:
        gamma_b = None if gamma is None else array_ops.reshape(gamma, target)
        beta_b = None if beta is None else array_ops.reshape(beta, target)
    else:
        dims = array_ops.shape(x)
        shape = array_ops.stack([1 if a in reduction_axes else dims[a] for a in range(rank)])
        gamma_b = None if gamma is None else array_ops.reshape(gamma, shape)
        beta_b = None if beta is None else array_ops.reshape(beta, shape)
    normed = tf.nn.batch_normalization(x, mean, variance, beta_b, gamma_b, epsilon)
    mean = manip_ops.squeeze(mean, reduction_axes)
    variance = manip_ops.squeeze(variance, reduction_axes)
    if rank == 4 and reduction_axes in ([0, 1, 2], [0, 2, 3]):
        count = math_ops.cast(reduction_ops.reduce_prod(
            array_ops.gather(array_ops.shape(x), reduction_axes)), variance.dtype.base_dtype)
        variance = variance * count / math_ops.maximum(count - 1.0, 1.0)
    return normed, mean, variance


def _logits_behind(output, op_type, from_logits):
    """`(tensor, from_logits)`: the logits of a `op_type` (Softmax/Sigmoid) output."""
    if not from_logits:
        op = getattr(output, "op", None)
        if op is not None and op.type == op_type:
            return op.inputs[0], True
    return output, from_logits


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy of (soft) one-hot `target` and `output` probabilities along `axis`.

    `output` is renormalized and clipped to `[epsilon, 1 - epsilon]`; the logits of a softmax
    output are used directly.

    Example:
        >>> K.categorical_crossentropy(onehot, probs)
    """
    target = constant_op.convert_to_tensor(target)
    output = constant_op.convert_to_tensor(output)
    target.shape.assert_is_compatible_with(output.shape)
    output, from_logits = _logits_behind(output, "Softmax", from_logits)
    if from_logits:
        return _ops().nn.softmax_cross_entropy_with_logits_v2(labels=target, logits=output,
                                                              axis=axis)
    output = output / reduction_ops.reduce_sum(output, axis, True)
    output = math_ops.clip_by_value(output, epsilon(), 1.0 - epsilon())
    return -reduction_ops.reduce_sum(target * math_ops.log(output), axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy of integer `target` classes and `output` probabilities along `axis`."""
    target = math_ops.cast(constant_op.convert_to_tensor(target), dtypes.int64)
    output = constant_op.convert_to_tensor(output)
    output, from_logits = _logits_behind(output, "Softmax", from_logits)
    if not from_logits:
        output = math_ops.log(math_ops.clip_by_value(output, epsilon(), 1.0 - epsilon()))
    output_rank = output.shape.ndims
    if output_rank is not None:
        axis %= output_rank
        if axis != output_rank - 1:
            perm = [i for i in range(output_rank) if i != axis] + [axis]
            output = array_ops.transpose(output, perm)
    elif axis != -1:
        raise ValueError("Cannot compute sparse categorical crossentropy with `axis=%s` on an "
                         "output tensor with unknown rank" % axis)
    output_shape = array_ops.shape(output)
    target_rank = target.shape.ndims
    reshape_needed = target_rank is not None and output_rank is not None \
        and target_rank != output_rank - 1
    if reshape_needed:
        target = flatten(target)
        output = array_ops.reshape(output, [-1, output_shape[-1]])
    res = _ops().nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
    if reshape_needed and output_rank >= 3:
        res = array_ops.reshape(res, output_shape[:-1])
    return res


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise crossentropy of 0/1 `target` and `output` probabilities (clipped)."""
    target = constant_op.convert_to_tensor(target)
    output = constant_op.convert_to_tensor(output)
    output, from_logits = _logits_behind(output, "Sigmoid", from_logits)
    if from_logits:
        return _ops().nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = math_ops.clip_by_value(output, epsilon(), 1.0 - epsilon())
    bce = target * math_ops.log(output + epsilon())
    bce += (1 - target) * math_ops.log(1 - output + epsilon())
    return -bce


def _conv_format(data_format):
    data_format = data_format or image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("Unknown data_format: " + str(data_format))
    return data_format


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1-D convolution of `(batch, steps, channels)` inputs (padding also "causal")."""
    data_format = _conv_format(data_format)
    if padding == "causal":
        left = dilation_rate * (kernel.shape.as_list()[0] - 1)
        x = temporal_padding(x, (left, 0))
        padding = "valid"
    return _ops().nn.convolution(x, kernel, padding=padding.upper(), strides=(strides,),
                                 dilation_rate=(dilation_rate,),
                                 data_format="NCW" if data_format == "channels_first"
                                 else "NWC")


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1)):
    """2-D convolution; `kernel` is `(rows, cols, in, out)`.

    Example:
        >>> K.conv2d(images, kernel, strides=(2, 2), padding="same")
    """
    data_format = _conv_format(data_format)
    if data_format == "channels_first":
        x = array_ops.transpose(x, (0, 2, 3, 1))
    out = _ops().nn.convolution(x, kernel, padding=padding.upper(), strides=tuple(strides),
                                dilation_rate=tuple(dilation_rate), data_format="NHWC")
    return array_ops.transpose(out, (0, 3, 1, 2)) if data_format == "channels_first" else out


def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    """Transposed 2-D convolution (channels last inside); `kernel` is `(rows, cols, out, in)`."""
    data_format = _conv_format(data_format)
    if data_format == "channels_first":
        x = array_ops.transpose(x, (0, 2, 3, 1))
        output_shape = (output_shape[0], output_shape[2], output_shape[3], output_shape[1])
    if dilation_rate != (1, 1):
        raise NotImplementedError("K.conv2d_transpose with dilation_rate is not supported.")
    out = _ops().nn.conv2d_transpose(x, kernel, output_shape, (1,) + tuple(strides) + (1,),
                                     padding=padding.upper())
    return array_ops.transpose(out, (0, 3, 1, 2)) if data_format == "channels_first" else out


def depthwise_conv2d(x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    data_format = _conv_format(data_format)
    if data_format == "channels_first":
        x = array_ops.transpose(x, (0, 2, 3, 1))
    out = _ops().nn.depthwise_conv2d(x, depthwise_kernel, (1,) + tuple(strides) + (1,),
                                     padding.upper(), rate=tuple(dilation_rate))
    return array_ops.transpose(out, (0, 3, 1, 2)) if data_format == "channels_first" else out


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    data_format = _conv_format(data_format)
    if data_format == "channels_first":
        x = array_ops.transpose(x, (0, 2, 3, 1))
    out = _ops().nn.separable_conv2d(x, depthwise_kernel, pointwise_kernel,
                                     (1,) + tuple(strides) + (1,), padding.upper(),
                                     rate=tuple(dilation_rate))
    return array_ops.transpose(out, (0, 3, 1, 2)) if data_format == "channels_first" else out


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """2-D max or average pooling (`pool_mode` "max" or "avg")."""
    data_format = _conv_format(data_format)
    if len(pool_size) != 2:
        raise ValueError("`pool_size` must be a tuple of 2 integers.")
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    if pool_mode not in ("max", "avg"):
        raise ValueError("Invalid pooling mode: " + str(pool_mode))
    if data_format == "channels_first":
        x = array_ops.transpose(x, (0, 2, 3, 1))
    pool = _ops().nn.max_pool if pool_mode == "max" else _ops().nn.avg_pool
    out = pool(x, (1,) + tuple(pool_size) + (1,), (1,) + tuple(strides) + (1,),
               padding=padding.upper())
    return array_ops.transpose(out, (0, 3, 1, 2)) if data_format == "channels_first" else out


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None,
           pool_mode="max"):
    """3-D max or average pooling (`pool_mode` "max" or "avg")."""
    data_format = _conv_format(data_format)
    if pool_mode not in ("max", "avg"):
        raise ValueError("Invalid pooling mode: " + str(pool_mode))
    if data_format == "channels_first":
        x = array_ops.transpose(x, (0, 2, 3, 4, 1))
    pool = _ops().nn.max_pool3d if pool_mode == "max" else _ops().nn.avg_pool3d
    out = pool(x, (1,) + tuple(pool_size) + (1,), (1,) + tuple(strides) + (1,),
               padding=padding.upper())
    return array_ops.transpose(out, (0, 4, 1, 2, 3)) if data_format == "channels_first" \
        else out


def bias_add(x, bias, data_format=None):
    """Adds `bias` along the channel axis (last, or 1 for channels_first)."""
    data_format = _conv_format(data_format)
    bias_shape = int_shape(bias)
    if len(bias_shape) != 1 and len(bias_shape) != ndim(x) - 1:
        raise ValueError("Unexpected bias dimensions %d. Expected it to be 1 or %d dimensions"
                         % (len(bias_shape), ndim(x) - 1))
    if len(bias_shape) == 1:
        if data_format == "channels_first" and ndim(x) > 2:
            return x + array_ops.reshape(bias, (1, bias_shape[0]) + (1,) * (ndim(x) - 2))
        return _ops().nn.bias_add(x, bias)
    if data_format == "channels_first":
        return x + array_ops.reshape(bias, (1, bias_shape[-1]) + bias_shape[:-1])
    return x + array_ops.reshape(bias, (1,) + bias_shape)


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """Upsamples the two spatial axes by integer factors ("nearest" or "bilinear", pixel
    centers as tf_keras 2.x).

    Example:
        >>> K.resize_images(x, 2, 2, "channels_last")
    """
    if data_format == "channels_first":
        rows, cols = 2, 3
    elif data_format == "channels_last":
        rows, cols = 1, 2
    else:
        raise ValueError("Invalid `data_format` argument: %s" % (data_format,))
    static = x.shape.as_list()[rows:cols + 1]
    if builtins.all(d is not None for d in static):
        new_shape = constant_op.constant(static, dtype=dtypes.int32)
    else:
        new_shape = array_ops.shape(x)[rows:cols + 1]
    new_shape = new_shape * constant_op.constant(np.array([height_factor, width_factor],
                                                          dtype="int32"))
    if data_format == "channels_first":
        x = permute_dimensions(x, [0, 2, 3, 1])
    image = _ops().image
    if interpolation == "nearest":
        x = image.resize_nearest_neighbor(x, new_shape, half_pixel_centers=True)
    elif interpolation == "bilinear":
        x = image.resize_bilinear(x, new_shape, half_pixel_centers=True)
    else:
        raise ValueError('`interpolation` argument should be one of: "nearest", "bilinear". '
                         'Received: "%s".' % (interpolation,))
    if static[0] is not None and static[1] is not None:
        x.set_shape([None, static[0] * height_factor, static[1] * width_factor, None])
    if data_format == "channels_first":
        x = permute_dimensions(x, [0, 3, 1, 2])
    return x


# --- CTC ------------------------------------------------------------------------------------------
def ctc_label_dense_to_sparse(labels, label_lengths):
    """The `SparseTensor` of the first `label_lengths[i]` labels of each row of `labels`."""
    tf = _ops()
    labels = constant_op.convert_to_tensor(labels)
    mask = tf.sequence_mask(label_lengths, maxlen=array_ops.shape(labels)[1])
    indices = tf.where(mask)
    values = tf.gather_nd(labels, indices)
    return tf.SparseTensor(indices, values,
                           math_ops.cast(array_ops.shape(labels), dtypes.int64))


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """Per-sample CTC loss `(batch, 1)` of softmax outputs `y_pred` `(batch, time, classes)`
    (the blank is the last class) against dense labels `y_true`; the lengths are `(batch, 1)`.

    Example:
        >>> loss = K.ctc_batch_cost(labels, softmax_out, input_len, label_len)
    """
    tf = _ops()
    label_length = math_ops.cast(manip_ops.squeeze(label_length, [-1]), dtypes.int32)
    input_length = math_ops.cast(manip_ops.squeeze(input_length, [-1]), dtypes.int32)
    sparse = ctc_label_dense_to_sparse(y_true, label_length)
    sparse = tf.SparseTensor(sparse.indices, math_ops.cast(sparse.values, dtypes.int32),
                             sparse.dense_shape)
    y_pred = math_ops.log(array_ops.transpose(y_pred, perm=[1, 0, 2]) + epsilon())
    loss = tf.nn.ctc_loss(labels=sparse, inputs=y_pred, sequence_length=input_length)
    return manip_ops.expand_dims(loss, 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """`([dense decoded paths, -1 padded], log probabilities)` for softmax outputs `y_pred`.

    Example:
        >>> (best,), logp = K.ctc_decode(softmax_out, lengths)
    """
    tf = _ops()
    dims = array_ops.shape(y_pred)
    y_pred = math_ops.log(array_ops.transpose(y_pred, perm=[1, 0, 2]) + epsilon())
    input_length = math_ops.cast(input_length, dtypes.int32)
    if greedy:
        decoded, log_prob = tf.nn.ctc_greedy_decoder(inputs=y_pred,
                                                     sequence_length=input_length)
    else:
        decoded, log_prob = tf.nn.ctc_beam_search_decoder(
            inputs=y_pred, sequence_length=input_length, beam_width=beam_width,
            top_paths=top_paths)
    dense_shape = math_ops.cast(array_ops.stack([dims[0], dims[1]]), dtypes.int64)
    dense = [tf.sparse.to_dense(tf.SparseTensor(st.indices, st.values, dense_shape),
                                default_value=-1) for st in decoded]
    return dense, log_prob
