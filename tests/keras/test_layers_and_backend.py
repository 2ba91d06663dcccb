"""tf.keras layers in raw TF1 graphs (placeholders, tf.Session, tf.train optimizers), the
layer API (weights, names, custom layers), the backend helpers and the small modules."""

import os

import numpy as np
import pytest

import tensorflux as tf

K = tf.keras.backend
L = tf.keras.layers


@pytest.fixture(autouse=True)
def fresh_session():
    K.clear_session()
    yield
    K.clear_session()


def test_keras_layers_train_in_a_plain_session():
    rng = np.random.RandomState(0)
    images = rng.standard_normal((32, 8, 8, 1)).astype(np.float32)
    labels = (images.mean(axis=(1, 2, 3)) > 0).astype(np.int64)
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    y = tf.placeholder(tf.int64, [None])
    h = L.Conv2D(4, 3, activation="relu", padding="same")(x)
    h = L.MaxPooling2D()(h)
    logits = L.Dense(2)(L.Flatten()(h))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
    assert [v.name for v in tf.trainable_variables()] == [
        "conv2d/kernel:0", "conv2d/bias:0", "dense/kernel:0", "dense/bias:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: images, y: labels})
        for _ in range(40):
            sess.run(train, {x: images, y: labels})
        assert sess.run(loss, {x: images, y: labels}) < 0.5 * first


def test_layer_weights_api():
    dense = L.Dense(3, input_dim=4)
    assert dense._batch_input_shape == (None, 4)
    with pytest.raises(ValueError, match="isn't built"):
        dense.count_params()
    dense(tf.placeholder(tf.float32, [None, 4]))
    assert dense.count_params() == 15
    assert [w.name for w in dense.trainable_weights] == ["dense/kernel:0", "dense/bias:0"]
    values = [np.ones((4, 3), np.float32), np.arange(3, dtype=np.float32)]
    dense.set_weights(values)
    for got, want in zip(dense.get_weights(), values):
        np.testing.assert_array_equal(got, want)
    assert dense.output_shape == (None, 3) and dense.input_shape == (None, 4)
    dense.trainable = False
    assert dense.trainable_weights == [] and len(dense.non_trainable_weights) == 2


def test_batchnorm_weights_and_updates():
    bn = L.BatchNormalization()
    bn(tf.placeholder(tf.float32, [None, 5]))
    assert [w.name for w in bn.non_trainable_weights] == [
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    assert len(bn.updates) == 2


def test_custom_layer_and_names():
    class Scale(L.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", shape=[int(input_shape[-1])], initializer="ones")

        def call(self, x):
            return x * self.w

    a, b = Scale(), Scale()
    x = tf.placeholder(tf.float32, [None, 3])
    b(a(x))
    assert (a.name, b.name) == ("scale", "scale_1")
    assert b.weights[0].name == "scale_1/w:0"
    np.testing.assert_array_equal(K.get_value(a.w), np.ones(3))


def test_layer_string_arguments():
    x = tf.placeholder(tf.float32, [None, 4])
    layer = L.Dense(2, kernel_initializer="zeros", bias_initializer="ones",
                    kernel_regularizer="l2", activation="sigmoid")
    y = layer(x)
    assert y.op.type == "Sigmoid" and len(layer.losses) == 1
    np.testing.assert_allclose(K.get_session().run(y, {x: np.ones((1, 4))}),
                               [[1 / (1 + np.exp(-1))] * 2], rtol=1e-6)


def test_embedding_and_global_pooling():
    ids = tf.placeholder(tf.int32, [None, 3])
    emb = L.Embedding(10, 4, input_length=3)
    vectors = emb(ids)
    assert vectors.shape.as_list() == [None, 3, 4] and emb.weights[0].name == \
        "embedding/embeddings:0"
    table = K.get_value(emb.embeddings)
    assert np.abs(table).max() <= 0.05
    got = K.get_session().run(vectors, {ids: [[1, 2, 9]]})
    np.testing.assert_array_equal(got[0], table[[1, 2, 9]])


def test_backend_helpers():
    v = K.variable(np.ones((2, 2)), name="v")
    assert v.name == "v:0" and K.int_shape(v) == (2, 2) and K.dtype(v) == "float32"
    K.set_value(v, np.full((2, 2), 3.0))
    np.testing.assert_array_equal(K.eval(v), np.full((2, 2), 3.0))
    assert [a.shape for a in K.batch_get_value([v, v])] == [(2, 2), (2, 2)]
    p = K.placeholder(shape=(None, 2))
    f = K.function([p], [p * v])
    np.testing.assert_array_equal(f([np.ones((1, 2))])[0], np.full((2, 2), 3.0))
    assert K.floatx() == "float32" and K.epsilon() == 1e-7
    assert K.image_data_format() == "channels_last"
    assert K.learning_phase().name == "keras_learning_phase:0"


def test_clear_session_resets_names():
    assert L.Dense(1).name == "dense"
    K.clear_session()
    assert L.Dense(1).name == "dense" and L.Dense(1).name == "dense_1"


def test_set_learning_phase_fixes_the_mode():
    K.set_learning_phase(1)
    x = tf.placeholder(tf.float32, [None, 10])
    y = L.Dropout(0.5)(x)
    out = K.get_session().run(y, {x: np.ones((3, 10))})
    assert (out == 0).any()


def test_small_modules():
    np.testing.assert_array_equal(tf.keras.utils.to_categorical([0, 2], 3),
                                  [[1, 0, 0], [0, 0, 1]])
    assert isinstance(tf.keras.initializers.get("he_normal"), tf.keras.initializers.VarianceScaling)
    assert tf.keras.initializers.get("glorot_uniform").mode == "fan_avg"
    assert tf.keras.activations.get("relu") is tf.keras.activations.relu
    reg = tf.keras.regularizers.l1_l2(l1=0.1, l2=0.2)
    value = K.get_session().run(reg(tf.constant([1.0, -2.0])))
    assert value == pytest.approx(0.1 * 3 + 0.2 * 5)
    y_true, y_pred = tf.constant([[0.0, 1.0]]), tf.constant([[0.2, 0.6]])
    mse = K.get_session().run(tf.keras.losses.mse(y_true, y_pred))
    np.testing.assert_allclose(mse, [(0.04 + 0.16) / 2], rtol=1e-6)


@pytest.mark.skipif(not os.path.isdir("/usr/share/datasets/fashion-mnist"),
                    reason="Fashion-MNIST is not installed (dataset-fashion-mnist)")
def test_fashion_mnist_load_data():
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and y_test.shape == (10000,)
