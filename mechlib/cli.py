"""The command line: ``python -m mechlib COMMAND``. Run ``python -m mechlib --help`` for the list.

Each command is a small function. Exit status: 0 success, 1 invalid data, 2 bad argument,
3 input/output failure (:data:`EXIT_CODES`); each failure is one line on stderr, no traceback,
and nothing half-written. A closed pipe ends quietly.

Examples
--------
>>> main(["check-data"])
data OK: ...
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _check_data(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mechlib import data
    from mechlib.data import rules

    ds = data.load()  # a DataError (exit 1) lists every problem
    folder = Path(args.notebooks_dir) if args.notebooks_dir else ds.data_dir.parent / "notebooks"
    if args.notebooks_dir and not folder.is_dir():
        raise data.DataError([data.DataProblem(str(folder), "(folder)", "is not a folder; "
                                               "allowed: the folder of lesson notebooks")])
    problems = rules.check_notebooks(ds, folder) if folder.is_dir() else []
    if problems:
        raise data.DataError(problems)
    print(ds.summary())
    return 0


def _pk(args: argparse.Namespace) -> int:
    import json

    from mechlib.models import pk

    drug = args.drug.strip().lower()
    d = pk._drug(drug)  # a ValueError names the drugs with a model, or the model it lacks
    if d.pk_model.startswith("oral"):
        if args.route not in (None, "oral"):
            raise ValueError(f"--route: {drug} has an oral model; allowed: oral")
        if args.dose_mg is None:
            raise ValueError(f"{drug} needs --dose-mg (a finite number > 0)")
        prof = pk.oral_profile(pk.regular_schedule(args.dose_mg, args.every_h, args.days),
                               drug=drug, comedication=args.comedication,
                               weight_kg=args.weight_kg)
    else:
        if args.comedication is not None:
            raise ValueError(f"--comedication applies to drugs with an oral model; {drug} has "
                             f"{d.pk_model}")
        model = args.model or pk.iv_models(drug)[-1]
        prof = pk.ketamine_profile(args.route or "iv", mg_per_kg=args.mg_per_kg,
                                   dose_mg=args.dose_mg, infusion_min=args.infusion_min,
                                   weight_kg=args.weight_kg, model=model, drug=drug)
    iv = not d.pk_model.startswith("oral")
    summary = prof.summary()
    if args.json:
        out = {"drug": prof.drug, "t_h": [round(x, 4) for x in prof.t_h.tolist()],
               "conc_mg_per_L": [round(x, 6) for x in prof.conc_mg_per_L.tolist()]}
        if iv:
            out["conc_ng_per_mL"] = [round(x, 3) for x in prof.conc_ng_per_mL.tolist()]
        out.update(summary=summary, note=prof.note)
        print(json.dumps(out))
        return 0
    scale, unit = (1000.0, "ng/mL") if iv else (1.0, "mg/L")
    lines = [f"{prof.drug} ({prof.route}), half-life used {prof.half_life_h:.1f} h",
             f"  Cmax   {prof.cmax * scale:.3g} {unit} at {prof.tmax_h:.2f} h"]
    if prof.trough is not None:
        lines.append(f"  trough {prof.trough * scale:.3g} {unit} (last dosing interval)")
    if prof.css_avg is not None:
        lines.append(f"  steady-state average {prof.css_avg * scale:.3g} {unit}; 90 % of steady "
                     f"state after {prof.time_to_fraction_of_steady_state(0.9) / 24:.1f} days")
    lines.append(prof.note)
    print("\n".join(lines))
    return 0


def _diagram(args: argparse.Namespace) -> int:
    from mechlib.mechanism import draw

    hyp = not args.established_only
    if args.describe:
        print(draw.describe(args.view, args.drug, include_hypotheses=hyp))
        return 0
    if args.geometry:
        import json

        from mechlib.mechanism import checks, layout

        geo = layout.geometry(args.view)
        geo["crossings"] = checks.crossings(geo)
        print(json.dumps(geo, ensure_ascii=False))
        return 0
    fig = draw.diagram(args.view, args.drug, include_hypotheses=hyp)
    print(f"wrote {draw.save(fig, args.out)}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    import json
    from itertools import combinations

    from mechlib.mechanism import reasoning

    twice = next((d for d in args.drug if args.drug.count(d) > 1), None)
    if twice:
        raise ValueError(f"--drug {twice} is given twice; give each drug once")
    hyp = not args.established_only
    eff = reasoning.effect(args.drug, args.node, view=args.view, include_hypotheses=hyp)
    pairs = [reasoning.interaction(a, b, args.node, view=args.view, include_hypotheses=hyp)
             for a, b in combinations(args.drug, 2)]  # every pair, as the mechanism explorer
    if args.json:
        out = eff.to_dict()
        if len(pairs) == 1:
            out["interaction"] = pairs[0].to_dict()
        elif pairs:
            out["interactions"] = [p.to_dict() for p in pairs]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(eff.describe())
        for pair in pairs:
            print()
            print(pair.describe())
    return 0


EXIT_CODES = """exit status: 0 success; 1 invalid data (check-data lists every problem);
2 bad argument (the message says what is allowed); 3 input/output failure (a file cannot be
written, e.g. --out is a folder or under /proc). A closed pipe (| head) ends quietly with 0.

data: every command reads the folder given by --data-dir, else $MECHLIB_DATA_DIR, else the
shipped data/ (docs/instructor-guide.md)."""


# --------------------------------------------------------------------------- population (issue 15)


def _population(args: argparse.Namespace) -> int:
    """Virtual patients: summary (text or --json) and, with --csv, the per-patient table."""
    import csv
    import io
    import json
    from pathlib import Path

    from mechlib import files
    from mechlib.models import pk, population

    drug = args.drug.strip().lower()
    csv_path = None
    if args.csv is not None:
        csv_path = Path(args.csv).expanduser()
        if csv_path.is_dir() or not csv_path.parent.is_dir() or csv_path.suffix.lower() != ".csv":
            raise ValueError(f"--csv must be a new or existing .csv file in an existing folder; "
                             f"got {args.csv!r}")
    if drug == "lamotrigine":
        if args.route not in (None, "oral"):
            raise ValueError("--route applies to ketamine only; lamotrigine is oral")
        if args.dose_mg is None:
            raise ValueError("lamotrigine needs --dose-mg (a finite number > 0)")
        sched = pk.regular_schedule(args.dose_mg, args.every_h, args.days)
        pop = population.lamotrigine_population(sched, n=args.n, seed=args.seed,
                                                comedication=args.comedication or "none")
        scale, unit = 1.0, "mg/L"
    elif drug == "ketamine":
        if args.comedication is not None:
            raise ValueError("--comedication applies to lamotrigine only")
        route = args.route or "iv"
        if route == "iv" and args.dose_mg is not None:
            raise ValueError("ketamine iv takes --mg-per-kg (default 0.5), not --dose-mg")
        if route != "iv" and args.mg_per_kg is not None:
            raise ValueError(f"ketamine {route} takes --dose-mg, not --mg-per-kg")
        pop = population.ketamine_population(route, mg_per_kg=args.mg_per_kg, dose_mg=args.dose_mg,
                                             infusion_min=args.infusion_min, n=args.n,
                                             seed=args.seed)
        scale, unit = 1000.0, "ng/mL"
    else:
        raise ValueError(f"unknown drug {args.drug!r}; allowed: {', '.join(pk.drugs())}")
    summary = pop.summary()
    if csv_path is not None:
        rows = pop.table()

        def write(fh) -> None:
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
            writer = csv.DictWriter(text, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
            text.flush()
            text.detach()

        files.write_atomic(csv_path, write)  # whole file or nothing, mode from the umask
    if args.json:
        print(json.dumps(summary))
        return 0
    s, lo, hi = summary["shares"], *(x * scale for x in pop.band)

    def q(key: str, k: float = 1.0, digits: int = 3) -> str:
        d = summary[key]
        return (f"median {d['median'] * k:.{digits}g} (5th-95th percentile {d['p5'] * k:.{digits}g}"
                f"-{d['p95'] * k:.{digits}g})")

    lines = [f"{pop.patients.n} virtual patients, {pop.patients.drug}, seed {pop.patients.seed}, "
             f"co-medication {pop.patients.comedication}",
             f"  half-life   {q('half_life_h')} h",
             f"  Cmax        {q('cmax_mg_per_L', scale)} {unit}",
             f"  by {pop.measure}: {s['below'] * 100:.0f} % below, {s['inside'] * 100:.0f} % inside, "
             f"{s['above'] * 100:.0f} % above {lo:g}-{hi:g} {unit}"]
    if drug == "lamotrigine":
        lines.insert(3, f"  trough      {q('trough_mg_per_L', scale)} {unit}")
    if csv_path is not None:
        lines.append(f"wrote {len(pop.table())} patients to {csv_path}")
    lines.append(pop.note)
    print("\n".join(lines))
    return 0


def _add_population_parser(command) -> None:
    p = command("population", help="virtual patients: percentiles and shares in band",
                       description="A seeded population of virtual patients for lamotrigine "
                       "(oral, repeated, optional co-medication) or one ketamine dose. A teaching "
                       "model, not dosing advice.")
    p.add_argument("drug", help="lamotrigine or ketamine")
    p.add_argument("--dose-mg", type=float, default=None, help="dose in mg (each dose)")
    p.add_argument("--every-h", type=float, default=24.0, help="lamotrigine dosing interval, h")
    p.add_argument("--days", type=float, default=28.0, help="lamotrigine: days of dosing")
    p.add_argument("--comedication", default=None,
                   help="lamotrigine: none, valproate, inducer or contraceptive")
    p.add_argument("--route", default=None, help="ketamine: iv (default), intranasal or oral")
    p.add_argument("--mg-per-kg", type=float, default=None, help="ketamine iv dose per kg (0.5)")
    p.add_argument("--infusion-min", type=float, default=40.0, help="ketamine iv duration, min")
    p.add_argument("--n", type=int, default=1000, help="number of patients, 1-10000")
    p.add_argument("--seed", type=int, default=0, help="random seed (whole number >= 0)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--csv", default=None, help="also write the per-patient table to this .csv")
    p.set_defaults(func=_population)


def _export_nbgrader(args: argparse.Namespace) -> int:
    from mechlib.teaching import assignments

    try:
        written = assignments.write(args.lesson, args.out)
    except assignments.OutputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 3
    print(f"wrote {len(written)} notebook(s) to {args.out}: {', '.join(p.name for p in written)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command (used by :func:`main` and by tests)."""
    from mechlib.models import dosing

    data_help = "data folder to use (default: $MECHLIB_DATA_DIR, else data/)"
    # Given before or after the command; SUPPRESS keeps the sub-command from resetting it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help=data_help)
    parser = argparse.ArgumentParser(
        prog="python -m mechlib", epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Mechanism diagrams, reasoning and pharmacology models for the "
        "lamotrigine x ketamine lessons. Teaching material, not medical advice.",
    )
    parser.add_argument("--data-dir", default=None, help=data_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, **kw) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], epilog=EXIT_CODES,
                              formatter_class=argparse.RawDescriptionHelpFormatter, **kw)

    p = command("check-data", help="validate every file in data/ and print a summary")
    p.add_argument("--notebooks-dir", default=None,
                   help="lesson notebooks whose prompts and glossary links to check "
                        "(default: notebooks/ beside the data folder, if there is one)")
    p.set_defaults(func=_check_data)

    p = command("pk", help="concentration-time curve for a dose (teaching model)",
                description="Plasma concentration for any drug whose drugs.yaml entry has a "
                "pk_model: oral models (lamotrigine) take repeated doses; IV models (ketamine) "
                "one dose by iv, or by a route with its own bioavailability (intranasal, oral). "
                "A teaching model, not dosing advice. Limits: --every-h "
                f"{dosing.MIN_EVERY_H:g}-{dosing.MAX_EVERY_H:g} h, --days up to "
                f"{dosing.MAX_DAYS:g}, at most {dosing.MAX_DOSES} doses, each up to "
                f"{dosing.MAX_DOSE_MG:g} mg; the curve is sampled every 10 min (oral) or 1 min "
                "(IV, 8 h); cost grows as doses + time points (a year of hourly doses: < 1 s).")
    p.add_argument("drug", help="a drug with a pk_model in drugs.yaml (shipped: lamotrigine, ketamine)")
    p.add_argument("--dose-mg", type=float, default=None,
                   help=f"dose in mg (each dose; > 0, at most {dosing.MAX_DOSE_MG:g})")
    p.add_argument("--every-h", type=float, default=24.0,
                   help=f"oral: dosing interval, {dosing.MIN_EVERY_H:g}-{dosing.MAX_EVERY_H:g} h")
    p.add_argument("--days", type=float, default=28.0,
                   help=f"oral: days of dosing, > 0 and at most {dosing.MAX_DAYS:g}")
    p.add_argument("--comedication", default=None,
                   help="oral: a co-medication of the drug in drugs.yaml (lamotrigine: "
                   "valproate or inducer)")
    p.add_argument("--route", default=None, help="IV models: iv (default), or e.g. intranasal, oral")
    p.add_argument("--mg-per-kg", type=float, default=None, help="IV models: dose per kg (at most 10)")
    p.add_argument("--infusion-min", type=float, default=40.0,
                   help="IV duration, min (> 0, at most 1440)")
    p.add_argument("--weight-kg", type=float, default=70.0, help="body weight, 1-300 kg")
    p.add_argument("--model", default=None,
                   help="IV disposition: two_compartment (default where the data have it) or "
                   "one_compartment")
    p.add_argument("--json", action="store_true", help="print the curve and summary as JSON")
    p.set_defaults(func=_pk)

    p = command("diagram", help="draw a mechanism diagram to SVG/PNG/PDF, or describe it",
                description="Draw one view of the mechanism graph, optionally with drugs "
                "switched on, to a file for slides; or print its text description.")
    p.add_argument("view", help="sodium_channel, glutamate_synapse, nmda_receptor, "
                   "ketamine_cascade or combined")
    p.add_argument("--drug", action="append", default=[], help="switch a drug on (repeatable)")
    p.add_argument("--established-only", action="store_true", help="hide hypothesis edges")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--out", help="file to write: .svg, .png or .pdf")
    out.add_argument("--describe", action="store_true", help="print the Markdown description")
    out.add_argument("--geometry", action="store_true",
                     help="print JSON: every node's box and every edge's drawn path (px, y down)")
    p.set_defaults(func=_diagram)

    p = command("explain", help="verdict and cited paths for drugs on one node",
                description="What the drug(s) do to NODE, by which paths, on what "
                "evidence; with two or more drugs, also how the effects of each pair meet.")
    p.add_argument("--drug", action="append", required=True,
                   help="a drug (repeat for more: each pair's interaction is shown)")
    p.add_argument("--node", required=True, help="a node id of the view")
    p.add_argument("--view", default="combined", help="view to reason in (default: combined)")
    p.add_argument("--established-only", action="store_true", help="ignore hypothesis edges")
    p.add_argument("--json", action="store_true", help="print JSON (verdict, paths, interaction)")
    p.set_defaults(func=_explain)

    _add_population_parser(command)
    p = command("export-nbgrader", help="write an nbgrader source assignment from the "
                       "lessons' self-checks",
                       description="One graded notebook per lesson: each self-check becomes an "
                       "answer cell and a hidden test that calls mechlib.quiz.check, worth the "
                       "question's points in data/quizzes.yaml. See docs/instructor-guide.md.")
    p.add_argument("lesson", nargs="+", help="lesson ids with self-checks, e.g. 03_ketamine")
    p.add_argument("--out", required=True,
                   help="new assignment folder, e.g. course/source/week3 (must not exist)")
    p.set_defaults(func=_export_nbgrader)

    return parser


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= 400 else text[:399] + "…"


def _run(args: argparse.Namespace) -> int:
    from mechlib import data

    try:
        return args.func(args)
    except data.DataError as err:
        if args.command == "check-data":
            print(err, file=sys.stderr)
        else:
            first = err.problems[0] if err.problems else "(no details)"
            print(f"error: the data are invalid ({len(err.problems)} problem"
                  f"{'s' if len(err.problems) != 1 else ''}; first: {first}); run "
                  "python -m mechlib check-data for the list", file=sys.stderr)
        return 1
    except ValueError as err:
        print(f"error: {_one_line(err)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise
    except OSError as err:
        where = f": {err.filename}" if getattr(err, "filename", None) else ""
        print(f"error: input/output failure: {err.strerror or _one_line(err)}{where}",
              file=sys.stderr)
        return 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (0 ok, 1 invalid data, 2 bad argument, 3 I/O).

    ``--data-dir`` (any command) sets ``MECHLIB_DATA_DIR`` for the command's run, so every
    part of mechlib reads the same folder.
    """
    import os

    parser = build_parser()
    args = parser.parse_args(argv)
    saved = os.environ.get("MECHLIB_DATA_DIR")
    try:
        if args.data_dir is not None:
            folder = os.path.abspath(os.path.expanduser(args.data_dir))
            if not os.path.isdir(folder):
                print(f"error: --data-dir {args.data_dir!r} is not a folder; allowed: a copy of "
                      "data/", file=sys.stderr)
                return 2
            os.environ["MECHLIB_DATA_DIR"] = folder
        status = _run(args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, and keep Python's exit flush quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        if args.data_dir is not None:
            if saved is None:
                os.environ.pop("MECHLIB_DATA_DIR", None)
            else:
                os.environ["MECHLIB_DATA_DIR"] = saved
