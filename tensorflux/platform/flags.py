"""`tf.app.flags` / `tf.flags`: TF1's command-line flags (the absl-style API on argparse)."""

import argparse
import sys


class _FlagValues:
    """`FLAGS`: attribute access to parsed flag values; parses `sys.argv` on first access."""

    def __init__(self):
        self.__dict__["_defs"] = {}
        self.__dict__["_values"] = {}
        self.__dict__["_parsed"] = False

    def _define(self, name, default, help_text, type_fn, kind):
        if name in self._defs:
            raise Exception("The flag '%s' is defined twice." % name)  # noqa: TRY002 - TF's
        self._defs[name] = (default, help_text, type_fn, kind)
        self._values[name] = default

    def __call__(self, argv):
        """Parses `argv` (program name first); returns the arguments that are not flags."""
        parser = argparse.ArgumentParser(prog=argv[0] if argv else None, allow_abbrev=False)
        for name, (default, help_text, type_fn, kind) in self._defs.items():
            if kind == "bool":
                parser.add_argument("--" + name, action="store_true", default=default,
                                    help=help_text)
                parser.add_argument("--no" + name, dest=name, action="store_false")
            elif kind == "list":
                parser.add_argument("--" + name, default=default,
                                    type=lambda s: s.split(",") if s else [], help=help_text)
            else:
                parser.add_argument("--" + name, default=default, type=type_fn, help=help_text)
        ns, rest = parser.parse_known_args([self._bool_form(a) for a in argv[1:]])
        self._values.update(vars(ns))
        self.__dict__["_parsed"] = True
        return argv[:1] + rest

    def _bool_form(self, arg):
        """absl spells `--flag=false` for booleans; argparse wants `--flag` / `--noflag`."""
        if arg.startswith("--") and "=" in arg:
            name, value = arg[2:].split("=", 1)
            if name in self._defs and self._defs[name][3] == "bool":
                return ("--" if _parse_bool(value) else "--no") + name
        return arg

    def __getattr__(self, name):
        if name not in self._defs:
            raise AttributeError(name)
        if not self._parsed:
            self(sys.argv)
        return self._values[name]

    def __setattr__(self, name, value):
        self._values[name] = value

    def __contains__(self, name):
        return name in self._defs

    def is_parsed(self):
        return self._parsed

    def mark_as_parsed(self):
        self.__dict__["_parsed"] = True

    def flag_values_dict(self):
        return dict(self._values)


def _parse_bool(s):
    if isinstance(s, bool):
        return s
    if s.lower() in ("true", "t", "1", "yes"):
        return True
    if s.lower() in ("false", "f", "0", "no"):
        return False
    raise argparse.ArgumentTypeError("invalid bool value %r" % s)


FLAGS = _FlagValues()


def DEFINE_string(name, default, help, flag_values=FLAGS):  # noqa: N802,A002 - TF's names
    flag_values._define(name, default, help, str, "str")


def DEFINE_integer(name, default, help, flag_values=FLAGS, lower_bound=None,  # noqa: N802,A002
                   upper_bound=None):
    flag_values._define(name, default, help, int, "int")


def DEFINE_float(name, default, help, flag_values=FLAGS, lower_bound=None,  # noqa: N802,A002
                 upper_bound=None):
    flag_values._define(name, default, help, float, "float")


def DEFINE_boolean(name, default, help, flag_values=FLAGS):  # noqa: N802,A002 - TF's names
    flag_values._define(name, default, help, _parse_bool, "bool")


DEFINE_bool = DEFINE_boolean


def DEFINE_list(name, default, help, flag_values=FLAGS):  # noqa: N802,A002 - TF's names
    flag_values._define(name, default, help, None, "list")


def DEFINE_enum(name, default, enum_values, help, flag_values=FLAGS):  # noqa: N802,A002
    def check(s):
        if s not in enum_values:
            raise argparse.ArgumentTypeError("value should be one of <%s>" % "|".join(
                enum_values))
        return s
    flag_values._define(name, default, help, check, "enum")


def mark_flag_as_required(name, flag_values=FLAGS):
    pass
