"""CTC: `tf.nn.ctc_loss`, `ctc_greedy_decoder` and `ctc_beam_search_decoder` (TF 1.x).

`CTCLoss` takes time-major logits [max_time, batch, num_classes] (the last class is the blank),
the labels as a SparseTensor's (indices, values) and the sequence lengths; it returns the loss
[batch] and, like TF's op, the loss's gradient w.r.t. the logits as a second output, which the
registered gradient scales by the incoming gradient. The decoders return SparseTensors of int64
class ids plus the paths' log probabilities; they are host (numpy) ops with no gradient.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, manip_ops, math_ops, registry
from tensorflux.ops.registry import ShapeError
from tensorflux.ops.sparse_tensor import SparseTensor

TS = tensor_shape.TensorShape


def _dims3(x):
    s = x.shape
    if s.ndims is not None and s.ndims != 3:
        raise ShapeError("Shape must be rank 3 but is rank %d" % s.ndims)
    return s.as_list() if s.ndims is not None else [None, None, None]


def _ctc_loss_shape(op):
    logits = op.inputs[0]
    t, b, c = _dims3(logits)
    dt = logits.dtype.base_dtype
    return [(dt, TS([b])), (dt, TS([t, b, c]))]


def _ctc_loss_grad(op, grad_loss, _grad_gradient):
    # TF: the gradient output is already d(loss)/d(logits); second derivatives are not defined.
    scale = manip_ops.expand_dims(manip_ops.expand_dims(grad_loss, 0), -1)
    return [math_ops.multiply(scale, op.outputs[1]), None, None, None]


registry.register("CTCLoss", shape=_ctc_loss_shape, grad=_ctc_loss_grad)


def _decoder_shape(op):
    _, b, _ = _dims3(op.inputs[0])
    paths = op._attrs.get("top_paths", 1)
    dt = op.inputs[0].dtype.base_dtype
    return ([(dtypes.int64, TS([None, 2]))] * paths + [(dtypes.int64, TS([None]))] * paths +
            [(dtypes.int64, TS([2]))] * paths + [(dt, TS([b, paths]))])


registry.register("CTCGreedyDecoder", shape=_decoder_shape, grad=registry.NOT_DIFFERENTIABLE)
registry.register("CTCBeamSearchDecoder", shape=_decoder_shape,
                  grad=registry.NOT_DIFFERENTIABLE)


def _time_major(inputs, time_major):
    x = constant_op.convert_to_tensor(inputs, name="inputs")
    return x if time_major else array_ops.transpose(x, [1, 0, 2])


def _lengths(sequence_length):
    return math_ops.cast(constant_op.convert_to_tensor(sequence_length, name="sequence_length"),
                         dtypes.int32)


def ctc_loss(labels, inputs=None, sequence_length=None, preprocess_collapse_repeated=False,
             ctc_merge_repeated=True, ignore_longer_outputs_than_inputs=False, time_major=True,
             logits=None):
    """The CTC loss (negative log likelihood of `labels`) of each batch entry.

    Args:
        labels: an int32 SparseTensor; `labels.indices[i] = [batch, position]`.
        inputs: logits [max_time, batch, num_classes] (batch-major when not `time_major`); the
            softmax is applied here. The blank is class `num_classes - 1`.
        sequence_length: int32 [batch], the number of valid time steps of each entry.
        preprocess_collapse_repeated: merge repeated labels before computing the loss.
        ctc_merge_repeated: False makes repeated non-blank outputs count as separate labels.
        ignore_longer_outputs_than_inputs: loss 0 (and no gradient) instead of an error when a
            label sequence is longer than its input.
        time_major: layout of `inputs`.
        logits: alias of `inputs`.

    Example:
        >>> loss = tf.reduce_mean(tf.nn.ctc_loss(sparse_labels, logits, seq_len))
    """
    if not isinstance(labels, SparseTensor):
        raise TypeError("Expected labels (first argument) to be a SparseTensor")
    if inputs is None:
        inputs = logits
    if inputs is None:
        raise ValueError("ctc_loss needs `inputs` (or `logits`).")
    with graph_lib.name_scope(None, "CTCLoss", [inputs, labels.values]) as scope:
        x = _time_major(inputs, time_major)
        attrs = {"preprocess_collapse_repeated": bool(preprocess_collapse_repeated),
                 "ctc_merge_repeated": bool(ctc_merge_repeated),
                 "ignore_longer_outputs_than_inputs": bool(ignore_longer_outputs_than_inputs),
                 "T": x.dtype.base_dtype}
        values = math_ops.cast(labels.values, dtypes.int32)
        op = registry.make_op("CTCLoss", [x, labels.indices, values, _lengths(sequence_length)],
                              attrs, name=scope)
        return op.outputs[0]


def _decoded(op, paths):
    outs = op.outputs
    sparse = [SparseTensor(outs[k], outs[paths + k], outs[2 * paths + k]) for k in range(paths)]
    return sparse, outs[3 * paths]


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best-path decoding: the most likely class at each step, repeats merged, blanks dropped.

    Returns ([SparseTensor of int64 class ids, shape [batch, max_length]], neg_sum_logits
    [batch, 1]): the second is minus the sum over time of each step's largest input.

    Example:
        >>> (decoded,), neg_sum = tf.nn.ctc_greedy_decoder(logits, seq_len)
    """
    with graph_lib.name_scope(None, "CTCGreedyDecoder", [inputs]) as scope:
        x = _time_major(inputs, True)
        attrs = {"merge_repeated": bool(merge_repeated),
                 "blank_index": -1 if blank_index is None else int(blank_index),
                 "T": x.dtype.base_dtype}
        op = registry.make_op("CTCGreedyDecoder", [x, _lengths(sequence_length)], attrs,
                              name=scope)
        return _decoded(op, 1)


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1,
                            merge_repeated=True):
    """Prefix beam search over the softmax of `inputs`; returns the `top_paths` best labelings.

    Returns (list of `top_paths` SparseTensors, log_probabilities [batch, top_paths]).

    Example:
        >>> decoded, log_probs = tf.nn.ctc_beam_search_decoder(logits, seq_len, beam_width=10)
    """
    if top_paths > beam_width:
        raise ValueError("top_paths must be <= beam_width")
    with graph_lib.name_scope(None, "CTCBeamSearchDecoder", [inputs]) as scope:
        x = _time_major(inputs, True)
        attrs = {"beam_width": int(beam_width), "top_paths": int(top_paths),
                 "merge_repeated": bool(merge_repeated), "T": x.dtype.base_dtype}
        op = registry.make_op("CTCBeamSearchDecoder", [x, _lengths(sequence_length)], attrs,
                              name=scope)
        return _decoded(op, int(top_paths))
