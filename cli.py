"""The ``timeline`` command line: a thin layer over the library (no domain logic here).

Results go to stdout, diagnostics to stderr. Exit codes: 0 ok, 1 bad input, 2 usage.
"""

from __future__ import annotations

import sys
from datetime import date

import click

from timeline import __version__
from timeline.errors import TimelineError

LANGS = ("en", "nl")


def _today() -> date:
    """Today's civil date in the Netherlands (rules.md DC-7); only the CLI reads the clock."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def _parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    from timeline.dates import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _parse_options(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r}: use KEY=VALUE, for example withdrawal_effective=separation")
        out[key.strip()] = value.strip()
    return out


def _fail(err: TimelineError) -> None:
    click.echo(f"Error: {err}", err=True)
    sys.exit(1)


as_of_option = click.option(
    "--as-of",
    callback=_parse_as_of,
    metavar="YYYY-MM-DD",
    help="Evaluation date. Default: the case file's as_of, else today.",
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
    help="Set a rules option (rules.md OQ-*), e.g. withdrawal_effective=separation. Repeatable. "
    "See 'timeline options'.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="timeline")
def main() -> None:
    """Dutch residence timelines: residence gaps, the 4-week reporting deadline, and the
    clocks to permanent residence and naturalisation, each date with its legal basis.

    End dates are exclusive everywhere: a permit's end date is the first day without
    validity, as printed on the residence card ('geldig tot').
    """


@main.command()
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=str))
@as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Readable summary or machine-readable JSON.",
)
@lang_option
@option_option
def assess(case_file: str, as_of: date | None, fmt: str, lang: str, options: dict[str, str]) -> None:
    """Assess CASE_FILE (TOML or JSON): gaps, reporting deadline, eligibility dates."""
    from timeline.engine import assess as run
    from timeline.io import load_case

    try:
        case = load_case(case_file, options=options)
        result = run(case, as_of or case.as_of or _today(), options)
    except TimelineError as err:
        _fail(err)
    if fmt == "json":
        import json

        click.echo(json.dumps(result.to_dict(lang), indent=2, ensure_ascii=False))
    else:
        from timeline.render import assessment_text

        click.echo(assessment_text(result, lang), nl=False)


@main.command("options")
@lang_option
def list_options(lang: str) -> None:
    """List the rules options (rules.md OQ-*), their choices and defaults."""
    from timeline.options import OPTIONS

    for o in OPTIONS.values():
        click.echo(f"{o.key} ({o.question}): default {o.default}; choices: {', '.join(o.choices)}")
        click.echo(f"    {o.help}")


if __name__ == "__main__":  # pragma: no cover
    main()
