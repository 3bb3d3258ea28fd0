"""Post-event evaluation and performance indicators rolled up office → Kanwil →
Directorate General (layer: top of the house)."""
