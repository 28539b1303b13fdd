"""Write scenarios/examples/acme_chart.csv: a made-up company of about 600 people.

``python docs/make_example_chart.py``. Uneven on purpose, as real charts are: a sales
department of three regions with teams of 5 to 12, a key-accounts department without
team leads, a service department whose director has a single report (compression) and a
desk of 18 under one lead (a wide span), and a small inside-sales unit whose director
has two reports (a narrow span). Names are invented from short lists; ids are personnel
numbers as an HR system would give them. Deterministic: the same file every time.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "acme_chart.csv"
FIRST = [
    "Anna",
    "Bram",
    "Chloé",
    "Daan",
    "Eva",
    "Finn",
    "Guus",
    "Hanna",
    "Ilse",
    "Jules",
    "Kees",
    "Lotte",
    "Mila",
    "Noor",
    "Otto",
]
LAST = [
    "de_Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de_Boer",
    "Bos",
    "Vos",
    "Peters",
    "Dekker",
]

COMPANY = {
    "Sales": {
        "North": [12, 9, 10, 8, 11, 7, 9, 10],
        "Middle": [11, 12, 7, 9, 10, 8, 12, 11, 9, 10, 8, 12],
        "South": [5, 6, 7],
        "East": [9, 11, 8, 10, 12, 7, 9, 10, 11, 8],
    },
    "Key Accounts": {
        "Enterprise": [7],
        "Public sector": [5],
        "Healthcare": [8],
        "Retail": [6],
        "Energy": [4],
        "Logistics": [9],
    },
    "Customer Service": {"Service": [14, 16, 18, 12, 15, 13, 14, 16, 12, 15, 13, 14, 12, 15]},
    "Inside Sales": {"Inside Sales": [], "Renewals": []},
}
"""Department -> unit -> team sizes. A unit with teams has a manager and a lead per team;
Key Accounts' units are teams themselves (their managers lead them directly); Customer
Service's one unit is its head of service under the director; Inside Sales' units are two
people reporting straight to the director."""


def rows() -> list[dict[str, str]]:
    """The chart's rows, managers before their reports."""
    names = itertools.cycle(f"{f} {last.replace('_', ' ')}" for last in LAST for f in FIRST)
    numbers = itertools.count(1001)
    out: list[dict[str, str]] = []

    def person(manager: str, title: str, department: str, fte: str = "1.0") -> str:
        ident = f"E{next(numbers)}"
        out.append({"employee_id": ident, "manager_id": manager, "name": next(names),
                    "job_title": title, "department": department, "fte": fte})  # fmt: skip
        return ident

    ceo = person("", "Chief Executive", "Board")
    for department, units in COMPANY.items():
        director = person(ceo, f"Director {department}", department)
        for unit, teams in units.items():
            if department == "Key Accounts":
                lead = person(director, f"Key Account Manager {unit}", department)
                for _ in range(teams[0]):
                    person(lead, "Account Manager", department)
            elif not teams:
                person(director, f"Specialist {unit}", department, "0.8")
            else:
                manager = person(director, f"Manager {unit}", department)
                for n, size in enumerate(teams, start=1):
                    lead = person(manager, f"Team Lead {unit} {n}", department)
                    for _ in range(size):
                        person(lead, "Account Representative", department)
    return out


def main() -> None:
    """Write the chart."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows()[0]))
        writer.writeheader()
        writer.writerows(rows())
    print(f"wrote {OUT} ({len(rows())} people)")


if __name__ == "__main__":
    main()
