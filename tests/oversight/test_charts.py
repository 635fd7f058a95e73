"""The SVG bar charts written in one pass (``oversight.charts.Chart.bars_svg`` and
``rows_html``) draw what the template loops they replace drew: the same elements,
every label escaped and cut, a sliver for zero, the numbers as the language writes
them."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from oversight.charts import horizontal_bars, weekly_columns

#: The loop the network page and a question's figure had, kept as the reference.
BARS_LOOP = Template(
    "{% for bar in chart.bars %}"
    '<text x="{{ bar.x|add:-8 }}" y="{{ bar.text_y|stringformat:\'s\' }}" text-anchor="end">'
    "{{ bar.label|truncatechars:32 }}</text>"
    '<rect class="bar{% if not bar.value %} bar-zero{% endif %}" '
    "x=\"{{ bar.x|stringformat:'s' }}\" "
    "y=\"{{ bar.y|stringformat:'s' }}\" width=\"{% if bar.value %}{{ bar.width|stringformat:'s' }}"
    '{% else %}2{% endif %}" height="{{ bar.height|stringformat:\'s\' }}"></rect>'
    "<text x=\"{{ bar.text_x|stringformat:'s' }}\" y=\"{{ bar.text_y|stringformat:'s' }}\">"
    "{{ bar.value }}</text>"
    "{% endfor %}"
)
ROWS_LOOP = Template(
    '{% for bar in chart.bars %}<tr><th scope="row" class="fw-normal">{{ bar.label }}</th>'
    '<td class="text-end">{{ bar.value }}</td></tr>{% endfor %}'
)

ITEMS = [
    ('<b>Vraag</b> & "fase"', 7),
    ("Een fase met een naam die veel langer is dan tweeëndertig tekens", 12),
    ("Nog niet begonnen", 0),
    ("Delen", 1),
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_bars_are_drawn_as_the_template_loop_drew_them(language):
    chart = horizontal_bars(ITEMS)
    with translation.override(language):
        drawn = str(chart.bars_svg())
        reference = BARS_LOOP.render(Context({"chart": chart}))
    assert drawn == reference
    assert "&lt;b&gt;Vraag&lt;/b&gt; &amp; &quot;fase&quot;" in drawn  # escaped
    assert "<b>" not in drawn
    assert ">Een fase met een naam die veel …<" in drawn  # cut to 32 with the ellipsis
    assert re.search(r'<rect class="bar bar-zero" [^>]*width="2"', drawn)  # a sliver for zero
    assert drawn.count("<rect ") == len(ITEMS)


def test_a_longer_label_is_cut_where_asked():
    chart = horizontal_bars(ITEMS)
    drawn = chart.bars_svg(truncate=40)
    assert ">Een fase met een naam die veel langer i…<" in drawn  # 40 with the ellipsis


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_table_rows_hold_the_same_numbers_escaped(language):
    weeks = [(datetime.date(2025, 9, 1) + datetime.timedelta(weeks=n), n % 3) for n in range(10)]
    chart = weekly_columns(weeks)
    with translation.override(language):
        rows = str(chart.rows_html())
        assert rows == ROWS_LOOP.render(Context({"chart": chart}))
        assert rows.count("<tr>") == 10
    labels = horizontal_bars([("<script>x</script>", 3)]).rows_html()
    assert "&lt;script&gt;" in labels and "<script>" not in labels


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [("nl", 7, "7"), ("en", 999, "999"), ("nl", 2.5, "2,5"), ("en", 2.5, "2.5")],
)
def test_a_charts_numbers_are_written_as_the_language_writes_them(language, value, shown):
    """The table beside a chart and the value after each bar: counts as they are, a
    mean with the language's decimal separator."""
    with translation.override(language):
        chart = horizontal_bars([("Dilemma", value)], max_value=10)
        assert f'<td class="text-end">{shown}</td>' in chart.rows_html()
        assert f">{shown}</text>" in chart.bars_svg()
