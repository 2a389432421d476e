"""The project starts: settings load, every app is installed and the admin login page renders."""

from django.apps import apps
from django.core.management import call_command


def test_every_app_of_the_layout_is_installed():
    for label in (
        "properties",
        "repairs",
        "workflows",
        "scheduling",
        "notifications",
        "cms",
        "backoffice",
        "reports",
    ):
        assert apps.is_installed(label), label


def test_admin_login_page_renders(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")
