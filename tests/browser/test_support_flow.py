"""Support in a real browser: an officer records a visit with next steps, a school leader answers a
question, the officer closes it; axe on every support page (as officer and as school leader)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from support.models import NextStep, Question, Visit
from support.tests import matrix as matrix_support
from tests.browser.conftest import axe_sweep, axe_violations, screenshot
from tests.world import CANARY_RATING, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_support_page_passes_axe(page_as, personas):
    world = build_world(personas)
    report = axe_sweep(page_as, matrix_support.ROUTES, world, "support")
    assert not report, report


def test_an_officer_records_a_visit_and_a_leader_answers_a_question(page_as, personas):
    world = build_world(personas)
    officer = page_as("officer")
    officer.goto("/dashboard/support/")
    expect(officer.locator("body")).to_contain_text("School improvement support")
    officer.get_by_role("link", name=re.compile(f"Record the visit to {world.school_b.name}")).first.click()
    # A next step without an owner or date is refused, with the error summary pointing at it.
    officer.get_by_label("Findings").fill("Attendance is the main concern; the new attendance lead has started well.")
    officer.locator("#id_steps-0-action").fill("Meet every family of a persistently absent pupil")
    officer.get_by_role("button", name="Save the note of visit").click()
    summary = officer.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Next step 1: Enter who owns this next step" in summary.inner_text()
    assert not axe_violations(officer)
    screenshot(officer, "support-visit-record-errors")
    officer.locator("#id_steps-0-owner").fill("Attendance lead")
    due = timezone.localdate() + datetime.timedelta(days=21)
    officer.locator("#id_steps-0-due_date").fill(due.isoformat())
    officer.get_by_role("button", name="Save the note of visit").click()
    expect(officer.locator("body")).to_contain_text("The note of visit was saved.")
    expect(officer.locator("body")).to_contain_text("Meet every family of a persistently absent pupil")
    screenshot(officer, "support-visit-note")
    visit = Visit.objects.get(pk=world.visit_b.pk)
    assert visit.status == "done" and NextStep.objects.filter(visit=visit, owner="Attendance lead").exists()

    leader = page_as("school_leader")
    leader.goto("/dashboard/support/")
    assert world.school_b.name not in leader.content()
    leader.get_by_role("link", name=re.compile(f"Reply for {world.school_a.name}")).click()
    assert CANARY_RATING in leader.content()
    leader.get_by_role("button", name="Send the reply").click()
    expect(leader.locator(".govuk-error-summary")).to_contain_text("Enter an explanation, an action, or both")
    leader.get_by_label("Explanation").fill("Eleven of the 28 pupils joined in Year 6 from outside the country.")
    leader.get_by_label("Action the school is taking").fill("Daily reading catch-up for new arrivals from January.")
    leader.get_by_role("button", name="Send the reply").click()
    expect(leader.locator("body")).to_contain_text("Your reply was sent")
    assert not axe_violations(leader)
    screenshot(leader, "support-question-answered-leader")
    assert Question.objects.get(pk=world.question_a.pk).status == "answered"

    officer.goto(f"/dashboard/support/questions/{world.question_a.pk}/")
    expect(officer.locator("body")).to_contain_text("Eleven of the 28 pupils")
    officer.get_by_role("button", name="Close the question").click()
    expect(officer.locator("body")).to_contain_text("Enter the outcome before closing the question")
    officer.get_by_label("Outcome").fill("Explanation accepted; reading catch-up to be checked at the spring visit.")
    officer.get_by_role("button", name="Close the question").click()
    expect(officer.locator("body")).to_contain_text("The question was closed.")
    screenshot(officer, "support-question-closed")
    assert Question.objects.get(pk=world.question_a.pk).status == "closed"
