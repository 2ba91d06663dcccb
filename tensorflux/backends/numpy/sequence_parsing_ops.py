"""numpy kernels for ParseSingleSequenceExample / ParseSequenceExample
(ops/sequence_parsing_ops.py). Context features go through parse_example's parser; feature
lists are decoded here, one Feature per step."""

import numpy as np

from tensorflux.backends.numpy.parsing_ops import (
    _as_bytes,
    _decode_feature,
    _list_values,
    _Parser,
    _tf_name,
)
from tensorflux.graph import protowire as pw
from tensorflux.ops.registry import kernel


def _map_entries(body):
    """`(key, value bytes)` of each entry of a serialized proto map<string, message>."""
    for number, _, entry in pw.iter_fields(body, {1: 2}):
        if number != 1:
            continue
        key, value = "", b""
        for n, _, v in pw.iter_fields(entry, {1: 2, 2: 2}):
            if n == 1:
                key = v.decode("utf-8")
            elif n == 2:
                value = v
        yield key, value


def decode_sequence_example(data):
    """`(context {key: (type, body)}, feature_lists {key: [(type, body) per step]})`."""
    context, lists = {}, {}
    for number, _, body in pw.iter_fields(data, {1: 2, 2: 2}):
        if number == 1:
            for key, value in _map_entries(body):
                context[key] = _decode_feature(value)
        elif number == 2:
            for key, value in _map_entries(body):
                lists[key] = [_decode_feature(f) for n, _, f in pw.iter_fields(value, {1: 2})
                              if n == 1]
    return context, lists


class _Steps:
    """Reads the feature lists of one op's configuration; errors use TF's wording."""

    def __init__(self, names, single):
        self.names = names
        self.single = single

    def where(self, key, index):
        if self.single:
            return "Name: %s, Feature list '%s', Index: %d.  " % (self.names[0], key, index)
        return "Name: %s, Feature list '%s'.  " % (self.names[index], key)

    def values(self, steps, key, dtype, index):
        out = []
        for kind, body in steps:
            if kind is not None and kind != _tf_name(dtype):
                raise ValueError(self.where(key, index) + "Data types don't match. Expected "
                                 "type: %s" % _tf_name(dtype))
            out.append(np.zeros(0, dtype.as_numpy_dtype) if kind is None
                       else _list_values(kind, body).astype(dtype.as_numpy_dtype))
        return out

    def dense(self, lists, key, dtype, shape, pad, missing_ok):
        """`([batch, longest] + shape values, lengths)`."""
        size = int(np.prod(shape))
        rows = []
        for i, fl in enumerate(lists):
            if key not in fl:
                if not missing_ok:
                    raise ValueError("Name: %s, Feature list '%s' is required but could not "
                                     "be found.  Did you mean to include it in "
                                     "feature_list_dense_missing_assumed_empty or "
                                     "feature_list_dense_defaults?" % (self.names[i], key))
                rows.append(np.zeros([0] + shape, dtype.as_numpy_dtype))
                continue
            steps = self.values(fl[key], key, dtype, i)
            for t, v in enumerate(steps):
                if v.size != size:
                    raise ValueError("Name: %s, Key: %s, Index: %d.  Number of values != "
                                     "expected.  values size: %d but output shape: [%s]"
                                     % (self.names[i], key, t, v.size,
                                        ",".join(map(str, shape))))
            rows.append(np.array(steps, dtype.as_numpy_dtype).reshape([len(steps)] + shape))
        lengths = np.array([len(r) for r in rows], np.int64)
        longest = int(lengths.max()) if len(rows) else 0
        out = np.full([len(rows), longest] + shape, pad, dtype=dtype.as_numpy_dtype)
        for i, r in enumerate(rows):
            out[i, :len(r)] = r
        return out, lengths

    def sparse(self, lists, key, dtype):
        """`(indices [n, 3], values, dense_shape [batch, steps, longest])`."""
        indices, values, max_steps, max_len = [], [], 0, 0
        for i, fl in enumerate(lists):
            steps = self.values(fl.get(key, []), key, dtype, i)
            max_steps = max(max_steps, len(steps))
            for t, v in enumerate(steps):
                max_len = max(max_len, len(v))
                indices.extend([i, t, j] for j in range(len(v)))
                values.append(v)
        vals = (np.concatenate(values) if values else np.zeros(0)).astype(dtype.as_numpy_dtype)
        return (np.array(indices, np.int64).reshape(-1, 3), vals,
                np.array([len(lists), max_steps, max_len], np.int64))


def _sequence_kernel(op):
    a = op._attrs
    single = op.type == "ParseSingleSequenceExample"
    n_cd = len(a["context_dense_keys"])
    missing_ok = set(a["feature_list_dense_missing_assumed_empty"])

    def run(serialized, names, *rest):
        defaults, pads = rest[:n_cd], rest[n_cd:]
        serialized = np.asarray(serialized, dtype=object).reshape(-1)
        names = [_as_bytes(n).decode("utf-8", "replace") for n in np.ravel(names)]
        names = [n for n in names if n] or ["<unknown>"] * len(serialized)
        contexts, lists = [], []
        for data in serialized:
            data = _as_bytes(data)
            try:
                c, f = decode_sequence_example(data)
            except (ValueError, UnicodeDecodeError):
                raise ValueError("Could not parse example input, value: '%s'"
                                 % data.decode("latin-1")) from None
            contexts.append(c)
            lists.append(f)
        parser = _Parser(a, single)
        c_sparse = [parser.sparse(contexts, names, k, t)
                    for k, t in zip(a["context_sparse_keys"], a["context_sparse_types"])]
        c_dense = [parser.dense(contexts, names, k, t, s.as_list(),
                                np.asarray(d, dtype=t.as_numpy_dtype))
                   for k, t, s, d in zip(a["context_dense_keys"], a["Tcontext_dense"],
                                         a["context_dense_shapes"], defaults)]
        steps = _Steps(names, single)
        f_sparse = [steps.sparse(lists, k, t)
                    for k, t in zip(a["feature_list_sparse_keys"],
                                    a["feature_list_sparse_types"])]
        f_dense = [steps.dense(lists, k, t, s.as_list(), p, k in missing_ok)
                   for k, t, s, p in zip(a["feature_list_dense_keys"],
                                         a["feature_list_dense_types"],
                                         a["feature_list_dense_shapes"], pads)]
        if single:  # drop the batch dimension of one example
            c_sparse = [(i[:, 1:], v, s[1:]) for i, v, s in c_sparse]
            c_dense = [d.reshape(d.shape[1:]) for d in c_dense]
            f_sparse = [(i[:, 1:], v, s[1:]) for i, v, s in f_sparse]
            f_dense = [(d.reshape(d.shape[1:]), n) for d, n in f_dense]
        out = [s[0] for s in c_sparse] + [s[1] for s in c_sparse] + [s[2] for s in c_sparse]
        out += c_dense
        out += [s[0] for s in f_sparse] + [s[1] for s in f_sparse] + [s[2] for s in f_sparse]
        out += [d for d, _ in f_dense]
        if not single:
            out += [n for _, n in f_dense]
        return out

    return run


kernel("ParseSingleSequenceExample")(_sequence_kernel)
kernel("ParseSequenceExample")(_sequence_kernel)
