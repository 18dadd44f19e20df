"""coopkit: the command line that ties the course, the deck builder and the web app."""
