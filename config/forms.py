"""Form fields every app uses instead of Django's where typed input can break them."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import connections, models


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses an id outside the database's integer
    range as an invalid choice ("Select a valid choice").

    Django checks the range for a single id (``pk=``) but not in the ``pk__in``
    list this field queries, and SQLite then raises OverflowError (a 500) for an
    id such as 10^23 typed into the form."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for item in value:
                self._check_range(item)
        return super().clean(value)

    def _check_range(self, item: object) -> None:
        queryset = self.queryset
        if queryset is None:
            return  # no choices yet: Django's own clean refuses everything
        meta = queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if not isinstance(key, models.IntegerField):
            return
        low, high = connections[queryset.db].ops.integer_field_range(key.get_internal_type())
        try:
            number = int(str(item))
        except ValueError:
            return  # not a number at all: Django's own check refuses it
        if (low is not None and number < low) or (high is not None and number > high):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": item},
            )


# A ModelAdmin's ``formfield_overrides``: its many-to-many fields refuse such ids too.
BOUNDED_MANY_TO_MANY: "Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]" = {
    models.ManyToManyField: {"form_class": BoundedModelMultipleChoiceField}
}
