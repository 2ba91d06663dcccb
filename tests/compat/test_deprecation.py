"""`tensorflow.python.util.deprecation`: TF's warnings, once per function, and `silence()`."""

import logging

import pytest

from tensorflux.util import deprecation


@pytest.fixture
def warnings_seen(monkeypatch):
    seen = []
    monkeypatch.setattr(deprecation.logging, "warning",
                        lambda msg, *args: seen.append(msg % args))
    monkeypatch.setattr(deprecation, "_PRINTED_WARNING", {})
    return seen


def test_deprecated_function_warns_once(warnings_seen):
    @deprecation.deprecated("2019-01-01", "Use g instead.")
    def f(x):
        """Doubles x."""
        return 2 * x

    assert f(2) == 4 and f(3) == 6
    assert len(warnings_seen) == 1
    msg = warnings_seen[0]
    assert "f (from test_deprecation) is deprecated and will be removed after 2019-01-01" in msg
    assert msg.endswith("Instructions for updating:\nUse g instead.")
    assert msg.startswith("From ") and "test_deprecation.py:" in msg.split()[1]
    assert f.__doc__.startswith("Doubles x. (deprecated)")


def test_deprecated_warn_every_time_and_class(warnings_seen):
    @deprecation.deprecated(None, "No more.", warn_once=False)
    class C:
        def __init__(self, v):
            self.v = v

    assert C(1).v == 1 and C(2).v == 2
    assert len(warnings_seen) == 2
    assert "will be removed in a future version" in warnings_seen[0]


def test_deprecated_validates_arguments():
    with pytest.raises(ValueError):
        deprecation.deprecated("2019/01/01", "x")
    with pytest.raises(ValueError):
        deprecation.deprecated(None, "")


def test_deprecated_args(warnings_seen):
    @deprecation.deprecated_args(None, "Use axis.", "keep_dims", ("mode", "ok"))
    def f(x, keep_dims=None, mode="ok"):
        return x

    f(1)
    f(1, mode="ok")
    assert warnings_seen == []
    f(1, keep_dims=True)
    f(1, None, "bad")
    assert len(warnings_seen) == 2
    assert "with keep_dims is deprecated" in warnings_seen[0]
    assert "with mode is deprecated" in warnings_seen[1]
    with pytest.raises(ValueError, match="not present"):
        deprecation.deprecated_args(None, "x", "nope")(lambda a: a)


def test_deprecated_arg_values(warnings_seen):
    @deprecation.deprecated_arg_values(None, "Pass False.", warn_once=False, legacy=True)
    def f(legacy=False):
        return legacy

    f()
    assert warnings_seen == []
    f(legacy=True)
    f(True)
    assert len(warnings_seen) == 2 and "with legacy=True is deprecated" in warnings_seen[0]


def test_deprecated_alias(warnings_seen):
    class New:
        def __init__(self, a):
            self.a = a

    Old = deprecation.deprecated_alias("mod.Old", "mod.New", New)
    assert isinstance(Old(3), New) and Old(4).a == 4
    old_fn = deprecation.deprecated_alias("mod.old_fn", "mod.new_fn", lambda: 7)
    assert old_fn() == 7
    assert len(warnings_seen) == 2
    assert "The name mod.Old is deprecated. Please use mod.New instead." in warnings_seen[0]


def test_silence(warnings_seen):
    @deprecation.deprecated(None, "x")
    def f():
        return 1

    with deprecation.silence():
        f()
    assert warnings_seen == []
    f()
    assert len(warnings_seen) == 1


def test_warning_goes_to_tensorflow_logger(caplog, monkeypatch):
    monkeypatch.setattr(deprecation, "_PRINTED_WARNING", {})
    logger = deprecation.logging.get_logger()
    monkeypatch.setattr(logger, "propagate", True)

    @deprecation.deprecated(None, "Gone.")
    def f():
        return 1

    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        f()
    assert any("is deprecated" in r.getMessage() for r in caplog.records)


def test_argument_lookup_and_endpoints():
    assert deprecation.deprecated_argument_lookup("axis", None, "dim", 2) == 2
    assert deprecation.deprecated_argument_lookup("axis", 1, "dim", None) == 1
    with pytest.raises(ValueError, match="Cannot specify both 'dim' and 'axis'"):
        deprecation.deprecated_argument_lookup("axis", 1, "dim", 2)

    @deprecation.deprecated_endpoints("old.name")
    def g():
        pass

    assert g._tf_deprecated_api_names == ("old.name",)
    with pytest.raises(deprecation.DeprecatedNamesAlreadySet):
        deprecation.deprecated_endpoints("x")(g)
