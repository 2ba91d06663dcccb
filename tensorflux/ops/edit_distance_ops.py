"""EditDistance: the Levenshtein distance between sequences held in two SparseTensors
(`tf.edit_distance`), one distance per sequence, i.e. per index of all but the last dimension.

    >>> hyp = tf.SparseTensor([[0, 0], [0, 1]], ["a", "b"], [1, 2])
    >>> truth = tf.SparseTensor([[0, 0]], ["a"], [1, 1])
    >>> tf.edit_distance(hyp, truth)  # [1.] (one insertion / truth length 1)
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import registry
from tensorflux.ops.constant_op import constant_value
from tensorflux.ops.sparse_tensor import SparseTensor, SparseTensorValue

ND = registry.NOT_DIFFERENTIABLE


def _edit_distance_shape(op):
    hyp_shape, truth_shape = op.inputs[2], op.inputs[5]
    h, t = constant_value(hyp_shape), constant_value(truth_shape)
    if h is None or t is None:
        n = tensor_shape.dimension_value(hyp_shape.shape[0]) if hyp_shape.shape.ndims else None
        return [(dtypes.float32, tensor_shape.unknown_shape(None if n is None else n - 1))]
    out = [max(int(a), int(b)) for a, b in zip(h[:-1], t[:-1])]
    return [(dtypes.float32, tensor_shape.TensorShape(out))]


registry.register("EditDistance", shape=_edit_distance_shape, grad=ND)


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """The Levenshtein distance of each hypothesis sequence to its truth sequence, divided by the
    truth's length when `normalize` (an empty truth gives inf, or 0 for an empty hypothesis).

    Example:
        >>> tf.edit_distance(hyp, truth, normalize=False)  # edits per sequence
    """
    if not isinstance(hypothesis, (SparseTensor, SparseTensorValue)):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, (SparseTensor, SparseTensorValue)):
        raise TypeError("Truth must be a SparseTensor.")
    if isinstance(hypothesis, SparseTensorValue):
        hypothesis = SparseTensor.from_value(hypothesis)
    if isinstance(truth, SparseTensorValue):
        truth = SparseTensor.from_value(truth)
    inputs = [hypothesis.indices, hypothesis.values, hypothesis.dense_shape,
              truth.indices, truth.values, truth.dense_shape]
    if hypothesis.values.dtype.base_dtype != truth.values.dtype.base_dtype:
        raise TypeError("Input 'truth_values' of 'EditDistance' Op has type %s that does not "
                        "match type %s of argument 'hypothesis_values'."
                        % (truth.values.dtype.name, hypothesis.values.dtype.name))
    return registry.make_tensor("EditDistance", inputs,
                                {"T": hypothesis.values.dtype.base_dtype,
                                 "normalize": bool(normalize)}, name=name)
