"""ctypes declarations of the part of oneDNN's C API (version 3.x, `dnnl.h`) that tensorflux uses.

Every prototype below is copied from `oneapi/dnnl/dnnl.h` of oneDNN 3.2 (the `onednn-cpu-gomp`
wheel); the enum values from `dnnl_types.h` / `dnnl_common_types.h` of the same version. A
mismatched prototype would corrupt the stack instead of raising, so each function's argument
types are declared, never left to ctypes' guesses. The library is found, in this order, at
`$TENSORFLUX_ONEDNN_LIBRARY`, in the `lib/` folder of the running environment (where the wheel
puts it), of the user base and of the base interpreter, then by the system's loader.
"""

import ctypes
import ctypes.util
import os
import site
import sys

# --- enum values (oneDNN 3.x) ------------------------------------------------------------------
SUCCESS = 0
STATUS_NAMES = {1: "out of memory", 2: "invalid arguments", 3: "unimplemented",
                5: "runtime error", 6: "not required"}
F32 = 3
DATA_TYPE_UNDEF = 0
FORMAT_ANY = 1
CPU = 1
STREAM_DEFAULT = 1

FORWARD_TRAINING = 64
FORWARD_INFERENCE = 96
BACKWARD = 128
BACKWARD_DATA = 160
BACKWARD_WEIGHTS = 192

CONVOLUTION_DIRECT = 1
ELTWISE_RELU = 32
ELTWISE_CLIP_V2 = 47  # clip to [alpha, beta]: Relu6 with (0, 6)
POOLING_MAX = 511
POOLING_AVG_INCLUDE_PADDING = 767
POOLING_AVG_EXCLUDE_PADDING = 1023

QUERY_IMPL_INFO_STR = 8
QUERY_EXEC_ARG_MD = 255  # with an argument id as index: that argument's memory descriptor

USE_GLOBAL_STATS = 1  # batch normalization flags
USE_SCALE = 2
USE_SHIFT = 4
FUSE_NORM_RELU = 8

ARG_SRC = 1
ARG_DST = 17
ARG_WEIGHTS = 33
ARG_BIAS = 41
ARG_WORKSPACE = 64
ARG_DIFF_SRC = 129
ARG_DIFF_DST = 145
ARG_DIFF_WEIGHTS = 161
ARG_DIFF_BIAS = 169
ARG_MEAN = 49
ARG_VARIANCE = 50
ARG_SCALE = 51
ARG_SHIFT = 52
ARG_DIFF_SCALE = 255
ARG_DIFF_SHIFT = 256

MAX_NDIMS = 12
Dims = ctypes.c_int64 * MAX_NDIMS

_p = ctypes.c_void_p
_pp = ctypes.POINTER(ctypes.c_void_p)
_i = ctypes.c_int
_f = ctypes.c_float


class ExecArg(ctypes.Structure):
    """`dnnl_exec_arg_t`: {int arg; dnnl_memory_t memory;}."""

    _fields_ = [("arg", ctypes.c_int), ("memory", ctypes.c_void_p)]


class Version(ctypes.Structure):
    """`dnnl_version_t`."""

    _fields_ = [("major", ctypes.c_int), ("minor", ctypes.c_int), ("patch", ctypes.c_int),
                ("hash", ctypes.c_char_p), ("cpu_runtime", ctypes.c_uint),
                ("gpu_runtime", ctypes.c_uint)]


# name -> (restype, argtypes); dnnl_status_t is an int.
PROTOTYPES = {
    "dnnl_version": (ctypes.POINTER(Version), []),
    "dnnl_engine_create": (_i, [_pp, _i, ctypes.c_size_t]),
    "dnnl_stream_create": (_i, [_pp, _p, ctypes.c_uint]),
    "dnnl_stream_wait": (_i, [_p]),
    "dnnl_memory_desc_create_with_strides": (_i, [_pp, _i, Dims, _i, Dims]),
    "dnnl_memory_desc_create_with_tag": (_i, [_pp, _i, Dims, _i, _i]),
    "dnnl_memory_desc_destroy": (_i, [_p]),
    "dnnl_memory_desc_equal": (_i, [_p, _p]),
    "dnnl_memory_desc_get_size": (ctypes.c_size_t, [_p]),
    "dnnl_memory_create": (_i, [_pp, _p, _p, _p]),
    "dnnl_memory_set_data_handle": (_i, [_p, _p]),
    "dnnl_memory_destroy": (_i, [_p]),
    "dnnl_primitive_attr_create": (_i, [_pp]),
    "dnnl_primitive_attr_destroy": (_i, [_p]),
    "dnnl_primitive_attr_set_post_ops": (_i, [_p, _p]),
    "dnnl_post_ops_create": (_i, [_pp]),
    "dnnl_post_ops_destroy": (_i, [_p]),
    "dnnl_post_ops_append_eltwise": (_i, [_p, _i, _f, _f]),
    # (post_ops, scale, zero_point, data_type)
    "dnnl_post_ops_append_sum": (_i, [_p, _f, ctypes.c_int32, _i]),
    "dnnl_primitive_desc_query_md": (_p, [_p, _i, _i]),
    "dnnl_primitive_desc_query": (_i, [_p, _i, _i, _p]),
    "dnnl_primitive_desc_destroy": (_i, [_p]),
    "dnnl_primitive_create": (_i, [_pp, _p]),
    "dnnl_primitive_execute": (_i, [_p, _p, _i, ctypes.POINTER(ExecArg)]),
    "dnnl_primitive_destroy": (_i, [_p]),
    "dnnl_reorder_primitive_desc_create": (_i, [_pp, _p, _p, _p, _p, _p]),
    # (pd*, engine, prop_kind, alg_kind, src, weights, bias, dst, strides, dilates,
    #  padding_l, padding_r, attr)
    "dnnl_convolution_forward_primitive_desc_create": (
        _i, [_pp, _p, _i, _i, _p, _p, _p, _p, Dims, Dims, Dims, Dims, _p]),
    # (pd*, engine, alg_kind, diff_src, weights, diff_dst, strides, dilates, padding_l,
    #  padding_r, hint_fwd_pd, attr)
    "dnnl_convolution_backward_data_primitive_desc_create": (
        _i, [_pp, _p, _i, _p, _p, _p, Dims, Dims, Dims, Dims, _p, _p]),
    # (pd*, engine, alg_kind, src, diff_weights, diff_bias, diff_dst, strides, dilates,
    #  padding_l, padding_r, hint_fwd_pd, attr)
    "dnnl_convolution_backward_weights_primitive_desc_create": (
        _i, [_pp, _p, _i, _p, _p, _p, _p, Dims, Dims, Dims, Dims, _p, _p]),
    # (pd*, engine, prop_kind, alg_kind, src, dst, strides, kernel, dilation, padding_l,
    #  padding_r, attr)
    "dnnl_pooling_forward_primitive_desc_create": (
        _i, [_pp, _p, _i, _i, _p, _p, Dims, Dims, Dims, Dims, Dims, _p]),
    # (pd*, engine, alg_kind, diff_src, diff_dst, strides, kernel, dilation, padding_l,
    #  padding_r, hint_fwd_pd, attr)
    "dnnl_pooling_backward_primitive_desc_create": (
        _i, [_pp, _p, _i, _p, _p, Dims, Dims, Dims, Dims, Dims, _p, _p]),
    # (pd*, engine, prop_kind, alg_kind, src, dst, alpha, beta, attr)
    "dnnl_eltwise_forward_primitive_desc_create": (_i, [_pp, _p, _i, _i, _p, _p, _f, _f, _p]),
    # (pd*, engine, alg_kind, diff_src, diff_dst, data, alpha, beta, hint_fwd_pd, attr)
    "dnnl_eltwise_backward_primitive_desc_create": (
        _i, [_pp, _p, _i, _p, _p, _p, _f, _f, _p, _p]),
    # (pd*, engine, prop_kind, src, dst, epsilon, flags, attr)
    "dnnl_batch_normalization_forward_primitive_desc_create": (
        _i, [_pp, _p, _i, _p, _p, _f, ctypes.c_uint, _p]),
    # (pd*, engine, prop_kind, diff_src, diff_dst, src, epsilon, flags, hint_fwd_pd, attr)
    "dnnl_batch_normalization_backward_primitive_desc_create": (
        _i, [_pp, _p, _i, _p, _p, _p, _f, ctypes.c_uint, _p, _p]),
    # (pd*, engine, src, weights, bias, dst, attr)
    "dnnl_matmul_primitive_desc_create": (_i, [_pp, _p, _p, _p, _p, _p, _p]),
}


def candidate_paths():
    """Where libdnnl is looked for, in order."""
    env = os.environ.get("TENSORFLUX_ONEDNN_LIBRARY")
    paths = [env] if env else []
    prefixes = [sys.prefix, sys.exec_prefix]
    try:
        prefixes.append(site.getuserbase())
    except Exception:  # noqa: BLE001 - a broken site module only loses one candidate
        pass
    prefixes.append(sys.base_prefix)
    for prefix in dict.fromkeys(prefixes):
        for name in ("libdnnl.so.3", "libdnnl.3.dylib", "dnnl.dll"):
            paths.append(os.path.join(prefix, "lib", name))
    found = ctypes.util.find_library("dnnl")
    if found:
        paths.append(found)
    return paths


class Library:
    """The loaded libdnnl with checked prototypes: `lib.fn(...)`, `lib.check(status, what)`."""

    def __init__(self, path):
        self.path = path
        self._dll = ctypes.CDLL(path)
        for name, (res, args) in PROTOTYPES.items():
            fn = getattr(self._dll, name)
            fn.restype = res
            fn.argtypes = args
            setattr(self, name[len("dnnl_"):], fn)
        v = self.version().contents
        self.version_info = (v.major, v.minor, v.patch)
        if v.major != 3:
            raise OSError("oneDNN %d.%d.%d found at %s; tensorflux needs oneDNN 3.x"
                          % (v.major, v.minor, v.patch, path))

    @staticmethod
    def check(status, what):
        if status != SUCCESS:
            raise DnnlError(status, what)


class DnnlError(RuntimeError):
    """A oneDNN call returned a failure status (`unimplemented` for unsupported shapes)."""

    def __init__(self, status, what):
        super().__init__("oneDNN %s failed: %s (status %d)"
                         % (what, STATUS_NAMES.get(status, "error"), status))
        self.status = status


def load():
    """The first libdnnl that loads, as a `Library`; raises OSError listing what was tried."""
    errors = []
    for path in candidate_paths():
        if os.sep in path and not os.path.exists(path):
            continue
        try:
            return Library(path)
        except (OSError, AttributeError) as e:
            errors.append("%s: %s" % (path, e))
    raise OSError("oneDNN (libdnnl.so.3) not found; install tensorflux[fast] "
                  "(the onednn-cpu-gomp wheel)" + ("; tried " + "; ".join(errors) if errors
                                                   else ""))
