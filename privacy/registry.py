"""The export registry: every model that refers to a person says, in one line,
how its rows about that person are found and what its fields mean.

``register(Model, _("What this is."))`` is enough for most models: the default
exporter finds the rows through every field that points to the user model (a
foreign key, one-to-one or many-to-many), writes each concrete field as JSON,
describes the fields from their verbose names and help texts (for the README in
the ZIP), and adds the person's own uploaded files from the ``files`` fields.
``tests/privacy/test_export.py`` walks ``apps.get_models()`` and fails for a
model that refers to the user model and is not registered here.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise

#: Never exported: secrets that would let someone act as the person.
SECRET_FIELDS = {"password", "consent_token", "claim_token", "key", "secret", "token"}


def user_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that point to the user model (not reverse relations)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        f.name
        for f in model._meta.get_fields()
        if f.is_relation and not f.auto_created and f.related_model is user_model
    ]


@dataclass
class Exporter:
    model: type[models.Model]
    description: str | Promise
    #: Fields through which a row belongs to the person (default: every user reference).
    through: tuple[str, ...] = ()
    #: File fields whose files go into the ZIP (only of the rows found).
    files: tuple[str, ...] = ()
    exclude: frozenset[str] = frozenset()
    #: A model that refers to people but holds nothing about the person exporting
    #: (say why); it is registered so the completeness test knows it was considered.
    not_about_the_person: str = ""
    rows_for: Callable[[Any], QuerySet] | None = None
    fields: list[models.Field] = field(init=False)

    def __post_init__(self) -> None:
        self.through = self.through or tuple(user_fields(self.model))
        self.fields = [
            f
            for f in self.model._meta.concrete_fields
            if f.name not in SECRET_FIELDS and f.name not in self.exclude
        ]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def queryset(self, user: Any) -> QuerySet:
        if self.not_about_the_person:
            return self.model._default_manager.none()
        if self.rows_for is not None:
            return self.rows_for(user)
        condition = Q()
        for name in self.through:
            condition |= Q(**{name: user})
        return self.model._default_manager.filter(condition).distinct().order_by("pk")

    def row(self, obj: models.Model) -> dict[str, Any]:
        return {f.attname: _plain(getattr(obj, f.attname)) for f in self.fields}

    def rows(self, user: Any) -> Iterator[dict[str, Any]]:
        for obj in self.queryset(user).iterator(chunk_size=500):
            yield self.row(obj)

    def file_names(self, user: Any) -> Iterator[tuple[str, str]]:
        """(storage name, name in the ZIP) of the person's files."""
        if not self.files:
            return
        for values in self.queryset(user).values_list("pk", *self.files).iterator(chunk_size=500):
            pk, *names = values
            for name in names:
                if name:
                    yield name, f"files/{self.label}/{pk}-{name.rsplit('/', 1)[-1]}"

    def field_docs(self) -> list[tuple[str, str]]:
        return [
            (f.attname, " ".join(str(part) for part in (f.verbose_name, f.help_text) if part))
            for f in self.fields
        ]


def _plain(value: Any) -> Any:
    """A file as its stored name; the rest is written by ``DjangoJSONEncoder``."""
    if isinstance(value, FieldFile):
        return value.name or None
    return value


EXPORTERS: dict[str, Exporter] = {}


def register(model: type[models.Model], description: str | Promise, **options: Any) -> Exporter:
    """Register ``model``'s rows about a person for the export (one line per model)."""
    exporter = Exporter(model=model, description=description, **options)
    EXPORTERS[exporter.label] = exporter
    return exporter


def models_referring_to_people() -> list[type[models.Model]]:
    """Every installed model with a field that points to the user model, and the
    user model itself."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [m for m in apps.get_models() if m is user_model or user_fields(m)]
