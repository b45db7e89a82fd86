"""Move a whole city between Civitas instances as one JSON document.

The document holds the city and one section per kind of record: initiatives,
stakeholders, contacts, categorizations, the analysis matrix (the city's own items, and
its edits and dismissals of catalogue defaults, named by catalogue key) and memberships
(by user name). Records refer to each other by name, never by id, so the document does
not depend on the instance it came from, and exporting a restored city gives the same
document again. The change history stays behind: the restored records start their
history with “Restored from a backup”.

Later issues add their records by registering a Section (`register_section`): it says
how to dump the city's records and how to load them back, given the names of what was
loaded before it. Loading checks every section first and writes all of them in one
transaction, or nothing.
"""

from civitas.reports.backup.document import (
    FORMAT,
    SECTIONS,
    VERSION,
    BackupError,
    LoadContext,
    RestoreResult,
    Section,
    city_backup,
    city_restore,
    read_backup,
    register_section,
    write_city_backup,
)
from civitas.reports.backup.sections import register_core_sections

register_core_sections()

__all__ = [
    "FORMAT",
    "SECTIONS",
    "VERSION",
    "BackupError",
    "LoadContext",
    "RestoreResult",
    "Section",
    "city_backup",
    "city_restore",
    "read_backup",
    "register_section",
    "write_city_backup",
]
