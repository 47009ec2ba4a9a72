"""Real, made-up PKI material and the demo data set.

Separate from the readers on purpose: this package writes certificates and signed
profiles (for the demo store and for generated test cases); the readers only read.
Nothing here is trusted by a store unless its demo root is added as an anchor.
"""
