"""The wizard's account questions: the administrator, then one officer per counter.

User names, full names and passwords are checked by the rules of ``xephang user add``
(:func:`queue_server.auth.users.check_account`), before any account exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from queue_server.auth.users import check_account
from queue_server.core.errors import QueueError
from queue_server.i18n import N_, _
from queue_server.wizard.questions import NONE_ANSWER, Invalid, Question

if TYPE_CHECKING:
    from queue_server.wizard.steps import Wizard


def _account_check(role: str, w: Wizard, key: str) -> Callable[[str], None]:
    def check(username: str) -> None:
        if username == NONE_ANSWER and role == "officer":
            return
        try:
            check_account(username, role, "x" * 8)
        except QueueError as exc:
            raise Invalid(exc.message) from None
        for other, value in w.answers.items():
            if other.endswith("username") and other != key and value == username:
                raise Invalid(_("The user name {name} is already taken.").format(name=username))

    return check


def _password_check(value: str) -> None:
    try:
        check_account("x", "admin", value)
    except QueueError as exc:
        raise Invalid(exc.message) from None


def _name_check(value: str) -> None:
    try:
        check_account("x", "admin", "x" * 8, value)
    except QueueError as exc:
        raise Invalid(exc.message) from None


def account_questions(w: Wizard) -> list[Question]:
    questions = [
        Question(
            "admin.username",
            N_("Administrator's user name"),
            default="quantri",
            check=_account_check("admin", w, "admin.username"),
        ),
        Question(
            "admin.name",
            N_("Administrator's full name"),
            default="Quản trị viên",
            check=_name_check,
        ),
        Question(
            "admin.password",
            N_("Administrator's password (at least 8 characters)"),
            kind="secret",
            check=_password_check,
        ),
    ]
    for n in range(1, w.counter_count() + 1):
        key = f"officer.{n}.username"
        questions.append(
            Question(
                key,
                N_("User name of the officer at counter {number} (- for none)"),
                values={"number": n},
                default=f"canbo{n}",
                check=_account_check("officer", w, key),
            )
        )
        if w.answer(key, NONE_ANSWER) != NONE_ANSWER:
            questions += [
                Question(
                    f"officer.{n}.name",
                    N_("Full name of the officer at counter {number}"),
                    values={"number": n},
                    required=False,
                    check=_name_check,
                ),
                Question(
                    f"officer.{n}.password",
                    N_("Password of the officer at counter {number} (empty: one is made up)"),
                    values={"number": n},
                    kind="secret",
                    required=False,
                    check=_password_check,
                ),
            ]
    return questions
