"""Certificates of PD hours: one printable page per learner who completed the course, and a
CSV of the same for the district's records.

Each certificate carries what licensing boards ask for: the participant's name, the provider
(the partner organisation), the course title, its dates, the contact hours, the format, the
facilitator and a certificate id. The id is an HMAC-SHA256 of the course title, the learner's
id and the course dates under a secret key kept in the build folder (made once, readable only
by its owner): the same certificate always gets the same id, and no one without the key can
make an id that the provider's own list would confirm. Names are what the roster says; they
are escaped on the page and made formula-safe in the CSV.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from html import escape
from pathlib import Path

from tlkit.atomic import write_atomic
from tlkit.data.csv_text import write_rows
from tlkit.evaluation.hours import Ledger, hours
from tlkit.printables.page_style import page_html

KEY_FILE = "certificate-id.key"
MAX_NAME = 120          # characters of a name on a certificate (a roster name is far shorter)
CSV_HEADER = ["certificate_id", "learner", "participant", "provider", "course", "from", "to",
              "contact_hours", "format", "facilitator", "live_session_hours",
              "self_study_hours", "other_hours"]


@dataclass(frozen=True)
class Certificate:
    id: str
    learner: str
    participant: str
    provider: str
    course: str
    first_date: str
    last_date: str
    minutes: int
    format: str
    facilitator: str
    live_minutes: int
    self_study_minutes: int

    @property
    def contact_hours(self) -> str:
        return hours(self.minutes)

    def row(self) -> list:
        return [self.id, self.learner, self.participant, self.provider, self.course,
                self.first_date, self.last_date, self.contact_hours, self.format,
                self.facilitator, hours(self.live_minutes), hours(self.self_study_minutes),
                hours(self.minutes - self.live_minutes - self.self_study_minutes)]


def certificate_key(folder: Path) -> bytes:
    """The secret the ids are made with: read from `folder`, made there once (owner-only)."""
    path = Path(folder) / KEY_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, secrets.token_hex(32))
        os.chmod(path, 0o600)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def certificate_id(key: bytes, course: str, learner: str, first_date: str, last_date: str) -> str:
    """Sixteen letters and digits in four groups, e.g. K3QF-7ZPA-M2XD-9TBE."""
    digest = hmac.new(key, "\x1f".join((course, learner, first_date, last_date)).encode(),
                      hashlib.sha256).digest()
    text = base64.b32encode(digest).decode("ascii")[:16]
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


def _plain(text: str) -> str:
    return " ".join(str(text).split())[:MAX_NAME]


def certificates(ledger: Ledger, rules, key: bytes) -> list[Certificate]:
    """One certificate per learner the ledger finds complete, in roster order."""
    made = []
    for learner in ledger.completers():
        made.append(Certificate(
            certificate_id(key, rules.title, learner.id, ledger.first_date, ledger.last_date),
            learner.id, _plain(learner.name), _plain(rules.provider), _plain(rules.title),
            ledger.first_date, ledger.last_date, ledger.minutes(learner.id), rules.format,
            _plain(rules.facilitator), ledger.minutes(learner.id, "live session"),
            ledger.minutes(learner.id, "module")))
    return made


CSS = """
@page { size: letter landscape; margin: 12mm; }
body { max-width: 250mm; }
.certificate { border: 3px double #1a3d6d; padding: 10mm 14mm; text-align: center; }
.certificate h1 { font-size: 1.9em; margin: .2em 0; }
.certificate .name { font-size: 1.8em; font-weight: bold; margin: .3em 0; }
.certificate dl { display: grid; grid-template-columns: max-content 1fr; gap: .25em 1em;
                  text-align: left; max-width: 150mm; margin: 1em auto; }
.certificate dt { font-weight: bold; }
.certificate dd { margin: 0; }
.certificate .signature { margin-top: 2em; display: flex; justify-content: space-around; }
.certificate .signature div { border-top: 1px solid #333; padding-top: .2em; min-width: 60mm; }
@media print { body { max-width: none; } .certificate { break-inside: avoid; } }
"""


def certificate_html(cert: Certificate) -> str:
    """The certificate as a page that prints on one sheet (letter or A4, landscape)."""
    dates = (cert.first_date if cert.first_date == cert.last_date
             else f"{cert.first_date} to {cert.last_date}")
    facts = [("Provider", cert.provider), ("Course", cert.course), ("Dates", dates),
             ("Contact hours", f"{cert.contact_hours} (live sessions {hours(cert.live_minutes)}"
                               f", self-study {hours(cert.self_study_minutes)})"),
             ("Format", cert.format), ("Facilitator", cert.facilitator),
             ("Certificate id", cert.id)]
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    body = ("<div class='certificate'><p>Certificate of professional development</p>"
            f"<h1>{escape(cert.course)}</h1><p>This certifies that</p>"
            f"<p class='name'>{escape(cert.participant)}</p>"
            f"<p>completed the course, with {escape(cert.contact_hours)} contact hours.</p>"
            f"<dl>{rows}</dl>"
            "<div class='signature'><div>Facilitator</div><div>For the provider</div></div>"
            "<p><small>The provider's list of certificates confirms the id.</small></p></div>")
    return page_html(f"Certificate: {cert.participant}", body, css=CSS)


def certificates_csv(certs: list[Certificate]) -> str:
    return write_rows([c.row() for c in certs], CSV_HEADER)


def write_certificates(certs: list[Certificate], out: Path) -> list[Path]:
    """certificates.csv and one certificate-<id>.html per certificate in `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "certificates.csv"]
    written[0].write_text(certificates_csv(certs), encoding="utf-8")
    for cert in certs:
        path = out / f"certificate-{cert.id}.html"
        path.write_text(certificate_html(cert), encoding="utf-8")
        written.append(path)
    return written
