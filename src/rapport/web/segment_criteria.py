"""The criteria of a segment in the browser: the Add Contacts / Reduce / Refine dialog with
its filter rows, field picker and options, the live preview count, Go Back, Save Criteria and
Reuse Criteria."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rapport.domain.enums import CriteriaAction, CriteriaSection
from rapport.errors import FilterExpressionError, RapportError
from rapport.services import criteria
from rapport.services.context import Ctx
from rapport.services.criteria import ActionOptions, FilterText
from rapport.web.errors import problems_of
from rapport.web.forms import checked
from rapport.web.i18n import _
from rapport.web.session import SignedIn, flash
from rapport.web.templating import render

router = APIRouter()
ACTIONS = {"add": CriteriaAction.ADD, "reduce": CriteriaAction.REDUCE,
           "refine": CriteriaAction.REFINE}
MIN_ROWS = 3
MAX_ROWS = 50
OPTION_NAMES = ("allow_existing", "expand_companies", "allow_related_companies",
                "ignore_exclusion", "entire_companies")
#: The field picker: every section's filterable fields (the catalogue is code, not data).
PICKER = [(section.value, [(f"{section.value}|{f.key}", f.caption, f.spec.type.value,
                            ", ".join(o or "''" for o in f.spec.options))
                           for f in criteria.section_fields(section)])
          for section in CriteriaSection]
Texts = Annotated[list[str], Form(max_length=MAX_ROWS)]


@dataclass
class Dialog:
    """The dialog's state: the action, its filter rows, options, and what went wrong where."""

    action: str
    rows: list[tuple[str, str]]
    options: dict[str, bool]
    row_errors: dict[int, list[FilterExpressionError | RapportError]] = field(
        default_factory=dict)
    errors: list[RapportError] = field(default_factory=list)

    def texts(self) -> list[FilterText]:
        """The filled rows as filter texts ("Section|field" picked, expression typed)."""
        found = []
        for picked, expression in self.rows:
            if picked and "|" in picked:
                section, name = picked.split("|", 1)
                found.append(FilterText(section, name, expression))
        return found

    def action_options(self) -> ActionOptions:
        o = self.options
        return ActionOptions(allow_existing_contacts=o["allow_existing"],
                             expand_contact=o["expand_companies"],
                             allow_company_with_persons=o["allow_related_companies"],
                             ignore_exclusion=o["ignore_exclusion"],
                             entire_companies=o["entire_companies"])

    def place(self, exc: RapportError) -> None:
        """Put each problem next to the row it is about (by its expression), else on top."""
        for problem in problems_of(exc):
            expression = getattr(problem, "expression", None)
            rows = [i for i, (picked, text) in enumerate(self.rows)
                    if picked and (text == expression or
                                   (expression is None and problem.field and
                                    picked.split("|", 1)[-1].lower() == problem.field.lower()))]
            if rows:
                self.row_errors.setdefault(rows[0], []).append(problem)
            else:
                self.errors.append(problem)


def _dialog(action: str, picked: list[str], expression: list[str],
            options: dict[str, bool], extra_rows: int = 0) -> Dialog:
    rows = list(zip(picked, expression + [""] * (len(picked) - len(expression)), strict=False))
    rows = [r for r in rows if r[0] or r[1].strip()]
    rows += [("", "")] * max(MIN_ROWS - len(rows), extra_rows)
    return Dialog(action if action in ACTIONS else "add", rows[:MAX_ROWS], options)


@router.get("/segments/{no}/criteria", include_in_schema=False)
def criteria_dialog(request: Request, no: str, visitor: SignedIn,
                    action: Annotated[str, Query(max_length=10)] = "add") -> HTMLResponse:
    """The Add Contacts / Reduce / Refine dialog."""
    dialog = _dialog(action, [], [], dict.fromkeys(OPTION_NAMES, False))
    return render(request, "segments/criteria.html", no=no.upper(), dialog=dialog,
                  picker=PICKER, count=None)


def _options(form: dict[str, str | None]) -> dict[str, bool]:
    return {name: checked(form.get(name)) for name in OPTION_NAMES}


@router.post("/segments/{no}/preview", include_in_schema=False)
def preview(request: Request, no: str, visitor: SignedIn,
            action: Annotated[str, Form(max_length=10)] = "add",
            picked: Texts = [], expression: Texts = [],  # noqa: B006 (FastAPI copies)
            allow_existing: Annotated[str | None, Form()] = None,
            expand_companies: Annotated[str | None, Form()] = None,
            allow_related_companies: Annotated[str | None, Form()] = None,
            ignore_exclusion: Annotated[str | None, Form()] = None,
            entire_companies: Annotated[str | None, Form()] = None) -> HTMLResponse:
    """How many lines the dialog's action would add or remove, or why it cannot run."""
    dialog = _dialog(action, picked, expression, _options({
        "allow_existing": allow_existing, "expand_companies": expand_companies,
        "allow_related_companies": allow_related_companies,
        "ignore_exclusion": ignore_exclusion, "entire_companies": entire_companies}))
    count = None
    try:
        with visitor.reading() as ctx:
            count = criteria.preview(ctx, no, ACTIONS[dialog.action], dialog.texts(),
                                     dialog.action_options())
    except RapportError as exc:
        if exc.code in ("FORBIDDEN", "NOT_FOUND"):
            raise
        dialog.place(exc)
    return render(request, "segments/_preview.html", dialog=dialog, count=count)


@router.post("/segments/{no}/criteria", include_in_schema=False)
def run_criteria(request: Request, no: str, visitor: SignedIn,
                 action: Annotated[str, Form(max_length=10)] = "add",
                 picked: Texts = [], expression: Texts = [],  # noqa: B006
                 add_row: Annotated[str | None, Form()] = None,
                 allow_existing: Annotated[str | None, Form()] = None,
                 expand_companies: Annotated[str | None, Form()] = None,
                 allow_related_companies: Annotated[str | None, Form()] = None,
                 ignore_exclusion: Annotated[str | None, Form()] = None,
                 entire_companies: Annotated[str | None, Form()] = None) -> Response:
    """Run Add Contacts, Reduce or Refine with the dialog's filters (one criteria step)."""
    dialog = _dialog(action, picked, expression, _options({
        "allow_existing": allow_existing, "expand_companies": expand_companies,
        "allow_related_companies": allow_related_companies,
        "ignore_exclusion": ignore_exclusion, "entire_companies": entire_companies}),
        extra_rows=1 if add_row else 0)
    if add_row:  # "another filter row" without JavaScript: the dialog again, one row longer
        dialog.rows.append(("", ""))
        return render(request, "segments/criteria.html", no=no.upper(), dialog=dialog,
                      picker=PICKER, count=None)
    try:
        with visitor.writing() as ctx:
            message = _run(ctx, no, dialog)
    except RapportError as exc:
        if exc.code in ("FORBIDDEN", "NOT_FOUND"):
            raise
        dialog.place(exc)
        return render(request, "segments/criteria.html", status_code=422, no=no.upper(),
                      dialog=dialog, picker=PICKER, count=None)
    flash(request, message)
    return RedirectResponse(f"/segments/{no}", status_code=303)


def _run(ctx: Ctx, no: str, dialog: Dialog) -> str:
    texts, options = dialog.texts(), dialog.options
    if dialog.action == "add":
        done = criteria.add_contacts(
            ctx, no, texts, expand_companies=options["expand_companies"],
            allow_related_companies=options["allow_related_companies"],
            ignore_exclusion=options["ignore_exclusion"],
            allow_existing=options["allow_existing"])
        return _("Add Contacts: %(n)s lines added.") % {"n": done.added}
    verb = criteria.reduce_contacts if dialog.action == "reduce" else criteria.refine_contacts
    removed = verb(ctx, no, texts, entire_companies=options["entire_companies"])
    caption = _("Reduce Contacts") if dialog.action == "reduce" else _("Refine Contacts")
    return _("%(action)s: %(n)s lines removed.") % {"action": caption, "n": removed}


@router.post("/segments/{no}/go-back", include_in_schema=False)
def go_back(request: Request, no: str, visitor: SignedIn) -> Response:
    """Undo the last criteria step exactly."""
    with visitor.writing() as ctx:
        left = criteria.go_back(ctx, no)
    flash(request, _("The last criteria step was undone; %(n)s steps left.") % {"n": left})
    return RedirectResponse(f"/segments/{no}", status_code=303)


@router.post("/segments/{no}/save-criteria", include_in_schema=False)
def save_criteria(request: Request, no: str, visitor: SignedIn,
                  code: Annotated[str, Form(max_length=20)] = "",
                  description: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Save the segment's criteria steps under a new code."""
    try:
        with visitor.writing() as ctx:
            saved = criteria.save_criteria(ctx, no, code, description)
    except RapportError as exc:
        if exc.code in ("FORBIDDEN", "NOT_FOUND"):
            raise
        flash(request, exc.message, "error")
        return RedirectResponse(f"/segments/{no}", status_code=303)
    flash(request, _("Criteria saved as %(code)s (%(n)s steps).")
          % {"code": code.strip().upper(), "n": saved})
    return RedirectResponse(f"/segments/{no}", status_code=303)


@router.get("/segments/{no}/reuse-criteria", include_in_schema=False)
def reuse_dialog(request: Request, no: str, visitor: SignedIn) -> HTMLResponse:
    """Pick saved criteria to replay on the segment."""
    with visitor.reading() as ctx:
        saved = criteria.list_saved_criteria(ctx)
    return render(request, "segments/reuse.html", no=no.upper(), saved=saved, error=None)


@router.post("/segments/{no}/reuse-criteria", include_in_schema=False)
def reuse_criteria(request: Request, no: str, visitor: SignedIn,
                   code: Annotated[str, Form(max_length=20)] = "",
                   append: Annotated[str | None, Form()] = None) -> Response:
    """Replay saved criteria step by step (Q05: ``append`` when the segment has steps)."""
    try:
        with visitor.writing() as ctx:
            done = criteria.reuse_criteria(ctx, no, code, append=checked(append))
    except RapportError as exc:
        if exc.code in ("FORBIDDEN", "NOT_FOUND") and exc.field != "code":
            raise
        with visitor.reading() as ctx:
            saved = criteria.list_saved_criteria(ctx)
        return render(request, "segments/reuse.html", status_code=status_for(exc),
                      no=no.upper(), saved=saved, error=exc.message)
    flash(request, _("%(n)s saved steps replayed: %(added)s lines added, %(removed)s removed.")
          % {"n": done.actions_replayed, "added": done.lines_added,
             "removed": done.lines_removed})
    return RedirectResponse(f"/segments/{no}", status_code=303)


def status_for(exc: RapportError) -> int:
    return 409 if exc.code == "CONFLICT" else 422
