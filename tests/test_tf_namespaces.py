"""`tf.random`, `tf.initializers` and `tf.linalg`: TF 1.15's names that tensorflux has are the
same callables as their top-level counterparts, and a few of them run."""

import numpy as np
import pytest

import tensorflux as tf
import tensorflux.compat.v1 as tf_v1

# namespace -> {name in the namespace: the top-level (or tf.nn) name it is}
ALIASES = {
    "random": {
        "normal": "random_normal", "uniform": "random_uniform",
        "truncated_normal": "truncated_normal", "shuffle": "random_shuffle",
        "set_random_seed": "set_random_seed", "multinomial": "multinomial",
        "uniform_candidate_sampler": "nn.uniform_candidate_sampler",
        "log_uniform_candidate_sampler": "nn.log_uniform_candidate_sampler",
    },
    "initializers": {
        "zeros": "zeros_initializer", "ones": "ones_initializer",
        "constant": "constant_initializer", "random_normal": "random_normal_initializer",
        "random_uniform": "random_uniform_initializer",
        "truncated_normal": "truncated_normal_initializer",
        "variance_scaling": "variance_scaling_initializer",
        "glorot_uniform": "glorot_uniform_initializer",
        "glorot_normal": "glorot_normal_initializer", "orthogonal": "orthogonal_initializer",
        "identity": "identity_initializer",
        "uniform_unit_scaling": "uniform_unit_scaling_initializer",
        "global_variables": "global_variables_initializer",
        "local_variables": "local_variables_initializer", "variables": "variables_initializer",
        "tables_initializer": "tables_initializer",
    },
    "linalg": {
        "matmul": "matmul", "qr": "qr", "svd": "svd", "tensordot": "tensordot", "eye": "eye",
        "diag": "matrix_diag", "diag_part": "matrix_diag_part", "set_diag": "matrix_set_diag",
        "band_part": "matrix_band_part", "transpose": "matrix_transpose",
        "matrix_transpose": "matrix_transpose", "trace": "trace", "norm": "norm",
        "l2_normalize": "nn.l2_normalize", "global_norm": "global_norm",
    },
}


def _top(name):
    obj = tf
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("namespace", sorted(ALIASES))
def test_names_are_the_top_level_callables(namespace):
    module = getattr(tf, namespace)
    assert getattr(tf_v1, namespace) is module
    for name, top in ALIASES[namespace].items():
        assert getattr(module, name) is _top(top), (namespace, name)
    assert sorted(module.__all__) == sorted(set(module.__all__))
    for name in module.__all__:
        assert callable(getattr(module, name)), name


def test_random_namespace_runs():
    tf.random.set_random_seed(3)
    n = tf.random.normal([500], seed=1)
    c = tf.random.categorical(tf.math.log([[0.01, 0.99]]), 50, dtype=tf.int32)
    s = tf.random.shuffle(tf.range(10))
    assert tf.random.get_seed(None)[0] == 3
    nv, cv, sv = tf.Session().run([n, c, s])
    assert abs(nv.mean()) < 0.2 and cv.dtype == np.int32 and sorted(sv) == list(range(10))


def test_initializers_namespace_runs():
    shape = [30, 20]
    inits = [tf.initializers.he_normal(seed=1), tf.initializers.he_uniform(seed=2),
             tf.initializers.lecun_normal(seed=3), tf.initializers.lecun_uniform(seed=4),
             tf.initializers.glorot_uniform(seed=5), tf.initializers.orthogonal(seed=6)]
    vs = [tf.get_variable("v%d" % i, shape, initializer=init) for i, init in enumerate(inits)]
    table_init = tf.initializers.tables_initializer()
    assert table_init.type == "NoOp"
    with tf.Session() as sess:
        sess.run([tf.initializers.global_variables(), table_init])
        he_n, he_u, lc_n, lc_u, gl_u, orth = sess.run(vs)
    assert np.abs(he_u).max() <= np.sqrt(6 / 30) and np.abs(lc_u).max() <= np.sqrt(3 / 30)
    assert abs(he_n.std() - np.sqrt(2 / 30)) < 0.04 and abs(lc_n.std() - np.sqrt(1 / 30)) < 0.03
    assert np.abs(gl_u).max() <= np.sqrt(6 / 50)
    np.testing.assert_allclose(orth.T @ orth, np.eye(20), atol=1e-5)


def test_linalg_namespace_runs():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = [tf.linalg.trace(a), tf.linalg.matvec(a, [1.0, -1.0]), tf.linalg.adjoint(a),
           tf.linalg.norm(a, ord=np.inf, axis=[0, 1]), tf.linalg.band_part(a, 0, 0),
           tf.linalg.transpose(tf.zeros([5, 2, 3]))]
    tr, mv, adj, inf_norm, band, t = tf.Session().run(out)
    assert tr == 5.0 and inf_norm == 7.0 and t.shape == (5, 3, 2)
    np.testing.assert_array_equal(mv, [-1.0, -1.0])
    np.testing.assert_array_equal(adj, [[1.0, 3.0], [2.0, 4.0]])
    np.testing.assert_array_equal(band, [[1.0, 0.0], [0.0, 4.0]])


def test_matrix_transpose_of_unknown_rank_and_norm_errors():
    x = tf.placeholder(tf.float32, None)
    y = tf.matrix_transpose(x)
    v = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
    np.testing.assert_array_equal(tf.Session().run(y, {x: v}), v.transpose(0, 2, 1))
    with pytest.raises(ValueError, match="supported matrix norm"):
        tf.norm(tf.ones([2, 2]), ord=2, axis=[0, 1])
    with pytest.raises(ValueError, match="keep_dims"):
        tf.norm(tf.ones([2]), keepdims=True, keep_dims=False)


def test_accumulators_and_sync_replicas_are_exported():
    from tensorflux.ops import accumulator_ops
    from tensorflux.train import sync_replicas_optimizer

    assert tf.ConditionalAccumulator is accumulator_ops.ConditionalAccumulator
    assert tf.SparseConditionalAccumulator is accumulator_ops.SparseConditionalAccumulator
    assert tf.sparse.SparseConditionalAccumulator is tf.SparseConditionalAccumulator
    assert tf.ConditionalAccumulatorBase is accumulator_ops.ConditionalAccumulatorBase
    assert tf.train.SyncReplicasOptimizer is sync_replicas_optimizer.SyncReplicasOptimizer
    assert tf_v1.ConditionalAccumulator is tf.ConditionalAccumulator
    assert tf_v1.train.SyncReplicasOptimizer is tf.train.SyncReplicasOptimizer
