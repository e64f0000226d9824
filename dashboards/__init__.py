"""The monitoring dashboard: one self-contained Polish HTML page drawn from the indicator marts.

The publish asset calls :func:`write_dashboard`; this package reads ``marts.*`` tables only.
"""

from dashboards.page import write_dashboard

__all__ = ["write_dashboard"]
