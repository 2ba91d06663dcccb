"""`tf.contrib.layers`: TF-Slim's layers, normalizers, regularizers, initializers and
`optimize_loss`, plus `maxout`, `gdn`, `rev_block`/`recompute_grad`, the encoders, the summary
helpers and the old feature-column API (`input_from_feature_columns`).

Example:
    >>> net = tf.contrib.layers.conv2d(images, 32, [3, 3], scope="conv1")
    >>> net = tf.contrib.layers.max_pool2d(net, [2, 2])
    >>> net = tf.contrib.layers.flatten(net)
    >>> logits = tf.contrib.layers.fully_connected(net, 10, activation_fn=None)
"""

from tensorflux.contrib.framework.arg_scope import (
    add_arg_scope,
    arg_scope,
    arg_scope_func_key,
    arg_scoped_arguments,
    current_arg_scope,
    has_arg_scope,
)
from tensorflux.contrib.layers import utils
from tensorflux.contrib.layers.core import (
    dropout,
    flatten,
    one_hot_encoding,
    repeat,
    softmax,
    stack,
    unit_norm,
)
from tensorflux.contrib.layers.encoders import (
    bow_encoder,
    embed_sequence,
    embedding_lookup_unique,
)
from tensorflux.contrib.layers.feature_column_legacy import (
    bucketized_column,
    check_feature_columns,
    create_feature_spec_for_parsing,
    embedding_column,
    input_from_feature_columns,
    real_valued_column,
    sparse_column_with_hash_bucket,
    sparse_column_with_integerized_feature,
    sparse_column_with_keys,
)
from tensorflux.contrib.layers.gdn import GDN, gdn
from tensorflux.contrib.layers.initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from tensorflux.contrib.layers.layers import (
    bias_add,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    convolution,
    convolution1d,
    convolution2d,
    convolution2d_transpose,
    convolution3d,
    convolution3d_transpose,
    elu,
    fully_connected,
    linear,
    relu,
    relu6,
    separable_conv2d,
    separable_convolution2d,
)
from tensorflux.contrib.layers.layers_extra import (
    conv2d_in_plane,
    convolution2d_in_plane,
    dense_to_sparse,
    dense_to_sparse_tensor,
    images_to_sequence,
    legacy_fully_connected,
    legacy_linear,
    legacy_relu,
    maxout,
    poincare_normalize,
    scale_gradient,
    sequence_to_images,
)
from tensorflux.contrib.layers.normalization import (
    batch_norm,
    group_norm,
    instance_norm,
    layer_norm,
)
from tensorflux.contrib.layers.optimizers import (
    OPTIMIZER_CLS_NAMES,
    OPTIMIZER_SUMMARIES,
    optimize_loss,
)
from tensorflux.contrib.layers.pooling import (
    avg_pool2d,
    avg_pool3d,
    max_pool2d,
    max_pool3d,
    pool,
)
from tensorflux.contrib.layers.regularizers import (
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)
from tensorflux.contrib.layers.rev_block_lib import RevBlock, recompute_grad, rev_block
from tensorflux.contrib.layers.spatial_softmax import spatial_softmax
from tensorflux.contrib.layers.summaries import (
    summarize_activation,
    summarize_activations,
    summarize_biases,
    summarize_collection,
    summarize_tensor,
    summarize_tensors,
    summarize_variables,
    summarize_weights,
)
from tensorflux.ops.embedding_ops import safe_embedding_lookup_sparse
