"""The property register in the Wagtail admin: one menu group, a viewset per model, and the importer.

Manager-owned data, so ModelViewSets (not snippets): search by postcode however it is typed, UPRN,
property reference or address; filters; and export with the UPRN as text.
"""

from __future__ import annotations

from django import forms
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import admin_views
from .models import Alert, AsbestosRecord, Block, CommunalArea, Estate, Property, Tenancy
from .selectors import search_blocks, search_homes

# --- Choosing a home: a searchable modal, not a select of every home in the borough ----------------


class HomeSearchForm(BaseFilterForm):
    q = forms.CharField(
        label="Postcode, UPRN, reference or address",
        widget=forms.TextInput(attrs={"placeholder": "Search"}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
            objects = search_homes(objects, query)
        return objects


class HomeChooserMixin:
    filter_form_class = HomeSearchForm

    def get_object_list(self):
        return Property.objects.order_by("postcode_key", "sort_key", "pk")


class HomeChooseView(HomeChooserMixin, ChooseView):
    pass


class HomeChooseResultsView(HomeChooserMixin, ChooseResultsView):
    pass


class HomeChooserViewSet(ChooserViewSet):
    model = Property
    icon = "home"
    choose_one_text = "Choose a home"
    choose_another_text = "Choose another home"
    choose_view_class = HomeChooseView
    choose_results_view_class = HomeChooseResultsView


home_chooser_viewset = HomeChooserViewSet("home_chooser")
HomeChooserWidget = home_chooser_viewset.widget_class


# --- Listings ----------------------------------------------------------------------------------------


class RegisterIndexView(IndexView):
    """A listing that loads its related rows in the same query and may bring its own search."""

    related: tuple[str, ...] = ()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return queryset.select_related(*self.related) if self.related else queryset


class HomeIndexView(RegisterIndexView):
    related = ("block",)

    def search_queryset(self, queryset):
        return search_homes(queryset, self.search_query) if self.is_searching else queryset


class BlockIndexView(RegisterIndexView):
    related = ("estate",)

    def search_queryset(self, queryset):
        return search_blocks(queryset, self.search_query) if self.is_searching else queryset


class CommunalAreaIndexView(RegisterIndexView):
    related = ("block", "estate")


class TenancyIndexView(RegisterIndexView):
    related = ("property",)

    def search_queryset(self, queryset):
        return super().search_queryset(queryset).distinct()


class AlertIndexView(RegisterIndexView):
    related = ("property",)


class AsbestosRecordIndexView(RegisterIndexView):
    related = ("property", "communal_area__block", "communal_area__estate")


class PropertyViewSet(ModelViewSet):
    model = Property
    icon = "home"
    menu_label = "Homes"
    index_view_class = HomeIndexView
    search_fields = ["postcode_key", "property_ref", "sort_key"]  # turns search on; HomeIndexView does it
    search_backend_name = None
    list_display = [
        "address_line_1",
        "address_line_2",
        "postcode",
        "property_ref",
        Column("uprn_text", label="UPRN"),
        "tenure",
        BooleanColumn("council_repairs", label="Council repairs"),
        BooleanColumn("is_active", label="Active"),
    ]
    list_filter = ["tenure", "council_repairs", "block__estate", "block", "is_active"]
    list_export = [
        "property_ref",
        "uprn_text",
        "address_line_1",
        "address_line_2",
        "address_line_3",
        "town",
        "postcode",
        "tenure",
        "council_repairs",
        "block_ref",
        "is_active",
    ]
    export_headings = {"uprn_text": "uprn"}
    export_filename = "homes"
    inspect_view_enabled = True
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("address_line_1"),
                FieldPanel("address_line_2"),
                FieldPanel("address_line_3"),
                FieldRowPanel([FieldPanel("town"), FieldPanel("postcode")]),
            ],
            heading="Address",
        ),
        FieldRowPanel([FieldPanel("property_ref"), FieldPanel("uprn")], heading="References"),
        FieldPanel("block"),
        FieldRowPanel([FieldPanel("tenure"), FieldPanel("council_repairs"), FieldPanel("is_active")]),
    ]


class BlockViewSet(ModelViewSet):
    model = Block
    icon = "group"
    index_view_class = BlockIndexView
    search_fields = ["name", "code", "postcode_key"]
    search_backend_name = None
    list_display = ["name", "code", "estate", "postcode"]
    list_filter = ["estate"]
    list_export = ["code", "name", "estate_ref", "address_line_1", "town", "postcode"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldPanel("estate"),
        MultiFieldPanel(
            [
                FieldPanel("address_line_1"),
                FieldPanel("address_line_2"),
                FieldPanel("address_line_3"),
                FieldRowPanel([FieldPanel("town"), FieldPanel("postcode")]),
            ],
            heading="Address",
        ),
    ]


class EstateViewSet(ModelViewSet):
    model = Estate
    icon = "globe"
    search_fields = ["name", "code"]
    search_backend_name = None
    list_display = ["name", "code"]
    list_export = ["code", "name"]
    form_fields = ["name", "code"]


class CommunalAreaViewSet(ModelViewSet):
    model = CommunalArea
    index_view_class = CommunalAreaIndexView
    icon = "table"
    search_fields = ["name", "block__name", "estate__name"]
    search_backend_name = None
    list_display = ["name", "kind", "block", "estate", BooleanColumn("is_active", label="Active")]
    list_filter = ["kind", "estate", "block", "is_active"]
    list_export = ["name", "kind", "block_ref", "estate_ref", "is_active"]
    form_fields = ["name", "kind", "block", "estate", "is_active"]


class TenancyViewSet(ModelViewSet):
    model = Tenancy
    index_view_class = TenancyIndexView
    icon = "user"
    search_fields = ["tenancy_ref", "property__property_ref", "property__postcode_key", "contacts__name"]
    search_backend_name = None
    list_display = ["tenancy_ref", "property", "start_date", "end_date"]
    list_export = ["tenancy_ref", "property.property_ref", "start_date", "end_date"]
    export_headings = {"property.property_ref": "property_ref"}
    panels = [
        FieldPanel("property", widget=HomeChooserWidget),
        FieldRowPanel([FieldPanel("tenancy_ref"), FieldPanel("start_date"), FieldPanel("end_date")]),
        InlinePanel(
            "contacts",
            heading="Contacts",
            label="Contact",
            panels=[
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("is_lead"),
            ],
        ),
    ]


class AlertViewSet(ModelViewSet):
    model = Alert
    index_view_class = AlertIndexView
    icon = "warning"
    search_fields = ["property__property_ref", "property__postcode_key", "description"]
    search_backend_name = None
    list_display = ["property", "kind", "start_date", "end_date"]
    list_filter = ["kind"]
    list_export = ["property.property_ref", "kind", "description", "start_date", "end_date"]
    export_headings = {"property.property_ref": "property_ref"}
    panels = [
        FieldPanel("property", widget=HomeChooserWidget),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]


class AsbestosRecordViewSet(ModelViewSet):
    model = AsbestosRecord
    index_view_class = AsbestosRecordIndexView
    icon = "warning"
    search_fields = ["location", "material", "property__property_ref", "communal_area__name"]
    search_backend_name = None
    list_display = ["location", "risk", "property", "communal_area", "surveyed_on"]
    list_filter = ["risk"]
    list_export = ["property", "communal_area", "location", "material", "risk", "surveyed_on"]
    panels = [
        FieldPanel("property", widget=HomeChooserWidget),
        FieldPanel("communal_area"),
        FieldRowPanel([FieldPanel("location"), FieldPanel("material")]),
        FieldRowPanel([FieldPanel("risk"), FieldPanel("surveyed_on")]),
        FieldPanel("notes"),
    ]


# --- The menu group ----------------------------------------------------------------------------------


class ImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return admin_views.may_import(request.user)


class PropertyRegisterGroup(ModelViewSetGroup):
    menu_label = "Property register"
    menu_icon = "home"
    menu_order = 250
    items = (
        PropertyViewSet("homes", url_prefix="property-register/homes"),
        BlockViewSet("blocks", url_prefix="property-register/blocks"),
        EstateViewSet("estates", url_prefix="property-register/estates"),
        CommunalAreaViewSet("communal_areas", url_prefix="property-register/communal-areas"),
        TenancyViewSet("tenancies", url_prefix="property-register/tenancies"),
        AlertViewSet("property_alerts", url_prefix="property-register/property-alerts"),
        AsbestosRecordViewSet("asbestos_records", url_prefix="property-register/asbestos-records"),
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            ImportMenuItem(
                "Import properties",
                reverse("properties_import:upload"),
                name="import-properties",
                icon_name="upload",
                order=len(items) + 1,
            )
        )
        return items


@hooks.register("register_admin_viewset")
def register_property_register():
    return [PropertyRegisterGroup(), home_chooser_viewset]


import_urls = [
    path("", admin_views.PropertyImportView.as_view(), name="upload"),
    path("<int:pk>/", admin_views.ImportRunView.as_view(), name="run"),
    path("<int:pk>/confirm/", admin_views.ConfirmImportRunView.as_view(), name="confirm"),
]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("property-import/", include((import_urls, "properties_import")))]
