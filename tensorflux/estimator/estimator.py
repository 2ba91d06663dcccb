"""`tf.estimator.Estimator`: train, evaluate and predict with a `model_fn`, as TF 1.x.

Every call builds a fresh graph: the global step, the `input_fn`'s tensors, then the
`model_fn`'s EstimatorSpec for the mode. Training runs a MonitoredTrainingSession restored
from the newest checkpoint in `model_dir`, with TF's hooks (loss logging, steps/sec, summaries,
checkpoints `model.ckpt-N`, `graph.pbtxt`); evaluation restores a checkpoint, runs the metrics'
update ops until the input ends, and writes the results to `model_dir/eval`; prediction yields
the predictions one example (or one batch) at a time; export writes the PREDICT graph and the
checkpoint's variables as a timestamped SavedModel.
"""

import copy
import os
import tempfile

from tensorflux import errors, metrics
from tensorflux.estimator import util
from tensorflux.estimator import warm_starting as ws
from tensorflux.estimator.export import export as export_lib
from tensorflux.estimator.model_fn import LOSS_METRIC_KEY, EstimatorSpec, ModeKeys
from tensorflux.estimator.run_config import RunConfig, get_default_session_config
from tensorflux.estimator.train_loop import evaluate_once, train_with_estimator_spec
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import random_ops
from tensorflux.platform import tf_logging as logging
from tensorflux.train import basic_session_run_hooks as hooks_lib
from tensorflux.train import saver as saver_lib
from tensorflux.train import training_util
from tensorflux.train.monitored_session import ChiefSessionCreator, MonitoredSession
from tensorflux.train.session_run_hook import SessionRunHook

_VALID_MODEL_FN_ARGS = {"features", "labels", "mode", "params", "self", "config"}


class Estimator:
    """Trains, evaluates and predicts with the model a `model_fn` builds.

    Example:
        >>> classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir="/tmp/cnn")
        >>> classifier.train(input_fn=train_input_fn, steps=1000)
        >>> classifier.evaluate(input_fn=eval_input_fn)
        {'accuracy': 0.91, 'loss': 0.29, 'global_step': 1000}
    """

    def __init__(self, model_fn, model_dir=None, config=None, params=None,
                 warm_start_from=None):
        _assert_members_are_not_overridden(self)
        self._config = _config_with_model_dir(config, model_dir)
        self._model_dir = self._config.model_dir
        self._session_config = self._config.session_config
        logging.info("Using config: %s", str(vars(self._config)))
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        _verify_model_fn_args(model_fn, params)
        self._model_fn = model_fn
        self._params = copy.deepcopy(params or {})
        self._warm_start_settings = ws.get_default_warm_start_settings(warm_start_from)

    @property
    def model_dir(self):
        return self._model_dir

    @property
    def config(self):
        return copy.deepcopy(self._config)

    @property
    def params(self):
        return copy.deepcopy(self._params)

    @property
    def model_fn(self):
        """The `model_fn` bound to this Estimator's params: `(features, labels, mode, config)`."""
        def public_model_fn(features, labels, mode, config):
            return self._call_model_fn(features, labels, mode, config)
        return public_model_fn

    # --- checkpoint inspection ---------------------------------------------------------------
    def get_variable_value(self, name):
        """The value of variable `name` in the newest checkpoint (ValueError if none)."""
        _check_checkpoint_available(self._model_dir)
        return saver_lib.load_variable(self._model_dir, name)

    def get_variable_names(self):
        """The names of the variables in the newest checkpoint (ValueError if none)."""
        _check_checkpoint_available(self._model_dir)
        return [name for name, _ in saver_lib.list_variables(self._model_dir)]

    def latest_checkpoint(self):
        """The newest checkpoint prefix in `model_dir`, or None."""
        return saver_lib.latest_checkpoint(self._model_dir)

    def eval_dir(self, name=None):
        """`model_dir/eval`, or `model_dir/eval_<name>` for a named evaluation."""
        return os.path.join(self._model_dir, "eval_" + name if name else "eval")

    # --- train ------------------------------------------------------------------------------
    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Trains for `steps` more steps, up to global step `max_steps`, or until the input
        ends; returns `self`.

        Example:
            >>> est.train(input_fn=train_input_fn, steps=20000, hooks=[logging_hook])
        """
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        if max_steps is not None and max_steps <= 0:
            raise ValueError("Must specify max_steps > 0, given: {}".format(max_steps))
        if max_steps is not None and max_steps <= _global_step_in_checkpoint(self._model_dir):
            logging.info("Skipping training since max_steps has already saved.")
            return self
        hooks = _check_hooks_type(hooks)
        if steps is not None or max_steps is not None:
            hooks.append(hooks_lib.StopAtStepHook(steps, max_steps))
        listeners = _check_listeners_type(saving_listeners)
        loss = self._train_model(input_fn, hooks, listeners)
        logging.info("Loss for final step: %s.", loss)
        return self

    def _train_model(self, input_fn, hooks, saving_listeners):
        with graph_lib.Graph().as_default() as g:
            random_ops.set_random_seed(self._config.tf_random_seed)
            self._create_and_assert_global_step(g)
            hooks_lib._get_or_create_global_step_read(g)
            features, labels, input_hooks = self._get_features_and_labels_from_input_fn(
                input_fn, ModeKeys.TRAIN)
            spec = self._call_model_fn(features, labels, ModeKeys.TRAIN, self.config)
            if self._warm_start_settings:
                spec = spec._replace(scaffold=ws.scaffold_with_warm_start(
                    spec.scaffold, self._warm_start_settings))
            return train_with_estimator_spec(
                spec, self._config, input_hooks + hooks, training_util.get_global_step(g),
                saving_listeners)

    # --- evaluate ---------------------------------------------------------------------------
    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """Evaluates the newest (or the given) checkpoint on `input_fn`'s data.

        Returns the metrics of the EstimatorSpec's `eval_metric_ops`, the mean `loss` and the
        `global_step` evaluated; also writes them as summaries to `eval_dir(name)`.

        Example:
            >>> est.evaluate(input_fn=eval_input_fn)["accuracy"]
            0.9123
        """
        hooks = _check_hooks_type(hooks)
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        if not checkpoint_path:
            checkpoint_path = saver_lib.latest_checkpoint(self._model_dir)
            if not checkpoint_path:
                logging.info("Could not find trained model in model_dir: {}, running "
                             "initialization to evaluate.".format(self._model_dir))
        with graph_lib.Graph().as_default() as g:
            random_ops.set_random_seed(self._config.tf_random_seed)
            self._create_and_assert_global_step(g)
            features, labels, input_hooks = self._get_features_and_labels_from_input_fn(
                input_fn, ModeKeys.EVAL)
            spec = self._call_model_fn(features, labels, ModeKeys.EVAL, self.config)
            scaffold = self._maybe_warm_start(spec.scaffold, checkpoint_path)
            metric_ops = dict(spec.eval_metric_ops)
            if LOSS_METRIC_KEY in metric_ops:
                raise ValueError('Metric with name "%s" is not allowed, because Estimator '
                                 "already defines a default metric with the same name."
                                 % LOSS_METRIC_KEY)
            metric_ops[LOSS_METRIC_KEY] = metrics.mean(spec.loss)
            if GraphKeys.GLOBAL_STEP in metric_ops:
                raise ValueError("Metric with name `global_step` is not allowed, because "
                                 "Estimator already defines a default metric with the same "
                                 "name.")
            results = evaluate_once(
                checkpoint_path, scaffold, metric_ops, training_util.get_global_step(g),
                input_hooks + hooks + list(spec.evaluation_hooks), steps,
                self._session_config)
        step = results[GraphKeys.GLOBAL_STEP]
        util.write_dict_to_summary(self.eval_dir(name), results, step)
        return results

    # --- predict ----------------------------------------------------------------------------
    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None,
                yield_single_examples=True):
        """Yields the predictions of the newest (or the given) checkpoint on `input_fn`.

        Dict predictions are yielded as one dict per example (`yield_single_examples`) or
        per batch; a tensor prediction as one array per example or per batch. Prediction
        stops when the input ends.

        Example:
            >>> for p in est.predict(input_fn=predict_input_fn):
            ...     print(p["classes"], p["probabilities"].max())
        """
        hooks = _check_hooks_type(hooks)
        if not checkpoint_path:
            checkpoint_path = saver_lib.latest_checkpoint(self._model_dir)
        if not checkpoint_path:
            logging.info("Could not find trained model in model_dir: {}, running "
                         "initialization to predict.".format(self._model_dir))
        else:
            logging.info("Restoring parameters from %s", checkpoint_path)
        g = graph_lib.Graph()
        with g.as_default():
            random_ops.set_random_seed(self._config.tf_random_seed)
            self._create_and_assert_global_step(g)
            result = self._call_input_fn(input_fn, ModeKeys.PREDICT)
            features, _, input_hooks = util.parse_input_fn_result(result)
            if not util.has_dataset_or_queue_runner(features):
                logging.warning("Input graph does not use tf.data.Dataset or contain a "
                                "QueueRunner. That means predict yields forever. This is "
                                "probably a mistake.")
            spec = self._call_model_fn(features, None, ModeKeys.PREDICT, self.config)
            scaffold = self._maybe_warm_start(spec.scaffold, checkpoint_path)
            predictions = _extract_keys(spec.predictions, predict_keys)
            session = MonitoredSession(
                session_creator=ChiefSessionCreator(
                    scaffold=scaffold, checkpoint_filename_with_path=checkpoint_path,
                    config=self._session_config),
                hooks=input_hooks + hooks + list(spec.prediction_hooks))
        # The graph is the default one only while this generator runs, never across a yield.
        try:
            while True:
                with g.as_default():
                    values = _run_predict_step(session, predictions)
                if values is None:
                    break
                yield from _split_predictions(predictions, values, yield_single_examples)
        except BaseException as e:
            with g.as_default():
                session.__exit__(type(e), e, e.__traceback__)
            raise
        with g.as_default():
            session.__exit__(None, None, None)

    # --- export -------------------------------------------------------------------------------
    def export_saved_model(self, export_dir_base, serving_input_receiver_fn, assets_extra=None,
                           as_text=False, checkpoint_path=None,
                           experimental_mode=ModeKeys.PREDICT):
        """Writes the PREDICT graph on `serving_input_receiver_fn`'s inputs, with the newest
        (or the given) checkpoint's variables, as a SavedModel tagged `serve` in
        `export_dir_base/<timestamp>`; returns that directory (bytes, as TF 1.15).

        The signatures are the EstimatorSpec's `export_outputs` (`serving_default`: a
        PredictOutput of the predictions when there are none); `assets_extra` maps paths
        under `assets.extra/` to the files copied there.

        Example:
            >>> fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)
            >>> est.export_saved_model("/tmp/export", fn)
            b'/tmp/export/1574900000'
        """
        if not serving_input_receiver_fn:
            raise ValueError("An input_receiver_fn must be defined.")
        return export_lib.export_all_saved_models(
            self, export_dir_base, {experimental_mode: serving_input_receiver_fn},
            assets_extra=assets_extra, as_text=as_text, checkpoint_path=checkpoint_path)

    def export_savedmodel(self, export_dir_base, serving_input_receiver_fn, assets_extra=None,
                          as_text=False, checkpoint_path=None, strip_default_attrs=False):
        """TF 1.x's name of `export_saved_model` (`strip_default_attrs` is accepted)."""
        if not serving_input_receiver_fn:
            raise ValueError("serving_input_receiver_fn must be defined.")
        return export_lib.export_all_saved_models(
            self, export_dir_base, {ModeKeys.PREDICT: serving_input_receiver_fn},
            assets_extra=assets_extra, as_text=as_text, checkpoint_path=checkpoint_path)

    def experimental_export_all_saved_models(self, export_dir_base, input_receiver_fn_map,
                                             assets_extra=None, as_text=False,
                                             checkpoint_path=None):
        """`export_saved_model` with a `{mode: receiver_fn}` map (PREDICT only here)."""
        return export_lib.export_all_saved_models(
            self, export_dir_base, input_receiver_fn_map, assets_extra=assets_extra,
            as_text=as_text, checkpoint_path=checkpoint_path)

    # --- calling the user's functions --------------------------------------------------------
    def _create_and_assert_global_step(self, graph):
        step = training_util.create_global_step(graph)
        assert step is training_util.get_global_step(graph)
        assert step.dtype.is_integer
        return step

    def _call_input_fn(self, input_fn, mode):
        """Calls `input_fn` with the `mode`, `params` and `config` it asks for, on the CPU."""
        args = util.fn_args(input_fn)
        kwargs = {}
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = self.config
        with graph_lib.get_default_graph().device("/cpu:0"):
            return input_fn(**kwargs)

    def _get_features_and_labels_from_input_fn(self, input_fn, mode):
        return util.parse_input_fn_result(self._call_input_fn(input_fn, mode))

    def _call_model_fn(self, features, labels, mode, config):
        """Calls `model_fn` with the arguments its signature names; checks the result."""
        args = util.fn_args(self._model_fn)
        kwargs = {}
        if "labels" in args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = config
        logging.info("Calling model_fn.")
        spec = self._model_fn(features=features, **kwargs)
        logging.info("Done calling model_fn.")
        if not isinstance(spec, EstimatorSpec):
            raise ValueError("model_fn should return an EstimatorSpec.")
        return spec

    def _maybe_warm_start(self, scaffold, checkpoint_path):
        if checkpoint_path or not self._warm_start_settings:
            return scaffold
        return ws.scaffold_with_warm_start(scaffold, self._warm_start_settings)


# --- module helpers ----------------------------------------------------------------------------
def _config_with_model_dir(config, model_dir):
    """The RunConfig to use: `model_dir` merged in (a temporary one if neither names one)."""
    if config is None:
        config = RunConfig()
        logging.info("Using default config.")
    if not isinstance(config, RunConfig):
        raise ValueError("config must be an instance of `RunConfig`, but provided %s." % config)
    if config.session_config is None:
        config = config.replace(session_config=get_default_session_config())
    model_dir = None if model_dir is None else os.fspath(model_dir)
    if model_dir is not None and config.model_dir is not None and config.model_dir != model_dir:
        raise ValueError("`model_dir` are set both in constructor and `RunConfig`, but with "
                         "different values. In constructor: '{}', in `RunConfig`: '{}' "
                         .format(model_dir, config.model_dir))
    if model_dir:
        config = config.replace(model_dir=model_dir)
    elif config.model_dir is None:
        model_dir = tempfile.mkdtemp()
        logging.warning("Using temporary folder as model directory: %s", model_dir)
        config = config.replace(model_dir=model_dir)
    return config


def _verify_model_fn_args(model_fn, params):
    args = set(util.fn_args(model_fn))
    if "features" not in args:
        raise ValueError("model_fn (%s) must include features argument." % model_fn)
    if params is not None and "params" not in args:
        raise ValueError("model_fn (%s) does not include params argument, but params (%s) is "
                         "passed to Estimator." % (model_fn, params))
    if params is None and "params" in args:
        logging.warning("Estimator's model_fn (%s) includes params argument, but params are "
                        "not passed to Estimator.", model_fn)
    unexpected = sorted(args - _VALID_MODEL_FN_ARGS)
    if unexpected:
        raise ValueError("model_fn (%s) has following not expected args: %s"
                         % (model_fn, unexpected))


def _assert_members_are_not_overridden(obj):
    """Subclasses configure an Estimator through `model_fn`; they may not override methods."""
    allowed = {"model_fn", "_create_and_assert_global_step", "latest_checkpoint"}
    members = {m for m in dir(Estimator) if not m.startswith("__")}
    common = members & set(type(obj).__dict__) - allowed
    overridden = sorted(m for m in common if getattr(Estimator, m) != getattr(type(obj), m))
    if overridden:
        raise ValueError("Subclasses of Estimator cannot override members of Estimator. {} "
                         "does override {}".format(type(obj), overridden))


def _check_checkpoint_available(model_dir):
    if not saver_lib.latest_checkpoint(model_dir):
        raise ValueError("Could not find trained model in model_dir: {}.".format(model_dir))


def _check_hooks_type(hooks):
    hooks = list(hooks or [])
    for h in hooks:
        if not isinstance(h, SessionRunHook):
            raise TypeError("Hooks must be a SessionRunHook, given: {}".format(h))
    return hooks


def _check_listeners_type(saving_listeners):
    listeners = list(saving_listeners or [])
    for listener in listeners:
        if not isinstance(listener, hooks_lib.CheckpointSaverListener):
            raise TypeError("saving_listeners must be a list of CheckpointSaverListener, "
                            "given: {}".format(listener))
    return listeners


def _global_step_in_checkpoint(model_dir):
    """The global step saved in the newest checkpoint of `model_dir`, 0 if there is none."""
    try:
        path = saver_lib.latest_checkpoint(model_dir)
        return int(saver_lib.NewCheckpointReader(path).get_tensor(GraphKeys.GLOBAL_STEP))
    except Exception:  # no checkpoint, or no global step in it: TF starts from 0 too
        return 0


def _extract_keys(predictions, predict_keys):
    if not predict_keys:
        return predictions
    if not isinstance(predictions, dict):
        raise ValueError("predict_keys argument is not valid in case of non-dict predictions.")
    existing = predictions.keys()
    predictions = {k: v for k, v in predictions.items() if k in predict_keys}
    if not predictions:
        raise ValueError("Expected to run at least one output from %s, provided %s."
                         % (existing, predict_keys))
    return predictions


def _run_predict_step(session, predictions):
    """One batch of predictions, or None once the input has ended or a hook stopped."""
    if session.should_stop():
        return None
    try:
        return session.run(predictions)
    except errors.OutOfRangeError:
        return None


def _split_predictions(predictions, values, yield_single_examples):
    if not yield_single_examples:
        yield values
    elif not isinstance(predictions, dict):
        yield from values
    else:
        batch_length = None
        for key, value in values.items():
            batch_length = batch_length or value.shape[0]
            if value.shape[0] != batch_length:
                raise ValueError("Batch length of predictions should be same. %s has different "
                                 "batch length than others." % key)
        for i in range(batch_length):
            yield {key: value[i] for key, value in values.items()}
