"""Performance measurements of the build pipeline; run them with `python -m benchmarks`, never as timed tests."""
