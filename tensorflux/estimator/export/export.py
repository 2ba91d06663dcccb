"""Serving input receivers, and writing an Estimator's model as a timestamped SavedModel.

A `serving_input_receiver_fn` returns a `ServingInputReceiver`: the `features` handed to the
`model_fn` and the `receiver_tensors` a client feeds (typically one string placeholder of
serialized `tf.train.Example`s, parsed into the features). `Estimator.export_saved_model`
builds the PREDICT graph on them, restores the checkpoint, and writes
`<export_dir_base>/<seconds since epoch>` (first as `temp-<seconds>`, renamed when complete)
with one signature per `EstimatorSpec.export_outputs` entry, `serving_default` included
(TF 1.15's `export.py` and `export_utils.py`).
"""

import collections
import os
import shutil
import time

from tensorflux import errors
from tensorflux.estimator.export import export_output as export_output_lib
from tensorflux.estimator.model_fn import ModeKeys
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import random_ops
from tensorflux.platform import tf_logging as logging
from tensorflux.saved_model import builder as builder_lib
from tensorflux.saved_model import (
    signature_constants,
    signature_def_utils,
    tag_constants,
)

SINGLE_FEATURE_DEFAULT_NAME = "feature"
SINGLE_RECEIVER_DEFAULT_NAME = "input"
SINGLE_LABEL_DEFAULT_NAME = "label"
MAX_DIRECTORY_CREATION_ATTEMPTS = 10
EXPORT_TAG_MAP = {ModeKeys.PREDICT: [tag_constants.SERVING],
                  ModeKeys.TRAIN: [tag_constants.TRAINING], ModeKeys.EVAL: ["eval"]}

_SINGLE_TENSOR_DEFAULT_NAMES = {
    "feature": SINGLE_FEATURE_DEFAULT_NAME, "label": SINGLE_LABEL_DEFAULT_NAME,
    "receiver_tensor": SINGLE_RECEIVER_DEFAULT_NAME,
    "receiver_tensors_alternative": SINGLE_RECEIVER_DEFAULT_NAME}


# --- receivers -------------------------------------------------------------------------------
def _is_tensor_or_sparse(x):
    from tensorflux.ops.sparse_tensor import SparseTensor

    return isinstance(x, (Tensor, SparseTensor))


def _check_tensor(tensor, name, error_label="feature"):
    if not _is_tensor_or_sparse(tensor):
        fmt_name = " {}".format(name) if name else ""
        raise ValueError("{}{} must be a Tensor or SparseTensor.".format(error_label, fmt_name))


def _check_tensor_key(name, error_label="feature", allow_ints=False):
    if not isinstance(name, str):
        if not allow_ints:
            raise ValueError("{} keys must be strings: {}.".format(error_label, name))
        if not isinstance(name, int):
            raise ValueError("{} keys must be strings or ints: {}.".format(error_label, name))


def wrap_and_check_input_tensors(tensors, field_name, allow_int_keys=False):
    """`tensors` as a `{name: Tensor}` dict (a lone tensor gets the field's default name)."""
    if tensors is None:
        raise ValueError("{}s must be defined.".format(field_name))
    if not isinstance(tensors, dict):
        tensors = {_SINGLE_TENSOR_DEFAULT_NAMES[field_name]: tensors}
    for name, tensor in tensors.items():
        _check_tensor_key(name, error_label=field_name, allow_ints=allow_int_keys)
        _check_tensor(tensor, name, error_label=field_name)
    return tensors


class ServingInputReceiver(collections.namedtuple(
        "ServingInputReceiver", ["features", "receiver_tensors",
                                 "receiver_tensors_alternatives"])):
    """What a `serving_input_receiver_fn` returns: the model's `features` (always a dict; a
    lone tensor becomes `{"feature": t}`) and the `receiver_tensors` clients feed.

    Example:
        >>> def serving_input_receiver_fn():
        ...     x = tf.placeholder(tf.float32, [None, 4], name="x")
        ...     return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})
    """

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        features = wrap_and_check_input_tensors(features, "feature", allow_int_keys=True)
        receiver_tensors = wrap_and_check_input_tensors(receiver_tensors, "receiver_tensor")
        if receiver_tensors_alternatives is not None:
            if not isinstance(receiver_tensors_alternatives, dict):
                raise ValueError("receiver_tensors_alternatives must be a dict: {}."
                                 .format(receiver_tensors_alternatives))
            for alternative_name, tensors in list(receiver_tensors_alternatives.items()):
                receiver_tensors_alternatives[alternative_name] = wrap_and_check_input_tensors(
                    tensors, "receiver_tensors_alternative")
        return super().__new__(cls, features=features, receiver_tensors=receiver_tensors,
                               receiver_tensors_alternatives=receiver_tensors_alternatives)


class TensorServingInputReceiver(collections.namedtuple(
        "TensorServingInputReceiver", ["features", "receiver_tensors",
                                       "receiver_tensors_alternatives"])):
    """A ServingInputReceiver whose `features` is one tensor, passed to the `model_fn` as is.

    Example:
        >>> x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
        >>> tf.estimator.export.TensorServingInputReceiver(features=x, receiver_tensors=x)
    """

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        if features is None:
            raise ValueError("features must be defined.")
        _check_tensor(features, None)
        receiver = ServingInputReceiver(features, receiver_tensors,
                                        receiver_tensors_alternatives)
        return super().__new__(
            cls, features=receiver.features[SINGLE_FEATURE_DEFAULT_NAME],
            receiver_tensors=receiver.receiver_tensors,
            receiver_tensors_alternatives=receiver.receiver_tensors_alternatives)


class SupervisedInputReceiver(collections.namedtuple(
        "SupervisedInputReceiver", ["features", "labels", "receiver_tensors"])):
    """Features, labels and the receiver tensors fed for them (TRAIN/EVAL exports)."""

    def __new__(cls, features, labels, receiver_tensors):
        wrap_and_check_input_tensors(features, "feature", allow_int_keys=True)
        wrap_and_check_input_tensors(labels, "label", allow_int_keys=True)
        receiver_tensors = wrap_and_check_input_tensors(receiver_tensors, "receiver_tensor")
        return super().__new__(cls, features=features, labels=labels,
                               receiver_tensors=receiver_tensors)


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
    """A `serving_input_receiver_fn` fed serialized `tf.train.Example`s (placeholder
    `input_example_tensor`, receiver key `examples`), parsed with `feature_spec`.

    Example:
        >>> spec = tf.feature_column.make_parse_example_spec(feature_columns)
        >>> fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)
    """
    from tensorflux.ops import array_ops, parsing_ops

    def serving_input_receiver_fn():
        serialized_tf_example = array_ops.placeholder(
            dtype=dtypes.string, shape=[default_batch_size], name="input_example_tensor")
        receiver_tensors = {"examples": serialized_tf_example}
        features = parsing_ops.parse_example(serialized_tf_example, feature_spec)
        return ServingInputReceiver(features, receiver_tensors)

    return serving_input_receiver_fn


def _placeholder_from_tensor(t, default_batch_size=None):
    """A placeholder named as `t`'s op, of its dtype and shape with the batch dimension
    replaced by `default_batch_size`."""
    from tensorflux.ops import array_ops

    shape = tensor_shape.TensorShape([default_batch_size]).concatenate(t.get_shape()[1:])
    return array_ops.placeholder(dtype=t.dtype, shape=shape, name=t.op.name)


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
    """A `serving_input_receiver_fn` whose features are placeholders fed directly, one per
    entry of `features` (same names, dtypes and shapes, any batch size).

    Example:
        >>> x = tf.placeholder(tf.float32, [None, 4], name="x")
        >>> fn = tf.estimator.export.build_raw_serving_input_receiver_fn({"x": x})
    """
    def serving_input_receiver_fn():
        receiver_tensors = {name: _placeholder_from_tensor(t, default_batch_size)
                            for name, t in features.items()}
        return ServingInputReceiver(receiver_tensors, receiver_tensors)

    return serving_input_receiver_fn


def build_raw_supervised_input_receiver_fn(features, labels, default_batch_size=None):
    """A receiver fn of placeholders for raw `features` and `labels` (TRAIN/EVAL exports)."""
    feat_keys = features.keys() if isinstance(features, dict) else \
        [SINGLE_RECEIVER_DEFAULT_NAME]
    label_keys = labels.keys() if isinstance(labels, dict) else [SINGLE_LABEL_DEFAULT_NAME]
    overlap_keys = set(feat_keys) & set(label_keys)
    if overlap_keys:
        raise ValueError("Features and labels must have distinct keys. Found overlapping "
                         "keys: {}".format(overlap_keys))

    def placeholders(values, default_name):
        if not isinstance(values, dict):
            copy = _placeholder_from_tensor(values, default_batch_size)
            return copy, {default_name: copy}
        copies = {k: _placeholder_from_tensor(t, default_batch_size)
                  for k, t in values.items()}
        return copies, copies

    def supervised_input_receiver_fn():
        features_cp, receiver_features = placeholders(features, SINGLE_RECEIVER_DEFAULT_NAME)
        labels_cp, receiver_labels = placeholders(labels, SINGLE_LABEL_DEFAULT_NAME)
        receiver_tensors = dict(receiver_features)
        receiver_tensors.update(receiver_labels)
        return SupervisedInputReceiver(features_cp, labels_cp, receiver_tensors)

    return supervised_input_receiver_fn


# --- signatures ------------------------------------------------------------------------------
def get_export_outputs(export_outputs, predictions):
    """The EstimatorSpec's export outputs, or `{"serving_default": PredictOutput(predictions)}`;
    a lone output also becomes `serving_default`."""
    default_key = signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY
    if export_outputs is None:
        export_outputs = {default_key: export_output_lib.PredictOutput(predictions)}
    if not isinstance(export_outputs, dict):
        raise TypeError("export_outputs must be dict, given: {}".format(export_outputs))
    for value in export_outputs.values():
        if not isinstance(value, export_output_lib.ExportOutput):
            raise TypeError("Values in export_outputs must be ExportOutput objects. Given: {}"
                            .format(export_outputs))
    export_outputs = dict(export_outputs)
    if len(export_outputs) == 1:
        (key, value), = export_outputs.items()
        if key != default_key:
            export_outputs[default_key] = value
    if len(export_outputs) > 1 and default_key not in export_outputs:
        raise ValueError("Multiple export_outputs were provided, but none of them is specified "
                         "as the default.  Do this by naming one of them with "
                         "signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY.")
    return export_outputs


def build_all_signature_defs(receiver_tensors, export_outputs,
                             receiver_tensors_alternatives=None, serving_only=True):
    """`{signature name: SignatureDef}`: one per export output, plus one per output and
    receiver alternative (`"<alternative>:<output>"`); outputs that cannot be served over
    these inputs (e.g. a classify signature over non-string inputs) are left out and logged.
    """
    if not isinstance(receiver_tensors, dict):
        receiver_tensors = {SINGLE_RECEIVER_DEFAULT_NAME: receiver_tensors}
    if export_outputs is None or not isinstance(export_outputs, dict):
        raise ValueError("export_outputs must be a dict and not {}".format(type(export_outputs)))
    signature_def_map, excluded = {}, {}
    groups = [(None, receiver_tensors)]
    for receiver_name, tensors in (receiver_tensors_alternatives or {}).items():
        if not isinstance(tensors, dict):
            tensors = {SINGLE_RECEIVER_DEFAULT_NAME: tensors}
        groups.append((receiver_name or "None", tensors))
    for receiver_name, tensors in groups:
        for output_key, export_output in export_outputs.items():
            name = "{}".format(output_key or "None")
            if receiver_name is not None:
                name = "{}:{}".format(receiver_name, name)
            try:
                signature_def_map[name] = export_output.as_signature_def(tensors)
            except ValueError as e:
                excluded[name] = str(e)
    _log_signature_report(signature_def_map, excluded)
    if serving_only:
        signature_def_map = {k: v for k, v in signature_def_map.items()
                             if signature_def_utils.is_valid_signature(v)}
    return signature_def_map


_FRIENDLY_METHOD_NAMES = {
    signature_constants.CLASSIFY_METHOD_NAME: "Classify",
    signature_constants.REGRESS_METHOD_NAME: "Regress",
    signature_constants.PREDICT_METHOD_NAME: "Predict",
}


def _log_signature_report(signature_def_map, excluded_signatures):
    by_method = collections.defaultdict(list, {m: [] for m in _FRIENDLY_METHOD_NAMES})
    for name, sig in signature_def_map.items():
        by_method[sig.method_name].append(name)
    for method_name, names in by_method.items():
        logging.info("Signatures INCLUDED in export for {}: {}".format(
            _FRIENDLY_METHOD_NAMES.get(method_name, method_name), names or "None"))
    if excluded_signatures:
        logging.info("Signatures EXCLUDED from export because they cannot be be served via "
                     "TensorFlow Serving APIs:")
        for name, message in excluded_signatures.items():
            logging.info("'{}' : {}".format(name, message))
    if not signature_def_map:
        logging.warning("Export includes no signatures!")
    elif signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY not in signature_def_map:
        logging.warning("Export includes no default signature!")


# --- export directories ----------------------------------------------------------------------
def get_timestamped_export_dir(export_dir_base):
    """`<export_dir_base>/<seconds since epoch>` (bytes, as TF), not yet existing: waits a
    second and retries while that name is taken.

    Raises:
        RuntimeError: If no free name was found in 10 attempts.
    """
    export_dir_base = os.fsencode(export_dir_base)
    for attempt in range(1, MAX_DIRECTORY_CREATION_ATTEMPTS + 1):
        result_dir = os.path.join(export_dir_base, str(int(time.time())).encode())
        if not os.path.exists(result_dir):
            return result_dir
        time.sleep(1)
        logging.warning("Directory {} already exists; retrying (attempt {}/{})".format(
            os.fsdecode(result_dir), attempt, MAX_DIRECTORY_CREATION_ATTEMPTS))
    raise RuntimeError("Failed to obtain a unique export directory name after {} attempts."
                       .format(MAX_DIRECTORY_CREATION_ATTEMPTS))


def get_temp_export_dir(timestamped_export_dir):
    """The sibling `temp-<timestamp>` directory an export is written to before its rename."""
    dirname, basename = os.path.split(os.fsencode(timestamped_export_dir))
    return os.path.join(dirname, b"temp-" + basename)


# --- Estimator.export_saved_model --------------------------------------------------------------
def _restore_checkpoint_path(estimator, checkpoint_path):
    """The checkpoint to export: the given one, the newest, or the warm-start one."""
    from tensorflux.train import saver as saver_lib

    checkpoint_path = checkpoint_path or estimator.latest_checkpoint()
    if checkpoint_path:
        return checkpoint_path
    settings = estimator._warm_start_settings
    if settings:
        path = settings.ckpt_to_initialize_from
        return saver_lib.latest_checkpoint(path) if os.path.isdir(path) else path
    raise ValueError("Couldn't find trained model at {}.".format(estimator.model_dir))


def _default_local_init_op():
    """TF's default main op: the local variables' and the lookup tables' initializers."""
    from tensorflux.initializers import tables_initializer
    from tensorflux.ops import control_flow_ops
    from tensorflux.variables import local_variables_initializer

    return control_flow_ops.group(local_variables_initializer(), tables_initializer())


def _add_meta_graph_for_mode(estimator, builder, input_receiver_fn, checkpoint_path,
                             save_variables, mode):
    """Builds the `mode` graph on the receiver, restores the checkpoint, adds the meta graph."""
    from tensorflux.client.session import Session
    from tensorflux.train import saver as saver_lib

    with graph_lib.Graph().as_default() as g:
        estimator._create_and_assert_global_step(g)
        random_ops.set_random_seed(estimator.config.tf_random_seed)
        receiver = input_receiver_fn()
        spec = estimator._call_model_fn(features=receiver.features,
                                        labels=getattr(receiver, "labels", None),
                                        mode=mode, config=estimator.config)
        export_outputs = get_export_outputs(spec.export_outputs, spec.predictions)
        signature_def_map = build_all_signature_defs(
            receiver.receiver_tensors, export_outputs,
            getattr(receiver, "receiver_tensors_alternatives", None),
            serving_only=(mode == ModeKeys.PREDICT))
        with Session(config=estimator._session_config) as session:
            local_init_op = spec.scaffold.local_init_op
            if local_init_op is None:
                local_init_op = _default_local_init_op()
            graph_saver = spec.scaffold.saver or saver_lib.Saver(sharded=True)
            try:
                graph_saver.restore(session, checkpoint_path)
            except errors.NotFoundError as e:
                raise ValueError(
                    "Could not load all requested variables from checkpoint. Please make sure "
                    "your model_fn does not expect variables that were not saved in the "
                    "checkpoint.\n\nEncountered error with mode `{}` while restoring "
                    "checkpoint from: `{}`. Full Traceback:\n\n{}".format(
                        mode, checkpoint_path, e)) from e
            kwargs = dict(tags=EXPORT_TAG_MAP[mode], signature_def_map=signature_def_map,
                          assets_collection=graph_lib.get_collection(
                              GraphKeys.ASSET_FILEPATHS),
                          main_op=local_init_op, saver=graph_saver)
            if save_variables:
                builder.add_meta_graph_and_variables(session, **kwargs)
            else:
                builder.add_meta_graph(**kwargs)


def export_all_saved_models(estimator, export_dir_base, input_receiver_fn_map,
                            assets_extra=None, as_text=False, checkpoint_path=None):
    """Writes one SavedModel with a meta graph per mode of `input_receiver_fn_map`; returns
    its directory (bytes, as TF 1.15)."""
    for mode in input_receiver_fn_map:
        if mode != ModeKeys.PREDICT:
            raise NotImplementedError("tensorflux exports the PREDICT (serving) graph only; "
                                      "got mode {}.".format(mode))
    if not input_receiver_fn_map.get(ModeKeys.PREDICT):
        raise ValueError("No valid modes for exporting found. Got {}."
                         .format(list(input_receiver_fn_map.keys())))
    checkpoint_path = _restore_checkpoint_path(estimator, checkpoint_path)
    export_dir = get_timestamped_export_dir(export_dir_base)
    temp_export_dir = get_temp_export_dir(export_dir)
    builder = builder_lib.SavedModelBuilder(os.fsdecode(temp_export_dir))
    try:
        _add_meta_graph_for_mode(estimator, builder, input_receiver_fn_map[ModeKeys.PREDICT],
                                 checkpoint_path, True, ModeKeys.PREDICT)
        builder.save(as_text)
        for dest_relative, source in (assets_extra or {}).items():
            dest = os.path.join(os.fsdecode(temp_export_dir), "assets.extra", dest_relative)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(source, dest)
    except BaseException:
        shutil.rmtree(temp_export_dir, ignore_errors=True)  # leave no half-written export
        raise
    os.rename(temp_export_dir, export_dir)
    return export_dir

