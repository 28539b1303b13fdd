"""From a real event log to a calibrated scenario: read, split, estimate, write, validate."""
