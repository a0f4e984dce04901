"""Overviews that span business areas: the home page, a logged segment with its entries."""

from rapport.services.overview._home import Home, home
from rapport.services.overview._logged import LoggedSegmentView, logged_segment

__all__ = [
    "Home",
    "home",
    "logged_segment",
    "LoggedSegmentView",
]
