"""`tf.contrib.losses.metric_learning`: embedding losses over a mini-batch — contrastive
(Hadsell et al.), triplet with semi-hard negative mining (FaceNet), lifted structured
(Oh Song et al.) and N-pairs (Sohn) — as TF 1.15 builds them, from dense [batch, batch]
distance matrices.

Example:
    >>> emb = tf.nn.l2_normalize(net, axis=1)
    >>> loss = tf.contrib.losses.metric_learning.triplet_semihard_loss(labels, emb, margin=0.2)
"""

from tensorflux import nn
from tensorflux.graph import dtypes
from tensorflux.ops import (
    array_ops,
    diag_ops,
    fill_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    reduction_ops,
)


def _float(x):
    return math_ops.cast(x, dtypes.float32)


def pairwise_distance(feature, squared=False):
    """output[i, j] = ||feature[i] - feature[j]||_2 (squared if `squared`), from
    |a|^2 + |b|^2 - 2 a.b with small negatives clamped to 0 and a zero diagonal.

    Example:
        >>> d = pairwise_distance(embeddings)   # [batch, batch]
    """
    pairwise_distances_squared = math_ops.add(
        reduction_ops.reduce_sum(math_ops.square(feature), axis=[1], keepdims=True),
        reduction_ops.reduce_sum(math_ops.square(array_ops.transpose(feature)), axis=[0],
                                 keepdims=True)) - 2.0 * linalg_ops.matmul(
                                     feature, array_ops.transpose(feature))
    pairwise_distances_squared = math_ops.maximum(pairwise_distances_squared, 0.0)
    error_mask = math_ops.less_equal(pairwise_distances_squared, 0.0)
    if squared:
        pairwise_distances = pairwise_distances_squared
    else:
        # The 1e-16 keeps sqrt's gradient finite where the distance is 0.
        pairwise_distances = math_ops.sqrt(pairwise_distances_squared
                                           + _float(error_mask) * 1e-16)
    pairwise_distances = math_ops.multiply(pairwise_distances,
                                           _float(math_ops.logical_not(error_mask)))
    num_data = array_ops.shape(feature)[0]
    mask_offdiagonals = fill_ops.ones_like(pairwise_distances) - diag_ops.diag(
        fill_ops.ones([num_data]))
    return math_ops.multiply(pairwise_distances, mask_offdiagonals)


def contrastive_loss(labels, embeddings_anchor, embeddings_positive, margin=1.0):
    """mean(y * d^2 + (1 - y) * max(margin - d, 0)^2) over pairs, d the anchor-positive
    distance and y the {0, 1} "same class" label of each pair.

    Example:
        >>> loss = contrastive_loss(same, left_emb, right_emb, margin=0.5)
    """
    distances = math_ops.sqrt(reduction_ops.reduce_sum(
        math_ops.squared_difference(embeddings_anchor, embeddings_positive), 1))
    labels = math_ops.cast(labels, distances.dtype)
    return reduction_ops.reduce_mean(
        labels * math_ops.square(distances)
        + (1. - labels) * math_ops.square(math_ops.maximum(margin - distances, 0.)),
        name="contrastive_loss")


def masked_maximum(data, mask, dim=1):
    """The maximum of `data` along `dim` over the entries where `mask` is 1 (keepdims)."""
    axis_minimums = reduction_ops.reduce_min(data, dim, keepdims=True)
    return reduction_ops.reduce_max(math_ops.multiply(data - axis_minimums, mask), dim,
                                    keepdims=True) + axis_minimums


def masked_minimum(data, mask, dim=1):
    """The minimum of `data` along `dim` over the entries where `mask` is 1 (keepdims)."""
    axis_maximums = reduction_ops.reduce_max(data, dim, keepdims=True)
    return reduction_ops.reduce_min(math_ops.multiply(data - axis_maximums, mask), dim,
                                    keepdims=True) + axis_maximums


def _labels_column(labels):
    lshape = array_ops.shape(labels)
    if lshape.get_shape().as_list() != [1]:
        raise ValueError("labels must be a 1-D tensor, got shape %s" % labels.get_shape())
    return array_ops.reshape(labels, [lshape[0], 1])


def triplet_semihard_loss(labels, embeddings, margin=1.0):
    """Triplet loss with semi-hard negatives: for every positive pair (a, p), the negative n
    with the smallest d(a, n)^2 that still exceeds d(a, p)^2 (the farthest negative when there
    is none); the loss is the mean over positive pairs of max(d_ap^2 - d_an^2 + margin, 0).

    Example:
        >>> loss = triplet_semihard_loss(labels, tf.nn.l2_normalize(emb, axis=1))
    """
    labels = _labels_column(labels)
    pdist_matrix = pairwise_distance(embeddings, squared=True)
    adjacency = math_ops.equal(labels, array_ops.transpose(labels))
    adjacency_not = math_ops.logical_not(adjacency)
    batch_size = array_ops.size(labels)
    # Row a * batch + p of the tiled matrices holds the candidates n for the pair (a, p).
    pdist_matrix_tile = manip_ops.tile(pdist_matrix, [batch_size, 1])
    mask = math_ops.logical_and(
        manip_ops.tile(adjacency_not, [batch_size, 1]),
        math_ops.greater(pdist_matrix_tile,
                         array_ops.reshape(array_ops.transpose(pdist_matrix), [-1, 1])))
    mask_final = array_ops.reshape(
        math_ops.greater(reduction_ops.reduce_sum(_float(mask), 1, keepdims=True), 0.0),
        [batch_size, batch_size])
    mask_final = array_ops.transpose(mask_final)
    adjacency_not = _float(adjacency_not)
    mask = _float(mask)
    negatives_outside = array_ops.reshape(masked_minimum(pdist_matrix_tile, mask),
                                          [batch_size, batch_size])
    negatives_outside = array_ops.transpose(negatives_outside)
    negatives_inside = manip_ops.tile(masked_maximum(pdist_matrix, adjacency_not),
                                      [1, batch_size])
    semi_hard_negatives = array_ops.where(mask_final, negatives_outside, negatives_inside)
    loss_mat = math_ops.add(margin, pdist_matrix - semi_hard_negatives)
    mask_positives = _float(adjacency) - diag_ops.diag(fill_ops.ones([batch_size]))
    num_positives = reduction_ops.reduce_sum(mask_positives)
    return math_ops.truediv(
        reduction_ops.reduce_sum(math_ops.maximum(math_ops.multiply(loss_mat, mask_positives),
                                                  0.0)),
        num_positives, name="triplet_semihard_loss")


def npairs_loss(labels, embeddings_anchor, embeddings_positive, reg_lambda=0.002,
                print_losses=False):
    """N-pairs loss: softmax cross-entropy of the anchor-positive similarity rows against
    the (row-normalised) same-label matrix, plus `0.25 * reg_lambda` times the mean squared
    norms of both embeddings.

    Example:
        >>> loss = npairs_loss(pair_labels, anchor_emb, positive_emb)
    """
    reg_anchor = reduction_ops.reduce_mean(
        reduction_ops.reduce_sum(math_ops.square(embeddings_anchor), 1))
    reg_positive = reduction_ops.reduce_mean(
        reduction_ops.reduce_sum(math_ops.square(embeddings_positive), 1))
    l2loss = math_ops.multiply(0.25 * reg_lambda, reg_anchor + reg_positive, name="l2loss")
    similarity_matrix = linalg_ops.matmul(embeddings_anchor, embeddings_positive,
                                          transpose_a=False, transpose_b=True)
    labels = _labels_column(labels)
    labels_remapped = _float(math_ops.equal(labels, array_ops.transpose(labels)))
    labels_remapped /= reduction_ops.reduce_sum(labels_remapped, 1, keepdims=True)
    xent_loss = nn.softmax_cross_entropy_with_logits(logits=similarity_matrix,
                                                     labels=labels_remapped)
    xent_loss = reduction_ops.reduce_mean(xent_loss, name="xentropy")
    if print_losses:
        from tensorflux.ops import debug_ops

        xent_loss = debug_ops.Print(xent_loss, ["cross entropy:", xent_loss, "l2loss:", l2loss])
    return l2loss + xent_loss


def lifted_struct_loss(labels, embeddings, margin=1.0):
    """Lifted structured loss: for each positive pair (i, j), a smooth maximum (log-sum-exp)
    of `margin - d` over the negatives of i and of j, plus d(i, j), squared-hinged and averaged
    over the positive pairs (with TF's 1/4 factor).

    Example:
        >>> loss = lifted_struct_loss(labels, embeddings, margin=1.0)
    """
    labels = _labels_column(labels)
    pairwise_distances = pairwise_distance(embeddings)
    adjacency = math_ops.equal(labels, array_ops.transpose(labels))
    adjacency_not = math_ops.logical_not(adjacency)
    batch_size = array_ops.size(labels)
    diff = margin - pairwise_distances
    mask = _float(adjacency_not)
    # Safe maximum among the negatives: shift above zero before the masked max.
    row_minimums = reduction_ops.reduce_min(diff, 1, keepdims=True)
    row_negative_maximums = reduction_ops.reduce_max(
        math_ops.multiply(diff - row_minimums, mask), 1, keepdims=True) + row_minimums
    max_elements = math_ops.maximum(row_negative_maximums,
                                    array_ops.transpose(row_negative_maximums))
    diff_tiled = manip_ops.tile(diff, [batch_size, 1])
    mask_tiled = manip_ops.tile(mask, [batch_size, 1])
    max_elements_vect = array_ops.reshape(array_ops.transpose(max_elements), [-1, 1])
    loss_exp_left = array_ops.reshape(
        reduction_ops.reduce_sum(
            math_ops.multiply(math_ops.exp(diff_tiled - max_elements_vect), mask_tiled),
            1, keepdims=True),
        [batch_size, batch_size])
    loss_mat = max_elements + math_ops.log(loss_exp_left + array_ops.transpose(loss_exp_left))
    loss_mat += pairwise_distances
    mask_positives = _float(adjacency) - diag_ops.diag(fill_ops.ones([batch_size]))
    # 0.5 for the upper triangle, another 0.5 for the 1/2 of loss^2.
    num_positives = reduction_ops.reduce_sum(mask_positives) / 2.0
    return math_ops.truediv(
        0.25 * reduction_ops.reduce_sum(math_ops.square(
            math_ops.maximum(math_ops.multiply(loss_mat, mask_positives), 0.0))),
        num_positives, name="liftedstruct_loss")


__all__ = [
    "contrastive_loss",
    "lifted_struct_loss",
    "npairs_loss",
    "pairwise_distance",
    "triplet_semihard_loss",
]
