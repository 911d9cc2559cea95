"""Form fields shared by every domain."""

from __future__ import annotations

from decimal import Decimal

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from app.inputs import MAX_DB_INT

# Money and hours columns hold at most this (Numeric(10, 2)).
MAX_DECIMAL = Decimal("99999999.99")
TOO_LARGE = _l("Ta liczba jest za duża.")


def choices(pairs) -> list[SelectChoice]:
    """Choices for a select or checkbox field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes in a fieldset (rendered by the ``field`` macro)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class IntegerField(wtforms.IntegerField):
    """An integer an integer column can hold: ``2147483648`` or a 400-digit number is a form
    error, not a database overflow. Every form uses this one (tests/test_layout.py)."""

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.data is not None and abs(self.data) > MAX_DB_INT:
            self.data = None
            raise wtforms.validators.StopValidation(str(TOO_LARGE))


class DecimalField(wtforms.DecimalField):
    """A decimal a money or hours column can hold (see ``MAX_DECIMAL``)."""

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.data is not None and (not self.data.is_finite() or abs(self.data) > MAX_DECIMAL):
            self.data = None
            raise wtforms.validators.StopValidation(str(TOO_LARGE))
