"""The throughput baseline: the smallest Flask app, served by the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """A constant page: what Flask and gunicorn cost with no work of ours."""
    return "Hello, World!"
