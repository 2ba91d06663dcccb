"""The canned estimators (DNN, linear, wide & deep) end to end, with their checkpoints'
weights checked against a numpy forward pass and TF's loss/metric formulas."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.estimator.canned import optimizers
from tensorflux.estimator.canned.linear import _get_default_optimizer

KEYS = ["SepalLength", "SepalWidth", "PetalLength", "PetalWidth"]
CONFIG = tf.estimator.RunConfig(tf_random_seed=42)  # deterministic initial weights and dropout
CENTERS = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])


def iris_like(n=150, seed=0):
    rng = np.random.RandomState(seed)
    y = np.repeat(np.arange(3), n // 3)
    x = CENTERS[y] + rng.normal(scale=0.3, size=(n, 4))
    return {k: x[:, i].astype(np.float32) for i, k in enumerate(KEYS)}, y.astype(np.int64)


def train_input_fn(features, labels, batch_size=32):
    def input_fn():
        ds = tf.data.Dataset.from_tensor_slices((features, labels))
        return ds.shuffle(1000, seed=1).repeat().batch(batch_size)
    return input_fn


def eval_input_fn(features, labels=None, batch_size=50):
    def input_fn():
        inputs = features if labels is None else (features, labels)
        return tf.data.Dataset.from_tensor_slices(inputs).batch(batch_size)
    return input_fn


def relu(x):
    return np.maximum(x, 0.0)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def dnn_forward(est, x, hidden):
    net = x
    for i in range(hidden):
        net = relu(net @ est.get_variable_value("dnn/hiddenlayer_%d/kernel" % i)
                   + est.get_variable_value("dnn/hiddenlayer_%d/bias" % i))
    return net @ est.get_variable_value("dnn/logits/kernel") + est.get_variable_value(
        "dnn/logits/bias")


@pytest.fixture(scope="module")
def iris_classifier(tmp_path_factory):
    features, labels = iris_like()
    model_dir = str(tmp_path_factory.mktemp("dnn"))
    columns = [tf.feature_column.numeric_column(key=k) for k in KEYS]
    est = tf.estimator.DNNClassifier(feature_columns=columns, hidden_units=[10, 10],
                                     n_classes=3, model_dir=model_dir, config=CONFIG)
    est.train(input_fn=train_input_fn(features, labels), steps=200)
    return est, features, labels, columns


def test_dnn_classifier_trains_evaluates_predicts(iris_classifier):
    est, features, labels, _ = iris_classifier
    result = est.evaluate(input_fn=eval_input_fn(features, labels))
    assert sorted(result) == ["accuracy", "average_loss", "global_step", "loss"]
    assert result["global_step"] == 200
    assert result["accuracy"] > 0.9
    predictions = list(est.predict(input_fn=eval_input_fn(features)))
    assert len(predictions) == 150
    assert sorted(predictions[0]) == ["class_ids", "classes", "logits", "probabilities"]
    assert predictions[0]["class_ids"].shape == (1,)
    assert predictions[0]["classes"][0] == str(predictions[0]["class_ids"][0]).encode()
    assert predictions[0]["probabilities"].shape == (3,)


def test_dnn_classifier_variables(iris_classifier):
    est = iris_classifier[0]
    names = est.get_variable_names()
    for name, shape in [("dnn/hiddenlayer_0/kernel", (4, 10)), ("dnn/hiddenlayer_0/bias", (10,)),
                        ("dnn/hiddenlayer_1/kernel", (10, 10)), ("dnn/logits/kernel", (10, 3)),
                        ("dnn/logits/bias", (3,))]:
        assert name in names
        assert est.get_variable_value(name).shape == shape
    assert "global_step" in names
    assert "dnn/dnn/hiddenlayer_0/kernel/Adagrad" in names  # TF's slot name in scope "dnn"


def test_dnn_classifier_matches_numpy_forward_pass(iris_classifier):
    est, features, labels, _ = iris_classifier
    x = np.stack([features[k] for k in sorted(KEYS)], axis=1)  # input_layer sorts by name
    logits = dnn_forward(est, x, 2)
    probs = softmax(logits)
    predictions = list(est.predict(input_fn=eval_input_fn(features)))
    np.testing.assert_allclose([p["logits"] for p in predictions], logits, rtol=1e-4,
                               atol=1e-4)
    np.testing.assert_allclose([p["probabilities"] for p in predictions], probs, rtol=1e-4,
                               atol=1e-5)
    per_example = -np.log(probs[np.arange(150), labels])
    result = est.evaluate(input_fn=eval_input_fn(features, labels))
    np.testing.assert_allclose(result["average_loss"], per_example.mean(), rtol=1e-4)
    # "loss" is the mean over batches of the training loss, summed over each batch of 50.
    np.testing.assert_allclose(result["loss"], per_example.reshape(3, 50).sum(1).mean(),
                               rtol=1e-4)
    np.testing.assert_allclose(result["accuracy"], np.mean(probs.argmax(1) == labels))


def test_second_estimator_continues_from_checkpoint(iris_classifier, tmp_path):
    est, features, labels, columns = iris_classifier
    again = tf.estimator.DNNClassifier(feature_columns=columns, hidden_units=[10, 10],
                                       n_classes=3, model_dir=est.model_dir)
    before = again.get_variable_value("dnn/logits/bias")
    np.testing.assert_array_equal(before, est.get_variable_value("dnn/logits/bias"))
    again.train(input_fn=train_input_fn(features, labels), steps=20)
    assert again.get_variable_value("global_step") == 220
    result = again.evaluate(input_fn=eval_input_fn(features, labels))
    assert result["global_step"] == 220
    assert result["accuracy"] > 0.9
    assert not np.array_equal(before, again.get_variable_value("dnn/logits/bias"))


def test_binary_dnn_classifier_metrics(tmp_path):
    rng = np.random.RandomState(3)
    x = rng.normal(size=(80, 2)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.int64)
    features = {"a": x[:, 0], "b": x[:, 1]}
    columns = [tf.feature_column.numeric_column("a"), tf.feature_column.numeric_column("b")]
    est = tf.estimator.DNNClassifier(hidden_units=[4], feature_columns=columns,
                                     model_dir=str(tmp_path), config=CONFIG)
    est.train(input_fn=tf.estimator.inputs.numpy_input_fn(
        features, y, batch_size=20, num_epochs=None, shuffle=True), steps=100)
    result = est.evaluate(input_fn=eval_input_fn(features, y, batch_size=40))
    assert sorted(result) == sorted([
        "accuracy", "accuracy_baseline", "auc", "auc_precision_recall", "average_loss",
        "global_step", "label/mean", "loss", "precision", "prediction/mean", "recall"])
    logits = dnn_forward(est, x, 1)[:, 0]
    logistic = 1.0 / (1.0 + np.exp(-logits))
    per_example = np.maximum(logits, 0) - logits * y + np.log1p(np.exp(-np.abs(logits)))
    predicted = (logits > 0).astype(np.int64)
    np.testing.assert_allclose(result["average_loss"], per_example.mean(), rtol=1e-4)
    np.testing.assert_allclose(result["loss"], per_example.reshape(2, 40).sum(1).mean(),
                               rtol=1e-4)
    np.testing.assert_allclose(result["label/mean"], y.mean(), rtol=1e-6)
    np.testing.assert_allclose(result["accuracy_baseline"], max(y.mean(), 1 - y.mean()))
    np.testing.assert_allclose(result["prediction/mean"], logistic.mean(), rtol=1e-4)
    np.testing.assert_allclose(result["accuracy"], np.mean(predicted == y))
    tp = np.sum((predicted == 1) & (y == 1))
    np.testing.assert_allclose(result["precision"], tp / max(1, predicted.sum()), rtol=1e-6)
    np.testing.assert_allclose(result["recall"], tp / y.sum(), rtol=1e-6)
    assert result["auc"] > 0.9
    predictions = next(est.predict(input_fn=eval_input_fn(features)))
    assert sorted(predictions) == ["class_ids", "classes", "logistic", "logits",
                                   "probabilities"]
    np.testing.assert_allclose(predictions["probabilities"],
                               [1 - logistic[0], logistic[0]], rtol=1e-4, atol=1e-6)


def test_linear_regressor(tmp_path):
    rng = np.random.RandomState(4)
    x = rng.uniform(-1, 1, size=100).astype(np.float32)
    y = (2.0 * x + 1.0).astype(np.float32)
    features = {"x": x}
    est = tf.estimator.LinearRegressor(feature_columns=[tf.feature_column.numeric_column("x")],
                                       model_dir=str(tmp_path), config=CONFIG)
    est.train(input_fn=train_input_fn(features, y, batch_size=20), steps=300)
    names = est.get_variable_names()
    assert "linear/linear_model/x/weights" in names
    assert "linear/linear_model/bias_weights" in names
    w = est.get_variable_value("linear/linear_model/x/weights")
    b = est.get_variable_value("linear/linear_model/bias_weights")
    assert w.shape == (1, 1) and b.shape == (1,)
    np.testing.assert_allclose([w[0, 0], b[0]], [2.0, 1.0], atol=0.15)
    result = est.evaluate(input_fn=eval_input_fn(features, y, batch_size=50))
    assert sorted(result) == ["average_loss", "global_step", "label/mean", "loss",
                              "prediction/mean"]
    pred = x * w[0, 0] + b[0]
    np.testing.assert_allclose(result["average_loss"], np.mean((pred - y) ** 2), rtol=1e-4)
    np.testing.assert_allclose(result["prediction/mean"], pred.mean(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(result["label/mean"], y.mean(), rtol=1e-5)
    out = list(est.predict(input_fn=eval_input_fn(features)))
    assert sorted(out[0]) == ["predictions"]
    np.testing.assert_allclose([p["predictions"][0] for p in out], pred, rtol=1e-4, atol=1e-5)


def test_linear_classifier_with_categorical_columns_and_label_vocabulary(tmp_path):
    colors = np.array(["R", "G", "B", "R", "G", "B"] * 10)
    labels = np.where(colors == "R", "warm", "cold")
    features = {"color": colors}
    color = tf.feature_column.categorical_column_with_vocabulary_list("color", ["R", "G", "B"])
    est = tf.estimator.LinearClassifier(feature_columns=[color], model_dir=str(tmp_path),
                                        config=CONFIG,
                                        label_vocabulary=["cold", "warm"])
    est.train(input_fn=train_input_fn(features, labels, batch_size=12), steps=50)
    assert est.get_variable_value("linear/linear_model/color/weights").shape == (3, 1)
    result = est.evaluate(input_fn=eval_input_fn(features, labels, batch_size=12))
    assert result["accuracy"] == 1.0
    out = list(est.predict(input_fn=eval_input_fn(features)))
    assert [p["classes"][0] for p in out[:3]] == [b"warm", b"cold", b"cold"]


def test_dnn_regressor_with_embedding_column(tmp_path):
    ids = np.array([[0], [1], [2], [3]] * 10)
    y = np.array([0.0, 1.0, 2.0, 3.0] * 10, np.float32)
    column = tf.feature_column.embedding_column(
        tf.feature_column.categorical_column_with_identity("id", 4), dimension=2)
    est = tf.estimator.DNNRegressor(hidden_units=[8], feature_columns=[column],
                                    model_dir=str(tmp_path), optimizer="Adam", config=CONFIG)
    est.train(input_fn=train_input_fn({"id": ids}, y, batch_size=8), steps=150)
    table = est.get_variable_value(
        "dnn/input_from_feature_columns/input_layer/id_embedding/embedding_weights")
    assert table.shape == (4, 2)
    result = est.evaluate(input_fn=eval_input_fn({"id": ids}, y, batch_size=40))
    assert result["average_loss"] < 0.2


def test_dnn_linear_combined_classifier(tmp_path):
    features, labels = iris_like(seed=5)
    deep = [tf.feature_column.numeric_column(k) for k in KEYS]
    wide = [tf.feature_column.bucketized_column(deep[2], [2.5, 5.0])]
    est = tf.estimator.DNNLinearCombinedClassifier(
        linear_feature_columns=wide, dnn_feature_columns=deep, dnn_hidden_units=[8],
        n_classes=3, model_dir=str(tmp_path), config=CONFIG,
        dnn_optimizer=tf.train.AdamOptimizer(0.05), linear_optimizer=tf.train.FtrlOptimizer(0.5))
    est.train(input_fn=train_input_fn(features, labels), steps=100)
    names = est.get_variable_names()
    assert "linear/linear_model/PetalLength_bucketized/weights" in names
    assert "dnn/hiddenlayer_0/kernel" in names
    assert np.any(est.get_variable_value("linear/linear_model/PetalLength_bucketized/weights"))
    assert est.get_variable_value("global_step") == 100
    result = est.evaluate(input_fn=eval_input_fn(features, labels))
    assert result["accuracy"] > 0.8


def test_default_optimizers():
    opt = optimizers.get_optimizer_instance("Adagrad", learning_rate=0.05)
    assert isinstance(opt, tf.train.AdagradOptimizer) and opt._learning_rate == 0.05
    cols = [tf.feature_column.numeric_column(k) for k in "abcdefghijklmnopqrstuvwxyz"]
    opt = _get_default_optimizer(cols)
    assert isinstance(opt, tf.train.FtrlOptimizer)
    np.testing.assert_allclose(opt._learning_rate, 1 / np.sqrt(26))
    with pytest.raises(ValueError, match="Unsupported optimizer name: Foo"):
        optimizers.get_optimizer_instance("Foo", learning_rate=0.1)
    with pytest.raises(ValueError, match="not an Optimizer instance"):
        optimizers.get_optimizer_instance(3)


def test_errors(tmp_path):
    est = tf.estimator.DNNClassifier(hidden_units=[2], model_dir=str(tmp_path),
                                     feature_columns=[tf.feature_column.numeric_column("x")])
    with pytest.raises(ValueError, match="features should be a dictionary"):
        est.train(input_fn=lambda: (tf.constant([[1.0]]), tf.constant([[1]])), steps=1)
    with pytest.raises(ValueError, match="Labels dtype should be integer"):
        tf.estimator.DNNClassifier(
            hidden_units=[2], n_classes=3, model_dir=str(tmp_path / "b"),
            feature_columns=[tf.feature_column.numeric_column("x")]).train(
            input_fn=lambda: ({"x": tf.constant([[1.0]])}, tf.constant([[1.0]])), steps=1)


def test_weight_column_weights_loss_and_metrics(tmp_path):
    rng = np.random.RandomState(6)
    x = rng.normal(size=40).astype(np.float32)
    y = (3.0 * x).astype(np.float32)
    w = np.tile(np.array([1.0, 0.0], np.float32), 20)
    features = {"x": x, "w": w}
    est = tf.estimator.LinearRegressor(feature_columns=[tf.feature_column.numeric_column("x")],
                                       weight_column="w", model_dir=str(tmp_path), config=CONFIG)
    est.train(input_fn=train_input_fn(features, y, batch_size=10), steps=5)
    pred = (x * est.get_variable_value("linear/linear_model/x/weights")[0, 0]
            + est.get_variable_value("linear/linear_model/bias_weights")[0])
    result = est.evaluate(input_fn=eval_input_fn(features, y, batch_size=20))
    sq = (pred - y) ** 2
    np.testing.assert_allclose(result["average_loss"], np.sum(sq * w) / np.sum(w), rtol=1e-4)
    np.testing.assert_allclose(result["loss"], (sq * w).reshape(2, 20).sum(1).mean(),
                               rtol=1e-4)
    np.testing.assert_allclose(result["label/mean"], np.sum(y * w) / np.sum(w), rtol=1e-4)


def test_dnn_linear_combined_regressor_linear_only(tmp_path):
    x = np.linspace(-1, 1, 20).astype(np.float32)
    est = tf.estimator.DNNLinearCombinedRegressor(
        linear_feature_columns=[tf.feature_column.numeric_column("x")],
        linear_optimizer=tf.train.FtrlOptimizer(0.5), model_dir=str(tmp_path), config=CONFIG)
    est.train(input_fn=train_input_fn({"x": x}, 2 * x, batch_size=10), steps=10)
    names = est.get_variable_names()
    assert "linear/linear_model/x/weights" in names
    assert not [n for n in names if n.startswith("dnn/")]
    assert est.get_variable_value("global_step") == 10
    with pytest.raises(ValueError, match="Either linear_feature_columns or dnn_feature_columns"):
        tf.estimator.DNNLinearCombinedRegressor(model_dir=str(tmp_path / "x")).train(
            input_fn=train_input_fn({"x": x}, x), steps=1)


def test_wide_and_deep_census_style_columns(tmp_path):
    rng = np.random.RandomState(7)
    n = 64
    education = rng.choice(["Bachelors", "HS-grad", "Masters", "Doctorate"], size=n)
    occupation = rng.choice(["Tech", "Sales", "Craft", "Other", "Exec"], size=n)
    age = rng.uniform(18, 70, size=n).astype(np.float32)
    labels = ((education == "Masters") | (education == "Doctorate") | (age > 50)).astype(
        np.int64)
    features = {"education": education, "occupation": occupation, "age": age}
    fc = tf.feature_column
    age_col = fc.numeric_column("age")
    age_buckets = fc.bucketized_column(age_col, [25, 35, 45, 55])
    edu = fc.categorical_column_with_vocabulary_list(
        "education", ["Bachelors", "HS-grad", "Masters", "Doctorate"])
    occ = fc.categorical_column_with_hash_bucket("occupation", hash_bucket_size=20)
    wide = [edu, occ, age_buckets, fc.crossed_column(["education", "occupation"], 50),
            fc.crossed_column([age_buckets, "education"], 50)]
    deep = [age_col, fc.indicator_column(edu), fc.embedding_column(occ, dimension=4)]
    est = tf.estimator.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path), config=CONFIG, linear_feature_columns=wide,
        dnn_feature_columns=deep,
        dnn_hidden_units=[8, 4], linear_optimizer=tf.train.FtrlOptimizer(0.3),
        dnn_optimizer=tf.train.AdagradOptimizer(0.1))
    est.train(input_fn=train_input_fn(features, labels, batch_size=16), steps=60)
    names = est.get_variable_names()
    for name in ["linear/linear_model/education_X_occupation/weights",
                 "linear/linear_model/age_bucketized_X_education/weights",
                 "linear/linear_model/occupation/weights",
                 "dnn/input_from_feature_columns/input_layer/occupation_embedding/"
                 "embedding_weights"]:
        assert name in names
    assert est.get_variable_value(
        "linear/linear_model/education_X_occupation/weights").shape == (50, 1)
    result = est.evaluate(input_fn=eval_input_fn(features, labels, batch_size=32))
    assert result["accuracy"] > 0.8
    assert {"auc", "precision", "recall"} <= set(result)


def test_baseline_classifier_learns_class_prior(tmp_path):
    labels = np.array([0] * 10 + [1] * 30 + [2] * 60, np.int64)
    features = {"x": np.zeros(100, np.float32)}
    est = tf.estimator.BaselineClassifier(n_classes=3, model_dir=str(tmp_path),
                                          optimizer=tf.train.AdagradOptimizer(0.05))
    est.train(input_fn=train_input_fn(features, labels, batch_size=50), steps=300)
    assert est.get_variable_names() == ["baseline/bias", "baseline/bias/Adagrad",
                                        "global_step"]
    bias = est.get_variable_value("baseline/bias")
    np.testing.assert_allclose(softmax(bias[None])[0], [0.1, 0.3, 0.6], atol=0.03)
    result = est.evaluate(input_fn=eval_input_fn(features, labels))
    np.testing.assert_allclose(result["accuracy"], 0.6)


def test_baseline_regressor_learns_label_mean(tmp_path):
    y = np.linspace(0.0, 4.0, 40).astype(np.float32)
    est = tf.estimator.BaselineRegressor(model_dir=str(tmp_path),
                                         optimizer=tf.train.GradientDescentOptimizer(0.01))
    est.train(input_fn=train_input_fn({"x": y * 0}, y, batch_size=40), steps=100)
    np.testing.assert_allclose(est.get_variable_value("baseline/bias"), [2.0], atol=1e-3)
    out = next(est.predict(input_fn=eval_input_fn({"x": y[:3] * 0})))
    np.testing.assert_allclose(out["predictions"], [2.0], atol=1e-3)


def test_dnn_classifier_dropout_and_label_vocabulary(tmp_path):
    features, ids = iris_like(seed=8)
    names = np.array(["setosa", "versicolor", "virginica"])[ids]
    columns = [tf.feature_column.numeric_column(k) for k in KEYS]
    est = tf.estimator.DNNClassifier(hidden_units=[16], feature_columns=columns, n_classes=3,
                                     dropout=0.1, label_vocabulary=list(np.unique(names)),
                                     model_dir=str(tmp_path), config=CONFIG)
    est.train(input_fn=train_input_fn(features, names), steps=400)
    result = est.evaluate(input_fn=eval_input_fn(features, names))
    assert result["accuracy"] > 0.85
    predicted = [p["classes"][0] for p in est.predict(input_fn=eval_input_fn(features))]
    assert set(predicted) <= {b"setosa", b"versicolor", b"virginica"}
    assert np.mean(np.array(predicted) == names.astype(bytes)) == pytest.approx(
        result["accuracy"], abs=1e-6)
