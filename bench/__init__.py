"""Benchmarks, one module per area; run each as ``python -m bench.<name>`` (``make bench`` runs all).

Run as modules, not scripts, so ``bench/inspect.py`` and ``bench/store.py`` never shadow the
standard library's ``inspect`` or the ``store`` package.
"""
