"""`slim.model_analyzer`: prints and sums the sizes of a model's variables (`analyze_vars`) or
of the outputs of a graph's ops (`analyze_ops`), in TF-Slim's table format.

Example:
    >>> total_size, total_bytes = slim.model_analyzer.analyze_vars(
    ...     slim.get_model_variables(), print_info=True)
    ---------
    Variables: name (type shape) [size]
    ---------
    conv1/weights:0 (float32_ref 3x3x3x64) [1728, bytes: 6912]
    ...
"""


def tensor_description(var):
    """A compact description of a tensor's dtype and shape, e.g. "(float32 1x8x8x1024)"."""
    description = "(" + str(var.dtype.name) + " "
    sizes = var.get_shape()
    for i, size in enumerate(sizes):
        description += str(size)
        if i < len(sizes) - 1:
            description += "x"
    description += ")"
    return description


def analyze_ops(graph, print_info=False):
    """The total number of elements of the outputs of `graph`'s operations (unknown shapes
    count 0), printing each op's outputs if `print_info`."""
    if print_info:
        print("---------")
        print("Operations: name -> (type shapes) [size]")
        print("---------")
    total_size = 0
    for op in graph.get_operations():
        op_size = 0
        shapes = []
        for output in op.outputs:
            output_size = output.get_shape().num_elements() or 0
            if output.get_shape():
                shapes.append(tensor_description(output))
            op_size += output_size
        if print_info:
            print(op.name, "\t->", ", ".join(shapes), "[" + str(op_size) + "]")
        total_size += op_size
    return total_size


def analyze_vars(variables, print_info=False):
    """`(total size, total bytes)` of `variables` (e.g. `tf.global_variables()`), printing
    each variable's name, dtype, shape, size and bytes if `print_info`."""
    if print_info:
        print("---------")
        print("Variables: name (type shape) [size]")
        print("---------")
    total_size = 0
    total_bytes = 0
    for var in variables:
        var_size = var.get_shape().num_elements() or 0
        var_bytes = var_size * var.dtype.size
        total_size += var_size
        total_bytes += var_bytes
        if print_info:
            print(var.name, tensor_description(var), "[%d, bytes: %d]" % (var_size, var_bytes))
    if print_info:
        print("Total size of variables: %d" % total_size)
        print("Total bytes of variables: %d" % total_bytes)
    return total_size, total_bytes


__all__ = ["tensor_description", "analyze_ops", "analyze_vars"]
