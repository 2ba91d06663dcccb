"""Candidate sampling for sampled losses: the uniform and log-uniform (Zipfian) samplers,
accidental-hit detection, and `nce_loss` / `sampled_softmax_loss` built on them.

A sampler returns `(sampled_candidates, true_expected_count, sampled_expected_count)`; the
expected counts are what the losses subtract (as logs) to correct for the sampling.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    gather_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    nn_loss_ops,
    nn_ops,
    random_ops,
    registry,
    slicing_ops,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


def _sampler_shape(op):
    t = op.inputs[0]
    if t.shape.ndims is not None and t.shape.ndims != 2:
        raise ShapeError("Shape must be rank 2 but is rank %d" % t.shape.ndims)
    batch = t.shape[0].value if t.shape.ndims else None
    n = op._attrs["num_sampled"]
    return [(dtypes.int64, TS([n])), (dtypes.float32, TS([batch, op._attrs["num_true"]])),
            (dtypes.float32, TS([n]))]


def _hits_shape(op):
    return [(dtypes.int32, TS([None])), (dtypes.int64, TS([None])), (dtypes.float32, TS([None]))]


for _name in ("UniformCandidateSampler", "LogUniformCandidateSampler",
              "FixedUnigramCandidateSampler", "LearnedUnigramCandidateSampler"):
    registry.register(_name, shape=_sampler_shape, grad=ND, stateful=True)
registry.register("ComputeAccidentalHits", shape=_hits_shape, grad=ND)


def _sampler(op_type, true_classes, num_true, num_sampled, unique, range_max, seed, name,
             extra_attrs=None):
    if unique and num_sampled > range_max:
        raise ValueError("Sampler's range is too small: num_sampled %d > range_max %d"
                         % (num_sampled, range_max))
    s1, s2 = random_ops.get_seed(seed)
    g = graph_lib._graph_from_values([true_classes])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        t = convert(true_classes, dtype=dtypes.int64, name="true_classes")
        op = registry.make_op(op_type, [t], {
            "num_true": int(num_true), "num_sampled": int(num_sampled), "unique": bool(unique),
            "range_max": int(range_max), "seed": s1 or 0, "seed2": s2 or 0,
            **(extra_attrs or {})}, name=scope)
        return tuple(op._outputs)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                              seed=None, name=None):
    """Samples `num_sampled` classes uniformly from [0, range_max)."""
    return _sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """Samples classes with P(c) = log((c + 2) / (c + 1)) / log(range_max + 1) (Zipf-like)."""
    return _sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                    range_max, seed, name)


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                    vocab_file="", distortion=1.0, num_reserved_ids=0,
                                    num_shards=1, shard=0, unigrams=(), seed=None, name=None):
    """Samples classes with P(c) proportional to `unigrams[c] ** distortion` (or the last
    comma-separated field of line c of `vocab_file`); the first `num_reserved_ids` ids get
    weight 0, and with `num_shards` only the ids `i % num_shards == shard` are kept.

    Example:
        >>> s, t, e = tf.nn.fixed_unigram_candidate_sampler(
        ...     labels, 1, 4, True, 5, unigrams=[5., 2., 1., 1., 1.], distortion=0.75)
    """
    return _sampler("FixedUnigramCandidateSampler", true_classes, num_true, num_sampled, unique,
                    range_max, seed, name, {
                        "vocab_file": str(vocab_file or ""), "distortion": float(distortion),
                        "num_reserved_ids": int(num_reserved_ids),
                        "num_shards": int(num_shards), "shard": int(shard),
                        "unigrams": [float(u) for u in unigrams]})


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                      seed=None, name=None):
    """Samples classes with P(c) proportional to 1 + (times c was a true class in earlier runs
    of this op in the session): the distribution is learned from the true classes."""
    return _sampler("LearnedUnigramCandidateSampler", true_classes, num_true, num_sampled,
                    unique, range_max, seed, name)


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """(row indices, sampled positions, -FLT_MAX weights) where a sample equals a true class."""
    s1, s2 = random_ops.get_seed(seed)
    g = graph_lib._graph_from_values([true_classes, sampled_candidates])
    with g.as_default(), g.name_scope(name or "ComputeAccidentalHits") as scope:
        t = convert(true_classes, dtype=dtypes.int64, name="true_classes")
        s = convert(sampled_candidates, dtype=dtypes.int64, name="sampled_candidates")
        op = registry.make_op("ComputeAccidentalHits", [t, s], {
            "num_true": int(num_true), "seed": s1 or 0, "seed2": s2 or 0}, name=scope)
        return tuple(op._outputs)


def _sum_rows(x):
    """reduce_sum(x, 1) as a matmul with ones (TF's choice, for a cheaper gradient)."""
    cols = array_ops.shape(x)[1]
    ones = array_ops.ones(array_ops.stack([cols, 1]), x.dtype)
    return array_ops.reshape(linalg_ops.matmul(x, ones), [-1])


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                            sampled_values, subtract_log_q, remove_accidental_hits,
                            partition_strategy, name, seed=None):
    weights = list(weights) if isinstance(weights, (list, tuple)) else [weights]
    g = graph_lib._graph_from_values(weights + [biases, inputs, labels])
    with g.as_default(), g.name_scope(name or "compute_sampled_logits"):
        labels = convert(labels)
        inputs = convert(inputs)
        if labels.dtype.base_dtype != dtypes.int64:
            labels = math_ops.cast(labels, dtypes.int64)
        labels_flat = array_ops.reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True,
                range_max=num_classes, seed=seed)
        sampled, true_expected, sampled_expected = (array_ops.stop_gradient(s)
                                                    for s in sampled_values)
        sampled = math_ops.cast(sampled, dtypes.int64)
        all_ids = array_ops.concat([labels_flat, sampled], 0)
        all_w = nn_ops.embedding_lookup(weights, all_ids, partition_strategy=partition_strategy)
        all_w = math_ops.cast(all_w, inputs.dtype.base_dtype)
        n_true = array_ops.shape(labels_flat)[0]
        true_w = slicing_ops.slice(all_w, [0, 0], array_ops.stack([n_true, -1]))
        sampled_w = slicing_ops.slice(all_w, array_ops.stack([n_true, 0]), [-1, -1])
        sampled_logits = linalg_ops.matmul(inputs, sampled_w, transpose_b=True)
        all_b = math_ops.cast(nn_ops.embedding_lookup(biases, all_ids,
                                                      partition_strategy=partition_strategy),
                              inputs.dtype.base_dtype)
        true_b = slicing_ops.slice(all_b, [0], array_ops.shape(labels_flat))
        sampled_b = slicing_ops.slice(all_b, array_ops.shape(labels_flat), [-1])
        dim = array_ops.shape(true_w)[1:2]
        row_wise_dots = math_ops.multiply(
            manip_ops.expand_dims(inputs, 1),
            array_ops.reshape(true_w, array_ops.concat([[-1, num_true], dim], 0)))
        dots = array_ops.reshape(row_wise_dots, array_ops.concat([[-1], dim], 0))
        true_logits = array_ops.reshape(_sum_rows(dots), [-1, num_true])
        true_logits += array_ops.reshape(true_b, [-1, num_true])
        sampled_logits += sampled_b
        if remove_accidental_hits:
            acc_indices, acc_ids, acc_weights = compute_accidental_hits(labels, sampled,
                                                                        num_true=num_true)
            idx = array_ops.concat([array_ops.reshape(acc_indices, [-1, 1]),
                                    array_ops.reshape(math_ops.cast(acc_ids, dtypes.int32),
                                                      [-1, 1])], 1, "sparse_indices")
            shape = array_ops.concat([array_ops.shape(labels)[:1],
                                      manip_ops.expand_dims(convert(num_sampled), 0)], 0)
            sampled_logits += gather_ops.scatter_nd(
                idx, math_ops.cast(acc_weights, sampled_logits.dtype.base_dtype), shape)
        if subtract_log_q:
            true_logits -= math_ops.log(true_expected)
            sampled_logits -= math_ops.log(sampled_expected)
        out_logits = array_ops.concat([true_logits, sampled_logits], 1)
        out_labels = array_ops.concat([array_ops.ones_like(true_logits) / num_true,
                                       array_ops.zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, partition_strategy="mod",
             name="nce_loss"):
    """Noise-contrastive estimation loss per example (word2vec's loss).

    Example:
        >>> loss = tf.reduce_mean(tf.nn.nce_loss(nce_w, nce_b, labels, embed, 64, vocab_size))
    """
    logits, labels = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        True, remove_accidental_hits, partition_strategy, name)
    losses = nn_loss_ops.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                           name="sampled_losses")
    return _sum_rows(losses)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True,
                         partition_strategy="mod", name="sampled_softmax_loss", seed=None):
    """Softmax cross entropy over the true class and `num_sampled` sampled classes."""
    logits, labels = _compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
        True, remove_accidental_hits, partition_strategy, name, seed=seed)
    labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return nn_loss_ops.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
