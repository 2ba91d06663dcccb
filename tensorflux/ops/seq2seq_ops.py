"""GatherTree: backtrack beam-search parent pointers into full beams (`tf.contrib.seq2seq`).

    >>> ids = [[[2, 3]], [[4, 5]]]          # [max_time=2, batch=1, beam=2]
    >>> parents = [[[0, 0]], [[1, 0]]]
    >>> gather_tree(ids, parents, [2], end_token=9)  # [[[3, 2]], [[4, 5]]]
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError


def _gather_tree_shape(op):
    step_ids, parent_ids, lengths, end_token = (t.shape for t in op.inputs)
    shape = step_ids.merge_with(parent_ids) if step_ids.is_compatible_with(parent_ids) else None
    if shape is None:
        raise ShapeError("step_ids and parent_ids must have the same shape")
    if shape.ndims not in (None, 3):
        raise ShapeError("Shape must be rank 3 but is rank %d" % shape.ndims)
    if lengths.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % lengths.ndims)
    if end_token.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % end_token.ndims)
    if shape.ndims == 3 and lengths.ndims == 1:
        if not tensor_shape.dimension_at_index(shape, 1).is_compatible_with(lengths[0]):
            raise ShapeError("Dimensions must be equal, but are %s and %s"
                             % (shape[1].value, lengths[0].value))
    return [(op.inputs[0].dtype.base_dtype, shape)]


registry.register("GatherTree", shape=_gather_tree_shape, grad=registry.NOT_DIFFERENTIABLE)


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """Full beams [max_time, batch, beam] from each step's ids and parent beam indices.

    Walking back from each beam's last step (`max_sequence_lengths[b] - 1`) along
    `parent_ids`; steps past a beam's first `end_token` are set to `end_token`.

    Example:
        >>> beams = gather_tree(predicted_ids, parent_ids, lengths, end_token=1)
    """
    with graph_lib.name_scope(name, "GatherTree",
                              [step_ids, parent_ids, max_sequence_lengths, end_token]) as scope:
        step_ids = convert(step_ids, name="step_ids")
        parent_ids = convert(parent_ids, dtype=step_ids.dtype, name="parent_ids")
        lengths = convert(max_sequence_lengths, dtype=dtypes.int32, name="max_sequence_lengths")
        end_token = convert(end_token, dtype=step_ids.dtype, name="end_token")
        if step_ids.dtype.base_dtype != dtypes.int32:  # TF's OpDef: T in {int32}
            raise TypeError("Value passed to parameter 'step_ids' has DataType %s not in list "
                            "of allowed values: int32" % step_ids.dtype.name)
        return registry.make_tensor("GatherTree", [step_ids, parent_ids, lengths, end_token],
                                    {"T": step_ids.dtype.base_dtype}, name=scope)


__all__ = ["gather_tree"]
