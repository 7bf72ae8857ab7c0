"""Content as data: YAML files per kind, each checked against its versioned JSON Schema.

`load(kind, name)`, `load_file(kind, path)` and `list_names(kind)` are the one way in; every
problem is a ContentError naming the file, the field, the line and the fix.
"""

from tlkit.content.loader import (KINDS, ContentError, Document, list_names, load, load_file,
                                  read, schema_version)

__all__ = ["KINDS", "ContentError", "Document", "list_names", "load", "load_file", "read",
           "schema_version"]
