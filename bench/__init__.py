"""Reproducible benchmarks of rapport: each ``bench_*.py`` module prints its figures and ratios."""
