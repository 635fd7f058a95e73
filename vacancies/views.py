"""Thin views of the vacancy board: the public sees public vacancies, people of the
network all open ones, and school leaders manage their school's (see
``permissions.py``)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.shortcuts import object_for, require
from config.page_cache import per_session

from . import selectors, services
from .forms import VacancyForm
from .models import Vacancy

#: A copy takes over everything but the dates, which the school sets anew.
COPIED_FIELDS = [name for name in services.FIELDS if name not in {"starts_on", "closes_on"}]


@per_session
def vacancy_list(request):
    board = selectors.vacancy_board(request.user, request.GET)
    return render(
        request,
        "vacancies/list.html",
        {
            "filter": board.filter,
            "page": board.page,
            "can_post": rules.has_perm("vacancies.post_vacancy", request.user),
        },
    )


def vacancy_detail(request, pk: int):
    vacancy = object_for(request.user, Vacancy.objects.select_related("school"), pk=pk)
    return render(
        request,
        "vacancies/detail.html",
        {
            "vacancy": vacancy,
            "can_manage": rules.has_perm("vacancies.manage_vacancy", request.user, vacancy),
        },
    )


def _apply_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _vacancy_form(request, *, vacancy: Vacancy | None, initial: dict | None = None):
    """Post a new vacancy (``vacancy`` None) or change one; the same page for both."""
    form = VacancyForm(
        request.POST or None,
        instance=None,
        initial=initial,
        schools=selectors.schools_to_post_for(
            request.user, keep=vacancy.school_id if vacancy else None
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.FIELDS}
        try:
            if vacancy is None:
                saved = services.vacancy_create(posted_by=request.user, **data)
            else:
                saved = services.vacancy_update(vacancy=vacancy, **data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The vacancy has been saved."))
            return redirect("vacancies:detail", pk=saved.pk)
    return render(request, "vacancies/form.html", {"form": form, "vacancy": vacancy})


@login_required
def vacancy_create(request):
    require(request.user, "vacancies.post_vacancy")
    return _vacancy_form(request, vacancy=None)


def _managed(request, pk: int) -> Vacancy:
    return object_for(
        request.user,
        Vacancy.objects.select_related("school"),
        perm="vacancies.manage_vacancy",
        pk=pk,
    )


@login_required
def vacancy_edit(request, pk: int):
    vacancy = _managed(request, pk)
    initial = {name: getattr(vacancy, name) for name in services.FIELDS}
    return _vacancy_form(request, vacancy=vacancy, initial=initial)


@login_required
def vacancy_copy(request, pk: int):
    """Post an expired or withdrawn vacancy again: a new vacancy with its text."""
    original = _managed(request, pk)
    initial = {name: getattr(original, name) for name in COPIED_FIELDS}
    return _vacancy_form(request, vacancy=None, initial=initial)


@login_required
@require_POST
def vacancy_withdraw(request, pk: int):
    vacancy = _managed(request, pk)
    services.vacancy_withdraw(vacancy=vacancy)
    messages.success(request, _("The vacancy has been withdrawn; only your school still sees it."))
    return redirect("vacancies:school")


@per_session
@login_required
def school_vacancies(request):
    require(request.user, "vacancies.post_vacancy")
    return render(
        request,
        "vacancies/school_list.html",
        {"page": selectors.managed_vacancies(request.user, request.GET.get("page"))},
    )
