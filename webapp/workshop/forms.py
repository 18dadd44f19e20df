"""Forms with typed fields (Flask-WTF: CSRF token, length limits, French messages)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from webapp.workshop.services import MAX_NAME_LENGTH, MIN_PASSWORD_LENGTH
from webapp.workshop.state import Pace

REQUIRED = "Ce champ est obligatoire."
TIMER_CHOICES = (10, 20, 30, 45, 60, 90, 120)  # seconds, as quiz rooms offer


class LoginForm(FlaskForm):
    """E-mail and password of a facilitator."""

    email = EmailField("Adresse électronique", [DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField("Mot de passe", [DataRequired(REQUIRED), Length(max=200)])


class PasswordForm(FlaskForm):
    """Change one's password: the current one, then the new one twice."""

    current = PasswordField("Mot de passe actuel", [DataRequired(REQUIRED), Length(max=200)])
    new = PasswordField(
        "Nouveau mot de passe",
        [
            DataRequired(REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Au moins {MIN_PASSWORD_LENGTH} caractères.",
            ),
        ],
    )
    confirm = PasswordField(
        "Nouveau mot de passe (encore)",
        [DataRequired(REQUIRED), EqualTo("new", "Les deux saisies diffèrent.")],
    )


class NewSessionForm(FlaskForm):
    """Open a session: a title, a quiz, the pace and whether to show a leaderboard."""

    title = StringField("Titre de la session", [DataRequired(REQUIRED), Length(max=120)])
    quiz_id = SelectField("Quiz", [InputRequired(REQUIRED)])
    pace = RadioField(
        "Rythme",
        choices=[
            SelectChoice(Pace.LIVE.value, "En direct : j’affiche les questions une à une"),
            SelectChoice(Pace.SELF.value, "À son rythme : chacun avance seul dans le quiz"),
        ],
        default=Pace.LIVE.value,
    )
    leaderboard = BooleanField("Afficher un classement à la fin")
    timer = SelectField(
        "Minuterie par question (en direct)",
        choices=[
            SelectChoice("", "Aucune : je clos chaque question"),
            *(SelectChoice(str(s), f"{s} secondes") for s in TIMER_CHOICES),
        ],
        default="",
    )

    @property
    def timer_seconds(self) -> int | None:
        """The chosen timer in seconds, or None."""
        return int(self.timer.data) if self.timer.data else None


class JoinForm(FlaskForm):
    """Join a session: its code and the name to show."""

    code = StringField(
        "Code de la session",
        [DataRequired(REQUIRED), Length(max=20)],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "inputmode": "text",
        },
    )
    name = StringField(
        "Votre prénom ou pseudonyme",
        [DataRequired(REQUIRED), Length(max=MAX_NAME_LENGTH, message="40 caractères au plus.")],
        render_kw={"autocomplete": "nickname", "maxlength": MAX_NAME_LENGTH},
    )
