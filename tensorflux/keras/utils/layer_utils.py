"""`print_summary`: the text of `model.summary()`, in TF 1.15's layout.

A chain of single-input layers prints three columns in 65 characters; any other graph adds a
"Connected to" column (`layer[node][tensor]`) in 98 characters.
"""


def count_params(weights):
    """The number of scalars in a list of variables."""
    total = 0
    for w in weights:
        n = 1
        for d in w.shape.as_list():
            n *= int(d)
        total += n
    return int(total)


def _is_sequential_like(model):
    if type(model).__name__ == "Sequential" or getattr(model, "_is_sequential", False):
        return True
    previous = None
    for node in model._nodes:
        if len(node.inputs) != 1 or len(node.outputs) != 1:
            return False
        if previous is not None and node.inputs[0] is not previous:
            return False
        previous = node.outputs[0]
    return True


def _print_row(fields, positions, print_fn):
    line = ""
    for i, field in enumerate(fields):
        if i > 0:
            line = line[:-1] + " "
        line += str(field)
        line = line[:positions[i]]
        line += " " * (positions[i] - len(line))
    print_fn(line)


def _output_shape(layer):
    try:
        return layer.output_shape
    except AttributeError:
        return "multiple"


def _model_nodes(model):
    ids = {id(n) for n in model._nodes}
    return ids


def _connections(layer, model_node_ids):
    from tensorflux.keras.engine import node as node_lib

    out = []
    for node in layer._inbound_nodes:
        if id(node) not in model_node_ids:
            continue
        for t in node.inputs:
            record = node_lib.history(t)
            if record is not None:
                src, index = record
                out.append("%s[%d][%d]" % (src.layer.name, src.index, index))
    return out


def print_summary(model, line_length=None, positions=None, print_fn=None):
    """Prints `model`'s layers, output shapes and parameter counts.

    Example:
        >>> print_summary(model, print_fn=lines.append)
    """
    print_fn = print_fn or print
    sequential_like = _is_sequential_like(model)
    layers = model.layers
    if sequential_like:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        headers = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or [0.33, 0.55, 0.67, 1.0]
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    node_ids = _model_nodes(model)
    print_fn('Model: "%s"' % model.name)
    print_fn("_" * line_length)
    _print_row(headers, positions, print_fn)
    print_fn("=" * line_length)
    for i, layer in enumerate(layers):
        name = "%s (%s)" % (layer.name, type(layer).__name__)
        params = layer.count_params() if layer.built else 0
        fields = [name, _output_shape(layer), params]
        if sequential_like:
            _print_row(fields, positions, print_fn)
        else:
            connections = _connections(layer, node_ids)
            _print_row(fields + [connections[0] if connections else ""], positions, print_fn)
            for extra in connections[1:]:
                _print_row(["", "", "", extra], positions, print_fn)
        print_fn(("=" if i == len(layers) - 1 else "_") * line_length)
    trainable = count_params(model.trainable_weights)
    non_trainable = count_params(model.non_trainable_weights)
    print_fn("Total params: {:,}".format(trainable + non_trainable))
    print_fn("Trainable params: {:,}".format(trainable))
    print_fn("Non-trainable params: {:,}".format(non_trainable))
    print_fn("_" * line_length)
