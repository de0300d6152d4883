"""The command line: parses arguments, calls the library, prints what happened. Exit codes
come from `planbuilder.errors` (0 success, 1 the plan has errors, 2 usage or I/O, 3 a bug)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from planbuilder import __version__
from planbuilder.errors import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    EngineMissing,
    PlanbuilderError,
    UsageError,
    exit_code,
)
from planbuilder.messages import language, t

if TYPE_CHECKING:
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.findings import Finding
    from planbuilder.money import Money
    from planbuilder.pipeline import Built

T = TypeVar("T")
# argparse's own words (Python's message ids) and their keys in the catalogue (cli.argparse).
_ARGPARSE = {
    "usage: ": "usage", "positional arguments": "positional", "options": "options",
    "show this help message and exit": "help",
    "argument %(argument_name)s: %(message)s": "argument",
    "unrecognized arguments: %s": "unrecognized",
    "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_of",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "%(prog)s: error: %(message)s\n": "error",
    "not allowed with argument %s": "not_allowed",
    "ignored explicit argument %r": "ignored",
}


def _argparse_text(message: str) -> str:
    key = _ARGPARSE.get(message)
    return t(f"cli.argparse.{key}") if key else message


@contextlib.contextmanager
def _argparse_words() -> Iterator[None]:
    """argparse's usage line, headings and errors in the reader's language: argparse looks
    its words up through the gettext function it imported as `_`."""
    saved = argparse._  # type: ignore[attr-defined]
    argparse._ = _argparse_text  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = saved  # type: ignore[attr-defined]


def _sub(sub: Any, name: str, shown: str | None = None) -> argparse.ArgumentParser:
    """A command whose help and description are cli.commands.<name>.*. It also takes -q and
    (unless its --lang is the documents') the messages' --lang after its name; their
    defaults are suppressed so that they never override the same option given before.
    `shown`: the name typed, when it is a command's own subcommand (`import agreement`)."""
    key = name.replace("-", "_")
    parser: argparse.ArgumentParser = sub.add_parser(
        shown or name, help=t(f"cli.commands.{key}.help"),
        description=t(f"cli.commands.{key}.description"))
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help=t("cli.options.quiet"))
    if name not in DOCUMENT_LANG_COMMANDS:
        parser.add_argument("--lang", choices=["fi", "sv", "en"], dest="message_lang",
                            default=argparse.SUPPRESS, help=t("cli.options.lang_after"))
    return parser


# Commands whose own --lang chooses the documents' languages (build --lang sv) or the new
# plan's (new --lang sv); for every other command, --lang after the command is the messages'
# language, as before it.
DOCUMENT_LANG_COMMANDS = frozenset({"build", "redline", "new"})


def _lang_option(argv: Sequence[str]) -> str | None:
    """The messages' --lang: given before the command, or after a command that has no
    documents' languages of its own (`validate --lang fi`). The first one given counts."""
    args = list(argv)
    command: str | None = None
    i = 0
    while i < len(args):
        arg, value = args[i], None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
            i += 1
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        elif arg == "--":
            break
        elif not arg.startswith("-") and command is None:
            command = arg
        if value is not None and (command is None or command not in DOCUMENT_LANG_COMMANDS):
            return value
        i += 1
    return None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="planbuilder", description=t("cli.description"))
    p.add_argument("-V", "--version", action="version", version=f"planbuilder {__version__}",
                   help=t("cli.options.version"))
    p.add_argument("--lang", choices=["fi", "sv", "en"], dest="message_lang",
                   help=t("cli.options.lang"))
    p.add_argument("-v", "--verbose", action="store_true", help=t("cli.options.verbose"))
    p.add_argument("-q", "--quiet", action="store_true", help=t("cli.options.quiet"))
    sub = p.add_subparsers(dest="command", required=True, metavar=t("cli.command_metavar"),
                           title=t("cli.commands_title"))

    plans, folder, file = t("cli.metavar.path"), t("cli.metavar.folder"), t("cli.metavar.file")
    v = _sub(sub, "validate")
    v.add_argument("paths", nargs="*", type=Path, default=[Path("plans")], metavar=plans,
                   help=t("cli.options.plans"))
    v.add_argument("--format", choices=["text", "json", "sarif", "gitlab"], default="text",
                   help=t("cli.options.validate_format"))

    r = _sub(sub, "rules")
    r.add_argument("--format", choices=["text", "json", "markdown"], default="text",
                   help=t("cli.options.rules_format"))
    r.add_argument("-v", "--verbose", action="store_true", dest="quote_statutes",
                   help=t("cli.options.rules_verbose"))

    sc = _sub(sub, "schema")
    sc.add_argument("--output", type=Path, metavar=file, help=t("cli.options.schema_output"))
    sc.add_argument("--format", choices=["json", "markdown"], default="json",
                    help=t("cli.options.schema_format"))

    b = _sub(sub, "budget")
    b.add_argument("path", type=Path, metavar=plans, help=t("cli.options.plan"))
    b.add_argument("--format", choices=["text", "json", "csv"], default="text",
                   help=t("cli.options.format"))

    e = _sub(sub, "explain")
    e.add_argument("path", type=Path, metavar=plans, help=t("cli.options.plan"))
    e.add_argument("member", metavar=t("cli.metavar.member"), help=t("cli.options.member"))

    bu = _sub(sub, "build")
    bu.add_argument("paths", nargs="*", type=Path, default=[Path("plans")], metavar=plans,
                    help=t("cli.options.build_plans"))
    bu.add_argument("--lang", action="append", choices=["fi", "sv"],
                    help=t("cli.options.document_langs"))
    bu.add_argument("--output", type=Path, default=Path("output"), metavar=folder,
                    help=t("cli.options.output_folder"))
    bu.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                    help=t("cli.options.jobs"))
    bu.add_argument("--force", action="store_true", help=t("cli.options.force"))
    bu.add_argument("--templates", type=Path, default=None, metavar=folder,
                    help=t("cli.options.templates"))
    sv = _sub(sub, "serve")
    sv.add_argument("path", nargs="?", type=Path, default=None, metavar=plans,
                    help=t("cli.options.the_plan"))
    sv.add_argument("--port", type=int, default=8000, metavar=t("cli.metavar.port"),
                    help=t("cli.options.port"))
    sv.add_argument("--templates", type=Path, default=None, metavar=folder,
                    help=t("cli.options.templates"))

    rl = _sub(sub, "redline")
    rl.add_argument("old", metavar="OLD", help=t("cli.options.redline_old"))
    rl.add_argument("new", type=Path, metavar="NEW", help=t("cli.options.redline_new"))
    rl.add_argument("--output", type=Path, default=Path("output") / "muutokset", metavar=folder,
                    help=t("cli.options.redline_output"))
    rl.add_argument("--format", choices=["text", "json"], default="text",
                    help=t("cli.options.redline_format"))
    rl.add_argument("--lang", choices=["fi", "sv"], action="append",
                    help=t("cli.options.redline_langs"))

    rv = _sub(sub, "review")
    rv.add_argument("docx", type=Path, metavar="REVIEWED.docx",
                    help=t("cli.options.review_docx"))
    rv.add_argument("plan", type=Path, nargs="?", default=None, metavar="PLAN",
                    help=t("cli.options.the_plan"))
    rv.add_argument("--apply", action="store_true", help=t("cli.options.review_apply"))

    vf = _sub(sub, "verify")
    vf.add_argument("files", nargs="+", type=Path, metavar=file,
                    help=t("cli.options.verify_files"))
    vf.add_argument("--format", choices=["text", "json"], default="text",
                    help=t("cli.options.verify_format"))
    vf.add_argument("--templates", type=Path, default=None, metavar=folder,
                    help=t("cli.options.verify_templates"))

    nw = _sub(sub, "new")
    nw.add_argument("folder", type=Path, metavar=folder, help=t("cli.options.new_folder"))
    nw.add_argument("--lang", choices=["fi", "sv"], default=None, help=t("cli.options.new_lang"))
    nw.add_argument("--templates", type=Path, default=None, metavar=folder,
                    help=t("cli.options.new_templates"))
    nw.add_argument("--repo", action="store_true", help=t("cli.options.new_repo"))
    im = _sub(sub, "import")
    what = im.add_subparsers(dest="what", required=True, metavar=t("cli.command_metavar"),
                             help=t("cli.options.import_what"))
    ia = _sub(what, "import-agreement", "agreement")
    ia.add_argument("docx", type=Path, metavar="AGREEMENT.docx",
                    help=t("cli.options.import_docx"))
    ia.add_argument("plan", type=Path, metavar="PLAN", help=t("cli.options.the_plan"))
    ia.add_argument("--sv", type=Path, default=None, metavar="AVTAL.docx",
                    help=t("cli.options.import_sv"))
    ia.add_argument("--force", action="store_true", help=t("cli.options.import_force"))
    ia.add_argument("--dry-run", action="store_true", help=t("cli.options.import_dry_run"))
    st = _sub(sub, "stats")
    sw = st.add_subparsers(dest="what", required=True, metavar=t("cli.command_metavar"),
                           help=t("cli.options.stats_what"))
    su = _sub(sw, "stats-update", "update")
    su.add_argument("plan", type=Path, metavar="PLAN", help=t("cli.options.the_plan"))
    su.add_argument("--from", type=Path, dest="source", action="append", metavar=file,
                    help=t("cli.options.stats_from"))
    su.add_argument("--dry-run", action="store_true", help=t("cli.options.stats_dry_run"))
    dr = _sub(sub, "doctor")
    dr.add_argument("--templates", type=Path, default=None, metavar=folder,
                    help=t("cli.options.templates"))
    it = _sub(sub, "init-templates")
    it.add_argument("folder", type=Path, metavar=folder, help=t("cli.options.new_folder"))
    ht = _sub(sub, "house-template")
    ht.add_argument("--templates", type=Path, default=None, metavar=folder,
                    help=t("cli.options.house_templates"))
    ht.add_argument("--output", type=Path, default=None, metavar=file,
                    help=t("cli.options.house_output"))
    return p


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(t("cli.jobs_range", got=repr(text)))
    return value


def _print_findings(findings: Sequence[Finding], stream: TextIO | None = None) -> None:
    for f in findings:
        print(f.format(), file=stream or sys.stdout)


def cmd_validate(args: argparse.Namespace) -> int:
    from planbuilder.findings import has_errors
    from planbuilder.pipeline import validate_paths

    results = validate_paths(args.paths)
    if args.format == "sarif":
        from planbuilder.ci import sarif_rooted
        from planbuilder.rules import all_rules
        from planbuilder.rules.reference import sarif

        log = sarif([(str(r.path), r.findings) for r in results], all_rules(), __version__)
        print(json.dumps(sarif_rooted(log), ensure_ascii=False, indent=2))
    elif args.format == "gitlab":
        from planbuilder.ci import gitlab_report

        print(json.dumps(gitlab_report([(str(r.path), r.findings) for r in results]),
                         ensure_ascii=False, indent=2))
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
            if args.quiet:  # errors and warnings only, no summary
                _print_findings([f for f in r.findings
                                 if f.severity != "info" and not f.acknowledged])
                continue
            _print_findings(r.findings)
            ack = t("cli.validate.acknowledged", n=r.acknowledged) if r.acknowledged else ""
            print(t("cli.validate.summary", path=r.path, errors=r.count("error"),
                    warnings=r.count("warning"), acknowledged=ack))
    if any(r.io_failure for r in results):
        return EXIT_USAGE
    return EXIT_FINDINGS if any(has_errors(r.findings) for r in results) else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.serve import serve

    path = _one_plan(args.path, "serve")

    def started(port: int) -> None:
        print(t("cli.serve.started", path=path, url=f"http://127.0.0.1:{port}/"), flush=True)

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
    from planbuilder.render.engine import pdf_engine_problem, require_pdf_engine

    # Without the PDF engine the summary and the tracked-changes DOCX are still made; the
    # command then says what to install for the PDFs and exits 2.
    pdf = pdf_engine_problem() is None
    with tempfile.TemporaryDirectory(prefix="planbuilder-redline-") as scratch:
        old = plan_version(args.old, args.new, Path(scratch))
        try:
            done = redline_plans(old, args.new, args.output, langs=args.lang, pdf=pdf)
        except BuildError as exc:
            _print_findings(exc.findings, sys.stderr)
            print(t("cli.redline.has_errors", path=exc.path), file=sys.stderr)
            return exc.exit_code
        if args.format == "json":
            print(json.dumps({"changes": [dataclasses.asdict(c) for c in done.changes],
                              "files": [str(f) for f in done.files]},
                             ensure_ascii=False, indent=2, default=str))
        else:
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
                    print(t("cli.wrote", file=f))
    if not pdf:
        require_pdf_engine()  # raises: says what to install
    return EXIT_OK


def _one_plan(path: Path | None, command: str) -> Path:
    from planbuilder.load import discover

    if path is None:
        found = discover([Path("plans")])
        if len(found) != 1:
            raise UsageError(t("cli.name_the_plan", command=command))
        return found[0]
    if not path.is_dir():
        raise UsageError(t("cli.no_plan_folder", path=path))
    return path


def cmd_review(args: argparse.Namespace) -> int:
    from planbuilder.findings import has_errors
    from planbuilder.pipeline import validate
    from planbuilder.review import apply, read_docx, read_file, review

    plan = _one_plan(args.plan, "review REVIEWED.docx")
    reviewed = read_docx(read_file(args.docx), str(args.docx))
    before = validate(plan)
    if before.loaded is None:
        _print_findings(before.findings, sys.stderr)
        return EXIT_FINDINGS
    result = review(before.loaded, reviewed)
    _print_findings(result.findings)
    counts = {"file": args.docx, "edits": len(result.edits), "comments": result.comments,
              "left": result.left}
    if not result.edits and not result.comments and not result.left:
        print(t("review.summary_none", file=args.docx))
        return EXIT_OK
    if not args.apply:
        print(t("review.summary_report", **counts))
        return EXIT_FINDINGS if has_errors(result.findings) else EXIT_OK
    written, refused = apply(before.loaded, reviewed.lang, result.edits)
    _print_findings(refused)
    for f in written:
        if not args.quiet:
            print(t("cli.wrote", file=f))
    written_edits = len(result.edits) - len(refused)
    print(t("review.summary_applied", **{**counts, "left": result.left + len(refused)},
            written=written_edits))
    if written:
        after = validate(plan)
        if has_errors(after.findings):
            _print_findings([f for f in after.findings if f.severity == "error"], sys.stderr)
            print(t("cli.review.errors_after", path=plan), file=sys.stderr)
            return EXIT_FINDINGS
    return EXIT_FINDINGS if result.left or refused or has_errors(result.findings) \
        else EXIT_OK


def _read_docx(path: Path) -> bytes:
    from planbuilder.review import read_file

    data = read_file(path)
    if not data.startswith(b"PK"):
        raise UsageError(t("import.errors.not_docx", file=path))
    return data


def cmd_import(args: argparse.Namespace) -> int:
    """`import agreement`: the Word agreement's clauses into the plan's agreement and its
    agreement in force; what was recognised, and every paragraph not imported, is said."""
    from planbuilder.errors import PlanLoadError
    from planbuilder.findings import has_errors
    from planbuilder.importing import (
        ImportRefused,
        import_agreement,
        planned_files,
        report,
        write_files,
    )
    from planbuilder.load import load_plan, plan_files
    from planbuilder.load.docxread import NotADocx, read_items
    from planbuilder.model import Lang
    from planbuilder.pipeline import validate
    from planbuilder.statfin import municipality_names

    folder: Path = args.plan
    if not folder.is_dir():
        raise UsageError(t("cli.no_plan_folder", path=folder))
    docs: dict[Lang, Path] = {"fi": args.docx}
    if args.sv:
        docs["sv"] = args.sv
    items = {}
    for lang, path in docs.items():
        try:
            items[lang] = read_items(_read_docx(path))
        except NotADocx as exc:
            raise UsageError(t("import.errors.not_docx", file=path) + f" ({exc})") from None
    try:
        plan = load_plan(folder).plan
    except PlanLoadError:
        plan = None
        print(t("import.plan_not_loaded", path=folder))
    imported = import_agreement(items["fi"], items.get("sv"), plan, municipality_names())
    for read in (imported.fi, imported.sv):
        if read is not None and not read.clauses:
            raise UsageError(t("import.errors.no_clauses", file=docs[read.lang]))
    for line in report(imported, {k: str(v) for k, v in docs.items()}):
        print(line.text())
    try:
        contents = planned_files(folder, plan_files(folder), imported, args.force,
                                 t("import.yaml_comment", file=args.docx.name))
    except ImportRefused as exc:
        raise UsageError(exc.message.text()) from None
    if args.dry_run:
        print(t("import.dry_run", files=", ".join(str(p) for p in contents)))
        return EXIT_OK
    try:
        write_files(contents)
    except OSError as exc:
        raise UsageError(t("import.errors.write", file=exc.filename or "?",
                           problem=exc.strerror or str(exc))) from None
    for path in contents:
        if not getattr(args, "quiet", False):
            print(t("cli.wrote", file=path))
    after = validate(folder)
    if has_errors(after.findings):
        _print_findings([f for f in after.findings if f.severity == "error"], sys.stderr)
        print(t("import.errors_after", path=folder), file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """`stats update`: the members' statistics from StatFin (or saved files), old → new and
    the effect on each share printed first; all files written or none."""
    import datetime as dt

    from planbuilder.load import load_plan
    from planbuilder.money.report import _name
    from planbuilder.render.output import replace_together
    from planbuilder.statfin import (
        StatsError,
        changes,
        code_of,
        fetch,
        file_edits,
        periods,
        read_file,
        reference_date,
        report,
        specs,
        used_statistics,
    )

    folder = _one_plan(args.plan, "stats update")
    loaded = load_plan(folder)
    plan = loaded.plan
    table_specs = specs()
    used = used_statistics(plan)
    by_table = {s.table: s for s in table_specs.values()}
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()  # the run's one clock
    today = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch.isdigit() \
        else dt.date.today()
    try:
        datasets = {}
        if args.source:
            for path in args.source:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise UsageError(f"{path}: {exc.strerror or exc}") from None
                ds = read_file(data, str(path), by_table.get)
                datasets[ds.table] = ds
        else:
            codes = [c for m in plan.members if (c := code_of(m)) is not None]
            for name in used:  # one query a statistic: its own categories
                spec = table_specs.get(name)
                date = reference_date(plan, name)
                if spec is not None and date <= today:
                    datasets[name] = fetch(spec, codes, periods(spec, date))
        found = changes(plan, datasets, today, used)
        if not found:
            print(t("stats.none"))
            return EXIT_OK
        for line in report(plan, found, lambda member: _name(plan, member)):
            print(line.text())
        taken = {c.statistic for c in found}
        skipped = [n for n in used if n not in taken]
        if skipped:
            print(t("stats.skipped", statistics=", ".join(skipped)))
        if all(c.old is not None and c.old.model_dump() == c.new.model_dump() for c in found):
            print(t("stats.nothing_new"))
            return EXIT_OK
        contents = file_edits(loaded.files, lambda p: loaded.source.locate(p).file, plan,
                              found)
    except StatsError as exc:
        raise UsageError(exc.message.text()) from None
    if args.dry_run:
        print(t("stats.dry_run"))
        return EXIT_OK
    for file in contents:
        try:
            with open(file, "rb") as handle:
                if handle.read() != loaded.files[file]:
                    raise UsageError(t("review.errors.changed_on_disk", file=file))
        except OSError as exc:
            raise UsageError(f"{file}: {exc.strerror or exc}") from None
    try:
        replace_together({Path(f): d for f, d in contents.items()})
    except OSError as exc:
        raise UsageError(t("stats.errors.write", file=exc.filename or "?",
                           problem=exc.strerror or str(exc))) from None
    for file in contents:
        if not getattr(args, "quiet", False):
            print(t("cli.wrote", file=file))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Each file's summary line and every difference; the exit code of the worst file
    (0 matches, 1 differs, 2 not made by planbuilder or unreadable)."""
    from planbuilder.errors import NotMadeByPlanbuilder
    from planbuilder.verify import verify

    status = EXIT_OK
    results: list[dict[str, Any]] = []
    for file in args.files:
        try:
            report = verify(file.read_bytes(), str(file), args.templates)
        except (NotMadeByPlanbuilder, OSError) as exc:
            problem = str(exc) if isinstance(exc, NotMadeByPlanbuilder) else \
                t("verify.unreadable", problem=exc.strerror or str(exc))
            status = max(status, exit_code(exc))
            if args.format == "json":
                results.append({"file": str(file), "result": "not-planbuilder",
                                "problems": [problem]})
            else:
                print(f"{file}: {problem}")
            continue
        status = max(status, EXIT_OK if report.ok else EXIT_FINDINGS)
        if args.format == "json":
            results.append(report.data())
            continue
        for line in [*report.altered, *report.problems]:
            print(f"{file}: {line.text()}")
        nothing = t("verify.nothing")
        for d in report.differences:
            print(t("verify.difference", file=file, where=d.where,
                    printed=d.printed or nothing, computed=d.computed or nothing))
        if not args.quiet:
            for note in report.notes:
                print(f"{file}: {note.text()}")
        r = report.record
        result = t("verify.ok", figures=report.figures) if report.ok else t(
            "verify.differs", differences=len(report.differences),
            altered=t("verify.altered") if report.altered else "")
        print(t("verify.summary", file=file, area=r["plan"]["area"],
                version=r["plan"]["version"], hash=str(r["content_hash"])[:12],
                built=r["built"], result=result))
    if args.format == "json":
        print(json.dumps({"files": results}, ensure_ascii=False, indent=2))
    return status


def cmd_rules(args: argparse.Namespace) -> int:
    from planbuilder.messages import language
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
        print(f"{r.id:22} {t(f'common.severity.{r.severity}'):8} {r.citation or '-'}")
        print(f"    {record['title']}. {record['explanation']}")
        if not (args.verbose or args.quote_statutes):
            continue
        if record["kind"] == "convention":
            print("    " + t("cli.rules.convention"))
        lang = "sv" if language() == "sv" else "fi"  # the statutes exist in fi and sv
        for quoted in record["basis"]:
            title = quoted.get(f"title_{lang}") or quoted["title_fi"]
            quote = quoted.get(f"quote_{lang}") or quoted["quote_fi"]
            print(f"    {quoted['id']} ({title}): \"{quote}\"")
            print("      " + t("cli.rules.source", source=quoted["source"]))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from planbuilder.compose.reference import format_reference
    from planbuilder.messages import language

    if args.format == "markdown":
        text = format_reference(language()).rstrip("\n")
    else:
        text = _schema_text(language())
    if not args.output:
        print(text)
        return EXIT_OK
    return _write(args, args.output, (text + "\n").encode("utf-8"))


def _schema_text(lang: str) -> str:
    """The editors' JSON schema, its descriptions in the reader's language (Finnish for a
    Swedish reader until the format's meanings exist in Swedish; said on stderr)."""
    from planbuilder.compose.reference import plan_schema_in, schema_language

    described = schema_language(lang)
    if described != lang:
        _error(t("cli.schema.fallback", language=lang, used=described))
    return json.dumps(plan_schema_in(described), ensure_ascii=False, indent=2)


def _write(args: argparse.Namespace, target: Path, data: bytes) -> int:
    """Write one file whole (or not at all) and say so."""
    from planbuilder.render.output import write_atomic

    if not target.parent.is_dir():
        _error(t("cli.no_such_folder", target=target, folder=target.parent))
        return EXIT_USAGE
    try:
        write_atomic(target, data)
    except OSError as exc:
        _error(f"{target}: {exc.strerror or exc}")
        return EXIT_USAGE
    if not args.quiet:
        print(t("cli.wrote", file=target))
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
    """A folder a command may fill: new or empty, and made if new; says why not otherwise
    (with the path and the system's reason: a name too long, a dangling link, a parent that
    cannot be made)."""
    try:
        if target.is_symlink() and not target.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            _error(t("cli.not_empty", target=target))
            return False
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _error(f"{exc.filename or target}: {exc.strerror or exc}")
        return False
    return True


def cmd_new(args: argparse.Namespace) -> int:
    from planbuilder.compose.templates import TemplateSet

    target: Path = args.folder
    if not _new_folder(target):
        return EXIT_USAGE
    lang = args.lang or ("sv" if language() == "sv" else "fi")
    skeleton = TemplateSet.load(args.templates).folder / "new"
    # new/<lang>/; a template folder copied before the Swedish skeleton has new/*.yaml
    files = sorted((skeleton / lang).glob("*.yaml")) or sorted(skeleton.glob("*.yaml"))
    if not files:
        _error(t("cli.new.no_skeleton", folder=skeleton))
        return EXIT_USAGE
    plan_folder = target / "plans" / target.resolve().name if args.repo else target
    if plan_folder != target and not _new_folder(plan_folder):
        return EXIT_USAGE
    for file in files:
        status = _write(args, plan_folder / file.name, file.read_bytes())
        if status:
            return status
    if args.repo:
        status = _write_repo(args, target, skeleton.parent / "repo")
        if status:
            return status
    if not args.quiet:
        print(t("cli.new.next", target=plan_folder))
        if args.repo:
            print(t("cli.new.next_repo", target=target))
    return EXIT_OK


# What `new --repo` writes beside the plan, from templates/repo/ (file names there carry no
# leading dot, so that they travel as ordinary package data).
REPO_FILES = {".gitignore": "gitignore.txt", ".pre-commit-config.yaml": "pre-commit-config.yaml",
              ".github/workflows/plans.yml": "github-workflow.yaml",
              ".gitlab-ci.yml": "gitlab-ci.yaml", ".vscode/settings.json": "vscode-settings.json",
              ".vscode/extensions.json": "vscode-extensions.json"}


def _write_repo(args: argparse.Namespace, target: Path, source: Path) -> int:
    """An area repository's own files: git ignores output/, the editor maps the schema
    (plan.schema.json, in the reader's language) and recommends the YAML extension,
    pre-commit validates before each commit, CI validates and builds once per change."""
    from planbuilder.messages import language

    for name, template in REPO_FILES.items():
        try:
            text = (source / template).read_text(encoding="utf-8")
        except OSError as exc:
            _error(f"{source / template}: {exc.strerror or exc}")
            return EXIT_USAGE
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        data = text.replace("@VERSION@", __version__).encode("utf-8")
        if status := _write(args, target / name, data):
            return status
    schema = (_schema_text(language()) + "\n").encode("utf-8")
    return _write(args, target / "plan.schema.json", schema)


def cmd_doctor(args: argparse.Namespace) -> int:
    import platform

    from planbuilder.doctor import can_build, checks

    found = checks(args.templates)
    if not args.quiet:
        print(t("doctor.heading", version=__version__, python=platform.python_version(),
                system=f"{platform.system()} {platform.release()}"))
    width = max(len(t("doctor.status.ok")), len(t("doctor.status.missing")))
    for c in found:
        if c.ok and args.quiet:
            continue
        status = t("doctor.status.ok" if c.ok else "doctor.status.missing")
        detail = str(c.detail)
        print(f"{status:<{width}}  {t(f'doctor.what.{c.key}')}" + (f": {detail}" if detail
                                                                   else ""))
        if not c.ok:
            pad = " " * (width + 2)
            print(f"{pad}{t('doctor.cost_label')}: {c.cost}")
            print(f"{pad}{t('doctor.install_label')}: {c.install}")
    missing = [t(f"doctor.what.{c.key}") for c in found if c.needed and not c.ok]
    if can_build(found):
        if not args.quiet:
            print(t("doctor.ready"))
        return EXIT_OK
    print(t("doctor.not_ready", missing=missing))
    return EXIT_USAGE


def cmd_init_templates(args: argparse.Namespace) -> int:
    import shutil

    from planbuilder.compose.templates import default_dir

    target: Path = args.folder
    if not _new_folder(target):
        return EXIT_USAGE
    shutil.copytree(default_dir(), target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    if not args.quiet:
        print(t("cli.init_templates.next", target=target))
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
        _error(t("cli.not_computed", path=path))
        return exc.exit_code
    if plan.budget is None or plan.cost_sharing is None:
        _error(t("cli.no_money", path=path))
        return EXIT_FINDINGS
    return compute(plan)


def _labels() -> Callable[[str, str], str]:
    """For a Finnish or Swedish reader, the labels the documents print for the plan's codes
    (line kinds, statistics); an English reader sees the codes the plan files use."""
    from planbuilder.compose.templates import TemplateSet
    from planbuilder.messages import language
    from planbuilder.money.report import codes

    lang = language()
    if lang == "en":
        return codes
    words = TemplateSet.load().translations[lang]
    return lambda section, value: words(f"{section}.{value}")


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
        print(money_report.budget_text(money, _labels()))
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
        from planbuilder.findings import did_you_mean

        hint = did_you_mean(wanted, [m.id for m in plan.members])
        _error(t("cli.explain.no_member", member=args.member, path=args.path,
                 members=[m.id for m in plan.members]) + (hint.text() if hint else ""))
        return EXIT_USAGE
    print(money_report.explain_text(money, member.id, _labels()))
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
        # With workers, the next plan is started (validated, its documents queued) before
        # this one is finished, so no core waits for a plan's last document; what each plan
        # says is still said in order, when it is finished.
        waiting: list[tuple[Callable[[str], int], str]] = []
        for number, path in enumerate(paths, start=1):
            try:
                begun = _begin(args, path, templates, claimed, pool)
            except EngineMissing:  # one clear error, when the first plan has work to do
                for finish, progress in waiting:  # the plans before it were up to date
                    finish(progress)
                raise
            waiting.append((begun, f"[{number}/{len(paths)}] " if len(paths) > 1 else ""))
            while waiting and (pool is None or len(waiting) > 1):
                finish, progress = waiting.pop(0)
                status = max(status, finish(progress))
        for finish, progress in waiting:
            status = max(status, finish(progress))
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


def _end_with_parent(parent: int) -> None:
    """In a render worker: end when the build that started it ends, however it ends (a
    SIGKILL leaves no time for the pool's own shutdown). Linux: PR_SET_PDEATHSIG."""
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util
        import signal

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build ended before the line above took effect
        os._exit(1)


class _LazyPool(Executor):
    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if self.pool is None:
            import multiprocessing

            from planbuilder.pipeline import prepare_workers

            prepare_workers()  # imported once, before the workers fork

            self.pool = ProcessPoolExecutor(max_workers=self.jobs,
                                            mp_context=multiprocessing.get_context("fork"),
                                            initializer=_end_with_parent,
                                            initargs=(os.getpid(),))
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait, cancel_futures=cancel_futures)


def _begin(args: argparse.Namespace, path: Path, templates: TemplateSet,
           claimed: dict[str, Path], pool: Executor | None) -> Callable[[str], int]:
    """Start one plan's build; the call returned finishes it and says what happened,
    giving its exit code."""
    from planbuilder.pipeline import Built, finish_build, output_name, start_build

    name = output_name(path)
    if name in claimed and claimed[name].resolve() != path.resolve():
        other = claimed[name]

        def refused(progress: str) -> int:
            _error(t("cli.build.claimed", path=path, other=other, output=args.output / name))
            return EXIT_USAGE

        return refused
    claimed[name] = path
    from planbuilder.render.engine import require_pdf_engine

    try:
        # the PDF engine is loaded (and its absence said) only when there is work to do
        started = start_build(path, args.output, args.lang, templates, pool=pool,
                              force=args.force, engine=require_pdf_engine)
    except EngineMissing:
        raise
    except Exception as exc:  # said in its turn, as when it is finished
        failure = exc

        def failed(progress: str) -> int:
            return _build_failed(args, path, failure)

        return failed

    def finish(progress: str) -> int:
        try:
            if isinstance(started, Built):
                built = started
            else:
                with _progress(path, args.quiet) as report:
                    built = finish_build(started, report)
        except Exception as exc:
            return _build_failed(args, path, exc)
        return _built(args, path, built, progress)

    return finish


def _build_failed(args: argparse.Namespace, path: Path, exc: Exception) -> int:
    """Say why a plan was not built; its exit code."""
    from planbuilder.errors import BuildError

    if isinstance(exc, BuildError):
        _print_findings(exc.findings, sys.stderr)
        print(t("cli.build.not_built", path=path), file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, PlanbuilderError):
        _error(t("cli.build.failed", path=path, problem=str(exc)))
        return exc.exit_code
    if isinstance(exc, OSError):
        _error(t("cli.build.cannot_write", path=path, problem=str(exc)))
        return exit_code(exc)
    # a bug: report it, build the other plans
    _internal(exc, args.verbose, t("cli.build.crashed", path=path))
    return EXIT_INTERNAL


def _built(args: argparse.Namespace, path: Path, built: Built, progress: str) -> int:
    """Say what a build did; its exit code."""
    warnings = [f for f in built.findings if f.severity == "warning" and not f.acknowledged]
    _print_findings(warnings)
    if args.quiet:
        return EXIT_OK
    if built.unchanged:
        print(progress + t("cli.build.up_to_date", path=path, warnings=len(warnings)))
        return EXIT_OK
    for file in built.files:
        print(t("cli.wrote", file=file))
    print(progress + t("cli.build.built_reattached" if built.reattached else "cli.build.built",
                       path=path, files=len(built.files), rendered=built.rendered,
                       reattached=built.reattached, warnings=len(warnings)))
    return EXIT_OK


@contextlib.contextmanager
def _progress(path: Path, quiet: bool, stream: TextIO | None = None,
              clock: Callable[[], float] | None = None, every: float = 10.0
              ) -> Iterator[Callable[[int, int], None] | None]:
    """What a plan's build reports while its documents render (on stderr): a bar redrawn in
    place on a terminal; elsewhere (a CI log) a plain line when `every` seconds have passed
    since the last, so a long render shows it is alive without a line per document. The
    result line that follows says the rest; nothing with -q."""
    import time

    out = stream or sys.stderr
    if quiet:
        yield None
        return
    now = clock or time.monotonic
    terminal = out.isatty()
    drawn = False
    last = now()

    def report(done: int, total: int) -> None:
        nonlocal drawn, last
        if total < 1:
            return
        text = t("cli.build.progress", path=path, done=done, total=total)
        if terminal:
            filled = round(20 * done / total)
            out.write(f"\r[{'#' * filled}{'.' * (20 - filled)}] {text}")
            drawn = True
        elif 0 < done < total and now() - last >= every:
            out.write(text + "\n")
            last = now()
        else:
            return
        out.flush()

    try:
        yield report
    finally:
        if drawn:
            out.write("\r\033[K")  # the bar gives way to the result line
            out.flush()


def _internal(exc: BaseException, verbose: bool, context: str = "") -> None:
    import traceback

    if verbose:
        traceback.print_exception(exc)
    where = f"{context}: " if context else ""
    _error(where + t("cli.internal", kind=type(exc).__name__, problem=str(exc)))


COMMANDS = {"validate": cmd_validate, "rules": cmd_rules, "schema": cmd_schema,
            "budget": cmd_budget, "explain": cmd_explain, "build": cmd_build,
            "house-template": cmd_house_template, "init-templates": cmd_init_templates,
            "new": cmd_new, "serve": cmd_serve, "redline": cmd_redline,
            "review": cmd_review, "doctor": cmd_doctor, "verify": cmd_verify,
            "import": cmd_import, "stats": cmd_stats}


def main(argv: Sequence[str] | None = None) -> int:
    from planbuilder.messages import CatalogueError, language, use

    argv = sys.argv[1:] if argv is None else list(argv)
    try:  # messages in the reader's language from here on (an unknown one is refused)
        use(_lang_option(argv) or language())
    except CatalogueError as exc:
        _error(str(exc))
        return EXIT_USAGE
    try:
        with _argparse_words():
            args = _parser().parse_args(argv)
        return _run(args)
    finally:
        use(None)


def _run(args: argparse.Namespace) -> int:
    from planbuilder.log import configure

    configure(args.verbose)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print(t("cli.interrupted"), file=sys.stderr)
        return EXIT_USAGE
    except PlanbuilderError as exc:
        _error(str(exc))
        return exc.exit_code
    except Exception as exc:  # a bug: say so, never as "the plan has errors"
        _internal(exc, args.verbose)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
