# ruff: noqa: RUF001  (Welsh is written with its own apostrophe)
"""Issue 23, done when: a browser test walks the journey in Welsh with no English left on the page.

Real headless Chromium walks the starter diagnosis in Welsh (translated with wagtail-localize) to a
dripping tap, reports it and follows it on the status page. On every page: html lang="cy", axe-core,
and the English-left check (tests/welsh/english_left.py) against the same page in English.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from cms.models import OutcomePage
from repairs.models import Report, Trade
from scheduling.models import SchedulerKind
from tests.properties.factories import BlockFactory, EstateFactory, PropertyFactory
from tests.scheduling.factories import ConnectionFactory, RoutingRuleFactory, builtin_team
from tests.welsh.english_left import PAGE_TEXTS_JS, english_left

# Loading the whole starter tree and translating it through wagtail-localize takes a while on a busy
# machine; the journey itself is quick.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(1200)]

POSTCODE = "AA1 1AB"
NAME, EMAIL, PHONE = "Siân Jones", "sian@example.invalid", "07400 123456"
DESCRIPTION, ACCESS = "Mae tap y gegin yn diferu drwy’r nos", "Blwch allweddi wrth y drws"
SAME_IN_WELSH = {"Problem"}  # GOV.UK Welsh uses the same word


@pytest.fixture
def welsh_world(db):
    from cms.starter_content import load_starter_content
    from cms.tree_check import check_diagnosis_tree
    from cms.welsh_content import load_welsh_content

    load_starter_content()
    assert load_welsh_content()
    assert check_diagnosis_tree().ok  # each language's tree walked in its own language
    assert load_welsh_content() == []  # a second run leaves translated pages alone
    estate = EstateFactory(name="Ystâd Glan-yr-afon")
    block = BlockFactory(estate=estate, name="Tŷ Glas", postcode=POSTCODE)
    homes = [
        PropertyFactory(address_line_1=f"Fflat {n}, Tŷ Glas", town="Aberdyfi", postcode=POSTCODE, block=block)
        for n in (1, 2)
    ]
    team = builtin_team(trade_code="PL", operatives=2)
    connection = ConnectionFactory(kind=SchedulerKind.BUILTIN)
    RoutingRuleFactory(trade=Trade.objects.get(code="PL"), connection=connection, team=team)
    return homes


class WelshPages:
    """Checks each Welsh page as it is reached: lang, axe-core, and no English against its English twin."""

    def __init__(self, page, english_page, axe_check, data: set[str]) -> None:
        self.page, self.english_page, self.axe_check, self.data = page, english_page, axe_check, data
        self.checked: list[str] = []
        self.findings: list[str] = []  # all pages' findings, reported together at the end

    def check(self, name: str, *, compare: bool = True) -> None:
        page = self.page
        assert page.evaluate("document.documentElement.lang") == "cy", name
        self.axe_check(page)
        english: list[str] = []
        if compare:
            link = page.locator("a[hreflang='en-GB']")
            assert link.count() == 1, f"{name}: no English link"
            assert link.inner_text() == "English"
            self.english_page.goto(urljoin(page.url, link.get_attribute("href")))
            assert self.english_page.evaluate("document.documentElement.lang") == "en-GB"
            english = self.english_page.evaluate(PAGE_TEXTS_JS)
        self.findings += [
            f"{name}: {f}" for f in english_left(english, page.evaluate(PAGE_TEXTS_JS), data=self.data)
        ]
        self.checked.append(name)

    def go(self, button: str = "Parhau") -> None:
        self.page.get_by_role("button", name=button).click()
        self.page.wait_for_load_state()


def test_the_journey_in_welsh_leaves_no_english_on_any_page(
    browser, live_server, welsh_world, axe_check, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    homes = welsh_world
    resident = browser.new_context(locale="cy-GB", viewport={"width": 320, "height": 640})
    # Diagnosis pages in English are read without the resident's session (reading an outcome records it);
    # the journey's own pages need the session, so their English twins open beside them.
    anonymous = browser.new_context(locale="en-GB")
    page = resident.new_page()
    # What the resident typed, and what the journey stored in Welsh and the English pages show as stored
    # (the diagnosed problem, the visit time), reads the same on both.
    welsh_summary = OutcomePage.objects.get(
        locale__language_code="cy", slug="report-a-dripping-tap-or-small-leak"
    )
    data = {h.one_line_address for h in homes} | {POSTCODE, NAME, EMAIL, PHONE, DESCRIPTION, ACCESS}
    data |= SAME_IN_WELSH | {welsh_summary.summary}
    cms = WelshPages(page, anonymous.new_page(), axe_check, data)
    journey = WelshPages(page, resident.new_page(), axe_check, data)

    page.goto(live_server.url + "/cy/")
    cms.check("home")
    page.get_by_role("button", name="Rhoi gwybod am waith atgyweirio").click()
    cms.check("start")
    page.get_by_role("button", name="Dechrau nawr").click()
    cms.check("first question")
    cms.go()  # nothing chosen: the error state
    assert page.locator(".govuk-error-summary").is_visible()
    cms.check("first question, error", compare=False)
    page.get_by_label("Yn fy nghartref").check()
    cms.go()
    cms.check("in the home")
    page.get_by_label("Dŵr yn gollwng, tapiau, toiledau a phlymio").check()
    cms.go()
    cms.check("leaks")
    page.get_by_label("Tap yn diferu neu ollyngiad bach y gallaf ei ddal mewn powlen").check()
    cms.go()
    cms.check("outcome")
    page.get_by_role("button", name="Rhoi gwybod am y gwaith atgyweirio hwn").click()
    page.wait_for_load_state()

    journey.check("postcode")
    journey.go()
    journey.check("postcode, error", compare=False)
    page.get_by_label("Beth yw eich cod post?").fill("aa1 1ab")
    journey.go()
    journey.check("address")
    page.get_by_label(homes[0].one_line_address).check()
    journey.go()
    journey.check("description")
    page.get_by_label("Disgrifiwch y broblem").fill(DESCRIPTION)
    journey.go()
    journey.check("photos")
    journey.go()
    journey.check("access")
    page.locator("#access_notes").fill(ACCESS)
    journey.go()
    journey.check("contact")
    page.get_by_label("Enw llawn").fill(NAME)
    page.get_by_label("Rhif ffôn (dewisol)").fill(PHONE)
    journey.go()
    journey.check("updates")
    page.get_by_label("E-bost", exact=True).check()
    journey.go()
    journey.check("updates, error", compare=False)
    page.get_by_label("Cyfeiriad e-bost (os gwnaethoch ddewis e-bost)").fill(EMAIL)
    journey.go()
    journey.check("appointment")
    slot = page.locator("input[name=slot]").first
    journey.data.add(page.locator(f"label[for='{slot.get_attribute('id')}']").inner_text().strip())
    slot.check()
    journey.go()
    journey.check("check answers")
    journey.go("Rhoi gwybod am y gwaith atgyweirio")
    report = Report.objects.get()
    journey.data.add(report.reference)
    journey.data.update(report.job.events.exclude(public_note="").values_list("public_note", flat=True))
    journey.check("confirmation")
    assert report.reference in page.content()
    page.get_by_role("link", name="Gwirio sut mae eich gwaith atgyweirio yn dod yn ei flaen").click()
    page.wait_for_load_state()
    journey.check("status")
    assert "Wedi’i drefnu" in page.content() and NAME not in page.content()
    assert not cms.findings + journey.findings, "\n".join(cms.findings + journey.findings)
    assert len(cms.checked) + len(journey.checked) == 20
    resident.close()
    anonymous.close()
