"""The property register: estates, blocks, homes, communal areas and what staff must know about them.

This is the council's own list of what it repairs, so eligibility is a question for this database, not for
the housing management system. Alerts and asbestos records are internal: nothing here that names a
person or a hazard is ever shown on a public page.
"""

from __future__ import annotations

import builtins

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .addresses import natural_sort_key
from .postcodes import InvalidPostcode, normalise_postcode, postcode_key


class AddressMixin(models.Model):
    """Address lines plus the normalised postcode and the keys that make look-ups one index scan."""

    address_line_1 = models.CharField(max_length=255)
    address_line_2 = models.CharField(max_length=255, blank=True)
    address_line_3 = models.CharField(max_length=255, blank=True)
    town = models.CharField(max_length=120, blank=True)
    postcode = models.CharField(max_length=8, help_text="Stored normalised, like SW1A 1AA.")
    postcode_key = models.CharField(max_length=7, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.refresh_address_keys()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        try:
            self.postcode = normalise_postcode(self.postcode)
        except InvalidPostcode as error:
            raise ValidationError({"postcode": str(error)}) from error

    def refresh_address_keys(self) -> None:
        """Recompute the derived keys; bulk writers call this because bulk_create skips save()."""
        try:
            self.postcode = normalise_postcode(self.postcode)
        except InvalidPostcode:
            self.postcode = (self.postcode or "").strip().upper()
        self.postcode_key = postcode_key(self.postcode)
        self.sort_key = natural_sort_key(self.address_line_1, self.address_line_2, self.address_line_3)

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (
                self.address_line_1,
                self.address_line_2,
                self.address_line_3,
                self.town,
                self.postcode,
            )
            if line
        ]

    @property
    def one_line_address(self) -> str:
        return ", ".join(self.address_lines)


class Estate(models.Model):
    code = models.CharField(max_length=30, unique=True, help_text="The council's own estate reference.")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Block(AddressMixin):
    code = models.CharField(max_length=30, unique=True, help_text="The council's own block reference.")
    name = models.CharField(max_length=150)
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="blocks", null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def estate_ref(self) -> str:
        return self.estate.code if self.estate_id else ""


class Tenure(models.TextChoices):
    SECURE = "secure", "Secure tenancy"
    INTRODUCTORY = "introductory", "Introductory tenancy"
    TEMPORARY = "temporary", "Temporary accommodation"
    LEASEHOLD = "leasehold", "Leasehold"
    SHARED_OWNERSHIP = "shared_ownership", "Shared ownership"
    VOID = "void", "Empty (void)"
    OTHER = "other", "Other"


class PropertyQuerySet(models.QuerySet):
    def reportable(self) -> PropertyQuerySet:
        """Homes a resident may report an in-home repair for: active and repaired by the council."""
        return self.filter(is_active=True, council_repairs=True)

    def at_postcode(self, key: str) -> PropertyQuerySet:
        return self.filter(postcode_key=key)


class Property(AddressMixin):
    """One home (a dwelling). UPRNs are national 12-digit numbers; the property reference is the council's."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    property_ref = models.CharField("property reference", max_length=30, unique=True)
    uprn = models.BigIntegerField("UPRN", null=True, blank=True, unique=True)
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, related_name="properties", null=True, blank=True
    )
    tenure = models.CharField(max_length=20, choices=Tenure.choices, default=Tenure.SECURE)
    council_repairs = models.BooleanField(
        "council repairs it",
        default=True,
        help_text="Off for homes whose repairs are not the council's to do.",
    )
    is_active = models.BooleanField(default=True, help_text="Off when the home has left the register.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PropertyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "properties"
        ordering = ["postcode_key", "sort_key"]
        indexes = [models.Index(fields=["postcode_key", "sort_key"], name="property_postcode_natural")]
        constraints = [
            models.CheckConstraint(
                condition=Q(uprn__isnull=True) | Q(uprn__gte=1, uprn__lte=999_999_999_999),
                name="uprn_12_digits",
            )
        ]

    def __str__(self) -> str:
        return self.one_line_address

    @property
    def uprn_text(self) -> str:
        """UPRNs leave the system as text: spreadsheets mangle 12-digit numbers."""
        return "" if self.uprn is None else str(self.uprn)

    @property
    def block_ref(self) -> str:
        return self.block.code if self.block_id else ""

    @property
    def estate(self) -> Estate | None:
        return self.block.estate if self.block_id and self.block else None


class CommunalAreaKind(models.TextChoices):
    STAIRWELL = "stairwell", "Stairwell"
    LIFT = "lift", "Lift"
    DOOR_ENTRY = "door_entry", "Door entry"
    BIN_STORE = "bin_store", "Bin store"
    CAR_PARK = "car_park", "Car park"
    LIGHTING = "lighting", "Communal lighting"
    HEATING = "heating", "Communal heating"
    CORRIDOR = "corridor", "Corridor or landing"
    ROOF = "roof", "Roof"
    GROUNDS = "grounds", "Grounds and paths"
    OTHER = "other", "Other"


class CommunalArea(models.Model):
    """A shared part of a block or an estate, where many neighbours may report the same fault."""

    name = models.CharField(max_length=150, help_text="As residents would say it, like 'Lift A'.")
    kind = models.CharField(max_length=20, choices=CommunalAreaKind.choices)
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, related_name="communal_areas", null=True, blank=True
    )
    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, related_name="communal_areas", null=True, blank=True
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(block__isnull=False) & Q(estate__isnull=True))
                | (Q(block__isnull=True) & Q(estate__isnull=False)),
                name="communal_area_on_block_or_estate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.block or self.estate}"

    @builtins.property
    def block_ref(self) -> str:
        return self.block.code if self.block_id else ""

    @builtins.property
    def estate_ref(self) -> str:
        return self.estate.code if self.estate_id else ""

    def clean(self) -> None:
        if bool(self.block_id) == bool(self.estate_id):
            raise ValidationError("Choose either a block or an estate for this communal area, not both.")


class Tenancy(ClusterableModel):
    """A tenancy of one home; its contacts are edited with it (a cluster) in the admin."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="tenancies")
    tenancy_ref = models.CharField("tenancy reference", max_length=30, unique=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "tenancies"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.tenancy_ref


class Contact(models.Model):
    tenancy = ParentalKey(Tenancy, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    is_lead = models.BooleanField("lead tenant", default=False)

    class Meta:
        ordering = ["-is_lead", "name"]

    def __str__(self) -> str:
        return self.name


class AlertKind(models.TextChoices):
    CAUTIONARY = "cautionary", "Cautionary contact"
    VISIT_IN_PAIRS = "visit_in_pairs", "Visit in pairs"
    VULNERABILITY = "vulnerability", "Vulnerable resident"
    ACCESS = "access", "Access needs"
    OTHER = "other", "Other"


class AlertQuerySet(models.QuerySet):
    def current(self) -> AlertQuerySet:
        today = timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=today)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )


class Alert(models.Model):
    """Internal only. A home with a cautionary alert is never booked online blind."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    description = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["property", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.property.property_ref}"

    @builtins.property
    def blocks_online_booking(self) -> bool:
        return self.kind in {AlertKind.CAUTIONARY, AlertKind.VISIT_IN_PAIRS}


class AsbestosRisk(models.TextChoices):
    NONE = "none", "None detected"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class AsbestosRecord(models.Model):
    """Where asbestos is known to be, so whoever plans the work knows before they arrive."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    property = models.ForeignKey(
        Property, on_delete=models.CASCADE, related_name="asbestos_records", null=True, blank=True
    )
    communal_area = models.ForeignKey(
        CommunalArea, on_delete=models.CASCADE, related_name="asbestos_records", null=True, blank=True
    )
    location = models.CharField(
        max_length=200, help_text="Where in the home or area, like 'kitchen ceiling'."
    )
    material = models.CharField(max_length=200, blank=True)
    risk = models.CharField(max_length=10, choices=AsbestosRisk.choices)
    surveyed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-surveyed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(property__isnull=False) | Q(communal_area__isnull=False),
                name="asbestos_record_has_a_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} ({self.get_risk_display()})"


class ImportRunStatus(models.TextChoices):
    CHECKED = "checked", "Checked, ready to import"
    INVALID = "invalid", "Has errors"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One upload of the council's property list, from the dry run through to the real import.

    The CSV text is kept in the database rather than in media storage, so a Celery worker on another
    machine can read it and the run can be audited later.
    """

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    file_name = models.CharField(max_length=255)
    content = models.TextField(help_text="The uploaded CSV, as text.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ImportRunStatus.choices, default=ImportRunStatus.CHECKED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{line, message}] from the last check.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @builtins.property
    def is_in_progress(self) -> bool:
        return self.status in {ImportRunStatus.QUEUED, ImportRunStatus.RUNNING}
