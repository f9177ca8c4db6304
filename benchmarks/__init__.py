"""Benchmark harness (not part of the default tests): `make bench`."""
