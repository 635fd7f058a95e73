from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("network/", views.network, name="network"),
    path("export/<slug:table>.csv", views.export, name="export"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/goals/", views.agreement_goals, name="agreement_goals"),
    path("agreements/<int:pk>/items/", views.agreement_item_add, name="agreement_item_add"),
    path(
        "agreements/<int:pk>/items/<int:item_pk>/delete/",
        views.agreement_item_delete,
        name="agreement_item_delete",
    ),
    path("agreements/<int:pk>/agree/", views.agreement_agree, name="agreement_agree"),
    path("agreements/<int:pk>/export.csv", views.agreement_export, name="agreement_export"),
]
