"""The `checkpoint` state file: a text-format `CheckpointState` proto naming the latest saves.

    model_checkpoint_path: "/tmp/train/model.ckpt-1000"
    all_model_checkpoint_paths: "/tmp/train/model.ckpt-500"
    all_model_checkpoint_paths: "/tmp/train/model.ckpt-1000"

Written the way Python protobuf's `text_format.MessageToString` does (C-escaped, in double
quotes), parsed with a small tokenizer accepting what `text_format.Merge` accepts
for these four fields. Behaviour follows TF's checkpoint_management.py: relative paths are
resolved against the directory when read, and a missing or unparsable file reads as None.
"""

import math
import os
import re
import warnings
from dataclasses import dataclass, field

from tensorflux.train import atomic_file

_ESCAPES = {9: "\\t", 10: "\\n", 13: "\\r", 34: '\\"', 39: "\\'", 92: "\\\\"}
_UNESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39,
              '"': 34, "?": 63}
_TOKEN = re.compile(r"""\s+|\#[^\n]*|(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
                        |(?P<word>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[fF]?|[-+]?[A-Za-z_]\w*)
                        |(?P<punct>[:;,])
                        |(?P<error>.)""", re.VERBOSE)
_STRING_FIELDS = ("model_checkpoint_path", "all_model_checkpoint_paths")
_FLOAT_FIELDS = ("all_model_checkpoint_timestamps", "last_preserved_timestamp")


@dataclass
class CheckpointState:
    """A CheckpointState proto (checkpoint_state.proto)."""

    model_checkpoint_path: str = ""
    all_model_checkpoint_paths: list = field(default_factory=list)
    all_model_checkpoint_timestamps: list = field(default_factory=list)
    last_preserved_timestamp: float = 0.0


def c_escape(text):
    r"""Escapes a string like protobuf's text format (CEscape with `as_utf8=True`).

    ASCII control characters, quotes and backslashes are escaped; other characters are
    kept as UTF-8, as TF 2.x (protobuf >= 4) writes them.

    Example:
        >>> print(c_escape('say "hi"\t\x01 \u00e9'))
        say \"hi\"\t\001 é
    """
    out = []
    for char in text:
        code = ord(char)
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
        elif code < 32 or code == 127:
            out.append("\\%03o" % code)
        else:
            out.append(char)
    return "".join(out)


def c_unescape(body):
    r"""Inverts `c_escape` (also accepts hex `\xHH` and octal escapes); returns a str."""
    out = bytearray()
    i = 0
    while i < len(body):
        char = body[i]
        i += 1
        if char != "\\":
            out += char.encode("utf-8")
            continue
        if i >= len(body):
            raise ValueError("string ends with a backslash")
        char = body[i]
        i += 1
        if char in _UNESCAPES:
            out.append(_UNESCAPES[char])
        elif char in "01234567":
            digits = re.match(r"[0-7]{1,3}", body[i - 1:]).group()
            out.append(int(digits, 8) & 0xFF)
            i += len(digits) - 1
        elif char in "xX":
            digits = re.match(r"[0-9A-Fa-f]{1,2}", body[i:])
            if digits is None:
                raise ValueError("\\x escape without hex digits")
            out.append(int(digits.group(), 16))
            i += len(digits.group())
        else:
            raise ValueError(f"invalid escape \\{char}")
    return out.decode("utf-8")


def _format_double(value):
    if math.isnan(value):
        return "nan"
    return repr(float(value))


def to_text(state):
    """Serializes a CheckpointState in protobuf text format (fields in number order)."""
    lines = []
    if state.model_checkpoint_path:
        lines.append(f'model_checkpoint_path: "{c_escape(state.model_checkpoint_path)}"')
    for path in state.all_model_checkpoint_paths:
        lines.append(f'all_model_checkpoint_paths: "{c_escape(path)}"')
    for stamp in state.all_model_checkpoint_timestamps:
        lines.append(f"all_model_checkpoint_timestamps: {_format_double(stamp)}")
    if state.last_preserved_timestamp:
        lines.append(f"last_preserved_timestamp: {_format_double(state.last_preserved_timestamp)}")
    return "".join(line + "\n" for line in lines)


def _tokens(text):
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "error":
            raise ValueError(f"unexpected character {match.group()!r}")
        if kind is not None:
            yield kind, match.group()


def parse_text(text):
    """Parses a text-format CheckpointState.

    Raises:
        ValueError: On syntax errors or unknown fields (protobuf's ParseError).
    """
    state = CheckpointState()
    tokens = list(_tokens(text))
    i = 0
    while i < len(tokens):
        kind, name = tokens[i]
        if kind == "punct" and name in ";,":
            i += 1
            continue
        if kind != "word" or name not in _STRING_FIELDS + _FLOAT_FIELDS:
            raise ValueError(f"unknown field {name!r}")
        if i + 1 >= len(tokens) or tokens[i + 1] != ("punct", ":"):
            raise ValueError(f"expected ':' after {name}")
        i += 2
        if name in _STRING_FIELDS:
            parts = []
            while i < len(tokens) and tokens[i][0] == "string":  # adjacent literals concatenate
                parts.append(c_unescape(tokens[i][1][1:-1]))
                i += 1
            if not parts:
                raise ValueError(f"expected a string after {name}:")
            value = "".join(parts)
        else:
            if i >= len(tokens) or tokens[i][0] != "word":
                raise ValueError(f"expected a number after {name}:")
            value = float(re.sub(r"(?<=[\d.])[fF]$", "", tokens[i][1]))
            i += 1
        if name in ("model_checkpoint_path", "last_preserved_timestamp"):
            setattr(state, name, value)
        else:
            getattr(state, name).append(value)
    return state


def checkpoint_state_path(directory, latest_filename=None):
    """Returns the path of the state file (`checkpoint` unless `latest_filename` is given)."""
    return os.path.join(directory, latest_filename or "checkpoint")


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                    all_model_checkpoint_paths=None,
                                    all_model_checkpoint_timestamps=None,
                                    last_preserved_timestamp=None):
    """`tf.train.generate_checkpoint_state_proto`: the CheckpointState the `checkpoint` file
    would hold (`model_checkpoint_path` appended to the list unless already last; with a
    relative `save_dir`, relative paths rewritten relative to it).

    Raises:
        ValueError: If the timestamps do not match the paths one to one.
    """
    paths = list(all_model_checkpoint_paths or [])
    path = model_checkpoint_path
    if not paths or paths[-1] != path:
        paths.append(path)
    stamps = list(all_model_checkpoint_timestamps or [])
    if stamps and len(stamps) != len(paths):
        raise ValueError("Checkpoint timestamps, if provided, must match checkpoint paths (got "
                         "paths %s and timestamps %s)" % (paths, stamps))
    if not os.path.isabs(save_dir):
        path = path if os.path.isabs(path) else os.path.relpath(path, save_dir)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir) for p in paths]
    return CheckpointState(path, paths, stamps,
                           0.0 if last_preserved_timestamp is None
                           else float(last_preserved_timestamp))


def write_checkpoint_state(directory, model_checkpoint_path, all_model_checkpoint_paths=None,
                           all_model_checkpoint_timestamps=None, last_preserved_timestamp=None,
                           latest_filename=None, save_relative_paths=False):
    """Atomically writes the `checkpoint` file, like `tf.compat.v1.train.update_checkpoint_state`.

    `model_checkpoint_path` is appended to `all_model_checkpoint_paths` unless it is already
    last. With `save_relative_paths`, absolute paths are stored relative to `directory`; and,
    as in TF, when `directory` itself is relative, relative paths are rewritten relative to it.

    Args:
        directory: The checkpoint directory.
        model_checkpoint_path: The latest checkpoint prefix.
        all_model_checkpoint_paths: Prefixes still kept, oldest first.
        all_model_checkpoint_timestamps: Optional save times, one per kept prefix.
        last_preserved_timestamp: Optional time of the last checkpoint preserved forever.
        latest_filename: State file name; defaults to "checkpoint".
        save_relative_paths: Store paths relative to `directory`.

    Raises:
        ValueError: If the timestamps do not match the paths one to one.
        RuntimeError: If the checkpoint prefix would overwrite the state file itself.

    Example:
        >>> write_checkpoint_state("/tmp/train", "/tmp/train/model.ckpt-5")  # doctest: +SKIP
    """
    paths = list(all_model_checkpoint_paths or [])
    path = model_checkpoint_path
    if save_relative_paths:
        path = os.path.relpath(path, directory) if os.path.isabs(path) else path
        paths = [os.path.relpath(p, directory) if os.path.isabs(p) else p for p in paths]
    state = generate_checkpoint_state_proto(directory, path, paths,
                                            all_model_checkpoint_timestamps,
                                            last_preserved_timestamp)
    state_path = checkpoint_state_path(directory, latest_filename)
    if state_path == state.model_checkpoint_path:
        raise RuntimeError(f"Save path '{model_checkpoint_path}' conflicts with path used for "
                           "checkpoint state.  Please use a different save path.")
    atomic_file.atomic_write(state_path, to_text(state))


def read_checkpoint_state(directory, latest_filename=None):
    """Reads the `checkpoint` file, like `tf.train.get_checkpoint_state`.

    Relative paths in the file are joined to `directory`.

    Returns:
        A `CheckpointState`, or None if the file is missing or cannot be parsed (a warning
        is issued for the latter).

    Raises:
        ValueError: If the file parses but names no model checkpoint path.

    Example:
        >>> read_checkpoint_state("/tmp/train").model_checkpoint_path  # doctest: +SKIP
        '/tmp/train/model.ckpt-5'
    """
    path = checkpoint_state_path(directory, latest_filename)
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        state = parse_text(text)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:  # UnicodeDecodeError is a ValueError
        warnings.warn(f"{path}: cannot parse checkpoint state: {e}")
        return None
    if not state.model_checkpoint_path:
        raise ValueError(f"Invalid checkpoint state loaded from {directory}")
    if not os.path.isabs(state.model_checkpoint_path):
        state.model_checkpoint_path = os.path.join(directory, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [
        p if os.path.isabs(p) else os.path.join(directory, p)
        for p in state.all_model_checkpoint_paths]
    return state
