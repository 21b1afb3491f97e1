"""Benchmark scripts: run with `invoke bench`, never as timed tests."""
