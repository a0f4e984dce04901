"""The reference's enumerations (SPEC §2.19); stored values are the captions, in declared order."""

from __future__ import annotations

from enum import StrEnum


class ContactType(StrEnum):
    COMPANY = "Company"
    PERSON = "Person"


class CorrespondenceType(StrEnum):
    """Fax is left out (A1)."""

    BLANK = ""
    HARD_COPY = "Hard Copy"
    EMAIL = "Email"


class InformationFlow(StrEnum):
    BLANK = ""
    OUTBOUND = "Outbound"
    INBOUND = "Inbound"


class InitiatedBy(StrEnum):
    BLANK = ""
    US = "Us"
    THEM = "Them"


class WizardAction(StrEnum):
    BLANK = ""
    OPEN = "Open"
    IMPORT = "Import"
    MERGE = "Merge"


class Evaluation(StrEnum):
    BLANK = ""
    VERY_POSITIVE = "Very Positive"
    POSITIVE = "Positive"
    NEUTRAL = "Neutral"
    NEGATIVE = "Negative"
    VERY_NEGATIVE = "Very Negative"


class DeliveryStatus(StrEnum):
    BLANK = ""
    IN_PROGRESS = "In Progress"
    ERROR = "Error"


class CriteriaLineType(StrEnum):
    ACTION = "Action"
    FILTER = "Filter"


class CriteriaAction(StrEnum):
    BLANK = ""
    ADD = "Add Contacts"
    REDUCE = "Remove Contacts (Reduce)"
    REFINE = "Remove Contacts (Refine)"


class HistoryAction(StrEnum):
    INSERTION = "Insertion"
    DELETION = "Deletion"


class StorageType(StrEnum):
    EMBEDDED = "Embedded"
    DISK_FILE = "Disk File"


class ProfileContactType(StrEnum):
    BLANK = ""
    COMPANIES = "Companies"
    PEOPLE = "People"


class ProfileLineType(StrEnum):
    QUESTION = "Question"
    ANSWER = "Answer"


class BusinessRelationLink(StrEnum):
    BLANK = ""
    CUSTOMER = "Customer"
    VENDOR = "Vendor"
    BANK_ACCOUNT = "Bank Account"
    EMPLOYEE = "Employee"


class CriteriaSection(StrEnum):
    """Filter sections of Add Contacts / Reduce / Refine in scope (A1), in criteria-log order."""

    CONTACT = "Contact"
    PROFILE = "Profile"
    MAILING_GROUP = "Mailing Group"
    INTERACTION = "Interaction"
    JOB_RESPONSIBILITY = "Job Responsibility"
    INDUSTRY_GROUP = "Industry Group"
    BUSINESS_RELATION = "Business Relation"
