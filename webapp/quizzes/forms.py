"""Quiz forms: the start button. A quiz's questions are read back by ``webapp.answers``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField


class StartForm(FlaskForm):
    """Start (or retry) a quiz: a new seed draws new questions."""

    submit = SubmitField("Commencer")
