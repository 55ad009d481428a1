"""Running the learner's own function for the "your turn" checks, and reading what went wrong.

``your_turn``'s checks run the learner's function through this module:

- ``watched``, around a whole check: what the function prints is kept aside (``Output``), to be shown before
  the verdict, shortened when long; and a function still running after ``TIME_LIMIT`` seconds is stopped
  where the platform can (SIGALRM: Linux and macOS, in the main thread), or else gets a word on how to stop it.
- ``call``, around each call: nn_helpers' own functions and ``Network``'s methods are put back if the
  function replaced one, so the rest of the lesson is unharmed.
- ``explain`` reads an exception: its type and message, the learner's line, the arrays on that line, and the
  hint for that kind of error (a matrix product's shapes, broadcasting, a name, a division by 0, ...).
- ``globals_read`` and ``argument_order`` read the function's code for two mistakes its result cannot show:
  a variable of the notebook used instead of the argument, and arguments taken in another order.
"""

import ast
import builtins
import collections
import contextlib
import dis
import inspect
import io
import linecache
import os
import re
import signal
import sys
import sysconfig
import threading
import types

import numpy as np

import nn_helpers as nn
import plumbing

TIME_LIMIT = 10.0
"""Seconds a check lets the learner's function run. On networks of a few neurons it needs far less than one."""

SHOWN_LINES = (10, 5)
"""How many of the first and of the last lines the learner's function printed are shown before the verdict."""

_LINE_CHARS = 300  # a printed line is cut after this many characters


# -- around a whole check: the learner's output, and the time limit ------------------------------------------


class Output(io.TextIOBase):
    """Stands in for sys.stdout and sys.stderr while a check runs: keeps the first and last lines, and counts them."""

    encoding = "utf-8"

    def __init__(self):
        self.head, self.tail, self.count, self.partial = [], collections.deque(maxlen=SHOWN_LINES[1]), 0, ""

    def writable(self):
        return True

    def write(self, text):
        lines = (self.partial + str(text)).split("\n")
        self.partial = lines.pop()[:_LINE_CHARS]
        for line in lines:
            self._keep(line)
        return len(text)

    def _keep(self, line):
        self.count += 1
        (self.head if len(self.head) < SHOWN_LINES[0] else self.tail).append(line[:_LINE_CHARS])

    def shown(self):
        """The lines to print before the verdict: a title, then the output, shortened when long; [] if none."""
        if self.partial:
            self._keep(self.partial)
            self.partial = ""
        if not self.count:
            return []
        left_out = self.count - len(self.head) - len(self.tail)
        lines = "line" if self.count == 1 else "lines"
        title = f"Your function printed {self.count:,} {lines} while the check ran it"
        if left_out:
            title += f"; the first {len(self.head)} and the last {len(self.tail)}:"
            body = [*self.head, f"… {left_out:,} lines left out …", *self.tail]
        else:
            body = [*self.head, *self.tail]
        return [title + ("" if left_out else ":")] + [f"  │ {line}" for line in body]


class TooSlow(BaseException):
    """Raised when TIME_LIMIT has passed, in the learner's function or in what it returned (a slow __len__): not
    an Exception, so `except Exception` in their code cannot swallow it."""


@contextlib.contextmanager
def watched(check, output):
    """Around a whole check: print to ``output``, and stop (or warn about) a function that runs too long."""
    stdout = sys.stdout  # where the word about a slow function goes, at once
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), _time_limit(check, stdout):
        yield


def can_stop():
    """Whether a function that runs too long can be stopped: SIGALRM exists (not on Windows), this is the main
    thread (Python handles signals only there, where Jupyter runs cells), and nobody else uses the alarm."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN)
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


@contextlib.contextmanager
def _time_limit(check, stdout):
    if can_stop():
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT, 1.0)  # and again each second, should their code catch it
        try:
            yield
        finally:
            surely(lambda: (signal.setitimer(signal.ITIMER_REAL, 0), signal.signal(signal.SIGALRM, previous)))
    else:  # Windows, or not the main thread: a word after TIME_LIMIT, and the learner interrupts the kernel
        timer = threading.Timer(TIME_LIMIT, lambda: print(slow_word(check), file=stdout, flush=True))
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


def _alarm(signum, frame):
    raise TooSlow


def surely(action):
    """``action()`` carried to its end even if the alarm or the kernel's interrupt comes in the middle: it runs
    again (what it did stays done), and the interrupt goes on afterwards. For what must not be left half done."""
    interrupted = False
    while True:
        try:
            result = action()
            break
        except TooSlow:
            pass
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        raise KeyboardInterrupt
    return result


def slow_word(check):
    return (
        f"{check}: your function is still running after {TIME_LIMIT:g} s, on networks of a few neurons: it may "
        "loop forever. To stop it, interrupt the kernel: the ■ button above the notebook, or Kernel → Interrupt "
        "(in Colab: Runtime → Interrupt execution)."
    )


# -- around each call: nn_helpers kept as it is ------------------------------------------------------------------


def call(fn, args):
    """``fn(*args)`` with nn_helpers guarded. Returns (result, error, replaced): the exception it raised (or
    TooSlow), and the names it replaced in nn_helpers, nn.Network, numpy or the checks, already put back.
    KeyboardInterrupt goes on, once they are put back, unless the learner's own code raised it."""
    saved = _lesson_as_it_is()
    result = error = None
    try:
        result = fn(*args)
    except (Exception, SystemExit, TooSlow) as err:
        error = err
    except KeyboardInterrupt as err:
        frames, innermost = learner_frames(err)
        if not (innermost and frames[-1][2].startswith("raise")):  # the kernel was interrupted: that goes on
            raise
        error = err
    finally:
        replaced = surely(lambda: _changed(saved))
        surely(lambda: _put_back(saved))
    return result, error, replaced


def _lesson_as_it_is():
    """The names the rest of the lesson relies on, with their objects: nn_helpers', nn.Network's, numpy's, and
    the checks' own (your_turn's and this module's)."""
    import your_turn  # imported here: your_turn imports this module

    owners = {
        "nn": nn,
        "nn.Network": nn.Network,
        "np": np,
        "your_turn": your_turn,
        "learner_code": sys.modules[__name__],
    }
    return [(prefix, owner, dict(vars(owner))) for prefix, owner in owners.items()]


def _changed(saved):
    """The names the learner's function replaced, deleted or (in nn_helpers) added, as "nn.sigmoid" and so on.

    Python's own bookkeeping is left alone: names like __slotnames__ (which copy.deepcopy stores in a class) and
    __warningregistry__ come and go, and only dunder names that hold a function (__init__, ...) are compared.
    """
    changed = []
    for prefix, owner, before in saved:
        changed += [f"{prefix}.{name}" for name in sorted(_added(prefix, owner, before) + _gone(owner, before))]
    return changed


def _put_back(saved):
    """Put back what the learner's function replaced, deleted or (in nn_helpers) added. Done twice, it does no harm."""
    for prefix, owner, before in saved:
        for name in _added(prefix, owner, before):
            delattr(owner, name)
        for name in _gone(owner, before):
            setattr(owner, name, before[name])


def _added(prefix, owner, before):
    if not prefix.startswith("nn"):  # numpy loads some names when first asked for them
        return []
    return [name for name in vars(owner) if name not in before and not _dunder(name)]


def _gone(owner, before):
    now = vars(owner)
    return [n for n, v in before.items() if (not _dunder(n) or callable(v)) and (n not in now or now[n] is not v)]


def _dunder(name):
    return name.startswith("__") and name.endswith("__")


# -- reading the learner's code ----------------------------------------------------------------------------------


def globals_read(fn):
    """The notebook's variables the function reads (LOAD_GLOBAL), with their values, in the order of first use."""
    code, names = getattr(fn, "__code__", None), {}
    codes = [code] if isinstance(code, types.CodeType) else []
    while codes:
        code = codes.pop(0)
        for instruction in dis.get_instructions(code):
            if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
                names.setdefault(instruction.argval, None)
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]  # comprehensions, inner functions
    space = getattr(fn, "__globals__", {})
    return {name: space[name] for name in names if name in space}


def suspect_globals(fn):
    """The networks and arrays of the notebook the function reads: the check gives it its own, as arguments."""
    return {
        name: value
        for name, value in globals_read(fn).items()
        if isinstance(value, nn.Network) or (isinstance(value, np.ndarray) and value.ndim > 0)
    }


def named(values):
    """`net` (a Network [784, 30, 26]) and `x_train` (an array of shape (100, 784)): for a verdict."""
    return " and ".join(f"`{name}` ({describe(value)})" for name, value in values.items())


def parameters(fn):
    """The names of the function's positional parameters, or None if it takes *args or cannot be read."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


_ROLES = {
    "net": {"net", "network", "model", "nnet", "mlp", "self", "neural_net"},
    "x": {"x", "xs", "inputs", "input", "images", "batch", "x_batch", "a0", "data", "features"},
    "y": {"y", "ys", "targets", "target", "labels", "t", "y_batch", "y_true", "y_onehot", "y_one_hot"},
    "learning_rate": {"learning_rate", "lr", "eta", "η", "rate", "alpha", "step_size", "learningrate"},
}
_GRADIENT = r"(?:grad|grads|gradient|gradients|nabla|d|g|delta)_?(w|weights?|b|bias|biases)"
_GRADIENT_AFTER = r"(w|weights?|b|bias|biases)_?(?:grad|grads|gradients?)"


def role(name):
    """Which of the check's arguments a parameter's name means: 'net', 'x', 'y', 'grad_weights', 'grad_biases',
    'learning_rate', or None."""
    low = name.lower()
    for what, names in _ROLES.items():
        if low in names:
            return what
    match = re.fullmatch(_GRADIENT, low) or re.fullmatch(_GRADIENT_AFTER, low)
    return None if not match else "grad_weights" if match.group(1).startswith("w") else "grad_biases"


def argument_order(fn, expected):
    """A hint if the function's parameters name the check's arguments in another order; else None."""
    params = parameters(fn)
    if not params or len(params) < len(expected):
        return None
    roles = [role(p) for p in params[: len(expected)]]
    if None in roles or sorted(roles) != sorted(expected) or roles == list(expected):
        return None
    return (
        f"the check calls {calls(fn, expected)}, in this order; yours takes ({', '.join(params)}), so each "
        "argument lands in another's place. Put your parameters in the check's order."
    )


def calls(fn, expected):
    return f"{getattr(fn, '__name__', 'your_function')}({', '.join(expected)})"


# -- reading an error ---------------------------------------------------------------------------------------------

_LESSON_FILES = {os.path.realpath(m.__file__) for m in (nn, plumbing)} | {os.path.realpath(__file__)}
_LIBRARY_FOLDERS = tuple(
    {os.path.realpath(sysconfig.get_paths()[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    | {os.path.realpath(os.path.dirname(np.__file__))}
)


def _learners(filename):
    """Whether a file holds the learner's code: not the lesson's modules, numpy or Python's own."""
    if filename.startswith("<"):
        return not filename.startswith(("<frozen", "<__array_function__"))
    path = os.path.realpath(filename)
    return path not in _LESSON_FILES and not path.startswith(_LIBRARY_FOLDERS)


def learner_frames(error):
    """(frame, line number, source line) of each traceback entry in the learner's code, outermost first; and
    whether the error was raised in their code itself (not in numpy or nn_helpers)."""
    frames, tb, last = [], error.__traceback__, None
    while tb is not None:
        code = tb.tb_frame.f_code
        if _learners(code.co_filename):
            line = linecache.getline(code.co_filename, tb.tb_lineno, tb.tb_frame.f_globals).strip()
            frames.append((tb.tb_frame, tb.tb_lineno, line))
        last, tb = tb, tb.tb_next
    return frames, bool(frames) and frames[-1][0] is last.tb_frame


def where_in_their_code(error):
    """', in my_forward, line 7: delta = …', the last line of the learner's code that the error went through."""
    frames, _ = learner_frames(error)
    if not frames:
        return ""
    frame, lineno, line = frames[-1]
    return f", in {frame.f_code.co_name}, line {lineno}" + (f": {line}" if line else "")


def explain(error, fn, expected):
    """(found, values, hint): the error with the learner's line, the values on that line, and where to look."""
    message = _message(error)
    found = f"{type(error).__name__}{': ' + message if message else ''}{where_in_their_code(error)}"
    frames, innermost = learner_frames(error)
    values = values_on(frames[-1][2], frames[-1][0]) if frames else ""
    return found, values, _hint(error, fn, expected, frames, innermost)


def _message(error):
    text = str(error).strip().split("\n")[0]
    return text if len(text) <= 300 else text[:300] + " …"


_MATMUL = ("matmul: Input operand", "not aligned", "size of label", "remapped shapes", "mismatch in its core dimension")
_BROADCAST = ("could not be broadcast", "non-broadcastable output", "could not broadcast input array")
_SCALARS = ("arrays can be converted to Python scalars", "only length-1 arrays", "only size-1 arrays")
_NN_PUBLIC = "sigmoid, sigmoid_prime, mse_cost, cross_entropy_cost, one_hot and Network"


def _hint(error, fn, expected, frames, innermost):
    """The hint for this kind of error. Only a matrix product's shapes bring up transposing."""
    message, name = str(error), getattr(fn, "__name__", "your function")
    suspects = suspect_globals(fn)
    if suspects:
        return (
            f"your function reads {named(suspects)} from the notebook, not from its arguments: the check gives "
            f"your function its own small network and batch, and so does the lesson. Use the arguments: the check "
            f"calls {calls(fn, expected)}."
        )
    order = argument_order(fn, expected)
    if order:
        return order
    if isinstance(error, TypeError) and not frames:  # the call itself failed: the def line
        return (
            f"the check calls {calls(fn, expected)}; your function takes ({', '.join(parameters(fn) or ['…'])}). "
            f"Define it as def {calls(fn, expected)}:."
        )
    if frames and innermost and frames[-1][2].startswith(("raise ", "assert ", "raise(", "assert(")):
        kind = "an assert" if frames[-1][2].startswith("assert") else "a raise"
        return (
            f"this error is your own: the line is {kind} in your function, and the check's networks reached it. "
            "The check runs your function on small networks of several sizes, float32 and float64, with batches "
            "of 1 and of 6 examples: does your condition hold for each of them, not only for the notebook's?"
        )
    if isinstance(error, SystemExit):
        return "your function called exit() or sys.exit(): return its result instead."
    if isinstance(error, ZeroDivisionError):
        return (
            "a division by 0: plain Python numbers stop with this error (numpy arrays give inf instead). Which "
            "divisor is 0 here? The check's batches can hold a single example, where len(x) - 1 and len(x) // 2 "
            "are 0, and its networks a single hidden layer, with 2 arrays of weights."
        )
    if isinstance(error, UnboundLocalError):
        unbound = re.search(r"variable '(\w+)'", message)
        return (
            f"{'`' + unbound.group(1) + '`' if unbound else 'a variable'} is used before it gets a value: it is set "
            "only in a loop or an if that did not run here, or later in the function. Give it its value before this "
            "line."
        )
    if isinstance(error, NameError):
        return _name_hint(getattr(error, "name", None) or "", fn, expected)
    if isinstance(error, RecursionError):
        return f"your function calls itself again and again: is {name} called inside {name}? Write the loop itself."
    if isinstance(error, ValueError) and any(m in message for m in _MATMUL):
        return (
            "a matrix product's shapes do not fit: in A @ B, the columns of A must match the rows of B. With one "
            "example per row, a layer computes a @ W.T, where W = net.weights[l] has shape (neurons out, neurons "
            "in); going back a layer, delta @ W. Compare the shapes on that line: transposing one of the matrices "
            "(.T) is the usual fix, and the equation says which; a matrix of another layer (x where a belongs, or "
            "the l of another layer) gives such a mismatch too."
        )
    if isinstance(error, ValueError) and any(m in message for m in _BROADCAST):
        return _broadcast_hint(message, frames[-1][2] if frames else "")
    if isinstance(error, ValueError) and ("inhomogeneous" in message or "with a sequence" in message):
        return (
            "np.array(...) of arrays of different shapes: each layer's array has its own shape, so together they "
            "make no single array. Keep a list, one array per layer, and work on each in a loop over the layers."
        )
    if isinstance(error, ValueError) and "values to unpack" in message:
        return (
            "the names on the left of = (or after for) do not match the values on the right: to walk two lists "
            "together, for W, b in zip(net.weights, net.biases); a pair, grad_weights, grad_biases = …."
        )
    if isinstance(error, AttributeError):
        return _attribute_hint(message, fn, expected)
    if isinstance(error, TypeError):
        return _type_hint(message)
    if isinstance(error, IndexError):
        if "list index out of range" in message:
            return (
                "an index past the end of a list: net.weights[l] and grad_weights[l] exist for l = 0 … L − 1, with "
                "L = len(net.weights), and activations[l] for l = 0 … L. Check the loop's range, and any l + 1."
            )
        if "too many indices" in message:
            return "more indices than the array has axes: the biases have one axis, shape (k,), so b[j], not b[j, 0]."
        return "an index past the end of an array's axis: compare it with the shapes on that line."
    if isinstance(error, OverflowError) and "math range" in message:
        return _SCALAR_HINT
    return "read the error's message above; the values on that line show what each name held when it stopped."


_SCALAR_HINT = (
    "a function of the math module on an array: math.exp takes a single number. On arrays use np.exp, or nn.sigmoid."
)


def _name_hint(missing, fn, expected):
    params = parameters(fn) or []
    same = [p for p in params if role(p) and role(p) == role(missing) and p != missing]
    if same:
        return f"`{missing}` is not defined in your function: its argument is called `{same[0]}`."
    if missing in vars(nn) and not missing.startswith("_"):
        return f"`{missing}` lives in nn_helpers: write nn.{missing}."
    if missing in vars(np) and not missing.startswith("_"):
        return f"`{missing}` is numpy's: write np.{missing}."
    return (
        f"`{missing}` is not defined in your function, nor in the notebook: work with its arguments, "
        f"{calls(fn, expected)}, and the names you define in it. A variable of the notebook is not the argument."
    )


def _broadcast_hint(message, line):
    hint = (
        "an elementwise operation (+, −, *, /, or -= and += in place) got arrays whose shapes do not fit: they "
        "must be equal, or one must repeat along an axis, like (n, k) with a row (k,): one value per neuron, the "
        "same for every example."
    )
    in_place = re.search(r"[-+*/]=|\]\s*=[^=]", line) or "non-broadcastable output" in message
    if in_place or "could not broadcast input array" in message:
        hint += " In place (-=, +=, [...] =) the array on the left keeps its shape: the right side must fit it."
    if re.search(r"\(\d+, ?1\)", message):
        hint += " A shape (k, 1) is a column, one value per row: the biases are rows of shape (k,); drop the [:, None]."
    return hint + " Compare the shapes on that line."


def _attribute_hint(message, fn, expected):
    if re.search(r"'(list|tuple)' object has no attribute", message):
        return (
            "a Python list where a numpy array is needed: net.weights, the gradients and the activations are "
            "lists of arrays, one per layer. Take one array by its index (net.weights[l]) or loop over the layers; "
            "np.array(...) turns a list of numbers into an array."
        )
    if "'NoneType' object" in message:
        return _NONE_HINT
    if "'Network' object has no attribute" in message:
        return (
            "a Network holds sizes, weights and biases (lists, one array per layer) and the methods feedforward "
            "and backprop; it has no such attribute."
        )
    if "module 'nn_helpers' has no attribute" in message:
        return f"nn_helpers holds {_NN_PUBLIC}; it has no such name."
    if re.search(r"object has no attribute '(weights|biases|sizes|feedforward|backprop)'", message):
        return f"something else stands where the network should: the check calls {calls(fn, expected)}, network first."
    return "the object on that line has no such attribute: compare its name, and what the object is (the values)."


_NONE_HINT = (
    "a None where an array was needed: an entry of a list made with [None] * L that was never filled, or the "
    "result of a function that returns nothing (an in-place method such as list.append or list.reverse)."
)


def _type_hint(message):
    if "can't multiply sequence" in message or re.search(r"unsupported operand type\(s\).*'(list|tuple)'", message):
        return (
            "arithmetic on a whole list: grad_weights and net.weights are lists of arrays, one per layer, and a "
            "list is not an array. Work on each array in a loop over the layers: learning_rate * grad_weights[l]."
        )
    if "'NoneType'" in message:
        return _NONE_HINT
    if any(m in message for m in _SCALARS):
        return _SCALAR_HINT
    if "'Network' object is not" in message:
        return "net is the whole network: its arrays are net.weights[l] and net.biases[l]."
    if "is not callable" in message:
        return "something that is not a function is called with ( ): a name that holds an array or a number."
    return "a value of another kind than the operation needs: the values on that line show what each name held."


# -- the values on the learner's line ------------------------------------------------------------------------


def values_on(line, frame, most=8):
    """'a has shape (1, 5), W has shape (3, 5), n = 0': the arrays, lists and numbers a line of the learner's code
    reads, as they were when it stopped. Only names, .T, net.weights, net.biases and indices are read: no code runs."""
    tree = _parse(line)
    nodes = [tree] if tree is not None else [ast.Name(id=n) for n in re.findall(r"(?<![.\w])[A-Za-z_]\w*", line)]
    said = {}
    for node in nodes:
        _collect(node, frame, said)
    return ", ".join(list(said.values())[:most])


def _parse(line):
    for text in (line, line + " pass", line + "\n pass"):
        try:
            return ast.parse(text)
        except SyntaxError:
            pass
    return None


def _collect(node, frame, said):
    if isinstance(node, ast.Assign):  # the targets hold old values: only the right side is read
        _collect(node.value, frame, said)
        return
    if isinstance(node, ast.For):
        _collect(node.iter, frame, said)
        return
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        value = _value(node, frame)
        text = _described_value(ast.unparse(node), value)
        if text:
            said.setdefault(ast.unparse(node), text)
            return
    for child in ast.iter_child_nodes(node):
        _collect(child, frame, said)


_UNKNOWN = object()


def _value(node, frame):
    """The value of a name, name.T, net.weights / net.biases / net.sizes or a[i] in the frame; _UNKNOWN otherwise."""
    if isinstance(node, ast.Name):
        for space in (frame.f_locals, frame.f_globals, vars(builtins)):
            if node.id in space:
                return space[node.id]
        return _UNKNOWN
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _value(node.operand, frame)
        return -value if type(value) is int else _UNKNOWN
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        left, right = _value(node.left, frame), _value(node.right, frame)
        if type(left) is int and type(right) is int:
            return left + right if isinstance(node.op, ast.Add) else left - right
        return _UNKNOWN
    if isinstance(node, ast.Attribute):
        base = _value(node.value, frame)
        if node.attr == "T" and isinstance(base, np.ndarray):
            return base.T
        if node.attr in ("weights", "biases", "sizes") and isinstance(base, nn.Network):
            return vars(base).get(node.attr, _UNKNOWN)
        return _UNKNOWN
    if isinstance(node, ast.Subscript):
        base, index = _value(node.value, frame), _value(node.slice, frame)
        if isinstance(base, (list, tuple, np.ndarray)) and isinstance(index, (int, np.integer)):
            return base[index] if -len(base) <= index < len(base) else _UNKNOWN
    return _UNKNOWN


def _described_value(text, value):
    if value is _UNKNOWN or isinstance(value, (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType)):
        return None
    if isinstance(value, np.ndarray):
        return f"{text} has shape {value.shape}" if value.ndim else f"{text} = {value.item():.4g}"
    if isinstance(value, (bool, np.bool_)):
        return f"{text} = {value}"
    if isinstance(value, (int, float, np.number)):
        return f"{text} = {value:.4g}" if isinstance(value, (float, np.floating)) else f"{text} = {value}"
    if value is None:
        return f"{text} is None"
    if isinstance(value, (list, tuple, nn.Network)):
        return f"{text} is {describe(value)}"
    return None


def describe(obj):
    """What an object is, in a few words: 'an array of shape (6, 4)', 'a list of 2 arrays', 'None', 'a str'."""
    if obj is None:
        return "None"
    if isinstance(obj, np.ndarray):
        return f"an array of shape {obj.shape}"
    if isinstance(obj, nn.Network):
        return f"a Network {obj.sizes}"
    if isinstance(obj, (list, tuple)):
        kind = "arrays" if obj and all(isinstance(item, np.ndarray) for item in obj) else "items"
        return f"a {type(obj).__name__} of {len(obj)} {kind}"
    name = type(obj).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
