"""Demo data of the crisis playbook (filled in later)."""
