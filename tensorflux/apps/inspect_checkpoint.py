"""`tensorflux inspect-checkpoint PATH`: list a checkpoint's tensors (V1 or V2), like TF's tool."""

import sys

import numpy as np

from tensorflux import errors
from tensorflux.train import checkpoint_format as fmt


def main(path, tensor_name=None, all_tensors=False, out=None):
    """Prints `name (dtype) [shape]` per tensor, or values; returns a process exit code."""
    out = out or sys.stdout
    try:
        reader = fmt.open_checkpoint(path)
    except (errors.NotFoundError, errors.DataLossError, errors.UnimplementedError) as e:
        print("Unable to open checkpoint %s: %s" % (path, e.message), file=sys.stderr)
        return 1
    shapes = reader.get_variable_to_shape_map()
    types = reader.get_variable_to_dtype_map()
    names = [tensor_name] if tensor_name else sorted(shapes)
    total = 0
    for name in names:
        if name not in shapes:
            print("Tensor %s not found in checkpoint %s" % (name, path), file=sys.stderr)
            return 1
        n = int(np.prod(shapes[name])) if shapes[name] else 1
        total += n
        print("%s (%s) %s" % (name, types[name], shapes[name]), file=out)
        if all_tensors or tensor_name:
            print(np.array2string(reader.get_tensor(name), threshold=50), file=out)
    if not tensor_name:
        print("# %d tensors, %d values" % (len(names), total), file=out)
    return 0
