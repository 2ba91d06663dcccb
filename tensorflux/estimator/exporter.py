"""`tf.estimator.Exporter`s: what `train_and_evaluate` exports after each evaluation.

Each exporter writes SavedModels under `<model_dir>/export/<name>/<timestamp>` with
`Estimator.export_saved_model`: `LatestExporter` after every evaluation, `FinalExporter` once
at the end of training, `BestExporter` when the evaluation beats the best one so far (its
best is first read back from the eval event files, so it survives a restart). Older exports
beyond `exports_to_keep` are deleted, judged by their 10-digit timestamp names (TF 1.15's
`exporter.py`).
"""

import glob
import os
import shutil

import numpy as np

from tensorflux.estimator import util
from tensorflux.platform import tf_logging as logging
from tensorflux.summary.writer import summary_iterator

_LOSS_KEY = "loss"


class Exporter:
    """A kind of model export: a `name` (its directory) and an `export` method.

    Example:
        >>> class MyExporter(tf.estimator.Exporter):
        ...     name = "mine"
        ...     def export(self, estimator, export_path, checkpoint_path, eval_result,
        ...                is_the_final_export):
        ...         return estimator.export_saved_model(export_path, receiver_fn)
    """

    @property
    def name(self):
        """The directory name under `<model_dir>/export`; never None nor empty."""
        raise NotImplementedError

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        """Exports `estimator` at `checkpoint_path` under `export_path`; returns the export's
        directory, or None if skipped."""
        raise NotImplementedError


class _SavedModelExporter(Exporter):
    """Exports the serving graph and the checkpoint's variables as a SavedModel."""

    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False):
        self._name = name
        self._serving_input_receiver_fn = serving_input_receiver_fn
        self._assets_extra = assets_extra
        self._as_text = as_text

    @property
    def name(self):
        return self._name

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        del is_the_final_export
        return estimator.export_saved_model(
            export_path, self._serving_input_receiver_fn, assets_extra=self._assets_extra,
            as_text=self._as_text, checkpoint_path=checkpoint_path)


def _garbage_collect_exports(export_dir_base, exports_to_keep):
    """Deletes all but the `exports_to_keep` newest `<10-digit timestamp>` exports."""
    if exports_to_keep is None or not os.path.isdir(export_dir_base):
        return
    versions = sorted(int(name) for name in os.listdir(export_dir_base)
                      if len(name) == 10 and name.isdigit())
    for version in versions[:max(len(versions) - exports_to_keep, 0)]:
        path = os.path.join(export_dir_base, str(version))
        try:
            shutil.rmtree(path)
        except FileNotFoundError as e:
            logging.warning("Can not delete %s recursively: %s", path, e)


def _loss_smaller(best_eval_result, current_eval_result):
    """True if `current_eval_result`'s loss is smaller than `best_eval_result`'s.

    Raises:
        ValueError: If either result is empty or has no loss.
    """
    if not best_eval_result or _LOSS_KEY not in best_eval_result:
        raise ValueError("best_eval_result cannot be empty or no loss is found in it.")
    if not current_eval_result or _LOSS_KEY not in current_eval_result:
        raise ValueError("current_eval_result cannot be empty or no loss is found in it.")
    return best_eval_result[_LOSS_KEY] > current_eval_result[_LOSS_KEY]


def _verify_compare_fn_args(compare_fn):
    args = set(util.fn_args(compare_fn))
    if "best_eval_result" not in args:
        raise ValueError("compare_fn (%s) must include best_eval_result argument." % compare_fn)
    if "current_eval_result" not in args:
        raise ValueError("compare_fn (%s) must include current_eval_result argument."
                         % compare_fn)
    non_valid_args = list(args - {"best_eval_result", "current_eval_result"})
    if non_valid_args:
        raise ValueError("compare_fn (%s) has following not expected args: %s"
                         % (compare_fn, non_valid_args))


def _same_eval_result(recorded, eval_result):
    """True if the metrics read back from an event file (float32 simple values, no
    `global_step`) are those of `eval_result`."""
    return all(key in eval_result and np.float32(value) == np.float32(eval_result[key])
               for key, value in recorded.items())


class BestExporter(Exporter):
    """Exports whenever the evaluation is the best so far (by `compare_fn`, default: the
    smallest loss), keeping the `exports_to_keep` newest.

    Example:
        >>> exporter = tf.estimator.BestExporter(
        ...     name="best_exporter", serving_input_receiver_fn=receiver_fn, exports_to_keep=5)
        >>> eval_spec = tf.estimator.EvalSpec(input_fn=eval_input_fn, exporters=exporter)
    """

    def __init__(self, name="best_exporter", serving_input_receiver_fn=None,
                 event_file_pattern="eval/*.tfevents.*", compare_fn=_loss_smaller,
                 assets_extra=None, as_text=False, exports_to_keep=5):
        self._compare_fn = compare_fn
        if self._compare_fn is None:
            raise ValueError("`compare_fn` must not be None.")
        _verify_compare_fn_args(self._compare_fn)
        self._saved_model_exporter = _SavedModelExporter(
            name, serving_input_receiver_fn, assets_extra, as_text)
        self._event_file_pattern = event_file_pattern
        self._model_dir = None
        self._best_eval_result = None
        self._has_exported = False
        self._exports_to_keep = exports_to_keep
        if exports_to_keep is not None and exports_to_keep <= 0:
            raise ValueError("`exports_to_keep`, if provided, must be a positive number. Got %s"
                             % exports_to_keep)

    @property
    def name(self):
        return self._saved_model_exporter.name

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        export_result = None
        if self._model_dir != estimator.model_dir and self._event_file_pattern:
            logging.info("Loading best metric from event files.")
            self._model_dir = estimator.model_dir
            self._best_eval_result = self._get_best_eval_result(
                os.path.join(self._model_dir, self._event_file_pattern))
        # The evaluation that triggered this export is already in the event files, so before
        # the first export the best loaded result may be this very one (TF's fix of 2019).
        if (self._best_eval_result is None
                or (not self._has_exported
                    and _same_eval_result(self._best_eval_result, eval_result))
                or self._compare_fn(best_eval_result=self._best_eval_result,
                                    current_eval_result=eval_result)):
            logging.info("Performing best model export.")
            self._best_eval_result = eval_result
            export_result = self._saved_model_exporter.export(
                estimator, export_path, checkpoint_path, eval_result, is_the_final_export)
            _garbage_collect_exports(export_path, self._exports_to_keep)
            self._has_exported = True
        return export_result

    def _get_best_eval_result(self, event_files):
        """The best of the evaluations recorded (as simple values) in the event files."""
        if not event_files:
            return None
        best_eval_result = None
        for event_file in glob.glob(event_files):
            for event in summary_iterator(event_file):
                if not event.HasField("summary"):
                    continue
                event_eval_result = {value.tag: value.simple_value
                                     for value in event.summary.value
                                     if value.HasField("simple_value")}
                if event_eval_result and (best_eval_result is None or self._compare_fn(
                        best_eval_result, event_eval_result)):
                    best_eval_result = event_eval_result
        return best_eval_result


class FinalExporter(Exporter):
    """Exports once, after the evaluation at the end of training.

    Example:
        >>> exporter = tf.estimator.FinalExporter("final", receiver_fn)
    """

    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False):
        self._saved_model_exporter = _SavedModelExporter(
            name, serving_input_receiver_fn, assets_extra, as_text)

    @property
    def name(self):
        return self._saved_model_exporter.name

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        if not is_the_final_export:
            return None
        logging.info("Performing the final export in the end of training.")
        return self._saved_model_exporter.export(estimator, export_path, checkpoint_path,
                                                 eval_result, is_the_final_export)


class LatestExporter(Exporter):
    """Exports after every evaluation, keeping the `exports_to_keep` newest.

    Example:
        >>> exporter = tf.estimator.LatestExporter("latest", receiver_fn, exports_to_keep=3)
    """

    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False,
                 exports_to_keep=5):
        self._saved_model_exporter = _SavedModelExporter(
            name, serving_input_receiver_fn, assets_extra, as_text)
        self._exports_to_keep = exports_to_keep
        if exports_to_keep is not None and exports_to_keep <= 0:
            raise ValueError("`exports_to_keep`, if provided, must be positive number")

    @property
    def name(self):
        return self._saved_model_exporter.name

    def export(self, estimator, export_path, checkpoint_path, eval_result,
               is_the_final_export):
        export_result = self._saved_model_exporter.export(
            estimator, export_path, checkpoint_path, eval_result, is_the_final_export)
        _garbage_collect_exports(export_path, self._exports_to_keep)
        return export_result
