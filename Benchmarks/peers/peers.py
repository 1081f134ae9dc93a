#!/usr/bin/env python3
"""Runs the peer integrators and our `hopfield` tool on the benchmark tasks and prints a comparison table.

Every peer integrates the SAME float64 vector field (docs/math.md §1, two-layer network, identity v, softmax h):

    τ_v v̇ = Ξᵀ softmax_β(h) − v ,   τ_h ḣ = Ξ v − h ,   v(0) = query, h(0) = 0
    E = ½‖v‖² + h·p − lse_β(h) − pᵀ Ξ v ,   p = softmax_β(h)

with the task's rtol/atol, and reports the time per query, the final states and the final energies.
Before any time is printed, every peer's final states are compared with a reference (our tool; without it a
tight-tolerance scipy DOP853 solve, or for T3 diffrax Tsit5) and the max abs difference is shown.

Usage (from the repository root, inside Benchmarks/.venv-peers):
    python Benchmarks/peers/peers.py [--data Benchmarks/.data] [--tasks T1,T2,T3] [--peers ...] [--no-ours]
The hopfield binary comes from $HOPFIELD (default .build/release/hopfield).
See Benchmarks/README.md for what is measured and the caveats.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field

import numpy as np

ALL_PEERS = ["scipy-bdf", "scipy-lsoda", "sksundae-bdf", "diffrax-tsit5", "diffrax-tsit5-steady", "diffrax-kvaerno5",
             "hamux-euler"]
#: Peers run on the T3 scaling tasks unless --t3-peers says otherwise (the cheap ones).
T3_DEFAULT_PEERS = ["diffrax-tsit5", "diffrax-tsit5-steady", "sksundae-bdf"]
#: Forward-Euler step of the HAMUX-style descent, in units of τ_h: α_A = dt / τ_A with dt = τ_h / 5.
EULER_DT_OVER_TAU_H = 0.2


# ----------------------------------------------------------------------------------------------------------
# Tasks and the float64 model in NumPy (shared by scipy, scikit-sundae and the energy of every peer)
# ----------------------------------------------------------------------------------------------------------

@dataclass
class Task:
    name: str
    folder: str
    meta: dict
    Xi: np.ndarray  # [K, N]
    Q: np.ndarray  # [B, N]

    @property
    def N(self) -> int: return self.Xi.shape[1]
    @property
    def K(self) -> int: return self.Xi.shape[0]
    @property
    def B(self) -> int: return self.Q.shape[0]
    @property
    def beta(self) -> float: return float(self.meta["beta"])
    @property
    def tau_v(self) -> float: return float(self.meta.get("tau_v", 1.0))
    @property
    def tau_h(self) -> float: return float(self.meta["tau_h"])
    @property
    def rtol(self) -> float: return float(self.meta["rtol"])
    @property
    def atol(self) -> float: return float(self.meta["atol"])
    @property
    def t_peer(self) -> float:
        """The fixed horizon every peer integrates to (peer_t_end; t_end when the task is not until-steady)."""
        return float(self.meta.get("peer_t_end", self.meta["t_end"]))

    def y0(self, b: int) -> np.ndarray:
        return np.concatenate([self.Q[b], np.zeros(self.K)])


def load_task(folder: str) -> Task:
    with open(os.path.join(folder, "task.json")) as f:
        meta = json.load(f)
    Xi = np.load(os.path.join(folder, "memories.npy"))
    Q = np.load(os.path.join(folder, "queries.npy"))
    if Q.ndim != 2 or Xi.ndim != 2 or Q.shape[1] != Xi.shape[1]:
        raise SystemExit(f"{folder}: queries {Q.shape} and memories {Xi.shape} do not fit")
    return Task(meta["name"], folder, meta, Xi, Q)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def logsumexp(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=-1)
    return m + np.log(np.exp(z - m[..., None]).sum(axis=-1))


class Model:
    """The vector field, its Jacobian, Jacobian–vector products and the energy, in float64 NumPy."""

    def __init__(self, task: Task):
        self.Xi = np.ascontiguousarray(task.Xi, dtype=np.float64)
        self.XiT = np.ascontiguousarray(self.Xi.T)
        self.N, self.K = task.N, task.K
        self.beta, self.tau_v, self.tau_h = task.beta, task.tau_v, task.tau_h

    def rhs(self, y: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        N = self.N
        v, h = y[:N], y[N:]
        p = softmax(self.beta * h)
        if out is None:
            out = np.empty_like(y)
        out[:N] = (self.XiT @ p - v) / self.tau_v
        out[N:] = (self.Xi @ v - h) / self.tau_h
        return out

    def jac(self, y: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """J = [[−I/τ_v, Ξᵀ H/τ_v], [Ξ/τ_h, −I/τ_h]], H = β(diag p − p pᵀ)."""
        N, K = self.N, self.K
        p = softmax(self.beta * y[N:])
        H = self.beta * (np.diag(p) - np.outer(p, p))
        J = np.zeros((N + K, N + K)) if out is None else out
        J[:N, :N] = -np.eye(N) / self.tau_v
        J[:N, N:] = (self.XiT @ H) / self.tau_v
        J[N:, :N] = self.Xi / self.tau_h
        J[N:, N:] = -np.eye(K) / self.tau_h
        return J

    def jvp(self, y: np.ndarray, u: np.ndarray, out: np.ndarray) -> None:
        N = self.N
        p = softmax(self.beta * y[N:])
        uv, uh = u[:N], u[N:]
        Hu = self.beta * (p * uh - p * (p @ uh))
        out[:N] = (self.XiT @ Hu - uv) / self.tau_v
        out[N:] = (self.Xi @ uv - uh) / self.tau_h

    def energy(self, Y: np.ndarray) -> np.ndarray:
        """E for a batch of full states Y [B, N+K]."""
        Y = np.atleast_2d(Y)
        N = self.N
        v, h = Y[:, :N], Y[:, N:]
        bh = self.beta * h
        p = softmax(bh)
        return (0.5 * (v * v).sum(1) + (h * p).sum(1) - logsumexp(bh) / self.beta
                - (p * (v @ self.XiT)).sum(1))

    def residual_wrms(self, Y: np.ndarray, rtol: float, atol: float) -> np.ndarray:
        """‖ẋ‖ in CVODE's weighted RMS norm (weights 1/(atol + rtol|x|)); ≤ 1 is 'steady' for --until-steady."""
        out = np.empty(Y.shape[0])
        for b, y in enumerate(np.atleast_2d(Y)):
            f = self.rhs(y)
            out[b] = np.sqrt(np.mean((f / (atol + rtol * np.abs(y))) ** 2))
        return out


# ----------------------------------------------------------------------------------------------------------
# Results and timing
# ----------------------------------------------------------------------------------------------------------

@dataclass
class Run:
    """One peer on one task: best total time over the queries run, their final states and energies."""
    task: str
    peer: str
    seconds_per_query: float | None = None
    queries: list[int] = field(default_factory=list)  # indices of the queries run
    final_states: np.ndarray | None = None  # [len(queries), N+K]
    final_energies: np.ndarray | None = None
    repeats: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None
    timing: str = "in-process"  # or "process time"
    agreement: float | None = None  # max |Δx| over the full state vs the reference
    agreement_v: float | None = None
    energy_diff: float | None = None


def best_of(fn, repeats: int, budget: float):
    """Calls fn() up to `repeats` times (stopping once the cumulative time exceeds `budget` seconds);
    returns (best seconds, result of the best call, number of calls)."""
    best, result, total, n = float("inf"), None, 0.0, 0
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        r = fn()
        dt = time.perf_counter() - t0
        n += 1
        total += dt
        if dt < best:
            best, result = dt, r
        if total > budget:
            break
    return best, result, n


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------------------
# Peers
# ----------------------------------------------------------------------------------------------------------

def run_scipy(task: Task, model: Model, method: str, queries: list[int], rtol: float, atol: float, t_end: float,
              use_jac: bool = True) -> tuple[np.ndarray, list[str]]:
    from scipy.integrate import solve_ivp

    finals, nfev, njev = [], 0, 0
    for b in queries:
        sol = solve_ivp(lambda t, y: model.rhs(y), (0.0, t_end), task.y0(b), method=method, rtol=rtol, atol=atol,
                        t_eval=[t_end], **({"jac": lambda t, y: model.jac(y)} if use_jac else {}))
        if not sol.success:
            raise RuntimeError(f"solve_ivp {method} failed on query {b}: {sol.message}")
        finals.append(sol.y[:, -1])
        nfev += sol.nfev
        njev += sol.njev
    return np.array(finals), [f"{nfev / len(queries):.0f} rhs, {njev / len(queries):.0f} jac evals/query"]


def run_sksundae(task: Task, model: Model, queries: list[int]) -> tuple[np.ndarray, list[str]]:
    from sksundae.cvode import CVODE, CVODEJacTimes

    dense = task.meta.get("linear_solver", "dense") == "dense"

    def rhsfn(t, y, yp):
        model.rhs(y, yp)

    options = dict(method="BDF", rtol=task.rtol, atol=task.atol, max_num_steps=1_000_000)
    if dense:
        def jacfn(t, y, yp, JJ):
            model.jac(y, JJ)
        solver = CVODE(rhsfn, linsolver="dense", jacfn=jacfn, **options)
        how = "dense LU, analytic Jacobian"
    else:
        def jv(t, y, yp, v, Jv):
            model.jvp(y, v, Jv)
        solver = CVODE(rhsfn, linsolver="gmres", jactimes=CVODEJacTimes(None, jv), **options)
        how = "GMRES (no preconditioner), analytic J·v"
    tspan = np.array([0.0, 0.5 * task.t_peer, task.t_peer])
    finals, nfev = [], 0
    for b in queries:
        sol = solver.solve(tspan, task.y0(b))
        if not sol.success:
            raise RuntimeError(f"CVODE failed on query {b}: {sol.message}")
        finals.append(np.array(sol.y[-1]))
        nfev += sol.nfev
    return np.array(finals), [how, f"{nfev / len(queries):.0f} rhs evals/query"]


def jax_setup():
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    return jax


def make_diffrax(task: Task, solver_name: str, batched: bool, steady: bool = False):
    """A jitted solve(Xi, y0) (vmapped over y0 when batched) returning (final states, steps).

    steady: integrate to the task's t_end but stop each query at our steady-state test,
    ‖ẋ‖_WRMS ≤ 1 with weights 1/(atol + rtol|y_i|) (a diffrax Event; diffrax's own steady_state_event
    tests ‖ẋ‖_rms < atol + rtol‖y‖_rms, nearly the same)."""
    jax = jax_setup()
    import diffrax
    import jax.numpy as jnp

    N, beta, tau_v, tau_h = task.N, task.beta, task.tau_v, task.tau_h

    def vf(t, y, Xi):
        v, h = y[:N], y[N:]
        p = jax.nn.softmax(beta * h)
        return jnp.concatenate([(Xi.T @ p - v) / tau_v, (Xi @ v - h) / tau_h])

    term = diffrax.ODETerm(vf)
    solver = {"tsit5": diffrax.Tsit5, "kvaerno5": diffrax.Kvaerno5}[solver_name]()
    controller = diffrax.PIDController(rtol=task.rtol, atol=task.atol)

    def steady_cond(t, y, args, **kwargs):
        w = vf(t, y, args) / (task.atol + task.rtol * jnp.abs(y))
        return jnp.sqrt(jnp.mean(w * w)) <= 1.0

    t1 = float(task.meta["t_end"]) if steady else task.t_peer
    event = diffrax.Event(steady_cond) if steady else None

    def solve(Xi, y0):
        sol = diffrax.diffeqsolve(term, solver, t0=0.0, t1=t1, dt0=None, y0=y0, args=Xi,
                                  stepsize_controller=controller, saveat=diffrax.SaveAt(t1=True),
                                  max_steps=1_000_000, throw=False, event=event)
        return sol.ys[-1], sol.stats["num_steps"], sol.result._value

    fn = jax.vmap(solve, in_axes=(None, 0)) if batched else solve
    return jax.jit(fn)


def run_diffrax_batched(task: Task, repeats: int, budget: float, steady: bool = False
                        ) -> tuple[float, np.ndarray, int, list[str]]:
    import jax.numpy as jnp
    import diffrax

    solve = make_diffrax(task, "tsit5", batched=True, steady=steady)
    Xi = jnp.asarray(task.Xi)
    Y0 = jnp.asarray(np.stack([task.y0(b) for b in range(task.B)]))
    t0 = time.perf_counter()
    ys, steps, res = solve(Xi, Y0)
    ys.block_until_ready()
    compile_s = time.perf_counter() - t0

    def call():
        out = solve(Xi, Y0)
        out[0].block_until_ready()
        return out

    best, (ys, steps, res), n = best_of(call, repeats, budget)
    ok = [0, diffrax.RESULTS.event_occurred._value] if steady else [0]
    if np.any(~np.isin(np.asarray(res), ok)):
        raise RuntimeError(f"diffrax Tsit5 did not finish every query (results {np.unique(np.asarray(res))})")
    steps = np.asarray(steps)
    notes = [f"jit+vmap over B = {task.B}; warm-up (compile + first run) {compile_s:.1f} s excluded",
             f"steps/query {steps.min()}–{steps.max()}"]
    if steady:
        notes.append(f"steady-state event (our test) up to t_end = {float(task.meta['t_end']):g}; "
                     f"{int(np.sum(np.asarray(res) != 0))} of {task.B} stopped by it")
    return best, np.asarray(ys), n, notes


def run_kvaerno(task: Task, queries: list[int], repeats: int, budget: float):
    import jax.numpy as jnp

    solve = make_diffrax(task, "kvaerno5", batched=False)
    Xi = jnp.asarray(task.Xi)
    y0s = [jnp.asarray(task.y0(b)) for b in queries]
    t0 = time.perf_counter()
    solve(Xi, y0s[0])[0].block_until_ready()
    compile_s = time.perf_counter() - t0

    def call():
        outs = [solve(Xi, y0) for y0 in y0s]
        for o in outs:
            o[0].block_until_ready()
        return outs

    best, outs, n = best_of(call, repeats, budget)
    if any(int(o[2]) != 0 for o in outs):
        raise RuntimeError("diffrax Kvaerno5 did not finish every query")
    steps = [int(o[1]) for o in outs]
    return best, np.array([np.asarray(o[0]) for o in outs]), n, [
        f"jit, one query at a time (no vmap: dense Jacobian per query); warm-up {compile_s:.1f} s excluded",
        f"steps/query {min(steps)}–{max(steps)}"]


def run_hamux(task: Task, repeats: int, budget: float):
    """HAMUX-style descent x_A ← x_A − α_A ∂E/∂g_A with fixed α_A = dt/τ_A (forward Euler of the same ODE)."""
    jax = jax_setup()
    import jax.numpy as jnp

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # hamux prints "Post init" for every NeuronLayer
            import equinox as eqx
            import hamux as hmx
            from hamux.lagrangians import lagr_identity, lagr_softmax

            neurons = {"v": hmx.NeuronLayer(lagr_identity, (task.N,)),
                       "h": hmx.NeuronLayer(functools.partial(lagr_softmax, beta=task.beta), (task.K,))}
            # LinearSynapse energy: −g_vᵀ W g_h with W [N, K] = Ξᵀ, i.e. −pᵀ Ξ v.
            ham = hmx.HAM(neurons=neurons, hypersynapses={"s": hmx.LinearSynapse(W=jnp.asarray(task.Xi.T))},
                          connections=[(("v", "h"), "s")]).vectorize()
        how = f"hamux {__import__('importlib.metadata').metadata.version('hamux')}"
    except ImportError as e:  # pragma: no cover - documented fallback
        raise RuntimeError(f"hamux unavailable ({e})")

    dt = EULER_DT_OVER_TAU_H * task.tau_h
    steps = int(round(task.t_peer / dt))
    alpha = {"v": dt / task.tau_v, "h": dt / task.tau_h}

    @eqx.filter_jit
    def descend(ham, xs):
        def step(carry, _):
            xs, e_prev, ups = carry
            E, g = ham.dEdact(ham.activations(xs), xs, return_energy=True)
            xs = {k: xs[k] - alpha[k] * g[k] for k in xs}
            ups = ups + (E > e_prev + 1e-12 * jnp.abs(e_prev)).astype(jnp.int32)
            return (xs, E, ups), None
        B = xs["v"].shape[0]
        init = (xs, jnp.full((B,), jnp.inf), jnp.zeros((B,), jnp.int32))
        (xs, _, ups), _ = jax.lax.scan(step, init, None, length=steps)
        E = ham.energy(ham.activations(xs), xs)
        return xs, E, ups

    xs0 = {"v": jnp.asarray(task.Q), "h": jnp.zeros((task.B, task.K))}
    t0 = time.perf_counter()
    jax.block_until_ready(descend(ham, xs0))
    compile_s = time.perf_counter() - t0

    def call():
        return jax.block_until_ready(descend(ham, xs0))

    best, (xs, E, ups), n = best_of(call, repeats, budget)
    Y = np.concatenate([np.asarray(xs["v"]), np.asarray(xs["h"])], axis=1)
    return best, Y, np.asarray(E), n, [
        f"{how}; {steps} Euler steps, α_v = {alpha['v']:g}, α_h = {alpha['h']:g} (dt = {dt:g}); jit+vmap, warm-up {compile_s:.1f} s excluded",
        f"energy increases: {int(np.asarray(ups).sum())}"]


# ----------------------------------------------------------------------------------------------------------
# Our tool
# ----------------------------------------------------------------------------------------------------------

def hopfield_binary() -> str | None:
    path = os.environ.get("HOPFIELD", ".build/release/hopfield")
    if os.path.isfile(path) and (os.access(path, os.X_OK) or path.endswith(".py")):
        return path
    found = shutil.which(path)
    return found


def command(binary: str) -> list[str]:
    """The argv prefix that runs `binary` (a .py stand-in such as fake_hopfield.py runs under this Python)."""
    return [sys.executable, binary] if binary.endswith(".py") else [binary]


def supports_bench_task(binary: str) -> bool:
    try:
        r = subprocess.run(command(binary) + ["bench-task", "--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0 and "bench-task" in (r.stdout + r.stderr)


def ours_name(method: str) -> str:
    """The table's name of our tool run with `method` (bdf runs with GMRES and the batch strategy's rule)."""
    return {"tsit5": "ours (hopfield, Tsit5)", "bdf": "ours (hopfield, BDF + GMRES)",
            "auto": "ours (hopfield, auto = default)",
            "process": "ours (hopfield simulate, default flags, whole process)"}.get(method, f"ours (hopfield, {method})")


def run_ours(task: Task, binary: str, bench_task: bool, repeats: int, budget: float, method: str = "bdf") -> Run:
    run = Run(task.name, ours_name(method))
    N, K, B = task.N, task.K, task.B
    default_flags = method == "process"
    if default_flags:
        bench_task = False
    if bench_task:
        def call():
            r = subprocess.run(command(binary) + ["bench-task", task.folder, "--json", "--method", method],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"hopfield bench-task exited {r.returncode}: {r.stderr.strip()[-500:]}")
            return json.loads(r.stdout)

        best_doc, n = None, 0
        spent = 0.0
        for _ in range(max(1, repeats)):
            doc = call()
            n += 1
            spent += float(doc["total_seconds"])
            if best_doc is None or doc["seconds_per_query"] < best_doc["seconds_per_query"]:
                best_doc = doc
            if spent > budget:
                break
        Y = np.asarray(best_doc["final_states"], dtype=np.float64)
        run.seconds_per_query = float(best_doc["seconds_per_query"])
        run.final_states = Y
        run.final_energies = np.asarray(best_doc["final_energies"], dtype=np.float64)
        run.queries = list(range(B))
        run.repeats = n
        run.notes.append("bench-task (in-process timing)")
        if "t_final" in best_doc:
            tf = np.asarray(best_doc["t_final"], dtype=np.float64)
            run.notes.append(f"t_final {tf.min():.3g}–{tf.max():.3g}")
        if best_doc.get("stats"):
            steps = [int(st["steps"]) for st in best_doc["stats"]]
            run.notes.append(f"steps/query {min(steps)}–{max(steps)}")
        for key in ("linear_solver", "threads"):
            if key in best_doc:
                run.notes.append(f"{key} {best_doc[key]}")
    else:
        m = task.meta
        cmd = command(binary) + ["simulate", os.path.join(task.folder, "network.json"),
               "--init", "v=" + os.path.join(task.folder, "queries.npy"),
               "--t-end", repr(float(m["t_end"])), "--rtol", repr(task.rtol), "--atol", repr(task.atol),
               "--saves", "2", "--json"]
        if not default_flags:
            cmd += ["--linear-solver", m.get("linear_solver", "dense")]
        if m.get("until_steady"):
            cmd.append("--until-steady")

        def call():
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"hopfield simulate exited {r.returncode}: {r.stderr.strip()[-500:]}")
            return json.loads(r.stdout)

        best, doc, n = best_of(call, repeats, budget)
        fs = doc["final_state"]
        v, h = np.asarray(fs["v"], dtype=np.float64), np.asarray(fs["h"], dtype=np.float64)
        v, h = v.reshape(B, N), h.reshape(B, K)
        run.final_states = np.concatenate([v, h], axis=1)
        run.final_energies = np.atleast_1d(np.asarray(doc["energy_final"], dtype=np.float64))
        run.seconds_per_query = best / B
        run.queries = list(range(B))
        run.repeats = n
        run.timing = "process time"
        run.notes.append("simulate fallback: whole process (load + integrate + JSON), not bench-task")
        tf = np.atleast_1d(np.asarray(doc["t_final"], dtype=np.float64))
        run.notes.append(f"t_final {tf.min():.3g}–{tf.max():.3g}; linear solver {m.get('linear_solver', 'dense')}")
    return run


# ----------------------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------------------

def queries_for(peer: str, task: Task, args) -> list[int]:
    """The queries a sequential peer runs (all for T1; a prefix for the expensive ones)."""
    cap = {
        "scipy-bdf": args.scipy_queries, "scipy-lsoda": args.scipy_queries,
        "diffrax-kvaerno5": args.kvaerno_queries, "sksundae-bdf": args.sundae_queries,
    }.get(peer)
    n = task.B if cap is None or cap <= 0 else min(cap, task.B)
    return list(range(n))


def run_peer(peer: str, task: Task, model: Model, args) -> Run:
    run = Run(task.name, peer)
    rep, budget = args.repeats, args.repeat_budget
    if peer in ("diffrax-tsit5", "diffrax-tsit5-steady", "hamux-euler") and task.tau_h < 1e-3:
        run.skipped = f"explicit peer on a stiff task (τ_h = {task.tau_h:g}): stability-limited, ~1e5 steps per query"
        say(f"  {peer}: skipped")
        return run
    if peer == "diffrax-kvaerno5" and task.B > 1 and args.kvaerno_queries <= 0:
        run.skipped = "single-query tasks only (minutes per query at N + K = 1784; --kvaerno-queries n forces it)"
        say(f"  {peer}: skipped")
        return run
    try:
        if peer in ("scipy-bdf", "scipy-lsoda"):
            qs = queries_for(peer, task, args)
            method = "BDF" if peer == "scipy-bdf" else "LSODA"
            best, (Y, notes), n = best_of(
                lambda: run_scipy(task, model, method, qs, task.rtol, task.atol, task.t_peer), rep, budget)
            run.notes += ["analytic dense Jacobian"] + notes
        elif peer == "sksundae-bdf":
            qs = queries_for(peer, task, args)
            t0 = time.perf_counter()
            run_sksundae(task, model, qs[:1])  # the first solve in a process pays a one-time setup of seconds
            warm = time.perf_counter() - t0
            best, (Y, notes), n = best_of(lambda: run_sksundae(task, model, qs), rep, budget)
            run.notes += notes + [f"warm-up (first solve, one query) {warm:.2g} s excluded"]
        elif peer == "diffrax-tsit5":
            qs = list(range(task.B))
            best, Y, n, notes = run_diffrax_batched(task, rep, budget)
            run.notes += notes
        elif peer == "diffrax-tsit5-steady":
            if not task.meta.get("until_steady"):
                run.skipped = "until-steady tasks only (the task integrates to a fixed t_end)"
                say(f"  {peer}: skipped")
                return run
            qs = list(range(task.B))
            best, Y, n, notes = run_diffrax_batched(task, rep, budget, steady=True)
            run.notes += notes
        elif peer == "diffrax-kvaerno5":
            qs = queries_for(peer, task, args)
            best, Y, n, notes = run_kvaerno(task, qs, rep, budget)
            run.notes += notes
        elif peer == "hamux-euler":
            qs = list(range(task.B))
            best, Y, E_hamux, n, notes = run_hamux(task, rep, budget)
            run.notes += notes
            dE = np.max(np.abs(E_hamux - model.energy(Y)))
            run.notes.append(f"hamux energy vs ours formula |ΔE| {dE:.1e}")
        else:
            raise RuntimeError(f"unknown peer {peer}")
    except Exception as e:  # a failing peer is reported, not fatal
        run.error = f"{type(e).__name__}: {e}"
        say(f"  {peer}: FAILED {run.error}")
        return run
    run.queries = qs
    run.final_states = np.asarray(Y, dtype=np.float64)
    run.final_energies = model.energy(run.final_states)
    run.seconds_per_query = best / len(qs)
    run.repeats = n
    if len(qs) < task.B:
        run.notes.append(f"{len(qs)} of {task.B} queries")
    if n > 1 or rep > 1:
        run.notes.append(f"best of {n}")
    res = model.residual_wrms(run.final_states, task.rtol, task.atol)
    run.notes.append(f"max ‖ẋ‖_wrms at t = {task.t_peer:g}: {res.max():.2g}")
    say(f"  {peer}: {run.seconds_per_query * 1e3:.2f} ms/query over {len(qs)} queries (best of {n})")
    return run


def tight_reference(task: Task, model: Model, queries: list[int]) -> Run:
    """scipy DOP853 at rtol 1e-10, atol 1e-12 to the peers' horizon: an independent, accurate reference."""
    run = Run(task.name, "reference: scipy DOP853 rtol 1e-10 atol 1e-12")
    t0 = time.perf_counter()
    Y, _ = run_scipy(task, model, "DOP853", queries, 1e-10, 1e-12, task.t_peer, use_jac=False)
    run.seconds_per_query = (time.perf_counter() - t0) / len(queries)
    run.queries, run.final_states, run.final_energies = queries, Y, model.energy(Y)
    return run


def compare(run: Run, ref: Run, N: int) -> None:
    if run.final_states is None or ref.final_states is None:
        return
    common = [q for q in run.queries if q in ref.queries]
    if not common:
        return
    ri = [run.queries.index(q) for q in common]
    fi = [ref.queries.index(q) for q in common]
    D = np.abs(run.final_states[ri] - ref.final_states[fi])
    run.agreement = float(D.max())
    run.agreement_v = float(D[:, :N].max())
    run.energy_diff = float(np.abs(run.final_energies[ri] - ref.final_energies[fi]).max())


def fmt_time(s: float | None) -> str:
    if s is None:
        return "–"
    return f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def table(runs: list[Run], ours: dict[str, Run], refs: dict[str, str]) -> str:
    lines = ["| task | peer | time/query | ratio (peer/ours) | agreement max\\|Δx\\| (\\|Δv\\|) | max \\|ΔE\\| | E final (query 0) | notes |",
             "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        o = ours.get(r.task)
        ratio = "–"
        if o is not None and o.seconds_per_query and r.seconds_per_query is not None:
            ratio = "1" if r is o else f"{r.seconds_per_query / o.seconds_per_query:.3g}"
        if r.skipped:
            agree, dE, notes = "–", "–", "skipped: " + r.skipped
        elif r.error:
            agree, dE, notes = "–", "–", "FAILED: " + r.error
        else:
            agree = "ref" if r.agreement is None and refs.get(r.task) == r.peer else (
                "–" if r.agreement is None else f"{r.agreement:.1e} ({r.agreement_v:.1e})")
            dE = "–" if r.energy_diff is None else f"{r.energy_diff:.1e}"
            notes = "; ".join(([r.timing] if r.timing != "in-process" else []) + r.notes)
        e0 = "–" if r.final_energies is None or not len(r.final_energies) else f"{r.final_energies[0]:.8g}"
        lines.append(f"| {r.task} | {r.peer} | {fmt_time(r.seconds_per_query)} | {ratio} | {agree} | {dE} | {e0} | {notes} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data", default=os.path.normpath(os.path.join(here, "..", ".data")),
                    help="folder written by tasks.py (default Benchmarks/.data); results are written there too")
    ap.add_argument("--tasks", default="T1,T2", help="comma-separated: T1, T2, T3 (all T3-* folders) or folder names")
    ap.add_argument("--peers", default=",".join(ALL_PEERS), help=f"subset of {','.join(ALL_PEERS)}")
    ap.add_argument("--t3-peers", default=",".join(T3_DEFAULT_PEERS), help="peers for the T3 scaling tasks")
    ap.add_argument("--t3-max-b", type=int, default=1024, help="skip T3 tasks with more queries (bound the runtime)")
    ap.add_argument("--t3-max-k", type=int, default=10000, help="skip T3 tasks with more memories")
    ap.add_argument("--peer-t-end", type=float, default=0,
                    help="override the peers' fixed horizon peer_t_end of the until-steady tasks (default: task.json's)")
    ap.add_argument("--no-ours", action="store_true", help="do not run the hopfield tool")
    ap.add_argument("--ours-methods", default="auto,process,tsit5,bdf",
                    help="our tool's methods, one row each (default auto,process,tsit5,bdf); the first is the base of the "
                         "ratio column (bench-task --method; 'process' = the whole `hopfield simulate` process with "
                         "default flags, process time; without bench-task only the simulate fallback runs)")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many runs (default 3)")
    ap.add_argument("--repeat-budget", type=float, default=20.0,
                    help="stop repeating a peer once its runs took this many seconds in all (default 20)")
    ap.add_argument("--scipy-queries", type=int, default=2, help="queries run by scipy BDF/LSODA (default 2; 0 = all)")
    ap.add_argument("--sundae-queries", type=int, default=64, help="queries run by scikit-sundae (default 64; 0 = all)")
    ap.add_argument("--kvaerno-queries", type=int, default=0,
                    help="queries run by diffrax Kvaerno5; 0 (default) = only tasks with one query (T1)")
    ap.add_argument("--ref-queries", type=int, default=1,
                    help="queries of the tight scipy DOP853 reference (T1/T2; default 1): the agreement reference when "
                         "our tool is missing, else a check of ours; 0 skips the check of ours")
    ap.add_argument("--blas-threads", type=int, default=1,
                    help="OpenBLAS threads for the NumPy peers (scipy, scikit-sundae; default 1, 0 = library default): "
                         "at these sizes threads do not help, and on a busy machine spinning BLAS threads slow them down")
    args = ap.parse_args()
    if args.blas_threads > 0:
        try:
            from threadpoolctl import threadpool_limits
            threadpool_limits(limits=args.blas_threads, user_api="blas")
        except ImportError:
            say("peers: threadpoolctl missing; --blas-threads ignored")

    # Task folders.
    wanted = [t.strip() for t in args.tasks.split(",") if t.strip()]
    folders = []
    for t in wanted:
        if t == "T3":
            names = sorted((n for n in os.listdir(args.data) if n.startswith("T3-")),
                           key=lambda n: (int(n.split("-B")[1]) != 16, int(n.split("-K")[1].split("-")[0]), int(n.split("-B")[1])))
            folders += [os.path.join(args.data, n) for n in names]
        else:
            folders.append(os.path.join(args.data, t))
    for f in folders:
        if not os.path.isfile(os.path.join(f, "task.json")):
            raise SystemExit(f"peers: {f}/task.json missing (run Benchmarks/peers/tasks.py first)")
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    t3_peers = [p.strip() for p in args.t3_peers.split(",") if p.strip()]
    for p in peers + t3_peers:
        if p not in ALL_PEERS:
            raise SystemExit(f"peers: unknown peer {p} (valid: {', '.join(ALL_PEERS)})")

    binary = None if args.no_ours else hopfield_binary()
    bench_task = bool(binary) and supports_bench_task(binary)
    if args.no_ours:
        say("peers: our tool skipped (--no-ours)")
    elif binary is None:
        say(f"peers: no hopfield binary at {os.environ.get('HOPFIELD', '.build/release/hopfield')}: our tool skipped")
    else:
        say(f"peers: our tool: {binary} ({'bench-task' if bench_task else 'simulate fallback, process time'})")

    runs: list[Run] = []
    ours: dict[str, Run] = {}
    refs: dict[str, str] = {}
    started = time.perf_counter()
    for folder in folders:
        task = load_task(folder)
        if args.peer_t_end > 0 and task.meta.get("until_steady"):
            task.meta["peer_t_end"] = args.peer_t_end
        is_t3 = task.name.startswith("T3")
        if is_t3 and (task.B > args.t3_max_b or task.K > args.t3_max_k):
            say(f"{task.name}: skipped (--t3-max-b/--t3-max-k)")
            continue
        say(f"{task.name}: N={task.N} K={task.K} B={task.B} β={task.beta} τ_h={task.tau_h} peers integrate to t = {task.t_peer:g}")
        model = Model(task)
        task_runs: list[Run] = []
        methods = [m.strip() for m in args.ours_methods.split(",") if m.strip()] if bench_task else ["bdf"]
        for method in (methods if binary else []):
            try:
                our = run_ours(task, binary, bench_task, args.repeats, args.repeat_budget, method)
                say(f"  {our.peer}: {our.seconds_per_query * 1e3:.2f} ms/query ({our.timing})")
            except Exception as e:
                our = Run(task.name, ours_name(method), error=f"{type(e).__name__}: {e}")
                say(f"  {our.peer}: FAILED {our.error}")
            task_runs.append(our)
            if our.error is None and task.name not in ours:
                ours[task.name] = our
        for peer in (t3_peers if is_t3 else peers):
            task_runs.append(run_peer(peer, task, model, args))
        # Agreement.
        ref = ours.get(task.name)
        if ref is not None and not is_t3 and args.ref_queries > 0:
            # An independent check of every run of our tool against a tight scipy solve on a few queries.
            n = min(args.ref_queries, task.B)
            say(f"  checking ours against scipy DOP853 rtol 1e-10 atol 1e-12 on {n} queries…")
            tight = tight_reference(task, model, list(range(n)))
            for mine in (r for r in task_runs if r.peer.startswith("ours") and r.error is None):
                probe = Run(task.name, "check", queries=mine.queries, final_states=mine.final_states,
                            final_energies=mine.final_energies)
                compare(probe, tight, task.N)
                mine.notes.append(f"vs tight DOP853 on {n} queries: max|Δx| {probe.agreement:.1e} "
                                  f"(|Δv| {probe.agreement_v:.1e}), |ΔE| {probe.energy_diff:.1e}")
        if ref is None and not is_t3:
            n = task.B if task.B <= 1 else min(max(1, args.ref_queries), task.B)
            say(f"  reference: scipy DOP853 rtol 1e-10 atol 1e-12 on {n} queries…")
            ref = tight_reference(task, model, list(range(n)))
            task_runs.append(ref)
        elif ref is None:
            ref = next((r for r in task_runs if r.peer == "diffrax-tsit5" and r.error is None), None)
        if ref is not None:
            refs[task.name] = ref.peer
            for r in task_runs:
                if r is not ref:
                    compare(r, ref, task.N)
            if not ref.peer.startswith("ours") and ours.get(task.name) is None:
                ref.notes.append("reference for the agreement column")
        runs += task_runs

    md = table(runs, ours, refs)
    header = [
        "# Peer benchmark", "",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average at the end {os.getloadavg()[0]:.1f}; total wall time {time.perf_counter() - started:.0f} s", "",
        "Agreement: max abs difference of the final state (all N + K units; in brackets v only) against the "
        "reference named per task: " + ", ".join(f"{k}: {v}" for k, v in refs.items()) + ".", "",
    ]
    text = "\n".join(header) + md + "\n"
    print(text)
    os.makedirs(args.data, exist_ok=True)
    with open(os.path.join(args.data, "peers-results.md"), "w") as f:
        f.write(text)
    doc = {
        "machine": {"arch": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "references": refs,
        "runs": [{
            "task": r.task, "peer": r.peer, "seconds_per_query": r.seconds_per_query,
            "ratio_to_ours": (r.seconds_per_query / ours[r.task].seconds_per_query
                              if r.task in ours and r.seconds_per_query else None),
            "queries": len(r.queries), "repeats": r.repeats, "timing": r.timing,
            "agreement_max_abs": r.agreement, "agreement_v_max_abs": r.agreement_v,
            "energy_max_abs_diff": r.energy_diff,
            "final_energies": None if r.final_energies is None else [float(e) for e in r.final_energies[:8]],
            "notes": r.notes, "error": r.error, "skipped": r.skipped,
        } for r in runs],
    }
    with open(os.path.join(args.data, "peers-results.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    say(f"peers: wrote {os.path.join(args.data, 'peers-results.md')} and peers-results.json")


if __name__ == "__main__":
    main()
