"""The rest of `tf.contrib.framework`: tensor checks (`with_shape`, `assert_scalar_int`,
`reduce_sum_n`, ...), `zero_initializer`, the structured `py_func`, `smart_cond` and the
re-exports TF 1.15 keeps there (`sort`, `argsort`, `nest`, `get_name_scope`, the deprecation
decorators).

Example:
    >>> total = tf.contrib.framework.reduce_sum_n([loss_a, loss_b])
    >>> x = tf.contrib.framework.with_shape([2, 3], x)
"""

import numpy as np

import tensorflux as tf
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape
from tensorflux.ops import constant_op
from tensorflux.ops.sparse_tensor import SparseTensor
from tensorflux.util import nest

is_tensor = constant_op.is_tensor


def reduce_sum_n(tensors, name=None):
    """Reduces each tensor to a scalar with `reduce_sum` and adds them with `add_n`.

    Example:
        >>> total = reduce_sum_n([tf.ones([2]), tf.ones([3])])  # 5.
    """
    if not tensors:
        raise ValueError("No tensors provided.")
    with graph_lib.name_scope(name, "reduce_sum_n", tensors) as name_scope:
        tensors = [tf.reduce_sum(t, name="%s/sum" % t.op.name) for t in tensors]
        if len(tensors) == 1:
            return tensors[0]
        return tf.add_n(tensors, name=name_scope)


def remove_squeezable_dimensions(predictions, labels, name=None):
    """Squeezes the last dim of `predictions` or `labels` when their ranks differ by 1.

    (contrib's order: predictions first; `tf.confusion_matrix`'s version takes labels first.)
    """
    with graph_lib.name_scope(name, "remove_squeezable_dimensions", [predictions, labels]):
        predictions = tf.convert_to_tensor(predictions)
        labels = tf.convert_to_tensor(labels)
        predictions_shape = predictions.get_shape()
        predictions_rank = predictions_shape.ndims
        labels_shape = labels.get_shape()
        labels_rank = labels_shape.ndims
        if labels_rank is not None and predictions_rank is not None:
            rank_diff = predictions_rank - labels_rank
            if rank_diff == -1:
                labels = tf.squeeze(labels, [-1])
            elif rank_diff == 1:
                predictions = tf.squeeze(predictions, [-1])
            return predictions, labels
        rank_diff = tf.rank(predictions) - tf.rank(labels)
        if predictions_rank is None or predictions_shape.dims[-1].is_compatible_with(1):
            predictions = tf.cond(tf.equal(1, rank_diff),
                                  lambda: tf.squeeze(predictions, [-1]), lambda: predictions)
        if labels_rank is None or labels_shape.dims[-1].is_compatible_with(1):
            labels = tf.cond(tf.equal(-1, rank_diff),
                             lambda: tf.squeeze(labels, [-1]), lambda: labels)
        return predictions, labels


def _all_equal(tensor0, tensor1):
    with graph_lib.name_scope("all_equal", values=[tensor0, tensor1]) as scope:
        return tf.reduce_all(tf.equal(tensor0, tensor1, name="equal"), name=scope)


def _is_rank(expected_rank, actual_tensor):
    with graph_lib.name_scope("is_rank", values=[actual_tensor]) as scope:
        expected = tf.convert_to_tensor(expected_rank, name="expected")
        actual = tf.rank(actual_tensor, name="actual")
        return tf.equal(expected, actual, name=scope)


def _is_shape(expected_shape, actual_tensor, actual_shape=None):
    with graph_lib.name_scope("is_shape", values=[actual_tensor]) as scope:
        is_rank = _is_rank(tf.size(expected_shape), actual_tensor)
        if actual_shape is None:
            actual_shape = tf.shape(actual_tensor, name="actual")
        shape_equal = _all_equal(tf.convert_to_tensor(expected_shape, name="expected"),
                                 actual_shape)
        return tf.logical_and(is_rank, shape_equal, name=scope)


def _assert_shape_op(expected_shape, actual_tensor):
    with graph_lib.name_scope("assert_shape", values=[actual_tensor]) as scope:
        actual_shape = tf.shape(actual_tensor, name="actual")
        is_shape = _is_shape(expected_shape, actual_tensor, actual_shape)
        return tf.Assert(is_shape, ["Wrong shape for %s [expected] [actual]." % actual_tensor.name,
                                    expected_shape, actual_shape], name=scope)


def with_same_shape(expected_tensor, tensor):
    """`tensor`, checked (statically or by an assert op) to have `expected_tensor`'s shape."""
    with graph_lib.name_scope("%s/" % tensor.op.name, values=[expected_tensor, tensor]):
        shape = expected_tensor.get_shape()
        expected_shape = (shape.as_list() if shape.is_fully_defined()
                          else tf.shape(expected_tensor, name="expected_shape"))
        return with_shape(expected_shape, tensor)


def with_shape(expected_shape, tensor):
    """`tensor`, checked to have `expected_shape` (a list of ints or an int32 tensor).

    Fully defined static shapes are compared now (ValueError); otherwise an assert op is added
    and the result gets the expected static shape.

    Example:
        >>> y = with_shape([2, 3], tf.placeholder(tf.float32, [None, 3]))  # y.shape == (2, 3)
    """
    if isinstance(tensor, SparseTensor):
        raise ValueError("SparseTensor not supported.")
    if is_tensor(expected_shape) and expected_shape.dtype.base_dtype != tf.int32:
        raise ValueError("Invalid dtype %s for shape %s expected of tensor %s." % (
            expected_shape.dtype, expected_shape, tensor.name))
    if isinstance(expected_shape, (list, tuple)):
        if not expected_shape:
            expected_shape = np.asarray([], dtype=np.int32)
        else:
            np_expected = np.asarray(expected_shape)
            expected_shape = (np.asarray(expected_shape, dtype=np.int32)
                              if np_expected.dtype == np.int64 else np_expected)
    if isinstance(expected_shape, np.ndarray):
        if expected_shape.ndim > 1:
            raise ValueError("Invalid rank %s for shape %s expected of tensor %s." % (
                expected_shape.ndim, expected_shape, tensor.name))
        if expected_shape.dtype != np.int32:
            raise ValueError("Invalid dtype %s for shape %s expected of tensor %s." % (
                expected_shape.dtype, expected_shape, tensor.name))
    actual_shape = tensor.get_shape()
    if not actual_shape.is_fully_defined() or is_tensor(expected_shape):
        with graph_lib.name_scope("%s/" % tensor.op.name, values=[tensor]):
            if not is_tensor(expected_shape) and len(expected_shape) < 1:
                return tf.reshape(tensor, [])
            with tf.control_dependencies([_assert_shape_op(expected_shape, tensor)]):
                result = tf.identity(tensor)
            if not is_tensor(expected_shape):
                result.set_shape(expected_shape)
            return result
    if not is_tensor(expected_shape) and not actual_shape.is_compatible_with(expected_shape):
        if len(expected_shape) < 1 and actual_shape.is_compatible_with([1]):
            with graph_lib.name_scope("%s/" % tensor.op.name, values=[tensor]):
                return tf.reshape(tensor, [])
        raise ValueError("Invalid shape for tensor %s, expected %s, got %s." % (
            tensor.name, expected_shape, actual_shape))
    return tensor


def assert_scalar_int(tensor, name=None):
    """`tensor`, checked now to be a 0-D int32/int64 tensor (ValueError otherwise)."""
    with graph_lib.name_scope(name, "assert_scalar_int", [tensor]) as name_scope:
        tensor = tf.convert_to_tensor(tensor)
        if not tensor.dtype.base_dtype.is_integer:
            raise ValueError("Expected integer type for %s, received type: %s."
                             % (tensor.name, tensor.dtype))
        return tf.debugging.assert_scalar(tensor, name=name_scope)


def zero_initializer(ref, use_locking=True, name="zero_initializer"):
    """An op that sets the variable `ref` to zeros of its shape and returns it.

    Example:
        >>> v = tf.Variable(tf.ones([3]))
        >>> sess.run(zero_initializer(v))  # [0., 0., 0.]
    """
    shape = ref.get_shape()
    if not shape.is_fully_defined():
        raise ValueError("zero_initializer needs a fully defined shape, got %s for %s."
                         % (shape, ref.name))
    zeros = np.zeros(shape.as_list(), dtype=ref.dtype.base_dtype.as_numpy_dtype)
    return tf.assign(ref, zeros, use_locking=use_locking, name=name)


def py_func(func, args=(), kwargs=None, output_types=None, output_shapes=None, stateful=True,
            name=None):
    """`tf.py_func` with keyword arguments and nested outputs (contrib's variant).

    Example:
        >>> a, b = py_func(lambda x, y=1: (x + y, x - y), [x], {"y": y},
        ...                output_types=(tf.float32, tf.float32))  # doctest: +SKIP
    """
    if kwargs is None:
        kwargs = {}
    if not isinstance(args, (list, tuple)):
        raise TypeError("args must be list and not {}. args: {}".format(type(args), args))
    if not isinstance(kwargs, dict):
        raise TypeError("kwargs must be dict and not {}. args: {}".format(type(kwargs), kwargs))
    if callable(output_types):
        output_types = output_types(*args, **kwargs)
    if callable(output_shapes):
        output_shapes = output_shapes(*args, **kwargs)
    flat_output_types = nest.flatten(output_types)
    structure = (args, kwargs)
    flat_args = nest.flatten(structure)

    def python_function_wrapper(*py_args):
        py_args, py_kwargs = nest.pack_sequence_as(structure, list(py_args))
        ret = func(*py_args, **py_kwargs)
        flat_ret = nest.flatten(ret)
        if len(flat_ret) != len(flat_output_types):
            raise ValueError("The function returned %d values, output_types has %d."
                             % (len(flat_ret), len(flat_output_types)))
        return flat_ret

    flat_values = tf.py_func(python_function_wrapper, flat_args, flat_output_types,
                             stateful=stateful, name=name)
    if output_shapes is not None:
        flat_shapes = nest.flatten_up_to(output_types, output_shapes)
        for ret_t, shape in zip(flat_values, flat_shapes):
            ret_t.set_shape(tensor_shape.as_shape(shape))
    return nest.pack_sequence_as(output_types, flat_values)


def smart_constant_value(pred):
    """The Python bool of `pred` when known now (a bool, or a constant tensor), else None."""
    if isinstance(pred, (bool, np.bool_)):
        return bool(pred)
    if isinstance(pred, int):
        if pred not in (0, 1):
            raise TypeError("`pred` must be a Tensor, or a Python bool, or 1 or 0. "
                            "Found instead: %s" % pred)
        return bool(pred)
    if is_tensor(pred):
        value = constant_op.constant_value(pred)
        return None if value is None else bool(value)
    raise TypeError("`pred` must be a Tensor, or a Python bool, or 1 or 0. "
                    "Found instead: %s" % type(pred))


def smart_cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` or `false_fn()` called now when `pred` is known, else `tf.cond`.

    Example:
        >>> smart_cond(True, lambda: 1, lambda: 2)  # 1 (no cond op built)
    """
    if not callable(true_fn):
        raise TypeError("`true_fn` must be callable.")
    if not callable(false_fn):
        raise TypeError("`false_fn` must be callable.")
    value = smart_constant_value(pred)
    if value is not None:
        return true_fn() if value else false_fn()
    return tf.cond(pred, true_fn=true_fn, false_fn=false_fn, name=name)


def get_placeholders(graph):
    """The output tensors of `graph`'s Placeholder ops, in creation order.

    Example:
        >>> get_placeholders(tf.get_default_graph())  # [<tf.Tensor 'x:0' ...>]
    """
    return [op.outputs[0] for op in graph.get_operations() if op.type == "Placeholder"]
