"""`tf.estimator.export.PredictOutput`, `ClassificationOutput`, `RegressionOutput`: what a
model serves, each turned into a SignatureDef over the serving input receiver's tensors.

A `model_fn` names them in `EstimatorSpec(export_outputs={key: output})`; each key becomes a
signature of the exported SavedModel (TF 1.15's `export_output.py`).
"""

from tensorflux.graph import dtypes
from tensorflux.graph.tensor import Tensor
from tensorflux.saved_model import signature_def_utils


class ExportOutput:
    """One servable output of a model; `as_signature_def(receiver_tensors)` makes its
    SignatureDef."""

    _SEPARATOR_CHAR = "/"

    def as_signature_def(self, receiver_tensors):
        raise NotImplementedError("ExportOutput subclasses implement as_signature_def.")

    def _check_output_key(self, key, error_label):
        if isinstance(key, tuple):  # a multi-head model's key
            key = self._SEPARATOR_CHAR.join(key)
        if not isinstance(key, str):
            raise ValueError("{} output key must be a string; got {}.".format(error_label, key))
        return key

    def _wrap_and_check_outputs(self, outputs, single_output_default_name, error_label=None):
        """`{key: Tensor}` from a tensor or a dict, with the keys and values checked."""
        if not isinstance(outputs, dict):
            outputs = {single_output_default_name: outputs}
        output_dict = {}
        for key, value in outputs.items():
            error_name = error_label or single_output_default_name
            key = self._check_output_key(key, error_name)
            if not isinstance(value, Tensor):
                raise ValueError("{} output value must be a Tensor; got {}."
                                 .format(error_name, value))
            output_dict[key] = value
        return output_dict


def _single_string_input(receiver_tensors, kind):
    """The one string tensor a classify or regress signature reads (serialized Examples)."""
    message = "{} input must be a single string Tensor; got {}".format(kind, receiver_tensors)
    if len(receiver_tensors) != 1:
        raise ValueError(message)
    (_, examples), = receiver_tensors.items()
    if examples.dtype.base_dtype != dtypes.string:
        raise ValueError(message)
    return examples


class ClassificationOutput(ExportOutput):
    """A classification head's output: float `scores` and/or string `classes`.

    Example:
        >>> tf.estimator.export.ClassificationOutput(scores=probabilities, classes=names)
    """

    def __init__(self, scores=None, classes=None):
        if scores is not None and not (isinstance(scores, Tensor)
                                       and scores.dtype.is_floating):
            raise ValueError("Classification scores must be a float32 Tensor; got {}"
                             .format(scores))
        if classes is not None and not (isinstance(classes, Tensor)
                                        and classes.dtype.base_dtype == dtypes.string):
            raise ValueError("Classification classes must be a string Tensor; got {}"
                             .format(classes))
        if scores is None and classes is None:
            raise ValueError("At least one of scores and classes must be set.")
        self._scores = scores
        self._classes = classes

    @property
    def scores(self):
        return self._scores

    @property
    def classes(self):
        return self._classes

    def as_signature_def(self, receiver_tensors):
        examples = _single_string_input(receiver_tensors, "Classification")
        return signature_def_utils.classification_signature_def(
            examples, self.classes, self.scores)


class RegressionOutput(ExportOutput):
    """A regression head's output: one float tensor of predicted values.

    Example:
        >>> tf.estimator.export.RegressionOutput(value=predictions)
    """

    def __init__(self, value):
        if not (isinstance(value, Tensor) and value.dtype.is_floating):
            raise ValueError("Regression output value must be a float32 Tensor; got {}"
                             .format(value))
        self._value = value

    @property
    def value(self):
        return self._value

    def as_signature_def(self, receiver_tensors):
        examples = _single_string_input(receiver_tensors, "Regression")
        return signature_def_utils.regression_signature_def(examples, self.value)


class PredictOutput(ExportOutput):
    """Any named outputs (a tensor, or a dict of them) served by the predict API.

    Example:
        >>> tf.estimator.export.PredictOutput({"classes": classes, "probs": probs})
    """

    _SINGLE_OUTPUT_DEFAULT_NAME = "output"

    def __init__(self, outputs):
        self._outputs = self._wrap_and_check_outputs(
            outputs, self._SINGLE_OUTPUT_DEFAULT_NAME, error_label="Prediction")

    @property
    def outputs(self):
        return self._outputs

    def as_signature_def(self, receiver_tensors):
        return signature_def_utils.predict_signature_def(receiver_tensors, self.outputs)
