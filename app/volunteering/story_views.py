"""Routes of volunteer stories: the board's public list, the volunteer's writing and
withdrawing, the organisation's (or staff's) approval."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.domain import DomainError
from app.extensions import db
from app.rendering import form_error_status, render, see_other
from app.volunteering import stories
from app.volunteering.agreements.views import get_organisation_or_404
from app.volunteering.blueprint import bp
from app.volunteering.stories import StoryStatus, VolunteerStory


def _id(value) -> int:
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 10 else 0


class StoryForm(FlaskForm):
    organisation = SelectField(_l("Organizacja"), coerce=_id, validate_choice=False)
    title = StringField(
        _l("Tytuł"),
        validators=[InputRequired(_l("Podaj tytuł historii.")), Length(max=stories.TITLE_LIMIT)],
    )
    body = TextAreaField(
        _l("Twoja historia"),
        description=_l(
            "Zwykły tekst; akapity oddziel pustą linią. Nie podawaj danych osób, którym pomagasz."
        ),
        validators=[InputRequired(_l("Napisz swoją historię.")), Length(max=stories.BODY_LIMIT)],
    )
    author_name = StringField(
        _l("Podpis"),
        description=_l("Jak Cię podpisać, np. samo imię. Puste pole: Twoje imię."),
        validators=[Length(max=60)],
    )


class DecisionForm(FlaskForm):
    pass


@bp.get("/historie")
def stories_board():
    return render("volunteering/stories/board.html", stories=stories.published())


def _may_see_unpublished(story: VolunteerStory) -> bool:
    """A story not on the board (waiting, refused, hidden by staff): its author, the
    organisation's members and city staff still see its page (with the staff's banner)."""
    from app.permissions import is_member, is_staff

    if not current_user.is_authenticated:
        return False
    return (
        story.user_id == current_user.id
        or is_member(current_user, story.organisation)
        or is_staff(current_user)
    )


@bp.get("/historie/<int:story_id>")
def story(story_id: int):
    story = db.get_or_404(VolunteerStory, story_id)
    if not stories.is_public(story) and not _may_see_unpublished(story):
        abort(404)
    return render("volunteering/stories/story.html", story=story)


@bp.route("/historie/moje", methods=["GET", "POST"])
@login_required
def my_stories():
    form = StoryForm()
    choices = stories.story_organisations(current_user)
    form.organisation.choices = [(o.id, o.name) for o in choices]
    if form.validate_on_submit():
        organisation = next((o for o in choices if o.id == form.organisation.data), None)
        try:
            if organisation is None:
                raise DomainError(
                    _(
                        "Historię można opowiedzieć o organizacji, która potwierdziła Twoje godziny."
                    ),
                    status=422,
                    field="organisation",
                )
            stories.submit(
                current_user,
                organisation,
                title=form.title.data,
                body=form.body.data,
                author_name=form.author_name.data or "",
            )
        except DomainError as refusal:
            if refusal.status != 422:
                raise
            getattr(form, refusal.field or "body").errors = [refusal.message]
        else:
            flash(_("Historia wysłana: ukaże się, gdy organizacja ją zatwierdzi."), "success")
            return see_other(url_for("volunteering.my_stories"))
    return render(
        "volunteering/stories/mine.html",
        status=form_error_status() if form.is_submitted() else 200,
        form=form,
        can_write=bool(choices),
        mine=stories.stories_of(current_user),
    )


@bp.post("/historie/<int:story_id>/wycofaj")
@login_required
def withdraw_story(story_id: int):
    story = db.get_or_404(VolunteerStory, story_id)
    if story.user_id != current_user.id:
        abort(404)
    stories.withdraw(story, current_user)
    flash(_("Historia wycofana: nie jest już widoczna."), "success")
    return see_other(url_for("volunteering.my_stories"))


@bp.get("/organizacja/<slug>/historie")
@login_required
def org_stories(slug: str):
    organisation = get_organisation_or_404(slug)
    return render(
        "volunteering/stories/organisation.html",
        organisation=organisation,
        stories=stories.queue_of(organisation),
        form=DecisionForm(),
        Status=StoryStatus,
    )


@bp.post("/organizacja/<slug>/historie/<int:story_id>")
@login_required
def org_story_decision(slug: str, story_id: int):
    organisation = get_organisation_or_404(slug)  # city staff may moderate too
    story = db.get_or_404(VolunteerStory, story_id)
    if story.organisation_id != organisation.id:
        abort(404)
    publish = request.form.get("decision") == "publish"
    stories.decide(story, publish=publish, actor=current_user)
    flash(
        _("Historia opublikowana.") if publish else _("Historia nie jest publikowana."), "success"
    )
    return see_other(url_for("volunteering.org_stories", slug=slug))
