"""EstimatorSpec validation, ModeKeys, the model_fn signature rules and RunConfig, with TF
1.15's values and error messages."""

import functools
import os
import tempfile

import pytest

import tensorflux as tf
from tensorflux.estimator import util

ModeKeys = tf.estimator.ModeKeys


def test_mode_keys_and_namespace():
    assert (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT) == ("train", "eval", "infer")
    for name in tf.estimator.__all__:
        assert getattr(tf.estimator, name) is not None
    assert tf.estimator.LoggingTensorHook is tf.train.LoggingTensorHook
    assert tf.estimator.inputs.numpy_input_fn is not None


# --- EstimatorSpec ------------------------------------------------------------------------------
def _loss_and_train_op():
    w = tf.get_variable("w", [], initializer=tf.ones_initializer())
    loss = tf.square(w)
    return loss, tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def test_spec_requires_fields_per_mode():
    loss, train_op = _loss_and_train_op()
    with pytest.raises(ValueError, match="^Missing train_op.$"):
        tf.estimator.EstimatorSpec(ModeKeys.TRAIN, loss=loss)
    with pytest.raises(ValueError, match="^Missing loss.$"):
        tf.estimator.EstimatorSpec(ModeKeys.TRAIN, train_op=train_op)
    with pytest.raises(ValueError, match="^Missing loss.$"):
        tf.estimator.EstimatorSpec(ModeKeys.EVAL)
    with pytest.raises(ValueError, match="^Missing predictions.$"):
        tf.estimator.EstimatorSpec(ModeKeys.PREDICT)
    spec = tf.estimator.EstimatorSpec(ModeKeys.TRAIN, loss=loss, train_op=train_op)
    assert spec.predictions == {} and spec.eval_metric_ops == {}
    assert spec.training_hooks == () and isinstance(spec.scaffold, tf.train.Scaffold)
    assert spec._fields == (
        "mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
        "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks",
        "prediction_hooks")


def test_spec_type_and_shape_errors():
    loss, train_op = _loss_and_train_op()
    with pytest.raises(TypeError, match="loss must be Tensor, given: 1.0"):
        tf.estimator.EstimatorSpec(ModeKeys.EVAL, loss=1.0)
    with pytest.raises(ValueError, match="Loss must be scalar, given: "):
        tf.estimator.EstimatorSpec(ModeKeys.EVAL, loss=tf.zeros([2]))
    one = tf.estimator.EstimatorSpec(ModeKeys.EVAL, loss=tf.zeros([1]))
    assert one.loss.shape.as_list() == []  # a [1] loss is reshaped to a scalar
    with pytest.raises(TypeError, match="train_op must be Operation or Tensor, given: 3"):
        tf.estimator.EstimatorSpec(ModeKeys.TRAIN, loss=loss, train_op=3)
    with pytest.raises(TypeError, match=r"predictions\[p\] must be Tensor, given: 2"):
        tf.estimator.EstimatorSpec(ModeKeys.PREDICT, predictions={"p": 2})
    with pytest.raises(TypeError, match="eval_metric_ops must be a dict, given: "):
        tf.estimator.EstimatorSpec(ModeKeys.EVAL, loss=loss, eval_metric_ops=[loss])
    with pytest.raises(TypeError, match="Values of eval_metric_ops must be "
                                        r"\(metric_value, update_op\) tuples"):
        tf.estimator.EstimatorSpec(ModeKeys.EVAL, loss=loss, eval_metric_ops={"m": loss})
    with pytest.raises(TypeError, match="All hooks must be SessionRunHook instances, given: "):
        tf.estimator.EstimatorSpec(ModeKeys.TRAIN, loss=loss, train_op=train_op,
                                   training_hooks=["hook"])
    with pytest.raises(TypeError, match="scaffold must be tf.train.Scaffold. Given: "):
        tf.estimator.EstimatorSpec(ModeKeys.TRAIN, loss=loss, train_op=train_op, scaffold=1)


def test_spec_tensors_must_be_in_the_default_graph():
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0, name="foreign")
    with pytest.raises(ValueError, match='loss with "foreign:0" must be from the default graph'):
        tf.estimator.EstimatorSpec(ModeKeys.EVAL, loss=foreign)
    with pytest.raises(ValueError, match="prediction values with"):
        tf.estimator.EstimatorSpec(ModeKeys.PREDICT, predictions={"p": foreign})


def test_spec_replace_keeps_mode():
    loss, train_op = _loss_and_train_op()
    spec = tf.estimator.EstimatorSpec(ModeKeys.TRAIN, loss=loss, train_op=train_op)
    assert spec._replace(loss=loss * 2).loss is not loss
    with pytest.raises(ValueError, match="mode of EstimatorSpec cannot be changed."):
        spec._replace(mode=ModeKeys.EVAL)


# --- model_fn signatures -----------------------------------------------------------------------
def test_fn_args_like_tf():
    class Model:
        def __call__(self, features, labels, mode):
            pass

        def model_fn(self, features, params):
            pass

    assert util.fn_args(lambda features, labels, mode, params, config: 0) == (
        "features", "labels", "mode", "params", "config")
    assert util.fn_args(Model()) == ("features", "labels", "mode")
    assert util.fn_args(Model().model_fn) == ("features", "params")
    partial = functools.partial(lambda a, features, mode, k=1: 0, 1, k=2)
    assert util.fn_args(partial) == ("features", "mode")


def test_model_fn_signature_errors(tmp_path):
    with pytest.raises(ValueError, match="model_fn must be provided to Estimator."):
        tf.estimator.Estimator(None)
    with pytest.raises(ValueError, match=r"model_fn \(.*\) must include features argument."):
        tf.estimator.Estimator(lambda x, labels: None, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="has following not expected args: "
                                         r"\['extra'\]"):
        tf.estimator.Estimator(lambda features, extra: None, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="does not include params argument, but params"):
        tf.estimator.Estimator(lambda features: None, model_dir=str(tmp_path), params={"a": 1})


def test_model_fn_results_are_checked(tmp_path):
    def input_fn():
        return {"x": tf.constant([[1.0]])}, tf.constant([[1.0]])

    est = tf.estimator.Estimator(lambda features, labels: {"not": "a spec"},
                                 model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="model_fn should return an EstimatorSpec."):
        est.train(input_fn, steps=1)
    no_labels = tf.estimator.Estimator(lambda features: None, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="model_fn does not take labels, but input_fn "
                                         "returns labels."):
        no_labels.train(input_fn, steps=1)

    def missing_train_op(features, labels, mode):
        return tf.estimator.EstimatorSpec(mode, loss=tf.reduce_sum(features["x"]))

    with pytest.raises(ValueError, match="^Missing train_op.$"):
        tf.estimator.Estimator(missing_train_op, model_dir=str(tmp_path)).train(input_fn, steps=1)
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    with pytest.raises(ValueError, match="input_fn should return \\(features, labels\\) as a "
                                         "len 2 tuple."):
        util.parse_input_fn_result((1, 2, 3))


def test_subclasses_may_not_override_methods(tmp_path):
    class Bad(tf.estimator.Estimator):
        def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
            pass

    with pytest.raises(ValueError, match="Subclasses of Estimator cannot override members of "
                                         r"Estimator. .* does override \['train'\]"):
        Bad(lambda features: None, model_dir=str(tmp_path))


# --- RunConfig and the Estimator's config -------------------------------------------------------
def test_run_config_defaults_and_replace():
    config = tf.estimator.RunConfig()
    assert (config.model_dir, config.tf_random_seed, config.save_summary_steps,
            config.save_checkpoints_steps, config.save_checkpoints_secs,
            config.keep_checkpoint_max, config.log_step_count_steps) == (
                None, None, 100, None, 600, 5, 100)
    steps = config.replace(save_checkpoints_steps=10)
    assert (steps.save_checkpoints_steps, steps.save_checkpoints_secs) == (10, None)
    assert config.save_checkpoints_secs == 600  # replace returns a copy
    with pytest.raises(ValueError, match="Can not provide both save_checkpoints_steps and "
                                         "save_checkpoints_secs."):
        tf.estimator.RunConfig(save_checkpoints_steps=1, save_checkpoints_secs=1)
    with pytest.raises(ValueError, match="not_a_field is not supported by RunConfig.replace"):
        config.replace(not_a_field=1)


def test_estimator_config_and_model_dir(tmp_path, monkeypatch):
    fn = lambda features, labels, mode: None  # noqa: E731
    est = tf.estimator.Estimator(fn, config=tf.estimator.RunConfig(model_dir=str(tmp_path)))
    assert est.model_dir == str(tmp_path) == est.config.model_dir
    assert est.config.session_config.allow_soft_placement  # TF's default session config
    assert est.params == {}
    with pytest.raises(ValueError, match="`model_dir` are set both in constructor and "
                                         "`RunConfig`, but with different values"):
        tf.estimator.Estimator(fn, model_dir=str(tmp_path / "a"),
                               config=tf.estimator.RunConfig(model_dir=str(tmp_path / "b")))
    with pytest.raises(ValueError, match="config must be an instance of `RunConfig`"):
        tf.estimator.Estimator(fn, config={"model_dir": "x"})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    os.makedirs(str(tmp_path / "tmp"))
    temporary = tf.estimator.Estimator(fn)  # no model_dir: a new temporary folder
    assert os.path.dirname(temporary.model_dir) == str(tmp_path / "tmp")
    assert temporary.eval_dir("test").endswith("eval_test")
