"""The explorer area of the app."""
