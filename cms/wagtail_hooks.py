"""Admin additions for content editors: the diagnosis tree check as a page in the Wagtail admin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.tree_check import check_diagnosis_tree


def tree_check_view(request: HttpRequest) -> HttpResponse:
    report = check_diagnosis_tree()
    return TemplateResponse(
        request, "cms/admin/tree_check.html", {"report": report, "page_title": "Diagnosis tree check"}
    )


@hooks.register("register_admin_urls")
def register_tree_check_url():
    return [path("diagnosis-tree-check/", tree_check_view, name="cms_tree_check")]


@hooks.register("register_reports_menu_item")
def register_tree_check_menu_item():
    return MenuItem("Diagnosis tree check", reverse("cms_tree_check"), icon_name="tick-inverse", order=900)
