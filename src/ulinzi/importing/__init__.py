"""Framework-free building blocks shared by every importer: row reading, errors, citations."""
