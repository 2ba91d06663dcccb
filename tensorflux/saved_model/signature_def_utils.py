"""`tf.saved_model.signature_def_utils`: building and checking `SignatureDef`s.

A SignatureDef maps the logical names of a model's inputs and outputs to graph tensors
(`TensorInfo`s) and says which serving API (predict, classify, regress) it implements.
"""

from tensorflux.graph import dtypes, graph_protos
from tensorflux.saved_model import signature_constants as sc
from tensorflux.saved_model import utils


def build_signature_def(inputs=None, outputs=None, method_name=None, defaults=None):
    """A `SignatureDef` from `{key: TensorInfo}` maps and a method name.

    Example:
        >>> info = tf.saved_model.utils.build_tensor_info
        >>> sig = tf.saved_model.signature_def_utils.build_signature_def(
        ...     {"x": info(x)}, {"y": info(y)}, tf.saved_model.signature_constants.
        ...     PREDICT_METHOD_NAME)
    """
    sig = graph_protos.SignatureDef()
    for key, info in (inputs or {}).items():
        sig.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        sig.outputs[key].CopyFrom(info)
    if method_name is not None:
        sig.method_name = method_name
    if defaults:
        raise NotImplementedError("SignatureDef defaults are not supported by tensorflux.")
    return sig


def _check_tensor(tensor, what, allowed, kind):
    if tensor is None:
        raise ValueError("%s cannot be None." % what)
    if not hasattr(tensor, "dtype"):
        raise ValueError("Expected %s to be of type Tensor. Found: %s" % (what, type(tensor)))
    if tensor.dtype.base_dtype not in allowed:
        raise ValueError("%s must be of type %s. Found: %s" % (what, kind, tensor.dtype))


def regression_signature_def(examples, predictions):
    """A regress signature: string `examples` in, float `predictions` out.

    Example:
        >>> sig = tf.saved_model.signature_def_utils.regression_signature_def(ex, pred)
    """
    _check_tensor(examples, "Regression `examples`", (dtypes.string,), "string")
    _check_tensor(predictions, "Regression `predictions`", (dtypes.float32,), "float")
    return build_signature_def(
        {sc.REGRESS_INPUTS: utils.build_tensor_info(examples)},
        {sc.REGRESS_OUTPUTS: utils.build_tensor_info(predictions)}, sc.REGRESS_METHOD_NAME)


def classification_signature_def(examples, classes, scores):
    """A classify signature: string `examples` in; string `classes` and/or float `scores` out.

    Example:
        >>> sig = tf.saved_model.signature_def_utils.classification_signature_def(
        ...     examples, None, probs)
    """
    _check_tensor(examples, "Classification `examples`", (dtypes.string,), "string")
    if classes is None and scores is None:
        raise ValueError("Classification `classes` and `scores` cannot both be None.")
    outputs = {}
    if classes is not None:
        _check_tensor(classes, "Classification classes", (dtypes.string,), "string")
        outputs[sc.CLASSIFY_OUTPUT_CLASSES] = utils.build_tensor_info(classes)
    if scores is not None:
        _check_tensor(scores, "Classification scores", (dtypes.float32,), "float")
        outputs[sc.CLASSIFY_OUTPUT_SCORES] = utils.build_tensor_info(scores)
    return build_signature_def({sc.CLASSIFY_INPUTS: utils.build_tensor_info(examples)},
                               outputs, sc.CLASSIFY_METHOD_NAME)


def predict_signature_def(inputs, outputs):
    """A predict signature from `{key: Tensor}` maps of inputs and outputs.

    Example:
        >>> sig = tf.saved_model.signature_def_utils.predict_signature_def(
        ...     {"x": x}, {"probs": probs})
    """
    if not inputs:
        raise ValueError("Prediction `inputs` cannot be None or empty.")
    if not outputs:
        raise ValueError("Prediction `outputs` cannot be None or empty.")
    return build_signature_def({k: utils.build_tensor_info(t) for k, t in inputs.items()},
                               {k: utils.build_tensor_info(t) for k, t in outputs.items()},
                               sc.PREDICT_METHOD_NAME)


def op_signature_def(op, key):
    """A signature whose one output names `op` (TF's init/train op signatures)."""
    return build_signature_def(outputs={key: utils.build_tensor_info_from_op(op)})


def load_op_from_signature_def(signature_def, key, import_scope=None):
    """The operation or tensor that `op_signature_def` stored under `key`."""
    if key not in signature_def.outputs:
        from tensorflux import errors

        raise errors.NotFoundError(None, None, "The key %s could not be found in signature "
                                   "def %s." % (key, signature_def))
    return utils.get_element_from_tensor_info(signature_def.outputs[key],
                                              import_scope=import_scope)


def _is_string(info):
    return info.dtype == dtypes.string.as_datatype_enum


def _is_float(info):
    return info.dtype == dtypes.float32.as_datatype_enum


def _valid_predict(sig):
    return sig.method_name == sc.PREDICT_METHOD_NAME and bool(sig.inputs) and bool(sig.outputs)


def _valid_regression(sig):
    if sig.method_name != sc.REGRESS_METHOD_NAME:
        return False
    if set(sig.inputs) != {sc.REGRESS_INPUTS} or set(sig.outputs) != {sc.REGRESS_OUTPUTS}:
        return False
    return _is_string(sig.inputs[sc.REGRESS_INPUTS]) and \
        _is_float(sig.outputs[sc.REGRESS_OUTPUTS])


def _valid_classification(sig):
    if sig.method_name != sc.CLASSIFY_METHOD_NAME:
        return False
    if set(sig.inputs) != {sc.CLASSIFY_INPUTS} or not sig.outputs:
        return False
    if not _is_string(sig.inputs[sc.CLASSIFY_INPUTS]):
        return False
    for key, info in sig.outputs.items():
        if key == sc.CLASSIFY_OUTPUT_CLASSES and not _is_string(info):
            return False
        if key == sc.CLASSIFY_OUTPUT_SCORES and not _is_float(info):
            return False
        if key not in (sc.CLASSIFY_OUTPUT_CLASSES, sc.CLASSIFY_OUTPUT_SCORES):
            return False
    return True


def is_valid_signature(signature_def):
    """True if `signature_def` is a well-formed predict, classify or regress signature.

    Example:
        >>> tf.saved_model.signature_def_utils.is_valid_signature(sig)
        True
    """
    if signature_def is None:
        return False
    return (_valid_classification(signature_def) or _valid_regression(signature_def)
            or _valid_predict(signature_def))
