"""The team's results: figures only for groups of 5 or more, two rounds side by
side, open answers that can be hidden, exports; a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from questionnaires import services
from questionnaires.models import Answer, Question
from questionnaires.selectors import results

from .conftest import add_responses

pytestmark = pytest.mark.django_db
ROUND_1 = "Ronde 1"


def results_url(questionnaire, query=""):
    url = reverse("questionnaires:results", args=[questionnaire.team_id, questionnaire.pk])
    return f"{url}?{query}" if query else url


def test_no_figure_for_fewer_than_five_answers(opened):
    add_responses(opened, 4, scale=2)
    summaries, figures = results(opened.questionnaire, [opened])
    assert summaries[0].responses == 4 and summaries[0].suppressed
    assert all(item.per_round[0].suppressed for item in figures)
    assert all(
        item.per_round[0].options == [] and item.per_round[0].mean is None for item in figures
    )


def test_five_answers_show_counts_percentages_and_the_mean(opened):
    add_responses(opened, 3, scale=3)
    add_responses(opened, 2, scale=1)
    _summaries, figures = results(opened.questionnaire, [opened])
    scale = figures[0].per_round[0]
    assert not scale.suppressed
    assert [(o.label, o.count, o.percent) for o in scale.options] == [
        ("Niet", 2, 40.0),
        ("Een beetje", 0, 0.0),
        ("Heel graag", 3, 60.0),
    ]
    assert scale.mean == 2.2


def test_a_question_answered_by_fewer_than_five_is_suppressed_in_a_big_group(opened):
    add_responses(opened, 6)
    multiple = opened.questionnaire.questions.get(kind=Question.Kind.MULTIPLE)
    Answer.objects.filter(question=multiple).exclude(
        response__in=list(opened.responses.values_list("pk", flat=True)[:3])
    ).delete()
    _summaries, figures = results(opened.questionnaire, [opened])
    by_kind = {item.question.kind: item.per_round[0] for item in figures}
    assert not by_kind["scale"].suppressed
    assert by_kind["multiple"].suppressed and by_kind["multiple"].answered == 3


def test_the_results_page_shows_no_figure_under_five_and_a_chart_from_five(client, network, opened):
    client.force_login(network.people["school_leader"])
    add_responses(opened, 4)
    page = client.get(results_url(opened.questionnaire)).content.decode()
    assert page.count('data-testid="question-chart"') == 0
    assert page.count('data-testid="suppressed"') == 4
    add_responses(opened, 1)
    page = client.get(results_url(opened.questionnaire)).content.decode()
    assert page.count('data-testid="question-chart"') == 3


def test_two_rounds_side_by_side(client, network, opened):
    add_responses(opened, 5, scale=1)
    services.round_close(round_=opened, today=opened.opened_on)
    second = services.round_open(
        questionnaire=opened.questionnaire,
        closes_on=opened.opened_on + datetime.timedelta(days=5),
        label="na",
        today=opened.opened_on,
    )
    add_responses(second, 7, scale=3)
    _summaries, figures = results(opened.questionnaire, [opened, second])
    assert [fig.mean for fig in figures[0].per_round] == [1.0, 3.0]
    client.force_login(network.people["coach"])
    page = client.get(results_url(opened.questionnaire, "round=1&round=2")).content.decode()
    assert "2 (na)" in page and page.count('data-testid="question-chart"') == 6


def test_an_open_answer_that_identifies_someone_can_be_hidden(client, network, opened):
    add_responses(opened, 5, text="Juf Anja leest saai voor")
    answer = Answer.objects.filter(text__startswith="Juf").first()
    client.force_login(network.people["research_teacher"])
    hide = reverse(
        "questionnaires:answer_hide", args=[network.team.pk, opened.questionnaire.pk, answer.pk]
    )
    assert client.post(hide, {"hidden": "1"}).status_code == 302
    answer.refresh_from_db()
    assert answer.hidden
    client.force_login(network.people["school_leader"])
    page = client.get(results_url(opened.questionnaire)).content.decode()
    assert page.count("Juf Anja leest saai voor") == 4


def test_the_csv_has_aggregates_only_and_leaves_small_groups_empty(client, network, opened):
    add_responses(opened, 6, scale=3, text="geheim")
    client.force_login(network.people["school_leader"])
    url = reverse("questionnaires:results_csv", args=[network.team.pk, opened.questionnaire.pk])
    content = client.get(url).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert "geheim" not in content
    assert [ROUND_1, "Ik lees graag.", "Heel graag", "6", "100.0", ""] in rows
    assert [ROUND_1, "Ik lees graag.", "", "6", "", "3.0"] in rows


def test_the_raw_answers_export_warns_first_and_is_for_builders_only(client, network, opened):
    add_responses(opened, 5, text="Voorlezen")
    url = reverse("questionnaires:answers_export", args=[network.team.pk, opened.questionnaire.pk])
    client.force_login(network.people["school_leader"])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(network.people["research_teacher"])
    warning = client.get(url).content.decode()
    assert "niet meer beschermd" in warning or "no longer protected" in warning
    rows = list(csv.reader(io.StringIO(client.post(url).content.decode("utf-8-sig"))))
    assert len(rows) == 6 and rows[1][-1] == "Voorlezen"


def test_results_of_30_questions_and_2000_answers_take_a_fixed_number_of_queries(
    client, network, questionnaire, django_assert_max_num_queries
):
    for number in range(26):
        services.question_add(
            questionnaire=questionnaire,
            kind=Question.Kind.SCALE,
            text={"nl": f"Stelling {number}"},
            options=[{"nl": "Oneens"}, {"nl": "Neutraal"}, {"nl": "Eens"}],
        )
    from .conftest import confirm

    confirm(questionnaire, network.people["coach"])
    round_ = services.round_open(
        questionnaire=questionnaire,
        closes_on=datetime.date.today() + datetime.timedelta(days=3),
        today=datetime.date.today(),
    )
    add_responses(round_, 2000, text="Meer boeken")
    client.force_login(network.people["coach"])
    with django_assert_max_num_queries(15):
        page = client.get(results_url(questionnaire))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="question-chart"') == 29


def test_the_list_takes_a_fixed_number_of_queries(
    client, network, opened, django_assert_max_num_queries
):
    add_responses(opened, 5)
    for number in range(20):
        services.questionnaire_create(
            team=network.team,
            user=network.people["coach"],
            title=f"Vragenlijst {number}",
            perspective="colleagues",
        )
    client.force_login(network.people["research_teacher"])
    url = reverse("questionnaires:list", args=[network.team.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.content.decode().count("Vragenlijst ") == 20
    assert "5 inzendingen" in page.content.decode()


def test_the_figures_go_into_the_research_diary_as_a_table_without_answers(
    client, network, questionnaire, settings, tmp_path
):
    from research_cycle.models import LogEntry
    from research_cycle.services import cycle_start

    from .conftest import confirm

    settings.MEDIA_ROOT = tmp_path
    cycle_start(team=network.team, user=network.people["coach"])
    confirm(questionnaire, network.people["coach"])
    round_ = services.round_open(
        questionnaire=questionnaire,
        closes_on=datetime.date.today() + datetime.timedelta(days=3),
        today=datetime.date.today(),
    )
    add_responses(round_, 6, text="Juf Anja")
    client.force_login(network.people["student_teacher"])
    url = reverse("questionnaires:results_to_log", args=[network.team.pk, questionnaire.pk])
    assert client.post(url).status_code == 302
    entry = LogEntry.objects.get()
    assert "Lezen in de klas" in entry.summary and entry.perspectives == ["pupils"]
    table = entry.attachments.get().file.read().decode("utf-8-sig")
    assert "Heel graag,6,100.0" in table and "Juf Anja" not in table


def workbook_rows(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def test_the_xlsx_has_the_same_figures_as_numbers_and_no_answer(client, network, opened):
    add_responses(opened, 6, scale=3, text="geheim")
    client.force_login(network.people["school_leader"])
    url = reverse("questionnaires:results_xlsx", args=[network.team.pk, opened.questionnaire.pk])
    response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('-results.xlsx"')
    rows = workbook_rows(response.content)
    assert rows[0] == ("round", "question", "answer", "count", "percent", "mean") or rows[0] == (
        "ronde", "vraag", "antwoord", "aantal", "procent", "gemiddelde")  # fmt: skip
    assert (ROUND_1, "Ik lees graag.", "Heel graag", 6, 100, None) in rows
    assert (ROUND_1, "Ik lees graag.", None, 6, None, 3) in rows
    assert not any("geheim" in str(cell) for row in rows for cell in row)


def test_the_xlsx_shows_no_figure_for_fewer_than_five(client, network, opened):
    add_responses(opened, 4, scale=3)
    client.force_login(network.people["coach"])
    url = reverse("questionnaires:results_xlsx", args=[network.team.pk, opened.questionnaire.pk])
    rows = workbook_rows(client.get(url).content)[1:]
    assert len(rows) == 4  # one line a question, without a number
    assert all(row[3:] == (None, None, None) for row in rows)
    assert {row[2] for row in rows} in ({"fewer than 5 answers"}, {"minder dan 5 antwoorden"})


def test_the_raw_answers_as_xlsx_are_for_builders_after_the_warning(client, network, opened):
    add_responses(opened, 5, text='=HYPERLINK("http://example.com")')
    url = reverse("questionnaires:answers_export", args=[network.team.pk, opened.questionnaire.pk])
    client.force_login(network.people["school_leader"])
    assert client.post(url, {"format": "xlsx"}).status_code == 403
    client.force_login(network.people["research_teacher"])
    assert 'value="xlsx"' in client.get(url).content.decode()
    response = client.post(url, {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('-answers.xlsx"')
    rows = workbook_rows(response.content)
    assert len(rows) == 6
    # Typed as a formula, kept as text: it never runs in the team's spreadsheet.
    assert rows[1][-1] == '=HYPERLINK("http://example.com")'
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(response.content)).active["E2"].data_type == "s"
    assert rows[1][1] == "Heel graag"


def test_the_diary_shows_the_chart_and_the_table_as_they_were_that_day(
    client, network, opened, settings, tmp_path
):
    from research_cycle.services import cycle_start

    settings.MEDIA_ROOT = tmp_path
    cycle_start(team=network.team, user=network.people["coach"])
    add_responses(opened, 5, scale=1, text="Juf Anja")
    client.force_login(network.people["student_teacher"])
    url = reverse("questionnaires:results_to_log", args=[network.team.pk, opened.questionnaire.pk])
    assert client.post(url).status_code == 302
    add_responses(opened, 20, scale=3)  # later answers do not change the diary
    workspace = reverse("research_cycle:team_workspace", args=[network.team.pk])
    page = client.get(workspace).content.decode()
    assert page.count('data-testid="question-chart"') == 3
    assert page.count('data-testid="question-table"') == 3
    assert "Juf Anja" not in page
    assert "Ronde 1" in page or "Round 1" in page
    # The figures of that day: 5 answers, all "Niet" (mean 1), not the 25 there are now.
    assert "<caption>5 antwoorden · gemiddelde 1,0</caption>" in page


def test_a_round_under_five_shows_no_figure_in_the_diary(
    client, network, opened, settings, tmp_path
):
    from research_cycle.services import cycle_start

    settings.MEDIA_ROOT = tmp_path
    cycle_start(team=network.team, user=network.people["coach"])
    add_responses(opened, 4, scale=1)
    client.force_login(network.people["coach"])
    url = reverse("questionnaires:results_to_log", args=[network.team.pk, opened.questionnaire.pk])
    client.post(url)
    workspace = reverse("research_cycle:team_workspace", args=[network.team.pk])
    page = client.get(workspace).content.decode()
    assert 'data-testid="question-chart"' not in page
    assert page.count('data-testid="suppressed"') == 4
