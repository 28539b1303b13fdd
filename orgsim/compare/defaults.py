"""Defaults of a comparison, in a module light enough for the CLI's ``--help``."""

DEFAULT_REPLICATIONS = 20
"""Enough that every headline difference of hierarchy against self_managing is resolved
with room to spare: measured at 10, 20, 30 and 40 replications (docs/design.md,
"Comparisons"); at 10 the share of bad proposals accepted was only just resolved."""

DEFAULT_OUT = "results/comparison"
