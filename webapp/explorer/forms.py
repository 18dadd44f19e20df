"""Forms of the explorer: the filter of the processes table (a GET form: it changes nothing)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField

SORTS = {
    "annee": "Année de création",
    "sigle": "Sigle",
    "nom": "Nom",
    "type": "Type",
    "region": "Région",
    "membres": "Nombre de membres",
}


class ProcessFilterForm(FlaskForm):
    """Region, kind, decade and sort order of the processes table."""

    class Meta:
        csrf = False  # a GET search form: nothing to forge

    region = SelectField("Région", default="")
    kind = SelectField("Type", default="")
    decade = SelectField("Décennie de création", default="")
    sort = SelectField(
        "Trier par", choices=[SelectChoice(*pair) for pair in SORTS.items()], default="annee"
    )
    order = SelectField(
        "Ordre",
        choices=[SelectChoice("asc", "croissant"), SelectChoice("desc", "décroissant")],
        default="asc",
    )
    submit = SubmitField("Filtrer")
