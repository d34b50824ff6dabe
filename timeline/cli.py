"""The ``timeline`` command line: a thin layer over the library (no domain logic here).

Results go to stdout, diagnostics to stderr. Exit codes: 0 ok, 1 bad input, 2 usage.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import click

from timeline import __version__
from timeline.citations import RULES_VERSION
from timeline.errors import TimelineError
from timeline.i18n import LANGS


def _today() -> date:
    """Today's civil date in the Netherlands (DC-7); only the CLI reads the clock."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def _text(key: str, lang: str = "en", /, **params: Any) -> str:
    """The catalogue's error text ``key`` in ``lang`` (a usage error's message)."""
    from timeline.errors import msg

    return msg(key, **params).text(lang)


def _parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    from timeline.dates import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise click.BadParameter(_text("usage-as-of", value=repr(value))) from None


def _parse_options(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(_text("usage-option", item=repr(item)))
        out[key.strip()] = value.strip()
    return out


def _fail(err: TimelineError, lang: str = "en") -> None:
    """``Error: ...`` (``Fout: ...``) on one line in ``lang`` (a command's ``--lang``), exit 1."""
    _error(err.text(lang), lang)
    sys.exit(1)


def _error(message: str, lang: str = "en") -> None:
    """``Error: message`` on standard error, in ``lang``."""
    from timeline.i18n import phrase

    click.echo(phrase("error", "error-line", lang, message=message), err=True)


def _say(key: str, lang: str = "en", /, **params: Any) -> None:
    """A notice of the catalogues (context ``notice``) on standard error, in ``lang``: "Wrote ...", "Note: ..."."""
    from timeline.i18n import phrase

    click.echo(phrase("notice", key, lang, **params), err=True)


#: Exit status after the reader of standard output went away (``timeline ... | head -1``):
#: 128 + SIGPIPE, what a shell reports for ``cat`` or ``yes`` in the same place.
EXIT_CLOSED_PIPE = 141
#: Write errors that mean "standard output cannot take more" (a full disk, a quota, a
#: file-size limit, a device error): one line on stderr, exit 1.
_NO_ROOM = frozenset({"ENOSPC", "EDQUOT", "EFBIG", "EIO"})


def _discard_stdout() -> None:
    """Point file descriptor 1 at the null device, so the unwritten rest of stdout's buffer
    goes nowhere at exit (instead of a second error and a traceback from the interpreter)."""
    import os

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # in-process (tests): no descriptor
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


def _from_stdout(err: OSError) -> bool:
    """True when ``err`` came from writing standard output, not from writing an output file.

    Everything the commands (and click's help) print goes through :func:`click.echo`; its
    frame in the traceback says whether it was writing stdout (``err=False``). Without such
    a frame, stdout is the culprit if flushing it fails too.
    """
    tb = err.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "echo" and frame.f_globals.get("__name__") == "click.utils":
            return frame.f_locals.get("err") is False
        tb = tb.tb_next
    try:
        sys.stdout.flush()
    except OSError:
        return True
    except ValueError:  # closed
        return False
    return False


def _output_error(err: OSError) -> click.exceptions.Exit | None:
    """The exit for a write error on standard output (see :class:`_Timeline`), or None for any other error."""
    import errno
    import os

    if err.errno == errno.EPIPE:
        _discard_stdout()
        return click.exceptions.Exit(EXIT_CLOSED_PIPE)
    if errno.errorcode.get(err.errno or 0) in _NO_ROOM and _from_stdout(err):
        _discard_stdout()
        try:
            from timeline.errors import msg

            _error(msg("stdout-unwritable", reason=os.strerror(err.errno or 0)))
        except OSError:
            pass
        return click.exceptions.Exit(1)
    return None


class _Timeline(click.Group):
    """The command group; it turns write errors on standard output into Unix-tool behaviour.

    A closed pipe (EPIPE, the reader exited as ``head`` does) ends the command quietly
    with :data:`EXIT_CLOSED_PIPE`; a full disk or similar (:data:`_NO_ROOM`) prints
    "Error: cannot write to standard output: No space left on device" and exits 1. Any
    other error is not touched.
    """

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # --help and --version print while the arguments are parsed
            return super().make_context(*args, **kwargs)
        except OSError as err:
            done = _output_error(err)
            if done is None:
                raise
            raise done from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as err:
            done = _output_error(err)
            if done is None:
                raise
            raise done from None


#: The distribution name on PyPI (the import package and the command are ``timeline``).
DISTRIBUTION = "dutch-residence-timeline"


def _require(extra: str, command: str, *modules: str) -> None:
    """Exit 1 with one line naming the extra to install if one of ``modules`` cannot be imported.

    The optional dependencies are pyproject.toml's extras (``batch``: pandas and pyarrow;
    ``dask``: Dask); the core install has none of them.
    """
    from importlib import import_module

    for module in modules:
        try:
            import_module(module)
        except ImportError as err:
            from timeline.errors import msg

            missing = isinstance(err, ModuleNotFoundError)
            reason = msg("no-module", name=repr(err.name)) if missing else str(err)
            install = f'pip install "{DISTRIBUTION}[{extra}]"'
            _error(
                msg("needs-extra", command=command, extra=repr(extra), module=module, reason=reason, install=install)
            )
            sys.exit(1)


as_of_option = click.option(
    "--as-of",
    callback=_parse_as_of,
    metavar="YYYY-MM-DD",
    help="Evaluation date. Default: the case file's as_of, else today.",
)


def format_option(text: str, formats: tuple[str, ...] = ("text", "json")) -> Any:
    """``--format`` (parameter ``fmt``): the output format, text by default."""
    return click.option("--format", "fmt", type=click.Choice(formats), default="text", show_default=True, help=text)


# One instance of each path type, shared by every command: click names a path type through
# gettext, and each name costs a look-up on disk (about 0.1 ms of start-up each).
FILE_PATH = click.Path(dir_okay=False, path_type=str)
ANY_PATH = click.Path(path_type=str)


def output_file_option(text: str, required: bool = True) -> Any:
    """``-o/--output FILE`` (parameter ``output``), a file path (not a folder)."""
    return click.option("-o", "--output", required=required, type=FILE_PATH, help=text)


def dialect_options(func: Any) -> Any:
    """``--delimiter``, ``--encoding``, ``--date-format`` and ``--sheet``: how a table file is spelled."""
    options = (
        click.option(
            "--delimiter",
            type=click.Choice((",", ";", "tab")),
            help="CSV delimiter. Default: detected from the header line (comma, semicolon or tab; tab for .tsv).",
        ),
        click.option(
            "--encoding",
            type=click.Choice(("utf-8", "utf-8-sig", "cp1252")),
            default="utf-8",
            show_default=True,
            help="CSV encoding: utf-8 (a byte-order mark is read too; utf-8-sig writes one) or cp1252 (Windows).",
        ),
        click.option(
            "--date-format",
            type=click.Choice(("iso", "dmy")),
            default="iso",
            show_default=True,
            help="Dates in CSV and text cells: iso (2024-12-31) or dmy (31-12-2024, as Dutch Excel saves them). "
            "A date that does not match is an error with its line, never guessed.",
        ),
        click.option("--sheet", metavar="NAME", help="The sheet of an .xlsx input. Default: the first."),
    )
    for option in reversed(options):
        func = option(func)
    return func


def _dialect(delimiter: str | None, encoding: str, date_format: str, sheet: str | None) -> Any:
    from timeline.dialects import Dialect

    return Dialect(delimiter, encoding, date_format, sheet)


input_format_option = click.option(
    "--input-format",
    type=click.Choice(("toml", "json")),
    help="Format of a case read from standard input (CASE_FILE '-'). Default: JSON when it starts with '{', else TOML.",
)
lang_option = click.option(
    "--lang", type=click.Choice(LANGS), default="en", show_default=True, help="Language of texts and labels."
)
option_option = click.option(
    "--option",
    "options",
    multiple=True,
    callback=_parse_options,
    metavar="KEY=VALUE",
    help="Set a rules option (OQ-*), e.g. withdrawal_effective=separation. Repeatable. See 'timeline options'.",
)


@click.group(cls=_Timeline, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="timeline", message=f"%(prog)s %(version)s (rules {RULES_VERSION})")
def main() -> None:
    """Dutch residence timelines: residence gaps, the 4-week reporting deadline, and the
    clocks to permanent residence and naturalisation, each date with its legal basis.

    End dates are exclusive everywhere: a permit's end date is the first day without
    validity, as printed on the residence card ('geldig tot').
    """


@main.command()
@click.argument("case_file", type=FILE_PATH)
@as_of_option
@format_option("Readable summary or machine-readable JSON.")
@lang_option
@option_option
@input_format_option
def assess(
    case_file: str, as_of: date | None, fmt: str, lang: str, options: dict[str, str], input_format: str | None
) -> None:
    """Assess CASE_FILE (TOML or JSON; '-' reads standard input): gaps, reporting deadline, eligibility dates."""
    try:
        _, result = _assess_file(case_file, as_of, options, input_format)
    except TimelineError as err:
        _fail(err, lang)
    if fmt == "json":
        import json

        click.echo(json.dumps(result.to_dict(lang), indent=2, ensure_ascii=False))
    else:
        from timeline.presentation import assessment_text

        click.echo(assessment_text(result, lang), nl=False)


def _parse_size(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, float]:
    """``WxH`` in centimetres or a preset name -> (width, height) in inches (limits:
    timeline.chart.size_error; presets: timeline.chart.SIZE_PRESETS)."""
    from timeline.chart import SIZE_PRESETS, size_error

    if value.strip().lower() in SIZE_PRESETS:
        w, h = SIZE_PRESETS[value.strip().lower()]
        return w / 2.54, h / 2.54
    width, sep, height = value.lower().replace(" ", "").partition("x")
    try:
        w, h = float(width), float(height)
    except ValueError:
        w = h = float("nan")
    if not sep or w != w or h != h:  # NaN: not a number
        raise click.BadParameter(_text("usage-size", value=repr(value), names=tuple(SIZE_PRESETS)))
    problem = size_error(w, h)
    if problem:
        raise click.BadParameter(f"{value!r}: {problem}")
    return w / 2.54, h / 2.54


def _assess_file(case_file: str, as_of: date | None, options: dict[str, str], input_format: str | None = None):
    """Load and assess ``case_file`` (``-``: standard input) (TimelineError on bad input)."""
    from timeline.engine import assess as run

    case = _load(case_file, options, input_format)
    return case, run(case, as_of or case.as_of or _today(), options)


def _load(case_file: str, options: dict[str, str], input_format: str | None = None) -> Any:
    """The case of ``case_file``; ``-`` reads standard input (:func:`timeline.pipes.read_case`)."""
    if case_file == "-":
        from timeline.pipes import read_case

        return read_case(case_file, options=options, fmt=input_format)[0]
    from timeline.io import load_case

    return load_case(case_file, options=options)


def _stdout_or(output: str, ext: str) -> Any:
    """A context giving the file to write: ``output``, or for ``-`` a temporary file copied to stdout."""
    if output == "-":
        from timeline.pipes import stdout_file

        return stdout_file(ext)
    return contextlib.nullcontext(output)


@main.command("chart")
@click.argument("case_file", type=FILE_PATH)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="OUT",
    help="Output file; the format follows the extension: .png, .svg or .pdf. '-' writes standard output "
    "(--format, PNG by default; binary output to a terminal is refused).",
)
@click.option("--format", "fmt", type=click.Choice(("png", "svg", "pdf")), help="The format of -o - (standard output).")
@input_format_option
@lang_option
@as_of_option
@option_option
@click.option(
    "--size",
    default="29.7x21",
    show_default=True,
    callback=_parse_size,
    metavar="WxH",
    help="Chart size in centimetres, width x height (default A4 landscape), or a4, a4-portrait, or letter "
    "(16 cm wide for a portrait letter: no text under 8 pt, a compact legend; taller when the case needs it).",
)
@click.option(
    "--focus",
    is_flag=True,
    help="Draw the close-up: the latest residence gap and the next deadline (within 6 months) with the as-of "
    "date, instead of the whole history. Without either, the whole history, with a note.",
)
def chart_command(
    case_file: str,
    output: str,
    fmt: str | None,
    input_format: str | None,
    lang: str,
    as_of: date | None,
    options: dict[str, str],
    size: tuple[float, float],
    focus: bool,
) -> None:
    """Draw CASE_FILE as a timeline chart: permits, relationship, procedures, stays abroad
    and qualifying periods, with residence gaps and deadlines marked.
    """
    from timeline.chart import chart_spec, check_output, save
    from timeline.chart.focus import focus_window

    try:
        ext = f".{fmt or 'png'}" if output == "-" else check_output(output)
        if fmt and output != "-" and ext != f".{fmt}":
            raise click.UsageError(_text("usage-format-stdout", lang, fmt=fmt, output=output, ext=ext))
        with _stdout_or(output, ext) as target:
            case, result = _assess_file(case_file, as_of, options, input_format)
            window = focus_window(result) if focus else None
            save(chart_spec(result, case, lang=lang, size=size, window=window), target)
    except TimelineError as err:
        _fail(err, lang)
    _warn_undrawable(lang, case.id, case.description)
    if focus and window is None:
        _say("no-focus", lang)
    _say("wrote", lang, path=_shown(output, lang))


def _shown(output: str, lang: str = "en") -> str:
    if output != "-":
        return output
    from timeline.i18n import lookup

    return lookup("notice", "standard-output", lang)


def _warn_undrawable(lang: str, *texts: str) -> None:
    """Say which characters of the user's texts the chart font cannot draw (shown as U+FFFD)."""
    from timeline.usertext import REPLACEMENT, undrawable

    missing = undrawable("".join(texts))
    if missing:
        shown = missing if len(missing) <= 60 else missing[:59] + "…"
        _say("undrawable", lang, characters=shown, replacement=REPLACEMENT)


@main.command("report")
@click.argument("case_file", type=FILE_PATH)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="OUT.pdf",
    help="Output PDF file; '-' writes standard output (not a terminal).",
)
@input_format_option
@lang_option
@as_of_option
@option_option
def report_command(
    case_file: str, output: str, input_format: str | None, lang: str, as_of: date | None, options: dict[str, str]
) -> None:
    """Write the client report of CASE_FILE: an A4 PDF with now and next (what to do by
    when, when to apply), the key dates, the chart, the explanations with their legal basis,
    the assumptions and the SHA-256 of the input file.
    """
    from timeline.chart import check_output
    from timeline.engine import assess as run
    from timeline.pipes import read_case
    from timeline.report import write_report

    try:
        if output != "-":
            check_output(output, (".pdf",), what="a report")
        with _stdout_or(output, ".pdf") as target:
            case, raw = read_case(case_file, options=options, fmt=input_format)
            result = run(case, as_of or case.as_of or _today(), options)
            write_report(result, case, target, lang=lang, source_bytes=raw)
    except TimelineError as err:
        _fail(err, lang)
    _warn_undrawable(lang, case.id, case.description)
    _say("wrote", lang, path=_shown(output, lang))


@main.command("options")
@lang_option
def list_options(lang: str) -> None:
    """List the rules options (OQ-*), their choices and defaults.

    Each option settles an open question of the rules reference (docs/rules.md).
    """
    from timeline.i18n import phrase
    from timeline.options import OPTIONS

    for o in OPTIONS.values():
        line = {"key": o.key, "question": o.question, "default": o.default, "choices": ", ".join(o.choices)}
        click.echo(phrase("option", "option-line", lang, **line))
        click.echo(f"    {o.text(lang)}")


@main.command("scenarios")
@click.argument("case_file", type=FILE_PATH)
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="PATH=V1,V2",
    help="Set a case-file field to each value in turn, e.g. relationship.separated=2025-07-01,2025-09-20; "
    "a date range A..B tries every day, A..B/N every N-th day from A. Repeatable: every combination is a scenario.",
)
@click.option(
    "--scenarios",
    "scenarios_file",
    type=FILE_PATH,
    metavar="FILE.toml",
    help="Named scenarios: [[scenario]] entries with name = ... and set = { PATH = VALUE, ... }.",
)
@format_option(
    "Readable table, JSON, CSV or an Excel workbook (one row per scenario; xlsx is binary: redirect it to a file).",
    ("text", "json", "csv", "xlsx"),
)
@click.option("-o", "--output", metavar="FILE.png", help="Also draw a comparison chart (.png, .svg or .pdf).")
@as_of_option
@lang_option
@option_option
@input_format_option
def scenarios_command(
    case_file: str,
    varies: tuple[str, ...],
    scenarios_file: str | None,
    fmt: str,
    output: str | None,
    as_of: date | None,
    lang: str,
    options: dict[str, str],
    input_format: str | None,
) -> None:
    """Compare variations of CASE_FILE ('-': standard input) side by side: gaps, reporting
    deadline, earliest permanent residence and naturalisation, and the difference against
    the base case.
    """
    from timeline.scenarios import comparison_csv, comparison_dict, comparison_text, scenarios

    if not varies and not scenarios_file:
        raise click.UsageError(_text("usage-no-scenarios", lang))
    if fmt == "xlsx":
        _require("batch", "timeline scenarios --format xlsx", "openpyxl")
        _refuse_terminal("an Excel workbook", ".xlsx")
    if output == "-":
        raise click.UsageError(_text("usage-comparison-stdout", lang))
    try:
        if output:
            from timeline.chart import check_output

            check_output(output)
        case = _load(case_file, options, input_format)
        result = scenarios(case, varies, scenarios_file, as_of or case.as_of or _today(), options)
        if output:
            from timeline.scenarios.chart import save_comparison

            save_comparison(result, output, lang)
    except TimelineError as err:
        _fail(err, lang)
    if fmt == "json":
        import json

        click.echo(json.dumps(comparison_dict(result, lang), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(comparison_csv(result), nl=False)
    elif fmt == "xlsx":
        _echo_binary(_comparison_workbook(result), "an Excel workbook", ".xlsx")
    else:
        click.echo(comparison_text(result, lang), nl=False)
    if output:
        _say("wrote", lang, path=output)


def _comparison_workbook(result: Any) -> bytes:
    """The comparison as an .xlsx workbook, one row per scenario (dates as Excel dates)."""
    import io

    from timeline.scenarios import comparison_rows
    from timeline.workbooks import write_workbook

    buf = io.BytesIO()
    write_workbook(buf, [("scenarios", comparison_rows(result))], target="the workbook")
    return buf.getvalue()


def _refuse_terminal(what: str, ext: str) -> None:
    """Exit 1 with one line when standard output is a terminal: binary output would garble it."""
    if sys.stdout.isatty():
        from timeline.errors import msg

        _error(msg("stdout-binary-terminal", format=what, ext=ext))
        sys.exit(1)


def _echo_binary(data: bytes, what: str, ext: str) -> None:
    """Write ``data`` to standard output, unless it is a terminal (see :func:`_refuse_terminal`)."""
    _refuse_terminal(what, ext)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


@main.command("deadlines")
@click.argument("case_file", type=FILE_PATH)
@click.option(
    "-o",
    "--output",
    metavar="FILE.ics",
    help="Write the actions still ahead as all-day calendar events (iCalendar); '-' for stdout.",
)
@click.option("--all", "include_all", is_flag=True, help="Also put actions already done or past in the calendar file.")
@format_option("Readable list or JSON (every action, with its status).")
@as_of_option
@lang_option
@option_option
@input_format_option
def deadlines_command(
    case_file: str,
    output: str | None,
    include_all: bool,
    fmt: str,
    as_of: date | None,
    lang: str,
    options: dict[str, str],
    input_format: str | None,
) -> None:
    """What to do by when for CASE_FILE: reporting, objection and filing deadlines, extension
    windows and the earliest filing dates, each with its rule; optionally as a calendar file.
    """
    from timeline.ics import actions_ics, check_ics_path, write_ics

    try:
        if output and output != "-":
            check_ics_path(output)
        _, result = _assess_file(case_file, as_of, options, input_format)
        if output:
            data = actions_ics(
                result.actions,
                case_id=result.id,
                as_of=result.as_of,
                lang=lang,
                statuses=None if include_all else ("ahead",),
                certainty=result.certainty,
            )
            if output == "-":
                click.echo(data.decode("utf-8"), nl=False)
                return
            write_ics(data, output)
    except TimelineError as err:
        _fail(err, lang)
    if fmt == "json":
        import json

        from timeline.presentation import action_dict, attach_certainty

        payload = {
            "id": result.id,
            "as_of": result.as_of.isoformat(),
            "options": dict(result.options),
            "actions": [action_dict(x, lang) for x in result.actions],
        }
        attach_certainty(payload, result.certainty, lang)
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        from timeline.i18n import end_convention, format_date, lookup
        from timeline.presentation import actions_lines
        from timeline.usertext import one_line

        head, on = lookup("heading", "actions", lang), lookup("heading", "as_of", lang)
        lines = [f"{head}: {one_line(result.id)}  ({on} {format_date(result.as_of, lang)})", end_convention(lang), ""]
        lines += actions_lines(result.actions, lang, full=True, certainty=result.certainty) or ["  -"]
        click.echo("\n".join(lines))
    if output:
        shown = sum(1 for x in result.actions if include_all or x.status == "ahead")
        from timeline.i18n import count

        _say("wrote-what", lang, path=output, what=count(shown, "event", lang, sep=True))


def output_format_option(default: str) -> Any:
    """``--output-format``: the format of ``-o -`` (standard output)."""
    return click.option(
        "--output-format",
        type=click.Choice(("csv", "tsv", "jsonl", "parquet", "xlsx")),
        help=f"The format of -o - (standard output). Default: {default}. Binary formats are refused on a terminal.",
    )


@contextlib.contextmanager
def _piped(source: str, output: str, ext: Any) -> Iterator[tuple[str, str]]:
    """(input, output) file names: ``-`` becomes a temporary copy of stdin, or a temporary file
    copied to stdout (as ``ext(input)``) when the block succeeds. Messages name ``<stdin>``, not the copy."""
    from timeline.pipes import stdin_file, stdout_file

    with contextlib.ExitStack() as stack:
        src = stack.enter_context(stdin_file()) if source == "-" else source
        out = stack.enter_context(stdout_file(ext(src))) if output == "-" else output
        try:
            yield src, out
        except TimelineError as err:
            if src != source:
                err.args = (str(err).replace(src, "<stdin>"),)
            raise


@main.command("table")
@click.argument("source", type=ANY_PATH)
@output_file_option(
    "Output file: .jsonl (case files), .csv, .tsv, .xlsx or .parquet (event table); '-' for standard output."
)
@output_format_option("csv for case files, jsonl for a table")
@dialect_options
def table_command(
    source: str,
    output: str,
    output_format: str | None,
    delimiter: str | None,
    encoding: str,
    date_format: str,
    sheet: str | None,
) -> None:
    """Convert SOURCE between JSON Lines case files and the event table (.csv, .tsv, .xlsx,
    .parquet), by extension.

    --delimiter, --encoding and --date-format describe the CSV side: SOURCE when it is a
    CSV file, else the output (timeline table cases.jsonl -o cases.csv --delimiter ';'
    --date-format dmy --encoding cp1252 writes what Dutch Excel opens). SOURCE '-' reads
    standard input (its format recognised from its content). Lines that cannot be
    converted (invalid JSON, a repeated id, a value a table cannot hold) are listed on
    stderr with the reason; the other cases are written, and the exit code is 1.
    """
    _require("batch", "timeline table", "pyarrow")
    from timeline.tables import convert

    dialect = _dialect(delimiter, encoding, date_format, sheet)

    def ext(src: str) -> str:
        return "." + (output_format or ("csv" if src.lower().endswith((".jsonl", ".ndjson")) else "jsonl"))

    try:
        with _piped(source, output, ext) as (src, out):
            problems = convert(src, out, dialect=dialect)
            written = dialect if not src.lower().endswith((".csv", ".tsv", ".xlsx")) else None
            contents = _table_contents(out, written)
    except TimelineError as err:
        _fail(err)
    for line, reason in problems:
        _say("not-converted", source=source, line=line, reason=reason)
    _say("wrote-what", path=_shown(output), what=contents)
    if problems:
        sys.exit(1)


def _table_contents(path: str, dialect: Any = None) -> str:
    """``2,000 cases`` (JSON Lines) or ``2,000 cases, 20,696 rows`` (an event table), read back from
    ``path`` (written in ``dialect``, when a CSV file)."""
    from timeline.i18n import count

    if path.lower().endswith(".jsonl"):
        with open(path, "rb") as handle:
            return count(sum(1 for line in handle if line.strip()), "case", sep=True)
    import pyarrow as pa
    import pyarrow.compute as pc

    if path.lower().endswith((".xlsx", ".tsv")) or (path.lower().endswith(".csv") and dialect is not None):
        from timeline.tables import read_table

        counted = dialect._replace(date_format="iso") if dialect is not None else None  # dates are not counted
        ids = pa.array(read_table(path, dialect=counted)["case_id"], pa.string())
    elif path.lower().endswith(".parquet"):
        import pyarrow.parquet as pq

        ids = pq.read_table(path, columns=["case_id"])["case_id"]
    else:
        import pyarrow.csv as pcsv

        ids = pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(include_columns=["case_id"]))["case_id"]
    cases = pc.count_distinct(ids, mode="all").as_py()
    return f"{count(cases, 'case', sep=True)}, {count(len(ids), 'row', sep=True)}"


#: ``--errors`` or ``--gaps`` given without a file: a sheet of the ``-o`` workbook.
SAME_WORKBOOK = "(a sheet of the -o workbook)"


@main.command("batch")
@click.argument("source", type=ANY_PATH)
@output_file_option("Results, one row per case: .csv, .tsv, .parquet, .jsonl or .xlsx; '-' for standard output.")
@click.option(
    "--errors",
    "errors_path",
    type=FILE_PATH,
    is_flag=False,
    flag_value=SAME_WORKBOOK,
    help="Cases that could not be assessed, with row, record, field, value and reason. With -o FILE.xlsx, "
    "--errors without a file (or the same file) adds the sheet 'errors' to that workbook.",
)
@click.option(
    "--gaps",
    "gaps_path",
    type=FILE_PATH,
    is_flag=False,
    flag_value=SAME_WORKBOOK,
    help="One row per residence gap. With -o FILE.xlsx, --gaps without a file adds the sheet 'gaps'.",
)
@output_format_option("csv")
@dialect_options
@as_of_option
@option_option
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=1_000_000,
    show_default=True,
    help="Rows read and assessed at a time (whole cases); lower it to use less memory.",
)
@click.option("--quiet", is_flag=True, help="No progress messages on stderr.")
@click.option(
    "--drop-rows-without-case",
    is_flag=True,
    help="Leave out rows whose case_id is empty and count them; without it such rows stop the run "
    "before any work (exit 1, naming their lines), since a row without its id changes its case silently.",
)
@click.option(
    "--engine",
    type=click.Choice(("pandas", "dask")),
    default="pandas",
    show_default=True,
    help="dask: SOURCE is a folder of Parquet files partitioned by case, assessed on a Dask cluster. "
    f'Install the dask extra first: pip install "{DISTRIBUTION}[dask]".',
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the address of a running Dask scheduler. Default: a local cluster on 127.0.0.1.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="With --engine dask and no --scheduler: worker processes of the local cluster.",
)
def batch_command(
    source: str,
    output: str,
    errors_path: str | None,
    gaps_path: str | None,
    as_of: date | None,
    options: dict[str, str],
    chunk_rows: int,
    quiet: bool,
    drop_rows_without_case: bool,
    engine: str,
    scheduler: str | None,
    workers: int,
    output_format: str | None,
    delimiter: str | None,
    encoding: str,
    date_format: str,
    sheet: str | None,
) -> None:
    """Assess every case of SOURCE (.jsonl, .csv, .tsv, .xlsx, .parquet, or a folder of .parquet files).

    Same answers as 'timeline assess', one row per case. A bad case never stops the run: it
    goes to --errors. Rows of one case must be contiguous (as 'timeline table' writes them).
    """
    named = f"stdout.{output_format or 'csv'}" if output == "-" else output
    errors_path, gaps_path = _same_workbook(named, errors_path, gaps_path)
    if "-" in (errors_path, gaps_path):
        raise click.UsageError(_text("usage-batch-stdout"))
    if engine == "dask":  # first: the dask extra brings the batch extra with it
        _require("dask", "timeline batch --engine dask", "dask.dataframe", "dask.distributed")
    _require("batch", "timeline batch", "pandas", "pyarrow")
    from timeline.outputs import terminate_cleanly

    terminate_cleanly()  # a SIGTERM leaves the earlier output files, and no partial ones

    def say(message: str) -> None:
        click.echo(message, err=True)

    # Progress is printed one message behind: the last one (after the last chunk) is
    # replaced by the closing "Wrote ..." line, so a run ends with one summary, not two.
    pending: list[str] = []

    def progress(message: str) -> None:
        if pending:
            say(pending.pop())
        pending.append(message)

    common: dict[str, Any] = dict(
        as_of=as_of,
        default_as_of=_today(),
        options=options,
        progress=None if quiet else progress,
        drop_rows_without_case=drop_rows_without_case,
    )
    if engine == "dask":
        common.update(scheduler=scheduler, workers=workers)
    else:
        common.update(chunk_rows=chunk_rows, dialect=_dialect(delimiter, encoding, date_format, sheet))
    run = functools.partial(_batch_runner(engine), **common)
    try:
        with _piped(source, output, lambda _: "." + (output_format or "csv")) as (src, out):
            errors, gaps = (out if p == named else p for p in (errors_path, gaps_path))  # sheets of the workbook
            summary = run(src, out, errors=errors, gaps=gaps)
    except TimelineError as err:
        _fail(err)
    if not quiet:
        errors_path, gaps_path = (_shown(output) if p == named else p for p in (errors_path, gaps_path))
        say(_batch_written(summary, _shown(output), errors_path, gaps_path))


def _batch_runner(engine: str) -> Any:
    """``run_batch`` or, for ``--engine dask``, ``run_dask``."""
    if engine == "dask":
        from timeline.dask_engine import run_dask

        return run_dask
    from timeline.batch_files import run_batch

    return run_batch


def _same_workbook(output: str, errors: str | None, gaps: str | None) -> tuple[str | None, str | None]:
    """``--errors``/``--gaps`` given without a file name the ``-o`` workbook (usage error unless it is .xlsx)."""
    if SAME_WORKBOOK in (errors, gaps) and not output.lower().endswith(".xlsx"):
        raise click.UsageError(_text("usage-batch-sheets"))
    return (output if errors == SAME_WORKBOOK else errors), (output if gaps == SAME_WORKBOOK else gaps)


def _batch_written(summary: Any, output: str, errors_path: str | None, gaps_path: str | None) -> str:
    """``Wrote results.parquet (1,981 cases assessed), errors.csv (19 cases not assessed); 0.2 s``."""
    from timeline.i18n import count, phrase

    def cases(n: int) -> str:
        return count(n, "case", sep=True)

    if summary.engine:
        engine = phrase("notice", "batch-by-engine", "en", n=f"{summary.engine:,}")
        written = [
            phrase("notice", "batch-results-engine", "en", path=output, cases=cases(summary.results), engine=engine)
        ]
    else:
        written = [phrase("notice", "batch-results", "en", path=output, cases=cases(summary.results))]
    if errors_path:
        where = phrase("notice", "sheet", "en", name="errors") if errors_path == output else errors_path
        written.append(phrase("notice", "batch-errors", "en", path=where, cases=cases(summary.errors)))
    if gaps_path:
        where = phrase("notice", "sheet", "en", name="gaps") if gaps_path == output else gaps_path
        written.append(phrase("notice", "batch-gaps", "en", path=where, gaps=count(summary.gaps, "gap", sep=True)))
    line = phrase("notice", "wrote", "en", path=", ".join(written))
    if summary.errors and not errors_path:
        line += phrase("notice", "batch-not-assessed", "en", cases=cases(summary.errors))
    dropped = getattr(summary, "dropped", 0)
    if dropped:
        line += phrase("notice", "batch-dropped", "en", rows=count(dropped, "row", sep=True))
    return line + phrase("notice", "seconds", "en", seconds=f"{summary.seconds:.1f}")


@main.command("summary")
@click.argument("results", type=FILE_PATH)
@output_file_option("Write the charts (.png, .svg, .pdf) or the table (.csv, .xlsx).", required=False)
@lang_option
def summary_command(results: str, output: str | None, lang: str) -> None:
    """Summarise a 'timeline batch' results file ('-': standard input): gap share and lengths, late
    reporting, years to naturalisation."""
    _require("batch", "timeline summary", "pandas", "pyarrow")
    from timeline.batch_summary import read_results, summarise, summary_figure
    from timeline.outputs import check_outputs, replacing

    if output == "-":
        raise click.UsageError(_text("usage-summary-stdout", lang))
    try:
        if output is not None:
            check_outputs({"-o": output}, [results], {"-o": (".csv", ".xlsx", ".png", ".svg", ".pdf")})
        with _piped(results, "", str) as (src, _):
            df = read_results(src)
        table = summarise(df)
        if output is not None and output.lower().endswith(".csv"):
            with replacing(output) as tmp:
                table.to_csv(tmp, index=False)
        elif output is not None and output.lower().endswith(".xlsx"):
            from timeline.workbooks import write_workbook

            with replacing(output) as tmp:
                write_workbook(tmp, [("summary", table)], target=output)
        elif output is not None:
            from timeline.chart import check_output, save

            check_output(output)
            save(summary_figure(df, lang=lang, source="<stdin>" if results == "-" else results), output)
    except TimelineError as err:
        _fail(err, lang)
    for row in table.itertuples():
        label = f"{row.measure} [{row.group}]" if row.group else row.measure
        click.echo(f"{label:60s} {_summary_value(row.measure, row.group, row.value)}")
    if output is not None:
        from timeline.i18n import count, phrase

        if output.lower().endswith((".csv", ".xlsx")):
            what = phrase("notice", "measures", lang, n=len(table))
        else:
            what = phrase("notice", "charts-of", lang, cases=count(len(df), "case", lang, sep=True))
        _say("wrote-what", lang, path=output, what=what)


def _summary_value(measure: str, group: str, value: float) -> str:
    """One style for 'timeline summary': counts ``1,981``; shares and rates ``0.363`` (3 decimals);
    days and years ``1,044.0`` / ``2.3`` (1 decimal, thousands separated); ``-`` when there is no case."""
    if value != value:  # NaN: no case to measure
        return "-"
    if measure in ("cases", "reporting status") or group == "cases":
        return f"{value:,.0f}"
    if measure.startswith("share") or "rate" in measure:
        return f"{value:.3f}"
    return f"{value:,.1f}"


def _parse_mix(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    _require("batch", "timeline synth", "pyarrow")
    from timeline.synth import SynthError, parse_mix

    try:
        return parse_mix(values)
    except SynthError as err:
        raise click.BadParameter(str(err)) from None


class _SynthCommand(click.Command):
    """Lists the mix keys in the help, importing the generator (numpy) only when help is shown."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        try:
            from timeline.synth import MIX_HELP
        except ImportError:  # without the batch extra: the help still shows, with how to get the command
            formatter.write_paragraph()
            formatter.write_text(  # \b: not rewrapped (a wrap would split the name at its hyphens)
                f'\b\nThe mix keys are listed once the batch extra is installed:\npip install "{DISTRIBUTION}[batch]"'
            )
            return
        with formatter.section("Mix keys (--mix KEY=VALUE)"):
            formatter.write_dl(list(MIX_HELP.items()))


@main.command("synth", cls=_SynthCommand)
@click.option("--cases", type=click.IntRange(min=1), required=True, metavar="N", help="Number of cases.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same cases.")
@output_file_option("Output file: .jsonl (case files), .csv, .tsv, .xlsx or .parquet (event table); '-': stdout.")
@output_format_option("jsonl")
@click.option(
    "--mix",
    "mix",
    multiple=True,
    callback=_parse_mix,
    metavar="KEY=VALUE",
    help="Change the share of a kind of story, e.g. separation=0.5 or late_report=0.4. Repeatable; keys below.",
)
def synth_command(cases: int, seed: int, output: str, output_format: str | None, mix: dict[str, str]) -> None:
    """Write N realistic random case histories: plausible permit chains, separations, late
    reports, late extensions and stays abroad, in a configurable mix. For trying 'timeline
    batch', notebooks and tests; deterministic for a seed.
    """
    _require("batch", "timeline synth", "pyarrow")
    from timeline.synth import write_cases

    try:
        with _piped("", output, lambda _: "." + (output_format or "jsonl")) as (_, out):
            table = write_cases(out, cases, seed, mix)
    except TimelineError as err:
        _fail(err)
    from timeline.i18n import count

    what = f"{count(cases, 'case', sep=True)}, {count(table.num_rows, 'row', sep=True)}"
    _say("wrote-what", path=_shown(output), what=what)


@main.command("serve")
@click.argument("cases_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=str))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port; 0 picks a free one."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind to. Anything but this machine makes the cases reachable from others (with the token).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the address in the web browser.")
@lang_option
def serve_command(cases_dir: str, port: int, host: str, open_browser: bool, lang: str) -> None:
    """Serve the case files in CASES_DIR (default: this folder) as a local web app: the
    caseload sorted by the most urgent action, each case's now and next, chart,
    explanations and downloads, and a form to edit a case (checked and assessed as you
    type; saved back into its file, comments kept) or start a new one. Prints its address
    with an access token and serves until Ctrl-C.
    """
    from timeline.web import serve

    try:
        serve(cases_dir, host=host, port=port, lang=lang, open_browser=open_browser)
    except (OSError, ValueError) as err:
        from timeline.errors import msg

        _error(msg("cannot-serve", host=host, port=port, reason=str(err)), lang)
        sys.exit(1)


@main.command("schema")
@output_file_option("Write the schema to this .json file instead of standard output.", required=False)
def schema_command(output: str | None) -> None:
    """Print the JSON Schema of a case file, for editors: completion and checks as you type
    (see the README, "Case files in an editor").
    """
    from timeline.schema import schema_text

    if output is None or output == "-":
        click.echo(schema_text(), nl=False)
        return
    from timeline.outputs import check_output, replacing

    try:
        check_output(output, (".json",), "a JSON Schema")
        with replacing(output) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(schema_text())
    except TimelineError as err:
        _fail(err)
    except OSError as err:
        _error(str(err))
        sys.exit(1)
    _say("wrote", path=output)


def _template_kinds() -> list[str]:
    from timeline.newcase import TEMPLATES

    return list(TEMPLATES)


@main.command("new")
@click.option(
    "--kind",
    type=click.Choice(_template_kinds()),
    default="partner-of-dutch",
    show_default=True,
    help="The situation: partner-of-dutch lists every field; partner-of-resident, work, study-then-work, "
    "domestic-violence.",
)
@click.option("-o", "--output", required=True, metavar="CASE.toml", help="The case file to write, or - for stdout.")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def new_command(kind: str, output: str, force: bool) -> None:
    """Write a commented case-file template for a common situation; every field is explained
    in a comment. Fill in the client's dates, then 'timeline check' and 'timeline assess' it.
    """
    from timeline.newcase import template_text, write_template

    if output == "-":
        click.echo(template_text(kind), nl=False)
        return
    try:
        write_template(kind, output, force=force)
    except TimelineError as err:
        _fail(err)
    _say("wrote", path=output)


@main.command("check")
@click.argument("case_files", nargs=-1, required=True, type=ANY_PATH, metavar="CASE...")
@format_option("One line per problem, or JSON: a list of {file, record, field, value, message, check}.")
@lang_option
def check_command(case_files: tuple[str, ...], fmt: str, lang: str) -> None:
    """Check case files without assessing them: every problem of every file, one line each.
    A folder stands for the .toml and .json files in it. Exit 1 if there is any problem.
    """
    from timeline.checking import check_files, problem_dict
    from timeline.i18n import count, phrase

    found = check_files(case_files)
    problems = [p for errors in found.values() for p in errors]
    if fmt == "json":
        import json

        click.echo(json.dumps([problem_dict(p) for p in problems], indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            click.echo(problem.text(lang))
    files = count(len(found), "case-file", lang, sep=True)
    if problems:
        bad = sum(1 for errors in found.values() if errors)
        click.echo(
            phrase(
                "notice",
                "check-problems",
                lang,
                problems=count(len(problems), "problem", lang, sep=True),
                bad=bad,
                files=files,
            ),
            err=True,
        )
        sys.exit(1)
    _say("check-ok", lang, files=files)


#: Commands that end with :func:`os._exit` (see :func:`run`): those whose start-up
#: benchmark needs it to meet its target.
SHORT_COMMANDS = frozenset({"assess", "chart"})


def run(args: list[str] | None = None) -> None:
    """The ``timeline`` console command: :data:`main` run as a process.

    The :data:`SHORT_COMMANDS` end with :func:`os._exit` once stdout and stderr are
    flushed, skipping the interpreter's teardown; every other command exits the normal
    way. They need nothing from it: their output is written, and files closed, when the
    command returns, and they start no threads and register no exit handlers. Tests that
    call :data:`main` in-process are not affected.

    Measured on a non-editable install (issue 10; a 2-core machine shared with other
    work, load 1 to 3, so best of 30 runs for ``assess`` and of 5 for ``chart``, three
    or more rounds each; ratios to ``benchmarks/bench_assess.py``'s and
    ``bench_chart.py``'s baselines):

    - ``assess`` (target 1.5 x ``python -c "import click"``): 1.31 to 1.36 with
      ``os._exit``, 1.45 to 1.67 without (teardown costs about 15 ms of 80 to 100 ms).
      The cyclic garbage collector switched off as well changed nothing measurable
      (1.33 against 1.32), so it stays on.
    - ``chart`` (target 1.6 x importing pyplot with Agg): 1.15 to 1.41 with ``os._exit``
      alone, 1.37 to 1.83 without either (over the target in 1 of 6 rounds); with the
      collector off as well, 1.05 to 1.36: ``os._exit`` alone is enough.
    - ``report`` has no start-up target and exits the normal way.
    """
    import os

    args = sys.argv[1:] if args is None else args
    if not args or args[0] not in SHORT_COMMANDS:
        main(args=args, prog_name="timeline")
        return
    try:
        main(args=args, prog_name="timeline")
        code: object = 0
    except SystemExit as done:
        code = done.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe, as in `timeline chart ... | head -0`
            pass
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
