from django.urls import path

from . import views
from .feeds import PublicVacanciesFeed

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("feed/", PublicVacanciesFeed(), name="feed"),
    path("new/", views.vacancy_create, name="create"),
    path("school/", views.school_vacancies, name="school"),
    path("<int:pk>/", views.vacancy_detail, name="detail"),
    path("<int:pk>/edit/", views.vacancy_edit, name="edit"),
    path("<int:pk>/again/", views.vacancy_copy, name="copy"),
    path("<int:pk>/withdraw/", views.vacancy_withdraw, name="withdraw"),
]
