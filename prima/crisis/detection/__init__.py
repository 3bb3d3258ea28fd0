"""Storm detection: a streaming anomaly detector for mention volumes (pure: no Django
models, no database).

    from prima.crisis.detection import Detector, SHIPPED_SETTINGS
    detector = Detector(SHIPPED_SETTINGS)
    state = detector.initial_state()                 # dict, JSON-serialisable
    result = detector.step(state, timestamp, value)  # StepResult(score, alarm, state)

See ``MODEL_CARD.md`` for the method, the shipped settings and the NAB figures.
"""

from .detector import STATE_VERSION, Detector, StepResult
from .settings import SHIPPED_SETTINGS, DetectorSettings

__all__ = ["STATE_VERSION", "SHIPPED_SETTINGS", "Detector", "DetectorSettings", "StepResult"]
