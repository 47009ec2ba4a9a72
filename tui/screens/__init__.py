"""The console's screens: six sections reached by digits, and the detail/forms pushed over them."""
