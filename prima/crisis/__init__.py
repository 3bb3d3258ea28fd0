"""Crisis playbook: storm detection, assessment and crisis level, escalation, crisis log,
hoax register and drills (layer: above conferences and monitoring)."""
