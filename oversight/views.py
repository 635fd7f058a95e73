import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.shortcuts import object_for, require
from config.page_cache import per_session
from knowledge_base import reading

from . import exports, selectors, services
from .csv_export import csv_response
from .forms import AgreementCreateForm, AgreementForm, AgreementItemForm, TeamFilterForm
from .models import AgreementItem, PartnershipAgreement
from .permissions import oversees_in_some_year, oversight_scope


def _years_and_scope(request):
    """Every school year (the selector), the one chosen and the person's oversight
    scope in it: one kept query (the scope is the person's, read once a request)."""
    years = selectors.school_years(request.user)
    school_year = selectors.chosen_school_year(years, request.GET.get("year"))
    if school_year is None:
        raise Http404
    return years, school_year, oversight_scope(request.user, school_year)


def _nav(scope) -> dict:
    return {"teams": scope.can_oversee, "network": scope.can_view_network}


def _overview(request):
    years, school_year, scope = _years_and_scope(request)
    if not scope.can_oversee and not oversees_in_some_year(request.user):
        raise Http404
    stages = selectors.cycle_stages(request.user)
    rows = selectors.team_rows(request.user, school_year, scope=scope, stages=stages)
    schools = sorted({r.team.school for r in rows}, key=lambda s: s.name)
    form = TeamFilterForm(request.GET or None, schools=schools, stages=stages)
    shown = rows
    if form.is_bound and form.is_valid():
        shown = selectors.filter_rows(rows, **form.cleaned_data)
    return years, school_year, scope, rows, shown, form, stages


@per_session
@login_required
def overview(request):
    """The bridge-builder's view: every team of the schools one oversees."""
    years, school_year, scope, rows, shown, form, stages = _overview(request)
    return render(
        request,
        "oversight/overview.html",
        {
            "school_year": school_year,
            "years": years,
            "scope": scope,
            "rows": shown,
            "total": len(rows),
            "flagged": sum(1 for r in rows if r.attention.needed),
            "form": form,
            "stages": stages,
            "query": request.GET.urlencode(),
            "section": "teams",
            "oversight_nav": _nav(scope) | {"teams": True},
        },
    )


def _network(request):
    years, school_year, scope = _years_and_scope(request)
    if not scope.can_view_network:
        raise Http404
    return years, school_year, scope, scope.network_school_ids


@per_session
@login_required
def network(request):
    """Network view: stage distribution, activity, learning communities, participation."""
    years, school_year, scope, school_ids = _network(request)
    weeks = selectors.weekly_activity(school_year, school_ids)
    stages = selectors.cycle_stages(request.user)
    rows = selectors.team_rows(
        request.user,
        school_year,
        scope=scope,
        school_ids=school_ids,
        stages=stages,
        student_teachers=False,  # the network page names none
    )
    return render(
        request,
        "oversight/network.html",
        {
            "school_year": school_year,
            "years": years,
            # what the body shows (``oversight_parts.network_body`` draws and keeps it)
            "distribution": selectors.distribution_of(rows, stages),
            "weeks": weeks,
            "communities": selectors.communities(school_year, rows, school_ids),
            "participation": selectors.participation(school_year, school_ids),
            "most_read": reading.most_read(school_ids, school_year.starts_on, school_year.ends_on),
            "query": f"year={school_year.pk}",
            "section": "network",
            "oversight_nav": _nav(scope),
        },
    )


@login_required
def export(request, table: str):
    """Every table of the oversight, network and agreement pages as CSV."""
    if table == "agreements":
        return _agreements_csv(request)
    if table == "teams":
        _years, school_year, _scope, _rows, shown, _form, _stages = _overview(request)
        return csv_response(*exports.teams(school_year, shown))
    _years, school_year, scope, school_ids = _network(request)
    if table not in exports.NETWORK_TABLES:
        raise Http404
    return csv_response(
        *exports.NETWORK_TABLES[table](request.user, school_year, scope, school_ids)
    )


# --- Agreements -------------------------------------------------------------


@per_session
@login_required
def agreement_list(request):
    years = selectors.school_years(request.user)
    school_year = selectors.chosen_school_year(years, request.GET.get("year"))
    if school_year is None:
        raise Http404
    agreements = selectors.agreements_for(request.user, school_year)
    creatable = selectors.creatable_agreements(request.user, school_year, agreements)
    if not agreements and creatable is None:
        raise Http404
    form = AgreementCreateForm(schools=creatable)
    if request.method == "POST":
        if creatable is None:
            raise PermissionDenied
        form = AgreementCreateForm(request.POST, schools=creatable)
        if form.is_valid():
            school = form.cleaned_data["school"]
            require(request.user, "oversight.create_agreement", (school, school_year))
            try:
                agreement = services.agreement_create(
                    school=school, school_year=school_year, goals=form.cleaned_data["goals"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The agreement has been started."))
                return redirect("oversight:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "oversight/agreement_list.html",
        {
            "school_year": school_year,
            "years": years,
            "agreements": agreements,
            "form": form if creatable is not None else None,
            "section": "agreements",
            "oversight_nav": _nav(oversight_scope(request.user, school_year)),
        },
    )


def _agreement(request, pk, perm: str | None = None):
    return object_for(
        request.user,
        PartnershipAgreement.objects.select_related(
            "school", "school_year", "school_agreed_by", "institution_agreed_by"
        ),
        perm=perm,
        pk=pk,
    )


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.error_dict.items():
            target = field_name if field_name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _may_agree(user, side: str, agreement) -> bool:
    # A network admin must not agree on behalf of the school (see access.shortcuts).
    return rules.has_perm(f"oversight.agree_for_{side}", user, agreement)


def _detail_context(request, agreement, **extra):
    can_change = rules.has_perm("oversight.change_agreement", request.user, agreement)
    balance = selectors.agreement_balance(agreement)
    context = {
        "agreement": agreement,
        "balance": balance,
        "school_lines": [b for b in balance if b.item.party == AgreementItem.Party.SCHOOL],
        "institution_lines": [
            b for b in balance if b.item.party == AgreementItem.Party.INSTITUTION
        ],
        "can_change": can_change,
        "can_agree_school": _may_agree(request.user, "school", agreement),
        "can_agree_institution": _may_agree(request.user, "institution", agreement),
        "goals_form": AgreementForm(instance=agreement) if can_change else None,
        "item_form": AgreementItemForm(prefix="item") if can_change else None,
        "sessions_installed": selectors.sessions_installed(),
        "school_year": agreement.school_year,
        "year_ended": agreement.school_year.ends_on < timezone.localdate(),
        "section": "agreements",
        "oversight_nav": _nav(oversight_scope(request.user, agreement.school_year)),
    }
    context.update(extra)
    return context


@login_required
def agreement_detail(request, pk):
    agreement = _agreement(request, pk)
    return render(request, "oversight/agreement_detail.html", _detail_context(request, agreement))


@login_required
@require_POST
def agreement_goals(request, pk):
    agreement = _agreement(request, pk, "oversight.change_agreement")
    form = AgreementForm(request.POST, instance=PartnershipAgreement(pk=agreement.pk))
    if form.is_valid():
        services.agreement_update(agreement=agreement, goals=form.cleaned_data["goals"])
        messages.success(request, _("The goals have been saved. Both sides need to agree again."))
        return redirect("oversight:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "oversight/agreement_detail.html",
        _detail_context(request, agreement, goals_form=form),
        status=400,
    )


@login_required
@require_POST
def agreement_item_add(request, pk):
    agreement = _agreement(request, pk, "oversight.change_agreement")
    form = AgreementItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            services.agreement_item_save(agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The item has been added. Both sides need to agree again."))
            return redirect("oversight:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "oversight/agreement_detail.html",
        _detail_context(request, agreement, item_form=form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_item_delete(request, pk, item_pk):
    """Asks first (GET shows what goes); the confirming POST removes. No JavaScript."""
    agreement = _agreement(request, pk, "oversight.change_agreement")
    item = get_object_or_404(agreement.items.all(), pk=item_pk)
    if request.method == "GET":
        return render(
            request, "oversight/agreement_item_delete.html", {"agreement": agreement, "item": item}
        )
    services.agreement_item_delete(item=item)
    messages.success(request, _("The item has been removed. Both sides need to agree again."))
    return redirect("oversight:agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_agree(request, pk):
    agreement = _agreement(request, pk)
    side = request.POST.get("side")
    if side not in services.SIDES:
        raise PermissionDenied
    require(request.user, f"oversight.agree_for_{side}", agreement)
    try:
        services.agreement_agree(agreement=agreement, side=side, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your agreement has been recorded."))
    return redirect("oversight:agreement_detail", pk=agreement.pk)


def _agreements_csv(request):
    school_year = selectors.resolve_school_year(pk=request.GET.get("year"))
    if school_year is None:
        raise Http404
    agreements = selectors.agreements_for(request.user, school_year)
    if not agreements:
        raise Http404
    return csv_response(*exports.agreements(school_year, agreements))


@login_required
def agreement_export(request, pk):
    return csv_response(*exports.agreement(_agreement(request, pk)))
