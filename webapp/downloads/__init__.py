"""The downloads area of the app."""
