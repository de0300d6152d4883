"""The command line: parses arguments, calls the library, prints what happened. Exit codes
come from `planbuilder.errors` (0 success, 1 the plan has errors, 2 usage or I/O, 3 a bug)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from planbuilder import __version__
from planbuilder.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    PlanbuilderError,
    UsageError,
    exit_code,
)

if TYPE_CHECKING:
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.findings import Finding
    from planbuilder.money import Money

T = TypeVar("T")
_REPORT = ("this is a bug in planbuilder, not an error in the plan; please report it to the "
           "planbuilder maintainers with the command, this message and the plan files")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="planbuilder",
        description="Validate, compute and render employment-area organising plans and "
        "cooperation agreements (act 380/2023) from YAML.",
    )
    p.add_argument("--version", action="version", version=f"planbuilder {__version__}")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="log each stage's timing; show the traceback of an internal error")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only problems (no 'wrote' lines or summaries)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check plans against the statutory checklist",
                       description="Check plan folders; report every problem with file:line.")
    v.add_argument("paths", nargs="*", type=Path, default=[Path("plans")], metavar="PATH",
                   help="plan folder(s) or a folder of plan folders (default: plans)")
    v.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                   help="output format (json for CI; sarif for code-scanning annotations "
                   "on pull requests)")

    r = sub.add_parser("rules", help="list the rules with citations",
                       description="List every rule: id, citation, severity, explanation; "
                       "with -v (planbuilder -v rules) also the statute text it applies.")
    r.add_argument("--format", choices=["text", "json", "markdown"], default="text",
                   help="output format (markdown: the rules reference, docs/rules.md)")

    sc = sub.add_parser("schema", help="print the JSON schema of plan files",
                        description="Print the JSON schema for editor autocompletion.")
    sc.add_argument("--output", type=Path, help="write to this file instead of stdout")
    sc.add_argument("--format", choices=["json", "markdown"], default="json",
                    help="markdown: the format reference for people (docs/format.md)")

    b = sub.add_parser("budget", help="print budget and cost-sharing tables",
                       description="Compute the budget, shares, comparison, advances and "
                       "settlement of one plan.")
    b.add_argument("path", type=Path, metavar="PATH", help="plan folder")
    b.add_argument("--format", choices=["text", "json", "csv"], default="text",
                   help="output format")

    e = sub.add_parser("explain", help="show how one member's share was computed",
                       description="Explain a member's share criterion by criterion.")
    e.add_argument("path", type=Path, metavar="PATH", help="plan folder")
    e.add_argument("member", metavar="MUNICIPALITY", help="member id or name")

    bu = sub.add_parser("build", help="write DOCX and PDF documents into output/",
                        description="Validate and render plans into output/<area>/.")
    bu.add_argument("paths", nargs="*", type=Path, default=[Path("plans")], metavar="PATH",
                    help="plan folder(s) (default: plans)")
    bu.add_argument("--lang", action="append", choices=["fi", "sv"],
                    help="language(s) to build (default: as the plan requires)")
    bu.add_argument("--output", type=Path, default=Path("output"), help="output folder")
    bu.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                    help="documents rendered at once (default: $PLANBUILDER_JOBS, else the "
                    "number of cores)")
    bu.add_argument("--force", action="store_true",
                    help="render and write everything, even what has not changed")
    bu.add_argument("--templates", type=Path, default=None,
                    help="template folder (default: the templates installed with "
                    "planbuilder)")
    sv = sub.add_parser("serve", help="preview a plan's documents live in the browser",
                        description="Serve a live preview of one plan's documents on "
                        "http://127.0.0.1:PORT/ (this computer only), rebuilt whenever a plan "
                        "file is saved, with the findings beside the text. Ctrl-C stops.")
    sv.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH",
                    help="the plan folder (default: the only plan under plans/)")
    sv.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    sv.add_argument("--templates", type=Path, default=None,
                    help="template folder (default: the templates installed with planbuilder)")

    rl = sub.add_parser("redline", help="what changed between two versions of a plan",
                        description="Compare two versions of one plan (folders, or a git "
                        "revision such as HEAD~1 or a tag, of the NEW folder): print the "
                        "change summary and write, per document and language, a DOCX with "
                        "Word's tracked changes and a PDF with the changes marked.")
    rl.add_argument("old", metavar="OLD", help="the earlier version: a plan folder or a git "
                    "revision of NEW")
    rl.add_argument("new", type=Path, metavar="NEW", help="the later version: a plan folder")
    rl.add_argument("--output", type=Path, default=Path("output") / "muutokset",
                    help="where the redlines go (default: output/muutokset/<plan>)")
    rl.add_argument("--format", choices=["text", "json"], default="text",
                    help="the summary on the terminal")
    rl.add_argument("--lang", choices=["fi", "sv"], action="append",
                    help="language(s) of the redlines (default: as the plan requires)")

    rv = sub.add_parser("review", help="a reviewer's Word edits and comments back into the "
                        "plan", description="Read a DOCX planbuilder wrote and a reviewer "
                        "edited in Word: report each tracked change and comment at the YAML "
                        "line its text comes from; with --apply, write the accepted text "
                        "into the YAML (comments and layout kept).")
    rv.add_argument("docx", type=Path, metavar="REVIEWED.docx",
                    help="the Word document as the reviewer returned it")
    rv.add_argument("plan", type=Path, nargs="?", default=None, metavar="PLAN",
                    help="the plan folder (default: the only plan under plans/)")
    rv.add_argument("--apply", action="store_true",
                    help="write the accepted text of each changed paragraph into the YAML")

    nw = sub.add_parser("new", help="start a new area's plan folder",
                        description="Write a complete, commented plan folder (in Finnish) to "
                        "fill in: every statutory section, a budget, a cost-sharing model and "
                        "an agreement skeleton. `validate` then points at each line to fill.")
    nw.add_argument("folder", type=Path, metavar="FOLDER", help="a new or empty folder")
    nw.add_argument("--templates", type=Path, default=None,
                    help="template folder whose new/ skeleton to use (default: the "
                    "installed templates)")
    it = sub.add_parser("init-templates", help="copy the default templates for editing",
                        description="Copy planbuilder's default template set (documents, "
                        "translations, house style, fonts) into FOLDER, for a municipality "
                        "to edit; build with --templates FOLDER.")
    it.add_argument("folder", type=Path, metavar="FOLDER", help="a new or empty folder")
    ht = sub.add_parser("house-template", help="write the house Word template (house.docx)",
                        description="Make the Word reference document from the house style "
                        "(templates/style.yaml): the styles, numbering and page set-up every "
                        "DOCX starts from. Replace it with the municipality's own template "
                        "to use that template's styles.")
    ht.add_argument("--templates", type=Path, default=None,
                    help="template folder whose style.yaml to use (default: the installed "
                    "templates)")
    ht.add_argument("--output", type=Path, default=None,
                    help="file to write (default: house.docx in the template folder)")
    return p


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"expected a number of jobs from 1 to 64, got {text!r}")
    return value


def _print_findings(findings: Sequence[Finding], stream: TextIO | None = None) -> None:
    for f in findings:
        print(f.format(), file=stream or sys.stdout)


def cmd_validate(args: argparse.Namespace) -> int:
    from planbuilder.findings import has_errors
    from planbuilder.pipeline import validate_paths

    results = validate_paths(args.paths)
    if args.format == "sarif":
        from planbuilder.rules import all_rules
        from planbuilder.rules.reference import sarif

        print(json.dumps(sarif([(str(r.path), r.findings) for r in results], all_rules(),
                               __version__), ensure_ascii=False, indent=2))
    elif args.format == "json":
        out = {
            "plans": [
                {"path": str(r.path), "ok": not has_errors(r.findings),
                 "findings": [f.as_dict() for f in r.findings]}
                for r in results
            ],
            "errors": sum(r.count("error") for r in results),
            "warnings": sum(r.count("warning") for r in results),
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for r in results:
            _print_findings(r.findings)
            ack = f", {r.acknowledged} acknowledged" if r.acknowledged else ""
            print(f"{r.path}: {r.count('error')} error(s), {r.count('warning')} warning(s)"
                  f"{ack}")
    if any(r.io_failure for r in results):
        return EXIT_USAGE
    return EXIT_FINDINGS if any(has_errors(r.findings) for r in results) else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.serve import serve

    path = _one_plan(args.path, "serve")

    def started(port: int) -> None:
        print(f"previewing {path} at http://127.0.0.1:{port}/ (Ctrl-C stops)", flush=True)

    serve(path, args.port, TemplateSet.load(args.templates), on_start=started)
    return EXIT_OK


def cmd_redline(args: argparse.Namespace) -> int:
    import dataclasses
    import tempfile

    from planbuilder.compose.composer import Composer
    from planbuilder.compose.summary import summary_rows
    from planbuilder.compose.tables import FIGURES, TABLES
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.errors import BuildError
    from planbuilder.load.revision import plan_version
    from planbuilder.pipeline import redline_plans

    with tempfile.TemporaryDirectory(prefix="planbuilder-redline-") as scratch:
        old = plan_version(args.old, args.new, Path(scratch))
        try:
            done = redline_plans(old, args.new, args.output, langs=args.lang)
        except BuildError as exc:
            _print_findings(exc.findings, sys.stderr)
            print(f"{exc.path}: has errors; no redline written", file=sys.stderr)
            return exc.exit_code
        if args.format == "json":
            print(json.dumps({"changes": [dataclasses.asdict(c) for c in done.changes],
                              "files": [str(f) for f in done.files]},
                             ensure_ascii=False, indent=2, default=str))
            return EXIT_OK
        plan = done.new
        c = Composer(plan, plan.languages[0], TemplateSet.load(), None, plan.area.date,
                     TABLES, FIGURES)
        for kind, what, was, now, delta in summary_rows(c, done.old, done.changes):
            change = f", {delta}" if delta else ""
            arrow = f"{was} → {now}" if was else now
            print(f"{kind}: {what}: {arrow}{change}")
        if not done.changes:
            print(c.t("redline.none"))
        if not args.quiet:
            for f in done.files:
                print(f"wrote {f}")
    return EXIT_OK


def _one_plan(path: Path | None, command: str) -> Path:
    from planbuilder.load import discover

    if path is None:
        found = discover([Path("plans")])
        if len(found) != 1:
            raise UsageError(f"name the plan folder, e.g. planbuilder {command} … plans/porvoo")
        return found[0]
    if not path.is_dir():
        raise UsageError(f"{path}: no such plan folder")
    return path


def cmd_review(args: argparse.Namespace) -> int:
    from planbuilder.findings import has_errors
    from planbuilder.pipeline import validate
    from planbuilder.review import apply, findings, read_changes

    plan = _one_plan(args.plan, "review REVIEWED.docx")
    try:
        data = args.docx.read_bytes()
    except OSError as exc:
        raise UsageError(f"{args.docx}: {exc.strerror or exc}") from None
    lang, changes = read_changes(data)
    before = validate(plan)
    if before.loaded is None:
        _print_findings(before.findings, sys.stderr)
        return EXIT_FINDINGS
    _print_findings(findings(before.loaded, lang, changes))
    if not args.apply:
        return EXIT_OK
    written, refused = apply(before.loaded, lang, changes)
    _print_findings(refused)
    for f in written:
        if not args.quiet:
            print(f"wrote {f}")
    after = validate(plan)
    if has_errors(after.findings):
        _print_findings([f for f in after.findings if f.severity == "error"], sys.stderr)
        print(f"{plan}: the plan has errors after the review's changes", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_FINDINGS if refused else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from planbuilder.rules import all_rules
    from planbuilder.rules.reference import rule_record, rules_markdown

    rules = all_rules()
    if args.format == "json":
        print(json.dumps([rule_record(r) for r in rules], ensure_ascii=False, indent=2))
        return EXIT_OK
    if args.format == "markdown":
        sys.stdout.write(rules_markdown(rules))
        return EXIT_OK
    for r in rules:
        record = rule_record(r)
        print(f"{r.id:22} {r.severity:8} {r.citation or '-'}")
        print(f"    {r.title()}. {r.explanation()}")
        if not args.verbose:
            continue
        if record["kind"] == "convention":
            print("    Basis: a convention of planbuilder, not a statute.")
        for quoted in record["basis"]:
            print(f"    {quoted['id']} ({quoted['title_fi']}): \"{quoted['quote_fi']}\"")
            print(f"      source: {quoted['source']}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from planbuilder.model import plan_schema

    if args.format == "markdown":
        from planbuilder.compose.reference import format_reference

        text = format_reference().rstrip("\n")
    else:
        text = json.dumps(plan_schema(), ensure_ascii=False, indent=2)
    if not args.output:
        print(text)
        return EXIT_OK
    return _write(args, args.output, (text + "\n").encode("utf-8"))


def _write(args: argparse.Namespace, target: Path, data: bytes) -> int:
    """Write one file whole (or not at all) and say so."""
    from planbuilder.render.output import write_atomic

    if not target.parent.is_dir():
        _error(f"{target}: folder {target.parent} does not exist")
        return EXIT_USAGE
    try:
        write_atomic(target, data)
    except OSError as exc:
        _error(f"{target}: {exc.strerror or exc}")
        return EXIT_USAGE
    if not args.quiet:
        print(f"wrote {target}")
    return EXIT_OK


def cmd_house_template(args: argparse.Namespace) -> int:
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.errors import TemplateError
    from planbuilder.render.house import house_docx
    from planbuilder.render.style import load_style

    try:
        folder = TemplateSet.load(args.templates).folder
        style = load_style(folder)
    except TemplateError as exc:
        _error(str(exc))
        return EXIT_USAGE
    return _write(args, args.output or folder / "house.docx", house_docx(style))


def _new_folder(target: Path) -> bool:
    """A folder a command may fill: new or empty; says why not otherwise."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        _error(f"{target}: exists and is not an empty folder; choose a new folder")
        return False
    return True


def cmd_new(args: argparse.Namespace) -> int:
    from planbuilder.compose.templates import TemplateSet

    target: Path = args.folder
    if not _new_folder(target):
        return EXIT_USAGE
    skeleton = TemplateSet.load(args.templates).folder / "new"
    files = sorted(skeleton.glob("*.yaml"))
    if not files:
        _error(f"{skeleton}: no plan skeleton (*.yaml) in the template folder")
        return EXIT_USAGE
    target.mkdir(parents=True, exist_ok=True)
    for file in files:
        status = _write(args, target / file.name, file.read_bytes())
        if status:
            return status
    if not args.quiet:
        print(f"next: edit the files, then run: planbuilder validate {target}")
    return EXIT_OK


def cmd_init_templates(args: argparse.Namespace) -> int:
    import shutil

    from planbuilder.compose.templates import default_dir

    target: Path = args.folder
    if not _new_folder(target):
        return EXIT_USAGE
    shutil.copytree(default_dir(), target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    if not args.quiet:
        print(f"wrote {target}; build with: planbuilder build --templates {target}")
    return EXIT_OK


def _error(message: str) -> None:
    print(f"planbuilder: {message}", file=sys.stderr)


def _plan_with_money(path: Path) -> Money | int:
    """The computed money of a valid plan that has a budget and cost sharing, or the exit
    code after saying why."""
    from planbuilder.errors import BuildError
    from planbuilder.money import compute
    from planbuilder.pipeline import validated

    try:
        plan = validated(path)[0].plan
    except BuildError as exc:
        _print_findings(exc.findings, sys.stderr)
        return exc.exit_code
    if plan.budget is None or plan.cost_sharing is None:
        _error(f"{path}: the plan has no budget and cost_sharing")
        return EXIT_FINDINGS
    return compute(plan)


def cmd_budget(args: argparse.Namespace) -> int:
    from planbuilder.money import report as money_report

    money = _plan_with_money(args.path)
    if isinstance(money, int):
        return money
    if args.format == "json":
        print(json.dumps(money_report.budget_json(money), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(money_report.budget_csv(money))
    else:
        print(money_report.budget_text(money))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from planbuilder.money import report as money_report

    money = _plan_with_money(args.path)
    if isinstance(money, int):
        return money
    plan = money.plan
    wanted = args.member.casefold()
    member = next((m for m in plan.members if wanted in (
        m.id, m.name.fi.casefold(), (m.name.sv or "").casefold())), None)
    if member is None:
        _error(f"no member '{args.member}' in {args.path} (members: "
               + ", ".join(m.id for m in plan.members) + ")")
        return EXIT_USAGE
    print(money_report.explain_text(money, member.id))
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.errors import TemplateError
    from planbuilder.load import discover

    try:
        templates = TemplateSet.load(args.templates)
    except TemplateError as exc:
        _error(str(exc))
        return EXIT_USAGE
    status = EXIT_OK
    paths = discover(args.paths)
    claimed: dict[str, Path] = {}
    with _render_pool(args.jobs) as pool:
        for number, path in enumerate(paths, start=1):
            progress = f"[{number}/{len(paths)}] " if len(paths) > 1 else ""
            status = max(status, _build_one(args, path, templates, claimed, pool, progress))
    return status


def _render_pool(jobs: int | None) -> contextlib.AbstractContextManager[Executor | None]:
    """Worker processes that render documents in parallel; none for one job or one core.
    The workers start only when a build has documents to render (a build with nothing to
    do stays quick) and fork after the renderers are imported, so each starts warm."""
    if jobs is None:
        setting = os.environ.get("PLANBUILDER_JOBS", "").strip()
        try:
            jobs = _jobs(setting) if setting else os.cpu_count() or 1
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"PLANBUILDER_JOBS: {exc}") from None
    if jobs < 2:
        return contextlib.nullcontext()
    return _LazyPool(jobs)


class _LazyPool(Executor):
    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if self.pool is None:
            import multiprocessing

            import weasyprint  # noqa: F401  (imported once, before the workers fork)

            self.pool = ProcessPoolExecutor(max_workers=self.jobs,
                                            mp_context=multiprocessing.get_context("fork"))
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait, cancel_futures=cancel_futures)


def _build_one(args: argparse.Namespace, path: Path, templates: TemplateSet,
               claimed: dict[str, Path], pool: Executor | None, progress: str) -> int:
    """Build one plan and say what happened; the exit code for it."""
    from planbuilder.errors import BuildError
    from planbuilder.pipeline import build, output_name

    name = output_name(path)
    if name in claimed and claimed[name].resolve() != path.resolve():
        _error(f"{path}: not built: {claimed[name]} already writes "
               f"{args.output / name}; rename one of the plan folders")
        return EXIT_USAGE
    claimed[name] = path
    try:
        built = build(path, args.output, args.lang, templates, pool=pool, force=args.force)
    except BuildError as exc:
        _print_findings(exc.findings, sys.stderr)
        print(f"{path}: not built; previous outputs left as they were", file=sys.stderr)
        return exc.exit_code
    except PlanbuilderError as exc:
        _error(f"{path}: {exc}; not built, previous outputs left as they were")
        return exc.exit_code
    except OSError as exc:
        _error(f"{path}: cannot write output: {exc}")
        return exit_code(exc)
    except Exception as exc:  # a bug: report it, build the other plans
        _internal(exc, args.verbose, f"{path}: not built, previous outputs left as they were")
        return EXIT_INTERNAL
    warnings = [f for f in built.findings if f.severity == "warning" and not f.acknowledged]
    _print_findings(warnings)
    if args.quiet:
        return EXIT_OK
    if built.unchanged:
        print(f"{progress}{path}: up to date, nothing written, {len(warnings)} warning(s)")
        return EXIT_OK
    for file in built.files:
        print(f"wrote {file}")
    print(f"{progress}{path}: built {len(built.files)} file(s) ({built.rendered} document(s) "
          f"rendered), {len(warnings)} warning(s)")
    return EXIT_OK


def _internal(exc: BaseException, verbose: bool, context: str = "") -> None:
    import traceback

    if verbose:
        traceback.print_exception(exc)
    where = f"{context}: " if context else ""
    _error(f"{where}internal error {type(exc).__name__}: {exc} ({_REPORT}; run with -v for "
           "the traceback)")


COMMANDS = {"validate": cmd_validate, "rules": cmd_rules, "schema": cmd_schema,
            "budget": cmd_budget, "explain": cmd_explain, "build": cmd_build,
            "house-template": cmd_house_template, "init-templates": cmd_init_templates,
            "new": cmd_new, "serve": cmd_serve, "redline": cmd_redline,
            "review": cmd_review}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from planbuilder.log import configure

    configure(args.verbose)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_USAGE
    except PlanbuilderError as exc:
        _error(str(exc))
        return exc.exit_code
    except Exception as exc:  # a bug: say so, never as "the plan has errors"
        _internal(exc, args.verbose)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
