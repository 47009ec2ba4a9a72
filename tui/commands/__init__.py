"""The command-line verbs, one module per area; none of them imports Textual."""
