"""Tests of playground.py: the 2-D problems, each hidden neuron's straight cut, the regions, the widget's controls
driven without a browser (its handlers called directly, its thread really run), and the animation.

The browser test, tests/test_playground_browser.py, clicks the same widget in JupyterLab.
"""

import json
import re
import sys
import threading
import time
import types

import IPython.display
import nbformat
import numpy as np
import pytest
from conftest import NOTEBOOK

import nn_helpers as nn
import playground
from playground import Playground, cut, grid, hidden_cuts, make_problem, regions, straight_boundary


def same_parameters(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a.weights + a.biases, b.weights + b.biases))


def close_parameters(a, b):
    """Equal up to float32 rounding: the same training steps, taken in pieces or in one call."""
    return all(np.allclose(p, q, rtol=1e-5, atol=1e-7) for p, q in zip(a.weights + a.biases, b.weights + b.biases))


def trained_like_the_lesson(sizes, problem, epochs, seed=0, rate=3.0, cost="mse"):
    """What one call of the lesson's Network.train gives, for comparison with the playground's network."""
    net = nn.Network(sizes, seed=seed, cost=cost)
    if epochs:
        net.train(*make_problem(problem, 400, seed), epochs, 10, rate, progress=False)
    return net


def wait_until(condition, seconds=120):
    """Wait for ``condition()`` while a playground's thread works (a generous limit: the machine may be busy)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the playground's thread did not get there in time"
        time.sleep(0.02)


def z(w, b, point):
    return float(np.dot(w, point) + b)


# -- the problems ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(playground.PROBLEMS))
def test_each_problem_is_seeded_balanced_and_in_the_unit_square(name):
    x, y = make_problem(name, 400, seed=3)
    again_x, again_y = make_problem(name, 400, seed=3)
    other_x, _ = make_problem(name, 400, seed=4)
    assert np.array_equal(x, again_x) and np.array_equal(y, again_y)
    assert not np.array_equal(x, other_x)
    assert x.shape == (400, 2) and x.dtype == np.float32 and x.min() >= 0 and x.max() <= 1
    assert sorted(set(y.tolist())) == [0, 1] and np.sum(y == 1) == 200
    assert np.sum(make_problem(name, 7, seed=0)[1] == 1) == 3  # an odd number: as balanced as it can be


def test_the_rings_are_section_7s_points():
    (source,) = [
        c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.source.startswith("x_rings, y_rings =")
    ]
    names = {"np": np, "SEED": 0, "playground": playground}
    exec(source, names)  # the notebook's own cell (it prints one line)
    x, y = playground.rings(400, seed=0)
    assert np.array_equal(names["x_rings"], x) and np.array_equal(names["y_rings"], y)


def test_the_rings_and_the_quadrants_are_what_they_say():
    x, y = playground.rings(400, seed=1)
    radius = np.linalg.norm(x - 0.5, axis=1)
    assert radius[y == 1].max() < 0.125 and radius[y == 0].min() >= 0.25 and radius[y == 0].max() <= 0.4
    x, y = playground.quadrants(400, seed=1)
    assert np.array_equal(y, ((x[:, 0] > 0.5) != (x[:, 1] > 0.5)).astype(int))  # XOR of the two halves
    assert np.abs(x - 0.5).min() >= 0.05  # a gap along the middle lines
    x, y = playground.moons(400, seed=1)
    assert x[y == 1, 1].mean() > x[y == 0, 1].mean()  # class 1 is the upper moon


def test_bad_problem_settings_say_what_to_do():
    with pytest.raises(ValueError, match="problem must be one of"):
        make_problem("circles")
    with pytest.raises(ValueError, match="at least 2"):
        playground.rings(1)


# -- the straight cuts ---------------------------------------------------------------------------------------------


def test_each_cut_lies_on_z_0_and_crosses_the_square_or_is_none_when_it_misses():
    rng = np.random.default_rng(0)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    crossing = 0
    for _ in range(2000):
        w, b = rng.normal(0, 3, 2), rng.normal(0, 2)
        segment = cut(w, b)
        z_at_corners = corners @ w + b
        if segment is None:
            assert np.all(z_at_corners > -1e-9) or np.all(z_at_corners < 1e-9)  # all on one side: it misses
            continue
        crossing += 1
        ends = np.array(segment)
        assert np.all(ends >= -1e-9) and np.all(ends <= 1 + 1e-9)  # inside the square
        for t in (0, 0.3, 1):  # the ends and a point between them: z = 0
            assert z(w, b, (1 - t) * ends[0] + t * ends[1]) == pytest.approx(0, abs=1e-9)
        for end in ends:  # each end on the square's edge: the whole chord, not a piece of it
            assert np.min(np.abs(np.concatenate([end, end - 1]))) < 1e-9
        assert z_at_corners.min() < 1e-9 < z_at_corners.max() + 2e-9  # the corners lie on both sides
    assert 500 < crossing < 1900  # both kinds were met


def test_known_cuts():
    def ends(segment):
        return sorted(tuple(round(float(v), 9) for v in end) for end in segment)

    assert ends(cut([1, 0], -0.5)) == [(0.5, 0.0), (0.5, 1.0)]  # x₁ = 0.5, straight up
    assert ends(cut([0, 2], -0.5)) == [(0.0, 0.25), (1.0, 0.25)]  # x₂ = 0.25, across
    assert ends(cut([1, 1], -1)) == [(0.0, 1.0), (1.0, 0.0)]  # the diagonal x₁ + x₂ = 1
    assert cut([1, 1], 1) is None  # x₁ + x₂ = −1 misses the square
    assert cut([1, 1], 0) is None  # x₁ + x₂ = 0 only touches the corner (0, 0)
    assert cut([0, 0], 1) is None  # w = 0: z never changes sign, no line
    with pytest.raises(ValueError, match="two weights"):
        cut([1, 2, 3], 0)


def test_hidden_cuts_are_each_hidden_neurons_line():
    net = nn.Network([2, 3, 2], seed=0)
    net.weights[0][:] = [[1, 0], [0, 2], [1, 1]]
    net.biases[0][:] = [-0.5, -0.5, 1]
    first, second, third = hidden_cuts(net)
    assert {end[0] for end in first} == {0.5} and {end[1] for end in second} == {0.25} and third is None
    trained = trained_like_the_lesson([2, 8, 2], "rings", 20)
    assert hidden_cuts(trained) == [cut(w, b) for w, b in zip(trained.weights[0], trained.biases[0])]
    assert hidden_cuts(nn.Network([2, 2], seed=0)) == []
    with pytest.raises(ValueError, match="2 inputs"):
        hidden_cuts(nn.Network([3, 4, 2], seed=0))


# -- the boundary without a hidden layer, and the regions ----------------------------------------------------------


def test_without_a_hidden_layer_the_boundary_is_the_line_where_the_outputs_tie():
    net = nn.Network([2, 2], seed=0, dtype=np.float64)
    net.weights[0][:] = [[0, 0], [1, -1]]
    net.biases[0][:] = [0, 0.2]  # z₁ − z₀ = x₁ − x₂ + 0.2
    segment = straight_boundary(net)
    assert sorted(tuple(np.round(end, 9)) for end in segment) == [(0.0, 0.2), (0.8, 1.0)]
    on_line = np.linspace(*np.array(segment), 9)
    outputs = net.feedforward(on_line)
    assert np.allclose(outputs[:, 0], outputs[:, 1])  # the two outputs tie on the line
    normal = np.array([1, -1]) / np.sqrt(2)  # towards z₁ > z₀
    assert np.all(net.predict(on_line + 1e-3 * normal) == 1) and np.all(net.predict(on_line - 1e-3 * normal) == 0)


def test_without_a_hidden_layer_the_regions_are_the_two_sides_of_the_boundary():
    points = grid(100)
    for seed in range(20):  # trained networks: the line lies wherever training left it
        net = trained_like_the_lesson([2, 2], "rings", 5 + seed, seed=seed)
        classes = regions(net, 100).ravel()
        segment = straight_boundary(net)
        if segment is None:
            assert len(set(classes.tolist())) == 1  # the line misses the square: one class everywhere
            continue
        (a, b) = np.array(segment)
        side = (points - a) @ np.array([-(b - a)[1], (b - a)[0]])  # which side of the line, by a cross product
        clear = np.abs(side) > 1e-4  # leave out pixels on the line itself
        agree = (side[clear] > 0) == (classes[clear] == 1)
        assert agree.all() or (~agree).all()  # one side is class 1, the other class 0
    with pytest.raises(ValueError, match="hidden layer"):
        straight_boundary(nn.Network([2, 8, 2], seed=0))


def test_regions_are_what_predict_says_on_the_grid_from_the_top_left():
    assert np.allclose(grid(4)[[0, 3, 15]], [[0.125, 0.875], [0.875, 0.875], [0.875, 0.125]])  # rows from the top
    net = trained_like_the_lesson([2, 8, 2], "rings", 100)
    classes = regions(net, 60)
    assert classes.shape == (60, 60) and np.array_equal(classes.ravel(), net.predict(grid(60)))
    assert classes[30, 30] == 1 and classes[0, 0] == 0  # the inner ring's class in the middle, the outer's outside


def my_forward(net, x):  # section 1's solution
    a = x
    for W, b in zip(net.weights, net.biases):
        a = nn.sigmoid(a @ W.T + b)
    return a


def test_regions_can_be_drawn_by_the_learners_forward_pass():
    net = trained_like_the_lesson([2, 5, 2], "moons", 50)
    assert np.array_equal(regions(net, 50, my_forward), regions(net, 50))
    assert np.array_equal(regions(net, 50, lambda n, x: 1 - my_forward(n, x)), 1 - regions(net, 50))

    def not_written(net, x):
        raise NotImplementedError

    with pytest.raises(NotImplementedError):
        regions(net, 50, not_written)
    with pytest.raises(ValueError, match="one row of 2 outputs"):
        regions(net, 50, lambda n, x: my_forward(n, x).T)


# -- the playground, driven without a browser -----------------------------------------------------------------


@pytest.fixture
def playgrounds():
    """Playgrounds made by a test, stopped at its end whatever happened."""
    made = []

    def make(**settings):
        made.append(Playground(**settings))
        return made[-1]

    yield make
    for each in made:
        each.stop()


def test_the_playground_does_not_train_until_asked(playgrounds):
    pg = playgrounds()
    time.sleep(0.3)
    assert not pg.training and pg.epoch == 0 and pg.frames == 1  # drawn once, untrained
    assert pg.net.sizes == [2, 8, 2] and same_parameters(pg.net, nn.Network([2, 8, 2], seed=0))
    assert "epoch 0:" in pg.status.value and pg.status.value.count("━") == 8  # a colour for each hidden neuron's cut


def test_a_step_is_the_lessons_own_training_and_a_new_rate_counts_from_the_next(playgrounds):
    pg = playgrounds(problem="moons", hidden=3, seed=2)
    pg.step(4)
    pg.learning_rate.value = 0.3
    pg.step(3)
    twin = trained_like_the_lesson([2, 3, 2], "moons", 4, seed=2)
    twin.train(*make_problem("moons", 400, 2), 3, 10, 0.3, progress=False)
    assert pg.epoch == 7 and len(pg.costs) == len(pg.accuracies) == 7
    assert close_parameters(pg.net, twin)
    assert pg.accuracies[-1] == twin.accuracy(*make_problem("moons", 400, 2))


def test_train_runs_in_a_thread_redraws_and_stops(playgrounds):
    pg = playgrounds(epochs_per_frame=2)
    pg.train()
    assert pg.training
    wait_until(lambda: pg.epoch >= 20 and pg.frames >= 5)  # trains and draws, frame after frame
    thread = pg._thread
    pg.train()  # pressed again while it trains: nothing new
    assert pg._thread is thread
    assert "(training)" in pg.status.value
    pg.stop()
    assert not pg.training and not thread.is_alive()
    stopped_at = pg.epoch
    time.sleep(0.3)
    assert pg.epoch == stopped_at and "(training)" not in pg.status.value
    assert close_parameters(pg.net, trained_like_the_lesson([2, 8, 2], "rings", stopped_at))
    pg.epochs_per_frame = 10  # bigger frames, to get on
    pg.train()  # Train again: goes on from where it stopped
    wait_until(lambda: pg.epoch >= 120)
    pg.stop()
    assert pg.accuracies[-1] > 0.9  # the rings, learned by 120 epochs (chance is 50%)


def test_reset_and_new_settings_start_a_fresh_network(playgrounds):
    pg = playgrounds()
    pg.train()
    wait_until(lambda: pg.epoch >= 10)
    pg.reset()
    assert not pg.training and pg.epoch == 0 and pg.costs == []
    assert same_parameters(pg.net, nn.Network([2, 8, 2], seed=0))
    pg.train()
    wait_until(lambda: pg.epoch >= 10)
    pg.hidden.value = 3  # while it trains: it stops, and starts again with 3 hidden neurons
    assert not pg.training and pg.epoch == 0 and pg.net.sizes == [2, 3, 2]
    pg.hidden.value = 0
    assert pg.net.sizes == [2, 2] and "no hidden layer" in pg.status.value
    pg.seed.value = 5
    assert same_parameters(pg.net, nn.Network([2, 2], seed=5))
    pg.problem.value = "spirals"
    assert np.array_equal(pg.x, make_problem("spirals", 400, 5)[0])
    pg.cost.value = "cross_entropy"
    assert pg.net.cost == "cross_entropy" and pg.epoch == 0


def test_two_playgrounds_in_one_kernel_do_not_interfere(playgrounds):
    a, b = playgrounds(), playgrounds(problem="quadrants", hidden=4, seed=1)
    a.train()
    wait_until(lambda: a.epoch >= 10)
    a.stop()
    assert b.epoch == 0 and not b.training and same_parameters(b.net, nn.Network([2, 4, 2], seed=1))
    a.reset()
    a.train()
    b.train()  # both at once, each in its own thread
    wait_until(lambda: a.epoch >= 30 and b.epoch >= 30)
    a.stop()
    assert b.training  # stopping one leaves the other
    b.stop()
    for pg, sizes, problem, seed in ((a, [2, 8, 2], "rings", 0), (b, [2, 4, 2], "quadrants", 1)):
        twin = trained_like_the_lesson(sizes, problem, pg.epoch, seed=seed)
        assert close_parameters(pg.net, twin)


def test_two_playgrounds_drawing_at_once_send_whole_frames(playgrounds, monkeypatch):
    """ipycanvas sends every canvas's commands through one manager: each batch it sends holds one playground's frame."""
    from ipycanvas import canvas as ipycanvas_canvas

    manager = ipycanvas_canvas._CANVAS_MANAGER
    sent, send = [], manager._send_custom
    lock = threading.Lock()

    def record(command, buffers=[]):  # noqa: B006 (ipycanvas's own signature)
        with lock:
            sent.append(command)
        return send(command, buffers)

    monkeypatch.setattr(manager, "_send_custom", record)
    a, b = playgrounds(epochs_per_frame=1), playgrounds(epochs_per_frame=1, problem="moons")
    canvases = {pg: {f"IPY_MODEL_{pg.canvas.model_id}", f"IPY_MODEL_{pg.curve.model_id}"} for pg in (a, b)}
    sent.clear()
    a.train()
    b.train()
    wait_until(lambda: a.frames >= 20 and b.frames >= 20)
    a.stop()
    b.stop()
    switch = ipycanvas_canvas.COMMANDS["switchCanvas"]
    assert len(sent) >= 40
    for batch in sent:
        assert isinstance(batch[0], list)  # a batch of commands (hold_canvas), never one command alone
        targets = {command[1][0] for command in batch if command[0] == switch}
        assert targets and (targets <= canvases[a] or targets <= canvases[b])  # one playground's canvases only
        assert batch[0][0] == switch  # and it says which canvas first


def test_a_failure_in_training_stops_it_and_says_why(playgrounds, monkeypatch):
    pg = playgrounds()

    def blows_up(*args, **kwargs):
        raise FloatingPointError("The cost became nan: the learning rate is most likely too high")

    monkeypatch.setattr(pg.net, "train", blows_up)
    pg.train()
    wait_until(lambda: not pg.training)
    assert "Training stopped: The cost became nan" in pg.status.value and pg.epoch == 0


def test_the_regions_can_come_from_the_learners_my_forward(playgrounds):
    calls = []

    def counted(net, x):
        calls.append(len(x))
        return my_forward(net, x)

    pg = playgrounds(forward=counted)
    assert not pg.use_forward.disabled and calls == []  # off until the box is ticked
    pg.use_forward.value = True
    assert calls == [playground.REGION_SIZE**2] and "regions drawn by your my_forward" in pg.status.value
    assert np.array_equal(pg._regions()[0], regions(pg.net, playground.REGION_SIZE))

    def not_written(net, x):
        raise NotImplementedError

    pg = playgrounds(forward=not_written)
    pg.use_forward.value = True
    assert "my_forward is not written yet" in pg.status.value
    pg = playgrounds(forward=lambda net, x: x @ net.weights[0])  # a shape mistake: said, and the network's own drawn
    pg.use_forward.value = True
    assert "my_forward raised ValueError" in pg.status.value
    assert playgrounds().use_forward.disabled  # no forward given: nothing to tick


def test_bad_settings_say_what_to_do():
    with pytest.raises(ValueError, match="problem must be one of"):
        Playground(problem="circles")
    with pytest.raises(ValueError, match="from 0 to 10"):
        Playground(hidden=11)
    with pytest.raises(ValueError, match="cost must be one of"):
        Playground(cost="l1")
    with pytest.raises(ValueError, match="positive number"):
        Playground(learning_rate=0)
    with pytest.raises(ValueError, match="epochs_per_frame must be a positive whole number"):
        Playground(epochs_per_frame=0)


# -- where it is shown ---------------------------------------------------------------------------------------------


@pytest.fixture
def displayed(monkeypatch):
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects, **options: shown.extend(objects))
    return shown


def test_the_widget_carries_a_line_of_text_for_where_widgets_cannot_show(playgrounds, displayed):
    assert playground.show(hidden=2) is None  # shows it and returns at once: nothing waits for a browser
    (pg,) = displayed
    bundle = pg._repr_mimebundle_()
    pg.stop()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text = bundle["text/plain"]
    assert text == playground.FALLBACK and "\n" not in text
    assert (
        "widget" in text and "animation" in text and "figure-learning-animation" in text
    )  # says so, and where to look
    assert not pg.training


def test_show_without_ipycanvas_prints_what_to_do(monkeypatch, displayed, capsys):
    monkeypatch.setitem(sys.modules, "ipycanvas", None)  # import ipycanvas fails, as where it is not installed
    playground.show()
    assert displayed == [] and "pip install ipycanvas" in capsys.readouterr().out


def test_in_colab_the_playground_turns_on_colabs_widget_manager(playgrounds, monkeypatch):
    calls = []
    google, colab, output = (types.ModuleType(n) for n in ("google", "google.colab", "google.colab.output"))
    output.enable_custom_widget_manager = lambda: calls.append("enable_custom_widget_manager")
    google.colab, colab.output = colab, output
    for module in (google, colab, output):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    bundle = playgrounds()._repr_mimebundle_()
    assert calls == ["enable_custom_widget_manager"] and "application/vnd.jupyter.widget-view+json" in bundle


# -- the animation ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def animation():
    x, y = playground.rings(400, seed=0)
    return playground.learning_animation(x, y, 3.0, sizes=[2, 8, 2], epochs=300, batch_size=10, seed=0)


def test_the_animation_has_at_least_10_frames_and_takes_at_most_2_mb(animation):
    html = animation.data
    frames = re.findall(r'frames\[(\d+)\] = "data:image/png;base64,', html)
    assert len(frames) >= 10 and [int(k) for k in frames] == list(range(len(frames)))
    output = {"output_type": "display_data", "data": {"text/html": html}, "metadata": {}}
    size = len(json.dumps(output).encode())  # as the notebook saves it
    print(f"\nanimation: {len(frames)} frames, {size:,} bytes in the notebook")
    assert size <= 2_000_000
    assert (
        "<script src" not in html and "animation" in html.lower()
    )  # its player is in the page: no kernel, no download


def test_the_animations_pictures_are_the_lessons_training_in_pieces():
    x, y = playground.rings(400, seed=0)
    pictures = playground.learning_frames(x, y, 3.0, sizes=[2, 8, 2], epochs=60, seed=0, frames=12)
    epochs = [epoch for epoch, *_ in pictures]
    assert epochs[0] == 0 and epochs[-1] == 60 and epochs == sorted(set(epochs)) and len(epochs) >= 10
    assert same_parameters(pictures[0][1], nn.Network([2, 8, 2], seed=0))
    assert same_parameters(pictures[-1][1], trained_like_the_lesson([2, 8, 2], "rings", 60))  # as one call of train
    _, last, cost, accuracy = pictures[-1]
    assert (cost, accuracy) == last.evaluate(x, y)


def test_an_animation_without_a_hidden_layer_draws_its_straight_boundary():
    x, y = playground.rings(400, seed=0)
    html = playground.learning_animation(x, y, 3.0, sizes=[2, 2], epochs=20, frames=10).data
    assert len(re.findall(r'frames\[\d+\] = "data:image/png;base64,', html)) >= 5
