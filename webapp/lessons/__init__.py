"""The lessons area of the app."""
