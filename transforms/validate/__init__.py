"""Validate step: Great Expectations suites per canonical table, quarantine, results.

- ``run``: `validate_table`, `validate_wave` (imports Great Expectations: several seconds)
- ``suites``: `build_suite`, one suite per canonical table; ``codes``: `ValidationCodes`
- ``report``: `render_validation_html`, `write_validation_results` (no GX import)
"""
