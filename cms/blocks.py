"""StreamField blocks for self-help guides and emergency advice, each rendered as a GOV.UK component."""

from __future__ import annotations

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PROSE_FEATURES = ["bold", "link", "ul", "ol"]


class StepsBlock(blocks.StructBlock):
    """Numbered steps: how most self-help is best followed, one action at a time."""

    heading = blocks.CharBlock(required=False, help_text="For example: How to bleed a radiator")
    steps = blocks.ListBlock(blocks.RichTextBlock(features=PROSE_FEATURES), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "cms/blocks/steps.html"


class WarningTextBlock(blocks.StructBlock):
    text = blocks.CharBlock(help_text="A short, important warning, such as when to stop and call us.")

    class Meta:
        icon = "warning"
        template = "cms/blocks/warning_text.html"


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=PROSE_FEATURES)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/inset_text.html"


class DetailsBlock(blocks.StructBlock):
    """Help that only some residents need, hidden behind a summary they can open."""

    summary = blocks.CharBlock(help_text="For example: If you do not have a radiator key")
    text = blocks.RichTextBlock(features=PROSE_FEATURES)

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/details.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        help_text="Describe what the image shows for people who cannot see it, for example: "
        "'A radiator key fitted to the bleed valve at the top corner of a radiator'."
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class StillNeedRepairBlock(blocks.StructBlock):
    """The way out of a guide that did not fix the problem."""

    heading = blocks.CharBlock(default="If this has not fixed the problem")
    text = blocks.CharBlock(default="You can report a repair to us.", required=False)
    link_text = blocks.CharBlock(default="Report a repair")
    page = blocks.PageChooserBlock(page_type="cms.DiagnosisStartPage")

    class Meta:
        icon = "link"
        template = "cms/blocks/still_need_repair.html"


class GuideStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        template="cms/blocks/heading.html",
        help_text="A section heading",
    )
    paragraph = blocks.RichTextBlock(features=PROSE_FEATURES, template="cms/blocks/paragraph.html")
    steps = StepsBlock()
    warning_text = WarningTextBlock()
    inset_text = InsetTextBlock()
    details = DetailsBlock()
    image = ImageBlock()
    still_need_repair = StillNeedRepairBlock()
