"""Section functions the tests register in ``REVIEW_SECTIONS``, as an app would."""

from partnership.yearly_review import Figure, Section, Table


def section(*, partnership, school_year):
    return Section(
        key="test-efficacy",
        title="Teameffectiviteit (test)",
        figures=[
            Figure("Respondenten", 42),
            Figure("Kleine groep", None, "minder dan 5 antwoorden"),
        ],
        tables=[
            Table(
                caption="Gemiddelde per subschaal",
                header=["Subschaal", "Gemiddelde", "Antwoorden"],
                rows=[["Samen lesgeven", 4.5, 30], ["Leerlingen bereiken", None, 3]],
                chart_column=1,
            )
        ],
        source="Vragenlijst van de test.",
    )


def nothing(*, partnership, school_year):
    return None
