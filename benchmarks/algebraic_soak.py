"""Soak test of --dnnf-algebraic-simplify: thousands of random graphs.

Generates random small dnnf graphs (test/python/transforms/graphgen.py),
rewrites them with dnnf-opt (``dnnf.opt_path()``, or ``DNNF_OPT``) in batches
of functions, runs each function before and after with the numpy reference
interpreter on random inputs, and prints one line per batch and a summary:
graphs, graphs rewritten, rewrites per rule, mismatches (with the seed to
replay them: ``--replay SEED``).  With ``--fast-math`` the graphs keep their
values positive (the domain the fast-math rules assume) and only elements
where the original is finite are compared.

    python benchmarks/algebraic_soak.py [--graphs 5000] [--seed 0]
                                        [--fast-math] [--batch 100]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from mlir import ir

import dnnf
import dnnf.reference as ref

sys.path.insert(0, str(Path(__file__).parents[1] / "test" / "python" / "transforms"))
from graphgen import RandomChooser, compare, random_graph  # noqa: E402

REMARK = re.compile(r":(\d+):\d+: remark: dnnf-algebraic-simplify: ([a-z-]+) \(")


def rewrite(text: str, fast_math: bool) -> tuple[str, list[tuple[int, str]]]:
    flag = "-dnnf-algebraic-simplify=emit-remarks" + (
        " fast-math=true" if fast_math else ""
    )
    out = subprocess.run(
        [str(dnnf.opt_path()), "-", flag, "-mlir-print-op-on-diagnostic=false"],
        input=text,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"dnnf-opt failed:\n{out.stderr[-4000:]}")
    return out.stdout, [(int(line), rule) for line, rule in REMARK.findall(out.stderr)]


def run_batch(
    seeds: list[int], fast_math: bool
) -> tuple[int, Counter[str], list[tuple[int, str]]]:
    """Returns (graphs rewritten, rewrites per rule, failures)."""
    funcs, gens, starts = [], [], []
    line = 1
    for seed in seeds:
        gen, text = random_graph(
            RandomChooser(seed), name=f"g{seed}", positive=fast_math
        )
        funcs.append(text)
        gens.append(gen)
        starts.append(line)
        line += text.count("\n")
    module = "".join(funcs)
    after_text, remarks = rewrite(module, fast_math)
    fired: Counter[str] = Counter(rule for _, rule in remarks)
    by_graph: dict[int, list[str]] = defaultdict(list)
    for remark_line, rule in remarks:
        index = max(i for i, s in enumerate(starts) if s <= remark_line)
        by_graph[index].append(rule)
    failures = []
    with ir.Context():
        before_mod = ir.Module.parse(module)
        after_mod = ir.Module.parse(after_text)
        before_interp = ref.Interpreter(before_mod)
        after_interp = ref.Interpreter(after_mod)
        for i, (seed, gen) in enumerate(zip(seeds, gens, strict=True)):
            inputs = gen.inputs(np.random.default_rng(seed))
            name = f"g{seed}"
            try:
                before = before_interp.run(inputs, func_name=name)
                after = after_interp.run(inputs, func_name=name)
            except Exception as e:  # noqa: BLE001 - reported, not fatal
                failures.append((seed, f"interpreter error: {e}"))
                continue
            for k, (b, a) in enumerate(zip(before, after, strict=True)):
                problem = compare(b, a, finite_only=fast_math)
                if problem:
                    failures.append(
                        (seed, f"output #{k}: {problem}; rules {by_graph[i]}")
                    )
                    break
    return len(by_graph), fired, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--fast-math", action="store_true")
    parser.add_argument("--replay", type=int, help="print one graph and exit")
    args = parser.parse_args()

    if args.replay is not None:
        _, text = random_graph(
            RandomChooser(args.replay), name=f"g{args.replay}", positive=args.fast_math
        )
        print(text)
        print(rewrite(text, args.fast_math)[0])
        return 0

    start = time.time()
    total_rewritten = 0
    fired: Counter[str] = Counter()
    failures: list[tuple[int, str]] = []
    seeds = list(range(args.seed, args.seed + args.graphs))
    for b in range(0, len(seeds), args.batch):
        batch = seeds[b : b + args.batch]
        rewritten, batch_fired, batch_failures = run_batch(batch, args.fast_math)
        total_rewritten += rewritten
        fired.update(batch_fired)
        failures.extend(batch_failures)
        print(
            f"graphs {b + len(batch):6d}  rewritten {total_rewritten:6d}  "
            f"rewrites {sum(fired.values()):7d}  failures {len(failures)}  "
            f"{time.time() - start:6.1f}s",
            flush=True,
        )
    print()
    print(
        f"{len(seeds)} graphs ({'fast-math' if args.fast_math else 'default'}), "
        f"{total_rewritten} rewritten, {sum(fired.values())} rewrites by "
        f"{len(fired)} rules, {len(failures)} failures, "
        f"{time.time() - start:.1f}s"
    )
    print()
    print("| rule | rewrites |")
    print("|---|---:|")
    for rule, n in fired.most_common():
        print(f"| {rule} | {n} |")
    for seed, problem in failures[:20]:
        print(f"FAIL seed {seed}: {problem}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
