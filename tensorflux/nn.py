"""`tf.nn`: neural-network ops (convolution, pooling, activations, losses, normalization).

This file is the explicit list of what `tf.nn` exports.
"""

from tensorflux.ops import rnn_cell  # the tf.nn.rnn_cell namespace
from tensorflux.ops.candidate_sampling_ops import (
    compute_accidental_hits,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    nce_loss,
    sampled_softmax_loss,
    uniform_candidate_sampler,
)
from tensorflux.ops.conv_ops import (
    atrous_conv2d,
    atrous_conv2d_transpose,
    conv1d,
    conv2d,
    conv2d_backprop_filter,
    conv2d_backprop_input,
    conv2d_transpose,
    conv3d,
    conv3d_backprop_filter,
    conv3d_backprop_filter_v2,
    conv3d_transpose,
    convolution,
    depthwise_conv2d,
    depthwise_conv2d_native,
    depthwise_conv2d_native_backprop_filter,
    depthwise_conv2d_native_backprop_input,
    separable_conv2d,
)
from tensorflux.ops.ctc_ops import ctc_beam_search_decoder, ctc_greedy_decoder, ctc_loss
from tensorflux.ops.embedding_ops import embedding_lookup_sparse, safe_embedding_lookup_sparse
from tensorflux.ops.fractional_pool_ops import fractional_avg_pool, fractional_max_pool
from tensorflux.ops.math_ops import sigmoid, tanh
from tensorflux.ops.morphology_ops import dilation2d, erosion2d
from tensorflux.ops.nn_composites import (
    collapse_repeated,
    ctc_unique_labels,
    gelu,
    with_space_to_batch,
)
from tensorflux.ops.nn_loss_ops import (
    log_poisson_loss,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
    weighted_cross_entropy_with_logits,
)
from tensorflux.ops.nn_ops import (
    bias_add,
    crelu,
    dropout,
    elu,
    embedding_lookup,
    in_top_k,
    l2_loss,
    leaky_relu,
    log_softmax,
    relu,
    relu6,
    relu_layer,
    selu,
    silu,
    softmax,
    softplus,
    softsign,
    swish,
    top_k,
    xw_plus_b,
    zero_fraction,
)
from tensorflux.ops.norm_ops import (
    batch_norm_with_global_normalization,
    batch_normalization,
    fused_batch_norm,
    l2_normalize,
    local_response_normalization,
    lrn,
    moments,
    normalize_moments,
    sufficient_statistics,
    weighted_moments,
)
from tensorflux.ops.pad_ops import depth_to_space, space_to_depth
from tensorflux.ops.pool_ops import (
    avg_pool,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    avg_pool_v2,
    max_pool,
    max_pool1d,
    max_pool2d,
    max_pool3d,
    max_pool_v2,
    max_pool_with_argmax,
    pool,
)
from tensorflux.ops.raw_rnn import raw_rnn
from tensorflux.ops.rnn import (
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    static_bidirectional_rnn,
    static_rnn,
)
from tensorflux.ops.space_batch_ops import space_to_batch
