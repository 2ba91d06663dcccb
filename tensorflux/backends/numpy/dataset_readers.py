"""numpy runtime of the file readers of `tf.data`: CsvDataset, FixedLengthRecordDataset and
Dataset.list_files (see `dataset_sources.py` for how a pipeline runs)."""

import glob

import numpy as np

from tensorflux import tf_record
from tensorflux.backends.numpy.dataset_sources import builder
from tensorflux.backends.numpy.parsing_ops import _csv_fields, _csv_value


def _names(value):
    return [n.decode() if isinstance(n, bytes) else str(n) for n in np.ravel(value)]


# --- readers -----------------------------------------------------------------------------------
def _read(name, compression):
    with open(name, "rb") as f:
        return tf_record.decompress(f.read(), compression, name)


def _csv_record(line, ds, defaults):
    attrs = ds._attrs
    fields = _csv_fields(line, attrs["field_delim"], attrs["use_quote_delim"])
    select, n = attrs["select_cols"], len(defaults)
    if select:
        if len(fields) <= select[-1]:
            raise ValueError("Expect %d fields but have %d in record" % (select[-1] + 1,
                                                                          len(fields)))
        fields = [fields[c] for c in select]
    if len(fields) > n:
        raise ValueError("Expect %d fields but have more in record" % n)
    if len(fields) < n:
        raise ValueError("Expect %d fields but have %d in record" % (n, len(fields)))
    out = []
    for c, (field, dtype, default) in enumerate(zip(fields, ds._types, defaults)):
        if field == "" or field == attrs["na_value"]:
            default = np.ravel(default)
            if default.size == 0:
                raise ValueError("Field %d is required but missing in record!" % c)
            value = default[0]
        else:
            try:
                value = _csv_value(field, dtype, c, 0)
            except ValueError:
                kind = {"float32": "float", "float64": "double"}.get(dtype.name, dtype.name)
                raise ValueError("Field %d in record is not a valid %s: %s"
                                 % (c, kind, field)) from None
        out.append(np.asarray(value, dtype=object if dtype.name == "string"
                              else dtype.as_numpy_dtype))
    return out


@builder("csv")
def _csv(ds, children, own, ctx):
    names, defaults = _names(own[0]), own[1:]

    def epoch():
        for name in names:
            lines = _read(name, ds._attrs["compression"]).split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            if ds._attrs["header"]:
                lines = lines[1:]
            for line in lines:
                if line.endswith(b"\r"):
                    line = line[:-1]
                yield _csv_record(line.decode("utf-8"), ds, defaults)
    return epoch


@builder("list_files")
def _list_files(ds, children, own, ctx):
    patterns = _names(own[0])
    names = sorted({n for p in patterns for n in glob.glob(p)})
    if not names:
        raise ValueError("No files matched pattern: %s" % ", ".join(patterns))

    def epoch():
        for name in names:
            yield [np.asarray(name.encode(), dtype=object)]
    return epoch


@builder("fixed_length_records")
def _fixed_length_records(ds, children, own, ctx):
    names = _names(own[0])
    header, record, footer = (int(v) for v in own[1:])
    if record <= 0:
        raise ValueError("record_bytes must be greater than zero.")
    compression = ds._attrs["compression"]

    def epoch():
        for name in names:
            data = _read(name, compression)
            body = data[header:max(header, len(data) - footer)]
            if len(body) % record:
                raise ValueError("Excluding the header (%d bytes) and footer (%d bytes), input "
                                 "file \"%s\" has body length %d bytes, which is not an exact "
                                 "multiple of the record length (%d bytes)."
                                 % (header, footer, name, len(body), record))
            for i in range(0, len(body), record):
                yield [np.asarray(body[i:i + record], dtype=object)]
    return epoch
