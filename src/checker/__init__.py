"""Eligibility and budget checker for French digital-inclusion funding calls.

Pure Python: runs unchanged on CPython (command line, batch, tests) and on
Pyodide (the self-assessment form in the browser).
"""

__version__ = "0.1.0"
