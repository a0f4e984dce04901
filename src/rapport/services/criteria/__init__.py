"""Segment criteria: the filter catalogue, Add/Reduce/Refine, preview, Go Back, saved criteria."""

from rapport.domain.criteria import ActionOptions, SectionFilter
from rapport.services.criteria._catalogue import (
    filters_from_options,
    resolve_field,
    resolve_section,
    section_fields,
)
from rapport.services.criteria._predicates import (
    contact_predicate,
    parse_criteria,
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
    "CriteriaStep",
    "delete_saved_criteria",
    "filters_from_options",
    "go_back",
    "list_saved_criteria",
    "parse_criteria",
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
