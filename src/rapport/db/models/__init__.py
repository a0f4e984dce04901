"""All tables of rapport, importable from one place."""

from rapport.db.models.base import Base
from rapport.db.models.contacts import (
    Contact,
    ContactAltAddrDateRange,
    ContactAltAddress,
    ContactBusinessRelation,
    ContactIndustryGroup,
    ContactJobResponsibility,
    ContactMailingGroup,
    ContactProfileAnswer,
)
from rapport.db.models.interactions import (
    Attachment,
    InteractionGroup,
    InteractionTemplate,
    InteractionTemplateSetup,
    InteractionTmplLanguage,
    WordTemplate,
)
from rapport.db.models.logging import (
    CampaignEntry,
    InteractionLogEntry,
    InterLogEntryCommentLine,
    LoggedSegment,
)
from rapport.db.models.segments import (
    LineData,
    SavedSegmentCriteria,
    SavedSegmentCriteriaLine,
    SegmentCriteriaLine,
    SegmentHeader,
    SegmentHistory,
    SegmentInteractionLanguage,
    SegmentLanguageHistory,
    SegmentLine,
)
from rapport.db.models.setup import (
    AppUser,
    BusinessRelation,
    Campaign,
    CampaignStatus,
    CountryRegion,
    IndustryGroup,
    JobResponsibility,
    Language,
    MailingGroup,
    MarketingSetup,
    NumberSeries,
    ProfileQuestionnaire,
    ProfileQuestionnaireLine,
    Salesperson,
    Salutation,
    Territory,
)

__all__ = [
    "AppUser", "Attachment", "Base", "BusinessRelation", "Campaign", "CampaignEntry",
    "CampaignStatus", "Contact", "ContactAltAddrDateRange", "ContactAltAddress",
    "ContactBusinessRelation", "ContactIndustryGroup", "ContactJobResponsibility",
    "ContactMailingGroup", "ContactProfileAnswer", "CountryRegion", "IndustryGroup",
    "InteractionGroup", "InteractionLogEntry", "InteractionTemplate", "InteractionTemplateSetup",
    "InteractionTmplLanguage", "InterLogEntryCommentLine", "JobResponsibility", "Language",
    "LineData", "LoggedSegment", "MailingGroup", "MarketingSetup", "NumberSeries",
    "ProfileQuestionnaire", "ProfileQuestionnaireLine", "Salesperson", "Salutation",
    "SavedSegmentCriteria", "SavedSegmentCriteriaLine", "SegmentCriteriaLine", "SegmentHeader",
    "SegmentHistory", "SegmentInteractionLanguage", "SegmentLanguageHistory", "SegmentLine",
    "Territory", "WordTemplate",
]
