"""Forms of the lessons area."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional


class DisplayNameForm(FlaskForm):
    """An optional name shown to the learner (and, later, to a workshop facilitator)."""

    display_name = StringField(
        "Nom affiché (facultatif)",
        validators=[Optional(), Length(max=80)],
        filters=[lambda value: value.strip() if value else value],
    )
    submit = SubmitField("Enregistrer")
