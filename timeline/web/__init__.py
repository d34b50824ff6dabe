"""``timeline serve``: a local web app over a folder of case files (issue 13).

The case files in the folder are the data: nothing else is stored, nothing leaves the
machine, and the pages make no network request of their own (every style and script is
served by the tool, and the Content-Security-Policy forbids anything else). It is a thin
face over the library, like the command line: no rule, no legal text and no chart logic
here.

The modules, by job:

- :mod:`~timeline.web.security`: the access token, its cookie, and which file names may be read.
- :mod:`~timeline.web.caseload`: the folder of cases, each assessed once per change (a cache
  keyed by the file's modification time and size), and the caseload rows as data.
- :mod:`~timeline.web.caseload_csv`: the caseload as the CSV of ``timeline batch`` (``/cases.csv``).
- :mod:`~timeline.web.downloads`: the case's downloads as bytes (JSON, ICS, PDF report, chart as SVG, PNG, PDF).
- :mod:`~timeline.web.pages`: the HTML of the caseload and the case page (every value escaped).
- :mod:`~timeline.web.scenarioapi`, :mod:`~timeline.web.scenariopage`: scenarios (the
  comparison of ``timeline scenarios``, its page, the case's scenario file).
- :mod:`~timeline.web.server`: routing and the HTTP server (the standard library's
  :class:`~http.server.ThreadingHTTPServer`), and :func:`serve`.
"""

from __future__ import annotations

from .server import App, make_server, serve

__all__ = ["App", "make_server", "serve"]
