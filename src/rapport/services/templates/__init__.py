"""Interaction groups and templates, with their language rows and attachments."""

from rapport.services.documents import AttachmentUpload, drop_attachments, store_attachment
from rapport.services.templates._groups import GroupChanges, GroupInput
from rapport.services.templates._languages import (
    TemplateLanguageChanges,
    TemplateLanguageInput,
    add_template_language,
    delete_template_language,
    export_template_attachment,
    get_row,
    get_template,
    language_key,
    list_template_languages,
    remove_template_attachment,
    save_template_language,
    set_template_attachment,
    update_template_language,
)
from rapport.services.templates._preview import template_preview
from rapport.services.templates._templates import (
    TemplateChanges,
    TemplateInput,
    create_interaction_group,
    create_interaction_template,
    delete_interaction_group,
    delete_interaction_template,
    list_interaction_groups,
    list_interaction_templates,
    update_interaction_group,
    update_interaction_template,
)

__all__ = [
    "add_template_language",
    "AttachmentUpload",
    "create_interaction_group",
    "create_interaction_template",
    "delete_interaction_group",
    "delete_interaction_template",
    "delete_template_language",
    "drop_attachments",
    "export_template_attachment",
    "get_row",
    "get_template",
    "GroupChanges",
    "GroupInput",
    "language_key",
    "list_interaction_groups",
    "list_interaction_templates",
    "list_template_languages",
    "remove_template_attachment",
    "save_template_language",
    "set_template_attachment",
    "store_attachment",
    "template_preview",
    "TemplateChanges",
    "TemplateInput",
    "TemplateLanguageChanges",
    "TemplateLanguageInput",
    "update_interaction_group",
    "update_interaction_template",
    "update_template_language",
]
