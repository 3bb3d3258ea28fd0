"""The office's fact base of public services: requirements, procedure, completion time,
official fee with its legal basis, versioned with effective dates (layer: beside
conferences and monitoring)."""
