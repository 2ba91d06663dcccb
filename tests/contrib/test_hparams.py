"""tf.contrib.training.HParams and parse_values: TF 1.15's parse syntax, typing rules,
JSON round trips and error messages."""

import json

import pytest

from tensorflux.contrib.training import HParams, parse_values


def test_construct_and_values():
    hp = HParams(aaa=1, b=2.0, c_c="relu6", d=[1, 2], e=True)
    assert hp.aaa == 1 and hp.b == 2.0 and hp.c_c == "relu6"
    assert hp.values() == {"aaa": 1, "b": 2.0, "c_c": "relu6", "d": [1, 2], "e": True}
    assert "aaa" in hp and "zzz" not in hp
    assert repr(hp) == ("HParams([('aaa', 1), ('b', 2.0), ('c_c', 'relu6'), ('d', [1, 2]), "
                        "('e', True)])")
    assert str(hp) == "aaa=1,b=2.0,c_c=relu6,d=[1, 2],e=True"


def test_parse_scalars_lists_and_bools():
    hp = HParams(lr=0.1, units=100, act="relu", layers=[64, 64], debug=False, rates=[0.5])
    out = hp.parse("lr=0.3, units=-12,act=tanh,layers=[1, 2 ,3],debug=true,rates=[1e-3]")
    assert out is hp
    assert hp.values() == {"lr": 0.3, "units": -12, "act": "tanh", "layers": [1, 2, 3],
                           "debug": True, "rates": [0.001]}
    hp.parse("debug=False")
    assert hp.debug is False
    hp.parse("debug=1")
    assert hp.debug is True
    hp.parse("lr=2")  # int text into a float hparam: float("2")
    assert hp.lr == 2.0 and isinstance(hp.lr, float)
    hp.parse("")
    assert hp.units == -12


def test_parse_errors():
    hp = HParams(lr=0.1, units=100, layers=[1], debug=False)
    with pytest.raises(ValueError, match="Unknown hyperparameter type for foo"):
        hp.parse("foo=1")
    with pytest.raises(ValueError, match="Could not parse hparam 'units' of type 'int' with "
                                         "value '1.5' in units=1.5"):
        hp.parse("units=1.5")
    with pytest.raises(ValueError, match="Could not parse hparam 'debug' of type 'bool'"):
        hp.parse("debug=yes")
    with pytest.raises(ValueError, match="Multiple assignments to variable 'lr'"):
        hp.parse("lr=1,lr=2")
    with pytest.raises(ValueError, match="Malformed hyperparameter value: 1lr=3"):
        hp.parse("1lr=3")
    with pytest.raises(ValueError, match="Must not pass a list for single-valued parameter: "
                                         "units"):
        hp.parse("units=[1,2]")
    with pytest.raises(ValueError, match="Must pass a list for multi-valued parameter: layers"):
        hp.parse("layers=3")
    with pytest.raises(ValueError, match="Assignment of a list to a list index"):
        hp.parse("layers[0]=[1]")


def test_parse_values_indexed_and_ignore_unknown():
    types = {"x": int, "L": int, "arr": int, "s": str}
    assert parse_values("x=5,L=[1,2],arr[1]=3,arr[0]=4,s=ab_c", types) == {
        "x": 5, "L": [1, 2], "arr": {1: 3, 0: 4}, "s": "ab_c"}
    assert parse_values("x=1,nope=2", types, ignore_unknown=True) == {"x": 1}
    with pytest.raises(ValueError, match=r"Multiple assignments to variable 'arr\[1\]'"):
        parse_values("arr[1]=1,arr[1]=2", types)
    with pytest.raises(ValueError, match="Multiple assignments to variable 'arr'"):
        parse_values("arr=1,arr[1]=2", types)
    assert parse_values("L=[]", types) == {"L": []}


def test_set_hparam_casts():
    hp = HParams(f=1.0, i=1, s="a", b=True, fl=[1.0])
    hp.set_hparam("f", 3)
    assert hp.f == 3.0 and isinstance(hp.f, float)
    hp.set_hparam("fl", [2, 3])
    assert hp.fl == [2.0, 3.0]
    with pytest.raises(ValueError, match="Could not cast hparam 'i' of type '<class 'int'>' "
                                         "from value 2.5"):
        hp.set_hparam("i", 2.5)
    for name, bad in (("s", 1), ("b", 1), ("i", True), ("f", "x")):
        with pytest.raises(ValueError, match="Could not cast hparam"):
            hp.set_hparam(name, bad)
    with pytest.raises(KeyError):
        hp.set_hparam("missing", 1)


def test_add_del_and_reserved_names():
    hp = HParams(a=1)
    hp.add_hparam("b", "x")
    assert hp.b == "x"
    with pytest.raises(ValueError, match="Hyperparameter name is reserved: parse"):
        hp.add_hparam("parse", 1)
    with pytest.raises(ValueError, match="Hyperparameter name is reserved: values"):
        HParams(values=1)
    with pytest.raises(ValueError, match="Multi-valued hyperparameters cannot be empty: e"):
        hp.add_hparam("e", [])
    hp.del_hparam("a")
    hp.del_hparam("not_there")
    assert hp.values() == {"b": "x"}
    assert not hasattr(hp, "a")


def test_json_and_override_from_dict():
    hp = HParams(lr=0.1, layers=[1, 2], name_="n")
    assert json.loads(hp.to_json()) == {"lr": 0.1, "layers": [1, 2], "name_": "n"}
    assert hp.to_json(sort_keys=True) == '{"layers": [1, 2], "lr": 0.1, "name_": "n"}'
    assert hp.to_json(indent=1, separators=(",", ":"), sort_keys=True) == (
        '{\n "layers":[\n  1,\n  2\n ],\n "lr":0.1,\n "name_":"n"\n}')
    hp.parse_json('{"lr": 0.5, "layers": [3]}')
    assert hp.lr == 0.5 and hp.layers == [3]
    assert hp.override_from_dict({"name_": "m"}) is hp
    assert hp.name_ == "m"
    other = HParams(**hp.values()).parse_json(hp.to_json())
    assert other.values() == hp.values()
    with pytest.raises(KeyError):
        hp.parse_json('{"unknown": 1}')


def test_get_with_defaults():
    hp = HParams(lr=0.1, layers=[1])
    assert hp.get("lr") == 0.1
    assert hp.get("nope", 7) == 7
    assert hp.get("lr", 1) == 0.1
    assert hp.get("layers", [2]) == [1]
    with pytest.raises(ValueError, match="Hparam 'layers' of type 'list<<class 'int'>>' is "
                                         "incompatible with default=3"):
        hp.get("layers", 3)
    with pytest.raises(ValueError, match="incompatible with default=abc"):
        hp.get("lr", "abc")


def test_model_structure():
    hp = HParams(model_structure="m", a=1)
    assert hp.get_model_structure() == "m"
    hp.set_model_structure("n")
    assert hp.get_model_structure() == "n"
