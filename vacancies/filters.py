"""The filters of the vacancy board (django-filter): level, subject and city."""

import django_filters  # type: ignore[import-untyped]  # ships no types
from django import forms
from django.utils.translation import gettext_lazy as _

from schools.models import School

from .models import Vacancy


class VacancyFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=School.Level.choices, empty_label=_("All levels")
    )
    subject = django_filters.CharFilter(
        label=_("Subject"),
        lookup_expr="icontains",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Mathematics")}),
    )
    city = django_filters.ChoiceFilter(
        label=_("City"), field_name="school__city", empty_label=_("All cities")
    )

    class Meta:
        model = Vacancy
        fields = ["level", "subject", "city"]

    def __init__(self, *args, cities: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["city"].extra["choices"] = [(city, city) for city in cities]
