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


class OutboxStatus(StrEnum):
    """The state of one e-mail message in the delivery outbox (services/delivery)."""

    PENDING = "pending"  # waiting to be claimed (now, or at its next attempt after a 4xx)
    CLAIMED = "claimed"  # taken by a worker, not yet handed to the server
    SENDING = "sending"  # the worker is handing it to the server now
    SENT = "sent"  # the server accepted it
    FAILED = "failed"  # refused for good (5xx, too many 4xx, nothing to send)
    UNKNOWN = "unknown"  # the worker stopped while the server may have accepted it
    BLOCKED = "blocked"  # not sent: the contact unsubscribed or is privacy-blocked
