"""Play with it: the lesson's own network, learning a 2-D problem while you watch.

Section 7 says it in one picture: each hidden neuron cuts the plane with a
straight line, where its z = w₁x₁ + w₂x₂ + b is 0, and the layer after it adds
those cuts up into a bent boundary. Here you can see it happen.

- The problems: ``rings`` (section 7's), ``quadrants`` (XOR), ``moons`` and
  ``spirals``: points in the unit square [0, 1]², labels 0 and 1, seeded.
- What to draw: ``cut`` and ``hidden_cuts`` (each hidden neuron's straight
  line, clipped to the square), ``straight_boundary`` (without a hidden layer,
  the line where the two outputs tie), ``regions`` (the class the network
  answers at each point of a grid).
- ``Playground`` (shown by ``show``): a widget that trains ``nn.Network`` on
  one problem and redraws while it learns. It needs ipywidgets and ipycanvas
  and a front end that shows widgets; elsewhere it is one line of text.
- ``learning_animation``: the rings network learning, frame by frame, as HTML
  and JavaScript that plays without a kernel.
"""

import copy
import threading
import time

import numpy as np

import nn_helpers as nn
import plumbing

# ---------------------------------------------------------------------------
# The problems: n points in [0, 1]², half of them class 1, the same for the same seed
# ---------------------------------------------------------------------------


def rings(n=400, seed=0):
    """Section 7's rings: class 1 inside a radius of 0.125 around the centre, class 0 between 0.25 and 0.4.

    For the same ``n`` and ``seed`` these are exactly section 7's points (``n=400, seed=SEED``).
    """
    n = _check_points(n)
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.concatenate([rng.uniform(0, 0.25, n // 2), rng.uniform(0.5, 0.8, n - n // 2)])
    x = 0.5 + 0.5 * radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return x.astype(np.float32), np.repeat([1, 0], [n // 2, n - n // 2])


def quadrants(n=400, seed=0):
    """XOR: class 1 in the top-left and bottom-right quarters, class 0 in the other two, with a gap along the middle.

    Exactly n/2 points of each class, each in one of its two quarters at random. No single straight cut
    separates them; two can.
    """
    n = _check_points(n)
    rng = np.random.default_rng(seed)
    y = np.repeat([1, 0], [n // 2, n - n // 2])
    first = rng.integers(0, 2, n)  # which of its class's two quarters: x₁ in the left half (0) or the right (1)
    second = np.where(y == 1, 1 - first, first)  # class 1: x₂ in the other half than x₁; class 0: the same half
    x = rng.uniform(0.05, 0.45, (n, 2)) + 0.5 * np.column_stack([first, second])
    return x.astype(np.float32), y


def moons(n=400, seed=0):
    """Two interleaving half circles (as scikit-learn's make_moons), class 1 the upper one, with a little noise."""
    n = _check_points(n)
    rng = np.random.default_rng(seed)
    y = np.repeat([1, 0], [n // 2, n - n // 2])
    angle = rng.uniform(0, np.pi, n)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])  # centre (0, 0), radius 1
    lower = np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)])  # centre (1, 0.5), upside down
    x = np.where(y[:, None] == 1, upper, lower) + rng.normal(0, 0.1, (n, 2))
    x = 0.5 + 0.3 * (x - [0.5, 0.25])  # from about [-1, 2] × [-0.5, 1] into the square, not stretched
    return np.clip(x, 0, 1).astype(np.float32), y


def spirals(n=400, seed=0, turns=1.25):
    """Two spirals wound into each other around the centre, ``turns`` times: class 1 one arm, class 0 the other.

    The hardest of the four: the boundary must wind between the arms, which takes many hidden neurons.
    """
    n = _check_points(n)
    rng = np.random.default_rng(seed)
    y = np.repeat([1, 0], [n // 2, n - n // 2])
    t = np.sqrt(rng.uniform(0.02, 1, n))  # how far along its arm; the square root spreads the points evenly
    angle = 2 * np.pi * turns * t + np.pi * y  # the two arms half a turn apart
    x = 0.5 + 0.45 * t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]) + rng.normal(0, 0.01, (n, 2))
    return np.clip(x, 0, 1).astype(np.float32), y


PROBLEMS = {"rings": rings, "quadrants": quadrants, "moons": moons, "spirals": spirals}


def make_problem(name, n=400, seed=0):
    """The points and labels of the problem called ``name`` (a key of ``PROBLEMS``)."""
    if name not in PROBLEMS:
        raise ValueError(f"problem must be one of {list(PROBLEMS)}, got {name!r}")
    return PROBLEMS[name](n, seed)


def _check_points(n):
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n, the number of points, must be a whole number of at least 2; got {n!r}")
    return int(n)


# ---------------------------------------------------------------------------
# What the network draws: straight cuts and regions
# ---------------------------------------------------------------------------


def cut(w, b):
    """The part inside the unit square of the line w₁x₁ + w₂x₂ + b = 0: ((x₁, x₂), (x₁, x₂)), its two ends.

    None when the line misses the square, only touches a corner, or is no line at all (w = 0). On one
    side of the line z > 0, on the other z < 0: that is the neuron's straight cut.

    The line's points are p + t·d, with p = −b·w/‖w‖² (its point nearest the origin) and d = (−w₂, w₁)
    (along it, since w·d = 0). Each coordinate stays in [0, 1] for t in an interval; the segment is where
    both intervals overlap.
    """
    w, b = np.asarray(w, dtype=np.float64), float(b)
    if w.shape != (2,):
        raise ValueError(f"w must hold the two weights (w₁, w₂) of a neuron with two inputs; got shape {w.shape}")
    length2 = float(w @ w)
    if length2 == 0:
        return None
    p, d = -b * w / length2, np.array([-w[1], w[0]])
    low, high = -np.inf, np.inf
    for p_i, d_i in zip(p, d):
        if d_i == 0:  # the line runs along this axis: inside the square everywhere, or nowhere
            if not 0 <= p_i <= 1:
                return None
        else:
            t0, t1 = sorted(((0 - p_i) / d_i, (1 - p_i) / d_i))
            low, high = max(low, t0), min(high, t1)
    if (high - low) * np.sqrt(length2) <= 1e-9:  # misses the square, or touches it at one point
        return None
    return tuple(map(float, p + low * d)), tuple(map(float, p + high * d))


def hidden_cuts(net):
    """Each hidden neuron's straight cut (``cut``) for a network with 2 inputs: one per neuron of the first hidden layer.

    Neuron j computes z = w₁x₁ + w₂x₂ + b with (w₁, w₂) = ``weights[0][j]`` and b = ``biases[0][j]``.
    An empty list for a network without a hidden layer.
    """
    _check_two_inputs(net)
    if len(net.sizes) < 3:
        return []
    return [cut(w, b) for w, b in zip(net.weights[0], net.biases[0])]


def straight_boundary(net):
    """The boundary of a network with no hidden layer, 2 inputs and 2 outputs: the line where z₁ = z₀ (``cut``).

    The network answers class 1 where a₁ > a₀, and σ keeps the order of the z's, so where z₁ > z₀:
    (W₁ − W₀)·x + (b₁ − b₀) > 0, a straight cut. None if the line misses the unit square.
    """
    _check_two_inputs(net)
    if net.sizes != [2, 2]:
        raise ValueError(
            f"straight_boundary is for Network([2, 2]), with no hidden layer; this one has sizes {net.sizes}. "
            "With a hidden layer the boundary bends: draw regions(net) instead, and hidden_cuts(net)."
        )
    W, b = net.weights[0], net.biases[0]
    return cut(W[1] - W[0], b[1] - b[0])


def grid(size):
    """The centres of a size × size grid of pixels over the unit square, one row per pixel: shape (size², 2).

    Row by row from the top, as an image is stored: pixel (i, j) is the point x₁ = (j + ½)/size,
    x₂ = 1 − (i + ½)/size, so x₂ grows upwards, as on a plot.
    """
    centres = (np.arange(size) + 0.5) / size
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()]).astype(np.float32)


def regions(net, size=100, forward=None):
    """The class the network answers at each pixel of ``grid(size)``: an image of 0s and 1s, shape (size, size).

    By default ``net.predict``. ``forward(net, x)``, for example the ``my_forward`` of section 1, computes the
    output activations instead; its answer is the brightest output, as ``predict``'s.
    """
    _check_two_inputs(net)
    points = grid(size)
    if forward is None:
        return net.predict(points).reshape(size, size)
    outputs = np.asarray(forward(net, points))
    if outputs.shape != (len(points), net.sizes[-1]):
        raise ValueError(
            f"forward(net, x) must give one row of {net.sizes[-1]} outputs per row of x, shape "
            f"{(len(points), net.sizes[-1])}; it gave {outputs.shape}"
        )
    return outputs.argmax(axis=1).reshape(size, size)


def _check_two_inputs(net):
    if net.sizes[0] != 2:
        raise ValueError(f"the playground draws networks with 2 inputs, the point (x₁, x₂); this one has {net.sizes}")


# The colours: section 7's coolwarm ends for the classes; for the regions, the same at 30% on white, as there.
CLASS_COLOURS = ("#3b4cc0", "#b40426")
REGION_COLOURS = np.array([[196, 201, 236], [233, 180, 190]], dtype=np.uint8)
CUT_COLOURS = ("#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
CUT_COLOURS += ("#000000", "#d4a017")  # matplotlib's tab10 without its blue and red, then black and gold
MAX_HIDDEN = len(CUT_COLOURS)


def region_pixels(classes):
    """An RGBA image of the regions: each pixel the colour of its class (``REGION_COLOURS``)."""
    pixels = np.full((*classes.shape, 4), 255, dtype=np.uint8)
    pixels[..., :3] = REGION_COLOURS[classes]
    return pixels


# ---------------------------------------------------------------------------
# The playground widget
# ---------------------------------------------------------------------------

FALLBACK = (
    "(The playground: a widget, for a front end that shows widgets, such as JupyterLab, Notebook 7, VS Code or "
    "Colab. Here, watch the rings network learn in the animation above, the cell tagged figure-learning-animation.)"
)

RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)  # the learning rates to choose from, as in TensorFlow Playground
REGION_SIZE = 160  # the regions are computed on a grid of this many pixels a side, and scaled up to the canvas
FRAME_SECONDS = 0.1  # at most 10 frames a second: each frame trains a few epochs, then draws

# ipycanvas sends the commands of every canvas through one shared manager, and hold_canvas() batches them there.
# Two playgrounds drawing at once from their threads would mix their batches, so they draw one at a time.
_DRAWING = threading.Lock()


class Playground:
    """A widget that trains the lesson's ``nn.Network`` on a 2-D problem and redraws while it learns.

    It draws the region each class gets, the points, each hidden neuron's straight cut (where its z = 0,
    one colour per neuron) and, below, the cost and the accuracy so far. The controls: the problem, the
    number of hidden neurons (0: no hidden layer, ``Network([2, 2])``, whose boundary is drawn dashed),
    the learning rate η, the cost, the seed, and Train, Stop and Reset. Changing the problem, the hidden
    neurons, the cost or the seed starts a fresh network (Reset); a new rate counts from the next frame.

    It trains only when Train is pressed: in a thread of its own, ``epochs_per_frame`` epochs of
    ``Network.train`` (mini-batches of ``batch_size``) between frames, so the kernel stays free to hear
    Stop. Pressing Train while it trains changes nothing. Each playground has its own network, thread
    and widgets.

    ``forward``: a function ``forward(net, x)`` such as section 1's ``my_forward``; a box then draws the
    regions with it, and with the network's own ``feedforward`` while it raises ``NotImplementedError``.

    The handlers ``train``, ``stop`` and ``reset`` are what the buttons call; ``step`` and ``draw`` are one
    frame's halves. ``epoch``, ``costs`` and ``accuracies`` are the training so far, ``frames`` counts the
    drawings.
    """

    def __init__(
        self,
        problem="rings",
        hidden=8,
        learning_rate=3.0,
        cost="mse",
        seed=0,
        forward=None,
        points=400,
        batch_size=10,
        epochs_per_frame=5,
        size=320,
    ):
        try:
            import ipywidgets as widgets
            from ipycanvas import Canvas
        except ImportError:
            raise ModuleNotFoundError(
                "The playground needs ipywidgets and ipycanvas: %pip install ipycanvas (it brings ipywidgets)"
            ) from None
        if problem not in PROBLEMS:
            raise ValueError(f"problem must be one of {list(PROBLEMS)}, got {problem!r}")
        if not (isinstance(hidden, (int, np.integer)) and 0 <= hidden <= MAX_HIDDEN):
            raise ValueError(f"hidden, the number of hidden neurons, must be a whole number from 0 to {MAX_HIDDEN}")
        if cost not in nn.COSTS:
            raise ValueError(f"cost must be one of {sorted(nn.COSTS)}, got {cost!r}")
        if not (isinstance(learning_rate, (int, float)) and learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
        for name, value in (("batch_size", batch_size), ("epochs_per_frame", epochs_per_frame)):
            if not plumbing.is_positive_int(value):
                raise ValueError(f"{name} must be a positive whole number, got {value!r}")
        self.points, self.batch_size, self.epochs_per_frame = _check_points(points), batch_size, epochs_per_frame
        self.forward = forward

        wide = {"description_width": "initial"}
        self.problem = widgets.Dropdown(options=list(PROBLEMS), value=problem, description="problem", style=wide)
        self.hidden = widgets.IntSlider(
            value=hidden, min=0, max=MAX_HIDDEN, description="hidden neurons", continuous_update=False, style=wide
        )
        rates = sorted({*RATES, learning_rate})
        self.learning_rate = widgets.SelectionSlider(
            options=rates, value=learning_rate, description="rate η", style=wide
        )
        self.cost = widgets.ToggleButtons(
            options=[("MSE", "mse"), ("cross-entropy", "cross_entropy")], value=cost, description="cost", style=wide
        )
        self.cost.style.button_width = "110px"
        self.seed = widgets.BoundedIntText(
            value=seed, min=0, max=2**32 - 1, description="seed", layout={"width": "160px"}
        )
        self.use_forward = widgets.Checkbox(
            value=False, description="regions by my_forward", disabled=forward is None, style=wide
        )
        buttons = [widgets.Button(description=name, icon=icon) for name, icon in (("Train", "play"), ("Stop", "stop"))]
        buttons.append(widgets.Button(description="Reset", icon="refresh"))
        self.status = widgets.HTML()
        self.status.add_class("nn-playground-status")
        self.canvas = Canvas(width=size, height=size, layout={"border": "1px solid #888"})
        self.canvas.add_class("nn-playground-canvas")
        self.curve = Canvas(width=size, height=80)
        self.box = widgets.HBox(
            [
                self.canvas,
                widgets.VBox(
                    [self.problem, self.hidden, self.learning_rate, self.cost, self.seed, self.use_forward]
                    + [widgets.HBox(buttons), self.status, self.curve]
                ),
            ]
        )
        self.box.add_class("nn-playground")
        self.hidden.add_class("nn-playground-hidden")  # names the browser test finds them by

        self._lock = threading.RLock()  # the network and its history: the training thread against the handlers
        self._stop = threading.Event()
        self._thread = None
        self.frames = 0
        self.message = ""  # why training stopped, when it stopped by itself
        for control in (self.problem, self.hidden, self.cost, self.seed):
            control.observe(self.reset, names="value")
        self.use_forward.observe(lambda _: self.draw(), names="value")
        for button, handler in zip(buttons, (self.train, self.stop, self.reset)):
            button.on_click(handler)
        self.reset()

    # -- the handlers: each runs on the kernel's main thread, one at a time ------------------------

    def train(self, _=None):
        """Start training in a thread of its own, unless it is already training."""
        if self.training:
            return
        self._stop.clear()
        self.message = ""
        self._thread = threading.Thread(target=self._train_loop, name="playground", daemon=True)
        self._thread.start()

    def stop(self, _=None):
        """Stop training after the frame under way, and wait for it."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def reset(self, _=None):
        """Stop, then start again: a fresh network of the chosen size, drawn with the seed, and the problem's points."""
        self.stop()
        with self._lock:
            self.x, self.y = make_problem(self.problem.value, self.points, self.seed.value)
            sizes = [2, self.hidden.value, 2] if self.hidden.value else [2, 2]
            self.net = nn.Network(sizes, seed=self.seed.value, cost=self.cost.value)
            self.epoch, self.costs, self.accuracies = 0, [], []
            self.at_start = self.net.evaluate(self.x, self.y)
        self.draw()

    @property
    def training(self):
        return self._thread is not None and self._thread.is_alive()

    # -- one frame: train a little, then draw ---------------------------------------------------------

    def step(self, epochs=None):
        """Train ``epochs`` epochs (``epochs_per_frame`` by default) with ``Network.train``, and record its figures.

        ``threads=None`` leaves NumPy's BLAS threads as they are: a limit set from this thread would be
        the whole process's, and two playgrounds would undo each other's.
        """
        epochs = epochs or self.epochs_per_frame
        with self._lock:
            history = self.net.train(
                self.x, self.y, epochs, self.batch_size, self.learning_rate.value, progress=False, threads=None
            )
            self.epoch += epochs
            self.costs += history["train_cost"]
            self.accuracies += history["train_accuracy"]

    def draw(self):
        """Draw the regions, the cuts, the points, and the cost and accuracy so far."""
        from ipycanvas import hold_canvas

        with self._lock:
            classes, note = self._regions()
            cuts, boundary = hidden_cuts(self.net), straight_boundary(self.net) if len(self.net.sizes) == 2 else None
            cost, accuracy = (self.costs[-1], self.accuracies[-1]) if self.epoch else self.at_start
            costs, accuracies, x, y = list(self.costs), list(self.accuracies), self.x, self.y
        size = self.canvas.width
        with _DRAWING, hold_canvas():
            canvas = self.canvas
            canvas.clear()
            canvas.save()
            canvas.scale(size / REGION_SIZE)
            canvas.put_image_data(region_pixels(classes), 0, 0)
            canvas.restore()
            canvas.line_width = 2.5
            for colour, line in zip(CUT_COLOURS, cuts):
                if line is not None:
                    canvas.stroke_style = colour
                    canvas.stroke_line(*_on_canvas(line[0], size), *_on_canvas(line[1], size))
            if boundary is not None:
                canvas.stroke_style = "#000000"
                canvas.set_line_dash([8, 6])
                canvas.stroke_line(*_on_canvas(boundary[0], size), *_on_canvas(boundary[1], size))
                canvas.set_line_dash([])
            for label, colour in enumerate(CLASS_COLOURS):
                canvas.fill_style = colour
                canvas.fill_circles(*_on_canvas(x[y == label].T, size), 3)
            self._draw_curve(costs, accuracies)
        shown = ", ".join(f'<b style="color:{c}">━</b> {j + 1}' for j, c in zip(range(len(cuts)), CUT_COLOURS))
        self.status.value = (
            f"epoch {self.epoch}: cost {cost:.4f}, accuracy {accuracy:.0%}"
            + (" (training)" if self.training and not self._stop.is_set() else "")
            + (
                f"<br>cuts of the hidden neurons: {shown}"
                if shown
                else "<br>no hidden layer: the dashed line is z₁ = z₀"
            )
            + (f"<br>{note}" if note else "")
            + (f"<br><b>{self.message}</b>" if self.message else "")
        )
        self.frames += 1

    def _draw_curve(self, costs, accuracies):
        """The accuracy (green, 0 to 100%) and the cost (black, over its largest value) against the epoch."""
        curve = self.curve
        width, height = curve.width, curve.height
        top = 16  # the labels' band; the curves are drawn below it
        curve.clear()
        curve.font = "12px sans-serif"
        curves = (
            (np.array(accuracies), "accuracy", "#2ca02c", 4),
            (np.array(costs) / max(costs, default=1), "cost", "#000000", 70),
        )
        for values, name, colour, left in curves:
            curve.fill_style = curve.stroke_style = colour
            curve.fill_text(name, left, 12)
            if len(values) > 1:
                epochs = np.linspace(0, width - 1, len(values))
                every = max(1, len(values) // width)  # about one point per pixel
                curve.stroke_lines(np.column_stack([epochs, top + (height - top - 2) * (1 - values)])[::every])

    def _regions(self):
        """The regions, by ``forward`` when its box is ticked and it works; and a note on which drew them."""
        if self.use_forward.value and self.forward is not None:
            try:
                return regions(self.net, REGION_SIZE, self.forward), "regions drawn by your my_forward"
            except NotImplementedError:
                note = "my_forward is not written yet (section 1): the regions are the network's own"
            except Exception as error:  # the learner's code: say what it raised, and go on with the network's own
                note = f"my_forward raised {type(error).__name__}: {error}; the regions are the network's own"
            return regions(self.net, REGION_SIZE), note
        return regions(self.net, REGION_SIZE), ""

    def _train_loop(self):
        """Frames until Stop: train a few epochs, draw, wait for the rest of ``FRAME_SECONDS``."""
        try:
            while not self._stop.is_set():
                started = time.perf_counter()
                self.step()
                self.draw()
                self._stop.wait(max(0.01, FRAME_SECONDS - (time.perf_counter() - started)))
        except Exception as error:  # a cost that blew up, say: stop, and say why where the learner looks
            self.message = f"Training stopped: {error}"
            self._stop.set()
        self.draw()  # the last frame, without "(training)"

    # -- display --------------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        """The widget, and beside it one line of text for where widgets cannot show (``FALLBACK``)."""
        try:
            from google.colab import output  # only in Colab, which shows no third-party widgets until told to
        except ImportError:
            pass
        else:
            output.enable_custom_widget_manager()
        bundle = self.box._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = FALLBACK
        return bundle


def _on_canvas(point, size):
    """Canvas pixels (column, row) of a point (x₁, x₂) of the unit square: x₂ grows upwards, rows downwards."""
    x1, x2 = np.asarray(point, dtype=np.float64)
    return x1 * size, (1 - x2) * size


def show(**settings):
    """Show a ``Playground`` (its settings as keywords); where ipycanvas is missing, a line that says what to do."""
    from IPython.display import display

    try:
        display(Playground(**settings))
    except ModuleNotFoundError as missing:
        print(f"{missing}. Meanwhile, the animation above shows the rings network learning.")


# ---------------------------------------------------------------------------
# Training you can watch without a kernel: an animation in HTML and JavaScript
# ---------------------------------------------------------------------------


def snapshot_epochs(epochs, frames):
    """About ``frames`` epochs from 0 to ``epochs`` at which to take a picture, closer together at the start.

    Spaced evenly on a log scale (rounded, without repeats), since the boundary moves most in the first epochs.
    """
    return np.unique(np.round(np.geomspace(1, epochs + 1, frames)).astype(int) - 1)


def learning_frames(x, y, learning_rate, sizes=(2, 8, 2), epochs=300, batch_size=10, seed=0, frames=30, cost="mse"):
    """Train ``Network(sizes, seed=seed)`` as section 7 does, and keep a copy of it at each of ``snapshot_epochs``.

    Returns [(epoch, network, cost, accuracy), …]. Training in pieces takes the same steps as one call of
    ``train`` for all the epochs (the shuffles come from the network's own random numbers), so the last
    network is section 7's.
    """
    net = nn.Network(list(sizes), seed=seed, cost=cost)
    pictures, done = [], 0
    for epoch in snapshot_epochs(epochs, frames):
        if epoch > done:
            net.train(x, y, int(epoch - done), batch_size, learning_rate, progress=False)
            done = int(epoch)
        pictures.append((done, copy.deepcopy(net), *net.evaluate(x, y)))
    return pictures


def learning_animation(
    x, y, learning_rate, sizes=(2, 8, 2), epochs=300, batch_size=10, seed=0, frames=30, cost="mse", fps=4
):
    """The network of ``learning_frames`` learning, one frame per picture: an ``IPython.display.HTML``.

    Each frame shows the regions, the points and each hidden neuron's straight cut. matplotlib's
    ``FuncAnimation.to_jshtml`` writes the frames as PNG images into one page of HTML with its own
    JavaScript player (play, pause, step, a slider): it needs no kernel, so it plays wherever the
    notebook is shown with its outputs. About 30 KB a frame.
    """
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    pictures = learning_frames(x, y, learning_rate, sizes, epochs, batch_size, seed, frames, cost)
    fig = Figure(figsize=(3.6, 3.8), dpi=72)  # a Figure, not pyplot's: the notebook shows no still copy of it
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.88))
    ax.set(xlim=(0, 1), ylim=(0, 1), xticks=[], yticks=[], aspect="equal")
    shading = ax.imshow(
        np.zeros((100, 100)),
        extent=(0, 1, 0, 1),
        cmap=ListedColormap(REGION_COLOURS / 255),
        vmin=0,
        vmax=1,
        interpolation="nearest",
    )
    ax.scatter(*np.asarray(x).T, c=np.array(CLASS_COLOURS)[np.asarray(y)], s=6, linewidths=0)
    if len(sizes) > 2:  # a line for each hidden neuron's cut
        lines = [ax.plot([], [], color=colour, linewidth=1.8)[0] for colour in CUT_COLOURS[: sizes[1]]]
    else:  # no hidden layer: one line, the boundary itself
        lines = ax.plot([], [], color="black", linewidth=1.8, linestyle="--")
    title = ax.set_title("", fontsize=10)

    def show_frame(k):
        epoch, net, cost_now, accuracy = pictures[k]
        shading.set_data(regions(net, 100))
        cuts = hidden_cuts(net) if len(net.sizes) > 2 else [straight_boundary(net)]
        for line, segment in zip(lines, cuts):
            line.set_data(*(np.transpose(segment) if segment is not None else ([], [])))
        title.set_text(f"epoch {epoch}: cost {cost_now:.3f}, {accuracy:.0%} right")
        return [shading, title, *lines]

    animation = FuncAnimation(fig, show_frame, frames=len(pictures), interval=1000 / fps)
    return HTML(animation.to_jshtml(fps=fps, default_mode="once"))
