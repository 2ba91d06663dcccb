"""Cached oneDNN primitives that read and write numpy arrays in place of their memory.

A `Primitive` is created once per (operation, shapes, strides, attributes) key and kept in a
bounded LRU cache. Each of its arguments is described to oneDNN with the numpy array's own
shape and strides (any plain layout: NHWC, NCHW, a transposed view), so no copy is made on the
way in or out; an argument that oneDNN wants in another layout (its blocked weight formats,
chosen with the `any` format) gets a reorder primitive and a scratch buffer of its own.
A primitive's memory objects get their data handles per call, so one primitive runs on one
thread at a time (its own lock). Two threads may run different primitives at once (oneDNN's
scratchpad is per thread; each thread has its own stream): a thread inside `one_core()` gets
primitives made for, and run on, its one core only, cached apart from the others, so that two
independent operations can share the cores instead of each using all of them
(passes/concurrency.py pairs them).
"""

import collections
import ctypes
import os
import threading
import weakref

import numpy as np

from tensorflux.backends.onednn import _capi as C

_LOCK = threading.RLock()  # guards the primitive cache
_CACHE_SIZE = 1024
_LANE = threading.local()  # .core: set inside one_core()
# GNU OpenMP cannot run in a child forked after the parent started its threads (the child waits
# forever for threads it does not have): such a child gets DnnlError, so kernels use numpy.
_FORK = {"used": False, "child": False}


def _after_fork_in_child():
    if _FORK["used"]:
        _FORK["child"] = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def check_usable():
    """Raises DnnlError in a forked child whose parent ran oneDNN primitives."""
    if _FORK["child"]:
        raise C.DnnlError(5, "use in a process forked after oneDNN's OpenMP threads started")


def _gomp():
    """libgomp's `omp_set_num_threads` and `omp_get_max_threads`, or None."""
    if "gomp" not in _GOMP:
        from tensorflux.backends import onednn

        # oneDNN first: loading it loads libgomp with the idle policy it sets (sleeping, not
        # spinning, threads); loading libgomp here first would keep its spinning default
        if onednn.library() is None:
            _GOMP["gomp"] = None
            return None
        try:
            lib = ctypes.CDLL("libgomp.so.1")
            lib.omp_set_num_threads.argtypes = [ctypes.c_int]
            lib.omp_get_max_threads.restype = ctypes.c_int
            _GOMP["gomp"] = lib
        except (OSError, AttributeError):
            _GOMP["gomp"] = None
    return _GOMP["gomp"]


_GOMP = {}


def one_core_available():
    """Whether `one_core()` can limit oneDNN to one thread here (GNU OpenMP found)."""
    return _gomp() is not None


class one_core:  # noqa: N801 - used as a context manager, like a function
    """Within: this thread's oneDNN primitives run on one core (and the numpy-side fast paths
    use one thread), with primitives of their own. Nests; no effect without GNU OpenMP."""

    def __enter__(self):
        gomp = _gomp()
        self.outer = getattr(_LANE, "core", None)
        if gomp is not None and self.outer is None:
            self.threads = gomp.omp_get_max_threads()
            gomp.omp_set_num_threads(1)
            _LANE.core = threading.get_ident()
        return self

    def __exit__(self, *exc):
        if self.outer is None and getattr(_LANE, "core", None) is not None:
            _gomp().omp_set_num_threads(self.threads)
            _LANE.core = None
        return False


def on_one_core():
    """True inside `one_core()`."""
    return getattr(_LANE, "core", None) is not None


class Runtime:
    """The loaded library, one CPU engine, and a stream per thread."""

    def __init__(self, lib):
        self.lib = lib
        self.engine = ctypes.c_void_p()
        lib.check(lib.engine_create(ctypes.byref(self.engine), C.CPU, 0), "engine_create")
        self._streams = threading.local()
        self.cache = collections.OrderedDict()

    @property
    def stream(self):
        """This thread's stream (oneDNN streams are not shared between threads)."""
        s = getattr(self._streams, "s", None)
        if s is None:
            s = ctypes.c_void_p()
            self.lib.check(self.lib.stream_create(ctypes.byref(s), self.engine,
                                                  C.STREAM_DEFAULT), "stream_create")
            self._streams.s = s
        return s

    def cached(self, key, make):
        """The primitive cached under `key`, made by `make()` on a miss (LRU-bounded). Inside
        `one_core()` the key names the thread: its primitives are its own."""
        check_usable()
        core = getattr(_LANE, "core", None)
        if core is not None:
            key = key + (("one core", core),)
        with _LOCK:
            prim = self.cache.get(key)
            if prim is None:
                prim = make()
                self.cache[key] = prim
                if len(self.cache) > _CACHE_SIZE:
                    self.cache.popitem(last=False)
            else:
                self.cache.move_to_end(key)
            return prim


def dims(values):
    d = C.Dims()
    for i, v in enumerate(values):
        d[i] = int(v)
    return d


class Md:
    """An owned `dnnl_memory_desc_t` (destroyed with this object)."""

    __slots__ = ("lib", "h")

    def __init__(self, lib, handle):
        self.lib = lib
        self.h = handle

    def __del__(self):
        if self.h:
            self.lib.memory_desc_destroy(self.h)
            self.h = None


def strided_md(rt, shape, strides):
    """A plain f32 memory descriptor: logical `shape`, `strides` in elements."""
    h = ctypes.c_void_p()
    rt.lib.check(rt.lib.memory_desc_create_with_strides(
        ctypes.byref(h), len(shape), dims(shape), C.F32, dims(strides)), "memory_desc_create")
    return Md(rt.lib, h)


def any_md(rt, shape):
    """An f32 memory descriptor whose layout the primitive chooses."""
    h = ctypes.c_void_p()
    rt.lib.check(rt.lib.memory_desc_create_with_tag(
        ctypes.byref(h), len(shape), dims(shape), C.F32, C.FORMAT_ANY), "memory_desc_create")
    return Md(rt.lib, h)


def contiguous_strides(shape):
    """Element strides of a C-contiguous array of `shape`."""
    out = []
    acc = 1
    for d in reversed(shape):
        out.append(acc)
        acc *= max(int(d), 1)
    return tuple(reversed(out))


def elem_strides(a):
    """Strides of `a` in elements (callers make sure they are positive multiples). A
    C-contiguous array gets its canonical strides: numpy lets a dimension of size 1 carry any
    stride (a channels-last view of a one-channel NCHW tensor has a channel stride of H*W),
    and oneDNN recognises its fast formats only by the canonical ones."""
    if a.flags.c_contiguous:
        return contiguous_strides(a.shape)
    return tuple(s // a.itemsize for s in a.strides)


def usable(a):
    """True if oneDNN can read `a` where it lies: float32, aligned, positive element strides."""
    return (a.dtype == np.float32 and a.flags.aligned and a.size > 0 and
            all(s > 0 and s % 4 == 0 for s in a.strides))


def as_usable(a):
    """`a`, or a contiguous float32 copy of it when oneDNN could not read it in place."""
    if usable(a):
        return a
    return np.ascontiguousarray(a, dtype=np.float32)


class _Arg:
    """One argument: the memory the primitive reads/writes, plus an optional reorder."""

    __slots__ = ("arg", "mem", "reorder", "inner", "nbytes", "is_output")

    def __init__(self, arg, mem, is_output, reorder=None, inner=None, nbytes=0):
        self.arg = arg
        self.mem = mem
        self.is_output = is_output
        self.reorder = reorder  # (primitive, user memory) or None
        self.inner = inner
        self.nbytes = nbytes


class Primitive:
    """A oneDNN primitive over numpy buffers: `prim(buf, buf, ...)` in `order`.

    `pd` is a created primitive descriptor (owned from here on); `args` lists, in call order,
    `(arg id, user Md or None, is_output)`. A user Md that differs from the layout the
    primitive wants for that argument gets a reorder; None means "use the primitive's layout"
    (workspaces). Arguments passed as None at call time are allocated (outputs only).
    """

    def __init__(self, rt, pd, args):
        lib = self.lib = rt.lib
        self.rt = rt
        self.pd = pd
        self.prim = ctypes.c_void_p()
        try:
            lib.check(lib.primitive_create(ctypes.byref(self.prim), pd), "primitive_create")
        except Exception:
            lib.primitive_desc_destroy(pd)
            self.pd = None
            raise
        self._mems = []
        self.args = []
        for arg, user, is_output in args:
            inner = lib.primitive_desc_query_md(pd, C.QUERY_EXEC_ARG_MD, arg)
            if not inner:
                raise C.DnnlError(2, "query of argument %d" % arg)
            if user is None or lib.memory_desc_equal(user.h, inner):
                mem = self._memory(user.h if user is not None else inner)
                self.args.append(_Arg(arg, mem, is_output, nbytes=lib.memory_desc_get_size(
                    inner)))
                continue
            mem = self._memory(inner)
            umem = self._memory(user.h)
            src, dst = (inner, user.h) if is_output else (user.h, inner)
            rpd = ctypes.c_void_p()
            lib.check(lib.reorder_primitive_desc_create(ctypes.byref(rpd), src, rt.engine, dst,
                                                        rt.engine, None), "reorder")
            rprim = ctypes.c_void_p()
            try:
                lib.check(lib.primitive_create(ctypes.byref(rprim), rpd), "reorder create")
            finally:
                lib.primitive_desc_destroy(rpd)
            self.args.append(_Arg(arg, mem, is_output, (rprim, umem), inner,
                                  lib.memory_desc_get_size(inner)))
        n = len(self.args)
        self.exec_args = (C.ExecArg * n)(*[C.ExecArg(a.arg, a.mem) for a in self.args])
        self.nargs = n
        self.lock = threading.Lock()  # the memory objects' data handles are set per call
        # (input position, id of a read-only array) -> (weak ref to the array, its reordered
        # copy): weights that cannot change (frozen constants, folded batch-norm weights) are
        # reordered once, not on every call. One primitive serves every layer of its shapes
        # (ResNet-50 has up to six), so each array has its own entry; an entry goes when its
        # array does.
        self._reordered = {}

    def _memory(self, md):
        m = ctypes.c_void_p()
        self.lib.check(self.lib.memory_create(ctypes.byref(m), md, self.rt.engine, None),
                       "memory_create")
        self._mems.append(m)
        return m

    def _keep_reordered(self, i, buf, inner):
        key = (i, id(buf))
        entries = self._reordered

        def forget(ref):
            done = entries.get(key)
            if done is not None and done[0] is ref:
                entries.pop(key, None)

        try:
            entries[key] = (weakref.ref(buf, forget), inner)
        except TypeError:  # an array type without weak references: not kept
            pass

    def impl(self):
        """The implementation oneDNN chose (e.g. `brg:avx512_core`), for tests and benchmarks."""
        s = ctypes.c_char_p()
        self.lib.primitive_desc_query(self.pd, C.QUERY_IMPL_INFO_STR, 0, ctypes.byref(s))
        return s.value.decode() if s.value else "?"

    def __call__(self, *buffers):
        lib = self.lib
        stream = self.rt.stream
        keep = []
        after = []
        check_usable()
        _FORK["used"] = True
        with self.lock:
            for i, (a, buf) in enumerate(zip(self.args, buffers)):
                if buf is None:  # a buffer in the primitive's own layout (workspace)
                    buf = np.empty(max(a.nbytes, 1), np.uint8)
                    keep.append(buf)
                ptr = buf.ctypes.data
                if a.reorder is None:
                    lib.memory_set_data_handle(a.mem, ptr)
                    continue
                if not a.is_output:
                    done = self._reordered.get((i, id(buf)))
                    if done is not None and done[0]() is buf:  # read-only: reordered before
                        lib.memory_set_data_handle(a.mem, done[1].ctypes.data)
                        continue
                inner = np.empty(max(a.nbytes, 1), np.uint8)
                keep.append(inner)
                lib.memory_set_data_handle(a.mem, inner.ctypes.data)
                rprim, umem = a.reorder
                lib.memory_set_data_handle(umem, ptr)
                if a.is_output:
                    after.append((rprim, a.mem, umem))
                else:
                    _reorder(lib, stream, rprim, umem, a.mem)
                    if not _writeable(buf):  # cannot change: keep its reordered copy
                        self._keep_reordered(i, buf, inner)
            lib.check(lib.primitive_execute(self.prim, stream, self.nargs, self.exec_args),
                      "primitive_execute")
            for rprim, src, dst in after:
                _reorder(lib, stream, rprim, src, dst)
            lib.check(lib.stream_wait(stream), "stream_wait")
        return keep

    def __del__(self):
        lib = getattr(self, "lib", None)
        if lib is None:
            return
        for a in getattr(self, "args", ()):
            if a.reorder is not None:
                lib.primitive_destroy(a.reorder[0])
        for m in getattr(self, "_mems", ()):
            lib.memory_destroy(m)
        if self.prim:
            lib.primitive_destroy(self.prim)
        if self.pd:
            lib.primitive_desc_destroy(self.pd)


def _writeable(a):
    """Whether `a`'s memory can change: it, or an array it views, is writeable."""
    while a is not None:
        if a.flags.writeable:
            return True
        a = a.base if isinstance(a.base, np.ndarray) else None
    return False


def _reorder(lib, stream, rprim, src, dst):
    args = (C.ExecArg * 2)(C.ExecArg(C.ARG_SRC, src), C.ExecArg(C.ARG_DST, dst))
    lib.check(lib.primitive_execute(rprim, stream, 2, args), "reorder execute")


def make_pd(rt, fn_name, *args):
    """Calls `dnnl_<fn_name>(&pd, engine, *args)`; returns the primitive descriptor."""
    pd = ctypes.c_void_p()
    rt.lib.check(getattr(rt.lib, fn_name)(ctypes.byref(pd), rt.engine, *args), fn_name)
    return pd
