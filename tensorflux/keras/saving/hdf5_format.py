"""Keras HDF5 files in tf_keras' layout: `save_weights` files and whole-model `save` files.

Weights: root attrs `layer_names`, `backend`, `keras_version`; one group per layer (in name
order) with attr `weight_names` and one dataset per weight at its variable name
(`dense/kernel:0` is group `dense`, dataset `kernel:0`), layer weights ordered trainable first;
and a `top_level_model_weights` group. A model file holds the same under `model_weights`, plus
root attrs `model_config` (JSON) and, when compiled, `training_config`.

Loading checks every count and shape before it assigns anything, so a mismatch raises
ValueError (tf_keras' messages) and leaves the model's weights as they were. h5py is optional
and imported only here.
"""

import contextlib
import json
import os
import tempfile
import zipfile

import numpy as np

from tensorflux.keras import backend

HDF5_OBJECT_HEADER_LIMIT = 64512  # bytes an HDF5 attribute may hold (as tf_keras chunks them)


def require_h5py(what):
    """The h5py module, or ImportError telling how to install it."""
    try:
        import h5py
    except ImportError:
        raise ImportError("%s in HDF5 format requires h5py, which is not installed: "
                          "`pip install h5py` (or `pip install tensorflux[keras]`)."
                          % what) from None
    return h5py


def is_hdf5_filepath(filepath):
    """tf_keras' test: the suffix is `.h5`, `.hdf5` or `.keras`."""
    return str(filepath).endswith((".h5", ".hdf5", ".keras"))


def _keras_version():
    from tensorflux import keras

    return keras.__version__


# --- attributes -------------------------------------------------------------------------------
def save_attributes(group, name, data):
    """Stores a list of byte strings as attr `name`, split in `name0`, `name1`… when large."""
    too_big = [x for x in data if len(x) > HDF5_OBJECT_HEADER_LIMIT]
    if too_big:
        raise RuntimeError("The following attributes cannot be saved to HDF5 file because "
                           "they are larger than %d bytes: %s"
                           % (HDF5_OBJECT_HEADER_LIMIT, too_big))
    array = np.asarray(data)
    chunks = 1
    while array.nbytes / chunks > HDF5_OBJECT_HEADER_LIMIT:
        chunks += 1
    if chunks == 1:
        group.attrs[name] = data
        return
    for i, part in enumerate(np.array_split(array, chunks)):
        group.attrs["%s%d" % (name, i)] = part


def load_attributes(group, name):
    """The list stored by `save_attributes`, decoded to str."""
    def decode(values):
        return [v.decode("utf8") if hasattr(v, "decode") else v for v in values]

    if name in group.attrs:
        return decode(group.attrs[name])
    data, i = [], 0
    while "%s%d" % (name, i) in group.attrs:
        data.extend(decode(group.attrs["%s%d" % (name, i)]))
        i += 1
    return data


# --- weights ----------------------------------------------------------------------------------
def legacy_weights(layer):
    """A layer's weights in HDF5 order: trainable, then non-trainable."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _top_level_weights(model):
    return list(model._trainable_weights) + list(model._non_trainable_weights)


def _write_subset(group, weights, values):
    save_attributes(group, "weight_names", [w.name.encode("utf8") for w in weights])
    for w in weights:
        value = values[id(w)]
        dataset = group.create_dataset(w.name, value.shape, dtype=value.dtype)
        dataset[()] = value


def save_weights_to_group(group, model):
    """Writes `model`'s weights into an open HDF5 group (the file root or `model_weights`)."""
    layers = model.layers
    every = [w for layer in layers for w in legacy_weights(layer)] + _top_level_weights(model)
    values = {id(w): v for w, v in zip(every, backend.batch_get_value(every))}
    save_attributes(group, "layer_names", [layer.name.encode("utf8") for layer in layers])
    group.attrs["backend"] = b"tensorflow"
    group.attrs["keras_version"] = _keras_version().encode("utf8")
    # Sorted by name so that group names grow strictly (HDF5 prefix issues), as tf_keras does.
    for layer in sorted(layers, key=lambda x: x.name):
        _write_subset(group.create_group(layer.name), legacy_weights(layer), values)
    _write_subset(group.create_group("top_level_model_weights"), _top_level_weights(model),
                  values)


def _read_subset(group):
    return [np.asarray(group[name]) for name in load_attributes(group, "weight_names")]


def _shape_error(k, layer_name, weight, value):
    return ValueError("Shape mismatch in layer #%d (named %s) for weight %s. Weight expects "
                      "shape %s. Received saved weight with shape %s"
                      % (k, layer_name, weight.name, backend.int_shape(weight), value.shape))


def load_weights_from_group(group, model):
    """Topological loading: the i-th layer with weights gets the i-th saved one.

    Raises:
        ValueError: the numbers of layers or weights, or a shape, differ (nothing is loaded).
    """
    layers = [layer for layer in model.layers if legacy_weights(layer)]
    names = [n for n in load_attributes(group, "layer_names")
             if load_attributes(group[n], "weight_names")]
    if len(names) != len(layers):
        raise ValueError("Layer count mismatch when loading weights from file. Model expected "
                         "%d layers, found %d saved layers." % (len(layers), len(names)))
    pairs = []
    for k, (name, layer) in enumerate(zip(names, layers)):
        weights, values = legacy_weights(layer), _read_subset(group[name])
        if len(values) != len(weights):
            raise ValueError("Weight count mismatch for layer #%d (named %s in the current "
                             "model, %s in the save file). Layer expects %d weight(s). Received "
                             "%d saved weight(s)" % (k, layer.name, name, len(weights),
                                                     len(values)))
        for w, v in zip(weights, values):
            if backend.int_shape(w) != v.shape:
                raise _shape_error(k, layer.name, w, v)
        pairs.extend(zip(weights, values))
    if "top_level_model_weights" in group:
        weights = _top_level_weights(model)
        values = _read_subset(group["top_level_model_weights"])
        if len(values) != len(weights):
            raise ValueError("Weight count mismatch for top-level weights when loading weights "
                             "from file. Model expects %d top-level weight(s). Received %d "
                             "saved top-level weight(s)" % (len(weights), len(values)))
        pairs.extend(zip(weights, values))
    backend.batch_set_value(pairs)


def load_weights_from_group_by_name(group, model, skip_mismatch=False):
    """Name-based loading: a saved layer's weights go to the model's layer of that name.

    Layers without a match are left alone. A count or shape mismatch raises ValueError
    (nothing is loaded) or, with `skip_mismatch`, is logged and skipped.
    """
    from tensorflux.platform import tf_logging as logging

    by_name = {}
    for layer in model.layers:
        by_name.setdefault(layer.name, []).append(layer)
    pairs = []
    for k, name in enumerate(load_attributes(group, "layer_names")):
        values = _read_subset(group[name])
        for layer in by_name.get(name, []):
            weights = legacy_weights(layer)
            if len(values) != len(weights):
                message = ("Weight count mismatch for layer #%d (named %s). Layer expects %d "
                           "weight(s). Received %d saved weight(s)"
                           % (k, layer.name, len(weights), len(values)))
                if not skip_mismatch:
                    raise ValueError(message)
                logging.warning("Skipping loading of weights: " + message)
                continue
            for w, v in zip(weights, values):
                if backend.int_shape(w) == v.shape:
                    pairs.append((w, v))
                elif skip_mismatch:
                    logging.warning("Skipping loading weights: %s" % _shape_error(k, name, w, v))
                else:
                    raise _shape_error(k, layer.name, w, v)
    backend.batch_set_value(pairs)


@contextlib.contextmanager
def _new_file(h5py, filepath):
    """An HDF5 file open for writing that replaces `filepath` only once it is complete: a
    failure while writing leaves an existing file as it was."""
    filepath = str(filepath)
    directory = os.path.dirname(filepath)
    if directory:
        os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(filepath) + ".", suffix=".tmp",
                               dir=directory or ".")
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            yield f
        os.replace(tmp, filepath)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def save_weights(model, filepath):
    """`model.save_weights(filepath)` in HDF5."""
    h5py = require_h5py("`save_weights`")
    with _new_file(h5py, filepath) as f:
        save_weights_to_group(f, model)


def load_weights(model, filepath, by_name=False, skip_mismatch=False):
    """`model.load_weights(filepath)` from an HDF5 weights file or a whole-model file."""
    h5py = require_h5py("`load_weights`")
    with h5py.File(filepath, "r") as f:
        group = f
        if "layer_names" not in f.attrs and "model_weights" in f:
            group = f["model_weights"]
        if by_name:
            load_weights_from_group_by_name(group, model, skip_mismatch)
        else:
            load_weights_from_group(group, model)


# --- whole models -------------------------------------------------------------------------------
def _training_config(model):
    """tf_keras' `training_config`, or None when the model is not compiled (or a TFOptimizer):
    `{"loss", "metrics", "loss_weights", "sample_weight_mode", "weighted_metrics",
    "optimizer_config"}`, Loss and Metric objects as `{"class_name", "config"}`."""
    from tensorflux.keras import optimizers

    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or isinstance(optimizer, optimizers.TFOptimizer):
        return None
    compiled = model._compile_config
    return {"loss": _serialize_loss(model.loss),
            "metrics": _serialize_metrics(compiled["metrics"]),
            "loss_weights": compiled["loss_weights"],
            "sample_weight_mode": compiled["sample_weight_mode"],
            "weighted_metrics": _serialize_metrics(compiled["weighted_metrics"]),
            "optimizer_config": optimizers.serialize(optimizer)}


def _serialize_loss(loss):
    from tensorflux.keras import losses

    if isinstance(loss, dict):
        return {k: _serialize_loss(v) for k, v in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [_serialize_loss(v) for v in loss]
    if loss is None or isinstance(loss, str):
        return loss
    config = losses.serialize(loss)
    if isinstance(loss, losses.LossFunctionWrapper) and isinstance(config, dict):
        # tf_keras' LossFunctionWrapper config also names the wrapped function (by its public
        # name: tensorflux's `_binary_crossentropy_v2` is tf_keras' `binary_crossentropy`).
        fn = getattr(loss.fn, "__name__", None)
        if fn is not None:
            fn = fn.lstrip("_")
            fn = fn[:-3] if fn.endswith("_v2") else fn
        config["config"] = dict(config["config"], fn=fn)
    return config


def _serialize_metrics(spec):
    """Metric identifiers (per output in a list or dict) as tf_keras saves them."""
    from tensorflux.keras import metrics

    if spec is None or isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        return {k: _serialize_metrics(v) for k, v in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [_serialize_metrics(v) for v in spec]
    if isinstance(spec, type) and issubclass(spec, metrics.Metric):
        return {"class_name": spec.__name__, "config": {}}   # its defaults
    return metrics.serialize(spec)


def _json_bytes(value):
    return json.dumps(value, default=_json_default).encode("utf8")


def _json_default(value):
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError("Not JSON serializable: %r" % (value,))


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """`model.save(filepath)` in HDF5: config, training config and weights.

    Everything is computed before the file is opened, so an unsupported layer (a Lambda) raises
    without touching an existing file. Optimizer slots are not saved (see the module notes).
    """
    from tensorflux.keras.saving import model_config

    h5py = require_h5py("`model.save`")
    attrs = {"backend": "tensorflow", "keras_version": _keras_version(),
             "model_config": _json_bytes(model_config.model_to_config(model, legacy=True))}
    training = _training_config(model)
    if training is not None:
        attrs["training_config"] = _json_bytes(training)
    if not overwrite and os.path.isfile(str(filepath)):
        answer = input("[WARNING] %s already exists - overwrite? [y/n]" % filepath)
        if answer.strip().lower() != "y":
            return
    with _new_file(h5py, filepath) as f:
        for key, value in attrs.items():
            f.attrs[key] = value
        save_weights_to_group(f.create_group("model_weights"), model)


def _decoded(value):
    return value.decode("utf8") if hasattr(value, "decode") else value


def load_model(filepath, custom_objects=None, compile=True):  # noqa: A002 - Keras' keyword
    """The model saved by `save_model` (or tf_keras' `model.save(...h5)`), with its weights,
    compiled again from its training config when `compile` and the file has one."""
    from tensorflux.keras import optimizers
    from tensorflux.keras.saving import model_config
    from tensorflux.platform import tf_logging as logging

    if str(filepath).endswith(".keras") and zipfile.is_zipfile(filepath):
        raise NotImplementedError("%s is in the Keras v3 (.keras zip) format, which tensorflux "
                                  "does not read; save it with save_format='h5'." % filepath)
    h5py = require_h5py("`load_model`")
    with h5py.File(filepath, "r") as f:
        config = f.attrs.get("model_config")
        if config is None:
            raise ValueError("No model config found in the file at %s." % filepath)
        model = model_config.model_from_config(json.loads(_decoded(config)), custom_objects)
        load_weights_from_group(f["model_weights"], model)
        training = f.attrs.get("training_config")
        has_optimizer_weights = "optimizer_weights" in f
    if not compile:
        return model
    if training is None:
        logging.warning("No training configuration found in the save file, so the model was "
                        "*not* compiled. Compile it manually.")
        return model
    training = json.loads(_decoded(training))
    model.compile(optimizer=optimizers.deserialize(training["optimizer_config"],
                                                   custom_objects),
                  loss=_deserialize_loss(training["loss"], custom_objects),
                  metrics=_deserialize_metrics(training.get("metrics"), custom_objects),
                  loss_weights=training.get("loss_weights"),
                  sample_weight_mode=training.get("sample_weight_mode"),
                  weighted_metrics=_deserialize_metrics(training.get("weighted_metrics"),
                                                        custom_objects))
    if has_optimizer_weights:
        logging.warning("The file's optimizer state is not restored by tensorflux; the model "
                        "starts with a freshly initialized optimizer.")
    return model


def _deserialize_loss(loss, custom_objects):
    """Loss names stay names (compile resolves them); `{"class_name", "config"}` dicts become
    Loss objects with their settings; per-output lists and dicts are walked."""
    from tensorflux.keras import losses

    if isinstance(loss, dict) and "class_name" not in loss:
        return {k: _deserialize_loss(v, custom_objects) for k, v in loss.items()}
    if isinstance(loss, list):
        return [_deserialize_loss(v, custom_objects) for v in loss]
    if isinstance(loss, dict):
        return losses.deserialize(loss, custom_objects)
    return (custom_objects or {}).get(loss, loss)


def _deserialize_metrics(spec, custom_objects):
    """Saved metric identifiers back to what `compile` takes (dicts become Metric objects)."""
    from tensorflux.keras import metrics

    if spec is None:
        return None
    if isinstance(spec, dict) and "class_name" not in spec:
        return {k: _deserialize_metrics(v, custom_objects) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_deserialize_metrics(v, custom_objects) for v in spec]
    if isinstance(spec, dict):
        metric = metrics.deserialize(spec, custom_objects)
        metric._from_serialized = True   # its saved name is final (output prefix included)
        return metric
    return (custom_objects or {}).get(spec, spec)
