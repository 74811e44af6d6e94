"""申请表: an item's or a bundle's application form (its JSON Schema) as fields, for every place that shows it.

One renderer for the portal's apply page, the window's desk form and the paper sheet (blank, filled
with the schema's examples, or the PDF of the applicant's answers). `kinds` decides what each property
is asked as, `fields` builds the fields and puts the engine's messages on them, `values` converts
between what was posted, the data the case engine validates (`cases.formcheck`), and back.

The places differ only in what they pass — the values, a bundle's member items, how many empty rows
a list of records gets — and in their templates: `channels/_form_field.html` for the pages,
`channels/form_sheet.html` and `channels/portal/application_form_pdf.html` for paper.
"""

from yiwang.channels.application_form.fields import (
    Choice,
    FormField,
    Raw,
    attach_errors,
    build_fields,
    hold_applicant_fields,
    prefilled,
    subset_schema,
    walk,
)
from yiwang.channels.application_form.values import example_data, read_raw, sheet_rows, to_data

__all__ = [
    "Choice",
    "FormField",
    "Raw",
    "attach_errors",
    "build_fields",
    "example_data",
    "hold_applicant_fields",
    "prefilled",
    "read_raw",
    "sheet_rows",
    "subset_schema",
    "to_data",
    "walk",
]
