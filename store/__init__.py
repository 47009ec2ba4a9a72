"""Everything below the screens: file readers, the data model, the store and the rules.

Nothing here imports textual or rich, so the command line's headless verbs start fast
and every rule can be tested without a terminal.
"""
