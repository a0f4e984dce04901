"""Segment criteria: the filter catalogue, Add/Reduce/Refine, preview, Go Back, saved criteria.

Filters enter as ``FilterText`` values (section, field, expression as given; ``filter_texts``
splits the ``SECTION.FIELD=EXPRESSION`` option syntax) and are resolved and parsed once, by
``parse_filters``, which refuses every bad filter in one error.
"""

from rapport.domain.criteria import ActionOptions, FilterText, SectionFilter, filter_texts
from rapport.services.criteria._catalogue import (
    resolve_field,
    resolve_section,
    section_fields,
)
from rapport.services.criteria._parse import (
    Criteria,
    parse_filters,
)
from rapport.services.criteria._predicates import (
    contact_predicate,
)
from rapport.services.criteria._saved import (
    delete_saved_criteria,
    list_saved_criteria,
    reuse_criteria,
    save_criteria,
    show_saved_criteria,
)
from rapport.services.criteria._selection import (
    add_contacts,
    preview,
    reduce_contacts,
    refine_contacts,
    reuse_logged_segment,
)
from rapport.services.criteria._sql import (
    compile_filter,
    compile_filters,
)
from rapport.services.criteria._undo import (
    go_back,
    reset_criteria,
)
from rapport.services.segments import CriteriaStep, segment_criteria

__all__ = [
    "ActionOptions",
    "add_contacts",
    "compile_filter",
    "compile_filters",
    "contact_predicate",
    "Criteria",
    "CriteriaStep",
    "delete_saved_criteria",
    "filter_texts",
    "FilterText",
    "go_back",
    "list_saved_criteria",
    "parse_filters",
    "preview",
    "reduce_contacts",
    "refine_contacts",
    "reset_criteria",
    "resolve_field",
    "resolve_section",
    "reuse_criteria",
    "reuse_logged_segment",
    "save_criteria",
    "section_fields",
    "SectionFilter",
    "segment_criteria",
    "show_saved_criteria",
]
