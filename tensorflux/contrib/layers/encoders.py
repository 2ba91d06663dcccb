"""`tf.contrib.layers` encoders: `embed_sequence` (ids -> a sequence of embeddings) and
`bow_encoder` (ids -> the mean of their embeddings), with `embedding_lookup_unique`.

Example:
    >>> emb = tf.contrib.layers.embed_sequence(ids, vocab_size=100, embed_dim=16)
    >>> doc = tf.contrib.layers.bow_encoder(ids, vocab_size=100, embed_dim=16)
"""

import tensorflux as tf
from tensorflux import variable_scope as vs
from tensorflux.contrib.framework import variables as framework_variables
from tensorflux.contrib.layers.layers_extra import dense_to_sparse_tensor
from tensorflux.graph import graph as graph_lib
from tensorflux.ops.sparse_tensor import SparseTensor

__all__ = ["bow_encoder", "embed_sequence", "embedding_lookup_unique"]


def embedding_lookup_unique(params, ids, partition_strategy="mod", name=None):
    """`embedding_lookup` that looks each distinct id up once (ids of any rank).

    Example:
        >>> embedding_lookup_unique(table, [[1, 1], [2, 1]])  # shape [2, 2, dim]
    """
    with graph_lib.name_scope(name, "EmbeddingLookupUnique", [params, ids]):
        ids = tf.convert_to_tensor(ids)
        shape = tf.shape(ids)
        ids_flat = tf.reshape(ids, tf.reduce_prod(shape, keepdims=True))
        unique_ids, idx = tf.unique(ids_flat)
        unique_embeddings = tf.nn.embedding_lookup(params, unique_ids, partition_strategy)
        embeds_flat = tf.gather(unique_embeddings, idx)
        embed_shape = tf.concat([shape, tf.shape(unique_embeddings)[1:]], 0)
        embeds = tf.reshape(embeds_flat, embed_shape)
        embeds.set_shape(ids.get_shape().concatenate(unique_embeddings.get_shape()[1:]))
        return embeds


def bow_encoder(ids, vocab_size, embed_dim, sparse_lookup=True, initializer=None,
                regularizer=None, trainable=True, scope=None, reuse=None):
    """`[batch_size, embed_dim]`: the mean embedding of each row of `ids` (variable
    `bow_encoder/embeddings`).

    With `sparse_lookup`, dense ids equal to 0 are dropped (a `SparseTensor` is used as is) and
    an empty row gets the embedding of id 0; otherwise every position is averaged.

    Example:
        >>> bow_encoder([[1, 2], [3, 0]], vocab_size=4, embed_dim=8)  # row 1 = emb[3]
    """
    if not vocab_size or not embed_dim:
        raise ValueError("Must specify vocab size and embedding dimension")
    with vs.variable_scope(scope, "bow_encoder", [ids], reuse=reuse):
        embeddings = framework_variables.model_variable(
            "embeddings", shape=[vocab_size, embed_dim], initializer=initializer,
            regularizer=regularizer, trainable=trainable)
        if sparse_lookup:
            if isinstance(ids, SparseTensor):
                sparse_ids = ids
            else:
                sparse_ids = dense_to_sparse_tensor(ids)
            return tf.nn.safe_embedding_lookup_sparse([embeddings], sparse_ids,
                                                      combiner="mean", default_id=0)
        if isinstance(ids, SparseTensor):
            raise TypeError("ids are expected to be dense Tensor, got: %s" % ids)
        return tf.reduce_mean(tf.nn.embedding_lookup(embeddings, ids), axis=1)


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """`[batch_size, doc_length, embed_dim]`: the embedding of every id (variable
    `EmbedSequence/embeddings`, shareable between an encoder and a decoder with `reuse`).

    Example:
        >>> embed_sequence(ids, vocab_size=10, embed_dim=4, scope="emb")
        >>> embed_sequence(other_ids, scope="emb", reuse=True)  # the same table
    """
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError("Must specify vocab size and embedding dimension when not"
                         "reusing. Got vocab_size=%s and embed_dim=%s" % (vocab_size, embed_dim))
    with vs.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        shape = [vocab_size, embed_dim]
        if reuse and vocab_size is None or embed_dim is None:
            shape = None
        embeddings = framework_variables.model_variable(
            "embeddings", shape=shape, initializer=initializer, regularizer=regularizer,
            trainable=trainable)
        if unique:
            return embedding_lookup_unique(embeddings, ids)
        return tf.nn.embedding_lookup(embeddings, ids)
