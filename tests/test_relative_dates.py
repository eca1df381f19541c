"""Relative dates against the dateline, in whole short articles (issue 15): the day before
publication a weekday names, offsets from another event ("a day after ..."), the day of the story
told just before, planned events, and the expressions that date nothing.

Every text is our own; each is coded with the session pipeline (conftest.py).
"""

from __future__ import annotations

from conftest import code_text


def dates(pipeline, body: str, published: str):
    """(code, date, precision) of each event, in order."""
    return [
        (e.code, e.date.value if e.date else None, e.date.precision if e.date else None)
        for e in code_text(pipeline, body, published).events
    ]


def date_of(pipeline, body: str, published: str, root: str) -> tuple[str, str]:
    found = [e for e in code_text(pipeline, body, published).events if e.code.startswith(root)]
    assert found, dates(pipeline, body, published)
    return found[0].date.value, found[0].date.precision


def test_a_weekday_is_the_one_before_the_article_and_the_articles_own_day(pipeline) -> None:
    body = "Kenya expelled two Ugandan diplomats on Sunday."
    assert date_of(pipeline, body, "2024-03-13", "16") == ("2024-03-10", "day")  # a Wednesday
    assert date_of(pipeline, body, "2024-03-10", "16") == ("2024-03-10", "day")  # that Sunday


def test_earlier_this_month_and_next_tuesday(pipeline) -> None:
    past = "Ghana imposed sanctions on Togo earlier this month."
    assert date_of(pipeline, past, "2024-03-13", "16") == ("2024-03", "month")
    future = "Kenya will host talks with Uganda next Tuesday."
    assert date_of(pipeline, future, "2024-03-13", "04") == ("2024-03-19", "day")


def test_a_day_after_dates_the_clause_from_the_act_it_follows(pipeline) -> None:
    body = (
        "Ghana recalled its ambassador to Togo on Friday, a day after Togolese police arrested "
        "two Ghanaian traders."
    )
    assert date_of(pipeline, body, "2024-03-16", "17") == ("2024-03-14", "day")


def test_days_after_counts_back_from_the_governing_act(pipeline) -> None:
    body = (
        "China began military drills around Taiwan on Thursday. The drills began three days "
        "after Taiwanese coast guards detained two Chinese fishermen."
    )
    assert date_of(pipeline, body, "2025-08-21", "17") == ("2025-08-18", "day")


def test_the_dateline_date_dates_no_event(pipeline) -> None:
    body = "LIMA, Peru, March 13 (Test Wire) - Peruvian police on Tuesday arrested ten Bolivians."
    assert date_of(pipeline, body, "2024-03-13", "17") == ("2024-03-12", "day")


def test_a_day_named_at_night_is_that_day(pipeline) -> None:
    body = "Indian and Pakistani troops exchanged fire on Monday night."
    assert date_of(pipeline, body, "2025-02-12", "19") == ("2025-02-10", "day")


def test_a_duration_gives_way_to_the_days_expression(pipeline) -> None:
    body = "Kenyan and Ugandan forces began a five-day joint military exercise on Monday."
    assert date_of(pipeline, body, "2024-03-13", "06") == ("2024-03-11", "day")


def test_the_first_meeting_since_a_year_is_not_of_that_year(pipeline) -> None:
    body = "Peru and Chile agreed to hold talks in Lima, the first such meeting since 2019."
    value, _ = date_of(pipeline, body, "2024-03-13", "03")
    assert not value.startswith("2019")


def test_due_to_points_forward(pipeline) -> None:
    body = "Iranian officials are due to hold talks with German diplomats on Monday."
    assert date_of(pipeline, body, "2025-03-05", "04") == ("2025-03-10", "day")


def test_a_reported_present_takes_the_reports_day(pipeline) -> None:
    body = "China's commerce ministry said on Wednesday it firmly opposes the new US controls."
    assert date_of(pipeline, body, "2025-06-12", "11") == ("2025-06-11", "day")


def test_a_later_past_act_takes_the_day_of_the_story_told_before(pipeline) -> None:
    body = (
        "Peru's foreign minister met his Chilean counterpart in Lima on Thursday. "
        "The minister also demanded the release of three Peruvian fishermen."
    )
    assert date_of(pipeline, body, "2024-03-15", "10") == ("2024-03-14", "day")


def test_a_later_present_statement_keeps_the_article_day(pipeline) -> None:
    body = (
        "Peru's foreign minister met his Chilean counterpart in Lima on Thursday. "
        "Chile says it wants closer ties with Peru."
    )
    found = [e for e in code_text(pipeline, body, "2024-03-15").events if e.code.startswith("0")]
    assert found and all(e.date.value == "2024-03-15" for e in found if "says" in e.trigger.text)
