"""Bounded benchmarks, each printed beside a baseline measured in the same run (`make bench`)."""
