"""The setup wizard's steps: one model for ``xephang setup`` and the first-start page.

:class:`Wizard` holds the answers given so far. :meth:`Wizard.next_batch` gives the next
questions not answered yet (the questions of a step may depend on earlier answers: one
name per counter); :meth:`Wizard.accept` reads one answer and checks it at once, with the
configuration's own rules (:func:`queue_server.settings.parse_settings` on the center as
answered so far), so a wrong prefix or a board address taken twice is refused when typed.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from queue_server.i18n import N_, _
from queue_server.settings import ConfigError, parse_settings
from queue_server.wizard.accounts import account_questions
from queue_server.wizard.devices import device_config, device_questions
from queue_server.wizard.problems import in_words
from queue_server.wizard.questions import NONE_ANSWER, Invalid, Question, read_answer
from queue_server.wizard.template import WardTemplate, ward_template

MAX_COUNTERS = 99
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
PLACEHOLDER_NAME = "?"  # a center name not given yet, while other answers are checked


@dataclass(frozen=True)
class Step:
    """A titled group of questions, made from the answers so far."""

    title: str  # message id
    questions: Callable[[Wizard], list[Question]]


@dataclass
class Wizard:
    """The answers of one setup, and the center they describe."""

    data_dir: str = "data"
    base_url: str = "http://127.0.0.1:5000"
    scanner: Callable[[], dict[str, Any]] | None = None  # finds devices (docs/setup.md)
    template: WardTemplate = field(default_factory=ward_template)
    answers: dict[str, Any] = field(default_factory=dict)
    found: dict[str, Any] = field(default_factory=dict)  # what a device scan found

    # --- walking the steps ---

    def steps(self) -> list[Step]:
        return STEPS

    def next_batch(self) -> tuple[Step, list[Question]] | None:
        """The first step with questions left, and those questions; None when done."""
        for step in self.steps():
            left = [q for q in step.questions(self) if q.key not in self.answers]
            if left:
                return step, left
        return None

    def accept(self, question: Question, typed: str) -> Any:
        """Read and check ``typed``; on success it is kept as the answer."""
        value = read_answer(question, typed)
        if question.key == "devices.scan" and value and self.scanner is not None:
            self.found = self.scanner()
        trial = {**self.answers, question.key: value}
        problems = config_problems(self.config_data(trial))
        for where, message in problems:
            if any(where == c or where.startswith((f"{c}.", f"{c}[")) for c in question.checks):
                raise Invalid(_("Not accepted: {problem}").format(problem=in_words(message)))
        self.answers[question.key] = value
        return value

    def answer(self, key: str, default: Any = None) -> Any:
        return self.answers.get(key, default)

    # --- what the answers make ---

    def chosen_services(self, answers: dict[str, Any] | None = None) -> list[str]:
        answers = self.answers if answers is None else answers
        return list(answers.get("services", [s["code"] for s in self.template.services]))

    def counter_count(self, answers: dict[str, Any] | None = None) -> int:
        answers = self.answers if answers is None else answers
        return int(answers.get("counters", len(self.template.counters)))

    def config_data(self, answers: dict[str, Any] | None = None) -> dict[str, Any]:
        """center.toml as plain data (unanswered questions take their defaults)."""
        a = self.answers if answers is None else answers
        center: dict[str, Any] = {"name": a.get("center.name") or PLACEHOLDER_NAME}
        if a.get("center.ward"):
            center["ward"] = a["center.ward"]
        center.update(timezone=a.get("center.timezone", DEFAULT_ZONE), language="vi")
        data: dict[str, Any] = {"data_dir": self.data_dir, "center": center}
        data["services"] = [self._service(code, a) for code in self.chosen_services(a)]
        data["counters"] = [
            {
                "number": n,
                "name": a.get(f"counter.{n}.name") or self.counter_name(n),
                "services": a.get(f"counter.{n}.services") or self.counter_services(n, a),
            }
            for n in range(1, self.counter_count(a) + 1)
        ]
        data["priorities"] = [
            dict(p)
            for code in a.get("priorities", [p["code"] for p in self.template.priorities])
            if (p := self.template.priority(code)) is not None
        ]
        data.update(device_config(a, self.counter_count(a)))
        return data

    def _service(self, code: str, answers: dict[str, Any]) -> dict[str, Any]:
        known = self.template.service(code)
        if known is not None:
            return dict(known)
        return {
            "code": code,
            "prefix": answers.get(f"service.{code}.prefix") or self.free_prefix(code, answers),
            "name": answers.get(f"service.{code}.name") or code,
        }

    def free_prefix(self, code: str, answers: dict[str, Any]) -> str:
        """The first letter no other chosen service uses (the paper marker's P excepted)."""
        taken = {"P"}
        for other in self.chosen_services(answers):
            if other == code:
                continue
            known = self.template.service(other)
            taken.add(known["prefix"] if known else answers.get(f"service.{other}.prefix", ""))
        return next((c for c in string.ascii_uppercase if c not in taken), "Z")

    def counter_name(self, number: int) -> str:
        known = self.template.counter(number)
        if known is not None and set(known["services"]) <= set(self.chosen_services()):
            return str(known["name"])
        return _("Counter {number}").format(number=number)

    def counter_services(self, number: int, answers: dict[str, Any] | None = None) -> list[str]:
        chosen = self.chosen_services(answers)
        known = self.template.counter(number)
        kept = [c for c in (known["services"] if known else []) if c in chosen]
        return kept or chosen

    def officers(self) -> list[tuple[int, str, str, str]]:
        """(counter, user name, full name, password or "") of each officer account."""
        rows = []
        for n in range(1, self.counter_count() + 1):
            username = self.answer(f"officer.{n}.username", "")
            if username and username != NONE_ANSWER:
                name = self.answer(f"officer.{n}.name", "")
                rows.append((n, username, name, self.answer(f"officer.{n}.password", "")))
        return rows


def config_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The configuration's problems with ``data`` as ``(location, message)``."""
    try:
        parse_settings(data, "<setup>")
    except ConfigError as exc:
        return exc.problems or [("", str(exc))]
    return []


# --- the steps ---


def _center(w: Wizard) -> list[Question]:
    name = w.answer("center.name", "")
    ward = name.split("phường", 1)[1].strip() if "phường" in name else ""
    return [
        Question(
            "center.name",
            N_("Name of the center"),
            hint=N_("e.g. Trung tâm Phục vụ hành chính công phường Hòa Bình"),
            checks=("center.name",),
        ),
        Question(
            "center.ward",
            N_("People's Committee it reports to (on reports; empty: none)"),
            default=f"Ủy ban nhân dân phường {ward}" if ward else "",
            required=False,
            checks=("center.ward",),
        ),
        Question(
            "center.timezone", N_("Time zone"), default=DEFAULT_ZONE, checks=("center.timezone",)
        ),
        Question(
            "links.base_url",
            N_("Address of this server on the center's network (for the screens' links)"),
            default=w.base_url,
            check=_web_address,
        ),
    ]


def _web_address(value: str) -> None:
    if not value.startswith(("http://", "https://")) or " " in value or len(value) < 10:
        raise Invalid(_("Type an address such as http://192.168.1.10:5000."))


def _services(w: Wizard) -> list[Question]:
    listed = ", ".join(f"{s['code']} ({s['name']})" for s in w.template.services)
    questions = [
        Question(
            "services",
            N_("Services: their codes, separated by commas (a new code adds a service)"),
            kind="codes",
            case="upper",
            default=", ".join(s["code"] for s in w.template.services),
            hint=N_("From the ward template: {services}"),
            values={"services": listed},
            checks=("services",),
        )
    ]
    for index, code in enumerate(w.chosen_services()):
        if w.template.service(code) is None:
            questions += [
                Question(
                    f"service.{code}.name",
                    N_("Name of the new service {code}"),
                    values={"code": code},
                    checks=(f"services[{index}].name",),
                ),
                Question(
                    f"service.{code}.prefix",
                    N_("Letter of {code}'s ticket numbers (one or two capital letters)"),
                    values={"code": code},
                    case="upper",
                    default=w.free_prefix(code, w.answers),
                    checks=("services", "paper"),
                ),
            ]
    return questions


def _counters(w: Wizard) -> list[Question]:
    questions = [
        Question(
            "counters",
            N_("How many counters?"),
            kind="number",
            default=str(len(w.template.counters)),
            check=_counter_count,
        )
    ]
    if "counters" not in w.answers:
        return questions
    for n in range(1, w.counter_count() + 1):
        questions += [
            Question(
                f"counter.{n}.name",
                N_("Name of counter {number}"),
                values={"number": n},
                default=w.counter_name(n),
                checks=(f"counters[{n - 1}].name",),
            ),
            Question(
                f"counter.{n}.services",
                N_("Services of counter {number} (codes, in order of preference)"),
                kind="codes",
                case="upper",
                values={"number": n},
                default=", ".join(w.counter_services(n)),
                checks=(f"counters[{n - 1}]",),
            ),
        ]
    return questions


def _counter_count(value: int) -> None:
    if not 1 <= value <= MAX_COUNTERS:
        raise Invalid(_("Type a number from 1 to {most}.").format(most=MAX_COUNTERS))


def _priorities(w: Wizard) -> list[Question]:
    known = [p["code"] for p in w.template.priorities]

    def check(codes: list[str]) -> None:
        for code in codes:
            if code not in known:
                raise Invalid(
                    _("Unknown category {code} (known: {codes}).").format(
                        code=code, codes=", ".join(known)
                    )
                )

    listed = ", ".join(f"{p['code']} ({p['name']})" for p in w.template.priorities)
    return [
        Question(
            "priorities",
            N_("Priority categories: their codes, separated by commas (- for none)"),
            kind="codes",
            case="lower",
            default=", ".join(known),
            required=False,
            hint=N_("From the ward template: {categories}"),
            values={"categories": listed},
            check=check,
        )
    ]


STEPS = [
    Step(N_("The center"), _center),
    Step(N_("Services"), _services),
    Step(N_("Counters"), _counters),
    Step(N_("Priority categories"), _priorities),
    Step(N_("Accounts"), account_questions),
    Step(N_("Printer and LED boards"), device_questions),
]
