"""The wire between a student's kernel and the trusted kernel that runs the tests.

This file is not imported by the grader: its text is executed inside both kernels as a
module named ``_grading_bridge`` (NumPy and the standard library only, so that neither
kernel imports ``actbook``). In the student's (sandboxed) kernel it answers requests:
``export`` names as data, ``serve`` a call of one of the student's functions. In the trusted
kernel, :func:`bind` puts the student's answers into the tests' namespace: numbers, strings,
arrays of a numeric dtype and containers of them as plain values, functions as stubs that
call the student's function remotely (arguments and result cross as data; a callable of the
tests passed as an argument is called back through the kernel's stdin channel).

Everything that comes from the student's kernel is decoded by :func:`decode`, which accepts
only the plain data described above and rejects anything else: no pickle, no object that
could carry behaviour (an ``__eq__`` that says yes to anything) into the tests.
"""

from __future__ import annotations

import ast
import base64
import builtins
import itertools
import json
import linecache
import sys
import uuid
import warnings

import numpy as np

MAX_DEPTH = 32
MAX_REPLY = 256 * 2**20  # characters of one answer
PROMPT = "\x00grading-callback:"
ARRAY_KINDS = "biuf"  # bool, int, unsigned, float: no object, string or void arrays
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")

# objects of the side this module runs on, by reference number
REFS: dict[int, object] = {}
_ids = itertools.count(1)


class Ungradable(Exception):
    """An answer that is not plain data."""


# ---------------------------------------------------------------------------------------------
# The codec: plain data only
# ---------------------------------------------------------------------------------------------


def _register(obj) -> int:
    for ref, known in REFS.items():
        if known is obj:
            return ref
    ref = next(_ids)
    REFS[ref] = obj
    return ref


def encode(obj, depth: int = 0):
    """JSON-able form of ``obj``: None, bool, int, float, str; list, tuple, set, dict of them;
    NumPy arrays and scalars of a numeric dtype; Generators (their state); callables (by
    reference). Raises :class:`Ungradable` for anything else."""
    if depth > MAX_DEPTH:
        raise Ungradable("nested too deeply")
    if obj is None or isinstance(obj, bool | str) or type(obj) in (int, float):
        return obj
    if isinstance(obj, np.generic):
        if obj.dtype.kind not in ARRAY_KINDS:
            raise Ungradable(f"a NumPy scalar of dtype {obj.dtype}")
        data = base64.b64encode(np.asarray(obj).tobytes()).decode()
        return {"t": "scalar", "dtype": obj.dtype.str, "b64": data}
    if isinstance(obj, np.ndarray):
        if type(obj) is not np.ndarray:
            obj = np.asarray(obj)
        if obj.dtype.kind not in ARRAY_KINDS:
            raise Ungradable(f"an array of dtype {obj.dtype}")
        data = base64.b64encode(np.ascontiguousarray(obj).tobytes()).decode()
        return {"t": "array", "dtype": obj.dtype.str, "shape": list(obj.shape), "b64": data}
    if isinstance(obj, int | float) and not isinstance(obj, bool):  # int/float subclasses
        return int(obj) if isinstance(obj, int) else float(obj)
    for kind in (list, tuple, set, frozenset):
        if type(obj) is kind:
            items = sorted(obj, key=repr) if kind in (set, frozenset) else obj
            return {"t": kind.__name__, "v": [encode(x, depth + 1) for x in items]}
    if type(obj) is dict:
        return {
            "t": "dict",
            "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in obj.items()],
        }
    if isinstance(obj, np.random.Generator):
        bg = obj.bit_generator
        return {"t": "rng", "bit": type(bg).__name__, "state": encode(bg.state, depth + 1)}
    if id(obj) in _SHIPPED_IDS:  # an object the tests sent (see _ship)
        return {"t": "shipref", "id": _SHIPPED_IDS[id(obj)]}
    if getattr(obj, "_grading_callback", None) is not None:  # a callable of the other side
        return {"t": "back", "ref": obj._grading_callback}
    if callable(obj):
        return {
            "t": "callable",
            "ref": _register(obj),
            "name": str(getattr(obj, "__name__", type(obj).__name__)),
            "module": str(getattr(obj, "__module__", None) or ""),
            "source": _source(obj),
        }
    raise Ungradable(f"an object of type {type(obj).__name__}")


def _source(obj) -> str | None:
    import inspect

    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return None


def _expect(cond: bool, what: str) -> None:
    if not cond:
        raise Ungradable(what)


def decode(node, depth: int = 0):
    """The value that :func:`encode` gave ``node``, checked at every level; callables become
    stubs (:func:`_stub`), references back to this side become the object they name."""
    _expect(depth <= MAX_DEPTH, "nested too deeply")
    if node is None or isinstance(node, bool | int | float | str):
        return node
    _expect(type(node) is dict and isinstance(node.get("t"), str), "not a value")
    t = node["t"]
    if t in ("array", "scalar"):
        _expect(
            isinstance(node.get("dtype"), str) and isinstance(node.get("b64"), str), "bad array"
        )
        dtype = np.dtype(node["dtype"])
        _expect(dtype.kind in ARRAY_KINDS and dtype.fields is None, f"dtype {dtype}")
        raw = base64.b64decode(node["b64"], validate=True)
        if t == "scalar":
            _expect(len(raw) == dtype.itemsize, "bad scalar")
            return np.frombuffer(raw, dtype=dtype)[0].copy()
        shape = node.get("shape")
        _expect(type(shape) is list and len(shape) <= 32, "bad shape")
        _expect(all(type(n) is int and n >= 0 for n in shape), "bad shape")
        _expect(len(raw) == int(np.prod(shape, dtype=np.int64)) * dtype.itemsize, "bad size")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if t in ("list", "tuple", "set", "frozenset"):
        _expect(type(node.get("v")) is list, "bad sequence")
        items = [decode(x, depth + 1) for x in node["v"]]
        try:
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[t](items)
        except TypeError as e:
            raise Ungradable(str(e)) from None
    if t == "dict":
        _expect(type(node.get("v")) is list, "bad dict")
        out = {}
        for pair in node["v"]:
            _expect(type(pair) is list and len(pair) == 2, "bad dict")
            try:
                out[decode(pair[0], depth + 1)] = decode(pair[1], depth + 1)
            except TypeError as e:
                raise Ungradable(str(e)) from None
        return out
    if t == "rng":
        _expect(node.get("bit") in BIT_GENERATORS, "unknown bit generator")
        bg = getattr(np.random, node["bit"])()
        try:
            bg.state = decode(node.get("state"), depth + 1)
        except (TypeError, ValueError, KeyError) as e:
            raise Ungradable(f"bad generator state: {e}") from None
        return np.random.Generator(bg)
    if t == "back":
        _expect(node.get("ref") in REFS, "unknown reference")
        return REFS[node["ref"]]
    if t in ("code", "object", "shipref") and SIDE == "student":
        return _rebuild(node)
    if t == "shipref":  # trusted side: an object of this call's tests, as it came back
        _expect(type(node.get("id")) is int and node["id"] in SHIPPED, "unknown object")
        return SHIPPED[node["id"]]
    if t == "callable":
        _expect(type(node.get("ref")) is int, "bad reference")
        for key in ("name", "module"):
            _expect(isinstance(node.get(key), str), "bad callable")
        _expect(node.get("source") is None or isinstance(node["source"], str), "bad source")
        return _stub(node)
    raise Ungradable(f"unknown kind {t!r}")


def dumps(obj) -> str:
    return json.dumps(obj, allow_nan=True)


def loads(text) -> object:
    _expect(isinstance(text, str) and len(text) <= MAX_REPLY, "answer too large")
    try:
        return json.loads(text)
    except ValueError as e:
        raise Ungradable(f"not JSON: {e}") from None


# Exceptions that cross as themselves; any other becomes StudentError.
_SAME = {
    name
    for name, cls in vars(builtins).items()
    if isinstance(cls, type) and issubclass(cls, Exception)
    and not issubclass(cls, StopIteration | StopAsyncIteration)
}  # fmt: skip


class StudentError(RuntimeError):
    """An exception of the student's code that does not cross as itself."""


def raise_from(info) -> None:
    _expect(type(info) is dict, "bad exception")
    name, msg = info.get("type"), info.get("msg")
    _expect(isinstance(name, str) and isinstance(msg, str), "bad exception")
    msg = msg[:2000]
    if name == "LinAlgError":
        raise np.linalg.LinAlgError(msg)
    if name in _SAME:
        raise getattr(builtins, name)(msg)
    raise StudentError(f"{name[:100]}: {msg}")


def _exception(e: BaseException) -> dict:
    return {"type": type(e).__name__, "msg": str(e)[:2000]}


# ---------------------------------------------------------------------------------------------
# Student's side: the kernel that runs the student's code, sandboxed
# ---------------------------------------------------------------------------------------------

OUT = ""  # the answer to the last request, read by the trusted kernel as a user expression


class _Callback:
    """A callable of the trusted side (a test's lambda), called back through stdin."""

    def __init__(self, node):
        self._grading_callback = node["ref"]
        self.__name__ = node["name"]

    def __call__(self, *args, **kwargs):
        request = dumps({"ref": self._grading_callback, "args": encode(list(args)),
                         "kwargs": encode(kwargs)})  # fmt: skip
        reply = loads(input(PROMPT + request))
        if "raised" in reply:
            raise_from(reply["raised"])
        return decode(reply["ok"])


def _stub(node):
    if SIDE == "student":
        return _Callback(node)
    return _student_function(node)


def serve(text: str) -> None:
    """Answer one request of the trusted kernel into :data:`OUT`."""
    global OUT
    OUT = ""
    request = json.loads(text)
    rid = request["id"]
    try:
        if request["op"] == "export":
            OUT = dumps({"id": rid, "ok": _export(request["names"])})
            return
        func = REFS[request["ref"]]
        OBJECTS.clear()
        _SHIPPED_IDS.clear()
        if request["op"] == "calls":  # many calls in one round trip (the hidden battery)
            results = [_call(func, c, request) for c in request["calls"]]
            OUT = dumps({"id": rid, "results": results})
            return
        OUT = dumps({"id": rid, **_call(func, request, request)})
    except Ungradable as e:
        OUT = dumps({"id": rid, "raised": {"type": "Ungradable", "msg": f"returned {e}"}})
    except (Exception, SystemExit) as e:
        OUT = dumps({"id": rid, "raised": _exception(e)})


def _call(func, call: dict, request: dict) -> dict:
    """One call of ``func``: its value and what it left in its arguments, or what it raised."""
    try:
        args, kwargs = decode(call["args"]), decode(call["kwargs"])
        with warnings.catch_warnings():
            if request["warnings_are_errors"]:
                warnings.simplefilter("error")
            with np.errstate(**request["errstate"]):
                value = func(*args, **kwargs)
        after = [_after(a) for a in args]
        after_kw = {k: _after(v) for k, v in kwargs.items()}
        shipped = {}
        for n, obj in OBJECTS.items():
            try:
                shipped[n] = encode(dict(vars(obj)))
            except Ungradable:
                pass
        return {"ok": encode(value), "after": after, "after_kw": after_kw, "shipped": shipped}
    except Ungradable as e:
        return {"raised": {"type": "Ungradable", "msg": f"returned {e}"}}
    except (Exception, SystemExit) as e:
        return {"raised": _exception(e)}


def _after(value):
    """What a call left in an argument the caller can see change: arrays, generators."""
    if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS:
        return encode(value)
    if isinstance(value, np.random.Generator):
        return encode(value.bit_generator.state)
    return None


OBJECTS: dict[int, object] = {}  # the tests' objects of the current call, by number
_SHIPPED_IDS: dict[int, int] = {}  # id() of each -> its number


def _function(node, ns):
    import marshal
    import types

    code = marshal.loads(base64.b64decode(node["code"]))
    func = types.FunctionType(code, ns, node["name"], decode(node["defaults"]))
    func.__kwdefaults__ = decode(node["kwdefaults"])
    return func


def _rebuild(node):
    """A test's function or object, sent as code, made again here (see _ship)."""
    ns = get_ipython().user_ns  # noqa: F821
    if node["t"] == "code":
        return _function(node, ns)
    if node["t"] == "shipref":
        return OBJECTS[node["id"]]
    methods = {name: _function(m, ns) for name, m in node["methods"].items()}
    cls = type(node["name"], (), methods)
    obj = cls.__new__(cls)
    OBJECTS[node["id"]] = obj  # before its state: objects may refer to each other
    _SHIPPED_IDS[id(obj)] = node["id"]
    vars(obj).update(decode(node["state"]))
    return obj


def _export(names):
    ns = sys.modules["__main__"].__dict__
    try:
        ns = get_ipython().user_ns  # noqa: F821  (defined in an IPython kernel)
    except NameError:
        pass
    out = {}
    for name in names:
        if name not in ns:
            out[name] = {"missing": True}
            continue
        try:
            out[name] = {"value": encode(ns[name])}
        except Ungradable as e:
            out[name] = {"invalid": str(e)}
    return out


# ---------------------------------------------------------------------------------------------
# Trusted side: the kernel that runs the tests
# ---------------------------------------------------------------------------------------------

SIDE = "student"
_link = None


class _Link:
    """A minimal Jupyter client of the student's kernel: shell and stdin, nothing else."""

    def __init__(self, info: dict):
        import zmq
        from jupyter_client.blocking import BlockingKernelClient

        kc = BlockingKernelClient()
        kc.load_connection_info(info)
        self.session = kc.session
        self.shell = kc.connect_shell(identity=kc.session.bsession)
        self.stdin = kc.connect_stdin(identity=kc.session.bsession)
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.stdin, zmq.POLLIN)
        self.zmq = zmq

    def request(self, request: dict):
        """Send one request to the student's kernel; answer its callbacks; return its answer."""
        rid = uuid.uuid4().hex
        request["id"] = rid
        code = f"__import__('sys').modules['_grading_bridge'].serve({dumps(request)!r})"
        expr = "__import__('sys').modules['_grading_bridge'].OUT"
        content = {"code": code, "silent": True, "store_history": False, "allow_stdin": True,
                   "user_expressions": {"answer": expr}, "stop_on_error": False}  # fmt: skip
        mid = self.session.send(self.shell, "execute_request", content)["header"]["msg_id"]
        while True:
            for sock, _ in self.poller.poll(1000):
                _, msg = self.session.recv(sock, mode=self.zmq.NOBLOCK)
                if msg is None or msg["parent_header"].get("msg_id") != mid:
                    continue
                if msg["msg_type"] == "input_request":
                    answer = _callback(msg["content"].get("prompt", ""))
                    self.session.send(self.stdin, "input_reply", {"value": answer})
                elif msg["msg_type"] == "execute_reply":
                    return self._answer(msg["content"], rid)

    @staticmethod
    def _answer(content, rid):
        if content.get("status") != "ok":
            raise StudentError(
                f"the student's kernel did not answer ({content.get('ename', 'no reply')})"
            )
        expr = (content.get("user_expressions") or {}).get("answer") or {}
        text = (expr.get("data") or {}).get("text/plain") if expr.get("status") == "ok" else None
        try:
            reply = loads(ast.literal_eval(text)) if isinstance(text, str) else None
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            reply = None
        if type(reply) is not dict or reply.get("id") != rid:
            raise StudentError(
                "the student's kernel gave no answer (was the kernel tampered with?)"
            )
        return reply


def _callback(prompt: str) -> str:
    try:
        _expect(isinstance(prompt, str) and prompt.startswith(PROMPT), "not a callback")
        req = loads(prompt[len(PROMPT) :])
        _expect(type(req) is dict and type(req.get("ref")) is int, "bad callback")
        func = CALLBACKS.get(req["ref"])
        _expect(func is not None, "unknown callback")
        args, kwargs = decode(req["args"]), decode(req["kwargs"])
        _expect(type(args) is list and type(kwargs) is dict, "bad callback")
        _expect(all(isinstance(k, str) for k in kwargs), "bad callback")
        return dumps({"ok": encode(func(*args, **kwargs))})
    except Exception as e:
        return dumps({"raised": _exception(e)})


CALLBACKS: dict[int, object] = {}


def _ship_function(func) -> dict | None:
    """A test's plain function (a lambda) as code, to run next to the student's code."""
    import marshal
    import types

    if type(func) is not types.FunctionType or func.__closure__:
        return None
    try:
        return {"t": "code", "name": func.__name__, "defaults": encode(func.__defaults__),
                "kwdefaults": encode(func.__kwdefaults__),
                "code": base64.b64encode(marshal.dumps(func.__code__)).decode()}  # fmt: skip
    except (Ungradable, ValueError):
        return None


def _ship(value) -> dict | None:
    """A test's callable sent as code rather than called back across kernels (a call back
    costs a round trip, and a test that times calls must not measure the wire): a plain
    function, or an object of a class the tests defined, with its attributes as data (they
    come back after the call). It runs beside the student's code, which could tamper with it;
    but whatever it returns only feeds the student's function, whose answer the student
    controls anyway. None when it cannot be shipped: then it is called back."""
    shipped = _ship_function(value)
    if shipped is not None or isinstance(value, type):
        return shipped
    cls = type(value)
    if cls.__module__ != "__main__" or cls.__bases__ != (object,):
        return None
    for n, known in SHIPPED.items():
        if known is value:
            return {"t": "shipref", "id": n}
    methods = {}
    for name, member in vars(cls).items():
        if name in ("__dict__", "__weakref__", "__module__", "__doc__", "__qualname__"):
            continue
        methods[name] = _ship_function(member)
        if methods[name] is None:
            return None
    n = len(SHIPPED) + 1
    SHIPPED[n] = value  # before its state: objects may refer to each other
    try:
        items = [[k, _encode_argument(v)] for k, v in vars(value).items()]
    except (Ungradable, TypeError):
        del SHIPPED[n]
        return None
    state = {"t": "dict", "v": items}
    return {"t": "object", "id": n, "name": cls.__name__, "methods": methods, "state": state}


SHIPPED: dict[int, object] = {}  # the tests' objects sent with the current call, by number


def _encode_argument(value):
    """A test's argument: data, a student's function (by reference), or a test's callable."""
    if getattr(value, "_grading_ref", None) is not None:
        return {"t": "back", "ref": value._grading_ref}
    if (shipped := _ship(value)) is not None:
        return shipped
    if callable(value) and not isinstance(value, np.ndarray | np.random.Generator | type):
        ref = next(_ids)
        CALLBACKS[ref] = value
        return {"t": "callable", "ref": ref, "name": str(getattr(value, "__name__", "f")),
                "module": "", "source": None}  # fmt: skip
    if isinstance(value, list | tuple | dict):  # containers of callables (rare): element-wise
        if type(value) is dict:
            return {"t": "dict", "v": [[encode(k), _encode_argument(v)] for k, v in value.items()]}
        if type(value) in (list, tuple):
            return {"t": type(value).__name__, "v": [_encode_argument(v) for v in value]}
    return encode(value)


def _warnings_are_errors() -> bool:
    return (
        bool(warnings.filters)
        and warnings.filters[0][0] == "error"
        and warnings.filters[0][2] is Warning
    )


def _encode_call(name: str, args: tuple, kwargs: dict) -> dict:
    try:
        return {
            "args": {"t": "list", "v": [_encode_argument(a) for a in args]},
            "kwargs": {"t": "dict", "v": [[k, _encode_argument(v)] for k, v in kwargs.items()]},
        }
    except Ungradable as e:
        raise TypeError(f"{name}: an argument cannot be sent to the student's code: {e}") from None


def _outcome(reply, name: str, args: tuple, kwargs: dict):
    """The value of one answered call, its changes written back into the arguments."""
    if type(reply) is not dict:
        raise StudentError(f"{name}: the student's kernel gave no answer")
    try:
        if "raised" in reply:
            raise_from(reply["raised"])
        value = decode(reply.get("ok"))
        after = reply.get("after") or []
        after_kw = reply.get("after_kw") or {}
        for arg, new in zip(args, after if type(after) is list else [], strict=False):
            _write_back(arg, new)
        for key, new in after_kw.items() if type(after_kw) is dict else []:
            if key in kwargs:
                _write_back(kwargs[key], new)
        shipped = reply.get("shipped") or {}
        for n, new in shipped.items() if type(shipped) is dict else []:
            obj = SHIPPED.get(int(n)) if str(n).isdigit() else None
            state = decode(new) if obj is not None else None
            for key, attr in state.items() if type(state) is dict else []:
                if isinstance(key, str) and key in vars(obj):
                    setattr(obj, key, attr)
    except Ungradable as e:
        raise StudentError(f"{name}: the answer cannot be graded: {e}") from None
    return value


def _settings() -> dict:
    return {"errstate": np.geterr(), "warnings_are_errors": _warnings_are_errors()}


def remote(ref: int, name: str, args: tuple, kwargs: dict):
    """Call the student's function ``ref`` in the student's kernel with data; return data."""
    SHIPPED.clear()
    try:
        request = {"op": "call", "ref": ref, **_encode_call(name, args, kwargs), **_settings()}
        return _outcome(_link.request(request), name, args, kwargs)
    finally:
        CALLBACKS.clear()
        SHIPPED.clear()


def remote_many(ref: int, name: str, calls: list) -> list:
    """Many calls ``(args, kwargs)`` of the student's function ``ref`` in one round trip;
    for each, ``("ok", value)`` or ``("raised", exception)``, as :func:`remote` would give."""
    SHIPPED.clear()
    try:
        request = {"op": "calls", "ref": ref, **_settings()}
        request["calls"] = [_encode_call(name, a, k) for a, k in calls]
        replies = _link.request(request).get("results")
        if type(replies) is not list or len(replies) != len(calls):
            raise StudentError(f"{name}: the student's kernel gave no answer")
        out = []
        for reply, (args, kwargs) in zip(replies, calls, strict=True):
            try:
                out.append(("ok", _outcome(reply, name, args, kwargs)))
            except Exception as e:  # noqa: BLE001  (each call's own outcome)
                out.append(("raised", e))
        return out
    finally:
        CALLBACKS.clear()
        SHIPPED.clear()


def _write_back(arg, new) -> None:
    """The change a call made to an argument (an array modified in place, a generator's state)."""
    if new is None:
        return
    if isinstance(arg, np.random.Generator):
        state = decode(new)
        try:
            arg.bit_generator.state = state
        except (TypeError, ValueError, KeyError):
            pass
    elif isinstance(arg, np.ndarray):
        value = decode(new)
        if isinstance(value, np.ndarray) and value.shape == arg.shape and arg.flags.writeable:
            arg[...] = value


def _student_function(node):
    """A real function in the trusted kernel that calls the student's function remotely, with
    the student's name, module and source (``inspect.getsource`` finds it in linecache)."""
    name = node["name"] if node["name"].isidentifier() else "student_function"
    filename = f"<student {name} #{node['ref']}>"
    code = (
        f"def {name}(*args, **kwargs):\n    return _remote({node['ref']}, {name!r}, args, kwargs)\n"
    )
    ns = {"_remote": remote}
    exec(compile(code, filename, "exec"), ns)
    func = ns[name]
    func.__module__ = node["module"]
    func._grading_ref = node["ref"]
    func._grading_many = lambda calls: remote_many(node["ref"], name, calls)
    source = node.get("source")
    if source:
        lines = source.splitlines(keepends=True)
        linecache.cache[filename] = (len(source), None, lines, filename)
    return func


class Unusable:
    """A name whose value in the student's kernel is not plain data: any use fails the test."""

    def __init__(self, name: str, reason: str):
        object.__setattr__(self, "_message", f"{name} cannot be graded: it is {reason}")

    def _fail(self, *args, **kwargs):
        raise AssertionError(object.__getattribute__(self, "_message"))

    __call__ = __getattr__ = __getitem__ = __iter__ = __len__ = __bool__ = _fail
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __float__ = __int__ = _fail
    __array__ = __add__ = __sub__ = __mul__ = __truediv__ = __contains__ = _fail
    __hash__ = object.__hash__

    def __repr__(self):
        return "<not gradable>"


FETCHED: dict[str, object] = {}


def connect(info: dict) -> None:
    """Become the trusted side, talking to the student's kernel described by ``info``."""
    global SIDE, _link
    SIDE = "trusted"
    _link = _Link(info)


def bind(names: list[str]) -> None:
    """Put the student's values of ``names`` into the tests' namespace, except names the
    trusted code bound itself (the helpers, the given data, a test's own variables)."""
    ns = get_ipython().user_ns  # noqa: F821
    wanted = [n for n in names if n not in ns or (n in FETCHED and ns[n] is FETCHED[n])]
    if not wanted:
        return
    answers = _link.request({"op": "export", "names": wanted}).get("ok")
    _expect(type(answers) is dict, "bad export")
    for name in wanted:
        entry = answers.get(name)
        if type(entry) is not dict or entry.get("missing"):
            if name in FETCHED and ns.get(name) is FETCHED.pop(name):
                del ns[name]
            continue
        try:
            value = decode(entry["value"]) if "value" in entry else None
            if "value" not in entry:
                raise Ungradable(str(entry.get("invalid", "not data"))[:200])
        except Ungradable as e:
            value = Unusable(name, str(e))
        ns[name] = FETCHED[name] = value
