"""Plausible wrong answers to the exercises, one module per assignment (see run.py)."""
