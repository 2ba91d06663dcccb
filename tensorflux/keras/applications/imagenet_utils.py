"""Shared parts of `tf.keras.applications`: input-shape checks, `preprocess_input`,
`decode_predictions` and the lookup of Keras' pretrained weight files.

Pretrained files are looked for where Keras caches its downloads:
`$KERAS_HOME/models/<file>` (default `~/.keras/models/<file>`), under Keras' own file names.
When a file is absent, Keras' download is attempted; if that fails (no network), the error
names the URL and the path to copy the file to.
"""

import json
import os
import warnings

import numpy as np

from tensorflux.keras import activations, backend
from tensorflux.keras.engine import node as node_lib
from tensorflux.keras.engine.input_layer import Input, InputLayer

CLASS_INDEX = None
CLASS_INDEX_PATH = ("https://storage.googleapis.com/download.tensorflow.org/"
                    "data/imagenet_class_index.json")


# --- pretrained files --------------------------------------------------------------------------
def keras_cache_dir():
    """The folder Keras caches models in: `$KERAS_HOME/models` or `~/.keras/models`."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.join(home, "models")


def _download(url, dest, md5):
    from tensorflux.datasets import idx

    return idx.fetch(url, dest, md5=md5)


def get_file(fname, origin, file_hash=None):
    """The cached `models/<fname>`, downloaded from `origin` when absent.

    Raises:
        OSError: When the file is absent and cannot be downloaded; the message says where to
            put a copy.
    """
    path = os.path.join(keras_cache_dir(), fname)
    if os.path.isfile(path):
        return path
    try:
        return _download(origin, path, file_hash)
    except OSError as e:
        raise OSError("The pretrained file %s is not in the Keras cache and could not be "
                      "downloaded (%s). Download it from %s and copy it to %s (set KERAS_HOME "
                      "to use another folder than ~/.keras)." % (fname, e, origin, path)) from None


def check_weights_arg(weights, include_top, classes):
    """tf_keras' checks of `weights` and `classes`."""
    if not (weights in {"imagenet", None} or os.path.exists(str(weights))):
        raise ValueError("The `weights` argument should be either `None` (random "
                         "initialization), `imagenet` (pre-training on ImageNet), or the path "
                         "to the weights file to be loaded.  Received weights=%s" % (weights,))
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError('If using `weights` as `"imagenet"` with `include_top` as true, '
                         "`classes` should be 1000.  Received `classes=%s`" % (classes,))


def validate_activation(classifier_activation, weights):
    """Pretrained tops only take `None` or `"softmax"` as the classifier activation."""
    if weights is None:
        return
    fn = activations.get(classifier_activation)
    if fn not in (activations.get("softmax"), activations.get(None)):
        raise ValueError("Only `None` and `softmax` activations are allowed for the "
                         "`classifier_activation` argument when using pretrained weights, with "
                         "`include_top=True`; Received: classifier_activation=%s"
                         % (classifier_activation,))


# --- model inputs ------------------------------------------------------------------------------
def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten,
                       weights=None):
    """The model's input shape (tf_keras' rules: default size, 3 channels, minimum size)."""
    last = data_format != "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[-1] if last else input_shape[0]
        if channels not in {1, 3}:
            warnings.warn("This model usually expects 1 or 3 input channels. However, it was "
                          "passed an input_shape with %s input channels." % channels,
                          stacklevel=3)
        default_shape = ((default_size, default_size, channels) if last
                         else (channels, default_size, default_size))
    else:
        default_shape = (default_size, default_size, 3) if last else (3, default_size,
                                                                      default_size)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError("When setting `include_top=True` and loading `imagenet` weights, "
                             "`input_shape` should be %s.  Received: input_shape=%s"
                             % (default_shape, input_shape))
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[-1] if last else input_shape[0]
        spatial = input_shape[:2] if last else input_shape[1:]
        if channels != 3 and weights == "imagenet":
            raise ValueError("The input must have 3 channels; Received `input_shape=%s`"
                             % (input_shape,))
        if any(d is not None and d < min_size for d in spatial):
            raise ValueError("Input size must be at least %dx%d; Received: input_shape=%s"
                             % (min_size, min_size, input_shape))
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (None, None, 3) if last else (3, None, None)
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static `input_shape`. "
                         "Received: input_shape=%s" % (input_shape,))
    return input_shape


def is_keras_tensor(x):
    return node_lib.history(x) is not None


def model_input(input_tensor, input_shape):
    """The image input: a new `Input`, `input_tensor` itself when it is a Keras tensor, or an
    `Input` wrapping a plain tensor."""
    if input_tensor is None:
        return Input(shape=input_shape)
    if is_keras_tensor(input_tensor):
        return input_tensor
    return Input(tensor=input_tensor, shape=input_shape)


def source_inputs(tensor):
    """The `Input` tensors that `tensor` is computed from (Keras' `get_source_inputs`)."""
    found, seen, stack = [], set(), [tensor]
    while stack:
        t = stack.pop()
        record = node_lib.history(t)
        if record is None:
            continue
        node = record[0]
        if isinstance(node.layer, InputLayer):
            if id(t) not in seen:
                seen.add(id(t))
                found.append(t)
            continue
        stack.extend(reversed(node.inputs))
    return found


def correct_pad(inputs, kernel_size):
    """The zero padding that makes a strided 'valid' conv act like TF's 'same' one."""
    img_dim = 2 if backend.image_data_format() == "channels_first" else 1
    input_size = backend.int_shape(inputs)[img_dim:img_dim + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    if input_size[0] is None:
        adjust = (1, 1)
    else:
        adjust = (1 - input_size[0] % 2, 1 - input_size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def pool_top(x, pooling, layers, names=(None, None)):
    """Keras' `pooling='avg'|'max'` head for `include_top=False` models."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=names[0])(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=names[1])(x)
    return x


# --- preprocessing -----------------------------------------------------------------------------
_CAFFE_MEAN = [103.939, 116.779, 123.68]
_TORCH_MEAN, _TORCH_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def _preprocess_numpy_input(x, data_format, mode):
    # Float arrays are changed in place, as Keras does.
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(backend.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        if data_format == "channels_first":
            x = x[::-1, ...] if x.ndim == 3 else x[:, ::-1, ...]
        else:
            x = x[..., ::-1]
        mean, std = _CAFFE_MEAN, None
    for c in range(3):
        index = (c,) if data_format == "channels_first" and x.ndim == 3 else (
            (slice(None), c) if data_format == "channels_first" else (Ellipsis, c))
        x[index] -= mean[c]
        if std is not None:
            x[index] /= std[c]
    return x


def _preprocess_symbolic_input(x, data_format, mode):
    from tensorflux.ops import array_ops, math_ops, nn_ops

    if mode == "tf":
        return x / 127.5 - 1.0
    if mode == "torch":
        x = x / 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        if data_format == "channels_first":
            x = x[::-1, ...] if x.shape.ndims == 3 else x[:, ::-1, ...]
        else:
            x = x[..., ::-1]
        mean, std = _CAFFE_MEAN, None
    neg_mean = math_ops.cast(backend.constant(-np.array(mean)), x.dtype.base_dtype)
    fmt = "NCHW" if data_format == "channels_first" and x.shape.ndims == 4 else "NHWC"
    if data_format == "channels_first" and x.shape.ndims == 3:
        x = x + array_ops.reshape(neg_mean, (-1, 1, 1))
    else:
        x = nn_ops.bias_add(x, neg_mean, data_format=fmt)
    if std is not None:
        std_t = backend.constant(np.array(std), dtype=x.dtype.base_dtype)
        if data_format == "channels_first":
            std_t = array_ops.reshape(std_t, (-1, 1, 1))
        x = x / std_t
    return x


def preprocess_input(x, data_format=None, mode="caffe"):
    """Scales a batch of RGB images as a model's pretrained weights expect.

    Modes: "caffe" (RGB -> BGR, minus the ImageNet channel means, no scaling; ResNet50, VGG),
    "tf" (to [-1, 1]; MobileNet, Inception) and "torch" (to [0, 1], then ImageNet
    mean/std). Works on numpy arrays (float arrays change in place, as in Keras) and tensors.

    Example:
        >>> x = tf.keras.applications.resnet50.preprocess_input(images.astype("float32"))
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError("Expected mode to be one of `caffe`, `tf` or `torch`. "
                         "Received: mode=%s" % (mode,))
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError("Expected data_format to be one of `channels_first` or "
                         "`channels_last`. Received: data_format=%s" % (data_format,))
    if isinstance(x, np.ndarray):
        return _preprocess_numpy_input(x, data_format=data_format, mode=mode)
    return _preprocess_symbolic_input(x, data_format=data_format, mode=mode)


def decode_predictions(preds, top=5):
    """The `top` ImageNet classes per sample: `[(class_id, name, score), ...]`.

    Needs Keras' `imagenet_class_index.json` in the Keras cache (`~/.keras/models/`).

    Example:
        >>> tf.keras.applications.resnet50.decode_predictions(model.predict(x), top=3)[0]
        [('n02123045', 'tabby', 0.82), ...]
    """
    global CLASS_INDEX
    preds = np.asarray(preds)
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array "
                         "of shape (samples, 1000)). Found array with shape: "
                         + str(preds.shape))
    if CLASS_INDEX is None:
        path = get_file("imagenet_class_index.json", CLASS_INDEX_PATH,
                        file_hash="c2c37ea517e94d9795004a39431a14cb")
        with open(path) as f:
            CLASS_INDEX = json.load(f)
    results = []
    for pred in preds:
        top_indices = pred.argsort()[-top:][::-1]
        result = [tuple(CLASS_INDEX[str(i)]) + (pred[i],) for i in top_indices]
        result.sort(key=lambda r: r[2], reverse=True)
        results.append(result)
    return results


def load_model_weights(model, weights, fname, origin, file_hash=None):
    """Loads `weights` ("imagenet": Keras' cached `fname`; a path: that file) into `model`."""
    if weights == "imagenet":
        model.load_weights(get_file(fname, origin, file_hash))
    elif weights is not None:
        model.load_weights(weights)
    return model
