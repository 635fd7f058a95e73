from django import forms
from django.utils.translation import gettext_lazy as _

from .search import SearchParams

MAX_VALUES = 20
SORT_ALIASES = {"date": "newest"}  # links from before issue 15
SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("title", _("Title (A–Z)")),
    ("date", _("Newest first")),
]


class ListField(forms.Field):
    """Every value of a repeated GET parameter (?theme=a&theme=b), trimmed and capped.
    Unknown values simply match nothing and impossible ones (a NUL byte) are
    dropped: a shared URL never errors."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        cleaned = []
        for item in values[:MAX_VALUES]:
            item = str(item).strip()[:100]
            # A NUL byte can be in no value (PostgreSQL text cannot hold one).
            if item and "\x00" not in item and item not in cleaned:
                cleaned.append(item)
        return cleaned


class StudySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the studies"), required=False, max_length=200)
    theme = ListField(label=_("Theme"), required=False)
    level = ListField(label=_("School level"), required=False)
    year = ListField(label=_("School year"), required=False)
    perspective = ListField(label=_("Perspectives involved"), required=False)
    city = ListField(label=_("City"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=SORT_CHOICES,
    )

    @property
    def q_shortened(self) -> bool:
        """The words are longer than the box takes (only a typed address can send
        that) and nothing else is wrong with them (a NUL byte drops them): their
        first ``max_length`` characters are searched."""
        errors = self.errors.get("q")
        return errors is not None and [e.code for e in errors.as_data()] == ["max_length"]

    def params(self) -> SearchParams:
        """The search the visitor asked for; invalid parts are dropped, never fatal,
        but overlong words are cut to the box's length rather than dropped."""
        self.is_valid()  # cleaned_data keeps the valid fields of an invalid form
        data = self.cleaned_data
        q = data.get("q") or ""
        if self.q_shortened:
            limit = self.fields["q"].max_length  # type: ignore[attr-defined]
            q = str(self.data.get("q", ""))[:limit]
        sort = str(data.get("sort") or "relevance")
        return SearchParams(
            q=" ".join(q.split()),
            themes=data.get("theme") or [],
            levels=data.get("level") or [],
            years=data.get("year") or [],
            perspectives=data.get("perspective") or [],
            cities=data.get("city") or [],
            sort=SORT_ALIASES.get(sort, sort),
        )
