"""The Textual console and the command line over the store."""
